package cli

import (
	"fmt"
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
