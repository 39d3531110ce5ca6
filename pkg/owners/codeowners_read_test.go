//go:build unix

package owners

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// ReadCodeowners reads the way catalog files are read: confined to the
// root, regular files only, non-blocking, size-capped; a file it refuses is
// returned with Err and no rules, and its content is never read.
func TestReadCodeownersRefuses(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("* @stolen-SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"symlink to /dev/zero", func(t *testing.T, p string) { mustSymlink(t, "/dev/zero", p) }, "symlink to /dev/zero, outside the repository root"},
		{"symlink out of the repository", func(t *testing.T, p string) { mustSymlink(t, outside, p) }, "outside the repository root"},
		{"FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
		}, "not a regular file"},
		{"folder", func(t *testing.T, p string) { os.Mkdir(p, 0o755) }, "directory"},
		{"too large", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte(strings.Repeat("# padding\n", MaxCodeownersSize/10+1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "over the limit of 3145728 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			os.Mkdir(filepath.Join(root, ".github"), 0o755)
			c.make(t, filepath.Join(root, ".github", "CODEOWNERS"))
			co := ReadCodeowners(root)
			if co == nil || co.Err == nil {
				t.Fatalf("ReadCodeowners = %+v, want a refusal", co)
			}
			if !strings.Contains(co.Err.Error(), c.want) {
				t.Errorf("Err = %q, want %q", co.Err, c.want)
			}
			if co.Path != ".github/CODEOWNERS" || len(co.rules) != 0 {
				t.Errorf("got path %q and %d rules", co.Path, len(co.rules))
			}
		})
	}
}

func TestReadCodeownersReads(t *testing.T) {
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, "docs"), 0o755)
	// A link inside the repository is followed; a dangling one is skipped
	// for the next place GitHub looks.
	if err := os.WriteFile(filepath.Join(root, "owners.txt"), []byte("* @acme/team-a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSymlink(t, filepath.Join(root, "missing"), filepath.Join(root, "CODEOWNERS"))
	mustSymlink(t, "../owners.txt", filepath.Join(root, "docs", "CODEOWNERS"))
	co := ReadCodeowners(root)
	if co == nil || co.Err != nil || co.Path != "docs/CODEOWNERS" {
		t.Fatalf("ReadCodeowners = %+v", co)
	}
	if owners, _, ok := co.Owners("catalog-info.yaml"); !ok || owners[0] != "@acme/team-a" {
		t.Errorf("Owners = %v %v", owners, ok)
	}
	if ReadCodeowners(t.TempDir()) != nil {
		t.Error("a repository without CODEOWNERS has one")
	}
}

// A line longer than bufio's default 64 KiB does not end the parse.
func TestParseCodeownersLongLine(t *testing.T) {
	co := ParseCodeowners("CODEOWNERS", []byte("# "+strings.Repeat("x", 100000)+"\n* @a\n"))
	if _, line, ok := co.Owners("x"); !ok || line != 2 {
		t.Errorf("Owners: line %d, %v", line, ok)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
}

// An org file that is a FIFO or /dev/zero is refused, not waited on or
// read without end.
func TestOrgFileNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "org.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		_, err := (&File{Path: p}).Load(context.Background())
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: %v", p, err)
		}
	}
}
