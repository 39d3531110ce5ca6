package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/config"
)

func TestTeamNamesFromProvidersAndConfig(t *testing.T) {
	withTeams := &config.Config{}
	withTeams.Owners.GitHubTeams = config.Teams{StripPrefix: "team-"}
	for _, tt := range []struct {
		specs []string
		cfg   *config.Config
		want  string
	}{
		{nil, nil, "<nil>"},
		{[]string{"file:org.yaml", "backstage:https://portal"}, &config.Config{}, "<nil>"},
		{[]string{"github:acme", "github:acme-labs"}, nil, "&{[acme acme-labs]  map[] }"},
		{nil, withTeams, "&{[] team- map[] }"},
		{[]string{"github:acme"}, withTeams, "&{[acme] team- map[] }"},
	} {
		if got := fmt.Sprint(teamNames(tt.specs, tt.cfg)); got != tt.want {
			t.Errorf("teamNames(%v) = %s, want %s", tt.specs, got, tt.want)
		}
	}
}

func TestOneCatalog(t *testing.T) {
	dir := t.TempDir()
	comp := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: examples\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	for _, n := range []string{"a.yaml", "b.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(comp), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	glob := filepath.Join(dir, "*.yaml")
	if r := run(t, "", nil, "check", "--only", "duplicate-entity", glob); r.code != ExitOK || strings.Contains(r.out, "duplicate-entity") {
		t.Errorf("two roots: exit %d\n%s", r.code, r.out)
	}
	if r := run(t, "", nil, "check", "--only", "duplicate-entity", "--one-catalog", glob); r.code != ExitProblems || !strings.Contains(r.out, "b.yaml:4:9: error: component:default/examples is also defined at") {
		t.Errorf("--one-catalog: exit %d\n%s", r.code, r.out)
	}
}
