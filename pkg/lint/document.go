package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// docChecker runs the per-document rules on one document.
type docChecker struct {
	doc    *load.Doc
	sel    *Selection
	sch    *schema.Set
	ref    string
	out    []diag.Diagnostic
	entity *Entity
	model  *entity.Model
}

func (c *docChecker) report(rule string, s load.Span, msg, suggestion string) {
	if !c.sel.Enabled(rule) {
		return
	}
	r, _ := RuleByID(rule)
	c.out = append(c.out, diag.Diagnostic{
		Pos: c.doc.File.Pos(s), Severity: r.Severity, Rule: rule, Entity: c.ref,
		Message: msg, Suggestion: suggestion,
	})
}

// checkDoc runs the document rules and returns the diagnostics and the
// entity summary.
func checkDoc(d *load.Doc, sel *Selection, sch *schema.Set, m *entity.Model) ([]diag.Diagnostic, Entity) {
	c := &docChecker{doc: d, sel: sel, sch: sch, model: m}
	e := Entity{File: d.File.Path, Document: d.Index, Line: d.Line}
	c.entity = &e
	root := d.Root
	if root != nil && root.Kind == load.Map {
		e.Kind = root.GetString("kind")
		e.APIVersion = root.GetString("apiVersion")
		name := root.GetString("metadata", "name")
		ns := root.GetString("metadata", "namespace")
		if ns == "" {
			ns = entity.DefaultNamespace
		}
		if e.Kind != "" && name != "" {
			c.ref = entity.Ref{Kind: e.Kind, Namespace: ns, Name: name}.String()
			e.Ref = c.ref
		}
		// Values share the memory of their whole file (load's fast
		// reader): what outlives the file is copied.
		e.Kind, e.APIVersion = strings.Clone(e.Kind), strings.Clone(e.APIVersion)
		e.Name, e.Namespace = strings.Clone(name), strings.Clone(ns)
	}
	for _, ld := range d.Diags {
		if c.sel.Enabled(ld.Rule) {
			ld.Entity = c.ref
			c.out = append(c.out, ld)
		}
	}
	if root != nil {
		normalizeAnnotations(root)
		c.check(root)
	}
	c.out = sel.adjust(dropShadowed(c.out))
	for _, o := range c.out {
		if o.Severity == diag.Error {
			e.Invalid = true
		}
	}
	if root == nil {
		e.Invalid = true
	}
	return c.out, e
}

func (c *docChecker) check(root *load.Node) {
	if root.Kind != load.Map {
		c.report(RuleEnvelope, root.Span, fmt.Sprintf("a catalog document must be a mapping (an entity with apiVersion, kind, metadata, spec), found %s", kindName(root)), "")
		return
	}
	apiVersion, kindStr := root.GetString("apiVersion"), root.GetString("kind")
	schemaName := schema.EntitySchema
	info, known := lookupKind(c.model, root, apiVersion, kindStr)
	if known {
		schemaName = info.Schema
	} else if apiVersion != "" && kindStr != "" {
		c.unknownKind(root, apiVersion, kindStr)
	}
	if c.sel.Enabled(RuleSchema) || c.sel.Enabled(RuleEnvelope) {
		for _, p := range c.sch.ValidateDoc(schemaName, root, c.doc.Value) {
			if n, _, found := root.Locate(p.Path); found && n.Unresolved() {
				continue // the placeholder's own error says it
			}
			rule := RuleSchema
			if len(p.Path) <= 1 && (len(p.Path) == 0 || p.Path[0] != "spec") {
				rule = RuleEnvelope
			}
			c.report(rule, p.Span, p.Message, p.Suggestion)
		}
	}
	c.checkFormats(root)
	if known {
		c.checkRelations(root, info)
		c.checkUnknownFields(root, info)
	}
}

// normalizeAnnotations mirrors the catalog, which adds its location
// annotations to every entity it reads: an empty metadata.annotations (null
// or "") becomes a mapping before validation.
func normalizeAnnotations(root *load.Node) {
	if root.Kind != load.Map {
		return
	}
	meta := root.Get("metadata")
	if meta == nil || meta.Kind != load.Map {
		return
	}
	if p := meta.Pair("annotations"); p != nil {
		if v := p.Value; v.Kind == load.Null || (v.Kind == load.String && v.Text == "") {
			p.Value = &load.Node{Kind: load.Map, Span: v.Span}
		}
	}
}

// dropShadowed removes a warning that stands at the same place as an
// error, which already says the same with more weight (a misspelled
// required field is both "missing lifecycle" and "unknown lifecyle").
func dropShadowed(ds []diag.Diagnostic) []diag.Diagnostic {
	errAt := map[diag.Pos]bool{}
	for _, d := range ds {
		if d.Severity == diag.Error {
			errAt[d.Pos] = true
		}
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Severity != diag.Error && errAt[d.Pos] {
			continue
		}
		out = append(out, d)
	}
	return out
}

func kindName(n *load.Node) string {
	switch n.Kind {
	case load.Seq:
		return "a list"
	case load.String:
		return "a string"
	case load.Number:
		return "a number"
	case load.Bool:
		return "a boolean"
	}
	return n.Kind.String()
}

// lookupKind finds the kind version of a document in the model; the
// document's spec.type is read only for a kind with per-type versions.
func lookupKind(m *entity.Model, root *load.Node, apiVersion, kind string) (entity.KindInfo, bool) {
	specType := ""
	if m.HasSpecTypes(kind) {
		specType = root.GetString("spec", "type")
	}
	return m.Lookup(apiVersion, kind, specType)
}

// moduleHint names the Backstage modules that provide a kind the model
// lacks, for the message about it.
func moduleHint(kind string) string {
	for _, n := range entity.ModuleNames() {
		for _, k := range entity.Modules[n].Kinds {
			if strings.EqualFold(k.Kind, kind) {
				return fmt.Sprintf("kind %s comes with Backstage's opt-in catalog module %s: if your Backstage has it, enable it with `backstage: {modules: [%s]}` in .catalint.yaml or --backstage-module %s", k.Kind, n, n, n)
			}
		}
	}
	return ""
}

func (c *docChecker) unknownKind(root *load.Node, apiVersion, kind string) {
	kindSpan := root.Pair("kind").Value.Span
	avSpan := root.Pair("apiVersion").Value.Span
	if ki, ok := c.model.ByName(kind); ok {
		if ki.Kind != kind {
			c.report(RuleKind, kindSpan, fmt.Sprintf("unknown kind %q: kinds are case-sensitive", kind), fmt.Sprintf("did you mean %q?", ki.Kind))
			return
		}
		versions := c.model.APIVersions(kind)
		sugg := ""
		if cl := entity.Closest(apiVersion, versions, 1); len(cl) > 0 {
			sugg = fmt.Sprintf("did you mean %q?", cl[0])
		}
		if !contains(versions, apiVersion) {
			c.report(RuleKind, avSpan, fmt.Sprintf("kind %s does not accept apiVersion %q; it accepts %s", kind, apiVersion, strings.Join(versions, ", ")), sugg)
			return
		}
		// The apiVersion is known, the spec type is not, and the kind has
		// no default version (a declared kind with specType only).
		span := kindSpan
		if t := root.Get("spec").Get("type"); t != nil {
			span = t.Span
		}
		types := strings.Join(c.model.SpecTypes(kind, apiVersion), ", ")
		if t := root.GetString("spec", "type"); t != "" {
			c.report(RuleKind, span, fmt.Sprintf("kind %s %s has no version for spec.type %q, only for %s, and Backstage rejects the entity", kind, apiVersion, t, types), "")
		} else {
			c.report(RuleKind, span, fmt.Sprintf("kind %s %s is declared only for spec.type %s, and this entity has no spec.type", kind, apiVersion, types), "")
		}
		return
	}
	names := c.model.Names()
	sugg := moduleHint(kind)
	if sugg == "" {
		if cl := entity.Closest(kind, names, 1); len(cl) > 0 {
			sugg = fmt.Sprintf("did you mean %q?", cl[0])
		}
	}
	c.report(RuleKind, kindSpan, fmt.Sprintf("unknown kind %q (apiVersion %s): Backstage's catalog has no processor for it and rejects the entity; known kinds: %s", kind, apiVersion, strings.Join(names, ", ")), sugg)
}

const (
	expectName      = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	expectDNS       = "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total"
	expectPrefix    = "a valid prefix and/or suffix: an optional DNS subdomain and '/', then " // + suffix
	expectTag       = "a string that is sequences of [a-z0-9:+#] separated by [-], at most 63 characters in total"
	expectKind      = "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total"
	expectURL       = "a valid URL, with a scheme (https://…)"
	expectNonBlank  = "a non-empty string"
	templateHintMsg = "it looks like a template placeholder; scaffolder skeletons are not catalog files (exclude them with --ignore)"
)

var templateRe = regexp.MustCompile(`\$\{\{|\{\{|\{%|<%|\$\{`)

// checkFormats applies Backstage's FieldFormatEntityPolicy to the string
// fields that have the right type (wrong types are the schema's finding).
func (c *docChecker) checkFormats(root *load.Node) {
	bad := func(field string, n *load.Node, expect, sugg string) {
		if n.Unknown() {
			return // a placeholder not read: its value is not known
		}
		msg := fmt.Sprintf("%s %s is not valid; expected %s", field, quoteVal(n.Text), expect)
		if l := len([]rune(n.Text)); l > 63 && !strings.Contains(expect, "URL") {
			msg += fmt.Sprintf(" (it is %d characters long)", l)
		}
		if sugg == "" && templateRe.MatchString(n.Text) {
			sugg = templateHintMsg
		}
		c.report(RuleFormat, n.Span, msg, sugg)
	}
	if n := root.Get("apiVersion"); n != nil && n.Kind == load.String && !entity.IsValidAPIVersion(n.Text) {
		bad("apiVersion", n, expectPrefix+"1-63 letters and digits (e.g. backstage.io/v1alpha1)", "")
	}
	if n := root.Get("kind"); n != nil && n.Kind == load.String && !entity.IsValidKind(n.Text) {
		bad("kind", n, expectKind, "")
	}
	meta := root.Get("metadata")
	if meta == nil || meta.Kind != load.Map {
		return
	}
	if n := meta.Get("name"); n != nil && n.Kind == load.String && !entity.IsValidObjectName(n.Text) {
		bad("metadata.name", n, expectName, nameSuggestion(n.Text, entity.IsValidObjectName, false))
	}
	if n := meta.Get("namespace"); n != nil && n.Kind == load.String && !entity.IsValidDNSLabel(n.Text) {
		bad("metadata.namespace", n, expectDNS, nameSuggestion(n.Text, entity.IsValidDNSLabel, true))
	}
	for _, kv := range []struct {
		field    string
		key, val func(string) bool
	}{{"labels", entity.IsValidLabelKey, entity.IsValidLabelValue}, {"annotations", entity.IsValidAnnotationKey, nil}} {
		m := meta.Get(kv.field)
		if m == nil || m.Kind != load.Map {
			continue
		}
		for _, p := range m.Map {
			if !kv.key(p.Key) {
				c.report(RuleFormat, p.KeySpan, fmt.Sprintf("metadata.%s key %s is not valid; expected %s%s", kv.field, quoteVal(p.Key), expectPrefix, expectName), "")
			}
			if kv.val != nil && p.Value.Kind == load.String && !kv.val(p.Value.Text) {
				bad(fmt.Sprintf("metadata.%s.%s", kv.field, p.Key), p.Value, "an empty string or "+expectName, nameSuggestion(p.Value.Text, entity.IsValidObjectName, false))
			}
		}
	}
	if tags := meta.Get("tags"); tags != nil && tags.Kind == load.Seq {
		for i, t := range tags.Seq {
			if t.Kind == load.String && t.Text != "" && !entity.IsValidTag(t.Text) {
				bad(fmt.Sprintf("metadata.tags[%d]", i), t, expectTag, nameSuggestion(t.Text, entity.IsValidTag, true))
			}
		}
	}
	if links := meta.Get("links"); links != nil && links.Kind == load.Seq {
		for i, l := range links.Seq {
			if l.Kind != load.Map {
				continue
			}
			if u := l.Get("url"); u != nil && u.Kind == load.String && u.Text != "" && !entity.IsValidURL(u.Text) {
				bad(fmt.Sprintf("metadata.links[%d].url", i), u, expectURL, "")
			}
			if t := l.Get("title"); t != nil && t.Kind == load.String && !entity.IsNonBlank(t.Text) {
				bad(fmt.Sprintf("metadata.links[%d].title", i), t, expectNonBlank, "")
			}
			if ic := l.Get("icon"); ic != nil && ic.Kind == load.String && ic.Text != "" && !entity.IsValidObjectName(ic.Text) {
				bad(fmt.Sprintf("metadata.links[%d].icon", i), ic, expectName, "")
			}
		}
	}
}

func quoteVal(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return strconv.Quote(s)
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// nameSuggestion proposes a value of the right form: other characters
// become '-', runs collapse, and the result is cut to 63 characters.
func nameSuggestion(s string, valid func(string) bool, lower bool) string {
	if templateRe.MatchString(s) {
		return templateHintMsg
	}
	t := s
	if lower {
		t = strings.ToLower(t)
	}
	t = strings.Trim(nonName.ReplaceAllString(t, "-"), "-")
	if len(t) > 63 {
		t = strings.TrimRight(t[:63], "-")
	}
	if t == "" || t == s || !valid(t) {
		return ""
	}
	return fmt.Sprintf("use %q", t)
}

// checkRelations makes sure each relation target parses as an entity
// reference with the field's default kind, as Backstage's
// BuiltinKindsEntityProcessor requires.
func (c *docChecker) checkRelations(root *load.Node, info entity.KindInfo) {
	spec := root.Get("spec")
	if spec == nil || spec.Kind != load.Map {
		return
	}
	ns := root.GetString("metadata", "namespace")
	for _, rel := range info.Relations {
		v := spec.Get(rel.Field)
		if v == nil || v.Unknown() {
			continue
		}
		var targets []*load.Node
		switch v.Kind {
		case load.Seq:
			targets = v.Seq
		case load.Null:
		case load.String:
			if v.Text == "" {
				continue // Backstage skips an empty single target.
			}
			targets = []*load.Node{v}
		default:
			targets = []*load.Node{v}
		}
		for i, t := range targets {
			if t.Unknown() {
				continue
			}
			field := "spec." + rel.Field
			if v.Kind == load.Seq {
				field += fmt.Sprintf("[%d]", i)
			}
			if t.Kind != load.String {
				// A wrong type in a typed field is the schema's finding.
				if rel.Field == "dependencyOf" && info.Kind == "Component" {
					c.report(RuleRefFormat, t.Span, fmt.Sprintf("%s must be an entity reference string, found %s", field, kindName(t)), "")
				}
				continue
			}
			if _, err := entity.ParseRef(t.Text, rel.DefaultKind, ns); err != nil {
				sugg := ""
				if rel.DefaultKind == "" && !entity.HasKind(t.Text) {
					sugg = fmt.Sprintf("write the kind, e.g. \"component:%s\" or \"resource:%s\"", t.Text, t.Text)
				}
				c.report(RuleRefFormat, t.Span, fmt.Sprintf("%s: %v", field, err), sugg)
			}
		}
	}
}

// checkUnknownFields warns about keys one typo away from a defined field.
func (c *docChecker) checkUnknownFields(root *load.Node, info entity.KindInfo) {
	for _, part := range []struct {
		name  string
		known []string
	}{{"metadata", entity.MetadataFields}, {"spec", info.SpecFields}} {
		m := root.Get(part.name)
		if m == nil || m.Kind != load.Map {
			continue
		}
		for _, p := range m.Map {
			if contains(part.known, p.Key) {
				continue
			}
			if cl := entity.Closest(p.Key, part.known, 1); len(cl) > 0 && !hasKey(m, cl[0]) {
				c.report(RuleUnknownField, p.KeySpan, fmt.Sprintf("%s.%s is not a field of %s; Backstage keeps it but nothing reads it", part.name, p.Key, info.Kind), fmt.Sprintf("did you mean %q?", cl[0]))
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func hasKey(m *load.Node, k string) bool { return m.Pair(k) != nil }
