package redteam

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A folder that cannot be read is an error naming the folder, not a
// silent skip (issue 15, item 8). Root reads any folder whatever its mode,
// so under root the binary runs as the unprivileged user nobody; as any
// other user, chmod 000 is enough.
func TestUnreadableFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX permissions")
	}
	dir := worldReadableDir(t)
	files := map[string]string{
		"catalog-info.yaml":        component,
		"locked/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not Valid!\n",
		"locked/deeper/x.yaml":     component,
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
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	runAs := unprivileged(t)
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "."}, 1},
		{[]string{"check", "--format", "json", "."}, 1},
		// The folder given is the unreadable one: still a finding, not
		// "nothing to check".
		{[]string{"check", "locked"}, 1},
		{[]string{"check", "--allow-empty", "locked"}, 1},
	} {
		r := runAs(dir, c.args...)
		wantCode(t, r, c.code)
		wantMessage(t, r, "locked")
		wantMessage(t, r, "cannot read folder: permission denied")
		if strings.Contains(r.All(), "Not Valid!") {
			t.Errorf("content of the unreadable folder shown:\n%s", r.All())
		}
	}
}

// worldReadableDir is a temporary folder that another user can enter.
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "catalint-redteam-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

// unprivileged returns a runner of the binary as a user that folder modes
// bind: the current one unless it is root, else nobody (with a copy of the
// binary that nobody may execute). It skips when there is no such user.
func unprivileged(t *testing.T) func(dir string, args ...string) Run {
	t.Helper()
	if os.Geteuid() != 0 {
		return func(dir string, args ...string) Run { return catalint(t, Opts{Dir: dir}, args...) }
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("running as root and there is no user nobody to run as: %v", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	binDir := worldReadableDir(t)
	exe := filepath.Join(binDir, "catalint")
	copyFile(t, bin, exe, 0o755)
	return func(dir string, args ...string) Run {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + binDir, "XDG_CACHE_HOME=" + filepath.Join(binDir, "cache"), "NO_COLOR=1"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if ctx.Err() != nil {
			t.Fatalf("catalint %s as nobody: still running after 30s", strings.Join(args, " "))
		}
		if cmd.ProcessState == nil {
			t.Fatalf("catalint %s as nobody: %v", strings.Join(args, " "), err)
		}
		r := Run{Code: cmd.ProcessState.ExitCode(), Stdout: out.String(), Stderr: errb.String()}
		t.Logf("catalint %s (as nobody): exit %d", strings.Join(args, " "), r.Code)
		return r
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
