//! The weight tree as a treemap: one rectangle per top-level criterion (area = its global
//! weight, colour = its category colour, as in the contributions chart), its indicators
//! inside; a flat system's indicators side by side. Squarified layout (Bruls, Huizing & van
//! Wijk 2000), so rectangles stay close to square and labels fit.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use super::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// A leaf indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leaf {
    /// Name.
    pub name: String,
    /// Global weight.
    pub weight: f64,
}

/// A top-level criterion (or, flat, an indicator with no leaves).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    /// Name.
    pub name: String,
    /// Global weight.
    pub weight: f64,
    /// Colour.
    pub color: String,
    /// Indicators below it.
    pub leaves: Vec<Leaf>,
}

/// The treemap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Blocks in tree order.
    pub blocks: Vec<Block>,
}

/// The treemap of a model's final weights.
pub fn data(model: &ReportModel, lang: Lang) -> Option<Data> {
    if model.indicators.is_empty() {
        return None;
    }
    let blocks = if model.hierarchical() {
        model
            .top_criteria()
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let node = model.criteria[k];
                Block {
                    name: model.nodes[node].named.get(lang).to_string(),
                    weight: model.nodes[node].weight,
                    color: palette::category(i).into(),
                    leaves: model
                        .indicators
                        .iter()
                        .filter(|ind| ind.criterion == Some(node))
                        .map(|ind| Leaf {
                            name: ind.named.get(lang).to_string(),
                            weight: ind.weight,
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        model
            .indicators
            .iter()
            .enumerate()
            .map(|(j, ind)| Block {
                name: ind.named.get(lang).to_string(),
                weight: ind.weight,
                color: palette::category(j).into(),
                leaves: Vec::new(),
            })
            .collect()
    };
    Some(Data {
        title: tr(lang, "Final weights", "最终权重").into(),
        blocks,
    })
}

/// A rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Squarified layout of `weights` (any order; laid out largest first) in `r`; returns one
/// rectangle per weight, in the input order.
pub fn squarify(weights: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let mut out = vec![
        Rect {
            x: r.x,
            y: r.y,
            w: 0.0,
            h: 0.0
        };
        weights.len()
    ];
    if !(total > 0.0) || r.w <= 0.0 || r.h <= 0.0 {
        return out;
    }
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = order.iter().map(|&i| weights[i].max(0.0) * scale).collect();
    let mut free = r;
    let mut i = 0;
    while i < areas.len() {
        let side = free.w.min(free.h);
        let worst = |row: &[f64]| -> f64 {
            let s: f64 = row.iter().sum();
            let (mx, mn) = row
                .iter()
                .fold((0.0f64, f64::INFINITY), |(a, b), &v| (a.max(v), b.min(v)));
            if s <= 0.0 || mn <= 0.0 {
                return f64::INFINITY;
            }
            (side * side * mx / (s * s)).max(s * s / (side * side * mn))
        };
        let mut j = i + 1;
        while j < areas.len() && worst(&areas[i..=j]) <= worst(&areas[i..j]) {
            j += 1;
        }
        let row_sum: f64 = areas[i..j].iter().sum();
        if free.w >= free.h {
            // Column on the left.
            let cw = if free.h > 0.0 { row_sum / free.h } else { 0.0 };
            let mut y = free.y;
            for k in i..j {
                let h = if cw > 0.0 { areas[k] / cw } else { 0.0 };
                out[order[k]] = Rect {
                    x: free.x,
                    y,
                    w: cw,
                    h,
                };
                y += h;
            }
            free = Rect {
                x: free.x + cw,
                y: free.y,
                w: free.w - cw,
                h: free.h,
            };
        } else {
            let rh = if free.w > 0.0 { row_sum / free.w } else { 0.0 };
            let mut x = free.x;
            for k in i..j {
                let w = if rh > 0.0 { areas[k] / rh } else { 0.0 };
                out[order[k]] = Rect {
                    x,
                    y: free.y,
                    w,
                    h: rh,
                };
                x += w;
            }
            free = Rect {
                x: free.x,
                y: free.y + rh,
                w: free.w,
                h: free.h - rh,
            };
        }
        i = j;
    }
    out
}

const W: f64 = 680.0;
const H: f64 = 400.0;

/// Writes a label (name, then the weight in %) inside `r` when it fits.
fn label(s: &mut Svg, r: Rect, name: &str, weight: f64, color: &str, size: f64) {
    let pct = format!("{:.1}%", weight * 100.0);
    let pad = 4.0;
    if r.w < 24.0 || r.h < size + 6.0 {
        return;
    }
    let room = r.w - 2.0 * pad;
    if r.h >= 2.0 * size + 10.0 {
        s.text(
            r.x + pad,
            r.y + pad + size,
            &fit(name, room, size),
            size,
            Anchor::Start,
            color,
            "",
        );
        if text_width(&pct, size) <= room {
            s.text(
                r.x + pad,
                r.y + pad + 2.0 * size + 3.0,
                &pct,
                size,
                Anchor::Start,
                color,
                "font-weight=\"bold\"",
            );
        }
    } else if text_width(&pct, size) <= room {
        s.text(
            r.x + pad,
            r.y + pad + size,
            &pct,
            size,
            Anchor::Start,
            color,
            "font-weight=\"bold\"",
        );
    }
}

/// The SVG.
pub fn render(d: &Data) -> String {
    let top = 36.0;
    let area = Rect {
        x: 12.0,
        y: top,
        w: W - 24.0,
        h: H - top - 12.0,
    };
    let mut s = Svg::new(W, H, &d.title);
    s.title(12.0, 22.0, &d.title);
    let weights: Vec<f64> = d.blocks.iter().map(|b| b.weight).collect();
    let rects = squarify(&weights, area);
    let stroke = "stroke=\"#ffffff\" stroke-width=\"2\"";
    for (b, r) in d.blocks.iter().zip(&rects) {
        let tip = format!("{}: {:.1}%", b.name, b.weight * 100.0);
        if b.leaves.is_empty() {
            s.rect_tip(r.x, r.y, r.w, r.h, &b.color, stroke, &tip);
            label(&mut s, *r, &b.name, b.weight, palette::on(&b.color), 11.0);
            continue;
        }
        s.rect_tip(r.x, r.y, r.w, r.h, &b.color, stroke, &tip);
        let header = 18.0;
        let head = format!("{} {:.1}%", b.name, b.weight * 100.0);
        if r.h > header + 10.0 && r.w > 30.0 {
            s.text(
                r.x + 4.0,
                r.y + 13.0,
                &fit(&head, r.w - 8.0, 11.0),
                11.0,
                Anchor::Start,
                palette::on(&b.color),
                "font-weight=\"bold\"",
            );
        }
        let inner = Rect {
            x: r.x + 2.0,
            y: r.y + header,
            w: (r.w - 4.0).max(0.0),
            h: (r.h - header - 2.0).max(0.0),
        };
        let lw: Vec<f64> = b.leaves.iter().map(|l| l.weight).collect();
        let lr = squarify(&lw, inner);
        for (k, (l, r)) in b.leaves.iter().zip(&lr).enumerate() {
            let fill = palette::tint(&b.color, 0.35 + 0.3 * (k % 2) as f64);
            let tip = format!("{} · {}: {:.1}%", b.name, l.name, l.weight * 100.0);
            s.rect_tip(
                r.x,
                r.y,
                r.w,
                r.h,
                &fill,
                "stroke=\"#ffffff\" stroke-width=\"1\"",
                &tip,
            );
            label(&mut s, *r, &l.name, l.weight, palette::on(&fill), 10.0);
        }
    }
    s.finish()
}

/// The weight treemap (`weights`).
pub struct Treemap;

impl Chart for Treemap {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .map(|d| {
                Figure::new(
                    ChartKind::Treemap,
                    "weights".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Areas are proportional to the weights and the rectangles tile the area.
    #[test]
    fn squarify_tiles_the_area() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 6.0,
            h: 4.0,
        };
        let w = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let out = squarify(&w, r);
        let total: f64 = w.iter().sum();
        for (wi, ri) in w.iter().zip(&out) {
            assert!((ri.w * ri.h - wi / total * 24.0).abs() < 1e-9);
            assert!(
                ri.x >= -1e-9
                    && ri.y >= -1e-9
                    && ri.x + ri.w <= 6.0 + 1e-9
                    && ri.y + ri.h <= 4.0 + 1e-9
            );
        }
    }
}
