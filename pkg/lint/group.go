package lint

import (
	"fmt"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// groupNotices folds the notices of one file that say the same thing (same
// rule, same message) into the first of them, which then says how many
// entities and which lines it stands for: twenty APIs of a type catalint
// cannot check are one notice, not twenty. Errors and warnings are left
// alone: each is something to fix at its own place. ds is sorted; so is
// the result.
// maxLines bounds the lines a grouped notice lists.
const maxLines = 10

func groupNotices(ds []diag.Diagnostic) []diag.Diagnostic {
	type key struct{ file, rule, msg string }
	first := map[key]int{}
	var lines map[int][]int // index of the kept notice → lines of the rest
	var ents map[int]map[string]bool
	out := ds[:0]
	for _, d := range ds {
		if d.Severity != diag.Notice || d.File == "" {
			out = append(out, d)
			continue
		}
		k := key{d.File, d.Rule, d.Message}
		i, seen := first[k]
		if !seen {
			first[k] = len(out)
			out = append(out, d)
			continue
		}
		if lines == nil {
			lines, ents = map[int][]int{}, map[int]map[string]bool{}
		}
		if ents[i] == nil {
			ents[i] = map[string]bool{out[i].Entity: true}
		}
		lines[i] = append(lines[i], d.Line)
		ents[i][d.Entity] = true
	}
	for i, more := range lines {
		d := &out[i]
		all := append([]int{d.Line}, more...)
		ls := make([]string, 0, maxLines+1)
		for j, l := range all {
			if j == maxLines {
				ls = append(ls, fmt.Sprintf("and %d more", len(all)-maxLines))
				break
			}
			ls = append(ls, fmt.Sprint(l))
		}
		what := fmt.Sprintf("%d places", len(all))
		if n := len(ents[i]); n > 1 && !ents[i][""] {
			what = fmt.Sprintf("%d entities", n)
		}
		d.Message += fmt.Sprintf(" (said once for %s in this file, lines %s)", what, strings.Join(ls, ", "))
	}
	return out
}
