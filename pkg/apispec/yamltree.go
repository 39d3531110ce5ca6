package apispec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
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
	// The walk does not follow aliases, so it meets each node of the
	// tree once.
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			// Most mappings are small: their keys are compared with
			// the ones before them, without a map.
			var first map[string]*yaml.Node
			if len(n.Content) > 32 {
				first = map[string]*yaml.Node{}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Tag == "!!merge" {
					continue
				}
				var f *yaml.Node
				if first != nil {
					if f = first[k.Value]; f == nil {
						first[k.Value] = k
					}
				} else {
					for j := 0; j < i; j += 2 {
						if p := n.Content[j]; p.Tag != "!!merge" && p.Value == k.Value {
							f = p
							break
						}
					}
				}
				if f != nil {
					report(at(k), fmt.Sprintf("key %q is defined twice in this mapping (first at line %d); YAML parsers such as Backstage's reject it", k.Value, f.Line))
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

// treeJSON writes a tree as JSON: the bytes json.Marshal(toValue(n))
// gives, without building the values in between (a definition's tree is
// turned into JSON once or more per check; the values were most of that
// garbage). ok is false when the tree holds what it leaves to toValue and
// json.Marshal: merge keys, a key twice, or any error. Then the caller takes the long
// way, which gives the same bytes or the error.
func treeJSON(n *yaml.Node) ([]byte, bool) {
	return treeJSONSize(n, 4096)
}

// treeJSONSize is treeJSON into a buffer of size bytes to start with.
func treeJSONSize(n *yaml.Node, size int) ([]byte, bool) {
	w := jsonWriter{buf: make([]byte, 0, size)}
	if !w.value(n, 0) {
		return nil, false
	}
	return w.buf, true
}

type jsonWriter struct {
	buf  []byte
	keys []int // scratch: indexes of a mapping's keys, sorted
}

// value follows toValueDepth step for step.
func (w *jsonWriter) value(n *yaml.Node, depth int) bool {
	if depth > 200 {
		return false
	}
	n = resolve(n)
	if n == nil {
		w.buf = append(w.buf, "null"...)
		return true
	}
	switch n.Kind {
	case yaml.MappingNode:
		pairs := len(n.Content) / 2
		start := len(w.keys)
		for i := 0; i < pairs; i++ {
			if n.Content[2*i].Tag == "!!merge" {
				w.keys = w.keys[:start]
				return false
			}
			w.keys = append(w.keys, 2*i)
		}
		idx := w.keys[start:]
		// json.Marshal writes a map's keys in byte order.
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(n.Content[a].Value, n.Content[b].Value) })
		for i := 1; i < len(idx); i++ {
			if n.Content[idx[i]].Value == n.Content[idx[i-1]].Value {
				w.keys = w.keys[:start]
				return false
			}
		}
		// The nested mappings below append to w.keys; work on a copy of
		// this one's part.
		order := slices.Clone(idx)
		w.keys = w.keys[:start]
		w.buf = append(w.buf, '{')
		for j, i := range order {
			if j > 0 {
				w.buf = append(w.buf, ',')
			}
			if !w.str(n.Content[i].Value) {
				return false
			}
			w.buf = append(w.buf, ':')
			if !w.value(n.Content[i+1], depth+1) {
				return false
			}
		}
		w.buf = append(w.buf, '}')
		return true
	case yaml.SequenceNode:
		w.buf = append(w.buf, '[')
		for j, c := range n.Content {
			if j > 0 {
				w.buf = append(w.buf, ',')
			}
			if !w.value(c, depth+1) {
				return false
			}
		}
		w.buf = append(w.buf, ']')
		return true
	case yaml.ScalarNode:
		v, err := toValueDepth(n, depth)
		if err != nil {
			return false
		}
		switch v := v.(type) {
		case nil:
			w.buf = append(w.buf, "null"...)
		case bool:
			w.buf = strconv.AppendBool(w.buf, v)
		case string:
			return w.str(v)
		case json.Number:
			if !plainInt(string(v)) {
				return w.marshal(v)
			}
			w.buf = append(w.buf, v...)
		default:
			return false
		}
		return true
	}
	// toValueDepth gives nil for anything else (an alias past the chain
	// limit).
	w.buf = append(w.buf, "null"...)
	return true
}

// str writes s as json.Marshal does: itself, quoted, when it needs no
// escape (printable ASCII other than the quote, the backslash and the
// characters json.Marshal escapes for HTML: <, >, &), else through
// json.Marshal.
func (w *jsonWriter) str(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return w.marshal(s)
		}
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '"')
	return true
}

// marshal writes json.Marshal's bytes of one scalar.
func (w *jsonWriter) marshal(v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	w.buf = append(w.buf, b...)
	return true
}

// plainInt reports whether s is an integer written as JSON writes it:
// an optional minus, then 0 or digits without a leading zero.
func plainInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
