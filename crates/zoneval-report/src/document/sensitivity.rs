//! The sensitivity section, for whichever analyses were run.

use super::{Block, Span, Table, tr};
use crate::charts::tornado::factor_name;
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

/// The section (empty when no analysis was run).
pub fn section(model: &ReportModel, charts: &[Figure], lang: Lang) -> Vec<Block> {
    let Some(s) = &model.sensitivity else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(mc) = &s.monte_carlo {
        out.push(Block::Heading(
            3,
            tr(lang, "Monte Carlo over the weights", "权重蒙特卡洛模拟").into(),
            "monte-carlo".into(),
        ));
        out.push(Block::Para(vec![Span::Text(match lang {
            Lang::En => format!(
                "{} samples (seed {}). Mean Spearman correlation with the base ranking {:.3}, Kendall τ {:.3}; mean absolute rank shift {:.2}.",
                mc.samples, mc.seed, mc.spearman, mc.kendall, mc.mean_rank_shift
            ),
            Lang::Zh => format!(
                "抽样 {} 次（随机种子 {}）。与基准排名的平均 Spearman 相关系数 {:.3}，Kendall τ {:.3}；平均绝对名次变动 {:.2}。",
                mc.samples, mc.seed, mc.spearman, mc.kendall, mc.mean_rank_shift
            ),
        })]));
        out.extend(figures(charts, ChartKind::Intervals));
        let rows = mc
            .zones
            .iter()
            .map(|z| {
                vec![
                    z.base_rank.to_string().into(),
                    z.name.clone().into(),
                    format!("{:.2}", z.mean_rank).into(),
                    format!("{:.1}", z.p05).into(),
                    format!("{:.1}", z.p50).into(),
                    format!("{:.1}", z.p95).into(),
                    format!("{:.1}%", z.p_top * 100.0).into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Base rank", "基准排名").into(),
                tr(lang, "Zone", "开发区").into(),
                tr(lang, "Mean rank", "平均名次").into(),
                "P5".into(),
                "P50".into(),
                "P95".into(),
                match lang {
                    Lang::En => format!("Top {}", mc.top),
                    Lang::Zh => format!("进入前 {}", mc.top),
                },
            ],
            rows,
            numeric: vec![true, false, true, true, true, true, true],
        }));
        out.extend(figures(charts, ChartKind::Acceptability));
    }
    if let Some(sobol) = &s.sobol {
        out.push(Block::Heading(
            3,
            tr(lang, "Sobol indices", "Sobol 全局敏感性").into(),
            "sobol".into(),
        ));
        out.push(Block::Para(vec![Span::Text(match lang {
            Lang::En => format!(
                "{} base points, factors: {}. Output: the mean absolute rank shift of all zones.",
                sobol.samples,
                sobol.factors.len()
            ),
            Lang::Zh => format!(
                "基点 {} 个，因子 {} 个。输出：全部开发区的平均绝对名次变动。",
                sobol.samples,
                sobol.factors.len()
            ),
        })]));
        out.extend(figures(charts, ChartKind::Sobol));
    }
    if let Some(oat) = &s.oat {
        out.push(Block::Heading(
            3,
            tr(lang, "One weight at a time", "单因素权重扰动").into(),
            "oat".into(),
        ));
        out.extend(figures(charts, ChartKind::Tornado));
        let rows = oat
            .factors
            .iter()
            .map(|f| {
                vec![
                    factor_name(model, &f.id, lang).into(),
                    format!("{:.4}", f.base_weight).into(),
                    f.max_rank_change.to_string().into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Factor", "因子").into(),
                tr(lang, "Base weight", "基准权重").into(),
                tr(lang, "Largest rank change", "最大名次变动").into(),
            ],
            rows,
            numeric: vec![false, true, true],
        }));
    }
    if let Some(st) = &s.stability {
        out.push(Block::Heading(
            3,
            tr(lang, "Weight stability intervals", "权重稳定区间").into(),
            "stability".into(),
        ));
        out.push(Block::Para(vec![Span::Text(match lang {
            Lang::En => format!("The range of each weight (others rescaled proportionally) within which the top-{} order stays the same.", st.top),
            Lang::Zh => format!("各权重在其他权重按比例调整时、前 {} 名顺序保持不变的取值区间。", st.top),
        })]));
        let rows = st
            .factors
            .iter()
            .map(|f| {
                vec![
                    factor_name(model, &f.id, lang).into(),
                    format!("{:.4}", f.base_weight).into(),
                    format!("{:.4}", f.low).into(),
                    format!("{:.4}", f.high).into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Factor", "因子").into(),
                tr(lang, "Base weight", "基准权重").into(),
                tr(lang, "Lowest", "下限").into(),
                tr(lang, "Highest", "上限").into(),
            ],
            rows,
            numeric: vec![false, true, true, true],
        }));
    }
    if let Some(rr) = &s.rank_reversal {
        out.push(Block::Heading(
            3,
            tr(lang, "Rank reversal", "排序逆转检验").into(),
            "rank-reversal".into(),
        ));
        out.push(Block::Para(vec![Span::Text(match lang {
            Lang::En => format!(
                "{} changes tried (removing or copying a zone); {} pairs changed order.",
                rr.checks,
                rr.reversals.len()
            ),
            Lang::Zh => format!(
                "共检验 {} 种变动（删除或复制一个开发区）；{} 对开发区顺序发生逆转。",
                rr.checks,
                rr.reversals.len()
            ),
        })]));
        let name = |id: &str| {
            model
                .zones
                .iter()
                .find(|z| z.id == id)
                .map_or_else(|| id.to_string(), |z| z.name.clone())
        };
        let items: Vec<Vec<Span>> = rr
            .reversals
            .iter()
            .take(50)
            .map(|r| {
                vec![
                    Span::Code(r.change.clone()),
                    Span::Text(format!(": {} ⇄ {}", name(&r.pair.0), name(&r.pair.1))),
                ]
            })
            .collect();
        if !items.is_empty() {
            out.push(Block::List(items));
        }
    }
    out
}
