package load

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProbe2(t *testing.T) {
	lol, _ := os.ReadFile("/tmp/lol.yaml")
	ins := []string{
		string(lol),
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
		strings.Repeat("[", 100) + strings.Repeat("]", 100),
		"%YAML 1.1\n---\na: 1\n",
		"\uFEFFa: 1\n",
		"a: b\x01c\n",
		"a: *nope\n",
		"a: &x [*x]\n",
		"a: yes\nb: 010\nc: 1_000\nd: 0x1F\ne: 2021-01-01\nf: ~\ng: \"123\"\nh: .inf\ni: 0o17\nj: 1e3\nk: -.inf\nl: .nan\nm: null\nn:\no: True\np: on\nq: 1.0\nr: !!str 12\ns: !!int \"12\"\nt: 0b101\nu: 12345678901234567890123\nv: 1e400\n",
		"--- !!map\na: 1\n",
		"--- a\n--- b\n",
		"? [a, b]\n: 1\n",
		"a: 1\n...\n# trailing\n",
		"a: |\n  x\n  y\nb: >\n  z\n",
	}
	for _, in := range ins {
		st := time.Now()
		f := Parse(strings.NewReader(in), "f.yaml", t.TempDir(), t.TempDir(), Options{})
		fmt.Printf("=== %q (%v)\n", trunc(in), time.Since(st))
		for _, d := range f.Diags { fmt.Printf(" FD %+v\n", d) }
		for _, d := range f.Docs {
			fmt.Printf(" DOC idx=%d line=%d\n", d.Index, d.Line)
			for _, dd := range d.Diags { fmt.Printf("  D %+v\n", dd) }
			if d.Root != nil && len(in) < 1000 { fmt.Print(dump(d.Root, "   ")) }
		}
	}
}
