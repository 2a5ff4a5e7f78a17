//! Tornado chart from the one-at-a-time sweeps: for the top-ranked zone, its score when each
//! factor's weight is at the lowest and at the highest change tried, factors sorted by swing.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width, tick_label, ticks};
use super::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;
use zoneval_core::sensitivity::Oat;

/// Factors drawn at most.
pub const TOP: usize = 15;

/// One factor's bar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    /// Factor name.
    pub name: String,
    /// Score with the weight lowered.
    pub low: f64,
    /// Score with the weight raised.
    pub high: f64,
}

/// The tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// The zone's base score.
    pub base: f64,
    /// Factors, largest swing first.
    pub factors: Vec<Factor>,
    /// Legend: lowered, raised.
    pub legend: [String; 2],
}

/// A factor id's display name (criterion or indicator), else the id.
pub fn factor_name(model: &ReportModel, id: &str, lang: Lang) -> String {
    model
        .nodes
        .iter()
        .find(|n| n.named.id == id)
        .map(|n| n.named.get(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The tornado of the top-ranked zone (None without factors).
pub fn data(model: &ReportModel, oat: &Oat, lang: Lang) -> Option<Data> {
    let base = *oat.base_scores.first()?;
    let zone = oat.names.first()?.clone();
    let mut factors: Vec<Factor> = oat
        .factors
        .iter()
        .filter_map(|f| {
            Some(Factor {
                name: factor_name(model, &f.id, lang),
                low: *f.score_low.first()?,
                high: *f.score_high.first()?,
            })
        })
        .collect();
    if factors.is_empty() {
        return None;
    }
    factors.sort_by(|a, b| (b.high - b.low).abs().total_cmp(&(a.high - a.low).abs()));
    factors.truncate(TOP);
    let (lo, hi) = oat.factors.first().map_or((0.0, 0.0), |f| {
        (
            f.deltas.first().copied().unwrap_or(0.0),
            f.deltas.last().copied().unwrap_or(0.0),
        )
    });
    let pct = |d: f64| format!("{:+.0}%", d * 100.0);
    Some(Data {
        title: match lang {
            Lang::En => format!("Score of {zone} when one weight changes"),
            Lang::Zh => format!("单项权重变化时 {zone} 的得分"),
        },
        base,
        factors,
        legend: [
            format!("{} {}", tr(lang, "weight", "权重"), pct(lo)),
            format!("{} {}", tr(lang, "weight", "权重"), pct(hi)),
        ],
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let row = 22.0;
    let font = 11.0;
    let name_w = d
        .factors
        .iter()
        .map(|f| text_width(&f.name, font))
        .fold(60.0, f64::max)
        .min(200.0);
    let x0 = 12.0 + name_w + 12.0;
    let x1 = W - 40.0;
    let top = 62.0;
    let bottom = top + row * d.factors.len() as f64;
    let h = bottom + 36.0;
    let (mut lo, mut hi) = (d.base, d.base);
    for f in &d.factors {
        lo = lo.min(f.low).min(f.high);
        hi = hi.max(f.low).max(f.high);
    }
    let pad = ((hi - lo) * 0.1).max(0.5);
    let (lo, hi) = (lo - pad, hi + pad);
    let sx = |v: f64| x0 + (x1 - x0) * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.rect(12.0, 34.0, 12.0, 12.0, palette::DOWN, "");
    s.text(
        28.0,
        44.0,
        &d.legend[0],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    let lx = 28.0 + text_width(&d.legend[0], font) + 16.0;
    s.rect(lx, 34.0, 12.0, 12.0, palette::UP, "");
    s.text(
        lx + 16.0,
        44.0,
        &d.legend[1],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    for t in ticks(lo, hi, 6) {
        s.line(sx(t), top - 4.0, sx(t), bottom, palette::GRID, 1.0, "");
        s.text(
            sx(t),
            bottom + 14.0,
            &tick_label(t),
            10.0,
            Anchor::Middle,
            palette::MUTED,
            "",
        );
    }
    for (i, f) in d.factors.iter().enumerate() {
        let y = top + row * i as f64;
        s.text(
            12.0,
            y + 15.0,
            &fit(&f.name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        for (v, c) in [(f.low, palette::DOWN), (f.high, palette::UP)] {
            let (a, b) = (sx(d.base.min(v)), sx(d.base.max(v)));
            let tip = format!("{}: {v:.2}", f.name);
            s.rect_tip(a, y + 4.0, (b - a).max(1.0), row - 8.0, c, "", &tip);
        }
    }
    s.line(
        sx(d.base),
        top - 6.0,
        sx(d.base),
        bottom,
        palette::TEXT,
        1.5,
        "",
    );
    s.text(
        sx(d.base),
        top - 10.0,
        &format!("{:.1}", d.base),
        10.0,
        Anchor::Middle,
        palette::TEXT,
        "",
    );
    s.finish()
}

/// The tornado of a one-at-a-time run.
pub struct Tornado;

impl Chart for Tornado {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        model
            .sensitivity
            .as_ref()
            .and_then(|s| s.oat.as_ref())
            .and_then(|oat| data(model, oat, lang))
            .map(|d| {
                Figure::new(
                    ChartKind::Tornado,
                    "tornado".into(),
                    &d.title,
                    None,
                    &d,
                    render,
                )
            })
            .into_iter()
            .collect()
    }
}
