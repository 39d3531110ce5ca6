package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// driftFake speaks the GitHub REST endpoints owner-drift reads, as GitHub
// serves them: GET /orgs/{org}/teams, /orgs/{org}/members and
// /orgs/{org}/teams/{slug}/members (401 without the token, 404 for an
// unknown team); GET /repos/{owner}/{repo}/commits, newest first,
// filtered by since/until on the author date, author null for an e-mail of
// no account and type "Bot" for apps, 404 for an unknown repository. Lists
// take per_page (max 100, default 30) and page and answer with a Link
// header (next, last, prev, first); every 200 has an ETag, and a matching
// If-None-Match gets 304. It counts requests by kind.
type driftFake struct {
	srv     *httptest.Server
	token   string
	teams   map[string][]string // slug → logins
	commits map[string][]driftCommit

	mu                                            sync.Mutex
	requests, unconditional, notModified, foreign atomic.Int32
	sinceSeen                                     []string
	// hang makes commits requests wait this long before answering.
	hang time.Duration
}

type driftCommit struct {
	login string
	bot   bool
	age   time.Duration
}

func newDriftFake(t *testing.T) *driftFake {
	f := &driftFake{token: "ghs-drift-token", teams: map[string][]string{}, commits: map[string][]driftCommit{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *driftFake) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if r.Header.Get("If-None-Match") == "" {
		f.unconditional.Add(1)
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.foreign.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v3/"), "/")
	var items []any
	switch {
	case len(p) == 3 && p[0] == "orgs" && p[1] == "acme" && p[2] == "teams":
		for _, s := range slices.Sorted(maps.Keys(f.teams)) {
			items = append(items, map[string]any{"id": len(s), "slug": s, "name": s, "privacy": "closed"})
		}
	case len(p) == 3 && p[0] == "orgs" && p[1] == "acme" && p[2] == "members":
		for _, ls := range f.teams {
			for _, l := range ls {
				items = append(items, map[string]any{"login": l, "type": "User"})
			}
		}
	case len(p) == 5 && p[0] == "orgs" && p[1] == "acme" && p[2] == "teams" && p[4] == "members":
		ls, ok := f.teams[p[3]]
		if !ok {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		for _, l := range ls {
			items = append(items, map[string]any{"login": l, "type": "User"})
		}
	case len(p) == 4 && p[0] == "repos" && p[3] == "commits":
		cs, ok := f.commits[p[1]+"/"+p[2]]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/commits/commits#list-commits"}`)
			return
		}
		q := r.URL.Query()
		f.mu.Lock()
		f.sinceSeen = append(f.sinceSeen, q.Get("since"))
		hang := f.hang
		f.mu.Unlock()
		if hang > 0 {
			select {
			case <-time.After(hang):
			case <-r.Context().Done():
				return
			}
		}
		var since, until time.Time
		if v := q.Get("since"); v != "" {
			since, _ = time.Parse(time.RFC3339, v)
		}
		if v := q.Get("until"); v != "" {
			until, _ = time.Parse(time.RFC3339, v)
		}
		// A fixed clock for the dates, so that ETags stay the same between runs.
		base := time.Now().UTC().Truncate(24 * time.Hour)
		sorted := slices.Clone(cs)
		slices.SortStableFunc(sorted, func(a, b driftCommit) int { return int(a.age - b.age) })
		for i, c := range sorted {
			d := base.Add(-c.age)
			if (!since.IsZero() && d.Before(since)) || (!until.IsZero() && d.After(until)) {
				continue
			}
			var author any
			if c.login != "" {
				typ := "User"
				if c.bot {
					typ = "Bot"
				}
				author = map[string]any{"login": c.login, "type": typ}
			}
			items = append(items, map[string]any{
				"sha":    fmt.Sprintf("%040d", i),
				"commit": map[string]any{"author": map[string]any{"name": "x", "email": "x@example.com", "date": d.Format(time.RFC3339)}, "message": "m"},
				"author": author,
			})
		}
	default:
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	f.page(w, r, items)
}

func (f *driftFake) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max(1, (len(items)+per-1)/per)
	out := []any{}
	for i := (page - 1) * per; i < min(len(items), page*per); i++ {
		out = append(out, items[i])
	}
	link := func(n int, rel string) string {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(n))
		return fmt.Sprintf(`<http://%s%s?%s>; rel="%s"`, r.Host, r.URL.Path, qq.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(page-1, "prev"), link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	body, _ := json.Marshal(out)
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		f.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

const driftDay = 24 * time.Hour

// driftOrg: payments owns billing, but for months only web has committed
// to it; payments is active on ledger; infra's tools are mostly written
// by bots.
func driftOrg(t *testing.T) (*driftFake, string) {
	f := newDriftFake(t)
	f.teams["payments"] = []string{"ada", "bob"}
	f.teams["web"] = []string{"cy", "dee"}
	f.teams["infra"] = []string{"eve"}
	var billing []driftCommit
	for i := range 130 { // two pages
		billing = append(billing, driftCommit{login: []string{"cy", "dee"}[i%2], age: time.Duration(1+i%80) * driftDay})
	}
	billing = append(billing, driftCommit{login: "dependabot[bot]", bot: true, age: 3 * driftDay}, driftCommit{login: "ada", age: 200 * driftDay})
	f.commits["acme/billing"] = billing
	f.commits["acme/ledger"] = []driftCommit{{login: "cy", age: 2 * driftDay}, {login: "cy", age: 3 * driftDay}, {login: "cy", age: 4 * driftDay}, {login: "cy", age: 5 * driftDay}, {login: "bob", age: 40 * driftDay}, {login: "cy", age: 6 * driftDay}}
	var tools []driftCommit
	for range 40 {
		tools = append(tools, driftCommit{login: "renovate[bot]", bot: true, age: 5 * driftDay}, driftCommit{login: "deploy-app", bot: true, age: 6 * driftDay})
	}
	tools = append(tools, driftCommit{login: "cy", age: 7 * driftDay}, driftCommit{login: "cy", age: 8 * driftDay})
	f.commits["acme/tools"] = tools

	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	write := func(name, owner, slug string) {
		body := fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\n  annotations:\n    github.com/project-slug: %s\nspec:\n  type: service\n  lifecycle: production\n  owner: %s\n", name, slug, owner)
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name, "catalog-info.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("billing", "payments", "acme/billing")
	write("ledger", "payments", "acme/ledger")
	write("tools", "infra", "acme/tools")
	write("gone", "payments", "acme/gone")
	return f, dir
}

func TestReportOwnerDrift(t *testing.T) {
	f, dir := driftOrg(t)
	cache := t.TempDir()
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/"}
	args := []string{"report", "--cache-dir", cache, "--format", "markdown", dir}
	// The first run's period starts a day into a 28-day step of the
	// commits request's since; the second runs three days later, as a
	// rescan does, and asks for the same URL.
	t1 := time.Now().Add(-90 * driftDay).Truncate(28 * driftDay).Add(91 * driftDay)
	defer func(old func() time.Time) { driftNow = old }(driftNow)
	driftNow = func() time.Time { return t1 }
	r := run(t, "", env, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"## Ownership drift",
		"3 entities in 3 GitHub repositories",
		"| `component:default/billing` | payments | **web** | acme/billing | web 130 (of 130) |",
		"- **Likely owned by another team now** (1)",
		"  - `component:default/billing`: likely web \\(web 130\\)",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report lacks %q\n%s", want, r.out)
		}
	}
	for _, no := range []string{"component:default/ledger` | payments", "component:default/tools` |"} {
		if strings.Contains(r.out, no) {
			t.Errorf("report flags %q\n%s", no, r.out)
		}
	}
	if !strings.Contains(r.err, "repository acme/gone not found") {
		t.Errorf("stderr: %s", r.err)
	}
	if f.foreign.Load() != 0 {
		t.Errorf("%d requests without the token", f.foreign.Load())
	}
	// The second run sends conditional requests only (the 404 of the
	// missing repository aside, which is not cached), answered 304.
	first := f.requests.Load()
	f.requests.Store(0)
	f.unconditional.Store(0)
	f.notModified.Store(0)
	driftNow = func() time.Time { return t1.Add(3 * driftDay) }
	r2 := run(t, "", env, args...)
	if r2.code != 0 || !strings.Contains(r2.out, "| `component:default/billing` | payments | **web** | acme/billing | web 130 (of 130) |") {
		t.Fatalf("second run: exit %d, output changed\n%s", r2.code, r2.out)
	}
	// teams, 3 member listings, billing (2 pages), ledger, tools: 8
	// conditional; gone: 1 unconditional.
	if f.unconditional.Load() != 1 || f.notModified.Load() != 8 || f.requests.Load() != first {
		t.Errorf("second run: %d requests (first %d), %d unconditional, %d not modified", f.requests.Load(), first, f.unconditional.Load(), f.notModified.Load())
	}

	// Every commits request of both runs asked for the same since: a
	// midnight, a day before the first run's period.
	f.mu.Lock()
	seen := slices.Compact(slices.Clone(f.sinceSeen))
	f.mu.Unlock()
	if want := t1.Add(-91 * driftDay).UTC().Format(time.RFC3339); len(seen) != 1 || seen[0] != want {
		t.Errorf("since asked: %v, want only %s", seen, want)
	}

	// JSON carries the evidence.
	r = run(t, "", env, "report", "--cache-dir", cache, "--format", "json", dir)
	var doc struct {
		Drift struct {
			Findings []struct {
				Entity, Owner, LikelyOwner string
				Commits                    int
				Teams                      []struct {
					Group   string
					Commits int
					Authors []string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil || len(doc.Drift.Findings) != 1 {
		t.Fatalf("json: %v\n%s", err, r.out)
	}
	if g := doc.Drift.Findings[0]; g.LikelyOwner != "group:default/web" || g.Commits != 130 || strings.Join(g.Teams[0].Authors, ",") != "cy,dee" {
		t.Errorf("json finding: %+v", g)
	}

	// HTML has the section too.
	r = run(t, "", env, "report", "--cache-dir", cache, "--format", "html", dir)
	if !strings.Contains(r.out, `<tr><td><code>component:default/billing</code></td><td>payments</td><td><strong>web</strong></td><td>acme/billing</td><td>web 130 (of 130)</td></tr>`) {
		t.Errorf("html lacks the drift row\n%s", r.out)
	}
	if !strings.Contains(r.out, `<li><code>component:default/billing</code>: likely web (web 130)</li>`) {
		t.Errorf("html lacks the team's drift\n%s", r.out)
	}

	// A token that may not read the teams: by default the section is left
	// out with a note; asked for with --drift, the report fails.
	bad := map[string]string{"GITHUB_TOKEN": "ghs-other", "GITHUB_API_URL": env["GITHUB_API_URL"]}
	if r := run(t, "", bad, "report", "--cache-dir", "-", dir); r.code != 0 || strings.Contains(r.out, "Ownership drift") || !strings.Contains(r.err, "ownership drift skipped") || strings.Contains(r.err, "ghs-other") {
		t.Errorf("bad token: exit %d\n%s", r.code, r.err)
	}
	if r := run(t, "", bad, "report", "--drift", "--cache-dir", "-", dir); r.code != ExitFatal || strings.Contains(r.err, "ghs-other") {
		t.Errorf("bad token, --drift: exit %d\n%s", r.code, r.err)
	}

	// --drift=false sends no request for it.
	f.requests.Store(0)
	if r := run(t, "", env, "report", "--drift=false", "--cache-dir", cache, dir); r.code != 0 || strings.Contains(r.out, "Ownership drift") || f.requests.Load() != 0 {
		t.Errorf("--drift=false: exit %d, %d requests\n%s", r.code, f.requests.Load(), r.out)
	}
}

func TestReportOwnerDriftConfig(t *testing.T) {
	f, dir := driftOrg(t)
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/"}
	// With dee's commits left out, billing has cy's 65; with minCommits 2
	// (the bots still left out), tools (cy 2, infra none) is flagged too.
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("drift:\n  minCommits: 2\n  ignoreAuthors: [dee]\n"), 0o644)
	cfg := filepath.Join(dir, ".catalint.yaml")
	r := run(t, "", env, "report", "--config", cfg, "--cache-dir", "-", "--format", "markdown", dir)
	if r.code != 0 || !strings.Contains(r.out, "| `component:default/tools` | infra | **web** | acme/tools | web 2 (of 2) |") || !strings.Contains(r.out, "web 65 (of 65)") {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	os.WriteFile(filepath.Join(dir, ".catalint.yaml"), []byte("drift:\n  majority: 1.5\n"), 0o644)
	if r := run(t, "", env, "report", "--config", cfg, "--cache-dir", "-", dir); r.code != ExitUsage || !strings.Contains(r.err, "majority") {
		t.Errorf("bad majority: exit %d\n%s", r.code, r.err)
	}
}

func TestCheckOwnerDrift(t *testing.T) {
	f, dir := driftOrg(t)
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/"}
	// Without --drift, check asks GitHub nothing.
	r := run(t, "", env, "check", "--no-snippet", "--cache-dir", "-", dir)
	if r.code != 0 || f.requests.Load() != 0 || strings.Contains(r.out, "owner-drift") {
		t.Fatalf("without --drift: exit %d, %d requests\n%s%s", r.code, f.requests.Load(), r.out, r.err)
	}
	// With it: a warning (exit 0), at the entity, naming the team.
	r = run(t, "", env, "check", "--drift", "--no-snippet", "--cache-dir", "-", dir)
	want := "billing/catalog-info.yaml:10:10: warning: owner payments has had no member among the authors of acme/billing's 130 commits"
	if r.code != 0 || !strings.Contains(r.out, want) || !strings.Contains(r.out, "likely owner web (commits per team: web 130) [owner-drift]") || strings.Count(r.out, "[owner-drift]") != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	if os.Getenv("DRIFT_SHOW") != "" {
		t.Log(r.out)
	}
	if !strings.Contains(r.out, "if web owns it now, set spec.owner: web") {
		t.Errorf("no suggestion\n%s", r.out)
	}
	// --fail-on warning fails on it; --disable owner-drift silences it.
	if r := run(t, "", env, "check", "--drift", "--fail-on", "warning", "--cache-dir", "-", dir); r.code != ExitProblems {
		t.Errorf("--fail-on warning: exit %d", r.code)
	}
	if r := run(t, "", env, "check", "--drift", "--disable", "owner-drift", "--cache-dir", "-", dir); r.code != 0 || strings.Contains(r.out, "owner-drift") {
		t.Errorf("--disable: exit %d\n%s", r.code, r.out)
	}
	// --offline asks nothing, and says drift was not checked.
	f.requests.Store(0)
	if r := run(t, "", env, "check", "--drift", "--offline", "--cache-dir", "-", dir); r.code != 0 || f.requests.Load() != 0 || !strings.Contains(r.out, "ownership drift was not checked: --offline") {
		t.Errorf("--offline: exit %d, %d requests\n%s", r.code, f.requests.Load(), r.out)
	}
	// A GitHub that does not answer fails the run at --timeout, naming it.
	f.mu.Lock()
	f.hang = 5 * time.Second
	f.mu.Unlock()
	if r := run(t, "", env, "check", "--drift", "--timeout", "100ms", "--cache-dir", "-", dir); r.code != ExitFatal || !strings.Contains(r.err, "--timeout") || strings.Contains(r.err, f.token) {
		t.Errorf("hanging GitHub: exit %d\n%s", r.code, r.err)
	}
	f.mu.Lock()
	f.hang = 0
	f.mu.Unlock()
	// Without a token: a usage error saying what is needed.
	if r := run(t, "", map[string]string{"GITHUB_API_URL": env["GITHUB_API_URL"]}, "check", "--drift", "--cache-dir", "-", dir); r.code != ExitUsage || !strings.Contains(r.err, "GITHUB_TOKEN") {
		t.Errorf("no token: exit %d\n%s", r.code, r.err)
	}
}

// In CI, a catalog file without project-slug is of the repository being
// checked (GITHUB_REPOSITORY).
func TestCheckOwnerDriftCIRepository(t *testing.T) {
	f, _ := driftOrg(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing\nspec:\n  type: service\n  lifecycle: production\n  owner: payments\n"), 0o644)
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/", "GITHUB_REPOSITORY": "acme/billing"}
	r := run(t, "", env, "check", "--drift", "--github", "off", "--no-snippet", "--cache-dir", "-", dir)
	if r.code != 0 || !strings.Contains(r.out, "likely owner web") {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestDriftSubject(t *testing.T) {
	ent := func(source, location, owner string, ann map[string]any) *catalog.Entity {
		meta := map[string]any{"name": "svc"}
		if ann != nil {
			meta["annotations"] = ann
		}
		return &catalog.Entity{Kind: "Component", Namespace: "default", Name: "svc", Source: source, Location: location,
			Raw: map[string]any{"metadata": meta, "spec": map[string]any{"owner": owner}}}
	}
	cases := []struct {
		e    *catalog.Entity
		ci   string
		repo string
	}{
		{ent("files", "a/catalog-info.yaml:1", "payments", map[string]any{"github.com/project-slug": "acme/billing"}), "", "acme/billing"},
		{ent("github:acme", "https://github.com/acme/ledger/blob/main/catalog-info.yaml#L3", "payments", nil), "", "acme/ledger"},
		{ent("files", "catalog-info.yaml:1", "payments", nil), "acme/ci", "acme/ci"},
		{ent("files", "catalog-info.yaml:1", "payments", nil), "", ""},
		{ent("backstage:https://bs", "https://github.com/acme/x/blob/main/c.yaml", "payments", nil), "acme/ci", ""},
		{ent("files", "catalog-info.yaml:1", "", map[string]any{"github.com/project-slug": "acme/billing"}), "", ""},
		{ent("files", "catalog-info.yaml:1", "payments", map[string]any{"github.com/project-slug": "not a slug"}), "", ""},
	}
	for i, c := range cases {
		s, ok := driftSubject(c.e, c.ci)
		if ok != (c.repo != "") || s.Repo != c.repo {
			t.Errorf("%d: got %q %v, want %q", i, s.Repo, ok, c.repo)
		}
	}
}
