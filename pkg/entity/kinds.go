package entity

import "strings"

// Relation is a spec field that holds entity references.
type Relation struct {
	// Field is the spec field, e.g. "owner" or "dependsOn".
	Field string
	// DefaultKind applies when a reference names no kind; empty means the
	// kind must be written (dependsOn, dependencyOf).
	DefaultKind string
	// Targets are the kinds the reference may point at; empty means any.
	Targets []string
	// List is true when the field holds a list of references.
	List bool
}

// KindInfo describes a built-in kind: the apiVersions its validator
// accepts, its schema, its spec fields and its relations.
type KindInfo struct {
	Kind        string
	APIVersions []string
	// Schema is the file name of its JSON Schema in schemas/.
	Schema string
	// SpecFields are the spec fields the kind defines.
	SpecFields []string
	Relations  []Relation
}

var ownerRel = Relation{Field: "owner", DefaultKind: "Group", Targets: []string{"Group", "User"}}
var systemRel = Relation{Field: "system", DefaultKind: "System", Targets: []string{"System"}}
var dependsRel = []Relation{
	{Field: "dependsOn", Targets: []string{"Component", "Resource"}, List: true},
	{Field: "dependencyOf", Targets: []string{"Component", "Resource"}, List: true},
}

var backstageV1 = []string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}

// Kinds are the built-in kinds of Backstage's catalog and the scaffolder's
// Template, with the relations Backstage's BuiltinKindsEntityProcessor emits.
var Kinds = []KindInfo{
	{Kind: "Component", APIVersions: backstageV1, Schema: "component.v1alpha1.schema.json",
		SpecFields: []string{"type", "lifecycle", "owner", "system", "subcomponentOf", "providesApis", "consumesApis", "dependsOn", "dependencyOf"},
		Relations: append([]Relation{ownerRel, systemRel,
			{Field: "subcomponentOf", DefaultKind: "Component", Targets: []string{"Component"}},
			{Field: "providesApis", DefaultKind: "API", Targets: []string{"API"}, List: true},
			{Field: "consumesApis", DefaultKind: "API", Targets: []string{"API"}, List: true},
		}, dependsRel...)},
	{Kind: "API", APIVersions: backstageV1, Schema: "api.v1alpha1.schema.json",
		SpecFields: []string{"type", "lifecycle", "owner", "system", "definition"},
		Relations:  []Relation{ownerRel, systemRel}},
	{Kind: "Resource", APIVersions: backstageV1, Schema: "resource.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "system", "dependsOn", "dependencyOf"},
		Relations:  append([]Relation{ownerRel, systemRel}, dependsRel...)},
	{Kind: "System", APIVersions: backstageV1, Schema: "system.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "domain"},
		Relations:  []Relation{ownerRel, {Field: "domain", DefaultKind: "Domain", Targets: []string{"Domain"}}}},
	{Kind: "Domain", APIVersions: backstageV1, Schema: "domain.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "subdomainOf"},
		Relations:  []Relation{ownerRel, {Field: "subdomainOf", DefaultKind: "Domain", Targets: []string{"Domain"}}}},
	{Kind: "Group", APIVersions: backstageV1, Schema: "group.v1alpha1.schema.json",
		SpecFields: []string{"type", "profile", "parent", "children", "members"},
		Relations: []Relation{
			{Field: "parent", DefaultKind: "Group", Targets: []string{"Group"}},
			{Field: "children", DefaultKind: "Group", Targets: []string{"Group"}, List: true},
			{Field: "members", DefaultKind: "User", Targets: []string{"User"}, List: true},
		}},
	{Kind: "User", APIVersions: backstageV1, Schema: "user.v1alpha1.schema.json",
		SpecFields: []string{"profile", "memberOf"},
		Relations:  []Relation{{Field: "memberOf", DefaultKind: "Group", Targets: []string{"Group"}, List: true}}},
	{Kind: "Location", APIVersions: backstageV1, Schema: "location.v1alpha1.schema.json",
		SpecFields: []string{"type", "target", "targets", "presence"}},
	{Kind: "Template", APIVersions: []string{"scaffolder.backstage.io/v1beta3"}, Schema: "template.v1beta3.schema.json",
		SpecFields: []string{"type", "owner", "lifecycle", "parameters", "steps", "output", "presentation", "secrets", "formDecorators", "EXPERIMENTAL_recovery", "EXPERIMENTAL_formDecorators"},
		Relations:  []Relation{ownerRel}},
}

// MetadataFields are the metadata fields Backstage defines.
var MetadataFields = []string{"name", "namespace", "title", "description", "labels", "annotations", "tags", "links", "uid", "etag", "generation"}

// LookupKind returns the built-in kind an apiVersion and kind select, as
// Backstage's kind validators match them: exactly, case-sensitively.
func LookupKind(apiVersion, kind string) (KindInfo, bool) {
	for _, k := range Kinds {
		if k.Kind != kind {
			continue
		}
		for _, v := range k.APIVersions {
			if v == apiVersion {
				return k, true
			}
		}
	}
	return KindInfo{}, false
}

// KindByName returns a built-in kind by name, case-insensitively.
func KindByName(kind string) (KindInfo, bool) {
	for _, k := range Kinds {
		if strings.EqualFold(k.Kind, kind) {
			return k, true
		}
	}
	return KindInfo{}, false
}
