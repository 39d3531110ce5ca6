package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProbe4(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("x:\n  $yaml: ./a.yaml\n"), 0o644)
	f := Parse(strings.NewReader("spec:\n  $yaml: ./a.yaml\n"), "f.yaml", dir, dir, Options{})
	for _, d := range f.Docs {
		for _, dd := range d.Diags { fmt.Printf("  D %+v\n", dd) }
		fmt.Print(dump(d.Root, " "))
	}
}
