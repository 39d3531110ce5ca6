package apispec

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// kin-openapi decodes a document level by level, and at each level its
// UnmarshalJSON decodes the level's whole JSON twice (into the struct, then
// into a map for the extensions), and its map-like types (paths,
// responses) decode their JSON into maps and encode each entry again: the
// work grows with the depth of the document times its size, and it was
// most of a whole-catalog check. decodeKin builds the same openapi3.T from
// the tree directly for what documents are mostly made of (the document,
// paths, operations, parameters, request bodies, responses, media types,
// schemas, components, and references to them), and hands every other
// part (info, servers, tags, security, examples, headers, links, ...) to
// kin-openapi's own decoder, as encoding/json would. It declines (ok false)
// whatever it is not sure to decode as kin-openapi does: then the caller
// lets kin-openapi decode the whole text. TestKinDecode holds the two equal
// over every definition of the corpora.

// kinStruct describes one kin-openapi type that decodeKin decodes itself.
// Each one's UnmarshalJSON decodes the fields by their JSON names and keeps
// every other key of the object in Extensions (nil when none).
type kinStruct struct {
	fields map[string]int // JSON name to field index
	names  []string       // JSON names, for the case-insensitive check
	ext    int            // index of Extensions
}

var (
	kinStructsOnce sync.Once
	kinStructs     map[reflect.Type]*kinStruct
)

func kinTypes() map[reflect.Type]*kinStruct {
	kinStructsOnce.Do(func() {
		kinStructs = map[reflect.Type]*kinStruct{}
		for _, t := range []reflect.Type{
			reflect.TypeFor[openapi3.T](), reflect.TypeFor[openapi3.PathItem](), reflect.TypeFor[openapi3.Operation](),
			reflect.TypeFor[openapi3.Parameter](), reflect.TypeFor[openapi3.RequestBody](), reflect.TypeFor[openapi3.Response](),
			reflect.TypeFor[openapi3.MediaType](), reflect.TypeFor[openapi3.Schema](), reflect.TypeFor[openapi3.Components](),
		} {
			ks := &kinStruct{fields: map[string]int{}, ext: -1}
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				if f.Name == "Extensions" {
					ks.ext = i
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" {
					continue
				}
				if name == "" {
					name = f.Name
				}
				ks.fields[name] = i
				ks.names = append(ks.names, name)
			}
			kinStructs[t] = ks
		}
	})
	return kinStructs
}

var (
	typeSchemaRef      = reflect.TypeFor[openapi3.SchemaRef]()
	typeParameterRef   = reflect.TypeFor[openapi3.ParameterRef]()
	typeResponseRef    = reflect.TypeFor[openapi3.ResponseRef]()
	typeRequestBodyRef = reflect.TypeFor[openapi3.RequestBodyRef]()
	typePaths          = reflect.TypeFor[openapi3.Paths]()
	typeResponses      = reflect.TypeFor[openapi3.Responses]()
	typeAny            = reflect.TypeFor[any]()
	typeTypes          = reflect.TypeFor[openapi3.Types]()
	typeStrings        = reflect.TypeFor[[]string]()
)

// decodeKin decodes an OpenAPI 3 document's tree as kin-openapi decodes
// its JSON (treeJSON's bytes), or declines.
func decodeKin(root *yaml.Node) (*openapi3.T, bool) {
	if !canonicalNumbers(root, 0) {
		return nil, false
	}
	doc := &openapi3.T{}
	if !decodeInto(root, reflect.ValueOf(doc).Elem(), 0) {
		return nil, false
	}
	return doc, true
}

// canonicalNumbers reports whether every number of the tree is written
// as encoding/json writes the float64 it reads: kin-openapi's map-like
// types encode their entries again from such values, so only then are the
// bytes its decoders see the tree's own.
func canonicalNumbers(n *yaml.Node, depth int) bool {
	n = resolve(n)
	if n == nil || depth > 200 {
		return n == nil
	}
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		for _, c := range n.Content {
			if !canonicalNumbers(c, depth+1) {
				return false
			}
		}
		return true
	case yaml.ScalarNode:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return true
		}
		v, err := toValueDepth(n, depth)
		if err != nil {
			return false
		}
		num, ok := v.(json.Number)
		if !ok {
			return true
		}
		if plainInt(string(num)) && len(num) <= 15 {
			return true
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return false
		}
		b, err := json.Marshal(f)
		return err == nil && string(b) == string(num)
	}
	return true
}

// decodeInto decodes n into v (settable) as encoding/json decodes n's
// JSON into a value of v's type, for the types decodeKin knows; others go
// to encoding/json with n's JSON.
func decodeInto(n *yaml.Node, v reflect.Value, depth int) bool {
	if depth > 200 {
		return false
	}
	n = resolve(n)
	if n == nil || n.Kind == yaml.AliasNode || isNull(n) {
		// A null leaves kin-openapi's types in states of their own
		// (explicitly null responses): not decoded here.
		return false
	}
	t := v.Type()
	switch {
	case t == typeAny:
		a, ok := jsonAny(n, depth)
		if ok && a != nil {
			v.Set(reflect.ValueOf(a))
		}
		return ok
	case t.Kind() == reflect.String:
		s, ok := scalarString(n)
		if ok {
			v.SetString(s)
		}
		return ok
	case t.Kind() == reflect.Bool:
		b, ok := scalarBool(n)
		if ok {
			v.SetBool(b)
		}
		return ok
	case t.Kind() == reflect.Pointer:
		e := t.Elem()
		if _, ok := kinTypes()[e]; ok || isKinRef(e) || e == typePaths || e == typeResponses || e == typeTypes {
			p := reflect.New(e)
			if !decodeInto(n, p.Elem(), depth) {
				return false
			}
			v.Set(p)
			return true
		}
	case t.Kind() == reflect.Struct:
		if ks, ok := kinTypes()[t]; ok {
			return decodeStruct(n, v, ks, depth)
		}
		if isKinRef(t) {
			return decodeRef(n, v, depth)
		}
		if t == typePaths || t == typeResponses {
			return decodeMapLike(n, v, depth)
		}
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && isKnownElem(t.Elem()):
		if n.Kind != yaml.MappingNode {
			return false
		}
		m := reflect.MakeMapWithSize(t, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, ok := keyString(n.Content[i])
			if !ok {
				return false
			}
			e := reflect.New(t.Elem()).Elem()
			if !decodeInto(n.Content[i+1], e, depth+1) {
				return false
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		v.Set(m)
		return true
	case t.Kind() == reflect.Slice && isKnownElem(t.Elem()):
		if n.Kind != yaml.SequenceNode {
			return false
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			if !decodeInto(c, s.Index(i), depth+1) {
				return false
			}
		}
		v.Set(s)
		return true
	case t == typeTypes || t == typeStrings:
		// A schema's type (Types: a string, or a list of them) and lists
		// of strings (required, tags).
		var ss []string
		switch {
		case n.Kind == yaml.SequenceNode:
			ss = make([]string, len(n.Content))
			for i, c := range n.Content {
				c = resolve(c)
				s, ok := scalarString(c)
				if c == nil || !ok {
					return false
				}
				ss[i] = s
			}
		case t == typeTypes:
			s, ok := scalarString(n)
			if !ok {
				return false
			}
			ss = []string{s}
		default:
			return false
		}
		v.Set(reflect.ValueOf(ss).Convert(t))
		return true
	}
	// Anything else: encoding/json, with the value's own JSON, as it
	// does within the object.
	b, ok := treeJSONSize(n, 256)
	if !ok {
		return false
	}
	p := reflect.New(t)
	if err := json.Unmarshal(b, p.Interface()); err != nil {
		return false
	}
	v.Set(p.Elem())
	return true
}

func isKinRef(t reflect.Type) bool {
	return t == typeSchemaRef || t == typeParameterRef || t == typeResponseRef || t == typeRequestBodyRef
}

// isKnownElem reports whether a map's or slice's element is one of the
// types decodeKin decodes itself.
func isKnownElem(e reflect.Type) bool {
	if e.Kind() != reflect.Pointer {
		return false
	}
	e = e.Elem()
	_, ok := kinTypes()[e]
	return ok || isKinRef(e)
}

// decodeStruct decodes a mapping into one of kinTypes, as its
// UnmarshalJSON does.
func decodeStruct(n *yaml.Node, v reflect.Value, ks *kinStruct, depth int) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	var ext map[string]any
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, ok := keyString(n.Content[i])
		if !ok {
			return false
		}
		if fi, ok := ks.fields[k]; ok {
			if !decodeInto(n.Content[i+1], v.Field(fi), depth+1) {
				return false
			}
			continue
		}
		// encoding/json matches field names without regard to case.
		for _, name := range ks.names {
			if strings.EqualFold(name, k) {
				return false
			}
		}
		a, ok := jsonAny(n.Content[i+1], depth+1)
		if !ok {
			return false
		}
		if ext == nil {
			ext = map[string]any{}
		}
		ext[k] = a
	}
	if ext != nil {
		v.Field(ks.ext).Set(reflect.ValueOf(ext))
	}
	return true
}

// decodeRef decodes a reference type (SchemaRef, ...): a lone $ref, or
// the value itself. A $ref with anything beside it is left to kin-openapi.
func decodeRef(n *yaml.Node, v reflect.Value, depth int) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if strings.EqualFold(k, "$ref") {
			if k != "$ref" || len(n.Content) != 2 {
				return false
			}
			s, ok := scalarString(n.Content[1])
			if !ok || s == "" {
				return false
			}
			v.FieldByName("Ref").SetString(s)
			return true
		}
	}
	return decodeInto(n, v.FieldByName("Value"), depth)
}

// decodeMapLike decodes Paths or Responses: "x-" keys to Extensions (an
// empty map when none), every other key to an entry.
func decodeMapLike(n *yaml.Node, v reflect.Value, depth int) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	ext := map[string]any{}
	switch p := v.Addr().Interface().(type) {
	case *openapi3.Paths:
		x := openapi3.NewPathsWithCapacity(0)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, ok := keyString(n.Content[i])
			if !ok {
				return false
			}
			if strings.HasPrefix(k, "x-") {
				a, ok := jsonAny(n.Content[i+1], depth+1)
				if !ok {
					return false
				}
				ext[k] = a
				continue
			}
			item := &openapi3.PathItem{}
			if !decodeInto(n.Content[i+1], reflect.ValueOf(item).Elem(), depth+1) {
				return false
			}
			x.Set(k, item)
		}
		x.Extensions = ext
		*p = *x
	case *openapi3.Responses:
		x := openapi3.NewResponsesWithCapacity(0)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, ok := keyString(n.Content[i])
			if !ok {
				return false
			}
			if strings.HasPrefix(k, "x-") {
				a, ok := jsonAny(n.Content[i+1], depth+1)
				if !ok {
					return false
				}
				ext[k] = a
				continue
			}
			r := &openapi3.ResponseRef{}
			if !decodeInto(n.Content[i+1], reflect.ValueOf(r).Elem(), depth+1) {
				return false
			}
			x.Set(k, r)
		}
		x.Extensions = ext
		*p = *x
	default:
		return false
	}
	return true
}

// jsonAny is what encoding/json decodes n's JSON into as an any: maps,
// slices, float64, string, bool, nil.
func jsonAny(n *yaml.Node, depth int) (any, bool) {
	if depth > 200 {
		return nil, false
	}
	n = resolve(n)
	if n == nil {
		return nil, true
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag == "!!merge" {
				return nil, false
			}
			k, ok := keyString(n.Content[i])
			if !ok {
				return nil, false
			}
			if _, dup := m[k]; dup {
				return nil, false
			}
			a, ok := jsonAny(n.Content[i+1], depth+1)
			if !ok {
				return nil, false
			}
			m[k] = a
		}
		return m, true
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			a, ok := jsonAny(c, depth+1)
			if !ok {
				return nil, false
			}
			s[i] = a
		}
		return s, true
	case yaml.ScalarNode:
		v, err := toValueDepth(n, depth)
		if err != nil {
			return nil, false
		}
		switch v := v.(type) {
		case nil, bool:
			return v, true
		case string:
			return v, utf8.ValidString(v)
		case json.Number:
			f, err := strconv.ParseFloat(string(v), 64)
			return f, err == nil
		}
		return nil, false
	}
	return nil, true
}

// isNull reports whether n reads as JSON null.
func isNull(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	v, err := toValueDepth(n, 0)
	return err == nil && v == nil
}

// scalarString is a scalar that reads as a JSON string.
func scalarString(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	v, err := toValueDepth(n, 0)
	s, ok := v.(string)
	return s, err == nil && ok && utf8.ValidString(s)
}

// scalarBool is a scalar that reads as a JSON boolean.
func scalarBool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	v, err := toValueDepth(n, 0)
	b, ok := v.(bool)
	return b, err == nil && ok
}

// keyString is a mapping key as JSON writes it (toValue takes its text).
func keyString(k *yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
		return "", false
	}
	return k.Value, utf8.ValidString(k.Value)
}
