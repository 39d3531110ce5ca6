package lint

import (
	"path/filepath"
	"strings"
)

// Ingestion sets: duplicates are about what one Backstage ingests
// together. Two definitions of one entity clash only when some Backstage
// reads both; the example catalogs of the separate plugins of a monorepo
// are never read by the same one. Each checked file belongs to one or
// more sets:
//
//   - a file named or found (a root) is in the set IngestionSet gives it;
//     by default DefaultIngestionSet: catalog-info.yaml files share the
//     "discovery" set (a discovery provider registers them all, across the
//     organisation's repositories), any other root is a set of its own;
//   - a file a Location entity reaches joins every set of the file that
//     reached it (transitively): a root all.yaml and the files it names
//     are one catalog.
//
// So entities compared for duplicates are those of one set.

// DiscoverySet is the ingestion set of the files discovery providers
// register.
const DiscoverySet = "discovery"

// DefaultIngestionSet is the set of a root file by default: "discovery"
// for catalog-info.yaml and catalog-info.yml, the file itself otherwise.
func DefaultIngestionSet(path string) string {
	switch strings.ToLower(filepath.Base(path)) {
	case "catalog-info.yaml", "catalog-info.yml":
		return DiscoverySet
	}
	return "file:" + key(path)
}

// ingestion records the sets of each checked file, by absolute path.
type ingestion struct {
	sets  map[string]map[string]bool
	edges map[string][]string // file → the files its Locations reach
}

func newIngestion() *ingestion {
	return &ingestion{sets: map[string]map[string]bool{}, edges: map[string][]string{}}
}

// root puts a root file in its set.
func (in *ingestion) root(path string, setOf func(string) string) {
	if setOf == nil {
		setOf = DefaultIngestionSet
	}
	k := absOf(path)
	if in.sets[k] == nil {
		in.sets[k] = map[string]bool{}
	}
	in.sets[k][setOf(path)] = true
}

// reach records that a Location of from names to.
func (in *ingestion) reach(from, to string) {
	f := absOf(from)
	in.edges[f] = append(in.edges[f], absOf(to))
}

// spread gives each reached file the sets of the files that reach it.
func (in *ingestion) spread() {
	var queue []string
	for k := range in.sets {
		queue = append(queue, k)
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, t := range in.edges[f] {
			ts := in.sets[t]
			if ts == nil {
				ts = map[string]bool{}
				in.sets[t] = ts
			}
			grew := false
			for s := range in.sets[f] {
				if !ts[s] {
					ts[s], grew = true, true
				}
			}
			if grew {
				queue = append(queue, t)
			}
		}
	}
}

// together reports whether one Backstage ingests both files (absolute
// paths, as checkedEntity.abs).
func (in *ingestion) together(a, b string) bool {
	if in == nil || a == b {
		return true
	}
	for s := range in.sets[a] {
		if in.sets[b][s] {
			return true
		}
	}
	return false
}
