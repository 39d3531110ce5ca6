// Package entity is catalint's model of catalog entities: references and the
// relation table. It imports nothing else of catalint's but diag.
package entity

import (
	"errors"
	"fmt"
	"strings"
)

// DefaultNamespace is the namespace of an entity or reference that names none.
const DefaultNamespace = "default"

// Ref is a parsed entity reference. Kind may be empty when the reference
// named none and no default kind applied.
type Ref struct {
	Kind      string
	Namespace string
	Name      string
}

// ErrRefForm is wrapped by errors about a reference that is not of the form
// [<kind>:][<namespace>/]<name>.
var ErrRefForm = errors.New("not on the form [<kind>:][<namespace>/]<name>")

// ParseRef parses an entity reference the way Backstage's parseEntityRef
// does: the first ':' ends the kind unless a '/' comes before it, the first
// '/' ends the namespace, and the rest is the name. An empty part is an error;
// a missing kind or namespace takes the given default. A missing kind with no
// default is an error, as in Backstage.
func ParseRef(s, defaultKind, defaultNamespace string) (Ref, error) {
	if s == "" {
		return Ref{}, errors.New("entity reference must not be empty")
	}
	p, err := splitRef(s)
	if err != nil {
		return Ref{}, err
	}
	kind, namespace := p.kind, p.namespace
	if !p.hasKind {
		if defaultKind == "" {
			return Ref{}, fmt.Errorf("entity reference %q names no kind, and this field has no default kind", s)
		}
		kind = defaultKind
	}
	if !p.hasNamespace {
		if defaultNamespace == "" {
			defaultNamespace = DefaultNamespace
		}
		namespace = defaultNamespace
	}
	return Ref{Kind: kind, Namespace: namespace, Name: p.name}, nil
}

// refParts are the parts of a reference text; hasKind and hasNamespace
// say whether kind and namespace are written.
type refParts struct {
	kind, namespace, name string
	hasKind, hasNamespace bool
}

// splitRef returns the parts present in s. It allocates nothing for a
// well-formed reference: every reference of a whole catalog is split
// several times over.
func splitRef(s string) (refParts, error) {
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	if slash != -1 && slash < colon {
		colon = -1
	}
	var p refParts
	if colon != -1 {
		p.kind, p.hasKind = s[:colon], true
	}
	if slash != -1 {
		p.namespace, p.hasNamespace = s[colon+1:slash], true
	}
	p.name = s[max(colon+1, slash+1):]
	if (p.hasKind && p.kind == "") || (p.hasNamespace && p.namespace == "") || p.name == "" {
		return refParts{}, fmt.Errorf("entity reference %q is %w", s, ErrRefForm)
	}
	return p, nil
}

// HasKind reports whether the reference text names a kind explicitly.
func HasKind(s string) bool {
	p, err := splitRef(s)
	return err == nil && p.hasKind
}

// String returns the canonical lower-case form kind:namespace/name, as
// Backstage's stringifyEntityRef does.
func (r Ref) String() string {
	ns := r.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	if r.Kind == "" {
		return strings.ToLower(ns + "/" + r.Name)
	}
	return strings.ToLower(r.Kind + ":" + ns + "/" + r.Name)
}

// Equal compares two references case-insensitively, as Backstage does.
func (r Ref) Equal(o Ref) bool {
	return r.String() == o.String()
}

// Short writes the reference without its kind and without the default
// namespace: "name", or "ns/name" in another namespace.
func (r Ref) Short() string {
	if strings.EqualFold(r.Namespace, DefaultNamespace) {
		return r.Name
	}
	return r.Namespace + "/" + r.Name
}

// OwnerDisplay writes an owner as spec.owner and the reports' team keys
// write it: Short, with the kind in front when it is not a Group
// ("user:ada").
func (r Ref) OwnerDisplay() string {
	if strings.EqualFold(r.Kind, "group") {
		return r.Short()
	}
	return strings.ToLower(r.Kind) + ":" + r.Short()
}
