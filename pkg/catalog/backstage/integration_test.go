package backstage

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// countingTransport records the queries a Source sends.
type countingTransport struct {
	mu      sync.Mutex
	queries []url.Values
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.queries = append(c.queries, r.URL.Query())
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// fixture is an entity of testdata/ and the file that defines it.
type fixture struct {
	ref, file string
}

// fixtures reads the entities of every catalog file under testdata/.
func fixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".yaml" {
			return err
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := yaml.NewDecoder(f)
		for {
			var doc struct {
				Kind     string
				Metadata struct{ Name, Namespace string }
			}
			if err := dec.Decode(&doc); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			ns := doc.Metadata.Namespace
			if ns == "" {
				ns = "default"
			}
			out = append(out, fixture{ref: doc.Kind + ":" + ns + "/" + doc.Metadata.Name, file: realPath(abs)})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// TestIntegrationRealBackstage loads testdata/ from a real Backstage
// catalog backend: scripts/backstage-integration.sh starts one with
// testdata/org.yaml, systems.yaml and locations.yaml registered and runs
// this test.
func TestIntegrationRealBackstage(t *testing.T) {
	base := os.Getenv("CATALINT_BACKSTAGE_URL")
	if base == "" {
		t.Skip("CATALINT_BACKSTAGE_URL is not set: run scripts/backstage-integration.sh to test against a real Backstage catalog backend")
	}
	token := os.Getenv("CATALINT_BACKSTAGE_TOKEN")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	want := fixtures(t)
	if len(want) < 12 {
		t.Fatalf("only %d fixture entities", len(want))
	}

	t.Run("all pages", func(t *testing.T) {
		ct := &countingTransport{}
		s, err := New(Options{BaseURL: base, Token: token, PageSize: 5, HTTPClient: &http.Client{Transport: ct}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byRef := map[string]int{}
		for i, e := range got {
			byRef[e.Kind+":"+e.Namespace+"/"+e.Name] = i
			if e.Source != s.Name() {
				t.Errorf("%s: Source %q", e.Name, e.Source)
			}
			if i > 0 && compareEntities(got[i-1], e) >= 0 {
				t.Errorf("not sorted at %d: %s after %s", i, e.Name, got[i-1].Name)
			}
			if _, ok := e.Raw["relations"]; ok {
				t.Errorf("%s: relations returned although not among the fields", e.Name)
			}
			if e.Kind == "Location" && strings.HasPrefix(e.Name, "generated-") {
				continue // one per registered file, made by the catalog
			}
			if !slices.ContainsFunc(want, func(f fixture) bool { return f.ref == e.Kind+":"+e.Namespace+"/"+e.Name }) {
				t.Errorf("unexpected entity %s:%s/%s (%s)", e.Kind, e.Namespace, e.Name, e.Location)
			}
		}
		for _, f := range want {
			i, ok := byRef[f.ref]
			if !ok {
				t.Errorf("fixture %s (%s) was not loaded", f.ref, f.file)
				continue
			}
			if loc := realPath(got[i].Location); loc != f.file {
				t.Errorf("%s: Location %q, want %q", f.ref, got[i].Location, f.file)
			}
		}
		// An entity the catalog read through a Location entity points at
		// its own file, not at the registered one.
		if i, ok := byRef["Component:tools/ledger-cli"]; ok {
			if !strings.HasSuffix(got[i].Location, filepath.Join("testdata", "more", "catalog-info.yaml")) {
				t.Errorf("ledger-cli: Location %q", got[i].Location)
			}
			md := got[i].Raw["metadata"].(map[string]any)
			ann := md["annotations"].(map[string]any)
			if o, _ := ann[AnnotationOriginLocation].(string); !strings.HasSuffix(o, "locations.yaml") {
				t.Errorf("ledger-cli: origin location %q", o)
			}
		}
		if i, ok := byRef["Component:default/payments-service"]; ok {
			spec := got[i].Spec()
			if spec["owner"] != "group:payments" || got[i].Raw["apiVersion"] != "backstage.io/v1alpha1" {
				t.Errorf("payments-service: %v", got[i].Raw)
			}
		}

		pages := (len(got) + 4) / 5
		if len(ct.queries) != pages || pages < 3 {
			t.Errorf("%d requests for %d entities, want %d pages of 5", len(ct.queries), len(got), pages)
		}
		for i, q := range ct.queries {
			if q.Get("limit") != "5" || q.Get("fields") == "" || (i > 0) != (q.Get("cursor") != "") {
				t.Errorf("request %d: %v", i+1, q)
			}
		}
		t.Logf("%d entities (%d fixtures) in %d requests", len(got), len(want), len(ct.queries))
	})

	t.Run("filter", func(t *testing.T) {
		ct := &countingTransport{}
		s, err := New(Options{BaseURL: base, Token: token, PageSize: 4, Filter: "kind=Group,kind=User", HTTPClient: &http.Client{Transport: ct}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var refs, wantRefs []string
		for _, e := range got {
			refs = append(refs, e.Kind+":"+e.Namespace+"/"+e.Name)
		}
		for _, f := range want {
			if strings.HasPrefix(f.ref, "Group:") || strings.HasPrefix(f.ref, "User:") {
				wantRefs = append(wantRefs, f.ref)
			}
		}
		slices.Sort(refs)
		slices.Sort(wantRefs)
		if !slices.Equal(refs, wantRefs) {
			t.Errorf("got %v\nwant %v", refs, wantRefs)
		}
		if len(ct.queries) < 2 || ct.queries[0].Get("filter") == "" || ct.queries[1].Has("filter") {
			t.Errorf("requests %v: the filter goes with the first only", ct.queries)
		}
	})

	t.Run("wrong token", func(t *testing.T) {
		bad := "wrong-" + token + "-x"
		s, err := New(Options{BaseURL: base, Token: bad})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Load(ctx)
		want := s.Name() + ": unauthorised (401): set BACKSTAGE_TOKEN to a token the catalog accepts"
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, ErrUnauthorized) {
			t.Errorf("error %v\nwant      %s", err, want)
		}
		if err != nil && strings.Contains(err.Error(), bad) {
			t.Errorf("the token is in the error: %v", err)
		}
		t.Logf("%v", err)
	})

	if token != "" {
		t.Run("no token", func(t *testing.T) {
			s, err := New(Options{BaseURL: base})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Load(ctx)
			if !errors.Is(err, ErrUnauthorized) {
				t.Errorf("error %v, want 401", err)
			}
		})
	}

	t.Run("not the backend", func(t *testing.T) {
		s, err := New(Options{BaseURL: strings.TrimRight(base, "/") + "/portal", Token: token})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Load(ctx)
		want := s.Name() + ": no catalog API at " + strings.TrimPrefix(s.Name(), "backstage:") + "/api/catalog (404): is this the Backstage backend URL?"
		if err == nil || err.Error() != want || !errors.Is(err, ErrNoCatalog) {
			t.Errorf("error %v\nwant      %s", err, want)
		}
	})
}
