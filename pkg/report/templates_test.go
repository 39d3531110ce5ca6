package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/lint"
)

// The golden paths a check rendered are summed up at the end of the text
// output and listed in the JSON output; a run that rendered none shows
// neither.
func TestTemplatesSummary(t *testing.T) {
	r := fixture()
	var b bytes.Buffer
	if err := Text(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "golden paths") {
		t.Errorf("no Template rendered, yet:\n%s", b.String())
	}
	b.Reset()
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"templates"`) {
		t.Errorf("no Template rendered, yet:\n%s", b.String())
	}

	r.Templates = []lint.TemplateRender{
		{File: "templates/go/template.yaml", Name: "go-service", Steps: 2, Files: 2, Warnings: 1, Unknown: 3},
		{File: "templates/web/template.yaml", Name: "web\napp", Steps: 2, Unfollowed: 1, Files: 1, Errors: 2},
	}
	b.Reset()
	if err := Text(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := "3 errors, 3 warnings, 2 notices in 5 files (5 documents); golden paths: 2 templates, 3 catalog files rendered, 1 template(s) failing, 1 fetch step not followed (remote or templated url)"
	if got := lines[len(lines)-1]; got != want {
		t.Errorf("summary line\n%s\nwant\n%s", got, want)
	}
	b.Reset()
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Templates []jsonTemplate `json:"templates"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(doc.Templates) != 2 || doc.Templates[1] != (jsonTemplate{File: "templates/web/template.yaml", Name: "web\napp", Steps: 2, Unfollowed: 1, Files: 1, Errors: 2}) || doc.Templates[0].Unknown != 3 {
		t.Errorf("templates: %+v", doc.Templates)
	}
}
