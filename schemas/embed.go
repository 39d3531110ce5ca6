// Package schemas embeds catalint's JSON Schemas for catalog entities.
//
// The files are catalint's own draft-07 schemas describing what Backstage's
// catalog accepts. They reference each other by file name, so a compiler
// that loads every file of FS under its own name resolves all references.
package schemas

import "embed"

// FS holds every *.schema.json file of this folder.
//
//go:embed *.schema.json
var FS embed.FS

// Modules holds the schemas of Backstage's opt-in catalog modules, a
// folder per module (ai-model/), compiled only when a module is enabled.
//
//go:embed ai-model/*.schema.json
var Modules embed.FS
