//! Rank-acceptability heatmap (SMAA): for the leading zones, the share of weight samples in
//! which each holds rank 1, 2, …, K.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};
use crate::model::ReportModel;

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use super::tr;
use zoneval_core::error::Lang;
use zoneval_core::sensitivity::MonteCarlo;

/// Largest number of ranks (columns) and zones (rows) drawn.
pub const MAX: usize = 30;

/// The heatmap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Number of rank columns.
    pub ranks: usize,
    /// Rows: zone name and shares of ranks 1..=ranks.
    pub rows: Vec<(String, Vec<f64>)>,
    /// Axis label.
    pub axis: String,
}

/// The heatmap (None when the Monte Carlo run kept no acceptabilities).
pub fn data(mc: &MonteCarlo, lang: Lang) -> Option<Data> {
    let ranks = mc
        .zones
        .iter()
        .map(|z| z.acceptability.len())
        .max()?
        .min(MAX);
    if ranks == 0 {
        return None;
    }
    let rows = mc
        .zones
        .iter()
        .take(ranks)
        .map(|z| {
            let mut v: Vec<f64> = z.acceptability.iter().take(ranks).copied().collect();
            v.resize(ranks, 0.0);
            (z.name.clone(), v)
        })
        .collect();
    Some(Data {
        title: tr(
            lang,
            "Rank acceptability (share of samples at each rank)",
            "排名可接受度（各名次出现的抽样占比）",
        )
        .into(),
        ranks,
        rows,
        axis: tr(lang, "rank", "名次").into(),
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let font = 11.0;
    let name_w = d
        .rows
        .iter()
        .map(|r| text_width(&r.0, font))
        .fold(60.0, f64::max)
        .min(200.0);
    let x0 = 12.0 + name_w + 10.0;
    let cell_w = ((W - x0 - 12.0) / d.ranks as f64).clamp(12.0, 48.0);
    let cell_h = 18.0;
    let top = 58.0;
    let h = top + cell_h * d.rows.len() as f64 + 16.0;
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.text(
        x0 - 6.0,
        top - 8.0,
        &format!("{} →", d.axis),
        10.0,
        Anchor::End,
        palette::MUTED,
        "",
    );
    for k in 0..d.ranks {
        s.text(
            x0 + cell_w * (k as f64 + 0.5),
            top - 8.0,
            &(k + 1).to_string(),
            10.0,
            Anchor::Middle,
            palette::MUTED,
            "",
        );
    }
    let show = cell_w >= 26.0;
    for (i, (name, shares)) in d.rows.iter().enumerate() {
        let y = top + cell_h * i as f64;
        s.text(
            12.0,
            y + 13.0,
            &fit(name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        for (k, v) in shares.iter().enumerate() {
            let fill = palette::sequential(*v);
            let x = x0 + cell_w * k as f64;
            let tip = format!("{name}: {} {} — {:.1}%", d.axis, k + 1, v * 100.0);
            s.rect_tip(
                x,
                y,
                cell_w,
                cell_h,
                &fill,
                "stroke=\"#ffffff\" stroke-width=\"1\"",
                &tip,
            );
            if show && *v >= 0.01 {
                s.text(
                    x + cell_w / 2.0,
                    y + 12.5,
                    &format!("{:.0}%", v * 100.0),
                    9.0,
                    Anchor::Middle,
                    palette::on(&fill),
                    "",
                );
            }
        }
    }
    s.finish()
}

/// The rank-acceptability heatmap of a Monte Carlo run.
pub struct Acceptability;

impl Chart for Acceptability {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        model
            .sensitivity
            .as_ref()
            .and_then(|s| s.monte_carlo.as_ref())
            .and_then(|mc| data(mc, lang))
            .map(|d| {
                let file = "acceptability".into();
                Figure::new(ChartKind::Acceptability, file, &d.title, None, &d, render)
            })
            .into_iter()
            .collect()
    }
}
