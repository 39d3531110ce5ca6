package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// PagerDuty/backstage-plugins' app-configs, as @backstage/create-app
// generates them (testdata/real/README.md): app-config.yaml names
// ../../examples/… from packages/backend; app-config.production.yaml names
// ./examples/… from the production image's working folder, the repository
// root. Both register the same three files, which Backstage ingests.
func TestRealCreateAppProductionConfig(t *testing.T) {
	repo := copyTree(t, filepath.Join("testdata", "real", "pagerduty-createapp"))
	chdir(t, repo)
	for _, args := range [][]string{
		{"--app-config", "app-config.yaml"},
		{"--app-config", "app-config.yaml", "--app-config", "app-config.production.yaml"},
	} {
		r := run(t, "", nil, append([]string{"check", "--no-snippet", "--github", "off"}, args...)...)
		// The one notice: the Template's skeleton is not in this fixture.
		if r.code != ExitOK || !strings.Contains(r.out, "0 errors, 0 warnings, 1 notice in 3 files (7 documents)") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.out, r.err)
		}
	}
	// The production config alone has no catalog.rules: Backstage's
	// default rules refuse the System of examples/entities.yaml, and only
	// that is reported (the files are found).
	r := run(t, "", nil, "check", "--no-snippet", "--github", "off", "--app-config", "app-config.production.yaml")
	if r.code != ExitProblems || strings.Contains(r.out, "does not exist") ||
		!strings.Contains(r.out, "examples/entities.yaml:4:7: error: kind System is not allowed from catalog.locations[0]") ||
		!strings.Contains(r.out, "1 error, 0 warnings, 1 notice in 3 files (7 documents)") {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	// --backend-dir still decides.
	r = run(t, "", nil, "check", "--no-snippet", "--github", "off", "--app-config", "app-config.yaml", "--app-config", "app-config.production.yaml", "--backend-dir", "packages/backend")
	if r.code != ExitProblems || strings.Count(r.out, "does not exist: Backstage reports the location as not found") != 3 {
		t.Errorf("--backend-dir packages/backend: exit %d\n%s%s", r.code, r.out, r.err)
	}
}
