package lint

import (
	"fmt"
	"strings"
	"testing"
)

// A short cycle is printed whole and back to its start; a long one names
// its first ten entities and how many more there are.
func TestCycleText(t *testing.T) {
	if got, want := cycleText([]string{"component:default/a", "component:default/b"}), "component:default/a → component:default/b → component:default/a"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var long []string
	for i := range 40 {
		long = append(long, fmt.Sprintf("component:default/c%02d", i))
	}
	got := cycleText(long)
	if !strings.HasPrefix(got, "component:default/c00 → component:default/c01 → ") || !strings.Contains(got, "component:default/c09 → … 30 more … → component:default/c00") || strings.Contains(got, "c10") {
		t.Errorf("long cycle: %q", got)
	}
	if got := cycleText(long[:12]); strings.Contains(got, "more") || !strings.HasSuffix(got, "c11 → component:default/c00") {
		t.Errorf("12 entities are printed whole: %q", got)
	}
}
