package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// buildModel is the catalog model of a run: the built-in kinds, the
// Backstage modules of the configuration and of --backstage-module, and the
// kinds the configuration declares. A bad declaration is a configuration
// error at its position.
func buildModel(c *config.Config, flagModules []string) (*entity.Model, error) {
	var layers []entity.Layer
	seen := map[string]bool{}
	addModule := func(name string, bad func(error) error) error {
		if seen[name] {
			return nil
		}
		l, err := entity.Module(name)
		if err != nil {
			return bad(err)
		}
		seen[name] = true
		layers = append(layers, l)
		return nil
	}
	for _, n := range flagModules {
		if err := addModule(n, func(err error) error { return usageErr("--backstage-module: %v", err) }); err != nil {
			return nil, err
		}
	}
	if c != nil {
		for i, n := range c.Backstage.Modules {
			if err := addModule(n, func(err error) error {
				return configErr(c.Invalid(err.Error(), "", "backstage", "modules", fmt.Sprint(i)))
			}); err != nil {
				return nil, err
			}
		}
	}
	if c == nil || len(c.Kinds) == 0 {
		if len(layers) == 0 {
			return entity.Builtin(), nil
		}
		m, err := entity.NewModel(layers...)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		return m, nil
	}
	declared := entity.Layer{ID: "config", Schemas: map[string][]byte{}}
	for i, k := range c.Kinds {
		info, schemas, err := declaredKind(c, i, k)
		if err != nil {
			return nil, err
		}
		declared.Kinds = append(declared.Kinds, info)
		for n, b := range schemas {
			declared.Schemas[n] = b
		}
		// Each declaration is checked against the layers and the earlier
		// declarations, so that a clash is reported where it is written.
		if _, err := entity.NewModel(append(layers, declared)...); err != nil {
			return nil, configErr(c.Invalid(fmt.Sprintf("kinds[%d]: %v", i, err), "", "kinds", fmt.Sprint(i), "kind"))
		}
	}
	m, err := entity.NewModel(append(layers, declared)...)
	if err != nil {
		return nil, configErr(c.Invalid(err.Error(), "", "kinds"))
	}
	if _, err := schema.ForModel(m); err != nil {
		return nil, configErr(c.Invalid(fmt.Sprintf("kinds: the schemas do not compile together: %v", err), "", "kinds"))
	}
	return m, nil
}

// declaredKind turns the i-th declaration of .catalint.yaml into a kind
// version and its schemas.
func declaredKind(c *config.Config, i int, k config.Kind) (entity.KindInfo, map[string][]byte, error) {
	at := func(path ...string) []string { return append([]string{"kinds", fmt.Sprint(i)}, path...) }
	bad := func(msg, sugg string, path ...string) error {
		return configErr(c.Invalid(fmt.Sprintf("kind %s: %s", k.Kind, msg), sugg, at(path...)...))
	}
	info := entity.KindInfo{Kind: k.Kind, APIVersions: k.APIVersions, SpecType: k.SpecType, Schema: schema.EntitySchema}
	if b, ok := entity.Builtin().ByName(k.Kind); ok {
		return info, nil, configErr(c.Invalid(fmt.Sprintf("kinds[%d]: %s is a built-in kind of Backstage, checked with Backstage's own schema and relations; declare a kind of your own", i, b.Kind), "", at("kind")...))
	}
	for j, v := range k.APIVersions {
		if !entity.IsValidAPIVersion(v) {
			return info, nil, bad(fmt.Sprintf("apiVersion %q is not valid: Backstage wants an optional DNS subdomain and '/', then 1-63 letters and digits (e.g. acme.io/v1)", v), "", "apiVersions", fmt.Sprint(j))
		}
	}
	fields := map[string]bool{}
	for j, r := range k.Relations {
		field := strings.TrimPrefix(r.Path, "spec.")
		if fields[field] {
			return info, nil, bad(fmt.Sprintf("relation field %s is declared twice", r.Path), "", "relations", fmt.Sprint(j), "path")
		}
		fields[field] = true
		info.Relations = append(info.Relations, entity.Relation{Field: field, Relation: r.Relation, DefaultKind: r.DefaultKind, Targets: r.AllowedKinds})
	}
	schemas := map[string][]byte{}
	if len(k.Schema) > 0 {
		src := []byte(k.Schema)
		var file string
		if json.Unmarshal(k.Schema, &file) == nil {
			b, err := readConfigSchema(c, file)
			if err != nil {
				return info, nil, bad(fmt.Sprintf("schema %s: %v", file, err), "", "schema")
			}
			src = b
		}
		base := fmt.Sprintf("kind-%s-%d", strings.ToLower(k.Kind), i)
		own, whole := base+".declared.schema.json", base+".schema.json"
		if _, err := schema.WithBuiltin(map[string][]byte{own: src}); err != nil {
			return info, nil, bad("the schema is not a valid JSON Schema (draft 7): "+compileCause(err), "", "schema")
		}
		// The entity must match the envelope and the declared schema.
		schemas[own] = src
		schemas[whole] = []byte(fmt.Sprintf(`{"$schema": "http://json-schema.org/draft-07/schema#", "title": %q, "allOf": [{"$ref": %q}, {"$ref": %q}]}`, k.Kind, schema.EntitySchema, own))
		info.Schema = whole
		info.SpecFields = specProperties(src)
	}
	for f := range fields {
		if !contains(info.SpecFields, f) {
			info.SpecFields = append(info.SpecFields, f)
		}
	}
	sort.Strings(info.SpecFields)
	return info, schemas, nil
}

// specProperties are the keys of properties.spec.properties of a schema:
// the spec fields a declared kind defines, for typo hints.
func specProperties(src []byte) []string {
	var s struct {
		Properties struct {
			Spec struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"spec"`
		} `json:"properties"`
	}
	if json.Unmarshal(src, &s) != nil {
		return nil
	}
	var out []string
	for k := range s.Properties.Spec.Properties {
		out = append(out, k)
	}
	return out
}

// readConfigSchema reads a JSON or YAML schema file named in the
// configuration, relative to it and confined to its repository.
func readConfigSchema(c *config.Config, file string) ([]byte, error) {
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return nil, err
	}
	root := load.RepoRoot(dir)
	abs := filepath.Clean(filepath.Join(dir, file))
	if filepath.IsAbs(file) {
		abs = filepath.Clean(file)
	}
	real, err := load.Confine(root, abs)
	if err != nil {
		var out *load.OutsideError
		if errors.As(err, &out) {
			return nil, fmt.Errorf("%v (%s)", out, root)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no such file")
		}
		return nil, fmt.Errorf("cannot read it: %v", err)
	}
	f := load.ReadFile(real, file, load.Options{Root: root, MaxFileSize: 1 << 20})
	switch {
	case len(f.Diags) > 0:
		return nil, fmt.Errorf("%s", f.Diags[0].Message)
	case len(f.Docs) != 1 || f.Docs[0].Root == nil:
		return nil, fmt.Errorf("want one JSON or YAML document")
	case len(f.Docs[0].Diags) > 0:
		return nil, fmt.Errorf("%s", f.Docs[0].Diags[0].Message)
	}
	return json.Marshal(f.Docs[0].Root.Value())
}

// moduleFlag adds --backstage-module.
func moduleFlag(cmd *cobra.Command, modules *[]string) {
	cmd.Flags().StringArrayVar(modules, "backstage-module", nil, "a Backstage opt-in catalog module your Backstage runs, whose kinds to accept (repeatable; also backstage.modules in .catalint.yaml): "+strings.Join(entity.ModuleNames(), ", "))
}

// compileCause is the useful part of a schema compiler's error: the
// deepest reason of a metaschema failure, without the internal file name.
func compileCause(err error) string {
	msg := err.Error()
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	if len(lines) > 1 {
		var parts []string
		for _, l := range lines[1:] {
			if l = strings.TrimPrefix(strings.TrimSpace(l), "- "); !strings.HasSuffix(l, "'anyOf' failed") {
				parts = append(parts, l)
			}
		}
		return strings.Join(parts, "; ")
	}
	if i := strings.LastIndex(msg, ".schema.json: "); i >= 0 {
		return msg[i+len(".schema.json: "):]
	}
	return msg
}

// backendDir is where a Backstage app made by @backstage/create-app keeps
// its backend, relative to the repository root.
const backendDir = "packages/backend"

// detectModules finds the opt-in catalog modules the Backstage app in the
// repository at root runs: those its backend's package.json depends on,
// when its src/index.ts (if there is one) adds them too. Each one found is
// a notice at the dependency's line of package.json, saying it is enabled
// and how to turn that off. The files are read as catalog files are:
// confined to the repository and bounded.
func detectModules(root string) (names []string, diags []diag.Diagnostic) {
	pkgPath := filepath.Join(root, backendDir, "package.json")
	src, err := load.ReadConfined(root, pkgPath, 1<<20)
	if err != nil {
		return nil, nil
	}
	var pkg struct {
		Dependencies    map[string]any `json:"dependencies"`
		DevDependencies map[string]any `json:"devDependencies"`
	}
	if json.Unmarshal(src, &pkg) != nil {
		return nil, nil
	}
	index, indexErr := load.ReadConfined(root, filepath.Join(root, backendDir, "src", "index.ts"), 1<<20)
	display := lint.DisplayPath(pkgPath)
	for _, name := range entity.ModuleNames() {
		npm := entity.ModulePackages[name]
		_, dep := pkg.Dependencies[npm]
		_, dev := pkg.DevDependencies[npm]
		if !dep && !dev {
			continue
		}
		if indexErr == nil && !bytes.Contains(index, []byte(npm)) {
			continue // declared but not added to the backend
		}
		names = append(names, name)
		line, col := 1, 1
		if i := bytes.Index(src, []byte(`"`+npm+`"`)); i >= 0 {
			line = bytes.Count(src[:i], []byte("\n")) + 1
			col = i - bytes.LastIndexByte(src[:i], '\n')
		}
		diags = append(diags, diag.Diagnostic{Pos: diag.Pos{File: display, Line: line, Column: col}, Severity: diag.Notice, Rule: lint.RuleKind,
			Message:    fmt.Sprintf("this Backstage backend runs the opt-in catalog module %s (%s), so its kinds are checked as Backstage with it checks them", name, npm),
			Suggestion: "backstage: {detectModules: false} in .catalint.yaml checks without modules you do not name (backstage.modules, --backstage-module)"})
	}
	return names, diags
}
