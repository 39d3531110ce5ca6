package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/load"
)

// loadOneByOne is Files.Load as one reader going through the queue does
// it: the order Files.Load keeps while reading each round on all cores.
func loadOneByOne(f *Files) []Entity {
	targets, _ := load.Discover(f.Paths, f.Ignorer)
	seen := map[string]bool{}
	for _, t := range targets {
		seen[absPath(t.Path)] = true
	}
	var out []Entity
	for len(targets) > 0 {
		t := targets[0]
		targets = targets[1:]
		file := load.ReadFile(t.Path, t.Display, f.Options)
		for _, d := range file.Docs {
			if e, ok := FromDoc(d, f.Name()); ok {
				out = append(out, e)
			}
			for _, lt := range load.LocationTargets(d.Root) {
				if !lt.Followable() {
					continue
				}
				files, err := load.ExpandTarget(t.Path, lt.Text(), file.Root)
				if err != nil {
					continue
				}
				for _, p := range files {
					if k := absPath(p); !seen[k] && !f.Ignorer.Match(p) {
						seen[k] = true
						targets = append(targets, load.Target{Path: p, Display: p})
					}
				}
			}
		}
	}
	return out
}

func TestFilesOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loc := func(name string, targets ...string) string {
		s := fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: %s}\nspec:\n  targets:\n", name)
		for _, tg := range targets {
			s += "    - " + tg + "\n"
		}
		return s
	}
	comp := func(name string) string {
		return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %s}\nspec: {type: service, lifecycle: production, owner: team-a}\n", name)
	}
	// Several roots whose Locations reach the same files, in chains and
	// in globs, some twice.
	for i := 0; i < 12; i++ {
		write(fmt.Sprintf("r%02d/catalog-info.yaml", i), loc(fmt.Sprintf("root-%d", i), fmt.Sprintf("../shared/s%d.txt", i%4), "../shared/s*.txt", fmt.Sprintf("./own-%d.txt", i))+"---\n"+comp(fmt.Sprintf("c-%d", i)))
		write(fmt.Sprintf("r%02d/own-%d.txt", i, i), comp(fmt.Sprintf("own-%d", i))+"---\n"+loc(fmt.Sprintf("deep-%d", i), fmt.Sprintf("../deep/d%d.txt", (i+1)%5)))
	}
	for i := 0; i < 4; i++ {
		write(fmt.Sprintf("shared/s%d.txt", i), comp(fmt.Sprintf("s-%d", i))+"---\n"+loc(fmt.Sprintf("sl-%d", i), fmt.Sprintf("../deep/d%d.txt", i)))
	}
	for i := 0; i < 5; i++ {
		write(fmt.Sprintf("deep/d%d.txt", i), comp(fmt.Sprintf("d-%d", i)))
	}
	ig, _ := load.NewIgnorer(nil, true)
	f := &Files{Paths: []string{dir}, Ignorer: ig}
	want := loadOneByOne(f)
	got, err := f.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) < 40 {
		t.Fatalf("got %d entities, one by one %d", len(got), len(want))
	}
	// The files only Locations reach (not .yaml: the folder search does
	// not take them) are read too.
	reached := 0
	for _, e := range got {
		if filepath.Ext(strings.SplitN(e.Location, ":", 2)[0]) == ".txt" {
			reached++
		}
	}
	if reached < 20 {
		t.Errorf("%d entities from files Locations reach", reached)
	}
	for i := range want {
		if got[i].Ref() != want[i].Ref() || got[i].Location != want[i].Location {
			t.Errorf("entity %d: %s at %s, one by one %s at %s", i, got[i].Ref(), got[i].Location, want[i].Ref(), want[i].Location)
		}
	}
}
