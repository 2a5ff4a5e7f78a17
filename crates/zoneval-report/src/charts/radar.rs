//! A radar per zone: its score on every top-level criterion (every indicator's normalised
//! value, for a flat system) against the mean of all ranked zones. With fewer than three axes
//! a radar says nothing, so paired bars are drawn instead.

use std::f64::consts::PI;

use rayon::prelude::*;
use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, HALO, Svg, fit, text_width};
use super::tr;
use crate::model::{ReportModel, ZoneRow};
use zoneval_core::error::Lang;

/// A zone's radar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title (the zone's name).
    pub title: String,
    /// Axis names.
    pub axes: Vec<String>,
    /// Axis maximum (the display scale).
    pub max: f64,
    /// The zone's values.
    pub values: Vec<Option<f64>>,
    /// The mean of all ranked zones.
    pub mean: Vec<Option<f64>>,
    /// Legend: the zone.
    pub zone_label: String,
    /// Legend: the mean.
    pub mean_label: String,
}

/// Axis names and the mean of every axis.
pub type Axes = (Vec<String>, Vec<Option<f64>>);

/// The axes of a model: top-level criteria, or indicators of a flat system (normalised ×
/// scale), with the mean of every axis. Computed once per report (a pass over every zone).
pub fn axes(model: &ReportModel, lang: Lang) -> Axes {
    if model.hierarchical() {
        model
            .top_criteria()
            .into_iter()
            .map(|k| {
                let name = model.nodes[model.criteria[k]].named.get(lang).to_string();
                (name, model.criterion_mean(k))
            })
            .unzip()
    } else {
        model
            .indicators
            .iter()
            .enumerate()
            .map(|(j, i)| {
                (
                    i.named.get(lang).to_string(),
                    model.indicator_mean(j).map(|v| v * model.scale),
                )
            })
            .unzip()
    }
}

/// A zone's values on the axes.
pub fn values(model: &ReportModel, z: &ZoneRow) -> Vec<Option<f64>> {
    if model.hierarchical() {
        model
            .top_criteria()
            .into_iter()
            .map(|k| z.criteria[k])
            .collect()
    } else {
        z.normalized
            .iter()
            .map(|v| v.map(|v| v * model.scale))
            .collect()
    }
}

/// The radar of zone `z` on `axes` (from [`axes`]); None when it was not ranked.
pub fn data(model: &ReportModel, z: &ZoneRow, lang: Lang, axes: &Axes) -> Option<Data> {
    z.rank?;
    Some(Data {
        title: z.name.clone(),
        axes: axes.0.clone(),
        max: model.scale,
        values: values(model, z),
        mean: axes.1.clone(),
        zone_label: tr(lang, "this zone", "本开发区").into(),
        mean_label: tr(lang, "mean of all zones", "全部开发区均值").into(),
    })
}

const W: f64 = 400.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    if d.axes.len() < 3 {
        return bars(d);
    }
    let h = 350.0;
    let (cx, cy, r) = (W / 2.0, 196.0, 100.0);
    let k = d.axes.len();
    let angle = |i: usize| -PI / 2.0 + 2.0 * PI * i as f64 / k as f64;
    let at = |i: usize, v: f64| {
        let f = (v / d.max).clamp(0.0, 1.0) * r;
        (cx + f * angle(i).cos(), cy + f * angle(i).sin())
    };
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    // Legend.
    s.rect(
        12.0,
        34.0,
        12.0,
        12.0,
        &palette::tint(palette::UP, 0.55),
        &format!("stroke=\"{}\" stroke-width=\"2\"", palette::UP),
    );
    s.text(
        28.0,
        44.0,
        &d.zone_label,
        11.0,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    let mx = 28.0 + text_width(&d.zone_label, 11.0) + 16.0;
    s.line(
        mx,
        40.0,
        mx + 16.0,
        40.0,
        palette::MEAN,
        2.0,
        "stroke-dasharray=\"4 3\"",
    );
    s.text(
        mx + 20.0,
        44.0,
        &d.mean_label,
        11.0,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    // Rings and spokes.
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<(f64, f64)> = (0..k).map(|i| at(i, ring * d.max)).collect();
        s.polygon(
            &pts,
            "none",
            &format!("stroke=\"{}\" stroke-width=\"1\"", palette::GRID),
        );
    }
    for i in 0..k {
        let (x, y) = at(i, d.max);
        s.line(cx, cy, x, y, palette::GRID, 1.0, "");
    }
    // Ring values along the bisector of the first two axes, where no vertex sits.
    let mid = -PI / 2.0 + PI / k as f64;
    let reach = (PI / k as f64).cos();
    for ring in [0.5, 1.0] {
        let v = ring * d.max;
        let (x, y) = (
            cx + ring * r * reach * mid.cos(),
            cy + ring * r * reach * mid.sin(),
        );
        s.text(
            x + 2.0,
            y + 3.0,
            &format!("{v:.0}"),
            9.0,
            Anchor::Start,
            palette::MUTED,
            HALO,
        );
    }
    let poly = |vals: &[Option<f64>]| -> Vec<(f64, f64)> {
        vals.iter()
            .enumerate()
            .map(|(i, v)| at(i, v.unwrap_or(0.0)))
            .collect()
    };
    s.polygon(
        &poly(&d.mean),
        "none",
        &format!(
            "stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"",
            palette::MEAN
        ),
    );
    let zone = poly(&d.values);
    s.polygon(
        &zone,
        palette::UP,
        &format!(
            "fill-opacity=\"0.25\" stroke=\"{}\" stroke-width=\"2\"",
            palette::UP
        ),
    );
    for (i, (x, y)) in zone.iter().enumerate() {
        let tip = format!(
            "{}: {}",
            d.axes[i],
            d.values[i].map_or("—".into(), |v| format!("{v:.1}"))
        );
        s.raw(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{}</title></circle>",
            super::svg::n(*x),
            super::svg::n(*y),
            palette::UP,
            super::svg::esc(&tip)
        ));
    }
    // Axis labels with the zone's value.
    for (i, name) in d.axes.iter().enumerate() {
        let a = angle(i);
        let (c, sn) = (a.cos(), a.sin());
        let (x, y) = (cx + (r + 12.0) * c, cy + (r + 12.0) * sn);
        let anchor = if c.abs() < 0.2 {
            Anchor::Middle
        } else if c > 0.0 {
            Anchor::Start
        } else {
            Anchor::End
        };
        let room = match anchor {
            Anchor::Middle => 150.0,
            Anchor::Start => W - x - 6.0,
            Anchor::End => x - 6.0,
        };
        let y = if sn < -0.9 {
            y - 14.0
        } else if sn > 0.9 {
            y + 8.0
        } else {
            y
        };
        let value = d.values[i].map_or("—".into(), |v| format!("{v:.1}"));
        s.text(
            x,
            y,
            &fit(name, room, 11.0),
            11.0,
            anchor,
            palette::TEXT,
            "",
        );
        s.text(
            x,
            y + 13.0,
            &value,
            10.0,
            anchor,
            palette::UP,
            &format!("font-weight=\"bold\" {HALO}"),
        );
    }
    s.finish()
}

/// Paired bars for fewer than three axes.
fn bars(d: &Data) -> String {
    let row = 34.0;
    let top = 62.0;
    let h = top + row * d.axes.len() as f64 + 30.0;
    let label_w = d
        .axes
        .iter()
        .map(|a| text_width(a, 11.0))
        .fold(40.0, f64::max)
        .min(150.0);
    let x0 = 12.0 + label_w + 10.0;
    let x1 = W - 50.0;
    let sx = |v: f64| x0 + (x1 - x0) * (v / d.max).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.rect(12.0, 34.0, 12.0, 12.0, palette::UP, "");
    s.text(
        28.0,
        44.0,
        &d.zone_label,
        11.0,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    let mx = 28.0 + text_width(&d.zone_label, 11.0) + 16.0;
    s.rect(mx, 34.0, 12.0, 12.0, palette::MEAN, "");
    s.text(
        mx + 16.0,
        44.0,
        &d.mean_label,
        11.0,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    for (i, name) in d.axes.iter().enumerate() {
        let y = top + row * i as f64;
        s.text(
            12.0,
            y + 18.0,
            &fit(name, label_w, 11.0),
            11.0,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        let v = d.values[i].unwrap_or(0.0);
        let m = d.mean[i].unwrap_or(0.0);
        s.rect(x0, y + 2.0, sx(v) - x0, 13.0, palette::UP, "");
        s.text(
            sx(v) + 4.0,
            y + 12.5,
            &format!("{v:.1}"),
            10.0,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        s.rect(x0, y + 17.0, sx(m) - x0, 10.0, palette::MEAN, "");
        s.text(
            sx(m) + 4.0,
            y + 26.0,
            &format!("{m:.1}"),
            10.0,
            Anchor::Start,
            palette::MUTED,
            "",
        );
    }
    s.finish()
}

/// A radar per zone (`radar/<zone>`), for the first [`DETAILED`](super::DETAILED) zones.
pub struct Radar;

impl Chart for Radar {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        let ids: Vec<&str> = model.zones.iter().map(|z| z.id.as_str()).collect();
        let files = super::zone_files(&ids);
        let axes = axes(model, lang);
        // One radar per zone, drawn in parallel (collect keeps the zones' order).
        let shown = &model.zones[..model.zones.len().min(super::DETAILED)];
        shown
            .par_iter()
            .enumerate()
            .filter_map(|(k, z)| {
                let d = data(model, z, lang, &axes)?;
                let file = format!("radar/{}", files[k]);
                Some(Figure::new(
                    ChartKind::Radar,
                    file,
                    &d.title,
                    Some(z.id.clone()),
                    &d,
                    render,
                ))
            })
            .collect()
    }
}
