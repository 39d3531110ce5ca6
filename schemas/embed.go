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
