package lint

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

func crdAPIs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: crd-%d\nspec:\n  type: crd\n  lifecycle: production\n  owner: team-a\n  definition: 'kind: CustomResourceDefinition'\n", i)
	}
	return b.String()
}

func TestIdenticalNoticesOfAFileAreOne(t *testing.T) {
	dir := tree(t, map[string]string{"a/crds.yaml": crdAPIs(20), "b/crds.yaml": crdAPIs(2), "c/crd.yaml": crdAPIs(1)})
	ds := runAll(t, load.Options{}, filepath.Join(dir, "a/crds.yaml"), filepath.Join(dir, "b/crds.yaml"), filepath.Join(dir, "c/crd.yaml"))
	var got []string
	for _, d := range ds {
		if d.Rule == RuleAPIDefinition {
			got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(filepath.Dir(d.File)), d.Line, d.Message[strings.Index(d.Message, "checked")+len("checked"):]))
		}
	}
	want := []string{
		"a:10  (said once for 20 entities in this file, lines 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, and 10 more)",
		"b:10  (said once for 2 entities in this file, lines 10, 20)",
		"c:10 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e, w, n := diag.Count(ds); e != 0 || w != 0 || n != 3 {
		t.Errorf("counts = %d, %d, %d; want 3 notices:\n%s", e, w, n, lines(ds))
	}
}

func TestGroupNoticesLeavesErrorsAndWarnings(t *testing.T) {
	d := func(sev diag.Severity, line int) diag.Diagnostic {
		return diag.Diagnostic{Pos: diag.Pos{File: "f.yaml", Line: line}, Severity: sev, Rule: "r", Message: "m", Entity: fmt.Sprint("component:default/x", line)}
	}
	out := groupNotices([]diag.Diagnostic{d(diag.Error, 1), d(diag.Error, 2), d(diag.Warning, 3), d(diag.Warning, 4), d(diag.Notice, 5), d(diag.Notice, 6),
		{Severity: diag.Notice, Rule: "r", Message: "m"}, {Severity: diag.Notice, Rule: "r", Message: "m"}})
	if len(out) != 7 || out[4].Message != "m (said once for 2 entities in this file, lines 5, 6)" {
		t.Errorf("got %+v", out)
	}
}

func TestBaselineKeyIgnoresListedLines(t *testing.T) {
	// Grouped notices and per-file codeowners warnings list lines; moving
	// the entities does not make them new.
	d := func(msg string) diag.Diagnostic {
		return diag.Diagnostic{Rule: RuleCodeowners, Entity: "component:default/a", Message: msg}
	}
	a := baselineKey(d("spec.owner of 2 entities in this file (group:x, lines 12, 25) is none of the code owners: CODEOWNERS (line 7) gives f to @o/y"), "f")
	b := baselineKey(d("spec.owner of 2 entities in this file (group:x, lines 14, 27) is none of the code owners: CODEOWNERS (line 8) gives f to @o/y"), "f")
	c := baselineKey(d("x (said once for 12 entities in this file, lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 2 more)"), "f")
	e := baselineKey(d("x (said once for 12 entities in this file, lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and 2 more)"), "f")
	if a != b || c != e {
		t.Errorf("keys differ:\n%q\n%q\n%q\n%q", a, b, c, e)
	}
	if f := baselineKey(d("spec.owner of 3 entities in this file (group:x, lines 12, 25, 30) is none of the code owners: CODEOWNERS (line 7) gives f to @o/y"), "f"); f == a {
		t.Error("a third entity is a change")
	}
}
