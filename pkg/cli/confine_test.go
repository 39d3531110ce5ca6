package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A catalog file that is a symlink out of the repository, whether found by
// the folder search, named on the command line or reached as a Location
// target (plain or glob), is refused without its content reaching any
// output: on a CI runner /proc/self/environ holds every secret of the job.
func TestSymlinkedCatalogFileNotRead(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(tmp, "outside")
	repo := filepath.Join(tmp, "repo")
	for _, d := range []string{outside, filepath.Join(repo, ".git"), filepath.Join(repo, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "GITHUB_TOKEN=ghs_SECRETSECRETSECRET"
	secretFile := filepath.Join(outside, "environ")
	if err := os.WriteFile(secretFile, []byte(secret+"\nroot:x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loc := "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n  targets: [./p.yaml, ./g*.yaml]\n"
	if err := os.WriteFile(filepath.Join(repo, "sub", "catalog-info.yaml"), []byte(loc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{filepath.Join(repo, "catalog-info.yaml"), filepath.Join(repo, "sub", "p.yaml"), filepath.Join(repo, "sub", "g1.yaml")} {
		if err := os.Symlink(secretFile, l); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	for _, args := range [][]string{
		{"check", repo},
		{"check", filepath.Join(repo, "catalog-info.yaml")},
		{"check", filepath.Join(repo, "sub", "catalog-info.yaml")},
		{"check", "--format", "json", repo},
		{"check", "--format", "github", repo},
		{"check", "--format", "markdown", repo},
		{"check", "--format", "sarif", repo},
	} {
		r := run(t, "", map[string]string{"GITHUB_TOKEN": "x"}, args...)
		if r.code != ExitProblems {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, r.code, ExitProblems, r.out, r.err)
		}
		for _, leak := range []string{"SECRETSECRET", "root:x:0:0"} {
			if strings.Contains(r.out, leak) || strings.Contains(r.err, leak) {
				t.Errorf("%v: the content of a file outside the repository leaked:\n%s%s", args, r.out, r.err)
			}
		}
		if !strings.Contains(r.out, "outside the repository root") {
			t.Errorf("%v: no refusal in the output:\n%s", args, r.out)
		}
	}
	// Each of the three links is refused when the folder is searched.
	r := run(t, "", nil, "check", "--no-snippet", repo)
	if got := strings.Count(r.out, "not read: it is a symlink to "+secretFile); got != 3 {
		t.Errorf("%d refusals, want 3:\n%s", got, r.out)
	}
}
