package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// hostileControls are what a catalog value could hold to act on a terminal
// or a log: an OSC 8 hyperlink, colour, a title, BEL, NUL, backspace, a CSI
// in C1, a bidirectional override and isolate, and a line break that would
// start a forged diagnostic.
const hostileControls = "a\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b[31mred\x1b]0;title\x07\x00\b\u009b2J\u202egnp.exe\u2066x\u2069\r\ncatalog-info.yaml:1:1: error: forged [schema]\u2028z"

func TestSafeLine(t *testing.T) {
	got := SafeLine(hostileControls)
	for _, bad := range []string{"\x1b", "\x07", "\x00", "\b", "\u009b", "\u202e", "\u2066", "\u2069", "\r", "\n", "\u2028"} {
		if strings.Contains(got, bad) {
			t.Errorf("SafeLine kept %q: %q", bad, got)
		}
	}
	if !strings.Contains(got, "↵↵catalog-info.yaml:1:1: error: forged") {
		t.Errorf("line breaks are not shown as ↵: %q", got)
	}
	// One rune for one: columns stay where they were.
	if a, b := len([]rune(hostileControls)), len([]rune(got)); a != b {
		t.Errorf("%d runes became %d", a, b)
	}
	for _, ok := range []string{"plain ascii", "tab\there", "çé ü 日本 😀"} {
		if SafeLine(ok) != ok {
			t.Errorf("SafeLine(%q) = %q", ok, SafeLine(ok))
		}
	}
	if got := SafeLine("a\xffb"); got != "a\ufffdb" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}

// No format that prints for a terminal or a log lets a control character
// or a forged line through, from any field: path, message, suggestion,
// rule, source line.
func TestFormatsNeutraliseControls(t *testing.T) {
	file := "x\x1b[2K\u202e.yaml"
	src := "name: " + hostileControls + "\n"
	r := &lint.Result{
		Diagnostics: []diag.Diagnostic{{Pos: diag.Pos{File: file, Line: 1, Column: 7, EndLine: 1, EndColumn: 12}, Severity: diag.Error,
			Rule: "format", Message: "metadata.name " + hostileControls, Suggestion: "use " + hostileControls}},
		Files:   1,
		Sources: map[string][]byte{file: []byte(src)},
	}
	for _, f := range []string{"text", "github", "junit", "markdown"} {
		var b bytes.Buffer
		var err error
		switch f {
		case "text":
			err = Text(&b, r, TextOptions{})
		case "github":
			err = GitHub(&b, r)
		case "junit":
			err = JUnit(&b, r)
		case "markdown":
			err = Markdown(&b, r, MarkdownOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, bad := range []string{"\x1b", "\x07", "\x00", "\b", "\u009b", "\u202e", "\u2066", "\u2069", "\u2028"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reaches the output:\n%q", f, bad, out)
			}
		}
		if f == "text" || f == "github" {
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "catalog-info.yaml:1:1") {
					t.Errorf("%s: a forged diagnostic line: %q", f, line)
				}
			}
		}
	}
	// The text format's marker still lines up under the value.
	var b bytes.Buffer
	Text(&b, r, TextOptions{})
	lines := strings.Split(b.String(), "\n")
	first, _, _ := strings.Cut(strings.TrimSuffix(strings.SplitN(src, "\n", 2)[0], "\r"), "\r")
	if !strings.HasSuffix(lines[1], "| "+SafeLine(first)) || !strings.HasPrefix(strings.TrimLeft(lines[2], " |"), "^~~~~") || strings.Index(lines[2], "^") != strings.Index(lines[1], "a\ufffd") {
		t.Errorf("snippet:\n%s", b.String())
	}
}

// JSON and SARIF keep every value as it is, but write the characters
// encoding/json leaves raw (DEL, C1, bidirectional controls) as \u escapes.
func TestJSONFormatsEscapeControls(t *testing.T) {
	msg := "a\u202eb\u009bc\x7fd\u2066e\ufeff\x1b"
	r := &lint.Result{Diagnostics: []diag.Diagnostic{{Pos: diag.Pos{File: "f\u202e.yaml", Line: 1, Column: 1}, Severity: diag.Error, Rule: "format", Message: msg}}, Files: 1}
	var j, s bytes.Buffer
	if err := JSON(&j, r); err != nil {
		t.Fatal(err)
	}
	if err := SARIF(&s, r, SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"json": j.String(), "sarif": s.String()} {
		if strings.ContainsAny(out, "\u202e\u009b\x7f\u2066\ufeff\x1b") {
			t.Errorf("%s: a raw control character: %q", name, out)
		}
		if !strings.Contains(out, `a\u202eb\u009bc\u007fd\u2066e\ufeff\u001b`) {
			t.Errorf("%s: %q", name, out)
		}
	}
	var back struct {
		Diagnostics []struct{ File, Message string }
	}
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back.Diagnostics[0].Message != msg || back.Diagnostics[0].File != "f\u202e.yaml" {
		t.Errorf("the JSON does not read back: %v %+v", err, back)
	}
}
