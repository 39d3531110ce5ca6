package load

import (
	"bytes"
	"testing"
)

var scanCases = []string{
	"", "a", "abcdefgh", "abcdefg\x01", "abcdefgh\x01", "\x7f", "1234567\xc2\x85", "1234567\xc2\x80", "123456\xc2\x9f9",
	"é\u0085ü", "x\u009f", "\u00a0\u00c2", "a\x1b[0m", "line one\nline two\r\n\tx", "\n\n\n", "abc\n", "\nabc",
	"0123456789abcdef\x7f", "0123456789abcde\xc2", "日本語のテキスト\u0080", "~~~~~~~~\x00",
}

// FuzzScan holds the word-at-a-time scans to their byte-at-a-time
// definitions.
func FuzzScan(f *testing.F) {
	for _, c := range scanCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := firstControl(b), firstControlBytes(b); got != want {
			t.Errorf("firstControl(%q) = %d, want %d", b, got, want)
		}
		ascii := true
		for _, c := range b {
			if c >= 0x80 {
				ascii = false
			}
		}
		if got := isASCII(b); got != ascii {
			t.Errorf("isASCII(%q) = %v", b, got)
		}
		var starts []int
		starts = append(starts, 0)
		for i, c := range b {
			if c == '\n' && i+1 < len(b) {
				starts = append(starts, i+1)
			}
		}
		if got := newLineIndex(b).starts; len(got) != len(starts) || !bytes.Equal(intsBytes(got), intsBytes(starts)) {
			t.Errorf("newLineIndex(%q) = %v, want %v", b, got, starts)
		}
	})
}

func TestScanCases(t *testing.T) {
	for _, c := range scanCases {
		b := []byte(c)
		if got, want := firstControl(b), firstControlBytes(b); got != want {
			t.Errorf("firstControl(%q) = %d, want %d", b, got, want)
		}
	}
}

func intsBytes(xs []int) []byte {
	var out []byte
	for _, x := range xs {
		out = append(out, byte(x), byte(x>>8), byte(x>>16))
	}
	return out
}
