package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestConfine(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "repo")
	outside := filepath.Join(tmp, "outside")
	for _, d := range []string{filepath.Join(root, "docs"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "docs", "a.yaml"), filepath.Join(outside, "secret")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		filepath.Join(root, "to-secret"):  filepath.Join(outside, "secret"),
		filepath.Join(root, "out-dir"):    outside,
		filepath.Join(root, "docs-alias"): filepath.Join(root, "docs"),
	}
	for l, target := range links {
		if err := os.Symlink(target, l); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	// The root reached through a link is the same root.
	rootLink := filepath.Join(tmp, "repo-link")
	if err := os.Symlink(root, rootLink); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		root, path, real string
		outside, linkOut bool
		missing          bool
	}{
		{root: root, path: filepath.Join(root, "docs", "a.yaml"), real: filepath.Join(root, "docs", "a.yaml")},
		{root: root, path: filepath.Join(root, "docs-alias", "a.yaml"), real: filepath.Join(root, "docs", "a.yaml")},
		{root: rootLink, path: filepath.Join(rootLink, "docs", "a.yaml"), real: filepath.Join(root, "docs", "a.yaml")},
		{root: root, path: filepath.Join(outside, "secret"), outside: true},
		{root: root, path: filepath.Join(root, "to-secret"), linkOut: true},
		{root: root, path: filepath.Join(root, "out-dir", "secret"), linkOut: true},
		{root: root, path: filepath.Join(root, "docs", "missing.yaml"), missing: true},
		{root: root, path: filepath.Join(root, "nope", "missing.yaml"), missing: true},
	}
	for _, c := range cases {
		real, err := Confine(c.root, c.path)
		var out *OutsideError
		switch {
		case c.outside:
			if !errors.As(err, &out) || out.Real != "" {
				t.Errorf("%s: got %q, %v; want outside", c.path, real, err)
			}
		case c.linkOut:
			if !errors.As(err, &out) || out.Real == "" {
				t.Errorf("%s: got %q, %v; want a symlink leading outside", c.path, real, err)
			}
		case c.missing:
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: got %q, %v; want not exist", c.path, real, err)
			}
		case err != nil || real != c.real:
			t.Errorf("%s: got %q, %v; want %q", c.path, real, err, c.real)
		}
	}
}
