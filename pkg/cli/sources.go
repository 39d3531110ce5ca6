package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/catalint-dev/catalint/pkg/catalog"
	"github.com/catalint-dev/catalint/pkg/catalog/backstage"
	"github.com/catalint-dev/catalint/pkg/catalog/github"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// catalogKinds lists the forms of --catalog.
const catalogKinds = "dir:PATH, snapshot:FILE|URL, backstage:URL, github:ORG"

// parseSources turns --catalog values into sources.
func parseSources(specs []string, stdio IO, lo load.Options, net NetOptions) ([]catalog.Source, error) {
	if err := net.check(); err != nil {
		return nil, err
	}
	var out []catalog.Source
	for _, spec := range specs {
		typ, arg, ok := strings.Cut(spec, ":")
		if !ok || arg == "" {
			return nil, usageErr("--catalog %q: want one of %s", redactSpec(spec), catalogKinds)
		}
		if net.Offline && (typ == "github" || typ == "backstage" || (typ == "snapshot" && strings.Contains(arg, "://"))) {
			fmt.Fprintf(stdio.Err, "catalint: --offline: not reading %s; references are checked against the checked files and local sources only\n", redactSpec(spec))
			continue
		}
		switch typ {
		case "dir":
			ig, err := load.NewIgnorer(nil, true)
			if err != nil {
				return nil, err
			}
			out = append(out, &catalog.Files{Paths: []string{arg}, Ignorer: ig, Options: lo, Label: spec})
		case "snapshot":
			out = append(out, &catalog.SnapshotSource{Path: arg, Timeout: net.Timeout})
		default:
			s, err := remoteSource(typ, arg, stdio, net)
			if err != nil {
				return nil, err
			}
			if s == nil {
				return nil, usageErr("--catalog %q: unknown source type %q; want one of %s", redactSpec(spec), typ, catalogKinds)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// NetOptions are the settings of network sources and providers.
type NetOptions struct {
	CacheDir    string
	OnRateLimit string
	Offline     bool
	// GitHub organisation scans: the catalog files read in each
	// repository, and whether archived repositories and forks count.
	GitHubPaths                   []string
	IncludeArchived, IncludeForks bool
	// GitHubAPI is --github-api (github.Options.API): auto, graphql or
	// rest.
	GitHubAPI string
	// Progress, when set, receives a progress line about once a second.
	Progress io.Writer
	// Timeout bounds each request to a network source or provider, body
	// included (--timeout; 0: DefaultTimeout).
	Timeout time.Duration
}

// DefaultTimeout is --timeout's default.
const DefaultTimeout = 30 * time.Second

// check refuses a timeout that is not a positive duration.
func (n NetOptions) check() error {
	if n.Timeout < 0 {
		return usageErr("--timeout %v: want a positive duration, such as 30s or 2m", n.Timeout)
	}
	switch n.GitHubAPI {
	case "", github.APIAuto, github.APIGraphQL, github.APIREST:
	default:
		return usageErr("--github-api %q: want auto, graphql or rest", n.GitHubAPI)
	}
	return nil
}

// timeout is --timeout, defaulted.
func (n NetOptions) timeout() time.Duration {
	if n.Timeout <= 0 {
		return DefaultTimeout
	}
	return n.Timeout
}

// redactSpec is a source or provider as given, with the credentials of a
// URL in it (user:password@, query values) hidden.
func redactSpec(spec string) string {
	typ, arg, ok := strings.Cut(spec, ":")
	if !ok {
		return catalog.RedactURL(spec)
	}
	return typ + ":" + catalog.RedactURL(arg)
}

// progressPrinter prints a scan's progress at most once a second.
func progressPrinter(w io.Writer, name string) func(github.Stats) {
	var mu sync.Mutex
	var last time.Time
	return func(st github.Stats) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "catalint: %s: %d repositories scanned, %d requests (%d not modified), %s\n", name, st.Scanned, st.Requests, st.NotModified, st.RateLimitSummary())
	}
}

// githubToken is GITHUB_TOKEN, or GH_TOKEN as the gh CLI uses.
func githubToken(stdio IO) string {
	if t := stdio.Getenv("GITHUB_TOKEN"); t != "" {
		return t
	}
	return stdio.Getenv("GH_TOKEN")
}

// remoteSource builds the network sources; it returns nil for an unknown
// type.
var remoteSource = func(typ, arg string, stdio IO, net NetOptions) (catalog.Source, error) {
	switch typ {
	case "github":
		cache := ""
		if net.CacheDir != "-" {
			cache = filepath.Join(cacheDir(net.CacheDir), "github-http")
		}
		var progress func(github.Stats)
		if net.Progress != nil {
			progress = progressPrinter(net.Progress, "github:"+arg)
		}
		s, err := github.New(github.Options{
			Org:             arg,
			BaseURL:         stdio.Getenv("GITHUB_API_URL"),
			Token:           githubToken(stdio),
			CacheDir:        cache,
			OnRateLimit:     net.OnRateLimit,
			Paths:           net.GitHubPaths,
			IncludeArchived: net.IncludeArchived,
			IncludeForks:    net.IncludeForks,
			API:             net.GitHubAPI,
			Progress:        progress,
			Timeout:         net.timeout(),
		})
		if err != nil {
			return nil, usageErr("--catalog github:%s: %v", arg, err)
		}
		return s, nil
	case "backstage":
		s, err := backstage.New(backstage.Options{BaseURL: arg, Token: stdio.Getenv("BACKSTAGE_TOKEN"), Timeout: net.timeout()})
		if err != nil {
			return nil, usageErr("--catalog backstage:%s: %v", arg, err)
		}
		return s, nil
	}
	return nil, nil
}

// cacheDir is --cache-dir or the default user cache folder.
func cacheDir(flag string) string {
	if flag != "" {
		return flag
	}
	return owners.DefaultCacheDir()
}

// ownerKinds lists the forms of --owners.
const ownerKinds = "github:ORG, file:PATH, backstage:URL"

// TeamMapping maps catalog group names to GitHub team slugs.
type TeamMapping struct {
	StripPrefix string
	Rename      map[string]string
	Namespace   string
	// Members fetches member counts (for --require-team-members).
	Members bool
}

// teamNames says how the catalog's groups name GitHub teams, for the
// codeowners rule: known when a github:ORG owner provider is configured
// (its organisations) or owners.githubTeams is set; nil otherwise, and
// then CODEOWNERS teams are not compared with group names.
func teamNames(specs []string, cfg *config.Config) *owners.TeamNames {
	var tn *owners.TeamNames
	for _, s := range specs {
		if org, ok := strings.CutPrefix(s, "github:"); ok && org != "" {
			if tn == nil {
				tn = &owners.TeamNames{}
			}
			tn.Orgs = append(tn.Orgs, org)
		}
	}
	if cfg == nil {
		return tn
	}
	t := cfg.Owners.GitHubTeams
	if tn == nil && (t.StripPrefix != "" || len(t.Rename) > 0 || t.Namespace != "") {
		tn = &owners.TeamNames{}
	}
	if tn != nil {
		tn.StripPrefix, tn.Rename, tn.Namespace = t.StripPrefix, t.Rename, t.Namespace
	}
	return tn
}

// parseOwners turns --owners values into providers; network providers are
// cached on disk.
func parseOwners(specs []string, stdio IO, cacheDir string, ttl time.Duration, offline bool, net NetOptions, tm TeamMapping) ([]owners.Provider, error) {
	if err := net.check(); err != nil {
		return nil, err
	}
	var out []owners.Provider
	for _, spec := range specs {
		typ, arg, ok := strings.Cut(spec, ":")
		if !ok || arg == "" {
			return nil, usageErr("--owners %q: want one of %s", redactSpec(spec), ownerKinds)
		}
		switch typ {
		case "file":
			out = append(out, &owners.File{Path: arg})
		default:
			p, err := remoteOwners(typ, arg, stdio, net, tm)
			if err != nil {
				return nil, err
			}
			if p == nil {
				return nil, usageErr("--owners %q: unknown provider type %q; want one of %s", redactSpec(spec), typ, ownerKinds)
			}
			out = append(out, &owners.Cached{Provider: p, Dir: cacheDir, TTL: ttl, Offline: offline})
		}
	}
	return out, nil
}

// remoteOwners builds the network owner providers; nil for an unknown type.
var remoteOwners = func(typ, arg string, stdio IO, net NetOptions, tm TeamMapping) (owners.Provider, error) {
	switch typ {
	case "backstage":
		s, err := backstage.New(backstage.Options{BaseURL: arg, Token: stdio.Getenv("BACKSTAGE_TOKEN"), Filter: "kind=group,kind=user", Timeout: net.timeout()})
		if err != nil {
			return nil, usageErr("--owners backstage:%s: %v", arg, err)
		}
		return &catalogOwners{src: s}, nil
	case "github":
		cache := ""
		if net.CacheDir != "-" {
			cache = filepath.Join(cacheDir(net.CacheDir), "github-http")
		}
		p, err := github.NewTeams(github.TeamsOptions{
			Org: arg, BaseURL: stdio.Getenv("GITHUB_API_URL"), Token: githubToken(stdio),
			CacheDir: cache, OnRateLimit: net.OnRateLimit,
			StripPrefix: tm.StripPrefix, Rename: tm.Rename, Namespace: tm.Namespace,
			Members: tm.Members, Timeout: net.timeout(),
		})
		if err != nil {
			return nil, usageErr("--owners github:%s: %v", arg, err)
		}
		return p, nil
	}
	return nil, nil
}

// catalogOwners is the owner directory of a catalog source's Groups and
// Users (a Backstage catalog).
type catalogOwners struct{ src catalog.Source }

func (c *catalogOwners) Name() string { return c.src.Name() }

func (c *catalogOwners) Load(ctx context.Context) (*owners.Directory, error) {
	es, err := c.src.Load(ctx)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*catalog.Entity, len(es))
	for i := range es {
		ptrs[i] = &es[i]
	}
	return owners.FromEntities(ptrs, c.src.Name()), nil
}

func describeSources(ss []catalog.Source) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}
