//! The report's charts, hand-written SVG.
//!
//! Each chart kind is one file with a small serialisable `Data` struct built from the
//! [`ReportModel`] (`data`) and a pure function from that struct to an SVG string (`render`):
//! the data series are snapshot-tested, the SVG is checked for well-formedness, and the
//! layout can be looked at in a browser. Text is laid out with a CJK-aware width estimate
//! ([`svg::text_width`]) rather than a font, so the SVG is the same on every machine; the
//! charts name CJK-capable font families first ([`crate::fonts`]); colours come from one
//! [`palette`]. PNG copies are rasterised from the same SVG ([`png`]).
//!
//! Why not plotters: its layout measures text with a font backend, which either needs a C
//! library (font-kit) or a font loaded at run time (ab_glyph), and it has no radar, treemap or
//! heatmap-with-labels; the charts here are rectangles, lines and text, which a few hundred
//! lines of SVG cover with exact control over CJK labels.

pub mod acceptability;
pub mod boxplot;
pub mod contributions;
pub mod correlation;
pub mod intervals;
pub mod palette;
pub mod png;
pub mod radar;
pub mod ranking;
pub mod slope;
pub mod sobol;
pub mod svg;
pub mod tornado;
pub mod treemap;

use serde::Serialize;

use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// Zones per panel of the long charts (ranking, contributions, rank intervals).
pub const PANEL: usize = 60;

/// Zones drawn in detail: the long charts cover the first `DETAILED` ranks, and only these
/// zones get a scorecard and a radar. A provincial report (a few hundred zones) is complete;
/// a national-scale table (100,000 zones) still renders in seconds and bounded memory, with
/// every zone in the ranking table and the CSV, JSON and xlsx results.
pub const DETAILED: usize = 600;

/// One chart of a report.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Path under `charts/` without extension (`ranking-1`, `radar/G371028`).
    pub file: String,
    /// Kind (`ranking`, `radar`, …), as the file of its module is named.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// For per-zone charts: the zone id.
    pub zone: Option<String>,
    /// The SVG document.
    pub svg: String,
    /// The data series it was drawn from (for snapshots).
    pub data: serde_json::Value,
}

pub(crate) use crate::text::tr;

/// "Title (ranks 61–120)" for panel `i` of a chart split into panels.
pub(crate) fn panel_title(title: &str, i: usize, len: usize, total: usize) -> String {
    if total <= PANEL {
        return title.to_string();
    }
    let (a, b) = (i * PANEL + 1, i * PANEL + len);
    format!("{title} ({a}–{b})")
}

fn chart<D: Serialize>(
    file: String,
    kind: &'static str,
    title: &str,
    zone: Option<String>,
    d: &D,
    render: fn(&D) -> String,
) -> Chart {
    Chart {
        file,
        kind,
        title: title.to_string(),
        zone,
        svg: render(d),
        data: serde_json::to_value(d).expect("chart data serialises"),
    }
}

/// A file name for a zone id: letters, digits, `-` and `_` kept, anything else as `_`; the
/// position in the ranking is appended when that would collide.
pub fn zone_file(ids: &[&str], k: usize) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let me = safe(ids[k]);
    let clash = ids
        .iter()
        .enumerate()
        .any(|(i, other)| i != k && safe(other) == me);
    if me.is_empty() || clash || me != ids[k] && me.chars().all(|c| c == '_') {
        format!("zone-{}", k + 1)
    } else {
        me
    }
}

/// Every chart of the report, in the order the report shows them.
pub fn all(model: &ReportModel, lang: Lang) -> Vec<Chart> {
    let mut out = Vec::new();
    let panels = |base: &str, i: usize, count: usize| {
        if count > 1 {
            format!("{base}-{}", i + 1)
        } else {
            base.to_string()
        }
    };
    let ranking = ranking::data(model, lang);
    for (i, d) in ranking.iter().enumerate() {
        out.push(chart(
            panels("ranking", i, ranking.len()),
            "ranking",
            &d.title,
            None,
            d,
            ranking::render,
        ));
    }
    let contrib = contributions::data(model, lang);
    for (i, d) in contrib.iter().enumerate() {
        out.push(chart(
            panels("contributions", i, contrib.len()),
            "contributions",
            &d.title,
            None,
            d,
            contributions::render,
        ));
    }
    if let Some(d) = treemap::data(model, lang) {
        out.push(chart(
            "weights".into(),
            "treemap",
            &d.title,
            None,
            &d,
            treemap::render,
        ));
    }
    if let Some(d) = correlation::data(model, lang) {
        out.push(chart(
            "correlation".into(),
            "correlation",
            &d.title,
            None,
            &d,
            correlation::render,
        ));
    }
    for (k, d) in boxplot::data(model, lang).iter().enumerate() {
        out.push(chart(
            format!("groups-{}", k + 1),
            "boxplot",
            &d.title,
            None,
            d,
            boxplot::render,
        ));
    }
    if let Some(d) = slope::data(model, lang) {
        out.push(chart(
            "years".into(),
            "slope",
            &d.title,
            None,
            &d,
            slope::render,
        ));
    }
    if let Some(s) = &model.sensitivity {
        if let Some(mc) = &s.monte_carlo {
            let iv = intervals::data(model, mc, lang);
            for (i, d) in iv.iter().enumerate() {
                out.push(chart(
                    panels("rank-intervals", i, iv.len()),
                    "intervals",
                    &d.title,
                    None,
                    d,
                    intervals::render,
                ));
            }
            if let Some(d) = acceptability::data(mc, lang) {
                out.push(chart(
                    "acceptability".into(),
                    "acceptability",
                    &d.title,
                    None,
                    &d,
                    acceptability::render,
                ));
            }
        }
        if let Some(oat) = &s.oat
            && let Some(d) = tornado::data(model, oat, lang)
        {
            out.push(chart(
                "tornado".into(),
                "tornado",
                &d.title,
                None,
                &d,
                tornado::render,
            ));
        }
        if let Some(sobol) = &s.sobol
            && let Some(d) = sobol::data(model, sobol, lang)
        {
            out.push(chart(
                "sobol".into(),
                "sobol",
                &d.title,
                None,
                &d,
                sobol::render,
            ));
        }
    }
    let ids: Vec<&str> = model.zones.iter().map(|z| z.id.as_str()).collect();
    let axes = radar::axes(model, lang);
    for (k, z) in model.zones.iter().enumerate().take(DETAILED) {
        if let Some(d) = radar::data(model, z, lang, &axes) {
            out.push(chart(
                format!("radar/{}", zone_file(&ids, k)),
                "radar",
                &d.title,
                Some(z.id.clone()),
                &d,
                radar::render,
            ));
        }
    }
    out
}
