package lint

import (
	"os"
	"sync/atomic"

	"path/filepath"
	"strings"
)

func exists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// DisplayPath shows a path relative to the working directory when it is
// below it, as findings show their files.
func DisplayPath(p string) string { return displayPath(p) }

// displayPath shows a path relative to the working directory when it is
// below it.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// runWD is the working folder as the running Run found it, or nil: paths
// are made absolute against it without asking the system for it each time
// (os.Getwd stats two folders; a whole catalog asks tens of thousands of
// times).
var runWD atomic.Pointer[string]

// absPath is filepath.Abs, against runWD when it is set.
func absPath(p string) (string, error) {
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if wd := runWD.Load(); wd != nil {
		return filepath.Join(*wd, p), nil
	}
	return filepath.Abs(p)
}
