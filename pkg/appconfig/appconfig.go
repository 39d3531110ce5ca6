// Package appconfig reads the parts of a Backstage app-config that decide
// what the catalog ingests: catalog.locations (what is registered, and the
// rules of each location) and catalog.rules (which kinds are allowed from
// where). Several files merge as Backstage's @backstage/config merges them:
// objects key by key, later files winning; arrays and scalars replace; a
// null removes the key.
//
// Substitutions are handled without leaking anything: $include reads a
// file inside the repository (like catalog placeholders), $file and $env
// and ${VAR} interpolations are never read or resolved: their values are
// unknown, and the locations and rules that depend on them are reported as
// not verified.
package appconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Error is an app-config that cannot be used: missing, unparseable, or with
// catalog keys of the wrong shape (a Backstage backend would not start).
// Each problem is a diagnostic at its position.
type Error struct {
	Diags []diag.Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diags {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("app-config " + d.Pos.String() + ": " + d.Message)
	}
	return b.String()
}

func errAt(p diag.Pos, format string, args ...any) *Error {
	return &Error{Diags: []diag.Diagnostic{{Pos: p, Severity: diag.Error, Rule: "app-config", Message: fmt.Sprintf(format, args...)}}}
}

// Config is what catalint takes from the merged app-config files.
type Config struct {
	// Files are the app-config files, in the order they were merged.
	Files []string
	// Dir is the folder of the first file: the backend runs below it.
	Dir string
	// Locations are catalog.locations, in order.
	Locations []Location
	// Rules are catalog.rules; HasRules is false when the key is absent
	// (Backstage then applies DefaultRules).
	Rules    []Rule
	HasRules bool
	// Notices are things that were not verified (values from $env, $file
	// or ${VAR}, rules that cannot be read).
	Notices []diag.Diagnostic
}

// Location is one entry of catalog.locations.
type Location struct {
	// Index is its position in catalog.locations.
	Index int
	Type  string
	// Target is as written; Unknown when it comes from $env, $file or
	// ${VAR}.
	Target  string
	Unknown bool
	// Pos is the position of the target (or of the entry).
	Pos   diag.Pos
	Rules []Rule
}

// Rule is one allow rule: of catalog.rules, or of a location's rules.
type Rule struct {
	Allow []Matcher
	// Locations restrict a global rule to origin locations; nil means
	// every location.
	Locations []LocationMatcher
	// Where names the rule ("catalog.rules[0]", "catalog.locations[2].rules[0]",
	// or "Backstage's default rules") and Pos is its position.
	Where string
	Pos   diag.Pos
	// Default marks DefaultRules.
	Default bool
}

// Matcher allows one kind, optionally of one spec.type.
type Matcher struct {
	Kind     string
	SpecType string
	Pos      diag.Pos
}

// LocationMatcher selects origin locations by type and an exact target or
// a glob pattern (minimatch, case-insensitive, dots matched).
type LocationMatcher struct {
	Type, Exact, Pattern string
}

// DefaultRules are what Backstage applies when catalog.rules is absent:
// only Component, API and Location, from anywhere.
var DefaultRules = []Rule{{
	Allow:   []Matcher{{Kind: "Component"}, {Kind: "API"}, {Kind: "Location"}},
	Where:   "Backstage's default rules, as catalog.rules is not set",
	Default: true,
}}

// Options control loading.
type Options struct {
	// Root is the repository root $include must stay inside; empty means
	// the repository of the first file (or its folder).
	Root string
	// MaxFileSize caps each file; 0 means load.DefaultMaxFileSize.
	MaxFileSize int64
}

// Load reads and merges the app-config files, later ones overriding
// earlier ones, and extracts the catalog's locations and rules. Problems
// that would stop a Backstage backend from starting are an *Error.
func Load(paths []string, opts Options) (*Config, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no app-config file given")
	}
	c := &Config{Files: paths}
	abs0, err := filepath.Abs(paths[0])
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(abs0)
	root := opts.Root
	if root == "" {
		root = load.RepoRoot(abs0)
	}
	if root == "" {
		root = c.Dir
	}
	root, _ = filepath.Abs(root)
	r := &reader{root: root, max: opts.MaxFileSize, files: map[*load.Node]string{}}
	var merged *load.Node
	for _, p := range paths {
		n, err := r.readFile(p, 0)
		if err != nil {
			return nil, err
		}
		if n == nil {
			continue // an empty file
		}
		if n.Kind != load.Map {
			return nil, errAt(r.pos(n), "an app-config file holds a mapping of keys, not %s", kindName(n.Kind))
		}
		merged = r.merge(n, merged)
	}
	if err := c.extract(r, merged); err != nil {
		return nil, err
	}
	return c, nil
}

// reader reads app-config files and remembers which file each node came
// from, for positions.
type reader struct {
	root  string
	max   int64
	files map[*load.Node]string
}

func (r *reader) pos(n *load.Node) diag.Pos {
	if n == nil {
		return diag.Pos{}
	}
	return diag.Pos{File: r.files[n], Line: n.Span.Line, Column: n.Span.Column, EndLine: n.Span.EndLine, EndColumn: n.Span.EndColumn}
}

// readFile reads one file and resolves its substitutions; nil for an
// empty file.
func (r *reader) readFile(path string, depth int) (*load.Node, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, errAt(diag.Pos{File: path}, "no such file")
		}
		return nil, errAt(diag.Pos{File: path}, "cannot read it: %v", err)
	}
	if fi.IsDir() {
		return nil, errAt(diag.Pos{File: path}, "is a directory, not a file")
	}
	f := load.ReadFile(path, path, load.Options{MaxFileSize: r.max, Root: filepath.Dir(path)})
	e := &Error{}
	e.Diags = append(e.Diags, errorsOf(f.Diags)...)
	if len(f.Docs) > 1 {
		e.Diags = append(e.Diags, diag.Diagnostic{Pos: diag.Pos{File: path, Line: f.Docs[1].Line, Column: 1}, Severity: diag.Error, Rule: "app-config", Message: "an app-config file holds one YAML document"})
	}
	var root *load.Node
	if len(f.Docs) == 1 {
		e.Diags = append(e.Diags, errorsOf(f.Docs[0].Diags)...)
		root = f.Docs[0].Root
	}
	if len(e.Diags) > 0 {
		for i := range e.Diags {
			e.Diags[i].Rule = "app-config"
		}
		return nil, e
	}
	if root == nil {
		return nil, nil
	}
	r.mark(root, path)
	return r.substitute(root, filepath.Dir(path), depth)
}

func errorsOf(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}

// mark records the file of every node of a tree.
func (r *reader) mark(n *load.Node, file string) {
	if n == nil {
		return
	}
	r.files[n] = file
	for _, p := range n.Map {
		r.mark(p.Value, file)
	}
	for _, c := range n.Seq {
		r.mark(c, file)
	}
}

// unknown is a value catalint does not resolve ($env, $file, ${VAR}).
func (r *reader) unknown(n *load.Node, how string) *load.Node {
	u := &load.Node{Kind: load.String, Span: n.Span, Via: &load.Via{Placeholder: how, Unresolved: true}}
	r.files[u] = r.files[n]
	return u
}

const maxIncludeDepth = 8

// substitute resolves $include and marks $file, $env and ${VAR} values as
// unknown, as Backstage's config loader would substitute them.
func (r *reader) substitute(n *load.Node, dir string, depth int) (*load.Node, error) {
	switch n.Kind {
	case load.Map:
		if len(n.Map) == 1 && strings.HasPrefix(n.Map[0].Key, "$") {
			key, v := n.Map[0].Key, n.Map[0].Value
			switch key {
			case "$env", "$file":
				return r.unknown(n, key), nil
			case "$include":
				return r.include(n, v, dir, depth)
			}
		}
		for i := range n.Map {
			v, err := r.substitute(n.Map[i].Value, dir, depth)
			if err != nil {
				return nil, err
			}
			n.Map[i].Value = v
		}
	case load.Seq:
		for i := range n.Seq {
			v, err := r.substitute(n.Seq[i], dir, depth)
			if err != nil {
				return nil, err
			}
			n.Seq[i] = v
		}
	case load.String:
		if strings.Contains(n.Text, "${") {
			t := strings.ReplaceAll(n.Text, "$${", "")
			if strings.Contains(t, "${") {
				return r.unknown(n, "${…}"), nil
			}
			n.Text = strings.ReplaceAll(n.Text, "$${", "${")
		}
	}
	return n, nil
}

// include reads the file an $include names (inside the repository), and
// the part of it after '#' (a dotted path), as the config loader does.
func (r *reader) include(n, v *load.Node, dir string, depth int) (*load.Node, error) {
	target, ok := v.Str()
	if !ok {
		if v.Unresolved() {
			return r.unknown(n, "$include"), nil
		}
		return nil, errAt(r.pos(v), "$include wants a file name, not %s", kindName(v.Kind))
	}
	if depth >= maxIncludeDepth {
		return nil, errAt(r.pos(v), "$include %s: includes nest more than %d deep (a cycle?)", target, maxIncludeDepth)
	}
	file, frag, _ := strings.Cut(target, "#")
	if load.IsRemote(file) {
		return r.unknown(n, "$include"), nil
	}
	p := file
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	abs, _ := filepath.Abs(p)
	if _, err := load.Confine(r.root, filepath.Clean(abs)); err != nil {
		if os.IsNotExist(err) {
			return nil, errAt(r.pos(v), "$include %s: no such file", file)
		}
		return nil, errAt(r.pos(v), "$include %s: %v %s", file, err, r.root)
	}
	inc, err := r.readFile(abs, depth+1)
	if err != nil {
		return nil, err
	}
	if inc == nil {
		return nil, errAt(r.pos(v), "$include %s: the file is empty", file)
	}
	if frag != "" {
		for _, k := range strings.Split(frag, ".") {
			next := inc.Get(k)
			if next == nil {
				return nil, errAt(r.pos(v), "$include %s: no value at %s", target, frag)
			}
			inc = next
		}
	}
	return inc, nil
}

// merge lays over on top of under: maps merge key by key, over winning;
// anything else in over replaces; a null in over removes the key.
func (r *reader) merge(over, under *load.Node) *load.Node {
	if over == nil {
		return under
	}
	if over.Kind != load.Map || under == nil || under.Kind != load.Map {
		return over
	}
	out := &load.Node{Kind: load.Map, Span: over.Span}
	r.files[out] = r.files[over]
	for _, p := range under.Map {
		if o := over.Pair(p.Key); o != nil {
			if o.Value != nil && o.Value.Kind == load.Null {
				continue
			}
			out.Map = append(out.Map, load.Pair{Key: p.Key, KeySpan: o.KeySpan, Value: r.merge(o.Value, p.Value)})
			continue
		}
		out.Map = append(out.Map, p)
	}
	for _, p := range over.Map {
		if under.Pair(p.Key) == nil && (p.Value == nil || p.Value.Kind != load.Null) {
			out.Map = append(out.Map, p)
		}
	}
	return out
}
