package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// runAll checks paths with every rule but the owners group (which needs a
// directory) and returns the diagnostics.
func runAll(t *testing.T, lo load.Options, paths ...string) []diag.Diagnostic {
	t.Helper()
	sel, err := NewSelection(nil, []string{GroupOwners})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Paths: paths, Selection: sel, FollowLocations: true, Load: lo})
	if err != nil {
		t.Fatal(err)
	}
	return res.Diagnostics
}

func lines(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s %s %s:%d: %s\n", d.Severity, d.Rule, filepath.Base(d.File), d.Line, d.Message)
	}
	return b.String()
}

// The scaffolder documentation's example of shared parameters and steps
// (docs/features/software-templates/writing-templates.md in
// backstage/backstage): without --allow-remote their content is unknown,
// so nothing may be said about it but one notice.
const remoteTemplate = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: shared-steps
  title: Shared steps
spec:
  owner: group:platform
  type: service
  parameters:
    $yaml: https://github.com/example/templates/blob/main/shared/parameters.yaml
  steps:
    - $yaml: https://github.com/example/templates/blob/main/shared/fetch.yaml
    - id: log
      name: Log
      action: debug:log
      input:
        message: hello
`

func TestRemotePlaceholderIsUnverifiedNotWrong(t *testing.T) {
	dir := tree(t, map[string]string{"template.yaml": remoteTemplate})
	ds := runAll(t, load.Options{}, filepath.Join(dir, "template.yaml"))
	if len(ds) != 1 {
		t.Fatalf("want exactly one notice, got:\n%s", lines(ds))
	}
	d := ds[0]
	if d.Severity != diag.Notice || d.Rule != load.RulePlaceholder || d.Line != 10 {
		t.Fatalf("want the placeholder notice at line 10, got:\n%s", lines(ds))
	}
	for _, want := range []string{"2 remote placeholders", "spec.parameters ($yaml https://github.com/example/templates/blob/main/shared/parameters.yaml, line 10)", "spec.steps[0] ($yaml", "--allow-remote"} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("notice %q lacks %q", d.Message, want)
		}
	}
}

func TestRemotePlaceholderLeavesOtherErrors(t *testing.T) {
	// A real mistake beside the unfetched placeholders is still found; a
	// $text placeholder gives a string whatever it holds, so a field that
	// must be a list is still wrong.
	src := strings.Replace(remoteTemplate, "  type: service\n", "  type: 42\n", 1)
	src = strings.Replace(src, "  name: shared-steps\n", "  name: shared steps\n", 1)
	dir := tree(t, map[string]string{"template.yaml": src})
	out := lines(runAll(t, load.Options{}, filepath.Join(dir, "template.yaml")))
	for _, want := range []string{`format template.yaml:4: metadata.name "shared steps"`, `schema template.yaml:8: spec.type must be a string, found the number 42`} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
	if strings.Count(out, "\n") != 3 || !strings.Contains(out, "notice placeholder") {
		t.Errorf("want the two errors and one notice, got:\n%s", out)
	}
}

func TestRemoteTextKeepsItsType(t *testing.T) {
	// spec.tags is not a Template field; metadata.tags must be a list, and
	// $text always gives a string: that is wrong whatever the URL holds.
	src := strings.Replace(remoteTemplate, "  title: Shared steps\n", "  title: Shared steps\n  tags:\n    $text: https://example.com/tags.txt\n", 1)
	dir := tree(t, map[string]string{"template.yaml": src})
	out := lines(runAll(t, load.Options{}, filepath.Join(dir, "template.yaml")))
	if !strings.Contains(out, "error schema template.yaml:7: metadata.tags must be a list, found a string (the text of https://example.com/tags.txt, not fetched)") {
		t.Errorf("want the type error of metadata.tags, got:\n%s", out)
	}
	// But a remote $text owner is not parsed as a reference.
	src = strings.Replace(remoteTemplate, "  owner: group:platform\n", "  owner:\n    $text: https://example.com/owner.txt\n", 1)
	dir = tree(t, map[string]string{"template.yaml": src})
	out = lines(runAll(t, load.Options{}, filepath.Join(dir, "template.yaml")))
	if strings.Contains(out, "error") || strings.Contains(out, "warning") {
		t.Errorf("an unfetched owner is not known to be wrong, got:\n%s", out)
	}
}

// gitRepo makes a folder with a .git/config naming origin.
func gitRepo(t *testing.T, origin string, files map[string]string) string {
	t.Helper()
	dir := tree(t, files)
	cfg := "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = " + origin + "\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
	if err := os.WriteFile(filepath.Join(dir, ".git", "config"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRemotePlaceholderIntoThisRepositoryIsReadFromTheCheckout(t *testing.T) {
	files := map[string]string{
		"templates/t/template.yaml": strings.NewReplacer(
			"https://github.com/example/templates/blob/main/shared/parameters.yaml", "https://github.com/Example/Templates/blob/main/shared/parameters.yaml",
			"https://github.com/example/templates/blob/main/shared/fetch.yaml", "https://raw.githubusercontent.com/example/templates/main/shared/fetch.yaml",
		).Replace(remoteTemplate),
		"shared/parameters.yaml": "title: Name\nproperties:\n  name:\n    type: string\n",
		// A step must be a mapping with an action: this one is a list.
		"shared/fetch.yaml": "- action: fetch:plain\n",
	}
	for _, origin := range []string{"git@github.com:example/templates.git", "https://github.com/example/templates", "ssh://git@github.com/example/templates.git"} {
		dir := gitRepo(t, origin, files)
		// No network is used: a fetch of github.com would fail here
		// with no route, or succeed with other content.
		out := lines(runAll(t, load.Options{AllowRemote: true, RemoteTimeout: 1}, filepath.Join(dir, "templates/t/template.yaml")))
		if !strings.Contains(out, "error schema template.yaml:12: spec.steps[0] must be a mapping, found a list") || strings.Count(out, "\n") != 1 {
			t.Errorf("%s: want the local file's content checked (one error), got:\n%s", origin, out)
		}
	}
}

func TestLocalPath(t *testing.T) {
	dir := gitRepo(t, "git@github.example.com:Platform/Catalog.git", nil)
	for _, tt := range []struct {
		url, want string
	}{
		{"https://github.example.com/platform/catalog/blob/main/a/b.yaml", "a/b.yaml"},
		{"https://github.example.com/platform/catalog/tree/main/a/b.yaml?raw=true#L3", "a/b.yaml"},
		{"https://github.example.com/platform/catalog.git/blob/v1/x.yaml", "x.yaml"},
		{"https://github.example.com/platform/other/blob/main/a.yaml", ""},
		{"https://github.com/platform/catalog/blob/main/a.yaml", ""},
		{"https://github.example.com/platform/catalog/blob/main/../../etc/passwd", ""},
		{"https://github.example.com/platform/catalog/blob/main", ""},
		{"file:///etc/passwd", ""},
	} {
		got, ok := load.LocalPath(dir, tt.url)
		want := ""
		if tt.want != "" {
			want = filepath.Join(dir, tt.want)
		}
		if got != want || ok != (tt.want != "") {
			t.Errorf("LocalPath(%s) = %q, %v; want %q", tt.url, got, ok, want)
		}
	}
}

func TestUnfetchedLinkIntoThisRepositorySaysSo(t *testing.T) {
	// redhat-developer/rhdh catalog-entities/apis/nexus-repo-manager-3.yaml
	// names its own repository's nexus-swagger.json by blob URL.
	api := "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: nexus\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $openapi: https://github.com/redhat-developer/rhdh/blob/main/catalog-entities/apis/nexus-swagger.json\n"
	dir := gitRepo(t, "https://github.com/redhat-developer/rhdh.git", map[string]string{"catalog-entities/apis/nexus.yaml": api, "catalog-entities/apis/nexus-swagger.json": `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`})
	out := lines(runAll(t, load.Options{}, filepath.Join(dir, "catalog-entities/apis/nexus.yaml")))
	if !strings.Contains(out, "notice placeholder nexus.yaml:10: placeholder $openapi: remote location https://github.com/redhat-developer/rhdh/blob/main/catalog-entities/apis/nexus-swagger.json is not fetched, so spec.definition is not verified (it is a file of this repository: --allow-remote reads it from the checkout)") || strings.Count(out, "\n") != 1 {
		t.Errorf("got:\n%s", out)
	}
	out = lines(runAll(t, load.Options{AllowRemote: true, RemoteTimeout: 1}, filepath.Join(dir, "catalog-entities/apis/nexus.yaml")))
	if out != "" {
		t.Errorf("read from the checkout, the definition is valid; got:\n%s", out)
	}
}

func TestManyRemotePlaceholdersOneNotice(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api-%d\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $openapi: https://example.com/api-%d.yaml\n", i, i)
	}
	dir := tree(t, map[string]string{"apis.yaml": b.String()})
	ds := runAll(t, load.Options{}, filepath.Join(dir, "apis.yaml"))
	if len(ds) != 1 {
		t.Fatalf("want one notice, got:\n%s", lines(ds))
	}
	m := ds[0].Message
	for _, want := range []string{"12 remote placeholders are not fetched", "spec.definition ($openapi https://example.com/api-0.yaml, document 1, line 11)", "api-9.yaml, document 10, line 110); and 2 more"} {
		if !strings.Contains(m, want) {
			t.Errorf("notice %q lacks %q", m, want)
		}
	}
}
