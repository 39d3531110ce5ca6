package techdocs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func repo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("testdata/repo")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// render writes problems as "file:line:col severity message", with paths
// relative to root.
func render(root string, ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		f, _ := filepath.Rel(root, p.File)
		fmt.Fprintf(&b, "%s:%d:%d %s %s\n", filepath.ToSlash(f), p.Line, p.Column, p.Severity, p.Message)
	}
	return b.String()
}

func TestCheckRef(t *testing.T) {
	root := repo(t)
	for _, tc := range []struct {
		site, ref string
		want      []string
	}{
		{"good", "dir:.", nil},
		{"good", "dir:./", nil},
		{"broken", "dir:.", []string{
			`broken/mkdocs.yml:3:11 warning nav page "Index.md": broken/docs/Index.md does not exist (did you mean "index.md"?)`,
			`broken/mkdocs.yml:5:16 warning nav page "guide/setup.md": broken/docs/guide/setup.md does not exist: TechDocs builds the site with a broken link in its navigation`,
			`broken/mkdocs.yml:7:5 warning nav page "runbook.md": broken/docs/runbook.md does not exist (did you mean "runbooks.md"?)`,
			`broken/mkdocs.yml:9:7 error nav section "Ops" must be a page or a list of pages`,
			`broken/mkdocs.yml:10:1 notice TechDocs removes hooks before it builds`,
		}},
		// MkDocs builds a site whose nav names a missing page (a broken
		// link), unless strict: true makes that warning fail the build.
		{"strict", "dir:.", []string{
			`strict/mkdocs.yml:5:14 error nav page "runbook.md": strict/docs/runbook.md does not exist: with strict: true, the TechDocs build fails`,
		}},
		{"bad-docsdir", "dir:.", []string{
			`bad-docsdir/mkdocs.yml:2:11 error docs_dir "../good/docs" must be a folder below mkdocs.yml: TechDocs refuses absolute paths and ../`,
		}},
		{"missing-docsdir", "dir:.", []string{
			`missing-docsdir/mkdocs.yaml:2:11 error docs_dir "documentation": missing-docsdir/documentation does not exist`,
		}},
		{"noconfig", "dir:.", []string{
			`noconfig/catalog-info.yaml:0:0 notice backstage.io/techdocs-ref "dir:.": noconfig/ has no mkdocs.yml or mkdocs.yaml, so TechDocs generates a default one (docs_dir: docs)`,
		}},
		{"nodocs", "dir:.", []string{
			`nodocs/catalog-info.yaml:0:0 notice backstage.io/techdocs-ref "dir:.": nodocs/ has no mkdocs.yml or mkdocs.yaml`,
			`nodocs/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "dir:.": there are no docs to build: the folder nodocs/docs/ does not exist`,
		}},
		{"badyaml", "dir:.", []string{
			`badyaml/mkdocs.yml:2:1 error mkdocs.yml is not valid YAML: did not find expected '-' indicator`,
		}},
		{"python-tag", "dir:.", []string{
			`python-tag/mkdocs.yml:8:12 warning TechDocs refuses the Python YAML tag !!python/name:os.system`,
		}},
		{"monorepo", "dir:.", []string{
			`monorepo/mkdocs.yml:5:15 error nav includes monorepo/frontend/mkdocs.yml, which does not exist`,
		}},
		// The catalog file of a sub-folder pointing up to a site.
		{"good/docs", "dir:..", nil},
		{"good", "dir:../../..", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "dir:../../..": ` + filepath.Dir(filepath.Dir(root)) + ` is outside the repository (root ` + root + `)`,
		}},
		{"good", "dir:missing", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "dir:missing": good/missing does not exist`,
		}},
		{"good", "dir:mkdocs.yml", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "dir:mkdocs.yml": good/mkdocs.yml is a file, not a folder`,
		}},
		{"good", "dir:/good", []string{
			`good/catalog-info.yaml:0:0 warning backstage.io/techdocs-ref "dir:/good": an absolute dir: path is read from the repository root`,
		}},
		{"good", "url:https://github.com/acme/orders/tree/main", nil},
		{"good", "url:./docs", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "url:./docs": the target of url: must be an absolute http(s) URL`,
		}},
		{"good", "https://github.com/acme/orders", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "https://github.com/acme/orders" needs the url: prefix: write url:https://github.com/acme/orders`,
		}},
		{"good", "github:acme/orders", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "github:acme/orders": TechDocs reads only dir: and url: references, not github:; write dir:<folder relative to the catalog file> (e.g. dir:.) or url:<absolute URL of the folder>`,
		}},
		{"good", "docs", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "docs" is not a location reference; write dir:`,
		}},
		{"good", "dir:", []string{
			`good/catalog-info.yaml:0:0 error backstage.io/techdocs-ref "dir:" is not a location reference`,
		}},
	} {
		t.Run(tc.site+" "+tc.ref, func(t *testing.T) {
			got := CheckRef(tc.ref, filepath.Join(root, tc.site, "catalog-info.yaml"), root)
			lines := strings.Split(strings.TrimSuffix(render(root, got), "\n"), "\n")
			if len(got) == 0 {
				lines = nil
			}
			ok := len(lines) == len(tc.want)
			for i := 0; ok && i < len(lines); i++ {
				ok = strings.HasPrefix(lines[i], tc.want[i])
			}
			if !ok {
				t.Errorf("got\n%s\nwant (prefixes)\n%s", render(root, got), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSymlinks: a docs folder or page that is a symlink out of the
// repository is refused.
func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.md"), []byte("# secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	site := filepath.Join(root, "svc")
	if err := os.MkdirAll(filepath.Join(site, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"svc/mkdocs.yml":    "site_name: svc\nnav:\n  - index.md\n  - Secret: secret.md\n",
		"svc/docs/index.md": "# svc\n",
	}
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(site, "docs", "secret.md")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	got := CheckRef("dir:./svc", filepath.Join(root, "catalog-info.yaml"), root)
	if len(got) != 1 || got[0].Line != 4 || !strings.Contains(got[0].Message, "is a symlink to") || !strings.Contains(got[0].Message, "outside the repository") {
		t.Errorf("page: got %v", got)
	}
	got = CheckRef("dir:elsewhere", filepath.Join(root, "catalog-info.yaml"), root)
	if len(got) != 1 || got[0].Line != 0 || !strings.Contains(got[0].Message, "is a symlink to") {
		t.Errorf("folder: got %v", got)
	}
}

func TestRefForm(t *testing.T) {
	for ref, ok := range map[string]bool{
		"dir:.": true, "dir: ./docs ": true, "url:https://github.com/a/b": true,
		"dir:": false, "url:": false, "url:docs": false, "https://x.y": false, "docs": false, "file:./x": false,
	} {
		if err := RefForm(ref); (err == nil) != ok {
			t.Errorf("RefForm(%q) = %v, want ok=%v", ref, err, ok)
		}
	}
}

func TestCheckEntityRef(t *testing.T) {
	for v, want := range map[string]string{
		"component:default/shared-docs": "",
		"component:shared-docs":         "",
		"System:platform/docs":          "",
		"shared-docs":                   "names no kind",
		"component:":                    "not on the form",
		"url:https://nodejs.org/docs/":  "is a URL, not an entity reference",
		"component:Bad_NS/docs":         `namespace "Bad_NS" is not valid`,
		"component:default/a b":         `name "a b" is not valid`,
	} {
		err := CheckEntityRef(v)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckEntityRef(%q) = %v, want nil", v, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckEntityRef(%q) = %v, want …%s…", v, err, want)
		}
	}
}
