package entity

import (
	"regexp"
	"testing"
)

var formatMatchers = []struct {
	name    string
	re      *regexp.Regexp
	matches func(string) bool
}{
	{"objectName", regexp.MustCompile(objectNamePattern), matchObjectName},
	{"dnsLabel", regexp.MustCompile(dnsLabelPattern), func(s string) bool { return matchDashed(s, isDNSChar) }},
	{"kind", regexp.MustCompile(kindPattern), matchKind},
	{"tag", regexp.MustCompile(tagPattern), func(s string) bool { return matchDashed(s, isTagChar) }},
	{"apiSuffix", regexp.MustCompile(apiSuffixPattern), matchAlnum},
}

// checkMatchers fails when a hand-written matcher and its pattern disagree.
func checkMatchers(t *testing.T, s string) {
	t.Helper()
	for _, m := range formatMatchers {
		if got, want := m.matches(s), m.re.MatchString(s); got != want {
			t.Errorf("%s(%q) = %v, the pattern says %v", m.name, s, got, want)
		}
	}
}

// TestFormatMatchers compares every string of up to three characters over
// an alphabet of each character class the patterns name (and some they do
// not), and a list of longer cases.
func TestFormatMatchers(t *testing.T) {
	alphabet := []string{"a", "Z", "5", "-", "_", ".", ":", "+", "#", "/", " ", "é", "\n"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		checkMatchers(t, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+c, n-1)
		}
	}
	gen("", 3)
	for _, s := range []string{"payments-service", "a--b", "a-b-c", "C++", "x:y#z+w", "-a", "a-", "a.b_c-d", "Component", "v1alpha1", "a\u212a"} {
		checkMatchers(t, s)
	}
}

func FuzzFormatMatchers(f *testing.F) {
	for _, s := range []string{"", "a", "a-b", "a--b", "A.b_c", "tag:x+y#z", "é"} {
		f.Add(s)
	}
	f.Fuzz(checkMatchers)
}
