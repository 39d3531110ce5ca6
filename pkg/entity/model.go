package entity

import (
	"fmt"
	"sort"
	"strings"
)

// Layer is a catalog model layer, the shape of Backstage's
// createCatalogModelLayer: the kinds, or further versions and spec types of
// kinds, that it adds to the catalog.
type Layer struct {
	// ID names the layer: "builtin", a Backstage module ("ai-model"), or
	// "config" for the kinds declared in .catalint.yaml.
	ID    string
	Kinds []KindInfo
	// Schemas are JSON Schema documents by name, for kinds whose schema is
	// not a file of schemas/ (declared kinds).
	Schemas map[string][]byte
}

// Model is the catalog model a run checks against: the built-in layer plus
// the enabled module layers and the declared kinds. Every check that needs
// to know a kind (schema, references, graph, scores) reads it from here.
type Model struct {
	kinds   []KindInfo
	layers  []string
	schemas map[string][]byte
}

var builtinModel = func() *Model {
	m, err := NewModel()
	if err != nil {
		panic(err) // the built-in layer is data of this package
	}
	return m
}()

// Builtin is the model of a default Backstage: the built-in kinds only.
func Builtin() *Model { return builtinModel }

// NewModel is the built-in layer plus the given layers. A layer may add
// versions or spec types to a kind of an earlier layer (the ai-model module
// adds API's spec type mcp-server), but not declare again a (kind,
// apiVersion, spec type) already declared, nor spell a kind of another
// layer in another case.
func NewModel(layers ...Layer) (*Model, error) {
	m := &Model{schemas: map[string][]byte{}}
	for _, l := range append([]Layer{BuiltinLayer}, layers...) {
		for _, k := range l.Kinds {
			for _, have := range m.kinds {
				if !strings.EqualFold(have.Kind, k.Kind) {
					continue
				}
				if have.Kind != k.Kind {
					return nil, fmt.Errorf("kind %s clashes with kind %s of layer %s: kinds differ only in case", k.Kind, have.Kind, have.Layer)
				}
				if have.SpecType != k.SpecType {
					continue
				}
				for _, v := range k.APIVersions {
					if containsFold(have.APIVersions, v) {
						what := "kind " + k.Kind + " " + v
						if k.SpecType != "" {
							what += " spec type " + k.SpecType
						}
						if have.Layer == BuiltinLayer.ID {
							return nil, fmt.Errorf("%s is a built-in kind of Backstage", what)
						}
						return nil, fmt.Errorf("%s is already declared by layer %s", what, have.Layer)
					}
				}
			}
			k.Layer = l.ID
			m.kinds = append(m.kinds, k)
		}
		for n, b := range l.Schemas {
			m.schemas[n] = b
		}
		m.layers = append(m.layers, l.ID)
	}
	return m, nil
}

// Layers are the ids of the model's layers, the built-in one first.
func (m *Model) Layers() []string { return append([]string(nil), m.model().layers...) }

// Schemas are the JSON Schema documents of the layers (by name) that are
// not files of schemas/.
func (m *Model) Schemas() map[string][]byte { return m.model().schemas }

func (m *Model) model() *Model {
	if m == nil {
		return builtinModel
	}
	return m
}

// Kinds are the kind versions of the model, in layer order.
func (m *Model) Kinds() []KindInfo { return m.model().kinds }

// Names are the kinds of the model, each once, in layer order.
func (m *Model) Names() []string {
	var out []string
	for _, k := range m.model().kinds {
		if !contains(out, k.Kind) {
			out = append(out, k.Kind)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Known reports whether some layer of the model provides the kind
// (case-insensitively, as catalog.rules match kinds): the single "is this
// kind provided" question of the catalog rules and the kind rule.
func (m *Model) Known(kind string) bool {
	for _, k := range m.model().kinds {
		if strings.EqualFold(k.Kind, kind) {
			return true
		}
	}
	return false
}

// HasSpecTypes reports whether a version of the kind is for one spec type,
// so that choosing it needs the entity's spec.type.
func (m *Model) HasSpecTypes(kind string) bool {
	for _, k := range m.model().kinds {
		if k.Kind == kind && k.SpecType != "" {
			return true
		}
	}
	return false
}

// Lookup returns the kind version an entity's apiVersion, kind and
// spec.type select, as Backstage's catalog model does (getKind): the kind
// and apiVersion exactly, case-sensitively; then the version for that spec
// type, or else the kind's default version.
func (m *Model) Lookup(apiVersion, kind, specType string) (KindInfo, bool) {
	var def *KindInfo
	ks := m.model().kinds
	for i := range ks {
		k := &ks[i]
		if k.Kind != kind || !contains(k.APIVersions, apiVersion) {
			continue
		}
		if k.SpecType == "" {
			if specType == "" {
				return *k, true
			}
			if def == nil {
				def = k
			}
		} else if k.SpecType == specType {
			return *k, true
		}
	}
	if def != nil {
		return *def, true
	}
	return KindInfo{}, false
}

// SpecTypes are the spec types the versions of a kind for an apiVersion
// are for; "" stands for the default version.
func (m *Model) SpecTypes(kind, apiVersion string) []string {
	var out []string
	for _, k := range m.model().kinds {
		if k.Kind == kind && contains(k.APIVersions, apiVersion) {
			out = append(out, k.SpecType)
		}
	}
	sort.Strings(out)
	return out
}

// APIVersions are the apiVersions some version of the kind accepts.
func (m *Model) APIVersions(kind string) []string {
	var out []string
	for _, k := range m.model().kinds {
		if k.Kind == kind {
			for _, v := range k.APIVersions {
				if !contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// ByName returns a kind by name, case-insensitively: its default version
// when it has one, else its first.
func (m *Model) ByName(kind string) (KindInfo, bool) {
	var first *KindInfo
	ks := m.model().kinds
	for i := range ks {
		if strings.EqualFold(ks[i].Kind, kind) {
			if ks[i].SpecType == "" {
				return ks[i], true
			}
			if first == nil {
				first = &ks[i]
			}
		}
	}
	if first != nil {
		return *first, true
	}
	return KindInfo{}, false
}

// Relations are the relation fields of every version of a kind
// (case-insensitively), each field once: what the graph follows whatever
// the version.
func (m *Model) Relations(kind string) []Relation {
	var out []Relation
	for _, k := range m.model().kinds {
		if !strings.EqualFold(k.Kind, kind) {
			continue
		}
	next:
		for _, r := range k.Relations {
			for _, have := range out {
				if have.Field == r.Field && have.Relation == r.Relation {
					continue next
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// IsBuiltin reports whether the kind version is one of the built-in layer.
func (k KindInfo) IsBuiltin() bool { return k.Layer == BuiltinLayer.ID || k.Layer == "" }
