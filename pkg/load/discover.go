package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// CatalogFileNames are the names a directory walk picks up.
var CatalogFileNames = []string{"catalog-info.yaml", "catalog-info.yml"}

// DefaultIgnores are the folders a walk skips unless told otherwise:
// version control, dependencies, and scaffolder template skeletons, whose
// catalog files are templates rather than entities.
var DefaultIgnores = []string{".git", "node_modules", "skeleton"}

// Stdin is the path that means standard input.
const Stdin = "-"

// Target is a file to check.
type Target struct {
	// Path is where to read it; Stdin for standard input.
	Path string
	// Display is how diagnostics name it.
	Display string
	// Root is the folder to confine its placeholders and Location targets
	// to when no .git is found above it: the folder that was walked to find
	// it (or, for a Location target, the root of the file that named it).
	// Empty means the file's own folder.
	Root string
	// pre is the file's content as the folder search read it, handed to
	// the loader (ReadTarget) so that the file is read once.
	pre *preRead
	// abs is Path made absolute when Discover found it ("" otherwise).
	abs string
}

// preRead is a file's content read by discovery: a regular file (as the
// folder listing says, not a link) read to its end. The loader takes it
// once; a second read of the target goes to the file.
type preRead struct {
	src atomic.Pointer[[]byte]
}

// take returns the content and lets go of it; nil when there is none.
func (p *preRead) take() []byte {
	if p == nil {
		return nil
	}
	if b := p.src.Swap(nil); b != nil {
		return *b
	}
	return nil
}

// preReadBudget bounds the content a folder search keeps for the loader;
// files beyond it are read again by the loader. What is kept is live until
// its file is checked: it raises the peak memory of a run by about twice
// its size (the garbage collector's target follows the live heap), for
// some 10% less CPU on a 29 MB tree of 2,492 files.
var preReadBudget int64 = 32 << 20

// UsageError is a path argument that names nothing: bad usage, not a
// finding.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Ignorer decides which paths a walk skips.
type Ignorer struct {
	globs []string
}

// NewIgnorer checks the globs and builds an Ignorer. A glob matches a path
// relative to the walked folder, or any single folder or file name.
func NewIgnorer(globs []string, defaults bool) (*Ignorer, error) {
	var all []string
	if defaults {
		all = append(all, DefaultIgnores...)
	}
	return NewMatcher(append(all, globs...), "--ignore")
}

// NewMatcher checks the globs and builds an Ignorer that matches them (for
// Search.Include); what names the globs in a usage error.
func NewMatcher(globs []string, what string) (*Ignorer, error) {
	ig := &Ignorer{}
	for _, g := range globs {
		g = filepath.ToSlash(strings.TrimSuffix(g, "/"))
		if !doublestar.ValidatePattern(g) {
			return nil, &UsageError{Msg: fmt.Sprintf("%s %q is not a valid glob", what, g)}
		}
		ig.globs = append(ig.globs, g)
	}
	return ig, nil
}

// Match reports whether rel (slash-separated, relative to the walk root)
// is ignored.
func (ig *Ignorer) Match(rel string) bool {
	if ig == nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	segs := strings.Split(rel, "/")
	// The path is ignored when it, or any folder above it, matches: as a
	// path below the walked folder or by its own name.
	for i := range segs {
		if ig.matchOne(strings.Join(segs[:i+1], "/"), segs[i]) {
			return true
		}
	}
	return false
}

// matchOne reports whether a glob matches a path or its last name. A walk
// calls it once per entry: the folders above were checked on the way down.
func (ig *Ignorer) matchOne(rel, name string) bool {
	for _, g := range ig.globs {
		if !hasMeta(g) {
			// A plain name or path: no pattern matching needed.
			if g == rel || g == name {
				return true
			}
			continue
		}
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(g, name); ok {
			return true
		}
	}
	return false
}

// Search says how folders are searched and which named files are kept.
// The zero Search searches folders by name only, with no ignores.
type Search struct {
	// Ignorer skips paths below searched folders (and glob matches).
	Ignorer *Ignorer
	// Sniffer recognises catalog files by content: a .yaml or .yml file
	// found in a folder is checked when it declares a catalog apiVersion.
	// Nil searches by name only (catalog-info.yaml, catalog-info.yml and
	// Include).
	Sniffer *Sniffer
	// Include is more files taken by name in a folder search, whatever
	// their content (globs matched like Ignorer's).
	Include *Ignorer
	// FilterFiles applies the folder search's rule to the files named by
	// path or glob too, leaving out those that are not catalog files or
	// that Ignorer skips (for changed-file lists and pre-commit hooks).
	FilterFiles bool
	// ReadDir reads a folder; nil means os.ReadDir. Tests inject
	// failures through it.
	ReadDir func(string) ([]fs.DirEntry, error)
}

// Found is what a search found.
type Found struct {
	// Targets are the files to check, without duplicates: in the order
	// of the arguments, each folder's files sorted.
	Targets []Target
	// Diags are folders that could not be read (rule "file", errors).
	Diags []diag.Diagnostic
	// Folders are the folders searched; Named the files named by path or
	// glob (before FilterFiles).
	Folders, Named []string
	// Filtered are the named files FilterFiles left out; Missing the named
	// paths that do not exist, which FilterFiles leaves out too (a
	// changed-file list names deleted files) instead of failing.
	Filtered, Missing []string
	// TemplateSources are the catalog-looking files a folder search
	// skipped because a Template's fetch:template or fetch:plain step
	// reads them.
	TemplateSources []string
	// Renders are the Templates FilterFiles added because their fetch
	// steps read a named file (a skeleton's), so that they are rendered.
	Renders []string
}

// Discover expands the path arguments into files with the default search
// (by name and by content, DefaultAPIVersions): a directory is searched, a file
// is taken whatever its name, a glob is expanded. The result is sorted and
// without duplicates. Folders that cannot be read are left out; use
// Search.Discover to have them as diagnostics.
func Discover(args []string, ig *Ignorer) ([]Target, error) {
	f, err := (&Search{Ignorer: ig, Sniffer: NewSniffer(nil)}).Discover(args)
	if err != nil {
		return nil, err
	}
	return f.Targets, nil
}

// Discover expands the path arguments into files: a directory is searched,
// a file is taken (with FilterFiles, only when it is a catalog file), a
// glob is expanded. No argument means ".".
func (s *Search) Discover(args []string) (*Found, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	found := &Found{}
	seen := map[string]bool{}
	// The working folder is asked once (filepath.Abs asks it with two
	// stats per path).
	var wd string
	var wdErr error
	wdOnce := sync.OnceFunc(func() { wd, wdErr = os.Getwd() })
	absOf := func(p string) (string, bool) {
		if filepath.IsAbs(p) {
			return filepath.Clean(p), true
		}
		wdOnce()
		return filepath.Join(wd, p), wdErr == nil
	}
	add := func(p, display, root string, pre *preRead) {
		key, abs := p, ""
		if a, ok := absOf(p); ok && p != Stdin {
			key, abs = a, a
		}
		if !seen[key] {
			seen[key] = true
			found.Targets = append(found.Targets, Target{Path: p, Display: display, Root: root, pre: pre, abs: abs})
		}
	}
	named := func(p string) {
		p = filepath.Clean(p)
		found.Named = append(found.Named, p)
		if s.FilterFiles && (s.Ignorer.Match(repoRel(p)) || !s.isCatalogFile(p)) {
			found.Filtered = append(found.Filtered, p)
			return
		}
		add(p, p, "", nil)
	}
	for _, arg := range args {
		if arg == Stdin {
			add(Stdin, "<stdin>", "", nil)
			continue
		}
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			found.Folders = append(found.Folders, filepath.Clean(arg))
			root, _ := filepath.Abs(arg)
			files, skipped, diags, pre := s.walk(arg, root)
			found.Diags = append(found.Diags, diags...)
			found.TemplateSources = append(found.TemplateSources, skipped...)
			for _, f := range files {
				add(f, f, root, pre[f])
			}
		case err == nil:
			named(arg)
		case hasMeta(arg):
			if !doublestar.ValidatePattern(filepath.ToSlash(arg)) {
				return nil, &UsageError{Msg: fmt.Sprintf("%q is not a valid glob", arg)}
			}
			matches, err := doublestar.FilepathGlob(arg, doublestar.WithFilesOnly(), doublestar.WithNoFollow())
			if err != nil {
				return nil, fmt.Errorf("expand %s: %w", arg, err)
			}
			if len(matches) == 0 {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: the glob matches no file", arg)}
			}
			sort.Strings(matches)
			base, _ := doublestar.SplitPattern(filepath.ToSlash(arg))
			for _, m := range matches {
				rel, err := filepath.Rel(filepath.FromSlash(base), m)
				if err != nil {
					rel = m
				}
				if !s.Ignorer.Match(rel) {
					named(m)
				}
			}
		case errors.Is(err, fs.ErrNotExist) && s.FilterFiles:
			// A changed-file list names deleted files too.
			found.Missing = append(found.Missing, filepath.Clean(arg))
		case errors.Is(err, fs.ErrNotExist):
			return nil, &UsageError{Msg: fmt.Sprintf("%s: no such file or directory", arg)}
		default:
			return nil, fmt.Errorf("%s: %s", arg, cause(err))
		}
	}
	if s.FilterFiles {
		for _, t := range s.templatesFetching(found.Named, absOf) {
			add(t, t, "", nil)
			found.Renders = append(found.Renders, t)
		}
	}
	return found, nil
}

// templatesFetching returns the Templates of the named files' repositories
// whose fetch steps read one of the named files: a change to a skeleton
// (its catalog-info.yaml, or a file a skeleton policy requires or
// forbids) is checked by rendering the Templates that use it, the way a
// folder search renders them. It costs one search of each such
// repository, only when a named file is not itself a catalog file found
// by a folder search (a Template's skeleton never is) — the case of a
// commit that changes only skeleton files. Paths are relative to the
// working folder, sorted.
func (s *Search) templatesFetching(named []string, absOf func(string) (string, bool)) []string {
	roots := map[string][]string{} // repository root -> named files in it, absolute
	for _, p := range named {
		abs, ok := absOf(p)
		if !ok {
			continue
		}
		if !isYAMLName(filepath.Base(abs)) {
			continue
		}
		if !s.Ignorer.Match(repoRel(abs)) {
			// Outside an ignored folder (skeleton/), only a file with
			// template expressions can be a skeleton's catalog file.
			src, err := readLimited(abs, DefaultMaxFileSize)
			if err != nil || !hasTemplateMark(src) {
				continue
			}
		}
		root := gitAncestor(filepath.Dir(abs))
		if root == "" {
			continue // no repository: nothing bounds the search
		}
		roots[root] = append(roots[root], abs)
	}
	wd, _ := os.Getwd()
	var out []string
	for root, files := range roots {
		dir := root
		if rel, err := filepath.Rel(wd, root); wd != "" && err == nil {
			dir = rel
		}
		w := s.walkTemplates(dir, root)
		for _, t := range w {
			tabs, err := filepath.Abs(t)
			if err != nil {
				continue
			}
			tdir := filepath.Dir(tabs)
			if rel, err := filepath.Rel(wd, tabs); wd != "" && err == nil {
				t = rel
			}
			for _, u := range fetchURLs(t) {
				src := filepath.Join(tdir, filepath.FromSlash(u))
				if filesUnder(files, src) != "" {
					out = append(out, t)
					break
				}
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// filesUnder is the first of files at or below dir, or "".
func filesUnder(files []string, dir string) string {
	for _, f := range files {
		if f == dir || Within(dir, f) {
			return f
		}
	}
	return ""
}

// walkTemplates searches dir (absolute root) and returns the found files
// that may be Templates with fetch steps.
func (s *Search) walkTemplates(dir, root string) []string {
	search := *s
	search.FilterFiles = false
	w := search.newWalker(dir, root)
	return w.templates
}

// isCatalogFile applies the folder search's rule to a named file: its
// name, Include, or (a .yaml/.yml file) its content.
func (s *Search) isCatalogFile(p string) bool {
	name := filepath.Base(p)
	if isCatalogName(name) || s.Include.Match(filepath.ToSlash(p)) {
		return true
	}
	if s.Sniffer == nil || !isYAMLName(name) {
		return false
	}
	if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// A link out of its repository is not opened to look: checking
		// it reports that it is refused.
		abs, err := filepath.Abs(p)
		if err != nil {
			return true
		}
		if _, err := Confine(RepoRoot(abs), abs); err != nil {
			return true
		}
	}
	head, err := readHead(p, nil, SniffBytes)
	if err != nil {
		// What cannot be read cannot be ruled out: checking it reports
		// why.
		return !errors.Is(err, errNotRegular) && !errors.Is(err, errIsDir)
	}
	return s.Sniffer.Match(head)
}

// repoRel is p relative to its repository root, as a search of the
// repository would see it (so that the folders above the repository do not
// count for ignores); p itself when that fails.
func repoRel(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(RepoRoot(abs), abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

func isCatalogName(name string) bool {
	for _, n := range CatalogFileNames {
		if name == n {
			return true
		}
	}
	return false
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[{") }

// walk finds the catalog files below dir, skipping ignored paths and the
// folders Templates fetch their sources from. It does not follow symbolic
// links to folders, so link loops cannot trap it. Folders are read by a
// few workers at once (a tree of thousands of repositories is mostly
// system calls), and so are the files whose content is looked at; the
// result is sorted. Folders that cannot be read are diagnostics.
//
// The content of the catalog files it read whole on the way (regular
// files under SniffBytes, within preReadBudget) is in pre, by path.
func (s *Search) walk(dir, root string) (files, skipped []string, diags []diag.Diagnostic, pre map[string]*preRead) {
	w := s.newWalker(dir, root)
	files, skipped = templateSources(w.files, w.templates)
	sort.Strings(files)
	sort.Strings(skipped)
	sort.Slice(w.diags, func(i, j int) bool { return w.diags[i].File < w.diags[j].File })
	return files, skipped, w.diags, w.pre
}

// newWalker walks dir and returns the walker with what it found.
func (s *Search) newWalker(dir, root string) *walker {
	w := &walker{s: s, root: root, readDir: s.ReadDir}
	if w.readDir == nil {
		w.readDir = os.ReadDir
	}
	w.cond = sync.NewCond(&w.mu)
	top := walkDir{path: dir, rel: "", abs: root, top: true, known: root != ""}
	if top.known {
		top.real = RealDir(root)
	}
	w.queue = []walkDir{top}
	w.pending = 1
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	wg.Wait()
	sort.Strings(w.templates)
	return w
}

type walker struct {
	s       *Search
	root    string // the walked folder, absolute
	readDir func(string) ([]fs.DirEntry, error)
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []walkDir // folders to read
	pending int       // folders queued or being read
	files   []string
	// templates are the found files that may be Templates with fetch
	// steps.
	templates []string
	diags     []diag.Diagnostic
	// pre is the content of found files read whole, by path; kept counts
	// its bytes against preReadBudget.
	pre  map[string]*preRead
	kept atomic.Int64
}

// walkDir is a folder to read: its path, its path relative to the walked
// folder (with slashes) and, when known, its absolute path, that path
// with symlinks resolved and its repository root (gitAncestor), which
// the loader's confinement asks for: the walk knows them from the folders
// it lists, without a system call.
type walkDir struct {
	path, rel      string
	abs, real, git string
	top, known     bool
}

func (w *walker) work() {
	var buf []byte // the worker's buffer for the start of YAML files
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for len(w.queue) == 0 && w.pending > 0 {
			w.cond.Wait()
		}
		if w.pending == 0 {
			return
		}
		d := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.mu.Unlock()
		entries, err := w.readDir(d.path) // what it could read, if not all
		var dg []diag.Diagnostic
		if err != nil {
			dg = append(dg, diag.Diagnostic{
				Pos: diag.Pos{File: d.path}, Severity: diag.Error, Rule: RuleFile,
				Message: fmt.Sprintf("cannot read folder: %s; the catalog files in it are not checked", cause(err)),
			})
		}
		if err != nil {
			d.known = false // a .git may be among what it could not read
		}
		sub, files, tmpl, pre := w.visit(d, entries, &buf)
		w.mu.Lock()
		for i, p := range pre {
			if p != nil {
				if w.pre == nil {
					w.pre = map[string]*preRead{}
				}
				w.pre[files[i]] = p
			}
		}
		w.diags = append(w.diags, dg...)
		w.files = append(w.files, files...)
		w.templates = append(w.templates, tmpl...)
		w.queue = append(w.queue, sub...)
		w.pending += len(sub) - 1
		if len(sub) > 0 || w.pending == 0 {
			w.cond.Broadcast()
		}
	}
}

// visit sorts a folder's entries into folders to read and catalog files.
// rel is the folder's path relative to the walked one, with slashes.
// tmpl are the catalog files that may hold Templates with fetch steps;
// pre[i] is files[i]'s content when it was read whole (else nil).
func (w *walker) visit(d walkDir, entries []fs.DirEntry, buf *[]byte) (dirs []walkDir, files, tmpl []string, pre []*preRead) {
	s := w.s
	path, rel := d.path, d.rel
	if d.known {
		for _, e := range entries {
			if e.Name() == ".git" {
				d.git = d.abs
				break
			}
		}
		if d.top && d.git == "" {
			if parent := filepath.Dir(d.abs); parent != d.abs {
				d.git = gitAncestor(parent)
			}
		}
		defer func() {
			if len(files) > 0 {
				// What the loader asks of this folder's files.
				gitAncestors.LoadOrStore(d.abs, d.git)
				realDirs.LoadOrStore(d.abs, d.real)
			}
		}()
	}
	for _, e := range entries {
		name := e.Name()
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		if s.Ignorer != nil && s.Ignorer.matchOne(r, name) {
			continue
		}
		p := filepath.Join(path, name)
		if e.IsDir() {
			sub := walkDir{path: p, rel: r, known: d.known}
			if d.known {
				// A folder the listing says is one, not a link.
				sub.abs, sub.real, sub.git = filepath.Join(d.abs, name), filepath.Join(d.real, name), d.git
			}
			dirs = append(dirs, sub)
			continue
		}
		byName := isCatalogName(name) || (s.Include != nil && s.Include.matchOne(r, name))
		if s.Sniffer == nil || !isYAMLName(name) {
			if byName {
				files = append(files, p)
				pre = append(pre, nil)
			}
			continue
		}
		head, st := w.head(p, e, buf)
		switch {
		case !byName && st == headSkip:
		case byName || st == headUnreadable || s.Sniffer.Match(head):
			// A YAML file that cannot be read may be a catalog file:
			// checking it reports why it is not read.
			files = append(files, p)
			pre = append(pre, w.keep(e, head, st))
			if bytes.Contains(head, []byte("fetch:")) {
				tmpl = append(tmpl, p)
			}
		}
	}
	return dirs, files, tmpl, pre
}

// keep copies the head of a found file for the loader when it is the
// whole of a regular file (the folder listing says so; a link is read
// again, through its confinement) and the budget allows.
func (w *walker) keep(e fs.DirEntry, head []byte, st headState) *preRead {
	if st != headRead || !e.Type().IsRegular() || len(head) >= SniffBytes {
		return nil
	}
	if w.kept.Add(int64(len(head))) > preReadBudget {
		return nil
	}
	b := bytes.Clone(head)
	if b == nil {
		b = []byte{}
	}
	p := &preRead{}
	p.src.Store(&b)
	return p
}

type headState int

const (
	headRead       headState = iota
	headSkip                 // not read: a link out of the folder, a FIFO, a device, gone
	headUnreadable           // it exists but cannot be read (no permission)
)

// head reads the start of a YAML file met by the walk: a regular file, or
// a symbolic link that stays inside the walked folder.
func (w *walker) head(p string, e fs.DirEntry, buf *[]byte) ([]byte, headState) {
	t := e.Type()
	if t&fs.ModeSymlink != 0 {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, headSkip
		}
		if _, err := Confine(w.root, abs); err != nil {
			return nil, headSkip
		}
	} else if !t.IsRegular() {
		return nil, headSkip
	}
	b, err := readHead(p, *buf, SniffBytes)
	switch {
	case err == nil:
		*buf = b
		return b, headRead
	case errors.Is(err, errNotRegular), errors.Is(err, errIsDir), errors.Is(err, fs.ErrNotExist):
		return nil, headSkip
	}
	return nil, headUnreadable
}

// ExpandTarget resolves a Location target relative to the file that names
// it: a glob is expanded, a plain path is returned as it is (whether or not
// it exists). Targets must stay inside root.
func ExpandTarget(fromFile, target, root string) ([]string, error) {
	p := target
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(fromFile), filepath.FromSlash(target))
	}
	p = filepath.Clean(p)
	absRoot, _ := filepath.Abs(root)
	absP, _ := filepath.Abs(p)
	if !Within(absRoot, absP) {
		return nil, fmt.Errorf("target %s is outside the repository root %s", target, root)
	}
	if !hasMeta(target) {
		return []string{p}, nil
	}
	if !doublestar.ValidatePattern(filepath.ToSlash(p)) {
		return nil, fmt.Errorf("target %s is not a valid glob", target)
	}
	matches, err := doublestar.FilepathGlob(p, doublestar.WithFilesOnly(), doublestar.WithNoFollow())
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	// Like Backstage's glob, a wildcard does not match names that start
	// with a dot unless the pattern names a dot folder itself.
	base, pattern := doublestar.SplitPattern(filepath.ToSlash(p))
	if !strings.Contains("/"+pattern, "/.") {
		kept := matches[:0]
		for _, m := range matches {
			rel, err := filepath.Rel(filepath.FromSlash(base), m)
			if err == nil && strings.Contains("/"+filepath.ToSlash(rel), "/.") {
				continue
			}
			kept = append(kept, m)
		}
		matches = kept
	}
	return matches, nil
}
