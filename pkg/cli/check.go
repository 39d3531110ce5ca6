package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
	"github.com/catalint-dev/catalint/pkg/report"
)

// CheckOptions are the flags of `catalint check`.
type CheckOptions struct {
	Paths            []string
	Format           string
	Only, Disable    []string
	Ignore           []string
	NoDefaultIgnores bool
	NoFollow         bool
	MaxFileSize      string
	Root             string
	Color            string
	FailOn           string
	NoSnippet        bool
	Catalog          []string
	Owners           []string
	AllowUsers       bool
	RequireMembers   bool
	OnProviderError  string
	Offline          bool
	CacheDir         string
	CacheTTL         time.Duration
	NoCodeowners     bool
	Config           string
	MinScore         float64
	OnRateLimit      string
}

func newCheck(stdio IO) *cobra.Command {
	o := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH|GLOB|-]...",
		Short: "Check catalog files the way Backstage's catalog does",
		Long: `Check catalog files: YAML, placeholders, the entity envelope and policies,
the JSON Schema of each built-in kind, and relation references, with the same
verdict as Backstage's catalog and every problem at its file:line:column.

A folder is searched for catalog-info.yaml and catalog-info.yml (skipping .git,
node_modules and scaffolder skeleton/ folders); files that Location entities
point at are checked too. A file or glob is checked whatever its name. "-"
reads standard input. With no argument, the current folder is checked.`,
		Example: `  catalint check
  catalint check examples/
  catalint check --only schema 'services/**/catalog-info.yaml'
  catalint check --format json . > catalint.json
  cat catalog-info.yaml | catalint check -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runCheck(cmd, o, stdio)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringSliceVar(&o.Only, "only", nil, "run only these rule groups or rules (comma-separated; groups: "+strings.Join(lint.Groups, ", ")+")")
	f.StringSliceVar(&o.Disable, "disable", nil, "do not run these rule groups or rules (comma-separated)")
	f.StringArrayVar(&o.Ignore, "ignore", nil, "skip paths matching this glob (repeatable; matched against paths below each folder and against each file or folder name)")
	f.BoolVar(&o.NoDefaultIgnores, "no-default-ignores", false, "also search .git, node_modules and skeleton folders")
	f.BoolVar(&o.NoFollow, "no-follow-locations", false, "do not check the files that Location entities point at")
	f.StringVar(&o.MaxFileSize, "max-file-size", "5MiB", "skip, with an error, files larger than this (bytes, or with KiB/MiB/GiB)")
	f.StringVar(&o.Root, "root", "", "folder placeholders and Location targets must stay inside (default: each file's git repository root)")
	f.StringVar(&o.Color, "color", "auto", "colour text output: auto (when stdout is a terminal and NO_COLOR is unset), always, never")
	f.StringVar(&o.FailOn, "fail-on", "error", "lowest severity that fails the run (exit 1): error or warning")
	f.StringArrayVar(&o.Catalog, "catalog", nil, "resolve references against this catalog source too (repeatable): "+catalogKinds)
	f.StringArrayVar(&o.Owners, "owners", nil, "check owners against this identity provider (repeatable): "+ownerKinds)
	f.BoolVar(&o.AllowUsers, "owners-allow-users", true, "allow a user (not only a team) as spec.owner")
	f.BoolVar(&o.RequireMembers, "require-team-members", false, "warn when an owner team has no members")
	f.StringVar(&o.OnProviderError, "on-provider-error", "fail", "when an owner provider fails: fail (exit 3) or warn (go on, and say what was not verified)")
	f.BoolVar(&o.Offline, "offline", false, "use only cached owner directories; never call a provider")
	f.StringVar(&o.CacheDir, "cache-dir", "", "cache folder (default: the user cache folder, e.g. ~/.cache/catalint)")
	f.DurationVar(&o.CacheTTL, "cache-ttl", owners.DefaultTTL, "how long a cached owner directory is used before asking the provider again")
	f.StringVar(&o.OnRateLimit, "on-rate-limit", "fail", "when GitHub's rate limit is exhausted: fail (exit 3, saying when it resets) or wait for the reset")
	f.BoolVar(&o.NoCodeowners, "no-codeowners", false, "do not compare owners with CODEOWNERS")
	f.StringVar(&o.Config, "config", "", "configuration file (default: .catalint.yaml or .catalint.yml, searched from here up to the repository root)")
	f.Float64Var(&o.MinScore, "min-score", 0, "fail (exit 1) when the checked entities' mean completeness score is below this (0-100)")
	f.BoolVar(&o.NoSnippet, "no-snippet", false, "text format: do not print the source line under each diagnostic")
	return cmd
}

func runCheck(cmd *cobra.Command, o *CheckOptions, stdio IO) error {
	cfg, err := loadConfig(o.Config, cmd.Flags().Changed("config"))
	if err != nil {
		return err
	}
	if err := applyConfig(cmd, cfg, o); err != nil {
		return err
	}
	sel, err := lint.NewSelection(splitList(o.Only), splitList(o.Disable))
	if err != nil {
		return usageErr("%v", err)
	}
	allowed, policies, err := configRules(cfg, sel)
	if err != nil {
		return err
	}
	size, err := parseSize(o.MaxFileSize)
	if err != nil {
		return usageErr("--max-file-size: %v", err)
	}
	failOn, err := diag.ParseSeverity(o.FailOn)
	if err != nil || failOn == diag.Notice {
		return usageErr("--fail-on %q: want error or warning", o.FailOn)
	}
	color, err := useColor(o.Color, stdio)
	if err != nil {
		return err
	}
	format := strings.ToLower(o.Format)
	if format != "text" && format != "json" {
		return usageErr("--format %q: want one of %s", o.Format, strings.Join(report.Formats, ", "))
	}
	lo := load.Options{MaxFileSize: size, Root: o.Root}
	if o.OnRateLimit != "fail" && o.OnRateLimit != "wait" {
		return usageErr("--on-rate-limit %q: want fail or wait", o.OnRateLimit)
	}
	sources, err := parseSources(o.Catalog, stdio, lo, NetOptions{CacheDir: o.CacheDir, OnRateLimit: o.OnRateLimit, Offline: o.Offline})
	if err != nil {
		return err
	}
	if o.OnProviderError != "fail" && o.OnProviderError != "warn" {
		return usageErr("--on-provider-error %q: want fail or warn", o.OnProviderError)
	}
	providers, err := parseOwners(o.Owners, stdio, o.CacheDir, o.CacheTTL, o.Offline)
	if err != nil {
		return err
	}
	res, err := lint.Run(cmd.Context(), lint.Options{
		Owners: providers,
		Policy: lint.OwnerPolicy{
			DisallowUsers:       !o.AllowUsers,
			RequireMembers:      o.RequireMembers,
			WarnOnProviderError: o.OnProviderError == "warn",
			NoCodeowners:        o.NoCodeowners,
		},
		Sources:          sources,
		Allowed:          allowed,
		Policies:         policies,
		Paths:            o.Paths,
		Ignore:           o.Ignore,
		NoDefaultIgnores: o.NoDefaultIgnores,
		FollowLocations:  !o.NoFollow,
		Load:             lo,
		Selection:        sel,
		Stdin:            stdio.In,
	})
	if err != nil {
		var ue *load.UsageError
		if errors.As(err, &ue) {
			return usageErr("%v", ue)
		}
		return fatalErr(err)
	}
	if res.Files == 0 {
		fmt.Fprintf(stdio.Err, "catalint: warning: no catalog files found in %s (a folder is searched for catalog-info.yaml and catalog-info.yml; name other files explicitly)\n", strings.Join(orDot(o.Paths), " "))
	}
	switch format {
	case "json":
		err = report.JSON(stdio.Out, res)
	default:
		err = report.Text(stdio.Out, res, report.TextOptions{Color: color, NoSnippet: o.NoSnippet})
	}
	if err != nil {
		return fatalErr(fmt.Errorf("write output: %w", err))
	}
	errs, warns, _ := diag.Count(res.Diagnostics)
	if errs > 0 || (failOn == diag.Warning && warns > 0) {
		return &exitError{code: ExitProblems}
	}
	return nil
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
