package report

import (
	"bytes"
	"fmt"
	"math/rand"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

func markdownOf(t *testing.T, r *lint.Result, o MarkdownOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := Markdown(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// outsideCode drops code spans, which GitHub renders literally.
func outsideCode(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] == '\\' && i+1 < len(line) {
			b.WriteString(line[i : i+2])
			i += 2
			continue
		}
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 1
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		fence := strings.Repeat("`", n)
		end := strings.Index(line[i+n:], fence)
		if end < 0 {
			b.WriteString(fence)
			i += n
			continue
		}
		b.WriteString("CODE")
		i += n + end + n
	}
	return b.String()
}

func TestMarkdownCannotBeInjected(t *testing.T) {
	out := markdownOf(t, fixture(), MarkdownOptions{})
	if m := regexp.MustCompile(`(^|[^\\])<[a-z/]`).FindString(out); m != "" {
		t.Errorf("output has an HTML tag: %q", m)
	}
	for _, bad := range []string{"@someone", "@team", "https://evil", "https://example", "#12", "deadbeef1", "\x01", "\r"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains raw %q", bad)
		}
	}
	if m := regexp.MustCompile(`@[A-Za-z0-9]`).FindString(out); m != "" {
		t.Errorf("output has a mention: %q", m)
	}
	lines := strings.Split(out, "\n")
	inTable := false
	for i, line := range lines {
		text := outsideCode(line)
		// Every markup character that came from a value is escaped: what
		// is left unescaped is catalint's own markup.
		unescaped := regexp.MustCompile(`(^|[^\\])[<>\[\]|*_~$&!` + "`" + `]`)
		for _, m := range unescaped.FindAllStringIndex(text, -1) {
			c := text[m[1]-1]
			own := (c == '|' && strings.HasPrefix(line, "|")) || (c == '*' && strings.Contains(line, "**")) ||
				((c == '[' || c == ']') && strings.Contains(line, "](https://github.com/catalint-dev/catalint/blob/main/docs/rules.md#"))
			if !own {
				t.Errorf("line %d: unescaped %q in %q", i+1, c, line)
			}
		}
		switch {
		case strings.HasPrefix(line, "| entity |"):
			inTable = true
		case inTable && line == "":
			inTable = false
		case inTable:
			if cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); cells != 5 {
				t.Errorf("line %d: table row with %d cell borders: %q", i+1, cells, line)
			}
		case line == "", strings.HasPrefix(line, "### "), strings.HasPrefix(line, "#### "), strings.HasPrefix(line, "- "), strings.HasPrefix(line, "  - 💡 "),
			regexp.MustCompile(`^\d+ errors?, `).MatchString(line):
		default:
			t.Errorf("line %d: a value started a line of its own: %q", i+1, line)
		}
	}
	// The values are all there, escaped.
	for _, want := range []string{
		`\<script\>alert\(1\)\</script\>`, "@\u200dsomeone", `a\|b`, "\\`code\\`", `\[x\]\(https:` + "\u200d//evil.example\\)",
		"\\#\u200d12", "deadbe\u200def1", `100% sure, really: yes ↵ next line`, "\\`@\u200dteam/web\\`, not \\<b\\>web\\</b\\>",
		"`services/my dir/çatalog-info.yaml:1`", "`location:default/ünïcode`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                   "plain text",
		`a\b`:                          `a\\b`,
		"<img src=x onerror=alert(1)>": `\<img src=x onerror=alert\(1\)\>`,
		"&lt; &#60;":                   "\\&lt; \\&\\#\u200d60;",
		"[a](b) ![c](d)":               `\[a\]\(b\) \!\[c\]\(d\)`,
		"*a* _b_ ~c~ $d$ {e}":          `\*a\* \_b\_ \~c\~ \$d\$ \{e\}`,
		"x | y":                        `x \| y`,
		"@org/team a@b.c":              "@\u200dorg/team a@\u200db.c",
		"#1 org/repo#2 GH-3 gh-4":      "\\#\u200d1 org/repo\\#\u200d2 GH\u200d-3 gh\u200d-4",
		"http://a ftp://b WWW.c www.d": "http:\u200d//a ftp:\u200d//b WWW\u200d.c www\u200d.d",
		"cafe123 1234567 abcdef0123":   "cafe12\u200d3 1234567 abcdef\u200d0123",
		"a\nb\r\nc\rd\u2028e":          "a ↵ b ↵ c ↵ d ↵ e",
		"bell\a":                       "bell\uFFFD",
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"a.yaml":    "`a.yaml`",
		"a`b":       "``a`b``",
		"`a":        "`` `a ``",
		"a``b":      "```a``b```",
		"x\ny.yaml": "`x ↵ y.yaml`",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownVerdict(t *testing.T) {
	warnOnly := &lint.Result{Files: 1, Diagnostics: []diag.Diagnostic{{Pos: diag.Pos{File: "a.yaml", Line: 1}, Severity: diag.Warning, Rule: "unknown-field", Message: "w"}}}
	if out := markdownOf(t, warnOnly, MarkdownOptions{}); !strings.HasPrefix(out, "### ✅ catalint passed\n\n0 errors, 1 warning, 0 notices in 1 file (0 documents).\n") {
		t.Errorf("warnings only:\n%s", out)
	}
	if out := markdownOf(t, warnOnly, MarkdownOptions{FailOnWarning: true}); !strings.HasPrefix(out, "### ❌ catalint failed") {
		t.Errorf("warnings with FailOnWarning:\n%s", out)
	}
	if out := markdownOf(t, fixture(), MarkdownOptions{}); !strings.HasPrefix(out, "### ❌ catalint failed\n\n3 errors, 3 warnings, 2 notices in 5 files (5 documents).\n") {
		t.Errorf("errors:\n%s", out)
	}
}

// big is a result with n files of one entity and three diagnostics each.
func big(n int) *lint.Result {
	r := &lint.Result{Files: n}
	for i := 0; i < n; i++ {
		f := fmt.Sprintf("teams/team-%04d/catalog-info.yaml", i)
		r.Entities = append(r.Entities, lint.Entity{File: f, Document: 1, Line: 1, Ref: fmt.Sprintf("component:default/service-%04d", i)})
		for j, sev := range []diag.Severity{diag.Error, diag.Warning, diag.Notice} {
			r.Diagnostics = append(r.Diagnostics, diag.Diagnostic{Pos: diag.Pos{File: f, Line: 3 + j, Column: 3}, Severity: sev, Rule: "schema",
				Message: strings.Repeat("a long message about @owner and <html> ", 3), Suggestion: "did you mean x?"})
		}
	}
	r.Diagnostics = diag.Sort(r.Diagnostics)
	return r
}

var notShown = regexp.MustCompile(`\n… (\d+) more diagnostics? not shown\.\n$`)

func TestMarkdownMaxBytes(t *testing.T) {
	r := big(400)
	full := markdownOf(t, r, MarkdownOptions{})
	if len(full) < 200_000 {
		t.Fatalf("the big result is only %d bytes", len(full))
	}
	if got := markdownOf(t, r, MarkdownOptions{MaxBytes: len(full)}); got != full {
		t.Error("output that fits is not written whole")
	}
	for _, limit := range []int{400, 1000, 4096, 20_000, 50_000, MarkdownCommentLimit, len(full) - 1} {
		out := markdownOf(t, r, MarkdownOptions{MaxBytes: limit})
		if len(out) > limit {
			t.Errorf("MaxBytes %d: %d bytes", limit, len(out))
		}
		m := notShown.FindStringSubmatch(out)
		if m == nil {
			t.Errorf("MaxBytes %d: no closing note:\n%s", limit, out[max(0, len(out)-300):])
			continue
		}
		hidden, _ := strconv.Atoi(m[1])
		shown := strings.Count(out, "\n- ")
		if shown+hidden != len(r.Diagnostics) {
			t.Errorf("MaxBytes %d: %d shown + %d not shown != %d diagnostics", limit, shown, hidden, len(r.Diagnostics))
		}
		if !strings.HasPrefix(out, "### ❌ catalint failed\n\n400 errors, 400 warnings, 400 notices") {
			t.Errorf("MaxBytes %d: heading lost", limit)
		}
		// Cut between pieces, never inside an item or a row.
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if strings.HasPrefix(line, "|") && !strings.HasSuffix(line, "|") {
				t.Errorf("MaxBytes %d: a row was cut: %q", limit, line)
			}
		}
		if strings.Contains(out, "#### ") && strings.HasSuffix(strings.TrimSuffix(out, m[0]), "\n\n") {
			t.Errorf("MaxBytes %d: a heading without items", limit)
		}
	}
	// A table too big to fit says so too.
	out := markdownOf(t, r, MarkdownOptions{MaxBytes: 4096})
	if !regexp.MustCompile(`\n… \d+ more entities not shown in the table\.\n`).MatchString(out) {
		t.Errorf("no note on the table:\n%s", out)
	}
}

// TestMarkdownRendersAsGitHubDoes renders the Markdown with cmark-gfm
// (GitHub's fork of cmark, with the extensions GitHub turns on) when it is
// installed (apt-get install cmark-gfm), and checks that hostile values
// produce no element of their own: the only links are catalint's links to
// docs/rules.md, and there is no emphasis, image, HTML or extra list item.
func TestMarkdownRendersAsGitHubDoes(t *testing.T) {
	bin, err := exec.LookPath("cmark-gfm")
	if err != nil {
		t.Skip("cmark-gfm is not installed (apt-get install cmark-gfm), so the Markdown is not rendered")
	}
	rng := rand.New(rand.NewSource(7))
	alphabet := []string{"<", ">", "a", "[", "]", "(", ")", "!", "*", "_", "~", "`", "``", "|", "&", "#", "1", "@", "x",
		"https://", "www.", ".com", "\n", "\n\n", "- ", "1. ", "> ", "    ", "$", ":", "\\", "<script>", "</", "&lt;", "&#x41;",
		"---", "===", "gh-1", "deadbeef12", "[^1]", "<!--", "-->", "<https://x.y>", "a@b.co", " ", "\t", "{", "}"}
	word := func() string {
		var b strings.Builder
		for j := 0; j < 12; j++ {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	r := &lint.Result{Files: 1}
	const n = 200
	for i := 0; i < n; i++ {
		f := word() + ".yaml"
		r.Entities = append(r.Entities, lint.Entity{File: f, Document: 1, Line: 1, Ref: "component:default/" + word()})
		r.Diagnostics = append(r.Diagnostics, diag.Diagnostic{Pos: diag.Pos{File: f, Line: 2, Column: 1}, Severity: diag.Error,
			Rule: "schema", Entity: r.Entities[i].Ref, Message: word(), Suggestion: word()})
	}
	r.Diagnostics = diag.Sort(r.Diagnostics)
	md := markdownOf(t, r, MarkdownOptions{})
	cmd := exec.Command(bin, "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter")
	cmd.Stdin = strings.NewReader(md)
	html, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]int{}
	for _, m := range regexp.MustCompile(`<([a-z0-9]+)[ >]`).FindAllStringSubmatch(string(html), -1) {
		tags[m[1]]++
	}
	// Per diagnostic: a list item and a suggestion item, a link to the rule,
	// code spans for the rule and the position. Per file: an h4 with a code
	// span. The table: a row per entity, with two code spans.
	want := map[string]int{"h3": 1, "p": 1, "table": 1, "thead": 1, "tbody": 1, "th": 4, "tr": n + 1, "td": 4 * n,
		"h4": n, "ul": 2 * n, "li": 2 * n, "strong": n, "a": n, "code": 2*n + n + 2*n}
	if fmt.Sprint(tags) != fmt.Sprint(want) {
		t.Errorf("elements %v\nwant     %v", tags, want)
	}
	for _, href := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(string(html), -1) {
		if href[1] != RuleHelpURI("schema") {
			t.Errorf("link to %q", href[1])
		}
	}
}
