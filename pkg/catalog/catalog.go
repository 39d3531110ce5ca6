// Package catalog is the aggregated catalog: every entity known from the
// files being checked and from the configured sources (folders, snapshot
// files, a Backstage catalog API, a GitHub organisation scan), indexed by
// reference so that rules can resolve relations.
package catalog

import (
	"context"
	"strings"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// Entity is one entity of the catalog.
type Entity struct {
	// Kind, Namespace and Name as written (Namespace defaulted).
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Location says where the entity is defined: "path:line" for a local
	// file, a URL (with "#Lline" where known) for a remote one.
	Location string `json:"location"`
	// Source names the source it came from: "files", "dir:PATH",
	// "snapshot:FILE", "backstage:URL", "github:ORG".
	Source string `json:"source"`
	// Raw is the entity as JSON (apiVersion, kind, metadata, spec).
	Raw map[string]any `json:"entity"`
}

// Ref returns the entity's canonical reference.
func (e *Entity) Ref() entity.Ref {
	return entity.Ref{Kind: e.Kind, Namespace: e.Namespace, Name: e.Name}
}

// Spec returns the entity's spec, or nil.
func (e *Entity) Spec() map[string]any {
	s, _ := e.Raw["spec"].(map[string]any)
	return s
}

// SpecString returns a string spec field, or "".
func (e *Entity) SpecString(field string) string {
	s, _ := e.Spec()[field].(string)
	return s
}

// Source provides entities.
type Source interface {
	// Name identifies the source in messages, e.g. "github:acme".
	Name() string
	// Load returns the source's entities. An error means the source could
	// not be read (network, authentication, rate limit); it names the
	// source and the cause, and never contains a token.
	Load(ctx context.Context) ([]Entity, error)
}

// FromDoc turns a loaded document into a catalog entity. ok is false when
// the document is not an entity with a string kind and metadata.name.
func FromDoc(d *load.Doc, source string) (Entity, bool) {
	return FromDocKept(d, source, func(*load.Node) map[string]any {
		raw, _ := d.Value().(map[string]any)
		return raw
	})
}

// FromDocKept is FromDoc with the entity's Raw made by kept from the
// document's root, for a caller that keeps less than the whole document.
func FromDocKept(d *load.Doc, source string, kept func(root *load.Node) map[string]any) (Entity, bool) {
	if d.Root == nil || d.Root.Kind != load.Map {
		return Entity{}, false
	}
	kind := d.Root.GetString("kind")
	name := d.Root.GetString("metadata", "name")
	if kind == "" || name == "" {
		return Entity{}, false
	}
	ns := d.Root.GetString("metadata", "namespace")
	if ns == "" {
		ns = entity.DefaultNamespace
	}
	return Entity{
		Kind: kind, Namespace: ns, Name: name,
		Location: d.File.Path + ":" + itoa(d.Line),
		Source:   source,
		Raw:      kept(d.Root),
	}, true
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// key is the case-insensitive identity of a reference.
func key(kind, namespace, name string) string {
	return strings.ToLower(kind) + ":" + strings.ToLower(namespace) + "/" + strings.ToLower(name)
}
