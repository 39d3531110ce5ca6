package github

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeCommit is a commit of a fake repository's default branch.
type fakeCommit struct {
	Login string // "" : an author GitHub links to no account
	Bot   bool   // type "Bot"
	Date  time.Time
}

// serveCommits adds to a fakeOrg GET /repos/{owner}/{repo}/commits as
// GitHub serves it: newest first, since/until (ISO 8601) filtering on the
// author date, per_page (max 100, default 30) and page with a Link header,
// an ETag and 304 for a matching If-None-Match, 404 for an unknown
// repository and 409 for an empty one.
func serveCommits(o *fakeOrg, repos map[string][]fakeCommit) {
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		p, ok := strings.CutPrefix(r.URL.Path, o.prefix+"/repos/")
		if !ok {
			return false
		}
		parts := strings.Split(p, "/")
		if len(parts) != 3 || parts[2] != "commits" {
			return false
		}
		if r.Header.Get("Authorization") != "Bearer "+o.token {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
			return true
		}
		doc := "https://docs.github.com/rest/commits/commits#list-commits"
		cs, found := repos[strings.ToLower(parts[0]+"/"+parts[1])]
		switch {
		case !found:
			o.notFound(w, doc)
			return true
		case len(cs) == 0:
			o.rateHeaders(w, true)
			writeJSON(w, http.StatusConflict, map[string]string{"message": "Git Repository is empty.", "documentation_url": doc, "status": "409"})
			return true
		}
		q := r.URL.Query()
		var since, until time.Time
		for k, t := range map[string]*time.Time{"since": &since, "until": &until} {
			if v := q.Get(k); v != "" {
				var err error
				if *t, err = time.Parse(time.RFC3339, v); err != nil {
					o.rateHeaders(w, true)
					writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid " + k})
					return true
				}
			}
		}
		sorted := slices.Clone(cs)
		slices.SortStableFunc(sorted, func(a, b fakeCommit) int { return b.Date.Compare(a.Date) })
		var items []any
		for i, c := range sorted {
			if (!since.IsZero() && c.Date.Before(since)) || (!until.IsZero() && c.Date.After(until)) {
				continue
			}
			var author any
			if c.Login != "" {
				typ := "User"
				if c.Bot {
					typ = "Bot"
				}
				author = map[string]any{"login": c.Login, "id": len(c.Login), "type": typ, "site_admin": false}
			}
			d := c.Date.UTC().Format(time.RFC3339)
			sha := gitBlobSHA(parts[1] + d + c.Login + string(rune('a'+i%26)))
			items = append(items, map[string]any{
				"sha": sha, "node_id": "C_" + sha[:8], "url": o.srv.URL + r.URL.Path + "/" + sha,
				"commit": map[string]any{
					"author":    map[string]any{"name": cmpOr(c.Login, "someone"), "email": "x@example.com", "date": d},
					"committer": map[string]any{"name": "GitHub", "email": "noreply@github.com", "date": d},
					"message":   "change", "comment_count": 0,
				},
				"author": author, "committer": map[string]any{"login": "web-flow", "type": "User"},
				"parents": []any{},
			})
		}
		o.page(w, r, items)
		return true
	})
}

func TestCommits(t *testing.T) {
	now := time.Now().UTC()
	day := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	var busy []fakeCommit
	for i := range 250 {
		busy = append(busy, fakeCommit{Login: "ada", Date: day(1).Add(-time.Duration(i) * time.Minute)})
	}
	o := newFakeOrg(t, nil, nil)
	serveCommits(o, map[string][]fakeCommit{
		"acme/billing": {
			{Login: "ada", Date: day(3)},
			{Login: "dependabot[bot]", Bot: true, Date: day(4)},
			{Login: "renovate", Bot: true, Date: day(5)},
			{Login: "", Date: day(6)},
			{Login: "bob", Date: day(200)}, // before the period
		},
		"acme/busy":  busy,
		"acme/empty": {},
	})
	ctx := context.Background()
	cache := t.TempDir()
	tm := newTeams(t, o, TeamsOptions{Token: testToken, CacheDir: cache})

	// since1 and since2, an hour apart, round to the same request.
	since1 := day(90).Truncate(commitQuantum).Add(24 * time.Hour)
	since2 := since1.Add(time.Hour)
	res, err := tm.Commits(ctx, "acme/billing", since1)
	if err != nil {
		t.Fatal(err)
	}
	got := []Commit{}
	for _, c := range res.Commits {
		c.Date = time.Time{}
		got = append(got, c)
	}
	want := []Commit{{Login: "ada"}, {Login: "dependabot[bot]", Bot: true}, {Login: "renovate", Bot: true}, {Login: ""}}
	if !slices.Equal(got, want) || res.Truncated || res.Missing {
		t.Fatalf("commits: got %+v (truncated %v)", got, res.Truncated)
	}

	// Pagination: 250 commits are three pages of 100, followed by Link.
	o.resetCounts()
	res, err = tm.Commits(ctx, "acme/busy", since1)
	if err != nil || len(res.Commits) != 250 || res.Truncated {
		t.Fatalf("busy: %v, %d commits", err, len(res.Commits))
	}
	if n := o.count(o.prefix + "/repos/acme/busy/commits"); n != 3 {
		t.Errorf("busy: %d requests, want 3", n)
	}

	// A rescan of unchanged repositories sends conditional requests only,
	// all answered 304 (which costs no rate limit).
	o.resetCounts()
	tm2 := newTeams(t, o, TeamsOptions{Token: testToken, CacheDir: cache})
	for _, r := range []string{"acme/billing", "acme/busy"} {
		if _, err := tm2.Commits(ctx, r, since2); err != nil {
			t.Fatal(err)
		}
	}
	if o.unconditional.Load() != 0 || o.notModified.Load() != 4 {
		t.Errorf("rescan: %d unconditional, %d not modified; want 0 and 4", o.unconditional.Load(), o.notModified.Load())
	}

	// An empty repository has no commit; an unknown one is Missing.
	if res, err := tm.Commits(ctx, "acme/empty", day(90)); err != nil || len(res.Commits) != 0 || res.Missing {
		t.Errorf("empty: %v %+v", err, res)
	}
	if res, err := tm.Commits(ctx, "acme/gone", day(90)); err != nil || !res.Missing {
		t.Errorf("gone: %v %+v", err, res)
	}
	if _, err := tm.Commits(ctx, "not-a-repo", day(90)); err == nil {
		t.Error("a name without owner was accepted")
	}
}

func TestCommitsPageCap(t *testing.T) {
	now := time.Now().UTC()
	var many []fakeCommit
	for i := range (MaxCommitPages + 2) * 100 {
		many = append(many, fakeCommit{Login: "ada", Date: now.Add(-time.Duration(i) * time.Minute)})
	}
	o := newFakeOrg(t, nil, nil)
	serveCommits(o, map[string][]fakeCommit{"acme/huge": many})
	tm := newTeams(t, o, TeamsOptions{Token: testToken})
	res, err := tm.Commits(context.Background(), "acme/huge", now.Add(-90*24*time.Hour))
	if err != nil || !res.Truncated || len(res.Commits) != MaxCommitPages*100 {
		t.Fatalf("got %v, truncated %v, %d commits", err, res != nil && res.Truncated, len(res.Commits))
	}
	if n := o.count(o.prefix + "/repos/acme/huge/commits"); n != MaxCommitPages {
		t.Errorf("%d requests, want %d", n, MaxCommitPages)
	}
}

// A next link to another host is refused: the token goes to the API host
// only, and the listing does not follow a page elsewhere.
func TestCommitsForeignNextLink(t *testing.T) {
	o := newFakeOrg(t, nil, nil)
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/commits") {
			return false
		}
		w.Header().Set("Link", `<https://evil.example/api/v3/repos/acme/x/commits?page=2&access_token=secret>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode([]any{map[string]any{"commit": map[string]any{"author": map[string]any{"date": time.Now().UTC().Format(time.RFC3339)}}}})
		return true
	})
	tm := newTeams(t, o, TeamsOptions{Token: testToken})
	_, err := tm.Commits(context.Background(), "acme/x", time.Now().Add(-time.Hour))
	if err == nil || !strings.Contains(err.Error(), "outside the API") || strings.Contains(err.Error(), testToken) {
		t.Fatalf("got %v", err)
	}
}

func TestTeamMembers(t *testing.T) {
	o := newFakeOrg(t, []fakeTeam{
		{Slug: "payments", Members: []string{"Ada", "bob"}},
		{Slug: "web", Members: []string{"cy"}},
		{Slug: "empty"},
	}, []string{"ada", "bob", "cy"})
	cache := t.TempDir()
	tm := newTeams(t, o, TeamsOptions{Token: testToken, CacheDir: cache})
	got, err := tm.TeamMembers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got["payments"], []string{"ada", "bob"}) || !slices.Equal(got["web"], []string{"cy"}) || len(got["empty"]) != 0 || len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	// Cached: the second listing is conditional only.
	o.resetCounts()
	if _, err := newTeams(t, o, TeamsOptions{Token: testToken, CacheDir: cache}).TeamMembers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if o.unconditional.Load() != 0 || o.notModified.Load() != 4 {
		t.Errorf("rescan: %d unconditional, %d not modified", o.unconditional.Load(), o.notModified.Load())
	}
	// Without a token: a clear error, no request.
	o.resetCounts()
	if _, err := newTeams(t, o, TeamsOptions{}).TeamMembers(context.Background()); err == nil || !strings.Contains(err.Error(), "GITHUB_TOKEN") || o.requests.Load() != 0 {
		t.Errorf("no token: %v, %d requests", err, o.requests.Load())
	}
}
