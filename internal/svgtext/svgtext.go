// Package svgtext escapes text and links for the SVG documents the atlas
// and chart packages write by hand.
package svgtext

import (
	"strings"
	"unicode/utf8"
)

// Escape escapes text for XML content and attribute values, replacing
// characters XML does not allow (and invalid UTF-8) with U+FFFD.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7F || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) || r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SafeHref returns the link if it is relative or http(s), else "".
func SafeHref(h string) string {
	h = strings.TrimSpace(h)
	if h == "" {
		return ""
	}
	i := strings.IndexAny(h, ":/?#")
	if i < 0 || h[i] != ':' {
		return h // no scheme: relative
	}
	switch strings.ToLower(h[:i]) {
	case "http", "https":
		return h
	}
	return ""
}
