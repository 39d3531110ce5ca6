package report

// EscapeMarkdown escapes a value for Markdown text as the markdown format
// does (see Markdown): inline markup characters are backslash-escaped,
// @mentions, #references and URLs are broken with U+200D, line breaks become
// " ↵ " and other control characters U+FFFD. The result is safe as text and
// as a table cell.
func EscapeMarkdown(s string) string { return mdText(s) }

// MarkdownCode writes a value as a code span (see Markdown). In a table
// cell, pass the result through MarkdownCell.
func MarkdownCode(s string) string { return mdCode(s) }

// MarkdownCell makes a code span safe in a table cell: GitHub splits cells
// at every unescaped "|", even inside code spans.
func MarkdownCell(s string) string { return mdCell(s) }
