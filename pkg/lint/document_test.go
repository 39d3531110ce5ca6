package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

func checkSrc(t *testing.T, src string) ([]diag.Diagnostic, Entity) {
	t.Helper()
	sch, err := schema.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	f := load.Parse(strings.NewReader(src), "t.yaml", t.TempDir(), t.TempDir(), load.Options{})
	if len(f.Docs) != 1 {
		t.Fatalf("want one document, got %d", len(f.Docs))
	}
	return checkDoc(f.Docs[0], nil, sch, nil)
}

// minimal valid entities of every kind, with the spec fields Backstage requires.
var minimal = []struct {
	kind, apiVersion string
	spec             map[string]string
}{
	{"Component", "backstage.io/v1alpha1", map[string]string{"type": "service", "lifecycle": "production", "owner": "team-a"}},
	{"API", "backstage.io/v1beta1", map[string]string{"type": "openapi", "lifecycle": "production", "owner": "team-a", "definition": "'openapi: 3.0.0'"}},
	{"Resource", "backstage.io/v1alpha1", map[string]string{"type": "database", "owner": "team-a"}},
	{"System", "backstage.io/v1alpha1", map[string]string{"owner": "team-a"}},
	{"Domain", "backstage.io/v1alpha1", map[string]string{"owner": "team-a"}},
	{"Group", "backstage.io/v1alpha1", map[string]string{"type": "team", "children": "[]"}},
	{"User", "backstage.io/v1alpha1", map[string]string{"memberOf": "[team-a]"}},
	{"Template", "scaffolder.backstage.io/v1beta3", map[string]string{"type": "service", "steps": "[]"}},
}

func entitySrc(apiVersion, kind string, spec map[string]string, skip string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: thing\nspec:\n", apiVersion, kind)
	for _, k := range []string{"type", "lifecycle", "owner", "definition", "children", "memberOf", "steps"} {
		if v, ok := spec[k]; ok && k != skip {
			fmt.Fprintf(&b, "  %s: %s\n", k, v)
		}
	}
	if len(spec) == 1 && skip != "" {
		b.WriteString("  {}\n")
	}
	return b.String()
}

func TestEveryRequiredFieldOfEveryKind(t *testing.T) {
	for _, m := range minimal {
		ds, e := checkSrc(t, entitySrc(m.apiVersion, m.kind, m.spec, ""))
		if !e.Valid() {
			t.Errorf("%s: minimal entity is invalid: %v", m.kind, ds)
			continue
		}
		for field := range m.spec {
			src := entitySrc(m.apiVersion, m.kind, m.spec, field)
			if len(m.spec) == 1 {
				src = strings.Replace(src, "spec:\n  {}\n", "spec: {}\n", 1)
			}
			ds, e := checkSrc(t, src)
			found := false
			for _, d := range ds {
				if d.Rule == RuleSchema && strings.Contains(d.Message, fmt.Sprintf("missing required field %q", field)) {
					found = true
				}
			}
			if e.Valid() || !found {
				t.Errorf("%s without spec.%s: valid=%v, diagnostics %v", m.kind, field, e.Valid(), ds)
			}
		}
	}
	// Location needs spec, nothing in it.
	if ds, e := checkSrc(t, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec: {}\n"); !e.Valid() {
		t.Errorf("Location with empty spec: %v", ds)
	}
	if _, e := checkSrc(t, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\n"); e.Valid() {
		t.Error("Location without spec is valid")
	}
}

func TestEnvelope(t *testing.T) {
	for _, tc := range []struct {
		src, rule, msg string
	}{
		{"- a\n- b\n", RuleEnvelope, "must be a mapping"},
		{"just a string\n", RuleEnvelope, "must be a mapping"},
		{"kind: Component\nmetadata: {name: a}\nspec: {}\n", RuleEnvelope, `missing required field "apiVersion"`},
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nspec: {}\n", RuleEnvelope, `missing required field "metadata"`},
		{"apiVersion: backstage.io/v1alpha1\nkind: Widget\nmetadata: {name: a}\n", RuleKind, `unknown kind "Widget"`},
		{"apiVersion: backstage.io/v1\nkind: Component\nmetadata: {name: a}\n", RuleKind, `does not accept apiVersion "backstage.io/v1"`},
		{"apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: a}\nspec: {owner: x}\nstatus: {}\n", RuleEnvelope, `unknown field "status"`},
	} {
		ds, e := checkSrc(t, tc.src)
		ok := false
		for _, d := range ds {
			if d.Rule == tc.rule && strings.Contains(d.Message, tc.msg) {
				ok = true
			}
		}
		if e.Valid() || !ok {
			t.Errorf("%q: want %s %q, got %v", tc.src, tc.rule, tc.msg, ds)
		}
	}
}

func TestFormatBoundaries(t *testing.T) {
	name63 := strings.Repeat("a", 63)
	for _, tc := range []struct {
		meta  string
		valid bool
	}{
		{"name: " + name63, true},
		{"name: " + name63 + "a", false},
		{"name: a.b_c-D9", true},
		{"name: -a", false},
		{"name: a_", false},
		{"name: a b", false},
		{"name: a\n  namespace: my-team", true},
		{"name: a\n  namespace: My-Team", false},
		{"name: a\n  namespace: a--b", true}, // Backstage: [a-z0-9]+(?:\-+[a-z0-9]+)*
		{"name: a\n  namespace: a-", false},
		{"name: a\n  labels: {example.com/tier: gold}", true},
		{"name: a\n  labels: {tier: ''}", true},
		{"name: a\n  labels: {Example.com/tier: gold}", false},
		{"name: a\n  labels: {a/b/c: gold}", false},
		{"name: a\n  annotations: {backstage.io/techdocs-ref: 'dir:.'}", true},
		{"name: a\n  annotations: {'bad key': x}", false},
		{"name: a\n  annotations:", true},
		{"name: a\n  annotations: ''", true},
		{"name: a\n  tags: [c++, 'c#', 'tier:1', go]", true},
		{"name: a\n  tags: [Go]", false},
		{"name: a\n  tags: [a_b]", false},
		{"name: a\n  links: [{url: 'https://example.com', title: Home, icon: dashboard}]", true},
		{"name: a\n  links: [{url: example.com}]", false},
		{"name: a\n  links: [{url: 'https://example.com', title: '  '}]", false},
	} {
		src := "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  " + tc.meta + "\nspec:\n  owner: team-a\n"
		ds, e := checkSrc(t, src)
		if e.Valid() != tc.valid {
			t.Errorf("metadata %q: valid=%v, want %v: %v", tc.meta, e.Valid(), tc.valid, ds)
		}
	}
}

func TestRelationReferences(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		valid bool
	}{
		{"owner: team-a", true},
		{"owner: group:ns/team-a", true},
		{"owner: user:jdoe", true},
		{"owner: 'group:'", false},
		{"owner: ':x'", false},
		{"owner: 'ns/'", false},
		{"owner: team-a\n  dependsOn: [resource:db, component:other/api]", true},
		{"owner: team-a\n  dependsOn: [db]", false},
		{"owner: team-a\n  dependencyOf: web", false},
		{"owner: team-a\n  dependencyOf: component:web", true},
		{"owner: team-a\n  system: a/b:c", true},
		{"owner: team-a\n  providesApis: [payments, 'api:x']", true},
		{"owner: team-a\n  providesApis: ['x/']", false},
	} {
		src := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  type: service\n  lifecycle: production\n  " + tc.spec + "\n"
		ds, e := checkSrc(t, src)
		if e.Valid() != tc.valid {
			t.Errorf("spec %q: valid=%v, want %v: %v", tc.spec, e.Valid(), tc.valid, ds)
		}
	}
}

func TestUnknownFieldWarnsOnTyposOnly(t *testing.T) {
	src := "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: a\n  descripton: x\n  x-custom: y\nspec:\n  ownr: team-a\n  owner: team-a\n  custom: 1\n"
	ds, e := checkSrc(t, src)
	if !e.Valid() {
		t.Fatalf("warnings made it invalid: %v", ds)
	}
	var got []string
	for _, d := range ds {
		if d.Rule == RuleUnknownField {
			got = append(got, fmt.Sprintf("%d:%s", d.Line, d.Suggestion))
		}
	}
	// "ownr" is a typo of "owner", but owner is present: only descripton is reported.
	if len(got) != 1 || got[0] != `5:did you mean "description"?` {
		t.Errorf("unknown-field: %v", got)
	}
}
