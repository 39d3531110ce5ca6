package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// scoreConfig is the configured score, or the default.
func scoreConfig(c *config.Config) score.Config {
	sc := score.DefaultConfig()
	if c == nil {
		return sc
	}
	if len(c.Allowed.Lifecycles) > 0 {
		sc.Lifecycles = c.Allowed.Lifecycles
	}
	if len(c.Score.Weights) > 0 {
		for m, w := range c.Score.Weights {
			sc.Weights[score.Metric(m)] = w
		}
	}
	if len(c.Score.Levels) > 0 {
		sc.Levels = nil
		for _, l := range c.Score.Levels {
			lv := score.Level{Name: l.Name}
			for _, m := range l.Require {
				lv.Require = append(lv.Require, score.Metric(m))
			}
			sc.Levels = append(sc.Levels, lv)
		}
	}
	return sc
}

func scoreInput(res *lint.Result, model *entity.Model) score.Input {
	return score.Input{Entities: res.Checked, Index: res.Index, Owners: res.Owners, Verified: res.OwnersVerified, Model: model}
}

func newScore(stdio IO) *cobra.Command {
	o := &CheckOptions{}
	var format, by string
	cmd := &cobra.Command{
		Use:   "score [PATH...]",
		Short: "Completeness scores per entity, per team and for the whole catalog",
		Long: `Score the completeness of catalog entities (Components, APIs, Resources,
Systems, and the kinds of Backstage modules and .catalint.yaml kinds): valid owner, dependencies declared, API spec attached, lifecycle set,
description, TechDocs, runbook or link, system set. Each metric is explained,
weights and levels come from .catalint.yaml (score:), and --by groups the
entities into a leaderboard (owner, kind, type or system).`,
		Example: `  catalint score
  catalint score --by owner --owners github:acme
  catalint score --format json > scores.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			format = strings.ToLower(format)
			if !contains(report.ScoreFormats, format) {
				return usageErr("--format %q: want one of %s", format, strings.Join(report.ScoreFormats, ", "))
			}
			if by != "" && !contains(score.Dimensions, by) {
				return usageErr("--by %q: want one of %s", by, strings.Join(score.Dimensions, ", "))
			}
			p, err := prepare(cmd, o, stdio)
			if err != nil {
				return err
			}
			p.opts.NeedCatalog = true
			// Scores do not need the schema checks' findings, but a
			// broken file still has to be read: keep every group.
			res, err := runLint(cmd, p, o.Paths, o.AllowEmpty, stdio)
			if err != nil {
				return err
			}
			if res.Files == 0 && len(res.Diagnostics) > 0 {
				// Scores show no findings: say it beside them.
				d := res.Diagnostics[len(res.Diagnostics)-1]
				fmt.Fprintf(stdio.Err, "catalint: %s: %s\n", d.Severity, d.Message)
			}
			scores := score.Score(scoreInput(res, p.opts.Model), p.score)
			sr := report.ScoreReport{Entities: scores, Org: score.Summarize("organisation", scores), By: by, OwnersVerified: res.OwnersVerified}
			if by != "" {
				sr.Groups = score.By(by, scores)
			}
			if err := report.Score(stdio.Out, format, sr); err != nil {
				return fatalErr(fmt.Errorf("write output: %w", err))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.ScoreFormats, ", "))
	cmd.Flags().StringVar(&by, "by", "", "leaderboard by "+strings.Join(score.Dimensions, ", "))
	inputFlags(cmd, o)
	return cmd
}

// goldenScores scores the entities Templates create (golden paths): one
// below --min-score is a template-skeleton warning at its skeleton's line.
// Owners are taken as set (the owner rules judge them), unknown values as
// filled in.
func goldenScores(res *lint.Result, model *entity.Model, cfg score.Config, min float64) []diag.Diagnostic {
	if min <= 0 || len(res.Rendered) == 0 {
		return nil
	}
	var out []diag.Diagnostic
	for _, r := range res.Rendered {
		ss := score.Score(score.Input{Entities: []*catalog.Entity{r.Entity}, Index: res.Index, Model: model}, cfg)
		if len(ss) == 0 || ss[0].Score >= min {
			continue
		}
		var failing []string
		for _, m := range ss[0].Failing() {
			failing = append(failing, m.Title())
		}
		out = append(out, diag.Diagnostic{
			Pos:      diag.Pos{File: r.File, Line: r.Line, Column: 1, EndLine: r.Line, EndColumn: 2},
			Severity: diag.Warning, Rule: lint.RuleTemplateSkeleton, Entity: r.Entity.Ref().String(),
			Message: fmt.Sprintf("the %s template `%s` creates scores %.0f, below --min-score %.0f: it lacks %s",
				r.Entity.Kind, r.Template, ss[0].Score, min, strings.Join(failing, ", ")),
			Suggestion: "fill them in the skeleton, so that every entity the golden path creates meets the bar",
		})
	}
	return out
}
