package lint

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// The benchmarks run over synthetic descriptors shaped like real ones. For
// a large tree (20,000 entities) and the CLI, see scripts/gencatalog and
// scripts/bench-check.sh.

const benchComponent = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %[1]s
  title: %[1]s service
  description: Handles %[1]s requests. Owned and operated by the team listed below; see the runbook for on-call procedures.
  labels:
    tier: "2"
    cost-center: cc-%[2]d
  tags:
    - go
    - grpc
    - tier-1
    - %[3]s
  annotations:
    github.com/project-slug: acme/%[1]s
    backstage.io/techdocs-ref: dir:.
    backstage.io/kubernetes-id: %[1]s
    backstage.io/kubernetes-label-selector: 'app.kubernetes.io/name=%[1]s'
    pagerduty.com/service-id: P%06[2]d
    sonarqube.org/project-key: acme_%[2]d
  links:
    - url: https://github.com/acme/%[1]s
      title: Repository
      icon: github
    - url: https://grafana.acme.example/d/%[2]d/%[1]s?orgId=1
      title: Dashboard
      icon: dashboard
spec:
  type: service
  lifecycle: production
  owner: group:team-%[3]s
  system: %[3]s-system
  providesApis:
    - %[1]s-api
  consumesApis:
    - %[3]s-api
    - billing-api
  dependsOn:
    - component:%[3]s-worker
    - resource:%[1]s-db
    - resource:%[3]s-queue
`

const benchAPIHead = `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: %[1]s-api
  title: %[1]s API
  description: Public contract of the %[1]s service.
  tags:
    - rest
    - %[3]s
  annotations:
    github.com/project-slug: acme/%[1]s
    backstage.io/techdocs-ref: dir:.
spec:
  type: openapi
  lifecycle: production
  owner: team-%[3]s
  system: %[3]s-system
  definition: |
    openapi: 3.0.3
    info:
      title: %[1]s API
      version: 1.%[2]d.0
    servers:
      - url: https://api.acme.example/%[1]s/v1
    paths:
`

// benchAPIPath is one resource of an API definition (about 1.3 KB).
const benchAPIPath = `      /%[1]s:
        get:
          summary: List %[1]s
          parameters:
            - name: page
              in: query
              schema:
                type: integer
            - name: limit
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
            '422':
              description: Validation error
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
`

const benchAPITail = `    components:
      schemas:
        Item:
          type: object
          required:
            - id
          properties:
            id:
              type: string
              format: uuid
            name:
              type: string
            createdAt:
              type: string
              format: date-time
            amount:
              type: number
`

const benchResource = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: %[1]s-db
  description: Managed infrastructure for %[1]s.
  tags:
    - postgres
spec:
  type: database
  owner: team-%[3]s
  system: %[3]s-system
  dependsOn:
    - resource:%[3]s-cluster
`

const benchSystem = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: %[1]s-system
  description: A collection of services and APIs.
  links:
    - url: https://wiki.acme.example/%[1]s
      title: Wiki
spec:
  owner: team-%[3]s
  domain: %[3]s-domain
`

const benchGroup = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-%[1]s
  description: The %[1]s engineering team
spec:
  type: team
  profile:
    displayName: Team %[1]s
    email: team-%[1]s@acme.example
  parent: team-%[3]s
  children: []
  members:
    - %[1]s.lead
    - %[3]s.dev
`

const benchUser = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: %[1]s.lead
spec:
  profile:
    displayName: %[1]s Lead
    email: %[1]s.lead@acme.example
  memberOf:
    - team-%[3]s
`

const benchDomain = `apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: %[1]s-domain
  description: A business domain.
spec:
  owner: team-%[3]s
`

// benchInvalid are broken on purpose: a bad name, a missing owner, an
// unknown kind, a bad tag and a dependsOn without a kind.
var benchInvalid = []string{
	`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "%[1]s service!"
spec:
  type: service
  lifecycle: production
  owner: team-%[3]s
`,
	`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %[1]s-noowner
spec:
  type: service
  lifecycle: production
`,
	`apiVersion: backstage.io/v1alpha1
kind: Servcie
metadata:
  name: %[1]s-kind
spec:
  type: service
  owner: team-%[3]s
`,
	`apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: %[1]s-tag
  tags:
    - Needs_Review
spec:
  type: database
  owner: team-%[3]s
  dependsOn:
    - %[3]s-cluster
`,
}

var benchWords = strings.Fields("account billing cart catalog checkout claims invoice ledger order payment pricing search shipping tax wallet")

// benchDoc writes the n-th synthetic entity: mostly Components and APIs,
// then Resources, Users, Groups, Systems, a few Domains, and about 2%
// invalid ones.
func benchDoc(b *bytes.Buffer, rng *rand.Rand, n int) {
	word := benchWords[rng.Intn(len(benchWords))]
	name := fmt.Sprintf("%s-%d", word, n)
	other := benchWords[rng.Intn(len(benchWords))]
	r := rng.Intn(1000)
	var tmpl string
	switch {
	case r < 20:
		tmpl = benchInvalid[rng.Intn(len(benchInvalid))]
	case r < 440:
		tmpl = benchComponent
	case r < 620:
		fmt.Fprintf(b, benchAPIHead, name, n, other)
		for i, k := 0, 1+rng.Intn(3); i < k; i++ {
			fmt.Fprintf(b, benchAPIPath, benchWords[rng.Intn(len(benchWords))]+"s")
		}
		b.WriteString(benchAPITail)
		return
	case r < 770:
		tmpl = benchResource
	case r < 890:
		tmpl = benchUser
	case r < 940:
		tmpl = benchGroup
	case r < 992:
		tmpl = benchSystem
	default:
		tmpl = benchDomain
	}
	fmt.Fprintf(b, tmpl, name, n, other)
}

// benchFile returns a multi-document catalog file of n entities.
func benchFile(rng *rand.Rand, first, n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("---\n")
		}
		benchDoc(&b, rng, first+i)
	}
	return b.Bytes()
}

// writeBenchTree writes entities entities, perFile to a file, as
// dir/repo-XXXX/catalog-info.yaml, and returns the number of files.
func writeBenchTree(tb testing.TB, dir string, entities, perFile int) int {
	tb.Helper()
	rng := rand.New(rand.NewSource(1))
	files := 0
	for done := 0; done < entities; files++ {
		n := min(perFile, entities-done)
		repo := filepath.Join(dir, fmt.Sprintf("repo-%04d", files))
		if err := os.MkdirAll(repo, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, "catalog-info.yaml"), benchFile(rng, done, n), 0o644); err != nil {
			tb.Fatal(err)
		}
		done += n
	}
	return files
}

// BenchmarkRunSchema is catalint check --only schema over a tree of 2,000
// entities in 250 files, without the output.
func BenchmarkRunSchema(b *testing.B) {
	const entities, perFile = 2000, 8
	dir := b.TempDir()
	writeBenchTree(b, dir, entities, perFile)
	sel, err := NewSelection([]string{GroupSchema}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := schema.Builtin(); err != nil { // compiled once, outside the timing
		b.Fatal(err)
	}
	opts := Options{Paths: []string{dir}, Selection: sel}
	res, err := Run(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Entities) != entities {
		b.Fatalf("checked %d entities, want %d", len(res.Entities), entities)
	}
	invalid := 0
	for _, e := range res.Entities {
		if e.Invalid {
			invalid++
		}
	}
	if invalid == 0 || invalid > entities/10 {
		b.Fatalf("%d invalid entities of %d: the generator is off", invalid, entities)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(entities)*float64(b.N)/elapsed.Seconds(), "entities/s")
}

// BenchmarkCheckDoc parses and checks one realistic Component document.
func BenchmarkCheckDoc(b *testing.B) {
	src := []byte(fmt.Sprintf(benchComponent, "payment-gateway", 4711, "billing"))
	sch, err := schema.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	sel, err := NewSelection([]string{GroupSchema}, nil)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	check := func() int {
		f := load.Parse(bytes.NewReader(src), "catalog-info.yaml", dir, dir, load.Options{})
		if len(f.Docs) != 1 {
			b.Fatalf("%d documents, want 1", len(f.Docs))
		}
		ds, e := checkDoc(f.Docs[0], sel, sch, nil)
		if e.Invalid {
			b.Fatalf("document is invalid: %v", ds)
		}
		return len(ds)
	}
	check()
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		check()
	}
}
