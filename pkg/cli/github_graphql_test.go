package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/catalint-dev/catalint/internal/ghfake"
)

// A github:ORG source scans through GraphQL where the server offers it,
// and the progress line reports the points GitHub said the scan cost;
// --github-api rest (or github.api in .catalint.yaml) keeps to REST.
func TestGitHubSourceThroughGraphQL(t *testing.T) {
	component := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	g := &ghfake.GraphQL{Org: "acme", Repos: func() []ghfake.Repo {
		return []ghfake.Repo{
			{Name: "old", Archived: true, Files: map[string]string{"catalog-info.yaml": component}},
			{Name: "orders", Files: map[string]string{"catalog-info.yaml": component}},
		}
	}}
	var rest atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/graphql" {
			g.ServeHTTP(w, r)
			return
		}
		if strings.Contains(r.URL.Path, "/repos") { // the scan's REST requests (the report also asks for teams)
			rest.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"Not Found"}`))
	}))
	defer srv.Close()
	env := map[string]string{"GITHUB_API_URL": srv.URL + "/api/v3", "GITHUB_TOKEN": "ghs_secret_test", "XDG_CACHE_HOME": t.TempDir()}

	r := run(t, "", env, "report", "--progress", "--format", "json", "--catalog", "github:acme", "--cache-dir", t.TempDir())
	if r.code != 0 || !strings.Contains(r.err, "github:acme: 1 repositories, 1 requests (0 not modified), 1 catalog files, GraphQL: 1 queries, 1 points, 4999 of 5000 left until ") {
		t.Errorf("report: exit %d\n%s", r.code, r.err)
	}
	if rest.Load() != 0 || strings.Contains(r.out+r.err, "ghs_secret_test") {
		t.Errorf("%d REST requests", rest.Load())
	}

	// REST asked for by flag, then by configuration: the fake has no REST
	// organisation, so the run fails saying so.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("version: 1\ngithub:\n  api: rest\n"), 0o644)
	for _, args := range [][]string{
		{"report", "--format", "json", "--catalog", "github:acme", "--github-api", "rest", "--cache-dir", "-"},
		{"report", "--format", "json", "--catalog", "github:acme", "--config", filepath.Join(dir, ".catalint.yaml"), "--cache-dir", "-"},
	} {
		before := g.Requests.Load()
		r := run(t, "", env, args...)
		if r.code != 3 || !strings.Contains(r.err, "organisation not found (404)") || g.Requests.Load() != before {
			t.Errorf("%v: exit %d, %d GraphQL requests\n%s", args, r.code, g.Requests.Load()-before, r.err)
		}
	}
	// aggregate and graph read the github: block too, and graph the
	// configuration's catalog: sources (aggregate does not: they usually
	// name the snapshot it writes).
	empty := t.TempDir()
	withSource := filepath.Join(dir, "with-source.yaml")
	os.WriteFile(withSource, []byte("version: 1\ncatalog:\n  - github:acme\n"), 0o644)
	restSource := filepath.Join(dir, "rest-source.yaml")
	os.WriteFile(restSource, []byte("version: 1\ncatalog:\n  - github:acme\ngithub:\n  api: rest\n"), 0o644)
	for _, args := range [][]string{
		{"aggregate", "--catalog", "github:acme", "--config", filepath.Join(dir, ".catalint.yaml"), "--cache-dir", "-"},
		{"graph", "orders", empty, "--config", restSource, "--cache-dir", "-"},
	} {
		before := g.Requests.Load()
		r := run(t, "", env, args...)
		if r.code != 3 || !strings.Contains(r.err, "organisation not found (404)") || g.Requests.Load() != before {
			t.Errorf("%v: exit %d, %d GraphQL requests\n%s", args, r.code, g.Requests.Load()-before, r.err)
		}
	}
	before := g.Requests.Load()
	if r := run(t, "", env, "graph", "orders", empty, "--config", withSource, "--cache-dir", "-"); r.code != 0 || !strings.Contains(r.out, "component:default/orders") || g.Requests.Load() == before {
		t.Errorf("graph with the configuration's github:acme source: exit %d, %d GraphQL requests\n%s%s", r.code, g.Requests.Load()-before, r.out, r.err)
	}
	if r := run(t, "", env, "aggregate", "--config", withSource, "--cache-dir", "-"); r.code != 2 || !strings.Contains(r.err, "aggregate needs paths or --catalog sources") {
		t.Errorf("aggregate read the configuration's catalog: exit %d\n%s", r.code, r.err)
	}
	if r := run(t, "", env, "aggregate", "--catalog", "github:acme", "--github-api", "v4"); r.code != 2 || !strings.Contains(r.err, `--github-api "v4": want auto, graphql or rest`) {
		t.Errorf("bad --github-api: exit %d\n%s", r.code, r.err)
	}
}
