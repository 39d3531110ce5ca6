package lint

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/owners"
)

type dirProvider struct {
	groups map[string]int // name → members
	users  []string
	err    error
	calls  int
}

func (p *dirProvider) Name() string { return "fake:acme" }
func (p *dirProvider) Load(context.Context) (*owners.Directory, error) {
	p.calls++
	if p.err != nil {
		return nil, p.err
	}
	d := owners.NewDirectory()
	d.Sources = []string{p.Name()}
	for g, m := range p.groups {
		d.AddGroup(owners.Group{Name: g, Members: m})
	}
	for _, u := range p.users {
		d.AddUser(owners.User{Name: u})
	}
	return d, nil
}

func ownersRun(t *testing.T, paths []string, pol OwnerPolicy, ps ...owners.Provider) ([]string, error) {
	t.Helper()
	sel, _ := NewSelection([]string{GroupOwners}, nil)
	res, err := Run(context.Background(), Options{Paths: paths, Selection: sel, Owners: ps, Policy: pol})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range res.Diagnostics {
		out = append(out, fmt.Sprintf("%s %s %s:%d:%d: %s | %s", d.Severity, d.Rule, filepath.Base(d.File), d.Line, d.Column, d.Message, d.Suggestion))
	}
	sort.Strings(out)
	return out, nil
}

var acme = &dirProvider{groups: map[string]int{"team-payments": 4, "team-web": 2, "team-ghost": 0}, users: []string{"ada"}}

func TestMisspelledOwner(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": strings.Replace(comp("svc", ""), "team-a", "team-paymnets", 1)})
	got, err := ownersRun(t, []string{pr}, OwnerPolicy{}, acme)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !has(got, "error owner-missing catalog-info.yaml:8:10:", "group team-paymnets does not exist in the catalog, fake:acme", "did you mean team-payments?") {
		t.Errorf("got %v", got)
	}
}

func TestTeamAddedInSamePullRequest(t *testing.T) {
	pr := tree(t, map[string]string{
		"catalog-info.yaml": strings.Replace(comp("svc", ""), "team-a", "team-new", 1),
		"org.yaml":          "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-new}\nspec: {type: team, children: [], members: [ada]}\n",
	})
	got, err := ownersRun(t, []string{filepath.Join(pr, "catalog-info.yaml"), filepath.Join(pr, "org.yaml")}, OwnerPolicy{}, acme)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v %v", got, err)
	}
}

func TestOwnerPolicies(t *testing.T) {
	pr := tree(t, map[string]string{
		"a/catalog-info.yaml": strings.Replace(comp("a", ""), "team-a", "user:ada", 1),
		"b/catalog-info.yaml": strings.Replace(comp("b", ""), "team-a", "team-ghost", 1),
		"c/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: bob}\nspec: {memberOf: [team-web, team-wbe]}\n",
	})
	got, err := ownersRun(t, []string{pr}, OwnerPolicy{DisallowUsers: true, RequireMembers: true}, acme)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]string{
		{"error owner-user catalog-info.yaml:8:10:", "user:default/ada is a user"},
		{"warning empty-team catalog-info.yaml:8:10:", "team-ghost has no members"},
		{"error group-ref catalog-info.yaml:4:", "spec.memberOf[1]: group team-wbe does not exist", "did you mean team-web?"},
	} {
		if !has(got, want...) {
			t.Errorf("missing %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 3 {
		t.Errorf("got %d diagnostics:\n%s", len(got), strings.Join(got, "\n"))
	}
}

func TestProviderOutage(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "")})
	down := &dirProvider{err: errors.New("github:acme: 502 Bad Gateway after 3 tries")}
	_, err := ownersRun(t, []string{pr}, OwnerPolicy{}, down)
	var se *SourceError
	if !asSourceError(err, &se) || !strings.Contains(err.Error(), "502") {
		t.Errorf("fail: %v", err)
	}
	got, err := ownersRun(t, []string{pr}, OwnerPolicy{WarnOnProviderError: true}, down)
	if err != nil || !has(got, "warning owner-provider", "502 Bad Gateway") || !has(got, "notice owner-missing", "not verified") {
		t.Errorf("warn: %v %v", got, err)
	}
}

func TestOfflineWithoutCacheIsANotice(t *testing.T) {
	pr := tree(t, map[string]string{"catalog-info.yaml": comp("svc", "")})
	p := &dirProvider{groups: map[string]int{"team-a": 1}}
	off := &owners.Cached{Provider: p, Dir: t.TempDir(), Offline: true}
	got, err := ownersRun(t, []string{pr}, OwnerPolicy{}, off)
	if err != nil || p.calls != 0 || !has(got, "notice owner-provider", "offline and nothing cached") || !has(got, "notice owner-missing", "not verified") {
		t.Errorf("got %v %v calls=%d", got, err, p.calls)
	}
	// Fill the cache online, then offline answers from it without a call.
	cacheDir := t.TempDir()
	if _, err := ownersRun(t, []string{pr}, OwnerPolicy{}, &owners.Cached{Provider: p, Dir: cacheDir}); err != nil || p.calls != 1 {
		t.Fatalf("online: %v calls=%d", err, p.calls)
	}
	got, err = ownersRun(t, []string{pr}, OwnerPolicy{}, &owners.Cached{Provider: p, Dir: cacheDir, Offline: true})
	if err != nil || p.calls != 1 || len(got) != 0 {
		t.Errorf("offline with cache: %v %v calls=%d", got, err, p.calls)
	}
	// A warm cache makes no request online either.
	if _, err := ownersRun(t, []string{pr}, OwnerPolicy{}, &owners.Cached{Provider: p, Dir: cacheDir}); err != nil || p.calls != 1 {
		t.Errorf("warm: %v calls=%d", err, p.calls)
	}
}

func TestCodeownersCrossCheck(t *testing.T) {
	pr := tree(t, map[string]string{
		".github/CODEOWNERS":      "*  @acme/platform\n/svc/ @acme/team-web @ada\n/pay/ @acme/team-payments\n",
		"svc/catalog-info.yaml":   strings.Replace(comp("svc", ""), "team-a", "team-payments", 1),
		"pay/catalog-info.yaml":   strings.Replace(comp("pay", ""), "team-a", "team-payments", 1),
		"other/catalog-info.yaml": strings.Replace(comp("other", ""), "team-a", "team-payments", 1),
	})
	// The catalog's groups are acme's teams under their slugs.
	gh := OwnerPolicy{GitHubTeams: &owners.TeamNames{Orgs: []string{"acme"}}}
	got, err := ownersRun(t, []string{pr}, gh, acme)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !has(got, "warning codeowners", "spec.owner is group:team-payments, but .github/CODEOWNERS (line 2) gives svc/catalog-info.yaml to @acme/team-web (group team-web) @ada (user ada)") || !has(got, "gives other/catalog-info.yaml to @acme/platform (group platform)") {
		t.Errorf("got %v", got)
	}
	gh.NoCodeowners = true
	if got, _ := ownersRun(t, []string{pr}, gh, acme); len(got) != 0 {
		t.Errorf("--no-codeowners: %v", got)
	}
	// Nothing says the groups are GitHub's teams: nothing to compare.
	if got, _ := ownersRun(t, []string{pr}, OwnerPolicy{}, acme); len(got) != 0 {
		t.Errorf("no team naming: %v", got)
	}
}
