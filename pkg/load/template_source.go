package load

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// fetchActions are the scaffolder actions that copy a template source
// (input.url, relative to the template file) into the workspace: a folder
// for fetch:template and fetch:plain, a file for the :file variants.
var fetchActions = map[string]bool{
	"fetch:template": true, "fetch:plain": true,
	"fetch:template:file": true, "fetch:plain:file": true,
}

// templateSources drops from files those that Templates among tmpl fetch
// as sources: the folders (or files) their fetch steps' input.url name.
// It returns the kept files and the dropped ones. Template files
// themselves are always kept, and so is a Template's own folder and what
// is above it.
func templateSources(files, tmpl []string) (kept, dropped []string) {
	var srcs []string
	isTemplate := map[string]bool{}
	for _, t := range tmpl {
		urls := fetchURLs(t)
		if len(urls) > 0 {
			isTemplate[t] = true
		}
		dir, err := filepath.Abs(filepath.Dir(t))
		if err != nil {
			continue
		}
		for _, u := range urls {
			src := filepath.Join(dir, filepath.FromSlash(u))
			// A Template that fetches its own folder (url: ./) or one above
			// it would make the whole repository a source: leave that to
			// the template-source rule, file by file.
			if src == dir || Within(src, dir) {
				continue
			}
			srcs = append(srcs, src)
		}
	}
	if len(srcs) == 0 {
		return files, nil
	}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err == nil && !isTemplate[f] && withinAny(srcs, abs) {
			dropped = append(dropped, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, dropped
}

func withinAny(roots []string, p string) bool {
	for _, r := range roots {
		if r == p || Within(r, p) {
			return true
		}
	}
	return false
}

// fetchURLs reads a file's Templates and returns the local input.url of
// their fetch steps: relative paths, not URLs and not expressions.
func fetchURLs(path string) []string {
	src, err := readLimited(path, DefaultMaxFileSize)
	if err != nil {
		return nil
	}
	var urls []string
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc struct {
			Kind string `yaml:"kind"`
			Spec struct {
				Steps []struct {
					Action string `yaml:"action"`
					Input  struct {
						URL any `yaml:"url"`
					} `yaml:"input"`
				} `yaml:"steps"`
			} `yaml:"spec"`
		}
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A document of another shape (a list, a scalar) does not
			// stop the decoder; a syntax error does.
			var te *yaml.TypeError
			if errors.As(err, &te) {
				continue
			}
			break
		}
		if !strings.EqualFold(doc.Kind, "Template") {
			continue
		}
		for _, st := range doc.Spec.Steps {
			u, ok := st.Input.URL.(string)
			if !ok || !fetchActions[st.Action] || u == "" || strings.Contains(u, "://") ||
				strings.Contains(u, "${{") || filepath.IsAbs(u) || strings.HasPrefix(u, "/") {
				continue
			}
			urls = append(urls, u)
		}
	}
	return urls
}

// RuleTemplateSource is a document that holds scaffolder template
// expressions: a template source, rendered before Backstage reads it.
const RuleTemplateSource = "template-source"

// templateMarks are what a template source holds and an entity does not:
// the scaffolder's ${{ … }} expressions, Nunjucks tags, and the
// {{ cookiecutter.… }} variables of cookiecutterCompat templates.
var templateMarks = [][]byte{[]byte("${{"), []byte("{%"), []byte("{{ cookiecutter."), []byte("{{cookiecutter.")}

func hasTemplateMark(b []byte) bool {
	for _, m := range templateMarks {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}

// hasMark is hasTemplateMark of a string, in one pass: every mark holds a
// '{', which prose and most values do not.
func hasMark(s string) bool {
	for i := strings.IndexByte(s, '{'); i >= 0; {
		rest := s[i+1:]
		switch {
		case strings.HasPrefix(rest, "%"),
			i > 0 && s[i-1] == '$' && strings.HasPrefix(rest, "{"),
			strings.HasPrefix(rest, "{ cookiecutter."), strings.HasPrefix(rest, "{cookiecutter."):
			return true
		}
		j := strings.IndexByte(rest, '{')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// TemplateLines returns, for each of the file's documents, the line of its
// first template expression (a key or a string value holding ${{, {% or
// {{ cookiecutter.), or 0 when it has none. A Template's own parameters,
// steps and output hold expressions that the scaffolder evaluates when it
// runs: only its envelope, metadata (but for its description, prose that
// often shows such expressions), spec.owner and spec.type count. A
// document that does not parse is looked at as text, unless it is a
// Template. The file's text is split into lines once, whatever the number
// of documents.
func (f *File) TemplateLines() []int {
	out := make([]int, len(f.Docs))
	// Every mark holds a '{': a key or a string holds one only when the
	// text does, or writes one as an escape (a backslash). Without either,
	// no document of the file holds a mark.
	if len(f.Src) > 0 && bytes.IndexByte(f.Src, '{') < 0 && bytes.IndexByte(f.Src, '\\') < 0 {
		return out
	}
	var lines [][]byte
	for i, d := range f.Docs {
		if d.Root != nil {
			out[i] = d.templateExprTree()
			continue
		}
		if lines == nil {
			lines = bytes.Split(f.Src, []byte("\n"))
		}
		end := len(lines)
		if i+1 < len(f.Docs) && f.Docs[i+1].Line-1 < end {
			end = f.Docs[i+1].Line - 1
		}
		if d.Line < 1 || d.Line > end {
			continue
		}
		first := 0
		for n, l := range lines[d.Line-1 : end] {
			if bytes.Contains(l, []byte("scaffolder.backstage.io/")) {
				first = 0
				break
			}
			if first == 0 && hasTemplateMark(l) {
				first = d.Line + n
			}
		}
		out[i] = first
	}
	return out
}

// templateExprTree is TemplateLines of a document that parsed.
func (d *Doc) templateExprTree() int {
	isTemplate := strings.HasPrefix(d.Root.GetString("apiVersion"), "scaffolder.backstage.io/")
	if d.Root.Kind != Map {
		return firstTemplateExpr(d.Root)
	}
	for _, p := range d.Root.Map {
		if hasMark(p.Key) {
			return p.KeySpan.Line
		}
		if isTemplate && p.Key == "metadata" && p.Value != nil && p.Value.Kind == Map {
			// A Template's description is prose for its users, and often
			// shows the expressions its steps run (aws-samples/
			// appmod-blueprints): it does not make the Template a source.
			for _, mp := range p.Value.Map {
				if hasMark(mp.Key) {
					return mp.KeySpan.Line
				}
				if mp.Key == "description" {
					continue
				}
				if l := firstTemplateExpr(mp.Value); l > 0 {
					return l
				}
			}
			continue
		}
		if isTemplate && p.Key == "spec" && p.Value != nil && p.Value.Kind == Map {
			for _, sp := range p.Value.Map {
				if sp.Key == "owner" || sp.Key == "type" {
					if l := firstTemplateExpr(sp.Value); l > 0 {
						return l
					}
				}
			}
			continue
		}
		if l := firstTemplateExpr(p.Value); l > 0 {
			return l
		}
	}
	return 0
}

// firstTemplateExpr is the line of the first key or string in n that holds
// a template mark; values read through placeholders do not count.
func firstTemplateExpr(n *Node) int {
	if n == nil || n.Via != nil {
		return 0
	}
	switch n.Kind {
	case String:
		if hasMark(n.Text) {
			return n.Span.Line
		}
	case Map:
		for _, p := range n.Map {
			if hasMark(p.Key) {
				return p.KeySpan.Line
			}
			if l := firstTemplateExpr(p.Value); l > 0 {
				return l
			}
		}
	case Seq:
		for _, c := range n.Seq {
			if l := firstTemplateExpr(c); l > 0 {
				return l
			}
		}
	}
	return 0
}
