package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type result struct {
	code     int
	out, err string
}

func run(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{
		In: strings.NewReader(stdin), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/cli -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCheckExamplesClean(t *testing.T) {
	r := run(t, "", nil, "check", "../../examples/acme")
	if r.code != ExitOK {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.out, r.err)
	}
	// The root Location brings in the other files: 5 files, 13 documents.
	if !strings.Contains(r.out, "0 errors, 0 warnings, 0 notices in 5 files (13 documents)") {
		t.Errorf("summary: %q", r.out)
	}
}

func TestCheckBrokenText(t *testing.T) {
	r := run(t, "", nil, "check", "../../examples/broken")
	if r.code != ExitProblems {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.err)
	}
	golden(t, "broken.txt", r.out)
}

func TestCheckBrokenJSON(t *testing.T) {
	r := run(t, "", nil, "check", "--format", "json", "../../examples/broken")
	if r.code != ExitProblems {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.err)
	}
	var doc struct {
		Version     int `json:"version"`
		Diagnostics []struct {
			File, Severity, Rule, Entity, Message string
			Line, Column, EndLine, EndColumn      int
		} `json:"diagnostics"`
		Entities []struct {
			File     string `json:"file"`
			Document int    `json:"document"`
			Line     int    `json:"line"`
			Ref      string `json:"ref"`
			Kind     string `json:"kind"`
			Valid    bool   `json:"valid"`
		} `json:"entities"`
		Summary struct{ Files, Entities, Errors, Warnings int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.out)
	}
	if doc.Version != 1 || doc.Summary.Entities != 3 || doc.Summary.Errors != len(doc.Diagnostics)-1 {
		t.Errorf("unexpected summary: %+v (%d diagnostics)", doc.Summary, len(doc.Diagnostics))
	}
	for i, e := range doc.Entities {
		if e.Document != i+1 || e.Valid {
			t.Errorf("entity %d: %+v; every document of the broken example is invalid", i, e)
		}
	}
	if doc.Entities[0].Ref != "component:default/payments service" || doc.Entities[1].Line != 15 {
		t.Errorf("entities: %+v", doc.Entities)
	}
	for _, d := range doc.Diagnostics {
		if d.File == "" {
			if d.Severity != "notice" {
				t.Errorf("a diagnostic about the whole run must be a notice: %+v", d)
			}
			continue
		}
		if d.Line == 0 || d.Column == 0 || d.EndColumn <= d.Column || d.Rule == "" {
			t.Errorf("diagnostic without a full position or rule: %+v", d)
		}
	}
	golden(t, "broken.json", r.out)
}

func TestOutputIsDeterministic(t *testing.T) {
	a := run(t, "", nil, "check", "--format", "json", "../../examples")
	b := run(t, "", nil, "check", "--format", "json", "../../examples")
	if a.out != b.out {
		t.Error("two runs over the same files printed different output")
	}
}

func TestOnlySchemaGroup(t *testing.T) {
	// A dangling Location target is a refs finding: --only schema passes.
	dir := t.TempDir()
	write(t, dir, "catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./nowhere.yaml]\n")
	if r := run(t, "", nil, "check", dir); r.code != ExitProblems || !strings.Contains(r.out, "[location-target]") {
		t.Errorf("all rules: exit %d\n%s", r.code, r.out)
	}
	if r := run(t, "", nil, "check", "--only", "schema", dir); r.code != ExitOK {
		t.Errorf("--only schema: exit %d\n%s", r.code, r.out)
	}
	if r := run(t, "", nil, "check", "--disable", "location-target", dir); r.code != ExitOK {
		t.Errorf("--disable location-target: exit %d\n%s", r.code, r.out)
	}
}

func TestStdin(t *testing.T) {
	in := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  owner: me\n"
	r := run(t, in, nil, "check", "-")
	if r.code != ExitProblems || !strings.Contains(r.out, `<stdin>:5:1: error: missing required field "lifecycle" in spec [schema]`) {
		t.Errorf("exit %d\n%s", r.code, r.out)
	}
}

func TestFailOnWarning(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  descripton: typo\nspec:\n  type: service\n  lifecycle: production\n  owner: me\n")
	if r := run(t, "", nil, "check", dir); r.code != ExitOK || !strings.Contains(r.out, "[unknown-field]") {
		t.Errorf("default: exit %d\n%s", r.code, r.out)
	}
	if r := run(t, "", nil, "check", "--fail-on", "warning", dir); r.code != ExitProblems {
		t.Errorf("--fail-on warning: exit %d", r.code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"check", "--only", "shcema", "."}, `did you mean "schema"?`},
		{[]string{"check", "no/such/dir"}, "no/such/dir: no such file or directory"},
		{[]string{"check", "nothing-*.yaml"}, "the glob matches no file"},
		{[]string{"check", "--format", "xml", "."}, `--format "xml"`},
		{[]string{"check", "--max-file-size", "lots", "."}, "--max-file-size"},
		{[]string{"check", "--color", "sometimes", "."}, "--color"},
		{[]string{"check", "--fail-on", "notice", "."}, "--fail-on"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"schema", "Compnent"}, `did you mean "Component"?`},
	} {
		r := run(t, "", nil, tc.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.err, tc.want)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFatalOnWriteFailure(t *testing.T) {
	var errb bytes.Buffer
	code := Run(context.Background(), []string{"check", "../../examples/acme"}, IO{In: strings.NewReader(""), Out: failWriter{}, Err: &errb, Getenv: func(string) string { return "" }})
	if code != ExitFatal || !strings.Contains(errb.String(), "disk full") {
		t.Errorf("exit %d, stderr %q; want 3 and the cause", code, errb.String())
	}
}

func TestColor(t *testing.T) {
	r := run(t, "", nil, "check", "--color", "always", "../../examples/broken")
	if !strings.Contains(r.out, "\x1b[") {
		t.Error("--color always printed no colour")
	}
	var out, errb bytes.Buffer
	Run(context.Background(), []string{"check", "../../examples/broken"}, IO{In: strings.NewReader(""), Out: &out, Err: &errb, IsTerminal: true,
		Getenv: func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		}})
	if strings.Contains(out.String(), "\x1b[") {
		t.Error("NO_COLOR is set but the output has colour")
	}
}

func TestVersionAndRules(t *testing.T) {
	if r := run(t, "", nil, "version"); r.code != 0 || !strings.HasPrefix(r.out, "catalint ") {
		t.Errorf("version: %d %q", r.code, r.out)
	}
	r := run(t, "", nil, "rules")
	for _, id := range []string{"yaml", "schema", "format", "ref-format", "location-target", "unknown-field"} {
		if !strings.Contains(r.out, id) {
			t.Errorf("rules output lacks %s", id)
		}
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
