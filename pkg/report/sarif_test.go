package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// sarifDoc writes r as SARIF and decodes it generically.
func sarifDoc(t *testing.T, r *lint.Result, o SARIFOptions) (map[string]any, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := SARIF(&b, r, o); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	return doc.(map[string]any), b.Bytes()
}

// sarifCases are the results the schema and GitHub checks run on.
func sarifCases(t *testing.T) map[string]struct {
	r *lint.Result
	o SARIFOptions
} {
	root := t.TempDir()
	odd := fixture()
	odd.Diagnostics = append(odd.Diagnostics,
		diag.Diagnostic{Pos: diag.Pos{File: filepath.Join(root, "a b", "c:d.yaml"), Line: 3, Column: 1}, Severity: diag.Error, Rule: "no-such-rule", Message: "x"},
		diag.Diagnostic{Pos: diag.Pos{File: filepath.Join(os.TempDir(), "outside.yaml"), Line: 1}, Severity: diag.Warning, Rule: "yaml", Message: "y"},
		diag.Diagnostic{Pos: diag.Pos{File: "<stdin>", Line: 2, Column: 4, EndLine: 1, EndColumn: 9}, Severity: diag.Notice, Rule: "format", Message: "z"},
	)
	return map[string]struct {
		r *lint.Result
		o SARIFOptions
	}{
		"fixture":         {fixture(), SARIFOptions{Version: "1.2.3"}},
		"fixture-srcroot": {fixture(), SARIFOptions{Version: "v0.0.0-dev", SrcRoot: "."}},
		"odd-paths":       {odd, SARIFOptions{SrcRoot: root}},
		"empty":           {&lint.Result{}, SARIFOptions{}},
	}
}

// TestSARIFSchema validates the output against the SARIF 2.1.0 JSON Schema.
// The schema is not in this repository: scripts/fetch-sarif-schema.sh
// fetches it and prints its path.
func TestSARIFSchema(t *testing.T) {
	env := os.Getenv("CATALINT_SARIF_SCHEMA")
	if env == "" {
		t.Skip(`CATALINT_SARIF_SCHEMA is not set, so the SARIF output is not validated against the SARIF 2.1.0 JSON Schema; run: CATALINT_SARIF_SCHEMA="$(bash scripts/fetch-sarif-schema.sh)" go test ./pkg/report/`)
	}
	for _, path := range filepath.SplitList(env) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("CATALINT_SARIF_SCHEMA: %v", err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		url := "file:///sarif-schema.json"
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for name, tc := range sarifCases(t) {
			out, raw := sarifDoc(t, tc.r, tc.o)
			if err := sch.Validate(out); err != nil {
				t.Errorf("%s: %s is not valid SARIF 2.1.0: %v\n%s", filepath.Base(path), name, err, raw)
			}
		}
		// The schema does reject what it should, so the test is not empty.
		bad, _ := sarifDoc(t, fixture(), SARIFOptions{})
		bad["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["level"] = "fatal"
		if sch.Validate(bad) == nil {
			t.Errorf("%s accepts a result with level \"fatal\"", filepath.Base(path))
		}
	}
}

// TestSARIFGitHubRequirements checks what GitHub code scanning requires
// beyond the schema ("SARIF support for code scanning" in GitHub's docs).
func TestSARIFGitHubRequirements(t *testing.T) {
	for name, tc := range sarifCases(t) {
		doc, _ := sarifDoc(t, tc.r, tc.o)
		if doc["$schema"] == "" || doc["version"] != "2.1.0" {
			t.Errorf("%s: $schema %v, version %v", name, doc["$schema"], doc["version"])
		}
		runs := doc["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("%s: %d runs", name, len(runs))
		}
		run := runs[0].(map[string]any)
		driver := run["tool"].(map[string]any)["driver"].(map[string]any)
		if driver["name"] != "catalint" {
			t.Errorf("%s: driver name %v", name, driver["name"])
		}
		rules := driver["rules"].([]any)
		if len(rules) < len(lint.Rules) {
			t.Errorf("%s: %d rules, want every one of lint.Rules (%d)", name, len(rules), len(lint.Rules))
		}
		ids := map[string]bool{}
		for i, x := range rules {
			ru := x.(map[string]any)
			id, _ := ru["id"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s: rule %d has id %q (empty or repeated)", name, i, id)
			}
			ids[id] = true
			for _, k := range []string{"shortDescription", "fullDescription", "help"} {
				text, _ := ru[k].(map[string]any)["text"].(string)
				if text == "" || len(text) > 1000 {
					t.Errorf("%s: rule %s: %s.text has %d characters", name, id, k, len(text))
				}
			}
			if n, _ := ru["name"].(string); len(n) > 255 || strings.EqualFold(n, id) {
				t.Errorf("%s: rule %s: name %q", name, id, n)
			}
			if lvl := ru["defaultConfiguration"].(map[string]any)["level"]; lvl != "error" && lvl != "warning" && lvl != "note" {
				t.Errorf("%s: rule %s: level %v", name, id, lvl)
			}
			if i < len(lint.Rules) && id != lint.Rules[i].ID {
				t.Errorf("%s: rule %d is %s, want %s (the order of lint.Rules)", name, i, id, lint.Rules[i].ID)
			}
		}
		results := run["results"].([]any)
		withFile := 0
		for _, d := range tc.r.Diagnostics {
			if d.File != "" {
				withFile++
			}
		}
		if len(results) != withFile {
			t.Errorf("%s: %d results for %d diagnostics with a file", name, len(results), withFile)
		}
		for i, x := range results {
			res := x.(map[string]any)
			id := res["ruleId"].(string)
			n, err := res["ruleIndex"].(json.Number).Int64()
			if err != nil {
				t.Fatalf("%s: result %d: ruleIndex %v", name, i, res["ruleIndex"])
			}
			idx := int(n)
			if idx < 0 || idx >= len(rules) || rules[idx].(map[string]any)["id"] != id {
				t.Errorf("%s: result %d: ruleIndex %d does not point at rule %s", name, i, idx, id)
			}
			if text, _ := res["message"].(map[string]any)["text"].(string); text == "" {
				t.Errorf("%s: result %d has no message", name, i)
			}
			// Code scanning rejects the whole file when a result has no
			// location ("locationFromSarifResult: expected at least one
			// location") or no artifact URI.
			locs, _ := res["locations"].([]any)
			if len(locs) != 1 {
				t.Fatalf("%s: result %d has %d locations", name, i, len(locs))
			}
			phys := locs[0].(map[string]any)["physicalLocation"].(map[string]any)
			if uri, _ := phys["artifactLocation"].(map[string]any)["uri"].(string); !isURIReference(uri) {
				t.Errorf("%s: result %d: artifact URI %q is not an RFC 3986 URI reference", name, i, uri)
			}
			if fp, _ := res["partialFingerprints"].(map[string]any)["primaryLocationLineHash"].(string); fp == "" {
				t.Errorf("%s: result %d has no primaryLocationLineHash", name, i)
			}
		}
	}
}

func TestSARIFRunLevelDiagnosticsAreNotifications(t *testing.T) {
	doc, _ := sarifDoc(t, fixture(), SARIFOptions{})
	run := doc["runs"].([]any)[0].(map[string]any)
	inv := run["invocations"].([]any)[0].(map[string]any)
	notes := inv["toolExecutionNotifications"].([]any)
	if len(notes) != 1 {
		t.Fatalf("%d notifications, want the one run-level notice", len(notes))
	}
	n := notes[0].(map[string]any)
	if n["level"] != "note" || n["associatedRule"].(map[string]any)["id"] != "unresolved-ref" || !strings.HasPrefix(n["message"].(map[string]any)["text"].(string), "3 references") {
		t.Errorf("notification %v", n)
	}
}

func TestSARIFFingerprints(t *testing.T) {
	fps := func(ds ...diag.Diagnostic) []string {
		doc, _ := sarifDoc(t, &lint.Result{Diagnostics: ds}, SARIFOptions{})
		var out []string
		for _, x := range doc["runs"].([]any)[0].(map[string]any)["results"].([]any) {
			out = append(out, x.(map[string]any)["partialFingerprints"].(map[string]any)["primaryLocationLineHash"].(string))
		}
		return out
	}
	d := diag.Diagnostic{Pos: diag.Pos{File: "c.yaml", Line: 4, Column: 3}, Severity: diag.Error, Rule: "schema", Entity: "component:default/a", Message: "m"}
	moved := d
	moved.Line, moved.Column = 40, 9
	if a, b := fps(d), fps(moved); a[0] != b[0] {
		t.Errorf("fingerprint changes when the line moves: %s, %s", a[0], b[0])
	}
	for _, change := range []func(*diag.Diagnostic){
		func(x *diag.Diagnostic) { x.Message = "other" },
		func(x *diag.Diagnostic) { x.Rule = "format" },
		func(x *diag.Diagnostic) { x.Entity = "component:default/b" },
		func(x *diag.Diagnostic) { x.File = "other.yaml" },
	} {
		x := d
		change(&x)
		if a, b := fps(d), fps(x); a[0] == b[0] {
			t.Errorf("fingerprint %s is the same for %+v and %+v", a[0], d, x)
		}
	}
	twice := d
	twice.Line = 9
	got := fps(d, twice)
	if !strings.HasSuffix(got[0], ":1") || !strings.HasSuffix(got[1], ":2") || got[0][:16] != got[1][:16] {
		t.Errorf("identical findings: %v, want the same hash with :1 and :2", got)
	}
}

func TestSARIFLocations(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		file, root string
		uri, base  string
	}{
		{"catalog-info.yaml", "", "catalog-info.yaml", "%SRCROOT%"},
		{"services/my dir/çatalog-info.yaml", "", "services/my%20dir/%C3%A7atalog-info.yaml", "%SRCROOT%"},
		{"a:b/100%.yaml", "", "a%3Ab/100%25.yaml", "%SRCROOT%"},
		{"testdata/x.yaml", "..", "report/testdata/x.yaml", "%SRCROOT%"},
		{filepath.Join(root, "sub", "x y.yaml"), root, "sub/x%20y.yaml", "%SRCROOT%"},
		{filepath.Join(filepath.Dir(root), "elsewhere.yaml"), root, fileURI(filepath.Join(filepath.Dir(root), "elsewhere.yaml"), false), ""},
		{"/abs/x.yaml", "", "file:///abs/x.yaml", ""},
	} {
		got := artifactLocation(tc.file, absOr(tc.root))
		if got.URI != tc.uri || got.URIBaseID != tc.base {
			t.Errorf("artifactLocation(%q, root %q) = %+v, want %q based on %q", tc.file, tc.root, got, tc.uri, tc.base)
		}
	}
	doc, _ := sarifDoc(t, fixture(), SARIFOptions{SrcRoot: root})
	base := doc["runs"].([]any)[0].(map[string]any)["originalUriBaseIds"].(map[string]any)["%SRCROOT%"].(map[string]any)["uri"].(string)
	if base != fileURI(root, true) || !strings.HasPrefix(base, "file:///") || !strings.HasSuffix(base, "/") {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %q", base)
	}
	doc, _ = sarifDoc(t, fixture(), SARIFOptions{})
	if _, ok := doc["runs"].([]any)[0].(map[string]any)["originalUriBaseIds"]; ok {
		t.Error("originalUriBaseIds without SrcRoot")
	}
}

// isURIReference reports whether s is a non-empty URI reference made of
// the characters RFC 3986 allows, with well-formed percent escapes, and
// whose first segment does not read as a scheme unless it is one we write.
// (The JSON Schema's "uri-reference" format, as the validator checks it,
// lets spaces through.)
func isURIReference(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !strings.ContainsRune("0123456789ABCDEFabcdef", rune(s[i+1])) || !strings.ContainsRune("0123456789ABCDEFabcdef", rune(s[i+2])) {
				return false
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		default:
			return false
		}
	}
	first, _, _ := strings.Cut(s, "/")
	return !strings.Contains(first, ":") || strings.HasPrefix(s, "file:///")
}

func absOr(p string) string {
	if p == "" {
		return ""
	}
	abs, _ := filepath.Abs(p)
	return abs
}

func TestSARIFRegions(t *testing.T) {
	region := func(p diag.Pos) map[string]any {
		doc, _ := sarifDoc(t, &lint.Result{Diagnostics: []diag.Diagnostic{{Pos: p, Rule: "schema", Message: "m"}}}, SARIFOptions{})
		phys := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		r, _ := phys["region"].(map[string]any)
		return r
	}
	if r := region(diag.Pos{File: "a.yaml"}); r != nil {
		t.Errorf("file-level diagnostic has region %v", r)
	}
	r := region(diag.Pos{File: "a.yaml", Line: 3, Column: 2, EndLine: 3, EndColumn: 5})
	if r["startLine"].(json.Number) != "3" || r["startColumn"].(json.Number) != "2" || r["endLine"].(json.Number) != "3" || r["endColumn"].(json.Number) != "5" {
		t.Errorf("region %v", r)
	}
	r = region(diag.Pos{File: "a.yaml", Line: 3})
	if len(r) != 1 {
		t.Errorf("line only: region %v", r)
	}
}

func TestSARIFMessageEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		"see [x](1) here":      `see \[x\](1) here`,
		`back\slash`:           `back\\slash`,
		`a [b] \[c\] <d> & %e`: `a \[b\] \\\[c\\\] <d> & %e`,
	} {
		if got := sarifMessage(in); got != want {
			t.Errorf("sarifMessage(%q) = %q, want %q", in, got, want)
		}
	}
	doc, _ := sarifDoc(t, &lint.Result{Diagnostics: []diag.Diagnostic{{Pos: diag.Pos{File: "a.yaml"}, Rule: "x", Message: "m [1]", Suggestion: "s"}}}, SARIFOptions{})
	res := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	if got := res["message"].(map[string]any)["text"]; got != `m \[1\] (s)` {
		t.Errorf("message.text = %q", got)
	}
	// A rule that lint.Rules does not know gets a descriptor of its own.
	rules := doc["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	if len(rules) != len(lint.Rules)+1 || rules[len(lint.Rules)].(map[string]any)["id"] != "x" || res["ruleIndex"].(json.Number).String() != fmt.Sprint(len(lint.Rules)) {
		t.Errorf("unknown rule: %d descriptors, ruleIndex %v", len(rules), res["ruleIndex"])
	}
}

// TestRuleHelpAnchors checks that every rule's helpUri anchor is the one
// GitHub gives its "## `id`" heading in docs/rules.md. GitHub slugs a
// heading from its text (inline code markup is not text): lower case,
// punctuation other than "-" and "_" dropped, spaces to "-".
func TestRuleHelpAnchors(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Skipf("docs/rules.md: %v", err)
	}
	defer f.Close()
	slugs := map[string]int{}
	sc := bufio.NewScanner(f)
	inFence := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, "## ") {
			slugs[githubSlug(strings.TrimPrefix(line, "## "))]++
		}
	}
	for _, ru := range lint.Rules {
		uri := RuleHelpURI(ru.ID)
		anchor := uri[strings.LastIndex(uri, "#")+1:]
		switch slugs[anchor] {
		case 0:
			t.Errorf("rule %s: no heading in docs/rules.md has the anchor #%s", ru.ID, anchor)
		case 1:
		default:
			t.Errorf("rule %s: %d headings slug to #%s; GitHub numbers the later ones", ru.ID, slugs[anchor], anchor)
		}
	}
	if got := githubSlug("`ref-format`"); got != "ref-format" {
		t.Errorf("githubSlug = %q", got)
	}
	if got := githubSlug("What `check` reads"); got != "what-check-reads" {
		t.Errorf("githubSlug = %q", got)
	}
}

func githubSlug(heading string) string {
	text := strings.ReplaceAll(heading, "`", "") // code span markup
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
