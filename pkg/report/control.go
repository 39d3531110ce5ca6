package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// unsafeRune tells whether a terminal, a log viewer or a page would act on
// r rather than show it: a C0 control but tab (ESC starts colour, cursor
// and OSC sequences such as hyperlinks and window titles; BEL rings; NUL
// ends strings; CR rewrites the line; LF starts a new one), DEL, a C1
// control (U+009B is a one-byte CSI to some terminals), a bidirectional
// embedding, override, isolate or mark (Trojan Source, CVE-2021-42574:
// U+202E turns the text after it around), the line and paragraph separators,
// and U+FEFF.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t'
	case r < 0x7f:
		return false
	case r < 0xa0:
		return true
	}
	switch r {
	case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF:
		return true
	}
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// SafeLine makes catalog content safe to write on one line of a terminal or
// a log: a line break (LF, CR, NEL, U+2028, U+2029) becomes "↵" and every
// other unsafe rune (see unsafeRune) U+FFFD, one rune for one, so that a
// snippet's marker still lines up; bytes that are not UTF-8 become U+FFFD
// too. No value can then forge a diagnostic line, colour or hide text, or
// turn a line around.
func SafeLine(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c >= 0x7f {
			return strings.Map(safeRune, s)
		}
	}
	return s // plain ASCII: the common case, no copy
}

func safeRune(r rune) rune {
	switch {
	case r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029:
		return '↵'
	case unsafeRune(r):
		return '\uFFFD'
	}
	return r // strings.Map writes U+FFFD for bytes that are not UTF-8
}

// safeBreaks is SafeLine but for LF and CR, which it keeps: for the GitHub
// format, whose escaping turns them into %0A and %0D, line breaks the
// runner puts back inside the annotation.
func safeBreaks(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7f {
			return strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' {
					return r
				}
				return safeRune(r)
			}, s)
		}
	}
	return s
}

// jsonSafe rewrites, in JSON text, each character unsafeRune names that
// encoding/json leaves raw (DEL, C1 controls, bidirectional controls,
// U+FEFF) as a \uXXXX escape: the same string to a JSON reader, and
// nothing raw for a terminal that shows the file. Outside strings JSON
// text is ASCII, so only string contents change.
func jsonSafe(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for _, r := range string(b[i:]) {
		if r >= 0x7f && unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
			continue
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}
