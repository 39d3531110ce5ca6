// Package annotations knows the value formats of well-known entity
// annotations (backstage.io/source-location, github.com/project-slug,
// pagerduty.com/service-id, …), and lets configuration add more.
package annotations

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/techdocs"
)

// Format is the expected form of one annotation's value.
type Format struct {
	Key string
	// Pattern must match the whole value; nil when Valid is set.
	Pattern *regexp.Regexp
	// Valid checks a value a pattern cannot express.
	Valid func(string) bool
	// Description says what is expected, for messages ("owner/repo").
	Description string
}

// Match reports whether a value has the format.
func (f Format) Match(v string) bool {
	if f.Valid != nil {
		return f.Valid(v)
	}
	return f.Pattern != nil && f.Pattern.MatchString(v)
}

// Registry maps annotation keys to formats. It is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	formats map[string]Format
}

// New returns a registry holding the well-known formats.
func New() *Registry {
	r := &Registry{formats: map[string]Format{}}
	for _, f := range builtin {
		r.formats[f.Key] = f
	}
	return r
}

// Add registers (or replaces) the format of an annotation key, from
// configuration: pattern is a Go regular expression that must match the
// whole value (it is anchored), description what the value should be.
func (r *Registry) Add(key, pattern, description string) error {
	if !entity.IsValidAnnotationKey(key) {
		return fmt.Errorf("annotation key %q is not valid", key)
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return fmt.Errorf("annotation %s: pattern %q: %v", key, pattern, err)
	}
	if description == "" {
		description = "a value matching " + pattern
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.formats[key] = Format{Key: key, Pattern: re, Description: description}
	return nil
}

// Lookup returns the format of a key.
func (r *Registry) Lookup(key string) (Format, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.formats[key]
	return f, ok
}

// Keys returns the registered keys, sorted.
func (r *Registry) Keys() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.formats))
	for k := range r.formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Check checks an annotation's value. A key the registry does not know is
// fine. When the value does not fit, expected describes the format.
func (r *Registry) Check(key, value string) (ok bool, expected string) {
	f, known := r.Lookup(key)
	if !known || f.Match(value) {
		return true, ""
	}
	return false, f.Description
}

var defaultRegistry = New()

// Default is the registry Check uses; configuration may Add to it.
func Default() *Registry { return defaultRegistry }

// Check checks a value against the default registry.
func Check(key, value string) (ok bool, expected string) {
	return defaultRegistry.Check(key, value)
}

const locationDesc = "a location reference <type>:<target>, such as url:https://github.com/org/repo/tree/main/ or file:./catalog-info.yaml (a url: target must be an absolute http(s) URL)"

var builtin = []Format{
	// Location references, as Backstage's parseLocationRef reads them.
	{Key: "backstage.io/source-location", Valid: IsLocationRef, Description: locationDesc},
	{Key: "backstage.io/managed-by-location", Valid: IsLocationRef, Description: locationDesc},
	{Key: "backstage.io/managed-by-origin-location", Valid: IsLocationRef, Description: locationDesc},
	// Links shown on the entity page.
	{Key: "backstage.io/view-url", Valid: IsHTTPURL, Description: "an absolute http(s) URL"},
	{Key: "backstage.io/edit-url", Valid: IsHTTPURL, Description: "an absolute http(s) URL"},
	// GitHub: owner (1-39 letters, digits or hyphens, not starting with
	// one) and repository (letters, digits, '.', '_', '-').
	{Key: "github.com/project-slug", Valid: isGitHubSlug, Description: "owner/repo, the GitHub organisation or user and the repository name (e.g. backstage/backstage)"},
	// PagerDuty: Events API v2 integration (routing) keys are 32
	// characters; REST object IDs are P and 6 upper-case letters or digits.
	{Key: "pagerduty.com/integration-key", Pattern: regexp.MustCompile(`^[A-Za-z0-9]{32}$`), Description: "a 32-character PagerDuty Events API v2 integration key"},
	{Key: "pagerduty.com/service-id", Pattern: regexp.MustCompile(`^P[A-Z0-9]{6}$`), Description: "a PagerDuty service ID: P and 6 upper-case letters or digits, as in the service's URL (e.g. PZDAG59), not its name"},
	{Key: "pagerduty.com/escalation-policy-id", Pattern: regexp.MustCompile(`^P[A-Z0-9]{6}$`), Description: "a PagerDuty escalation policy ID: P and 6 upper-case letters or digits (e.g. PO1KALF)"},
	// The Kubernetes plugin looks the value up as a label value.
	{Key: "backstage.io/kubernetes-id", Valid: isLabelValue, Description: "a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"},
	// SonarQube: [instance/]key; keys are letters, digits, '-', '_', '.'
	// and ':', with at least one non-digit.
	{Key: "sonarqube.org/project-key", Valid: isSonarKey, Description: "[instance/]project-key: letters, digits, '-', '_', '.' and ':', with at least one non-digit"},
	// TechDocs.
	{Key: "backstage.io/techdocs-ref", Valid: func(v string) bool { return techdocs.RefForm(v) == nil }, Description: "dir:<path relative to the catalog file> (e.g. dir:.) or url:<absolute URL>"},
	{Key: "backstage.io/techdocs-entity", Valid: func(v string) bool { return techdocs.CheckEntityRef(v) == nil }, Description: "an entity reference with its kind, kind:[namespace/]name (e.g. component:default/shared-docs)"},
}

// IsLocationRef reports whether v is a location reference as Backstage's
// parseLocationRef accepts it, with an absolute URL for type url.
func IsLocationRef(v string) bool {
	typ, target, ok := strings.Cut(v, ":")
	typ, target = strings.TrimSpace(typ), strings.TrimSpace(target)
	if !ok || typ == "" || target == "" || typ == "http" || typ == "https" {
		return false
	}
	if typ == "url" {
		return IsHTTPURL(target)
	}
	return true
}

// IsHTTPURL reports whether v is an absolute http or https URL with a host.
func IsHTTPURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(v, " \t\n")
}

var (
	ghOwnerRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)
	ghRepoRe  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

func isGitHubSlug(v string) bool {
	owner, repo, ok := strings.Cut(v, "/")
	return ok && ghOwnerRe.MatchString(owner) && ghRepoRe.MatchString(repo) && repo != "." && repo != ".."
}

var labelValueRe = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)

func isLabelValue(v string) bool {
	return len(v) <= 63 && labelValueRe.MatchString(v)
}

var sonarKeyRe = regexp.MustCompile(`^[A-Za-z0-9_.:-]*[A-Za-z_.:-][A-Za-z0-9_.:-]*$`)

func isSonarKey(v string) bool {
	key := v
	if i := strings.LastIndex(v, "/"); i >= 0 {
		if i == 0 || strings.ContainsAny(v[:i], "/ \t") {
			return false
		}
		key = v[i+1:]
	}
	return len(key) <= 400 && sonarKeyRe.MatchString(key)
}
