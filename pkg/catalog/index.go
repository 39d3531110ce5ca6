package catalog

import (
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// Index finds entities by reference, case-insensitively, as Backstage does.
type Index struct {
	byKey  map[string][]*Entity
	byKind map[string][]*Entity
	// byLen buckets each kind's entities by name length, so that Suggest
	// only measures names that can be near.
	byLen map[string]map[int][]*Entity
	all   []*Entity
	// Model is the catalog model whose relation fields the graph follows
	// (nil: the built-in kinds).
	Model *entity.Model
}

// NewIndex indexes entities. Later entries with the same reference are
// kept too: Duplicates reports them.
func NewIndex(entities []Entity) *Index {
	ix := &Index{byKey: map[string][]*Entity{}, byKind: map[string][]*Entity{}, byLen: map[string]map[int][]*Entity{}}
	for i := range entities {
		ix.Add(&entities[i])
	}
	return ix
}

// Add adds one entity.
func (ix *Index) Add(e *Entity) {
	k := key(e.Kind, e.Namespace, e.Name)
	ix.byKey[k] = append(ix.byKey[k], e)
	lk := strings.ToLower(e.Kind)
	ix.byKind[lk] = append(ix.byKind[lk], e)
	if ix.byLen[lk] == nil {
		ix.byLen[lk] = map[int][]*Entity{}
	}
	n := len([]rune(e.Name))
	ix.byLen[lk][n] = append(ix.byLen[lk][n], e)
	ix.all = append(ix.all, e)
}

// Len is the number of entities.
func (ix *Index) Len() int { return len(ix.all) }

// All returns every entity, in the order added.
func (ix *Index) All() []*Entity { return ix.all }

// Lookup returns the entities with a reference.
func (ix *Index) Lookup(r entity.Ref) []*Entity {
	return ix.byKey[key(r.Kind, r.Namespace, r.Name)]
}

// Get returns the first entity with a reference, or nil.
func (ix *Index) Get(r entity.Ref) *Entity {
	if es := ix.Lookup(r); len(es) > 0 {
		return es[0]
	}
	return nil
}

// FindName returns the entities of any kind with a namespace and name.
func (ix *Index) FindName(namespace, name string) []*Entity {
	var out []*Entity
	for _, es := range ix.byKind {
		for _, e := range es {
			if strings.EqualFold(e.Namespace, namespace) && strings.EqualFold(e.Name, name) {
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref().String() < out[j].Ref().String() })
	return out
}

// Suggest returns up to n existing references close to r among the given
// kinds (all kinds when none), nearest first, in canonical form.
func (ix *Index) Suggest(r entity.Ref, kinds []string, n int) []string {
	if len(kinds) == 0 {
		kinds = []string{r.Kind}
	}
	type cand struct {
		ref string
		d   int
	}
	want := strings.ToLower(r.Name)
	limit := min(max(len(want)/3, 1), 3)
	var cs []cand
	seen := map[string]bool{}
	wl := len([]rune(want))
	for _, k := range kinds {
		buckets := ix.byLen[strings.ToLower(k)]
		for l := wl - limit; l <= wl+limit; l++ {
			for _, e := range buckets[l] {
				d, ok := entity.Within(want, e.Name, limit)
				if !ok {
					continue
				}
				if !strings.EqualFold(e.Namespace, r.Namespace) {
					d++ // another namespace is a bigger step
				}
				if d > limit {
					continue
				}
				if ref := e.Ref().String(); !seen[ref] {
					seen[ref] = true
					cs = append(cs, cand{ref, d})
				}
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].ref < cs[j].ref
	})
	out := make([]string, 0, n)
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].ref)
	}
	return out
}

// Targets returns the references an entity's relation field holds, parsed
// with the field's default kind and the entity's namespace. Values that do
// not parse are skipped (the ref-format rule reports them).
func Targets(e *Entity, rel entity.Relation) []entity.Ref {
	v, ok := e.Spec()[rel.Field]
	if !ok {
		return nil
	}
	var raw []string
	switch v := v.(type) {
	case string:
		raw = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				raw = append(raw, s)
			}
		}
	}
	var out []entity.Ref
	for _, s := range raw {
		if s == "" {
			continue
		}
		r, err := entity.ParseRef(s, rel.DefaultKind, e.Namespace)
		if err == nil {
			out = append(out, r)
		}
	}
	return out
}
