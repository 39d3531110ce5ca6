package appconfig

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
)

// ResolveOptions say where the backend runs and what this repository is.
type ResolveOptions struct {
	// BackendDir is the backend's working folder; empty means
	// DefaultBackendDir.
	BackendDir string
	// Root is the repository root: locations outside it are not checked.
	Root string
	// RepoURLs are this repository's URLs (its git remotes, --repo-url):
	// url targets into them are read from the checkout.
	RepoURLs []string
}

// Resolved is a registered location as catalint checks it.
type Resolved struct {
	Location Location
	// Origin is what Backstage matches rules against.
	Origin Origin
	// Files are the local files the target reaches (sorted).
	Files []string
	// Severity and Message say why the location is not (fully) checked:
	// a notice for a remote or unknown target, an error for a target
	// that does not exist (Backstage ingests nothing from it).
	Severity diag.Severity
	Message  string
}

// DefaultBackendDir is the backend's working folder in Backstage's
// standard monorepo: packages/backend under the first app-config's folder,
// or that folder itself when there is no packages/backend. With
// app-config.production.yaml among the files it is that folder too: the
// production image of a create-app repository (packages/backend/Dockerfile)
// runs the backend from /app, a copy of the repository root, with
// "--config app-config.yaml --config app-config.production.yaml", and the
// generated production config's file targets (./examples/entities.yaml)
// are written for that.
func (c *Config) DefaultBackendDir() string {
	for _, f := range c.Files {
		if b := filepath.Base(f); b == "app-config.production.yaml" || b == "app-config.production.yml" {
			return c.Dir
		}
	}
	d := filepath.Join(c.Dir, "packages", "backend")
	if fi, err := os.Stat(d); err == nil && fi.IsDir() {
		return d
	}
	return c.Dir
}

// Resolve finds the local files of every registered location.
func (c *Config) Resolve(o ResolveOptions) []Resolved {
	backend := o.BackendDir
	if backend == "" {
		backend = c.DefaultBackendDir()
	}
	backend, _ = filepath.Abs(backend)
	root, _ := filepath.Abs(o.Root)
	repos := repoKeys(o.RepoURLs)
	var out []Resolved
	for _, l := range c.Locations {
		r := Resolved{Location: l}
		switch {
		case l.Unknown:
			r.Severity, r.Message = diag.Notice, "the location comes from a substitution catalint does not resolve ($env, $file, ${…}): not checked"
		case l.Type == "file":
			r.Origin = l.Origin(backend)
			r.Files, r.Severity, r.Message = localFiles(r.Origin.Target, l.Target, root)
		case l.Type == "url":
			r.Origin = l.Origin(backend)
			rel, ok := repoPath(l.Target, repos, root)
			if !ok {
				r.Severity, r.Message = diag.Notice, fmt.Sprintf("url target %s is not in this repository: not checked (pass --repo-url when this repository's remote is not in .git/config)", Redact(l.Target))
				break
			}
			r.Files, r.Severity, r.Message = localFiles(filepath.Join(root, filepath.FromSlash(rel)), Redact(l.Target), root)
		default:
			r.Origin = l.Origin(backend)
			r.Severity, r.Message = diag.Notice, fmt.Sprintf("a location of type %q is read by a catalog module, not from this repository: not checked", l.Type)
		}
		out = append(out, r)
	}
	return out
}

// localFiles expands a target (absolute, perhaps a glob) as Backstage's
// file reader does.
func localFiles(abs, written, root string) ([]string, diag.Severity, string) {
	if !load.Within(root, abs) {
		return nil, diag.Notice, fmt.Sprintf("target %s resolves to %s, outside this repository (%s): not checked", written, abs, root)
	}
	files, err := load.ExpandTarget(filepath.Join(root, ".app-config"), abs, root)
	if err != nil {
		return nil, diag.Error, fmt.Sprintf("target %s: %v", written, err)
	}
	var kept []string
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		what := "does not exist"
		if strings.ContainsAny(abs, "*?[{") {
			what = "matches no file"
		}
		return nil, diag.Error, fmt.Sprintf("target %s (%s) %s: Backstage reports the location as not found and ingests nothing from it", written, abs, what)
	}
	sort.Strings(kept)
	return kept, 0, ""
}

// repoKey is "host/owner/repo", lower-case, of a repository URL in any of
// git's forms (https, ssh, scp-like), without credentials.
func repoKey(u string) string {
	u = strings.TrimSpace(u)
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	if i := strings.Index(u, "://"); i >= 0 {
		pu, err := url.Parse(u)
		if err != nil {
			return ""
		}
		return strings.ToLower(pu.Hostname() + pu.Path)
	}
	// scp-like: git@github.com:org/repo
	if at := strings.Index(u, "@"); at >= 0 {
		u = u[at+1:]
	}
	host, path, ok := strings.Cut(u, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(host + "/" + strings.TrimPrefix(path, "/"))
}

func repoKeys(urls []string) []string {
	var out []string
	for _, u := range urls {
		if k := repoKey(u); k != "" && strings.Count(k, "/") >= 2 {
			out = append(out, k)
		}
	}
	return out
}

// repoPath maps a URL into this repository to a path relative to its
// root: GitHub's blob and tree URLs (…/blob/REF/PATH), GitLab's
// (…/-/blob/REF/PATH) and raw.githubusercontent.com. A ref with slashes is
// told from the path by what exists in the checkout.
func repoPath(target string, repos []string, root string) (string, bool) {
	pu, err := url.Parse(target)
	if err != nil || pu.Host == "" {
		return "", false
	}
	host := strings.ToLower(pu.Hostname())
	p := pu.Path
	if host == "raw.githubusercontent.com" {
		segs := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 3)
		if len(segs) < 3 {
			return "", false
		}
		host, p = "github.com", "/"+segs[0]+"/"+segs[1]+"/blob/"+segs[2]
	}
	full := strings.ToLower(host + p)
	for _, k := range repos {
		if !strings.HasPrefix(full, k+"/") {
			continue
		}
		rest := p[len(p)-(len(full)-len(k)-1):]
		rest = strings.TrimPrefix(rest, "-/")
		kind, refPath, ok := strings.Cut(rest, "/")
		if !ok || (kind != "blob" && kind != "tree") {
			continue
		}
		segs := strings.Split(refPath, "/")
		if len(segs) < 2 {
			continue
		}
		// The shortest ref whose path exists; else a one-part ref.
		for i := 1; i < len(segs); i++ {
			rel := strings.Join(segs[i:], "/")
			if strings.ContainsAny(rel, "*?[{") {
				return rel, true
			}
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err == nil {
				return rel, true
			}
		}
		return strings.Join(segs[1:], "/"), true
	}
	return "", false
}

// RepoMapper maps URLs into the repository at root (known by urls) to
// local absolute paths: for url Location targets in catalog files.
func RepoMapper(urls []string, root string) func(string) (string, bool) {
	repos := repoKeys(urls)
	return func(u string) (string, bool) {
		rel, ok := repoPath(u, repos, root)
		if !ok {
			return "", false
		}
		return filepath.Join(root, filepath.FromSlash(rel)), true
	}
}

// GitRemotes reads the remote URLs of the repository at root from its git
// configuration (.git/config, or a worktree's common folder). Credentials
// in the URLs are never kept.
func GitRemotes(root string) []string {
	gitDir := filepath.Join(root, ".git")
	if fi, err := os.Stat(gitDir); err == nil && !fi.IsDir() {
		b, err := os.ReadFile(gitDir)
		if err != nil {
			return nil
		}
		d := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(b)), "gitdir:"))
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		gitDir = d
		if cd, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
			c := strings.TrimSpace(string(cd))
			if !filepath.IsAbs(c) {
				c = filepath.Join(gitDir, c)
			}
			gitDir = c
		}
	}
	f, err := os.Open(filepath.Join(gitDir, "config"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	inRemote := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inRemote = strings.HasPrefix(line, "[remote ")
			continue
		}
		if !inRemote {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == "url" {
			if key := repoKey(strings.TrimSpace(v)); key != "" {
				out = append(out, "https://"+key) // no credentials
			}
		}
	}
	return out
}
