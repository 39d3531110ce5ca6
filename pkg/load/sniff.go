package load

import (
	"bytes"
	"strings"
)

// DefaultAPIVersions are the apiVersion prefixes that make a YAML file a
// catalog file: Backstage's own kinds and the scaffolder's Templates.
var DefaultAPIVersions = []string{"backstage.io/", "scaffolder.backstage.io/"}

// SniffBytes is how much of a YAML file discovery reads to decide whether
// it is a catalog file.
const SniffBytes = 1 << 20

// Sniffer decides, by a look at the text and without parsing YAML, whether
// a .yaml/.yml file holds catalog entities: whether a line starts with an
// apiVersion key whose value begins with one of its prefixes. A file with
// a YAML syntax error is still recognised, so that the error is reported;
// Kubernetes manifests, workflows, Helm templates, OpenAPI and compose
// files are not.
type Sniffer struct {
	prefixes [][]byte
}

// NewSniffer builds a Sniffer for DefaultAPIVersions and the extra
// prefixes ("example.com/" or "example.com": a prefix without a slash
// matches apiVersions in that group).
func NewSniffer(extra []string) *Sniffer {
	s := &Sniffer{}
	for _, p := range append(append([]string{}, DefaultAPIVersions...), extra...) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			p += "/"
		}
		s.prefixes = append(s.prefixes, []byte(p))
	}
	return s
}

var apiVersionKey = []byte("apiVersion")

// Match reports whether src declares a catalog apiVersion: a line that
// starts (at column 1, after an optional "---", "{", "- " or a byte-order mark)
// with the key apiVersion, plain or quoted, and a value that starts,
// plain or quoted, with one of the prefixes.
func (s *Sniffer) Match(src []byte) bool {
	for off := 0; ; {
		i := bytes.Index(src[off:], apiVersionKey)
		if i < 0 {
			return false
		}
		i += off
		off = i + len(apiVersionKey)
		if s.matchAt(src, i) {
			return true
		}
	}
}

// matchAt checks the occurrence of "apiVersion" at i.
func (s *Sniffer) matchAt(src []byte, i int) bool {
	// What is before the key on its line: nothing, or a byte-order mark,
	// a document marker, a flow mapping's brace or a top-level list's
	// dash (a list Backstage rejects, reported rather than missed). An
	// indented key is a nested mapping's, or text in a block scalar (a
	// ConfigMap holding an entity), not a document's.
	start := i
	var quote byte
	if start > 0 && (src[start-1] == '"' || src[start-1] == '\'') {
		quote = src[start-1]
		start--
	}
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	before := bytes.TrimPrefix(src[lineStart:start], []byte("\uFEFF"))
	if bytes.HasPrefix(before, []byte("---")) {
		before = bytes.TrimLeft(before[3:], " \t")
	}
	if bytes.HasPrefix(before, []byte("- ")) || bytes.HasPrefix(before, []byte("{")) {
		before = bytes.TrimLeft(before[1:], " \t")
	}
	if len(before) != 0 {
		return false
	}
	j := i + len(apiVersionKey)
	if quote != 0 {
		if j >= len(src) || src[j] != quote {
			return false
		}
		j++
	}
	j = skipBlanks(src, j)
	if j >= len(src) || src[j] != ':' {
		return false
	}
	j = skipBlanks(src, j+1)
	if j < len(src) && (src[j] == '"' || src[j] == '\'') {
		j++
	}
	for _, p := range s.prefixes {
		if bytes.HasPrefix(src[j:], p) {
			return true
		}
	}
	return false
}

func skipBlanks(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// isYAMLName reports whether a file name ends in .yaml or .yml, in any
// case.
func isYAMLName(name string) bool {
	n := len(name)
	return (n > 5 && strings.EqualFold(name[n-5:], ".yaml")) || (n > 4 && strings.EqualFold(name[n-4:], ".yml"))
}
