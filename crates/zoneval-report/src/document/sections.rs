//! The summary, ranking, group, year, indicator and specification sections.

use super::{Block, Cell, Span, Table, num, tr, val, zone_anchor};
use crate::charts::DETAILED;
use crate::charts::{boxplot::quantile, palette};
use crate::model::{ReportModel, ZoneRow};
use zoneval_core::error::Lang;

fn grade_cell(model: &ReportModel, z: &ZoneRow, lang: Lang) -> Cell {
    Cell {
        text: model.grade_name(z, lang),
        color: z
            .grade
            .map(|_| palette::grade(z.grade, model.grades.len()).to_string()),
        link: None,
    }
}

fn direction(d: &str, lang: Lang) -> String {
    match (lang, d) {
        (Lang::Zh, "benefit") => "正向".into(),
        (Lang::Zh, "cost") => "逆向".into(),
        (Lang::Zh, "target") => "适度（目标值）".into(),
        (Lang::Zh, "range") => "适度（区间）".into(),
        _ => d.to_string(),
    }
}

/// Summary: what was evaluated, how, the grade distribution and the weights.
pub fn summary(model: &ReportModel, lang: Lang, treemap: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let ranked = model.ranked().count();
    let vetoed = model.zones.iter().filter(|z| z.vetoed).count();
    let total = model.zones.len();
    let norm = model
        .method
        .normalization
        .clone()
        .unwrap_or_else(|| tr(lang, "intrinsic to the aggregation", "集成方法自带").into());
    let year = model.year.map_or_else(
        || tr(lang, "no year column", "无年份").to_string(),
        |y| y.to_string(),
    );
    out.push(Block::Para(match lang {
        Lang::En => vec![
            Span::Text(format!(
                "{total} zones evaluated ({ranked} ranked, {vetoed} failing a gate); data year "
            )),
            Span::Strong(year),
            Span::Text(". Normalisation ".into()),
            Span::Code(norm),
            Span::Text(", weighting ".into()),
            Span::Code(model.method.weighting.clone()),
            Span::Text(", aggregation ".into()),
            Span::Code(model.method.aggregation.clone()),
            Span::Text(format!("; scores run 0–{}; a failed gate: ", model.scale)),
            Span::Code(model.method.veto.clone()),
            Span::Text("; missing cells: ".into()),
            Span::Code(model.method.missing.clone()),
            Span::Text(".".into()),
        ],
        Lang::Zh => vec![
            Span::Text(format!(
                "共评价 {total} 个开发区（参与排名 {ranked} 个，未通过门槛 {vetoed} 个）；数据年份 "
            )),
            Span::Strong(year),
            Span::Text("。标准化 ".into()),
            Span::Code(norm),
            Span::Text("，赋权 ".into()),
            Span::Code(model.method.weighting.clone()),
            Span::Text("，集成 ".into()),
            Span::Code(model.method.aggregation.clone()),
            Span::Text(format!("；得分范围 0–{}；否决处理方式 ", model.scale)),
            Span::Code(model.method.veto.clone()),
            Span::Text("；缺失值处理 ".into()),
            Span::Code(model.method.missing.clone()),
            Span::Text("。".into()),
        ],
    }));
    if let Some(d) = &model.description {
        out.push(Block::Para(vec![Span::Text(d.clone())]));
    }
    let top: Vec<Span> = model
        .ranked()
        .take(3)
        .enumerate()
        .flat_map(|(i, z)| {
            let k = model.zones.iter().position(|o| o.id == z.id).unwrap_or(0);
            let sep = if i == 0 {
                String::new()
            } else {
                tr(lang, ", ", "、").to_string()
            };
            [
                Span::Text(sep),
                Span::Link(
                    format!("{} ({:.1})", z.name, z.score.unwrap_or(0.0)),
                    zone_anchor(k),
                ),
            ]
        })
        .collect();
    if !top.is_empty() {
        let mut p = vec![
            Span::Strong(tr(lang, "Leading zones", "排名前列").into()),
            Span::Text(tr(lang, ": ", "：").into()),
        ];
        p.extend(top);
        out.push(Block::Para(p));
    }
    if !model.grades.is_empty() {
        let mut t = Table {
            header: vec![
                tr(lang, "Grade", "等级").into(),
                tr(lang, "Score from", "得分下限").into(),
                tr(lang, "Zones", "开发区数").into(),
                tr(lang, "Share", "占比").into(),
            ],
            rows: Vec::new(),
            numeric: vec![false, true, true, true],
        };
        for (g, info) in model.grades.iter().enumerate() {
            let count = model.ranked().filter(|z| z.grade == Some(g)).count();
            t.rows.push(vec![
                Cell {
                    text: info.get(lang).into(),
                    color: Some(palette::grade(Some(g), model.grades.len()).into()),
                    link: None,
                },
                val(info.min).into(),
                count.to_string().into(),
                format!("{:.1}%", 100.0 * count as f64 / ranked.max(1) as f64).into(),
            ]);
        }
        out.push(Block::Heading(
            3,
            tr(lang, "Grades", "等级分布").into(),
            "grades".into(),
        ));
        out.push(Block::Table(t));
    }
    out.push(Block::Heading(
        3,
        tr(lang, "Indicators and weights", "指标与权重").into(),
        "weights".into(),
    ));
    out.push(Block::Table(weights_table(model, lang)));
    if !model.consistency.is_empty() {
        let mut t = Table {
            header: vec![
                tr(lang, "AHP node", "AHP 判断节点").into(),
                "λmax".into(),
                "CI".into(),
                "CR".into(),
            ],
            rows: Vec::new(),
            numeric: vec![false, true, true, true],
        };
        for c in &model.consistency {
            t.rows.push(vec![
                c.node.clone().into(),
                format!("{:.4}", c.lambda_max).into(),
                format!("{:.4}", c.ci).into(),
                format!("{:.4}", c.cr).into(),
            ]);
        }
        out.push(Block::Table(t));
    }
    if treemap {
        out.push(Block::Figure("weights".into()));
    }
    out.push(Block::Para(vec![Span::Text(
        tr(lang, "Reproduce with: ", "复现命令：").into(),
    )]));
    out.push(Block::Code("sh".into(), model.spec.command(model.year)));
    out.push(Block::Para(vec![Span::Text(
        tr(
            lang,
            "The full indicator system file is reproduced in the Specification section.",
            "完整的指标体系文件见“评价设定”一节。",
        )
        .into(),
    )]));
    out
}

/// Criteria and indicators with their final weights, in tree order.
fn weights_table(model: &ReportModel, lang: Lang) -> Table {
    let mut t = Table {
        header: vec![
            tr(lang, "Criterion / indicator", "准则 / 指标").into(),
            "id".into(),
            tr(lang, "Unit", "单位").into(),
            tr(lang, "Direction", "方向").into(),
            tr(lang, "Normalisation", "标准化").into(),
            tr(lang, "Weight", "权重").into(),
        ],
        rows: Vec::new(),
        numeric: vec![false, false, false, false, false, true],
    };
    // Depth-first from the root, children in file order.
    let mut stack: Vec<usize> = model
        .nodes
        .first()
        .map_or_else(Vec::new, |r| r.children.iter().rev().copied().collect());
    while let Some(k) = stack.pop() {
        let node = &model.nodes[k];
        let indent = "　".repeat(node.depth.saturating_sub(1));
        match node.indicator {
            Some(j) => {
                let ind = &model.indicators[j];
                t.rows.push(vec![
                    format!("{indent}{}", ind.named.get(lang)).into(),
                    ind.named.id.clone().into(),
                    ind.unit.clone().unwrap_or_default().into(),
                    direction(&ind.direction, lang).into(),
                    ind.normalization.clone().into(),
                    format!("{:.4}", ind.weight).into(),
                ]);
            }
            None => {
                t.rows.push(vec![
                    format!("{indent}{}", node.named.get(lang)).into(),
                    node.named.id.clone().into(),
                    String::new().into(),
                    String::new().into(),
                    String::new().into(),
                    format!("{:.4}", node.weight).into(),
                ]);
            }
        }
        stack.extend(node.children.iter().rev());
    }
    t
}

/// The ranking table and the list of vetoed zones.
pub fn ranking(model: &ReportModel, lang: Lang) -> Vec<Block> {
    let top = model.top_criteria();
    let mut header: Vec<String> = vec![
        tr(lang, "Rank", "排名").into(),
        tr(lang, "Zone", "开发区").into(),
        tr(lang, "Score", "得分").into(),
    ];
    let mut numeric = vec![true, false, true];
    if !model.grades.is_empty() {
        header.push(tr(lang, "Grade", "等级").into());
        numeric.push(false);
    }
    for &k in &top {
        header.push(model.nodes[model.criteria[k]].named.get(lang).into());
        numeric.push(true);
    }
    // Group ranks are in the group section (and the xlsx); here they would make the table
    // too wide for a page.
    header.push(tr(lang, "Flags", "标记").into());
    numeric.push(false);
    let mut rows = Vec::new();
    for (k, z) in model.zones.iter().enumerate() {
        let mut row: Vec<Cell> = vec![
            z.rank.map_or_else(|| "—".into(), |r| r.to_string()).into(),
            Cell {
                text: z.name.clone(),
                color: None,
                link: (k < DETAILED).then(|| zone_anchor(k)),
            },
            num(z.score, 2).into(),
        ];
        if !model.grades.is_empty() {
            row.push(grade_cell(model, z, lang));
        }
        for &c in &top {
            row.push(num(z.criteria[c], 1).into());
        }
        let mut flags = Vec::new();
        if z.vetoed {
            flags.push(tr(lang, "veto", "否决"));
        }
        if z.watch {
            flags.push(tr(lang, "watch", "警示"));
        }
        row.push(flags.join(" ").into());
        rows.push(row);
    }
    let mut out = vec![Block::Table(Table {
        header,
        rows,
        numeric,
    })];
    let vetoed: Vec<Vec<Span>> = model
        .zones
        .iter()
        .filter(|z| z.vetoed)
        .map(|z| {
            let reasons: Vec<String> = z
                .veto_reasons
                .iter()
                .map(|r| {
                    let v = r
                        .value
                        .map_or_else(|| tr(lang, "no data", "无数据").to_string(), val);
                    match lang {
                        Lang::En => format!("{}: {v}, required {}", r.name, r.requirement),
                        Lang::Zh => format!("{}：{v}，要求 {}", r.name, r.requirement),
                    }
                })
                .collect();
            vec![
                Span::Strong(z.name.clone()),
                Span::Text(format!(" — {}", reasons.join("; "))),
            ]
        })
        .collect();
    if !vetoed.is_empty() {
        let policy = match (lang, model.method.veto.as_str()) {
            (Lang::En, "exclude") => "left out of the ranking",
            (Lang::En, "grade-floor") => "ranked, given the lowest grade",
            (Lang::En, _) => "ranked and flagged",
            (Lang::Zh, "exclude") => "不参与排名",
            (Lang::Zh, "grade-floor") => "参与排名，等级定为最低",
            (Lang::Zh, _) => "参与排名并标注",
        };
        out.push(Block::Para(vec![
            Span::Strong(match lang {
                Lang::En => format!("Failed gates ({policy})"),
                Lang::Zh => format!("未通过否决门槛（{policy}）"),
            }),
            Span::Text(tr(lang, ":", "：").into()),
        ]));
        out.push(Block::List(vetoed));
    }
    if model.zones.iter().any(|z| z.watch) {
        out.push(Block::Para(vec![Span::Text(
            tr(
                lang,
                "“watch”: at the bottom of its group (the system's [report] watch list).",
                "“警示”：位于所在组末位（指标体系 [report] 的警示名单）。",
            )
            .into(),
        )]));
    }
    out
}

/// The system's scope and the zones of the year outside it (listed, not ranked).
pub fn scope(model: &ReportModel, lang: Lang) -> Vec<Block> {
    let Some(s) = &model.scope else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(line) = crate::text::scope_summary(model, lang) {
        out.push(Block::Para(vec![Span::Text(
            line.replace('\n', tr(lang, ". ", "；")),
        )]));
    }
    if let Some(n) = &s.note {
        out.push(Block::Para(vec![Span::Text(n.get(lang).to_string())]));
    }
    if !s.not_in_scope.is_empty() {
        out.push(Block::Table(Table {
            header: vec![
                "id".into(),
                tr(lang, "Zone", "开发区").into(),
                tr(lang, "Why not in scope", "不在范围内的原因").into(),
            ],
            rows: s
                .not_in_scope
                .iter()
                .map(|z| {
                    vec![
                        Cell::from(z.id.as_str()),
                        Cell::from(z.name.as_str()),
                        Cell::from(z.reason.get(lang)),
                    ]
                })
                .collect(),
            numeric: vec![false, false, false],
        }));
    }
    out
}

/// Per grouping column: a summary per group and each group's ranking.
pub fn groups(model: &ReportModel, lang: Lang) -> Vec<Block> {
    let mut out = Vec::new();
    for (c, col) in model.group_columns.iter().enumerate() {
        let mut groups: Vec<(String, Vec<&ZoneRow>)> = Vec::new();
        for z in model.ranked() {
            let Some(g) = z.groups.get(c) else { continue };
            match groups.iter_mut().find(|(k, _)| *k == g.group) {
                Some((_, v)) => v.push(z),
                None => groups.push((g.group.clone(), vec![z])),
            }
        }
        let stats = |zs: &[&ZoneRow]| -> (f64, f64) {
            let mut s: Vec<f64> = zs.iter().filter_map(|z| z.score).collect();
            s.sort_by(f64::total_cmp);
            (
                s.iter().sum::<f64>() / s.len().max(1) as f64,
                quantile(&s, 0.5),
            )
        };
        groups.sort_by(|a, b| stats(&b.1).1.total_cmp(&stats(&a.1).1).then(a.0.cmp(&b.0)));
        out.push(Block::Heading(3, col.clone(), format!("group-{}", c + 1)));
        let mut t = Table {
            header: vec![
                col.clone(),
                tr(lang, "Zones", "开发区数").into(),
                tr(lang, "Mean", "平均分").into(),
                tr(lang, "Median", "中位数").into(),
                tr(lang, "Ranking within the group", "组内排名").into(),
            ],
            rows: Vec::new(),
            numeric: vec![false, true, true, true, false],
        };
        for (g, zs) in &groups {
            let (mean, median) = stats(zs);
            let list: Vec<String> = zs
                .iter()
                .map(|z| {
                    let r = z.groups[c].rank.map_or("—".into(), |r| r.to_string());
                    format!("{r}. {} ({})", z.name, num(z.score, 1))
                })
                .collect();
            t.rows.push(vec![
                g.clone().into(),
                zs.len().to_string().into(),
                format!("{mean:.1}").into(),
                format!("{median:.1}").into(),
                list.join(tr(lang, "; ", "；")).into(),
            ]);
        }
        out.push(Block::Table(t));
    }
    out
}

/// The year-over-year section: whether scores compare across years, the charts (ranks by
/// year; scores of the leading and trailing zones when the years share one scale), and per
/// zone its rank (and score) change since the previous year with the clear/unclear flag.
pub fn years(model: &ReportModel, lang: Lang, charts: Vec<Block>) -> Vec<Block> {
    if model.years.len() < 2 {
        return Vec::new();
    }
    let panel = model.panel.as_ref();
    let comparable = panel.is_some_and(|p| p.comparable);
    let statement = match (panel.map(|p| p.goalposts.as_str()), panel.and_then(|p| p.base_year)) {
        (Some("pooled"), _) => tr(
            lang,
            "Every year is evaluated with the same system and methods, normalised on all zone-years together (pooled goalposts): scores are on one scale and compare across years.",
            "各年以相同指标体系和方法评价，并以全部年份的数据合并标准化（合并标准化）：得分处于同一尺度，可跨年比较。",
        )
        .to_string(),
        (_, Some(b)) => match lang {
            Lang::En => format!(
                "Every year is evaluated with the same system and methods, normalised with the statistics of {b} (base-year goalposts): scores are on {b}'s scale and compare across years."
            ),
            Lang::Zh => format!(
                "各年以相同指标体系和方法评价，并以 {b} 年的统计量标准化（基年标准化）：得分处于 {b} 年的尺度，可跨年比较。"
            ),
        },
        _ => tr(
            lang,
            "Every year is evaluated with the same system and methods, each normalised on its own zones (per-year goalposts): scores are NOT comparable across years — a score of 70 one year and 72 the next may mean no change. Only ranks compare. Set [method] goalposts = \"pooled\" to put the years on one scale.",
            "各年以相同指标体系和方法评价，但各年分别标准化（逐年标准化）：得分跨年不可比——某年 70 分、次年 72 分未必代表进步，仅名次可比。在 [method] 中设置 goalposts = \"pooled\" 可使各年处于同一尺度。",
        )
        .to_string(),
    };
    let mut out = vec![Block::Para(vec![Span::Text(statement)])];
    out.extend(charts);
    let prev = panel.and_then(|p| p.previous);
    let Some(prev) = prev else {
        return out;
    };
    if let Some(p) = panel.filter(|p| p.comparable) {
        let why = p.no_interval.as_ref().map(|m| m.get(lang).to_string());
        let text = match (why, lang) {
            (Some(w), _) => w,
            (None, Lang::En) => format!(
                "Clear change: the score change since {prev} stays on one side of 0 over {} weight samples (each weight × U(1 − {}, 1 + {}), seed {}; 5th–95th percentile shown); otherwise the change is within the uncertainty of the weights.",
                p.interval_samples, p.interval_perturb, p.interval_perturb, p.interval_seed
            ),
            (None, Lang::Zh) => format!(
                "明确变化：在 {} 个权重样本下（各权重 × U(1 − {}, 1 + {})，种子 {}；显示第 5–95 百分位），较 {prev} 年的得分变化始终同号；否则变化在权重不确定性范围之内。",
                p.interval_samples, p.interval_perturb, p.interval_perturb, p.interval_seed
            ),
        };
        out.push(Block::Para(vec![Span::Text(text)]));
    }
    // Each zone's rank in every year, then its change since the previous year.
    let mut header = vec![tr(lang, "Zone", "开发区").to_string()];
    header.extend(model.years.iter().map(|y| y.year.to_string()));
    header.push(format!("{} {prev}", tr(lang, "Δ rank vs", "名次变化 较")));
    let mut numeric = vec![false];
    numeric.extend(model.years.iter().map(|_| true));
    numeric.push(true);
    if comparable {
        header.extend([
            tr(lang, "Δ score", "得分变化").to_string(),
            tr(lang, "5th–95th pct.", "第5–95百分位").to_string(),
            tr(lang, "Change", "变化判断").to_string(),
        ]);
        numeric.extend([true, false, false]);
    }
    let rows = model
        .ranked()
        .map(|z| {
            let t = z.trend.as_ref();
            let absent = tr(lang, "absent", "缺失").to_string();
            let mut row: Vec<Cell> = vec![z.name.clone().into()];
            for y in &model.years {
                // A zone missing in a year is absent, not ranked last or zero.
                let cell = match y.zones.iter().find(|o| o.id == z.id) {
                    None => absent.clone(),
                    Some(o) => o.rank.map_or_else(|| "—".into(), |r| r.to_string()),
                };
                row.push(cell.into());
            }
            row.push(
                crate::text::rank_change(t.and_then(|t| t.rank_change))
                    .unwrap_or_else(|| "—".into())
                    .into(),
            );
            if comparable {
                row.push(
                    t.and_then(|t| t.score_change)
                        .map_or_else(|| "—".into(), |d| format!("{d:+.2}"))
                        .into(),
                );
                row.push(
                    match t.and_then(|t| t.change_p05.zip(t.change_p95)) {
                        Some((a, b)) => format!("{a:+.2} … {b:+.2}"),
                        None => "—".into(),
                    }
                    .into(),
                );
                row.push(
                    match t.and_then(|t| t.verdict.as_deref()) {
                        Some("improved") => tr(lang, "improved", "进步"),
                        Some("declined") => tr(lang, "declined", "退步"),
                        Some(_) => tr(lang, "no clear change", "无明确变化"),
                        None => "—",
                    }
                    .into(),
                );
            }
            row
        })
        .collect();
    out.push(Block::Table(Table {
        header,
        rows,
        numeric,
    }));
    out
}

/// One block list per multi-year rule: what it says, the years it covers, and its zones with
/// the years that put each of them there.
pub fn rules(model: &ReportModel, lang: Lang) -> Vec<Block> {
    let Some(p) = &model.panel else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, r) in p.rules.iter().enumerate() {
        out.push(Block::Heading(
            3,
            r.named.get(lang).to_string(),
            format!("rule-{}", k + 1),
        ));
        let within = r.within.clone();
        let window = match (r.window.first(), r.window.last()) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => String::new(),
        };
        let (side_en, side_zh) = if r.side == "top" {
            ("top", "前")
        } else {
            ("bottom", "后")
        };
        let n = r.n;
        let text = match (lang, within) {
            (Lang::En, Some(w)) => format!(
                "A zone is listed when it is among the {side_en} {n} of its {w} group in at least {} of the {} years {window}; zones by mean score over those years.",
                r.times, r.of_last
            ),
            (Lang::En, None) => format!(
                "A zone is listed when it is among the {side_en} {n} of the ranking in at least {} of the {} years {window}; zones by mean score over those years.",
                r.times, r.of_last
            ),
            (Lang::Zh, Some(w)) => format!(
                "在 {window} 这 {} 年中至少 {} 年位列所在 {w} 分组的{side_zh} {n} 名者列入；按这些年份的平均得分排序。",
                r.of_last, r.times
            ),
            (Lang::Zh, None) => format!(
                "在 {window} 这 {} 年中至少 {} 年位列总排名{side_zh} {n} 名者列入；按这些年份的平均得分排序。",
                r.of_last, r.times
            ),
        };
        out.push(Block::Para(vec![Span::Text(text)]));
        if !r.missing_years.is_empty() {
            let m = r
                .missing_years
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Block::Para(vec![Span::Strong(match lang {
                Lang::En => format!(
                    "The data have no evaluated year {m}: the rule covers fewer years, and those count as not met."
                ),
                Lang::Zh => format!("数据中没有可评价的 {m} 年：规则覆盖年份不足，这些年份视为不满足。"),
            })]));
        }
        if r.zones.is_empty() {
            out.push(Block::Para(vec![Span::Text(
                tr(lang, "No zone meets the rule.", "没有开发区满足该规则。").into(),
            )]));
            continue;
        }
        let rows = r
            .zones
            .iter()
            .map(|z| {
                vec![
                    z.name.clone().into(),
                    z.id.clone().into(),
                    z.years
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                    format!("{:.2}", z.mean_score).into(),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            header: vec![
                tr(lang, "Zone", "开发区").into(),
                tr(lang, "Id", "代码").into(),
                tr(lang, "Years met", "满足年份").into(),
                tr(lang, "Mean score", "平均得分").into(),
            ],
            rows,
            numeric: vec![false, false, false, true],
        }));
    }
    out
}

/// Descriptive statistics of every indicator and the correlation heatmap.
pub fn indicators(model: &ReportModel, lang: Lang, heatmap: bool) -> Vec<Block> {
    let mut t = Table {
        header: vec![
            tr(lang, "Indicator", "指标").into(),
            tr(lang, "Unit", "单位").into(),
            tr(lang, "Min", "最小值").into(),
            tr(lang, "Median", "中位数").into(),
            tr(lang, "Max", "最大值").into(),
            tr(lang, "Mean", "平均值").into(),
            tr(lang, "Best zone", "最优开发区").into(),
        ],
        rows: Vec::new(),
        numeric: vec![false, false, true, true, true, true, false],
    };
    for (j, ind) in model.indicators.iter().enumerate() {
        let mut x: Vec<f64> = model.ranked().filter_map(|z| z.raw[j]).collect();
        x.sort_by(f64::total_cmp);
        let best = model
            .ranked()
            .filter_map(|z| Some((z, z.normalized[j]?)))
            .fold(None, |b: Option<(&ZoneRow, f64)>, (z, v)| match b {
                Some((_, bv)) if bv >= v => b,
                _ => Some((z, v)),
            })
            .map(|(z, _)| z.name.clone())
            .unwrap_or_default();
        let mean = x.iter().sum::<f64>() / x.len().max(1) as f64;
        t.rows.push(vec![
            ind.named.get(lang).into(),
            ind.unit.clone().unwrap_or_default().into(),
            x.first().map_or("—".into(), |v| val(*v)).into(),
            val(quantile(&x, 0.5)).into(),
            x.last().map_or("—".into(), |v| val(*v)).into(),
            (if x.is_empty() {
                "—".into()
            } else {
                val(mean)
            })
            .into(),
            best.into(),
        ]);
    }
    let mut out = vec![Block::Table(t)];
    if heatmap {
        out.push(Block::Figure("correlation".into()));
    }
    out
}

/// The specification: the command, the overrides and the system file.
pub fn spec(model: &ReportModel, lang: Lang) -> Vec<Block> {
    let s = &model.spec;
    let mut items = vec![
        vec![
            Span::Text(tr(lang, "System file: ", "指标体系文件：").into()),
            Span::Code(s.system_file.clone()),
        ],
        vec![
            Span::Text(tr(lang, "Data file: ", "数据文件：").into()),
            Span::Code(s.data_file.clone()),
        ],
    ];
    let overrides: Vec<String> = [
        ("--normalization", &s.normalization),
        ("--weighting", &s.weighting),
        ("--aggregation", &s.aggregation),
        ("--encoding", &s.encoding),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .chain(s.group_by.iter().map(|g| format!("--group-by {g}")))
    .collect();
    items.push(vec![
        Span::Text(tr(lang, "Command-line overrides: ", "命令行覆盖设置：").into()),
        if overrides.is_empty() {
            Span::Text(tr(lang, "none", "无").into())
        } else {
            Span::Code(overrides.join(" "))
        },
    ]);
    items.push(vec![
        Span::Text(tr(lang, "Generated by ", "生成工具：").into()),
        Span::Code(model.generator.clone()),
    ]);
    let mut out = vec![
        Block::List(items),
        Block::Code("sh".into(), s.command(model.year)),
    ];
    if let Some(toml) = &s.system_toml {
        out.push(Block::Heading(
            3,
            tr(lang, "Indicator system file", "指标体系文件").into(),
            "system-file".into(),
        ));
        out.push(Block::Code("toml".into(), toml.clone()));
    }
    out
}
