package ghfake

import (
	"fmt"
	"strconv"
	"strings"
)

// A small GraphQL parser: the executable subset GitHub's clients send
// (one operation, variables, aliases, arguments of every literal kind,
// inline fragments, @include/@skip). Named fragments, subscriptions and
// mutations are refused with a parse error, as a server that does not
// support them would.

type field struct {
	alias, name string
	args        map[string]value
	sel         []*field // a nil name with on set is an inline fragment
	on          string
	include     *value // @include(if:), or the negation of @skip
	skip        *value
	line, col   int
}

func (f *field) key() string {
	if f.alias != "" {
		return f.alias
	}
	return f.name
}

// value is a literal or a variable reference.
type value struct {
	kind string // "var", "string", "int", "float", "bool", "null", "enum", "list", "object"
	s    string
	i    int64
	b    bool
	list []value
	obj  map[string]value
}

type operation struct {
	kind string // "query"
	name string
	vars map[string]*value // defaults
	sel  []*field
}

type parser struct {
	src       string
	pos       int
	line, col int
}

type parseError struct {
	msg       string
	line, col int
}

func (e *parseError) Error() string { return e.msg }

func parse(src string) (op *operation, err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*parseError)
			if !ok {
				panic(r)
			}
			op, err = nil, pe
		}
	}()
	p := &parser{src: src, line: 1, col: 1}
	p.ws()
	op = &operation{kind: "query", vars: map[string]*value{}}
	if p.peek() != '{' {
		kw := p.name()
		switch kw {
		case "query":
		case "mutation", "subscription":
			p.fail("this server supports queries only, not %s", kw)
		case "fragment":
			p.fail("named fragments are not supported; use inline fragments")
		default:
			p.fail("unexpected %q", kw)
		}
		p.ws()
		if isNameStart(p.peek()) {
			op.name = p.name()
			p.ws()
		}
		if p.peek() == '(' {
			p.next()
			for p.ws(); p.peek() != ')'; p.ws() {
				p.expect('$')
				n := p.name()
				p.ws()
				p.expect(':')
				p.ws()
				p.typeRef()
				p.ws()
				var def *value
				if p.peek() == '=' {
					p.next()
					p.ws()
					v := p.value(true)
					def = &v
				}
				op.vars[n] = def
				p.ws()
				if p.peek() == ',' {
					p.next()
				}
			}
			p.next()
			p.ws()
		}
	}
	op.sel = p.selection()
	p.ws()
	if p.pos < len(p.src) {
		p.fail("unexpected %q after the operation (one operation per document)", string(p.src[p.pos]))
	}
	return op, nil
}

func (p *parser) fail(format string, args ...any) {
	panic(&parseError{msg: fmt.Sprintf("Parse error on line %d, column %d: ", p.line, p.col) + fmt.Sprintf(format, args...), line: p.line, col: p.col})
}

func (p *parser) peek() byte {
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

func (p *parser) next() byte {
	if p.pos >= len(p.src) {
		p.fail("unexpected end of document")
	}
	c := p.src[p.pos]
	p.pos++
	if c == '\n' {
		p.line++
		p.col = 1
	} else {
		p.col++
	}
	return c
}

func (p *parser) expect(c byte) {
	if p.peek() != c {
		got := "end of document"
		if p.pos < len(p.src) {
			got = strconv.Quote(string(p.src[p.pos]))
		}
		p.fail("expected %q, got %s", string(c), got)
	}
	p.next()
}

// ws skips white space, commas and comments.
func (p *parser) ws() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			p.next()
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.next()
			}
		default:
			return
		}
	}
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *parser) name() string {
	if !isNameStart(p.peek()) {
		p.fail("expected a name")
	}
	start := p.pos
	for p.pos < len(p.src) && (isNameStart(p.src[p.pos]) || p.src[p.pos] >= '0' && p.src[p.pos] <= '9') {
		p.next()
	}
	return p.src[start:p.pos]
}

func (p *parser) typeRef() {
	if p.peek() == '[' {
		p.next()
		p.ws()
		p.typeRef()
		p.ws()
		p.expect(']')
	} else {
		p.name()
	}
	if p.peek() == '!' {
		p.next()
	}
}

func (p *parser) selection() []*field {
	p.expect('{')
	var out []*field
	for p.ws(); p.peek() != '}'; p.ws() {
		f := &field{line: p.line, col: p.col}
		if strings.HasPrefix(p.src[p.pos:], "...") {
			p.next()
			p.next()
			p.next()
			p.ws()
			if p.name() != "on" {
				p.fail("named fragment spreads are not supported")
			}
			p.ws()
			f.on = p.name()
			p.ws()
			p.directives(f)
			f.sel = p.selection()
			out = append(out, f)
			continue
		}
		n := p.name()
		p.ws()
		if p.peek() == ':' {
			p.next()
			p.ws()
			f.alias = n
			n = p.name()
			p.ws()
		}
		f.name = n
		if p.peek() == '(' {
			f.args = p.arguments(false)
			p.ws()
		}
		p.directives(f)
		if p.peek() == '{' {
			f.sel = p.selection()
		}
		out = append(out, f)
	}
	p.next()
	if len(out) == 0 {
		p.fail("a selection set cannot be empty")
	}
	return out
}

func (p *parser) directives(f *field) {
	for p.ws(); p.peek() == '@'; p.ws() {
		p.next()
		d := p.name()
		p.ws()
		args := map[string]value{}
		if p.peek() == '(' {
			args = p.arguments(false)
		}
		v, ok := args["if"]
		if !ok || (d != "include" && d != "skip") {
			p.fail("unknown directive @%s", d)
		}
		if d == "include" {
			f.include = &v
		} else {
			f.skip = &v
		}
	}
}

func (p *parser) arguments(constant bool) map[string]value {
	p.expect('(')
	args := map[string]value{}
	for p.ws(); p.peek() != ')'; p.ws() {
		n := p.name()
		p.ws()
		p.expect(':')
		p.ws()
		args[n] = p.value(constant)
	}
	p.next()
	return args
}

func (p *parser) value(constant bool) value {
	switch c := p.peek(); {
	case c == '$':
		if constant {
			p.fail("a variable's default cannot be a variable")
		}
		p.next()
		return value{kind: "var", s: p.name()}
	case c == '"':
		return value{kind: "string", s: p.str()}
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.src) && strings.IndexByte("-+0123456789.eE", p.src[p.pos]) >= 0 {
			p.next()
		}
		lit := p.src[start:p.pos]
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return value{kind: "int", i: i, s: lit}
		}
		if _, err := strconv.ParseFloat(lit, 64); err == nil {
			return value{kind: "float", s: lit}
		}
		p.fail("bad number %q", lit)
	case c == '[':
		p.next()
		v := value{kind: "list"}
		for p.ws(); p.peek() != ']'; p.ws() {
			v.list = append(v.list, p.value(constant))
		}
		p.next()
		return v
	case c == '{':
		p.next()
		v := value{kind: "object", obj: map[string]value{}}
		for p.ws(); p.peek() != '}'; p.ws() {
			n := p.name()
			p.ws()
			p.expect(':')
			p.ws()
			v.obj[n] = p.value(constant)
		}
		p.next()
		return v
	case isNameStart(c):
		switch n := p.name(); n {
		case "true", "false":
			return value{kind: "bool", b: n == "true"}
		case "null":
			return value{kind: "null"}
		default:
			return value{kind: "enum", s: n}
		}
	}
	p.fail("expected a value")
	return value{}
}

// str reads a string literal (block strings are not supported).
func (p *parser) str() string {
	p.expect('"')
	var b strings.Builder
	for {
		c := p.next()
		switch c {
		case '"':
			return b.String()
		case '\n':
			p.fail("unterminated string")
		case '\\':
			e := p.next()
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				if p.pos+4 > len(p.src) {
					p.fail("bad unicode escape")
				}
				n, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 32)
				if err != nil {
					p.fail("bad unicode escape")
				}
				for range 4 {
					p.next()
				}
				b.WriteRune(rune(n))
			default:
				p.fail("bad escape \\%s", string(e))
			}
		default:
			b.WriteByte(c)
		}
	}
}
