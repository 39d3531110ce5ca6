package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeGitHubOrg answers the two listings the GitHub owner provider reads.
func fakeGitHubOrg(t *testing.T, down *atomic.Bool, requests *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("Authorization") != "Bearer ghs-secret-token" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials"}`)
			return
		}
		if down.Load() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v3/orgs/acme/teams":
			fmt.Fprint(w, `[{"id":1,"slug":"team-payments","name":"Team Payments"},{"id":2,"slug":"team-web","name":"Team Web"}]`)
		case "/api/v3/orgs/acme/members":
			fmt.Fprint(w, `[{"login":"ada","id":7}]`)
		default:
			http.NotFound(w, r)
		}
	}))
}

func TestOwnersFromGitHub(t *testing.T) {
	var down atomic.Bool
	var requests atomic.Int32
	srv := fakeGitHubOrg(t, &down, &requests)
	defer srv.Close()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-paymnets\n"), 0o644)
	cache := t.TempDir()
	env := map[string]string{"GITHUB_TOKEN": "ghs-secret-token", "GITHUB_API_URL": srv.URL + "/api/v3/"}
	args := []string{"check", "--no-snippet", "--only", "owners", "--owners", "github:acme", "--cache-dir", cache, dir}

	r := run(t, "", env, args...)
	if r.code != ExitProblems || !strings.Contains(r.out, "catalog-info.yaml:8:10: error: spec.owner: group team-paymnets does not exist in the catalog, github:acme [owner-missing]") || !strings.Contains(r.out, "= did you mean team-payments?") {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	cold := requests.Load()
	if cold == 0 {
		t.Fatal("no request reached the fake GitHub")
	}
	// Warm: the owner directory comes from the cache, with no request.
	if r := run(t, "", env, args...); r.code != ExitProblems || requests.Load() != cold {
		t.Errorf("warm run: exit %d, %d more requests", r.code, requests.Load()-cold)
	}
	// An outage with an expired cache is fatal, names the cause, and never the token.
	down.Store(true)
	r = run(t, "", env, append([]string{"check", "--cache-ttl", "1ns"}, args[1:]...)...)
	if r.code != ExitFatal || !strings.Contains(r.err, "github:acme") || strings.Contains(r.err+r.out, "ghs-secret-token") {
		t.Errorf("outage: exit %d\n%s", r.code, r.err)
	}
	// --on-provider-error warn goes on and says what was not verified.
	r = run(t, "", env, append([]string{"check", "--cache-ttl", "1ns", "--on-provider-error", "warn"}, args[1:]...)...)
	if r.code != 0 || !strings.Contains(r.out, "[owner-provider]") {
		t.Errorf("warn: exit %d\n%s%s", r.code, r.out, r.err)
	}
	// Offline, the cache answers whatever its age.
	if r := run(t, "", env, append([]string{"check", "--offline"}, args[1:]...)...); r.code != ExitProblems || !strings.Contains(r.out, "did you mean team-payments?") {
		t.Errorf("offline: exit %d\n%s%s", r.code, r.out, r.err)
	}
}
