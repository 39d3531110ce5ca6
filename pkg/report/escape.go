package report

import "strings"

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

// EscapeHTMLText escapes a value for text inside an HTML block of GitHub
// Markdown, such as <details><summary>…</summary>, where Markdown escapes do
// not apply (a backslash is shown, and "\<img>" is still a tag): & < > " ' [ ]
// become character references, @mentions, #references and URLs are broken
// with U+200D as in EscapeMarkdown, line breaks become " ↵ " (a blank line
// would end the block) and other control characters U+FFFD.
func EscapeHTMLText(s string) string {
	s = mdClean(s)
	s = mdLinkish.ReplaceAllStringFunc(s, breakLinkish)
	return htmlTextEscaper.Replace(s)
}

var htmlTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;",
	"[", "&#91;", "]", "&#93;", "@", "@\u200d", "#", "#\u200d") // no link even where a renderer reads Markdown

// SafeText is SafeLine but for line breaks (LF, CR), which it keeps: for
// formats that hold text that may span lines, such as HTML.
func SafeText(s string) string { return safeBreaks(s) }

// JSONSafe rewrites JSON text so that no control character of catalog
// content is written raw (see jsonSafe): for the JSON of other packages.
func JSONSafe(b []byte) []byte { return jsonSafe(b) }
