package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/schema"
)

const pipelineConfig = `kinds:
  - kind: Pipeline
    apiVersions: [acme.io/v1]
    schema: schemas/pipeline.json
    relations:
      - {path: spec.owner, relation: ownedBy, defaultKind: Group, allowedKinds: [Group, User]}
      - {path: spec.deploys, relation: dependsOn, defaultKind: Component, allowedKinds: [Component]}
`

const pipelineSchema = `{
  "type": "object",
  "required": ["spec"],
  "properties": {
    "spec": {
      "type": "object",
      "required": ["owner", "schedule"],
      "properties": {
        "owner": {"type": "string", "minLength": 1},
        "schedule": {"type": "string", "pattern": "^(@daily|@hourly|[0-9*/ ,-]+)$"},
        "lifecycle": {"type": "string"},
        "deploys": {"type": "array", "items": {"type": "string"}}
      }
    }
  }
}
`

const pipelineCatalog = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  description: The website
spec:
  type: website
  lifecycle: production
  owner: platform
  consumesApis: [search]
  dependsOn: [pipeline:nightly-build]
---
apiVersion: acme.io/v1
kind: Pipeline
metadata:
  name: nightly-build
  description: Builds everything at night
spec:
  owner: platform
  schedule: "@daily"
  lifecycle: production
  deploys: [web]
---
apiVersion: acme.io/v1
kind: Pipeline
metadata:
  name: broken
spec:
  owner: platfrom
  schedule: every night
  deploys: [webb]
---
apiVersion: acme.io/v2
kind: Pipeline
metadata:
  name: future
spec: {}
`

// pipelineRepo is a repository with a declared kind, Pipeline.
func pipelineRepo(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range map[string]string{
		".git/HEAD": "ref: refs/heads/main\n", ".catalint.yaml": config,
		"schemas/pipeline.json": pipelineSchema, "catalog-info.yaml": pipelineCatalog,
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A declared kind: its schema error and its unknown owner at their lines,
// its references resolved, an undeclared apiVersion of it an error; in the
// graph and the scores.
func TestDeclaredKind(t *testing.T) {
	dir := pipelineRepo(t, pipelineConfig)
	cfg := filepath.Join(dir, ".catalint.yaml")
	cat := filepath.Join(dir, "catalog-info.yaml")
	r := run(t, "", nil, "check", "--no-snippet", "--config", cfg, "--catalog", "dir:"+dir, "--owners", "file:"+cat, cat)
	if r.code != ExitProblems {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"catalog-info.yaml:37:10: error: spec.owner: group platfrom does not exist in the catalog, file:" + cat + " [owner-missing]",
		"catalog-info.yaml:38:13: error: spec.schedule: 'every night' does not match pattern",
		"catalog-info.yaml:39:13: error: spec.deploys[0]: component:default/webb does not exist in the catalog",
		"= did you mean component:default/web?",
		`catalog-info.yaml:41:13: error: kind Pipeline does not accept apiVersion "acme.io/v2"; it accepts acme.io/v1 [kind]`,
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing %q in\n%s", want, r.out)
		}
	}
	if n := strings.Count(r.out, ": error:"); n != 5 { // and consumesApis: search
		t.Errorf("%d errors, want 5:\n%s", n, r.out)
	}
	// A Component may depend on a Pipeline: no ref-kind warning about a
	// kind the built-in dependsOn does not know of.
	if strings.Contains(r.out, "[ref-kind]") || !strings.Contains(r.out, "warning: dependsOn cycle: component:default/web → pipeline:default/nightly-build") {
		t.Errorf("dependsOn a Pipeline:\n%s", r.out)
	}
	// Without the declaration, Pipeline is an unknown kind.
	r = run(t, "", nil, "check", "--no-snippet", "--config", filepath.Join(t.TempDir(), "none.yaml"), cat)
	if r.code != ExitUsage {
		t.Errorf("a missing --config: exit %d", r.code)
	}
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	os.WriteFile(empty, []byte("version: 1\n"), 0o644)
	r = run(t, "", nil, "check", "--no-snippet", "--config", empty, "--only", "kind", cat)
	if strings.Count(r.out, `unknown kind "Pipeline"`) != 3 {
		t.Errorf("undeclared: want 3 unknown-kind errors\n%s", r.out)
	}

	// The graph follows its dependsOn relation field, both ways.
	r = run(t, "", nil, "graph", "--config", cfg, "pipeline:nightly-build", dir)
	if r.code != ExitOK || !strings.HasPrefix(r.out, "pipeline:default/nightly-build\n└── dependsOn component:default/web\n") {
		t.Errorf("graph: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "graph", "--config", cfg, "--reverse", "web", dir)
	if !strings.Contains(r.out, "neededBy pipeline:default/nightly-build") {
		t.Errorf("graph --reverse:\n%s%s", r.out, r.err)
	}

	// Scored like built-in kinds: owner, lifecycle, description.
	r = run(t, "", nil, "score", "--config", cfg, "--owners", "file:"+cat, "--format", "json", cat)
	var sr struct {
		Entities []struct {
			Ref    string
			Score  float64
			Owner  string
			Checks []struct {
				Metric     string
				Applicable bool
				Pass       bool
			}
		}
	}
	if err := json.Unmarshal([]byte(r.out), &sr); err != nil {
		t.Fatalf("score: %v\n%s%s", err, r.out, r.err)
	}
	got := map[string]float64{}
	for _, e := range sr.Entities {
		got[e.Ref] = e.Score
		if e.Ref == "pipeline:default/broken" {
			for _, c := range e.Checks {
				if c.Metric == "owner" && (!c.Applicable || c.Pass) {
					t.Errorf("broken's owner platfrom passes: %+v", c)
				}
			}
		}
	}
	if got["pipeline:default/nightly-build"] != 100 || got["pipeline:default/broken"] >= 50 {
		t.Errorf("scores: %v\n%s", got, r.out)
	}

	// catalint schema includes the declared kind, for editors.
	r = run(t, "", nil, "schema", "--config-file", cfg)
	if r.code != ExitOK || !strings.Contains(r.out, `"Pipeline"`) || !strings.Contains(r.out, `"kind-pipeline-0.declared"`) || !strings.Contains(r.out, `"^(@daily|@hourly|[0-9*/ ,-]+)$"`) {
		t.Errorf("schema: exit %d\n%.600s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "schema", "--config-file", cfg, "pipeline")
	if r.code != ExitOK || !strings.Contains(r.out, `"title": "Pipeline entity (catalint)"`) {
		t.Errorf("schema pipeline: exit %d\n%.300s%s", r.code, r.out, r.err)
	}
}

// Bad declarations are configuration errors (exit 2) at their positions.
func TestDeclaredKindErrors(t *testing.T) {
	for _, c := range []struct{ config, want string }{
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    schema: {type: objec}\n", ".catalint.yaml:4:5: kind Pipeline: the schema is not a valid JSON Schema (draft 7): at '/type'"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    relations:\n      - {path: spec.owner, relation: ownsBy}\n", `.catalint.yaml:5:38: kinds[0].relations[0].relation must be one of "ownedBy"`},
		{"kinds:\n  - kind: Component\n    apiVersions: [backstage.io/v1beta1]\n", ".catalint.yaml:2:5: kinds[0]: Component is a built-in kind of Backstage"},
		{"kinds:\n  - kind: location\n    apiVersions: [acme.io/v1]\n", ".catalint.yaml:2:5: kinds[0]: Location is a built-in kind of Backstage"},
		{"backstage: {modules: [ai-model]}\nkinds:\n  - kind: AiResource\n    apiVersions: [backstage.io/v1alpha1]\n    specType: rule\n", ".catalint.yaml:3:5: kinds[0]: kind AiResource backstage.io/v1alpha1 spec type rule is already declared by layer ai-model"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n  - kind: pipeline\n    apiVersions: [acme.io/v2]\n", ".catalint.yaml:4:5: kinds[1]: kind pipeline clashes with kind Pipeline of layer config: kinds differ only in case"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    schema: ../outside.json\n", ".catalint.yaml:4:5: kind Pipeline: schema ../outside.json: it is outside the repository root"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    schema: {$ref: /etc/passwd}\n", "nothing is loaded from files or the network"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme io]\n", `.catalint.yaml:3:19: kind Pipeline: apiVersion "acme io" is not valid`},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    relations:\n      - {path: owner, relation: ownedBy}\n", ".catalint.yaml:5:16: kinds[0].relations[0].path: 'owner' does not match pattern"},
		{"kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    relations:\n      - {path: spec.owner, relation: ownedBy}\n      - {path: spec.owner, relation: partOf}\n", ".catalint.yaml:6:10: kind Pipeline: relation field spec.owner is declared twice"},
		{"backstage:\n  modules: [ai-modle]\n", `.catalint.yaml:2:13: backstage.modules[0] must be one of "ai-model"`},
	} {
		dir := pipelineRepo(t, c.config)
		os.WriteFile(filepath.Join(filepath.Dir(dir), "outside.json"), []byte(`{"type": "object"}`), 0o644)
		r := run(t, "", nil, "check", "--config", filepath.Join(dir, ".catalint.yaml"), filepath.Join(dir, "catalog-info.yaml"))
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) {
			t.Errorf("%s: exit %d, want 2 and %q in\n%s", c.config, r.code, c.want, r.err)
		}
	}
	// A schema file that is a symlink out of the repository is not read.
	dir := pipelineRepo(t, "kinds:\n  - kind: Pipeline\n    apiVersions: [acme.io/v1]\n    schema: schemas/link.json\n")
	secret := filepath.Join(filepath.Dir(dir), "secret.json")
	os.WriteFile(secret, []byte(`{"type": "object", "description": "SECRET-TOKEN-123"}`), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "schemas", "link.json")); err == nil {
		r := run(t, "", nil, "check", "--config", filepath.Join(dir, ".catalint.yaml"), filepath.Join(dir, "catalog-info.yaml"))
		if r.code != ExitUsage || !strings.Contains(r.err, "schema schemas/link.json: it is a symlink to") || strings.Contains(r.err+r.out, "SECRET-TOKEN-123") {
			t.Errorf("symlink out: exit %d\n%s", r.code, r.err)
		}
	}
	r := run(t, "", nil, "check", "--backstage-module", "ai-modle", ".")
	if r.code != ExitUsage || !strings.Contains(r.err, `unknown Backstage module "ai-modle"; known: ai-model (did you mean "ai-model"?)`) {
		t.Errorf("--backstage-module ai-modle: exit %d\n%s", r.code, r.err)
	}
}

// backstage.modules in .catalint.yaml enables the ai-model kinds, as
// --backstage-module does.
func TestModulesConfig(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	cat := filepath.Join(dir, "catalog-info.yaml")
	os.WriteFile(cat, []byte("apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: r\n  description: A rule\nspec:\n  type: rule\n  lifecycle: production\n  owner: team-a\n  category: style\n"), 0o644)
	cfg := filepath.Join(dir, ".catalint.yaml")
	os.WriteFile(cfg, []byte("backstage:\n  modules: [ai-model]\n"), 0o644)
	r := run(t, "", nil, "check", "--no-snippet", "--config", cfg, "--only", "schema", cat)
	if r.code != ExitProblems || !strings.Contains(r.out, `catalog-info.yaml:6:1: error: missing required field "rationale" in spec [schema]`) {
		t.Errorf("with the module: exit %d\n%s%s", r.code, r.out, r.err)
	}
	os.Remove(cfg)
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema", "--backstage-module", "ai-model", cat)
	if r.code != ExitProblems || !strings.Contains(r.out, `"rationale"`) {
		t.Errorf("--backstage-module: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema", cat)
	if r.code != ExitProblems || !strings.Contains(r.out, `unknown kind "AiResource"`) || !strings.Contains(r.out, "--backstage-module ai-model") {
		t.Errorf("without the module: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// The relation types the config schema accepts are entity.RelationTypes.
func TestConfigRelationTypes(t *testing.T) {
	set, err := schema.Config()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := set.Raw("config.schema.json")
	var v any = raw
	for _, k := range []string{"properties", "kinds", "items", "properties", "relations", "items", "properties", "relation", "enum"} {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("config schema: no %s", k)
		}
		v = m[k]
	}
	var got []string
	for _, x := range v.([]any) {
		got = append(got, x.(string))
	}
	if strings.Join(got, " ") != strings.Join(entity.RelationTypes, " ") {
		t.Errorf("config schema relation types %v, entity.RelationTypes %v", got, entity.RelationTypes)
	}
}

// With the ai-model module and a declared Pipeline, the kinds an
// app-config allows are known: no catalog-rule message about them, and
// their entities are checked (issue 13 item 3 through entity.Model.Known).
func TestAppConfigKnownKinds(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "ai"), 0o755)
	os.WriteFile(filepath.Join(dir, "app-config.yaml"), []byte("catalog:\n  rules:\n    - allow: [Component, API, Location, AiResource, Pipeline]\n  locations:\n    - {type: file, target: ./ai/*.yaml}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("backstage:\n  modules: [ai-model]\nkinds:\n  - {kind: Pipeline, apiVersions: [acme.io/v1]}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ai", "skills.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: review-skill\nspec:\n  type: skill\n  owner: team-a\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ai", "api.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: tools\nspec:\n  type: mcp-server\n  lifecycle: production\n  owner: team-a\n  definition: x\n"), 0o644)
	chdir(t, dir)
	r := run(t, "", nil, "check", "--only", "schema,catalog-rule", "--no-snippet", "--app-config", "app-config.yaml")
	if r.code != ExitProblems || strings.Contains(r.out, "catalog-rule") ||
		!strings.Contains(r.out, `ai/skills.yaml:5:1: error: missing required field "lifecycle" in spec [schema]`) ||
		!strings.Contains(r.out, `ai/api.yaml:5:1: error: missing required field "remotes" in spec [schema]`) {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// allowed.lifecycles applies to an AiResource's lifecycle too.
func TestAllowedLifecycleOfModuleKind(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	cat := filepath.Join(dir, "catalog-info.yaml")
	os.WriteFile(cat, []byte("apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: s\nspec:\n  type: skill\n  lifecycle: prodution\n  owner: team-a\n"), 0o644)
	cfg := filepath.Join(dir, ".catalint.yaml")
	os.WriteFile(cfg, []byte("backstage: {modules: [ai-model]}\nallowed: {lifecycles: [experimental, production, deprecated]}\n"), 0o644)
	r := run(t, "", nil, "check", "--no-snippet", "--config", cfg, "--only", "allowed-value", cat)
	if r.code != ExitProblems || !strings.Contains(r.out, `catalog-info.yaml:7:14: error: spec.lifecycle "prodution" is not allowed here`) || !strings.Contains(r.out, `did you mean "production"?`) {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// A repository that is a Backstage app whose backend runs the ai-model
// module (backstage/demo does) is checked with it, with a notice at the
// dependency; a backend that declares the package but does not add it,
// or backstage.detectModules: false, leaves it out.
func TestDetectModules(t *testing.T) {
	aiRule := "apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: r\n  description: A rule\nspec:\n  type: rule\n  lifecycle: production\n  owner: team-a\n  category: style\n  rationale: Consistency\n"
	pkgJSON := "{\n  \"name\": \"backend\",\n  \"dependencies\": {\n    \"@backstage/backend-defaults\": \"^0.5.0\",\n    \"@backstage/plugin-catalog-backend-module-ai-model\": \"backstage:^\"\n  }\n}\n"
	for _, c := range []struct {
		name, index, config string
		want                []string
		code                int
	}{
		{"added", "backend.add(import('@backstage/plugin-catalog-backend-module-ai-model'));\n", "",
			[]string{"packages/backend/package.json:5:5: notice: this Backstage backend runs the opt-in catalog module ai-model", "0 errors"}, ExitOK},
		{"declared, not added", "backend.start();\n", "", []string{`unknown kind "AiResource"`}, ExitProblems},
		{"turned off", "backend.add(import('@backstage/plugin-catalog-backend-module-ai-model'));\n", "backstage: {detectModules: false}\n", []string{`unknown kind "AiResource"`}, ExitProblems},
		{"named already", "backend.add(import('@backstage/plugin-catalog-backend-module-ai-model'));\n", "backstage: {modules: [ai-model]}\n", []string{"0 errors, 0 warnings"}, ExitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				".git/HEAD":                     "ref: refs/heads/main\n",
				"catalog-info.yaml":             aiRule,
				"packages/backend/package.json": pkgJSON,
				"packages/backend/src/index.ts": c.index,
			}
			if c.config != "" {
				files[".catalint.yaml"] = c.config
			}
			for name, src := range files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			chdir(t, dir)
			r := run(t, "", nil, "check", "--no-snippet", "--github", "off")
			for _, w := range c.want {
				if !strings.Contains(r.out, w) {
					t.Errorf("no %q in\n%s%s", w, r.out, r.err)
				}
			}
			if r.code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, c.code, r.out, r.err)
			}
			if c.code == ExitOK && strings.Count(r.out, "runs the opt-in catalog module") > 1 {
				t.Errorf("the notice is repeated\n%s", r.out)
			}
		})
	}
}
