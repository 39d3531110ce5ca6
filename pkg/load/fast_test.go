package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fastCases are hand-written inputs at the edges of what the fast reader
// takes. Each is read by both readers and must come out the same; those it
// should accept are marked so that a change that makes it give up on
// common YAML is noticed too.
var fastCases = []struct {
	src    string
	accept bool
}{
	{"a: 1\n", true},
	{"a: 1", true},
	{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  tags: [a, b, 'c d', \"e\"]\nspec:\n  type: service\n", true},
	{"a:\nb: x\n", true},
	{"a:   \n  # c\nb: x\n", true},
	{"a: # comment\nb: x\n", true},
	{"a:\n  - x\n  -\n  - y # c\n", true},
	{"a:\n- x\n- y\nb: 2\n", true},
	{"- a\n- b: c\n  d: e\n-\n  f: g\n- \n", true},
	{"a: |\n  x\n  y\nb: 1\n", true},
	{"a: |-\n  x\n\n  y\n\n\nb: 1\n", true},
	{"a: >\n  x\n  y\n\n  z\nb: 1\n", true},
	{"a: >-\n  one\n  two\n", true},
	{"a: |\n\n  x\n", true},
	{"a: |\n    # not a comment\n    ---\n  b: 1\n", false},
	{"a: |\n  # not a comment\n  x\n", true},
	{"- |\n  x\n- >\n  y\n", true},
	{"a: |\n  x", true},
	{"a: |\n  x\n\n", true},
	{"a: >\n  x\n  y", true},
	{"a: |+\n  x\n\n", false},
	{"a: |2\n   x\n", false},
	{"a: >\n  x\n   more\n  y\n", false},
	{"a: |\n  x\n   more\n  y\n", true},
	{"a: 'it''s'\nb: \"q\"\n", true},
	{"'a b': 1\n\"c\": 2\n", true},
	{"a: \"x\\ny\"\n", true},
	{`a: "\0\a\b\t\n\v\f\r\e\ \"\\\N\_\L\P\x41\u00e9\U0001F600"` + "\n", true},
	{`a: "\uD800"` + "\n", false},
	{`a: "\q"` + "\n", false},
	{`a: "\/"` + "\n", false}, // YAML 1.2 (and Backstage) allow it; yaml.v3 does not
	{`a: "\'"` + "\n", false},
	{`a: "\x4"` + "\n", false},
	{`a: "x\` + "\n  y\"\n", true},
	{`"k\tk": "\t"` + "\n", true},
	{"a: b: c\n", false},
	{"a: b:\n", false},
	{"a: x\n  y\n", true},
	{"a: x\n\n  y\n", true},
	{"a: 'x\n  y'\n", true},
	{"a: &x 1\nb: *x\n", false},
	{"a: !!str 1\n", false},
	{"a: 1\na: 2\n", false},
	{"? a\n: 1\n", false},
	{"a: {}\nb: []\nc: [ ]\n", true},
	{"a: {b: 1}\n", true},
	{"a: [a, [b]]\n", true},
	{"a: [a,\n  b]\n", true},
	{"a: [a, b,]\n", false},
	{"a: [1, -2, true, null, ~, 0x1F, 1e3]\n", true},
	{"a: yes\nb: 010\nc: 0o17\nd: .5\ne: -.inf\nf: .nan\ng: 1_000\nh: 2024-01-01\ni: NULL\nj: True\n", true},
	{"1: a\n1.0: b\n", false},
	{"null: a\ntrue: b\n2.50: c\n", true},
	{"~: a\n", true},
	{"---\na: 1\n---\nb: 2\n...\n", false},
	{"---\na: 1\n---\n---\nb: 2\n", true},
	{"--- # c\na: 1\n", true},
	{"--- a\n", false},
	{"%YAML 1.2\n---\na: 1\n", false},
	{"a: 1\n  b: 2\n", false},
	{"a:\n  b: 1\n c: 2\n", false},
	{"  a: 1\n  b: 2\n", true},
	{"  a: 1\nb: 2\n", false},
	{"a: héllo wörld\nb: ünïcode: x\n", false},
	{"ä: 'ü'\nb: [é, \"ö\"]\nc: x # ß\n", true},
	{"a: x#y\nb: x #y\n", true},
	{"a: -\n", false},
	{"a: -1\nb: -x\n", true},
	{"a: @x\n", false},
	{"a: `x`\n", false},
	{"a: %x\n", false},
	{"a:b\n", false},
	{"-a\n", false},
	{"- - a\n", false},
	{"plain\n", false},
	{"a:\n  plain\n", false},
	{"a: \"x\" y\n", false},
	{"a: \"x\"#y\n", false},
	{"a: \"x\" # y\n", true},
	{"a:\tb\n", false},
	{"a: b\r\n", false},
	{"# only a comment\n", true},
	{"", true},
	{"\n\n", true},
	{"a: \uFEFFx\n", false},
	{"a:\n  - b: 1\n    c:\n    - d\n    - e\n  - f\n", true},
	{"a: x   \nb:    y\n", true},
	{"a  : x\n", true},
	{"a: 'x' \n", true},
	{"a: [a b, c]\n", true},
	{"a: [a: b]\n", false},
	{"a: [0?]\n", false},
	{"a: 0?\n", true},
	{"a: [\"x\", 'y' ]  # c\n", true},
	{"a: []x\n", false},
	{"a: {}x\n", false},
	{"a: |\n  x\n# c\nb: 1\n", true},
	{"a: |\n  x\n  # c\nb: 1\n", true},
	{"a: |\n   \n  x\n", false},
	{"a: |\n  x\n    \n  y\n", false},
	{"a: 'x\"y'\nb: \"x'y\"\n", true},
	{"a: ''\nb: \"\"\n", true},
	{"a: '''x'''\n", true},
	{"x: " + strings.Repeat("k", 2000) + "\n", true},
	{strings.Repeat("k", 1100) + ": x\n", false},
	{"a:\n" + strings.Repeat("  ", 1) + "b:\n    c: 1\n", true},
	{manyKeys(40, ""), true},
	{manyKeys(40, "k7: again\n"), false},
	{manyKeys(10, "k7: again\n"), false},
	{"a:\n" + strings.Repeat("- x\n", 100), true},
	// Multi-line plain and quoted scalars.
	{"a: one\n  two\n   three  \n\n\n  four\nb: 1\n", true},
	{"- one\n  two\n- three\n four\n", true},
	{"a:\n- one\n  two\n- x\n", true},
	{"- a: one\n    two\n  b: x\n", true},
	{"- a: one\n  two\n", false},
	{"a: one\n  # c\n  two\n", false},
	{"a: one\n  two # c\nb: 1\n", false},
	{"a: one\n  two: x\n", false},
	{"a: one\n  - two\n", false},
	{"a: one\nb: two\n  three\n  four\n", true},
	{"a: 1\n  2\n", true},
	{"a: true\n  x\n", true},
	{"a: one\n  two\n#c\nb: 1\n", true},
	{"a: 'one\n  it''s  \n\n  two '\nb: \"x  \n   \\u00e9\\\n  y\\\n\n  z\\ \n  w\" # c\n", true},
	{"a: \"x\n# not a comment\n  y\"\n", false},
	{"a: \"x\n  # not a comment\n  y\"\n", true},
	{"a: \"x\n---\n  y\"\n", false},
	{"a: \"x\n  y\" z\n", false},
	{"a: \"x\n  y\"\n  b: 1\n", false},
	{"a: \"x\n  y", false},
	{"- \"x\n  y\"\n- 'z\n\n  w'\n", true},
	{"a:\n  b: \"x\n  y\"\n", false},
	{"a: \"x \\q\n  y\"\n", false},
	// Flow collections on one line.
	{"metadata: {name: a, tags: [x, y], labels: {}, links: [{url: https://x.io/a/b, title: T}]}\n", true},
	{"a: {b: 1, \"c\": 'd', e: [], f: -1, g: ~}\n", true},
	{"- {name: a}\n- [x, {y: z}]\n", true},
	{"a: {b: 1, b: 2}\n", false},
	{"a: {b: }\n", false},
	{"a: {b}\n", false},
	{"a: {b: 1,}\n", false},
	{"a: {\"b\":1}\n", false},
	{"a: {b:1}\n", false},
	{"a: {b: c:d}\n", true},
	{"a: {b: c:}\n", false},
	{"a: [a:b, 'c']\n", true},
	{"a: {b: 1\n  , c: 2}\n", true},
	{"a: {b: 1} x\n", false},
	{"a: {b: 1} # c\n", true},
	{"a: [[[[]]], {}]\n", true},
	{"a: {~: 1, null: 2}\n", false},
	{"a: {? b: 1}\n", false},
	// Flow collections over several lines, as PyYAML writes them.
	{"metadata:\n  annotations: {a/b: c, d: 'dir:.',\n    e: f}\n  links:\n  - {icon: docs, url: 'https://x/Order\n      Portal+Runbook'}\nspec: {definition: \"openapi: 3.0.3\\ninfo:\\n  title: X\\n\\\n    \\  version: 1\\n\", lifecycle: production,\n  owner: 'group:a'}\n", true},
	{"a: [one two\n  three, four\n\n  five]\n", true},
	{"a: [x\n  ]\n", true},
	{"a: [x,\n# c\n  y]\n", false},
	{"a: [x, # c\n  y]\n", false},
	{"a: [x,\n y]\nb: 1\n", true},
	{"a: [x,\ny]\n", false},
	{"- [x,\n  y]\n", true},
	{"a: {b:\n    c}\n", false},
	{"a: {b\n    : c}\n", false},
	{"a: [x, \"y\n  z\"]\n", true},
	{"a: [x\n  - y]\n", false},
	{"a: [x\n---\n]\n", false},
	{"a: {" + strings.Repeat("k", 1030) + ": 1}\n", false},
	// Per document: the fast reader reads the others.
	{"a: 1\n---\nb: &x 2\nc: *x\n---\nd: 3\n", true},
	{"a: &x 1\n---\nb: 2\n---\nc: *x\n", true},
	{"a: &x 1\n---\nb: *x\n", false},
	{"a: 1\n---\nb: [\n---\nc: 2\n", true},
	{"a: 1\n---\nb: 1\nb: 2\n---\nc: 2\n", true},
	{"# c\n---\n# d\nb: !!int 1\n---\n\nc: 2\n---\n", true},
	{"a: 1\n--- # x\nb:\n  - &y z\n---\nc: [x, y]\nd: \"q\\x\"\n", true},
	{"a: ü\n---\nb: c: d\n---\nc: é\n", true},
}

// manyKeys is a mapping of n keys, and then extra.
func manyKeys(n int, extra string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: v%d\n", i, i)
	}
	return b.String() + extra
}

// compareReaders reads src with and without the fast reader and fails when
// they disagree. It returns whether the fast reader took the file.
func compareReaders(t testing.TB, name string, src []byte) bool {
	t.Helper()
	took, _, _ := compareReadersDocs(t, name, src)
	return took
}

// compareReadersDocs is compareReaders that also tells how many documents
// the file holds and how many of them the fast reader read.
func compareReadersDocs(t testing.TB, name string, src []byte) (took bool, docs, fastDocs int) {
	t.Helper()
	slow := Parse(bytes.NewReader(src), name, ".", ".", Options{literal: true, noFast: true})
	fast := Parse(bytes.NewReader(src), name, ".", ".", Options{literal: true})
	if !fast.fast {
		return false, len(slow.Docs), 0
	}
	if d := diffFiles(slow, fast); d != "" {
		t.Errorf("%s: the fast reader disagrees with yaml.v3: %s\n--- input ---\n%s", name, d, src)
	}
	return true, len(slow.Docs), fast.fastDocs
}

func diffFiles(slow, fast *File) string {
	if len(slow.Diags) != len(fast.Diags) {
		return fmt.Sprintf("file diagnostics %v vs %v", slow.Diags, fast.Diags)
	}
	if len(slow.Docs) != len(fast.Docs) {
		return fmt.Sprintf("%d documents vs %d", len(slow.Docs), len(fast.Docs))
	}
	for i := range slow.Docs {
		s, f := slow.Docs[i], fast.Docs[i]
		if s.Index != f.Index || s.Line != f.Line {
			return fmt.Sprintf("document %d at line %d vs %d at line %d", s.Index, s.Line, f.Index, f.Line)
		}
		if len(s.Diags) != len(f.Diags) {
			return fmt.Sprintf("document %d diagnostics %v vs %v", s.Index, s.Diags, f.Diags)
		}
		if p := diffNode("$", s.Root, f.Root); p != "" {
			return fmt.Sprintf("document %d: %s", s.Index, p)
		}
	}
	return ""
}

func diffNode(path string, a, b *Node) string {
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("%s: %v vs %v", path, a, b)
	}
	if a == nil {
		return ""
	}
	if a.Kind != b.Kind || a.Text != b.Text || a.Span != b.Span {
		return fmt.Sprintf("%s: %s %q %+v vs %s %q %+v", path, a.Kind, a.Text, a.Span, b.Kind, b.Text, b.Span)
	}
	if (a.Map == nil) != (b.Map == nil) || len(a.Map) != len(b.Map) || (a.Seq == nil) != (b.Seq == nil) || len(a.Seq) != len(b.Seq) {
		return fmt.Sprintf("%s: shapes differ: %d/%d keys, %d/%d items", path, len(a.Map), len(b.Map), len(a.Seq), len(b.Seq))
	}
	for i := range a.Map {
		if a.Map[i].Key != b.Map[i].Key || a.Map[i].KeySpan != b.Map[i].KeySpan {
			return fmt.Sprintf("%s: key %q %+v vs %q %+v", path, a.Map[i].Key, a.Map[i].KeySpan, b.Map[i].Key, b.Map[i].KeySpan)
		}
		if d := diffNode(path+"."+a.Map[i].Key, a.Map[i].Value, b.Map[i].Value); d != "" {
			return d
		}
	}
	for i := range a.Seq {
		if d := diffNode(fmt.Sprintf("%s[%d]", path, i), a.Seq[i], b.Seq[i]); d != "" {
			return d
		}
	}
	if !reflect.DeepEqual(a, b) {
		return path + ": nodes differ in other fields"
	}
	return ""
}

func TestFastCases(t *testing.T) {
	for i, c := range fastCases {
		took := compareReaders(t, fmt.Sprintf("case %d", i), []byte(c.src))
		if took != c.accept {
			t.Errorf("case %d: fast reader took it = %v, want %v\n%s", i, took, c.accept, c.src)
		}
	}
}

// eachYAMLFile calls fn with every YAML file of the project's testdata and
// examples, of the shared conformance corpus, and of the folders
// CATALINT_FAST_DIRS names (e.g. a tree from scripts/bench-check.sh).
func eachYAMLFile(fn func(path string, src []byte, corpus bool)) {
	roots := []string{"../../testdata", "../../examples", "../../../shared/conformance/repos"}
	if extra := os.Getenv("CATALINT_FAST_DIRS"); extra != "" {
		roots = append(roots, filepath.SplitList(extra)...)
	}
	for _, root := range roots {
		corpus := strings.Contains(root, "conformance")
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil || len(src) > DefaultMaxFileSize {
				return nil
			}
			fn(path, src, corpus)
			return nil
		})
	}
}

// fuzzFastCases seeds a fuzz target with the hand-written cases and runs
// check on inputs up to 64 KiB.
func fuzzFastCases(f *testing.F, check func(t *testing.T, src []byte)) {
	for _, c := range fastCases {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) <= 1<<16 {
			check(t, src)
		}
	})
}

// TestFastMatchesYAML reads every file eachYAMLFile names with both readers.
func TestFastMatchesYAML(t *testing.T) {
	var files, took, corpusFiles, corpusTook, docs, fastDocs int
	eachYAMLFile(func(path string, src []byte, corpus bool) {
		files++
		ok, n, fast := compareReadersDocs(t, path, src)
		docs += n
		fastDocs += fast
		if ok {
			took++
		}
		if corpus {
			corpusFiles++
			if ok {
				corpusTook++
			}
		}
	})
	t.Logf("fast reader took %d of %d files (%d of %d in the conformance corpus), %d of %d documents", took, files, corpusTook, corpusFiles, fastDocs, docs)
	if corpusFiles > 0 && corpusTook*10 < corpusFiles*7 {
		t.Errorf("the fast reader took only %d of %d corpus files; it should take most real catalog files", corpusTook, corpusFiles)
	}
}

func FuzzFastParse(f *testing.F) {
	fuzzFastCases(f, func(t *testing.T, src []byte) { compareReaders(t, "fuzz", src) })
}

func TestHasUnicodeBreaks(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "plain": false, "a\u0085b": true, "a\u2028": true, "\u2029": true,
		"é ü \u2027 \u202a \u00c5 \xc2": false, "\xe2\x80": false, "x\u00a0\u0084": false,
	} {
		if got := hasUnicodeBreaks([]byte(s)); got != want {
			t.Errorf("hasUnicodeBreaks(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestFirstControl(t *testing.T) {
	for s, want := range map[string]int{
		"": -1, "a\tb\r\n": -1, "é\u0085ü": -1, "ab\x01": 2, "\x7f": 0, "é\u0080": 2, "x\u009f": 1,
		"\u00a0\u00c2": -1, "a\x1b[0m": 1,
	} {
		if got := firstControl([]byte(s)); got != want {
			t.Errorf("firstControl(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestReadLimited(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte("x"), n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 100} {
		b, err := readLimited(write(fmt.Sprint("f", n), n), 100)
		switch {
		case n > 100:
			var big *tooLargeError
			if !errors.As(err, &big) || big.size != int64(n) {
				t.Errorf("%d bytes over a limit of 100: got %v", n, err)
			}
		case err != nil || len(b) != n:
			t.Errorf("%d bytes: got %d bytes, %v", n, len(b), err)
		}
	}
	if _, err := readLimited(dir, 100); !errors.Is(err, errIsDir) {
		t.Errorf("a directory: got %v", err)
	}
	if _, err := readLimited(filepath.Join(dir, "missing"), 100); !os.IsNotExist(err) {
		t.Errorf("a missing file: got %v", err)
	}
}

// TestFastPerDocument reads a file whose middle document the fast reader
// gives up on (an anchor): the other two are read fast, the three come
// out in order, numbered as yaml.v3's path numbers them, and placeholders
// are resolved in all of them.
func TestFastPerDocument(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "a: {$text: ./d.txt}\n---\nb: &x\n  $text: ./d.txt\nc: *x\n---\n# c\nd:\n  $text: ./d.txt\n"
	f := Parse(bytes.NewReader([]byte(src)), "catalog-info.yaml", dir, dir, Options{})
	if !f.fast || f.fastDocs != 2 || len(f.Docs) != 3 || len(f.Diags) > 0 {
		t.Fatalf("fast %v, %d fast documents of %d, diagnostics %v; want 2 of 3 and none", f.fast, f.fastDocs, len(f.Docs), f.Diags)
	}
	for i, want := range []struct {
		line int
		key  string
	}{{1, "a"}, {3, "b"}, {8, "d"}} {
		d := f.Docs[i]
		if d.Index != i+1 || d.Line != want.line || len(d.Diags) > 0 || d.Root == nil || d.Root.Map[0].Key != want.key {
			t.Fatalf("document %d: index %d, line %d, diagnostics %v, root %+v", i+1, d.Index, d.Line, d.Diags, d.Root)
		}
		if v := d.Root.Map[0].Value; v.Kind != String || v.Text != "hello" {
			t.Errorf("document %d: %s = %s %q, want the placeholder's text", i+1, want.key, v.Kind, v.Text)
		}
	}
	slow := Parse(bytes.NewReader([]byte(src)), "catalog-info.yaml", dir, dir, Options{noFast: true})
	if d := diffFiles(slow, f); d != "" {
		t.Errorf("the fast reader disagrees with yaml.v3: %s", d)
	}
}
