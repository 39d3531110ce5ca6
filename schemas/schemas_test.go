package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// kindFiles maps every schema that validates a whole entity to the
// apiVersions and kind it accepts (Backstage compares both exactly).
var kindFiles = map[string]struct {
	apiVersions []string
	kind        string
}{
	"component.v1alpha1.schema.json": {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "Component"},
	"api.v1alpha1.schema.json":       {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "API"},
	"resource.v1alpha1.schema.json":  {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "Resource"},
	"system.v1alpha1.schema.json":    {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "System"},
	"domain.v1alpha1.schema.json":    {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "Domain"},
	"group.v1alpha1.schema.json":     {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "Group"},
	"user.v1alpha1.schema.json":      {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "User"},
	"location.v1alpha1.schema.json":  {[]string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}, "Location"},
	"template.v1beta3.schema.json":   {[]string{"scaffolder.backstage.io/v1beta3"}, "Template"},
}

var sharedFiles = []string{"common.schema.json", "meta.schema.json", "entity.schema.json"}

// compileAll loads every file of FS as a resource under its own name and
// compiles each of them. References to anything else fail: no file system
// or network loader is used.
func compileAll(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	names, err := fs.Glob(FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	for _, name := range names {
		data, err := FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource(name, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range names {
		sch, err := c.Compile(name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = sch
	}
	return out
}

func TestEveryFileIsPresentAndWellFormed(t *testing.T) {
	names, err := fs.Glob(FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{}, sharedFiles...)
	for name := range kindFiles {
		want = append(want, name)
	}
	sort.Strings(want)
	present := map[string]bool{}
	for _, name := range names {
		present[name] = true
	}
	for _, name := range want {
		if !present[name] {
			t.Errorf("schema file %s is missing", name)
		}
	}
	// Only the entity schemas are checked here; other schemas in the folder
	// (such as catalint's own config schema) are compiled by compileAll.
	for _, name := range want {
		if !present[name] {
			continue
		}
		data, _ := FS.ReadFile(name)
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc["$schema"] != "http://json-schema.org/draft-07/schema#" {
			t.Errorf("%s: $schema = %v", name, doc["$schema"])
		}
		if doc["$id"] != name {
			t.Errorf("%s: $id = %v, want the file name", name, doc["$id"])
		}
		checkDescriptions(t, name, "", doc)
	}
	compileAll(t)
}

// checkDescriptions asserts that every declared property has a description
// (directly, or through the $ref it consists of), so editors can show one.
func checkDescriptions(t *testing.T, file, at string, v any) {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok {
			for name, p := range props {
				ps, _ := p.(map[string]any)
				d, _ := ps["description"].(string)
				_, isRef := ps["$ref"]
				if d == "" && !isRef {
					t.Errorf("%s: property %s/%s has no description", file, at, name)
				}
			}
		}
		for k, sub := range v {
			checkDescriptions(t, file, at+"/"+k, sub)
		}
	case []any:
		for i, sub := range v {
			checkDescriptions(t, file, fmt.Sprintf("%s/%d", at, i), sub)
		}
	}
}

// leaves describes the innermost failures of a validation error, one string
// each: "<instance path> <keyword>", and for required "… required <names>".
func leaves(err error) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{"not a validation error: " + err.Error()}
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		path := "/" + strings.Join(e.InstanceLocation, "/")
		kw := e.ErrorKind.KeywordPath()
		word := ""
		if len(kw) > 0 {
			word = kw[len(kw)-1]
		}
		if r, ok := e.ErrorKind.(*kind.Required); ok {
			word = "required " + strings.Join(r.Missing, ",")
		}
		out = append(out, path+" "+word)
	}
	walk(ve)
	sort.Strings(out)
	return out
}

func parse(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

const meta = `"metadata":{"name":"x"}`

type verdictCase struct {
	name   string
	schema string
	doc    string
	// wantErrs lists failures that must be among the leaves; nil means valid.
	wantErrs []string
}

func runCases(t *testing.T, cases []verdictCase) {
	t.Helper()
	schemas := compileAll(t)
	for _, tc := range cases {
		t.Run(tc.schema+"/"+tc.name, func(t *testing.T) {
			sch := schemas[tc.schema]
			if sch == nil {
				t.Fatalf("no schema %s", tc.schema)
			}
			err := sch.Validate(parse(t, tc.doc))
			if tc.wantErrs == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", leaves(err))
				}
				return
			}
			if err == nil {
				t.Fatalf("want errors %v, got valid", tc.wantErrs)
			}
			got := leaves(err)
			for _, w := range tc.wantErrs {
				found := false
				for _, g := range got {
					if g == w {
						found = true
					}
				}
				if !found {
					t.Errorf("missing error %q; got %v", w, got)
				}
			}
		})
	}
}

func TestEnvelopeAndMetadata(t *testing.T) {
	const s = "entity.schema.json"
	runCases(t, []verdictCase{
		{"minimal", s, `{"apiVersion":"a","kind":"b",` + meta + `}`, nil},
		{"full metadata", s, `{"apiVersion":"a","kind":"b","spec":{},"metadata":{"name":"x","namespace":"n","title":"T","description":"","labels":{"a":"b"},"annotations":{"c/d":"e"},"tags":["t"],"links":[{"url":"u","title":"t","icon":"i","type":"y"}],"uid":"u","etag":"e","custom":42}}`, nil},
		{"missing apiVersion", s, `{"kind":"b",` + meta + `}`, []string{"/ required apiVersion"}},
		{"missing metadata", s, `{"apiVersion":"a","kind":"b"}`, []string{"/ required metadata"}},
		{"empty kind", s, `{"apiVersion":"a","kind":"",` + meta + `}`, []string{"/kind minLength"}},
		{"numeric apiVersion", s, `{"apiVersion":1,"kind":"b",` + meta + `}`, []string{"/apiVersion type"}},
		{"foreign root field", s, `{"apiVersion":"a","kind":"b",` + meta + `,"owner":"me"}`, []string{"/ additionalProperties"}},
		{"relations not allowed in files", s, `{"apiVersion":"a","kind":"b",` + meta + `,"relations":[]}`, []string{"/ additionalProperties"}},
		{"status not allowed in files", s, `{"apiVersion":"a","kind":"b",` + meta + `,"status":{}}`, []string{"/ additionalProperties"}},
		{"spec must be object", s, `{"apiVersion":"a","kind":"b",` + meta + `,"spec":[]}`, []string{"/spec type"}},
		{"spec null", s, `{"apiVersion":"a","kind":"b",` + meta + `,"spec":null}`, []string{"/spec type"}},
		{"name missing", s, `{"apiVersion":"a","kind":"b","metadata":{}}`, []string{"/metadata required name"}},
		{"name number", s, `{"apiVersion":"a","kind":"b","metadata":{"name":5}}`, []string{"/metadata/name type"}},
		{"name empty", s, `{"apiVersion":"a","kind":"b","metadata":{"name":""}}`, []string{"/metadata/name minLength"}},
		{"namespace empty", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","namespace":""}}`, []string{"/metadata/namespace minLength"}},
		{"title empty", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","title":""}}`, []string{"/metadata/title minLength"}},
		{"description number", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","description":3}}`, []string{"/metadata/description type"}},
		{"labels list", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","labels":["a"]}}`, []string{"/metadata/labels type"}},
		{"label value bool", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","labels":{"a":true}}}`, []string{"/metadata/labels/a type"}},
		{"annotations null", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","annotations":null}}`, []string{"/metadata/annotations type"}},
		{"annotation value object", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","annotations":{"a":{}}}}`, []string{"/metadata/annotations/a type"}},
		// Backstage's key pattern ^.+$ leaves the empty key unchecked here
		// (its key format check rejects it later).
		{"annotation empty key unchecked", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","annotations":{"":1}}}`, nil},
		{"tags string", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","tags":"a"}}`, []string{"/metadata/tags type"}},
		{"tag empty", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","tags":[""]}}`, []string{"/metadata/tags/0 minLength"}},
		{"tag number", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","tags":[1.5]}}`, []string{"/metadata/tags/0 type"}},
		{"link without url", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","links":[{"title":"t"}]}}`, []string{"/metadata/links/0 required url"}},
		{"link extra field ok", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","links":[{"url":"u","extra":1}]}}`, nil},
		{"link title empty", s, `{"apiVersion":"a","kind":"b","metadata":{"name":"x","links":[{"url":"u","title":""}]}}`, []string{"/metadata/links/0/title minLength"}},
	})
}

// ent builds an entity with the given apiVersion, kind and spec JSON.
func ent(apiVersion, kind, spec string) string {
	return `{"apiVersion":"` + apiVersion + `","kind":"` + kind + `",` + meta + `,"spec":` + spec + `}`
}

const v1 = "backstage.io/v1alpha1"

func TestKinds(t *testing.T) {
	var (
		comp = "component.v1alpha1.schema.json"
		api  = "api.v1alpha1.schema.json"
		res  = "resource.v1alpha1.schema.json"
		sys  = "system.v1alpha1.schema.json"
		dom  = "domain.v1alpha1.schema.json"
		grp  = "group.v1alpha1.schema.json"
		usr  = "user.v1alpha1.schema.json"
		loc  = "location.v1alpha1.schema.json"
		tpl  = "template.v1beta3.schema.json"
		t3   = "scaffolder.backstage.io/v1beta3"
	)
	runCases(t, []verdictCase{
		// Component
		{"valid", comp, ent(v1, "Component", `{"type":"service","lifecycle":"production","owner":"team-a"}`), nil},
		{"valid v1beta1 full", comp, ent("backstage.io/v1beta1", "Component", `{"type":"s","lifecycle":"l","owner":"o","system":"s","subcomponentOf":"c","providesApis":["a"],"consumesApis":["b"],"dependsOn":["resource:db"],"dependencyOf":"anything goes here"}`), nil},
		{"missing spec", comp, `{"apiVersion":"` + v1 + `","kind":"Component",` + meta + `}`, []string{"/ required spec"}},
		{"missing owner", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l"}`), []string{"/spec required owner"}},
		{"missing all", comp, ent(v1, "Component", `{}`), []string{"/spec required type,lifecycle,owner"}},
		{"system list", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":"o","system":["a"]}`), []string{"/spec/system type"}},
		{"owner empty", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":""}`), []string{"/spec/owner minLength"}},
		{"owner number", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":7}`), []string{"/spec/owner type"}},
		{"providesApis string", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":"o","providesApis":"a"}`), []string{"/spec/providesApis type"}},
		{"dependsOn item empty", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":"o","dependsOn":[""]}`), []string{"/spec/dependsOn/0 minLength"}},
		{"lowercase kind", comp, ent(v1, "component", `{"type":"s","lifecycle":"l","owner":"o"}`), []string{"/kind enum"}},
		{"other apiVersion", comp, ent("backstage.io/v1", "Component", `{"type":"s","lifecycle":"l","owner":"o"}`), []string{"/apiVersion enum"}},
		{"apiVersion case", comp, ent("Backstage.io/v1alpha1", "Component", `{"type":"s","lifecycle":"l","owner":"o"}`), []string{"/apiVersion enum"}},
		{"foreign root field", comp, `{"apiVersion":"` + v1 + `","kind":"Component",` + meta + `,"spec":{"type":"s","lifecycle":"l","owner":"o"},"extra":1}`, []string{"/ additionalProperties"}},
		{"extra spec fields ok", comp, ent(v1, "Component", `{"type":"s","lifecycle":"l","owner":"o","anything":{"x":1}}`), nil},

		// API
		{"valid", api, ent(v1, "API", `{"type":"openapi","lifecycle":"production","owner":"o","definition":"openapi: 3.0.0"}`), nil},
		{"missing definition", api, ent(v1, "API", `{"type":"openapi","lifecycle":"l","owner":"o"}`), []string{"/spec required definition"}},
		{"mcp-server still needs definition", api, ent(v1, "API", `{"type":"mcp-server","lifecycle":"l","owner":"o","remotes":[{"type":"sse","url":"https://x"}]}`), []string{"/spec required definition"}},
		{"definition object", api, ent(v1, "API", `{"type":"t","lifecycle":"l","owner":"o","definition":{"openapi":"3"}}`), []string{"/spec/definition type"}},
		{"definition empty", api, ent(v1, "API", `{"type":"t","lifecycle":"l","owner":"o","definition":""}`), []string{"/spec/definition minLength"}},
		{"kind Api", api, ent(v1, "Api", `{"type":"t","lifecycle":"l","owner":"o","definition":"d"}`), []string{"/kind enum"}},

		// Resource
		{"valid", res, ent(v1, "Resource", `{"type":"database","owner":"o","system":"s","dependsOn":["resource:vpc"],"dependencyOf":["component:a"]}`), nil},
		{"missing type", res, ent(v1, "Resource", `{"owner":"o"}`), []string{"/spec required type"}},
		{"lifecycle not required", res, ent(v1, "Resource", `{"type":"t","owner":"o"}`), nil},
		{"dependsOn string", res, ent(v1, "Resource", `{"type":"t","owner":"o","dependsOn":"resource:x"}`), []string{"/spec/dependsOn type"}},

		// System
		{"valid", sys, ent(v1, "System", `{"owner":"o","domain":"d","type":"product"}`), nil},
		{"missing owner", sys, ent(v1, "System", `{"domain":"d"}`), []string{"/spec required owner"}},
		{"domain list", sys, ent(v1, "System", `{"owner":"o","domain":["d"]}`), []string{"/spec/domain type"}},

		// Domain
		{"valid", dom, ent(v1, "Domain", `{"owner":"o","subdomainOf":"d","type":"t"}`), nil},
		{"missing owner", dom, ent(v1, "Domain", `{}`), []string{"/spec required owner"}},
		{"subdomainOf number", dom, ent(v1, "Domain", `{"owner":"o","subdomainOf":1}`), []string{"/spec/subdomainOf type"}},

		// Group
		{"valid", grp, ent(v1, "Group", `{"type":"team","children":[],"parent":"p","members":["u"],"profile":{"displayName":"D","email":"e","picture":"p"}}`), nil},
		{"missing children", grp, ent(v1, "Group", `{"type":"team"}`), []string{"/spec required children"}},
		{"children null", grp, ent(v1, "Group", `{"type":"team","children":null}`), []string{"/spec/children type"}},
		{"parent list", grp, ent(v1, "Group", `{"type":"team","children":[],"parent":["p"]}`), []string{"/spec/parent type"}},
		{"profile email empty", grp, ent(v1, "Group", `{"type":"team","children":[],"profile":{"email":""}}`), []string{"/spec/profile/email minLength"}},

		// User
		{"valid", usr, ent(v1, "User", `{"memberOf":[],"profile":{"displayName":"A"}}`), nil},
		{"missing memberOf", usr, ent(v1, "User", `{"profile":{}}`), []string{"/spec required memberOf"}},
		{"memberOf string", usr, ent(v1, "User", `{"memberOf":"g"}`), []string{"/spec/memberOf type"}},

		// Location
		{"valid", loc, ent(v1, "Location", `{"type":"url","target":"./a.yaml","targets":["./b.yaml"],"presence":"optional"}`), nil},
		{"empty spec", loc, ent(v1, "Location", `{}`), nil},
		{"missing spec", loc, `{"apiVersion":"` + v1 + `","kind":"Location",` + meta + `}`, []string{"/ required spec"}},
		{"bad presence", loc, ent(v1, "Location", `{"presence":"maybe"}`), []string{"/spec/presence enum"}},
		{"targets string", loc, ent(v1, "Location", `{"targets":"./a.yaml"}`), []string{"/spec/targets type"}},

		// Template
		{"valid", tpl, ent(t3, "Template", `{"type":"service","owner":"o","parameters":[{"title":"x","properties":{}}],"steps":[{"id":"fetch","action":"fetch:template","input":{"url":"./s"},"if":"${{ true }}"}],"output":{"links":[{"title":"Repo","url":"u","if":false}],"text":[{"content":"c"}],"extra":"s"}}`), nil},
		{"parameters object", tpl, ent(t3, "Template", `{"type":"t","parameters":{"properties":{}},"steps":[]}`), nil},
		{"parameters string", tpl, ent(t3, "Template", `{"type":"t","parameters":"x","steps":[]}`), []string{"/spec/parameters type"}},
		{"missing steps", tpl, ent(t3, "Template", `{"type":"t"}`), []string{"/spec required steps"}},
		{"step without action", tpl, ent(t3, "Template", `{"type":"t","steps":[{"id":"a"}]}`), []string{"/spec/steps/0 required action"}},
		{"step id number", tpl, ent(t3, "Template", `{"type":"t","steps":[{"action":"a"},{"action":"b","id":7}]}`), []string{"/spec/steps/1/id type"}},
		{"step if number", tpl, ent(t3, "Template", `{"type":"t","steps":[{"action":"a","if":1}]}`), []string{"/spec/steps/0/if type"}},
		{"step input string", tpl, ent(t3, "Template", `{"type":"t","steps":[{"action":"a","input":"x"}]}`), []string{"/spec/steps/0/input type"}},
		{"output extra non-string", tpl, ent(t3, "Template", `{"type":"t","steps":[],"output":{"repo":{"a":1}}}`), []string{"/spec/output/repo type"}},
		{"output link url empty", tpl, ent(t3, "Template", `{"type":"t","steps":[],"output":{"links":[{"url":""}]}}`), []string{"/spec/output/links/0/url minLength"}},
		{"permissions tags", tpl, ent(t3, "Template", `{"type":"t","steps":[{"action":"a","backstage:permissions":{"tags":[1]}}]}`), []string{"/spec/steps/0/backstage:permissions/tags/0 type"}},
		{"v1beta2 not accepted", tpl, ent("backstage.io/v1beta2", "Template", `{"type":"t","steps":[]}`), []string{"/apiVersion enum"}},
	})
}

// TestKindSelection checks the property catalint relies on to mimic
// Backstage's kind matching: an entity of another kind or apiVersion fails a
// kind schema with enum errors at /kind or /apiVersion, and a matching one
// never has errors there.
func TestKindSelection(t *testing.T) {
	schemas := compileAll(t)
	for file, want := range kindFiles {
		for _, av := range []string{"backstage.io/v1alpha1", "backstage.io/v1beta1", "scaffolder.backstage.io/v1beta3", "backstage.io/v1beta2", "BACKSTAGE.IO/V1ALPHA1"} {
			for _, k := range []string{"Component", "API", "Resource", "System", "Domain", "Group", "User", "Location", "Template", "component", "Custom"} {
				err := schemas[file].Validate(parse(t, ent(av, k, `{}`)))
				matches := k == want.kind && contains(want.apiVersions, av)
				var soft []string
				if err != nil {
					for _, l := range leaves(err) {
						if strings.HasPrefix(l, "/kind ") || strings.HasPrefix(l, "/apiVersion ") {
							soft = append(soft, l)
						}
					}
				}
				if matches && len(soft) > 0 {
					t.Errorf("%s: %s %s should match, got %v", file, av, k, soft)
				}
				if !matches {
					if len(soft) == 0 {
						t.Errorf("%s: %s %s should not match", file, av, k)
					}
					for _, s := range soft {
						if !strings.HasSuffix(s, " enum") {
							t.Errorf("%s: %s %s: non-enum error %s", file, av, k, s)
						}
					}
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
