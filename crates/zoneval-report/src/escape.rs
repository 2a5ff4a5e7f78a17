//! The one escaper of each markup language the report writes: HTML text and attributes,
//! SVG/XML, and Markdown (inline text and table cells). CSV cells are quoted by the `csv`
//! crate's writer, the only CSV writer.

/// Escapes text for HTML content and double-quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for XML content and attribute values (either quote). Control characters that
/// XML 1.0 forbids are dropped, since a single one makes the whole SVG unreadable.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown inline text and table cells: `|` would split a cell, a newline
/// would end the row, and `*`, `` ` ``, `[`, `]`, `<`, `>` would start markup.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            // `_` inside words is not emphasis in CommonMark, so ids stay readable.
            '*' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert(\"x\")</script> & co"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"
        );
        assert_eq!(html("济南 'a'"), "济南 'a'");
    }

    #[test]
    fn xml_escapes_quotes_and_cdata_ends_and_drops_controls() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(xml("x]]>y"), "x]]&gt;y");
        assert_eq!(xml("it's"), "it&#39;s");
        assert_eq!(xml("a\u{1}b\tc\nd"), "ab\tc\nd");
        assert_eq!(xml("<script>"), "&lt;script&gt;");
    }

    #[test]
    fn markdown_keeps_a_table_row_whole() {
        assert_eq!(markdown("a | b\nc"), "a \\| b c");
        assert_eq!(markdown("<script>"), "\\<script\\>");
        assert_eq!(markdown("*x* [y](z) `q`"), "\\*x\\* \\[y\\](z) \\`q\\`");
        assert_eq!(markdown("A & \"B\" zone_id"), "A & \"B\" zone_id");
    }
}
