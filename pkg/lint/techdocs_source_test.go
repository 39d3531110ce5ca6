package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// TechDocs reads a dir: reference relative to backstage.io/source-location
// when an entity has one (catalog-model's getEntitySourceLocation), and
// relative to where the catalog read the file otherwise: the catalog
// replaces a backstage.io/managed-by-location written in the file (tried
// on the real backend). A central catalog's copy of an entity whose
// source-location names its own repository is not held to docs beside
// the copy; one whose source-location names the file's own folder is.
func TestTechDocsRefAndSourceLocation(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "platform-catalog")
	doc := func(name, anns string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n  annotations:\n" + anns +
			"    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	}
	files := map[string]string{
		"services/starter.yaml": doc("elsewhere", "    backstage.io/source-location: url:https://github.com/acme/starter/tree/main/\n") + "---\n" +
			doc("managed", "    backstage.io/managed-by-location: url:https://github.com/acme/starter/blob/main/catalog-info.yaml\n") + "---\n" +
			doc("here", "    backstage.io/source-location: url:https://github.com/acme/platform-catalog/tree/main/services\n"),
		"catalog-info.yaml": doc("root", "    backstage.io/source-location: url:https://github.com/acme/platform-catalog/tree/main/\n"),
		// No trailing slash: dir:. is the folder above (apps/, which has
		// docs); ./web against it is web/ itself, which has them too.
		"apps/web/catalog-info.yaml": doc("noslash", "    backstage.io/source-location: url:https://github.com/acme/platform-catalog/tree/main/apps/web\n") + "---\n" +
			strings.Replace(doc("sibling", "    backstage.io/source-location: url:https://github.com/acme/platform-catalog/blob/main/apps/web\n"), "dir:.", "dir:./web", 1),
		"apps/mkdocs.yml":        "site_name: Apps\n",
		"apps/docs/index.md":     "# Apps\n",
		"apps/web/mkdocs.yml":    "site_name: Web\n",
		"apps/web/docs/index.md": "# Web\n",
	}
	writeTree(t, repo, files)
	res := runOnly(t, []string{repo}, RuleTechDocs)
	got := map[string][]diag.Diagnostic{}
	for _, d := range res.Diagnostics {
		got[d.Entity] = append(got[d.Entity], d)
	}
	one := func(ref string, sev diag.Severity, msg, sugg string) {
		t.Helper()
		ds := got[ref]
		if len(ds) != 1 || ds[0].Severity != sev || !strings.Contains(ds[0].Message, msg) || !strings.Contains(ds[0].Suggestion, sugg) {
			t.Errorf("%s: %+v\nwant one %v containing %q, suggesting %q", ref, ds, sev, msg, sugg)
		}
	}
	one("component:default/elsewhere", diag.Notice, "is read relative to backstage.io/source-location (url:https://github.com/acme/starter/tree/main/): TechDocs reads https://github.com/acme/starter/tree/main/, not a folder of this repository, so the docs there are not checked", "")
	one("component:default/managed", diag.Error, "there are no docs to build", "set backstage.io/source-location: url:https://github.com/acme/starter/tree/main/")
	one("component:default/here", diag.Error, "there are no docs to build", "")
	one("component:default/root", diag.Error, "there are no docs to build", "")
	one("component:default/noslash", diag.Warning, "which has no trailing slash, so TechDocs reads apps/ (https://github.com/acme/platform-catalog/tree/main/apps/), not the folder beside this file", "end backstage.io/source-location with a slash")
	if ds := got["component:default/sibling"]; len(ds) != 0 {
		t.Errorf("sibling: %+v", ds)
	}
	if s := got["component:default/here"]; len(s) == 1 && s[0].Suggestion != "" {
		t.Errorf("here: a suggestion: %q", s[0].Suggestion)
	}
}

// FrankySpot/soundcheck-demo-entities' entities/k8s.yaml (testdata/alarms):
// two Components with source-locations in other repositories and dir:
// refs were errors; they are notices, and nothing else changes.
func TestTechDocsSourceLocationFixture(t *testing.T) {
	repo := copyTree(t, "testdata/alarms/soundcheck-demo-entities")
	res := runOnly(t, []string{repo}, RuleTechDocs)
	notices := 0
	for _, d := range res.Diagnostics {
		switch {
		case d.Severity == diag.Notice && strings.Contains(d.Message, "is read relative to backstage.io/source-location"):
			notices++
		default:
			t.Errorf("%s", d)
		}
	}
	if notices != 2 {
		t.Errorf("%d source-location notices, want 2", notices)
	}
}

// SkylarHoughtonGithub/skylab-backstage-catalog's tetris-react/component.yaml
// (testdata/alarms): dir:./tetris-react against a source-location ending in
// /tetris-react without a slash is that folder itself; with its docs
// there, nothing is wrong but the MkDocs file TechDocs generates.
func TestTechDocsSourceLocationURLResolution(t *testing.T) {
	repo := copyTree(t, "testdata/alarms/skylab-backstage-catalog")
	// The repository's folder is named as the repository is.
	named := filepath.Join(filepath.Dir(repo), "skylab-backstage-catalog")
	if err := os.Rename(repo, named); err != nil {
		t.Fatal(err)
	}
	writeTree(t, named, map[string]string{"tetris-react/docs/index.md": "# Tetris\n"})
	res := runOnly(t, []string{named}, RuleTechDocs)
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != diag.Notice || !strings.Contains(res.Diagnostics[0].Message, "tetris-react/ has no mkdocs.yml") {
		t.Errorf("%+v", res.Diagnostics)
	}
}

// A template source whose {% if %} breaks its YAML as it stands is a
// template source whatever --only selects (seen with --only techdocs on
// skylab-backstage-catalog's workload templates): no YAML error; turned
// off with --disable template-source, it is checked as it stands.
func TestTemplateSourceUnderOnly(t *testing.T) {
	dir := t.TempDir()
	src := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\n  links:\n    {%- if values.url %}\n    - url: ${{ values.url }}\n    {%- endif %}\nspec:\n  type: service\n  lifecycle: production\n  owner: ${{ values.owner }}\n"
	writeTree(t, dir, map[string]string{"catalog-info.yaml": src})
	for _, tc := range []struct {
		only, disable []string
		yamlErr       bool
	}{
		{[]string{RuleTechDocs}, nil, false},
		{nil, nil, false},
		{nil, []string{"template-source"}, true},
	} {
		sel, err := NewSelection(tc.only, tc.disable)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Selection: sel})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, d := range res.Diagnostics {
			if d.Rule == "yaml" {
				got = true
			}
		}
		if got != tc.yamlErr {
			t.Errorf("only %v, disable %v: YAML error %v, want %v: %+v", tc.only, tc.disable, got, tc.yamlErr, res.Diagnostics)
		}
	}
}

// A skeleton a Template renders through a fetch url with expressions in it
// (./templates/${{ parameters.variant }}) is found by the folder search
// too; its template-source notice ("not checked") contradicted the
// Template's findings on it and is dropped (skylab-backstage-catalog's
// eks template, found by a helper).
func TestRenderedSkeletonHasNoTemplateSourceNotice(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: eks\nspec:\n  owner: team-a\n  type: service\n" +
			"  parameters:\n    - properties:\n        variant: {type: string, default: standard}\n        name: {type: string}\n" +
			"  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./templates/${{ parameters.variant }}\n        values:\n          name: ${{ parameters.name }}\n",
		"templates/standard/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
	}
	writeTree(t, dir, files)
	res := runOnly(t, []string{dir})
	skeleton := false
	for _, d := range res.Diagnostics {
		if !strings.HasSuffix(d.File, filepath.Join("standard", "catalog-info.yaml")) {
			continue
		}
		switch d.Rule {
		case "template-source":
			t.Errorf("template-source on a rendered skeleton: %s", d.Message)
		case RuleTemplateSkeleton:
			skeleton = true
		}
	}
	if !skeleton {
		t.Errorf("no template-skeleton finding on the skeleton: %+v", res.Diagnostics)
	}
}

// With cookiecutterCompat: true, fetch:template gives the skeleton its
// values as cookiecutter.x: a skeleton that writes {{ values.name }}
// renders it empty. The finding on the empty field says so, instead of
// only "give it a value" (gargiolastech/backstage-catalog, found by a
// helper).
func TestCookiecutterCompatValuesHint(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: dotnet\nspec:\n  owner: team-a\n  type: service\n" +
			"  parameters:\n    - properties:\n        appName: {type: string, default: orders}\n" +
			"  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n        cookiecutterCompat: true\n        values:\n          appName: ${{ parameters.appName }}\n",
		"skeleton/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {{ values.appName }}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
	}
	writeTree(t, dir, files)
	res := runOnly(t, []string{dir})
	found := false
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error && d.Line == 4 && strings.Contains(d.Message, "metadata.name") &&
			strings.Contains(d.Message, "values.appName (undefined: with cookiecutterCompat: true the values are cookiecutter.appName)") {
			found = true
		}
	}
	if !found {
		t.Errorf("%+v", res.Diagnostics)
	}
}
