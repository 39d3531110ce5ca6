package apispec

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/catalint-dev/catalint/pkg/load"

	"gopkg.in/yaml.v3"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// refDoc is one document that $refs can point into.
type refDoc struct {
	file string // pos.file of its problems: "" for the definition itself
	dir  string // folder its relative $refs are read from
	root *yaml.Node
}

// refWalker follows every $ref of a definition and of the files they
// name, and reports those that cannot be followed at the $ref itself.
type refWalker struct {
	c    *checker
	docs map[string]*refDoc // by real path; nil: could not be read
	// failed is set when a $ref cannot be followed, remote when one names
	// a remote location: either way a full load would not succeed.
	failed, remote bool
}

// checkRefs follows the $refs of a parsed definition.
func (c *checker) checkRefs(root *yaml.Node) *refWalker {
	w := &refWalker{c: c, docs: map[string]*refDoc{}}
	main := &refDoc{dir: c.dir, root: root}
	// A $ref back into the definition's own file reads the text itself.
	if fi, err := os.Stat(c.abs); err == nil && fi.Size() == int64(len(c.text)) {
		if real, err := load.RealPath(c.abs); err == nil {
			w.docs[real] = main
		}
	}
	w.walk(main)
	return w
}

func (w *refWalker) walk(d *refDoc) {
	visited := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || visited[n] || depth > 1000 {
			return
		}
		visited[n] = true
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && resolve(v).Kind == yaml.ScalarNode {
					w.ref(d, resolve(v))
					continue
				}
				// Extensions and example values are free-form.
				if strings.HasPrefix(k.Value, "x-") || k.Value == "example" {
					continue
				}
				walk(v, depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case yaml.AliasNode:
			walk(n.Alias, depth+1)
		}
	}
	walk(d.root, 0)
}

func (w *refWalker) ref(d *refDoc, v *yaml.Node) {
	ref := v.Value
	p := pos{file: d.file, line: v.Line, col: v.Column}
	if !isString(v) {
		w.c.report(SeverityError, p, fmt.Sprintf("$ref must be a string, found %s", describe(v)))
		w.failed = true
		return
	}
	filePart, frag, _ := strings.Cut(ref, "#")
	target := d
	if filePart != "" {
		if load.IsRemote(filePart) {
			w.c.report(SeverityNotice, p, fmt.Sprintf("$ref %q names a remote location, which is not fetched: what it points at is not verified", ref))
			w.remote = true
			return
		}
		fp, err := url.PathUnescape(filePart)
		if err != nil {
			fp = filePart
		}
		fp = filepath.FromSlash(fp)
		if !filepath.IsAbs(fp) {
			fp = filepath.Join(d.dir, fp)
		}
		real, err := w.c.confine(fp)
		if err != nil {
			w.c.report(SeverityError, p, fmt.Sprintf("$ref %q cannot be followed: %s: %v", ref, fp, err))
			w.failed = true
			return
		}
		if target = w.load(real, p, ref); target == nil {
			w.failed = true
			return
		}
	}
	if frag == "" {
		return
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	found, reached, tokens, matched := pointer(target.root, frag)
	if found != nil {
		return
	}
	w.failed = true
	where := filePart + jsonPointer(tokens[:matched])
	if matched == 0 {
		where = "the definition"
		if filePart != "" {
			where = filePart
		}
	}
	msg := fmt.Sprintf("$ref %q does not resolve: ", ref)
	switch {
	case !strings.HasPrefix(frag, "/"):
		msg += "the part after # must be a JSON pointer starting with /"
	case reached != nil && reached.Kind == yaml.MappingNode:
		msg += fmt.Sprintf("%s has no %q", where, tokens[matched])
		if cl := entity.Closest(tokens[matched], keys(reached), 1); len(cl) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", cl[0])
		}
	case reached != nil && reached.Kind == yaml.SequenceNode:
		msg += fmt.Sprintf("%s has no item %s (it has %d)", where, tokens[matched], len(reached.Content))
	default:
		msg += fmt.Sprintf("%s is %s, not a mapping", where, describe(reached))
	}
	w.c.report(SeverityError, p, msg)
}

// load reads and parses a file a $ref names, once.
func (w *refWalker) load(real string, p pos, ref string) *refDoc {
	if d, ok := w.docs[real]; ok {
		return d
	}
	w.docs[real] = nil
	data, err := readFile(real)
	if err != nil {
		w.c.report(SeverityError, p, fmt.Sprintf("$ref %q cannot be followed: %s: %v", ref, real, err))
		return nil
	}
	n, ep, msg := parseTree(data)
	if ep != nil {
		ep.file = real
		w.c.report(SeverityError, *ep, fmt.Sprintf("%s (read through $ref %q) is not valid YAML or JSON: %s", filepath.Base(real), ref, msg))
		return nil
	}
	if n == nil {
		w.c.report(SeverityError, p, fmt.Sprintf("$ref %q names %s, which is empty", ref, real))
		return nil
	}
	d := &refDoc{file: real, dir: filepath.Dir(real), root: n}
	w.docs[real] = d
	duplicateKeys(n, func(dp pos, msg string) {
		dp.file = real
		w.c.report(SeverityError, dp, msg)
	})
	w.walk(d)
	return d
}
