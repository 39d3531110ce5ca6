package owners

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/load"
)

// MaxOrgFileSize is the largest org file read.
const MaxOrgFileSize = 64 << 20

// File reads an org file: Backstage Group and User entities (the usual
// org.yaml exported from an identity provider), or a plain list:
//
//	groups: [team-payments, team-web]   # or "teams"
//	users: [ada, grace]
//
// or a bare YAML/JSON list of team names.
type File struct{ Path string }

// Name identifies the provider.
func (f *File) Name() string { return "file:" + f.Path }

// Load reads the file.
func (f *File) Load(context.Context) (*Directory, error) {
	// Read as catalog files are: a FIFO or /dev/zero named here neither
	// hangs the run nor fills memory.
	src, err := load.ReadRegular(f.Path, MaxOrgFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	lf := load.Parse(bytes.NewReader(src), f.Path, filepath.Dir(f.Path), filepath.Dir(f.Path), load.Options{})
	for _, d := range lf.Diags {
		return nil, fmt.Errorf("%s: %s", f.Name(), d.Message)
	}
	dir := NewDirectory()
	dir.Sources = []string{f.Name()}
	var ents []*catalog.Entity
	for _, doc := range lf.Docs {
		if doc.Root == nil {
			return nil, fmt.Errorf("%s:%d: %s", f.Path, doc.Diags[0].Line, doc.Diags[0].Message)
		}
		root := doc.Root
		switch {
		case root.Kind == load.Seq:
			if err := addNames(dir, root, true, f.Path); err != nil {
				return nil, err
			}
		case root.Kind == load.Map && root.Get("kind") != nil:
			if e, ok := catalog.FromDoc(doc, f.Name()); ok {
				ents = append(ents, &e)
			}
		case root.Kind == load.Map:
			for _, p := range root.Map {
				switch strings.ToLower(p.Key) {
				case "groups", "teams":
					if err := addNames(dir, p.Value, true, f.Path); err != nil {
						return nil, err
					}
				case "users":
					if err := addNames(dir, p.Value, false, f.Path); err != nil {
						return nil, err
					}
				default:
					return nil, fmt.Errorf("%s:%d: unknown key %q; an org file has groups (or teams) and users", f.Path, p.KeySpan.Line, p.Key)
				}
			}
		default:
			return nil, fmt.Errorf("%s:%d: expected Group/User entities, a mapping with groups and users, or a list of team names", f.Path, doc.Line)
		}
	}
	dir.Merge(FromEntities(ents, f.Name()))
	dir.Sources = []string{f.Name()}
	if dir.Len() == 0 {
		return nil, fmt.Errorf("%s: no teams or users in the file", f.Name())
	}
	return dir, nil
}

func addNames(dir *Directory, n *load.Node, groups bool, path string) error {
	if n.Kind != load.Seq {
		return fmt.Errorf("%s:%d: expected a list of names", path, n.Span.Line)
	}
	for _, v := range n.Seq {
		if v.Kind != load.String || v.Text == "" {
			return fmt.Errorf("%s:%d: expected a name, found %s", path, v.Span.Line, v.Kind)
		}
		ns, name := "", v.Text
		if i := strings.IndexByte(name, '/'); i > 0 {
			ns, name = name[:i], name[i+1:]
		}
		if groups {
			dir.AddGroup(Group{Namespace: ns, Name: name, Members: -1})
		} else {
			dir.AddUser(User{Namespace: ns, Name: name})
		}
	}
	return nil
}
