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
