package load

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// corpusDir is the shared conformance corpus: real descriptor files from
// public repositories, listed in MANIFEST.tsv with their role.
var corpusDir = filepath.Join("..", "..", "..", "shared", "conformance")

// declaresBackstage tells, by parsing (not by Sniffer's byte scan), whether
// a file's documents declare a Backstage apiVersion. A document that does
// not parse is read with a loose pattern, indented keys included.
func declaresBackstage(src []byte) bool {
	loose := regexp.MustCompile(`(?m)^\s*-?\s*["']?apiVersion["']?\s*:\s*["']?(scaffolder\.)?backstage\.io/`)
	for _, chunk := range regexp.MustCompile(`(?m)^---`).Split(string(src), -1) {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(chunk), &doc); err != nil {
			if loose.MatchString(chunk) {
				return true
			}
			continue
		}
		if v, ok := doc["apiVersion"].(string); ok && (strings.HasPrefix(v, "backstage.io/") || strings.HasPrefix(v, "scaffolder.backstage.io/")) {
			return true
		}
	}
	return false
}

// TestDiscoverCorpus searches the corpus's repos/ folder the way `check
// repos` does and compares with MANIFEST.tsv: every descriptor that
// declares a Backstage apiVersion is found, except in skeleton folders
// and in the folders a Template fetches (template sources), and nothing
// is found that is not a catalog file.
func TestDiscoverCorpus(t *testing.T) {
	mf, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("conformance corpus not available (%v); it lives in ../shared/conformance", err)
	}
	defer mf.Close()
	role := map[string]string{}
	sc := bufio.NewScanner(mf)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) == 5 && cols[0] != "file" {
			role[cols[0]] = cols[4]
		}
	}
	repos := filepath.Join(corpusDir, "repos")
	ig, err := NewIgnorer(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	found, err := (&Search{Ignorer: ig, Sniffer: NewSniffer(nil)}).Discover([]string{repos})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Diags) > 0 {
		t.Errorf("unreadable folders: %v", found.Diags)
	}
	got := map[string]bool{}
	for _, x := range found.Targets {
		r, _ := filepath.Rel(repos, x.Path)
		got[filepath.ToSlash(r)] = true
	}
	skippedAsSource := map[string]bool{}
	for _, p := range found.TemplateSources {
		r, _ := filepath.Rel(repos, p)
		skippedAsSource[filepath.ToSlash(r)] = true
	}
	var want, missed, inSkeleton []string
	for f, r := range role {
		if r != "descriptor" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(repos, f))
		if err != nil {
			t.Fatal(err)
		}
		bs := declaresBackstage(src)
		name := filepath.Base(f)
		if !bs && !isCatalogName(name) {
			continue
		}
		if ig.Match(f) {
			inSkeleton = append(inSkeleton, f)
			continue
		}
		want = append(want, f)
		if !got[f] && !skippedAsSource[f] {
			missed = append(missed, f)
		}
	}
	sort.Strings(missed)
	for _, f := range missed {
		t.Errorf("missed %s", f)
	}
	var extra []string
	for f := range got {
		if role[f] != "descriptor" {
			extra = append(extra, f)
		}
	}
	sort.Strings(extra)
	for _, f := range extra {
		// Only files placeholders read may be catalog-looking too: a $yaml
		// target holds an entity.
		src, _ := os.ReadFile(filepath.Join(repos, f))
		if role[f] != "referenced" || !bytes.Contains(src, []byte("backstage.io/")) {
			t.Errorf("found %s (role %q), not a descriptor", f, role[f])
		}
	}
	for f := range skippedAsSource {
		t.Logf("template source, skipped: %s", f)
	}
	t.Logf("corpus: found %d of %d descriptors that declare a Backstage apiVersion or are named catalog-info (%d more in skeleton folders, %d template sources skipped, %d referenced files found)",
		len(want)-len(missed)-len(skippedAsSource), len(want), len(inSkeleton), len(skippedAsSource), len(extra))
}
