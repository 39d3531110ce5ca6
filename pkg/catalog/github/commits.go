package github

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// What ownership drift (catalint's owner-drift) reads from GitHub: the
// authors of a repository's recent commits and the members of each team.
// Both go through the Teams provider's client, so through the same
// transport (token to the API host only, bodies under MaxResponseSize,
// --timeout, retries, rate limits) and the same ETag cache.

// Commit is one commit of a repository's default branch, as much of it as
// drift uses.
type Commit struct {
	// Login is the GitHub account GitHub linked the commit's author to;
	// "" when GitHub could not link it (an e-mail address of no account).
	Login string
	// Bot is an author of type Bot (a GitHub App) or a login ending in
	// "[bot]".
	Bot bool
	// Date is the author date.
	Date time.Time
}

// CommitsResult is a repository's commits since a time.
type CommitsResult struct {
	Commits []Commit
	// Truncated says that more commits exist than MaxCommitPages pages
	// hold: Commits are the newest ones.
	Truncated bool
	// Missing says that the repository does not exist, or is hidden from
	// the token (404): an annotation naming a renamed or deleted
	// repository.
	Missing bool
}

// MaxCommitPages bounds the commit pages read of one repository (100
// commits a page).
const MaxCommitPages = 10

// commitQuantum is the step the since parameter of a commits request is
// rounded down to, so that the request's URL, and with it its cache entry,
// stays the same from one run to the next for weeks: a rescan of a
// repository with no new commit is then a conditional request answered
// 304, which costs no rate limit. The commits between the rounded time and
// the asked-for one are dropped after reading.
const commitQuantum = 28 * 24 * time.Hour

// commitItem is the part of a commit of GET /repos/{o}/{r}/commits that
// is used.
type commitItem struct {
	Commit struct {
		Author struct {
			Date time.Time `json:"date"`
		} `json:"author"`
	} `json:"commit"`
	Author *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"author"`
}

// Commits lists the commits of the default branch of the repository
// fullName ("owner/name") authored at or after since (GET
// /repos/{owner}/{repo}/commits?since=…&per_page=100, following the Link
// header, at most MaxCommitPages pages). A repository that is empty (409)
// has no commit; one that is not found (404) is Missing. An error is an
// *Error.
func (t *Teams) Commits(ctx context.Context, fullName string, since time.Time) (*CommitsResult, error) {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, &Error{Source: t.Name(), kind: errInvalidInput, Msg: fmt.Sprintf("%q is not a repository (want OWNER/NAME)", fullName)}
	}
	from := since.UTC().Truncate(commitQuantum)
	u := fmt.Sprintf("repos/%s/%s/commits?per_page=100&since=%s", url.PathEscape(owner), url.PathEscape(name), url.QueryEscape(from.Format(time.RFC3339)))
	res := &CommitsResult{}
	seen := map[string]bool{}
	sem := make(chan struct{}, 1)
	for page := 1; ; page++ {
		items, links, err := getPage[commitItem](ctx, t, sem, u)
		if err != nil {
			switch statusOf(nil, err) {
			case 409: // "Git Repository is empty."
				return res, nil
			case 404:
				res.Missing = true
				return res, nil
			}
			return nil, t.src.describe(err, opCommits, "the commits of "+fullName)
		}
		for _, it := range items {
			d := it.Commit.Author.Date
			if d.Before(since) {
				continue
			}
			c := Commit{Date: d}
			if it.Author != nil {
				c.Login = it.Author.Login
				c.Bot = strings.EqualFold(it.Author.Type, "Bot") || strings.HasSuffix(strings.ToLower(c.Login), "[bot]")
			}
			res.Commits = append(res.Commits, c)
		}
		next := links["next"]
		if next == "" {
			return res, nil
		}
		nu, err := url.Parse(next)
		switch {
		case err != nil || !strings.EqualFold(nu.Host, t.src.apiBase.Host):
			return nil, &Error{Source: t.Name(), kind: ErrBadResponse, Msg: t.src.redact(fmt.Sprintf("the commits of %s: a next page outside the API (%s)", fullName, redactURL(next)))}
		case seen[next]:
			return nil, &Error{Source: t.Name(), kind: ErrBadResponse, Msg: t.src.redact(fmt.Sprintf("the commits of %s: the pages loop back (%s)", fullName, redactURL(next)))}
		case page >= MaxCommitPages:
			res.Truncated = true
			return res, nil
		}
		seen[next] = true
		u = next
	}
}

// TeamMembers lists the organisation's teams and each team's members
// (GET /orgs/{org}/teams, then GET /orgs/{org}/teams/{slug}/members per
// team), all through the ETag cache: slug (lower case) → logins (lower
// case, sorted). GitHub counts the members of child teams as members of
// the parent team. A team deleted between the two listings is left out.
// An error is an *Error.
func (t *Teams) TeamMembers(ctx context.Context) (map[string][]string, error) {
	if t.opts.Token == "" {
		return nil, &Error{Source: t.Name(), kind: ErrAuth,
			Msg: "listing the organisation's teams needs a token: set GITHUB_TOKEN (a classic token with the read:org scope, or a fine-grained token with the Members: read organisation permission)"}
	}
	org := url.PathEscape(t.opts.Org)
	sem := make(chan struct{}, t.src.conc)
	teams, err := listPages[teamItem](ctx, t, sem, "orgs/"+org+"/teams?per_page=100")
	if err != nil {
		return nil, t.describe(err, opTeams, "the team list of "+t.opts.Org)
	}
	var slugs []string
	for _, tm := range teams {
		if s := strings.ToLower(tm.Slug); s != "" && !slices.Contains(slugs, s) {
			slugs = append(slugs, s)
		}
	}
	// Teams are listed at once, Concurrency requests in flight in all;
	// the first failure stops the rest.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lists := make([][]string, len(slugs))
	found := make([]bool, len(slugs))
	var wg sync.WaitGroup
	for i, s := range slugs {
		wg.Go(func() {
			users, err := listPages[userItem](ctx, t, sem, "orgs/"+org+"/teams/"+url.PathEscape(s)+"/members?per_page=100")
			switch {
			case err == nil:
			case statusOf(nil, err) == 404: // deleted since it was listed
				return
			default:
				cancel(t.describe(err, opTeamMembers, "team "+s))
				return
			}
			var logins []string
			for _, u := range users {
				if l := strings.ToLower(u.Login); l != "" && !slices.Contains(logins, l) {
					logins = append(logins, l)
				}
			}
			slices.Sort(logins)
			lists[i], found[i] = logins, true
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, t.describe(err, opTeamMembers, "the team members of "+t.opts.Org)
	}
	out := map[string][]string{}
	for i, s := range slugs {
		if found[i] {
			out[s] = lists[i]
		}
	}
	return out, nil
}

// opCommits is GET /repos/{o}/{r}/commits, to word errors.
const opCommits op = 200
