package scaffold

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// crossCases are rendered by this package and by the real Nunjucks.
var crossCases = []struct {
	src    string
	ctx    map[string]any
	compat bool
	trim   bool
}{
	{src: "a\n  {%- if x %}\nb{% endif %}\nc", ctx: map[string]any{"x": true}},
	{src: "a\n  {% if x -%}\n   b\n{%- endif %}\nc", ctx: map[string]any{"x": true}},
	{src: "a\n{% if x %}\nb\n{% endif %}\nc\n", ctx: map[string]any{"x": false}, trim: true},
	{src: "{# c #}\n{%- for t in tags %}\n  - ${{ t | lower }}{% if not loop.last %},{% endif %}\n{%- endfor %}\n", ctx: map[string]any{"tags": []any{"Go", "Web"}}},
	{src: "${{ n }} ${{ n * 2 }} ${{ n / 4 }} ${{ 7 // 2 }} ${{ 2 ** 10 }} ${{ 7 % 3 }}", ctx: map[string]any{"n": 3.0}},
	{src: "${{ u }}|${{ nul }}|${{ u.x }}|${{ nul | default('d') }}|${{ u | default('d') }}|${{ '' | d('e', true) }}", ctx: map[string]any{"nul": nil}},
	{src: "${{ s | replace('-', '_') | upper }} ${{ s | capitalize }} ${{ s | title }} ${{ s | length }} ${{ s | first }}${{ s | last }} ${{ s | reverse }}", ctx: map[string]any{"s": "my-svc x"}},
	{src: "${{ l | join(', ') }} ${{ l | length }} ${{ l | first }} ${{ l | dump }} ${{ l }}", ctx: map[string]any{"l": []any{"b", "a", 1.0, true}}},
	// (sort of a list of mixed types depends on the JavaScript engine.)
	{src: "${{ l | sort | join }} ${{ n | sort | join(',') }}", ctx: map[string]any{"l": []any{"b", "A", "c"}, "n": []any{10.0, 9.0, 1.5}}},
	{src: "${{ 'yes' if x else 'no' }} ${{ 'yes' if y }} ${{ x and y }} ${{ x or y }} ${{ not x }}", ctx: map[string]any{"x": "v", "y": ""}},
	{src: "${{ a == 1 }} ${{ a == '1' }} ${{ a === '1' }} ${{ a != 2 }} ${{ 'b' in l }} ${{ 'z' not in l }} ${{ a is defined }} ${{ q is undefined }}", ctx: map[string]any{"a": 1.0, "l": []any{"b"}}},
	{src: "${{ s ~ '-' ~ n }} ${{ s + n }} ${{ n + n }} ${{ s.split('-')[1] }} ${{ s.toUpperCase() }} ${{ s.replace('-', '+') }}", ctx: map[string]any{"s": "my-svc", "n": 2.0}},
	{src: "{% set x = s | lower %}{% set a, b = 1 %}${{ x }} ${{ a }}${{ b }}", ctx: map[string]any{"s": "UP"}},
	{src: "{% for k, v in m %}${{ k }}=${{ v }};{% endfor %}{% for x in [] %}a{% else %}empty{% endfor %}", ctx: map[string]any{"m": map[string]any{"a": 1.0, "b": "two"}}},
	{src: "${{ r | parseRepoUrl | pick('owner') }} ${{ r | projectSlug }} ${{ (r | parseRepoUrl).repo }} ${{ ('group:x/team-a' | parseEntityRef).name }} ${{ ('team-a' | parseEntityRef({defaultKind: 'Group'})).namespace }}", ctx: map[string]any{"r": "github.com?owner=acme&repo=svc"}},
	{src: "{% raw %}${{ keep }}{% endraw %} ${{ v | dump(2) }}", ctx: map[string]any{"v": []any{1.0, "x"}}},
	{src: "name: {{ cookiecutter.name | jsonify }}\nowner: {{cookiecutter.owner}}\n${{ not_a_var }}", ctx: map[string]any{"cookiecutter": map[string]any{"name": "svc", "owner": "team-a"}}, compat: true},
	{src: "${{ v | int }} ${{ '3.7' | float }} ${{ -3 | abs }} ${{ s | truncate(3) }} ${{ s | indent(2) }} ${{ s | trim }}", ctx: map[string]any{"v": "42", "s": " long text\nline "}},
	{src: "${{ r | parseRepoUrl }}", ctx: map[string]any{"r": ""}},
	{src: "{% if x %}unclosed", ctx: map[string]any{}},
}

// TestCrossCheckNunjucks renders crossCases and the real Templates of
// ../lint/testdata/golden with the real Nunjucks (scripts/nunjucks-render.js,
// under node) and compares. It runs when CATALINT_NUNJUCKS names a
// node_modules holding nunjucks (npm install nunjucks@3).
func TestCrossCheckNunjucks(t *testing.T) {
	mods := os.Getenv("CATALINT_NUNJUCKS")
	if mods == "" {
		t.Skip("set CATALINT_NUNJUCKS to a node_modules folder holding nunjucks to compare with the real Nunjucks")
	}
	type jsCase struct {
		Src    string         `json:"src"`
		Ctx    map[string]any `json:"ctx"`
		Compat bool           `json:"compat"`
		Trim   bool           `json:"trimBlocks"`
	}
	var cases []jsCase
	var names []string
	for _, c := range crossCases {
		cases = append(cases, jsCase{c.src, c.ctx, c.compat, c.trim})
	}
	// The real skeletons, with known values for every variable they read.
	vals := map[string]any{"values": map[string]any{
		"name": "svc", "component_id": "svc", "repoName": "payments", "orgName": "acme", "owner": "group:default/team-a",
		"description": "A service", "system": "payments", "sourceControl": "github.com", "applicationType": "api",
		"type": "service", "lifecycle": "production", "argoAppName": "svc-argo", "repoOrg": "acme", "repoSlug": "svc",
		"environment": "dev", "namespace": "svc-ns", "destination": map[string]any{"owner": "acme", "repo": "svc"},
	}}
	for _, f := range []string{
		"../lint/testdata/golden/rhdh-go-backend/skeletons/catalog-info/catalog-info.yaml",
		"../lint/testdata/golden/roadie-pr-with-catalog-entry/skeleton/catalog-info.yaml.njk",
		"../lint/testdata/golden/clean-architecture-app/skeleton/catalog-info.yaml",
		"../lint/testdata/golden/portfolio-go-service/skeletons/go-service/catalog-info.yaml",
	} {
		b, err := os.ReadFile(filepath.FromSlash(f))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, jsCase{Src: string(b), Ctx: vals})
	}
	names = make([]string, len(cases))
	// More files to compare (CATALINT_NUNJUCKS_FILES: a file listing
	// paths, one a line), each with the values above and with none.
	if list := os.Getenv("CATALINT_NUNJUCKS_FILES"); list != "" {
		b, err := os.ReadFile(list)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			compat := strings.Contains(string(src), "cookiecutter.")
			cvals := vals
			if compat {
				cvals = map[string]any{"cookiecutter": vals["values"]}
			}
			cases = append(cases, jsCase{Src: string(src), Ctx: cvals, Compat: compat}, jsCase{Src: string(src), Ctx: map[string]any{}, Compat: compat})
			names = append(names, p, p)
		}
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command("node", filepath.Join("..", "..", "scripts", "nunjucks-render.js"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	cmd.Stdin = bytes.NewReader(in)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want []struct{ Out, Err string }
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		syn := Scaffolder
		if c.Compat {
			syn = Compat
		}
		syn.TrimBlocks = c.Trim
		var got string
		what := names[i]
		if what == "" {
			what = c.Src
		}
		tp, err := Parse(c.Src, syn)
		if err == nil {
			var o *Output
			if o, err = tp.Render(fromPlain(c.Ctx).(map[string]any)); err == nil {
				got = o.Text
			}
		}
		switch {
		case want[i].Err != "" && err == nil:
			t.Errorf("case %d %.60q: Nunjucks fails (%s), we render %q", i, what, want[i].Err, got)
		case want[i].Err == "" && err != nil:
			t.Errorf("case %d %.60q: Nunjucks renders %q, we fail: %v", i, what, want[i].Out, err)
		case got != want[i].Out:
			t.Errorf("case %d %.60q:\n got %q\nwant %q", i, what, got, want[i].Out)
		}
	}
}
