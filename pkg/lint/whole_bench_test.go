package lint

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// BenchmarkWholeCatalog runs every default rule over the tree named by
// CATALINT_WHOLE_TREE (scripts/gencatalog -external-definitions writes
// one; scripts/bench-whole.sh times the CLI on it). Without it the
// benchmark is skipped. CATALINT_WHOLE_HEAP names a file to write the
// heap the result retains to (go tool pprof -sample_index=inuse_space).
func BenchmarkWholeCatalog(b *testing.B) {
	dir := os.Getenv("CATALINT_WHOLE_TREE")
	if dir == "" {
		b.Skip("CATALINT_WHOLE_TREE is not set")
	}
	sel, err := NewSelection(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, FollowLocations: true, NoSources: true, NeedCatalog: true})
		if err != nil {
			b.Fatal(err)
		}
		if p := os.Getenv("CATALINT_WHOLE_HEAP"); p != "" {
			runtime.GC()
			f, err := os.Create(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := pprof.WriteHeapProfile(f); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		runtime.KeepAlive(res)
	}
}
