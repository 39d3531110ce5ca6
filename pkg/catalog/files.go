package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/catalint-dev/catalint/pkg/load"
)

// Files is a source of local catalog files: folders (searched as check
// searches them: catalog-info.yaml and YAML declaring a Backstage
// apiVersion), files and globs, following Location targets.
type Files struct {
	Paths   []string
	Ignorer *load.Ignorer
	Options load.Options
	// Label names the source, e.g. "dir:../platform".
	Label string
}

// Name identifies the source.
func (f *Files) Name() string {
	if f.Label != "" {
		return f.Label
	}
	return "dir:" + strings.Join(f.Paths, ",")
}

// Load reads the files. Documents that are not entities are skipped: the
// files being checked report their own problems. The files of each round
// (those named or found, then the Location targets they reach, and so on)
// are read on all cores; the entities come in the order one reader going
// through the queue would give.
func (f *Files) Load(ctx context.Context) ([]Entity, error) {
	targets, err := load.Discover(f.Paths, f.Ignorer)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	seen := map[string]bool{}
	for _, t := range targets {
		seen[absPath(t.Path)] = true
	}
	var out []Entity
	for len(targets) > 0 {
		read := make([]filesRead, len(targets))
		var wg sync.WaitGroup
		var next atomic.Int64
		for w := 0; w < min(runtime.GOMAXPROCS(0), len(targets)); w++ {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(targets) || ctx.Err() != nil {
						return
					}
					read[i] = f.read(targets[i])
				}
			})
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var more []load.Target
		for _, r := range read {
			out = append(out, r.entities...)
			for _, p := range r.reach {
				if k := absPath(p); !seen[k] && !f.Ignorer.Match(p) {
					seen[k] = true
					more = append(more, load.Target{Path: p, Display: p})
				}
			}
		}
		targets = more
	}
	return out, nil
}

// filesRead is what one file gave: its entities and the files its
// Location entities point at, in document order.
type filesRead struct {
	entities []Entity
	reach    []string
}

func (f *Files) read(t load.Target) filesRead {
	var r filesRead
	file := load.ReadFile(t.Path, t.Display, f.Options)
	for _, d := range file.Docs {
		if e, ok := FromDoc(d, f.Name()); ok {
			r.entities = append(r.entities, e)
		}
		for _, lt := range load.LocationTargets(d.Root) {
			if !lt.Followable() {
				continue
			}
			files, err := load.ExpandTarget(t.Path, lt.Text(), file.Root)
			if err != nil {
				continue
			}
			r.reach = append(r.reach, files...)
		}
	}
	return r
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
