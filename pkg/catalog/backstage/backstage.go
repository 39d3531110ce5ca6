// Package backstage is a catalog source that reads a running Backstage
// catalog over its REST API (GET /api/catalog/entities/by-query, cursor
// pagination), so that catalint can resolve references against what
// Backstage already knows.
//
// Only the standard library is used. The token is sent as
// "Authorization: Bearer TOKEN" and never appears in errors.
package backstage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
)

const (
	// DefaultPageSize is the number of entities asked for per request.
	// Backstage has no upper limit on `limit` (its own default is 200).
	DefaultPageSize = 500
	// DefaultTimeout bounds each request, body included.
	DefaultTimeout = 30 * time.Second
	// MaxPages stops a load that would need more pages than this.
	MaxPages = 10000
	// MaxTries is how often one page is tried before Load gives up.
	MaxTries = 3
	// MaxRetryAfter is the longest Retry-After that Load waits for; a
	// longer one fails the load at once.
	MaxRetryAfter = time.Minute
	// MaxPageSize bounds the body of one page (500 entities of 128 KiB).
	MaxPageSize = 64 << 20
	// MaxEntitySize bounds one entity of a page.
	MaxEntitySize = 16 << 20
	// MaxLoadSize and MaxLoadValues bound the JSON of all pages of one
	// load (bytes, and values as catalog.JSONBudget counts them): about
	// 100,000 entities, under 500 MB of memory.
	MaxLoadSize   = 512 << 20
	MaxLoadValues = 8 << 20
	// maxErrorBody is how much of an error answer is read for its message.
	maxErrorBody = 64 << 10

	apiPath   = "/api/catalog"
	queryPath = apiPath + "/entities/by-query"

	// AnnotationLocation is the file (or URL) an entity was read from.
	AnnotationLocation = "backstage.io/managed-by-location"
	// AnnotationOriginLocation is the registered location that led to it
	// (a Location entity's file, say).
	AnnotationOriginLocation = "backstage.io/managed-by-origin-location"
)

// DefaultFields are the entity fields Load asks for when Options.Fields is
// empty: what catalint's rules read. relations and status are left out.
var DefaultFields = []string{
	"kind", "apiVersion",
	"metadata.name", "metadata.namespace", "metadata.title", "metadata.description",
	"metadata.annotations", "metadata.tags", "metadata.links", "metadata.labels",
	"spec",
}

// requiredFields are added to Options.Fields when it does not cover them:
// Load needs them to name and locate each entity.
var requiredFields = []string{"kind", "metadata.name", "metadata.namespace", "metadata.annotations"}

// Errors that Load's errors wrap, for callers that map them to hints or
// exit codes (errors.Is).
var (
	ErrUnauthorized = errors.New("unauthorised")
	ErrForbidden    = errors.New("forbidden")
	ErrNoCatalog    = errors.New("no catalog API")
)

// Options configure a Source.
type Options struct {
	// BaseURL is the Backstage backend, e.g. https://portal.example.com
	// (what follows "backstage:" on the command line). A path prefix is
	// kept (a backend behind a proxy at /backstage); /api/catalog is added.
	BaseURL string
	// Token is sent as "Authorization: Bearer Token" when set.
	Token string
	// PageSize is the number of entities per request (default 500).
	PageSize int
	// Filter is a by-query filter, e.g. "kind=Group,kind=User" (conditions
	// on the same key are alternatives, on different keys all must hold).
	Filter string
	// Fields selects entity fields (default DefaultFields). kind,
	// metadata.name, metadata.namespace and metadata.annotations are
	// always added.
	Fields []string
	// Timeout bounds each request, from connecting to the last byte of
	// the body (default 30s). A request that times out is not retried.
	Timeout time.Duration
	// HTTPClient defaults to a client on http.DefaultTransport. Its
	// redirect policy is replaced: a redirect to another scheme, host or
	// port is refused, so that the token never leaves the catalog's origin.
	HTTPClient *http.Client
}

// Source reads entities from a Backstage catalog. It implements
// catalog.Source.
type Source struct {
	base     string // normalised: scheme://host[:port][/prefix], no trailing slash
	token    string
	pageSize int
	filter   string
	fields   string
	timeout  time.Duration
	client   *http.Client

	// What the pages of the current load may still use.
	leftBytes, leftValues int64

	// Test hooks.
	maxPages int
	backoff  time.Duration // the first retry delay; doubled per try
	sleep    func(ctx context.Context, d time.Duration) error
}

var _ catalog.Source = (*Source)(nil)

// New checks opts and returns a Source. It does not contact the server.
func New(opts Options) (*Source, error) {
	base, err := normaliseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Source{
		base:     base,
		pageSize: opts.PageSize,
		filter:   strings.TrimSpace(opts.Filter),
		timeout:  opts.Timeout,
		client:   opts.HTTPClient,
		maxPages: MaxPages,
		backoff:  500 * time.Millisecond,
		sleep:    sleepCtx,
	}
	s.token = strings.TrimSpace(opts.Token)
	if strings.IndexFunc(s.token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return nil, fmt.Errorf("%s: the token contains spaces or control characters", s.Name())
	}
	switch {
	case s.pageSize < 0:
		return nil, fmt.Errorf("%s: page size %d is negative", s.Name(), s.pageSize)
	case s.pageSize == 0:
		s.pageSize = DefaultPageSize
	}
	switch {
	case s.timeout < 0:
		return nil, fmt.Errorf("%s: timeout %v is negative", s.Name(), s.timeout)
	case s.timeout == 0:
		s.timeout = DefaultTimeout
	}
	c := &http.Client{}
	if s.client != nil {
		*c = *s.client
	}
	c.CheckRedirect = sameOrigin
	s.client = c
	fields, err := selectFields(opts.Fields)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", s.Name(), err)
	}
	s.fields = strings.Join(fields, ",")
	return s, nil
}

// normaliseBaseURL accepts http(s)://host[:port][/prefix] and returns it
// without a trailing slash.
func normaliseBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("backstage: no URL: give the Backstage backend URL, e.g. backstage:https://portal.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("backstage:%s: not a URL", strings.Map(printable, raw))
	}
	shown := *u
	shown.User = nil // never show credentials
	name := "backstage:" + shown.String()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%s: the URL must start with https:// or http://", name)
	case u.Opaque != "" || u.Host == "":
		return "", fmt.Errorf("%s: the URL has no host", name)
	case u.User != nil:
		return "", fmt.Errorf("%s: the URL must not contain credentials: set BACKSTAGE_TOKEN instead", name)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("%s: the URL must not have a query (?...)", name)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("%s: the URL must not have a fragment (#...)", name)
	case u.Port() != "" && !isPort(u.Port()):
		return "", fmt.Errorf("%s: bad port %q", name, u.Port())
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	if p != "" && path.Clean(p) != p {
		return "", fmt.Errorf("%s: the URL path %q is not clean (//, . or ..)", name, u.Path)
	}
	if lp := strings.ToLower(p); strings.HasSuffix(lp, apiPath) || strings.Contains(lp, apiPath+"/") {
		return "", fmt.Errorf("%s: give the backend's base URL, without %s (catalint adds it)", name, apiPath)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host) + p, nil
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && n < 65536
}

func printable(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// selectFields returns the fields to ask for: fields (or DefaultFields)
// plus the ones Load needs.
func selectFields(fields []string) ([]string, error) {
	var out []string
	for _, f := range fields {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			continue
		case strings.ContainsAny(f, ",[]"):
			return nil, fmt.Errorf("field %q: a field is a dotted path such as metadata.name", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return slices.Clone(DefaultFields), nil
	}
	for _, r := range requiredFields {
		covered := slices.ContainsFunc(out, func(f string) bool { return f == r || strings.HasPrefix(r, f+".") })
		if !covered {
			out = append(out, r)
		}
	}
	return out, nil
}

// Name returns "backstage:" and the normalised base URL.
func (s *Source) Name() string { return "backstage:" + s.base }

// page is one by-query response.
type page struct {
	Items      []map[string]any `json:"items"`
	TotalItems *int             `json:"totalItems"`
	PageInfo   struct {
		NextCursor string `json:"nextCursor"`
		PrevCursor string `json:"prevCursor"`
	} `json:"pageInfo"`
}

// Load reads every entity (matching the filter) page by page, following
// pageInfo.nextCursor, and returns them sorted by kind, namespace and
// name. An entity seen twice (the catalog changed while paging) is kept
// once.
func (s *Source) Load(ctx context.Context) ([]catalog.Entity, error) {
	var (
		out     []keyed
		seen    = map[string]bool{}
		cursors = map[string]int{} // cursor -> the page it leads to
		cursor  string
	)
	s.leftBytes, s.leftValues = MaxLoadSize, MaxLoadValues
	for n := 1; ; n++ {
		if n > s.maxPages {
			return nil, s.errorf(nil, "more than %d pages of %d entities: stopping (narrow the load with a filter, or raise the page size)", s.maxPages, s.pageSize)
		}
		p, err := s.fetch(ctx, n, cursor)
		if err != nil {
			return nil, err
		}
		for i, m := range p.Items {
			e, err := s.toEntity(m)
			if err != nil {
				return nil, s.errorf(nil, "page %d: item %d: %v", n, i+1, err)
			}
			k := strings.ToLower(e.Kind + "\x00" + e.Namespace + "\x00" + e.Name)
			if !seen[k] {
				seen[k] = true
				out = append(out, keyed{k, e})
			}
		}
		next := p.PageInfo.NextCursor
		if next == "" {
			break
		}
		if prev, ok := cursors[next]; ok {
			return nil, s.errorf(nil, "page %d: the catalog returned the cursor of page %d again: stopping, as following it would loop", n, prev)
		}
		cursors[next] = n + 1
		cursor = next
	}
	// By kind, namespace and name, ignoring case (keys are unique).
	slices.SortFunc(out, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	es := make([]catalog.Entity, len(out))
	for i := range out {
		es[i] = out[i].e
	}
	return es, nil
}

// keyed is an entity and its lower-case "kind\x00namespace\x00name".
type keyed struct {
	key string
	e   catalog.Entity
}

func (s *Source) toEntity(m map[string]any) (catalog.Entity, error) {
	if m == nil {
		return catalog.Entity{}, errors.New("not a JSON object")
	}
	kind, _ := m["kind"].(string)
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	if kind == "" || name == "" {
		return catalog.Entity{}, errors.New("not an entity: no kind or metadata.name")
	}
	ns, _ := md["namespace"].(string)
	if ns == "" {
		ns = entity.DefaultNamespace
	}
	return catalog.Entity{
		Kind: kind, Namespace: ns, Name: name,
		Location: s.location(kind, ns, name, md),
		Source:   s.Name(),
		Raw:      m,
	}, nil
}

// location is where the entity is defined: the managed-by-location
// annotation (the file that holds it), else managed-by-origin-location
// (the registered location that led to it), without its "url:" or "file:"
// type; else the entity's by-name API URL.
func (s *Source) location(kind, ns, name string, md map[string]any) string {
	ann, _ := md["annotations"].(map[string]any)
	for _, k := range []string{AnnotationLocation, AnnotationOriginLocation} {
		v, _ := ann[k].(string)
		if v == "" {
			continue
		}
		for _, t := range []string{"url:", "file:"} {
			if after, ok := strings.CutPrefix(v, t); ok && after != "" {
				return after
			}
		}
		return v
	}
	return s.base + apiPath + "/entities/by-name/" + url.PathEscape(kind) + "/" + url.PathEscape(ns) + "/" + url.PathEscape(name)
}

// pageURL is the by-query URL of a page. Backstage takes filter (and
// orderField) from the cursor once there is one and ignores them then;
// limit and fields must be sent with every request.
func (s *Source) pageURL(cursor string) string {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(s.pageSize))
	q.Set("fields", s.fields)
	if cursor != "" {
		q.Set("cursor", cursor)
	} else if s.filter != "" {
		q.Set("filter", s.filter)
	}
	return s.base + queryPath + "?" + q.Encode()
}

// attemptError is why one request failed.
type attemptError struct {
	msg   string
	retry bool
	after time.Duration // Retry-After, when the server sent one
	cause error         // wrapped by the final error
}

func (e *attemptError) Error() string { return e.msg }

// fetch gets one page, retrying timeouts, connection errors, 429 and 5xx.
func (s *Source) fetch(ctx context.Context, n int, cursor string) (*page, error) {
	u := s.pageURL(cursor)
	for try := 1; ; try++ {
		p, aerr := s.attempt(ctx, n, u)
		if aerr == nil {
			return p, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, s.errorf(err, "page %d: %v", n, err)
		}
		if !aerr.retry {
			return nil, s.errorf(aerr.cause, "%s", aerr.msg)
		}
		if try == MaxTries {
			return nil, s.errorf(aerr.cause, "%s (gave up after %d tries)", aerr.msg, try)
		}
		delay := aerr.after
		if delay == 0 {
			d := s.backoff << (try - 1)
			delay = d - d/5 + rand.N(d/5*2+1) // ±20%
		}
		if err := s.sleep(ctx, delay); err != nil {
			return nil, s.errorf(err, "page %d: %v (while waiting to retry: %s)", n, err, aerr.msg)
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attempt makes one request for page n.
func (s *Source) attempt(ctx context.Context, n int, u string) (*page, *attemptError) {
	actx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &attemptError{msg: fmt.Sprintf("page %d: %v", n, err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "catalint")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, s.transportError(actx, n, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		p, aerr := s.decodePage(n, resp.Header.Get("Content-Type"), resp.Body)
		if aerr != nil && aerr.cause != nil && !errors.As(aerr.cause, new(*catalog.LimitError)) {
			return nil, s.transportError(actx, n, aerr.cause)
		}
		return p, aerr
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return nil, s.transportError(actx, n, err)
	}
	status := fmt.Sprintf("(%d)", resp.StatusCode)
	detail := s.serverMessage(body)
	switch c := resp.StatusCode; {
	case c == http.StatusUnauthorized:
		return nil, &attemptError{cause: ErrUnauthorized, msg: "unauthorised " + status + ": set BACKSTAGE_TOKEN to a token the catalog accepts" + detail}
	case c == http.StatusForbidden:
		return nil, &attemptError{cause: ErrForbidden, msg: "forbidden " + status + ": the token is not allowed to read the catalog (check its access restrictions and permissions)" + detail}
	case c == http.StatusNotFound:
		return nil, &attemptError{cause: ErrNoCatalog, msg: "no catalog API at " + s.base + apiPath + " " + status + ": is this the Backstage backend URL?"}
	case c == http.StatusTooManyRequests || c >= 500:
		what := "rate limited"
		if c >= 500 {
			what = "server error"
		}
		ae := &attemptError{retry: true, msg: fmt.Sprintf("page %d: %s %s%s", n, what, status, detail)}
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			if d > MaxRetryAfter {
				ae.retry = false
				ae.msg += fmt.Sprintf(": the catalog asks to retry after %v; try again later", d)
			}
			ae.after = max(d, time.Millisecond)
		}
		return nil, ae
	case c == http.StatusBadRequest:
		return nil, &attemptError{msg: fmt.Sprintf("page %d: the catalog rejected the request %s%s", n, status, detail)}
	default:
		return nil, &attemptError{msg: fmt.Sprintf("page %d: unexpected response %d %s%s", n, c, http.StatusText(c), detail)}
	}
}

// transportError describes a failed request without its URL. A timeout is
// not retried: a server that does not answer in time once seldom does the
// next time, and three tries would triple the wait.
func (s *Source) transportError(actx context.Context, n int, err error) *attemptError {
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return &attemptError{msg: fmt.Sprintf("page %d: no complete answer within %v (--timeout)", n, s.timeout)}
	}
	var re *redirectError
	if errors.As(err, &re) {
		return &attemptError{msg: fmt.Sprintf("page %d: %v", n, re)}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &attemptError{msg: fmt.Sprintf("page %d: timed out: %v", n, err)}
	}
	return &attemptError{retry: true, msg: fmt.Sprintf("page %d: cannot reach the catalog: %v", n, err)}
}

// redirectError is a redirect that was not followed.
type redirectError struct{ to string }

func (e *redirectError) Error() string {
	return "the catalog redirected to another origin (" + e.to + "): not followed, so that the token is not sent there; give the URL it redirects to as backstage:URL"
}

// sameOrigin is the redirect policy: follow (up to 10 times) only within
// the scheme, host and port of the first request.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	from := via[0].URL
	if req.URL.Scheme != from.Scheme || !strings.EqualFold(req.URL.Host, from.Host) {
		return &redirectError{to: req.URL.Scheme + "://" + req.URL.Host}
	}
	return nil
}

// decodePage parses a 200 response as it arrives: the items one at a time,
// at most the page size of them, within the page's and the load's budget.
// A read error is returned as the attemptError's cause.
func (s *Source) decodePage(n int, contentType string, body io.Reader) (*page, *attemptError) {
	rec := &readRecorder{r: body}
	br := bufio.NewReaderSize(rec, 4096)
	head, _ := br.Peek(512)
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "text/html" || bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("<")) {
		return nil, &attemptError{msg: fmt.Sprintf("page %d: got an HTML page, not catalog JSON (a login page, or the frontend?): is this the Backstage backend URL?", n)}
	}
	budget := &catalog.JSONBudget{R: br, What: "the page", Part: "an entity",
		MaxBytes: min(MaxPageSize, s.leftBytes), MaxValues: s.leftValues, MaxPart: MaxEntitySize}
	p, err := s.decodeItems(json.NewDecoder(budget), budget)
	s.leftBytes -= budget.Bytes
	s.leftValues -= budget.Values
	var le *catalog.LimitError
	switch {
	case err != nil && rec.err != nil && rec.err != io.EOF && !errors.As(err, &le):
		// The connection failed (reset, or short of its Content-Length):
		// not the catalog's JSON, worth another try.
		return nil, &attemptError{cause: rec.err}
	case errors.As(err, &le):
		msg := le.Error()
		switch {
		case !le.Part && !le.Bytes:
			msg = fmt.Sprintf("the catalog's answers hold more than %d JSON values in all", MaxLoadValues)
		case !le.Part && le.Limit < MaxPageSize:
			msg = fmt.Sprintf("the catalog's answers are larger than %d MiB in all", MaxLoadSize>>20)
		}
		return nil, &attemptError{cause: err, msg: fmt.Sprintf("page %d: %s: stopping", n, msg)}
	case err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)):
		return nil, &attemptError{msg: fmt.Sprintf("page %d: malformed response: it ends early", n)}
	case err != nil:
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, errMalformed) {
			return nil, &attemptError{msg: fmt.Sprintf("page %d: malformed response: %v", n, err)}
		}
		return nil, &attemptError{cause: err, msg: fmt.Sprintf("page %d: %v", n, err)}
	}
	if p.Items == nil {
		return nil, &attemptError{msg: fmt.Sprintf("page %d: malformed response: no \"items\" list", n)}
	}
	return p, nil
}

var errMalformed = errors.New("not a page of entities")

// readRecorder keeps the error a body's read ended with.
type readRecorder struct {
	r   io.Reader
	err error
}

func (r *readRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil {
		r.err = err
	}
	return n, err
}

// decodeItems reads {"items": [...], "totalItems": N, "pageInfo": {...}}.
func (s *Source) decodeItems(dec *json.Decoder, budget *catalog.JSONBudget) (*page, error) {
	var p page
	err := catalog.StreamObject(dec, func(key string) error {
		switch key {
		case "items":
			p.Items = []map[string]any{}
			return catalog.StreamArray(dec, func() error {
				if len(p.Items) == s.pageSize {
					return fmt.Errorf("%w: more than the %d entities asked for", errMalformed, s.pageSize)
				}
				budget.Mark()
				var m map[string]any
				if err := dec.Decode(&m); err != nil {
					return err
				}
				p.Items = append(p.Items, m)
				return nil
			})
		case "totalItems":
			return dec.Decode(&p.TotalItems)
		case "pageInfo":
			return dec.Decode(&p.PageInfo)
		}
		return catalog.Skip(dec)
	})
	var se *catalog.ShapeError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%w: %v", errMalformed, se)
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// serverMessage returns ": " and the error message of a Backstage error
// body ({"error": {"name", "message"}, "response": {"statusCode"}}),
// shortened, or "".
func (s *Source) serverMessage(body []byte) string {
	var eb struct {
		Error struct {
			Name    string `json:"name"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &eb) != nil || eb.Error.Message == "" {
		return ""
	}
	m := strings.Join(strings.Fields(strings.Map(printable, eb.Error.Message)), " ")
	if r := []rune(m); len(r) > 300 {
		m = string(r[:300]) + "…"
	}
	if eb.Error.Name != "" && eb.Error.Name != "Error" {
		m = eb.Error.Name + ": " + m
	}
	return " (the catalog said: " + m + ")"
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, 1<<31)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// sourceError is an error of Load: the source's name and the cause, with
// the token removed.
type sourceError struct {
	msg   string
	cause error
}

func (e *sourceError) Error() string { return e.msg }
func (e *sourceError) Unwrap() error { return e.cause }

func (s *Source) errorf(cause error, format string, args ...any) error {
	msg := s.Name() + ": " + fmt.Sprintf(format, args...)
	if s.token != "" {
		msg = strings.ReplaceAll(msg, s.token, "[token]")
	}
	return &sourceError{msg: msg, cause: cause}
}
