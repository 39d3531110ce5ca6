package scaffold

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"
	"unicode"
)

// Segment is a run of an output line that one piece of the source wrote:
// copied text (Verbatim, column for column) or what an expression printed.
type Segment struct {
	// OutCol is the 1-based column of the output line where it starts.
	OutCol int
	// Line and Column are where in the source it comes from.
	Line, Column int
	Verbatim     bool
	// Reads are the values the expression read (values.owner, …).
	Reads []string
}

// Output is a rendered string with the map back to its source.
type Output struct {
	Text string
	// Undefined are the undefined values joined into text.
	Undefined []Undefined
	// Lines holds, for each output line (index 0 is line 1), its segments.
	Lines [][]Segment
}

// Source maps a 1-based output line and column to the source's, and tells
// the values read on that part of the line (all of the line's when the
// column is 0).
func (o *Output) Source(line, col int) (int, int, []string) {
	if line < 1 || line > len(o.Lines) || len(o.Lines[line-1]) == 0 {
		// A line only printed values wrote: find the nearest before.
		for l := min(line, len(o.Lines)) - 1; l >= 0; l-- {
			if segs := o.Lines[l]; len(segs) > 0 {
				s := segs[len(segs)-1]
				return s.Line, s.Column, s.Reads
			}
		}
		return 1, 1, nil
	}
	segs := o.Lines[line-1]
	var reads []string
	seg := segs[0]
	for _, s := range segs {
		if col > 0 && s.OutCol <= col {
			seg = s
		}
		reads = append(reads, s.Reads...)
	}
	if col > 0 {
		reads = seg.Reads
	}
	c := seg.Column
	if seg.Verbatim && col >= seg.OutCol {
		c = seg.Column + col - seg.OutCol
	}
	if col == 0 {
		c = segs[0].Column
	}
	return seg.Line, c, uniq(reads)
}

// Reads are the values read by what wrote columns from to to (exclusive)
// of an output line.
func (o *Output) Reads(line, from, to int) []string {
	if line < 1 || line > len(o.Lines) {
		return nil
	}
	segs := o.Lines[line-1]
	var out []string
	for i, s := range segs {
		end := 1 << 30
		if i+1 < len(segs) {
			end = segs[i+1].OutCol
		}
		if s.OutCol < to && end > from || s.OutCol == from {
			out = append(out, s.Reads...)
		}
	}
	return uniq(out)
}

func uniq(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

type renderer struct {
	t     *Template
	out   strings.Builder
	lines [][]Segment
	col   int // 1-based column of the next byte on the current output line
	steps int
	scope []map[string]any
	// reads collects the values an expression reads; readRoot names the
	// context variable whose reads count ("values", "parameters").
	reads    []string
	readRoot map[string]bool
	// setReads are the values a {% set %} variable was made of.
	setReads map[string][]string
	undefs   []Undefined
	err      error
}

// Render renders the template with the context.
func (t *Template) Render(ctx map[string]any) (*Output, error) {
	r := &renderer{t: t, scope: []map[string]any{ctx}, col: 1, lines: [][]Segment{nil},
		readRoot: map[string]bool{"values": true, "parameters": true, "cookiecutter": true}}
	r.nodes(t.nodes)
	if r.err != nil {
		return nil, r.err
	}
	return &Output{Text: r.out.String(), Lines: r.lines, Undefined: r.undefs}, nil
}

func (r *renderer) fail(off int, format string, args ...any) {
	if r.err == nil {
		line, col := r.t.position(off)
		r.err = &Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
}

func (r *renderer) tick(off int) bool {
	r.steps++
	if r.steps > maxSteps {
		r.fail(off, "the template takes over %d steps to render", maxSteps)
	}
	return r.err == nil
}

// write appends s, which the source wrote at off (verbatim or as an
// expression's value).
func (r *renderer) write(s string, off int, verbatim bool, reads []string) {
	if r.err != nil {
		return
	}
	if s == "" {
		if !verbatim {
			// An expression that printed nothing still owns its place.
			line, col := r.t.position(off)
			cur := &r.lines[len(r.lines)-1]
			*cur = append(*cur, Segment{OutCol: r.col, Line: line, Column: col, Reads: reads})
		}
		return
	}
	if r.out.Len()+len(s) > maxOutput {
		r.fail(off, "the rendered output is over %d bytes", maxOutput)
		return
	}
	line, col := r.t.position(off)
	for len(s) > 0 {
		nl := strings.IndexByte(s, '\n')
		chunk := s
		if nl >= 0 {
			chunk = s[:nl]
		}
		if chunk != "" || nl >= 0 {
			cur := &r.lines[len(r.lines)-1]
			*cur = append(*cur, Segment{OutCol: r.col, Line: line, Column: col, Verbatim: verbatim, Reads: reads})
		}
		r.out.WriteString(chunk)
		r.col += len([]rune(chunk))
		if nl < 0 {
			break
		}
		r.out.WriteByte('\n')
		r.lines = append(r.lines, nil)
		r.col = 1
		s = s[nl+1:]
		if verbatim {
			line, col = line+1, 1
		}
	}
}

func (r *renderer) nodes(ns []node) {
	for _, n := range ns {
		if r.err != nil {
			return
		}
		switch n := n.(type) {
		case *textNode:
			r.write(r.t.src[n.start:n.end], n.start, true, nil)
		case *outNode:
			if !r.tick(n.off) {
				return
			}
			r.reads = r.reads[:0]
			v := r.eval(n.e, n.off)
			r.write(toString(v), n.off, false, uniq(r.reads))
		case *ifNode:
			done := false
			for i, c := range n.conds {
				if truthy(r.eval(c, 0)) {
					r.nodes(n.bodies[i])
					done = true
					break
				}
			}
			if !done {
				r.nodes(n.els)
			}
		case *forNode:
			r.forLoop(n)
		case *setNode:
			r.reads = r.reads[:0]
			v := r.eval(n.e, 0)
			for _, name := range n.names {
				r.scope[len(r.scope)-1][name] = v
				if r.setReads == nil {
					r.setReads = map[string][]string{}
				}
				r.setReads[name] = append([]string(nil), r.reads...)
			}
		}
	}
}

func (r *renderer) forLoop(n *forNode) {
	it := r.eval(n.iter, 0)
	type pair struct{ k, v any }
	var items []pair
	switch x := it.(type) {
	case []any:
		for _, e := range x {
			items = append(items, pair{nil, e})
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			items = append(items, pair{k, x[k]})
		}
	case string:
		for _, c := range x {
			items = append(items, pair{nil, string(c)})
		}
	case Unknown:
		// A list the template cannot know: one item, itself unknown, so
		// the body is rendered (and its fields not judged).
		items = append(items, pair{x, x})
	}
	if len(items) == 0 {
		r.nodes(n.els)
		return
	}
	frame := map[string]any{}
	r.scope = append(r.scope, frame)
	defer func() { r.scope = r.scope[:len(r.scope)-1] }()
	for i, it := range items {
		if !r.tick(0) {
			return
		}
		switch {
		case len(n.vars) == 1:
			frame[n.vars[0]] = it.v
		case it.k != nil:
			frame[n.vars[0]], frame[n.vars[1]] = it.k, it.v
		case isUnknown(it.v):
			for _, name := range n.vars {
				frame[name] = it.v
			}
		default:
			arr, _ := it.v.([]any)
			for j, name := range n.vars {
				if j < len(arr) {
					frame[name] = arr[j]
				} else {
					frame[name] = undefined
				}
			}
		}
		frame["loop"] = map[string]any{
			"index": float64(i + 1), "index0": float64(i), "first": i == 0, "last": i == len(items)-1,
			"length": float64(len(items)), "revindex": float64(len(items) - i), "revindex0": float64(len(items) - i - 1),
		}
		r.nodes(n.body)
	}
}

func (r *renderer) lookup(name string) any {
	for i := len(r.scope) - 1; i >= 0; i-- {
		if v, ok := r.scope[i][name]; ok {
			return v
		}
	}
	return undefined
}

// member is Nunjucks' memberLookup: a key of an object or an index of an
// array or string; undefined otherwise (and of undefined or null).
func member(obj, key any) any {
	switch x := obj.(type) {
	case Unknown:
		return x
	case map[string]any:
		if v, ok := x[toString(key)]; ok {
			return v
		}
	case []any:
		if k, ok := key.(float64); ok {
			i := int(k)
			if i < 0 {
				i += len(x)
			}
			if i >= 0 && i < len(x) && float64(int(k)) == k {
				return x[i]
			}
		}
		if toString(key) == "length" {
			return float64(len(x))
		}
	case string:
		if toString(key) == "length" {
			return float64(len([]rune(x)))
		}
		if k, ok := key.(float64); ok {
			rs := []rune(x)
			if i := int(k); i >= 0 && i < len(rs) {
				return string(rs[i])
			}
		}
	}
	return undefined
}

// pathOf is values.a.b for an expression that reads a context variable
// (for messages), or "".
func pathOf(e expr) string {
	switch x := e.(type) {
	case *nameExpr:
		return x.name
	case *attrExpr:
		base := pathOf(x.obj)
		k, ok := x.key.(*litExpr)
		if base == "" || !ok {
			return base
		}
		return base + "." + toString(k.v)
	}
	return ""
}

func (r *renderer) eval(e expr, off int) any {
	if r.err != nil || !r.tick(off) {
		return undefined
	}
	switch x := e.(type) {
	case *litExpr:
		return x.v
	case *nameExpr:
		v := r.lookup(x.name)
		if r.readRoot[x.name] {
			r.reads = append(r.reads, x.name)
		}
		r.reads = append(r.reads, r.setReads[x.name]...)
		return v
	case *attrExpr:
		obj := r.eval(x.obj, off)
		key := r.eval(x.key, off)
		if p := pathOf(x); p != "" {
			if root, _, _ := strings.Cut(p, "."); r.readRoot[root] {
				// Keep the deepest path: values.repoUrl, not values.
				if n := len(r.reads); n > 0 && strings.HasPrefix(p, r.reads[n-1]+".") {
					r.reads = r.reads[:n-1]
				}
				if strings.Count(p, ".") <= 2 {
					r.reads = append(r.reads, p)
				}
			}
		}
		return member(obj, key)
	case *callExpr:
		return r.call(x, off)
	case *filterExpr:
		v := r.eval(x.arg, off)
		args := make([]any, len(x.args))
		for i, a := range x.args {
			args[i] = r.eval(a, off)
		}
		out, err := applyFilter(x.name, v, args)
		if err != nil {
			r.fail(x.off, "%v", err)
			return undefined
		}
		return out
	case *unExpr:
		v := r.eval(x.x, off)
		switch x.op {
		case "not":
			return !truthy(v)
		case "-":
			if u, ok := v.(Unknown); ok {
				return u
			}
			return -toNumber(v)
		default:
			if u, ok := v.(Unknown); ok {
				return u
			}
			return toNumber(v)
		}
	case *binExpr:
		v := r.binary(x, off)
		if str, ok := v.(string); ok && len(str) > maxOutput {
			r.fail(off, "a value is over %d bytes", maxOutput)
			return undefined
		}
		return v
	case *condExpr:
		if truthy(r.eval(x.cond, off)) {
			return r.eval(x.yes, off)
		}
		return r.eval(x.no, off)
	case *listExpr:
		out := make([]any, len(x.items))
		for i, it := range x.items {
			out[i] = r.eval(it, off)
		}
		return out
	case *dictExpr:
		out := map[string]any{}
		for i := range x.keys {
			out[toString(r.eval(x.keys[i], off))] = r.eval(x.vals[i], off)
		}
		return out
	case *testExpr:
		v := r.eval(x.x, off)
		var res bool
		switch x.name {
		case "defined":
			_, u := v.(undefinedT)
			res = !u
		case "undefined":
			_, res = v.(undefinedT)
		case "none", "null":
			res = v == nil
		case "string":
			_, res = v.(string)
		case "number":
			_, res = v.(float64)
		case "mapping":
			_, res = v.(map[string]any)
		case "truthy":
			res = truthy(v)
		case "falsy":
			res = !truthy(v)
		case "equalto", "eq", "sameas":
			if len(x.args) > 0 {
				res = strictEqual(v, r.eval(x.args[0], off))
			}
		default:
			r.fail(off, "the test %q is not supported", x.name)
		}
		if _, ok := v.(Unknown); ok && x.name != "defined" && x.name != "undefined" {
			return v
		}
		if x.neg {
			return !res
		}
		return res
	}
	return undefined
}

func (r *renderer) binary(x *binExpr, off int) any {
	switch x.op {
	case "and":
		l := r.eval(x.l, off)
		if !truthy(l) {
			return l
		}
		return r.eval(x.r, off)
	case "or":
		l := r.eval(x.l, off)
		if truthy(l) {
			return l
		}
		return r.eval(x.r, off)
	}
	l, rv := r.eval(x.l, off), r.eval(x.r, off)
	switch x.op {
	case "==":
		return equal(l, rv)
	case "!=":
		return !equal(l, rv)
	case "===":
		return strictEqual(l, rv)
	case "!==":
		return !strictEqual(l, rv)
	case "~":
		r.undefinedUse(x, l, rv, off)
		return jsString(l) + jsString(rv)
	case "in":
		switch c := rv.(type) {
		case []any:
			for _, e := range c {
				if strictEqual(e, l) {
					return true
				}
			}
			return false
		case string:
			return strings.Contains(c, toString(l))
		case map[string]any:
			_, ok := c[toString(l)]
			return ok
		case Unknown:
			return c
		}
		r.fail(off, "Cannot use \"in\" operator to search for %q in unexpected types", toString(l))
		return undefined
	}
	if u, ok := l.(Unknown); ok {
		return u
	}
	if u, ok := rv.(Unknown); ok {
		return u
	}
	switch x.op {
	case "+":
		_, ls := l.(string)
		_, rs := rv.(string)
		if ls || rs || !isPrimitive(l) || !isPrimitive(rv) {
			r.undefinedUse(x, l, rv, off)
			return jsString(l) + jsString(rv)
		}
		return toNumber(l) + toNumber(rv)
	case "-":
		return toNumber(l) - toNumber(rv)
	case "*":
		return toNumber(l) * toNumber(rv)
	case "/":
		return toNumber(l) / toNumber(rv)
	case "//":
		return math.Floor(toNumber(l) / toNumber(rv))
	case "%":
		return math.Mod(toNumber(l), toNumber(rv))
	case "**":
		return math.Pow(toNumber(l), toNumber(rv))
	case "<", ">", "<=", ">=":
		ls, lok := l.(string)
		rs, rok := rv.(string)
		if lok && rok {
			switch x.op {
			case "<":
				return ls < rs
			case ">":
				return ls > rs
			case "<=":
				return ls <= rs
			}
			return ls >= rs
		}
		a, b := toNumber(l), toNumber(rv)
		switch x.op {
		case "<":
			return a < b
		case ">":
			return a > b
		case "<=":
			return a <= b
		}
		return a >= b
	}
	return undefined
}

// jsString is JavaScript's String(v), as its + and Nunjucks' ~ join
// values: undefined and null are written out, unlike in {{ }} output.
func jsString(v any) string {
	switch v.(type) {
	case undefinedT:
		return "undefined"
	case nil:
		return "null"
	}
	return toString(v)
}

// Undefined is a value the template reads but nobody set, joined into text
// with + or ~: JavaScript writes "undefined" into the file.
type Undefined struct {
	Line, Column int
	Path         string
}

// undefinedUse records the operands of a string join that are undefined
// values of the context (values.x, cookiecutter.x).
func (r *renderer) undefinedUse(x *binExpr, l, rv any, off int) {
	for _, side := range []struct {
		v any
		e expr
	}{{l, x.l}, {rv, x.r}} {
		if _, ok := side.v.(undefinedT); !ok {
			continue
		}
		p := pathOf(side.e)
		if root, _, _ := strings.Cut(p, "."); p == "" || !r.readRoot[root] {
			continue
		}
		line, col := r.t.position(off)
		r.undefs = append(r.undefs, Undefined{Line: line, Column: col, Path: p})
	}
}

func isPrimitive(v any) bool {
	switch v.(type) {
	case nil, undefinedT, bool, float64:
		return true
	}
	return false
}

// call runs the few functions templates call: range() and the string and
// array methods JavaScript gives their values.
func (r *renderer) call(x *callExpr, off int) any {
	args := make([]any, len(x.args))
	for i, a := range x.args {
		args[i] = r.eval(a, off)
	}
	if n, ok := x.fn.(*nameExpr); ok && n.name == "range" {
		lo, hi, step := 0.0, 0.0, 1.0
		switch len(args) {
		case 1:
			hi = toNumber(args[0])
		case 2, 3:
			lo, hi = toNumber(args[0]), toNumber(args[1])
			if len(args) == 3 {
				step = toNumber(args[2])
			}
		}
		var out []any
		for i := lo; (step > 0 && i < hi) || (step < 0 && i > hi); i += step {
			if !r.tick(off) {
				return undefined
			}
			out = append(out, i)
		}
		return out
	}
	a, ok := x.fn.(*attrExpr)
	if !ok {
		r.fail(off, "only range() and methods of values can be called")
		return undefined
	}
	recv := r.eval(a.obj, off)
	name := toString(r.eval(a.key, off))
	if u, ok := recv.(Unknown); ok {
		return u
	}
	str := func(i int) string {
		if i < len(args) {
			return toString(args[i])
		}
		return ""
	}
	switch s := recv.(type) {
	case string:
		switch name {
		case "toLowerCase":
			return strings.ToLower(s)
		case "toUpperCase":
			return strings.ToUpper(s)
		case "trim":
			return strings.TrimSpace(s)
		case "startsWith":
			return strings.HasPrefix(s, str(0))
		case "endsWith":
			return strings.HasSuffix(s, str(0))
		case "includes":
			return strings.Contains(s, str(0))
		case "replace":
			return strings.Replace(s, str(0), str(1), 1)
		case "replaceAll":
			return strings.ReplaceAll(s, str(0), str(1))
		case "split":
			var out []any
			for _, p := range strings.Split(s, str(0)) {
				out = append(out, p)
			}
			return out
		case "slice", "substring", "substr":
			rs := []rune(s)
			lo, hi := 0, len(rs)
			if len(args) > 0 {
				lo = int(toNumber(args[0]))
			}
			if len(args) > 1 {
				hi = int(toNumber(args[1]))
				if name == "substr" {
					hi = lo + hi
				}
			}
			if lo < 0 {
				lo = max(0, len(rs)+lo)
			}
			if hi < 0 {
				hi = max(0, len(rs)+hi)
			}
			lo, hi = min(lo, len(rs)), min(hi, len(rs))
			if lo > hi {
				return ""
			}
			return string(rs[lo:hi])
		case "indexOf":
			return float64(strings.Index(s, str(0)))
		case "toString":
			return s
		}
	case []any:
		switch name {
		case "join":
			sep := ","
			if len(args) > 0 {
				sep = toString(args[0])
			}
			return toString(strings.Join(mapStrings(s), sep))
		case "includes":
			for _, e := range s {
				if len(args) > 0 && strictEqual(e, args[0]) {
					return true
				}
			}
			return false
		case "slice":
			lo, hi := 0, len(s)
			if len(args) > 0 {
				lo = min(max(0, int(toNumber(args[0]))), len(s))
			}
			if len(args) > 1 {
				hi = min(max(lo, int(toNumber(args[1]))), len(s))
			}
			return append([]any(nil), s[lo:hi]...)
		}
	}
	r.fail(off, "the method %s() is not supported", name)
	return undefined
}

func mapStrings(s []any) []string {
	out := make([]string, len(s))
	for i, e := range s {
		out[i] = toString(e)
	}
	return out
}

// applyFilter runs a Nunjucks builtin or one of the scaffolder's filters.
func applyFilter(name string, v any, args []any) (any, error) {
	arg := func(i int) any {
		if i < len(args) {
			return args[i]
		}
		return undefined
	}
	if u, ok := v.(Unknown); ok {
		switch name {
		case "default", "d":
			return u, nil
		case "dump", "jsonify":
			return dump(u, ""), nil
		case "length", "count":
			return u, nil
		}
		if _, known := filters[name]; known {
			return u, nil
		}
		return nil, fmt.Errorf("the filter %q is not supported", name)
	}
	f, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("the filter %q is not supported", name)
	}
	if isNullish(v) && failsOnNullish[name] {
		// Nunjucks calls a method of the value: a TypeError.
		return nil, fmt.Errorf("%s: Cannot read properties of %s", name, jsString(v))
	}
	return f(v, arg, len(args))
}

type filterFunc func(v any, arg func(int) any, n int) (any, error)

// failsOnNullish are the Nunjucks filters that throw on undefined or null.
var failsOnNullish = map[string]bool{"join": true, "first": true, "last": true, "trim": true, "sort": true}

var filters map[string]filterFunc

func init() {
	str := func(fn func(string) string) filterFunc {
		return func(v any, _ func(int) any, _ int) (any, error) { return fn(toString(v)), nil }
	}
	def := func(v any, arg func(int) any, _ int) (any, error) {
		_, undef := v.(undefinedT)
		if undef || (truthy(arg(1)) && !truthy(v)) {
			return arg(0), nil
		}
		return v, nil
	}
	length := func(v any, _ func(int) any, _ int) (any, error) {
		switch x := v.(type) {
		case string:
			return float64(len([]rune(x))), nil
		case []any:
			return float64(len(x)), nil
		case map[string]any:
			return float64(len(x)), nil
		}
		return 0.0, nil
	}
	dumpF := func(v any, arg func(int) any, n int) (any, error) {
		indent := ""
		switch x := arg(0).(type) {
		case float64:
			indent = strings.Repeat(" ", min(10, max(0, int(x))))
		case string:
			indent = x
		}
		out := dump(v, indent)
		if str, ok := out.(string); ok && len(str) > maxOutput {
			return nil, fmt.Errorf("dump: the result is over %d bytes", maxOutput)
		}
		return out, nil
	}
	filters = map[string]filterFunc{
		"dump":    dumpF,
		"jsonify": dumpF,
		"default": def,
		"d":       def,
		"lower":   str(strings.ToLower),
		"upper":   str(strings.ToUpper),
		"trim":    str(strings.TrimSpace),
		"string":  func(v any, _ func(int) any, _ int) (any, error) { return toString(v), nil },
		"safe":    func(v any, _ func(int) any, _ int) (any, error) { return v, nil },
		"capitalize": str(func(s string) string {
			if s == "" {
				return s
			}
			rs := []rune(strings.ToLower(s))
			rs[0] = unicode.ToUpper(rs[0])
			return string(rs)
		}),
		"title": str(func(s string) string {
			words := strings.Fields(s)
			for i, w := range words {
				rs := []rune(strings.ToLower(w))
				rs[0] = unicode.ToUpper(rs[0])
				words[i] = string(rs)
			}
			return strings.Join(words, " ")
		}),
		"urlencode": str(url.QueryEscape),
		"replace": func(v any, arg func(int) any, n int) (any, error) {
			s, old, nw := toString(v), toString(arg(0)), toString(arg(1))
			count := -1
			if n > 2 {
				count = int(toNumber(arg(2)))
			}
			if old == "" {
				return s, nil
			}
			hits := strings.Count(s, old)
			if count >= 0 && count < hits {
				hits = count
			}
			if len(s)+hits*(len(nw)-len(old)) > maxOutput {
				return nil, fmt.Errorf("replace: the result is over %d bytes", maxOutput)
			}
			return strings.Replace(s, old, nw, count), nil
		},
		"join": func(v any, arg func(int) any, n int) (any, error) {
			arr, _ := v.([]any)
			sep := ""
			if n > 0 {
				sep = toString(arg(0))
			}
			parts := make([]string, len(arr))
			size := 0
			for i, e := range arr {
				if n > 1 {
					e = member(e, arg(1))
				}
				parts[i] = toString(e)
				if size += len(parts[i]) + len(sep); size > maxOutput {
					return nil, fmt.Errorf("join: the result is over %d bytes", maxOutput)
				}
			}
			return strings.Join(parts, sep), nil
		},
		"first": func(v any, _ func(int) any, _ int) (any, error) {
			switch x := v.(type) {
			case []any:
				if len(x) > 0 {
					return x[0], nil
				}
			case string:
				if x != "" {
					return string([]rune(x)[0]), nil
				}
			}
			return undefined, nil
		},
		"last": func(v any, _ func(int) any, _ int) (any, error) {
			switch x := v.(type) {
			case []any:
				if len(x) > 0 {
					return x[len(x)-1], nil
				}
			case string:
				if rs := []rune(x); len(rs) > 0 {
					return string(rs[len(rs)-1]), nil
				}
			}
			return undefined, nil
		},
		"length": length,
		"count":  length,
		"list": func(v any, _ func(int) any, _ int) (any, error) {
			switch x := v.(type) {
			case []any:
				return x, nil
			case string:
				var out []any
				for _, c := range x {
					out = append(out, string(c))
				}
				return out, nil
			}
			return []any{}, nil
		},
		"reverse": func(v any, _ func(int) any, _ int) (any, error) {
			switch x := v.(type) {
			case []any:
				out := make([]any, len(x))
				for i, e := range x {
					out[len(x)-1-i] = e
				}
				return out, nil
			case string:
				rs := []rune(x)
				for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
					rs[i], rs[j] = rs[j], rs[i]
				}
				return string(rs), nil
			}
			return v, nil
		},
		"sort": func(v any, _ func(int) any, _ int) (any, error) {
			x, ok := v.([]any)
			if !ok {
				return v, nil
			}
			out := append([]any(nil), x...)
			// Nunjucks compares strings without case, numbers as numbers.
			key := func(v any) any {
				if s, ok := v.(string); ok {
					return strings.ToLower(s)
				}
				return v
			}
			sort.SliceStable(out, func(i, j int) bool {
				a, b := key(out[i]), key(out[j])
				as, aok := a.(string)
				bs, bok := b.(string)
				if aok && bok {
					return as < bs
				}
				if !aok && !bok {
					return toNumber(a) < toNumber(b)
				}
				return toString(a) < toString(b)
			})
			return out, nil
		},
		"int": func(v any, _ func(int) any, _ int) (any, error) {
			f := toNumber(v)
			if math.IsNaN(f) {
				return 0.0, nil
			}
			return math.Trunc(f), nil
		},
		"float": func(v any, _ func(int) any, _ int) (any, error) {
			f := toNumber(v)
			if math.IsNaN(f) {
				return 0.0, nil
			}
			return f, nil
		},
		"abs": func(v any, _ func(int) any, _ int) (any, error) { return math.Abs(toNumber(v)), nil },
		"indent": func(v any, arg func(int) any, n int) (any, error) {
			w := 4
			if n > 0 {
				w = int(toNumber(arg(0)))
			}
			pad := strings.Repeat(" ", min(max(w, 0), 100))
			lines := strings.Split(toString(v), "\n")
			for i := range lines {
				if (i > 0 || truthy(arg(1))) && lines[i] != "" {
					lines[i] = pad + lines[i]
				}
			}
			return strings.Join(lines, "\n"), nil
		},
		"truncate": func(v any, arg func(int) any, n int) (any, error) {
			s := []rune(toString(v))
			l := 255
			if n > 0 {
				l = int(toNumber(arg(0)))
			}
			if l < 0 || len(s) <= l {
				return string(s), nil
			}
			end := "..."
			if n > 2 {
				end = toString(arg(2))
			}
			if !truthy(arg(1)) {
				// Without killwords, cut at the last space at or before
				// the length, as Nunjucks does.
				idx := -1
				for i := min(l, len(s)-1); i >= 0; i-- {
					if s[i] == ' ' {
						idx = i
						break
					}
				}
				if idx >= 0 {
					l = idx
				}
			}
			return string(s[:l]) + end, nil
		},
		"parseRepoUrl":   parseRepoURLFilter,
		"projectSlug":    projectSlugFilter,
		"parseEntityRef": parseEntityRefFilter,
		"pick": func(v any, arg func(int) any, _ int) (any, error) {
			cur := v
			for _, k := range strings.Split(toString(arg(0)), ".") {
				cur = member(cur, k)
			}
			return cur, nil
		},
	}
}

// parseRepoURLFilter is the scaffolder's parseRepoUrl: a RepoUrlPicker
// value, host?owner=…&repo=… (also organization, workspace, project),
// into its parts. It fails as the scaffolder does when the value has no
// host, or no owner and repo for the hosts that need them.
func parseRepoURLFilter(v any, _ func(int) any, _ int) (any, error) {
	s := toString(v)
	u, err := url.Parse("https://" + s)
	if err != nil || u.Host == "" || s == "" {
		return nil, fmt.Errorf("parseRepoUrl: invalid repo URL passed to publisher: %q", s)
	}
	q := u.Query()
	out := map[string]any{"host": u.Host}
	for _, k := range []string{"owner", "repo", "organization", "workspace", "project"} {
		if val := q.Get(k); val != "" {
			out[k] = val
		} else {
			out[k] = undefined
		}
	}
	if _, ok := out["repo"].(string); !ok {
		return nil, fmt.Errorf("parseRepoUrl: invalid repo URL passed to publisher: %q, missing repo", s)
	}
	return out, nil
}

func projectSlugFilter(v any, arg func(int) any, n int) (any, error) {
	p, err := parseRepoURLFilter(v, arg, n)
	if err != nil {
		return nil, err
	}
	m := p.(map[string]any)
	return toString(m["owner"]) + "/" + toString(m["repo"]), nil
}

// parseEntityRefFilter is the catalog model's parseEntityRef:
// [kind:][namespace/]name, with defaultKind and defaultNamespace from the
// optional context.
func parseEntityRefFilter(v any, arg func(int) any, _ int) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("parseEntityRef: entity reference must be a string")
	}
	ctx, _ := arg(0).(map[string]any)
	kind, ns, name := "", "", s
	if k, rest, ok := strings.Cut(name, ":"); ok {
		kind, name = k, rest
	}
	if n, rest, ok := strings.Cut(name, "/"); ok {
		ns, name = n, rest
	}
	if kind == "" && ctx != nil {
		kind = toString(ctx["defaultKind"])
	}
	if ns == "" {
		ns = "default"
		if ctx != nil && toString(ctx["defaultNamespace"]) != "" {
			ns = toString(ctx["defaultNamespace"])
		}
	}
	if name == "" || kind == "" {
		return nil, fmt.Errorf("parseEntityRef: entity reference %q has no kind or name", s)
	}
	return map[string]any{"kind": kind, "namespace": ns, "name": name}, nil
}

func isUnknown(v any) bool {
	_, ok := v.(Unknown)
	return ok
}
