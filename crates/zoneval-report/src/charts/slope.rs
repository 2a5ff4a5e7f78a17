//! Year-over-year slope chart: the rank of each of the latest year's leading zones in every
//! year of the data (each year evaluated with the same system and methods), coloured by the
//! latest grade. Labels at both ends are spread apart so they never overlap.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// Zones drawn (the latest year's best).
pub const TOP: usize = 15;

/// One zone's line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    /// Zone name.
    pub name: String,
    /// Rank per year (None: not ranked that year).
    pub ranks: Vec<Option<usize>>,
    /// Grade in the evaluated year.
    pub grade: Option<usize>,
}

/// The slope chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Years, ascending.
    pub years: Vec<i64>,
    /// Lines, best latest rank first.
    pub series: Vec<Series>,
    /// Number of grades (for colours).
    pub grades: usize,
}

/// The chart (None unless the data has several years).
pub fn data(model: &ReportModel, lang: Lang) -> Option<Data> {
    if model.years.len() < 2 {
        return None;
    }
    let years: Vec<i64> = model.years.iter().map(|y| y.year).collect();
    // Lines for the evaluated year's best zones (the last year when that is not among them).
    let anchor = model
        .years
        .iter()
        .find(|y| Some(y.year) == model.year)
        .or(model.years.last())?;
    let series = anchor
        .zones
        .iter()
        .filter(|z| z.rank.is_some())
        .take(TOP)
        .map(|z| Series {
            name: z.name.clone(),
            ranks: model
                .years
                .iter()
                .map(|y| y.zones.iter().find(|o| o.id == z.id).and_then(|o| o.rank))
                .collect(),
            grade: model
                .zones
                .iter()
                .find(|o| o.id == z.id)
                .and_then(|o| o.grade),
        })
        .collect();
    let title = match lang {
        Lang::En => format!("Rank by year (best {TOP} of {})", anchor.year),
        Lang::Zh => format!("逐年排名变化（{} 年前 {TOP} 名）", anchor.year),
    };
    Some(Data {
        title,
        years,
        series,
        grades: model.grades.len(),
    })
}

/// Spreads label positions `ys` (any order) to be at least `gap` apart, keeping their order
/// and staying within [lo, hi] where possible.
pub fn spread(ys: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..ys.len()).collect();
    idx.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]).then(a.cmp(&b)));
    let mut out = ys.to_vec();
    let mut prev = f64::NEG_INFINITY;
    for &i in &idx {
        out[i] = out[i].max(prev + gap).max(lo);
        prev = out[i];
    }
    // Push back up from the bottom when the stack overflows.
    let mut next = f64::INFINITY;
    for &i in idx.iter().rev() {
        out[i] = out[i].min(next - gap).min(hi);
        next = out[i];
    }
    out
}

const W: f64 = 680.0;

/// One line of a slope chart: name, grade (for the colour), a value per year.
type Line<'a> = (&'a str, Option<usize>, Vec<Option<f64>>);

/// Lines across the years with spread-apart end labels: the rank chart and the score chart
/// (title, years and number of grades first).
/// `sy` places a value on the plot of height `plot_h` below [`PLOT_TOP`]; `label` writes an end
/// label from the value and the (fitted) name; `digits` is the widest value text.
fn render_lines(
    (title, years, grades): (&str, &[i64], usize),
    lines: &[Line<'_>],
    plot_h: f64,
    sy: &dyn Fn(f64) -> f64,
    label: &dyn Fn(f64, &str) -> String,
    digits: &str,
) -> String {
    let font = 11.0;
    let gap = 14.0;
    let label_w = 190.0;
    let x_left = 12.0 + label_w;
    let x_right = W - 12.0 - label_w;
    let top = PLOT_TOP;
    let bottom = top + plot_h;
    let h = bottom + 16.0;
    let k = years.len();
    let sx = |i: usize| x_left + (x_right - x_left) * i as f64 / ((k - 1).max(1)) as f64;
    let mut s = Svg::new(W, h, title);
    s.title(12.0, 22.0, title);
    for (i, y) in years.iter().enumerate() {
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
            top - 14.0,
            &y.to_string(),
            11.0,
            Anchor::Middle,
            palette::TEXT,
            "font-weight=\"bold\"",
        );
    }
    for (_, grade, values) in lines {
        let c = palette::grade(*grade, grades);
        let pts: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (sx(i), sy(v))))
            .collect();
        s.polyline(&pts, c, 2.0, "stroke-opacity=\"0.9\"");
        for (x, y) in &pts {
            s.circle(*x, *y, 3.0, c, "");
        }
    }
    // End labels, spread apart.
    for (end, x, anchor) in [
        (0usize, x_left - 8.0, Anchor::End),
        (k - 1, x_right + 8.0, Anchor::Start),
    ] {
        let items: Vec<(usize, f64)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.2[end].map(|v| (i, v)))
            .collect();
        let ys: Vec<f64> = items.iter().map(|(_, v)| sy(*v)).collect();
        let placed = spread(&ys, gap, top - 4.0, bottom + 8.0);
        for ((i, v), y) in items.iter().zip(placed) {
            let name = fit(lines[*i].0, label_w - text_width(digits, font) - 4.0, font);
            s.text(
                x,
                y + 4.0,
                &label(*v, &name),
                font,
                anchor,
                palette::TEXT,
                "",
            );
        }
    }
    s.finish()
}

/// Top of the plot area.
const PLOT_TOP: f64 = 62.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let plot_h = (14.0 * d.series.len() as f64).max(240.0);
    let max_rank = d
        .series
        .iter()
        .flat_map(|s| s.ranks.iter().flatten())
        .copied()
        .max()
        .unwrap_or(1)
        .max(d.series.len());
    let sy = |r: f64| PLOT_TOP + plot_h * (r - 1.0) / ((max_rank as f64 - 1.0).max(1.0));
    let lines: Vec<Line<'_>> = d
        .series
        .iter()
        .map(|s| {
            let v = s.ranks.iter().map(|r| r.map(|r| r as f64)).collect();
            (s.name.as_str(), s.grade, v)
        })
        .collect();
    render_lines(
        (&d.title, &d.years, d.grades),
        &lines,
        plot_h,
        &sy,
        &|r, name| format!("{} {name}", r as usize),
        "000 ",
    )
}

/// Zones drawn at each end of the score chart.
pub const ENDS: usize = 5;

/// Comparable scores by year of the leading and the trailing zones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreData {
    /// Title.
    pub title: String,
    /// Years, ascending.
    pub years: Vec<i64>,
    /// Lines: the best [`ENDS`] zones, then the last [`ENDS`], of the evaluated year.
    pub series: Vec<ScoreSeries>,
    /// Smallest and largest score drawn.
    pub range: (f64, f64),
    /// Number of grades (for colours).
    pub grades: usize,
}

/// One zone's scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreSeries {
    /// Zone name.
    pub name: String,
    /// Score per year (None: absent or unranked that year).
    pub scores: Vec<Option<f64>>,
    /// Grade in the evaluated year.
    pub grade: Option<usize>,
}

/// The score chart: only when the years share one scale (pooled or base-year goalposts).
pub fn score_data(model: &ReportModel, lang: Lang) -> Option<ScoreData> {
    let panel = model.panel.as_ref()?;
    if !panel.comparable || model.years.len() < 2 {
        return None;
    }
    let years: Vec<i64> = model.years.iter().map(|y| y.year).collect();
    let ranked: Vec<&crate::model::ZoneRow> = model.ranked().collect();
    let mut picked: Vec<&crate::model::ZoneRow> = ranked.iter().take(ENDS).copied().collect();
    for z in ranked.iter().skip(ranked.len().saturating_sub(ENDS)) {
        if !picked.iter().any(|p| p.id == z.id) {
            picked.push(z);
        }
    }
    let series: Vec<ScoreSeries> = picked
        .iter()
        .map(|z| ScoreSeries {
            name: z.name.clone(),
            scores: years
                .iter()
                .map(|y| {
                    z.history
                        .iter()
                        .find(|h| h.year == *y)
                        .and_then(|h| h.score)
                })
                .collect(),
            grade: z.grade,
        })
        .collect();
    let all = series.iter().flat_map(|s| s.scores.iter().flatten());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
        (a.min(v), b.max(v))
    });
    if !(lo <= hi) {
        return None;
    }
    let title = match lang {
        Lang::En => format!("Scores by year on one scale (best and last {ENDS} zones)"),
        Lang::Zh => format!("逐年得分（同一尺度；前 {ENDS} 名与后 {ENDS} 名）"),
    };
    Some(ScoreData {
        title,
        years,
        series,
        range: (lo, hi),
        grades: model.grades.len(),
    })
}

/// The score chart's SVG.
pub fn render_scores(d: &ScoreData) -> String {
    let plot_h = 260.0;
    let (lo, hi) = d.range;
    let span = (hi - lo).max(1e-9);
    let sy = |v: f64| PLOT_TOP + plot_h - plot_h * (v - lo) / span;
    let lines: Vec<Line<'_>> = d
        .series
        .iter()
        .map(|s| (s.name.as_str(), s.grade, s.scores.clone()))
        .collect();
    render_lines(
        (&d.title, &d.years, d.grades),
        &lines,
        plot_h,
        &sy,
        &|v, name| format!("{v:.1} {name}"),
        "000.0 ",
    )
}

/// The slope chart (`years`), when the data has several years, and the score chart
/// (`years-scores`) when the years share one scale.
pub struct Slope;

impl Chart for Slope {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        let mut out: Vec<Figure> = data(model, lang)
            .map(|d| Figure::new(ChartKind::Slope, "years".into(), &d.title, None, &d, render))
            .into_iter()
            .collect();
        if let Some(d) = score_data(model, lang) {
            out.push(Figure::new(
                ChartKind::Slope,
                "years-scores".into(),
                &d.title,
                None,
                &d,
                render_scores,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn labels_are_spread_in_order() {
        let out = spread(&[10.0, 11.0, 50.0, 12.0], 5.0, 0.0, 100.0);
        assert_eq!(out, vec![10.0, 15.0, 50.0, 20.0]);
        let out = spread(&[98.0, 99.0, 100.0], 5.0, 0.0, 100.0);
        assert_eq!(out, vec![90.0, 95.0, 100.0]);
    }
}
