package owners

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/catalint-dev/catalint/pkg/entity"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func ref(kind, name string) entity.Ref {
	return entity.Ref{Kind: kind, Namespace: "default", Name: name}
}

func TestFileFormats(t *testing.T) {
	for name, src := range map[string]string{
		"entities.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-payments}\nspec: {type: team, children: [], members: [ada]}\n---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: ada}\nspec: {memberOf: [team-payments]}\n",
		"plain.yaml":    "groups: [team-payments]\nusers: [ada]\n",
		"teams.json":    `{"teams": ["team-payments"], "users": ["ada"]}`,
	} {
		d, err := (&File{Path: writeFile(t, name, src)}).Load(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := d.Group(ref("Group", "Team-Payments")); !ok {
			t.Errorf("%s: team-payments not found (case-insensitive)", name)
		}
		if _, ok := d.User(ref("User", "ada")); !ok {
			t.Errorf("%s: ada not found", name)
		}
	}
	d, _ := (&File{Path: writeFile(t, "list.json", `["a", "ns/b"]`)}).Load(context.Background())
	if _, ok := d.Group(entity.Ref{Kind: "Group", Namespace: "ns", Name: "b"}); !ok || len(d.Groups) != 2 {
		t.Errorf("bare list: %+v", d.Groups)
	}
	for _, bad := range []string{"groups: team-a\n", "owners: [x]\n", "- 3\n", "key: [unclosed\n", ""} {
		if _, err := (&File{Path: writeFile(t, "bad.yaml", bad)}).Load(context.Background()); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	if _, err := (&File{Path: "/no/such/org.yaml"}).Load(context.Background()); err == nil || !strings.Contains(err.Error(), "file:/no/such/org.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestSuggestGroup(t *testing.T) {
	d := NewDirectory()
	for _, n := range []string{"team-payments", "team-web", "platform"} {
		d.AddGroup(Group{Name: n, Members: -1})
	}
	if got := d.SuggestGroup(ref("Group", "team-paymnets"), 2); !reflect.DeepEqual(got, []string{"team-payments"}) {
		t.Errorf("got %v", got)
	}
}

type countingProvider struct {
	calls int
	err   error
}

func (c *countingProvider) Name() string { return "fake:org" }
func (c *countingProvider) Load(context.Context) (*Directory, error) {
	c.calls++
	if c.err != nil {
		return nil, c.err
	}
	d := NewDirectory()
	d.AddGroup(Group{Name: "team-a", Members: 3})
	return d, nil
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := &countingProvider{}
	c := &Cached{Provider: p, Dir: dir, TTL: time.Hour, Now: func() time.Time { return now }}
	if _, err := c.Load(context.Background()); err != nil || p.calls != 1 || c.Hit {
		t.Fatalf("cold: %v calls=%d hit=%v", err, p.calls, c.Hit)
	}
	d, err := c.Load(context.Background())
	if err != nil || p.calls != 1 || !c.Hit || d.Groups["default/team-a"].Members != 3 {
		t.Fatalf("warm: %v calls=%d hit=%v", err, p.calls, c.Hit)
	}
	now = now.Add(2 * time.Hour)
	if _, err := c.Load(context.Background()); err != nil || p.calls != 2 {
		t.Errorf("expired: %v calls=%d", err, p.calls)
	}
	// Offline: any age is fine, and the provider is never called.
	now = now.Add(100 * time.Hour)
	off := &Cached{Provider: p, Dir: dir, Offline: true, Now: func() time.Time { return now }}
	if _, err := off.Load(context.Background()); err != nil || p.calls != 2 {
		t.Errorf("offline: %v calls=%d", err, p.calls)
	}
	empty := &Cached{Provider: p, Dir: t.TempDir(), Offline: true}
	if _, err := empty.Load(context.Background()); !errors.Is(err, ErrNoCache) {
		t.Errorf("offline without cache: %v", err)
	}
	// A failure is not cached.
	failing := &countingProvider{err: errors.New("fake:org: boom")}
	fc := &Cached{Provider: failing, Dir: t.TempDir()}
	for range 2 {
		if _, err := fc.Load(context.Background()); err == nil {
			t.Error("failure hidden")
		}
	}
	if failing.calls != 2 {
		t.Errorf("calls = %d", failing.calls)
	}
}

func TestCodeowners(t *testing.T) {
	co := ParseCodeowners(".github/CODEOWNERS", []byte(`# comment
*                 @acme/platform
/services/        @acme/team-web
payments/         @acme/team-payments @ada
catalog-info.yaml @acme/catalog-admins # inline comment
/docs/*.md        docs@example.com
/unowned/
`))
	for _, tc := range []struct {
		path  string
		want  []string
		found bool
	}{
		{"README.md", []string{"@acme/platform"}, true},
		{"services/web/main.go", []string{"@acme/team-web"}, true},
		{"services/payments/x.go", []string{"@acme/team-payments", "@ada"}, true},
		{"services/web/catalog-info.yaml", []string{"@acme/catalog-admins"}, true},
		{"docs/a.md", []string{"docs@example.com"}, true},
		{"docs/sub/a.md", []string{"@acme/platform"}, true},
		{"unowned/x", []string{}, true},
	} {
		got, _, found := co.Owners(tc.path)
		if found != tc.found || (len(got) != 0 || len(tc.want) != 0) && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v %v, want %v", tc.path, got, found, tc.want)
		}
	}
	if got := Names([]string{"@acme/team-web", "@ada", "docs@example.com"}); !reflect.DeepEqual(got, []string{"team-web", "ada", "docs@example.com"}) {
		t.Errorf("Names: %v", got)
	}
}
