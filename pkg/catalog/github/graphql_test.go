package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/internal/ghfake"
)

// withGraphQL serves GitHub's GraphQL API beside the fake's REST API, at
// /api/graphql as GitHub Enterprise Server does, over the same
// repositories.
func withGraphQL(f *fakeGitHub) *ghfake.GraphQL {
	var (
		cache []ghfake.Repo
		key   string
	)
	g := &ghfake.GraphQL{Org: f.org, Token: f.token}
	g.Repos = func() []ghfake.Repo {
		f.mu.Lock()
		defer f.mu.Unlock()
		var sum int64
		for _, r := range f.repos {
			sum += r.PushedAt.Unix()
		}
		k := fmt.Sprint(len(f.repos), sum)
		if k == key {
			return cache
		}
		out := make([]ghfake.Repo, len(f.repos))
		for i, r := range f.repos {
			files := make(map[string]string, len(r.Files))
			for p, c := range r.Files {
				files[p] = strings.ReplaceAll(c, "{{WEB}}", f.web())
			}
			out[i] = ghfake.Repo{Name: r.Name, Branch: r.Branch, Archived: r.Archived, Fork: r.Fork, Empty: r.Empty, PushedAt: r.PushedAt, CreatedAt: r.CreatedAt, Files: files, Links: r.Links}
		}
		cache, key = out, k
		return out
	}
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/api/graphql" {
			g.ServeHTTP(w, r)
			return true
		}
		return false
	})
	return g
}

func scan(t testing.TB, f *fakeGitHub, o Options) (*Source, []string) {
	t.Helper()
	s := newSource(t, f, o)
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", o.API, err)
	}
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s:%s/%s %s %s", e.Kind, e.Namespace, e.Name, e.Location, e.Source))
	}
	return s, out
}

func TestGraphQLURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "https://api.github.com/graphql",
		"https://api.github.com":         "https://api.github.com/graphql",
		"https://ghe.example.com/api/v3": "https://ghe.example.com/api/graphql",
		"https://ghe.example.com/":       "https://ghe.example.com/api/graphql",
		"https://api.acme.ghe.com/":      "https://api.acme.ghe.com/graphql",
	} {
		u, err := apiBaseURL(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := graphqlURL(u); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}

// Both APIs find the same entities, in the same order, with the same
// repositories and files, on an organisation with Location targets
// (relative, rooted, web URLs, globs), an invalid file, an archived
// repository, a fork, an empty one and a non-default branch name.
func TestGraphQLSameEntitiesAsREST(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	f.add(&fakeRepo{Name: "big", Files: map[string]string{"catalog-info.yaml": component("big") + "# " + strings.Repeat("x", 600<<10) + "\n"}})
	f.add(&fakeRepo{Name: "binary", Files: map[string]string{"catalog-info.yaml": "\x00\x01binary"}})
	// GraphQL gives a symbolic link as a Blob of its target's path; REST
	// gives the file it points at, or nothing for a link out of the
	// repository.
	f.add(&fakeRepo{Name: "linked", Files: map[string]string{"catalog/info.yaml": component("linked")}, Links: map[string]string{"catalog-info.yaml": "catalog/info.yaml"}})
	f.add(&fakeRepo{Name: "linked-out", Files: map[string]string{"README.md": "x\n"}, Links: map[string]string{"catalog-info.yaml": "../../../etc/passwd"}})
	g := withGraphQL(f)
	for _, archived := range []bool{false, true} {
		rs, rest := scan(t, f, Options{Token: testToken, API: APIREST, IncludeArchived: archived, IncludeForks: archived})
		g.ResetCounts()
		gs, gql := scan(t, f, Options{Token: testToken, API: APIGraphQL, IncludeArchived: archived, IncludeForks: archived})
		if !reflect.DeepEqual(rest, gql) {
			t.Fatalf("entities differ:\nREST    %q\nGraphQL %q", rest, gql)
		}
		if len(gql) < 130 {
			t.Fatalf("%d entities", len(gql))
		}
		rr, gr := rs.Repos(), gs.Repos()
		for i := range rr {
			if rr[i].Name == "empty" {
				rr[i].DefaultBranch = "" // GraphQL has no default branch ref for an empty repository
			}
		}
		if !reflect.DeepEqual(rr, gr) {
			t.Errorf("repositories differ:\nREST    %+v\nGraphQL %+v", rr, gr)
		}
		rst, gst := rs.Stats(), gs.Stats()
		if rst.Files != gst.Files || rst.InvalidFiles != gst.InvalidFiles || rst.Repos != gst.Repos || rst.Skipped != gst.Skipped {
			t.Errorf("stats differ:\nREST    %+v\nGraphQL %+v", rst, gst)
		}
		if gst.API != APIGraphQL || rst.API != APIREST {
			t.Errorf("API: %q, %q", gst.API, rst.API)
		}
		// 2 listing pages, one batch per round of Location targets; the
		// large and binary files and the glob's tree through REST.
		if gst.GraphQLQueries > 6 || gst.Requests > 10 {
			t.Errorf("GraphQL scan: %d queries, %d requests", gst.GraphQLQueries, gst.Requests)
		}
		if gst.GraphQLPoints != int(g.Points.Load()) || gst.GraphQLPoints != gst.GraphQLQueries {
			t.Errorf("points: stats %d, server %d, queries %d", gst.GraphQLPoints, g.Points.Load(), gst.GraphQLQueries)
		}
		t.Logf("REST %d requests; GraphQL %d requests (%d queries, %d points)", rst.Requests, gst.Requests, gst.GraphQLQueries, gst.GraphQLPoints)
	}
}

// org10k is an organisation of n repositories: nine in ten with a catalog
// file, one in ten of those a Location naming two more files, one of which
// names a third.
func org10k(n int) []*fakeRepo {
	repos := make([]*fakeRepo, n)
	for i := range repos {
		name := fmt.Sprintf("svc-%05d", i)
		files := map[string]string{}
		switch {
		case i%10 == 0:
			files["README.md"] = "# no catalog"
		case i%10 == 1:
			files["catalog-info.yaml"] = fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: %s\nspec:\n  targets: [./a.yaml, /sub/b.yaml]\n", name)
			files["a.yaml"] = component(name + "-a")
			files["sub/b.yaml"] = component(name+"-b") + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: " + name + "-more\nspec:\n  target: ./c.yaml\n"
			files["sub/c.yaml"] = component(name + "-c")
		default:
			files["catalog-info.yaml"] = component(name)
		}
		repos[i] = &fakeRepo{Name: name, Files: files, Archived: i%97 == 0}
	}
	return repos
}

// A cold scan of 10,000 repositories takes at most 150 requests; a warm
// one only the listing's 100, with no file read; a push to one repository
// costs one batch more.
func TestGraphQLTenThousandRepositories(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 repositories")
	}
	f := newFake(t, org10k(10_000)...)
	f.token = testToken
	g := withGraphQL(f)
	dir := t.TempDir()
	opts := Options{Token: testToken, CacheDir: dir}
	cold, coldEs := scan(t, f, opts)
	st := cold.Stats()
	if st.API != APIGraphQL || st.Requests > 150 || int(g.Requests.Load()) != st.GraphQLQueries {
		t.Fatalf("cold: %+v, server %d queries", st, g.Requests.Load())
	}
	if want := 100; st.GraphQLQueries < want || st.Requests != st.GraphQLQueries {
		t.Errorf("cold: %d queries, %d requests", st.GraphQLQueries, st.Requests)
	}
	if st.GraphQLPoints != int(g.Points.Load()) || st.GraphQLRemaining != 5000-st.GraphQLPoints || st.GraphQLLimit != 5000 {
		t.Errorf("cold: points %d (server %d), remaining %d of %d", st.GraphQLPoints, g.Points.Load(), st.GraphQLRemaining, st.GraphQLLimit)
	}
	if !strings.Contains(st.RateLimitSummary(), fmt.Sprintf("%d points, %d of 5000 left", st.GraphQLPoints, st.GraphQLRemaining)) {
		t.Errorf("summary: %s", st.RateLimitSummary())
	}
	t.Logf("cold: %d requests, %d points, %d entities, %d bytes", st.Requests, st.GraphQLPoints, len(coldEs), st.BytesDownloaded)

	// Warm: the listing through REST (its pages have no ETag in the cache
	// yet: 100 requests, 100 of REST's rate limit), nothing read.
	g.ResetCounts()
	warm, warmEs := scan(t, f, opts)
	wst := warm.Stats()
	if !reflect.DeepEqual(coldEs, warmEs) {
		t.Fatal("warm scan found other entities")
	}
	if wst.Requests != 100 || g.Requests.Load() != 0 || wst.GraphQLPoints != 0 || wst.API != APIGraphQL {
		t.Errorf("warm: %+v; %d GraphQL requests", wst, g.Requests.Load())
	}
	t.Logf("warm: %d requests, %d points, %d bytes", wst.Requests, wst.GraphQLPoints, wst.BytesDownloaded)

	// Warm again: 100 conditional requests answered 304, which cost no
	// rate limit, no GraphQL point, no body.
	f.resetCounts()
	warm2, warmEs2 := scan(t, f, opts)
	w2 := warm2.Stats()
	if !reflect.DeepEqual(coldEs, warmEs2) {
		t.Fatal("second warm scan found other entities")
	}
	if w2.Requests != 100 || w2.NotModified != 100 || f.notModified.Load() != 100 || w2.GraphQLQueries != 0 || w2.BytesDownloaded != 0 {
		t.Errorf("second warm: %+v", w2)
	}
	t.Logf("warm again: %d requests, %d not modified, %d points, %d bytes", w2.Requests, w2.NotModified, w2.GraphQLPoints, w2.BytesDownloaded)

	// A push to one repository: its listing page changes (one request of
	// the rate limit) and its files are read again, one GraphQL batch per
	// round (its catalog file, the two it names, the one those name).
	f.setFile("svc-00011", "sub/c.yaml", component("renamed-c"))
	g.ResetCounts()
	again, es := scan(t, f, opts)
	ast := again.Stats()
	if ast.Requests != 103 || ast.NotModified != 99 || g.Objects.Load() != 4 || ast.GraphQLPoints != 3 {
		t.Errorf("after a push: %+v; %d objects", ast, g.Objects.Load())
	}
	if !slices_contains(es, "Component:default/renamed-c") || slices_contains(es, "Component:default/svc-00011-c") {
		t.Error("the pushed change is not seen")
	}

	// Forced GraphQL lists through GraphQL, without the files: 100 points.
	g.ResetCounts()
	forced, fes := scan(t, f, Options{Token: testToken, CacheDir: dir, API: APIGraphQL})
	fst := forced.Stats()
	if !reflect.DeepEqual(es, fes) || fst.Requests != 100 || fst.GraphQLPoints != 100 || g.Objects.Load() != 0 {
		t.Errorf("forced GraphQL, warm: %+v; %d objects", fst, g.Objects.Load())
	}
}

func slices_contains(es []string, prefix string) bool {
	for _, e := range es {
		if strings.HasPrefix(e, prefix+" ") {
			return true
		}
	}
	return false
}

// The same entities either way on a larger organisation with Location
// chains, cold and warm.
func TestGraphQLSameEntitiesAsRESTThousand(t *testing.T) {
	f := newFake(t, org10k(1000)...)
	f.token = testToken
	withGraphQL(f)
	_, rest := scan(t, f, Options{Token: testToken, API: APIREST})
	dir := t.TempDir()
	for run := range 3 {
		if run == 2 {
			// A damaged record file is dropped, not replayed.
			files, _ := filepath.Glob(filepath.Join(dir, "commits", "*", "*.json"))
			if len(files) != 1 {
				t.Fatalf("record files: %q", files)
			}
			os.WriteFile(files[0], []byte(`{"sha256":"00","records":{}}`), 0o600)
		}
		s, gql := scan(t, f, Options{Token: testToken, CacheDir: dir})
		if !reflect.DeepEqual(rest, gql) {
			t.Fatalf("run %d: %d entities through GraphQL, %d through REST", run, len(gql), len(rest))
		}
		// Warm (run 1), the listing goes through REST and nothing is read.
		if st := s.Stats(); (run == 1) != (st.GraphQLQueries == 0) || st.API != APIGraphQL {
			t.Errorf("run %d: %d queries", run, st.GraphQLQueries)
		}
	}
}

// graphQLError answers as GitHub does for an error of the whole query.
func graphQLError(w http.ResponseWriter, typ, msg string, path ...any) {
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"organization": nil}, "errors": []map[string]any{{"type": typ, "path": path, "message": msg}}})
}

func TestGraphQLFallsBackToREST(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter){
		"404 (GitHub Enterprise Server without GraphQL)": func(w http.ResponseWriter) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/enterprise-server@3.0/rest"})
		},
		"FORBIDDEN": func(w http.ResponseWriter) {
			graphQLError(w, "FORBIDDEN", "Resource not accessible by personal access token", "organization")
		},
		"INSUFFICIENT_SCOPES": func(w http.ResponseWriter) {
			graphQLError(w, "INSUFFICIENT_SCOPES", "Your token has not been granted the required scopes to execute this query.", "organization")
		},
		"NOT_FOUND": func(w http.ResponseWriter) {
			graphQLError(w, "NOT_FOUND", "Could not resolve to an Organization with the login of 'acme'.", "organization")
		},
		"403 SAML": func(w http.ResponseWriter) {
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."})
		},
	}
	f := newFake(t, acme()...)
	f.token = testToken
	_, want := scan(t, f, Options{Token: testToken, API: APIREST})
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			var posts atomic.Int64
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method == http.MethodPost {
					posts.Add(1)
					answer(w)
					return true
				}
				return false
			})
			s, got := scan(t, f, Options{Token: testToken})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("auto: other entities than REST's")
			}
			st := s.Stats()
			if st.API != APIREST || st.Fallback == "" || posts.Load() != 1 {
				t.Errorf("auto: API %q, fallback %q, %d GraphQL requests", st.API, st.Fallback, posts.Load())
			}
			if !strings.Contains(st.RateLimitSummary(), "REST: ") {
				t.Errorf("summary: %s", st.RateLimitSummary())
			}
			t.Logf("fallback: %s", st.Fallback)

			_, err := newSource(t, f, Options{Token: testToken, API: APIGraphQL}).Load(context.Background())
			var e *Error
			if !errors.As(err, &e) || strings.Contains(err.Error(), testToken) {
				t.Fatalf("graphql: %v", err)
			}
			t.Logf("graphql: %v", err)
		})
	}
	t.Run("no token", func(t *testing.T) {
		f.token = ""
		defer func() { f.token = testToken }()
		var posts atomic.Int64
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			posts.Add(1)
			return false
		})
		s, _ := scan(t, f, Options{})
		if st := s.Stats(); st.API != APIREST || posts.Load() != int64(st.Requests) {
			t.Errorf("API %q, %d requests", st.API, st.Requests)
		}
	})
}

// A page that asks too many nodes, or that the server cannot answer in
// time (502), is asked again for fewer repositories.
func TestGraphQLShrinksPages(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	g := withGraphQL(f)
	_, want := scan(t, f, Options{Token: testToken, API: APIREST})
	g.MaxNodes = 30
	s, got := scan(t, f, Options{Token: testToken, API: APIGraphQL})
	if !reflect.DeepEqual(got, want) {
		t.Error("other entities with small pages")
	}
	t.Logf("node limit 30: %d queries", s.Stats().GraphQLQueries)
	g.MaxNodes = 0

	var bad atomic.Int64
	// The page size travels in the variables: answer 502 to pages over 50.
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/graphql" {
			return false
		}
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), `"first":100`) {
			bad.Add(1)
			badGateway(w)
			return true
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		g.ServeHTTP(w, r)
		return true
	})
	g.SetHook(nil)
	s, got = scan(t, f, Options{Token: testToken, API: APIGraphQL})
	if !reflect.DeepEqual(got, want) {
		t.Error("other entities after 502s")
	}
	if bad.Load() != maxTries {
		t.Errorf("%d 502s, want %d (one request, retried)", bad.Load(), maxTries)
	}
	t.Logf("502 on pages of 100: %d requests, %d retries", s.Stats().Requests, s.Stats().Retries)
}

func TestGraphQLRateLimits(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	g := withGraphQL(f)

	t.Run("primary, fail", func(t *testing.T) {
		g.SetUsed(5000)
		defer g.SetUsed(0)
		_, err := newSource(t, f, Options{Token: testToken}).Load(context.Background())
		var e *Error
		if !errors.Is(err, ErrRateLimited) || !errors.As(err, &e) || e.ResetAt.IsZero() || !strings.Contains(err.Error(), "GraphQL rate limit (points) exhausted") {
			t.Fatalf("%v", err)
		}
		t.Log(err)
	})
	t.Run("primary, wait", func(t *testing.T) {
		g.SetUsed(5000)
		s := newSource(t, f, Options{Token: testToken, OnRateLimit: "wait", MaxWait: 2 * time.Hour})
		var slept time.Duration
		s.tr.sleep = func(ctx context.Context, d time.Duration) error {
			slept += d
			g.SetUsed(0) // the window resets
			return nil
		}
		es, err := s.Load(context.Background())
		if err != nil || len(es) == 0 || slept < 30*time.Minute {
			t.Fatalf("%d entities, slept %s: %v", len(es), slept, err)
		}
		if st := s.Stats(); st.RateLimitWait < 30*time.Minute || st.API != APIGraphQL {
			t.Errorf("%+v", st)
		}
	})
	t.Run("secondary 403 with retry-after", func(t *testing.T) {
		g.SetHook(func(w http.ResponseWriter, r *http.Request, q string) bool {
			secondaryLimited(w, http.StatusForbidden, "60")
			return true
		})
		defer g.SetHook(nil)
		_, err := newSource(t, f, Options{Token: testToken}).Load(context.Background())
		if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "secondary rate limit") {
			t.Fatalf("%v", err)
		}
		var calls atomic.Int64
		g.SetHook(func(w http.ResponseWriter, r *http.Request, q string) bool {
			if calls.Add(1) == 1 {
				secondaryLimited(w, http.StatusForbidden, "60")
				return true
			}
			return false
		})
		s := newSource(t, f, Options{Token: testToken, OnRateLimit: "wait"})
		s.tr.sleep = func(context.Context, time.Duration) error { return nil }
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.RateLimitWait < 59*time.Second || st.API != APIGraphQL {
			t.Errorf("%+v", st)
		}
	})
}

// Hostile or broken answers end the scan with a clear error, never a hang
// or a crash, and never print the token.
func TestGraphQLHostileAnswers(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	g := withGraphQL(f)
	cases := map[string]struct {
		answer func(w http.ResponseWriter)
		kind   error
		want   string
	}{
		"not JSON": {func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data": {"organization": [`))
		}, ErrBadResponse, "malformed"},
		"wrong shape": {func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"data": map[string]any{"organization": map[string]any{"repositories": map[string]any{"nodes": "x"}}}})
		}, ErrBadResponse, "malformed"},
		"no data, token reflected": {func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"errors": []map[string]any{{"message": "bad token " + testToken}}})
		}, ErrBadResponse, "[REDACTED]"},
		"too many nodes on the page": {func(w http.ResponseWriter) {
			nodes := make([]map[string]any, 101)
			for i := range nodes {
				nodes[i] = map[string]any{"name": strconv.Itoa(i)}
			}
			writeJSON(w, 200, map[string]any{"data": map[string]any{"organization": map[string]any{"repositories": map[string]any{"nodes": nodes}}}})
		}, ErrBadResponse, "more than the 100"},
		"pages loop": {func(w http.ResponseWriter) {
			writeJSON(w, 200, map[string]any{"data": map[string]any{"organization": map[string]any{"repositories": map[string]any{
				"pageInfo": map[string]any{"hasNextPage": true, "endCursor": "Y3Vyc29yOnYyOjE="}, "nodes": []any{}}}}})
		}, ErrBadResponse, "loop"},
		"over the value budget": {func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":{"organization":{"repositories":{"nodes":[` + strings.Repeat("[],", MaxResponseValues) + `[]]}}}}`))
		}, ErrBadResponse, "JSON values"},
		"401": {func(w http.ResponseWriter) {
			writeJSON(w, 401, map[string]string{"message": "Bad credentials"})
		}, ErrAuth, "401"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g.SetHook(func(w http.ResponseWriter, r *http.Request, q string) bool {
				c.answer(w)
				return true
			})
			_, err := newSource(t, f, Options{Token: testToken}).Load(context.Background())
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), testToken) {
				t.Fatalf("got %v, want %v with %q", err, c.kind, c.want)
			}
			t.Log(err)
		})
	}
	t.Run("no answer in time", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		g.SetHook(func(w http.ResponseWriter, r *http.Request, q string) bool {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return true
		})
		_, err := newSource(t, f, Options{Token: testToken, Timeout: time.Second}).Load(context.Background())
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "no complete answer") {
			t.Fatalf("%v", err)
		}
	})
	g.SetHook(nil)
}

// A server without GraphQL (404) is remembered in the cache folder: the
// next "auto" scan goes straight to REST.
func TestGraphQLAbsenceRemembered(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	var posts atomic.Int64
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost {
			posts.Add(1)
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return true
		}
		return false
	})
	dir := t.TempDir()
	for run := range 2 {
		s, _ := scan(t, f, Options{Token: testToken, CacheDir: dir})
		if st := s.Stats(); st.API != APIREST || !strings.Contains(st.Fallback, "no GraphQL API") {
			t.Errorf("run %d: %+v", run, st)
		}
		if posts.Load() != 1 {
			t.Errorf("run %d: %d GraphQL requests", run, posts.Load())
		}
	}
	// Forced GraphQL still asks, and says what is wrong.
	_, err := newSource(t, f, Options{Token: testToken, CacheDir: dir, API: APIGraphQL}).Load(context.Background())
	if err == nil || posts.Load() != 2 {
		t.Errorf("graphql: %v, %d requests", err, posts.Load())
	}
}

// A batch the server cannot answer (502) is split until it can; a
// repository a batch may not read (FORBIDDEN) is read through REST; the
// entities stay REST's.
func TestGraphQLBatchesSplitAndFallBack(t *testing.T) {
	f := newFake(t, org10k(300)...)
	f.token = testToken
	g := withGraphQL(f)
	_, want := scan(t, f, Options{Token: testToken, API: APIREST})
	var big atomic.Int64
	g.SetHook(func(w http.ResponseWriter, r *http.Request, q string) bool {
		if strings.Count(q, "object(") > 8 && strings.Contains(q, "repository(") {
			big.Add(1)
			badGateway(w)
			return true
		}
		return false
	})
	g.ForbiddenRepos = map[string]bool{"svc-00011": true}
	s, got := scan(t, f, Options{Token: testToken, API: APIGraphQL})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entities differ:\nREST    %q\nGraphQL %q", want, got)
	}
	st := s.Stats()
	if big.Load() == 0 || f.count("/api/v3/repos/acme/svc-00011/contents/a.yaml") != 2 {
		t.Errorf("%d 502s; %d REST reads of the forbidden repository's file", big.Load(), f.count("/api/v3/repos/acme/svc-00011/contents/a.yaml"))
	}
	t.Logf("%d requests, %d queries, %d 502s", st.Requests, st.GraphQLQueries, big.Load())
}
