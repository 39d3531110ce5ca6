package load

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func dump(n *Node, ind string) string {
	if n == nil { return "nil" }
	var b strings.Builder
	fmt.Fprintf(&b, "%s%v %q %+v\n", ind, n.Kind, n.Text, n.Span)
	for _, p := range n.Map { fmt.Fprintf(&b, "%s key %q %+v\n%s", ind, p.Key, p.KeySpan, dump(p.Value, ind+"  ")) }
	for _, c := range n.Seq { b.WriteString(dump(c, ind+"  ")) }
	return b.String()
}

func TestProbe(t *testing.T) {
	ins := []string{
		"",
		"# c\n# d\n",
		"---\n",
		"---\n---\n...\n",
		"a: 1\n---\nb: [\n---\nc: 3\n",
		"a: 1\nb: 2\na: 3\n",
		"a:\n\tb: 1\n",
		"a: 1\r\nb: \"x\"\r\n",
		"- a\n- b\n",
		"hello\n",
		"a: \xff\xfe\n",
		"a: b\x00\n",
		"# lead\n%YAML 1.2\n---\n# c\nkind: X\n---\n\n# c2\nkind: Y\n",
		"k: héllo wörld\nq: \"日本\"  # c\ns: 'it''s'\n",
		strings.Repeat("[", 10000),
	}
	for _, in := range ins {
		st := time.Now()
		f := Parse(strings.NewReader(in), "f.yaml", t.TempDir(), t.TempDir(), Options{})
		fmt.Printf("=== %q (%v)\n", trunc(in), time.Since(st))
		for _, d := range f.Diags { fmt.Printf(" FD %+v\n", d) }
		for _, d := range f.Docs {
			fmt.Printf(" DOC idx=%d line=%d\n", d.Index, d.Line)
			for _, dd := range d.Diags { fmt.Printf("  D %+v\n", dd) }
			if d.Root != nil { fmt.Print(dump(d.Root, "   ")) }
		}
	}
}
func trunc(s string) string { if len(s) > 80 { return s[:80] }; return s }
