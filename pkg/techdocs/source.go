package techdocs

import (
	"net/url"
	"path/filepath"
	"strings"
)

// SourceLocation is the annotation TechDocs resolves a dir: reference
// against when an entity has it (catalog-model's getEntitySourceLocation
// reads it before backstage.io/managed-by-location, which the catalog
// itself sets to where it read the entity: a value written in the file is
// replaced).
const SourceLocation = "backstage.io/source-location"

// ManagedByLocation is the annotation the catalog sets to the location it
// read an entity from, replacing any value the file gives.
const ManagedByLocation = "backstage.io/managed-by-location"

// SourceIsHere tells whether a backstage.io/source-location value names
// the folder of catalogFile in the repository at root, so that a dir:
// reference resolved against it reads the files beside the catalog file:
// a url: location whose path ends with the folder's path in the
// repository (…/tree/main/plugins/jira for plugins/jira/catalog-info.yaml),
// or, for a file at the repository's root, the root of a repository of the
// same name as root's folder (…/acme/payments/tree/main for a checkout in
// payments/). Anything else (another repository, a file: or dir:
// location, a value that does not parse) is elsewhere: TechDocs reads the
// docs from there.
func SourceIsHere(sourceLocation, catalogFile, root string) bool {
	typ, target, ok := strings.Cut(strings.TrimSpace(sourceLocation), ":")
	if !ok || strings.TrimSpace(typ) != "url" {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(target))
	if err != nil || u.Host == "" {
		return false
	}
	rel, err := filepath.Rel(root, filepath.Dir(catalogFile))
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	p := strings.Trim(u.Path, "/")
	if q := u.Query().Get("path"); q != "" { // Azure DevOps: ?path=/plugins/jira
		p = "x/" + strings.Trim(q, "/")
		if rel == "." {
			return strings.Trim(q, "/") == ""
		}
	}
	if rel != "." {
		return strings.HasSuffix(p, "/"+rel)
	}
	// The repository's root: …/OWNER/REPO, …/REPO/tree/BRANCH (GitHub, and /blob/),
	// …/REPO/-/tree/BRANCH (GitLab), …/REPO/src/BRANCH (Bitbucket).
	seg := strings.Split(p, "/")
	if len(seg) == 2 { // …/OWNER/REPO: the repository itself
		return strings.EqualFold(strings.TrimSuffix(seg[1], ".git"), filepath.Base(root))
	}
	i := len(seg) - 2 // the marker, before the branch
	if i < 1 || (seg[i] != "tree" && seg[i] != "blob" && seg[i] != "src") {
		return false
	}
	repo := seg[i-1]
	if repo == "-" && i >= 2 {
		repo = seg[i-2]
	}
	return strings.EqualFold(strings.TrimSuffix(repo, ".git"), filepath.Base(root))
}
