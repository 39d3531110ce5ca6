// Package load turns catalog files into documents: it finds the files,
// decodes each YAML document with the position of every key and value,
// resolves placeholders inside the repository, and reports what it cannot
// read as diagnostics.
package load

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/catalint-dev/catalint/pkg/diag"
	"gopkg.in/yaml.v3"
)

// DefaultMaxFileSize is the largest file read unless told otherwise.
const DefaultMaxFileSize = 5 << 20

// Rule ids of the problems the loader finds.
const (
	RuleFile        = "file"        // a file that cannot be read, is too large, or is binary
	RuleYAML        = "yaml"        // a YAML syntax error
	RuleEncoding    = "encoding"    // bytes that are not UTF-8
	RulePlaceholder = "placeholder" // a $text/$json/$yaml/... placeholder that cannot be resolved
)

// Options control reading.
type Options struct {
	// MaxFileSize is the largest file read, in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Root confines placeholders: files they name must be inside it. Empty
	// means each file's repository root (the nearest folder holding .git),
	// or the file's own folder when there is none.
	Root string
	// AllowRemote fetches remote placeholders (https only, unless
	// AllowHTTP); when false they are reported as not verified.
	AllowRemote bool
	AllowHTTP   bool
	// RemoteTimeout bounds one fetch; 0 means 20 seconds.
	RemoteTimeout time.Duration

	// literal leaves placeholders unresolved: the content a $yaml
	// placeholder reads is used as it is, as Backstage does, so a file that
	// names itself cannot recurse without end.
	literal bool
}

func (o Options) maxSize() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

// File is one catalog file and its documents.
type File struct {
	// Path is the file's name as shown in diagnostics.
	Path string
	// Src is the file's content, as read.
	Src []byte
	// Docs are the non-empty documents, in order.
	Docs []*Doc
	// Diags are problems of the file as a whole.
	Diags []diag.Diagnostic
	// Root is the folder placeholders were confined to.
	Root string
}

// Doc is one non-empty YAML document of a file.
type Doc struct {
	File *File
	// Index is the 1-based index among the file's non-empty documents.
	Index int
	// Line is the line of the document's first key (or first token).
	Line int
	// Root is the document's value; nil when it does not parse.
	Root *Node
	// Diags are the document's loading problems.
	Diags []diag.Diagnostic
	value any
}

// Value is Root as plain JSON values, built once per document: the schema,
// the policies and the catalog share it. Built on first use, after the
// checks that normalise the tree.
func (d *Doc) Value() any {
	if d.value == nil && d.Root != nil {
		d.value = d.Root.Value()
	}
	return d.value
}

// Pos turns a span of this document's file into a position.
func (f *File) Pos(s Span) diag.Pos {
	return diag.Pos{File: f.Path, Line: s.Line, Column: s.Column, EndLine: s.EndLine, EndColumn: s.EndColumn}
}

// ReadFile reads and decodes one file. Problems are diagnostics on the File;
// it never fails otherwise.
func ReadFile(path, display string, opts Options) *File {
	f := &File{Path: display}
	fi, err := os.Stat(path)
	if err != nil {
		f.fileDiag(diag.Error, "cannot read file: %s", cause(err))
		return f
	}
	if fi.IsDir() {
		f.fileDiag(diag.Error, "is a directory, not a file")
		return f
	}
	if fi.Size() > opts.maxSize() {
		f.fileDiag(diag.Error, "file is %d bytes, over the limit of %d bytes (raise it with --max-file-size)", fi.Size(), opts.maxSize())
		return f
	}
	fh, err := os.Open(path)
	if err != nil {
		f.fileDiag(diag.Error, "cannot read file: %s", cause(err))
		return f
	}
	defer fh.Close()
	root := opts.Root
	if root == "" {
		root = RepoRoot(path)
	}
	return Parse(sizedReader{fh, fi.Size()}, display, filepath.Dir(path), root, opts)
}

// sizedReader tells Parse how much to expect, so that it reads a file in
// one allocation.
type sizedReader struct {
	io.Reader
	size int64
}

// Parse decodes a catalog file read from r. dir is the folder relative
// placeholders are read from, root the folder they must stay inside.
func Parse(r io.Reader, display, dir, root string, opts Options) *File {
	f := &File{Path: display, Root: root}
	var src []byte
	var err error
	if sr, ok := r.(sizedReader); ok {
		buf := bytes.NewBuffer(make([]byte, 0, sr.size+bytes.MinRead))
		_, err = buf.ReadFrom(io.LimitReader(sr.Reader, opts.maxSize()+1))
		src = buf.Bytes()
	} else {
		src, err = io.ReadAll(io.LimitReader(r, opts.maxSize()+1))
	}
	if err != nil {
		f.fileDiag(diag.Error, "cannot read: %s", cause(err))
		return f
	}
	if int64(len(src)) > opts.maxSize() {
		f.fileDiag(diag.Error, "input is over the limit of %d bytes (raise it with --max-file-size)", opts.maxSize())
		return f
	}
	f.Src = src
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := bytes.Count(src[:i], []byte("\n")) + 1
		f.Diags = append(f.Diags, diag.Diagnostic{
			Pos:      diag.Pos{File: display, Line: line, Column: 1, EndLine: line, EndColumn: 2},
			Severity: diag.Error, Rule: RuleFile,
			Message: "file contains a NUL byte; it is binary, not YAML",
		})
		return f
	}
	text := src
	if !utf8.Valid(text) {
		i := firstInvalid(text)
		line := bytes.Count(text[:i], []byte("\n")) + 1
		f.Diags = append(f.Diags, diag.Diagnostic{
			Pos:      diag.Pos{File: display, Line: line, Column: 1, EndLine: line, EndColumn: 2},
			Severity: diag.Warning, Rule: RuleEncoding,
			Message: "file is not valid UTF-8; invalid bytes read as U+FFFD, as Backstage does",
		})
		text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
	}
	text = bytes.TrimPrefix(text, []byte("\uFEFF"))
	if cleaned, line, r := replaceControls(text); cleaned != nil {
		f.Diags = append(f.Diags, diag.Diagnostic{
			Pos:      diag.Pos{File: display, Line: line, Column: 1, EndLine: line, EndColumn: 2},
			Severity: diag.Warning, Rule: RuleEncoding,
			Message: fmt.Sprintf("file contains the control character %U; catalint reads control characters as U+FFFD", r),
		})
		text = cleaned
	}
	text, restore := prepare(text)
	lines := newLineIndex(text)
	res := &resolver{dir: dir, root: root, opts: opts, file: f}
	// Most files parse: read them with one decoder. A file with a syntax
	// error is read again document by document, so that the error fails
	// only its own document, as in Backstage's parser.
	type parsed struct {
		content *yaml.Node
		yerr    *yamlError
		c       chunk
		off     int
	}
	var docs []parsed
	if all, ok := parseStream(text); ok {
		for _, content := range all {
			docs = append(docs, parsed{content: content})
		}
	} else {
		for _, c := range splitDocuments(text) {
			content, yerr := parseChunk(c)
			docs = append(docs, parsed{content: content, yerr: yerr, c: c, off: c.firstLine - 1})
		}
	}
	for _, pd := range docs {
		content, yerr, c := pd.content, pd.yerr, pd.c
		if yerr != nil {
			d := &Doc{File: f, Index: len(f.Docs) + 1, Line: firstContentLine(c)}
			d.Diags = append(d.Diags, diag.Diagnostic{
				Pos:      diag.Pos{File: display, Line: yerr.Line, Column: yerr.Column, EndLine: yerr.Line, EndColumn: yerr.Column + 1},
				Severity: diag.Error, Rule: RuleYAML, Message: "YAML: " + yerr.Msg,
			})
			f.Docs = append(f.Docs, d)
			continue
		}
		if content == nil {
			continue
		}
		conv := &converter{lines: lines, off: pd.off, restore: restore, budget: MaxAliasNodes, inProgress: map[*yaml.Node]bool{}}
		root := conv.convert(content, 0, false)
		d := &Doc{File: f, Index: len(f.Docs) + 1, Line: content.Line + conv.off}
		f.Docs = append(f.Docs, d)
		if len(conv.errs) > 0 {
			for _, e := range conv.errs {
				d.Diags = append(d.Diags, diag.Diagnostic{
					Pos:      diag.Pos{File: display, Line: e.Line, Column: e.Column, EndLine: e.Line, EndColumn: e.Column + 1},
					Severity: diag.Error, Rule: RuleYAML, Message: "YAML: " + e.Msg,
				})
			}
			continue
		}
		if opts.literal {
			d.Root = root
			continue
		}
		d.Root = res.resolve(d, root)
	}
	return f
}

func (f *File) fileDiag(sev diag.Severity, format string, args ...any) {
	f.Diags = append(f.Diags, diag.Diagnostic{
		Pos: diag.Pos{File: f.Path}, Severity: sev, Rule: RuleFile, Message: fmt.Sprintf(format, args...),
	})
}

// replaceControls replaces the control characters that YAML 1.2 does not
// allow in a stream but that Backstage's parser accepts, one rune for one so
// that columns stay right. It returns nil when there are none, else the
// cleaned copy, the line of the first one and the character.
func replaceControls(b []byte) ([]byte, int, rune) {
	isCtl := func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r <= 0x9f && r != 0x85)
	}
	if bytes.IndexFunc(b, isCtl) < 0 {
		return nil, 0, 0
	}
	i := bytes.IndexFunc(b, isCtl)
	first, _ := utf8.DecodeRune(b[i:])
	line := bytes.Count(b[:i], []byte("\n")) + 1
	out := bytes.Map(func(r rune) rune {
		if isCtl(r) {
			return utf8.RuneError
		}
		return r
	}, b)
	return out, line, first
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// firstContentLine is the first line of a chunk that is not blank, a
// comment, a directive or a document marker.
func firstContentLine(c chunk) int {
	for i, l := range bytes.Split(c.src, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) == 0 || t[0] == '#' || t[0] == '%' {
			continue
		}
		if isMarker(t, "---") {
			if rest := bytes.TrimSpace(t[3:]); len(rest) == 0 || rest[0] == '#' {
				continue
			}
		}
		return c.firstLine + i
	}
	return c.firstLine
}

// cause strips the path from an *os.PathError, whose text repeats the file.
func cause(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

var repoRoots sync.Map // folder → its repository root

// RepoRoot returns the nearest folder above path (or path itself) that
// holds a .git entry, or path's own folder when there is none. Answers are
// remembered per folder: a run asks once per folder, not once per file.
func RepoRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	start := abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		start = filepath.Dir(abs)
	}
	if r, ok := repoRoots.Load(start); ok {
		return r.(string)
	}
	root := start
	for d := start; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	repoRoots.Store(start, root)
	return root
}
