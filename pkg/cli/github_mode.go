package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/gh"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// githubMode decides --github auto|on|off.
func githubMode(flag string, stdio IO) (bool, error) {
	switch strings.ToLower(flag) {
	case "on", "true":
		return true, nil
	case "off", "false":
		return false, nil
	case "auto", "":
		return stdio.Getenv("GITHUB_ACTIONS") == "true", nil
	}
	return false, usageErr("--github %q: want auto, on or off", flag)
}

// githubReport writes the job summary and the step outputs, and keeps the
// pull-request comment up to date. A comment that cannot be written with a
// read-only token (a fork) is a notice, not a failure.
//
// The comment is a courtesy: when the GitHub API fails (unreachable, 5xx,
// a token without the permission), the run says so in a warning and its
// verdict, exit code and outputs stand.
func githubReport(cmd *cobra.Command, o *CheckOptions, res *lint.Result, scores []score.Entity, now score.Aggregate, before *score.Aggregate, v verdict, stdio IO) error {
	env := gh.EnvFrom(stdio.Getenv)
	failed := v.failed
	var md strings.Builder
	if err := report.Markdown(&md, res, v.markdownOptions(gh.SummaryLimit-4096)); err != nil {
		return fatalErr(err)
	}
	if err := gh.WriteSummary(env.StepSummary, md.String()); err != nil {
		fmt.Fprintf(stdio.Err, "::warning title=catalint::%s\n", report.EscapeWorkflowData("job summary not written: "+err.Error()))
	}
	comment, url := "skipped", ""
	if o.Comment {
		pr, err := env.PullRequest()
		switch {
		case err != nil:
			fmt.Fprintf(stdio.Err, "::warning title=catalint::%s\n", report.EscapeWorkflowData("cannot read the pull request event: "+err.Error()))
		case pr == nil:
			// Not a pull request: nothing to comment on.
		case env.Token == "":
			fmt.Fprintf(stdio.Err, "::notice title=catalint::%s\n", report.EscapeWorkflowData("no token, so no pull-request comment: pass GITHUB_TOKEN (${{ secrets.GITHUB_TOKEN }}) to the step"))
		default:
			client, err := gh.NewClient(env)
			if err != nil {
				fmt.Fprintf(stdio.Err, "::warning title=catalint::%s\n", report.EscapeWorkflowData("no pull-request comment: "+err.Error()))
				comment = "failed"
				break
			}
			body := gh.CommentBody(gh.CommentInput{
				Result: res, Failed: failed, FailOnWarning: v.failOn == diag.Warning, Baseline: o.NewFromRev,
				Scores: scores, BaseScore: before, MinScore: o.MinScore,
				Command: strings.TrimSpace("catalint check " + strings.Join(o.Paths, " ")),
				Commit:  pr.HeadSHA, RunURL: env.RunURL(), Version: version(),
			})
			out, err := gh.StickyComment(cmd.Context(), client, pr, gh.DefaultMarker, body)
			if err != nil {
				// The verdict stands without the comment.
				fmt.Fprintf(stdio.Err, "::warning title=catalint::%s\n", report.EscapeWorkflowData("pull-request comment not written (the check's result stands): "+err.Error()))
				comment = "failed"
				break
			}
			if out.Notice != "" {
				fmt.Fprintf(stdio.Err, "::notice title=catalint::%s\n", report.EscapeWorkflowData(out.Notice))
			}
			comment, url = string(out.Result), out.URL
		}
	}
	result := "passed"
	if failed {
		result = "failed"
	}
	kv := map[string]string{"result": result, "errors": fmt.Sprint(v.errs), "warnings": fmt.Sprint(v.warns),
		"new-errors": fmt.Sprint(v.newErrs), "new-warnings": fmt.Sprint(v.newWarns),
		"score": fmt.Sprintf("%.1f", now.MeanScore), "comment": comment, "comment-url": url}
	if err := gh.WriteOutputs(env.Output, kv); err != nil {
		fmt.Fprintf(stdio.Err, "::warning title=catalint::%s\n", report.EscapeWorkflowData("step outputs not written: "+err.Error()))
	}
	return nil
}
