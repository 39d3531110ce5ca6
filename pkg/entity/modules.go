package entity

import (
	"fmt"
	"sort"
	"strings"
)

// The ai-model module: @backstage/plugin-catalog-backend-module-ai-model
// 0.1.x registers two layers of @backstage/catalog-model 1.10.x (alpha):
// aiResourceEntityModel (the AiResource kind) and mcpServerApiEntityModel
// (API's spec type mcp-server). Relation fields as they declare them; the
// schemas are in schemas/ (see schemas/NOTES.md).
var aiBase = []Relation{
	{Field: "owner", Relation: RelOwnedBy, DefaultKind: "Group", Targets: []string{"Group", "User"}},
	{Field: "system", Relation: RelPartOf, DefaultKind: "System", Targets: []string{"System"}},
}

var aiFields = []string{"type", "lifecycle", "owner", "system"}

func with[T any](a []T, b ...T) []T { return append(append([]T(nil), a...), b...) }

var aiModelLayer = Layer{ID: "ai-model", Kinds: []KindInfo{
	{Kind: "AiResource", APIVersions: []string{"backstage.io/v1alpha1"}, Schema: "airesource.v1alpha1.schema.json",
		SpecFields: aiFields, Relations: aiBase},
	{Kind: "AiResource", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "skill", Schema: "airesource.v1alpha1.skill.schema.json",
		SpecFields: with(aiFields, "disciplines", "categories", "agents", "dependsOn", "allowedTools", "license", "compatibility"),
		Relations:  with(aiBase, Relation{Field: "dependsOn", Relation: RelDependsOn, DefaultKind: "AiResource", Targets: []string{"AiResource"}, List: true})},
	{Kind: "AiResource", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "rule", Schema: "airesource.v1alpha1.rule.schema.json",
		SpecFields: with(aiFields, "disciplines", "category", "rationale"), Relations: aiBase},
	{Kind: "AiResource", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "plugin", Schema: "airesource.v1alpha1.plugin.schema.json",
		SpecFields: with(aiFields, "skills", "version"),
		Relations:  with(aiBase, Relation{Field: "skills", Relation: RelHasPart, DefaultKind: "AiResource", Targets: []string{"AiResource"}, List: true})},
	{Kind: "AiResource", APIVersions: []string{"backstage.io/v1alpha1"}, SpecType: "marketplace", Schema: "airesource.v1alpha1.marketplace.schema.json",
		SpecFields: with(aiFields, "plugins", "version"),
		Relations:  with(aiBase, Relation{Field: "plugins", Relation: RelHasPart, DefaultKind: "AiResource", Targets: []string{"AiResource"}, List: true})},
	{Kind: "API", APIVersions: backstageV1, SpecType: "mcp-server", Schema: "api.v1alpha1.mcp-server.schema.json",
		SpecFields: with(aiFields, "remotes"),
		Relations: []Relation{
			{Field: "owner", Relation: RelOwnedBy, DefaultKind: "Group", Targets: []string{"Group", "User"}},
			{Field: "system", Relation: RelPartOf, DefaultKind: "System"}, // no allowedKinds
		}},
}}

// Modules are Backstage's opt-in catalog modules whose model layers
// catalint knows, by the name `backstage.modules` and --backstage-module
// take.
var Modules = map[string]Layer{
	"ai-model": aiModelLayer,
}

// ModulePackages are the npm packages of the known modules: a Backstage
// backend whose package.json depends on one (and whose src/index.ts adds
// it) runs that module.
var ModulePackages = map[string]string{
	"ai-model": "@backstage/plugin-catalog-backend-module-ai-model",
}

// ModuleNames lists the known modules, sorted.
func ModuleNames() []string {
	out := make([]string, 0, len(Modules))
	for n := range Modules {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Module returns the layer of a known module.
func Module(name string) (Layer, error) {
	l, ok := Modules[name]
	if !ok {
		msg := fmt.Sprintf("unknown Backstage module %q; known: %s", name, strings.Join(ModuleNames(), ", "))
		if c := Closest(name, ModuleNames(), 1); len(c) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", c[0])
		}
		return Layer{}, fmt.Errorf("%s", msg)
	}
	return l, nil
}
