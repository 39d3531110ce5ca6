package lint

import (
	"fmt"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// Policy is a custom JSON Schema applied to the entities its selector picks.
type Policy struct {
	Name     string
	Severity diag.Severity
	// Kind, Type, Lifecycle and Tag select entities; empty matches any.
	Kind, Type, Lifecycle, Tag string
	// Schemas holds the compiled schema under SchemaName.
	Schemas    *schema.Set
	SchemaName string
}

// Allowed lists the values an organisation allows; empty lists allow any.
type Allowed struct {
	Lifecycles, ComponentTypes, APITypes, ResourceTypes []string
}

// Selects reports whether the policy applies to an entity.
func (p *Policy) Selects(root *load.Node) bool {
	eq := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	if !eq(p.Kind, root.GetString("kind")) || !eq(p.Type, root.GetString("spec", "type")) || !eq(p.Lifecycle, root.GetString("spec", "lifecycle")) {
		return false
	}
	if p.Tag == "" {
		return true
	}
	if tags := root.Get("metadata").Get("tags"); tags != nil {
		for _, t := range tags.Seq {
			if strings.EqualFold(t.Text, p.Tag) {
				return true
			}
		}
	}
	return false
}

// checkPolicies runs the allowed values and the custom policies on a
// document that is an entity.
func checkPolicies(d *load.Doc, ref string, opts Options) []diag.Diagnostic {
	root := d.Root
	if root == nil || root.Kind != load.Map {
		return nil
	}
	var out []diag.Diagnostic
	sel := opts.Selection
	if sel.Enabled(RuleAllowedValue) {
		kind := root.GetString("kind")
		check := func(field string, allowed []string) {
			n := root.Get("spec").Get(field)
			if len(allowed) == 0 || n == nil || n.Kind != load.String || n.Unknown() {
				return
			}
			for _, a := range allowed {
				if strings.EqualFold(a, n.Text) {
					return
				}
			}
			sugg := ""
			if c := closest(n.Text, allowed); c != "" {
				sugg = fmt.Sprintf("did you mean %q?", c)
			}
			out = append(out, diag.Diagnostic{Pos: d.File.Pos(n.Span), Severity: diag.Error, Rule: RuleAllowedValue, Entity: ref,
				Message: fmt.Sprintf("spec.%s %q is not allowed here; allowed: %s", field, n.Text, strings.Join(allowed, ", ")), Suggestion: sugg})
		}
		switch strings.ToLower(kind) {
		case "component":
			check("lifecycle", opts.Allowed.Lifecycles)
			check("type", opts.Allowed.ComponentTypes)
		case "api":
			check("lifecycle", opts.Allowed.Lifecycles)
			check("type", opts.Allowed.APITypes)
		case "resource":
			check("type", opts.Allowed.ResourceTypes)
		case "template":
			check("lifecycle", opts.Allowed.Lifecycles)
		}
	}
	if sel.Enabled(RulePolicy) {
		for i := range opts.Policies {
			p := &opts.Policies[i]
			if !p.Selects(root) {
				continue
			}
			for _, pr := range p.Schemas.ValidateValue(p.SchemaName, root, d.Value()) {
				out = append(out, diag.Diagnostic{Pos: d.File.Pos(pr.Span), Severity: p.Severity, Rule: RulePolicy, Entity: ref,
					Message: fmt.Sprintf("policy %s: %s", p.Name, pr.Message), Suggestion: pr.Suggestion})
			}
		}
	}
	return sel.adjust(out)
}

func closest(s string, cands []string) string {
	for _, c := range cands {
		if len(s) >= 3 && strings.HasPrefix(strings.ToLower(c), strings.ToLower(s)) {
			return c // "prod" for "production"
		}
	}
	best, bd := "", 3
	for _, c := range cands {
		if d, ok := entity.Within(s, c, 2); ok && d < bd {
			best, bd = c, d
		}
	}
	return best
}
