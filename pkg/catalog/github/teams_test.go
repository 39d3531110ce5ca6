package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

func group(name string) entity.Ref {
	return entity.Ref{Kind: "group", Namespace: "default", Name: name}
}

func user(name string) entity.Ref {
	return entity.Ref{Kind: "user", Namespace: "default", Name: name}
}

// bigOrg has 252 teams (three pages of 100) and 230 members (three pages).
func bigOrg(t testing.TB) *fakeOrg {
	var teams []fakeTeam
	for i := range 250 {
		teams = append(teams, fakeTeam{Slug: fmt.Sprintf("squad-%03d", i)})
	}
	teams = append(teams, fakeTeam{Slug: "payments", Name: "Payments", Members: []string{"ada", "grace"}},
		fakeTeam{Slug: "web-platform", Name: "Web Platform", Secret: true})
	var members []string
	for i := range 228 {
		members = append(members, fmt.Sprintf("user-%03d", i))
	}
	members = append(members, "Ada", "grace")
	return newFakeOrg(t, teams, members)
}

func TestTeamsLoad(t *testing.T) {
	o := bigOrg(t)
	var mu sync.Mutex
	var queries []string
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken})
	if p.Name() != "github:acme" {
		t.Errorf("Name = %q", p.Name())
	}
	d, err := p.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Groups) != 252 || len(d.Users) != 230 {
		t.Errorf("%d groups, %d users", len(d.Groups), len(d.Users))
	}
	if !reflect.DeepEqual(d.Sources, []string{"github:acme"}) {
		t.Errorf("sources = %v", d.Sources)
	}
	for _, n := range []string{"payments", "Payments", "web-platform", "squad-000", "squad-249"} {
		g, ok := d.Group(group(n))
		if !ok {
			t.Errorf("group %s missing", n)
		} else if g.Members != -1 || g.Namespace != "default" {
			t.Errorf("group %s = %+v, want members -1 in default", n, g)
		}
	}
	if _, ok := d.Group(group("Web Platform")); ok {
		t.Error("a team's display name is not a group name")
	}
	for _, n := range []string{"ada", "GRACE", "user-227"} {
		if _, ok := d.User(user(n)); !ok {
			t.Errorf("user %s missing", n)
		}
	}
	// One listing per run: 3 pages of teams, 3 of members, nothing else.
	if got := o.requests.Load(); got != 6 {
		t.Errorf("%d requests, want 6: %v", got, queries)
	}
	if o.count("/api/v3/orgs/acme/teams") != 3 || o.count("/api/v3/orgs/acme/members") != 3 {
		t.Errorf("requests: %v", queries)
	}
	for _, q := range queries {
		if !strings.Contains(q, "per_page=100") {
			t.Errorf("request without per_page=100: %s", q)
		}
	}
	if st := p.Stats(); st.Requests != 6 || st.Retries != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestTeamsMemberCounts(t *testing.T) {
	var big []string
	for i := range 150 {
		big = append(big, fmt.Sprintf("dev-%03d", i))
	}
	o := newFakeOrg(t, []fakeTeam{
		{Slug: "big", Members: big},
		{Slug: "child", Parent: "big", Members: big[:3]},
		{Slug: "empty"},
		{Slug: "gone", Members: []string{"ada"}},
		{Slug: "solo", Members: []string{"ada"}},
	}, []string{"ada"})
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/teams/gone/members") { // deleted since it was listed
			o.notFound(w, "https://docs.github.com/rest/teams/members#list-team-members")
			return true
		}
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken, Members: true, Concurrency: 2})
	d, err := p.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"big": 150, "child": 3, "empty": 0, "gone": -1, "solo": 1}
	for n, m := range want {
		if g, ok := d.Group(group(n)); !ok || g.Members != m {
			t.Errorf("group %s = %+v, %v; want %d members", n, g, ok, m)
		}
	}
	// 1 teams + 1 members + big 2 pages + 1 each for the other four.
	if got := o.requests.Load(); got != 8 {
		t.Errorf("%d requests, want 8", got)
	}
	if got := o.count("/api/v3/orgs/acme/teams/big/members"); got != 2 {
		t.Errorf("big: %d requests, want 2", got)
	}
	// Without Members, no team's members are asked for.
	o.resetCounts()
	p = newTeams(t, o, TeamsOptions{Token: testToken})
	if _, err := p.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := o.requests.Load(); got != 2 {
		t.Errorf("%d requests without Members, want 2", got)
	}
}

func TestTeamsNameMapping(t *testing.T) {
	o := newFakeOrg(t, []fakeTeam{
		{Slug: "a", Members: []string{"ada"}},
		{Slug: "b", Members: []string{"ada", "grace"}},
		{Slug: "payments", Members: []string{"ada"}},
		{Slug: "payments-platform", Members: []string{"ada", "grace", "linus"}},
		{Slug: "team-leads"},
	}, []string{"ada", "grace", "linus"})
	p := newTeams(t, o, TeamsOptions{
		Token: testToken, Members: true, StripPrefix: "team-", Namespace: "github",
		Rename: map[string]string{"Team-Billing": "Payments-Platform", "team-a": "b", "team-ghost": "no-such-team"},
	})
	d, err := p.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ref := func(name string) entity.Ref { return entity.Ref{Kind: "group", Namespace: "github", Name: name} }
	cases := []struct {
		name    string
		members int // -2: absent
	}{
		{"team-payments", 1},            // StripPrefix: team-payments → payments
		{"TEAM-PAYMENTS", 1},            // names are compared without regard to case
		{"payments", -2},                // the prefix is required
		{"team-payments-platform", 3},   // still its own name
		{"team-billing", 3},             // Rename: team-billing → payments-platform
		{"team-a", 2},                   // Rename wins over StripPrefix: team-a → b
		{"team-b", 2},                   // b under its own name too
		{"team-ghost", -2},              // a Rename to no team matches nothing
		{"team-team-leads", 0},          // a slug that starts with the prefix
		{"team-leads", -2},              // would mean slug "leads"
		{"team-no-such-team", -2},       //
		{"Team-Billing", 3},             //
		{"team-payments-platform ", -2}, //
	}
	for _, c := range cases {
		g, ok := d.Group(ref(c.name))
		switch {
		case c.members == -2 && ok:
			t.Errorf("%q matched %+v", c.name, g)
		case c.members != -2 && (!ok || g.Members != c.members):
			t.Errorf("%q = %+v, %v; want %d members", c.name, g, ok, c.members)
		}
	}
	if _, ok := d.Group(group("team-payments")); ok {
		t.Error("groups are in the namespace github, not default")
	}
	if g, _ := d.Group(ref("team-billing")); g.Name != "Team-Billing" || g.Namespace != "github" {
		t.Errorf("renamed group = %+v, want the name as written in Rename", g)
	}
	var names []string
	for _, g := range d.Groups {
		names = append(names, g.Name)
	}
	slices.Sort(names)
	want := []string{"Team-Billing", "team-a", "team-b", "team-payments", "team-payments-platform", "team-team-leads"}
	if !slices.Equal(names, want) {
		t.Errorf("groups = %q\nwant     %q", names, want)
	}
	// Users stay in the default namespace under their login.
	if _, ok := d.User(user("linus")); !ok {
		t.Error("user linus missing")
	}
	if s := d.SuggestGroup(ref("team-paymnets"), 1); len(s) != 1 || s[0] != "team-payments" {
		t.Errorf("suggestion = %v", s)
	}
}

func TestTeamsOptionsValidation(t *testing.T) {
	for _, o := range []TeamsOptions{
		{},
		{Org: "acme/../x"},
		{Org: "acme", OnRateLimit: "sleep"},
		{Org: "acme", Namespace: "a/b"},
		{Org: "acme", StripPrefix: "team:"},
		{Org: "acme", Rename: map[string]string{"a/b": "x"}},
		{Org: "acme", Rename: map[string]string{"x": " "}},
		{Org: "acme", Rename: map[string]string{"x": "a/b"}},
		{Org: "acme", Rename: map[string]string{"Team-X": "x", "team-x": "y"}},
		{Org: "acme", BaseURL: "ftp://example.com/"},
	} {
		if _, err := NewTeams(o); err == nil || !strings.HasPrefix(err.Error(), "github: invalid options: ") {
			t.Errorf("%+v: err = %v", o, err)
		}
	}
	if _, err := NewTeams(TeamsOptions{Org: "acme", StripPrefix: "github-", Rename: map[string]string{"github-x": "y"}}); err != nil {
		t.Error(err)
	}
}

func TestTeamsCacheKey(t *testing.T) {
	key := func(o TeamsOptions) string {
		o.Org = cmpOr(o.Org, "acme")
		p, err := NewTeams(o)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name() != "github:"+o.Org {
			t.Errorf("Name = %q", p.Name())
		}
		return p.CacheKey()
	}
	base := key(TeamsOptions{})
	if !strings.HasPrefix(base, "github:acme@") {
		t.Errorf("key = %q", base)
	}
	if key(TeamsOptions{Token: testToken}) != base || key(TeamsOptions{Org: "ACME"}) == "" {
		t.Error("the token changed the key")
	}
	for _, o := range []TeamsOptions{
		{StripPrefix: "team-"}, {Namespace: "github"}, {Members: true},
		{Rename: map[string]string{"a": "b"}}, {BaseURL: "https://ghe.example.com/"},
	} {
		if k := key(o); k == base || strings.Contains(k, testToken) {
			t.Errorf("%+v: key %q", o, k)
		}
	}
}

func TestTeamsErrors(t *testing.T) {
	sso := "required; url=https://github.com/orgs/acme/sso?authorization_request=AZSCK"
	deny := func(path string, code int, msg string, h map[string]string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, path) {
				return false
			}
			for k, v := range h {
				w.Header().Set(k, v)
			}
			writeJSON(w, code, map[string]string{"message": strings.ReplaceAll(msg, "{auth}", r.Header.Get("Authorization")), "documentation_url": "https://docs.github.com/rest/teams/teams#list-teams", "status": fmt.Sprint(code)})
			return true
		}
	}
	const need = ": it needs the read:org scope (classic) or Members: read (fine-grained)"
	reset := time.Now().Add(14*time.Minute + 10*time.Second).Truncate(time.Second)
	cases := []struct {
		name   string
		opts   TeamsOptions
		inject func(w http.ResponseWriter, r *http.Request) bool
		want   string
		kind   error
	}{
		{"bad token", TeamsOptions{Token: "ghp_wrong_" + testToken}, nil,
			"github:acme: authentication failed (401): check GITHUB_TOKEN", ErrAuth},
		{"no token", TeamsOptions{}, nil,
			"github:acme: listing the organisation's teams needs a token: set GITHUB_TOKEN (a classic token with the read:org scope, or a fine-grained token with the Members: read organisation permission)", ErrAuth},
		{"unknown org", TeamsOptions{Org: "acme-typo"}, nil,
			"github:acme-typo: the token cannot see the organisation's teams (404: no organisation acme-typo, or one hidden from this token)" + need, ErrNotFound},
		{"fine-grained without Members", TeamsOptions{}, deny("/orgs/acme/teams", 403, "Resource not accessible by personal access token", map[string]string{"X-Accepted-GitHub-Permissions": "members=read"}),
			"github:acme: the token cannot see the organisation's teams (403: Resource not accessible by personal access token)" + need, ErrForbidden},
		{"classic without read:org", TeamsOptions{}, deny("/orgs/acme/teams", 404, "Not Found", map[string]string{"X-OAuth-Scopes": "repo, workflow", "X-Accepted-OAuth-Scopes": "read:org"}),
			"github:acme: the token cannot see the organisation's teams (404: no organisation acme, or one hidden from this token)" + need + `; this classic token has the scopes "repo, workflow"`, ErrNotFound},
		{"actions GITHUB_TOKEN", TeamsOptions{}, deny("/orgs/acme/teams", 403, "Resource not accessible by integration", nil),
			"github:acme: the token cannot see the organisation's teams (403: Resource not accessible by integration)" + need + "; a GitHub Actions GITHUB_TOKEN cannot have it: use a personal access token, or a GitHub App token with Members: read", ErrForbidden},
		{"sso", TeamsOptions{}, deny("/orgs/acme/teams", 403, "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.", map[string]string{"X-GitHub-SSO": sso}),
			"github:acme: the token cannot see the organisation's teams (403: Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.)" + need + "; it must also be authorised for the organisation's SAML single sign-on (https://github.com/orgs/acme/sso?authorization_request=AZSCK)", ErrForbidden},
		{"members denied", TeamsOptions{}, deny("/orgs/acme/members", 403, "Resource not accessible by personal access token", nil),
			"github:acme: the token cannot see the organisation's members (403: Resource not accessible by personal access token)" + need, ErrForbidden},
		{"team members denied", TeamsOptions{Members: true}, deny("/teams/payments/members", 403, "Must have admin rights to Repository.", nil),
			"github:acme: the token cannot see the members of team payments (403: Must have admin rights to Repository.)" + need, ErrForbidden},
		{"reflected token in 403", TeamsOptions{}, deny("/orgs/acme/teams", 403, "no: {auth}", nil),
			"github:acme: the token cannot see the organisation's teams (403: no: Bearer [REDACTED])" + need, ErrForbidden},
		{"primary rate limit", TeamsOptions{}, func(w http.ResponseWriter, r *http.Request) bool { primaryLimited(w, reset); return true },
			fmt.Sprintf("github:acme: rate limit exhausted; resets at %s (in 14m); retry later, or wait for the reset (--on-rate-limit wait)", reset.UTC().Format(time.RFC3339)), ErrRateLimited},
		{"primary rate limit on team members", TeamsOptions{Members: true}, func(w http.ResponseWriter, r *http.Request) bool {
			if strings.HasSuffix(r.URL.Path, "/members") && strings.Contains(r.URL.Path, "/teams/") {
				primaryLimited(w, reset)
				return true
			}
			return false
		}, "github:acme: rate limit exhausted; resets at ", ErrRateLimited},
		{"too long to wait", TeamsOptions{OnRateLimit: "wait", MaxWait: time.Minute}, func(w http.ResponseWriter, r *http.Request) bool { primaryLimited(w, reset); return true },
			fmt.Sprintf("github:acme: rate limit exhausted; resets at %s (in 14m), later than the longest wait allowed (1m); retry later", reset.UTC().Format(time.RFC3339)), ErrRateLimited},
		{"secondary rate limit", TeamsOptions{}, func(w http.ResponseWriter, r *http.Request) bool { secondaryLimited(w, 403, "120"); return true },
			"github:acme: secondary rate limit exceeded; GitHub asks to wait until ", ErrRateLimited},
		{"5xx", TeamsOptions{}, func(w http.ResponseWriter, r *http.Request) bool { badGateway(w); return true },
			"github:acme: GitHub server error (502) on the team list of acme after 3 attempts; retry later", ErrServer},
		{"5xx on team members", TeamsOptions{Members: true}, func(w http.ResponseWriter, r *http.Request) bool {
			if strings.HasSuffix(r.URL.Path, "/teams/payments/members") {
				writeJSON(w, 500, map[string]string{"message": r.Header.Get("Authorization")})
				return true
			}
			return false
		}, "github:acme: GitHub server error (500) on team payments after 3 attempts; retry later", ErrServer},
		{"reflected token", TeamsOptions{}, func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 418, map[string]string{"message": "odd: " + r.Header.Get("Authorization")})
			return true
		}, "github:acme: unexpected response (418) on the team list of acme: odd: Bearer [REDACTED]", ErrBadResponse},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := bigOrg(t)
			o.setInject(c.inject)
			if c.name != "no token" {
				c.opts.Token = cmpOr(c.opts.Token, testToken)
			}
			p := newTeams(t, o, c.opts)
			start := time.Now()
			d, err := p.Load(context.Background())
			if err == nil {
				t.Fatalf("no error: %d groups", len(d.Groups))
			}
			t.Log(err)
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %q\nwant  %q", err, c.want)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("errors.Is(%v) false", c.kind)
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.Source != "github:acme" && c.name != "unknown org" {
				t.Errorf("err = %#v", err)
			}
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				if strings.Contains(fmt.Sprintf("%v %+v %#v", e, e, e), testToken) {
					t.Errorf("the token is in the error: %q", e)
				}
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("failing took %v", time.Since(start))
			}
			if c.name == "no token" && o.requests.Load() != 0 {
				t.Errorf("%d requests sent without a token", o.requests.Load())
			}
		})
	}
}

func TestTeamsRetries(t *testing.T) {
	o := bigOrg(t)
	var page2, members atomic.Int64
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/teams") && r.URL.Query().Get("page") == "2" && page2.Add(1) <= 2 {
			badGateway(w)
			return true
		}
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/members") && members.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken})
	d, err := p.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Groups) != 252 || len(d.Users) != 230 {
		t.Errorf("%d groups, %d users", len(d.Groups), len(d.Users))
	}
	if st := p.Stats(); st.Retries != 3 || st.Requests != 9 {
		t.Errorf("stats = %+v", st)
	}
}

func TestTeamsRateLimitWaits(t *testing.T) {
	o := bigOrg(t)
	var limited atomic.Bool
	var reset time.Time
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/members") && limited.CompareAndSwap(false, true) {
			reset = time.Now().Add(time.Second)
			primaryLimited(w, reset)
			return true
		}
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken, OnRateLimit: "wait"})
	if _, err := p.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.Retries != 1 || st.RateLimitWait < 500*time.Millisecond || st.RateLimitWait > 3*time.Second {
		t.Errorf("stats = %+v", st)
	}
}

func TestTeamsPaginationMustAdvance(t *testing.T) {
	o := bigOrg(t)
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/teams") {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?per_page=100&page=1>; rel="next"`, r.Host, r.URL.Path))
			writeJSON(w, 200, []map[string]any{o.teamJSON(fakeTeam{Slug: "loop"})})
			return true
		}
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken})
	_, err := p.Load(context.Background())
	if !errors.Is(err, ErrBadResponse) || !strings.HasPrefix(err.Error(), "github:acme: the team list of acme: bad pagination: the pages loop back (http://") {
		t.Fatalf("err = %v", err)
	}
	if n := o.count("/api/v3/orgs/acme/teams"); n != 2 {
		t.Errorf("%d requests", n)
	}
}

func TestTeamsEmptyOrganisation(t *testing.T) {
	o := newFakeOrg(t, nil, nil)
	p := newTeams(t, o, TeamsOptions{Token: testToken})
	_, err := p.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the token sees no team and no member of acme") {
		t.Fatalf("err = %v", err)
	}
	// Members but no teams is a directory of users.
	o = newFakeOrg(t, nil, []string{"ada"})
	d, err := newTeams(t, o, TeamsOptions{Token: testToken}).Load(context.Background())
	if err != nil || len(d.Users) != 1 || len(d.Groups) != 0 {
		t.Fatalf("%v %+v", err, d)
	}
}

// TestTeamsThroughCached runs the provider as the CLI does, behind
// owners.Cached: a warm cache sends no request at all; an expired one
// revalidates every page with the ETag cache (all 304s); offline with
// nothing cached asks nothing.
func TestTeamsThroughCached(t *testing.T) {
	o := bigOrg(t)
	ownersDir, httpDir := t.TempDir(), t.TempDir()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	run := func(now time.Time, offline bool, dir string) (*owners.Directory, *owners.Cached, error) {
		// A new provider each time, as in a new process.
		p := newTeams(t, o, TeamsOptions{Token: testToken, CacheDir: httpDir, Members: true, StripPrefix: "team-"})
		c := &owners.Cached{Provider: p, Dir: dir, Offline: offline, Now: func() time.Time { return now }}
		d, err := c.Load(context.Background())
		return d, c, err
	}
	cold, c, err := run(t0, false, ownersDir)
	if err != nil || c.Hit {
		t.Fatalf("cold: %v, hit %v", err, c.Hit)
	}
	coldReqs := o.requests.Load()
	if coldReqs != 6+252 {
		t.Errorf("cold run: %d requests, want %d", coldReqs, 6+252)
	}
	if g, ok := cold.Group(group("team-payments")); !ok || g.Members != 2 {
		t.Errorf("team-payments = %+v, %v", g, ok)
	}

	o.resetCounts()
	warm, c, err := run(t0.Add(59*time.Minute), false, ownersDir)
	if err != nil || !c.Hit {
		t.Fatalf("warm: %v, hit %v", err, c.Hit)
	}
	if n := o.requests.Load(); n != 0 {
		t.Errorf("warm cache: %d requests, want none", n)
	}
	if !reflect.DeepEqual(warm.Groups, cold.Groups) || !reflect.DeepEqual(warm.Users, cold.Users) || !reflect.DeepEqual(warm.Sources, cold.Sources) {
		t.Error("the cached directory differs from the fetched one")
	}

	o.resetCounts()
	again, c, err := run(t0.Add(2*time.Hour), false, ownersDir)
	if err != nil || c.Hit {
		t.Fatalf("expired: %v, hit %v", err, c.Hit)
	}
	if n := o.requests.Load(); n != coldReqs || o.unconditional.Load() != 0 || o.notModified.Load() != n {
		t.Errorf("expired: %d requests, %d unconditional, %d 304; want %d, all 304", n, o.unconditional.Load(), o.notModified.Load(), coldReqs)
	}
	if !reflect.DeepEqual(again.Groups, cold.Groups) || !reflect.DeepEqual(again.Users, cold.Users) {
		t.Error("the revalidated directory differs")
	}

	o.resetCounts()
	if _, _, err := run(t0, true, t.TempDir()); !errors.Is(err, owners.ErrNoCache) {
		t.Errorf("offline, empty cache: err = %v", err)
	}
	if n := o.requests.Load(); n != 0 {
		t.Errorf("offline: %d requests", n)
	}
}

func TestTeamsContextCancelled(t *testing.T) {
	o := bigOrg(t)
	o.latency = 20 * time.Millisecond
	p := newTeams(t, o, TeamsOptions{Token: testToken, Members: true, Concurrency: 4})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := p.Load(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("stopping took %v", time.Since(start))
	}
}

func TestTeamsCursorPagination(t *testing.T) {
	// Pages named by an opaque cursor and no last page: followed one by
	// one, nothing dropped.
	o := bigOrg(t)
	o.cursor = true
	d, err := newTeams(t, o, TeamsOptions{Token: testToken}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Groups) != 252 || len(d.Users) != 230 || o.requests.Load() != 6 {
		t.Errorf("%d groups, %d users, %d requests", len(d.Groups), len(d.Users), o.requests.Load())
	}
}

func TestTeamsPagesInParallel(t *testing.T) {
	var teams []fakeTeam
	for i := range 2000 {
		teams = append(teams, fakeTeam{Slug: fmt.Sprintf("t-%04d", i)})
	}
	o := newFakeOrg(t, teams, []string{"ada"})
	var inFlight, most atomic.Int64
	var grown atomic.Bool
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/orgs/acme/teams") {
			return false
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		// The list grows while it is read: the last page then names a
		// next one, which is followed.
		if r.URL.Query().Get("page") == "20" && grown.CompareAndSwap(false, true) {
			o.mu2.Lock()
			o.teams = append(o.teams, fakeTeam{Slug: "zz-new-1"}, fakeTeam{Slug: "zz-new-2"})
			o.mu2.Unlock()
		}
		return false
	})
	p := newTeams(t, o, TeamsOptions{Token: testToken, Concurrency: 4})
	d, err := p.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Groups) != 2002 {
		t.Errorf("%d groups", len(d.Groups))
	}
	if _, ok := d.Group(group("zz-new-2")); !ok {
		t.Error("the page added meanwhile was not read")
	}
	if got := o.count("/api/v3/orgs/acme/teams"); got != 21 {
		t.Errorf("%d team pages asked for, want 21", got)
	}
	if m := most.Load(); m < 2 || m > 4 {
		t.Errorf("at most %d team pages in flight, want 2..4 (Concurrency)", m)
	}
}

func TestTeamsPaginationStaysOnTheAPIHost(t *testing.T) {
	o := bigOrg(t)
	o.setInject(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/teams") {
			w.Header().Set("Link", `<https://evil.example/api/v3/orgs/acme/teams?page=2>; rel="next", <https://evil.example/api/v3/orgs/acme/teams?page=9>; rel="last"`)
			writeJSON(w, 200, []map[string]any{o.teamJSON(fakeTeam{Slug: "a"})})
			return true
		}
		return false
	})
	_, err := newTeams(t, o, TeamsOptions{Token: testToken}).Load(context.Background())
	if !errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), "a next page outside the API (https://evil.example/") {
		t.Fatalf("err = %v", err)
	}
	if n := o.count("/api/v3/orgs/acme/teams"); n != 1 {
		t.Errorf("%d requests", n)
	}
}

func TestParseLinks(t *testing.T) {
	h := http.Header{"Link": {`<https://api.github.com/organizations/1/teams?per_page=100&page=2>; rel="next", <https://api.github.com/organizations/1/teams?per_page=100&page=20>; rel="last"`}}
	got := parseLinks(h)
	want := map[string]string{
		"next": "https://api.github.com/organizations/1/teams?per_page=100&page=2",
		"last": "https://api.github.com/organizations/1/teams?per_page=100&page=20",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links = %v", got)
	}
	pages := numberedPages(got, "api.github.com")
	if len(pages) != 19 || pages[0] != want["next"] || pages[18] != "https://api.github.com/organizations/1/teams?page=20&per_page=100" {
		t.Errorf("pages = %v", pages)
	}
	for _, l := range []map[string]string{
		{"next": want["next"]}, // no last: follow one by one
		{"next": "https://api.github.com/x?page=3", "last": "https://api.github.com/x?page=9"},
		{"next": "https://api.github.com/x?page=2&q=a", "last": "https://api.github.com/x?page=9&q=b"},
		{"next": "https://api.github.com/x?after=abc", "last": "https://api.github.com/x?page=9"},
		{"next": "https://other/x?page=2", "last": "https://other/x?page=9"},
		{"next": "https://api.github.com/x?page=2", "last": "https://api.github.com/x?page=100000"},
	} {
		if p := numberedPages(l, "api.github.com"); p != nil {
			t.Errorf("%v: %v", l, p)
		}
	}
	if got := parseLinks(http.Header{"Link": {`garbage, <u>; rel="next prev"`}}); got["next"] != "u" || got["prev"] != "u" {
		t.Errorf("links = %v", got)
	}
}
