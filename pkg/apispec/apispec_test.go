package apispec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/catalint-dev/catalint/pkg/load"
)

// want is an expected problem: file (relative to testdata, "" for the
// checked file), line, column, severity and a part of the message.
type want struct {
	file      string
	line, col int
	sev, text string
}

func testdata(t testing.TB) string {
	t.Helper()
	d, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func checkFile(t *testing.T, typ, rel string) Result {
	t.Helper()
	root := testdata(t)
	path := filepath.Join(root, rel)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Check(context.Background(), typ, string(b), path, 1, root)
}

func expect(t *testing.T, rel string, res Result, wants []want) {
	t.Helper()
	expectIn(t, filepath.Join(testdata(t), rel), res, wants)
}

func expectIn(t *testing.T, path string, res Result, wants []want) {
	t.Helper()
	root := filepath.Dir(path)
	rel := filepath.Base(path)
	got := res.Problems
	fail := len(got) != len(wants)
	for i := 0; !fail && i < len(wants); i++ {
		w, g := wants[i], got[i]
		file := filepath.Join(root, rel)
		if w.file != "" {
			file = filepath.Join(root, w.file)
		}
		if g.File != file || g.Line != w.line || g.Column != w.col || g.Severity != w.sev || !strings.Contains(g.Message, w.text) {
			fail = true
		}
	}
	if fail {
		var b strings.Builder
		for _, g := range got {
			fmt.Fprintf(&b, "\n  %s", g)
		}
		var wb strings.Builder
		for _, w := range wants {
			fmt.Fprintf(&wb, "\n  %s:%d:%d: %s: …%s…", w.file, w.line, w.col, w.sev, w.text)
		}
		t.Errorf("%s: got %d problems:%s\nwant %d:%s", rel, len(got), b.String(), len(wants), wb.String())
	}
}

func TestCheckFixtures(t *testing.T) {
	for _, tc := range []struct {
		typ, file, version string
		wants              []want
	}{
		{"openapi", "openapi/orders-3.0.yaml", "3.0.3", nil},
		{"openapi", "openapi/inventory-3.1.yaml", "3.1.0", nil},
		{"openapi", "openapi/petstore-2.0.json", "2.0", nil},
		{"openapi", "openapi/ref/openapi.yaml", "3.0.3", nil},
		{"openapi", "openapi/broken-3.0.yaml", "3.0.3", []want{
			{"", 2, 1, "error", "invalid info: value of version must be a non-empty string"},
			{"", 6, 5, "error", "operation GET /orders/{orderId} must define exactly all path parameters (missing: [orderId])"},
			{"", 21, 11, "error", `schema "Order": unsupported 'type' value "strin"`},
		}},
		{"openapi", "openapi/broken-2.0.yaml", "2.0", []want{
			{"", 17, 19, "error", `$ref "#/definitions/Pett" does not resolve: #/definitions has no "Pett" (did you mean "Pet"?)`},
		}},
		{"openapi", "openapi/ref/broken.yaml", "3.0.3", []want{
			{"", 14, 23, "error", `does not resolve: ./schemas/product.yaml has no "Prodcut" (did you mean "Product"?)`},
			{"", 16, 17, "error", `$ref "./missing.yaml#/NotFound" cannot be followed: ` + filepath.Join(testdata(t), "openapi/ref/missing.yaml") + ": no such file"},
		}},
		{"openapi", "openapi/escape/openapi.yaml", "3.0.3", []want{
			{"", 14, 23, "error", `$ref "../../../etc/passwd" cannot be followed: ` + filepath.Join(testdata(t), "openapi/escape/../../../etc/passwd") + ": it is outside the repository (root " + testdata(t) + "): refused"},
		}},
		{"openapi", "openapi/syntax.yaml", "", []want{
			{"", 4, 1, "error", "not valid YAML or JSON: mapping values are not allowed in this context"},
		}},
		{"openapi", "openapi/not-openapi.yaml", "", []want{
			{"", 1, 11, "error", "this is an AsyncAPI definition (asyncapi: 2.6.0), not an OpenAPI one: set spec.type to asyncapi"},
		}},
		{"openapi", "openapi/version-number.yaml", "", []want{
			{"", 1, 10, "error", `openapi must be a string such as "3.0.3" or "3.1.0"; 3.0 is read as a number`},
		}},
		{"openapi", "openapi/duplicate-key.yaml", "3.0.3", []want{
			{"", 11, 3, "error", `key "/a" is defined twice in this mapping (first at line 6)`},
		}},
		{"asyncapi", "asyncapi/streetlights-2.6.yaml", "2.6.0", nil},
		{"asyncapi", "asyncapi/accounts-3.0.yaml", "3.0.0", nil},
		{"asyncapi", "asyncapi/broken-2.6.yaml", "2.6.0", []want{
			{"", 2, 1, "error", "info.version is required"},
			{"", 4, 1, "error", `"operations" is not a field of the root of an AsyncAPI 2.6.0 definition: operations are a root field from AsyncAPI 3.0`},
			{"", 10, 7, "error", `"messages" is not a field of channel "events" subscribe (did you mean "message"?)`},
			{"", 11, 15, "error", `$ref "#/components/messages/Event" does not resolve: the definition has no "components"`},
		}},
		{"asyncapi", "asyncapi/broken-3.0.yaml", "3.0.0", []want{
			{"", 4, 12, "error", "info.version must be a string, found the number 1.0: quote it"},
			{"", 8, 5, "error", `"subscribe" is not a field of channel "events": AsyncAPI 3.0 moved operations out of channels`},
			{"", 18, 13, "error", `operation "onEvent": action must be send or receive, found "publish" (AsyncAPI 2's publish is now the application's receive)`},
			{"", 20, 13, "error", `$ref "#/channels/event" does not resolve: #/channels has no "event" (did you mean "events"?)`},
			{"", 26, 15, "error", `operation "onOther": message #/components/messages/Other is not one of its channel's messages`},
		}},
		{"graphql", "graphql/starwars.graphql", "", nil},
		{"graphql", "graphql/syntax.graphql", "", []want{
			{"", 7, 8, "error", "the GraphQL schema does not parse: Expected :, found Name"},
		}},
		{"graphql", "graphql/undefined.graphql", "", []want{
			{"", 7, 9, "warning", "the GraphQL schema is not valid: Undefined type Team."},
		}},
		{"grpc", "grpc/orders.proto", "proto3", nil},
		{"grpc", "grpc/broken.proto", "proto3", []want{
			{"", 7, 1, "error", "syntax error: expecting ';'"},
		}},
		{"grpc", "grpc/numbers.proto", "proto3", []want{
			{"", 5, 21, "error", "message Order: fields id and customer both have the same tag 1"},
			{"", 6, 17, "error", "tag number 0 must be greater than zero"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := checkFile(t, tc.typ, tc.file)
			if !res.Verified || res.Type != tc.typ || res.Version != tc.version {
				t.Errorf("got verified=%v type=%q version=%q, want true %q %q", res.Verified, res.Type, res.Version, tc.typ, tc.version)
			}
			expect(t, tc.file, res, tc.wants)
		})
	}
}

// TestSwaggerCoercion: an unquoted number where a string belongs is a
// warning, and the rest of the definition is still validated.
func TestSwaggerCoercion(t *testing.T) {
	root := t.TempDir()
	write(t, root, "swagger.yaml", `swagger: "2.0"
info:
  title: Petstore
  version: 1.10
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          schema:
            $ref: "#/definitions/Pet"
definitions:
  Pet:
    type: object
    properties:
      name:
        type: text
`)
	res := checkPath(t, "openapi", filepath.Join(root, "swagger.yaml"), root)
	expectIn(t, filepath.Join(root, "swagger.yaml"), res, []want{
		{"", 4, 12, "warning", "this value is a number (1.10) where OpenAPI wants a string: quote it (unquoted, 1.10 reads as 1.1)"},
		{"", 18, 15, "error", `invalid definitions: schema "Pet": unsupported 'type' value "text"`},
	})
}

// TestOpenAPICoercion: after quoting an unquoted version, validation
// errors are still placed by kin-openapi's origins.
func TestOpenAPICoercion(t *testing.T) {
	root := t.TempDir()
	write(t, root, "openapi.yaml", `openapi: 3.0.3
info:
  title: Orders
  version: 2.10
paths:
  /orders:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total:
                    type: number
                  lines:
                    type: arry
`)
	res := checkPath(t, "openapi", filepath.Join(root, "openapi.yaml"), root)
	expectIn(t, filepath.Join(root, "openapi.yaml"), res, []want{
		{"", 4, 12, "warning", "this value is a number (2.10) where OpenAPI wants a string: quote it (unquoted, 2.10 reads as 2.1)"},
		{"", 19, 21, "error", `invalid paths: invalid path /orders: invalid operation GET: unsupported 'type' value "arry"`},
	})
}

func TestExternalRefProblemsInTheirFile(t *testing.T) {
	root := t.TempDir()
	write(t, root, "api/openapi.yaml", `openapi: 3.1.0
info:
  title: Split
  version: "1"
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'schemas.yaml#/Thing'
`)
	write(t, root, "api/schemas.yaml", `Thing:
  type: object
  properties:
    id:
      type: strng
    owner:
      $ref: '#/Ownr'
`)
	res := checkPath(t, "openapi", filepath.Join(root, "api/openapi.yaml"), root)
	if len(res.Problems) != 1 {
		t.Fatalf("got %v", res.Problems)
	}
	p := res.Problems[0]
	if p.File != filepath.Join(root, "api/schemas.yaml") || p.Line != 7 || p.Column != 13 || !strings.Contains(p.Message, `$ref "#/Ownr" does not resolve: the definition has no "Ownr"`) {
		t.Errorf("got %s", p)
	}
	// Once the $ref resolves, kin-openapi's validation runs and places
	// its finding in the referenced file too.
	write(t, root, "api/schemas.yaml", `Thing:
  type: object
  properties:
    id:
      type: strng
`)
	res = checkPath(t, "openapi", filepath.Join(root, "api/openapi.yaml"), root)
	if len(res.Problems) != 1 {
		t.Fatalf("got %v", res.Problems)
	}
	p = res.Problems[0]
	if p.File != filepath.Join(root, "api/schemas.yaml") || p.Line != 5 || p.Column != 7 || !strings.Contains(p.Message, `unsupported 'type' value "strng"`) {
		t.Errorf("got %s", p)
	}
}

func TestSymlinkEscapeRefused(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, "secret.yaml", "Secret:\n  type: string\n")
	root := t.TempDir()
	write(t, root, "openapi.yaml", `openapi: 3.0.3
info:
  title: Sneaky
  version: "1"
paths:
  /s:
    get:
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema:
                $ref: 'link.yaml#/Secret'
`)
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "link.yaml")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	res := checkPath(t, "openapi", filepath.Join(root, "openapi.yaml"), root)
	if len(res.Problems) != 1 || res.Problems[0].Line != 14 || !strings.Contains(res.Problems[0].Message, "is a symlink to") || !strings.Contains(res.Problems[0].Message, "outside the repository") {
		t.Errorf("got %v", res.Problems)
	}
}

// TestInline checks definitions written inline in a catalog file: problems
// are at lines of the catalog file.
func TestInline(t *testing.T) {
	root := testdata(t)
	path := filepath.Join(root, "inline/catalog-info.yaml")
	f := load.ReadFile(path, path, load.Options{Root: root})
	var got []string
	for _, d := range f.Docs {
		def := d.Root.Get("spec").Get("definition")
		line, indent := BlockStart(f.Src, def.Span.Line, def.Span.Column)
		res := Check(context.Background(), d.Root.GetString("spec", "type"), def.Text, path, line, root)
		for _, p := range res.Problems {
			if p.File != path {
				t.Errorf("problem in %s, want %s", p.File, path)
			}
			got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column+indent, p.Message))
		}
	}
	want := []string{
		`23:27 $ref "#/components/schemas/Ordr" does not resolve: #/components/schemas has no "Ordr" (did you mean "Order"?)`,
		`39:5 info.version is required`,
		`56:5 the Protocol Buffers definition is not valid: syntax error: expecting ';'`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBlockStart(t *testing.T) {
	src := []byte("spec:\n  definition: |\n\n    openapi: 3.0.3\n  other: 'x'\n  plain: abc\n")
	if l, i := BlockStart(src, 2, 15); l != 3 || i != 4 {
		t.Errorf("block: got %d %d", l, i)
	}
	if l, i := BlockStart(src, 5, 10); l != 5 || i != 10 {
		t.Errorf("quoted: got %d %d", l, i)
	}
	if l, i := BlockStart(src, 6, 10); l != 6 || i != 9 {
		t.Errorf("plain: got %d %d", l, i)
	}
}

func TestNotVerified(t *testing.T) {
	for _, tc := range []struct{ typ, file, reason string }{
		{"trpc", "/r/api.yaml", `"trpc" is rendered by Backstage's API docs but not checked`},
		{"OpenAPI", "/r/api.yaml", `spec.type "OpenAPI" is not "openapi"`},
		{"swagger", "/r/api.yaml", `did you mean "openapi"?`},
		{"soap", "/r/api.yaml", `spec.type "soap" is not one catalint can check`},
		{"openapi", "https://example.com/openapi.yaml", "remote and is not fetched"},
	} {
		res := Check(context.Background(), tc.typ, "x: y", tc.file, 1, "/r")
		if res.Verified || len(res.Problems) != 0 || !strings.Contains(res.Reason, tc.reason) {
			t.Errorf("%s %s: got %+v", tc.typ, tc.file, res)
		}
	}
}

func TestEmptyAndPlaceholderText(t *testing.T) {
	for _, tc := range []struct{ typ, text, msg string }{
		{"openapi", "  \n", "the definition is empty"},
		{"asyncapi", "# only a comment\n", "the definition is empty (it holds only comments)"},
		{"graphql", "# nothing\n", "it defines no GraphQL types"},
		{"grpc", "", "the definition is empty"},
		{"openapi", "$text: ./openapi.yaml\n", `the definition is the text "$text: ./openapi.yaml", not the file it names`},
	} {
		res := Check(context.Background(), tc.typ, tc.text, "/r/catalog-info.yaml", 10, "/r")
		if len(res.Problems) != 1 || res.Problems[0].Line != 10 || !strings.Contains(res.Problems[0].Message, tc.msg) {
			t.Errorf("%s %q: got %v", tc.typ, tc.text, res.Problems)
		}
	}
}

func TestRemoteRef(t *testing.T) {
	text := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'https://example.com/paths.yaml#/a'\n"
	res := Check(context.Background(), "openapi", text, "/r/api.yaml", 1, "/r")
	if len(res.Problems) != 1 || res.Problems[0].Severity != SeverityNotice || res.Problems[0].Line != 5 || !strings.Contains(res.Problems[0].Message, "remote location, which is not fetched") {
		t.Errorf("got %v", res.Problems)
	}
}

func TestCache(t *testing.T) {
	root := testdata(t)
	path := filepath.Join(root, "openapi/broken-3.0.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCache()
	var wg sync.WaitGroup
	results := make([]Result, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.Check(context.Background(), "openapi", string(b), path, 1, root)
		}()
	}
	wg.Wait()
	if c.Len() != 1 {
		t.Errorf("cache holds %d entries, want 1", c.Len())
	}
	for _, r := range results {
		if len(r.Problems) != 3 {
			t.Fatalf("got %v", r.Problems)
		}
	}
	results[0].Problems[0].Message = "changed"
	if r := c.Check(context.Background(), "openapi", string(b), path, 1, root); r.Problems[0].Message == "changed" {
		t.Error("the cache shares its problems with callers")
	}
	c.Check(context.Background(), "openapi", string(b)+"\n", path, 1, root)
	if c.Len() != 2 {
		t.Errorf("changed content: cache holds %d entries, want 2", c.Len())
	}
}

func write(t testing.TB, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func checkPath(t testing.TB, typ, path, root string) Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Check(context.Background(), typ, string(b), path, 1, root)
}

// TestConcurrent checks the fixtures from many goroutines at once (run
// with -race): results must not depend on what else is being checked.
func TestConcurrent(t *testing.T) {
	root := testdata(t)
	var files []struct{ typ, path string }
	for _, typ := range Types {
		_ = filepath.WalkDir(filepath.Join(root, typ), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, struct{ typ, path string }{typ, p})
			}
			return nil
		})
	}
	want := make([]string, len(files))
	for i, f := range files {
		want[i] = fmt.Sprint(checkPath(t, f.typ, f.path, root))
	}
	var wg sync.WaitGroup
	for round := 0; round < 4; round++ {
		for i, f := range files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := fmt.Sprint(checkPath(t, f.typ, f.path, root)); got != want[i] {
					t.Errorf("%s: concurrent result differs:\n%s\n%s", f.path, got, want[i])
				}
			}()
		}
	}
	wg.Wait()
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		text      string
		line, col int
		sev, msg  string
	}{
		{"openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a: []\n", 6, 3, "error", "path /a must be a mapping of operations (get:, post:, …), found a list"},
		{"openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: []\n", 5, 8, "error", "paths must be a mapping, found a list"},
		{"openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  contact: mail@example.com\npaths: {}\n", 5, 12, "error", `contact must be a mapping, found "mail@example.com"`},
		{"openapi: 3.0.3\ninfo:\n  title: T\n  version: 1.0\npaths: {}\ncomponents:\n  schemas:\n    X:\n      properties:\n        version:\n          type: string\n", 4, 12, "warning", "this value is a number (1.0) where OpenAPI wants a string"},
	} {
		res := Check(context.Background(), "openapi", tc.text, "/r/openapi.yaml", 1, "/r")
		if len(res.Problems) != 1 {
			t.Errorf("%q: got %v", tc.text, res.Problems)
			continue
		}
		p := res.Problems[0]
		if p.Line != tc.line || p.Column != tc.col || p.Severity != tc.sev || !strings.Contains(p.Message, tc.msg) {
			t.Errorf("%q: got %s", tc.text, p)
		}
	}
}

// TestSwaggerEmptyPaths: "paths: {}" is valid Swagger 2.0; its conversion
// to OpenAPI 3 has no paths, which is not the document's fault (it was
// reported as "paths is required in OpenAPI 3.0"). A missing paths is
// still an error.
func TestSwaggerEmptyPaths(t *testing.T) {
	root := t.TempDir()
	write(t, root, "empty.json", `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`)
	res := checkPath(t, "openapi", filepath.Join(root, "empty.json"), root)
	expectIn(t, filepath.Join(root, "empty.json"), res, nil)
	write(t, root, "none.json", `{"swagger": "2.0", "info": {"title": "x", "version": "1"}}`)
	res = checkPath(t, "openapi", filepath.Join(root, "none.json"), root)
	expectIn(t, filepath.Join(root, "none.json"), res, []want{{"", 1, 1, "error", "paths is required (it may be empty: paths: {})"}})
}

// TestOperationWithoutResponses: platform-test-org/backstage-catalogs-integ-tests
// entities/api.yaml has operations with a summary and no responses. OpenAPI
// 3.0 requires them (the message says so, not "must be an object"); 3.1
// does not.
func TestOperationWithoutResponses(t *testing.T) {
	const def = "openapi: %q\ninfo:\n  version: 1.0.0\n  title: Demo\npaths:\n  /dummy:\n    get:\n      summary: List all dummies\n"
	dir := t.TempDir()
	res := Check(context.Background(), "openapi", fmt.Sprintf(def, "3.0.0"), filepath.Join(dir, "api.yaml"), 1, dir)
	if len(res.Problems) != 1 || res.Problems[0].Line != 7 || res.Problems[0].Severity != SeverityError ||
		res.Problems[0].Message != `invalid paths: invalid path /dummy: invalid operation GET: responses is required (it is missing or null): list the operation's responses, e.g. "200": {description: OK}` {
		t.Errorf("3.0.0: got %v", res.Problems)
	}
	if res := Check(context.Background(), "openapi", fmt.Sprintf(def, "3.1.0"), filepath.Join(dir, "api.yaml"), 1, dir); len(res.Problems) != 0 {
		t.Errorf("3.1.0: responses are optional, got %v", res.Problems)
	}
}
