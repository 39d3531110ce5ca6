package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestSnifferMatch(t *testing.T) {
	s := NewSniffer([]string{"example.com", "roadie.io/v1"})
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"apiVersion: backstage.io/v1alpha1\nkind: Component\n", true},
		{"apiVersion: scaffolder.backstage.io/v1beta3\n", true},
		{"kind: Group\napiVersion: backstage.io/v1alpha1\n", true},
		{"\uFEFFapiVersion: backstage.io/v1alpha1\n", true},
		{"apiVersion: \"backstage.io/v1alpha1\"\n", true},
		{"apiVersion: 'backstage.io/v1alpha1'\n", true},
		{"\"apiVersion\": backstage.io/v1alpha1\n", true},
		{"apiVersion:\tbackstage.io/v1alpha1\n", true},
		{"apiVersion : backstage.io/v1alpha1\n", true},
		{"--- apiVersion: backstage.io/v1alpha1\n", true},
		{"{\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"API\"}\n", true},
		{"- apiVersion: backstage.io/v1alpha1\n", true},
		{"apiVersion: backstage.io/v1alpha1\r\nkind: API\r\n", true},
		{"a: [unclosed\napiVersion: backstage.io/v1alpha1\n", true},
		{"apiVersion: apps/v1\nkind: Deployment\n", false},
		{"apiVersion: v1\n", false},
		{"# apiVersion: backstage.io/v1alpha1\n", false},
		{"data:\n  x: |\n    apiVersion: backstage.io/v1alpha1\n", false},
		{"items:\n  - apiVersion: backstage.io/v1alpha1\n", false},
		{"myapiVersion: backstage.io/v1alpha1\n", false},
		{"apiVersions: backstage.io/v1alpha1\n", false},
		{"apiVersion: notbackstage.io/v1\n", false},
		{"apiVersion: backstage.io.evil/v1\n", false},
		{"apiVersion: backstage.io", false},
		{"apiVersion", false},
		{"", false},
		{"apiVersion: example.com/v1\n", true},
		{"apiVersion: example.community/v1\n", false},
		{"apiVersion: roadie.io/v1alpha1\n", true},
		{"apiVersion: roadie.io/v2\n", false},
	} {
		if got := s.Match([]byte(c.src)); got != c.want {
			t.Errorf("Match(%q) = %v, want %v", c.src, got, c.want)
		}
	}
	if NewSniffer(nil).Match([]byte("apiVersion: example.com/v1\n")) {
		t.Error("a prefix not declared matched")
	}
}

// mixedRepo is a repository with catalog files under several names (one
// of them broken), a Template with its sources, and the YAML a repository
// also holds: workflows, Kubernetes manifests, a Helm chart, OpenAPI, a
// compose file, MkDocs.
const mixedRepo = "testdata/discovery/mixed"

func relTargets(t *testing.T, root string, ts []Target) []string {
	t.Helper()
	var out []string
	for _, x := range ts {
		r, err := filepath.Rel(root, x.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func TestDiscoverByContent(t *testing.T) {
	ig, err := NewIgnorer(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	f, err := (&Search{Ignorer: ig, Sniffer: NewSniffer(nil)}).Discover([]string{mixedRepo})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"catalog-info.yaml",
		"catalog/apis/payments-api.yml",
		"catalog/broken.yaml",
		"catalog/systems.yaml",
		"org/people.yaml",
		"templates/new-service/template.yaml",
	}
	if got := relTargets(t, mixedRepo, f.Targets); !reflect.DeepEqual(got, want) {
		t.Errorf("found\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	wantSkipped := []string{"templates/new-service/content/catalog-info.yaml", "templates/new-service/static/extra-entities.yaml"}
	if got := relPaths(t, mixedRepo, f.TemplateSources); !reflect.DeepEqual(got, wantSkipped) {
		t.Errorf("template sources %v, want %v", got, wantSkipped)
	}
	if len(f.Diags) != 0 || !reflect.DeepEqual(f.Folders, []string{mixedRepo}) {
		t.Errorf("diags %v, folders %v", f.Diags, f.Folders)
	}

	// By name only, as before: the root catalog-info.yaml and the
	// template's content (no Template is read to know it is a source).
	f, err = (&Search{Ignorer: ig}).Discover([]string{mixedRepo})
	if err != nil {
		t.Fatal(err)
	}
	if got := relTargets(t, mixedRepo, f.Targets); !reflect.DeepEqual(got, []string{"catalog-info.yaml", "templates/new-service/content/catalog-info.yaml"}) {
		t.Errorf("by name: %v", got)
	}

	// Include widens, an extra apiVersion too; the Ignorer narrows.
	inc, err := NewMatcher([]string{"charts/**/values.yaml"}, "include")
	if err != nil {
		t.Fatal(err)
	}
	ig2, _ := NewIgnorer([]string{"org", "catalog/apis"}, true)
	f, err = (&Search{Ignorer: ig2, Sniffer: NewSniffer([]string{"apps/"}), Include: inc}).Discover([]string{mixedRepo})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"catalog-info.yaml",
		"catalog/broken.yaml",
		"catalog/systems.yaml",
		"charts/app/templates/deployment.yaml",
		"charts/app/values.yaml",
		"deploy/k8s/deployment.yaml",
		"templates/new-service/template.yaml",
	}
	if got := relTargets(t, mixedRepo, f.Targets); !reflect.DeepEqual(got, want) {
		t.Errorf("with include, exclude and apiVersions: %v", got)
	}
}

func relPaths(t *testing.T, root string, ps []string) []string {
	t.Helper()
	var ts []Target
	for _, p := range ps {
		ts = append(ts, Target{Path: p})
	}
	return relTargets(t, root, ts)
}

func TestDiscoverFilterFiles(t *testing.T) {
	named := []string{
		filepath.Join(mixedRepo, "catalog-info.yaml"),
		filepath.Join(mixedRepo, "deploy/k8s/deployment.yaml"),
		filepath.Join(mixedRepo, "catalog/broken.yaml"),
		filepath.Join(mixedRepo, "main.go"),
		filepath.Join(mixedRepo, "charts/app/templates/deployment.yaml"),
		filepath.Join(mixedRepo, "templates/new-service/content/catalog-info.yaml"),
	}
	s := &Search{Sniffer: NewSniffer(nil)}
	f, err := s.Discover(named)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Targets) != len(named) {
		t.Errorf("without FilterFiles every named file is checked: %v", f.Targets)
	}
	s.FilterFiles = true
	f, err = s.Discover(append(named, mixedRepo+"/**/*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// The Template whose fetch step reads the named skeleton file is
	// added, so that what it renders is checked (f.Renders).
	want := []string{"catalog-info.yaml", "catalog/broken.yaml", "templates/new-service/content/catalog-info.yaml", "catalog/apis/payments-api.yml", "templates/new-service/template.yaml"}
	if got := relTargets(t, mixedRepo, f.Targets); !reflect.DeepEqual(got, want) {
		t.Errorf("FilterFiles kept %v, want %v", got, want)
	}
	if len(f.Filtered) != 6 { // 3 named, 3 of the 4 *.yml matches
		t.Errorf("filtered %v", f.Filtered)
	}
	if len(f.Renders) != 1 || filepath.Base(f.Renders[0]) != "template.yaml" {
		t.Errorf("renders %v", f.Renders)
	}
	// Named files that are no skeleton's add no Template.
	f, err = s.Discover(named[:4])
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Renders) != 0 {
		t.Errorf("renders %v for files no Template fetches", f.Renders)
	}
	// What the Ignorer skips in a folder search is left out too.
	ig, _ := NewIgnorer([]string{"content"}, true)
	s.Ignorer = ig
	f, err = s.Discover(named)
	if err != nil {
		t.Fatal(err)
	}
	if got := relTargets(t, mixedRepo, f.Targets); !reflect.DeepEqual(got, []string{"catalog-info.yaml", "catalog/broken.yaml", "templates/new-service/template.yaml"}) {
		t.Errorf("FilterFiles with an ignore kept %v", got)
	}
}

// TestDiscoverUnreadableFolder injects the error reading a folder without
// permission returns (tests run as root, whom chmod 000 does not stop; the
// red-team suite runs the binary as an unprivileged user for the real
// thing).
func TestDiscoverUnreadableFolder(t *testing.T) {
	locked := filepath.Join(mixedRepo, "catalog")
	readDir := func(p string) ([]fs.DirEntry, error) {
		if p == locked {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
		}
		return os.ReadDir(p)
	}
	f, err := (&Search{Sniffer: NewSniffer(nil), ReadDir: readDir}).Discover([]string{mixedRepo})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Diags) != 1 {
		t.Fatalf("diags %v", f.Diags)
	}
	d := f.Diags[0]
	if d.File != locked || d.Rule != RuleFile || d.Severity.String() != "error" || !strings.Contains(d.Message, "cannot read folder: permission denied") {
		t.Errorf("diag %+v", d)
	}
	for _, x := range f.Targets {
		if strings.HasPrefix(x.Path, locked+string(filepath.Separator)) {
			t.Errorf("%s found inside the unreadable folder", x.Path)
		}
	}
	if len(f.Targets) != 3 {
		t.Errorf("the rest still counts: %v", f.Targets)
	}
	// The walked folder itself.
	f, err = (&Search{ReadDir: func(p string) ([]fs.DirEntry, error) {
		return nil, &fs.PathError{Op: "open", Path: p, Err: errors.New("input/output error")}
	}}).Discover([]string{mixedRepo})
	if err != nil || len(f.Diags) != 1 || f.Diags[0].File != mixedRepo || len(f.Targets) != 0 {
		t.Errorf("unreadable root: %v %+v", err, f)
	}
}

// TestDiscoverRealFixtures holds the folder search to real repositories'
// catalog files (testdata/discovery/real/README.md says where each comes
// from).
func TestDiscoverRealFixtures(t *testing.T) {
	ig, err := NewIgnorer(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir             string
		want, templates []string
	}{
		{"rhdh", []string{
			"catalog-entities/all.yaml",
			"catalog-entities/groups.yaml",
			"catalog-entities/groups/janus-authors.yaml",
			"catalog-entities/groups/rhdh-team.yaml",
			"catalog-entities/systems.yaml",
			"catalog-entities/systems/janus-idp.yaml",
		}, nil},
		{"demo", []string{
			"catalog-info.yaml",
			"demo-template/template/template.yaml",
			"examples/ai-resources.yaml",
			"examples/mcp-server-api.yaml",
		}, nil},
		{"software-templates", []string{"scaffolder-templates/pull-request/template.yaml"},
			[]string{"scaffolder-templates/pull-request/template/catalog-info.yaml"}},
	} {
		dir := filepath.Join("testdata", "discovery", "real", c.dir)
		f, err := (&Search{Ignorer: ig, Sniffer: NewSniffer(nil)}).Discover([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := relTargets(t, dir, f.Targets); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: found %v, want %v", c.dir, got, c.want)
		}
		if got := relPaths(t, dir, f.TemplateSources); !reflect.DeepEqual(got, c.templates) {
			t.Errorf("%s: template sources %v, want %v", c.dir, got, c.templates)
		}
	}
}

// sniffRef is Sniffer.Match for DefaultAPIVersions written as a regular
// expression, to hold the byte scan to.
var sniffRef = regexp.MustCompile(`(?m)^\x{FEFF}?(?:---[ \t]*)?(?:(?:- |\{)[ \t]*)?(?:apiVersion|"apiVersion"|'apiVersion')[ \t]*:[ \t]*["']?(?:backstage\.io/|scaffolder\.backstage\.io/)`)

func FuzzSniff(f *testing.F) {
	for _, s := range []string{
		"apiVersion: backstage.io/v1alpha1\n", "\"apiVersion\": 'scaffolder.backstage.io/v1beta3'", "--- - apiVersion: backstage.io/",
		"  apiVersion: backstage.io/v1", "x: 1\n{apiVersion: backstage.io/v1}", "\uFEFFapiVersion:backstage.io/", "'apiVersion\": backstage.io/",
	} {
		f.Add([]byte(s))
	}
	s := NewSniffer(nil)
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := s.Match(b), sniffRef.Match(b); got != want {
			t.Errorf("Match(%q) = %v, the regular expression says %v", b, got, want)
		}
	})
}

func TestTemplateFetchingItsOwnFolder(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"template.yaml":        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n    - action: fetch:template\n      input:\n        url: ./\n    - action: fetch:plain\n      input:\n        url: ..\n    - action: fetch:plain:file\n      input:\n        url: ./extra/one.yaml\n",
		"catalog-info.yaml":    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: the-template-repo\n",
		"extra/one.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: one\n",
		"extra/two.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: two\n",
		"remote/template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: r\nspec:\n  steps:\n    - action: fetch:template\n      input:\n        url: https://github.com/acme/skeleton\n    - action: fetch:template\n      input:\n        url: ${{ parameters.url }}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := (&Search{Sniffer: NewSniffer(nil)}).Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := relTargets(t, dir, f.Targets); !reflect.DeepEqual(got, []string{"catalog-info.yaml", "extra/two.yaml", "remote/template.yaml", "template.yaml"}) {
		t.Errorf("found %v", got)
	}
	if got := relPaths(t, dir, f.TemplateSources); !reflect.DeepEqual(got, []string{"extra/one.yaml"}) {
		t.Errorf("template sources %v", got)
	}
}
