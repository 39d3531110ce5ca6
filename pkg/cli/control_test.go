package cli

import (
	"strings"
	"testing"
)

// A fatal or usage error that names a path or value from the repository
// writes none of its control characters to the terminal.
func TestErrorsNeutraliseControls(t *testing.T) {
	r := run(t, "", nil, "check", "--config", "a\x1b[2Jb\u202e", ".")
	if r.code != ExitUsage || strings.ContainsAny(r.err, "\x1b\u202e") || !strings.Contains(r.err, "a\ufffd[2Jb\ufffd") {
		t.Errorf("exit %d: %q", r.code, r.err)
	}
}
