package apispec

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// compareKin loads text both ways, kin-openapi's decoder and decodeKin,
// and reports a difference in the document, the load error or the
// validation. It returns whether decodeKin decoded it.
func compareKin(t *testing.T, name string, text []byte, file string) bool {
	t.Helper()
	root, p, _ := parseTree(text)
	if p != nil || root == nil {
		return false
	}
	if v, _ := get(root, "openapi"); v == nil {
		return false
	}
	b, ok := treeJSON(root)
	if !ok {
		return false
	}
	var res Result
	c := newChecker(context.Background(), string(text), file, 1, "", "", &res)
	want, werr := c.loader().LoadFromDataWithPath(b, c.location())
	got, ok, gerr := c.loadTree(root)
	if !ok {
		return false
	}
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Errorf("%s: load error %v, kin-openapi's %v", name, gerr, werr)
		return true
	}
	if werr != nil {
		return true
	}
	if !reflect.DeepEqual(want, got) {
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		t.Errorf("%s: the document differs from kin-openapi's\n got %.600s\nwant %.600s", name, gj, wj)
		return true
	}
	ctx := context.Background()
	we, ge := want.Validate(ctx, openapi3.EnableMultiError()), got.Validate(ctx, openapi3.EnableMultiError())
	if fmt.Sprint(we) != fmt.Sprint(ge) {
		t.Errorf("%s: validation %v, kin-openapi's %v", name, ge, we)
	}
	return true
}

// TestKinDecode holds decodeKin to kin-openapi's own decoding, document
// for document, over the package's definitions, the conformance corpus's,
// generated ones and the files under CATALINT_TREEJSON_DIR (kin-openapi's
// testdata, a generated catalog tree).
func TestKinDecode(t *testing.T) {
	n, decoded := 0, 0
	try := func(name string, text []byte, file string) {
		n++
		if compareKin(t, name, text, file) {
			decoded++
		}
	}
	for name, text := range map[string]string{
		"case":      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    Get: {responses: {'200': {description: ok}}}\n",
		"ext":       "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-a: 1\nfoo: [1, 2.5, {b: c}]\npaths:\n  x-p: 1\n  /a:\n    x-q: true\n    get:\n      x-r: s\n      responses:\n        x-s: 2\n        '200': {description: ok, x-t: null}\n",
		"null":      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {responses: null}\n",
		"ref-sib":   "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    B: {$ref: '#/components/schemas/A', description: d}\n",
		"bool":      "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: true\n    B: {properties: {c: false}}\n",
		"numbers":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: number, minimum: 1.0, maximum: 1e3, multipleOf: 0.5, maxLength: 3, example: 1.50}\n",
		"bad-type":  "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLength: -1}\n",
		"bad-field": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {summary: [x], responses: {}}\n",
		"empty":     "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {}\n",
		"webhooks":  "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  a:\n    post: {responses: {'200': {description: ok}}}\n",
		"unicode":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {description: \"caf\u00e9 <b>&\", responses: {'200': {description: ok}}}\n",
		"missing":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}\n",
	} {
		try(name, []byte(text), filepath.Join(t.TempDir(), "api.yaml"))
	}
	dirs := []string{"testdata"}
	if d := os.Getenv("CATALINT_TREEJSON_DIR"); d != "" {
		dirs = append(dirs, filepath.SplitList(d)...)
	}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".yaml", ".yml", ".json":
				if b, err := os.ReadFile(p); err == nil && len(b) < 5<<20 {
					try(p, b, p)
				}
			}
			return nil
		})
	}
	if _, err := os.Stat(corpusDir); err == nil {
		for _, d := range corpusDefs(t) {
			file := d.defFile
			if file == "" {
				file = d.file
			}
			try(d.file+" "+d.entity, []byte(d.text), file)
		}
	}
	for i := 0; i < 20; i++ {
		try("generated", []byte(genOpenAPI(i, 1+i%7)), filepath.Join(t.TempDir(), "api.yaml"))
	}
	t.Logf("%d texts, %d decoded by decodeKin", n, decoded)
	if decoded == 0 {
		t.Fatal("decodeKin decoded nothing")
	}
}
