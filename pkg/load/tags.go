package load

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Explicit tags, as Backstage's reader sees them. Backstage parses catalog
// files with the `yaml` package (2.x, core schema) and takes
// Document.toJSON(); the entity then goes through JSON before it is
// validated. Besides the core schema's tags, `yaml` resolves the tags it
// knows from YAML 1.1 when they are written out: !!binary, !!timestamp,
// !!set, !!omap and !!pairs. Checked against yaml 2.9.1 and against the
// real catalog backend (POST /api/catalog/locations?dryRun=true):
//
//	!!binary aGVsbG8=       → {"type": "Buffer", "data": [104, 101, 108, 108, 111]}
//	!!timestamp 2001-12-14  → "2001-12-14T00:00:00.000Z" (a Date, as JSON)
//	!!timestamp nope        → a YAML error: the document is rejected
//	!!set {a: null}         → {} (a JavaScript Set, as JSON)
//	!!omap [{a: 1}]         → {} (a Map, as JSON)
//	!!float 1, !!int 1.5    → "1", "1.5": a value the tag's patterns do not
//	!!null x                → "x"         match is a string ("Unresolved tag")
//
// A tag on a node of the wrong sort (!!set on a list, !!binary on a
// mapping, !!str on a mapping) is only a warning to `yaml`: the node stays
// as it is.

// Backstage's patterns of the core schema's scalar tags (yaml's
// schema/core/*.js), for explicitly tagged values.
var (
	yamlNullRe     = regexp.MustCompile(`^(?:~|[Nn]ull|NULL)?$`)
	yamlIntRe      = regexp.MustCompile(`^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$`)
	yamlFloatRe    = regexp.MustCompile(`^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$`)
	yamlFloatNaNRe = regexp.MustCompile(`^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$`)
	// yaml's schema/yaml-1.1/timestamp.js.
	yamlTimestampRe = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$`)
)

// taggedScalar types an explicitly tagged scalar (!!binary aside, which
// becomes a mapping: binaryNode). errMsg is set when Backstage's reader
// fails the document.
func taggedScalar(n *yaml.Node) (kind Kind, text string, errMsg string) {
	v := n.Value
	switch n.Tag {
	case "!!null":
		if yamlNullRe.MatchString(v) {
			return Null, "", ""
		}
	case "!!bool":
		if b, ok := coreBool(v); ok {
			return Bool, b, ""
		}
	case "!!int":
		if yamlIntRe.MatchString(v) {
			if k, t, ok := coreNumber(v); ok {
				return k, t, ""
			}
		}
	case "!!float":
		if yamlFloatRe.MatchString(v) || yamlFloatNaNRe.MatchString(v) {
			if k, t, ok := coreNumber(v); ok {
				return k, t, ""
			}
		}
	case "!!timestamp":
		t, ok := jsTimestamp(v)
		if !ok {
			return String, v, "!!timestamp expects a date, starting with yyyy-mm-dd"
		}
		return String, t, ""
	}
	// !!str, a tag the schema does not know (a warning to yaml), and a
	// value the tag's patterns do not match: the text as it is.
	return String, v, ""
}

// jsTimestamp is yaml's !!timestamp resolve followed by JavaScript's
// Date.prototype.toISOString: the date in UTC, to the millisecond. Fields
// out of range carry over as Date.UTC makes them (month 13 is January of
// the next year), and years 0 to 99 are 1900 to 1999, as Date.UTC has it.
func jsTimestamp(s string) (string, bool) {
	m := yamlTimestampRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	num := func(i int) int {
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day := num(1), num(2), num(3)
	hour, minute := num(4), num(5)
	sec := 0
	if m[6] != "" {
		f, _ := strconv.ParseFloat(m[6], 64)
		sec = int(f)
	}
	ms := 0
	if m[7] != "" {
		ms, _ = strconv.Atoi((m[7] + "00")[1:4])
	}
	if year >= 0 && year <= 99 {
		year += 1900
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	if tz := m[8]; tz != "" && tz != "Z" {
		d := sexagesimal(tz)
		if d > -30 && d < 30 {
			d *= 60
		}
		t = t.Add(-time.Duration(d) * time.Minute)
	}
	y := t.Year()
	rest := t.Format("-01-02T15:04:05.000Z")
	if y >= 0 && y <= 9999 {
		return fmt.Sprintf("%04d%s", y, rest), true
	}
	if y < 0 {
		return fmt.Sprintf("-%06d%s", -y, rest), true
	}
	return fmt.Sprintf("+%06d%s", y, rest), true
}

// sexagesimal reads "+5", "-03:30" as yaml's parseSexagesimal does.
func sexagesimal(s string) int {
	sign := 1
	switch s[0] {
	case '-':
		sign, s = -1, s[1:]
	case '+':
		s = s[1:]
	}
	n := 0
	part := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			n, part = n*60+part, 0
			continue
		}
		part = part*10 + int(s[i]-'0')
	}
	return sign * (n*60 + part)
}

// jsBase64 decodes base64 as Node's Buffer.from(s, "base64") does, which
// yaml's !!binary uses: both alphabets (+/ and -_), characters outside them
// skipped, the first '=' ends the data, bits short of a byte dropped.
func jsBase64(s string) []byte {
	var out []byte
	acc, bits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v int
		switch {
		case c >= 'A' && c <= 'Z':
			v = int(c - 'A')
		case c >= 'a' && c <= 'z':
			v = int(c-'a') + 26
		case c >= '0' && c <= '9':
			v = int(c-'0') + 52
		case c == '+' || c == '-':
			v = 62
		case c == '/' || c == '_':
			v = 63
		case c == '=':
			return out
		default:
			continue
		}
		acc = acc<<6 | v
		bits += 6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	return out
}

// binaryNode is what !!binary becomes once JSON: a Buffer's toJSON.
func binaryNode(v string, sp Span) *Node {
	data := jsBase64(v)
	seq := make([]*Node, len(data))
	for i, b := range data {
		seq[i] = &Node{Kind: Number, Text: strconv.Itoa(int(b)), Span: sp}
	}
	return &Node{Kind: Map, Span: sp, Map: []Pair{
		{Key: "type", KeySpan: sp, Value: &Node{Kind: String, Text: "Buffer", Span: sp}},
		{Key: "data", KeySpan: sp, Value: &Node{Kind: Seq, Seq: seq, Span: sp}},
	}}
}
