package load

import (
	"strings"
	"testing"
)

var markCases = []string{
	"", "{", "${{", "${ {", "$${{ x }}", "{%", "{ %", "{%- if %}", "{{ cookiecutter.name }}", "{{cookiecutter.name}}",
	"{{ cookiecutter", "{{ values.name }}", "a ${{ parameters.x }} b", "}{", "${", "$", "{{{", "x{y{%", "plain text",
	"{{  cookiecutter.x }}", "${{", "é${{", "{é%",
}

// TestHasMark: the one-pass check of a string finds what the byte check
// finds.
func TestHasMark(t *testing.T) {
	for _, c := range markCases {
		if got, want := hasMark(c), hasTemplateMark([]byte(c)); got != want {
			t.Errorf("hasMark(%q) = %v, want %v", c, got, want)
		}
	}
}

func FuzzHasMark(f *testing.F) {
	for _, c := range markCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasMark(s), hasTemplateMark([]byte(s)); got != want {
			t.Errorf("hasMark(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestTemplateLinesEscapes: a mark written with an escape is found (the
// file's text holds no '{' but a backslash), and a file with neither holds
// none.
func TestTemplateLinesEscapes(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []int
	}{
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"\\x24\\x7B{ values.name }}\"\n", []int{4}},
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n---\nkind: X\nmetadata:\n  title: \"\\u007B%\"\n", []int{0, 8}},
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  description: costs $5\n", []int{0}},
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\n", []int{4}},
	} {
		f := Parse(strings.NewReader(c.src), "t.yaml", ".", ".", Options{})
		got := f.TemplateLines()
		if len(got) != len(c.want) {
			t.Fatalf("%q: %v, want %v", c.src, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: %v, want %v", c.src, got, c.want)
			}
		}
	}
}
