package weekly

import (
	"bytes"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/adoption"
	"github.com/catalint-dev/catalint/pkg/score"
)

// Owner names come from catalog files: in the body --publish github-issue
// posts, none of them may mention, link, show an image, close the
// <details> block or add a tag, in the team table or in the summaries.
func TestMarkdownEscapesOwnerNames(t *testing.T) {
	hostile := []string{
		"@acme/security-team",
		"[click](https://evil.example/x)",
		"![i](https://evil.example/pixel.png)",
		"</details><img src=x onerror=alert(1)>",
		"a|b\n# Forged heading\n\n<script>",
		"#123 www.evil.example",
	}
	var es []score.Entity
	for _, o := range hostile {
		es = append(es, score.Entity{Ref: "component:default/x", Kind: "Component", Owner: o, Score: 0,
			Checks: []score.Check{chk(score.Owner, false)}})
	}
	r := Build(es, []string{"github:acme"}, true, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	r.Coverage = &Coverage{Repos: 2, WithCatalog: 1, Percent: 50, Without: []string{"acme/@evil</details>"}}
	r.Adoption = hostileAdoption(hostile)
	var b bytes.Buffer
	if err := Markdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	// What Markdown escaped with a backslash is text, and so is a code
	// span (an entity or template reference): look at the rest.
	unescaped := strings.NewReplacer(`\<`, "", `\[`, "", `\]`, "", `\(`, "", `\!`, "", `\#`, "").Replace(codeSpan.ReplaceAllString(md, "``"))
	for _, bad := range []string{"@acme", "@evil", "](", "<img", "<script", "</details><", "https://", "www.evil", "#123", "\n# Forged"} {
		if strings.Contains(unescaped, bad) {
			t.Errorf("%q reaches the issue body:\n%s", bad, md)
		}
	}
	if got, want := strings.Count(unescaped, "</details>"), strings.Count(unescaped, "<details>"); got != want {
		t.Errorf("%d </details> for %d <details>:\n%s", got, want, md)
	}
	// The table keeps its columns: one row per team, five cells each (the
	// adoption tables: four).
	for _, line := range strings.Split(md, "\n") {
		if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); strings.HasPrefix(line, "| ") && strings.Contains(line, "%") && n != 6 && n != 4 && n != 5 {
			t.Errorf("a row with its cells broken: %q", line)
		}
	}
}

// No format of the report writes a control character of catalog content
// raw: ESC, BEL, NUL, C1 and bidirectional controls.
func TestReportFormatsNeutraliseControls(t *testing.T) {
	owner := "evil\x1b]8;;https://x\x07\x00\u202e\u009b\n::error file=x::forged"
	es := []score.Entity{{Ref: "component:default/a\u202e", Kind: "Component", Owner: owner, Checks: []score.Check{chk(score.Owner, false)}}}
	r := Build(es, []string{"github:acme\x1b"}, true, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	r.Adoption = hostileAdoption([]string{owner})
	for name, write := range map[string]func(*bytes.Buffer, *Report) error{
		"markdown": func(b *bytes.Buffer, r *Report) error { return Markdown(b, r) },
		"html":     func(b *bytes.Buffer, r *Report) error { return HTML(b, r) },
		"json":     func(b *bytes.Buffer, r *Report) error { return JSON(b, r) },
		"csv":      func(b *bytes.Buffer, r *Report) error { return CSV(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "\n::error") {
			t.Errorf("%s: a line break of a name starts a workflow command", name)
		}
		if i := strings.IndexAny(b.String(), "\x1b\x07\x00\u202e\u009b"); i >= 0 {
			t.Errorf("%s: a raw control character at byte %d: %q", name, i, b.String()[max(0, i-40):min(b.Len(), i+40)])
		}
	}
}

// codeSpan is a code span of one line.
var codeSpan = regexp.MustCompile("`[^`\n]*`")

// hostileAdoption is an adoption section whose teams, templates (an
// annotation value that is no reference is kept as written) and new
// repositories are the names given.
func hostileAdoption(names []string) *adoption.Report {
	a := &adoption.Report{Components: len(names), FromTemplate: len(names), Percent: 100,
		New: &adoption.NewRepos{Days: 90, Since: "2026-08-25", Until: "2026-11-23", Repos: len(names)}}
	for _, n := range names {
		a.Templates = append(a.Templates, adoption.Template{Ref: n, Components: 1, Percent: 10})
		a.Teams = append(a.Teams, adoption.Team{Team: n, Components: 1, FromTemplate: 1, Percent: 100})
		a.New.NotFromTemplate = append(a.New.NotFromTemplate, adoption.NewRepo{Repo: "acme/" + n, Created: "2026-11-01"})
	}
	return a
}

// A history file that is /dev/zero is refused, not read without end.
func TestReadHistoryNotRegular(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	if _, err := ReadHistory("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("ReadHistory(/dev/zero): %v", err)
	}
}
