package owners

import (
	"slices"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
)

// CODEOWNERS names GitHub teams (@org/slug), GitHub users (@login) and
// e-mail addresses; a catalog names Groups and Users. They are two
// namespaces: "@acme/maintainers" is the catalog's group:maintainers only
// when the catalog's groups are GitHub's teams under a known naming. This
// file says which catalog entities a CODEOWNERS owner means, or that it
// cannot know.

// TeamNames is how a catalog names the GitHub teams it ingests, as
// owners.githubTeams in .catalint.yaml states it (the same naming the
// github:ORG owner provider lists teams under): team slug S is the group
//
//	N, for each N with Rename[N] == S, and
//	StripPrefix + S, unless that name is a Rename key (then it means
//	another team),
//
// in Namespace ("" is default); an organisation member with login L is the
// user L in the default namespace, as Backstage's GitHub org provider
// ingests them.
type TeamNames struct {
	// Orgs are the organisations whose teams the catalog ingests; empty
	// means any.
	Orgs        []string
	StripPrefix string
	Rename      map[string]string
	Namespace   string
}

// Groups returns the catalog group references that mean the team slug of
// org; false when the team is not of a known organisation.
func (t *TeamNames) Groups(org, slug string) ([]entity.Ref, bool) {
	if t == nil {
		return nil, false
	}
	if len(t.Orgs) > 0 && !slices.ContainsFunc(t.Orgs, func(o string) bool { return strings.EqualFold(o, org) }) {
		return nil, false
	}
	ns := t.Namespace
	if ns == "" {
		ns = entity.DefaultNamespace
	}
	var out []entity.Ref
	renamed := false
	for name, s := range t.Rename {
		if strings.EqualFold(strings.TrimSpace(s), slug) {
			out = append(out, entity.Ref{Kind: "Group", Namespace: ns, Name: name})
		}
		if strings.EqualFold(name, t.StripPrefix+slug) {
			renamed = true
		}
	}
	if !renamed {
		out = append(out, entity.Ref{Kind: "Group", Namespace: ns, Name: t.StripPrefix + slug})
	}
	slices.SortFunc(out, func(a, b entity.Ref) int { return strings.Compare(a.Name, b.Name) })
	return out, true
}

// GitHubKey is the key of Directory.GitHub for a GitHub identity: a
// team ("team", "org/slug"), a login ("login", "ada") or an e-mail
// address ("email", "ada@example.com"), compared without regard to case.
func GitHubKey(what, id string) string {
	return what + ":" + strings.ToLower(strings.TrimSpace(id))
}

func (d *Directory) addGitHub(key, ref string) {
	if d.GitHub == nil {
		d.GitHub = map[string][]string{}
	}
	if !slices.Contains(d.GitHub[key], ref) {
		d.GitHub[key] = append(d.GitHub[key], ref)
	}
}

// addGitHubOf records which GitHub identity a catalog entity says it is,
// with the annotations Backstage's GitHub org provider writes:
// github.com/team-slug ("org/slug") on Groups, github.com/user-login on
// Users; and a User's spec.profile.email.
func (d *Directory) addGitHubOf(e *catalog.Entity) {
	meta, _ := e.Raw["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	ref := e.Ref().String()
	add := func(what string, v any) {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			d.addGitHub(GitHubKey(what, s), ref)
		}
	}
	switch strings.ToLower(e.Kind) {
	case "group":
		add("team", ann["github.com/team-slug"])
	case "user":
		add("login", ann["github.com/user-login"])
		if p, ok := e.Spec()["profile"].(map[string]any); ok {
			add("email", p["email"])
		}
	}
}

// gitHubRefs returns the entities the directory says are a GitHub
// identity.
func (d *Directory) gitHubRefs(what, id string) []entity.Ref {
	if d == nil {
		return nil
	}
	var out []entity.Ref
	for _, s := range d.GitHub[GitHubKey(what, id)] {
		if r, err := entity.ParseRef(s, "", ""); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// CodeOwner is what a CODEOWNERS owner means in the catalog.
type CodeOwner struct {
	// Owner is as written: @org/team, @login or an e-mail address.
	Owner string
	// Group tells a team from a person.
	Group bool
	// Refs are the catalog entities it means; Known is false when
	// nothing says (then Refs is empty).
	Refs  []entity.Ref
	Known bool
}

// MapCodeOwner says which catalog entities a CODEOWNERS owner means: by
// what the directory's entities say they are (Directory.GitHub) first,
// then by the team naming (nil when the catalog's groups are not known to
// be GitHub's teams).
func MapCodeOwner(owner string, dir *Directory, teams *TeamNames) CodeOwner {
	co := CodeOwner{Owner: owner}
	name, at := strings.CutPrefix(owner, "@")
	switch {
	case !at:
		// An e-mail address is a person.
		co.Refs = dir.gitHubRefs("email", owner)
	case strings.Contains(name, "/"):
		co.Group = true
		org, slug, _ := strings.Cut(name, "/")
		co.Refs = dir.gitHubRefs("team", name)
		if len(co.Refs) == 0 {
			co.Refs, co.Known = teams.Groups(org, slug)
		}
	default:
		co.Refs = dir.gitHubRefs("login", name)
		if len(co.Refs) == 0 && teams != nil {
			co.Refs, co.Known = []entity.Ref{{Kind: "User", Namespace: entity.DefaultNamespace, Name: name}}, true
		}
	}
	if len(co.Refs) > 0 {
		co.Known = true
	}
	return co
}

// Means reports whether the CODEOWNERS owner is the catalog entity r.
func (co CodeOwner) Means(r entity.Ref) bool {
	for _, x := range co.Refs {
		if strings.EqualFold(x.Kind, r.Kind) && strings.EqualFold(x.Namespace, r.Namespace) && strings.EqualFold(x.Name, r.Name) {
			return true
		}
	}
	return false
}

// Describe writes the owner with what it means: "@acme/payments (group
// payments)".
func (co CodeOwner) Describe() string {
	if !co.Known {
		return co.Owner
	}
	ns := make([]string, len(co.Refs))
	for i, r := range co.Refs {
		n := r.Name
		if !strings.EqualFold(r.Namespace, entity.DefaultNamespace) {
			n = r.Namespace + "/" + n
		}
		ns[i] = strings.ToLower(r.Kind) + " " + n
	}
	return co.Owner + " (" + strings.Join(ns, " or ") + ")"
}
