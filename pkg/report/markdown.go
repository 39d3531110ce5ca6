package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// GitHub's limits on what Markdown holds; MaxBytes counts bytes, which are
// never fewer than characters, so these are safe as MaxBytes.
const (
	// MarkdownCommentLimit is the most characters a pull request or issue
	// comment may have.
	MarkdownCommentLimit = 65536
	// MarkdownSummaryLimit is the most a step summary ($GITHUB_STEP_SUMMARY)
	// may have: 1 MiB.
	MarkdownSummaryLimit = 1 << 20
)

// MarkdownOptions control the Markdown format.
type MarkdownOptions struct {
	// MaxBytes, when above 0, bounds the size of the output: diagnostics
	// (and table rows) that do not fit are left out, and a last line says
	// how many ("… 12 more diagnostics not shown"). The heading is always
	// written, so a bound below a few hundred bytes cannot be kept.
	MaxBytes int
	// FailOnWarning makes warnings fail the run, as --fail-on warning does:
	// the heading shows ❌ when there are warnings.
	FailOnWarning bool
	// Failed, when not nil, is the run's verdict as the exit code gives it
	// (--new-from-rev, --min-score): the heading says it, whatever the
	// counts.
	Failed *bool
	// Baseline is the --new-from-rev revision ("" for none): the heading
	// then also counts the findings new against it, which alone fail.
	Baseline string
}

// Markdown writes the result for a pull request comment or a job summary:
// a heading that says whether the check passed, with the counts; a table of
// the entities with errors or warnings (entity, file:line, errors,
// warnings); then every diagnostic, grouped by file, with its position,
// rule (linked to docs/rules.md) and suggestion.
//
// Everything that comes from the checked files (messages quote names,
// descriptions and values; entity references; paths) is escaped so that it
// renders as the text it is and cannot add markup, links, HTML, mentions or
// references:
//
//   - paths and entity references are code spans, which GitHub does not
//     scan for mentions, references or links;
//   - messages and suggestions are text with every character that can start
//     inline markup backslash-escaped (\ ` * _ ~ [ ] ( ) < > & | $ # ! { }),
//     so no emphasis, link, image, autolink, HTML, entity, table cell or
//     math;
//   - GitHub finds @mentions, #references and bare URLs in the rendered
//     text, after escapes are gone, so those are broken with an invisible
//     U+200D ZERO WIDTH JOINER: "@\u200dname", "#\u200d12", "https:\u200d//",
//     "www\u200d.". The text reads the same; a copied name carries the
//     joiner;
//   - line breaks in a value become " ↵ ", so it cannot end a table row or
//     list item and start a block of its own; other control characters
//     become U+FFFD.
func Markdown(w io.Writer, r *lint.Result, o MarkdownOptions) error {
	files, run := groupResult(r)
	s := Summarize(r)
	failed := s.Errors > 0 || (o.FailOnWarning && s.Warnings > 0)
	if o.Failed != nil {
		failed = *o.Failed
	}

	var head strings.Builder
	icon, verdict := "✅", "passed"
	if failed {
		icon, verdict = "❌", "failed"
	}
	fmt.Fprintf(&head, "### %s catalint %s\n\n", icon, verdict)
	fmt.Fprintf(&head, "%s, %s, %s in %s (%s).\n", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notices, "notice"), plural(s.Files, "file"), plural(s.Entities, "document"))
	if o.Baseline != "" {
		newErr, newWarn := lint.CountNew(r.Diagnostics)
		fmt.Fprintf(&head, "\nNew against %s, which alone can fail this check: %s, %s.\n", mdCode(o.Baseline), plural(newErr, "error"), plural(newWarn, "warning"))
	}

	// The body is made of pieces that are written whole or not at all.
	type piece struct {
		text  string
		diags int // diagnostics it shows
		row   bool
	}
	var pieces []piece
	var rows []piece
	for _, f := range files {
		for _, d := range f.Docs {
			e, wn, _ := diag.Count(d.Diags)
			if e+wn == 0 {
				continue
			}
			rows = append(rows, piece{text: fmt.Sprintf("| %s | %s | %d | %d |\n", mdCell(mdEntity(d)), mdCell(mdCode(fmt.Sprintf("%s:%d", f.Path, d.Entity.Line))), e, wn), row: true})
		}
		if e, wn, _ := diag.Count(f.Loose); e+wn > 0 {
			rows = append(rows, piece{text: fmt.Sprintf("| %s | %s | %d | %d |\n", "file", mdCell(mdCode(f.Path)), e, wn), row: true})
		}
	}
	if len(rows) > 0 {
		// A heading is written with the first row or item under it.
		rows[0].text = "\n| entity | file:line | errors | warnings |\n| --- | --- | ---: | ---: |\n" + rows[0].text
		pieces = append(pieces, rows...)
	}
	section := func(title string, ds []diag.Diagnostic) {
		for i, d := range ds {
			p := piece{text: mdItem(d), diags: 1}
			if i == 0 {
				p.text = "\n#### " + title + "\n\n" + p.text
			}
			pieces = append(pieces, p)
		}
	}
	for _, f := range files {
		var ds []diag.Diagnostic
		for _, d := range f.Docs {
			ds = append(ds, d.Diags...)
		}
		ds = append(ds, f.Loose...)
		ds = diag.Sort(ds)
		section(mdCode(f.Path), ds)
	}
	section("Whole run", run)

	total, totalRows := 0, 0
	for _, p := range pieces {
		total += p.diags
		if p.row {
			totalRows++
		}
	}
	shown, shownRows := 0, 0
	var body strings.Builder
	body.WriteString(head.String())
	note := func(diags, rows int) string {
		var n strings.Builder
		if rows > 0 {
			fmt.Fprintf(&n, "\n… %d more %s not shown in the table.\n", rows, pluralWord(rows, "entity", "entities"))
		}
		if diags > 0 {
			fmt.Fprintf(&n, "\n… %d more %s not shown.\n", diags, pluralWord(diags, "diagnostic", "diagnostics"))
		}
		return n.String()
	}
	cut := false
	for i, p := range pieces {
		if o.MaxBytes > 0 {
			restRows := totalRows - shownRows
			if p.row {
				restRows--
			}
			// Room for this piece and the note that may follow it.
			need := body.Len() + len(p.text) + len(note(total-shown-p.diags, restRows))
			if i == len(pieces)-1 {
				need = body.Len() + len(p.text)
			}
			if need > o.MaxBytes {
				cut = true
				break
			}
		}
		body.WriteString(p.text)
		shown += p.diags
		if p.row {
			shownRows++
		}
	}
	if cut {
		body.WriteString(note(total-shown, totalRows-shownRows))
	}
	_, err := io.WriteString(w, body.String())
	return err
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func mdEntity(d docGroup) string {
	if d.Entity.Ref != "" {
		return mdCode(d.Entity.Ref)
	}
	return fmt.Sprintf("document %d", d.Entity.Document)
}

// mdItem is one diagnostic as a list item:
//
//   - ❌ **error** `10:3` missing required field … ([`schema`](…#schema))
//   - 💡 did you mean …
func mdItem(d diag.Diagnostic) string {
	var b strings.Builder
	switch d.Severity {
	case diag.Error:
		b.WriteString("- ❌ **error**")
	case diag.Warning:
		b.WriteString("- ⚠️ **warning**")
	default:
		b.WriteString("- ℹ️ **notice**")
	}
	if d.File != "" && d.Line > 0 {
		pos := fmt.Sprint(d.Line)
		if d.Column > 0 {
			pos += fmt.Sprintf(":%d", d.Column)
		}
		b.WriteString(" " + mdCode(pos))
	}
	b.WriteString(" " + mdText(d.Message))
	if _, ok := lint.RuleByID(d.Rule); ok {
		fmt.Fprintf(&b, " ([%s](%s))", mdCode(d.Rule), RuleHelpURI(d.Rule))
	} else {
		fmt.Fprintf(&b, " (%s)", mdCode(d.Rule))
	}
	b.WriteString("\n")
	if d.Suggestion != "" {
		b.WriteString("  - 💡 " + mdText(d.Suggestion) + "\n")
	}
	return b.String()
}

var (
	mdLineBreaks = strings.NewReplacer("\r\n", " ↵ ", "\r", " ↵ ", "\n", " ↵ ", "\u2028", " ↵ ", "\u2029", " ↵ ", "\u0085", " ↵ ")
	// mdLinkish are where GitHub would see a link of its own: a URL
	// ("scheme://", "www."), a "GH-12" reference, or a commit hash (7 to 40
	// hex digits with a letter among them).
	mdLinkish = regexp.MustCompile(`(?i)(:)(//)|(www)(\.)|\b(gh)(-[0-9])|\b([0-9a-f]{6})([0-9a-f]{1,34})\b`)
)

// mdClean turns line breaks into " ↵ " and other control characters into
// U+FFFD.
func mdClean(s string) string {
	s = mdLineBreaks.Replace(s)
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// mdText escapes a value for Markdown text (see Markdown).
func mdText(s string) string {
	s = mdClean(s)
	s = mdLinkish.ReplaceAllStringFunc(s, breakLinkish)
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '\\', '`', '*', '_', '~', '[', ']', '(', ')', '<', '>', '&', '|', '$', '!', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '#':
			b.WriteString("\\#\u200d")
		case '@':
			b.WriteString("@\u200d")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// breakLinkish puts a zero width joiner inside what mdLinkish matched.
func breakLinkish(m string) string {
	switch {
	case m == "://":
		return ":\u200d//"
	case strings.EqualFold(m, "www."):
		return m[:3] + "\u200d."
	case len(m) > 2 && m[2] == '-':
		return m[:2] + "\u200d" + m[2:]
	case strings.IndexFunc(m, func(r rune) bool { return r > '9' }) < 0:
		return m // only digits: a number, not a commit
	}
	return m[:6] + "\u200d" + m[6:]
}

// mdCode writes a value as a code span: a run of backticks longer than any
// in the value, and a space inside each end when the value starts or ends
// with a backtick or a space.
func mdCode(s string) string {
	s = mdClean(s)
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdCell makes text safe in a table cell: GitHub splits cells at every
// unescaped "|", even inside code spans, and reads "\|" there as "|".
func mdCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
