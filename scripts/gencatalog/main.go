// Command gencatalog writes a synthetic but realistic Backstage catalog tree
// for benchmarking catalint:
//
//	go run ./scripts/gencatalog -out DIR -entities 20000 -per-file 8 -seed 1
//
// It writes DIR/repo-XXXX/catalog-info.yaml, each a multi-document file
// with a mix of kinds: Components (owner, system, dependsOn, providesApis,
// consumesApis, tags, links, annotations), APIs with an inline OpenAPI
// definition of a few KB, Resources, Systems, Groups, Users and a few
// Domains. A fraction of the entities (-invalid, 2% by default) is broken
// on purpose: a bad name, a missing owner, an unknown kind, a bad tag, a
// dependsOn without a kind, a wrong type or a misspelt apiVersion.
//
// The output depends only on the flags: the same seed gives the same tree.
// It prints a one-line summary (entities, files, invalid, bytes) on stderr
// and, with -summary-json, as JSON on stdout.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "", "folder to write the tree into (created; required)")
	entities := flag.Int("entities", 20000, "number of entities to write")
	perFile := flag.Int("per-file", 8, "average number of entities per catalog-info.yaml (files vary from half to one and a half times this)")
	seed := flag.Int64("seed", 1, "random seed; the same seed gives the same tree")
	invalid := flag.Float64("invalid", 0.02, "fraction of entities that are deliberately invalid (0 to 1)")
	summaryJSON := flag.Bool("summary-json", false, "print the summary as JSON on stdout")
	external := flag.Bool("external-definitions", false, "write API definitions to files beside the catalog file ($text placeholders) instead of inline")
	apis := flag.Int("apis", -1, "number of API entities, each with an OpenAPI definition (default: 18% of -entities); the difference goes to Components")
	style := flag.String("style", "block", "how the YAML is written: block (by hand: block style, plain scalars, literal API definitions) or pyyaml (as PyYAML's dump_all with default_flow_style=None writes it: flow collections, folded and quoted scalars with escapes)")
	flag.Parse()
	if *out == "" || *entities < 1 || *perFile < 1 || *invalid < 0 || *invalid > 1 || flag.NArg() > 0 || *style != "block" && *style != "pyyaml" {
		fmt.Fprintln(os.Stderr, "usage: gencatalog -out DIR [-entities N] [-per-file N] [-seed N] [-invalid FRACTION] [-apis N] [-style block|pyyaml] [-summary-json]")
		os.Exit(2)
	}
	if most := *entities - nonComponents(*entities); *apis > most {
		fmt.Fprintf(os.Stderr, "gencatalog: -apis %d: %d entities hold at most %d APIs beside the other kinds\n", *apis, *entities, most)
		os.Exit(2)
	}
	g := newGenerator(*seed, *entities, *invalid)
	g.external = *external
	g.apiCount = *apis
	if *style == "pyyaml" {
		// Its own random source, so that both styles hold the same entities.
		notes := rand.New(rand.NewSource(*seed + 1))
		g.restyle = func(s string) (string, error) {
			return restylePyYAML(s, func() bool { return notes.Intn(2) == 0 })
		}
	}
	sum, err := g.writeTree(*out, *perFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gencatalog: wrote %d entities (%d invalid) in %d files, %d bytes, under %s\n",
		sum.Entities, sum.Invalid, sum.Files, sum.Bytes, *out)
	if *summaryJSON {
		b, _ := json.Marshal(sum)
		fmt.Println(string(b))
	}
}

type summary struct {
	Entities int            `json:"entities"`
	Invalid  int            `json:"invalid"`
	Files    int            `json:"files"`
	Bytes    int64          `json:"bytes"`
	Kinds    map[string]int `json:"kinds"`
}

// The kind mix, in parts per thousand; whatever is left is Components.
var kindMix = []struct {
	kind string
	per  int
}{
	{"API", 180},
	{"Resource", 150},
	{"System", 60},
	{"Group", 60},
	{"User", 120},
	{"Domain", 8},
}

var words = strings.Fields(`account address analytics archive asset audit auth billing booking
	budget cache campaign cart catalog checkout claims cluster config content contract
	credit customer dashboard delivery device discount document email event export feed
	file fleet forecast fraud gateway geo identity image import inventory invoice
	ledger loyalty mail media message metrics notification order partner payment payout
	pricing profile promo quote rating recommendation refund report reservation review
	risk routing schedule search session settlement shipping sms storage subscription
	supplier support tax ticket token tracking transfer user vendor wallet warehouse`)

var suffixes = []string{"service", "api", "worker", "backend", "frontend", "processor", "sync", "adapter", "portal", "engine"}

var firstNames = strings.Fields(`alice bob carol dave erin frank grace heidi ivan judy ken laura
	mallory nina oscar peggy quinn rupert sybil trent uma victor wendy xavier yara zoe`)
var lastNames = strings.Fields(`smith jones taylor brown williams wilson johnson davies robinson
	wright thompson evans walker white roberts green hall wood jackson clarke patel khan lee
	martin garcia lopez muller schmidt rossi silva`)

var languages = []string{"go", "java", "kotlin", "typescript", "python", "rust", "scala", "csharp"}
var extraTags = []string{"grpc", "rest", "kafka", "postgres", "redis", "tier-1", "tier-2", "pci", "gdpr", "internal", "public", "legacy", "experimental"}
var lifecycles = []string{"production", "production", "production", "experimental", "deprecated"}
var componentTypes = []string{"service", "service", "service", "website", "library", "worker"}
var resourceTypes = []string{"database", "s3-bucket", "kafka-topic", "queue", "cache", "cluster"}
var fieldTypes = []string{"string", "string", "string", "integer", "boolean", "number"}
var fieldFormats = map[string][]string{"string": {"", "", "uuid", "date-time", "email", "uri"}, "integer": {"int32", "int64"}, "number": {"double", "float"}, "boolean": {""}}

type generator struct {
	// defFiles collects API definitions written as files beside the
	// catalog file ($text placeholders) instead of inline.
	defFiles map[string]string
	external bool
	// apiCount, when not negative, is the number of API entities.
	apiCount int
	// restyle rewrites a catalog file in another YAML style.
	restyle func(string) (string, error)
	rng     *rand.Rand
	total   int
	invalid float64
	domains []string
	systems []string
	groups  []string
	users   []string
	comps   []string
	apis    []string
	res     []string
	// system -> domain, user -> group
	systemDomain map[string]string
	userGroup    map[string]string
	used         map[string]bool
}

func newGenerator(seed int64, total int, invalid float64) *generator {
	g := &generator{rng: rand.New(rand.NewSource(seed)), total: total, invalid: invalid, apiCount: -1,
		systemDomain: map[string]string{}, userGroup: map[string]string{}, used: map[string]bool{}, defFiles: map[string]string{}}
	return g
}

func (g *generator) pick(ss []string) string { return ss[g.rng.Intn(len(ss))] }

// uniq makes a name unique by adding a counter when needed.
func (g *generator) uniq(base string) string {
	name := base
	for i := 2; g.used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	g.used[name] = true
	return name
}

type entityKind struct {
	kind string
	name string
}

// nonComponents is how many of total entities the kind mix gives to kinds
// other than Component and API: the most -apis can be.
func nonComponents(total int) int {
	n := 0
	for _, m := range kindMix {
		switch {
		case m.kind == "API":
		case m.kind == "Domain" && total*m.per/1000 == 0 && total >= 50:
			n++
		default:
			n += total * m.per / 1000
		}
	}
	return n
}

// plan decides the kind and name of every entity, then shuffles them so
// that each file holds a mix.
func (g *generator) plan() []entityKind {
	counts := map[string]int{}
	rest := g.total
	for _, m := range kindMix {
		n := g.total * m.per / 1000
		if m.kind == "API" && g.apiCount >= 0 {
			n = g.apiCount
		}
		if m.kind == "Domain" && n == 0 && g.total >= 50 {
			n = 1
		}
		counts[m.kind] = n
		rest -= n
	}
	counts["Component"] = rest
	for i := 0; i < counts["Domain"]; i++ {
		g.domains = append(g.domains, g.uniq(g.pick(words)+"-domain"))
	}
	for i := 0; i < counts["Group"]; i++ {
		g.groups = append(g.groups, g.uniq("team-"+g.pick(words)))
	}
	for i := 0; i < counts["System"]; i++ {
		s := g.uniq(g.pick(words) + "-system")
		g.systems = append(g.systems, s)
		if len(g.domains) > 0 {
			g.systemDomain[s] = g.pick(g.domains)
		}
	}
	for i := 0; i < counts["User"]; i++ {
		u := g.uniq(g.pick(firstNames) + "." + g.pick(lastNames))
		g.users = append(g.users, u)
		if len(g.groups) > 0 {
			g.userGroup[u] = g.pick(g.groups)
		}
	}
	for i := 0; i < counts["Component"]; i++ {
		g.comps = append(g.comps, g.uniq(g.pick(words)+"-"+g.pick(suffixes)))
	}
	for i := 0; i < counts["API"]; i++ {
		g.apis = append(g.apis, g.uniq(g.pick(words)+"-api"))
	}
	for i := 0; i < counts["Resource"]; i++ {
		g.res = append(g.res, g.uniq(g.pick(words)+"-"+g.pick(resourceTypes)))
	}
	var all []entityKind
	add := func(kind string, names []string) {
		for _, n := range names {
			all = append(all, entityKind{kind, n})
		}
	}
	add("Domain", g.domains)
	add("System", g.systems)
	add("Group", g.groups)
	add("User", g.users)
	add("Component", g.comps)
	add("API", g.apis)
	add("Resource", g.res)
	g.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all
}

func (g *generator) writeTree(out string, perFile int) (summary, error) {
	sum := summary{Kinds: map[string]int{}}
	all := g.plan()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return sum, err
	}
	for repo := 0; len(all) > 0; repo++ {
		n := perFile
		if perFile > 1 {
			n = perFile/2 + g.rng.Intn(perFile+1)
			if n < 1 {
				n = 1
			}
		}
		n = min(n, len(all))
		var b strings.Builder
		for i, e := range all[:n] {
			if i > 0 {
				b.WriteString("---\n")
			}
			bad := g.rng.Float64() < g.invalid
			g.entity(&b, e, bad)
			sum.Entities++
			sum.Kinds[e.kind]++
			if bad {
				sum.Invalid++
			}
		}
		all = all[n:]
		dir := filepath.Join(out, fmt.Sprintf("repo-%04d", repo))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return sum, err
		}
		text := b.String()
		if g.restyle != nil {
			var err error
			if text, err = g.restyle(text); err != nil {
				return sum, fmt.Errorf("%s: %w", dir, err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "catalog-info.yaml"), []byte(text), 0o644); err != nil {
			return sum, err
		}
		for name, def := range g.defFiles {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(def), 0o644); err != nil {
				return sum, err
			}
		}
		g.defFiles = map[string]string{}
		sum.Files++
		sum.Bytes += int64(len(text))
	}
	return sum, nil
}

// defect is one way an entity is broken on purpose.
type defect int

const (
	defectNone defect = iota
	defectBadName
	defectLongName
	defectMissingOwner
	defectUnknownKind
	defectBadTag
	defectRefNoKind
	defectWrongType
	defectAPIVersion
	numDefects
)

func (g *generator) entity(b *strings.Builder, e entityKind, bad bool) {
	d := defectNone
	if bad {
		d = defect(1 + g.rng.Intn(int(numDefects)-1))
		// Defects that need a field the kind lacks fall back to a bad name.
		switch {
		case (d == defectMissingOwner || d == defectBadTag) && (e.kind == "Group" || e.kind == "User"):
			d = defectBadName
		case d == defectRefNoKind && e.kind != "Component" && e.kind != "Resource":
			d = defectBadName
		}
	}
	kind, apiVersion, name := e.kind, "backstage.io/v1alpha1", e.name
	switch d {
	case defectBadName:
		name = strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ") + "!"
	case defectLongName:
		name = name + "-" + strings.Repeat("x", 64)
	case defectUnknownKind:
		kind = []string{"Servcie", "Website", "Library", "Pipeline"}[g.rng.Intn(4)]
	case defectAPIVersion:
		apiVersion = "backstage.io/v1"
	}
	if g.rng.Intn(10) == 0 && d != defectAPIVersion {
		apiVersion = "backstage.io/v1beta1"
	}
	fmt.Fprintf(b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", apiVersion, kind, yamlScalar(name))
	switch e.kind {
	case "Component":
		g.component(b, e.name, d)
	case "API":
		g.api(b, e.name, d)
	case "Resource":
		g.resource(b, e.name, d)
	case "System":
		g.system(b, e.name, d)
	case "Domain":
		g.domain(b, e.name, d)
	case "Group":
		g.group(b, e.name, d)
	case "User":
		g.user(b, e.name, d)
	}
}

// yamlScalar quotes a value that plain YAML would misread.
func yamlScalar(s string) string {
	if strings.ContainsAny(s, ":#!{}[],&*?|<>=%@`'\"") || strings.HasPrefix(s, " ") {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return s
}

func title(name string) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '.' || r == '_' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

func (g *generator) owner() string {
	if len(g.groups) == 0 || g.rng.Intn(20) == 0 && len(g.users) > 0 {
		return "user:" + g.pick(g.users)
	}
	if g.rng.Intn(2) == 0 {
		return "group:" + g.pick(g.groups)
	}
	return g.pick(g.groups)
}

func (g *generator) some(pool []string, max int) []string {
	if len(pool) == 0 || max == 0 {
		return nil
	}
	n := g.rng.Intn(max + 1)
	seen := map[string]bool{}
	var out []string
	for i := 0; i < n; i++ {
		s := g.pick(pool)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (g *generator) meta(b *strings.Builder, name, what string, d defect, tags int) {
	fmt.Fprintf(b, "  title: %s\n", title(name))
	fmt.Fprintf(b, "  description: %s for the %s domain. Owned and operated by the team listed below; see the runbook for on-call procedures.\n", what, strings.SplitN(name, "-", 2)[0])
	if tags > 0 || d == defectBadTag {
		b.WriteString("  tags:\n")
		ts := g.some(append(languages, extraTags...), tags)
		if len(ts) == 0 {
			ts = []string{g.pick(languages)}
		}
		if d == defectBadTag {
			ts = append(ts, "Needs_Review")
		}
		for _, t := range ts {
			fmt.Fprintf(b, "    - %s\n", t)
		}
	}
}

func (g *generator) annotations(b *strings.Builder, name string) {
	slug := "acme/" + name
	b.WriteString("  annotations:\n")
	fmt.Fprintf(b, "    github.com/project-slug: %s\n", slug)
	b.WriteString("    backstage.io/techdocs-ref: dir:.\n")
	if g.rng.Intn(2) == 0 {
		fmt.Fprintf(b, "    backstage.io/kubernetes-id: %s\n", name)
		fmt.Fprintf(b, "    backstage.io/kubernetes-label-selector: 'app.kubernetes.io/name=%s'\n", name)
	}
	if g.rng.Intn(3) == 0 {
		fmt.Fprintf(b, "    pagerduty.com/service-id: P%06X\n", g.rng.Intn(1<<24))
	}
	if g.rng.Intn(3) == 0 {
		fmt.Fprintf(b, "    sonarqube.org/project-key: acme_%s\n", strings.ReplaceAll(name, "-", "_"))
	}
	if g.rng.Intn(4) == 0 {
		fmt.Fprintf(b, "    argocd/app-name: %s-prod\n", name)
	}
}

func (g *generator) links(b *strings.Builder, name string) {
	b.WriteString("  links:\n")
	fmt.Fprintf(b, "    - url: https://github.com/acme/%s\n      title: Repository\n      icon: github\n", name)
	if g.rng.Intn(2) == 0 {
		fmt.Fprintf(b, "    - url: https://grafana.acme.example/d/%08x/%s?orgId=1\n      title: Dashboard\n      icon: dashboard\n", g.rng.Uint32(), name)
	}
	if g.rng.Intn(3) == 0 {
		fmt.Fprintf(b, "    - url: https://wiki.acme.example/display/ENG/%s+Runbook\n      title: Runbook\n      icon: docs\n", title(name))
	}
}

func (g *generator) ownerLine(b *strings.Builder, d defect) {
	if d != defectMissingOwner {
		fmt.Fprintf(b, "  owner: %s\n", g.owner())
	}
}

func list(b *strings.Builder, field, prefix string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s:\n", field)
	for _, it := range items {
		fmt.Fprintf(b, "    - %s%s\n", prefix, it)
	}
}

func (g *generator) component(b *strings.Builder, name string, d defect) {
	g.meta(b, name, "Handles "+strings.ReplaceAll(name, "-", " ")+" requests", d, 5)
	if g.rng.Intn(3) == 0 {
		fmt.Fprintf(b, "  labels:\n    tier: \"%d\"\n    cost-center: cc-%04d\n", 1+g.rng.Intn(3), g.rng.Intn(10000))
	}
	g.annotations(b, name)
	g.links(b, name)
	b.WriteString("spec:\n")
	typ := g.pick(componentTypes)
	if d == defectWrongType {
		b.WriteString("  type: 42\n")
	} else {
		fmt.Fprintf(b, "  type: %s\n", typ)
	}
	fmt.Fprintf(b, "  lifecycle: %s\n", g.pick(lifecycles))
	g.ownerLine(b, d)
	if len(g.systems) > 0 && g.rng.Intn(5) != 0 {
		fmt.Fprintf(b, "  system: %s\n", g.pick(g.systems))
	}
	if typ == "library" && g.rng.Intn(3) == 0 {
		fmt.Fprintf(b, "  subcomponentOf: %s\n", g.pick(g.comps))
	}
	list(b, "providesApis", "", g.some(g.apis, 2))
	list(b, "consumesApis", "", g.some(g.apis, 4))
	deps := []string{}
	for _, c := range g.some(g.comps, 3) {
		deps = append(deps, "component:"+c)
	}
	for _, r := range g.some(g.res, 3) {
		deps = append(deps, "resource:"+r)
	}
	if d == defectRefNoKind {
		deps = append(deps, g.pick(g.res))
	}
	list(b, "dependsOn", "", deps)
}

func (g *generator) api(b *strings.Builder, name string, d defect) {
	g.meta(b, name, "Public contract of the "+strings.TrimSuffix(name, "-api")+" service", d, 3)
	g.annotations(b, name)
	b.WriteString("spec:\n")
	if d == defectWrongType {
		b.WriteString("  type:\n    - openapi\n")
	} else {
		b.WriteString("  type: openapi\n")
	}
	fmt.Fprintf(b, "  lifecycle: %s\n", g.pick(lifecycles))
	g.ownerLine(b, d)
	if len(g.systems) > 0 && g.rng.Intn(5) != 0 {
		fmt.Fprintf(b, "  system: %s\n", g.pick(g.systems))
	}
	if g.external {
		var d strings.Builder
		g.openapi(&d, name, "")
		g.defFiles[name+".openapi.yaml"] = d.String()
		fmt.Fprintf(b, "  definition:\n    $text: ./%s.openapi.yaml\n", name)
		return
	}
	b.WriteString("  definition: |\n")
	g.openapi(b, name, "    ")
}

// openapi writes an OpenAPI 3 document of a few KB, indented by ind.
func (g *generator) openapi(b *strings.Builder, name, ind string) {
	w := func(depth int, format string, args ...any) {
		b.WriteString(ind)
		b.WriteString(strings.Repeat("  ", depth))
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	res := strings.TrimSuffix(name, "-api")
	w(0, "openapi: 3.0.3")
	w(0, "info:")
	w(1, "title: %s", title(name))
	w(1, "version: %d.%d.%d", 1+g.rng.Intn(3), g.rng.Intn(20), g.rng.Intn(10))
	w(1, "description: REST API of the %s service.", res)
	w(0, "servers:")
	w(1, "- url: https://api.acme.example/%s/v1", res)
	w(0, "paths:")
	nres := 1 + g.rng.Intn(2)
	var schemas []string
	for r := 0; r < nres; r++ {
		thing := g.pick(words)
		schema := title(thing)
		schema = strings.ReplaceAll(schema, " ", "")
		schemas = append(schemas, schema)
		w(1, "/%ss:", thing)
		w(2, "get:")
		w(3, "summary: List %ss", thing)
		w(3, "operationId: list%ss", schema)
		w(3, "parameters:")
		for _, p := range []string{"page", "limit"} {
			w(4, "- name: %s", p)
			w(5, "in: query")
			w(5, "schema:")
			w(6, "type: integer")
		}
		w(3, "responses:")
		w(4, "'200':")
		w(5, "description: A page of %ss", thing)
		w(5, "content:")
		w(6, "application/json:")
		w(7, "schema:")
		w(8, "type: array")
		w(8, "items:")
		w(9, "$ref: '#/components/schemas/%s'", schema)
		w(2, "post:")
		w(3, "summary: Create a %s", thing)
		w(3, "operationId: create%s", schema)
		w(3, "requestBody:")
		w(4, "required: true")
		w(4, "content:")
		w(5, "application/json:")
		w(6, "schema:")
		w(7, "$ref: '#/components/schemas/%s'", schema)
		w(3, "responses:")
		w(4, "'201':")
		w(5, "description: Created")
		w(4, "'422':")
		w(5, "description: Validation error")
		w(1, "/%ss/{id}:", thing)
		for _, m := range []string{"get", "put", "delete"} {
			w(2, "%s:", m)
			w(3, "summary: %s a %s by id", strings.ToUpper(m[:1])+m[1:], thing)
			w(3, "parameters:")
			w(4, "- name: id")
			w(5, "in: path")
			w(5, "required: true")
			w(5, "schema:")
			w(6, "type: string")
			w(6, "format: uuid")
			w(3, "responses:")
			w(4, "'200':")
			w(5, "description: OK")
			w(4, "'404':")
			w(5, "description: Not found")
		}
	}
	w(0, "components:")
	w(1, "schemas:")
	for _, s := range schemas {
		w(2, "%s:", s)
		w(3, "type: object")
		w(3, "required:")
		w(4, "- id")
		w(3, "properties:")
		w(4, "id:")
		w(5, "type: string")
		w(5, "format: uuid")
		for f, nf := 0, 4+g.rng.Intn(8); f < nf; f++ {
			t := g.pick(fieldTypes)
			w(4, "%s%d:", g.pick(words), f)
			w(5, "type: %s", t)
			if fm := g.pick(fieldFormats[t]); fm != "" {
				w(5, "format: %s", fm)
			}
		}
	}
}

func (g *generator) resource(b *strings.Builder, name string, d defect) {
	g.meta(b, name, "Managed infrastructure", d, 2)
	if g.rng.Intn(2) == 0 {
		b.WriteString("  annotations:\n")
		fmt.Fprintf(b, "    backstage.io/managed-by-location: url:https://github.com/acme/infra/tree/main/%s\n", name)
	}
	b.WriteString("spec:\n")
	if d == defectWrongType {
		b.WriteString("  type: true\n")
	} else {
		fmt.Fprintf(b, "  type: %s\n", g.pick(resourceTypes))
	}
	g.ownerLine(b, d)
	if len(g.systems) > 0 && g.rng.Intn(3) != 0 {
		fmt.Fprintf(b, "  system: %s\n", g.pick(g.systems))
	}
	var deps []string
	for _, r := range g.some(g.res, 1) {
		deps = append(deps, "resource:"+r)
	}
	if d == defectRefNoKind {
		deps = append(deps, g.pick(g.res))
	}
	list(b, "dependsOn", "", deps)
}

func (g *generator) system(b *strings.Builder, name string, d defect) {
	g.meta(b, name, "A collection of services and APIs", d, 2)
	g.links(b, name)
	b.WriteString("spec:\n")
	if d == defectWrongType {
		b.WriteString("  type: {}\n")
	}
	g.ownerLine(b, d)
	if dom := g.systemDomain[name]; dom != "" {
		fmt.Fprintf(b, "  domain: %s\n", dom)
	}
}

func (g *generator) domain(b *strings.Builder, name string, d defect) {
	g.meta(b, name, "A business domain", d, 0)
	b.WriteString("spec:\n")
	if d == defectWrongType {
		b.WriteString("  type: [a, b]\n")
	}
	g.ownerLine(b, d)
}

func (g *generator) group(b *strings.Builder, name string, d defect) {
	fmt.Fprintf(b, "  description: The %s engineering team\n", strings.TrimPrefix(name, "team-"))
	b.WriteString("spec:\n")
	if d == defectWrongType {
		b.WriteString("  type: 7\n")
	} else {
		b.WriteString("  type: team\n")
	}
	fmt.Fprintf(b, "  profile:\n    displayName: %s\n    email: %s@acme.example\n", title(name), name)
	if g.rng.Intn(3) == 0 && len(g.groups) > 1 {
		fmt.Fprintf(b, "  parent: %s\n", g.pick(g.groups))
	}
	b.WriteString("  children: []\n")
	list(b, "members", "", g.some(g.users, 4))
}

func (g *generator) user(b *strings.Builder, name string, d defect) {
	b.WriteString("spec:\n")
	fmt.Fprintf(b, "  profile:\n    displayName: %s\n    email: %s@acme.example\n", title(name), name)
	if d == defectWrongType {
		b.WriteString("  memberOf: team-none\n")
		return
	}
	if gr := g.userGroup[name]; gr != "" {
		fmt.Fprintf(b, "  memberOf:\n    - %s\n", gr)
	} else {
		b.WriteString("  memberOf: []\n")
	}
}
