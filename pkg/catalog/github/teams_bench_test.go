package github

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/owners"
)

// BenchmarkTeamsDirectory2000 loads the directory of an organisation of
// 2,000 teams (20 pages) of 5 members and 1,000 members (10 pages) from the
// fake GitHub with 50 ms added to every request, through the default
// transport (no pacing against a host that is not api.github.com):
//
//   - cold: no cache at all;
//   - etag: the ETag cache warm (every page answered 304);
//   - members-cold / members-etag: with Members (one more request per team);
//   - owners-cached: behind a warm owners.Cached, as a pre-commit run.
//
// It reports the requests each Load sent and its wall time.
func BenchmarkTeamsDirectory2000(b *testing.B) {
	teams := make([]fakeTeam, 2000)
	for i := range teams {
		var m []string
		for j := range 5 {
			m = append(m, fmt.Sprintf("user-%04d", (i*5+j)%1000))
		}
		teams[i] = fakeTeam{Slug: fmt.Sprintf("team-%04d", i), Members: m}
	}
	members := make([]string, 1000)
	for i := range members {
		members[i] = fmt.Sprintf("user-%04d", i)
	}
	o := newFakeOrg(b, teams, members)
	o.latency = 50 * time.Millisecond
	o.mu.Lock()
	o.remaining = 1 << 30
	o.mu.Unlock()
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		members, etag bool
		cached        bool
	}{
		{name: "cold"}, {name: "etag", etag: true},
		{name: "members-cold", members: true}, {name: "members-etag", members: true, etag: true},
		{name: "owners-cached", cached: true},
	} {
		b.Run(c.name, func(b *testing.B) {
			var reqs, notModified int64
			var wall time.Duration
			for range b.N {
				httpDir, ownersDir := "", b.TempDir()
				if c.etag {
					httpDir = b.TempDir()
				}
				opts := TeamsOptions{Token: testToken, CacheDir: httpDir, Members: c.members}
				load := func() *owners.Directory {
					p := newTeams(b, o, opts)
					var prov owners.Provider = p
					if c.cached {
						prov = &owners.Cached{Provider: p, Dir: ownersDir}
					}
					d, err := prov.Load(ctx)
					if err != nil {
						b.Fatal(err)
					}
					return d
				}
				if c.etag || c.cached {
					load() // fill the cache, not measured
				}
				o.resetCounts()
				start := time.Now()
				d := load()
				wall += time.Since(start)
				reqs += o.requests.Load()
				notModified += o.notModified.Load()
				if len(d.Groups) != 2000 || len(d.Users) != 1000 {
					b.Fatalf("%d groups, %d users", len(d.Groups), len(d.Users))
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(reqs)/n, "requests")
			b.ReportMetric(float64(notModified)/n, "304s")
			b.ReportMetric(wall.Seconds()/n, "wall-s")
		})
	}
}
