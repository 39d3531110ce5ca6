package catalog

import (
	"slices"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// Edge is one relation between two entities, by canonical reference.
type Edge struct {
	From, To string
	// Label is the spec field the edge comes from, as written on From's side.
	Label string
}

// RelationEdges returns the edges of one relation field of one kind (any
// version of it in the index's model), turned so that From→To reads
// "From <field> To".
func RelationEdges(ix *Index, kind, field string) []Edge {
	for _, rel := range ix.Model.Relations(kind) {
		if rel.Field == field {
			return relationEdges(ix, kind, rel, field)
		}
	}
	return nil
}

func relationEdges(ix *Index, kind string, rel entity.Relation, label string) []Edge {
	var out []Edge
	for _, e := range ix.byKind[strings.ToLower(kind)] {
		from := e.Ref().String()
		for _, t := range Targets(e, rel) {
			out = append(out, Edge{From: from, To: t.String(), Label: label})
		}
	}
	return out
}

// reversed turns edges around and relabels them.
func reversed(es []Edge, label string) []Edge {
	out := make([]Edge, len(es))
	for i, e := range es {
		out[i] = Edge{From: e.To, To: e.From, Label: label}
	}
	return out
}

// DependencyEdges are the edges of "A needs B", from the relation fields of
// every kind of the index's model: dependsOn, dependencyOf (turned around),
// consumesApi, and an API's need of the component that provides it
// (providesApi turned around).
func DependencyEdges(ix *Index) []Edge {
	return dependencyEdges(ix, "")
}

// DependsOnEdges are the DependencyEdges labelled dependsOn (dependsOn,
// and dependencyOf turned around), without making the others.
func DependsOnEdges(ix *Index) []Edge {
	return dependencyEdges(ix, "dependsOn")
}

// dependencyEdges makes the dependency edges labelled only, or all of
// them for "".
func dependencyEdges(ix *Index, only string) []Edge {
	var out []Edge
	for _, kind := range ix.Model.Names() {
		for _, rel := range ix.Model.Relations(kind) {
			label, turned := "", false
			switch rel.Relation {
			case entity.RelDependsOn:
				label = "dependsOn"
			case entity.RelDependencyOf:
				label, turned = "dependsOn", true
			case entity.RelConsumesAPI:
				label = rel.Field
			case entity.RelProvidesAPI:
				label, turned = "providedBy", true
			default:
				continue
			}
			if only != "" && label != only {
				continue
			}
			if turned {
				out = append(out, reversed(relationEdges(ix, kind, rel, ""), label)...)
			} else {
				out = append(out, relationEdges(ix, kind, rel, label)...)
			}
		}
	}
	return sortEdges(out)
}

// HierarchyEdges are the "part of" edges that must not form cycles:
// subcomponentOf, Group parent (and children turned around), subdomainOf.
func HierarchyEdges(ix *Index) map[string][]Edge {
	return map[string][]Edge{
		"subcomponentOf": sortEdges(RelationEdges(ix, "Component", "subcomponentOf")),
		"parent": sortEdges(append(RelationEdges(ix, "Group", "parent"),
			reversed(RelationEdges(ix, "Group", "children"), "parent")...)),
		"subdomainOf": sortEdges(RelationEdges(ix, "Domain", "subdomainOf")),
	}
}

func sortEdges(es []Edge) []Edge {
	slices.SortFunc(es, func(a, b Edge) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		if c := strings.Compare(a.To, b.To); c != 0 {
			return c
		}
		return strings.Compare(a.Label, b.Label)
	})
	// Drop exact repeats (dependsOn and the target's dependencyOf).
	out := es[:0]
	for i, e := range es {
		if i > 0 && e == es[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func adjacency(es []Edge) map[string][]string {
	adj := map[string][]string{}
	for _, e := range es {
		adj[e.From] = append(adj[e.From], e.To)
	}
	for k := range adj {
		sort.Strings(adj[k])
	}
	return adj
}

// Cycles returns each elementary cycle found by a depth-first search, once,
// rotated to start at its smallest reference; sorted.
func Cycles(es []Edge) [][]string {
	adj := adjacency(es)
	nodes := make([]string, 0, len(adj))
	for n := range adj {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	seen := map[string]bool{}
	var out [][]string
	var keys []string // out[i] joined, the sort key
	var visit func(n string)
	visit = func(n string) {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range adj[n] {
			switch color[m] {
			case white:
				visit(m)
			case grey:
				// m is on the stack: the cycle is stack[m:].
				i := len(stack) - 1
				for stack[i] != m {
					i--
				}
				cyc := rotate(append([]string(nil), stack[i:]...))
				k := strings.Join(cyc, " ")
				if !seen[k] {
					seen[k] = true
					out = append(out, cyc)
					keys = append(keys, k)
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
	}
	for _, n := range nodes {
		if color[n] == white {
			visit(n)
		}
	}
	// Sorted by their joined names, each joined once.
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	sorted := make([][]string, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

func rotate(c []string) []string {
	min := 0
	for i := range c {
		if c[i] < c[min] {
			min = i
		}
	}
	return append(c[min:], c[:min]...)
}

// Reach returns what start reaches through the edges (or, reversed, what
// reaches start), breadth first, with the edges used; start is excluded.
func Reach(es []Edge, start string, reverse bool) ([]string, []Edge) {
	if reverse {
		es = reversed(es, "")
		for i := range es {
			es[i].Label = "neededBy"
		}
	}
	byFrom := map[string][]Edge{}
	for _, e := range es {
		byFrom[e.From] = append(byFrom[e.From], e)
	}
	seen := map[string]bool{start: true}
	queue := []string{start}
	var nodes []string
	var used []Edge
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range byFrom[n] {
			used = append(used, e)
			if !seen[e.To] {
				seen[e.To] = true
				nodes = append(nodes, e.To)
				queue = append(queue, e.To)
			}
		}
	}
	return nodes, used
}
