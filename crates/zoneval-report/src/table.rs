//! The terminal table, aligned by display width so Chinese names (two columns per
//! character) line up.

use unicode_width::UnicodeWidthStr;

use super::{columns, t};
use zoneval_core::error::Lang;
use zoneval_core::evaluation::Evaluation;

/// Pads `s` to `width` display columns (numbers right-aligned).
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Lays out `header` and `rows` with two spaces between columns.
pub fn layout(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let widths: Vec<usize> = (0..n)
        .map(|j| {
            rows.iter()
                .map(|r| r[j].width())
                .chain([header[j].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = (0..n)
        .map(|j| {
            rows.iter()
                .all(|r| r[j].is_empty() || r[j] == "—" || r[j].parse::<f64>().is_ok())
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let s: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(j, c)| pad(c, widths[j], numeric[j]))
            .collect();
        out.push_str(s.join("  ").trim_end());
        out.push('\n');
    };
    line(header, &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    for r in rows {
        line(r, &mut out);
    }
    out
}

/// Title line, method line and the ranking.
pub fn render(ev: &Evaluation, lang: Lang) -> String {
    let sys = ev.system();
    let m = &ev.methods;
    let year = ev
        .prepared
        .year
        .map(|y| format!(" {y}"))
        .unwrap_or_default();
    let mut out = format!("{}{year}\n", sys.display_name(lang));
    let norm = m
        .normalization
        .as_deref()
        .unwrap_or(t(lang, "intrinsic", "方法自带"));
    out.push_str(&format!(
        "{}: {norm} · {} · {}   ({} {})\n\n",
        t(lang, "Method", "方法"),
        m.weighting_name,
        m.aggregation_name,
        ev.results.len(),
        t(lang, "zones", "个开发区"),
    ));
    let (header, rows) = columns(ev, lang);
    out.push_str(&layout(&header, &rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width() {
        let header = vec!["Zone".to_string(), "Score".to_string()];
        let rows = vec![
            vec!["济南高新区".to_string(), "9.5".to_string()],
            vec!["ab".to_string(), "10.25".to_string()],
        ];
        let s = layout(&header, &rows);
        let lines: Vec<&str> = s.lines().collect();
        // "济南高新区" is 10 columns wide; every line's score column ends at the same width.
        assert_eq!(lines[2].width(), lines[3].width());
        assert!(lines[2].ends_with("  9.5"));
    }
}
