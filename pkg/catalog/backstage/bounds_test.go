package backstage

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A redirect to another port of the same host (or another host, or from
// https to http) is refused before the token is sent there; a redirect
// within the origin is followed.
func TestRedirectsStayInTheOrigin(t *testing.T) {
	var stolen atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"items":[],"pageInfo":{}}`))
	}))
	defer other.Close()
	f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil)}}
	f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
			return true
		}
		return false
	}
	s, _ := testSource(t, f, Options{Token: "tok-secret-123"})
	_, err := s.Load(context.Background())
	port := other.URL[strings.LastIndex(other.URL, ":"):]
	if err == nil || !strings.Contains(err.Error(), "the catalog redirected to another origin (http://127.0.0.1"+port+"): not followed") {
		t.Fatalf("error %v", err)
	}
	if v, _ := stolen.Load().(string); v != "" {
		t.Errorf("the other port got %q", v)
	}

	// Within the origin: followed, with the token.
	var seen atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/old/api/catalog/entities/by-query", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new/api/catalog/entities/by-query?"+r.URL.RawQuery, http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new/api/catalog/entities/by-query", func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"items":[{"kind":"Group","metadata":{"name":"a"}}],"pageInfo":{}}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s2, err := New(Options{BaseURL: srv.URL + "/old", Token: "tok-secret-123"})
	if err != nil {
		t.Fatal(err)
	}
	es, err := s2.Load(context.Background())
	if err != nil || len(es) != 1 {
		t.Fatalf("%d entities, %v", len(es), err)
	}
	if v, _ := seen.Load().(string); v != "Bearer tok-secret-123" {
		t.Errorf("token after a same-origin redirect: %q", v)
	}
}

// A server that sends a byte now and then is cut at the timeout, body
// included.
func TestTrickleIsCutAtTheTimeout(t *testing.T) {
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Write([]byte(`{"items": [`))
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return true
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return true
			case <-time.After(10 * time.Millisecond):
			}
		}
	}}
	s, slept := testSource(t, f, Options{Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := s.Load(context.Background())
	if err == nil || err.Error() != s.Name()+": page 1: no complete answer within 200ms (--timeout)" {
		t.Fatalf("error %v", err)
	}
	if len(f.requests()) != 1 || len(*slept) != 0 {
		t.Errorf("%d requests, %d waits; want 1 and 0", len(f.requests()), len(*slept))
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %v", el)
	}
}

// The pages of one load share a budget: a catalog that answers more than
// MaxLoadValues values in all stops with a message, whatever its pages.
func TestLoadBudgetSpansPages(t *testing.T) {
	page := `{"items":[{"kind":"Group","metadata":{"name":"x","annotations":{` + strings.Repeat(`"a":"b",`, 100000) + `"z":"y"}}}],"pageInfo":{"nextCursor":"c%d"}}`
	var n atomic.Int64
	f := &fakeCatalog{hook: func(w http.ResponseWriter, r *http.Request, _ int) bool {
		w.Write([]byte(strings.Replace(page, "%d", strings.Repeat("x", int(n.Add(1))), 1)))
		return true
	}}
	s, _ := testSource(t, f, Options{PageSize: 1})
	_, err := s.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the catalog's answers hold more than 8388608 JSON values in all: stopping") {
		t.Fatalf("error %v", err)
	}
	if got := n.Load(); got < MaxLoadValues/200000 || got > MaxLoadValues/200000+2 {
		t.Errorf("%d pages read", got)
	}
}

// A connection that breaks in the middle of a page is tried again; a page
// whose JSON ends early is not.
func TestResetMidBodyIsRetried(t *testing.T) {
	f := &fakeCatalog{entities: []map[string]any{ent("Group", "", "a", nil)}}
	f.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n > 1 {
			return false
		}
		c, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"items\":[{\"kind\":\"Gr")
		buf.Flush()
		c.Close()
		return true
	}
	s, slept := testSource(t, f, Options{})
	es, err := s.Load(context.Background())
	if err != nil || len(es) != 1 {
		t.Fatalf("%d entities, %v", len(es), err)
	}
	if len(f.requests()) != 2 || len(*slept) != 1 {
		t.Errorf("%d requests, %d waits; want 2 and 1", len(f.requests()), len(*slept))
	}
}
