package gh

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseOutputs reads a $GITHUB_OUTPUT file as the runner does: "name=value"
// lines and "name<<DELIM" blocks ending at a line that is exactly DELIM. It
// fails the test on what the runner would reject ("Matching delimiter not
// found").
func parseOutputs(t *testing.T, data string) ([]string, map[string]string) {
	t.Helper()
	var order []string
	out := map[string]string{}
	lines := strings.Split(data, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if name, delim, ok := strings.Cut(l, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			j := i + 1
			for ; j < len(lines) && lines[j] != delim; j++ {
				val = append(val, lines[j])
			}
			if j == len(lines) {
				t.Fatalf("output %s: matching delimiter not found %q", name, delim)
			}
			order = append(order, name)
			out[name] = strings.Join(val, "\n")
			i = j
			continue
		}
		name, val, ok := strings.Cut(l, "=")
		if !ok {
			t.Fatalf("invalid output line %q", l)
		}
		order = append(order, name)
		out[name] = val
	}
	return order, out
}

func TestWriteOutputs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "output")
	// Something an earlier step command wrote stays.
	if err := os.WriteFile(path, []byte("earlier=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kv := map[string]string{
		"result":         "failed",
		"errors":         "3",
		"score":          "72.0",
		"score-change":   "72.0 → 80.0 (+8.0)",
		"summary":        "### ❌ catalint failed\n\n| a | b |\n| --- | --- |\nEOF\nghadelimiter_x\nname=value\n",
		"empty":          "",
		"with_equals":    "a=b=c",
		"comment-result": "skipped-readonly",
	}
	if err := WriteOutputs(path, kv); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	order, got := parseOutputs(t, string(data))
	want := map[string]string{"earlier": "1"}
	for k, v := range kv {
		want[k] = v
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outputs read back =\n%q\nwant\n%q", got, want)
	}
	wantOrder := []string{"earlier", "comment-result", "empty", "errors", "result", "score", "score-change", "summary", "with_equals"}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("order = %v, want %v (sorted after what was there)", order, wantOrder)
	}
	// Each block has its own random delimiter.
	delims := regexp.MustCompile(`(?m)^[a-z_-]+<<(ghadelimiter_[0-9a-f]{32})$`).FindAllStringSubmatch(string(data), -1)
	seen := map[string]bool{}
	for _, d := range delims {
		seen[d[1]] = true
	}
	if len(delims) != len(kv) || len(seen) != len(kv) {
		t.Errorf("want %d distinct random delimiters, got %d (%d distinct)", len(kv), len(delims), len(seen))
	}

	for _, bad := range []string{"", "9lives", "a b", "a=b", "a<<b", "a\nb"} {
		if err := WriteOutputs(path, map[string]string{bad: "x"}); err == nil {
			t.Errorf("WriteOutputs(%q) = nil, want an error", bad)
		}
	}
	if err := WriteOutputs("", kv); err != nil {
		t.Errorf("WriteOutputs with no file = %v, want nil (not in Actions)", err)
	}
}

func TestWriteSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "step_summary")
	if err := WriteSummary(path, "### first"); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(path, "second\n"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if got, want := string(data), "### first\nsecond\n"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	// Content another command left without a final newline.
	if err := os.WriteFile(path, []byte("no newline"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(path, "next"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if got, want := string(data), "no newline\nnext\n"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if err := WriteSummary("", "x"); err != nil {
		t.Errorf("WriteSummary with no file = %v, want nil", err)
	}
}

func TestWriteSummaryTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "step_summary")
	// 2.5 MiB of table rows, with multi-byte characters, inside a
	// <details> block.
	var b strings.Builder
	b.WriteString("### ❌ catalint failed\n\n<details><summary>All</summary>\n\n| entity | message |\n| --- | --- |\n")
	rows := 0
	for b.Len() < 5<<19 {
		b.WriteString("| `component:default/payments-api` | missing required field « lifecycle » — ünïcödé |\n")
		rows++
	}
	b.WriteString("\n</details>\n")
	md := b.String()
	if err := WriteSummary(path, md); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got := string(data)
	if len(got) > SummaryLimit {
		t.Fatalf("summary is %d bytes, over GitHub's %d", len(got), SummaryLimit)
	}
	if len(got) < SummaryLimit-4096 {
		t.Errorf("summary is %d bytes: cut far below the limit", len(got))
	}
	if !utf8.ValidString(got) {
		t.Error("summary cut inside a character")
	}
	if !strings.Contains(got, "**Summary cut here:**") || !strings.Contains(got, "GitHub's limit of 1 MiB per step summary") {
		t.Errorf("no truncation note; ends %q", got[len(got)-300:])
	}
	if strings.Count(got, "<details>") != strings.Count(got, "</details>") {
		t.Error("the <details> block was left open")
	}
	// Every table row is whole.
	sc := bufio.NewScanner(strings.NewReader(got))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "| `") && !strings.HasSuffix(l, " |") {
			t.Fatalf("row cut: %q", l)
		}
	}

	// What the step already wrote counts too.
	path2 := filepath.Join(t.TempDir(), "step_summary")
	if err := os.WriteFile(path2, []byte(strings.Repeat("x", SummaryLimit-1000)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(path2, md); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path2); st.Size() > SummaryLimit {
		t.Errorf("summary is %d bytes with earlier content, over %d", st.Size(), SummaryLimit)
	}
	// A full file: not even the note fits.
	path3 := filepath.Join(t.TempDir(), "step_summary")
	if err := os.WriteFile(path3, []byte(strings.Repeat("x", SummaryLimit-10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(path3, md); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("WriteSummary on a full file = %v, want an error", err)
	}
}

func TestFitMarkdownClosesFence(t *testing.T) {
	s := "intro\n```yaml\n" + strings.Repeat("owner: team-a\n", 1000) + "```\nafter\n"
	out, ok := fitMarkdown(s, 2000, summaryNote)
	if !ok || len(out) > 2000 {
		t.Fatalf("fitMarkdown = %d bytes, %v", len(out), ok)
	}
	if n := len(fenceLine.FindAllString(out, -1)); n%2 != 0 {
		t.Errorf("code fence left open (%d fence lines):\n%s", n, out[len(out)-300:])
	}
	if i, j := strings.LastIndex(out, "```"), strings.Index(out, "**Summary cut here:**"); i > j {
		t.Error("the note is inside the code block")
	}
}
