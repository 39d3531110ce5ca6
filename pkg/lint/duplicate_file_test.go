package lint

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// Backstage keeps the last definition of an entity in one file and drops
// the earlier ones without a word (tried on the real backend: no error, no
// log line); giantswarm/backstage-catalogs' generated charts.yaml loses
// seven components that way. Each later definition names the one just
// before it; the same definition twice is a warning; across files the
// message is the one of two locations.
func TestDuplicateInOneFile(t *testing.T) {
	dir := t.TempDir()
	comp := func(name, typ string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\nspec:\n  type: " + typ + "\n  lifecycle: production\n  owner: team-a\n"
	}
	writeTree(t, dir, map[string]string{
		"catalog-info.yaml": comp("charts", "service") + "---\n" + comp("charts", "library") + "---\n" + comp("charts", "library") + "---\n" + comp("other", "service"),
		"catalog-info.yml":  comp("other", "website"),
	})
	res := runOnly(t, []string{dir}, RuleDuplicate)
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, filepath.Base(d.File)+":"+strconv.Itoa(d.Line)+" "+d.Severity.String()+" "+d.Message)
	}
	want := []string{
		"catalog-info.yaml:13 error component:default/charts is defined twice in this file (also at line 1): Backstage keeps the last definition in a file and silently drops the earlier one, so the entity at line 1 is lost",
		"catalog-info.yaml:22 warning component:default/charts is defined twice in this file, the same both times (also at line 10): one of them is redundant",
		"catalog-info.yml:4 error component:default/other is also defined at ",
	}
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error && d.Suggestion == "" {
			t.Errorf("no suggestion: %s", d.Message)
		}
	}
}

// A checked entity keeps what the rules after the files read: without
// NeedCatalog its Raw leaves out the prose metadata (scores read it, so
// a run that scores keeps it) and a definition's text; two definitions in
// one file that differ only in that prose are still told apart.
func TestCheckedKeepsWhatIsRead(t *testing.T) {
	dir := t.TempDir()
	doc := func(desc string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders\n  description: " + desc +
			"\n  tags: [rest]\n  links: [{url: 'https://example.com'}]\n  annotations: {github.com/project-slug: acme/orders}\n" +
			"spec:\n  type: graphql\n  lifecycle: production\n  owner: team-a\n  definition: 'type Query { a: Int }'\n"
	}
	writeTree(t, dir, map[string]string{"catalog-info.yaml": doc("first") + "---\n" + doc("second")})
	for _, need := range []bool{false, true} {
		res, err := Run(context.Background(), Options{Paths: []string{dir}, NeedCatalog: need})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Checked) != 2 {
			t.Fatalf("%d checked", len(res.Checked))
		}
		meta, _ := res.Checked[1].Raw["metadata"].(map[string]any)
		ann, _ := meta["annotations"].(map[string]any)
		if ann["github.com/project-slug"] != "acme/orders" || meta["name"] != "orders" {
			t.Errorf("NeedCatalog %v: metadata %v", need, meta)
		}
		if _, has := meta["description"]; has != need {
			t.Errorf("NeedCatalog %v: description kept: %v", need, has)
		}
		if _, has := meta["links"]; has != need {
			t.Errorf("NeedCatalog %v: links kept: %v", need, has)
		}
		if d := res.Checked[1].SpecString("definition"); d != KeptDefinition {
			t.Errorf("definition kept as %q", d)
		}
		n := 0
		for _, d := range res.Diagnostics {
			if d.Rule == RuleDuplicate {
				n++
				if d.Severity != diag.Error {
					t.Errorf("NeedCatalog %v: %s %s", need, d.Severity, d.Message)
				}
			}
		}
		if n != 1 {
			t.Errorf("NeedCatalog %v: %d duplicate findings", need, n)
		}
	}
}

// A finding of the rules that run after the files (here duplicate-entity,
// in files that had no finding of their own, so their text was let go)
// still gets its source line: the file is read again (found by a helper
// on giantswarm/backstage-catalogs, whose duplicate findings showed no
// line). NoSources reads nothing.
func TestLateFindingsHaveSources(t *testing.T) {
	dir := t.TempDir()
	comp := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	writeTree(t, dir, map[string]string{"catalog-info.yaml": comp, "catalog-info.yml": comp})
	sel, err := NewSelection([]string{RuleDuplicate}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, none := range []bool{false, true} {
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, NoSources: none})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics) != 1 {
			t.Fatalf("%+v", res.Diagnostics)
		}
		src, ok := res.Sources[res.Diagnostics[0].File]
		if none && (ok || len(res.Sources) != 0) {
			t.Errorf("NoSources: %d sources", len(res.Sources))
		}
		if !none && string(src) != comp {
			t.Errorf("source of %s: %q", res.Diagnostics[0].File, src)
		}
	}
}
