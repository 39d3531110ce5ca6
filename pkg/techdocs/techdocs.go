// Package techdocs checks TechDocs annotations: that a
// backstage.io/techdocs-ref names a folder of the repository with an MkDocs
// configuration TechDocs can build (its docs_dir, its nav pages), and that
// a backstage.io/techdocs-entity is an entity reference.
package techdocs

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Severities of problems.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityNotice  = "notice"
)

// Problem is one finding about a TechDocs annotation.
type Problem struct {
	Message string
	// File is the file the problem is in: the MkDocs configuration for
	// problems of it, else the catalog file.
	File string
	// Line is 0 when the problem is the annotation itself (report it at
	// the annotation in the catalog file); Column is 0 when unknown.
	Line, Column int
	// Severity is "error", "warning" or "notice".
	Severity string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s: %s", p.File, p.Severity, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Column, p.Severity, p.Message)
}

// MaxFileSize is the largest MkDocs configuration read.
var MaxFileSize int64 = 5 << 20

const allowedForms = "dir:<folder relative to the catalog file> (e.g. dir:.) or url:<absolute URL of the folder> (e.g. url:https://github.com/org/repo/tree/main)"

// RefForm checks the form of a backstage.io/techdocs-ref value, without
// looking at any file.
func RefForm(ref string) error {
	typ, target, ok := strings.Cut(ref, ":")
	typ, target = strings.TrimSpace(typ), strings.TrimSpace(target)
	switch {
	case !ok || typ == "" || target == "":
		return fmt.Errorf("backstage.io/techdocs-ref %q is not a location reference; write %s", ref, allowedForms)
	case typ == "http" || typ == "https":
		return fmt.Errorf("backstage.io/techdocs-ref %q needs the url: prefix: write url:%s", ref, strings.TrimSpace(ref))
	case typ == "url":
		if !isHTTPURL(target) {
			return fmt.Errorf("backstage.io/techdocs-ref %q: the target of url: must be an absolute http(s) URL", ref)
		}
	case typ == "dir":
	default:
		return fmt.Errorf("backstage.io/techdocs-ref %q: TechDocs reads only dir: and url: references, not %s:; write %s", ref, typ, allowedForms)
	}
	return nil
}

func isHTTPURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(v, " \t\n")
}

// CheckEntityRef checks a backstage.io/techdocs-entity value: an entity
// reference that names its kind, [kind:][namespace/]name, as Backstage's
// parseEntityRef (called with no default kind) requires.
func CheckEntityRef(v string) error {
	if strings.Contains(v, "://") {
		return fmt.Errorf("backstage.io/techdocs-entity %q is a URL, not an entity reference: it names the entity whose docs to show (kind:[namespace/]name); for docs at a URL use backstage.io/techdocs-ref: url:…", v)
	}
	ref, err := entity.ParseRef(strings.TrimSpace(v), "", "")
	if err != nil {
		return fmt.Errorf("backstage.io/techdocs-entity: %v (write kind:[namespace/]name, e.g. component:default/shared-docs)", err)
	}
	switch {
	case !entity.IsValidKind(ref.Kind):
		return fmt.Errorf("backstage.io/techdocs-entity %q: kind %q is not valid", v, ref.Kind)
	case !entity.IsValidDNSLabel(ref.Namespace):
		return fmt.Errorf("backstage.io/techdocs-entity %q: namespace %q is not valid", v, ref.Namespace)
	case !entity.IsValidObjectName(ref.Name):
		return fmt.Errorf("backstage.io/techdocs-entity %q: name %q is not valid", v, ref.Name)
	}
	return nil
}

// checker holds one CheckRef's state.
type checker struct {
	catalog string
	root    string
	out     []Problem
	// strict is the site's strict: true, under which MkDocs fails the
	// build on a nav page it does not find (it warns otherwise).
	strict bool
}

func (c *checker) annotation(sev, format string, args ...any) {
	c.out = append(c.out, Problem{Message: fmt.Sprintf(format, args...), File: c.catalog, Severity: sev})
}

func (c *checker) at(sev, file string, n *yaml.Node, format string, args ...any) {
	p := Problem{Message: fmt.Sprintf(format, args...), File: file, Line: 1, Column: 1, Severity: sev}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	c.out = append(c.out, p)
}

// CheckRef checks a backstage.io/techdocs-ref value of an entity defined
// in catalogFile. dir: references must name a folder inside root (the
// repository; symlinks included) that TechDocs can build: an MkDocs
// configuration that parses, its docs_dir, and every page its nav names.
// url: references are checked for form only.
func CheckRef(ref, catalogFile, root string) []Problem {
	return CheckRefAt(ref, catalogFile, root, "")
}

// CheckRefAt is CheckRef with the folder a dir: reference names already
// resolved (SourceDir: against the entity's source-location); "" resolves
// it against the catalog file's folder.
func CheckRefAt(ref, catalogFile, root, resolvedDir string) []Problem {
	c := &checker{catalog: catalogFile}
	if err := RefForm(ref); err != nil {
		c.annotation(SeverityError, "%v", err)
		return c.out
	}
	typ, target, _ := strings.Cut(ref, ":")
	if strings.TrimSpace(typ) != "dir" {
		return nil
	}
	target = strings.TrimSpace(target)
	catDir := filepath.Dir(catalogFile)
	if a, err := filepath.Abs(catDir); err == nil {
		catDir = a
	}
	if root == "" {
		root = catDir
	}
	c.root = root
	if a, err := filepath.Abs(root); err == nil {
		c.root = a
	}
	dir := filepath.Join(catDir, filepath.FromSlash(target))
	if resolvedDir != "" {
		dir = resolvedDir
	} else if strings.HasPrefix(target, "/") || filepath.IsAbs(target) {
		// Backstage resolves it from the repository's root for an entity
		// registered from a URL, and refuses it for a file: location.
		c.annotation(SeverityWarning, "backstage.io/techdocs-ref %q: an absolute dir: path is read from the repository root when the entity is registered from a URL, and refused when it is registered from a file; write a path relative to the catalog file", ref)
		dir = filepath.Join(c.root, filepath.FromSlash(strings.TrimLeft(target, "/")))
	}
	real, err := c.confine(dir)
	if err != nil {
		c.annotation(SeverityError, "backstage.io/techdocs-ref %q: %s %v", ref, c.rel(dir), err)
		return c.out
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		c.annotation(SeverityError, "backstage.io/techdocs-ref %q: %s is a file, not a folder: dir: names the folder that holds mkdocs.yml", ref, c.rel(dir))
		return c.out
	}
	c.site(ref, dir, real)
	slices.SortStableFunc(c.out, func(a, b Problem) int {
		if a.Line == 0 || b.Line == 0 {
			return cmpBool(a.Line != 0, b.Line != 0)
		}
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return c.out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// confine makes sure path, and what its symlinks point at, stays inside
// the root; it returns the real path.
func (c *checker) confine(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := load.Confine(c.root, abs)
	var out *load.OutsideError
	switch {
	case errors.As(err, &out) && out.Real != "":
		return "", fmt.Errorf("is a symlink to %s, outside the repository (root %s)", out.Real, c.root)
	case errors.As(err, &out):
		return "", fmt.Errorf("is outside the repository (root %s)", c.root)
	case errors.Is(err, os.ErrNotExist):
		return "", errors.New("does not exist")
	case err != nil:
		return "", errors.New(cause(err))
	}
	return real, nil
}

// rel shows a path relative to the root when it is inside it.
func (c *checker) rel(p string) string { return Rel(c.root, p) }

// Rel shows a path as TechDocs findings do: relative to the repository
// root (slash-separated) when it is inside it, as it is otherwise.
func Rel(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && load.Within(root, p) {
		return filepath.ToSlash(r)
	}
	return p
}

func cause(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// site checks the MkDocs site in a folder.
func (c *checker) site(ref, dir, real string) {
	var cfgPath string
	// TechDocs looks for mkdocs.yaml first, then mkdocs.yml.
	for _, name := range []string{"mkdocs.yaml", "mkdocs.yml"} {
		if fi, err := os.Stat(filepath.Join(real, name)); err == nil && !fi.IsDir() {
			if cfgPath != "" {
				c.annotation(SeverityNotice, "%s has both mkdocs.yaml and mkdocs.yml: TechDocs reads mkdocs.yaml and ignores mkdocs.yml", c.rel(dir))
				break
			}
			cfgPath = filepath.Join(dir, name)
		}
	}
	if cfgPath == "" {
		c.annotation(SeverityNotice, "backstage.io/techdocs-ref %q: %s has no mkdocs.yml or mkdocs.yaml, so TechDocs generates a default one (docs_dir: docs)", ref, c.rel(dir)+"/")
		docs := filepath.Join(dir, "docs")
		if _, err := c.confine(docs); err != nil {
			c.annotation(SeverityError, "backstage.io/techdocs-ref %q: there are no docs to build: the folder %s/ %v", ref, c.rel(docs), err)
			return
		}
		c.index(cfgPath, dir, docs, nil)
		return
	}
	realCfg, err := c.confine(cfgPath)
	if err != nil {
		c.annotation(SeverityError, "backstage.io/techdocs-ref %q: %s %v", ref, c.rel(cfgPath), err)
		return
	}
	data, err := readFile(realCfg)
	if err != nil {
		c.annotation(SeverityError, "backstage.io/techdocs-ref %q: cannot read %s: %v", ref, c.rel(cfgPath), err)
		return
	}
	c.config(cfgPath, dir, data)
}

// readFile reads mkdocs.yml the way catalog files are read: regular files
// only, opened non-blocking (a FIFO or device cannot hang the run or fill
// memory), at most MaxFileSize bytes.
func readFile(path string) ([]byte, error) {
	return load.ReadRegular(path, MaxFileSize)
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ALLOWED_MKDOCS_KEYS of Backstage's techdocs-node: TechDocs removes other
// top-level keys before it builds.
var techdocsKeys = []string{
	"site_name", "site_url", "site_description", "site_author",
	"repo_url", "repo_name", "edit_uri", "edit_uri_template",
	"docs_dir", "site_dir", "nav", "exclude_docs", "not_in_nav",
	"theme", "plugins", "markdown_extensions", "extra", "extra_css",
	"use_directory_urls", "strict", "dev_addr", "watch",
	"copyright", "remote_branch", "remote_name", "validation", "google_analytics",
}

// The Python tags TechDocs accepts in mkdocs.yml (ALLOWED_PYTHON_YAML_TAGS
// of techdocs-node); it refuses any other !!python/ tag.
var pythonTags = []string{
	"!!python/name:pymdownx.emoji.emojione",
	"!!python/name:pymdownx.emoji.gemoji",
	"!!python/name:pymdownx.emoji.twemoji",
	"!!python/name:materialx.emoji.twemoji",
	"!!python/name:material.extensions.emoji.twemoji",
	"!!python/name:pymdownx.emoji.to_alt",
	"!!python/name:pymdownx.emoji.to_png",
	"!!python/name:pymdownx.emoji.to_png_sprite",
	"!!python/name:pymdownx.emoji.to_svg",
	"!!python/name:pymdownx.emoji.to_svg_sprite",
	"!!python/name:materialx.emoji.to_svg",
	"!!python/name:material.extensions.emoji.to_svg",
	"!!python/name:pymdownx.superfences.fence_code_format",
	"!!python/name:pymdownx.superfences.fence_div_format",
	"!!python/object/apply:pymdownx.slugs.slugify",
}

// config checks an MkDocs configuration: it must parse (custom tags such as
// !ENV and !!python/name: are fine), its docs_dir must exist inside the
// site's folder, and the pages of its nav must exist.
func (c *checker) config(cfgPath, dir string, data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		c.out = append(c.out, Problem{Message: fmt.Sprintf("%s is not valid YAML: %s", filepath.Base(cfgPath), msg), File: cfgPath, Line: line, Column: 1, Severity: SeverityError})
		return
	}
	if len(doc.Content) == 0 {
		c.at(SeverityError, cfgPath, nil, "%s is empty: it needs at least site_name", filepath.Base(cfgPath))
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		c.at(SeverityError, cfgPath, root, "%s must be a mapping of settings (site_name, nav, …)", filepath.Base(cfgPath))
		return
	}
	c.tags(cfgPath, root)
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if f, ok := first[k.Value]; ok {
			c.at(SeverityError, cfgPath, k, "%s is defined twice (first at line %d): TechDocs' YAML parser rejects the file", k.Value, f.Line)
			continue
		}
		first[k.Value] = k
		if k.Tag != "!!merge" && !slices.Contains(techdocsKeys, k.Value) {
			c.at(SeverityNotice, cfgPath, k, "TechDocs removes %s before it builds: it keeps only the MkDocs settings it supports", k.Value)
		}
	}
	if get(root, "site_name") == nil {
		c.at(SeverityError, cfgPath, root, "site_name is required by MkDocs")
	}
	docs := filepath.Join(dir, "docs")
	docsNode := get(root, "docs_dir")
	switch {
	case docsNode == nil:
	case docsNode.Tag == "!ENV":
		docs = "" // set by the environment: not verified
	case docsNode.Kind != yaml.ScalarNode || docsNode.Tag != "!!str":
		c.at(SeverityError, cfgPath, docsNode, "docs_dir must be a folder name")
		return
	default:
		d := filepath.FromSlash(docsNode.Value)
		joined := filepath.Join(dir, d)
		switch {
		case filepath.IsAbs(d) || !load.Within(dir, joined):
			c.at(SeverityError, cfgPath, docsNode, "docs_dir %q must be a folder below %s: TechDocs refuses absolute paths and ../ for security", docsNode.Value, filepath.Base(cfgPath))
			return
		case filepath.Clean(joined) == filepath.Clean(dir):
			c.at(SeverityError, cfgPath, docsNode, "docs_dir %q is the folder of %s: MkDocs needs the pages in a folder below it (e.g. docs)", docsNode.Value, filepath.Base(cfgPath))
			return
		}
		docs = joined
	}
	if docs != "" {
		if _, err := c.confine(docs); err != nil {
			n, what := root, "the default docs_dir \"docs\""
			if docsNode != nil {
				n, what = docsNode, "docs_dir "+strconv.Quote(docsNode.Value)
			}
			c.at(SeverityError, cfgPath, n, "%s: %s %v", what, c.rel(docs), err)
			docs = ""
		} else if fi, err := os.Stat(docs); err != nil || !fi.IsDir() {
			c.at(SeverityError, cfgPath, docsNode, "docs_dir: %s is not a folder", c.rel(docs))
			docs = ""
		}
	}
	if nav := get(root, "nav"); nav != nil && docs != "" {
		st := get(root, "strict")
		c.strict = st != nil && st.Tag == "!!bool" && strings.EqualFold(st.Value, "true")
		c.nav(cfgPath, dir, docs, nav)
	}
	if docs != "" {
		c.index(cfgPath, dir, docs, root)
	}
}

func get(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// tags reports Python tags TechDocs refuses.
func (c *checker) tags(cfgPath string, n *yaml.Node) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	if strings.HasPrefix(n.Tag, "!!python/") && !slices.Contains(pythonTags, n.Tag) {
		c.at(SeverityWarning, cfgPath, n, "TechDocs refuses the Python YAML tag %s (it accepts only emoji, superfences and slugify functions of pymdownx and material), so the build fails", n.Tag)
	}
	for _, ch := range n.Content {
		c.tags(cfgPath, ch)
	}
}

// nav checks that the pages the nav names exist.
func (c *checker) nav(cfgPath, dir, docs string, nav *yaml.Node) {
	if nav.Kind != yaml.SequenceNode {
		if nav.Tag != "!!null" {
			c.at(SeverityError, cfgPath, nav, "nav must be a list of pages and sections")
		}
		return
	}
	var walk func(items *yaml.Node, depth int)
	walk = func(items *yaml.Node, depth int) {
		if depth > 50 {
			return
		}
		for _, it := range items.Content {
			for it.Kind == yaml.AliasNode && it.Alias != nil {
				it = it.Alias
			}
			switch it.Kind {
			case yaml.ScalarNode:
				c.page(cfgPath, dir, docs, it)
			case yaml.MappingNode:
				if len(it.Content) != 2 {
					c.at(SeverityError, cfgPath, it, "each nav item must be a page or one title: page (or title: [pages]); this one has %d keys", len(it.Content)/2)
					continue
				}
				v := it.Content[1]
				for v.Kind == yaml.AliasNode && v.Alias != nil {
					v = v.Alias
				}
				switch v.Kind {
				case yaml.ScalarNode:
					c.page(cfgPath, dir, docs, v)
				case yaml.SequenceNode:
					walk(v, depth+1)
				default:
					c.at(SeverityError, cfgPath, v, "nav section %q must be a page or a list of pages", it.Content[0].Value)
				}
			default:
				c.at(SeverityError, cfgPath, it, "each nav item must be a page or one title: page")
			}
		}
	}
	walk(nav, 0)
}

var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// page checks one page a nav entry names.
func (c *checker) page(cfgPath, dir, docs string, n *yaml.Node) {
	v := strings.TrimSpace(n.Value)
	if n.Tag == "!!null" || v == "" {
		c.at(SeverityError, cfgPath, n, "this nav entry names no page")
		return
	}
	// mkdocs-monorepo-plugin (part of techdocs-core): a sub-site.
	if inc, ok := strings.CutPrefix(v, "!include "); ok {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(inc)))
		if _, err := c.confine(p); err != nil {
			c.at(SeverityError, cfgPath, n, "nav includes %s, which %v", c.rel(p), err)
		}
		return
	}
	if schemeRe.MatchString(v) || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "#") {
		return // an external link or an absolute URL path
	}
	if i := strings.IndexAny(v, "#?"); i >= 0 {
		v = v[:i]
	}
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	p := filepath.Join(docs, filepath.FromSlash(v))
	if !load.Within(docs, p) {
		c.at(SeverityError, cfgPath, n, "nav page %q is outside docs_dir %s", n.Value, c.rel(docs))
		return
	}
	real, err := c.confine(p)
	if err != nil {
		msg := fmt.Sprintf("nav page %q: %s %v", n.Value, c.rel(p), err)
		if sugg := closestPage(docs, v); sugg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sugg)
		}
		c.missingPage(cfgPath, n, msg)
		return
	}
	fi, err := os.Stat(real)
	if err != nil {
		return
	}
	if fi.IsDir() {
		c.at(SeverityWarning, cfgPath, n, "nav page %q is a folder: MkDocs' nav names pages (.md files), unless a plugin such as awesome-pages reads folders", n.Value)
		return
	}
	// A case-insensitive file system finds "Index.md" for "index.md"; the
	// Linux machine that builds TechDocs does not.
	if name := exactName(p); name != "" && name != filepath.Base(p) {
		c.missingPage(cfgPath, n, fmt.Sprintf("nav page %q: the file is %s (names are case-sensitive where TechDocs builds)", n.Value, name))
	}
}

// missingPage reports a nav page MkDocs will not find. MkDocs builds the
// site anyway, with a broken link in its navigation (a warning of mkdocs
// build), unless the site sets strict: true, which fails the build.
func (c *checker) missingPage(cfgPath string, n *yaml.Node, msg string) {
	if c.strict {
		c.at(SeverityError, cfgPath, n, "%s: with strict: true, the TechDocs build fails", msg)
		return
	}
	c.at(SeverityWarning, cfgPath, n, "%s: TechDocs builds the site with a broken link in its navigation", msg)
}

// exactName returns the name a folder lists for path's file.
func exactName(path string) string {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return ""
	}
	base := filepath.Base(path)
	for _, e := range entries {
		if e.Name() == base {
			return base
		}
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), base) {
			return e.Name()
		}
	}
	return ""
}

// closestPage suggests a page of the same folder with a close name.
func closestPage(docs, rel string) string {
	dirRel := filepath.Dir(filepath.FromSlash(rel))
	entries, err := os.ReadDir(filepath.Join(docs, dirRel))
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	cl := entity.Closest(filepath.Base(rel), names, 1)
	if len(cl) == 0 {
		return ""
	}
	return filepath.ToSlash(filepath.Join(dirRel, cl[0]))
}

// index warns when the site has no home page: TechDocs copies
// docs/README.md or README.md to docs/index.md when it is missing.
func (c *checker) index(cfgPath, dir, docs string, root *yaml.Node) {
	for _, p := range []string{
		filepath.Join(docs, "index.md"), filepath.Join(docs, "README.md"), filepath.Join(docs, "readme.md"),
		filepath.Join(dir, "README.md"), filepath.Join(dir, "readme.md"),
	} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return
		}
	}
	msg := fmt.Sprintf("the site has no home page: add %s (or a README.md, which TechDocs uses instead)", c.rel(filepath.Join(docs, "index.md")))
	if cfgPath == "" {
		c.annotation(SeverityWarning, "%s", msg)
		return
	}
	c.at(SeverityWarning, cfgPath, root, "%s", msg)
}
