package gh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v92/github"
)

// fakeGitHub speaks the part of GitHub's REST API that StickyComment uses,
// for the issue comments of one pull request, as GitHub does it:
//
//   - GET /repos/{o}/{r}/issues/{n}/comments: ascending ids, per_page
//     (default 30, at most 100) and page, with a Link header
//     (rel="next", "last", "first", "prev") when there is more than a page;
//   - POST /repos/{o}/{r}/issues/{n}/comments: 201 and the comment;
//   - PATCH /repos/{o}/{r}/issues/comments/{id}: 200 and the comment;
//   - GET /user: 403 "Resource not accessible by integration", as for the
//     GITHUB_TOKEN of a run;
//   - readOnly: POST and PATCH answer 403 "Resource not accessible by
//     integration", as for a fork's pull_request run;
//   - status: every request answers with that status (401, 502, …).
//
// It serves under /api/v3 (the client's base for a host that is not
// api.github.com) and checks the token.
type fakeGitHub struct {
	t     *testing.T
	owner string
	repo  string
	num   int

	mu        sync.Mutex
	comments  []*fakeComment
	nextID    int64
	readOnly  bool
	status    int
	rateLimit bool
	crlf      bool // store bodies with CRLF, as the web editor does
	requests  map[string]int
	posted    []string
	authBad   int
}

type fakeComment struct {
	ID   int64
	Body string
	User string
	Type string
}

func newFake(t *testing.T) (*fakeGitHub, *httptest.Server) {
	f := &fakeGitHub{t: t, owner: "acme", repo: "platform", num: 42, nextID: 1000, requests: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeGitHub) add(user, typ, body string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.comments = append(f.comments, &fakeComment{ID: f.nextID, Body: body, User: user, Type: typ})
	return f.nextID
}

func (f *fakeGitHub) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[key]
}

func (f *fakeGitHub) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, v := range f.requests {
		n += v
	}
	return n
}

// snapshot copies the comments and the bodies sent.
func (f *fakeGitHub) snapshot() ([]fakeComment, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs := make([]fakeComment, len(f.comments))
	for i, c := range f.comments {
		cs[i] = *c
	}
	return cs, append([]string(nil), f.posted...)
}

func (f *fakeGitHub) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = map[string]int{}
	f.posted = nil
}

func (f *fakeGitHub) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeGitHub) errorJSON(w http.ResponseWriter, status int, msg, doc string) {
	f.json(w, status, map[string]string{"message": msg, "documentation_url": doc, "status": strconv.Itoa(status)})
}

func (f *fakeGitHub) commentJSON(r *http.Request, c *fakeComment) map[string]any {
	return map[string]any{
		"id":       c.ID,
		"body":     c.Body,
		"user":     map[string]any{"login": c.User, "type": c.Type},
		"html_url": fmt.Sprintf("https://github.com/%s/%s/pull/%d#issuecomment-%d", f.owner, f.repo, f.num, c.ID),
		"url":      fmt.Sprintf("http://%s/api/v3/repos/%s/%s/issues/comments/%d", r.Host, f.owner, f.repo, c.ID),
	}
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v3")
	key := r.Method + " " + path
	if r.Method == http.MethodPatch {
		key = "PATCH comment"
	}
	f.requests[key]++
	auth := r.Header.Get("Authorization")
	if auth != "Bearer "+testToken {
		f.authBad++
	}
	if f.status != 0 {
		msg := http.StatusText(f.status)
		if f.status == http.StatusUnauthorized {
			// Reflect the credential, to prove it is never repeated.
			msg = "Bad credentials (" + auth + ")"
		}
		f.errorJSON(w, f.status, msg, "https://docs.github.com/rest")
		return
	}
	if f.rateLimit {
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		f.errorJSON(w, http.StatusForbidden, "API rate limit exceeded for installation ID 1.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")
		return
	}
	forbidden := func(doc string) {
		f.errorJSON(w, http.StatusForbidden, "Resource not accessible by integration", doc)
	}
	list := fmt.Sprintf("/repos/%s/%s/issues/%d/comments", f.owner, f.repo, f.num)
	switch {
	case path == "/user":
		forbidden("https://docs.github.com/rest/users/users#get-the-authenticated-user")

	case r.Method == http.MethodGet && path == list:
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if perPage <= 0 {
			perPage = 30
		}
		perPage = min(perPage, 100)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		last := max((len(f.comments)+perPage-1)/perPage, 1)
		link := func(p int, rel string) string {
			return fmt.Sprintf(`<http://%s/api/v3/repositories/1296269/issues/%d/comments?per_page=%d&page=%d>; rel="%s"`, r.Host, f.num, perPage, p, rel)
		}
		var links []string
		if page > 1 {
			links = append(links, link(page-1, "prev"))
		}
		if page < last {
			links = append(links, link(page+1, "next"), link(last, "last"))
		}
		if page > 1 {
			links = append(links, link(1, "first"))
		}
		if len(links) > 0 {
			w.Header().Set("Link", strings.Join(links, ", "))
		}
		out := []map[string]any{}
		for i := (page - 1) * perPage; i < min(page*perPage, len(f.comments)); i++ {
			out = append(out, f.commentJSON(r, f.comments[i]))
		}
		f.json(w, http.StatusOK, out)

	case r.Method == http.MethodPost && path == list:
		if f.readOnly {
			forbidden("https://docs.github.com/rest/issues/comments#create-an-issue-comment")
			return
		}
		var req struct {
			Body string `json:"body"`
		}
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &req); err != nil || req.Body == "" {
			f.errorJSON(w, http.StatusUnprocessableEntity, "Invalid request.", "")
			return
		}
		if len([]rune(req.Body)) > 65536 {
			f.json(w, http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed",
				"errors": []map[string]string{{"resource": "IssueComment", "code": "unprocessable", "field": "data", "message": "Body is too long (maximum is 65536 characters)"}}})
			return
		}
		f.posted = append(f.posted, req.Body)
		f.nextID++
		c := &fakeComment{ID: f.nextID, Body: f.store(req.Body), User: "github-actions[bot]", Type: "Bot"}
		f.comments = append(f.comments, c)
		f.json(w, http.StatusCreated, f.commentJSON(r, c))

	case r.Method == http.MethodPatch && strings.HasPrefix(path, fmt.Sprintf("/repos/%s/%s/issues/comments/", f.owner, f.repo)):
		if f.readOnly {
			forbidden("https://docs.github.com/rest/issues/comments#update-an-issue-comment")
			return
		}
		id, _ := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
		var req struct {
			Body string `json:"body"`
		}
		data, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(data, &req)
		for _, c := range f.comments {
			if c.ID == id {
				f.posted = append(f.posted, req.Body)
				c.Body = f.store(req.Body)
				f.json(w, http.StatusOK, f.commentJSON(r, c))
				return
			}
		}
		f.errorJSON(w, http.StatusNotFound, "Not Found", "")

	default:
		f.errorJSON(w, http.StatusNotFound, "Not Found", "")
	}
}

func (f *fakeGitHub) store(body string) string {
	if f.crlf {
		return strings.ReplaceAll(body, "\n", "\r\n")
	}
	return body
}

func fakeClient(t *testing.T, srv *httptest.Server) *github.Client {
	t.Helper()
	e := EnvFrom(envMap(map[string]string{"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": testToken}))
	c, err := NewClient(e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testPR(t *testing.T, file string) *PullRequest {
	t.Helper()
	pr, err := actionsEnv("pull_request", "testdata/"+file).PullRequest()
	if err != nil || pr == nil {
		t.Fatalf("PullRequest: %v, %v", pr, err)
	}
	return pr
}

// others fills the pull request with n comments of people and other bots;
// some quote catalint's marker without starting with it.
func (f *fakeGitHub) others(n int) {
	for i := range n {
		switch i % 4 {
		case 0:
			f.add("codecov[bot]", "Bot", "<!-- codecov -->\n## Codecov Report\nAll modified lines are covered.")
		case 1:
			f.add("octocat", "User", fmt.Sprintf("LGTM %d", i))
		case 2:
			f.add("renovate[bot]", "Bot", "### Dependency update\n<!-- renovate -->")
		default:
			f.add("mallory", "User", "quoting the bot: "+DefaultMarker+" please ignore")
		}
	}
}

func TestStickyCommentLifecycle(t *testing.T) {
	f, srv := newFake(t)
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	ctx := context.Background()
	f.others(120)

	// 1. No catalint comment among 120: one is created (it is the 121st,
	// on page 2).
	out, err := StickyComment(ctx, client, pr, DefaultMarker, "### ❌ catalint failed\n\n2 errors")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != Created || out.ID == 0 || !strings.Contains(out.URL, "#issuecomment-") || out.Notice != "" {
		t.Fatalf("first run = %+v, want created", out)
	}
	if f.count("POST /repos/acme/platform/issues/42/comments") != 1 || f.count("GET /repos/acme/platform/issues/42/comments") != 2 {
		t.Fatalf("first run requests: want 2 pages listed and 1 POST")
	}
	if _, posted := f.snapshot(); !strings.HasPrefix(posted[0], DefaultMarker+"\n### ❌") {
		t.Fatalf("created body does not start with the marker: %q", posted[0])
	}
	id := out.ID

	// Others comment after it, so that it sits on page 2 among them.
	f.others(90)
	f.reset()

	// 2. A changed body updates the SAME comment, found on page 2 of 3.
	out, err = StickyComment(ctx, client, pr, DefaultMarker, "### ✅ catalint passed\n\n0 errors")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != Updated || out.ID != id {
		t.Fatalf("second run = %+v, want updated comment %d", out, id)
	}
	if f.count("PATCH comment") != 1 || f.count("POST /repos/acme/platform/issues/42/comments") != 0 || f.count("GET /repos/acme/platform/issues/42/comments") != 3 {
		t.Fatalf("second run requests: want 3 pages listed, 1 PATCH, no POST")
	}
	comments, _ := f.snapshot()
	mine := 0
	for _, c := range comments {
		if strings.HasPrefix(c.Body, DefaultMarker) {
			mine++
			if c.ID != id || !strings.Contains(c.Body, "catalint passed") {
				t.Errorf("comment %d = %q", c.ID, c.Body)
			}
		}
	}
	if mine != 1 {
		t.Fatalf("%d catalint comments, want ONE", mine)
	}
	f.reset()

	// 3. Unchanged: only the listing, no write.
	out, err = StickyComment(ctx, client, pr, DefaultMarker, "### ✅ catalint passed\n\n0 errors\n")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != Unchanged || out.ID != id {
		t.Fatalf("third run = %+v, want unchanged", out)
	}
	if n, gets := f.total(), f.count("GET /repos/acme/platform/issues/42/comments"); n != gets || gets != 3 {
		t.Fatalf("third run sent %d requests, want only the 3 list pages", n)
	}

	if n := f.count("GET /user"); n != 0 {
		t.Errorf("/user was called %d times", n)
	}
	f.mu.Lock()
	bad := f.authBad
	f.mu.Unlock()
	if bad != 0 {
		t.Errorf("%d requests without the token as a Bearer credential", bad)
	}
}

func TestStickyCommentUnchangedDespiteCRLF(t *testing.T) {
	f, srv := newFake(t)
	f.crlf = true
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	body := "### ✅ catalint passed\n\n| a | b |\n| --- | --- |\n"
	if out, err := StickyComment(context.Background(), client, pr, "", body); err != nil || out.Result != Created {
		t.Fatalf("first = %+v, %v", out, err)
	}
	f.reset()
	if out, err := StickyComment(context.Background(), client, pr, "", body); err != nil || out.Result != Unchanged {
		t.Fatalf("second = %+v, %v; want unchanged (GitHub stored CRLF)", out, err)
	}
	if f.count("PATCH comment") != 0 {
		t.Error("sent an update for a body that only differs in line endings")
	}
}

func TestStickyCommentPrefersBot(t *testing.T) {
	f, srv := newFake(t)
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	// Someone pasted the marker at the start of their own comment first.
	human := f.add("mallory", "User", DefaultMarker+"\nnot the bot")
	f.others(10)
	bot := f.add("github-actions[bot]", "Bot", DefaultMarker+"\nold report")
	out, err := StickyComment(context.Background(), client, pr, DefaultMarker, "new report")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != Updated || out.ID != bot {
		t.Fatalf("= %+v, want an update of the bot's comment %d (not %d)", out, bot, human)
	}
	if comments, _ := f.snapshot(); comments[0].Body != DefaultMarker+"\nnot the bot" {
		t.Error("the human's comment was changed")
	}
}

func TestStickyCommentForkReadOnly(t *testing.T) {
	f, srv := newFake(t)
	f.num = 7
	f.readOnly = true
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request_fork.json")
	f.others(5)

	out, err := StickyComment(context.Background(), client, pr, DefaultMarker, "report")
	if err != nil {
		t.Fatalf("a fork's read-only token failed the run: %v", err)
	}
	if out.Result != SkippedReadOnly {
		t.Fatalf("= %+v, want skipped-readonly", out)
	}
	for _, want := range []string{"acme/platform#7", "fork (outsider/platform)", "read-only token", "Resource not accessible by integration", "job summary"} {
		if !strings.Contains(out.Notice, want) {
			t.Errorf("notice %q does not say %q", out.Notice, want)
		}
	}
	// An existing comment: the PATCH is refused the same way.
	f.add("github-actions[bot]", "Bot", DefaultMarker+"\nfrom an earlier pull_request_target run")
	out, err = StickyComment(context.Background(), client, pr, DefaultMarker, "report")
	if err != nil || out.Result != SkippedReadOnly {
		t.Fatalf("update on a fork = %+v, %v; want skipped-readonly", out, err)
	}
	if f.count("GET /user") != 0 {
		t.Error("/user was called")
	}
}

func TestStickyCommentNoWritePermission(t *testing.T) {
	f, srv := newFake(t)
	f.readOnly = true
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	out, err := StickyComment(context.Background(), client, pr, DefaultMarker, "report")
	if err != nil || out.Result != SkippedReadOnly {
		t.Fatalf("= %+v, %v; want skipped-readonly", out, err)
	}
	if !strings.Contains(out.Notice, "pull-requests: write") {
		t.Errorf("notice %q does not say which permission", out.Notice)
	}
}

func TestStickyCommentErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		rateLimit bool
		want      []string
		tries     int
	}{
		{"401", http.StatusUnauthorized, false, []string{"acme/platform#42", "list comments", "authentication failed (401)"}, 1},
		{"404", http.StatusNotFound, false, []string{"not found (404)"}, 1},
		{"502 after retries", http.StatusBadGateway, false, []string{"GitHub server error (502) after 3 attempts"}, 3},
		{"rate limit", 0, true, []string{"rate limit exhausted", "resets at"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t)
			f.status, f.rateLimit = tt.status, tt.rateLimit
			client := fakeClient(t, srv)
			pr := testPR(t, "event_pull_request.json")
			out, err := StickyComment(context.Background(), client, pr, DefaultMarker, "report")
			if err == nil {
				t.Fatalf("= %+v, want an error", out)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprintf("%+v", e), testToken) {
				t.Errorf("error holds the token: %v", err)
			}
			if out.Result == SkippedReadOnly {
				t.Error("a non-permission failure was taken for a read-only token")
			}
			if n := f.total(); n != tt.tries {
				t.Errorf("%d requests, want %d", n, tt.tries)
			}
		})
	}
}

func TestStickyCommentCutsLongBody(t *testing.T) {
	f, srv := newFake(t)
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	body := strings.Repeat("- ❌ a problem with a long message, again and again\n", 3000)
	out, err := StickyComment(context.Background(), client, pr, DefaultMarker, body)
	if err != nil || out.Result != Created {
		t.Fatalf("= %+v, %v", out, err)
	}
	_, posted := f.snapshot()
	if got := posted[0]; len(got) > CommentLimit || !strings.Contains(got, "Comment cut here") {
		t.Errorf("posted %d bytes, want at most %d with a note", len(got), CommentLimit)
	}
}

func TestStickyCommentBadInput(t *testing.T) {
	_, srv := newFake(t)
	client := fakeClient(t, srv)
	pr := testPR(t, "event_pull_request.json")
	for _, m := range []string{"catalint", "<!-- a -- b -->", "<!-- a\n -->"} {
		if _, err := StickyComment(context.Background(), client, pr, m, "x"); err == nil {
			t.Errorf("marker %q accepted", m)
		}
	}
	bad := *pr
	bad.Owner = "acme/../x"
	if _, err := StickyComment(context.Background(), client, &bad, "", "x"); err == nil {
		t.Error("an owner with a slash was accepted")
	}
	if _, err := StickyComment(context.Background(), nil, pr, "", "x"); err == nil {
		t.Error("a nil client was accepted")
	}
}

func TestRedact(t *testing.T) {
	for _, s := range []string{testToken, "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github_pat_11ABCDEFG0abcdefghijkl_mnop", "Bearer abc.def-ghi_jkl"} {
		if got := redact("x " + s + " y"); strings.Contains(got, s) || !strings.Contains(got, "[REDACTED]") {
			t.Errorf("redact(%q) = %q", s, got)
		}
	}
	if got := redact("Resource not accessible by integration; the token permissions"); got != "Resource not accessible by integration; the token permissions" {
		t.Errorf("redact changed plain text: %q", got)
	}
}
