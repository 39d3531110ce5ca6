package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

type xSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   string   `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   string `xml:"errors,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut *string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func junitOf(t *testing.T, r *lint.Result) ([]byte, xSuites) {
	t.Helper()
	var b bytes.Buffer
	if err := JUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	// Well-formed: a strict decoder reads every token to the end.
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("JUnit output is not well-formed XML: %v\n%s", err, b.Bytes())
		}
	}
	var s xSuites
	if err := xml.Unmarshal(b.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), s
}

func TestJUnitRoundTrip(t *testing.T) {
	r := fixture()
	_, s := junitOf(t, r)
	if s.Errors != "0" {
		t.Errorf("errors=%q", s.Errors)
	}
	tests, failures := 0, 0
	suites := map[string]int{}
	for i, su := range s.Suites {
		suites[su.Name] = i
		if su.Tests != len(su.Cases) || su.Errors != "0" {
			t.Errorf("suite %s: tests=%d for %d cases, errors=%q", su.Name, su.Tests, len(su.Cases), su.Errors)
		}
		f := 0
		for _, c := range su.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Classname != su.Name {
				t.Errorf("case %s: classname %q in suite %q", c.Name, c.Classname, su.Name)
			}
		}
		if su.Failures != f {
			t.Errorf("suite %s: failures=%d, counted %d", su.Name, su.Failures, f)
		}
		tests += su.Tests
		failures += su.Failures
	}
	if s.Tests != tests || s.Failures != failures || tests != 7 || failures != 3 {
		t.Errorf("testsuites tests=%d failures=%d; suites add up to %d, %d; want 7, 3", s.Tests, s.Failures, tests, failures)
	}
	for _, name := range []string{fixBinary, fixMain, fixNoDocs, fixSpaced, "catalint"} {
		if _, ok := suites[name]; !ok {
			t.Errorf("no suite %q", name)
		}
	}
	main := s.Suites[suites[fixMain]]
	if len(main.Cases) != 3 || main.Cases[0].Name != "component:default/payments" || main.Cases[2].Name != "system:default/shop" || main.Cases[2].Failure != nil {
		t.Fatalf("suite %s: %+v", fixMain, main.Cases)
	}
	pay := main.Cases[0]
	if pay.Failure.Type != "schema" || pay.Failure.Message != `missing required field "lifecycle" in spec` ||
		!strings.Contains(pay.Failure.Body, "10:3: missing required field \"lifecycle\" in spec [schema]\n") {
		t.Errorf("failure %+v", pay.Failure)
	}
	if pay.SystemOut == nil || !strings.Contains(*pay.SystemOut, `12:3: warning: unknown field "ownr" in spec [unknown-field]`) {
		t.Errorf("warning not in system-out: %v", pay.SystemOut)
	}
	// The hostile message comes back as it was, but for the character XML
	// cannot hold.
	web := main.Cases[1]
	if want := strings.ReplaceAll(hostileMsg, "\x01", "\uFFFD"); web.Failure.Message != want {
		t.Errorf("message %q, want %q", web.Failure.Message, want)
	}
	if n := strings.Count(web.Failure.Body, "\n"); n != 2 {
		t.Errorf("body has %d lines, want the error and its suggestion:\n%s", n, web.Failure.Body)
	}
	// A file with no documents still appears.
	if su := s.Suites[suites[fixNoDocs]]; len(su.Cases) != 1 || su.Cases[0].Name != "file" || su.Cases[0].Failure != nil {
		t.Errorf("suite %s: %+v", fixNoDocs, su)
	}
	if su := s.Suites[suites[fixBinary]]; su.Failures != 1 || su.Cases[0].Failure.Type != "file" {
		t.Errorf("suite %s: %+v", fixBinary, su)
	}
}

func TestJUnitHostileText(t *testing.T) {
	var all strings.Builder
	for c := rune(0); c < 0x80; c++ {
		all.WriteRune(c)
	}
	msg := all.String() + "]]> <![CDATA[ &amp; \xff\xfe \uFFFE \U0001F600 </failure>"
	r := &lint.Result{
		Diagnostics: []diag.Diagnostic{
			{Pos: diag.Pos{File: "a&b<c>\".yaml", Line: 1, Column: 1}, Severity: diag.Error, Rule: "r\"<", Message: msg, Suggestion: msg},
			{Pos: diag.Pos{File: "a&b<c>\".yaml", Line: 2, Column: 1}, Severity: diag.Warning, Rule: "w", Message: msg},
		},
		Entities: []lint.Entity{{File: "a&b<c>\".yaml", Document: 1, Line: 1, Ref: "component:default/<x>&'\""}},
	}
	_, s := junitOf(t, r)
	c := s.Suites[0].Cases[0]
	if s.Suites[0].Name != "a&b<c>\".yaml" || c.Name != "component:default/<x>&'\"" || c.Failure.Type != "r\"<" {
		t.Errorf("names did not survive: %+v", s.Suites[0])
	}
	if !strings.Contains(c.Failure.Body, "]]> <![CDATA[ &amp; ") || !strings.Contains(*c.SystemOut, "</failure>") {
		t.Errorf("text did not survive: %q", c.Failure.Body)
	}
}

func TestJUnitNoDiagnostics(t *testing.T) {
	r := &lint.Result{Entities: []lint.Entity{{File: "a.yaml", Document: 1, Line: 1, Ref: "component:default/a"}}, Files: 1}
	raw, s := junitOf(t, r)
	if s.Tests != 1 || s.Failures != 0 || len(s.Suites) != 1 || s.Suites[0].Cases[0].Failure != nil || s.Suites[0].Cases[0].SystemOut != nil {
		t.Errorf("%s", raw)
	}
}
