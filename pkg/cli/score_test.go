package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestScoreFormats(t *testing.T) {
	for _, f := range []string{"text", "json", "markdown"} {
		r := run(t, "", nil, "score", "--by", "owner", "--format", f, "../../examples/acme")
		if r.code != 0 {
			t.Fatalf("%s: exit %d %s", f, r.code, r.err)
		}
		golden(t, "score."+f, r.out)
	}
	r := run(t, "", nil, "score", "--format", "json", "../../examples/acme")
	var doc struct {
		Summary struct {
			Entities  int     `json:"entities"`
			MeanScore float64 `json:"meanScore"`
		} `json:"summary"`
		Entities []struct {
			Ref   string  `json:"ref"`
			Score float64 `json:"score"`
		} `json:"entities"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil || doc.Summary.Entities != 5 || len(doc.Entities) != 5 {
		t.Errorf("json: %v %+v", err, doc)
	}
	if r := run(t, "", nil, "score", "--by", "colour", "../../examples/acme"); r.code != ExitUsage {
		t.Errorf("--by colour: exit %d", r.code)
	}
}

func TestCheckMinScore(t *testing.T) {
	if r := run(t, "", nil, "check", "--min-score", "50", "../../examples/acme"); r.code != 0 {
		t.Errorf("--min-score 50: exit %d %s", r.code, r.err)
	}
	r := run(t, "", nil, "check", "--min-score", "95", "../../examples/acme")
	if r.code != ExitProblems || !strings.Contains(r.err, "below --min-score 95.0") {
		t.Errorf("--min-score 95: exit %d %s", r.code, r.err)
	}
	if r := run(t, "", nil, "check", "--min-score", "101", "../../examples/acme"); r.code != ExitUsage {
		t.Errorf("--min-score 101: exit %d", r.code)
	}
}
