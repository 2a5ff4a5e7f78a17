//! One criterion or indicator: its header, formula, direction, outlier rule and scope, and
//! the checks over the whole tree (unique ids, formulas without cycles).

use super::*;

/// The keys every criterion and indicator has: unknown keys checked, `id` required, `name`
/// defaulting to the id, `description` and `source` accepted as documentation.
pub(super) fn read_node_header(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    table: &str,
    allowed: &[&str],
) -> (String, String, Option<String>) {
    r.check_keys(t, &Keys { table, allowed });
    let id = r
        .required_string(t, "id", loc, table)
        .map(|s| s.0)
        .unwrap_or_default();
    let name = r.string(t, "name").map_or_else(|| id.clone(), |s| s.0);
    let name_en = r.string(t, "name_en").map(|s| s.0);
    r.string(t, "description");
    r.string(t, "source");
    (id, name, name_en)
}

pub(super) fn parse_formula(r: &mut Reader<'_>, f: &str, l: &Location) -> Option<Formula> {
    match Formula::parse(f) {
        Ok(f) => Some(f),
        Err(e) => {
            // The string's opening quote is at `l`; the formula starts one character later.
            let loc = Location {
                col: l.col + 1 + e.offset as u32,
                ..l.clone()
            };
            let (en, zh) = (&e.message.en, &e.message.zh);
            r.error(loc, text!("formula: {en}", "公式：{zh}"));
            None
        }
    }
}

pub(super) fn read_direction(r: &mut Reader<'_>, t: &DeTable<'_>, loc: &Location) -> Direction {
    const KINDS: &[&str] = &["benefit", "cost", "target", "range"];
    let Some((d, l)) = r.required_string(t, "direction", loc, "[[indicators]]") else {
        return Direction::Benefit;
    };
    match d.as_str() {
        "benefit" => Direction::Benefit,
        "cost" => Direction::Cost,
        "target" => match r.number(t, "target") {
            Some((x, _)) => Direction::Target(x),
            None => {
                r.error(
                    l,
                    text!(
                        "direction \"target\" needs `target = …`",
                        "方向为 target 时需要给出 `target = …`"
                    ),
                );
                Direction::Benefit
            }
        },
        "range" => {
            let raw = r.raw(t, "range");
            // Reported at `range` itself when it is there, with the indicator's id.
            let at = raw.map_or_else(|| l.clone(), |v| r.loc(v));
            let range = raw.and_then(|v| r.numbers(v, "range", false));
            let (id, id_zh) = match t.get("id").map(|v| v.get_ref()) {
                Some(DeValue::String(s)) => (format!("indicator `{s}`: "), format!("指标 `{s}`：")),
                _ => (String::new(), String::new()),
            };
            match range.as_deref() {
                Some([a, b]) if a < b => Direction::Range(*a, *b),
                Some([a, b]) => {
                    r.error(
                        at,
                        text!(
                            "{id}`range = [{a}, {b}]` must be [low, high] with low < high",
                            "{id_zh}`range = [{a}, {b}]` 应为 [下限, 上限] 且下限 < 上限"
                        ),
                    );
                    Direction::Benefit
                }
                _ => {
                    r.error(
                        at,
                        text!(
                            "{id}direction \"range\" needs `range = [low, high]` with low < high",
                            "{id_zh}方向为 range 时需要 `range = [下限, 上限]` 且下限 < 上限"
                        ),
                    );
                    Direction::Benefit
                }
            }
        }
        other => {
            r.problems.push(
                Problem::at(
                    Some(l),
                    text!("invalid direction `{other}`", "无效的指标方向 `{other}`"),
                )
                .with_hint(crate::error::suggest(other, KINDS)),
            );
            Direction::Benefit
        }
    }
}

pub(super) fn read_outliers(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<OutlierTreatment> {
    let p = r.method(t, "outliers")?;
    let loc = p
        .location
        .clone()
        .unwrap_or_else(|| Location::file(&r.src.name));
    let check = |r: &mut Reader<'_>, allowed: &[&str]| {
        for e in &p.entries {
            if !allowed.contains(&e.key.as_str()) {
                let k = &e.key;
                let l = e.location.clone().unwrap_or_else(|| loc.clone());
                r.problems.push(
                    Problem::at(
                        Some(l),
                        text!(
                            "unknown key `{k}` in `outliers`",
                            "`outliers` 中有未知的键 `{k}`"
                        ),
                    )
                    .with_hint(crate::error::suggest(k, allowed)),
                );
            }
        }
    };
    match p.kind.as_str() {
        "winsorize" => {
            check(r, &["max_points", "skew", "kurtosis"]);
            let get = |k: &str, d: f64| p.positive(k, d);
            match (
                get("max_points", 5.0),
                get("skew", 2.0),
                get("kurtosis", 3.5),
            ) {
                (Ok(m), Ok(s), Ok(k)) => Some(OutlierTreatment::Winsorize {
                    max_points: m as usize,
                    skew: s,
                    kurtosis: k,
                }),
                (a, b, c) => {
                    for e in [a.err(), b.err(), c.err()].into_iter().flatten() {
                        r.problems.push(e);
                    }
                    None
                }
            }
        }
        "log" => {
            check(r, &[]);
            Some(OutlierTreatment::Log)
        }
        other => {
            r.problems.push(
                Problem::at(
                    Some(loc),
                    text!(
                        "unknown outlier treatment `{other}`",
                        "未知的异常值处理方式 `{other}`"
                    ),
                )
                .with_hint(crate::error::suggest(other, &["winsorize", "log"])),
            );
            None
        }
    }
}

pub(super) fn read_applies_to(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<AppliesTo> {
    let (a, loc) = r.table(t, "applies_to")?;
    r.check_keys(
        a,
        &Keys {
            table: "`applies_to`",
            allowed: &["column", "values"],
        },
    );
    let column = r.required_string(a, "column", &loc, "`applies_to`")?.0;
    let values = r.strings(a, "values").unwrap_or_default();
    if values.is_empty() {
        r.error(
            loc,
            text!(
                "`applies_to` needs `values = [...]`",
                "`applies_to` 需要 `values = [...]`"
            ),
        );
        return None;
    }
    Some(AppliesTo { column, values })
}

pub(super) fn check_ids(r: &mut Reader<'_>, b: &TreeBuilder<'_>) {
    let mut seen: Vec<(&str, &Location)> = Vec::new();
    for n in b.nodes.iter().skip(1) {
        if n.id.trim().is_empty() {
            r.error(n.location.clone(), text!("empty id", "id 为空"));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == n.id) {
            let (id, first) = (&n.id, first.to_string());
            r.error(
                n.location.clone(),
                text!(
                    "duplicate id `{id}` (first used at {first})",
                    "id `{id}` 重复（首次出现于 {first}）"
                ),
            );
        } else {
            seen.push((&n.id, &n.location));
        }
    }
    let mut gate_ids: Vec<&str> = Vec::new();
    for g in &b.gates {
        if gate_ids.contains(&g.id.as_str()) {
            let id = &g.id;
            r.error(
                g.location.clone(),
                text!("duplicate gate id `{id}`", "门槛 id `{id}` 重复"),
            );
        }
        gate_ids.push(&g.id);
    }
}

/// Formulas may read data columns and other derived indicators; a cycle is an error.
pub(super) fn check_formulas(r: &mut Reader<'_>, inds: &[Indicator]) {
    let derived: Vec<(usize, &Formula)> = inds
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| match &ind.source {
            ValueSource::Formula(f) => Some((i, f)),
            _ => None,
        })
        .collect();
    // Depth-first search for cycles among derived indicators; the cycle found is reported by
    // its own members (not by the indicator whose formula merely leads into it).
    let index_of = |name: &str| derived.iter().position(|(i, _)| inds[*i].id == name);
    let mut state = vec![0u8; derived.len()]; // 0 new, 1 on stack, 2 done
    fn visit(
        k: usize,
        derived: &[(usize, &Formula)],
        index_of: &dyn Fn(&str) -> Option<usize>,
        state: &mut [u8],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        if state[k] == 1 {
            let from = stack.iter().position(|&x| x == k).unwrap_or(0);
            return Some(stack[from..].to_vec());
        }
        if state[k] == 2 {
            return None;
        }
        state[k] = 1;
        stack.push(k);
        for v in &derived[k].1.vars {
            if let Some(j) = index_of(v)
                && let Some(cycle) = visit(j, derived, index_of, state, stack)
            {
                return Some(cycle);
            }
        }
        stack.pop();
        state[k] = 2;
        None
    }
    for k in 0..derived.len() {
        if state[k] != 0 {
            continue;
        }
        if let Some(cycle) = visit(k, &derived, &index_of, &mut state, &mut Vec::new()) {
            let ind = &inds[derived[cycle[0]].0];
            let id = &ind.id;
            let path: Vec<&str> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&c| inds[derived[c].0].id.as_str())
                .collect();
            let path = path.join(" → ");
            r.error(
                ind.location.clone(),
                text!(
                    "formula of `{id}` depends on itself ({path})",
                    "`{id}` 的公式存在循环引用（{path}）"
                ),
            );
            return;
        }
    }
}
