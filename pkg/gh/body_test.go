package gh

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/score"
)

func scored(ref string, s float64, failing ...score.Metric) score.Entity {
	e := score.Entity{Ref: ref, Score: s, Complete: len(failing) == 0, Level: "Bronze"}
	for _, m := range score.Metrics {
		fail := false
		for _, f := range failing {
			fail = fail || f == m
		}
		e.Checks = append(e.Checks, score.Check{Metric: m, Applicable: true, Pass: !fail})
	}
	return e
}

// hostile is what a catalog file may hold to turn a comment into markup.
const hostile = "ping @someone <img src=x onerror=alert(1)> [link](http://evil) | cell | #12 `code` **bold** <!-- x --> https://evil.example www.evil.example"

func hostileResult() *lint.Result {
	return &lint.Result{
		Files: 2,
		Entities: []lint.Entity{
			{File: "services/pay|ments/catalog-info.yaml", Document: 1, Line: 1, Ref: "component:default/pay-@someone"},
			{File: "services/web/catalog-info.yaml", Document: 1, Line: 1, Ref: "component:default/web"},
		},
		Diagnostics: []diag.Diagnostic{
			{Pos: diag.Pos{File: "services/pay|ments/catalog-info.yaml", Line: 5, Column: 3}, Severity: diag.Error, Rule: "schema",
				Entity: "component:default/pay-@someone", Message: "metadata.description " + hostile, Suggestion: "did you mean " + hostile + "?"},
			{Pos: diag.Pos{File: "services/web/catalog-info.yaml", Line: 9, Column: 5}, Severity: diag.Warning, Rule: "style",
				Entity: "component:default/web", Message: "plain warning"},
		},
	}
}

// unescapedPipes counts the "|" not preceded by a backslash: GitHub's
// table cells.
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' {
			i++
			continue
		}
		if line[i] == '|' {
			n++
		}
	}
	return n
}

// liveText is the body without backslash escapes and code spans: the text
// GitHub scans for markup, mentions and references.
func liveText(s string) string {
	s = regexp.MustCompile(`(?s)\\.`).ReplaceAllString(s, "·")
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		fence := strings.Repeat("`", n)
		// The closing run: exactly n backticks.
		j := i + n
		for {
			k := strings.Index(s[j:], fence)
			if k < 0 {
				j = -1
				break
			}
			k += j
			if (k+n >= len(s) || s[k+n] != '`') && (k == 0 || s[k-1] != '`') {
				j = k
				break
			}
			j = k + n
			for j < len(s) && s[j] == '`' {
				j++
			}
		}
		if j < 0 {
			b.WriteString(fence)
			i += n
			continue
		}
		b.WriteString("«code»")
		i = j + n
	}
	return b.String()
}

func TestCommentBodyEscapes(t *testing.T) {
	body := CommentBody(CommentInput{
		Result: hostileResult(), Failed: true,
		Scores:  []score.Entity{scored("component:default/pay-@someone", 40, score.Description, score.Owner), scored("component:default/web", 100)},
		Version: "v1.2.3 <b>", Commit: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
		RunURL: "https://github.com/acme/platform/actions/runs/1", Command: "catalint check services",
	})
	t.Log(body)
	if !strings.HasPrefix(body, DefaultMarker+"\n### ❌ catalint failed\n") {
		t.Fatalf("body does not start with the marker and the verdict:\n%s", body)
	}
	// Nothing of the hostile text is live: outside code spans and
	// backslash escapes, no mention, HTML, link, reference or emphasis.
	if l := liveText(hostile); !strings.Contains(l, "@someone") || !strings.Contains(l, "<img") || strings.Contains(l, "`code`") {
		t.Fatalf("liveText does not see live text: %q", l)
	}
	live := liveText(body)
	for _, l := range []string{"@someone", "<img", "](http://evil)", "<!-- x", "https://evil", "www.evil", "#12", "**bold**", "<b>"} {
		if strings.Contains(live, l) {
			t.Errorf("body holds live %q", l)
		}
	}
	// …but it is all there, readable.
	for _, text := range []string{`@` + "\u200d" + `someone`, `\<img src=x onerror=alert\(1\)\>`, `\[link\]\(http:` + "\u200d" + `//evil\)`, `\| cell \|`} {
		if !strings.Contains(body, text) {
			t.Errorf("body lacks the escaped %q", text)
		}
	}
	// The only links are ours.
	for _, m := range regexp.MustCompile(`\]\(([^)]*)\)`).FindAllStringSubmatch(body, -1) {
		if !strings.HasPrefix(m[1], "https://github.com/catalint-dev/catalint/blob/main/docs/rules.md#") && m[1] != "https://github.com/acme/platform/actions/runs/1" {
			t.Errorf("unexpected link target %q", m[1])
		}
	}
	// Every table row has its columns, whatever the cells hold.
	cols := 0
	for _, l := range strings.Split(body, "\n") {
		if !strings.HasPrefix(l, "|") {
			cols = 0
			continue
		}
		n := unescapedPipes(l)
		if cols == 0 {
			cols = n
		}
		if n != cols {
			t.Errorf("row has %d cells, its table %d: %q", n-1, cols-1, l)
		}
	}
	for _, want := range []string{"**1 error**", "**1 warning**", "2 files", "#### What to do", "`catalint check services`", "commit `6dcb09b`", "[workflow run](https://github.com/acme/platform/actions/runs/1)", "add a one-line metadata.description"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	first := CommentBody(CommentInput{Result: hostileResult(), Failed: true})
	if second := CommentBody(CommentInput{Result: hostileResult(), Failed: true}); first != second {
		t.Error("CommentBody is not deterministic: unchanged runs would update the comment")
	}
}

func TestCommentBodyScoreChange(t *testing.T) {
	now := []score.Entity{scored("component:default/a", 80, score.Links), scored("component:default/b", 80, score.Links)}
	base := score.Summarize("base", []score.Entity{scored("component:default/a", 72, score.Links), scored("component:default/b", 72, score.Links)})
	body := CommentBody(CommentInput{Result: &lint.Result{Files: 1}, Scores: now, BaseScore: &base, Baseline: "main"})
	if !strings.Contains(body, "**72.0 → 80.0 (+8.0)** against `main`") {
		t.Errorf("no score change in:\n%s", body)
	}
	if !strings.Contains(body, "### ✅ catalint passed") || !strings.Contains(body, "Nothing to do") {
		t.Errorf("no pass verdict in:\n%s", body)
	}
	// A drop says so, and what to do.
	body = CommentBody(CommentInput{Result: &lint.Result{Files: 1}, Scores: now, BaseScore: &score.Aggregate{MeanScore: 88, CompletePercent: 50}, Baseline: "main"})
	if !strings.Contains(body, "**88.0 → 80.0 (-8.0)**") || !strings.Contains(body, "Completeness dropped by 8.0") || !strings.Contains(body, "add metadata.links") {
		t.Errorf("no drop in:\n%s", body)
	}
	// Below --min-score.
	body = CommentBody(CommentInput{Result: &lint.Result{Files: 1}, Scores: now, MinScore: 90, Failed: true})
	if !strings.Contains(body, "**80.0**") || !strings.Contains(body, "(minimum 90.0)") || !strings.Contains(body, "Raise the mean completeness score from 80.0 to at least 90.0") {
		t.Errorf("no minimum in:\n%s", body)
	}
}

func TestCommentBodyBaseline(t *testing.T) {
	r := &lint.Result{
		Files:    1,
		Entities: []lint.Entity{{File: "a.yaml", Document: 1, Line: 1, Ref: "component:default/old"}, {File: "a.yaml", Document: 2, Line: 20, Ref: "component:default/new"}},
		Diagnostics: []diag.Diagnostic{
			{Pos: diag.Pos{File: "a.yaml", Line: 3}, Severity: diag.Error, Rule: "schema", Entity: "component:default/old", Message: "old problem", Baseline: true},
			{Pos: diag.Pos{File: "a.yaml", Line: 22}, Severity: diag.Error, Rule: "schema", Entity: "component:default/new", Message: "new problem"},
		},
	}
	body := CommentBody(CommentInput{Result: r, Failed: true, Baseline: "main"})
	for _, want := range []string{"**2 errors** (1 new)", "Fix the 1 new error below", "1 problem was already on `main`", "🆕 new problem", "- 🆕 ❌ **error** `a.yaml:22`"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	// The entity with the new error comes first.
	if i, j := strings.Index(body, "`component:default/new`"), strings.Index(body, "`component:default/old`"); i < 0 || j < 0 || i > j {
		t.Errorf("new before old: %d %d", i, j)
	}
}

func TestCommentBodyTenThousandProblems(t *testing.T) {
	r := &lint.Result{Files: 2000}
	var scores []score.Entity
	for i := range 10000 {
		file := fmt.Sprintf("services/svc-%04d/catalog-info.yaml", i/5)
		ref := fmt.Sprintf("component:default/svc-%05d", i)
		r.Entities = append(r.Entities, lint.Entity{File: file, Document: i%5 + 1, Line: (i%5)*20 + 1, Ref: ref})
		r.Diagnostics = append(r.Diagnostics, diag.Diagnostic{
			Pos: diag.Pos{File: file, Line: (i%5)*20 + 3, Column: 3}, Severity: diag.Error, Rule: "schema", Entity: ref,
			Message: "missing required field \"lifecycle\" in spec " + hostile, Suggestion: "did you mean \"lifecycle\" instead of \"lifecyle\"?",
		})
		scores = append(scores, scored(ref, 50, score.Lifecycle, score.Links))
	}
	body := CommentBody(CommentInput{Result: r, Failed: true, Scores: scores, BaseScore: &score.Aggregate{MeanScore: 60}})
	if n := len(body); n > CommentLimit {
		t.Fatalf("body is %d bytes, over %d", n, CommentLimit)
	}
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Fatalf("body is %d characters", n)
	}
	if len(body) < CommentLimit-4096 {
		t.Errorf("body is %d bytes: far below the limit", len(body))
	}
	for _, want := range []string{"**10000 errors**", "more entities with problems not shown in the table", "more diagnostics not shown", "more entities to complete not shown", "#### What to do", "this comment is updated on every run</sub>\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Count(body, "<details>") != strings.Count(body, "</details>") {
		t.Error("a <details> block is left open")
	}
	if !utf8.ValidString(body) {
		t.Error("invalid UTF-8")
	}
	// Small bounds hold too.
	for _, max := range []int{500, 3000, 20000} {
		if b := CommentBody(CommentInput{Result: r, Failed: true, Scores: scores, MaxBytes: max}); len(b) > max {
			t.Errorf("MaxBytes %d: %d bytes", max, len(b))
		}
	}
}

func TestCommentBodyEmpty(t *testing.T) {
	body := CommentBody(CommentInput{})
	if !strings.Contains(body, "### ✅ catalint passed") || !strings.Contains(body, "0 errors, 0 warnings") || strings.Contains(body, "Completeness") {
		t.Errorf("empty body:\n%s", body)
	}
	if strings.Contains(CommentBody(CommentInput{RunURL: "https://x/a)(b"}), "workflow run") {
		t.Error("a URL that could break the link was used")
	}
}

func TestRound1(t *testing.T) {
	for in, want := range map[float64]string{8: "+8.0", -8: "-8.0", -0.04: "+0.0", 0.04: "+0.0", 0.05: "+0.1", -0.05: "-0.1"} {
		if got := fmt.Sprintf("%+.1f", round1(in)); got != want {
			t.Errorf("round1(%v) prints %s, want %s", in, got, want)
		}
	}
}
