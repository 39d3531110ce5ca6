package lint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// TestIntegrationAIModel compares catalint's verdict on each entity of
// testdata/ai-model (Backstage's demo repository's AiResources and MCP
// server API, and variants of them) with the verdicts of two real Backstage
// catalog backends, one started with the ai-model module and one without
// (scripts/backstage-modules-integration.sh starts them): with
// --backstage-module ai-model catalint must agree with the first, without
// it with the second.
func TestIntegrationAIModel(t *testing.T) {
	on, off, token := os.Getenv("CATALINT_BACKSTAGE_AIMODEL_URL"), os.Getenv("CATALINT_BACKSTAGE_DEFAULT_URL"), os.Getenv("CATALINT_BACKSTAGE_TOKEN")
	if on == "" || off == "" {
		t.Skip("CATALINT_BACKSTAGE_AIMODEL_URL and CATALINT_BACKSTAGE_DEFAULT_URL are not set: run scripts/backstage-modules-integration.sh")
	}
	files, err := filepath.Glob("testdata/ai-model/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	sort.Strings(files)
	type doc struct {
		file, name string
		raw        map[string]any
	}
	var docs []doc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var v map[string]any
			if err := dec.Decode(&v); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			md, _ := v["metadata"].(map[string]any)
			docs = append(docs, doc{file: f, name: fmt.Sprint(v["kind"], ":", md["name"]), raw: v})
		}
	}
	verdicts := func(url string) []bool {
		var out []bool
		for _, d := range docs {
			body, _ := json.Marshal(map[string]any{"entity": d.raw, "location": "url:https://github.com/backstage/demo/blob/main/" + filepath.Base(d.file)})
			req, _ := http.NewRequest(http.MethodPost, url+"/api/catalog/validate-entity", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				out = append(out, true)
			case http.StatusBadRequest:
				out = append(out, false)
			default:
				t.Fatalf("%s: validate-entity answered %d: %s", url, resp.StatusCode, msg)
			}
		}
		return out
	}
	ai, err := entity.Module("ai-model")
	if err != nil {
		t.Fatal(err)
	}
	withModule, err := entity.NewModel(ai)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := NewSelection([]string{GroupSchema}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		url   string
		model *entity.Model
	}{{"with the ai-model module", on, withModule}, {"default", off, nil}} {
		want := verdicts(c.url)
		res, err := Run(context.Background(), Options{Paths: files, Selection: sel, Model: c.model})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entities) != len(docs) {
			t.Fatalf("%s: catalint read %d documents, want %d", c.name, len(res.Entities), len(docs))
		}
		valid := 0
		for i, d := range docs {
			if want[i] {
				valid++
			}
			if got := res.Entities[i].Valid(); got != want[i] {
				var msgs []string
				for _, dg := range res.Diagnostics {
					if dg.Entity == res.Entities[i].Ref {
						msgs = append(msgs, dg.String())
					}
				}
				t.Errorf("%s: %s (%s): catalint valid=%v, Backstage valid=%v\n\t%s", c.name, d.name, d.file, got, want[i], strings.Join(msgs, "\n\t"))
			}
		}
		t.Logf("%s: %d/%d entities valid, catalint agrees on each", c.name, valid, len(docs))
		// The demo's six skills and its MCP server are accepted with the
		// module only.
		for i, d := range docs {
			if strings.HasSuffix(d.file, "ai-resources.yaml") || strings.HasSuffix(d.file, "mcp-server-api.yaml") {
				if want[i] != (c.model != nil) {
					t.Errorf("%s: Backstage's verdict on the demo's %s is %v", c.name, d.name, want[i])
				}
			}
		}
	}
}
