package score

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

func ent(kind, name, loc string, meta, spec map[string]any) *catalog.Entity {
	if meta == nil {
		meta = map[string]any{}
	}
	meta["name"] = name
	return &catalog.Entity{Kind: kind, Namespace: "default", Name: name, Location: loc,
		Raw: map[string]any{"kind": kind, "metadata": meta, "spec": spec}}
}

// fixture is a small catalog whose scores are computed by hand below.
func fixture(t *testing.T) (Input, map[string]*catalog.Entity) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mkdocs.yml"), []byte("site_name: x\n"), 0o644)
	file := filepath.Join(dir, "catalog-info.yaml") + ":1"
	es := map[string]*catalog.Entity{
		// Everything: score 100, complete, Gold.
		"full": ent("Component", "full", file,
			map[string]any{"description": "d", "annotations": map[string]any{"backstage.io/techdocs-ref": "dir:."}, "links": []any{map[string]any{"url": "https://r"}}},
			map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a", "system": "s", "dependsOn": []any{"resource:db"}, "providesApis": []any{"api-a"}}),
		// Owner unknown (weight 2), no deps, API without definition, no
		// description, techdocs dir without mkdocs, no links, no system:
		// applicable weights 2+1+1+1+1+1+1+1 = 9; passing: lifecycle 1 → 11.1.
		"poor": ent("Component", "poor", "/nowhere/catalog-info.yaml:1",
			map[string]any{"annotations": map[string]any{"backstage.io/techdocs-ref": "dir:docs"}},
			map[string]any{"type": "service", "lifecycle": "production", "owner": "team-x", "providesApis": []any{"api-b"}}),
		// A library: no API spec metric; lifecycle not allowed.
		// Applicable: owner 2, deps 1, lifecycle 1, description 1,
		// techdocs 1, links 1, system 1 = 8; passing: owner 2, deps 1,
		// description 1 = 4 → 50.
		"lib": ent("Component", "lib", file, map[string]any{"description": "d"},
			map[string]any{"type": "library", "lifecycle": "prod", "owner": "team-a", "dependsOn": []any{"component:full"}}),
		"api-a": ent("API", "api-a", file, map[string]any{"description": "d"}, map[string]any{"type": "openapi", "lifecycle": "production", "owner": "team-a", "system": "s", "definition": "openapi: 3.0.0"}),
		"api-b": ent("API", "api-b", file, nil, map[string]any{"type": "openapi", "lifecycle": "production", "owner": "team-a", "definition": ""}),
		"team":  ent("Group", "team-a", file, nil, map[string]any{"type": "team", "children": []any{}}),
	}
	all := make([]*catalog.Entity, 0, len(es))
	for _, e := range es {
		all = append(all, e)
	}
	dirx := owners.NewDirectory()
	dirx.AddGroup(owners.Group{Name: "team-a", Members: 2})
	var flat []catalog.Entity
	for _, e := range all {
		flat = append(flat, *e)
	}
	return Input{Entities: all, Index: catalog.NewIndex(flat), Owners: dirx, Verified: true}, es
}

func TestEntityScores(t *testing.T) {
	in, _ := fixture(t)
	got := map[string]Entity{}
	for _, s := range Score(in, DefaultConfig()) {
		got[s.Ref] = s
	}
	if len(got) != 5 {
		t.Fatalf("scored %d entities, want 5 (the Group is not scored)", len(got))
	}
	for ref, want := range map[string]struct {
		score    float64
		complete bool
		level    string
		failing  []Metric
	}{
		"component:default/full": {100, true, "Gold", nil},
		"component:default/poor": {11.1, false, "", []Metric{Owner, Dependencies, APISpec, Description, TechDocs, Links, System}},
		"component:default/lib":  {50, false, "", []Metric{Lifecycle, TechDocs, Links, System}},
		// API: owner 2, apiSpec 1, lifecycle 1, description 1, techdocs 1,
		// links 1, system 1 = 8; api-a fails techdocs and links → 6/8.
		"api:default/api-a": {75, false, "Silver", []Metric{TechDocs, Links}},
	} {
		s := got[ref]
		if s.Score != want.score || s.Complete != want.complete || s.Level != want.level || len(s.Failing()) != len(want.failing) {
			t.Errorf("%s: score %v complete %v level %q failing %v; want %v %v %q %v", ref, s.Score, s.Complete, s.Level, s.Failing(), want.score, want.complete, want.level, want.failing)
			continue
		}
		for i, m := range want.failing {
			if s.Failing()[i] != m {
				t.Errorf("%s: failing %v, want %v", ref, s.Failing(), want.failing)
			}
		}
	}
	poor := got["component:default/poor"]
	for _, c := range poor.Checks {
		if c.Metric == APISpec && c.Reason != "without a spec: api:default/api-b (no definition)" {
			t.Errorf("apiSpec reason: %q", c.Reason)
		}
		if c.Metric == Owner && c.Reason != "owner team-x does not exist in the owner directory" {
			t.Errorf("owner reason: %q", c.Reason)
		}
	}
}

func TestAggregates(t *testing.T) {
	in, _ := fixture(t)
	scores := Score(in, DefaultConfig())
	org := Summarize("org", scores)
	// Scores: full 100, poor 11.1, lib 50, api-a 75, api-b: owner 2,
	// apiSpec fails, lifecycle 1, description fails, techdocs, links,
	// system fail → 3/8 = 37.5. Mean = (100+11.1+50+75+37.5)/5 = 54.7.
	if org.Entities != 5 || org.Complete != 1 || org.CompletePercent != 20 || org.MeanScore != 54.7 {
		t.Errorf("org: %+v", org)
	}
	// Owner: 4 of 5 valid; dependencies: full and lib of the 3 components.
	if m := org.Metrics[Owner]; m.Pass != 4 || m.Applicable != 5 || m.Percent != 80 {
		t.Errorf("owner: %+v", m)
	}
	if m := org.Metrics[Dependencies]; m.Pass != 2 || m.Applicable != 3 || m.Percent != 66.7 {
		t.Errorf("dependencies: %+v", m)
	}
	by := By("owner", scores)
	if len(by) != 2 || by[0].Key != "team-x" || by[1].Key != "team-a" || by[1].Entities != 4 {
		t.Errorf("by owner: %+v", by)
	}
}

func TestUnverifiedOwnerPassesAndSaysSo(t *testing.T) {
	in, _ := fixture(t)
	in.Verified = false
	for _, s := range Score(in, DefaultConfig()) {
		if s.Ref == "component:default/poor" {
			for _, c := range s.Checks {
				if c.Metric == Owner && (!c.Pass || c.Reason != "owner team-x is set (not verified: no owner directory)") {
					t.Errorf("owner check: %+v", c)
				}
			}
		}
	}
}

func TestConfiguredWeightsAndLevels(t *testing.T) {
	in, _ := fixture(t)
	cfg := DefaultConfig()
	cfg.Weights[TechDocs] = 0 // left out
	cfg.Levels = []Level{{Name: "Basic", Require: []Metric{Owner}}, {Name: "Good", Require: []Metric{Links}}}
	for _, s := range Score(in, cfg) {
		if s.Ref == "api:default/api-a" && (s.Score != 85.7 || s.Level != "Basic") {
			t.Errorf("api-a: %v %q; want 6/7 = 85.7 and Basic", s.Score, s.Level)
		}
	}
}

// With the ai-model module, an MCP server API's spec is its remotes, for
// itself and for the component that provides it; AiResources are scored.
func TestScoreAIModel(t *testing.T) {
	ai, err := entity.Module("ai-model")
	if err != nil {
		t.Fatal(err)
	}
	m, err := entity.NewModel(ai)
	if err != nil {
		t.Fatal(err)
	}
	es := []catalog.Entity{
		{Kind: "Component", Namespace: "default", Name: "svc", Raw: map[string]any{"spec": map[string]any{"type": "service", "owner": "team-a", "providesApis": []any{"mcp"}}}},
		{Kind: "API", Namespace: "default", Name: "mcp", Raw: map[string]any{"spec": map[string]any{"type": "mcp-server", "owner": "team-a", "remotes": []any{map[string]any{"type": "sse", "url": "https://x"}}}}},
		{Kind: "AiResource", Namespace: "default", Name: "skill", Raw: map[string]any{"spec": map[string]any{"type": "skill", "owner": "team-a", "lifecycle": "production"}}},
	}
	var ptrs []*catalog.Entity
	for i := range es {
		ptrs = append(ptrs, &es[i])
	}
	check := func(model *entity.Model) map[string]map[Metric]Check {
		out := map[string]map[Metric]Check{}
		for _, s := range Score(Input{Entities: ptrs, Index: catalog.NewIndex(es), Model: model}, DefaultConfig()) {
			out[s.Ref] = map[Metric]Check{}
			for _, c := range s.Checks {
				out[s.Ref][c.Metric] = c
			}
		}
		return out
	}
	got := check(m)
	if c := got["component:default/svc"][APISpec]; !c.Pass {
		t.Errorf("svc apiSpec with the module: %+v", c)
	}
	if c := got["api:default/mcp"][APISpec]; !c.Pass || c.Reason != "an MCP server with 1 remote(s)" {
		t.Errorf("mcp apiSpec: %+v", c)
	}
	if c := got["airesource:default/skill"][Lifecycle]; !c.Applicable || !c.Pass {
		t.Errorf("skill lifecycle: %+v", c)
	}
	got = check(nil)
	if c := got["component:default/svc"][APISpec]; c.Pass {
		t.Errorf("svc apiSpec without the module: %+v", c)
	}
	if _, ok := got["airesource:default/skill"]; ok {
		t.Error("an AiResource is scored without the module")
	}
}
