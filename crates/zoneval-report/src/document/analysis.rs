//! The audit and comparison sections, written when the report comes from `zoneval audit
//! --report` or `zoneval compare --report`.

use super::{Block, Span, Table, num, tr};
use crate::charts::{ChartKind, Figure};
use crate::model::ReportModel;
use zoneval_core::error::Lang;

fn figures(charts: &[Figure], kind: ChartKind) -> Vec<Block> {
    charts
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| Block::Figure(c.file.clone()))
        .collect()
}

/// The audit section (empty without an audit).
pub fn audit(model: &ReportModel, charts: &[Figure], lang: Lang) -> Vec<Block> {
    let Some(a) = &model.audit else {
        return Vec::new();
    };
    let mut out = vec![Block::Para(vec![Span::Text(
        tr(
            lang,
            "Statistical checks of the indicator system on this data, with the thresholds of the OECD/JRC Handbook on Constructing Composite Indicators: coverage below 65 %, |skewness| above 2 with kurtosis above 3.5, Cronbach's α below 0.7, |r| with zone size above 0.7; pairs with r above 0.9 may double count, below −0.3 conflict.",
            "按 OECD/JRC《综合指数构建手册》的阈值对指标体系进行统计检验：覆盖率低于 65%，偏度绝对值大于 2 且峰度大于 3.5，Cronbach's α 低于 0.7，与规模相关系数绝对值大于 0.7；相关系数高于 0.9 的指标对可能重复计算，低于 −0.3 的方向冲突。",
        )
        .into(),
    )])];
    if a.flags.is_empty() {
        out.push(Block::Para(vec![Span::Text(
            tr(lang, "No flags.", "无提示。").into(),
        )]));
    } else {
        out.push(Block::List(
            a.flags
                .iter()
                .map(|f| {
                    vec![
                        Span::Code(f.kind.clone()),
                        Span::Text(format!(" {}", f.message.get(lang))),
                    ]
                })
                .collect(),
        ));
    }
    let mut header: Vec<String> = vec![
        tr(lang, "Indicator", "指标").into(),
        tr(lang, "Coverage", "覆盖率").into(),
        tr(lang, "Skewness", "偏度").into(),
        tr(lang, "Kurtosis", "峰度").into(),
    ];
    let size = a.size_column.is_some();
    if size {
        header.push(tr(lang, "Size r", "规模相关 r").into());
    }
    header.push(tr(lang, "Nominal weight", "名义权重").into());
    header.push(tr(lang, "Effective weight", "有效权重").into());
    let rows = a
        .indicators
        .iter()
        .map(|i| {
            let mut r = vec![
                i.named.get(lang).to_string().into(),
                num(Some(i.coverage), 2).into(),
                num(i.skewness, 2).into(),
                num(i.kurtosis, 2).into(),
            ];
            if size {
                r.push(num(i.size_correlation, 2).into());
            }
            r.push(num(Some(i.nominal_weight), 4).into());
            r.push(num(i.effective_weight, 4).into());
            r
        })
        .collect();
    let n = header.len();
    out.push(Block::Table(Table {
        header,
        rows,
        numeric: (0..n).map(|k| k > 0).collect(),
    }));
    out.extend(figures(charts, ChartKind::EffectiveWeights));
    let rows = a
        .criteria
        .iter()
        .map(|c| {
            let alpha = match (c.cronbach_alpha, c.alpha_undefined.as_deref()) {
                (Some(x), _) => format!("{x:.3}"),
                (None, Some("one-indicator")) => {
                    tr(lang, "undefined (one indicator)", "无定义（仅一个指标）").into()
                }
                _ => tr(lang, "undefined", "无定义").into(),
            };
            vec![
                c.named.get(lang).to_string().into(),
                c.indicators.len().to_string().into(),
                alpha.into(),
                num(c.pc1_share, 3).into(),
                c.redundant_pairs.to_string().into(),
                c.conflicting_pairs.to_string().into(),
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        header: vec![
            tr(lang, "Criterion", "准则").into(),
            tr(lang, "Indicators", "指标数").into(),
            "Cronbach α".into(),
            tr(lang, "PC1 share", "第一主成分占比").into(),
            tr(lang, "Redundant pairs", "冗余指标对").into(),
            tr(lang, "Conflicting pairs", "冲突指标对").into(),
        ],
        rows,
        numeric: vec![false, true, true, true, true, true],
    }));
    out.extend(figures(charts, ChartKind::AuditCorrelation));
    out
}

/// The comparison section (empty without a comparison).
pub fn compare(model: &ReportModel, charts: &[Figure], lang: Lang) -> Vec<Block> {
    let Some(c) = &model.compare else {
        return Vec::new();
    };
    let mut out = vec![Block::Para(vec![Span::Text(
        tr(
            lang,
            "The ranks under each method side by side. Borda = Σ (n − rank) over the methods; Copeland = pairwise majority wins − losses; the compromise rank orders by Borda, then Copeland.",
            "各方法下的排名对照。Borda = 各方法 (n − 名次) 之和；Copeland = 两两多数比较的胜场减负场；综合排名先按 Borda，再按 Copeland。",
        )
        .into(),
    )])];
    out.extend(figures(charts, ChartKind::Bump));
    let mut header: Vec<String> = vec![
        tr(lang, "Rank", "排名").into(),
        tr(lang, "Zone", "开发区").into(),
    ];
    header.extend(c.labels.iter().cloned());
    if c.systems {
        let g = tr(lang, "grade", "等级");
        header.extend(c.labels.iter().map(|l| format!("{l} {g}")));
    }
    header.extend([
        "Borda".to_string(),
        "Copeland".into(),
        tr(lang, "Range", "名次范围").into(),
    ]);
    let rows = c
        .zones
        .iter()
        .map(|z| {
            let mut r: Vec<super::Cell> = vec![z.rank.to_string().into(), z.name.clone().into()];
            r.extend(z.ranks.iter().map(|k| k.to_string().into()));
            if c.systems {
                r.extend(
                    z.grades
                        .iter()
                        .map(|g| g.clone().unwrap_or_default().into()),
                );
            }
            r.push(z.borda.to_string().into());
            r.push(z.copeland.to_string().into());
            r.push(format!("{}–{}", z.best, z.worst).into());
            r
        })
        .collect();
    let n = header.len();
    let labels = c.labels.len();
    out.push(Block::Table(Table {
        header,
        rows,
        numeric: (0..n)
            .map(|k| k != 1 && !(c.systems && k >= 2 + labels && k < 2 + 2 * labels))
            .collect(),
    }));
    out.extend(figures(charts, ChartKind::MethodCorrelation));
    out
}
