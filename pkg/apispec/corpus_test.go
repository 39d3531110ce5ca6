package apispec

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/load"
)

const corpusDir = "../../../shared/conformance"

// corpusDef is one API definition of the conformance corpus.
type corpusDef struct {
	file, entity, typ, text, defFile string
	line, indent                     int
	root                             string
	valid                            bool // Backstage accepts the entity
	remote                           bool
}

func corpusDefs(t testing.TB) []corpusDef {
	if _, err := os.Stat(filepath.Join(corpusDir, "MANIFEST.tsv")); err != nil {
		t.Skipf("conformance corpus not found at %s", corpusDir)
	}
	valid := map[string]bool{}
	ef, err := os.Open(filepath.Join(corpusDir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	sc := bufio.NewScanner(ef)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			File  string
			Doc   int
			Valid bool
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		valid[fmt.Sprintf("%s#%d", e.File, e.Doc)] = e.Valid
	}
	mf, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusDef
	for _, line := range strings.Split(string(mf), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 5 || f[4] != "descriptor" {
			continue
		}
		rel := "repos/" + f[0]
		path := filepath.Join(corpusDir, rel)
		repo := filepath.Join(corpusDir, "repos", strings.SplitN(f[0], "/", 2)[0])
		lf := load.ReadFile(path, path, load.Options{Root: repo})
		for _, d := range lf.Docs {
			if d.Root == nil || d.Root.GetString("kind") != "API" {
				continue
			}
			def := d.Root.Get("spec").Get("definition")
			if def == nil || def.Kind != load.String || def.Unresolved() {
				continue
			}
			cd := corpusDef{
				file: rel, entity: d.Root.GetString("metadata", "name"), typ: d.Root.GetString("spec", "type"),
				text: def.Text, root: repo, valid: valid[fmt.Sprintf("%s#%d", rel, d.Index)],
			}
			switch {
			case def.PlaceholderFile() != "" && strings.Contains(def.PlaceholderFile(), "://"):
				cd.remote = true
				cd.defFile = def.PlaceholderFile()
			case def.PlaceholderFile() != "":
				cd.defFile, cd.line = def.PlaceholderFile(), 1
			default:
				cd.defFile = path
				cd.line, cd.indent = BlockStart(lf.Src, def.Span.Line, def.Span.Column)
			}
			out = append(out, cd)
		}
	}
	return out
}

// TestCorpus runs Check over every API definition of the conformance
// corpus. Set APISPEC_CORPUS=v to print every problem.
func TestCorpus(t *testing.T) {
	defs := corpusDefs(t)
	verbose := os.Getenv("APISPEC_CORPUS") != ""
	counts := map[string][4]int{} // type: definitions, clean, warnings only, with errors
	remote := 0
	for _, d := range defs {
		if d.remote {
			remote++
			continue
		}
		r := Check(context.Background(), d.typ, d.text, d.defFile, d.line, d.root)
		c := counts[d.typ]
		c[0]++
		errs, warns := 0, 0
		for _, p := range r.Problems {
			switch p.Severity {
			case SeverityError:
				errs++
			case SeverityWarning:
				warns++
			}
		}
		if !r.Verified {
			counts[d.typ] = c
			if verbose {
				t.Logf("%s %s: not verified: %s", d.file, d.entity, r.Reason)
			}
			continue
		}
		switch {
		case errs > 0:
			c[3]++
		case warns > 0:
			c[2]++
		default:
			c[1]++
		}
		counts[d.typ] = c
		if verbose {
			t.Logf("%s %s (%s %s, backstage valid=%v): %d problems", d.file, d.entity, d.typ, r.Version, d.valid, len(r.Problems))
			for _, p := range r.Problems {
				t.Logf("    %s", p)
			}
		}
		// Every problem must stand inside its file.
		for _, p := range r.Problems {
			col := p.Column
			if p.File == d.defFile && d.indent > 0 && d.defFile != "" && p.Line >= d.line {
				col += d.indent
			}
			if !inFile(p.File, p.Line, col) {
				t.Errorf("%s %s: problem outside its file: %s", d.file, d.entity, p)
			}
		}
	}
	t.Logf("remote definitions (not fetched): %d", remote)
	types := make([]string, 0, len(counts))
	for typ := range counts {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		c := counts[typ]
		if !slices.Contains(Types, typ) {
			t.Logf("type %-20q definitions %3d  not verified", typ, c[0])
			continue
		}
		t.Logf("type %-20q definitions %3d  clean %3d  warnings only %3d  with errors %3d", typ, c[0], c[1], c[2], c[3])
	}
}

var fileLines = map[string][]string{}

// inFile reports whether line:col is a position of the file (col may be
// one past the end of the line).
func inFile(path string, line, col int) bool {
	lines, ok := fileLines[path]
	if !ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		lines = strings.Split(string(b), "\n")
		fileLines[path] = lines
	}
	return line >= 1 && line <= len(lines) && col >= 1 && col <= len([]rune(lines[line-1]))+1
}
