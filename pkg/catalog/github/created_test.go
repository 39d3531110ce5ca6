package github

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Repos carries each repository's created_at from the listing, on every
// page of it, and again from the cache when the listing answers 304.
func TestReposCarryCreatedAt(t *testing.T) {
	var repos []*fakeRepo
	want := map[string]time.Time{}
	for i := range 130 { // two listing pages
		name := fmt.Sprintf("svc-%03d", i)
		created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)).Add(time.Duration(i) * 36 * time.Hour)
		repos = append(repos, &fakeRepo{Name: name, CreatedAt: created})
		want["acme/"+name] = created.UTC()
	}
	f := newFake(t, repos...)
	f.token = testToken
	dir := t.TempDir()
	for _, run := range []string{"cold", "warm"} {
		f.resetCounts()
		s := newSource(t, f, Options{Token: testToken, CacheDir: dir})
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := s.Repos()
		if len(got) != 130 {
			t.Fatalf("%s: %d repos", run, len(got))
		}
		for _, r := range got {
			if !r.CreatedAt.Equal(want[r.FullName]) || r.CreatedAt.Location() != time.UTC {
				t.Errorf("%s: %s created %v, want %v (UTC)", run, r.FullName, r.CreatedAt, want[r.FullName])
			}
		}
		if run == "warm" && f.count("/api/v3/orgs/acme/repos") != 2 {
			t.Errorf("warm: listing asked %d times", f.count("/api/v3/orgs/acme/repos"))
		}
		if run == "warm" && f.notModified.Load() != f.requests.Load() {
			t.Errorf("warm: %d requests, %d answered 304", f.requests.Load(), f.notModified.Load())
		}
	}
}

// A listing without created_at, or with one that is no time, leaves
// CreatedAt zero: unknown, not some date.
func TestReposWithoutCreatedAt(t *testing.T) {
	f := newFake(t, &fakeRepo{Name: "a"}, &fakeRepo{Name: "b"})
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v3/orgs/acme/repos" {
			return false
		}
		writeJSON(w, http.StatusOK, []map[string]any{
			{"name": "a", "full_name": "acme/a", "default_branch": "main", "owner": map[string]any{"login": "acme"}},
			{"name": "b", "full_name": "acme/b", "default_branch": "main", "created_at": "last tuesday", "owner": map[string]any{"login": "acme"}},
		})
		return true
	})
	s := newSource(t, f, Options{})
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := s.Repos(); len(r) != 2 || !r[0].CreatedAt.IsZero() || !r[1].CreatedAt.IsZero() {
		t.Errorf("repos: %+v", r)
	}
}
