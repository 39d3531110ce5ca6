package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// JSONVersion is the version of the JSON output's shape; it changes only
// when a field is removed or changes meaning.
const JSONVersion = 1

type jsonEntity struct {
	File     string `json:"file"`
	Document int    `json:"document"`
	Line     int    `json:"line"`
	Ref      string `json:"ref"`
	Kind     string `json:"kind"`
	Valid    bool   `json:"valid"`
	// TemplateSource marks a document that holds template expressions:
	// valid tells whether Backstage would accept it as it stands, and
	// its problems are not reported (one template-source notice is).
	TemplateSource bool `json:"templateSource,omitempty"`
}

// jsonTemplate is a scaffolder Template whose skeleton was rendered
// (golden paths): what it fetched and what its rendered catalog files gave.
type jsonTemplate struct {
	File       string `json:"file"`
	Name       string `json:"name"`
	Steps      int    `json:"steps"`
	Unfollowed int    `json:"unfollowed"`
	Files      int    `json:"files"`
	Errors     int    `json:"errors"`
	Warnings   int    `json:"warnings"`
	Unknown    int    `json:"unknownValues"`
}

type jsonDiag struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"endLine"`
	EndColumn  int    `json:"endColumn"`
	Severity   string `json:"severity"`
	Rule       string `json:"rule"`
	Entity     string `json:"entity"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
	Baseline   bool   `json:"baseline,omitempty"`
}

// JSON writes the result as one JSON document: one line per diagnostic and
// per entity, which reads and greps well and is written without a second
// pass over the whole output to indent it.
func JSON(w io.Writer, r *lint.Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// line encodes v compactly (Encode ends it with a line break).
	line := func(prefix string, v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		bw.WriteString(prefix)
		bw.Write(jsonSafe(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
		return nil
	}
	list := func(name string, n int, item func(i int) any) error {
		if n == 0 {
			fmt.Fprintf(bw, "  %q: [],\n", name)
			return nil
		}
		fmt.Fprintf(bw, "  %q: [\n", name)
		for i := 0; i < n; i++ {
			if err := line("    ", item(i)); err != nil {
				return err
			}
			if i < n-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ],\n")
		return nil
	}
	fmt.Fprintf(bw, "{\n  \"version\": %d,\n", JSONVersion)
	if err := list("diagnostics", len(r.Diagnostics), func(i int) any { return toJSONDiag(r.Diagnostics[i]) }); err != nil {
		return err
	}
	if err := list("entities", len(r.Entities), func(i int) any {
		e := r.Entities[i]
		return jsonEntity{File: e.File, Document: e.Document, Line: e.Line, Ref: e.Ref, Kind: e.Kind, Valid: e.Valid(), TemplateSource: e.TemplateSource}
	}); err != nil {
		return err
	}
	if len(r.Templates) > 0 {
		if err := list("templates", len(r.Templates), func(i int) any {
			t := r.Templates[i]
			return jsonTemplate{File: t.File, Name: t.Name, Steps: t.Steps, Unfollowed: t.Unfollowed, Files: t.Files, Errors: t.Errors, Warnings: t.Warnings, Unknown: t.Unknown}
		}); err != nil {
			return err
		}
	}
	if err := line("  \"summary\": ", Summarize(r)); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func toJSONDiag(d diag.Diagnostic) jsonDiag {
	return jsonDiag{File: d.File, Line: d.Line, Column: d.Column, EndLine: d.EndLine, EndColumn: d.EndColumn,
		Severity: d.Severity.String(), Rule: d.Rule, Entity: d.Entity, Message: d.Message, Suggestion: d.Suggestion, Baseline: d.Baseline}
}
