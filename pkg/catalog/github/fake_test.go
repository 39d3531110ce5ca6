package github

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	pathpkg "path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeGitHub speaks the parts of GitHub's REST API that the source uses,
// as GitHub does: /orgs/{org}/repos with per_page (max 100) and page, and a
// Link header with next/last/first/prev; /repos/{o}/{r}/contents/{path}
// with ?ref=, base64 content wrapped at 60 characters, folders as arrays,
// 404 for a missing file or an empty repository, content "" and encoding
// "none" over 1 MB (and the raw media type); /repos/{o}/{r}/git/trees/{ref}
// ?recursive=1; ETag on every 200 and 304 for a matching If-None-Match
// (which does not use the rate limit); X-RateLimit-* headers; 401 for bad
// credentials. It serves under /api/v3 like GitHub Enterprise Server.
type fakeGitHub struct {
	t      testing.TB
	srv    *httptest.Server
	org    string
	token  string // when set, requests must carry it
	prefix string

	mu    sync.Mutex
	repos []*fakeRepo
	// hook runs before routing; it handles the request when it returns true.
	hook func(w http.ResponseWriter, r *http.Request) bool
	// echoAuth makes a 401 repeat the Authorization header it got (a
	// hostile or buggy server), to prove errors redact the token.
	echoAuth bool

	latency   time.Duration
	remaining int
	reset     time.Time

	requests, conditional, notModified, unconditional atomic.Int64
	byPath                                            sync.Map // path → *atomic.Int64
}

type fakeRepo struct {
	Name     string
	Branch   string
	Archived bool
	Fork     bool
	Empty    bool
	PushedAt time.Time
	// CreatedAt is the listing's created_at (default 2024-06-01).
	CreatedAt time.Time
	Files     map[string]string
	// Links are symbolic links: path to target, relative to the link's
	// folder, as git stores them.
	Links map[string]string
}

func newFake(t testing.TB, repos ...*fakeRepo) *fakeGitHub {
	f := &fakeGitHub{t: t, org: "acme", prefix: "/api/v3", remaining: 5000, reset: time.Now().Add(time.Hour)}
	for _, r := range repos {
		f.add(r)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) add(r *fakeRepo) {
	if r.Branch == "" {
		r.Branch = "main"
	}
	if r.PushedAt.IsZero() {
		r.PushedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repos = append(f.repos, r)
	slices.SortFunc(f.repos, func(a, b *fakeRepo) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
}

// setFile changes a file and bumps the repository's pushed_at, as a push does.
func (f *fakeGitHub) setFile(repo, path, content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.repos {
		if r.Name == repo {
			if r.Files == nil {
				r.Files = map[string]string{}
			}
			r.Files[path] = content
			r.PushedAt = r.PushedAt.Add(time.Minute)
			return
		}
	}
	f.t.Fatalf("no repo %s", repo)
}

func (f *fakeGitHub) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.hook = h
	f.mu.Unlock()
}

func (f *fakeGitHub) count(path string) int64 {
	if v, ok := f.byPath.Load(path); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

func (f *fakeGitHub) resetCounts() {
	f.requests.Store(0)
	f.conditional.Store(0)
	f.notModified.Store(0)
	f.unconditional.Store(0)
	f.byPath.Clear()
}

// web is the web base the source derives from the API base URL.
func (f *fakeGitHub) web() string { return f.srv.URL + "/" }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeGitHub) rateHeaders(w http.ResponseWriter, use bool) {
	f.mu.Lock()
	if use && f.remaining > 0 {
		f.remaining--
	}
	rem, reset := f.remaining, f.reset
	f.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("X-RateLimit-Used", strconv.Itoa(5000-rem))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	latency, hook := f.latency, f.hook
	f.mu.Unlock()
	f.requests.Add(1)
	v, _ := f.byPath.LoadOrStore(r.URL.Path, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	if r.Header.Get("If-None-Match") != "" {
		f.conditional.Add(1)
	} else {
		f.unconditional.Add(1)
	}
	if latency > 0 {
		time.Sleep(latency)
	}
	if hook != nil && hook(w, r) {
		return
	}
	if f.token != "" {
		got := r.Header.Get("Authorization")
		if got != "Bearer "+f.token && got != "token "+f.token {
			f.rateHeaders(w, false)
			msg := "Bad credentials"
			if f.echoAuth {
				msg += " (got " + got + ")"
			}
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest", "status": "401"})
			return
		}
	}
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method not allowed"})
		return
	}
	p, ok := strings.CutPrefix(r.URL.Path, f.prefix+"/")
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	parts := strings.SplitN(p, "/", 5)
	switch {
	case len(parts) == 3 && parts[0] == "orgs" && parts[2] == "repos":
		f.listRepos(w, r, parts[1])
	case len(parts) >= 4 && parts[0] == "repos" && parts[3] == "contents":
		rest := ""
		if len(parts) == 5 {
			rest = parts[4]
		}
		f.contents(w, r, parts[1], parts[2], rest)
	case len(parts) == 5 && parts[0] == "repos" && parts[3] == "git" && strings.HasPrefix(parts[4], "trees/"):
		f.trees(w, r, parts[1], parts[2], strings.TrimPrefix(parts[4], "trees/"))
	default:
		f.notFound(w, "https://docs.github.com/rest")
	}
}

func (f *fakeGitHub) notFound(w http.ResponseWriter, doc string) {
	f.rateHeaders(w, true)
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": doc, "status": "404"})
}

// respond writes a 200 with an ETag, or a 304 when If-None-Match matches.
func (f *fakeGitHub) respond(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, max-age=60, s-maxage=60")
	w.Header().Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || strings.TrimPrefix(inm, "W/") == strings.TrimPrefix(etag, "W/")) {
		f.notModified.Add(1)
		f.rateHeaders(w, false)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f.rateHeaders(w, true)
	w.Header().Set("Content-Type", contentType)
	w.Write(body)
}

func (f *fakeGitHub) repoJSON(r *fakeRepo) map[string]any {
	base := f.srv.URL + f.prefix
	return map[string]any{
		"id": len(r.Name) * 7919, "node_id": "R_" + r.Name, "name": r.Name, "full_name": f.org + "/" + r.Name,
		"private": false, "owner": map[string]any{"login": f.org, "type": "Organization"},
		"html_url": f.web() + f.org + "/" + r.Name, "url": base + "/repos/" + f.org + "/" + r.Name,
		"fork": r.Fork, "archived": r.Archived, "disabled": false, "default_branch": r.Branch,
		"pushed_at": r.PushedAt.Format(time.RFC3339), "created_at": r.CreatedAt.Format(time.RFC3339), "visibility": "public", "size": 10,
	}
}

func (f *fakeGitHub) listRepos(w http.ResponseWriter, r *http.Request, org string) {
	if !strings.EqualFold(org, f.org) {
		f.notFound(w, "https://docs.github.com/rest/repos/repos#list-organization-repositories")
		return
	}
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	f.mu.Lock()
	n := len(f.repos)
	last := max(1, (n+per-1)/per)
	var items []map[string]any
	for i := (page - 1) * per; i < min(n, page*per); i++ {
		items = append(items, f.repoJSON(f.repos[i]))
	}
	f.mu.Unlock()
	if items == nil {
		items = []map[string]any{}
	}
	if l := pageLinks(r, q, per, page, last); l != "" {
		w.Header().Set("Link", l)
	}
	body, _ := json.Marshal(items)
	f.respond(w, r, "application/json; charset=utf-8", body)
}

func (f *fakeGitHub) findRepo(owner, name string) *fakeRepo {
	if !strings.EqualFold(owner, f.org) {
		return nil
	}
	for _, r := range f.repos {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

func gitBlobSHA(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00%s", len(content), content)
	return hex.EncodeToString(h.Sum(nil))
}

func wrap60(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60])
		b.WriteByte('\n')
		s = s[60:]
	}
	b.WriteString(s)
	b.WriteByte('\n')
	return b.String()
}

func (f *fakeGitHub) contents(w http.ResponseWriter, r *http.Request, owner, name, path string) {
	doc := "https://docs.github.com/rest/repos/contents#get-repository-content"
	f.mu.Lock()
	repo := f.findRepo(owner, name)
	var (
		content  string
		isFile   bool
		dirItems []map[string]any
		branch   string
		empty    bool
	)
	if repo != nil {
		branch, empty = repo.Branch, repo.Empty
		if target, ok := repo.Links[path]; ok {
			// GitHub: a link to a file in the repository answers with that
			// file; any other link with an object describing the link.
			resolved := pathpkg.Join(pathpkg.Dir(path), target)
			if c, ok := repo.Files[resolved]; ok && !strings.HasPrefix(resolved, "../") && !pathpkg.IsAbs(target) {
				path = resolved
				content, isFile = c, true
			} else {
				f.mu.Unlock()
				f.rateHeaders(w, true)
				writeJSON(w, http.StatusOK, map[string]any{"type": "symlink", "target": target, "size": len(target), "name": pathpkg.Base(path), "path": path})
				return
			}
		} else {
			content, isFile = repo.Files[path]
		}
		if !isFile {
			for p := range repo.Files {
				if strings.HasPrefix(p, path+"/") {
					dirItems = append(dirItems, map[string]any{"type": "file", "name": p[strings.LastIndex(p, "/")+1:], "path": p})
				}
			}
		}
	}
	f.mu.Unlock()
	switch {
	case repo == nil:
		f.notFound(w, doc)
		return
	case empty:
		f.rateHeaders(w, true)
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "This repository is empty.", "documentation_url": doc, "status": "404"})
		return
	}
	if ref := r.URL.Query().Get("ref"); ref != "" && ref != branch {
		f.rateHeaders(w, true)
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "No commit found for the ref " + ref, "documentation_url": doc, "status": "404"})
		return
	}
	if !isFile && len(dirItems) == 0 {
		f.notFound(w, doc)
		return
	}
	if !isFile {
		body, _ := json.Marshal(dirItems)
		f.respond(w, r, "application/json; charset=utf-8", body)
		return
	}
	content = strings.ReplaceAll(content, "{{WEB}}", f.web())
	if strings.Contains(r.Header.Get("Accept"), "raw") {
		f.respond(w, r, "application/vnd.github.raw+json; charset=utf-8", []byte(content))
		return
	}
	obj := map[string]any{
		"type": "file", "size": len(content), "name": path[strings.LastIndex(path, "/")+1:], "path": path,
		"sha": gitBlobSHA(content), "url": f.srv.URL + r.URL.Path + "?ref=" + branch,
		"html_url":     f.web() + f.org + "/" + name + "/blob/" + branch + "/" + path,
		"download_url": f.srv.URL + "/raw/" + f.org + "/" + name + "/" + branch + "/" + path,
	}
	if len(content) > 1<<20 {
		obj["content"], obj["encoding"] = "", "none"
	} else {
		obj["content"], obj["encoding"] = wrap60(base64.StdEncoding.EncodeToString([]byte(content))), "base64"
	}
	body, _ := json.Marshal(obj)
	f.respond(w, r, "application/json; charset=utf-8", body)
}

func (f *fakeGitHub) trees(w http.ResponseWriter, r *http.Request, owner, name, ref string) {
	doc := "https://docs.github.com/rest/git/trees#get-a-tree"
	f.mu.Lock()
	repo := f.findRepo(owner, name)
	var entries []map[string]any
	var empty bool
	var branch string
	if repo != nil {
		empty, branch = repo.Empty, repo.Branch
		dirs := map[string]bool{}
		for p, c := range repo.Files {
			entries = append(entries, map[string]any{"path": p, "mode": "100644", "type": "blob", "sha": gitBlobSHA(c), "size": len(c)})
			for d := p; strings.Contains(d, "/"); {
				d = d[:strings.LastIndex(d, "/")]
				dirs[d] = true
			}
		}
		for d := range dirs {
			entries = append(entries, map[string]any{"path": d, "mode": "040000", "type": "tree", "sha": gitBlobSHA(d)})
		}
	}
	f.mu.Unlock()
	switch {
	case repo == nil:
		f.notFound(w, doc)
		return
	case empty:
		f.rateHeaders(w, true)
		writeJSON(w, http.StatusConflict, map[string]string{"message": "Git Repository is empty.", "documentation_url": doc, "status": "409"})
		return
	case ref != branch:
		f.notFound(w, doc)
		return
	}
	if r.URL.Query().Get("recursive") == "" {
		f.t.Errorf("trees request without recursive: %s", r.URL)
	}
	slices.SortFunc(entries, func(a, b map[string]any) int { return strings.Compare(a["path"].(string), b["path"].(string)) })
	body, _ := json.Marshal(map[string]any{"sha": gitBlobSHA(name + ref), "url": f.srv.URL + r.URL.Path, "tree": entries, "truncated": false})
	f.respond(w, r, "application/json; charset=utf-8", body)
}

// --- responses of failure, as GitHub sends them ---

func primaryLimited(w http.ResponseWriter, reset time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "60")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Used", "60")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	writeJSON(w, http.StatusForbidden, map[string]string{
		"message":           "API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
		"documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
	})
}

func secondaryLimited(w http.ResponseWriter, code int, retryAfter string) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "4000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	writeJSON(w, code, map[string]string{
		"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID E198:4063:33BD6:375FF:652AAB04.",
		"documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
	})
}

func badGateway(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
}

// pageLinks is the Link header of page-number pagination, as GitHub writes
// it: prev, next, last, first (those that apply), with the request's query.
func pageLinks(r *http.Request, q url.Values, per, page, last int) string {
	link := func(p int, rel string) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("per_page", strconv.Itoa(per))
		qq.Set("page", strconv.Itoa(p))
		u.RawQuery = qq.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
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
	return strings.Join(links, ", ")
}
