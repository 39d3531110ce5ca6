package entity

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
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

// IsValidURL approximates whether the WHATWG URL parser (JavaScript's
// `new URL(s)`) accepts s: a scheme, and for the web schemes a host that
// has no forbidden characters and a numeric port.
func IsValidURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = urlSpace.Replace(s)
	m := schemeRe.FindString(s)
	if m == "" {
		return false
	}
	scheme := strings.ToLower(m[:len(m)-1])
	if !specialSchemes[scheme] {
		return true
	}
	rest := strings.TrimLeft(s[len(m):], `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end >= 0 {
		rest = rest[:end]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	host, port := rest, ""
	if strings.HasPrefix(host, "[") {
		i := strings.IndexByte(host, ']')
		if i < 0 {
			return false
		}
		host, port = host[:i+1], strings.TrimPrefix(host[i+1:], ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || p < 0 || p > 65535 {
			return false
		}
	}
	if host == "" {
		return scheme == "file"
	}
	return !strings.ContainsAny(host, " <>^|%") || validPercent(host)
}

func validPercent(host string) bool {
	if strings.ContainsAny(host, " <>^|") {
		return false
	}
	for i := 0; i < len(host); i++ {
		if host[i] == '%' {
			if i+2 >= len(host) || !isHex(host[i+1]) || !isHex(host[i+2]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
