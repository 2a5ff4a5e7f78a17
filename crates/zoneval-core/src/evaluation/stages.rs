//! The data stages of [`super::prepare()`], one function each: derived indicators, gates,
//! not-applicable cells, missing cells, outliers. Each reads the selected rows and reports its
//! problems and warnings with the cell's location.

use super::prepare::{GateFailure, Imputed, TreatedValue, Zone};
use crate::data::missing::{self, Fill};
use crate::data::outliers::{self, Outcome};
use crate::data::{ZoneTable, formula::Formula};
use crate::error::{Location, Problem, Text};
use crate::method::Matrix;
use crate::system::{IndicatorSystem, MissingPolicy, OutlierTreatment, Threshold, ValueSource};
use crate::text;

/// What every stage reads: the system, the table and the selected rows with their zones.
pub(super) struct Rows<'a> {
    pub(super) system: &'a IndicatorSystem,
    pub(super) table: &'a ZoneTable,
    pub(super) rows: &'a [usize],
    pub(super) zones: &'a [Zone],
}

/// Derived indicator columns by id, and the (zone, indicator) cells whose formula failed.
pub(super) type Derived = (
    Vec<(String, Vec<Option<f64>>)>,
    std::collections::HashSet<(usize, usize)>,
);

/// Derived indicators, in dependency order (the loader rejected cycles). A failed formula is
/// reported once, and not again as a missing value.
pub(super) fn derive(cx: &Rows<'_>, problems: &mut Vec<Problem>) -> Derived {
    let Rows {
        system,
        table,
        rows,
        zones,
    } = *cx;
    let m = system.indicators.len();
    let mut derived: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let mut failed: std::collections::HashSet<(usize, usize)> = Default::default();
    let mut pending: Vec<usize> = (0..m)
        .filter(|&j| matches!(system.indicators[j].source, ValueSource::Formula(_)))
        .collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|&j| {
            let ind = &system.indicators[j];
            let ValueSource::Formula(f) = &ind.source else {
                return false;
            };
            let waits = f.vars.iter().any(|v| {
                system
                    .indicators
                    .iter()
                    .any(|o| o.id == *v && matches!(o.source, ValueSource::Formula(_)))
                    && !derived.iter().any(|(id, _)| id == v)
            });
            if waits {
                return true;
            }
            let mut errs = Vec::new();
            let vals = source_values(table, rows, &ind.source, &derived, &mut |z, t| {
                errs.push((z, t))
            });
            for (z, t) in errs {
                let (zone, id, en, zh) = (&zones[z].name, &ind.id, &t.en, &t.zh);
                problems.push(Problem::at(
                    Some(table.location(rows[z], 0)),
                    text!(
                        "zone \"{zone}\", indicator {id} = {f}: {en}",
                        "开发区“{zone}”，指标 {id} = {f}：{zh}"
                    ),
                ));
                failed.insert((z, j));
            }
            // A value missing because an input formula failed is part of that failure.
            for (z, v) in vals.iter().enumerate() {
                let input_failed = || {
                    f.vars.iter().any(|v| {
                        (0..m).any(|k| system.indicators[k].id == *v && failed.contains(&(z, k)))
                    })
                };
                if v.is_none() && input_failed() {
                    failed.insert((z, j));
                }
            }
            derived.push((ind.id.clone(), vals));
            false
        });
        assert!(
            pending.len() < before,
            "formula cycles are rejected when loading"
        );
    }
    (derived, failed)
}

/// Gates, on values before imputation: per zone, the conditions of every gate it failed.
pub(super) fn test_gates(
    cx: &Rows<'_>,
    derived: &[(String, Vec<Option<f64>>)],
    problems: &mut Vec<Problem>,
) -> Vec<Vec<GateFailure>> {
    let Rows {
        system,
        table,
        rows,
        zones,
    } = *cx;
    let n = rows.len();
    let mut gate_failures: Vec<Vec<GateFailure>> = vec![Vec::new(); n];
    for g in &system.gates {
        let mut passes = vec![0usize; n];
        let mut fails: Vec<Vec<GateFailure>> = vec![Vec::new(); n];
        for c in &g.conditions {
            let mut errs = Vec::new();
            let v = source_values(table, rows, &c.source, derived, &mut |z, t| {
                errs.push((z, t))
            });
            for (z, t) in errs {
                let (zone, id, en, zh) = (&zones[z].name, &g.id, &t.en, &t.zh);
                problems.push(Problem::at(
                    Some(table.location(rows[z], 0)),
                    text!(
                        "zone \"{zone}\", gate {id}: {en}",
                        "开发区“{zone}”，门槛 {id}：{zh}"
                    ),
                ));
            }
            for z in 0..n {
                let mut bound = |t: &Option<Threshold>| -> Option<f64> {
                    match t {
                        None => None,
                        Some(Threshold::Value(x)) => Some(*x),
                        Some(Threshold::Lookup { table: ti }) => {
                            lookup(system, table, *ti, rows[z], problems)
                        }
                    }
                };
                let (lo, hi) = (bound(&c.min), bound(&c.max));
                let ok = match v[z] {
                    None => false,
                    Some(x) => lo.is_none_or(|l| x >= l) && hi.is_none_or(|h| x <= h),
                };
                if ok {
                    passes[z] += 1;
                } else {
                    let mut req = Vec::new();
                    if let Some(l) = lo {
                        req.push(format!("≥ {l}"));
                    }
                    if let Some(h) = hi {
                        req.push(format!("≤ {h}"));
                    }
                    fails[z].push(GateFailure {
                        gate: g.id.clone(),
                        name: g.name.clone(),
                        condition: c.id.clone(),
                        value: v[z],
                        requirement: req.join(", "),
                    });
                }
            }
        }
        for z in 0..n {
            if passes[z] < g.k {
                gate_failures[z].append(&mut fails[z]);
            }
        }
    }
    gate_failures
}

/// The points of every `[[adjustments]]` item per zone (zones × items): count × points, its
/// size capped at `max`; an empty cell counts as 0 (no award, no deduction).
pub(super) fn adjustment_points(
    cx: &Rows<'_>,
    derived: &[(String, Vec<Option<f64>>)],
    problems: &mut Vec<Problem>,
) -> Vec<Vec<f64>> {
    let Rows {
        system,
        table,
        rows,
        zones,
    } = *cx;
    let mut out = vec![vec![0.0; system.adjustments.len()]; rows.len()];
    for (k, a) in system.adjustments.iter().enumerate() {
        let mut errs = Vec::new();
        let v = source_values(table, rows, &a.source, derived, &mut |z, t| {
            errs.push((z, t))
        });
        for (z, t) in errs {
            let (zone, id, en, zh) = (&zones[z].name, &a.id, &t.en, &t.zh);
            problems.push(Problem::at(
                Some(table.location(rows[z], 0)),
                text!(
                    "zone \"{zone}\", adjustment {id}: {en}",
                    "开发区“{zone}”，加减分项 {id}：{zh}"
                ),
            ));
        }
        for (z, x) in v.iter().enumerate() {
            out[z][k] = a.points_for(x.unwrap_or(0.0));
        }
    }
    out
}

/// Not-applicable cells (indicators with `applies_to`) are blanked; returns the
/// zones × indicators applicability, or `None` when every indicator applies to every zone.
pub(super) fn mark_not_applicable(
    cx: &Rows<'_>,
    values: &mut [Vec<Option<f64>>],
) -> Option<Vec<Vec<bool>>> {
    let Rows {
        system,
        table,
        rows,
        ..
    } = *cx;
    let (n, m) = (rows.len(), system.indicators.len());
    let mut applicable: Option<Vec<Vec<bool>>> = None;
    for (j, ind) in system.indicators.iter().enumerate() {
        let Some(a) = &ind.applies_to else { continue };
        let col = table.text(&a.column).expect("applies_to columns are read");
        let app = applicable.get_or_insert_with(|| vec![vec![true; m]; n]);
        for z in 0..n {
            app[z][j] = a.values.contains(&col.values[rows[z]]);
            if !app[z][j] {
                values[j][z] = None;
            }
        }
    }
    applicable
}

/// The grouping columns: `[data] groups`, the extra ones asked for, and `watch_within`.
pub(super) fn group_columns(system: &IndicatorSystem, extra_groups: &[String]) -> Vec<String> {
    let mut group_cols: Vec<String> = system.data.groups.clone();
    let rules = system.rules.iter().filter_map(|r| r.within.as_ref());
    for g in extra_groups
        .iter()
        .chain(&system.report.watch_within)
        .chain(rules)
    {
        if !group_cols.contains(g) {
            group_cols.push(g.clone());
        }
    }
    group_cols
}

/// The missing-value stage's outcome: filled cells, dropped zones and which zones remain.
pub(super) struct Filled {
    pub(super) imputed: Vec<Imputed>,
    pub(super) dropped: Vec<(String, String, Vec<String>)>,
    pub(super) keep: Vec<bool>,
}

/// Missing cells, per `[data] missing`: an error, a dropped zone, or a filled value (each
/// fill reported as a warning).
pub(super) fn fill_missing(
    cx: &Rows<'_>,
    values: &mut [Vec<Option<f64>>],
    applicable: Option<&[Vec<bool>]>,
    failed: &std::collections::HashSet<(usize, usize)>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Filled {
    let Rows {
        system,
        table,
        rows,
        zones,
    } = *cx;
    let (n, m) = (rows.len(), system.indicators.len());
    let is_app = |z: usize, j: usize| applicable.is_none_or(|a| a[z][j]);
    let mut imputed = Vec::new();
    let mut dropped = Vec::new();
    let missing: Vec<(usize, usize)> = (0..m)
        .flat_map(|j| (0..n).map(move |z| (z, j)))
        .filter(|&(z, j)| values[j][z].is_none() && is_app(z, j) && !failed.contains(&(z, j)))
        .collect();
    let cell_loc = |z: usize, j: usize| -> Location {
        let field = match &system.indicators[j].source {
            ValueSource::Column(c) => table.numeric(c).map_or(0, |c| c.field),
            ValueSource::Formula(_) => 0,
        };
        table.location(rows[z], field)
    };
    let mut keep = vec![true; n];
    match &system.data.missing {
        MissingPolicy::Error => {
            for &(z, j) in missing.iter().take(50) {
                let (zone, id) = (&zones[z].name, &system.indicators[j].id);
                problems.push(
                    Problem::at(Some(cell_loc(z, j)), text!("zone \"{zone}\", indicator {id}: missing value", "开发区“{zone}”，指标 {id}：缺失值"))
                        .with_hint(text!(
                            "set [data] missing = \"mean\" | \"median\" | \"group-mean\" | \"zero\" | \"drop-zone\"",
                            "可设置 [data] missing = \"mean\" | \"median\" | \"group-mean\" | \"zero\" | \"drop-zone\""
                        )),
                );
            }
        }
        MissingPolicy::DropZone => {
            for z in 0..n {
                let miss: Vec<String> = (0..m)
                    .filter(|&j| missing.contains(&(z, j)))
                    .map(|j| system.indicators[j].id.clone())
                    .collect();
                if !miss.is_empty() {
                    let (zone, list) = (&zones[z].name, miss.join(", "));
                    warnings.push(Problem::at(
                        Some(table.location(rows[z], 0)),
                        text!(
                            "zone \"{zone}\" dropped: missing {list}",
                            "开发区“{zone}”因缺失 {list} 被剔除"
                        ),
                    ));
                    dropped.push((zones[z].id.clone(), zones[z].name.clone(), miss));
                    keep[z] = false;
                }
            }
        }
        policy => {
            let (kind, by) = match policy {
                MissingPolicy::Mean => (Fill::Mean, None),
                MissingPolicy::Median => (Fill::Median, None),
                MissingPolicy::Zero => (Fill::Zero, None),
                MissingPolicy::GroupMean { by } => (Fill::GroupMean, Some(by.as_str())),
                _ => unreachable!("handled above"),
            };
            let groups: Option<Vec<String>> = by.map(|b| {
                let col = table.text(b).expect("group-mean column is read");
                rows.iter().map(|&r| col.values[r].clone()).collect()
            });
            for j in 0..m {
                if !missing.iter().any(|&(_, jj)| jj == j) {
                    continue;
                }
                let mut col: Vec<f64> = values[j].iter().map(|v| v.unwrap_or(f64::NAN)).collect();
                let fillable: Vec<bool> = (0..n).map(|z| is_app(z, j)).collect();
                match missing::fill(&mut col, &fillable, kind, groups.as_deref()) {
                    Some(filled) => {
                        for (z, v, how) in filled {
                            values[j][z] = Some(v);
                            let loc = cell_loc(z, j);
                            let (zone, id, how_s) =
                                (&zones[z].name, &system.indicators[j].id, how.keyword());
                            let shown = crate::num::num_short(v);
                            warnings.push(Problem::at(
                                Some(loc.clone()),
                                text!("zone \"{zone}\", indicator {id}: missing, filled with {shown} ({how_s})", "开发区“{zone}”，指标 {id}：缺失，以 {shown} 填补（{how_s}）"),
                            ));
                            imputed.push(Imputed {
                                zone: zones[z].id.clone(),
                                indicator: system.indicators[j].id.clone(),
                                value: v,
                                method: how.keyword(),
                                location: loc.to_string(),
                            });
                        }
                    }
                    None => {
                        let id = &system.indicators[j].id;
                        problems.push(Problem::at(
                            Some(system.indicators[j].location.clone()),
                            text!(
                                "indicator {id}: no observed value to fill the missing ones from",
                                "指标 {id}：没有可用于填补缺失值的观测值"
                            ),
                        ));
                    }
                }
            }
        }
    }
    Filled {
        imputed,
        dropped,
        keep,
    }
}

/// Outliers (opt-in), on applicable cells of the kept zones; each treated value is listed.
pub(super) fn treat_outliers(
    system: &IndicatorSystem,
    zones: &[Zone],
    raw: &mut Matrix,
    applicable: Option<&[Vec<bool>]>,
    warnings: &mut Vec<Problem>,
) -> Vec<TreatedValue> {
    let kept = zones.len();
    let mut treated = Vec::new();
    for (j, ind) in system.indicators.iter().enumerate() {
        let Some(t) = &ind.outliers else { continue };
        let rows_j: Vec<usize> = (0..kept)
            .filter(|&k| applicable.is_none_or(|a| a[k][j]))
            .collect();
        let mut x: Vec<f64> = rows_j.iter().map(|&k| raw.get(k, j)).collect();
        let (outcome, name) = match t {
            OutlierTreatment::Winsorize {
                max_points,
                skew,
                kurtosis,
            } => (
                outliers::winsorize(&mut x, *max_points, *skew, *kurtosis),
                "winsorize",
            ),
            OutlierTreatment::Log => (Outcome::Logged(outliers::log_transform(&mut x)), "log"),
        };
        let (list, method) = match outcome {
            Outcome::Untouched => continue,
            Outcome::Winsorized(l) => (l, name),
            Outcome::Logged(l) => (l, "log"),
        };
        let count = list.len();
        let id = &ind.id;
        warnings.push(Problem::at(
            Some(ind.location.clone()),
            text!(
                "indicator {id}: {count} value(s) treated as outliers ({method})",
                "指标 {id}：{count} 个值按异常值处理（{method}）"
            ),
        ));
        for t in list {
            let k = rows_j[t.row];
            raw.set(k, j, t.to);
            treated.push(TreatedValue {
                zone: zones[k].id.clone(),
                indicator: id.clone(),
                from: t.from,
                to: t.to,
                method,
            });
        }
    }
    treated
}

pub(super) fn lookup(
    system: &IndicatorSystem,
    table: &ZoneTable,
    ti: usize,
    row: usize,
    problems: &mut Vec<Problem>,
) -> Option<f64> {
    let t = &system.tables[ti];
    let key: Vec<&str> =
        t.by.iter()
            .map(|c| table.text(c).expect("lookup columns are read").values[row].as_str())
            .collect();
    if let Some((_, v)) = t
        .rows
        .iter()
        .find(|(k, _)| k.iter().zip(&key).all(|(a, b)| a == b))
    {
        return Some(*v);
    }
    if t.default.is_none() {
        let (id, k) = (&t.id, key.join(", "));
        let p = Problem::at(
            Some(table.location(row, 0)),
            text!(
                "no row of table `{id}` matches ({k})",
                "表 `{id}` 中没有与（{k}）匹配的行"
            ),
        );
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    t.default
}

/// Values of one source for the selected rows (None = missing), reading derived
/// indicators from `derived`.
pub(super) fn source_values(
    table: &ZoneTable,
    rows: &[usize],
    source: &ValueSource,
    derived: &[(String, Vec<Option<f64>>)],
    on_error: &mut dyn FnMut(usize, Text),
) -> Vec<Option<f64>> {
    let column = |name: &str| -> Option<Vec<Option<f64>>> {
        if let Some((_, v)) = derived.iter().find(|(id, _)| id == name) {
            return Some(v.clone());
        }
        table.numeric(name).map(|c| {
            rows.iter()
                .map(|&r| Some(c.values[r]).filter(|v| !v.is_nan()))
                .collect()
        })
    };
    match source {
        ValueSource::Column(c) => column(c).unwrap_or_else(|| vec![None; rows.len()]),
        ValueSource::Formula(f) => eval_formula(f, rows.len(), &column, on_error),
    }
}

fn eval_formula(
    f: &Formula,
    n: usize,
    column: &dyn Fn(&str) -> Option<Vec<Option<f64>>>,
    on_error: &mut dyn FnMut(usize, Text),
) -> Vec<Option<f64>> {
    let inputs: Vec<Vec<Option<f64>>> = f
        .vars
        .iter()
        .map(|v| column(v).unwrap_or_else(|| vec![None; n]))
        .collect();
    (0..n)
        .map(|z| match f.eval(&|i| inputs[i][z]) {
            Ok(v) => v,
            Err(e) => {
                on_error(z, e.0);
                None
            }
        })
        .collect()
}
