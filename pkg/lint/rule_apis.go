package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/catalint-dev/catalint/pkg/annotations"
	"github.com/catalint-dev/catalint/pkg/apispec"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/techdocs"
)

// apiState is what the API rules learned of a checked API entity, for the
// components that provide it.
type apiState struct {
	// problem is "" when the definition is fine, else why it is not.
	problem string
	where   string
}

func severityOf(s string) diag.Severity {
	switch s {
	case apispec.SeverityError:
		return diag.Error
	case apispec.SeverityWarning:
		return diag.Warning
	}
	return diag.Notice
}

// showPath names a file as diagnostics do: relative to the working folder
// when below it.
func showPath(abs, catalogAbs, catalogShown string) string {
	if abs == "" || abs == catalogAbs {
		return catalogShown
	}
	if strings.Contains(abs, "://") {
		return abs
	}
	// Written the way the catalog file is shown: relative to the working
	// directory (with .. if need be) when that one is relative.
	if !filepath.IsAbs(catalogShown) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil {
				return rel
			}
		}
	}
	return displayPath(abs)
}

// checkAPIDoc parses an API entity's definition with the library made for
// its type, and checks TechDocs and well-known annotations of any entity.
func checkAPIDoc(ctx context.Context, d *load.Doc, ref, path string, opts Options) ([]diag.Diagnostic, *apiState) {
	root := d.Root
	if root == nil || root.Kind != load.Map || path == load.Stdin {
		return nil, nil
	}
	sel := opts.Selection
	var out []diag.Diagnostic
	catalogAbs := absOf(path)
	repo := d.File.Root
	if repo == "" {
		repo = load.RepoRoot(path)
	}
	var state *apiState
	if root.GetString("kind") == "API" && sel.Enabled(RuleAPIDefinition) {
		state = &apiState{}
		typ := root.GetString("spec", "type")
		def := root.Get("spec").Get("definition")
		if def != nil && def.Kind == load.String && !def.Unresolved() && (def.Fetched() || !strings.Contains(def.PlaceholderFile(), "://")) {
			file, offset, indent, checkRoot := catalogAbs, 1, 0, repo
			var remote, tmpFile string
			switch {
			case def.Fetched():
				// A fetched definition is checked as a file of its own;
				// its $refs cannot leave it.
				tmp, err := os.MkdirTemp("", "catalint-remote-*")
				if err == nil {
					defer os.RemoveAll(tmp)
					tmpFile = filepath.Join(tmp, "definition"+filepath.Ext(strings.SplitN(def.PlaceholderFile(), "?", 2)[0]))
					if err := os.WriteFile(tmpFile, []byte(def.Text), 0o600); err == nil {
						file, checkRoot, remote = tmpFile, tmp, def.PlaceholderFile()
					}
				}
			case def.PlaceholderFile() != "":
				file = def.PlaceholderFile()
			default:
				offset, indent = apispec.BlockStart(d.File.Src, def.Span.Line, def.Span.Column)
			}
			res := opts.APICache.Check(ctx, typ, def.Text, file, offset, checkRoot)
			if remote != "" {
				for i := range res.Problems {
					if res.Problems[i].File == tmpFile || res.Problems[i].File == "" {
						res.Problems[i].File = remote
					}
				}
			}
			if !res.Verified && res.Reason != "" {
				out = append(out, diag.Diagnostic{Pos: d.File.Pos(def.Span), Severity: diag.Notice, Rule: RuleAPIDefinition, Entity: ref,
					Message: fmt.Sprintf("the definition of type %q is not verified: %s", typ, res.Reason)})
			}
			for _, p := range res.Problems {
				pos := diag.Pos{File: showPath(p.File, catalogAbs, d.File.Path), Line: p.Line, Column: max(p.Column, 1)}
				if p.File == "" || p.File == catalogAbs {
					pos.Column += indent
				}
				pos.EndLine, pos.EndColumn = pos.Line, pos.Column+1
				sev := severityOf(p.Severity)
				out = append(out, diag.Diagnostic{Pos: pos, Severity: sev, Rule: RuleAPIDefinition, Entity: ref,
					Message: fmt.Sprintf("%s definition: %s", typ, p.Message)})
				if sev == diag.Error && state.problem == "" {
					state.problem, state.where = "is not valid", pos.String()
				}
			}
			if strings.TrimSpace(def.Text) == "" && state.problem == "" {
				state.problem, state.where = "is empty", d.File.Pos(def.Span).String()
			}
		}
	}
	anns := root.Get("metadata").Get("annotations")
	if anns != nil && anns.Kind == load.Map {
		for _, p := range anns.Map {
			if p.Value.Kind != load.String {
				continue
			}
			switch p.Key {
			case "backstage.io/techdocs-ref":
				if !sel.Enabled(RuleTechDocs) {
					continue
				}
				// TechDocs resolves a dir: reference against the entity's
				// source-location when it has one, else against where the
				// catalog read it (managed-by-location, which the catalog
				// sets: a value in the file is replaced).
				typ, target, _ := strings.Cut(p.Value.Text, ":")
				isDir := strings.TrimSpace(typ) == "dir" && techdocs.RefForm(p.Value.Text) == nil
				src := anns.GetString(techdocs.SourceLocation)
				var out2 []diag.Diagnostic
				resolved := ""
				if isDir && strings.TrimSpace(src) != "" && !strings.HasPrefix(strings.TrimSpace(target), "/") {
					dir, at, here := techdocs.SourceDir(src, target, catalogAbs, repo)
					if !here {
						out = append(out, diag.Diagnostic{Pos: d.File.Pos(p.Value.Span), Severity: diag.Notice, Rule: RuleTechDocs, Entity: ref,
							Message: fmt.Sprintf("backstage.io/techdocs-ref %q is read relative to backstage.io/source-location (%s): TechDocs reads %s, not a folder of this repository, so the docs there are not checked", p.Value.Text, strings.TrimSpace(src), at)})
						continue
					}
					resolved = dir
					// TechDocs reads another folder than the one the
					// reference names from this file: said, unless it is
					// this file's own folder (dir:./web against …/web).
					if naive := filepath.Join(filepath.Dir(catalogAbs), filepath.FromSlash(strings.TrimSpace(target))); filepath.Clean(dir) != filepath.Clean(naive) && filepath.Clean(dir) != filepath.Dir(catalogAbs) {
						shown := techdocs.Rel(repo, dir)
						out2 = append(out2, diag.Diagnostic{Pos: d.File.Pos(p.Value.Span), Severity: diag.Warning, Rule: RuleTechDocs, Entity: ref,
							Message:    fmt.Sprintf("backstage.io/techdocs-ref %q is read relative to backstage.io/source-location (%s), which has no trailing slash, so TechDocs reads %s/ (%s), not the folder beside this file", p.Value.Text, strings.TrimSpace(src), shown, at),
							Suggestion: "end backstage.io/source-location with a slash"})
					}
				}
				sugg := ""
				if m := anns.GetString(techdocs.ManagedByLocation); isDir && strings.TrimSpace(src) == "" && strings.HasPrefix(strings.TrimSpace(m), "url:") {
					if folder := techdocs.SourceFolder(m); !sourceHere(folder, catalogAbs, repo) {
						sugg = fmt.Sprintf("the catalog replaces backstage.io/managed-by-location with where it reads this file, so TechDocs looks beside it; to have TechDocs read the docs of the repository it names, set backstage.io/source-location: %s", folder)
					}
				}
				out = append(out, out2...)
				for _, tp := range opts.DocsCache.CheckRefAt(p.Value.Text, catalogAbs, repo, resolved) {
					pos := d.File.Pos(p.Value.Span)
					if tp.Line > 0 {
						pos = diag.Pos{File: showPath(tp.File, catalogAbs, d.File.Path), Line: tp.Line, Column: max(tp.Column, 1)}
						pos.EndLine, pos.EndColumn = pos.Line, pos.Column+1
					}
					dg := diag.Diagnostic{Pos: pos, Severity: severityOf(tp.Severity), Rule: RuleTechDocs, Entity: ref, Message: tp.Message}
					if dg.Severity == diag.Error {
						dg.Suggestion = sugg
					}
					out = append(out, dg)
				}
				continue
			case "backstage.io/techdocs-entity":
				if sel.Enabled(RuleTechDocs) {
					if err := techdocs.CheckEntityRef(p.Value.Text); err != nil {
						out = append(out, diag.Diagnostic{Pos: d.File.Pos(p.Value.Span), Severity: diag.Error, Rule: RuleTechDocs, Entity: ref, Message: "backstage.io/techdocs-entity: " + err.Error()})
					}
				}
				continue
			}
			if !sel.Enabled(RuleAnnotationFormat) || templateRe.MatchString(p.Value.Text) {
				continue
			}
			reg := opts.Annotations
			if reg == nil {
				reg = annotations.Default()
			}
			if ok, expected := reg.Check(p.Key, p.Value.Text); !ok {
				out = append(out, diag.Diagnostic{Pos: d.File.Pos(p.Value.Span), Severity: diag.Warning, Rule: RuleAnnotationFormat, Entity: ref,
					Message: fmt.Sprintf("annotation %s %s is not valid; expected %s", p.Key, quoteVal(p.Value.Text), expected)})
			}
		}
	}
	// A site with no docs at all is one error, not also a warning that
	// TechDocs would generate its config.
	return sel.adjust(dropShadowed(out)), state
}

// checkProvidedAPIs reports, on each providesApis entry, an API whose
// definition is missing, empty or broken: the API explorer shows nothing.
func checkProvidedAPIs(uses []refUse, apis map[string]*apiState, sel *Selection) []diag.Diagnostic {
	if !sel.Enabled(RuleAPIProvided) {
		return nil
	}
	var out []diag.Diagnostic
	for i := range uses {
		u := &uses[i]
		if u.rel.Relation != entity.RelProvidesAPI {
			continue
		}
		r, err := parseUse(u)
		if err != nil {
			continue
		}
		st, ok := apis[r.String()]
		if !ok || st.problem == "" {
			continue
		}
		out = append(out, diag.Diagnostic{Pos: u.pos, Severity: diag.Warning, Rule: RuleAPIProvided, Entity: u.from,
			Message: fmt.Sprintf("%s: the definition of %s %s (%s), so its API page may show an error or no spec", u.fieldPath(), r, st.problem, st.where)})
	}
	return out
}

// sourceHere tells whether a source-location names the folder of the
// catalog file (techdocs.SourceDir of dir:.).
func sourceHere(loc, catalogAbs, repo string) bool {
	_, _, here := techdocs.SourceDir(loc, ".", catalogAbs, repo)
	return here
}
