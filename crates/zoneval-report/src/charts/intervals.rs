//! Monte Carlo rank intervals: for each zone (base-rank order) the 5th–95th percentile of its
//! rank over the weight samples, the median as a dot and the base rank as a tick.

use serde::Serialize;

use super::{Chart, ChartKind, Figure, panel_file};

use super::palette;
use super::svg::{Anchor, Svg, fit, int_ticks, text_width, tick_label};
use super::{DETAILED, PANEL, panel_title, tr};
use crate::model::ReportModel;
use zoneval_core::error::Lang;
use zoneval_core::sensitivity::MonteCarlo;

/// One zone's interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Zone name.
    pub name: String,
    /// Base rank.
    pub base: usize,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// A panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Number of zones (axis maximum).
    pub zones: usize,
    /// Intervals.
    pub rows: Vec<Interval>,
    /// Legend labels: interval, median, base rank.
    pub legend: [String; 3],
}

/// The panels.
pub fn data(_model: &ReportModel, mc: &MonteCarlo, lang: Lang) -> Vec<Data> {
    let rows: Vec<Interval> = mc
        .zones
        .iter()
        .map(|z| Interval {
            name: z.name.clone(),
            base: z.base_rank,
            p05: z.p05,
            p50: z.p50,
            p95: z.p95,
        })
        .collect();
    let mut rows = rows;
    rows.truncate(DETAILED);
    let total = rows.len();
    let title = match lang {
        Lang::En => format!("Rank intervals over {} weight samples", mc.samples),
        Lang::Zh => format!("排名区间（{} 次权重抽样）", mc.samples),
    };
    rows.chunks(PANEL)
        .enumerate()
        .map(|(i, chunk)| Data {
            title: panel_title(&title, i, chunk.len(), total),
            zones: total,
            rows: chunk.to_vec(),
            legend: [
                tr(lang, "5th–95th percentile", "5%–95% 分位区间").into(),
                tr(lang, "median", "中位数").into(),
                tr(lang, "base rank", "基准排名").into(),
            ],
        })
        .collect()
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let row = 16.0;
    let font = 11.0;
    let name_w = d
        .rows
        .iter()
        .map(|r| text_width(&r.name, font))
        .fold(60.0, f64::max)
        .min(230.0);
    let x_rank = 30.0;
    let x0 = x_rank + 6.0 + name_w + 10.0;
    let x1 = W - 20.0;
    let top = 62.0;
    let bottom = top + row * d.rows.len() as f64;
    let h = bottom + 36.0;
    // The axis covers this panel's intervals (a long ranking would squeeze each panel into a
    // sliver of 1..N), one rank of margin each side.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in &d.rows {
        lo = lo.min(r.p05).min(r.base as f64);
        hi = hi.max(r.p95).max(r.base as f64);
    }
    let lo = (lo.floor() - 1.0).max(1.0);
    let hi = (hi.ceil() + 1.0).min(d.zones.max(2) as f64).max(lo + 1.0);
    let sx = |r: f64| x0 + (x1 - x0) * ((r - lo) / (hi - lo)).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    // Legend.
    let mut lx = 12.0;
    s.line(lx, 40.0, lx + 18.0, 40.0, palette::UP, 4.0, "");
    s.text(
        lx + 22.0,
        44.0,
        &d.legend[0],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    lx += 22.0 + text_width(&d.legend[0], font) + 16.0;
    s.circle(lx + 4.0, 40.0, 3.5, palette::TEXT, "");
    s.text(
        lx + 12.0,
        44.0,
        &d.legend[1],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    lx += 12.0 + text_width(&d.legend[1], font) + 16.0;
    s.line(lx + 4.0, 34.0, lx + 4.0, 46.0, palette::DOWN, 2.0, "");
    s.text(
        lx + 12.0,
        44.0,
        &d.legend[2],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    for t in int_ticks(lo, hi, 6) {
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
    s.line(x0, bottom, x1, bottom, palette::AXIS, 1.0, "");
    for (i, r) in d.rows.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        s.text(
            x_rank,
            y + 4.0,
            &r.base.to_string(),
            10.0,
            Anchor::End,
            palette::MUTED,
            "",
        );
        s.text(
            x_rank + 6.0,
            y + 4.0,
            &fit(&r.name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        let tip = format!("{}: {:.1}–{:.1}, {:.1}", r.name, r.p05, r.p95, r.p50);
        s.rect_tip(
            sx(r.p05),
            y - 2.5,
            (sx(r.p95) - sx(r.p05)).max(2.0),
            5.0,
            palette::UP,
            "",
            &tip,
        );
        s.line(
            sx(r.base as f64),
            y - 6.0,
            sx(r.base as f64),
            y + 6.0,
            palette::DOWN,
            2.0,
            "",
        );
        s.circle(sx(r.p50), y, 3.5, palette::TEXT, "");
    }
    s.finish()
}

/// The rank intervals of a Monte Carlo run, one figure per panel.
pub struct Intervals;

impl Chart for Intervals {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        let Some(mc) = model
            .sensitivity
            .as_ref()
            .and_then(|s| s.monte_carlo.as_ref())
        else {
            return Vec::new();
        };
        let d = data(model, mc, lang);
        d.iter()
            .enumerate()
            .map(|(i, p)| {
                let file = panel_file("rank-intervals", i, d.len());
                Figure::new(ChartKind::Intervals, file, &p.title, None, p, render)
            })
            .collect()
    }
}
