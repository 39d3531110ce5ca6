package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"gopkg.in/yaml.v3"
)

// yamlV3Root is what apispec's yaml.v3 path builds: the first document's
// content, nil for an empty text, ok false when yaml.v3 fails or finds a
// second document.
func yamlV3Root(text []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, errors.Is(err, io.EOF)
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

// diffYAMLNode compares what apispec reads of two trees: kind, style, tag,
// value, position and children (not comments).
func diffYAMLNode(path string, a, b *yaml.Node) string {
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("%s: %v vs %v", path, a, b)
	}
	if a == nil {
		return ""
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Line != b.Line || a.Column != b.Column || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: kind %v style %v tag %s %q at %d:%d (%d children) vs kind %v style %v tag %s %q at %d:%d (%d children)",
			path, a.Kind, a.Style, a.Tag, a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Style, b.Tag, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := diffYAMLNode(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// compareYAMLNode fails when FastYAMLNode takes text and builds something
// else than yaml.v3. It returns whether it took it.
func compareYAMLNode(t testing.TB, name string, text []byte) bool {
	t.Helper()
	got, ok := FastYAMLNode(text)
	if !ok {
		return false
	}
	want, wok := yamlV3Root(text)
	if !wok {
		t.Errorf("%s: the fast reader took a text yaml.v3 rejects:\n%s", name, text)
		return true
	}
	if d := diffYAMLNode("", want, got); d != "" {
		t.Errorf("%s: FastYAMLNode disagrees with yaml.v3: %s\n--- input ---\n%s", name, d, text)
	}
	return true
}

func TestFastYAMLNode(t *testing.T) {
	extra := []string{
		"a: 1\n---\n", "---\na: 1\n", "a: 1\n...\n", "\uFEFFa: 1\n", "a: \x01\n", "<<: x\n",
		"a: 0x1F\nb: 1_000\nc: 2024-01-01\nd: .5\ne: yes\nf: ~\ng:\nh: null\n",
		"~: a\nnull: b\n1: c\n", "a: [x, 'y', \"z\", 1, ~]\nb: {}\nc: []\n",
	}
	took := 0
	for i, c := range fastCases {
		if compareYAMLNode(t, fmt.Sprintf("case %d", i), []byte(c.src)) {
			took++
		}
	}
	for i, src := range extra {
		if compareYAMLNode(t, fmt.Sprintf("extra %d", i), []byte(src)) {
			took++
		}
	}
	files := 0
	eachYAMLFile(func(path string, src []byte, _ bool) {
		took1 := compareYAMLNode(t, path, src)
		// It takes texts of one document only: the others do not count.
		if n, after := markers(src); n <= 1 && !after {
			files++
			if took1 {
				took++
			}
		}
	})
	t.Logf("FastYAMLNode took %d of %d texts (%d files)", took, len(fastCases)+len(extra)+files, files)
	if files > 0 && took*2 < files {
		t.Errorf("FastYAMLNode took only %d of %d files", took, files)
	}
}

func FuzzFastYAMLNode(f *testing.F) {
	fuzzFastCases(f, func(t *testing.T, src []byte) { compareYAMLNode(t, "fuzz", src) })
}
