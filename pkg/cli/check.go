package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/atomicfile"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// CheckOptions are the flags of `catalint check`.
type CheckOptions struct {
	Paths            []string
	Formats          []string
	Only, Disable    []string
	Ignore           []string
	NoDefaultIgnores bool
	NoFollow         bool
	// FilterFiles keeps, of the files named, only catalog files;
	// AllowEmpty makes nothing to check a success.
	FilterFiles bool
	AllowEmpty  bool
	// Include, APIVersions and NameOnly come from .catalint.yaml's
	// discovery block.
	Include         []string
	APIVersions     []string
	NameOnly        bool
	MaxFileSize     string
	Root            string
	Color           string
	FailOn          string
	NoSnippet       bool
	Catalog         []string
	Owners          []string
	AllowUsers      bool
	RequireMembers  bool
	OnProviderError string
	Offline         bool
	CacheDir        string
	CacheTTL        time.Duration
	NoCodeowners    bool
	Config          string
	MinScore        float64
	OnRateLimit     string
	NewFromRev      string
	MaxBytes        int
	GitHub          string
	Comment         bool
	AllowRemote     bool
	AllowHTTP       bool
	// Modules are Backstage's opt-in catalog modules (--backstage-module).
	Modules []string
	// OneCatalog puts every checked file in one ingestion set.
	OneCatalog bool
	// Net holds the github:ORG source flags.
	Net NetOptions
	// AppConfig points at the organisation's Backstage configuration.
	AppConfig AppConfigOptions
	// Drift runs owner-drift (--drift).
	Drift bool
}

func newCheck(stdio IO) *cobra.Command {
	o := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH|GLOB|-]...",
		Short: "Check catalog files the way Backstage's catalog does",
		Long: `Check catalog files: YAML, placeholders, the entity envelope and policies,
the JSON Schema of each built-in kind, and relation references, with the same
verdict as Backstage's catalog and every problem at its file:line:column.

A folder is searched for catalog-info.yaml, catalog-info.yml and every other
.yaml/.yml file with a line "apiVersion: backstage.io/..." (or
scaffolder.backstage.io/, or a prefix in .catalint.yaml's discovery block),
skipping .git, node_modules, scaffolder skeleton/ folders and the folders a
Template's fetch:template/fetch:plain steps read; files that Location
entities point at are checked too. A file or glob is checked whatever its name
(with --filter-files, only when the folder search would take it). "-" reads
standard input. With no argument, the current folder is checked; with
--app-config, what that Backstage app-config registers in this repository,
checked against its catalog rules. Nothing to check is a usage error (exit 2)
unless --allow-empty.`,
		Example: `  catalint check
  catalint check examples/
  catalint check --only schema 'services/**/catalog-info.yaml'
  catalint check --format json . > catalint.json
  cat catalog-info.yaml | catalint check -
  catalint check --app-config app-config.yaml --app-config app-config.production.yaml
  git diff --cached --name-only | xargs catalint check --filter-files --allow-empty`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runCheck(cmd, o, stdio)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.Formats, "format", "f", []string{"text"}, "output format, repeatable, FORMAT or FORMAT=FILE (one may go to stdout): "+strings.Join(report.Formats, ", "))
	f.IntVar(&o.MaxBytes, "max-bytes", 0, "markdown format: cut the output to fit this many bytes (65536 for a PR comment)")
	f.StringVar(&o.FailOn, "fail-on", "error", "lowest severity that fails the run (exit 1): error or warning")
	f.Float64Var(&o.MinScore, "min-score", 0, "fail (exit 1) when the checked entities' mean completeness score is below this (0-100)")
	f.StringVar(&o.Color, "color", "auto", "colour text output: auto (when stdout is a terminal and NO_COLOR is unset), always, never")
	f.BoolVar(&o.NoSnippet, "no-snippet", false, "text format: do not print the source line under each diagnostic")
	f.StringVar(&o.GitHub, "github", "auto", "GitHub Actions mode (annotations, job summary, outputs, pull-request comment): auto (when GITHUB_ACTIONS=true), on, off")
	f.BoolVar(&o.Comment, "comment", true, "GitHub mode: keep one completeness comment up to date on the pull request")
	f.BoolVar(&o.Drift, "drift", false, "also compare each owner team with who committed to the entity's GitHub repository lately (owner-drift warnings; needs GITHUB_TOKEN with read:org)")
	f.StringVar(&o.NewFromRev, "new-from-rev", "", "fail only on findings that this git revision did not already have (report all), and show the score change against it")
	inputFlags(cmd, o)
	return cmd
}

// inputFlags are the flags that say what to read and check, shared by
// check and score.
func inputFlags(cmd *cobra.Command, o *CheckOptions) {
	f := cmd.Flags()
	f.StringSliceVar(&o.Only, "only", nil, "run only these rule groups or rules (comma-separated; groups: "+strings.Join(lint.Groups, ", ")+")")
	f.StringSliceVar(&o.Disable, "disable", nil, "do not run these rule groups or rules (comma-separated)")
	f.StringArrayVar(&o.Ignore, "ignore", nil, "skip paths matching this glob (repeatable; matched against paths below each folder and against each file or folder name)")
	f.BoolVar(&o.NoDefaultIgnores, "no-default-ignores", false, "also search .git, node_modules and skeleton folders")
	f.BoolVar(&o.NoFollow, "no-follow-locations", false, "do not check the files that Location entities point at")
	f.BoolVar(&o.FilterFiles, "filter-files", false, "check only the named files that a folder search would take (catalog-info.yaml, or YAML declaring a Backstage apiVersion), and render the Templates that fetch a named skeleton file: for changed-file lists and pre-commit hooks")
	f.BoolVar(&o.AllowEmpty, "allow-empty", false, "finding nothing to check is a success (exit 0), not a usage error (exit 2)")
	f.BoolVar(&o.OneCatalog, "one-catalog", false, "the files named or found are all ingested by one Backstage: report an entity defined in two of them as a duplicate (by default only catalog-info.yaml files and what one root's Locations reach are compared)")
	f.StringVar(&o.MaxFileSize, "max-file-size", "5MiB", "skip, with an error, files larger than this (bytes, or with KiB/MiB/GiB)")
	f.StringVar(&o.Root, "root", "", "folder placeholders and Location targets must stay inside (default: each file's git repository root, or without one the folder given to check)")
	f.StringArrayVar(&o.Catalog, "catalog", nil, "resolve references against this catalog source too (repeatable): "+catalogKinds)
	f.StringArrayVar(&o.Owners, "owners", nil, "check owners against this identity provider (repeatable): "+ownerKinds)
	f.BoolVar(&o.AllowUsers, "owners-allow-users", true, "allow a user (not only a team) as spec.owner")
	f.BoolVar(&o.RequireMembers, "require-team-members", false, "warn when an owner team has no members")
	f.StringVar(&o.OnProviderError, "on-provider-error", "fail", "when an owner provider fails: fail (exit 3) or warn (go on, and say what was not verified)")
	f.BoolVar(&o.Offline, "offline", false, "never use the network: owner directories from the cache only, network catalog sources skipped")
	f.StringVar(&o.CacheDir, "cache-dir", "", "cache folder (default: the user cache folder, e.g. ~/.cache/catalint)")
	f.DurationVar(&o.CacheTTL, "cache-ttl", owners.DefaultTTL, "how long a cached owner directory is used before asking the provider again")
	f.StringVar(&o.OnRateLimit, "on-rate-limit", "fail", "when GitHub's rate limit is exhausted: fail (exit 3, saying when it resets) or wait for the reset")
	f.BoolVar(&o.NoCodeowners, "no-codeowners", false, "do not compare owners with CODEOWNERS")
	githubFlags(cmd, &o.Net)
	timeoutFlag(cmd, &o.Net)
	f.BoolVar(&o.AllowRemote, "allow-remote", false, "fetch remote placeholders ($text: https://…) to check their content (20 s timeout, --max-file-size cap, https only)")
	f.BoolVar(&o.AllowHTTP, "allow-http", false, "with --allow-remote: also fetch http:// locations")
	moduleFlag(cmd, &o.Modules)
	f.StringVar(&o.Config, "config", "", "configuration file (default: .catalint.yaml or .catalint.yml, searched from here up to the repository root)")
	f.StringArrayVar(&o.AppConfig.Files, "app-config", nil, "the organisation's Backstage app-config (repeatable, later files override earlier ones): with no path given, check the catalog.locations it registers in this repository, and apply its catalog.rules")
	f.StringVar(&o.AppConfig.BackendDir, "backend-dir", "", "with --app-config: the Backstage backend's working folder, that file targets are relative to (default: packages/backend under the app-config's folder, else that folder; that folder when app-config.production.yaml is given)")
	f.StringArrayVar(&o.AppConfig.RepoURLs, "repo-url", nil, "with --app-config: a URL of this repository (repeatable; its git remotes are known already), so url locations into it are checked from the checkout")
}

// prepared is what a run needs, from flags and configuration.
type prepared struct {
	opts  lint.Options
	score score.Config
	cfg   *config.Config
	// detected are notices on the Backstage modules enabled because the
	// repository's Backstage backend runs them (detectModules).
	detected []diag.Diagnostic
}

// prepare reads the configuration and turns flags into run options.
func prepare(cmd *cobra.Command, o *CheckOptions, stdio IO) (*prepared, error) {
	cfg, err := loadConfig(o.Config, cmd.Flags().Changed("config"))
	if err != nil {
		return nil, err
	}
	if err := applyConfig(cmd, cfg, o); err != nil {
		return nil, err
	}
	sel, err := lint.NewSelection(splitList(o.Only), splitList(o.Disable))
	if err != nil {
		return nil, usageErr("%v", err)
	}
	allowed, policies, registry, err := configRules(cfg, sel)
	if err != nil {
		return nil, err
	}
	modules, detected := o.Modules, []diag.Diagnostic(nil)
	if cfg == nil || cfg.Backstage.DetectModules == nil || *cfg.Backstage.DetectModules {
		root := "."
		if len(o.Paths) > 0 && o.Paths[0] != load.Stdin {
			root = o.Paths[0]
		}
		names, diags := detectModules(load.RepoRoot(root))
		for i, n := range names {
			if !slices.Contains(modules, n) && (cfg == nil || !slices.Contains(cfg.Backstage.Modules, n)) {
				modules = append(modules, n)
				detected = append(detected, diags[i])
			}
		}
	}
	model, err := buildModel(cfg, modules)
	if err != nil {
		return nil, err
	}
	size, err := parseSize(o.MaxFileSize)
	if err != nil {
		return nil, usageErr("--max-file-size: %v", err)
	}
	lo := load.Options{MaxFileSize: size, Root: o.Root, AllowRemote: o.AllowRemote, AllowHTTP: o.AllowHTTP}
	var acOpts lint.Options
	if err := loadAppConfig(&o.AppConfig, lo, &acOpts); err != nil {
		return nil, err
	}
	if o.OnRateLimit != "fail" && o.OnRateLimit != "wait" {
		return nil, usageErr("--on-rate-limit %q: want fail or wait", o.OnRateLimit)
	}
	o.Net.CacheDir, o.Net.OnRateLimit, o.Net.Offline = o.CacheDir, o.OnRateLimit, o.Offline
	sources, err := parseSources(o.Catalog, stdio, lo, o.Net)
	if err != nil {
		return nil, err
	}
	if o.OnProviderError != "fail" && o.OnProviderError != "warn" {
		return nil, usageErr("--on-provider-error %q: want fail or warn", o.OnProviderError)
	}
	tm := TeamMapping{Members: o.RequireMembers}
	if cfg != nil {
		tm.StripPrefix, tm.Rename, tm.Namespace = cfg.Owners.GitHubTeams.StripPrefix, cfg.Owners.GitHubTeams.Rename, cfg.Owners.GitHubTeams.Namespace
	}
	providers, err := parseOwners(o.Owners, stdio, o.CacheDir, o.CacheTTL, o.Offline, NetOptions{CacheDir: o.CacheDir, OnRateLimit: o.OnRateLimit, Timeout: o.Net.Timeout}, tm)
	if err != nil {
		return nil, err
	}
	if o.MinScore < 0 || o.MinScore > 100 {
		return nil, usageErr("--min-score %v: want a number from 0 to 100", o.MinScore)
	}
	return &prepared{
		opts: lint.Options{
			Owners: providers,
			Policy: lint.OwnerPolicy{
				DisallowUsers:       !o.AllowUsers,
				RequireMembers:      o.RequireMembers,
				WarnOnProviderError: o.OnProviderError == "warn",
				NoCodeowners:        o.NoCodeowners,
				GitHubTeams:         teamNames(o.Owners, cfg),
			},
			Sources:          sources,
			Allowed:          allowed,
			Policies:         policies,
			Templates:        templateOptions(cfg),
			Annotations:      registry,
			Model:            model,
			Paths:            o.Paths,
			Ignore:           o.Ignore,
			NoDefaultIgnores: o.NoDefaultIgnores,
			Include:          o.Include,
			APIVersions:      o.APIVersions,
			NameOnly:         o.NameOnly,
			FilterFiles:      o.FilterFiles,
			FollowLocations:  !o.NoFollow,
			Load:             lo,
			Selection:        sel,
			Stdin:            stdio.In,
			NeedCatalog:      o.MinScore > 0,
			IngestionSet:     ingestionSet(o.OneCatalog || acOpts.Registered != nil),
			Registered:       acOpts.Registered,
			CatalogRules:     acOpts.CatalogRules,
			AppConfig:        acOpts.AppConfig,
			RepoPath:         acOpts.RepoPath,
		},
		score:    scoreConfig(cfg),
		cfg:      cfg,
		detected: detected,
	}, nil
}

// ingestionSet is lint's ingestion set of a root file: one for all with
// --one-catalog, lint's default otherwise.
func ingestionSet(one bool) func(string) string {
	if !one {
		return nil
	}
	return func(string) string { return "one-catalog" }
}

// runLint runs the checks and maps failures to exit codes.
func runLint(cmd *cobra.Command, p *prepared, paths []string, allowEmpty bool, stdio IO) (*lint.Result, error) {
	res, err := lint.Run(cmd.Context(), p.opts)
	if err != nil {
		var ue *load.UsageError
		if errors.As(err, &ue) {
			return nil, usageErr("%v", ue)
		}
		return nil, fatalErr(err)
	}
	if len(p.detected) > 0 && res.Files > 0 {
		res.Diagnostics = diag.Sort(append(res.Diagnostics, p.opts.Selection.Adjust(p.detected)...))
	}
	if res.Found != nil && len(res.Found.Missing) > 0 {
		fmt.Fprintf(stdio.Err, "catalint: --filter-files: left out %d named path(s) that do not exist: %s\n", len(res.Found.Missing), quoteList(res.Found.Missing))
	}
	if res.Files == 0 && !hasError(res.Diagnostics) {
		var what, searched string
		switch {
		case p.opts.Registered != nil && len(paths) == 0 && len(p.opts.Registered) == 0:
			what = "the app-config registers no location (catalog.locations is absent or empty)"
		case p.opts.Registered != nil && len(paths) == 0:
			what = fmt.Sprintf("none of the %d locations the app-config registers is a file in this repository", len(p.opts.Registered))
			searched = " (--allow-empty shows a notice about each)"
		default:
			what, searched = nothingToCheck(res.Found, p.opts, paths)
		}
		if !allowEmpty {
			return nil, usageErr("nothing to check: %s%s. Name files to check them whatever their content (catalint check path/to/entities.yaml, or a quoted glob 'entities/**/*.yaml'), add globs to discovery.include in .catalint.yaml, or pass --allow-empty to accept a run with nothing to check", what, searched)
		}
		// Accepted: a notice like any other finding, so that every output
		// shows it and every summary counts it. It is the last
		// diagnostic.
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Notice, Rule: load.RuleFile,
			Message: "nothing to check: " + what + "; nothing was checked (--allow-empty)"})
	}
	return res, nil
}

// hasError reports whether any diagnostic is an error (a folder that could
// not be read: then the run has something to say, not nothing to check).
func hasError(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// nothingToCheck says, when a run finds nothing to check, where it looked
// and what it searched for.
func nothingToCheck(found *load.Found, opts lint.Options, paths []string) (what, searched string) {
	var folders, named, filtered []string
	if found != nil {
		folders, named, filtered = found.Folders, found.Named, found.Filtered
	}
	var parts []string
	if len(folders) > 0 {
		parts = append(parts, "no catalog files found in "+quoteList(folders))
	}
	if len(filtered) > 0 {
		parts = append(parts, fmt.Sprintf("--filter-files left out the %d named file(s), none of them a catalog file", len(filtered)))
	}
	if found != nil && len(found.Missing) > 0 && len(filtered) == 0 && len(folders) == 0 {
		parts = append(parts, "the named paths do not exist")
	}
	if len(parts) == 0 {
		parts = append(parts, "no catalog files in "+quoteList(orDot(paths)))
	}
	what = strings.Join(parts, "; ")
	if len(folders) == 0 && len(named) == 0 {
		return what, ""
	}
	var b strings.Builder
	b.WriteString(" (searched for catalog-info.yaml, catalog-info.yml")
	if len(opts.Include) > 0 {
		fmt.Fprintf(&b, ", discovery.include %s", strings.Join(opts.Include, ", "))
	}
	if !opts.NameOnly {
		fmt.Fprintf(&b, " and .yaml/.yml files with an apiVersion starting %s", strings.Join(append(append([]string{}, load.DefaultAPIVersions...), opts.APIVersions...), " or "))
	}
	ignored := opts.Ignore
	if !opts.NoDefaultIgnores {
		ignored = append(append([]string{}, load.DefaultIgnores...), ignored...)
	}
	if len(ignored) > 0 {
		fmt.Fprintf(&b, "; skipped %s and template sources", strings.Join(ignored, ", "))
	}
	b.WriteString(")")
	return what, b.String()
}

// quoteList quotes paths for a message: "." reads as a path, not a full
// stop.
func quoteList(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = strconv.Quote(p)
	}
	return strings.Join(q, " ")
}

func runCheck(cmd *cobra.Command, o *CheckOptions, stdio IO) error {
	failOn, err := diag.ParseSeverity(o.FailOn)
	if err != nil || failOn == diag.Notice {
		return usageErr("--fail-on %q: want error or warning", o.FailOn)
	}
	color, err := useColor(o.Color, stdio)
	if err != nil {
		return err
	}
	ghMode, err := githubMode(o.GitHub, stdio)
	if err != nil {
		return err
	}
	formats := o.Formats
	if ghMode && !cmd.Flags().Changed("format") {
		// In Actions: the log, and annotations on the diff.
		formats = []string{"text", "github"}
	}
	outputs, err := parseFormats(formats, ghMode)
	if err != nil {
		return err
	}
	p, err := prepare(cmd, o, stdio)
	if err != nil {
		return err
	}
	if o.NewFromRev != "" || ghMode || o.Drift {
		p.opts.NeedCatalog = true
	}
	p.opts.NoSources = true
	for _, out := range outputs {
		if out.format == "text" {
			p.opts.NoSources = false // it shows the offending lines
		}
	}
	if stdio.Getenv("GOGC") == "" {
		// A check allocates much short-lived garbage (YAML trees, schema
		// validation, OpenAPI parsing): collecting less often saves a good
		// share of CPU for some memory. Measured on 20,000 entities: the
		// schema checks a few percent faster; a whole run (6.0 → 5.2 s)
		// for about 120 MB more.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
		// ... but not three times what it keeps alive while that is
		// small: a whole 20,000-entity catalog stays near 250 MB
		// (README, Speed).
		defer PaceHeap(192 << 20)()
	}
	res, err := runLint(cmd, p, o.Paths, o.AllowEmpty, stdio)
	if err != nil {
		return err
	}
	if o.Drift && o.Offline && p.opts.Selection.Enabled(lint.RuleOwnerDrift) {
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Notice, Rule: lint.RuleOwnerDrift,
			Message: "ownership drift was not checked: --offline (it reads recent commits and team members from GitHub)"})
	} else if o.Drift && p.opts.Selection.Enabled(lint.RuleOwnerDrift) {
		dr, err := driftRun(cmd.Context(), res.Checked, p.cfg, NetOptions{CacheDir: o.CacheDir, OnRateLimit: o.OnRateLimit, Timeout: o.Net.Timeout}, stdio, o.Owners)
		if err != nil {
			return err
		}
		res.Diagnostics = append(res.Diagnostics, p.opts.Selection.Adjust(driftDiagnostics(dr.Findings, res.Checked, p.opts.Load))...)
		res.Diagnostics = diag.Sort(res.Diagnostics)
	}
	var scores []score.Entity
	var now score.Aggregate
	var before *score.Aggregate
	if p.opts.NeedCatalog {
		scores = score.Score(scoreInput(res, p.opts.Model), p.score)
		now = score.Summarize("now", scores)
		res.Diagnostics = diag.Sort(append(res.Diagnostics, p.opts.Selection.Adjust(goldenScores(res, p.opts.Model, p.score, o.MinScore))...))
	}
	if o.NewFromRev != "" {
		b, err := runBaseline(cmd.Context(), p, o.Paths, o.NewFromRev)
		if err != nil {
			return err
		}
		defer b.close()
		lint.MarkBaseline(res.Diagnostics, b.res.Diagnostics, b.repoPath(false), b.repoPath(true))
		bs := score.Summarize("before", score.Score(scoreInput(b.res, p.opts.Model), p.score))
		before = &bs
	}
	// One verdict, decided before anything is written, so that the exit
	// code, the annotations' levels, the summary, the comment and the step
	// outputs all say it: what fails is the new errors (and warnings with
	// --fail-on warning) under --new-from-rev, every one otherwise, and a
	// mean score below --min-score.
	v := verdict{failOn: failOn, baseline: o.NewFromRev}
	v.errs, v.warns, _ = diag.Count(res.Diagnostics)
	v.newErrs, v.newWarns = v.errs, v.warns
	if o.NewFromRev != "" {
		v.newErrs, v.newWarns = lint.CountNew(res.Diagnostics)
	}
	v.failed = v.newErrs > 0 || (failOn == diag.Warning && v.newWarns > 0)
	lowScore := o.MinScore > 0 && now.Entities > 0 && now.MeanScore < o.MinScore
	v.failed = v.failed || lowScore
	for _, out := range outputs {
		if err := writeOutput(out, res, o, color, v, stdio); err != nil {
			return err
		}
	}
	if o.NewFromRev != "" {
		fmt.Fprintf(stdio.Err, "catalint: completeness against %s: mean score %.1f → %.1f (%+.1f), complete %.1f%% → %.1f%%; %d new error(s), %d new warning(s)\n",
			o.NewFromRev, before.MeanScore, now.MeanScore, now.MeanScore-before.MeanScore, before.CompletePercent, now.CompletePercent, v.newErrs, v.newWarns)
	}
	if lowScore {
		fmt.Fprintf(stdio.Err, "catalint: the mean completeness score of the checked entities is %.1f, below --min-score %.1f (run catalint score for the details)\n", now.MeanScore, o.MinScore)
	}
	failed := v.failed
	if ghMode {
		if err := githubReport(cmd, o, res, scores, now, before, v, stdio); err != nil {
			return err
		}
	}
	if failed {
		return &exitError{code: ExitProblems}
	}
	return nil
}

// verdict is the run's one verdict and its counts: every error and warning,
// and those new against the --new-from-rev baseline (all of them without
// one).
type verdict struct {
	failed                         bool
	errs, warns, newErrs, newWarns int
	failOn                         diag.Severity
	baseline                       string
}

// markdownOptions are the Markdown options that say the verdict.
func (v verdict) markdownOptions(maxBytes int) report.MarkdownOptions {
	failed := v.failed
	return report.MarkdownOptions{MaxBytes: maxBytes, FailOnWarning: v.failOn == diag.Warning, Failed: &failed, Baseline: v.baseline}
}

// output is one --format: a format and where it goes ("" for stdout).
type output struct{ format, file string }

func parseFormats(vals []string, githubMode bool) ([]output, error) {
	var outs []output
	stdout := 0
	for _, v := range vals {
		for _, item := range strings.Split(v, ",") {
			f, file, _ := strings.Cut(strings.TrimSpace(item), "=")
			f = strings.ToLower(f)
			if !contains(report.Formats, f) {
				return nil, usageErr("--format %q: want one of %s, optionally =FILE", item, strings.Join(report.Formats, ", "))
			}
			if file == "" || file == "-" {
				file = ""
				stdout++
			}
			outs = append(outs, output{f, file})
		}
	}
	if stdout > 1 && !(githubMode && stdout == 2 && hasFormat(outs, "github")) {
		return nil, usageErr("--format: only one format can go to standard output; give the others a file (--format sarif=results.sarif)")
	}
	return outs, nil
}

func hasFormat(outs []output, f string) bool {
	for _, o := range outs {
		if o.format == f && o.file == "" {
			return true
		}
	}
	return false
}

// writeOutput writes one format to its file (replaced whole: a run killed
// while writing leaves the previous file) or stdout.
func writeOutput(out output, res *lint.Result, o *CheckOptions, color bool, v verdict, stdio IO) error {
	if out.file == "" {
		if err := writeFormat(stdio.Out, out.format, res, o, color, v); err != nil {
			return fatalErr(fmt.Errorf("write %s output: %w", out.format, err))
		}
		return nil
	}
	err := atomicfile.Write(out.file, 0o644, func(w io.Writer) error {
		return writeFormat(w, out.format, res, o, false, v)
	})
	if err != nil {
		return fatalErr(fmt.Errorf("--format %s=%s: %w", out.format, out.file, err))
	}
	return nil
}

func writeFormat(w io.Writer, format string, res *lint.Result, o *CheckOptions, color bool, v verdict) error {
	switch format {
	case "json":
		return report.JSON(w, res)
	case "github":
		return report.GitHubWith(w, res, report.GitHubOptions{FailOnWarning: v.failOn == diag.Warning, Baseline: v.baseline})
	case "sarif":
		root := o.Root
		if root == "" {
			root = load.RepoRoot(".")
		}
		return report.SARIF(w, res, report.SARIFOptions{Version: version(), SrcRoot: root})
	case "junit":
		return report.JUnit(w, res)
	case "markdown":
		return report.Markdown(w, res, v.markdownOptions(o.MaxBytes))
	}
	return report.Text(w, res, report.TextOptions{Color: color, NoSnippet: o.NoSnippet})
}

func orDot(p []string) []string {
	if len(p) == 0 {
		return []string{"."}
	}
	return p
}

func useColor(mode string, stdio IO) (bool, error) {
	switch strings.ToLower(mode) {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return stdio.IsTerminal && stdio.Getenv("NO_COLOR") == "" && stdio.Getenv("TERM") != "dumb", nil
	}
	return false, usageErr("--color %q: want auto, always or never", mode)
}

// parseSize reads "5MiB", "512KiB", "1048576".
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size (e.g. 5MiB, 512KiB, 1048576)", s)
	}
	return n * mult, nil
}
