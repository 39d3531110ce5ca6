package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// With --min-score, an entity a Template's skeleton creates that scores
// below it is a warning at the skeleton's line; templates.values from
// .catalint.yaml fill what the template has no default for.
func TestGoldenPathScoreAndConfig(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		".catalint.yaml": "version: 1\ntemplates:\n  values:\n    svc:\n      owner: team-paymnets\n" +
			"  skeleton:\n    - match: {type: service}\n      forbid: [Jenkinsfile]\n",
		"template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: svc\n  description: A service\nspec:\n  owner: team-payments\n  type: service\n" +
			"  parameters:\n    properties:\n      name: {type: string, default: payments-api}\n      owner: {type: string, ui:field: OwnerPicker}\n" +
			"  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n        values:\n          name: ${{ parameters.name }}\n          owner: ${{ parameters.owner }}\n",
		"skeleton/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n",
		"skeleton/Jenkinsfile":       "pipeline {}\n",
		"teams.yaml":                 "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-payments\n  description: Payments\nspec:\n  type: team\n  children: []\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chdir(t, dir)
	r := run(t, "", nil, "check", "--no-snippet", "--github", "off", "--min-score", "90", "--catalog", "dir:.")
	for _, want := range []string{
		"skeleton/catalog-info.yaml:1:1: warning: the Component template `svc` creates scores",
		"skeleton/catalog-info.yaml:8:10: error: spec.owner: group team-paymnets does not exist in the catalog",
		`rendered by template ` + "`svc`" + ` with values.owner="team-paymnets" (config)`,
		"template.yaml:4:9: error: template `svc` ships Jenkinsfile, which no template of type service may",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("no %q in\n%s%s", want, r.out, r.err)
		}
	}
	if r.code != ExitProblems {
		t.Errorf("exit %d", r.code)
	}
}

// templates: is validated by the config schema, with positions.
func TestGoldenPathConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	for src, want := range map[string]string{
		"version: 1\ntemplates:\n  skeletons: []\n":                           `c.yaml:3:3: unknown field "skeletons"`,
		"version: 1\ntemplates:\n  skeleton:\n    - match: {kind: service}\n": `unknown field "kind"`,
		"version: 1\ntemplates:\n  values:\n    svc: [a, b]\n":                "c.yaml:4:",
	} {
		if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, "", nil, "check", "--config", cfg, "../../examples/acme")
		if r.code != ExitUsage || !strings.Contains(r.err, want) {
			t.Errorf("%q: exit %d, want %q in\n%s", src, r.code, want, r.err)
		}
	}
}

// The pre-commit hook's command line on a commit that changes only a
// skeleton: the Template that fetches it is rendered, so a broken
// skeleton is blocked although no catalog file a folder search takes
// changed.
func TestGoldenPathFilterFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"templates/svc/template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: svc\n  description: A service\nspec:\n  owner: team-payments\n  type: service\n" +
			"  parameters:\n    properties:\n      name: {type: string, default: payments-api}\n" +
			"  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ../../skeletons/service\n        values:\n          name: ${{ parameters.name }}\n",
		"skeletons/service/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}_svc!\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-payments\n",
		"README.md":                           "# shop\n",
		"other/values.yaml":                   "replicas: 2\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chdir(t, dir)
	hook := []string{"check", "--filter-files", "--allow-empty", "--offline", "--no-snippet"}
	r := run(t, "", nil, append(hook, "skeletons/service/catalog-info.yaml", "README.md")...)
	want := `skeletons/service/catalog-info.yaml:4:9: error: metadata.name "payments-api_svc!"`
	if r.code != ExitProblems || !strings.Contains(r.out, want) || !strings.Contains(r.out, "rendered by template `svc`") {
		t.Errorf("exit %d, want %q in\n%s%s", r.code, want, r.out, r.err)
	}
	// A commit that touches no skeleton renders nothing.
	r = run(t, "", nil, append(hook, "README.md", "other/values.yaml")...)
	if r.code != ExitOK || strings.Contains(r.out, "template") {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
}
