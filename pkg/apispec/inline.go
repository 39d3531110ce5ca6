package apispec

import "bytes"

// BlockStart tells where the content of an inline definition starts in the
// catalog file: given the file's source and the 1-based line and column of
// the definition's value (where its "|" or ">" indicator, quote or first
// character stands), it returns the line that is line 1 of the text (pass
// it to Check as lineOffset) and the number of columns to add to the Column
// of problems reported in the catalog file.
func BlockStart(src []byte, line, column int) (contentLine, indent int) {
	starts := lineStarts(src)
	off := offset(src, starts, line, column)
	if off < 0 || off >= len(src) {
		return line, 0
	}
	switch src[off] {
	case '|', '>':
		// A block scalar: its content starts on the next line, indented
		// by the indentation of its first non-empty line.
		for l := line + 1; l <= len(starts); l++ {
			end := len(src)
			if l < len(starts) {
				end = starts[l]
			}
			text := bytes.TrimRight(src[starts[l-1]:end], "\r\n")
			trimmed := bytes.TrimLeft(text, " ")
			if len(trimmed) == 0 {
				continue
			}
			return line + 1, len(text) - len(trimmed)
		}
		return line + 1, 0
	case '"', '\'':
		return line, column
	}
	return line, column - 1
}
