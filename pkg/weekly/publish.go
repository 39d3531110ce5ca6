package weekly

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v92/github"
)

// Label marks the report issues.
const Label = "catalint-report"

// Title is the report issue's title: one per ISO week, or one pinned issue.
func Title(r *Report, mode string) string {
	if mode == "pinned" {
		return "Catalog completeness report"
	}
	y, w := r.GeneratedAt.ISOWeek()
	return fmt.Sprintf("Catalog completeness report, %d-W%02d", y, w)
}

// Publish creates the report issue, or updates the one already there (an
// open issue with the label, the marker in its body and, in weekly mode,
// this week's title). It sends no update when the body is unchanged. It
// returns "created", "updated" or "unchanged" and the issue's URL.
func Publish(ctx context.Context, client *gh.Client, owner, repo, mode string, r *Report, body string) (string, string, error) {
	title := Title(r, mode)
	opts := &gh.IssueListByRepoOptions{State: "open", Labels: []string{Label}, ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		issues, resp, err := client.Issues.ListByRepo(ctx, owner, repo, opts)
		if err != nil {
			return "", "", fmt.Errorf("list the report issues of %s/%s: %w", owner, repo, err)
		}
		for _, is := range issues {
			if is.IsPullRequest() || !strings.Contains(is.GetBody(), Marker) {
				continue
			}
			if mode != "pinned" && is.GetTitle() != title {
				continue
			}
			if is.GetBody() == body {
				return "unchanged", is.GetHTMLURL(), nil
			}
			up, _, err := client.Issues.Update(ctx, owner, repo, is.GetNumber(), gh.UpdateIssueRequest{Body: new(body), Title: new(title)})
			if err != nil {
				return "", "", fmt.Errorf("update issue #%d of %s/%s: %w", is.GetNumber(), owner, repo, err)
			}
			return "updated", up.GetHTMLURL(), nil
		}
		if resp == nil || resp.NextPage == 0 {
			break
		}
		opts.ListOptions.Page = resp.NextPage
	}
	is, _, err := client.Issues.Create(ctx, owner, repo, gh.CreateIssueRequest{Title: title, Body: new(body), Labels: []string{Label}})
	if err != nil {
		return "", "", fmt.Errorf("create the report issue in %s/%s: %w", owner, repo, err)
	}
	return "created", is.GetHTMLURL(), nil
}
