package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenPathsReal renders the Templates of the folders named in
// CATALINT_GOLDEN_REAL (colon-separated) and prints, per folder, how many
// were found, rendered, passed and failed, with each failing one's errors.
// It is a tool for trying real template repositories, skipped otherwise.
func TestGoldenPathsReal(t *testing.T) {
	env := os.Getenv("CATALINT_GOLDEN_REAL")
	if env == "" {
		t.Skip("set CATALINT_GOLDEN_REAL to folders of template repositories")
	}
	for _, dir := range strings.Split(env, ":") {
		sel, _ := NewSelection(nil, nil)
		res, err := Run(t.Context(), Options{Paths: []string{dir}, Selection: sel})
		if err != nil {
			t.Fatal(err)
		}
		found, rendered, passed, failed := 0, 0, 0, 0
		for _, e := range res.Entities {
			if strings.EqualFold(e.Kind, "Template") && strings.HasPrefix(e.APIVersion, "scaffolder.backstage.io/") {
				found++
			}
		}
		var lines []string
		for _, tr := range res.Templates {
			if tr.Files == 0 {
				if os.Getenv("CATALINT_GOLDEN_VERBOSE") != "" {
					lines = append(lines, fmt.Sprintf("  not rendered %s (%s): %d fetch steps followed, %d not", tr.Name, tr.File, tr.Steps, tr.Unfollowed))
				}
				continue
			}
			rendered++
			if tr.Errors > 0 {
				failed++
				lines = append(lines, fmt.Sprintf("  FAIL %s (%s): %d errors", tr.Name, tr.File, tr.Errors))
				for _, d := range res.Diagnostics {
					if d.Severity.String() == "error" && strings.Contains(d.Message, "template `"+tr.Name+"`") {
						lines = append(lines, "    "+d.String())
					}
				}
			} else {
				passed++
			}
		}
		fmt.Printf("%s: templates found %d, rendered %d (Template entities %d), passed %d, failed %d\n%s\n",
			filepath.Base(dir), len(res.Templates), rendered, found, passed, failed, strings.Join(lines, "\n"))
	}
}
