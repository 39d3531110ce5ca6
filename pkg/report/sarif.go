package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/catalint-dev/catalint/pkg/diag"
	"github.com/catalint-dev/catalint/pkg/lint"
)

// SARIFOptions control the SARIF format.
type SARIFOptions struct {
	// Version is catalint's version, written as tool.driver.version
	// (without a leading "v").
	Version string
	// SrcRoot is the root of the checked repository. Paths in diagnostics
	// are relative to the working directory; with SrcRoot they are made
	// relative to it, and the run says where %SRCROOT% is
	// (originalUriBaseIds). GitHub code scanning reads relative URIs as
	// relative to the repository root, so SrcRoot should be that root when
	// catalint runs elsewhere.
	SrcRoot string
	// Rules are the rules tool.driver describes, in this order; nil means
	// lint.Rules. A diagnostic of a rule not among them gets a descriptor
	// of its own at the end.
	Rules []lint.Rule
}

const (
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	srcRootBaseID  = "%SRCROOT%"
	// sarifFingerprintKey is the partialFingerprints key GitHub code
	// scanning matches results across runs with (it uses no other key).
	sarifFingerprintKey = "primaryLocationLineHash"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string               `json:"name"`
	Version        string               `json:"version,omitempty"`
	InformationURI string               `json:"informationUri"`
	Rules          []sarifReportingDesc `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifReportingDesc struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string       `json:"level"`
	Message        sarifText    `json:"message"`
	AssociatedRule *sarifRuleRf `json:"associatedRule,omitempty"`
}

type sarifRuleRf struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// SARIF writes the result as a SARIF 2.1.0 log with one run, in the subset
// GitHub code scanning reads (github/codeql-action/upload-sarif):
//
//   - tool.driver lists every rule of lint.Rules with its descriptions, a
//     help text, a helpUri into docs/rules.md, its default level and its
//     group as a tag;
//   - each diagnostic with a file is a result with ruleId, ruleIndex,
//     level (error, warning, note), message.text (with the suggestion),
//     one location (the artifact's URI, relative to SrcRoot, with a region
//     unless it is about the whole file) and partialFingerprints;
//   - diagnostics about the whole run (no file) are not results: code
//     scanning rejects the whole upload when a result has no location
//     ("locationFromSarifResult: expected at least one location"). They are
//     tool execution notifications of the run's invocation instead.
//
// The fingerprint is a hash of the rule, the artifact's URI, the entity
// reference and the message, not of the line, so an alert keeps its
// identity when lines move; ":N" counts identical ones in order.
func SARIF(w io.Writer, r *lint.Result, o SARIFOptions) error {
	version := o.Version
	if len(version) > 1 && version[0] == 'v' && '0' <= version[1] && version[1] <= '9' {
		version = version[1:] // SARIF tools compare versions that start with a digit
	}
	driver := sarifDriver{Name: "catalint", Version: version, InformationURI: "https://github.com/catalint-dev/catalint"}
	index := map[string]int{}
	addRule := func(ru lint.Rule) int {
		if i, ok := index[ru.ID]; ok {
			return i
		}
		index[ru.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule(ru))
		return index[ru.ID]
	}
	rules := o.Rules
	if rules == nil {
		rules = lint.Rules
	}
	for _, ru := range rules {
		addRule(ru)
	}
	ruleIndex := func(id string, sev diag.Severity) int {
		if i, ok := index[id]; ok {
			return i
		}
		if ru, ok := lint.RuleByID(id); ok {
			return addRule(ru)
		}
		return addRule(lint.Rule{ID: id, Severity: sev, Description: "Rule " + id + "."})
	}

	root := ""
	if o.SrcRoot != "" {
		if abs, err := filepath.Abs(o.SrcRoot); err == nil {
			root = abs
		}
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	if root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRootBaseID: {URI: fileURI(root, true)}}
	}
	seen := map[string]int{}
	var notes []sarifNotification
	for _, d := range r.Diagnostics {
		idx := ruleIndex(d.Rule, d.Severity)
		msg := sarifText{Text: sarifMessage(withSuggestion(d))}
		if d.File == "" {
			notes = append(notes, sarifNotification{Level: sarifLevel(d.Severity), Message: msg, AssociatedRule: &sarifRuleRf{ID: d.Rule, Index: idx}})
			continue
		}
		loc := artifactLocation(d.File, root)
		phys := sarifPhysical{ArtifactLocation: loc}
		if d.Line > 0 {
			reg := &sarifRegion{StartLine: d.Line}
			if d.Column > 0 {
				reg.StartColumn = d.Column
			}
			if d.EndLine >= d.Line {
				reg.EndLine = d.EndLine
				if d.EndColumn > 0 && (d.EndLine > d.Line || d.EndColumn > d.Column) {
					reg.EndColumn = d.EndColumn
				}
			}
			phys.Region = reg
		}
		fp := fingerprint(d.Rule, loc.URI, d.Entity, d.Message)
		seen[fp]++
		res := sarifResult{
			RuleID:              d.Rule,
			RuleIndex:           idx,
			Level:               sarifLevel(d.Severity),
			Message:             msg,
			Locations:           []sarifLocation{{PhysicalLocation: phys}},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fp + ":" + strconv.Itoa(seen[fp])},
		}
		if d.Entity != "" {
			res.Properties = map[string]any{"entity": d.Entity}
		}
		run.Results = append(run.Results, res)
	}
	run.Tool.Driver = driver
	run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	_, err := w.Write(jsonSafe(buf.Bytes())) // see jsonSafe
	return err
}

func sarifRule(ru lint.Rule) sarifReportingDesc {
	uri := RuleHelpURI(ru.ID)
	return sarifReportingDesc{
		ID:                   ru.ID,
		Name:                 ruleName(ru.ID),
		ShortDescription:     sarifText{Text: firstSentence(ru.Description)},
		FullDescription:      sarifText{Text: ru.Description},
		Help:                 sarifText{Text: ru.Description + " See " + uri, Markdown: ru.Description + " See [`" + ru.ID + "` in docs/rules.md](" + uri + ")."},
		HelpURI:              uri,
		DefaultConfiguration: sarifConfig{Level: sarifLevel(ru.Severity)},
		Properties:           map[string]any{"tags": []string{"catalint", ru.Group}},
	}
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// ruleName is a rule's SARIF name, an identifier for people:
// "unresolved-ref" becomes "UnresolvedRef". A one-word id has none: SARIF
// wants a name that differs from the id (the SARIF validator's SARIF1001
// compares them ignoring case), and "Schema" would not.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	if strings.EqualFold(b.String(), id) {
		return ""
	}
	return b.String()
}

// firstSentence is the text up to and including the first ". ", or all of
// it.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// sarifMessage escapes a plain text SARIF message: in SARIF 2.1.0
// (§3.11.6) "[text](target)" is an embedded link, so literal square
// brackets and backslashes are written \[ \] and \\.
func sarifMessage(s string) string {
	return sarifMessageEscaper.Replace(s)
}

var sarifMessageEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)

// artifactLocation is a diagnostic's file as a SARIF artifactLocation:
// relative to root (or as given when root is empty), with forward slashes,
// percent-encoded, and based on %SRCROOT%; a file outside the root, or an
// absolute path when there is no root, is an absolute file: URI.
func artifactLocation(path, root string) sarifArtifactLoc {
	p := path
	if root != "" {
		abs, err := filepath.Abs(p)
		if err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			} else {
				p = abs
			}
		}
	}
	if filepath.IsAbs(p) {
		return sarifArtifactLoc{URI: fileURI(p, false)}
	}
	return sarifArtifactLoc{URI: escapeURIPath(filepath.ToSlash(p)), URIBaseID: srcRootBaseID}
}

// escapeURIPath percent-encodes every byte of a slash-separated path except
// unreserved characters (RFC 3986) and "/". Colons are encoded too, so that
// a relative reference never reads as a scheme.
func escapeURIPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~', c == '/':
			b.WriteByte(c)
		default:
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

// fileURI is the file: URI of an absolute path; dir adds the trailing slash
// SARIF wants on a base URI.
func fileURI(abs string, dir bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x on Windows
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// fingerprint is a stable hash of what identifies a finding, whatever its
// line.
func fingerprint(rule, uri, entity, message string) string {
	h := sha256.New()
	for _, s := range []string{"catalint/v1", rule, uri, entity, message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
