package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// githubRun runs catalint check in GitHub mode in dir, on a pull request
// whose comment goes to api, and returns the result, the step summary and
// the step outputs.
func githubRun(t *testing.T, dir, api string, args ...string) (result, string, string) {
	t.Helper()
	event := filepath.Join(dir, "..", "event.json")
	os.WriteFile(event, []byte(`{"pull_request":{"number":7,"head":{"sha":"0123456789abcdef0123456789abcdef01234567"},"base":{"sha":"fedcba9876543210fedcba9876543210fedcba98"}}}`), 0o644)
	summary, outputs := filepath.Join(dir, "..", "summary.md"), filepath.Join(dir, "..", "outputs")
	os.Remove(summary)
	os.Remove(outputs)
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_REPOSITORY": "acme/repo", "GITHUB_API_URL": api, "GITHUB_TOKEN": "ghs_not_a_real_token_000000000000000000",
		"GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": outputs,
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	r := run(t, "", env, append([]string{"check", "--github", "on", "--no-snippet", "--only", "schema"}, args...)...)
	s, _ := os.ReadFile(summary)
	o, _ := os.ReadFile(outputs)
	return r, string(s), string(o)
}

// Under --new-from-rev with only old errors, and with GitHub's API down:
// the exit code, the summary's heading, the annotations' levels and the
// outputs all say "passed", and the failed comment is a warning.
func TestOneVerdictEverywhere(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, `{"message":"Server Error"}`, http.StatusBadGateway)
	}))
	defer api.Close()

	dir := filepath.Join(t.TempDir(), "repo")
	os.Mkdir(dir, 0o755)
	git(t, dir, "init", "-q", "-b", "main")
	old := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  owner: team-a\n"
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(old), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "old debt")
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("# edited\n"+old), 0o644)

	r, summary, outputs := githubRun(t, dir, api.URL, "--new-from-rev", "main")
	if r.code != 0 {
		t.Fatalf("only an old error and the API down: exit %d, want 0\n%s\n%s", r.code, r.out, r.err)
	}
	if !strings.HasPrefix(summary, "### ✅ catalint passed") || !strings.Contains(summary, "New against `main`, which alone can fail this check: 0 errors, 0 warnings.") {
		t.Errorf("summary:\n%s", summary)
	}
	if strings.Contains(r.out, "::error ") || !strings.Contains(r.out, "::warning file=catalog-info.yaml,line=6,") || !strings.Contains(r.out, "::already on main, does not fail this check: missing required field") {
		t.Errorf("the old error must be annotated as a warning saying so:\n%s", r.out)
	}
	for _, kv := range []string{"result<<", "\npassed\n", "errors<<", "new-errors<<", "comment<<", "\nfailed\n"} {
		if !strings.Contains(outputs, kv) {
			t.Errorf("outputs lack %q:\n%s", kv, outputs)
		}
	}
	if got := outputValue(outputs, "errors"); got != "1" {
		t.Errorf("errors = %q, want 1 (every error)", got)
	}
	if got := outputValue(outputs, "new-errors"); got != "0" {
		t.Errorf("new-errors = %q, want 0", got)
	}
	if !strings.Contains(r.err, "::warning title=catalint::pull-request comment not written (the check's result stands)") || calls.Load() == 0 {
		t.Errorf("the failed comment must be a warning (%d calls):\n%s", calls.Load(), r.err)
	}
	if strings.Contains(r.err+r.out+summary+outputs, "ghs_not_a_real_token") {
		t.Error("the token leaked")
	}

	// A new error fails, and every place says so; --fail-on warning makes
	// a warning an ::error annotation.
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(old+"---\n"+strings.Replace(old, "svc", "web", 1)), 0o644)
	r, summary, outputs = githubRun(t, dir, api.URL, "--new-from-rev", "main", "--comment=false")
	if r.code != ExitProblems || !strings.HasPrefix(summary, "### ❌ catalint failed") || outputValue(outputs, "result") != "failed" ||
		outputValue(outputs, "errors") != "2" || outputValue(outputs, "new-errors") != "1" || outputValue(outputs, "comment") != "skipped" {
		t.Errorf("a new error: exit %d\n%s\n%s", r.code, summary, outputs)
	}
	if strings.Count(r.out, "::error ") != 1 || strings.Count(r.out, "::warning ") != 1 {
		t.Errorf("one ::error (new) and one ::warning (old):\n%s", r.out)
	}
}

// outputValue reads one name<<DELIMITER value from a GITHUB_OUTPUT file.
func outputValue(file, name string) string {
	lines := strings.Split(file, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, name+"<<") && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}
