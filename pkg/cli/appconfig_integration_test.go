package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// appConfigScenarios are the entities a real Backstage ingests from
// pkg/appconfig/testdata/repo with each set of app-configs
// (scripts/appconfig-integration.sh starts one backend per scenario): the
// test holds catalint's verdict to the backend's, and both to this list, so
// that a fixture that stops exercising the rules fails too.
var appConfigScenarios = map[string]struct {
	configs []string
	ingests []string
}{
	// catalog.rules with a spec.type matcher and a location pattern,
	// location rules, a nested Location, a YAML error.
	"rules": {
		configs: []string{"app-config.yaml"},
		ingests: []string{
			"api:default/ok-api", "component:default/deep", "component:default/nested-root", "component:default/ok-service",
			"domain:default/shopping", "group:default/team-a", "location:default/ok-deeper", "user:default/alice",
		},
	},
	// The same with catalog.rules removed by a null in a second file:
	// Backstage's default rules (Component, API, Location).
	"defaults": {
		configs: []string{"app-config.yaml", "app-config.defaults.yaml"},
		ingests: []string{
			"api:default/ok-api", "component:default/deep", "component:default/nested-root", "component:default/ok-service",
			"group:default/team-a", "location:default/ok-deeper", "user:default/alice",
		},
	},
}

// TestIntegrationAppConfig compares what `catalint check --app-config`
// finds valid with what a real Backstage backend, started with the same
// app-configs, ingests.
func TestIntegrationAppConfig(t *testing.T) {
	url, token, repo, name := os.Getenv("CATALINT_APPCONFIG_URL"), os.Getenv("CATALINT_APPCONFIG_TOKEN"), os.Getenv("CATALINT_APPCONFIG_REPO"), os.Getenv("CATALINT_APPCONFIG_SCENARIO")
	if url == "" {
		t.Skip("CATALINT_APPCONFIG_URL is not set: run scripts/appconfig-integration.sh to test against a real Backstage catalog")
	}
	sc, ok := appConfigScenarios[name]
	if !ok {
		t.Fatalf("CATALINT_APPCONFIG_SCENARIO %q: no such scenario", name)
	}
	got := catalintIngests(t, repo, sc.configs)
	if want := strings.Join(sc.ingests, "\n"); strings.Join(got, "\n") != want {
		t.Errorf("catalint's verdict: valid\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	// The backend processes asynchronously: wait until it shows the same
	// set, and for it to stay so for a few seconds.
	var seen []string
	stable := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && stable < 4; time.Sleep(time.Second) {
		seen = backendEntities(t, url, token)
		if strings.Join(seen, "\n") == strings.Join(got, "\n") {
			stable++
		} else {
			stable = 0
		}
	}
	if stable < 4 {
		t.Fatalf("the backend ingested\n%s\ncatalint finds valid\n%s", strings.Join(seen, "\n"), strings.Join(got, "\n"))
	}
}

// catalintIngests runs check --only schema with the app-configs and returns
// the references of the valid entities, sorted.
func catalintIngests(t *testing.T, repo string, configs []string) []string {
	t.Helper()
	args := []string{"check", "--only", "schema", "--format", "json"}
	for _, c := range configs {
		args = append(args, "--app-config", filepath.Join(repo, c))
	}
	r := run(t, "", nil, args...)
	if r.code != ExitOK && r.code != ExitProblems {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	var doc struct {
		Entities []struct {
			Ref   string `json:"ref"`
			Valid bool   `json:"valid"`
		} `json:"entities"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, r.out)
	}
	var refs []string
	for _, e := range doc.Entities {
		if e.Valid {
			refs = append(refs, strings.ToLower(e.Ref))
		}
	}
	sort.Strings(refs)
	return refs
}

// backendEntities lists the entities the backend serves, but the Location
// entities it generates for the app-config's own locations.
func backendEntities(t *testing.T, url, token string) []string {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/catalog/entities?fields=kind,metadata.name,metadata.namespace", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var es []struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name, Namespace string
		} `json:"metadata"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&es); err != nil {
		t.Fatalf("%s: %v", resp.Status, err)
	}
	var refs []string
	for _, e := range es {
		if e.Kind == "Location" && strings.HasPrefix(e.Metadata.Name, "generated-") {
			continue
		}
		ns := e.Metadata.Namespace
		if ns == "" {
			ns = "default"
		}
		refs = append(refs, strings.ToLower(e.Kind+":"+ns+"/"+e.Metadata.Name))
	}
	sort.Strings(refs)
	return refs
}
