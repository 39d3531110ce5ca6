package load

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// FastYAMLNode decodes a YAML text of one document with the fast reader
// into the yaml.Node tree yaml.v3's Decoder would build for it, less
// comments, which it does not keep. ok is false when the fast reader does
// not take the text (or it holds more than one document, a byte order
// mark, control characters, invalid UTF-8, …): decode it with yaml.v3
// then. An empty document gives nil and ok. API definitions are read this
// way; TestFastYAMLNode holds it to yaml.v3's own output.
func FastYAMLNode(text []byte) (root *yaml.Node, ok bool) {
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 || bytes.HasPrefix(text, []byte("\uFEFF")) ||
		firstControl(text) >= 0 || hasUnicodeBreaks(text) {
		return nil, false
	}
	nMarkers, afterContent := markers(text)
	if nMarkers > 1 || afterContent {
		return nil, false
	}
	sp := &spanner{lines: newLineIndex(text)}
	docs, bailed, ok := parseFast(text, sp)
	if !ok || len(bailed) > 0 || len(docs) > 1 {
		return nil, false
	}
	if len(docs) == 0 {
		// No content; yaml.v3 makes a null node of an explicit "---".
		return nil, nMarkers == 0
	}
	return toYAMLNode(docs[0].root, sp), true
}

// markers counts the "---" and "..." lines of text, and tells whether one
// follows content. yaml.v3 starts a document at each, so two of them, or one
// after content, mean a second document (even an empty one).
func markers(text []byte) (n int, afterContent bool) {
	content := false
	for off := 0; off < len(text); {
		end := len(text)
		if i := bytes.IndexByte(text[off:], '\n'); i >= 0 {
			end = off + i
		}
		line := text[off:end]
		switch t := bytes.TrimLeft(line, " "); {
		case isMarker(line, "---") || isMarker(line, "..."):
			n++
			afterContent = afterContent || content
		case len(t) > 0 && t[0] != '#':
			content = true
		}
		off = end + 1
	}
	return n, afterContent
}

// toYAMLNode builds the yaml.Node of a Node the fast reader made: what
// yaml.v3 keeps that a Node does not (how a scalar is written, its text
// before typing) is read back from the source at the node's span. The
// nodes and their Content slices are cut from two slabs sized beforehand:
// an API definition is thousands of nodes, and one allocation each was a
// sixth of a whole-catalog run's allocations.
func toYAMLNode(n *Node, sp *spanner) *yaml.Node {
	nodes, ptrs := yamlSize(n)
	b := &yamlSlab{sp: sp, nodes: make([]yaml.Node, nodes), ptrs: make([]*yaml.Node, ptrs)}
	return b.node(n.Kind, n.Text, n.Span, n)
}

// yamlSize counts the yaml.Nodes of n (keys included) and the Content
// entries they hold.
func yamlSize(n *Node) (nodes, ptrs int) {
	nodes = 1
	switch n.Kind {
	case Map:
		ptrs = 2 * len(n.Map)
		for _, p := range n.Map {
			a, b := yamlSize(p.Value)
			nodes += 1 + a
			ptrs += b
		}
	case Seq:
		ptrs = len(n.Seq)
		for _, c := range n.Seq {
			a, b := yamlSize(c)
			nodes += a
			ptrs += b
		}
	}
	return nodes, ptrs
}

type yamlSlab struct {
	sp    *spanner
	nodes []yaml.Node
	ptrs  []*yaml.Node
}

// content cuts a Content slice of capacity k.
func (b *yamlSlab) content(k int) []*yaml.Node {
	c := b.ptrs[:0:k]
	b.ptrs = b.ptrs[k:]
	return c
}

// node builds the yaml.Node of a value (n) or of a key (n nil; kind
// String, text, span).
func (b *yamlSlab) node(kind Kind, text string, span Span, n *Node) *yaml.Node {
	y := &b.nodes[0]
	b.nodes = b.nodes[1:]
	y.Line, y.Column = span.Line, span.Column
	first, raw := sourceAt(b.sp, span)
	switch kind {
	case Map:
		y.Kind, y.Tag = yaml.MappingNode, "!!map"
		if first == '{' {
			y.Style = yaml.FlowStyle
		}
		y.Content = b.content(2 * len(n.Map))
		for _, p := range n.Map {
			y.Content = append(y.Content, b.node(String, p.Key, p.KeySpan, nil), b.node(p.Value.Kind, p.Value.Text, p.Value.Span, p.Value))
		}
		return y
	case Seq:
		y.Kind, y.Tag = yaml.SequenceNode, "!!seq"
		if first == '[' {
			y.Style = yaml.FlowStyle
		}
		y.Content = b.content(len(n.Seq))
		for _, c := range n.Seq {
			y.Content = append(y.Content, b.node(c.Kind, c.Text, c.Span, c))
		}
		return y
	}
	y.Kind = yaml.ScalarNode
	switch first {
	case '"':
		y.Style, y.Tag, y.Value = yaml.DoubleQuotedStyle, "!!str", text
	case '\'':
		y.Style, y.Tag, y.Value = yaml.SingleQuotedStyle, "!!str", text
	case '|':
		y.Style, y.Tag, y.Value = yaml.LiteralStyle, "!!str", text
	case '>':
		y.Style, y.Tag, y.Value = yaml.FoldedStyle, "!!str", text
	case 0, ' ', '#':
		// An empty value: nothing is written after its indicator.
		y.Tag = "!!null"
	default:
		// A plain scalar: its text as written, typed as yaml.v3 types it
		// (a string folded over several lines: its value).
		y.Value = string(raw)
		if kind == String && len(text) >= len(raw) && text[:len(raw)] == string(raw) {
			y.Value = text
		}
		if v := y.Value; v != "" && !strings.ContainsRune("+-0123456789yYnNtTfFoO~.", rune(v[0])) {
			// What yaml.v3's resolve gives a plain scalar whose first
			// character hints at no other type, without its work.
			y.Tag = "!!str"
		} else {
			y.Tag = y.ShortTag()
		}
		if string(raw) == "<<" {
			y.Tag = "!!merge" // what yaml.v3's parser tags a merge key
		}
	}
	return y
}

// sourceAt is the first byte written at a span (0 past the end of its
// line) and the span's text, in the spanner's line buffer.
func sourceAt(sp *spanner, s Span) (byte, []byte) {
	if !sp.load(s.Line) {
		return 0, nil
	}
	b := sp.byteAt(s.Column)
	if b < 0 || b >= len(sp.text) {
		return 0, nil
	}
	e := sp.byteAt(s.EndColumn)
	if e < b {
		e = len(sp.text)
	}
	return sp.text[b], sp.text[b:e]
}
