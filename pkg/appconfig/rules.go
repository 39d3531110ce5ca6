package appconfig

import (
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Origin is the registered location an entity was reached through, as
// Backstage records it (backstage.io/managed-by-origin-location) and as
// its rules enforcer matches it: the type, and the target with a file
// target made absolute against the backend's working folder. An entity
// read through a Location entity keeps the origin of that Location.
type Origin struct {
	Type, Target string
}

func (o Origin) String() string { return o.Type + ":" + Redact(o.Target) }

// Redact drops the credentials of a URL (https://user:token@host/…) so
// that a message can show it.
func Redact(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	host, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = "***@" + host[at+1:]
	}
	if path != "" || strings.Contains(rest, "/") {
		return scheme + "://" + host + "/" + path
	}
	return scheme + "://" + host
}

// Enforcer decides, as Backstage's DefaultCatalogRulesEnforcer does,
// whether an entity of a kind may come from an origin location.
type Enforcer struct {
	rules []Rule
}

// Enforcer builds the rules Backstage builds from this app-config for a
// backend running in backendDir: catalog.rules (or DefaultRules when it is
// absent), then each location's own rules, restricted to that location
// (its file target resolved against backendDir).
func (c *Config) Enforcer(backendDir string) *Enforcer {
	e := &Enforcer{}
	if c.HasRules {
		e.rules = append(e.rules, c.Rules...)
	} else {
		e.rules = append(e.rules, DefaultRules...)
	}
	for _, l := range c.Locations {
		if l.Unknown {
			continue
		}
		o := l.Origin(backendDir)
		for _, r := range l.Rules {
			r.Locations = []LocationMatcher{{Type: o.Type, Exact: o.Target}}
			e.rules = append(e.rules, r)
		}
	}
	return e
}

// Origin is the origin location of what this location registers.
func (l Location) Origin(backendDir string) Origin {
	return Origin{Type: l.Type, Target: ResolveFile(l.Type, l.Target, backendDir)}
}

// ResolveFile resolves a file target as Backstage's path.resolve does in
// the backend's working folder; other types are left as written.
func ResolveFile(typ, target, backendDir string) string {
	if typ != "file" {
		return target
	}
	p := filepath.FromSlash(target)
	if !filepath.IsAbs(p) {
		p = filepath.Join(backendDir, p)
	}
	return filepath.Clean(p)
}

// Allowed reports whether an entity of this kind (and spec.type, when it
// has a string one) may come from the origin: whether some rule that
// applies to the origin allows it. Kinds and types compare
// case-insensitively.
func (e *Enforcer) Allowed(kind string, specType string, hasType bool, o Origin) bool {
	for _, r := range e.rules {
		if r.matchLocation(o) && r.matchEntity(kind, specType, hasType) {
			return true
		}
	}
	return false
}

// Applying returns the rules that apply to an origin, for messages.
func (e *Enforcer) Applying(o Origin) []Rule {
	var out []Rule
	for _, r := range e.rules {
		if r.matchLocation(o) {
			out = append(out, r)
		}
	}
	return out
}

func (r Rule) matchLocation(o Origin) bool {
	if r.Locations == nil {
		return true
	}
	for _, m := range r.Locations {
		if m.Type != o.Type {
			continue
		}
		if m.Exact != "" && m.Exact != o.Target {
			continue
		}
		if m.Pattern != "" && !MatchPattern(m.Pattern, o.Target) {
			continue
		}
		return true
	}
	return false
}

func (r Rule) matchEntity(kind, specType string, hasType bool) bool {
	for _, m := range r.Allow {
		if !strings.EqualFold(m.Kind, kind) {
			continue
		}
		if m.SpecType != "" && (!hasType || !strings.EqualFold(m.SpecType, specType)) {
			continue
		}
		return true
	}
	return false
}

// MatchPattern matches a target against a rule's location pattern as
// minimatch does with {nocase: true, dot: true}.
func MatchPattern(pattern, target string) bool {
	p, t := strings.ToLower(pattern), strings.ToLower(target)
	if ok, err := doublestar.Match(p, t); err == nil && ok {
		return true
	}
	// minimatch lets a leading ** match the empty first part of an
	// absolute path ("**/catalog/*.yaml" matches "/repo/catalog/a.yaml").
	if strings.HasPrefix(p, "**/") && strings.HasPrefix(t, "/") {
		ok, err := doublestar.Match(p, t[1:])
		return err == nil && ok
	}
	return false
}

// AllowedKinds lists the kinds the rules that apply to an origin allow,
// for messages ("Component, API, Resource (spec.type database)").
func AllowedKinds(rules []Rule) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rules {
		for _, m := range r.Allow {
			s := m.Kind
			if m.SpecType != "" {
				s += " (spec.type " + m.SpecType + ")"
			}
			if !seen[strings.ToLower(s)] {
				seen[strings.ToLower(s)] = true
				out = append(out, s)
			}
		}
	}
	return out
}
