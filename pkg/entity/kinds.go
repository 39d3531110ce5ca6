package entity

import "strings"

// Relation is a relation field of a kind: a spec field that holds entity
// references, as a catalog model layer declares it (Backstage's
// relationFields: path, relation, defaultKind, allowedKinds).
type Relation struct {
	// Field is the spec field, e.g. "owner" or "dependsOn" (the path
	// spec.owner, spec.dependsOn).
	Field string
	// Relation is the relation Backstage emits from the entity to each
	// target: ownedBy, partOf, dependsOn, …
	Relation string
	// DefaultKind applies when a reference names no kind; empty means the
	// kind must be written (dependsOn, dependencyOf).
	DefaultKind string
	// Targets are the kinds the reference may point at (allowedKinds);
	// empty means any.
	Targets []string
	// List is true when the field holds a list of references.
	List bool
}

// Path is the field's path in the entity, e.g. "spec.owner".
func (r Relation) Path() string { return "spec." + r.Field }

// KindInfo is one version of a kind in a catalog model layer: the
// apiVersions it accepts, the spec type it is for (empty: any), its JSON
// Schema, its spec fields and its relation fields.
type KindInfo struct {
	Kind        string
	APIVersions []string
	// SpecType selects this version for entities whose spec.type is it;
	// empty is the kind's default, used for any other spec.type.
	SpecType string
	// Schema is the name of its JSON Schema: a file of schemas/, or one of
	// its layer's Schemas.
	Schema string
	// SpecFields are the spec fields the kind defines.
	SpecFields []string
	Relations  []Relation
	// Layer is the id of the model layer that declares it.
	Layer string
}

// Relation types, as Backstage names them.
const (
	RelOwnedBy      = "ownedBy"
	RelPartOf       = "partOf"
	RelHasPart      = "hasPart"
	RelDependsOn    = "dependsOn"
	RelDependencyOf = "dependencyOf"
	RelProvidesAPI  = "providesApi"
	RelConsumesAPI  = "consumesApi"
	RelChildOf      = "childOf"
	RelParentOf     = "parentOf"
	RelMemberOf     = "memberOf"
	RelHasMember    = "hasMember"
)

// RelationTypes are the relation types a relation field may emit: those of
// Backstage's well-known relations model.
var RelationTypes = []string{
	"ownedBy", "ownerOf", "consumesApi", "apiConsumedBy", "providesApi", "apiProvidedBy",
	"dependsOn", "dependencyOf", "parentOf", "childOf", "memberOf", "hasMember", "partOf", "hasPart",
}

var ownerRel = Relation{Field: "owner", Relation: RelOwnedBy, DefaultKind: "Group", Targets: []string{"Group", "User"}}
var systemRel = Relation{Field: "system", Relation: RelPartOf, DefaultKind: "System", Targets: []string{"System"}}
var dependsRel = []Relation{
	{Field: "dependsOn", Relation: RelDependsOn, Targets: []string{"Component", "Resource"}, List: true},
	{Field: "dependencyOf", Relation: RelDependencyOf, Targets: []string{"Component", "Resource"}, List: true},
}

var backstageV1 = []string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}

// BuiltinLayer holds the built-in kinds of Backstage's catalog and the
// scaffolder's Template, with the relations Backstage's
// BuiltinKindsEntityProcessor emits.
var BuiltinLayer = Layer{ID: "builtin", Kinds: []KindInfo{
	{Kind: "Component", APIVersions: backstageV1, Schema: "component.v1alpha1.schema.json",
		SpecFields: []string{"type", "lifecycle", "owner", "system", "subcomponentOf", "providesApis", "consumesApis", "dependsOn", "dependencyOf"},
		Relations: append([]Relation{ownerRel, systemRel,
			{Field: "subcomponentOf", Relation: RelPartOf, DefaultKind: "Component", Targets: []string{"Component"}},
			{Field: "providesApis", Relation: RelProvidesAPI, DefaultKind: "API", Targets: []string{"API"}, List: true},
			{Field: "consumesApis", Relation: RelConsumesAPI, DefaultKind: "API", Targets: []string{"API"}, List: true},
		}, dependsRel...)},
	{Kind: "API", APIVersions: backstageV1, Schema: "api.v1alpha1.schema.json",
		SpecFields: []string{"type", "lifecycle", "owner", "system", "definition"},
		Relations:  []Relation{ownerRel, systemRel}},
	{Kind: "Resource", APIVersions: backstageV1, Schema: "resource.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "system", "dependsOn", "dependencyOf"},
		Relations:  append([]Relation{ownerRel, systemRel}, dependsRel...)},
	{Kind: "System", APIVersions: backstageV1, Schema: "system.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "domain"},
		Relations:  []Relation{ownerRel, {Field: "domain", Relation: RelPartOf, DefaultKind: "Domain", Targets: []string{"Domain"}}}},
	{Kind: "Domain", APIVersions: backstageV1, Schema: "domain.v1alpha1.schema.json",
		SpecFields: []string{"type", "owner", "subdomainOf"},
		Relations:  []Relation{ownerRel, {Field: "subdomainOf", Relation: RelPartOf, DefaultKind: "Domain", Targets: []string{"Domain"}}}},
	{Kind: "Group", APIVersions: backstageV1, Schema: "group.v1alpha1.schema.json",
		SpecFields: []string{"type", "profile", "parent", "children", "members"},
		Relations: []Relation{
			{Field: "parent", Relation: RelChildOf, DefaultKind: "Group", Targets: []string{"Group"}},
			{Field: "children", Relation: RelParentOf, DefaultKind: "Group", Targets: []string{"Group"}, List: true},
			{Field: "members", Relation: RelHasMember, DefaultKind: "User", Targets: []string{"User"}, List: true},
		}},
	{Kind: "User", APIVersions: backstageV1, Schema: "user.v1alpha1.schema.json",
		SpecFields: []string{"profile", "memberOf"},
		Relations:  []Relation{{Field: "memberOf", Relation: RelMemberOf, DefaultKind: "Group", Targets: []string{"Group"}, List: true}}},
	{Kind: "Location", APIVersions: backstageV1, Schema: "location.v1alpha1.schema.json",
		SpecFields: []string{"type", "target", "targets", "presence"}},
	{Kind: "Template", APIVersions: []string{"scaffolder.backstage.io/v1beta3"}, Schema: "template.v1beta3.schema.json",
		SpecFields: []string{"type", "owner", "lifecycle", "parameters", "steps", "output", "presentation", "secrets", "formDecorators", "EXPERIMENTAL_recovery", "EXPERIMENTAL_formDecorators"},
		Relations:  []Relation{ownerRel}},
}}

// MetadataFields are the metadata fields Backstage defines.
var MetadataFields = []string{"name", "namespace", "title", "description", "labels", "annotations", "tags", "links", "uid", "etag", "generation"}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
