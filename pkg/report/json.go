package report

import (
	"encoding/json"
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

type jsonReport struct {
	Version     int          `json:"version"`
	Diagnostics []jsonDiag   `json:"diagnostics"`
	Entities    []jsonEntity `json:"entities"`
	Summary     Summary      `json:"summary"`
}

// JSON writes the result as one JSON document.
func JSON(w io.Writer, r *lint.Result) error {
	out := jsonReport{Version: JSONVersion, Diagnostics: []jsonDiag{}, Entities: []jsonEntity{}, Summary: Summarize(r)}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, toJSONDiag(d))
	}
	for _, e := range r.Entities {
		out.Entities = append(out.Entities, jsonEntity{File: e.File, Document: e.Document, Line: e.Line, Ref: e.Ref, Kind: e.Kind, Valid: e.Valid()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func toJSONDiag(d diag.Diagnostic) jsonDiag {
	return jsonDiag{File: d.File, Line: d.Line, Column: d.Column, EndLine: d.EndLine, EndColumn: d.EndColumn,
		Severity: d.Severity.String(), Rule: d.Rule, Entity: d.Entity, Message: d.Message, Suggestion: d.Suggestion, Baseline: d.Baseline}
}
