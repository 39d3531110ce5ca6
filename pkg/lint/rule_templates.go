package lint

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/scaffold"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// Rule ids of golden paths: what scaffolder Templates render.
const (
	// RuleTemplateSkeleton is about rendering a Template's skeletons: a
	// catalog file that cannot be rendered, values the template cannot
	// supply, skeletons outside the repository.
	RuleTemplateSkeleton = "template-skeleton"
	// RuleTemplateFiles is the organisation's policy on the files a
	// Template's skeletons ship (templates.skeleton in .catalint.yaml).
	RuleTemplateFiles = "template-files"
)

// TemplateOptions configure the rendering of Templates' skeletons
// (templates: in .catalint.yaml).
type TemplateOptions struct {
	// Values are parameter values by template name; "*" applies to every
	// template (a template's own entry wins).
	Values map[string]map[string]any
	// Skeleton are the policies on the files skeletons ship.
	Skeleton []SkeletonPolicy
}

// SkeletonPolicy requires or forbids files in the skeletons of the
// Templates it matches.
type SkeletonPolicy struct {
	// Type and Name select Templates by spec.type (case-insensitive) and
	// metadata.name (a glob); empty selects all.
	Type, Name string
	// Require and Forbid are globs of paths in the new repository.
	Require, Forbid []string
}

// templateRec is a Template found among the checked files.
type templateRec struct {
	path, display, root string
	value               map[string]any
	name, typ, ref      string
	pos                 diag.Pos
}

// templateOf records a Template document to render.
func templateOf(d *load.Doc, t load.Target, f *load.File, e Entity, sel *Selection) (*templateRec, bool) {
	if t.Path == load.Stdin || d.Root == nil || !strings.EqualFold(e.Kind, "Template") ||
		!strings.HasPrefix(e.APIVersion, "scaffolder.backstage.io/") || !sel.renders() {
		return nil, false
	}
	m, ok := d.Value().(map[string]any)
	if !ok {
		return nil, false
	}
	rec := &templateRec{path: t.Path, display: f.Path, root: f.Root, value: m, name: e.Name, ref: e.Ref,
		typ: d.Root.GetString("spec", "type")}
	if rec.root == "" {
		rec.root = load.RepoRoot(t.Path)
	}
	n := d.Root.Get("metadata").Get("name")
	if n == nil {
		n = d.Root
	}
	rec.pos = f.Pos(n.Span)
	return rec, true
}

// showPath shows a skeleton file the way the Template's file is shown:
// relative to it, in the same style (relative or absolute).
func (rec *templateRec) showPath(p string) string {
	abs, err1 := filepath.Abs(rec.path)
	rel, err2 := filepath.Rel(filepath.Dir(abs), p)
	if err1 != nil || err2 != nil {
		return displayPath(p)
	}
	return filepath.Join(filepath.Dir(rec.display), rel)
}

// renderedFile is one catalog file a Template renders, being checked.
type renderedFile struct {
	key      string // the file name its diagnostics carry while checked
	skeleton string // how the skeleton file is shown
	src      []byte // the skeleton's own content, for snippets
	file     scaffold.File
	rec      *templateRec
	res      *scaffold.Result
	out      fileResult
	// unknown are the fields that hold values the template cannot supply.
	unknown []unknownField
}

type unknownField struct {
	field string
	line  int // output line and column
	col   int
	ids   []int
}

// TemplateRender is what rendering one Template gave.
type TemplateRender struct {
	File, Name string
	// Steps are the fetch steps followed, Unfollowed those that could not
	// be (remote or templated url); Files the catalog files rendered.
	Steps, Unfollowed, Files int
	// Errors and Warnings are the findings in its rendered files and on
	// the Template (template-files); Unknown the values it cannot supply
	// that reached a rendered file.
	Errors, Warnings, Unknown int
}

// RenderedEntity is an entity a Template's skeleton creates, with the
// skeleton file and line it comes from.
type RenderedEntity struct {
	Template, File string
	Line           int
	Entity         *catalog.Entity
}

// rendered is what rendering the Templates gave.
type rendered struct {
	noSources bool
	entities  []RenderedEntity
	recs      []*templateRec
	sums      map[*templateRec]*TemplateRender
	files     []*renderedFile
	diags     []diag.Diagnostic // on Templates and skeletons, final
	// checked and uses are the rendered entities and their references.
	checked []*checkedEntity
	uses    []refUse
	refs    []diag.Diagnostic
}

// renderTemplates renders every Template's skeleton catalog files and
// checks them as files are checked; references wait for checkRefs.
func renderTemplates(ctx context.Context, tmpls []*templateRec, opts Options, sch *schema.Set, refs bool) *rendered {
	out := &rendered{recs: tmpls, sums: map[*templateRec]*TemplateRender{}, noSources: opts.NoSources}
	sort.SliceStable(tmpls, func(i, j int) bool {
		if tmpls[i].display != tmpls[j].display {
			return tmpls[i].display < tmpls[j].display
		}
		return tmpls[i].pos.Line < tmpls[j].pos.Line
	})
	sniff := load.NewSniffer(opts.APIVersions)
	isCatalog := func(name string, content []byte) bool {
		if name == "catalog-info.yaml" || name == "catalog-info.yml" {
			return true
		}
		return sniff.Match(content)
	}
	for _, rec := range tmpls {
		if ctx.Err() != nil {
			return out
		}
		values := map[string]any{}
		for k, v := range opts.Templates.Values["*"] {
			values[k] = v
		}
		for k, v := range opts.Templates.Values[rec.name] {
			values[k] = v
		}
		repoPath := opts.RepoPath
		if repoPath == nil {
			root := rec.root
			repoPath = func(u string) (string, bool) { return load.LocalPath(root, u) }
		}
		res := scaffold.Render(rec.value, rec.path, scaffold.Options{Root: rec.root, Values: values,
			MaxFileSize: opts.Load.MaxFileSize, IsCatalog: isCatalog, RepoPath: repoPath})
		out.sums[rec] = &TemplateRender{File: rec.display, Name: rec.name, Steps: res.Steps, Unfollowed: res.Unfollowed, Files: len(res.Files)}
		out.diags = append(out.diags, templateProblems(rec, res)...)
		out.diags = append(out.diags, skeletonPolicy(rec, res, opts.Templates.Skeleton)...)
		for i, f := range res.Files {
			rf := &renderedFile{skeleton: rec.showPath(f.Skeleton), file: f, rec: rec, res: res}
			rf.key = fmt.Sprintf("%s\x00%s\x00%d", rf.skeleton, rec.display, i)
			lo := opts.Load
			lo.Root = rec.root
			pf := load.Parse(bytes.NewReader(f.Content), rf.key, filepath.Dir(f.Skeleton), rec.root, lo)
			rf.unknown = markUnknown(pf)
			t := load.Target{Path: f.Skeleton, Display: rf.key, Root: rec.root}
			o := opts
			o.FollowLocations = false
			rf.out = checkParsed(ctx, t, pf, o, sch, nil)
			if refs {
				rf.out.collectRefs(t, opts.Model, false)
				for _, c := range rf.out.checked {
					// Where it is defined, for messages: the skeleton's line.
					if l, err := strconv.Atoi(c.Location[strings.LastIndexByte(c.Location, ':')+1:]); err == nil {
						sl, _, _ := f.Map.Source(l, 0)
						c.Location = fmt.Sprintf("%s:%d (rendered by template `%s`)", rf.skeleton, sl, rec.name)
						out.entities = append(out.entities, RenderedEntity{Template: rec.name, File: rf.skeleton, Line: sl, Entity: &c.Entity})
					}
				}
				out.checked = append(out.checked, rf.out.checked...)
				out.uses = append(out.uses, rf.out.uses...)
			}
			rf.out.file = nil
			rf.src, _ = load.ReadConfined(rec.root, f.Skeleton, load.DefaultMaxFileSize)
			out.files = append(out.files, rf)
		}
	}
	return out
}

// markUnknown marks the values of a rendered file that hold a value the
// template cannot supply: no check may find fault with them.
func markUnknown(f *load.File) []unknownField {
	var out []unknownField
	var walk func(n *load.Node, p []string)
	walk = func(n *load.Node, p []string) {
		if n == nil {
			return
		}
		switch n.Kind {
		case load.String:
			if ids := scaffold.UnknownIDs(n.Text); len(ids) > 0 {
				// A value that is only an unknown one may be of any type
				// (${{ values.parameters }} may be a mapping): nothing may
				// be said of it. One with text around it is a string.
				whole := len(ids) == 1 && strings.EqualFold(strings.Trim(n.Text, `"' `), scaffold.Sentinel(ids[0]))
				n.Via = &load.Via{Placeholder: "template value", Unverified: !whole, Unresolved: whole}
				out = append(out, unknownField{field: load.FieldPath(p), line: n.Span.Line, col: n.Span.Column, ids: ids})
			}
		case load.Map:
			for _, pr := range n.Map {
				walk(pr.Value, append(p, pr.Key))
			}
		case load.Seq:
			for i, c := range n.Seq {
				walk(c, append(p, strconv.Itoa(i)))
			}
		}
	}
	for _, d := range f.Docs {
		walk(d.Root, nil)
	}
	return out
}

// checkRefs runs the refs and owners groups over the rendered entities,
// against the catalog with them added (an entity a skeleton renders may
// name another of the same skeleton), without touching ix.
func (r *rendered) checkRefs(ix *catalog.Index, names []string, od *ownerDirectory, opts Options) {
	if len(r.checked) == 0 {
		return
	}
	all := catalog.NewIndex(nil)
	all.Model = ix.Model
	for _, e := range ix.All() {
		all.Add(e)
	}
	for _, c := range r.checked {
		all.Add(&c.Entity)
	}
	ing := newIngestion()
	var ds []diag.Diagnostic
	if groupWanted(opts.Selection, GroupRefs) {
		ds = append(ds, checkRefs(r.checked, r.uses, all, names, ing, opts.Selection, time.Time{})...)
	}
	if groupWanted(opts.Selection, GroupOwners) {
		o := opts
		o.Policy.NoCodeowners = true
		ds = append(ds, checkOwners(r.checked, r.uses, &ownerDirectory{dir: od.dir, verified: od.verified, names: od.names}, o)...)
	}
	for _, d := range ds {
		// What skeletons of different templates define under the same
		// (default) name is no duplicate; run-wide notices were given.
		if d.Rule == RuleDuplicate || d.Rule == RuleCycle {
			continue
		}
		r.refs = append(r.refs, d)
	}
}

// finish maps the rendered files' diagnostics back to their skeletons'
// lines, names the template and values that produced them, and marks the
// Templates whose skeletons hold errors.
// coveredSources drops the template-source notice of a skeleton file a
// Template rendered: its rendering is what was checked, and the notice
// ("not checked") would contradict the Template's findings on it. A fetch
// url with expressions in it keeps its folder in the search, so such a
// file is found as well as rendered.
func (r *rendered) coveredSources(ds []diag.Diagnostic) []diag.Diagnostic {
	if r == nil || len(r.files) == 0 {
		return ds
	}
	sk := map[string]bool{}
	for _, rf := range r.files {
		sk[rf.skeleton] = true
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Rule == load.RuleTemplateSource && sk[d.File] {
			continue
		}
		out = append(out, d)
	}
	return out
}

func (r *rendered) finish(res *Result) []diag.Diagnostic {
	out := r.diags
	for _, d := range r.diags {
		if _, ok := res.Sources[d.File]; !ok && d.File != "" && !r.noSources {
			if b, ok := snippetSource(d.File, load.DefaultMaxFileSize); ok {
				res.Sources[d.File] = b
			}
		}
	}
	byKey := map[string]*renderedFile{}
	for _, rf := range r.files {
		byKey[rf.key] = rf
	}
	failed := map[*templateRec]bool{}
	emit := func(d diag.Diagnostic) {
		rf := byKey[d.File]
		if rf == nil {
			return
		}
		if d.Rule == load.RuleTemplateSource || scaffold.HasUnknown(d.Message) {
			// A finding about a value the template cannot supply is no
			// finding: the unknown-value notice names the field.
			return
		}
		if d.Rule == load.RulePlaceholder && d.Severity == diag.Error && !rf.placeholderMissing(d.Line) {
			return
		}
		if d.Rule == RuleTechDocs {
			// The docs are looked for in the repository the template
			// creates: what its fetch steps write. Missing docs do not make
			// the entity invalid: a warning.
			if !rf.docsMissing() {
				return
			}
			if d.Severity == diag.Error {
				d.Severity = diag.Warning
			}
			d.Message += fmt.Sprintf(" (no fetch step writes docs/ or mkdocs.yml beside %s in the new repository)", rf.file.Output)
		}
		d = rf.remap(d)
		if d.Severity == diag.Error {
			failed[rf.rec] = true
			r.sums[rf.rec].Errors++
		}
		if d.Severity == diag.Warning {
			r.sums[rf.rec].Warnings++
		}
		out = append(out, d)
		if rf.src != nil && !r.noSources {
			res.Sources[rf.skeleton] = rf.src
		}
	}
	for _, rf := range r.files {
		for _, d := range rf.out.diags {
			emit(d)
		}
		for _, d := range rf.undefinedWarnings() {
			out = append(out, d)
			r.sums[rf.rec].Warnings++
			if rf.src != nil && !r.noSources {
				res.Sources[rf.skeleton] = rf.src
			}
		}
		if n, ok := rf.unknownNotice(); ok {
			ids := map[int]bool{}
			for _, u := range rf.unknown {
				for _, id := range u.ids {
					ids[id] = true
				}
			}
			r.sums[rf.rec].Unknown += len(ids)
			out = append(out, n)
			if rf.src != nil && !r.noSources {
				res.Sources[rf.skeleton] = rf.src
			}
		}
	}
	runWide := map[string]bool{}
	for _, d := range res.Diagnostics {
		if d.File == "" {
			runWide[d.Rule] = true
		}
	}
	for _, d := range r.refs {
		if d.File == "" {
			// A run-wide notice (owners not verified, references not
			// resolved) the checked files did not already give.
			if !runWide[d.Rule] {
				runWide[d.Rule] = true
				out = append(out, d)
			}
			continue
		}
		emit(d)
	}
	for _, d := range r.diags {
		for _, rec := range r.recs {
			if d.Entity == rec.ref && d.File == rec.display {
				switch d.Severity {
				case diag.Error:
					failed[rec] = true
					r.sums[rec].Errors++
				case diag.Warning:
					r.sums[rec].Warnings++
				}
			}
		}
	}
	for _, rec := range r.recs {
		res.Templates = append(res.Templates, *r.sums[rec])
	}
	res.Rendered = r.entities
	for i, e := range res.Entities {
		for rec := range failed {
			if e.File == rec.display && e.Ref == rec.ref {
				res.Entities[i].Invalid = true
			}
		}
	}
	return mergeTemplates(out)
}

// mergeTemplates makes one finding of the same finding at the same place
// of a skeleton that several Templates share (a catalog-info skeleton
// fetched by every template of a repository), naming the templates.
func mergeTemplates(ds []diag.Diagnostic) []diag.Diagnostic {
	const by = "; rendered by template `"
	type key struct {
		pos        diag.Pos
		sev        diag.Severity
		rule, base string
	}
	groups := map[key][]int{}
	var order []key
	for i, d := range ds {
		j := strings.Index(d.Message, by)
		if j < 0 {
			continue
		}
		k := key{d.Pos, d.Severity, d.Rule, d.Message[:j]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	drop := map[int]bool{}
	for _, k := range order {
		idx := groups[k]
		if len(idx) < 2 {
			continue
		}
		var names []string
		for _, i := range idx {
			rest := ds[i].Message[len(k.base)+len(by):]
			if e := strings.IndexByte(rest, '`'); e >= 0 {
				names = append(names, "`"+rest[:e]+"`")
			}
			if i != idx[0] {
				drop[i] = true
			}
		}
		names = uniqStrings(names)
		sort.Strings(names)
		shown := names
		if len(shown) > 5 {
			shown = append(append([]string(nil), names[:5]...), fmt.Sprintf("and %d more", len(names)-5))
		}
		ds[idx[0]].Message = fmt.Sprintf("%s; rendered by %d templates: %s", k.base, len(names), strings.Join(shown, ", "))
		ds[idx[0]].Entity = ""
	}
	out := ds[:0]
	for i, d := range ds {
		if !drop[i] {
			out = append(out, d)
		}
	}
	return out
}

// remap moves a diagnostic of a rendered file to its skeleton's line and
// says which template and values produced it.
func (rf *renderedFile) remap(d diag.Diagnostic) diag.Diagnostic {
	line, col, reads := rf.file.Map.Source(d.Line, d.Column)
	if d.Line == 0 {
		line, col = 1, 1
	}
	endLine, endCol := line, col+1
	if d.EndLine == d.Line && d.EndColumn > d.Column {
		if l2, c2, _ := rf.file.Map.Source(d.EndLine, d.EndColumn-1); l2 == line && c2 >= col {
			endCol = c2 + 1
		}
	}
	if d.Line > 0 && d.Column > 0 {
		to := d.Column + 1
		if d.EndLine == d.Line && d.EndColumn > d.Column {
			to = d.EndColumn
		}
		if more := rf.file.Map.Reads(d.Line, d.Column, to); len(more) > 0 {
			reads = more
		}
	}
	d.Pos = diag.Pos{File: rf.skeleton, Line: line, Column: col, EndLine: endLine, EndColumn: endCol}
	if rf.file.Compat {
		// values.x under cookiecutterCompat renders nothing, so the
		// output holds no read to map back: the skeleton line names it.
		reads = append(reads, compatValuesOn(rf.src, line)...)
	}
	d.Message += "; " + rf.provenance(reads)
	return d
}

var compatValuesRe = regexp.MustCompile(`\{\{[^}]*?\bvalues\.([A-Za-z_][A-Za-z0-9_]*)`)

// compatValuesOn are the values.x a {{ }} expression reads on a skeleton
// line (1-based).
func compatValuesOn(src []byte, line int) []string {
	if line < 1 {
		return nil
	}
	lines := bytes.SplitN(src, []byte("\n"), line+1)
	if len(lines) < line {
		return nil
	}
	var out []string
	for _, m := range compatValuesRe.FindAllSubmatch(lines[line-1], -1) {
		out = append(out, "values."+string(m[1]))
	}
	return out
}

// provenance is "rendered by template `x` with values.owner="team-a"
// (parameter default)".
func (rf *renderedFile) provenance(reads []string) string {
	s := fmt.Sprintf("rendered by template `%s`", rf.rec.name)
	var parts []string
	for _, rd := range reads {
		key := rd
		if rf.file.Compat && strings.HasPrefix(rd, "values.") {
			// With cookiecutterCompat the step's values are
			// cookiecutter.x: values.x is undefined and renders empty.
			parts = append(parts, fmt.Sprintf("%s (undefined: with cookiecutterCompat: true the values are cookiecutter.%s)", rd, strings.TrimPrefix(rd, "values.")))
			continue
		}
		if rest, ok := strings.CutPrefix(rd, "cookiecutter."); ok {
			key = "values." + rest
		}
		if !strings.HasPrefix(key, "values.") {
			continue
		}
		top := key
		if i := strings.Index(key[len("values."):], "."); i >= 0 {
			top = key[:len("values.")+i]
		}
		v, ok := rf.file.Values[top]
		if !ok {
			parts = append(parts, top+" (not set by the template)")
			continue
		}
		if v.Origin == "unknown" {
			parts = append(parts, top+" (unknown)")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%s (%s)", top, scaffold.ShowValue(v.Value), v.Origin))
	}
	parts = uniqStrings(parts)
	if len(parts) > 0 {
		s += " with " + strings.Join(parts, ", ")
	}
	return s
}

func uniqStrings(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// unknownNotice is the notice of a rendered file that holds values the
// template cannot supply: the fields they reach are not checked.
func (rf *renderedFile) unknownNotice() (diag.Diagnostic, bool) {
	if len(rf.unknown) == 0 {
		return diag.Diagnostic{}, false
	}
	var ids []int
	seen := map[int]bool{}
	var fields []string
	for _, u := range rf.unknown {
		line, _, _ := rf.file.Map.Source(u.line, 0)
		fields = append(fields, fmt.Sprintf("%s (line %d)", u.field, line))
		for _, id := range u.ids {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Ints(ids)
	var what []string
	for _, id := range ids {
		what = append(what, rf.res.Unknown[id])
	}
	first, firstCol, _ := rf.file.Map.Source(rf.unknown[0].line, rf.unknown[0].col)
	if len(fields) > 6 {
		fields = append(fields[:6], fmt.Sprintf("and %d more", len(fields)-6))
	}
	return diag.Diagnostic{
		Severity: diag.Notice, Rule: RuleTemplateSkeleton,
		Pos: diag.Pos{File: rf.skeleton, Line: first, Column: firstCol, EndLine: first, EndColumn: firstCol + 1},
		Message: fmt.Sprintf("template `%s` has no value for %s: %s %s not checked",
			rf.rec.name, strings.Join(what, ", "), strings.Join(fields, ", "), map[bool]string{true: "is", false: "are"}[len(fields) == 1]),
		Suggestion: fmt.Sprintf("give the parameter a default, or a value under templates.values.%s in .catalint.yaml", rf.rec.name),
	}, true
}

// templateProblems are the Template's skeletons that could not be read or
// rendered.
func templateProblems(rec *templateRec, res *scaffold.Result) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, p := range res.Problems {
		d := diag.Diagnostic{Pos: rec.pos, Severity: diag.Notice, Rule: RuleTemplateSkeleton, Entity: rec.ref,
			Message: fmt.Sprintf("template `%s`: %s", rec.name, p.Msg)}
		if p.File != "" {
			line := max(p.Line, 1)
			d.Pos = diag.Pos{File: rec.showPath(p.File), Line: line, Column: 1, EndLine: line, EndColumn: 2}
			d.Entity = ""
			if !strings.Contains(p.Msg, "not supported") && strings.Contains(p.Msg, "cannot be rendered") {
				// The scaffolder would fail on it too.
				d.Severity = diag.Warning
			}
			if strings.Contains(p.Msg, "cannot be rendered") {
				d.Message += "; its entities are not checked"
			}
		}
		out = append(out, d)
	}
	return out
}

// skeletonPolicy applies templates.skeleton: the files a Template's
// skeletons must and must not ship, reported on the Template.
func skeletonPolicy(rec *templateRec, res *scaffold.Result, pols []SkeletonPolicy) []diag.Diagnostic {
	var out []diag.Diagnostic
	report := func(msg, sugg string) {
		out = append(out, diag.Diagnostic{Pos: rec.pos, Severity: diag.Error, Rule: RuleTemplateFiles, Entity: rec.ref, Message: msg, Suggestion: sugg})
	}
	for _, p := range pols {
		if p.Type != "" && !strings.EqualFold(p.Type, rec.typ) {
			continue
		}
		if p.Name != "" {
			if ok, _ := path.Match(p.Name, rec.name); !ok {
				continue
			}
		}
		sel := "template"
		if p.Type != "" {
			sel = fmt.Sprintf("template of type %s", p.Type)
		}
		if res.Steps == 0 {
			if len(p.Require) > 0 {
				out = append(out, diag.Diagnostic{Pos: rec.pos, Severity: diag.Notice, Rule: RuleTemplateFiles, Entity: rec.ref,
					Message: fmt.Sprintf("template `%s` fetches no skeleton from this repository, so the files it ships are not checked", rec.name)})
			}
			continue
		}
		for _, req := range p.Require {
			found := false
			for _, f := range res.Paths {
				if ok, _ := doublestar.Match(strings.TrimPrefix(req, "./"), f); ok {
					found = true
					break
				}
			}
			if !found {
				report(fmt.Sprintf("template `%s` does not ship %s, which every %s must (templates.skeleton)", rec.name, req, sel),
					"add it to the template's skeleton")
			}
		}
		for _, forb := range p.Forbid {
			for _, f := range res.Paths {
				if ok, _ := doublestar.Match(strings.TrimPrefix(forb, "./"), f); ok {
					report(fmt.Sprintf("template `%s` ships %s, which no %s may (templates.skeleton forbids %s)", rec.name, f, sel, forb),
						"remove it from the template's skeleton")
				}
			}
		}
	}
	return out
}

// docsMissing tells whether the repository the template creates lacks the
// docs a techdocs finding of a rendered file is about: the catalog file's
// folder in the new repository has no mkdocs.yml and no docs/, and every
// fetch step was followed (otherwise what is missing may come from a step
// that cannot be read here).
func (rf *renderedFile) docsMissing() bool {
	if rf.res.Unfollowed > 0 {
		return false
	}
	dir := path.Dir(rf.file.Output)
	for _, p := range rf.res.Paths {
		rel := p
		if dir != "." {
			var ok bool
			if rel, ok = strings.CutPrefix(p, dir+"/"); !ok {
				continue
			}
		}
		if rel == "mkdocs.yml" || rel == "mkdocs.yaml" || strings.HasPrefix(rel, "docs/") {
			return false
		}
	}
	return true
}

var placeholderRE = regexp.MustCompile(`\$(?:text|json|yaml|openapi|asyncapi)\s*:\s*["']?([^"'\s}]+)`)

// placeholderMissing tells whether the file a placeholder on a line of a
// rendered file reads is missing from the repository the template creates
// too: no fetch step writes it (beside the catalog file, where Backstage
// looks), and every step was followed. A skeleton often holds it under
// another name (openapi.yaml.njk, a templated name) or another step
// writes it.
func (rf *renderedFile) placeholderMissing(line int) bool {
	if rf.res.Unfollowed > 0 {
		return false
	}
	lines := strings.Split(string(rf.file.Content), "\n")
	if line < 1 || line > len(lines) {
		return true
	}
	m := placeholderRE.FindStringSubmatch(lines[line-1])
	if m == nil || strings.Contains(m[1], "://") {
		return true
	}
	want := path.Clean(path.Join(path.Dir(rf.file.Output), m[1]))
	for _, p := range rf.res.Paths {
		if p == want {
			return false
		}
	}
	return true
}

// undefinedWarnings are the values a skeleton joins into text with + or ~
// that the template never sets: JavaScript writes "undefined" into the
// new file (values.destination.owner + "/" + values.destination.repo when
// the fetch step passes no destination).
func (rf *renderedFile) undefinedWarnings() []diag.Diagnostic {
	var out []diag.Diagnostic
	type at struct{ line, col int }
	byLine := map[int][]string{}
	first := map[int]at{}
	var lines []int
	for _, u := range rf.file.Map.Undefined {
		if _, ok := byLine[u.Line]; !ok {
			lines = append(lines, u.Line)
			first[u.Line] = at{u.Line, u.Column}
		}
		byLine[u.Line] = append(byLine[u.Line], u.Path)
	}
	for _, l := range lines {
		paths := uniqStrings(byLine[l])
		var tops []string
		for _, p := range paths {
			top := p
			if parts := strings.SplitN(p, ".", 3); len(parts) >= 2 {
				top = "values." + parts[1]
			}
			tops = append(tops, top)
		}
		tops = uniqStrings(tops)
		var why []string
		for _, top := range tops {
			if _, ok := rf.file.Values[top]; ok {
				why = append(why, top+" has no such field")
			} else {
				why = append(why, "the fetch step passes no "+top)
			}
		}
		verb := "is"
		if len(paths) > 1 {
			verb = "are"
		}
		a := first[l]
		out = append(out, diag.Diagnostic{
			Pos:      diag.Pos{File: rf.skeleton, Line: a.line, Column: a.col, EndLine: a.line, EndColumn: a.col + 1},
			Severity: diag.Warning, Rule: RuleTemplateSkeleton,
			Message: fmt.Sprintf("template `%s`: %s %s undefined here (%s), and joined into text they write \"undefined\" into %s",
				rf.rec.name, strings.Join(paths, ", "), verb, strings.Join(why, "; "), rf.file.Output),
			Suggestion: fmt.Sprintf("pass %s in the fetch step's values, or guard with {%% if %%} or | default", strings.Join(tops, ", ")),
		})
	}
	return out
}
