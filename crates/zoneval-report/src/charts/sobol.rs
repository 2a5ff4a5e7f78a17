//! Sobol indices of the ranking's mean absolute rank shift: first-order S1 and total ST per
//! factor, with their bootstrap confidence half-widths as whiskers.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width, tick_label, ticks};
use super::tornado::factor_name;
use super::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;
use zoneval_core::sensitivity;

/// One factor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    /// Name.
    pub name: String,
    /// First-order index.
    pub s1: f64,
    /// Its confidence half-width.
    pub s1_conf: f64,
    /// Total index.
    pub st: f64,
    /// Its confidence half-width.
    pub st_conf: f64,
}

/// The chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Factors, largest ST first.
    pub factors: Vec<Factor>,
    /// Legend: S1, ST.
    pub legend: [String; 2],
}

/// The chart (None without factors).
pub fn data(model: &ReportModel, sobol: &sensitivity::Sobol, lang: Lang) -> Option<Data> {
    let ix = &sobol.rank_shift;
    let (s1, s1c, st, stc) = (
        ix.s1.values(),
        ix.s1_conf.values(),
        ix.st.values(),
        ix.st_conf.values(),
    );
    let keys = ix.s1.keys();
    let get = |v: &[f64], i: usize| v.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0);
    let mut factors: Vec<Factor> = keys
        .iter()
        .enumerate()
        .map(|(i, id)| Factor {
            name: factor_name(model, id, lang),
            s1: get(&s1, i),
            s1_conf: get(&s1c, i),
            st: get(&st, i),
            st_conf: get(&stc, i),
        })
        .collect();
    if factors.is_empty() {
        return None;
    }
    factors.sort_by(|a, b| b.st.total_cmp(&a.st));
    Some(Data {
        title: tr(
            lang,
            "Sobol indices of the rank shift",
            "排名变动的 Sobol 敏感性指数",
        )
        .into(),
        factors,
        legend: [
            tr(lang, "first-order S1", "一阶指数 S1").into(),
            tr(lang, "total ST", "总效应指数 ST").into(),
        ],
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let row = 30.0;
    let font = 11.0;
    let name_w = d
        .factors
        .iter()
        .map(|f| text_width(&f.name, font))
        .fold(60.0, f64::max)
        .min(200.0);
    let x0 = 12.0 + name_w + 12.0;
    let x1 = W - 30.0;
    let top = 60.0;
    let bottom = top + row * d.factors.len() as f64;
    let h = bottom + 36.0;
    let max = d
        .factors
        .iter()
        .map(|f| (f.st + f.st_conf).max(f.s1 + f.s1_conf))
        .fold(0.0, f64::max)
        .max(0.1);
    let min = d
        .factors
        .iter()
        .map(|f| (f.s1 - f.s1_conf).min(0.0))
        .fold(0.0, f64::min);
    let sx = |v: f64| x0 + (x1 - x0) * ((v - min) / (max - min)).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.rect(12.0, 34.0, 12.0, 12.0, palette::UP, "");
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
    s.rect(lx, 34.0, 12.0, 12.0, palette::DOWN, "");
    s.text(
        lx + 16.0,
        44.0,
        &d.legend[1],
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
    for t in ticks(min, max, 5) {
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
    s.line(sx(0.0), top - 4.0, sx(0.0), bottom, palette::AXIS, 1.0, "");
    for (i, f) in d.factors.iter().enumerate() {
        let y = top + row * i as f64;
        s.text(
            12.0,
            y + 19.0,
            &fit(&f.name, name_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        for (k, (v, c, color)) in [
            (f.s1, f.s1_conf, palette::UP),
            (f.st, f.st_conf, palette::DOWN),
        ]
        .into_iter()
        .enumerate()
        {
            let by = y + 4.0 + 11.0 * k as f64;
            let (a, b) = (sx(0.0_f64.min(v)), sx(0.0_f64.max(v)));
            s.rect_tip(
                a,
                by,
                (b - a).max(1.0),
                10.0,
                color,
                "",
                &format!("{}: {v:.3} ± {c:.3}", f.name),
            );
            if c > 0.0 {
                s.line(
                    sx(v - c),
                    by + 5.0,
                    sx(v + c),
                    by + 5.0,
                    palette::TEXT,
                    1.0,
                    "",
                );
                s.line(
                    sx(v - c),
                    by + 2.0,
                    sx(v - c),
                    by + 8.0,
                    palette::TEXT,
                    1.0,
                    "",
                );
                s.line(
                    sx(v + c),
                    by + 2.0,
                    sx(v + c),
                    by + 8.0,
                    palette::TEXT,
                    1.0,
                    "",
                );
            }
        }
    }
    s.finish()
}

/// The Sobol indices of a Sobol run.
pub struct Sobol;

impl Chart for Sobol {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        model
            .sensitivity
            .as_ref()
            .and_then(|s| s.sobol.as_ref())
            .and_then(|sobol| data(model, sobol, lang))
            .map(|d| Figure::new(ChartKind::Sobol, "sobol".into(), &d.title, None, &d, render))
            .into_iter()
            .collect()
    }
}
