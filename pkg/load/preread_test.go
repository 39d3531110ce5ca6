package load

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReadTargetSingleRead: a file a folder search read whole is decoded
// from that content (the file is not read again), exactly as ReadFile
// decodes it; a link, a file over the budget and a second read go to the
// file, confined as before.
func TestReadTargetSingleRead(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(tmp, "repo")
	outside := filepath.Join(tmp, "outside")
	entity := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %s\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
	files := map[string]string{
		filepath.Join(repo, "a", "catalog-info.yaml"):     strings.Replace(entity, "%s", "a", 1),
		filepath.Join(repo, "b", "catalog-info.yaml"):     strings.Replace(entity, "%s", "b", 1) + "---\n" + strings.Replace(entity, "%s", "b2", 1),
		filepath.Join(repo, "c", "service.yaml"):          strings.Replace(entity, "%s", "c", 1),
		filepath.Join(repo, "empty", "catalog-info.yaml"): "",
		filepath.Join(outside, "secret.yaml"):             "apiVersion: backstage.io/v1alpha1\nkind: secret\n",
	}
	for p, src := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		filepath.Join(repo, "l", "catalog-info.yaml"):   filepath.Join(repo, "a", "catalog-info.yaml"),
		filepath.Join(repo, "out", "catalog-info.yaml"): filepath.Join(outside, "secret.yaml"),
	}
	for l, target := range links {
		os.MkdirAll(filepath.Dir(l), 0o755)
		if err := os.Symlink(target, l); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	s := &Search{Sniffer: NewSniffer(nil)}
	found, err := s.Discover([]string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(found.Targets); got != 6 {
		t.Fatalf("found %d targets, want 6: %+v", got, found.Targets)
	}
	for _, tg := range found.Targets {
		link := links[tg.Path] != ""
		if (tg.pre != nil) == link {
			t.Errorf("%s: pre-read %v, want %v", tg.Path, tg.pre != nil, !link)
		}
		if tg.abs != tg.Path {
			t.Errorf("%s: abs %q", tg.Path, tg.abs)
		}
		opts := Options{DefaultRoot: tg.Root}
		want := ReadFile(tg.Path, tg.Display, opts)
		got := ReadTarget(tg, opts)
		if d := diffFiles(want, got); d != "" || !reflect.DeepEqual(want.Diags, got.Diags) || want.Root != got.Root || string(want.Src) != string(got.Src) {
			t.Errorf("%s: ReadTarget differs from ReadFile: %s\n%+v\n%+v", tg.Path, d, want.Diags, got.Diags)
		}
		if strings.Contains(tg.Path, "out") && (len(got.Diags) == 0 || !strings.Contains(got.Diags[0].Message, "outside the repository root")) {
			t.Errorf("%s: a link out of the repository is read: %+v", tg.Path, got.Diags)
		}
	}

	// The content is taken once: what discovery read is what is checked,
	// and a second read of the same target reads the file.
	found, err = s.Discover([]string{repo})
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(repo, "a", "catalog-info.yaml")
	var ta Target
	for _, tg := range found.Targets {
		if tg.Path == a {
			ta = tg
		}
	}
	changed := strings.Replace(entity, "%s", "changed", 1)
	if err := os.WriteFile(a, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ReadTarget(ta, Options{}); string(got.Src) != files[a] {
		t.Errorf("first read: %q, want the content discovery read", got.Src)
	}
	if got := ReadTarget(ta, Options{}); string(got.Src) != changed {
		t.Errorf("second read: %q, want the file's content now", got.Src)
	}

	// The size limit holds for content read by discovery.
	found, _ = s.Discover([]string{repo})
	for _, tg := range found.Targets {
		if tg.pre == nil {
			continue
		}
		opts := Options{MaxFileSize: 10}
		got := ReadTarget(tg, opts)
		want := ReadFile(tg.Path, tg.Display, opts)
		if !reflect.DeepEqual(got.Diags, want.Diags) || len(got.Docs) != len(want.Docs) {
			t.Errorf("%s over the limit: %+v, want %+v", tg.Path, got.Diags, want.Diags)
		}
	}

	// Over the budget, files are read by the loader.
	defer func(b int64) { preReadBudget = b }(preReadBudget)
	preReadBudget = int64(len(files[a])) + 1
	found, _ = s.Discover([]string{repo})
	pre := 0
	for _, tg := range found.Targets {
		if tg.pre != nil {
			pre++
		}
		if got, want := ReadTarget(tg, Options{}), ReadFile(tg.Path, tg.Display, Options{}); string(got.Src) != string(want.Src) {
			t.Errorf("%s: %q, want %q", tg.Path, got.Src, want.Src)
		}
	}
	if pre > 2 {
		t.Errorf("%d files kept over a budget of one", pre)
	}
}

// TestWalkKnowsFolders: what the walk records of the folders it lists
// (their repository root, their real path) is what the loader would find
// with system calls: nested repositories, a walked folder reached through
// a link, a walked folder inside a repository.
func TestWalkKnowsFolders(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(tmp, "real")
	for _, d := range []string{"repo/.git", "repo/a/b", "repo/nested/.git", "repo/nested/c", "plain/d"} {
		if err := os.MkdirAll(filepath.Join(real, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A .git file (a worktree or submodule) counts as well.
	if err := os.WriteFile(filepath.Join(real, "plain", "d", ".git"), []byte("gitdir: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"repo/catalog-info.yaml", "repo/a/b/catalog-info.yaml", "repo/nested/catalog-info.yaml", "repo/nested/c/catalog-info.yaml", "plain/catalog-info.yaml", "plain/d/catalog-info.yaml"} {
		if err := os.WriteFile(filepath.Join(real, f), []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  type: team\n  children: []\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	freshGit := func(dir string) string {
		for {
			if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
				return dir
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return ""
			}
			dir = parent
		}
	}
	for _, walked := range []string{real, link, filepath.Join(link, "repo", "a"), filepath.Join(real, "plain")} {
		found, err := (&Search{Sniffer: NewSniffer(nil)}).Discover([]string{walked})
		if err != nil {
			t.Fatal(err)
		}
		if len(found.Targets) == 0 {
			t.Fatalf("%s: nothing found", walked)
		}
		for _, tg := range found.Targets {
			dir := filepath.Dir(tg.abs)
			g, ok := gitAncestors.Load(dir)
			if !ok || g.(string) != freshGit(dir) {
				t.Errorf("%s: repository root %v (%v), want %s", dir, g, ok, freshGit(dir))
			}
			r, ok := realDirs.Load(dir)
			want, _ := filepath.EvalSymlinks(dir)
			if !ok || r.(string) != want {
				t.Errorf("%s: real path %v (%v), want %s", dir, r, ok, want)
			}
			if f := ReadTarget(tg, Options{DefaultRoot: tg.Root}); len(f.Diags) > 0 || len(f.Docs) != 1 {
				t.Errorf("%s: %+v", tg.Path, f.Diags)
			}
		}
	}
}
