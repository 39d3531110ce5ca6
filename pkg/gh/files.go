package gh

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// SummaryLimit is the most a step's summary file may hold: GitHub fails the
// upload of a larger one ("If more than 1MiB of content is added for a
// step, then the upload for the step will fail and an error annotation will
// be created").
const SummaryLimit = 1 << 20

// WriteSummary appends markdown to the step summary file at path
// ($GITHUB_STEP_SUMMARY), ending it with a line break. What the file
// already holds counts against GitHub's 1 MiB per step: when the whole does
// not fit, the markdown is cut at a line break (closing an open code fence
// and <details> blocks) and a note says how much was left out. An empty
// path (not in Actions) does nothing. It is an error when not even the note
// fits.
func WriteSummary(path, markdown string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	have := int(st.Size())
	var b strings.Builder
	if have > 0 {
		// Start on a line of its own.
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			b.WriteString("\n")
		}
	}
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	room := SummaryLimit - have - b.Len()
	text, ok := fitMarkdown(markdown, room, summaryNote)
	if !ok {
		return fmt.Errorf("step summary: %s already holds %d bytes; GitHub keeps at most %d per step, so the summary was not written", path, have, SummaryLimit)
	}
	b.WriteString(text)
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	return f.Close()
}

func summaryNote(omitted, lines int) string {
	return fmt.Sprintf("\n\n---\n\n**Summary cut here:** %s (%s) left out to stay under GitHub's limit of 1 MiB per step summary. The job log has the full report.\n",
		plural(omitted, "byte", "bytes"), plural(lines, "line", "lines"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

var (
	fenceLine   = regexp.MustCompile("(?m)^ {0,3}(```|~~~)")
	detailsOpen = regexp.MustCompile(`(?i)<details[\s>]`)
	detailsEnd  = regexp.MustCompile(`(?i)</details\s*>`)
)

// fitMarkdown returns s when it fits in max bytes; otherwise s cut at a line
// break, with an open code fence and <details> blocks closed, followed by
// note(bytes left out, lines left out), all within max. ok is false when
// not even the note fits.
func fitMarkdown(s string, max int, note func(omitted, lines int) string) (string, bool) {
	if len(s) <= max {
		return s, true
	}
	budget := max - len(note(len(s), strings.Count(s, "\n")+1))
	for budget >= 0 {
		cut := budget
		if i := strings.LastIndexByte(s[:cut], '\n'); i >= 0 {
			cut = i + 1
		} else {
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		kept := s[:cut]
		var closers strings.Builder
		if len(fenceLine.FindAllStringIndex(kept, -1))%2 == 1 {
			closers.WriteString("```\n")
		}
		for n := len(detailsOpen.FindAllStringIndex(kept, -1)) - len(detailsEnd.FindAllStringIndex(kept, -1)); n > 0; n-- {
			closers.WriteString("\n</details>\n")
		}
		rest := s[cut:]
		out := kept + closers.String() + note(len(rest), strings.Count(strings.TrimSuffix(rest, "\n"), "\n")+1)
		if len(out) <= max {
			return out, true
		}
		budget = cut - (len(out) - max) - 1
	}
	return "", false
}

// outputName is what an output name may be.
var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// WriteOutputs appends the step outputs kv to the file at path
// ($GITHUB_OUTPUT), in key order, each in GitHub's multiline form
//
//	name<<ghadelimiter_RANDOM
//	value
//	ghadelimiter_RANDOM
//
// with a fresh random delimiter that does not occur in the value, so that
// any value (several lines, "=", a line that looks like a delimiter) comes
// out as given. An empty path (not in Actions) does nothing. Names must be
// letters, digits, "_" and "-", starting with a letter or "_".
func WriteOutputs(path string, kv map[string]string) error {
	if path == "" || len(kv) == 0 {
		return nil
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		if !outputName.MatchString(k) {
			return fmt.Errorf("step output name %q: want letters, digits, _ and -, starting with a letter or _", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := kv[k]
		d, err := delimiter(v)
		if err != nil {
			return fmt.Errorf("step output %s: %w", k, err)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", k, d, v, d)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("step outputs: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("step outputs: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("step outputs: %w", err)
	}
	return nil
}

// delimiter is "ghadelimiter_" and 32 random hex digits, not found in v.
func delimiter(v string) (string, error) {
	for range 4 {
		var r [16]byte
		if _, err := rand.Read(r[:]); err != nil {
			return "", err
		}
		d := "ghadelimiter_" + hex.EncodeToString(r[:])
		if !strings.Contains(v, d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("no delimiter found that the value does not contain")
}
