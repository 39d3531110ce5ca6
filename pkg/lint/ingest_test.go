package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/load"
)

// copyTree copies a testdata folder into a temporary repository.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	dir := tree(t, nil)
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func duplicates(t *testing.T, lo load.Options, set func(string) string, paths ...string) []string {
	t.Helper()
	sel, _ := NewSelection([]string{RuleDuplicate}, nil)
	res, err := Run(t.Context(), Options{Paths: paths, Selection: sel, FollowLocations: true, Load: lo, IngestionSet: set})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		if d.Rule == RuleDuplicate {
			rel := strings.TrimPrefix(d.File, paths[0])
			out = append(out, rel+": "+d.Entity)
		}
	}
	return out
}

func TestDuplicatesOnlyWithinAnIngestionSet(t *testing.T) {
	// Two workspaces of backstage/community-plugins each define
	// system:default/examples in their own example catalog.
	repo := copyTree(t, "testdata/alarms/community-plugins")
	examples := filepath.Join(repo, "workspaces/*/examples/entities.yaml")
	if got := duplicates(t, load.Options{}, nil, examples); len(got) != 0 {
		t.Errorf("separate example catalogs: want no duplicate, got %v", got)
	}
	// One Backstage that registers both (an app-config's locations, as
	// the --app-config run will say) does see the clash.
	one := func(string) string { return "app-config" }
	if got := duplicates(t, load.Options{}, one, examples); len(got) != 1 || !strings.Contains(got[0], "system:default/examples") {
		t.Errorf("one ingestion set: want the duplicate, got %v", got)
	}
	// A root Location that names both makes them one catalog, also when
	// the files are given as roots of their own too.
	all := "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets:\n    - ./workspaces/akeyless/examples/entities.yaml\n    - ./workspaces/argocd/examples/entities.yaml\n"
	if err := os.WriteFile(filepath.Join(repo, "all.yaml"), []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, paths := range [][]string{{filepath.Join(repo, "all.yaml")}, {examples, filepath.Join(repo, "all.yaml")}} {
		if got := duplicates(t, load.Options{}, nil, paths...); len(got) != 1 || !strings.Contains(got[0], "system:default/examples") {
			t.Errorf("%v: want the duplicate through all.yaml, got %v", paths, got)
		}
	}
}

func TestDuplicatesAmongDiscoveredFiles(t *testing.T) {
	// catalog-info.yaml files are what discovery providers register: one
	// Backstage ingests them all.
	repo := tree(t, map[string]string{
		"a/catalog-info.yaml": comp("svc", ""),
		"b/catalog-info.yml":  comp("svc", ""),
		"c/other.yaml":        comp("svc", ""),
		// Two documents of one file are always ingested together.
		"d/two.yaml": comp("twice", "") + "---\n" + comp("twice", ""),
	})
	got := duplicates(t, load.Options{}, nil, repo, filepath.Join(repo, "c/other.yaml"), filepath.Join(repo, "d/two.yaml"))
	want := "/b/catalog-info.yml: component:default/svc\n/d/two.yaml: component:default/twice"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func TestIngestionSetsSpreadTransitively(t *testing.T) {
	in := newIngestion()
	in.root("/r/a.yaml", nil)
	in.root("/r/catalog-info.yaml", nil)
	in.reach("/r/a.yaml", "/r/b.yaml")
	in.reach("/r/b.yaml", "/r/c.yaml")
	in.reach("/r/c.yaml", "/r/b.yaml") // a cycle ends
	in.reach("/r/catalog-info.yaml", "/r/d.yaml")
	in.spread()
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"/r/a.yaml", "/r/c.yaml", true},
		{"/r/b.yaml", "/r/c.yaml", true},
		{"/r/c.yaml", "/r/d.yaml", false},
		{"/r/catalog-info.yaml", "/r/d.yaml", true},
		{"/r/a.yaml", "/r/catalog-info.yaml", false},
	} {
		if got := in.together(tt.a, tt.b); got != tt.want {
			t.Errorf("together(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}
