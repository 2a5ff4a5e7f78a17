//! Data-quality notes: filled cells, treated outliers, dropped zones, warnings, and notes of
//! the rendering itself (fonts).

use super::{Block, Span, Table, tr, val};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

fn name_of(model: &ReportModel, id: &str) -> String {
    model
        .zones
        .iter()
        .find(|z| z.id == id)
        .map_or_else(|| id.to_string(), |z| z.name.clone())
}

fn indicator_of(model: &ReportModel, id: &str, lang: Lang) -> String {
    model
        .indicators
        .iter()
        .find(|i| i.named.id == id)
        .map_or_else(|| id.to_string(), |i| i.named.get(lang).to_string())
}

/// The section (never empty: it says so when there is nothing to note).
pub fn section(model: &ReportModel, lang: Lang, notes: &[String]) -> Vec<Block> {
    let q = &model.quality;
    let mut out = Vec::new();
    if !q.imputed.is_empty() {
        out.push(Block::Heading(
            3,
            tr(lang, "Filled cells", "缺失值填补").into(),
            "imputed".into(),
        ));
        let rows = q
            .imputed
            .iter()
            .map(|i| {
                vec![
                    name_of(model, &i.zone).into(),
                    indicator_of(model, &i.indicator, lang).into(),
                    val(i.value).into(),
                    i.method.clone().into(),
                    i.location.clone().into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Zone", "开发区").into(),
                tr(lang, "Indicator", "指标").into(),
                tr(lang, "Value used", "填补值").into(),
                tr(lang, "Method", "方法").into(),
                tr(lang, "Cell", "位置").into(),
            ],
            rows,
            numeric: vec![false, false, true, false, false],
        }));
    }
    if !q.treated.is_empty() {
        out.push(Block::Heading(
            3,
            tr(lang, "Treated outliers", "异常值处理").into(),
            "treated".into(),
        ));
        // One row per indicator and method: a log transform changes the whole column, so
        // listing every cell says nothing; a few winsorised cells are listed.
        let rows = q
            .treated
            .iter()
            .map(|g| {
                let (ind, method, cells) = (&g.indicator, &g.method, &g.cells);
                let detail = if method == "log" {
                    tr(
                        lang,
                        "ln(x − min + 1) on the whole column",
                        "整列取 ln(x − min + 1)",
                    )
                    .to_string()
                } else {
                    let list: Vec<String> = cells
                        .iter()
                        .take(5)
                        .map(|t| {
                            format!(
                                "{} {} → {}",
                                name_of(model, &t.zone),
                                val(t.from),
                                val(t.to)
                            )
                        })
                        .collect();
                    let more = g.count.saturating_sub(5);
                    let tail = if more > 0 {
                        format!(" … (+{more})")
                    } else {
                        String::new()
                    };
                    format!("{}{tail}", list.join(tr(lang, "; ", "；")))
                };
                vec![
                    indicator_of(model, ind, lang).into(),
                    method.to_string().into(),
                    g.count.to_string().into(),
                    detail.into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Indicator", "指标").into(),
                tr(lang, "Method", "方法").into(),
                tr(lang, "Values", "涉及值数").into(),
                tr(lang, "Detail", "说明").into(),
            ],
            rows,
            numeric: vec![false, false, true, false],
        }));
        out.push(Block::Para(vec![Span::Text(
            tr(
                lang,
                "Scorecards and tables show values in the data's own units; the methods work on the treated values.",
                "评分卡与表格中的数值为数据原始单位；评价方法使用处理后的数值。",
            )
            .into(),
        )]));
    }
    if !q.dropped.is_empty() {
        out.push(Block::Heading(
            3,
            tr(lang, "Zones left out", "剔除的开发区").into(),
            "dropped".into(),
        ));
        out.push(Block::List(
            q.dropped
                .iter()
                .map(|d| {
                    let miss: Vec<String> = d
                        .missing
                        .iter()
                        .map(|m| indicator_of(model, m, lang))
                        .collect();
                    vec![
                        Span::Strong(d.name.clone()),
                        Span::Text(format!(
                            " — {}{}",
                            tr(lang, "missing: ", "缺失："),
                            miss.join(", ")
                        )),
                    ]
                })
                .collect(),
        ));
    }
    let mut items: Vec<Vec<Span>> = q
        .warnings
        .iter()
        .map(|w| vec![Span::Text(w.get(lang).to_string())])
        .collect();
    items.extend(notes.iter().map(|n| vec![Span::Text(n.clone())]));
    if !items.is_empty() {
        out.push(Block::Heading(
            3,
            tr(lang, "Warnings", "警告").into(),
            "warnings".into(),
        ));
        out.push(Block::List(items));
    }
    if out.is_empty() {
        out.push(Block::Para(vec![Span::Text(
            tr(
                lang,
                "No cells were filled or treated and there were no warnings.",
                "无缺失值填补、无异常值处理，亦无警告。",
            )
            .into(),
        )]));
    }
    out
}
