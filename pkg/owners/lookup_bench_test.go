package owners_test

import (
	"fmt"
	"math/bits"
	"testing"

	"github.com/catalint-dev/catalint/pkg/entity"
	"github.com/catalint-dev/catalint/pkg/owners"
)

// teamNames returns n distinct team names shaped like real ones
// ("team-payments-api", "team-search-infra-7"), 10–30 characters.
func teamNames(n int) []string {
	areas := []string{"payments", "search", "identity", "checkout", "ledger", "mobile", "web", "data",
		"platform", "growth", "billing", "catalog", "shipping", "fraud", "ads", "messaging", "infra",
		"security", "support", "pricing", "risk", "maps", "media", "devex", "reliability"}
	kinds := []string{"api", "core", "ui", "infra", "ops", "ml", "sre", "backend", "frontend", "tools",
		"apps", "eng", "research", "quality", "analytics", "platform", "services", "edge", "storage", "realtime"}
	var out []string
	for i := 0; len(out) < n; i++ {
		name := fmt.Sprintf("team-%s-%s", areas[i%len(areas)], kinds[(i/len(areas))%len(kinds)])
		if r := i / (len(areas) * len(kinds)); r > 0 {
			name += fmt.Sprintf("-%d", r)
		}
		out = append(out, name)
	}
	return out
}

// misspell swaps two letters in the middle of a name, the commonest typo.
func misspell(s string) string {
	b := []byte(s)
	i := len(b) / 2
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

// BenchmarkOwnerCheck10k is the owners check of a 10,000-entity catalog
// against a directory of 2,000 teams and 3,000 users (a large GitHub
// organisation): each entity's spec.owner is parsed and looked up, and for
// the 5% that are misspelled the nearest team is suggested, as the
// owner-missing rule does. One op is the whole 10,000-entity check.
func BenchmarkOwnerCheck10k(b *testing.B) {
	names := teamNames(2000)
	d := owners.NewDirectory()
	for _, n := range names {
		d.AddGroup(owners.Group{Name: n, Members: 5})
	}
	for i := range 3000 {
		d.AddUser(owners.User{Name: fmt.Sprintf("dev-%04d", i)})
	}
	owner := make([]string, 10000)
	bad := 0
	for i := range owner {
		owner[i] = names[(i*7919)%len(names)]
		if i%20 == 7 { // 5%
			owner[i] = misspell(owner[i])
			bad++
		}
	}
	check := func(suggest bool) (missing, suggested int) {
		for _, o := range owner {
			r, err := entity.ParseRef(o, "group", "default")
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := d.Group(r); ok {
				continue
			}
			missing++
			if suggest && len(d.SuggestGroup(r, 1)) == 1 {
				suggested++
			}
		}
		return
	}
	if m, s := check(true); m != bad || s != bad {
		b.Fatalf("%d missing, %d suggested; want %d", m, s, bad)
	}
	b.Run("lookups", func(b *testing.B) {
		for b.Loop() {
			check(false)
		}
	})
	b.Run("lookups+suggestions", func(b *testing.B) {
		for b.Loop() {
			check(true)
		}
	})
	b.Run("one-suggestion", func(b *testing.B) {
		r := entity.Ref{Kind: "group", Namespace: "default", Name: misspell(names[1234])}
		for b.Loop() {
			d.SuggestGroup(r, 1)
		}
	})
}

// charMask has one bit per byte value class present in s (letters case
// folded): an edit changes at most two bits, so names whose masks differ
// by more than 2·limit bits cannot be within limit edits.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		m |= 1 << (c % 64)
	}
	return m
}

// BenchmarkSuggestPrefiltered measures what prefilters in SuggestGroup
// would gain over its plain scan, on 500 misspellings in 2,000 teams:
// length, a character-set mask, and the bag distance (a lower bound of the
// edit distance), the last two computed once per directory entry. It checks
// that the answers are the same. (Both filters count bytes: they are valid
// lower bounds for ASCII names only, which Within also treats apart.)
func BenchmarkSuggestPrefiltered(b *testing.B) {
	names := teamNames(2000)
	d := owners.NewDirectory()
	masks := make([]uint64, len(names))
	bags := make([][32]int8, len(names))
	for i, n := range names {
		d.AddGroup(owners.Group{Name: n, Members: 5})
		masks[i] = charMask(n)
		bags[i] = bag(n)
	}
	useBag := false
	suggest := func(q string) string {
		limit := min(max(len(q)/3, 1), 3)
		qm := charMask(q)
		qb := bag(q)
		best, bestD := "", limit+1
		for i, n := range names {
			if dl := len(n) - len(q); dl > limit || -dl > limit {
				continue
			}
			if bits.OnesCount64(masks[i]^qm) > 2*limit {
				continue
			}
			if useBag && bagDistance(&bags[i], &qb) > limit {
				continue
			}
			if dist, ok := entity.Within(q, n, limit); ok && dist > 0 && (dist < bestD || dist == bestD && n < best) {
				best, bestD = n, dist
			}
		}
		return best
	}
	var qs []string
	for i := 0; i < 2000; i += 4 {
		qs = append(qs, misspell(names[i]))
	}
	for _, q := range qs {
		want := d.SuggestGroup(entity.Ref{Kind: "group", Namespace: "default", Name: q}, 1)
		if got := suggest(q); len(want) != 1 || got != want[0] {
			b.Fatalf("%s: %q, want %q", q, got, want)
		}
	}
	b.Run("plain-500", func(b *testing.B) {
		for b.Loop() {
			for _, q := range qs {
				d.SuggestGroup(entity.Ref{Kind: "group", Namespace: "default", Name: q}, 1)
			}
		}
	})
	b.Run("mask-500", func(b *testing.B) {
		for b.Loop() {
			for _, q := range qs {
				suggest(q)
			}
		}
	})
	useBag = true
	for _, q := range qs {
		want := d.SuggestGroup(entity.Ref{Kind: "group", Namespace: "default", Name: q}, 1)
		if got := suggest(q); len(want) != 1 || got != want[0] {
			b.Fatalf("%s: %q, want %q", q, got, want)
		}
	}
	b.Run("mask+bag-500", func(b *testing.B) {
		for b.Loop() {
			for _, q := range qs {
				suggest(q)
			}
		}
	})
}

// bag counts the bytes of s in 32 classes (letters case folded).
func bag(s string) (h [32]int8) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h[c%32]++
	}
	return h
}

// bagDistance is a lower bound of the edit distance: the larger of the
// surplus and the deficit of byte counts.
func bagDistance(a, b *[32]int8) int {
	pos, neg := 0, 0
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > 0 {
			pos += d
		} else {
			neg -= d
		}
	}
	return max(pos, neg)
}
