package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/report"
)

// loadCatalog reads local paths and --catalog sources into one list.
func loadCatalog(ctx context.Context, paths, specs []string, stdio IO, net NetOptions) ([]catalog.Entity, []string, error) {
	if net.OnRateLimit == "" {
		net.OnRateLimit = "fail"
	}
	if net.OnRateLimit != "fail" && net.OnRateLimit != "wait" {
		return nil, nil, usageErr("--on-rate-limit %q: want fail or wait", net.OnRateLimit)
	}
	sources, err := parseSources(specs, stdio, load.Options{}, net)
	if err != nil {
		return nil, nil, err
	}
	if len(paths) > 0 {
		ig, err := load.NewIgnorer(nil, true)
		if err != nil {
			return nil, nil, err
		}
		sources = append([]catalog.Source{&catalog.Files{Paths: paths, Ignorer: ig, Label: "files"}}, sources...)
	}
	var all []catalog.Entity
	for _, s := range sources {
		es, err := s.Load(ctx)
		if err != nil {
			var ue *load.UsageError
			if asUsage(err, &ue) {
				return nil, nil, usageErr("%v", err)
			}
			return nil, nil, fatalErr(err)
		}
		all = append(all, es...)
	}
	return all, describeSources(sources), nil
}

func newAggregate(stdio IO) *cobra.Command {
	var out string
	var specs []string
	var net NetOptions
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "aggregate [PATH...] --catalog SOURCE... [-o FILE]",
		Short: "Write a snapshot of the aggregated catalog for later runs",
		Long: `Read local catalog files and --catalog sources and write every entity to a
snapshot file (JSON; gzip when the name ends in .gz). Later runs use it with
--catalog snapshot:FILE, so one organisation scan serves many pull requests.
The configuration's github: block (.catalint.yaml, or --config) says how
github:ORG sources are scanned; its catalog: sources are not read (they
usually name the snapshot this command writes).`,
		Example: `  catalint aggregate --catalog github:acme -o catalog.json.gz
  catalint check --catalog snapshot:catalog.json.gz`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(specs) == 0 {
				return usageErr("aggregate needs paths or --catalog sources")
			}
			c, err := loadConfig(cfgPath, cmd.Flags().Changed("config"))
			if err != nil {
				return err
			}
			applyNetConfig(cmd.Flags(), c, &net)
			es, names, err := loadCatalog(cmd.Context(), args, specs, stdio, net)
			if err != nil {
				return err
			}
			if out == "-" {
				if err := catalog.EncodeSnapshot(stdio.Out, false, names, es, time.Now()); err != nil {
					return fatalErr(fmt.Errorf("write the snapshot: %w", err))
				}
				return nil
			}
			if err := catalog.WriteSnapshot(out, names, es, time.Now()); err != nil {
				return fatalErr(fmt.Errorf("write %s: %w", out, err))
			}
			fmt.Fprintf(stdio.Err, "catalint: wrote %d entities from %s to %s\n", len(es), strings.Join(names, ", "), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "-", "snapshot file to write (.gz compresses); - for standard output")
	cmd.Flags().StringArrayVar(&specs, "catalog", nil, "catalog source to aggregate (repeatable): "+catalogKinds)
	cmd.Flags().StringVar(&cfgPath, "config", "", "configuration file whose github: block to use (default: .catalint.yaml or .catalint.yml, searched from here up to the repository root)")
	netFlags(cmd, &net)
	return cmd
}

func newGraph(stdio IO) *cobra.Command {
	var specs []string
	var net NetOptions
	var reverse bool
	var format string
	var depth int
	var modules []string
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "graph REF [PATH...]",
		Short: "Print what an entity depends on, or (--reverse) what depends on it",
		Long: `Print the dependency graph around an entity, transitively: dependsOn,
dependencyOf, consumesApis, and APIs' need of the components that provide them,
and the dependsOn relation fields of module and declared kinds (.catalint.yaml).
--reverse answers the impact question: everything that depends on REF.
REF is [kind:][namespace/]name (kind Component when left out). PATHs default to
the current folder; --catalog adds sources, as do the configuration's catalog:
sources (its github: block says how github:ORG ones are scanned). The text tree stops at --depth levels
(default 25) and says how many entities it left out; mermaid and dot list every
node and edge once.`,
		Example: `  catalint graph resource:ledger-db --reverse examples/acme
  catalint graph checkout-web --format mermaid examples/acme`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(format)
			if !contains(report.GraphFormats, format) {
				return usageErr("--format %q: want one of %s", format, strings.Join(report.GraphFormats, ", "))
			}
			ref, err := entity.ParseRef(args[0], "Component", "")
			if err != nil {
				return usageErr("%v", err)
			}
			paths := args[1:]
			if len(paths) == 0 {
				paths = []string{"."}
			}
			c, err := loadConfig(cfgPath, cmd.Flags().Changed("config"))
			if err != nil {
				return err
			}
			model, err := buildModel(c, modules)
			if err != nil {
				return err
			}
			applyNetConfig(cmd.Flags(), c, &net)
			es, _, err := loadCatalog(cmd.Context(), paths, append(specs, configCatalog(c)...), stdio, net)
			if err != nil {
				return err
			}
			ix := catalog.NewIndex(es)
			ix.Model = model
			if ix.Get(ref) == nil {
				msg := fmt.Sprintf("%s is not in the catalog (%d entities read)", ref, ix.Len())
				if s := ix.Suggest(ref, nil, 1); len(s) > 0 {
					msg += fmt.Sprintf("; did you mean %s?", s[0])
				} else if o := ix.FindName(ref.Namespace, ref.Name); len(o) > 0 {
					msg += fmt.Sprintf("; %s exists as %s", ref.Name, o[0].Ref())
				}
				return usageErr("%s", msg)
			}
			_, used := catalog.Reach(catalog.DependencyEdges(ix), ref.String(), reverse)
			if depth == 0 {
				return usageErr("--depth 0: want a number of levels, or -1 for no limit")
			}
			if err := report.Graph(stdio.Out, format, ref.String(), used, report.GraphOptions{Depth: depth}); err != nil {
				return fatalErr(err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&reverse, "reverse", false, "print what depends on REF (the impact of REF going down)")
	cmd.Flags().IntVar(&depth, "depth", report.DefaultGraphDepth, "text format: levels of the tree to print; -1 for no limit")
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.GraphFormats, ", "))
	cmd.Flags().StringArrayVar(&specs, "catalog", nil, "catalog source to read too (repeatable): "+catalogKinds)
	moduleFlag(cmd, &modules)
	cmd.Flags().StringVar(&cfgPath, "config", "", "configuration file whose backstage.modules, kinds, catalog sources and github: block to use (default: .catalint.yaml or .catalint.yml, searched from here up to the repository root)")
	netFlags(cmd, &net)
	return cmd
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// netFlags adds the flags of network sources.
func netFlags(cmd *cobra.Command, n *NetOptions) {
	cmd.Flags().StringVar(&n.CacheDir, "cache-dir", "", "cache folder for HTTP responses (default: the user cache folder, e.g. ~/.cache/catalint)")
	cmd.Flags().StringVar(&n.OnRateLimit, "on-rate-limit", "fail", "when GitHub's rate limit is exhausted: fail (exit 3) or wait for the reset")
	timeoutFlag(cmd, n)
	githubFlags(cmd, n)
}

// timeoutFlag adds --timeout.
func timeoutFlag(cmd *cobra.Command, n *NetOptions) {
	cmd.Flags().DurationVar(&n.Timeout, "timeout", DefaultTimeout, "longest wait for one request to a GitHub, Backstage or snapshot server, body included (a snapshot download gets 4×); a server that does not answer in time fails the run (exit 3)")
}

// githubFlags are the flags of github:ORG catalog sources.
func githubFlags(cmd *cobra.Command, n *NetOptions) {
	cmd.Flags().StringArrayVar(&n.GitHubPaths, "github-path", nil, "github:ORG sources: a catalog file to read in each repository (repeatable; default catalog-info.yaml)")
	cmd.Flags().BoolVar(&n.IncludeArchived, "github-include-archived", false, "github:ORG sources: also scan archived repositories")
	cmd.Flags().BoolVar(&n.IncludeForks, "github-include-forks", false, "github:ORG sources: also scan forks")
	cmd.Flags().StringVar(&n.GitHubAPI, "github-api", "auto", "github:ORG sources: the API to scan through: auto (GraphQL with a token where the server offers it, else REST), graphql or rest")
}
