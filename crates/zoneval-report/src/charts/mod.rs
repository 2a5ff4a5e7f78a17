//! The report's charts, hand-written SVG.
//!
//! Each chart kind is one file with a small serialisable `Data` struct built from the
//! [`ReportModel`] (`data`), a pure function from that struct to an SVG string (`render`) and
//! a unit struct implementing [`Chart`] that draws its figures; [`REGISTRY`] lists them:
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
pub mod audit_correlation;
pub mod boxplot;
pub mod bump;
pub mod contributions;
pub mod correlation;
pub mod effective_weights;
pub mod intervals;
pub mod method_correlation;
pub mod palette;
pub mod png;
pub mod radar;
pub mod ranking;
pub mod slope;
pub mod sobol;
pub mod svg;
pub mod tornado;
pub mod treemap;

use std::collections::HashSet;

use rayon::prelude::*;
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

/// One drawn chart of a report.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Path under `charts/` without extension (`ranking-1`, `radar/G371028`).
    pub file: String,
    /// The chart that drew it.
    pub kind: ChartKind,
    /// Title.
    pub title: String,
    /// For per-zone charts: the zone id.
    pub zone: Option<String>,
    /// The SVG document.
    pub svg: String,
    /// The data series it was drawn from (for snapshots).
    pub data: serde_json::Value,
}

impl Figure {
    /// Draws `d` with `render`, keeping the data series for snapshots.
    pub fn new<D: Serialize>(
        kind: ChartKind,
        file: String,
        title: &str,
        zone: Option<String>,
        d: &D,
        render: fn(&D) -> String,
    ) -> Figure {
        Figure {
            file,
            kind,
            title: title.to_string(),
            zone,
            svg: render(d),
            data: serde_json::to_value(d).expect("chart data serialises"),
        }
    }
}

/// A kind of chart: draws its figures from the model (none when the model lacks its data).
pub trait Chart: Sync {
    /// Every figure of this chart for `model`, in the order the report shows them.
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure>;
}

/// Declares the chart kinds and the registry in one list, so adding a chart is one file (a
/// unit struct implementing [`Chart`]) and one line here.
macro_rules! registry {
    ($($(#[$doc:meta])* $kind:ident($name:literal) => $chart:expr,)*) => {
        /// The kinds of chart, in the order the report shows them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum ChartKind {
            $($(#[$doc])* #[serde(rename = $name)] $kind,)*
        }

        impl ChartKind {
            /// Every kind, in registry order.
            pub const ALL: &[ChartKind] = &[$(ChartKind::$kind,)*];

            /// The name of the kind (the HTML class `chart-<name>`, the snapshot's `kind`).
            pub fn name(self) -> &'static str {
                match self {
                    $(ChartKind::$kind => $name,)*
                }
            }
        }

        /// Every chart, in the order the report shows them.
        pub const REGISTRY: &[&dyn Chart] = &[$(&$chart,)*];
    };
}

registry! {
    /// Ranking bars.
    Ranking("ranking") => ranking::Ranking,
    /// Stacked criterion contributions.
    Contributions("contributions") => contributions::Contributions,
    /// The weight treemap.
    Treemap("treemap") => treemap::Treemap,
    /// The indicator correlation heatmap.
    Correlation("correlation") => correlation::Correlation,
    /// Group box plots.
    Boxplot("boxplot") => boxplot::Boxplot,
    /// The year-over-year slope chart.
    Slope("slope") => slope::Slope,
    /// Monte Carlo rank intervals.
    Intervals("intervals") => intervals::Intervals,
    /// The rank-acceptability heatmap.
    Acceptability("acceptability") => acceptability::Acceptability,
    /// The one-at-a-time tornado.
    Tornado("tornado") => tornado::Tornado,
    /// Sobol indices.
    Sobol("sobol") => sobol::Sobol,
    /// The audit's correlation heatmap per criterion.
    AuditCorrelation("audit-correlation") => audit_correlation::AuditCorrelation,
    /// The audit's nominal vs effective weights.
    EffectiveWeights("effective-weights") => effective_weights::EffectiveWeights,
    /// A comparison's rank bump chart across methods.
    Bump("rank-bump") => bump::Bump,
    /// A comparison's rank-correlation matrices.
    MethodCorrelation("method-correlation") => method_correlation::MethodCorrelation,
    /// A radar per zone.
    Radar("radar") => radar::Radar,
}

impl std::fmt::Display for ChartKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
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

/// `base` for a chart drawn in one panel, `base-1`, `base-2`, … for one drawn in several.
pub(crate) fn panel_file(base: &str, i: usize, count: usize) -> String {
    if count > 1 {
        format!("{base}-{}", i + 1)
    } else {
        base.to_string()
    }
}

/// A file name for every zone id (in ranking order), distinct from each other and the same
/// in every run: an id made of letters, digits, `-` and `_` is its own name; any other id is
/// sanitised (other characters as `_`, runs of them merged, at most 40 characters, `zone`
/// when nothing is left) and followed by a short hash of the id itself, so `中文` and
/// `zone-3` never share a chart. A clash that remains gets `-2`, `-3`, …
pub fn zone_files(ids: &[&str]) -> Vec<String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let hashed = |s: &str| -> String {
        let mut safe = String::new();
        for c in s.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            };
            if !(c == '_' && safe.ends_with('_')) && safe.len() < 40 {
                safe.push(c);
            }
        }
        let safe = safe.trim_matches('_');
        let safe = if safe.is_empty() { "zone" } else { safe };
        // FNV-1a: small, and the same on every platform and in every version.
        let h = s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{safe}-{:08x}", h >> 32)
    };
    let mut taken: HashSet<String> = ids
        .iter()
        .filter(|s| plain(s))
        .map(|s| s.to_string())
        .collect();
    ids.iter()
        .map(|s| {
            if plain(s) {
                return s.to_string();
            }
            let base = hashed(s);
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{base}-{n}");
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Every figure of the report, in the order the report shows them (the charts are drawn in
/// parallel; rayon's collect keeps the registry's order).
pub fn all(model: &ReportModel, lang: Lang) -> Vec<Figure> {
    REGISTRY
        .par_iter()
        .flat_map_iter(|c| figures_of(*c, model, lang))
        .collect()
}

/// The figures of one chart for `model`, labelled when the data are synthetic: every chart
/// says so on its face (a strip added below the drawing), wherever it is shown.
pub fn figures_of(chart: &dyn Chart, model: &ReportModel, lang: Lang) -> Vec<Figure> {
    let mut figs = chart.figures(model, lang);
    if model.synthetic {
        let label = crate::text::synthetic_label(lang);
        figs.par_iter_mut()
            .for_each(|f| f.svg = label_strip(&f.svg, label));
    }
    figs
}

/// Height of the strip [`label_strip`] adds.
const STRIP: f64 = 18.0;

/// `svg` (as [`svg::Svg`] writes it) made `STRIP` taller, with `label` in red in the new strip
/// at the bottom left. A document of another shape gets the label over its top left corner.
pub fn label_strip(svg: &str, label: &str) -> String {
    let attr = |name: &str| -> Option<f64> {
        let head = &svg[..svg.find('>')?];
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        head[at..].split('"').next()?.parse().ok()
    };
    let text = |y: f64| {
        format!(
            "<text x=\"6\" y=\"{}\" font-size=\"11\" text-anchor=\"start\" fill=\"#b00020\" font-weight=\"bold\">{}</text>\n",
            svg::n(y),
            svg::esc(label)
        )
    };
    let Some(end) = svg.rfind("</svg>") else {
        return svg.to_string();
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => {
            let (ws, hs, new) = (svg::n(w), svg::n(h), svg::n(h + STRIP));
            let head_end = svg.find('>').expect("checked") + 1;
            let head = svg[..head_end]
                .replacen(&format!("height=\"{hs}\""), &format!("height=\"{new}\""), 1)
                .replacen(
                    &format!("viewBox=\"0 0 {ws} {hs}\""),
                    &format!("viewBox=\"0 0 {ws} {new}\""),
                    1,
                );
            let mut out = String::with_capacity(svg.len() + 256);
            out.push_str(&head);
            out.push_str(&svg[head_end..end]);
            out.push_str(&format!(
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff4f4\"/>\n",
                svg::n(h),
                svg::n(w),
                svg::n(STRIP)
            ));
            out.push_str(&text(h + STRIP - 5.0));
            out.push_str(&svg[end..]);
            out
        }
        _ => {
            let mut out = svg[..end].to_string();
            out.push_str(&text(14.0));
            out.push_str(&svg[end..]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kind_per_registered_chart_with_distinct_names() {
        assert_eq!(ChartKind::ALL.len(), REGISTRY.len());
        let names: std::collections::BTreeSet<&str> =
            ChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), ChartKind::ALL.len());
        assert_eq!(ChartKind::Radar.to_string(), "radar");
        assert_eq!(
            serde_json::to_value(ChartKind::Treemap).unwrap(),
            serde_json::json!("treemap")
        );
    }

    /// Chart files: a plain id is its own name; any other gets a sanitised name and a hash of
    /// the id, so a Chinese id (all `_` once sanitised) never takes the name of a zone whose
    /// id is `zone-3`, and the names are the same in every run.
    #[test]
    fn zone_files_are_distinct_and_stable() {
        let files = zone_files(&["G371028", "a b", "a_b", "中文", "zone-3", "", "S37", "a  b"]);
        assert_eq!(files[0], "G371028");
        assert_eq!(files[2], "a_b");
        assert_eq!(files[4], "zone-3");
        assert!(
            files[1].starts_with("a_b-") && files[1].len() == 12,
            "{files:?}"
        );
        assert!(
            files[3].starts_with("zone-") && files[3] != "zone-3",
            "{files:?}"
        );
        assert!(files[5].starts_with("zone-"), "{files:?}");
        // "a b" and "a  b" sanitise alike; their hashes differ.
        assert_ne!(files[1], files[7]);
        // The same id gets the same name wherever it ranks.
        assert_eq!(zone_files(&["x", "中文"])[1], files[3]);
        let ids: Vec<String> = (0..300)
            .map(|k| match k % 3 {
                0 => format!("zone-{k}"),
                1 => format!("开发区{k}"),
                _ => format!("z {k}"),
            })
            .collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let files = zone_files(&refs);
        let distinct: HashSet<&String> = files.iter().collect();
        assert_eq!(distinct.len(), files.len());
    }
}
