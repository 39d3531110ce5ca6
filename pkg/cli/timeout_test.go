package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --timeout reaches every network source and provider: a server that
// accepts the request and never answers fails the run (exit 3) after it,
// saying so; a negative value is a usage error.
func TestTimeoutFlag(t *testing.T) {
	// The body is read first: net/http only notices a client that left
	// (and cancels r.Context()) once the body is consumed, and the GitHub
	// source's first request is a GraphQL POST.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n"), 0o644)
	env := map[string]string{"GITHUB_API_URL": srv.URL + "/api/v3", "GITHUB_TOKEN": "t0k-secret", "BACKSTAGE_TOKEN": "b-secret", "XDG_CACHE_HOME": t.TempDir()}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"check", "--catalog", "backstage:" + srv.URL}, "page 1: no complete answer within 300ms (--timeout)"},
		{[]string{"check", "--owners", "backstage:" + srv.URL}, "page 1: no complete answer within 300ms (--timeout)"},
		{[]string{"check", "--catalog", "github:acme"}, "the repository list of acme: no complete answer within 300ms (--timeout)"},
		{[]string{"check", "--owners", "github:acme"}, "no complete answer within 300ms (--timeout)"},
		{[]string{"check", "--catalog", "snapshot:" + srv.URL + "/c.json"}, "no answer within 300ms (--timeout)"},
		{[]string{"aggregate", "--catalog", "backstage:" + srv.URL}, "page 1: no complete answer within 300ms (--timeout)"},
		{[]string{"graph", "--catalog", "github:acme", "component:x"}, "no complete answer within 300ms (--timeout)"},
	} {
		args := append(c.args, "--timeout", "300ms")
		if c.args[0] == "check" {
			args = append(args, dir)
		}
		r := run(t, "", env, args...)
		if r.code != 3 || !strings.Contains(r.err, c.msg) {
			t.Errorf("%v: exit %d, want 3 with %q:\n%s", c.args, r.code, c.msg, r.err)
		}
		if strings.Contains(r.out+r.err, "secret") {
			t.Errorf("%v: a token leaked", c.args)
		}
	}
	r := run(t, "", env, "check", "--catalog", "backstage:"+srv.URL, "--timeout", "-1s", dir)
	if r.code != 2 || !strings.Contains(r.err, "--timeout -1s: want a positive duration") {
		t.Errorf("negative: exit %d: %s", r.code, r.err)
	}
}
