package entity

import (
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
)

var formatMatchers = []struct {
	name    string
	re      *regexp.Regexp
	matches func(string) bool
}{
	{"objectName", regexp.MustCompile(objectNamePattern), matchObjectName},
	{"dnsLabel", regexp.MustCompile(dnsLabelPattern), func(s string) bool { return matchDashed(s, isDNSChar, true) }},
	{"kind", regexp.MustCompile(kindPattern), matchKind},
	{"tag", regexp.MustCompile(tagPattern), func(s string) bool { return matchDashed(s, isTagChar, false) }},
	{"apiSuffix", regexp.MustCompile(apiSuffixPattern), matchAlnum},
}

// checkMatchers fails when a hand-written matcher and its pattern disagree.
func checkMatchers(t *testing.T, s string) {
	t.Helper()
	for _, m := range formatMatchers {
		if got, want := m.matches(s), m.re.MatchString(s); got != want {
			t.Errorf("%s(%q) = %v, the pattern says %v", m.name, s, got, want)
		}
	}
}

// TestFormatMatchers compares every string of up to three characters over
// an alphabet of each character class the patterns name (and some they do
// not), and a list of longer cases.
func TestFormatMatchers(t *testing.T) {
	alphabet := []string{"a", "Z", "5", "-", "_", ".", ":", "+", "#", "/", " ", "é", "\n"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		checkMatchers(t, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+c, n-1)
		}
	}
	gen("", 3)
	for _, s := range []string{"payments-service", "a--b", "a-b-c", "C++", "x:y#z+w", "-a", "a-", "a.b_c-d", "Component", "v1alpha1", "a\u212a"} {
		checkMatchers(t, s)
	}
}

// Backstage's validators, written here from @backstage/catalog-model
// 1.10.1 (dist/validation/KubernetesValidatorFunctions.cjs.js,
// CommonValidatorFunctions.cjs.js and the isValidTag of makeValidator.cjs.js)
// with their regular expressions as JavaScript source text and their
// length rules (String.length counts UTF-16 code units). They do not share
// a constant or a helper with format.go, so a pattern copied wrong there is
// caught here.
var (
	bsDNSLabelRe   = regexp.MustCompile(`^[a-z0-9]+(?:\-+[a-z0-9]+)*$`)
	bsSuffixRe     = regexp.MustCompile(`^[a-z0-9A-Z]+$`)
	bsKindRe       = regexp.MustCompile(`^[a-zA-Z][a-z0-9A-Z]*$`)
	bsObjectNameRe = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	bsTagRe        = regexp.MustCompile(`^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$`)
)

func bsLen(s string) int { return len(utf16.Encode([]rune(s))) }

func bsPrefixAndOrSuffix(v string, prefix, suffix func(string) bool) bool {
	parts := strings.Split(v, "/")
	switch len(parts) {
	case 1:
		return suffix(parts[0])
	case 2:
		return prefix(parts[0]) && suffix(parts[1])
	}
	return false
}

func bsDNSLabel(v string) bool {
	return bsLen(v) >= 1 && bsLen(v) <= 63 && bsDNSLabelRe.MatchString(v)
}

func bsDNSSubdomain(v string) bool {
	if bsLen(v) < 1 || bsLen(v) > 253 {
		return false
	}
	for _, l := range strings.Split(v, ".") {
		if !bsDNSLabel(l) {
			return false
		}
	}
	return true
}

func bsObjectName(v string) bool {
	return bsLen(v) >= 1 && bsLen(v) <= 63 && bsObjectNameRe.MatchString(v)
}

var backstageValidators = []struct {
	name  string
	limit int // the longest valid value
	bs    func(string) bool
	ours  func(string) bool
}{
	{"isValidApiVersion", 253 + 1 + 63, func(v string) bool {
		return bsPrefixAndOrSuffix(v, bsDNSSubdomain, func(n string) bool {
			return bsLen(n) >= 1 && bsLen(n) <= 63 && bsSuffixRe.MatchString(n)
		})
	}, IsValidAPIVersion},
	{"isValidKind", 63, func(v string) bool { return bsLen(v) >= 1 && bsLen(v) <= 63 && bsKindRe.MatchString(v) }, IsValidKind},
	{"isValidObjectName", 63, bsObjectName, IsValidObjectName},
	{"isValidNamespace", 63, bsDNSLabel, IsValidDNSLabel},
	{"isValidDnsSubdomain", 253, bsDNSSubdomain, IsValidDNSSubdomain},
	{"isValidLabelKey", 253 + 1 + 63, func(v string) bool { return bsPrefixAndOrSuffix(v, bsDNSSubdomain, bsObjectName) }, IsValidLabelKey},
	{"isValidAnnotationKey", 253 + 1 + 63, func(v string) bool { return bsPrefixAndOrSuffix(v, bsDNSSubdomain, bsObjectName) }, IsValidAnnotationKey},
	{"isValidLabelValue", 63, func(v string) bool { return v == "" || bsObjectName(v) }, IsValidLabelValue},
	{"isValidTag", 63, func(v string) bool { return bsLen(v) >= 1 && bsLen(v) <= 63 && bsTagRe.MatchString(v) }, IsValidTag},
}

// checkBackstage fails when one of our validators and Backstage's disagree
// on s.
func checkBackstage(t *testing.T, s string) {
	t.Helper()
	for _, v := range backstageValidators {
		if got, want := v.ours(s), v.bs(s); got != want {
			t.Errorf("%s(%q) (%d UTF-16 units) = %v, Backstage says %v", v.name, s, bsLen(s), got, want)
		}
	}
}

// formatAlphabet holds every character class the patterns tell apart, and
// characters that take two UTF-16 units or two bytes.
var formatAlphabet = []string{"a", "z", "Q", "0", "9", "-", "_", ".", "/", ":", "+", "#", " ", "é", "\U0001F600", "\n"}

// formatStrings calls fn with strings of every length from 0 to max: random
// ones, drawn mostly from the valid characters, and valid-looking bases
// (all letters; labels joined by dashes, runs of dashes and dots; a prefix
// and a slash) with each alphabet character put at each position (every
// position up to 66 characters; beyond, the first and last three and
// positions 63 and 64).
func formatStrings(max int, fn func(string)) {
	rng := rand.New(rand.NewSource(1))
	bases := []string{"a", "ab-", "a--b.", "Ab9_x.", "a.b/c", "a:+#-"}
	for n := 0; n <= max; n++ {
		for i := 0; i < 12; i++ {
			var b strings.Builder
			for b.Len() < n {
				if rng.Intn(4) == 0 {
					b.WriteString(formatAlphabet[rng.Intn(len(formatAlphabet))])
				} else {
					b.WriteString(formatAlphabet[rng.Intn(8)])
				}
			}
			fn(b.String())
		}
		for _, base := range bases {
			s := []byte(strings.Repeat(base, n/len(base)+1)[:n])
			if n > 0 {
				s[n-1] = 'a' // end on a character every pattern ends on
			}
			fn(string(s))
			for p := 0; p < n; p++ {
				if n > 66 && p >= 3 && p < n-3 && p != 63 && p != 64 {
					continue
				}
				for _, c := range formatAlphabet {
					fn(string(s[:p]) + c + string(s[p+1:]))
				}
			}
		}
	}
}

// TestFormatMatchersBackstage holds every validator to Backstage's at every
// length up to two past its limit (63 for names, 253 for subdomains, 317
// for a prefixed key).
func TestFormatMatchersBackstage(t *testing.T) {
	max := 253 + 1 + 63 + 2
	if testing.Short() {
		max = 70
	}
	n := 0
	formatStrings(max, func(s string) {
		n++
		checkBackstage(t, s)
		if t.Failed() && n%1000 == 0 {
			t.FailNow()
		}
	})
	for _, s := range []string{
		"a--b", "a---b", "a--b.c--d/e", "a--b.io/v1", "team--a", "-a", "a-", "a--",
		strings.Repeat("a", 63), strings.Repeat("a", 64),
		strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("a", 61),
		strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("a", 62),
		strings.Repeat("a", 62) + "\U0001F600", strings.Repeat("a", 61) + "é",
	} {
		checkBackstage(t, s)
	}
	t.Logf("%d strings compared", n)
}

func FuzzFormatMatchers(f *testing.F) {
	for _, s := range []string{"", "a", "a-b", "a--b", "A.b_c", "tag:x+y#z", "é", "a--b.io/v1", "\ufeff", "\u0085"} {
		f.Add(s)
	}
	for _, s := range []string{"http://xn--a-ecp.com", "https://bücher.de:80/x", "file://a:", "foo://[::1]:8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkMatchers(t, s)
		checkBackstage(t, s)
		IsValidURL(s)                 // never panics (Punycode, IPv4 arithmetic)
		IsValidURL("http://xn--" + s) // a Punycode label of any content
	})
}

// backstageModel is the folder of an installed @backstage/catalog-model
// (CATALINT_BACKSTAGE_MODEL, or the one the real backend of
// ../shared/backstage uses, or an `npm pack` of it unpacked in
// /tmp/backstage-catalog-model), or "" when there is none.
func backstageModel() string {
	cands := []string{os.Getenv("CATALINT_BACKSTAGE_MODEL"), filepath.Join(cacheDir(), "catalint-backstage", "node_modules", "@backstage", "catalog-model"),
		filepath.Join(os.TempDir(), "backstage-catalog-model", "package")}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(c, "dist", "validation", "KubernetesValidatorFunctions.cjs.js")); err == nil {
			return c
		}
	}
	return ""
}

func cacheDir() string {
	if c := os.Getenv("XDG_CACHE_HOME"); c != "" {
		return c
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache")
}

// TestFormatMatchersNode runs Backstage's own validator functions with node
// over the strings of TestFormatMatchersBackstage (up to 70 characters, and
// every one of the 0x3100 first code points and U+FEFF for the white space
// of isNonEmptyString), and compares each answer with ours. Skipped when
// node or the package is not installed.
func TestFormatMatchersNode(t *testing.T) {
	model := backstageModel()
	node, err := exec.LookPath("node")
	if model == "" || err != nil {
		t.Skip("node or @backstage/catalog-model is not installed")
	}
	var in []string
	formatStrings(70, func(s string) { in = append(in, s) })
	for r := rune(0); r < 0x3100; r++ {
		in = append(in, string(r), "x"+string(r), string(r)+string(r))
	}
	in = append(in, "\ufeff", "\ufeff\u0085")
	dir := t.TempDir()
	b, _ := json.Marshal(in)
	if err := os.WriteFile(filepath.Join(dir, "in.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	script := `
const dist = process.argv[1] + "/dist/validation/";
const K = require(dist + "KubernetesValidatorFunctions.cjs.js").KubernetesValidatorFunctions;
const C = require(dist + "CommonValidatorFunctions.cjs.js").CommonValidatorFunctions;
const V = require(dist + "makeValidator.cjs.js").makeValidator();
const fns = {
  isValidApiVersion: V.isValidApiVersion, isValidKind: V.isValidKind, isValidObjectName: V.isValidEntityName,
  isValidNamespace: V.isValidNamespace, isValidDnsSubdomain: C.isValidDnsSubdomain, isValidLabelKey: V.isValidLabelKey,
  isValidAnnotationKey: V.isValidAnnotationKey, isValidLabelValue: V.isValidLabelValue, isValidTag: V.isValidTag,
  isNonEmptyString: C.isNonEmptyString,
};
const input = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const out = {};
for (const [k, f] of Object.entries(fns)) out[k] = input.map((s) => (f(s) ? "1" : "0")).join("");
process.stdout.write(JSON.stringify(out));
`
	cmd := exec.Command(node, "-e", script, model, filepath.Join(dir, "in.json"))
	// lodash, which the package requires, is beside it in node_modules,
	// or in the backend's when the package was unpacked alone.
	cmd.Env = append(os.Environ(), "NODE_PATH="+strings.Join([]string{filepath.Dir(filepath.Dir(model)), filepath.Join(cacheDir(), "catalint-backstage", "node_modules")}, string(os.PathListSeparator)))
	res, err := cmd.Output()
	if err != nil {
		t.Skipf("node cannot run the package: %v", err)
	}
	var got map[string]string
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	ours := map[string]func(string) bool{"isNonEmptyString": IsNonBlank}
	for _, v := range backstageValidators {
		ours[v.name] = v.ours
	}
	bad := 0
	for name, fn := range ours {
		answers := got[name]
		if len(answers) != len(in) {
			t.Fatalf("%s: node answered %d strings of %d", name, len(answers), len(in))
		}
		for i, s := range in {
			if want := answers[i] == '1'; fn(s) != want && bad < 20 {
				bad++
				t.Errorf("%s(%q) = %v, Backstage (node) says %v", name, s, fn(s), want)
			}
		}
	}
	t.Logf("%d strings × %d validators compared with %s", len(in), len(ours), model)
}

// urlStrings are URL-like strings built from the pieces the WHATWG parser
// tells apart: schemes special or not, slashes, credentials, hosts (names,
// IPv4 and IPv6 forms, percent escapes, international and forbidden
// characters), ports, paths, queries and fragments, white space.
func urlStrings() []string {
	parts := []string{"http", "https", "ftp", "file", "ws", "mailto", "foo", "HTTP", "h+t", "1x", ":", "://", ":/", "//", "/", "\\", "@", "user:pw@",
		"example.com", "EXAMPLE.com", "ex ample", "ex%41mple", "ex%zzample", "ex%", "[::1]", "[::1", "[1:2:3:4:5:6:7:8]", "[x]", "[::ffff:1.2.3.4]", "[fe80::1%25eth0]",
		"127.0.0.1", "256.1.1.1", "0x7f.1", "1.2.3", "1.2.3.4.5", "0x100000000", "4294967295", "4294967296", "09", "08.1", "1.", "xn--nxasmq6b", "xn--", "xn--a", "xn--abc-", "bücher.de", "ＥＸＡＭＰＬＥ.com",
		":80", ":65535", ":65536", ":0080", ":-1", ":8a", "?q=1", "#frag", " ", "\t", "\n", "<", ">", "^", "|", "%", "a", "", "..", ".",
		"\u00a0", "\u3000", "ß", "é", "%00", "%2e", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "="}
	rng := rand.New(rand.NewSource(2))
	seen := map[string]bool{}
	var out []string
	for len(out) < 20000 {
		var b strings.Builder
		for n := 1 + rng.Intn(6); n > 0; n-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		if s := b.String(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	// International hosts: mappings (full width, ligatures, compatibility
	// forms, soft hyphen), joiners, combining marks, right-to-left
	// scripts, symbols, emoji.
	for _, h := range []string{"ＡＢＣ", "①", "ﬀ", "a\u200db", "\u200d", "a\u00adb", "İ", "ǅ", "\u0301a", "a\u0301", "١٢٣", "עברית", "a.עברית", "\ufffd", "\U0001F600", "\u2100", "\u2474", "a\u3002b", "a\uff0eb", "\u00df", "\u03c2", "xn--zca", "xn--mnchen-3ya", "xn--Mnchen-3ya", "xn--a-ecp.com", "\u0130.com", "a\u2044b", "\uff05", "a\uff1ab", "\u2488"} {
		parts = append(parts, h)
		for _, scheme := range []string{"http://", "foo://", "file://"} {
			out = append(out, scheme+h, scheme+h+".com", scheme+"x."+h+"/p")
		}
	}
	for _, scheme := range []string{"http://", "https:", "foo://", "file://"} {
		for _, p := range parts {
			out = append(out, scheme+p, scheme+p+"/x", scheme+"a"+p, scheme+p+".com:80")
		}
	}
	return out
}

// TestURLNode holds IsValidURL to JavaScript's `new URL(s)` (what
// Backstage's isValidUrl calls), run by node, on urlStrings.
func TestURLNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	in := urlStrings()
	dir := t.TempDir()
	b, _ := json.Marshal(in)
	os.WriteFile(filepath.Join(dir, "in.json"), b, 0o600)
	script := `const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
process.stdout.write(a.map((s) => { try { new URL(s); return "1"; } catch { return "0"; } }).join(""));`
	out, err := exec.Command(node, "-e", script, filepath.Join(dir, "in.json")).Output()
	if err != nil || len(out) != len(in) {
		t.Skipf("node: %v", err)
	}
	bad := 0
	for i, s := range in {
		if got, want := IsValidURL(s), out[i] == '1'; got != want {
			bad++
			if bad <= 200 {
				t.Logf("IsValidURL(%q) = %v, new URL says %v", s, got, want)
			}
		}
	}
	t.Logf("%d of %d strings disagree with new URL()", bad, len(in))
	if bad > 0 {
		t.Errorf("%d of %d strings disagree with new URL()", bad, len(in))
	}
}
