package report

import (
	"bytes"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{"%0A", "%250A", "%250A"},
		{"<script>@someone|`x`", "<script>@someone|`x`", "<script>@someone|`x`"},
	} {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

// runnerCommand parses a line as the Actions runner parses a "::" workflow
// command (ActionCommand.TryParseV2 in actions/runner): the command name
// up to a space, properties split at "," and then at the first "=", the
// data after the next "::", and the runner's unescaping, which replaces
// %0D %0A (%3A %2C for properties) and %25 last, in that order.
func runnerCommand(line string) (name string, props map[string]string, data string, ok bool) {
	line = strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(line, "::") {
		return "", nil, "", false
	}
	end := strings.Index(line[2:], "::")
	if end < 0 {
		return "", nil, "", false
	}
	info := line[2 : 2+end]
	name, rest, _ := strings.Cut(info, " ")
	props = map[string]string{}
	for _, p := range strings.Split(strings.TrimSpace(rest), ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" && v != "" {
			props[k] = unescape(v, "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
		}
	}
	data = unescape(line[2+end+2:], "%0D", "\r", "%0A", "\n", "%25", "%")
	return name, props, data, true
}

func unescape(s string, pairs ...string) string {
	for i := 0; i < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return s
}

func TestGitHubCommandsAsTheRunnerReadsThem(t *testing.T) {
	r := fixture()
	var b bytes.Buffer
	if err := GitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(r.Diagnostics) {
		t.Fatalf("%d lines for %d diagnostics:\n%s", len(lines), len(r.Diagnostics), b.String())
	}
	for i, d := range r.Diagnostics {
		name, props, data, ok := runnerCommand(lines[i])
		if !ok {
			t.Fatalf("line %d is not a workflow command: %q", i+1, lines[i])
		}
		want := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Notice: "notice"}[d.Severity]
		if name != want {
			t.Errorf("line %d: command %q, want %q", i+1, name, want)
		}
		if data != safeBreaks(withSuggestion(d)) {
			t.Errorf("line %d: message %q, want %q", i+1, data, safeBreaks(withSuggestion(d)))
		}
		if props["title"] != "catalint ("+d.Rule+")" {
			t.Errorf("line %d: title %q", i+1, props["title"])
		}
		wantProps := map[string]string{"title": props["title"]}
		if d.File != "" {
			wantProps["file"] = d.File
			if d.Line > 0 {
				for k, v := range map[string]int{"line": d.Line, "col": d.Column, "endLine": d.EndLine, "endColumn": d.EndColumn} {
					if v > 0 {
						wantProps[k] = strconv.Itoa(v)
					}
				}
			}
		}
		if fmt.Sprint(props) != fmt.Sprint(wantProps) {
			t.Errorf("line %d: properties %v, want %v", i+1, props, wantProps)
		}
	}
}

// Any text survives the trip through the runner, and never ends the line
// or the command early.
func TestGitHubRoundTripRandomText(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{"%", "%25", "%0A", ":", "::", ",", "=", "\r", "\n", "\r\n", " ", "a", "é", "@x", "::error::", "title="}
	for i := 0; i < 2000; i++ {
		var msg, file strings.Builder
		for j := rng.Intn(12); j >= 0; j-- {
			msg.WriteString(alphabet[rng.Intn(len(alphabet))])
			file.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		d := diag.Diagnostic{Pos: diag.Pos{File: "f" + file.String(), Line: 2, Column: 1}, Severity: diag.Warning, Rule: "r,u:le", Message: msg.String()}
		var b bytes.Buffer
		if err := GitHub(&b, &lint.Result{Diagnostics: []diag.Diagnostic{d}}); err != nil {
			t.Fatal(err)
		}
		out := strings.TrimSuffix(b.String(), "\n")
		if strings.ContainsAny(out, "\r\n") {
			t.Fatalf("command spans lines: %q", out)
		}
		_, props, data, ok := runnerCommand(out)
		if !ok || data != d.Message || props["file"] != d.File || props["title"] != "catalint (r,u:le)" || props["line"] != "2" {
			t.Fatalf("%q -> %q: props %v, data %q", d.Message, out, props, data)
		}
	}
}

func TestGitHubPositions(t *testing.T) {
	for _, tc := range []struct {
		pos  diag.Pos
		want string
	}{
		{diag.Pos{}, "::error title=catalint (x)::m\n"},
		{diag.Pos{File: "a b/ç.yaml"}, "::error file=a b/ç.yaml,title=catalint (x)::m\n"},
		{diag.Pos{File: "a.yaml", Line: 3}, "::error file=a.yaml,line=3,title=catalint (x)::m\n"},
		{diag.Pos{File: "a.yaml", Line: 3, Column: 2, EndLine: 3, EndColumn: 2}, "::error file=a.yaml,line=3,col=2,endLine=3,title=catalint (x)::m\n"},
		{diag.Pos{File: "a.yaml", Line: 3, Column: 2, EndLine: 4, EndColumn: 1}, "::error file=a.yaml,line=3,col=2,endLine=4,endColumn=1,title=catalint (x)::m\n"},
		{diag.Pos{File: "a.yaml", Line: 3, Column: 2, EndLine: 1, EndColumn: 9}, "::error file=a.yaml,line=3,col=2,title=catalint (x)::m\n"},
	} {
		var b bytes.Buffer
		GitHub(&b, &lint.Result{Diagnostics: []diag.Diagnostic{{Pos: tc.pos, Severity: diag.Error, Rule: "x", Message: "m"}}})
		if b.String() != tc.want {
			t.Errorf("%+v: %q, want %q", tc.pos, b.String(), tc.want)
		}
	}
}
