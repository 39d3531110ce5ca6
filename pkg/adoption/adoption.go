// Package adoption computes the template adoption figures of the weekly
// report: the share of the catalog's components that were created from a
// scaffolder template, overall, per template and per owning team, and, of
// the repositories created lately, how many came from a template.
//
// A component comes from a template when it carries the annotation
// Backstage's scaffolder writes for it: the catalog:write action adds
// backstage.io/source-template, set to the running template's entity
// reference (templateInfo.entityRef, "template:default/my-template"), to
// the catalog-info.yaml it writes; catalog:register then registers that
// file.
//
// The package only computes; the entities and repositories are read by the
// caller (pkg/cli, from the catalog sources and pkg/catalog/github).
package adoption

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// Annotation is the annotation the scaffolder's catalog:write action
// writes: the entity reference of the template that created the entity.
const Annotation = "backstage.io/source-template"

// DefaultDays is the default period of new repositories (adoption.days).
const DefaultDays = 90

// NoOwner is the team key of components without an owner, as the report's
// leaderboard names them.
const NoOwner = "(no owner)"

// Entity is one catalog entity, as much of it as adoption uses.
type Entity struct {
	// Kind is the entity's kind; only Components are counted in the
	// shares, every kind ties a repository to a template.
	Kind string
	// Owner is the team key the report uses ("payments", "ns/team",
	// "user:ada"); "" for none.
	Owner string
	// Template is the backstage.io/source-template annotation, "" for
	// none.
	Template string
	// Repos are the repositories (OWNER/NAME) the entity belongs to.
	Repos []string
}

// Repo is a repository of a scanned GitHub organisation.
type Repo struct {
	// FullName is OWNER/NAME.
	FullName string
	// Created is when GitHub says it was created; zero when unknown.
	Created time.Time
	// CatalogFile says whether a catalog file was found in it.
	CatalogFile bool
}

// Report is the adoption section.
type Report struct {
	// Components is the number of components, FromTemplate of them the
	// ones with the annotation, Percent the share (one decimal).
	Components   int     `json:"components"`
	FromTemplate int     `json:"fromTemplate"`
	Percent      float64 `json:"percent"`
	// Templates are the templates named by the components' annotations
	// and the catalog's Template entities, most used first, then by
	// reference.
	Templates []Template `json:"templates"`
	// Teams are the owners of components, lowest share first, then by
	// name.
	Teams []Team `json:"teams"`
	// New is the repositories created in the period; nil when no GitHub
	// organisation was scanned, with NewAbsent saying why.
	New       *NewRepos `json:"newRepositories,omitempty"`
	NewAbsent string    `json:"newRepositoriesAbsent,omitempty"`
}

// Template is one template's use.
type Template struct {
	// Ref is the template's reference, lower case
	// ("template:default/service"), or the annotation as written when it
	// is no reference.
	Ref string `json:"template"`
	// InCatalog says whether the Template entity is in the catalog.
	InCatalog bool `json:"inCatalog"`
	// Components created from it, and their share of all components
	// created from a template.
	Components int     `json:"components"`
	Percent    float64 `json:"percent"`
}

// Team is one owner's components.
type Team struct {
	Team         string  `json:"team"`
	Components   int     `json:"components"`
	FromTemplate int     `json:"fromTemplate"`
	Percent      float64 `json:"percent"`
}

// NewRepos is the repositories created in the period.
type NewRepos struct {
	// Days is the period's length; Since and Until its dates (UTC).
	Days  int    `json:"days"`
	Since string `json:"since"`
	Until string `json:"until"`
	// Repos is the number created in the period, FromTemplate of them
	// those with a catalog entity carrying the annotation.
	Repos        int     `json:"repos"`
	FromTemplate int     `json:"fromTemplate"`
	Percent      float64 `json:"percent"`
	// NotFromTemplate are the others, newest first, then by name.
	NotFromTemplate []NewRepo `json:"notFromTemplate"`
	// Undated is the number of repositories whose creation date GitHub
	// did not give; they are not counted.
	Undated int `json:"undated,omitempty"`
}

// NewRepo is a new repository that did not come from a template.
type NewRepo struct {
	Repo    string `json:"repo"`
	Created string `json:"created"`
	// CatalogFile is false for a repository without a catalog file.
	CatalogFile bool `json:"catalogFile"`
}

// Percent is 100·n/of rounded to one decimal, 0 when of is 0.
func Percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(1000*float64(n)/float64(of)+0.5)) / 10
}

// TemplateRef is the key of an annotation value: the lower-case entity
// reference (kind template and namespace default when left out, as
// Backstage parses it), or the trimmed value when it is no reference.
func TemplateRef(v string) string {
	v = strings.TrimSpace(v)
	if r, err := entity.ParseRef(v, "template", entity.DefaultNamespace); err == nil {
		return r.String()
	}
	return v
}

// Compute makes the section from the catalog's entities, the references of
// its Template entities, and, when a GitHub organisation was scanned
// (scanned true), its repositories: those created in the days (DefaultDays
// when 0 or less) up to until are the new ones.
func Compute(es []Entity, templates []string, repos []Repo, scanned bool, days int, until time.Time) *Report {
	r := &Report{}
	tmpl := map[string]*Template{}
	for _, t := range templates {
		k := TemplateRef(t)
		if tmpl[k] == nil {
			tmpl[k] = &Template{Ref: k}
		}
		tmpl[k].InCatalog = true
	}
	teams := map[string]*Team{}
	for _, e := range es {
		if !strings.EqualFold(e.Kind, "component") {
			continue
		}
		r.Components++
		owner := e.Owner
		if owner == "" {
			owner = NoOwner
		}
		tm := teams[owner]
		if tm == nil {
			tm = &Team{Team: owner}
			teams[owner] = tm
		}
		tm.Components++
		if strings.TrimSpace(e.Template) == "" {
			continue
		}
		r.FromTemplate++
		tm.FromTemplate++
		k := TemplateRef(e.Template)
		if tmpl[k] == nil {
			tmpl[k] = &Template{Ref: k}
		}
		tmpl[k].Components++
	}
	r.Percent = Percent(r.FromTemplate, r.Components)
	for _, t := range tmpl {
		t.Percent = Percent(t.Components, r.FromTemplate)
		r.Templates = append(r.Templates, *t)
	}
	slices.SortFunc(r.Templates, func(a, b Template) int {
		return cmp.Or(cmp.Compare(b.Components, a.Components), strings.Compare(a.Ref, b.Ref))
	})
	for _, t := range teams {
		t.Percent = Percent(t.FromTemplate, t.Components)
		r.Teams = append(r.Teams, *t)
	}
	slices.SortFunc(r.Teams, func(a, b Team) int {
		return cmp.Or(cmp.Compare(a.Percent, b.Percent), strings.Compare(a.Team, b.Team))
	})
	if scanned {
		if days <= 0 {
			days = DefaultDays
		}
		r.New = newRepos(es, repos, days, until)
	}
	return r
}

// newRepos counts the repositories created in the days up to until: one came
// from a template when an entity that belongs to it carries the
// annotation. Archived repositories are left to the caller.
func newRepos(es []Entity, repos []Repo, days int, until time.Time) *NewRepos {
	since := until.Add(-time.Duration(days) * 24 * time.Hour)
	n := &NewRepos{Days: days,
		Since: since.UTC().Format(time.DateOnly), Until: until.UTC().Format(time.DateOnly), NotFromTemplate: []NewRepo{}}
	fromTemplate := map[string]bool{}
	for _, e := range es {
		if strings.TrimSpace(e.Template) == "" {
			continue
		}
		for _, r := range e.Repos {
			fromTemplate[strings.ToLower(r)] = true
		}
	}
	type dated struct {
		NewRepo
		at time.Time
	}
	var not []dated
	seen := map[string]bool{}
	for _, r := range repos {
		k := strings.ToLower(r.FullName)
		if seen[k] {
			continue
		}
		seen[k] = true
		if r.Created.IsZero() {
			n.Undated++
			continue
		}
		if r.Created.Before(since) || r.Created.After(until) {
			continue
		}
		n.Repos++
		if fromTemplate[k] {
			n.FromTemplate++
			continue
		}
		not = append(not, dated{NewRepo{Repo: r.FullName, Created: r.Created.UTC().Format(time.DateOnly), CatalogFile: r.CatalogFile}, r.Created})
	}
	slices.SortFunc(not, func(a, b dated) int {
		return cmp.Or(b.at.Compare(a.at), strings.Compare(strings.ToLower(a.Repo), strings.ToLower(b.Repo)), strings.Compare(a.Repo, b.Repo))
	})
	for _, d := range not {
		n.NotFromTemplate = append(n.NotFromTemplate, d.NewRepo)
	}
	n.Percent = Percent(n.FromTemplate, n.Repos)
	return n
}
