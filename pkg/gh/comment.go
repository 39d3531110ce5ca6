package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/go-github/v92/github"

	cgh "github.com/catalint-dev/catalint/pkg/catalog/github"
)

// DefaultMarker is the hidden first line of catalint's comment, by which
// later runs find it.
const DefaultMarker = "<!-- catalint:comment -->"

// CommentLimit is the most characters a pull request comment may have
// ("Body is too long (maximum is 65536 characters)"). Bodies are kept to
// this many bytes, which are never fewer than characters.
const CommentLimit = 65536

// maxCommentPages bounds the listing of a pull request's comments: 100
// pages of 100.
const maxCommentPages = 100

// CommentResult says what StickyComment did.
type CommentResult string

// What StickyComment did.
const (
	// Created: there was no comment with the marker; one was created.
	Created CommentResult = "created"
	// Updated: the comment with the marker had another body; it was edited.
	Updated CommentResult = "updated"
	// Unchanged: the comment already had this body; nothing was sent.
	Unchanged CommentResult = "unchanged"
	// SkippedReadOnly: the token may not write comments (a pull request
	// from a fork, or a job without pull-requests: write); Notice says so.
	SkippedReadOnly CommentResult = "skipped-readonly"
)

// CommentOutcome is what StickyComment did.
type CommentOutcome struct {
	Result CommentResult
	// ID and URL are the comment's (0 and "" when skipped).
	ID  int64
	URL string
	// Notice, when set, is a one-line message for the log: why the
	// comment was skipped. It is not an error: the run must not fail for it.
	Notice string
}

// NewClient returns a go-github client for the run's API (GITHUB_API_URL)
// with its token, through catalint's GitHub transport: 5xx responses and
// network errors are retried (3 attempts), a secondary rate limit of up to
// a minute is waited out, and the token is sent to the API host only and
// never put in an error. It sends no request.
func NewClient(e Env) (*github.Client, error) {
	return cgh.NewClient(cgh.ClientOptions{BaseURL: e.APIURL, Token: e.Token, OnRateLimit: "wait", MaxWait: time.Minute})
}

// Error is a failure to keep the comment. Its text names the step, the
// pull request and the cause (status code and GitHub's message), never the
// token.
type Error struct {
	// Op is what was being done: "list comments", "create comment",
	// "update comment".
	Op string
	PR string
	// Status is the HTTP status, 0 for a network failure.
	Status int
	Msg    string
	// RateLimited is true when GitHub refused for a rate limit.
	RateLimited bool
	// err is the context's error when the run was stopped. The client's
	// own error is not kept: its text may quote what GitHub answered.
	err error
}

func (e *Error) Error() string { return fmt.Sprintf("github comment on %s: %s: %s", e.PR, e.Op, e.Msg) }
func (e *Error) Unwrap() error { return e.err }

// StickyComment keeps ONE comment on the pull request up to date. The
// comment is the one whose body starts with marker (an HTML comment,
// DefaultMarker when ""), which body is given when it does not start with
// it: the comments are listed (all pages), and
//
//   - with no such comment, one is created;
//   - with one whose body differs (line endings and trailing space aside),
//     it is updated;
//   - with one whose body is the same, nothing is sent.
//
// It never asks who the token is (/user answers 403 to a GITHUB_TOKEN), so
// the marker alone identifies the comment; among several, one written by a
// bot (GITHUB_TOKEN and GitHub App tokens write as bots) is preferred, then
// the oldest. A body over CommentLimit is cut with a note.
//
// A 403 that is not a rate limit (a read-only token: a pull request from a
// fork, or a job without "permissions: pull-requests: write") returns
// SkippedReadOnly and a Notice, not an error. Other failures (401, 404,
// 422, 5xx after retries, rate limits, network) are an *Error.
func StickyComment(ctx context.Context, client *github.Client, pr *PullRequest, marker, body string) (CommentOutcome, error) {
	if client == nil || pr == nil {
		return CommentOutcome{}, errors.New("github comment: no client or no pull request")
	}
	if !validName(pr.Owner) || !validName(pr.Repo) || pr.Number <= 0 {
		return CommentOutcome{}, fmt.Errorf("github comment: %q is not a pull request", pr.String())
	}
	if marker == "" {
		marker = DefaultMarker
	}
	if !strings.HasPrefix(marker, "<!--") || !strings.HasSuffix(marker, "-->") || len(marker) < 8 ||
		strings.Contains(marker[4:len(marker)-3], "--") || strings.ContainsAny(marker, "\r\n") {
		return CommentOutcome{}, fmt.Errorf("github comment: marker %q is not a one-line HTML comment", marker)
	}
	if !strings.HasPrefix(body, marker) {
		body = marker + "\n" + body
	}
	if len(body) > CommentLimit {
		body, _ = fitMarkdown(body, CommentLimit, commentNote)
	}

	found, err := findComment(ctx, client, pr, marker)
	if err != nil {
		return failed(pr, "list comments", err)
	}
	req := github.IssueCommentRequest{Body: body}
	if found == nil {
		c, _, err := client.Issues.CreateComment(ctx, pr.Owner, pr.Repo, pr.Number, req)
		if err != nil {
			return failed(pr, "create comment", err)
		}
		return CommentOutcome{Result: Created, ID: c.GetID(), URL: c.GetHTMLURL()}, nil
	}
	if normalize(found.GetBody()) == normalize(body) {
		return CommentOutcome{Result: Unchanged, ID: found.GetID(), URL: found.GetHTMLURL()}, nil
	}
	c, _, err := client.Issues.UpdateComment(ctx, pr.Owner, pr.Repo, found.GetID(), req)
	if err != nil {
		return failed(pr, "update comment", err)
	}
	return CommentOutcome{Result: Updated, ID: c.GetID(), URL: c.GetHTMLURL()}, nil
}

func commentNote(omitted, lines int) string {
	return fmt.Sprintf("\n\n**Comment cut here:** %s left out to stay under GitHub's limit of 65,536 characters per comment. The job summary and log have the full report.\n",
		plural(lines, "line", "lines"))
}

// findComment lists the pull request's comments and returns the one
// carrying the marker, nil when none does.
func findComment(ctx context.Context, client *github.Client, pr *PullRequest, marker string) (*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var best *github.IssueComment
	for page := 0; ; page++ {
		if page == maxCommentPages {
			return nil, fmt.Errorf("more than %d comments", maxCommentPages*100)
		}
		cs, resp, err := client.Issues.ListComments(ctx, pr.Owner, pr.Repo, pr.Number, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if !strings.HasPrefix(strings.TrimLeft(c.GetBody(), " \t\r\n\uFEFF"), marker) {
				continue
			}
			// The list is in ascending id order: keep the oldest, but
			// prefer a bot's.
			if best == nil || (isBot(c) && !isBot(best)) {
				best = c
			}
		}
		if resp == nil || resp.NextPage == 0 {
			return best, nil
		}
		opts.Page = resp.NextPage
	}
}

func isBot(c *github.IssueComment) bool {
	return strings.EqualFold(c.GetUser().GetType(), "Bot") || c.PerformedViaGithubApp != nil
}

// normalize makes bodies comparable: GitHub may store "\r\n", and trailing
// space is not content.
func normalize(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\r\n")
}

// failed turns an error of the go-github client into an outcome: a 403
// that is not a rate limit is SkippedReadOnly with a notice; anything else
// an *Error.
func failed(pr *PullRequest, op string, err error) (CommentOutcome, error) {
	e := describe(pr, op, err)
	if e.Status == http.StatusForbidden && !e.RateLimited {
		return CommentOutcome{Result: SkippedReadOnly, Notice: readOnlyNotice(pr, op, e.Msg)}, nil
	}
	return CommentOutcome{}, e
}

func readOnlyNotice(pr *PullRequest, op, msg string) string {
	why := "the token may not write comments: give the job \"permissions: pull-requests: write\" (or pass a token that may)"
	if pr.Fork && pr.Event != "pull_request_target" {
		head := pr.HeadRepo
		if head == "" {
			head = "a deleted repository"
		}
		why = "the pull request comes from a fork (" + head + "), and GitHub gives its pull_request runs a read-only token"
	}
	return fmt.Sprintf("not commenting on %s: %s (%s: %s). The report is in the job summary and the log.", pr, why, op, msg)
}

// describe builds an *Error from what the client returned.
func describe(pr *PullRequest, op string, err error) *Error {
	e := &Error{Op: op, PR: pr.String()}
	var (
		rle  *github.RateLimitError
		are  *github.AbuseRateLimitError
		er   *github.ErrorResponse
		uerr *url.Error
	)
	switch {
	case errors.Is(err, context.Canceled):
		e.err = context.Canceled
		e.Msg = "stopped: " + e.err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		e.err = context.DeadlineExceeded
		e.Msg = "stopped: " + e.err.Error()
	case errors.As(err, &rle):
		e.Status, e.RateLimited = statusOf(rle.Response), true
		e.Msg = "rate limit exhausted"
		if !rle.Rate.Reset.IsZero() {
			e.Msg += "; it resets at " + rle.Rate.Reset.UTC().Format(time.RFC3339)
		}
		e.Msg += "; retry later"
	case errors.As(err, &are):
		e.Status, e.RateLimited = statusOf(are.Response), true
		e.Msg = "secondary rate limit exceeded"
		if are.RetryAfter != nil {
			e.Msg += fmt.Sprintf("; GitHub asks to wait %s", are.RetryAfter.Round(time.Second))
		}
		e.Msg += "; retry later"
	case errors.As(err, &er) && er.Response != nil:
		code := er.Response.StatusCode
		e.Status = code
		msg := redact(strings.TrimSpace(er.Message))
		for _, fe := range er.Errors {
			if fe.Message != "" {
				msg += "; " + redact(fe.Message)
			}
		}
		h := er.Response.Header
		limited := code == http.StatusTooManyRequests || h.Get("Retry-After") != "" || h.Get("X-RateLimit-Remaining") == "0" ||
			strings.Contains(strings.ToLower(msg), "rate limit")
		switch {
		case (code == http.StatusForbidden || code == http.StatusTooManyRequests) && limited:
			e.RateLimited = true
			e.Msg = fmt.Sprintf("rate limited (%d): %s; retry later", code, msg)
		case code == http.StatusUnauthorized:
			e.Msg = "authentication failed (401): the token is missing, expired or revoked; in GitHub Actions pass GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"
		case code == http.StatusForbidden:
			e.Msg = "access denied (403)"
			if msg != "" {
				e.Msg += ": " + msg
			}
		case code == http.StatusNotFound:
			e.Msg = "not found (404): the repository or pull request does not exist, or the token cannot see it"
		case code >= 500:
			e.Msg = fmt.Sprintf("GitHub server error (%d) after 3 attempts; retry later", code)
		default:
			e.Msg = fmt.Sprintf("unexpected response (%d)", code)
			if msg != "" {
				e.Msg += ": " + msg
			}
		}
	case errors.As(err, &uerr):
		e.Msg = "cannot reach GitHub: " + redact(uerr.Err.Error())
	default:
		e.Msg = redact(err.Error())
	}
	return e
}

func statusOf(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

// tokenLike matches GitHub tokens (classic, OAuth, user-to-server,
// installation, refresh, fine-grained) and a credential after "Bearer", in
// case a message ever reflects one.
var tokenLike = regexp.MustCompile(`\b(?:gh[opusr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})|(?i:bearer)\s+[A-Za-z0-9_.\-]{8,}`)

func redact(s string) string { return tokenLike.ReplaceAllString(s, "[REDACTED]") }
