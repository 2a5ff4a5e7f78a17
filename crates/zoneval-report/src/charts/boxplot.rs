//! Group box plots: the scores of the zones in each group of a grouping column (region, zone
//! type, …), one horizontal box per group with every zone drawn as a dot, groups sorted by
//! median. Quartiles interpolate linearly (numpy's default); whiskers reach the furthest
//! score within 1.5 × IQR.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, esc, fit, n, text_width, tick_label, ticks};
use super::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// One group's summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// Group value.
    pub name: String,
    /// Scores, ascending, with zone names.
    pub points: Vec<(String, f64)>,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Lower whisker end.
    pub lo: f64,
    /// Upper whisker end.
    pub hi: f64,
}

/// The box plot of one grouping column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Axis maximum.
    pub scale: f64,
    /// Groups, highest median first.
    pub groups: Vec<Group>,
    /// Mean of all zones.
    pub mean: f64,
    /// Legend label of the mean.
    pub mean_label: String,
}

/// Linear-interpolated quantile of ascending `x`.
pub fn quantile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let pos = q * (x.len() - 1) as f64;
    let (i, f) = (pos.floor() as usize, pos - pos.floor());
    if i + 1 < x.len() {
        x[i] + f * (x[i + 1] - x[i])
    } else {
        x[i]
    }
}

/// One chart per grouping column.
pub fn data(model: &ReportModel, lang: Lang) -> Vec<Data> {
    let scores: Vec<f64> = model.ranked().filter_map(|z| z.score).collect();
    let mean = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    (0..model.group_columns.len())
        .map(|c| {
            let mut groups: Vec<(String, Vec<(String, f64)>)> = Vec::new();
            for z in model.ranked() {
                let (Some(g), Some(s)) = (z.groups.get(c), z.score) else {
                    continue;
                };
                match groups.iter_mut().find(|(k, _)| *k == g.group) {
                    Some((_, v)) => v.push((z.name.clone(), s)),
                    None => groups.push((g.group.clone(), vec![(z.name.clone(), s)])),
                }
            }
            let mut groups: Vec<Group> = groups
                .into_iter()
                .map(|(name, mut points)| {
                    points.sort_by(|a, b| a.1.total_cmp(&b.1));
                    let x: Vec<f64> = points.iter().map(|p| p.1).collect();
                    let (q1, median, q3) =
                        (quantile(&x, 0.25), quantile(&x, 0.5), quantile(&x, 0.75));
                    let iqr = q3 - q1;
                    let lo = x
                        .iter()
                        .copied()
                        .find(|&v| v >= q1 - 1.5 * iqr)
                        .unwrap_or(q1);
                    let hi = x
                        .iter()
                        .rev()
                        .copied()
                        .find(|&v| v <= q3 + 1.5 * iqr)
                        .unwrap_or(q3);
                    Group {
                        name,
                        points,
                        q1,
                        median,
                        q3,
                        lo,
                        hi,
                    }
                })
                .collect();
            groups.sort_by(|a, b| b.median.total_cmp(&a.median).then(a.name.cmp(&b.name)));
            let col = &model.group_columns[c];
            Data {
                title: match lang {
                    Lang::En => format!("Scores by {col}"),
                    Lang::Zh => format!("按 {col} 分组的得分分布"),
                },
                scale: model.scale,
                groups,
                mean,
                mean_label: tr(lang, "mean of all zones", "全部开发区均值").into(),
            }
        })
        .collect()
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let row = 30.0;
    let font = 11.0;
    let labels: Vec<String> = d
        .groups
        .iter()
        .map(|g| format!("{} (n={})", g.name, g.points.len()))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, font))
        .fold(60.0, f64::max)
        .min(200.0);
    let x0 = 12.0 + label_w + 12.0;
    let x1 = W - 24.0;
    let top = 60.0;
    let bottom = top + row * d.groups.len() as f64;
    let h = bottom + 36.0;
    let sx = |v: f64| x0 + (x1 - x0) * (v / d.scale).clamp(0.0, 1.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.line(
        12.0,
        40.0,
        28.0,
        40.0,
        palette::MEAN,
        1.5,
        "stroke-dasharray=\"4 3\"",
    );
    s.text(
        32.0,
        44.0,
        &format!("{} {:.1}", d.mean_label, d.mean),
        font,
        Anchor::Start,
        palette::TEXT,
        "",
    );
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
    s.line(x0, bottom, x1, bottom, palette::AXIS, 1.0, "");
    let fill = palette::tint(palette::UP, 0.7);
    for (i, g) in d.groups.iter().enumerate() {
        let y = top + row * i as f64;
        let cy = y + row / 2.0;
        s.text(
            12.0,
            cy + 4.0,
            &fit(&labels[i], label_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        s.line(sx(g.lo), cy, sx(g.q1), cy, palette::UP, 1.2, "");
        s.line(sx(g.q3), cy, sx(g.hi), cy, palette::UP, 1.2, "");
        s.line(sx(g.lo), cy - 5.0, sx(g.lo), cy + 5.0, palette::UP, 1.2, "");
        s.line(sx(g.hi), cy - 5.0, sx(g.hi), cy + 5.0, palette::UP, 1.2, "");
        let tip = format!(
            "{}: Q1 {:.1} · {:.1} · Q3 {:.1}",
            g.name, g.q1, g.median, g.q3
        );
        s.rect_tip(
            sx(g.q1),
            cy - 9.0,
            (sx(g.q3) - sx(g.q1)).max(1.0),
            18.0,
            &fill,
            &format!("stroke=\"{}\" stroke-width=\"1.2\"", palette::UP),
            &tip,
        );
        s.line(
            sx(g.median),
            cy - 9.0,
            sx(g.median),
            cy + 9.0,
            palette::TEXT,
            2.0,
            "",
        );
        for (k, (name, v)) in g.points.iter().enumerate() {
            // Deterministic vertical jitter so equal scores stay visible.
            let jitter = ((k * 7) % 5) as f64 * 2.0 - 4.0;
            // Outliers (beyond the whiskers) are hollow.
            let style = if *v < g.lo || *v > g.hi {
                format!(
                    "r=\"3\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.2\"",
                    palette::TEXT
                )
            } else {
                format!("r=\"2.2\" fill=\"{}\" fill-opacity=\"0.55\"", palette::TEXT)
            };
            s.raw(&format!(
                "<circle cx=\"{}\" cy=\"{}\" {style}><title>{}</title></circle>",
                n(sx(*v)),
                n(cy + jitter),
                esc(&format!("{name}: {v:.1}"))
            ));
        }
    }
    s.line(
        sx(d.mean),
        top - 4.0,
        sx(d.mean),
        bottom,
        palette::MEAN,
        1.5,
        "stroke-dasharray=\"4 3\"",
    );
    s.finish()
}

/// One box plot per group column (`groups-1`, …).
pub struct Boxplot;

impl Chart for Boxplot {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let file = format!("groups-{}", k + 1);
                Figure::new(ChartKind::Boxplot, file, &d.title, None, d, render)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    /// numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) = 1.75, 2.5, 3.25.
    #[test]
    fn quantiles_match_numpy_linear() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&x, 0.25), 1.75);
        assert_eq!(quantile(&x, 0.5), 2.5);
        assert_eq!(quantile(&x, 0.75), 3.25);
    }
}
