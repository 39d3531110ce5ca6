package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// OwnerPolicy holds the owners group's settings.
type OwnerPolicy struct {
	// DisallowUsers makes a user owner an error (owners.allowUsers: false).
	DisallowUsers bool
	// RequireMembers warns about owner teams with no members.
	RequireMembers bool
	// WarnOnProviderError turns a failing provider into a warning instead
	// of a fatal error.
	WarnOnProviderError bool
	// NoCodeowners turns the CODEOWNERS cross-check off.
	NoCodeowners bool
	// GitHubTeams says how the catalog names GitHub teams (owners.githubTeams,
	// and the organisations of github:ORG providers); nil when the catalog's
	// groups are not known to be GitHub's teams. The codeowners rule maps
	// CODEOWNERS teams to groups with it.
	GitHubTeams *owners.TeamNames
}

// checkOwners runs the owners group: owners and group membership against
// the directory, and the CODEOWNERS cross-check.
// ownerDirectory is the directory owners are checked against.
type ownerDirectory struct {
	dir *owners.Directory
	// verified is false when there is nothing but the checked files.
	verified bool
	names    []string
	diags    []diag.Diagnostic
}

// buildDirectory merges the catalog's Groups and Users with every
// provider's directory. A failing provider is fatal unless the policy
// says to warn.
func buildDirectory(ctx context.Context, ix *catalog.Index, haveCatalog bool, opts Options) (*ownerDirectory, error) {
	od := &ownerDirectory{dir: owners.FromEntities(ix.All(), "catalog"), verified: haveCatalog}
	report := func(sev diag.Severity, msg string) {
		od.diags = append(od.diags, diag.Diagnostic{Severity: sev, Rule: RuleOwnerProvider, Message: msg})
	}
	for _, p := range opts.Owners {
		d, err := p.Load(ctx)
		switch {
		case err == nil:
			od.dir.Merge(d)
			od.verified = true
			od.names = append(od.names, p.Name())
		case errors.Is(err, owners.ErrNoCache):
			report(diag.Notice, fmt.Sprintf("%s: offline and nothing cached: owners were not verified against it (run once online to fill the cache)", p.Name()))
		case opts.Policy.WarnOnProviderError:
			report(diag.Warning, fmt.Sprintf("owners were not verified against %v (--on-provider-error warn)", err))
		default:
			return nil, err
		}
	}
	return od, nil
}

func checkOwners(checked []*checkedEntity, uses []refUse, od *ownerDirectory, opts Options) []diag.Diagnostic {
	sel := opts.Selection
	var out []diag.Diagnostic
	report := func(rule string, pos diag.Pos, ref string, sev diag.Severity, msg, sugg string) {
		if sel.Enabled(rule) {
			out = append(out, diag.Diagnostic{Pos: pos, Severity: sev, Rule: rule, Entity: ref, Message: msg, Suggestion: sugg})
		}
	}
	if sel.Enabled(RuleOwnerProvider) {
		out = append(out, od.diags...)
	}
	dir, verified := od.dir, od.verified
	where := strings.Join(append([]string{"the catalog"}, od.names...), ", ")
	unverified := 0
	for i := range uses {
		u := &uses[i]
		if !identityRelations[u.rel.Relation] {
			continue
		}
		r, err := parseUse(u)
		if err != nil {
			continue
		}
		kind := strings.ToLower(r.Kind)
		if kind != "group" && kind != "user" {
			continue // ref-kind says so
		}
		if u.rel.Relation == entity.RelOwnedBy && kind == "user" && opts.Policy.DisallowUsers {
			report(RuleOwnerUser, u.pos, u.from, diag.Error, fmt.Sprintf("spec.owner %s is a user; policy requires a team as owner", r), "make a team the owner")
		}
		var found bool
		var members int
		if kind == "group" {
			var g owners.Group
			g, found = dir.Group(r)
			members = g.Members
		} else {
			_, found = dir.User(r)
		}
		rule := RuleGroupRef
		if u.rel.Relation == entity.RelOwnedBy {
			rule = RuleOwnerMissing
		}
		if !found && !verified {
			// Only the checked files were there to ask: say it was not
			// verified rather than call it wrong.
			unverified++
			continue
		}
		if !found {
			sugg := ""
			var cands []string
			if kind == "group" {
				cands = dir.SuggestGroup(r, 1)
			} else {
				cands = dir.SuggestUser(r, 1)
			}
			if len(cands) > 0 {
				sugg = fmt.Sprintf("did you mean %s?", cands[0])
			}
			report(rule, u.pos, u.from, diag.Error, fmt.Sprintf("%s: %s %s does not exist in %s", u.fieldPath(), kind, displayRef(r), where), sugg)
			continue
		}
		if u.rel.Relation == entity.RelOwnedBy && kind == "group" && opts.Policy.RequireMembers && members == 0 {
			report(RuleEmptyTeam, u.pos, u.from, diag.Warning, fmt.Sprintf("spec.owner %s has no members: nobody answers for it", displayRef(r)), "")
		}
	}
	if unverified > 0 {
		report(RuleOwnerMissing, diag.Pos{}, "", diag.Notice, fmt.Sprintf("%d owner and membership reference(s) were not verified: no owner directory (use --owners github:ORG, file:PATH or backstage:URL, or --catalog)", unverified), "")
	}
	if !opts.Policy.NoCodeowners && sel.Enabled(RuleCodeowners) {
		out = append(out, checkCodeowners(checked, uses, od.dir, opts.Policy.GitHubTeams)...)
	}
	return out
}

// displayRef writes a reference without the default namespace.
func displayRef(r entity.Ref) string { return r.Short() }
