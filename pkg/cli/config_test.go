package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/config"
)

func TestInitWritesAValidConfig(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	if r := run(t, "", nil, "init"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.err)
	}
	if _, err := config.Load(".catalint.yaml"); err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	if r := run(t, "", nil, "init"); r.code != ExitUsage || !strings.Contains(r.err, "--force") {
		t.Errorf("second init: %d %s", r.code, r.err)
	}
}

func TestConfigErrorsArePositioned(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("version: 1\nrules:\n  severity:\n    unknown-feild: error\nownrs: {}\n"), 0o644)
	r := run(t, "", nil, "check", "--config", cfg, "../../examples/acme")
	if r.code != ExitUsage || !strings.Contains(r.err, "c.yaml:5:1: unknown field \"ownrs\" at the top level") || !strings.Contains(r.err, `did you mean "owners"?`) {
		t.Errorf("schema error: exit %d\n%s", r.code, r.err)
	}
	os.WriteFile(cfg, []byte("rules:\n  severity:\n    unknown-feild: error\n"), 0o644)
	r = run(t, "", nil, "check", "--config", cfg, "../../examples/acme")
	if r.code != ExitUsage || !strings.Contains(r.err, "c.yaml:3:5: no such rule \"unknown-feild\"; did you mean \"unknown-field\"?") {
		t.Errorf("rule id: exit %d\n%s", r.code, r.err)
	}
	r = run(t, "", nil, "check", "--config", filepath.Join(dir, "missing.yaml"), "../../examples/acme")
	if r.code != ExitUsage {
		t.Errorf("missing config: exit %d %s", r.code, r.err)
	}
}

func TestConfigPolicyAndAllowedValues(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte(`allowed:
  lifecycles: [production, experimental, deprecated]
rules:
  severity: {unknown-field: error}
policies:
  - name: prod-on-call
    select: {kind: Component, lifecycle: production}
    schemaFile: policies/on-call.yaml
`), 0o644)
	os.MkdirAll(filepath.Join(dir, "policies"), 0o755)
	os.WriteFile(filepath.Join(dir, "policies", "on-call.yaml"), []byte("properties:\n  metadata:\n    required: [links]\n"), 0o644)
	comp := func(name, lc, extra string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n" + extra + "spec:\n  type: service\n  lifecycle: " + lc + "\n  owner: team-a\n"
	}
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(comp("a", "prod", "  descripton: x\n")+"---\n"+comp("b", "production", "")+"---\n"+comp("c", "experimental", "")), 0o644)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	r := run(t, "", nil, "check", "--no-snippet")
	for _, want := range []string{
		"catalog-info.yaml:5:3: error: metadata.descripton is not a field of Component",
		`catalog-info.yaml:8:14: error: spec.lifecycle "prod" is not allowed here; allowed: production, experimental, deprecated [allowed-value]`,
		`= did you mean "production"?`,
		`catalog-info.yaml:13:1: error: policy prod-on-call: missing required field "links" in metadata [policy]`,
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing %q in\n%s", want, r.out)
		}
	}
	if strings.Count(r.out, "[policy]") != 1 || r.code != ExitProblems {
		t.Errorf("exit %d; the policy must fire on b only:\n%s", r.code, r.out)
	}
}

func TestConfigAnnotationFormats(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("annotations:\n  - key: example.com/slack-channel\n    pattern: '#[a-z0-9-]+'\n    description: 'a Slack channel such as #team-payments'\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: s\n  annotations:\n    example.com/slack-channel: team payments\nspec:\n  owner: team-a\n"), 0o644)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	r := run(t, "", nil, "check", "--no-snippet", "--only", "annotation-format")
	if !strings.Contains(r.out, `annotation example.com/slack-channel "team payments" is not valid; expected a Slack channel such as #team-payments [annotation-format]`) {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("annotations:\n  - key: example.com/x\n    pattern: '(['\n"), 0o644)
	if r := run(t, "", nil, "check"); r.code != ExitUsage || !strings.Contains(r.err, ".catalint.yaml:3:") {
		t.Errorf("bad pattern: exit %d %s", r.code, r.err)
	}
}
