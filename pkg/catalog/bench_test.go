package catalog

import (
	"fmt"
	"testing"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// bigCatalog makes n entities: a quarter Resources, the rest Components
// that each depend on two Resources, consume an API-less system, and are
// part of a System.
func bigCatalog(n int) []Entity {
	es := make([]Entity, 0, n)
	for i := 0; i < n; i++ {
		if i%4 == 0 {
			es = append(es, ent("Resource", fmt.Sprintf("db-%d", i), map[string]any{"type": "database", "owner": "team"}))
			continue
		}
		es = append(es, ent("Component", fmt.Sprintf("svc-%d", i), map[string]any{
			"type": "service", "lifecycle": "production", "owner": "team",
			"system":    fmt.Sprintf("sys-%d", i%100),
			"dependsOn": []any{fmt.Sprintf("resource:db-%d", (i/4)*4), fmt.Sprintf("resource:db-%d", ((i/4+1)*4)%n)},
		}))
	}
	return es
}

// BenchmarkResolve100k builds the index of a 100,000-entity catalog and
// resolves every reference of every entity, then looks for cycles.
func BenchmarkResolve100k(b *testing.B) {
	es := bigCatalog(100_000)
	info, _ := entity.Builtin().ByName("Component")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ix := NewIndex(es)
		found, missing := 0, 0
		for _, e := range ix.All() {
			if e.Kind != "Component" {
				continue
			}
			for _, rel := range info.Relations {
				for _, t := range Targets(e, rel) {
					if ix.Get(t) != nil {
						found++
					} else {
						missing++
					}
				}
			}
		}
		if found != 150_000 || missing != 150_000 { // owner and system do not exist
			b.Fatalf("found %d, missing %d", found, missing)
		}
		_ = Cycles(DependencyEdges(ix))
	}
}

// BenchmarkSuggest measures a "did you mean" look-up in 100,000 entities.
func BenchmarkSuggest(b *testing.B) {
	ix := NewIndex(bigCatalog(100_000))
	r := entity.Ref{Kind: "Resource", Namespace: "default", Name: "db-4000x"}
	b.ResetTimer()
	for range b.N {
		if len(ix.Suggest(r, nil, 1)) == 0 {
			b.Fatal("no suggestion")
		}
	}
}
