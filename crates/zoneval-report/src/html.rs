//! `report.html`: the report [`Document`] as one self-contained page — inline CSS and inline
//! SVG charts, no scripts, no network — readable on screen and printable to A4 (`@page`,
//! `@media print`: navigation hidden, charts and scorecards kept whole, table headers
//! repeated on every page).

use std::fmt::Write as _;
use std::io;

use crate::charts::Figure;
use crate::document::{Block, Document, Span, Table};
use zoneval_core::error::Lang;

pub use crate::escape::html as esc;

/// The page is built in this buffer and handed to the output whenever it holds this much, so
/// a page with a 100,000-row table never sits whole in memory.
const CHUNK: usize = 1 << 16;

/// Text under construction and where it goes.
struct Page<'a> {
    buf: String,
    out: &'a mut dyn io::Write,
}

impl Page<'_> {
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }
}

const CSS: &str = r#"
:root { --text: #222; --muted: #666; --line: #ddd; --head: #f3f5f8; --accent: #4e79a7; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: #fff; line-height: 1.5; font-size: 14px;
FONT_FAMILY }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 22px 0 8px; }
p { margin: 6px 0 10px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.banner { color: #b00020; background: #fff4f4; border: 2px solid #b00020; padding: 6px 10px; font-weight: bold; margin: 0 0 16px; }
nav.toc { background: var(--head); border-radius: 6px; padding: 8px 16px; margin: 12px 0 20px; }
nav.toc a { margin-right: 16px; white-space: nowrap; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", Consolas, monospace; font-size: 0.92em;
  background: var(--head); padding: 0 3px; border-radius: 3px; }
pre { background: var(--head); padding: 10px 12px; border-radius: 6px; overflow-x: auto; font-size: 12px;
  line-height: 1.4; white-space: pre-wrap; word-break: break-all; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; width: auto; max-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td { white-space: nowrap; }
td:last-child { white-space: normal; }
.table { overflow-x: auto; max-width: 100%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.name { white-space: nowrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; }
figure { margin: 12px 0 20px; }
figure svg { max-width: 100%; height: auto; display: block; }
.scorecard { border: 1px solid var(--line); border-radius: 6px; padding: 4px 16px 8px; margin: 14px 0; }
.scorecard h3 { margin-top: 10px; }
.columns { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.columns > div { flex: 1 1 300px; min-width: 0; }
.columns figure { margin: 0; }
ul { margin: 4px 0 10px; padding-left: 22px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, .scorecard, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 9pt; }
  .table { overflow: visible; }
  td { white-space: normal; }
  td.num, td.name { white-space: nowrap; }
  th, td { padding: 2px 4px; }
  a { color: inherit; }
  pre { font-size: 8pt; }
}
"#;

fn spans(s: &[Span], out: &mut String) {
    for sp in s {
        match sp {
            Span::Text(t) => out.push_str(&esc(t)),
            Span::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", esc(t));
            }
            Span::Code(t) => {
                let _ = write!(out, "<code>{}</code>", esc(t));
            }
            Span::Badge(t, c) => {
                let fg = crate::charts::palette::on(c);
                let _ = write!(
                    out,
                    "<span class=\"badge\" style=\"background:{c};color:{fg}\">{}</span>",
                    esc(t)
                );
            }
            Span::Link(t, a) => {
                let _ = write!(out, "<a href=\"#{a}\">{}</a>", esc(t));
            }
        }
    }
}

fn table(t: &Table, page: &mut Page) -> io::Result<()> {
    let class = |k: usize| {
        if t.numeric.get(k) == Some(&true) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let out = &mut page.buf;
    out.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for (k, h) in t.header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(k), esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        page.spill()?;
        let out = &mut page.buf;
        out.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            let style = c.color.as_deref().map_or_else(String::new, |bg| {
                let fg = crate::charts::palette::on(bg);
                format!(" style=\"background:{bg};color:{fg}\"")
            });
            // A linked cell is a zone name: never broken between its characters.
            let (text, class) = match &c.link {
                Some(a) => (
                    format!("<a href=\"#{a}\">{}</a>", esc(&c.text)),
                    " class=\"name\"",
                ),
                None => (esc(&c.text), class(k)),
            };
            let _ = write!(out, "<td{class}{style}>{text}</td>");
        }
        out.push_str("</tr>\n");
    }
    page.buf.push_str("</tbody>\n</table></div>\n");
    Ok(())
}

fn blocks(bs: &[Block], charts: &[Figure], page: &mut Page) -> io::Result<()> {
    for b in bs {
        page.spill()?;
        let out = &mut page.buf;
        match b {
            Block::Heading(level, text, anchor) => {
                let _ = writeln!(
                    out,
                    "<h{level} id=\"{}\">{}</h{level}>",
                    esc(anchor),
                    esc(text)
                );
            }
            Block::Para(s) => {
                out.push_str("<p>");
                spans(s, out);
                out.push_str("</p>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str("<li>");
                    spans(i, out);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(t, page)?,
            Block::Figure(file) => {
                if let Some(c) = charts.iter().find(|c| &c.file == file) {
                    let _ = write!(
                        out,
                        "<figure class=\"chart chart-{}\" data-chart=\"{}\">\n{}</figure>\n",
                        c.kind,
                        esc(file),
                        c.svg
                    );
                }
            }
            Block::Code(lang, text) => {
                let _ = writeln!(
                    out,
                    "<pre><code class=\"language-{}\">{}</code></pre>",
                    esc(lang),
                    esc(text)
                );
            }
            Block::Group(class, inner) => {
                let _ = writeln!(out, "<section class=\"{class}\">");
                blocks(inner, charts, page)?;
                page.buf.push_str("</section>\n");
            }
            Block::Columns(cols) => {
                out.push_str("<div class=\"columns\">\n");
                for c in cols {
                    page.buf.push_str("<div>\n");
                    blocks(c, charts, page)?;
                    page.buf.push_str("</div>\n");
                }
                page.buf.push_str("</div>\n");
            }
        }
    }
    Ok(())
}

/// The page. `meta` is a line under the title (generator, date-free so output is stable).
pub fn render(doc: &Document, charts: &[Figure], meta: &str) -> String {
    let mut out = Vec::with_capacity(1 << 20);
    write(doc, charts, meta, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// [`render`], streamed to `out` in chunks of 64 KB.
pub fn write(
    doc: &Document,
    charts: &[Figure],
    meta: &str,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let lang = match doc.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let mut page = Page {
        buf: String::with_capacity(CHUNK * 2),
        out,
    };
    let out = &mut page.buf;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        esc(meta),
        esc(&doc.title),
        CSS.replacen("FONT_FAMILY", &crate::fonts::css_declaration(), 1)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>",
        esc(&doc.title),
        esc(meta)
    );
    if let Some(b) = &doc.banner {
        let _ = writeln!(out, "<p class=\"banner\" role=\"alert\">{}</p>", esc(b));
    }
    out.push_str("<nav class=\"toc\">");
    for (anchor, title) in &doc.toc {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", esc(anchor), esc(title));
    }
    out.push_str("</nav>\n");
    blocks(&doc.blocks, charts, &mut page)?;
    page.buf.push_str("</main>\n</body>\n</html>\n");
    page.out.write_all(page.buf.as_bytes())
}
