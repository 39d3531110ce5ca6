package entity

import (
	"strings"
	"testing"
)

func TestModelLookup(t *testing.T) {
	ai, err := Module("ai-model")
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(ai, Layer{ID: "config", Kinds: []KindInfo{
		{Kind: "Pipeline", APIVersions: []string{"acme.io/v1"}, SpecType: "nightly", Schema: "p.schema.json"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		apiVersion, kind, specType string
		schema                     string // "" when not found
	}{
		{"backstage.io/v1alpha1", "API", "openapi", "api.v1alpha1.schema.json"},
		{"backstage.io/v1beta1", "API", "mcp-server", "api.v1alpha1.mcp-server.schema.json"},
		{"backstage.io/v1alpha1", "AiResource", "skill", "airesource.v1alpha1.skill.schema.json"},
		{"backstage.io/v1alpha1", "AiResource", "prompt", "airesource.v1alpha1.schema.json"}, // the default version
		{"backstage.io/v1alpha1", "AiResource", "", "airesource.v1alpha1.schema.json"},
		{"backstage.io/v1beta1", "AiResource", "skill", ""},
		{"backstage.io/v1alpha1", "airesource", "skill", ""}, // case-sensitive
		{"acme.io/v1", "Pipeline", "nightly", "p.schema.json"},
		{"acme.io/v1", "Pipeline", "weekly", ""}, // no default version
		{"acme.io/v1", "Pipeline", "", ""},
	} {
		k, ok := m.Lookup(c.apiVersion, c.kind, c.specType)
		if ok != (c.schema != "") || k.Schema != c.schema {
			t.Errorf("Lookup(%s, %s, %q) = %s, %v; want %q", c.apiVersion, c.kind, c.specType, k.Schema, ok, c.schema)
		}
	}
	if !m.Known("airesource") || !m.Known("Pipeline") || Builtin().Known("AiResource") || !Builtin().Known("component") {
		t.Error("Known")
	}
	if got := m.SpecTypes("AiResource", "backstage.io/v1alpha1"); strings.Join(got, ",") != ",marketplace,plugin,rule,skill" {
		t.Errorf("SpecTypes: %q", got)
	}
	// The graph sees every relation field of every version of a kind once.
	var fields []string
	for _, r := range m.Relations("AiResource") {
		fields = append(fields, r.Field+":"+r.Relation)
	}
	if strings.Join(fields, " ") != "owner:ownedBy system:partOf dependsOn:dependsOn skills:hasPart plugins:hasPart" {
		t.Errorf("Relations: %v", fields)
	}
	// A nil model is the built-in one.
	var nilModel *Model
	if k, ok := nilModel.Lookup("backstage.io/v1alpha1", "Component", ""); !ok || k.Layer != "builtin" {
		t.Errorf("nil model: %+v %v", k, ok)
	}
}

func TestNewModelClashes(t *testing.T) {
	for _, c := range []struct {
		layers []Layer
		want   string
	}{
		{[]Layer{{ID: "config", Kinds: []KindInfo{{Kind: "Group", APIVersions: []string{"backstage.io/v1beta1"}}}}}, "kind Group backstage.io/v1beta1 is a built-in kind of Backstage"},
		{[]Layer{{ID: "config", Kinds: []KindInfo{{Kind: "group", APIVersions: []string{"acme.io/v1"}}}}}, "kind group clashes with kind Group of layer builtin: kinds differ only in case"},
		{[]Layer{Modules["ai-model"], {ID: "config", Kinds: []KindInfo{{Kind: "API", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "mcp-server"}}}}, "kind API backstage.io/v1alpha1 spec type mcp-server is already declared by layer ai-model"},
	} {
		if _, err := NewModel(c.layers...); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	if _, err := NewModel(Modules["ai-model"], Layer{ID: "config", Kinds: []KindInfo{{Kind: "API", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "grpc-web"}}}); err != nil {
		t.Errorf("another spec type of API: %v", err)
	}
	if _, err := Module("ai-modle"); err == nil || !strings.Contains(err.Error(), `did you mean "ai-model"?`) {
		t.Errorf("Module: %v", err)
	}
}
