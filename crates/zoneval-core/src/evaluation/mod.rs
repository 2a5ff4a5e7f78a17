//! The staged evaluation: data stages ([`prepare`]) → normalised → weights → aggregated →
//! ranked and graded, keeping every stage so a result can be explained and a changed method
//! recomputes only what follows it ([`evaluate`] reuses a [`Prepared`]).

mod engine;
pub mod history;
pub mod panel;
pub mod prepare;
pub mod rank;
mod stages;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

pub use crate::method::resolve::{Methods, Overrides};
pub use prepare::{GateFailure, Imputed, Prepared, TreatedValue, Zone, beyond_ideal, prepare};

use crate::bundled::Source;
use crate::data::{Encoding, ReadSpec, ZoneTable};
use crate::error::{Problem, Result};
use crate::method::aggregate::{Aggregated, Preference};
use crate::method::weight::WeightOutput;
use crate::method::{ColumnSpec, Matrix};
use crate::system::{IndicatorSystem, ValueSource};
use crate::text;

/// The result for one zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneResult {
    /// Index into [`Evaluation::zones`].
    pub zone: usize,
    /// The method's value (None when excluded by a veto).
    pub value: Option<f64>,
    /// Display score on the system's scale.
    pub score: Option<f64>,
    /// Competition rank, 1 = best.
    pub rank: Option<usize>,
    /// Grade index into the system's grades (None: below every band, or no grades).
    pub grade: Option<usize>,
    /// Failed a gate.
    pub vetoed: bool,
    /// Criterion sub-scores (node index, display score), hierarchical systems only.
    pub criteria: Vec<(usize, Option<f64>)>,
    /// Rank within each group column: (column, group value, rank).
    pub group_ranks: Vec<(String, String, Option<usize>)>,
    /// On the watch list (`[report] watch_bottom`).
    pub watch: bool,
}

/// A complete evaluation.
#[derive(Debug)]
pub struct Evaluation {
    /// Data stages.
    prepared: Arc<Prepared>,
    /// The methods used.
    methods: Arc<Methods>,
    /// Zones that were ranked: indices into `prepared.zones` (vetoed zones are left out under
    /// `veto = "exclude"`). The matrices below have one row per ranked zone, in this order.
    ranked: Vec<usize>,
    /// Raw values of the ranked zones (shared with `prepared` when no zone is excluded).
    raw: Arc<Matrix>,
    /// Criterion values (deviations for target/range indicators; the raw values themselves
    /// when every indicator is a benefit or a cost).
    values: Arc<Matrix>,
    /// Per indicator: lower criterion value is better.
    cost: Vec<bool>,
    /// Normalised matrix.
    normalized: Matrix,
    /// Weights.
    weights: WeightOutput,
    /// Per-zone weights when some indicators do not apply to every zone.
    zone_weights: Option<Matrix>,
    /// PROMETHEE preference per indicator.
    preferences: Vec<Preference>,
    /// Aggregation output (rows = ranked zones).
    aggregated: Aggregated,
    /// Results, best rank first, then unranked zones in data order.
    results: Vec<ZoneResult>,
    /// Warnings from every stage.
    warnings: Vec<Problem>,
    /// The other years of a panel: history, rules, trends (None for one year of data, and
    /// for evaluations at given weights).
    panel: Option<Arc<panel::PanelInfo>>,
}

impl Evaluation {
    /// Data stages.
    pub fn prepared(&self) -> &Arc<Prepared> {
        &self.prepared
    }

    /// The methods used.
    pub fn methods(&self) -> &Arc<Methods> {
        &self.methods
    }

    /// Zones that were ranked: indices into `prepared.zones` (vetoed zones are left out under
    /// `veto = "exclude"`). The matrices below have one row per ranked zone, in this order.
    pub fn ranked(&self) -> &[usize] {
        &self.ranked
    }

    /// Raw values of the ranked zones (shared with `prepared` when no zone is excluded).
    pub fn raw(&self) -> &Arc<Matrix> {
        &self.raw
    }

    /// Criterion values (deviations for target/range indicators; the raw values themselves
    /// when every indicator is a benefit or a cost).
    pub fn values(&self) -> &Arc<Matrix> {
        &self.values
    }

    /// Per indicator: lower criterion value is better.
    pub fn cost(&self) -> &[bool] {
        &self.cost
    }

    /// Normalised matrix.
    pub fn normalized(&self) -> &Matrix {
        &self.normalized
    }

    /// Weights.
    pub fn weights(&self) -> &WeightOutput {
        &self.weights
    }

    /// Per-zone weights when some indicators do not apply to every zone.
    pub fn zone_weights(&self) -> Option<&Matrix> {
        self.zone_weights.as_ref()
    }

    /// PROMETHEE preference per indicator.
    pub fn preferences(&self) -> &[Preference] {
        &self.preferences
    }

    /// Aggregation output (rows = ranked zones).
    pub fn aggregated(&self) -> &Aggregated {
        &self.aggregated
    }

    /// Results, best rank first, then unranked zones in data order.
    pub fn results(&self) -> &[ZoneResult] {
        &self.results
    }

    /// Warnings from every stage.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// The panel: every evaluated year's ranking, the multi-year rules and the trends.
    pub fn panel(&self) -> Option<&panel::PanelInfo> {
        self.panel.as_deref()
    }

    /// The zone of a result.
    pub fn zone(&self, r: &ZoneResult) -> &Zone {
        &self.prepared.zones[r.zone]
    }

    /// The system.
    pub fn system(&self) -> &IndicatorSystem {
        &self.prepared.system
    }
}

/// The [`ReadSpec`] a system needs.
pub fn read_spec(
    system: &IndicatorSystem,
    encoding: Option<Encoding>,
    extra_text: &[String],
) -> ReadSpec {
    let mut asked_by = HashMap::new();
    for ind in &system.indicators {
        match &ind.source {
            ValueSource::Column(c) => {
                asked_by
                    .entry(c.clone())
                    .or_insert_with(|| ind.location.clone());
            }
            ValueSource::Formula(f) => {
                for v in &f.vars {
                    asked_by
                        .entry(v.clone())
                        .or_insert_with(|| ind.location.clone());
                }
            }
        }
    }
    for g in &system.gates {
        for c in &g.conditions {
            match &c.source {
                ValueSource::Column(col) => {
                    asked_by
                        .entry(col.clone())
                        .or_insert_with(|| c.location.clone());
                }
                ValueSource::Formula(f) => {
                    for v in &f.vars {
                        asked_by
                            .entry(v.clone())
                            .or_insert_with(|| c.location.clone());
                    }
                }
            }
        }
    }
    for a in &system.adjustments {
        match &a.source {
            ValueSource::Column(c) => {
                asked_by
                    .entry(c.clone())
                    .or_insert_with(|| a.location.clone());
            }
            ValueSource::Formula(f) => {
                for v in &f.vars {
                    asked_by
                        .entry(v.clone())
                        .or_insert_with(|| a.location.clone());
                }
            }
        }
    }
    let mut text = system.text_columns_needed();
    for t in extra_text {
        if !text.contains(t) {
            text.push(t.clone());
        }
    }
    let encoding = encoding.unwrap_or(match system.data.encoding.as_deref() {
        Some("gbk") | Some("gb18030") => Encoding::Gbk,
        Some(_) => Encoding::Utf8,
        None => Encoding::Auto,
    });
    // The names a column is also matched by: those of the indicators and conditions reading it.
    let mut labels: Vec<(String, Vec<String>)> = Vec::new();
    let named = system
        .indicators
        .iter()
        .map(|i| (&i.source, &i.name, &i.name_en))
        .chain(system.gates.iter().flat_map(|g| {
            g.conditions
                .iter()
                .map(|c| (&c.source, &c.name, &c.name_en))
        }));
    for (source, name, name_en) in named {
        if let ValueSource::Column(c) = source {
            let l: Vec<String> = std::iter::once(name.clone())
                .chain(name_en.clone())
                .filter(|n| !n.is_empty())
                .collect();
            match labels.iter_mut().find(|(k, _)| k == c) {
                Some((_, v)) => {
                    for n in l {
                        if !v.contains(&n) {
                            v.push(n);
                        }
                    }
                }
                None => labels.push((c.clone(), l)),
            }
        }
    }
    ReadSpec {
        columns: system.data.columns.clone(),
        labels,
        id_column: system.data.id_column.clone(),
        name_column: system.data.name_column.clone(),
        year_column: system.data.year_column.clone(),
        numeric: system.columns_needed(),
        text,
        na: system.data.na.clone(),
        encoding,
        sheet: system.data.sheet.clone(),
        asked_by,
    }
}

/// The data file for a system: `--data` (a path, or a bundled dataset's id), else `[data]
/// path`, else the bundled default dataset. A bundled system's relative `[data] path` is its
/// bundled dataset, not a path in the current directory.
pub fn data_path(system: &IndicatorSystem, given: Option<&Path>) -> Source {
    match (given, &system.data.path) {
        (Some(p), _) => Source::data(p),
        (None, Some(p)) if system.bundled => {
            Source::named(p).unwrap_or_else(|| Source::File(crate::bundled::lexical(p)))
        }
        (None, Some(p)) => Source::File(crate::bundled::lexical(p)),
        (None, None) => Source::data(Path::new(crate::bundled::DEFAULT_DATA)),
    }
}

/// A warning when a system that is not bundled, with no `[data] path`, is evaluated on the
/// bundled dataset because no data was given (DESIGN.md: the bundled dataset is the default).
pub fn unchosen_data_warning(system: &IndicatorSystem, given: Option<&Path>) -> Option<Problem> {
    if given.is_some() || system.bundled || system.data.path.is_some() {
        return None;
    }
    let d = crate::bundled::DEFAULT_DATA;
    Some(Problem::at(
        Some(crate::error::Location::file(&system.file)),
        text!(
            "no data given: evaluating this system on the bundled SYNTHETIC Shandong dataset `{d}`; give your own data file, or name it in the system file with [data] path = \"zones.xlsx\"",
            "未指定数据：本体系正在使用内置的山东合成数据集 `{d}` 评价；请提供自己的数据文件，或在体系文件中以 [data] path = \"zones.xlsx\" 指定"
        ),
    ))
}

/// Reads the data a system needs from `source`; a bundled dataset is marked synthetic.
pub fn load_data(
    system: &IndicatorSystem,
    source: &Source,
    encoding: Option<Encoding>,
    extra_text: &[String],
) -> Result<ZoneTable> {
    let (name, bytes) = source.read()?;
    let mut table =
        crate::data::read_bytes(&name, &bytes, &read_spec(system, encoding, extra_text))?;
    if source.is_bundled() {
        table.mark_synthetic();
    }
    Ok(table)
}

/// The warnings and the result of normalising one column.
pub type ColumnOutcome = (
    Vec<crate::error::Text>,
    std::result::Result<(), crate::method::CellError>,
);

/// Normalises every column of `raw` (zones × indicators) with its own method. A column is
/// restricted to the rows where `applicable(row, col)` holds (others get 0). Columns are
/// independent, so large matrices use every core and the result does not depend on the thread
/// count. Returns the matrix and, per column, its warnings and its error (with the row index
/// into `raw`).
pub fn normalize_columns(
    methods: &Methods,
    specs: &[ColumnSpec],
    raw: &Matrix,
    applicable: Option<&(dyn Fn(usize, usize) -> bool + Sync)>,
) -> (Matrix, Vec<ColumnOutcome>) {
    let (rows, m) = (raw.rows(), specs.len());
    let mut out = Matrix::zeros(rows, m);
    let one = |(j, col): (usize, &mut [f64])| {
        let mut notes = Vec::new();
        let method = &methods.per_indicator[j].1;
        let res = match applicable {
            None => method.apply(raw.col(j), &specs[j], col, &mut notes),
            Some(app) => {
                let idx: Vec<usize> = (0..rows).filter(|&k| app(k, j)).collect();
                let x: Vec<f64> = idx.iter().map(|&k| raw.get(k, j)).collect();
                let mut o = vec![0.0; x.len()];
                let res = method.apply(&x, &specs[j], &mut o, &mut notes);
                for (k, v) in idx.iter().zip(&o) {
                    col[*k] = *v;
                }
                res.map_err(|e| crate::method::CellError {
                    row: e.row.map(|r| idx[r]),
                    ..e
                })
            }
        };
        (notes, res)
    };
    let cols: Vec<(usize, &mut [f64])> = out.columns_mut().take(m).enumerate().collect();
    let results = if rows * m >= 200_000 {
        cols.into_par_iter().map(one).collect()
    } else {
        cols.into_iter().map(one).collect()
    };
    (out, results)
}

/// Per-zone weights: each zone shares a not-applicable indicator's weight among the
/// applicable siblings (recursively up the tree), so rows sum to 1.
pub fn zone_weights(
    sys: &IndicatorSystem,
    global: &[f64],
    applicable: &[Vec<bool>],
    rows: &[usize],
) -> Matrix {
    let m = global.len();
    // Weight of every node = sum of its leaves' global weights.
    let nodes = &sys.tree.nodes;
    let mut node_w = vec![0.0; nodes.len()];
    for (k, _) in nodes.iter().enumerate() {
        node_w[k] = sys.tree.leaves_under(k).iter().map(|&l| global[l]).sum();
    }
    let mut out = Matrix::zeros(rows.len(), m);
    for (r, &z) in rows.iter().enumerate() {
        let app = &applicable[z];
        // Does any applicable leaf sit under each node?
        let live: Vec<bool> = (0..nodes.len())
            .map(|k| sys.tree.leaves_under(k).iter().any(|&l| app[l]))
            .collect();
        let mut stack = vec![(0usize, 1.0f64)];
        while let Some((k, w)) = stack.pop() {
            if let Some(l) = nodes[k].leaf {
                out.set(r, l, w);
                continue;
            }
            let kids: Vec<usize> = nodes[k]
                .children
                .iter()
                .copied()
                .filter(|&c| live[c])
                .collect();
            let total: f64 = kids.iter().map(|&c| node_w[c]).sum();
            for c in kids {
                let share = if total > 0.0 { node_w[c] / total } else { 0.0 };
                stack.push((c, w * share));
            }
        }
    }
    out
}

/// Runs the methods on prepared data and, when the data hold several years, every earlier
/// year too (history, multi-year rules and trends: see [`panel`]); `[method] goalposts`
/// decides whether the years share one scale. `group_by` adds group columns to rank within
/// (they must have been read into `prepared`).
pub fn evaluate(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
) -> Result<Evaluation> {
    panel::evaluate(prepared, methods, group_by, None)
}

/// Runs the methods on prepared data with the given weights in place of the method's own
/// weighting (a method variant of a sensitivity analysis is evaluated at the base weights).
/// Pooled or base-year goalposts still take their statistics from the other years; no
/// history or rules are attached.
pub fn evaluate_with_weights(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
    weights: WeightOutput,
) -> Result<Evaluation> {
    panel::evaluate(prepared, methods, group_by, Some(weights))
}
