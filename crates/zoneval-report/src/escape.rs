//! The one escaper of each language zoneval writes: HTML text and attributes, SVG/XML,
//! Markdown (inline text and table cells), CSV cells (quoted by the `csv` crate's writer;
//! spreadsheet formulas neutralised here) and text for a terminal (control and bidirectional
//! characters shown as escapes).

use std::borrow::Cow;

/// A CSV cell as a spreadsheet will not run it: text beginning with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'` (the OWASP rule for CSV injection), so a zone named
/// `=HYPERLINK(…)` stays text. A number (`-0.5`, `+3`) is left as it is.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if s.parse::<f64>().is_err() => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// Whether `c` must not reach a terminal raw: C0 and C1 controls and DEL (escape sequences
/// that move the cursor, rewrite the title, clear the screen or ring the bell) and the
/// invisible format characters that reorder or hide text (bidi overrides and isolates,
/// zero-width characters, the byte-order mark).
fn unsafe_on_terminal(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7f..=0x9f).contains(&u)
        || matches!(
            u,
            0x061c | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2069 | 0xfeff
        )
}

fn terminal_with(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| unsafe_on_terminal(c) && !(keep_newlines && (c == '\n' || c == '\t'));
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal (messages on stderr): every control or invisible format character
/// but newline and tab shown as `\u{1b}`.
pub fn terminal(s: &str) -> Cow<'_, str> {
    terminal_with(s, true)
}

/// A terminal table cell: as [`terminal`], and newlines and tabs escaped too (they would
/// break the row).
pub fn terminal_cell(s: &str) -> Cow<'_, str> {
    terminal_with(s, false)
}

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
    fn csv_cells_never_start_a_formula() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell("+1+1"), "'+1+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "'\rx");
        // Numbers and ordinary text are left alone.
        assert_eq!(csv_cell("-0.5"), "-0.5");
        assert_eq!(csv_cell("+3"), "+3");
        assert_eq!(csv_cell("青岛经济技术开发区"), "青岛经济技术开发区");
        assert_eq!(csv_cell("a=b"), "a=b");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn terminal_text_shows_controls_and_bidi_as_escapes() {
        assert_eq!(terminal("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(terminal("x\u{202e}y\u{feff}z"), "x\\u{202e}y\\u{feff}z");
        assert_eq!(terminal("line\nnext\tcol"), "line\nnext\tcol");
        assert_eq!(terminal_cell("line\nnext"), "line\\u{a}next");
        assert_eq!(terminal("\u{0}\u{9b}"), "\\u{0}\\u{9b}");
        assert_eq!(terminal("济南 (Jinan)"), "济南 (Jinan)");
    }

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
