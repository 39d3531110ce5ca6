package load

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Kind is the JSON type of a Node, after YAML 1.2 core-schema resolution.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Map
	Seq
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// Span is a range in a file: 1-based line and column (in characters) of the
// first character, and of the character after the last one.
type Span struct {
	Line, Column, EndLine, EndColumn int
}

// Node is one value of a document, with where it stands in the file. It is
// what JSON would hold (YAML 1.2 core schema, as Backstage's parser
// resolves it), so `name: 1.0` is a Number and `name: yes` a String.
type Node struct {
	Kind Kind
	// Text is the value of a String, the canonical decimal form of a
	// Number, "true"/"false" for a Bool.
	Text string
	Map  []Pair
	Seq  []*Node
	Span Span
	// Via is set on values read through a placeholder, and on
	// placeholders that could not be read.
	Via *Via
}

// Via tells where a value read through a placeholder came from. It is kept
// apart from Node, which most values do not need it in.
type Via struct {
	// Placeholder names the placeholder ("$text", …), File the file it
	// read (or the URL it fetched).
	Placeholder, File string
	// Fetched marks content a remote placeholder was fetched for.
	Fetched bool
	// Unresolved marks a placeholder that could not be read; the loader
	// has reported why, so checks of its value would only repeat it.
	Unresolved bool
	// Unverified marks a remote placeholder that was not fetched: its
	// content (and, for $yaml and $json, its type) is unknown, so no
	// check may find fault with the stand-in value (the URL).
	Unverified bool
}

// Placeholder names the placeholder this value was read through, if any.
func (n *Node) Placeholder() string {
	if n == nil || n.Via == nil {
		return ""
	}
	return n.Via.Placeholder
}

// PlaceholderFile is the file (or URL) a placeholder read, if any.
func (n *Node) PlaceholderFile() string {
	if n == nil || n.Via == nil {
		return ""
	}
	return n.Via.File
}

// Fetched reports whether the value was fetched from a URL.
func (n *Node) Fetched() bool { return n != nil && n.Via != nil && n.Via.Fetched }

// Unresolved reports whether this is a placeholder that could not be read.
func (n *Node) Unresolved() bool { return n != nil && n.Via != nil && n.Via.Unresolved }

// Unverified reports whether this is a remote placeholder that was not
// fetched: its value stands for content nobody read.
func (n *Node) Unverified() bool { return n != nil && n.Via != nil && n.Via.Unverified }

// Unknown reports whether the value is not what Backstage would see: a
// placeholder that could not be read or a remote one not fetched. Checks
// of the value skip it.
func (n *Node) Unknown() bool {
	return n != nil && n.Via != nil && (n.Via.Unresolved || n.Via.Unverified)
}

// TypeKnown reports whether a value's JSON type is known: always but for
// an unknown value, and of those only a remote $text, $openapi or
// $asyncapi not fetched, which give a string whatever they hold.
func (n *Node) TypeKnown() bool {
	if !n.Unknown() {
		return true
	}
	return !n.Via.Unresolved && n.Via.Placeholder != "$yaml" && n.Via.Placeholder != "$json"
}

// Pair is one key of a Map.
type Pair struct {
	Key     string
	KeySpan Span
	Value   *Node
}

// Get returns the value of key in a Map, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Map {
		if n.Map[i].Key == key {
			return n.Map[i].Value
		}
	}
	return nil
}

// Pair returns the pair of key in a Map, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Map {
		if n.Map[i].Key == key {
			return &n.Map[i]
		}
	}
	return nil
}

// Str returns the value of a String node, and whether it is one.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind != String {
		return "", false
	}
	return n.Text, true
}

// GetString returns the string at a path of map keys, or "".
func (n *Node) GetString(keys ...string) string {
	for _, k := range keys {
		n = n.Get(k)
	}
	s, _ := n.Str()
	return s
}

// Locate finds the node at a JSON-pointer-like path of tokens (map keys and
// decimal array indexes). It returns the deepest node reached and, when the
// last token is a map key that exists, that key's span.
func (n *Node) Locate(path []string) (node *Node, key *Span, found bool) {
	node = n
	for _, tok := range path {
		switch node.Kind {
		case Map:
			p := node.Pair(tok)
			if p == nil {
				return node, nil, false
			}
			node, key = p.Value, &p.KeySpan
		case Seq:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(node.Seq) {
				return node, nil, false
			}
			node, key = node.Seq[i], nil
		default:
			return node, nil, false
		}
	}
	return node, key, true
}

// Value returns the node as plain Go values of the kinds encoding/json
// produces (map[string]any, []any, string, json.Number, bool, nil).
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Text == "true"
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Map:
		m := make(map[string]any, len(n.Map))
		for _, p := range n.Map {
			m[p.Key] = p.Value.Value()
		}
		return m
	case Seq:
		s := make([]any, len(n.Seq))
		for i, c := range n.Seq {
			s[i] = c.Value()
		}
		return s
	}
	return nil
}

// FieldPath writes a path the way people read it: spec.steps[7].id ("the
// entity" for the empty path).
func FieldPath(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "the entity"
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
