package load

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// refSpanOf is the straightforward span computation the spanner replaced
// (quadratic on long lines with many nodes), kept as the reference.
func refSpanOf(lines lineIndex, line, column int, t tok, v string) Span {
	s := Span{Line: line, Column: column, EndLine: line, EndColumn: column + 1}
	if line < 1 || line > lines.count() {
		return s
	}
	text := bytes.TrimRight(lines.line(line), "\r\n")
	// Find the byte where the node starts: columns count characters.
	start := column - 1
	if !isASCII(text) {
		b, col := 0, 0
		for b < len(text) && col < column-1 {
			_, size := utf8.DecodeRune(text[b:])
			b += size
			col++
		}
		if col < column-1 {
			return s
		}
		start = b
	}
	if start < 0 || start > len(text) {
		return s
	}
	rest := text[start:]
	endBytes := min(refTokenEnd(t, v, rest), len(rest))
	end, avail := utf8.RuneCount(rest[:endBytes]), utf8.RuneCount(rest)
	if end < 1 {
		end = 1
	}
	s.EndColumn = column + min(end, avail)
	if s.EndColumn <= s.Column {
		s.EndColumn = s.Column + 1
	}
	return s
}

func refTokenEnd(t tok, v string, rest []byte) int {
	switch t {
	case tokDouble:
		return quotedEnd(rest, '"')
	case tokSingle:
		return quotedEnd(rest, '\'')
	case tokPlain:
		if l := len(v); strings.IndexByte(v, '\n') < 0 && l <= len(rest) && l > 0 && string(rest[:l]) == v {
			return l
		}
	case tokAlias:
		return 1 + len(v)
	}
	// Collections, block scalars and plain scalars written differently
	// from their value: mark the first line's text.
	t2 := bytes.TrimRight(rest, " \t")
	if i := bytes.Index(t2, []byte(" #")); i >= 0 {
		t2 = bytes.TrimRight(t2[:i], " \t")
	}
	return len(t2)
}

// checkSpans compares the spanner with the reference on every column of
// every line of src, for each way a token can be written.
func checkSpans(t *testing.T, src string) {
	t.Helper()
	text := []byte(src)
	if !utf8.Valid(text) {
		return
	}
	li := newLineIndex(text)
	sp := &spanner{lines: li}
	for line := 0; line <= li.count()+1; line++ {
		var width int
		if line >= 1 && line <= li.count() {
			width = utf8.RuneCount(li.line(line))
		}
		for col := 1; col <= width+2; col++ {
			for _, tv := range []struct {
				t tok
				v string
			}{{tokOther, ""}, {tokPlain, "a"}, {tokPlain, "x y"}, {tokPlain, "é"}, {tokDouble, ""}, {tokSingle, ""}, {tokAlias, "ref"}} {
				if tv.t == tokAlias && !aliasFits(li, line, col, tv.v) {
					continue // an alias's name is in the text; a made-up one may end mid-character
				}
				got, want := sp.span(line, col, tv.t, tv.v), refSpanOf(li, line, col, tv.t, tv.v)
				if got != want {
					t.Fatalf("line %d col %d %v %q of %q: spanner %+v, reference %+v", line, col, tv.t, tv.v, src, got, want)
				}
			}
		}
	}
}

// aliasFits reports whether '*' and name, at col of line, end on a
// character boundary.
func aliasFits(li lineIndex, line, col int, name string) bool {
	if line < 1 || line > li.count() {
		return true
	}
	text := li.line(line)
	b := 0
	for i := 1; i < col && b < len(text); i++ {
		_, size := utf8.DecodeRune(text[b:])
		b += size
	}
	end := b + 1 + len(name)
	return end >= len(text) || utf8.RuneStart(text[end])
}

func TestSpanner(t *testing.T) {
	for _, src := range []string{
		"a: [x, y] # c\n",
		"é: [ü, 'ö', \"ß\"]  # ça  \n  - a #b #c\n",
		"a: x y # z\r\nb:    \n",
		strings.Repeat("é", 70) + ": " + strings.Repeat("x ü ", 40) + " # c\n",
		"\t\t# x\n  'it''s' : \"a\\\"b\" #\n",
		"日本語: テスト #コメント\n😀: [😀, 😀 ] # 😀\n",
		"",
		"no newline",
	} {
		checkSpans(t, src)
	}
	// Lines longer than a rune checkpoint, of every mix.
	for n := 1; n < 100; n += 7 {
		checkSpans(t, strings.Repeat("ab é😀 ", n)+"\n")
	}
}

func FuzzSpanner(f *testing.F) {
	f.Add("a: [x, y] # c\n")
	f.Add("é: [ü, 'ö', \"ß\"]  # ça  \n")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 300 {
			return
		}
		checkSpans(t, src)
	})
}

// A line that holds many nodes is read in time proportional to its length
// by both readers (the span of each node used to cost the whole line).
// The sizes are such that the old way took minutes.
func TestLongLineManyNodes(t *testing.T) {
	const n = 60000
	for _, noFast := range []bool{false, true} {
		src := "a: [" + strings.Repeat("é, ", n-1) + "é]\n"
		if noFast {
			src = "b:\t1\n" + src // a tab: only yaml.v3 reads it
		}
		f := Parse(bytes.NewReader([]byte(src)), "long.yaml", ".", ".", Options{literal: true, noFast: noFast})
		if len(f.Docs) != 1 || f.Docs[0].Root == nil {
			t.Fatalf("noFast %v: %d documents, diagnostics %v", noFast, len(f.Docs), f.Diags)
		}
		seq := f.Docs[0].Root.Get("a")
		if seq == nil || len(seq.Seq) != n {
			t.Fatalf("noFast %v: got %v", noFast, seq)
		}
		last := seq.Seq[n-1].Span
		if wantCol := 5 + 3*(n-1); last.Column != wantCol || last.EndColumn != wantCol+1 {
			t.Errorf("noFast %v: last item at %+v, want column %d", noFast, last, wantCol)
		}
	}
}
