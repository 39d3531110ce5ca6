// Package diag is the shared vocabulary of catalint: source positions,
// severities and diagnostics. It imports nothing else of catalint's.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a range in a source file. Lines and columns are 1-based; a zero
// Line means the position is the whole file. Columns count Unicode
// characters, as editors and GitHub annotations do.
type Pos struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

func (p Pos) String() string {
	if p.File == "" {
		return "catalint"
	}
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Severity orders how much a diagnostic matters.
type Severity int

const (
	// Notice is information: something was not verified, or is worth knowing.
	Notice Severity = iota
	// Warning is a problem that does not fail the run by default.
	Warning
	// Error fails the run.
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "notice"
	}
}

// ParseSeverity turns "error", "warning" or "notice" into a Severity.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "notice", "info":
		return Notice, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or notice)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one finding.
type Diagnostic struct {
	Pos
	Severity Severity `json:"severity"`
	// Rule is the id of the rule that found it, e.g. "schema" or "name-format".
	Rule string `json:"rule"`
	// Entity is the entity ref ("component:default/foo") when known.
	Entity string `json:"entity,omitempty"`
	// Message says what is wrong: the field, what was expected, what was found.
	Message string `json:"message"`
	// Suggestion is a likely fix ("did you mean …"), when there is one.
	Suggestion string `json:"suggestion,omitempty"`
	// Baseline is true when the baseline revision (--new-from-rev)
	// already had this finding: it is reported but does not fail the run.
	Baseline bool `json:"baseline,omitempty"`
}

func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s [%s]", d.Pos, d.Severity, d.Message, d.Rule)
	if d.Suggestion != "" {
		s += " (" + d.Suggestion + ")"
	}
	return s
}

// Compare orders diagnostics by file, line, column, rule, message; those
// about the whole run (no file) come last.
func Compare(a, b Diagnostic) int {
	if (a.File == "") != (b.File == "") {
		if a.File == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.EndLine, b.EndLine),
		cmp.Compare(a.EndColumn, b.EndColumn),
		cmp.Compare(a.Entity, b.Entity),
		cmp.Compare(a.Suggestion, b.Suggestion),
		boolCmp(a.Baseline, b.Baseline),
	)
}

// Sort sorts diagnostics in place and removes exact duplicates.
func Sort(ds []Diagnostic) []Diagnostic {
	slices.SortFunc(ds, Compare)
	return slices.CompactFunc(ds, func(a, b Diagnostic) bool { return a == b })
}

// Count returns the number of errors, warnings and notices.
func Count(ds []Diagnostic) (errors, warnings, notices int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			notices++
		}
	}
	return
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
