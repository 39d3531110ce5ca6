package weekly

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// Formats lists the report formats.
var Formats = []string{"markdown", "html", "json", "csv"}

// Marker is the hidden line that finds the report issue again.
const Marker = "<!-- catalint:weekly-report -->"

func change(now, before float64) string {
	d := now - before
	switch {
	case d > 0.05:
		return fmt.Sprintf("+%.1f", d)
	case d < -0.05:
		return fmt.Sprintf("−%.1f", -d)
	}
	return "±0"
}

// Sparkline draws values 0-100 with block characters.
func Sparkline(values []float64) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, v := range values {
		i := int(v/100*float64(len(blocks)-1) + 0.5)
		i = max(0, min(i, len(blocks)-1))
		b.WriteRune(blocks[i])
	}
	return b.String()
}

// Markdown writes the report for a GitHub issue. Owner names, repositories
// and entity references come from catalog content: in text and table cells
// they are escaped as the PR comment escapes them (report.EscapeMarkdown),
// inside the <details> summaries as HTML text (report.EscapeHTMLText),
// and entity references are code spans; no mention, link, image or tag
// gets through.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	prev := r.Previous()
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "# Catalog completeness, week of %s\n\n", r.GeneratedAt.Format("2006-01-02"))
	since := "first report"
	if prev != nil {
		since = fmt.Sprintf("%s since %s", change(r.Org.CompletePercent, prev.CompletePercent), prev.Date)
	}
	fmt.Fprintf(&b, "**%.1f%%** of %d entities are complete (%s); mean score **%.1f**.\n\n", r.Org.CompletePercent, r.Org.Entities, since, r.Org.MeanScore)
	if len(r.History) > 1 {
		var vals []float64
		for _, p := range r.History {
			vals = append(vals, p.CompletePercent)
		}
		fmt.Fprintf(&b, "Trend over %d reports: `%s`\n\n", len(r.History), Sparkline(vals))
	}
	b.WriteString("| metric | entities passing | change |\n| --- | ---: | ---: |\n")
	for _, m := range score.Metrics {
		mr := r.Org.Metrics[m]
		if mr == nil || mr.Applicable == 0 {
			continue
		}
		ch := "–"
		if prev != nil {
			if v, ok := prev.Metrics[m]; ok {
				ch = change(mr.Percent, v)
			}
		}
		title := m.Title()
		for _, h := range score.Headline {
			if h == m {
				title = "**" + title + "**"
			}
		}
		if m.NotVerified(r.OwnersVerified) {
			fmt.Fprintf(&b, "| %s | not verified (%d/%d set) | – |\n", title, mr.Pass, mr.Applicable)
			continue
		}
		fmt.Fprintf(&b, "| %s | %.1f%% (%d/%d) | %s |\n", title, mr.Percent, mr.Pass, mr.Applicable, ch)
	}
	if !r.OwnersVerified {
		b.WriteString("\n_Owners were only checked for being set: no owner directory was configured._\n")
	}
	if c := r.Coverage; c != nil {
		fmt.Fprintf(&b, "\n## Coverage\n\n%d of %d repositories (%.1f%%) have a catalog file.\n", c.WithCatalog, c.Repos, c.Percent)
		if len(c.Without) > 0 {
			b.WriteString("\n<details><summary>Repositories without a catalog file</summary>\n\n")
			for _, r := range c.Without {
				fmt.Fprintf(&b, "- %s\n", report.EscapeMarkdown(r))
			}
			b.WriteString("\n</details>\n")
		}
	}
	markdownDrift(&b, r.Drift)
	markdownAdoption(&b, r)
	b.WriteString("\n## Teams\n\n| team | entities | complete | mean score | change |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, t := range r.Teams {
		ch := "new"
		if prev != nil {
			if tp, ok := prev.Teams[t.Key]; ok {
				ch = change(t.MeanScore, tp.MeanScore)
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f%% | %.1f | %s |\n", report.EscapeMarkdown(t.Key), t.Entities, t.CompletePercent, t.MeanScore, ch)
	}
	b.WriteString("\n## What each team can fix\n")
	for _, t := range r.Teams {
		drifted := r.Drift.driftOf(t.Key)
		if len(t.Failing) == 0 && len(drifted) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d entities, %.1f%% complete</summary>\n\n", report.EscapeHTMLText(t.Key), t.Entities, t.CompletePercent)
		for _, f := range t.Failing {
			fmt.Fprintf(&b, "- **%s** (%d): %s\n", f.Title, len(f.Entities), f.Fix)
			for _, e := range f.Entities {
				fmt.Fprintf(&b, "  - %s\n", report.MarkdownCode(e))
			}
		}
		markdownTeamDrift(&b, drifted)
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSON writes the report as one JSON document.
func JSON(w io.Writer, r *Report) error {
	out := struct {
		Version int `json:"version"`
		*Report
	}{1, r}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(report.JSONSafe(b.Bytes())) // no raw control characters
	return err
}

// CSV writes one row per team and a first row for the organisation.
func CSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	head := []string{"date", "team", "entities", "complete", "complete_percent", "mean_score"}
	for _, m := range score.Metrics {
		head = append(head, string(m)+"_percent")
	}
	if r.Adoption != nil {
		head = append(head, adoptionCSVHead...)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := func(name, team string, a score.Aggregate) []string {
		rec := []string{r.GeneratedAt.Format("2006-01-02"), name, fmt.Sprint(a.Entities), fmt.Sprint(a.Complete), fmt.Sprintf("%.1f", a.CompletePercent), fmt.Sprintf("%.1f", a.MeanScore)}
		for _, m := range score.Metrics {
			if mr := a.Metrics[m]; mr != nil && mr.Applicable > 0 && !m.NotVerified(r.OwnersVerified) {
				rec = append(rec, fmt.Sprintf("%.1f", mr.Percent))
			} else {
				rec = append(rec, "")
			}
		}
		if r.Adoption != nil {
			rec = append(rec, adoptionCSV(r.Adoption, team)...)
		}
		return rec
	}
	if err := cw.Write(row("(organisation)", "", r.Org)); err != nil {
		return err
	}
	for _, t := range r.Teams {
		if err := cw.Write(row(csvSafe(t.Key), t.Key, t.Aggregate)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula, and
// control characters of catalog content out of it (report.SafeLine).
func csvSafe(s string) string {
	s = report.SafeLine(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Badge writes an SVG badge of the organisation's completeness.
func Badge(w io.Writer, r *Report) error {
	pct := r.Org.CompletePercent
	color := "#e05d44"
	switch {
	case pct >= 80:
		color = "#4c1"
	case pct >= 60:
		color = "#dfb317"
	case pct >= 40:
		color = "#fe7d37"
	}
	label, value := "catalog", fmt.Sprintf("%.0f%% complete", pct)
	lw, vw := 7*len(label)+10, 7*len([]rune(value))+10
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">
<title>%s: %s</title>
<rect width="%d" height="20" fill="#555"/>
<rect x="%d" width="%d" height="20" fill="%s"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="%d" y="14">%s</text>
<text x="%d" y="14">%s</text>
</g>
</svg>
`, lw+vw, label, value, label, value, lw, lw, vw, color, lw/2, label, lw+vw/2, value)
	return err
}
