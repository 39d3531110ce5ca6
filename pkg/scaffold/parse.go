package scaffold

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Syntax is the tag syntax of a template: the scaffolder's ${{ }} variables,
// or {{ }} with cookiecutterCompat.
type Syntax struct {
	VarStart, VarEnd string
	// TrimBlocks drops the first newline after a block tag; LstripBlocks
	// the blanks before a block tag that starts its line (the fetch
	// action's trimBlocks and lstripBlocks inputs).
	TrimBlocks, LstripBlocks bool
}

// Scaffolder is the syntax of fetch:template.
var Scaffolder = Syntax{VarStart: "${{", VarEnd: "}}"}

// Compat is the syntax of fetch:template with cookiecutterCompat.
var Compat = Syntax{VarStart: "{{", VarEnd: "}}"}

// Error is a template that cannot be rendered, at a position of its source.
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg) }

// limits keep hostile templates from hanging or filling memory.
const (
	maxDepth  = 64      // nesting of blocks and expressions
	maxOutput = 1 << 20 // bytes rendered per template string
	maxSteps  = 200_000 // loop iterations and node evaluations per render
)

type tokKind uint8

const (
	tName tokKind = iota
	tString
	tNumber
	tOp
)

type token struct {
	kind tokKind
	val  string
	off  int
}

// part is a piece of the source: text, a variable or a block tag.
type partKind uint8

const (
	pText partKind = iota
	pVar
	pBlock
)

type part struct {
	kind       partKind
	start, end int // text: the bytes of the source it copies
	toks       []token
	off        int // tags: where the tag starts
}

type lexer struct {
	src string
	syn Syntax
}

// split cuts the source into text and tags, applying whitespace control.
func (lx *lexer) split() ([]part, error) {
	src, syn := lx.src, lx.syn
	var parts []part
	i := 0
	trimNext := false // the previous tag ended with -%} / -}}
	newlineNext := false
	// Where each opener next occurs (-1: nowhere after): searched again
	// only once passed, so that a file with many tags is read once per
	// opener, not once per tag.
	openers := []string{"{%", syn.VarStart, "{#"}
	at := []int{-2, -2, -2}
	for i <= len(src) {
		// The next tag.
		next, which := -1, ""
		for k, open := range openers {
			if at[k] != -1 && at[k] < i {
				at[k] = -1
				if j := strings.Index(src[i:], open); j >= 0 {
					at[k] = i + j
				}
			}
			if j := at[k]; j >= 0 && (next < 0 || j < next || (j == next && len(open) > len(which))) {
				next, which = j, open
			}
		}
		textEnd := next
		if next < 0 {
			textEnd = len(src)
		}
		ts, te := i, textEnd
		if trimNext {
			for ts < te && isSpace(src[ts]) {
				ts++
			}
		}
		if newlineNext && ts < te {
			if src[ts] == '\n' {
				ts++
			} else if strings.HasPrefix(src[ts:te], "\r\n") {
				ts += 2
			}
		}
		trimNext, newlineNext = false, false
		if next >= 0 {
			after := next + len(which)
			if after < len(src) && src[after] == '-' {
				for te > ts && isSpace(src[te-1]) {
					te--
				}
			} else if which == "{%" && syn.LstripBlocks {
				k := te
				for k > ts && (src[k-1] == ' ' || src[k-1] == '\t') {
					k--
				}
				if k == 0 || src[k-1] == '\n' {
					te = k
				}
			}
		}
		if te > ts {
			parts = append(parts, part{kind: pText, start: ts, end: te})
		}
		if next < 0 {
			break
		}
		j := next + len(which)
		if j < len(src) && src[j] == '-' {
			j++
		}
		switch which {
		case "{#":
			k := strings.Index(src[j:], "#}")
			if k < 0 {
				return nil, lx.errAt(next, "comment is not closed")
			}
			end := j + k
			if end > j && src[end-1] == '-' {
				trimNext = true
			}
			i = end + 2
			newlineNext = syn.TrimBlocks
			continue
		}
		closer := syn.VarEnd
		kind := pVar
		if which == "{%" {
			closer, kind = "%}", pBlock
		}
		toks, end, trim, err := lx.tokens(j, closer)
		if err != nil {
			return nil, err
		}
		if kind == pBlock && len(toks) > 0 && toks[0].kind == tName && toks[0].val == "raw" {
			k := strings.Index(src[end:], "endraw")
			if k < 0 {
				return nil, lx.errAt(next, "raw block is not closed")
			}
			tagStart := strings.LastIndex(src[:end+k], "{%")
			closeEnd := strings.Index(src[end+k:], "%}")
			if tagStart < end || closeEnd < 0 {
				return nil, lx.errAt(next, "raw block is not closed")
			}
			parts = append(parts, part{kind: pText, start: end, end: tagStart})
			i = end + k + closeEnd + 2
			continue
		}
		parts = append(parts, part{kind: kind, toks: toks, off: next})
		trimNext = trim
		newlineNext = kind == pBlock && syn.TrimBlocks
		i = end
	}
	return parts, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (lx *lexer) errAt(off int, format string, args ...any) *Error {
	line, col := position(lx.src, off)
	return &Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func position(src string, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1) + 1
	return line, col
}

var ops = []string{"===", "!==", "==", "!=", "<=", ">=", "**", "//", "<", ">", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "=", "?"}

// tokens lexes a tag's content from i up to closer; it returns the tokens,
// the offset after the closer, and whether the closer had a '-'.
func (lx *lexer) tokens(i int, closer string) ([]token, int, bool, error) {
	src := lx.src
	var toks []token
	start := i
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return nil, 0, false, lx.errAt(start, "tag is not closed (expected %s)", closer)
		}
		if strings.HasPrefix(src[i:], "-"+closer) {
			return toks, i + 1 + len(closer), true, nil
		}
		if strings.HasPrefix(src[i:], closer) {
			return toks, i + len(closer), false, nil
		}
		if len(toks) > 10_000 {
			return nil, 0, false, lx.errAt(start, "tag is too long")
		}
		c := src[i]
		switch {
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					default:
						b.WriteByte(src[j])
					}
					continue
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, 0, false, lx.errAt(i, "string is not closed")
			}
			toks = append(toks, token{tString, b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' && j+1 < len(src) && src[j+1] >= '0' && src[j+1] <= '9') {
				j++
			}
			toks = append(toks, token{tNumber, src[i:j], i})
			i = j
		case c == '_' || c == '$' || c < 0x80 && unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] < 0x80 && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])))) {
				j++
			}
			toks = append(toks, token{tName, src[i:j], i})
			i = j
		default:
			matched := false
			for _, op := range ops {
				if strings.HasPrefix(src[i:], op) {
					toks = append(toks, token{tOp, op, i})
					i += len(op)
					matched = true
					break
				}
			}
			if !matched {
				return nil, 0, false, lx.errAt(i, "unexpected character %q", string(c))
			}
		}
	}
}

// Nodes of a parsed template.
type node interface{}

type textNode struct{ start, end int }

type outNode struct {
	e   expr
	off int
}

type ifNode struct {
	conds  []expr
	bodies [][]node
	els    []node
}

type forNode struct {
	vars []string
	iter expr
	body []node
	els  []node
}

type setNode struct {
	names []string
	e     expr
}

// Expressions.
type expr interface{}

type (
	litExpr  struct{ v any }
	nameExpr struct{ name string }
	attrExpr struct{ obj, key expr }
	callExpr struct {
		fn   expr
		args []expr
	}
	filterExpr struct {
		name string
		arg  expr
		args []expr
		off  int
	}
	unExpr struct {
		op string
		x  expr
	}
	binExpr struct {
		op   string
		l, r expr
	}
	condExpr struct{ cond, yes, no expr }
	listExpr struct{ items []expr }
	dictExpr struct{ keys, vals []expr }
	testExpr struct {
		x    expr
		name string
		neg  bool
		args []expr
	}
)

// Template is a parsed template string.
type Template struct {
	src   string
	syn   Syntax
	nodes []node
	// lines are the offsets where the source's lines start, built on
	// first use.
	lines []int
}

// position is the line and column of an offset of the source, found in
// the line index (not by counting from the start: a long template with
// many expressions stays linear).
func (t *Template) position(off int) (int, int) {
	if t.lines == nil {
		t.lines = append(t.lines, 0)
		for i := 0; i < len(t.src); i++ {
			if t.src[i] == '\n' {
				t.lines = append(t.lines, i+1)
			}
		}
	}
	off = min(max(off, 0), len(t.src))
	l := sort.SearchInts(t.lines, off+1) - 1
	return l + 1, off - t.lines[l] + 1
}

// Parse parses a template string.
func Parse(src string, syn Syntax) (*Template, error) {
	lx := &lexer{src: src, syn: syn}
	parts, err := lx.split()
	if err != nil {
		return nil, err
	}
	p := &parser{lx: lx, parts: parts}
	nodes, end, err := p.body(0)
	if err != nil {
		return nil, err
	}
	if end != "" {
		return nil, p.errTag("unexpected {%% %s %%}", end)
	}
	return &Template{src: src, syn: syn, nodes: nodes}, nil
}

type parser struct {
	lx    *lexer
	parts []part
	i     int
	// tag is the block tag being read.
	tag  part
	toks []token
	ti   int
}

func (p *parser) errTag(format string, args ...any) error {
	return p.lx.errAt(p.tag.off, format, args...)
}

// body reads nodes up to a block tag that ends it (endif, else, …), whose
// name it returns ("" at the end of the source).
func (p *parser) body(depth int) ([]node, string, error) {
	if depth > maxDepth {
		return nil, "", p.errTag("blocks are nested too deeply")
	}
	var out []node
	for p.i < len(p.parts) {
		pt := p.parts[p.i]
		p.i++
		switch pt.kind {
		case pText:
			out = append(out, &textNode{pt.start, pt.end})
		case pVar:
			p.tag, p.toks, p.ti = pt, pt.toks, 0
			e, err := p.expr(0)
			if err != nil {
				return nil, "", err
			}
			if p.ti < len(p.toks) {
				return nil, "", p.errTok("unexpected %q", p.toks[p.ti].val)
			}
			out = append(out, &outNode{e, pt.off})
		case pBlock:
			p.tag, p.toks, p.ti = pt, pt.toks, 0
			if len(pt.toks) == 0 || pt.toks[0].kind != tName {
				return nil, "", p.errTag("empty block tag")
			}
			name := pt.toks[0].val
			p.ti = 1
			switch name {
			case "if":
				n, err := p.ifBlock(depth)
				if err != nil {
					return nil, "", err
				}
				out = append(out, n)
			case "for":
				n, err := p.forBlock(depth)
				if err != nil {
					return nil, "", err
				}
				out = append(out, n)
			case "set":
				n, err := p.setTag()
				if err != nil {
					return nil, "", err
				}
				out = append(out, n)
			case "endif", "else", "elif", "elseif", "endfor":
				return out, name, nil
			default:
				return nil, "", p.errTag("the {%% %s %%} tag is not supported", name)
			}
		}
	}
	return out, "", nil
}

func (p *parser) ifBlock(depth int) (node, error) {
	n := &ifNode{}
	cond, err := p.exprAll()
	if err != nil {
		return nil, err
	}
	for {
		body, end, err := p.body(depth + 1)
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		switch end {
		case "endif":
			return n, nil
		case "elif", "elseif":
			if cond, err = p.exprAll(); err != nil {
				return nil, err
			}
		case "else":
			els, end, err := p.body(depth + 1)
			if err != nil {
				return nil, err
			}
			if end != "endif" {
				return nil, p.errTag("{%% if %%} is not closed by {%% endif %%}")
			}
			n.els = els
			return n, nil
		default:
			return nil, p.errTag("{%% if %%} is not closed by {%% endif %%}")
		}
	}
}

func (p *parser) forBlock(depth int) (node, error) {
	n := &forNode{}
	for {
		t, ok := p.take()
		if !ok || t.kind != tName {
			return nil, p.errTag("{%% for %%} needs a variable name")
		}
		n.vars = append(n.vars, t.val)
		if p.peekOp(",") {
			p.ti++
			continue
		}
		break
	}
	if t, ok := p.take(); !ok || t.kind != tName || t.val != "in" {
		return nil, p.errTag("{%% for %%} needs \"in\"")
	}
	iter, err := p.exprAll()
	if err != nil {
		return nil, err
	}
	n.iter = iter
	body, end, err := p.body(depth + 1)
	if err != nil {
		return nil, err
	}
	n.body = body
	if end == "else" {
		els, e2, err := p.body(depth + 1)
		if err != nil {
			return nil, err
		}
		n.els, end = els, e2
	}
	if end != "endfor" {
		return nil, p.errTag("{%% for %%} is not closed by {%% endfor %%}")
	}
	return n, nil
}

func (p *parser) setTag() (node, error) {
	n := &setNode{}
	for {
		t, ok := p.take()
		if !ok || t.kind != tName {
			return nil, p.errTag("{%% set %%} needs a variable name")
		}
		n.names = append(n.names, t.val)
		if p.peekOp(",") {
			p.ti++
			continue
		}
		break
	}
	if !p.peekOp("=") {
		return nil, p.errTag("block {%% set %%} is not supported")
	}
	p.ti++
	e, err := p.exprAll()
	if err != nil {
		return nil, err
	}
	n.e = e
	return n, nil
}

func (p *parser) exprAll() (expr, error) {
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.ti < len(p.toks) {
		return nil, p.errTok("unexpected %q", p.toks[p.ti].val)
	}
	return e, nil
}

func (p *parser) errTok(format string, args ...any) error {
	off := p.tag.off
	if p.ti < len(p.toks) {
		off = p.toks[p.ti].off
	}
	return p.lx.errAt(off, format, args...)
}

func (p *parser) take() (token, bool) {
	if p.ti >= len(p.toks) {
		return token{}, false
	}
	t := p.toks[p.ti]
	p.ti++
	return t, true
}

func (p *parser) peekOp(op string) bool {
	return p.ti < len(p.toks) && p.toks[p.ti].kind == tOp && p.toks[p.ti].val == op
}

func (p *parser) peekName(n string) bool {
	return p.ti < len(p.toks) && p.toks[p.ti].kind == tName && p.toks[p.ti].val == n
}

// expr is Nunjucks' parseExpression: inline if over or/and/not, `in` and
// `is`, comparisons, ~, + -, * / // %, **, unary, then filters over
// primaries with their postfixes.
func (p *parser) expr(depth int) (expr, error) {
	if depth > maxDepth {
		return nil, p.errTok("expression is nested too deeply")
	}
	yes, err := p.or(depth)
	if err != nil {
		return nil, err
	}
	for p.peekName("if") {
		p.ti++
		cond, err := p.or(depth)
		if err != nil {
			return nil, err
		}
		var no expr = &litExpr{undefined}
		if p.peekName("else") {
			p.ti++
			if no, err = p.or(depth); err != nil {
				return nil, err
			}
		}
		yes = &condExpr{cond, yes, no}
	}
	return yes, nil
}

func (p *parser) or(d int) (expr, error) {
	l, err := p.and(d)
	for err == nil && p.peekName("or") {
		p.ti++
		var r expr
		if r, err = p.and(d); err == nil {
			l = &binExpr{"or", l, r}
		}
	}
	return l, err
}

func (p *parser) and(d int) (expr, error) {
	l, err := p.not(d)
	for err == nil && p.peekName("and") {
		p.ti++
		var r expr
		if r, err = p.not(d); err == nil {
			l = &binExpr{"and", l, r}
		}
	}
	return l, err
}

func (p *parser) not(d int) (expr, error) {
	if p.peekName("not") {
		p.ti++
		x, err := p.not(d + 1)
		if err != nil {
			return nil, err
		}
		return &unExpr{"not", x}, nil
	}
	return p.in(d)
}

func (p *parser) in(d int) (expr, error) {
	l, err := p.is(d)
	for err == nil {
		neg := false
		if p.peekName("not") && p.ti+1 < len(p.toks) && p.toks[p.ti+1].kind == tName && p.toks[p.ti+1].val == "in" {
			neg = true
			p.ti++
		}
		if !p.peekName("in") {
			break
		}
		p.ti++
		var r expr
		if r, err = p.is(d); err == nil {
			l = &binExpr{"in", l, r}
			if neg {
				l = &unExpr{"not", l}
			}
		}
	}
	return l, err
}

func (p *parser) is(d int) (expr, error) {
	l, err := p.compare(d)
	if err != nil || !p.peekName("is") {
		return l, err
	}
	p.ti++
	t := &testExpr{x: l}
	if p.peekName("not") {
		p.ti++
		t.neg = true
	}
	tok, ok := p.take()
	if !ok || tok.kind != tName {
		return nil, p.errTok("\"is\" needs a test name")
	}
	t.name = tok.val
	if p.peekOp("(") {
		if t.args, err = p.args(d); err != nil {
			return nil, err
		}
	}
	return t, nil
}

var compareOps = map[string]bool{"==": true, "===": true, "!=": true, "!==": true, "<": true, ">": true, "<=": true, ">=": true}

func (p *parser) compare(d int) (expr, error) {
	l, err := p.concat(d)
	for err == nil && p.ti < len(p.toks) && p.toks[p.ti].kind == tOp && compareOps[p.toks[p.ti].val] {
		op := p.toks[p.ti].val
		p.ti++
		var r expr
		if r, err = p.concat(d); err == nil {
			l = &binExpr{op, l, r}
		}
	}
	return l, err
}

func (p *parser) concat(d int) (expr, error) {
	l, err := p.add(d)
	for err == nil && p.peekOp("~") {
		p.ti++
		var r expr
		if r, err = p.add(d); err == nil {
			l = &binExpr{"~", l, r}
		}
	}
	return l, err
}

func (p *parser) add(d int) (expr, error) {
	l, err := p.mul(d)
	for err == nil && (p.peekOp("+") || p.peekOp("-")) {
		op := p.toks[p.ti].val
		p.ti++
		var r expr
		if r, err = p.mul(d); err == nil {
			l = &binExpr{op, l, r}
		}
	}
	return l, err
}

func (p *parser) mul(d int) (expr, error) {
	l, err := p.pow(d)
	for err == nil && (p.peekOp("*") || p.peekOp("/") || p.peekOp("//") || p.peekOp("%")) {
		op := p.toks[p.ti].val
		p.ti++
		var r expr
		if r, err = p.pow(d); err == nil {
			l = &binExpr{op, l, r}
		}
	}
	return l, err
}

func (p *parser) pow(d int) (expr, error) {
	l, err := p.unary(d, false)
	for err == nil && p.peekOp("**") {
		p.ti++
		var r expr
		if r, err = p.unary(d, false); err == nil {
			l = &binExpr{"**", l, r}
		}
	}
	return l, err
}

func (p *parser) unary(d int, noFilters bool) (expr, error) {
	var x expr
	var err error
	switch {
	case p.peekOp("-"), p.peekOp("+"):
		op := p.toks[p.ti].val
		p.ti++
		if x, err = p.unary(d+1, true); err != nil {
			return nil, err
		}
		x = &unExpr{op, x}
	default:
		if x, err = p.primary(d); err != nil {
			return nil, err
		}
	}
	if !noFilters {
		for p.peekOp("|") {
			off := p.toks[p.ti].off
			p.ti++
			name, ok := p.take()
			if !ok || name.kind != tName {
				return nil, p.errTok("a filter name must follow |")
			}
			f := &filterExpr{name: name.val, arg: x, off: off}
			// Filter names may be dotted in Nunjucks; ours are not.
			if p.peekOp("(") {
				if f.args, err = p.args(d); err != nil {
					return nil, err
				}
			}
			x = f
		}
	}
	return x, nil
}

func (p *parser) args(d int) ([]expr, error) {
	p.ti++ // (
	var out []expr
	for !p.peekOp(")") {
		// Keyword arguments (name=value) keep their value only.
		if p.ti+1 < len(p.toks) && p.toks[p.ti].kind == tName && p.toks[p.ti+1].kind == tOp && p.toks[p.ti+1].val == "=" {
			p.ti += 2
		}
		a, err := p.expr(d + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		if p.peekOp(",") {
			p.ti++
			continue
		}
		if !p.peekOp(")") {
			return nil, p.errTok("expected , or )")
		}
	}
	p.ti++
	return out, nil
}

func (p *parser) primary(d int) (expr, error) {
	t, ok := p.take()
	if !ok {
		return nil, p.errTok("expression ends too early")
	}
	var x expr
	switch t.kind {
	case tString:
		x = &litExpr{t.val}
	case tNumber:
		f, err := strconv.ParseFloat(t.val, 64)
		if err != nil {
			return nil, p.lx.errAt(t.off, "bad number %q", t.val)
		}
		x = &litExpr{f}
	case tName:
		switch t.val {
		case "true", "True":
			x = &litExpr{true}
		case "false", "False":
			x = &litExpr{false}
		case "none", "None", "null":
			x = &litExpr{nil}
		default:
			x = &nameExpr{t.val}
		}
	case tOp:
		switch t.val {
		case "(":
			e, err := p.expr(d + 1)
			if err != nil {
				return nil, err
			}
			if !p.peekOp(")") {
				return nil, p.errTok("expected )")
			}
			p.ti++
			x = e
		case "[":
			l := &listExpr{}
			for !p.peekOp("]") {
				e, err := p.expr(d + 1)
				if err != nil {
					return nil, err
				}
				l.items = append(l.items, e)
				if p.peekOp(",") {
					p.ti++
				} else if !p.peekOp("]") {
					return nil, p.errTok("expected , or ]")
				}
			}
			p.ti++
			x = l
		case "{":
			m := &dictExpr{}
			for !p.peekOp("}") {
				k, err := p.primary(d + 1)
				if err != nil {
					return nil, err
				}
				if n, ok := k.(*nameExpr); ok {
					k = &litExpr{n.name}
				}
				if !p.peekOp(":") {
					return nil, p.errTok("expected :")
				}
				p.ti++
				v, err := p.expr(d + 1)
				if err != nil {
					return nil, err
				}
				m.keys, m.vals = append(m.keys, k), append(m.vals, v)
				if p.peekOp(",") {
					p.ti++
				} else if !p.peekOp("}") {
					return nil, p.errTok("expected , or }")
				}
			}
			p.ti++
			x = m
		default:
			return nil, p.lx.errAt(t.off, "unexpected %q", t.val)
		}
	}
	// Postfixes: .name, [key], (args).
	for {
		switch {
		case p.peekOp("."):
			p.ti++
			n, ok := p.take()
			if !ok || (n.kind != tName && n.kind != tNumber) {
				return nil, p.errTok("a name must follow .")
			}
			x = &attrExpr{x, &litExpr{n.val}}
		case p.peekOp("["):
			p.ti++
			k, err := p.expr(d + 1)
			if err != nil {
				return nil, err
			}
			if !p.peekOp("]") {
				return nil, p.errTok("expected ]")
			}
			p.ti++
			x = &attrExpr{x, k}
		case p.peekOp("("):
			args, err := p.args(d)
			if err != nil {
				return nil, err
			}
			x = &callExpr{x, args}
		default:
			return x, nil
		}
	}
}
