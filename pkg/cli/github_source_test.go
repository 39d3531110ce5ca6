package cli

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestAggregateGitHubOrg scans a fake GitHub organisation of two
// repositories (one archived) and writes a snapshot; a second scan with the
// same cache sends only conditional requests.
func TestAggregateGitHubOrg(t *testing.T) {
	var requests, conditional atomic.Int32
	catalogFile := "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: orders-db\nspec:\n  type: database\n  owner: team-a\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		etag := `"v1-` + strings.ReplaceAll(r.URL.Path, "/", "-") + `"`
		w.Header().Set("X-RateLimit-Remaining", "4999") // GitHub sends it on 304s too
		if r.Header.Get("If-None-Match") == etag {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/json")
		path := strings.TrimPrefix(r.URL.Path, "/api/v3")
		switch path {
		case "/orgs/acme/repos":
			fmt.Fprint(w, `[{"name":"orders","full_name":"acme/orders","default_branch":"main","archived":false,"fork":false,"pushed_at":"2026-11-01T00:00:00Z"},
			               {"name":"old","full_name":"acme/old","default_branch":"main","archived":true,"fork":false,"pushed_at":"2020-01-01T00:00:00Z"}]`)
		case "/repos/acme/orders/contents/catalog-info.yaml":
			fmt.Fprintf(w, `{"type":"file","encoding":"base64","size":%d,"name":"catalog-info.yaml","path":"catalog-info.yaml","content":%q}`, len(catalogFile), base64.StdEncoding.EncodeToString([]byte(catalogFile)))
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found"}`)
		}
	}))
	defer srv.Close()
	env := map[string]string{"GITHUB_API_URL": srv.URL + "/api/v3", "GITHUB_TOKEN": "ghs_test"}
	cache := t.TempDir()
	snap := filepath.Join(t.TempDir(), "org.json")
	r := run(t, "", env, "aggregate", "--catalog", "github:acme", "--cache-dir", cache, "-o", snap)
	if r.code != 0 || !strings.Contains(r.err, "wrote 1 entities from github:acme") {
		t.Fatalf("aggregate: exit %d\n%s", r.code, r.err)
	}
	cold := requests.Load()
	// Warm: every request is conditional and answered 304.
	if r := run(t, "", env, "aggregate", "--catalog", "github:acme", "--cache-dir", cache, "-o", snap); r.code != 0 {
		t.Fatalf("warm aggregate: exit %d\n%s", r.code, r.err)
	}
	warm := requests.Load() - cold
	if warm == 0 || conditional.Load() != warm {
		t.Errorf("warm run: %d requests, %d conditional", warm, conditional.Load())
	}
	// The weekly report over the scan: coverage and progress.
	r = run(t, "", env, "report", "--progress", "--format", "json", "--catalog", "github:acme", "--cache-dir", cache)
	if r.code != 0 || !strings.Contains(r.err, "github:acme: 1 repositories, ") || !strings.Contains(r.err, "rate limit left 4999") {
		t.Errorf("report progress: exit %d\n%s", r.code, r.err)
	}
	if !strings.Contains(r.out, `"withCatalog": 1`) || !strings.Contains(r.out, `"repos": 1`) {
		t.Errorf("coverage (the archived repository is left out): %s", r.out)
	}
}
