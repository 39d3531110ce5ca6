package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// adoptionFake speaks the GitHub REST endpoints a github:ORG catalog scan
// reads, as GitHub serves them: GET /orgs/{org}/repos (per_page, page and
// a Link header, through driftFake.page; each repository with its
// created_at, pushed_at, archived), GET /repos/{o}/{r}/contents/{path}
// (base64 JSON; 404 for a missing file), an ETag on every 200 and 304 for
// a matching If-None-Match; 401 without the token.
type adoptionFake struct {
	*driftFake
	srv   *httptest.Server
	base  time.Time // created_at = base − age
	mu    sync.Mutex
	repos []adoptionRepo
}

type adoptionRepo struct {
	name     string
	age      time.Duration
	archived bool
	files    map[string]string
}

func (f *adoptionFake) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if r.Header.Get("If-None-Match") == "" {
		f.unconditional.Add(1)
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.foreign.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v3/"), "/")
	switch {
	case len(p) == 3 && p[0] == "orgs" && p[1] == "acme" && p[2] == "repos":
		var items []any
		for _, rp := range f.repos {
			items = append(items, map[string]any{
				"id": len(items) + 1, "name": rp.name, "full_name": "acme/" + rp.name, "private": false,
				"owner": map[string]any{"login": "acme", "type": "Organization"}, "default_branch": "main",
				"archived": rp.archived, "fork": false, "disabled": false,
				"created_at": f.base.Add(-rp.age).Format(time.RFC3339), "pushed_at": "2026-11-01T00:00:00Z",
			})
		}
		f.page(w, r, items)
		return
	case len(p) >= 5 && p[0] == "repos" && p[1] == "acme" && p[3] == "contents":
		path := strings.Join(p[4:], "/")
		for _, rp := range f.repos {
			if body, ok := rp.files[path]; ok && rp.name == p[2] {
				doc, _ := json.Marshal(map[string]any{"type": "file", "encoding": "base64", "size": len(body), "name": filepath.Base(path), "path": path,
					"content": base64.StdEncoding.EncodeToString([]byte(body))})
				sum := sha256.Sum256(doc)
				etag := `"` + hex.EncodeToString(sum[:8]) + `"`
				w.Header().Set("ETag", etag)
				if r.Header.Get("If-None-Match") == etag {
					f.notModified.Add(1)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.Write(doc)
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
}

func adoptionComponent(name, owner, template, slug string) string {
	ann := ""
	if template != "" || slug != "" {
		ann = "  annotations:\n"
		if template != "" {
			ann += "    backstage.io/source-template: " + template + "\n"
		}
		if slug != "" {
			ann += "    github.com/project-slug: " + slug + "\n"
		}
	}
	own := ""
	if owner != "" {
		own = "  owner: " + owner + "\n"
	}
	return fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\n%sspec:\n  type: service\n  lifecycle: production\n%s", name, ann, own)
}

func adoptionTemplate(name string) string {
	return fmt.Sprintf("apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: %s\nspec:\n  owner: platform\n  type: service\n  steps: []\n", name)
}

// adoptionOrg is the fixture organisation, 121 repositories (two listing
// pages). The figures, by hand:
//
// Components (9): payments-api (payments, service), payments-web
// (payments, "service": the short form), ledger (payments, none), checkout
// (web, website), storefront (web, none), blog (web, website),
// infra-tools (infra, "Template:Default/Service"), and in the platform
// monorepo platform-a (infra, none) and platform-b (no owner, ghost, with
// github.com/project-slug acme/exp-005). From a template: 6 of 9 = 66.7%.
// Per template, of the 6: service 3 = 50.0%, website 2 = 33.3%, ghost 1 =
// 16.7% (no Template entity), library 0 (a Template entity only). Per team,
// lowest share first: infra 1/2 = 50.0%, payments 2/3 = 66.7%, web 2/3 =
// 66.7%, (no owner) 1/1 = 100.0%.
//
// New repositories (the last 90 days, archived old-thing left out): the
// six services of 3–60 days (payments-api, payments-web, checkout,
// storefront, scratch, infra-tools) and exp-000…exp-027 (40–67 days): 34.
// From a template: payments-api, payments-web, checkout, infra-tools and
// exp-005 (through platform-b's project-slug): 5 = 14.7%. Not from one, 29,
// newest first: scratch (no catalog file), storefront (a catalog file
// without the annotation), exp-000…exp-027 but exp-005; listed 25: up to
// exp-023, "and 4 more".
func adoptionOrg(t *testing.T) *adoptionFake {
	d := newDriftFake(t)
	f := &adoptionFake{driftFake: d, base: time.Now().UTC().Truncate(24 * time.Hour)}
	day := 24 * time.Hour
	ci := func(s string) map[string]string { return map[string]string{"catalog-info.yaml": s} }
	f.repos = []adoptionRepo{
		{name: "payments-api", age: 10 * day, files: ci(adoptionComponent("payments-api", "payments", "template:default/service", ""))},
		{name: "payments-web", age: 20 * day, files: ci(adoptionComponent("payments-web", "payments", "service", ""))},
		{name: "ledger", age: 400 * day, files: ci(adoptionComponent("ledger", "payments", "", ""))},
		{name: "checkout", age: 30 * day, files: ci(adoptionComponent("checkout", "group:web", "template:default/website", ""))},
		{name: "storefront", age: 5 * day, files: ci(adoptionComponent("storefront", "web", "", ""))},
		{name: "blog", age: 200 * day, files: ci(adoptionComponent("blog", "web", "template:default/website", ""))},
		{name: "scratch", age: 3 * day},
		{name: "infra-tools", age: 60 * day, files: ci(adoptionComponent("infra-tools", "infra", "Template:Default/Service", ""))},
		{name: "old-thing", age: 2 * day, archived: true, files: ci(adoptionComponent("old-thing", "web", "", ""))},
		{name: "templates", age: 500 * day, files: ci(adoptionTemplate("service") + "---\n" + adoptionTemplate("website") + "---\n" + adoptionTemplate("library"))},
		{name: "platform", age: 100 * day, files: ci(adoptionComponent("platform-a", "infra", "", "") + "---\n" + adoptionComponent("platform-b", "", "template:default/ghost", "acme/exp-005"))},
	}
	for i := range 28 {
		f.repos = append(f.repos, adoptionRepo{name: fmt.Sprintf("exp-%03d", i), age: time.Duration(40+i) * day})
	}
	for i := range 82 {
		f.repos = append(f.repos, adoptionRepo{name: fmt.Sprintf("zold-%03d", i), age: 1000 * day})
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func TestReportAdoption(t *testing.T) {
	f := adoptionOrg(t)
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/"}
	cache := t.TempDir()
	hist := filepath.Join(t.TempDir(), "history.json")
	defer func(old func() time.Time) { reportNow = old }(reportNow)
	reportNow = func() time.Time { return f.base.Add(9 * time.Hour) }
	args := []string{"report", "--catalog", "github:acme", "--drift=false", "--cache-dir", cache, "--history", hist}
	r := run(t, "", env, append(args, "--format", "markdown")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	since := f.base.Add(9*time.Hour - 90*24*time.Hour).Format(time.DateOnly)
	until := f.base.Format(time.DateOnly)
	created := func(days int) string { return f.base.Add(-time.Duration(days) * 24 * time.Hour).Format(time.DateOnly) }
	section := r.out[strings.Index(r.out, "## Template adoption"):strings.Index(r.out, "## Teams")]
	want := "## Template adoption\n\n" +
		"**66.7%** of 9 components were created from a template (6 with the `backstage.io/source-template` annotation the scaffolder writes; first report with these figures).\n\n" +
		"| template | components | share | change |\n| --- | ---: | ---: | ---: |\n" +
		"| `template:default/service` | 3 | 50.0% | – |\n" +
		"| `template:default/website` | 2 | 33.3% | – |\n" +
		"| `template:default/ghost` (not in this catalog) | 1 | 16.7% | – |\n" +
		"| `template:default/library` | 0 | 0.0% | – |\n\n" +
		"| team | components | from a template | change |\n| --- | ---: | ---: | ---: |\n" +
		"| infra | 2 | 50.0% (1) | – |\n" +
		"| payments | 3 | 66.7% (2) | – |\n" +
		"| web | 3 | 66.7% (2) | – |\n" +
		"| \\(no owner\\) | 1 | 100.0% (1) | – |\n\n" +
		"### New repositories\n\n" +
		"Of the 34 repositories created from " + since + " to " + until + " (90 days), **5** (14.7%) came from a template. Not from a template, newest first:\n\n" +
		"- acme/scratch (created " + created(3) + "): no catalog file\n" +
		"- acme/storefront (created " + created(5) + "): catalog file without the backstage.io/source-template annotation\n"
	for i := range 24 {
		if i == 5 {
			continue
		}
		want += fmt.Sprintf("- acme/exp-%03d (created %s): no catalog file\n", i, created(40+i))
	}
	want += "- and 4 more\n\n"
	if section != want {
		t.Errorf("adoption section:\n%s\nwant:\n%s", section, want)
	}
	if !strings.Contains(r.out, "9 of 120 repositories (7.5%) have a catalog file.") {
		t.Errorf("coverage (archived old-thing left out) changed:\n%s", r.out)
	}
	if f.foreign.Load() != 0 {
		t.Errorf("%d requests without the token", f.foreign.Load())
	}

	// JSON carries every figure and the whole list. The rescan sends
	// conditional requests only (files known absent are not asked again),
	// all answered 304: the creation dates come from the cached listing.
	f.requests.Store(0)
	f.unconditional.Store(0)
	f.notModified.Store(0)
	r = run(t, "", env, "report", "--catalog", "github:acme", "--drift=false", "--cache-dir", cache, "--format", "json")
	if f.requests.Load() != 2+9 || f.unconditional.Load() != 0 || f.notModified.Load() != f.requests.Load() {
		t.Errorf("rescan: %d requests, %d unconditional, %d not modified", f.requests.Load(), f.unconditional.Load(), f.notModified.Load())
	}
	var doc struct {
		Adoption struct {
			Components, FromTemplate int
			Percent                  float64
			Templates                []struct {
				Template   string
				InCatalog  bool
				Components int
				Percent    float64
			}
			Teams []struct {
				Team                     string
				Components, FromTemplate int
				Percent                  float64
			}
			NewRepositories struct {
				Days, Repos, FromTemplate int
				Percent                   float64
				NotFromTemplate           []struct {
					Repo, Created string
					CatalogFile   bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, r.out)
	}
	a := doc.Adoption
	if a.Components != 9 || a.FromTemplate != 6 || a.Percent != 66.7 || len(a.Templates) != 4 || a.Templates[2].Template != "template:default/ghost" || a.Templates[2].InCatalog || !a.Templates[3].InCatalog || a.Templates[1].Percent != 33.3 {
		t.Errorf("json adoption: %+v", a)
	}
	if len(a.Teams) != 4 || a.Teams[0].Team != "infra" || a.Teams[3].Team != "(no owner)" || a.Teams[3].Percent != 100 {
		t.Errorf("json teams: %+v", a.Teams)
	}
	n := a.NewRepositories
	if n.Days != 90 || n.Repos != 34 || n.FromTemplate != 5 || n.Percent != 14.7 || len(n.NotFromTemplate) != 29 || n.NotFromTemplate[28].Repo != "acme/exp-027" || !n.NotFromTemplate[1].CatalogFile || n.NotFromTemplate[0].CatalogFile {
		t.Errorf("json new repositories: %+v", n)
	}

	// A week later storefront has the annotation: the second run with the
	// history shows the change.
	f.mu.Lock()
	f.repos[4].files = map[string]string{"catalog-info.yaml": adoptionComponent("storefront", "web", "template:default/website", "")}
	f.mu.Unlock()
	reportNow = func() time.Time { return f.base.Add(7*24*time.Hour + 9*time.Hour) }
	r = run(t, "", env, append(args, "--format", "markdown")...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, r.err)
	}
	for _, want := range []string{
		"**77.8%** of 9 components were created from a template (7 with the `backstage.io/source-template` annotation the scaffolder writes; +11.1 since " + until + ").",
		"Trend over 2 reports: `▆▆`",
		"| `template:default/website` | 3 | 42.9% | +1 |",
		"| `template:default/service` | 3 | 42.9% | ±0 |",
		"| web | 3 | 100.0% (3) | +33.3 |",
		"| infra | 2 | 50.0% (1) | ±0 |",
		"**6** (17.6%) came from a template (+2.9 since " + until + ").",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("second run lacks %q\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "acme/storefront (created") {
		t.Errorf("storefront still listed:\n%s", r.out)
	}
	var h struct {
		Points []struct {
			Date     string
			Adoption struct {
				Percent         float64
				Templates       map[string]int
				Teams           map[string]float64
				NewRepositories struct{ Repos, FromTemplate int }
			}
		}
	}
	b, _ := os.ReadFile(hist)
	if err := json.Unmarshal(b, &h); err != nil || len(h.Points) != 2 || h.Points[0].Adoption.Percent != 66.7 || h.Points[1].Adoption.Percent != 77.8 ||
		h.Points[1].Adoption.Templates["template:default/website"] != 3 || h.Points[1].Adoption.Teams["web"] != 100 || h.Points[1].Adoption.NewRepositories.FromTemplate != 6 {
		t.Errorf("history: %v\n%s", err, b)
	}

	// HTML has the section, with the same figures and the trend.
	r = run(t, "", env, "report", "--catalog", "github:acme", "--drift=false", "--cache-dir", cache, "--history", hist, "--format", "html")
	for _, want := range []string{
		`<h2>Template adoption</h2>`,
		`<p><strong>77.8%</strong> of 9 components were created from a template: 7 carry the <code>backstage.io/source-template</code> annotation the scaffolder writes. <span class="delta up">&#43;11.1</span> <span class="note">since ` + until + `</span></p>`,
		`<tr data-template="template:default/website"><td><code>template:default/website</code></td><td class="n">3</td><td class="n">42.9%</td><td class="n delta up">&#43;1</td></tr>`,
		`<tr data-template="template:default/ghost"><td><code>template:default/ghost</code> <span class="note">(not in this catalog)</span></td><td class="n">1</td><td class="n">14.3%</td><td class="n delta same">±0</td></tr>`,
		`<tr data-team="web"><td class="team">web</td><td class="n">3</td><td class="n">100.0% (3)</td><td class="n delta up">&#43;33.3</td></tr>`,
		`<li><code>acme/scratch</code> (created ` + created(3) + `): no catalog file</li>`,
		`<li>and 3 more</li>`,
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("html lacks %q\n%s", want, r.out[strings.Index(r.out, `<section class="adoption"`):])
		}
	}

	// CSV: the organisation's and each team's adoption columns.
	r = run(t, "", env, "report", "--catalog", "github:acme", "--drift=false", "--cache-dir", cache, "--format", "csv")
	lines := strings.Split(r.out, "\n")
	if !strings.HasSuffix(lines[0], ",components,from_template,from_template_percent") || !strings.HasSuffix(lines[1], ",9,7,77.8") {
		t.Errorf("csv:\n%s", r.out)
	}
	if !strings.Contains(r.out, ",web,") || !strings.Contains(r.out, ",3,3,100.0\n") {
		t.Errorf("csv teams:\n%s", r.out)
	}
}

// Without a GitHub organisation the template shares still show, and the
// new-repository part says why it is absent; adoption.days is read from
// .catalint.yaml and checked.
func TestReportAdoptionLocal(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	for name, body := range map[string]string{
		"a": adoptionComponent("a", "payments", "template:default/service", ""),
		"b": adoptionComponent("b", "payments", "", ""),
		"c": adoptionComponent("c", "user:ada", "template:ops/job", ""),
	} {
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		os.WriteFile(filepath.Join(dir, name, "catalog-info.yaml"), []byte(body), 0o644)
	}
	r := run(t, "", nil, "report", "--format", "markdown", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	for _, want := range []string{
		"**66.7%** of 3 components were created from a template",
		"| `template:default/service` | 1 | 50.0% | – |",
		"| `template:ops/job` | 1 | 50.0% | – |",
		"| payments | 2 | 50.0% (1) | – |",
		"| user:ada | 1 | 100.0% (1) | – |",
		"### New repositories\n\n_Not counted: the report read no GitHub organisation; the repositories' creation dates come from a github:ORG catalog source's repository list._\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report lacks %q\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "(not in this catalog)") {
		t.Errorf("a catalog without Templates marks its templates as missing:\n%s", r.out)
	}
	r = run(t, "", nil, "report", "--format", "json", dir)
	if !strings.Contains(r.out, `"newRepositoriesAbsent": "the report read no GitHub organisation;`) || strings.Contains(r.out, `"newRepositories":`) {
		t.Errorf("json:\n%s", r.out)
	}

	cfg := filepath.Join(dir, ".catalint.yaml")
	os.WriteFile(cfg, []byte("adoption:\n  days: 0\n"), 0o644)
	if r := run(t, "", nil, "report", "--config", cfg, dir); r.code != ExitUsage || !strings.Contains(r.err, "days") {
		t.Errorf("adoption.days 0: exit %d\n%s", r.code, r.err)
	}
	os.WriteFile(cfg, []byte("adoption:\n  day: 30\n"), 0o644)
	if r := run(t, "", nil, "report", "--config", cfg, dir); r.code != ExitUsage || !strings.Contains(r.err, "day") {
		t.Errorf("adoption.day: exit %d\n%s", r.code, r.err)
	}
}

// adoption.days narrows the new repositories: with 30 days up to 09:00
// today, those created 3–20 days ago (scratch, storefront, payments-api,
// payments-web; checkout, created 30 days before midnight, is out): 4, 2
// from a template = 50.0%.
func TestReportAdoptionDays(t *testing.T) {
	f := adoptionOrg(t)
	env := map[string]string{"GITHUB_TOKEN": f.token, "GITHUB_API_URL": f.srv.URL + "/api/v3/"}
	defer func(old func() time.Time) { reportNow = old }(reportNow)
	reportNow = func() time.Time { return f.base.Add(9 * time.Hour) }
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".catalint.yaml")
	os.WriteFile(cfg, []byte("adoption:\n  days: 30\n"), 0o644)
	r := run(t, "", env, "report", "--config", cfg, "--catalog", "github:acme", "--drift=false", "--cache-dir", "-", "--format", "markdown")
	if r.code != 0 || !strings.Contains(r.out, "Of the 4 repositories created from ") || !strings.Contains(r.out, " (30 days), **2** (50.0%) came from a template.") {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
}
