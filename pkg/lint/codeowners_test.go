package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/owners"
)

func codeownersOf(t *testing.T, pol OwnerPolicy, paths ...string) []string {
	t.Helper()
	got, err := ownersRun(t, paths, pol, acme)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range got {
		if strings.Contains(g, " codeowners ") {
			out = append(out, g)
		}
	}
	return out
}

func TestCodeownersDemoGroupsAreNotTeams(t *testing.T) {
	// backstage/demo: owner backstage/maintainers (a group in namespace
	// backstage), CODEOWNERS @backstage/operations-maintainers (a GitHub
	// team). Two namespaces, and nothing maps one to the other.
	repo := copyTree(t, "testdata/alarms/demo")
	if got := codeownersOf(t, OwnerPolicy{}, repo); len(got) != 0 {
		t.Errorf("no team naming: want silence, got %v", got)
	}
	// Said to be the backstage organisation's teams under their slugs
	// (default namespace): they do disagree, once for the file.
	teams := &owners.TeamNames{Orgs: []string{"backstage"}}
	got := codeownersOf(t, OwnerPolicy{GitHubTeams: teams}, repo)
	want := "warning codeowners catalog-info.yaml:12:10: spec.owner of 2 entities in this file (group:backstage/maintainers, lines 12, 25) is none of the code owners: .github/CODEOWNERS (line 7) gives catalog-info.yaml to @backstage/operations-maintainers (group operations-maintainers) @MihaiTabara (user MihaiTabara) | make the catalog owner and the code owners agree"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// With the naming that makes them one (namespace backstage, the team
	// renamed), they agree.
	teams = &owners.TeamNames{Orgs: []string{"backstage"}, Namespace: "backstage", Rename: map[string]string{"maintainers": "operations-maintainers"}}
	if got := codeownersOf(t, OwnerPolicy{GitHubTeams: teams}, repo); len(got) != 0 {
		t.Errorf("renamed team: want agreement, got %v", got)
	}
	// Teams of another organisation are not the catalog's.
	teams = &owners.TeamNames{Orgs: []string{"acme"}}
	if got := codeownersOf(t, OwnerPolicy{GitHubTeams: teams}, repo); len(got) != 0 {
		t.Errorf("other organisation: want silence, got %v", got)
	}
}

func TestCodeownersByTeamSlugAnnotation(t *testing.T) {
	// RoadieHQ/roadie-backstage-plugins: group:open-source owns every
	// plugin, CODEOWNERS gives everything to @RoadieHQ/engineering.
	repo := copyTree(t, "testdata/alarms/roadie-backstage-plugins")
	jira := filepath.Join(repo, "plugins/frontend/backstage-plugin-jira/catalog-info.yaml")
	if got := codeownersOf(t, OwnerPolicy{}, jira); len(got) != 0 {
		t.Errorf("no team naming: want silence, got %v", got)
	}
	// The catalog's Group says which team it is (as Backstage's GitHub org
	// provider writes it): the open-source group is another team.
	group := func(name, slug string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: " + name + "\n  annotations:\n    github.com/team-slug: " + slug + "\nspec:\n  type: team\n  children: []\n"
	}
	org := filepath.Join(repo, "org.yaml")
	os.WriteFile(org, []byte(group("open-source", "RoadieHQ/oss")+"---\n"+group("engineering", "roadiehq/engineering")), 0o644)
	got := codeownersOf(t, OwnerPolicy{}, jira, org)
	if len(got) != 1 || !strings.Contains(got[0], "spec.owner is group:open-source, but .github/CODEOWNERS (line 1) gives plugins/frontend/backstage-plugin-jira/catalog-info.yaml to @RoadieHQ/engineering (group engineering)") {
		t.Errorf("annotated teams: got %v", got)
	}
	// The open-source group is the engineering team: they agree.
	os.WriteFile(org, []byte(group("open-source", "RoadieHQ/engineering")), 0o644)
	if got := codeownersOf(t, OwnerPolicy{}, jira, org); len(got) != 0 {
		t.Errorf("same team: want agreement, got %v", got)
	}
	// The annotations may come from the owner directory instead (an org
	// file exported from the identity provider, cached like any other).
	os.WriteFile(org, []byte(group("open-source", "RoadieHQ/oss")+"---\n"+group("engineering", "roadiehq/engineering")), 0o644)
	cached := &owners.Cached{Provider: &owners.File{Path: org}, Dir: t.TempDir()}
	for i := 0; i < 2; i++ { // filled, then read back from the cache
		got, err := ownersRun(t, []string{jira}, OwnerPolicy{}, cached)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !strings.Contains(got[0], "gives plugins/frontend/backstage-plugin-jira/catalog-info.yaml to @RoadieHQ/engineering (group engineering)") || cached.Hit != (i == 1) {
			t.Errorf("run %d (cache hit %v), org file provider: got %v", i, cached.Hit, got)
		}
	}
}

func TestCodeownersKinds(t *testing.T) {
	// A person owning what a team code-owns is not a disagreement catalint
	// can see (membership is not compared); an e-mail code owner that no
	// User names is unknown.
	teams := &owners.TeamNames{}
	for _, tt := range []struct {
		owner, codeowners string
		want              bool
	}{
		{"user:ada", "@acme/web", false},
		{"group:web", "@ada", false},
		{"group:web", "@acme/web", false},
		{"group:web", "@acme/api", true},
		{"user:ada", "@bob", true},
		{"user:ada", "ada@example.com", false},
		{"group:web", "@acme/api ada@example.com", true},
		{"group:web", "@acme/api @other/x", true},
	} {
		pr := tree(t, map[string]string{
			"CODEOWNERS":        "* " + tt.codeowners + "\n",
			"catalog-info.yaml": strings.Replace(comp("svc", ""), "owner: team-a", "owner: "+tt.owner, 1),
		})
		got := codeownersOf(t, OwnerPolicy{GitHubTeams: teams}, pr)
		if (len(got) == 1) != tt.want || len(got) > 1 {
			t.Errorf("%s vs %s: got %v, want a warning: %v", tt.owner, tt.codeowners, got, tt.want)
		}
	}
	// With the organisation named, a team of another one is unknown.
	pr := tree(t, map[string]string{"CODEOWNERS": "* @other/api\n", "catalog-info.yaml": strings.Replace(comp("svc", ""), "owner: team-a", "owner: group:web", 1)})
	if got := codeownersOf(t, OwnerPolicy{GitHubTeams: &owners.TeamNames{Orgs: []string{"acme"}}}, pr); len(got) != 0 {
		t.Errorf("team of another organisation: %v", got)
	}
}
