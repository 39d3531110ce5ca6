package schema

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

func doc(t *testing.T, src string) *load.Node {
	t.Helper()
	f := load.Parse(strings.NewReader(src), "t.yaml", ".", ".", load.Options{})
	if len(f.Docs) != 1 || f.Docs[0].Root == nil {
		t.Fatalf("fixture does not parse: %+v", f.Docs)
	}
	return f.Docs[0].Root
}

func TestEveryKindHasASchema(t *testing.T) {
	var layers []entity.Layer
	for _, n := range entity.ModuleNames() {
		layers = append(layers, entity.Modules[n])
	}
	m, err := entity.NewModel(layers...)
	if err != nil {
		t.Fatal(err)
	}
	set, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range m.Kinds() {
		if !set.Has(k.Schema) {
			t.Errorf("kind %s: no schema %s", k.Kind, k.Schema)
		}
	}
}

func TestProblemsArePositionedAndWorded(t *testing.T) {
	set, _ := Builtin()
	root := doc(t, `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: x
  tags: x
spec:
  type: service
  lifecyle: production
  owner: [a, b]
  system: 3
extra: true
`)
	got := set.Validate("component.v1alpha1.schema.json", root)
	want := []struct {
		line, col int
		msg, sugg string
	}{
		{5, 9, "metadata.tags must be a list, found the string \"x\"", ""},
		{8, 3, `missing required field "lifecycle" in spec`, `did you mean "lifecycle" instead of "lifecyle"?`},
		{9, 10, "spec.owner must be a string, found a list", ""},
		{10, 11, "spec.system must be a string, found the number 3", ""},
		{11, 1, `unknown field "extra" at the top level; allowed: apiVersion, kind, metadata, spec`, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Span.Line != w.line || g.Span.Column != w.col || !strings.HasPrefix(g.Message, w.msg) || g.Suggestion != w.sugg {
			t.Errorf("problem %d: got %d:%d %q (%q), want %d:%d %q (%q)", i, g.Span.Line, g.Span.Column, g.Message, g.Suggestion, w.line, w.col, w.msg, w.sugg)
		}
	}
}

func TestBundleIsSelfContainedAndEquivalent(t *testing.T) {
	set, _ := Builtin()
	b, err := set.Bundle(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`.schema.json`)) && bytes.Contains(b, []byte(`"$ref": "common`)) {
		t.Fatal("bundle still references separate files")
	}
	c := jsonschema.NewCompiler()
	d, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("bundle.json", d); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("bundle.json")
	if err != nil {
		t.Fatalf("bundle does not compile: %v", err)
	}
	for _, tc := range []struct {
		src   string
		valid bool
	}{
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {type: service, lifecycle: production, owner: me}\n", true},
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {type: service, owner: me}\n", false},
		{"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: a}\nspec: {type: team, children: []}\n", true},
		{"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: a}\nspec: {type: team}\n", false},
		{"apiVersion: backstage.io/v1alpha1\nkind: Widget\nmetadata: {name: a}\nspec: {}\n", false},
		{"apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: a}\nspec: {type: service, steps: []}\n", true},
	} {
		err := sch.Validate(doc(t, tc.src).Value())
		if (err == nil) != tc.valid {
			t.Errorf("bundle verdict for\n%s: valid=%v, want %v (%v)", tc.src, err == nil, tc.valid, err)
		}
	}
	one, err := set.Bundle(nil, "group")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(one, &m); err != nil || m["$ref"] != "#/definitions/group.v1alpha1" {
		t.Errorf("Bundle(group) root: %v %v", m["$ref"], err)
	}
	if _, err := set.Bundle(nil, "Compnent"); err == nil || !strings.Contains(err.Error(), `did you mean "Component"`) {
		t.Errorf("unknown kind: %v", err)
	}
}

// With the ai-model module, the bundle picks API's and AiResource's schema
// by spec.type, as Backstage does; without it AiResource is not a kind.
func TestBundleWithModule(t *testing.T) {
	ai, err := entity.Module("ai-model")
	if err != nil {
		t.Fatal(err)
	}
	m, err := entity.NewModel(ai)
	if err != nil {
		t.Fatal(err)
	}
	compile := func(model *entity.Model) *jsonschema.Schema {
		set, err := ForModel(model)
		if err != nil {
			t.Fatal(err)
		}
		b, err := set.Bundle(model, "")
		if err != nil {
			t.Fatal(err)
		}
		d, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("bundle.json", d); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("bundle.json")
		if err != nil {
			t.Fatalf("bundle does not compile: %v", err)
		}
		return sch
	}
	on, off := compile(m), compile(nil)
	for _, tc := range []struct {
		src     string
		on, off bool
	}{
		{"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {type: mcp-server, lifecycle: production, owner: me, remotes: [{type: sse, url: 'https://x'}]}\n", true, false},
		{"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {type: mcp-server, lifecycle: production, owner: me, definition: x}\n", false, true},
		{"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {type: openapi, lifecycle: production, owner: me, definition: x}\n", true, true},
		{"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {type: openapi, lifecycle: production, owner: me}\n", false, false},
		{"apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata: {name: a}\nspec: {type: skill, lifecycle: production, owner: me}\n", true, false},
		{"apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata: {name: a}\nspec: {type: rule, lifecycle: production, owner: me}\n", false, false},
		{"apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata: {name: a}\nspec: {type: prompt, lifecycle: production, owner: me}\n", true, false},
	} {
		for _, c := range []struct {
			sch  *jsonschema.Schema
			want bool
			name string
		}{{on, tc.on, "with the module"}, {off, tc.off, "without"}} {
			err := c.sch.Validate(doc(t, tc.src).Value())
			if (err == nil) != c.want {
				t.Errorf("%s: bundle verdict for\n%s: valid=%v, want %v (%v)", c.name, tc.src, err == nil, c.want, err)
			}
		}
	}
}
