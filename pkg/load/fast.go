package load

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// The fast reader decodes the YAML that people and YAML libraries write
// for catalog files straight into Nodes, several times faster than
// yaml.v3 and the converter together, with a few allocations per document
// instead of several per value: block mappings and sequences; plain,
// single- and double-quoted scalars on one line or folded over several
// (escapes and escaped line breaks included); literal and folded block
// scalars; flow sequences and mappings, nested, on one line or over
// several, as PyYAML wraps them; comments and "---" markers. Whatever else
// it meets (anchors, aliases, tags, explicit keys, duplicate keys, empty
// flow values, a comment inside a flow collection, escapes yaml.v3 does
// not know, anything it is not certain about) makes it give up on that
// document: yaml.v3 reads that document as before, in the text with the
// other documents' lines emptied, so that its lines, columns, anchors and
// errors are what they are in the whole file. A few things make it give up
// on the whole file (tabs, CR line breaks, "..." and "%" lines, "--- x",
// byte order marks inside the text). So it never decides a verdict on its
// own: a document it accepts is valid YAML, and TestFastMatchesYAML,
// FuzzFastParse and FuzzFastYAMLNode check that what it builds is exactly
// what the yaml.v3 path builds, spans included.
//
// Keys and values are slices of one string holding the whole file: a value
// kept after the file is done with keeps the file's text alive, so what
// outlives a file should be copied (strings.Clone).

// fastDoc is one non-empty document the fast reader decoded.
type fastDoc struct {
	root *Node
	line int // the line of its first token
}

type lineKind uint8

const (
	lineBlank lineKind = iota
	lineComment
	lineContent
	lineDocStart // "---" on its own (or before a comment)
)

type fastLine struct {
	start, end int // the line's bytes in src, without its line break
	indent     int // leading spaces
	kind       lineKind
	ascii      bool
	newline    bool // ends with a line break
}

// fastBail stops the fast reader; the file goes to yaml.v3.
type fastBail struct{}

// maxFastKey is the longest implicit key YAML allows.
const maxFastKey = 1024

type fastParser struct {
	src   []byte
	str   string // src as a string: keys and values are slices of it
	sp    *spanner
	lines []fastLine
	cur   int // the line being read
	depth int
	// Nodes are allocated in blocks, and the pairs and items of open
	// collections collected on stacks, so that each collection gets a
	// slice of its exact size.
	nodes []Node
	pairs []Pair
	items []*Node
	// buf is where a scalar that is not a slice of the text (escapes,
	// folded lines) is put together before it becomes a string.
	buf []byte
}

// node returns a new Node from the current block.
func (p *fastParser) node(k Kind, text string, s Span) *Node {
	if len(p.nodes) == cap(p.nodes) {
		// About one node per line is left to read: a block of that many,
		// within bounds, wastes little at the end of the file.
		p.nodes = make([]Node, 0, min(max(len(p.lines)-p.cur, 16), 256))
	}
	p.nodes = append(p.nodes, Node{Kind: k, Text: text, Span: s})
	return &p.nodes[len(p.nodes)-1]
}

// parseFast decodes text with the fast reader, or reports that it cannot
// read the file at all (ok false). A document it gives up on is left to
// yaml.v3 alone: its lines, from its first content line to the next "---"
// line, are in bailed, and the documents it did read are in docs. sp holds
// the line index of text.
func parseFast(text []byte, sp *spanner) (docs []fastDoc, bailed []lineRange, ok bool) {
	if bytes.IndexByte(text, '\t') >= 0 || bytes.IndexByte(text, '\r') >= 0 {
		return nil, nil, false
	}
	// Keys and values are slices of the text itself: it is not changed
	// after it is read (File.Src).
	p := &fastParser{src: text, str: unsafe.String(unsafe.SliceData(text), len(text)), sp: sp}
	sc := fastScratchPool.Get().(*fastScratch)
	p.lines, p.pairs, p.items, p.buf = sc.lines[:0], sc.pairs[:0], sc.items[:0], sc.buf[:0]
	defer func() {
		// The stacks hold no node any more: each collection and each
		// document given up on cleared what it used.
		if cap(p.lines) <= 1<<16 && cap(p.buf) <= 1<<20 {
			sc.lines, sc.pairs, sc.items, sc.buf = p.lines[:0], p.pairs[:0], p.items[:0], p.buf[:0]
			fastScratchPool.Put(sc)
		}
	}()
	if !p.try(p.scanLines) {
		return nil, nil, false
	}
	for {
		p.skipNoise()
		if p.cur >= len(p.lines) {
			return docs, bailed, true
		}
		if p.lines[p.cur].kind == lineDocStart {
			p.cur++
			continue
		}
		start := p.cur
		var root *Node
		if p.try(func() { root = p.document() }) {
			docs = append(docs, fastDoc{root: root, line: root.Span.Line})
			continue
		}
		// Given up on: the rest of this document goes to yaml.v3.
		p.cur = start
		for p.cur < len(p.lines) && p.lines[p.cur].kind != lineDocStart {
			p.cur++
		}
		bailed = append(bailed, lineRange{start, p.cur})
		clear(p.pairs)
		clear(p.items)
		p.pairs, p.items, p.depth = p.pairs[:0], p.items[:0], 0
	}
}

// fastScratch is what a fast read uses while it runs and not after,
// reused from file to file: the lines, the stacks, the scalar buffer.
type fastScratch struct {
	lines []fastLine
	pairs []Pair
	items []*Node
	buf   []byte
}

var fastScratchPool = sync.Pool{New: func() any { return new(fastScratch) }}

// lineRange is the lines [from, to) of a file (0-based).
type lineRange struct{ from, to int }

// document reads the document that starts at the current line.
func (p *fastParser) document() *Node {
	l := &p.lines[p.cur]
	root := p.blockNode(p.cur, l.indent, -1)
	p.skipNoise()
	if p.cur < len(p.lines) && p.lines[p.cur].kind != lineDocStart {
		bail()
	}
	return root
}

// try runs fn and reports whether it ran to its end rather than give up.
func (p *fastParser) try(fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(fastBail); !bail {
				panic(r)
			}
			ok = false
		}
	}()
	fn()
	return true
}

func bail() { panic(fastBail{}) }

func (p *fastParser) scanLines() {
	src := p.src
	if n := len(p.sp.lines.starts); cap(p.lines) < n {
		p.lines = make([]fastLine, 0, n)
	}
	// Most files are ASCII: their lines need no look at each byte.
	allASCII := isASCII(src)
	for off := 0; off < len(src); {
		end, next, nl := len(src), len(src), false
		if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
			end, next, nl = off+i, off+i+1, true
		}
		l := fastLine{start: off, end: end, newline: nl, ascii: true}
		text := src[off:end]
		for l.indent < len(text) && text[l.indent] == ' ' {
			l.indent++
		}
		if !allASCII && !isASCII(text) {
			l.ascii = false
			// yaml.v3 rejects these inside a stream; its path reports them.
			for _, r := range string(text) {
				if r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
					bail()
				}
			}
		}
		rest := text[l.indent:]
		switch {
		case len(rest) == 0:
			l.kind = lineBlank
		case rest[0] == '#':
			l.kind = lineComment
		case l.indent == 0 && isMarker(rest, "---"):
			if !blankOrComment(rest[3:]) {
				bail()
			}
			l.kind = lineDocStart
		case l.indent == 0 && (isMarker(rest, "...") || rest[0] == '%'):
			bail()
		default:
			l.kind = lineContent
		}
		p.lines = append(p.lines, l)
		off = next
	}
}

// blankOrComment reports whether b holds nothing but spaces and a comment
// that starts after a space (or at the start).
func blankOrComment(b []byte) bool {
	for i, c := range b {
		if c == '#' {
			return i == 0 || b[i-1] == ' '
		}
		if c != ' ' {
			return false
		}
	}
	return true
}

func (p *fastParser) text(i int) []byte {
	l := &p.lines[i]
	return p.src[l.start:l.end]
}

// skipNoise moves past blank and comment lines.
func (p *fastParser) skipNoise() {
	for p.cur < len(p.lines) && (p.lines[p.cur].kind == lineBlank || p.lines[p.cur].kind == lineComment) {
		p.cur++
	}
}

// next is the next content line from p.cur (skipping noise), or nil at the
// end of the stream or of the document.
func (p *fastParser) next() *fastLine {
	p.skipNoise()
	if p.cur >= len(p.lines) || p.lines[p.cur].kind == lineDocStart {
		return nil
	}
	return &p.lines[p.cur]
}

// spanTo is the span of a token from byte off to byte end of line i.
func (p *fastParser) spanTo(i, off, end int) Span {
	return p.sp.spanTo(i+1, off, end)
}

// spanLine is the span of a collection, a null or a block scalar that
// starts at byte off of line i: the rest of the line, less a comment.
func (p *fastParser) spanLine(i, off int) Span {
	return p.sp.spanAt(i+1, off, tokOther, "")
}

func isSeqItem(text []byte, off int) bool {
	return off < len(text) && text[off] == '-' && (off+1 == len(text) || text[off+1] == ' ')
}

// blockNode reads the collection that starts at byte off of line i, whose
// parent collection is indented by parent columns (-1 at the root).
func (p *fastParser) blockNode(i, off, parent int) *Node {
	p.depth++
	if p.depth > MaxDepth/2 {
		bail()
	}
	defer func() { p.depth-- }()
	text := p.text(i)
	if isSeqItem(text, off) {
		return p.sequence(i, off)
	}
	if _, _, _, ok := p.keyEnd(i, off); ok {
		return p.mapping(i, off)
	}
	// A scalar on a line of its own, or something else: rare, left to yaml.v3.
	bail()
	return nil
}

// key reads an implicit key at byte off of line i: its text, its span,
// where the value may start (after ':'), and whether there is one.
func (p *fastParser) key(i, off int) (key string, span Span, valueOff int, ok bool) {
	colon, end, quoted, ok := p.keyEnd(i, off)
	switch {
	case !ok:
		return "", Span{}, 0, false
	case p.text(i)[off] == '"' || p.text(i)[off] == '\'':
		key = quoted
	default:
		base := p.lines[i].start
		kind, v := resolvePlain(p.str[base+off : base+end])
		if kind == Null {
			v = ""
		}
		key = v
	}
	return key, p.spanTo(i, off, end), colon + 1, true
}

// keyEnd finds an implicit key at byte off of line i without typing it or
// placing it (what a look at whether a line holds a key needs): the byte
// of its ':', the end of its text, and a quoted key's value.
func (p *fastParser) keyEnd(i, off int) (colon, end int, quoted string, ok bool) {
	text := p.text(i)
	if off >= len(text) {
		return 0, 0, "", false
	}
	switch c := text[off]; {
	case c == '"' || c == '\'':
		v, e, good := p.quoted(i, off)
		if !good {
			return 0, 0, "", false
		}
		quoted, end, colon = v, e, e
		for colon < len(text) && text[colon] == ' ' {
			colon++
		}
		if colon >= len(text) || text[colon] != ':' || colon+1 < len(text) && text[colon+1] != ' ' {
			return 0, 0, "", false
		}
	case isIndicator(c):
		return 0, 0, "", false
	default:
		colon = -1
		for j := off; j < len(text); j++ {
			if text[j] == '#' && text[j-1] == ' ' {
				return 0, 0, "", false
			}
			if text[j] == ':' && (j+1 == len(text) || text[j+1] == ' ') {
				colon = j
				break
			}
		}
		if colon < 0 {
			return 0, 0, "", false
		}
		end = colon
		for end > off && text[end-1] == ' ' {
			end--
		}
		if end == off {
			return 0, 0, "", false
		}
	}
	if colon-off > maxFastKey {
		bail()
	}
	return colon, end, quoted, true
}

// isIndicator reports whether c cannot start a plain scalar (or needs a
// look at what follows, which the fast reader leaves to yaml.v3).
func isIndicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	}
	return false
}

// quoted reads a one-line quoted scalar at byte off of line i: its value and
// the byte after the closing quote.
func (p *fastParser) quoted(i, off int) (string, int, bool) {
	text := p.text(i)
	base := p.lines[i].start
	q := text[off]
	b := p.buf[:0]
	esc := false // b holds the value (it has escapes)
	from := off + 1
	for j := off + 1; j < len(text); j++ {
		switch {
		case text[j] == '\\' && q == '"':
			r, n, ok := unescape(text[j+1:])
			if !ok {
				return "", 0, false
			}
			esc = true
			b = append(b, text[from:j]...)
			b = utf8.AppendRune(b, r)
			j += n
			from = j + 1
		case text[j] == '\'' && q == '\'' && j+1 < len(text) && text[j+1] == '\'':
			esc = true
			b = append(b, text[from:j+1]...)
			j++
			from = j + 1
		case text[j] == q:
			if !esc {
				return p.str[base+from : base+j], j + 1, true
			}
			b = append(b, text[from:j]...)
			p.buf = b[:0]
			return string(b), j + 1, true
		}
	}
	return "", 0, false
}

// unescape reads the escape after a backslash of a double-quoted scalar:
// the character and how many bytes it took. A line break (a multi-line
// scalar) or an escape yaml.v3 does not know is not read.
func unescape(e []byte) (rune, int, bool) {
	if len(e) == 0 {
		return 0, 0, false
	}
	var digits int
	switch e[0] {
	case '0':
		return 0, 1, true
	case 'a':
		return '\a', 1, true
	case 'b':
		return '\b', 1, true
	case 't':
		return '\t', 1, true
	case 'n':
		return '\n', 1, true
	case 'v':
		return '\v', 1, true
	case 'f':
		return '\f', 1, true
	case 'r':
		return '\r', 1, true
	case 'e':
		return 0x1b, 1, true
	case ' ', '"', '\\':
		return rune(e[0]), 1, true
	case 'N':
		return 0x85, 1, true
	case '_':
		return 0xa0, 1, true
	case 'L':
		return 0x2028, 1, true
	case 'P':
		return 0x2029, 1, true
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return 0, 0, false
	}
	if len(e) < 1+digits {
		return 0, 0, false
	}
	var r rune
	for _, c := range e[1 : 1+digits] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, 0, false
		}
		r = r<<4 | rune(d)
	}
	if !utf8.ValidRune(r) {
		return 0, 0, false
	}
	return r, 1 + digits, true
}

// mapping reads a block mapping whose keys start at byte col of their lines,
// the first at line i.
func (p *fastParser) mapping(i, col int) *Node {
	m := p.node(Map, "", p.spanLine(i, col))
	base := len(p.pairs)
	off := col
	var seen map[string]bool // the keys, for large mappings only
	for {
		key, span, voff, ok := p.key(i, off)
		if !ok {
			bail()
		}
		seen = p.unique(base, key, seen)
		p.pairs = append(p.pairs, Pair{Key: key, KeySpan: span})
		at := len(p.pairs) - 1
		v := p.value(i, voff, voff-1, col, true)
		p.pairs[at].Value = v
		l := p.next()
		switch {
		case l == nil || l.indent < col:
			m.Map = append(make([]Pair, 0, len(p.pairs)-base), p.pairs[base:]...)
			clear(p.pairs[base:])
			p.pairs = p.pairs[:base]
			return m
		case l.indent > col || isSeqItem(p.text(p.cur), l.indent):
			bail()
		}
		i, off = p.cur, col
	}
}

// unique gives up on a key that the mapping whose pairs start at base
// already holds: duplicate keys are left to yaml.v3's path, which reports
// them. A large mapping's keys are kept in seen (nil at first), which it
// returns.
func (p *fastParser) unique(base int, key string, seen map[string]bool) map[string]bool {
	switch n := len(p.pairs) - base; {
	case n < 16:
		for _, q := range p.pairs[base:] {
			if q.Key == key {
				bail()
			}
		}
	default:
		if seen == nil {
			seen = make(map[string]bool, 2*n)
			for _, q := range p.pairs[base:] {
				seen[q.Key] = true
			}
		}
		if seen[key] {
			bail()
		}
		seen[key] = true
	}
	return seen
}

// sequence reads a block sequence whose '-' stand at byte col of their
// lines, the first at line i.
func (p *fastParser) sequence(i, col int) *Node {
	s := p.node(Seq, "", p.spanLine(i, col))
	base := len(p.items)
	for {
		text := p.text(i)
		if !isSeqItem(text, col) {
			bail()
		}
		v := col + 1
		for v < len(text) && text[v] == ' ' {
			v++
		}
		var item *Node
		if isSeqItem(text, v) {
			bail()
		}
		if _, _, _, ok := p.keyEnd(i, v); ok {
			p.depth++
			if p.depth > MaxDepth/2 {
				bail()
			}
			item = p.mapping(i, v)
			p.depth--
		} else {
			item = p.value(i, v, col, col, false)
		}
		p.items = append(p.items, item)
		l := p.next()
		switch {
		case l == nil || l.indent < col || !isSeqItem(p.text(p.cur), col) && l.indent == col:
			// The end, or the parent mapping goes on at this indentation.
			s.Seq = append(make([]*Node, 0, len(p.items)-base), p.items[base:]...)
			clear(p.items[base:])
			p.items = p.items[:base]
			return s
		case l.indent > col:
			bail()
		}
		i = p.cur
	}
}

// value reads the value after an indicator (':' of a key or '-' of an
// item) at byte ind of line i; v is where its text may start. parent is
// the column of the collection it belongs to. inMap allows a sequence at
// the parent's own indentation. On return p.cur is the line after it.
func (p *fastParser) value(i, v, ind, parent int, inMap bool) *Node {
	text := p.text(i)
	for v < len(text) && text[v] == ' ' {
		v++
	}
	if v < len(text) && v > ind+1 && text[v] == '#' || v == len(text) {
		// Nothing on this line: the value is the block below, or null.
		p.cur = i + 1
		l := p.next()
		switch {
		case l != nil && l.indent > parent:
			return p.blockNode(p.cur, l.indent, parent)
		case l != nil && inMap && l.indent == parent && isSeqItem(p.text(p.cur), l.indent):
			return p.blockNode(p.cur, l.indent, parent)
		}
		return p.node(Null, "", p.spanLine(i, ind+1))
	}
	if v == ind+1 {
		bail() // "key:value" or "-value" are not what they look like
	}
	p.cur = i + 1
	switch c := text[v]; c {
	case '"', '\'':
		s, end, ok := p.quoted(i, v)
		if ok {
			if !blankOrComment(text[end:]) || end < len(text) && text[end] != ' ' {
				bail()
			}
			return p.node(String, s, p.spanTo(i, v, end))
		}
		n, line, end := p.quotedLines(i, v, parent)
		p.endValue(line, end)
		return n
	case '[', '{':
		n, line, end := p.flow(i, v, parent)
		p.endValue(line, end)
		return n
	case '|', '>':
		return p.blockScalar(i, v, parent)
	}
	if isIndicator(text[v]) && !(text[v] == '-' && v+1 < len(text) && text[v+1] != ' ') {
		bail()
	}
	end := len(text)
	for j := v + 1; j < len(text); j++ {
		if text[j] == '#' && text[j-1] == ' ' {
			end = j
			break
		}
	}
	for end > v && text[end-1] == ' ' {
		end--
	}
	if text[end-1] == ':' || bytes.Contains(text[v:end], []byte(": ")) {
		bail()
	}
	base := p.lines[i].start
	if end == len(text) {
		if n := p.plainLines(i, v, end, parent); n != nil {
			return n
		}
	}
	// A more indented line below a comment would be an error: the callers
	// give up on it.
	kind, s := resolvePlain(p.str[base+v : base+end])
	return p.node(kind, s, p.spanTo(i, v, end))
}

// plainLines reads a plain scalar that starts at byte v of line i (whose
// text there ends at byte end) and goes on over the more indented lines
// below, or returns nil when none follows. Its lines are folded as YAML
// does: one line break is a space, n blank lines are n line breaks.
func (p *fastParser) plainLines(i, v, end, parent int) *Node {
	j, last := i+1, i
	for ; j < len(p.lines); j++ {
		l := &p.lines[j]
		if l.kind == lineBlank {
			continue
		}
		if l.kind != lineContent || l.indent <= parent {
			break
		}
		last = j
	}
	if last == i {
		return nil
	}
	b := append(p.buf[:0], p.src[p.lines[i].start+v:p.lines[i].start+end]...)
	breaks := 0
	for j = i + 1; j <= last; j++ {
		l := &p.lines[j]
		if l.kind == lineBlank {
			breaks++
			continue
		}
		t := p.src[l.start+l.indent : l.end]
		for len(t) > 0 && t[len(t)-1] == ' ' {
			t = t[:len(t)-1]
		}
		// What could end the scalar or make it something else (a
		// comment, a key, an indicator) is left to yaml.v3.
		if isIndicator(t[0]) || t[len(t)-1] == ':' || bytes.Contains(t, []byte(": ")) || bytes.Contains(t, []byte(" #")) {
			bail()
		}
		if breaks == 0 {
			b = append(b, ' ')
		}
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
		b = append(b, t...)
	}
	p.cur = last + 1
	raw := string(b)
	p.buf = b[:0]
	kind, s := resolvePlain(raw)
	return p.node(kind, s, p.sp.spanAt(i+1, v, tokPlain, raw))
}

// quotedLines reads a quoted scalar that starts at byte v of line i and
// may end on a later line, each more indented than parent: its node, and
// the line and the byte after its closing quote. Its lines are
// folded as YAML does: one line break is a space, n blank lines are n
// line breaks, spaces around a line break go, and in a double-quoted
// scalar a backslash before the line break joins the lines.
func (p *fastParser) quotedLines(i, v, parent int) (*Node, int, int) {
	text := p.text(i)
	q := text[v]
	b := p.buf[:0]
	line, j := i, v+1
	for {
		t := p.text(line)
		escBreak := false
	scan:
		for j < len(t) {
			switch c := t[j]; {
			case c == ' ':
				k := j
				for k < len(t) && t[k] == ' ' {
					k++
				}
				if k < len(t) {
					b = append(b, t[j:k]...)
				}
				j = k
			case c == q && q == '\'' && j+1 < len(t) && t[j+1] == '\'':
				b = append(b, '\'')
				j += 2
			case c == q:
				s := string(b)
				p.buf = b[:0]
				tk := tokSingle
				if q == '"' {
					tk = tokDouble
				}
				return p.node(String, s, p.sp.spanAt(i+1, v, tk, s)), line, j + 1
			case c == '\\' && q == '"' && j+1 == len(t):
				escBreak = true
				break scan
			case c == '\\' && q == '"':
				r, n, ok := unescape(t[j+1:])
				if !ok {
					bail()
				}
				b = utf8.AppendRune(b, r)
				j += 1 + n
			default:
				// A run of characters that are only themselves.
				k := j + 1
				for k < len(t) && t[k] != ' ' && t[k] != q && (t[k] != '\\' || q != '"') {
					k++
				}
				b = append(b, t[j:k]...)
				j = k
			}
		}
		breaks := 0
		for {
			if !p.lines[line].newline {
				bail() // the end of the stream inside the quotes
			}
			line++
			if line >= len(p.lines) {
				bail()
			}
			l := &p.lines[line]
			if l.indent < l.end-l.start {
				if l.kind == lineDocStart || l.indent <= parent {
					bail()
				}
				break
			}
			breaks++
		}
		switch {
		case !escBreak && breaks == 0:
			b = append(b, ' ')
		default:
			for ; breaks > 0; breaks-- {
				b = append(b, '\n')
			}
		}
		j = p.lines[line].indent
	}
}

// endValue checks that nothing but a comment follows a value that ends
// at byte end of line, and moves to the line after it.
func (p *fastParser) endValue(line, end int) {
	t := p.text(line)
	if !blankOrComment(t[end:]) || end < len(t) && t[end] != ' ' {
		bail()
	}
	p.cur = line + 1
}

// flow reads a flow sequence or mapping at byte v of line i, over as
// many lines as it takes, each more indented than parent: its node, and
// the line and the byte after it. Its items are scalars and flow
// collections; keys are scalars on one line.
func (p *fastParser) flow(i, v, parent int) (*Node, int, int) {
	p.depth++
	if p.depth > MaxDepth/2 {
		bail()
	}
	defer func() { p.depth-- }()
	isMap := p.text(i)[v] == '{'
	closer := byte(']')
	var n *Node
	if isMap {
		closer = '}'
		n = p.node(Map, "", p.spanLine(i, v))
	} else {
		n = p.node(Seq, "", p.spanLine(i, v))
	}
	pairs, items := len(p.pairs), len(p.items)
	var seen map[string]bool // the keys, for large mappings only
	line, j := p.skipSpaces(i, v+1, parent)
	if p.text(line)[j] == closer {
		j++
	} else {
		for {
			if isMap {
				// A key followed by ':' with no space (JSON style), or on
				// the next line, is left to yaml.v3.
				k, kl, end := p.flowScalar(line, j, true, parent)
				if kl != line || end-j > maxFastKey {
					bail()
				}
				key := k.Text
				if k.Kind == Null {
					key = ""
				}
				seen = p.unique(pairs, key, seen)
				t := p.text(line)
				for end < len(t) && t[end] == ' ' {
					end++
				}
				if end+1 >= len(t) || t[end] != ':' || t[end+1] != ' ' {
					bail()
				}
				line, j = p.skipSpaces(line, end+1, parent)
				if c := p.text(line)[j]; c == ',' || c == '}' {
					bail() // an empty value
				}
				var val *Node
				val, line, j = p.flowItem(line, j, parent)
				p.pairs = append(p.pairs, Pair{Key: key, KeySpan: k.Span, Value: val})
			} else {
				var item *Node
				item, line, j = p.flowItem(line, j, parent)
				p.items = append(p.items, item)
			}
			line, j = p.skipSpaces(line, j, parent)
			if c := p.text(line)[j]; c == closer {
				j++
				break
			} else if c != ',' {
				bail()
			}
			line, j = p.skipSpaces(line, j+1, parent)
			if c := p.text(line)[j]; c == closer || c == ',' {
				bail() // a trailing comma, or an empty entry
			}
		}
	}
	if isMap {
		n.Map = append(make([]Pair, 0, len(p.pairs)-pairs), p.pairs[pairs:]...)
		clear(p.pairs[pairs:])
		p.pairs = p.pairs[:pairs]
	} else {
		n.Seq = append(make([]*Node, 0, len(p.items)-items), p.items[items:]...)
		clear(p.items[items:])
		p.items = p.items[:items]
	}
	return n, line, j
}

// skipSpaces is the first byte from byte j of line i that is not a space,
// on this line or a later one inside a flow collection (more indented than
// parent): its line and byte. A comment inside the collection, or its
// end, gives up.
func (p *fastParser) skipSpaces(i, j, parent int) (int, int) {
	for {
		text := p.text(i)
		for j < len(text) && text[j] == ' ' {
			j++
		}
		if j < len(text) {
			if text[j] == '#' {
				bail()
			}
			return i, j
		}
		i = p.nextFlowLine(i, parent)
		j = p.lines[i].indent
	}
}

// nextFlowLine is the next line after line i that holds more than spaces
// inside a flow collection or a multi-line scalar there; it gives up on
// the end of the text, a "---" line, a comment line and a line not
// indented more than parent.
func (p *fastParser) nextFlowLine(i, parent int) int {
	for {
		if !p.lines[i].newline || i+1 >= len(p.lines) {
			bail()
		}
		i++
		l := &p.lines[i]
		switch {
		case l.kind == lineBlank:
			continue
		case l.kind != lineContent || l.indent <= parent:
			bail()
		}
		return i
	}
}

// flowItem reads a scalar or a collection inside a flow collection at byte
// j of line i: its node, and the line and byte after it.
func (p *fastParser) flowItem(i, j, parent int) (*Node, int, int) {
	if c := p.text(i)[j]; c == '[' || c == '{' {
		return p.flow(i, j, parent)
	}
	return p.flowScalar(i, j, false, parent)
}

// flowScalar reads a plain or quoted scalar inside a flow collection at
// byte j of line i (a key of a flow mapping if key, on one line): its
// node, and the line and byte after it.
func (p *fastParser) flowScalar(i, j int, key bool, parent int) (*Node, int, int) {
	text := p.text(i)
	switch c := text[j]; {
	case c == '"' || c == '\'':
		if str, end, ok := p.quoted(i, j); ok {
			return p.node(String, str, p.spanTo(i, j, end)), i, end
		}
		if key {
			bail()
		}
		return p.quotedLines(i, j, parent)
	case isIndicator(c) && !(c == '-' && j+1 < len(text) && text[j+1] != ' ' && text[j+1] != ',' && text[j+1] != ']' && text[j+1] != '}'):
		bail()
	}
	start := j
	j = p.flowPlainEnd(i, j, key)
	end := j
	for end > start && text[end-1] == ' ' {
		end--
	}
	if end == start {
		bail()
	}
	base := p.lines[i].start
	if j < len(text) || key {
		kind, str := resolvePlain(p.str[base+start : base+end])
		return p.node(kind, str, p.spanTo(i, start, end)), i, j
	}
	// The end of the line: the scalar may go on over the lines below,
	// folded as in a block.
	b := append(p.buf[:0], p.str[base+start:base+end]...)
	line := i
	for {
		next := p.nextFlowLine(line, parent)
		l := &p.lines[next]
		t := p.text(next)
		c := t[l.indent]
		if c == ',' || c == ']' || c == '}' {
			break // the scalar ended with the line before
		}
		if isIndicator(c) {
			bail()
		}
		if next > line+1 {
			for range next - line - 1 {
				b = append(b, '\n')
			}
		} else {
			b = append(b, ' ')
		}
		j = p.flowPlainEnd(next, l.indent, false)
		e := j
		for e > l.indent && t[e-1] == ' ' {
			e--
		}
		b = append(b, t[l.indent:e]...)
		line = next
		if j < len(t) {
			break
		}
	}
	if line == i {
		kind, str := resolvePlain(p.str[base+start : base+end])
		return p.node(kind, str, p.spanTo(i, start, end)), i, j
	}
	raw := string(b)
	p.buf = b[:0]
	kind, str := resolvePlain(raw)
	return p.node(kind, str, p.sp.spanAt(i+1, start, tokPlain, raw)), line, j
}

// flowPlainEnd is where a plain scalar inside a flow collection that goes
// on at byte j of line i ends on that line: at ',', ']', '}', ": " after a
// key, or the end of the line.
func (p *fastParser) flowPlainEnd(i, j int, key bool) int {
	text := p.text(i)
	for ; j < len(text); j++ {
		switch text[j] {
		case ',', ']', '}':
			return j
		case '[', '{', '#', '"', '\'', '?':
			bail() // '?' too: yaml.v3 ends a flow scalar there
		case ':':
			// ": " ends a key; ':' before anything but a space or a flow
			// indicator is text (a URL's "https://").
			if j+1 < len(text) && text[j+1] == ' ' && key {
				return j
			}
			if j+1 >= len(text) || strings.IndexByte(" ,[]{}?", text[j+1]) >= 0 {
				bail()
			}
		}
	}
	return j
}

// blockScalar reads a literal (|) or folded (>) block scalar whose header
// is at byte v of line i, inside a collection indented by parent columns.
func (p *fastParser) blockScalar(i, v, parent int) *Node {
	text := p.text(i)
	folded := text[v] == '>'
	h := v + 1
	strip := false
	if h < len(text) && text[h] == '-' {
		strip = true
		h++
	}
	if h < len(text) && text[h] != ' ' || !blankOrComment(text[h:]) {
		bail() // keep (+), indentation indicators, or text after the header
	}
	// The content's indentation is that of its first non-blank line.
	j := i + 1
	indent := -1
	for ; j < len(p.lines); j++ {
		l := &p.lines[j]
		if l.indent == l.end-l.start {
			continue
		}
		indent = l.indent
		break
	}
	if indent <= parent || indent <= 0 {
		bail() // empty, or not indented: left to yaml.v3
	}
	b := p.buf[:0]
	blanks := 0 // blank lines since the last content line
	last := -1  // the last content line
	for j = i + 1; j < len(p.lines); j++ {
		l := &p.lines[j]
		n := l.end - l.start
		if l.indent == n { // only spaces
			if n > indent {
				bail()
			}
			blanks++
			continue
		}
		if l.indent < indent {
			break
		}
		line := p.src[l.start+indent : l.end]
		switch {
		case last < 0:
			for range blanks {
				b = append(b, '\n')
			}
		case folded && blanks == 0:
			b = append(b, ' ')
		case folded:
			for range blanks {
				b = append(b, '\n')
			}
		default:
			for range blanks + 1 {
				b = append(b, '\n')
			}
		}
		if folded && line[0] == ' ' {
			bail() // more-indented lines keep their breaks: left to yaml.v3
		}
		b = append(b, line...)
		blanks, last = 0, j
	}
	if last < 0 {
		bail()
	}
	if !strip && p.lines[last].newline {
		b = append(b, '\n')
	}
	p.cur = j
	str := string(b)
	p.buf = b[:0]
	return p.node(String, str, p.spanLine(i, v))
}
