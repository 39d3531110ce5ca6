package weekly

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/score"
)

// htmlScored is an entity that fails the given metrics; all metrics but
// System apply, and its score is the default weighted share that passes.
func htmlScored(ref, owner string, fails ...score.Metric) score.Entity {
	failing := map[score.Metric]bool{}
	for _, m := range fails {
		failing[m] = true
	}
	w := score.DefaultConfig().Weights
	e := score.Entity{Ref: ref, Kind: "Component", Owner: owner, Complete: len(fails) == 0}
	var total, got float64
	for _, m := range score.Metrics {
		if m == score.System {
			e.Checks = append(e.Checks, score.Check{Metric: m})
			continue
		}
		e.Checks = append(e.Checks, score.Check{Metric: m, Applicable: true, Pass: !failing[m]})
		total += w[m]
		if !failing[m] {
			got += w[m]
		}
	}
	e.Score = math.Round(1000*got/total) / 10
	return e
}

// htmlFixture: six teams (one with nothing to fix, one new this week, one
// without an owner), seven applicable metrics (System applies to nothing),
// a history of five points and three repositories without a catalog file.
func htmlFixture() *Report {
	O, D, A, L, De, T, Li := score.Owner, score.Dependencies, score.APISpec, score.Lifecycle, score.Description, score.TechDocs, score.Links
	es := []score.Entity{
		htmlScored("component:default/checkout", "team-payments", D, A, T),
		htmlScored("component:default/ledger", "team-payments", L, De, T, Li),
		htmlScored("api:default/payments-api", "team-payments", A, T),
		htmlScored("resource:default/payments-db", "team-payments", De, Li),
		htmlScored("component:default/storefront", "team-web", D, Li),
		htmlScored("component:default/cms", "team-web", T),
		htmlScored("component:default/assets", "team-web"),
		htmlScored("component:analytics/etl", "analytics/data-eng", L, T, Li),
		htmlScored("component:analytics/warehouse", "analytics/data-eng", Li),
		htmlScored("component:default/legacy-batch", "", O, D, L, De, T, Li),
		htmlScored("component:default/deployer", "team-platform"),
		htmlScored("component:default/ci-runner", "team-platform"),
		htmlScored("component:default/search", "team-search", A),
	}
	r := Build(es, []string{"github:acme", "./catalog/all.yaml"}, true, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	r.Coverage = &Coverage{Repos: 12, WithCatalog: 9, Percent: 75, Without: []string{"acme/old-tool", "acme/scratch", "acme/terraform-modules"}}
	teams := func(payments, web, data, none, platform float64) map[string]TeamPoint {
		return map[string]TeamPoint{"team-payments": {MeanScore: payments}, "team-web": {MeanScore: web},
			"analytics/data-eng": {MeanScore: data}, "(no owner)": {MeanScore: none}, "team-platform": {MeanScore: platform}}
	}
	metrics := func(base float64) map[score.Metric]float64 {
		return map[score.Metric]float64{score.Owner: base + 30, score.Dependencies: base, score.APISpec: base - 10, score.Lifecycle: base + 20,
			score.Description: base + 10, score.TechDocs: base - 20, score.Links: base - 15}
	}
	r.AddToHistory([]Point{
		{Date: "2026-10-26", CompletePercent: 7.7, MeanScore: 48.1, Entities: 12, Metrics: metrics(40), Teams: teams(30, 55, 45, 25, 80)},
		{Date: "2026-11-02", CompletePercent: 7.7, MeanScore: 52.4, Entities: 12, Metrics: metrics(45), Teams: teams(35, 60, 50, 25, 90)},
		{Date: "2026-11-09", CompletePercent: 15.4, MeanScore: 58.9, Entities: 12, Metrics: metrics(50), Teams: teams(45, 65, 55, 25, 100)},
		{Date: "2026-11-16", CompletePercent: 30.8, MeanScore: 66, Entities: 12, Metrics: metrics(55), Teams: teams(52, 88, 60, 25, 100)},
	})
	return r
}

// htmlLargeFixture: sixty teams, 104 weeks of history, forty repositories
// without a catalog file.
func htmlLargeFixture() *Report {
	var es []score.Entity
	for i := 0; i < 60; i++ {
		team := fmt.Sprintf("team-%02d", i)
		if i == 7 {
			team = "group:platform-engineering/developer-experience-and-tooling-guild"
		}
		for j := 0; j <= i%4; j++ {
			fails := score.Metrics[:(i*7+j)%8]
			es = append(es, htmlScored(fmt.Sprintf("component:default/svc-%02d-%d", i, j), team, fails...))
		}
	}
	r := Build(es, []string{"github:acme"}, false, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	var without []string
	for i := 0; i < 40; i++ {
		without = append(without, fmt.Sprintf("acme/repo-%02d", i))
	}
	r.Coverage = &Coverage{Repos: 200, WithCatalog: 160, Percent: 80, Without: without}
	var pts []Point
	start := time.Date(2024, 11, 25, 0, 0, 0, 0, time.UTC)
	for k := 0; k < 103; k++ {
		x := float64(k) / 103
		pts = append(pts, Point{Date: start.AddDate(0, 0, 7*k).Format("2006-01-02"), CompletePercent: 5 + 20*x + 4*math.Sin(float64(k)/5),
			MeanScore: 35 + 25*x + 3*math.Cos(float64(k)/4), Entities: 100 + k})
	}
	r.AddToHistory(pts)
	return r
}

// htmlHostile has user data that tries to break out of text and attributes.
func htmlHostile() *Report {
	es := []score.Entity{
		htmlScored(`x" onmouseover="y`, `<script>alert(1)</script>`, score.Owner),
		htmlScored(`component:default/</code><img src=x onerror=alert(2)>`, `x' onfocus='z`, score.Lifecycle),
		htmlScored(`]]><!-- &amp; {{.Date}}`, `"><svg onload=alert(3)>`, score.Links),
	}
	r := Build(es, []string{`"><img src=x onerror=alert(4)>`, `javascript:alert(5)`}, true, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	r.Coverage = &Coverage{Repos: 2, WithCatalog: 1, Percent: 50, Without: []string{`acme/<b>bold</b>`}}
	r.Adoption = hostileAdoption([]string{`<script>alert(6)</script>`, `x" onmouseover="y`, `]]><!-- &amp;`})
	r.AddToHistory([]Point{{Date: `2026-11-16"><script>`, Teams: map[string]TeamPoint{`<script>alert(1)</script>`: {MeanScore: 10}}}})
	return r
}

func renderHTML(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// node is an element of the parsed page.
type node struct {
	Name     string
	Attr     map[string]string
	Children []*node
	Text     string // all text inside, concatenated
	Parent   *node
	text     strings.Builder
}

func (n *node) class(c string) bool {
	for _, f := range strings.Fields(n.Attr["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// find returns the elements under n (n included) with the name ("" for any)
// and all the classes.
func (n *node) find(name string, classes ...string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		ok := name == "" || m.Name == name
		for _, c := range classes {
			ok = ok && m.class(c)
		}
		if ok {
			out = append(out, m)
		}
		for _, c := range m.Children {
			walk(c)
		}
	}
	walk(n)
	return out
}

// parseXHTML reads the page with encoding/xml in strict mode: the page is
// written XHTML-compatible, so any unclosed element, unquoted attribute,
// stray < or & or named HTML entity is an error. It returns the root
// (a document node holding <html>).
func parseXHTML(t *testing.T, page []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	root := &node{Name: "#document", Attr: map[string]string{}}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}, Parent: cur}
			for _, a := range tok.Attr {
				k := a.Name.Local
				if a.Name.Space != "" {
					k = a.Name.Space + ":" + k
				}
				n.Attr[k] = a.Value
			}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			cur = cur.Parent
		case xml.CharData:
			for n := cur; n != nil; n = n.Parent {
				n.text.Write(tok)
			}
		}
	}
	if cur != root {
		t.Fatalf("unclosed element %s", cur.Name)
	}
	for _, n := range root.find("") {
		n.Text = n.text.String()
	}
	return root
}

// parseHTMLLenient reads the page as the brief's non-strict HTML mode does.
func parseHTMLLenient(t *testing.T, page []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("the page does not parse as HTML: %v", err)
		}
	}
}

func htmlGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test ./pkg/weekly -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s differs from the golden file (go test ./pkg/weekly -update) at line %d:\n got: %s\nwant: %s", name, i+1, gl, wl)
		}
	}
}

// TestHTMLWriteFixtures writes the fixtures' pages to $CATALINT_HTML_DIR,
// for scripts/render-report.sh.
func TestHTMLWriteFixtures(t *testing.T) {
	dir := os.Getenv("CATALINT_HTML_DIR")
	if dir == "" {
		t.Skip("set CATALINT_HTML_DIR to write the fixture pages")
	}
	for name, r := range map[string]*Report{"fixture.html": htmlFixture(), "large.html": htmlLargeFixture(), "hostile.html": htmlHostile()} {
		if err := os.WriteFile(filepath.Join(dir, name), renderHTML(t, r), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	htmlGolden(t, "report.html", renderHTML(t, htmlFixture()))
}

func TestHTMLWellFormed(t *testing.T) {
	for name, r := range map[string]*Report{"fixture": htmlFixture(), "large": htmlLargeFixture(), "hostile": htmlHostile(), "empty": Build(nil, nil, true, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))} {
		t.Run(name, func(t *testing.T) {
			page := renderHTML(t, r)
			parseHTMLLenient(t, page)
			doc := parseXHTML(t, page)
			if len(doc.Children) != 1 || doc.Children[0].Name != "html" {
				t.Fatalf("root elements: %+v", doc.Children)
			}
			if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>\n")) {
				t.Error("no doctype")
			}
			for _, want := range []string{"head", "body", "main"} {
				if len(doc.find(want)) != 1 {
					t.Errorf("%d <%s>, want 1", len(doc.find(want)), want)
				}
			}
			var head []string
			for _, c := range doc.find("head")[0].Children {
				head = append(head, c.Name)
			}
			if strings.Join(head, " ") != "meta meta meta title style" {
				t.Errorf("head: %v", head)
			}
		})
	}
}

// TestHTMLSelfContained: no script, nothing loaded from anywhere.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*Report{"fixture": htmlFixture(), "large": htmlLargeFixture(), "hostile": htmlHostile()} {
		t.Run(name, func(t *testing.T) {
			page := renderHTML(t, r)
			low := strings.ToLower(string(page))
			for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "<use", "<image", "<foreignobject", "@import", "url(", "@font-face"} {
				if strings.Contains(low, bad) {
					t.Errorf("the page has %q", bad)
				}
			}
			if name != "hostile" && (strings.Contains(low, "http://") || strings.Contains(low, "https://")) {
				t.Error("the page has a URL")
			}
			for _, n := range parseXHTML(t, page).find("") {
				for k, v := range n.Attr {
					switch k {
					case "src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data", "background":
						t.Errorf("<%s %s=%q> loads or links something", n.Name, k, v)
					}
				}
			}
		})
	}
}

func TestHTMLCharts(t *testing.T) {
	r := htmlFixture()
	doc := parseXHTML(t, renderHTML(t, r))

	// One bar per metric that applies to an entity, headline metrics first.
	var wantMetrics []string
	for _, ms := range [][]score.Metric{score.Headline, {score.Description, score.TechDocs, score.Links, score.System}} {
		for _, m := range ms {
			if r.Org.Metrics[m].Applicable > 0 {
				wantMetrics = append(wantMetrics, string(m))
			}
		}
	}
	var gotMetrics []string
	for _, b := range doc.find("rect", "bar", "metric") {
		gotMetrics = append(gotMetrics, b.Attr["data-metric"])
		if len(b.find("title")) != 1 {
			t.Errorf("metric bar %s has no <title>", b.Attr["data-metric"])
		}
	}
	if strings.Join(gotMetrics, " ") != strings.Join(wantMetrics, " ") || len(gotMetrics) != 7 {
		t.Errorf("metric bars %v, want %v", gotMetrics, wantMetrics)
	}
	if b := doc.find("rect", "bar", "metric")[0]; b.Attr["width"] != "92.3%" || b.Text != "valid owner: 12 of 13 entities pass (92.3%), +7.3 since 2026-11-16" {
		t.Errorf("owner bar: %v %q", b.Attr, b.Text)
	}
	if !strings.Contains(doc.find("section", "metrics")[0].Text, "Not scored (no entity they apply to): system set.") {
		t.Error("the metric no entity is scored on is not named")
	}

	// One bar per team, lowest mean score first, and a table row per team.
	bars := doc.find("rect", "bar", "team")
	rows := doc.find("table", "teams")[0].find("tr")[1:]
	if len(bars) != len(r.Teams) || len(rows) != len(r.Teams) || len(r.Teams) != 6 {
		t.Fatalf("%d team bars, %d rows, want %d", len(bars), len(rows), len(r.Teams))
	}
	for i, team := range r.Teams {
		if bars[i].Attr["data-team"] != team.Key || rows[i].Attr["data-team"] != team.Key {
			t.Errorf("team %d: bar %q row %q, want %q", i, bars[i].Attr["data-team"], rows[i].Attr["data-team"], team.Key)
		}
		if want := fmt.Sprintf("%.1f%%", team.MeanScore); bars[i].Attr["width"] != want {
			t.Errorf("team %s: width %s, want %s", team.Key, bars[i].Attr["width"], want)
		}
		if i > 0 && r.Teams[i-1].MeanScore > team.MeanScore {
			t.Errorf("teams not lowest first: %v", r.Teams)
		}
	}

	// One point per history entry, oldest first; the line goes through all.
	points := doc.find("circle", "point")
	if len(points) != len(r.History) || len(r.History) != 5 {
		t.Fatalf("%d points, want %d", len(points), len(r.History))
	}
	for i, p := range points {
		if p.Attr["data-date"] != r.History[i].Date {
			t.Errorf("point %d: %s, want %s", i, p.Attr["data-date"], r.History[i].Date)
		}
	}
	if p := points[4]; p.Attr["cx"] != "100.00%" || p.Attr["data-date"] != "2026-11-23" {
		t.Errorf("last point: %v", p.Attr)
	}
	lines := doc.find("polyline", "line", "complete")
	if len(lines) != 1 || len(strings.Fields(lines[0].Attr["points"])) != 5 {
		t.Errorf("trend line: %+v", lines)
	}
	if labels := doc.find("svg", "trend")[0].find("text", "axis"); len(labels) != 5+5 {
		t.Errorf("%d axis labels, want 5 values and 5 dates", len(labels))
	}
}

func TestHTMLContent(t *testing.T) {
	r := htmlFixture()
	doc := parseXHTML(t, renderHTML(t, r))
	text := func(n *node) string { return strings.Join(strings.Fields(n.Text), " ") }

	sections := doc.find("section")
	var ids []string
	for _, s := range sections {
		ids = append(ids, s.Attr["id"])
	}
	if got := strings.Join(ids, " "); got != "organisation metrics trend coverage teams fixes" {
		t.Errorf("sections: %s", got)
	}
	if h := text(doc.find("h1")[0]); h != "Catalog completeness, week of 2026-11-23" {
		t.Errorf("h1: %q", h)
	}
	if s := text(doc.find("p", "sources")[0]); s != "Sources: github:acme, ./catalog/all.yaml · generated 2026-11-23 09:00 UTC" {
		t.Errorf("sources: %q", s)
	}

	// The big numbers, with the change since the previous report.
	figs := doc.find("div", "figure")
	for i, want := range []string{
		fmt.Sprintf("%.1f%% complete: %d of 13 entities %s since 2026-11-16", r.Org.CompletePercent, r.Org.Complete, change(r.Org.CompletePercent, 30.8)),
		fmt.Sprintf("%.1f mean score, out of 100 %s since 2026-11-16", r.Org.MeanScore, change(r.Org.MeanScore, 66)),
		"13 entities scored +1 since 2026-11-16",
	} {
		var parts []string
		for _, c := range figs[i].Children {
			parts = append(parts, text(c))
		}
		if got := strings.Join(parts, " "); got != want {
			t.Errorf("figure %d: %q, want %q", i, got, want)
		}
	}
	if d := figs[0].find("span", "delta")[0]; r.Org.CompletePercent > 30.8 != d.class("up") || r.Org.CompletePercent < 30.8 != d.class("down") {
		t.Errorf("complete delta class %q for %.1f after 30.8", d.Attr["class"], r.Org.CompletePercent)
	}

	// Coverage: short list, not collapsed.
	cov := doc.find("section", "coverage")[0]
	if got := len(cov.find("ul", "repos")[0].find("li")); got != 3 || len(cov.find("details")) != 0 {
		t.Errorf("coverage: %d repositories, %d details", got, len(cov.find("details")))
	}
	if !strings.Contains(text(cov), "75.0% of repositories have a catalog file: 9 of 12.") {
		t.Errorf("coverage: %q", text(cov))
	}

	// Table: change of the mean score since the previous report, "new" for
	// a team that was not in it.
	for _, row := range doc.find("table", "teams")[0].find("tr")[1:] {
		cells := row.find("td")
		team := cells[0].Text
		want := "new"
		if tp, ok := r.History[3].Teams[team]; ok {
			want = change(mustTeam(t, r, team).MeanScore, tp.MeanScore)
		}
		if cells[4].Text != want {
			t.Errorf("team %s: change %q, want %q", team, cells[4].Text, want)
		}
	}

	// Per team: one <details> with each failing metric's fix and entities.
	fixes := doc.find("details", "team")
	var withFailing int
	for _, team := range r.Teams {
		if len(team.Failing) > 0 {
			withFailing++
		}
	}
	if len(fixes) != withFailing || withFailing != 5 {
		t.Fatalf("%d team details, want %d", len(fixes), withFailing)
	}
	for _, d := range fixes {
		team := mustTeam(t, r, d.Attr["data-team"])
		items := d.find("li", "failing")
		if len(items) != len(team.Failing) {
			t.Errorf("%s: %d failing metrics, want %d", team.Key, len(items), len(team.Failing))
			continue
		}
		for i, f := range team.Failing {
			li := items[i]
			if li.Attr["data-metric"] != string(f.Metric) || !strings.Contains(text(li), "Fix: "+f.Fix) {
				t.Errorf("%s %s: %q", team.Key, f.Metric, text(li))
			}
			var refs []string
			for _, c := range li.find("code") {
				refs = append(refs, c.Text)
			}
			if strings.Join(refs, " ") != strings.Join(f.Entities, " ") {
				t.Errorf("%s %s: entities %v, want %v", team.Key, f.Metric, refs, f.Entities)
			}
		}
	}
	if got := text(doc.find("section", "fixes")[0]); !strings.HasSuffix(got, "Nothing to fix: team-platform.") {
		t.Errorf("fixes end: %q", got[max(0, len(got)-60):])
	}
}

func mustTeam(t *testing.T, r *Report, key string) Team {
	t.Helper()
	for _, team := range r.Teams {
		if team.Key == key {
			return team
		}
	}
	t.Fatalf("no team %q", key)
	return Team{}
}

// TestHTMLSizes: one point, many points, no history, many teams, a long
// coverage list, no previous report.
func TestHTMLSizes(t *testing.T) {
	t.Run("one point", func(t *testing.T) {
		r := htmlFixture()
		r.History = r.History[len(r.History)-1:]
		page := renderHTML(t, r)
		doc := parseXHTML(t, page)
		if n := len(doc.find("circle", "point")); n != 1 {
			t.Errorf("%d points, want 1", n)
		}
		if n := len(doc.find("polyline")); n != 0 {
			t.Errorf("%d lines for one point", n)
		}
		if p := doc.find("circle", "point")[0]; p.Attr["cx"] != "50.00%" {
			t.Errorf("the single point is at %s, want the middle", p.Attr["cx"])
		}
		// No previous report: every change is "new".
		for _, d := range doc.find("", "delta") {
			if d.Text != "new" || !d.class("new") {
				t.Errorf("without a previous report, a change reads %q (%s)", d.Text, d.Attr["class"])
			}
		}
		if !bytes.Contains(page, []byte("the first report (2026-11-23)")) {
			t.Error("no first-report caption")
		}
	})
	t.Run("no history", func(t *testing.T) {
		r := htmlFixture()
		r.History = nil
		doc := parseXHTML(t, renderHTML(t, r))
		if len(doc.find("svg", "trend")) != 0 || !strings.Contains(doc.find("section", "trend")[0].Text, "No history yet.") {
			t.Error("an empty history draws a chart")
		}
	})
	t.Run("large", func(t *testing.T) {
		r := htmlLargeFixture()
		page := renderHTML(t, r)
		doc := parseXHTML(t, page)
		if n := len(doc.find("circle", "point")); n != 104 || len(r.History) != 104 {
			t.Errorf("%d points, want 104", n)
		}
		if n := len(strings.Fields(doc.find("polyline", "complete")[0].Attr["points"])); n != 104 {
			t.Errorf("the line has %d points, want 104", n)
		}
		if dates := doc.find("svg", "trend")[0].find("text", "axis")[5:]; len(dates) != 5 || dates[0].Text != "25 Nov ’24" || dates[2].Text != "24 Nov ’25" || dates[4].Text != "23 Nov ’26" {
			t.Errorf("date labels: %d", len(dates))
		}
		if n := len(doc.find("rect", "bar", "team")); n != HTMLChartTeams {
			t.Errorf("%d team bars, want %d", n, HTMLChartTeams)
		}
		if n := len(doc.find("table", "teams")[0].find("tr")) - 1; n != 60 || len(r.Teams) != 60 {
			t.Errorf("%d table rows, want 60", n)
		}
		if !bytes.Contains(page, []byte("The chart shows the 50 lowest of 60 teams; the table lists all.")) {
			t.Error("no note on the capped chart")
		}
		cov := doc.find("section", "coverage")[0]
		if d := cov.find("details"); len(d) != 1 || len(d[0].find("li")) != 40 {
			t.Error("a long list of repositories is not collapsed")
		}
		if !bytes.Contains(page, []byte("Owners were only checked for being set")) {
			t.Error("no note on unverified owners")
		}
		// A long team name is shortened in the chart, whole elsewhere.
		long := "group:platform-engineering/developer-experience-and-tooling-guild"
		for _, b := range doc.find("rect", "bar", "team") {
			if b.Attr["data-team"] == long && !strings.HasPrefix(b.Text, long+":") {
				t.Errorf("tooltip %q", b.Text)
			}
		}
		if short := htmlShorten(long, 38); !bytes.Contains(page, []byte(">"+short+"</text>")) || len([]rune(short)) != 38 || !strings.HasSuffix(short, "…") {
			t.Error("the long team name is not shortened in the chart")
		}
	})
}

// TestHTMLEscaping: user data cannot add elements or attributes; it reads
// back as exactly the text it was.
func TestHTMLEscaping(t *testing.T) {
	r := htmlHostile()
	page := renderHTML(t, r)
	parseHTMLLenient(t, page)
	doc := parseXHTML(t, page)

	allowed := map[string]bool{}
	for _, n := range parseXHTML(t, renderHTML(t, htmlFixture())).find("") {
		allowed[n.Name] = true
	}
	for _, n := range doc.find("") {
		if !allowed[n.Name] {
			t.Errorf("user data added a <%s>", n.Name)
		}
		for k := range n.Attr {
			switch {
			case strings.HasPrefix(k, "on"), k == "src", k == "style", k == "href":
				t.Errorf("user data added %s=%q to <%s>", k, n.Attr[k], n.Name)
			}
		}
	}
	if low := bytes.ToLower(page); bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<img")) || bytes.Contains(low, []byte("<svg onload")) || bytes.Contains(low, []byte(`" onmouseover`)) {
		t.Error("markup from user data is in the page")
	}

	// The team names are exactly the data-team values and the table cells.
	teams := map[string]bool{}
	for _, b := range doc.find("rect", "bar", "team") {
		teams[b.Attr["data-team"]] = true
	}
	for _, want := range []string{`<script>alert(1)</script>`, `x' onfocus='z`, `"><svg onload=alert(3)>`} {
		if !teams[want] {
			t.Errorf("no team bar with data-team=%q: %v", want, teams)
		}
	}
	var cells []string
	for _, c := range doc.find("table", "teams")[0].find("td", "team") {
		cells = append(cells, c.Text)
	}
	if strings.Join(cells, "\n") != strings.Join([]string{`<script>alert(1)</script>`, `"><svg onload=alert(3)>`, `x' onfocus='z`}, "\n") {
		t.Errorf("team cells: %q", cells)
	}
	// So are the adoption section's teams, templates and repositories.
	var adopt []string
	for _, c := range doc.find("section", "adoption")[0].find("td", "team") {
		adopt = append(adopt, c.Text)
	}
	for _, c := range doc.find("section", "adoption")[0].find("code") {
		adopt = append(adopt, c.Text)
	}
	if got, want := strings.Join(adopt, "\n"), strings.Join([]string{`<script>alert(6)</script>`, `x" onmouseover="y`, `]]><!-- &amp;`,
		"backstage.io/source-template", `<script>alert(6)</script>`, `x" onmouseover="y`, `]]><!-- &amp;`,
		`acme/<script>alert(6)</script>`, `acme/x" onmouseover="y`, `acme/]]><!-- &amp;`}, "\n"); got != want {
		t.Errorf("adoption cells:\n%s\nwant\n%s", got, want)
	}
	// The change of the hostile team is read from the history's Teams map.
	for _, row := range doc.find("table", "teams")[0].find("tr")[1:] {
		if row.Attr["data-team"] == `<script>alert(1)</script>` && row.find("td")[4].Text != "+65.0" {
			t.Errorf("hostile team change: %q", row.find("td")[4].Text)
		}
	}

	// Entity references are whole code elements.
	var refs []string
	for _, c := range doc.find("section", "fixes")[0].find("code") {
		refs = append(refs, c.Text)
	}
	for _, want := range []string{`x" onmouseover="y`, `component:default/</code><img src=x onerror=alert(2)>`, `]]><!-- &amp; {{.Date}}`} {
		found := false
		for _, ref := range refs {
			found = found || ref == want
		}
		if !found {
			t.Errorf("entity %q is not a code element: %q", want, refs)
		}
	}
	// Sources and repositories too.
	var codes []string
	for _, c := range doc.find("p", "sources")[0].find("code") {
		codes = append(codes, c.Text)
	}
	if strings.Join(codes, "|") != `"><img src=x onerror=alert(4)>|javascript:alert(5)` {
		t.Errorf("sources: %q", codes)
	}
	if c := doc.find("ul", "repos")[0].find("code"); len(c) != 1 || c[0].Text != `acme/<b>bold</b>` {
		t.Error("repository not escaped")
	}
	// A hostile date in the history is an attribute value, nothing more.
	if p := doc.find("circle", "point"); len(p) != 2 || p[0].Attr["data-date"] != `2026-11-16"><script>` {
		t.Errorf("points: %d", len(p))
	}
	// The escaped page has the same shape as any other: no bare < or
	// quotes from the data (html/template writes &lt; &#34; &#39;).
	if m := regexp.MustCompile(`data-team="[^"]*[<>'][^"]*"`).Find(page); m != nil {
		t.Errorf("unescaped character in an attribute: %s", m)
	}
}
