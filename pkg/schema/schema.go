// Package schema compiles catalint's embedded JSON Schemas once and turns
// validation errors into diagnostics at the exact position in the YAML.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/schemas"
)

// EntitySchema is the schema every entity must match, whatever its kind.
const EntitySchema = "entity.schema.json"

// Set is a compiled set of schemas, safe for concurrent use.
type Set struct {
	compiled map[string]*jsonschema.Schema
	raw      map[string]any
	// quick holds the schemas the quick check understands (fast.go).
	quick map[string]*qschema
}

var (
	builtinOnce sync.Once
	builtin     *Set
	builtinErr  error
)

// ConfigSchema is the schema of .catalint.yaml, compiled apart (Config):
// a run without a configuration file never needs it.
const ConfigSchema = "config.schema.json"

var (
	configOnce sync.Once
	configSet  *Set
	configErr  error
)

// Builtin returns the embedded entity schemas, compiled on first use.
func Builtin() (*Set, error) {
	builtinOnce.Do(func() { builtin, builtinErr = compile(schemas.FS, nil, ConfigSchema) })
	return builtin, builtinErr
}

// Config returns the schema of .catalint.yaml (ConfigSchema), compiled on
// first use.
func Config() (*Set, error) {
	configOnce.Do(func() {
		b, err := fs.ReadFile(schemas.FS, ConfigSchema)
		if err != nil {
			configErr = err
			return
		}
		configSet, configErr = Compile(nil, map[string][]byte{ConfigSchema: b})
	})
	return configSet, configErr
}

// Compile compiles every *.schema.json of fsys, each under its file name,
// plus the extra documents given by name.
func Compile(fsys fs.FS, extra map[string][]byte) (*Set, error) { return compile(fsys, extra, "") }

// compile is Compile leaving out the file named skip.
func compile(fsys fs.FS, extra map[string][]byte, skip string) (*Set, error) {
	s := &Set{compiled: map[string]*jsonschema.Schema{}, raw: map[string]any{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseRegexpEngine(compileRegexp)
	c.UseLoader(noLoader{})
	var names []string
	if fsys != nil {
		var err error
		if names, err = fs.Glob(fsys, "*.schema.json"); err != nil {
			return nil, err
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == skip })
	}
	docs := map[string][]byte{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		docs[n] = b
	}
	for n, b := range extra {
		docs[n] = b
		names = append(names, n)
	}
	for n, b := range docs {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", n, err)
		}
		s.raw[n] = doc
		if err := c.AddResource(n, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", n, err)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		sch, err := c.Compile(n)
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", n, err)
		}
		s.compiled[n] = sch
	}
	s.quick = compileQuick(s.raw)
	return s, nil
}

// noLoader refuses to load a schema the set does not hold: a user schema's
// $ref never reads a file or a URL.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("$ref %s: a schema can only refer to itself and to catalint's schemas (entity.schema.json, …); nothing is loaded from files or the network", strings.TrimPrefix(url, "file://"))
}

// singleLinePattern is Backstage's pattern for label and annotation keys:
// one line, not empty. It is matched on every key of every entity.
const singleLinePattern = "^[^\n\r\u2028\u2029]+$"

// singleLine matches singleLinePattern without the regexp engine.
type singleLine struct{}

func (singleLine) MatchString(s string) bool {
	return s != "" && strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 &&
		!strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}

func (singleLine) String() string { return singleLinePattern }

// compileRegexp is the schemas' regexp engine: Go's, but for the pattern
// every entity's keys are matched against.
func compileRegexp(p string) (jsonschema.Regexp, error) {
	if p == singleLinePattern {
		return singleLine{}, nil
	}
	return regexp.Compile(p)
}

// Names lists the schemas of the set.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.raw))
	for n := range s.raw {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Raw returns the parsed JSON of a schema file.
func (s *Set) Raw(name string) (any, bool) {
	v, ok := s.raw[name]
	return v, ok
}

// Has reports whether the set holds a schema of that name.
func (s *Set) Has(name string) bool { _, ok := s.compiled[name]; return ok }

// Problem is one schema violation, located in the document.
type Problem struct {
	// Path is the location of the offending value, as keys and indexes.
	Path []string
	// Span is where to point: the offending key or value.
	Span load.Span
	// Message names the field, what was expected and what was found.
	Message    string
	Suggestion string
}

// Validate checks a document against the named schema. It returns every
// violation (the leaves of the error tree), de-duplicated and sorted by
// position.
func (s *Set) Validate(name string, root *load.Node) []Problem {
	return s.ValidateValue(name, root, nil)
}

// ValidateValue is Validate with the document's JSON value already built
// (root.Value()), so that several schemas can share it.
func (s *Set) ValidateValue(name string, root *load.Node, value any) []Problem {
	return s.ValidateDoc(name, root, func() any {
		if value == nil {
			return root.Value()
		}
		return value
	})
}

// ValidateDoc is Validate with the document's JSON value (root.Value())
// built by value, and only when the full validator runs: most documents
// are valid, and the quick check (fast.go) says so from the nodes.
func (s *Set) ValidateDoc(name string, root *load.Node, value func() any) []Problem {
	sch, ok := s.compiled[name]
	if !ok {
		return []Problem{{Span: root.Span, Message: fmt.Sprintf("no schema named %s", name)}}
	}
	if q := s.quick[name]; q != nil && q.check(root, 0) == vValid {
		return nil
	}
	err := sch.Validate(value())
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Problem{{Span: root.Span, Message: err.Error()}}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves, func(l *jsonschema.ValidationError) bool { return unknownCause(root, l) })
	seen := map[string]bool{}
	var out []Problem
	for _, l := range leaves {
		p := s.problem(root, l)
		key := fmt.Sprint(p.Span, p.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Span, out[j].Span
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

// collectLeaves gathers the errors that have no causes, but those skip
// says come from a value nobody read. Of a oneOf/anyOf, only the
// alternative with the fewest problems is kept: reporting why every
// alternative failed buries the useful one; an alternative left with none
// may hold, so then none is kept.
func collectLeaves(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError, skip func(*jsonschema.ValidationError) bool) {
	if len(e.Causes) == 0 {
		if !skip(e) {
			*out = append(*out, e)
		}
		return
	}
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		var best []*jsonschema.ValidationError
		for i, c := range e.Causes {
			var l []*jsonschema.ValidationError
			collectLeaves(c, &l, skip)
			if i == 0 || len(l) < len(best) {
				best = l
			}
		}
		*out = append(*out, best...)
		return
	}
	for _, c := range e.Causes {
		collectLeaves(c, out, skip)
	}
}

// unknownCause reports whether an error is about a value that stands for
// content not read (a remote placeholder not fetched, one that could not
// be read): only a wrong type of a value whose type is known counts.
func unknownCause(root *load.Node, e *jsonschema.ValidationError) bool {
	n, _, _ := root.Locate(e.InstanceLocation)
	if !n.Unknown() {
		return false
	}
	_, isType := e.ErrorKind.(*kind.Type)
	return !isType || !n.TypeKnown()
}

var printer = message.NewPrinter(language.English)

// FieldPath writes a path the way people read it: spec.steps[7].id.
func FieldPath(path []string) string { return load.FieldPath(path) }

func describe(n *load.Node) string {
	if n == nil {
		return "nothing"
	}
	if n.Unverified() {
		return "a string (the text of " + n.PlaceholderFile() + ", not fetched)"
	}
	switch n.Kind {
	case load.String:
		if n.Text == "" {
			return "an empty string"
		}
		return fmt.Sprintf("the string %s", quote(n.Text))
	case load.Number:
		return "the number " + n.Text
	case load.Bool:
		return "the boolean " + n.Text
	case load.Null:
		return "null (an empty value)"
	case load.Map:
		return "a mapping"
	case load.Seq:
		return "a list"
	}
	return n.Kind.String()
}

func quote(s string) string {
	const max = 60
	r := []rune(s)
	if len(r) > max {
		s = string(r[:max]) + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "integer":
		return "an integer"
	case "null":
		return "null"
	}
	return "a " + t
}

func (s *Set) problem(root *load.Node, e *jsonschema.ValidationError) Problem {
	path := e.InstanceLocation
	node, keySpan, _ := root.Locate(path)
	field := FieldPath(path)
	p := Problem{Path: path, Span: node.Span}
	if keySpan != nil {
		p.Span = *keySpan
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = article(w)
		}
		p.Span = node.Span
		p.Message = fmt.Sprintf("%s must be %s, found %s", field, strings.Join(want, " or "), describe(node))
		if node.Kind == load.Null {
			p.Message += "; remove the key or give it a value"
		}
	case *kind.Required:
		missing := append([]string(nil), k.Missing...)
		sort.Strings(missing)
		where := "in " + field
		if len(path) == 0 {
			where = "at the top level"
		}
		p.Message = fmt.Sprintf("missing required field %s %s", strings.Join(quoteAll(missing), ", "), where)
		if len(path) == 0 && node.Kind == load.Map && len(node.Map) > 0 {
			p.Span = node.Map[0].KeySpan
		}
		// A misspelled key close to the missing one is most likely the cause.
		if node.Kind == load.Map {
			for _, m := range missing {
				for _, pair := range node.Map {
					if pair.Key != m && entity.Distance(pair.Key, m) <= max(1, min(2, len(m)/4)) {
						p.Span = pair.KeySpan
						p.Suggestion = fmt.Sprintf("did you mean %q instead of %q?", m, pair.Key)
					}
				}
			}
		}
	case *kind.AdditionalProperties:
		props := append([]string(nil), k.Properties...)
		sort.Strings(props)
		where := field
		if len(path) == 0 {
			where = "the top level"
		}
		allowed := s.allowedProperties(e.SchemaURL)
		if len(props) > 0 {
			if pair := node.Pair(props[0]); pair != nil {
				p.Span = pair.KeySpan
			}
		}
		p.Message = fmt.Sprintf("unknown field %s at %s", strings.Join(quoteAll(props), ", "), where)
		if len(allowed) > 0 {
			p.Message += fmt.Sprintf("; allowed: %s", strings.Join(allowed, ", "))
			if c := entity.Closest(props[0], allowed, 1); len(c) > 0 {
				p.Suggestion = fmt.Sprintf("did you mean %q?", c[0])
			}
		}
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			b, _ := json.Marshal(w)
			want[i] = string(b)
		}
		p.Span = node.Span
		p.Message = fmt.Sprintf("%s must be one of %s, found %s", field, strings.Join(want, ", "), describe(node))
		if node.Kind == load.String {
			cands := make([]string, 0, len(k.Want))
			for _, w := range k.Want {
				if s, ok := w.(string); ok {
					cands = append(cands, s)
				}
			}
			if c := entity.Closest(node.Text, cands, 1); len(c) > 0 {
				p.Suggestion = fmt.Sprintf("did you mean %q?", c[0])
			}
		}
	case *kind.Const:
		b, _ := json.Marshal(k.Want)
		p.Span = node.Span
		p.Message = fmt.Sprintf("%s must be %s, found %s", field, b, describe(node))
	case *kind.MinLength:
		p.Span = node.Span
		if k.Want == 1 {
			p.Message = fmt.Sprintf("%s must not be empty", field)
		} else {
			p.Message = fmt.Sprintf("%s must be at least %d characters long, found %d", field, k.Want, k.Got)
		}
	case *kind.MinItems:
		p.Span = node.Span
		p.Message = fmt.Sprintf("%s must have at least %d item(s), found %d", field, k.Want, k.Got)
	case *kind.FalseSchema:
		p.Message = fmt.Sprintf("%s is not allowed here", field)
	default:
		p.Span = node.Span
		p.Message = fmt.Sprintf("%s: %s", field, e.ErrorKind.LocalizedString(printer))
	}
	return p
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// allowedProperties reads the "properties" next to the failing
// "additionalProperties" keyword of a schema location (file#/json/pointer).
func (s *Set) allowedProperties(schemaURL string) []string {
	file, ptr, _ := strings.Cut(schemaURL, "#")
	doc, ok := s.raw[file]
	if !ok {
		// Schema URLs may be absolute; match the file name.
		for n, d := range s.raw {
			if strings.HasSuffix(file, "/"+n) {
				doc, ok = d, true
			}
		}
		if !ok {
			return nil
		}
	}
	ptr = strings.TrimSuffix(ptr, "/additionalProperties")
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	obj, ok := cur.(map[string]any)
	if !ok {
		return nil
	}
	props, _ := obj["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var (
	modelMu   sync.Mutex
	modelSets = map[*entity.Model]*Set{}
)

// ForModel returns the schemas a catalog model needs: the embedded ones,
// plus those of its enabled modules (schemas/<module>/) and of its declared
// kinds, compiled once per model.
func ForModel(m *entity.Model) (*Set, error) {
	extra := map[string][]byte{}
	for _, id := range m.Layers() {
		files, err := fs.Glob(schemas.Modules, id+"/*.schema.json")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := fs.ReadFile(schemas.Modules, f)
			if err != nil {
				return nil, err
			}
			extra[path.Base(f)] = b
		}
	}
	for n, b := range m.Schemas() {
		extra[n] = b
	}
	if len(extra) == 0 {
		return Builtin()
	}
	modelMu.Lock()
	defer modelMu.Unlock()
	if s, ok := modelSets[m]; ok {
		return s, nil
	}
	s, err := WithBuiltin(extra)
	if err != nil {
		return nil, err
	}
	modelSets[m] = s
	return s, nil
}

// WithBuiltin compiles extra schemas beside the embedded ones, which they
// may refer to by file name (entity.schema.json, common.schema.json, …).
func WithBuiltin(extra map[string][]byte) (*Set, error) {
	return compile(schemas.FS, extra, ConfigSchema)
}
