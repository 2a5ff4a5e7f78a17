//! Nominal against effective weights: for each indicator its final weight and its effective
//! weight (r² with the composite, normalised to sum 1), as paired horizontal bars, so an
//! indicator whose 10 % nominal weight drives far more or far less of the ranking shows.

use serde::Serialize;

use super::palette;
use super::svg::{Anchor, Svg, fit, text_width};
use super::{Chart, ChartKind, Figure, tr};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// One indicator's pair of bars.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    /// Indicator name.
    pub name: String,
    /// Nominal weight.
    pub nominal: f64,
    /// Effective weight (None: undefined).
    pub effective: Option<f64>,
}

/// The chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Data {
    /// Title.
    pub title: String,
    /// Legend: nominal, effective.
    pub legend: [String; 2],
    /// Bars, in system order.
    pub bars: Vec<Bar>,
}

/// The chart of an audited model.
pub fn data(model: &ReportModel, lang: Lang) -> Option<Data> {
    let a = model.audit.as_ref()?;
    if a.indicators.is_empty() {
        return None;
    }
    Some(Data {
        title: tr(lang, "Nominal vs effective weights", "名义权重与有效权重").into(),
        legend: [
            tr(lang, "nominal", "名义权重").into(),
            tr(
                lang,
                "effective (r² with the composite)",
                "有效权重（与综合值的 r²）",
            )
            .into(),
        ],
        bars: a
            .indicators
            .iter()
            .map(|i| Bar {
                name: i.named.get(lang).to_string(),
                nominal: i.nominal_weight,
                effective: i.effective_weight,
            })
            .collect(),
    })
}

const W: f64 = 680.0;

/// The SVG.
pub fn render(d: &Data) -> String {
    let font = 10.5;
    let row = 22.0;
    let label_w = d
        .bars
        .iter()
        .map(|b| text_width(&b.name, font))
        .fold(60.0, f64::max)
        .min(220.0);
    let x0 = 12.0 + label_w + 8.0;
    let plot_w = W - x0 - 90.0;
    let top = 64.0;
    let h = top + row * d.bars.len() as f64 + 16.0;
    let max = d
        .bars
        .iter()
        .flat_map(|b| [Some(b.nominal), b.effective])
        .flatten()
        .fold(1e-9, f64::max);
    let mut s = Svg::new(W, h, &d.title);
    s.title(12.0, 22.0, &d.title);
    for (k, (label, colour)) in d
        .legend
        .iter()
        .zip([palette::UP, palette::DOWN])
        .enumerate()
    {
        let x = 12.0 + 220.0 * k as f64;
        s.rect(x, 34.0, 10.0, 10.0, colour, "");
        s.text(
            x + 14.0,
            43.0,
            label,
            10.0,
            Anchor::Start,
            palette::MUTED,
            "",
        );
    }
    for (i, b) in d.bars.iter().enumerate() {
        let y = top + row * i as f64;
        s.text(
            12.0,
            y + 14.0,
            &fit(&b.name, label_w, font),
            font,
            Anchor::Start,
            palette::TEXT,
            "",
        );
        let wn = plot_w * b.nominal / max;
        s.rect_tip(
            x0,
            y + 3.0,
            wn,
            7.0,
            palette::UP,
            "",
            &format!("{}: {:.4}", b.name, b.nominal),
        );
        let we = b.effective.map_or(0.0, |e| plot_w * e / max);
        let tip = format!(
            "{}: {}",
            b.name,
            b.effective.map_or("—".into(), |e| format!("{e:.4}"))
        );
        s.rect_tip(x0, y + 11.0, we, 7.0, palette::DOWN, "", &tip);
        s.text(
            x0 + wn.max(we) + 4.0,
            y + 14.0,
            &format!(
                "{:.3} / {}",
                b.nominal,
                b.effective.map_or("—".into(), |e| format!("{e:.3}"))
            ),
            9.0,
            Anchor::Start,
            palette::MUTED,
            "",
        );
    }
    s.finish()
}

/// The weights chart.
pub struct EffectiveWeights;

impl Chart for EffectiveWeights {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .map(|d| {
                Figure::new(
                    ChartKind::EffectiveWeights,
                    "effective-weights".into(),
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
