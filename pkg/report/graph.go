package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// GraphFormats lists the formats of `catalint graph`.
var GraphFormats = []string{"text", "mermaid", "dot"}

// DefaultGraphDepth is how deep the text tree goes unless told otherwise.
const DefaultGraphDepth = 25

// GraphOptions control Graph.
type GraphOptions struct {
	// Depth is how many levels of the text tree are printed below the
	// root; 0 means DefaultGraphDepth, a negative value no limit. Mermaid
	// and DOT list each node and edge once, so their size is linear in the
	// graph's and they have no depth.
	Depth int
}

// Graph writes the part of a dependency graph reachable from root,
// streaming: nothing is built in memory beyond the graph itself.
func Graph(w io.Writer, format, root string, edges []catalog.Edge, o GraphOptions) error {
	bw := bufio.NewWriter(w)
	switch format {
	case "mermaid":
		graphMermaid(bw, root, edges)
	case "dot":
		graphDOT(bw, root, edges)
	default:
		depth := o.Depth
		if depth == 0 {
			depth = DefaultGraphDepth
		}
		graphText(bw, root, edges, depth)
	}
	return bw.Flush()
}

func byFrom(edges []catalog.Edge) map[string][]catalog.Edge {
	m := map[string][]catalog.Edge{}
	for _, e := range edges {
		m[e.From] = append(m[e.From], e)
	}
	for k := range m {
		sort.Slice(m[k], func(i, j int) bool { return m[k][i].To < m[k][j].To })
	}
	return m
}

// graphText prints a tree; a node met again is marked rather than
// expanded twice, so cycles and shared dependencies print once and the tree
// has one line per edge at most. Each line is indented by its depth, so a
// chain of n entities would take n² characters: the tree stops at depth
// levels (negative: no limit), marks the nodes it did not expand, and ends
// with how many entities it left out.
func graphText(w *bufio.Writer, root string, edges []catalog.Edge, depth int) {
	m := byFrom(edges)
	w.WriteString(SafeLine(root) + "\n")
	expanded := map[string]bool{root: true}
	cut := 0
	// An explicit stack, not recursion: a chain of 100,000 entities is as
	// deep as the tree goes.
	// Each frame keeps its own piece of the indentation ("│   " or
	// "    "), not the whole prefix: the memory stays linear in the depth.
	type frame struct {
		es    []catalog.Edge
		piece string
	}
	stack := []frame{{m[root], ""}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if len(f.es) == 0 {
			stack = stack[:len(stack)-1]
			continue
		}
		e := f.es[0]
		f.es = f.es[1:]
		branch, next := "├── ", "│   "
		if len(f.es) == 0 {
			branch, next = "└── ", "    "
		}
		note := ""
		deeper := len(m[e.To]) > 0
		switch {
		case expanded[e.To] && deeper:
			note = " (shown above)"
		case deeper && depth >= 0 && len(stack) >= depth:
			note = " (…: cut at depth " + strconv.Itoa(depth) + ")"
			cut++
		}
		for i := range stack {
			w.WriteString(stack[i].piece)
		}
		w.WriteString(branch + SafeLine(e.Label) + " " + SafeLine(e.To) + note + "\n")
		if !expanded[e.To] && note == "" {
			expanded[e.To] = true
			stack = append(stack, frame{m[e.To], next})
		}
	}
	if len(m[root]) == 0 {
		w.WriteString("(nothing)\n")
	}
	if cut > 0 {
		shown := map[string]bool{root: true}
		for n := range expanded {
			shown[n] = true
			for _, e := range m[n] {
				shown[e.To] = true
			}
		}
		reach := map[string]bool{root: true}
		for _, e := range edges {
			reach[e.From], reach[e.To] = true, true
		}
		fmt.Fprintf(w, "(cut at depth %d: %d more %s below the %d %s marked …; --depth N shows more, --depth -1 all)\n",
			depth, len(reach)-len(shown), plural2(len(reach)-len(shown), "entity", "entities"), cut, plural2(cut, "node", "nodes"))
	}
}

func plural2(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func nodeIDs(root string, edges []catalog.Edge) (map[string]string, []string) {
	ids := map[string]string{root: "n0"}
	order := []string{root}
	for _, e := range edges {
		for _, n := range []string{e.From, e.To} {
			if _, ok := ids[n]; !ok {
				ids[n] = fmt.Sprintf("n%d", len(ids))
				order = append(order, n)
			}
		}
	}
	return ids, order
}

func graphMermaid(w *bufio.Writer, root string, edges []catalog.Edge) {
	ids, order := nodeIDs(root, edges)
	w.WriteString("graph LR\n")
	for _, n := range order {
		fmt.Fprintf(w, "  %s[\"%s\"]\n", ids[n], strings.ReplaceAll(SafeLine(n), `"`, "#quot;"))
	}
	for _, e := range edges {
		fmt.Fprintf(w, "  %s -->|%s| %s\n", ids[e.From], strings.ReplaceAll(SafeLine(e.Label), "|", "#124;"), ids[e.To])
	}
}

func graphDOT(w *bufio.Writer, root string, edges []catalog.Edge) {
	_, order := nodeIDs(root, edges)
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(SafeLine(s)) + `"`
	}
	w.WriteString("digraph catalint {\n  rankdir=LR;\n")
	for _, n := range order {
		fmt.Fprintf(w, "  %s;\n", q(n))
	}
	for _, e := range edges {
		fmt.Fprintf(w, "  %s -> %s [label=%s];\n", q(e.From), q(e.To), q(e.Label))
	}
	w.WriteString("}\n")
}
