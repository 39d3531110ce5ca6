package redteam

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Secrets the network cases hand catalint; none may appear in anything it
// writes.
const (
	ghToken = "ghp_REDTEAM0123456789secret"
	bsToken = "bs-REDTEAM0123456789secret"
)

// The group the local component's owner resolves to, as the remote
// catalogs hold it.
const teamA = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n"

// server is a loopback server whose handler a case sets; it records the
// Authorization headers it saw.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	h     http.HandlerFunc
	auths []string
	hits  atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	s := &server{h: h}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		h := s.h
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) sawAuth() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.auths {
		if a != "" {
			return true
		}
	}
	return false
}

// Misbehaviours shared by the fakes.

// hang accepts the request and never answers.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// trickle answers 200 and then a space every 100 ms, forever.
func trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	for {
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// resetMidBody sends the headers and the start of a body, then drops the
// connection.
func resetMidBody(start string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n" + start)
		buf.Flush()
		c.Close()
	}
}

// endless writes chunk forever (until the client goes).
func endless(prefix, chunk string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, prefix)
		b := []byte(strings.Repeat(chunk, 1<<16/len(chunk)))
		for {
			if _, err := w.Write(b); err != nil {
				return
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// --- a GitHub API, as GitHub Enterprise Server serves it under /api/v3 ---

// ghFake serves organisation acme with one repository, svc, whose
// catalog-info.yaml holds team-a; its teams and members; and the issue
// comments of acme/app#7. ETags and If-None-Match work as on GitHub.
type ghFake struct {
	*server
	// hook answers a request instead when it returns true.
	hook     func(w http.ResponseWriter, r *http.Request) bool
	comments []string
	uncond   atomic.Int64
}

func newGitHub(t *testing.T) *ghFake {
	f := &ghFake{}
	f.server = newServer(t, f.serve)
	return f
}

func (f *ghFake) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.hook = h
	f.mu.Unlock()
}

func (f *ghFake) api() string { return f.URL + "/api/v3" }

func (f *ghFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	hook := f.hook
	f.mu.Unlock()
	if hook != nil && hook(w, r) {
		return
	}
	if r.Header.Get("If-None-Match") == "" {
		f.uncond.Add(1)
	}
	w.Header().Set("X-RateLimit-Remaining", "4999")
	switch p := strings.TrimPrefix(r.URL.Path, "/api/v3"); {
	case p == "/orgs/acme/repos":
		f.etagged(w, r, []map[string]any{{"name": "svc", "full_name": "acme/svc", "default_branch": "main",
			"owner": map[string]any{"login": "acme"}, "pushed_at": "2026-01-02T03:04:05Z"}})
	case p == "/repos/acme/svc/contents/catalog-info.yaml":
		f.etagged(w, r, map[string]any{"type": "file", "encoding": "base64", "size": len(teamA),
			"name": "catalog-info.yaml", "path": "catalog-info.yaml", "content": base64.StdEncoding.EncodeToString([]byte(teamA))})
	case p == "/orgs/acme/teams":
		f.etagged(w, r, []map[string]any{{"slug": "team-a", "name": "team-a"}})
	case p == "/orgs/acme/members":
		f.etagged(w, r, []map[string]any{{"login": "alice"}})
	case p == "/repos/acme/app/issues/7/comments" && r.Method == http.MethodGet:
		writeJSON(w, 200, []any{})
	case p == "/repos/acme/app/issues/7/comments" && r.Method == http.MethodPost:
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.comments = append(f.comments, string(b))
		f.mu.Unlock()
		writeJSON(w, 201, map[string]any{"id": 1, "html_url": "https://github.example/acme/app/pull/7#issuecomment-1"})
	default:
		writeJSON(w, 404, map[string]string{"message": "Not Found"})
	}
}

func (f *ghFake) etagged(w http.ResponseWriter, r *http.Request, v any) {
	b, _ := json.Marshal(v)
	etag := fmt.Sprintf(`"%x"`, len(b)*7919)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

// only runs h for requests whose path ends in suffix (n: up to n times, 0
// for always).
func only(suffix string, n int64, h http.HandlerFunc) func(w http.ResponseWriter, r *http.Request) bool {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		if n > 0 && seen.Add(1) > n {
			return false
		}
		h(w, r)
		return true
	}
}

// nextLink answers a repository page that names page next(page) as the
// next one.
func nextLink(next func(page int) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(next(page)))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
		writeJSON(w, 200, []map[string]any{{"name": "r" + strconv.Itoa(page), "full_name": "acme/r" + strconv.Itoa(page), "owner": map[string]any{"login": "acme"}}})
	}
}

func ghEnv(f *ghFake) map[string]string {
	return map[string]string{"GITHUB_API_URL": f.api(), "GITHUB_TOKEN": ghToken}
}

// netCase is one attack on a network source and what must come of it.
type netCase struct {
	name string
	hook func(w http.ResponseWriter, r *http.Request) bool
	args []string
	code int
	msg  string
	// time bounds the run (default 20 s).
	time time.Duration
	// env adds to the environment.
	env map[string]string
}

func runGitHubCases(t *testing.T, cases []netCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newGitHub(t)
			f.setHook(c.hook)
			dir := repo(t, map[string]string{"catalog-info.yaml": component})
			env := ghEnv(f)
			for k, v := range c.env {
				env[k] = v
			}
			bound := c.time
			if bound == 0 {
				bound = 20 * time.Second
			}
			r := catalint(t, Opts{Dir: dir, Env: env, Bounds: Bounds{Time: bound}}, c.args...)
			wantCode(t, r, c.code)
			if c.msg != "" {
				wantMessage(t, r, c.msg)
			}
			noLeak(t, r, ghToken)
		})
	}
}

// A GitHub organisation scan (--catalog github:ORG) against servers that
// misbehave as real ones do: every run ends within its bound, with the
// documented exit code and a message saying what happened, and never
// prints the token.
func TestNetGitHubCatalog(t *testing.T) {
	scan := []string{"check", "--catalog", "github:acme", "--timeout", "2s", "."}
	// Bodies of many MiB get a timeout a loaded CI machine cannot hit
	// before the size bound they test.
	bigScan := []string{"check", "--catalog", "github:acme", "--timeout", "20s", "."}
	repos := "/orgs/acme/repos"
	contents := "/contents/catalog-info.yaml"
	runGitHubCases(t, []netCase{
		{name: "well-behaved", args: scan, code: 0},
		{name: "Link loops back", hook: only(repos, 0, nextLink(func(int) int { return 1 })), args: scan, code: 3,
			msg: "the repository list of acme: bad pagination: the pages loop back (page 1 names page 1 as the next)"},
		{name: "Link loops after 3 pages", hook: only(repos, 0, nextLink(func(p int) int { return p%3 + 1 })), args: scan, code: 3,
			msg: "the pages loop back (page 3 names page 1 as the next)"},
		{name: "endless pages", hook: only(repos, 0, nextLink(func(p int) int { return p + 1 })), args: scan, code: 3,
			msg: "bad pagination: over 1000 pages (100000 repositories)"},
		{name: "hang", hook: only(repos, 0, hang), args: scan, code: 3, time: 10 * time.Second,
			msg: "the repository list of acme: no complete answer within 2s (--timeout)"},
		{name: "trickle", hook: only(repos, 0, trickle), args: scan, code: 3, time: 10 * time.Second,
			msg: "the repository list of acme: no complete answer within 2s (--timeout)"},
		{name: "hang on a file", hook: only(contents, 0, hang), args: scan, code: 3, time: 10 * time.Second,
			msg: "acme/svc/catalog-info.yaml: no complete answer within 2s (--timeout)"},
		{name: "reset mid-body, always", hook: only(repos, 0, resetMidBody(`[{"name":"svc",`)), args: scan, code: 3,
			msg: "(after 3 attempts)"},
		{name: "reset mid-body, then success", hook: only(repos, 1, resetMidBody(`[{"name":"svc",`)), args: scan, code: 0},
		{name: "5xx then success", hook: only(repos, 2, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			io.WriteString(w, "<html>502 Bad Gateway</html>")
		}), args: scan, code: 0},
		{name: "5xx always", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }), args: scan, code: 3,
			msg: "GitHub server error (503) on the repository list of acme after 3 attempts; retry later"},
		{name: "truncated JSON", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `[{"name":"svc","full_`)
		}), args: scan, code: 3, msg: "the repository list of acme: unexpected EOF"},
		{name: "wrong JSON", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]string{"message": "hello"})
		}), args: scan, code: 3, msg: `the repository list of acme: malformed response: want "[", found {`},
		{name: "HTML instead of JSON", hook: only(contents, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>sign in</html>")
		}), args: scan, code: 3, msg: "acme/svc/catalog-info.yaml: malformed response"},
		{name: "primary rate limit", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
			writeJSON(w, 403, map[string]string{"message": "API rate limit exceeded for user ID 1."})
		}), args: scan, code: 3, msg: "rate limit exhausted; resets at"},
		{name: "primary rate limit names the flag", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
			writeJSON(w, 403, map[string]string{"message": "API rate limit exceeded for user ID 1."})
		}), args: scan, code: 3, msg: "retry later, or wait for the reset (--on-rate-limit wait)"},
		{name: "secondary rate limit", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			writeJSON(w, 403, map[string]string{"message": "You have exceeded a secondary rate limit."})
		}), args: scan, code: 3, msg: "secondary rate limit exceeded; GitHub asks to wait until"},
		{name: "secondary rate limit, waited out", hook: only(repos, 1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, map[string]string{"message": "You have exceeded a secondary rate limit."})
		}), args: []string{"check", "--catalog", "github:acme", "--on-rate-limit", "wait", "--timeout", "2s", "."}, code: 0},
		{name: "list bomb", hook: only(repos, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "["+strings.Repeat("{},", 200_000)+"{}]")
		}), args: scan, code: 3, msg: "the page holds more than the 100 items asked for"},
		{name: "endless body", hook: only(contents, 0, endless(`{"type":"file","content":"`, "QUFB")), args: bigScan, time: 40 * time.Second, code: 3,
			msg: "the response is larger than 16 MiB"},
		{name: "folder bomb", hook: only(contents, 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "["+strings.Repeat("{},", 4_000_000)+"{}]")
		}), args: bigScan, time: 40 * time.Second, code: 3, msg: "acme/svc/catalog-info.yaml: the response holds more than 2097152 JSON values"},
		{name: "a folder, not a file", hook: only(contents, 0, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, []map[string]any{{"type": "file", "name": "a.yaml", "path": "catalog-info.yaml/a.yaml"}})
		}), args: scan, code: 1, msg: "group team-a does not exist in the catalog"},
	})
}

// The token stays on the API's origin: a redirect to another port of the
// same host is followed without it.
func TestNetGitHubRedirectToAnotherPort(t *testing.T) {
	f := newGitHub(t)
	other := newGitHub(t)
	f.setHook(only("/orgs/acme/repos", 0, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	dir := repo(t, map[string]string{"catalog-info.yaml": component})
	r := catalint(t, Opts{Dir: dir, Env: ghEnv(f), Bounds: Bounds{Time: 20 * time.Second}}, "check", "--catalog", "github:acme", ".")
	wantCode(t, r, 0)
	noLeak(t, r, ghToken)
	if other.hits.Load() == 0 {
		t.Fatal("the redirect was not followed")
	}
	if other.sawAuth() {
		t.Error("the token was sent to another port")
	}
}

// A cache entry whose body was damaged, while the server still confirms
// its ETag with 304, is dropped and fetched again: the run passes, and the
// next one is served from the repaired cache.
func TestNetGitHubDamagedCacheEntry(t *testing.T) {
	f := newGitHub(t)
	dir := repo(t, map[string]string{"catalog-info.yaml": component})
	cache := filepath.Join(t.TempDir(), "cache")
	args := []string{"check", "--catalog", "github:acme", "--cache-dir", cache, "."}
	r := catalint(t, Opts{Dir: dir, Env: ghEnv(f)}, args...)
	wantCode(t, r, 0)
	damaged := 0
	filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if i := bytes.Index(b, []byte(`"body":"`)); i >= 0 {
			copy(b[i+8:], "eyJ9") // a body of `{"}`: broken JSON
			os.WriteFile(p, b, 0o600)
			damaged++
		}
		return nil
	})
	if damaged == 0 {
		t.Fatal("nothing was cached")
	}
	f.uncond.Store(0)
	r = catalint(t, Opts{Dir: dir, Env: ghEnv(f)}, args...)
	wantCode(t, r, 0)
	noLeak(t, r, ghToken)
	if f.uncond.Load() == 0 {
		t.Error("the damaged entries were not fetched again")
	}
	f.uncond.Store(0)
	r = catalint(t, Opts{Dir: dir, Env: ghEnv(f)}, args...)
	wantCode(t, r, 0)
	if n := f.uncond.Load(); n != 0 {
		t.Errorf("third run: %d unconditional requests; the cache was not repaired", n)
	}
}

// --owners github:ORG: the team provider is bounded the same way.
func TestNetGitHubOwners(t *testing.T) {
	owners := []string{"check", "--owners", "github:acme", "--timeout", "2s", "."}
	runGitHubCases(t, []netCase{
		{name: "well-behaved", args: owners, code: 0},
		{name: "hang", hook: only("/orgs/acme/teams", 0, hang), args: owners, code: 3, time: 10 * time.Second,
			msg: "no complete answer within 2s (--timeout)"},
		{name: "team Link loop", hook: only("/orgs/acme/teams", 0, nextLink(func(int) int { return 1 })), args: owners, code: 3,
			msg: "the pages loop back"},
		{name: "member list bomb", hook: only("/orgs/acme/members", 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "["+strings.Repeat(`{"login":"x"},`, 500_000)+"{}]")
		}), args: owners, code: 3, msg: "the page holds more than the 100 items asked for"},
	})
}

// --- a Backstage catalog API ---

// bsFake serves GET /api/catalog/entities/by-query with team-a, one page;
// hook misbehaves instead.
func newBackstage(t *testing.T, hook func(w http.ResponseWriter, r *http.Request) bool) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if hook != nil && hook(w, r) {
			return
		}
		if r.URL.Path != "/api/catalog/entities/by-query" {
			writeJSON(w, 404, map[string]any{"error": map[string]string{"name": "NotFoundError", "message": "not found"}})
			return
		}
		writeJSON(w, 200, map[string]any{"items": []any{map[string]any{
			"apiVersion": "backstage.io/v1alpha1", "kind": "Group",
			"metadata": map[string]any{"name": "team-a", "namespace": "default"},
			"spec":     map[string]any{"type": "team", "children": []any{}},
		}}, "totalItems": 1, "pageInfo": map[string]any{}})
	})
}

func runBackstageCases(t *testing.T, flag string, cases []netCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newBackstage(t, c.hook)
			dir := repo(t, map[string]string{"catalog-info.yaml": component})
			args := append([]string{"check", flag, "backstage:" + s.URL}, c.args...)
			bound := c.time
			if bound == 0 {
				bound = 20 * time.Second
			}
			r := catalint(t, Opts{Dir: dir, Env: map[string]string{"BACKSTAGE_TOKEN": bsToken}, Bounds: Bounds{Time: bound}}, args...)
			wantCode(t, r, c.code)
			if c.msg != "" {
				wantMessage(t, r, c.msg)
			}
			noLeak(t, r, bsToken)
		})
	}
}

func byQuery(n int64, h http.HandlerFunc) func(w http.ResponseWriter, r *http.Request) bool {
	return only("/entities/by-query", n, h)
}

// --catalog backstage:URL and --owners backstage:URL against misbehaving
// catalogs.
func TestNetBackstage(t *testing.T) {
	rest := []string{"--timeout", "2s", "."}
	// Cases that send tens of MiB before the bound is reached get a
	// timeout a loaded CI machine cannot hit first: they test the size
	// bound, not the clock.
	big := []string{"--timeout", "20s", "."}
	entity := func(name, pad string) string {
		return `{"kind":"Group","metadata":{"name":"` + name + `","description":"` + pad + `"},"spec":{"type":"team"}}`
	}
	cases := []netCase{
		{name: "well-behaved", args: rest, code: 0},
		{name: "hang", hook: byQuery(0, hang), args: rest, code: 3, time: 10 * time.Second,
			msg: "page 1: no complete answer within 2s (--timeout)"},
		{name: "trickle", hook: byQuery(0, trickle), args: rest, code: 3, time: 10 * time.Second,
			msg: "page 1: no complete answer within 2s (--timeout)"},
		{name: "cursor loop", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"items": []any{}, "pageInfo": map[string]any{"nextCursor": "c1"}})
		}), args: rest, code: 3, msg: "page 2: the catalog returned the cursor of page 2 again: stopping, as following it would loop"},
		{name: "reset mid-body", hook: byQuery(0, resetMidBody(`{"items":[{"kind":"Gr`)), args: rest, code: 3, msg: "(gave up after 3 tries)"},
		{name: "5xx then success", hook: byQuery(2, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }), args: rest, code: 0},
		{name: "429 with a long Retry-After", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(429)
		}), args: rest, code: 3, msg: "rate limited (429): the catalog asks to retry after 1h0m0s; try again later"},
		{name: "429 then success", hook: byQuery(1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
		}), args: rest, code: 0},
		{name: "HTML login page", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><html>sign in</html>")
		}), args: rest, code: 3, msg: "got an HTML page, not catalog JSON"},
		{name: "truncated JSON", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"items":[{"kind":"Group","meta`)
		}), args: rest, code: 3, msg: "page 1: malformed response: it ends early"},
		{name: "wrong JSON", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"items":{"kind":"Group"}}`)
		}), args: rest, code: 3, msg: `page 1: malformed response: not a page of entities: want "[", found {`},
		{name: "entity bomb", hook: byQuery(0, endless(`{"items":[{"kind":"Group","metadata":{"name":"x","description":"`, "AAAA")), args: big, time: 40 * time.Second, code: 3,
			msg: "page 1: an entity of the page is larger than 16 MiB: stopping"},
		{name: "page over 64 MiB", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"items":[`)
			pad := strings.Repeat("A", 200<<10)
			for i := range 499 {
				if _, err := io.WriteString(w, entity("g"+strconv.Itoa(i), pad)+","); err != nil {
					return
				}
			}
			io.WriteString(w, entity("last", "")+`],"pageInfo":{}}`)
		}), args: big, time: 40 * time.Second, code: 3, msg: "page 1: the page is larger than 64 MiB: stopping"},
		{name: "more items than asked for", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"items":[`+strings.Repeat(entity("g", "")+",", 600)+entity("h", "")+`],"pageInfo":{}}`)
		}), args: rest, code: 3, msg: "more than the 500 entities asked for"},
		{name: "error message with the token echoed", hook: byQuery(0, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, map[string]any{"error": map[string]string{"name": "AuthenticationError", "message": "bad token " + r.Header.Get("Authorization")}})
		}), args: rest, code: 3, msg: "unauthorised (401)"},
	}
	t.Run("catalog", func(t *testing.T) { runBackstageCases(t, "--catalog", cases) })
	t.Run("owners", func(t *testing.T) {
		runBackstageCases(t, "--owners", []netCase{cases[0], cases[1], cases[3], cases[11]})
	})
}

// The Backstage token does not follow a redirect to another port of the
// same host: the redirect is refused and the run says so.
func TestNetBackstageRedirectToAnotherPort(t *testing.T) {
	other := newBackstage(t, nil)
	s := newBackstage(t, byQuery(0, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	dir := repo(t, map[string]string{"catalog-info.yaml": component})
	r := catalint(t, Opts{Dir: dir, Env: map[string]string{"BACKSTAGE_TOKEN": bsToken}}, "check", "--catalog", "backstage:"+s.URL, ".")
	wantCode(t, r, 3)
	wantMessage(t, r, "the catalog redirected to another origin (http://127.0.0.1:")
	noLeak(t, r, bsToken)
	if other.hits.Load() != 0 || other.sawAuth() {
		t.Errorf("the other port got %d requests (token: %v)", other.hits.Load(), other.sawAuth())
	}
}

// --- snapshots ---

// bomb writes (once) a gzip file of head, then body repeated to n bytes,
// then tail: gzip members, the middle one (64 MiB of body) compressed once
// and repeated, as gzip readers read concatenated members as one stream.
func bomb(t *testing.T, name, head, body string, n int, tail string) string {
	dir, err := os.MkdirTemp("", "catalint-bomb-")
	if err != nil {
		t.Fatal(err)
	}
	member := func(write func(w io.Writer)) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		write(zw)
		zw.Close()
		return b.Bytes()
	}
	const block = 64 << 20
	mid := member(func(w io.Writer) {
		chunk := []byte(strings.Repeat(body, 1<<16/len(body)))
		for written := 0; written < block; written += len(chunk) {
			w.Write(chunk)
		}
	})
	out := member(func(w io.Writer) { io.WriteString(w, head) })
	for range n / block {
		out = append(out, mid...)
	}
	out = append(out, member(func(w io.Writer) { io.WriteString(w, tail) })...)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return p
}

// Gzip snapshots that decompress without end, from a file or a URL, stop
// at the limits with a message (exit 3), in bounded memory.
func TestNetSnapshotBombs(t *testing.T) {
	// 2 GiB each, as the bombs of issue 15 (1.5 to 4 MB of gzip).
	spaces := bomb(t, "spaces.json.gz", "", " ", 2<<30, "{}")
	values := bomb(t, "values.json.gz", `{"version":1,"entities":[`, `{"kind":"Component","namespace":"default","name":"x","entity":{}},`, 2<<30, `{"kind":"A","name":"b"}]}`)
	str := bomb(t, "string.json.gz", `{"version":1,"entities":[{"kind":"A","name":"b","entity":{"x":"`, "A", 2<<30, `"}}]}`)
	for _, b := range []string{spaces, values, str} {
		if st, _ := os.Stat(b); st.Size() > 8<<20 {
			t.Fatalf("%s: %d bytes: not a bomb", b, st.Size())
		}
	}
	for _, c := range []struct{ name, src, msg string }{
		{"spaces, file", spaces, "the decompressed snapshot is larger than 256 MiB: refused (a decompression bomb"},
		{"entities, file", values, "the decompressed snapshot holds more than 8388608 JSON values: refused"},
		{"one string, file", str, "an entity of the decompressed snapshot is larger than 16 MiB: refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := repo(t, map[string]string{"catalog-info.yaml": component})
			r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 60 * time.Second}}, "check", "--catalog", "snapshot:"+c.src, ".")
			wantCode(t, r, 3)
			wantMessage(t, r, c.msg)
		})
	}
	// The same bombs over HTTP.
	for _, c := range []struct{ name, src, msg string }{
		{"spaces, URL", spaces, "the decompressed snapshot is larger than 256 MiB"},
		{"entities, URL", values, "holds more than 8388608 JSON values"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, c.src) })
			dir := repo(t, map[string]string{"catalog-info.yaml": component})
			r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 60 * time.Second}}, "check", "--catalog", "snapshot:"+s.URL+"/c.json.gz", ".")
			wantCode(t, r, 3)
			wantMessage(t, r, c.msg)
		})
	}
}

// A snapshot URL that hangs or trickles is cut at the timeout.
func TestNetSnapshotURLHang(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{"hang": hang} {
		t.Run(name, func(t *testing.T) {
			s := newServer(t, h)
			dir := repo(t, map[string]string{"catalog-info.yaml": component})
			r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 10 * time.Second}}, "check", "--catalog", "snapshot:"+s.URL+"/c.json", "--timeout", "2s", ".")
			wantCode(t, r, 3)
			wantMessage(t, r, "no answer within 2s (--timeout)")
		})
	}
	t.Run("trickle", func(t *testing.T) {
		s := newServer(t, trickle)
		dir := repo(t, map[string]string{"catalog-info.yaml": component})
		r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 15 * time.Second}}, "check", "--catalog", "snapshot:"+s.URL+"/c.json", "--timeout", "2s", ".")
		wantCode(t, r, 3)
		wantMessage(t, r, "the download did not end within 8s (--timeout × 4)")
	})
}

// Credentials in a snapshot URL (user:password@, ?token=) appear nowhere:
// not in messages, the JSON report, the step summary or the pull-request
// comment.
func TestNetSnapshotURLCredentials(t *testing.T) {
	const user, pass, qtoken = "snapuser", "snap-pw-0123456789", "snap-qtoken-0123456789"
	var snap bytes.Buffer
	zw := gzip.NewWriter(&snap)
	// A snapshot without team-a, so that the owner is reported unknown and
	// the sources are named in the findings.
	io.WriteString(zw, `{"version":1,"sources":["github:acme"],"entities":[{"kind":"Group","namespace":"default","name":"team-b","location":"x","source":"","entity":{"kind":"Group","metadata":{"name":"team-b"}}}]}`)
	zw.Close()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass || r.URL.Query().Get("token") != qtoken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/missing.json.gz" {
			http.NotFound(w, r)
			return
		}
		w.Write(snap.Bytes())
	})
	host := strings.TrimPrefix(s.URL, "http://")
	url := func(path string) string {
		return "http://" + user + ":" + pass + "@" + host + path + "?token=" + qtoken
	}
	gh := newGitHub(t)
	dir := repo(t, map[string]string{"catalog-info.yaml": component})
	event := filepath.Join(dir, "event.json")
	os.WriteFile(event, []byte(`{"number":7,"pull_request":{"number":7,"head":{"sha":"abc","ref":"f","repo":{"full_name":"acme/app"}},"base":{"sha":"def","ref":"main","repo":{"full_name":"acme/app"}}}}`), 0o644)
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "out.txt"),
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "acme/app",
		"GITHUB_API_URL": gh.api(), "GITHUB_TOKEN": ghToken,
	}
	secrets := []string{pass, qtoken, user + ":", ghToken}
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"found", []string{"check", "--catalog", "snapshot:" + url("/c.json.gz"), "--format", "json", "--comment", "."}, 1, "group team-a does not exist in the catalog"},
		{"text", []string{"check", "--catalog", "snapshot:" + url("/c.json.gz"), "--format", "text", "."}, 1, ""},
		{"missing", []string{"check", "--catalog", "snapshot:" + url("/missing.json.gz"), "."}, 3, "HTTP 404"},
		{"offline", []string{"check", "--offline", "--catalog", "snapshot:" + url("/c.json.gz"), "."}, 0, "--offline: not reading snapshot:http://REDACTED@"},
		{"aggregate", []string{"aggregate", "--catalog", "snapshot:" + url("/c.json.gz")}, 0, `"source":"snapshot:http://REDACTED@`},
	} {
		t.Run(c.name, func(t *testing.T) {
			gh.mu.Lock()
			gh.comments = nil
			gh.mu.Unlock()
			os.Remove(filepath.Join(dir, "summary.md"))
			r := catalint(t, Opts{Dir: dir, Env: env, Outputs: []string{"summary.md", "out.txt"}}, c.args...)
			gh.mu.Lock()
			for i, body := range gh.comments {
				r.Files["comment"+strconv.Itoa(i)] = body
			}
			gh.mu.Unlock()
			wantCode(t, r, c.code)
			if c.msg != "" {
				wantMessage(t, r, c.msg)
			}
			if c.name == "found" {
				if r.Files["summary.md"] == "" || r.Files["comment0"] == "" {
					t.Errorf("no step summary or comment to check: %v", r.Files)
				}
			}
			noLeak(t, r, secrets...)
		})
	}
}
