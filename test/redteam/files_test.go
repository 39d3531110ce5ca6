package redteam

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const component = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"

// A catalog file that is a symlink out of the repository (a CI runner's
// /proc/self/environ, /etc/passwd) is refused and its content never shown,
// whether the folder search finds it, it is named, or a Location points at it.
func TestSymlinkedCatalogFileOutsideRepo(t *testing.T) {
	outside := t.TempDir()
	secretFile := filepath.Join(outside, "environ")
	const secret = "GITHUB_TOKEN=ghs_0123456789SECRET"
	if err := os.WriteFile(secretFile, []byte(secret+"\x00HOME=/root\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := repo(t, map[string]string{
		"sub/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets: [./p.yaml, ./g*.yaml]\n",
	})
	symlink(t, secretFile, filepath.Join(dir, "catalog-info.yaml"))
	symlink(t, secretFile, filepath.Join(dir, "sub", "p.yaml"))
	symlink(t, secretFile, filepath.Join(dir, "sub", "g1.yaml"))
	summary := filepath.Join(dir, "summary.md")
	for _, args := range [][]string{
		{"check", "."},
		{"check", "catalog-info.yaml"},
		{"check", "sub/catalog-info.yaml"},
		{"check", "--format", "json", "."},
		{"check", "--format", "sarif", "."},
		{"check", "--format", "markdown", "."},
	} {
		r := catalint(t, Opts{Dir: dir, Env: map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_TOKEN": secret}, Outputs: []string{"summary.md"}}, args...)
		wantCode(t, r, 1)
		wantMessage(t, r, "outside the repository root")
		noLeak(t, r, "0123456789SECRET", "HOME=/root")
	}
}

// The files of the trap cases.
const (
	trapSecret = "TOPSECRET-0123456789-outside-content"
	apiDoc     = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: |\n    openapi: 3.0.3\n    info: {title: Orders, version: 1.0.0}\n    paths:\n      /orders:\n        get:\n          responses:\n            '200':\n              description: ok\n              content:\n                application/json:\n                  schema:\n                    $ref: './trap.yaml#/Order'\n"
	techDoc    = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  annotations:\n    backstage.io/techdocs-ref: dir:./docs\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
)

// A trap is what a file a reader opens turns out to be.
type trap struct {
	name string
	make func(t *testing.T, path string)
	// want is a piece of the message that names the refusal.
	want string
}

func traps(t *testing.T) []trap {
	outside := filepath.Join(t.TempDir(), "environ")
	if err := os.WriteFile(outside, []byte(trapSecret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return []trap{
		{"symlink out of the repository", func(t *testing.T, p string) { symlink(t, outside, p) }, "outside the repository"},
		{"symlink to /dev/zero", func(t *testing.T, p string) { symlink(t, "/dev/zero", p) }, "/dev/zero"},
		{"FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
		}, "not a regular file"},
		{"6 GB sparse file", func(t *testing.T, p string) {
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(6 << 30); err != nil {
				t.Skipf("no sparse files here: %v", err)
			}
		}, "over the limit"},
		{"unreadable", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte(component), 0o000); err != nil {
				t.Fatal(err)
			}
			if os.Geteuid() == 0 {
				asNobody(t, p) // root reads every file
			}
		}, "permission denied"},
	}
}

// Every path that reads a file refuses each trap, within its bounds, says
// why, and shows nothing of what lies outside the repository.
func TestFileTrapsThroughEveryReader(t *testing.T) {
	readers := []struct {
		name  string
		files map[string]string
		trap  string // where the trap goes
		args  []string
		code  int
	}{
		{"catalog file found", nil, "catalog-info.yaml", []string{"check", "."}, 1},
		{"catalog file named", nil, "trap.yaml", []string{"check", "trap.yaml"}, 1},
		{"Location target", map[string]string{"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets: [./trap.yaml]\n"}, "trap.yaml", []string{"check", "."}, 1},
		{"placeholder", map[string]string{"catalog-info.yaml": strings.Replace(component, "  name: svc\n", "  name: svc\n  description:\n    $text: ./trap.txt\n", 1)}, "trap.txt", []string{"check", "."}, 1},
		{"API $ref", map[string]string{"catalog-info.yaml": apiDoc}, "trap.yaml", []string{"check", "."}, 1},
		{"mkdocs.yml", map[string]string{"catalog-info.yaml": techDoc, "docs/index.md": "# hi\n"}, "docs/mkdocs.yml", []string{"check", "."}, 1},
		{"CODEOWNERS", map[string]string{"catalog-info.yaml": component}, ".github/CODEOWNERS", []string{"check", "--fail-on", "warning", "."}, 1},
		{"--config", map[string]string{"catalog-info.yaml": component}, "catalint.yaml", []string{"check", "--config", "catalint.yaml", "."}, 2},
		{".catalint.yaml found", map[string]string{"catalog-info.yaml": component}, ".catalint.yaml", []string{"check", "."}, 2},
	}
	for _, rd := range readers {
		for _, tr := range traps(t) {
			t.Run(rd.name+"/"+tr.name, func(t *testing.T) {
				dir := repo(t, rd.files)
				p := filepath.Join(dir, filepath.FromSlash(rd.trap))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				tr.make(t, p)
				summary := filepath.Join(dir, "summary.md")
				for _, format := range []string{"text", "github", "json", "markdown"} {
					args := append(append([]string{}, rd.args[:1]...), append([]string{"--format", format}, rd.args[1:]...)...)
					r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 20 * time.Second, MemoryMiB: 256},
						Env:     map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary},
						Outputs: []string{"summary.md"}}, args...)
					wantCode(t, r, rd.code)
					wantMessage(t, r, tr.want)
					noLeak(t, r, trapSecret, "0123456789-outside")
				}
			})
		}
	}
}

// killAt runs the binary under strace, which kills it with SIGKILL at the
// when-th call of the syscalls in sys (write; fsync; the renames): a kill
// at an exact point of writing an output. It tells whether the kill
// landed (strace then dies of the same signal).
func killAt(t *testing.T, dir string, sys string, when int, args ...string) (bool, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sargs := append([]string{"-f", "-qq", "-o", "/dev/null", "-e", "trace=" + sys, "-e", fmt.Sprintf("inject=%s:signal=KILL:when=%d", sys, when), bin}, args...)
	cmd := exec.CommandContext(ctx, "strace", sargs...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "NO_COLOR=1"}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("strace %s: still running after 30 s", strings.Join(args, " "))
	}
	if cmd.ProcessState == nil {
		t.Fatalf("strace: %v", err)
	}
	return killed(cmd.ProcessState), time.Since(start)
}

func killed(ps *os.ProcessState) bool {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ps.ExitCode() == 137 || ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// canInject tells whether strace can kill a process at a syscall here (it
// needs ptrace).
func canInject() bool {
	if _, err := exec.LookPath("strace"); err != nil {
		return false
	}
	cmd := exec.Command("strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=write", "-e", "inject=write:signal=KILL:when=1", "sh", "-c", "echo x")
	cmd.Run()
	return cmd.ProcessState != nil && killed(cmd.ProcessState)
}

// output is a file a command writes, with what a whole one looks like.
type output struct {
	path  string            // relative to the repository
	temp  string            // the glob of its temporary files
	whole func([]byte) bool // a complete file
}

func jsonWhole(b []byte) bool { return len(b) > 0 && json.Valid(b) }

func gzJSONWhole(b []byte) bool {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	j, err := io.ReadAll(zr)
	return err == nil && jsonWhole(j)
}

// many is a catalog of n components in files of 500, owned by n/50 teams,
// with gaps for the report to list.
func many(n int) map[string]string {
	files := map[string]string{}
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c%d\nspec:\n  type: service\n  lifecycle: production\n  owner: team-%d\n", i, i%max(1, n/50))
		if i%500 == 499 || i == n-1 {
			files[fmt.Sprintf("d%03d/catalog-info.yaml", i/500)] = b.String()
			b.Reset()
		}
	}
	return files
}

// SIGKILL at every write, sync and rename of a run that writes outputs
// leaves each output whole: the previous file as it was, or the new one
// complete; never empty, cut or mixed. Each output must have been caught
// mid-write at least once (its temporary file left behind), or the case
// proved nothing.
func TestKillWhileWritingEachOutput(t *testing.T) {
	if !canInject() {
		t.Skip("strace cannot inject a SIGKILL here (not installed, or no ptrace)")
	}
	cacheDir := "cache"
	groups := 1000
	backstage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/api/catalog/entities/by-query") {
			http.NotFound(w, r)
			return
		}
		// Pages of the size asked for, the next one by cursor, as
		// Backstage serves them.
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit <= 0 || limit > groups {
			limit = groups
		}
		from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		var items []string
		for i := from; i < groups && i < from+limit; i++ {
			items = append(items, fmt.Sprintf(`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"team-%d","namespace":"default"},"spec":{"type":"team","children":[]}}`, i))
		}
		next := ""
		if from+limit < groups {
			next = fmt.Sprintf(`"nextCursor":"%d"`, from+limit)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[%s],"totalItems":%d,"pageInfo":{%s}}`, strings.Join(items, ","), groups, next)
	}))
	defer backstage.Close()
	cases := []struct {
		name    string
		args    []string
		outputs []output
	}{
		{"aggregate -o", []string{"aggregate", ".", "-o", "snap.json"}, []output{{"snap.json", ".snap.json.tmp-*", jsonWhole}}},
		{"aggregate -o .gz", []string{"aggregate", ".", "-o", "snap.json.gz"}, []output{{"snap.json.gz", ".snap.json.gz.tmp-*", gzJSONWhole}}},
		{"report -o --badge --history", []string{"report", ".", "-o", "report.md", "--badge", "badge.svg", "--history", "history.json"}, []output{
			{"report.md", ".report.md.tmp-*", func(b []byte) bool {
				return bytes.Contains(b, []byte("## What each team can fix")) && bytes.HasSuffix(b, []byte("</details>\n"))
			}},
			{"badge.svg", ".badge.svg.tmp-*", func(b []byte) bool {
				return bytes.HasPrefix(b, []byte("<svg")) && bytes.HasSuffix(b, []byte("</svg>\n"))
			}},
			{"history.json", ".history.json.tmp-*", jsonWhole},
		}},
		{"check --format json=FILE", []string{"check", "--format", "json=out.json", "."}, []output{{"out.json", ".out.json.tmp-*", jsonWhole}}},
		{"owner cache", []string{"check", "--cache-dir", cacheDir, "--cache-ttl", "1ns", "--owners", "backstage:" + backstage.URL, "."}, []output{{cacheDir + "/owners-*.json", cacheDir + "/.owners-*", jsonWhole}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := repo(t, many(600))
			// The previous outputs, written whole.
			r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 60 * time.Second, MemoryMiB: 512}}, c.args...)
			if r.Code > 1 {
				t.Fatalf("first run: exit %d\n%s", r.Code, clip(r.Stderr))
			}
			old := map[string][]byte{}
			paths := map[string]string{}
			for _, o := range c.outputs {
				m, _ := filepath.Glob(filepath.Join(dir, o.path))
				if len(m) != 1 {
					t.Fatalf("%s: %d files after the first run", o.path, len(m))
				}
				paths[o.path] = m[0]
				old[o.path], _ = os.ReadFile(m[0])
				if !o.whole(old[o.path]) {
					t.Fatalf("%s is not whole after a clean run", o.path)
				}
			}
			caught := map[string]int{}
			kills := 0
			var slowest time.Duration // a run under strace, killed or not
			for _, sys := range []struct {
				set  string
				upTo int
			}{{"write", 12}, {"fsync", 3}, {"rename,renameat,renameat2", 3}} {
				for when := 1; when <= sys.upTo; when++ {
					k, wall := killAt(t, dir, sys.set, when, c.args...)
					if k {
						kills++
					}
					slowest = max(slowest, wall)
					for _, o := range c.outputs {
						if tmp, _ := filepath.Glob(filepath.Join(dir, o.temp)); len(tmp) > 0 {
							caught[o.path]++
							for _, f := range tmp {
								os.Remove(f)
							}
						}
						b, err := os.ReadFile(paths[o.path])
						if err != nil {
							t.Fatalf("%s at %s #%d: %v", o.path, sys.set, when, err)
						}
						if !bytes.Equal(b, old[o.path]) && !o.whole(b) {
							t.Fatalf("killed at %s #%d: %s is neither the previous file nor a whole new one (%d bytes)", sys.set, when, o.path, len(b))
						}
						old[o.path] = b // a completed run's file is the next previous one
					}
				}
			}
			for _, o := range c.outputs {
				t.Logf("%s: %d kills, caught mid-write %d times; always whole (slowest run under strace %s)", o.path, kills, caught[o.path], slowest.Round(time.Millisecond))
				if caught[o.path] == 0 {
					t.Errorf("%s: no kill landed while it was being written", o.path)
				}
			}
		})
	}
}

// hostileCatalog is catalog content written to act on whatever shows it:
// escape sequences (colour, clear screen, OSC 8 links, window titles), BEL,
// NUL, C1, a right-to-left override, line breaks that start forged
// diagnostics and workflow commands, and Markdown and HTML that would
// mention, link, show an image or close a <details>. The folder name
// carries some too.
const hostileCatalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "evil\e]8;;https://evil.example\a\e[31mX\0\u202egnp.exe"
  description: "desc \e[2J @acme/security-team [x](https://evil.example) ![i](https://evil.example/p.png) </details><img src=x>"
  tags: ["bad\e[31mtag", "line\ncatalog-info.yaml:1:1: error: forged [schema]"]
  links:
    - url: "not a url\e]0;title\a\u009b2J"
spec:
  type: service
  lifecycle: production
  owner: "group:evil\u202e\n::error file=forged::forged"
  dependsOn: ["component:x\e[31m\n::error file=forged::forged2"]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ok-one
spec:
  type: service
  lifecycle: production
  owner: "@acme/admins</details><img src=x onerror=alert(1)>"
`

// Catalog content reaches no output raw, in any format: no control
// character, no forged diagnostic line or workflow command, no mention,
// link, image, tag or closed <details> in Markdown or HTML, and no secret
// of the environment.
func TestInjectionThroughCatalogContent(t *testing.T) {
	dir := repo(t, map[string]string{"ev\x1b[2Jil\u202edir/catalog-info.yaml": hostileCatalog})
	const token = "ghs_SECRETTOKEN0123456789"
	env := map[string]string{"GITHUB_TOKEN": token, "BACKSTAGE_TOKEN": token}
	controls := "\x1b\x07\x00\u202e\u009b\u2066"
	type run struct {
		name string
		args []string
		file string // the output file, when not stdout
	}
	var runs []run
	for _, f := range []string{"text", "json", "github", "sarif", "junit", "markdown"} {
		runs = append(runs, run{"check " + f, []string{"check", "--catalog", "dir:.", "--format", f, "."}, ""})
	}
	for _, f := range []string{"markdown", "html", "json", "csv"} {
		runs = append(runs, run{"report " + f, []string{"report", "--format", f, "-o", "report.out", "."}, "report.out"})
	}
	runs = append(runs, run{"score text", []string{"score", "."}, ""}, run{"score json", []string{"score", "--format", "json", "."}, ""},
		run{"graph text", []string{"graph", "ok-one", "."}, ""})
	for _, rn := range runs {
		t.Run(rn.name, func(t *testing.T) {
			o := Opts{Dir: dir, Env: env, Bounds: Bounds{Time: 20 * time.Second, MemoryMiB: 256}}
			if rn.file != "" {
				o.Outputs = []string{rn.file}
			}
			r := catalint(t, o, rn.args...)
			if r.Code > 1 {
				t.Fatalf("exit %d\n%s", r.Code, clip(r.Stderr))
			}
			noLeak(t, r, token)
			out := r.All()
			if i := strings.IndexAny(out, controls); i >= 0 {
				t.Errorf("a raw control character at byte %d: %q", i, out[max(0, i-60):min(len(out), i+20)])
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "catalog-info.yaml:1:1") || strings.HasPrefix(line, "::error file=forged") {
					t.Errorf("a forged line: %q", line)
				}
			}
			if strings.Contains(rn.name, "markdown") || strings.Contains(rn.name, "html") {
				// What Markdown escaped with a backslash, or HTML with a
				// reference, is text: look at the rest.
				text := strings.NewReplacer(`\<`, "", `\[`, "", `\]`, "", `\(`, "", `\!`, "").Replace(out)
				for _, bad := range []string{"@acme", "](https://evil", "<img", "<script", "</details><"} {
					if bad == "@acme" && strings.Contains(rn.name, "html") {
						continue // a page of its own, not rendered by GitHub
					}
					if strings.Contains(text, bad) {
						t.Errorf("%q gets through", bad)
					}
				}
				if strings.Contains(rn.name, "markdown") && strings.Count(out, "<details>") != strings.Count(out, "</details>") {
					t.Errorf("%d <details> and %d </details>", strings.Count(out, "<details>"), strings.Count(out, "</details>"))
				}
			}
		})
	}
}

// Files named on the command line that are not catalog files are read
// with the same bounds: an org file or a history file that is /dev/zero or
// a FIFO is refused at once, with a message, not read until memory runs
// out or waited on forever.
func TestNamedFilesBounded(t *testing.T) {
	dir := repo(t, map[string]string{"catalog-info.yaml": component})
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Skip(err)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "--owners", "file:/dev/zero", "."}, 3},
		{[]string{"check", "--owners", "file:fifo", "."}, 3},
		{[]string{"report", "--history", "/dev/zero", "."}, 2},
		{[]string{"report", "--history", "fifo", "."}, 2},
		{[]string{"check", "/dev/zero"}, 1},
		{[]string{"check", "fifo"}, 1},
		{[]string{"check", "--config", "/dev/zero", "."}, 2},
		{[]string{"check", "--config", "fifo", "."}, 2},
	} {
		r := catalint(t, Opts{Dir: dir, Bounds: Bounds{Time: 10 * time.Second, MemoryMiB: 128}}, c.args...)
		wantCode(t, r, c.code)
		wantMessage(t, r, "not a regular file")
	}
}

// graph on a chain of 10,000 entities: the text tree stops at its depth
// and says what it left out, in bounded time and memory (it used to print
// 200 MB in 918 MB of memory; 50,000 ran out of memory).
func TestGraphChainBounded(t *testing.T) {
	files := map[string]string{}
	var b strings.Builder
	const n = 10000
	for i := 0; i < n; i++ {
		dep := ""
		if i+1 < n {
			dep = fmt.Sprintf("\n  dependsOn: [component:c%d]", i+1)
		}
		fmt.Fprintf(&b, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c%d\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a%s\n", i, dep)
		if i%1000 == 999 {
			files[fmt.Sprintf("d%02d/catalog-info.yaml", i/1000)] = b.String()
			b.Reset()
		}
	}
	dir := repo(t, files)
	bounds := Bounds{Time: 60 * time.Second, MemoryMiB: 256}
	r := catalint(t, Opts{Dir: dir, Bounds: bounds}, "graph", "c0", ".")
	wantCode(t, r, 0)
	wantMessage(t, r, "(cut at depth 25: 9974 more entities below the 1 node marked …; --depth N shows more, --depth -1 all)")
	if len(r.Stdout) > 10000 {
		t.Errorf("%d bytes of output", len(r.Stdout))
	}
	r = catalint(t, Opts{Dir: dir, Bounds: bounds}, "graph", "--depth", "2000", "c0", ".")
	wantCode(t, r, 0)
	wantMessage(t, r, "cut at depth 2000")
	for _, f := range []string{"mermaid", "dot"} {
		r = catalint(t, Opts{Dir: dir, Bounds: bounds}, "graph", "--format", f, "c0", ".")
		wantCode(t, r, 0)
		wantMessage(t, r, "component:default/c9999")
	}
}

// asNobody makes the rest of the test run the binary as the user nobody,
// through setpriv, so that a file of mode 000 is unreadable to it even when
// the tests run as root; the folders above path are opened to it.
func asNobody(t *testing.T, path string) {
	t.Helper()
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("root reads every file, and there is no setpriv to drop that")
	}
	for d := filepath.Dir(path); d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 {
			os.Chmod(d, fi.Mode().Perm()|0o005)
		}
	}
	wrapper := filepath.Join(t.TempDir(), "catalint-as-nobody")
	script := fmt.Sprintf("#!/bin/sh\nexec %s --reuid=65534 --regid=65534 --clear-groups %s \"$@\"\n", setpriv, bin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(wrapper), 0o755)
	real := bin
	bin = wrapper
	t.Cleanup(func() { bin = real })
}

// An input too large for the memory a run may use ends it with exit 3 and
// a sentence, not an out-of-memory crash with a goroutine dump (exit 2):
// here 20,000 entities under a ceiling of 24 MiB.
func TestMemoryCeiling(t *testing.T) {
	dir := repo(t, many(20000))
	r := catalint(t, Opts{Dir: dir, Env: map[string]string{"CATALINT_MAX_MEMORY_MIB": "24"}, Bounds: Bounds{Time: 60 * time.Second, MemoryMiB: 256}}, "check", ".")
	wantCode(t, r, 3)
	wantMessage(t, r, "catalint: stopped: memory use passed 24 MiB")
}
