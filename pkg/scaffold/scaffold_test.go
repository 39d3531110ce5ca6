package scaffold

import (
	"fmt"
	"strings"
	"testing"
)

func render(t *testing.T, src string, ctx map[string]any) *Output {
	t.Helper()
	tp, err := Parse(src, Scaffolder)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	o, err := tp.Render(ctx)
	if err != nil {
		t.Fatalf("render %q: %v", src, err)
	}
	return o
}

func TestExpressions(t *testing.T) {
	vals := map[string]any{"values": map[string]any{
		"name": "My-Svc", "owner": "team-a", "tags": []any{"go", "web"}, "n": 3.0,
		"repoUrl": "github.com?owner=acme&repo=svc", "empty": "", "ref": "group:default/team-b",
		"obj": map[string]any{"a": map[string]any{"b": "deep"}},
	}}
	cases := map[string]string{
		"${{ values.name }}":                                                        "My-Svc",
		"${{ values.name | lower }}":                                                "my-svc",
		"${{values.name|upper}}":                                                    "MY-SVC",
		"${{ values.name | dump }}":                                                 `"My-Svc"`,
		"${{ values.tags | dump }}":                                                 `["go","web"]`,
		"${{ values.tags | join(', ') }}":                                           "go, web",
		"${{ values.missing | default('x') }}":                                      "x",
		"${{ values.empty | d('x', true) }}":                                        "x",
		"${{ values.missing.deeper }}":                                              "",
		"${{ values.repoUrl | parseRepoUrl | pick('owner') }}":                      "acme",
		"${{ (values.repoUrl | parseRepoUrl).repo }}":                               "svc",
		"${{ values.repoUrl | projectSlug }}":                                       "acme/svc",
		"${{ (values.ref | parseEntityRef).name }}":                                 "team-b",
		"${{ values.obj | pick('a.b') }}":                                           "deep",
		"${{ values.name ~ '-' ~ values.n }}":                                       "My-Svc-3",
		"${{ values.name + '-api' }}":                                               "My-Svc-api",
		"${{ values.n * 2 + 1 }}":                                                   "7",
		"${{ 'y' if values.empty else 'n' }}":                                       "n",
		"${{ values.name | replace('-', '_') | trim }}":                             "My_Svc",
		"${{ values.tags | first }}/${{ values.tags | last }}":                      "go/web",
		"${{ values.tags | length }}":                                               "2",
		"${{ values.name.toLowerCase() }}":                                          "my-svc",
		"${{ values.name.split('-')[1] }}":                                          "Svc",
		"{{ values.name }}":                                                         "{{ values.name }}",
		"{% if values.n > 2 %}big{% elif values.n %}small{% else %}none{% endif %}": "big",
		"{% for t in values.tags %}[${{ loop.index }}:${{ t }}]{% endfor %}":        "[1:go][2:web]",
		"{% for t in values.none %}x{% else %}empty{% endfor %}":                    "empty",
		"{% set x = values.name | lower %}${{ x }}":                                 "my-svc",
		"a\n  {%- if true %}\nb{% endif %}":                                         "a\nb",
		"{% raw %}${{ keep }}{% endraw %}":                                          "${{ keep }}",
		"{# comment #}ok":                                                           "ok",
		"${{ values.name is defined }} ${{ values.nope is not defined }}":           "true true",
		"${{ 'go' in values.tags }}":                                                "true",
		// JavaScript's + and Nunjucks' ~ write undefined and null out.
		"${{ values.missing + '/' + values.name }} ${{ values.missing ~ 'x' }}": "undefined/My-Svc undefinedx",
	}
	for src, want := range cases {
		if got := render(t, src, vals).Text; got != want {
			t.Errorf("%s = %q, want %q", src, got, want)
		}
	}
}

func TestUnknown(t *testing.T) {
	ctx := map[string]any{"values": map[string]any{"owner": Unknown{ID: 3}}}
	o := render(t, "owner: ${{ values.owner | dump }}\n{% if values.owner %}x: ${{ values.owner.name | upper }}{% endif %}", ctx)
	if ids := UnknownIDs(o.Text); len(ids) != 1 || ids[0] != 3 {
		t.Errorf("%q: ids %v", o.Text, ids)
	}
	if !strings.Contains(o.Text, `owner: "catalintunknown3z"`) || !strings.Contains(o.Text, "x: catalintunknown3z") {
		t.Errorf("%q", o.Text)
	}
}

func TestLineMap(t *testing.T) {
	src := "a: 1\n{% if values.x %}\nb: ${{ values.x }}\n{% endif %}\n{% if values.y %}\nc: 3\n{% endif %}\nd: ${{ values.z }}-x\n"
	o := render(t, src, map[string]any{"values": map[string]any{"x": "X", "z": "Z"}})
	lines := strings.Split(o.Text, "\n")
	find := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i + 1
			}
		}
		t.Fatalf("%q not in %q", prefix, o.Text)
		return 0
	}
	for _, c := range []struct {
		prefix       string
		col          int
		line, srcCol int
		reads        string
	}{{"a:", 1, 1, 1, ""}, {"b:", 4, 3, 4, "values.x"}, {"d:", 1, 8, 1, ""}, {"d:", 4, 8, 4, "values.z"}, {"d:", 6, 8, 20, ""}} {
		l, c2, reads := o.Source(find(c.prefix), c.col)
		if l != c.line || c2 != c.srcCol || strings.Join(reads, ",") != c.reads {
			t.Errorf("%s col %d: source %d:%d %v, want %d:%d %s", c.prefix, c.col, l, c2, reads, c.line, c.srcCol, c.reads)
		}
	}
}

// TestManyTags renders a skeleton of 40,000 expressions: the lexer reads
// the source once per kind of tag, not once per tag.
func TestManyTags(t *testing.T) {
	var b strings.Builder
	for i := range 40_000 {
		fmt.Fprintf(&b, "k%d: ${{ values.x }}\n", i)
	}
	tp, err := Parse(b.String(), Scaffolder)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tp.Render(map[string]any{"values": map[string]any{"x": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if l, c, _ := o.Source(40_000, 9); l != 40_000 || c != 9 {
		t.Errorf("last line maps to %d:%d", l, c)
	}
}

func TestHostile(t *testing.T) {
	for _, src := range []string{
		"{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
		"{% if x %}" + strings.Repeat("{% if x %}", 200),
		"${{ " + strings.Repeat("(", 500) + "1 }}",
		"${{ values.x",
		"{% macro m() %}{% endmacro %}",
		"${{ values | nosuchfilter }}",
		"{% if 'x' in values.missing %}y{% endif %}",
		"${{ values.missing | join(',') }}",
		"{% set x = 'ab' %}{% for i in range(100) %}{% set x = x ~ x %}{% endfor %}${{ x | length }}",
		"{% set x = 'a' %}{% for i in range(30) %}{% set x = x ~ x %}{% endfor %}${{ x | replace('a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') }}",
	} {
		tp, err := Parse(src, Scaffolder)
		if err != nil {
			continue
		}
		if _, err := tp.Render(map[string]any{"values": map[string]any{}, "x": true}); err == nil {
			t.Errorf("%.40q: no error", src)
		}
	}
}

// BenchmarkRenderSkeleton parses and renders a catalog-info skeleton of the
// usual shape (Red Hat Developer Hub's shared one).
func BenchmarkRenderSkeleton(b *testing.B) {
	src := `{%- if values.componentName %}
  {%- set name = values.componentName %}
{%- else %}
  {%- set name = values.repoName %}
{% endif -%}
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ name }}
  {%- if values.description %}
  description: ${{ values.description | dump }}
  {%- endif %}
  annotations:
    github.com/project-slug: ${{ values.repoUrl | projectSlug }}
  tags:
  {%- for t in values.tags %}
    - ${{ t | lower }}
  {%- endfor %}
spec:
  type: service
  lifecycle: production
  owner: ${{ values.owner }}
`
	ctx := map[string]any{"values": map[string]any{"repoName": "payments", "description": "Payments", "repoUrl": "github.com?owner=acme&repo=payments",
		"tags": []any{"Go", "Web", "API"}, "owner": "group:default/team-a"}}
	b.ReportAllocs()
	for b.Loop() {
		tp, err := Parse(src, Scaffolder)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tp.Render(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
