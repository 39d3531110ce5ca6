// Package drift compares an entity's owner with who actually works on its
// repository: the authors of the default branch's recent commits, mapped
// to teams through team membership. It is catalint's owner-drift: an
// owner team that has had no member among the recent authors, while most
// of the recent work comes from one other team, has likely handed the
// service over without the catalog being told.
//
// The package only computes; the commits and team members are read by the
// caller (pkg/catalog/github).
package drift

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// Defaults of Config.
const (
	DefaultDays       = 90
	DefaultMinCommits = 5
	DefaultMajority   = 0.5
)

// Config holds the thresholds (.catalint.yaml drift:).
type Config struct {
	// Days is the period looked at, ending now (default 90).
	Days int
	// MinCommits is the fewest counted commits (bots and ignored
	// authors left out) a repository needs to be judged (default 5).
	MinCommits int
	// Majority is the share of the counted commits the likely owner
	// team must have authored, more than (default 0.5).
	Majority float64
	// IgnoreAuthors are logins whose commits are not counted (release
	// or service accounts that are not GitHub Apps), compared without
	// regard to case.
	IgnoreAuthors []string
}

// WithDefaults fills the unset thresholds.
func (c Config) WithDefaults() Config {
	if c.Days <= 0 {
		c.Days = DefaultDays
	}
	if c.MinCommits <= 0 {
		c.MinCommits = DefaultMinCommits
	}
	if c.Majority <= 0 {
		c.Majority = DefaultMajority
	}
	return c
}

// Commit is one commit: its author's login ("" when GitHub linked none)
// and whether the author is a bot.
type Commit struct {
	Login string
	Bot   bool
}

// Repo is the recent history of one repository.
type Repo struct {
	// FullName is "owner/name".
	FullName string
	Commits  []Commit
	// Truncated: more commits exist than were read.
	Truncated bool
}

// Teams is the organisation's team membership and how the catalog names
// its teams.
type Teams struct {
	// Org is the organisation whose teams these are.
	Org string
	// Members maps a team slug (lower case) to its members' logins
	// (lower case).
	Members map[string][]string
	// Names maps slugs to catalog groups (owners.githubTeams); nil is
	// the default naming (the group is the slug).
	Names *owners.TeamNames
}

// TeamCount is the commits of one team's members.
type TeamCount struct {
	// Group is the catalog group the team is ("group:default/payments").
	Group   string `json:"group"`
	Commits int    `json:"commits"`
	// Authors are the team's members among the authors, sorted.
	Authors []string `json:"authors"`
}

// Finding is an entity whose owner has likely drifted.
type Finding struct {
	// Entity and Owner are references ("component:default/billing").
	Entity string `json:"entity"`
	Owner  string `json:"owner"`
	// Likely is the group that did most of the recent work.
	Likely string `json:"likelyOwner"`
	Repo   string `json:"repository"`
	// Since and Until bound the period looked at.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Commits is the number counted (bots and ignored authors left out);
	// Unmapped of them are by authors in no team (or not linked to an
	// account).
	Commits  int `json:"commits"`
	Unmapped int `json:"unmapped"`
	// Teams are the commits per team, most first.
	Teams []TeamCount `json:"teams"`
	// Truncated: the repository had more commits than were read; the
	// counts are of the newest.
	Truncated bool `json:"truncated,omitempty"`
}

// Message words a finding for a diagnostic or a report line.
func (f *Finding) Message() string {
	var ev []string
	for _, t := range f.Teams {
		ev = append(ev, fmt.Sprintf("%s %d", Display(t.Group), t.Commits))
	}
	if f.Unmapped > 0 {
		ev = append(ev, fmt.Sprintf("no team %d", f.Unmapped))
	}
	more := ""
	if f.Truncated {
		more = ", newest only"
	}
	return fmt.Sprintf("owner %s has had no member among the authors of %s's %d commits from %s to %s; %s wrote most of them: likely owner %s (commits per team: %s%s)",
		Display(f.Owner), f.Repo, f.Commits, f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly),
		Display(f.Likely), Display(f.Likely), strings.Join(ev, ", "), more)
}

// Display writes a group reference as spec.owner and the report's team
// keys do: "payments", or "ns/name" out of the default namespace.
func Display(ref string) string {
	r, err := entity.ParseRef(ref, "group", "")
	if err != nil {
		return ref
	}
	return r.OwnerDisplay()
}

// Subject is an entity to judge: its reference, its owner and its
// repository.
type Subject struct {
	Entity entity.Ref
	Owner  entity.Ref
	Repo   string
}

// Judge returns the finding of one entity, or nil when its owner has not
// drifted (or nothing can be said: an owner that is not a GitHub team, too
// few commits, no clear other team).
func Judge(s Subject, r *Repo, teams *Teams, cfg Config, since, until time.Time) *Finding {
	cfg = cfg.WithDefaults()
	if r == nil || teams == nil || !strings.EqualFold(s.Owner.Kind, "group") {
		return nil
	}
	// group ref (lower case) → members, from the team naming.
	groupOf := map[string][]string{} // login → groups
	ownerIsTeam := false
	owner := strings.ToLower(s.Owner.String())
	names := teams.Names
	if names == nil {
		names = &owners.TeamNames{}
	}
	for slug, logins := range teams.Members {
		refs, ok := names.Groups(teams.Org, slug)
		if !ok {
			continue
		}
		for _, g := range refs {
			gs := strings.ToLower(g.String())
			if gs == owner {
				ownerIsTeam = true
			}
			for _, l := range logins {
				if !slices.Contains(groupOf[l], gs) {
					groupOf[l] = append(groupOf[l], gs)
				}
			}
		}
	}
	if !ownerIsTeam {
		return nil // not a team of this organisation: nothing to compare
	}
	ignore := map[string]bool{}
	for _, a := range cfg.IgnoreAuthors {
		ignore[strings.ToLower(strings.TrimSpace(a))] = true
	}
	counts := map[string]*TeamCount{}
	f := &Finding{Entity: s.Entity.String(), Owner: s.Owner.String(), Repo: r.FullName, Since: since, Until: until, Truncated: r.Truncated}
	for _, c := range r.Commits {
		l := strings.ToLower(c.Login)
		if c.Bot || strings.HasSuffix(l, "[bot]") || ignore[l] {
			continue
		}
		f.Commits++
		gs := groupOf[l]
		if len(gs) == 0 {
			f.Unmapped++
			continue
		}
		for _, g := range gs {
			tc := counts[g]
			if tc == nil {
				tc = &TeamCount{Group: g}
				counts[g] = tc
			}
			tc.Commits++
			if !slices.Contains(tc.Authors, l) {
				tc.Authors = append(tc.Authors, l)
			}
		}
	}
	if f.Commits < cfg.MinCommits || counts[owner] != nil {
		return nil
	}
	for _, tc := range counts {
		slices.Sort(tc.Authors)
		f.Teams = append(f.Teams, *tc)
	}
	slices.SortFunc(f.Teams, func(a, b TeamCount) int {
		return cmp.Or(cmp.Compare(b.Commits, a.Commits), strings.Compare(a.Group, b.Group))
	})
	if len(f.Teams) == 0 {
		return nil
	}
	top := f.Teams[0]
	if float64(top.Commits) <= cfg.Majority*float64(f.Commits) ||
		(len(f.Teams) > 1 && f.Teams[1].Commits == top.Commits) {
		return nil
	}
	f.Likely = top.Group
	// Keep the references as the catalog writes them.
	f.Owner = s.Owner.String()
	return f
}

// Sort orders findings by owner, then entity, for deterministic output.
func Sort(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), strings.Compare(a.Entity, b.Entity))
	})
}
