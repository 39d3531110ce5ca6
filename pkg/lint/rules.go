// Package lint runs catalint's rules over loaded catalog documents.
package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Rule groups.
const (
	// GroupSchema reproduces Backstage's verdict: with only this group, a run
	// has no error exactly when Backstage's catalog accepts every document.
	GroupSchema = "schema"
	// GroupRefs checks references between entities and files.
	GroupRefs = "refs"
	// GroupOwners checks owners against the identity provider.
	GroupOwners = "owners"
	// GroupAPIs checks API definitions with the parser made for each type.
	GroupAPIs = "apis"
	// GroupTechDocs checks TechDocs references and well-known annotations.
	GroupTechDocs = "techdocs"
	// GroupPolicy holds the organisation's own rules from .catalint.yaml.
	GroupPolicy = "policy"
	// GroupStyle finds likely mistakes that Backstage accepts.
	GroupStyle = "style"
)

// Groups lists the rule groups.
var Groups = []string{GroupSchema, GroupRefs, GroupOwners, GroupAPIs, GroupTechDocs, GroupPolicy, GroupStyle}

// Rule describes one kind of finding.
type Rule struct {
	ID          string
	Group       string
	Severity    diag.Severity
	Description string
	// Core rules report input catalint cannot read at all; they run
	// whatever groups are selected.
	Core bool
}

// Rule ids.
const (
	RuleEnvelope         = "envelope"
	RuleKind             = "kind"
	RuleSchema           = "schema"
	RuleFormat           = "format"
	RuleRefFormat        = "ref-format"
	RuleLocationTarget   = "location-target"
	RuleUnknownField     = "unknown-field"
	RuleUnresolved       = "unresolved-ref"
	RuleRefKind          = "ref-kind"
	RuleDuplicate        = "duplicate-entity"
	RuleCycle            = "cycle"
	RuleLifecycleDep     = "lifecycle-dependency"
	RuleOwnerMissing     = "owner-missing"
	RuleOwnerUser        = "owner-user"
	RuleEmptyTeam        = "empty-team"
	RuleGroupRef         = "group-ref"
	RuleCodeowners       = "codeowners"
	RuleOwnerDrift       = "owner-drift"
	RuleOwnerProvider    = "owner-provider"
	RuleAPIDefinition    = "api-definition"
	RuleAPIProvided      = "api-provided"
	RuleTechDocs         = "techdocs"
	RuleAnnotationFormat = "annotation-format"
	RuleAllowedValue     = "allowed-value"
	RulePolicy           = "policy"
	RuleCatalogRule      = "catalog-rule"
)

// Rules is every rule catalint has, in the order of docs/rules.md.
var Rules = []Rule{
	{ID: load.RuleFile, Group: GroupSchema, Severity: diag.Error, Core: true,
		Description: "A file that cannot be read, is over the size limit, or is binary; a folder that cannot be searched."},
	{ID: load.RuleYAML, Group: GroupSchema, Severity: diag.Error, Core: true,
		Description: "A YAML syntax error, duplicate key, alias bomb or over-deep nesting; fails the document it is in."},
	{ID: load.RuleEncoding, Group: GroupSchema, Severity: diag.Warning, Core: true,
		Description: "Bytes that are not UTF-8, or control characters; read as U+FFFD as Backstage does."},
	{ID: load.RulePlaceholder, Group: GroupSchema, Severity: diag.Error,
		Description: "A $text/$json/$yaml/$openapi/$asyncapi placeholder whose file is missing, unreadable, outside the repository, or does not parse; remote ones are a notice."},
	{ID: load.RuleTemplateSource, Group: GroupSchema, Severity: diag.Notice,
		Description: "A file whose documents hold scaffolder template expressions (${{ … }}, {% … %}, {{ cookiecutter.… }}): a template source, rendered before Backstage reads it; one notice instead of its format, schema, duplicate or YAML errors."},
	{ID: RuleTemplateSkeleton, Group: GroupSchema, Severity: diag.Notice,
		Description: "What a scaffolder Template renders: the catalog files of its fetch:template skeletons are rendered with its parameter defaults and checked like any file, at the skeleton's lines; this rule's notices name the values the template cannot supply (whose fields are not checked) and skeletons that cannot be read or rendered (a warning for a catalog file the scaffolder could not render either). Disabling it turns rendering off."},
	{ID: RuleEnvelope, Group: GroupSchema, Severity: diag.Error,
		Description: "A document that is not a mapping, or lacks apiVersion, kind or metadata."},
	{ID: RuleKind, Group: GroupSchema, Severity: diag.Error,
		Description: "An apiVersion and kind that no built-in kind validator accepts."},
	{ID: RuleSchema, Group: GroupSchema, Severity: diag.Error,
		Description: "A field missing, of the wrong type, or not allowed, by the JSON Schema of the entity's kind."},
	{ID: RuleFormat, Group: GroupSchema, Severity: diag.Error,
		Description: "A name, namespace, kind, apiVersion, label, annotation, tag or link that breaks Backstage's field format rules."},
	{ID: RuleCatalogRule, Group: GroupSchema, Severity: diag.Error,
		Description: "With --app-config: an entity of a kind that the catalog rules (catalog.rules, its location's rules, or Backstage's default: Component, API, Location) do not allow from the location it was registered through; Backstage then ingests nothing that Location reads. Also a kind the rules allow that catalint does not know, once."},
	{ID: RuleRefFormat, Group: GroupSchema, Severity: diag.Error,
		Description: "A relation field (owner, system, dependsOn, …) whose value is not an entity reference; dependsOn and dependencyOf need an explicit kind."},
	{ID: RuleLocationTarget, Group: GroupRefs, Severity: diag.Error,
		Description: "A Location target that does not exist or leaves the repository; remote targets are a notice."},
	{ID: RuleUnresolved, Group: GroupRefs, Severity: diag.Error,
		Description: "A reference (system, domain, subcomponentOf, providesApis, consumesApis, dependsOn, dependencyOf, subdomainOf) to an entity that is in neither the checked files nor the catalog sources; a single notice when no source is configured."},
	{ID: RuleRefKind, Group: GroupRefs, Severity: diag.Error,
		Description: "A reference to the wrong kind: an owner that is not a Group or User, a system that is not a System; a warning for dependsOn/dependencyOf that is not a Component or Resource."},
	{ID: RuleDuplicate, Group: GroupRefs, Severity: diag.Error,
		Description: "The same entity reference defined twice: in two checked files, or in a checked file and elsewhere in the catalog."},
	{ID: RuleCycle, Group: GroupRefs, Severity: diag.Error,
		Description: "A cycle of subcomponentOf, Group parent/children or subdomainOf (error), or of dependsOn (warning)."},
	{ID: RuleLifecycleDep, Group: GroupRefs, Severity: diag.Warning,
		Description: "A production entity that depends on a deprecated one."},
	{ID: RuleOwnerMissing, Group: GroupOwners, Severity: diag.Error,
		Description: "A spec.owner that the owner directory (the --owners providers and the catalog's Group and User entities) does not know; a single notice when there is no directory."},
	{ID: RuleOwnerUser, Group: GroupOwners, Severity: diag.Error,
		Description: "A user as owner where policy requires teams (--owners-allow-users=false)."},
	{ID: RuleEmptyTeam, Group: GroupOwners, Severity: diag.Warning,
		Description: "An owner team with no members, when --require-team-members is set."},
	{ID: RuleGroupRef, Group: GroupOwners, Severity: diag.Error,
		Description: "A memberOf, parent or children that names a group, or members that names a user, unknown to the owner directory."},
	{ID: RuleCodeowners, Group: GroupOwners, Severity: diag.Warning,
		Description: "The repository's CODEOWNERS gives the catalog file to teams other than the entity's owner."},
	{ID: RuleOwnerDrift, Group: GroupOwners, Severity: diag.Warning,
		Description: "With --drift: no member of the owner team authored a commit of the entity's GitHub repository in the last drift.days (90) days, while one other team wrote most of them (that team is named, with commit counts per team)."},
	{ID: RuleOwnerProvider, Group: GroupOwners, Severity: diag.Warning,
		Description: "An owner provider that failed with --on-provider-error warn, or that had nothing cached with --offline: owners were not (fully) verified."},
	{ID: RuleAPIDefinition, Group: GroupAPIs, Severity: diag.Error,
		Description: "An API definition that its type's parser rejects (OpenAPI 3.0/3.1 and Swagger 2.0 with kin-openapi, AsyncAPI 2/3, GraphQL SDL, gRPC .proto), at the line in the definition's own file; other types get a notice that they are not verified."},
	{ID: RuleAPIProvided, Group: GroupAPIs, Severity: diag.Warning,
		Description: "A providesApis entry naming an API whose definition is empty or not valid: the portal may have no spec to show."},
	{ID: RuleTechDocs, Group: GroupTechDocs, Severity: diag.Error,
		Description: "A backstage.io/techdocs-ref that does not reach an MkDocs site in the repository (mkdocs.yml, docs_dir, every nav page), or a techdocs-entity that is not an entity reference."},
	{ID: RuleAnnotationFormat, Group: GroupTechDocs, Severity: diag.Warning,
		Description: "A well-known annotation (source-location, project-slug, view-url, PagerDuty, kubernetes-id, SonarQube, …) whose value does not have the form its plugin expects; .catalint.yaml can add formats."},
	{ID: RuleAllowedValue, Group: GroupPolicy, Severity: diag.Error,
		Description: "A lifecycle or type outside the values .catalint.yaml allows (allowed.lifecycles, componentTypes, apiTypes, resourceTypes)."},
	{ID: RuleTemplateFiles, Group: GroupPolicy, Severity: diag.Error,
		Description: "A Template whose skeletons lack a file that templates.skeleton in .catalint.yaml requires, or ship one it forbids (every service template ships .github/workflows/ci.yml and no Jenkinsfile), reported on the Template."},
	{ID: RulePolicy, Group: GroupPolicy, Severity: diag.Error,
		Description: "An entity that breaks a custom JSON Schema policy of .catalint.yaml (policies), for the entities its selector picks."},
	{ID: RuleUnknownField, Group: GroupStyle, Severity: diag.Warning,
		Description: "A metadata or spec key that is not defined for the kind but is one typo away from a field that is (lifecyle, ownr)."},
}

// RuleByID finds a rule.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Selection says which rules run, and at which severity.
type Selection struct {
	only     map[string]bool
	disabled map[string]bool
	severity map[string]diag.Severity
}

// SetSeverity overrides a rule's severity: "error", "warning", "notice",
// or "off" to disable it.
func (s *Selection) SetSeverity(id, sev string) error {
	if _, ok := RuleByID(id); !ok {
		msg := fmt.Sprintf("no such rule %q", id)
		if c := entity.Closest(id, ruleIDs(), 1); len(c) > 0 {
			msg += fmt.Sprintf("; did you mean %q?", c[0])
		}
		return fmt.Errorf("%s", msg)
	}
	if sev == "off" {
		if s.disabled == nil {
			s.disabled = map[string]bool{}
		}
		s.disabled[id] = true
		return nil
	}
	v, err := diag.ParseSeverity(sev)
	if err != nil {
		return err
	}
	if s.severity == nil {
		s.severity = map[string]diag.Severity{}
	}
	s.severity[id] = v
	return nil
}

// adjust applies severity overrides and drops diagnostics of rules that do
// not run.
func (s *Selection) adjust(ds []diag.Diagnostic) []diag.Diagnostic {
	if s == nil {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if !s.Enabled(d.Rule) {
			continue
		}
		if v, ok := s.severity[d.Rule]; ok {
			d.Severity = v
		}
		out = append(out, d)
	}
	return out
}

// Adjust applies severity overrides and drops diagnostics of rules that do
// not run, for diagnostics made outside Run (owner-drift).
func (s *Selection) Adjust(ds []diag.Diagnostic) []diag.Diagnostic { return s.adjust(ds) }

// NewSelection builds a Selection from --only and --disable values, each a
// group or a rule id. Unknown names are an error that lists the known ones.
func NewSelection(only, disable []string) (*Selection, error) {
	s := &Selection{}
	check := func(flag string, names []string) (map[string]bool, error) {
		if len(names) == 0 {
			return nil, nil
		}
		m := map[string]bool{}
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if !isGroup(n) {
				if _, ok := RuleByID(n); !ok {
					msg := fmt.Sprintf("%s %q: no such rule group or rule (groups: %s; rules: %s)", flag, n, strings.Join(Groups, ", "), strings.Join(ruleIDs(), ", "))
					if c := entity.Closest(n, append(append([]string{}, Groups...), ruleIDs()...), 1); len(c) > 0 {
						msg += fmt.Sprintf("; did you mean %q?", c[0])
					}
					return nil, fmt.Errorf("%s", msg)
				}
			}
			m[n] = true
		}
		return m, nil
	}
	var err error
	if s.only, err = check("--only", only); err != nil {
		return nil, err
	}
	if s.disabled, err = check("--disable", disable); err != nil {
		return nil, err
	}
	return s, nil
}

func isGroup(n string) bool {
	for _, g := range Groups {
		if g == n {
			return true
		}
	}
	return false
}

func ruleIDs() []string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return ids
}

// Enabled reports whether a rule runs.
func (s *Selection) Enabled(id string) bool {
	r, ok := RuleByID(id)
	if !ok {
		return true
	}
	if r.Core {
		return true
	}
	if s == nil {
		return true
	}
	if s.disabled[r.ID] || s.disabled[r.Group] {
		return false
	}
	if s.only != nil {
		return s.only[r.ID] || s.only[r.Group]
	}
	return true
}

// templateSources tells whether files that hold template expressions are
// taken as template sources (not checked as they stand): unless
// template-source (or its group) is disabled or turned off, whatever
// --only selects (with --only techdocs, a skeleton whose {% if %} breaks
// its YAML is still a template source, not a YAML error).
func (s *Selection) templateSources() bool { return !s.turnedOff(load.RuleTemplateSource) }

// renders tells whether Templates are rendered: unless template-skeleton
// (or its group) is disabled or turned off, whatever --only selects (with
// --only owners, the owners of what Templates create are checked too).
func (s *Selection) renders() bool { return !s.turnedOff(RuleTemplateSkeleton) }

// turnedOff tells whether a rule (or its group) is disabled or its
// severity set to off; --only does not turn a rule off here.
func (s *Selection) turnedOff(id string) bool {
	if s == nil {
		return false
	}
	r, _ := RuleByID(id)
	return s.disabled[id] || s.disabled[r.Group]
}
