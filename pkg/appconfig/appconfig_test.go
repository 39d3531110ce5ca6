package appconfig

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// tree writes files (slash paths → content) under a new folder with a .git
// marker, and returns the folder.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustLoad(t *testing.T, paths ...string) *Config {
	t.Helper()
	c, err := Load(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func kinds(r Rule) string {
	var s []string
	for _, m := range r.Allow {
		k := m.Kind
		if m.SpecType != "" {
			k += "/" + m.SpecType
		}
		s = append(s, k)
	}
	return strings.Join(s, ",")
}

func TestMergeLaterFilesOverrideKeyByKey(t *testing.T) {
	dir := tree(t, map[string]string{
		"app-config.yaml": `catalog:
  rules:
    - allow: [Component]
  locations:
    - {type: file, target: a.yaml}
    - {type: file, target: b.yaml}
  readonly: true
`,
		// Arrays replace, objects merge: rules replaced, locations kept.
		"app-config.production.yaml": `catalog:
  rules:
    - allow: [Group, User]
`,
		// A null removes the key: the default rules apply.
		"app-config.null.yaml": `catalog:
  rules: null
`,
		"app-config.locs.yaml": `catalog:
  locations:
    - {type: url, target: 'https://example.com/x.yaml'}
`,
	})
	p := func(n string) string { return filepath.Join(dir, n) }

	c := mustLoad(t, p("app-config.yaml"), p("app-config.production.yaml"))
	if !c.HasRules || len(c.Rules) != 1 || kinds(c.Rules[0]) != "Group,User" {
		t.Errorf("rules: %+v", c.Rules)
	}
	if len(c.Locations) != 2 || c.Locations[1].Target != "b.yaml" {
		t.Errorf("locations: %+v", c.Locations)
	}
	if c.Rules[0].Allow[0].Pos.File != p("app-config.production.yaml") || c.Rules[0].Allow[0].Pos.Line != 3 {
		t.Errorf("position of the winning value: %+v", c.Rules[0].Allow[0].Pos)
	}

	c = mustLoad(t, p("app-config.yaml"), p("app-config.null.yaml"))
	if c.HasRules || len(c.Locations) != 2 {
		t.Errorf("null: HasRules %v, %d locations", c.HasRules, len(c.Locations))
	}
	e := c.Enforcer(dir)
	if !e.Allowed("Component", "", false, Origin{"file", "/x"}) || e.Allowed("Group", "", false, Origin{"file", "/x"}) {
		t.Error("with catalog.rules removed, the default rules must apply")
	}

	c = mustLoad(t, p("app-config.yaml"), p("app-config.locs.yaml"))
	if len(c.Locations) != 1 || c.Locations[0].Type != "url" || !c.HasRules || kinds(c.Rules[0]) != "Component" {
		t.Errorf("locations replaced, rules kept: %+v %+v", c.Locations, c.Rules)
	}
	// The order matters: the earlier file loses.
	c = mustLoad(t, p("app-config.production.yaml"), p("app-config.yaml"))
	if kinds(c.Rules[0]) != "Component" {
		t.Errorf("reversed order: %+v", c.Rules)
	}
}

func TestSubstitutions(t *testing.T) {
	dir := tree(t, map[string]string{
		"app-config.yaml": `catalog:
  locations:
    $include: ./locations.yaml#catalog.locations
  rules:
    - allow: [Component, {$env: EXTRA_KIND}]
integrations:
  github:
    - token: ${GITHUB_TOKEN}
      key: {$file: ./secret.pem}
`,
		"locations.yaml": `catalog:
  locations:
    - type: file
      target: ${CATALOG_DIR}/all.yaml
    - type: file
      target: $${literal}.yaml
    - {$env: LOCATION}
`,
		"secret.pem": "-----BEGIN PRIVATE KEY----- do-not-print",
	})
	t.Setenv("CATALOG_DIR", "/should/not/be/read")
	c := mustLoad(t, filepath.Join(dir, "app-config.yaml"))
	if len(c.Locations) != 3 {
		t.Fatalf("locations from $include: %+v", c.Locations)
	}
	if !c.Locations[0].Unknown || c.Locations[0].Target != "" {
		t.Errorf("${VAR} must stay unknown, not be resolved: %+v", c.Locations[0])
	}
	if c.Locations[1].Unknown || c.Locations[1].Target != "${literal}.yaml" {
		t.Errorf("$${ is an escaped ${: %+v", c.Locations[1])
	}
	if !c.Locations[2].Unknown {
		t.Errorf("$env location: %+v", c.Locations[2])
	}
	if c.Locations[0].Pos.File != filepath.Join(dir, "locations.yaml") || c.Locations[0].Pos.Line != 4 {
		t.Errorf("position in the included file: %+v", c.Locations[0].Pos)
	}
	if kinds(c.Rules[0]) != "Component" {
		t.Errorf("an $env kind is left out: %+v", c.Rules)
	}
	var notes []string
	for _, n := range c.Notices {
		notes = append(notes, n.Message)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "catalog.rules[0].allow[1] comes from $env") {
		t.Errorf("notices: %q", notes)
	}
	for _, res := range c.Resolve(ResolveOptions{Root: dir}) {
		if strings.Contains(res.Message, "do-not-print") || strings.Contains(res.Message, "/should/not") {
			t.Errorf("a secret or an environment value reached a message: %s", res.Message)
		}
	}
}

func TestLoadErrorsArePositioned(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "x.yaml"), []byte("a: 1\n"), 0o644)
	dir := tree(t, map[string]string{
		"syntax.yaml":    "catalog:\n  locations: [\n",
		"shape.yaml":     "catalog:\n  locations:\n    type: file\n",
		"notarget.yaml":  "catalog:\n  locations:\n    - type: file\n",
		"both.yaml":      "catalog:\n  rules:\n    - allow: [Component]\n      locations: [{type: url, exact: a, pattern: b}]\n",
		"locrule.yaml":   "catalog:\n  locations:\n    - type: file\n      target: a.yaml\n      rules:\n        - allow: [{kind: Group}]\n",
		"include.yaml":   "catalog:\n  $include: " + filepath.Join(outside, "x.yaml") + "\n",
		"loop.yaml":      "a:\n  $include: ./loop.yaml\n",
		"twodocs.yaml":   "a: 1\n---\nb: 2\n",
		"list.yaml":      "- a\n",
		"ruleallow.yaml": "catalog:\n  rules:\n    - locations: []\n",
	})
	for _, tc := range []struct{ file, want string }{
		{"missing.yaml", "missing.yaml: no such file"},
		{"syntax.yaml", "syntax.yaml:2:3: YAML"},
		{"shape.yaml", "shape.yaml:3:5: catalog.locations must be a list of mappings, not an object"},
		{"notarget.yaml", `notarget.yaml:3:7: catalog.locations[0]: missing required key "target"`},
		{"both.yaml", "both.yaml:4:19: catalog.rules[0].locations[0]: a catalog rule location cannot have both exact and pattern values"},
		{"locrule.yaml", "locrule.yaml:6:19: catalog.locations[0].rules[0].allow[0] must be a kind name (a location's rules take kinds only, no spec.type), not an object"},
		{"include.yaml", "include.yaml:2:13: $include " + filepath.Join(outside, "x.yaml") + ": it is outside the repository root"},
		{"loop.yaml", "includes nest more than 8 deep"},
		{"twodocs.yaml", "twodocs.yaml:3:1: an app-config file holds one YAML document"},
		{"list.yaml", "list.yaml:1:1: an app-config file holds a mapping of keys, not an array"},
		{"ruleallow.yaml", `ruleallow.yaml:3:7: catalog.rules[0]: missing required key "allow"`},
	} {
		_, err := Load([]string{filepath.Join(dir, tc.file)}, Options{})
		var ae *Error
		if !errors.As(err, &ae) {
			t.Errorf("%s: error %v, want an *Error", tc.file, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.file, err, tc.want)
		}
	}
}

func TestResolveFileTargets(t *testing.T) {
	dir := tree(t, map[string]string{
		"app-config.yaml": `catalog:
  locations:
    - {type: file, target: ../../catalog/*.yaml}
    - {type: file, target: ../../catalog/teams/org.yaml}
    - {type: file, target: ../../catalog/nothing-*.yaml}
    - {type: file, target: ../../../elsewhere/all.yaml}
    - {type: file, target: /etc/backstage/all.yaml}
    - {type: github-discovery, target: https://github.com/acme}
`,
		"packages/backend/package.json": "{}",
		"catalog/a.yaml":                "a",
		"catalog/b.yaml":                "b",
		"catalog/.hidden.yaml":          "x",
		"catalog/teams/org.yaml":        "o",
	})
	c := mustLoad(t, filepath.Join(dir, "app-config.yaml"))
	if got := c.DefaultBackendDir(); got != filepath.Join(dir, "packages", "backend") {
		t.Errorf("backend dir %s", got)
	}
	rs := c.Resolve(ResolveOptions{Root: dir})
	rel := func(fs []string) []string {
		var out []string
		for _, f := range fs {
			r, _ := filepath.Rel(dir, f)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	// A glob expands as Backstage's file reader does: no dot files.
	if got := rel(rs[0].Files); !reflect.DeepEqual(got, []string{"catalog/a.yaml", "catalog/b.yaml"}) {
		t.Errorf("glob: %v", got)
	}
	if rs[0].Origin != (Origin{"file", filepath.Join(dir, "catalog", "*.yaml")}) {
		t.Errorf("origin: %+v", rs[0].Origin)
	}
	if got := rel(rs[1].Files); !reflect.DeepEqual(got, []string{"catalog/teams/org.yaml"}) || rs[1].Message != "" {
		t.Errorf("file: %v %s", got, rs[1].Message)
	}
	if rs[2].Severity != diag.Error || !strings.Contains(rs[2].Message, "matches no file") {
		t.Errorf("empty glob: %v %s", rs[2].Severity, rs[2].Message)
	}
	for _, i := range []int{3, 4} {
		if rs[i].Severity != diag.Notice || !strings.Contains(rs[i].Message, "outside this repository") || len(rs[i].Files) > 0 {
			t.Errorf("location %d: %v %s", i, rs[i].Severity, rs[i].Message)
		}
	}
	if rs[5].Severity != diag.Notice || !strings.Contains(rs[5].Message, `type "github-discovery"`) {
		t.Errorf("other type: %s", rs[5].Message)
	}

	// --backend-dir overrides; without packages/backend, the app-config's
	// own folder is the backend's.
	rs = c.Resolve(ResolveOptions{Root: dir, BackendDir: filepath.Join(dir, "x", "y")})
	if got := rel(rs[1].Files); !reflect.DeepEqual(got, []string{"catalog/teams/org.yaml"}) {
		t.Errorf("--backend-dir: %v", got)
	}
	os.RemoveAll(filepath.Join(dir, "packages"))
	if got := c.DefaultBackendDir(); got != dir {
		t.Errorf("fallback backend dir %s", got)
	}
	if rs := c.Resolve(ResolveOptions{Root: dir}); rs[1].Severity != diag.Notice {
		t.Errorf("../../ from the app-config's folder leaves the repository: %s", rs[1].Message)
	}
}

func TestURLsIntoThisRepository(t *testing.T) {
	dir := tree(t, map[string]string{
		"catalog-info.yaml":        "a",
		"services/x/catalog.yaml":  "b",
		"services/y/catalog.yaml":  "c",
		"services/y/.catalog.yaml": "d",
	})
	os.WriteFile(filepath.Join(dir, ".git", "config"), []byte(`[core]
	bare = false
[remote "origin"]
	url = git@github.com:Acme/Platform.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[remote "mirror"]
	url = https://ci-user:s3cr3t@gitlab.example.com/group/sub/platform.git
[branch "main"]
	remote = origin
`), 0o644)
	remotes := GitRemotes(dir)
	if !reflect.DeepEqual(remotes, []string{"https://github.com/acme/platform", "https://gitlab.example.com/group/sub/platform"}) {
		t.Errorf("remotes %v (credentials must be dropped)", remotes)
	}
	repos := repoKeys(append(remotes, "https://github.enterprise.local/team/platform/"))
	for _, tc := range []struct{ url, want string }{
		{"https://github.com/acme/platform/blob/main/catalog-info.yaml", "catalog-info.yaml"},
		{"https://github.com/ACME/platform/tree/main/services/x/catalog.yaml", "services/x/catalog.yaml"},
		{"https://github.com/acme/platform/blob/feature/new-thing/services/x/catalog.yaml", "services/x/catalog.yaml"},
		{"https://raw.githubusercontent.com/acme/platform/main/catalog-info.yaml", "catalog-info.yaml"},
		{"https://gitlab.example.com/group/sub/platform/-/blob/main/catalog-info.yaml", "catalog-info.yaml"},
		{"https://github.enterprise.local/team/platform/blob/v1/services/*/catalog.yaml", "services/*/catalog.yaml"},
		{"https://github.com/acme/platform/blob/main/missing.yaml", "missing.yaml"},
		{"https://github.com/acme/platform-other/blob/main/catalog-info.yaml", ""},
		{"https://github.com/acme/platform", ""},
		{"https://example.com/acme/platform/blob/main/catalog-info.yaml", ""},
	} {
		got, ok := repoPath(tc.url, repos, dir)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: %q %v, want %q", tc.url, got, ok, tc.want)
		}
	}

	// A worktree's .git is a file pointing at its folder, whose config is
	// in the common folder.
	wt := t.TempDir()
	gd := filepath.Join(dir, ".git", "worktrees", "wt")
	os.MkdirAll(gd, 0o755)
	os.WriteFile(filepath.Join(gd, "commondir"), []byte("../..\n"), 0o644)
	os.WriteFile(filepath.Join(wt, ".git"), []byte("gitdir: "+gd+"\n"), 0o644)
	if got := GitRemotes(wt); len(got) != 2 {
		t.Errorf("worktree remotes: %v", got)
	}

	c := &Config{Dir: dir, Locations: []Location{
		{Type: "url", Target: "https://github.com/acme/platform/blob/main/services/*/catalog.yaml"},
		{Type: "url", Target: "https://github.com/acme/platform/blob/main/nope.yaml"},
		{Type: "url", Target: "https://github.com/backstage/backstage/blob/master/catalog-info.yaml"},
	}}
	rs := c.Resolve(ResolveOptions{Root: dir, RepoURLs: remotes})
	if len(rs[0].Files) != 2 || rs[0].Origin.Target != c.Locations[0].Target {
		t.Errorf("url glob: %v %+v", rs[0].Files, rs[0].Origin)
	}
	if rs[1].Severity != diag.Error || !strings.Contains(rs[1].Message, "does not exist") {
		t.Errorf("missing file: %s", rs[1].Message)
	}
	if rs[2].Severity != diag.Notice || !strings.Contains(rs[2].Message, "not in this repository") {
		t.Errorf("other repository: %s", rs[2].Message)
	}
}

func TestRuleMatching(t *testing.T) {
	dir := tree(t, map[string]string{"app-config.yaml": `catalog:
  rules:
    - allow: [component, API]
    - allow: [{kind: Resource, spec.type: Database}]
    - allow: [Template]
      locations:
        - {type: url, pattern: 'https://github.com/acme/*/blob/main/templates/**'}
        - {type: file, exact: /repo/templates.yaml}
    - allow: [Domain]
      locations: []
  locations:
    - type: file
      target: ../org.yaml
      rules:
        - allow: [Group, user]
`})
	c := mustLoad(t, filepath.Join(dir, "app-config.yaml"))
	e := c.Enforcer("/repo/packages")
	any := Origin{"file", "/repo/catalog/all.yaml"}
	for _, tc := range []struct {
		kind, typ string
		hasType   bool
		o         Origin
		want      bool
	}{
		{"Component", "", false, any, true},
		{"COMPONENT", "", false, any, true}, // kinds compare case-insensitively
		{"api", "", false, any, true},
		{"Resource", "database", true, any, true}, // and spec.type too
		{"Resource", "s3", true, any, false},
		{"Resource", "", false, any, false}, // no spec.type: no match
		{"Template", "", false, Origin{"url", "https://github.com/acme/x/blob/main/templates/a/t.yaml"}, true},
		{"Template", "", false, Origin{"url", "https://GITHUB.com/acme/x/blob/main/Templates/t.yaml"}, true},
		{"Template", "", false, Origin{"url", "https://github.com/other/x/blob/main/templates/t.yaml"}, false},
		{"Template", "", false, Origin{"file", "/repo/templates.yaml"}, true},
		{"Template", "", false, Origin{"file", "/repo/templates2.yaml"}, false},
		{"Template", "", false, Origin{"url", "/repo/templates.yaml"}, false}, // the type must match
		{"Domain", "", false, any, false},                            // locations: [] matches nothing
		{"Group", "", false, Origin{"file", "/repo/org.yaml"}, true}, // resolved from the backend folder
		{"User", "", false, Origin{"file", "/repo/org.yaml"}, true},
		{"Group", "", false, any, false},
		{"System", "", false, Origin{"file", "/repo/org.yaml"}, false},
	} {
		if got := e.Allowed(tc.kind, tc.typ, tc.hasType, tc.o); got != tc.want {
			t.Errorf("%s %q from %s: %v, want %v", tc.kind, tc.typ, tc.o, got, tc.want)
		}
	}
	if got := AllowedKinds(e.Applying(Origin{"file", "/repo/org.yaml"})); strings.Join(got, ",") != "component,API,Resource (spec.type Database),Group,user" {
		t.Errorf("allowed kinds: %v", got)
	}

	// Without catalog.rules: Backstage's default, Component, API and
	// Location, from anywhere; location rules still add to it.
	c.HasRules, c.Rules = false, nil
	e = c.Enforcer("/repo/packages")
	for _, tc := range []struct {
		kind string
		o    Origin
		want bool
	}{
		{"Component", any, true}, {"api", any, true}, {"location", any, true},
		{"System", any, false}, {"Group", any, false}, {"Template", any, false},
		{"Group", Origin{"file", "/repo/org.yaml"}, true},
	} {
		if got := e.Allowed(tc.kind, "", false, tc.o); got != tc.want {
			t.Errorf("default rules: %s from %s: %v, want %v", tc.kind, tc.o, got, tc.want)
		}
	}
	if r := e.Applying(any); len(r) != 1 || !r[0].Default {
		t.Errorf("the rule that applies is the default: %+v", r)
	}
}

// TestMatchPattern holds MatchPattern to minimatch(target, pattern,
// {nocase: true, dot: true}), whose answers were taken from minimatch 9
// (node -e 'require("minimatch").minimatch(...)').
func TestMatchPattern(t *testing.T) {
	for _, tc := range []struct {
		target, pattern string
		want            bool
	}{
		{"/tmp/x/catalog/a.yaml", "**/catalog/*.yaml", true},
		{"/tmp/x/catalog/a.yaml", "/tmp/**/*.yaml", true},
		{"/tmp/x/catalog/.a.yaml", "/tmp/**/*.yaml", true},
		{"/tmp/X/Catalog/a.yaml", "/tmp/x/catalog/*.YAML", true},
		{"/tmp/x/catalog/*.yaml", "/tmp/x/catalog/*.yaml", true},
		{"https://github.com/org/repo/blob/main/a.yaml", "https://github.com/org/*/blob/main/a.yaml", true},
		{"https://github.com/org/repo/blob/main/a.yaml", "https://github.com/org/**", true},
		{"/tmp/x/catalog/a.yaml", "*/catalog/*.yaml", false},
		{"/tmp/x/catalog/a.yaml", "/tmp/x/catalog/{a,b}.yaml", true},
		{"/tmp/x/.hidden/a.yaml", "/tmp/**/a.yaml", true},
	} {
		if got := MatchPattern(tc.pattern, tc.target); got != tc.want {
			t.Errorf("%s ~ %s: %v, want %v", tc.target, tc.pattern, got, tc.want)
		}
	}
}

// An empty catalog.rules is not an absent one: Backstage then allows
// nothing but what location rules allow.
func TestEmptyRulesAllowNothing(t *testing.T) {
	dir := tree(t, map[string]string{"app-config.yaml": "catalog:\n  rules: []\n  locations:\n    - {type: file, target: ./org.yaml, rules: [{allow: [Group]}]}\n"})
	c := mustLoad(t, filepath.Join(dir, "app-config.yaml"))
	e := c.Enforcer(dir)
	org := Origin{"file", filepath.Join(dir, "org.yaml")}
	if !c.HasRules || e.Allowed("Component", "", false, Origin{"file", "/x.yaml"}) || e.Allowed("Component", "", false, org) || !e.Allowed("Group", "", false, org) {
		t.Errorf("rules: [] must allow nothing but the location's rules: %+v", c.Rules)
	}
}
