package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// maxTries bounds the attempts of one request that fails with a 5xx
// response or a network error.
const maxTries = 3

// maxRateLimitTries bounds the attempts of one request that meets a rate
// limit while OnRateLimit is "wait".
const maxRateLimitTries = 5

// maxErrorBody is how much of an error response is read to classify it.
const maxErrorBody = 64 << 10

// MaxResponseSize bounds the body of one response. GitHub's largest
// answers are a recursive tree (at most 7 MB), a file's contents (base64
// of up to 1 MB) and a raw file (read up to load.DefaultMaxFileSize); a
// page of 100 repositories is under 1 MB. A larger body is an error, so
// that no answer can exhaust memory.
const MaxResponseSize = 16 << 20

// MaxResponseValues bounds the JSON values of one response (commas, colons
// and opening brackets, as catalog.JSONBudget counts them): a recursive tree
// of 100,000 entries has about 1.2 million. go-github decodes some answers
// (comments of a pull request, errors) into structs of a hundred bytes or
// more each, so a body of "{}," would otherwise cost thirty times its size.
const MaxResponseValues = 2 << 20

// DefaultTimeout bounds one request, from connecting to the last byte of
// the body, when Options.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// netError is a request that failed in a way worth saying plainly: no
// answer in time, or an answer over MaxResponseSize. It is not retried.
type netError struct {
	msg  string
	kind error
}

func (e *netError) Error() string { return e.msg }
func (e *netError) Unwrap() error { return e.kind }

func (t *transport) timeoutError() error {
	return &netError{msg: fmt.Sprintf("no complete answer within %s (--timeout)", t.timeout), kind: ErrUnreachable}
}

func tooLargeError() error {
	return &netError{msg: fmt.Sprintf("the response is larger than %d MiB", MaxResponseSize>>20), kind: ErrBadResponse}
}

func tooManyValuesError() error {
	return &netError{msg: fmt.Sprintf("the response holds more than %d JSON values", MaxResponseValues), kind: ErrBadResponse}
}

// isJSON says whether a response's media type is JSON.
func isJSON(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// countValues counts a JSON body's values as JSONBudget does.
func countValues(b []byte) int64 {
	jb := &catalog.JSONBudget{R: bytes.NewReader(b), Verbatim: true}
	_, _ = io.Copy(io.Discard, jb)
	return jb.Values
}

// counters are the transport's statistics, safe for concurrent use.
type counters struct {
	requests, notModified, retries, negHits atomic.Int64
	bytes                                   atomic.Int64
	waited                                  atomic.Int64 // nanoseconds
	// rateRemaining is the last X-RateLimit-Remaining seen, plus one
	// (0: none seen yet), of REST responses; gqlRemaining the same of
	// GraphQL responses (X-RateLimit-Resource: graphql), a budget of its
	// own.
	rateRemaining, gqlRemaining atomic.Int64
}

// transport is the http.RoundTripper under the go-github client. It adds
// the token (to requests for the API host only), revalidates cached GET
// responses with If-None-Match, retries 5xx responses and network errors
// with exponential backoff, paces requests, and waits out rate limits when
// asked to. It never puts the token in an error.
type transport struct {
	base    http.RoundTripper
	apiHost string
	token   string
	cache   *diskCache
	stats   *counters
	wait    bool
	maxWait time.Duration
	backoff time.Duration // first retry delay; doubles each retry
	pacer   *pacer
	// timeout bounds each attempt, body included (0: none).
	timeout time.Duration

	mu   sync.Mutex
	gate time.Time // in wait mode, no request starts before this

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var (
		key    string
		cached *cacheEntry
	)
	if t.cache != nil && req.Method == http.MethodGet {
		key = cacheKey(req)
		cached = t.cache.get(key)
	}
	tries, rlTries := 0, 0
	// again counts a network failure and waits before the next try; it
	// says false, with the error to return, when the context has ended or
	// the tries are used up.
	again := func(cause error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		tries++
		if tries >= maxTries {
			return false, cause
		}
		t.stats.retries.Add(1)
		if err := t.sleep(ctx, t.backoffFor(tries)); err != nil {
			return false, err
		}
		return true, nil
	}
	for {
		if err := t.waitGate(ctx); err != nil {
			return nil, err
		}
		if t.pacer != nil {
			if err := t.pacer.wait(ctx, t.sleep); err != nil {
				return nil, err
			}
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if t.timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, t.timeout)
		}
		// timedOut says whether an attempt failed for its own deadline
		// (not the caller's).
		timedOut := func() bool { return ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) }
		r := req.Clone(actx)
		if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
			// A POST (GraphQL) sent again needs its body again.
			b, err := req.GetBody()
			if err != nil {
				cancel()
				return nil, err
			}
			r.Body = b
		}
		if t.token != "" && strings.EqualFold(r.URL.Host, t.apiHost) {
			r.Header.Set("Authorization", "Bearer "+t.token)
		} else {
			r.Header.Del("Authorization")
		}
		if cached != nil {
			r.Header.Set("If-None-Match", cached.ETag)
			if cached.LastModified != "" {
				r.Header.Set("If-Modified-Since", cached.LastModified)
			}
		}
		t.stats.requests.Add(1)
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			cancel()
			if timedOut() {
				return nil, t.timeoutError()
			}
			if retry, err := again(err); !retry {
				return nil, err
			}
			continue
		}
		if n, perr := strconv.ParseInt(resp.Header.Get("X-RateLimit-Remaining"), 10, 64); perr == nil {
			if strings.EqualFold(resp.Header.Get("X-RateLimit-Resource"), "graphql") {
				t.stats.gqlRemaining.Store(n + 1)
			} else {
				t.stats.rateRemaining.Store(n + 1)
			}
		}
		switch code := resp.StatusCode; {
		case code == http.StatusNotModified && cached != nil:
			discard(resp)
			cancel()
			t.stats.notModified.Add(1)
			return cached.response(req, resp.Header), nil

		case code >= 500 && code != http.StatusNotImplemented:
			tries++
			if tries < maxTries {
				discard(resp)
				cancel()
				t.stats.retries.Add(1)
				d := t.backoffFor(tries)
				if ra := retryAfter(resp.Header); ra > d && ra <= time.Minute {
					d = ra
				}
				if err := t.sleep(ctx, d); err != nil {
					return nil, err
				}
				continue
			}
			return t.bound(resp, actx, cancel, timedOut), nil

		case code == http.StatusForbidden || code == http.StatusTooManyRequests:
			body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			discard(resp)
			cancel()
			t.stats.bytes.Add(int64(len(body)))
			resp.Body = io.NopCloser(bytes.NewReader(body))
			rl := classifyRateLimit(resp, body, t.now(), rlTries)
			if rl.kind != notLimited && t.wait && rlTries < maxRateLimitTries && rl.until.Sub(t.now()) <= t.maxWait {
				rlTries++
				t.stats.retries.Add(1)
				t.raiseGate(rl.until)
				continue
			}
			return resp, nil

		case code == http.StatusOK && key != "":
			body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
			resp.Body.Close()
			cancel()
			t.stats.bytes.Add(int64(len(body)))
			switch {
			case err != nil && timedOut():
				return nil, t.timeoutError()
			case err == nil && len(body) > MaxResponseSize:
				return nil, tooLargeError()
			case err == nil && isJSON(resp.Header) && countValues(body) > MaxResponseValues:
				return nil, tooManyValuesError()
			case err == nil && !validBody(resp.Header, body):
				// Not what it claims to be: never cached, so that a later
				// run asks again rather than replaying it.
				t.cache.remove(key)
				resp.Body = io.NopCloser(bytes.NewReader(body))
				resp.ContentLength = int64(len(body))
				return resp, nil
			}
			if err != nil {
				if retry, err := again(err); !retry {
					return nil, err
				}
				continue
			}
			t.cache.put(key, req.URL.String(), resp, body)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil

		default:
			if key != "" && (code == http.StatusNotFound || code == http.StatusGone) {
				t.cache.remove(key)
			}
			return t.bound(resp, actx, cancel, timedOut), nil
		}
	}
}

// backoffFor is the delay before retry n (1-based): backoff·2^(n-1), with
// up to 25% jitter so that workers do not retry in step.
func (t *transport) backoffFor(n int) time.Duration {
	d := t.backoff << (n - 1)
	if d <= 0 {
		return 0
	}
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

// waitGate blocks until the shared rate-limit gate has passed.
func (t *transport) waitGate(ctx context.Context) error {
	t.mu.Lock()
	g := t.gate
	t.mu.Unlock()
	if d := g.Sub(t.now()); d > 0 {
		return t.sleep(ctx, d)
	}
	return ctx.Err()
}

// raiseGate moves the gate to until when that is later, and accounts the
// wall time added to the scan.
func (t *transport) raiseGate(until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	from := t.gate
	if now := t.now(); from.Before(now) {
		from = now
	}
	if until.After(from) {
		t.stats.waited.Add(int64(until.Sub(from)))
		t.gate = until
	}
}

// bound hands a response on with a body that counts what is read, fails
// past MaxResponseSize, says plainly when the attempt's deadline ends the
// read, and releases the attempt's context when closed.
func (t *transport) bound(resp *http.Response, actx context.Context, cancel context.CancelFunc, timedOut func() bool) *http.Response {
	if resp.Body == nil {
		cancel()
		return resp
	}
	b := &boundedBody{ReadCloser: resp.Body, src: resp.Body, n: &t.stats.bytes, left: MaxResponseSize, cancel: cancel, timedOut: timedOut, t: t}
	if resp.StatusCode >= 400 {
		// An error's body is only read for its message.
		b.left, b.cut = maxErrorBody, true
	}
	if isJSON(resp.Header) {
		b.src = &catalog.JSONBudget{R: resp.Body, Verbatim: true, MaxValues: MaxResponseValues}
	}
	resp.Body = b
	return resp
}

type boundedBody struct {
	io.ReadCloser
	src      io.Reader // the body, through a JSONBudget for JSON
	cut      bool      // past left, end the body rather than fail
	n        *atomic.Int64
	left     int64
	cancel   context.CancelFunc
	timedOut func() bool
	t        *transport
}

func (c *boundedBody) Read(p []byte) (int, error) {
	if c.left <= 0 && c.cut {
		return 0, io.EOF
	}
	if c.left <= 0 {
		// One byte more tells a body of exactly the limit from a larger one.
		var b [1]byte
		n, err := c.src.Read(b[:])
		if n > 0 {
			return 0, tooLargeError()
		}
		return 0, c.explain(err)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.src.Read(p)
	c.left -= int64(n)
	c.n.Add(int64(n))
	return n, c.explain(err)
}

// explain replaces the error of a read that the attempt's deadline cut.
func (c *boundedBody) explain(err error) error {
	var le *catalog.LimitError
	switch {
	case err != nil && err != io.EOF && c.timedOut():
		return c.t.timeoutError()
	case errors.As(err, &le):
		return tooManyValuesError()
	}
	return err
}

func (c *boundedBody) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// validBody says whether a body that claims to be JSON is JSON; other
// media types (raw files) are taken as they are.
func validBody(h http.Header, body []byte) bool {
	return !isJSON(h) || json.Valid(body)
}

// discard drains a little of a body, so that the connection can be
// reused, and closes it.
func discard(resp *http.Response) {
	if resp.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
	}
}

// rateLimitKind says which of GitHub's rate limits a response reports.
type rateLimitKind int

const (
	notLimited rateLimitKind = iota
	primaryLimit
	secondaryLimit
)

type rateLimit struct {
	kind  rateLimitKind
	until time.Time // when a retry may be sent
	reset time.Time // x-ratelimit-reset, when given
}

// classifyRateLimit applies GitHub's documented rules to a 403 or 429
// response: x-ratelimit-remaining 0 is the primary limit (retry after
// x-ratelimit-reset); a retry-after header or a "secondary rate limit"
// message is a secondary limit (retry after retry-after seconds, else after
// x-ratelimit-reset when remaining is 0, else after at least a minute,
// growing with each retry). Any other 403 (missing scope, SSO, blocked) is
// not a rate limit. tries is how many times the request already met a limit.
func classifyRateLimit(resp *http.Response, body []byte, now time.Time, tries int) rateLimit {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return rateLimit{}
	}
	h := resp.Header
	var reset time.Time
	if v, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && v > 0 {
		reset = time.Unix(v, 0)
	}
	exhausted := h.Get("X-RateLimit-Remaining") == "0"
	var msg struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	_ = json.Unmarshal(body, &msg)
	lower := strings.ToLower(msg.Message)
	secondary := h.Get("Retry-After") != "" ||
		strings.Contains(lower, "secondary rate limit") || strings.Contains(lower, "abuse") ||
		strings.HasSuffix(msg.DocumentationURL, "secondary-rate-limits") ||
		strings.HasSuffix(msg.DocumentationURL, "#abuse-rate-limits")
	switch {
	case secondary:
		rl := rateLimit{kind: secondaryLimit, reset: reset}
		switch ra := retryAfter(h); {
		case ra > 0 || h.Get("Retry-After") != "":
			rl.until = now.Add(ra)
		case exhausted && !reset.IsZero():
			rl.until = reset.Add(time.Second)
		default:
			rl.until = now.Add(time.Minute << min(tries, 4))
		}
		return rl
	case exhausted:
		rl := rateLimit{kind: primaryLimit, reset: reset, until: reset.Add(time.Second)}
		if reset.IsZero() {
			rl.until = now.Add(time.Minute)
		}
		return rl
	case resp.StatusCode == http.StatusTooManyRequests:
		return rateLimit{kind: secondaryLimit, until: now.Add(time.Minute << min(tries, 4))}
	}
	return rateLimit{}
}

// retryAfter reads a Retry-After header given in seconds (GitHub's form) or
// as an HTTP date.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}

// pacer spaces requests out to at most perMinute per minute, with a small
// burst: a token bucket whose waiters reserve their slot.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	burst    float64
	tokens   float64
	last     time.Time
	now      func() time.Time
}

func newPacer(perMinute int, now func() time.Time) *pacer {
	burst := float64(min(10, perMinute))
	return &pacer{interval: time.Minute / time.Duration(perMinute), burst: burst, tokens: burst, last: now(), now: now}
}

func (p *pacer) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	p.mu.Lock()
	now := p.now()
	p.tokens = min(p.burst, p.tokens+float64(now.Sub(p.last))/float64(p.interval))
	p.last = now
	p.tokens--
	var d time.Duration
	if p.tokens < 0 {
		d = time.Duration(-p.tokens * float64(p.interval))
	}
	p.mu.Unlock()
	return sleep(ctx, d)
}
