package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/appconfig"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// ruleHit is an entity the catalog rules do not allow from its origin.
type ruleHit struct {
	pos       diag.Pos
	ref, kind string
	specType  string
	origin    appconfig.Origin
	rules     []appconfig.Rule
	file      string // display path
}

// checkCatalogRule applies the app-config's catalog rules to one entity
// reached through a registered location, as Backstage's
// DefaultCatalogRulesEnforcer does when the Location that read it is
// processed.
func checkCatalogRule(d *load.Doc, ref string, origin *appconfig.Origin, opts Options) (ruleHit, bool) {
	if origin == nil || opts.CatalogRules == nil || !opts.Selection.Enabled(RuleCatalogRule) {
		return ruleHit{}, false
	}
	root := d.Root
	if root == nil || root.Kind != load.Map {
		return ruleHit{}, false
	}
	kn := root.Get("kind")
	kind, ok := kn.Str()
	if !ok {
		return ruleHit{}, false // an envelope error, reported as one
	}
	st, hasType := root.Get("spec").Get("type").Str()
	if opts.CatalogRules.Allowed(kind, st, hasType, *origin) {
		return ruleHit{}, false
	}
	return ruleHit{pos: d.File.Pos(kn.Span), ref: ref, kind: kind, specType: st, origin: *origin,
		rules: opts.CatalogRules.Applying(*origin), file: d.File.Path}, true
}

// unit is what Backstage processes as one: the entities one Location entity
// (a registered location, or a Location entity in a file) reads from all
// its targets. A rejected entity, a YAML error or an envelope error in any
// of them fails the Location's processing, and then none of them is
// ingested (nor what Location entities among them point at).
type unit struct {
	origin *appconfig.Origin
	// reg names the registered location: "catalog.locations[1] (file:/…)";
	// where the Location entity of a unit below it: "the Location entity
	// in catalog/all.yaml (document 2)", "" for the registered one.
	reg, where string
	// parent is the file holding the Location entity (its key, display
	// path and document); "" for a registered location.
	parent, parentDisplay string
	parentDoc             int
	files                 []string
	drops                 bool
	// cause is the first YAML or envelope error among its files.
	cause *diag.Diagnostic
}

// registry follows each checked file to the registered location it was
// reached through. Without registered locations it does nothing.
type registry struct {
	opts   Options
	units  []*unit
	unitOf map[string]int // key(path) → unit
	// byDisplay maps a file's display path to its unit.
	byDisplay map[string]int
	// locs maps a Location entity (file key, document) to its unit.
	locs map[string]int
	hits []ruleHit
	// diags are about the app-config itself: locations not checked, values
	// not resolved.
	diags []diag.Diagnostic
}

func newRegistry(opts Options) *registry {
	return &registry{opts: opts, unitOf: map[string]int{}, byDisplay: map[string]int{}, locs: map[string]int{}}
}

// paths are the path arguments: with registered locations and no paths
// given, the registered files (maybe none).
func (r *registry) paths(args []string) []string {
	if len(args) > 0 || r.opts.Registered == nil {
		if len(args) == 0 {
			return []string{"."}
		}
		return args
	}
	var out []string
	for _, l := range r.opts.Registered {
		for _, f := range l.Files {
			out = append(out, displayPath(f))
		}
	}
	return out
}

// start assigns the discovered files to the registered locations whose
// targets reach them.
func (r *registry) start(targets []load.Target) {
	if ac := r.opts.AppConfig; ac != nil && r.opts.Selection.Enabled(RuleCatalogRule) {
		r.diags = append(r.diags, ac.Notices...)
		for i := range r.diags {
			r.diags[i].Rule = RuleCatalogRule
		}
	}
	for _, l := range r.opts.Registered {
		if l.Message != "" {
			r.diags = append(r.diags, diag.Diagnostic{Pos: l.Location.Pos, Severity: l.Severity, Rule: RuleLocationTarget,
				Message: fmt.Sprintf("catalog.locations[%d]: %s", l.Location.Index, l.Message)})
		}
	}
	r.diags = r.opts.Selection.adjust(r.diags)
	if len(r.opts.Registered) == 0 {
		return
	}
	byKey := map[string]int{}
	for i := range r.opts.Registered {
		l := &r.opts.Registered[i]
		o := l.Origin
		r.units = append(r.units, &unit{origin: &o, reg: fmt.Sprintf("catalog.locations[%d] (%s)", l.Location.Index, o)})
		for _, f := range l.Files {
			if _, ok := byKey[key(f)]; !ok {
				byKey[key(f)] = i
			}
		}
	}
	for _, t := range targets {
		if u, ok := byKey[key(t.Path)]; ok {
			r.unitOf[key(t.Path)] = u
		}
	}
}

// of is the origin of a target; nil when no registered location reaches it.
func (r *registry) of(t load.Target) *appconfig.Origin {
	if len(r.units) == 0 {
		return nil
	}
	if u, ok := r.unitOf[key(t.Path)]; ok {
		return r.units[u].origin
	}
	return nil
}

// collect records a checked file's unit membership and rule hits.
func (r *registry) collect(t load.Target, o fileResult) {
	if len(r.units) == 0 {
		return
	}
	u, ok := r.unitOf[key(t.Path)]
	if !ok {
		return
	}
	r.byDisplay[o.display] = u
	r.units[u].files = append(r.units[u].files, o.display)
	r.hits = append(r.hits, o.ruleHits...)
	if len(o.ruleHits) > 0 {
		r.units[u].drops = true
	}
	for _, d := range o.diags {
		if d.Severity == diag.Error && (d.Rule == load.RuleYAML || d.Rule == RuleEnvelope) {
			if r.units[u].cause == nil {
				c := d
				r.units[u].cause = &c
			}
			r.units[u].drops = true
		}
	}
}

// follow records that a Location entity (document doc of from) reaches t:
// t belongs to that Location's unit, with the same origin.
func (r *registry) follow(from load.Target, doc int, t load.Target) {
	if len(r.units) == 0 {
		return
	}
	pu, ok := r.unitOf[key(from.Path)]
	if !ok {
		return
	}
	lk := fmt.Sprintf("%s\x00%d", key(from.Path), doc)
	if u, ok := r.locs[lk]; ok {
		r.unitOf[key(t.Path)] = u
		return
	}
	where := fmt.Sprintf("the Location entity in %s (document %d)", from.Display, doc)
	r.units = append(r.units, &unit{origin: r.units[pu].origin, reg: r.units[pu].reg, where: where,
		parent: key(from.Path), parentDisplay: from.Display, parentDoc: doc})
	r.locs[lk] = len(r.units) - 1
	r.unitOf[key(t.Path)] = len(r.units) - 1
}

// finish writes one diagnostic per rule hit, marks every entity of a
// failed Location (and below it) as not ingested, and folds the kind
// errors of kinds the rules allow but catalint does not know into one
// message per kind.
func (r *registry) finish(res *Result) {
	res.Diagnostics = append(res.Diagnostics, r.diags...)
	if len(r.units) > 0 {
		// A Location that is not ingested is never processed: what it
		// points at is not ingested either.
		for changed := true; changed; {
			changed = false
			for _, u := range r.units {
				if u.drops || u.parent == "" {
					continue
				}
				if pu, ok := r.unitOf[u.parent]; ok && r.units[pu].drops {
					u.drops, changed = true, true
				}
			}
		}
		// A Location entity whose processing fails is not ingested either
		// (a catalog that had it keeps its last good version).
		failedLoc := map[string]bool{}
		for _, u := range r.units {
			if u.drops && u.parent != "" {
				failedLoc[fmt.Sprintf("%s\x00%d", u.parentDisplay, u.parentDoc)] = true
			}
		}
		for i, e := range res.Entities {
			if u, ok := r.byDisplay[e.File]; ok && r.units[u].drops || failedLoc[fmt.Sprintf("%s\x00%d", e.File, e.Document)] {
				res.Entities[i].Invalid = true
			}
		}
	}
	count := map[int]int{}
	if len(r.hits) > 0 {
		for _, e := range res.Entities {
			if ui, ok := r.byDisplay[e.File]; ok {
				count[ui]++
			}
		}
	}
	// A YAML or envelope error fails the Location too: say so once, when
	// other files go down with it.
	hit := map[*unit]bool{}
	for _, h := range r.hits {
		hit[r.units[r.byDisplay[h.file]]] = true
	}
	for ui, u := range r.units {
		if u.cause == nil || hit[u] || len(u.files) < 2 || !r.opts.Selection.Enabled(RuleCatalogRule) {
			continue
		}
		n := 0
		for _, e := range res.Entities {
			if fu, ok := r.byDisplay[e.File]; ok && fu == ui && e.File != u.cause.File {
				n++
			}
		}
		name, fails := u.reg, "that whole location"
		if u.where != "" {
			name, fails = u.where+" (from "+u.reg+")", "that Location entity"
		}
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Pos: u.cause.Pos, Severity: diag.Notice, Rule: RuleCatalogRule,
			Message:    fmt.Sprintf("this %s error fails the processing of %s: Backstage then ingests nothing it reads, so also not the %s of its other files", u.cause.Rule, name, plural(n, "entity", "entities")),
			Suggestion: fmt.Sprintf("fix it: Backstage fails %s, not only this file", fails)})
	}
	for _, h := range r.hits {
		ui := r.byDisplay[h.file]
		u, n := r.units[ui], count[ui]
		what := "kind " + h.kind
		var names []string
		for _, rl := range h.rules {
			names = append(names, rl.Where)
			for _, m := range rl.Allow {
				if m.SpecType != "" && strings.EqualFold(m.Kind, h.kind) && h.specType != "" && !strings.Contains(what, "spec.type") {
					what += " (spec.type " + h.specType + ")"
				}
			}
		}
		rules := "no rule applies there, so no kind is allowed"
		if len(names) > 0 {
			rules = fmt.Sprintf("the rules that apply there (%s) allow only %s", strings.Join(names, "; "), strings.Join(appconfig.AllowedKinds(h.rules), ", "))
		}
		// The message stays the same when other files change (for
		// --new-from-rev); what the Location reads goes in the suggestion.
		from, fails, reads := u.reg, "that whole location and ingests nothing it reads", "it reads"
		if u.where != "" {
			from += ", through a Location entity"
			fails = "that Location entity and ingests neither it nor anything it reads"
			reads = u.where + " reads"
		}
		msg := fmt.Sprintf("%s is not allowed from %s: %s. Backstage then fails %s", what, from, rules, fails)
		sugg := fmt.Sprintf("%s %s (%s), none ingested; allow %s for this location (catalog.rules, with locations: [{type: %s, …}], or the location's own rules) or register this file elsewhere",
			reads, plural(n, "entity", "entities"), plural(len(u.files), "file", "files"), h.kind, h.origin.Type)
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Pos: h.pos, Severity: r.severity(), Rule: RuleCatalogRule, Entity: h.ref, Message: msg, Suggestion: sugg})
	}
	r.unknownKinds(res)
}

func (r *registry) severity() diag.Severity {
	rule, _ := RuleByID(RuleCatalogRule)
	d := r.opts.Selection.adjust([]diag.Diagnostic{{Rule: RuleCatalogRule, Severity: rule.Severity}})
	if len(d) == 0 {
		return rule.Severity
	}
	return d[0].Severity
}

// unknownKinds reports, once per kind, a kind the app-config's rules allow
// that catalint does not know (no built-in kind, enabled module or declared
// kind provides it), instead of one kind error per entity.
func (r *registry) unknownKinds(res *Result) {
	ac := r.opts.AppConfig
	if ac == nil || !r.opts.Selection.Enabled(RuleCatalogRule) {
		return
	}
	known := r.opts.KindKnown
	if known == nil {
		known = func(k string) bool { _, ok := entity.KindByName(k); return ok }
	}
	for _, m := range ac.KindsAllowed() {
		if known(m.Kind) {
			continue
		}
		refs := map[string]bool{}
		var files []string
		for _, e := range res.Entities {
			if strings.EqualFold(e.Kind, m.Kind) {
				refs[e.File+"\x00"+e.Ref] = true
				files = append(files, e.File)
			}
		}
		kept := res.Diagnostics[:0]
		for _, d := range res.Diagnostics {
			if d.Rule == RuleKind && refs[d.File+"\x00"+d.Entity] {
				continue
			}
			kept = append(kept, d)
		}
		res.Diagnostics = kept
		sev := diag.Notice
		msg := fmt.Sprintf("the app-config allows kind %s, which catalint does not know: no built-in kind, enabled module (backstage.modules) or declared kind (kinds: in .catalint.yaml) provides it; no checked file has one", m.Kind)
		if len(refs) > 0 {
			sev = r.severity()
			sort.Strings(files)
			msg = fmt.Sprintf("the app-config allows kind %s, which catalint does not know: no built-in kind, enabled module (backstage.modules) or declared kind (kinds: in .catalint.yaml) provides it. Its %d entities (first in %s) are not checked, and a Backstage without the module or processor that adds %s rejects them", m.Kind, len(refs), files[0], m.Kind)
		}
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Pos: m.Pos, Severity: sev, Rule: RuleCatalogRule, Message: msg,
			Suggestion: fmt.Sprintf("enable the module that adds %s (backstage.modules: [ai-model] for AiResource) or declare the kind in .catalint.yaml", m.Kind)})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
