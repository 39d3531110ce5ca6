package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// ---------------------------------------------------------------------------
// Helpers

// parseSrc parses src with a fresh folder as both the file's folder and root.
func parseSrc(t *testing.T, src string, opts Options) *File {
	t.Helper()
	dir := t.TempDir()
	return Parse(strings.NewReader(src), "catalog-info.yaml", dir, dir, opts)
}

// allDiags returns the file's diagnostics followed by every document's.
func allDiags(f *File) []diag.Diagnostic {
	out := append([]diag.Diagnostic(nil), f.Diags...)
	for _, d := range f.Docs {
		out = append(out, d.Diags...)
	}
	return out
}

func fmtDiags(ds []diag.Diagnostic) string {
	if len(ds) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  %s:%d:%d [%s] %s: %s", d.File, d.Line, d.Column, d.Rule, d.Severity, d.Message)
	}
	return b.String()
}

// wantOneDiag asserts there is exactly one diagnostic, with the given rule,
// severity and line (line < 0: any), whose message holds every substring.
func wantOneDiag(t *testing.T, ds []diag.Diagnostic, rule string, sev diag.Severity, line int, subs ...string) diag.Diagnostic {
	t.Helper()
	if len(ds) != 1 {
		t.Fatalf("want exactly one %s diagnostic, got %d:%s", rule, len(ds), fmtDiags(ds))
	}
	d := ds[0]
	if d.Rule != rule {
		t.Errorf("rule = %q, want %q:%s", d.Rule, rule, fmtDiags(ds))
	}
	if d.Severity != sev {
		t.Errorf("severity = %v, want %v:%s", d.Severity, sev, fmtDiags(ds))
	}
	if line >= 0 && d.Line != line {
		t.Errorf("line = %d, want %d:%s", d.Line, line, fmtDiags(ds))
	}
	for _, s := range subs {
		if !strings.Contains(d.Message, s) {
			t.Errorf("message %q does not mention %q", d.Message, s)
		}
	}
	return d
}

func wantNoDiags(t *testing.T, f *File) {
	t.Helper()
	if ds := allDiags(f); len(ds) != 0 {
		t.Fatalf("want no diagnostics, got:%s", fmtDiags(ds))
	}
}

// within runs fn and fails if it does not return in d.
func withinTime(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		fn()
	}()
	select {
	case <-done:
		if panicked != nil {
			t.Fatalf("panic: %v", panicked)
		}
	case <-time.After(d):
		t.Fatalf("did not finish within %v", d)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlinkOrSkip(t *testing.T, oldname, newname string) {
	t.Helper()
	if err := os.Symlink(oldname, newname); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
}

// ---------------------------------------------------------------------------
// Empty and odd streams

func TestParseNoDocuments(t *testing.T) {
	for name, src := range map[string]string{
		"empty":            "",
		"blank lines":      "\n\n   \n\n",
		"only comments":    "# a comment\n  # another, indented\n#\n",
		"only marker":      "---\n",
		"markers and ends": "---\n...\n---\n---\n...\n",
		"marker comment":   "--- # nothing here\n",
		"directive only":   "%YAML 1.1\n---\n",
		"explicit null":    "---\nnull\n",
		"tilde":            "~\n",
		"no final newline": "# c",
		"bom only":         "\uFEFF",
	} {
		t.Run(name, func(t *testing.T) {
			f := parseSrc(t, src, Options{})
			wantNoDiags(t, f)
			if len(f.Docs) != 0 {
				t.Fatalf("want 0 documents, got %d", len(f.Docs))
			}
			if string(f.Src) != src {
				t.Errorf("Src = %q, want %q", f.Src, src)
			}
		})
	}
}

func TestParseMultiDocErrorInMiddle(t *testing.T) {
	src := "apiVersion: v1\nkind: A\n---\nkind: [unclosed\n---\nkind: C\n"
	f := parseSrc(t, src, Options{})
	if len(f.Diags) != 0 {
		t.Fatalf("file diagnostics:%s", fmtDiags(f.Diags))
	}
	if len(f.Docs) != 3 {
		t.Fatalf("want 3 documents, got %d", len(f.Docs))
	}
	d1, d2, d3 := f.Docs[0], f.Docs[1], f.Docs[2]
	for i, d := range f.Docs {
		if d.Index != i+1 {
			t.Errorf("doc %d Index = %d", i, d.Index)
		}
		if d.File != f {
			t.Errorf("doc %d File is not its file", i)
		}
	}
	if d1.Root == nil || d1.Root.GetString("kind") != "A" || len(d1.Diags) != 0 {
		t.Errorf("doc 1 should parse: root=%v diags=%s", d1.Root, fmtDiags(d1.Diags))
	}
	if d1.Line != 1 {
		t.Errorf("doc 1 Line = %d, want 1", d1.Line)
	}
	if d2.Root != nil {
		t.Errorf("doc 2 should have no root")
	}
	if d2.Line != 4 {
		t.Errorf("doc 2 Line = %d, want 4", d2.Line)
	}
	dg := wantOneDiag(t, d2.Diags, RuleYAML, diag.Error, -1)
	// Backstage says line 5; the exact line of parser errors is checked by
	// TestYAMLErrorLine, here only that it falls in the document.
	if dg.Line < 3 || dg.Line > 5 {
		t.Errorf("doc 2 error on line %d, want within the document (3-5)", dg.Line)
	}
	if !strings.HasPrefix(dg.Message, "YAML: ") {
		t.Errorf("message %q should start with YAML:", dg.Message)
	}
	if dg.File != "catalog-info.yaml" {
		t.Errorf("diagnostic file = %q", dg.File)
	}
	if d3.Root == nil || d3.Root.GetString("kind") != "C" || len(d3.Diags) != 0 {
		t.Errorf("doc 3 should parse: root=%v diags=%s", d3.Root, fmtDiags(d3.Diags))
	}
	if d3.Line != 6 {
		t.Errorf("doc 3 Line = %d, want 6", d3.Line)
	}
}

func TestParseDuplicateKeys(t *testing.T) {
	src := "apiVersion: v1\nmetadata:\n  name: a\n  title: t\n  name: b\n"
	f := parseSrc(t, src, Options{})
	if len(f.Docs) != 1 {
		t.Fatalf("want 1 document, got %d", len(f.Docs))
	}
	d := wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, 5, `"name"`, "line 3")
	if d.Column != 3 {
		t.Errorf("column = %d, want 3", d.Column)
	}
	if f.Docs[0].Root != nil {
		t.Errorf("a document with duplicate keys should have no root")
	}

	// Duplicates in different maps, or in different documents, are fine.
	f = parseSrc(t, "a:\n  x: 1\nb:\n  x: 2\n---\na: 3\n", Options{})
	wantNoDiags(t, f)
}

func TestParseAliases(t *testing.T) {
	f := parseSrc(t, "base: &b {owner: team-a}\ncopy: *b\n", Options{})
	wantNoDiags(t, f)
	got := f.Docs[0].Root.Get("copy")
	if got == nil || got.GetString("owner") != "team-a" {
		t.Fatalf("alias not expanded: %+v", got)
	}
	if got.Span.Line != 2 || got.Span.Column != 7 {
		t.Errorf("an alias stands where it is written: span %+v", got.Span)
	}

	f = parseSrc(t, "a: *nope\n", Options{})
	wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, 1, "nope")

	f = parseSrc(t, "a: &x [1, *x]\n", Options{})
	wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, 1, "*x")
}

func lolBomb() string {
	var b strings.Builder
	b.WriteString("lol0: &a0 \"lol\"\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "lol%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseBillionLaughs(t *testing.T) {
	src := lolBomb()
	var f *File
	start := time.Now()
	withinTime(t, 30*time.Second, func() { f = parseSrc(t, src, Options{}) })
	t.Logf("alias bomb rejected in %v", time.Since(start))
	if len(f.Docs) != 1 {
		t.Fatalf("want 1 document, got %d", len(f.Docs))
	}
	d := wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, -1, "alias")
	if d.Line < 1 || d.Line > 10 {
		t.Errorf("line %d is not in the file", d.Line)
	}
	if f.Docs[0].Root != nil {
		t.Errorf("the bomb should not produce a tree")
	}
}

func TestParseDeepNesting(t *testing.T) {
	const n = 10_000
	for name, src := range map[string]string{
		"unclosed flow":  strings.Repeat("[", n),
		"closed flow":    strings.Repeat("[", n) + strings.Repeat("]", n),
		"flow maps":      strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n),
		"block sequence": strings.Repeat("- ", n) + "x\n",
		"under a key":    "spec:\n  x: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			var f *File
			withinTime(t, 30*time.Second, func() { f = parseSrc(t, src, Options{}) })
			if len(f.Docs) != 1 {
				t.Fatalf("want 1 document, got %d:%s", len(f.Docs), fmtDiags(allDiags(f)))
			}
			d := wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, -1)
			if d.Line < 1 || d.Line > 3 {
				t.Errorf("line %d is not in the file", d.Line)
			}
			if f.Docs[0].Root != nil {
				t.Errorf("too deep a document should have no root")
			}
		})
	}

	// A deep but reasonable document is fine.
	f := parseSrc(t, strings.Repeat("[", 100)+strings.Repeat("]", 100), Options{})
	wantNoDiags(t, f)
}

func TestParseInvalidUTF8(t *testing.T) {
	src := "kind: Component\nmetadata:\n  name: caf\xe9\n  title: ok\n"
	f := parseSrc(t, src, Options{})
	wantOneDiag(t, f.Diags, RuleEncoding, diag.Warning, 3, "UTF-8")
	if len(f.Docs) != 1 || len(f.Docs[0].Diags) != 0 {
		t.Fatalf("document should still parse:%s", fmtDiags(allDiags(f)))
	}
	if got := f.Docs[0].Root.GetString("metadata", "name"); got != "caf\uFFFD" {
		t.Errorf("name = %q, want %q", got, "caf\uFFFD")
	}
	if got := f.Docs[0].Root.GetString("metadata", "title"); got != "ok" {
		t.Errorf("title = %q", got)
	}
	if string(f.Src) != src {
		t.Errorf("Src should hold the bytes as read")
	}
}

func TestParseNUL(t *testing.T) {
	f := parseSrc(t, "kind: A\nname: b\x00c\n", Options{})
	wantOneDiag(t, f.Diags, RuleFile, diag.Error, 2, "binary")
	if len(f.Docs) != 0 {
		t.Errorf("a binary file should have no documents")
	}
}

func TestParseControlCharacters(t *testing.T) {
	f := parseSrc(t, "a: 1\nb: x\x07y\n", Options{})
	wantOneDiag(t, f.Diags, RuleEncoding, diag.Warning, 2, "U+0007")
	if got := f.Docs[0].Root.GetString("b"); got != "x\uFFFDy" {
		t.Errorf("b = %q", got)
	}
	if n := f.Docs[0].Root.Get("b"); n.Span.EndColumn != 7 {
		t.Errorf("columns should stay right: %+v", n.Span)
	}
}

func TestParseBOM(t *testing.T) {
	f := parseSrc(t, "\uFEFFkind: A\n", Options{})
	wantNoDiags(t, f)
	p := f.Docs[0].Root.Pair("kind")
	if p == nil || p.KeySpan.Column != 1 {
		t.Fatalf("BOM should be dropped: %+v", f.Docs[0].Root)
	}
}

func TestParseCRLF(t *testing.T) {
	src := "apiVersion: v1\r\nkind: Component\r\nmetadata:\r\n  name: svc\r\n  title: \"T\"\r\n"
	f := parseSrc(t, src, Options{})
	wantNoDiags(t, f)
	root := f.Docs[0].Root
	if got := root.GetString("kind"); got != "Component" {
		t.Errorf("kind = %q", got)
	}
	name := root.Get("metadata").Get("name")
	if want := (Span{4, 9, 4, 12}); name.Span != want {
		t.Errorf("name span = %+v, want %+v", name.Span, want)
	}
	title := root.Get("metadata").Get("title")
	if want := (Span{5, 10, 5, 13}); title.Span != want {
		t.Errorf("title span = %+v, want %+v", title.Span, want)
	}
	if k := root.Get("metadata").Pair("title").KeySpan; k != (Span{5, 3, 5, 8}) {
		t.Errorf("title key span = %+v", k)
	}
}

func TestParseTabIndentation(t *testing.T) {
	f := parseSrc(t, "kind: A\nmetadata:\n\tname: x\n", Options{})
	if len(f.Docs) != 1 {
		t.Fatalf("want 1 document, got %d", len(f.Docs))
	}
	wantOneDiag(t, f.Docs[0].Diags, RuleYAML, diag.Error, 3)
	if f.Docs[0].Root != nil {
		t.Error("want no root")
	}
}

func TestParseNonMapping(t *testing.T) {
	tests := []struct {
		src  string
		kind Kind
		text string
	}{
		{"- a\n- b\n", Seq, ""},
		{"just a string\n", String, "just a string"},
		{"42\n", Number, "42"},
		{"true\n", Bool, "true"},
		{"'quoted'\n", String, "quoted"},
		{"[]\n", Seq, ""},
		{"{}\n", Map, ""},
		{"!!null\n", Null, ""},
	}
	for _, tt := range tests {
		f := parseSrc(t, tt.src, Options{})
		wantNoDiags(t, f)
		if len(f.Docs) != 1 {
			t.Fatalf("%q: want 1 document, got %d", tt.src, len(f.Docs))
		}
		r := f.Docs[0].Root
		if r == nil || r.Kind != tt.kind || r.Text != tt.text {
			t.Errorf("%q: root = %+v, want %v %q", tt.src, r, tt.kind, tt.text)
		}
	}
}

func TestParseSizeCap(t *testing.T) {
	src := "kind: Component\n" // 16 bytes
	f := parseSrc(t, src, Options{MaxFileSize: 15})
	wantOneDiag(t, f.Diags, RuleFile, diag.Error, 0, "over the limit of 15 bytes")
	if len(f.Docs) != 0 || f.Src != nil {
		t.Errorf("an input over the cap should not be parsed")
	}
	f = parseSrc(t, src, Options{MaxFileSize: 16})
	wantNoDiags(t, f)
	if len(f.Docs) != 1 {
		t.Errorf("an input at the cap is read")
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "catalog-info.yaml")
	writeFile(t, p, src)
	f = ReadFile(p, "shown.yaml", Options{MaxFileSize: 10})
	d := wantOneDiag(t, f.Diags, RuleFile, diag.Error, 0, "16 bytes", "limit of 10")
	if d.File != "shown.yaml" {
		t.Errorf("file = %q, want the display name", d.File)
	}
	f = ReadFile(p, "shown.yaml", Options{})
	wantNoDiags(t, f)
	if len(f.Docs) != 1 || f.Docs[0].Root.GetString("kind") != "Component" {
		t.Errorf("ReadFile did not read the document")
	}
}

func TestReadFileProblems(t *testing.T) {
	dir := t.TempDir()
	f := ReadFile(filepath.Join(dir, "missing.yaml"), "missing.yaml", Options{})
	d := wantOneDiag(t, f.Diags, RuleFile, diag.Error, 0, "cannot read")
	if strings.Contains(d.Message, dir) {
		t.Errorf("message should not repeat the path: %q", d.Message)
	}
	f = ReadFile(dir, "dir", Options{})
	wantOneDiag(t, f.Diags, RuleFile, diag.Error, 0, "directory")
}

func TestReadFileRoot(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(repo, "a", "b", "catalog-info.yaml")
	writeFile(t, p, "kind: A\n")
	if got := RepoRoot(p); got != repo {
		t.Errorf("RepoRoot = %q, want %q", got, repo)
	}
	if f := ReadFile(p, "x", Options{}); f.Root != repo {
		t.Errorf("File.Root = %q, want %q", f.Root, repo)
	}
	if f := ReadFile(p, "x", Options{Root: filepath.Join(repo, "a")}); f.Root != filepath.Join(repo, "a") {
		t.Errorf("Options.Root should win: %q", f.Root)
	}
	// A file outside --root is confined to its own repository.
	if f := ReadFile(p, "x", Options{Root: "/somewhere"}); f.Root != repo || len(f.Diags) != 0 {
		t.Errorf("File.Root = %q (%v), want %q", f.Root, f.Diags, repo)
	}
	lone := t.TempDir()
	q := filepath.Join(lone, "catalog-info.yaml")
	writeFile(t, q, "kind: A\n")
	if got := RepoRoot(q); got != lone {
		t.Errorf("RepoRoot without .git = %q, want the file's folder %q", got, lone)
	}
}

// ---------------------------------------------------------------------------
// Typing and positions

func TestParseYAML12CoreTyping(t *testing.T) {
	tests := []struct {
		value string
		kind  Kind
		text  string
	}{
		{"yes", String, "yes"},
		{"no", String, "no"},
		{"on", String, "on"},
		{"off", String, "off"},
		{"y", String, "y"},
		{"true", Bool, "true"},
		{"True", Bool, "true"},
		{"FALSE", Bool, "false"},
		{"tRUE", String, "tRUE"},
		{"010", Number, "10"},
		{"007", Number, "7"},
		{"1_000", String, "1_000"},
		{"0x1F", Number, "31"},
		{"0o17", Number, "15"},
		{"017", Number, "17"},
		{"0b101", String, "0b101"},
		{"+12", Number, "12"},
		{"-12", Number, "-12"},
		{"12345678901234567890123", Number, "12345678901234567890123"},
		{"1.0", Number, "1"},
		{"1.5", Number, "1.5"},
		{".5", Number, "0.5"},
		{"1e3", Number, "1000"},
		{"1.", Number, "1"},
		{".inf", Number, "1e999"},
		{"-.Inf", Number, "-1e999"},
		{"+.INF", Number, "1e999"},
		{"2021-01-01", String, "2021-01-01"},
		{"2021-01-01T10:00:00Z", String, "2021-01-01T10:00:00Z"},
		{"12:30", String, "12:30"},
		{"~", Null, ""},
		{"null", Null, ""},
		{"NULL", Null, ""},
		{"", Null, ""},
		{`"123"`, String, "123"},
		{`'true'`, String, "true"},
		{`"null"`, String, "null"},
		{`""`, String, ""},
		{"!!str 123", String, "123"},
		{"!!str true", String, "true"},
		{"v1.2.3", String, "v1.2.3"},
		{"1.2.3", String, "1.2.3"},
	}
	var src strings.Builder
	for i, tt := range tests {
		fmt.Fprintf(&src, "k%d: %s\n", i, tt.value)
	}
	f := parseSrc(t, src.String(), Options{})
	wantNoDiags(t, f)
	root := f.Docs[0].Root
	for i, tt := range tests {
		n := root.Get(fmt.Sprintf("k%d", i))
		if n == nil {
			t.Errorf("%q: missing", tt.value)
			continue
		}
		if n.Kind != tt.kind || n.Text != tt.text {
			t.Errorf("%q: got %v %q, want %v %q", tt.value, n.Kind, n.Text, tt.kind, tt.text)
		}
	}
}

func TestParseKeysAreStrings(t *testing.T) {
	f := parseSrc(t, "1: a\ntrue: b\nnull: c\n010: d\n", Options{})
	wantNoDiags(t, f)
	var keys []string
	for _, p := range f.Docs[0].Root.Map {
		keys = append(keys, p.Key)
	}
	if want := []string{"1", "true", "", "10"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
}

func TestParseSpans(t *testing.T) {
	src := strings.Join([]string{
		`name: plain value`,               // 1
		`q: "quoted \" x"   # comment`,    // 2
		`s: 'it''s'`,                      // 3
		`u: héllo wörld`,                  // 4
		`ключ: значение`,                  // 5
		`e: 😀x`,                           // 6
		`tags: [a, bb, "c"]`,              // 7
		`nested:`,                         // 8
		`  deeper: 12 # trailing comment`, // 9
		`  list:`,                         // 10
		`    - item`,                      // 11
		`block: |`,                        // 12
		`  text`,                          // 13
	}, "\n") + "\n"
	f := parseSrc(t, src, Options{})
	wantNoDiags(t, f)
	root := f.Docs[0].Root

	keySpan := func(n *Node, k string) Span {
		t.Helper()
		p := n.Pair(k)
		if p == nil {
			t.Fatalf("no key %q", k)
		}
		return p.KeySpan
	}
	tests := []struct {
		what      string
		got, want Span
	}{
		{"root", root.Span, Span{1, 1, 1, 18}},
		{"key name", keySpan(root, "name"), Span{1, 1, 1, 5}},
		{"plain", root.Get("name").Span, Span{1, 7, 1, 18}},
		{"double quoted", root.Get("q").Span, Span{2, 4, 2, 17}},
		{"single quoted", root.Get("s").Span, Span{3, 4, 3, 11}},
		{"unicode plain", root.Get("u").Span, Span{4, 4, 4, 15}},
		{"unicode key", keySpan(root, "ключ"), Span{5, 1, 5, 5}},
		{"unicode value", root.Get("ключ").Span, Span{5, 7, 5, 15}},
		{"emoji value", root.Get("e").Span, Span{6, 4, 6, 6}},
		{"flow seq", root.Get("tags").Span, Span{7, 7, 7, 19}},
		{"flow item a", root.Get("tags").Seq[0].Span, Span{7, 8, 7, 9}},
		{"flow item bb", root.Get("tags").Seq[1].Span, Span{7, 11, 7, 13}},
		{"flow item c", root.Get("tags").Seq[2].Span, Span{7, 15, 7, 18}},
		{"nested map", root.Get("nested").Span, Span{9, 3, 9, 13}},
		{"nested key", keySpan(root.Get("nested"), "deeper"), Span{9, 3, 9, 9}},
		{"number", root.Get("nested").Get("deeper").Span, Span{9, 11, 9, 13}},
		{"block list item", root.Get("nested").Get("list").Seq[0].Span, Span{11, 7, 11, 11}},
		{"block scalar", root.Get("block").Span, Span{12, 8, 12, 9}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: span %+v, want %+v", tt.what, tt.got, tt.want)
		}
	}
	if got := root.GetString("q"); got != `quoted " x` {
		t.Errorf("q = %q", got)
	}
	if got := root.GetString("block"); got != "text\n" {
		t.Errorf("block = %q", got)
	}
	if got := root.GetString("e"); got != "😀x" {
		t.Errorf("e = %q", got)
	}
	pos := f.Pos(root.Get("name").Span)
	if pos != (diag.Pos{File: "catalog-info.yaml", Line: 1, Column: 7, EndLine: 1, EndColumn: 18}) {
		t.Errorf("Pos = %+v", pos)
	}
}

func TestParseDocIndexAndLine(t *testing.T) {
	src := strings.Join([]string{
		"# leading comment",    // 1
		"# another",            // 2
		"",                     // 3
		"---",                  // 4
		"# comment in doc 1",   // 5
		"apiVersion: v1",       // 6
		"kind: A",              // 7
		"---",                  // 8
		"",                     // 9
		"kind: B",              // 10
		"...",                  // 11
		"%YAML 1.1",            // 12
		"---",                  // 13
		"# c",                  // 14
		"kind: C",              // 15
		"---",                  // 16
		"---",                  // 17
		"- a list",             // 18
		"--- # marker comment", // 19
		"kind: E",              // 20
	}, "\n") + "\n"
	f := parseSrc(t, src, Options{})
	wantNoDiags(t, f)
	type docInfo struct {
		Index, Line int
		Kind        string
	}
	var got []docInfo
	for _, d := range f.Docs {
		got = append(got, docInfo{d.Index, d.Line, d.Root.GetString("kind")})
	}
	want := []docInfo{{1, 6, "A"}, {2, 10, "B"}, {3, 15, "C"}, {4, 18, ""}, {5, 20, "E"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documents = %+v, want %+v", got, want)
	}
}

func TestParseDocLineOfBrokenDoc(t *testing.T) {
	src := "kind: A\n---\n# comment\n\nkind: [\n"
	f := parseSrc(t, src, Options{})
	if len(f.Docs) != 2 {
		t.Fatalf("want 2 documents, got %d", len(f.Docs))
	}
	if d := f.Docs[1]; d.Index != 2 || d.Line != 5 {
		t.Errorf("broken doc Index=%d Line=%d, want 2, 5", d.Index, d.Line)
	}
}

// Backstage's YAML parser (the npm "yaml" package) accepts the %YAML 1.2
// directive, the version its core schema implements, and only warns about
// other versions and unknown directives; a catalog file that declares them
// is valid. gopkg.in/yaml.v3 accepts only %YAML 1.1.
func TestParseYAMLDirectives(t *testing.T) {
	for _, directive := range []string{"%YAML 1.2", "%YAML 1.1", "%FOO bar"} {
		t.Run(directive, func(t *testing.T) {
			src := "# header\n" + directive + "\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\n"
			f := parseSrc(t, src, Options{})
			wantNoDiags(t, f)
			if len(f.Docs) != 1 || f.Docs[0].Root == nil {
				t.Fatalf("want one parsed document, got %d", len(f.Docs))
			}
			if d := f.Docs[0]; d.Line != 4 || d.Root.GetString("kind") != "Component" {
				t.Errorf("doc Line=%d kind=%q, want 4, Component", d.Line, d.Root.GetString("kind"))
			}
		})
	}
}

// Lines holding only white space (tabs included) or a comment after tabs
// are blank lines, which Backstage accepts anywhere; gopkg.in/yaml.v3 calls
// the tab an indentation error.
func TestParseWhitespaceOnlyLines(t *testing.T) {
	for name, src := range map[string]string{
		"tab-only line":        "a: 1\n\t\nb: 2\n",
		"spaces and tab":       "a: 1\n  \t \nb: 2\n",
		"tab before a comment": "a: 1\n\t# comment\nb: 2\n",
	} {
		t.Run(name, func(t *testing.T) {
			f := parseSrc(t, src, Options{})
			wantNoDiags(t, f)
			if got := f.Docs[0].Root.Value(); !reflect.DeepEqual(got, map[string]any{"a": json.Number("1"), "b": json.Number("2")}) {
				t.Errorf("value = %#v", got)
			}
		})
	}
	f := parseSrc(t, "\n\t\n", Options{})
	wantNoDiags(t, f)
	if len(f.Docs) != 0 {
		t.Errorf("a stream of blank lines has no documents")
	}
}

// YAML 1.2, which Backstage's parser implements, has only LF and CR as line
// breaks; NEL, U+2028 and U+2029 are ordinary characters. gopkg.in/yaml.v3
// follows YAML 1.1 and breaks lines at them, which changes values, verdicts
// and the line of everything after them.
func TestParseUnicodeLineBreaks(t *testing.T) {
	for _, sep := range []string{"\u0085", "\u2028", "\u2029"} {
		t.Run(fmt.Sprintf("%U", []rune(sep)[0]), func(t *testing.T) {
			// Inside a value: one string, valid.
			f := parseSrc(t, "a: x"+sep+"y\nb: 1\nc: [\n", Options{})
			ds := allDiags(f)
			if len(ds) != 1 || ds[0].Rule != RuleYAML || ds[0].Line < 3 || ds[0].Line > 4 {
				t.Errorf("want only the error of the flow sequence on line 3 (4 is the end):%s", fmtDiags(ds))
			}
			f = parseSrc(t, "a: x"+sep+"y\nb: 1\n", Options{})
			wantNoDiags(t, f)
			if got := f.Docs[0].Root.GetString("a"); got != "x"+sep+"y" {
				t.Errorf("a = %q", got)
			}
			if n := f.Docs[0].Root.Get("b"); n.Span.Line != 2 {
				t.Errorf("b on line %d, want 2", n.Span.Line)
			}
			// Between two pairs: not a line break, so a syntax error.
			f = parseSrc(t, "a: 1"+sep+"b: 2\n", Options{})
			if ds := allDiags(f); len(ds) != 1 || ds[0].Rule != RuleYAML {
				t.Errorf("want a yaml error:%s", fmtDiags(ds))
			}
			// At the start of a document: part of a plain scalar on line 1.
			f = parseSrc(t, sep+"0", Options{})
			wantNoDiags(t, f)
			if d := f.Docs[0]; d.Line != 1 || d.Root.Text != sep+"0" {
				t.Errorf("Line=%d text=%q", d.Line, d.Root.Text)
			}
		})
	}
}

// An explicit core tag applies to a quoted scalar too: Backstage reads
// `!!int "12"` as the number 12.
func TestParseExplicitTagOnQuotedScalar(t *testing.T) {
	f := parseSrc(t, "a: !!int \"12\"\nb: !!float '1.5'\nc: !!bool \"true\"\nd: !!str \"x\"\n", Options{})
	wantNoDiags(t, f)
	root := f.Docs[0].Root
	for key, want := range map[string]Node{
		"a": {Kind: Number, Text: "12"},
		"b": {Kind: Number, Text: "1.5"},
		"c": {Kind: Bool, Text: "true"},
		"d": {Kind: String, Text: "x"},
	} {
		if n := root.Get(key); n.Kind != want.Kind || n.Text != want.Text {
			t.Errorf("%s: got %v %q, want %v %q", key, n.Kind, n.Text, want.Kind, want.Text)
		}
	}
}

// A collection used as a map key becomes the string JavaScript's yaml
// package makes of it, in flow style with spaces inside the brackets.
func TestParseCollectionKeyText(t *testing.T) {
	f := parseSrc(t, "? [a, b]\n: 1\n? {a: 1}\n: 2\n? []\n: 3\n? {}\n: 4\n", Options{})
	wantNoDiags(t, f)
	var keys []string
	for _, p := range f.Docs[0].Root.Map {
		keys = append(keys, p.Key)
	}
	if want := []string{"[ a, b ]", "{ a: 1 }", "[]", "{}"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
}

// The line of a syntax error should be the line of the offending text.
// gopkg.in/yaml.v3 reports parser errors (as opposed to scanner errors) with
// a 0-based line, one line too early, and without a line when it is the
// first.
func TestYAMLErrorLine(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		lines []int // acceptable lines
	}{
		{"value after value", "a: 1\nb: c: d\n", []int{2}},
		{"tab indentation", "a: 1\nmetadata:\n\tname: x\n", []int{3}},
		{"over-indented key", "kind: X\nmetadata:\n  name: a\n   bad: 1\n", []int{4}},
		{"unterminated quote", "a: 1\nb: \"open\nc: 2\n", []int{2, 3, 4}},
		{"backtick", "a: 1\nb: `x`\n", []int{2}},
		{"list after map", "x: 1\ny: 2\nz: 3\n- a\n", []int{4}},
		{"map after list", "- a\nb: 1\n", []int{2}},
		{"under-indented key", "a:\n  b: 1\n c: 2\n", []int{3}},
		{"unclosed flow sequence", "a: 1\nb: [1, 2\nc: 2\n", []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parseSrc(t, tt.src, Options{})
			ds := allDiags(f)
			if len(ds) != 1 || ds[0].Rule != RuleYAML {
				t.Fatalf("want one yaml diagnostic:%s", fmtDiags(ds))
			}
			ok := false
			for _, l := range tt.lines {
				ok = ok || ds[0].Line == l
			}
			if !ok {
				t.Errorf("error on line %d, want one of %v:%s", ds[0].Line, tt.lines, fmtDiags(ds))
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Placeholders

type phTree struct {
	root, dir, outside string
}

func newPlaceholderTree(t *testing.T) phTree {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "svc")
	outside := t.TempDir()
	writeFile(t, filepath.Join(dir, "README.md"), "hello\n")
	writeFile(t, filepath.Join(dir, "api.json"), `{"openapi": "3.0.0", "info": {"title": "Pets", "version": 1.5}, "tags": ["a", true, null]}`)
	writeFile(t, filepath.Join(dir, "bad.json"), `{"openapi": `)
	writeFile(t, filepath.Join(dir, "two.json"), `{} {}`)
	writeFile(t, filepath.Join(dir, "one.yaml"), "# one doc\nowner: team-a\nlist: [x, 010]\n")
	writeFile(t, filepath.Join(dir, "two.yaml"), "a: 1\n---\nb: 2\n")
	writeFile(t, filepath.Join(dir, "broken.yaml"), "a: [\n")
	writeFile(t, filepath.Join(dir, "self.yaml"), "x:\n  $yaml: ./self.yaml\n")
	writeFile(t, filepath.Join(dir, "ping.yaml"), "x:\n  $yaml: ./pong.yaml\n")
	writeFile(t, filepath.Join(dir, "pong.yaml"), "y:\n  $yaml: ./ping.yaml\n")
	writeFile(t, filepath.Join(root, "shared", "doc.md"), "shared\n")
	writeFile(t, filepath.Join(outside, "secret.txt"), "secret\n")
	return phTree{root: root, dir: dir, outside: outside}
}

func (p phTree) parse(t *testing.T, src string, opts Options) *File {
	t.Helper()
	return Parse(strings.NewReader(src), "catalog-info.yaml", p.dir, p.root, opts)
}

func TestPlaceholderText(t *testing.T) {
	p := newPlaceholderTree(t)
	f := p.parse(t, "spec:\n  readme:\n    $text: ./README.md\n  shared:\n    $text: ../shared/doc.md\n", Options{})
	wantNoDiags(t, f)
	spec := f.Docs[0].Root.Get("spec")
	n := spec.Get("readme")
	if n.Kind != String || n.Text != "hello\n" {
		t.Fatalf("readme = %+v", n)
	}
	if n.Placeholder() != "$text" || filepath.Base(n.PlaceholderFile()) != "README.md" {
		t.Errorf("placeholder info = %q %q", n.Placeholder(), n.PlaceholderFile())
	}
	if n.Span.Line != 3 || n.Span.Column != 5 {
		t.Errorf("the value stands where the placeholder was: %+v", n.Span)
	}
	if got := spec.GetString("shared"); got != "shared\n" {
		t.Errorf("shared = %q", got)
	}
}

func TestPlaceholderTextInList(t *testing.T) {
	p := newPlaceholderTree(t)
	f := p.parse(t, "items:\n  - $text: ./README.md\n  - plain\n", Options{})
	wantNoDiags(t, f)
	items := f.Docs[0].Root.Get("items")
	if items.Seq[0].Text != "hello\n" || items.Seq[1].Text != "plain" {
		t.Errorf("items = %+v %+v", items.Seq[0], items.Seq[1])
	}
}

func TestPlaceholderJSON(t *testing.T) {
	p := newPlaceholderTree(t)
	f := p.parse(t, "spec:\n  definition:\n    $json: ./api.json\n", Options{})
	wantNoDiags(t, f)
	def := f.Docs[0].Root.Get("spec").Get("definition")
	if def.Kind != Map || def.Placeholder() != "$json" {
		t.Fatalf("definition = %+v", def)
	}
	if got := def.GetString("openapi"); got != "3.0.0" {
		t.Errorf("openapi = %q", got)
	}
	if v := def.Get("info").Get("version"); v.Kind != Number || v.Text != "1.5" {
		t.Errorf("version = %+v", v)
	}
	tags := def.Get("tags")
	if tags.Kind != Seq || len(tags.Seq) != 3 || tags.Seq[1].Kind != Bool || tags.Seq[2].Kind != Null {
		t.Errorf("tags = %+v", tags)
	}

	f = p.parse(t, "a:\n  $json: ./bad.json\n", Options{})
	wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 2, "not valid JSON")
	if a := f.Docs[0].Root.Get("a"); a.Kind != Map || a.GetString("$json") != "./bad.json" {
		t.Errorf("an unresolved placeholder is left as it is: %+v", a)
	}

	f = p.parse(t, "a:\n  $json: ./two.json\n", Options{})
	wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 2, "after the JSON value")
}

func TestPlaceholderYAML(t *testing.T) {
	p := newPlaceholderTree(t)
	f := p.parse(t, "spec:\n  $yaml: ./one.yaml\n", Options{})
	wantNoDiags(t, f)
	spec := f.Docs[0].Root.Get("spec")
	if spec.Kind != Map || spec.GetString("owner") != "team-a" || spec.Placeholder() != "$yaml" {
		t.Fatalf("spec = %+v", spec)
	}
	if l := spec.Get("list"); l.Seq[1].Kind != Number || l.Seq[1].Text != "10" {
		t.Errorf("$yaml content is typed by the core schema: %+v", l.Seq[1])
	}
	if spec.Get("owner").Span.Line != 2 {
		t.Errorf("content takes the placeholder's position: %+v", spec.Get("owner").Span)
	}

	f = p.parse(t, "spec:\n  $yaml: ./two.yaml\n", Options{})
	wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 2, "exactly one", "found 2")

	f = p.parse(t, "spec:\n  $yaml: ./broken.yaml\n", Options{})
	wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 2, "broken.yaml")
}

// Backstage does not resolve placeholders inside the content a placeholder
// reads; a $yaml file that names itself must neither hang nor overflow.
func TestPlaceholderYAMLSelfReference(t *testing.T) {
	p := newPlaceholderTree(t)
	for _, name := range []string{"self.yaml", "ping.yaml"} {
		var f *File
		withinTime(t, 10*time.Second, func() {
			f = p.parse(t, "spec:\n  $yaml: ./"+name+"\n", Options{})
		})
		wantNoDiags(t, f)
		inner := f.Docs[0].Root.Get("spec")
		if inner.Kind != Map || len(inner.Map) != 1 {
			t.Fatalf("%s: spec = %+v", name, inner)
		}
		nested := inner.Map[0].Value
		if nested.Kind != Map || nested.Pair("$yaml") == nil {
			t.Errorf("%s: the nested placeholder should be left alone: %+v", name, nested)
		}
	}
}

// Backstage reads a $yaml file as UTF-8 with replacement characters, as it
// does catalog files; an encoding warning of the referenced file should not
// turn into an error.
func TestPlaceholderYAMLInvalidUTF8(t *testing.T) {
	p := newPlaceholderTree(t)
	writeFile(t, filepath.Join(p.dir, "latin1.yaml"), "title: caf\xe9\n")
	f := p.parse(t, "spec:\n  $yaml: ./latin1.yaml\n", Options{})
	for _, d := range allDiags(f) {
		if d.Severity == diag.Error {
			t.Fatalf("unexpected error:%s", fmtDiags(allDiags(f)))
		}
	}
	if got := f.Docs[0].Root.Get("spec").GetString("title"); got != "caf\uFFFD" {
		t.Errorf("title = %q", got)
	}
}

func TestPlaceholderOtherKinds(t *testing.T) {
	p := newPlaceholderTree(t)
	f := p.parse(t, "a:\n  $openapi: ./api.json\nb:\n  $asyncapi: ./README.md\n", Options{})
	wantNoDiags(t, f)
	root := f.Docs[0].Root
	if a := root.Get("a"); a.Kind != String || !strings.Contains(a.Text, `"openapi"`) || a.Placeholder() != "$openapi" {
		t.Errorf("$openapi = %+v", a)
	}
	if b := root.Get("b"); b.Kind != String || b.Text != "hello\n" {
		t.Errorf("$asyncapi = %+v", b)
	}
}

func TestPlaceholderErrors(t *testing.T) {
	p := newPlaceholderTree(t)
	symlinkOK := os.Symlink(filepath.Join(p.outside, "secret.txt"), filepath.Join(p.dir, "link.txt")) == nil
	tests := []struct {
		name   string
		target string
		subs   []string
	}{
		{"missing", "./missing.txt", []string{"missing.txt", "no such file"}},
		{"dot-dot", "../../../etc/passwd", []string{"outside the repository root"}},
		{"far dot-dot", "../../../../../../../../../../etc/passwd", []string{"outside the repository root"}},
		{"absolute outside", "/etc/passwd", []string{"outside the repository root"}},
		{"absolute outside temp", filepath.Join(p.outside, "secret.txt"), []string{"outside the repository root"}},
		{"directory", "../shared", []string{"directory"}},
		{"symlink outside", "./link.txt", []string{"symlink", "outside the repository root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "symlink outside" && !symlinkOK {
				t.Skip("symlinks unsupported")
			}
			f := p.parse(t, "kind: A\nspec:\n  x:\n    $text: "+tt.target+"\n", Options{})
			d := wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 4, tt.subs...)
			if d.Column != 5 {
				t.Errorf("column = %d, want 5", d.Column)
			}
			if strings.Contains(d.Message, "secret\n") {
				t.Errorf("message leaks the file content: %q", d.Message)
			}
			x := f.Docs[0].Root.Get("spec").Get("x")
			if x.Kind != Map || x.GetString("$text") != tt.target {
				t.Errorf("an unresolved placeholder is left as it is: %+v", x)
			}
		})
	}
}

func TestPlaceholderSymlinkInsideRoot(t *testing.T) {
	p := newPlaceholderTree(t)
	symlinkOrSkip(t, filepath.Join(p.root, "shared", "doc.md"), filepath.Join(p.dir, "doc-link.md"))
	f := p.parse(t, "x:\n  $text: ./doc-link.md\n", Options{})
	wantNoDiags(t, f)
	if got := f.Docs[0].Root.GetString("x"); got != "shared\n" {
		t.Errorf("x = %q", got)
	}
}

func TestPlaceholderSizeCap(t *testing.T) {
	p := newPlaceholderTree(t)
	writeFile(t, filepath.Join(p.dir, "big.txt"), strings.Repeat("x", 500))
	f := p.parse(t, "x:\n  $text: ./big.txt\n", Options{MaxFileSize: 100})
	wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Error, 2, "over the limit")
}

func TestPlaceholderLeftAlone(t *testing.T) {
	p := newPlaceholderTree(t)
	tests := []struct {
		name string
		src  string
		keys []string
	}{
		{"two keys", "x:\n  $text: ./README.md\n  other: 1\n", []string{"$text", "other"}},
		{"two placeholders", "x:\n  $text: ./README.md\n  $json: ./api.json\n", []string{"$text", "$json"}},
		{"json schema ref", "x:\n  $ref: '#/definitions/node'\n", []string{"$ref"}},
		{"unknown resolver", "x:\n  $foo: ./README.md\n", []string{"$foo"}},
		{"non-string value", "x:\n  $text: 42\n", []string{"$text"}},
		{"list value", "x:\n  $text: [./README.md]\n", []string{"$text"}},
		{"null value", "x:\n  $text:\n", []string{"$text"}},
		{"case matters", "x:\n  $TEXT: ./README.md\n", []string{"$TEXT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := p.parse(t, tt.src, Options{})
			wantNoDiags(t, f)
			x := f.Docs[0].Root.Get("x")
			if x.Kind != Map || x.Placeholder() != "" {
				t.Fatalf("x = %+v", x)
			}
			var keys []string
			for _, pr := range x.Map {
				keys = append(keys, pr.Key)
			}
			if !reflect.DeepEqual(keys, tt.keys) {
				t.Errorf("keys = %q, want %q", keys, tt.keys)
			}
		})
	}
}

func TestPlaceholderRemote(t *testing.T) {
	p := newPlaceholderTree(t)
	for _, url := range []string{
		"https://example.invalid/docs/README.md",
		"http://127.0.0.1:1/never",
		"git+ssh://example.invalid/x",
	} {
		var f *File
		withinTime(t, 5*time.Second, func() {
			f = p.parse(t, "x:\n  $text: "+url+"\n", Options{})
		})
		wantOneDiag(t, allDiags(f), RulePlaceholder, diag.Notice, 2, "not fetched", url)
		x := f.Docs[0].Root.Get("x")
		if x.Kind != String || x.Text != url || x.Placeholder() != "$text" || x.PlaceholderFile() != url {
			t.Errorf("%s: x = %+v", url, x)
		}
	}
}

// ---------------------------------------------------------------------------
// Discovery

type discTree struct{ root string }

func newDiscTree(t *testing.T) discTree {
	t.Helper()
	root := t.TempDir()
	for _, f := range []string{
		"catalog-info.yaml",
		"a/catalog-info.yml",
		"a/other.yaml",
		"a/Catalog-Info.yaml", // names are case-sensitive
		"b/c/catalog-info.yaml",
		"vendor/lib/catalog-info.yaml",
		".git/catalog-info.yaml",
		"node_modules/pkg/catalog-info.yaml",
		"templates/t1/skeleton/catalog-info.yaml",
		"templates/t1/template.yaml",
	} {
		writeFile(t, filepath.Join(root, filepath.FromSlash(f)), "kind: A\n")
	}
	return discTree{root: root}
}

func (d discTree) p(rel string) string { return filepath.Join(d.root, filepath.FromSlash(rel)) }

func targetPaths(ts []Target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Path)
	}
	return out
}

func TestDiscoverWalk(t *testing.T) {
	d := newDiscTree(t)
	ig, err := NewIgnorer(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Discover([]string{d.root}, ig)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		d.p("a/catalog-info.yml"),
		d.p("b/c/catalog-info.yaml"),
		d.p("catalog-info.yaml"),
		d.p("vendor/lib/catalog-info.yaml"),
	}
	if !reflect.DeepEqual(targetPaths(got), want) {
		t.Errorf("Discover = %q, want %q", targetPaths(got), want)
	}
	for _, tg := range got {
		if tg.Display != tg.Path {
			t.Errorf("walked file display %q != path %q", tg.Display, tg.Path)
		}
	}
}

func TestDiscoverNoDefaultIgnores(t *testing.T) {
	d := newDiscTree(t)
	ig, err := NewIgnorer(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Discover([]string{d.root}, ig)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Errorf("want all 7 catalog files, got %q", targetPaths(got))
	}
	// A nil Ignorer ignores nothing.
	got, err = Discover([]string{d.root}, nil)
	if err != nil || len(got) != 7 {
		t.Errorf("nil Ignorer: %q, %v", targetPaths(got), err)
	}
}

func TestDiscoverExtraIgnores(t *testing.T) {
	d := newDiscTree(t)
	for _, globs := range [][]string{
		{"vendor", "b/c"},
		{"vendor/", "b/**"},
		{"**/lib", "c"},
	} {
		ig, err := NewIgnorer(globs, true)
		if err != nil {
			t.Fatalf("%q: %v", globs, err)
		}
		got, err := Discover([]string{d.root}, ig)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{d.p("a/catalog-info.yml"), d.p("catalog-info.yaml")}
		if !reflect.DeepEqual(targetPaths(got), want) {
			t.Errorf("ignore %q: Discover = %q, want %q", globs, targetPaths(got), want)
		}
	}
	// A file-name glob.
	ig, _ := NewIgnorer([]string{"*.yml"}, true)
	got, _ := Discover([]string{d.root}, ig)
	for _, p := range targetPaths(got) {
		if strings.HasSuffix(p, ".yml") {
			t.Errorf("*.yml should be ignored: %q", p)
		}
	}
	if _, err := NewIgnorer([]string{"[unclosed"}, true); err == nil {
		t.Error("an invalid glob should be refused")
	} else {
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("want *UsageError, got %T", err)
		}
	}
}

func TestDiscoverExplicitFile(t *testing.T) {
	d := newDiscTree(t)
	ig, _ := NewIgnorer(nil, true)
	// Any name, even one the walk would skip or the ignorer matches.
	for _, rel := range []string{"a/other.yaml", "templates/t1/template.yaml", "node_modules/pkg/catalog-info.yaml"} {
		got, err := Discover([]string{d.p(rel)}, ig)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if len(got) != 1 || got[0].Path != d.p(rel) {
			t.Errorf("%s: Discover = %q", rel, targetPaths(got))
		}
	}
	// Duplicates, whether named twice or found by a walk too, appear once.
	got, err := Discover([]string{d.p("catalog-info.yaml"), d.root, d.p("catalog-info.yaml")}, ig)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Errorf("want 4 unique files, got %q", targetPaths(got))
	}
	got, err = Discover([]string{Stdin}, ig)
	if err != nil || len(got) != 1 || got[0].Path != Stdin || got[0].Display != "<stdin>" {
		t.Errorf("stdin: %+v %v", got, err)
	}
}

func TestDiscoverGlob(t *testing.T) {
	d := newDiscTree(t)
	ig, _ := NewIgnorer(nil, true)
	got, err := Discover([]string{d.p("*/catalog-info.yml")}, ig)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{d.p("a/catalog-info.yml")}; !reflect.DeepEqual(targetPaths(got), want) {
		t.Errorf("glob = %q, want %q", targetPaths(got), want)
	}
	if got[0].Display != filepath.Clean(got[0].Path) {
		t.Errorf("display %q", got[0].Display)
	}

	_, err = Discover([]string{d.p("nothing-*.yaml")}, ig)
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("a glob matching nothing: want *UsageError, got %T %v", err, err)
	}
	if !strings.Contains(ue.Msg, "matches no file") {
		t.Errorf("message %q", ue.Msg)
	}
}

// The ignorer applies to what a glob argument matches as it does to a walk:
// a "**" glob must not bring in files below .git, node_modules or a
// skeleton folder, nor below a folder named by --ignore.
func TestDiscoverGlobHonoursIgnores(t *testing.T) {
	d := newDiscTree(t)
	ig, err := NewIgnorer([]string{"vendor"}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/catalog-info.yml", "b/c/catalog-info.yaml", "catalog-info.yaml"}
	t.Run("relative pattern", func(t *testing.T) {
		t.Chdir(d.root)
		got, err := Discover([]string{"**/catalog-info.y*ml"}, ig)
		if err != nil {
			t.Fatal(err)
		}
		var rel []string
		for _, p := range targetPaths(got) {
			rel = append(rel, filepath.ToSlash(p))
		}
		if !reflect.DeepEqual(rel, want) {
			t.Errorf("glob = %q, want %q", rel, want)
		}
	})
	t.Run("absolute pattern", func(t *testing.T) {
		got, err := Discover([]string{d.p("**/catalog-info.y*ml")}, ig)
		if err != nil {
			t.Fatal(err)
		}
		var abs []string
		for _, w := range want {
			abs = append(abs, d.p(w))
		}
		if !reflect.DeepEqual(targetPaths(got), abs) {
			t.Errorf("glob = %q, want %q", targetPaths(got), abs)
		}
	})
}

func TestDiscoverMissingPath(t *testing.T) {
	d := newDiscTree(t)
	_, err := Discover([]string{d.p("does/not/exist.yaml")}, nil)
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("want *UsageError, got %T %v", err, err)
	}
	if !strings.Contains(ue.Error(), "no such file") {
		t.Errorf("message %q", ue.Error())
	}
	// A missing path among good ones still fails the whole call.
	if _, err := Discover([]string{d.root, d.p("nope")}, nil); !errors.As(err, &ue) {
		t.Errorf("want *UsageError, got %T %v", err, err)
	}
}

func TestDiscoverSymlinkLoop(t *testing.T) {
	d := newDiscTree(t)
	symlinkOrSkip(t, d.root, d.p("a/loop"))
	symlinkOrSkip(t, "..", d.p("b/up"))
	ig, _ := NewIgnorer(nil, true)
	var got []Target
	var err error
	withinTime(t, 20*time.Second, func() { got, err = Discover([]string{d.root}, ig) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Errorf("want the 4 real files, got %q", targetPaths(got))
	}
	withinTime(t, 20*time.Second, func() { got, err = Discover([]string{d.p("**/catalog-info.yaml")}, nil) })
	if err != nil {
		t.Fatal(err)
	}
	// Every real .yaml file once, none reached through a link.
	if len(got) != 6 {
		t.Errorf("glob: want the 6 real .yaml files, got %q", targetPaths(got))
	}
	for _, p := range targetPaths(got) {
		rel, _ := filepath.Rel(d.root, p)
		for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
			if part == "loop" || part == "up" {
				t.Errorf("glob followed a link: %q", p)
			}
		}
	}
}

func TestExpandTarget(t *testing.T) {
	d := newDiscTree(t)
	from := d.p("a/catalog-info.yml")

	got, err := ExpandTarget(from, "../b/c/catalog-info.yaml", d.root)
	if err != nil || !reflect.DeepEqual(got, []string{d.p("b/c/catalog-info.yaml")}) {
		t.Errorf("relative target: %q %v", got, err)
	}
	got, err = ExpandTarget(from, "./missing.yaml", d.root)
	if err != nil || !reflect.DeepEqual(got, []string{d.p("a/missing.yaml")}) {
		t.Errorf("a plain path is returned whether or not it exists: %q %v", got, err)
	}
	got, err = ExpandTarget(d.p("catalog-info.yaml"), "./*/catalog-info.yml", d.root)
	if err != nil || !reflect.DeepEqual(got, []string{d.p("a/catalog-info.yml")}) {
		t.Errorf("glob: %q %v", got, err)
	}
	got, err = ExpandTarget(d.p("catalog-info.yaml"), "./**/catalog-info.yaml", d.root)
	if err != nil || len(got) < 3 {
		t.Errorf("** glob: %q %v", got, err)
	}
	got, err = ExpandTarget(from, "./nothing-*.yaml", d.root)
	if err != nil || len(got) != 0 {
		t.Errorf("a glob matching nothing: %q %v", got, err)
	}
	got, err = ExpandTarget(from, d.p("b/c/catalog-info.yaml"), d.root)
	if err != nil || len(got) != 1 {
		t.Errorf("absolute inside root: %q %v", got, err)
	}

	for _, target := range []string{"../../outside.yaml", "../../../../../../etc/passwd", "/etc/passwd", "../../*/catalog-info.yaml", "../.."} {
		if got, err := ExpandTarget(from, target, d.root); err == nil {
			t.Errorf("%q: want an error, got %q", target, got)
		} else if !strings.Contains(err.Error(), "outside the repository root") {
			t.Errorf("%q: error %q", target, err)
		}
	}
}

// Backstage's file locations expand globs with the glob package's defaults,
// under which '*' and '**' do not match names that start with a dot.
func TestExpandTargetSkipsDotFiles(t *testing.T) {
	d := newDiscTree(t)
	got, err := ExpandTarget(d.p("catalog-info.yaml"), "./*/catalog-info.yaml", d.root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if strings.Contains(filepath.ToSlash(p), "/.git/") {
			t.Errorf("'*' matched a dot folder: %q", p)
		}
	}
	// Named explicitly, a dot folder is matched.
	got, err = ExpandTarget(d.p("catalog-info.yaml"), "./.git/*.yaml", d.root)
	if err != nil || len(got) != 1 {
		t.Errorf("explicit dot folder: %q %v", got, err)
	}
}

func TestIgnorerMatch(t *testing.T) {
	ig, err := NewIgnorer([]string{"docs/**", "*.bak"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		".git":                           true,
		".git/config":                    true,
		"a/node_modules":                 true,
		"node_modules/x/catalog.yaml":    true,
		"docs/catalog-info.yaml":         true,
		"x/file.bak":                     true,
		"catalog-info.yaml":              false,
		"skeletons/catalog-info.yaml":    false,
		"src/catalog-info.yaml":          false,
		"my-node_modules/catalog-info.y": false,
	} {
		if got := ig.Match(rel); got != want {
			t.Errorf("Match(%q) = %v, want %v", rel, got, want)
		}
	}
	var nilIg *Ignorer
	if nilIg.Match(".git") {
		t.Error("a nil Ignorer matches nothing")
	}
}

// NewIgnorer documents that a glob matches "any single folder or file
// name": a file below a folder named by a glob is ignored wherever the
// folder is. (The walk prunes folders as it goes, so this shows only for
// the files a glob argument matches.)
func TestIgnorerMatchNestedFolder(t *testing.T) {
	ig, err := NewIgnorer([]string{"vendor"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{
		"a/node_modules/x/catalog-info.yaml",
		"templates/t/skeleton/catalog-info.yaml",
		"sub/.git/catalog-info.yaml",
		"x/vendor/catalog-info.yaml",
	} {
		if !ig.Match(rel) {
			t.Errorf("Match(%q) = false, want true", rel)
		}
	}
}

// ---------------------------------------------------------------------------
// Fuzzing

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  tags: [java, c++]\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
		"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: pets\nspec:\n  definition:\n    $text: ./a.txt\n---\nkind: Group\nmetadata: {name: g}\n",
		"# c\n%YAML 1.1\n---\na: &x [1, 2]\nb: *x\n...\n---\n- x\n",
		"a: 1\n---\nb: [\n---\nc: 3\n",
		"a: 1\na: 2\n",
		"metadata:\n\tname: x\n",
		"a: \"unterminated\n",
		"a: \xff\xfe\r\n",
		"a: b\x00",
		"a: b\x07c\n",
		"\uFEFF--- !!map\n? [a, b]\n: {c: d}\n",
		"x:\n  $yaml: ./self.yaml\ny:\n  $json: ./a.json\nz:\n  $text: ../../etc/passwd\n",
		"x: |\n  line\n   more\ny: >-\n  folded\n",
		"k: 0x1F\nl: 1_000\nm: .inf\nn: ~\no: 2021-01-01\np: 1e400\n",
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
		"\r0",
		"\u20290",
		"a: 1\rb: 2\r",
		"lol0: &a0 [x, x]\nlol1: &a1 [*a0, *a0, *a0]\nlol2: [*a1, *a1, *a1]\n",
	} {
		f.Add([]byte(s))
	}
	root := f.TempDir()
	for name, content := range map[string]string{
		"a.txt":     "text\n",
		"a.json":    `{"a": [1, "x", null]}`,
		"self.yaml": "x:\n  $yaml: ./self.yaml\n",
		"one.yaml":  "a: 1\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	rules := map[string]bool{RuleFile: true, RuleYAML: true, RuleEncoding: true, RulePlaceholder: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan *File, 1)
		go func() {
			done <- Parse(strings.NewReader(string(data)), "fuzz.yaml", root, root, Options{MaxFileSize: 1 << 16})
		}()
		var file *File
		select {
		case file = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse did not finish in 10s on %d bytes", len(data))
		}
		// yaml.v3 counts a lone CR, NEL, U+2028 and U+2029 as line breaks
		// too (TestParseUnicodeLineBreaks shows why the last three are wrong).
		text := strings.ToValidUTF8(string(data), "\uFFFD")
		lines := strings.Count(text, "\n") + strings.Count(strings.ReplaceAll(text, "\r\n", ""), "\r") +
			strings.Count(text, "\u0085") + strings.Count(text, "\u2028") + strings.Count(text, "\u2029") + 1
		for _, d := range allDiags(file) {
			if !rules[d.Rule] {
				t.Fatalf("unknown rule %q: %s", d.Rule, d.Message)
			}
			if d.Line < 0 || d.Line > lines+1 {
				t.Fatalf("diagnostic line %d outside the %d-line input: %s", d.Line, lines, d.Message)
			}
			if d.File != "fuzz.yaml" {
				t.Fatalf("diagnostic file %q", d.File)
			}
		}
		prevLine := 0
		for i, d := range file.Docs {
			if d.Index != i+1 {
				t.Fatalf("doc %d has Index %d", i, d.Index)
			}
			if d.Line < 1 || d.Line > lines {
				t.Fatalf("doc %d Line %d outside the %d-line input", i+1, d.Line, lines)
			}
			if d.Line < prevLine {
				t.Fatalf("doc %d Line %d before doc %d's %d", i+1, d.Line, i, prevLine)
			}
			prevLine = d.Line
			if d.Root == nil && len(d.Diags) == 0 {
				t.Fatalf("doc %d has neither a root nor a diagnostic", i+1)
			}
			if d.Root != nil {
				_ = d.Root.Value()
			}
		}
	})
}

// A placeholder that reads the very catalog file it is in is a slip
// (spec.definition: {$text: ./api.yaml} inside api.yaml, seen in a real
// central catalog): one error at the placeholder, and the value is left
// unresolved, so no check reads the entity's own YAML as its definition.
func TestPlaceholderReadsItsOwnFile(t *testing.T) {
	p := newPlaceholderTree(t)
	for _, target := range []string{"./catalog-info.yaml", "catalog-info.yaml", "../svc/catalog-info.yaml"} {
		f := p.parse(t, "spec:\n  definition:\n    $text: "+target+"\n", Options{})
		ds := append(f.Diags, f.Docs[0].Diags...)
		if len(ds) != 1 || ds[0].Rule != RulePlaceholder || ds[0].Severity != diag.Error ||
			!strings.Contains(ds[0].Message, "this catalog file itself") || ds[0].Line != 3 {
			t.Errorf("%s: %+v", target, ds)
		}
		if def := f.Docs[0].Root.Get("spec").Get("definition"); !def.Unresolved() {
			t.Errorf("%s: definition resolved: %+v", target, def)
		}
	}
	// Another file of the folder is read as before.
	f := p.parse(t, "spec:\n  definition:\n    $text: ./README.md\n", Options{})
	wantNoDiags(t, f)
}

// yaml.v3 reports "did not find expected key" at the start of the
// enclosing mapping; the finding is on the line at fault, naming where the
// mapping starts (a cookiecutter skeleton's `description: {{ x }} more`
// in gargiolastech/backstage-catalog pointed at the line before). Also in
// a later document of the file.
func TestYAMLParserErrorAtTheFault(t *testing.T) {
	doc := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n  labels:\n    a: b\n  description: {{ moduleName }} bounded context\n  title: x\nspec:\n  type: service\n"
	for _, tc := range []struct {
		src       string
		line, ctx int
		docIndex  int
	}{
		{doc, 7, 4, 0},
		{"kind: A\nmetadata:\n  name: a\n---\n" + doc, 11, 8, 1},
	} {
		f := Parse(strings.NewReader(tc.src), "catalog-info.yaml", t.TempDir(), "", Options{})
		var ds []diag.Diagnostic
		for _, d := range f.Docs {
			ds = append(ds, d.Diags...)
		}
		want := fmt.Sprintf("YAML: did not find expected key (in the collection that starts on line %d)", tc.ctx)
		if len(ds) != 1 || ds[0].Line != tc.line || ds[0].Column != 3 || ds[0].Message != want {
			t.Errorf("%+v\nwant line %d: %s", ds, tc.line, want)
		}
	}
}
