package entity

import (
	"strings"
	"testing"
)

// Long hosts are answered (the test's own timeout is the bound), without a
// panic from arithmetic overflow in Punycode or IPv4.
func TestURLLongInputs(t *testing.T) {
	for _, s := range []string{
		"http://xn--" + strings.Repeat("9", 1<<20),
		"http://xn--" + strings.Repeat("a", 1<<16),
		"http://xn--" + strings.Repeat("ab-", 1<<16) + "a",
		"http://" + strings.Repeat("1.", 1<<18) + "1",
		"http://" + strings.Repeat("\u05d0", 1<<18),
		"http://" + strings.Repeat("[", 1<<18),
	} {
		if IsValidURL(s) && strings.Contains(s, "[") {
			t.Errorf("%.20q… (%d bytes) is valid", s, len(s))
		}
	}
}
