package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/owners"
)

const goldenTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: service-go
  title: Go service
spec:
  owner: team-web
  type: service
  parameters:
    - title: Service
      required: [name, owner]
      properties:
        name:
          type: string
          default: %s
        owner:
          type: string
          default: %s
          ui:field: OwnerPicker
        system:
          type: string
          ui:field: EntityPicker
        description:
          type: string
          default: A Go service
    - title: Repository
      required: [repoUrl]
      properties:
        repoUrl:
          type: string
          ui:field: RepoUrlPicker
          ui:options:
            allowedHosts: [github.com]
  steps:
    - id: fetch
      name: Fetch skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          owner: ${{ parameters.owner }}
          system: ${{ parameters.system }}
          description: ${{ parameters.description }}
          repoUrl: ${{ parameters.repoUrl }}
    - id: publish
      action: publish:github
      input:
        repoUrl: ${{ parameters.repoUrl }}
    - id: register
      action: catalog:register
      input:
        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
`

const goldenSkeleton = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name | dump }}
{%- if values.description %}
  description: ${{ values.description | dump }}
{%- endif %}
  annotations:
    github.com/project-slug: ${{ values.repoUrl | projectSlug }}
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.owner | dump }}
  system: ${{ values.system }}
`

func templateRun(t *testing.T, files map[string]string, topts TemplateOptions) []string {
	t.Helper()
	dir := tree(t, files)
	sel, _ := NewSelection(nil, nil)
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, Templates: topts,
		Owners: []owners.Provider{acme}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		rel, _ := filepath.Rel(dir, d.File)
		out = append(out, fmt.Sprintf("%s %s %s:%d:%d: %s | %s", d.Severity, d.Rule, filepath.ToSlash(rel), d.Line, d.Column, d.Message, d.Suggestion))
	}
	sort.Strings(out)
	return out
}

func TestGoldenPathBroken(t *testing.T) {
	got := templateRun(t, map[string]string{
		"template.yaml":                    fmt.Sprintf(goldenTemplate, "Bad_Name!", "team-paymnets"),
		"skeleton/catalog-info.yaml":       goldenSkeleton,
		"skeleton/.github/workflows/x.yml": "on: push\n",
		"skeleton/Jenkinsfile":             "pipeline {}\n",
	}, TemplateOptions{Skeleton: []SkeletonPolicy{{Type: "service", Require: []string{".github/workflows/ci.yml"}, Forbid: []string{"Jenkinsfile"}}}})
	want := []string{
		`error format skeleton/catalog-info.yaml:4:9: metadata.name "Bad_Name!" is not valid`,
		"rendered by template `service-go` with values.name=\"Bad_Name!\" (parameter default)",
		`error owner-missing skeleton/catalog-info.yaml:13:10: spec.owner: group team-paymnets does not exist`,
		"rendered by template `service-go` with values.owner=\"team-paymnets\" (parameter default) | did you mean team-payments?",
		"error template-files template.yaml:4:9: template `service-go` does not ship .github/workflows/ci.yml",
		"error template-files template.yaml:4:9: template `service-go` ships Jenkinsfile",
		"notice template-skeleton skeleton/catalog-info.yaml:9:30: template `service-go` has no value for",
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in\n%s", w, all)
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, "error") && !strings.Contains(g, "Bad_Name") && !strings.Contains(g, "paymnets") && !strings.Contains(g, "template-files") {
			t.Errorf("unexpected: %s", g)
		}
	}
}

func TestGoldenPathGood(t *testing.T) {
	got := templateRun(t, map[string]string{
		"template.yaml":                     fmt.Sprintf(goldenTemplate, "payments-api", "team-payments"),
		"skeleton/catalog-info.yaml":        goldenSkeleton,
		"skeleton/.github/workflows/ci.yml": "on: push\n",
	}, TemplateOptions{Skeleton: []SkeletonPolicy{{Type: "service", Require: []string{".github/workflows/ci.yml"}, Forbid: []string{"Jenkinsfile"}}}})
	for _, g := range got {
		if strings.HasPrefix(g, "error") || strings.HasPrefix(g, "warning") {
			t.Errorf("unexpected: %s", g)
		}
	}
	// The unknown values (system, the repository) are a notice.
	if !strings.Contains(strings.Join(got, "\n"), "notice template-skeleton skeleton/catalog-info.yaml:9:30") {
		t.Errorf("no notice:\n%s", strings.Join(got, "\n"))
	}
	_ = diag.Error
}

// goldenFixture checks a real Template of testdata/golden and returns its
// findings as "severity rule file:line: message".
func goldenFixture(t *testing.T, name string, topts TemplateOptions) []string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	sel, _ := NewSelection(nil, nil)
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, Templates: topts, Owners: []owners.Provider{acme}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Templates) != 1 || res.Templates[0].Files != 1 {
		t.Fatalf("%s: want one template rendering one catalog file, got %+v", name, res.Templates)
	}
	var out []string
	for _, d := range res.Diagnostics {
		rel, _ := filepath.Rel(dir, d.File)
		out = append(out, fmt.Sprintf("%s %s %s:%d: %s", d.Severity, d.Rule, filepath.ToSlash(rel), d.Line, d.Message))
	}
	return out
}

func TestGoldenRealTemplates(t *testing.T) {
	has := func(got []string, prefix string) bool {
		for _, g := range got {
			if strings.HasPrefix(g, prefix) {
				return true
			}
		}
		return false
	}
	noRenderedErrors := func(name string, got []string) {
		for _, g := range got {
			if strings.HasPrefix(g, "error") && (strings.Contains(g, "rendered by template") || strings.Contains(g, "template-files")) {
				t.Errorf("%s: %s", name, g)
			}
		}
	}

	got := goldenFixture(t, "clean-architecture-app", TemplateOptions{})
	noRenderedErrors("clean-architecture-app", got)
	for _, w := range []string{
		"warning template-skeleton skeleton/catalog-info.yaml:6: template `scaffold-bancolombia-java`: values.destination.owner, values.destination.repo are undefined here (the fetch step passes no values.destination), and joined into text they write \"undefined\" into catalog-info.yaml",
		`warning techdocs skeleton/catalog-info.yaml:7: backstage.io/techdocs-ref "dir:."`,
		"notice template-skeleton skeleton/catalog-info.yaml:4: template `scaffold-bancolombia-java` has no value for parameters.name, parameters.owner (OwnerPicker)",
	} {
		if !has(got, w) {
			t.Errorf("clean-architecture-app: no %q in\n%s", w, strings.Join(got, "\n"))
		}
	}

	got = goldenFixture(t, "rhdh-go-backend", TemplateOptions{})
	noRenderedErrors("rhdh-go-backend", got)
	got = goldenFixture(t, "rhdh-go-backend", TemplateOptions{Values: map[string]map[string]any{
		"go-backend-template": {"orgName": "acme", "repoName": "Payments_API!", "owner": "group:default/team-paymnets"}}})
	for _, w := range []string{
		`error format skeletons/catalog-info/catalog-info.yaml:14: metadata.name "Payments_API!" is not valid`,
		`error owner-missing skeletons/catalog-info/catalog-info.yaml:47: spec.owner: group team-paymnets does not exist`,
	} {
		if !has(got, w) {
			t.Errorf("rhdh-go-backend: no %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	for _, g := range got {
		if strings.Contains(g, ":14: metadata.name") && !strings.Contains(g, `with values.repoName="Payments_API!" (config)`) {
			t.Errorf("the values that produced it are not named: %s", g)
		}
	}

	got = goldenFixture(t, "portfolio-go-service", TemplateOptions{})
	if !has(got, "error schema skeletons/go-service/catalog-info.yaml:16: metadata.labels.golden-path must be a string, found the boolean true; rendered by template `golden-path-go-service`") {
		t.Errorf("portfolio-go-service:\n%s", strings.Join(got, "\n"))
	}

	got = goldenFixture(t, "roadie-pr-with-catalog-entry", TemplateOptions{})
	// Its own techdocs-ref has no docs here as in its repository: that
	// finding is the Template's, not what it renders.
	noRenderedErrors("roadie-pr-with-catalog-entry", got)
	if !has(got, "notice template-skeleton skeleton/catalog-info.yaml.njk:4: template `open-pr-with-catalog-entry` has no value for") {
		t.Errorf("roadie: %s", strings.Join(got, "\n"))
	}
}

// A placeholder of a skeleton's catalog file reads what the new repository
// holds: a file the skeleton writes under another name counts, one nobody
// writes does not.
func TestGoldenPathPlaceholders(t *testing.T) {
	tmpl := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: api-go\nspec:\n  owner: team-web\n  type: service\n  parameters:\n    properties:\n      name: {type: string, default: pets}\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n        templateFileExtension: .njk\n        values:\n          name: ${{ parameters.name }}\n"
	skel := "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: openapi\n  lifecycle: experimental\n  owner: team-web\n  definition:\n    $text: ./%s\n"
	for _, c := range []struct {
		target string
		want   bool
	}{{"openapi.yaml", false}, {"missing.yaml", true}} {
		got := templateRun(t, map[string]string{
			"template.yaml":                  tmpl,
			"skeleton/catalog-info.yaml.njk": fmt.Sprintf(skel, c.target),
			"skeleton/openapi.yaml.njk":      "openapi: 3.0.0\ninfo:\n  title: ${{ values.name }}\n  version: 1.0.0\npaths: {}\n",
		}, TemplateOptions{})
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, "error placeholder skeleton/catalog-info.yaml.njk:10:") {
				found = true
			}
			if strings.HasPrefix(g, "error") && !strings.Contains(g, "placeholder") {
				t.Errorf("%s: %s", c.target, g)
			}
		}
		if found != c.want {
			t.Errorf("%s: placeholder error %v, want %v:\n%s", c.target, found, c.want, strings.Join(got, "\n"))
		}
	}
}

// A fetch step whose url links into the checked repository itself (a
// GitHub tree URL of its remote) is read from the checkout.
func TestGoldenPathURLIntoThisRepository(t *testing.T) {
	tmpl := strings.Replace(fmt.Sprintf(goldenTemplate, "Bad_Name!", "team-payments"), "url: ./skeleton", "url: https://github.com/acme/golden/tree/main/skeleton", 1)
	got := templateRun(t, map[string]string{
		".git/config":                "[remote \"origin\"]\n\turl = git@github.com:acme/golden.git\n",
		"template.yaml":              tmpl,
		"skeleton/catalog-info.yaml": goldenSkeleton,
	}, TemplateOptions{})
	if !strings.Contains(strings.Join(got, "\n"), `error format skeleton/catalog-info.yaml:4:9: metadata.name "Bad_Name!" is not valid`) {
		t.Errorf("the skeleton was not rendered:\n%s", strings.Join(got, "\n"))
	}
}

// --only owners still renders Templates (their owners are checked), and
// --disable template-skeleton turns rendering off.
func TestGoldenPathSelection(t *testing.T) {
	dir := tree(t, map[string]string{
		"template.yaml":              fmt.Sprintf(goldenTemplate, "svc", "team-paymnets"),
		"skeleton/catalog-info.yaml": goldenSkeleton,
	})
	for _, c := range []struct {
		only, disable []string
		want          bool
	}{{[]string{GroupOwners}, nil, true}, {nil, []string{RuleTemplateSkeleton}, false}, {nil, []string{GroupSchema}, false}} {
		sel, err := NewSelection(c.only, c.disable)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel, Owners: []owners.Provider{acme}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range res.Diagnostics {
			if d.Rule == RuleOwnerMissing && strings.Contains(d.Message, "team-paymnets") {
				found = true
			}
			if d.Rule == RuleTemplateSkeleton && !sel.Enabled(RuleTemplateSkeleton) {
				t.Errorf("%v/%v: %s", c.only, c.disable, d)
			}
		}
		if found != c.want {
			t.Errorf("--only %v --disable %v: skeleton owner reported %v, want %v", c.only, c.disable, found, c.want)
		}
	}
}
