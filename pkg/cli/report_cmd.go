package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/adoption"
	"github.com/catalint-dev/catalint/pkg/atomicfile"
	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/catalog/github"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
	"github.com/catalint-dev/catalint/pkg/score"
	"github.com/catalint-dev/catalint/pkg/weekly"
)

// ReportOptions are the flags of `catalint report`.
type ReportOptions struct {
	Catalog, Owners []string
	Format, Output  string
	History, Badge  string
	Config          string
	Net             NetOptions
	CacheTTL        time.Duration
	Progress        bool
	Publish, Repo   string
	IssueMode       string
	// Drift adds the ownership drift section (--drift, on by default).
	Drift bool
}

func newReport(stdio IO) *cobra.Command {
	o := &ReportOptions{}
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "The weekly completeness report of the whole catalog",
		Long: `Report the completeness of the whole catalog: the organisation's figures and
the four headline metrics, coverage of repositories (for github: sources),
template adoption (components from a template, and for github: sources the
new repositories from one), a leaderboard of teams with the entities that fail
each metric and the fix, and the trend over a history file. Reads local PATHs and --catalog sources.`,
		Example: `  catalint report --catalog github:acme --owners github:acme --history history.json --format html -o report.html
  catalint report --catalog snapshot:catalog.json.gz --format markdown --publish github-issue --repo acme/platform`,
		RunE: func(cmd *cobra.Command, args []string) error { return runReport(cmd, args, o, stdio) },
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Catalog, "catalog", nil, "catalog source to report on (repeatable): "+catalogKinds)
	f.StringArrayVar(&o.Owners, "owners", nil, "identity provider that says which owners are valid (repeatable): "+ownerKinds)
	f.StringVarP(&o.Format, "format", "f", "markdown", "output format: "+strings.Join(weekly.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "-", "file to write; - for standard output")
	f.StringVar(&o.History, "history", "", "JSON history file: this run is added to it, and the report shows the change since the last run and the trend")
	f.StringVar(&o.Badge, "badge", "", "also write an SVG badge of the organisation's completeness to this file")
	f.StringVar(&o.Config, "config", "", "configuration file (default: .catalint.yaml, searched from here up to the repository root)")
	f.DurationVar(&o.CacheTTL, "cache-ttl", owners.DefaultTTL, "how long a cached owner directory is used")
	f.BoolVar(&o.Progress, "progress", false, "print progress on stderr (default: only when stderr is a terminal)")
	f.StringVar(&o.Publish, "publish", "", "publish the markdown report: github-issue")
	f.StringVar(&o.Repo, "repo", "", "OWNER/NAME of the repository the report issue lives in (with --publish github-issue)")
	f.StringVar(&o.IssueMode, "issue", "weekly", "with --publish: weekly (a new issue each week, found by label and marker) or pinned (one issue kept up to date)")
	f.BoolVar(&o.Drift, "drift", true, "compare owner teams with who committed to each entity's GitHub repository lately (the Ownership drift section; needs GITHUB_TOKEN with read:org; --drift=false skips it)")
	netFlags(cmd, &o.Net)
	return cmd
}

func runReport(cmd *cobra.Command, paths []string, o *ReportOptions, stdio IO) error {
	format := strings.ToLower(o.Format)
	if !contains(weekly.Formats, format) {
		return usageErr("--format %q: want one of %s", o.Format, strings.Join(weekly.Formats, ", "))
	}
	if o.Publish != "" && o.Publish != "github-issue" {
		return usageErr("--publish %q: want github-issue", o.Publish)
	}
	if o.Publish != "" && !strings.Contains(o.Repo, "/") {
		return usageErr("--publish github-issue needs --repo OWNER/NAME")
	}
	if o.IssueMode != "weekly" && o.IssueMode != "pinned" {
		return usageErr("--issue %q: want weekly or pinned", o.IssueMode)
	}
	if len(paths) == 0 && len(o.Catalog) == 0 {
		paths = []string{"."}
	}
	cfg, err := loadConfig(o.Config, cmd.Flags().Changed("config"))
	if err != nil {
		return err
	}
	model, err := buildModel(cfg, nil)
	if err != nil {
		return err
	}
	specs, ownerSpecs := o.Catalog, o.Owners
	specs = append(specs, configCatalog(cfg)...)
	if cfg != nil {
		for _, s := range cfg.Owners.Providers {
			ownerSpecs = append(ownerSpecs, withPrefixPath(cfg, s, "file"))
		}
	}
	if o.Net.OnRateLimit == "" {
		o.Net.OnRateLimit = "fail"
	}
	applyNetConfig(cmd.Flags(), cfg, &o.Net)
	progress := o.Progress || stdio.ErrIsTerminal
	if progress {
		o.Net.Progress = stdio.Err
	}
	sources, err := parseSources(specs, stdio, load.Options{}, o.Net)
	if err != nil {
		return err
	}
	if len(paths) > 0 {
		ig, err := load.NewIgnorer(nil, true)
		if err != nil {
			return err
		}
		sources = append([]catalog.Source{&catalog.Files{Paths: paths, Ignorer: ig, Label: "files"}}, sources...)
	}
	tm := TeamMapping{}
	if cfg != nil {
		tm.StripPrefix, tm.Rename, tm.Namespace = cfg.Owners.GitHubTeams.StripPrefix, cfg.Owners.GitHubTeams.Rename, cfg.Owners.GitHubTeams.Namespace
	}
	providers, err := parseOwners(ownerSpecs, stdio, o.Net.CacheDir, o.CacheTTL, false, o.Net, tm)
	if err != nil {
		return err
	}
	var all []catalog.Entity
	var names []string
	var cov *weekly.Coverage
	var ghRepos []adoption.Repo
	scanned := false
	for _, s := range sources {
		if progress {
			fmt.Fprintf(stdio.Err, "catalint: reading %s…\n", s.Name())
		}
		es, err := s.Load(cmd.Context())
		if err != nil {
			return fatalErr(err)
		}
		all = append(all, es...)
		names = append(names, s.Name())
		if gs, ok := s.(*github.Source); ok {
			cov = coverage(gs, cov)
			ghRepos, scanned = append(ghRepos, adoptionRepos(gs)...), true
			if progress {
				st := gs.Stats()
				fmt.Fprintf(stdio.Err, "catalint: %s: %d repositories, %d requests (%d not modified), %d catalog files, %s\n", s.Name(), st.Repos, st.Requests, st.NotModified, st.Files, st.RateLimitSummary())
			}
		}
	}
	ix := catalog.NewIndex(all)
	ix.Model = model
	dir := owners.FromEntities(ix.All(), "catalog")
	verified := len(sources) > 0 && (len(specs) > 0)
	for _, p := range providers {
		d, err := p.Load(cmd.Context())
		if err != nil {
			return fatalErr(err)
		}
		dir.Merge(d)
		verified = true
	}
	scores := score.Score(score.Input{Entities: ix.All(), Index: ix, Owners: dir, Verified: verified, Model: model}, scoreConfig(cfg))
	rep := weekly.Build(scores, names, verified, reportNow())
	rep.Coverage = cov
	if o.Drift {
		if rep.Drift, err = reportDrift(cmd, ix.All(), cfg, o, ownerSpecs, stdio); err != nil {
			return err
		}
	}
	rep.Adoption = reportAdoption(ix.All(), cfg, ghRepos, scanned, rep.GeneratedAt)
	var history []weekly.Point
	if o.History != "" {
		if history, err = weekly.ReadHistory(o.History); err != nil {
			return usageErr("--history: %v", err)
		}
	}
	rep.AddToHistory(history)
	var body bytes.Buffer
	switch format {
	case "json":
		err = weekly.JSON(&body, rep)
	case "csv":
		err = weekly.CSV(&body, rep)
	case "html":
		err = weekly.HTML(&body, rep)
	default:
		err = weekly.Markdown(&body, rep)
	}
	if err != nil {
		return fatalErr(err)
	}
	if err := writeTo(o.Output, body.Bytes(), stdio.Out); err != nil {
		return fatalErr(err)
	}
	if o.Badge != "" {
		var b bytes.Buffer
		if err := weekly.Badge(&b, rep); err != nil {
			return fatalErr(err)
		}
		if err := atomicfile.WriteFile(o.Badge, b.Bytes(), 0o644); err != nil {
			return fatalErr(fmt.Errorf("--badge: %w", err))
		}
	}
	if o.History != "" {
		if err := weekly.WriteHistory(o.History, rep.History); err != nil {
			return fatalErr(fmt.Errorf("--history: %w", err))
		}
	}
	if o.Publish != "" {
		var md bytes.Buffer
		if err := weekly.Markdown(&md, rep); err != nil {
			return fatalErr(err)
		}
		return publishIssue(cmd, o, rep, md.String(), stdio)
	}
	return nil
}

func coverage(gs *github.Source, cov *weekly.Coverage) *weekly.Coverage {
	if cov == nil {
		cov = &weekly.Coverage{}
	}
	for _, r := range gs.Repos() {
		if r.Archived {
			continue
		}
		cov.Repos++
		if len(r.CatalogFiles) > 0 {
			cov.WithCatalog++
		} else {
			cov.Without = append(cov.Without, r.FullName)
		}
	}
	if cov.Repos > 0 {
		cov.Percent = float64(int(1000*float64(cov.WithCatalog)/float64(cov.Repos)+0.5)) / 10
	}
	return cov
}

func writeTo(path string, b []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(b)
		return err
	}
	return atomicfile.WriteFile(path, b, 0o644)
}

func publishIssue(cmd *cobra.Command, o *ReportOptions, rep *weekly.Report, body string, stdio IO) error {
	owner, repo, _ := strings.Cut(o.Repo, "/")
	client, err := github.NewClient(github.ClientOptions{BaseURL: stdio.Getenv("GITHUB_API_URL"), Token: githubToken(stdio), OnRateLimit: o.Net.OnRateLimit, Timeout: o.Net.timeout()})
	if err != nil {
		return usageErr("--publish: %v", err)
	}
	action, url, err := weekly.Publish(cmd.Context(), client, owner, repo, o.IssueMode, rep, body)
	if err != nil {
		return fatalErr(err)
	}
	fmt.Fprintf(stdio.Err, "catalint: report issue %s: %s\n", action, url)
	return nil
}
