package load

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const benchParseComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %[1]s-service
  title: %[1]s service
  description: Handles %[1]s requests. Owned and operated by the team listed below; see the runbook for on-call procedures.
  labels:
    tier: "2"
  tags:
    - go
    - grpc
    - tier-1
  annotations:
    github.com/project-slug: acme/%[1]s
    backstage.io/techdocs-ref: dir:.
    backstage.io/kubernetes-id: %[1]s
    pagerduty.com/service-id: P%[2]06d
  links:
    - url: https://github.com/acme/%[1]s
      title: Repository
      icon: github
spec:
  type: service
  lifecycle: production
  owner: group:team-%[1]s
  system: %[1]s-system
  providesApis:
    - %[1]s-api
  consumesApis:
    - billing-api
  dependsOn:
    - resource:%[1]s-db
    - component:auth-service
`

const benchParseAPI = `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: %[1]s-api
  description: Public contract of the %[1]s service.
  tags:
    - rest
spec:
  type: openapi
  lifecycle: production
  owner: team-%[1]s
  system: %[1]s-system
  definition: |
    openapi: 3.0.3
    info:
      title: %[1]s API
      version: 1.%[2]d.0
    paths:
      /%[1]s:
        get:
          summary: List %[1]s
          parameters:
            - name: page
              in: query
              schema:
                type: integer
          responses:
            '200':
              description: A page of %[1]s
              content:
                application/json:
                  schema:
                    type: array
                    items:
                      $ref: '#/components/schemas/Item'
        post:
          summary: Create one of %[1]s
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/Item'
          responses:
            '201':
              description: Created
      /%[1]s/{id}:
        get:
          summary: Get one of %[1]s
          parameters:
            - name: id
              in: path
              required: true
              schema:
                type: string
                format: uuid
          responses:
            '200':
              description: OK
            '404':
              description: Not found
    components:
      schemas:
        Item:
          type: object
          properties:
            id:
              type: string
              format: uuid
            amount:
              type: number
`

const benchParseResource = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: %[1]s-db
  description: Managed infrastructure for %[1]s.
spec:
  type: database
  owner: team-%[1]s
  system: %[1]s-system
`

const benchParseGroup = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-%[1]s
spec:
  type: team
  profile:
    displayName: Team %[1]s
    email: team-%[1]s@acme.example
  children: []
  members:
    - %[1]s.lead
`

const benchParseUser = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: %[1]s.lead
spec:
  profile:
    displayName: %[1]s lead
    email: %[1]s.lead@acme.example
  memberOf:
    - team-%[1]s
`

// benchParseFile is a catalog file of 50 entities: 20 Components, 10 APIs
// with inline OpenAPI definitions, 10 Resources, 5 Groups and 5 Users.
func benchParseFile() []byte {
	words := strings.Fields("account billing cart catalog checkout claims invoice ledger order payment")
	var b bytes.Buffer
	n := 0
	add := func(tmpl, w string) {
		if n > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, tmpl, fmt.Sprintf("%s-%d", w, n), n)
		n++
	}
	for i := 0; i < 5; i++ {
		for j := 0; j < 2; j++ {
			w := words[(2*i+j)%len(words)]
			add(benchParseComponent, w)
			add(benchParseComponent, w)
			add(benchParseAPI, w)
			add(benchParseResource, w)
		}
		add(benchParseGroup, words[i])
		add(benchParseUser, words[i])
	}
	return b.Bytes()
}

// BenchmarkParse reads a 50-entity catalog file into documents.
func BenchmarkParse(b *testing.B) {
	src := benchParseFile()
	dir := b.TempDir()
	f := Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, Options{})
	if len(f.Docs) != 50 || len(f.Diags) > 0 {
		b.Fatalf("%d documents, diagnostics %v; want 50 and none", len(f.Docs), f.Diags)
	}
	for _, d := range f.Docs {
		if d.Root == nil || len(d.Diags) > 0 {
			b.Fatalf("document %d: %v", d.Index, d.Diags)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, Options{})
	}
	b.ReportMetric(50*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
}

// BenchmarkParseStyles reads a 50-entity catalog file written by hand
// (block style) and one written by PyYAML (testdata/bench/pyyaml-50.yaml,
// from gencatalog -style pyyaml: flow collections, folded and quoted
// scalars with escapes) three ways: with the fast reader, with yaml.v3
// and the converter only, and yaml.v3's bare parse into yaml.Node trees.
func BenchmarkParseStyles(b *testing.B) {
	pyyaml, err := os.ReadFile("testdata/bench/pyyaml-50.yaml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, style := range []struct {
		name string
		src  []byte
	}{{"block", benchParseFile()}, {"pyyaml", pyyaml}} {
		src := style.src
		f := Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, Options{})
		if len(f.Docs) != 50 || len(f.Diags) > 0 || f.fastDocs != 50 {
			b.Fatalf("%s: %d documents (%d read fast), diagnostics %v; want 50, all fast, and none", style.name, len(f.Docs), f.fastDocs, f.Diags)
		}
		for _, r := range []struct {
			name string
			read func()
		}{
			{"fast", func() { Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, Options{}) }},
			{"yaml.v3+convert", func() { Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, Options{noFast: true}) }},
			{"yaml.v3-bare", func() {
				dec := yaml.NewDecoder(bytes.NewReader(src))
				for {
					var n yaml.Node
					if dec.Decode(&n) != nil {
						return
					}
				}
			}},
		} {
			b.Run(style.name+"/"+r.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(src)))
				for i := 0; i < b.N; i++ {
					r.read()
				}
				b.ReportMetric(50*float64(b.N)/b.Elapsed().Seconds(), "entities/s")
			})
		}
	}
}
