// Package github is a catalog source that scans a GitHub organisation (or a
// GitHub Enterprise one): it lists the organisation's repositories, reads
// each repository's catalog file(s) from its default branch through the
// REST API, follows the Location entities they hold inside the same
// repository, and returns their entities.
//
// It is written for GitHub's documented limits: repositories are listed
// 100 a page following the Link header; file contents come from the
// contents API (base64 JSON, with a raw download for files over 1 MB);
// content requests run in a bounded pool; with a cache folder, responses
// are kept with their ETag and revalidated with If-None-Match, so that a
// re-run downloads nothing unchanged and its 304 responses do not count
// against the primary rate limit; 5xx responses and network errors are
// retried with exponential backoff; primary and secondary rate limits
// either fail the scan with a clear error or are waited out.
//
// With a token, Load reads the organisation through the GraphQL API
// instead where the server offers it (graphql.go): about one request per
// 100 repositories, the same entities, REST as the fallback.
package github

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	gh "github.com/google/go-github/v92/github"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Defaults of Options.
const (
	// DefaultConcurrency is the number of content requests in flight. It
	// is well under GitHub's limit of 100 concurrent requests, and scans
	// 2,000 repositories in about 7 s at 50 ms a request.
	DefaultConcurrency = 16
	// MaxConcurrency caps Options.Concurrency.
	MaxConcurrency = 64
	// DefaultMaxWait bounds one wait for a rate limit with OnRateLimit "wait".
	DefaultMaxWait = 15 * time.Minute
	// GitHubRequestsPerMinute is the pace used against api.github.com and
	// GHE.com when Options.RequestsPerMinute is 0: under GitHub's
	// documented secondary limit of 900 points a minute for REST
	// endpoints (a GET costs 1 point).
	GitHubRequestsPerMinute = 800
	// DefaultPath is the catalog file read in each repository.
	DefaultPath = "catalog-info.yaml"
	// maxFilesPerRepo bounds the files read in one repository, Location
	// targets included.
	maxFilesPerRepo = 1000
	// defaultBaseURL is GitHub's API.
	defaultBaseURL = "https://api.github.com/"
)

// Options configure a Source.
type Options struct {
	// Org is the organisation to scan.
	Org string
	// BaseURL is the API's base URL; "" means https://api.github.com/.
	// For GitHub Enterprise Server it is https://HOST/api/v3/ (what
	// GITHUB_API_URL holds in GitHub Actions); a bare https://HOST/ gets
	// api/v3/ appended.
	BaseURL string
	// Token authenticates requests (sent only to BaseURL's host). It is
	// never printed, stored or put in an error.
	Token string
	// Paths are the catalog files read in each repository, relative to its
	// root; default ["catalog-info.yaml"].
	Paths []string
	// IncludeArchived and IncludeForks scan archived and forked
	// repositories too.
	IncludeArchived, IncludeForks bool
	// Concurrency is the number of repositories scanned at once, so of
	// content requests in flight (the listing adds one); default
	// DefaultConcurrency, at most MaxConcurrency.
	Concurrency int
	// CacheDir keeps responses on disk with their ETags, to send
	// conditional requests on the next run; "" means no cache.
	CacheDir string
	// OnRateLimit is "fail" (the default: an error naming when the limit
	// resets) or "wait" (sleep until the reset or Retry-After, at most
	// MaxWait at a time, then retry).
	OnRateLimit string
	// MaxWait is the longest single wait for a rate limit; default 15m.
	MaxWait time.Duration
	// RequestsPerMinute paces requests. 0 means GitHubRequestsPerMinute
	// against api.github.com and *.ghe.com and no pacing elsewhere (GitHub
	// Enterprise Server has rate limits off by default); < 0 means no
	// pacing.
	RequestsPerMinute int
	// Timeout bounds each request, from connecting to the last byte of
	// the body (default DefaultTimeout; < 0: none). A request that times
	// out is not retried: the scan fails.
	Timeout time.Duration
	// HTTPClient, when set, provides the transport (and redirect policy);
	// its Timeout, if any, also bounds waits for rate limits.
	HTTPClient *http.Client
	// Progress, when set, is called after each repository is scanned
	// (from the scanning goroutines: it must be safe for concurrent use).
	Progress func(Stats)
	// API is the API the organisation is read through: "auto" (the
	// default, ""): GraphQL when a token is set and the server offers it,
	// REST otherwise; "graphql": GraphQL only (an error where it is not
	// offered); "rest": REST only. See graphql.go.
	API string
}

// Repo is one repository that was scanned.
type Repo struct {
	// Name is the repository's name, FullName "owner/name".
	Name, FullName string
	DefaultBranch  string
	Archived, Fork bool
	// CreatedAt is when the repository was created (the listing's
	// created_at); zero when GitHub did not say.
	CreatedAt time.Time
	// CatalogFiles are the catalog files found, sorted: the Paths that
	// exist and the files Location entities point at. Empty means the
	// repository has no catalog file.
	CatalogFiles []string
	// InvalidFiles are the catalog files that did not parse (wholly or in
	// part); their valid documents are still loaded.
	InvalidFiles []string
}

// Stats count what the last Load did.
type Stats struct {
	// Requests is the number of HTTP requests sent, retries and
	// conditional requests included.
	Requests int
	// NotModified is the number of 304 responses (served from the cache).
	NotModified int
	// Retries is the number of requests sent again after a 5xx response,
	// a network error or a rate limit.
	Retries int
	// BytesDownloaded is the size of the response bodies received.
	BytesDownloaded int64
	// KnownAbsent is the number of requests not sent because the cache
	// knew the file was absent from an unchanged repository.
	KnownAbsent int
	// Repos is the number of repositories scanned, Skipped the number
	// listed but not scanned (archived, forks, disabled).
	Repos, Skipped int
	// Files is the number of catalog files read, InvalidFiles the number
	// of those that did not parse (wholly or in part).
	Files, InvalidFiles int
	// RateLimitWait is how long the scan waited for rate limits.
	RateLimitWait time.Duration
	// RateLimitRemaining is the last X-RateLimit-Remaining GitHub sent,
	// -1 when none was seen.
	RateLimitRemaining int
	// Scanned is the number of repositories scanned so far.
	Scanned int
	// API is the API the last Load read the organisation through:
	// "graphql" or "rest". Fallback says why an "auto" scan used REST
	// ("" when it did not fall back).
	API, Fallback string
	// GraphQLQueries is the number of GraphQL queries answered;
	// GraphQLPoints the sum of their costs as GitHub reported them
	// (rateLimit.cost); GraphQLRemaining and GraphQLLimit the last
	// rateLimit.remaining and limit GitHub reported (-1: none), and
	// GraphQLResetAt when that window resets. GraphQL points are a budget
	// of their own, apart from REST's requests.
	GraphQLQueries, GraphQLPoints  int
	GraphQLRemaining, GraphQLLimit int
	GraphQLResetAt                 time.Time
}

// Source scans a GitHub organisation. Load must not be called
// concurrently with itself.
type Source struct {
	opts    Options
	paths   []string
	conc    int
	wait    bool
	maxWait time.Duration
	apiBase *url.URL
	webBase string
	client  *gh.Client
	tr      *transport
	cache   *diskCache
	tokenFP string

	api    string // "auto", "graphql" or "rest"
	gqlURL string

	mu      sync.Mutex
	repos   []*repoScan
	stats   Stats
	scanned atomic.Int64
}

var _ catalog.Source = (*Source)(nil)

// New checks the options and prepares a Source; it sends no request.
func New(opts Options) (*Source, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("github: %w: %s", errInvalidInput, fmt.Sprintf(format, args...))
	}
	if !validOrg(opts.Org) {
		return nil, bad("organisation name %q is not valid", opts.Org)
	}
	s := &Source{opts: opts, conc: opts.Concurrency, maxWait: opts.MaxWait}
	if s.conc <= 0 {
		s.conc = DefaultConcurrency
	}
	s.conc = min(s.conc, MaxConcurrency)
	if s.maxWait <= 0 {
		s.maxWait = DefaultMaxWait
	}
	switch opts.OnRateLimit {
	case "", "fail":
	case "wait":
		s.wait = true
	default:
		return nil, bad("OnRateLimit must be \"fail\" or \"wait\", not %q", opts.OnRateLimit)
	}
	switch opts.API {
	case "", APIAuto:
		s.api = APIAuto
	case APIGraphQL, APIREST:
		s.api = opts.API
	default:
		return nil, bad("API must be \"auto\", \"graphql\" or \"rest\", not %q", opts.API)
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{DefaultPath}
	}
	for _, p := range paths {
		c := path.Clean(strings.TrimPrefix(p, "./"))
		if p == "" || strings.HasPrefix(p, "/") || c == "." || c == ".." || strings.HasPrefix(c, "../") || strings.ContainsAny(p, "\\\x00?#") {
			return nil, bad("catalog path %q must be a relative path inside the repository", p)
		}
		if !slices.Contains(s.paths, c) {
			s.paths = append(s.paths, c)
		}
	}

	base, err := apiBaseURL(opts.BaseURL)
	if err != nil {
		return nil, bad("%v", err)
	}
	s.apiBase = base
	s.webBase = webBaseURL(base)
	s.gqlURL = graphqlURL(base)

	var rt http.RoundTripper
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		*hc = *opts.HTTPClient
		rt = opts.HTTPClient.Transport
	}
	if rt == nil {
		dt := http.DefaultTransport.(*http.Transport).Clone()
		dt.MaxIdleConnsPerHost = s.conc + 2
		dt.ResponseHeaderTimeout = time.Minute
		dt.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		rt = dt
	}
	s.tokenFP = tokenFingerprint(opts.Token)
	s.tr = &transport{
		base: rt, apiHost: base.Host, token: opts.Token, stats: &counters{},
		wait: s.wait, maxWait: s.maxWait, backoff: 500 * time.Millisecond,
		now: time.Now, sleep: sleepCtx, timeout: opts.Timeout,
	}
	switch {
	case opts.Timeout == 0:
		s.tr.timeout = DefaultTimeout
	case opts.Timeout < 0:
		s.tr.timeout = 0
	}
	perMinute := opts.RequestsPerMinute
	if perMinute == 0 && (base.Host == "api.github.com" || strings.HasSuffix(base.Host, ".ghe.com")) {
		perMinute = GitHubRequestsPerMinute
	}
	if perMinute > 0 {
		s.tr.pacer = newPacer(perMinute, time.Now)
	}
	if opts.CacheDir != "" {
		c, err := newDiskCache(opts.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("github: cache folder: %w", err)
		}
		s.cache, s.tr.cache = c, c
	}
	hc.Transport = s.tr
	baseStr := base.String()
	client, err := gh.NewClient(
		gh.WithHTTPClient(hc),
		gh.WithURLs(&baseStr, nil),
		gh.WithDisableRateLimitCheck(), // the transport handles rate limits
		gh.WithUserAgent("catalint"),
	)
	if err != nil {
		return nil, bad("%v", err)
	}
	s.client = client
	return s, nil
}

// validOrg accepts GitHub's login characters, so that the name cannot
// change the path of a request.
func validOrg(org string) bool {
	if org == "" || len(org) > 100 {
		return false
	}
	for _, c := range org {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return org != "." && org != ".."
}

// apiBaseURL normalises the API base URL: a trailing slash, and api/v3/
// appended to a bare GitHub Enterprise Server host.
func apiBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = defaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("API base URL %q is not an http(s) URL", redactURL(raw))
	}
	u.User = nil
	u.RawQuery, u.Fragment = "", ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if u.Path == "/" && !strings.HasPrefix(u.Host, "api.") {
		u.Path = "/api/v3/"
	}
	u.RawPath = ""
	return u, nil
}

func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// webBaseURL is the web host of an API base URL: github.com for
// api.github.com, HOST for api.HOST (GHE.com), and the URL without api/v3/
// for GitHub Enterprise Server.
func webBaseURL(api *url.URL) string {
	w := *api
	switch {
	case strings.HasPrefix(w.Host, "api."):
		w.Host = strings.TrimPrefix(w.Host, "api.")
		w.Path = "/"
	case strings.HasSuffix(w.Path, "/api/v3/"):
		w.Path = strings.TrimSuffix(w.Path, "api/v3/")
	}
	return w.String()
}

// Name is "github:ORG".
func (s *Source) Name() string { return "github:" + s.opts.Org }

// repoScan is one repository being scanned.
type repoScan struct {
	owner, name, fullName, branch, pushedAt string
	archived, fork                          bool
	createdAt                               time.Time
	// oid is the default branch's commit (GraphQL scans).
	oid string
	gq  *gqlRepo

	files   []string
	invalid []string
	docs    []docEntity
	tree    []string
	treeOK  bool
}

type docEntity struct {
	path  string
	index int
	e     catalog.Entity
}

// Load scans the organisation. Files that do not parse are skipped (they
// are their repository's own problem) and counted in Stats; an error
// means the organisation could not be scanned (authentication, rate
// limit, network) and is an *Error.
func (s *Source) Load(ctx context.Context) ([]catalog.Entity, error) {
	s.resetStats()
	mode := s.api
	if mode == APIAuto && s.opts.Token == "" {
		// GitHub's GraphQL API answers nothing without a token.
		mode = APIREST
		s.setFallback("no token (GitHub's GraphQL API requires one)")
	}
	if mode == APIAuto && s.gqlKnownAbsent() {
		mode = APIREST
		s.setFallback(fmt.Sprintf("no GraphQL API at %s (remembered from a run in the last %s)", catalog.RedactURL(s.gqlURL), gqlAbsentTTL))
	}
	if mode != APIREST {
		es, err := s.loadGraphQL(ctx)
		var un *unavailableError
		if err == nil || mode == APIGraphQL || !errors.As(err, &un) {
			return es, err
		}
		s.mu.Lock()
		s.repos, s.stats.Repos, s.stats.Skipped = nil, 0, 0
		s.mu.Unlock()
		s.setFallback(un.reason)
		if un.absent {
			s.rememberGQLAbsent()
		}
	}
	s.setAPI(APIREST)
	return s.loadREST(ctx)
}

// loadREST scans the organisation through the REST API: one listing
// request per 100 repositories, then (conditional) content requests per
// repository.
func (s *Source) loadREST(ctx context.Context) ([]catalog.Entity, error) {
	tmp, err := os.MkdirTemp("", "catalint-github-")
	if err != nil {
		return nil, &Error{Source: s.Name(), Msg: "cannot create a temporary folder: " + err.Error(), kind: ErrBadResponse}
	}
	defer os.RemoveAll(tmp)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan *repoScan)
	var wg sync.WaitGroup
	for range s.conc {
		wg.Go(func() {
			for r := range jobs {
				if ctx.Err() != nil {
					continue
				}
				if err := s.scanRepo(ctx, r, tmp); err != nil {
					cancel(err)
				}
				s.scanned.Add(1)
				if s.opts.Progress != nil {
					s.opts.Progress(s.Stats())
				}
			}
		})
	}
	var scans []*repoScan
	listErr := s.list(ctx, func(r *repoScan) bool {
		scans = append(scans, r)
		select {
		case jobs <- r:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(jobs)
	wg.Wait()
	if listErr != nil {
		cancel(listErr)
	}

	slices.SortFunc(scans, func(a, b *repoScan) int { return cmp.Compare(a.name, b.name) })
	s.mu.Lock()
	s.repos = scans
	s.stats.Repos = len(scans)
	s.mu.Unlock()

	if ctx.Err() != nil {
		return nil, s.describe(context.Cause(ctx), opList, "the scan")
	}
	return entitiesOf(scans), nil
}

// entitiesOf lists the entities of scanned repositories (sorted by name) in
// the order of the output: by repository, file path, document.
func entitiesOf(scans []*repoScan) []catalog.Entity {
	var docs []docEntity
	for _, r := range scans {
		slices.SortStableFunc(r.docs, func(a, b docEntity) int {
			return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.index, b.index))
		})
		docs = append(docs, r.docs...)
	}
	out := make([]catalog.Entity, len(docs))
	for i, d := range docs {
		out[i] = d.e
	}
	return out
}

// repoItem is the part of a repository of the listing that is used.
type repoItem struct {
	Name          string `json:"name"`
	FullName      string `json:"full_name"`
	DefaultBranch string `json:"default_branch"`
	Archived      bool   `json:"archived"`
	Fork          bool   `json:"fork"`
	Disabled      bool   `json:"disabled"`
	PushedAt      string `json:"pushed_at"`
	CreatedAt     string `json:"created_at"`
	Owner         struct {
		Login string `json:"login"`
	} `json:"owner"`
}

// listPageSize is the number of repositories asked for per page, GitHub's
// maximum.
const listPageSize = 100

// list pages through the organisation's repositories, 100 at a time,
// following the Link header, and emits those to scan. A next page that was
// already read (the pages loop back) or more than maxListPages pages stop
// it with an error, as they do the team listing.
func (s *Source) list(ctx context.Context, emit func(*repoScan) bool) error {
	subject := "the repository list of " + s.opts.Org
	base := fmt.Sprintf("orgs/%s/repos?direction=asc&per_page=%d&sort=full_name&type=all", url.PathEscape(s.opts.Org), listPageSize)
	seen := map[string]bool{}
	pages := map[int]bool{1: true}
	for page, n := 1, 1; ; n++ {
		u := base
		if page > 1 {
			u += "&page=" + strconv.Itoa(page)
		}
		req, err := s.client.NewRequest(ctx, http.MethodGet, u, nil)
		if err != nil {
			return s.describe(err, opList, subject)
		}
		var items []repoItem
		resp, err := s.do(req, func(r io.Reader) error {
			return decodeList(r, listPageSize, func(it repoItem) { items = append(items, it) })
		})
		if err != nil {
			return s.describe(err, opList, subject)
		}
		for _, r := range items {
			full := r.FullName
			if r.Name == "" || seen[strings.ToLower(full)] {
				continue
			}
			seen[strings.ToLower(full)] = true
			// A disabled repository (GitHub blocked it) cannot be read.
			if (r.Archived && !s.opts.IncludeArchived) || (r.Fork && !s.opts.IncludeForks) || r.Disabled {
				s.mu.Lock()
				s.stats.Skipped++
				s.mu.Unlock()
				continue
			}
			owner := r.Owner.Login
			if owner == "" {
				owner = s.opts.Org
			}
			if full == "" {
				full = owner + "/" + r.Name
			}
			rs := &repoScan{
				owner: owner, name: r.Name, fullName: full,
				branch: r.DefaultBranch, archived: r.Archived, fork: r.Fork,
			}
			if t, err := time.Parse(time.RFC3339, r.PushedAt); err == nil {
				rs.pushedAt = t.UTC().Format(time.RFC3339)
			}
			if t, err := time.Parse(time.RFC3339, r.CreatedAt); err == nil {
				rs.createdAt = t.UTC()
			}
			if !emit(rs) {
				return ctx.Err()
			}
		}
		next := 0
		if resp != nil {
			next = resp.NextPage
		}
		switch {
		case next == 0:
			return nil
		case pages[next]:
			return s.describe(fmt.Errorf("%w: the pages loop back (page %d names page %d as the next)", errPagination, page, next), opList, subject)
		case n >= maxListPages:
			return s.describe(fmt.Errorf("%w: over %d pages (%d repositories)", errPagination, maxListPages, maxListPages*listPageSize), opList, subject)
		}
		pages[next] = true
		page = next
	}
}

// scanRepo reads a repository's catalog files and the files its Location
// entities point at. Only errors that stop the whole scan are returned.
func (s *Source) scanRepo(ctx context.Context, r *repoScan, tmp string) error {
	if r.branch == "" { // an empty repository
		return nil
	}
	queue := slices.Clone(s.paths)
	seen := map[string]bool{}
	for _, p := range queue {
		seen[p] = true
	}
	for n := 0; len(queue) > 0 && n < maxFilesPerRepo; n++ {
		p := queue[0]
		queue = queue[1:]
		data, found, err := s.fetch(ctx, r, p)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		if err := s.addFile(ctx, r, p, data, tmp, func(t string) {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}); err != nil {
			return err
		}
	}
	slices.Sort(r.files)
	slices.Sort(r.invalid)
	return nil
}

// addFile parses a catalog file of r (data nil: over the size limit),
// keeps its entities and hands the paths its Location entities point at
// to enqueue. Both APIs read files through it, so that they find the same
// entities.
func (s *Source) addFile(ctx context.Context, r *repoScan, p string, data []byte, tmp string, enqueue func(string)) error {
	r.files = append(r.files, p)
	display := fmt.Sprintf("github:%s/%s/%s", s.opts.Org, r.name, p)
	var f *load.File
	if data == nil { // over the size limit
		f = &load.File{Path: display, Diags: []diag.Diagnostic{{Severity: diag.Error}}}
	} else {
		f = load.Parse(bytes.NewReader(data), display, tmp, tmp, load.Options{})
	}
	if fileInvalid(f) {
		r.invalid = append(r.invalid, p)
	}
	for _, d := range f.Docs {
		if d.Root == nil {
			continue
		}
		if e, ok := catalog.FromDoc(d, s.Name()); ok {
			e.Location = s.blobURL(r, p, d.Line)
			r.docs = append(r.docs, docEntity{path: p, index: d.Index, e: e})
		}
		for _, lt := range load.LocationTargets(d.Root) {
			targets, err := s.resolveTarget(ctx, r, p, lt)
			if err != nil {
				return err
			}
			for _, t := range targets {
				enqueue(t)
			}
		}
	}
	return nil
}

func fileInvalid(f *load.File) bool {
	for _, d := range f.Diags {
		if d.Severity == diag.Error {
			return true
		}
	}
	for _, d := range f.Docs {
		if d.Root == nil {
			return true
		}
	}
	return false
}

// fetch reads one file of a repository's default branch. found is false
// when it is absent (404), is not a file (a folder, a submodule, a symlink
// out of the repository), or the repository is empty (409) or blocked
// (451). data is nil for a file over load.DefaultMaxFileSize.
func (s *Source) fetch(ctx context.Context, r *repoScan, p string) (data []byte, found bool, err error) {
	var nk string
	if s.cache != nil {
		nk = negKey(s.apiBase.String(), r.fullName, r.branch, r.pushedAt, p, s.tokenFP)
		if s.cache.hasNeg(nk) {
			s.tr.stats.negHits.Add(1)
			return nil, false, nil
		}
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.contentsURL(r, p), nil)
	if err != nil {
		return nil, false, s.describe(err, opContents, r.fullName+"/"+p)
	}
	var body []byte
	resp, err := s.do(req, func(rd io.Reader) error {
		var err error
		body, err = io.ReadAll(rd) // bounded by the transport
		return err
	})
	if err != nil {
		if code := statusOf(resp, err); code == http.StatusNotFound || code == http.StatusConflict || code == http.StatusUnavailableForLegalReasons {
			if nk != "" && code == http.StatusNotFound {
				s.cache.putNeg(nk)
			}
			return nil, false, nil
		}
		return nil, false, s.describe(err, opContents, r.fullName+"/"+p)
	}
	if isJSONList(body) { // a folder
		return nil, false, nil
	}
	var fc *gh.RepositoryContent
	if err := json.Unmarshal(body, &fc); err != nil {
		return nil, false, s.describe(fmt.Errorf("malformed response: %w", err), opContents, r.fullName+"/"+p)
	}
	if fc == nil || fc.GetType() != "file" {
		return nil, false, nil
	}
	if int64(fc.GetSize()) > load.DefaultMaxFileSize {
		return nil, true, nil
	}
	if fc.GetEncoding() == "none" || (fc.Content == nil && fc.GetSize() > 0) {
		// Over 1 MB the contents API leaves content empty and encoding
		// "none": read the raw file instead.
		data, err := s.raw(ctx, r, p)
		if err != nil {
			return nil, false, err
		}
		return data, true, nil
	}
	text, err := fc.GetContent()
	if err != nil {
		return nil, true, nil // undecodable: counted as an invalid file
	}
	return []byte(text), true, nil
}

// contentsURL is the contents API URL of a file of the default branch.
func (s *Source) contentsURL(r *repoScan, p string) string {
	return fmt.Sprintf("repos/%s/%s/contents/%s?ref=%s", url.PathEscape(r.owner), url.PathEscape(r.name),
		(&url.URL{Path: p}).EscapedPath(), url.QueryEscape(r.branch))
}

// raw downloads a file with the raw media type (files up to 100 MB). A
// file over load.DefaultMaxFileSize is returned as nil data.
func (s *Source) raw(ctx context.Context, r *repoScan, p string) ([]byte, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.contentsURL(r, p), nil)
	if err != nil {
		return nil, s.describe(err, opContents, r.fullName+"/"+p)
	}
	req.Header.Set("Accept", "application/vnd.github.raw+json")
	var data []byte
	if _, err := s.do(req, func(rd io.Reader) error {
		var err error
		data, err = io.ReadAll(io.LimitReader(rd, load.DefaultMaxFileSize+1))
		return err
	}); err != nil {
		return nil, s.describe(err, opContents, r.fullName+"/"+p)
	}
	if len(data) > load.DefaultMaxFileSize {
		return nil, nil
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// statusOf is the HTTP status of a failed go-github call, or 0.
func statusOf(resp *gh.Response, err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch rl := classifyRateLimit(er.Response, nil, time.Now(), 0); rl.kind {
		case primaryLimit, secondaryLimit:
			return 0
		}
		return er.Response.StatusCode
	}
	return 0
}

// resolveTarget turns a Location target of file from into paths of the
// same repository: relative paths (to from's folder), paths from the
// repository root ("/x.yaml"), web URLs of files of the same repository's
// default branch, and globs, expanded with one recursive git trees request
// per repository. Other targets (other repositories, other hosts, targets
// leaving the repository, other location types) are not followed.
func (s *Source) resolveTarget(ctx context.Context, r *repoScan, from string, lt load.LocationTarget) ([]string, error) {
	if lt.Type != "" && lt.Type != "url" && lt.Type != "file" {
		return nil, nil
	}
	t := strings.TrimSpace(lt.Text())
	if t == "" {
		return nil, nil
	}
	if strings.Contains(t, "://") {
		p, ok := s.sameRepoPath(r, t)
		if !ok {
			return nil, nil
		}
		t = "/" + p
	}
	var p string
	if strings.HasPrefix(t, "/") {
		p = path.Clean(strings.TrimLeft(t, "/"))
	} else {
		p = path.Join(path.Dir(from), t)
	}
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || p == "" {
		return nil, nil
	}
	if !strings.ContainsAny(p, "*?[{") {
		return []string{p}, nil
	}
	if !doublestar.ValidatePattern(p) {
		return nil, nil
	}
	tree, err := s.tree(ctx, r)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range tree {
		if ok, _ := doublestar.Match(p, f); ok && !hiddenMismatch(p, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// hiddenMismatch reports a match through a wildcard of a name starting with
// a dot: Backstage's glob expansion leaves those out unless the pattern
// names them.
func hiddenMismatch(pattern, name string) bool {
	pp := strings.Split(pattern, "/")
	for i, seg := range strings.Split(name, "/") {
		if !strings.HasPrefix(seg, ".") {
			continue
		}
		if i >= len(pp) || !strings.HasPrefix(pp[i], ".") {
			return true
		}
	}
	return false
}

// sameRepoPath returns the file path of a web URL of this repository's
// default branch (WEB/OWNER/REPO/blob/BRANCH/PATH), if it is one.
func (s *Source) sameRepoPath(r *repoScan, raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	web, _ := url.Parse(s.webBase)
	if !strings.EqualFold(u.Host, web.Host) || !strings.HasPrefix(u.Path, web.Path) {
		return "", false
	}
	rest := strings.TrimPrefix(u.Path, web.Path)
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 4 || !strings.EqualFold(parts[0], r.owner) || !strings.EqualFold(parts[1], r.name) || (parts[2] != "blob" && parts[2] != "tree") {
		return "", false
	}
	p, ok := strings.CutPrefix(parts[3], r.branch+"/")
	if !ok || p == "" {
		return "", false
	}
	return p, true
}

// tree lists the files of the repository's default branch, once.
func (s *Source) tree(ctx context.Context, r *repoScan) ([]string, error) {
	if r.treeOK {
		return r.tree, nil
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, fmt.Sprintf("repos/%s/%s/git/trees/%s?recursive=1", url.PathEscape(r.owner), url.PathEscape(r.name), url.PathEscape(r.branch)), nil)
	if err != nil {
		return nil, s.describe(err, opTree, r.fullName)
	}
	// A truncated tree (over 100,000 entries or 7 MB) is used as far as
	// it goes.
	var files []string
	resp, err := s.do(req, func(rd io.Reader) error {
		return decodeTree(rd, func(e treeEntry) {
			if e.Type == "blob" {
				files = append(files, e.Path)
			}
		})
	})
	if err != nil {
		if code := statusOf(resp, err); code == http.StatusNotFound || code == http.StatusConflict || code == http.StatusUnavailableForLegalReasons {
			r.treeOK = true
			return nil, nil
		}
		return nil, s.describe(err, opTree, r.fullName)
	}
	r.tree = files
	slices.Sort(r.tree)
	r.treeOK = true
	return r.tree, nil
}

// blobURL is the web URL of a line of a file of the default branch.
func (s *Source) blobURL(r *repoScan, p string, line int) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	branch := strings.Split(r.branch, "/")
	for i, seg := range branch {
		branch[i] = url.PathEscape(seg)
	}
	return fmt.Sprintf("%s%s/%s/blob/%s/%s#L%d", s.webBase, url.PathEscape(r.owner), url.PathEscape(r.name),
		strings.Join(branch, "/"), strings.Join(segs, "/"), line)
}

// Repos returns the repositories the last Load scanned, sorted by name.
func (s *Source) Repos() []Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Repo, 0, len(s.repos))
	for _, r := range s.repos {
		out = append(out, Repo{
			Name: r.name, FullName: r.fullName, DefaultBranch: r.branch,
			Archived: r.archived, Fork: r.fork, CreatedAt: r.createdAt,
			CatalogFiles: slices.Clone(r.files), InvalidFiles: slices.Clone(r.invalid),
		})
	}
	return out
}

// Stats returns the counts of the last Load.
func (s *Source) Stats() Stats {
	s.mu.Lock()
	st := s.stats
	repos := s.repos
	s.mu.Unlock()
	for _, r := range repos {
		st.Files += len(r.files)
		st.InvalidFiles += len(r.invalid)
	}
	c := s.tr.stats
	st.Requests = int(c.requests.Load())
	st.NotModified = int(c.notModified.Load())
	st.Retries = int(c.retries.Load())
	st.BytesDownloaded = c.bytes.Load()
	st.KnownAbsent = int(c.negHits.Load())
	st.RateLimitWait = time.Duration(c.waited.Load())
	st.RateLimitRemaining = int(c.rateRemaining.Load()) - 1
	st.Scanned = int(s.scanned.Load())
	if st.GraphQLRemaining < 0 {
		// No rateLimit object was read: the headers' figure, if any.
		st.GraphQLRemaining = int(c.gqlRemaining.Load()) - 1
	}
	return st
}

func (s *Source) resetStats() {
	s.mu.Lock()
	s.stats = Stats{GraphQLRemaining: -1, GraphQLLimit: -1}
	s.repos = nil
	s.mu.Unlock()
	s.scanned.Store(0)
	c := s.tr.stats
	for _, v := range []interface{ Store(int64) }{&c.requests, &c.notModified, &c.retries, &c.negHits, &c.bytes, &c.waited, &c.gqlRemaining} {
		v.Store(0)
	}
}
