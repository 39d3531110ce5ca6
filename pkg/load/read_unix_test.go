//go:build unix

package load

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO named like a catalog file must not hang the run (opening it for
// reading would block until a writer came).
func TestReadFileFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "catalog-info.yaml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	f := ReadFile(p, "catalog-info.yaml", Options{})
	if len(f.Diags) != 1 || !strings.Contains(f.Diags[0].Message, "not a regular file") {
		t.Fatalf("diagnostics %v; want one saying it is not a regular file", f.Diags)
	}
}
