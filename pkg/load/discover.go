package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
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
}

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
	ig := &Ignorer{}
	if defaults {
		ig.globs = append(ig.globs, DefaultIgnores...)
	}
	for _, g := range globs {
		g = filepath.ToSlash(strings.TrimSuffix(g, "/"))
		if !doublestar.ValidatePattern(g) {
			return nil, &UsageError{Msg: fmt.Sprintf("--ignore %q is not a valid glob", g)}
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

// Discover expands the path arguments into files: a directory is walked
// for catalog-info.yaml/.yml, a file is taken whatever its name, a glob is
// expanded. The result is sorted and without duplicates.
func Discover(args []string, ig *Ignorer) ([]Target, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	seen := map[string]bool{}
	var out []Target
	add := func(p, display, root string) {
		key := p
		if abs, err := filepath.Abs(p); err == nil && p != Stdin {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, Target{Path: p, Display: display, Root: root})
		}
	}
	for _, arg := range args {
		if arg == Stdin {
			add(Stdin, "<stdin>", "")
			continue
		}
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			files, err := walk(arg, ig)
			if err != nil {
				return nil, err
			}
			root, _ := filepath.Abs(arg)
			for _, f := range files {
				add(f, f, root)
			}
		case err == nil:
			add(arg, filepath.Clean(arg), "")
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
				if !ig.Match(rel) {
					add(m, filepath.Clean(m), "")
				}
			}
		case errors.Is(err, fs.ErrNotExist):
			return nil, &UsageError{Msg: fmt.Sprintf("%s: no such file or directory", arg)}
		default:
			return nil, fmt.Errorf("%s: %s", arg, cause(err))
		}
	}
	return out, nil
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[{") }

// walk finds the catalog files below dir, skipping ignored paths. It does
// not follow symbolic links to folders, so link loops cannot trap it.
// Folders are read by a few workers at once (a tree of thousands of
// repositories is mostly system calls); the result is sorted.
func walk(dir string, ig *Ignorer) ([]string, error) {
	w := &walker{ig: ig}
	w.cond = sync.NewCond(&w.mu)
	// The folder itself must be readable; unreadable folders below are
	// skipped, and the rest still counts.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	w.queue, w.files = w.visit(dir, "", entries)
	w.pending = len(w.queue)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	wg.Wait()
	sort.Strings(w.files)
	return w.files, nil
}

type walker struct {
	ig      *Ignorer
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []walkDir // folders to read
	pending int       // folders queued or being read
	files   []string
}

type walkDir struct{ path, rel string }

func (w *walker) work() {
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
		entries, _ := os.ReadDir(d.path) // what it could read, if not all
		sub, files := w.visit(d.path, d.rel, entries)
		w.mu.Lock()
		w.files = append(w.files, files...)
		w.queue = append(w.queue, sub...)
		w.pending += len(sub) - 1
		if len(sub) > 0 || w.pending == 0 {
			w.cond.Broadcast()
		}
	}
}

// visit sorts a folder's entries into folders to read and catalog files.
// rel is the folder's path relative to the walked one, with slashes.
func (w *walker) visit(path, rel string, entries []fs.DirEntry) (dirs []walkDir, files []string) {
	for _, e := range entries {
		name := e.Name()
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		if w.ig != nil && w.ig.matchOne(r, name) {
			continue
		}
		p := filepath.Join(path, name)
		if e.IsDir() {
			dirs = append(dirs, walkDir{p, r})
			continue
		}
		for _, n := range CatalogFileNames {
			if name == n {
				files = append(files, p)
			}
		}
	}
	return dirs, files
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
