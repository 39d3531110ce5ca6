package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	comp := func(name, extra string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\nspec:\n  type: service\n  owner: team-a\n" + extra
	}
	// main: svc lacks a lifecycle (an old error).
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(comp("svc", "")), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "old debt")
	git(t, dir, "checkout", "-q", "-b", "pr")
	// The pull request moves svc down the file (its error changes line) and
	// adds a second entity with a new error.
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("# a comment\n\n"+comp("svc", "")+"---\n"+comp("web", "  lifecycle: production\n  system: [x]\n")), 0o644)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)

	r := run(t, "", nil, "check", "--no-snippet", "--only", "schema", "--new-from-rev", "main")
	if r.code != ExitProblems {
		t.Fatalf("a new error must fail: exit %d\n%s%s", r.code, r.out, r.err)
	}
	if !strings.Contains(r.out, `missing required field "lifecycle" in spec [schema] (baseline)`) || !strings.Contains(r.out, "spec.system must be a string") || strings.Contains(r.out, "must be a string, found a list [schema] (baseline)") {
		t.Errorf("the old error must be marked, the new one not:\n%s", r.out)
	}
	if !strings.Contains(r.err, "completeness against main: mean score") || !strings.Contains(r.err, "; 1 new error(s), 0 new warning(s)") || !strings.Contains(r.err, "mean score") {
		t.Errorf("stderr: %s", r.err)
	}
	// Fix the new error: only the old one is left, and it does not fail.
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("# a comment\n\n"+comp("svc", "")+"---\n"+comp("web", "  lifecycle: production\n")), 0o644)
	r = run(t, "", nil, "check", "--no-snippet", "--only", "schema", "--new-from-rev", "main")
	if r.code != 0 || !strings.Contains(r.out, "(baseline)") {
		t.Errorf("only old debt: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "check", "--new-from-rev", "no-such-rev")
	if r.code != ExitUsage || !strings.Contains(r.err, "no such revision") {
		t.Errorf("bad rev: exit %d %s", r.code, r.err)
	}
	// Without git (a container image without it): a usage error saying so.
	t.Setenv("PATH", t.TempDir())
	r = run(t, "", nil, "check", "--new-from-rev", "main")
	if r.code != ExitUsage || !strings.Contains(r.err, "--new-from-rev needs git, which is not on PATH") {
		t.Errorf("no git: exit %d %s", r.code, r.err)
	}
}

func TestSeveralFormats(t *testing.T) {
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "r.sarif"), filepath.Join(dir, "r.xml")
	r := run(t, "", nil, "check", "--format", "github", "--format", "sarif="+sarif, "--format", "junit="+junit, "../../examples/broken")
	if r.code != ExitProblems || !strings.HasPrefix(r.out, "::error file=../../examples/broken/catalog-info.yaml,line=6,col=9") {
		t.Errorf("github on stdout: exit %d\n%s", r.code, r.out)
	}
	for _, f := range []string{sarif, junit} {
		if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if r := run(t, "", nil, "check", "--format", "json", "--format", "text", "../../examples/acme"); r.code != ExitUsage {
		t.Errorf("two formats on stdout: exit %d", r.code)
	}
}
