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
