// Package score computes catalog completeness: per entity, explainable
// metrics (owner, dependencies, API spec, lifecycle, description, TechDocs,
// links, system), a weighted score, cumulative levels, and aggregates per
// owner, kind, type, system and for the whole organisation.
package score

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// Metric names one completeness check.
type Metric string

// The metrics, in the order reports show them.
const (
	Owner        Metric = "owner"
	Dependencies Metric = "dependencies"
	APISpec      Metric = "apiSpec"
	Lifecycle    Metric = "lifecycle"
	Description  Metric = "description"
	TechDocs     Metric = "techdocs"
	Links        Metric = "links"
	System       Metric = "system"
)

// Metrics lists every metric.
var Metrics = []Metric{Owner, Dependencies, APISpec, Lifecycle, Description, TechDocs, Links, System}

// Headline are the four numbers a platform team watches.
var Headline = []Metric{Owner, Dependencies, APISpec, Lifecycle}

// Title is how reports name a metric.
func (m Metric) Title() string {
	return map[Metric]string{
		Owner: "valid owner", Dependencies: "dependencies declared", APISpec: "API spec attached",
		Lifecycle: "lifecycle set", Description: "description", TechDocs: "TechDocs",
		Links: "runbook or link", System: "system set",
	}[m]
}

// Fix is the one-line fix for a failing metric.
func (m Metric) Fix() string {
	return map[Metric]string{
		Owner:        "set spec.owner to a team that exists in the owner directory",
		Dependencies: "declare what it needs in spec.dependsOn (e.g. resource:orders-db) or spec.consumesApis",
		APISpec:      "list its APIs in spec.providesApis, each an API entity with a spec.definition",
		Lifecycle:    "set spec.lifecycle to an allowed value (production, experimental, deprecated)",
		Description:  "add a one-line metadata.description",
		TechDocs:     "add the annotation backstage.io/techdocs-ref: dir:. and an mkdocs.yml beside the catalog file",
		Links:        "add metadata.links with the runbook (or dashboard) URL",
		System:       "set spec.system to the System it belongs to",
	}[m]
}

// Level is one cumulative level.
type Level struct {
	Name    string
	Require []Metric
}

// Config defines the score.
type Config struct {
	Weights map[Metric]float64
	Levels  []Level
	// Lifecycles are the allowed lifecycle values.
	Lifecycles []string
}

// DefaultConfig is the score without a configuration file.
func DefaultConfig() Config {
	return Config{
		Weights: map[Metric]float64{Owner: 2, Dependencies: 1, APISpec: 1, Lifecycle: 1, Description: 1, TechDocs: 1, Links: 1, System: 1},
		Levels: []Level{
			{Name: "Bronze", Require: []Metric{Owner, Lifecycle, Description}},
			{Name: "Silver", Require: []Metric{System, Dependencies, APISpec}},
			{Name: "Gold", Require: []Metric{TechDocs, Links}},
		},
		Lifecycles: []string{"production", "experimental", "deprecated"},
	}
}

// Check is one metric of one entity.
type Check struct {
	Metric     Metric `json:"metric"`
	Applicable bool   `json:"applicable"`
	Pass       bool   `json:"pass"`
	// Reason explains the verdict.
	Reason string `json:"reason"`
}

// Entity is one entity's score.
type Entity struct {
	Ref      string  `json:"ref"`
	Kind     string  `json:"kind"`
	Type     string  `json:"type"`
	Owner    string  `json:"owner"`
	System   string  `json:"system"`
	Location string  `json:"location"`
	Checks   []Check `json:"checks"`
	// Score is 0-100: the weighted share of applicable metrics that pass.
	Score    float64 `json:"score"`
	Complete bool    `json:"complete"`
	// Level is the highest level passed, "" for none.
	Level string `json:"level"`
}

// Failing lists the applicable metrics the entity fails.
func (e Entity) Failing() []Metric {
	var out []Metric
	for _, c := range e.Checks {
		if c.Applicable && !c.Pass {
			out = append(out, c.Metric)
		}
	}
	return out
}

// Scored reports whether a kind is scored.
func Scored(kind string) bool { return ScoredIn(nil, kind) }

// ScoredIn reports whether entities of a kind are scored under a catalog
// model: the built-in kinds above, and every kind a module or the
// configuration adds (AiResource, declared kinds).
func ScoredIn(m *entity.Model, kind string) bool {
	switch strings.ToLower(kind) {
	case "component", "api", "resource", "system":
		return true
	}
	if k, ok := m.ByName(kind); ok {
		return !k.IsBuiltin()
	}
	return false
}

// ownerField is the spec field of a kind whose relation is ownedBy
// ("owner" for every built-in kind).
func ownerField(m *entity.Model, kind string) string {
	for _, r := range m.Relations(kind) {
		if r.Relation == entity.RelOwnedBy {
			return r.Field
		}
	}
	return "owner"
}

// Input is what scoring reads.
type Input struct {
	// Entities are scored (those of other kinds are skipped).
	Entities []*catalog.Entity
	// Index resolves provided APIs.
	Index *catalog.Index
	// Owners is the owner directory; Verified says whether it is a real
	// one (when false, a set owner passes, "not verified").
	Owners   *owners.Directory
	Verified bool
	// Model is the catalog model (nil: the built-in kinds).
	Model *entity.Model
}

// Score scores the entities, sorted by reference.
func Score(in Input, cfg Config) []Entity {
	var out []Entity
	for _, e := range in.Entities {
		if !ScoredIn(in.Model, e.Kind) {
			continue
		}
		out = append(out, scoreOne(e, in, cfg))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out
}

func str(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	s, _ := cur.(string)
	return s
}

func list(m map[string]any, key string) []string {
	switch v := m[key].(type) {
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// isMCP reports whether an API's spec is that of an MCP server under a
// model with the ai-model module: its spec is spec.remotes, not a
// definition.
func isMCP(m *entity.Model, spec map[string]any) bool {
	t, _ := spec["type"].(string)
	k, ok := m.Lookup("backstage.io/v1alpha1", "API", t)
	return ok && t == "mcp-server" && k.SpecType == t
}

func listAny(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

// hasField reports whether some version of a kind defines a spec field.
func hasField(m *entity.Model, kind, field string) bool {
	for _, k := range m.Kinds() {
		if strings.EqualFold(k.Kind, kind) {
			for _, f := range k.SpecFields {
				if f == field {
					return true
				}
			}
		}
	}
	return false
}

func scoreOne(e *catalog.Entity, in Input, cfg Config) Entity {
	spec := e.Spec()
	if spec == nil {
		spec = map[string]any{}
	}
	kind := strings.ToLower(e.Kind)
	typ := str(spec, "type")
	info, _ := in.Model.ByName(e.Kind)
	declared := !info.IsBuiltin() // a kind of a module or the configuration
	of := ownerField(in.Model, e.Kind)
	s := Entity{Ref: e.Ref().String(), Kind: e.Kind, Type: typ, Location: e.Location, System: str(spec, "system")}
	if o := str(spec, of); o != "" {
		if r, err := entity.ParseRef(o, "Group", e.Namespace); err == nil {
			s.Owner = displayRef(r)
		} else {
			s.Owner = o
		}
	}
	add := func(m Metric, applicable, pass bool, reason string, args ...any) {
		s.Checks = append(s.Checks, Check{Metric: m, Applicable: applicable, Pass: applicable && pass, Reason: fmt.Sprintf(reason, args...)})
	}
	na := func(m Metric) { add(m, false, false, "not applicable to a %s", e.Kind) }

	// owner
	if o := str(spec, of); o == "" {
		add(Owner, true, false, "no spec.%s", of)
	} else if r, err := entity.ParseRef(o, "Group", e.Namespace); err != nil {
		add(Owner, true, false, "spec.%s %q is not a reference", of, o)
	} else if !in.Verified || in.Owners == nil {
		add(Owner, true, true, "owner %s is set (not verified: no owner directory)", displayRef(r))
	} else if _, ok := in.Owners.Group(r); ok && strings.EqualFold(r.Kind, "group") {
		add(Owner, true, true, "team %s exists", displayRef(r))
	} else if _, ok := in.Owners.User(r); ok && strings.EqualFold(r.Kind, "user") {
		add(Owner, true, true, "user %s exists", displayRef(r))
	} else {
		add(Owner, true, false, "owner %s does not exist in the owner directory", displayRef(r))
	}

	// dependencies
	if kind == "component" {
		if n := len(list(spec, "dependsOn")) + len(list(spec, "consumesApis")) + len(list(spec, "dependencyOf")); n > 0 {
			add(Dependencies, true, true, "%d dependencies declared", n)
		} else {
			add(Dependencies, true, false, "no dependsOn, consumesApis or dependencyOf")
		}
	} else {
		na(Dependencies)
	}

	// API spec
	switch {
	case kind == "api" && isMCP(in.Model, spec):
		if n := len(listAny(spec, "remotes")); n > 0 {
			add(APISpec, true, true, "an MCP server with %d remote(s)", n)
		} else {
			add(APISpec, true, false, "an MCP server with no spec.remotes")
		}
	case kind == "api":
		if ds, _ := spec["definition"].(string); strings.TrimSpace(ds) != "" {
			add(APISpec, true, true, "has a definition")
		} else {
			add(APISpec, true, false, "spec.definition is empty")
		}
	case kind == "component":
		provides := list(spec, "providesApis")
		if len(provides) == 0 {
			if strings.EqualFold(typ, "service") {
				add(APISpec, true, false, "a service that lists no API in spec.providesApis")
			} else {
				na(APISpec)
			}
			break
		}
		var missing []string
		for _, p := range provides {
			r, err := entity.ParseRef(p, "API", e.Namespace)
			if err != nil {
				missing = append(missing, p)
				continue
			}
			var api *catalog.Entity
			if in.Index != nil {
				api = in.Index.Get(r)
			}
			if api == nil {
				missing = append(missing, r.String()+" (not in the catalog)")
				continue
			}
			if isMCP(in.Model, api.Spec()) {
				if len(listAny(api.Spec(), "remotes")) == 0 {
					missing = append(missing, r.String()+" (an MCP server with no remotes)")
				}
			} else if d, _ := api.Spec()["definition"].(string); strings.TrimSpace(d) == "" {
				missing = append(missing, r.String()+" (no definition)")
			}
		}
		if len(missing) == 0 {
			add(APISpec, true, true, "%d API(s) with a definition", len(provides))
		} else {
			add(APISpec, true, false, "without a spec: %s", strings.Join(missing, ", "))
		}
	default:
		na(APISpec)
	}

	// lifecycle
	if kind == "component" || kind == "api" || (declared && hasField(in.Model, e.Kind, "lifecycle")) {
		lc := str(spec, "lifecycle")
		ok := false
		for _, a := range cfg.Lifecycles {
			if strings.EqualFold(a, lc) {
				ok = true
			}
		}
		if len(cfg.Lifecycles) == 0 {
			ok = lc != ""
		}
		switch {
		case lc == "":
			add(Lifecycle, true, false, "no spec.lifecycle")
		case ok:
			add(Lifecycle, true, true, "lifecycle %s", lc)
		default:
			add(Lifecycle, true, false, "lifecycle %q is not one of %s", lc, strings.Join(cfg.Lifecycles, ", "))
		}
	} else {
		na(Lifecycle)
	}

	// description
	if strings.TrimSpace(str(e.Raw, "metadata", "description")) != "" {
		add(Description, true, true, "has a description")
	} else {
		add(Description, true, false, "no metadata.description")
	}

	// TechDocs
	if kind == "component" || kind == "api" || kind == "system" {
		ref := str(e.Raw, "metadata", "annotations", "backstage.io/techdocs-ref")
		switch {
		case ref == "":
			add(TechDocs, true, false, "no backstage.io/techdocs-ref annotation")
		case strings.HasPrefix(ref, "dir:"):
			if ok, why := mkdocsAt(e.Location, strings.TrimPrefix(ref, "dir:")); ok {
				add(TechDocs, true, true, "techdocs-ref %s resolves", ref)
			} else {
				add(TechDocs, true, false, "techdocs-ref %s: %s", ref, why)
			}
		default:
			add(TechDocs, true, true, "techdocs-ref %s", ref)
		}
	} else {
		na(TechDocs)
	}

	// links
	if kind == "component" || kind == "api" || kind == "system" {
		meta, _ := e.Raw["metadata"].(map[string]any)
		if links, _ := meta["links"].([]any); len(links) > 0 {
			add(Links, true, true, "%d link(s)", len(links))
		} else {
			add(Links, true, false, "no metadata.links")
		}
	} else {
		na(Links)
	}

	// system
	if kind == "component" || kind == "api" || kind == "resource" || (declared && hasField(in.Model, e.Kind, "system")) {
		if s.System != "" {
			add(System, true, true, "part of system %s", s.System)
		} else {
			add(System, true, false, "no spec.system")
		}
	} else {
		na(System)
	}

	var total, got float64
	s.Complete = true
	for _, c := range s.Checks {
		if !c.Applicable {
			continue
		}
		w := cfg.Weights[c.Metric]
		total += w
		if c.Pass {
			got += w
		} else if w > 0 {
			s.Complete = false
		}
	}
	if total > 0 {
		s.Score = round1(100 * got / total)
	} else {
		s.Score = 100
	}
	pass := map[Metric]bool{}
	for _, c := range s.Checks {
		pass[c.Metric] = !c.Applicable || c.Pass
	}
	for _, l := range cfg.Levels {
		ok := true
		for _, m := range l.Require {
			if !pass[m] {
				ok = false
			}
		}
		if !ok {
			break
		}
		s.Level = l.Name
	}
	return s
}

// mkdocsAt reports whether dir (relative to the catalog file at location
// "path:line") holds an mkdocs.yml or mkdocs.yaml. Remote locations are
// taken on trust.
func mkdocsAt(location, dir string) (bool, string) {
	if strings.Contains(location, "://") {
		return true, ""
	}
	file := location
	if i := strings.LastIndexByte(file, ':'); i > 0 {
		file = file[:i]
	}
	base := filepath.Join(filepath.Dir(file), dir)
	for _, n := range []string{"mkdocs.yml", "mkdocs.yaml"} {
		if _, err := os.Stat(filepath.Join(base, n)); err == nil {
			return true, ""
		}
	}
	return false, "no mkdocs.yml in " + filepath.ToSlash(filepath.Clean(base))
}

func displayRef(r entity.Ref) string { return r.OwnerDisplay() }

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
