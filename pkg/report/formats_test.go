package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Paths of the fixture: one with a space and a non-ASCII character.
const (
	fixMain    = "catalog-info.yaml"
	fixSpaced  = "services/my dir/çatalog-info.yaml"
	fixBinary  = "broken.yaml"
	fixNoDocs  = "empty.yaml"
	hostileMsg = "description \"100% sure, really: yes\r\nnext line\" has <script>alert(1)</script> for @someone | a|b `code` [x](https://evil.example) #12 deadbeef1 ![i](y.png) *b* _i_ ~s~ $x$ &amp; \x01"
)

// fixture is a result with every kind of diagnostic the formats must
// handle: an error with a suggestion, a warning, a notice, a file-level
// diagnostic, a run-level notice, hostile text, and awkward paths.
func fixture() *lint.Result {
	ds := []diag.Diagnostic{
		{Pos: diag.Pos{File: fixMain, Line: 10, Column: 3, EndLine: 10, EndColumn: 11}, Severity: diag.Error, Rule: "schema",
			Entity: "component:default/payments", Message: `missing required field "lifecycle" in spec`,
			Suggestion: `did you mean "lifecycle" instead of "lifecyle"?`},
		{Pos: diag.Pos{File: fixMain, Line: 12, Column: 3, EndLine: 12, EndColumn: 7}, Severity: diag.Warning, Rule: "unknown-field",
			Entity: "component:default/payments", Message: `unknown field "ownr" in spec`, Suggestion: `did you mean "owner"?`},
		{Pos: diag.Pos{File: fixMain, Line: 22, Column: 5, EndLine: 23, EndColumn: 2}, Severity: diag.Error, Rule: "format",
			Entity: "component:default/web", Message: hostileMsg, Suggestion: "use `@team/web`, not <b>web</b>"},
		{Pos: diag.Pos{File: fixSpaced}, Severity: diag.Warning, Rule: "encoding",
			Message: "control characters in file, read as U+FFFD"},
		{Pos: diag.Pos{File: fixSpaced, Line: 5, Column: 7, EndLine: 5, EndColumn: 40}, Severity: diag.Notice, Rule: "location-target",
			Entity: "location:default/ünïcode", Message: "remote Location target https://example.com/x.yaml is not followed; its entities are not checked"},
		{Pos: diag.Pos{File: fixBinary}, Severity: diag.Error, Rule: "file", Message: "file is binary (NUL byte at offset 12)"},
		{Pos: diag.Pos{File: fixNoDocs}, Severity: diag.Warning, Rule: "encoding", Message: "bytes that are not UTF-8 at offset 3"},
		{Severity: diag.Notice, Rule: "unresolved-ref",
			Message: "3 references were not verified: no catalog source is configured (use --catalog)"},
	}
	return &lint.Result{
		Diagnostics: diag.Sort(ds),
		Entities: []lint.Entity{
			{File: fixBinary, Document: 1, Line: 1, Invalid: true},
			{File: fixMain, Document: 1, Line: 1, Ref: "component:default/payments", Kind: "Component", Invalid: true},
			{File: fixMain, Document: 2, Line: 18, Ref: "component:default/web", Kind: "Component", Invalid: true},
			{File: fixMain, Document: 3, Line: 30, Ref: "system:default/shop", Kind: "System"},
			{File: fixSpaced, Document: 1, Line: 1, Ref: "location:default/ünïcode", Kind: "Location"},
		},
		Files:   5,
		Sources: map[string][]byte{},
	}
}

// fixtureRules are the rules the SARIF golden file describes: fixed here,
// so that the golden file does not change with every rule added to
// lint.Rules (TestSARIFGitHubRequirements checks those).
var fixtureRules = []lint.Rule{
	{ID: "file", Group: "schema", Severity: diag.Error, Description: "A file that cannot be read."},
	{ID: "encoding", Group: "schema", Severity: diag.Warning, Description: "Bytes that are not UTF-8. Read as U+FFFD."},
	{ID: "schema", Group: "schema", Severity: diag.Error, Description: "A field missing by the JSON Schema of the kind."},
	{ID: "format", Group: "schema", Severity: diag.Error, Description: "A name that breaks Backstage's format rules."},
	{ID: "location-target", Group: "refs", Severity: diag.Error, Description: "A Location target that does not exist."},
	{ID: "unresolved-ref", Group: "refs", Severity: diag.Error, Description: "A reference to an entity that does not exist."},
	{ID: "unknown-field", Group: "style", Severity: diag.Warning, Description: "A key one typo away from a field."},
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/report -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGoldenFormats(t *testing.T) {
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer, *lint.Result) error
	}{
		{"fixture.github.txt", func(b *bytes.Buffer, r *lint.Result) error { return GitHub(b, r) }},
		{"fixture.sarif.json", func(b *bytes.Buffer, r *lint.Result) error {
			return SARIF(b, r, SARIFOptions{Version: "1.2.3", Rules: fixtureRules})
		}},
		{"fixture.junit.xml", func(b *bytes.Buffer, r *lint.Result) error { return JUnit(b, r) }},
		{"fixture.md", func(b *bytes.Buffer, r *lint.Result) error { return Markdown(b, r, MarkdownOptions{}) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, fixture()); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
			// Same input, same bytes.
			var again bytes.Buffer
			if err := tc.write(&again, fixture()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Error("output is not deterministic")
			}
		})
	}
}

// An empty result is valid in every format.
func TestEmptyResult(t *testing.T) {
	r := &lint.Result{Files: 0}
	var b bytes.Buffer
	if err := GitHub(&b, r); err != nil || b.Len() != 0 {
		t.Errorf("github: %q, %v", b.String(), err)
	}
	b.Reset()
	if err := SARIF(&b, r, SARIFOptions{}); err != nil || !bytes.Contains(b.Bytes(), []byte(`"results": []`)) {
		t.Errorf("sarif: %s, %v", b.String(), err)
	}
	b.Reset()
	if err := JUnit(&b, r); err != nil || !bytes.Contains(b.Bytes(), []byte(`<testsuites name="catalint" tests="0" failures="0" errors="0"></testsuites>`)) {
		t.Errorf("junit: %s, %v", b.String(), err)
	}
	b.Reset()
	if err := Markdown(&b, r, MarkdownOptions{}); err != nil || !bytes.Contains(b.Bytes(), []byte("✅ catalint passed")) {
		t.Errorf("markdown: %s, %v", b.String(), err)
	}
}
