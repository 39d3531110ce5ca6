package cli

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/catalog/github"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/drift"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
	"github.com/catalint-dev/catalint/pkg/weekly"
)

// driftNow is the end of drift's period; tests move it.
var driftNow = time.Now

// driftConfig is .catalint.yaml's drift block, defaulted.
func driftConfig(cfg *config.Config) drift.Config {
	var c drift.Config
	if cfg != nil {
		d := cfg.Drift
		c = drift.Config{Days: d.Days, MinCommits: d.MinCommits, Majority: d.Majority, IgnoreAuthors: d.IgnoreAuthors}
	}
	return c.WithDefaults()
}

// driftSubject returns the entity's owner and GitHub repository, when it
// has both: the repository from the github.com/project-slug annotation,
// else the repository a github: catalog source read it from, else, for
// local files, the repository being checked in CI (GITHUB_REPOSITORY).
func driftSubject(e *catalog.Entity, ciRepo string) (drift.Subject, bool) {
	owner, _ := e.Spec()["owner"].(string)
	if strings.TrimSpace(owner) == "" {
		return drift.Subject{}, false
	}
	or, err := entity.ParseRef(owner, "group", e.Namespace)
	if err != nil {
		return drift.Subject{}, false
	}
	s := drift.Subject{Entity: e.Ref(), Owner: or}
	meta, _ := e.Raw["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	switch slug, _ := ann["github.com/project-slug"].(string); {
	case repoName(slug):
		s.Repo = strings.TrimSpace(slug)
	case strings.HasPrefix(e.Source, "github:"):
		s.Repo = repoOfWebURL(e.Location)
	case e.Source == "files" && repoName(ciRepo):
		s.Repo = ciRepo
	}
	return s, s.Repo != ""
}

// repoName says whether s is OWNER/NAME.
func repoName(s string) bool {
	o, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	return ok && o != "" && n != "" && !strings.ContainsAny(n, "/ ") && !strings.ContainsAny(o, " ")
}

// repoOfWebURL is OWNER/NAME of WEB/OWNER/NAME/blob/…, "" otherwise.
func repoOfWebURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 3 || (parts[2] != "blob" && parts[2] != "tree") {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// driftRun reads, for the entities that name a GitHub repository and a
// team owner, the repositories' recent commits and the organisations'
// team members, and judges each entity. Requests: one team listing and
// one member listing per team for each organisation, one commits listing
// per repository (more pages only for busy ones), all ETag-cached in the
// github-http cache folder.
func driftRun(ctx context.Context, es []*catalog.Entity, cfg *config.Config, net NetOptions, stdio IO, ownerSpecs []string) (*weekly.Drift, error) {
	dc := driftConfig(cfg)
	until := driftNow().UTC()
	since := until.Add(-time.Duration(dc.Days) * 24 * time.Hour)
	ciRepo := stdio.Getenv("GITHUB_REPOSITORY")
	byOrg := map[string][]drift.Subject{}
	seen := map[string]bool{}
	for _, e := range es {
		s, ok := driftSubject(e, ciRepo)
		if !ok || seen[s.Entity.String()] {
			continue
		}
		seen[s.Entity.String()] = true
		org, _, _ := strings.Cut(s.Repo, "/")
		byOrg[strings.ToLower(org)] = append(byOrg[strings.ToLower(org)], s)
	}
	res := &weekly.Drift{Since: since.Format(time.DateOnly), Until: until.Format(time.DateOnly)}
	if len(byOrg) == 0 {
		return res, nil
	}
	if githubToken(stdio) == "" {
		return nil, usageErr("owner drift reads GitHub team members: set GITHUB_TOKEN (a token with read:org, or Members: read)")
	}
	cache := ""
	if net.CacheDir != "-" {
		cache = filepath.Join(cacheDir(net.CacheDir), "github-http")
	}
	names := teamNames(ownerSpecs, cfg)
	for _, org := range slices.Sorted(maps.Keys(byOrg)) {
		subjects := byOrg[org]
		if names != nil && len(names.Orgs) > 0 && !slices.ContainsFunc(names.Orgs, func(o string) bool { return strings.EqualFold(o, org) }) {
			continue // not an organisation whose teams the catalog ingests
		}
		t, err := github.NewTeams(github.TeamsOptions{
			Org: org, BaseURL: stdio.Getenv("GITHUB_API_URL"), Token: githubToken(stdio),
			CacheDir: cache, OnRateLimit: net.OnRateLimit, Timeout: net.timeout(),
		})
		if err != nil {
			return nil, usageErr("owner drift: %v", err)
		}
		members, err := t.TeamMembers(ctx)
		if err != nil {
			return nil, fatalErr(err)
		}
		teams := &drift.Teams{Org: org, Members: members, Names: names}
		if teams.Names == nil {
			teams.Names = &owners.TeamNames{}
		}
		repos, err := driftCommits(ctx, t, subjects, since)
		if err != nil {
			return nil, err
		}
		for _, name := range slices.Sorted(maps.Keys(repos)) {
			if repos[name] == nil {
				fmt.Fprintf(stdio.Err, "catalint: ownership drift: repository %s not found (renamed, deleted, or hidden from the token): its entities are not compared\n", name)
			} else {
				res.Repos++
			}
		}
		for _, s := range subjects {
			r := repos[strings.ToLower(s.Repo)]
			if r == nil {
				continue
			}
			res.Entities++
			if f := drift.Judge(s, r, teams, dc, since, until); f != nil {
				res.Findings = append(res.Findings, *f)
			}
		}
	}
	drift.Sort(res.Findings)
	return res, nil
}

// driftWorkers is the number of repositories whose commits are asked for
// at once (the client paces requests against api.github.com).
const driftWorkers = 8

// driftCommits reads the commits of the subjects' repositories since a
// time, driftWorkers at once: lower-case OWNER/NAME → history, nil for a
// repository GitHub does not find.
func driftCommits(ctx context.Context, t *github.Teams, subjects []drift.Subject, since time.Time) (map[string]*drift.Repo, error) {
	names := map[string]string{} // lower case → as written first
	for _, s := range subjects {
		if k := strings.ToLower(s.Repo); names[k] == "" {
			names[k] = s.Repo
		}
	}
	keys := slices.Sorted(maps.Keys(names))
	out := make([]*drift.Repo, len(keys))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(driftWorkers, len(keys)) {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				cr, err := t.Commits(ctx, names[keys[i]], since)
				if err != nil {
					cancel(err)
					continue
				}
				if cr.Missing {
					continue
				}
				r := &drift.Repo{FullName: names[keys[i]], Truncated: cr.Truncated}
				for _, c := range cr.Commits {
					r.Commits = append(r.Commits, drift.Commit{Login: c.Login, Bot: c.Bot})
				}
				out[i] = r
			}
		})
	}
feed:
	for i := range keys {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, fatalErr(err)
	}
	m := make(map[string]*drift.Repo, len(keys))
	for i, k := range keys {
		m[k] = out[i]
	}
	return m, nil
}

// driftDiagnostics words findings as owner-drift warnings at the
// entities' spec.owner (a checked file is read again to find it; the
// entity's line when that fails).
func driftDiagnostics(fs []drift.Finding, es []*catalog.Entity, lo load.Options) []diag.Diagnostic {
	where := map[string]diag.Pos{}
	for _, e := range es {
		file, line := e.Location, 0
		if i := strings.LastIndex(file, ":"); i > 0 {
			if n, err := strconv.Atoi(file[i+1:]); err == nil {
				file, line = file[:i], n
			}
		}
		if _, ok := where[e.Ref().String()]; !ok {
			where[e.Ref().String()] = diag.Pos{File: file, Line: line, Column: 1}
		}
	}
	files := map[string]*load.File{}
	out := make([]diag.Diagnostic, 0, len(fs))
	for _, f := range fs {
		pos := where[f.Entity]
		if pos.File != "" && pos.Line > 0 {
			lf, ok := files[pos.File]
			if !ok {
				lf = load.ReadFile(pos.File, pos.File, lo)
				files[pos.File] = lf
			}
			for _, d := range lf.Docs {
				if d.Line != pos.Line || d.Root == nil {
					continue
				}
				if n, _, found := d.Root.Locate([]string{"spec", "owner"}); found && n != nil {
					pos = lf.Pos(n.Span)
				}
			}
		}
		out = append(out, diag.Diagnostic{Pos: pos, Severity: diag.Warning, Rule: lint.RuleOwnerDrift, Entity: f.Entity,
			Message: f.Message(), Suggestion: fmt.Sprintf("if %s owns it now, set spec.owner: %s", drift.Display(f.Likely), drift.Display(f.Likely))})
	}
	return out
}

// reportDrift is the report's drift section: nil when no entity names a
// GitHub repository. Asked for with --drift, a failure of GitHub fails the
// report (exit 3); by default the section is left out with a note on
// stderr (no token, a token that may not read the teams, an outage), so
// that a report that did not ask for it is not broken by it.
func reportDrift(cmd *cobra.Command, es []*catalog.Entity, cfg *config.Config, o *ReportOptions, ownerSpecs []string, stdio IO) (*weekly.Drift, error) {
	found := false
	for _, e := range es {
		if _, ok := driftSubject(e, stdio.Getenv("GITHUB_REPOSITORY")); ok {
			found = true
			break
		}
	}
	if !found {
		return nil, nil
	}
	asked := cmd.Flags().Changed("drift")
	if githubToken(stdio) == "" && !asked {
		fmt.Fprintln(stdio.Err, "catalint: ownership drift skipped: reading team members needs GITHUB_TOKEN (read:org, or Members: read); --drift=false silences this")
		return nil, nil
	}
	d, err := driftRun(cmd.Context(), es, cfg, o.Net, stdio, ownerSpecs)
	if err != nil && !asked {
		fmt.Fprintf(stdio.Err, "catalint: ownership drift skipped: %v (--drift makes this fatal, --drift=false silences it)\n", err)
		return nil, nil
	}
	return d, err
}
