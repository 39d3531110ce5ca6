package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/catalint-dev/catalint/pkg/load"
)

// The quick check answers the common question, "is this document valid?",
// for the schemas it understands, without the full validator's error
// tree: it walks the document's nodes (as the JSON value they stand for,
// Node.Value, without building it) along a compiled form of the
// draft-07 keywords the catalog schemas use (type, enum, const, string
// and number bounds, pattern, properties, patternProperties,
// additionalProperties, required, items, array bounds, uniqueItems,
// allOf, anyOf, oneOf, not, if/then/else, propertyNames, $ref). A schema
// that holds anything else (format, dependencies, contains, another
// draft, a nested $id, a keyword it does not know) is not understood,
// and neither is a mapping with a key written twice.
//
// Its answer is valid, invalid or unknown, and only "valid" is acted on:
// ValidateValue and ValidateDoc then return no problem without running
// the full validator (or building the value). Invalid and unknown documents go to jsonschema as before, so
// every problem and message still comes from it. TestQuickMatchesFull
// holds the verdicts of the two equal over the conformance corpus, the
// test files and generated and mutated documents.

type verdict uint8

const (
	vValid verdict = iota
	vInvalid
	vUnknown
)

// JSON types as bits.
const (
	tNull uint8 = 1 << iota
	tBool
	tObject
	tArray
	tNumber
	tString
	tInteger // a number that is an integer
)

type patternSchema struct {
	re jsonschema.Regexp
	s  *qschema
}

// qschema is one compiled schema object (or boolean schema).
type qschema struct {
	unknown bool // holds something the quick check does not understand
	always  *bool
	ref     *qschema // draft-07: a $ref replaces every sibling keyword

	types          uint8 // 0: any
	enum           []any
	constVal       any
	hasConst       bool
	minLen, maxLen int // -1: none
	pattern        jsonschema.Regexp
	minimum        *big.Rat
	maximum        *big.Rat
	exclMin        *big.Rat
	exclMax        *big.Rat
	numeric        bool // has a number bound

	properties  map[string]*qschema
	patternProp []patternSchema
	additional  *qschema // nil: any
	required    []string
	minProps    int
	maxProps    int
	propNames   *qschema

	items              *qschema
	minItems, maxItems int
	uniqueItems        bool

	allOf, anyOf, oneOf []*qschema
	not                 *qschema
	ifS, thenS, elseS   *qschema
}

// annotations are keywords that assert nothing.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true,
	"$comment": true, "readOnly": true, "writeOnly": true, "definitions": true,
	"$schema": true,
}

// quickCompiler compiles the raw schema documents of a Set.
type quickCompiler struct {
	raw  map[string]any
	memo map[string]*qschema // "doc#pointer" → schema
	re   func(string) (jsonschema.Regexp, error)
}

// compileQuick compiles every document of raw; a document it cannot
// compile at all is left out (ValidateValue then always runs the full
// validator for it).
func compileQuick(raw map[string]any) map[string]*qschema {
	c := &quickCompiler{raw: raw, memo: map[string]*qschema{}, re: compileRegexp}
	out := map[string]*qschema{}
	for name := range raw {
		if s := c.doc(name, ""); s != nil && !s.unknown {
			out[name] = s
		}
	}
	return out
}

var draft7 = map[string]bool{
	"": true,
	"http://json-schema.org/draft-07/schema#": true,
	"http://json-schema.org/draft-07/schema":  true,
}

// doc compiles the schema at a JSON pointer of a document.
func (c *quickCompiler) doc(name, ptr string) *qschema {
	key := name + "#" + ptr
	if s, ok := c.memo[key]; ok {
		return s
	}
	s := &qschema{}
	c.memo[key] = s // before compiling: a $ref back to it finds it
	root, ok := c.raw[name]
	if !ok {
		s.unknown = true
		return s
	}
	if obj, ok := root.(map[string]any); ok {
		if v, ok := obj["$schema"]; ok {
			str, _ := v.(string)
			if !draft7[str] {
				s.unknown = true
				return s
			}
		}
		if v, ok := obj["$id"]; ok && v != name {
			// Refs resolve against another base than the file name.
			s.unknown = true
			return s
		}
	}
	node, ok := pointer(root, ptr)
	if !ok {
		s.unknown = true
		return s
	}
	c.compile(s, node, name, ptr == "")
	return s
}

// pointer follows a JSON pointer ("" or "/a/b") into a document.
func pointer(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if ptr[0] != '/' || strings.Contains(ptr, "%") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || fmt.Sprint(i) != tok || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// sub compiles a schema met inside the document name.
func (c *quickCompiler) sub(v any, name string) *qschema {
	s := &qschema{}
	c.compile(s, v, name, false)
	return s
}

func (c *quickCompiler) compile(s *qschema, v any, name string, root bool) {
	s.minLen, s.maxLen, s.maxItems, s.maxProps = -1, -1, -1, -1
	if b, ok := v.(bool); ok {
		s.always = &b
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		s.unknown = true
		return
	}
	if r, ok := obj["$ref"]; ok {
		ref, ok := r.(string)
		if !ok {
			s.unknown = true
			return
		}
		// jsonschema ignores most siblings of a draft-07 $ref but not all
		// (const, if, contains, propertyNames are still compiled): a $ref
		// with any sibling that asserts is not understood.
		for k := range obj {
			if k != "$ref" && !annotations[k] && !(root && k == "$id") {
				s.unknown = true
				return
			}
		}
		file, frag, _ := strings.Cut(ref, "#")
		if file == "" {
			file = name
		}
		if _, ok := c.raw[file]; !ok || (frag != "" && frag[0] != '/') {
			s.unknown = true
			return
		}
		s.ref = c.doc(file, frag)
		return
	}
	for k, x := range obj {
		if annotations[k] || (root && k == "$id") {
			continue
		}
		if !c.keyword(s, k, x, obj, name) {
			s.unknown = true
			return
		}
	}
}

// keyword compiles one keyword; false for one it does not understand.
func (c *quickCompiler) keyword(s *qschema, k string, x any, obj map[string]any, name string) bool {
	switch k {
	case "type":
		add := func(t any) bool {
			switch t {
			case "null":
				s.types |= tNull
			case "boolean":
				s.types |= tBool
			case "object":
				s.types |= tObject
			case "array":
				s.types |= tArray
			case "number":
				s.types |= tNumber
			case "string":
				s.types |= tString
			case "integer":
				s.types |= tInteger
			default:
				return false
			}
			return true
		}
		switch t := x.(type) {
		case string:
			return add(t)
		case []any:
			if len(t) == 0 {
				return false
			}
			for _, e := range t {
				if !add(e) {
					return false
				}
			}
			return true
		}
		return false
	case "enum":
		e, ok := x.([]any)
		if !ok || len(e) == 0 {
			return false
		}
		s.enum = e
		return true
	case "const":
		s.constVal, s.hasConst = x, true
		return true
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		n, ok := nonNegInt(x)
		if !ok {
			return false
		}
		switch k {
		case "minLength":
			s.minLen = n
		case "maxLength":
			s.maxLen = n
		case "minItems":
			s.minItems = n
		case "maxItems":
			s.maxItems = n
		case "minProperties":
			s.minProps = n
		case "maxProperties":
			s.maxProps = n
		}
		return true
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		r, ok := rat(x)
		if !ok {
			return false
		}
		switch k {
		case "minimum":
			s.minimum = r
		case "maximum":
			s.maximum = r
		case "exclusiveMinimum":
			s.exclMin = r
		case "exclusiveMaximum":
			s.exclMax = r
		}
		s.numeric = true
		return true
	case "pattern":
		p, ok := x.(string)
		if !ok {
			return false
		}
		re, err := c.re(p)
		if err != nil {
			return false
		}
		s.pattern = re
		return true
	case "properties":
		m, ok := x.(map[string]any)
		if !ok {
			return false
		}
		s.properties = make(map[string]*qschema, len(m))
		for p, ps := range m {
			sub := c.sub(ps, name)
			if sub.unknown {
				return false
			}
			s.properties[p] = sub
		}
		return true
	case "patternProperties":
		m, ok := x.(map[string]any)
		if !ok {
			return false
		}
		for p, ps := range m {
			re, err := c.re(p)
			if err != nil {
				return false
			}
			sub := c.sub(ps, name)
			if sub.unknown {
				return false
			}
			s.patternProp = append(s.patternProp, patternSchema{re, sub})
		}
		return true
	case "additionalProperties", "propertyNames", "items", "not", "if":
		if _, isArr := x.([]any); isArr {
			return false // items as a tuple
		}
		sub := c.sub(x, name)
		if sub.unknown {
			return false
		}
		switch k {
		case "additionalProperties":
			s.additional = sub
		case "propertyNames":
			s.propNames = sub
		case "items":
			s.items = sub
		case "not":
			s.not = sub
		case "if":
			s.ifS = sub
			for _, br := range []string{"then", "else"} {
				if y, ok := obj[br]; ok {
					b := c.sub(y, name)
					if b.unknown {
						return false
					}
					if br == "then" {
						s.thenS = b
					} else {
						s.elseS = b
					}
				}
			}
		}
		return true
	case "then", "else":
		return true // compiled with "if"; ignored without one
	case "uniqueItems":
		b, ok := x.(bool)
		if !ok {
			return false
		}
		s.uniqueItems = b
		return true
	case "required":
		r, ok := x.([]any)
		if !ok {
			return false
		}
		for _, e := range r {
			str, ok := e.(string)
			if !ok {
				return false
			}
			s.required = append(s.required, str)
		}
		return true
	case "allOf", "anyOf", "oneOf":
		arr, ok := x.([]any)
		if !ok || len(arr) == 0 {
			return false
		}
		list := make([]*qschema, len(arr))
		for i, e := range arr {
			list[i] = c.sub(e, name)
			if list[i].unknown {
				return false
			}
		}
		switch k {
		case "allOf":
			s.allOf = list
		case "anyOf":
			s.anyOf = list
		case "oneOf":
			s.oneOf = list
		}
		return true
	}
	return false
}

func nonNegInt(x any) (int, bool) {
	r, ok := rat(x)
	if !ok || !r.IsInt() || r.Sign() < 0 || !r.Num().IsInt64() || r.Num().Int64() > 1<<31 {
		return 0, false
	}
	return int(r.Num().Int64()), true
}

func rat(x any) (*big.Rat, bool) {
	n, ok := x.(json.Number)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(string(n))
}

// maxQuickDepth bounds the walk (a $ref loop that reads no deeper into the
// value makes the answer unknown, where jsonschema reports a cycle).
const maxQuickDepth = 256

// check is the verdict of the value n stands for (n.Value(); nil is null)
// against s.
func (s *qschema) check(n *load.Node, depth int) verdict {
	for s.ref != nil {
		s = s.ref
		depth++
		if depth > maxQuickDepth {
			return vUnknown
		}
	}
	if s.unknown || depth > maxQuickDepth {
		return vUnknown
	}
	if s.always != nil {
		if *s.always {
			return vValid
		}
		return vInvalid
	}
	k := load.Null
	if n != nil {
		k = n.Kind
	}
	if k == load.Map && hasDupKeys(n.Map) {
		// n.Value() keeps the last of duplicate keys; not worth copying.
		return vUnknown
	}
	if s.types != 0 && s.types&typeBits(n) == 0 {
		return vInvalid
	}
	out := vValid
	// merge folds a sub-verdict into out: invalid wins, then unknown.
	merge := func(r verdict) bool {
		if r == vInvalid {
			out = vInvalid
			return false
		}
		if r == vUnknown {
			out = vUnknown
		}
		return true
	}
	if s.hasConst {
		eq, sure := equal(n, s.constVal)
		if !sure {
			return vUnknown
		}
		if !eq {
			return vInvalid
		}
	}
	if s.enum != nil {
		found := false
		for _, e := range s.enum {
			eq, sure := equal(n, e)
			if !sure {
				return vUnknown
			}
			if eq {
				found = true
				break
			}
		}
		if !found {
			return vInvalid
		}
	}
	switch k {
	case load.String:
		if r := s.checkString(n.Text); r != vValid {
			return r
		}
	case load.Number:
		if s.numeric {
			r, ok := new(big.Rat).SetString(n.Text)
			if !ok {
				return vUnknown
			}
			if s.minimum != nil && r.Cmp(s.minimum) < 0 || s.maximum != nil && r.Cmp(s.maximum) > 0 ||
				s.exclMin != nil && r.Cmp(s.exclMin) <= 0 || s.exclMax != nil && r.Cmp(s.exclMax) >= 0 {
				return vInvalid
			}
		}
	case load.Map:
		if len(n.Map) < s.minProps || s.maxProps >= 0 && len(n.Map) > s.maxProps {
			return vInvalid
		}
	required:
		for _, r := range s.required {
			for i := range n.Map {
				if n.Map[i].Key == r {
					continue required
				}
			}
			return vInvalid
		}
		if s.properties != nil || s.patternProp != nil || s.additional != nil || s.propNames != nil {
			for i := range n.Map {
				p := &n.Map[i]
				if s.propNames != nil && !merge(s.propNames.checkKey(p.Key, depth+1)) {
					return out
				}
				matched := false
				if ps, ok := s.properties[p.Key]; ok {
					matched = true
					if !merge(ps.check(p.Value, depth+1)) {
						return out
					}
				}
				for _, pp := range s.patternProp {
					if pp.re.MatchString(p.Key) {
						matched = true
						if !merge(pp.s.check(p.Value, depth+1)) {
							return out
						}
					}
				}
				if !matched && s.additional != nil && !merge(s.additional.check(p.Value, depth+1)) {
					return out
				}
			}
		}
	case load.Seq:
		if len(n.Seq) < s.minItems || s.maxItems >= 0 && len(n.Seq) > s.maxItems {
			return vInvalid
		}
		if s.items != nil {
			for _, it := range n.Seq {
				if !merge(s.items.check(it, depth+1)) {
					return out
				}
			}
		}
		if s.uniqueItems && len(n.Seq) > 1 {
			if len(n.Seq) > 64 {
				return vUnknown
			}
			for i := 1; i < len(n.Seq); i++ {
				for j := 0; j < i; j++ {
					eq, sure := sameScalar(n.Seq[i], n.Seq[j])
					if !sure {
						return vUnknown
					}
					if eq {
						return vInvalid
					}
				}
			}
		}
	}
	for _, a := range s.allOf {
		if !merge(a.check(n, depth+1)) {
			return out
		}
	}
	if s.anyOf != nil {
		r := vInvalid
		for _, a := range s.anyOf {
			switch a.check(n, depth+1) {
			case vValid:
				r = vValid
			case vUnknown:
				r = vUnknown
			}
			if r == vValid {
				break
			}
		}
		if !merge(r) {
			return out
		}
	}
	if s.oneOf != nil {
		valid, unknown := 0, false
		for _, a := range s.oneOf {
			switch a.check(n, depth+1) {
			case vValid:
				valid++
			case vUnknown:
				unknown = true
			}
		}
		switch {
		case valid > 1:
			return vInvalid
		case unknown:
			out = vUnknown
		case valid == 0:
			return vInvalid
		}
	}
	if s.not != nil {
		switch s.not.check(n, depth+1) {
		case vValid:
			return vInvalid
		case vUnknown:
			out = vUnknown
		}
	}
	if s.ifS != nil {
		var r verdict
		switch s.ifS.check(n, depth+1) {
		case vValid:
			r = vValid
			if s.thenS != nil {
				r = s.thenS.check(n, depth+1)
			}
		case vInvalid:
			r = vValid
			if s.elseS != nil {
				r = s.elseS.check(n, depth+1)
			}
		default:
			r = vUnknown
		}
		if !merge(r) {
			return out
		}
	}
	return out
}

// checkString is the verdict of a string's length and pattern.
func (s *qschema) checkString(str string) verdict {
	if s.minLen >= 0 || s.maxLen >= 0 {
		n := utf8.RuneCountInString(str)
		if n < s.minLen || s.maxLen >= 0 && n > s.maxLen {
			return vInvalid
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		return vInvalid
	}
	return vValid
}

// checkKey is the verdict of a property name against propertyNames.
func (s *qschema) checkKey(key string, depth int) verdict {
	return s.check(&load.Node{Kind: load.String, Text: key}, depth)
}

// hasDupKeys reports whether a mapping holds a key twice.
func hasDupKeys(m []load.Pair) bool {
	if len(m) <= 24 {
		for i := 1; i < len(m); i++ {
			for j := 0; j < i; j++ {
				if m[i].Key == m[j].Key {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(m))
	for i := range m {
		if _, dup := seen[m[i].Key]; dup {
			return true
		}
		seen[m[i].Key] = struct{}{}
	}
	return false
}

// typeBits is the JSON type of the value a node stands for.
func typeBits(n *load.Node) uint8 {
	if n == nil {
		return tNull
	}
	switch n.Kind {
	case load.Bool:
		return tBool
	case load.String:
		return tString
	case load.Map:
		return tObject
	case load.Seq:
		return tArray
	case load.Number:
		if isInt(n.Text) {
			return tNumber | tInteger
		}
		return tNumber
	}
	return tNull
}

// isInt reports whether a number's text is an integer, as jsonschema
// decides (big.Rat), with a shortcut for plain digits.
func isInt(text string) bool {
	digits := text != ""
	for i := 0; i < len(text); i++ {
		if c := text[i]; (c < '0' || c > '9') && !(i == 0 && c == '-' && len(text) > 1) {
			digits = false
			break
		}
	}
	if digits {
		return true
	}
	r, ok := new(big.Rat).SetString(text)
	return ok && r.IsInt()
}

// equal is jsonschema's equality of the value a node stands for and a
// value of a schema (as encoding/json decodes it, with UseNumber); sure
// is false when it cannot tell (a schema value of another Go type, a
// mapping with duplicate keys).
func equal(n *load.Node, b any) (eq, sure bool) {
	k := load.Null
	if n != nil {
		k = n.Kind
	}
	switch x := b.(type) {
	case nil:
		return k == load.Null, true
	case bool:
		return k == load.Bool && (n.Text == "true") == x, true
	case string:
		return k == load.String && n.Text == x, true
	case json.Number:
		if k != load.Number {
			return false, true
		}
		if n.Text == string(x) {
			return true, true
		}
		rx, ok1 := new(big.Rat).SetString(n.Text)
		ry, ok2 := new(big.Rat).SetString(string(x))
		return ok1 && ok2 && rx.Cmp(ry) == 0, true
	case map[string]any:
		if k != load.Map {
			return false, true
		}
		if hasDupKeys(n.Map) {
			return false, false
		}
		if len(n.Map) != len(x) {
			return false, true
		}
		for i := range n.Map {
			y, ok := x[n.Map[i].Key]
			if !ok {
				return false, true
			}
			if eq, sure := equal(n.Map[i].Value, y); !eq || !sure {
				return eq, sure
			}
		}
		return true, true
	case []any:
		if k != load.Seq {
			return false, true
		}
		if len(n.Seq) != len(x) {
			return false, true
		}
		for i := range x {
			if eq, sure := equal(n.Seq[i], x[i]); !eq || !sure {
				return eq, sure
			}
		}
		return true, true
	}
	return false, false
}

// sameScalar is jsonschema's equality of the values two nodes stand for,
// for scalars; sure is false for collections.
func sameScalar(a, b *load.Node) (eq, sure bool) {
	ka, kb := load.Null, load.Null
	if a != nil {
		ka = a.Kind
	}
	if b != nil {
		kb = b.Kind
	}
	if ka == load.Map || ka == load.Seq || kb == load.Map || kb == load.Seq {
		if ka != kb {
			return false, true
		}
		return false, false
	}
	if ka != kb {
		return false, true
	}
	switch ka {
	case load.Null:
		return true, true
	case load.Number:
		if a.Text == b.Text {
			return true, true
		}
		ra, ok1 := new(big.Rat).SetString(a.Text)
		rb, ok2 := new(big.Rat).SetString(b.Text)
		return ok1 && ok2 && ra.Cmp(rb) == 0, true
	}
	return a.Text == b.Text, true
}
