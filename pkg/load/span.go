package load

import (
	"bytes"
	"sort"
)

// spanner computes the spans of nodes, line by line. What a line needs
// (whether it is ASCII, rune counts, where its text ends before a comment)
// is worked out once when a node of a new line comes, so that a line that
// holds many nodes costs time in proportion to its length, not to its
// length times its nodes: a 5 MB flow sequence on one line is read in
// linear time.
type spanner struct {
	lines lineIndex

	n     int    // the line cached (1-based); 0 for none
	text  []byte // its text, without the line break
	ascii bool
	// runes[i] counts the characters before byte i*runeStep (non-ASCII
	// lines only).
	runes []int32
	// cuts are where a first-line span may end: before each " #" and at
	// the end of the line, each with its end less trailing blanks.
	cuts   []cut
	cutsOK bool // cuts holds them for the cached line
}

type cut struct{ at, trimmed int }

const runeStep = 32

func (s *spanner) load(n int) bool {
	if n < 1 || n > s.lines.count() {
		return false
	}
	if n == s.n {
		return true
	}
	s.n = n
	s.text = s.lines.line(n)
	for len(s.text) > 0 && (s.text[len(s.text)-1] == '\n' || s.text[len(s.text)-1] == '\r') {
		s.text = s.text[:len(s.text)-1]
	}
	s.ascii = isASCII(s.text)
	s.runes = s.runes[:0]
	if !s.ascii {
		count := int32(0)
		for i, c := range s.text {
			if i%runeStep == 0 {
				s.runes = append(s.runes, count)
			}
			if c&0xC0 != 0x80 {
				count++
			}
		}
		s.runes = append(s.runes, count) // for an offset at the very end
	}
	s.cuts, s.cutsOK = s.cuts[:0], false
	return true
}

// runesBefore counts the characters before byte b of the cached line. The
// text is valid UTF-8 (the loader made it so): a character is a byte that
// is not a continuation byte.
func (s *spanner) runesBefore(b int) int {
	if s.ascii {
		return b
	}
	i := b / runeStep
	if i >= len(s.runes) {
		i = len(s.runes) - 1
	}
	n := int(s.runes[i])
	for _, c := range s.text[i*runeStep : b] {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// byteAt is the byte where column col (1-based, in characters) of the
// cached line starts, or -1 past the end.
func (s *spanner) byteAt(col int) int {
	want := col - 1
	if s.ascii {
		if want > len(s.text) {
			return -1
		}
		return want
	}
	// The last checkpoint at or before the character, then a short walk
	// from character to character (a character's first byte is not a
	// continuation byte).
	i := sort.Search(len(s.runes), func(i int) bool { return int(s.runes[i]) > want }) - 1
	if i < 0 {
		i = 0
	}
	b := min(i*runeStep, len(s.text))
	n := int(s.runes[i])
	for b < len(s.text) && s.text[b]&0xC0 == 0x80 {
		b++ // the rest of a character counted before the checkpoint
	}
	for b < len(s.text) && n < want {
		b++
		for b < len(s.text) && s.text[b]&0xC0 == 0x80 {
			b++
		}
		n++
	}
	if n < want {
		return -1
	}
	return b
}

// lineEnd is where a collection's (or block scalar's) first-line text that
// starts at byte b ends: before the first " #" at or after b, less
// trailing blanks, as tokenEnd's tokOther case says.
func (s *spanner) lineEnd(b int) int {
	if !s.cutsOK {
		s.cutsOK = true
		t := bytes.TrimRight(s.text, " \t")
		for i := 0; ; {
			j := bytes.Index(t[i:], []byte(" #"))
			if j < 0 {
				break
			}
			s.cuts = append(s.cuts, cut{at: i + j, trimmed: len(bytes.TrimRight(t[:i+j], " \t"))})
			i += j + 1
		}
		s.cuts = append(s.cuts, cut{at: len(t), trimmed: len(t)})
	}
	k := sort.Search(len(s.cuts), func(k int) bool { return s.cuts[k].at >= b })
	if k == len(s.cuts) {
		return b
	}
	return max(b, s.cuts[k].trimmed)
}

// span is the span of a node written as t, with value v, that starts at
// line and column (in characters): exactly for one-line scalars, the end
// of the first line otherwise.
func (s *spanner) span(line, column int, t tok, v string) Span {
	sp := Span{Line: line, Column: column, EndLine: line, EndColumn: column + 1}
	if !s.load(line) {
		return sp
	}
	start := s.byteAt(column)
	if start < 0 {
		return sp
	}
	return s.spanBytes(line, column, start, t, v)
}

// spanBytes is span with the byte where the node starts known.
func (s *spanner) spanBytes(line, column, start int, t tok, v string) Span {
	end := s.lineEnd(start)
	if e := tokenEnd(t, v, s.text[start:]); e >= 0 {
		end = start + min(e, len(s.text)-start)
	}
	n := s.runesBefore(end) - s.runesBefore(start)
	return Span{Line: line, Column: column, EndLine: line, EndColumn: column + max(n, 1)}
}

// spanAt is the span of a node that starts at byte start of line (for the
// fast reader, which knows bytes rather than columns).
func (s *spanner) spanAt(line, start int, t tok, v string) Span {
	s.load(line)
	return s.spanBytes(line, s.runesBefore(start)+1, start, t, v)
}

// spanTo is the span from byte start to byte end of line.
func (s *spanner) spanTo(line, start, end int) Span {
	s.load(line)
	col := s.runesBefore(start) + 1
	return Span{Line: line, Column: col, EndLine: line, EndColumn: col + max(s.runesBefore(end)-(col-1), 1)}
}
