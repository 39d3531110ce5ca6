package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// copyTree copies a folder of test data into a new temporary repository.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dst, ".git"), 0o755)
	return dst
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

// TestCheckAppConfig checks the fixture repository of the integration test
// without a backend: the messages, positions and exit codes.
func TestCheckAppConfig(t *testing.T) {
	repo := copyTree(t, filepath.Join("..", "appconfig", "testdata", "repo"))
	chdir(t, repo)
	r := run(t, "", nil, "check", "--only", "schema", "--no-snippet", "--app-config", "app-config.yaml")
	if r.code != ExitProblems {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		// a global rule with a spec.type: the whole glob location fails
		"catalog/systems.yaml:17:7: error: kind Resource (spec.type s3-bucket) is not allowed from catalog.locations[0] (file:" + filepath.Join(repo, "catalog", "*.yaml") + "): the rules that apply there (catalog.rules[0]; catalog.rules[1]) allow only Component, API, Location, System, Resource (spec.type database). Backstage then fails that whole location and ingests nothing it reads [catalog-rule]",
		// no location rule for this one
		"catalog/org/strays.yaml:11:7: error: kind Group is not allowed from catalog.locations[2]",
		// through a Location entity: its origin is the registered location
		"catalog/nested/two.yaml:11:7: error: kind Domain is not allowed from catalog.locations[3] (file:" + filepath.Join(repo, "catalog", "nested", "all.yaml") + "), through a Location entity: ",
		"Backstage then fails that Location entity and ingests neither it nor anything it reads [catalog-rule]",
		"= the Location entity in catalog/nested/all.yaml (document 1) reads 3 entities (2 files), none ingested",
		// a pattern that does not match this location
		"catalog/domains/business.yaml:2:7: error: kind Domain is not allowed from catalog.locations[5]",
		"5 errors, 0 warnings, 1 notice in 14 files (24 documents)",
		// a YAML error fails its location too
		"catalog/broken/bad.yaml:5:3: notice: this yaml error fails the processing of catalog.locations[6] (file:" + filepath.Join(repo, "catalog", "broken", "*.yaml") + "): Backstage then ingests nothing it reads, so also not the 1 entity of its other files [catalog-rule]",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing\n%s\nin\n%s", want, r.out)
		}
	}
	// Allowed by location rules (a lower-case kind) and by a pattern
	// (a lower-case kind and an upper-case type).
	for _, not := range []string{"catalog/org/groups.yaml", "product-area.yaml"} {
		if strings.Contains(r.out, not) {
			t.Errorf("%s is allowed:\n%s", not, r.out)
		}
	}

	// Paths given: only those are checked; files a registered location
	// reaches keep its rules, others get none.
	os.WriteFile(filepath.Join(repo, "unregistered.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: lone}\nspec: {owner: x}\n"), 0o644)
	r = run(t, "", nil, "check", "--only", "schema", "--no-snippet", "--app-config", "app-config.yaml", "catalog/org/strays.yaml", "unregistered.yaml")
	if r.code != ExitProblems || strings.Count(r.out, "[catalog-rule]") != 1 || !strings.Contains(r.out, "catalog/org/strays.yaml:11:7") || !strings.Contains(r.out, "in 2 files") {
		t.Errorf("named paths: exit %d\n%s", r.code, r.out)
	}

	// .catalint.yaml: backstage.appConfig and backendDir, relative to it.
	os.MkdirAll(filepath.Join(repo, "tools"), 0o755)
	os.WriteFile(filepath.Join(repo, "tools", "catalint.yaml"), []byte("backstage:\n  appConfig: [../app-config.yaml, ../app-config.defaults.yaml]\n  backendDir: ../packages/backend\n"), 0o644)
	r = run(t, "", nil, "check", "--only", "schema", "--no-snippet", "--config", "tools/catalint.yaml")
	if !strings.Contains(r.out, "the rules that apply there (Backstage's default rules, as catalog.rules is not set) allow only Component, API, Location") {
		t.Errorf("backstage.appConfig in .catalint.yaml: exit %d\n%s%s", r.code, r.out, r.err)
	}
	if strings.Contains(r.out, "backstage.appConfig") {
		t.Errorf("unexpected: %s", r.out)
	}
}

func TestAppConfigUsageErrors(t *testing.T) {
	repo := copyTree(t, filepath.Join("..", "appconfig", "testdata", "repo"))
	chdir(t, repo)
	os.WriteFile("bad.yaml", []byte("catalog:\n  locations:\n    - type: file\n      target: [a]\n"), 0o644)
	os.WriteFile("catalint.yaml", []byte("backstage:\n  appConfigs: [x]\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--app-config", "nope.yaml"}, "app-config nope.yaml: no such file"},
		{[]string{"--app-config", "app-config.yaml", "--app-config", "bad.yaml"}, "app-config bad.yaml:4:15: catalog.locations[0].target must be a string, not an array"},
		{[]string{"--config", "catalint.yaml"}, "catalint.yaml:2:3"},
	} {
		r := run(t, "", nil, append([]string{"check"}, tc.args...)...)
		if r.code != ExitUsage || !strings.Contains(r.err, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q\n%s%s", tc.args, r.code, tc.want, r.out, r.err)
		}
	}
}

// TestAppConfigUnknownKind: a kind the rules allow that no known kind
// provides is one message at the allow list, not one error per entity.
func TestAppConfigUnknownKind(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "ai"), 0o755)
	os.WriteFile(filepath.Join(dir, "app-config.yaml"), []byte(`catalog:
  rules:
    - allow: [Component, API, Location, AiResource, Pipeline]
  locations:
    - {type: file, target: ./ai/*.yaml}
`), 0o644)
	var docs []string
	for _, n := range []string{"review-skill", "lint-rule", "deploy-skill"} {
		docs = append(docs, "apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: "+n+"\nspec:\n  type: skill\n  owner: team-a\n")
	}
	os.WriteFile(filepath.Join(dir, "ai", "skills.yaml"), []byte(strings.Join(docs, "---\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "ai", "api.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: tools\nspec:\n  type: mcp-server\n  lifecycle: production\n  owner: team-a\n  definition: x\n"), 0o644)
	chdir(t, dir)
	r := run(t, "", nil, "check", "--only", "schema", "--no-snippet", "--app-config", "app-config.yaml", "-f", "json")
	var out struct {
		Diagnostics []struct {
			File, Rule, Severity, Message string
			Line                          int
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(r.out), &out); err != nil {
		t.Fatalf("%v\n%s%s", err, r.out, r.err)
	}
	var got []string
	for _, d := range out.Diagnostics {
		got = append(got, d.File+":"+d.Severity+":"+d.Rule)
		if d.Rule == "kind" {
			t.Errorf("a kind error per entity: %+v", d)
		}
	}
	sort.Strings(got)
	want := []string{"app-config.yaml:error:catalog-rule", "app-config.yaml:notice:catalog-rule"}
	if strings.Join(got, " ") != strings.Join(want, " ") || r.code != ExitProblems {
		t.Fatalf("exit %d, diagnostics %v, want %v\n%s", r.code, got, want, r.out)
	}
	for _, d := range out.Diagnostics {
		switch d.Severity {
		case "error":
			if d.Line != 3 || !strings.Contains(d.Message, "allows kind AiResource, which catalint does not know") || !strings.Contains(d.Message, "Its 3 entities (first in ai/skills.yaml) are not checked") {
				t.Errorf("AiResource: %+v", d)
			}
		case "notice":
			if !strings.Contains(d.Message, "allows kind Pipeline") || !strings.Contains(d.Message, "no checked file has one") {
				t.Errorf("Pipeline: %+v", d)
			}
		}
	}
}

// TestAppConfigNewFromRev: the baseline checks the same registered
// locations as they were at the revision, so an old catalog-rule error is
// marked as such and a new one fails.
func TestAppConfigNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	git(t, dir, "init", "-q", "-b", "main")
	os.MkdirAll(filepath.Join(dir, "catalog"), 0o755)
	os.WriteFile(filepath.Join(dir, "app-config.yaml"), []byte("catalog:\n  locations:\n    - {type: file, target: ./catalog/*.yaml}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog", "old.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: old}\nspec: {owner: a}\n"), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "old debt")
	git(t, dir, "checkout", "-q", "-b", "pr")
	chdir(t, dir)
	r := run(t, "", nil, "check", "--no-snippet", "--only", "schema", "--app-config", "app-config.yaml", "--new-from-rev", "main")
	if r.code != ExitOK || !strings.Contains(r.out, "catalog/old.yaml:2:7: error: kind System is not allowed") || !strings.Contains(r.out, "[catalog-rule] (baseline)") {
		t.Errorf("old debt only: exit %d\n%s%s", r.code, r.out, r.err)
	}
	os.WriteFile(filepath.Join(dir, "catalog", "new.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata: {name: new}\nspec: {owner: a}\n"), 0o644)
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema", "--app-config", "app-config.yaml", "--new-from-rev", "main")
	if r.code != ExitProblems || !strings.Contains(r.out, "catalog/new.yaml:2:7: error: kind Domain is not allowed") || strings.Count(r.out, "[catalog-rule] (baseline)") != 1 {
		t.Errorf("a new error: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// TestAppConfigURLTargets: url locations and url Location targets into this
// repository (its git remote, or --repo-url) are read from the checkout.
func TestAppConfigURLTargets(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "catalog"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("[remote \"origin\"]\n\turl = git@github.com:acme/platform.git\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "app-config.yaml"), []byte(`catalog:
  locations:
    - {type: url, target: https://github.com/acme/platform/blob/main/catalog/all.yaml}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog", "all.yaml"), []byte(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: all}
spec:
  type: url
  targets:
    - https://github.com/acme/platform/blob/main/catalog/team.yaml
    - https://github.com/acme/elsewhere/blob/main/catalog-info.yaml
`), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog", "team.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team}\nspec: {type: team, children: []}\n"), 0o644)
	chdir(t, dir)
	r := run(t, "", nil, "check", "--no-snippet", "--app-config", "app-config.yaml")
	for _, want := range []string{
		"catalog/team.yaml:2:7: error: kind Group is not allowed from catalog.locations[0] (url:https://github.com/acme/platform/blob/main/catalog/all.yaml), through a Location entity",
		"catalog/all.yaml:8:7: notice: remote Location target https://github.com/acme/elsewhere/blob/main/catalog-info.yaml is not followed",
		"in 2 files",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing %q in\n%s%s", want, r.out, r.err)
		}
	}
	if r.code != ExitProblems {
		t.Errorf("exit %d", r.code)
	}
}
