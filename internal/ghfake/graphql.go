// Package ghfake is a local server that speaks the part of GitHub's GraphQL
// API (POST /graphql, /api/graphql on GitHub Enterprise Server) that
// organisation scans use, the way GitHub does: one query per request with
// variables, aliases and inline fragments; organization.repositories with
// cursor pagination (first ≤ 100, pageInfo{hasNextPage endCursor});
// repository(owner, name); Repository.object(expression: "REV:path") as a
// Blob (text, byteSize, isBinary, isTruncated, oid) or a Tree; the
// rateLimit object with GitHub's cost formula; the node limit; and GitHub's
// error shapes: validation and resolution errors with HTTP 200 ({"errors":
// [{"type": "NOT_FOUND" | "FORBIDDEN" | "RATE_LIMITED" |
// "MAX_NODE_LIMIT_EXCEEDED" | "EXCESSIVE_PAGINATION", "path", "message"}]}),
// 401 without credentials, x-ratelimit-* headers of resource "graphql".
// Hook lets a test answer a request itself (a 502, a secondary limit, a
// slow answer).
package ghfake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Repo is a repository of the fake organisation.
type Repo struct {
	Name                            string
	Branch                          string // default "main"
	Archived, Fork, Disabled, Empty bool
	CreatedAt, PushedAt             time.Time
	// Files maps paths to contents; a content holding a NUL byte is binary.
	Files map[string]string
	// Links are symbolic links, path to target; GraphQL gives one as git
	// stores it: a Blob whose text is the target.
	Links map[string]string
}

// GraphQL is the fake endpoint; it is an http.Handler.
type GraphQL struct {
	// Org is the organisation's login.
	Org string
	// Token, when set, is the only credential accepted; any credential is
	// accepted otherwise. No credential is always a 401, as on GitHub.
	Token string
	// Repos returns the organisation's repositories, sorted by name
	// (case-insensitively). It is called once per request.
	Repos func() []Repo
	// Limit is the points an hour (default 5000); MaxNodes the node limit
	// (default 500,000); MaxText the largest Blob.text served whole
	// (default 512 KiB; larger texts are cut and isTruncated is true).
	Limit, MaxNodes, MaxText int
	// Forbidden answers every organization and repository field with a
	// FORBIDDEN error (a token whose organisation blocks it, or a
	// fine-grained token without access); InsufficientScopes answers with
	// INSUFFICIENT_SCOPES.
	Forbidden, InsufficientScopes bool
	// ForbiddenRepos answers repository(owner, name) for these names with
	// FORBIDDEN (an organisation that restricts some repositories).
	ForbiddenRepos map[string]bool
	// Hook, when set, runs first; it handles the request when it returns
	// true. Set it with SetHook while requests may be in flight.
	Hook func(w http.ResponseWriter, r *http.Request, query string) bool

	mu      sync.Mutex
	used    int
	resetAt time.Time

	// Requests counts POSTs; Points the points charged; Objects the
	// object(expression:) fields resolved; Bytes the bytes of answers.
	Requests, Points, Objects, Bytes atomic.Int64
}

// SetHook replaces Hook safely while requests are in flight.
func (g *GraphQL) SetHook(h func(w http.ResponseWriter, r *http.Request, query string) bool) {
	g.mu.Lock()
	g.Hook = h
	g.mu.Unlock()
}

// ResetCounts zeroes the counters and the points used.
func (g *GraphQL) ResetCounts() {
	g.Requests.Store(0)
	g.Points.Store(0)
	g.Objects.Store(0)
	g.Bytes.Store(0)
	g.mu.Lock()
	g.used = 0
	g.mu.Unlock()
}

// SetUsed sets the points used in the current hour (to exhaust the limit).
func (g *GraphQL) SetUsed(n int) {
	g.mu.Lock()
	g.used = n
	if g.resetAt.IsZero() || time.Now().After(g.resetAt) {
		g.resetAt = time.Now().Add(time.Hour).Truncate(time.Second)
	}
	g.mu.Unlock()
}

func (g *GraphQL) limit() int {
	if g.Limit > 0 {
		return g.Limit
	}
	return 5000
}

type gqlErr struct {
	Type      string           `json:"type,omitempty"`
	Path      []any            `json:"path,omitempty"`
	Locations []map[string]int `json:"locations,omitempty"`
	Message   string           `json:"message"`
}

type request struct {
	Query     string                     `json:"query"`
	Variables map[string]json.RawMessage `json:"variables"`
}

func (g *GraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.Requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	var req request
	jerr := json.Unmarshal(body, &req)
	g.mu.Lock()
	hook := g.Hook
	g.mu.Unlock()
	if hook != nil && hook(w, r, req.Query) {
		return
	}
	auth := r.Header.Get("Authorization")
	tok, hasTok := strings.CutPrefix(auth, "Bearer ")
	if !hasTok {
		tok, hasTok = strings.CutPrefix(auth, "token ")
	}
	switch {
	case !hasTok || tok == "":
		g.write(w, http.StatusUnauthorized, map[string]string{"message": "This endpoint requires you to be authenticated.", "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"}, 0)
		return
	case g.Token != "" && tok != g.Token:
		g.write(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/graphql"}, 0)
		return
	case r.Method != http.MethodPost:
		g.write(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/graphql"}, 0)
		return
	case jerr != nil:
		g.write(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON", "documentation_url": "https://docs.github.com/graphql"}, 0)
		return
	}
	op, err := parse(req.Query)
	if err != nil {
		pe := err.(*parseError)
		g.write(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: pe.msg, Locations: []map[string]int{{"line": pe.line, "column": pe.col}}}}}, 0)
		return
	}
	ex := &exec{g: g, op: op, vars: map[string]any{}}
	for k, raw := range req.Variables {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			ex.vars[k] = v
		}
	}
	for k, def := range op.vars {
		if _, ok := ex.vars[k]; !ok && def != nil {
			ex.vars[k] = ex.lit(*def)
		}
	}
	// Validation: pagination arguments and the node limit.
	nodes, requests, verr := ex.count(op.sel, "Query", 1)
	if verr != nil {
		g.write(w, http.StatusOK, map[string]any{"errors": []gqlErr{*verr}}, 0)
		return
	}
	maxNodes := g.MaxNodes
	if maxNodes <= 0 {
		maxNodes = 500_000
	}
	if nodes > maxNodes {
		g.write(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Type: "MAX_NODE_LIMIT_EXCEEDED",
			Message: fmt.Sprintf("This query requests up to %s possible nodes which exceeds the maximum limit of %s.", commas(nodes), commas(maxNodes))}}}, 0)
		return
	}
	cost := max(1, (requests+50)/100)
	g.mu.Lock()
	now := time.Now()
	if g.resetAt.IsZero() || now.After(g.resetAt) {
		g.resetAt, g.used = now.Add(time.Hour).Truncate(time.Second), 0
	}
	if g.used+cost > g.limit() {
		g.mu.Unlock()
		g.write(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Type: "RATE_LIMITED", Message: "API rate limit exceeded for user ID 1."}}}, -1)
		return
	}
	g.used += cost
	g.mu.Unlock()
	g.Points.Add(int64(cost))
	ex.cost = cost
	ex.repos = g.Repos()
	data := ex.object("Query", nil, op.sel, nil)
	out := map[string]any{"data": data}
	if len(ex.errs) > 0 {
		out["errors"] = ex.errs
	}
	g.write(w, http.StatusOK, out, cost)
}

func commas(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// write sends an answer with GitHub's rate-limit headers (exhausted: -1).
func (g *GraphQL) write(w http.ResponseWriter, code int, v any, cost int) {
	g.mu.Lock()
	used, reset := g.used, g.resetAt
	g.mu.Unlock()
	if reset.IsZero() {
		reset = time.Now().Add(time.Hour)
	}
	rem := g.limit() - used
	if cost < 0 {
		rem = 0
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-RateLimit-Limit", strconv.Itoa(g.limit()))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, rem)))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "graphql")
	b, _ := json.Marshal(v)
	g.Bytes.Add(int64(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}

// --- execution ---

type exec struct {
	g     *GraphQL
	op    *operation
	vars  map[string]any
	repos []Repo
	cost  int
	errs  []gqlErr
}

func (ex *exec) lit(v value) any {
	switch v.kind {
	case "var":
		return ex.vars[v.s]
	case "string", "enum":
		return v.s
	case "int":
		return float64(v.i)
	case "bool":
		return v.b
	case "list":
		var out []any
		for _, x := range v.list {
			out = append(out, ex.lit(x))
		}
		return out
	case "object":
		out := map[string]any{}
		for k, x := range v.obj {
			out[k] = ex.lit(x)
		}
		return out
	}
	return nil
}

func (ex *exec) arg(f *field, name string) any {
	v, ok := f.args[name]
	if !ok {
		return nil
	}
	return ex.lit(v)
}

func (ex *exec) included(f *field) bool {
	if f.include != nil {
		if b, _ := ex.lit(*f.include).(bool); !b {
			return false
		}
	}
	if f.skip != nil {
		if b, _ := ex.lit(*f.skip).(bool); b {
			return false
		}
	}
	return true
}

// connections are the connection fields of the schema served.
var connections = map[string]bool{"repositories": true}

// count walks the query as GitHub's validation does: every connection
// needs first or last within 1–100; nodes is the sum over connections of
// the product of the page sizes down to them; requests is GitHub's cost
// count (one per connection per parent node).
func (ex *exec) count(sel []*field, typ string, mult int) (nodes, requests int, err *gqlErr) {
	for _, f := range sel {
		if f.name == "" {
			n, r, e := ex.count(f.sel, f.on, mult)
			if e != nil {
				return 0, 0, e
			}
			nodes, requests = nodes+n, requests+r
			continue
		}
		if !connections[f.name] {
			if f.sel != nil {
				n, r, e := ex.count(f.sel, f.name, mult)
				if e != nil {
					return 0, 0, e
				}
				nodes, requests = nodes+n, requests+r
			}
			continue
		}
		page := 0
		for _, a := range []string{"first", "last"} {
			if v, ok := ex.arg(f, a).(float64); ok {
				if v < 1 || v > 100 {
					return 0, 0, &gqlErr{Type: "EXCESSIVE_PAGINATION", Path: []any{f.key()}, Message: fmt.Sprintf("Requesting %d records on the `%s` connection exceeds the `%s` limit of 100 records.", int(v), f.name, a)}
				}
				page = int(v)
			}
		}
		if page == 0 {
			return 0, 0, &gqlErr{Type: "MISSING_PAGINATION_BOUNDARIES", Path: []any{f.key()}, Message: fmt.Sprintf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", f.name)}
		}
		nodes += mult * page
		requests += mult
		n, r, e := ex.count(f.sel, f.name, mult*page)
		if e != nil {
			return 0, 0, e
		}
		nodes, requests = nodes+n, requests+r
	}
	return nodes, requests, nil
}

// object resolves a selection on a value of a type; path is the response
// path, for errors.
func (ex *exec) object(typ string, v any, sel []*field, path []any) map[string]any {
	out := map[string]any{}
	for _, f := range sel {
		if !ex.included(f) {
			continue
		}
		if f.name == "" {
			if f.on == typ || (f.on == "GitObject" && (typ == "Blob" || typ == "Tree" || typ == "Commit")) {
				for k, x := range ex.object(typ, v, f.sel, path) {
					out[k] = x
				}
			}
			continue
		}
		p := append(slices.Clone(path), f.key())
		x, ok := ex.field(typ, v, f, p)
		if !ok {
			return nil
		}
		out[f.key()] = x
	}
	return out
}

type org struct{ login string }
type ref struct{ repo *Repo }
type commit struct{ repo *Repo }
type blob struct{ text string }
type tree struct{ path string }
type pageInfo struct {
	next   bool
	cursor string
}
type conn struct {
	nodes []Repo
	info  pageInfo
	total int
}

func (ex *exec) fail(e gqlErr) (any, bool) {
	ex.errs = append(ex.errs, e)
	return nil, true
}

func (ex *exec) undefined(typ string, f *field) (any, bool) {
	ex.errs = append(ex.errs, gqlErr{Path: []any{f.key()}, Locations: []map[string]int{{"line": f.line, "column": f.col}},
		Message: fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.name, typ)})
	return nil, false
}

// field resolves one field; ok false makes the parent null (an unknown
// field).
func (ex *exec) field(typ string, v any, f *field, path []any) (any, bool) {
	sub := func(t string, x any) any {
		if f.sel == nil {
			return x
		}
		return ex.object(t, x, f.sel, path)
	}
	if f.name == "__typename" {
		return typ, true
	}
	switch typ {
	case "Query":
		switch f.name {
		case "rateLimit":
			ex.g.mu.Lock()
			used, reset := ex.g.used, ex.g.resetAt
			ex.g.mu.Unlock()
			return ex.object("RateLimit", map[string]any{"cost": ex.cost, "limit": ex.g.limit(), "remaining": ex.g.limit() - used,
				"used": used, "resetAt": reset.UTC().Format(time.RFC3339), "nodeCount": 0}, f.sel, path), true
		case "organization":
			login, _ := ex.arg(f, "login").(string)
			if !strings.EqualFold(login, ex.g.Org) {
				return ex.fail(gqlErr{Type: "NOT_FOUND", Path: path, Message: fmt.Sprintf("Could not resolve to an Organization with the login of '%s'.", login)})
			}
			if e := ex.denied(path); e {
				return nil, true
			}
			return sub("Organization", org{ex.g.Org}), true
		case "repository":
			owner, _ := ex.arg(f, "owner").(string)
			name, _ := ex.arg(f, "name").(string)
			r := ex.find(owner, name)
			if r == nil {
				return ex.fail(gqlErr{Type: "NOT_FOUND", Path: path, Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)})
			}
			if e := ex.denied(path); e {
				return nil, true
			}
			if ex.g.ForbiddenRepos[r.Name] {
				return ex.fail(gqlErr{Type: "FORBIDDEN", Path: path, Message: fmt.Sprintf("Resource not accessible by integration (%s/%s)", ex.g.Org, r.Name)})
			}
			return sub("Repository", r), true
		}
	case "RateLimit":
		if x, ok := v.(map[string]any)[f.name]; ok {
			return x, true
		}
	case "Organization":
		o := v.(org)
		switch f.name {
		case "login":
			return o.login, true
		case "repositories":
			return sub("RepositoryConnection", ex.page(f)), true
		}
	case "RepositoryConnection":
		c := v.(conn)
		switch f.name {
		case "totalCount":
			return c.total, true
		case "pageInfo":
			return sub("PageInfo", c.info), true
		case "nodes":
			out := make([]any, 0, len(c.nodes))
			for i := range c.nodes {
				out = append(out, ex.object("Repository", &c.nodes[i], f.sel, append(slices.Clone(path), i)))
			}
			return out, true
		}
	case "PageInfo":
		pi := v.(pageInfo)
		switch f.name {
		case "hasNextPage":
			return pi.next, true
		case "endCursor":
			if pi.cursor == "" {
				return nil, true
			}
			return pi.cursor, true
		}
	case "Repository":
		r := v.(*Repo)
		switch f.name {
		case "name":
			return r.Name, true
		case "nameWithOwner":
			return ex.g.Org + "/" + r.Name, true
		case "owner":
			return sub("Organization", org{ex.g.Org}), true
		case "isArchived":
			return r.Archived, true
		case "isFork":
			return r.Fork, true
		case "isDisabled":
			return r.Disabled, true
		case "isEmpty":
			return r.Empty, true
		case "isPrivate":
			return false, true
		case "createdAt":
			return r.CreatedAt.UTC().Format(time.RFC3339), true
		case "pushedAt":
			return r.PushedAt.UTC().Format(time.RFC3339), true
		case "defaultBranchRef":
			if r.Empty {
				return nil, true
			}
			return sub("Ref", ref{r}), true
		case "object":
			ex.g.Objects.Add(1)
			expr, _ := ex.arg(f, "expression").(string)
			o, t := ex.resolve(r, expr)
			if o == nil {
				return nil, true
			}
			return sub(t, o), true
		}
	case "Ref":
		rf := v.(ref)
		switch f.name {
		case "name":
			return rf.repo.branch(), true
		case "prefix":
			return "refs/heads/", true
		case "target":
			return sub("Commit", commit(rf)), true
		}
	case "Commit":
		switch f.name {
		case "oid":
			return CommitOID(*v.(commit).repo), true
		}
	case "Blob":
		b := v.(blob)
		maxText := ex.g.MaxText
		if maxText <= 0 {
			maxText = 512 << 10
		}
		binary := strings.IndexByte(b.text, 0) >= 0
		switch f.name {
		case "oid":
			return BlobOID(b.text), true
		case "byteSize":
			return len(b.text), true
		case "isBinary":
			return binary, true
		case "isTruncated":
			return !binary && len(b.text) > maxText, true
		case "text":
			switch {
			case binary:
				return nil, true
			case len(b.text) > maxText:
				return b.text[:maxText], true
			}
			return b.text, true
		}
	case "Tree":
		switch f.name {
		case "oid":
			return BlobOID("tree:" + v.(tree).path), true
		}
	}
	return ex.undefined(typ, f)
}

// denied answers FORBIDDEN or INSUFFICIENT_SCOPES when configured so.
func (ex *exec) denied(path []any) bool {
	switch {
	case ex.g.InsufficientScopes:
		ex.errs = append(ex.errs, gqlErr{Type: "INSUFFICIENT_SCOPES", Path: path, Message: "Your token has not been granted the required scopes to execute this query. The 'name' field requires one of the following scopes: ['read:org'], but your token has only been granted the: ['gist'] scopes. Please modify your token's scopes at: https://github.com/settings/tokens."})
		return true
	case ex.g.Forbidden:
		ex.errs = append(ex.errs, gqlErr{Type: "FORBIDDEN", Path: path, Message: "Resource not accessible by personal access token"})
		return true
	}
	return false
}

func (r *Repo) branch() string {
	if r.Branch == "" {
		return "main"
	}
	return r.Branch
}

func (ex *exec) find(owner, name string) *Repo {
	if !strings.EqualFold(owner, ex.g.Org) {
		return nil
	}
	i, ok := slices.BinarySearchFunc(ex.repos, name, func(r Repo, n string) int { return strings.Compare(strings.ToLower(r.Name), strings.ToLower(n)) })
	if !ok {
		return nil
	}
	return &ex.repos[i]
}

// page serves a page of the organisation's repositories after the cursor.
func (ex *exec) page(f *field) conn {
	first, _ := ex.arg(f, "first").(float64)
	start := 0
	if after, ok := ex.arg(f, "after").(string); ok && after != "" {
		b, err := base64.StdEncoding.DecodeString(after)
		n, ok := strings.CutPrefix(string(b), "cursor:v2:")
		i, err2 := strconv.Atoi(n)
		if err != nil || !ok || err2 != nil || i < 0 {
			ex.errs = append(ex.errs, gqlErr{Type: "INVALID_CURSOR_ARGUMENTS", Path: []any{f.key()}, Message: fmt.Sprintf("`%s` does not appear to be a valid cursor.", after)})
			return conn{nodes: []Repo{}}
		}
		start = i + 1
	}
	start = min(start, len(ex.repos))
	end := min(len(ex.repos), start+int(first))
	c := conn{nodes: ex.repos[start:end], total: len(ex.repos)}
	c.info.next = end < len(ex.repos)
	if end > start {
		c.info.cursor = base64.StdEncoding.EncodeToString([]byte("cursor:v2:" + strconv.Itoa(end-1)))
	}
	return c
}

// resolve evaluates "REV:path" where REV is HEAD, the default branch or
// the commit oid of the repository's only commit.
func (ex *exec) resolve(r *Repo, expr string) (any, string) {
	rev, p, ok := strings.Cut(expr, ":")
	if !ok || r.Empty {
		return nil, ""
	}
	if rev != "HEAD" && rev != r.branch() && rev != CommitOID(*r) {
		return nil, ""
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return tree{""}, "Tree"
	}
	if c, ok := r.Files[p]; ok {
		return blob{c}, "Blob"
	}
	if target, ok := r.Links[p]; ok {
		return blob{target}, "Blob"
	}
	for f := range r.Files {
		if strings.HasPrefix(f, p+"/") {
			return tree{p}, "Tree"
		}
	}
	return nil, ""
}

// BlobOID is git's object id of a blob.
func BlobOID(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00%s", len(content), content)
	return hex.EncodeToString(h.Sum(nil))
}

// CommitOID is the oid of the repository's default branch: it changes
// whenever a file or the branch does.
func CommitOID(r Repo) string {
	h := sha1.New()
	fmt.Fprintf(h, "commit %s\x00", r.branch())
	keys := make([]string, 0, len(r.Files))
	for k := range r.Files {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, BlobOID(r.Files[k]))
	}
	return hex.EncodeToString(h.Sum(nil))
}
