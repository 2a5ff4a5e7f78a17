//! Rendering an evaluation: one file per output format behind the same inputs.
//!
//! Every format reads the same [`Evaluation`] and language; the terminal table and Markdown
//! share the column layout in [`columns`], the JSON follows DESIGN.md's contract exactly (with
//! extra keys after the contract's), and CSV is for spreadsheets.

// `!(x > 0.0)` is deliberate: it is also true for NaN, which `x <= 0.0` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]
#![warn(missing_docs)]

pub mod csv;
pub mod json;
pub mod markdown;
// The report directory, built from one model so every file shows the same numbers: charts,
// HTML/Markdown document, xlsx.
pub mod charts;
pub mod dir;
pub mod document;
pub mod html;
pub mod model;
pub mod table;
pub mod xlsx;

use zoneval_core::error::Lang;
use zoneval_core::evaluation::{Evaluation, ZoneResult};

/// Output formats of `evaluate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned terminal table (CJK-width aware).
    Table,
    /// CSV, one row per zone.
    Csv,
    /// JSON (the contract in DESIGN.md).
    Json,
    /// Markdown report.
    Markdown,
}

/// Renders `ev` in `format`.
pub fn render(ev: &Evaluation, format: Format, lang: Lang) -> String {
    match format {
        Format::Table => table::render(ev, lang),
        Format::Csv => csv::render(ev, lang),
        Format::Json => json::render(ev),
        Format::Markdown => markdown::render(ev, lang),
    }
}

/// Picks the wording for `lang`.
pub fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The grade name of a result in `lang`.
pub fn grade_name(ev: &Evaluation, r: &ZoneResult, lang: Lang) -> String {
    r.grade
        .map(|g| {
            let g = &ev.system().grades[g];
            match (lang, &g.name_en) {
                (Lang::En, Some(n)) => n.clone(),
                _ => g.name.clone(),
            }
        })
        .unwrap_or_default()
}

pub use zoneval_core::num::num_short;

/// A number with `d` decimals, or "" for none.
pub fn num(v: Option<f64>, d: usize) -> String {
    v.map(|x| format!("{x:.d$}")).unwrap_or_default()
}

/// The columns of the ranking table shared by the terminal table and Markdown: header and
/// one cell per ranked result.
pub fn columns(ev: &Evaluation, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let sys = ev.system();
    let mut header: Vec<String> = vec![
        t(lang, "Rank", "排名").into(),
        t(lang, "Zone", "开发区").into(),
        t(lang, "Score", "得分").into(),
        t(lang, "Value", "方法值").into(),
    ];
    let has_grades = !sys.grades.is_empty();
    if has_grades {
        header.push(t(lang, "Grade", "等级").into());
    }
    let groups: Vec<String> = ev
        .results
        .first()
        .map(|r| r.group_ranks.iter().map(|g| g.0.clone()).collect())
        .unwrap_or_default();
    for g in &groups {
        header.push(g.clone());
        header.push(format!("{g} {}", t(lang, "rank", "排名")));
    }
    let crit: Vec<usize> = ev
        .results
        .first()
        .map(|r| r.criteria.iter().map(|c| c.0).collect())
        .unwrap_or_default();
    let top: Vec<usize> = crit
        .iter()
        .copied()
        .filter(|&k| sys.nodes[k].depth == 1)
        .collect();
    for &k in &top {
        let n = &sys.nodes[k];
        header.push(match (lang, &n.name_en) {
            (Lang::En, Some(e)) => e.clone(),
            _ => n.name.clone(),
        });
    }
    let flags = ev.results.iter().any(|r| r.vetoed || r.watch);
    if flags {
        header.push(t(lang, "Flags", "标记").into());
    }
    let rows = ev
        .results
        .iter()
        .map(|r| {
            let z = ev.zone(r);
            let mut row = vec![
                r.rank.map_or_else(|| "—".to_string(), |k| k.to_string()),
                z.name.clone(),
                num(r.score, 2),
                num(r.value, 4),
            ];
            if has_grades {
                row.push(grade_name(ev, r, lang));
            }
            for (_, g, rk) in &r.group_ranks {
                row.push(g.clone());
                row.push(rk.map_or_else(String::new, |k| k.to_string()));
            }
            for &k in &top {
                let s = r.criteria.iter().find(|c| c.0 == k).and_then(|c| c.1);
                row.push(num(s, 1));
            }
            if flags {
                let mut f = Vec::new();
                if r.vetoed {
                    f.push(t(lang, "veto", "否决"));
                }
                if r.watch {
                    f.push(t(lang, "watch", "警示"));
                }
                row.push(f.join(" "));
            }
            row
        })
        .collect();
    (header, rows)
}
