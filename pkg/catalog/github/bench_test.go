package github

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkOrgScan2000 scans an organisation of 2,000 repositories (nine
// in ten with a catalog file) on the fake GitHub with 50 ms added to every
// request, through the default transport: a cold run, then a warm run with
// the cache the cold run filled. It reports the requests each run sent and
// its wall time.
func BenchmarkOrgScan2000(b *testing.B) {
	repos := make([]*fakeRepo, 2000)
	for i := range repos {
		name := fmt.Sprintf("svc-%04d", i)
		files := map[string]string{}
		if i%10 != 0 {
			files["catalog-info.yaml"] = component(name)
		}
		repos[i] = &fakeRepo{Name: name, Files: files}
	}
	f := newFake(b, repos...)
	f.latency = 50 * time.Millisecond
	for _, conc := range []int{0, 8} {
		name := fmt.Sprintf("concurrency=%d", conc)
		if conc == 0 {
			name = fmt.Sprintf("concurrency=default(%d)", DefaultConcurrency)
		}
		b.Run(name, func(b *testing.B) {
			var coldReqs, warmReqs, warm304 int
			var coldWall, warmWall time.Duration
			for range b.N {
				f.mu.Lock()
				f.remaining = 1 << 30
				f.mu.Unlock()
				dir := b.TempDir()
				opts := Options{Org: "acme", BaseURL: f.srv.URL + "/api/v3/", Concurrency: conc, CacheDir: dir}
				for run := range 2 {
					s, err := New(opts)
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					es, err := s.Load(context.Background())
					wall := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					if len(es) != 1800 {
						b.Fatalf("%d entities", len(es))
					}
					st := s.Stats()
					if run == 0 {
						coldReqs += st.Requests
						coldWall += wall
					} else {
						warmReqs += st.Requests
						warm304 += st.NotModified
						warmWall += wall
					}
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(coldReqs)/n, "cold-requests")
			b.ReportMetric(coldWall.Seconds()/n, "cold-s")
			b.ReportMetric(float64(warmReqs)/n, "warm-requests")
			b.ReportMetric(float64(warm304)/n, "warm-304s")
			b.ReportMetric(warmWall.Seconds()/n, "warm-s")
		})
	}
}
