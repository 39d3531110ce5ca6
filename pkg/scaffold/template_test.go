package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func renderTemplate(t *testing.T, dir, tmpl string, values map[string]any) *Result {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(tmpl), &doc); err != nil {
		t.Fatal(err)
	}
	return Render(doc, filepath.Join(dir, "template.yaml"), Options{Root: dir, Values: values})
}

func TestRenderSteps(t *testing.T) {
	dir := writeTree(t, map[string]string{
		// cookiecutterCompat: {{ cookiecutter.x }} and jsonify.
		"cc/{{cookiecutter.name}}/catalog-info.yaml": "metadata:\n  name: {{ cookiecutter.name | jsonify }}\n  title: ${{ stays }}\n",
		// templateFileExtension: only .njk files are rendered, and lose it.
		"njk/catalog-info.yaml.njk": "name: ${{ values.name }}\n",
		"njk/other.yaml":            "name: ${{ values.name }}\n",
		// copyWithoutTemplating: copied as is, but its name is rendered.
		"plain/catalog-info.yaml":         "name: ${{ values.name }}\n",
		"plain/raw/${{ values.name }}.md": "x",
		// A name rendered empty is skipped (a conditional file).
		"cond/${{ 'Jenkinsfile' if values.jenkins }}": "pipeline {}\n",
		"cond/ci.yml": "on: push\n",
		"single.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}-single\n",
	})
	tmpl := `
spec:
  parameters:
    - properties:
        name: {type: string, default: svc}
        jenkins: {type: boolean, default: false}
        kind: {type: string, enum: [service, website]}
        owner: {type: string, ui:field: OwnerPicker}
        repoUrl: {type: string, ui:field: RepoUrlPicker, ui:options: {allowedHosts: [github.com], allowedOwners: [acme]}}
  steps:
    - id: cc
      action: fetch:template
      input: {url: ./cc, cookiecutterCompat: true, values: {name: "${{ parameters.name }}"}}
    - id: njk
      action: fetch:template
      input: {url: ./njk, targetPath: ./njk, templateFileExtension: true, values: {name: "${{ parameters.name }}"}}
    - id: plain
      action: fetch:template
      input: {url: ./plain, targetPath: plain, copyWithoutTemplating: [catalog-info.yaml], values: {name: "${{ parameters.name }}"}}
    - id: cond
      action: fetch:template
      input: {url: ./cond, values: {jenkins: "${{ parameters.jenkins }}"}}
    - id: skipped
      if: "${{ parameters.jenkins }}"
      action: fetch:template
      input: {url: ./nowhere}
    - id: file
      action: fetch:template:file
      input: {url: ./single.yaml, targetPath: ./catalog/single.yaml, values: {name: "${{ parameters.name }}"}}
    - id: remote
      action: fetch:template
      input: {url: "https://github.com/acme/skeletons/tree/main/x"}
`
	res := renderTemplate(t, dir, tmpl, nil)
	got := map[string]string{}
	for _, f := range res.Files {
		got[f.Output] = string(f.Content)
	}
	want := map[string]string{
		"svc/catalog-info.yaml":   "metadata:\n  name: \"svc\"\n  title: $\n", // {{ }} is the variable syntax here
		"njk/catalog-info.yaml":   "name: svc\n",
		"plain/catalog-info.yaml": "name: ${{ values.name }}\n",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["njk/other.yaml"]; ok {
		t.Errorf("a file without the extension is rendered: %v", got)
	}
	paths := strings.Join(res.Paths, " ")
	for _, p := range []string{"catalog/single.yaml", "ci.yml", "njk/catalog-info.yaml", "njk/other.yaml", "plain/raw/svc.md", "svc/catalog-info.yaml"} {
		if !strings.Contains(" "+paths+" ", " "+p+" ") {
			t.Errorf("paths %q lack %s", paths, p)
		}
	}
	if strings.Contains(paths, "Jenkinsfile") {
		t.Errorf("a file whose name renders empty is written: %s", paths)
	}
	if res.Steps != 5 || res.Unfollowed != 1 {
		t.Errorf("steps %d followed, %d not", res.Steps, res.Unfollowed)
	}
	if v := res.Values["parameters.kind"]; v.Value != "service" || v.Origin != "first allowed value" {
		t.Errorf("kind: %+v", v)
	}
	if v := res.Values["parameters.repoUrl"]; !strings.HasPrefix(v.Value.(string), "github.com?owner=acme&repo=catalintunknown") {
		t.Errorf("repoUrl: %+v", v)
	}
	if _, ok := res.Values["parameters.owner"].Value.(Unknown); !ok {
		t.Errorf("owner: %+v", res.Values["parameters.owner"])
	}
	// Config values win over defaults.
	res = renderTemplate(t, dir, tmpl, map[string]any{"name": "other", "jenkins": true})
	if !strings.Contains(strings.Join(res.Paths, " "), "Jenkinsfile") {
		t.Errorf("jenkins: %v", res.Paths)
	}
	if v := res.Values["values.name"]; v.Value != "other" || v.Origin != "config" {
		t.Errorf("values.name: %+v", v)
	}
}

func TestSkeletonOutsideRepository(t *testing.T) {
	outside := writeTree(t, map[string]string{"catalog-info.yaml": "name: secret\n"})
	dir := writeTree(t, map[string]string{"skel/ok.txt": "x"})
	if err := os.Symlink(filepath.Join(outside, "catalog-info.yaml"), filepath.Join(dir, "skel", "catalog-info.yaml")); err != nil {
		t.Skip(err)
	}
	res := renderTemplate(t, dir, "spec:\n  steps:\n    - action: fetch:template\n      input: {url: ./skel}\n    - action: fetch:template\n      input: {url: ../x}\n", nil)
	if len(res.Files) != 0 {
		t.Errorf("read through a link out of the repository: %+v", res.Files)
	}
	msgs := ""
	for _, p := range res.Problems {
		msgs += p.Msg + "\n"
	}
	if !strings.Contains(msgs, "cannot be read") || !strings.Contains(msgs, "outside the repository") {
		t.Errorf("problems: %s", msgs)
	}
}

func FuzzParseRender(f *testing.F) {
	for _, s := range []string{"${{ values.x | dump }}", "{% if a %}x{% elif b %}y{% else %}z{% endif %}", "{% for k, v in values %}${{ k }}{% endfor %}", "${{ (values.r | parseRepoUrl).owner }}", "{%- set x = [1, 2] -%}${{ x | join('-') }}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tp, err := Parse(src, Scaffolder)
		if err != nil {
			return
		}
		out, err := tp.Render(map[string]any{"values": map[string]any{"x": "a", "r": "github.com?owner=o&repo=r", "u": Unknown{ID: 1}}, "a": true})
		if err == nil && len(out.Text) > maxOutput {
			t.Fatalf("output over the limit: %d", len(out.Text))
		}
	})
}

// values: ${{ parameters }} hands every parameter to the skeleton, with
// its origin; a parameter the steps read but no form declares is unknown.
func TestRenderValuesFromAllParameters(t *testing.T) {
	dir := writeTree(t, map[string]string{"skel/catalog-info.yaml": "name: ${{ values.name }}\nowner: ${{ values.owner }}\nextra: ${{ values.extra }}\n"})
	res := renderTemplate(t, dir, `
spec:
  parameters:
    properties:
      name: {type: string, default: svc}
  steps:
    - action: fetch:template
      input:
        url: ./skel
        values: ${{ parameters }}
    - action: fetch:template
      input:
        url: ./skel
        targetPath: other
        values:
          name: ${{ parameters.undeclared }}
`, nil)
	if len(res.Files) != 2 {
		t.Fatalf("files: %+v", res.Files)
	}
	var root, other string
	var rootValues map[string]Value
	for _, f := range res.Files {
		switch f.Output {
		case "catalog-info.yaml":
			root, rootValues = string(f.Content), f.Values
		case "other/catalog-info.yaml":
			other = string(f.Content)
		}
	}
	if root != "name: svc\nowner: \nextra: \n" {
		t.Errorf("rendered %q", root)
	}
	if v := rootValues["values.name"]; v.Value != "svc" || v.Origin != "parameter default" {
		t.Errorf("values.name: %+v", v)
	}
	if ids := UnknownIDs(other); len(ids) != 1 || !strings.Contains(res.Unknown[ids[0]], "parameters.undeclared (not declared)") {
		t.Errorf("%q: %v %v", other, ids, res.Unknown)
	}
}

// A file an earlier step wrote is kept unless the later step says replace.
func TestRenderNoReplace(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/catalog-info.yaml": "from: a\n", "b/catalog-info.yaml": "from: b\n"})
	for replace, want := range map[string]string{"false": "from: a\n", "true": "from: b\n"} {
		res := renderTemplate(t, dir, "spec:\n  steps:\n    - action: fetch:template\n      input: {url: ./a}\n    - action: fetch:template\n      input: {url: ./b, replace: "+replace+"}\n", nil)
		if len(res.Files) != 1 || string(res.Files[0].Content) != want {
			t.Errorf("replace %s: %+v", replace, res.Files)
		}
	}
}
