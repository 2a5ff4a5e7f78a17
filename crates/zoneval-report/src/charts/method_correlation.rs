//! The rank-correlation matrices of a comparison (Spearman's ρ and Kendall's τ-b between every
//! two methods or systems), drawn by the indicator heatmap's [`correlation::render`].

use super::correlation::{self, Data};
use super::{Chart, ChartKind, Figure, tr};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// The two heatmaps (Spearman, Kendall) of a model with a comparison.
pub fn data(model: &ReportModel, lang: Lang) -> Vec<(String, Data)> {
    let Some(c) = &model.compare else {
        return Vec::new();
    };
    let note = tr(
        lang,
        "1 = the same order; 0 = unrelated; −1 = reversed",
        "1 表示顺序相同，0 表示无关，−1 表示完全相反",
    );
    [
        (
            "spearman",
            "Spearman ρ between methods",
            "方法间 Spearman ρ",
            &c.spearman,
        ),
        (
            "kendall",
            "Kendall τ-b between methods",
            "方法间 Kendall τ-b",
            &c.kendall,
        ),
    ]
    .into_iter()
    .map(|(file, en, zh, m)| {
        (
            format!("rank-correlation-{file}"),
            Data {
                title: tr(lang, en, zh).into(),
                labels: c.labels.clone(),
                matrix: m.clone(),
                note: note.into(),
            },
        )
    })
    .collect()
}

/// The matrices.
pub struct MethodCorrelation;

impl Chart for MethodCorrelation {
    fn figures(&self, model: &ReportModel, lang: Lang) -> Vec<Figure> {
        data(model, lang)
            .into_iter()
            .map(|(file, d)| {
                Figure::new(
                    ChartKind::MethodCorrelation,
                    file,
                    &d.title,
                    None,
                    &d,
                    correlation::render,
                )
            })
            .collect()
    }
}
