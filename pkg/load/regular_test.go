//go:build unix

package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadRegularAndConfined(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("SECRET"), 0o644)
	os.WriteFile(filepath.Join(root, "ok"), []byte("fine"), 0o644)
	os.WriteFile(filepath.Join(root, "big"), make([]byte, 11), 0o644)
	os.Mkdir(filepath.Join(root, "dir"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, l := range [][2]string{{"/dev/zero", "zero"}, {outside, "out"}, {"ok", "in"}} {
		if err := os.Symlink(l[0], filepath.Join(root, l[1])); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	for _, c := range []struct{ name, want string }{
		{"ok", ""},
		{"in", ""},
		{"big", "it is 11 bytes, over the limit of 10 bytes"},
		{"dir", "it is a directory"},
		{"fifo", "it is not a regular file"},
		{"zero", "it is a symlink to /dev/zero, outside the repository root"},
		{"out", "outside the repository root"},
		{"none", "no such file"},
		{"../x", "it is outside the repository root"},
	} {
		b, err := ReadConfined(root, filepath.Join(root, c.name), 10)
		switch {
		case c.want == "" && (err != nil || string(b) != "fine"):
			t.Errorf("%s: %q, %v", c.name, b, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		case c.want != "" && b != nil:
			t.Errorf("%s: read %q", c.name, b)
		}
	}
	if _, err := ReadConfined(root, filepath.Join(root, "none"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v does not wrap fs.ErrNotExist", err)
	}
	// Unconfined, /dev/zero is still refused rather than read without end.
	if _, err := ReadRegular("/dev/zero", 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("ReadRegular(/dev/zero): %v", err)
	}
	if _, err := ReadRegular(filepath.Join(root, "big"), 10); !IsTooLarge(err) {
		t.Errorf("IsTooLarge(%v) = false", err)
	}
}
