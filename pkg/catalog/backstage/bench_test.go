package backstage

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// BenchmarkLoad loads 20,000 entities of about 1 KB each from a fake
// catalog, 500 per page (40 requests). The pages are encoded beforehand,
// so the figure is mostly the client's: HTTP, JSON decoding, sorting.
func BenchmarkLoad(b *testing.B) {
	const n, size = 20000, 500
	var pages [][]byte
	for start := 0; start < n; start += size {
		var items []map[string]any
		for i := start; i < min(start+size, n); i++ {
			e := ent([]string{"Component", "API", "Group", "User", "System"}[i%5], []string{"", "tools"}[i%2], fmt.Sprintf("entity-%05d", n-i), map[string]string{
				AnnotationLocation:          fmt.Sprintf("url:https://github.com/acme/repo-%d/blob/main/catalog-info.yaml", i),
				AnnotationOriginLocation:    "url:https://github.com/acme/catalog/blob/main/all.yaml",
				"github.com/project-slug":   fmt.Sprintf("acme/repo-%d", i),
				"backstage.io/techdocs-ref": "dir:.",
			})
			md := e["metadata"].(map[string]any)
			md["description"] = "A realistic description of what this entity does, for benchmarking."
			md["tags"] = []string{"go", "payments", "pci"}
			md["links"] = []map[string]any{{"url": "https://grafana.example.com/d/x", "title": "Dashboard"}}
			e["spec"] = map[string]any{"type": "service", "lifecycle": "production", "owner": "group:default/payments", "system": "payments", "dependsOn": []string{"resource:default/db", "component:default/auth"}}
			items = append(items, e)
		}
		resp := map[string]any{"items": items, "totalItems": n, "pageInfo": map[string]any{}}
		if start+size < n {
			resp["pageInfo"] = map[string]any{"nextCursor": fakeCursor(start + size)}
		}
		body, err := json.Marshal(resp)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			offset, _ = decodeFakeCursor(c)
		}
		if l, _ := strconv.Atoi(r.URL.Query().Get("limit")); l != size {
			http.Error(w, "limit", 400)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(pages[offset/size])
	}))
	defer srv.Close()
	s, err := New(Options{BaseURL: srv.URL, Token: "bench-token", PageSize: size})
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, p := range pages {
		total += len(p)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Load(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != n {
			b.Fatalf("%d entities", len(got))
		}
	}
	b.ReportMetric(float64(n), "entities/op")
}
