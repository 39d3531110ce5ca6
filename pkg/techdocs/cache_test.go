package techdocs

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestCache holds the memo to CheckRef: the same problems for each
// reference, under concurrent calls, each caller with its own slice, and
// one check per key (a site changed after the first call is not read
// again by the cache, as it would be by CheckRef).
func TestCache(t *testing.T) {
	src := repo(t)
	tmp := t.TempDir()
	for _, site := range []string{"broken", "good", "noconfig"} {
		if err := os.CopyFS(filepath.Join(tmp, site), os.DirFS(filepath.Join(src, site))); err != nil {
			t.Fatal(err)
		}
	}
	c := NewCache()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		for _, site := range []string{"broken", "good", "noconfig"} {
			wg.Go(func() {
				cat := filepath.Join(tmp, site, "catalog-info.yaml")
				want := render(tmp, CheckRef("dir:.", cat, tmp))
				if got := render(tmp, c.CheckRefAt("dir:.", cat, tmp, "")); got != want {
					t.Errorf("%s: cached\n%s\nwant\n%s", site, got, want)
				}
			})
		}
	}
	wg.Wait()

	cat := filepath.Join(tmp, "broken", "catalog-info.yaml")
	first := c.CheckRefAt("dir:.", cat, tmp, "")
	if len(first) == 0 {
		t.Fatal("broken site: no problems")
	}
	first[0].Message = "changed by the caller"
	if err := os.Remove(filepath.Join(tmp, "broken", "mkdocs.yml")); err != nil {
		t.Fatal(err)
	}
	again := c.CheckRefAt("dir:.", cat, tmp, "")
	if again[0].Message == "changed by the caller" {
		t.Error("a caller's change to its result reached the cache")
	}
	if render(tmp, again) == render(tmp, CheckRef("dir:.", cat, tmp)) {
		t.Error("the cache checked the site again (or CheckRef did not see mkdocs.yml go)")
	}
	var none *Cache
	if got, want := render(tmp, none.CheckRefAt("dir:.", cat, tmp, "")), render(tmp, CheckRef("dir:.", cat, tmp)); got != want {
		t.Errorf("nil cache:\n%s\nwant\n%s", got, want)
	}
}
