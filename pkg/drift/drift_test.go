package drift

import (
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

func commits(spec ...any) []Commit {
	var out []Commit
	for i := 0; i < len(spec); i += 2 {
		for range spec[i+1].(int) {
			l := spec[i].(string)
			out = append(out, Commit{Login: l, Bot: strings.HasPrefix(l, "app-")})
		}
	}
	return out
}

func TestJudge(t *testing.T) {
	teams := &Teams{Org: "acme", Members: map[string][]string{
		"payments": {"ada", "bob"},
		"web":      {"cy", "dee"},
		"infra":    {"eve"},
	}}
	since, until := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	subj := func(owner string) Subject {
		o, _ := entity.ParseRef(owner, "group", "default")
		return Subject{Entity: entity.Ref{Kind: "Component", Namespace: "default", Name: "billing"}, Owner: o, Repo: "acme/billing"}
	}
	cases := []struct {
		name   string
		owner  string
		cs     []Commit
		cfg    Config
		teams  *Teams
		likely string // "" : no finding
	}{
		{name: "owner silent, web did the work", owner: "payments", cs: commits("cy", 6, "dee", 3, "eve", 1), likely: "group:default/web"},
		{name: "owner active", owner: "payments", cs: commits("cy", 9, "ada", 1)},
		{name: "bots left out", owner: "payments", cs: commits("app-deploy", 50, "dependabot[bot]", 50, "cy", 3), cfg: Config{MinCommits: 3}, likely: "group:default/web"},
		{name: "bots only is too few", owner: "payments", cs: commits("app-deploy", 50, "dependabot[bot]", 50, "cy", 3)},
		{name: "ignored authors", owner: "payments", cs: commits("cy", 6, "release-bot", 20), cfg: Config{IgnoreAuthors: []string{"Release-Bot"}}, likely: "group:default/web"},
		{name: "ignored author would be a majority otherwise", owner: "payments", cs: commits("cy", 6, "release-bot", 20)},
		{name: "no majority", owner: "payments", cs: commits("cy", 3, "eve", 3, "zed", 4)},
		{name: "tie", owner: "payments", cs: commits("cy", 5, "eve", 5), cfg: Config{Majority: 0.4}},
		{name: "owner not a team", owner: "somebody-else", cs: commits("cy", 10)},
		{name: "user owner", owner: "user:ada", cs: commits("cy", 10)},
		{name: "stripPrefix naming", owner: "team-payments", cs: commits("cy", 10), teams: &Teams{Org: "acme", Members: teams.Members, Names: &owners.TeamNames{StripPrefix: "team-"}}, likely: "group:default/team-web"},
		{name: "other organisation's naming", owner: "payments", cs: commits("cy", 10), teams: &Teams{Org: "acme", Members: teams.Members, Names: &owners.TeamNames{Orgs: []string{"other"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := teams
			if c.teams != nil {
				tm = c.teams
			}
			f := Judge(subj(c.owner), &Repo{FullName: "acme/billing", Commits: c.cs}, tm, c.cfg, since, until)
			switch {
			case c.likely == "" && f != nil:
				t.Fatalf("flagged: %s", f.Message())
			case c.likely != "" && f == nil:
				t.Fatal("not flagged")
			case f != nil && f.Likely != c.likely:
				t.Fatalf("likely %s, want %s", f.Likely, c.likely)
			}
		})
	}
}

func TestFindingEvidence(t *testing.T) {
	teams := &Teams{Org: "acme", Members: map[string][]string{"payments": {"ada"}, "web": {"cy", "dee"}, "infra": {"eve"}}}
	since, until := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	s := Subject{Entity: entity.Ref{Kind: "Component", Namespace: "default", Name: "billing"}, Owner: entity.Ref{Kind: "Group", Namespace: "default", Name: "payments"}, Repo: "acme/billing"}
	f := Judge(s, &Repo{FullName: "acme/billing", Commits: commits("cy", 6, "dee", 2, "eve", 1, "", 1, "app-x", 4)}, teams, Config{}, since, until)
	if f == nil {
		t.Fatal("not flagged")
	}
	if f.Commits != 10 || f.Unmapped != 1 || len(f.Teams) != 2 || f.Teams[0].Commits != 8 || strings.Join(f.Teams[0].Authors, ",") != "cy,dee" {
		t.Fatalf("%+v", f)
	}
	want := "owner payments has had no member among the authors of acme/billing's 10 commits from 2026-09-01 to 2026-11-30; web wrote most of them: likely owner web (commits per team: web 8, infra 1, no team 1)"
	if f.Message() != want {
		t.Errorf("message:\n%s\nwant\n%s", f.Message(), want)
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{"group:default/web": "web", "group:ops/web": "ops/web", "user:default/ada": "user:ada"} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}
