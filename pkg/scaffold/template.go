package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/catalint-dev/catalint/pkg/load"
)

// Value is one template value and where it came from.
type Value struct {
	Value any
	// Origin says where: "parameter default", "parameter example",
	// "first allowed value", "config", "step input", "unknown".
	Origin string
}

// Unknowns describes the values a render could not know, by id.
type Unknowns map[int]string

// File is a rendered skeleton file that is a catalog file.
type File struct {
	// Skeleton is the source file (absolute); Output its path in the new
	// repository (slash-separated, relative).
	Skeleton, Output string
	Content          []byte
	Map              *Output
	// Values are the values of the fetch step that wrote it, as
	// "values.x", with where each came from.
	Values map[string]Value
	// Compat tells that the step set cookiecutterCompat: the skeleton
	// reads the values as cookiecutter.x, and values.x is undefined.
	Compat bool
}

// Result is what rendering a Template gives.
type Result struct {
	// Files are the rendered catalog files.
	Files []File
	// Paths are every file the fetch steps would write (slash-separated,
	// relative to the workspace), sorted.
	Paths []string
	// Values are the template's parameters as "parameters.x" and the
	// values of its fetch steps as "values.x" (of the last step that sets
	// one; each File has its own step's).
	Values map[string]Value
	// Unknown describes each unknown value by the id its sentinel carries.
	Unknown Unknowns
	// Problems are what could not be rendered or read, with the file they
	// concern (absolute; empty for the template itself) and line.
	Problems []Problem
	// Steps is the number of fetch steps followed; Unfollowed those that
	// fetch what cannot be read here (a templated or remote url, each:),
	// so that Paths may lack files the template writes.
	Steps, Unfollowed int
}

// Problem is a skeleton or step that could not be rendered.
type Problem struct {
	File string
	Line int
	Msg  string
}

// Options tell Render where it may read and what values to use.
type Options struct {
	// Root confines the skeletons read: they, and what their symlinks
	// point at, must be inside it.
	Root string
	// Values are parameter values that override the template's (config).
	Values map[string]any
	// MaxFileSize bounds a skeleton file; 0 means load's default.
	MaxFileSize int64
	// RepoPath maps a URL into this repository (a blob or tree link of one
	// of its remotes) to the local path; nil follows no URL.
	RepoPath func(url string) (string, bool)
	// IsCatalog tells whether a rendered file is a catalog file; nil
	// means catalog-info.yaml/.yml only.
	IsCatalog func(name string, content []byte) bool

	self string // the template file, absolute
}

// maxFiles bounds the files listed in one skeleton, maxFetchSteps the
// fetch steps of one template followed.
const (
	maxFiles      = 20_000
	maxFetchSteps = 50
)

type renderCtx struct {
	res     *Result
	unknown int
	// step are the values of the fetch step being rendered.
	step map[string]Value
}

func (rc *renderCtx) newUnknown(desc string) Unknown {
	rc.unknown++
	rc.res.Unknown[rc.unknown] = desc
	return Unknown{ID: rc.unknown}
}

// Render renders the catalog files of the skeletons the Template (its
// document as plain values) fetches; file is the template file's path.
func Render(tmpl map[string]any, file string, opts Options) *Result {
	res := &Result{Values: map[string]Value{}, Unknown: Unknowns{}}
	rc := &renderCtx{res: res}
	spec, _ := fromPlain(tmpl["spec"]).(map[string]any)
	params := rc.parameters(spec["parameters"], opts.Values)
	// A parameter the steps read that no form declares (it may come from
	// a part of the form not understood here) is unknown, not undefined.
	for _, m := range paramRefRE.FindAllStringSubmatch(fmt.Sprint(spec["steps"]), -1) {
		if _, ok := params[m[1]]; !ok {
			params[m[1]] = Value{Value: rc.newUnknown("parameters." + m[1] + " (not declared)"), Origin: "unknown"}
		}
	}
	pvals := map[string]any{}
	for k, v := range params {
		pvals[k] = v.Value
		res.Values["parameters."+k] = v
	}
	stepsCtx := map[string]any{}
	ctx := map[string]any{
		"parameters": pvals,
		"steps":      stepsCtx,
		"user":       rc.newUnknown("user (who runs the template)"),
		"secrets":    rc.newUnknown("secrets"),
		"context":    rc.newUnknown("context"),
	}
	abs, _ := filepath.Abs(file)
	dir := filepath.Dir(abs)
	opts.self = abs
	if real, err := load.RealPath(abs); err == nil {
		opts.self = real
	}
	steps, _ := spec["steps"].([]any)
	paths := map[string]bool{}
	for i, s := range steps {
		st, _ := s.(map[string]any)
		id := toString(st["id"])
		if id == "" {
			id = fmt.Sprint(i)
		}
		action := toString(st["action"])
		if cond, ok := st["if"]; ok {
			c := rc.evalInput(cond, ctx, nil)
			if _, u := c.(Unknown); !u && !truthy(c) {
				stepsCtx[id] = map[string]any{"output": map[string]any{}}
				continue
			}
		}
		stepsCtx[id] = map[string]any{"output": rc.newUnknown(fmt.Sprintf("steps.%s.output", id))}
		if !strings.HasPrefix(action, "fetch:template") && !strings.HasPrefix(action, "fetch:plain") {
			if strings.HasPrefix(action, "fetch:") {
				// fetch:cookiecutter, fetch:rails, …: files this renderer
				// does not make.
				res.Problems = append(res.Problems, Problem{Msg: fmt.Sprintf("step %q uses %s: not rendered", id, action)})
				res.Unfollowed++
			}
			continue
		}
		in, _ := st["input"].(map[string]any)
		if _, ok := st["each"]; ok {
			res.Problems = append(res.Problems, Problem{Msg: fmt.Sprintf("step %q repeats with each: not rendered", id)})
			res.Unfollowed++
			continue
		}
		input, _ := rc.evalInput(in, ctx, nil).(map[string]any)
		u, ok := input["url"].(string)
		local := ""
		if ok && strings.Contains(u, "://") && !HasUnknown(u) && opts.RepoPath != nil {
			// A link into this very repository is read from the checkout.
			if p, isLocal := opts.RepoPath(u); isLocal {
				local = p
			}
		}
		if local == "" && (!ok || u == "" || strings.Contains(u, "://") || filepath.IsAbs(u) || strings.HasPrefix(u, "/") || HasUnknown(u)) {
			res.Unfollowed++
			if ok && u != "" && !HasUnknown(u) {
				res.Problems = append(res.Problems, Problem{Msg: fmt.Sprintf("step %q fetches %s, which is not in this repository: not rendered", id, u)})
			}
			continue
		}
		if res.Steps >= maxFetchSteps {
			if res.Unfollowed == 0 || !strings.HasPrefix(res.Problems[len(res.Problems)-1].Msg, "over ") {
				res.Problems = append(res.Problems, Problem{Msg: fmt.Sprintf("over %d fetch steps: step %q and the next are not rendered", maxFetchSteps, id)})
			}
			res.Unfollowed++
			continue
		}
		res.Steps++
		var values any = map[string]any{}
		rc.step = map[string]Value{}
		switch vs := in["values"].(type) {
		case map[string]any:
			m := map[string]any{}
			for k, raw := range vs {
				var reads []string
				v := rc.evalInput(raw, ctx, &reads)
				m[k] = v
				rc.step["values."+k] = origin(v, raw, reads, res.Values)
			}
			values = m
		case nil:
		default:
			// values: ${{ parameters }} and the like.
			values = rc.evalInput(vs, ctx, nil)
			if m, ok := values.(map[string]any); ok {
				for k, v := range m {
					rc.step["values."+k] = Value{Value: v, Origin: "step input"}
					if pv, ok := res.Values["parameters."+k]; ok && ShowValue(pv.Value) == ShowValue(v) {
						rc.step["values."+k] = pv
					}
				}
			}
		}
		for k, v := range rc.step {
			res.Values[k] = v
		}
		src := filepath.Join(dir, filepath.FromSlash(u))
		if local != "" {
			src = local
		}
		target := toString(input["targetPath"])
		switch action {
		case "fetch:template", "fetch:plain":
			rc.skeleton(src, target, action == "fetch:template", input, values, opts, paths)
		case "fetch:template:file", "fetch:plain:file":
			rc.single(src, target, action == "fetch:template:file", input, values, opts, paths)
		}
	}
	for p := range paths {
		res.Paths = append(res.Paths, p)
	}
	sort.Strings(res.Paths)
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Skeleton < res.Files[j].Skeleton })
	return res
}

// origin tells where a step input value came from.
func origin(v any, raw any, reads []string, known map[string]Value) Value {
	if _, u := v.(Unknown); u {
		return Value{Value: v, Origin: "unknown"}
	}
	if s, ok := raw.(string); ok && strings.Contains(s, "${{") {
		var from []string
		for _, r := range reads {
			if pv, ok := known[r]; ok {
				from = append(from, pv.Origin)
			}
		}
		from = uniq(from)
		if len(from) == 1 {
			return Value{Value: v, Origin: from[0]}
		}
	}
	return Value{Value: v, Origin: "step input"}
}

var paramRefRE = regexp.MustCompile(`parameters\.([A-Za-z_$][A-Za-z0-9_$]*)`)

var singleExpr = regexp.MustCompile(`^\s*\$\{\{[^{}]*\}\}\s*$`)

// evalInput renders a step input as the scaffolder's workflow runner does:
// a string that is one ${{ }} expression keeps its value's type, other
// strings are rendered, and an empty result is undefined.
func (rc *renderCtx) evalInput(v any, ctx map[string]any, reads *[]string) any {
	switch x := v.(type) {
	case string:
		if !strings.Contains(x, "${{") {
			return x
		}
		src := x
		single := singleExpr.MatchString(x)
		if single {
			t, err := Parse(x, Scaffolder)
			if err == nil && len(t.nodes) >= 1 {
				for _, n := range t.nodes {
					if o, ok := n.(*outNode); ok {
						r := &renderer{t: t, scope: []map[string]any{ctx}, readRoot: map[string]bool{"parameters": true}}
						val := r.eval(o.e, o.off)
						if reads != nil {
							*reads = append(*reads, r.reads...)
						}
						if r.err != nil {
							return rc.newUnknown(fmt.Sprintf("%s (%s)", strings.TrimSpace(x), r.err.Error()))
						}
						if s, ok := val.(string); ok && s == "" {
							return undefined
						}
						return val
					}
				}
			}
		}
		t, err := Parse(src, Scaffolder)
		if err != nil {
			return rc.newUnknown(fmt.Sprintf("%s (%v)", x, err))
		}
		r := &renderer{t: t, scope: []map[string]any{ctx}, col: 1, lines: [][]Segment{nil}, readRoot: map[string]bool{"parameters": true}}
		r.nodes(t.nodes)
		if reads != nil {
			*reads = append(*reads, r.reads...)
		}
		if r.err != nil {
			return rc.newUnknown(fmt.Sprintf("%s (%s)", x, r.err.Error()))
		}
		if s := r.out.String(); s != "" {
			return s
		}
		return undefined
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rc.evalInput(e, ctx, reads)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = rc.evalInput(e, ctx, reads)
		}
		return out
	}
	return v
}

// parameters gives each parameter its value: the configured one, its
// default, its first example or allowed value, or an unknown value.
func (rc *renderCtx) parameters(p any, config map[string]any) map[string]Value {
	out := map[string]Value{}
	var pages []map[string]any
	switch x := p.(type) {
	case map[string]any:
		pages = append(pages, x)
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				pages = append(pages, m)
			}
		}
	}
	var walk func(m map[string]any, depth int)
	walk = func(m map[string]any, depth int) {
		if depth > 8 {
			return
		}
		props, _ := m["properties"].(map[string]any)
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, done := out[k]; done {
				continue
			}
			prop, _ := props[k].(map[string]any)
			out[k] = rc.paramValue(k, prop)
		}
		// Conditional pages: dependencies and allOf/oneOf add properties.
		for _, key := range []string{"allOf", "anyOf", "oneOf"} {
			if list, ok := m[key].([]any); ok {
				for _, e := range list {
					if sub, ok := e.(map[string]any); ok {
						walk(sub, depth+1)
						if th, ok := sub["then"].(map[string]any); ok {
							walk(th, depth+1)
						}
					}
				}
			}
		}
		if deps, ok := m["dependencies"].(map[string]any); ok {
			for _, d := range deps {
				if dm, ok := d.(map[string]any); ok {
					walk(dm, depth+1)
					if one, ok := dm["oneOf"].([]any); ok && len(one) > 0 {
						if sub, ok := one[0].(map[string]any); ok {
							walk(sub, depth+1)
						}
					}
				}
			}
		}
	}
	for _, pg := range pages {
		walk(pg, 0)
	}
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[k] = Value{Value: fromPlain(config[k]), Origin: "config"}
	}
	return out
}

func (rc *renderCtx) paramValue(name string, prop map[string]any) Value {
	if prop == nil {
		return Value{Value: rc.newUnknown("parameters." + name), Origin: "unknown"}
	}
	if d, ok := prop["default"]; ok {
		return Value{Value: fromPlain(d), Origin: "parameter default"}
	}
	if c, ok := prop["const"]; ok {
		return Value{Value: fromPlain(c), Origin: "parameter default"}
	}
	if ex, ok := prop["examples"].([]any); ok && len(ex) > 0 {
		return Value{Value: fromPlain(ex[0]), Origin: "parameter example"}
	}
	if en, ok := prop["enum"].([]any); ok && len(en) > 0 {
		return Value{Value: fromPlain(en[0]), Origin: "first allowed value"}
	}
	uo, _ := prop["ui:options"].(map[string]any)
	field := toString(prop["ui:field"])
	first := func(key string) string {
		if l, ok := uo[key].([]any); ok && len(l) > 0 {
			return toString(l[0])
		}
		return ""
	}
	if field == "RepoUrlPicker" {
		host := first("allowedHosts")
		if host == "" {
			return Value{Value: rc.newUnknown(fmt.Sprintf("parameters.%s (RepoUrlPicker)", name)), Origin: "unknown"}
		}
		q := []string{}
		for _, k := range []struct{ q, opt string }{{"owner", "allowedOwners"}, {"organization", "allowedOrganizations"}, {"workspace", "allowedWorkspaces"}, {"project", "allowedProjects"}, {"repo", "allowedRepos"}} {
			v := first(k.opt)
			if v == "" {
				if k.q != "owner" && k.q != "repo" {
					continue
				}
				v = Sentinel(rc.newUnknown(fmt.Sprintf("the %s in parameters.%s (RepoUrlPicker)", k.q, name)).ID)
			}
			q = append(q, k.q+"="+v)
		}
		return Value{Value: host + "?" + strings.Join(q, "&"), Origin: "ui:options"}
	}
	desc := "parameters." + name
	if field != "" {
		desc += " (" + field + ")"
	}
	return Value{Value: rc.newUnknown(desc), Origin: "unknown"}
}

// fileContext is the rendering context and syntax of one fetch step.
func stepSyntax(input map[string]any) (Syntax, map[string]any, string) {
	syn := Scaffolder
	root := "values"
	if truthy(input["cookiecutterCompat"]) {
		syn, root = Compat, "cookiecutter"
	}
	syn.TrimBlocks = truthy(input["trimBlocks"])
	syn.LstripBlocks = truthy(input["lstripBlocks"])
	ext := ""
	switch x := input["templateFileExtension"].(type) {
	case bool:
		if x {
			ext = ".njk"
		}
	case string:
		ext = x
		if ext != "" && !strings.HasPrefix(ext, ".") {
			ext = "." + ext
		}
	}
	return syn, map[string]any{"root": root}, ext
}

// skeleton renders a fetch:template (or lists a fetch:plain) folder.
func (rc *renderCtx) skeleton(src, target string, templated bool, input map[string]any, values any, opts Options, paths map[string]bool) {
	real, err := load.Confine(opts.Root, src)
	if err != nil {
		why := err.Error()
		var out *load.OutsideError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			why = "there is no such folder or file"
		case errors.As(err, &out):
			why = "it is outside the repository"
		}
		rc.res.Problems = append(rc.res.Problems, Problem{Msg: fmt.Sprintf("the skeleton %s cannot be read: %s", shortPath(src), why)})
		return
	}
	var files []string
	count := 0
	werr := filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if count++; count > maxFiles {
			return fs.SkipAll
		}
		if !d.IsDir() && p != opts.self {
			// The template file itself, in a skeleton that is its own
			// folder (url: ./), is not what the template is about.
			files = append(files, p)
		}
		return nil
	})
	if werr != nil || len(files) == 0 {
		rc.res.Problems = append(rc.res.Problems, Problem{Msg: fmt.Sprintf("the skeleton %s holds no file", shortPath(src))})
		return
	}
	syn, meta, ext := stepSyntax(input)
	ctx := map[string]any{meta["root"].(string): values}
	var copyOnly []string
	renderNames := true
	if l, ok := input["copyWithoutTemplating"].([]any); ok {
		copyOnly = mapStrings(l)
	} else if l, ok := input["copyWithoutRender"].([]any); ok {
		copyOnly, renderNames = mapStrings(l), false
	}
	for _, f := range files {
		rel, err := filepath.Rel(real, f)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		renderContent := templated
		out := rel
		if templated {
			if ext != "" {
				renderContent = strings.HasSuffix(out, ext)
				out = strings.TrimSuffix(out, ext)
			} else {
				for _, pat := range copyOnly {
					if ok, _ := doublestar.Match(strings.TrimPrefix(pat, "./"), rel); ok {
						renderContent = false
					} else if ok, _ := doublestar.Match(strings.TrimSuffix(strings.TrimPrefix(pat, "./"), "/")+"/**", rel); ok {
						renderContent = false
					}
				}
			}
			if renderNames || renderContent {
				o, err := renderString(out, syn, ctx)
				if err != nil {
					rc.res.Problems = append(rc.res.Problems, Problem{File: f, Msg: fmt.Sprintf("its name cannot be rendered: %v", err)})
					continue
				}
				out = o
			}
		}
		if out == "" || strings.HasPrefix(out, "/") || strings.Contains(out, "//") {
			continue // a name rendered empty: the scaffolder skips the file
		}
		outPath := path.Clean(path.Join(filepath.ToSlash(target), out))
		if paths[outPath] && !truthy(input["replace"]) {
			continue // an earlier step wrote it: the scaffolder keeps that one
		}
		paths[outPath] = true
		rc.catalogFile(f, outPath, renderContent, syn, ctx, opts)
	}
}

// single renders a fetch:template:file (or lists a fetch:plain:file).
func (rc *renderCtx) single(src, target string, templated bool, input map[string]any, values any, opts Options, paths map[string]bool) {
	syn, meta, _ := stepSyntax(input)
	ctx := map[string]any{meta["root"].(string): values}
	if target == "" {
		target = filepath.Base(src)
	}
	outPath := path.Clean(filepath.ToSlash(target))
	if paths[outPath] && !truthy(input["replace"]) {
		return
	}
	paths[outPath] = true
	rc.catalogFile(src, outPath, templated, syn, ctx, opts)
}

func renderString(s string, syn Syntax, ctx map[string]any) (string, error) {
	t, err := Parse(s, syn)
	if err != nil {
		return "", err
	}
	o, err := t.Render(ctx)
	if err != nil {
		return "", err
	}
	return o.Text, nil
}

func isYAMLName(n string) bool {
	return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")
}

// catalogFile renders one skeleton file if its output is a catalog file.
func (rc *renderCtx) catalogFile(f, outPath string, templated bool, syn Syntax, ctx map[string]any, opts Options) {
	name := path.Base(outPath)
	if !isYAMLName(name) {
		return
	}
	src, err := load.ReadConfined(opts.Root, f, opts.MaxFileSize)
	if opts.MaxFileSize == 0 {
		src, err = load.ReadConfined(opts.Root, f, load.DefaultMaxFileSize)
	}
	if err != nil {
		rc.res.Problems = append(rc.res.Problems, Problem{File: f, Msg: fmt.Sprintf("cannot be read: %v", err)})
		return
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return // binary: copied as it is
	}
	isCat := opts.IsCatalog
	if isCat == nil {
		isCat = func(n string, _ []byte) bool { return n == "catalog-info.yaml" || n == "catalog-info.yml" }
	}
	var out *Output
	if templated {
		t, err := Parse(string(src), syn)
		if err == nil {
			out, err = t.Render(ctx)
		}
		if err != nil {
			if isCat(name, src) {
				line := 1
				if e, ok := err.(*Error); ok {
					line = e.Line
				}
				rc.res.Problems = append(rc.res.Problems, Problem{File: f, Line: line, Msg: fmt.Sprintf("cannot be rendered: %v", err)})
			}
			return
		}
	} else {
		t := &Template{src: string(src), nodes: []node{&textNode{0, len(src)}}}
		out, _ = t.Render(nil)
	}
	if !isCat(name, []byte(out.Text)) {
		return
	}
	// A later step that replaces the file (replace: true) wins.
	kept := rc.res.Files[:0]
	for _, old := range rc.res.Files {
		if old.Output != outPath {
			kept = append(kept, old)
		}
	}
	rc.res.Files = append(kept, File{Skeleton: f, Output: outPath, Content: []byte(out.Text), Map: out, Values: rc.step, Compat: syn.VarStart == Compat.VarStart})
}

// shortPath shows a path relative to the working directory when below it.
func shortPath(p string) string {
	if wd, err := filepath.Abs("."); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
