// Package redteam is a black-box suite that attacks the catalint binary the
// way a hostile repository, catalog or server would: filesystem traps, servers
// that misbehave, injection through catalog content, crash points. Each case
// runs the real binary as a child process with a time and memory bound and
// asserts the exit code, the message, and that no secret or outside content
// appears in anything it wrote.
//
// Cases live in one file per area (files_test.go, net_test.go, …); this file
// holds the harness they share.
package redteam

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the catalint binary built once for the suite.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "catalint-redteam-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "catalint")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, "github.com/catalint-dev/catalint/cmd/catalint")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build catalint:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Bounds are what one run may use.
type Bounds struct {
	// Time is the wall-clock limit; the process is killed past it and the
	// case fails. Default 30 s: generous for a slow CI machine, far below
	// what a hang or a loop would take.
	Time time.Duration
	// MemoryMiB is the peak resident set size allowed. Default 512.
	MemoryMiB int64
}

// Run is one execution of the binary.
type Run struct {
	Code     int
	Stdout   string
	Stderr   string
	Wall     time.Duration
	MaxRSSKB int64
	// Files are the outputs it wrote that the case asked to inspect.
	Files map[string]string
}

// All is everything the run wrote, for leak checks.
func (r Run) All() string {
	var b strings.Builder
	b.WriteString(r.Stdout)
	b.WriteString(r.Stderr)
	for _, v := range r.Files {
		b.WriteString(v)
	}
	return b.String()
}

// Opts configure one run.
type Opts struct {
	Dir    string            // working directory
	Env    map[string]string // added to a minimal environment (PATH, HOME)
	Stdin  string
	Bounds Bounds
	// Outputs are files to read after the run (relative to Dir), such as
	// $GITHUB_STEP_SUMMARY or a --format FILE target.
	Outputs []string
}

// catalint runs the binary with args under the bounds and fails the test
// when it exceeds them.
func catalint(t *testing.T, o Opts, args ...string) Run {
	t.Helper()
	if o.Bounds.Time == 0 {
		o.Bounds.Time = 30 * time.Second
	}
	if o.Bounds.MemoryMiB == 0 {
		o.Bounds.MemoryMiB = 512
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Bounds.Time)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = o.Dir
	home := t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "NO_COLOR=1"}
	for k, v := range o.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = strings.NewReader(o.Stdin)
	start := time.Now()
	err := cmd.Run()
	r := Run{Stdout: out.String(), Stderr: errb.String(), Wall: time.Since(start), Files: map[string]string{}}
	if ctx.Err() != nil {
		t.Fatalf("catalint %s: still running after %s (killed)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), o.Bounds.Time, clip(r.Stdout), clip(r.Stderr))
	}
	if cmd.ProcessState == nil {
		t.Fatalf("catalint %s: %v", strings.Join(args, " "), err)
	}
	r.Code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSSKB = maxRSSKB(ru)
	}
	if r.MaxRSSKB > o.Bounds.MemoryMiB*1024 {
		t.Errorf("catalint %s: peak memory %d MiB over the bound of %d MiB", strings.Join(args, " "), r.MaxRSSKB/1024, o.Bounds.MemoryMiB)
	}
	for _, f := range o.Outputs {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(o.Dir, f)
		}
		if b, err := os.ReadFile(p); err == nil {
			r.Files[f] = string(b)
		}
	}
	// A Go runtime crash is never an acceptable answer to any input.
	for _, crash := range []string{"goroutine 1 [", "panic:", "fatal error: runtime", "out of memory"} {
		if strings.Contains(r.Stderr, crash) {
			t.Errorf("catalint %s: crashed (%q):\n%s", strings.Join(args, " "), crash, clip(r.Stderr))
		}
	}
	t.Logf("catalint %s: exit %d in %s, peak %d MiB", strings.Join(args, " "), r.Code, r.Wall.Round(time.Millisecond), r.MaxRSSKB/1024)
	return r
}

// maxRSSKB is the peak resident set in KiB (Linux reports KiB, macOS bytes).
func maxRSSKB(ru *syscall.Rusage) int64 {
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) / 1024
	}
	return int64(ru.Maxrss)
}

// noLeak fails when any of the secrets appears in anything the run wrote.
func noLeak(t *testing.T, r Run, secrets ...string) {
	t.Helper()
	all := r.All()
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("%q leaked into the output:\n%s", s, clip(all))
		}
	}
}

// wantCode fails when the exit code is not the expected one.
func wantCode(t *testing.T, r Run, code int) {
	t.Helper()
	if r.Code != code {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, clip(r.Stdout), clip(r.Stderr))
	}
}

// wantMessage fails when no output holds the text.
func wantMessage(t *testing.T, r Run, text string) {
	t.Helper()
	if !strings.Contains(r.All(), text) {
		t.Errorf("no %q in the output:\nstdout:\n%s\nstderr:\n%s", text, clip(r.Stdout), clip(r.Stderr))
	}
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + fmt.Sprintf("\n… (%d more bytes)", len(s)-4000)
	}
	return s
}

// repo makes a git-less repository folder (with a .git folder so that it is
// its own root) holding the files given, path → content.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// symlink makes link point at target, skipping the test where symlinks
// cannot be made.
func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
}
