package github

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v92/github"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// TeamsOptions configure a Teams owner provider. The connection options are
// those of Options (the catalog source) and mean the same.
//
// # Names
//
// catalint checks owner references against the directory Load returns. A
// catalog group name N (in the Namespace) is taken to mean the team whose
// slug is
//
//	Rename[N]               when N is a key of Rename, else
//	N minus StripPrefix     when N starts with StripPrefix (always true of
//	                        the empty prefix: then the slug is N), else
//	no team
//
// all compared without regard to case; the group exists when that team
// exists. Load lists exactly the names for which that holds:
//
//   - with no option, each team under its slug ("payments"), which is how
//     Backstage's GitHub org provider names the Groups it ingests;
//   - StripPrefix "team-": team "payments" is the group "team-payments";
//     the bare "payments" matches nothing (a catalog that prefixes its
//     team names should not pass an owner that lacks the prefix);
//   - Rename {"team-billing": "payments"} (catalog name → slug, for a team
//     renamed on GitHub but not in the catalog): "team-billing" is team
//     "payments"; "team-payments" still is too (two names, one team: state
//     every alias the catalog may use). A name that is a Rename key is
//     never matched through StripPrefix, so Rename {"team-a": "b"} hides
//     team "a" under "team-a". A Rename to a slug that does not exist
//     matches nothing.
//
// Users are the organisation's members under their login, in the default
// namespace (as Backstage's GitHub org provider ingests them).
type TeamsOptions struct {
	// Org, BaseURL, Token: as in Options. The token is never printed,
	// stored or put in an error. Listing teams needs one: a classic token
	// with the read:org scope, or a fine-grained token or GitHub App
	// installation with the "Members" organisation permission (read).
	Org, BaseURL, Token string
	// CacheDir keeps responses with their ETags, as in Options ("" none).
	CacheDir string
	// OnRateLimit, MaxWait, RequestsPerMinute, Concurrency, Timeout and
	// HTTPClient: as in Options. Concurrency bounds the requests in flight (pages of
	// a listing asked for at once, member counts).
	OnRateLimit       string
	MaxWait           time.Duration
	RequestsPerMinute int
	Concurrency       int
	Timeout           time.Duration
	HTTPClient        *http.Client
	// StripPrefix is removed from catalog group names before they are
	// compared with team slugs (see Names above).
	StripPrefix string
	// Rename maps a catalog group name to the slug of the team it means.
	Rename map[string]string
	// Namespace is the Backstage namespace of the groups; "" is "default".
	Namespace string
	// Members fetches each team's member count (one request per team and
	// 100 members, GET /orgs/{org}/teams/{slug}/members). Without it
	// Group.Members is -1 (unknown). GitHub counts the members of child
	// teams as members of the parent team.
	Members bool
}

// Teams is an owner provider that lists a GitHub organisation's teams and
// members: "--owners github:ORG". Load must not be called concurrently
// with itself.
type Teams struct {
	opts   TeamsOptions
	src    *Source
	prefix string
	ns     string
	// rename maps lower-case catalog names to lower-case slugs; as keeps
	// the names as written.
	rename map[string]string
	as     map[string]string
}

var _ owners.Provider = (*Teams)(nil)

// Kinds of request of Teams, to word errors.
const (
	opTeams       op = 100 + iota // GET /orgs/{org}/teams
	opOrgMembers                  // GET /orgs/{org}/members
	opTeamMembers                 // GET /orgs/{org}/teams/{slug}/members
)

// maxListPages bounds a listing: 100,000 teams or members.
const maxListPages = 1000

// NewTeams checks the options and prepares the provider; it sends no
// request.
func NewTeams(opts TeamsOptions) (*Teams, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("github: %w: %s", errInvalidInput, fmt.Sprintf(format, args...))
	}
	t := &Teams{opts: opts, prefix: opts.StripPrefix, ns: opts.Namespace,
		rename: map[string]string{}, as: map[string]string{}}
	if t.ns == "" {
		t.ns = entity.DefaultNamespace
	}
	if !validName(t.ns) {
		return nil, bad("namespace %q is not a valid Backstage namespace", opts.Namespace)
	}
	if t.prefix != "" && !validName(t.prefix) {
		return nil, bad("StripPrefix %q cannot start a group name", opts.StripPrefix)
	}
	for name, slug := range opts.Rename {
		s := strings.ToLower(strings.TrimSpace(slug))
		if !validName(name) {
			return nil, bad("Rename: %q is not a group name", name)
		}
		if s == "" || strings.ContainsAny(s, "/?#%\\ \t") {
			return nil, bad("Rename: %q maps to %q, which is not a team slug", name, slug)
		}
		k := strings.ToLower(name)
		if other, dup := t.as[k]; dup {
			return nil, bad("Rename has both %q and %q (names are compared without regard to case)", min(other, name), max(other, name))
		}
		t.rename[k], t.as[k] = s, name
	}
	src, err := New(Options{
		Org: opts.Org, BaseURL: opts.BaseURL, Token: opts.Token, CacheDir: opts.CacheDir,
		OnRateLimit: opts.OnRateLimit, MaxWait: opts.MaxWait, RequestsPerMinute: opts.RequestsPerMinute,
		Concurrency: opts.Concurrency, Timeout: opts.Timeout, HTTPClient: opts.HTTPClient,
	})
	if err != nil {
		return nil, err
	}
	t.src = src
	return t, nil
}

// validName accepts what may appear in a Backstage name or namespace (and
// more: the check is only meant to keep out separators of references).
func validName(s string) bool {
	return s != "" && len(s) <= 253 && !strings.ContainsAny(s, "/: \t\r\n")
}

// Name is "github:ORG".
func (t *Teams) Name() string { return t.src.Name() }

// CacheKey identifies what Load returns: the API base URL, the
// organisation and the options that change names or counts, but not the
// token. A cache of directories should be keyed by it rather than by Name,
// so that changing StripPrefix, Rename, Namespace or Members, or the
// GitHub host, does not serve a directory built under other options.
func (t *Teams) CacheKey() string {
	h := sha256.New()
	for _, s := range []string{t.src.apiBase.String(), strings.ToLower(t.opts.Org), strings.ToLower(t.prefix), strings.ToLower(t.ns), fmt.Sprint(t.opts.Members)} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	for _, k := range slices.Sorted(maps.Keys(t.rename)) {
		io.WriteString(h, k+"\x00"+t.rename[k]+"\x00")
	}
	return t.Name() + "@" + hex.EncodeToString(h.Sum(nil)[:8])
}

// Stats returns the request counts of the last Load (Repos, Files and
// KnownAbsent stay 0).
func (t *Teams) Stats() Stats { return t.src.Stats() }

// Load lists the organisation's teams (GET /orgs/{org}/teams) and members
// (GET /orgs/{org}/members), 100 a page, and, with Members, each team's
// members (GET /orgs/{org}/teams/{slug}/members). The two listings run at
// once; each follows the Link header, and when it names the last page of
// numbered pages, pages 2 to last are asked for at once (Concurrency
// requests in flight in all). An error is an *Error naming the provider
// and what to do.
func (t *Teams) Load(ctx context.Context) (*owners.Directory, error) {
	t.src.resetStats()
	if t.opts.Token == "" {
		return nil, &Error{Source: t.Name(), kind: ErrAuth,
			Msg: "listing the organisation's teams needs a token: set GITHUB_TOKEN (a classic token with the read:org scope, or a fine-grained token with the Members: read organisation permission)"}
	}
	org := url.PathEscape(t.opts.Org)
	sem := make(chan struct{}, t.src.conc)
	// A failing team list stops the member list; not the reverse, so that
	// the team list's error, the more telling, is the one reported.
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		teams      []teamItem
		users      []userItem
		terr, uerr error
		wg         sync.WaitGroup
	)
	wg.Go(func() {
		if teams, terr = listPages[teamItem](ctx, t, sem, "orgs/"+org+"/teams?per_page=100"); terr != nil {
			cancel()
		}
	})
	wg.Go(func() {
		users, uerr = listPages[userItem](mctx, t, sem, "orgs/"+org+"/members?per_page=100")
	})
	wg.Wait()
	switch {
	case terr != nil:
		return nil, t.describe(terr, opTeams, "the team list of "+t.opts.Org)
	case uerr != nil:
		return nil, t.describe(uerr, opOrgMembers, "the member list of "+t.opts.Org)
	}

	counts := map[string]int{} // slug → members
	var slugs []string
	for _, tm := range teams {
		s := strings.ToLower(tm.Slug)
		if _, dup := counts[s]; s == "" || dup {
			continue
		}
		counts[s] = -1
		slugs = append(slugs, s)
	}
	logins := map[string]string{}
	for _, u := range users {
		if l := u.Login; l != "" {
			logins[strings.ToLower(l)] = l
		}
	}
	if len(slugs) == 0 && len(logins) == 0 {
		return nil, &Error{Source: t.Name(), kind: ErrNotFound,
			Msg: "the token sees no team and no member of " + t.opts.Org + ": check that it may read the organisation (read:org scope, or Members: read)"}
	}
	slices.Sort(slugs)
	if t.opts.Members {
		if err := t.countMembers(ctx, sem, slugs, counts); err != nil {
			return nil, err
		}
	}

	d := owners.NewDirectory()
	d.Sources = []string{t.Name()}
	for _, k := range slices.Sorted(maps.Keys(t.rename)) {
		if n, ok := counts[t.rename[k]]; ok {
			d.AddGroup(owners.Group{Namespace: t.ns, Name: t.as[k], Members: n})
		}
	}
	for _, s := range slugs {
		name := t.prefix + s
		if _, renamed := t.rename[strings.ToLower(name)]; renamed {
			continue // that name means another team
		}
		d.AddGroup(owners.Group{Namespace: t.ns, Name: name, Members: counts[s]})
	}
	for _, l := range slices.Sorted(maps.Keys(logins)) {
		d.AddUser(owners.User{Namespace: entity.DefaultNamespace, Name: logins[l]})
	}
	return d, nil
}

// teamItem and userItem are the parts of a team and a user of a listing
// that are used.
type (
	teamItem struct {
		Slug string `json:"slug"`
	}
	userItem struct {
		Login string `json:"login"`
	}
)

// errPagination is the cause of a listing whose Link header cannot be
// followed.
var errPagination = errors.New("bad pagination")

// listPages gets a list from first (a path relative to the API base) and
// the pages the Link header names after it, in order. When the first
// page's Link names page 2 as next and page N as last, pages 2..N are
// asked for at once; a next link is then still followed, should the list
// have grown meanwhile. sem bounds the requests in flight. Errors are
// those of the go-github client (not yet described), or wrap
// errPagination.
func listPages[T any](ctx context.Context, t *Teams, sem chan struct{}, first string) ([]T, error) {
	get := func(ctx context.Context, u string) ([]T, map[string]string, error) { return getPage[T](ctx, t, sem, u) }
	all, links, err := get(ctx, first)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	if pages := numberedPages(links, t.src.apiBase.Host); len(pages) > 0 {
		rest := make([][]T, len(pages))
		var lastLinks map[string]string
		pctx, cancel := context.WithCancelCause(ctx)
		var wg sync.WaitGroup
		for i, u := range pages {
			seen[u] = true
			wg.Go(func() {
				items, l, err := get(pctx, u)
				if err != nil {
					cancel(err)
					return
				}
				rest[i] = items
				if i == len(pages)-1 {
					lastLinks = l
				}
			})
		}
		wg.Wait()
		cancel(nil)
		if err := context.Cause(pctx); err != nil && !errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return nil, cmp.Or(ctx.Err(), err)
		}
		for _, items := range rest {
			all = append(all, items...)
		}
		links = lastLinks
	}
	for n := len(seen) + 1; ; n++ {
		next := links["next"]
		if next == "" {
			return all, nil
		}
		u, err := url.Parse(next)
		switch {
		case err != nil || !strings.EqualFold(u.Host, t.src.apiBase.Host):
			return nil, fmt.Errorf("%w: a next page outside the API (%s)", errPagination, redactURL(next))
		case seen[next]:
			return nil, fmt.Errorf("%w: the pages loop back (%s)", errPagination, redactURL(next))
		case n >= maxListPages:
			return nil, fmt.Errorf("%w: over %d pages", errPagination, maxListPages)
		}
		seen[next] = true
		var items []T
		if items, links, err = get(ctx, next); err != nil {
			return nil, err
		}
		all = append(all, items...)
	}
}

// getPage gets one page of a list (u: a path relative to the API base,
// or a URL on the API host) and its Link header's URLs by relation; sem
// bounds the requests in flight.
func getPage[T any](ctx context.Context, t *Teams, sem chan struct{}, u string) ([]T, map[string]string, error) {
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-sem }()
	req, err := t.src.client.NewRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	var items []T
	resp, err := t.src.do(req, func(r io.Reader) error {
		return decodeList(r, listPageSize, func(v T) { items = append(items, v) })
	})
	if err != nil {
		return nil, nil, err
	}
	return items, parseLinks(resp.Header), nil
}

// numberedPages returns the URLs of pages 2..N when a first page's links
// are next = page 2 and last = page N of the same URL on host.
func numberedPages(links map[string]string, host string) []string {
	next, err1 := url.Parse(links["next"])
	last, err2 := url.Parse(links["last"])
	if err1 != nil || err2 != nil || links["next"] == "" || links["last"] == "" {
		return nil
	}
	nq, lq := next.Query(), last.Query()
	n, err := strconv.Atoi(lq.Get("page"))
	if nq.Get("page") != "2" || err != nil || n < 2 || n > maxListPages || !strings.EqualFold(next.Host, host) || next.Host != last.Host || next.Path != last.Path {
		return nil
	}
	nq.Del("page")
	lq.Del("page")
	if nq.Encode() != lq.Encode() {
		return nil
	}
	out := make([]string, 0, n-1)
	for p := 2; p <= n; p++ {
		u := *last
		q := last.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		out = append(out, u.String())
	}
	out[0] = links["next"]
	return out
}

// parseLinks reads a Link header: URL by relation.
func parseLinks(h http.Header) map[string]string {
	out := map[string]string{}
	for _, v := range h.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			segs := strings.Split(strings.TrimSpace(part), ";")
			u := strings.TrimSpace(segs[0])
			if len(u) < 2 || u[0] != '<' || u[len(u)-1] != '>' {
				continue
			}
			for _, p := range segs[1:] {
				if rel, ok := strings.CutPrefix(strings.TrimSpace(p), "rel="); ok {
					for _, r := range strings.Fields(strings.Trim(rel, `"`)) {
						out[r] = u[1 : len(u)-1]
					}
				}
			}
		}
	}
	return out
}

// countMembers fills counts with the number of members of each team,
// teams asked for Concurrency at a time. A team deleted since it was
// listed (404) keeps -1.
func (t *Teams) countMembers(ctx context.Context, sem chan struct{}, slugs []string, counts map[string]int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var mu sync.Mutex
	jobs := make(chan string)
	var wg sync.WaitGroup
	org := url.PathEscape(t.opts.Org)
	for range min(t.src.conc, len(slugs)) {
		wg.Go(func() {
			for slug := range jobs {
				if ctx.Err() != nil {
					continue
				}
				users, err := listPages[userItem](ctx, t, sem, "orgs/"+org+"/teams/"+url.PathEscape(slug)+"/members?per_page=100")
				n := -1
				switch {
				case err == nil:
					seen := map[string]bool{}
					for _, u := range users {
						seen[strings.ToLower(u.Login)] = true
					}
					n = len(seen)
				case statusOf(nil, err) == http.StatusNotFound:
				default:
					cancel(t.describe(err, opTeamMembers, "team "+slug))
					continue
				}
				mu.Lock()
				counts[slug] = n
				mu.Unlock()
			}
		})
	}
feed:
	for _, s := range slugs {
		select {
		case jobs <- s:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		return t.describe(context.Cause(ctx), opTeamMembers, "the team members of "+t.opts.Org)
	}
	return nil
}

// describe words an error of a Teams request: 403 and 404 say which
// permission the token lacks; the rest (401, rate limits, 5xx, network) as
// the catalog source says them.
func (t *Teams) describe(err error, what op, subject string) error {
	var (
		e0 *Error
		er *gh.ErrorResponse
	)
	if errors.As(err, &e0) {
		return e0
	}
	if errors.Is(err, errPagination) {
		return &Error{Source: t.Name(), kind: ErrBadResponse, Msg: t.src.redact(subject + ": " + err.Error())}
	}
	if !errors.As(err, &er) || er.Response == nil {
		return t.src.describe(err, what, subject)
	}
	code := er.Response.StatusCode
	msg := strings.TrimSpace(er.Message)
	if code != http.StatusForbidden && code != http.StatusNotFound {
		return t.src.describe(err, what, subject)
	}
	if rl := classifyRateLimit(er.Response, nil, time.Now(), 0); rl.kind != notLimited || strings.Contains(strings.ToLower(msg), "rate limit") {
		return t.src.describe(err, what, subject)
	}
	e := &Error{Source: t.Name(), kind: ErrForbidden}
	if code == http.StatusNotFound {
		e.kind = ErrNotFound
	}
	var b strings.Builder
	switch what {
	case opOrgMembers:
		b.WriteString("the token cannot see the organisation's members")
	case opTeamMembers:
		fmt.Fprintf(&b, "the token cannot see the members of %s", subject)
	default:
		b.WriteString("the token cannot see the organisation's teams")
	}
	if code == http.StatusNotFound {
		fmt.Fprintf(&b, " (404: no organisation %s, or one hidden from this token)", t.opts.Org)
	} else if msg != "" {
		fmt.Fprintf(&b, " (403: %s)", msg)
	} else {
		b.WriteString(" (403)")
	}
	b.WriteString(": it needs the read:org scope (classic) or Members: read (fine-grained)")
	h := er.Response.Header
	if sc := h.Values("X-OAuth-Scopes"); len(sc) > 0 {
		fmt.Fprintf(&b, "; this classic token has the scopes %q", strings.Join(sc, ", "))
	}
	switch sso := h.Get("X-GitHub-SSO"); {
	case sso != "":
		b.WriteString("; it must also be authorised for the organisation's SAML single sign-on")
		if _, u, ok := strings.Cut(sso, "url="); ok {
			fmt.Fprintf(&b, " (%s)", strings.TrimSpace(u))
		}
	case strings.Contains(strings.ToLower(msg), "by integration"):
		b.WriteString("; a GitHub Actions GITHUB_TOKEN cannot have it: use a personal access token, or a GitHub App token with Members: read")
	}
	e.Msg = t.src.redact(b.String())
	return e
}
