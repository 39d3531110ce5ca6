package adoption

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestTemplateRef(t *testing.T) {
	for in, want := range map[string]string{
		"template:default/service":   "template:default/service", // what catalog:write writes
		"Template:Default/Service":   "template:default/service",
		"service":                    "template:default/service",
		"ops/job":                    "template:ops/job",
		"  template:default/x  ":     "template:default/x",
		"not a ref: has spaces/a/b/": "not a ref: has spaces/a/b/",
	} {
		if got := TemplateRef(in); got != want {
			t.Errorf("TemplateRef(%q) = %q, want %q", in, got, want)
		}
	}
}

// The figures, by hand: components a (payments, service), b (payments,
// none), c (web, "Service"), d (no owner, "  " = none), e (web, ops/job);
// the API f (payments, service) is not a component. 3 of 5 = 60.0%;
// service 2 of 3 = 66.7%, ops/job 1 = 33.3%, website (a Template only) 0.
// Teams: (no owner) 0/1 = 0.0%, payments 1/2 = 50.0%, web 2/2 = 100.0%.
func TestCompute(t *testing.T) {
	until := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	es := []Entity{
		{Kind: "Component", Owner: "payments", Template: "template:default/service", Repos: []string{"acme/a"}},
		{Kind: "component", Owner: "payments", Repos: []string{"acme/b"}},
		{Kind: "Component", Owner: "web", Template: "Service", Repos: []string{"ACME/C"}},
		{Kind: "Component", Template: "  ", Repos: []string{"acme/d"}},
		{Kind: "Component", Owner: "web", Template: "ops/job"},
		{Kind: "API", Owner: "payments", Template: "template:default/service", Repos: []string{"acme/f"}},
	}
	repos := []Repo{
		{FullName: "acme/a", Created: until.Add(-10 * day), CatalogFile: true},
		{FullName: "acme/b", Created: until.Add(-10 * day), CatalogFile: true},
		{FullName: "acme/c", Created: until.Add(-90 * day), CatalogFile: true}, // on the boundary: in
		{FullName: "acme/d", Created: until.Add(-90*day - time.Second), CatalogFile: true},
		{FullName: "acme/f", Created: until.Add(-day), CatalogFile: true}, // an API from a template
		{FullName: "acme/g", Created: until.Add(-2 * day)},
		{FullName: "acme/G", Created: until.Add(-2 * day)}, // listed twice: counted once
		{FullName: "acme/h", Created: until.Add(-2 * day)},
		{FullName: "acme/undated"},
	}
	got := Compute(es, []string{"template:default/website", "Template:default/service"}, repos, true, 0, until)
	want := &Report{
		Components: 5, FromTemplate: 3, Percent: 60,
		Templates: []Template{
			{Ref: "template:default/service", InCatalog: true, Components: 2, Percent: 66.7},
			{Ref: "template:ops/job", Components: 1, Percent: 33.3},
			{Ref: "template:default/website", InCatalog: true},
		},
		Teams: []Team{
			{Team: NoOwner, Components: 1},
			{Team: "payments", Components: 2, FromTemplate: 1, Percent: 50},
			{Team: "web", Components: 2, FromTemplate: 2, Percent: 100},
		},
		// New: a, b, c, f, g, h = 6; from a template a, c, f = 50.0%.
		New: &NewRepos{Days: 90, Since: "2026-09-04", Until: "2026-12-03", Repos: 6, FromTemplate: 3, Percent: 50, Undated: 1,
			NotFromTemplate: []NewRepo{
				{Repo: "acme/g", Created: "2026-12-01"},
				{Repo: "acme/h", Created: "2026-12-01"},
				{Repo: "acme/b", Created: "2026-11-23", CatalogFile: true},
			}},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}

	// Without a scan there is no new-repository part; with 7 days only
	// f, g and h are new.
	if r := Compute(es, nil, repos, false, 0, until); r.New != nil || r.Percent != 60 {
		t.Errorf("no scan: %+v", r)
	}
	if r := Compute(es, nil, repos, true, 7, until); r.New.Repos != 3 || r.New.FromTemplate != 1 || r.New.Percent != 33.3 || r.New.Days != 7 {
		t.Errorf("7 days: %+v", r.New)
	}
	// An empty catalog: no division by zero.
	if r := Compute(nil, nil, nil, true, 0, until); r.Percent != 0 || r.New.Percent != 0 || r.New.NotFromTemplate == nil {
		t.Errorf("empty: %+v", r)
	}
}
