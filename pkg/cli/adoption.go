package cli

import (
	"strings"
	"time"

	"github.com/catalint-dev/catalint/pkg/adoption"
	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/catalog/github"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/entity"
)

// reportNow is when the report is made; tests move it.
var reportNow = time.Now

// noGitHubScan says why the report has no new-repository figures.
const noGitHubScan = "the report read no GitHub organisation; the repositories' creation dates come from a github:ORG catalog source's repository list"

// adoptionRepos are the repositories a GitHub scan listed, for the
// new-repository figures; archived ones are left out, as coverage leaves
// them out.
func adoptionRepos(gs *github.Source) []adoption.Repo {
	var out []adoption.Repo
	for _, r := range gs.Repos() {
		if r.Archived {
			continue
		}
		out = append(out, adoption.Repo{FullName: r.FullName, Created: r.CreatedAt, CatalogFile: len(r.CatalogFiles) > 0})
	}
	return out
}

// adoptionEntity is what adoption reads of an entity: its owner as the
// report's teams name it, its backstage.io/source-template annotation,
// and its repositories: the one a github: source read it from, and the
// one its github.com/project-slug annotation names.
func adoptionEntity(e *catalog.Entity) adoption.Entity {
	a := adoption.Entity{Kind: e.Kind}
	if o, _ := e.Spec()["owner"].(string); strings.TrimSpace(o) != "" {
		a.Owner = o
		if r, err := entity.ParseRef(o, "Group", e.Namespace); err == nil {
			a.Owner = r.OwnerDisplay()
		}
	}
	meta, _ := e.Raw["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	a.Template, _ = ann[adoption.Annotation].(string)
	if strings.HasPrefix(e.Source, "github:") {
		if r := repoOfWebURL(e.Location); r != "" {
			a.Repos = append(a.Repos, r)
		}
	}
	if slug, _ := ann["github.com/project-slug"].(string); repoName(slug) {
		a.Repos = append(a.Repos, strings.TrimSpace(slug))
	}
	return a
}

// reportAdoption is the report's adoption section: the share of the
// catalog's components from a template, and, when GitHub organisations
// were scanned (scanned), of their repositories created in the last
// adoption.days days.
func reportAdoption(es []*catalog.Entity, cfg *config.Config, repos []adoption.Repo, scanned bool, until time.Time) *adoption.Report {
	var in []adoption.Entity
	var templates []string
	for _, e := range es {
		in = append(in, adoptionEntity(e))
		if strings.EqualFold(e.Kind, "template") {
			templates = append(templates, e.Ref().String())
		}
	}
	days := 0
	if cfg != nil {
		days = cfg.Adoption.Days
	}
	a := adoption.Compute(in, templates, repos, scanned, days, until)
	if !scanned {
		a.NewAbsent = noGitHubScan
	}
	return a
}
