package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",innerxml"` // escaped by xmlText
}

type junitText struct {
	Text string `xml:",innerxml"` // escaped by xmlText
}

// junitRunSuite names the suite of the diagnostics about the whole run.
const junitRunSuite = "catalint"

// JUnit writes the result as JUnit XML, for CI systems that show test
// reports: one <testsuite> per checked file (named by its path) and one
// <testcase> per document (named by its entity reference, or "document N";
// classname is the file). A document with errors has a <failure> whose
// message and type are the first error's message and rule, and whose body
// lists every error as "line:col: message [rule]" (and "    = suggestion"),
// one line each; warnings and notices go
// to <system-out>. A file with no documents is a suite with one test case
// named "file" when it has diagnostics. Diagnostics about the whole run (no
// file) are a last suite, "catalint", with one test case "run". All text is
// escaped, and characters XML cannot hold become U+FFFD, so the document is
// always well-formed.
func JUnit(w io.Writer, r *lint.Result) error {
	files, run := groupResult(r)
	out := junitSuites{Name: "catalint"}
	for _, f := range files {
		s := junitSuite{Name: safeBreaks(f.Path)} // attributes: see safeBreaks
		for _, d := range f.Docs {
			s.add(junitTest(d.Name(), f.Path, d.Diags))
		}
		if len(f.Docs) == 0 && len(f.Loose) > 0 {
			s.add(junitTest("file", f.Path, f.Loose))
		}
		out.add(s)
	}
	if len(run) > 0 {
		s := junitSuite{Name: junitRunSuite}
		s.add(junitTest("run", junitRunSuite, run))
		out.add(s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	s.Cases = append(s.Cases, c)
}

func (s *junitSuites) add(su junitSuite) {
	s.Tests += su.Tests
	s.Failures += su.Failures
	s.Suites = append(s.Suites, su)
}

func junitTest(name, classname string, ds []diag.Diagnostic) junitCase {
	c := junitCase{Name: safeBreaks(name), Classname: safeBreaks(classname)}
	var fail, out strings.Builder
	for _, d := range ds {
		if d.Severity == diag.Error {
			if c.Failure == nil {
				c.Failure = &junitFailure{Message: safeBreaks(d.Message), Type: safeBreaks(d.Rule)}
			}
			fmt.Fprintf(&fail, "%s: %s [%s]\n", junitPos(d), oneLine(d.Message), d.Rule)
			if d.Suggestion != "" {
				fmt.Fprintf(&fail, "    = %s\n", oneLine(d.Suggestion))
			}
			continue
		}
		fmt.Fprintf(&out, "%s: %s: %s [%s]\n", junitPos(d), d.Severity, oneLine(d.Message), d.Rule)
		if d.Suggestion != "" {
			fmt.Fprintf(&out, "    = %s\n", oneLine(d.Suggestion))
		}
	}
	if c.Failure != nil {
		c.Failure.Body = xmlText(fail.String())
	}
	if out.Len() > 0 {
		c.SystemOut = &junitText{Text: xmlText(out.String())}
	}
	return c
}

// xmlText escapes character data like encoding/xml does, but keeps line
// feeds as they are so that the report reads as lines: & < > are
// references, a carriage return is &#xD; (a parser would turn a raw one
// into a line feed), and a character XML cannot hold (most C0 controls, a
// lone surrogate, U+FFFE, U+FFFF) becomes U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r != '\n' && unsafeRune(r):
			b.WriteRune('\uFFFD') // bidirectional controls, DEL, C1: see unsafeRune
		case r == '\n' || r == '\t' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF):
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD')
		}
	}
	return b.String()
}

// oneLine keeps a diagnostic on its line: line breaks in a message become
// " ↵ ". (The failure's message attribute keeps them, escaped.)
func oneLine(s string) string {
	return mdLineBreaks.Replace(s)
}

// junitPos is "line:col", "line", or "file" for a diagnostic about the whole
// file and "run" for one about the whole run.
func junitPos(d diag.Diagnostic) string {
	switch {
	case d.File == "":
		return "run"
	case d.Line <= 0:
		return "file"
	case d.Column <= 0:
		return fmt.Sprint(d.Line)
	}
	return fmt.Sprintf("%d:%d", d.Line, d.Column)
}
