package weekly

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/catalint-dev/catalint/pkg/report"
	"github.com/catalint-dev/catalint/pkg/score"
)

// HTMLChartTeams is the most teams the leaderboard chart draws (the lowest
// scores); the table under it lists every team.
const HTMLChartTeams = 50

// htmlLongList is the number of repositories without a catalog file above
// which the list is collapsed.
const htmlLongList = 10

// HTML writes the report as one self-contained HTML page for a browser, a
// phone or a printer: no scripts, no external assets (inline CSS, inline SVG
// charts). The markup is also well-formed XML (XHTML-compatible), so tools
// can read it with an XML parser.
//
// Every value that comes from the catalog or the command line (team names,
// entity references, sources, repositories) goes through html/template,
// which escapes it for where it appears (text, attribute, <title>), so it
// shows as the text it is and cannot add markup or attributes.
//
// Chart elements carry stable classes and data attributes for tools and
// tests: <rect class="bar metric" data-metric="owner">, <rect class="bar
// team" data-team="…">, <circle class="point" data-date="2026-11-23">,
// <polyline class="line complete">.
func HTML(w io.Writer, r *Report) error {
	// html/template escapes markup, not control characters: the names of
	// catalog content are each kept on one line (safeLines), and what the
	// page holds besides (report.SafeText) has no ESC, BEL, NUL, C1 or
	// bidirectional control either. A page printed to a CI log then starts
	// no workflow command.
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, newHTMLView(safeLines(r))); err != nil {
		return err
	}
	_, err := io.WriteString(w, report.SafeText(b.String()))
	return err
}

// The view is the report with every figure formatted and every chart
// coordinate computed, so the template only places them.
type htmlView struct {
	Date      string
	Generated string
	Sources   []string
	Since     string // date of the previous report, "" for none

	Figures        []htmlFigure
	OwnersVerified bool

	Headline htmlBars
	Other    htmlBars
	NotApply []string // titles of metrics no entity is scored on

	Trend *htmlTrend

	Coverage *htmlCoverage
	Drift    *htmlDrift
	Adoption *htmlAdoption

	TeamChart  htmlBars
	TeamCount  int
	ChartCap   int // teams left out of the chart, 0 for none
	OrgMean    string
	TeamRows   []htmlTeamRow
	Fixes      []htmlFix
	NothingFix []string
}

type htmlDelta struct {
	Text  string // "+8.0", "−3.0", "±0", "new"
	Class string // up, down, same, new
}

type htmlFigure struct {
	Value string
	Unit  string
	Label string
	Delta htmlDelta
	Big   bool
}

type htmlBars struct {
	Label  string // the chart's accessible name
	Height int
	Bars   []htmlBar
	// LineX is a dashed reference line (percent of the width), "" for none.
	LineX string
}

type htmlBar struct {
	Key     string // metric id or team name (data attribute)
	Label   string // shown text (a team name may be shortened)
	Value   string // shown figure, e.g. "75.0%"
	Delta   *htmlDelta
	Width   string // percent of the track
	Tooltip string
	Tone    string // CSS class: good, fair, poor (teams)
	TextY   int
	BarY    int
	// RefY1 and RefY2 bound the row's tick of the reference line.
	RefY1, RefY2 int
}

type htmlTrend struct {
	Height    int
	PlotY     int
	PlotH     int
	Grid      []htmlGridLine
	Complete  string // polyline points in the 0 0 1000 PlotH box, "" below 2 points
	Mean      string
	Points    []htmlPoint
	Labels    []htmlAxisLabel
	LabelY    int
	Radius    string
	From, To  string
	Count     int
	FirstOnly bool
}

type htmlGridLine struct {
	Y     int
	Label string
}

type htmlPoint struct {
	Date    string
	X       string // percent
	Y       string
	Tooltip string
}

type htmlAxisLabel struct {
	X      string
	Anchor string
	Text   string
}

type htmlCoverage struct {
	Percent     string
	Width       string
	Repos       int
	WithCatalog int
	Without     []string
	Long        bool
}

type htmlTeamRow struct {
	Key      string
	Entities int
	Complete string
	Mean     string
	Delta    htmlDelta
}

type htmlFix struct {
	Key          string
	EntitiesText string
	Complete     string
	Mean         string
	Failing      []Failing
	Count        int // failing entity-metric pairs
	// Drift are the team's entities likely owned by another team now.
	Drift []htmlDriftRow
}

func htmlDeltaOf(now, before float64) htmlDelta {
	d := htmlDelta{Text: change(now, before), Class: "same"}
	switch {
	case now-before > 0.05:
		d.Class = "up"
	case now-before < -0.05:
		d.Class = "down"
	}
	return d
}

func htmlPct(v float64) string { return fmt.Sprintf("%.1f", math.Max(0, math.Min(100, v))) }

func htmlTone(v float64) string {
	switch {
	case v >= 80:
		return "good"
	case v >= 50:
		return "fair"
	}
	return "poor"
}

// htmlShorten cuts a label to n characters with an ellipsis.
func htmlShorten(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

func htmlPlural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newHTMLView(r *Report) *htmlView {
	v := &htmlView{
		Date:           r.GeneratedAt.Format("2006-01-02"),
		Generated:      r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Sources:        r.Sources,
		OwnersVerified: r.OwnersVerified,
		TeamCount:      len(r.Teams),
		OrgMean:        fmt.Sprintf("%.1f", r.Org.MeanScore),
	}
	prev := r.Previous()
	newDelta := htmlDelta{Text: "new", Class: "new"}
	dc, dm, de := newDelta, newDelta, newDelta
	if prev != nil {
		v.Since = prev.Date
		dc, dm = htmlDeltaOf(r.Org.CompletePercent, prev.CompletePercent), htmlDeltaOf(r.Org.MeanScore, prev.MeanScore)
		de = htmlDeltaOf(float64(r.Org.Entities), float64(prev.Entities))
		if de.Class != "same" {
			de.Text = strings.TrimSuffix(de.Text, ".0")
		}
		de.Class = "same" // more entities is neither good nor bad
	}
	v.Figures = []htmlFigure{
		{Value: fmt.Sprintf("%.1f", r.Org.CompletePercent), Unit: "%", Label: fmt.Sprintf("complete: %d of %s", r.Org.Complete, htmlPlural(r.Org.Entities, "entity", "entities")), Delta: dc, Big: true},
		{Value: fmt.Sprintf("%.1f", r.Org.MeanScore), Label: "mean score, out of 100", Delta: dm, Big: true},
		{Value: fmt.Sprint(r.Org.Entities), Label: "entities scored", Delta: de},
	}

	// Metrics: a text line (title left, figure right) over each bar.
	metricBars := func(ms []score.Metric) htmlBars {
		var b htmlBars
		for _, m := range ms {
			mr := r.Org.Metrics[m]
			if mr == nil || mr.Applicable == 0 {
				v.NotApply = append(v.NotApply, m.Title())
				continue
			}
			y := len(b.Bars) * 38
			bar := htmlBar{Key: string(m), Label: m.Title(), Value: fmt.Sprintf("%.1f%% (%d/%d)", mr.Percent, mr.Pass, mr.Applicable),
				Width: htmlPct(mr.Percent), Tooltip: fmt.Sprintf("%s: %d of %d entities pass (%.1f%%)", m.Title(), mr.Pass, mr.Applicable, mr.Percent),
				TextY: y + 15, BarY: y + 21}
			if m.NotVerified(r.OwnersVerified) {
				// A set owner passed, but nobody said it exists.
				bar.Value, bar.Width = fmt.Sprintf("not verified (%d/%d set)", mr.Pass, mr.Applicable), "0"
				bar.Tooltip = fmt.Sprintf("%s: not verified (no owner directory); %d of %d entities have an owner set", m.Title(), mr.Pass, mr.Applicable)
			} else if prev != nil {
				if was, ok := prev.Metrics[m]; ok {
					d := htmlDeltaOf(mr.Percent, was)
					bar.Delta = &d
					bar.Tooltip += fmt.Sprintf(", %s since %s", d.Text, prev.Date)
				}
			}
			b.Bars = append(b.Bars, bar)
		}
		b.Height = len(b.Bars)*38 + 2
		return b
	}
	headline := map[score.Metric]bool{}
	for _, m := range score.Headline {
		headline[m] = true
	}
	var others []score.Metric
	for _, m := range score.Metrics {
		if !headline[m] {
			others = append(others, m)
		}
	}
	v.Headline = metricBars(score.Headline)
	v.Headline.Label = "Headline metrics: share of entities that pass"
	v.Other = metricBars(others)
	v.Other.Label = "Other metrics: share of entities that pass"

	v.Trend = newHTMLTrend(r.History)

	if c := r.Coverage; c != nil {
		v.Coverage = &htmlCoverage{Percent: fmt.Sprintf("%.1f", c.Percent), Width: htmlPct(c.Percent), Repos: c.Repos, WithCatalog: c.WithCatalog,
			Without: c.Without, Long: len(c.Without) > htmlLongList}
	}

	v.Drift = newHTMLDrift(r.Drift)
	v.Adoption = newHTMLAdoption(r)

	// Teams: the chart (lowest first, capped), the table, the fixes.
	for i, t := range r.Teams {
		d := newDelta
		if prev != nil {
			if tp, ok := prev.Teams[t.Key]; ok {
				d = htmlDeltaOf(t.MeanScore, tp.MeanScore)
			}
		}
		v.TeamRows = append(v.TeamRows, htmlTeamRow{Key: t.Key, Entities: t.Entities, Complete: fmt.Sprintf("%.1f", t.CompletePercent), Mean: fmt.Sprintf("%.1f", t.MeanScore), Delta: d})
		if i < HTMLChartTeams {
			y := i * 30
			tip := fmt.Sprintf("%s: mean score %.1f, %.1f%% of %s complete", t.Key, t.MeanScore, t.CompletePercent, htmlPlural(t.Entities, "entity", "entities"))
			if d.Class != "new" {
				tip += fmt.Sprintf(", %s since %s", d.Text, prev.Date)
			}
			v.TeamChart.Bars = append(v.TeamChart.Bars, htmlBar{Key: t.Key, Label: htmlShorten(t.Key, 38), Value: fmt.Sprintf("%.1f", t.MeanScore),
				Width: htmlPct(t.MeanScore), Tooltip: tip, Tone: htmlTone(t.MeanScore), TextY: y + 14, BarY: y + 19, RefY1: y + 16, RefY2: y + 31})
		}
		drifted := htmlDriftRows(r.Drift.driftOf(t.Key))
		if len(t.Failing) == 0 && len(drifted) == 0 {
			v.NothingFix = append(v.NothingFix, t.Key)
			continue
		}
		f := htmlFix{Key: t.Key, EntitiesText: htmlPlural(t.Entities, "entity", "entities"), Complete: fmt.Sprintf("%.1f", t.CompletePercent), Mean: fmt.Sprintf("%.1f", t.MeanScore), Failing: t.Failing, Drift: drifted}
		f.Count += len(drifted)
		for _, fl := range t.Failing {
			f.Count += len(fl.Entities)
		}
		v.Fixes = append(v.Fixes, f)
	}
	v.TeamChart.Height = len(v.TeamChart.Bars)*30 + 2
	v.TeamChart.Label = "Mean score per team, lowest first"
	if len(v.TeamChart.Bars) > 0 {
		v.TeamChart.LineX = htmlPct(r.Org.MeanScore)
	}
	v.ChartCap = max(0, len(r.Teams)-HTMLChartTeams)
	return v
}

// newHTMLTrend lays out the trend chart: the plot spans the chart's width
// (x in percent, so text keeps its size at any width) and PlotH pixels for
// 0-100. The lines are drawn in a nested SVG stretched over the plot
// (preserveAspectRatio="none", strokes not scaled); points and labels are in
// the outer SVG, in percent.
func newHTMLTrend(hist []Point) *htmlTrend {
	if len(hist) == 0 {
		return nil
	}
	t := &htmlTrend{PlotY: 12, PlotH: 180, Count: len(hist), From: hist[0].Date, To: hist[len(hist)-1].Date, FirstOnly: len(hist) == 1, Radius: "4"}
	t.LabelY = t.PlotY + t.PlotH + 20
	t.Height = t.LabelY + 6
	if len(hist) > 26 {
		t.Radius = "2.5"
	}
	for _, g := range []int{100, 75, 50, 25, 0} {
		t.Grid = append(t.Grid, htmlGridLine{Y: t.PlotY + (100-g)*t.PlotH/100, Label: fmt.Sprint(g)})
	}
	frac := func(i int) float64 {
		if len(hist) == 1 {
			return 0.5
		}
		return float64(i) / float64(len(hist)-1)
	}
	y := func(v float64) float64 { return (100 - math.Max(0, math.Min(100, v))) * float64(t.PlotH) / 100 }
	var complete, mean []string
	for i, p := range hist {
		x := frac(i)
		complete = append(complete, fmt.Sprintf("%.1f,%.1f", x*1000, y(p.CompletePercent)))
		mean = append(mean, fmt.Sprintf("%.1f,%.1f", x*1000, y(p.MeanScore)))
		t.Points = append(t.Points, htmlPoint{Date: p.Date, X: fmt.Sprintf("%.2f", x*100), Y: fmt.Sprintf("%.1f", float64(t.PlotY)+y(p.CompletePercent)),
			Tooltip: fmt.Sprintf("%s: %.1f%% complete, mean score %.1f, %s", p.Date, p.CompletePercent, p.MeanScore, htmlPlural(p.Entities, "entity", "entities"))})
	}
	if len(hist) > 1 {
		t.Complete, t.Mean = strings.Join(complete, " "), strings.Join(mean, " ")
	}
	// At most five date labels, so they fit on a phone.
	idx := []int{}
	if len(hist) <= 5 {
		for i := range hist {
			idx = append(idx, i)
		}
	} else {
		for k := 0; k < 5; k++ {
			idx = append(idx, int(math.Round(float64(k)*float64(len(hist)-1)/4)))
		}
	}
	layout := "2 Jan"
	if len(hist[0].Date) >= 4 && len(hist[len(hist)-1].Date) >= 4 && hist[0].Date[:4] != hist[len(hist)-1].Date[:4] {
		layout = "2 Jan ’06"
	}
	for n, i := range idx {
		a := htmlAxisLabel{X: fmt.Sprintf("%.2f", frac(i)*100), Anchor: "middle", Text: htmlShortDate(hist[i].Date, layout)}
		switch {
		case len(hist) == 1:
		case n == 0:
			a.Anchor = "start"
		case n == len(idx)-1:
			a.Anchor = "end"
		}
		t.Labels = append(t.Labels, a)
	}
	return t
}

// htmlShortDate formats a history date ("2006-01-02") for an axis label:
// "23 Nov", or "23 Nov ’26" when the chart spans years (the caption under
// the chart has the full dates).
func htmlShortDate(s, layout string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format(layout)
}

var htmlTemplate = template.Must(template.New("weekly.html").Parse(htmlSource))

// htmlSource is the page. It is XHTML-compatible (void elements closed, no
// named entities but XML's, no bare & or < in the style sheet).
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="generator" content="catalint"/>
<title>Catalog completeness, week of {{.Date}}</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --card: #f6f8fa; --track: #e6eaef;
  --accent: #2563a8; --good: #1a7f37; --fair: #b35900; --bad: #c62828; --new: #6639ba; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 0; }
h2 { font-size: 1.25rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; color: var(--muted); font-weight: 600; }
p { margin: .5rem 0; }
.sub, .note { color: var(--muted); }
.note { font-size: .9rem; }
.sources { overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .75rem; margin-top: 1.25rem; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.figure .num { display: block; font-size: 1.9rem; font-weight: 700; line-height: 1.15; font-variant-numeric: tabular-nums; }
.figure.big .num { font-size: 2.75rem; }
.figure .unit { font-size: .55em; font-weight: 600; margin-left: .1em; }
.figure .label, .figure .change { display: block; color: var(--muted); }
.figure .note { white-space: nowrap; }
.delta { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: var(--good); fill: var(--good); }
.down { color: var(--bad); fill: var(--bad); }
.same { color: var(--muted); fill: var(--muted); }
.new { color: var(--new); fill: var(--new); }
.chart { display: block; width: 100%; overflow: visible; }
.chart text { font-size: 13px; fill: var(--fg); }
.chart text.value { font-variant-numeric: tabular-nums; }
.chart text.axis { font-size: 11px; fill: var(--muted); }
.chart .delta { font-size: 12px; }
.track { fill: var(--track); }
.bar.metric, .bar.coverage { fill: var(--accent); }
.bar.good { fill: var(--good); }
.bar.fair { fill: var(--fair); }
.bar.poor { fill: var(--bad); }
.ref { stroke: var(--fg); stroke-width: 1; stroke-dasharray: 3 3; }
.grid { stroke: var(--line); stroke-width: 1; }
.line { fill: none; stroke-linejoin: round; }
.line.complete { stroke: var(--accent); stroke-width: 2.5; }
.line.mean { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 5 4; }
.point { fill: var(--accent); stroke: #fff; stroke-width: 1; }
.trend-box { padding: 0 .5rem 0 1.75rem; }
.legend { font-size: .9rem; color: var(--muted); }
.key { display: inline-block; width: 1.5rem; vertical-align: middle; border-top: 3px solid var(--accent); margin-right: .3rem; }
.key.mean { border-top: 2px dashed var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; vertical-align: bottom; }
th.n { white-space: normal; }
td.team { overflow-wrap: anywhere; min-width: 7rem; }
.chart.bars { margin-bottom: .75rem; }
.n { text-align: right; white-space: nowrap; }
summary .team, p .team { overflow-wrap: anywhere; }
code { font: .88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
details { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
summary { cursor: pointer; }
summary .team { font-weight: 600; }
details ul { margin: .5rem 0; padding-left: 1.25rem; }
li.failing { margin: .5rem 0 .75rem; }
.fix { display: block; }
ul.refs { columns: 22rem; column-gap: 2rem; }
ul.repos { columns: 16rem; column-gap: 2rem; }
@media (max-width: 480px) {
  body { font-size: 14px; }
  main { padding: .75rem .75rem 2rem; }
  h1 { font-size: 1.35rem; }
  .figures { grid-template-columns: 1fr 1fr; gap: .5rem; }
  .figure { padding: .5rem .75rem; }
  .figure.big .num { font-size: 2.1rem; }
  .figure .num { font-size: 1.6rem; }
  th, td { padding: .3rem .2rem; }
  table { font-size: .8rem; }
  th { font-size: .75rem; }
  details { padding: .4rem .5rem; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; background: none; }
  main { max-width: none; padding: 0; }
  .figure, details { background: none; }
  section { break-before: page; }
  section.summary { break-before: auto; }
  h2, h3, summary { break-after: avoid; }
  .chart, tr, li { break-inside: avoid; }
  .chart { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; }
  summary::-webkit-details-marker { display: none; }
}
</style>
</head>
<body>
<main>
<header>
<h1>Catalog completeness, week of {{.Date}}</h1>
<p class="sub sources">{{if .Sources}}Sources: {{range $i, $s := .Sources}}{{if $i}}, {{end}}<code>{{$s}}</code>{{end}} · {{end}}generated {{.Generated}}</p>
</header>

<section class="summary" id="organisation">
<div class="figures">
{{- range .Figures}}
<div class="figure{{if .Big}} big{{end}}"><span class="num">{{.Value}}{{if .Unit}}<span class="unit">{{.Unit}}</span>{{end}}</span><span class="label">{{.Label}}</span><span class="change"><span class="delta {{.Delta.Class}}">{{.Delta.Text}}</span> <span class="note">{{if ne .Delta.Class "new"}}since {{$.Since}}{{else}}no earlier report{{end}}</span></span></div>
{{- end}}
</div>
{{- if not .OwnersVerified}}
<p class="note">Owners were only checked for being set: no owner directory was configured.</p>
{{- end}}
</section>

<section class="metrics" id="metrics">
<h2>Metrics</h2>
<p class="note">Share of the entities each metric applies to that pass it{{if .Since}}, with the change since {{.Since}}{{end}}.</p>
{{- if .Headline.Bars}}
<h3>Headline</h3>
{{template "bars" .Headline}}
{{- end}}
{{- if .Other.Bars}}
<h3>Other metrics</h3>
{{template "bars" .Other}}
{{- end}}
{{- if .NotApply}}
<p class="note">Not scored (no entity they apply to): {{range $i, $t := .NotApply}}{{if $i}}, {{end}}{{$t}}{{end}}.</p>
{{- end}}
</section>

<section class="trend" id="trend">
<h2>Trend</h2>
{{- with .Trend}}
<div class="trend-box">
<svg class="chart trend" width="100%" height="{{.Height}}" role="img" aria-label="Completeness over {{.Count}} reports, {{.From}} to {{.To}}">
{{- range .Grid}}
<line class="grid" x1="0" x2="100%" y1="{{.Y}}" y2="{{.Y}}"/><text class="axis" x="-6" y="{{.Y}}" dy="4" text-anchor="end">{{.Label}}</text>
{{- end}}
{{- if .Complete}}
<svg x="0" y="{{.PlotY}}" width="100%" height="{{.PlotH}}" viewBox="0 0 1000 {{.PlotH}}" preserveAspectRatio="none" overflow="visible">
<polyline class="line mean" vector-effect="non-scaling-stroke" points="{{.Mean}}"/>
<polyline class="line complete" vector-effect="non-scaling-stroke" points="{{.Complete}}"/>
</svg>
{{- end}}
{{- range .Points}}
<circle class="point" data-date="{{.Date}}" cx="{{.X}}%" cy="{{.Y}}" r="{{$.Trend.Radius}}"><title>{{.Tooltip}}</title></circle>
{{- end}}
{{- range .Labels}}
<text class="axis" x="{{.X}}%" y="{{$.Trend.LabelY}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{- end}}
</svg>
</div>
<p class="legend"><span class="key"></span>complete (% of entities) <span class="key mean"></span>mean score · {{if .FirstOnly}}the first report ({{.From}}){{else}}{{.Count}} reports, {{.From}} to {{.To}}{{end}}</p>
{{- else}}
<p class="note">No history yet.</p>
{{- end}}
</section>
{{- with .Coverage}}

<section class="coverage" id="coverage">
<h2>Coverage</h2>
<p><strong>{{.Percent}}%</strong> of repositories have a catalog file: {{.WithCatalog}} of {{.Repos}}.</p>
<svg class="chart coverage" width="100%" height="14" role="img" aria-label="{{.Percent}}% of repositories have a catalog file">
<rect class="track" x="0" y="2" width="100%" height="10" rx="3"/>
<rect class="bar coverage" x="0" y="2" width="{{.Width}}%" height="10" rx="3"><title>{{.WithCatalog}} of {{.Repos}} repositories have a catalog file</title></rect>
</svg>
{{- if .Without}}
{{- if .Long}}
<details class="repos"><summary>{{len .Without}} repositories without a catalog file</summary>
{{- else}}
<h3>Repositories without a catalog file</h3>
{{- end}}
<ul class="repos">
{{- range .Without}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
{{- if .Long}}
</details>
{{- end}}
{{- end}}
</section>
{{- end}}
{{- with .Drift}}

<section class="drift" id="drift">
<h2>Ownership drift</h2>
<p>From {{.Since}} to {{.Until}}, {{.Entities}} entities in {{.Repos}} GitHub repositories were compared with who committed to them.
{{- if .Rows}} {{len .Rows}} have an owner team none of whose members committed, while another team wrote most of the commits.</p>
<table>
<thead><tr><th>entity</th><th>owner</th><th>likely owner</th><th>repository</th><th>commits per team</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><td><code>{{.Entity}}</code></td><td>{{.Owner}}</td><td><strong>{{.Likely}}</strong></td><td>{{.Repo}}</td><td>{{.Evidence}} (of {{.Commits}})</td></tr>
{{- end}}
</tbody>
</table>
{{- else}} Every owner team had a member among the authors, or no other team did most of the work.</p>
{{- end}}
</section>
{{- end}}
{{- template "adoption" .Adoption}}

<section class="teams" id="teams">
<h2>Teams</h2>
{{- if .TeamChart.Bars}}
<p class="note">Mean score per team, lowest first; the dashed line is the organisation's mean ({{.OrgMean}}).{{if .ChartCap}} The chart shows the {{len .TeamChart.Bars}} lowest of {{.TeamCount}} teams; the table lists all.{{end}}</p>
{{template "bars" .TeamChart}}
<div class="scroll">
<table class="teams">
<thead><tr><th>team</th><th class="n">entities</th><th class="n">complete</th><th class="n">mean score</th><th class="n">change</th></tr></thead>
<tbody>
{{- range .TeamRows}}
<tr data-team="{{.Key}}"><td class="team">{{.Key}}</td><td class="n">{{.Entities}}</td><td class="n">{{.Complete}}%</td><td class="n">{{.Mean}}</td><td class="n delta {{.Delta.Class}}">{{.Delta.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- else}}
<p class="note">No teams.</p>
{{- end}}
</section>

<section class="fixes" id="fixes">
<h2>What each team can fix</h2>
{{- if .Fixes}}
<p class="note">Per team, the entities that fail each metric and how to fix them; lowest score first.</p>
{{- end}}
{{- range .Fixes}}
<details class="team" data-team="{{.Key}}">
<summary><span class="team">{{.Key}}</span>: {{.EntitiesText}}, {{.Complete}}% complete, mean score {{.Mean}}; {{.Count}} to fix</summary>
<ul>
{{- range .Failing}}
<li class="failing" data-metric="{{.Metric}}"><strong>{{.Title}}</strong> ({{len .Entities}}) <span class="fix">Fix: {{.Fix}}</span>
<ul class="refs">
{{- range .Entities}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
</li>
{{- end}}
{{- if .Drift}}
<li class="failing" data-metric="owner-drift"><strong>Likely owned by another team now</strong> ({{len .Drift}}) <span class="fix">Fix: confirm with that team and set spec.owner, or get the team to review the repository</span>
<ul class="refs">
{{- range .Drift}}
<li><code>{{.Entity}}</code>: likely {{.Likely}} ({{.Evidence}})</li>
{{- end}}
</ul>
</li>
{{- end}}
</ul>
</details>
{{- end}}
{{- if .NothingFix}}
<p>Nothing to fix: {{range $i, $k := .NothingFix}}{{if $i}}, {{end}}<span class="team">{{$k}}</span>{{end}}.</p>
{{- end}}
</section>
</main>
</body>
</html>
{{define "bars"}}<svg class="chart bars" width="100%" height="{{.Height}}" role="img" aria-label="{{.Label}}">
{{- range .Bars}}
<g class="row">
<text x="0" y="{{.TextY}}">{{.Label}}</text><text class="value" x="100%" y="{{.TextY}}" text-anchor="end">{{.Value}}{{with .Delta}} <tspan class="delta {{.Class}}">{{.Text}}</tspan>{{end}}</text>
<rect class="track" x="0" y="{{.BarY}}" width="100%" height="10" rx="3"/>
{{- if .Tone}}
<rect class="bar team {{.Tone}}" data-team="{{.Key}}" x="0" y="{{.BarY}}" width="{{.Width}}%" height="10" rx="3"><title>{{.Tooltip}}</title></rect>
{{- else}}
<rect class="bar metric" data-metric="{{.Key}}" x="0" y="{{.BarY}}" width="{{.Width}}%" height="10" rx="3"><title>{{.Tooltip}}</title></rect>
{{- end}}
{{- if $.LineX}}
<line class="ref" x1="{{$.LineX}}%" x2="{{$.LineX}}%" y1="{{.RefY1}}" y2="{{.RefY2}}"/>
{{- end}}
</g>
{{- end}}
</svg>{{end}}`

// safeLines is a copy of the report whose names from catalog content
// (sources, teams, entity references, repositories) are each one line with
// no control character (report.SafeLine).
func safeLines(r *Report) *Report {
	cp := *r
	cp.Sources = mapStrings(r.Sources, report.SafeLine)
	cp.Teams = make([]Team, len(r.Teams))
	for i, t := range r.Teams {
		t.Key = report.SafeLine(t.Key)
		t.Failing = append([]Failing(nil), t.Failing...)
		for j := range t.Failing {
			t.Failing[j].Entities = mapStrings(t.Failing[j].Entities, report.SafeLine)
		}
		cp.Teams[i] = t
	}
	if r.Coverage != nil {
		c := *r.Coverage
		c.Without = mapStrings(c.Without, report.SafeLine)
		cp.Coverage = &c
	}
	return &cp
}

func mapStrings(ss []string, f func(string) string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}
