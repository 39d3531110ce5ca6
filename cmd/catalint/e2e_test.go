package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeComments speaks GitHub's issue-comments API for acme/platform#42.
type fakeComments struct {
	mu       sync.Mutex
	comments []map[string]any
	posts    int
	patches  int
	userHits int
	readOnly bool
}

func (f *fakeComments) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.URL.Path = strings.TrimPrefix(r.URL.Path, "/api/v3") // GitHub Enterprise's API root
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/user":
		f.userHits++
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
	case r.Method == http.MethodGet && isComments(r.URL.Path):
		json.NewEncoder(w).Encode(f.comments)
	case r.Method == http.MethodPost && isComments(r.URL.Path):
		if f.readOnly {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
			return
		}
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.posts++
		c := map[string]any{"id": 1000 + len(f.comments), "body": body["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}, "html_url": "https://github.com/acme/platform/pull/42#issuecomment-1"}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/platform/issues/comments/"):
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.patches++
		for _, c := range f.comments {
			if fmt.Sprint(c["id"]) == strings.TrimPrefix(r.URL.Path, "/repos/acme/platform/issues/comments/") {
				c["body"] = body["body"]
				json.NewEncoder(w).Encode(c)
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

func isComments(p string) bool {
	return strings.HasPrefix(p, "/repos/acme/platform/issues/") && strings.HasSuffix(p, "/comments")
}

// TestActionEndToEnd runs the built binary the way the Action does.
func TestActionEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "catalint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	fake := &fakeComments{comments: []map[string]any{{"id": 7, "body": "LGTM", "user": map[string]any{"login": "someone"}}}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	write := func(content string) {
		os.WriteFile(filepath.Join(repo, "catalog-info.yaml"), []byte(content), 0o644)
	}
	broken := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  owner: team-a\n"
	write(broken)
	event, _ := filepath.Abs("../../pkg/gh/testdata/event_pull_request.json")
	forkEvent, _ := filepath.Abs("../../pkg/gh/testdata/event_pull_request_fork.json")

	runAction := func(eventPath string) (int, string, string, string) {
		summary := filepath.Join(t.TempDir(), "summary.md")
		output := filepath.Join(t.TempDir(), "output")
		cmd := exec.Command(bin, "check", "--no-snippet", ".")
		cmd.Dir = repo
		cmd.Env = append(os.Environ(),
			"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH="+eventPath,
			"GITHUB_REPOSITORY=acme/platform", "GITHUB_API_URL="+srv.URL+"/api/v3", "GITHUB_SERVER_URL=https://github.com", "GITHUB_RUN_ID=99",
			"GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output, "GITHUB_TOKEN=ghs_e2etoken1234567890")
		out, _ := cmd.CombinedOutput()
		s, _ := os.ReadFile(summary)
		o, _ := os.ReadFile(output)
		return cmd.ProcessState.ExitCode(), string(out), string(s), string(o)
	}

	code, out, summary, outputs := runAction(event)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (an error)\n%s", code, out)
	}
	if !strings.Contains(out, "::error file=catalog-info.yaml,line=5,col=1") {
		t.Errorf("no annotation on stdout:\n%s", out)
	}
	if fake.posts != 1 || fake.patches != 0 || len(fake.comments) != 2 {
		t.Errorf("first run: posts %d patches %d", fake.posts, fake.patches)
	}
	if !strings.Contains(summary, "lifecycle") || !strings.Contains(outputs, "errors<<") && !strings.Contains(outputs, "errors=1") {
		t.Errorf("summary or outputs missing:\n%s\n---\n%s", summary, outputs)
	}
	if strings.Contains(out+summary+outputs, "ghs_e2etoken1234567890") {
		t.Error("the token leaked into the output")
	}

	// Fixed: the same comment is updated.
	write(strings.Replace(broken, "  owner: team-a\n", "  owner: team-a\n  lifecycle: production\n", 1))
	code, out, _, outputs = runAction(event)
	if code != 0 || fake.posts != 1 || fake.patches != 1 {
		t.Errorf("second run: exit %d posts %d patches %d\n%s", code, fake.posts, fake.patches, out)
	}
	if !strings.Contains(outputs, "result") || !strings.Contains(outputs, "passed") {
		t.Errorf("outputs: %s", outputs)
	}
	// Unchanged: no request that writes.
	runAction(event)
	if fake.posts != 1 || fake.patches != 1 {
		t.Errorf("unchanged run: posts %d patches %d", fake.posts, fake.patches)
	}
	// A fork with a read-only token: a notice, and the check still decides.
	fake.readOnly = true
	fake.comments = fake.comments[:1]
	write(broken)
	code, out, summary, _ = runAction(forkEvent)
	if code != 1 || !strings.Contains(out, "::notice") || summary == "" {
		t.Errorf("fork run: exit %d\n%s", code, out)
	}
	if fake.userHits != 0 {
		t.Errorf("/user was called %d times; Actions tokens cannot read it", fake.userHits)
	}
}
