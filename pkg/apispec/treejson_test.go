package apispec

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// treeJSON gives json.Marshal(toValue(n))'s bytes exactly, or declines.
func checkTreeJSON(t *testing.T, name string, text []byte) (declined bool) {
	t.Helper()
	root, p, _ := parseTree(text)
	if p != nil || root == nil {
		return false
	}
	got, ok := treeJSON(root)
	v, err := toValue(root)
	var want []byte
	if err == nil {
		want, err = json.Marshal(v)
	}
	if !ok {
		return true
	}
	if err != nil {
		t.Errorf("%s: treeJSON wrote %d bytes where toValue and json.Marshal fail: %v", name, len(got), err)
		return false
	}
	if string(got) != string(want) {
		t.Errorf("%s: treeJSON differs from json.Marshal(toValue):\n got %s\nwant %s", name, got, want)
	}
	return false
}

func TestTreeJSONCases(t *testing.T) {
	cases := map[string]string{
		"scalars":      "a: 1\nb: -2\nc: 0\nd: 007\ne: 1.0\nf: 1e3\ng: 0x1F\nh: .inf\ni: -.Inf\nj: .nan\nk: true\nl: false\nm: yes\nn: ~\no: null\np:\nq: '1'\nr: \"x\"\ns: 12345678901234567890123\nt: -0\nu: +1\nv: 0o17\nw: 1_000\n",
		"strings":      "a: <b>&amp;</b>\nb: \"quote \\\" back \\\\ slash\"\nc: \"tab\\tnl\\n\"\nd: café ünïcode\ne: \"\\u2028\\u2029\"\nf: \"\\x7f del\"\ng: \"\\x01\"\nh: 日本語\n\"<key>\": 1\n",
		"order":        "b: 1\na: 2\nB: 3\n_: 4\n\"\": 5\nab: 6\naa: 7\n",
		"nested":       "a:\n  - b: [1, 2, {c: d}]\n  - []\n  - {}\n  - - x\n    - y\nz: {}\n",
		"aliases":      "a: &x {b: 1, c: [1, 2]}\nd: *x\ne: &y text\nf: *y\n",
		"merge":        "a: &x {b: 1, c: 2}\nd:\n  <<: *x\n  c: 3\n",
		"merge-seq":    "a: &x {b: 1}\nc: &y {d: 2}\ne:\n  <<: [*x, *y]\n",
		"duplicate":    "a: 1\na: 2\n",
		"tags":         "a: !!str 1\nb: !!int \"2\"\nc: !!float 3\nd: !!bool true\ne: !custom x\nf: !!binary aGVsbG8=\ng: !!timestamp 2001-12-14\nh: 2001-12-14\n",
		"json":         `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}`,
		"block":        "a: |\n  line one\n  line <two>\nb: >\n  folded\n  text\n",
		"numbers-keys": "200: ok\n1.5: x\ntrue: y\nnull: z\n",
	}
	for name, text := range cases {
		checkTreeJSON(t, name, []byte(text))
	}
	// Deep nesting, past toValue's limit: both decline.
	deep := strings.Repeat("[", 250) + strings.Repeat("]", 250)
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(deep), &n); err == nil && len(n.Content) > 0 {
		if _, ok := treeJSON(n.Content[0]); ok {
			t.Error("treeJSON wrote a tree deeper than toValue takes")
		}
	}
}

// The package's definitions, the conformance corpus's, generated ones, and
// the YAML and JSON files under CATALINT_TREEJSON_DIR (kin-openapi's
// testdata, a generated catalog tree): treeJSON writes json.Marshal's bytes
// for each, and declines few.
func TestTreeJSONCorpus(t *testing.T) {
	n, declined := 0, 0
	try := func(name string, text []byte) {
		n++
		if checkTreeJSON(t, name, text) {
			declined++
		}
	}
	dirs := []string{"testdata"}
	if d := os.Getenv("CATALINT_TREEJSON_DIR"); d != "" {
		dirs = append(dirs, filepath.SplitList(d)...)
	}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".yaml", ".yml", ".json":
				if b, err := os.ReadFile(p); err == nil && len(b) < 5<<20 {
					try(p, b)
				}
			}
			return nil
		})
	}
	if _, err := os.Stat(corpusDir); err == nil {
		for _, d := range corpusDefs(t) {
			try(d.file+" "+d.entity, []byte(d.text))
		}
	}
	for i := 0; i < 20; i++ {
		try("generated", []byte(genOpenAPI(i, 1+i%7)))
	}
	t.Logf("%d texts, %d declined", n, declined)
	if n == 0 {
		t.Fatal("no text checked")
	}
}

// duplicateKeys reports each repeat of a key at the repeat, with the line
// of the first, in small mappings (compared key by key) and large ones
// (through a map) alike.
func TestDuplicateKeysSmallAndLarge(t *testing.T) {
	for _, pairs := range []int{4, 40} {
		var b strings.Builder
		for i := 0; i < pairs; i++ {
			fmt.Fprintf(&b, "k%d: %d\n", i%(pairs/2), i)
		}
		b.WriteString("k1: again\n<<: {m: 1}\n")
		root, p, _ := parseTree([]byte(b.String()))
		if p != nil || root == nil {
			t.Fatal("parse failed")
		}
		var got []string
		duplicateKeys(root, func(p pos, msg string) { got = append(got, fmt.Sprintf("%d:%s", p.line, msg)) })
		// k0..k(pairs/2-1) each repeated once, and k1 twice.
		if len(got) != pairs/2+1 {
			t.Errorf("%d pairs: %d reports: %q", pairs, len(got), got)
		}
		for _, g := range got {
			if strings.Contains(g, `"k1"`) && !strings.Contains(g, "first at line 2)") {
				t.Errorf("%d pairs: %s", pairs, g)
			}
		}
	}
}
