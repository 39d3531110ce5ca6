// Package report writes the result of a check in each output format.
package report

import (
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// Summary counts what a run checked and found.
type Summary struct {
	Files    int `json:"files"`
	Entities int `json:"entities"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notices  int `json:"notices"`
}

// Summarize counts a result.
func Summarize(r *lint.Result) Summary {
	e, w, n := diag.Count(r.Diagnostics)
	return Summary{Files: r.Files, Entities: len(r.Entities), Errors: e, Warnings: w, Notices: n}
}

// Formats lists the output formats.
var Formats = []string{"text", "json", "github", "sarif", "junit", "markdown"}
