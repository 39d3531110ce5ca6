package weekly

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/catalint-dev/catalint/pkg/adoption"
	"github.com/catalint-dev/catalint/pkg/report"
)

// MaxNewListed is the most new repositories not from a template that the
// markdown and HTML reports name; the rest are counted ("and N more"). The
// JSON report lists them all.
const MaxNewListed = 25

// AdoptionPoint is the adoption figures of a history point.
type AdoptionPoint struct {
	Percent      float64 `json:"percent"`
	Components   int     `json:"components"`
	FromTemplate int     `json:"fromTemplate"`
	// Templates is the components created from each template.
	Templates map[string]int `json:"templates"`
	// Teams is each team's share of components from a template.
	Teams map[string]float64 `json:"teams"`
	// New is there when a GitHub organisation was scanned.
	New *NewPoint `json:"newRepositories,omitempty"`
}

// NewPoint is the new repositories' figures of a history point.
type NewPoint struct {
	Days         int     `json:"days"`
	Repos        int     `json:"repos"`
	FromTemplate int     `json:"fromTemplate"`
	Percent      float64 `json:"percent"`
}

// adoptionPoint is a's history point, nil for nil.
func adoptionPoint(a *adoption.Report) *AdoptionPoint {
	if a == nil {
		return nil
	}
	p := &AdoptionPoint{Percent: a.Percent, Components: a.Components, FromTemplate: a.FromTemplate,
		Templates: map[string]int{}, Teams: map[string]float64{}}
	for _, t := range a.Templates {
		p.Templates[t.Ref] = t.Components
	}
	for _, t := range a.Teams {
		p.Teams[t.Team] = t.Percent
	}
	if n := a.New; n != nil {
		p.New = &NewPoint{Days: n.Days, Repos: n.Repos, FromTemplate: n.FromTemplate, Percent: n.Percent}
	}
	return p
}

// adoptionTrend is the earlier point's adoption figures (nil when there is
// no earlier point or it has none) and the shares of the points that have
// them, oldest first.
func (r *Report) adoptionTrend() (prev *AdoptionPoint, date string, shares []float64) {
	if p := r.Previous(); p != nil && p.Adoption != nil {
		prev, date = p.Adoption, p.Date
	}
	for _, p := range r.History {
		if p.Adoption != nil {
			shares = append(shares, p.Adoption.Percent)
		}
	}
	return prev, date, shares
}

// countChange is the change of a count: "+2", "−1", "±0".
func countChange(now, before int) string {
	switch d := now - before; {
	case d > 0:
		return fmt.Sprintf("+%d", d)
	case d < 0:
		return fmt.Sprintf("−%d", -d)
	}
	return "±0"
}

// newRepoWhy says why a new repository is not counted as from a template.
func newRepoWhy(n adoption.NewRepo) string {
	if n.CatalogFile {
		return "catalog file without the " + adoption.Annotation + " annotation"
	}
	return "no catalog file"
}

// hasTemplateEntities says whether the catalog holds any Template.
func hasTemplateEntities(a *adoption.Report) bool {
	return slices.ContainsFunc(a.Templates, func(t adoption.Template) bool { return t.InCatalog })
}

// markdownAdoption writes the section.
func markdownAdoption(b *strings.Builder, r *Report) {
	a := r.Adoption
	if a == nil {
		return
	}
	prev, since, shares := r.adoptionTrend()
	b.WriteString("\n## Template adoption\n\n")
	if a.Components == 0 {
		b.WriteString("The catalog has no Component.\n")
	} else {
		ch := "first report with these figures"
		if prev != nil {
			ch = fmt.Sprintf("%s since %s", change(a.Percent, prev.Percent), since)
		}
		fmt.Fprintf(b, "**%.1f%%** of %d components were created from a template (%d with the `%s` annotation the scaffolder writes; %s).\n",
			a.Percent, a.Components, a.FromTemplate, adoption.Annotation, ch)
		if len(shares) > 1 {
			fmt.Fprintf(b, "\nTrend over %d reports: `%s`\n", len(shares), Sparkline(shares))
		}
	}
	if len(a.Templates) > 0 {
		marked := hasTemplateEntities(a)
		b.WriteString("\n| template | components | share | change |\n| --- | ---: | ---: | ---: |\n")
		for _, t := range a.Templates {
			ch := "–"
			if prev != nil {
				ch = "new"
				if n, ok := prev.Templates[t.Ref]; ok {
					ch = countChange(t.Components, n)
				}
			}
			name := report.MarkdownCell(report.MarkdownCode(t.Ref))
			if marked && !t.InCatalog {
				name += " (not in this catalog)"
			}
			fmt.Fprintf(b, "| %s | %d | %.1f%% | %s |\n", name, t.Components, t.Percent, ch)
		}
	}
	if len(a.Teams) > 0 {
		b.WriteString("\n| team | components | from a template | change |\n| --- | ---: | ---: | ---: |\n")
		for _, t := range a.Teams {
			ch := "–"
			if prev != nil {
				ch = "new"
				if v, ok := prev.Teams[t.Team]; ok {
					ch = change(t.Percent, v)
				}
			}
			fmt.Fprintf(b, "| %s | %d | %.1f%% (%d) | %s |\n", report.EscapeMarkdown(t.Team), t.Components, t.Percent, t.FromTemplate, ch)
		}
	}
	b.WriteString("\n### New repositories\n\n")
	n := a.New
	if n == nil {
		fmt.Fprintf(b, "_Not counted: %s._\n", report.EscapeMarkdown(a.NewAbsent))
		return
	}
	if n.Repos == 0 {
		fmt.Fprintf(b, "No repository was created from %s to %s (%d days).\n", n.Since, n.Until, n.Days)
	} else {
		ch := ""
		if prev != nil && prev.New != nil {
			ch = fmt.Sprintf(" (%s since %s)", change(n.Percent, prev.New.Percent), since)
		}
		fmt.Fprintf(b, "Of the %d repositories created from %s to %s (%d days), **%d** (%.1f%%) came from a template%s.", n.Repos, n.Since, n.Until, n.Days, n.FromTemplate, n.Percent, ch)
		if len(n.NotFromTemplate) == 0 {
			b.WriteString("\n")
		} else {
			b.WriteString(" Not from a template, newest first:\n\n")
			for i, x := range n.NotFromTemplate {
				if i == MaxNewListed {
					fmt.Fprintf(b, "- and %d more\n", len(n.NotFromTemplate)-MaxNewListed)
					break
				}
				fmt.Fprintf(b, "- %s (created %s): %s\n", report.EscapeMarkdown(x.Repo), x.Created, newRepoWhy(x))
			}
		}
	}
	if n.Undated > 0 {
		fmt.Fprintf(b, "\n_%d repositories without a creation date from GitHub are not counted._\n", n.Undated)
	}
}

// htmlAdoption is the HTML report's adoption section.
type htmlAdoption struct {
	Components, FromTemplate int
	Percent, Width           string
	Delta                    *htmlDelta
	Since                    string
	Trend                    string // sparkline, "" below 2 points
	TrendCount               int
	Templates                []htmlAdoptionRow
	Teams                    []htmlAdoptionRow
	New                      *htmlNewRepos
	NewAbsent                string
}

type htmlAdoptionRow struct {
	Key        string
	NotInCat   bool
	Components int
	From       int
	Percent    string
	Delta      htmlDelta
}

type htmlNewRepos struct {
	Days, Repos, FromTemplate int
	Since, Until, Percent     string
	Delta                     *htmlDelta
	Rows                      []htmlNewRepo
	More, Undated             int
}

type htmlNewRepo struct {
	Repo, Created, Why string
}

func newHTMLAdoption(r *Report) *htmlAdoption {
	a := r.Adoption
	if a == nil {
		return nil
	}
	prev, since, shares := r.adoptionTrend()
	v := &htmlAdoption{Components: a.Components, FromTemplate: a.FromTemplate, Percent: fmt.Sprintf("%.1f", a.Percent),
		Width: htmlPct(a.Percent), Since: since, NewAbsent: report.SafeLine(a.NewAbsent)}
	if prev != nil {
		d := htmlDeltaOf(a.Percent, prev.Percent)
		v.Delta = &d
	}
	if len(shares) > 1 {
		v.Trend, v.TrendCount = Sparkline(shares), len(shares)
	}
	marked := hasTemplateEntities(a)
	newOrSame := func(ok bool, d htmlDelta) htmlDelta {
		switch {
		case prev == nil:
			return htmlDelta{Text: "–", Class: "same"}
		case !ok:
			return htmlDelta{Text: "new", Class: "new"}
		}
		return d
	}
	for _, t := range a.Templates {
		n, ok := 0, false
		if prev != nil {
			n, ok = prev.Templates[t.Ref]
		}
		d := htmlDeltaOf(float64(t.Components), float64(n))
		d.Text = countChange(t.Components, n)
		v.Templates = append(v.Templates, htmlAdoptionRow{Key: report.SafeLine(t.Ref), NotInCat: marked && !t.InCatalog, Components: t.Components,
			Percent: fmt.Sprintf("%.1f", t.Percent), Delta: newOrSame(ok, d)})
	}
	for _, t := range a.Teams {
		p, ok := 0.0, false
		if prev != nil {
			p, ok = prev.Teams[t.Team]
		}
		v.Teams = append(v.Teams, htmlAdoptionRow{Key: report.SafeLine(t.Team), Components: t.Components, From: t.FromTemplate,
			Percent: fmt.Sprintf("%.1f", t.Percent), Delta: newOrSame(ok, htmlDeltaOf(t.Percent, p))})
	}
	if n := a.New; n != nil {
		h := &htmlNewRepos{Days: n.Days, Repos: n.Repos, FromTemplate: n.FromTemplate, Since: n.Since, Until: n.Until,
			Percent: fmt.Sprintf("%.1f", n.Percent), Undated: n.Undated}
		if prev != nil && prev.New != nil {
			d := htmlDeltaOf(n.Percent, prev.New.Percent)
			h.Delta = &d
		}
		for i, x := range n.NotFromTemplate {
			if i == MaxNewListed {
				h.More = len(n.NotFromTemplate) - MaxNewListed
				break
			}
			h.Rows = append(h.Rows, htmlNewRepo{Repo: report.SafeLine(x.Repo), Created: x.Created, Why: newRepoWhy(x)})
		}
		v.New = h
	}
	return v
}

// The section's template, added to the page's (html.go places it).
var _ = template.Must(htmlTemplate.New("adoption").Parse(`{{with .}}

<section class="adoption" id="adoption">
<h2>Template adoption</h2>
{{- if .Components}}
<p><strong>{{.Percent}}%</strong> of {{.Components}} components were created from a template: {{.FromTemplate}} carry the <code>backstage.io/source-template</code> annotation the scaffolder writes.{{with .Delta}} <span class="delta {{.Class}}">{{.Text}}</span> <span class="note">since {{$.Since}}</span>{{end}}</p>
<svg class="chart adoption" width="100%" height="14" role="img" aria-label="{{.Percent}}% of components were created from a template">
<rect class="track" x="0" y="2" width="100%" height="10" rx="3"/>
<rect class="bar coverage" x="0" y="2" width="{{.Width}}%" height="10" rx="3"><title>{{.FromTemplate}} of {{.Components}} components were created from a template</title></rect>
</svg>
{{- if .Trend}}
<p class="note">Trend over {{.TrendCount}} reports: <code>{{.Trend}}</code></p>
{{- end}}
{{- else}}
<p>The catalog has no Component.</p>
{{- end}}
{{- if .Templates}}
<div class="scroll">
<table class="templates">
<thead><tr><th>template</th><th class="n">components</th><th class="n">share</th><th class="n">change</th></tr></thead>
<tbody>
{{- range .Templates}}
<tr data-template="{{.Key}}"><td><code>{{.Key}}</code>{{if .NotInCat}} <span class="note">(not in this catalog)</span>{{end}}</td><td class="n">{{.Components}}</td><td class="n">{{.Percent}}%</td><td class="n delta {{.Delta.Class}}">{{.Delta.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- if .Teams}}
<div class="scroll">
<table class="adoption-teams">
<thead><tr><th>team</th><th class="n">components</th><th class="n">from a template</th><th class="n">change</th></tr></thead>
<tbody>
{{- range .Teams}}
<tr data-team="{{.Key}}"><td class="team">{{.Key}}</td><td class="n">{{.Components}}</td><td class="n">{{.Percent}}% ({{.From}})</td><td class="n delta {{.Delta.Class}}">{{.Delta.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
<h3>New repositories</h3>
{{- with .New}}
{{- if .Repos}}
<p>Of the {{.Repos}} repositories created from {{.Since}} to {{.Until}} ({{.Days}} days), <strong>{{.FromTemplate}}</strong> ({{.Percent}}%) came from a template.{{with .Delta}} <span class="delta {{.Class}}">{{.Text}}</span> <span class="note">since {{$.Since}}</span>{{end}}</p>
{{- if .Rows}}
<p class="note">Not from a template, newest first:</p>
<ul class="repos new">
{{- range .Rows}}
<li><code>{{.Repo}}</code> (created {{.Created}}): {{.Why}}</li>
{{- end}}
{{- if .More}}
<li>and {{.More}} more</li>
{{- end}}
</ul>
{{- end}}
{{- else}}
<p>No repository was created from {{.Since}} to {{.Until}} ({{.Days}} days).</p>
{{- end}}
{{- if .Undated}}
<p class="note">{{.Undated}} repositories without a creation date from GitHub are not counted.</p>
{{- end}}
{{- else}}
<p class="note">Not counted: {{.NewAbsent}}.</p>
{{- end}}
</section>
{{- end}}`))

// adoptionCSVHead are the CSV columns added when the report has adoption
// figures.
var adoptionCSVHead = []string{"components", "from_template", "from_template_percent"}

// adoptionCSV is the organisation's (team "") or a team's adoption cells.
func adoptionCSV(a *adoption.Report, team string) []string {
	if team == "" {
		return []string{fmt.Sprint(a.Components), fmt.Sprint(a.FromTemplate), fmt.Sprintf("%.1f", a.Percent)}
	}
	for _, t := range a.Teams {
		if t.Team == team {
			return []string{fmt.Sprint(t.Components), fmt.Sprint(t.FromTemplate), fmt.Sprintf("%.1f", t.Percent)}
		}
	}
	return []string{"0", "0", ""}
}
