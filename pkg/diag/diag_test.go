package diag

import (
	"reflect"
	"testing"
)

func TestSortOrdersAndDeduplicates(t *testing.T) {
	d := func(file string, line, col int, rule string) Diagnostic {
		return Diagnostic{Pos: Pos{File: file, Line: line, Column: col}, Rule: rule, Severity: Error, Message: "m"}
	}
	in := []Diagnostic{d("", 0, 0, "x"), d("b.yaml", 1, 1, "a"), d("a.yaml", 10, 1, "a"), d("a.yaml", 9, 5, "b"), d("a.yaml", 9, 5, "a"), d("a.yaml", 10, 1, "a")}
	got := Sort(in)
	want := []Diagnostic{d("a.yaml", 9, 5, "a"), d("a.yaml", 9, 5, "b"), d("a.yaml", 10, 1, "a"), d("b.yaml", 1, 1, "a"), d("", 0, 0, "x")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	e, w, n := Count([]Diagnostic{{Severity: Error}, {Severity: Warning}, {Severity: Notice}, {Severity: Error}})
	if e != 2 || w != 1 || n != 1 {
		t.Errorf("Count = %d %d %d", e, w, n)
	}
}

func TestPosAndSeverityText(t *testing.T) {
	for _, tc := range []struct {
		p    Pos
		want string
	}{{Pos{File: "a.yaml", Line: 3, Column: 7}, "a.yaml:3:7"}, {Pos{File: "a.yaml"}, "a.yaml"}, {Pos{}, "catalint"}} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q", tc.p, got)
		}
	}
	for _, s := range []string{"error", "warning", "notice"} {
		sev, err := ParseSeverity(s)
		if err != nil || sev.String() != s {
			t.Errorf("%s: %v %v", s, sev, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal accepted")
	}
}
