package gh

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testToken = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func actionsEnv(event, payload string) Env {
	return EnvFrom(envMap(map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   event,
		"GITHUB_EVENT_PATH":   payload,
		"GITHUB_REPOSITORY":   "acme/platform",
		"GITHUB_API_URL":      "https://api.github.com",
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_RUN_ID":       "1658821493",
		"GITHUB_STEP_SUMMARY": "/tmp/summary",
		"GITHUB_OUTPUT":       "/tmp/output",
		"GITHUB_TOKEN":        testToken,
	}))
}

func TestEnvFrom(t *testing.T) {
	e := actionsEnv("pull_request", "testdata/event_pull_request.json")
	if !e.Actions || e.EventName != "pull_request" || e.Repository != "acme/platform" || e.StepSummary != "/tmp/summary" || e.Output != "/tmp/output" {
		t.Fatalf("EnvFrom = %v", e)
	}
	if e.Token != testToken || e.TokenVar != "GITHUB_TOKEN" {
		t.Fatalf("token not read from GITHUB_TOKEN: %q", e.TokenVar)
	}
	if got, want := e.RunURL(), "https://github.com/acme/platform/actions/runs/1658821493"; got != want {
		t.Errorf("RunURL = %q, want %q", got, want)
	}

	// Outside Actions: defaults, no token, no event.
	z := EnvFrom(envMap(nil))
	if z.Actions || z.APIURL != DefaultAPIURL || z.ServerURL != DefaultServerURL || z.Token != "" || z.RunURL() != "" {
		t.Errorf("EnvFrom(empty) = %v", z)
	}
	if pr, err := z.PullRequest(); pr != nil || err != nil {
		t.Errorf("PullRequest outside Actions = %v, %v; want nil, nil", pr, err)
	}

	// GITHUB_API_URL of GitHub Enterprise Server, trailing slash trimmed;
	// an action input as the token.
	g := EnvFrom(envMap(map[string]string{"GITHUB_API_URL": "https://ghe.example.com/api/v3/", "INPUT_TOKEN": " tok "}))
	if g.APIURL != "https://ghe.example.com/api/v3" || g.Token != "tok" || g.TokenVar != "INPUT_TOKEN" {
		t.Errorf("EnvFrom(GHES) = %v token %q", g, g.Token)
	}
}

func TestEnvNeverPrintsToken(t *testing.T) {
	e := actionsEnv("pull_request", "x.json")
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(f, e)
		if strings.Contains(s, testToken) {
			t.Errorf("%s prints the token: %s", f, s)
		}
		if !strings.Contains(s, "set from GITHUB_TOKEN") {
			t.Errorf("%s does not say the token is set: %s", f, s)
		}
	}
}

func TestPullRequest(t *testing.T) {
	tests := []struct {
		event, file string
		want        *PullRequest
	}{
		{"pull_request", "event_pull_request.json", &PullRequest{
			Number: 42, Owner: "acme", Repo: "platform", Event: "pull_request",
			BaseSHA: "9049f1265b7d61be4a8904a9a27120d2064dab3b", BaseRef: "main",
			HeadSHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e", HeadRef: "add-payments", HeadRepo: "acme/platform",
			Fork: false, HTMLURL: "https://github.com/acme/platform/pull/42",
		}},
		{"pull_request", "event_pull_request_fork.json", &PullRequest{
			Number: 7, Owner: "acme", Repo: "platform", Event: "pull_request",
			BaseSHA: "9049f1265b7d61be4a8904a9a27120d2064dab3b", BaseRef: "main",
			HeadSHA: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", HeadRef: "fix-owner", HeadRepo: "outsider/platform",
			Fork: true, HTMLURL: "https://github.com/acme/platform/pull/7",
		}},
		// pull_request_target has the same payload; the comments are
		// still on the base repository.
		{"pull_request_target", "event_pull_request_fork.json", &PullRequest{
			Number: 7, Owner: "acme", Repo: "platform", Event: "pull_request_target",
			BaseSHA: "9049f1265b7d61be4a8904a9a27120d2064dab3b", BaseRef: "main",
			HeadSHA: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", HeadRef: "fix-owner", HeadRepo: "outsider/platform",
			Fork: true, HTMLURL: "https://github.com/acme/platform/pull/7",
		}},
		// A deleted fork: head.repo is null.
		{"pull_request", "event_pull_request_deleted_fork.json", &PullRequest{
			Number: 8, Owner: "acme", Repo: "platform", Event: "pull_request",
			BaseSHA: "9049f1265b7d61be4a8904a9a27120d2064dab3b", BaseRef: "main",
			HeadSHA: "1111111111111111111111111111111111111111", HeadRef: "old", HeadRepo: "",
			Fork: true, HTMLURL: "https://github.com/acme/platform/pull/8",
		}},
		{"push", "event_push.json", nil},
		{"schedule", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.event+"/"+tt.file, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = filepath.Join("testdata", tt.file)
			}
			pr, err := actionsEnv(tt.event, path).PullRequest()
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if pr != nil {
					t.Fatalf("PullRequest = %+v, want nil", pr)
				}
				return
			}
			if pr == nil || *pr != *tt.want {
				t.Fatalf("PullRequest =\n %+v\nwant\n %+v", pr, tt.want)
			}
		})
	}
}

func TestPullRequestErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"no path", "", "GITHUB_EVENT_PATH is not set"},
		{"missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"not json", write("bad.json", "{"), "not a webhook payload"},
		{"push payload", "testdata/event_push.json", "has no pull_request"},
		{"bad repository", write("repo.json", `{"number":1,"pull_request":{"number":1,"base":{"repo":{"full_name":"acme/../x"}}}}`), "is not \"owner/name\""},
		{"no number", write("nonum.json", `{"pull_request":{"base":{"repo":{"full_name":"acme/platform"}}}}`), "no pull request number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := actionsEnv("pull_request", tt.path).PullRequest()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("PullRequest = %v, %v; want an error with %q", pr, err, tt.want)
			}
		})
	}
}
