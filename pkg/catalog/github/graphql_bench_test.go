package github

import (
	"cmp"
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkOrgScan10000 scans an organisation of 10,000 repositories (nine
// in ten with a catalog file, one in ten of those a Location naming three
// more files over two rounds) on the fake GitHub, REST and GraphQL (api=auto
// and api=graphql) side by side, with latency added to every request: a
// cold run, then a warm run with the cache the cold run filled, then
// another warm run. It reports per run the requests, the
// rate-limit cost (REST: requests that were not 304s; GraphQL: the points
// GitHub's rateLimit.cost summed), the bytes received and the wall time.
// Sub-benchmarks alternate, so that each -count round measures both APIs
// in turn on the same machine load.
func BenchmarkOrgScan10000(b *testing.B) {
	f := newFake(b, org10k(10_000)...)
	f.token = testToken
	g := withGraphQL(f)
	f.latency = 10 * time.Millisecond
	const wantEntities = 12863
	// auto: GraphQL when cold, a REST conditional listing when warm;
	// graphql: GraphQL throughout.
	for _, api := range []string{APIREST, APIAuto, APIGraphQL} {
		b.Run("api="+api, func(b *testing.B) {
			var m [3]struct {
				reqs, cost, bytes int64
				wall              time.Duration
			}
			for range b.N {
				dir := b.TempDir()
				for run := range 3 {
					f.mu.Lock()
					f.remaining = 1 << 30
					f.mu.Unlock()
					g.ResetCounts()
					s, err := New(f.options(Options{Token: testToken, API: api, CacheDir: dir}))
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					es, err := s.Load(context.Background())
					wall := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					if len(es) != wantEntities {
						b.Fatalf("%d entities", len(es))
					}
					st := s.Stats()
					if want := cmp.Or(map[string]string{APIAuto: APIGraphQL}[api], api); st.API != want {
						b.Fatalf("API %s", st.API)
					}
					f.mu.Lock()
					restCost := int64(1<<30 - f.remaining)
					f.mu.Unlock()
					m[run].reqs += int64(st.Requests)
					m[run].cost += restCost + int64(st.GraphQLPoints)
					m[run].bytes += st.BytesDownloaded
					m[run].wall += wall
				}
			}
			n := float64(b.N)
			for run, name := range []string{"cold", "warm", "warm2"} {
				b.ReportMetric(float64(m[run].reqs)/n, name+"-requests")
				b.ReportMetric(float64(m[run].cost)/n, name+"-ratelimit-cost")
				b.ReportMetric(float64(m[run].bytes)/n/1e6, name+"-MB")
				b.ReportMetric(m[run].wall.Seconds()/n, name+"-s")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkGraphQLWarmAfterPushes is the warm GraphQL scan of 10,000
// repositories after pushes to 1% of them.
func BenchmarkGraphQLWarmAfterPushes(b *testing.B) {
	f := newFake(b, org10k(10_000)...)
	f.token = testToken
	g := withGraphQL(f)
	f.latency = 10 * time.Millisecond
	dir := b.TempDir()
	opts := f.options(Options{Token: testToken, API: APIGraphQL, CacheDir: dir})
	s, _ := New(opts)
	if _, err := s.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	var reqs, points int
	var wall time.Duration
	for i := range b.N {
		for j := range 100 {
			f.setFile(fmt.Sprintf("svc-%05d", j*100+1), "a.yaml", component(fmt.Sprintf("pushed-%d-%d", i, j)))
		}
		g.ResetCounts()
		s, _ := New(opts)
		start := time.Now()
		if _, err := s.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		st := s.Stats()
		reqs += st.Requests
		points += st.GraphQLPoints
	}
	b.ReportMetric(float64(reqs)/float64(b.N), "requests")
	b.ReportMetric(float64(points)/float64(b.N), "points")
	b.ReportMetric(wall.Seconds()/float64(b.N), "s")
	b.ReportMetric(0, "ns/op")
}
