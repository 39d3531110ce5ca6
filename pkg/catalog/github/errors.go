package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v92/github"
)

// Kinds of failure, for errors.Is on the errors Load returns.
var (
	ErrRateLimited  = errors.New("rate limited")
	ErrAuth         = errors.New("authentication failed")
	ErrForbidden    = errors.New("access denied")
	ErrNotFound     = errors.New("not found")
	ErrServer       = errors.New("server error")
	ErrUnreachable  = errors.New("unreachable")
	ErrBadResponse  = errors.New("unexpected response")
	errInvalidInput = errors.New("invalid options")
)

// Error is the error Load returns. Its text names the source and the
// cause, and never holds the token: it is built from status codes, headers
// and GitHub's message, with the token redacted from all of them. It
// unwraps to one of the Err* kinds, or to the context's error.
type Error struct {
	Source string
	Msg    string
	// ResetAt is when a rate limit resets (or a retry is allowed), when
	// the error is a rate limit.
	ResetAt time.Time
	kind    error
}

func (e *Error) Error() string { return e.Source + ": " + e.Msg }
func (e *Error) Unwrap() error { return e.kind }

// what a request was for, to word errors.
type op int

const (
	opList     op = iota // GET /orgs/{org}/repos
	opContents           // GET /repos/{o}/{r}/contents/{path}
	opTree               // GET /repos/{o}/{r}/git/trees/{ref}
)

// describe turns an error of the go-github client into an *Error.
func (s *Source) describe(err error, what op, subject string) error {
	if err == nil {
		return nil
	}
	var e0 *Error
	if errors.As(err, &e0) {
		return e0
	}
	e := &Error{Source: s.Name()}
	now := time.Now()
	var (
		rle  *gh.RateLimitError
		are  *gh.AbuseRateLimitError
		er   *gh.ErrorResponse
		uerr *url.Error
		nerr *netError
	)
	switch {
	case errors.As(err, &nerr):
		e.kind = nerr.kind
		e.Msg = fmt.Sprintf("%s: %s", subject, nerr.msg)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		e.kind = err
		if errors.Is(err, context.Canceled) {
			e.kind = context.Canceled
		} else {
			e.kind = context.DeadlineExceeded
		}
		e.Msg = "scan stopped: " + e.kind.Error()
	case errors.As(err, &rle):
		e.ResetAt = rle.Rate.Reset.Time
		e.kind = ErrRateLimited
		e.Msg = s.primaryMsg(e.ResetAt, now)
	case errors.As(err, &are):
		e.kind = ErrRateLimited
		var wait time.Duration
		if are.RetryAfter != nil {
			wait = *are.RetryAfter
		}
		if wait <= 0 {
			wait = time.Minute
		}
		e.ResetAt = now.Add(wait)
		e.Msg = s.secondaryMsg(e.ResetAt, now)
	case errors.As(err, &er) && er.Response != nil:
		s.describeResponse(e, er, what, subject, now)
	case errors.As(err, &uerr):
		e.kind = ErrUnreachable
		e.Msg = fmt.Sprintf("cannot reach %s: %v (after %d attempts)", s.apiBase.Redacted(), uerr.Err, maxTries)
	default:
		e.kind = ErrBadResponse
		e.Msg = fmt.Sprintf("%s: %v", subject, err)
	}
	e.Msg = s.redact(e.Msg)
	return e
}

func (s *Source) describeResponse(e *Error, er *gh.ErrorResponse, what op, subject string, now time.Time) {
	resp := er.Response
	code := resp.StatusCode
	msg := strings.TrimSpace(er.Message)
	switch rl := classifyRateLimit(resp, nil, now, 0); {
	case rl.kind == primaryLimit:
		e.kind, e.ResetAt = ErrRateLimited, rl.reset
		e.Msg = s.primaryMsg(rl.reset, now)
		return
	case rl.kind == secondaryLimit || (code == http.StatusForbidden && strings.Contains(strings.ToLower(msg), "secondary rate limit")):
		e.kind, e.ResetAt = ErrRateLimited, rl.until
		if e.ResetAt.IsZero() {
			e.ResetAt = now.Add(time.Minute)
		}
		e.Msg = s.secondaryMsg(e.ResetAt, now)
		return
	}
	switch {
	case code == http.StatusUnauthorized:
		e.kind = ErrAuth
		if s.opts.Token == "" {
			e.Msg = "authentication required (401): set GITHUB_TOKEN"
		} else {
			e.Msg = "authentication failed (401): check GITHUB_TOKEN"
		}
	case code == http.StatusNotFound && what == opList:
		e.kind = ErrNotFound
		e.Msg = "organisation not found (404)"
	case code == http.StatusForbidden:
		e.kind = ErrForbidden
		var b strings.Builder
		fmt.Fprintf(&b, "access denied (403) to %s", subject)
		if msg != "" {
			fmt.Fprintf(&b, ": %s", msg)
		}
		switch sso := resp.Header.Get("X-GitHub-SSO"); {
		case sso != "":
			b.WriteString("; the token must be authorised for the organisation's SAML single sign-on")
			if _, u, ok := strings.Cut(sso, "url="); ok {
				fmt.Fprintf(&b, " (%s)", strings.TrimSpace(u))
			}
		case resp.Header.Get("X-Accepted-GitHub-Permissions") != "":
			fmt.Fprintf(&b, "; the token needs the permissions %s", resp.Header.Get("X-Accepted-GitHub-Permissions"))
		case resp.Header.Get("X-Accepted-OAuth-Scopes") != "":
			fmt.Fprintf(&b, "; the token needs one of the scopes %q (it has %q)", resp.Header.Get("X-Accepted-OAuth-Scopes"), resp.Header.Get("X-OAuth-Scopes"))
		case what == opContents || what == opTree:
			b.WriteString("; the token needs read access to repository contents (classic token: repo scope for private repositories; fine-grained: Contents read)")
		default:
			b.WriteString("; check GITHUB_TOKEN's scopes")
		}
		e.Msg = b.String()
	case code >= 500:
		e.kind = ErrServer
		e.Msg = fmt.Sprintf("GitHub server error (%d) on %s after %d attempts; retry later", code, subject, maxTries)
	default:
		e.kind = ErrBadResponse
		e.Msg = fmt.Sprintf("unexpected response (%d) on %s", code, subject)
		if msg != "" {
			e.Msg += ": " + msg
		}
	}
}

func (s *Source) primaryMsg(reset, now time.Time) string {
	var b strings.Builder
	b.WriteString("rate limit exhausted")
	if !reset.IsZero() {
		fmt.Fprintf(&b, "; resets at %s (in %s)", reset.UTC().Format(time.RFC3339), humanDuration(reset.Sub(now)))
	}
	switch {
	case s.wait && !reset.IsZero() && reset.Sub(now) > s.maxWait:
		fmt.Fprintf(&b, ", later than the longest wait allowed (%s); retry later", humanDuration(s.maxWait))
	case s.wait:
		b.WriteString("; still limited after waiting: retry later")
	case s.opts.Token == "":
		b.WriteString("; set GITHUB_TOKEN or retry later")
	default:
		b.WriteString("; retry later, or wait for the reset (--on-rate-limit wait)")
	}
	return b.String()
}

func (s *Source) secondaryMsg(until, now time.Time) string {
	msg := fmt.Sprintf("secondary rate limit exceeded; GitHub asks to wait until %s (%s)", until.UTC().Format(time.RFC3339), humanDuration(until.Sub(now)))
	switch {
	case s.wait && until.Sub(now) > s.maxWait:
		msg += fmt.Sprintf(", longer than the longest wait allowed (%s); retry later", humanDuration(s.maxWait))
	case s.wait:
		msg += "; still limited after several waits: retry later with less concurrency"
	default:
		msg += "; retry later, or wait for it (--on-rate-limit wait)"
	}
	return msg
}

// humanDuration prints 14m, 1h5m, 45s.
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	s := d.Round(time.Minute).String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// redact removes the token from a text, whatever reflected it.
func (s *Source) redact(msg string) string {
	if t := s.opts.Token; t != "" {
		msg = strings.ReplaceAll(msg, t, "[REDACTED]")
	}
	return msg
}
