package owners

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/catalint-dev/catalint/pkg/load"
)

// CodeownersPaths are where GitHub looks for a CODEOWNERS file, in order.
var CodeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// MaxCodeownersSize is the largest CODEOWNERS file read: GitHub ignores
// one of 3 MB or more.
const MaxCodeownersSize = 3 << 20

// Codeowners is a parsed CODEOWNERS file.
type Codeowners struct {
	// Path is the file, relative to the repository root.
	Path string
	// Err is why a file that is there was not read (a symlink out of the
	// repository, a FIFO or device, over MaxCodeownersSize, unreadable);
	// such a file has no rules.
	Err   error
	rules []coRule
}

type coRule struct {
	pattern string
	globs   []string
	owners  []string
	line    int
}

// ReadCodeowners finds and parses the CODEOWNERS file of a repository root;
// nil when there is none. It reads the way catalog files are read: confined
// to the root (a symlink out of the repository is refused, never opened),
// regular files only, opened non-blocking (a FIFO cannot hang the run, nor
// /dev/zero fill memory), at most MaxCodeownersSize bytes. A file there
// that cannot be read so is returned with Err set.
func ReadCodeowners(root string) *Codeowners {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	absRoot = filepath.Clean(absRoot)
	for _, p := range CodeownersPaths {
		full := filepath.Join(absRoot, filepath.FromSlash(p))
		if _, err := os.Lstat(full); err != nil {
			continue
		}
		b, err := load.ReadConfined(absRoot, full, MaxCodeownersSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a dangling symlink: GitHub looks at the next place
		}
		if err != nil {
			return &Codeowners{Path: p, Err: err}
		}
		return ParseCodeowners(p, b)
	}
	return nil
}

// ParseCodeowners parses CODEOWNERS text: "pattern owner…" lines, # comments.
func ParseCodeowners(path string, b []byte) *Codeowners {
	c := &Codeowners{Path: path}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), len(b)+1) // a line as long as the file
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if i := strings.Index(t, " #"); i >= 0 {
			t = t[:i]
		}
		f := strings.Fields(t)
		c.rules = append(c.rules, coRule{pattern: f[0], globs: globsFor(f[0]), owners: f[1:], line: line})
	}
	return c
}

// globsFor turns a CODEOWNERS (gitignore-style) pattern into globs over
// slash-separated paths relative to the repository root.
func globsFor(p string) []string {
	anchored := strings.HasPrefix(p, "/") || strings.Contains(strings.TrimSuffix(p, "/"), "/")
	p = strings.TrimPrefix(p, "/")
	dirOnly := strings.HasSuffix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "*" {
		return []string{"**"}
	}
	base := p
	if !anchored {
		base = "**/" + p
	}
	if dirOnly {
		return []string{base + "/**"}
	}
	return []string{base, base + "/**"}
}

// Owners returns the owners of a path (relative to the root, slash
// separated) by the last matching rule, the rule's line, and whether any
// rule matched.
func (c *Codeowners) Owners(rel string) ([]string, int, bool) {
	for i := len(c.rules) - 1; i >= 0; i-- {
		r := c.rules[i]
		for _, g := range r.globs {
			if ok, _ := doublestar.Match(g, rel); ok {
				return r.owners, r.line, true
			}
		}
	}
	return nil, 0, false
}

// Names strips the "@org/" and "@" of owners, leaving team slugs and user
// logins (e-mail owners are kept as they are).
func Names(owners []string) []string {
	out := make([]string, 0, len(owners))
	for _, o := range owners {
		o = strings.TrimPrefix(o, "@")
		if i := strings.LastIndexByte(o, '/'); i >= 0 && !strings.Contains(o, "@") {
			o = o[i+1:]
		}
		out = append(out, o)
	}
	return out
}
