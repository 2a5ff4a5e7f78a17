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
        adjustments,
        warnings,
    })
}
