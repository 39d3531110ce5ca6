package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

func TestTemplateSources(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		// Two skeletons of the same shape: no duplicate, no format error.
		"skeletons/a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name | dump }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n",
		"skeletons/b/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name | dump }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n",
		// Nunjucks tags that are not YAML: no YAML error.
		"skeletons/c/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n{%- if values.description %}\n  description: ${{ values.description }}\n{%- endif %}\nspec:\n  type: service\n",
		// A file with a template document and a broken entity: the
		// entity's error stays.
		"mixed.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad_Name!\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ${{ values.name }}-db\nspec:\n  type: database\n  owner: team-a\n",
		// A Template's steps hold expressions by design.
		"template.yaml": "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: svc\nspec:\n  owner: team-a\n  type: service\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeletons/a\n        values:\n          name: ${{ parameters.name }}\n          owner: ${{ parameters.owner }}\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var paths []string
	for name := range files {
		paths = append(paths, filepath.Join(dir, name))
	}
	run := func(disable []string) *Result {
		sel, err := NewSelection(nil, disable)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Options{Paths: paths, Selection: sel})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run(nil)
	notices := map[string]int{}
	for _, d := range res.Diagnostics {
		rel, _ := filepath.Rel(dir, d.File)
		rel = filepath.ToSlash(rel)
		switch {
		case d.Rule == load.RuleTemplateSource:
			notices[rel]++
			if d.Severity != diag.Notice {
				t.Errorf("%s: severity %v", d, d.Severity)
			}
		case d.Severity == diag.Error && rel == "mixed.yaml" && d.Line == 4 && d.Rule == RuleFormat:
			// The broken entity beside the template document.
		case d.Severity == diag.Error || d.Severity == diag.Warning:
			t.Errorf("unexpected finding: %s", d)
		}
	}
	// skeletons/a is what template.yaml renders: its rendering is checked,
	// so it has no "not checked" notice (TestRenderedSkeletonHasNoTemplateSourceNotice).
	want := map[string]int{"skeletons/b/catalog-info.yaml": 1, "skeletons/c/catalog-info.yaml": 1, "mixed.yaml": 1}
	for f, n := range want {
		if notices[f] != n {
			t.Errorf("%s: %d template-source notices, want %d (all: %v)", f, notices[f], n, notices)
		}
	}
	if len(notices) != len(want) {
		t.Errorf("notices %v", notices)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == load.RuleTemplateSource && strings.HasSuffix(d.File, "mixed.yaml") && (d.Line != 13 || !strings.Contains(d.Message, "1 of its 2 documents are not checked")) {
			t.Errorf("mixed.yaml notice: %s", d)
		}
		if d.Rule == load.RuleTemplateSource && strings.HasSuffix(d.File, "c/catalog-info.yaml") && d.Line != 5 {
			t.Errorf("the notice is at the first expression: %s", d)
		}
	}
	tmpl := 0
	for _, e := range res.Entities {
		if e.TemplateSource {
			tmpl++
		}
		if e.Kind == "Template" && (e.TemplateSource || e.Invalid) {
			t.Errorf("the Template: %+v", e)
		}
	}
	if tmpl != 4 {
		t.Errorf("%d template-source documents, want 4", tmpl)
	}

	// Turned off, the files are checked as they stand.
	res = run([]string{load.RuleTemplateSource})
	rules := map[string]bool{}
	for _, d := range res.Diagnostics {
		rules[d.Rule] = true
	}
	for _, r := range []string{load.RuleYAML, RuleFormat, RuleDuplicate} {
		if !rules[r] {
			t.Errorf("--disable template-source: no %s finding (%v)", r, rules)
		}
	}
}
