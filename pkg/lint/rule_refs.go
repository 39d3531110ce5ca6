package lint

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// refUse is one reference written in a checked file.
type refUse struct {
	pos diag.Pos
	*useOf
	rel   *entity.Relation // rel.Field is the field, e.g. "dependsOn"
	index int              // position in a list field, -1 for a single value
	text  string
}

// useOf is what the references of one entity share.
type useOf struct {
	from     string // the entity's canonical ref
	kind     string // the entity's kind
	ns       string
	lifecyle string // the entity's spec.lifecycle
	// builtin is true for a kind of the built-in layer, whose processor
	// emits a relation to a kind the field does not allow; Backstage's
	// model processor (modules, declared kinds) drops it instead.
	builtin bool
}

func (u refUse) fieldPath() string {
	if u.index >= 0 {
		return fmt.Sprintf("spec.%s[%d]", u.rel.Field, u.index)
	}
	return "spec." + u.rel.Field
}

// checkedEntity is an entity defined in a checked file.
type checkedEntity struct {
	catalog.Entity
	namePos diag.Pos
	abs     string // absolute path of its file
	sum     uint64 // nodeSum of its document
}

// identityRelations are the relations checked by the owners group against
// the identity provider rather than by the refs group.
var identityRelations = map[string]bool{entity.RelOwnedBy: true, entity.RelMemberOf: true, entity.RelChildOf: true, entity.RelParentOf: true, entity.RelHasMember: true}

// collectRefs records what the refs rules need of one document.
func collectRefs(d *load.Doc, path string, m *entity.Model, lean bool) (*checkedEntity, []refUse) {
	e, ok := catalog.FromDocKept(d, "files", func(root *load.Node) map[string]any { return keptValue(root, lean) })
	if !ok {
		return nil, nil
	}
	ce := &checkedEntity{Entity: e, abs: absOf(path), sum: nodeSum(d.Root)}
	if n := d.Root.Get("metadata").Get("name"); n != nil {
		ce.namePos = d.File.Pos(n.Span)
	}
	info, known := lookupKind(m, d.Root, d.Root.GetString("apiVersion"), e.Kind)
	if !known {
		return ce, nil
	}
	spec := d.Root.Get("spec")
	from := e.Ref().String()
	lc := spec.GetString("lifecycle")
	var uses []refUse
	of := &useOf{from: from, kind: e.Kind, ns: e.Namespace, lifecyle: lc, builtin: info.IsBuiltin()}
	for ri := range info.Relations {
		rel := &info.Relations[ri]
		v := spec.Get(rel.Field)
		if v == nil {
			continue
		}
		add := func(n *load.Node, i int) {
			if n.Kind == load.String && n.Text != "" && !n.Unknown() {
				uses = append(uses, refUse{pos: d.File.Pos(n.Span), useOf: of, rel: rel, index: i, text: n.Text})
			}
		}
		if v.Kind == load.Seq {
			for i, n := range v.Seq {
				add(n, i)
			}
		} else {
			add(v, -1)
		}
	}
	return ce, uses
}

// KeptDefinition stands, in the Raw of a checked entity (Result.Checked),
// for a non-blank spec.definition: the API rules have read the text by
// then, and what runs after them (index, scores, drift) only asks whether
// there is one. A whole catalog's definitions are megabytes a run need not
// keep.
const KeptDefinition = "(definition checked; its text is not kept)"

// leanMetadata are the metadata fields no rule after the files reads:
// prose and presentation. Only scores do (description, links), and a run
// that scores keeps them (Options.NeedCatalog).
var leanMetadata = map[string]bool{"title": true, "description": true, "labels": true, "tags": true, "links": true}

// keptValue is what a checked entity keeps of its document (its Raw): the
// document's JSON value with a non-blank spec.definition replaced by
// KeptDefinition and, when lean, without the metadata in leanMetadata.
// On a whole catalog these are most of what a run keeps alive.
func keptValue(root *load.Node, lean bool) map[string]any {
	if root == nil || root.Kind != load.Map {
		return nil
	}
	out := make(map[string]any, len(root.Map))
	for _, p := range root.Map {
		switch {
		case p.Key == "metadata" && lean && p.Value.Kind == load.Map:
			meta := make(map[string]any, len(p.Value.Map))
			for _, q := range p.Value.Map {
				if !leanMetadata[q.Key] {
					meta[q.Key] = q.Value.Value()
				}
			}
			out[p.Key] = meta
		case p.Key == "spec" && p.Value.Kind == load.Map:
			spec := make(map[string]any, len(p.Value.Map))
			for _, q := range p.Value.Map {
				if q.Key == "definition" && q.Value.Kind == load.String && strings.TrimSpace(q.Value.Text) != "" {
					spec[q.Key] = KeptDefinition
					continue
				}
				spec[q.Key] = q.Value.Value()
			}
			out[p.Key] = spec
		default:
			out[p.Key] = p.Value.Value()
		}
	}
	return out
}

// nodeSum is a hash of a document's whole content (keys, values and their
// types, in order), to tell two definitions of an entity apart when Raw no
// longer holds all of them.
func nodeSum(n *load.Node) uint64 {
	h := fnv.New64a()
	var walk func(n *load.Node)
	walk = func(n *load.Node) {
		if n == nil {
			h.Write([]byte{0})
			return
		}
		h.Write([]byte{byte(n.Kind) + 1})
		switch n.Kind {
		case load.Map:
			for _, p := range n.Map {
				io.WriteString(h, p.Key)
				h.Write([]byte{0})
				walk(p.Value)
			}
		case load.Seq:
			for _, c := range n.Seq {
				walk(c)
			}
		default:
			io.WriteString(h, n.Text)
		}
		h.Write([]byte{0xff})
	}
	walk(n)
	return h.Sum64()
}

// checkCycles finds the cycles of the hierarchy relations and of
// dependsOn. It only reads its arguments.
func checkCycles(checked []*checkedEntity, uses []refUse, ix *catalog.Index, sel *Selection) []diag.Diagnostic {
	var out []diag.Diagnostic
	report := func(rule string, pos diag.Pos, ref string, sev diag.Severity, msg, sugg string) {
		if sel.Enabled(rule) {
			out = append(out, diag.Diagnostic{Pos: pos, Severity: sev, Rule: rule, Entity: ref, Message: msg, Suggestion: sugg})
		}
	}
	// The cycles first: the maps that place a finding are built only when
	// there is one (on a large catalog they are tens of MB).
	type found struct {
		cyc    []string
		fields map[string]bool
		sev    diag.Severity
		what   string
	}
	var cycles []found
	h := catalog.HierarchyEdges(ix)
	for _, field := range []string{"parent", "subcomponentOf", "subdomainOf"} {
		fields := map[string]bool{field: true, "children": true}
		for _, cyc := range catalog.Cycles(h[field]) {
			cycles = append(cycles, found{cyc, fields, diag.Error, field})
		}
	}
	deps := catalog.DependsOnEdges(ix)
	depFields := map[string]bool{"dependsOn": true, "dependencyOf": true}
	for _, cyc := range catalog.Cycles(deps) {
		cycles = append(cycles, found{cyc, depFields, diag.Warning, "dependsOn"})
	}
	if len(cycles) == 0 {
		return nil
	}
	// Reported at the first checked entity on the cycle.
	usesByFrom := map[string][]int{}
	for i, u := range uses {
		usesByFrom[u.from] = append(usesByFrom[u.from], i)
	}
	// Where each checked entity's name is (of a duplicate, the last).
	namePos := map[string]diag.Pos{}
	for _, c := range checked {
		namePos[c.Ref().String()] = c.namePos
	}
	for _, f := range cycles {
		cyc := f.cyc
		for i, n := range cyc {
			if _, ok := namePos[n]; !ok {
				continue
			}
			next := cyc[(i+1)%len(cyc)]
			pos := diag.Pos{}
			for _, ui := range usesByFrom[n] {
				u := &uses[ui]
				if r, err := parseUse(u); err == nil && f.fields[u.rel.Field] && r.String() == next {
					pos = u.pos
					break
				}
			}
			if pos.File == "" {
				pos = namePos[n]
			}
			report(RuleCycle, pos, n, f.sev, fmt.Sprintf("%s cycle: %s", f.what, cycleText(cyc)), "")
			break
		}
	}
	return out
}

// cycleShown is how many entities of a long cycle its finding names.
const cycleShown = 10

// cycleText prints a cycle back to its start; of a long one (a generated
// catalog's dependsOn graph holds cycles through thousands of entities),
// the first cycleShown entities and how many more there are.
func cycleText(cyc []string) string {
	if len(cyc) <= cycleShown+2 {
		return strings.Join(cyc, " → ") + " → " + cyc[0]
	}
	return fmt.Sprintf("%s → … %d more … → %s", strings.Join(cyc[:cycleShown], " → "), len(cyc)-cycleShown, cyc[0])
}

func absOf(p string) string {
	if a, err := absPath(p); err == nil {
		return a
	}
	return p
}

// checkRefs runs the refs rules over the checked entities and the
// configured catalog sources.
func checkRefs(checked []*checkedEntity, uses []refUse, ix *catalog.Index, names []string, ing *ingestion, sel *Selection, start time.Time) []diag.Diagnostic {
	var cycleDiags []diag.Diagnostic
	var cycles sync.WaitGroup
	if sel.Enabled(RuleCycle) {
		cycles.Go(func() {
			cycleDiags = checkCycles(checked, uses, ix, sel)
			phase(start, "refs: cycles")
		})
	}
	var out []diag.Diagnostic
	report := func(rule string, pos diag.Pos, ref string, sev diag.Severity, msg, sugg string) {
		if sel.Enabled(rule) {
			out = append(out, diag.Diagnostic{Pos: pos, Severity: sev, Rule: rule, Entity: ref, Message: msg, Suggestion: sugg})
		}
	}
	// A reference to the wrong kind needs no catalog.
	for i := range uses {
		u := &uses[i]
		r, err := parseUse(u)
		if err != nil || len(u.rel.Targets) == 0 || containsFold(u.rel.Targets, r.Kind) {
			continue
		}
		sev := diag.Error
		if u.rel.Relation == entity.RelDependsOn || u.rel.Relation == entity.RelDependencyOf {
			if k, ok := ix.Model.ByName(r.Kind); ok && !k.IsBuiltin() {
				continue // "usually a Component or Resource": not a kind the built-in fields know of
			}
			sev = diag.Warning
		}
		msg := fmt.Sprintf("%s of %s %s must point at %s %s; %s is of kind %s", u.fieldPath(), article(u.kind), u.kind, article(u.rel.Targets[0]), strings.Join(u.rel.Targets, " or "), r, r.Kind)
		if !u.builtin {
			msg = fmt.Sprintf("%s of %s %s must point at %s %s; %s is of kind %s, and Backstage drops the relation", u.fieldPath(), article(u.kind), u.kind, article(u.rel.Targets[0]), strings.Join(u.rel.Targets, " or "), r, r.Kind)
		}
		report(RuleRefKind, u.pos, u.from, sev, msg, "")
	}

	phase(start, "refs: kinds")
	// Duplicates: the same reference defined in two places.
	byRef := map[string][]*catalog.Entity{}
	for _, e := range ix.All() {
		k := e.Ref().String()
		byRef[k] = append(byRef[k], e)
	}
	checkedAt := map[*catalog.Entity]*checkedEntity{}
	for _, c := range checked {
		checkedAt[&c.Entity] = c
	}
	for _, c := range checked {
		// One file: Backstage keeps its last definition and drops the
		// earlier ones without a word (tried on the real backend). Each
		// definition after the first names the one just before it, which
		// is lost.
		var prev *catalog.Entity
		for _, other := range byRef[c.Ref().String()] {
			if other == &c.Entity {
				break
			}
			if oc, ok := checkedAt[other]; ok && oc.abs == c.abs {
				prev = other
			}
		}
		if prev != nil {
			at := lineOfLocation(prev.Location)
			if pc := checkedAt[prev]; pc != nil && pc.sum == c.sum {
				report(RuleDuplicate, c.namePos, c.Ref().String(), diag.Warning,
					fmt.Sprintf("%s is defined twice in this file, the same both times (also at line %s): one of them is redundant", c.Ref(), at), "remove the copy")
			} else {
				report(RuleDuplicate, c.namePos, c.Ref().String(), diag.Error,
					fmt.Sprintf("%s is defined twice in this file (also at line %s): Backstage keeps the last definition in a file and silently drops the earlier one, so the entity at line %s is lost", c.Ref(), at, at), "rename one of them, or remove the copy")
			}
			continue
		}
		for _, other := range byRef[c.Ref().String()] {
			if other == &c.Entity {
				break // only earlier definitions count against this one
			}
			oc, ok := checkedAt[other]
			if ok && !ing.together(c.abs, oc.abs) {
				continue // no one Backstage ingests both files
			}
			if ok || !sameDefinition(c, other) {
				where := other.Location
				if oc != nil {
					where = oc.Location
				}
				report(RuleDuplicate, c.namePos, c.Ref().String(), diag.Error,
					fmt.Sprintf("%s is also defined at %s; Backstage keeps one and rejects the other", c.Ref(), where), "rename one of them, or remove the copy")
				break
			}
		}
	}
	// Remote definitions of checked entities come after the checked files
	// in the index; they are the same entity when their location is the
	// same file, and a duplicate otherwise.
	for _, c := range checked {
		for _, other := range byRef[c.Ref().String()] {
			if _, isChecked := checkedAt[other]; isChecked || sameDefinition(c, other) {
				continue
			}
			report(RuleDuplicate, c.namePos, c.Ref().String(), diag.Error,
				fmt.Sprintf("%s is also defined at %s (%s); Backstage keeps one and rejects the other", c.Ref(), other.Location, other.Source), "rename one of them, or remove the copy")
			break
		}
	}

	phase(start, "refs: duplicates")
	// Unresolved references.
	if len(names) == 0 {
		n := 0
		for i := range uses {
			u := &uses[i]
			if !identityRelations[u.rel.Relation] {
				if r, err := parseUse(u); err == nil && ix.Get(r) == nil {
					n++
				}
			}
		}
		if n > 0 {
			report(RuleUnresolved, diag.Pos{}, "", diag.Notice,
				fmt.Sprintf("%d reference(s) point outside the checked files and were not verified: no catalog source is configured (use --catalog dir:PATH, snapshot:FILE, backstage:URL or github:ORG)", n), "")
		}
	} else {
		for i := range uses {
			u := &uses[i]
			if identityRelations[u.rel.Relation] {
				continue
			}
			r, err := parseUse(u)
			if err != nil || ix.Get(r) != nil {
				continue
			}
			sugg := ""
			kinds := []string{r.Kind}
			if !entity.HasKind(u.text) && len(u.rel.Targets) > 0 {
				kinds = u.rel.Targets
			}
			if s := ix.Suggest(r, kinds, 1); len(s) > 0 {
				sugg = fmt.Sprintf("did you mean %s?", s[0])
			} else if others := ix.FindName(r.Namespace, r.Name); len(others) > 0 {
				sugg = fmt.Sprintf("%s exists as %s", r.Name, others[0].Ref())
			}
			report(RuleUnresolved, u.pos, u.from, diag.Error,
				fmt.Sprintf("%s: %s does not exist in the catalog (checked files and %s)", u.fieldPath(), r, strings.Join(names, ", ")), sugg)
		}
	}

	// Cycles (found beside the checks above, added here in their
	// place).
	phase(start, "refs: unresolved")
	cycles.Wait()
	out = append(out, cycleDiags...)

	// A production entity that depends on a deprecated one.
	for i := range uses {
		u := &uses[i]
		if u.rel.Relation != entity.RelDependsOn || !strings.EqualFold(u.lifecyle, "production") {
			continue
		}
		r, err := entity.ParseRef(u.text, "", u.ns)
		if err != nil {
			continue
		}
		if t := ix.Get(r); t != nil && strings.EqualFold(t.SpecString("lifecycle"), "deprecated") {
			report(RuleLifecycleDep, u.pos, u.from, diag.Warning,
				fmt.Sprintf("%s: this production %s depends on %s, which is deprecated (%s)", u.fieldPath(), u.kind, r, t.Location), "")
		}
	}
	phase(start, "refs: lifecycle")
	return out
}

// buildIndex indexes the checked entities, then every source's.
func buildIndex(ctx context.Context, checked []*checkedEntity, sources []catalog.Source, m *entity.Model) (*catalog.Index, []string, error) {
	ix := catalog.NewIndex(nil)
	ix.Model = m
	for _, c := range checked {
		ix.Add(&c.Entity)
	}
	var names []string
	for _, s := range sources {
		es, err := s.Load(ctx)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, s.Name())
		for i := range es {
			ix.Add(&es[i])
		}
	}
	return ix, names, nil
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// sameDefinition reports whether a catalog entity is the checked entity
// itself as another source sees it: the same file, locally or in the
// repository's remote copy.
func sameDefinition(c *checkedEntity, other *catalog.Entity) bool {
	loc := other.Location
	if i := strings.LastIndex(loc, "#"); i >= 0 {
		loc = loc[:i]
	}
	if strings.Contains(loc, "://") {
		root := load.RepoRoot(c.abs)
		rel, err := filepath.Rel(root, c.abs)
		if err != nil {
			return false
		}
		return strings.HasSuffix(loc, "/"+filepath.ToSlash(rel))
	}
	if i := strings.LastIndex(loc, ":"); i > 0 {
		loc = loc[:i]
	}
	return absOf(loc) == c.abs
}

// lineOfLocation is the line of a "path:line" location ("?" without one).
func lineOfLocation(loc string) string {
	if i := strings.LastIndex(loc, ":"); i >= 0 && i+1 < len(loc) {
		return loc[i+1:]
	}
	return "?"
}

// parseUse parses a reference as Backstage does for its field (with no
// allocation when it parses: the rules each parse every use).
func parseUse(u *refUse) (entity.Ref, error) {
	return entity.ParseRef(u.text, u.rel.DefaultKind, u.ns)
}

// article is "a" or "an" for a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("AEIOUaeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}
