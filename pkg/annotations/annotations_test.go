package annotations

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/catalint-dev/catalint/pkg/load"
)

func TestBuiltin(t *testing.T) {
	for _, tc := range []struct {
		key   string
		good  []string
		bad   []string
		wants string // a part of the description
	}{
		{"backstage.io/source-location",
			[]string{"url:https://github.com/org/repo/tree/main/", "file:./catalog-info.yaml", "dir:.", "github:org/repo", "url: https://gitlab.com/g/p "},
			[]string{"https://github.com/org/repo", "url:./catalog-info.yaml", "url:", ":x", "url:file:///x.yaml", "nothing"},
			"location reference"},
		{"backstage.io/managed-by-location",
			[]string{"url:https://stash.example.com/projects/X/repos/y/browse/catalog-info.yaml", "file:catalog/eulen-api.yaml"},
			[]string{"catalog-info.yaml"}, "location reference"},
		{"backstage.io/view-url", []string{"https://github.com/o/r", "http://intranet/x"}, []string{"github.com/o/r", "/docs", "ftp://x/y", "https://"}, "http(s) URL"},
		{"backstage.io/edit-url", []string{"https://github.com/o/r/edit/main/catalog-info.yaml"}, []string{"edit me"}, "http(s) URL"},
		{"github.com/project-slug",
			[]string{"backstage/backstage", "janus-idp/backstage-plugins", "my-org/my.repo_name-2", "A1/x"},
			[]string{"backstage", "https://github.com/backstage/backstage", "org/repo/extra", "-org/repo", "org/", "org/..", "org/re po", "a-very-long-organisation-name-that-is-too-long/x"},
			"owner/repo"},
		{"pagerduty.com/integration-key", []string{"a834115a04c748a5befc777442e209b8", "R0123456789ABCDEFGHIJKLMNOPQRSTU"}, []string{"a834115a04c748a5", "a834115a-04c7-48a5-befc-777442e209b8"}, "32-character"},
		{"pagerduty.com/service-id", []string{"PZDAG59", "PA36JR1"}, []string{"soundcheck-frontend", "pzdag59", "PZDAG5", "P1234567"}, "P and 6"},
		{"backstage.io/kubernetes-id", []string{"ml-detector", "prod_cluster.v2", "a"}, []string{"the label the Kubernetes plugin looks", "-x", "x-", strings.Repeat("a", 64)}, "label value"},
		{"sonarqube.org/project-key", []string{"janus-idp_backstage-plugins", "dpe:backstage", "my-instance/com.acme:orders", "kafka-connect-jdbc"}, []string{"12345", "a b", "/key", "x/y/z", "key/"}, "non-digit"},
		{"backstage.io/techdocs-ref", []string{"dir:.", "url:https://github.com/o/r/tree/main"}, []string{"docs", "https://github.com/o/r", "url:./x"}, "dir:"},
		{"backstage.io/techdocs-entity", []string{"component:default/shared", "system:docs"}, []string{"shared", "url:https://nodejs.org/docs/latest/api/"}, "kind:"},
	} {
		for _, v := range tc.good {
			if ok, exp := Check(tc.key, v); !ok {
				t.Errorf("%s: %q rejected (expected %s)", tc.key, v, exp)
			}
		}
		for _, v := range tc.bad {
			ok, exp := Check(tc.key, v)
			if ok {
				t.Errorf("%s: %q accepted", tc.key, v)
			} else if !strings.Contains(exp, tc.wants) {
				t.Errorf("%s: expected %q, want it to mention %q", tc.key, exp, tc.wants)
			}
		}
	}
	if ok, exp := Check("example.com/anything", "whatever"); !ok || exp != "" {
		t.Errorf("unknown key: got %v %q", ok, exp)
	}
}

func TestAdd(t *testing.T) {
	r := New()
	if err := r.Add("acme.com/cost-center", `CC-[0-9]{4}`, "a cost centre such as CC-1234"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.Check("acme.com/cost-center", "CC-1234"); !ok {
		t.Error("CC-1234 rejected")
	}
	// The pattern is anchored: a match inside the value is not enough.
	if ok, exp := r.Check("acme.com/cost-center", "xCC-12345"); ok || exp != "a cost centre such as CC-1234" {
		t.Errorf("xCC-12345: got %v %q", ok, exp)
	}
	// Configuration may override a built-in format.
	if err := r.Add("pagerduty.com/service-id", `[A-Z0-9]{7,14}`, "a PagerDuty ID"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.Check("pagerduty.com/service-id", "Q2NVEBBZLDHFLR"); !ok {
		t.Error("override not used")
	}
	if ok, _ := Check("pagerduty.com/service-id", "Q2NVEBBZLDHFLR"); ok {
		t.Error("an Add on a New registry changed the default one")
	}
	if err := r.Add("acme.com/x", `(`, ""); err == nil {
		t.Error("bad pattern accepted")
	}
	if err := r.Add("not a key", `x`, ""); err == nil {
		t.Error("bad key accepted")
	}
	if err := r.Add("acme.com/y", `[a-z]+`, ""); err != nil {
		t.Fatal(err)
	}
	if _, exp := r.Check("acme.com/y", "1"); exp != "a value matching [a-z]+" {
		t.Errorf("default description: %q", exp)
	}
	keys := r.Keys()
	if !sort.StringsAreSorted(keys) || len(keys) < 10 {
		t.Errorf("keys: %v", keys)
	}
}

// TestCorpus checks every well-known annotation of the conformance corpus
// and logs the values that do not fit (APISPEC_CORPUS=v to print them).
func TestCorpus(t *testing.T) {
	dir := "../../../shared/conformance"
	mf, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("conformance corpus not found at %s", dir)
	}
	checked, bad := 0, 0
	for _, line := range strings.Split(string(mf), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 5 || f[4] != "descriptor" {
			continue
		}
		path := filepath.Join(dir, "repos", f[0])
		lf := load.ReadFile(path, f[0], load.Options{Root: filepath.Join(dir, "repos", strings.SplitN(f[0], "/", 2)[0])})
		for _, d := range lf.Docs {
			ann := d.Root.Get("metadata").Get("annotations")
			if ann == nil || ann.Kind != load.Map {
				continue
			}
			for _, p := range ann.Map {
				if _, known := Default().Lookup(p.Key); !known || p.Value.Kind != load.String {
					continue
				}
				checked++
				if ok, exp := Check(p.Key, p.Value.Text); !ok {
					bad++
					if os.Getenv("APISPEC_CORPUS") != "" {
						t.Logf("%s:%d: %s: %q: expected %s", f[0], p.Value.Span.Line, p.Key, p.Value.Text, exp)
					}
				}
			}
		}
	}
	t.Logf("%d well-known annotations checked, %d do not fit their format", checked, bad)
}
