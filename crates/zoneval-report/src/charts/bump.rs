//! The rank "bump" chart of a comparison: one column per method (or system), one line per
//! zone through its ranks, for the best zones of the compromise ranking, coloured in turn.
//! Crossing lines are the zones the methods disagree on.

use serde::Serialize;

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use super::{Chart, ChartKind, Figure};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// Zones drawn (the compromise ranking's best).
pub const TOP: usize = 20;

/// One zone's line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// Zone name.
    pub name: String,
    /// Rank under each method.
    pub ranks: Vec<usize>,
    /// Compromise rank.
    pub rank: usize,
}

/// The chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Method labels.
    pub labels: Vec<String>,
    /// Lines, best compromise rank first.
    pub series: Vec<Series>,
}

/// The chart of a model with a comparison.
pub fn data(model: &ReportModel, lang: Lang) -> Option<Data> {
    let c = model.compare.as_ref()?;
    let title = match lang {
        Lang::En => format!("Ranks across methods (best {TOP} of the compromise)"),
        Lang::Zh => format!("各方法下的排名（综合排名前 {TOP}）"),
    };
    Some(Data {
        title,
        labels: c.labels.clone(),
        series: c
            .zones
            .iter()
            .take(TOP)
            .map(|z| Series {
                name: z.name.clone(),
                ranks: z.ranks.clone(),
                rank: z.rank,
            })
            .collect(),
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let font = 10.5;
    let label_w = 150.0;
    let x_left = 12.0 + label_w;
    let x_right = W - 12.0 - label_w;
    let top = 66.0;
    let n = d.series.len();
    let plot_h = (16.0 * n as f64).max(220.0);
    let bottom = top + plot_h;
    let max_rank = d
        .series
        .iter()
        .flat_map(|s| s.ranks.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(2);
    let sy = |r: usize| top + plot_h * (r as f64 - 1.0) / (max_rank as f64 - 1.0);
    let k = d.labels.len();
    let sx = |i: usize| {
        if k <= 1 {
            (x_left + x_right) / 2.0
        } else {
            x_left + (x_right - x_left) * i as f64 / (k - 1) as f64
        }
    };
    let mut s = Svg::new(W, bottom + 20.0, &d.title);
    s.title(12.0, 22.0, &d.title);
    for (i, l) in d.labels.iter().enumerate() {
        s.line(
            sx(i),
            top - 6.0,
            sx(i),
            bottom + 4.0,
            palette::GRID,
            1.0,
            "",
        );
        s.text(
            sx(i),
            top - 16.0,
            &fit(l, 120.0, 10.0),
            10.0,
            Anchor::Middle,
            palette::TEXT,
            "font-weight=\"bold\"",
        );
    }
    for (i, series) in d.series.iter().enumerate() {
        let c = palette::category(i);
        let pts: Vec<(f64, f64)> = series
            .ranks
            .iter()
            .enumerate()
            .map(|(m, &r)| (sx(m), sy(r)))
            .collect();
        s.polyline(&pts, c, 2.0, "stroke-opacity=\"0.85\"");
        for (x, y) in &pts {
            s.circle(*x, *y, 3.0, c, "");
        }
    }
    for (end, x, anchor) in [
        (0usize, x_left - 8.0, Anchor::End),
        (k.saturating_sub(1), x_right + 8.0, Anchor::Start),
    ] {
        let ys: Vec<f64> = d.series.iter().map(|s| sy(s.ranks[end])).collect();
        let placed = super::slope::spread(&ys, 13.0, top - 4.0, bottom + 8.0);
        for (series, y) in d.series.iter().zip(placed) {
            let r = series.ranks[end];
            let label = format!(
                "{r} {}",
                fit(&series.name, label_w - text_width("000 ", font) - 4.0, font)
            );
            s.text(x, y + 4.0, &label, font, anchor, palette::TEXT, "");
        }
    }
    s.finish()
}

/// The bump chart.
pub struct Bump;

impl Chart for Bump {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .map(|d| {
                Figure::new(
                    ChartKind::Bump,
                    "rank-bump".into(),
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
