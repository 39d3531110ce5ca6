package entity

import (
	"math/big"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// The field formats of Backstage's FieldFormatEntityPolicy. Lengths count
// UTF-16 code units, as JavaScript's String.length does.

// The patterns of the formats, copied character for character from
// @backstage/catalog-model 1.10.1 (KubernetesValidatorFunctions,
// CommonValidatorFunctions and the isValidTag of makeValidator). The checks
// below match bytes by hand, which is several times faster than the regexp
// engine on the hot path of every entity; TestFormatMatchersBackstage and
// FuzzFormatMatchers hold them, with Backstage's length rules, to these
// patterns at every length up to the limits.
const (
	objectNamePattern = `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
	dnsLabelPattern   = `^[a-z0-9]+(?:\-+[a-z0-9]+)*$` // runs of dashes are allowed: "a--b"
	kindPattern       = `^[a-zA-Z][a-z0-9A-Z]*$`
	tagPattern        = `^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$` // single dashes only
	apiSuffixPattern  = `^[a-z0-9A-Z]+$`
)

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isLower(c) || isUpper(c) || isDigit(c) }

// matchObjectName matches objectNamePattern.
func matchObjectName(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// matchDashed matches runs of characters in set separated by '-': by runs
// of dashes when dashRuns (dnsLabelPattern), by single dashes otherwise
// (tagPattern).
func matchDashed(s string, in func(byte) bool, dashRuns bool) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			if !dashRuns && s[i-1] == '-' {
				return false
			}
			continue
		}
		if !in(c) {
			return false
		}
	}
	return true
}

func isDNSChar(c byte) bool { return isLower(c) || isDigit(c) }
func isTagChar(c byte) bool { return isLower(c) || isDigit(c) || c == ':' || c == '+' || c == '#' }

// matchKind matches kindPattern.
func matchKind(s string) bool {
	if s == "" || !(isLower(s[0]) || isUpper(s[0])) {
		return false
	}
	return matchAlnum(s)
}

// matchAlnum matches apiSuffixPattern.
func matchAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

func jsLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2 // a surrogate pair in UTF-16
		} else {
			n++
		}
	}
	return n
}

var urlSpace = strings.NewReplacer("\t", "", "\n", "", "\r", "")

// IsValidObjectName: 1–63 characters, [A-Za-z0-9] runs separated by [-_.].
// Entity names, label values and link icons use it.
func IsValidObjectName(s string) bool {
	n := jsLen(s)
	return n >= 1 && n <= 63 && matchObjectName(s)
}

// IsValidDNSLabel: 1–63 characters, [a-z0-9] runs separated by dashes (one
// or more: Backstage's pattern is [a-z0-9]+(?:\-+[a-z0-9]+)*, so "a--b" is a
// valid namespace). Namespaces and the labels of DNS subdomains use it.
func IsValidDNSLabel(s string) bool {
	n := jsLen(s)
	return n >= 1 && n <= 63 && matchDashed(s, isDNSChar, true)
}

// IsValidDNSSubdomain: 1–253 characters of DNS labels separated by '.'.
func IsValidDNSSubdomain(s string) bool {
	n := jsLen(s)
	if n < 1 || n > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !IsValidDNSLabel(l) {
			return false
		}
	}
	return true
}

func prefixAndOrSuffix(s string, prefix, suffix func(string) bool) bool {
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		return suffix(parts[0])
	case 2:
		return prefix(parts[0]) && suffix(parts[1])
	}
	return false
}

// IsValidAPIVersion: an optional DNS-subdomain prefix and '/', then 1–63
// letters and digits.
func IsValidAPIVersion(s string) bool {
	return prefixAndOrSuffix(s, IsValidDNSSubdomain, func(n string) bool {
		l := jsLen(n)
		return l >= 1 && l <= 63 && matchAlnum(n)
	})
}

// IsValidKind: a letter then letters and digits, at most 63 characters.
func IsValidKind(s string) bool {
	n := jsLen(s)
	return n >= 1 && n <= 63 && matchKind(s)
}

// IsValidLabelKey and IsValidAnnotationKey: an optional DNS-subdomain
// prefix and '/', then an object name.
func IsValidLabelKey(s string) bool {
	return prefixAndOrSuffix(s, IsValidDNSSubdomain, IsValidObjectName)
}

// IsValidAnnotationKey has the same form as a label key.
func IsValidAnnotationKey(s string) bool { return IsValidLabelKey(s) }

// IsValidLabelValue: empty, or an object name.
func IsValidLabelValue(s string) bool { return s == "" || IsValidObjectName(s) }

// IsValidTag: 1–63 characters, runs of [a-z0-9:+#] separated by single '-'.
func IsValidTag(s string) bool {
	n := jsLen(s)
	return n >= 1 && n <= 63 && matchDashed(s, isTagChar, false)
}

// IsNonBlank: a string with something besides white space, as JavaScript's
// String.prototype.trim sees it (isNonEmptyString): U+FEFF is white space
// there and U+0085 is not, the other way round from unicode.IsSpace.
func IsNonBlank(s string) bool { return strings.TrimFunc(s, isJSSpace) != "" }

// isJSSpace is ECMAScript's WhiteSpace or LineTerminator: tab, vertical
// tab, form feed, space, U+00A0, U+FEFF, the Zs category, LF, CR, U+2028
// and U+2029.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0xFEFF, 0x2028, 0x2029:
		return true
	}
	return r > 0xFF && unicode.Is(unicode.Zs, r)
}

var schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.\-]*:`)

var specialSchemes = map[string]bool{"http": true, "https": true, "ws": true, "wss": true, "ftp": true, "file": true}

// IsValidURL tells whether the WHATWG URL parser (JavaScript's `new URL(s)`,
// which Backstage's isValidUrl calls) accepts s, following the parser's
// states as far as they can fail: leading and trailing C0 controls and
// spaces are stripped and tabs and line breaks dropped; then a scheme; a
// special scheme (http, https, ws, wss, ftp) needs a host, which must
// survive the host parser (IPv6 in brackets, IPv4 when the last label is a
// number, no forbidden domain code point after percent-decoding and a
// compatibility mapping); any scheme written with "//" (and file with
// "//") has an authority whose host and port must be valid; the rest
// (paths, queries, fragments, opaque paths) cannot fail. International
// domain names are mapped with NFKC and lower-casing, close to but not
// exactly UTS #46 (see docs/deviations.md).
func IsValidURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = urlSpace.Replace(s)
	m := schemeRe.FindString(s)
	if m == "" {
		return false
	}
	scheme := strings.ToLower(m[:len(m)-1])
	rest := s[len(m):]
	special := specialSchemes[scheme]
	isSlash := func(c byte) bool { return c == '/' || special && c == '\\' }
	switch {
	case scheme == "file":
		if len(rest) < 2 || !isSlash(rest[0]) || !isSlash(rest[1]) {
			return true // a path
		}
		host := rest[2:]
		if end := strings.IndexAny(host, `/\?#`); end >= 0 {
			host = host[:end]
		}
		if len(host) == 2 && isLower(host[0]|0x20) && (host[1] == ':' || host[1] == '|') {
			return true // a Windows drive letter: a path, not a host
		}
		return host == "" || validHost(host, true)
	case special:
		rest = strings.TrimLeft(rest, `/\`)
	case strings.HasPrefix(rest, "//"):
		rest = rest[2:]
	default:
		return true // an opaque path, or a path
	}
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '?' || c == '#' || special && c == '\\' {
			end = i
			break
		}
	}
	auth := rest[:end]
	at := strings.LastIndexByte(auth, '@')
	host := auth[at+1:]
	if at >= 0 && host == "" {
		return false // credentials and no host
	}
	port, hasPort := "", false
	if strings.HasPrefix(host, "[") {
		i := strings.IndexByte(host, ']')
		if i < 0 {
			return false
		}
		if after := host[i+1:]; after != "" {
			if after[0] != ':' {
				return false
			}
			port, hasPort = after[1:], true
		}
		host = host[:i+1]
	} else if i := strings.IndexByte(host, ':'); i >= 0 {
		host, port, hasPort = host[:i], host[i+1:], true
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	if len(strings.TrimLeft(port, "0")) > 5 {
		return false
	}
	if p, _ := strconv.Atoi(port); p > 65535 {
		return false
	}
	if host == "" {
		return !special && !hasPort // a port needs a host
	}
	return validHost(host, special)
}

// forbiddenHost are the forbidden host code points of the URL standard; a
// domain also forbids C0 controls, '%' and DEL.
const forbiddenHost = "\x00\t\n\r #/:<>?@[\\]^|"

// validHost is the URL standard's host parser, as far as it can fail:
// special (domain) hosts when special, opaque hosts otherwise.
func validHost(h string, special bool) bool {
	if strings.HasPrefix(h, "[") {
		if !strings.HasSuffix(h, "]") {
			return false
		}
		a, err := netip.ParseAddr(h[1 : len(h)-1])
		return err == nil && a.Is6() && a.Zone() == ""
	}
	if !special {
		return !strings.ContainsAny(h, forbiddenHost) // an opaque host
	}
	d, err := url.PathUnescape(percentLenient(h))
	if err != nil {
		return false
	}
	if !utf8.ValidString(d) {
		return false
	}
	if strings.IndexFunc(d, idnaDisallowed) >= 0 {
		return false
	}
	ascii := true
	for i := 0; i < len(d); i++ {
		ascii = ascii && d[i] < 0x80
	}
	if !ascii { // the common case, ASCII, needs no mapping
		d = norm.NFKC.String(idnaDots.Replace(d))
	}
	d = strings.ToLower(d)
	for _, r := range d {
		if r < 0x20 || r == '%' || r == 0x7f || strings.ContainsRune(forbiddenHost, r) {
			return false
		}
	}
	labels := strings.Split(d, ".")
	for i, l := range labels {
		if strings.HasPrefix(l, "xn--") {
			u, ok := punycode(l[4:])
			if !ok || strings.IndexFunc(u, idnaDisallowed) >= 0 || !norm.NFC.IsNormalString(u) {
				return false
			}
			labels[i] = u
		}
		if r, _ := utf8.DecodeRuneInString(labels[i]); unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			return false // a label cannot start with a combining mark
		}
	}
	if !ascii && !bidiRule(labels) {
		return false
	}
	if endsInNumber(d) {
		return validIPv4(d)
	}
	return true
}

// percentLenient escapes each '%' that does not start a %XX sequence, as
// the URL standard's percent-decode leaves such a '%' as it is (and the
// domain check then refuses it).
func percentLenient(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i++ {
		if h[i] == '%' && !(i+2 < len(h) && isHex(h[i+1]) && isHex(h[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(h[i])
	}
	return b.String()
}

// endsInNumber is the URL standard's "ends in a number": the last label
// (after a trailing dot is dropped) is all digits, or a 0x hex number.
func endsInNumber(d string) bool {
	labels := strings.Split(d, ".")
	if labels[len(labels)-1] == "" {
		if len(labels) == 1 {
			return false
		}
		labels = labels[:len(labels)-1]
	}
	last := labels[len(labels)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	if len(last) >= 2 && (last[:2] == "0x" || last[:2] == "0X") {
		return strings.Trim(last[2:], "0123456789abcdefABCDEF") == ""
	}
	return false
}

// validIPv4 is the URL standard's IPv4 parser: up to four parts, each a
// decimal, 0x-hex or 0-octal number; each but the last at most 255, the
// last less than 256^(5-parts).
func validIPv4(d string) bool {
	parts := strings.Split(d, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		base := 10
		switch {
		case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
			p, base = p[2:], 16
		case len(p) >= 2 && p[0] == '0':
			p, base = p[1:], 8
		}
		n := new(big.Int)
		if p != "" {
			if _, ok := n.SetString(p, base); !ok {
				return false
			}
		}
		limit := big.NewInt(255)
		if i == len(parts)-1 {
			limit = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(8*(5-len(parts)))), big.NewInt(1))
		}
		if n.Cmp(limit) > 0 {
			return false
		}
	}
	return true
}

// idnaDots are the full stops UTS #46 maps to '.', the label separator.
var idnaDots = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".")

// idnaDisallowed are code points UTS #46 refuses in a domain that the
// NFKC mapping would otherwise let through: U+FFFD, the full-stop digits
// that map to "1.", the zero-width joiners outside the scripts that need
// them, and controls.
func idnaDisallowed(r rune) bool {
	return r == 0xFFFD || r >= 0x2488 && r <= 0x249B || r == 0x200C || r == 0x200D || unicode.IsControl(r) || r >= 0xD800 && r <= 0xDFFF
}

// bidiRule is RFC 5893's Bidi Rule, which UTS #46 applies (CheckBidi) to
// every label of a domain that has a right-to-left character in it.
func bidiRule(labels []string) bool {
	rtlDomain := false
	for _, l := range labels {
		for _, r := range l {
			if c := bidiClass(r); c == bidi.R || c == bidi.AL || c == bidi.AN {
				rtlDomain = true
			}
		}
	}
	if !rtlDomain {
		return true
	}
	for _, l := range labels {
		if l == "" {
			continue
		}
		rs := []rune(l)
		first := bidiClass(rs[0])
		last := len(rs) - 1
		for last > 0 && bidiClass(rs[last]) == bidi.NSM {
			last--
		}
		end := bidiClass(rs[last])
		switch first {
		case bidi.R, bidi.AL, bidi.AN: // AN first: so new URL() has it (ada's IDNA)
			en, an := false, false
			for _, r := range rs {
				switch bidiClass(r) {
				case bidi.R, bidi.AL, bidi.ES, bidi.CS, bidi.ET, bidi.ON, bidi.BN, bidi.NSM:
				case bidi.EN:
					en = true
				case bidi.AN:
					an = true
				default:
					return false
				}
			}
			if en && an || end != bidi.R && end != bidi.AL && end != bidi.EN && end != bidi.AN {
				return false
			}
		case bidi.L:
			for _, r := range rs {
				switch bidiClass(r) {
				case bidi.L, bidi.EN, bidi.ES, bidi.CS, bidi.ET, bidi.ON, bidi.BN, bidi.NSM:
				default:
					return false
				}
			}
			if end != bidi.L && end != bidi.EN {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func bidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// punycode decodes RFC 3492 Punycode.
func punycode(s string) (string, bool) {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	if s == "" {
		return "", false
	}
	out := []rune{}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, r := range s[:i] {
			if r >= 0x80 {
				return "", false
			}
			out = append(out, r)
		}
		s = s[i+1:]
	}
	n, bias, i := 128, 72, 0
	for pos := 0; pos < len(s); {
		oldi, w := i, 1
		for k := base; ; k += base {
			if pos >= len(s) {
				return "", false
			}
			c := s[pos]
			pos++
			var digit int
			switch {
			case c >= 'a' && c <= 'z':
				digit = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				digit = int(c - 'A')
			case c >= '0' && c <= '9':
				digit = int(c-'0') + 26
			default:
				return "", false
			}
			i += digit * w
			if i > 0x10FFFF*(len(out)+1) {
				return "", false
			}
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if w *= base - t; w > 0x10FFFF*base {
				return "", false // past any code point: no overflow
			}
		}
		delta := i - oldi
		if oldi == 0 {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / (len(out) + 1)
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > 0x10FFFF {
			return "", false
		}
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
