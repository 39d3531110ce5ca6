package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// TextOptions control the text format.
type TextOptions struct {
	// Color adds ANSI colours.
	Color bool
	// NoSnippet leaves out the source line and marker.
	NoSnippet bool
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	gray   = "\x1b[90m"
	green  = "\x1b[32m"
	reset  = "\x1b[0m"
)

// Text writes one diagnostic per block, compiler style:
//
//	catalog-info.yaml:4:9: error: metadata.name "my service" is not valid; … [format]
//	   4 |   name: my service
//	     |         ^~~~~~~~~~
//	     = use "my-service"
//
// and a closing summary line.
func Text(w io.Writer, r *lint.Result, o TextOptions) error {
	c := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + reset
	}
	lines := map[string][][]byte{}
	var b bytes.Buffer
	for _, d := range r.Diagnostics {
		sev := d.Severity.String()
		switch d.Severity {
		case diag.Error:
			sev = c(red+bold, sev)
		case diag.Warning:
			sev = c(yellow+bold, sev)
		default:
			sev = c(cyan, sev)
		}
		tag := "[" + SafeLine(d.Rule) + "]"
		if d.Baseline {
			tag += " (baseline)"
		}
		// Paths, messages, snippets and suggestions hold catalog content:
		// SafeLine keeps each on its line and out of the terminal's reach.
		fmt.Fprintf(&b, "%s: %s: %s %s\n", c(bold, SafeLine(d.Pos.String())), sev, SafeLine(d.Message), c(gray, tag))
		if !o.NoSnippet && d.Line > 0 {
			src, ok := r.Sources[d.File]
			if ok {
				ls, ok := lines[d.File]
				if !ok {
					ls = bytes.Split(src, []byte("\n"))
					lines[d.File] = ls
				}
				if d.Line-1 < len(ls) {
					writeSnippet(&b, string(bytes.TrimRight(ls[d.Line-1], "\r")), d, c)
				}
			}
		}
		if d.Suggestion != "" {
			fmt.Fprintf(&b, "%s %s\n", c(gray, gutter(d.Line)+"="), c(green, SafeLine(d.Suggestion)))
		}
	}
	s := Summarize(r)
	summary := fmt.Sprintf("%s, %s, %s in %s (%s)", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notices, "notice"), plural(s.Files, "file"), plural(s.Entities, "document"))
	if len(r.Templates) > 0 {
		summary += "; " + templatesLine(r.Templates)
	}
	if s.Errors > 0 {
		summary = c(red+bold, summary)
	} else {
		summary = c(green, summary)
	}
	if len(r.Diagnostics) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(summary + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

// templatesLine sums up the golden paths: how many Templates were rendered,
// the catalog files their skeletons gave, and how many of the Templates
// render a file with an error.
func templatesLine(ts []lint.TemplateRender) string {
	files, failing, unfollowed := 0, 0, 0
	for _, t := range ts {
		files += t.Files
		unfollowed += t.Unfollowed
		if t.Errors > 0 {
			failing++
		}
	}
	s := fmt.Sprintf("golden paths: %s, %s rendered", plural(len(ts), "template"), plural(files, "catalog file"))
	if failing > 0 {
		s += fmt.Sprintf(", %d template(s) failing", failing)
	}
	if unfollowed > 0 {
		s += fmt.Sprintf(", %s not followed (remote or templated url)", plural(unfollowed, "fetch step"))
	}
	return s
}

func gutter(line int) string {
	return strings.Repeat(" ", len(fmt.Sprint(line))+2)
}

// writeSnippet prints the source line and a ^~~~ marker under the range.
// Tabs before the marker are kept so it lines up in a terminal.
func writeSnippet(b *bytes.Buffer, line string, d diag.Diagnostic, c func(string, string) string) {
	const maxLine = 200
	runes := []rune(SafeLine(line)) // one rune for one: the marker lines up
	start := d.Column - 1
	if start < 0 || start > len(runes) {
		return
	}
	end := start + 1
	if d.EndLine == d.Line && d.EndColumn-1 > start {
		end = min(d.EndColumn-1, len(runes))
	} else if d.EndLine > d.Line {
		end = len(runes)
	}
	if end <= start {
		end = start + 1
	}
	// Long lines are cut around the marker.
	offset := 0
	if len(runes) > maxLine {
		offset = max(0, start-maxLine/2)
		runes = runes[offset:min(len(runes), offset+maxLine)]
		start -= offset
		end = min(end-offset, len(runes)+1)
	}
	var pad strings.Builder
	for _, r := range runes[:min(start, len(runes))] {
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteRune(' ')
		}
	}
	marker := "^" + strings.Repeat("~", max(0, end-start-1))
	num := fmt.Sprint(d.Line)
	fmt.Fprintf(b, "%s %s %s\n", c(gray, " "+num), c(gray, "|"), string(runes))
	fmt.Fprintf(b, "%s %s %s%s\n", strings.Repeat(" ", len(num)+1), c(gray, "|"), pad.String(), c(bold, marker))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
