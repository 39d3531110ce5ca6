package cli

import (
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/load"
)

// catalogKinds lists the forms of --catalog.
const catalogKinds = "dir:PATH, snapshot:FILE|URL, backstage:URL, github:ORG"

// parseSources turns --catalog values into sources.
func parseSources(specs []string, stdio IO, lo load.Options) ([]catalog.Source, error) {
	var out []catalog.Source
	for _, spec := range specs {
		typ, arg, ok := strings.Cut(spec, ":")
		if !ok || arg == "" {
			return nil, usageErr("--catalog %q: want one of %s", spec, catalogKinds)
		}
		switch typ {
		case "dir":
			ig, err := load.NewIgnorer(nil, true)
			if err != nil {
				return nil, err
			}
			out = append(out, &catalog.Files{Paths: []string{arg}, Ignorer: ig, Options: lo, Label: spec})
		case "snapshot":
			out = append(out, &catalog.SnapshotSource{Path: arg})
		default:
			s, err := remoteSource(typ, arg, stdio)
			if err != nil {
				return nil, err
			}
			if s == nil {
				return nil, usageErr("--catalog %q: unknown source type %q; want one of %s", spec, typ, catalogKinds)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// remoteSource builds the network sources; it returns nil for an unknown
// type.
var remoteSource = func(typ, arg string, stdio IO) (catalog.Source, error) {
	switch typ {
	case "backstage", "github":
		return nil, usageErr("--catalog %s:%s: this build of catalint does not support %s sources yet", typ, arg, typ)
	}
	return nil, nil
}

func describeSources(ss []catalog.Source) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}
