package apispec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/catalint-dev/catalint/pkg/load"
)

// pos is a place in one file: 1-based line and column (in characters).
// file "" means the definition text itself.
type pos struct {
	file      string
	line, col int
}

// parseTree parses YAML or JSON text into its document node's content.
// It returns nil and the position and message of a syntax error.
func parseTree(text []byte) (*yaml.Node, *pos, string) {
	// Most definitions are plain block YAML, which the fast reader builds
	// the same tree for, several times faster; it declines anything else.
	if n, ok := load.FastYAMLNode(text); ok {
		return n, nil, ""
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(text))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, ""
		}
		p, msg := yamlErrPos(err)
		return nil, p, msg
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return nil, &pos{line: more.Line, col: 1}, "the definition holds more than one YAML document (found a --- separator)"
	}
	if len(doc.Content) == 0 {
		return nil, nil, ""
	}
	return doc.Content[0], nil, ""
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrPos extracts the line of a yaml.v3 syntax error.
func yamlErrPos(err error) (*pos, string) {
	s := err.Error()
	if m := yamlLineRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &pos{line: n, col: 1}, m[2]
	}
	return &pos{line: 1, col: 1}, strings.TrimPrefix(s, "yaml: ")
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// get returns the value and key nodes of key in a mapping.
func get(n *yaml.Node, key string) (val, k *yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1]), n.Content[i]
		}
	}
	// Merge keys (<<: *base) bring in the keys of another mapping.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			if v, k := get(n.Content[i+1], key); v != nil {
				return v, k
			}
		}
	}
	return nil, nil
}

// keys returns the keys of a mapping in order.
func keys(n *yaml.Node) []string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, n.Content[i].Value)
	}
	return out
}

// isString reports whether a scalar resolves to a string.
func isString(n *yaml.Node) bool {
	n = resolve(n)
	return n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "" || n.Tag == "!")
}

// describe names what a node is, for messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "null"
	case "!!timestamp":
		return "the date " + n.Value
	}
	return strconv.Quote(n.Value)
}

// at returns the position of a node.
func at(n *yaml.Node) pos {
	if n == nil {
		return pos{line: 1, col: 1}
	}
	return pos{line: n.Line, col: n.Column}
}

// locate walks a path of map keys and list indexes as far as it goes. It
// returns the deepest node reached (the key node for a map entry, which is
// where an editor should point) and how many tokens matched.
func locate(root *yaml.Node, path []string) (*yaml.Node, int) {
	cur, mark := resolve(root), root
	for i, tok := range path {
		switch {
		case cur == nil:
			return mark, i
		case cur.Kind == yaml.MappingNode:
			v, k := get(cur, tok)
			if v == nil {
				return mark, i
			}
			cur, mark = v, k
		case cur.Kind == yaml.SequenceNode:
			idx, err := strconv.Atoi(tok)
			if err != nil || idx < 0 || idx >= len(cur.Content) {
				return mark, i
			}
			cur, mark = resolve(cur.Content[idx]), cur.Content[idx]
		default:
			return mark, i
		}
	}
	return mark, len(path)
}

// pointer resolves a JSON pointer fragment ("/a/b~1c") in a tree. It
// returns the node found, or nil with the deepest node reached and the
// number of tokens that matched.
func pointer(root *yaml.Node, frag string) (found, reached *yaml.Node, tokens []string, matched int) {
	cur := resolve(root)
	if frag == "" {
		return cur, cur, nil, 0
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, cur, []string{frag}, 0
	}
	tokens = strings.Split(frag[1:], "/")
	for i, raw := range tokens {
		tok := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		tokens[i] = tok
		var next *yaml.Node
		switch {
		case cur == nil:
		case cur.Kind == yaml.MappingNode:
			next, _ = get(cur, tok)
		case cur.Kind == yaml.SequenceNode:
			if idx, err := strconv.Atoi(tok); err == nil && idx >= 0 && idx < len(cur.Content) {
				next = resolve(cur.Content[idx])
			}
		}
		if next == nil {
			return nil, cur, tokens, i
		}
		cur = next
	}
	return cur, cur, tokens, len(tokens)
}

// jsonPointer writes tokens as a JSON pointer fragment.
func jsonPointer(tokens []string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// duplicateKeys reports keys defined twice in a mapping, which JavaScript
// YAML parsers (and so Backstage's API docs) reject.
func duplicateKeys(n *yaml.Node, report func(pos, string)) {
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		switch n.Kind {
		case yaml.MappingNode:
			first := map[string]*yaml.Node{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Tag == "!!merge" {
					continue
				}
				if f, ok := first[k.Value]; ok {
					report(at(k), fmt.Sprintf("key %q is defined twice in this mapping (first at line %d); YAML parsers such as Backstage's reject it", k.Value, f.Line))
				} else {
					first[k.Value] = k
				}
				walk(n.Content[i+1])
			}
		case yaml.SequenceNode, yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	walk(n)
}

// toValue turns a tree into the values encoding/json produces. Keys are
// always strings; numbers stay json.Number.
func toValue(n *yaml.Node) (any, error) {
	return toValueDepth(n, 0)
}

var errTooDeep = errors.New("the definition nests too deeply (or its aliases form a cycle)")

func toValueDepth(n *yaml.Node, depth int) (any, error) {
	if depth > 200 {
		return nil, errTooDeep
	}
	n = resolve(n)
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				merged, err := toValueDepth(v, depth+1)
				if err != nil {
					return nil, err
				}
				if mm, ok := merged.(map[string]any); ok {
					for mk, mv := range mm {
						if _, set := m[mk]; !set {
							m[mk] = mv
						}
					}
				}
				continue
			}
			val, err := toValueDepth(v, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			val, err := toValueDepth(c, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err == nil {
				return b, nil
			}
		case "!!int", "!!float":
			if json.Valid([]byte(n.Value)) {
				return json.Number(n.Value), nil
			}
			var f float64
			if err := n.Decode(&f); err == nil {
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
			}
		}
		return n.Value, nil
	}
	return nil, nil
}

// lineStarts indexes the byte offsets of the lines of a text.
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i, b := range text {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset turns a 1-based line and character column into a byte offset.
func offset(text []byte, starts []int, line, col int) int {
	if line < 1 || line > len(starts) {
		return -1
	}
	off := starts[line-1]
	for c := 1; c < col && off < len(text); c++ {
		if text[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	return off
}

type yamlNode = yaml.Node
