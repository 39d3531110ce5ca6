package gh

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// CommentInput is what the pull request comment says.
type CommentInput struct {
	// Marker is the hidden first line (DefaultMarker when "").
	Marker string
	// Result is the check's result.
	Result *lint.Result
	// Failed is the run's verdict (errors, --fail-on warning,
	// --min-score): the caller's exit status decides it, so that the
	// comment and the check agree.
	Failed bool
	// FailOnWarning says warnings fail the run (--fail-on warning).
	FailOnWarning bool
	// Baseline names the base the run compared with (--new-from-rev), ""
	// for none: then only findings not marked Baseline fail the run, and
	// the score change is "against Baseline".
	Baseline string
	// Scores are the completeness scores of the checked entities (nil: no
	// completeness); BaseScore is the aggregate on the base (nil:
	// unknown, no change shown).
	Scores    []score.Entity
	BaseScore *score.Aggregate
	// MinScore is --min-score (0: none).
	MinScore float64
	// Command is how to run the same check locally ("catalint check"
	// when "").
	Command string
	// Commit is the checked commit (shown short), RunURL the workflow
	// run's address (https only), Version catalint's version.
	Commit, RunURL, Version string
	// MaxBytes bounds the body (CommentLimit when 0).
	MaxBytes int
}

// CommentBody writes the pull request comment: the marker; pass or fail
// with the counts; the completeness score and its change against the base
// ("72.0 → 80.0 (+8.0)"); a table of the entities with errors or warnings
// (new ones first); what to do; every diagnostic and the completeness to-do
// list, folded. Everything taken from the checked files (names, paths,
// messages, descriptions quoted in them) is escaped as the markdown format
// escapes it, so it cannot add mentions, links, images, HTML or table
// cells. The body stays under MaxBytes (65,536): rows and items that do not
// fit are left out, and a line says how many.
func CommentBody(in CommentInput) string {
	max := in.MaxBytes
	if max <= 0 || max > CommentLimit {
		max = CommentLimit
	}
	marker := in.Marker
	if marker == "" {
		marker = DefaultMarker
	}
	r := in.Result
	if r == nil {
		r = &lint.Result{}
	}
	ds := slices.Clone(r.Diagnostics)
	ds = diag.Sort(ds)
	baseline := in.Baseline != ""
	sum := report.Summarize(r)
	newErr, newWarn := sum.Errors, sum.Warnings
	if baseline {
		newErr, newWarn = lint.CountNew(ds)
	}

	// Head: always written.
	var head strings.Builder
	head.WriteString(marker + "\n")
	if in.Failed {
		head.WriteString("### ❌ catalint failed\n\n")
	} else {
		head.WriteString("### ✅ catalint passed\n\n")
	}
	counts := fmt.Sprintf("%s, %s, %s in %s (%s).", countNew(sum.Errors, newErr, "error", "errors", baseline), countNew(sum.Warnings, newWarn, "warning", "warnings", baseline),
		plural(sum.Notices, "notice", "notices"), plural(sum.Files, "file", "files"), plural(sum.Entities, "document", "documents"))
	head.WriteString(counts + "\n")
	var now score.Aggregate
	if in.Scores != nil {
		now = score.Summarize("now", in.Scores)
		head.WriteString("\n**Completeness:** mean score ")
		if in.BaseScore != nil {
			fmt.Fprintf(&head, "**%.1f → %.1f (%+.1f)**", in.BaseScore.MeanScore, now.MeanScore, round1(now.MeanScore-in.BaseScore.MeanScore))

			if baseline {
				head.WriteString(" against " + report.MarkdownCode(in.Baseline))
			}
			fmt.Fprintf(&head, "; %.1f%% → %.1f%% of %s complete", in.BaseScore.CompletePercent, now.CompletePercent, plural(now.Entities, "entity", "entities"))
		} else {
			fmt.Fprintf(&head, "**%.1f**; %.1f%% of %s complete", now.MeanScore, now.CompletePercent, plural(now.Entities, "entity", "entities"))
		}
		if in.MinScore > 0 {
			fmt.Fprintf(&head, " (minimum %.1f)", in.MinScore)
		}
		head.WriteString(".\n")
	}

	// What to do: always written (a few lines).
	var todo []string
	cmd := in.Command
	if cmd == "" {
		cmd = "catalint check"
	}
	switch {
	case newErr > 0 && baseline:
		todo = append(todo, fmt.Sprintf("Fix the %s below (marked 🆕): each names the field and, when it can, the fix. %s shows them with their source lines.", plural(newErr, "new error", "new errors"), report.MarkdownCode(cmd)))
	case newErr > 0:
		todo = append(todo, fmt.Sprintf("Fix the %s below: each names the field and, when it can, the fix. %s shows them with their source lines.", plural(newErr, "error", "errors"), report.MarkdownCode(cmd)))
	}
	if in.FailOnWarning && newWarn > 0 {
		todo = append(todo, fmt.Sprintf("Warnings fail this check too (--fail-on warning): fix the %s.", plural(newWarn, "warning", "warnings")))
	}
	if baseline {
		if old := (sum.Errors - newErr) + (sum.Warnings - newWarn); old > 0 {
			todo = append(todo, fmt.Sprintf("%s already on %s: listed, but they do not fail this check.", plural(old, "problem was", "problems were"), report.MarkdownCode(in.Baseline)))
		}
	}
	if in.MinScore > 0 && now.Entities > 0 && now.MeanScore < in.MinScore {
		todo = append(todo, fmt.Sprintf("Raise the mean completeness score from %.1f to at least %.1f: *Completeness to do* says what each entity lacks.", now.MeanScore, in.MinScore))
	} else if in.Scores != nil && in.BaseScore != nil && now.MeanScore < in.BaseScore.MeanScore {
		todo = append(todo, fmt.Sprintf("Completeness dropped by %.1f: *Completeness to do* says what each entity lacks.", round1(in.BaseScore.MeanScore-now.MeanScore)))
	}
	if len(todo) == 0 {
		switch {
		case in.Failed:
			todo = append(todo, "The check failed: its log says why.")
		case sum.Errors+sum.Warnings > 0:
			todo = append(todo, "Nothing blocks the merge; the warnings below are worth a look.")
		default:
			todo = append(todo, "Nothing to do: every catalog file passes.")
		}
	}
	var what strings.Builder
	what.WriteString("\n#### What to do\n\n")
	for _, t := range todo {
		what.WriteString("- " + t + "\n")
	}

	// Footer: always written.
	var foot strings.Builder
	foot.WriteString("\n<sub>catalint")
	if in.Version != "" {
		foot.WriteString(" " + report.MarkdownCode(in.Version))
	}
	if c := shortSHA(in.Commit); c != "" {
		foot.WriteString(" · commit " + report.MarkdownCode(c))
	}
	if u := safeURL(in.RunURL); u != "" {
		foot.WriteString(" · [workflow run](" + u + ")")
	}
	foot.WriteString(" · this comment is updated on every run</sub>\n")

	w := &sized{max: max, reserve: what.Len() + foot.Len() + 3*sectionReserve}
	w.b.WriteString(head.String())

	// The table of entities with problems.
	rows := problemRows(r, ds, baseline)
	scoreOf := map[string]float64{}
	for _, e := range in.Scores {
		scoreOf[strings.ToLower(e.Ref)] = e.Score
	}
	w.section("\n| entity | file:line | errors | warnings | score | first problem |\n| --- | --- | ---: | ---: | ---: | --- |\n",
		len(rows), func(i int) string { return rows[i].render(scoreOf, baseline) }, "", 0.5,
		func(n int, some bool) string {
			return fmt.Sprintf("\n… %s with problems not shown in the table.\n", plural(n, more(some)+"entity", more(some)+"entities"))
		})
	w.reserve -= what.Len()
	w.b.WriteString(what.String())

	// Every diagnostic, new ones first.
	order := slices.Clone(ds)
	if baseline {
		slices.SortStableFunc(order, func(a, b diag.Diagnostic) int { return boolOrder(a.Baseline, b.Baseline) })
	}
	w.section(fmt.Sprintf("\n<details><summary>All %s</summary>\n\n", plural(len(ds), "diagnostic", "diagnostics")),
		len(order), func(i int) string { return diagItem(order[i], baseline) }, "\n</details>\n", 0.7,
		func(n int, some bool) string {
			return fmt.Sprintf("\n… %s not shown: %s lists them all.\n", plural(n, more(some)+"diagnostic", more(some)+"diagnostics"), report.MarkdownCode(cmd))
		})

	// Completeness to do.
	var incomplete []score.Entity
	for _, e := range in.Scores {
		if !e.Complete {
			incomplete = append(incomplete, e)
		}
	}
	sort.SliceStable(incomplete, func(i, j int) bool {
		if incomplete[i].Score != incomplete[j].Score {
			return incomplete[i].Score < incomplete[j].Score
		}
		return incomplete[i].Ref < incomplete[j].Ref
	})
	todoItem := func(i int) string {
		e := incomplete[i]
		var fixes []string
		for _, m := range e.Failing() {
			fixes = append(fixes, m.Fix())
		}
		lvl := e.Level
		if lvl == "" {
			lvl = "–"
		}
		return fmt.Sprintf("| %s | %.1f | %s | %s |\n", report.MarkdownCell(report.MarkdownCode(e.Ref)), e.Score, report.EscapeMarkdown(lvl), report.EscapeMarkdown(strings.Join(fixes, "; ")))
	}
	w.section(fmt.Sprintf("\n<details><summary>Completeness to do (%s)</summary>\n\n| entity | score | level | to do |\n| --- | ---: | --- | --- |\n", plural(len(incomplete), "entity", "entities")),
		len(incomplete), todoItem, "\n</details>\n", 1,
		func(n int, some bool) string {
			return fmt.Sprintf("\n… %s to complete not shown: %s lists them all.\n", plural(n, more(some)+"entity", more(some)+"entities"), report.MarkdownCode("catalint score"))
		})

	w.b.WriteString(foot.String())
	out := w.b.String()
	if len(out) > max {
		// Only when max is too small for the head and footer.
		out, _ = fitMarkdown(out, max, commentNote)
	}
	return out
}

// sectionReserve is kept free for each section's closing tag and note.
const sectionReserve = 160

// sized writes pieces while they fit in max, keeping reserve free for
// what must follow.
type sized struct {
	b       strings.Builder
	max     int
	reserve int
}

// section writes head and as many of the n items as fit (item(i) renders
// one, only when it may be written) in share (0-1) of the room left, then
// tail (when head was written) and, when items were left out,
// note(how many, whether any was shown).
func (w *sized) section(head string, n int, item func(int) string, tail string, share float64, note func(left int, some bool) string) {
	w.reserve -= sectionReserve
	if n == 0 {
		return
	}
	room := w.max - w.b.Len() - len(tail) - sectionReserve - w.reserve
	limit := w.b.Len() + int(float64(room)*share)
	fits := func(k int) bool { return w.b.Len()+k <= limit }
	shown := 0
	if first := item(0); fits(len(head) + len(first)) {
		w.b.WriteString(head)
		w.b.WriteString(first)
		shown++
		for ; shown < n; shown++ {
			it := item(shown)
			if !fits(len(it)) {
				break
			}
			w.b.WriteString(it)
		}
	}
	if shown > 0 {
		w.b.WriteString(tail)
	}
	if left := n - shown; left > 0 {
		w.b.WriteString(note(left, shown > 0))
	}
}

// problemRow is one row of the table: an entity (or a file, or the whole
// run) with errors or warnings.
type problemRow struct {
	ref, file                      string
	line                           int
	errs, warns, newErrs, newWarns int
	first                          *diag.Diagnostic
}

func (g *problemRow) render(scoreOf map[string]float64, baseline bool) string {
	entity := "whole run"
	switch {
	case g.ref != "":
		entity = report.MarkdownCell(report.MarkdownCode(g.ref))
	case g.file != "":
		entity = "file"
	}
	where := "–"
	if g.file != "" {
		loc := g.file
		if g.line > 0 {
			loc = fmt.Sprintf("%s:%d", g.file, g.line)
		}
		where = report.MarkdownCell(report.MarkdownCode(loc))
	}
	sc := "–"
	if s, ok := scoreOf[strings.ToLower(g.ref)]; ok && g.ref != "" {
		sc = fmt.Sprintf("%.1f", s)
	}
	first := ""
	if g.first != nil {
		if baseline && !g.first.Baseline {
			first = "🆕 "
		}
		first += report.EscapeMarkdown(clip(g.first.Message, 160))
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", entity, where, countCell(g.errs, g.newErrs, baseline), countCell(g.warns, g.newWarns, baseline), sc, first)
}

// problemRows groups the errors and warnings by entity (the one a
// diagnostic names, else the document its line is in), those with new
// errors first, then by errors, warnings, file and line.
func problemRows(r *lint.Result, ds []diag.Diagnostic, baseline bool) []*problemRow {
	byFile := map[string][]lint.Entity{}
	for _, e := range r.Entities {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for f := range byFile {
		sort.SliceStable(byFile[f], func(i, j int) bool { return byFile[f][i].Line < byFile[f][j].Line })
	}
	// rank orders what a row shows first: a new error, an error, a new
	// warning, a warning.
	rank := func(x *diag.Diagnostic) int {
		n := 0
		if x.Severity == diag.Error {
			n += 2
		}
		if !baseline || !x.Baseline {
			n++
		}
		return n
	}
	groups := map[string]*problemRow{}
	var rows []*problemRow
	for i := range ds {
		d := &ds[i]
		if d.Severity == diag.Notice {
			continue
		}
		ref, line := d.Entity, d.Line
		if ents := byFile[d.File]; d.File != "" {
			var doc *lint.Entity
			for j := range ents {
				if ref != "" && strings.EqualFold(ents[j].Ref, ref) {
					doc = &ents[j]
					break
				}
				if ref == "" && ents[j].Line <= max(d.Line, 1) {
					doc = &ents[j]
				}
			}
			if doc != nil {
				if ref == "" {
					ref = doc.Ref
				}
				line = doc.Line
			}
		}
		k := d.File + "\x00" + strings.ToLower(ref)
		g := groups[k]
		if g == nil {
			g = &problemRow{ref: ref, file: d.File, line: line}
			groups[k] = g
			rows = append(rows, g)
		}
		isNew := !baseline || !d.Baseline
		if d.Severity == diag.Error {
			g.errs++
			if isNew {
				g.newErrs++
			}
		} else {
			g.warns++
			if isNew {
				g.newWarns++
			}
		}
		if g.first == nil || rank(d) > rank(g.first) {
			g.first = d
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.newErrs != b.newErrs {
			return a.newErrs > b.newErrs
		}
		if a.errs != b.errs {
			return a.errs > b.errs
		}
		if a.warns != b.warns {
			return a.warns > b.warns
		}
		if a.file != b.file {
			return a.file < b.file
		}
		return a.line < b.line
	})
	return rows
}

func more(some bool) string {
	if some {
		return "more "
	}
	return ""
}

func countCell(all, fresh int, baseline bool) string {
	if baseline && fresh > 0 && fresh != all {
		return fmt.Sprintf("%d (%d new)", all, fresh)
	}
	return fmt.Sprint(all)
}

// diagItem is one diagnostic as a list item:
//
//   - ❌ **error** `file:10:3` message ([`rule`](…))
//   - 💡 suggestion
func diagItem(d diag.Diagnostic, baseline bool) string {
	var b strings.Builder
	b.WriteString("- ")
	if baseline && !d.Baseline {
		b.WriteString("🆕 ")
	}
	switch d.Severity {
	case diag.Error:
		b.WriteString("❌ **error**")
	case diag.Warning:
		b.WriteString("⚠️ **warning**")
	default:
		b.WriteString("ℹ️ **notice**")
	}
	if d.File != "" {
		pos := d.File
		if d.Line > 0 {
			pos += fmt.Sprintf(":%d", d.Line)
			if d.Column > 0 {
				pos += fmt.Sprintf(":%d", d.Column)
			}
		}
		b.WriteString(" " + report.MarkdownCode(pos))
	}
	b.WriteString(" " + report.EscapeMarkdown(clip(d.Message, 1000)))
	if _, ok := lint.RuleByID(d.Rule); ok {
		fmt.Fprintf(&b, " ([%s](%s))", report.MarkdownCode(d.Rule), report.RuleHelpURI(d.Rule))
	} else if d.Rule != "" {
		fmt.Fprintf(&b, " (%s)", report.MarkdownCode(d.Rule))
	}
	b.WriteString("\n")
	if d.Suggestion != "" {
		b.WriteString("  - 💡 " + report.EscapeMarkdown(clip(d.Suggestion, 500)) + "\n")
	}
	return b.String()
}

func countNew(all, fresh int, one, many string, baseline bool) string {
	s := "**" + plural(all, one, many) + "**"
	if all == 0 {
		s = plural(all, one, many)
	}
	if baseline && all > 0 {
		s += fmt.Sprintf(" (%d new)", fresh)
	}
	return s
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// clip shortens s to at most n characters, with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// round1 rounds to one decimal, half away from zero, and never returns
// negative zero (which would print "-0.0").
func round1(f float64) float64 {
	if f < 0 {
		f = -float64(int64(-f*10+0.5)) / 10
	} else {
		f = float64(int64(f*10+0.5)) / 10
	}
	if f == 0 {
		return 0
	}
	return f
}

// shortSHA is the first 7 hex digits of a commit id, "" when it is not one.
func shortSHA(s string) string {
	if len(s) < 7 {
		return ""
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return s[:7]
}

// safeURL returns u when it is an https URL that cannot break out of a
// Markdown link, "" otherwise.
func safeURL(u string) string {
	if !strings.HasPrefix(u, "https://") || strings.ContainsAny(u, " \t\r\n()<>[]\"'`\\") {
		return ""
	}
	return u
}
