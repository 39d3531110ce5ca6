package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/catalint-dev/catalint/pkg/score"
)

// ScoreFormats lists the formats of `catalint score`.
var ScoreFormats = []string{"text", "json", "markdown"}

// ScoreReport is what `catalint score` prints.
type ScoreReport struct {
	Entities []score.Entity
	Org      score.Aggregate
	// By names the dimension of Groups ("owner", …), "" for none.
	By     string
	Groups []score.Aggregate
	// OwnersVerified is false when owners were only checked for being set.
	OwnersVerified bool
}

// Score writes a score report.
func Score(w io.Writer, format string, r ScoreReport) error {
	switch format {
	case "json":
		return scoreJSON(w, r)
	case "markdown":
		return scoreMarkdown(w, r)
	}
	return scoreText(w, r)
}

func failing(e score.Entity) string {
	var out []string
	for _, m := range e.Failing() {
		out = append(out, string(m))
	}
	return strings.Join(out, ", ")
}

func scoreText(w io.Writer, r ScoreReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Completeness: %.1f%% of %d entities complete, mean score %.1f\n", r.Org.CompletePercent, r.Org.Entities, r.Org.MeanScore)
	for _, m := range score.Metrics {
		mr := r.Org.Metrics[m]
		if mr.Applicable == 0 {
			continue
		}
		if m.NotVerified(r.OwnersVerified) {
			fmt.Fprintf(&b, "  %-22s not verified  (%d/%d set)\n", m.Title(), mr.Pass, mr.Applicable)
			continue
		}
		fmt.Fprintf(&b, "  %-22s %5.1f%%  (%d/%d)\n", m.Title(), mr.Percent, mr.Pass, mr.Applicable)
	}
	if !r.OwnersVerified {
		b.WriteString("  (owners were only checked for being set: no owner directory; use --owners or --catalog)\n")
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	if r.By != "" {
		fmt.Fprintf(tw, "%s\tENTITIES\tCOMPLETE\tMEAN SCORE\n", strings.ToUpper(r.By))
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.1f\n", g.Key, g.Entities, g.CompletePercent, g.MeanScore)
		}
		tw.Flush()
		b.WriteString("\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	}
	fmt.Fprintln(tw, "ENTITY\tSCORE\tLEVEL\tFAILING")
	for _, e := range r.Entities {
		lvl := e.Level
		if lvl == "" {
			lvl = "-"
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%s\n", e.Ref, e.Score, lvl, failing(e))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

func scoreJSON(w io.Writer, r ScoreReport) error {
	out := struct {
		Version        int               `json:"version"`
		OwnersVerified bool              `json:"ownersVerified"`
		Summary        score.Aggregate   `json:"summary"`
		By             string            `json:"by,omitempty"`
		Groups         []score.Aggregate `json:"groups,omitempty"`
		Entities       []score.Entity    `json:"entities"`
	}{1, r.OwnersVerified, r.Org, r.By, r.Groups, r.Entities}
	if out.Entities == nil {
		out.Entities = []score.Entity{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func scoreMarkdown(w io.Writer, r ScoreReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Catalog completeness: %.1f%% complete, mean score %.1f\n\n", r.Org.CompletePercent, r.Org.MeanScore)
	b.WriteString("| metric | entities passing |\n| --- | --- |\n")
	for _, m := range score.Metrics {
		mr := r.Org.Metrics[m]
		if mr.Applicable == 0 {
			continue
		}
		if m.NotVerified(r.OwnersVerified) {
			fmt.Fprintf(&b, "| %s | not verified (%d/%d set) |\n", m.Title(), mr.Pass, mr.Applicable)
			continue
		}
		fmt.Fprintf(&b, "| %s | %.1f%% (%d/%d) |\n", m.Title(), mr.Percent, mr.Pass, mr.Applicable)
	}
	if !r.OwnersVerified {
		b.WriteString("\n_Owners were only checked for being set: no owner directory was configured._\n")
	}
	if r.By != "" {
		fmt.Fprintf(&b, "\n| %s | entities | complete | mean score |\n| --- | ---: | ---: | ---: |\n", r.By)
		for _, g := range r.Groups {
			fmt.Fprintf(&b, "| %s | %d | %.1f%% | %.1f |\n", mdText(g.Key), g.Entities, g.CompletePercent, g.MeanScore)
		}
	}
	b.WriteString("\n| entity | score | level | to do |\n| --- | ---: | --- | --- |\n")
	for _, e := range r.Entities {
		var todo []string
		for _, m := range e.Failing() {
			todo = append(todo, m.Fix())
		}
		lvl := e.Level
		if lvl == "" {
			lvl = "–"
		}
		fmt.Fprintf(&b, "| %s | %.1f | %s | %s |\n", mdText(e.Ref), e.Score, mdText(lvl), mdText(strings.Join(todo, "; ")))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
