package main

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// The pyyaml style writes each catalog file as PyYAML's
// yaml.dump_all(docs, default_flow_style=None) does (the default before
// PyYAML 5.1, and what many generating scripts still ask for): keys
// sorted, collections of scalars in flow style ({a: 1}, [x, y]) wrapped at
// 80 columns, long strings folded over several lines, strings with
// non-ASCII characters double-quoted with escapes (\u2019), multi-line
// strings (inline API definitions) double-quoted with \n escapes and
// escaped line breaks, and strings YAML would read otherwise
// single-quoted. TestPyYAMLStyle checks it against PyYAML itself where
// python3 has PyYAML.

const pyWidth = 80

// restylePyYAML rewrites a multi-document YAML text in the pyyaml style.
// note adds a sentence with typographic punctuation to some descriptions,
// as text pasted from documents has.
func restylePyYAML(src string, note func() bool) (string, error) {
	dec := yaml.NewDecoder(strings.NewReader(src))
	e := &pyEmitter{}
	for i := 0; ; i++ {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if err.Error() == "EOF" {
				break
			}
			return "", err
		}
		root := doc.Content[0]
		if meta := mapGet(root, "metadata"); meta != nil && note() {
			if d := mapGet(meta, "description"); d != nil {
				d.Value += " It’s the “owner” team’s job — see the runbook."
			}
		}
		if i > 0 {
			e.b.WriteString("---\n")
		}
		e.col, e.indent, e.ws, e.indention = 0, 0, true, true
		e.node(root, false, false, false)
		e.lineBreak()
	}
	return e.b.String(), nil
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// pyEmitter follows PyYAML's Emitter: its column, indentation and
// whitespace state, and the same decisions at the same points.
type pyEmitter struct {
	b             bytes.Buffer
	col, indent   int
	flow          int
	ws, indention bool
}

func (e *pyEmitter) write(s string) {
	e.b.WriteString(s)
	e.col += len([]rune(s))
}

func (e *pyEmitter) lineBreak() {
	e.b.WriteByte('\n')
	e.col, e.ws, e.indention = 0, true, true
}

func (e *pyEmitter) writeIndent() {
	if !e.indention || e.col > e.indent || e.col == e.indent && !e.ws {
		e.lineBreak()
	}
	if e.col < e.indent {
		e.ws = true
		e.write(strings.Repeat(" ", e.indent-e.col))
	}
}

func (e *pyEmitter) indicator(s string, needWS, ws, indention bool) {
	if !e.ws && needWS {
		s = " " + s
	}
	e.write(s)
	e.ws, e.indention = ws, e.indention && indention
}

// flowOK is PyYAML's representer's choice: a collection whose items are
// all scalars is written in flow style.
func flowOK(n *yaml.Node) bool {
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

func sortedPairs(n *yaml.Node) [][2]*yaml.Node {
	var ps [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		ps = append(ps, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i][0].Value < ps[j][0].Value })
	return ps
}

// node writes n; inMap and inSeq tell the context (a mapping value, a
// sequence item), key that it is a simple key.
func (e *pyEmitter) node(n *yaml.Node, inMap, inSeq, key bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		saved := e.indent
		e.indent += 2 // increase_indent(flow=True)
		e.scalar(n, key)
		e.indent = saved
	case yaml.SequenceNode:
		if e.flow > 0 || len(n.Content) == 0 || flowOK(n) {
			e.flowSeq(n)
			return
		}
		saved := e.indent
		indentless := inMap && !e.indention
		if !indentless {
			e.indent += 2
		}
		if saved == 0 && !inMap && !inSeq {
			e.indent = 0
		}
		for _, c := range n.Content {
			e.writeIndent()
			e.indicator("-", true, false, true)
			e.node(c, false, true, false)
		}
		e.indent = saved
	case yaml.MappingNode:
		if e.flow > 0 || len(n.Content) == 0 || flowOK(n) {
			e.flowMap(n)
			return
		}
		saved := e.indent
		if inMap || inSeq {
			e.indent += 2
		}
		for _, p := range sortedPairs(n) {
			e.writeIndent()
			e.node(p[0], true, false, true)
			e.indicator(":", false, false, false)
			e.node(p[1], true, false, false)
		}
		e.indent = saved
	}
}

func (e *pyEmitter) flowSeq(n *yaml.Node) {
	e.indicator("[", true, true, false)
	e.flow++
	saved := e.indent
	e.indent += 2
	for i, c := range n.Content {
		if i > 0 {
			e.indicator(",", false, false, false)
		}
		if e.col > pyWidth {
			e.writeIndent()
		}
		e.node(c, false, true, false)
	}
	e.indent = saved
	e.flow--
	e.indicator("]", false, false, false)
}

func (e *pyEmitter) flowMap(n *yaml.Node) {
	e.indicator("{", true, true, false)
	e.flow++
	saved := e.indent
	e.indent += 2
	for i, p := range sortedPairs(n) {
		if i > 0 {
			e.indicator(",", false, false, false)
		}
		if e.col > pyWidth {
			e.writeIndent()
		}
		e.node(p[0], true, false, true)
		e.indicator(":", false, false, false)
		e.node(p[1], true, false, false)
	}
	e.indent = saved
	e.flow--
	e.indicator("}", false, false, false)
}

// implicit11 matches what YAML 1.1 (PyYAML's resolver) reads as something
// other than a string.
var implicit11 = regexp.MustCompile(`^(?:~|null|Null|NULL|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?0x[0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]\.(?:inf|Inf|INF)|=|<<)$`)

func (e *pyEmitter) scalar(n *yaml.Node, key bool) {
	v := n.Value
	if n.Tag != "!!str" {
		e.plain(v, !key) // ints, booleans: written as they are
		return
	}
	a := analyze(v)
	split := !key
	switch {
	case implicit11.MatchString(v) || v == "":
		if a.special || a.spaceBreak || a.breakSpace {
			e.double(v, split)
		} else {
			e.single(v, split)
		}
	case !(key && a.breaks) && (e.flow > 0 && a.flowPlain || e.flow == 0 && a.blockPlain):
		e.plain(v, split)
	case !a.special && !a.spaceBreak && !a.breakSpace && !(key && a.breaks):
		e.single(v, split)
	default:
		e.double(v, split)
	}
}

type analysis struct {
	flowPlain, blockPlain                   bool
	special, breaks, spaceBreak, breakSpace bool
}

// analyze is PyYAML's analyze_scalar, for what the catalog holds.
func analyze(v string) analysis {
	a := analysis{flowPlain: true, blockPlain: true}
	r := []rune(v)
	if len(r) == 0 {
		return analysis{}
	}
	if strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		a.flowPlain, a.blockPlain = false, false
	}
	flowInd, blockInd := false, false
	prevSpace, prevBreak := false, false
	precededByWS := true
	for i, c := range r {
		followedByWS := i+1 >= len(r) || r[i+1] == ' ' || r[i+1] == '\n'
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", c) {
				flowInd, blockInd = true, true
			}
			if c == '?' || c == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if c == '-' && followedByWS {
				flowInd, blockInd = true, true
			}
		} else {
			if strings.ContainsRune(",?[]{}", c) {
				flowInd = true
			}
			if c == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if c == '#' && precededByWS {
				flowInd, blockInd = true, true
			}
		}
		if c == '\n' {
			a.breaks = true
		}
		if !(c == '\n' || c >= 0x20 && c <= 0x7e) {
			a.special = true
		}
		switch c {
		case ' ':
			if i == 0 || i == len(r)-1 {
				a.flowPlain, a.blockPlain = false, false
			}
			if prevBreak {
				a.breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case '\n':
			if i == 0 || i == len(r)-1 {
				a.flowPlain, a.blockPlain = false, false
			}
			if prevSpace {
				a.spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = c == ' ' || c == '\n'
	}
	if a.breakSpace || a.spaceBreak || a.special || a.breaks {
		a.flowPlain, a.blockPlain = false, false
	}
	if flowInd {
		a.flowPlain = false
	}
	if blockInd {
		a.blockPlain = false
	}
	return a
}

func (e *pyEmitter) plain(v string, split bool) {
	if !e.ws {
		e.write(" ")
	}
	e.ws, e.indention = false, false
	words := strings.Split(v, " ")
	for i, w := range words {
		if i > 0 {
			if e.col > pyWidth && split && w != "" && words[i-1] != "" {
				e.writeIndent()
				e.ws, e.indention = false, false
			} else {
				e.write(" ")
			}
		}
		e.write(w)
	}
}

func (e *pyEmitter) single(v string, split bool) {
	e.indicator("'", true, false, false)
	r := []rune(v)
	spaces, breaks := false, false
	start := 0
	for end := 0; end <= len(r); end++ {
		var c rune = -1
		if end < len(r) {
			c = r[end]
		}
		switch {
		case spaces:
			if c != ' ' {
				if start+1 == end && e.col > pyWidth && split && start != 0 && end != len(r) {
					e.writeIndent()
				} else {
					e.write(string(r[start:end]))
				}
				start = end
			}
		case breaks:
			if c != '\n' {
				if r[start] == '\n' {
					e.lineBreak()
				}
				for range r[start:end] {
					e.lineBreak()
				}
				e.writeIndent()
				start = end
			}
		default:
			if c == -1 || c == ' ' || c == '\n' || c == '\'' {
				if start < end {
					e.write(string(r[start:end]))
					start = end
				}
			}
		}
		if c == '\'' {
			e.write("''")
			start = end + 1
		}
		if c != -1 {
			spaces, breaks = c == ' ', c == '\n'
		}
	}
	e.indicator("'", false, false, false)
}

var pyEscapes = map[rune]string{0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x1b: "e", '"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P"}

func (e *pyEmitter) double(v string, split bool) {
	e.indicator("\"", true, false, false)
	r := []rune(v)
	start := 0
	for end := 0; end <= len(r); end++ {
		var c rune = -1
		if end < len(r) {
			c = r[end]
		}
		if c == -1 || c == '"' || c == '\\' || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff || !(c >= 0x20 && c <= 0x7e) {
			if start < end {
				e.write(string(r[start:end]))
				start = end
			}
			if c != -1 {
				var s string
				switch esc, ok := pyEscapes[c]; {
				case ok:
					s = "\\" + esc
				case c <= 0xff:
					s = fmt.Sprintf("\\x%02X", c)
				case c <= 0xffff:
					s = fmt.Sprintf("\\u%04X", c)
				default:
					s = fmt.Sprintf("\\U%08X", c)
				}
				e.write(s)
				start = end + 1
			}
		}
		if end > 0 && end < len(r)-1 && (c == ' ' || start >= end) && e.col+(end-start) > pyWidth && split {
			s := "\\"
			if start < end {
				s = string(r[start:end]) + s
				start = end
			}
			e.write(s)
			e.writeIndent()
			e.ws, e.indention = false, false
			if start < len(r) && r[start] == ' ' {
				e.write("\\")
			}
		}
	}
	e.indicator("\"", false, false, false)
}
