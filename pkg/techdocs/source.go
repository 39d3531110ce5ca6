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

// SourceDir resolves a dir: reference's target the way TechDocs does when
// the entity has a backstage.io/source-location (transformDirLocation: the
// target is resolved as a URL against it, so a location without a trailing
// slash loses its last segment: dir:. against …/tree/main/plugins/jira is
// …/tree/main/plugins/). resolved is the URL it gives. here tells whether
// that URL is a folder of the repository at root, which dir is then: the
// location must name the catalog file's folder (a path ending with the
// folder's path in the repository: …/tree/main/plugins/jira for
// plugins/jira/catalog-info.yaml) or, for a file at the repository's root,
// the root of a repository of the same name as root's folder
// (…/acme/payments/tree/main/, …/acme/payments). Anything else (another
// repository, a file: or dir: location, a value that does not parse) is
// not here: TechDocs reads the docs from there.
func SourceDir(sourceLocation, target, catalogFile, root string) (dir, resolved string, here bool) {
	typ, loc, ok := strings.Cut(strings.TrimSpace(sourceLocation), ":")
	loc = strings.TrimSpace(loc)
	if !ok || strings.TrimSpace(typ) != "url" {
		return "", strings.TrimSpace(sourceLocation), false
	}
	base, err := url.Parse(loc)
	if err != nil || base.Host == "" {
		return "", loc, false
	}
	rel, err := filepath.Rel(root, filepath.Dir(catalogFile))
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", loc, false
	}
	rel = filepath.ToSlash(rel)
	target = strings.TrimSpace(target)
	if q := base.Query().Get("path"); q != "" {
		// Azure DevOps keeps the path in the query (?path=/plugins/jira);
		// its integration resolves against that path as a folder.
		q = strings.Trim(q, "/")
		if q == strings.TrimPrefix(rel, ".") {
			return filepath.Join(filepath.Dir(catalogFile), filepath.FromSlash(target)), loc, true
		}
		return "", loc, false
	}
	t, err := url.Parse(target)
	if err != nil {
		return "", loc, false
	}
	res := base.ResolveReference(t)
	resolved = res.String()
	prefix := repoPrefix(base.Path, rel, filepath.Base(root))
	rp := res.Path
	if !strings.HasSuffix(rp, "/") {
		rp += "/"
	}
	if prefix == "" || !strings.HasPrefix(rp, prefix) {
		return "", resolved, false
	}
	return filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(rp, prefix))), resolved, true
}

// repoPrefix is the URL path of the repository's root, ending with a
// slash, as a source-location path names it, or "" when it does not name
// the catalog file's folder (rel, from the root) of a repository called
// repoName.
func repoPrefix(p, rel, repoName string) string {
	trimmed := strings.TrimSuffix(p, "/")
	if rel != "." {
		if strings.HasSuffix(trimmed, "/"+rel) {
			return trimmed[:len(trimmed)-len(rel)]
		}
		return ""
	}
	// The repository's root: …/OWNER/REPO, …/REPO/tree/BRANCH (GitHub,
	// and /blob/), …/REPO/-/tree/BRANCH (GitLab), …/REPO/src/BRANCH
	// (Bitbucket).
	seg := strings.Split(strings.Trim(p, "/"), "/")
	same := func(repo string) bool { return strings.EqualFold(strings.TrimSuffix(repo, ".git"), repoName) }
	if len(seg) == 2 {
		if same(seg[1]) {
			return "/" + seg[0] + "/" + seg[1] + "/"
		}
		return ""
	}
	i := len(seg) - 2 // the marker, before the branch
	if i < 1 || (seg[i] != "tree" && seg[i] != "blob" && seg[i] != "src") {
		return ""
	}
	repo := seg[i-1]
	if repo == "-" && i >= 2 {
		repo = seg[i-2]
	}
	if !same(repo) {
		return ""
	}
	return "/" + strings.Join(seg, "/") + "/"
}

// SourceFolder is the folder of a url: location of a file, as a
// source-location value: …/blob/main/catalog-info.yaml gives
// url:…/tree/main/.
func SourceFolder(loc string) string {
	u := strings.TrimSpace(loc)
	if i := strings.LastIndex(u, "/"); i > len("url:https://") && strings.Contains(u[i:], ".") {
		u = u[:i+1]
	}
	return strings.Replace(u, "/blob/", "/tree/", 1)
}
