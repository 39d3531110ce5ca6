package redteam

import (
	"os"
	"path/filepath"
	"testing"
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
