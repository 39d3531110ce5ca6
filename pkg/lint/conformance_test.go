package lint

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// conformanceDir is the shared corpus of real catalog files with
// Backstage's verdict for each document.
var conformanceDir = filepath.Join("..", "..", "..", "shared", "conformance")

type expectation struct {
	File  string `json:"file"`
	Doc   int    `json:"doc"`
	Line  int    `json:"line"`
	Valid bool   `json:"valid"`
	Error string `json:"error"`
}

// deviations are documents where catalint deliberately differs from the
// recorded verdict; each is listed with its reason in docs/deviations.md.
var deviations = map[string]string{}

func readExpectations(t testing.TB) map[string][]expectation {
	f, err := os.Open(filepath.Join(conformanceDir, "expected.jsonl"))
	if err != nil {
		t.Skipf("conformance corpus not found at %s: %v", conformanceDir, err)
	}
	defer f.Close()
	out := map[string][]expectation{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e expectation
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("expected.jsonl: %v", err)
		}
		out[e.File] = append(out[e.File], e)
	}
	return out
}

// TestConformance runs the schema group on every descriptor of the corpus
// and compares the verdict per document with Backstage's.
func TestConformance(t *testing.T) {
	exp := readExpectations(t)
	sch, err := schema.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	sel, err := NewSelection([]string{GroupSchema}, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := make([]string, 0, len(exp))
	for f := range exp {
		files = append(files, f)
	}
	sort.Strings(files)
	total, agree := 0, 0
	var disagreements []string
	for _, file := range files {
		parts := strings.SplitN(file, "/", 3)
		opts := Options{Selection: sel, Load: load.Options{Root: filepath.Join(conformanceDir, parts[0], parts[1])}}
		r := checkFile(context.Background(), load.Target{Path: filepath.Join(conformanceDir, file), Display: file}, opts, sch, nil)
		want := exp[file]
		if len(r.entities) != len(want) {
			total += len(want)
			disagreements = append(disagreements, fmt.Sprintf("%s: %d documents, Backstage sees %d", file, len(r.entities), len(want)))
			continue
		}
		for i, w := range want {
			total++
			got := r.entities[i]
			key := fmt.Sprintf("%s#%d", file, w.Doc)
			if got.Valid() == w.Valid {
				agree++
				continue
			}
			if _, ok := deviations[key]; ok {
				agree++
				continue
			}
			var msgs []string
			for _, d := range r.diags {
				if d.Severity == diag.Error && d.Line >= w.Line && (i+1 == len(r.entities) || d.Line < r.entities[i+1].Line) {
					msgs = append(msgs, d.String())
				}
			}
			disagreements = append(disagreements, fmt.Sprintf("%s: catalint valid=%v, Backstage valid=%v (%s)\n\t%s", key, got.Valid(), w.Valid, w.Error, strings.Join(msgs, "\n\t")))
		}
	}
	t.Logf("conformance: %d/%d documents agree with Backstage (%d deliberate deviations)", agree, total, len(deviations))
	fmt.Printf("conformance: %d/%d documents agree with Backstage\n", agree, total)
	for _, d := range disagreements {
		t.Error(d)
	}
}
