package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

func aiModel(t *testing.T) *entity.Model {
	t.Helper()
	l, err := entity.Module("ai-model")
	if err != nil {
		t.Fatal(err)
	}
	m, err := entity.NewModel(l)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func checkModelSrc(t *testing.T, m *entity.Model, src string) []diag.Diagnostic {
	t.Helper()
	sch, err := schema.ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	f := load.Parse(strings.NewReader(src), "t.yaml", t.TempDir(), t.TempDir(), load.Options{})
	var out []diag.Diagnostic
	for _, d := range f.Docs {
		ds, _ := checkDoc(d, nil, sch, m)
		out = append(out, ds...)
	}
	return out
}

// Invalid AiResource and mcp-server documents: each problem at its line,
// with the module; the kind rule (or API's own schema) without it.
func TestAIModelDocuments(t *testing.T) {
	m := aiModel(t)
	for _, c := range []struct {
		name, src string
		want      []string // "line:col: rule: message part"
	}{
		{"rule without rationale", `apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: no-rationale
spec:
  type: rule
  lifecycle: production
  owner: team-a
  category: style
`, []string{`5:1: schema: missing required field "rationale" in spec`}},
		{"skill with a string dependsOn and a long compatibility", `apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: skill
spec:
  type: skill
  lifecycle: production
  owner: team-a
  dependsOn: other-skill
  compatibility: ` + strings.Repeat("x", 501) + `
`, []string{`9:14: schema: spec.dependsOn must be a list`, `10:18: schema: spec.compatibility`}},
		{"plugin without skills, marketplace without plugins", `apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: plugin
spec:
  type: plugin
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: market
spec:
  type: marketplace
  lifecycle: production
  owner: team-a
  plugins: [plugin]
  version: ""
`, []string{`5:1: schema: missing required field "skills" in spec`, `19:12: schema: spec.version`}},
		{"AiResource of another apiVersion", `apiVersion: backstage.io/v1beta1
kind: AiResource
metadata:
  name: beta
spec:
  type: skill
  lifecycle: production
  owner: team-a
`, []string{`1:13: kind: kind AiResource does not accept apiVersion "backstage.io/v1beta1"; it accepts backstage.io/v1alpha1`}},
		{"mcp-server with a definition and no remotes, and a remote without url", `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: mcp
spec:
  type: mcp-server
  lifecycle: production
  owner: team-a
  definition: whatever
---
apiVersion: backstage.io/v1beta1
kind: API
metadata:
  name: mcp2
spec:
  type: mcp-server
  lifecycle: production
  owner: team-a
  remotes:
    - type: stdio
`, []string{`5:1: schema: missing required field "remotes" in spec`, `20:7: schema: missing required field "url" in spec.remotes[0]`}},
		{"the demo's skill and MCP server are valid", `apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: mui-to-bui-migration
spec:
  type: skill
  lifecycle: production
  owner: backstage/maintainers
  system: backstage
  disciplines: [web]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: github-mcp-server
spec:
  type: mcp-server
  lifecycle: production
  owner: backstage/maintainers
  remotes:
    - type: streamable-http
      url: https://api.githubcopilot.com/mcp/
`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ds := checkModelSrc(t, m, c.src)
			var got []string
			for _, d := range ds {
				if d.Severity == diag.Error {
					got = append(got, fmt.Sprintf("%d:%d: %s: %s", d.Line, d.Column, d.Rule, d.Message))
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d: got %q, want it to start with %q", i, got[i], w)
				}
			}
		})
	}
	// Without the module: the kind rule names the module; an mcp-server
	// API is held to API's own schema, which wants a definition.
	ds := checkModelSrc(t, nil, "apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: x\nspec:\n  type: skill\n  lifecycle: production\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: mcp\nspec:\n  type: mcp-server\n  lifecycle: production\n  owner: team-a\n  remotes: [{type: sse, url: https://x}]\n")
	if len(ds) != 2 || ds[0].Line != 2 || ds[0].Rule != RuleKind || !strings.Contains(ds[0].Suggestion, "--backstage-module ai-model") ||
		ds[1].Line != 14 || !strings.Contains(ds[1].Message, `"definition"`) {
		t.Errorf("without the module: %v", ds)
	}
}

// References of AiResources are resolved like built-in ones: the demo's
// owner and system exist, a skill's dependsOn that does not is reported at
// its line, a plugin's skills point at AiResources.
func TestAIModelReferences(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	src := `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: maintainers, namespace: backstage}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: backstage}
spec: {owner: backstage/maintainers}
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata: {name: skill-a}
spec:
  type: skill
  lifecycle: production
  owner: backstage/maintainers
  system: backstage
  dependsOn: [skill-b, skil-a]
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata: {name: skill-b}
spec: {type: skill, lifecycle: production, owner: backstage/maintainers}
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata: {name: pack}
spec: {type: plugin, lifecycle: production, owner: group:backstage/maintainers, skills: [skill-a, system:backstage]}
`
	p := filepath.Join(dir, "catalog-info.yaml")
	os.WriteFile(p, []byte(src), 0o644)
	res, err := Run(context.Background(), Options{Paths: []string{p}, Model: aiModel(t), Sources: []catalog.Source{staticSource{}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		if d.Severity >= diag.Warning {
			got = append(got, fmt.Sprintf("%d:%d: %s: %s", d.Line, d.Column, d.Rule, d.Message))
		}
	}
	want := []string{
		"19:24: unresolved-ref: spec.dependsOn[1]: airesource:default/skil-a does not exist in the catalog (checked files and static)",
		"29:99: ref-kind: spec.skills[1] of an AiResource must point at an AiResource; system:default/backstage is of kind system, and Backstage drops the relation",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The graph follows a skill's dependsOn.
	deps := catalog.DependencyEdges(res.Index)
	if len(deps) != 2 || deps[0].From != "airesource:default/skill-a" || deps[0].To != "airesource:default/skil-a" || deps[1].To != "airesource:default/skill-b" {
		t.Errorf("dependency edges: %v", deps)
	}
}

// staticSource is a catalog source with nothing in it but its name.
type staticSource struct{}

func (staticSource) Name() string                                   { return "static" }
func (staticSource) Load(context.Context) ([]catalog.Entity, error) { return nil, nil }

// With the ai-model module on, the real backend gives every document of
// the conformance corpus the verdict of the default backend, except the
// seven ai-model entities of Backstage's demo, which it accepts (measured
// with POST /api/catalog/validate-entity on both: 2,171 documents without
// placeholders, 7 differ). catalint must do the same.
func TestConformanceWithAIModel(t *testing.T) {
	flip := map[string]bool{"repos/backstage__demo/examples/mcp-server-api.yaml#1": true}
	for i := 1; i <= 6; i++ {
		flip[fmt.Sprintf("repos/backstage__demo/examples/ai-resources.yaml#%d", i)] = true
	}
	total, agree, disagreements := conformance(t, aiModel(t), flip)
	t.Logf("conformance with the ai-model module: %d/%d", agree, total)
	for _, d := range disagreements {
		t.Error(d)
	}
}
