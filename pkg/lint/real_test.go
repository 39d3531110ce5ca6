package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// realRepo copies testdata/real/NAME (files from a real repository, see
// its README) into a checkout whose origin is that repository.
func realRepo(t *testing.T, name, origin string) string {
	t.Helper()
	files := map[string]string{}
	src := filepath.Join("testdata", "real", name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(src, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return gitRepo(t, origin, files)
}

func count(ds []diag.Diagnostic) (e, w, n int) { return diag.Count(ds) }

// runReal checks paths with every rule but the owners group and those in
// disable, following Locations.
func runReal(t *testing.T, paths []string, disable ...string) *Result {
	t.Helper()
	sel, err := NewSelection(nil, append([]string{GroupOwners}, disable...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), Options{Paths: paths, Selection: sel, FollowLocations: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// rhdhorchestrator/workflow-software-templates entities/workflow-resources.yaml:
// a Location whose targets are GitHub links into its own repository.
func TestRealLocationIntoItsOwnRepositoryIsFollowedInTheCheckout(t *testing.T) {
	dir := realRepo(t, "rhdhorchestrator-location", "https://github.com/rhdhorchestrator/workflow-software-templates.git")
	// Only the Location is named: its targets come from following it.
	res := runReal(t, []string{filepath.Join(dir, "entities/workflow-resources.yaml")})
	if len(res.Diagnostics) != 0 {
		t.Errorf("want no finding (the targets are files of this checkout), got:\n%s", lines(res.Diagnostics))
	}
	var refs []string
	for _, e := range res.Entities {
		refs = append(refs, e.Ref)
	}
	if got := strings.Join(refs, " "); got != "group:default/janus-orchestrator system:default/janus-orchestrator location:default/workflow-orchestrator-entities" {
		t.Errorf("want the Location and its two targets' entities, got %s", got)
	}
	// A checkout of another repository does not read them.
	other := realRepo(t, "rhdhorchestrator-location", "https://github.com/example/fork.git")
	out := lines(runAll(t, load.Options{}, filepath.Join(other, "entities/workflow-resources.yaml")))
	if strings.Count(out, "remote Location target https://github.com/rhdhorchestrator/") != 2 {
		t.Errorf("another repository's links stay remote, got:\n%s", out)
	}
}

// cnoe-io/backstage-app examples/: two Components' techdocs-ref dir:. name
// the same mkdocs.yml, whose docs_dir is missing.
func TestRealSharedMkdocsConfigIsReportedOnce(t *testing.T) {
	dir := realRepo(t, "cnoe-examples", "https://github.com/cnoe-io/backstage-app.git")
	ds := runAll(t, load.Options{}, filepath.Join(dir, "examples/entities.yaml"))
	out := lines(ds)
	if strings.Count(out, `error techdocs mkdocs.yml:2: docs_dir "docs": examples/docs does not exist`) != 1 {
		t.Errorf("want the mkdocs.yml error once, got:\n%s", out)
	}
	if e, w, _ := count(ds); e != 1 || w != 0 {
		t.Errorf("want 1 error and no warning, got %d, %d:\n%s", e, w, out)
	}
}

// RoadieHQ/software-templates create-aws-serverless-backend/template.yaml:
// a backstage.io/v1beta2 Template, which Backstage rejects.
func TestRealV1beta2TemplateIsRejected(t *testing.T) {
	dir := realRepo(t, "roadie-v1beta2", "https://github.com/RoadieHQ/software-templates.git")
	res := runReal(t, []string{dir})
	out := lines(res.Diagnostics)
	want := `error kind template.yaml:1: kind Template does not accept apiVersion "backstage.io/v1beta2"; it accepts scaffolder.backstage.io/v1beta3`
	if e, _, _ := count(res.Diagnostics); e != 1 || !strings.Contains(out, want) {
		t.Errorf("want exactly %q, got:\n%s", want, out)
	}
	if len(res.Entities) != 1 || !res.Entities[0].Invalid {
		t.Errorf("want the one entity invalid (Backstage does not ingest it), got %+v", res.Entities)
	}
}

// aws-samples/appmod-blueprints create-dev-and-prod-env: a Template whose
// description shows ${{ parameters.name }} in a shell example.
func TestRealTemplateWithExpressionsInItsDescriptionIsChecked(t *testing.T) {
	dir := realRepo(t, "aws-template-description", "https://github.com/aws-samples/appmod-blueprints.git")
	// Only the template is kept here, not the skeleton it fetches (which
	// template-skeleton would say it cannot read).
	res := runReal(t, []string{dir}, RuleTemplateSkeleton)
	if len(res.Diagnostics) != 0 {
		t.Errorf("want no finding (no template-source notice either), got:\n%s", lines(res.Diagnostics))
	}
	if len(res.Entities) != 1 || res.Entities[0].TemplateSource || res.Entities[0].Invalid || res.Entities[0].Ref != "template:default/create-dev-and-prod-env" {
		t.Errorf("want the Template checked and valid, got %+v", res.Entities)
	}
}

// platform-test-org/backstage-catalogs-integ-tests entities/: an OpenAPI
// 3.0.0 API whose operations have no responses, provided by a Component.
func TestRealOperationsWithoutResponses(t *testing.T) {
	dir := realRepo(t, "platform-test-org-api", "https://github.com/platform-test-org/backstage-catalogs-integ-tests.git")
	res := runReal(t, []string{dir}, RuleUnresolved)
	out := lines(res.Diagnostics)
	e, w, n := count(res.Diagnostics)
	if e != 3 || w != 1 || n != 0 {
		t.Errorf("want 3 errors and 1 warning, got %d, %d, %d:\n%s", e, w, n, out)
	}
	for _, want := range []string{
		"error api-definition api.yaml:19: openapi definition: invalid paths: invalid path /dummy: invalid operation GET: responses is required (it is missing or null)",
		"warning api-provided component.yaml:15: spec.providesApis[0]: the definition of api:default/backstage-api-demo is not valid (",
		"so its API page may show an error or no spec",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
}
