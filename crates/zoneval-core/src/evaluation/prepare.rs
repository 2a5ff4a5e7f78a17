//! The data stages before any method runs: select the year, compute derived indicators,
//! test the gates, mark not-applicable cells, fill missing cells and treat outliers.
//!
//! The result ([`Prepared`]) does not depend on the normalisation, weighting or aggregation,
//! so changing a method (or running thousands of sensitivity samples) reuses it.

use std::sync::Arc;

use crate::data::missing::{self, Fill};
use crate::data::outliers::{self, Outcome};
use crate::data::{ZoneTable, formula::Formula};
use crate::error::{Error, Location, OptionError, Problem, Result, Text};
use crate::method::Matrix;
use crate::system::{IndicatorSystem, MissingPolicy, OutlierTreatment, Threshold, ValueSource};
use crate::text;

/// One zone of the evaluated year.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Row in the data table.
    pub row: usize,
}

/// A filled cell.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Imputed {
    /// Zone id.
    pub zone: String,
    /// Indicator id.
    pub indicator: String,
    /// The value filled in.
    pub value: f64,
    /// How (`mean`, `median`, `group-mean`, `zero`).
    pub method: &'static str,
    /// The empty cell (for a derived indicator, the row).
    pub location: String,
}

/// A value changed by outlier treatment.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TreatedValue {
    /// Zone id.
    pub zone: String,
    /// Indicator id.
    pub indicator: String,
    /// Before.
    pub from: f64,
    /// After.
    pub to: f64,
    /// `winsorize` or `log`.
    pub method: &'static str,
}

/// A failed gate condition.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GateFailure {
    /// Gate id.
    pub gate: String,
    /// Gate name.
    pub name: String,
    /// Condition id.
    pub condition: String,
    /// The value tested (None = no data).
    pub value: Option<f64>,
    /// The bound it broke, e.g. "≥ 0.9".
    pub requirement: String,
}

/// Everything before the methods run.
#[derive(Debug)]
pub struct Prepared {
    /// The system.
    pub system: Arc<IndicatorSystem>,
    /// The data as read.
    pub table: Arc<ZoneTable>,
    /// The evaluated year (None when the data has no year column).
    pub year: Option<i64>,
    /// Zones of the year, in data order (dropped zones removed).
    pub zones: Vec<Zone>,
    /// Raw indicator values (zones × indicators) after derivation, imputation and treatment;
    /// not-applicable cells are NaN (and marked in `applicable`).
    pub raw: Arc<Matrix>,
    /// Per zone and indicator: does the indicator apply (`applies_to`)? None when all apply.
    pub applicable: Option<Vec<Vec<bool>>>,
    /// Text values of the grouping columns, per zone: (column, values).
    pub groups: Vec<(String, Vec<String>)>,
    /// Failed gate conditions per zone (empty = passed every gate).
    pub gate_failures: Vec<Vec<GateFailure>>,
    /// Filled cells.
    pub imputed: Vec<Imputed>,
    /// Treated outliers.
    pub treated: Vec<TreatedValue>,
    /// Zones left out by `missing = "drop-zone"`: (id, name, indicators missing).
    pub dropped: Vec<(String, String, Vec<String>)>,
    /// Warnings.
    pub warnings: Vec<Problem>,
}

impl Prepared {
    /// The location of zone `z`'s row, at the field of indicator `j` when it is a column.
    pub fn cell_location(&self, z: usize, j: usize) -> Location {
        let row = self.zones[z].row;
        let field = match &self.system.indicators[j].source {
            ValueSource::Column(c) => self.table.numeric(c).map_or(0, |c| c.field),
            ValueSource::Formula(_) => 0,
        };
        self.table.location(row, field)
    }

    /// An error about zone `z` and indicator `j`.
    pub fn cell_problem(&self, z: usize, j: usize, message: &Text) -> Problem {
        let (zone, ind) = (&self.zones[z].name, &self.system.indicators[j].id);
        let (en, zh) = (&message.en, &message.zh);
        Problem::at(
            Some(self.cell_location(z, j)),
            text!(
                "zone \"{zone}\", indicator {ind}: {en}",
                "开发区“{zone}”，指标 {ind}：{zh}"
            ),
        )
    }

    /// The same data for a selection of zones, in the given order. A zone selected twice is
    /// a copy: its second occurrence gets the id `<id>#copy` (rank-reversal checks).
    pub fn select(&self, zones: &[usize]) -> Prepared {
        let mut seen = vec![false; self.zones.len()];
        let picked: Vec<Zone> = zones
            .iter()
            .map(|&z| {
                let mut zone = self.zones[z].clone();
                if std::mem::replace(&mut seen[z], true) {
                    zone.id.push_str("#copy");
                }
                zone
            })
            .collect();
        Prepared {
            system: self.system.clone(),
            table: self.table.clone(),
            year: self.year,
            zones: picked,
            raw: Arc::new(self.raw.select_rows(zones)),
            applicable: self
                .applicable
                .as_ref()
                .map(|a| zones.iter().map(|&z| a[z].clone()).collect()),
            groups: self
                .groups
                .iter()
                .map(|(c, v)| (c.clone(), zones.iter().map(|&z| v[z].clone()).collect()))
                .collect(),
            gate_failures: zones
                .iter()
                .map(|&z| self.gate_failures[z].clone())
                .collect(),
            imputed: self.imputed.clone(),
            treated: self.treated.clone(),
            dropped: self.dropped.clone(),
            warnings: Vec::new(),
        }
    }

    /// The group values of column `col`, per zone.
    pub fn group(&self, col: &str) -> Option<&[String]> {
        self.groups
            .iter()
            .find(|(c, _)| c == col)
            .map(|(_, v)| v.as_slice())
    }
}

/// Selects the year: `year` when given (it must exist), else the latest.
fn select_rows(table: &ZoneTable, year: Option<i64>) -> Result<(Option<i64>, Vec<usize>)> {
    match &table.years {
        None => {
            if let Some(y) = year {
                return Err(Error::option(
                    OptionError::YearWithoutYearColumn { year: y },
                    Some(Location::file(&table.file)),
                ));
            }
            Ok((None, (0..table.len()).collect()))
        }
        Some(ys) => {
            let all = table.distinct_years();
            let y = match year {
                Some(y) if all.contains(&y) => y,
                Some(y) => {
                    let list = all
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(Error::input(
                        Some(Location::file(&table.file)),
                        text!(
                            "no data for year {y} (years present: {list})",
                            "没有 {y} 年的数据（现有年份：{list}）"
                        ),
                    ));
                }
                None => *all.last().expect("a table has rows"),
            };
            Ok((Some(y), (0..ys.len()).filter(|&i| ys[i] == y).collect()))
        }
    }
}

/// Values of one source for the selected rows (None = missing), reading derived
/// indicators from `derived`.
fn source_values(
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

/// Runs the data stages for `system` on `table`.
pub fn prepare(
    system: Arc<IndicatorSystem>,
    table: Arc<ZoneTable>,
    year: Option<i64>,
    extra_groups: &[String],
) -> Result<Prepared> {
    let (year, rows) = select_rows(&table, year)?;
    let n = rows.len();
    let m = system.indicators.len();
    let mut problems: Vec<Problem> = Vec::new();
    let mut warnings: Vec<Problem> = table.warnings.clone();
    let zone_of = |k: usize| Zone {
        id: table.ids[rows[k]].clone(),
        name: table.names[rows[k]].clone(),
        row: rows[k],
    };
    let mut zones: Vec<Zone> = (0..n).map(zone_of).collect();

    // Derived indicators, in dependency order (the loader rejected cycles).
    let mut derived: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    // (zone, indicator) cells whose formula failed: reported once, not again as missing.
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
            let vals = source_values(&table, &rows, &ind.source, &derived, &mut |z, t| {
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
    let mut values: Vec<Vec<Option<f64>>> = system
        .indicators
        .iter()
        .map(|ind| source_values(&table, &rows, &ind.source, &derived, &mut |_, _| {}))
        .collect();

    // Gates, on values before imputation.
    let mut gate_failures: Vec<Vec<GateFailure>> = vec![Vec::new(); n];
    for g in &system.gates {
        let mut passes = vec![0usize; n];
        let mut fails: Vec<Vec<GateFailure>> = vec![Vec::new(); n];
        for c in &g.conditions {
            let mut errs = Vec::new();
            let v = source_values(&table, &rows, &c.source, &derived, &mut |z, t| {
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
                            lookup(&system, &table, *ti, rows[z], &mut problems)
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

    // Not-applicable cells.
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
    let is_app = |z: usize, j: usize| applicable.as_ref().is_none_or(|a| a[z][j]);

    // Missing cells.
    let mut group_cols: Vec<String> = system.data.groups.clone();
    for g in extra_groups.iter().chain(&system.report.watch_within) {
        if !group_cols.contains(g) {
            group_cols.push(g.clone());
        }
    }
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
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }

    // Keep the surviving zones.
    let kept: Vec<usize> = (0..n).filter(|&z| keep[z]).collect();
    if kept.is_empty() {
        return Err(Error::input(
            Some(Location::file(&table.file)),
            text!("no zones left to evaluate", "没有可评价的开发区"),
        ));
    }
    zones = kept.iter().map(|&z| zones[z].clone()).collect();
    let applicable = applicable.map(|a| kept.iter().map(|&z| a[z].clone()).collect::<Vec<_>>());
    let gate_failures: Vec<Vec<GateFailure>> =
        kept.iter().map(|&z| gate_failures[z].clone()).collect();
    let mut raw = Matrix::zeros(kept.len(), m);
    for j in 0..m {
        for (k, &z) in kept.iter().enumerate() {
            raw.set(k, j, values[j][z].unwrap_or(f64::NAN));
        }
    }

    // Outliers (opt-in), on applicable cells.
    let mut treated = Vec::new();
    for (j, ind) in system.indicators.iter().enumerate() {
        let Some(t) = &ind.outliers else { continue };
        let rows_j: Vec<usize> = (0..kept.len())
            .filter(|&k| applicable.as_ref().is_none_or(|a| a[k][j]))
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

    let groups = group_cols
        .iter()
        .map(|c| {
            let col = table.text(c).expect("group columns are read");
            (
                c.clone(),
                kept.iter().map(|&z| col.values[rows[z]].clone()).collect(),
            )
        })
        .collect();
    warnings.extend(system.warnings.iter().cloned());
    Ok(Prepared {
        system,
        table,
        year,
        zones,
        raw: Arc::new(raw),
        applicable,
        groups,
        gate_failures,
        imputed,
        treated,
        dropped,
        warnings,
    })
}

fn lookup(
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
