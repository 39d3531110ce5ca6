package backstage

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

// fakeCatalog serves /api/catalog/entities/by-query like Backstage: cursor
// pagination over a fixed list, 400 for unknown parameters, filter taken
// only from the first request, default limit 200.
type fakeCatalog struct {
	entities []map[string]any
	// hook, when set, answers request n (1-based) instead; it returns
	// false to let the fake answer normally.
	hook func(w http.ResponseWriter, r *http.Request, n int) bool

	mu   sync.Mutex
	reqs []request
}

type request struct {
	query url.Values
	auth  string
	hasAu bool
}

func (f *fakeCatalog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	_, hasAuth := r.Header["Authorization"]
	f.reqs = append(f.reqs, request{query: r.URL.Query(), auth: r.Header.Get("Authorization"), hasAu: hasAuth})
	n := len(f.reqs)
	hook := f.hook
	f.mu.Unlock()
	if r.URL.Path != "/api/catalog/entities/by-query" {
		w.WriteHeader(http.StatusNotFound) // Backstage: unknown route, empty body
		return
	}
	if hook != nil && hook(w, r, n) {
		return
	}
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains([]string{"limit", "offset", "fields", "filter", "orderField", "cursor", "fullTextFilterTerm", "fullTextFilterFields", "totalItems"}, k) {
			writeError(w, http.StatusBadRequest, "InputError", "Unknown query parameter '"+k+"'")
			return
		}
	}
	limit := 200
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		var err error
		if offset, err = decodeFakeCursor(c); err != nil {
			writeError(w, http.StatusBadRequest, "InputError", "Malformed cursor: "+err.Error())
			return
		}
	}
	end := min(offset+limit, len(f.entities))
	resp := map[string]any{"items": f.entities[offset:end], "totalItems": len(f.entities), "pageInfo": map[string]any{}}
	if end < len(f.entities) {
		resp["pageInfo"] = map[string]any{"nextCursor": fakeCursor(end)}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(resp)
}

func (f *fakeCatalog) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

// fakeCursor is opaque base64 with "+", "/" and "=" in it, as Backstage's
// are, to check that cursors are escaped in the query.
func fakeCursor(offset int) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "\xfb\xef\xbe\xff%d", offset))
}

func decodeFakeCursor(c string) (int, error) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil || len(b) < 5 || string(b[:4]) != "\xfb\xef\xbe\xff" {
		return 0, fmt.Errorf("bad cursor %q", c)
	}
	return strconv.Atoi(string(b[4:]))
}

func writeError(w http.ResponseWriter, status int, name, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"error":    map[string]any{"name": name, "message": message, "stack": name + ": " + message + "\n    at somewhere.js:1:1"},
		"request":  map[string]any{"method": "GET", "url": "/entities/by-query"},
		"response": map[string]any{"statusCode": status},
	})
}

func ent(kind, ns, name string, annotations map[string]string) map[string]any {
	md := map[string]any{"name": name}
	if ns != "" {
		md["namespace"] = ns
	}
	if annotations != nil {
		a := map[string]any{}
		for k, v := range annotations {
			a[k] = v
		}
		md["annotations"] = a
	}
	return map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": kind, "metadata": md, "spec": map[string]any{"owner": "group:default/team-" + name}}
}

// testSource starts srv and returns a Source on it whose retries do not
// sleep but record the delays.
func testSource(t *testing.T, h http.Handler, opts Options) (*Source, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if opts.BaseURL == "" {
		opts.BaseURL = srv.URL
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var slept []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
		return ctx.Err()
	}
	return s, &slept
}

func TestNewValidatesBaseURL(t *testing.T) {
	ok := map[string]string{
		"https://portal.example.com":              "backstage:https://portal.example.com",
		"https://portal.example.com/":             "backstage:https://portal.example.com",
		" http://127.0.0.1:7007 ":                 "backstage:http://127.0.0.1:7007",
		"https://Portal.Example.com/backstage/":   "backstage:https://portal.example.com/backstage",
		"http://[::1]:7007":                       "backstage:http://[::1]:7007",
		"https://example.com/internal/backstage/": "backstage:https://example.com/internal/backstage",
	}
	for in, want := range ok {
		s, err := New(Options{BaseURL: in})
		if err != nil {
			t.Errorf("New(%q): %v", in, err)
			continue
		}
		if s.Name() != want {
			t.Errorf("New(%q).Name() = %q, want %q", in, s.Name(), want)
		}
	}
	bad := map[string]string{
		"":                         "no URL",
		"portal.example.com":       "https:// or http://",
		"ftp://portal.example.com": "https:// or http://",
		"https://":                 "no host",
		"https:portal":             "no host",
		"https://user:hunter2@portal.example.com":                  "credentials",
		"https://portal.example.com/?x=1":                          "query",
		"https://portal.example.com/#top":                          "fragment",
		"https://portal.example.com/api/catalog":                   "without /api/catalog",
		"https://portal.example.com/api/catalog/entities/by-query": "without /api/catalog",
		"https://portal.example.com/a/../b":                        "not clean",
		"https://portal.example.com//x":                            "not clean",
	}
	for in, want := range bad {
		_, err := New(Options{BaseURL: in})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q) = %v, want an error containing %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("New(%q): error shows the password: %v", in, err)
		}
	}
	for _, o := range []Options{
		{BaseURL: "https://x.example", PageSize: -1},
		{BaseURL: "https://x.example", Timeout: -time.Second},
		{BaseURL: "https://x.example", Token: "two words"},
		{BaseURL: "https://x.example", Fields: []string{"metadata.name,spec"}},
		{BaseURL: "https://x.example", Fields: []string{"relations[0]"}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) = nil error", o)
		}
	}
	s, err := New(Options{BaseURL: "https://x.example", Token: " tok-with-newline\n"})
	if err != nil || s.token != "tok-with-newline" {
		t.Errorf("token not trimmed: %q, %v", s.token, err)
	}
	if s.pageSize != DefaultPageSize || s.timeout != DefaultTimeout {
		t.Errorf("defaults: page size %d, timeout %v", s.pageSize, s.timeout)
	}
}

func TestLoadPaginates(t *testing.T) {
	f := &fakeCatalog{}
	for i := range 12 {
		kind := []string{"Group", "User", "Component"}[i%3]
		f.entities = append(f.entities, ent(kind, "", fmt.Sprintf("e%02d", 11-i), map[string]string{
			AnnotationLocation:       "file:/srv/catalog/" + kind + ".yaml",
			AnnotationOriginLocation: "file:/srv/catalog/all.yaml",
		}))
	}
	s, _ := testSource(t, f, Options{PageSize: 5, Filter: "kind=Group,kind=User,kind=Component"})
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 {
		t.Fatalf("got %d entities, want 12", len(got))
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (12 entities, 5 per page)", len(reqs))
	}
	fields := strings.Join(DefaultFields, ",")
	for i, r := range reqs {
		want := url.Values{"limit": {"5"}, "fields": {fields}}
		if i == 0 {
			want.Set("filter", "kind=Group,kind=User,kind=Component")
		} else {
			// Backstage takes the filter from the cursor; limit and
			// fields must be sent again.
			want.Set("cursor", fakeCursor(5*i))
		}
		if fmt.Sprint(r.query) != fmt.Sprint(want) {
			t.Errorf("request %d: query %v, want %v", i+1, r.query, want)
		}
	}
	for i := 1; i < len(got); i++ {
		if compareEntities(got[i-1], got[i]) >= 0 {
			t.Errorf("not sorted: %s/%s before %s/%s", got[i-1].Kind, got[i-1].Name, got[i].Kind, got[i].Name)
		}
	}
	e := got[0]
	if e.Kind != "Component" || e.Namespace != "default" || e.Name != "e00" {
		t.Errorf("first entity %s:%s/%s, want Component:default/e00", e.Kind, e.Namespace, e.Name)
	}
	if e.Source != s.Name() || !strings.HasPrefix(e.Source, "backstage:http://127.0.0.1:") {
		t.Errorf("Source = %q", e.Source)
	}
	if e.Location != "/srv/catalog/Component.yaml" {
		t.Errorf("Location = %q, want the managed-by-location file", e.Location)
	}
	if e.Raw["spec"].(map[string]any)["owner"] != "group:default/team-e00" {
		t.Errorf("Raw = %v", e.Raw)
	}
}

func TestLoadLocation(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{
		ent("Component", "", "url", map[string]string{AnnotationLocation: "url:https://github.com/acme/a/blob/main/catalog-info.yaml"}),
		ent("Component", "", "origin-only", map[string]string{AnnotationOriginLocation: "file:/srv/all.yaml"}),
		ent("Component", "", "other-type", map[string]string{AnnotationLocation: "github-discovery:https://github.com/acme"}),
		ent("Component", "ops", "none", nil),
		ent("Component", "", "weird name", map[string]string{AnnotationLocation: ""}),
	}}
	s, _ := testSource(t, f, Options{})
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimPrefix(s.Name(), "backstage:")
	want := map[string]string{
		"url":         "https://github.com/acme/a/blob/main/catalog-info.yaml",
		"origin-only": "/srv/all.yaml",
		"other-type":  "github-discovery:https://github.com/acme",
		"none":        base + "/api/catalog/entities/by-name/Component/ops/none",
		"weird name":  base + "/api/catalog/entities/by-name/Component/default/weird%20name",
	}
	for _, e := range got {
		if e.Location != want[e.Name] {
			t.Errorf("%s: Location = %q, want %q", e.Name, e.Location, want[e.Name])
		}
	}
}

func TestLoadFields(t *testing.T) {
	for _, c := range []struct {
		fields []string
		want   string
	}{
		{nil, strings.Join(DefaultFields, ",")},
		{[]string{"spec"}, "spec,kind,metadata.name,metadata.namespace,metadata.annotations"},
		{[]string{" spec.owner ", "metadata", "spec.owner", ""}, "spec.owner,metadata,kind"},
		{[]string{"kind", "metadata.name", "metadata.namespace", "metadata.annotations", "relations"}, "kind,metadata.name,metadata.namespace,metadata.annotations,relations"},
	} {
		f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil)}}
		s, _ := testSource(t, f, Options{Fields: c.fields})
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := f.requests()[0].query.Get("fields"); got != c.want {
			t.Errorf("Fields %q: sent fields=%q, want %q", c.fields, got, c.want)
		}
	}
}

func TestLoadAuthorizationHeader(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil), ent("Group", "", "b", nil)}}
	s, _ := testSource(t, f, Options{Token: "tok-123456", PageSize: 1})
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, r := range f.requests() {
		if r.auth != "Bearer tok-123456" {
			t.Errorf("request %d: Authorization %q", i+1, r.auth)
		}
	}
	f2 := &fakeCatalog{entities: f.entities}
	s, _ = testSource(t, f2, Options{})
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := f2.requests()[0]; r.hasAu {
		t.Errorf("no token, but Authorization %q sent", r.auth)
	}
}

func TestLoadHTTPErrors(t *testing.T) {
	for _, c := range []struct {
		status      int
		name, msg   string
		want        string
		is          error
		noPageInErr bool
	}{
		{401, "AuthenticationError", "Illegal token", ": unauthorised (401): set BACKSTAGE_TOKEN to a token the catalog accepts (the catalog said: AuthenticationError: Illegal token)", ErrUnauthorized, true},
		{403, "NotAllowedError", "Access denied", ": forbidden (403): the token is not allowed to read the catalog", ErrForbidden, true},
		{404, "", "", ": no catalog API at %s/api/catalog (404): is this the Backstage backend URL?", ErrNoCatalog, true},
		{400, "InputError", "Invalid filter, '=x' is not a valid statement", ": page 1: the catalog rejected the request (400) (the catalog said: InputError: Invalid filter, '=x' is not a valid statement)", nil, false},
		{418, "", "", ": page 1: unexpected response 418 I'm a teapot", nil, false},
	} {
		f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
			if c.name == "" {
				w.WriteHeader(c.status)
			} else {
				writeError(w, c.status, c.name, c.msg)
			}
			return true
		}}
		s, slept := testSource(t, f, Options{Token: "tok-123456"})
		_, err := s.Load(context.Background())
		base := strings.TrimPrefix(s.Name(), "backstage:")
		want := s.Name() + strings.ReplaceAll(c.want, "%s", base)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d: error %v\nwant prefix %s", c.status, err, want)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%d: errors.Is(err, %v) = false", c.status, c.is)
		}
		if n := len(f.requests()); n != 1 || len(*slept) != 0 {
			t.Errorf("%d: %d requests, %d retries; a 4xx is not retried", c.status, n, len(*slept))
		}
	}
}

func TestLoadRetries5xx(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil), ent("Group", "", "b", nil)}}
	f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 2:
			writeError(w, 500, "Error", "database is locked")
			return true
		case 3:
			w.WriteHeader(502) // a proxy, no JSON
			w.Write([]byte("<html>bad gateway</html>"))
			return true
		}
		return false
	}
	s, slept := testSource(t, f, Options{PageSize: 1})
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(f.requests()) != 4 {
		t.Fatalf("%d entities in %d requests, want 2 in 4", len(got), len(f.requests()))
	}
	// Exponential backoff from 500ms, ±20%.
	if d := *slept; len(d) != 2 || d[0] < 400*time.Millisecond || d[0] > 600*time.Millisecond || d[1] < 800*time.Millisecond || d[1] > 1200*time.Millisecond {
		t.Errorf("backoff %v, want about [500ms 1s]", d)
	}
	if q := f.requests()[3].query; q.Get("cursor") != fakeCursor(1) {
		t.Errorf("the retry asked for %v, want the same page", q)
	}
}

func TestLoadGivesUpAfterThreeTries(t *testing.T) {
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		writeError(w, 503, "ServiceUnavailableError", "catalog not ready")
		return true
	}}
	s, slept := testSource(t, f, Options{})
	_, err := s.Load(context.Background())
	want := s.Name() + ": page 1: server error (503) (the catalog said: ServiceUnavailableError: catalog not ready) (gave up after 3 tries)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant      %s", err, want)
	}
	if len(f.requests()) != 3 || len(*slept) != 2 {
		t.Errorf("%d requests, %d waits; want 3 and 2", len(f.requests()), len(*slept))
	}
}

func TestLoad429RetryAfter(t *testing.T) {
	for _, c := range []struct {
		header   string
		min, max time.Duration
	}{
		{"7", 7 * time.Second, 7 * time.Second},
		{time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat), 1 * time.Second, 3 * time.Second},
		{"0", time.Millisecond, time.Millisecond},
		{"soon", 400 * time.Millisecond, 600 * time.Millisecond}, // unparsable: backoff
	} {
		f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil)}}
		f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n == 1 {
				w.Header().Set("Retry-After", c.header)
				writeError(w, 429, "Error", "Too many requests")
				return true
			}
			return false
		}
		s, slept := testSource(t, f, Options{})
		got, err := s.Load(context.Background())
		if err != nil || len(got) != 1 {
			t.Fatalf("Retry-After %q: %d entities, %v", c.header, len(got), err)
		}
		if d := *slept; len(d) != 1 || d[0] < c.min || d[0] > c.max {
			t.Errorf("Retry-After %q: waited %v, want %v..%v", c.header, d, c.min, c.max)
		}
	}

	// Longer than MaxRetryAfter: fail at once rather than hang.
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(429)
		return true
	}}
	s, slept := testSource(t, f, Options{})
	_, err := s.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "rate limited (429): the catalog asks to retry after 1h0m0s; try again later") {
		t.Errorf("error %v", err)
	}
	if len(f.requests()) != 1 || len(*slept) != 0 {
		t.Errorf("%d requests, %d waits; want 1 and 0", len(f.requests()), len(*slept))
	}
}

func TestLoadMalformedPage(t *testing.T) {
	for _, c := range []struct {
		body, contentType, want string
	}{
		{`{"items": [{"kind": "Group", "metadata": {"na`, "application/json", ": page 2: malformed response: it ends early"},
		{`{"items": 3}`, "application/json", `: page 2: malformed response: not a page of entities: want "[", found 3`},
		{`{"entities": []}`, "application/json", `: page 2: malformed response: no "items" list`},
		{`[]`, "application/json", `: page 2: malformed response: not a page of entities: want "{", found [`},
		{"<!doctype html><html>sign in</html>", "text/html", ": page 2: got an HTML page, not catalog JSON (a login page, or the frontend?): is this the Backstage backend URL?"},
		{`{"items": [{"kind": "Group"}], "pageInfo": {}}`, "application/json", ": page 2: item 1: not an entity: no kind or metadata.name"},
		{`{"items": [{"kind": "Group", "metadata": {"name": "x"}}, {"kind": "Group"}], "pageInfo": {}}`, "application/json", ": page 2: malformed response: not a page of entities: more than the 1 entities asked for"},
		{`{"items": [{"kind": "Group", "metadata": {"name": "` + strings.Repeat("x", MaxEntitySize+1<<20) + `"}}], "pageInfo": {}}`, "application/json", ": page 2: an entity of the page is larger than 16 MiB: stopping"},
		{"{\"items\": [" + strings.Repeat(" ", MaxPageSize) + "]}", "application/json", ": page 2: the page is larger than 64 MiB: stopping"},
		{`{"items": [null], "pageInfo": {}}`, "application/json", ": page 2: item 1: not a JSON object"},
		{`{"items": [17], "pageInfo": {}}`, "application/json", ": page 2: malformed response: json: cannot unmarshal number"},
	} {
		f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil), ent("Group", "", "b", nil)}}
		f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n == 2 {
				w.Header().Set("Content-Type", c.contentType)
				w.Write([]byte(c.body))
				return true
			}
			return false
		}
		s, slept := testSource(t, f, Options{PageSize: 1})
		_, err := s.Load(context.Background())
		if err == nil || !strings.HasPrefix(err.Error(), s.Name()+c.want) {
			t.Errorf("body %s:\n error %v\n want  %s%s", c.body, err, s.Name(), c.want)
		}
		if len(*slept) != 0 {
			t.Errorf("body %s: retried", c.body)
		}
	}
}

func TestLoadRepeatingCursor(t *testing.T) {
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		fmt.Fprintf(w, `{"items": [{"kind": "Group", "metadata": {"name": "g%d"}}], "totalItems": 9, "pageInfo": {"nextCursor": "same"}}`, n)
		return true
	}}
	s, _ := testSource(t, f, Options{})
	_, err := s.Load(context.Background())
	want := s.Name() + ": page 2: the catalog returned the cursor of page 2 again: stopping, as following it would loop"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant      %s", err, want)
	}
	if len(f.requests()) != 2 {
		t.Errorf("%d requests, want 2", len(f.requests()))
	}
}

func TestLoadPageCap(t *testing.T) {
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		fmt.Fprintf(w, `{"items": [], "pageInfo": {"nextCursor": "c%d"}}`, n)
		return true
	}}
	s, _ := testSource(t, f, Options{PageSize: 7})
	s.maxPages = 4
	_, err := s.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), ": more than 4 pages of 7 entities: stopping") {
		t.Errorf("error %v", err)
	}
	if len(f.requests()) != 4 {
		t.Errorf("%d requests, want 4", len(f.requests()))
	}
}

func TestLoadDuplicates(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{
		ent("Group", "", "a", nil), ent("Group", "default", "A", nil), ent("group", "", "b", nil), ent("Group", "other", "a", nil),
	}}
	s, _ := testSource(t, f, Options{PageSize: 1})
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, e := range got {
		refs = append(refs, e.Kind+":"+e.Namespace+"/"+e.Name)
	}
	if want := "[Group:default/a group:default/b Group:other/a]"; fmt.Sprint(refs) != want {
		t.Errorf("got %v, want %s", refs, want)
	}
}

func TestLoadContextCancel(t *testing.T) {
	// Cancelled while a request is in flight.
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return true
	}}
	s, slept := testSource(t, f, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Load(ctx)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), s.Name()+": page 1: context canceled") {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("Load took %v after cancel", el)
	}
	if len(*slept) != 0 {
		t.Errorf("retried after cancel")
	}

	// Cancelled while waiting to retry (real sleep).
	f2 := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(503)
		return true
	}}
	srv := httptest.NewServer(f2)
	defer srv.Close()
	s2, err := New(Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	s2.backoff = time.Hour
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	_, err = s2.Load(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "while waiting to retry: page 1: server error (503)") {
		t.Errorf("error %v", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("Load took %v after cancel", el)
	}
}

// A request that times out is not retried: a hang costs --timeout, not
// three times it.
func TestLoadTimeoutIsNotRetried(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil)}}
	f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}
		return false
	}
	s, slept := testSource(t, f, Options{Timeout: 100 * time.Millisecond})
	_, err := s.Load(context.Background())
	if want := s.Name() + ": page 1: no complete answer within 100ms (--timeout)"; err == nil || err.Error() != want {
		t.Fatalf("error %v\nwant      %s", err, want)
	}
	if len(f.requests()) != 1 || len(*slept) != 0 {
		t.Errorf("%d requests, %d waits; want 1 and 0", len(f.requests()), len(*slept))
	}

	// Every try times out.
	f = &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		<-r.Context().Done()
		return true
	}}
	s, _ = testSource(t, f, Options{Timeout: 100 * time.Millisecond})
	_, err = s.Load(context.Background())
	want := s.Name() + ": page 1: no complete answer within 100ms (--timeout)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant      %s", err, want)
	}
}

func TestLoadConnectionError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	s, err := New(Options{BaseURL: srv.URL, Token: "tok-123456"})
	if err != nil {
		t.Fatal(err)
	}
	var slept []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	_, err = s.Load(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), s.Name()+": page 1: cannot reach the catalog: dial tcp") || !strings.HasSuffix(err.Error(), "(gave up after 3 tries)") {
		t.Errorf("error %v", err)
	}
	if strings.Contains(err.Error(), "by-query") {
		t.Errorf("error shows the request URL: %v", err)
	}
	if len(slept) != 2 {
		t.Errorf("%d waits, want 2", len(slept))
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	const token = "s3cr3t-t0ken-value"
	echo := func(status int) func(w http.ResponseWriter, r *http.Request, n int) bool {
		return func(w http.ResponseWriter, r *http.Request, n int) bool {
			// A server that echoes the credentials back.
			writeError(w, status, "Error", "bad credentials: "+r.Header.Get("Authorization"))
			return true
		}
	}
	hooks := map[string]func(w http.ResponseWriter, r *http.Request, n int) bool{
		"401": echo(401), "403": echo(403), "400": echo(400), "500": echo(500), "429": echo(429),
		"html": func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<p>%s</p>", r.Header.Get("Authorization"))
			return true
		},
		"malformed": func(w http.ResponseWriter, r *http.Request, n int) bool {
			fmt.Fprintf(w, `{"items": [%q`, r.Header.Get("Authorization"))
			return true
		},
	}
	for name, h := range hooks {
		f := &fakeCatalog{hook: h}
		s, _ := testSource(t, f, Options{Token: token})
		_, err := s.Load(context.Background())
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), token) {
			t.Errorf("%s: the token is in the error: %v", name, err)
		}
		if f.requests()[0].auth != "Bearer "+token {
			t.Errorf("%s: Authorization %q", name, f.requests()[0].auth)
		}
	}
	// New's errors do not show it either.
	if _, err := New(Options{BaseURL: "ftp://x", Token: token}); err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("New: %v", err)
	}
}

// compareEntities is the order of Load: kind, namespace, name, ignoring case.
func compareEntities(a, b catalog.Entity) int {
	return cmp.Or(
		cmp.Compare(strings.ToLower(a.Kind), strings.ToLower(b.Kind)),
		cmp.Compare(strings.ToLower(a.Namespace), strings.ToLower(b.Namespace)),
		cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Namespace, b.Namespace),
		cmp.Compare(a.Name, b.Name),
	)
}
