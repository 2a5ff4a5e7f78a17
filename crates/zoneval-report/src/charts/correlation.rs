//! The indicator correlation heatmap: Pearson correlation of the normalised (benefit-oriented)
//! values over the ranked zones, so a positive value means two indicators tend to be good
//! together. Rows are labelled "k name", columns by k; a constant indicator has no correlation.

use serde::Serialize;

use super::{Chart, ChartKind, Figure};

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use super::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// The heatmap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Indicator names.
    pub labels: Vec<String>,
    /// Correlations (None: constant indicator or fewer than three zones in common).
    pub matrix: Vec<Vec<Option<f64>>>,
    /// Note under the title.
    pub note: String,
}

/// Pearson correlation over the pairs where both values are present.
pub fn pearson(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    if pairs.len() < 3 {
        return None;
    }
    let k = pairs.len() as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x / k, sy + y / k));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    let d = (sxx * syy).sqrt();
    (d > 1e-300).then(|| (sxy / d).clamp(-1.0, 1.0))
}

/// The heatmap of a model (None with fewer than two indicators).
pub fn data(model: &ReportModel, lang: Lang) -> Option<Data> {
    let m = model.indicators.len();
    if m < 2 {
        return None;
    }
    let cols: Vec<Vec<Option<f64>>> = (0..m)
        .map(|j| model.ranked().map(|z| z.normalized[j]).collect())
        .collect();
    let matrix = (0..m)
        .map(|a| (0..m).map(|b| pearson(&cols[a], &cols[b])).collect())
        .collect();
    Some(Data {
        title: tr(lang, "Correlation between indicators", "指标间相关系数").into(),
        labels: model
            .indicators
            .iter()
            .map(|i| i.named.get(lang).to_string())
            .collect(),
        matrix,
        note: tr(
            lang,
            "Pearson r of the normalised values (higher = better) over the ranked zones",
            "基于标准化值（越大越好）的 Pearson 相关系数，样本为参与排名的开发区",
        )
        .into(),
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let m = d.labels.len();
    let font = 10.5;
    let labels: Vec<String> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {l}", i + 1))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, font))
        .fold(40.0, f64::max)
        .min(190.0);
    let x0 = 12.0 + label_w + 8.0;
    let legend_w = 60.0;
    let cell = ((W - x0 - legend_w - 12.0) / m as f64).clamp(12.0, 40.0);
    let top = 72.0;
    let h = (top + cell * m as f64 + 20.0).max(top + 200.0);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    s.text(12.0, 40.0, &d.note, 10.0, Anchor::Start, palette::MUTED, "");
    let show = cell >= 26.0;
    for (i, l) in labels.iter().enumerate() {
        let y = top + cell * i as f64;
        s.text(
            12.0,
            y + cell / 2.0 + 4.0,
            &fit(l, label_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        s.text(
            x0 + cell * i as f64 + cell / 2.0,
            top - 6.0,
            &(i + 1).to_string(),
            font,
            Anchor::Middle,
            palette::MUTED,
            "",
        );
        for (j, v) in d.matrix[i].iter().enumerate() {
            let x = x0 + cell * j as f64;
            let fill = v.map_or_else(|| palette::NONE.to_string(), palette::diverging);
            let tip = format!(
                "{} × {}: {}",
                d.labels[i],
                d.labels[j],
                v.map_or("—".into(), |v| format!("{v:.2}"))
            );
            s.rect_tip(
                x,
                y,
                cell,
                cell,
                &fill,
                "stroke=\"#ffffff\" stroke-width=\"1\"",
                &tip,
            );
            if show && let Some(v) = v {
                s.text(
                    x + cell / 2.0,
                    y + cell / 2.0 + 3.5,
                    &format!("{v:.2}"),
                    9.0,
                    Anchor::Middle,
                    palette::on(&fill),
                    "",
                );
            }
        }
    }
    // Colour bar.
    let lx = x0 + cell * m as f64 + 20.0;
    let (ly, lh) = (top, 160.0);
    let steps = 20;
    for k in 0..steps {
        let v = 1.0 - 2.0 * (k as f64 + 0.5) / steps as f64;
        s.rect(
            lx,
            ly + lh * k as f64 / steps as f64,
            12.0,
            lh / steps as f64 + 0.5,
            &palette::diverging(v),
            "",
        );
    }
    for (v, label) in [(1.0, "1"), (0.0, "0"), (-1.0, "−1")] {
        let y = ly + lh * (1.0 - v) / 2.0;
        s.text(
            lx + 16.0,
            y + 4.0,
            label,
            10.0,
            Anchor::Start,
            palette::MUTED,
            "",
        );
    }
    s.finish()
}

/// The correlation heatmap.
pub struct Correlation;

impl Chart for Correlation {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .map(|d| {
                let file = "correlation".into();
                Figure::new(ChartKind::Correlation, file, &d.title, None, &d, render)
            })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::pearson;

    #[test]
    fn pearson_by_hand() {
        let a = [Some(1.0), Some(2.0), Some(3.0)];
        let b = [Some(2.0), Some(4.0), Some(6.0)];
        let c = [Some(3.0), Some(2.0), Some(1.0)];
        assert!((pearson(&a, &b).unwrap() - 1.0).abs() < 1e-12);
        assert!((pearson(&a, &c).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&a, &[Some(1.0); 3]), None);
    }
}
