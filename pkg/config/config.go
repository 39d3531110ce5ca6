// Package config reads .catalint.yaml: decoded strictly, validated by its
// own JSON Schema (schemas/config.schema.json), with every error at its
// line and column.
package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/schema"
)

// FileNames are the names looked for at the repository root.
var FileNames = []string{".catalint.yaml", ".catalint.yml"}

// SchemaName is the config schema in schemas/.
const SchemaName = "config.schema.json"

// Config is .catalint.yaml.
type Config struct {
	Version int      `json:"version"`
	Paths   []string `json:"paths"`
	Ignore  []string `json:"ignore"`
	// Discovery narrows or widens the folder search.
	Discovery Discovery `json:"discovery"`
	Rules     Rules     `json:"rules"`
	Catalog   []string  `json:"catalog"`
	Owners    Owners    `json:"owners"`
	// Drift holds the thresholds of ownership drift (owner-drift).
	Drift    Drift    `json:"drift"`
	Allowed  Allowed  `json:"allowed"`
	Policies []Policy `json:"policies"`
	// Annotations add well-known annotation formats.
	Annotations []Annotation `json:"annotations"`
	Score       Score        `json:"score"`
	// Backstage describes the organisation's Backstage.
	Backstage Backstage `json:"backstage"`
	// Kinds are the organisation's own kinds.
	Kinds []Kind `json:"kinds"`
	// GitHub holds the settings of github:ORG catalog sources.
	GitHub GitHub `json:"github"`
	// Templates configure how scaffolder Templates' skeletons are rendered
	// and what files they must ship (rules template-skeleton,
	// template-files).
	Templates Templates `json:"templates"`

	// Adoption shapes the report's template adoption section.
	Adoption Adoption `json:"adoption"`

	// Path is the file it was read from; Dir its folder.
	Path string `json:"-"`
	Dir  string `json:"-"`
	root *load.Node
	file *load.File
}

// Discovery shapes how folders are searched for catalog files.
type Discovery struct {
	// Include are globs of more files that are catalog files whatever
	// their content.
	Include []string `json:"include"`
	// Exclude are globs of paths to skip, like Ignore.
	Exclude []string `json:"exclude"`
	// APIVersions are more apiVersion prefixes that make a YAML file a
	// catalog file.
	APIVersions []string `json:"apiVersions"`
	// ByContent, when false, searches by name only.
	ByContent *bool `json:"byContent"`
}

// Backstage is the backstage: block: where the organisation's Backstage
// configuration is.
type Backstage struct {
	// AppConfig are app-config files, merged in order (--app-config).
	AppConfig []string `json:"appConfig"`
	// BackendDir is the backend's working folder (--backend-dir).
	BackendDir string `json:"backendDir"`
	// RepoURL are this repository's URLs (--repo-url).
	RepoURL []string `json:"repoUrl"`
	// Modules are the opt-in catalog modules it runs (ai-model;
	// --backstage-module).
	Modules []string `json:"modules"`
	// DetectModules, when false, turns off enabling the modules the
	// Backstage app in the repository runs (packages/backend).
	DetectModules *bool `json:"detectModules"`
}

// Rules selects rules and overrides severities.
type Rules struct {
	Only     []string          `json:"only"`
	Disable  []string          `json:"disable"`
	Severity map[string]string `json:"severity"`
}

// Owners configures the owners group.
type Owners struct {
	Providers       []string `json:"providers"`
	AllowUsers      *bool    `json:"allowUsers"`
	RequireMembers  *bool    `json:"requireMembers"`
	OnProviderError string   `json:"onProviderError"`
	Codeowners      *bool    `json:"codeowners"`
	CacheTTL        string   `json:"cacheTTL"`
	GitHubTeams     Teams    `json:"githubTeams"`
}

// Drift holds the thresholds of ownership drift; zero values mean the
// defaults (90 days, 5 commits, a majority over 0.5).
type Drift struct {
	Days          int      `json:"days"`
	MinCommits    int      `json:"minCommits"`
	Majority      float64  `json:"majority"`
	IgnoreAuthors []string `json:"ignoreAuthors"`
}

// Adoption shapes the report's template adoption section; zero values
// mean the defaults (new repositories: those of the last 90 days).
type Adoption struct {
	Days int `json:"days"`
}

// Teams maps catalog group names to GitHub team slugs.
type Teams struct {
	StripPrefix string            `json:"stripPrefix"`
	Rename      map[string]string `json:"rename"`
	Namespace   string            `json:"namespace"`
}

// TTL parses CacheTTL; zero when unset.
func (o Owners) TTL() time.Duration {
	d, _ := time.ParseDuration(o.CacheTTL)
	return d
}

// Allowed lists allowed values.
type Allowed struct {
	Lifecycles     []string `json:"lifecycles"`
	ComponentTypes []string `json:"componentTypes"`
	APITypes       []string `json:"apiTypes"`
	ResourceTypes  []string `json:"resourceTypes"`
}

// Annotation is one more annotation format.
type Annotation struct {
	Key         string `json:"key"`
	Pattern     string `json:"pattern"`
	Description string `json:"description"`
}

// Policy is a custom JSON Schema for the entities a selector picks.
type Policy struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Severity    string          `json:"severity"`
	Select      Selector        `json:"select"`
	Schema      json.RawMessage `json:"schema"`
	SchemaFile  string          `json:"schemaFile"`
	// Index is the policy's position in the file, for positions.
	Index int `json:"-"`
}

// Templates is the templates: block.
type Templates struct {
	// Values are parameter values by template name ("*": every template);
	// they replace the parameters' defaults.
	Values map[string]map[string]any `json:"values"`
	// Skeleton are policies on the files skeletons ship.
	Skeleton []SkeletonPolicy `json:"skeleton"`
}

// SkeletonPolicy requires or forbids files (globs of paths in the new
// repository) in the skeletons of the Templates it matches.
type SkeletonPolicy struct {
	Match   TemplateMatch `json:"match"`
	Require []string      `json:"require"`
	Forbid  []string      `json:"forbid"`
}

// TemplateMatch selects Templates by spec.type and metadata.name (a
// glob); empty fields match anything.
type TemplateMatch struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Selector picks entities; empty fields match anything.
type Selector struct {
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	Lifecycle string `json:"lifecycle"`
	Tag       string `json:"tag"`
}

// Kind declares a kind, as a Backstage catalog model layer does.
type Kind struct {
	Kind        string   `json:"kind"`
	APIVersions []string `json:"apiVersions"`
	SpecType    string   `json:"specType"`
	// Schema is the JSON Schema of the entity: inline, or (a string) the
	// path of a JSON or YAML file, relative to the configuration file.
	Schema    json.RawMessage `json:"schema"`
	Relations []KindRelation  `json:"relations"`
}

// KindRelation is a relation field of a declared kind.
type KindRelation struct {
	Path         string   `json:"path"`
	Relation     string   `json:"relation"`
	DefaultKind  string   `json:"defaultKind"`
	AllowedKinds []string `json:"allowedKinds"`
}

// Score configures the completeness score.
type Score struct {
	Weights  map[string]float64 `json:"weights"`
	Levels   []Level            `json:"levels"`
	MinScore *float64           `json:"minScore"`
}

// Level is one cumulative level of the score.
type Level struct {
	Name    string   `json:"name"`
	Require []string `json:"require"`
}

// Error is a configuration file with problems; each is a diagnostic at its
// position.
type Error struct {
	Path  string
	Diags []diag.Diagnostic
}

func (e *Error) Error() string {
	s := fmt.Sprintf("configuration %s is not valid:", e.Path)
	for _, d := range e.Diags {
		s += "\n  " + d.Pos.String() + ": " + d.Message
		if d.Suggestion != "" {
			s += " (" + d.Suggestion + ")"
		}
	}
	return s
}

// Find looks for a config file in dir and its parents up to the repository
// root; "" when there is none.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	root := load.RepoRoot(abs)
	for d := abs; ; d = filepath.Dir(d) {
		for _, n := range FileNames {
			p := filepath.Join(d, n)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				if rel, err := filepath.Rel(dirAbs(dir), p); err == nil {
					return filepath.Join(dir, rel)
				}
				return p
			}
		}
		if d == root || d == filepath.Dir(d) {
			return ""
		}
	}
}

func dirAbs(d string) string {
	a, _ := filepath.Abs(d)
	return a
}

// Load reads and validates a config file. A file with problems is an
// *Error; a file that cannot be read is a plain error.
func Load(path string) (*Config, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("configuration %s: %w", path, err)
	}
	f := load.ReadFile(path, path, load.Options{MaxFileSize: 1 << 20, Root: filepath.Dir(path)})
	cerr := &Error{Path: path}
	cerr.Diags = append(cerr.Diags, f.Diags...)
	var root *load.Node
	switch {
	case len(f.Docs) > 1:
		cerr.Diags = append(cerr.Diags, diag.Diagnostic{Pos: diag.Pos{File: path, Line: f.Docs[1].Line, Column: 1}, Severity: diag.Error, Rule: "config", Message: "a configuration file holds one YAML document"})
	case len(f.Docs) == 1:
		cerr.Diags = append(cerr.Diags, f.Docs[0].Diags...)
		root = f.Docs[0].Root
	}
	if root == nil && len(cerr.Diags) == 0 {
		root = &load.Node{Kind: load.Map} // an empty file is an empty config
	}
	if len(cerr.Diags) > 0 {
		return nil, cerr
	}
	set, err := schema.Config()
	if err != nil {
		return nil, err
	}
	for _, p := range set.Validate(SchemaName, root) {
		cerr.Diags = append(cerr.Diags, diag.Diagnostic{Pos: f.Pos(p.Span), Severity: diag.Error, Rule: "config", Message: p.Message, Suggestion: p.Suggestion})
	}
	if len(cerr.Diags) > 0 {
		return nil, cerr
	}
	b, err := json.Marshal(root.Value())
	if err != nil {
		return nil, err
	}
	c := &Config{Path: path, Dir: filepath.Dir(path), root: root, file: f}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("configuration %s: %w", path, err)
	}
	for i := range c.Policies {
		c.Policies[i].Index = i
	}
	return c, nil
}

// Pos returns the position of a key path in the file (the file itself when
// the path is not there), for diagnostics about values the schema cannot
// judge, such as rule ids.
func (c *Config) Pos(path ...string) diag.Pos {
	if c == nil || c.root == nil {
		return diag.Pos{}
	}
	n, key, _ := c.root.Locate(path)
	if key != nil {
		return c.file.Pos(*key)
	}
	return c.file.Pos(n.Span)
}

// Invalid builds an *Error about one value of the file.
func (c *Config) Invalid(msg, suggestion string, path ...string) *Error {
	return &Error{Path: c.Path, Diags: []diag.Diagnostic{{Pos: c.Pos(path...), Severity: diag.Error, Rule: "config", Message: msg, Suggestion: suggestion}}}
}

// GitHub is the github: block: how github:ORG catalog sources are read.
type GitHub struct {
	// API is "auto", "graphql" or "rest" (--github-api).
	API string `json:"api"`
}
