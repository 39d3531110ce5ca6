package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAPIsAndTechDocs(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	files := map[string]string{
		"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: pets
  annotations:
    backstage.io/techdocs-ref: dir:.
    github.com/project-slug: https://github.com/acme/pets
spec:
  type: service
  lifecycle: production
  owner: team-a
  providesApis: [pets-api, inline-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: pets-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./openapi.yaml
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: inline-api
spec:
  type: graphql
  lifecycle: production
  owner: team-a
  definition: |
    type Query {
      pets: [Pet
    }
`,
		"openapi.yaml":  "openapi: 3.0.3\ninfo:\n  title: Pets\n  version: 1.0.0\npaths:\n  /pets:\n    get:\n      summary: List pets\n",
		"mkdocs.yml":    "site_name: Pets\nnav:\n  - Home: index.md\n  - Runbook: runbook.md\n",
		"docs/index.md": "# Pets\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	r := run(t, "", nil, "check", "--no-snippet", "--only", "apis,techdocs", dir)
	if r.code != ExitProblems {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"openapi.yaml:7:", "[api-definition]", // the operation without responses, in the definition's own file
		"catalog-info.yaml:36:5: error: graphql definition", // inside the inline GraphQL block, at the "}"
		"catalog-info.yaml:12:", "[api-provided]",
		"mkdocs.yml:4:", "runbook.md", "[techdocs]",
		"catalog-info.yaml:7:", "github.com/project-slug", "[annotation-format]",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing %q in\n%s", want, r.out)
		}
	}
}

func TestAllowRemote(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "openapi: 3.0.3\ninfo:\n  title: Remote\n  version: 1.0.0\npaths:\n  /x:\n    get:\n      summary: no responses\n")
	}))
	defer srv.Close()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: remote\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: "+srv.URL+"/openapi.yaml\n"), 0o644)
	r := run(t, "", nil, "check", "--no-snippet", "--only", "schema,apis", dir)
	if r.code != 0 || !strings.Contains(r.out, "is not fetched") {
		t.Errorf("default: exit %d\n%s", r.code, r.out)
	}
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema,apis", "--allow-remote", dir)
	if r.code != ExitProblems || !strings.Contains(r.out, "only https:// locations are fetched") {
		t.Errorf("http refused: exit %d\n%s", r.code, r.out)
	}
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema,apis", "--allow-remote", "--allow-http", dir)
	if r.code != ExitProblems || !strings.Contains(r.out, srv.URL+"/openapi.yaml:7:") || !strings.Contains(r.out, "[api-definition]") {
		t.Errorf("fetched: exit %d\n%s", r.code, r.out)
	}
}
