// Package apispec checks the definition of an API entity (spec.definition)
// against the format its spec.type names: OpenAPI 3.0/3.1/3.2 and Swagger
// 2.0 (with kin-openapi), AsyncAPI 2.x/3.x (structure), GraphQL SDL (with
// gqlparser) and Protocol Buffers for gRPC (with protocompile's parser).
//
// Problems are positioned in the file they are in: the definition's own
// file when it was read through a placeholder, or the catalog file for an
// inline definition (shifted by the line its block starts at), or a file
// that a $ref of the definition points at.
package apispec

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/catalint-dev/catalint/pkg/load"
)

// Severities of problems.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityNotice  = "notice"
)

// Problem is one finding about a definition.
type Problem struct {
	// File is the file the problem is in: the file argument of Check for
	// the definition itself, or the absolute path of a file a $ref names.
	File string
	// Line and Column are 1-based. For an inline definition, Line is a
	// line of the catalog file and Column counts from the start of the
	// block's content (add the block's indentation, see BlockStart).
	Line, Column int
	Message      string
	// Severity is "error", "warning" or "notice".
	Severity string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Column, p.Severity, p.Message)
}

// Result is what Check found.
type Result struct {
	// Type is the spec.type that was checked.
	Type string
	// Verified is false when the definition was not checked at all: a type
	// catalint does not know, or a remote definition. Reason says why.
	Verified bool
	Reason   string
	Problems []Problem
	// Version is the format's version the definition declares: "3.1.0",
	// "2.0" (Swagger), "2.6.0" (AsyncAPI), "proto3"; "" when unknown.
	Version string
}

// MaxFileSize is the largest file a $ref may name.
var MaxFileSize int64 = 5 << 20

// Types are the spec.type values that Check verifies.
var Types = []string{"openapi", "asyncapi", "graphql", "grpc"}

// Check parses one definition of the given spec.type and reports its
// problems. text is the definition; file is where it came from: the
// placeholder's file (then lineOffset is 0 or 1), or the catalog file with
// lineOffset the line where the inline block's content starts. root
// confines the files that $refs may read (empty: file's folder).
func Check(ctx context.Context, typ, text, file string, lineOffset int, root string) Result {
	return check(ctx, typ, text, file, lineOffset, root, "")
}

// check is Check; wd, when not "", is the working folder relative paths
// are made absolute against (else the system is asked).
func check(ctx context.Context, typ, text, file string, lineOffset int, root, wd string) Result {
	res := Result{Type: typ}
	if load.IsRemote(file) {
		res.Reason = fmt.Sprintf("the definition at %s is remote and is not fetched", file)
		return res
	}
	if !slices.Contains(Types, typ) {
		res.Reason = unknownType(typ)
		return res
	}
	res.Verified = true
	c := newChecker(ctx, text, file, lineOffset, root, wd, &res)
	if strings.TrimSpace(text) == "" {
		c.report(SeverityError, pos{line: 1, col: 1}, "the definition is empty")
		return res
	}
	if err := ctx.Err(); err != nil {
		c.report(SeverityNotice, pos{line: 1, col: 1}, "the definition was not checked: "+err.Error())
		return res
	}
	switch typ {
	case "openapi":
		c.openapi()
	case "asyncapi":
		c.asyncapi()
	case "graphql":
		c.graphql()
	case "grpc":
		c.grpc()
	}
	slices.SortStableFunc(res.Problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return res
}

// typeHints are spec.types people write for one catalint checks.
var typeHints = map[string]string{
	"swagger": "openapi", "oas": "openapi", "oas3": "openapi", "open-api": "openapi", "openapi3": "openapi", "rest": "openapi",
	"async-api": "asyncapi", "gql": "graphql", "graph-ql": "graphql", "proto": "grpc", "protobuf": "grpc", "gRPC": "grpc",
}

func unknownType(typ string) string {
	for _, t := range Types {
		if strings.EqualFold(t, typ) {
			return fmt.Sprintf("spec.type %q is not %q: Backstage's API docs match the type exactly, so this definition is shown as plain text", typ, t)
		}
	}
	if t, ok := typeHints[strings.ToLower(typ)]; ok {
		return fmt.Sprintf("spec.type %q is not one Backstage's API docs render (did you mean %q? it covers Swagger 2.0 and OpenAPI 3), so the definition is not checked", typ, t)
	}
	if typ == "trpc" {
		return "spec.type \"trpc\" is rendered by Backstage's API docs but not checked by catalint"
	}
	return fmt.Sprintf("spec.type %q is not one catalint can check (%s), so the definition is not checked", typ, strings.Join(Types, ", "))
}

// checker holds one Check's state.
type checker struct {
	ctx  context.Context
	text []byte
	file string // as given, for problems of the text
	abs  string // absolute path of file
	dir  string // folder relative $refs are read from
	off  int    // line of file that is line 1 of text
	root string // absolute root
	res  *Result
	seen map[Problem]bool
	dups bool // the text has duplicate keys, which the loaders reject
}

func newChecker(ctx context.Context, text, file string, lineOffset int, root, wd string, res *Result) *checker {
	c := &checker{ctx: ctx, text: []byte(text), file: file, off: max(lineOffset, 1), res: res, seen: map[Problem]bool{}}
	c.abs = file
	if a, err := absIn(wd, file); err == nil {
		c.abs = a
	}
	c.dir = filepath.Dir(c.abs)
	if root == "" {
		root = c.dir
	}
	c.root = root
	if a, err := absIn(wd, root); err == nil {
		c.root = a
	}
	return c
}

// absIn is filepath.Abs, against wd when it is not "".
func absIn(wd, p string) (string, error) {
	if wd == "" || filepath.IsAbs(p) {
		return filepath.Abs(p)
	}
	return filepath.Join(wd, p), nil
}

// report records a problem once.
func (c *checker) report(sev string, p pos, msg string) {
	pr := Problem{File: p.file, Line: p.line, Column: p.col, Message: msg, Severity: sev}
	if p.file == "" {
		pr.File = c.file
		pr.Line = max(p.line, 1) + c.off - 1
	}
	if pr.Line < 1 {
		pr.Line = 1
	}
	if pr.Column < 1 {
		pr.Column = 1
	}
	if c.seen[pr] {
		return
	}
	c.seen[pr] = true
	c.res.Problems = append(c.res.Problems, pr)
}

// tree parses the text as YAML/JSON and reports syntax errors, duplicate
// keys and an empty document. It returns nil when there is nothing to check.
func (c *checker) tree(format string) *yamlNode {
	n, p, msg := parseTree(c.text)
	if p != nil {
		c.report(SeverityError, *p, fmt.Sprintf("the %s definition is not valid YAML or JSON: %s", format, msg))
		return nil
	}
	if n == nil {
		c.report(SeverityError, pos{line: 1, col: 1}, "the definition is empty (it holds only comments)")
		return nil
	}
	duplicateKeys(n, func(p pos, msg string) {
		c.report(SeverityError, p, msg)
		c.dups = true
	})
	return n
}

// placeholderText reports a definition whose text is a placeholder written
// inside a block scalar ("definition: |" then "$text: ./api.yaml"), which
// Backstage takes literally.
func placeholderText(c *checker, root *yamlNode) bool {
	ks := keys(root)
	if len(ks) != 1 || !strings.HasPrefix(ks[0], "$") {
		return false
	}
	switch ks[0] {
	case "$text", "$json", "$yaml", "$openapi", "$asyncapi":
	default:
		return false
	}
	c.report(SeverityError, at(root), fmt.Sprintf("the definition is the text %q, not the file it names: a placeholder must be a mapping in the catalog file (definition:, then %s: on the next line), not inside a block scalar (|)", ks[0]+": "+root.Content[1].Value, ks[0]))
	return true
}
