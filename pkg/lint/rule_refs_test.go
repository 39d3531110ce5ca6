package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

func comp(name, spec string) string {
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n%s", name, spec)
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	writeTree(t, dir, files)
	return dir
}

// writeTree writes files (slash-separated paths below dir → content).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runOnly checks paths with only the given rules (every rule when none).
func runOnly(t *testing.T, paths []string, only ...string) *Result {
	t.Helper()
	sel, err := NewSelection(only, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Paths: paths, Selection: sel})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// refsRun checks paths with the refs group and returns "rule line: message" lines.
func refsRun(t *testing.T, paths []string, sources ...catalog.Source) []string {
	t.Helper()
	sel, _ := NewSelection([]string{GroupRefs}, []string{RuleLocationTarget})
	res, err := Run(context.Background(), Options{Paths: paths, Selection: sel, Sources: sources, FollowLocations: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, fmt.Sprintf("%s %s %s:%d: %s | %s", d.Severity, d.Rule, filepath.Base(d.File), d.Line, d.Message, d.Suggestion))
	}
	sort.Strings(out)
	return out
}

func dirSource(t *testing.T, dir string) catalog.Source {
	ig, _ := load.NewIgnorer(nil, true)
	return &catalog.Files{Paths: []string{dir}, Ignorer: ig, Label: "dir:org"}
}

func has(lines []string, parts ...string) bool {
	for _, l := range lines {
		ok := true
		for _, p := range parts {
			if !strings.Contains(l, p) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestRefsResolveWithinThePullRequest(t *testing.T) {
	// Two files added by the same pull request: the dangling reference in
	// one is defined by the other.
	pr := tree(t, map[string]string{
		"svc/catalog-info.yaml": comp("svc", "  dependsOn: [resource:db]\n"),
		"db/catalog-info.yaml":  "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db\nspec:\n  type: database\n  owner: team-a\n",
	})
	org := tree(t, map[string]string{"other/catalog-info.yaml": comp("other", "")})
	if got := refsRun(t, []string{pr}, dirSource(t, org)); len(got) != 0 {
		t.Errorf("unexpected: %v", got)
	}
}

func TestUnresolvedWithSuggestion(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "  dependsOn: [resource:postgres-payment]\n  system: paymnets\n  providesApis: [svc-api]\n")})
	org := tree(t, map[string]string{
		"db.yaml":             "",
		"catalog-info.yaml":   "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: postgres-payments\nspec:\n  type: database\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: payments\nspec:\n  owner: team-a\n",
		"x/catalog-info.yaml": comp("svc-api", ""),
	})
	got := refsRun(t, []string{pr}, dirSource(t, org))
	for _, want := range [][]string{
		{"error unresolved-ref catalog-info.yaml:9:", "resource:default/postgres-payment does not exist", "did you mean resource:default/postgres-payments?"},
		{"error unresolved-ref catalog-info.yaml:10:", "system:default/paymnets", "did you mean system:default/payments?"},
		{"error unresolved-ref catalog-info.yaml:11:", "api:default/svc-api", "svc-api exists as component:default/svc-api"},
	} {
		if !has(got, want...) {
			t.Errorf("missing %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestNoSourceGivesOneNotice(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "  dependsOn: [resource:a, resource:b]\n  system: s\n")})
	got := refsRun(t, []string{pr})
	if len(got) != 1 || !has(got, "notice unresolved-ref", "3 reference(s)", "not verified") {
		t.Errorf("got %v", got)
	}
}

func TestWrongKind(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "  system: group:payments\n  dependsOn: [api:x]\n")})
	got := refsRun(t, []string{pr})
	if !has(got, "error ref-kind", "spec.system of a Component must point at a System; group:default/payments is of kind group") ||
		!has(got, "warning ref-kind", "spec.dependsOn[0]") {
		t.Errorf("got %v", got)
	}
	pr = tree(t, map[string]string{"catalog-info.yaml": strings.Replace(comp("svc", ""), "owner: team-a", "owner: component:svc", 1)})
	if got := refsRun(t, []string{pr}); !has(got, "error ref-kind", "spec.owner of a Component must point at a Group or User") {
		t.Errorf("owner: %v", got)
	}
	// "an API", not "a API" (Papliba/backstage-entities' www-artist).
	pr = tree(t, map[string]string{"catalog-info.yaml": comp("svc", "  consumesApis: ['component:artist-lookup']\n")})
	if got := refsRun(t, []string{pr}); !has(got, "error ref-kind", "spec.consumesApis[0] of a Component must point at an API; component:default/artist-lookup is of kind component") {
		t.Errorf("consumesApis: %v", got)
	}
}

func TestDuplicates(t *testing.T) {
	pr := tree(t, map[string]string{
		"a/catalog-info.yaml": comp("svc", ""),
		"b/catalog-info.yaml": comp("SVC", ""),
	})
	got := refsRun(t, []string{pr})
	if len(got) != 1 || !has(got, "error duplicate-entity", "is also defined at") {
		t.Errorf("two checked files: %v", got)
	}
	// The checked file read again through a dir source is the same definition.
	one := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "")})
	if got := refsRun(t, []string{one}, dirSource(t, one)); len(got) != 0 {
		t.Errorf("same file via a source: %v", got)
	}
	// The same entity in another repository is a duplicate.
	other := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "")})
	if got := refsRun(t, []string{one}, dirSource(t, other)); !has(got, "error duplicate-entity", "(dir:org)") {
		t.Errorf("defined elsewhere: %v", got)
	}
}

func TestCycles(t *testing.T) {
	pr := tree(t, map[string]string{
		"a/catalog-info.yaml": comp("a", "  dependsOn: [component:b]\n  subcomponentOf: c\n"),
		"b/catalog-info.yaml": comp("b", "  dependsOn: [component:a]\n"),
		"c/catalog-info.yaml": comp("c", "  subcomponentOf: a\n"),
	})
	got := refsRun(t, []string{pr})
	if !has(got, "warning cycle", "dependsOn cycle: component:default/a → component:default/b → component:default/a") ||
		!has(got, "error cycle", "subcomponentOf cycle: component:default/a → component:default/c → component:default/a") {
		t.Errorf("got %v", got)
	}
	groups := tree(t, map[string]string{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: x}\nspec: {type: team, parent: y, children: []}\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: y}\nspec: {type: team, children: [x]}\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: z}\nspec: {type: team, parent: z, children: []}\n"})
	got = refsRun(t, []string{groups})
	if !has(got, "error cycle", "parent cycle: group:default/z → group:default/z") || has(got, "group:default/x → group:default/y") {
		t.Errorf("groups: %v", got)
	}
}

func TestProductionDependsOnDeprecated(t *testing.T) {
	pr := tree(t, map[string]string{
		"catalog-info.yaml": comp("svc", "  dependsOn: [component:old]\n") + "---\n" + strings.Replace(comp("old", ""), "production", "deprecated", 1),
	})
	if got := refsRun(t, []string{pr}); len(got) != 1 || !has(got, "warning lifecycle-dependency", "depends on component:default/old, which is deprecated") {
		t.Errorf("got %v", got)
	}
}

type failingSource struct{}

func (failingSource) Name() string { return "backstage:https://portal" }
func (failingSource) Load(context.Context) ([]catalog.Entity, error) {
	return nil, fmt.Errorf("backstage:https://portal: unreachable")
}

func TestSourceFailureIsFatal(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "")})
	_, err := Run(context.Background(), Options{Paths: []string{pr}, Sources: []catalog.Source{failingSource{}}})
	var se *SourceError
	if err == nil || !asSourceError(err, &se) {
		t.Errorf("err = %v, want a SourceError", err)
	}
	// With --only schema the refs rules, and so the sources, are not used.
	sel, _ := NewSelection([]string{GroupSchema}, nil)
	if _, err := Run(context.Background(), Options{Paths: []string{pr}, Selection: sel, Sources: []catalog.Source{failingSource{}}}); err != nil {
		t.Errorf("--only schema read the sources: %v", err)
	}
	_ = diag.Error
}

func asSourceError(err error, target **SourceError) bool {
	se, ok := err.(*SourceError)
	if ok {
		*target = se
	}
	return ok
}

// Sources are kept for files with diagnostics, unless no output shows
// source lines.
func TestRunNoSources(t *testing.T) {
	dir := tree(t, map[string]string{
		"bad/catalog-info.yaml":  "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad Name\nspec: {type: service, lifecycle: production, owner: team-a}\n",
		"good/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: good\nspec: {type: service, lifecycle: production, owner: team-a}\n",
	})
	sel, _ := NewSelection([]string{GroupSchema}, nil)
	for _, no := range []bool{false, true} {
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, NoSources: no})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics) == 0 {
			t.Fatal("no diagnostics for a bad name")
		}
		want := 1
		if no {
			want = 0
		}
		if len(res.Sources) != want {
			t.Errorf("NoSources %v: %d sources kept, want %d", no, len(res.Sources), want)
		}
	}
}

// With no .git above a file, the folder given to check is its repository
// root: a placeholder may read a file elsewhere in that tree. A file given
// by name is confined to its own folder.
func TestRootWithoutGit(t *testing.T) {
	dir := t.TempDir()
	if load.RepoRoot(dir) != dir {
		t.Skip("the temporary folder is inside a git repository")
	}
	files := map[string]string{
		"svc/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: svc-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ../specs/openapi.yaml\n",
		"specs/openapi.yaml":    "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sel, _ := NewSelection([]string{GroupSchema}, nil)
	placeholderErrors := func(path string) int {
		res, err := Run(context.Background(), Options{Paths: []string{path}, Selection: sel})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range res.Diagnostics {
			if d.Rule == load.RulePlaceholder && strings.Contains(d.Message, "outside the repository root") {
				n++
			}
		}
		return n
	}
	if n := placeholderErrors(dir); n != 0 {
		t.Errorf("checking the folder: %d placeholder errors, want none", n)
	}
	if n := placeholderErrors(filepath.Join(dir, "svc", "catalog-info.yaml")); n != 1 {
		t.Errorf("checking the file by name: %d placeholder errors, want 1", n)
	}
}
