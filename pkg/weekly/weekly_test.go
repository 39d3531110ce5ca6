package weekly

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v92/github"

	"github.com/catalint-dev/catalint/pkg/score"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// chk is a metric verdict.
func chk(m score.Metric, pass bool) score.Check {
	return score.Check{Metric: m, Applicable: true, Pass: pass}
}

// fixtureScores: four entities of two teams, with figures computed by hand:
//   - web/a: 100, complete; web/b: 50; pay/c: 80; pay/d: 20
//   - org: 1 of 4 complete = 25.0%, mean (100+50+80+20)/4 = 62.5
//   - owner metric: a, b, c pass, d fails → 75.0%
//   - lifecycle: a, c pass; b, d fail → 50.0%
//   - team-pay: mean 50.0, 0% complete; team-web: mean 75.0, 50% complete
func fixtureScores() []score.Entity {
	return []score.Entity{
		{Ref: "component:default/a", Kind: "Component", Owner: "team-web", Score: 100, Complete: true, Checks: []score.Check{chk(score.Owner, true), chk(score.Lifecycle, true)}},
		{Ref: "component:default/b", Kind: "Component", Owner: "team-web", Score: 50, Checks: []score.Check{chk(score.Owner, true), chk(score.Lifecycle, false)}},
		{Ref: "component:default/c", Kind: "Component", Owner: "team-pay", Score: 80, Checks: []score.Check{chk(score.Owner, true), chk(score.Lifecycle, true), chk(score.Description, false)}},
		{Ref: "component:default/d", Kind: "Component", Owner: "team-pay", Score: 20, Checks: []score.Check{chk(score.Owner, false), chk(score.Lifecycle, false)}},
	}
}

func fixture() *Report {
	r := Build(fixtureScores(), []string{"github:acme"}, true, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	r.Coverage = &Coverage{Repos: 4, WithCatalog: 3, Percent: 75, Without: []string{"acme/old-tool"}}
	r.AddToHistory([]Point{
		{Date: "2026-11-09", CompletePercent: 0, MeanScore: 40, Metrics: map[score.Metric]float64{score.Owner: 50}, Teams: map[string]TeamPoint{"team-web": {MeanScore: 60}}},
		{Date: "2026-11-16", CompletePercent: 12.5, MeanScore: 55, Metrics: map[score.Metric]float64{score.Owner: 75, score.Lifecycle: 60}, Teams: map[string]TeamPoint{"team-web": {MeanScore: 70}, "team-pay": {MeanScore: 52.5}}},
	})
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(p, got, 0o644)
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test ./pkg/weekly -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestFiguresByHand(t *testing.T) {
	r := fixture()
	if r.Org.CompletePercent != 25 || r.Org.MeanScore != 62.5 || r.Org.Metrics[score.Owner].Percent != 75 || r.Org.Metrics[score.Lifecycle].Percent != 50 {
		t.Errorf("org: %+v owner %+v lifecycle %+v", r.Org, r.Org.Metrics[score.Owner], r.Org.Metrics[score.Lifecycle])
	}
	if len(r.Teams) != 2 || r.Teams[0].Key != "team-pay" || r.Teams[0].MeanScore != 50 || r.Teams[1].MeanScore != 75 || r.Teams[1].CompletePercent != 50 {
		t.Errorf("teams: %+v", r.Teams)
	}
	pay := r.Teams[0]
	if len(pay.Failing) != 3 || pay.Failing[0].Metric != score.Owner || strings.Join(pay.Failing[1].Entities, ",") != "component:default/d" {
		t.Errorf("team-pay failing: %+v", pay.Failing)
	}
	if p := r.Previous(); p == nil || p.Date != "2026-11-16" || len(r.History) != 3 {
		t.Errorf("history: %+v", r.History)
	}
}

func TestFormats(t *testing.T) {
	r := fixture()
	for name, write := range map[string]func(io.Writer, *Report) error{"report.md": Markdown, "report.json": JSON, "report.csv": CSV, "badge.svg": Badge} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		golden(t, name, b.Bytes())
	}
	var md bytes.Buffer
	Markdown(&md, r)
	for _, want := range []string{"**25.0%** of 4 entities are complete (+12.5 since 2026-11-16)", "Trend over 3 reports: `▁▂▃`", "| **valid owner** | 75.0% (3/4) | ±0 |", "| team-pay | 2 | 0.0% | 50.0 | −2.5 |", "3 of 4 repositories (75.0%)"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestHistoryFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "history.json")
	if pts, err := ReadHistory(p); err != nil || pts != nil {
		t.Fatalf("missing file: %v %v", pts, err)
	}
	r := fixture()
	if err := WriteHistory(p, r.History); err != nil {
		t.Fatal(err)
	}
	pts, err := ReadHistory(p)
	if err != nil || len(pts) != 3 || pts[2].MeanScore != 62.5 {
		t.Fatalf("read back: %+v %v", pts, err)
	}
	// A second run the same day replaces, not adds.
	r.AddToHistory(pts)
	if len(r.History) != 3 {
		t.Errorf("same-day rerun: %d points", len(r.History))
	}
	os.WriteFile(p, []byte(`{"version": 7}`), 0o644)
	if _, err := ReadHistory(p); err == nil {
		t.Error("future version accepted")
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	r := Build([]score.Entity{{Ref: "x", Owner: "=HYPERLINK(\"http://evil\")", Score: 1}}, nil, true, time.Unix(0, 0))
	var b bytes.Buffer
	CSV(&b, r)
	if !strings.Contains(b.String(), `'=HYPERLINK`) {
		t.Errorf("csv: %s", b.String())
	}
}

// fakeIssues speaks GitHub's issues API: list (paginated), create, update.
type fakeIssues struct {
	mu      sync.Mutex
	issues  []*gh.Issue
	creates int
	updates int
	srv     *httptest.Server
}

func newFakeIssues(t *testing.T) *fakeIssues {
	f := &fakeIssues{}
	// Another open issue with the label but no marker, on page 1.
	f.issues = append(f.issues, &gh.Issue{Number: new(1), Title: new("Catalog completeness report, 2026-W48"), Body: new("someone else's")})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/platform/issues":
			if r.URL.Query().Get("labels") != Label || r.URL.Query().Get("state") != "open" {
				t.Errorf("list query: %s", r.URL.RawQuery)
			}
			page := r.URL.Query().Get("page")
			if page == "" || page == "1" {
				w.Header().Set("Link", fmt.Sprintf(`<%s/repos/acme/platform/issues?page=2>; rel="next"`, f.srv.URL))
				json.NewEncoder(w).Encode(f.issues[:1])
				return
			}
			json.NewEncoder(w).Encode(f.issues[1:])
		case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/platform/issues":
			var req gh.CreateIssueRequest
			json.NewDecoder(r.Body).Decode(&req)
			f.creates++
			is := &gh.Issue{Number: new(len(f.issues) + 1), Title: new(req.Title), Body: req.Body, HTMLURL: new(fmt.Sprintf("https://github.com/acme/platform/issues/%d", len(f.issues)+1))}
			f.issues = append(f.issues, is)
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(is)
		case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/platform/issues/"):
			var req gh.UpdateIssueRequest
			json.NewDecoder(r.Body).Decode(&req)
			f.updates++
			for _, is := range f.issues {
				if fmt.Sprintf("/repos/acme/platform/issues/%d", is.GetNumber()) == r.URL.Path {
					is.Body = req.Body
					json.NewEncoder(w).Encode(is)
					return
				}
			}
			http.NotFound(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func TestPublish(t *testing.T) {
	f := newFakeIssues(t)
	base := f.srv.URL + "/"
	client, err := gh.NewClient(gh.WithURLs(&base, &base))
	if err != nil {
		t.Fatal(err)
	}
	r := fixture()
	var md bytes.Buffer
	Markdown(&md, r)
	ctx := context.Background()
	action, url, err := Publish(ctx, client, "acme", "platform", "weekly", r, md.String())
	if err != nil || action != "created" || !strings.HasSuffix(url, "/issues/2") || f.creates != 1 {
		t.Fatalf("first: %s %s %v creates=%d", action, url, err, f.creates)
	}
	if action, _, err := Publish(ctx, client, "acme", "platform", "weekly", r, md.String()); err != nil || action != "unchanged" || f.updates != 0 {
		t.Errorf("same body: %s %v updates=%d", action, err, f.updates)
	}
	if action, _, err := Publish(ctx, client, "acme", "platform", "weekly", r, md.String()+"\nmore"); err != nil || action != "updated" || f.updates != 1 || f.creates != 1 {
		t.Errorf("changed body: %s %v updates=%d creates=%d", action, err, f.updates, f.creates)
	}
	// Next week is a new issue in weekly mode, the same one when pinned.
	next := fixture()
	next.GeneratedAt = next.GeneratedAt.AddDate(0, 0, 7)
	if action, _, _ := Publish(ctx, client, "acme", "platform", "weekly", next, md.String()); action != "created" {
		t.Errorf("next week: %s", action)
	}
}

func TestUnverifiedOwnersAreNotAPercentage(t *testing.T) {
	// Without an owner directory a set owner passes; no report may call
	// that "valid owner 75%".
	r := Build(fixtureScores(), []string{"dir:catalog"}, false, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	var md, html, csv bytes.Buffer
	if err := Markdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := CSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| **valid owner** | not verified (3/4 set) | – |") || strings.Contains(md.String(), "75.0% (3/4)") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if !strings.Contains(html.String(), ">not verified (3/4 set)<") || strings.Contains(html.String(), "75.0% (3/4)") {
		t.Error("html shows a percentage of unverified owners")
	}
	// The CSV's owner_percent column (the 7th) is empty.
	row := strings.Split(strings.Split(csv.String(), "\n")[1], ",")
	if row[6] != "" || row[9] != "50.0" {
		t.Errorf("csv row %q", row)
	}
	if _, ok := r.Point().Metrics[score.Owner]; ok {
		t.Error("the history keeps an unverified owner rate")
	}
}
