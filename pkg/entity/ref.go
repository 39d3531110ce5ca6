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
	kind, namespace, name, err := splitRef(s)
	if err != nil {
		return Ref{}, err
	}
	if kind == nil {
		if defaultKind == "" {
			return Ref{}, fmt.Errorf("entity reference %q names no kind, and this field has no default kind", s)
		}
		kind = &defaultKind
	}
	if namespace == nil {
		if defaultNamespace == "" {
			defaultNamespace = DefaultNamespace
		}
		namespace = &defaultNamespace
	}
	return Ref{Kind: *kind, Namespace: *namespace, Name: name}, nil
}

// splitRef returns the parts present in s; nil for an absent kind or namespace.
func splitRef(s string) (kind, namespace *string, name string, err error) {
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	if slash != -1 && slash < colon {
		colon = -1
	}
	if colon != -1 {
		k := s[:colon]
		kind = &k
	}
	if slash != -1 {
		ns := s[colon+1 : slash]
		namespace = &ns
	}
	name = s[max(colon+1, slash+1):]
	if (kind != nil && *kind == "") || (namespace != nil && *namespace == "") || name == "" {
		return nil, nil, "", fmt.Errorf("entity reference %q is %w", s, ErrRefForm)
	}
	return kind, namespace, name, nil
}

// HasKind reports whether the reference text names a kind explicitly.
func HasKind(s string) bool {
	k, _, _, err := splitRef(s)
	return err == nil && k != nil
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
