package load

import (
	"bytes"
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
// before typing) is read back from the source at the node's span.
func toYAMLNode(n *Node, sp *spanner) *yaml.Node {
	y := &yaml.Node{Line: n.Span.Line, Column: n.Span.Column}
	first, raw := sourceAt(sp, n.Span)
	switch n.Kind {
	case Map:
		y.Kind, y.Tag = yaml.MappingNode, "!!map"
		if first == '{' {
			y.Style = yaml.FlowStyle
		}
		y.Content = make([]*yaml.Node, 0, 2*len(n.Map))
		for _, p := range n.Map {
			k := &Node{Kind: String, Text: p.Key, Span: p.KeySpan}
			y.Content = append(y.Content, toYAMLNode(k, sp), toYAMLNode(p.Value, sp))
		}
		return y
	case Seq:
		y.Kind, y.Tag = yaml.SequenceNode, "!!seq"
		if first == '[' {
			y.Style = yaml.FlowStyle
		}
		y.Content = make([]*yaml.Node, 0, len(n.Seq))
		for _, c := range n.Seq {
			y.Content = append(y.Content, toYAMLNode(c, sp))
		}
		return y
	}
	y.Kind = yaml.ScalarNode
	switch first {
	case '"':
		y.Style, y.Tag, y.Value = yaml.DoubleQuotedStyle, "!!str", n.Text
	case '\'':
		y.Style, y.Tag, y.Value = yaml.SingleQuotedStyle, "!!str", n.Text
	case '|':
		y.Style, y.Tag, y.Value = yaml.LiteralStyle, "!!str", n.Text
	case '>':
		y.Style, y.Tag, y.Value = yaml.FoldedStyle, "!!str", n.Text
	case 0, ' ', '#':
		// An empty value: nothing is written after its indicator.
		y.Tag = "!!null"
	default:
		// A plain scalar: its text as written, typed as yaml.v3 types it
		// (a string folded over several lines: its value).
		y.Value = raw
		if n.Kind == String && len(n.Text) > len(raw) && n.Text[:len(raw)] == raw {
			y.Value = n.Text
		}
		y.Tag = y.ShortTag()
		if raw == "<<" {
			y.Tag = "!!merge" // what yaml.v3's parser tags a merge key
		}
	}
	return y
}

// sourceAt is the first byte written at a span (0 past the end of its
// line) and the span's text.
func sourceAt(sp *spanner, s Span) (byte, string) {
	if !sp.load(s.Line) {
		return 0, ""
	}
	b := sp.byteAt(s.Column)
	if b < 0 || b >= len(sp.text) {
		return 0, ""
	}
	e := sp.byteAt(s.EndColumn)
	if e < b {
		e = len(sp.text)
	}
	return sp.text[b], string(sp.text[b:e])
}
