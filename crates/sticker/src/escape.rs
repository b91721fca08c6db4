//! Escaping text for XML (SVG) and HTML.

/// `text` made safe as XML or HTML character data and as a quoted attribute value: `& < > " '` become
/// references, and characters XML 1.0 does not allow at all (C0 controls other than tab, line feed and
/// carriage return, U+FFFE, U+FFFF) become U+FFFD, so a stray control character in an operator's name
/// cannot make the SVG unreadable. `'` is written `&#39;` because `&apos;` is not HTML 4.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_replaces_forbidden_characters() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
        assert_eq!(escape("Zürich – Ø"), "Zürich – Ø");
    }
}
