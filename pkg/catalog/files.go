package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

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
// files being checked report their own problems.
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
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t := targets[0]
		targets = targets[1:]
		file := load.ReadFile(t.Path, t.Display, f.Options)
		for _, d := range file.Docs {
			if e, ok := FromDoc(d, f.Name()); ok {
				out = append(out, e)
			}
			root := file.Root
			for _, lt := range load.LocationTargets(d.Root) {
				if !lt.Followable() {
					continue
				}
				files, err := load.ExpandTarget(t.Path, lt.Text(), root)
				if err != nil {
					continue
				}
				for _, p := range files {
					if k := absPath(p); !seen[k] && !f.Ignorer.Match(p) {
						seen[k] = true
						targets = append(targets, load.Target{Path: p, Display: p})
					}
				}
			}
		}
	}
	return out, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
