package ghfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, g *GraphQL, token, query string, vars map[string]any) (int, http.Header, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("answer not JSON: %s", w.Body)
	}
	return w.Code, w.Header(), out
}

func fakeOrg(n int) *GraphQL {
	repos := make([]Repo, n)
	for i := range repos {
		repos[i] = Repo{Name: fmt.Sprintf("r%03d", i), Files: map[string]string{"catalog-info.yaml": "kind: Component\n", "bin": "a\x00b"}, CreatedAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)}
	}
	repos[1].Empty = true
	return &GraphQL{Org: "acme", Repos: func() []Repo { return repos }}
}

func TestPagination(t *testing.T) {
	g := fakeOrg(250)
	q := `query($org: String!, $after: String) { rateLimit { cost remaining limit resetAt } organization(login: $org) { repositories(first: 100, after: $after, orderBy: {field: NAME, direction: ASC}) { pageInfo { hasNextPage endCursor } nodes { name createdAt defaultBranchRef { name target { oid } } f: object(expression: "HEAD:catalog-info.yaml") { __typename ... on Blob { text byteSize isBinary isTruncated } } b: object(expression: "HEAD:bin") { ... on Blob { text isBinary } } } } } }`
	var after any
	var names []string
	for page := 0; ; page++ {
		code, h, out := serve(t, g, "t", q, map[string]any{"org": "acme", "after": after})
		if code != 200 || out["errors"] != nil || h.Get("X-RateLimit-Resource") != "graphql" {
			t.Fatalf("%d %v %v", code, out["errors"], h)
		}
		data := out["data"].(map[string]any)
		rl := data["rateLimit"].(map[string]any)
		if rl["cost"].(float64) != 1 || rl["remaining"].(float64) != float64(5000-page-1) {
			t.Errorf("rateLimit %v", rl)
		}
		conn := data["organization"].(map[string]any)["repositories"].(map[string]any)
		for _, n := range conn["nodes"].([]any) {
			n := n.(map[string]any)
			names = append(names, n["name"].(string))
			if n["name"] == "r001" {
				if n["defaultBranchRef"] != nil || n["f"] != nil {
					t.Errorf("empty repository: %v", n)
				}
				continue
			}
			if f := n["f"].(map[string]any); f["__typename"] != "Blob" || f["text"] != "kind: Component\n" || f["byteSize"].(float64) != 16 {
				t.Errorf("blob %v", f)
			}
			if b := n["b"].(map[string]any); b["text"] != nil || b["isBinary"] != true {
				t.Errorf("binary %v", b)
			}
			if n["createdAt"] != "2020-01-02T03:04:05Z" {
				t.Errorf("createdAt %v", n["createdAt"])
			}
		}
		pi := conn["pageInfo"].(map[string]any)
		if pi["hasNextPage"] != true {
			break
		}
		after = pi["endCursor"]
	}
	if len(names) != 250 || names[249] != "r249" {
		t.Errorf("%d names", len(names))
	}
}

func TestErrors(t *testing.T) {
	g := fakeOrg(3)
	if code, _, out := serve(t, g, "", `{ rateLimit { cost } }`, nil); code != 401 || !strings.Contains(out["message"].(string), "requires you to be authenticated") {
		t.Errorf("no token: %d %v", code, out)
	}
	for q, want := range map[string]string{
		`{ organization(login: "acme") { repositories(first: 101) { nodes { name } } } }`:     "EXCESSIVE_PAGINATION",
		`{ organization(login: "acme") { repositories { nodes { name } } } }`:                 "MISSING_PAGINATION_BOUNDARIES",
		`{ organization(login: "nope") { login } }`:                                           "NOT_FOUND",
		`{ repository(owner: "acme", name: "gone") { name } }`:                                "NOT_FOUND",
		`{ organization(login: "acme") { repositories(first: 10) { nodes { name nope } } } }`: "doesn't exist on type 'Repository'",
		`mutation { x }`: "queries only",
		`{ organization(login: "acme") { repositories(first: 10, after: "bad") { nodes { name } } } }`: "INVALID_CURSOR_ARGUMENTS",
	} {
		code, _, out := serve(t, g, "t", q, nil)
		b, _ := json.Marshal(out["errors"])
		if code != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %s, want %s", q, code, b, want)
		}
	}
	g.MaxNodes = 50
	if _, _, out := serve(t, g, "t", `{ organization(login: "acme") { repositories(first: 100) { nodes { name } } } }`, nil); !strings.Contains(toJSON(out), "MAX_NODE_LIMIT_EXCEEDED") {
		t.Errorf("node limit: %v", out)
	}
	g.MaxNodes = 0
	g.Forbidden = true
	if _, _, out := serve(t, g, "t", `{ organization(login: "acme") { login } }`, nil); !strings.Contains(toJSON(out), "FORBIDDEN") {
		t.Errorf("forbidden: %v", out)
	}
	g.Forbidden = false
	g.SetUsed(5000)
	if code, h, out := serve(t, g, "t", `{ organization(login: "acme") { login } }`, nil); code != 200 || !strings.Contains(toJSON(out), "RATE_LIMITED") || h.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("rate limited: %d %v", code, out)
	}
}

func TestAliasesAndVariables(t *testing.T) {
	g := fakeOrg(3)
	oid := CommitOID(g.Repos()[2])
	q := `query($o: String!, $n: String!, $e: String!) { r0: repository(owner: $o, name: $n) { a: object(expression: $e) { __typename ... on Blob { text } } t: object(expression: "HEAD:") { __typename } m: object(expression: "HEAD:missing") { __typename } } }`
	_, _, out := serve(t, g, "t", q, map[string]any{"o": "acme", "n": "r002", "e": oid + ":catalog-info.yaml"})
	r0 := out["data"].(map[string]any)["r0"].(map[string]any)
	if r0["a"].(map[string]any)["text"] != "kind: Component\n" || r0["t"].(map[string]any)["__typename"] != "Tree" || r0["m"] != nil {
		t.Errorf("%v", r0)
	}
	if g.Objects.Load() != 3 {
		t.Errorf("%d objects", g.Objects.Load())
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
