// Package owners is the owner directory: the teams and people an identity
// provider knows (a GitHub organisation, an org file, a Backstage catalog),
// behind one interface, with an on-disk cache.
package owners

import (
	"context"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/entity"
)

// Group is a team.
type Group struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Members is the number of members, or -1 when the provider does not
	// say.
	Members int `json:"members"`
}

// User is a person.
type User struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// Directory is what one or more providers know.
type Directory struct {
	Groups map[string]Group `json:"groups"` // by lower-case namespace/name
	Users  map[string]User  `json:"users"`
	// Sources name the providers that filled it.
	Sources []string `json:"sources"`
	// GitHub maps GitHub identities to the catalog entities that say they
	// are them (see GitHubKey): filled from the annotations of Group and
	// User entities, for the codeowners rule.
	GitHub map[string][]string `json:"github,omitempty"`
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory {
	return &Directory{Groups: map[string]Group{}, Users: map[string]User{}}
}

func dkey(namespace, name string) string {
	if namespace == "" {
		namespace = entity.DefaultNamespace
	}
	return strings.ToLower(namespace + "/" + name)
}

// AddGroup adds a team; a known member count is kept over an unknown one.
func (d *Directory) AddGroup(g Group) {
	if g.Namespace == "" {
		g.Namespace = entity.DefaultNamespace
	}
	k := dkey(g.Namespace, g.Name)
	if old, ok := d.Groups[k]; ok && old.Members >= 0 && g.Members < 0 {
		return
	}
	d.Groups[k] = g
}

// AddUser adds a person.
func (d *Directory) AddUser(u User) {
	if u.Namespace == "" {
		u.Namespace = entity.DefaultNamespace
	}
	d.Users[dkey(u.Namespace, u.Name)] = u
}

// Merge adds everything of another directory.
func (d *Directory) Merge(o *Directory) {
	for _, g := range o.Groups {
		d.AddGroup(g)
	}
	for _, u := range o.Users {
		d.AddUser(u)
	}
	for k, refs := range o.GitHub {
		for _, r := range refs {
			d.addGitHub(k, r)
		}
	}
	d.Sources = append(d.Sources, o.Sources...)
}

// Group finds a team by reference.
func (d *Directory) Group(r entity.Ref) (Group, bool) {
	g, ok := d.Groups[dkey(r.Namespace, r.Name)]
	return g, ok
}

// User finds a person by reference.
func (d *Directory) User(r entity.Ref) (User, bool) {
	u, ok := d.Users[dkey(r.Namespace, r.Name)]
	return u, ok
}

// Len is the number of teams and people.
func (d *Directory) Len() int { return len(d.Groups) + len(d.Users) }

// SuggestGroup returns the team names nearest to name, best first.
func (d *Directory) SuggestGroup(r entity.Ref, n int) []string {
	return suggest(r, n, func(yield func(ns, name string)) {
		for _, g := range d.Groups {
			yield(g.Namespace, g.Name)
		}
	})
}

// SuggestUser returns the user names nearest to name, best first.
func (d *Directory) SuggestUser(r entity.Ref, n int) []string {
	return suggest(r, n, func(yield func(ns, name string)) {
		for _, u := range d.Users {
			yield(u.Namespace, u.Name)
		}
	})
}

func suggest(r entity.Ref, n int, each func(func(ns, name string))) []string {
	limit := min(max(len(r.Name)/3, 1), 3)
	type cand struct {
		s string
		d int
	}
	var cs []cand
	each(func(ns, name string) {
		dist, ok := entity.Within(r.Name, name, limit)
		if !ok {
			return
		}
		s := name
		if !strings.EqualFold(ns, r.Namespace) {
			dist++
			s = ns + "/" + name
		}
		if dist <= limit && !(dist == 0 && strings.EqualFold(s, r.Name)) {
			cs = append(cs, cand{s, dist})
		}
	})
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].s < cs[j].s
	})
	out := make([]string, 0, n)
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].s)
	}
	return out
}

// Provider is an identity provider.
type Provider interface {
	// Name identifies it in messages, e.g. "github:acme".
	Name() string
	// Load lists its teams and people. Errors name the provider and the
	// cause (and what to do), never a token.
	Load(ctx context.Context) (*Directory, error)
}

// FromEntities builds a directory of the Group and User entities of a
// catalog: a pull request that adds a team and a service it owns passes.
func FromEntities(es []*catalog.Entity, source string) *Directory {
	d := NewDirectory()
	d.Sources = []string{source}
	for _, e := range es {
		switch strings.ToLower(e.Kind) {
		case "group":
			members := -1
			if m, ok := e.Spec()["members"].([]any); ok {
				members = len(m)
			}
			d.AddGroup(Group{Namespace: e.Namespace, Name: e.Name, Members: members})
		case "user":
			d.AddUser(User{Namespace: e.Namespace, Name: e.Name})
		}
		d.addGitHubOf(e)
	}
	return d
}
