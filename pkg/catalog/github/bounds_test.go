package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The repository listing stops, with an error, when its Link header loops
// back to a page already read or never ends, as the team listing does.
func TestRepoListingLoopsAndEndlessPages(t *testing.T) {
	for _, tc := range []struct {
		name string
		next func(page int) int // the next page a page names
		want string
	}{
		{"loop to the first page", func(p int) int { return 1 }, "the pages loop back (page 1 names page 1 as the next)"},
		{"loop after three pages", func(p int) int { return p%3 + 1 }, "the pages loop back (page 3 names page 1 as the next)"},
		{"endless", func(p int) int { return p + 1 }, fmt.Sprintf("over %d pages", maxListPages)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, acme()...)
			var lists atomic.Int64
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") {
					return false
				}
				lists.Add(1)
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				page = max(page, 1)
				q := r.URL.Query()
				q.Set("page", strconv.Itoa(tc.next(page)))
				w.Header().Set("Link", fmt.Sprintf("<http://%s%s?%s>; rel=\"next\"", r.Host, r.URL.Path, q.Encode()))
				writeJSON(w, 200, []map[string]any{{"name": "r" + strconv.Itoa(page), "full_name": "acme/r" + strconv.Itoa(page), "default_branch": ""}})
				return true
			})
			s := newSource(t, f, Options{})
			_, err := s.Load(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrBadResponse) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if n := lists.Load(); n > maxListPages {
				t.Errorf("%d listing requests, want at most %d", n, maxListPages)
			}
		})
	}
}

// A page that holds more than the 100 repositories asked for, a tree of
// more entries than GitHub sends, and a body over MaxResponseSize are
// refused or cut, never decoded whole.
func TestAnswersAreBounded(t *testing.T) {
	t.Run("list bomb", func(t *testing.T) {
		f := newFake(t, acme()...)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") {
				return false
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("[" + strings.Repeat("{},", 200000) + "{}]"))
			return true
		})
		_, err := newSource(t, f, Options{}).Load(context.Background())
		if err == nil || !strings.Contains(err.Error(), "the page holds more than the 100 items asked for") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("endless body", func(t *testing.T) {
		f := newFake(t, acme()...)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, "/contents/catalog-info.yaml") {
				return false
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"type":"file","content":"`))
			chunk := []byte(strings.Repeat("A", 1<<16))
			for range (MaxResponseSize >> 16) + 64 {
				if _, err := w.Write(chunk); err != nil {
					return true
				}
			}
			return true
		})
		// No timeout: this tests the size bound, which a slow machine
		// (the race detector, a loaded CI) must not reach after the clock.
		_, err := newSource(t, f, Options{Timeout: -1}).Load(context.Background())
		if err == nil || !strings.Contains(err.Error(), "the response is larger than 16 MiB") || !errors.Is(err, ErrBadResponse) {
			t.Fatalf("err = %v", err)
		}
	})
	for _, cache := range []bool{false, true} {
		t.Run(fmt.Sprintf("values bomb, cache %v", cache), func(t *testing.T) {
			f := newFake(t, acme()...)
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/contents/catalog-info.yaml") {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("ETag", `"e"`)
				w.Write([]byte(`{"type":"file","x":[` + strings.Repeat("[],", MaxResponseValues/2+10) + `0]}`))
				return true
			})
			o := Options{}
			if cache {
				o.CacheDir = t.TempDir()
			}
			_, err := newSource(t, f, o).Load(context.Background())
			if err == nil || !strings.Contains(err.Error(), "the response holds more than 2097152 JSON values") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("huge error body", func(t *testing.T) {
		f := newFake(t, acme()...)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, "/contents/catalog-info.yaml") {
				return false
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			w.Write([]byte(`{"message":"Not Found","errors":[` + strings.Repeat("{},", 3<<20) + `{}]}`))
			return true
		})
		// A 404 is an absent file, whatever its body says.
		if _, err := newSource(t, f, Options{}).Load(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("folder bomb", func(t *testing.T) {
		f := newFake(t, acme()...)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, "/contents/catalog-info.yaml") {
				return false
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("[" + strings.Repeat("{},", 500000) + "{}]"))
			return true
		})
		s := newSource(t, f, Options{})
		if _, err := s.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.Files != 0 {
			t.Errorf("a folder was read as a file: %+v", st)
		}
	})
}

func TestDecodeTreeCutsAtGitHubsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"sha":"x","tree":[`)
	for i := range maxTreeEntries + 10 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"path":"f%d","type":"blob"}`, i)
	}
	b.WriteString(`],"truncated":true}`)
	n := 0
	if err := decodeTree(strings.NewReader(b.String()), func(treeEntry) { n++ }); err != nil {
		t.Fatal(err)
	}
	if n != maxTreeEntries {
		t.Errorf("%d entries, want %d", n, maxTreeEntries)
	}
	for _, bad := range []string{`[]`, `{"tree":{}}`, `{"tree":[`, `{"tree":[{"path":1}]}`} {
		if err := decodeTree(strings.NewReader(bad), func(treeEntry) {}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// A server that accepts the request and never answers, or answers a byte
// at a time, fails the request after the timeout, without retrying it.
func TestTimeoutBoundsHangAndTrickle(t *testing.T) {
	for _, tc := range []struct {
		name string
		hook func(w http.ResponseWriter, r *http.Request)
	}{
		{"hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{"trickle", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			for {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, acme()...)
			var n atomic.Int64
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") {
					return false
				}
				n.Add(1)
				tc.hook(w, r)
				return true
			})
			s := newSource(t, f, Options{Timeout: 300 * time.Millisecond})
			_, err := s.Load(context.Background())
			if err == nil || !strings.Contains(err.Error(), "no complete answer within 300ms (--timeout)") || !errors.Is(err, ErrUnreachable) {
				t.Fatalf("err = %v", err)
			}
			if n.Load() != 1 {
				t.Errorf("%d requests: a timed-out request is not retried", n.Load())
			}
		})
	}
}

// A cache entry whose body was damaged is dropped and the body fetched
// again, even though the server confirms its ETag; a 200 whose JSON is
// broken is never cached.
func TestBrokenCacheEntryIsRefetched(t *testing.T) {
	f := newFake(t, acme()...)
	dir := t.TempDir()
	if _, err := newSource(t, f, Options{CacheDir: dir}).Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Damage every cached body, keeping the entries' ETags.
	damaged := 0
	filepath.WalkDir(filepath.Join(dir, "http"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		i := strings.Index(string(b), `"body":"`)
		if i < 0 {
			t.Fatalf("no body in %s", b)
		}
		i += len(`"body":"`)
		b[i], b[i+1], b[i+2], b[i+3] = 'e', 'y', 'J', '9' // base64 of `{"}`…
		damaged++
		return os.WriteFile(p, b, 0o600)
	})
	if damaged == 0 {
		t.Fatal("nothing cached")
	}
	for run := range 2 {
		f.resetCounts()
		s := newSource(t, f, Options{CacheDir: dir})
		es, err := s.Load(context.Background())
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if len(es) == 0 {
			t.Fatalf("run %d: no entity", run)
		}
		if run == 0 && f.unconditional.Load() == 0 {
			t.Error("the damaged entries were not fetched again")
		}
		if run == 1 && f.unconditional.Load() != 0 {
			t.Errorf("run 2: %d unconditional requests, want none (the refetched entries are whole)", f.unconditional.Load())
		}
	}

	// Broken JSON with an ETag is not kept.
	f2 := newFake(t, acme()...)
	f2.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/orgs/acme/repos") {
			return false
		}
		w.Header().Set("ETag", `"x"`)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[{"name":`))
		return true
	})
	dir2 := t.TempDir()
	if _, err := newSource(t, f2, Options{CacheDir: dir2}).Load(context.Background()); err == nil {
		t.Fatal("truncated JSON accepted")
	}
	var files int
	filepath.WalkDir(dir2, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 0 {
		t.Errorf("%d cache files for a broken answer", files)
	}
}
