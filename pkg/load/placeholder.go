package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/catalint-dev/catalint/pkg/diag"
)

// Placeholders are the one-key objects whose string value names a file
// whose content replaces the object, as Backstage's PlaceholderProcessor does.
var Placeholders = map[string]bool{"$text": true, "$json": true, "$yaml": true, "$openapi": true, "$asyncapi": true}

type resolver struct {
	dir, root string
	opts      Options
	file      *File
	cache     map[string][]byte
	// path is the field being resolved (spec, steps, 0, …).
	path []string
	// noKeys tells that the fast reader's documents hold no key that
	// starts with '$' (the text holds no '$', nor an escape that could
	// write one): they have no placeholder to resolve.
	noKeys bool
	// unfetched are the first remote placeholders of the file that were
	// not fetched (nUnfetched in all, nLocal of them links into this
	// repository, docs: in more than one document); notice is the one
	// diagnostic that lists them.
	unfetched          []unfetched
	nUnfetched, nLocal int
	docs               bool
	notice             *Doc
	noticeAt           int
}

// unfetched is one remote placeholder left unread.
type unfetched struct {
	doc         int
	field, kind string
	target      string
	line        int
}

// resolve replaces the placeholders of a document's tree.
func (r *resolver) resolve(d *Doc, n *Node) *Node {
	switch n.Kind {
	case Seq:
		for i, c := range n.Seq {
			r.path = append(r.path, strconv.Itoa(i))
			if v := r.resolve(d, c); v != c {
				n.Seq[i] = v
			}
			r.path = r.path[:len(r.path)-1]
		}
	case Map:
		dollar := false
		for _, p := range n.Map {
			if strings.HasPrefix(p.Key, "$") {
				dollar = true
				break
			}
		}
		if !dollar {
			for i := range n.Map {
				r.path = append(r.path, n.Map[i].Key)
				if v := r.resolve(d, n.Map[i].Value); v != n.Map[i].Value {
					n.Map[i].Value = v
				}
				r.path = r.path[:len(r.path)-1]
			}
			return n
		}
		// Backstage leaves alone any object with a $-key that is not a
		// single placeholder with a string value (JSON Schema's "$ref").
		if len(n.Map) != 1 || !Placeholders[n.Map[0].Key] || n.Map[0].Value.Kind != String {
			return n
		}
		return r.placeholder(d, n, n.Map[0].Key, n.Map[0].Value.Text)
	}
	return n
}

func (r *resolver) placeholder(d *Doc, n *Node, kind, target string) *Node {
	bad := func(sev diag.Severity, format string, args ...any) {
		if sev == diag.Error {
			n.Via = &Via{Placeholder: kind, Unresolved: true}
		}
		d.Diags = append(d.Diags, diag.Diagnostic{
			Pos: r.file.Pos(n.Span), Severity: sev, Rule: RulePlaceholder,
			Message: fmt.Sprintf(format, args...),
		})
	}
	via := &Via{Placeholder: kind}
	text := &Node{Kind: String, Span: n.Span, Via: via}
	var src []byte
	var path string
	local, remote := target, IsRemote(target)
	if remote && r.opts.AllowRemote {
		if p, ok := r.inCheckout(target); ok {
			// A link into this very repository: the checkout is what is
			// being checked, so it is read rather than fetched.
			local, remote = p, false
		}
	}
	switch {
	case remote && !r.opts.AllowRemote:
		// The fields it fills are unknown: a stand-in string that no
		// check finds fault with, and one notice per file.
		r.unverified(d, n, kind, target)
		text.Text = target
		via.File = target
		via.Unverified = true
		return text
	case remote:
		b, err := fetch(target, r.opts)
		if err != nil {
			bad(diag.Error, "placeholder %s could not fetch %s: %v", kind, target, err)
			return n
		}
		src, path = b, target
		via.Fetched = true
	default:
		if r.isSelf(local) {
			bad(diag.Error, "placeholder %s reads %s, this catalog file itself: the value would be the entity's own YAML; point it at the file that holds the value", kind, target)
			return n
		}
		p, err := r.confine(local)
		if err != nil {
			bad(diag.Error, "placeholder %s could not read location %s: %v", kind, target, err)
			return n
		}
		b, err := r.read(p)
		if err != nil {
			bad(diag.Error, "placeholder %s could not read location %s: %v", kind, target, err)
			return n
		}
		src, path = b, p
	}
	via.File = path
	switch kind {
	case "$json":
		dec := json.NewDecoder(bytes.NewReader(src))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			bad(diag.Error, "placeholder $json: %s is not valid JSON: %v", target, err)
			return n
		}
		if dec.More() {
			bad(diag.Error, "placeholder $json: %s has content after the JSON value", target)
			return n
		}
		out := fromJSON(v, n.Span)
		out.Via = via
		return out
	case "$yaml":
		sub := Parse(bytes.NewReader(src), target, filepath.Dir(path), r.root, Options{MaxFileSize: r.opts.MaxFileSize, literal: true})
		for _, sd := range sub.Diags {
			if sd.Severity == diag.Error {
				bad(diag.Error, "placeholder $yaml: %s: %s", target, sd.Message)
				return n
			}
		}
		if len(sub.Docs) != 1 {
			bad(diag.Error, "placeholder $yaml: %s must hold exactly one YAML document, found %d", target, len(sub.Docs))
			return n
		}
		if sub.Docs[0].Root == nil {
			bad(diag.Error, "placeholder $yaml: %s: %s", target, sub.Docs[0].Diags[0].Message)
			return n
		}
		out := sub.Docs[0].Root
		respan(out, n.Span)
		out.Via = via
		return out
	}
	text.Text = string(src)
	return text
}

// unverified records a remote placeholder that is not fetched. A file
// gets one notice, on the first of them, that lists them (the first
// maxListed, and how many more).
func (r *resolver) unverified(d *Doc, n *Node, kind, target string) {
	_, inRepo := r.inCheckout(target)
	r.nUnfetched++
	if inRepo {
		r.nLocal++
	}
	if len(r.unfetched) < maxListed {
		r.unfetched = append(r.unfetched, unfetched{doc: d.Index, field: FieldPath(r.path), kind: kind, target: target, line: n.Span.Line})
	}
	if d.Index != r.unfetched[0].doc {
		r.docs = true
	}
	if r.notice == nil {
		r.notice, r.noticeAt = d, len(d.Diags)
		d.Diags = append(d.Diags, diag.Diagnostic{Pos: r.file.Pos(n.Span), Severity: diag.Notice, Rule: RulePlaceholder})
	}
	// A link into this repository is read from the checkout with
	// --allow-remote, with no request: say so.
	how := func(it string) string {
		switch {
		case r.nLocal == r.nUnfetched:
			return "reads " + it + " from the checkout"
		case r.nLocal > 0:
			return "fetches " + it + " or reads " + it + " from the checkout"
		}
		return "fetches " + it
	}
	var msg string
	if r.nUnfetched == 1 {
		pre := ""
		if inRepo {
			pre = "it is a file of this repository: "
		}
		msg = fmt.Sprintf("placeholder %s: remote location %s is not fetched, so %s is not verified (%s--allow-remote %s)", kind, target, r.unfetched[0].field, pre, how("it"))
	} else {
		parts := make([]string, 0, len(r.unfetched)+1)
		for _, u := range r.unfetched {
			at := fmt.Sprintf("line %d", u.line)
			if r.docs {
				at = fmt.Sprintf("document %d, line %d", u.doc, u.line)
			}
			parts = append(parts, fmt.Sprintf("%s (%s %s, %s)", u.field, u.kind, u.target, at))
		}
		if more := r.nUnfetched - len(r.unfetched); more > 0 {
			parts = append(parts, fmt.Sprintf("and %d more", more))
		}
		msg = fmt.Sprintf("%d remote placeholders are not fetched, so what they fill is not verified (--allow-remote %s): %s", r.nUnfetched, how("them"), strings.Join(parts, "; "))
	}
	r.notice.Diags[r.noticeAt].Message = msg
}

// maxListed bounds the placeholders the notice of a file lists.
const maxListed = 10

// IsRemote reports whether s is a URL with a scheme (https://…).
func IsRemote(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for _, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// confine resolves target relative to the descriptor's folder and makes
// sure it, and what its symlinks point at, stays inside the root.
// isSelf tells whether a local placeholder target is the catalog file
// being read (a copy-and-paste slip: $text: ./api.yaml inside api.yaml).
func (r *resolver) isSelf(target string) bool {
	if r.file == nil || r.file.Path == "" || r.file.Path == Stdin {
		return false
	}
	p := target
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.dir, p)
	}
	// The file is in the folder placeholders resolve against (its path
	// may be a display path, not one from the working folder).
	a, err1 := filepath.Abs(p)
	b, err2 := filepath.Abs(filepath.Join(r.dir, filepath.Base(r.file.Path)))
	return err1 == nil && err2 == nil && a == b
}

func (r *resolver) confine(target string) (string, error) {
	p := target
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.dir, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs(r.root)
	if err != nil {
		return "", err
	}
	real, err := Confine(root, abs)
	var out *OutsideError
	switch {
	case errors.As(err, &out) && out.Real != "":
		return "", fmt.Errorf("it is a symlink to %s, outside the repository root %s", out.Real, r.root)
	case errors.As(err, &out):
		return "", fmt.Errorf("it is outside the repository root %s", r.root)
	case err != nil:
		return "", errors2(err)
	}
	return real, nil
}

// OutsideError is a path outside the root it must stay in: written so, or
// (Real set) through a symlink that leads out.
type OutsideError struct{ Real string }

func (e *OutsideError) Error() string {
	if e.Real != "" {
		return "it is a symlink to " + e.Real + ", outside the repository root"
	}
	return "it is outside the repository root"
}

// Confine is the confinement check of placeholders, API definitions and
// TechDocs sites: abs (absolute and clean) must lie inside root (absolute
// and clean), and so must its real path. It returns the real path, an
// *OutsideError, or the error of reading the path (which wraps
// fs.ErrNotExist when it does not exist).
func Confine(root, abs string) (string, error) {
	if !Within(root, abs) {
		return "", &OutsideError{}
	}
	real, err := RealPath(abs)
	if err != nil {
		return "", err
	}
	if !Within(RealDir(root), real) {
		return "", &OutsideError{Real: real}
	}
	return real, nil
}

// confineEntry is Confine of a file a folder listing says is a regular
// file, not a link: the folders above it are resolved, but not the file
// itself (no lstat).
func confineEntry(root, abs string) (string, error) {
	if !Within(root, abs) {
		return "", &OutsideError{}
	}
	real := filepath.Join(RealDir(filepath.Dir(abs)), filepath.Base(abs))
	if !Within(RealDir(root), real) {
		return "", &OutsideError{Real: real}
	}
	return real, nil
}

// RealPath is filepath.EvalSymlinks of an absolute, clean path, with the
// folders above it resolved once per run: one lstat for the path itself,
// and a full resolution only when it is a link.
func RealPath(abs string) (string, error) {
	fi, err := os.Lstat(abs)
	if err != nil {
		return "", err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return filepath.EvalSymlinks(abs)
	}
	return filepath.Join(RealDir(filepath.Dir(abs)), filepath.Base(abs)), nil
}

var realDirs sync.Map // folder → the folder with symlinks resolved

// RealDir resolves the symlinks of an absolute, clean folder path once per
// run, and of each folder above it once too: one lstat per folder. A folder
// that cannot be read is left as it is.
func RealDir(dir string) string {
	if r, ok := realDirs.Load(dir); ok {
		return r.(string)
	}
	r := dir
	parent := filepath.Dir(dir)
	if parent != dir {
		fi, err := os.Lstat(dir)
		switch {
		case err == nil && fi.Mode()&os.ModeSymlink != 0:
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				r = real
			}
		case err == nil:
			r = filepath.Join(RealDir(parent), filepath.Base(dir))
		}
	}
	realDirs.Store(dir, r)
	return r
}

func errors2(err error) error {
	if os.IsNotExist(err) {
		return fmt.Errorf("no such file")
	}
	return fmt.Errorf("%s", cause(err))
}

// Within reports whether p lies inside root (both cleaned, absolute or
// both relative): the confinement test of placeholders, definitions and
// TechDocs sites.
func Within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (r *resolver) read(path string) ([]byte, error) {
	if b, ok := r.cache[path]; ok {
		return b, nil
	}
	b, err := readLimited(path, r.opts.maxSize())
	if err != nil {
		var big *tooLargeError
		if errors.Is(err, errIsDir) || errors.As(err, &big) {
			return nil, err
		}
		return nil, errors2(err)
	}
	if r.cache == nil {
		r.cache = map[string][]byte{}
	}
	r.cache[path] = b
	return b, nil
}

// fromJSON builds Nodes from decoded JSON, all at one span.
func fromJSON(v any, s Span) *Node {
	switch v := v.(type) {
	case map[string]any:
		n := &Node{Kind: Map, Span: s}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Map = append(n.Map, Pair{Key: k, KeySpan: s, Value: fromJSON(v[k], s)})
		}
		return n
	case []any:
		n := &Node{Kind: Seq, Span: s}
		for _, e := range v {
			n.Seq = append(n.Seq, fromJSON(e, s))
		}
		return n
	case string:
		return &Node{Kind: String, Text: v, Span: s}
	case json.Number:
		return &Node{Kind: Number, Text: v.String(), Span: s}
	case bool:
		if v {
			return &Node{Kind: Bool, Text: "true", Span: s}
		}
		return &Node{Kind: Bool, Text: "false", Span: s}
	}
	return &Node{Kind: Null, Span: s}
}

// respan moves a tree read from another file to the placeholder's place.
func respan(n *Node, s Span) {
	n.Span = s
	for i := range n.Map {
		n.Map[i].KeySpan = s
		respan(n.Map[i].Value, s)
	}
	for _, c := range n.Seq {
		respan(c, s)
	}
}

var fetched sync.Map // URL → []byte: each remote file is fetched once per run

// fetch reads a remote placeholder: https only (http with AllowHTTP), a
// timeout, and the file size cap.
func fetch(url string, opts Options) ([]byte, error) {
	if b, ok := fetched.Load(url); ok {
		return b.([]byte), nil
	}
	switch {
	case strings.HasPrefix(url, "https://"):
	case strings.HasPrefix(url, "http://") && opts.AllowHTTP:
	default:
		return nil, fmt.Errorf("only https:// locations are fetched (--allow-http allows http://)")
	}
	timeout := opts.RemoteTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		return nil, fmt.Errorf("%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, opts.maxSize()+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > opts.maxSize() {
		return nil, fmt.Errorf("it is over the limit of %d bytes", opts.maxSize())
	}
	fetched.Store(url, b)
	return b, nil
}
