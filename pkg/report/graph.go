package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// GraphFormats lists the formats of `catalint graph`.
var GraphFormats = []string{"text", "mermaid", "dot"}

// Graph writes the part of a dependency graph reachable from root.
func Graph(w io.Writer, format, root string, edges []catalog.Edge) error {
	switch format {
	case "mermaid":
		return graphMermaid(w, root, edges)
	case "dot":
		return graphDOT(w, root, edges)
	}
	return graphText(w, root, edges)
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
// expanded twice, so cycles and shared dependencies print once.
func graphText(w io.Writer, root string, edges []catalog.Edge) error {
	m := byFrom(edges)
	var b strings.Builder
	b.WriteString(root + "\n")
	expanded := map[string]bool{root: true}
	var walk func(n, prefix string)
	walk = func(n, prefix string) {
		es := m[n]
		for i, e := range es {
			branch, next := "├── ", "│   "
			if i == len(es)-1 {
				branch, next = "└── ", "    "
			}
			note := ""
			if expanded[e.To] && len(m[e.To]) > 0 {
				note = " (shown above)"
			}
			fmt.Fprintf(&b, "%s%s%s %s%s\n", prefix, branch, e.Label, e.To, note)
			if !expanded[e.To] {
				expanded[e.To] = true
				walk(e.To, prefix+next)
			}
		}
	}
	walk(root, "")
	if len(m[root]) == 0 {
		b.WriteString("(nothing)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
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

func graphMermaid(w io.Writer, root string, edges []catalog.Edge) error {
	ids, order := nodeIDs(root, edges)
	var b strings.Builder
	b.WriteString("graph LR\n")
	for _, n := range order {
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", ids[n], strings.ReplaceAll(n, `"`, "#quot;"))
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s -->|%s| %s\n", ids[e.From], e.Label, ids[e.To])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func graphDOT(w io.Writer, root string, edges []catalog.Edge) error {
	_, order := nodeIDs(root, edges)
	q := func(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
	var b strings.Builder
	b.WriteString("digraph catalint {\n  rankdir=LR;\n")
	for _, n := range order {
		fmt.Fprintf(&b, "  %s;\n", q(n))
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", q(e.From), q(e.To), q(e.Label))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
