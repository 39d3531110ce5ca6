package lint

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// checkCodeowners compares the owner of each checked entity with the code
// owners CODEOWNERS gives its file. Group names and GitHub team slugs are
// two namespaces: a CODEOWNERS team is mapped to catalog groups by the
// catalog's own annotations (github.com/team-slug, github.com/user-login)
// or by the team naming (teams: owners.githubTeams, github:ORG); when
// neither says what a code owner of the entity's kind (team for a group
// owner, person for a user owner) means, nothing is said. A file gets one
// warning, for all its entities whose owner is none of its code owners.
func checkCodeowners(checked []*checkedEntity, uses []refUse, dir *owners.Directory, teams *owners.TeamNames) []diag.Diagnostic {
	ownerUse := map[string]refUse{}
	for _, u := range uses {
		if u.rel.Relation == entity.RelOwnedBy {
			ownerUse[u.from+"\x00"+u.pos.File] = u
		}
	}
	files := map[string]*owners.Codeowners{}
	type miss struct {
		use   refUse
		owner entity.Ref
	}
	type fileMisses struct {
		rel    string
		co     *owners.Codeowners
		line   int
		coders []owners.CodeOwner
		misses []miss
	}
	byFile := map[string]*fileMisses{}
	var order []string
	var out []diag.Diagnostic
	for _, c := range checked {
		u, ok := ownerUse[c.Ref().String()+"\x00"+c.namePos.File]
		if !ok {
			continue
		}
		root := load.RepoRoot(c.abs)
		co, seen := files[root]
		if !seen {
			co = owners.ReadCodeowners(root)
			files[root] = co
			if co != nil && co.Err != nil {
				out = append(out, diag.Diagnostic{Pos: diag.Pos{File: displayPath(filepath.Join(root, co.Path))}, Severity: diag.Warning, Rule: RuleCodeowners,
					Message:    fmt.Sprintf("%s not read: %v", co.Path, co.Err),
					Suggestion: "make it a regular file inside the repository, under 3 MB"})
			}
		}
		if co == nil || co.Err != nil {
			continue
		}
		rel, err := filepath.Rel(root, c.abs)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		list, line, ok := co.Owners(rel)
		if !ok || len(list) == 0 {
			continue
		}
		r, err := parseUse(&u)
		if err != nil {
			continue
		}
		coders := make([]owners.CodeOwner, len(list))
		for i, o := range list {
			coders[i] = owners.MapCodeOwner(o, dir, teams)
		}
		if !disagrees(r, coders) {
			continue
		}
		fm := byFile[c.namePos.File]
		if fm == nil {
			fm = &fileMisses{rel: rel, co: co, line: line, coders: coders}
			byFile[c.namePos.File] = fm
			order = append(order, c.namePos.File)
		}
		fm.misses = append(fm.misses, miss{u, r})
	}
	for _, f := range order {
		fm := byFile[f]
		sort.SliceStable(fm.misses, func(i, j int) bool { return fm.misses[i].use.pos.Line < fm.misses[j].use.pos.Line })
		first := fm.misses[0]
		descr := make([]string, len(fm.coders))
		for i, co := range fm.coders {
			descr[i] = co.Describe()
		}
		gives := fmt.Sprintf("%s (line %d) gives %s to %s", fm.co.Path, fm.line, fm.rel, strings.Join(descr, " "))
		msg := fmt.Sprintf("spec.owner is %s, but %s", ownerName(first.owner), gives)
		if n := len(fm.misses); n > 1 {
			var names, lines []string
			for _, m := range fm.misses {
				if s := ownerName(m.owner); !contains(names, s) {
					names = append(names, s)
				}
				lines = append(lines, fmt.Sprint(m.use.pos.Line))
			}
			msg = fmt.Sprintf("spec.owner of %d entities in this file (%s, lines %s) is none of the code owners: %s", n, strings.Join(names, ", "), strings.Join(lines, ", "), gives)
		}
		out = append(out, diag.Diagnostic{Pos: first.use.pos, Severity: diag.Warning, Rule: RuleCodeowners, Entity: first.use.from,
			Message: msg, Suggestion: "make the catalog owner and the code owners agree"})
	}
	return out
}

// disagrees reports whether the catalog owner r is known to be none of
// the code owners: some code owner is of r's kind (a team for a group, a
// person for a user), each of those is known, and none is r. A person
// owning what a team code-owns (or the reverse) is no disagreement
// catalint can see: membership is not compared.
func disagrees(r entity.Ref, coders []owners.CodeOwner) bool {
	group := strings.EqualFold(r.Kind, "group")
	if !group && !strings.EqualFold(r.Kind, "user") {
		return false
	}
	same := 0
	for _, co := range coders {
		if co.Means(r) {
			return false
		}
		if co.Group != group {
			continue
		}
		if !co.Known {
			return false // it may be r: nothing says
		}
		same++
	}
	return same > 0
}

// ownerName writes an owner reference as group:name (namespace when not
// the default).
func ownerName(r entity.Ref) string {
	return strings.ToLower(r.Kind) + ":" + displayRef(r)
}
