package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

func chain(n int) []catalog.Edge {
	var es []catalog.Edge
	for i := 0; i < n; i++ {
		es = append(es, catalog.Edge{From: fmt.Sprintf("c%d", i), To: fmt.Sprintf("c%d", i+1), Label: "dependsOn"})
	}
	return es
}

// A chain's tree would grow with the square of its length: it stops at the
// depth and says what it left out.
func TestGraphTextDepth(t *testing.T) {
	var b bytes.Buffer
	if err := Graph(&b, "text", "c0", chain(10000), GraphOptions{Depth: 2}); err != nil {
		t.Fatal(err)
	}
	want := "c0\n└── dependsOn c1\n    └── dependsOn c2 (…: cut at depth 2)\n" +
		"(cut at depth 2: 9998 more entities below the 1 node marked …; --depth N shows more, --depth -1 all)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// The default depth bounds the output of a long chain to a few KB.
	b.Reset()
	Graph(&b, "text", "c0", chain(10000), GraphOptions{})
	if b.Len() > 4000 || !strings.Contains(b.String(), "cut at depth 25") {
		t.Errorf("default depth: %d bytes\n%s", b.Len(), b.String())
	}
	// No limit: every level, in order; nothing cut, nothing said.
	b.Reset()
	Graph(&b, "text", "c0", chain(300), GraphOptions{Depth: -1})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 301 || !strings.HasSuffix(lines[300], "└── dependsOn c300") || strings.Contains(b.String(), "cut") {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// A tree with branches, a shared node and a cycle keeps its shape.
func TestGraphTextShape(t *testing.T) {
	es := []catalog.Edge{
		{From: "a", To: "b", Label: "dependsOn"}, {From: "a", To: "c", Label: "dependsOn"},
		{From: "b", To: "d", Label: "dependsOn"}, {From: "c", To: "d", Label: "dependsOn"},
		{From: "d", To: "a", Label: "dependsOn"},
	}
	var b bytes.Buffer
	Graph(&b, "text", "a", es, GraphOptions{})
	want := "a\n├── dependsOn b\n│   └── dependsOn d\n│       └── dependsOn a (shown above)\n└── dependsOn c\n    └── dependsOn d (shown above)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// References from catalog content cannot forge lines or reach the terminal
// in any graph format.
func TestGraphControlCharacters(t *testing.T) {
	es := []catalog.Edge{{From: "a", To: "x\n└── dependsOn \x1b]8;;https://evil\x07y\u202e", Label: "dependsOn"}}
	for _, f := range GraphFormats {
		var b bytes.Buffer
		Graph(&b, f, "a", es, GraphOptions{})
		if strings.ContainsAny(b.String(), "\x1b\x07\u202e") || strings.Contains(b.String(), "\n└── dependsOn \ufffd") {
			t.Errorf("%s: %q", f, b.String())
		}
	}
}
