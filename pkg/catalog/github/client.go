package github

import (
	"net/http"
	"time"

	gh "github.com/google/go-github/v92/github"
)

// ClientOptions configure NewClient. They mean what the fields of the same
// names mean in Options.
type ClientOptions struct {
	// BaseURL is the API's base URL; "" means https://api.github.com/ (in
	// GitHub Actions, GITHUB_API_URL).
	BaseURL string
	// Token authenticates requests (sent only to BaseURL's host). It is
	// never printed, stored or put in an error.
	Token string
	// OnRateLimit is "fail" (the default) or "wait"; MaxWait bounds one
	// wait (default 15m).
	OnRateLimit string
	MaxWait     time.Duration
	// RequestsPerMinute paces requests (0: GitHub's default pace against
	// api.github.com and *.ghe.com, none elsewhere; < 0: none).
	RequestsPerMinute int
	// Timeout bounds each request, body included (default
	// DefaultTimeout; < 0: none).
	Timeout time.Duration
	// HTTPClient, when set, provides the transport (and redirect policy).
	HTTPClient *http.Client
}

// clientPlaceholderOrg names the Source that NewClient builds its client
// with; no request uses it.
const clientPlaceholderOrg = "catalint-client"

// NewClient returns a go-github client for the REST API at BaseURL whose
// transport is the one a Source uses: the token goes to the API host only,
// 5xx responses and network errors are retried with exponential backoff
// (3 attempts), rate limits fail (or are waited out with OnRateLimit
// "wait"), and requests are paced against api.github.com. It sends no
// request. Errors that the client returns are go-github's
// (*github.ErrorResponse, *github.RateLimitError, …) and do not hold the
// token, which only travels in the Authorization header.
func NewClient(opts ClientOptions) (*gh.Client, error) {
	s, err := New(Options{
		Org: clientPlaceholderOrg, BaseURL: opts.BaseURL, Token: opts.Token,
		OnRateLimit: opts.OnRateLimit, MaxWait: opts.MaxWait,
		RequestsPerMinute: opts.RequestsPerMinute, Timeout: opts.Timeout, HTTPClient: opts.HTTPClient,
	})
	if err != nil {
		return nil, err
	}
	return s.client, nil
}
