package lint

import (
	"regexp"

	"github.com/catalint-dev/catalint/pkg/diag"
)

var (
	lineRefs  = regexp.MustCompile(`(\.ya?ml|\.json):\d+(:\d+)?`)
	lineWords = regexp.MustCompile(`\b(line|lines) \d+(-\d+)?(, \d+(-\d+)?)*(, and \d+ more)?`)
)

// baselineKey identifies a finding across revisions: by entity (or file,
// for findings outside an entity), rule and message (which names the
// field), never by line or column, so that moving an entity in its file
// does not make its old problems new.
func baselineKey(d diag.Diagnostic, file string) string {
	msg := lineRefs.ReplaceAllString(d.Message, "$1")
	msg = lineWords.ReplaceAllString(msg, "$1")
	where := d.Entity
	if where == "" {
		where = file
	}
	return where + "\x00" + d.Rule + "\x00" + msg
}

// MarkBaseline marks the diagnostics of cur that old already had. fileOf
// maps a diagnostic's file to a name both runs share (its path in the
// repository). It returns the number of diagnostics that are new.
func MarkBaseline(cur, old []diag.Diagnostic, curFile, oldFile func(string) string) int {
	seen := map[string]int{}
	for _, d := range old {
		seen[baselineKey(d, oldFile(d.File))]++
	}
	fresh := 0
	for i := range cur {
		k := baselineKey(cur[i], curFile(cur[i].File))
		if seen[k] > 0 {
			seen[k]--
			cur[i].Baseline = true
			continue
		}
		fresh++
	}
	return fresh
}

// CountNew counts the errors and warnings that are not in the baseline.
func CountNew(ds []diag.Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		if d.Baseline {
			continue
		}
		switch d.Severity {
		case diag.Error:
			errors++
		case diag.Warning:
			warnings++
		}
	}
	return
}
