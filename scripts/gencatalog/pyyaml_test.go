package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPyYAMLStyle writes a small tree in the pyyaml style and has PyYAML
// itself load and dump every file again: the text must come back byte for
// byte. It is skipped where python3 with PyYAML is not installed.
func TestPyYAMLStyle(t *testing.T) {
	if exec.Command("python3", "-c", "import yaml").Run() != nil {
		t.Skip("python3 with PyYAML is not installed")
	}
	dir := t.TempDir()
	g := newGenerator(3, 300, 0.05)
	notes := 0
	g.restyle = func(s string) (string, error) {
		return restylePyYAML(s, func() bool { notes++; return notes%2 == 0 })
	}
	if _, err := g.writeTree(dir, 8); err != nil {
		t.Fatal(err)
	}
	const script = `
import sys, yaml
src = open(sys.argv[1], encoding="utf-8").read()
out = yaml.dump_all(list(yaml.safe_load_all(src)), default_flow_style=None)
if out != src:
    sys.stdout.write(out)
    sys.exit(1)
`
	files, _ := filepath.Glob(filepath.Join(dir, "*", "catalog-info.yaml"))
	if len(files) < 20 {
		t.Fatalf("only %d files written", len(files))
	}
	var escapes, flows, folded bool
	for _, f := range files {
		src, _ := os.ReadFile(f)
		escapes = escapes || strings.Contains(string(src), `\u2019`)
		flows = flows || strings.Contains(string(src), ": {")
		folded = folded || strings.Contains(string(src), "\\\n")
		out, err := exec.Command("python3", "-c", script, f).Output()
		if err != nil {
			t.Fatalf("%s: PyYAML writes it otherwise (%v):\n--- ours ---\n%s\n--- PyYAML ---\n%s", f, err, src, out)
		}
	}
	if !escapes || !flows || !folded {
		t.Errorf("the tree lacks escapes (%v), flow mappings (%v) or folded quoted scalars (%v)", escapes, flows, folded)
	}
}
