//! Ranking bars: one horizontal bar per ranked zone, coloured by grade, with the grade
//! thresholds as dashed lines; vetoed zones are marked. Long rankings are split into panels.

use serde::Serialize;

use super::{Chart, ChartKind, Figure, panel_file};

use super::palette;
use super::svg::{Anchor, HALO, Svg, fit, text_width, tick_label, ticks};
use super::{DETAILED, PANEL, panel_title, tr};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// One bar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    /// Rank.
    pub rank: usize,
    /// Zone name.
    pub name: String,
    /// Display score.
    pub score: f64,
    /// Grade index.
    pub grade: Option<usize>,
    /// Failed a gate.
    pub vetoed: bool,
}

/// A panel of the ranking chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Display scale.
    pub scale: f64,
    /// Grade names and thresholds, best first.
    pub grades: Vec<(String, f64)>,
    /// Bars in rank order.
    pub bars: Vec<Bar>,
    /// Label of the veto marker.
    pub veto: String,
}

/// The panels (at most [`PANEL`] zones each).
pub fn data(model: &ReportModel, lang: Lang) -> Vec<Data> {
    let bars: Vec<Bar> = model
        .ranked()
        .filter_map(|z| {
            Some(Bar {
                rank: z.rank?,
                name: z.name.clone(),
                score: z.score?,
                grade: z.grade,
                vetoed: z.vetoed,
            })
        })
        .collect();
    let mut bars = bars;
    bars.truncate(DETAILED);
    let total = bars.len();
    bars.chunks(PANEL)
        .enumerate()
        .map(|(i, chunk)| Data {
            title: panel_title(
                tr(lang, "Scores and grades", "综合得分与等级"),
                i,
                chunk.len(),
                total,
            ),
            scale: model.scale,
            grades: model
                .grades
                .iter()
                .map(|g| (g.get(lang).to_string(), g.min))
                .collect(),
            bars: chunk.to_vec(),
            veto: tr(lang, "veto", "否决").into(),
        })
        .collect()
}

/// Width of the chart.
const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let row = 16.0;
    let font = 11.0;
    let name_w = d
        .bars
        .iter()
        .map(|b| text_width(&b.name, font))
        .fold(60.0, f64::max)
        .min(230.0);
    let x_rank = 30.0;
    let x_name = x_rank + 6.0;
    let x0 = x_name + name_w + 10.0;
    let x1 = W - 70.0;
    let top = 62.0;
    let h = top + row * d.bars.len() as f64 + 36.0;
    let sx = |v: f64| x0 + (x1 - x0) * (v / d.scale).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    // Legend: grade swatches with thresholds.
    let mut lx = 12.0;
    let count = d.grades.len();
    for (g, (name, min)) in d.grades.iter().enumerate() {
        let label = format!("{name} ≥ {}", tick_label(*min));
        s.rect(lx, 34.0, 12.0, 12.0, palette::grade(Some(g), count), "");
        s.text(
            lx + 16.0,
            44.0,
            &label,
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        lx += 16.0 + text_width(&label, font) + 14.0;
    }
    // Grid and thresholds.
    let bottom = top + row * d.bars.len() as f64;
    for t in ticks(0.0, d.scale, 5) {
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
    for (g, (_, min)) in d.grades.iter().enumerate() {
        if *min > 0.0 && *min < d.scale {
            let c = palette::grade(Some(g), count);
            s.line(
                sx(*min),
                top - 4.0,
                sx(*min),
                bottom,
                c,
                1.2,
                "stroke-dasharray=\"4 3\"",
            );
        }
    }
    s.line(x0, bottom, x1, bottom, palette::AXIS, 1.0, "");
    for (i, b) in d.bars.iter().enumerate() {
        let y = top + row * i as f64;
        let c = palette::grade(b.grade, count);
        s.text(
            x_rank,
            y + 11.5,
            &b.rank.to_string(),
            10.0,
            Anchor::End,
            palette::MUTED,
            "",
        );
        s.text(
            x_name,
            y + 11.5,
            &fit(&b.name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        let tip = format!("{} {}: {:.2}", b.rank, b.name, b.score);
        s.rect_tip(x0, y + 2.5, sx(b.score) - x0, row - 5.0, c, "", &tip);
        let label = format!("{:.1}", b.score);
        s.text(
            sx(b.score) + 4.0,
            y + 11.5,
            &label,
            10.0,
            Anchor::Start,
            palette::TEXT,
            HALO,
        );
        if b.vetoed {
            let vx = sx(b.score) + 8.0 + text_width(&label, 10.0);
            let bold = format!("font-weight=\"bold\" {HALO}");
            s.text(
                vx,
                y + 11.5,
                &d.veto,
                10.0,
                Anchor::Start,
                palette::VETO,
                &bold,
            );
        }
    }
    s.finish()
}

/// The ranking bars, one figure per panel.
pub struct Ranking;

impl Chart for Ranking {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        let d = data(model, lang);
        d.iter()
            .enumerate()
            .map(|(i, p)| {
                let file = panel_file("ranking", i, d.len());
                Figure::new(ChartKind::Ranking, file, &p.title, None, p, render)
            })
            .collect()
    }
}
