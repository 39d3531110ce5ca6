package owners

import (
	"fmt"
	"testing"

	"github.com/catalint-dev/catalint/pkg/catalog"
)

func TestTeamNamesGroups(t *testing.T) {
	// The naming of github:ORG (see pkg/catalog/github TeamsOptions).
	tn := &TeamNames{StripPrefix: "team-", Rename: map[string]string{"team-billing": "payments", "team-a": "b"}, Namespace: "org"}
	for _, tt := range []struct{ slug, want string }{
		{"payments", "[group:org/team-billing group:org/team-payments]"},
		{"web", "[group:org/team-web]"},
		{"a", "[]"}, // team-a means team b
		{"b", "[group:org/team-a group:org/team-b]"},
	} {
		got, ok := tn.Groups("acme", tt.slug)
		if s := fmt.Sprint(got); !ok || s != tt.want {
			t.Errorf("Groups(%s) = %s, %v; want %s", tt.slug, s, ok, tt.want)
		}
	}
	tn.Orgs = []string{"Acme"}
	if _, ok := tn.Groups("acme", "web"); !ok {
		t.Error("organisations compare without case")
	}
	if _, ok := tn.Groups("other", "web"); ok {
		t.Error("a team of another organisation is not known")
	}
	if _, ok := (*TeamNames)(nil).Groups("acme", "web"); ok {
		t.Error("no naming, nothing known")
	}
}

func TestMapCodeOwner(t *testing.T) {
	es := []*catalog.Entity{
		{Kind: "Group", Namespace: "default", Name: "platform", Raw: map[string]any{"metadata": map[string]any{"annotations": map[string]any{"github.com/team-slug": "Acme/Core"}}}},
		{Kind: "User", Namespace: "default", Name: "ada.lovelace", Raw: map[string]any{
			"metadata": map[string]any{"annotations": map[string]any{"github.com/user-login": "ada"}},
			"spec":     map[string]any{"profile": map[string]any{"email": "Ada@Example.com"}}}},
	}
	dir := FromEntities(es, "test")
	for _, tt := range []struct {
		owner string
		teams *TeamNames
		want  string
	}{
		{"@acme/core", nil, "@acme/core (group platform)"},
		{"@acme/web", nil, "@acme/web"},
		{"@acme/web", &TeamNames{}, "@acme/web (group web)"},
		{"@ada", nil, "@ada (user ada.lovelace)"},
		{"@bob", nil, "@bob"},
		{"@bob", &TeamNames{}, "@bob (user bob)"},
		{"ada@example.com", nil, "ada@example.com (user ada.lovelace)"},
		{"bob@example.com", &TeamNames{}, "bob@example.com"},
	} {
		co := MapCodeOwner(tt.owner, dir, tt.teams)
		if got := co.Describe(); got != tt.want || co.Known != (got != tt.owner) {
			t.Errorf("%s: %s (known %v), want %s", tt.owner, got, co.Known, tt.want)
		}
	}
}
