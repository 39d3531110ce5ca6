package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIntegrationCLIBackstage runs `catalint check` against the real
// Backstage catalog backend that scripts/backstage-integration.sh starts
// with the fixtures of pkg/catalog/backstage/testdata.
func TestIntegrationCLIBackstage(t *testing.T) {
	url, token := os.Getenv("CATALINT_BACKSTAGE_URL"), os.Getenv("CATALINT_BACKSTAGE_TOKEN")
	if url == "" {
		t.Skip("CATALINT_BACKSTAGE_URL is not set: run scripts/backstage-integration.sh to test against a real Backstage catalog")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: refund-service
  description: Pays money back
spec:
  type: service
  lifecycle: production
  owner: paymnets
  system: payments
  dependsOn: [resource:payments-dbb, component:payments-service]
`), 0o644)
	env := map[string]string{"BACKSTAGE_TOKEN": token}
	args := []string{"check", "--no-snippet", "--catalog", "backstage:" + url, "--owners", "backstage:" + url, "--cache-dir", t.TempDir(), dir}
	r := run(t, "", env, args...)
	if r.code != ExitProblems {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"catalog-info.yaml:9:10: error: spec.owner: group paymnets does not exist in the catalog, backstage:" + url,
		"= did you mean payments?",
		"catalog-info.yaml:11:15: error: spec.dependsOn[0]: resource:default/payments-dbb does not exist in the catalog (checked files and backstage:" + url + ")",
		"= did you mean resource:default/payments-db?",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("missing %q in\n%s", want, r.out)
		}
	}
	if strings.Count(r.out, ": error:") != 2 {
		t.Errorf("want exactly 2 errors (system payments and component:payments-service exist):\n%s", r.out)
	}
	// A wrong token is a fatal error naming the cause, and never the token.
	r = run(t, "", map[string]string{"BACKSTAGE_TOKEN": "wrong-token-123"}, args...)
	if r.code != ExitFatal || !strings.Contains(r.err, "unauthorised (401)") || strings.Contains(r.err, "wrong-token-123") {
		t.Errorf("wrong token: exit %d\n%s", r.code, r.err)
	}
}
