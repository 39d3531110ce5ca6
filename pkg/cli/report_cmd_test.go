package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	hist, badge, html := filepath.Join(dir, "history.json"), filepath.Join(dir, "badge.svg"), filepath.Join(dir, "r.html")
	r := run(t, "", nil, "report", "--history", hist, "--badge", badge, "--format", "html", "-o", html, "../../examples/acme")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	for _, f := range []string{hist, badge, html} {
		if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	b, _ := os.ReadFile(html)
	if !strings.Contains(string(b), "<svg") || strings.Contains(string(b), "<script") {
		t.Error("the HTML report has no chart, or a script")
	}
	// A second run reads the history back and shows the change.
	r = run(t, "", nil, "report", "--history", hist, "--format", "json", "../../examples/acme")
	var doc struct {
		Organisation struct {
			Entities  int     `json:"entities"`
			MeanScore float64 `json:"meanScore"`
		} `json:"organisation"`
		History []struct {
			Date string `json:"date"`
		} `json:"history"`
		Teams []struct {
			Key string `json:"key"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil || doc.Organisation.Entities != 5 || len(doc.History) != 1 || len(doc.Teams) != 2 {
		t.Errorf("json: %v %+v", err, doc)
	}
	r = run(t, "", nil, "report", "--format", "csv", "../../examples/acme")
	if r.code != 0 || !strings.HasPrefix(r.out, "date,team,entities") || strings.Count(r.out, "\n") != 4 {
		t.Errorf("csv: %s", r.out)
	}
	for _, bad := range [][]string{{"report", "--format", "pdf"}, {"report", "--publish", "slack"}, {"report", "--publish", "github-issue"}, {"report", "--issue", "monthly"}} {
		if r := run(t, "", nil, bad...); r.code != ExitUsage {
			t.Errorf("%v: exit %d", bad, r.code)
		}
	}
}
