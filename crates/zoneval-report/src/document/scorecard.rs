//! One scorecard per zone: its place, criterion sub-scores against the mean of all zones,
//! strongest and weakest indicators as percentiles, and the gap to the next grade with the
//! indicators that would close it fastest (see [`zoneval_core::explain`]).

use super::{Block, Cell, Span, Table, num, tr, val, zone_anchor};
use crate::charts::{ChartKind, DETAILED, Figure, palette, radar};
use crate::model::{ReportModel, ZoneRow};
use zoneval_core::error::Lang;
use zoneval_core::explain::{GapNote, Standing};

fn standing(model: &ReportModel, s: &Standing, lang: Lang) -> Vec<Span> {
    let ind = &model.indicators[s.indicator];
    let unit = ind
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let pct = match (lang, s.percentile) {
        (Lang::En, p) if p >= 100.0 => " — the best of all zones".to_string(),
        (Lang::En, p) if p <= 0.0 => " — the lowest of all zones".to_string(),
        (Lang::En, p) => format!(" — better than {p:.0}% of zones"),
        (Lang::Zh, p) if p >= 100.0 => "，全部开发区中最好".to_string(),
        (Lang::Zh, p) if p <= 0.0 => "，全部开发区中最低".to_string(),
        (Lang::Zh, p) => format!("，优于 {p:.0}% 的开发区"),
    };
    vec![
        Span::Text(format!("{}{}", ind.named.get(lang), tr(lang, ": ", "："))),
        Span::Strong(format!("{}{unit}", val(s.raw))),
        Span::Text(pct),
    ]
}

/// Zone `k`'s scorecard; `axes` are the radar's, `ranked` the number of ranked zones.
fn card(
    model: &ReportModel,
    k: usize,
    z: &ZoneRow,
    charts: &[Figure],
    lang: Lang,
    axes: &radar::Axes,
    ranked: usize,
) -> Vec<Block> {
    let mut out = Vec::new();
    let title = match z.rank {
        Some(r) => format!("{r}. {}", z.name),
        None => format!("— {}", z.name),
    };
    out.push(Block::Heading(3, title, zone_anchor(k)));
    // Items of the summary line, joined by " · ".
    let mut items: Vec<Vec<Span>> = Vec::new();
    if let Some(score) = z.score {
        items.push(vec![
            Span::Text(tr(lang, "Score ", "得分 ").into()),
            Span::Strong(format!("{score:.2}")),
        ]);
    }
    if z.grade.is_some() {
        items.push(vec![
            Span::Text(tr(lang, "grade ", "等级 ").into()),
            Span::Badge(
                model.grade_name(z, lang),
                palette::grade(z.grade, model.grades.len()).into(),
            ),
        ]);
    }
    items.push(vec![Span::Text(match (lang, z.rank) {
        (Lang::En, Some(r)) => format!("rank {r} of {ranked}"),
        (Lang::Zh, Some(r)) => format!("排名 {r}/{ranked}"),
        (Lang::En, None) => "not ranked".into(),
        (Lang::Zh, None) => "不参与排名".into(),
    })]);
    for g in &z.groups {
        let r = g.rank.map(|r| format!(" #{r}")).unwrap_or_default();
        items.push(vec![Span::Text(format!("{} {}{r}", g.column, g.group))]);
    }
    items.push(vec![
        Span::Text(format!("{} ", tr(lang, "id", "代码"))),
        Span::Code(z.id.clone()),
    ]);
    let mut line: Vec<Span> = Vec::new();
    for (k, item) in items.into_iter().enumerate() {
        if k > 0 {
            line.push(Span::Text(" · ".into()));
        }
        line.extend(item);
    }
    out.push(Block::Para(line));
    if z.vetoed {
        let reasons: Vec<String> = z
            .veto_reasons
            .iter()
            .map(|r| {
                let v = r
                    .value
                    .map_or_else(|| tr(lang, "no data", "无数据").to_string(), val);
                format!("{} ({v}, {})", r.name, r.requirement)
            })
            .collect();
        out.push(Block::Para(vec![
            Span::Strong(tr(lang, "Failed gate", "未通过门槛").into()),
            Span::Text(format!("{}{}", tr(lang, ": ", "："), reasons.join("; "))),
        ]));
    }
    if !z.peers.is_empty() {
        // DEA: the frontier zones this zone is projected on, with their λ.
        let peers: Vec<String> = z
            .peers
            .iter()
            .map(|p| {
                let year = p.year.map(|y| format!(" {y}")).unwrap_or_default();
                format!("{} ({}{year}) λ = {}", p.name, p.id, num(Some(p.lambda), 3))
            })
            .collect();
        out.push(Block::Para(vec![
            Span::Strong(tr(lang, "Peers on the frontier", "参照开发区（前沿面）").into()),
            Span::Text(format!("{}{}", tr(lang, ": ", "："), peers.join("; "))),
        ]));
    }
    let Some(ex) = &z.explanation else {
        return out;
    };
    // Sub-scores against the mean, beside the radar.
    let (axes, means) = axes;
    let values = radar::values(model, z);
    let mut t = Table {
        header: vec![
            if model.hierarchical() {
                tr(lang, "Criterion", "准则")
            } else {
                tr(lang, "Indicator", "指标")
            }
            .into(),
            tr(lang, "Score", "得分").into(),
            tr(lang, "Mean", "均值").into(),
            "±".into(),
        ],
        rows: Vec::new(),
        numeric: vec![false, true, true, true],
    };
    for ((a, v), m) in axes.iter().zip(&values).zip(means) {
        let diff = match (v, m) {
            (Some(v), Some(m)) => format!("{:+.1}", v - m),
            _ => "—".into(),
        };
        t.rows.push(vec![
            a.clone().into(),
            num(*v, 1).into(),
            num(*m, 1).into(),
            Cell::from(diff),
        ]);
    }
    let mut left = vec![Block::Table(t)];
    if !ex.strongest.is_empty() {
        left.push(Block::Para(vec![Span::Strong(
            tr(lang, "Strongest indicators", "优势指标").into(),
        )]));
        left.push(Block::List(
            ex.strongest
                .iter()
                .map(|s| standing(model, s, lang))
                .collect(),
        ));
    }
    if !ex.weakest.is_empty() {
        left.push(Block::Para(vec![Span::Strong(
            tr(lang, "Weakest indicators", "短板指标").into(),
        )]));
        left.push(Block::List(
            ex.weakest
                .iter()
                .map(|s| standing(model, s, lang))
                .collect(),
        ));
    }
    let radar = charts
        .iter()
        .find(|c| c.kind == ChartKind::Radar && c.zone.as_deref() == Some(z.id.as_str()))
        .map(|c| vec![Block::Figure(c.file.clone())]);
    match radar {
        Some(r) => out.push(Block::Columns(vec![left, r])),
        None => out.extend(left),
    }
    out.extend(gap(model, z, lang));
    out
}

fn gap(model: &ReportModel, z: &ZoneRow, lang: Lang) -> Vec<Block> {
    let Some(ex) = &z.explanation else {
        return Vec::new();
    };
    let Some(g) = &ex.next_grade else {
        if z.grade == Some(0) {
            return vec![Block::Para(vec![Span::Text(
                tr(lang, "In the top grade.", "已处于最高等级。").into(),
            )])];
        }
        return Vec::new();
    };
    let grade = model.grades[g.grade].get(lang);
    let mut out = Vec::new();
    // The colon stays outside the bold text: CommonMark does not close `**` between a
    // punctuation mark and a letter, which CJK text would otherwise hit.
    let head = match lang {
        Lang::En => format!("Next grade {grade} (from {})", val(g.min)),
        Lang::Zh => format!("距上一等级“{grade}”（{} 分起）", val(g.min)),
    };
    let colon = tr(lang, ": ", "：");
    match &g.note {
        Some(GapNote::VetoCapped) => {
            out.push(Block::Para(vec![
                Span::Strong(head),
                Span::Text(colon.into()),
                Span::Text(
                    tr(
                        lang,
                        "the score already earns it; the grade is capped by the failed gate.",
                        "得分已达到，因未通过否决门槛而被限定为最低等级。",
                    )
                    .into(),
                ),
            ]));
            return out;
        }
        Some(GapNote::OverBudget { method, .. }) => {
            out.push(Block::Para(vec![
                Span::Strong(head),
                Span::Text(colon.into()),
                Span::Text(match lang {
                    Lang::En => format!("{:.2} points short. (Which indicators would close the gap was not computed: re-running `{method}` for every zone and indicator is too costly at this size.)", g.gap),
                    Lang::Zh => format!("差 {:.2} 分。（数据规模较大，逐区逐指标重算 `{method}` 代价过高，未计算补齐差距的指标。）", g.gap),
                }),
            ]));
            return out;
        }
        None => {}
    }
    out.push(Block::Para(vec![
        Span::Strong(head),
        Span::Text(colon.into()),
        Span::Text(match lang {
            Lang::En => format!("{:.2} points short.", g.gap),
            Lang::Zh => format!("差 {:.2} 分。", g.gap),
        }),
    ]));
    if g.closers.is_empty() {
        out.push(Block::Para(vec![Span::Text(
            tr(
                lang,
                "No single indicator closes the gap, even at the best value of any zone.",
                "任何单项指标即使达到全部开发区中的最好水平，也不足以补齐差距。",
            )
            .into(),
        )]));
    } else {
        out.push(Block::Para(vec![Span::Text(
            tr(
                lang,
                "Fastest single indicators (others and the weights unchanged; share = how far from the zone's value toward the best zone's):",
                "单项指标最快补齐路径（其他指标与权重不变；比例为从本区现值向最优开发区值移动的程度）：",
            )
            .into(),
        )]));
        let items = g
            .closers
            .iter()
            .map(|c| {
                let ind = &model.indicators[c.indicator];
                let unit = ind
                    .unit
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default();
                match lang {
                    Lang::En => vec![
                        Span::Text(format!(
                            "{}: from {} to ",
                            ind.named.get(lang),
                            val(c.raw_now)
                        )),
                        Span::Strong(format!("{}{unit}", val(c.raw_needed))),
                        Span::Text(format!(
                            " ({:.0}% of the way to the best, {})",
                            c.share * 100.0,
                            val(c.raw_best)
                        )),
                    ],
                    Lang::Zh => vec![
                        Span::Text(format!(
                            "{}：由 {} 提升至 ",
                            ind.named.get(lang),
                            val(c.raw_now)
                        )),
                        Span::Strong(format!("{}{unit}", val(c.raw_needed))),
                        Span::Text(format!(
                            "（向最优值 {} 移动 {:.0}%）",
                            val(c.raw_best),
                            c.share * 100.0
                        )),
                    ],
                }
            })
            .collect();
        out.push(Block::List(items));
    }
    if let Some(t) = g.all_at_once {
        out.push(Block::Para(vec![Span::Text(match lang {
            Lang::En => format!(
                "Or every indicator {:.0}% of the way toward the best zone's value at once.",
                t * 100.0
            ),
            Lang::Zh => format!("或全部指标同时向最优值移动 {:.0}%。", t * 100.0),
        })]));
    }
    out
}

/// Every zone's scorecard, in ranking order.
pub fn section(model: &ReportModel, charts: &[Figure], lang: Lang) -> Vec<Block> {
    let mut out = vec![Block::Para(vec![Span::Text(
        tr(
            lang,
            "Percentiles compare a zone with all ranked zones on the normalised value (100 = best). The gap to the next grade assumes the weights and the other zones stay as they are.",
            "百分位为本区在全部参与排名开发区中的位置（按标准化值，100 为最好）。距上一等级的测算假定权重及其他开发区不变。",
        )
        .into(),
    )])];
    let axes = radar::axes(model, lang);
    let ranked = model.ranked().count();
    for (k, z) in model.zones.iter().enumerate().take(DETAILED) {
        let card = card(model, k, z, charts, lang, &axes, ranked);
        out.push(Block::Group("scorecard", card));
    }
    out
}
