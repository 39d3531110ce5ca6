// Package load turns catalog files into documents: it finds the files,
// decodes each YAML document with the position of every key and value,
// resolves placeholders inside the repository, and reports what it cannot
// read as diagnostics.
package load

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
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
	// or DefaultRoot when there is none.
	Root string
	// DefaultRoot is the root of a file with no .git above it; empty means
	// the file's own folder.
	DefaultRoot string
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
	// noFast reads every file with yaml.v3 (tests compare both readers).
	noFast bool
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
	// Src is the file's content, as read. It must not be changed: the
	// strings of the documents the fast reader read share its memory.
	Src []byte
	// Docs are the non-empty documents, in order.
	Docs []*Doc
	// Diags are problems of the file as a whole.
	Diags []diag.Diagnostic
	// Root is the folder placeholders were confined to.
	Root string
	// fast tells that the fast reader decoded the file, or at least
	// fastDocs of its documents (the others went to yaml.v3).
	fast     bool
	fastDocs int
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
	return readFile(path, display, opts, nil, "")
}

// ReadTarget is ReadFile of a target found by Discover: the content the
// folder search read on its way (a regular file, read whole) is decoded
// without a second read, once; otherwise, and for every other target, the
// file is read. The caller sets opts.DefaultRoot (to t.Root) as for
// ReadFile.
func ReadTarget(t Target, opts Options) *File {
	return readFile(t.Path, t.Display, opts, t.pre.take(), t.abs)
}

// readFile is ReadFile with the file's content already read (pre, nil
// when it was not): a regular file, not a link, as a folder listing said;
// abs is path made absolute, when known.
func readFile(path, display string, opts Options, pre []byte, abs string) *File {
	f := &File{Path: display}
	root := opts.Root
	var absErr error
	if abs == "" {
		abs, absErr = filepath.Abs(path)
	}
	if root != "" && absErr == nil {
		// --root confines what the file names; a file given outside it is
		// confined to its own repository.
		if r, err := filepath.Abs(root); err != nil || !Within(filepath.Clean(r), abs) {
			root = ""
		}
	}
	if root == "" {
		if absErr == nil {
			dir := filepath.Dir(abs)
			root = gitAncestor(dir)
			if root == "" && opts.DefaultRoot != "" && Within(opts.DefaultRoot, dir) {
				root = opts.DefaultRoot
			}
			if root == "" {
				root = dir
			}
		} else {
			root = filepath.Dir(path)
		}
	}
	// The file itself is confined like the files its placeholders name: a
	// catalog file (found, named or a Location target) that is a symlink
	// out of the repository is not read, so its content (a CI runner's
	// /proc/self/environ, /etc/passwd) can never reach a snippet, a
	// message, a summary or a comment.
	if absErr == nil {
		if absRoot, err := filepath.Abs(root); err == nil {
			confine := Confine
			if pre != nil {
				confine = confineEntry
			}
			if _, err := confine(filepath.Clean(absRoot), filepath.Clean(abs)); err != nil {
				var out *OutsideError
				if errors.As(err, &out) {
					if out.Real != "" {
						f.fileDiag(diag.Error, "not read: it is a symlink to %s, outside the repository root %s", out.Real, root)
					} else {
						f.fileDiag(diag.Error, "not read: it is outside the repository root %s", root)
					}
					return f
				}
				// Other errors (it does not exist, a folder cannot be
				// read) are reported by the read below.
			}
		}
	}
	var src []byte
	var err error
	switch {
	case pre == nil:
		src, err = readLimited(path, opts.maxSize())
	case int64(len(pre)) > opts.maxSize():
		err = &tooLargeError{int64(len(pre)), opts.maxSize()}
	default:
		src = pre
	}
	var big *tooLargeError
	switch {
	case errors.As(err, &big):
		f.fileDiag(diag.Error, "file is %d bytes, over the limit of %d bytes (raise it with --max-file-size)", big.size, opts.maxSize())
		return f
	case errors.Is(err, errIsDir):
		f.fileDiag(diag.Error, "is a directory, not a file")
		return f
	case err != nil:
		f.fileDiag(diag.Error, "cannot read file: %s", cause(err))
		return f
	}
	return parseBytes(src, display, filepath.Dir(path), root, opts)
}

var (
	errIsDir      = errors.New("it is a directory")
	errNotRegular = errors.New("it is not a regular file (a device, FIFO or socket)")
)

type tooLargeError struct{ size, max int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("it is %d bytes, over the limit of %d bytes", e.size, e.max)
}

// readAllSized reads with read until the end into a buffer of size+1
// bytes: the read after the content sees the end without growing the
// buffer (or sees that the file grew). More than max bytes is an error.
func readAllSized(read func([]byte) (int, error), size, max int64) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		n, err := read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, &tooLargeError{int64(len(buf)), max}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// Parse decodes a catalog file read from r. dir is the folder relative
// placeholders are read from, root the folder they must stay inside.
func Parse(r io.Reader, display, dir, root string, opts Options) *File {
	src, err := io.ReadAll(io.LimitReader(r, opts.maxSize()+1))
	if err != nil {
		f := &File{Path: display, Root: root}
		f.fileDiag(diag.Error, "cannot read: %s", cause(err))
		return f
	}
	if int64(len(src)) > opts.maxSize() {
		f := &File{Path: display, Root: root}
		f.fileDiag(diag.Error, "input is over the limit of %d bytes (raise it with --max-file-size)", opts.maxSize())
		return f
	}
	return parseBytes(src, display, dir, root, opts)
}

// parseBytes decodes a catalog file's content.
func parseBytes(src []byte, display, dir, root string, opts Options) *File {
	f := &File{Path: display, Root: root}
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
	sp := &spanner{lines: newLineIndex(text)}
	res := &resolver{dir: dir, root: root, opts: opts, file: f,
		noKeys: bytes.IndexByte(text, '$') < 0 && bytes.IndexByte(text, '\\') < 0}
	// Most files are plain block YAML, which the fast reader decodes; the
	// rest are read with one yaml.v3 decoder. A file with a syntax error is
	// read again document by document, so that the error fails only its own
	// document, as in Backstage's parser.
	var fast []fastDoc
	if !restore && !opts.noFast {
		var bailed []lineRange
		var ok bool
		if fast, bailed, ok = parseFast(text, sp); ok {
			f.fast = len(fast) > 0 || len(bailed) == 0
			f.fastDocs = len(fast)
			if len(bailed) == 0 {
				for _, fd := range fast {
					f.addFast(res, fd, opts.literal)
				}
				return f
			}
			// yaml.v3 reads the documents the fast reader gave up on, in
			// the text with every other line emptied: same lines, same
			// columns, same anchors, same errors as in the whole file.
			text = onlyLines(text, sp, bailed)
		} else {
			fast = nil
		}
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
		// The documents the fast reader read come before this one in
		// the file's order.
		for len(fast) > 0 && fast[0].line < pd.line() {
			f.addFast(res, fast[0], opts.literal)
			fast = fast[1:]
		}
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
		conv := &converter{sp: sp, off: pd.off, restore: restore, budget: MaxAliasNodes, inProgress: map[*yaml.Node]bool{}}
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
	for _, fd := range fast {
		f.addFast(res, fd, opts.literal)
	}
	return f
}

// parsed is a document yaml.v3 read, or could not read.
type parsed struct {
	content *yaml.Node
	yerr    *yamlError
	c       chunk
	off     int
}

// line is the line of the document's first content (0 for none).
func (pd parsed) line() int {
	switch {
	case pd.yerr != nil:
		return firstContentLine(pd.c)
	case pd.content != nil:
		return pd.content.Line + pd.off
	}
	return 0
}

// onlyLines is text with the lines outside keep emptied, but for "---"
// lines.
func onlyLines(text []byte, sp *spanner, keep []lineRange) []byte {
	out := make([]byte, 0, len(text))
	k := 0
	for i := range sp.lines.count() {
		line := sp.lines.line(i + 1)
		for k < len(keep) && keep[k].to <= i {
			k++
		}
		switch {
		case k < len(keep) && i >= keep[k].from || isMarker(line, "---"):
			out = append(out, line...)
		case len(line) > 0 && line[len(line)-1] == '\n':
			out = append(out, '\n')
		}
	}
	return out
}

// addFast adds a document the fast reader read.
func (f *File) addFast(res *resolver, fd fastDoc, literal bool) {
	d := &Doc{File: f, Index: len(f.Docs) + 1, Line: fd.line}
	f.Docs = append(f.Docs, d)
	if literal || res.noKeys {
		d.Root = fd.root
	} else {
		d.Root = res.resolve(d, fd.root)
	}
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
	i := firstControl(b)
	if i < 0 {
		return nil, 0, 0
	}
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

// firstControl is the byte index of the first character replaceControls
// replaces in valid UTF-8, or -1: a byte loop, much faster than decoding
// runes. C1 controls (U+0080–U+009F) are C2 80–C2 9F in UTF-8.
func firstControl(b []byte) int {
	// Eight bytes at a time: only a word that holds a byte below 0x20
	// (line breaks do), 0x7F or 0xC2 is looked at byte by byte.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		del, c2 := x^(0x7f*ones), x^(0xc2*ones)
		if (del-ones)&^del&highs == 0 && (c2-ones)&^c2&highs == 0 && onlyBreaks(x, (x-0x20*ones)&^x&highs) {
			continue
		}
		if j := firstControlBytes(b[i:min(i+9, len(b))]); j >= 0 && j < 8 {
			return i + j
		}
	}
	if j := firstControlBytes(b[i:]); j >= 0 {
		return i + j
	}
	return -1
}

// onlyBreaks reports whether the bytes of x that m flags (the high bit of
// each byte below 0x20, and maybe of bytes above such a one) are all line
// breaks or tabs.
func onlyBreaks(x, m uint64) bool {
	for m != 0 {
		switch byte(x >> (bits.TrailingZeros64(m) &^ 7)) {
		case '\n', '\t', '\r':
		default:
			return false
		}
		m &= m - 1
	}
	return true
}

// firstControlBytes is firstControl, a byte at a time.
func firstControlBytes(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c < 0x20:
			if c != '\t' && c != '\n' && c != '\r' {
				return i
			}
		case c == 0x7f:
			return i
		case c == 0xC2:
			if i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f && b[i+1] != 0x85 {
				return i
			}
		}
	}
	return -1
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

var gitAncestors sync.Map // folder → the nearest folder at or above it holding .git, or ""

// RepoRoot returns the nearest folder above path (or path itself) that
// holds a .git entry, or path's own folder when there is none. Answers are
// remembered for every folder looked at, so that a run asks once per
// folder, not once per file and per parent.
func RepoRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	start := abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		start = filepath.Dir(abs)
	}
	return repoRootOfDir(start)
}

// repoRootOfDir is RepoRoot of a path known to be a folder.
func repoRootOfDir(dir string) string {
	if r := gitAncestor(dir); r != "" {
		return r
	}
	return dir
}

func gitAncestor(dir string) string {
	if r, ok := gitAncestors.Load(dir); ok {
		return r.(string)
	}
	r := ""
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		r = dir
	} else if parent := filepath.Dir(dir); parent != dir {
		r = gitAncestor(parent)
	}
	gitAncestors.Store(dir, r)
	return r
}
