package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

// quickSets are the schema sets the quick check is compared on: the
// built-in one and one with every Backstage module enabled.
func quickSets(t testing.TB) []*Set {
	t.Helper()
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var layers []entity.Layer
	for _, n := range entity.ModuleNames() {
		layers = append(layers, entity.Modules[n])
	}
	m, err := entity.NewModel(layers...)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	return []*Set{b, all}
}

// compareQuick checks one document against every schema of s with both
// the quick check (on its nodes) and the full validator (on its value),
// and reports where their verdicts differ. It counts the quick check's
// answers by verdict.
func compareQuick(s *Set, what string, root *load.Node, counts *[3]int) []string {
	var out []string
	v := root.Value()
	for _, n := range s.Names() {
		q := s.quick[n]
		if q == nil {
			continue
		}
		got := q.check(root, 0)
		counts[got]++
		if got == vUnknown {
			continue
		}
		full := s.compiled[n].Validate(v) == nil
		if full != (got == vValid) {
			b, _ := json.Marshal(v)
			out = append(out, fmt.Sprintf("%s against %s: quick says valid=%v, jsonschema %v; value %s", what, n, got == vValid, full, b))
		}
	}
	return out
}

// corpusValues are the JSON values of the documents of the conformance
// corpus and of the project's own YAML files.
func corpusValues(t testing.TB) (names []string, values []*load.Node) {
	t.Helper()
	var roots []string
	for _, r := range []string{
		filepath.Join("..", "..", "..", "shared", "conformance", "repos"),
		filepath.Join("..", ".."),
	} {
		if _, err := os.Stat(r); err == nil {
			roots = append(roots, r)
		}
	}
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if d.Name() == ".git" || d.Name() == "node_modules" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil || len(src) > 1<<20 {
				return nil
			}
			f := load.Parse(bytes.NewReader(src), p, filepath.Dir(p), filepath.Dir(p), load.Options{})
			for _, d := range f.Docs {
				if d.Root != nil {
					names = append(names, fmt.Sprintf("%s#%d", p, d.Index))
					values = append(values, d.Root)
				}
			}
			return nil
		})
	}
	if len(values) == 0 {
		t.Skip("no YAML files found")
	}
	return names, values
}

// TestQuickMatchesFull holds the quick check to jsonschema's verdict on
// every document of the conformance corpus and of the project, against
// every schema, and on mutations of them.
func TestQuickMatchesFull(t *testing.T) {
	names, values := corpusValues(t)
	for _, s := range quickSets(t) {
		var counts [3]int
		var bad []string
		for i, v := range values {
			bad = append(bad, compareQuick(s, names[i], v, &counts)...)
		}
		rng := rand.New(rand.NewSource(1))
		for round := 0; round < 4; round++ {
			for i, v := range values {
				m := mutate(rng, v.Value(), 0)
				bad = append(bad, compareQuick(s, fmt.Sprintf("%s mutated (round %d)", names[i], round), toNode(m), &counts)...)
			}
		}
		for i, b := range bad {
			if i == 20 {
				t.Errorf("... and %d more", len(bad)-20)
				break
			}
			t.Error(b)
		}
		t.Logf("%d schemas: %d valid, %d invalid, %d unknown verdicts", len(s.quick), counts[vValid], counts[vInvalid], counts[vUnknown])
		if counts[vValid] == 0 || counts[vInvalid] == 0 {
			t.Errorf("the quick check decided nothing: %v", counts)
		}
	}
}

// mutate changes a value the way people get catalog files wrong: a key
// dropped, renamed or added, a value of another type, an empty string, a
// list for a string, a number, a boolean, null, an unknown enum value.
func mutate(rng *rand.Rand, v any, depth int) any {
	if depth < 6 && rng.Intn(3) > 0 {
		switch x := v.(type) {
		case map[string]any:
			if len(x) > 0 {
				keys := make([]string, 0, len(x))
				for k := range x {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				k := keys[rng.Intn(len(keys))]
				x[k] = mutate(rng, x[k], depth+1)
				return x
			}
		case []any:
			if len(x) > 0 {
				i := rng.Intn(len(x))
				x[i] = mutate(rng, x[i], depth+1)
				return x
			}
		}
	}
	switch rng.Intn(14) {
	case 0:
		return nil
	case 1:
		return ""
	case 2:
		return json.Number("42")
	case 3:
		return json.Number("1.5")
	case 4:
		return true
	case 5:
		return []any{"a", json.Number("1")}
	case 6:
		return map[string]any{"x": "y"}
	case 7:
		return []any{}
	case 8:
		return map[string]any{}
	case 9:
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			delete(m, keys[rng.Intn(len(keys))])
			return m
		}
	case 10:
		if m, ok := v.(map[string]any); ok {
			m[[]string{"extra", "type", "lifecycle", "owner", "spec", "name", "links", "annotations"}[rng.Intn(8)]] = "x"
			return m
		}
	case 11:
		if s, ok := v.(string); ok {
			return s + "\n"
		}
	case 12:
		if s, ok := v.(string); ok && s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	case 13:
		if a, ok := v.([]any); ok && len(a) > 0 {
			return append(a, a[0])
		}
	}
	return "not-" + fmt.Sprint(v)
}

// FuzzQuickMatchesFull holds the quick check to jsonschema on any YAML
// document.
func FuzzQuickMatchesFull(f *testing.F) {
	for _, s := range []string{
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
		"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  type: team\n  children: []\n",
		"apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: u\n  links: [{url: x}]\nspec:\n  memberOf: [g]\n",
		"apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps:\n    - id: a\n      action: fetch:template\n",
		"apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec: {targets: [a.yaml], type: url}\n",
	} {
		f.Add(s)
	}
	sets := quickSets(f)
	f.Fuzz(func(t *testing.T, src string) {
		lf := load.Parse(strings.NewReader(src), "f.yaml", ".", ".", load.Options{})
		for _, d := range lf.Docs {
			if d.Root == nil {
				continue
			}
			for _, s := range sets {
				var counts [3]int
				for _, b := range compareQuick(s, "fuzz", d.Root, &counts) {
					t.Error(b)
				}
			}
		}
	})
}

// TestQuickSchemas: every built-in schema is understood by the quick
// check, and a schema with something it does not know is answered as
// unknown rather than guessed.
func TestQuickSchemas(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range b.Names() {
		if b.quick[n] == nil {
			t.Errorf("%s: not understood by the quick check", n)
		}
	}
	set, err := WithBuiltin(map[string][]byte{
		"fmt.schema.json":   []byte(`{"$id": "fmt.schema.json", "type": "object", "properties": {"u": {"type": "string", "format": "uri"}}}`),
		"dep.schema.json":   []byte(`{"type": "object", "dependencies": {"a": ["b"]}}`),
		"d2020.schema.json": []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}`),
		"refx.schema.json":  []byte(`{"$ref": "entity.schema.json", "const": 1}`),
		"ok.schema.json":    []byte(`{"allOf": [{"$ref": "entity.schema.json"}], "properties": {"spec": {"oneOf": [{"required": ["a"]}, {"required": ["b"]}], "propertyNames": {"maxLength": 3}, "properties": {"n": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10}, "u": {"type": "array", "uniqueItems": true}}}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"fmt.schema.json", "dep.schema.json", "d2020.schema.json", "refx.schema.json"} {
		if set.quick[n] != nil {
			t.Errorf("%s: the quick check claims to understand it", n)
		}
	}
	if set.quick["ok.schema.json"] == nil {
		t.Fatal("ok.schema.json: not understood")
	}
	head := "apiVersion: x/v1\nkind: X\nmetadata: {name: x}\n"
	for _, c := range []struct {
		spec string
		want verdict
	}{
		{"spec: {a: 1}", vValid},
		{"spec: {a: 1, b: 2}", vInvalid},
		{"spec: {c: 1}", vInvalid},
		{"spec: {a: 1, n: 3}", vValid},
		{"spec: {a: 1, n: 3.0}", vValid},
		{"spec: {a: 1, n: 3.5}", vInvalid},
		{"spec: {a: 1, n: 10}", vInvalid},
		{"spec: {a: 1, n: 0}", vInvalid},
		{"spec: {a: 1, long: 0}", vInvalid},
		{"spec: {a: 1, u: [1, 2, x]}", vValid},
		{"spec: {a: 1, u: [1, 1.0]}", vInvalid},
		{"spec: {a: 1, u: [{k: 1}, {k: 1}]}", vUnknown}, // collections: left to jsonschema
	} {
		root := doc(t, head+c.spec)
		v := root.Value()
		got := set.quick["ok.schema.json"].check(root, 0)
		full := set.compiled["ok.schema.json"].Validate(v) == nil
		if got != c.want || full != (c.want == vValid) {
			t.Errorf("%s: quick %d, want %d (jsonschema valid=%v)", c.spec, got, c.want, full)
		}
	}
}

// toNode is the node of a JSON value (keys in sorted order), for mutated
// values.
func toNode(v any) *load.Node {
	switch x := v.(type) {
	case nil:
		return &load.Node{Kind: load.Null}
	case bool:
		return &load.Node{Kind: load.Bool, Text: fmt.Sprint(x)}
	case string:
		return &load.Node{Kind: load.String, Text: x}
	case json.Number:
		return &load.Node{Kind: load.Number, Text: string(x)}
	case []any:
		n := &load.Node{Kind: load.Seq}
		for _, e := range x {
			n.Seq = append(n.Seq, toNode(e))
		}
		return n
	case map[string]any:
		n := &load.Node{Kind: load.Map}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Map = append(n.Map, load.Pair{Key: k, Value: toNode(x[k])})
		}
		return n
	}
	panic(fmt.Sprintf("toNode: %T", v))
}

// TestQuickDuplicateKeys: a mapping with a key written twice (through an
// alias) is left to the full validator, which sees the last value.
func TestQuickDuplicateKeys(t *testing.T) {
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	root := toNode(map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": map[string]any{"name": "a"},
		"spec": map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a"}})
	spec := root.Get("spec")
	spec.Map = append(spec.Map, load.Pair{Key: "owner", Value: &load.Node{Kind: load.Number, Text: "1"}})
	if got := b.quick["component.v1alpha1.schema.json"].check(root, 0); got != vUnknown {
		t.Errorf("duplicate keys: verdict %d, want unknown", got)
	}
	if ps := b.Validate("component.v1alpha1.schema.json", root); len(ps) != 1 {
		t.Errorf("duplicate keys: %+v, want the problem of the last owner", ps)
	}
}

// BenchmarkValidate validates a valid Component: through the quick check
// (ValidateDoc) and with jsonschema alone (the value built each time, as
// before the quick check).
func BenchmarkValidate(b *testing.B) {
	set, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	src := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n  description: Takes payments.\n  tags: [go, grpc]\n  annotations:\n    github.com/project-slug: acme/payments\n    backstage.io/techdocs-ref: dir:.\n  links:\n    - url: https://example.com\n      title: Runbook\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n  system: pay\n  providesApis: [payments-api]\n  dependsOn: [resource:db]\n"
	f := load.Parse(strings.NewReader(src), "b.yaml", ".", ".", load.Options{})
	root := f.Docs[0].Root
	const name = "component.v1alpha1.schema.json"
	if ps := set.Validate(name, root); len(ps) > 0 {
		b.Fatal(ps)
	}
	b.Run("quick", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			set.ValidateDoc(name, root, root.Value)
		}
	})
	b.Run("jsonschema", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if set.compiled[name].Validate(root.Value()) != nil {
				b.Fatal("invalid")
			}
		}
	})
}
