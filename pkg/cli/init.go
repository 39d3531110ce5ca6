package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/catalint-dev/catalint/pkg/config"
)

// starterConfig is what `catalint init` writes: every key, commented.
const starterConfig = `# catalint configuration. Every key is optional; docs/config.md explains each.
# Editors: catalint schema --config > .catalint/config.schema.json, then
# yaml-language-server: $schema=./.catalint/config.schema.json
version: 1

# What "catalint check" checks when no path is given (relative to this file).
paths: [.]

# Globs to skip, on top of .git, node_modules and scaffolder skeleton/ folders.
ignore: []
#  - "templates/**"

# How a folder is searched: catalog-info.yaml, catalog-info.yml, and every
# other .yaml/.yml file with a line "apiVersion: backstage.io/..." or
# "apiVersion: scaffolder.backstage.io/...".
discovery:
  # More files that are catalog files whatever their content.
  include: []
  #  - "catalog/**/*.yaml"
  # Paths to skip, as ignore.
  exclude: []
  # More apiVersion prefixes (the custom kinds of your catalog model).
  apiVersions: []
  #  - example.com/
  # false: search by name only (catalog-info.yaml, catalog-info.yml, include).
  byContent: true

rules:
  # Run only these groups or rules (schema, refs, owners, policy, style, or rule ids).
  # only: [schema, refs, owners]
  disable: []
  # Per rule: error, warning, notice or off.
  severity: {}
  #  unknown-field: error
  #  codeowners: off

# Where references are resolved: dir:PATH, snapshot:FILE|URL, backstage:URL, github:ORG.
catalog: []
#  - snapshot:https://ci.example.com/catalog.json.gz

owners:
  # Identity providers: github:ORG, file:PATH, backstage:URL.
  providers: []
  #  - file:org.yaml
  allowUsers: true       # false: only teams may own entities
  requireMembers: false  # warn about owner teams with no members
  onProviderError: fail  # or warn
  codeowners: true       # compare owners with CODEOWNERS
  cacheTTL: 1h

# Allowed values; empty lists allow anything.
allowed:
  lifecycles: [production, experimental, deprecated]
  componentTypes: []
  #  - service
  #  - website
  #  - library

# Custom JSON Schemas for the entities a selector picks.
policies: []
#  - name: production-services-are-on-call
#    description: Every production service has a PagerDuty integration and a runbook link.
#    select: {kind: Component, type: service, lifecycle: production}
#    severity: error
#    schema:
#      properties:
#        metadata:
#          required: [annotations, links]
#          properties:
#            annotations: {required: [pagerduty.com/integration-key]}
#            links: {minItems: 1}

# Backstage's opt-in catalog modules your Backstage runs (their kinds are
# then checked like built-in ones): ai-model (AiResource, API type mcp-server).
backstage:
  modules: []

# Your own kinds, declared as Backstage's catalog model layers declare them.
kinds: []
#  - kind: Pipeline
#    apiVersions: [acme.io/v1]
#    schema: schemas/pipeline.json   # or inline; the JSON Schema of the whole entity
#    relations:
#      - {path: spec.owner, relation: ownedBy, defaultKind: Group, allowedKinds: [Group, User]}

# The completeness score: weights of the metrics and cumulative levels.
score:
  weights: {owner: 2, dependencies: 1, apiSpec: 1, lifecycle: 1, description: 1, techdocs: 1, links: 1, system: 1}
  levels:
    - {name: Bronze, require: [owner, lifecycle, description]}
    - {name: Silver, require: [system, dependencies, apiSpec]}
    - {name: Gold, require: [techdocs, links]}
  # minScore: 70   # check fails below this mean score

# The organisation's Backstage: check what its app-config registers, with its
# catalog rules (relative to this file; later files override earlier ones).
# backstage:
#   appConfig: [app-config.yaml, app-config.production.yaml]
#   backendDir: packages/backend   # file targets are relative to it
`

func newInit(stdio IO) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented .catalint.yaml to start from",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path := config.FileNames[0]
			if _, err := os.Stat(path); err == nil && !force {
				return usageErr("%s exists; use --force to overwrite it", path)
			}
			if err := os.WriteFile(path, []byte(starterConfig), 0o644); err != nil {
				return fatalErr(err)
			}
			fmt.Fprintf(stdio.Out, "wrote %s\n", path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
