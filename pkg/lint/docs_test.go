package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryRuleIsDocumented keeps docs/rules.md in step with the rules.
func TestEveryRuleIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range Rules {
		if !strings.Contains(doc, "\n## `"+r.ID+"`\n") {
			t.Errorf("docs/rules.md has no section \"## `%s`\"", r.ID)
		}
	}
}
