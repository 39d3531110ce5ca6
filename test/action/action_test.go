// Package action runs catalint's GitHub Action (action.yml) and the
// workflow to copy (.github/workflows/catalog.yml) end to end with a real
// runner implementation, nektos/act, on this host (-P
// ubuntu-latest=-self-hosted), against a release that GoReleaser built
// from the checkout, served by a local server laid out as GitHub's release
// downloads, and a local fake of GitHub's REST API for the pull-request
// comment. The public actions the action and the workflow use come from
// stand-ins (standins/README.md).
//
// It needs what scripts/action-e2e.sh prepares and is skipped without it:
//
//	CATALINT_E2E_ACT      the act binary
//	CATALINT_E2E_RELEASE  a checkout of a release commit (its action.yml
//	                      names the release, scripts/release-commit.sh)
//	                      whose dist/ holds GoReleaser's archives and
//	                      checksums.txt for linux/amd64
package action

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const token = "ghs_e2eTokenNeverInTheLog000000000000000"

// env is what the whole test shares.
type env struct {
	actBin     string
	release    string // checkout of the release commit
	releaseSHA string
	version    string // e.g. 1.2.3
	source     string // this checkout: a commit that names no release
	sourceSHA  string
	standins   string
	srv        *fakeGitHub
	actCache   string
	goEnv      []string // the host's Go caches, which act's own HOME would hide
	url        string
}

func setup(t *testing.T) *env {
	t.Helper()
	act, rel := os.Getenv("CATALINT_E2E_ACT"), os.Getenv("CATALINT_E2E_RELEASE")
	if act == "" || rel == "" {
		t.Skip("the action's end-to-end test runs from scripts/action-e2e.sh (it needs act and a GoReleaser build of the checkout)")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the release built for the test is linux/amd64")
	}
	e := &env{actBin: act, release: rel}
	e.releaseSHA = gitOut(t, rel, "rev-parse", "HEAD")
	m := regexp.MustCompile(`(?m)^        CATALINT_RELEASE: "v([^"]+)"$`).FindStringSubmatch(read(t, filepath.Join(rel, "action.yml")))
	if m == nil {
		t.Fatalf("%s/action.yml names no release: make the release with scripts/release-commit.sh", rel)
	}
	e.version = m[1]
	wd, _ := os.Getwd()
	e.source = filepath.Join(wd, "..", "..")
	e.sourceSHA = gitOut(t, e.source, "rev-parse", "HEAD")
	e.standins = filepath.Join(wd, "standins")
	e.srv = newFakeGitHub(t, filepath.Join(rel, "dist"), e.version)
	e.url = e.srv.URL
	// One act folder for every run, so that RUNNER_TOOL_CACHE has one
	// path as on GitHub's runners (/opt/hostedtoolcache); each run starts
	// with it empty, as on a new runner.
	e.actCache = filepath.Join(t.TempDir(), "act")
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatal(err)
		}
		e.goEnv = append(e.goEnv, v+"="+strings.TrimSpace(string(out)))
	}
	return e
}

// fakeGitHub serves GitHub's release downloads (/download/vX/FILE) and the
// issue-comment endpoints of its REST API (/api/…), and records requests.
type fakeGitHub struct {
	*httptest.Server
	dist, version string

	mu       sync.Mutex
	mode     map[string]bool // tamper-archive, tamper-sum, drop-sum, api-502, api-403
	requests []string        // "METHOD path"
	auth     []string        // Authorization headers sent to the API
	comments []string        // bodies posted
}

func newFakeGitHub(t *testing.T, dist, version string) *fakeGitHub {
	f := &fakeGitHub{dist: dist, version: version, mode: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGitHub) set(modes ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode = map[string]bool{}
	for _, m := range modes {
		f.mode[m] = true
	}
	f.requests, f.auth, f.comments = nil, nil, nil
}

func (f *fakeGitHub) log() (requests, auth, comments []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...), append([]string(nil), f.auth...), append([]string(nil), f.comments...)
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	mode := f.mode
	if strings.HasPrefix(r.URL.Path, "/api/") {
		f.auth = append(f.auth, r.Header.Get("Authorization"))
	}
	f.mu.Unlock()

	if rest, ok := strings.CutPrefix(r.URL.Path, "/download/"); ok {
		tag, file, _ := strings.Cut(rest, "/")
		if tag != "v"+f.version || strings.Contains(file, "/") {
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		b, err := os.ReadFile(filepath.Join(f.dist, file))
		if err != nil {
			http.Error(w, "Not Found", http.StatusNotFound)
			return
		}
		switch {
		case mode["tamper-archive"] && strings.HasSuffix(file, ".tar.gz"):
			b = append(b[:len(b)-1:len(b)-1], b[len(b)-1]^1)
		case mode["tamper-sum"] && file == "checksums.txt":
			b = regexp.MustCompile(`(?m)^[0-9a-f]{64}(  catalint_.*_linux_amd64\.tar\.gz)$`).ReplaceAll(b, []byte(strings.Repeat("0", 64)+"$1"))
		case mode["drop-sum"] && file == "checksums.txt":
			b = regexp.MustCompile(`(?m)^.*_linux_amd64\.tar\.gz\n`).ReplaceAll(b, nil)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case mode["api-502"]:
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, `{"message":"Server Error"}`)
	case r.URL.Path == "/api/repos/acme/shop/issues/7/comments" && r.Method == http.MethodGet:
		io.WriteString(w, "[]")
	case r.URL.Path == "/api/repos/acme/shop/issues/7/comments" && r.Method == http.MethodPost:
		if mode["api-403"] {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/issues/comments#create-an-issue-comment","status":"403"}`)
			return
		}
		var c struct{ Body string }
		json.NewDecoder(r.Body).Decode(&c)
		f.mu.Lock()
		f.comments = append(f.comments, c.Body)
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":101,"html_url":"https://github.com/acme/shop/pull/7#issuecomment-101","body":%q,"user":{"login":"github-actions[bot]","type":"Bot"}}`, c.Body)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not Found"}`)
	}
}

// downloads counts the requests for release files.
func downloads(requests []string) int {
	n := 0
	for _, r := range requests {
		if strings.HasPrefix(r, "GET /download/") {
			n++
		}
	}
	return n
}

// repo is a test repository: a base commit (main) and a pull request's
// head on top of it.
type repo struct {
	dir, base, head string
}

func newRepo(t *testing.T, base, head map[string]string) repo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop")
	os.MkdirAll(dir, 0o755)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "remote", "add", "origin", "https://github.com/acme/shop")
	write := func(files map[string]string) {
		for name, body := range files {
			p := filepath.Join(dir, name)
			if body == "" {
				os.Remove(p)
				continue
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "--allow-empty", "-m", "change")
	}
	write(base)
	r := repo{dir: dir, base: gitOut(t, dir, "rev-parse", "HEAD")}
	git(t, dir, "switch", "-q", "-c", "pr")
	write(head)
	r.head = gitOut(t, dir, "rev-parse", "HEAD")
	return r
}

// run is one act run of a workflow on a repository.
type run struct {
	code     int
	log      string
	outputs  map[string]string
	outcome  string
	toolBin  string // the catalint the job installed, if any
	out      string // files the job left for the test
	requests []string
	auth     []string
	comments []string
	wall     time.Duration
	steps    map[string]time.Duration // the action's steps by name, as act timed them
}

type opts struct {
	workflow string // whole workflow; default: one job using the action with with
	uses     string // default catalint-dev/catalint@v1
	with     map[string]string
	pre      string // steps before the action
	modes    []string
	cache    string // the stand-in cache store (shared to test hits); default fresh
	fork     bool
	env      map[string]string
}

const component = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\n  description: The %s service\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

func comp(name string) string { return fmt.Sprintf(component, name, name) }

// broken lacks spec.lifecycle: a schema error at line 6.
func broken(name string) string {
	return strings.Replace(comp(name), "  lifecycle: production\n", "", 1)
}

func (e *env) act(t *testing.T, r repo, o opts) run {
	t.Helper()
	e.srv.set(o.modes...)
	work := t.TempDir()
	out := filepath.Join(work, "out")
	os.Mkdir(out, 0o755)
	if o.cache == "" {
		o.cache = filepath.Join(work, "cache")
	}
	uses := o.uses
	if uses == "" {
		uses = "catalint-dev/catalint@v1"
	}
	wf := o.workflow
	if wf == "" {
		var with strings.Builder
		for k, v := range o.with {
			fmt.Fprintf(&with, "          %s: %q\n", k, v)
		}
		if with.Len() == 0 {
			with.WriteString("          comment: \"true\"\n")
		}
		wf = `name: e2e
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
` + o.pre + `      - id: c
        uses: ` + uses + `
        with:
` + with.String() + `      - if: always()
        shell: bash
        env:
          OUTPUTS: ${{ toJSON(steps.c.outputs) }}
          OUTCOME: ${{ steps.c.outcome }}
        run: |
          printf '%s' "$OUTPUTS" > "$E2E_OUT/outputs.json"
          printf '%s' "$OUTCOME" > "$E2E_OUT/outcome"
          command -v catalint > "$E2E_OUT/catalint" || true
          ls -a "$RUNNER_TEMP" > "$E2E_OUT/runner_temp"
          if [ -f reports/nested/catalint.sarif ]; then cp reports/nested/catalint.sarif "$E2E_OUT/"; fi
`
	}
	wfPath := filepath.Join(work, "e2e.yml")
	os.WriteFile(wfPath, []byte(wf), 0o644)
	event := map[string]any{
		"action": "synchronize", "number": 7,
		"repository": map[string]any{"full_name": "acme/shop", "name": "shop", "owner": map[string]any{"login": "acme"}},
		"pull_request": map[string]any{
			"number": 7,
			"base":   map[string]any{"sha": r.base, "ref": "main", "repo": map[string]any{"full_name": "acme/shop", "fork": false}},
			"head":   map[string]any{"sha": r.head, "ref": "pr", "repo": map[string]any{"full_name": map[bool]string{true: "someone/shop", false: "acme/shop"}[o.fork], "fork": o.fork}},
		},
	}
	ev, _ := json.Marshal(event)
	evPath := filepath.Join(work, "event.json")
	os.WriteFile(evPath, ev, 0o644)

	args := []string{"pull_request", "-W", wfPath, "-e", evPath, "-C", r.dir,
		"-P", "ubuntu-latest=-self-hosted", "--action-offline-mode", "--no-cache-server",
		"--action-cache-path", e.actCache,
		"--local-repository", "catalint-dev/catalint@v" + e.version + "=" + e.release,
		"--local-repository", "catalint-dev/catalint@v1=" + e.release,
		"--local-repository", "catalint-dev/catalint@" + e.releaseSHA + "=" + e.release,
		"--local-repository", "catalint-dev/catalint@" + e.sourceSHA + "=" + e.source,
		"--local-repository", "actions/cache@v4=" + filepath.Join(e.standins, "cache"),
		"--local-repository", "actions/setup-go@v5=" + filepath.Join(e.standins, "setup-go"),
		"--local-repository", "github/codeql-action@v3=" + filepath.Join(e.standins, "codeql-action"),
		"--env", "GITHUB_API_URL=" + e.url + "/api",
		"--env", "GITHUB_SERVER_URL=https://github.com",
		"--env", "CATALINT_DOWNLOAD_BASE=" + e.url + "/download",
		"--env", "CACHE_STANDIN_DIR=" + o.cache,
		"--env", "UPLOAD_SARIF_DIR=" + filepath.Join(work, "code-scanning"),
		"--env", "E2E_OUT=" + out,
		"-s", "GITHUB_TOKEN=" + token,
	}
	for k, v := range o.env {
		args = append(args, "--env", k+"="+v)
	}
	cmd := exec.Command(e.actBin, args...)
	cmd.Dir = r.dir
	// act reads ~/.actrc and may ask which image to use: a home of its own.
	cmd.Env = append(append(os.Environ(), e.goEnv...), "HOME="+filepath.Join(work, "home"), "NO_COLOR=1")
	if err := os.RemoveAll(filepath.Join(e.actCache, "tool_cache")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	res := run{wall: time.Since(start), log: buf.String(), outputs: map[string]string{}, steps: map[string]time.Duration{}}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			res.code = ee.ExitCode()
		} else {
			t.Fatalf("act: %v", err)
		}
	}
	json.Unmarshal([]byte(readMaybe(filepath.Join(out, "outputs.json"))), &res.outputs)
	res.outcome = readMaybe(filepath.Join(out, "outcome"))
	res.out = out
	res.toolBin = strings.TrimSpace(readMaybe(filepath.Join(out, "catalint")))
	res.requests, res.auth, res.comments = e.srv.log()
	for _, m := range regexp.MustCompile(`✅  Success - Main (Choose the catalint version|Install catalint|Restore the cached binary|Cache the binary|Set up Go \(catalint from source\)|Check the catalog) \[([^\]]+)\]`).FindAllStringSubmatch(res.log, -1) {
		if d, err := time.ParseDuration(strings.ReplaceAll(m[2], "µ", "u")); err == nil {
			res.steps[m[1]] += d
		}
	}
	if strings.Contains(res.log, token) {
		t.Errorf("the token is in the job's log")
	}
	t.Logf("act run: exit %d in %s", res.code, res.wall.Round(time.Millisecond))
	return res
}

// installTime is what the action took before checking: its own steps.
func (r run) installTime() time.Duration {
	return r.steps["Choose the catalint version"] + r.steps["Restore the cached binary"] + r.steps["Install catalint"] + r.steps["Cache the binary"] + r.steps["Set up Go (catalint from source)"]
}

func (r run) mustContain(t *testing.T, what ...string) {
	t.Helper()
	for _, w := range what {
		if !strings.Contains(r.log, w) {
			t.Errorf("the job's log lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", r.log)
	}
}

func (r run) failedBeforeRunning(t *testing.T, message string) {
	t.Helper()
	if r.code == 0 {
		t.Errorf("the job passed")
	}
	r.mustContain(t, "::error title=catalint::"+message)
	if strings.Contains(r.log, "Main Check the catalog") || r.outputs["version"] == "" && r.outcome != "failure" {
		t.Errorf("catalint ran (or the action did not fail in its install step)")
	}
	if r.toolBin != "" {
		t.Errorf("a catalint binary was put on PATH: %s", r.toolBin)
	}
	if t.Failed() {
		t.Logf("log:\n%s", r.log)
	}
}

func TestAction(t *testing.T) {
	e := setup(t)
	clean := map[string]string{"catalog-info.yaml": comp("shop"), "README.md": "shop\n"}
	t.Logf("release v%s at %s; unreleased commit %s", e.version, e.releaseSHA, e.sourceSHA)

	store := filepath.Join(t.TempDir(), "cache-store")
	var cold, cached run
	t.Run("pinned @v1: the release's archive downloaded, verified, run, cached; clean catalog passes; every output set", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "shop, edited\n"})
		cold = e.act(t, r, opts{cache: store})
		if cold.code != 0 {
			t.Fatalf("clean catalog: act exit %d\n%s", cold.code, cold.log)
		}
		archive := "catalint_" + e.version + "_linux_amd64.tar.gz"
		if !contains(cold.requests, "GET /download/v"+e.version+"/"+archive) || !contains(cold.requests, "GET /download/v"+e.version+"/checksums.txt") || downloads(cold.requests) != 2 {
			t.Errorf("downloads: %v", cold.requests)
		}
		cold.mustContain(t, "catalint "+e.version+": "+archive+" verified (SHA-256 ", "Cache saved with key: catalint-"+e.version+"-linux-amd64")
		for _, k := range []string{"errors", "warnings", "new-errors", "new-warnings", "score", "result", "comment", "comment-url", "version"} {
			if _, ok := cold.outputs[k]; !ok || (cold.outputs[k] == "" && k != "comment-url") {
				t.Errorf("output %s not set: %v", k, cold.outputs)
			}
		}
		if cold.outputs["version"] != e.version || cold.outputs["result"] != "passed" || cold.outputs["errors"] != "0" || cold.outputs["comment-url"] != "https://github.com/acme/shop/pull/7#issuecomment-101" {
			t.Errorf("outputs: %v", cold.outputs)
		}
		if temp := readMaybe(filepath.Join(cold.out, "runner_temp")); temp == "" || strings.Contains(temp, "catalint-install") {
			t.Errorf("the install step's temporary folder is left in RUNNER_TEMP: %q", temp)
		}
		if !strings.HasSuffix(cold.toolBin, "/catalint/"+e.version+"/amd64/catalint") {
			t.Errorf("catalint on PATH: %q", cold.toolBin)
		}
		if len(cold.comments) != 1 || !strings.Contains(cold.comments[0], "✅ catalint passed") || !strings.Contains(cold.comments[0], "catalint "+e.version) && !strings.Contains(cold.comments[0], e.version) {
			t.Errorf("comment: %q", cold.comments)
		}
		for _, a := range cold.auth {
			if a != "Bearer "+token && a != "token "+token {
				t.Errorf("the API was called with Authorization %q, want the github-token input", a)
			}
		}
	})

	t.Run("cached: a later job restores the binary and downloads nothing", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "again\n"})
		cached = e.act(t, r, opts{cache: store})
		if cached.code != 0 || downloads(cached.requests) != 0 || cached.outputs["version"] != e.version {
			t.Errorf("exit %d, downloads %v, outputs %v", cached.code, cached.requests, cached.outputs)
		}
		cached.mustContain(t, "Cache restored from key: catalint-"+e.version+"-linux-amd64", "catalint "+e.version+" from the cache")
		if strings.Contains(cached.log, "Main Cache the binary") {
			t.Errorf("a hit must not save again")
		}
	})
	t.Logf("time the action adds to a job (its steps before the check, as act timed them): cold %s (download of a %s archive from a local server), cached %s",
		cold.installTime().Round(time.Millisecond), size(filepath.Join(e.release, "dist", "catalint_"+e.version+"_linux_amd64.tar.gz")), cached.installTime().Round(time.Millisecond))

	t.Run("a red run fails the job, sets the outputs, and caches the binary too", func(t *testing.T) {
		own := filepath.Join(t.TempDir(), "store")
		r := newRepo(t, clean, map[string]string{"catalog-info.yaml": broken("shop")})
		res := e.act(t, r, opts{cache: own, with: map[string]string{"new-from-rev": "none"}})
		if res.code == 0 || res.outcome != "failure" || res.outputs["result"] != "failed" || res.outputs["errors"] != "1" || res.outputs["new-errors"] != "1" {
			t.Errorf("exit %d outcome %q outputs %v\n%s", res.code, res.outcome, res.outputs, res.log)
		}
		res.mustContain(t, "::error file=catalog-info.yaml,line=6", `missing required field "lifecycle" in spec`)
		if _, err := os.Stat(filepath.Join(own, "catalint-"+e.version+"-linux-amd64.tar")); err != nil {
			t.Errorf("the red run saved no cache entry: %v", err)
		}
		if len(res.comments) != 1 || !strings.Contains(res.comments[0], "❌ catalint failed") {
			t.Errorf("comment: %q", res.comments)
		}
	})

	for _, c := range []struct{ name, mode, message string }{
		{"a tampered archive", "tamper-archive", "checksum mismatch for catalint_" + e.version + "_linux_amd64.tar.gz"},
		{"a tampered checksum line", "tamper-sum", "checksum mismatch for catalint_" + e.version + "_linux_amd64.tar.gz"},
		{"a missing checksum line", "drop-sum", "catalint_" + e.version + "_linux_amd64.tar.gz is not in v" + e.version + "'s checksums.txt"},
	} {
		t.Run(c.name+" fails before any downloaded code runs", func(t *testing.T) {
			r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
			res := e.act(t, r, opts{modes: []string{c.mode}})
			res.failedBeforeRunning(t, c.message)
		})
	}
	t.Run("an unknown version fails with the action's own message", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{with: map[string]string{"version": "v9.9.9"}})
		res.failedBeforeRunning(t, "catalint v9.9.9 has no catalint_9.9.9_linux_amd64.tar.gz at "+e.url+"/download (HTTP 404)")
	})
	t.Run("an unreachable download server fails with the action's own message, not curl's alone", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		dead := "http://" + l.Addr().String()
		l.Close()
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{with: map[string]string{"download-base": dead}})
		res.failedBeforeRunning(t, "cannot download "+dead+"/v"+e.version+"/catalint_"+e.version+"_linux_amd64.tar.gz (curl exit 7)")
	})
	t.Run("a version that is no release is refused", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{with: map[string]string{"version": "latest"}})
		res.failedBeforeRunning(t, "version input 'latest': want a release such as v1.2.3, or source")
	})

	t.Run("pinning: @vX.Y.Z and the release commit's SHA run that release; an unreleased commit's SHA builds its own source", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		for _, ref := range []string{"v" + e.version, e.releaseSHA} {
			res := e.act(t, r, opts{uses: "catalint-dev/catalint@" + ref, cache: store})
			if res.code != 0 || res.outputs["version"] != e.version {
				t.Errorf("@%s: exit %d, version %q\n%s", ref, res.code, res.outputs["version"], res.log)
			}
		}
		res := e.act(t, r, opts{uses: "catalint-dev/catalint@" + e.sourceSHA})
		if res.code != 0 || res.outputs["version"] != "source" || downloads(res.requests) != 0 {
			t.Errorf("@unreleased: exit %d, outputs %v, requests %v\n%s", res.code, res.outputs, res.requests, res.log)
		}
		res.mustContain(t, "::notice title=catalint::this action commit ("+e.sourceSHA+") is not a release, so catalint is built from its source")
	})

	t.Run("version source builds with version ldflags", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{with: map[string]string{"version": "source"}, pre: "      - run: echo built\n"})
		if res.code != 0 || res.outputs["version"] != "source" {
			t.Fatalf("exit %d outputs %v\n%s", res.code, res.outputs, res.log)
		}
		out, err := exec.Command(res.toolBin, "version").CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "catalint source") {
			t.Errorf("%s version: %s %v", res.toolBin, out, err)
		}
		res.mustContain(t, "Go ") // the setup-go stand-in ran
		t.Logf("time the action adds with version source (a go build; Go's build cache as warm as this machine's): %s", res.installTime().Round(time.Millisecond))
	})

	t.Run("every input reaches catalint", func(t *testing.T) {
		typo := strings.Replace(comp("typo"), "  owner: team-a\n", "  owner: team-a\n  sytem: payments\n", 1) // an unknown-field warning
		base := map[string]string{
			"catalog-info.yaml": comp("shop"),
			"org.yaml":          "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
		}
		head := map[string]string{
			// Issue 5: the glob reaches catalint unexpanded, so ** finds
			// the files two and three levels down (bash without globstar
			// reads ** as *: one level).
			"services/a/b/catalog-info.yaml":  comp("deep"),
			"services/x/catalog-info.yaml":    strings.Replace(comp("x"), "  owner: team-a\n", "  owner: team-a\n  system: payments\n", 1),
			"services/typo/catalog-info.yaml": typo,
			"other/catalog-info.yaml":         "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: payments\nspec:\n  owner: team-a\n",
			"ci/catalint.yaml":                "rules:\n  severity:\n    unknown-field: \"off\"\n",
		}
		r := newRepo(t, base, head)
		with := map[string]string{
			"paths":        "catalog-info.yaml\nservices/**/catalog-info.yaml",
			"config":       "ci/catalint.yaml",              // turns the warning off
			"catalog":      "dir:other",                     // resolves system: payments
			"owners":       "file:org.yaml",                 // knows team-a
			"min-score":    "10",                            // met
			"new-from-rev": "none",                          // no baseline
			"comment":      "false",                         // no API call
			"sarif":        "reports/nested/catalint.sarif", // a folder that does not exist (issue 11)
			"fail-on":      "warning",                       // the warning would fail without the config
		}
		res := e.act(t, r, opts{with: with})
		if res.code != 0 || res.outputs["result"] != "passed" || res.outputs["errors"] != "0" || res.outputs["warnings"] != "0" {
			t.Errorf("exit %d outputs %v", res.code, res.outputs)
		}
		res.mustContain(t, "0 errors, 0 warnings, 0 notices in 4 files (4 documents)")
		for _, rule := range []string{"[unknown-field]", "[unresolved-ref]", "[owner-missing]"} {
			if strings.Contains(res.log, rule) {
				t.Errorf("%s reported: an input did not reach catalint", rule)
			}
		}
		if len(res.requests) != 2 || len(res.comments) != 0 {
			t.Errorf("comment: false still called the API: %v", res.requests)
		}
		if sarif := readMaybe(filepath.Join(res.out, "catalint.sarif")); !strings.Contains(sarif, `"version": "2.1.0"`) {
			t.Errorf("no SARIF file written: %q", sarif)
		}

		// Without the config: the warning fails under fail-on warning,
		// annotated as an error, and min-score 100 fails too.
		delete(with, "config")
		with["min-score"] = "100"
		res = e.act(t, r, opts{with: with})
		if res.code == 0 || res.outputs["result"] != "failed" || res.outputs["warnings"] != "1" || res.outputs["new-warnings"] != "1" {
			t.Errorf("exit %d outputs %v", res.code, res.outputs)
		}
		res.mustContain(t, "::error file=services/typo/catalog-info.yaml,line=10", "warning (fails with --fail-on warning): spec.sytem is not a field of Component", "below --min-score 100.0")
	})

	t.Run("app-config, backend-dir and backstage-modules reach catalint", func(t *testing.T) {
		files := map[string]string{
			// What this Backstage registers: one file, with the ai-model
			// module's kind among those its rules allow.
			"backstage/app-config.yaml": "catalog:\n  rules:\n    - allow: [Component, Group, AiResource]\n  locations:\n    - type: file\n      target: ../catalog/all.yaml\n",
			"catalog/all.yaml": comp("shop") + "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n" +
				"---\napiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: style\n  description: A rule\nspec:\n  type: rule\n  lifecycle: production\n  owner: team-a\n  category: style\n  rationale: Consistency\n",
			// Not registered, so not checked when the app-config says what is.
			"decoy/catalog-info.yaml": broken("decoy"),
		}
		r := newRepo(t, files, files)
		with := map[string]string{
			"app-config":        "backstage/app-config.yaml",
			"backend-dir":       "backstage",
			"backstage-modules": "ai-model",
			"new-from-rev":      "none",
			"comment":           "false",
		}
		res := e.act(t, r, opts{with: with})
		if res.code != 0 || res.outputs["result"] != "passed" || res.outputs["errors"] != "0" {
			t.Errorf("exit %d outputs %v\n%s", res.code, res.outputs, res.log)
		}
		res.mustContain(t, "in 1 file (3 documents)")
		if strings.Contains(res.log, "decoy") {
			t.Errorf("a file the app-config does not register was checked")
		}
		delete(with, "backstage-modules")
		res = e.act(t, r, opts{with: with})
		if res.code == 0 || res.outputs["result"] != "failed" {
			t.Errorf("without the module: exit %d outputs %v", res.code, res.outputs)
		}
		res.mustContain(t, "the app-config allows kind AiResource, which catalint does not know", "backstage.modules: [ai-model]")
	})

	t.Run("new-from-rev: only old errors pass, and summary, comment, annotations and outputs agree", func(t *testing.T) {
		r := newRepo(t, map[string]string{"catalog-info.yaml": broken("shop")}, map[string]string{"catalog-info.yaml": "# edited\n" + broken("shop")})
		res := e.act(t, r, opts{})
		if res.code != 0 || res.outputs["result"] != "passed" || res.outputs["errors"] != "1" || res.outputs["new-errors"] != "0" {
			t.Errorf("exit %d outputs %v\n%s", res.code, res.outputs, res.log)
		}
		if strings.Contains(res.log, "::error file=") {
			t.Errorf("an old error annotated as an error")
		}
		res.mustContain(t, "already on "+r.base+", does not fail this check", "Summary - ### ✅ catalint passed")
		if len(res.comments) != 1 || !strings.Contains(res.comments[0], "✅ catalint passed") {
			t.Errorf("comment: %q", res.comments)
		}
	})

	t.Run("the GitHub API failing on the comment leaves the verdict and the outputs", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{modes: []string{"api-502"}})
		if res.code != 0 || res.outputs["result"] != "passed" || res.outputs["score"] == "" || res.outputs["comment"] != "failed" {
			t.Errorf("exit %d outputs %v\n%s", res.code, res.outputs, res.log)
		}
		res.mustContain(t, "pull-request comment not written (the check's result stands)")
	})

	t.Run("a fork's pull request gets a notice, not a failure", func(t *testing.T) {
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{modes: []string{"api-403"}, fork: true})
		if res.code != 0 || res.outputs["result"] != "passed" || res.outputs["comment"] != "skipped-readonly" {
			t.Errorf("exit %d outputs %v\n%s", res.code, res.outputs, res.log)
		}
		res.mustContain(t, "::notice title=catalint::")
	})

	t.Run("attestations: verified with gh when asked, and a failed verification stops before running", func(t *testing.T) {
		bin := filepath.Join(t.TempDir(), "bin")
		os.Mkdir(bin, 0o755)
		argsFile := filepath.Join(bin, "args")
		os.WriteFile(filepath.Join(bin, "gh"), []byte("#!/bin/sh\necho \"$@\" > "+argsFile+"\n[ -n \"$GH_TOKEN\" ] || exit 4\nexit ${GH_STUB_EXIT:-0}\n"), 0o755)
		pre := "      - run: echo " + bin + " >> \"$GITHUB_PATH\"\n"
		r := newRepo(t, clean, map[string]string{"README.md": "x\n"})
		res := e.act(t, r, opts{pre: pre, with: map[string]string{"verify-attestation": "true"}})
		if res.code != 0 {
			t.Errorf("exit %d\n%s", res.code, res.log)
		}
		got := read(t, argsFile)
		if !strings.HasPrefix(got, "attestation verify ") || !strings.Contains(got, "catalint_"+e.version+"_linux_amd64.tar.gz --repo catalint-dev/catalint --signer-workflow catalint-dev/catalint/.github/workflows/release.yml") {
			t.Errorf("gh called with %q", got)
		}
		res = e.act(t, r, opts{pre: pre, with: map[string]string{"verify-attestation": "true"}, env: map[string]string{"GH_STUB_EXIT": "1"}})
		res.failedBeforeRunning(t, "the GitHub artifact attestation of catalint_"+e.version+"_linux_amd64.tar.gz does not verify")
		res = e.act(t, r, opts{with: map[string]string{"verify-attestation": "true"}, env: map[string]string{"PATH": "/usr/local/go/bin:/usr/bin:/bin"}})
		if res.code == 0 {
			t.Errorf("verify-attestation true without gh passed")
		}
	})

	t.Run("the workflow to copy: runs on a pull request that changes no catalog file, and a failing SARIF upload cannot fail it", func(t *testing.T) {
		wf := read(t, filepath.Join(e.source, ".github", "workflows", "catalog.yml"))
		if regexp.MustCompile(`(?m)^\s*(paths|paths-ignore|branches-ignore):`).MatchString(wf) || regexp.MustCompile(`(?m)^  pull_request:\s*\n\s+branches:`).MatchString(wf) {
			t.Errorf("catalog.yml filters by paths: a required check would wait forever")
		}
		// A Location target with another name is found by discovery.
		base := map[string]string{
			"catalog-info.yaml":    "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: shop\nspec:\n  targets:\n    - ./catalog/systems.yaml\n",
			"catalog/systems.yaml": "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\n  description: The shop\nspec:\n  owner: team-a\n",
		}
		r := newRepo(t, base, map[string]string{"src/main.go": "package main\n"})
		res := e.act(t, r, opts{workflow: wf, env: map[string]string{"UPLOAD_SARIF_STANDIN": "forbidden"}})
		if res.code != 0 {
			t.Errorf("a pull request with a clean catalog, SARIF upload refused: exit %d\n%s", res.code, res.log)
		}
		res.mustContain(t, "Resource not accessible by integration", "in 2 files (2 documents)")
		r = newRepo(t, base, map[string]string{"catalog/systems.yaml": strings.Replace(base["catalog/systems.yaml"], "  owner: team-a\n", "  owner: [team-a]\n", 1)})
		res = e.act(t, r, opts{workflow: wf})
		if res.code == 0 {
			t.Errorf("a broken Location target passed\n%s", res.log)
		}
		res.mustContain(t, "::error file=catalog/systems.yaml", "Uploaded catalint.sarif (category catalint)")
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func size(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readMaybe(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	gitOut(t, dir, args...)
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}
