package lint

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/catalint-dev/catalint/pkg/annotations"
	"github.com/catalint-dev/catalint/pkg/apispec"
	"github.com/catalint-dev/catalint/pkg/appconfig"
	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
	"github.com/catalint-dev/catalint/pkg/schema"
	"github.com/catalint-dev/catalint/pkg/techdocs"
)

// Entity summarises one document of a checked file.
type Entity struct {
	File       string `json:"file"`
	Document   int    `json:"document"`
	Line       int    `json:"line"`
	Ref        string `json:"ref,omitempty"`
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"-"`
	Name       string `json:"-"`
	Namespace  string `json:"-"`
	// Invalid is true when the document has an error (Backstage would
	// reject it as it is).
	Invalid bool `json:"-"`
	// TemplateSource marks a document holding template expressions: its
	// problems are not reported, one template-source notice is.
	TemplateSource bool `json:"templateSource,omitempty"`
}

// Valid reports whether the document had no error.
func (e Entity) Valid() bool { return !e.Invalid }

// Options are the inputs of a run.
type Options struct {
	// Paths are files, folders and globs; "-" is standard input.
	Paths []string
	// Ignore are extra globs to skip; NoDefaultIgnores drops the defaults.
	Ignore           []string
	NoDefaultIgnores bool
	// Include, APIVersions and NameOnly shape the folder search (see
	// load.Search); FilterFiles applies its rule to named files too.
	Include     []string
	APIVersions []string
	NameOnly    bool
	FilterFiles bool
	// ReadDir reads folders; nil means os.ReadDir.
	ReadDir func(string) ([]fs.DirEntry, error)
	// FollowLocations checks the files Location entities point at.
	FollowLocations bool
	Load            load.Options
	Selection       *Selection
	Stdin           io.Reader
	// Sources are the catalog sources references are resolved against,
	// besides the checked files.
	Sources []catalog.Source
	// Owners are the identity providers owners are checked against.
	Owners []owners.Provider
	Policy OwnerPolicy
	// Allowed and Policies are the organisation's own rules.
	Allowed  Allowed
	Policies []Policy
	// APICache parses each API definition once; Annotations are the
	// annotation formats (annotations.Default() when nil).
	APICache    *apispec.Cache
	Annotations *annotations.Registry
	// DocsCache checks each techdocs-ref once per catalog file (made by
	// Run when nil).
	DocsCache *techdocs.Cache
	// NeedCatalog builds the aggregated catalog and the owner directory
	// even when no rule needs them (for scores), and keeps the whole
	// metadata of the checked entities: without it their Raw leaves out
	// what no rule after the files reads (metadata title, description,
	// labels, tags and links; scores read description and links).
	NeedCatalog bool
	// Model is the catalog model: the built-in kinds, enabled Backstage
	// modules and declared kinds (nil: the built-in kinds).
	Model *entity.Model
	// Workers bounds parallelism; 0 means the number of CPUs.
	Workers int
	// NoSources leaves Result.Sources empty: no output shows source lines.
	NoSources bool
	// IngestionSet names the ingestion set of each file named or found
	// (not of files Location entities reach, which join the sets of the
	// files that reach them): duplicate-entity compares only entities of
	// files that share a set. Nil means DefaultIngestionSet. A run whose
	// paths are the locations one Backstage registers (its app-config)
	// puts them all in one set: func(string) string { return "app-config" }.
	IngestionSet func(path string) string
	// Registered are the locations an app-config registers (--app-config).
	// With no Paths, their files are what is checked. An entity reached
	// through one (directly or through Location entities) is checked
	// against CatalogRules for that origin. Each registered location is
	// what one Backstage ingests together: an ingestion set for checks
	// that compare entities (duplicates).
	Registered []appconfig.Resolved
	// CatalogRules are the app-config's catalog.rules and location rules;
	// nil without an app-config (no catalog-rule checks). AppConfig is the
	// app-config they came from, for messages about its allow lists.
	CatalogRules *appconfig.Enforcer
	AppConfig    *appconfig.Config
	// Templates configure the rendering of Templates' skeletons.
	Templates TemplateOptions
	// RepoPath maps a URL into this repository (a url Location target) to
	// the local file, to check it from the checkout; nil follows no URL.
	RepoPath func(url string) (string, bool)
}

// Result is what a run found.
type Result struct {
	Diagnostics []diag.Diagnostic
	Entities    []Entity
	Files       int
	// Paths are the checked files, in the order read.
	Paths []string
	// Sources holds the content of the files that have diagnostics, for
	// source snippets.
	Sources map[string][]byte
	// Found is what discovery searched and found.
	Found *load.Found
	// Templates are the scaffolder Templates whose skeletons were
	// rendered, with what came of it.
	Templates []TemplateRender
	// Rendered are the entities the Templates' skeletons create (with the
	// refs or owners group, or NeedCatalog), for scores.
	Rendered []RenderedEntity
	// With the refs or owners group (or Options.NeedCatalog): the checked
	// entities (their Raw without a definition's text, and without the
	// prose metadata unless NeedCatalog), the aggregated catalog, and the
	// owner directory.
	Checked        []*catalog.Entity
	Index          *catalog.Index
	Owners         *owners.Directory
	OwnersVerified bool
}

// Run checks the files the options name. Its error is for bad usage
// (*load.UsageError) or a failure to run at all; problems in files are
// diagnostics.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	defer phase(start, "end")
	if wd, err := os.Getwd(); err == nil {
		runWD.Store(&wd)
		// Cleared when done: a later Run may start in another folder, and
		// in the meantime absPath asks the system.
		defer runWD.CompareAndSwap(&wd, nil)
	}
	sch, err := schema.ForModel(opts.Model)
	if err != nil {
		return nil, fmt.Errorf("load the schemas: %w", err)
	}
	ig, err := load.NewIgnorer(opts.Ignore, !opts.NoDefaultIgnores)
	if err != nil {
		return nil, err
	}
	search, err := opts.search(ig)
	if err != nil {
		return nil, err
	}
	reg := newRegistry(opts)
	found := &load.Found{}
	if args := reg.paths(opts.Paths); len(args) > 0 {
		// Files an app-config registers come as named files: always
		// checked.
		if found, err = search.Discover(args); err != nil {
			return nil, err
		}
	}
	targets := found.Targets
	reg.start(targets)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opts.APICache == nil {
		opts.APICache = apispec.NewCache()
	}
	if opts.DocsCache == nil {
		opts.DocsCache = techdocs.NewCache()
	}
	res := &Result{Sources: map[string][]byte{}, Found: found}
	res.Diagnostics = append(res.Diagnostics, opts.Selection.adjust(found.Diags)...)
	apis := map[string]*apiState{}
	refs := refsWanted(opts.Selection) || opts.NeedCatalog
	var checked []*checkedEntity
	var uses []refUse
	seen := map[string]bool{}
	var tmpls []*templateRec
	var reread map[string]string // display → path of files whose text was let go
	ing := newIngestion()
	for _, t := range targets {
		seen[key(t.Path)] = true
		ing.root(t.Path, opts.IngestionSet)
	}
	for len(targets) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		outs := make([]fileResult, len(targets))
		// Workers take the next file from a shared counter: no channel
		// hand-off (and no goroutine wake-up) per file.
		var wg sync.WaitGroup
		var next atomic.Int64
		for w := 0; w < min(workers, len(targets)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(targets) || ctx.Err() != nil {
						return
					}
					outs[i] = checkFile(ctx, targets[i], opts, sch, reg.of(targets[i]))
					if refs {
						outs[i].collectRefs(targets[i], opts.Model, !opts.NeedCatalog)
					}
					outs[i].file = nil // let go of the parsed tree
					if (len(outs[i].diags) == 0 && len(outs[i].ruleHits) == 0) || opts.NoSources {
						outs[i].src = nil // no snippet will need it
					}
				}
			}()
		}
		wg.Wait()
		phase(start, "files")
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var more []load.Target
		// Grow the result lists once, not by doubling over 20,000 entities.
		nEnt, nDiag, nChecked, nUses := 0, 0, 0, 0
		for _, o := range outs {
			nEnt, nDiag, nChecked, nUses = nEnt+len(o.entities), nDiag+len(o.diags), nChecked+len(o.checked), nUses+len(o.uses)
		}
		res.Entities = slices.Grow(res.Entities, nEnt)
		res.Diagnostics = slices.Grow(res.Diagnostics, nDiag)
		res.Paths = slices.Grow(res.Paths, len(outs))
		checked = slices.Grow(checked, nChecked)
		uses = slices.Grow(uses, nUses)
		for i, o := range outs {
			reg.collect(targets[i], o)
			res.Files++
			res.Paths = append(res.Paths, o.display)
			res.Diagnostics = append(res.Diagnostics, o.diags...)
			res.Entities = append(res.Entities, o.entities...)
			checked = append(checked, o.checked...)
			for k, v := range o.apis {
				apis[k] = v
			}
			uses = append(uses, o.uses...)
			tmpls = append(tmpls, o.templates...)
			if (len(o.diags) > 0 || len(o.ruleHits) > 0) && o.src != nil && !opts.NoSources {
				res.Sources[o.display] = o.src
			} else if !opts.NoSources && targets[i].Path != load.Stdin {
				// Its text was let go: a finding of the rules that run
				// after the files (duplicates, references) reads it again.
				if reread == nil {
					reread = map[string]string{}
				}
				reread[o.display] = targets[i].Path
			}
			for j, t := range o.follow {
				ing.reach(targets[i].Path, t.Path)
				if !seen[key(t.Path)] && !ig.Match(t.Path) {
					seen[key(t.Path)] = true
					more = append(more, t)
					reg.follow(targets[i], o.followDoc[j], t)
				}
			}
		}
		sort.Slice(more, func(i, j int) bool { return more[i].Display < more[j].Display })
		targets = more
	}
	phase(start, "files merged")
	rnd := renderTemplates(ctx, tmpls, opts, sch, refs)
	phase(start, "templates")
	if refs {
		ix, names, err := buildIndex(ctx, checked, opts.Sources, opts.Model)
		phase(start, "index")
		if err != nil {
			return nil, &SourceError{Err: err}
		}
		od, err := buildDirectory(ctx, ix, len(names) > 0, opts)
		if err != nil {
			return nil, &SourceError{Err: err}
		}
		phase(start, "owner directory")
		res.Index, res.Owners, res.OwnersVerified = ix, od.dir, od.verified
		for _, c := range checked {
			res.Checked = append(res.Checked, &c.Entity)
		}
		// The owners rules run beside the refs rules: both only read
		// the checked entities, the index and the directory. Their
		// findings are added in the same order as one after the other.
		var ownerDiags []diag.Diagnostic
		var owned sync.WaitGroup
		if groupWanted(opts.Selection, GroupOwners) {
			owned.Go(func() { ownerDiags = checkOwners(checked, uses, od, opts) })
		}
		if groupWanted(opts.Selection, GroupRefs) {
			ing.spread()
			res.Diagnostics = append(res.Diagnostics, checkRefs(checked, uses, ix, names, ing, opts.Selection, start)...)
		}
		res.Diagnostics = append(res.Diagnostics, checkProvidedAPIs(uses, apis, opts.Selection)...)
		owned.Wait()
		phase(start, "owners rules")
		res.Diagnostics = append(res.Diagnostics, ownerDiags...)
		rnd.checkRefs(ix, names, od, opts)
		res.Diagnostics = opts.Selection.adjust(res.Diagnostics)
		markInvalid(res)
	}
	res.Diagnostics = rnd.coveredSources(append(res.Diagnostics, opts.Selection.adjust(rnd.finish(res))...))
	reg.finish(res)
	res.Diagnostics = groupNotices(onceAtPosition(diag.Sort(res.Diagnostics)))
	rereadSources(res, reread, opts.Load.MaxFileSize)
	sort.SliceStable(res.Entities, func(i, j int) bool {
		a, b := res.Entities[i], res.Entities[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Document < b.Document
	})
	return res, nil
}

// rereadSources reads again, for their source lines, the checked files
// whose text was let go after their own checks and that a later rule
// (duplicates, references, cycles) has a finding in. Each is read as the
// loader reads it: a regular file inside its repository, within the size
// limit; one that cannot be read so shows its findings without a line.
func rereadSources(res *Result, paths map[string]string, max int64) {
	if len(paths) == 0 {
		return
	}
	if max <= 0 {
		max = load.DefaultMaxFileSize
	}
	for _, d := range res.Diagnostics {
		p, ok := paths[d.File]
		if !ok || d.Line == 0 {
			continue
		}
		delete(paths, d.File) // once, read or not
		if _, have := res.Sources[d.File]; have {
			continue
		}
		if b, ok := snippetSource(p, max); ok {
			res.Sources[d.File] = b
		}
	}
}

// snippetSource reads a checked file again for its source lines, as the
// loader reads it: a regular file inside its repository (symlinks
// included), within max bytes.
func snippetSource(p string, max int64) ([]byte, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, false
	}
	b, err := load.ReadConfined(load.RepoRoot(abs), abs, max)
	return b, err == nil
}

func key(p string) string {
	if p == load.Stdin {
		return p
	}
	if abs, err := absPath(p); err == nil {
		return abs
	}
	return p
}

type fileResult struct {
	file     *load.File
	checked  []*checkedEntity
	uses     []refUse
	apis     map[string]*apiState
	display  string
	src      []byte
	diags    []diag.Diagnostic
	entities []Entity
	follow   []load.Target
	// template are the documents that are template sources.
	template map[*load.Doc]bool
	// followDoc is the document index (1-based) of each follow target's
	// Location entity.
	followDoc []int
	// ruleHits are the entities the catalog rules do not allow.
	ruleHits []ruleHit
	// templates are the file's scaffolder Templates, to render.
	templates []*templateRec
}

// search is the discovery the options ask for.
func (opts Options) search(ig *load.Ignorer) (*load.Search, error) {
	s := &load.Search{Ignorer: ig, FilterFiles: opts.FilterFiles, ReadDir: opts.ReadDir}
	if len(opts.Include) > 0 {
		inc, err := load.NewMatcher(opts.Include, "discovery.include")
		if err != nil {
			return nil, err
		}
		s.Include = inc
	}
	if !opts.NameOnly {
		s.Sniffer = load.NewSniffer(opts.APIVersions)
	}
	return s, nil
}

func checkFile(ctx context.Context, t load.Target, opts Options, sch *schema.Set, origin *appconfig.Origin) fileResult {
	var f *load.File
	if t.Path == load.Stdin {
		root := opts.Load.Root
		if root == "" {
			root = load.RepoRoot(".")
		}
		f = load.Parse(opts.Stdin, t.Display, ".", root, opts.Load)
	} else {
		lo := opts.Load
		lo.DefaultRoot = t.Root
		f = load.ReadTarget(t, lo)
	}
	return checkParsed(ctx, t, f, opts, sch, origin)
}

// checkParsed checks a file that is read (a file, standard input, or what
// a Template renders).
func checkParsed(ctx context.Context, t load.Target, f *load.File, opts Options, sch *schema.Set, origin *appconfig.Origin) fileResult {
	out := fileResult{file: f, display: f.Path, src: f.Src}
	out.diags = append(out.diags, opts.Selection.adjust(f.Diags)...)
	fileInvalid := false
	for _, d := range f.Diags {
		if d.Severity == diag.Error {
			fileInvalid = true
		}
	}
	if fileInvalid && len(f.Docs) == 0 {
		out.entities = append(out.entities, Entity{File: f.Path, Document: 1, Line: 1, Invalid: true})
	}
	tmplLine, tmplDocs := 0, 0
	tmplLines := make([]int, len(f.Docs))
	if opts.Selection.templateSources() {
		// Turned off, template sources are checked as they stand.
		tmplLines = f.TemplateLines()
	}
	for _, d := range f.Docs {
		ds, e := checkDoc(d, opts.Selection, sch, opts.Model)
		if groupWanted(opts.Selection, GroupAPIs) || groupWanted(opts.Selection, GroupTechDocs) {
			ads, st := checkAPIDoc(ctx, d, e.Ref, t.Path, opts)
			for _, a := range ads {
				if a.Severity == diag.Error {
					e.Invalid = true
				}
			}
			ds = append(ds, ads...)
			if st != nil && e.Ref != "" {
				if out.apis == nil {
					out.apis = map[string]*apiState{}
				}
				out.apis[e.Ref] = st
			}
		}
		if pds := checkPolicies(d, e.Ref, opts); len(pds) > 0 {
			ds = append(ds, pds...)
			for _, p := range pds {
				if p.Severity == diag.Error {
					e.Invalid = true
				}
			}
		}
		if fileInvalid {
			e.Invalid = true
		}
		if h, ok := checkCatalogRule(d, e.Ref, origin, opts); ok {
			e.Invalid = true
			out.ruleHits = append(out.ruleHits, h)
		}
		if l := tmplLines[d.Index-1]; l > 0 {
			// A template source: rendered by the scaffolder before
			// Backstage reads it, so its problems as it stands are not
			// findings, and it defines no entity.
			e.TemplateSource = true
			out.entities = append(out.entities, e)
			if tmplLine == 0 {
				tmplLine = l
			}
			tmplDocs++
			if out.template == nil {
				out.template = map[*load.Doc]bool{}
			}
			out.template[d] = true
			continue
		}
		out.diags = append(out.diags, ds...)
		out.entities = append(out.entities, e)
		if rec, ok := templateOf(d, t, f, e, opts.Selection); ok {
			out.templates = append(out.templates, rec)
		}
		if opts.FollowLocations && d.Root != nil && t.Path != load.Stdin {
			targets, lds := locationTargets(d, f, t.Path, opts.Selection, opts.RepoPath)
			out.diags = append(out.diags, opts.Selection.adjust(lds)...)
			out.follow = append(out.follow, targets...)
			for range targets {
				out.followDoc = append(out.followDoc, d.Index)
			}
		}
	}
	if tmplDocs > 0 {
		out.diags = append(out.diags, opts.Selection.adjust([]diag.Diagnostic{templateNotice(f, tmplLine, tmplDocs)})...)
	}
	return out
}

// templateNotice is the one notice of a file that is a template source.
func templateNotice(f *load.File, line, docs int) diag.Diagnostic {
	n := "its document is"
	if len(f.Docs) > 1 {
		n = fmt.Sprintf("%d of its %d documents are", docs, len(f.Docs))
	}
	return diag.Diagnostic{
		Pos:      diag.Pos{File: f.Path, Line: line, Column: 1, EndLine: line, EndColumn: 2},
		Severity: diag.Notice, Rule: load.RuleTemplateSource,
		Message: "template source: this file holds scaffolder template expressions (${{ … }}, {% … %}), which a Template fills in before Backstage reads the result; " +
			n + " not checked as catalog entities",
		Suggestion: "to check what a Template renders, check its output; --disable template-source checks the file as it stands",
	}
}

// SourceError is a catalog source that could not be read: a fatal error
// (exit 3), not a finding.
type SourceError struct{ Err error }

func (e *SourceError) Error() string { return e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// refsWanted reports whether any rule that needs the aggregated catalog
// runs.
func refsWanted(sel *Selection) bool {
	return groupWanted(sel, GroupRefs) || groupWanted(sel, GroupOwners) || sel.Enabled(RuleAPIProvided)
}

// groupWanted reports whether any rule of a group (but location-target,
// which runs while files load) runs.
func groupWanted(sel *Selection, group string) bool {
	for _, r := range Rules {
		if r.Group == group && r.ID != RuleLocationTarget && sel.Enabled(r.ID) {
			return true
		}
	}
	return false
}

// collectRefs records the file's entities and references, then lets go of
// the parsed file.
func (o *fileResult) collectRefs(t load.Target, m *entity.Model, lean bool) {
	if o.file != nil {
		for _, d := range o.file.Docs {
			if o.template[d] {
				continue
			}
			if c, us := collectRefs(d, t.Path, m, lean); c != nil {
				o.checked = append(o.checked, c)
				o.uses = append(o.uses, us...)
			}
		}
	}
	o.file = nil
}

// onceAtPosition keeps one of the findings that differ only in their
// entity: a file several entities share (an MkDocs configuration that two
// techdocs-refs name, a definition two APIs read) is reported once, not
// once per entity that led to it. ds is sorted; the first entity's is kept.
func onceAtPosition(ds []diag.Diagnostic) []diag.Diagnostic {
	type key struct {
		pos                   diag.Pos
		sev                   diag.Severity
		rule, msg, suggestion string
		baseline              bool
	}
	seen := make(map[key]bool, len(ds))
	out := ds[:0]
	for _, d := range ds {
		if d.File == "" || d.Line == 0 {
			out = append(out, d) // run-wide notices are counted elsewhere
			continue
		}
		k := key{d.Pos, d.Severity, d.Rule, d.Message, d.Suggestion, d.Baseline}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// markInvalid marks the entities that refs diagnostics made invalid.
func markInvalid(res *Result) {
	bad := map[string]bool{}
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error && d.Entity != "" {
			bad[d.File+"\x00"+d.Entity] = true
		}
	}
	for i, e := range res.Entities {
		if bad[e.File+"\x00"+e.Ref] {
			res.Entities[i].Invalid = true
		}
	}
}

// locationTargets returns the local files a Location entity points at.
func locationTargets(d *load.Doc, f *load.File, path string, sel *Selection, repoPath func(string) (string, bool)) ([]load.Target, []diag.Diagnostic) {
	lts := load.LocationTargets(d.Root)
	if len(lts) == 0 {
		return nil, nil
	}
	var out []load.Target
	var ds []diag.Diagnostic
	ref := ""
	if name := d.Root.GetString("metadata", "name"); name != "" {
		ref = "location:" + strings.ToLower(nsOf(d.Root)+"/"+name)
	}
	report := func(n *load.Node, sev diag.Severity, msg string) {
		if !sel.Enabled(RuleLocationTarget) {
			return
		}
		ds = append(ds, diag.Diagnostic{Pos: f.Pos(n.Span), Severity: sev, Rule: RuleLocationTarget, Entity: ref, Message: msg})
	}
	for _, lt := range lts {
		n := lt.Node
		target := n.Text
		local := false
		if lt.Remote() && (lt.Type == "" || lt.Type == "url") {
			// A URL into this repository (one of its git remotes) is read
			// from the checkout: the checkout is what is being checked,
			// and no network is used.
			if repoPath != nil {
				target, local = repoPath(n.Text)
			} else if root := load.RepoRoot(path); root != "" {
				target, local = load.LocalPath(root, n.Text)
			}
			if !local {
				target = n.Text
			}
		}
		switch {
		case local:
		case lt.Remote():
			report(n, diag.Notice, fmt.Sprintf("remote Location target %s is not followed; its entities are not checked", n.Text))
			continue
		case !lt.Followable():
			report(n, diag.Notice, fmt.Sprintf("Location target of type %q is not followed; only url and file targets are", lt.Type))
			continue
		}
		root := f.Root
		if root == "" {
			root = load.RepoRoot(path)
		}
		files, err := load.ExpandTarget(path, target, root)
		if err != nil {
			report(n, diag.Error, fmt.Sprintf("Location target: %v", err))
			continue
		}
		if len(files) == 0 {
			report(n, diag.Error, fmt.Sprintf("Location target %s matches no file", n.Text))
			continue
		}
		for _, p := range files {
			if !exists(p) {
				report(n, diag.Error, fmt.Sprintf("Location target %s does not exist", n.Text))
				continue
			}
			out = append(out, load.Target{Path: p, Display: displayPath(p), Root: root})
		}
	}
	return out, ds
}

func nsOf(root *load.Node) string {
	if ns := root.GetString("metadata", "namespace"); ns != "" {
		return ns
	}
	return "default"
}
