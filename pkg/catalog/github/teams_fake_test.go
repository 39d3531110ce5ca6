package github

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOrg adds to fakeGitHub the organisation endpoints the Teams provider
// uses, as GitHub serves them: GET /orgs/{org}/teams (team objects with
// slug, name, privacy, parent), GET /orgs/{org}/members and GET
// /orgs/{org}/teams/{slug}/members (simple users), each with per_page (at
// most 100, default 30), page, a Link header with prev/next/last/first, an
// ETag and 304 for a matching If-None-Match; 401 "Requires authentication"
// without a token and "Bad credentials" with a wrong one; 404 for an
// unknown organisation or team.
type fakeOrg struct {
	*fakeGitHub
	mu2     sync.Mutex
	teams   []fakeTeam
	members []string
	// inject runs first; it handles the request when it returns true.
	inject func(w http.ResponseWriter, r *http.Request) bool
	// cursor makes the Link header name only the next page, by an opaque
	// cursor (after=...), as GitHub's cursor-paginated endpoints do.
	cursor bool
}

type fakeTeam struct {
	Slug, Name string
	Secret     bool
	Parent     string
	Members    []string
}

func newFakeOrg(t testing.TB, teams []fakeTeam, members []string) *fakeOrg {
	o := &fakeOrg{fakeGitHub: newFake(t), teams: teams, members: members}
	o.token = testToken
	o.setHook(o.serve)
	return o
}

func (o *fakeOrg) setInject(h func(w http.ResponseWriter, r *http.Request) bool) {
	o.mu2.Lock()
	o.inject = h
	o.mu2.Unlock()
}

func (o *fakeOrg) teamsOptions(opts TeamsOptions) TeamsOptions {
	opts.Org = cmpOr(opts.Org, o.org)
	opts.BaseURL = cmpOr(opts.BaseURL, o.srv.URL+"/api/v3")
	if opts.HTTPClient == nil {
		opts.HTTPClient = o.srv.Client()
	}
	return opts
}

func newTeams(t testing.TB, o *fakeOrg, opts TeamsOptions) *Teams {
	t.Helper()
	p, err := NewTeams(o.teamsOptions(opts))
	if err != nil {
		t.Fatal(err)
	}
	p.src.tr.backoff = 5 * time.Millisecond
	return p
}

func (o *fakeOrg) serve(w http.ResponseWriter, r *http.Request) bool {
	o.mu2.Lock()
	inject := o.inject
	o.mu2.Unlock()
	if inject != nil && inject(w, r) {
		return true
	}
	p, ok := strings.CutPrefix(r.URL.Path, o.prefix+"/orgs/")
	if !ok {
		return false
	}
	parts := strings.Split(p, "/")
	switch got := r.Header.Get("Authorization"); {
	case got == "":
		o.rateHeaders(w, false)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Requires authentication", "documentation_url": "https://docs.github.com/rest", "status": "401"})
		return true
	case got != "Bearer "+o.token:
		o.rateHeaders(w, false)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
		return true
	}
	if !strings.EqualFold(parts[0], o.org) {
		o.notFound(w, "https://docs.github.com/rest")
		return true
	}
	o.mu2.Lock()
	defer o.mu2.Unlock()
	switch {
	case len(parts) == 2 && parts[1] == "teams":
		items := make([]any, len(o.teams))
		for i, tm := range o.teams {
			items[i] = o.teamJSON(tm)
		}
		o.page(w, r, items)
	case len(parts) == 2 && parts[1] == "members":
		items := make([]any, len(o.members))
		for i, l := range o.members {
			items[i] = o.userJSON(l)
		}
		o.page(w, r, items)
	case len(parts) == 4 && parts[1] == "teams" && parts[3] == "members":
		i := slices.IndexFunc(o.teams, func(tm fakeTeam) bool { return strings.EqualFold(tm.Slug, parts[2]) })
		if i < 0 {
			o.notFound(w, "https://docs.github.com/rest/teams/members#list-team-members")
			return true
		}
		items := make([]any, len(o.teams[i].Members))
		for j, l := range o.teams[i].Members {
			items[j] = o.userJSON(l)
		}
		o.page(w, r, items)
	default:
		o.notFound(w, "https://docs.github.com/rest")
	}
	return true
}

func (o *fakeOrg) teamJSON(tm fakeTeam) map[string]any {
	base := o.srv.URL + o.prefix
	privacy := "closed"
	if tm.Secret {
		privacy = "secret"
	}
	name := cmpOr(tm.Name, tm.Slug)
	var parent any
	if tm.Parent != "" {
		parent = map[string]any{"slug": tm.Parent, "name": tm.Parent}
	}
	return map[string]any{
		"id": len(tm.Slug) * 31, "node_id": "T_" + tm.Slug, "url": base + "/teams/" + tm.Slug,
		"html_url": o.web() + "orgs/" + o.org + "/teams/" + tm.Slug, "name": name, "slug": tm.Slug,
		"description": "", "privacy": privacy, "notification_setting": "notifications_enabled",
		"permission": "pull", "members_url": base + "/teams/1/members{/member}",
		"repositories_url": base + "/teams/1/repos", "parent": parent,
	}
}

func (o *fakeOrg) userJSON(login string) map[string]any {
	return map[string]any{
		"login": login, "id": len(login) * 17, "node_id": "U_" + login, "type": "User", "site_admin": false,
		"url": o.srv.URL + o.prefix + "/users/" + login, "html_url": o.web() + login,
	}
}

// page serves one page of items with GitHub's pagination.
func (o *fakeOrg) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	if o.cursor {
		page, _ = strconv.Atoi(strings.TrimPrefix(q.Get("after"), "cur"))
	}
	if page <= 0 {
		page = 1
	}
	n := len(items)
	last := max(1, (n+per-1)/per)
	out := []any{}
	for i := (page - 1) * per; i < min(n, page*per); i++ {
		out = append(out, items[i])
	}
	link := ""
	switch {
	case o.cursor:
		if page < last {
			qq := url.Values{"per_page": {strconv.Itoa(per)}, "after": {fmt.Sprintf("cur%d", page+1)}}
			link = fmt.Sprintf("<http://%s%s?%s>; rel=\"next\"", r.Host, r.URL.Path, qq.Encode())
		}
	default:
		link = pageLinks(r, q, per, page, last)
	}
	if link != "" {
		w.Header().Set("Link", link)
	}
	body, _ := json.Marshal(out)
	o.respond(w, r, "application/json; charset=utf-8", body)
}
