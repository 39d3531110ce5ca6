package apispec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Swagger UI, which Backstage's API docs render OpenAPI with, needs a full
// major.minor.patch version string.
var oaVersionRe = regexp.MustCompile(`^3\.[0-2]\.\d+$`)

func (c *checker) openapi() {
	root := c.tree("OpenAPI")
	if root == nil {
		return
	}
	if root.Kind != yaml.MappingNode {
		c.report(SeverityError, at(root), fmt.Sprintf("an OpenAPI definition must be a mapping with an openapi (3.x) or swagger (2.0) field, found %s", describe(root)))
		return
	}
	oa, _ := get(root, "openapi")
	sw, _ := get(root, "swagger")
	switch {
	case oa != nil:
		if !isString(oa) || !oaVersionRe.MatchString(oa.Value) {
			c.report(SeverityError, at(oa), badVersion("openapi", oa, "\"3.0.3\" or \"3.1.0\"", "OpenAPI 3.0.x, 3.1.x and 3.2.x"))
			return
		}
		c.res.Version = oa.Value
		c.openapi3(root)
	case sw != nil:
		if !isString(sw) || sw.Value != "2.0" {
			c.report(SeverityError, at(sw), badVersion("swagger", sw, "\"2.0\"", "Swagger 2.0"))
			return
		}
		c.res.Version = "2.0"
		c.swagger2(root)
	default:
		if placeholderText(c, root) {
			return
		}
		if v, _ := get(root, "asyncapi"); v != nil {
			c.report(SeverityError, at(v), fmt.Sprintf("this is an AsyncAPI definition (asyncapi: %s), not an OpenAPI one: set spec.type to asyncapi", v.Value))
			return
		}
		c.report(SeverityError, at(root), "this is not an OpenAPI definition: it has no openapi field (OpenAPI 3) nor swagger field (Swagger 2.0)")
	}
}

// badVersion explains a version field that is not a supported string.
func badVersion(field string, n *yaml.Node, example, supported string) string {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!float" || n.Tag == "!!int") {
		return fmt.Sprintf("%s must be a string such as %s; %s is read as a number, which Backstage's API docs do not recognise: quote it", field, example, n.Value)
	}
	if isString(n) && field == "openapi" && regexp.MustCompile(`^3\.[0-2]$`).MatchString(n.Value) {
		return fmt.Sprintf("openapi must be a full version such as %s: Swagger UI (Backstage's API docs) does not render %q", example, n.Value)
	}
	return fmt.Sprintf("unsupported %s version %s: catalint checks %s", field, describe(n), supported)
}

// loader returns a kin-openapi loader that reads only confined files.
func (c *checker) loader() *openapi3.Loader {
	l := openapi3.NewLoader()
	l.Context = c.ctx
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" && u.Scheme != "file" || u.Host != "" {
			return nil, fmt.Errorf("remote location %s is not fetched", u.Redacted())
		}
		p := filepath.FromSlash(u.Path)
		if p == c.abs {
			return c.text, nil
		}
		real, err := c.confine(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		return readFile(real)
	}
	return l
}

func (c *checker) location() *url.URL {
	return &url.URL{Path: filepath.ToSlash(c.abs)}
}

// openapi3 loads and validates an OpenAPI 3.x definition. It first loads
// the tree as JSON, which is fast; only when validation finds something is
// the text loaded again with kin-openapi's origins, to place each error.
func (c *checker) openapi3(root *yaml.Node) {
	w := c.checkRefs(root)
	if w.failed || w.remote || c.dups {
		return // the problems found say what to fix first
	}
	var coerced []*yaml.Node
	var doc *openapi3.T
	for attempt := 0; ; attempt++ {
		// decodeKin declines any tree whose JSON treeJSON would not
		// write (merge keys; a key twice stops the check earlier): what
		// it decodes, toValue and json.Marshal would have taken too.
		var loaded bool
		var err error
		doc, loaded, err = c.loadTree(root)
		if !loaded {
			b, msg := c.json(root, "the definition cannot be read as OpenAPI: ")
			if msg != "" {
				c.report(SeverityError, at(root), msg)
				return
			}
			doc, err = c.loader().LoadFromDataWithPath(b, c.location())
		}
		if err == nil {
			break
		}
		// A number or boolean where a string belongs (version: 1.0) stops
		// kin-openapi's decoder; report it, quote it and load again.
		if n := c.coercible(root, err); n != nil && attempt < 20 {
			c.report(SeverityWarning, at(n), c.coerceMessage(n, err))
			n.Tag, n.Style = "!!str", yaml.DoubleQuotedStyle
			coerced = append(coerced, n)
			continue
		}
		c.loadError(root, err)
		return
	}
	opts := []openapi3.ValidationOption{openapi3.EnableMultiError()}
	err := doc.Validate(c.ctx, opts...)
	if err == nil {
		return
	}
	// Load the text again, with origins, to place the errors.
	if text, ok := quoteNodes(c.text, coerced); ok {
		l := c.loader()
		l.IncludeOrigin = true
		if doc2, err2 := l.LoadFromDataWithPath(text, c.location()); err2 == nil {
			err = doc2.Validate(c.ctx, opts...)
		}
	}
	c.validationErrors(root, err, false)
}

// json turns the tree into the JSON the loaders read (treeJSON, or the
// long way through toValue and json.Marshal where it declines). msg is the
// problem to report when that fails: toValue's error, or json.Marshal's
// after prefix.
func (c *checker) json(root *yaml.Node, prefix string) ([]byte, string) {
	b, ok := treeJSON(root)
	if ok {
		return b, ""
	}
	v, err := toValue(root)
	if err != nil {
		return nil, err.Error()
	}
	b, err = json.Marshal(v)
	if err != nil {
		return nil, prefix + err.Error()
	}
	return b, ""
}

// loadTree is the loader's LoadFromDataWithPath of the tree's JSON, with
// the document decoded by decodeKin: the loader reads an empty document
// (which registers it, as the text would be), the decoded fields are put
// in it, and its references are resolved as the loader resolves a loaded
// text's. ok is false when decodeKin declines.
func (c *checker) loadTree(root *yaml.Node) (*openapi3.T, bool, error) {
	decoded, ok := decodeKin(root)
	if !ok {
		return nil, false, nil
	}
	l := c.loader()
	doc, err := l.LoadFromDataWithPath([]byte("{}"), c.location())
	if err != nil {
		return nil, false, nil
	}
	dv, sv := reflect.ValueOf(doc).Elem(), reflect.ValueOf(decoded).Elem()
	for i := 0; i < dv.NumField(); i++ {
		if dv.Type().Field(i).IsExported() {
			dv.Field(i).Set(sv.Field(i))
		}
	}
	if err := l.ResolveRefsIn(doc, c.location()); err != nil {
		return nil, true, err
	}
	return doc, true, nil
}

// swagger2 decodes a Swagger 2.0 definition, converts it to OpenAPI 3 to
// resolve its references, and validates the result.
func (c *checker) swagger2(root *yaml.Node) {
	w := c.checkRefs(root)
	if w.failed || w.remote || c.dups {
		return
	}
	var doc2 openapi2.T
	for attempt := 0; ; attempt++ {
		b, msg := c.json(root, "")
		if msg != "" {
			c.report(SeverityError, at(root), msg)
			return
		}
		doc2 = openapi2.T{}
		err := json.Unmarshal(b, &doc2)
		if err == nil {
			break
		}
		if n := c.coercible(root, err); n != nil && attempt < 20 {
			c.report(SeverityWarning, at(n), c.coerceMessage(n, err))
			n.Tag, n.Style = "!!str", yaml.DoubleQuotedStyle
			continue
		}
		c.loadError(root, err)
		return
	}
	c.swaggerStructure(root)
	l := c.loader()
	doc3, err := openapi2conv.ToV3WithLoader(&doc2, l, c.location())
	if err != nil {
		c.loadError(root, err)
		return
	}
	c.validationErrors(root, doc3.Validate(c.ctx, openapi3.EnableMultiError()), true)
}

// swaggerStructure checks what the conversion to OpenAPI 3 would hide.
func (c *checker) swaggerStructure(root *yaml.Node) {
	info, _ := get(root, "info")
	if info == nil {
		c.report(SeverityError, at(root), "info is required (with title and version)")
	}
	if p, k := get(root, "paths"); p == nil {
		c.report(SeverityError, at(root), "paths is required (it may be empty: paths: {})")
	} else if p.Kind != yaml.MappingNode {
		c.report(SeverityError, at(k), fmt.Sprintf("paths must be a mapping, found %s", describe(p)))
	}
}

var (
	typeErrFieldRe = regexp.MustCompile(`cannot unmarshal (\w+) into (?:Go )?(?:struct )?field (?:(\w+)\.)?([\w.$-]+) of type ([^,]+)`)
	typeErrValueRe = regexp.MustCompile(`cannot unmarshal (\w+) into (?:Go )?value of type ([^,]+)`)
)

// typeErrMatch parses a decoding type error: the JSON kind found, the Go
// struct, the field path and the Go type wanted.
func typeErrMatch(msg string) []string {
	if m := typeErrFieldRe.FindStringSubmatch(msg); m != nil {
		return m
	}
	if m := typeErrValueRe.FindStringSubmatch(msg); m != nil {
		return []string{m[0], m[1], "", "", m[2]}
	}
	return nil
}

// typeErrorNode finds the node a decoding type error is about: a key named
// as the error's field whose value is of the kind the error names.
func (c *checker) typeErrorNode(root *yaml.Node, err error) *yaml.Node {
	msg := err.Error()
	if i := strings.Index(msg, "yaml error: "); i >= 0 {
		msg = msg[i:]
	}
	m := typeErrMatch(msg)
	if m == nil {
		return nil
	}
	field := typeErrField(m)
	if field == "" {
		return nil
	}
	var kinds []yaml.Kind
	tags := map[string]bool{}
	switch m[1] {
	case "number":
		kinds, tags["!!int"], tags["!!float"] = []yaml.Kind{yaml.ScalarNode}, true, true
	case "bool":
		kinds, tags["!!bool"] = []yaml.Kind{yaml.ScalarNode}, true
	case "string":
		kinds, tags["!!str"] = []yaml.Kind{yaml.ScalarNode}, true
	case "array":
		kinds = []yaml.Kind{yaml.SequenceNode}
	case "object":
		kinds = []yaml.Kind{yaml.MappingNode}
	default:
		return nil
	}
	// The Go type the field belongs to says which section to search.
	start := root
	if sec, ok := typeSections[m[2]]; ok {
		if v, _ := get(root, sec); v != nil {
			start = v
		}
	}
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || found != nil || depth > 200 {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content) && found == nil; i += 2 {
				k, v := n.Content[i], resolve(n.Content[i+1])
				if k.Value == field && v != nil {
					for _, kd := range kinds {
						if v.Kind == kd && (kd != yaml.ScalarNode || tags[v.Tag]) {
							found = v
						}
					}
				}
				if found == nil && !strings.HasPrefix(k.Value, "x-") {
					walk(v, depth+1)
				}
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(resolve(e), depth+1)
			}
		}
	}
	walk(start, 0)
	return found
}

// typeSections maps kin-openapi's types to the root section they are in.
var typeSections = map[string]string{
	"Info": "info", "License": "info", "Contact": "info",
	"Server": "servers", "ServerVariable": "servers", "Servers": "servers",
	"Tag": "tags", "Components": "components", "Paths": "paths",
}

func (c *checker) coerceMessage(n *yaml.Node, err error) string {
	what := "a number"
	if n.Tag == "!!bool" {
		what = "a boolean"
	}
	msg := fmt.Sprintf("this value is %s (%s) where OpenAPI wants a string: quote it", what, n.Value)
	if n.Tag == "!!float" {
		if f, e := strconv.ParseFloat(n.Value, 64); e == nil && strconv.FormatFloat(f, 'f', -1, 64) != n.Value {
			msg += fmt.Sprintf(" (unquoted, %s reads as %s)", n.Value, strconv.FormatFloat(f, 'f', -1, 64))
		}
	}
	return msg
}

// coercible returns the scalar a "cannot unmarshal number into ... of
// type string" error is about, when it is a number or boolean.
func (c *checker) coercible(root *yaml.Node, err error) *yaml.Node {
	if !strings.Contains(err.Error(), "of type string") {
		return nil
	}
	n := c.typeErrorNode(root, err)
	if n == nil || n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float" && n.Tag != "!!bool") {
		return nil
	}
	return n
}

// quoteNodes returns text with the given scalars quoted.
func quoteNodes(text []byte, nodes []*yaml.Node) ([]byte, bool) {
	if len(nodes) == 0 {
		return text, true
	}
	starts := lineStarts(text)
	type edit struct {
		off int
		val string
	}
	var edits []edit
	for _, n := range nodes {
		off := offset(text, starts, n.Line, n.Column)
		if off < 0 || !bytes.HasPrefix(text[off:], []byte(n.Value)) {
			return nil, false
		}
		edits = append(edits, edit{off, n.Value})
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.off - a.off })
	out := slices.Clone(text)
	for _, e := range edits {
		out = slices.Concat(out[:e.off], []byte(strconv.Quote(e.val)), out[e.off+len(e.val):])
	}
	return out, true
}

// loadError reports an error of kin-openapi's loader, at the node it
// names when it can be found.
func (c *checker) loadError(root *yaml.Node, err error) {
	msg := cleanLoadError(err.Error())
	p := at(root)
	if n := c.typeErrorNode(root, err); n != nil {
		p = at(n)
		if m := typeErrMatch(err.Error()); m != nil {
			msg = fmt.Sprintf("%s must be %s, found %s", typeErrField(m), goKind(m[4]), describe(n))
		}
	} else if k, v := badPathItem(root); k != nil {
		p, msg = at(k), fmt.Sprintf("path %s must be a mapping of operations (get:, post:, …), found %s", k.Value, describe(v))
	}
	c.report(SeverityError, p, msg)
}

// typeErrField is the key a decoding type error is about: the field it
// names, or for an object type of its own (openapi3.Contact) the key that
// holds it (contact).
func typeErrField(m []string) string {
	if m[3] != "" {
		fields := strings.Split(m[3], ".")
		return fields[len(fields)-1]
	}
	if t, ok := strings.CutPrefix(strings.TrimLeft(m[4], "*"), "openapi3."); ok {
		switch t = strings.TrimSuffix(t, "Bis"); t {
		case "Contact", "License", "Info", "Components", "ExternalDocs", "Discriminator", "XML", "Paths":
			return strings.ToLower(t[:1]) + t[1:]
		}
	}
	return ""
}

// goKind names the JSON kind a Go type decodes from.
func goKind(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case strings.HasPrefix(t, "map[") || strings.HasPrefix(t, "openapi"):
		return "a mapping"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint") || strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "a " + t
}

// badPathItem finds a path whose value is not a mapping, which kin-openapi
// reports without naming the path.
func badPathItem(root *yaml.Node) (key, val *yaml.Node) {
	paths, _ := get(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		v := resolve(paths.Content[i+1])
		if v != nil && v.Kind != yaml.MappingNode && v.Tag != "!!null" && !strings.HasPrefix(paths.Content[i].Value, "x-") {
			return paths.Content[i], v
		}
	}
	return nil, nil
}

func cleanLoadError(s string) string {
	// "failed to unmarshal data: json error: X, yaml error: Y": Y is the
	// one that says what is wrong in a YAML file, X in a JSON one.
	if strings.HasPrefix(s, "failed to unmarshal data: json error: ") {
		if i := strings.Index(s, ", yaml error: "); i >= 0 {
			y := s[i+len(", yaml error: "):]
			j := s[len("failed to unmarshal data: json error: "):i]
			if strings.HasPrefix(j, "invalid character") {
				s = y
			} else {
				s = j
			}
		}
	}
	for _, p := range []string{"error unmarshaling JSON: ", "while decoding JSON: ", "json: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return "the definition cannot be read as OpenAPI: " + s
}

// validationErrors reports the errors of doc.Validate, each at the place
// its origin or its context names.
func (c *checker) validationErrors(root *yaml.Node, err error, swagger bool) {
	if err == nil {
		return
	}
	var leaves []error
	var flatten func(error)
	flatten = func(e error) {
		if me, ok := e.(openapi3.MultiError); ok {
			for _, x := range me {
				flatten(x)
			}
			return
		}
		leaves = append(leaves, e)
	}
	flatten(err)
	type key struct {
		p    pos
		leaf string
	}
	done := map[key]bool{}
	for _, e := range leaves {
		var pr *openapi3.PathsRequired
		if swagger && errors.As(e, &pr) {
			// The conversion of an empty "paths: {}" leaves none;
			// swaggerStructure has checked the Swagger document's own.
			continue
		}
		sev := SeverityError
		var sve *openapi3.SchemaValueError
		if errors.As(e, &sve) && sve.ValueKind == "example" {
			// "The example SHOULD match the specified schema."
			sev = SeverityWarning
		}
		var ffe *openapi3.ForbiddenFieldError
		if errors.As(e, &ffe) {
			// A field that does not apply (in: on an http scheme):
			// tools ignore it, but it says something it does not do.
			sev = SeverityWarning
		}
		p := c.errorPos(root, e, swagger)
		// The same schema is validated where it is defined and where it
		// is used: report it once, where it is defined.
		k := key{p, leafError(e).Error()}
		if done[k] {
			continue
		}
		done[k] = true
		msg := validationMessage(e)
		if swagger {
			msg = swaggerMessage(msg)
		}
		c.report(sev, p, msg)
	}
}

// validationMessage is kin-openapi's message, without the schema and
// value dumps of schema errors, and clearer for required sections.
func validationMessage(e error) string {
	var pr *openapi3.PathsRequired
	var ir *openapi3.InfoRequired
	switch {
	case errors.As(e, &pr):
		return "paths is required in OpenAPI 3.0 (it may be empty: paths: {})"
	case errors.As(e, &ir):
		return "info is required (with title and version)"
	}
	msg := e.Error()
	if i := strings.Index(msg, "\nSchema:\n"); i >= 0 {
		msg = msg[:i]
	}
	var rr *openapi3.OperationResponsesRequired
	if errors.As(e, &rr) {
		// kin-openapi says "value of responses must be an object" of an
		// operation with no responses at all.
		msg = strings.Replace(msg, rr.Message, `responses is required (it is missing or null): list the operation's responses, e.g. "200": {description: OK}`, 1)
	}
	return strings.Join(strings.Fields(msg), " ")
}

// leafError is the innermost error of a chain.
func leafError(e error) error {
	for {
		if _, ok := e.(openapi3.MultiError); ok {
			return e
		}
		next := errors.Unwrap(e)
		if next == nil {
			return e
		}
		e = next
	}
}

var swaggerSections = []struct{ v3, v2 string }{
	{"invalid components: schema ", "invalid definitions: schema "},
	{"invalid components: parameter ", "invalid parameters: parameter "},
	{"invalid components: request body ", "invalid parameters: body parameter "},
	{"invalid components: response ", "invalid responses: response "},
	{"invalid components: security scheme ", "invalid securityDefinitions: security scheme "},
	{"invalid servers: ", "invalid host or basePath: "},
}

func swaggerMessage(msg string) string {
	for _, s := range swaggerSections {
		if strings.HasPrefix(msg, s.v3) {
			return s.v2 + msg[len(s.v3):]
		}
	}
	return msg
}

// errorPos finds where a validation error stands: from the origin kin-openapi
// recorded when it has one, else from the path its context wrappers name.
func (c *checker) errorPos(root *yaml.Node, err error, swagger bool) pos {
	// Errors that name a path key: point at it, not at the paths object.
	var slash *openapi3.PathMustStartWithSlashError
	var params *openapi3.PathParametersError
	var dup *openapi3.DuplicateOperationIDError
	var path []string
	switch {
	case errors.As(err, &slash):
		path = []string{"paths", slash.Path}
	case errors.As(err, &params):
		path = []string{"paths", params.Path, strings.ToLower(params.Method)}
	case errors.As(err, &dup):
		if m, p, ok := strings.Cut(dup.Endpoint2, " "); ok {
			path = []string{"paths", p, strings.ToLower(m), "operationId"}
		}
	}
	if path != nil {
		if n, matched := locate(root, path); matched > 1 {
			return at(n)
		}
	}
	if !swagger {
		if p, ok := c.originPos(err); ok {
			return p
		}
	}
	path = errorPath(err, swagger)
	n, _ := locateLoose(root, path)
	// Refine to the value the leaf names, when it is in the subtree.
	var ste *openapi3.SchemaTypeError
	var ipe *openapi3.InvalidParameterInError
	switch {
	case errors.As(err, &ste):
		n = refine(root, n, "type", ste.Type)
	case errors.As(err, &ipe):
		n = refine(root, n, "in", ipe.Value)
	}
	return at(n)
}

// refine finds key: value under n, or else anywhere (where a $ref led).
func refine(root, n *yaml.Node, key, value string) *yaml.Node {
	if f := findKeyValue(valueOf(root, n), key, value); f != nil {
		return f
	}
	if f := findKeyValue(root, key, value); f != nil {
		return f
	}
	return n
}

// originPos reads the Origin of the innermost error of the chain that has
// one.
func (c *checker) originPos(err error) (pos, bool) {
	var best *openapi3.Origin
	field := ""
	for e := err; e != nil; e = errors.Unwrap(e) {
		if o := originOf(e); o != nil && o.Key != nil {
			best = o
			field = originField(e)
		}
		if _, ok := e.(openapi3.MultiError); ok {
			break
		}
	}
	if best == nil {
		return pos{}, false
	}
	loc := *best.Key
	if field != "" {
		if f, ok := best.Fields.Lookup(field); ok && f.Line > 0 {
			loc = f
		}
	}
	if loc.Line <= 0 {
		return pos{}, false
	}
	p := pos{line: loc.Line, col: loc.Column}
	file := loc.File
	if u, err := url.Parse(file); err == nil && u.Path != "" {
		file = filepath.FromSlash(u.Path)
	}
	if file != "" && file != c.abs {
		p.file = file
	}
	return p, true
}

var originType = reflect.TypeFor[*openapi3.Origin]()

func originOf(e error) *openapi3.Origin {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Origin")
	if !f.IsValid() || f.Type() != originType || f.IsNil() {
		return nil
	}
	return f.Interface().(*openapi3.Origin)
}

// originField names the field of the origin's object an error is about.
func originField(e error) string {
	switch e := e.(type) {
	case *openapi3.SchemaTypeError:
		return "type"
	case *openapi3.InvalidParameterInError:
		return "in"
	case *openapi3.PathParameterRequiredError:
		return "required"
	case *openapi3.SchemaValueError:
		return e.ValueKind
	case *openapi3.RequiredFieldError:
		parts := strings.Split(e.Field, ".")
		return parts[len(parts)-1]
	case *openapi3.ExtraSiblingFieldsError:
		if len(e.Fields) > 0 {
			return e.Fields[0]
		}
	case *openapi3.ServerURLTemplateError:
		return "url"
	}
	return ""
}

var componentSections = map[string][2]string{
	"schema":          {"schemas", "definitions"},
	"parameter":       {"parameters", "parameters"},
	"header":          {"headers", ""},
	"request body":    {"requestBodies", "parameters"},
	"response":        {"responses", "responses"},
	"security scheme": {"securitySchemes", "securityDefinitions"},
	"example":         {"examples", ""},
	"link":            {"links", ""},
	"callback":        {"callbacks", ""},
}

// errorPath turns the context wrappers of an error into a path of keys.
func errorPath(err error, swagger bool) []string {
	var path []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e := e.(type) {
		case *openapi3.SectionValidationError:
			switch e.Section {
			case "external docs":
				path = append(path, "externalDocs")
			case "components":
				if !swagger {
					path = append(path, "components")
				}
			case "servers":
				if swagger {
					path = append(path, "host")
				} else {
					path = append(path, "servers")
				}
			default:
				path = append(path, e.Section)
			}
		case *openapi3.ComponentValidationError:
			s := componentSections[e.Section]
			if swagger {
				if s[1] == "" {
					return path
				}
				path = append(path, s[1], e.Name)
			} else {
				path = append(path, s[0], e.Name)
			}
		case *openapi3.PathValidationError:
			path = append(path, e.Path)
		case *openapi3.OperationValidationError:
			path = append(path, strings.ToLower(e.Method))
		case *openapi3.WebhookValidationError:
			path = append(path, e.Name)
		case *openapi3.TagValidationError:
			path = append(path, "name="+e.Name)
		case *openapi3.ParameterFieldValidationError:
			path = append(path, "parameters", "name="+e.ParameterName, e.Field)
		case *openapi3.MediaTypeExampleValidationError:
			path = append(path, "examples", e.ExampleName)
		case openapi3.MultiError:
			return path
		}
	}
	return path
}

// locateLoose follows a path like locate, where a token "name=X" picks
// the item of a list whose name is X, and a missing token is skipped.
func locateLoose(root *yaml.Node, path []string) (*yaml.Node, int) {
	cur, mark := resolve(root), root
	matched := 0
	for _, tok := range path {
		if cur == nil {
			break
		}
		if name, ok := strings.CutPrefix(tok, "name="); ok {
			if cur.Kind != yaml.SequenceNode {
				continue
			}
			for _, it := range cur.Content {
				if v, _ := get(it, "name"); v != nil && v.Value == name {
					cur, mark = resolve(it), it
					matched++
					break
				}
			}
			continue
		}
		if v, k := get(cur, tok); v != nil {
			cur, mark = v, k
			matched++
		}
	}
	return mark, matched
}

// valueOf returns the value node of a key node found by locate.
func valueOf(root, key *yaml.Node) *yaml.Node {
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = resolve(n)
		if n == nil || found != nil || depth > 200 {
			return
		}
		if n == key {
			found = n
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i] == key {
					found = resolve(n.Content[i+1])
					return
				}
				walk(n.Content[i+1], depth+1)
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(e, depth+1)
			}
		}
	}
	walk(root, 0)
	return found
}

// findKeyValue finds, under n, the value node of a key with the given
// scalar value.
func findKeyValue(n *yaml.Node, key, value string) *yaml.Node {
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = resolve(n)
		if n == nil || found != nil || depth > 200 {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content) && found == nil; i += 2 {
				v := resolve(n.Content[i+1])
				if n.Content[i].Value == key && v != nil && v.Kind == yaml.ScalarNode && v.Value == value {
					found = v
					return
				}
				walk(v, depth+1)
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(e, depth+1)
			}
		}
	}
	walk(n, 0)
	return found
}
