//! The report's content as a list of blocks (headings, paragraphs, tables, figures), built
//! once from the [`ReportModel`] and written out as HTML ([`crate::html`]) and as
//! Markdown ([`markdown`]), so the two always say the same thing.

mod analysis;
mod quality;
mod scorecard;
mod sections;
mod sensitivity;

use crate::charts::{ChartKind, Figure};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// Inline text.
#[derive(Clone, Debug, PartialEq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// Emphasised.
    Strong(String),
    /// Code (ids, commands).
    Code(String),
    /// A coloured label (grade), with its background colour.
    Badge(String, String),
    /// A link to an anchor in the report.
    Link(String, String),
}

/// A table cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// Background colour (grade cells).
    pub color: Option<String>,
    /// Link target (an anchor), if any.
    pub link: Option<String>,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            ..Cell::default()
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Header.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
    /// Per column: right-aligned (numbers).
    pub numeric: Vec<bool>,
}

/// A block of content.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Heading with an anchor.
    Heading(u8, String, String),
    /// Paragraph.
    Para(Vec<Span>),
    /// Bulleted list.
    List(Vec<Vec<Span>>),
    /// Table.
    Table(Table),
    /// A chart, by its file name under `charts/` (without extension).
    Figure(String),
    /// Preformatted text with a language tag.
    Code(String, String),
    /// A group of blocks kept together (a scorecard), with a CSS class.
    Group(&'static str, Vec<Block>),
    /// Blocks side by side in HTML (one after the other in Markdown).
    Columns(Vec<Vec<Block>>),
}

/// The whole report.
pub struct Document {
    /// Title.
    pub title: String,
    /// A warning shown right under the title (synthetic data), if any.
    pub banner: Option<String>,
    /// Language.
    pub lang: Lang,
    /// Table of contents: (anchor, title).
    pub toc: Vec<(String, String)>,
    /// Content.
    pub blocks: Vec<Block>,
}

pub(crate) use crate::text::tr;

/// A number with `d` decimals or "—" (the report's placeholder for a missing number).
pub(crate) fn num(v: Option<f64>, d: usize) -> String {
    crate::text::num(v, d, crate::text::DASH)
}

/// A raw value, with about four significant digits.
pub(crate) fn val(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    let d = if a >= 1000.0 || a == 0.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        4
    };
    let s = format!("{v:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The anchor of a zone's scorecard.
pub(crate) fn zone_anchor(k: usize) -> String {
    format!("zone-{}", k + 1)
}

/// Builds the document. `notes` are extra data-quality notes of this rendering (fonts).
pub fn build(model: &ReportModel, charts: &[Figure], lang: Lang, notes: &[String]) -> Document {
    let mut blocks = Vec::new();
    let mut toc = Vec::new();
    let mut section =
        |anchor: &str, title: String, content: Vec<Block>, blocks: &mut Vec<Block>| {
            if content.is_empty() {
                return;
            }
            toc.push((anchor.to_string(), title.clone()));
            blocks.push(Block::Heading(2, title, anchor.to_string()));
            blocks.extend(content);
        };
    let has = |kind: ChartKind| charts.iter().any(|c| c.kind == kind);
    let charts_of = |kind: ChartKind| -> Vec<Block> {
        charts
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| Block::Figure(c.file.clone()))
            .collect()
    };
    section(
        "summary",
        tr(lang, "Summary", "概要").into(),
        sections::summary(model, lang, has(ChartKind::Treemap)),
        &mut blocks,
    );
    let mut ranking = sections::ranking(model, lang);
    ranking.extend(charts_of(ChartKind::Ranking));
    ranking.extend(charts_of(ChartKind::Contributions));
    section(
        "ranking",
        tr(lang, "Ranking", "排名").into(),
        ranking,
        &mut blocks,
    );
    let mut groups = sections::groups(model, lang);
    if !groups.is_empty() {
        groups.extend(charts_of(ChartKind::Boxplot));
    }
    section(
        "groups",
        tr(lang, "Group rankings", "分组排名").into(),
        groups,
        &mut blocks,
    );
    let years = charts_of(ChartKind::Slope);
    section(
        "years",
        tr(lang, "Year over year", "逐年变化").into(),
        sections::years(model, lang, years),
        &mut blocks,
    );
    section(
        "rules",
        tr(lang, "Multi-year rules", "多年规则").into(),
        sections::rules(model, lang),
        &mut blocks,
    );
    section(
        "scope",
        tr(lang, "Not in scope", "不在评价范围内的开发区").into(),
        sections::scope(model, lang),
        &mut blocks,
    );
    section(
        "indicators",
        tr(lang, "Indicators", "指标分析").into(),
        sections::indicators(model, lang, has(ChartKind::Correlation)),
        &mut blocks,
    );
    section(
        "audit",
        tr(lang, "Indicator system audit", "指标体系审查").into(),
        analysis::audit(model, charts, lang),
        &mut blocks,
    );
    section(
        "compare",
        tr(lang, "Method comparison", "方法比较").into(),
        analysis::compare(model, charts, lang),
        &mut blocks,
    );
    section(
        "sensitivity",
        tr(lang, "Sensitivity", "敏感性分析").into(),
        sensitivity::section(model, charts, lang),
        &mut blocks,
    );
    section(
        "quality",
        tr(lang, "Data quality", "数据质量").into(),
        quality::section(model, lang, notes),
        &mut blocks,
    );
    section(
        "scorecards",
        tr(lang, "Scorecards", "单区评分卡").into(),
        scorecard::section(model, charts, lang),
        &mut blocks,
    );
    section(
        "spec",
        tr(lang, "Specification", "评价设定").into(),
        sections::spec(model, lang),
        &mut blocks,
    );
    let year = model.year.map(|y| format!(" · {y}")).unwrap_or_default();
    Document {
        title: format!("{}{year}", model.system.get(lang)),
        banner: model
            .synthetic
            .then(|| crate::text::synthetic_label(lang).to_string()),
        lang,
        toc,
        blocks,
    }
}

/// Markdown output of a document.
pub mod markdown {
    use super::{Block, Document, Span, Table};
    use crate::charts::Figure;

    use crate::escape::markdown as esc;

    fn spans(s: &[Span]) -> String {
        s.iter()
            .map(|s| match s {
                Span::Text(t) => esc(t),
                Span::Strong(t) => format!("**{}**", esc(t)),
                Span::Code(t) => format!("`{}`", t.replace('`', "'")),
                Span::Badge(t, _) => format!("**{}**", esc(t)),
                Span::Link(t, a) => format!("[{}](#{a})", esc(t)),
            })
            .collect()
    }

    fn table(t: &Table, out: &mut String) {
        let head: Vec<String> = t.header.iter().map(|h| esc(h)).collect();
        out.push_str(&format!("| {} |\n|", head.join(" | ")));
        for k in 0..t.header.len() {
            out.push_str(if t.numeric.get(k) == Some(&true) {
                "---:|"
            } else {
                "---|"
            });
        }
        out.push('\n');
        for r in &t.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match &c.link {
                    Some(a) => format!("[{}](#{a})", esc(&c.text)),
                    None => esc(&c.text),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }

    fn blocks(bs: &[Block], charts: &[Figure], out: &mut String) {
        for b in bs {
            match b {
                Block::Heading(level, text, anchor) => {
                    out.push_str(&format!(
                        "{} {} <a id=\"{anchor}\"></a>\n\n",
                        "#".repeat(usize::from(*level)),
                        esc(text)
                    ));
                }
                Block::Para(s) => {
                    out.push_str(&spans(s));
                    out.push_str("\n\n");
                }
                Block::List(items) => {
                    for i in items {
                        out.push_str(&format!("- {}\n", spans(i)));
                    }
                    out.push('\n');
                }
                Block::Table(t) => table(t, out),
                Block::Figure(file) => {
                    if let Some(c) = charts.iter().find(|c| &c.file == file) {
                        out.push_str(&format!("![{}](charts/{file}.svg)\n\n", esc(&c.title)));
                    }
                }
                Block::Code(lang, text) => {
                    let fence = if text.contains("```") { "~~~~" } else { "```" };
                    out.push_str(&format!("{fence}{lang}\n{}", text));
                    if !text.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(fence);
                    out.push_str("\n\n");
                }
                Block::Group(_, inner) => blocks(inner, charts, out),
                Block::Columns(cols) => {
                    for c in cols {
                        blocks(c, charts, out);
                    }
                }
            }
        }
    }

    /// The document as Markdown (charts linked as `charts/*.svg`).
    pub fn render(doc: &Document, charts: &[Figure]) -> String {
        let mut out = format!("# {}\n\n", esc(&doc.title));
        if let Some(b) = &doc.banner {
            out.push_str(&format!("> **{}**\n\n", esc(b)));
        }
        for (anchor, title) in &doc.toc {
            out.push_str(&format!("- [{}](#{anchor})\n", esc(title)));
        }
        out.push('\n');
        blocks(&doc.blocks, charts, &mut out);
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}
