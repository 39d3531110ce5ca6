// Package scaffold renders what a Backstage scaffolder Template would
// write: its fetch:template skeletons, with the template's parameter
// defaults, through a small, bounded subset of Nunjucks (the expression
// language of Backstage's SecureTemplater), keeping a map from every
// output line back to the skeleton line that produced it.
package scaffold

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// undefinedT is JavaScript's undefined: what a missing variable or key
// evaluates to. Nunjucks prints it as nothing.
type undefinedT struct{}

var undefined = undefinedT{}

// Unknown stands for a value the template cannot supply (a required
// parameter without a default, the user running the template, an earlier
// step's output). Printed, it is its sentinel (Sentinel), so the checks of
// the rendered file can tell the fields it reached.
type Unknown struct{ ID int }

// sentinelPrefix starts every unknown value's text. It is a valid entity
// name, namespace, tag and host name, so an unknown value in such a field
// does not make the field invalid by itself.
const sentinelPrefix = "catalintunknown"

// Sentinel is the text of an unknown value.
func Sentinel(id int) string { return sentinelPrefix + strconv.Itoa(id) + "z" }

var sentinelRE = regexp.MustCompile(`(?i)` + sentinelPrefix + `(\d+)z`)

// UnknownIDs returns the ids of the unknown values s holds, in order, once
// each.
func UnknownIDs(s string) []int {
	if !strings.Contains(strings.ToLower(s), sentinelPrefix) {
		return nil
	}
	var out []int
	seen := map[int]bool{}
	for _, m := range sentinelRE.FindAllStringSubmatch(s, -1) {
		id, err := strconv.Atoi(m[1])
		if err == nil && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// HasUnknown reports whether s holds an unknown value.
func HasUnknown(s string) bool { return strings.Contains(strings.ToLower(s), sentinelPrefix) }

// truthy is JavaScript's truthiness, as Nunjucks' if uses it; an unknown
// value counts as true (the branch that uses it is the one to check).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil, undefinedT:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

// toString is how Nunjucks prints a value: undefined and null as nothing,
// arrays joined with commas, objects as [object Object].
func toString(v any) string {
	switch x := v.(type) {
	case nil, undefinedT:
		return ""
	case Unknown:
		return Sentinel(x.ID)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return numString(x)
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = toString(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		return "[object Object]"
	}
	return fmt.Sprint(v)
}

// numString writes a number as JavaScript does for the common cases.
func numString(f float64) string {
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// toNumber is JavaScript's Number(v), roughly.
func toNumber(v any) float64 {
	switch x := v.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case nil:
		return 0
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}

// dump is JSON.stringify(v, null, indent): keys in order of insertion
// are not kept by Go maps, so they are sorted. undefined gives undefined.
func dump(v any, indent string) any {
	if _, ok := v.(undefinedT); ok {
		return undefined
	}
	b := &strings.Builder{}
	writeJSON(b, v, indent, "")
	return b.String()
}

func writeJSON(b *strings.Builder, v any, indent, cur string) {
	switch x := v.(type) {
	case nil, undefinedT:
		b.WriteString("null")
	case Unknown:
		s, _ := json.Marshal(Sentinel(x.ID))
		b.Write(s)
	case bool, string:
		s, _ := json.Marshal(x)
		b.Write(s)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(numString(x))
		}
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				b.WriteString("\n" + cur + indent)
			}
			if _, u := e.(undefinedT); u {
				e = nil
			}
			writeJSON(b, e, indent, cur+indent)
		}
		if indent != "" {
			b.WriteString("\n" + cur)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k, e := range x {
			if _, u := e.(undefinedT); !u {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			b.WriteString("{}")
			return
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if indent != "" {
				b.WriteString("\n" + cur + indent)
			}
			s, _ := json.Marshal(k)
			b.Write(s)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			writeJSON(b, x[k], indent, cur+indent)
		}
		if indent != "" {
			b.WriteString("\n" + cur)
		}
		b.WriteByte('}')
	default:
		s, _ := json.Marshal(fmt.Sprint(v))
		b.Write(s)
	}
}

// ShowValue is a value as a message shows it: JSON, shortened.
func ShowValue(v any) string {
	s, _ := dump(v, "").(string)
	if _, ok := v.(undefinedT); ok {
		s = "undefined"
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return s
}

// equal is Nunjucks' == (JavaScript's loose equality, for the values
// templates compare).
func equal(a, b any) bool {
	if _, ok := a.(Unknown); ok {
		return false
	}
	if _, ok := b.(Unknown); ok {
		return false
	}
	an, bn := isNullish(a), isNullish(b)
	if an || bn {
		return an && bn
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x == y
		}
		if _, ok := b.(float64); ok {
			return toNumber(x) == b.(float64)
		}
		if _, ok := b.(bool); ok {
			return toNumber(x) == toNumber(b)
		}
	case float64:
		switch b.(type) {
		case float64, string, bool:
			return x == toNumber(b)
		}
	case bool:
		switch y := b.(type) {
		case bool:
			return x == y
		case float64, string:
			return toNumber(x) == toNumber(y)
		}
	}
	return false
}

func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case string, float64, bool:
		return a == b
	case nil:
		return b == nil
	case undefinedT:
		_, ok := b.(undefinedT)
		return ok
	default:
		_ = x
		return false
	}
}

func isNullish(v any) bool {
	switch v.(type) {
	case nil, undefinedT:
		return true
	}
	return false
}

// fromPlain turns decoded YAML/JSON (ints, maps with any keys) into the
// evaluator's values.
func fromPlain(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case float32:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromPlain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromPlain(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = fromPlain(e)
		}
		return out
	}
	return v
}
