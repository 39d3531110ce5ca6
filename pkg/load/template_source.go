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
// themselves are always kept.
func templateSources(files, tmpl []string) (kept, dropped []string) {
	var srcs []string
	isTemplate := map[string]bool{}
	for _, t := range tmpl {
		urls := fetchURLs(t)
		if len(urls) > 0 {
			isTemplate[t] = true
		}
		for _, u := range urls {
			abs, err := filepath.Abs(filepath.Join(filepath.Dir(t), filepath.FromSlash(u)))
			if err == nil {
				srcs = append(srcs, abs)
			}
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

// TemplateExpr returns the line of the first template expression in the
// document (a key or a string value holding ${{, {% or {{ cookiecutter.),
// or 0 when there is none. A Template's own parameters, steps and output
// hold expressions that the scaffolder evaluates when it runs: only its
// envelope, metadata, spec.owner and spec.type count. A document that does
// not parse is looked at as text, unless it is a Template.
func (d *Doc) TemplateExpr() int {
	if d.Root == nil {
		return d.templateExprText()
	}
	isTemplate := strings.HasPrefix(d.Root.GetString("apiVersion"), "scaffolder.backstage.io/")
	if d.Root.Kind != Map {
		return firstTemplateExpr(d.Root)
	}
	for _, p := range d.Root.Map {
		if hasTemplateMark([]byte(p.Key)) {
			return p.KeySpan.Line
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
		if hasTemplateMark([]byte(n.Text)) {
			return n.Span.Line
		}
	case Map:
		for _, p := range n.Map {
			if hasTemplateMark([]byte(p.Key)) {
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

// templateExprText looks for a template mark in the lines of a document
// that does not parse (Nunjucks tags are seldom valid YAML).
func (d *Doc) templateExprText() int {
	end := 0
	for i, o := range d.File.Docs {
		if o == d && i+1 < len(d.File.Docs) {
			end = d.File.Docs[i+1].Line - 1
		}
	}
	lines := bytes.Split(d.File.Src, []byte("\n"))
	if end <= 0 || end > len(lines) {
		end = len(lines)
	}
	if d.Line < 1 || d.Line > end {
		return 0
	}
	doc := bytes.Join(lines[d.Line-1:end], []byte("\n"))
	if bytes.Contains(doc, []byte("scaffolder.backstage.io/")) {
		return 0
	}
	for i, l := range lines[d.Line-1 : end] {
		if hasTemplateMark(l) {
			return d.Line + i
		}
	}
	return 0
}
