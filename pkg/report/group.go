package report

import (
	"fmt"
	"sort"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// RulesDocURL is where docs/rules.md is published; each rule is a
// "## `id`" section there.
const RulesDocURL = "https://github.com/catalint-dev/catalint/blob/main/docs/rules.md"

// RuleHelpURI is the address of a rule's section in docs/rules.md. GitHub
// slugs a heading from its text content, so the heading "`unresolved-ref`"
// (only inline code) gets the anchor "unresolved-ref": lower case, the
// backticks are markup and not text, and hyphens stay.
func RuleHelpURI(id string) string {
	return RulesDocURL + "#" + id
}

// withSuggestion is the message followed by the suggestion, as
// diag.Diagnostic.String writes them.
func withSuggestion(d diag.Diagnostic) string {
	if d.Suggestion == "" {
		return d.Message
	}
	return d.Message + " (" + d.Suggestion + ")"
}

// fileGroup is one checked file: its documents and its diagnostics, each
// diagnostic given to the document it is about.
type fileGroup struct {
	Path string
	Docs []docGroup
	// Loose are the diagnostics of a file that has no documents.
	Loose []diag.Diagnostic
}

// docGroup is one document of a file.
type docGroup struct {
	Entity lint.Entity
	Diags  []diag.Diagnostic
}

// Name is the entity reference, or "document N" when the document has none.
func (d docGroup) Name() string {
	if d.Entity.Ref != "" {
		return d.Entity.Ref
	}
	return fmt.Sprintf("document %d", d.Entity.Document)
}

// groupResult sorts a result into files, documents and the diagnostics that
// are about the whole run (no file). A diagnostic goes to the document of
// the same file whose entity reference it names; failing that, to the
// document its line is in (the last one starting at or before it); a
// file-level diagnostic (line 0) goes to the first document.
func groupResult(r *lint.Result) (files []*fileGroup, run []diag.Diagnostic) {
	byPath := map[string]*fileGroup{}
	get := func(p string) *fileGroup {
		g, ok := byPath[p]
		if !ok {
			g = &fileGroup{Path: p}
			byPath[p] = g
			files = append(files, g)
		}
		return g
	}
	for _, p := range r.Paths {
		get(p)
	}
	for _, e := range r.Entities {
		g := get(e.File)
		g.Docs = append(g.Docs, docGroup{Entity: e})
	}
	for _, g := range files {
		sort.SliceStable(g.Docs, func(i, j int) bool { return g.Docs[i].Entity.Document < g.Docs[j].Entity.Document })
	}
	for _, d := range r.Diagnostics {
		if d.File == "" {
			run = append(run, d)
			continue
		}
		g := get(d.File)
		if len(g.Docs) == 0 {
			g.Loose = append(g.Loose, d)
			continue
		}
		i := docIndex(g.Docs, d)
		g.Docs[i].Diags = append(g.Docs[i].Diags, d)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, run
}

func docIndex(docs []docGroup, d diag.Diagnostic) int {
	if d.Entity != "" {
		match := -1
		for i, doc := range docs {
			if doc.Entity.Ref == d.Entity {
				if match < 0 || (doc.Entity.Line <= d.Line && d.Line > 0) {
					match = i
				}
			}
		}
		if match >= 0 {
			return match
		}
	}
	at := 0
	for i, doc := range docs {
		if d.Line > 0 && doc.Entity.Line <= d.Line {
			at = i
		}
	}
	return at
}
