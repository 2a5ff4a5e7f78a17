//! The audit's correlation heatmap per criterion: Pearson r of the criterion's normalised
//! indicators (drawn by the indicator heatmap's [`correlation::render`]), so redundant (r > 0.9)
//! and conflicting (r < −0.3) pairs stand out. A criterion with one indicator has no heatmap.

use super::correlation::{self, Data};
use super::{Chart, ChartKind, Figure, tr};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// One heatmap per criterion with at least two indicators.
pub fn data(model: &ReportModel, lang: Lang) -> Vec<Data> {
    let Some(a) = &model.audit else {
        return Vec::new();
    };
    a.criteria
        .iter()
        .filter(|c| c.indicators.len() >= 2)
        .map(|c| Data {
            title: match lang {
                Lang::En => format!("Correlation within {}", c.named.get(lang)),
                Lang::Zh => format!("{}：内部指标相关系数", c.named.get(lang)),
            },
            labels: c
                .indicators
                .iter()
                .map(|i| i.get(lang).to_string())
                .collect(),
            matrix: c.correlation.clone(),
            note: tr(
                lang,
                "Pearson r of the normalised values; above 0.9 may double count, below −0.3 conflicts",
                "标准化值的 Pearson 相关系数；高于 0.9 可能重复计算，低于 −0.3 方向冲突",
            )
            .into(),
        })
        .collect()
}

/// The heatmaps.
pub struct AuditCorrelation;

impl Chart for AuditCorrelation {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let file = format!("audit-correlation-{}", k + 1);
                Figure::new(
                    ChartKind::AuditCorrelation,
                    file,
                    &d.title,
                    None,
                    d,
                    correlation::render,
                )
            })
            .collect()
    }
}
