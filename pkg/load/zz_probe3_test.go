package load

import (
	"fmt"
	"strings"
	"testing"
)

func TestProbe3(t *testing.T) {
	ins := []string{
		"a: 1\nb: c: d\n",
		"a: 1\nb:\n  - x\n c: d\n",
		"a: 1\nb: \"unterminated\nc: 2\n",
		"a: 1\nb: [1, 2\nc: 2\n",
		"a: 1\n  b: 2\n",
		"kind: X\nmetadata:\n  name: a\n   bad: 1\n",
		"- a\nb: 1\n",
		"a: 1\n---\n%YAML 1.2\n---\nb: 2\n",
		"a: 1\n---\nb: 2\nb: 3\n",
		"a: 1\n\n\n\n---\n# x\n\n  b: [\n",
		"key: @value\n",
		"a: 1\nb: `x`\n",
		"a:\n  b: 1\n c: 2\n",
	}
	for _, in := range ins {
		f := Parse(strings.NewReader(in), "f.yaml", t.TempDir(), t.TempDir(), Options{})
		fmt.Printf("=== %q\n", in)
		for _, d := range f.Diags { fmt.Printf(" FD %+v\n", d) }
		for _, d := range f.Docs {
			fmt.Printf(" DOC idx=%d line=%d root=%v\n", d.Index, d.Line, d.Root != nil)
			for _, dd := range d.Diags { fmt.Printf("  D %+v\n", dd) }
		}
	}
}
