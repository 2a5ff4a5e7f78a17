//! The data stages before any method runs: select the year, compute derived indicators,
//! test the gates, mark not-applicable cells, fill missing cells and treat outliers.
//!
//! The result ([`Prepared`]) does not depend on the normalisation, weighting or aggregation,
//! so changing a method (or running thousands of sensitivity samples) reuses it.

use std::sync::Arc;

use super::stages::{
    Rows, adjustment_points, derive, fill_missing, group_columns, mark_not_applicable,
    source_values, test_gates, treat_outliers,
};
use crate::data::ZoneTable;
use crate::error::{Error, Location, OptionError, Problem, Result, Text};
use crate::method::Matrix;
use crate::system::{IndicatorSystem, ValueSource};
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

/// A zone of the evaluated year outside the system's `[scope]`.
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfScope {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Why it is not in scope (e.g. `level = 省级, not 国家级`).
    pub reason: Text,
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
    /// Zones of the year outside the system's scope, in data order (not ranked).
    pub not_in_scope: Vec<OutOfScope>,
    /// Per zone, the points of each `[[adjustments]]` item (in the system's order; an empty
    /// cell counts as 0). Empty when the system has no adjustments.
    pub adjustments: Vec<Vec<f64>>,
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
            not_in_scope: self.not_in_scope.clone(),
            adjustments: if self.adjustments.is_empty() {
                Vec::new()
            } else {
                zones.iter().map(|&z| self.adjustments[z].clone()).collect()
            },
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

/// The entries `kept` (increasing indices) of `v`, moved out (all of them: `v` itself).
fn pick<T>(v: Vec<T>, kept: &[usize]) -> Vec<T> {
    if kept.len() == v.len() {
        return v;
    }
    let mut v: Vec<Option<T>> = v.into_iter().map(Some).collect();
    kept.iter().filter_map(|&z| v[z].take()).collect()
}

/// Runs the data stages for `system` on `table`, one function per stage.
pub fn prepare(
    system: Arc<IndicatorSystem>,
    table: Arc<ZoneTable>,
    year: Option<i64>,
    extra_groups: &[String],
) -> Result<Prepared> {
    let (year, rows) = select_rows(&table, year)?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut warnings: Vec<Problem> = table.warnings.clone();
    let (rows, not_in_scope) = apply_scope(&system, &table, rows, &mut warnings)?;
    let zones: Vec<Zone> = rows
        .iter()
        .map(|&r| Zone {
            id: table.ids[r].clone(),
            name: table.names[r].clone(),
            row: r,
        })
        .collect();
    let cx = Rows {
        system: &system,
        table: &table,
        rows: &rows,
        zones: &zones,
    };

    let (derived, failed) = derive(&cx, &mut problems);
    let mut values: Vec<Vec<Option<f64>>> = system
        .indicators
        .iter()
        .map(|ind| source_values(&table, &rows, &ind.source, &derived, &mut |_, _| {}))
        .collect();
    let gate_failures = test_gates(&cx, &derived, &mut problems);
    let adjustments = adjustment_points(&cx, &derived, &mut problems);
    let applicable = mark_not_applicable(&cx, &mut values);
    let filled = fill_missing(
        &cx,
        &mut values,
        applicable.as_deref(),
        &failed,
        &mut problems,
        &mut warnings,
    );
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }

    // Keep the surviving zones.
    let kept: Vec<usize> = (0..rows.len()).filter(|&z| filled.keep[z]).collect();
    if kept.is_empty() {
        return Err(Error::input(
            Some(Location::file(&table.file)),
            text!("no zones left to evaluate", "没有可评价的开发区"),
        ));
    }
    let zones: Vec<Zone> = pick(zones, &kept);
    let applicable = applicable.map(|a| pick(a, &kept));
    let gate_failures: Vec<Vec<GateFailure>> = pick(gate_failures, &kept);
    let adjustments: Vec<Vec<f64>> = if system.adjustments.is_empty() {
        Vec::new()
    } else {
        pick(adjustments, &kept)
    };
    let m = system.indicators.len();
    let mut raw = Matrix::zeros(kept.len(), m);
    for j in 0..m {
        for (k, &z) in kept.iter().enumerate() {
            raw.set(k, j, values[j][z].unwrap_or(f64::NAN));
        }
    }

    let treated = treat_outliers(
        &system,
        &zones,
        &mut raw,
        applicable.as_deref(),
        &mut warnings,
    );
    warnings.extend(beyond_ideal(&system, &zones, &raw, year));
    let groups = group_columns(&system, extra_groups)
        .into_iter()
        .map(|c| {
            let col = table.text(&c).expect("group columns are read");
            let values = kept.iter().map(|&z| col.values[rows[z]].clone()).collect();
            (c, values)
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
        imputed: filled.imputed,
        treated,
        dropped: filled.dropped,
        not_in_scope,
        adjustments,
        warnings,
    })
}

/// Warns, per indicator normalised by its ideal value, when zones are beyond the ideal (above
/// it for a benefit indicator, below it for a cost one): they all score full marks and are no
/// longer told apart. TD/T 1029 asks for ideal values at or beyond every zone's current value.
pub fn beyond_ideal(
    system: &IndicatorSystem,
    zones: &[Zone],
    raw: &Matrix,
    year: Option<i64>,
) -> Vec<Problem> {
    use crate::method::Direction;
    let mut warnings = Vec::new();
    if system.method.ideals_are_standards {
        return warnings;
    }
    let when = year.map(|y| format!(" ({y})")).unwrap_or_default();
    let default = system
        .method
        .normalization
        .as_ref()
        .map(|p| p.kind.as_str());
    for (j, ind) in system.indicators.iter().enumerate() {
        let norm = ind
            .normalization
            .as_ref()
            .map(|p| p.kind.as_str())
            .or(default);
        let (Some("ideal"), Some(t), None) = (norm, ind.ideal, ind.worst) else {
            continue;
        };
        let beyond = |x: f64| match ind.direction {
            Direction::Benefit => x > t,
            Direction::Cost => x < t,
            _ => false,
        };
        let over: Vec<usize> = (0..zones.len())
            .filter(|&z| {
                let x = raw.get(z, j);
                x.is_finite() && beyond(x)
            })
            .collect();
        let Some(&worst) = over.iter().max_by(|&&a, &&b| {
            let (xa, xb) = (raw.get(a, j), raw.get(b, j));
            match ind.direction {
                Direction::Cost => xb.total_cmp(&xa),
                _ => xa.total_cmp(&xb),
            }
        }) else {
            continue;
        };
        let x = crate::num::num_short(raw.get(worst, j));
        let (id, n, zone) = (&ind.id, over.len(), &zones[worst].name);
        let id = format!("{id}{when}");
        let (side, side_zh) = match ind.direction {
            Direction::Cost => ("below", "低于"),
            _ => ("above", "高于"),
        };
        warnings.push(Problem::at(
            Some(ind.location.clone()),
            text!(
                "indicator {id}: {n} zone(s) {side} the ideal value {t} score full marks and are no longer told apart (furthest: \"{zone}\" with {x}); set the ideal at or beyond every zone's value",
                "指标 {id}：{n} 个开发区{side_zh}理想值 {t}，均得满分而无法区分（最远：“{zone}”，{x}）；理想值应不低于（成本型不高于）所有开发区的现状值"
            ),
        ));
    }
    warnings
}

/// Splits the year's rows into those in the system's scope and the zones outside it. A zone
/// with an empty scope cell is outside it, with a located warning; no zone in scope is an
/// error naming the scope.
fn apply_scope(
    system: &IndicatorSystem,
    table: &ZoneTable,
    rows: Vec<usize>,
    warnings: &mut Vec<Problem>,
) -> Result<(Vec<usize>, Vec<OutOfScope>)> {
    let Some(scope) = &system.scope else {
        return Ok((rows, Vec::new()));
    };
    let columns = scope.rule.columns();
    let cols: Vec<_> = columns
        .iter()
        .map(|c| table.text(c).expect("scope columns are read"))
        .collect();
    let mut kept = Vec::with_capacity(rows.len());
    let mut out = Vec::new();
    for r in rows {
        let value = |c: &str| -> &str {
            cols.iter()
                .find(|col| col.name == c)
                .map_or("", |col| col.values[r].as_str())
        };
        for (k, c) in columns.iter().enumerate() {
            if cols[k].values[r].trim().is_empty() {
                let zone = &table.names[r];
                warnings.push(Problem::at(
                    Some(table.location(r, cols[k].field)),
                    text!(
                        "zone \"{zone}\": scope column {c} is empty (the zone is not in scope)",
                        "开发区“{zone}”：评价范围列 {c} 为空（该开发区不在评价范围内）"
                    ),
                ));
            }
        }
        match scope.rule.reason_out(value) {
            None => kept.push(r),
            Some(reason) => out.push(OutOfScope {
                id: table.ids[r].clone(),
                name: table.names[r].clone(),
                reason,
            }),
        }
    }
    if kept.is_empty() {
        let what = scope.rule.describe();
        return Err(Error::input(
            Some(scope.location.clone()),
            text!(
                "no zone of the data is in the system's scope ({what})",
                "数据中没有开发区属于本体系的评价范围（{what}）"
            ),
        ));
    }
    Ok((kept, out))
}
