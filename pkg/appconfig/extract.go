package appconfig

import (
	"fmt"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// present reports whether a value is there: Backstage treats a null as
// absent.
func present(n *load.Node) bool { return n != nil && n.Kind != load.Null }

// extract reads catalog.locations and catalog.rules from the merged tree,
// with the checks Backstage's catalog makes when it starts.
func (c *Config) extract(r *reader, root *load.Node) error {
	cat := root.Get("catalog")
	if !present(cat) {
		return nil
	}
	if cat.Unresolved() {
		c.notice(r, cat, "catalog comes from %s, which catalint does not resolve: its locations and rules are not checked", cat.Placeholder())
		return nil
	}
	if cat.Kind != load.Map {
		return errAt(r.pos(cat), "catalog must be a mapping, not %s", kindName(cat.Kind))
	}
	if rules := cat.Get("rules"); present(rules) {
		list, err := r.objects(rules, "catalog.rules")
		if err != nil {
			return err
		}
		if list == nil { // unknown
			c.notice(r, rules, "catalog.rules comes from %s, which catalint does not resolve: the kinds each location allows are not checked", rules.Placeholder())
		} else {
			c.HasRules = true
			for i, rn := range list {
				rule, err := c.globalRule(r, rn, fmt.Sprintf("catalog.rules[%d]", i))
				if err != nil {
					return err
				}
				c.Rules = append(c.Rules, rule)
			}
		}
	}
	if locs := cat.Get("locations"); present(locs) {
		list, err := r.objects(locs, "catalog.locations")
		if err != nil {
			return err
		}
		if list == nil {
			c.notice(r, locs, "catalog.locations comes from %s, which catalint does not resolve: no location is checked", locs.Placeholder())
		}
		for i, ln := range list {
			loc, err := c.location(r, ln, i)
			if err != nil {
				return err
			}
			c.Locations = append(c.Locations, loc)
		}
	}
	return nil
}

func (c *Config) notice(r *reader, n *load.Node, format string, args ...any) {
	c.Notices = append(c.Notices, diag.Diagnostic{Pos: r.pos(n), Severity: diag.Notice, Rule: "app-config", Message: fmt.Sprintf(format, args...)})
}

// objects reads an array of mappings (Backstage's getConfigArray); nil
// with no error when the value is unknown.
func (r *reader) objects(n *load.Node, key string) ([]*load.Node, error) {
	if n.Unresolved() {
		return nil, nil
	}
	if n.Kind != load.Seq {
		return nil, errAt(r.pos(n), "%s must be a list of mappings, not %s", key, kindName(n.Kind))
	}
	for i, e := range n.Seq {
		if e.Kind != load.Map && !e.Unresolved() {
			return nil, errAt(r.pos(e), "%s[%d] must be a mapping, not %s", key, i, kindName(e.Kind))
		}
	}
	return n.Seq, nil
}

// str reads a string key: ok false when it is absent or null, unknown
// when it comes from a substitution catalint does not resolve.
func (r *reader) str(m *load.Node, key, where string, required bool) (s string, n *load.Node, unknown bool, err error) {
	n = m.Get(key)
	if !present(n) {
		if required {
			return "", m, false, errAt(r.pos(m), "%s: missing required key %q", where, key)
		}
		return "", nil, false, nil
	}
	if n.Unresolved() {
		return "", n, true, nil
	}
	if n.Kind != load.String {
		return "", n, false, errAt(r.pos(n), "%s.%s must be a string, not %s", where, key, kindName(n.Kind))
	}
	if n.Text == "" {
		return "", n, false, errAt(r.pos(n), "%s.%s must not be empty", where, key)
	}
	return n.Text, n, false, nil
}

func (c *Config) location(r *reader, n *load.Node, i int) (Location, error) {
	where := fmt.Sprintf("catalog.locations[%d]", i)
	loc := Location{Index: i, Pos: r.pos(n)}
	if n.Unresolved() {
		loc.Unknown = true
		return loc, nil
	}
	typ, tn, unk, err := r.str(n, "type", where, true)
	if err != nil {
		return loc, err
	}
	if unk {
		loc.Unknown = true
	}
	loc.Type = typ
	target, tgt, unk, err := r.str(n, "target", where, true)
	if err != nil {
		return loc, err
	}
	loc.Target, loc.Pos = target, r.pos(tgt)
	if unk {
		loc.Unknown = true
	}
	_ = tn
	if rules := n.Get("rules"); present(rules) {
		list, err := r.objects(rules, where+".rules")
		if err != nil {
			return loc, err
		}
		if list == nil {
			c.notice(r, rules, "%s.rules comes from %s, which catalint does not resolve: the kinds this location allows are not checked", where, rules.Placeholder())
		}
		for j, rn := range list {
			rw := fmt.Sprintf("%s.rules[%d]", where, j)
			rule := Rule{Where: rw, Pos: r.pos(rn)}
			if rn.Unresolved() {
				c.notice(r, rn, "%s comes from %s, which catalint does not resolve", rw, rn.Placeholder())
				continue
			}
			allow := rn.Get("allow")
			if !present(allow) {
				return loc, errAt(r.pos(rn), "%s: missing required key \"allow\"", rw)
			}
			if allow.Unresolved() {
				c.notice(r, allow, "%s.allow comes from %s, which catalint does not resolve", rw, allow.Placeholder())
				continue
			}
			// Location rules are read with getStringArray: kinds only.
			if allow.Kind != load.Seq {
				return loc, errAt(r.pos(allow), "%s.allow must be a list of kinds, not %s", rw, kindName(allow.Kind))
			}
			for k, a := range allow.Seq {
				if a.Unresolved() {
					c.notice(r, a, "%s.allow[%d] comes from %s, which catalint does not resolve", rw, k, a.Placeholder())
					continue
				}
				if a.Kind != load.String || a.Text == "" {
					return loc, errAt(r.pos(a), "%s.allow[%d] must be a kind name (a location's rules take kinds only, no spec.type), not %s", rw, k, kindName(a.Kind))
				}
				rule.Allow = append(rule.Allow, Matcher{Kind: a.Text, Pos: r.pos(a)})
			}
			loc.Rules = append(loc.Rules, rule)
		}
	}
	return loc, nil
}

func (c *Config) globalRule(r *reader, n *load.Node, where string) (Rule, error) {
	rule := Rule{Where: where, Pos: r.pos(n)}
	if n.Unresolved() {
		c.notice(r, n, "%s comes from %s, which catalint does not resolve", where, n.Placeholder())
		return rule, nil
	}
	allow := n.Get("allow")
	if !present(allow) {
		return rule, errAt(r.pos(n), "%s: missing required key \"allow\"", where)
	}
	switch {
	case allow.Unresolved():
		c.notice(r, allow, "%s.allow comes from %s, which catalint does not resolve", where, allow.Placeholder())
	case allow.Kind != load.Seq:
		return rule, errAt(r.pos(allow), "%s.allow must be a list of kinds or {kind, spec.type} mappings, not %s", where, kindName(allow.Kind))
	}
	for k, a := range allow.Seq {
		aw := fmt.Sprintf("%s.allow[%d]", where, k)
		switch {
		case a.Unresolved():
			c.notice(r, a, "%s comes from %s, which catalint does not resolve", aw, a.Placeholder())
		case a.Kind == load.String:
			rule.Allow = append(rule.Allow, Matcher{Kind: a.Text, Pos: r.pos(a)})
		case a.Kind == load.Map:
			kind, kn, unk, err := r.str(a, "kind", aw, true)
			if err != nil {
				return rule, err
			}
			st, _, unkT, err := r.str(a, "spec.type", aw, false)
			if err != nil {
				return rule, err
			}
			for _, p := range a.Map {
				if p.Key != "kind" && p.Key != "spec.type" {
					// Backstage's parser drops other keys without a word.
					c.notice(r, p.Value, "%s: Backstage ignores the key %q (a rule matches a kind, and optionally \"spec.type\" written as one key)", aw, p.Key)
				}
			}
			if unk || unkT {
				c.notice(r, a, "%s comes from a substitution catalint does not resolve", aw)
				continue
			}
			rule.Allow = append(rule.Allow, Matcher{Kind: kind, SpecType: st, Pos: r.pos(kn)})
		default:
			return rule, errAt(r.pos(a), "%s must be a kind or a {kind, spec.type} mapping, not %s", aw, kindName(a.Kind))
		}
	}
	if ls := n.Get("locations"); present(ls) {
		list, err := r.objects(ls, where+".locations")
		if err != nil {
			return rule, err
		}
		if list == nil {
			c.notice(r, ls, "%s.locations comes from %s, which catalint does not resolve: the rule is taken to apply nowhere", where, ls.Placeholder())
			rule.Locations = []LocationMatcher{}
		}
		for k, ln := range list {
			lw := fmt.Sprintf("%s.locations[%d]", where, k)
			if ln.Unresolved() {
				c.notice(r, ln, "%s comes from %s, which catalint does not resolve", lw, ln.Placeholder())
				rule.Locations = append(rule.Locations, LocationMatcher{})
				continue
			}
			typ, _, unk1, err := r.str(ln, "type", lw, true)
			if err != nil {
				return rule, err
			}
			pat, _, unk2, err := r.str(ln, "pattern", lw, false)
			if err != nil {
				return rule, err
			}
			exact, _, unk3, err := r.str(ln, "exact", lw, false)
			if err != nil {
				return rule, err
			}
			if pat != "" && exact != "" {
				return rule, errAt(r.pos(ln), "%s: a catalog rule location cannot have both exact and pattern values", lw)
			}
			if unk1 || unk2 || unk3 {
				c.notice(r, ln, "%s comes from a substitution catalint does not resolve: it is taken to match nothing", lw)
				rule.Locations = append(rule.Locations, LocationMatcher{})
				continue
			}
			rule.Locations = append(rule.Locations, LocationMatcher{Type: typ, Pattern: pat, Exact: exact})
		}
		if rule.Locations == nil {
			rule.Locations = []LocationMatcher{}
		}
	}
	return rule, nil
}

// KindsAllowed lists the kinds the global rules name, each once (as first
// written), with the position of its first mention.
func (c *Config) KindsAllowed() []Matcher {
	var out []Matcher
	seen := map[string]bool{}
	add := func(m Matcher) {
		k := strings.ToLower(m.Kind)
		if !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	for _, r := range c.Rules {
		for _, m := range r.Allow {
			add(m)
		}
	}
	for _, l := range c.Locations {
		for _, r := range l.Rules {
			for _, m := range r.Allow {
				add(m)
			}
		}
	}
	return out
}

// kindName is a value's type with its article: "a string", "an array".
func kindName(k load.Kind) string {
	switch k {
	case load.Map, load.Seq:
		return "an " + k.String()
	}
	return "a " + k.String()
}
