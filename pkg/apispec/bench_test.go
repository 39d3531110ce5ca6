package apispec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// genOpenAPI writes a realistic OpenAPI 3.0 definition: n resources, each
// with a collection and an item path (list, create, get, update, delete)
// and three schemas.
func genOpenAPI(i, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "openapi: 3.0.3\ninfo:\n  title: Service %d API\n  description: |\n    Generated service number %d, with %d resources.\n  version: 1.%d.0\n", i, i, n, i)
	b.WriteString("servers:\n  - url: https://api.example.com/v1\nsecurity:\n  - bearerAuth: []\npaths:\n")
	for r := 0; r < n; r++ {
		name := fmt.Sprintf("Resource%d", r)
		fmt.Fprintf(&b, `  /resources%d:
    get:
      operationId: list%s
      tags: [r%d]
      parameters:
        - $ref: '#/components/parameters/Limit'
        - name: cursor
          in: query
          schema:
            type: string
      responses:
        '200':
          description: A page of %s
          content:
            application/json:
              schema:
                type: object
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/%s'
                  next:
                    type: string
                    nullable: true
        default:
          $ref: '#/components/responses/Error'
    post:
      operationId: create%s
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/New%s'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/%s'
        default:
          $ref: '#/components/responses/Error'
  /resources%d/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
          format: uuid
    get:
      operationId: get%s
      responses:
        '200':
          description: The resource
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/%s'
        '404':
          $ref: '#/components/responses/Error'
    patch:
      operationId: update%s
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/%sPatch'
      responses:
        '200':
          description: Updated
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/%s'
    delete:
      operationId: delete%s
      responses:
        '204':
          description: Deleted
`, r, name, r, name, name, name, name, name, r, name, name, name, name, name, name)
	}
	b.WriteString(`components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
  parameters:
    Limit:
      name: limit
      in: query
      schema:
        type: integer
        minimum: 1
        maximum: 100
        default: 20
  responses:
    Error:
      description: An error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code:
          type: string
        message:
          type: string
`)
	for r := 0; r < n; r++ {
		name := fmt.Sprintf("Resource%d", r)
		fmt.Fprintf(&b, `    New%s:
      type: object
      required: [name]
      properties:
        name:
          type: string
          maxLength: 200
        labels:
          type: object
          additionalProperties:
            type: string
        kind:
          type: string
          enum: [small, medium, large]
    %sPatch:
      type: object
      properties:
        name:
          type: string
        labels:
          type: object
          additionalProperties:
            type: string
    %s:
      allOf:
        - $ref: '#/components/schemas/New%s'
        - type: object
          required: [id, createdAt]
          properties:
            id:
              type: string
              format: uuid
            createdAt:
              type: string
              format: date-time
            size:
              type: integer
              format: int64
              minimum: 0
              example: 42
`, name, name, name, name)
	}
	return b.String()
}

type benchFile struct{ path, text string }

func genRepo(b *testing.B, files, resources int) (string, []benchFile, float64) {
	root := b.TempDir()
	var out []benchFile
	size := 0
	for i := 0; i < files; i++ {
		text := genOpenAPI(i, resources)
		p := filepath.Join(root, fmt.Sprintf("svc%03d", i), "openapi.yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		out = append(out, benchFile{p, text})
		size += len(text)
	}
	return root, out, float64(size) / float64(files) / 1024
}

// BenchmarkRepository checks a repository of 200 OpenAPI files once each,
// then 200 more references to the same files through the Cache, as the
// lint rules do when entities share a definition file.
func BenchmarkRepository(b *testing.B) {
	root, files, kib := genRepo(b, 200, 12)
	ctx := context.Background()
	defer b.ReportMetric(kib, "KiB/file")
	var first, second time.Duration
	for b.Loop() {
		c := NewCache()
		start := time.Now()
		for _, f := range files {
			if r := c.Check(ctx, "openapi", f.text, f.path, 1, root); len(r.Problems) != 0 {
				b.Fatal(r.Problems)
			}
		}
		mid := time.Now()
		for _, f := range files {
			c.Check(ctx, "openapi", f.text, f.path, 1, root)
		}
		first += mid.Sub(start)
		second += time.Since(mid)
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms/200-checks")
	b.ReportMetric(float64(second.Microseconds())/float64(b.N), "µs/200-cached")
}

// BenchmarkRepositoryParallel is BenchmarkRepository with the 400 checks
// spread over GOMAXPROCS goroutines.
func BenchmarkRepositoryParallel(b *testing.B) {
	root, files, kib := genRepo(b, 200, 12)
	ctx := context.Background()
	defer b.ReportMetric(kib, "KiB/file")
	refs := append(append([]benchFile{}, files...), files...)
	for b.Loop() {
		c := NewCache()
		var wg sync.WaitGroup
		work := make(chan benchFile)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range work {
					c.Check(ctx, "openapi", f.text, f.path, 1, root)
				}
			}()
		}
		for _, f := range refs {
			work <- f
		}
		close(work)
		wg.Wait()
	}
}
