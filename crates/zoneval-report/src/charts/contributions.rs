//! Stacked criterion contributions: each zone's bar split into weight × sub-score of every
//! top-level criterion (of every indicator, for a flat system). For an additive aggregation
//! (the weighted sum) the parts add up to the score exactly; for other aggregations they are an
//! approximation and the score is marked separately.

use serde::Serialize;

use super::{Chart, ChartKind, Figure, panel_file};

use super::palette;
use super::svg::{Anchor, HALO, Svg, fit, text_width, tick_label, ticks};
use super::{DETAILED, PANEL, panel_title, tr};
use crate::model::{ReportModel, ZoneRow};
use zoneval_core::error::Lang;
use zoneval_core::method::aggregate;

/// A stack segment (criterion or indicator).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// Name.
    pub name: String,
    /// Colour.
    pub color: String,
}

/// One zone's stacked bar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Rank.
    pub rank: usize,
    /// Zone name.
    pub name: String,
    /// Contribution of each segment on the display scale.
    pub parts: Vec<f64>,
    /// Display score.
    pub score: f64,
}

/// A panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Axis maximum.
    pub scale: f64,
    /// Segments.
    pub segments: Vec<Segment>,
    /// Rows in rank order.
    pub rows: Vec<Row>,
    /// True when the parts add up to the score (weighted sum).
    pub exact: bool,
    /// Label of the score marker (when not exact).
    pub score_label: String,
}

/// Segment colours: top-level criterion `k` (or indicator `k` of a flat system) gets
/// category colour `k`, the same in the treemap and the radar axes.
pub fn data(model: &ReportModel, lang: Lang) -> Vec<Data> {
    // Additive aggregations' parts w_j r_ij add up to the value; an unknown name (a results
    // file from another version) is drawn as approximate.
    let exact = aggregate::capabilities(&model.method.aggregation_name).is_some_and(|c| c.additive);
    let top = model.top_criteria();
    let segments: Vec<Segment> = if model.hierarchical() {
        top.iter()
            .enumerate()
            .map(|(i, &k)| Segment {
                name: model.nodes[model.criteria[k]].named.get(lang).to_string(),
                color: palette::category(i).into(),
            })
            .collect()
    } else {
        model
            .indicators
            .iter()
            .enumerate()
            .map(|(j, ind)| Segment {
                name: ind.named.get(lang).to_string(),
                color: palette::category(j).into(),
            })
            .collect()
    };
    let parts = |z: &ZoneRow| -> Vec<f64> {
        if model.hierarchical() {
            top.iter()
                .map(|&k| model.nodes[model.criteria[k]].weight * z.criteria[k].unwrap_or(0.0))
                .collect()
        } else {
            z.normalized
                .iter()
                .zip(&model.indicators)
                .map(|(v, ind)| ind.weight * v.unwrap_or(0.0) * model.scale)
                .collect()
        }
    };
    let rows: Vec<Row> = model
        .ranked()
        .filter_map(|z| {
            Some(Row {
                rank: z.rank?,
                name: z.name.clone(),
                parts: parts(z),
                score: z.score?,
            })
        })
        .collect();
    let mut rows = rows;
    rows.truncate(DETAILED);
    let total = rows.len();
    let title = if model.hierarchical() {
        tr(
            lang,
            "Contributions of the criteria (weight × sub-score)",
            "各准则贡献（权重 × 准则得分）",
        )
    } else {
        tr(
            lang,
            "Contributions of the indicators (weight × normalised value)",
            "各指标贡献（权重 × 标准化值）",
        )
    };
    rows.chunks(PANEL)
        .enumerate()
        .map(|(i, chunk)| Data {
            title: panel_title(title, i, chunk.len(), total),
            scale: model.scale,
            segments: segments.clone(),
            rows: chunk.to_vec(),
            exact,
            score_label: tr(lang, "score", "综合得分").into(),
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
    let x_name = x_rank + 6.0;
    let x0 = x_name + name_w + 10.0;
    let x1 = W - 50.0;
    // Legend rows, wrapped.
    let mut legend: Vec<(f64, f64, usize)> = Vec::new();
    let (mut lx, mut ly) = (12.0, 34.0);
    for (i, seg) in d.segments.iter().enumerate() {
        let w = 16.0 + text_width(&seg.name, font) + 14.0;
        if lx + w > W - 12.0 && lx > 12.0 {
            lx = 12.0;
            ly += 18.0;
        }
        legend.push((lx, ly, i));
        lx += w;
    }
    if !d.exact && lx + 100.0 > W - 12.0 {
        ly += 18.0;
    }
    let top = ly + 28.0;
    let bottom = top + row * d.rows.len() as f64;
    let h = bottom + 36.0;
    let max = d
        .rows
        .iter()
        .map(|r| r.parts.iter().sum::<f64>().max(r.score))
        .fold(d.scale, f64::max);
    let sx = |v: f64| x0 + (x1 - x0) * (v / max).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    for (x, y, i) in &legend {
        let seg = &d.segments[*i];
        s.rect(*x, *y, 12.0, 12.0, &seg.color, "");
        s.text(
            x + 16.0,
            y + 10.0,
            &seg.name,
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
    }
    if !d.exact {
        let (x, y) = legend
            .last()
            .map(|(x, y, i)| (x + 30.0 + text_width(&d.segments[*i].name, font), *y))
            .unwrap_or((12.0, 34.0));
        let (x, y) = if x + 100.0 > W - 12.0 {
            (12.0, y + 18.0)
        } else {
            (x, y)
        };
        s.line(x + 6.0, y - 1.0, x + 6.0, y + 13.0, palette::TEXT, 2.0, "");
        s.text(
            x + 14.0,
            y + 10.0,
            &d.score_label,
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
    }
    for t in ticks(0.0, max, 5) {
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
        let y = top + row * i as f64;
        s.text(
            x_rank,
            y + 11.5,
            &r.rank.to_string(),
            10.0,
            Anchor::End,
            palette::MUTED,
            "",
        );
        s.text(
            x_name,
            y + 11.5,
            &fit(&r.name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        let mut acc = 0.0;
        for (seg, v) in d.segments.iter().zip(&r.parts) {
            let tip = format!("{} · {}: {:.2}", r.name, seg.name, v);
            s.rect_tip(
                sx(acc),
                y + 2.5,
                sx(acc + v) - sx(acc),
                row - 5.0,
                &seg.color,
                "",
                &tip,
            );
            acc += v;
        }
        if d.exact {
            s.text(
                sx(acc) + 4.0,
                y + 11.5,
                &format!("{:.1}", r.score),
                10.0,
                Anchor::Start,
                palette::TEXT,
                HALO,
            );
        } else {
            let x = sx(r.score);
            s.line(x, y + 1.0, x, y + row - 1.0, palette::TEXT, 2.0, "");
            let end = sx(acc).max(x);
            s.text(
                end + 4.0,
                y + 11.5,
                &format!("{:.1}", r.score),
                10.0,
                Anchor::Start,
                palette::TEXT,
                HALO,
            );
        }
    }
    s.finish()
}

/// The contributions, one figure per panel.
pub struct Contributions;

impl Chart for Contributions {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        let d = data(model, lang);
        d.iter()
            .enumerate()
            .map(|(i, p)| {
                let file = panel_file("contributions", i, d.len());
                Figure::new(ChartKind::Contributions, file, &p.title, None, p, render)
            })
            .collect()
    }
}
