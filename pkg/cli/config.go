package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/catalint-dev/catalint/pkg/annotations"
	"github.com/catalint-dev/catalint/pkg/config"
	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// loadConfig reads --config, or finds .catalint.yaml from the working
// folder up to the repository root. nil when there is none.
func loadConfig(path string, explicit bool) (*config.Config, error) {
	if !explicit {
		path = config.Find(".")
		if path == "" {
			return nil, nil
		}
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, configErr(err)
	}
	return c, nil
}

func configErr(err error) error {
	var ce *config.Error
	if errors.As(err, &ce) {
		return usageErr("%v", ce)
	}
	return usageErr("%v", err)
}

// fromConfig resolves a path of the config file against its folder, shown
// relative to the working folder when it is below it.
func fromConfig(c *config.Config, p string) string {
	if filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	abs := filepath.Join(c.Dir, p)
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil {
			return rel
		}
	}
	return abs
}

// withPrefixPath resolves the PATH of "dir:PATH"-style specs in the config.
func withPrefixPath(c *config.Config, spec string, local ...string) string {
	typ, arg, ok := strings.Cut(spec, ":")
	if !ok {
		return spec
	}
	for _, l := range local {
		if typ == l && !strings.Contains(arg, "://") {
			return typ + ":" + fromConfig(c, arg)
		}
	}
	return spec
}

// applyNetConfig fills the network options of github:ORG sources that the
// flags left unset from the github: block; every command that reads
// catalog sources calls it, so a scan is made the same way by each.
func applyNetConfig(f *pflag.FlagSet, c *config.Config, n *NetOptions) {
	if c == nil {
		return
	}
	if c.GitHub.API != "" && !f.Changed("github-api") {
		n.GitHubAPI = c.GitHub.API
	}
}

// configCatalog is the catalog: sources of the configuration, local paths
// resolved against its folder.
func configCatalog(c *config.Config) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Catalog {
		out = append(out, withPrefixPath(c, s, "dir", "snapshot"))
	}
	return out
}

// applyConfig fills the check options the flags left unset.
func applyConfig(cmd *cobra.Command, c *config.Config, o *CheckOptions) error {
	if c == nil {
		return nil
	}
	f := cmd.Flags()
	applyAppConfig(c, &o.AppConfig, f.Changed)
	if len(o.Paths) == 0 && len(o.AppConfig.Files) == 0 {
		// With an app-config, what it registers is checked instead.
		for _, p := range c.Paths {
			o.Paths = append(o.Paths, fromConfig(c, p))
		}
	}
	o.Ignore = append(append(append([]string{}, c.Ignore...), c.Discovery.Exclude...), o.Ignore...)
	o.Include = c.Discovery.Include
	o.APIVersions = c.Discovery.APIVersions
	if c.Discovery.ByContent != nil {
		o.NameOnly = !*c.Discovery.ByContent
	}
	if !f.Changed("only") {
		o.Only = c.Rules.Only
	}
	if !f.Changed("disable") {
		o.Disable = c.Rules.Disable
	}
	o.Catalog = append(o.Catalog, configCatalog(c)...)
	applyNetConfig(f, c, &o.Net)
	for _, s := range c.Owners.Providers {
		o.Owners = append(o.Owners, withPrefixPath(c, s, "file"))
	}
	if c.Owners.AllowUsers != nil && !f.Changed("owners-allow-users") {
		o.AllowUsers = *c.Owners.AllowUsers
	}
	if c.Owners.RequireMembers != nil && !f.Changed("require-team-members") {
		o.RequireMembers = *c.Owners.RequireMembers
	}
	if c.Owners.OnProviderError != "" && !f.Changed("on-provider-error") {
		o.OnProviderError = c.Owners.OnProviderError
	}
	if c.Owners.Codeowners != nil && !f.Changed("no-codeowners") {
		o.NoCodeowners = !*c.Owners.Codeowners
	}
	if ttl := c.Owners.TTL(); ttl > 0 && !f.Changed("cache-ttl") {
		o.CacheTTL = ttl
	}
	if c.Score.MinScore != nil && !f.Changed("min-score") {
		o.MinScore = *c.Score.MinScore
	}
	return nil
}

// configRules applies the severity overrides and compiles the policies.
func configRules(c *config.Config, sel *lint.Selection) (lint.Allowed, []lint.Policy, *annotations.Registry, error) {
	if c == nil {
		return lint.Allowed{}, nil, nil, nil
	}
	for id, sev := range c.Rules.Severity {
		if err := sel.SetSeverity(id, sev); err != nil {
			return lint.Allowed{}, nil, nil, configErr(c.Invalid(err.Error(), "", "rules", "severity", id))
		}
	}
	for _, n := range append(append([]string{}, c.Rules.Only...), c.Rules.Disable...) {
		if _, err := lint.NewSelection([]string{n}, nil); err != nil {
			key := "only"
			if !contains(c.Rules.Only, n) {
				key = "disable"
			}
			return lint.Allowed{}, nil, nil, configErr(c.Invalid(strings.TrimPrefix(err.Error(), "--only "), "", "rules", key))
		}
	}
	var reg *annotations.Registry
	if len(c.Annotations) > 0 {
		reg = annotations.New()
		for i, a := range c.Annotations {
			if err := reg.Add(a.Key, a.Pattern, a.Description); err != nil {
				return lint.Allowed{}, nil, nil, configErr(c.Invalid(err.Error(), "", "annotations", fmt.Sprint(i), "pattern"))
			}
		}
	}
	allowed := lint.Allowed{Lifecycles: c.Allowed.Lifecycles, ComponentTypes: c.Allowed.ComponentTypes, APITypes: c.Allowed.APITypes, ResourceTypes: c.Allowed.ResourceTypes}
	var pols []lint.Policy
	for _, p := range c.Policies {
		where := []string{"policies", fmt.Sprint(p.Index)}
		src := []byte(p.Schema)
		if p.SchemaFile != "" {
			b, err := readConfigSchema(c, p.SchemaFile)
			if err != nil {
				return allowed, nil, nil, configErr(c.Invalid(fmt.Sprintf("policy %s: schemaFile %s: %v", p.Name, p.SchemaFile, err), "", append(where, "schemaFile")...))
			}
			src = b
		}
		name := "policy-" + p.Name + ".schema.json"
		set, err := schema.Compile(nil, map[string][]byte{name: src})
		if err != nil {
			return allowed, nil, nil, configErr(c.Invalid(fmt.Sprintf("policy %s: the schema does not compile: %v", p.Name, err), "", where...))
		}
		sev := diag.Error
		if p.Severity != "" {
			sev, _ = diag.ParseSeverity(p.Severity)
		}
		pols = append(pols, lint.Policy{Name: p.Name, Severity: sev, Kind: p.Select.Kind, Type: p.Select.Type,
			Lifecycle: p.Select.Lifecycle, Tag: p.Select.Tag, Schemas: set, SchemaName: name})
	}
	return allowed, pols, reg, nil
}

// templateOptions are the templates: block of .catalint.yaml.
func templateOptions(c *config.Config) lint.TemplateOptions {
	if c == nil {
		return lint.TemplateOptions{}
	}
	t := lint.TemplateOptions{Values: c.Templates.Values}
	for _, p := range c.Templates.Skeleton {
		t.Skeleton = append(t.Skeleton, lint.SkeletonPolicy{Type: p.Match.Type, Name: p.Match.Name, Require: p.Require, Forbid: p.Forbid})
	}
	return t
}
