package entity

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		defKind      string
		defNamespace string
		want         Ref
		wantErr      bool
		formErr      bool // the error wraps ErrRefForm
	}{
		// Every shape, explicit parts.
		{name: "kind:ns/name", in: "component:team-a/svc", want: Ref{"component", "team-a", "svc"}},
		{name: "kind:name", in: "group:admins", want: Ref{"group", "default", "admins"}},
		{name: "ns/name with default kind", in: "team-a/svc", defKind: "Group", want: Ref{"Group", "team-a", "svc"}},
		{name: "name with defaults", in: "svc", defKind: "Component", defNamespace: "ns1", want: Ref{"Component", "ns1", "svc"}},
		{name: "name with default kind only", in: "svc", defKind: "Component", want: Ref{"Component", DefaultNamespace, "svc"}},
		{name: "case is kept", in: "Component:Team-A/Svc", want: Ref{"Component", "Team-A", "Svc"}},
		// Explicit parts win over defaults.
		{name: "explicit kind beats default", in: "user:jdoe", defKind: "Group", want: Ref{"user", "default", "jdoe"}},
		{name: "explicit ns beats default", in: "user:ns2/jdoe", defKind: "Group", defNamespace: "ns1", want: Ref{"user", "ns2", "jdoe"}},
		{name: "default ns applied with kind", in: "user:jdoe", defNamespace: "ns1", want: Ref{"user", "ns1", "jdoe"}},
		// The slash before the colon: no kind, the rest is the name.
		{name: "slash before colon", in: "a/b:c", defKind: "K", want: Ref{"K", "a", "b:c"}},
		{name: "slash before colon no default kind", in: "a/b:c", wantErr: true},
		// Colon before slash; later separators belong to the name.
		{name: "extra colon in name", in: "k:n:x", want: Ref{"k", "default", "n:x"}},
		{name: "extra slash in name", in: "k:ns/a/b", want: Ref{"k", "ns", "a/b"}},
		{name: "colon then slash then colon", in: "k:ns/a:b", want: Ref{"k", "ns", "a:b"}},
		// Empty parts.
		{name: "empty", in: "", defKind: "K", wantErr: true},
		{name: "empty kind", in: ":x", defKind: "K", wantErr: true, formErr: true},
		{name: "empty name after slash", in: "x/", defKind: "K", wantErr: true, formErr: true},
		{name: "empty namespace", in: "a:/b", wantErr: true, formErr: true},
		{name: "empty name after colon", in: "a:", wantErr: true, formErr: true},
		{name: "only colon", in: ":", defKind: "K", wantErr: true, formErr: true},
		{name: "only slash", in: "/", defKind: "K", wantErr: true, formErr: true},
		{name: "leading slash", in: "/x", defKind: "K", wantErr: true, formErr: true},
		{name: "kind and empty name", in: "k:ns/", wantErr: true, formErr: true},
		// Missing kind with no default.
		{name: "name without kind", in: "svc", wantErr: true},
		{name: "ns/name without kind", in: "ns/svc", wantErr: true},
		// Whitespace is not trimmed, as in Backstage.
		{name: "spaces kept", in: " k : n ", want: Ref{" k ", "default", " n "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRef(tt.in, tt.defKind, tt.defNamespace)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseRef(%q, %q, %q) = %+v, want an error", tt.in, tt.defKind, tt.defNamespace, got)
				}
				if tt.formErr && !errors.Is(err, ErrRefForm) {
					t.Errorf("error %q does not wrap ErrRefForm", err)
				}
				if got != (Ref{}) {
					t.Errorf("on error got %+v, want zero Ref", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRef(%q, %q, %q): %v", tt.in, tt.defKind, tt.defNamespace, err)
			}
			if got != tt.want {
				t.Errorf("ParseRef(%q, %q, %q) = %+v, want %+v", tt.in, tt.defKind, tt.defNamespace, got, tt.want)
			}
		})
	}
}

func TestParseRefMissingKindMessage(t *testing.T) {
	_, err := ParseRef("svc", "", "")
	if err == nil || !strings.Contains(err.Error(), "no kind") {
		t.Fatalf("err = %v, want it to say the reference has no kind", err)
	}
	if errors.Is(err, ErrRefForm) {
		t.Errorf("a missing kind is not a form error: %v", err)
	}
}

func TestHasKind(t *testing.T) {
	for in, want := range map[string]bool{
		"component:svc":    true,
		"component:ns/svc": true,
		"ns/svc":           false,
		"svc":              false,
		"a/b:c":            false,
		":svc":             false, // not a valid reference at all
		"":                 false,
	} {
		if got := HasKind(in); got != want {
			t.Errorf("HasKind(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRefString(t *testing.T) {
	tests := []struct {
		ref  Ref
		want string
	}{
		{Ref{"Component", "Default", "My-Service"}, "component:default/my-service"},
		{Ref{"Group", "", "Admins"}, "group:default/admins"},
		{Ref{"", "NS", "Name"}, "ns/name"},
		{Ref{"", "", "Name"}, "default/name"},
		{Ref{"API", "team-a", "Petstore_V2.1"}, "api:team-a/petstore_v2.1"},
	}
	for _, tt := range tests {
		if got := tt.ref.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestRefEqual(t *testing.T) {
	tests := []struct {
		a, b Ref
		want bool
	}{
		{Ref{"Component", "default", "svc"}, Ref{"component", "DEFAULT", "SVC"}, true},
		{Ref{"Group", "", "admins"}, Ref{"group", "default", "Admins"}, true},
		{Ref{"Group", "ns", "admins"}, Ref{"group", "default", "admins"}, false},
		{Ref{"Group", "default", "admins"}, Ref{"user", "default", "admins"}, false},
		{Ref{"Group", "default", "admins"}, Ref{"group", "default", "admin"}, false},
		{Ref{"", "default", "x"}, Ref{"", "default", "X"}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%+v.Equal(%+v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := tt.b.Equal(tt.a); got != tt.want {
			t.Errorf("Equal is not symmetric for %+v, %+v", tt.a, tt.b)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []struct{ ref, kind, ns string }{
		{"component:default/svc", "", ""},
		{"svc", "Group", ""},
		{"ns/svc", "Group", "other"},
		{"a/b:c", "K", ""},
		{":x", "K", ""},
		{"x/", "K", ""},
		{"a:/b", "", ""},
		{"", "", ""},
		{"Ünïcödé:ns/NAME", "", ""},
		{"\xff:\xfe/\xfd", "", ""},
	} {
		f.Add(s.ref, s.kind, s.ns)
	}
	f.Fuzz(func(t *testing.T, s, defKind, defNamespace string) {
		r, err := ParseRef(s, defKind, defNamespace)
		if err != nil {
			if r != (Ref{}) {
				t.Fatalf("ParseRef(%q) failed but returned %+v", s, r)
			}
			return
		}
		if r.Name == "" {
			t.Fatalf("ParseRef(%q, %q, %q) = %+v: empty name", s, defKind, defNamespace, r)
		}
		if r.Kind == "" {
			t.Fatalf("ParseRef(%q, %q, %q) = %+v: empty kind on success", s, defKind, defNamespace, r)
		}
		if r.Namespace == "" {
			t.Fatalf("ParseRef(%q, %q, %q) = %+v: empty namespace on success", s, defKind, defNamespace, r)
		}
		if !r.Equal(r) {
			t.Fatalf("%+v is not Equal to itself", r)
		}
		if strings.ContainsAny(r.Kind+r.Namespace+r.Name, ":/") {
			return
		}
		str := r.String()
		back, err := ParseRef(str, "", "")
		if err != nil {
			t.Fatalf("ParseRef(%q) (String of %+v): %v", str, r, err)
		}
		if !back.Equal(r) {
			t.Fatalf("round trip: %+v -> %q -> %+v, not Equal", r, str, back)
		}
		if back.String() != str {
			t.Fatalf("String is not stable: %q -> %q", str, back.String())
		}
	})
}

// Parsing a well-formed reference allocates nothing: the relation rules
// parse every reference of a whole catalog several times.
func TestParseRefAllocatesNothing(t *testing.T) {
	for _, s := range []string{"component:default/orders", "group:team-a", "orders", "default/orders"} {
		if n := testing.AllocsPerRun(100, func() {
			if _, err := ParseRef(s, "Component", "default"); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("ParseRef(%q): %v allocations", s, n)
		}
	}
}
