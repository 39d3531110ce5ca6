package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

const testToken = "ghp_TESTtoken0123456789abcdefghijklmnopqr"

func component(name string) string {
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %s
spec:
  type: service
  lifecycle: production
  owner: team-a
`, name)
}

// acme is the test organisation: 128 repositories, so that listing takes
// two pages of 100.
func acme() []*fakeRepo {
	repos := []*fakeRepo{
		{Name: "payments", Files: map[string]string{"catalog-info.yaml": component("payments"), "README.md": "# payments"}},
		{Name: "platform", Files: map[string]string{
			"catalog-info.yaml": `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: platform-root
spec:
  targets:
    - ./teams/*.yaml
    - ./systems/platform.yaml
    - ../outside.yaml
    - https://github.com/other/repo/blob/main/x.yaml
    - {{WEB}}acme/platform/blob/main/docs/api.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: infra
spec:
  owner: team-a
`,
			"teams/a.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
			"teams/b.yaml":       "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-b\nspec:\n  type: team\n  children: []\n",
			"teams/.hidden.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: hidden\n",
			"teams/notes.txt":    "not yaml",
			"systems/platform.yaml": `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: platform
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: back-to-root
spec:
  type: url
  target: ../catalog-info.yaml
`,
			"docs/api.yaml": "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: platform-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ./openapi.yaml\n",
		}},
		{Name: "legacy", Archived: true, Files: map[string]string{"catalog-info.yaml": component("legacy")}},
		{Name: "fork-of-lib", Fork: true, Files: map[string]string{"catalog-info.yaml": component("lib")}},
		{Name: "no-catalog", Files: map[string]string{"README.md": "# nothing here"}},
		{Name: "broken", Files: map[string]string{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: [unclosed\n---\n" + component("broken-ok")}},
		{Name: "trunk", Branch: "develop", Files: map[string]string{"catalog-info.yaml": component("trunk")}},
		{Name: "empty", Empty: true},
	}
	for i := range 120 {
		name := fmt.Sprintf("svc-%03d", i)
		repos = append(repos, &fakeRepo{Name: name, Files: map[string]string{"catalog-info.yaml": component(name)}})
	}
	return repos
}

func (f *fakeGitHub) options(o Options) Options {
	o.Org = cmpOr(o.Org, f.org)
	o.BaseURL = cmpOr(o.BaseURL, f.srv.URL+"/api/v3")
	if o.HTTPClient == nil {
		o.HTTPClient = f.srv.Client()
	}
	return o
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func newSource(t testing.TB, f *fakeGitHub, o Options) *Source {
	t.Helper()
	s, err := New(f.options(o))
	if err != nil {
		t.Fatal(err)
	}
	s.tr.backoff = 5 * time.Millisecond
	return s
}

func refs(es []catalog.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, strings.ToLower(e.Kind)+":"+e.Name)
	}
	return out
}

func TestLoadOrganisation(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	s := newSource(t, f, Options{Token: testToken, API: APIREST}) // counts the REST path's requests
	if s.Name() != "github:acme" {
		t.Errorf("Name() = %q", s.Name())
	}
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := refs(es)
	want := []string{
		"component:broken-ok",
		"component:payments",
		// platform, sorted by path then document
		"location:platform-root", "domain:infra", // catalog-info.yaml
		"api:platform-api",                         // docs/api.yaml (same-repo URL target)
		"system:platform", "location:back-to-root", // systems/platform.yaml
		"group:team-a", "group:team-b", // teams/*.yaml (glob)
	}
	for i := range 120 {
		want = append(want, fmt.Sprintf("component:svc-%03d", i))
	}
	want = append(want, "component:trunk")
	if !slices.Equal(got, want) {
		t.Fatalf("entities:\n got %q\nwant %q", got, want)
	}

	byName := map[string]catalog.Entity{}
	for _, e := range es {
		byName[e.Name] = e
		if e.Source != "github:acme" {
			t.Errorf("%s: Source = %q", e.Name, e.Source)
		}
		if e.Namespace != "default" {
			t.Errorf("%s: Namespace = %q", e.Name, e.Namespace)
		}
	}
	web := f.web()
	for name, loc := range map[string]string{
		"payments":     web + "acme/payments/blob/main/catalog-info.yaml#L1",
		"infra":        web + "acme/platform/blob/main/catalog-info.yaml#L13",
		"team-b":       web + "acme/platform/blob/main/teams/b.yaml#L1",
		"back-to-root": web + "acme/platform/blob/main/systems/platform.yaml#L8",
		"trunk":        web + "acme/trunk/blob/develop/catalog-info.yaml#L1",
		"broken-ok":    web + "acme/broken/blob/main/catalog-info.yaml#L5",
	} {
		if got := byName[name].Location; got != loc {
			t.Errorf("%s: Location = %q, want %q", name, got, loc)
		}
	}
	payments, api := byName["payments"], byName["platform-api"]
	if spec := payments.Spec(); spec["lifecycle"] != "production" {
		t.Errorf("payments spec = %v", spec)
	}
	// The $text placeholder is not read from the local disk.
	def, _ := api.Spec()["definition"].(map[string]any)
	if def["$text"] != "./openapi.yaml" {
		t.Errorf("placeholder should stay unresolved, got %v", api.Spec()["definition"])
	}

	repos := s.Repos()
	if len(repos) != 126 { // 128 minus archived and fork
		t.Errorf("%d repos scanned, want 126", len(repos))
	}
	rm := map[string]Repo{}
	for _, r := range repos {
		rm[r.Name] = r
	}
	if _, ok := rm["legacy"]; ok {
		t.Error("archived repo was scanned")
	}
	if _, ok := rm["fork-of-lib"]; ok {
		t.Error("fork was scanned")
	}
	if r, ok := rm["no-catalog"]; !ok || len(r.CatalogFiles) != 0 || r.DefaultBranch != "main" {
		t.Errorf("no-catalog: %+v (present %v)", r, ok)
	}
	if r := rm["empty"]; len(r.CatalogFiles) != 0 {
		t.Errorf("empty: %+v", r)
	}
	if r := rm["platform"]; !slices.Equal(r.CatalogFiles, []string{"catalog-info.yaml", "docs/api.yaml", "systems/platform.yaml", "teams/a.yaml", "teams/b.yaml"}) {
		t.Errorf("platform files = %q", r.CatalogFiles)
	}
	if r := rm["broken"]; !slices.Equal(r.InvalidFiles, []string{"catalog-info.yaml"}) || !slices.Equal(r.CatalogFiles, []string{"catalog-info.yaml"}) {
		t.Errorf("broken: %+v", r)
	}
	if r := rm["trunk"]; r.DefaultBranch != "develop" || r.FullName != "acme/trunk" {
		t.Errorf("trunk: %+v", r)
	}
	if !slices.IsSortedFunc(repos, func(a, b Repo) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Repos() not sorted")
	}

	st := s.Stats()
	// 2 listing pages, 126 catalog-info.yaml, 4 followed files, 1 tree.
	if st.Requests != 2+126+4+1 || f.requests.Load() != int64(st.Requests) {
		t.Errorf("requests: stats %d, server %d, want %d", st.Requests, f.requests.Load(), 2+126+4+1)
	}
	if f.count("/api/v3/repos/acme/platform/git/trees/main") != 1 {
		t.Errorf("tree fetched %d times", f.count("/api/v3/repos/acme/platform/git/trees/main"))
	}
	if st.Repos != 126 || st.Skipped != 2 || st.InvalidFiles != 1 || st.Files != 1+1+5+120+1 || st.Retries != 0 || st.NotModified != 0 || st.BytesDownloaded == 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	f := newFake(t, acme()...)
	var first []string
	for i := range 3 {
		s := newSource(t, f, Options{Concurrency: 1 + i*7})
		es, err := s.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var locs []string
		for _, e := range es {
			locs = append(locs, e.Location)
		}
		if i == 0 {
			first = locs
		} else if !slices.Equal(first, locs) {
			t.Fatalf("run %d differs", i)
		}
	}
}

func TestIncludeArchivedAndForks(t *testing.T) {
	f := newFake(t, acme()...)
	s := newSource(t, f, Options{IncludeArchived: true, IncludeForks: true})
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := refs(es)
	if !slices.Contains(got, "component:legacy") || !slices.Contains(got, "component:lib") {
		t.Errorf("archived/fork entities missing: %q", got[:5])
	}
	found := 0
	for _, r := range s.Repos() {
		if (r.Name == "legacy" && r.Archived) || (r.Name == "fork-of-lib" && r.Fork) {
			found++
		}
	}
	if found != 2 || s.Stats().Skipped != 0 {
		t.Errorf("repos: found %d, stats %+v", found, s.Stats())
	}
}

func TestCustomPaths(t *testing.T) {
	f := newFake(t,
		&fakeRepo{Name: "a", Files: map[string]string{"catalog-info.yml": component("a-yml"), ".backstage/catalog.yaml": component("a-dot")}},
		&fakeRepo{Name: "b", Files: map[string]string{"catalog-info.yaml": component("b")}},
	)
	s := newSource(t, f, Options{Paths: []string{"catalog-info.yml", "./.backstage/catalog.yaml", "catalog-info.yml"}})
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := refs(es); !slices.Equal(got, []string{"component:a-dot", "component:a-yml"}) {
		t.Errorf("entities = %q", got)
	}
	if got := f.requests.Load(); got != 1+2*2 {
		t.Errorf("%d requests, want 5 (the duplicate path is read once)", got)
	}
	for _, bad := range [][]string{{"../x.yaml"}, {"/etc/passwd"}, {"a/../../x"}, {"x?y"}} {
		if _, err := New(f.options(Options{Paths: bad})); err == nil {
			t.Errorf("path %q accepted", bad)
		}
	}
}

func TestWarmCacheSendsOnlyConditionalRequests(t *testing.T) {
	f := newFake(t, acme()...)
	f.token = testToken
	dir := t.TempDir()
	cold := newSource(t, f, Options{Token: testToken, CacheDir: dir, API: APIREST})
	es1, err := cold.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	coldReqs := f.requests.Load()
	f.resetCounts()
	remainingBefore := f.remaining

	warm := newSource(t, f, Options{Token: testToken, CacheDir: dir, API: APIREST})
	es2, err := warm.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(es1) != fmt.Sprint(es2) {
		t.Fatal("warm run gave other entities")
	}
	if fmt.Sprint(cold.Repos()) != fmt.Sprint(warm.Repos()) {
		t.Fatalf("warm run gave other repos:\n%v\n%v", cold.Repos(), warm.Repos())
	}
	st := warm.Stats()
	t.Logf("cold: %d requests; warm: %d requests, %d conditional, %d 304, %d known absent, %d bytes", coldReqs, f.requests.Load(), f.conditional.Load(), f.notModified.Load(), st.KnownAbsent, st.BytesDownloaded)
	if f.unconditional.Load() != 0 {
		t.Errorf("warm run sent %d unconditional requests", f.unconditional.Load())
	}
	if f.notModified.Load() != f.requests.Load() || int64(st.NotModified) != f.requests.Load() || int64(st.Requests) != f.requests.Load() {
		t.Errorf("warm: server %d requests / %d 304s; stats %+v", f.requests.Load(), f.notModified.Load(), st)
	}
	// Absent files (no-catalog, empty, the ../outside-free misses) are not asked again.
	if st.KnownAbsent != 2 || f.requests.Load() != coldReqs-2 {
		t.Errorf("warm: %d known absent, %d requests (cold %d)", st.KnownAbsent, f.requests.Load(), coldReqs)
	}
	if st.BytesDownloaded != 0 {
		t.Errorf("warm run downloaded %d bytes", st.BytesDownloaded)
	}
	if f.remaining != remainingBefore {
		t.Errorf("304s used the rate limit: %d → %d", remainingBefore, f.remaining)
	}
	// The cache holds no token.
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), testToken) {
			t.Errorf("%s holds the token", p)
		}
		if fi, _ := d.Info(); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", p, fi.Mode())
		}
		return nil
	})

	// A push changes one file and adds a catalog file to no-catalog.
	f.setFile("payments", "catalog-info.yaml", component("payments-v2"))
	f.setFile("no-catalog", "catalog-info.yaml", component("newcomer"))
	f.resetCounts()
	again := newSource(t, f, Options{Token: testToken, CacheDir: dir, API: APIREST})
	es3, err := again.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := refs(es3)
	if !slices.Contains(got, "component:payments-v2") || !slices.Contains(got, "component:newcomer") || slices.Contains(got, "component:payments") {
		t.Errorf("changes not seen: %q", got[:6])
	}
	// The first listing page changed (pushed_at), and the two files: the
	// file of no-catalog is asked again, unconditionally, as its
	// repository was pushed to.
	if f.unconditional.Load() != 1 || f.notModified.Load() != f.requests.Load()-3 {
		t.Errorf("after push: %d requests, %d unconditional, %d 304", f.requests.Load(), f.unconditional.Load(), f.notModified.Load())
	}
}

func TestRetries502(t *testing.T) {
	f := newFake(t, acme()...)
	var payments, list atomic.Int64
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/payments/contents/catalog-info.yaml") && payments.Add(1) <= 2 {
			badGateway(w)
			return true
		}
		if strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") && list.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	s := newSource(t, f, Options{})
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(refs(es), "component:payments") {
		t.Error("payments missing after retries")
	}
	if st := s.Stats(); st.Retries != 3 {
		t.Errorf("retries = %d, want 3", st.Retries)
	}
	if got := f.count("/api/v3/repos/acme/payments/contents/catalog-info.yaml"); got != 3 {
		t.Errorf("payments asked %d times, want 3", got)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	f := newFake(t, acme()...)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/payments/contents/catalog-info.yaml") {
			badGateway(w)
			return true
		}
		return false
	})
	s := newSource(t, f, Options{})
	_, err := s.Load(context.Background())
	if err == nil || !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v", err)
	}
	want := "github:acme: GitHub server error (502) on acme/payments/catalog-info.yaml after 3 attempts; retry later"
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	if got := f.count("/api/v3/repos/acme/payments/contents/catalog-info.yaml"); got != 3 {
		t.Errorf("asked %d times, want 3", got)
	}
}

func TestNetworkErrorIsRetried(t *testing.T) {
	f := newFake(t, acme()...)
	var n atomic.Int64
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/payments/contents/catalog-info.yaml") && n.Add(1) == 1 {
			// A broken response: the transport fails (Go's own transport
			// only retries a request that got no byte back on a reused
			// connection).
			hj, _ := w.(http.Hijacker)
			c, _, _ := hj.Hijack()
			c.Write([]byte("garbage\r\n\r\n"))
			c.Close()
			return true
		}
		return false
	})
	s := newSource(t, f, Options{})
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Stats().Retries != 1 {
		t.Errorf("stats = %+v", s.Stats())
	}
}

func TestPrimaryRateLimitFails(t *testing.T) {
	f := newFake(t, acme()...)
	reset := time.Now().Add(14*time.Minute + 10*time.Second).Truncate(time.Second)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/contents/") {
			primaryLimited(w, reset)
			return true
		}
		return false
	})
	s := newSource(t, f, Options{})
	start := time.Now()
	_, err := s.Load(context.Background())
	if err == nil {
		t.Fatal("no error")
	}
	want := fmt.Sprintf("github:acme: rate limit exhausted; resets at %s (in 14m); set GITHUB_TOKEN or retry later", reset.UTC().Format(time.RFC3339))
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	var ge *Error
	if !errors.As(err, &ge) || !errors.Is(err, ErrRateLimited) || !ge.ResetAt.Equal(reset) {
		t.Errorf("err = %#v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("failing took %v", time.Since(start))
	}
	// The scan stops: it does not keep hammering.
	if n := f.requests.Load(); n > int64(2+DefaultConcurrency+2) {
		t.Errorf("%d requests sent after the limit", n)
	}
	// With a token, the advice changes.
	s = newSource(t, f, Options{Token: testToken})
	_, err = s.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "retry later, or wait for the reset") {
		t.Errorf("err = %v", err)
	}
}

func TestPrimaryRateLimitWaits(t *testing.T) {
	f := newFake(t, acme()...)
	var limited atomic.Bool
	var reset time.Time
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/svc-050/contents/catalog-info.yaml") && limited.CompareAndSwap(false, true) {
			reset = time.Now().Add(time.Second)
			primaryLimited(w, reset)
			return true
		}
		return false
	})
	s := newSource(t, f, Options{OnRateLimit: "wait"})
	start := time.Now()
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 130 {
		t.Errorf("%d entities", len(es))
	}
	st := s.Stats()
	if el := time.Since(start); el < time.Until(reset)+time.Second-100*time.Millisecond && time.Now().Before(reset) {
		t.Errorf("did not wait for the reset (%v)", el)
	}
	if st.Retries != 1 || st.RateLimitWait < 500*time.Millisecond || st.RateLimitWait > 3*time.Second {
		t.Errorf("stats = %+v", st)
	}
}

func TestPrimaryRateLimitTooLongToWait(t *testing.T) {
	f := newFake(t, acme()...)
	reset := time.Now().Add(45 * time.Minute)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		primaryLimited(w, reset)
		return true
	})
	s := newSource(t, f, Options{OnRateLimit: "wait", MaxWait: time.Minute})
	start := time.Now()
	_, err := s.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "(in 45m), later than the longest wait allowed (1m); retry later") {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("it waited")
	}
}

func TestSecondaryRateLimit(t *testing.T) {
	for _, code := range []int{http.StatusForbidden, http.StatusTooManyRequests} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFake(t, acme()...)
			var hits atomic.Int64
			var firstAt, retryAt atomic.Int64
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/payments/contents/catalog-info.yaml") {
					return false
				}
				switch hits.Add(1) {
				case 1:
					firstAt.Store(time.Now().UnixNano())
					secondaryLimited(w, code, "1")
					return true
				case 2:
					retryAt.Store(time.Now().UnixNano())
				}
				return false
			})
			s := newSource(t, f, Options{OnRateLimit: "wait"})
			es, err := s.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(refs(es), "component:payments") {
				t.Error("payments missing")
			}
			if d := time.Duration(retryAt.Load() - firstAt.Load()); d < 950*time.Millisecond {
				t.Errorf("retried after %v, before Retry-After", d)
			}

			// Without "wait", the error says when to retry.
			hits.Store(0)
			s = newSource(t, f, Options{})
			_, err = s.Load(context.Background())
			if err == nil || !errors.Is(err, ErrRateLimited) ||
				!regexp.MustCompile(`^github:acme: secondary rate limit exceeded; GitHub asks to wait until \S+ \(1s\); retry later, or wait for it \(--on-rate-limit wait\)$`).MatchString(err.Error()) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestSecondaryRateLimitWithoutRetryAfter(t *testing.T) {
	rl := classifyRateLimit(&http.Response{StatusCode: 403, Header: http.Header{"X-Ratelimit-Remaining": {"10"}}},
		[]byte(`{"message":"You have exceeded a secondary rate limit."}`), time.Unix(1000, 0), 0)
	if rl.kind != secondaryLimit || !rl.until.Equal(time.Unix(1060, 0)) {
		t.Errorf("first: %+v", rl)
	}
	rl = classifyRateLimit(&http.Response{StatusCode: 403, Header: http.Header{}},
		[]byte(`{"message":"You have exceeded a secondary rate limit."}`), time.Unix(1000, 0), 2)
	if !rl.until.Equal(time.Unix(1240, 0)) {
		t.Errorf("third: %+v", rl)
	}
	rl = classifyRateLimit(&http.Response{StatusCode: 403, Header: http.Header{}},
		[]byte(`{"message":"Resource not accessible by personal access token"}`), time.Unix(1000, 0), 0)
	if rl.kind != notLimited {
		t.Errorf("permission error taken for a limit: %+v", rl)
	}
}

func TestAuthAndAccessErrors(t *testing.T) {
	cases := []struct {
		name  string
		opts  Options
		setup func(f *fakeGitHub)
		want  string
		kind  error
	}{
		{"bad token", Options{Token: "ghp_wrong_" + testToken}, func(f *fakeGitHub) { f.token = testToken; f.echoAuth = true },
			"github:acme: authentication failed (401): check GITHUB_TOKEN", ErrAuth},
		{"no token", Options{}, func(f *fakeGitHub) { f.token = testToken },
			"github:acme: authentication required (401): set GITHUB_TOKEN", ErrAuth},
		{"unknown org", Options{Org: "acme-typo", Token: testToken}, nil,
			"github:acme-typo: organisation not found (404)", ErrNotFound},
		{"sso", Options{Token: testToken}, func(f *fakeGitHub) {
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("X-GitHub-SSO", "required; url=https://github.com/orgs/acme/sso?authorization_request=AZSCK")
				writeJSON(w, 403, map[string]string{"message": "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."})
				return true
			})
		}, "github:acme: access denied (403) to the repository list of acme: Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.; the token must be authorised for the organisation's SAML single sign-on (https://github.com/orgs/acme/sso?authorization_request=AZSCK)", ErrForbidden},
		{"fine-grained permission", Options{Token: testToken}, func(f *fakeGitHub) {
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.Contains(r.URL.Path, "/contents/") {
					return false
				}
				w.Header().Set("X-Accepted-GitHub-Permissions", "contents=read")
				writeJSON(w, 403, map[string]string{"message": "Resource not accessible by personal access token"})
				return true
			})
		}, "github:acme: access denied (403) to acme/", ErrForbidden},
		{"reflected token", Options{Token: testToken}, func(f *fakeGitHub) {
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				writeJSON(w, 418, map[string]string{"message": "odd: " + r.Header.Get("Authorization")})
				return true
			})
		}, "github:acme: unexpected response (418) on the repository list of acme: odd: Bearer [REDACTED]", ErrBadResponse},
		{"token in 5xx", Options{Token: testToken}, func(f *fakeGitHub) {
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				writeJSON(w, 500, map[string]string{"message": r.Header.Get("Authorization")})
				return true
			})
		}, "github:acme: GitHub server error (500) on the repository list of acme after 3 attempts; retry later", ErrServer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, acme()...)
			if c.setup != nil {
				c.setup(f)
			}
			s := newSource(t, f, c.opts)
			_, err := s.Load(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %q\nwant  %q", err, c.want)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("errors.Is(%v) false", c.kind)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), testToken) {
				t.Errorf("the token is in the error: %q", err)
			}
		})
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	// Every failure the tests provoke, with the token set.
	f := newFake(t, acme()...)
	f.token = testToken
	f.echoAuth = true
	var errs []error
	try := func(o Options) {
		o.Token = cmpOr(o.Token, testToken)
		s := newSource(t, f, o)
		_, err := s.Load(context.Background())
		if err != nil {
			errs = append(errs, err)
		}
	}
	try(Options{Token: testToken + "x"})
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		primaryLimited(w, time.Now().Add(time.Hour))
		return true
	})
	try(Options{})
	try(Options{OnRateLimit: "wait", MaxWait: time.Second})
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool { secondaryLimited(w, 429, "3600"); return true })
	try(Options{})
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool { badGateway(w); return true })
	try(Options{})
	// An unreachable host, with the token in the URL's userinfo.
	s, err := New(Options{Org: "acme", Token: testToken, BaseURL: "http://user:" + testToken + "@127.0.0.1:1/api/v3/"})
	if err != nil {
		errs = append(errs, err)
	} else {
		s.tr.backoff = time.Millisecond
		if _, err := s.Load(context.Background()); err != nil {
			errs = append(errs, err)
		}
	}
	_, err = New(Options{Org: "acme", Token: testToken, BaseURL: "ftp://x:" + testToken + "@h/"})
	errs = append(errs, err)
	if len(errs) != 7 {
		t.Fatalf("%d errors: %v", len(errs), errs)
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), testToken) {
			t.Errorf("token in %q", err)
		}
		for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), testToken) {
				t.Errorf("token in wrapped %q", e)
			}
		}
		t.Log(err)
	}
}

func TestContextCancellationStopsTheScan(t *testing.T) {
	f := newFake(t, acme()...)
	f.latency = 20 * time.Millisecond
	s := newSource(t, f, Options{Concurrency: 4})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Load(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if err.Error() != "github:acme: scan stopped: context canceled" {
		t.Errorf("err = %q", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("stopping took %v", el)
	}
	n := f.requests.Load()
	time.Sleep(100 * time.Millisecond)
	if n > 40 || f.requests.Load() != n {
		t.Errorf("%d requests, then %d", n, f.requests.Load())
	}

	// Cancelled while waiting for a rate limit.
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		primaryLimited(w, time.Now().Add(time.Minute))
		return true
	})
	s = newSource(t, f, Options{OnRateLimit: "wait"})
	ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = s.Load(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestLargeFileUsesRawMediaType(t *testing.T) {
	big := component("big") + "  description: >-\n    " + strings.Repeat("x", 1<<20+10) + "\n"
	f := newFake(t, &fakeRepo{Name: "big", Files: map[string]string{"catalog-info.yaml": big}})
	s := newSource(t, f, Options{})
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := refs(es); !slices.Equal(got, []string{"component:big"}) {
		t.Errorf("entities = %q", got)
	}
	if got := f.count("/api/v3/repos/acme/big/contents/catalog-info.yaml"); got != 2 {
		t.Errorf("%d content requests, want 2 (JSON then raw)", got)
	}
}

func TestEnterpriseURLs(t *testing.T) {
	for raw, want := range map[string][2]string{
		"":                                    {"https://api.github.com/", "https://github.com/"},
		"https://api.github.com":              {"https://api.github.com/", "https://github.com/"},
		"https://ghe.example.com/api/v3":      {"https://ghe.example.com/api/v3/", "https://ghe.example.com/"},
		"https://ghe.example.com/api/v3/":     {"https://ghe.example.com/api/v3/", "https://ghe.example.com/"},
		"https://ghe.example.com":             {"https://ghe.example.com/api/v3/", "https://ghe.example.com/"},
		"https://api.acme.ghe.com/":           {"https://api.acme.ghe.com/", "https://acme.ghe.com/"},
		"https://proxy.example.com/github/v3": {"https://proxy.example.com/github/v3/", "https://proxy.example.com/github/v3/"},
	} {
		u, err := apiBaseURL(raw)
		if err != nil {
			t.Fatal(err)
		}
		if u.String() != want[0] || webBaseURL(u) != want[1] {
			t.Errorf("%q: api %q web %q, want %q", raw, u, webBaseURL(u), want)
		}
	}
	// The fake serves under /api/v3 like GitHub Enterprise Server: a bare
	// host gets api/v3/ appended, and locations use the web host.
	f := newFake(t, acme()...)
	s := newSource(t, f, Options{BaseURL: f.srv.URL})
	es, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := f.srv.URL + "/acme/payments/blob/main/catalog-info.yaml#L1"; es[1].Location != want {
		t.Errorf("location %q, want %q", es[1].Location, want)
	}
	// Pacing is automatic for github.com and GHE.com only.
	for base, paced := range map[string]bool{"": true, "https://api.acme.ghe.com": true, "https://ghe.example.com/api/v3": false} {
		s, _ := New(Options{Org: "acme", BaseURL: base})
		if (s.tr.pacer != nil) != paced {
			t.Errorf("%q: paced %v", base, s.tr.pacer != nil)
		}
	}
}

func TestTokenOnlySentToTheAPIHost(t *testing.T) {
	other := newFake(t, acme()...)
	var leaked atomic.Bool
	other.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		return false
	})
	f := newFake(t, acme()...)
	f.token = testToken
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/payments/contents/catalog-info.yaml") {
			http.Redirect(w, r, other.srv.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
			return true
		}
		return false
	})
	s := newSource(t, f, Options{Token: testToken})
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if leaked.Load() {
		t.Error("the token was sent to another host")
	}
	if other.requests.Load() != 1 {
		t.Errorf("redirect not followed: %d", other.requests.Load())
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, o := range []Options{
		{},
		{Org: "acme/../x"},
		{Org: "acme?x=1"},
		{Org: "acme", OnRateLimit: "sleep"},
		{Org: "acme", BaseURL: "api.github.com"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	s, err := New(Options{Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if s.conc != DefaultConcurrency || s.maxWait != DefaultMaxWait || s.wait || !slices.Equal(s.paths, []string{"catalog-info.yaml"}) {
		t.Errorf("defaults: %+v", s)
	}
	if s, _ := New(Options{Org: "acme", Concurrency: 1000}); s.conc != MaxConcurrency {
		t.Errorf("concurrency %d", s.conc)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		14*time.Minute + 10*time.Second: "14m",
		45 * time.Second:                "45s",
		time.Hour:                       "1h",
		time.Hour + 5*time.Minute:       "1h5m",
		-time.Second:                    "0s",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
