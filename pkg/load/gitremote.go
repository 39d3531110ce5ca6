package load

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// A repository's own files are often named by URL: a GitHub blob link in a
// $yaml placeholder or a Location target. When the URL points into the
// repository being checked (one of its git remotes), the checkout is what
// is being checked, so the file is read from it instead of the network.

// remoteCache: repository root → its remotes as "host/owner/repo".
var remoteCache sync.Map

// Remotes lists the git remotes of a repository root as lower-case
// "host/owner/repo" (github.com/backstage/backstage), from .git/config
// (or the config of the repository a worktree's .git file names). None
// when the root is not a git checkout or its config cannot be read.
func Remotes(root string) []string {
	if v, ok := remoteCache.Load(root); ok {
		return v.([]string)
	}
	var out []string
	if b, err := readLimited(filepath.Join(gitDir(root), "config"), 1<<20); err == nil {
		for _, u := range remoteURLs(b) {
			if r := repoOfRemote(u); r != "" {
				out = append(out, r)
			}
		}
	}
	remoteCache.Store(root, out)
	return out
}

// gitDir is the folder holding a checkout's config: .git, or for a
// worktree the common folder of the repository its .git file points at.
func gitDir(root string) string {
	dot := filepath.Join(root, ".git")
	fi, err := os.Stat(dot)
	if err != nil || fi.IsDir() {
		return dot
	}
	b, err := readLimited(dot, 4096)
	if err != nil {
		return dot
	}
	line := strings.TrimSpace(string(b))
	dir, ok := strings.CutPrefix(line, "gitdir:")
	if !ok {
		return dot
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	// A worktree's folder names the repository's common folder, which
	// holds the config.
	if c, err := readLimited(filepath.Join(dir, "commondir"), 4096); err == nil {
		common := strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(dir, common)
		}
		return filepath.Clean(common)
	}
	return dir
}

// remoteURLs reads the url of every [remote "…"] section of a git config.
func remoteURLs(config []byte) []string {
	var out []string
	inRemote := false
	sc := bufio.NewScanner(bytes.NewReader(config))
	for sc.Scan() {
		t := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(t, "[") {
			inRemote = strings.HasPrefix(t, "[remote ")
			continue
		}
		if !inRemote {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "url") {
			out = append(out, strings.Trim(strings.TrimSpace(v), `"`))
		}
	}
	return out
}

// repoOfRemote turns a remote URL (https://host/owner/repo.git,
// git@host:owner/repo.git, ssh://git@host/owner/repo) into
// "host/owner/repo", lower case; "" when it is none of those.
func repoOfRemote(u string) string {
	var host, p string
	if i := strings.Index(u, "://"); i > 0 {
		pu, err := url.Parse(u)
		if err != nil {
			return ""
		}
		host, p = pu.Hostname(), pu.Path
	} else if at, rest, ok := strings.Cut(u, ":"); ok && !strings.Contains(at, "/") {
		// scp-like: [user@]host:owner/repo.git
		if i := strings.LastIndexByte(at, '@'); i >= 0 {
			at = at[i+1:]
		}
		host, p = at, rest
	} else {
		return ""
	}
	p = strings.TrimSuffix(strings.Trim(p, "/"), ".git")
	parts := strings.Split(p, "/")
	if host == "" || len(parts) < 2 {
		return ""
	}
	for _, s := range parts {
		if s == "" || s == "." || s == ".." {
			return ""
		}
	}
	return strings.ToLower(host + "/" + p)
}

// LocalPath maps a URL of a file in one of root's git remotes to the file
// in the checkout: https://HOST/OWNER/REPO/blob/REF/PATH (also
// /tree/ as some write it, /-/blob/ as GitLab does, and raw.githubusercontent.com/OWNER/REPO/REF/PATH
// for github.com). The REF is not compared: the checkout is what is
// checked. The result is root joined with PATH (cleaned; a PATH that
// climbs out is refused); false when the URL is not such a link.
func LocalPath(root, link string) (string, bool) {
	remotes := Remotes(root)
	if len(remotes) == 0 {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	var repo string
	var rest []string
	switch {
	case host == "raw.githubusercontent.com" && len(segs) >= 4:
		repo, rest = "github.com/"+segs[0]+"/"+segs[1], segs[3:]
		if segs[2] == "refs" && len(segs) >= 6 && segs[3] == "heads" {
			rest = segs[5:]
		}
	default:
		// HOST/OWNER…/REPO/[-/]blob/REF/PATH: the owner may be a GitLab
		// group path, so look for the blob segment.
		for i := 2; i+2 < len(segs); i++ {
			if segs[i] != "blob" && segs[i] != "tree" {
				continue
			}
			end := i
			if segs[i-1] == "-" {
				end = i - 1
			}
			repo, rest = host+"/"+strings.Join(segs[:end], "/"), segs[i+2:]
			break
		}
	}
	if repo == "" || len(rest) == 0 {
		return "", false
	}
	repo = strings.ToLower(strings.TrimSuffix(repo, ".git"))
	for _, r := range remotes {
		if r != repo {
			continue
		}
		rel := path.Clean(strings.Join(rest, "/"))
		if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
			return "", false
		}
		return filepath.Join(root, filepath.FromSlash(rel)), true
	}
	return "", false
}

// inCheckout maps a remote placeholder target into the checkout, when it
// is a link to a file of this repository.
func (r *resolver) inCheckout(target string) (string, bool) {
	abs, err := filepath.Abs(r.root)
	if r.root == "" || err != nil {
		return "", false
	}
	repo := gitAncestor(abs)
	if repo == "" {
		return "", false
	}
	return LocalPath(repo, target)
}
