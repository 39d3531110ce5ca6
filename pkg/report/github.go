package report

import (
	"bufio"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// GitHub writes one GitHub Actions workflow command per diagnostic, which
// the runner turns into an annotation on the file and line:
//
//	::error file=catalog-info.yaml,line=10,col=3,endLine=10,endColumn=11,title=catalint (schema)::missing required field "lifecycle" in spec (did you mean …?)
//
// The command is ::error, ::warning or ::notice by severity. A diagnostic
// about a whole file (line 0) has only the file property; one about the
// whole run (no file) has no file or position at all. Paths are written as
// the diagnostics give them (relative to the working directory, which in a
// workflow is the repository root), with forward slashes.
//
// Values are escaped as @actions/core does (escapeData and escapeProperty in
// packages/core/src/command.ts), which is what the runner unescapes: in the
// message % CR LF become %25 %0D %0A; in properties : and , also become %3A
// and %2C. So no message can end the command early or start another one.
func GitHub(w io.Writer, r *lint.Result) error {
	return GitHubWith(w, r, GitHubOptions{})
}

// GitHubOptions tell GitHubWith which findings fail the run, so that an
// annotation's level agrees with the verdict: ::error is written for what
// fails the check and for nothing else.
type GitHubOptions struct {
	// FailOnWarning is --fail-on warning: a warning fails the run, so it
	// is annotated ::error, its message starting "warning (fails with
	// --fail-on warning): ".
	FailOnWarning bool
	// Baseline is the --new-from-rev revision ("" for none). A finding it
	// already had (Diagnostic.Baseline) does not fail the run: an error is
	// annotated ::warning, its message starting "already on REV, does not
	// fail this check: ".
	Baseline string
}

// GitHubWith writes the annotations like GitHub, each at the level the
// verdict gives it (see GitHubOptions).
func GitHubWith(w io.Writer, r *lint.Result, o GitHubOptions) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		bw.WriteString(githubCommand(annotationLevel(d, o)))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// annotationLevel returns d as it is to be annotated: ::error only when it
// fails the run.
func annotationLevel(d diag.Diagnostic, o GitHubOptions) diag.Diagnostic {
	old := o.Baseline != "" && d.Baseline
	switch {
	case d.Severity == diag.Error && old:
		d.Severity = diag.Warning
		d.Message = "already on " + o.Baseline + ", does not fail this check: " + d.Message
	case d.Severity == diag.Warning && o.FailOnWarning && !old:
		d.Severity = diag.Error
		d.Message = "warning (fails with --fail-on warning): " + d.Message
	}
	return d
}

func githubCommand(d diag.Diagnostic) string {
	var b strings.Builder
	b.WriteString("::")
	switch d.Severity {
	case diag.Error:
		b.WriteString("error")
	case diag.Warning:
		b.WriteString("warning")
	default:
		b.WriteString("notice")
	}
	b.WriteByte(' ')
	prop := func(k, v string) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escapeProperty(v))
		b.WriteByte(',')
	}
	num := func(k string, n int) {
		if n > 0 {
			prop(k, strconv.Itoa(n))
		}
	}
	if d.File != "" {
		prop("file", filepath.ToSlash(d.File))
		if d.Line > 0 {
			num("line", d.Line)
			num("col", d.Column)
			if d.EndLine >= d.Line {
				num("endLine", d.EndLine)
				if d.EndLine > d.Line || d.EndColumn > d.Column {
					num("endColumn", d.EndColumn)
				}
			}
		}
	}
	b.WriteString("title=")
	b.WriteString(escapeProperty("catalint (" + d.Rule + ")"))
	b.WriteString("::")
	b.WriteString(escapeData(withSuggestion(d)))
	return b.String()
}

// EscapeWorkflowData escapes a workflow command's message (::notice::…).
func EscapeWorkflowData(s string) string { return escapeData(s) }

// escapeData escapes a workflow command's message like @actions/core's
// escapeData, after safeBreaks: the runner writes the message to the log,
// where an escape sequence would colour or hide text and U+202E turn it
// around (line breaks stay, escaped, and are line breaks of the annotation).
func escapeData(s string) string {
	return dataEscaper.Replace(safeBreaks(s))
}

// escapeProperty escapes a workflow command's property value like
// @actions/core's escapeProperty, after safeBreaks.
func escapeProperty(s string) string {
	return propertyEscaper.Replace(safeBreaks(s))
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
