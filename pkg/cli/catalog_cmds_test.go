package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	r := run(t, "", nil, "graph", "resource:ledger-db", "--reverse", "../../examples/acme")
	want := "resource:default/ledger-db\n└── neededBy component:default/payments-api\n"
	if r.code != 0 || !strings.HasPrefix(r.out, want) || !strings.Contains(r.out, "component:default/checkout-web") {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "graph", "checkout-web", "-f", "dot", "../../examples/acme")
	if r.code != 0 || !strings.Contains(r.out, `"component:default/payments-api" -> "resource:default/ledger-db" [label="dependsOn"];`) {
		t.Errorf("dot: exit %d\n%s", r.code, r.out)
	}
	r = run(t, "", nil, "graph", "chekout-web", "../../examples/acme")
	if r.code != ExitUsage || !strings.Contains(r.err, "did you mean component:default/checkout-web?") {
		t.Errorf("unknown ref: exit %d %s", r.code, r.err)
	}
}

func TestAggregateThenCheckAgainstSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "catalog.json.gz")
	r := run(t, "", nil, "aggregate", "../../examples/acme", "-o", snap)
	if r.code != 0 || !strings.Contains(r.err, "wrote 13 entities") {
		t.Fatalf("aggregate: exit %d %s", r.code, r.err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fraud-check\nspec:\n  type: service\n  lifecycle: production\n  owner: team-payments\n  system: payments\n  dependsOn: [resource:ledger-db, resource:ledgr-db]\n"), 0o644)
	r = run(t, "", nil, "check", "--no-snippet", "--catalog", "snapshot:"+snap, dir)
	if r.code != ExitProblems || strings.Count(r.out, "[unresolved-ref]") != 1 || !strings.Contains(r.out, "did you mean resource:default/ledger-db?") {
		t.Errorf("check: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = run(t, "", nil, "check", "--catalog", "snapshot:"+filepath.Join(dir, "missing.json"), dir)
	if r.code != ExitFatal || !strings.Contains(r.err, "missing.json") {
		t.Errorf("missing snapshot: exit %d %s", r.code, r.err)
	}
	r = run(t, "", nil, "check", "--catalog", "ftp:x", dir)
	if r.code != ExitUsage {
		t.Errorf("bad --catalog: exit %d %s", r.code, r.err)
	}
}

func TestOfflineSkipsNetworkSources(t *testing.T) {
	r := run(t, "", map[string]string{"GITHUB_API_URL": "http://127.0.0.1:1/"}, "check", "--offline", "--catalog", "github:acme", "--catalog", "backstage:http://127.0.0.1:1", "../../examples/acme")
	if r.code != 0 || strings.Count(r.err, "--offline: not reading") != 2 {
		t.Errorf("exit %d\n%s", r.code, r.err)
	}
}
