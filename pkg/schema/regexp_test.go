package schema

import (
	"regexp"
	"testing"
)

func checkSingleLine(t *testing.T, s string) {
	t.Helper()
	if got, want := (singleLine{}).MatchString(s), regexp.MustCompile(singleLinePattern).MatchString(s); got != want {
		t.Errorf("singleLine(%q) = %v, the pattern says %v", s, got, want)
	}
}

func TestSingleLine(t *testing.T) {
	for _, s := range []string{"", "a", "backstage.io/techdocs-ref", "a\nb", "\r", "x\u2028", "\u2029y", "é ü", "\u2027", "\u202a", "\xe2\x80"} {
		checkSingleLine(t, s)
	}
	// The schemas really use it: the engine hands it out for the keys of
	// metadata.labels and metadata.annotations.
	re, err := compileRegexp(singleLinePattern)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := re.(singleLine); !ok {
		t.Errorf("compileRegexp(%q) = %T, want the hand-written matcher", singleLinePattern, re)
	}
	raw, _ := builtinRaw(t)["meta.schema.json"].(map[string]any)
	props, _ := raw["properties"].(map[string]any)
	labels, _ := props["labels"].(map[string]any)
	pp, _ := labels["patternProperties"].(map[string]any)
	if _, ok := pp[singleLinePattern]; !ok {
		t.Errorf("meta.schema.json labels.patternProperties = %v; want the key %q", pp, singleLinePattern)
	}
}

func builtinRaw(t *testing.T) map[string]any {
	t.Helper()
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return s.raw
}

func FuzzSingleLine(f *testing.F) {
	f.Add("a\nb")
	f.Add("x\u2028")
	f.Fuzz(checkSingleLine)
}
