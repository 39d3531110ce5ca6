package load

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Limits on one document, against hostile input.
const (
	// MaxDepth is the deepest nesting of maps and lists accepted.
	MaxDepth = 512
	// MaxAliasNodes is how many nodes alias expansion may add to a document.
	MaxAliasNodes = 100_000
)

// chunk is the source of one YAML document: the lines between document
// markers, and the line of the file its first line is.
type chunk struct {
	src       []byte
	firstLine int
}

// splitDocuments cuts a YAML stream at its document markers ("---" and "..."
// at the start of a line), so that each document parses on its own and a
// syntax error fails only its own document, as in Backstage's parser.
// Lines that only hold directives, comments or blanks join the next document.
func splitDocuments(src []byte) []chunk {
	var chunks []chunk
	start, startLine := 0, 1
	line := 1
	flush := func(end int) {
		if end > start {
			chunks = append(chunks, chunk{src: src[start:end], firstLine: startLine})
		}
	}
	for off := 0; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		end := len(src)
		if nl >= 0 {
			end = off + nl + 1
		}
		l := src[off:end]
		switch {
		case isMarker(l, "---"):
			if !onlyPrologue(src[start:off]) {
				flush(off)
				start, startLine = off, line
			}
		case isMarker(l, "..."):
			flush(end)
			start, startLine = end, line+1
		}
		off = end
		line++
	}
	flush(len(src))
	return chunks
}

func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r' || rest[0] == '\n'
}

// onlyPrologue reports whether b holds only blank lines, comments and
// directives, so that a following "---" starts the same document.
func onlyPrologue(b []byte) bool {
	for _, l := range bytes.Split(b, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) != 0 && t[0] != '#' && t[0] != '%' {
			return false
		}
	}
	return true
}

// Stand-ins for the characters that YAML 1.1 (so yaml.v3) takes as line
// breaks and YAML 1.2 (so Backstage's parser) does not: NEL, LINE
// SEPARATOR, PARAGRAPH SEPARATOR. One rune each, so columns stay right.
var (
	unicodeBreaks = strings.NewReplacer("\u0085", "\uF8F0", "\u2028", "\uF8F1", "\u2029", "\uF8F2")
	restoreBreaks = strings.NewReplacer("\uF8F0", "\u0085", "\uF8F1", "\u2028", "\uF8F2", "\u2029")
)

// prepare rewrites what yaml.v3 reads differently from YAML 1.2, keeping
// every line and column where it is: the directives of a document's
// prologue (yaml.v3 knows only %YAML 1.1 and %TAG; YAML 1.2 ignores
// unknown directives), tabs on lines that hold nothing but white space or a
// comment (blank lines to YAML 1.2, an indentation error to yaml.v3), and
// the Unicode line breaks above. It reports whether stand-ins were used.
func prepare(text []byte) ([]byte, bool) {
	out := text
	copied := false
	own := func() {
		if !copied {
			out = append([]byte(nil), text...)
			copied = true
		}
	}
	prologue := true
	// Only a '%' line or a tab can need a change: most files have
	// neither, and are not looked at line by line.
	lines := len(out)
	if bytes.IndexByte(text, '%') < 0 && bytes.IndexByte(text, '\t') < 0 {
		lines = 0
	}
	for off := 0; off < lines; {
		nl := bytes.IndexByte(out[off:], '\n')
		end := len(out)
		if nl >= 0 {
			end = off + nl
		}
		line := out[off:end]
		trimmed := bytes.TrimLeft(line, " \t")
		switch {
		case prologue && bytes.HasPrefix(line, []byte("%")):
			if bytes.HasPrefix(line, []byte("%YAML")) {
				own()
				copy(out[off:end], padTo("%YAML 1.1", len(line)))
			} else if !bytes.HasPrefix(line, []byte("%TAG")) {
				own()
				out[off] = '#'
			}
		case isMarker(line, "..."):
			prologue = true
		case len(trimmed) == 0 || trimmed[0] == '#' || trimmed[0] == '\r':
			if bytes.IndexByte(line[:len(line)-len(trimmed)], '\t') >= 0 {
				own()
				for i := off; i < end-len(trimmed); i++ {
					if out[i] == '\t' {
						out[i] = ' '
					}
				}
			}
		default:
			prologue = false
		}
		off = end + 1
	}
	if hasUnicodeBreaks(out) {
		return []byte(unicodeBreaks.Replace(string(out))), true
	}
	return out, false
}

// hasUnicodeBreaks reports whether b holds NEL (C2 85), LINE SEPARATOR
// (E2 80 A8) or PARAGRAPH SEPARATOR (E2 80 A9); the search for their lead
// bytes is much faster than decoding every rune.
func hasUnicodeBreaks(b []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], 0xC2)
		if j < 0 {
			break
		}
		i += j + 1
		if i < len(b) && b[i] == 0x85 {
			return true
		}
	}
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], 0xE2)
		if j < 0 {
			return false
		}
		i += j + 1
		if i+1 < len(b) && b[i] == 0x80 && (b[i+1] == 0xA8 || b[i+1] == 0xA9) {
			return true
		}
	}
}

func padTo(s string, n int) []byte {
	if len(s) >= n {
		return []byte(s[:n])
	}
	return append([]byte(s), bytes.Repeat([]byte(" "), n-len(s))...)
}

// yamlError is a syntax error in a document, at a position of the file.
type yamlError struct {
	Line, Column int
	Msg          string
}

var lineRe = regexp.MustCompile(`^yaml: line (\d+): `)

// parseChunk parses one chunk. It returns the document's content (nil for
// an empty document) or the syntax error.
func parseChunk(c chunk) (*yaml.Node, *yamlError) {
	dec := yaml.NewDecoder(bytes.NewReader(c.src))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, toYAMLError(err, c)
	}
	// A chunk holds one document; a second one means the splitter and the
	// parser disagree about a marker, which the parser's view settles.
	var extra yaml.Node
	if err := dec.Decode(&extra); err != nil && !errors.Is(err, io.EOF) {
		return nil, toYAMLError(err, c)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	content := doc.Content[0]
	if content.Kind == yaml.ScalarNode && content.Tag == "!!null" && content.Style&yaml.TaggedStyle == 0 {
		return nil, nil
	}
	return content, nil
}

// problemSearchMax bounds the documents problemLine searches (about 20
// partial parses each).
const problemSearchMax = 1 << 20

// problemLine finds the line of a parser error that yaml.v3 reports at the
// start of the enclosing collection (line, 1-based): the fewest leading
// lines of src that fail with the same error (want, as yaml.v3 words it)
// end on the line at fault. Binary search: a prefix that stops before the
// fault parses, or fails another way; one that reaches it fails the same
// way. 0 when it cannot tell.
func problemLine(src []byte, want string, line int) int {
	if !strings.Contains(want, "did not find expected key") && !strings.Contains(want, "did not find expected '-' indicator") {
		return 0
	}
	if len(src) > problemSearchMax {
		return 0 // each step parses up to the fault: bounded work on a huge document
	}
	ends := []int{} // ends[i]: the offset after line i+1's break
	for i, b := range src {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		ends = append(ends, len(src))
	}
	same := func(k int) bool { // the first k lines fail as src does
		dec := yaml.NewDecoder(bytes.NewReader(src[:ends[k-1]]))
		var n yaml.Node
		err := dec.Decode(&n)
		return err != nil && err.Error() == want
	}
	lo, hi := line, len(ends) // same(hi) holds; find the least k > line with same(k)
	if hi <= lo || !same(hi) {
		return 0
	}
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if same(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// parserErrors are the messages of yaml.v3's parser (not its scanner). It
// reports them with a 0-based line, and with none on the first line.
var parserErrors = []string{
	"did not find expected <document start>", "did not find expected node content",
	"did not find expected key", "did not find expected '-' indicator",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found incompatible YAML document", "found duplicate %YAML directive",
	"found undefined tag handle", "found duplicate %TAG directive",
}

// parseStream parses a whole stream with one decoder. ok is false when any
// document has a syntax error (the caller then parses document by
// document). Empty documents are left out.
func parseStream(src []byte) ([]*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var out []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		if len(doc.Content) == 0 {
			continue
		}
		content := doc.Content[0]
		if content.Kind == yaml.ScalarNode && content.Tag == "!!null" && content.Style&yaml.TaggedStyle == 0 {
			continue
		}
		out = append(out, content)
	}
}

func toYAMLError(err error, c chunk) *yamlError {
	msg := err.Error()
	line := 0
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	parserError := false
	for _, p := range parserErrors {
		if strings.HasPrefix(msg, p) {
			parserError = true
		}
	}
	last := max(bytes.Count(c.src, []byte("\n")), 1)
	switch {
	case parserError:
		line = min(line+1, last)
		// yaml.v3 reports where the enclosing collection starts (its
		// context mark), not the line at fault: find the shortest prefix
		// of the document that fails the same way.
		if at := problemLine(c.src, err.Error(), line); at > line {
			msg += fmt.Sprintf(" (in the collection that starts on line %d)", line+c.firstLine-1)
			line = at
		}
	case line == 0:
		line = last
	}
	col := 1
	lines := bytes.Split(c.src, []byte("\n"))
	if line-1 < len(lines) {
		l := lines[line-1]
		col += utf8.RuneCount(l) - utf8.RuneCount(bytes.TrimLeft(l, " \t"))
	}
	return &yamlError{Line: line + c.firstLine - 1, Column: col, Msg: msg}
}

// converter turns a yaml.Node tree into Nodes with YAML 1.2 core-schema
// types, expanding aliases within a budget.
type converter struct {
	sp         *spanner // the file's lines, for end columns
	off        int      // what to add to a node's line: the chunk's place in the file
	restore    bool     // put back the Unicode line breaks prepare replaced
	budget     int
	inProgress map[*yaml.Node]bool
	errs       []yamlError
}

func (c *converter) fail(n *yaml.Node, format string, args ...any) {
	c.errs = append(c.errs, yamlError{Line: n.Line + c.off, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (c *converter) convert(n *yaml.Node, depth int, viaAlias bool) *Node {
	if depth > MaxDepth {
		c.fail(n, "nesting is deeper than %d levels", MaxDepth)
		return &Node{Kind: Null, Span: c.span(n)}
	}
	if viaAlias {
		c.budget--
		if c.budget < 0 {
			if c.budget == -1 {
				c.fail(n, "aliases expand to more than %d nodes (an alias bomb?)", MaxAliasNodes)
			}
			return &Node{Kind: Null, Span: c.span(n)}
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil || c.inProgress[n.Alias] {
			c.fail(n, "alias *%s refers to a node that contains it", n.Value)
			return &Node{Kind: Null, Span: c.span(n)}
		}
		c.inProgress[n.Alias] = true
		out := c.convert(n.Alias, depth, true)
		delete(c.inProgress, n.Alias)
		// The value stands where the alias is written.
		cp := *out
		cp.Span = c.span(n)
		return &cp
	case yaml.MappingNode:
		if n.Style&yaml.TaggedStyle != 0 && n.Tag == "!!set" {
			return &Node{Kind: Map, Span: c.span(n)} // a JavaScript Set: {} as JSON
		}
		c.inProgress[n] = true
		defer delete(c.inProgress, n)
		out := &Node{Kind: Map, Span: c.span(n), Map: make([]Pair, 0, len(n.Content)/2)}
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := c.keyString(k, depth)
			if first, dup := seen[key]; dup && !viaAlias {
				c.fail(k, "duplicate key %q (first defined on line %d); map keys must be unique", key, first)
			}
			seen[key] = k.Line + c.off
			out.Map = append(out.Map, Pair{Key: key, KeySpan: c.span(k), Value: c.convert(v, depth+1, viaAlias)})
		}
		return out
	case yaml.SequenceNode:
		if n.Style&yaml.TaggedStyle != 0 && n.Tag == "!!omap" {
			return &Node{Kind: Map, Span: c.span(n)} // a JavaScript Map: {} as JSON
		}
		c.inProgress[n] = true
		defer delete(c.inProgress, n)
		out := &Node{Kind: Seq, Span: c.span(n), Seq: make([]*Node, 0, len(n.Content))}
		for _, v := range n.Content {
			out.Seq = append(out.Seq, c.convert(v, depth+1, viaAlias))
		}
		return out
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle != 0 {
			switch n.Tag {
			case "!!binary":
				return binaryNode(n.Value, c.span(n))
			case "!!timestamp":
				if _, _, msg := taggedScalar(n); msg != "" {
					c.fail(n, "%s", msg)
				}
			}
		}
		kind, text := resolveScalar(n)
		if kind != String && n.Style&yaml.TaggedStyle == 0 && c.nonSpecificTag(n) {
			kind, text = String, n.Value
		}
		if c.restore {
			text = restoreBreaks.Replace(text)
		}
		return &Node{Kind: kind, Text: text, Span: c.span(n)}
	}
	return &Node{Kind: Null, Span: c.span(n)}
}

// nonSpecificTag tells whether a scalar yaml.v3 typed as untagged is
// written with the non-specific tag "!" ("! 12"), which makes it a string
// in YAML 1.2 and to Backstage's reader; yaml.v3 drops that tag, but the
// node then starts at the '!', where no plain scalar can.
func (c *converter) nonSpecificTag(n *yaml.Node) bool {
	if c.sp == nil || !c.sp.load(n.Line+c.off) {
		return false
	}
	b := c.sp.byteAt(n.Column)
	return b >= 0 && b < len(c.sp.text) && c.sp.text[b] == '!'
}

// keyString is the JSON object key a YAML key becomes.
func (c *converter) keyString(k *yaml.Node, depth int) string {
	if k.Kind == yaml.ScalarNode {
		kind, text := resolveScalar(k)
		if kind == Null {
			return ""
		}
		if c.restore {
			text = restoreBreaks.Replace(text)
		}
		return text
	}
	// A collection used as a key is stringified, as JavaScript does.
	v := c.convert(k, depth+1, false)
	var b strings.Builder
	writeFlow(&b, v)
	return b.String()
}

func writeFlow(b *strings.Builder, n *Node) {
	switch n.Kind {
	case Map:
		if len(n.Map) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{ ")
		for i, p := range n.Map {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.Key + ": ")
			writeFlow(b, p.Value)
		}
		b.WriteString(" }")
	case Seq:
		if len(n.Seq) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[ ")
		for i, e := range n.Seq {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFlow(b, e)
		}
		b.WriteString(" ]")
	case Null:
		b.WriteString("null")
	default:
		b.WriteString(n.Text)
	}
}

var (
	intRe   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	octRe   = regexp.MustCompile(`^0o[0-7]+$`)
	hexRe   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	floatRe = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
)

// resolveScalar types a scalar by the YAML 1.2 core schema, which is what
// Backstage's parser uses: only true/false are booleans, `yes` and dates are
// strings, `010` is the integer 10.
func resolveScalar(n *yaml.Node) (Kind, string) {
	v := n.Value
	if n.Style&yaml.TaggedStyle != 0 {
		k, t, _ := taggedScalar(n) // see tags.go
		return k, t
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return String, v
	}
	return resolvePlain(v)
}

// resolvePlain types an untagged plain scalar.
func resolvePlain(v string) (Kind, string) {
	switch v {
	case "", "~", "null", "Null", "NULL":
		return Null, ""
	}
	if b, ok := coreBool(v); ok {
		return Bool, b
	}
	if k, t, ok := coreNumber(v); ok {
		return k, t
	}
	return String, v
}

func coreBool(v string) (string, bool) {
	switch v {
	case "true", "True", "TRUE":
		return "true", true
	case "false", "False", "FALSE":
		return "false", true
	}
	return "", false
}

func coreNumber(v string) (Kind, string, bool) {
	if v == "" || !strings.ContainsRune("+-.0123456789", rune(v[0])) {
		return 0, "", false
	}
	switch {
	case intRe.MatchString(v):
		i, ok := new(big.Int).SetString(strings.TrimPrefix(v, "+"), 10)
		if ok {
			return Number, i.String(), true
		}
	case octRe.MatchString(v):
		i, ok := new(big.Int).SetString(v[2:], 8)
		if ok {
			return Number, i.String(), true
		}
	case hexRe.MatchString(v):
		i, ok := new(big.Int).SetString(v[2:], 16)
		if ok {
			return Number, i.String(), true
		}
	case floatRe.MatchString(v):
		f, err := strconv.ParseFloat(v, 64)
		if err == nil {
			return Number, strconv.FormatFloat(f, 'g', -1, 64), true
		}
		if math.IsInf(f, 0) {
			return Number, infText(f), true
		}
	}
	switch v {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return Number, infText(1), true
	case "-.inf", "-.Inf", "-.INF":
		return Number, infText(-1), true
	case ".nan", ".NaN", ".NAN":
		return Number, "0", true
	}
	return 0, "", false
}

// infText stands for an infinite number, which JSON cannot write.
func infText(sign float64) string {
	if sign < 0 {
		return "-1e999"
	}
	return "1e999"
}

// tok is how a node is written, as far as finding where its text ends needs.
type tok uint8

const (
	tokOther  tok = iota // collections, block scalars: the first line's text
	tokPlain             // a plain scalar: its value, when written on one line as it is
	tokDouble            // a double-quoted scalar
	tokSingle            // a single-quoted scalar
	tokAlias             // an alias: '*' and its name
)

func tokOf(n *yaml.Node) tok {
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0:
		return tokDouble
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0:
		return tokSingle
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0:
		return tokPlain
	case n.Kind == yaml.AliasNode:
		return tokAlias
	}
	return tokOther
}

// span computes where a node's text ends: exactly for one-line scalars,
// the end of the first line otherwise. Columns count characters.
func (c *converter) span(n *yaml.Node) Span {
	return c.sp.span(n.Line+c.off, n.Column, tokOf(n), n.Value)
}

// tokenEnd is the length in bytes of the node's text at the start of rest,
// or -1 when its span is the rest of the first line (collections, block
// scalars, and plain scalars written differently from their value).
func tokenEnd(t tok, v string, rest []byte) int {
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
	return -1
}

func isASCII(b []byte) bool {
	// Eight bytes at a time: no byte has its high bit set.
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func quotedEnd(r []byte, q byte) int {
	for i := 1; i < len(r); i++ {
		if r[i] == '\\' && q == '"' {
			i++
			continue
		}
		if r[i] == q {
			if q == '\'' && i+1 < len(r) && r[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(r)
}

// lineIndex finds the lines of a file without copying them.
type lineIndex struct {
	src    []byte
	starts []int
}

func newLineIndex(src []byte) lineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 || off+i+1 >= len(src) {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return lineIndex{src: src, starts: starts}
}

func (l lineIndex) count() int { return len(l.starts) }

// line returns line n (1-based) with its line break.
func (l lineIndex) line(n int) []byte {
	end := len(l.src)
	if n < len(l.starts) {
		end = l.starts[n]
	}
	return l.src[l.starts[n-1]:end]
}
