package load
import ("testing";"path/filepath";"runtime";"time")
func TestZZAlloc(t *testing.T) {
	for _, st := range []string{"block", "pyyaml"} {
	files, _ := filepath.Glob("/tmp/fp/tree-"+st+"/repo-*/catalog-info.yaml")
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	n := 0
	start := time.Now()
	for _, f := range files {
		fl := ReadFile(f, f, Options{})
		n += len(fl.Src)
	}
	el := time.Since(start)
	runtime.ReadMemStats(&m1)
	t.Logf("%s: %d files %d MB src, alloc %d MB, %d mallocs, %v", st, len(files), n>>20, (m1.TotalAlloc-m0.TotalAlloc)>>20, m1.Mallocs-m0.Mallocs, el)
	}
}
