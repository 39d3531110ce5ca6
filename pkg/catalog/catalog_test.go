package catalog

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
)

func ent(kind, name string, spec map[string]any) Entity {
	return Entity{Kind: kind, Namespace: "default", Name: name, Location: name + ".yaml:1", Source: "test",
		Raw: map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": kind, "metadata": map[string]any{"name": name}, "spec": spec}}
}

func TestIndexLookupIsCaseInsensitive(t *testing.T) {
	ix := NewIndex([]Entity{ent("Component", "Payments-API", nil), ent("Resource", "postgres-payments", nil)})
	if ix.Get(entity.Ref{Kind: "component", Namespace: "DEFAULT", Name: "payments-api"}) == nil {
		t.Error("case-insensitive lookup failed")
	}
	if ix.Get(entity.Ref{Kind: "Resource", Namespace: "other", Name: "postgres-payments"}) != nil {
		t.Error("another namespace must not match")
	}
	got := ix.Suggest(entity.Ref{Kind: "Resource", Namespace: "default", Name: "postgres-payment"}, nil, 3)
	if !reflect.DeepEqual(got, []string{"resource:default/postgres-payments"}) {
		t.Errorf("Suggest: %v", got)
	}
	if got := ix.Suggest(entity.Ref{Kind: "Resource", Namespace: "default", Name: "redis"}, nil, 3); len(got) != 0 {
		t.Errorf("Suggest of a far name: %v", got)
	}
}

func TestTargetsUseDefaultKindAndNamespace(t *testing.T) {
	e := ent("Component", "a", map[string]any{"providesApis": []any{"x", "other/y", "api:z"}, "system": "s"})
	e.Namespace = "ns"
	info, _ := entity.Builtin().ByName("Component")
	var got []string
	for _, rel := range info.Relations {
		for _, r := range Targets(&e, rel) {
			got = append(got, rel.Field+"="+r.String())
		}
	}
	want := []string{"system=system:ns/s", "providesApis=api:ns/x", "providesApis=api:other/y", "providesApis=api:ns/z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestCyclesAndReach(t *testing.T) {
	es := []Edge{{"a", "b", "dependsOn"}, {"b", "c", "dependsOn"}, {"c", "a", "dependsOn"}, {"c", "d", "dependsOn"}, {"d", "d", "dependsOn"}, {"x", "a", "dependsOn"}}
	got := Cycles(es)
	want := [][]string{{"a", "b", "c"}, {"d"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Cycles: %v, want %v", got, want)
	}
	nodes, _ := Reach(es, "x", false)
	if !reflect.DeepEqual(nodes, []string{"a", "b", "c", "d"}) {
		t.Errorf("Reach: %v", nodes)
	}
	nodes, _ = Reach(es, "d", true)
	if !reflect.DeepEqual(nodes, []string{"c", "b", "a", "x"}) {
		t.Errorf("Reach reverse: %v", nodes)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	es := []Entity{ent("Component", "b", map[string]any{"type": "service"}), ent("API", "a", nil)}
	for _, name := range []string{"c.json", "c.json.gz"} {
		p := filepath.Join(dir, name)
		if err := WriteSnapshot(p, []string{"test"}, es, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(p)
		if strings.HasSuffix(name, ".gz") != (raw[0] == 0x1f) {
			t.Errorf("%s: gzip=%v", name, raw[0] == 0x1f)
		}
		got, err := (&SnapshotSource{Path: p}).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Kind != "API" || got[1].SpecString("type") != "service" {
			t.Errorf("%s: %+v", name, got)
		}
	}
	if _, err := ReadSnapshot(bytes.NewReader([]byte(`{"version": 9}`))); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("future version: %v", err)
	}
	if _, err := ReadSnapshot(bytes.NewReader([]byte(`not json`))); err == nil {
		t.Error("garbage accepted")
	}
}

func TestFilesFollowsLocations(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "teams"), 0o755)
	os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: [./teams/*.yaml]}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "teams", "a.yaml"), []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n"), 0o644)
	ig, _ := load.NewIgnorer(nil, true)
	es, err := (&Files{Paths: []string{dir}, Ignorer: ig}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[1].Name != "team-a" || !strings.HasSuffix(es[1].Location, "a.yaml:1") {
		t.Errorf("%+v", es)
	}
}

func TestSnapshotOverHTTPS(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.json.gz")
	if err := WriteSnapshot(p, []string{"github:acme"}, []Entity{ent("Component", "a", nil)}, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(p)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/catalog.json.gz" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	got, err := (&SnapshotSource{Path: srv.URL + "/catalog.json.gz", Client: srv.Client()}).Load(context.Background())
	if err != nil || len(got) != 1 || got[0].Name != "a" {
		t.Errorf("got %+v, %v", got, err)
	}
	_, err = (&SnapshotSource{Path: srv.URL + "/missing.json", Client: srv.Client()}).Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("missing: %v", err)
	}
}

// TestDependsOnEdges holds DependsOnEdges to DependencyEdges filtered on
// the dependsOn label: dependsOn as written, dependencyOf turned around,
// and no API edges.
func TestDependsOnEdges(t *testing.T) {
	ix := NewIndex([]Entity{
		ent("Component", "web", map[string]any{"dependsOn": []any{"component:api", "resource:db"}, "consumesApis": []any{"orders"}, "providesApis": []any{"web-api"}}),
		ent("Component", "api", map[string]any{"dependsOn": "resource:db", "dependencyOf": []any{"component:batch"}}),
		ent("Resource", "db", map[string]any{"dependencyOf": []any{"component:web"}}),
		ent("API", "orders", nil),
	})
	var want []Edge
	labels := map[string]bool{}
	for _, e := range DependencyEdges(ix) {
		labels[e.Label] = true
		if e.Label == "dependsOn" {
			want = append(want, e)
		}
	}
	if !labels["consumesApis"] || !labels["providedBy"] {
		t.Fatalf("the fixture should make API edges too: %v", labels)
	}
	got := DependsOnEdges(ix)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DependsOnEdges:\n%v\nwant\n%v", got, want)
	}
	if len(want) != 4 { // web→api, web→db (twice written, once kept), api→db, batch→api
		t.Errorf("%d dependsOn edges, want 4: %v", len(want), want)
	}
}
