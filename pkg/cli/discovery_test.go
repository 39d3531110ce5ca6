package cli

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const mixedRepo = "../load/testdata/discovery/mixed"

// checkedFiles runs check with JSON output and returns the files its
// entities came from, relative to root.
func checkedFiles(t *testing.T, root string, args ...string) ([]string, result) {
	t.Helper()
	r := run(t, "", nil, append([]string{"check", "--format", "json"}, args...)...)
	if r.code == ExitUsage || r.code == ExitFatal {
		return nil, r
	}
	var out struct {
		Entities []struct {
			File string `json:"file"`
		} `json:"entities"`
	}
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	seen := map[string]bool{}
	var files []string
	for _, e := range out.Entities {
		rel, err := filepath.Rel(root, e.File)
		if err != nil {
			t.Fatal(err)
		}
		if rel = filepath.ToSlash(rel); !seen[rel] {
			seen[rel] = true
			files = append(files, rel)
		}
	}
	sort.Strings(files)
	return files, r
}

func TestCheckFindsCatalogFilesByContent(t *testing.T) {
	files, r := checkedFiles(t, mixedRepo, mixedRepo)
	want := []string{
		"catalog-info.yaml",
		"catalog/apis/payments-api.yml",
		"catalog/broken.yaml",
		"catalog/systems.yaml",
		"org/people.yaml",
		"templates/new-service/template.yaml",
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("checked\n  %s\nwant\n  %s", strings.Join(files, "\n  "), strings.Join(want, "\n  "))
	}
	// The broken file is reported, and nothing else is wrong.
	if r.code != ExitProblems || !strings.Contains(r.out, `{"file":"../load/testdata/discovery/mixed/catalog/broken.yaml","line":5,`) || strings.Count(r.out, `"severity":"error"`) != 1 {
		t.Errorf("exit %d\n%s", r.code, r.out)
	}
}

func TestNothingToCheck(t *testing.T) {
	dir := t.TempDir()
	// Only YAML that is not a catalog file.
	write(t, dir, "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n")
	r := run(t, "", nil, "check", dir)
	if r.code != ExitUsage {
		t.Fatalf("exit %d, want %d (usage): %s%s", r.code, ExitUsage, r.out, r.err)
	}
	for _, w := range []string{"no catalog files found in " + dir, "catalog-info.yaml", "backstage.io/", "skeleton", "Name files", "--allow-empty"} {
		if !strings.Contains(r.err, w) {
			t.Errorf("stderr lacks %q: %s", w, r.err)
		}
	}
	if r.out != "" {
		t.Errorf("stdout %q", r.out)
	}
	r = run(t, "", nil, "check", "--allow-empty", dir)
	if r.code != ExitOK || !strings.Contains(r.err, "catalint: no catalog files found in "+dir+"; nothing checked (--allow-empty)") {
		t.Errorf("--allow-empty: exit %d, stderr %q", r.code, r.err)
	}
	// score has the same rule.
	if r := run(t, "", nil, "score", dir); r.code != ExitUsage {
		t.Errorf("score: exit %d", r.code)
	}
	// The folder of *.yaml entities that used to pass with "0 files".
	ent := t.TempDir()
	write(t, ent, "team.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n")
	if r := run(t, "", nil, "check", ent); r.code != ExitOK || !strings.Contains(r.out, "in 1 file (1 document)") {
		t.Errorf("entities folder: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestFilterFiles(t *testing.T) {
	k8s := filepath.Join(mixedRepo, "deploy/k8s/deployment.yaml")
	api := filepath.Join(mixedRepo, "catalog/apis/payments-api.yml")
	// Named, a Kubernetes manifest is checked and fails as an unknown kind.
	if r := run(t, "", nil, "check", k8s); r.code != ExitProblems {
		t.Errorf("named manifest: exit %d\n%s", r.code, r.out)
	}
	// The pre-commit hook's flags: a staged manifest alone is nothing to
	// check.
	r := run(t, "", nil, "check", "--filter-files", "--allow-empty", k8s, filepath.Join(mixedRepo, "main.go"))
	if r.code != ExitOK || !strings.Contains(r.err, "--filter-files left out the 2 named file(s)") {
		t.Errorf("--filter-files --allow-empty: exit %d, stderr %q", r.code, r.err)
	}
	if r := run(t, "", nil, "check", "--filter-files", k8s); r.code != ExitUsage {
		t.Errorf("--filter-files without --allow-empty: exit %d", r.code)
	}
	files, r := checkedFiles(t, mixedRepo, "--filter-files", k8s, api, filepath.Join(mixedRepo, "docker-compose.yml"))
	if r.code != ExitOK || !reflect.DeepEqual(files, []string{"catalog/apis/payments-api.yml"}) {
		t.Errorf("exit %d, checked %v\n%s", r.code, files, r.err)
	}
}

func TestDiscoveryConfig(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, ".catalint.yaml", "discovery:\n  include: ['entities/*.yaml']\n  exclude: [legacy]\n  apiVersions: [acme.example.com]\n")
	write(t, dir, "entities/noversion.yaml", "kind: Component\nmetadata:\n  name: x\n")
	write(t, dir, "legacy/old.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: old\n")
	write(t, dir, "custom.yaml", "apiVersion: acme.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n")
	files, r := checkedFiles(t, dir, "--config", filepath.Join(dir, ".catalint.yaml"), dir)
	if !reflect.DeepEqual(files, []string{"custom.yaml", "entities/noversion.yaml"}) {
		t.Errorf("checked %v (exit %d)\n%s", files, r.code, r.err)
	}
	write(t, dir, "bad.yaml", "discovery:\n  byContent: maybe\n")
	if r := run(t, "", nil, "check", "--config", filepath.Join(dir, "bad.yaml"), dir); r.code != ExitUsage || !strings.Contains(r.err, "byContent") {
		t.Errorf("bad config: exit %d %s", r.code, r.err)
	}
}
