package load

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchMonorepo builds (once, kept in the temporary folder) a monorepo of
// 100,000 files in 2,000 folders: mostly source files (empty: the walk
// never reads them), 10,000 YAML files that are not catalog files
// (Kubernetes manifests, workflows, Helm values), 500 catalog-info.yaml and
// 500 other catalog files.
func benchMonorepo(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "catalint-bench-monorepo-v1")
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	const k8s = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-%d\n  labels:\n    app: svc\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: svc\n          image: ghcr.io/acme/svc:%d\n"
	const entity = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-%d\nspec:\n  type: service\n  lifecycle: production\n  owner: team-%d\n"
	n := 0
	for d := 0; d < 2000; d++ {
		folder := filepath.Join(dir, fmt.Sprintf("services/team-%02d/svc-%d/src", d%40, d))
		if err := os.MkdirAll(folder, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < 50; f++ {
			var name, content string
			switch {
			case f < 5:
				name, content = fmt.Sprintf("deploy-%d.yaml", f), fmt.Sprintf(k8s, n, n)
			case f == 5 && d%4 == 0:
				name, content = "catalog-info.yaml", fmt.Sprintf(entity, n, d)
			case f == 6 && d%4 == 0:
				name, content = "api.yml", fmt.Sprintf(entity, n, d)
			default:
				name = fmt.Sprintf("file-%d.go", f)
			}
			if err := os.WriteFile(filepath.Join(folder, name), []byte(content), 0o644); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkDiscoverByName is the name-only walk (catalog-info.y(a)ml), as
// before content discovery; BenchmarkDiscoverByContent also reads the start
// of every .yaml/.yml file. Run them interleaved to compare on a busy
// machine:
//
//	for i in 1 2 3 4 5; do for b in ByName ByContent; do
//	  go test ./pkg/load -run '^$' -bench "Discover$b\$" -benchtime 10x; done; done
func BenchmarkDiscoverByName(b *testing.B) {
	benchDiscover(b, &Search{})
}

func BenchmarkDiscoverByContent(b *testing.B) {
	benchDiscover(b, &Search{Sniffer: NewSniffer(nil)})
}

func benchDiscover(b *testing.B, s *Search) {
	dir := benchMonorepo(b)
	ig, err := NewIgnorer(nil, true)
	if err != nil {
		b.Fatal(err)
	}
	s.Ignorer = ig
	b.ResetTimer()
	for range b.N {
		f, err := s.Discover([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(f.Targets)), "files")
	}
}
