package entity

import (
	"sort"
	"strings"
)

// Distance is the Levenshtein edit distance between a and b, compared
// case-insensitively.
func Distance(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Closest returns the candidates nearest to s, best first: those within an
// edit distance of about a third of s's length (at least 1, at most 3), or
// equal ignoring case. Ties keep the candidates' order.
func Closest(s string, candidates []string, most int) []string {
	limit := min(max(len([]rune(s))/3, 1), 3)
	type scored struct {
		c string
		d int
	}
	var out []scored
	for _, c := range candidates {
		if c == s {
			continue
		}
		if d := Distance(s, c); d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	res := make([]string, 0, most)
	for i := 0; i < len(out) && i < most; i++ {
		res = append(res, out[i].c)
	}
	return res
}

// Within reports whether a and b are at most limit edits apart
// (case-insensitively), and the distance when they are. It stops as soon
// as the limit is exceeded and does not allocate for short ASCII strings,
// so that it can run over every name of a large catalog.
func Within(a, b string, limit int) (int, bool) {
	if d := len(a) - len(b); d > limit || -d > limit {
		if isASCII(a) && isASCII(b) {
			return 0, false
		}
	}
	if !isASCII(a) || !isASCII(b) || len(b) >= 64 {
		d := Distance(a, b)
		return d, d <= limit
	}
	// The letters that one string has and the other lacks bound the
	// distance from below: most names are rejected without the full table.
	var bag [128]int8
	for i := 0; i < len(a); i++ {
		bag[lower(a[i])]++
	}
	for i := 0; i < len(b); i++ {
		bag[lower(b[i])]--
	}
	more, fewer := 0, 0
	for _, n := range bag {
		if n > 0 {
			more += int(n)
		} else {
			fewer -= int(n)
		}
	}
	if max(more, fewer) > limit {
		return 0, false
	}
	var prevBuf, curBuf [64]int
	prev, cur := prevBuf[:len(b)+1], curBuf[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		ca := lower(a[i-1])
		for j := 1; j <= len(b); j++ {
			cost := 1
			if ca == lower(b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return 0, false
		}
		prev, cur = cur, prev
	}
	d := prev[len(b)]
	return d, d <= limit
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
