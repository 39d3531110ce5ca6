package entity

import (
	"reflect"
	"strings"
	"testing"
)

type formatCase struct {
	in   string
	want bool
}

func checkFormat(t *testing.T, name string, fn func(string) bool, cases []formatCase) {
	t.Helper()
	for _, c := range cases {
		if got := fn(c.in); got != c.want {
			shown := c.in
			if len(shown) > 40 {
				shown = shown[:20] + "…(" + itoa(len(c.in)) + " bytes)"
			}
			t.Errorf("%s(%q) = %v, want %v", name, shown, got, c.want)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

func TestIsValidObjectName(t *testing.T) {
	checkFormat(t, "IsValidObjectName", IsValidObjectName, []formatCase{
		// Length.
		{"", false},
		{"a", true},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{"a" + rep("-", 61) + "b", true},  // 63 with separators
		{"a" + rep("-", 62) + "b", false}, // 64
		// Each character class on its own.
		{"abc", true},
		{"ABC", true},
		{"012", true},
		{"z", true},
		{"Z", true},
		{"9", true},
		{"aZ9", true},
		// Separators in the middle, even repeated and mixed.
		{"a-b", true},
		{"a_b", true},
		{"a.b", true},
		{"a--b", true},
		{"a-_.b", true},
		{"my-service_v1.2", true},
		// Separators at the start or end.
		{"-a", false},
		{"_a", false},
		{".a", false},
		{"a-", false},
		{"a_", false},
		{"a.", false},
		{"-", false},
		{".", false},
		{"_", false},
		// Forbidden characters.
		{"a b", false},
		{" a", false},
		{"a ", false},
		{"a/b", false},
		{"a:b", false},
		{"a@b", false},
		{"a+b", false},
		{"a#b", false},
		{"é", false},
		{"aé", false},
		{"日本", false},
		{"a\nb", false},
		{"a\n", false},
		{"a\t", false},
	})
}

func TestObjectNameCountsUTF16(t *testing.T) {
	// Length counts UTF-16 code units, like JavaScript; a non-ASCII name is
	// rejected by the pattern anyway, so only check jsLen itself here.
	if got := jsLen("a😀é"); got != 4 {
		t.Errorf("jsLen = %d, want 4 (surrogate pair counts 2)", got)
	}
	if got := jsLen(rep("a", 63)); got != 63 {
		t.Errorf("jsLen = %d, want 63", got)
	}
}

func TestIsValidDNSLabel(t *testing.T) {
	checkFormat(t, "IsValidDNSLabel", IsValidDNSLabel, []formatCase{
		{"", false},
		{"a", true},
		{"0", true},
		{"default", true},
		{"team-a", true},
		{"a1-b2-c3", true},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{rep("a", 31) + "-" + rep("b", 31), true},  // 63
		{rep("a", 32) + "-" + rep("b", 31), false}, // 64
		{"A", false},
		{"Default", false},
		{"teamA", false},
		{"a--b", true}, // Backstage's pattern allows runs of dashes: \-+
		{"a---b", true},
		{"a--", false},
		{"-a", false},
		{"a-", false},
		{"-", false},
		{"a_b", false},
		{"a.b", false},
		{"a b", false},
		{"é", false},
	})
}

func TestIsValidDNSSubdomain(t *testing.T) {
	label63 := rep("a", 63)
	// 4 labels of 63 plus 3 dots = 255; build exact totals from labels.
	at253 := strings.Join([]string{label63, label63, label63, rep("a", 61)}, ".") // 63*3+61+3 = 253
	at254 := strings.Join([]string{label63, label63, label63, rep("a", 62)}, ".") // 254
	if len(at253) != 253 || len(at254) != 254 {
		t.Fatalf("bad fixture lengths %d %d", len(at253), len(at254))
	}
	checkFormat(t, "IsValidDNSSubdomain", IsValidDNSSubdomain, []formatCase{
		{"", false},
		{"a", true},
		{"backstage.io", true},
		{"scaffolder.backstage.io", true},
		{"my-company.example.com", true},
		{at253, true},
		{at254, false},
		{label63 + ".com", true},
		{rep("a", 64) + ".com", false}, // one label too long
		{"a..b", false},
		{".a", false},
		{"a.", false},
		{"Backstage.io", false},
		{"a_b.io", false},
		{"a--b.io", true},
		{"a-.io", false},
	})
}

func TestIsValidAPIVersion(t *testing.T) {
	checkFormat(t, "IsValidAPIVersion", IsValidAPIVersion, []formatCase{
		{"backstage.io/v1alpha1", true},
		{"backstage.io/v1beta1", true},
		{"scaffolder.backstage.io/v1beta3", true},
		{"v1", true},
		{"V1Alpha1", true}, // the suffix may be upper case
		{"example.com/" + rep("a", 63), true},
		{"example.com/" + rep("a", 64), false},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{"a/b/c", false},
		{"Backstage.io/v1alpha1", false}, // the prefix is a DNS subdomain
		{"BACKSTAGE.IO/v1", false},
		{"", false},
		{"/v1", false},
		{"backstage.io/", false},
		{"backstage.io/v1-alpha1", false},
		{"backstage.io/v1.1", false},
		{"backstage.io/v1 ", false},
		{"back_stage.io/v1", false},
	})
}

func TestIsValidKind(t *testing.T) {
	checkFormat(t, "IsValidKind", IsValidKind, []formatCase{
		{"Component", true},
		{"API", true},
		{"component", true},
		{"a", true},
		{"A1", true},
		{"x" + rep("a", 62), true},  // 63
		{"x" + rep("a", 63), false}, // 64
		{"", false},
		{"1Component", false},
		{"9", false},
		{"My-Kind", false},
		{"My_Kind", false},
		{"My.Kind", false},
		{"My Kind", false},
		{"Kömponent", false},
	})
}

func TestIsValidLabelAndAnnotationKey(t *testing.T) {
	cases := []formatCase{
		{"backstage.io/techdocs-ref", true},
		{"github.com/project-slug", true},
		{"simple", true},
		{"Simple_Key.v1", true}, // the name part is an object name
		{"a/b", true},
		{"example.com/" + rep("a", 63), true},
		{"example.com/" + rep("a", 64), false},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{"a/b/c", false},
		{"example.com/a/b", false},
		{"", false},
		{"/name", false},
		{"example.com/", false},
		{"Example.com/name", false}, // prefix must be lower case
		{"exa_mple.com/name", false},
		{"example.com/-name", false},
		{"example.com/name-", false},
		{"example.com/na me", false},
		{"example.com/na:me", false},
	}
	checkFormat(t, "IsValidLabelKey", IsValidLabelKey, cases)
	checkFormat(t, "IsValidAnnotationKey", IsValidAnnotationKey, cases)
}

func TestIsValidLabelValue(t *testing.T) {
	checkFormat(t, "IsValidLabelValue", IsValidLabelValue, []formatCase{
		{"", true},
		{"production", true},
		{"Prod_1.2-x", true},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{"-a", false},
		{"a/b", false},
		{"a b", false},
		{" ", false},
	})
}

func TestIsValidTag(t *testing.T) {
	checkFormat(t, "IsValidTag", IsValidTag, []formatCase{
		{"java", true},
		{"c++", true},
		{"c#", true},
		{"a:b", true},
		{"a-b", true},
		{"0", true},
		{"+", true},
		{"#", true},
		{":", true},
		{"a-b-c", true},
		{rep("a", 63), true},
		{rep("a", 64), false},
		{"", false},
		{"A", false},
		{"Java", false},
		{"a_b", false},
		{"a.b", false},
		{"a--b", false},
		{"-a", false},
		{"a-", false},
		{"a b", false},
		{"a/b", false},
		{"é", false},
	})
}

func TestIsNonBlank(t *testing.T) {
	checkFormat(t, "IsNonBlank", IsNonBlank, []formatCase{
		{"x", true},
		{" x ", true},
		{"", false},
		{"   ", false},
		{"\t\n", false},
		{"\ufeff", false}, // white space to JavaScript's trim
		{"\u3000", false}, // Zs
		{"\u2028", false}, // a line terminator
		{"\u0085", true},  // NEL: white space to Go, not to JavaScript
		{"\u200b", true},  // zero-width space is not Zs
	})
}

func TestIsValidURL(t *testing.T) {
	checkFormat(t, "IsValidURL", IsValidURL, []formatCase{
		{"https://example.com", true},
		{"https://example.com/path?q=1#frag", true},
		{"http://example.com:8080/x", true},
		{"http://user:pass@example.com", true},
		{"http://[::1]:80/", true},
		{"http:foo.com", true}, // WHATWG accepts a special scheme without slashes
		{"HTTPS://EXAMPLE.COM", true},
		{"mailto:x@y", true},
		{"slack://c", true},
		{"urn:isbn:123", true},
		{"file:///etc/hosts", true},
		{" https://x.com ", true}, // leading and trailing C0/space are stripped
		{"\thttps://x.com\n", true},
		{"http://x.com:65535", true},
		{"http://x.com:", true}, // empty port is allowed
		{"", false},
		{"   ", false},
		{"example.com", false},
		{"/relative/path", false},
		{"://x", false},
		{"1http://x", false},
		{"http://", false},
		{"https://", false},
		{"https:///", false},
		{"https://exa mple.com", false},
		{"http://x.com:99999", false},
		{"http://x.com:65536", false},
		{"http://x.com:port", false},
		{"http://[::1", false},
		{"http://a<b", false},
		// Answers of new URL() (node 20) for each class the parser tells apart.
		{"file:65535:-1>:", true}, // file without "//": a path
		{"file://a:", true},       // a Windows drive letter
		{"file://@foo", false},
		{"foo://a b", false}, // an opaque host with a forbidden code point
		{"foo://:80", false}, // a port needs a host
		{"foo://", true},     // an empty opaque host
		{"h+t://@", false},   // credentials and no host
		{"foo:a b<c>", true}, // an opaque path
		{"http:example.com", true},
		{"http://1.2.3.4.5", false},   // ends in a number: IPv4, five parts
		{"http://256.1.1.1", false},   // a part over 255
		{"http://0x7f.1", true},       // hex and short forms
		{"http://0x100000000", false}, // over 2^32
		{"http://1.2.3.a", true},      // not a number at the end: a domain
		{"http://ex%41mple.com", true},
		{"http://ex%zzample.com", false},
		{"http://[::ffff:1.2.3.4]", true},
		{"http://[fe80::1%25eth0]", false}, // no zones
		{"https://xn--", false},
		{"https://xn--abc-", true},
		{"https://xn--a-ecp.com", false}, // decodes to a disallowed ⒈
		{"https://bücher.de", true},
		{"https://ＥＸＡＭＰＬＥ.com", true},   // full width maps to ASCII
		{"https:\u3000", false},         // maps to a space
		{"http://a\u200db", false},      // a joiner out of place
		{"http://\u0301a", false},       // a combining mark first
		{"http://a\u0661\u0662", false}, // Arabic digits in a left-to-right label
		{"http://\u05e2\u05d1\u05e8\u05d9\u05ea", true},
	})
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"Component", "component", 0}, // case-insensitive
		{"Compnent", "Component", 1},
		{"Componnet", "Component", 2},
		{"owner", "ownr", 1},
		{"flaw", "lawn", 2},
		{"日本語", "日本", 1}, // counts runes, not bytes
		{"é", "e", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	kinds := []string{"Component", "API", "Resource", "System", "Domain", "Group", "User", "Location", "Template"}
	tests := []struct {
		s          string
		candidates []string
		most       int
		want       []string
	}{
		{"Compnent", kinds, 3, []string{"Component"}},
		{"component", kinds, 3, []string{"Component"}}, // equal ignoring case
		{"Component", kinds, 3, []string{}},            // exact match is skipped
		{"Api", kinds, 3, []string{"API"}},
		{"xyzzy", kinds, 3, []string{}},
		{"Grup", kinds, 3, []string{"Group"}},
		// Short strings still allow one edit.
		{"a", []string{"b", "ab", "abc"}, 3, []string{"b", "ab"}},
		// Best first, ties in candidate order, capped by most.
		{"owner", []string{"ownr", "owners", "own", "owner1", "other"}, 2, []string{"ownr", "owners"}},
		{"owner", []string{"own", "ownerx", "ownr"}, 5, []string{"ownerx", "ownr"}},
		// The limit is a third of the length, at most 3.
		{"abcdefghijkl", []string{"abcdefghi", "abcdefgh"}, 3, []string{"abcdefghi"}},
		{"lifecycle", []string{"lifecyle", "lifecycel", "type"}, 3, []string{"lifecyle", "lifecycel"}},
		{"x", nil, 3, []string{}},
		{"Compnent", kinds, 0, []string{}},
	}
	for _, tt := range tests {
		got := Closest(tt.s, tt.candidates, tt.most)
		if got == nil {
			t.Errorf("Closest(%q) returned nil, want a non-nil slice", tt.s)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Closest(%q, %v, %d) = %q, want %q", tt.s, tt.candidates, tt.most, got, tt.want)
		}
	}
}
