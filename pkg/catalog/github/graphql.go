package github

// Organisation scans through GitHub's GraphQL API.
//
// The repositories are listed 100 a query (GitHub's largest page), each
// with its default branch's name and commit oid, the flags that decide
// whether it is scanned, and its catalog files inline
// (object(expression: "HEAD:catalog-info.yaml") { ... on Blob { text … } }).
// The files Location entities point at are then read in batches of up to
// maxBatchObjects aliased object(expression: "OID:path") fields across
// repositories, round after round until no file names another. A cold scan
// of 10,000 repositories costs 100 listing queries plus a few batches, and
// each query costs GitHub 1 point (its formula: one point per 100 connection
// nodes, at least 1; aliased objects are not connections).
//
// Blobs that GraphQL does not give whole (binary, text cut at GitHub's
// limit, not UTF-8) are read through the REST contents API under the same
// size bounds as a REST scan; globs in Location targets use the REST git
// trees API as a REST scan does.
//
// With a cache folder, what was read in each repository is kept with its
// default branch's commit oid and last push (one file per organisation,
// written once at the end of a scan). A warm "auto" scan lists the
// repositories through REST, whose conditional requests cost no rate limit
// when a page did not change (GraphQL has no such thing: every query costs
// at least a point), and reads through GraphQL only the repositories pushed
// to since; a warm "graphql" scan lists through GraphQL without the files
// (1 point a page).
//
// In "auto" mode a scan falls back to REST when GraphQL is not there or not
// allowed: no token, an endpoint that answers 404 (older GitHub Enterprise
// Server, a proxy that only passes /api/v3), a 403 that is not a rate limit,
// or FORBIDDEN, INSUFFICIENT_SCOPES or NOT_FOUND on the organisation (a
// fine-grained or SAML-blocked token; REST then says precisely what is
// wrong).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v92/github"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Values of Options.API.
const (
	APIAuto    = "auto"
	APIGraphQL = "graphql"
	APIREST    = "rest"
)

// maxBatchObjects bounds the object fields of one batch query. Objects are
// not connections, so a batch costs 1 point whatever its size; the bound
// keeps a query well inside GitHub's 10-second execution limit and the
// answer inside MaxResponseSize. A batch that is too large anyway (a 502,
// a resource-limit error, an answer over MaxResponseSize) is split.
const maxBatchObjects = 250

// gqlCacheVersion changes when the cached records change shape.
const gqlCacheVersion = "catalint-gql-1"

// graphqlURL is the GraphQL endpoint of an API base URL:
// https://api.github.com/graphql, https://api.HOST/graphql (GHE.com),
// https://HOST/api/graphql (GitHub Enterprise Server, beside /api/v3).
func graphqlURL(api *url.URL) string {
	u := *api
	switch {
	case strings.HasSuffix(u.Path, "/api/v3/"):
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	default:
		u.Path += "graphql"
	}
	u.RawPath = ""
	return u.String()
}

// unavailableError says GraphQL cannot be used for this scan; in "auto"
// mode the scan falls back to REST.
type unavailableError struct {
	reason string
	err    error
	// absent: the endpoint is not there (404), which the cache
	// remembers for gqlAbsentTTL.
	absent bool
}

// gqlAbsentTTL is how long a cache folder remembers that a server has no
// GraphQL endpoint, so that "auto" scans of an older GitHub Enterprise
// Server do not ask again on every run.
const gqlAbsentTTL = 24 * time.Hour

func (s *Source) gqlAbsentKey() string {
	h := sha256.New()
	for _, v := range []string{gqlCacheVersion, "absent", s.gqlURL} {
		io.WriteString(h, v)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Source) gqlKnownAbsent() bool {
	if s.cache == nil {
		return false
	}
	fi, err := os.Stat(s.cache.path("absent", s.gqlAbsentKey()))
	return err == nil && time.Since(fi.ModTime()) < gqlAbsentTTL
}

func (s *Source) rememberGQLAbsent() {
	if s.cache != nil {
		s.cache.putNeg(s.gqlAbsentKey())
	}
}

func (e *unavailableError) Error() string { return e.err.Error() }

// unavailable words why GraphQL cannot be used; with --github-api graphql
// it is the scan's error.
func (s *Source) unavailable(reason string, kind error, absent bool) *unavailableError {
	reason = s.redact(reason)
	return &unavailableError{reason: reason, absent: absent,
		err: &Error{Source: s.Name(), Msg: reason + " (--github-api auto or rest scans through REST)", kind: kind}}
}
func (e *unavailableError) Unwrap() error { return e.err }

// shrinkError says a query asked too much at once (node or resource
// limits, a gateway timeout, an answer over MaxResponseSize): the caller
// asks again for less.
type shrinkError struct{ err error }

func (e *shrinkError) Error() string { return e.err.Error() }
func (e *shrinkError) Unwrap() error { return e.err }

type gqlError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

type gqlRateLimit struct {
	Cost      int    `json:"cost"`
	Remaining int    `json:"remaining"`
	Limit     int    `json:"limit"`
	ResetAt   string `json:"resetAt"`
}

type gqlObject struct {
	Typename    string  `json:"__typename"`
	ByteSize    int64   `json:"byteSize"`
	IsBinary    bool    `json:"isBinary"`
	IsTruncated bool    `json:"isTruncated"`
	Text        *string `json:"text"`
}

const blobFields = `{ __typename ... on Blob { byteSize isBinary isTruncated text } }`

// fileResult is what reading one path gave.
type fileResult struct {
	Found bool   `json:"found"`
	Over  bool   `json:"over,omitempty"` // over load.DefaultMaxFileSize
	Data  []byte `json:"data,omitempty"`
}

// result turns an object of an answer into a file, or says that REST must
// read it.
func (o *gqlObject) result() (res fileResult, viaREST bool) {
	switch {
	case o == nil || o.Typename != "Blob":
		return fileResult{}, false
	case o.ByteSize > load.DefaultMaxFileSize:
		return fileResult{Found: true, Over: true}, false
	case o.Text == nil || o.IsBinary || o.IsTruncated || int64(len(*o.Text)) != o.ByteSize:
		return fileResult{}, true
	case maybeLink(*o.Text):
		// GraphQL gives a symbolic link as git stores it, a Blob of its
		// target's path; REST answers with the file it points at when
		// that is in the repository, and with no file otherwise.
		return fileResult{}, true
	}
	return fileResult{Found: true, Data: []byte(*o.Text)}, false
}

// maybeLink says whether a Blob's text may be a symbolic link's target
// rather than a catalog file: one short line without a colon. A catalog
// file always has one ("apiVersion:"); what is not one costs a REST read.
func maybeLink(text string) bool {
	return text != "" && len(text) <= 4096 && !strings.ContainsAny(text, ":\n")
}

// gqlRepo is the GraphQL scan's state of one repository.
type gqlRepo struct {
	queue  []string
	seen   map[string]bool
	n      int
	inline map[string]fileResult // read with the listing
	rest   map[string]bool       // listed, but only REST gives them whole
	rec    *repoRecord           // from the cache, for this oid
	fresh  *repoRecord           // what this scan read
}

// repoRecord is what a scan read in a repository at a commit.
type repoRecord struct {
	// OID and Branch are the default branch's commit and name, PushedAt
	// the repository's last push then.
	OID      string                `json:"oid,omitempty"`
	Branch   string                `json:"branch"`
	PushedAt string                `json:"pushedAt,omitempty"`
	Files    map[string]fileResult `json:"files"`
	Tree     []string              `json:"tree,omitempty"`
	TreeOK   bool                  `json:"treeOK,omitempty"`
}

func (s *Source) setFallback(reason string) {
	s.mu.Lock()
	s.stats.Fallback = reason
	s.mu.Unlock()
}

func (s *Source) setAPI(api string) {
	s.mu.Lock()
	s.stats.API = api
	s.mu.Unlock()
}

// gql sends one query and decodes its data into out. It waits out
// RATE_LIMITED answers in "wait" mode as the transport does for REST.
func (s *Source) gql(ctx context.Context, what, query string, vars map[string]any, out any) ([]gqlError, error) {
	for tries := 0; ; tries++ {
		errs, err := s.gqlOnce(ctx, what, query, vars, out)
		var rl *gqlLimited
		if !errors.As(err, &rl) {
			return errs, err
		}
		now := s.tr.now()
		if !s.wait || tries >= maxRateLimitTries || rl.reset.Sub(now) > s.maxWait {
			return nil, &Error{Source: s.Name(), Msg: strings.Replace(s.primaryMsg(rl.reset, now), "rate limit", "GraphQL rate limit (points)", 1), ResetAt: rl.reset, kind: ErrRateLimited}
		}
		s.tr.raiseGate(rl.reset.Add(time.Second))
		if err := s.tr.waitGate(ctx); err != nil {
			return nil, s.describe(err, opList, what)
		}
	}
}

type gqlLimited struct{ reset time.Time }

func (e *gqlLimited) Error() string { return "GraphQL rate limit exhausted" }

func (s *Source) gqlOnce(ctx context.Context, what, query string, vars map[string]any, out any) ([]gqlError, error) {
	req, err := s.client.NewRequest(ctx, http.MethodPost, s.gqlURL, map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, s.describe(err, opList, what)
	}
	req.Header.Set("Accept", "application/json")
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	resp, err := s.do(req, func(r io.Reader) error {
		return json.NewDecoder(r).Decode(&body)
	})
	if err != nil {
		var er *gh.ErrorResponse
		var ne *netError
		switch {
		case errors.As(err, &er) && er.Response != nil:
			code := er.Response.StatusCode
			rl := classifyRateLimit(er.Response, nil, s.tr.now(), 0)
			switch {
			case rl.kind != notLimited:
			case code == http.StatusNotFound || code == http.StatusGone || code == http.StatusMethodNotAllowed:
				return nil, s.unavailable(fmt.Sprintf("no GraphQL API at %s (%d)", catalog.RedactURL(s.gqlURL), code), ErrNotFound, true)
			case code == http.StatusForbidden:
				return nil, s.unavailable("GraphQL API refused (403): "+strings.TrimSpace(er.Message), ErrForbidden, false)
			case code == http.StatusBadGateway || code == http.StatusGatewayTimeout:
				return nil, &shrinkError{s.describe(err, opList, what)}
			}
		case errors.As(err, &ne) && errors.Is(ne, ErrBadResponse) && strings.Contains(ne.msg, "larger than"):
			return nil, &shrinkError{s.describe(err, opList, what)}
		case errors.As(err, &ne) && errors.Is(ne, ErrBadResponse) && strings.Contains(ne.msg, "JSON values"):
			return nil, &shrinkError{s.describe(err, opList, what)}
		}
		if resp == nil || resp.StatusCode == http.StatusOK {
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = &netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}
			}
		}
		return nil, s.describe(err, opList, what)
	}
	var rate struct {
		RateLimit *gqlRateLimit `json:"rateLimit"`
	}
	if len(body.Data) > 0 && !bytes.Equal(body.Data, []byte("null")) {
		if err := json.Unmarshal(body.Data, &rate); err != nil {
			return nil, s.describe(&netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}, opList, what)
		}
	}
	s.mu.Lock()
	s.stats.GraphQLQueries++
	if rl := rate.RateLimit; rl != nil {
		s.stats.GraphQLPoints += rl.Cost
		s.stats.GraphQLRemaining, s.stats.GraphQLLimit = rl.Remaining, rl.Limit
		if t, err := time.Parse(time.RFC3339, rl.ResetAt); err == nil {
			s.stats.GraphQLResetAt = t.UTC()
		}
	}
	s.mu.Unlock()
	for _, e := range body.Errors {
		switch strings.ToUpper(e.Type) {
		case "RATE_LIMITED", "RATE_LIMIT":
			reset := s.tr.now().Add(time.Minute)
			if resp != nil {
				if v, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil && v > 0 {
					reset = time.Unix(v, 0)
				}
			}
			return nil, &gqlLimited{reset: reset}
		case "MAX_NODE_LIMIT_EXCEEDED", "RESOURCE_LIMITS_EXCEEDED", "EXCESSIVE_PAGINATION":
			return nil, &shrinkError{&Error{Source: s.Name(), Msg: fmt.Sprintf("%s: GraphQL %s: %s", what, e.Type, s.redact(e.Message)), kind: ErrBadResponse}}
		}
	}
	if len(body.Data) == 0 || bytes.Equal(body.Data, []byte("null")) {
		msg := "no data"
		if len(body.Errors) > 0 {
			msg = body.Errors[0].Message
			if strings.Contains(strings.ToLower(msg), "timeout") || strings.Contains(strings.ToLower(msg), "something went wrong") {
				return nil, &shrinkError{&Error{Source: s.Name(), Msg: what + ": GraphQL: " + s.redact(msg), kind: ErrServer}}
			}
		}
		return nil, &Error{Source: s.Name(), Msg: fmt.Sprintf("%s: GraphQL answer without data: %s", what, s.redact(msg)), kind: ErrBadResponse}
	}
	if err := json.Unmarshal(body.Data, out); err != nil {
		return nil, s.describe(&netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}, opList, what)
	}
	return body.Errors, nil
}

// --- listing ---

type gqlListNode struct {
	Name          string `json:"name"`
	NameWithOwner string `json:"nameWithOwner"`
	Owner         struct {
		Login string `json:"login"`
	} `json:"owner"`
	IsArchived       bool   `json:"isArchived"`
	IsFork           bool   `json:"isFork"`
	IsEmpty          bool   `json:"isEmpty"`
	IsDisabled       bool   `json:"isDisabled"`
	PushedAt         string `json:"pushedAt"`
	CreatedAt        string `json:"createdAt"`
	DefaultBranchRef *struct {
		Name   string `json:"name"`
		Target *struct {
			Oid string `json:"oid"`
		} `json:"target"`
	} `json:"defaultBranchRef"`
}

type gqlListData struct {
	Organization *struct {
		Repositories struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Nodes []json.RawMessage `json:"nodes"`
		} `json:"repositories"`
	} `json:"organization"`
}

func (s *Source) listQuery(withFiles bool) string {
	var b strings.Builder
	b.WriteString("query($org: String!, $first: Int!, $after: String")
	if withFiles {
		for i := range s.paths {
			fmt.Fprintf(&b, ", $p%d: String!", i)
		}
	}
	b.WriteString(") { rateLimit { cost remaining limit resetAt } organization(login: $org) { repositories(first: $first, after: $after, orderBy: {field: NAME, direction: ASC}) { pageInfo { hasNextPage endCursor } nodes { name nameWithOwner owner { login } isArchived isFork isEmpty isDisabled pushedAt createdAt defaultBranchRef { name target { oid } }")
	if withFiles {
		for i := range s.paths {
			fmt.Fprintf(&b, " f%d: object(expression: $p%d) %s", i, i, blobFields)
		}
	}
	b.WriteString(" } } } }")
	return b.String()
}

// gqlList pages through the organisation's repositories and emits those to
// scan, with their files when withFiles.
func (s *Source) gqlList(ctx context.Context, withFiles bool, emit func(*repoScan)) error {
	subject := "the repository list of " + s.opts.Org
	query := s.listQuery(withFiles)
	vars := map[string]any{"org": s.opts.Org}
	if withFiles {
		for i, p := range s.paths {
			vars[fmt.Sprintf("p%d", i)] = "HEAD:" + p
		}
	}
	seen := map[string]bool{}
	cursors := map[string]bool{}
	first := listPageSize
	var after any
	for n := 1; ; n++ {
		vars["first"], vars["after"] = first, after
		var data gqlListData
		errs, err := s.gql(ctx, subject, query, vars, &data)
		var sh *shrinkError
		if errors.As(err, &sh) && first > 1 {
			first = max(1, first/2)
			n--
			continue
		}
		if err != nil {
			return err
		}
		if data.Organization == nil {
			reason := "the organisation cannot be read through GraphQL"
			for _, e := range errs {
				reason = fmt.Sprintf("GraphQL %s on the organisation: %s", e.Type, s.redact(e.Message))
				break
			}
			return s.unavailable(reason, ErrForbidden, false)
		}
		conn := data.Organization.Repositories
		if len(conn.Nodes) > first {
			return s.describe(&netError{msg: fmt.Sprintf("the page holds more than the %d items asked for", first), kind: ErrBadResponse}, opList, subject)
		}
		for _, raw := range conn.Nodes {
			if err := s.listNode(raw, withFiles, seen, emit); err != nil {
				return s.describe(err, opList, subject)
			}
		}
		if s.opts.Progress != nil {
			s.opts.Progress(s.Stats())
		}
		pi := conn.PageInfo
		switch {
		case !pi.HasNextPage:
			return nil
		case pi.EndCursor == "" || cursors[pi.EndCursor]:
			return s.describe(fmt.Errorf("%w: the pages loop back (cursor %q seen before)", errPagination, pi.EndCursor), opList, subject)
		case n >= maxListPages:
			return s.describe(fmt.Errorf("%w: over %d pages", errPagination, maxListPages), opList, subject)
		}
		cursors[pi.EndCursor] = true
		after = pi.EndCursor
	}
}

func (s *Source) listNode(raw json.RawMessage, withFiles bool, seen map[string]bool, emit func(*repoScan)) error {
	if bytes.Equal(raw, []byte("null")) { // a repository the token may not see
		return nil
	}
	var r gqlListNode
	if err := json.Unmarshal(raw, &r); err != nil {
		return &netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}
	}
	full := r.NameWithOwner
	if r.Name == "" || seen[strings.ToLower(full)] {
		return nil
	}
	seen[strings.ToLower(full)] = true
	if (r.IsArchived && !s.opts.IncludeArchived) || (r.IsFork && !s.opts.IncludeForks) || r.IsDisabled {
		s.mu.Lock()
		s.stats.Skipped++
		s.mu.Unlock()
		return nil
	}
	owner := r.Owner.Login
	if owner == "" {
		owner = s.opts.Org
	}
	if full == "" {
		full = owner + "/" + r.Name
	}
	rs := &repoScan{owner: owner, name: r.Name, fullName: full, archived: r.IsArchived, fork: r.IsFork, gq: &gqlRepo{}}
	if t, err := time.Parse(time.RFC3339, r.PushedAt); err == nil {
		rs.pushedAt = t.UTC().Format(time.RFC3339)
	}
	if t, err := time.Parse(time.RFC3339, r.CreatedAt); err == nil {
		rs.createdAt = t.UTC()
	}
	if ref := r.DefaultBranchRef; ref != nil && !r.IsEmpty {
		rs.branch = ref.Name
		if ref.Target != nil {
			rs.oid = ref.Target.Oid
		}
	}
	if withFiles && rs.branch != "" {
		var objs map[string]*gqlObject
		// Fields other than the f0… aliases do not decode as objects: read
		// the aliases alone.
		var all map[string]json.RawMessage
		if err := json.Unmarshal(raw, &all); err != nil {
			return &netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}
		}
		objs = map[string]*gqlObject{}
		for i := range s.paths {
			k := fmt.Sprintf("f%d", i)
			if v, ok := all[k]; ok && !bytes.Equal(v, []byte("null")) {
				var o gqlObject
				if err := json.Unmarshal(v, &o); err != nil {
					return &netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}
				}
				objs[k] = &o
			} else {
				objs[k] = nil
			}
		}
		rs.gq.inline, rs.gq.rest = map[string]fileResult{}, map[string]bool{}
		for i, p := range s.paths {
			if res, viaREST := objs[fmt.Sprintf("f%d", i)].result(); viaREST {
				rs.gq.rest[p] = true
			} else {
				rs.gq.inline[p] = res
			}
		}
	}
	emit(rs)
	return nil
}

// --- batches of objects ---

type need struct {
	r *repoScan
	p string
}

// fetchBatch reads the objects of needs (one batch query, split when it
// asks too much); it returns a result per need, and the needs that REST
// must read.
func (s *Source) fetchBatch(ctx context.Context, needs []need) (map[need]fileResult, []need, error) {
	var b strings.Builder
	vars := map[string]any{}
	b.WriteString("query(")
	repoIdx := map[*repoScan]int{}
	var repos []*repoScan
	byRepo := map[*repoScan][]int{}
	for i, n := range needs {
		if _, ok := repoIdx[n.r]; !ok {
			repoIdx[n.r] = len(repos)
			repos = append(repos, n.r)
		}
		byRepo[n.r] = append(byRepo[n.r], i)
	}
	for j, r := range repos {
		fmt.Fprintf(&b, "$o%d: String!, $n%d: String!, ", j, j)
		vars[fmt.Sprintf("o%d", j)], vars[fmt.Sprintf("n%d", j)] = r.owner, r.name
	}
	for i, n := range needs {
		fmt.Fprintf(&b, "$e%d: String!, ", i)
		rev := n.r.oid
		if rev == "" {
			rev = "HEAD"
		}
		vars[fmt.Sprintf("e%d", i)] = rev + ":" + n.p
	}
	b.WriteString(") { rateLimit { cost remaining limit resetAt }")
	for j, r := range repos {
		fmt.Fprintf(&b, " r%d: repository(owner: $o%d, name: $n%d) {", j, j, j)
		for _, i := range byRepo[r] {
			fmt.Fprintf(&b, " f%d: object(expression: $e%d) %s", i, i, blobFields)
		}
		b.WriteString(" }")
	}
	b.WriteString(" }")
	var data map[string]json.RawMessage
	what := fmt.Sprintf("the catalog files of %d repositories", len(repos))
	errs, err := s.gql(ctx, what, b.String(), vars, &data)
	var sh *shrinkError
	if errors.As(err, &sh) && len(needs) > 1 {
		h := len(needs) / 2
		res1, rest1, err := s.fetchBatch(ctx, needs[:h])
		if err != nil {
			return nil, nil, err
		}
		res2, rest2, err := s.fetchBatch(ctx, needs[h:])
		if err != nil {
			return nil, nil, err
		}
		for k, v := range res2 {
			res1[k] = v
		}
		return res1, append(rest1, rest2...), nil
	}
	if err != nil {
		return nil, nil, err
	}
	// A repository the query could not read (renamed or deleted since
	// the listing, FORBIDDEN for this token) is read through REST, which
	// decides as a REST scan would.
	failed := map[string]bool{}
	for _, e := range errs {
		if len(e.Path) > 0 {
			if k, ok := e.Path[0].(string); ok {
				failed[k] = true
			}
		}
	}
	out := map[need]fileResult{}
	var viaREST []need
	for j, r := range repos {
		key := fmt.Sprintf("r%d", j)
		raw, ok := data[key]
		if !ok || failed[key] || bytes.Equal(raw, []byte("null")) {
			for _, i := range byRepo[r] {
				viaREST = append(viaREST, needs[i])
			}
			continue
		}
		var objs map[string]*gqlObject
		if err := json.Unmarshal(raw, &objs); err != nil {
			return nil, nil, s.describe(&netError{msg: "malformed GraphQL answer: " + err.Error(), kind: ErrBadResponse}, opList, what)
		}
		for _, i := range byRepo[r] {
			res, rest := objs[fmt.Sprintf("f%d", i)].result()
			if rest {
				viaREST = append(viaREST, needs[i])
			} else {
				out[needs[i]] = res
			}
		}
	}
	return out, viaREST, nil
}

// --- the scan ---

// loadGraphQL scans the organisation through GraphQL.
func (s *Source) loadGraphQL(ctx context.Context) ([]catalog.Entity, error) {
	tmp, err := os.MkdirTemp("", "catalint-github-")
	if err != nil {
		return nil, &Error{Source: s.Name(), Msg: "cannot create a temporary folder: " + err.Error(), kind: ErrBadResponse}
	}
	defer os.RemoveAll(tmp)
	s.setAPI(APIGraphQL)

	// The records of the last GraphQL scan of this organisation with this
	// cache: when there are some, the listing leaves the files out.
	var saved map[string]*repoRecord
	if s.cache != nil {
		saved = s.loadRecords()
	}
	warm := saved != nil
	var scans []*repoScan
	if warm && s.api == APIAuto {
		// A warm "auto" scan lists through REST: its conditional requests
		// (ETags in the cache) cost no rate limit when a page did not
		// change, where a GraphQL page costs a point. A push shows in
		// pushed_at; the repositories pushed to are read through GraphQL.
		if err := s.list(ctx, func(r *repoScan) bool {
			r.gq = &gqlRepo{}
			scans = append(scans, r)
			return true
		}); err != nil {
			return nil, err
		}
	} else if err := s.gqlList(ctx, !warm, func(r *repoScan) { scans = append(scans, r) }); err != nil {
		return nil, err
	}
	slices.SortFunc(scans, func(a, b *repoScan) int { return strings.Compare(a.name, b.name) })
	s.mu.Lock()
	s.repos = scans
	s.stats.Repos = len(scans)
	s.mu.Unlock()

	for _, r := range scans {
		g := r.gq
		g.seen = map[string]bool{}
		g.fresh = &repoRecord{Files: map[string]fileResult{}}
		if r.branch == "" {
			s.scanned.Add(1)
			continue
		}
		if rec := saved[strings.ToLower(r.fullName)]; rec.validFor(r) {
			g.rec = rec
		}
		for _, p := range s.paths {
			g.seen[p] = true
			g.queue = append(g.queue, p)
		}
	}

	// Rounds: every repository's pending paths are served from the cache
	// record, the listing or the network, then parsed; the paths they name
	// make the next round.
	for {
		ready := map[*repoScan][]need{}
		var todo, viaREST []need
		var results sync.Map // need → fileResult
		for _, r := range scans {
			g := r.gq
			for len(g.queue) > 0 && g.n < maxFilesPerRepo {
				p := g.queue[0]
				g.queue = g.queue[1:]
				g.n++
				n := need{r, p}
				ready[r] = append(ready[r], n)
				if res, ok := g.rec.file(p); ok {
					results.Store(n, res)
				} else if res, ok := g.inline[p]; ok {
					results.Store(n, res)
				} else if g.rest[p] {
					viaREST = append(viaREST, n)
				} else {
					todo = append(todo, n)
				}
			}
			g.queue = nil
		}
		if len(ready) == 0 {
			break
		}
		for len(todo) > 0 {
			k := min(len(todo), maxBatchObjects)
			got, rest, err := s.fetchBatch(ctx, todo[:k])
			if err != nil {
				return nil, err
			}
			for n, res := range got {
				results.Store(n, res)
			}
			viaREST = append(viaREST, rest...)
			todo = todo[k:]
		}
		if err := s.parallel(ctx, len(viaREST), func(i int) error {
			n := viaREST[i]
			data, found, err := s.fetch(ctx, n.r, n.p)
			if err != nil {
				return err
			}
			results.Store(n, fileResult{Found: found, Over: found && data == nil, Data: data})
			return nil
		}); err != nil {
			return nil, err
		}
		var repos []*repoScan
		for r := range ready {
			repos = append(repos, r)
		}
		if err := s.parallel(ctx, len(repos), func(i int) error {
			r := repos[i]
			g := r.gq
			if g.rec != nil && !r.treeOK && g.rec.TreeOK {
				r.tree, r.treeOK = g.rec.Tree, true
			}
			for _, n := range ready[r] {
				v, _ := results.Load(n)
				res, _ := v.(fileResult)
				g.fresh.Files[n.p] = res
				if !res.Found {
					continue
				}
				data := res.Data
				if res.Over {
					data = nil
				} else if data == nil {
					data = []byte{}
				}
				if err := s.addFile(ctx, r, n.p, data, tmp, func(t string) {
					if !g.seen[t] {
						g.seen[t] = true
						g.queue = append(g.queue, t)
					}
				}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
		if s.opts.Progress != nil {
			s.opts.Progress(s.Stats())
		}
	}
	records := map[string]*repoRecord{}
	changed := false
	for _, r := range scans {
		if r.branch == "" {
			continue
		}
		slices.Sort(r.files)
		slices.Sort(r.invalid)
		s.scanned.Add(1)
		if r.oid != "" || r.pushedAt != "" {
			f := r.gq.fresh
			f.OID, f.Branch, f.PushedAt, f.Tree, f.TreeOK = r.oid, r.branch, r.pushedAt, r.tree, r.treeOK
			if r.gq.rec.covers(f) {
				f = r.gq.rec
			} else {
				changed = true
			}
			records[strings.ToLower(r.fullName)] = f
		}
		r.gq.inline, r.gq.rest, r.gq.rec, r.gq.fresh = nil, nil, nil, nil
	}
	if s.cache != nil && (changed || len(records) != len(saved)) {
		s.storeRecords(records)
	}
	return entitiesOf(scans), nil
}

// parallel runs fn(0..n-1) on up to s.conc goroutines; the first error
// stops the rest.
func (s *Source) parallel(ctx context.Context, n int, fn func(int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(s.conc, n) {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				if err := fn(i); err != nil {
					cancel(err)
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		return s.describe(context.Cause(ctx), opList, "the scan")
	}
	return nil
}

// --- the cache of repositories by commit ---

// validFor says whether rec is what the repository holds now: the same
// default branch at the same commit or, when the listing (REST's) gives no
// commit, not pushed to since.
func (rec *repoRecord) validFor(r *repoScan) bool {
	switch {
	case rec == nil || rec.Branch != r.branch:
		return false
	case r.oid != "" && rec.OID != "":
		return rec.OID == r.oid
	}
	return r.pushedAt != "" && rec.PushedAt == r.pushedAt
}

// covers says whether rec holds all that fresh does (then nothing new is
// stored).
func (rec *repoRecord) covers(fresh *repoRecord) bool {
	if rec == nil || (fresh.TreeOK && !rec.TreeOK) {
		return false
	}
	for p := range fresh.Files {
		if _, ok := rec.Files[p]; !ok {
			return false
		}
	}
	return true
}

func (rec *repoRecord) file(p string) (fileResult, bool) {
	if rec == nil {
		return fileResult{}, false
	}
	res, ok := rec.Files[p]
	return res, ok
}

// maxRecordsSize bounds the file of an organisation's records (the
// catalog files of its repositories); a larger one is neither written nor
// read.
const maxRecordsSize = 256 << 20

// recordsKey names the records of this organisation read with these
// catalog paths and credentials (as a one-way fingerprint: a token is
// never stored).
func (s *Source) recordsKey() string {
	h := sha256.New()
	for _, v := range []string{gqlCacheVersion, "records", s.apiBase.String(), strings.ToLower(s.opts.Org), strings.Join(s.paths, "\x00"), s.tokenFP} {
		io.WriteString(h, v)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadRecords reads the records of the last scan; nil when there are none
// (or they are damaged, and then removed).
func (s *Source) loadRecords() map[string]*repoRecord {
	path := s.cache.path("commits", s.recordsKey())
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(f, maxRecordsSize+1))
	f.Close()
	var file struct {
		Sum     string          `json:"sha256"`
		Records json.RawMessage `json:"records"`
	}
	var out map[string]*repoRecord
	if err != nil || len(b) > maxRecordsSize || json.Unmarshal(b, &file) != nil || file.Sum != bodySum(file.Records) ||
		json.Unmarshal(file.Records, &out) != nil || out == nil {
		os.Remove(path)
		return nil
	}
	return out
}

// storeRecords replaces the records with this scan's, in one file written
// atomically.
func (s *Source) storeRecords(records map[string]*repoRecord) {
	path := s.cache.path("commits", s.recordsKey())
	b, err := json.Marshal(records)
	if err == nil {
		b, err = json.Marshal(map[string]any{"sha256": bodySum(b), "records": json.RawMessage(b)})
	}
	if err != nil || len(b) > maxRecordsSize {
		os.Remove(path)
		return
	}
	s.cache.write(path, b)
}

// RateLimitSummary words the rate-limit figures of a scan for a progress
// line: REST's remaining requests, and for a GraphQL scan the points it
// cost and those left, as GitHub reported them.
func (st Stats) RateLimitSummary() string {
	rest := "unknown"
	if st.RateLimitRemaining >= 0 {
		rest = strconv.Itoa(st.RateLimitRemaining)
	}
	if st.API != APIGraphQL {
		s := "rate limit left " + rest
		if st.Fallback != "" {
			s += " (REST: " + st.Fallback + ")"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GraphQL: %d queries, %d points", st.GraphQLQueries, st.GraphQLPoints)
	if st.GraphQLRemaining >= 0 {
		fmt.Fprintf(&b, ", %d", st.GraphQLRemaining)
		if st.GraphQLLimit > 0 {
			fmt.Fprintf(&b, " of %d", st.GraphQLLimit)
		}
		b.WriteString(" left")
		if !st.GraphQLResetAt.IsZero() {
			fmt.Fprintf(&b, " until %s", st.GraphQLResetAt.UTC().Format(time.RFC3339))
		}
	}
	if st.RateLimitRemaining >= 0 {
		fmt.Fprintf(&b, "; REST rate limit left %s", rest)
	}
	return b.String()
}
