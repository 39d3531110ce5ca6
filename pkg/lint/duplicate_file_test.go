package lint

import (
	"context"
	"os"
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
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("catalog-info.yaml", comp("charts", "service")+"---\n"+comp("charts", "library")+"---\n"+comp("charts", "library")+"---\n"+comp("other", "service"))
	write("catalog-info.yml", comp("other", "website"))
	sel, err := NewSelection([]string{RuleDuplicate}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel})
	if err != nil {
		t.Fatal(err)
	}
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
