package cli

import (
	"errors"
	"path/filepath"

	"github.com/catalint-dev/catalint/pkg/appconfig"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
)

// AppConfigOptions are the flags that point catalint at the app-config of
// the organisation's Backstage.
type AppConfigOptions struct {
	// Files are --app-config, in order (later ones override earlier ones).
	Files []string
	// BackendDir is --backend-dir: the backend's working folder.
	BackendDir string
	// RepoURLs are --repo-url: this repository's URLs, besides its git
	// remotes.
	RepoURLs []string
}

// applyAppConfig fills the app-config options from .catalint.yaml
// (backstage.appConfig, backstage.backendDir, backstage.repoUrl) where the
// flags left them unset; paths there are relative to the config file.
func applyAppConfig(c *config.Config, o *AppConfigOptions, changed func(string) bool) {
	if c == nil {
		return
	}
	if !changed("app-config") {
		for _, f := range c.Backstage.AppConfig {
			o.Files = append(o.Files, fromConfig(c, f))
		}
	}
	if !changed("backend-dir") && c.Backstage.BackendDir != "" {
		o.BackendDir = fromConfig(c, c.Backstage.BackendDir)
	}
	if !changed("repo-url") {
		o.RepoURLs = append(o.RepoURLs, c.Backstage.RepoURL...)
	}
}

// loadAppConfig reads the app-configs and resolves their locations into
// the run options. A missing or unusable app-config is a usage error with
// its position.
func loadAppConfig(o *AppConfigOptions, lo load.Options, opts *lint.Options) error {
	if len(o.Files) == 0 {
		return nil
	}
	ac, err := appconfig.Load(o.Files, appconfig.Options{Root: lo.Root, MaxFileSize: lo.MaxFileSize})
	if err != nil {
		var ae *appconfig.Error
		if errors.As(err, &ae) {
			return usageErr("%v", ae)
		}
		return usageErr("--app-config: %v", err)
	}
	root := lo.Root
	if root == "" {
		first, _ := filepath.Abs(o.Files[0])
		root = load.RepoRoot(first)
	}
	backend := o.BackendDir
	if backend == "" {
		backend = ac.DefaultBackendDir()
	}
	if abs, err := filepath.Abs(backend); err == nil {
		backend = abs
	}
	first, _ := filepath.Abs(o.Files[0])
	urls := append(appconfig.GitRemotes(load.RepoRoot(first)), o.RepoURLs...)
	opts.AppConfig = ac
	opts.CatalogRules = ac.Enforcer(backend)
	opts.Registered = ac.Resolve(appconfig.ResolveOptions{BackendDir: backend, Root: root, RepoURLs: urls})
	opts.RepoPath = appconfig.RepoMapper(urls, root)
	if opts.Registered == nil {
		opts.Registered = []appconfig.Resolved{} // registers nothing: check nothing
	}
	return nil
}
