//! The staged evaluation: data stages ([`prepare`]) → normalised → weights → aggregated →
//! ranked and graded, keeping every stage so a result can be explained and a changed method
//! recomputes only what follows it ([`evaluate`] reuses a [`Prepared`]).

pub mod history;
pub mod prepare;
pub mod rank;
mod stages;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

pub use crate::method::resolve::{Methods, Overrides};
pub use prepare::{GateFailure, Imputed, Prepared, TreatedValue, Zone, prepare};

use crate::bundled::Source;
use crate::data::{Encoding, ReadSpec, ZoneTable};
use crate::error::{Error, Problem, Result};
use crate::method::aggregate::{AggInput, Aggregated, Preference};
use crate::method::weight::{WeightInput, WeightOutput};
use crate::method::{ColumnSpec, Direction, Matrix};
use crate::system::{IndicatorSystem, ValueSource, VetoPolicy};
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

/// Normalises the ranked zones (rows `rows` of the prepared data) and locates any problem.
fn normalize(
    prep: &Prepared,
    methods: &Methods,
    raw: &Matrix,
    rows: &[usize],
) -> Result<(Matrix, Vec<Problem>)> {
    let sys = &prep.system;
    let specs: Vec<ColumnSpec> = sys.indicators.iter().map(|i| i.spec()).collect();
    let app = |k: usize, j: usize| prep.applicable.as_ref().is_none_or(|a| a[rows[k]][j]);
    let app_ref: Option<&(dyn Fn(usize, usize) -> bool + Sync)> = if prep.applicable.is_some() {
        Some(&app)
    } else {
        None
    };
    let (out, results) = normalize_columns(methods, &specs, raw, app_ref);
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    for (j, (notes, res)) in results.into_iter().enumerate() {
        let ind = &sys.indicators[j];
        for t in notes {
            let (id, en, zh) = (&ind.id, &t.en, &t.zh);
            warnings.push(Problem::at(
                Some(ind.location.clone()),
                text!("indicator {id}: {en}", "指标 {id}：{zh}"),
            ));
        }
        if let Err(e) = res {
            problems.push(match e.row {
                Some(r) => prep.cell_problem(rows[r], j, &e.message),
                None => {
                    let (id, en, zh) = (&ind.id, &e.message.en, &e.message.zh);
                    Problem::at(
                        Some(ind.location.clone()),
                        text!("indicator {id}: {en}", "指标 {id}：{zh}"),
                    )
                }
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok((out, warnings))
}

/// Maps a method error at (row, col) of the ranked zones to a located problem.
fn method_problem(
    prep: &Prepared,
    rows: &[usize],
    e: &crate::method::CellError,
    what: &str,
) -> Problem {
    match (e.row, e.col) {
        (Some(r), Some(c)) => prep.cell_problem(rows[r], c, &e.message),
        (None, Some(c)) => {
            let ind = &prep.system.indicators[c];
            let (id, en, zh) = (&ind.id, &e.message.en, &e.message.zh);
            Problem::at(
                Some(ind.location.clone()),
                text!("{what}, indicator {id}: {en}", "{what}，指标 {id}：{zh}"),
            )
        }
        (Some(r), None) => {
            let z = &prep.zones[rows[r]];
            let (name, en, zh) = (&z.name, &e.message.en, &e.message.zh);
            Problem::at(
                Some(prep.table.location(z.row, 0)),
                text!(
                    "{what}, zone \"{name}\": {en}",
                    "{what}，开发区“{name}”：{zh}"
                ),
            )
        }
        (None, None) => {
            let (en, zh) = (&e.message.en, &e.message.zh);
            Problem::at(None, text!("{what}: {en}", "{what}：{zh}"))
        }
    }
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

/// Runs the methods on prepared data. `group_by` adds group columns to rank within (they
/// must have been read into `prepared`).
pub fn evaluate(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
) -> Result<Evaluation> {
    run(prepared, methods, group_by, None)
}

/// Runs the methods on prepared data with the given weights in place of the method's own
/// weighting (a method variant of a sensitivity analysis is evaluated at the base weights).
pub fn evaluate_with_weights(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
    weights: WeightOutput,
) -> Result<Evaluation> {
    run(prepared, methods, group_by, Some(weights))
}

fn run(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
    given_weights: Option<WeightOutput>,
) -> Result<Evaluation> {
    let prep = prepared.as_ref();
    let sys = &prep.system;

    let mut warnings: Vec<Problem> = prep.warnings.clone();
    warnings.extend(methods.warnings.iter().cloned());

    let vetoed: Vec<bool> = prep.gate_failures.iter().map(|f| !f.is_empty()).collect();
    let rows: Vec<usize> = (0..prep.zones.len())
        .filter(|&z| !(vetoed[z] && sys.method.veto == VetoPolicy::Exclude))
        .collect();
    if rows.is_empty() {
        // Point at the gate that failed (for the first zone), and say which gates failed.
        let mut failed: Vec<&str> = prep
            .gate_failures
            .iter()
            .flatten()
            .map(|f| f.gate.as_str())
            .collect();
        failed.sort_unstable();
        failed.dedup();
        let first = prep.gate_failures.iter().flatten().next();
        let loc = first
            .and_then(|f| sys.gates.iter().find(|g| g.id == f.gate))
            .map_or_else(
                || crate::error::Location::file(&sys.file),
                |g| g.location.clone(),
            );
        let list = failed.join(", ");
        return Err(Error::input(
            Some(loc),
            text!(
                "every zone failed a veto gate ({list}), and veto = \"exclude\": nothing to rank",
                "所有开发区均未通过否决门槛（{list}），且 veto = \"exclude\"：无可排名对象"
            ),
        ));
    }
    let raw: Arc<Matrix> = if rows.len() == prep.zones.len() {
        prep.raw.clone()
    } else {
        Arc::new(prep.raw.select_rows(&rows))
    };
    let specs: Vec<ColumnSpec> = sys.indicators.iter().map(|i| i.spec()).collect();
    let values: Arc<Matrix> = if specs
        .iter()
        .all(|s| matches!(s.direction, Direction::Benefit | Direction::Cost))
    {
        raw.clone()
    } else {
        let mut v = (*raw).clone();
        for (j, s) in specs.iter().enumerate() {
            for x in v.col_mut(j) {
                *x = s.direction.criterion_value(*x);
            }
        }
        Arc::new(v)
    };
    let cost: Vec<bool> = specs.iter().map(|s| s.direction.is_cost()).collect();

    let (normalized, norm_warn) = normalize(prep, methods, &raw, &rows)?;
    warnings.extend(norm_warn);

    let mut notes = Vec::new();
    let weights = match given_weights {
        Some(w) => w,
        None => {
            let input = WeightInput {
                raw: &raw,
                normalized: &normalized,
                specs: &specs,
                tree: &sys.tree,
            };
            let w = methods
                .weighting
                .weigh(&input, &mut notes)
                .map_err(|e| Error::from(method_problem(prep, &rows, &e, "weighting")))?;
            warnings.extend(notes.drain(..).map(Problem::new));
            w
        }
    };

    let zone_weights = prep
        .applicable
        .as_ref()
        .map(|a| zone_weights(sys, &weights.weights, a, &rows));
    let preferences: Vec<Preference> = sys
        .indicators
        .iter()
        .map(|i| i.preference.unwrap_or(sys.method.preference))
        .collect();
    let agg = &methods.aggregation;
    let input = AggInput {
        normalized: &normalized,
        values: &values,
        cost: &cost,
        weights: &weights.weights,
        preferences: &preferences,
        zone_weights: zone_weights.as_ref(),
        tree: Some(&sys.tree),
    };
    let aggregated = agg
        .aggregate(&input, &mut notes)
        .map_err(|e| Error::from(method_problem(prep, &rows, &e, "aggregation")))?;
    warnings.extend(notes.drain(..).map(Problem::new));
    check_finite(prep, &rows, &aggregated.value)?;
    let unit = agg.unit_score(&aggregated.value);
    let (ranks, order) =
        rank::competition_ranks_and_order(&aggregated.value, agg.higher_is_better());

    // Criterion sub-scores.
    let crit: Vec<(usize, Vec<usize>)> = if sys.is_hierarchical() {
        sys.criteria()
            .map(|(k, _)| (k, sys.tree.leaves_under(k)))
            .collect()
    } else {
        Vec::new()
    };
    let mut crit_scores: Vec<Vec<Option<f64>>> = Vec::with_capacity(crit.len());
    for (_, leaves) in &crit {
        crit_scores
            .push(subscore(sys, agg, &input, leaves, &mut notes).map_err(|e| {
                Error::from(method_problem(prep, &rows, &e, "criterion sub-score"))
            })?);
    }

    // Assemble results.
    let mut results: Vec<ZoneResult> = Vec::with_capacity(prep.zones.len());
    let lowest_grade = (!sys.grades.is_empty()).then(|| sys.grades.len() - 1);
    // In rank order (ties keep data order).
    for &r in &order {
        let z = rows[r];
        let score = unit[r] * sys.scale;
        let mut grade = sys.grades.iter().position(|g| score >= g.min);
        if vetoed[z] && sys.method.veto == VetoPolicy::GradeFloor {
            grade = lowest_grade;
        }
        results.push(ZoneResult {
            zone: z,
            value: Some(aggregated.value[r]),
            score: Some(score),
            rank: Some(ranks[r]),
            grade,
            vetoed: vetoed[z],
            criteria: crit
                .iter()
                .zip(&crit_scores)
                .map(|((k, _), s)| (*k, s[r].map(|u| u * sys.scale)))
                .collect(),
            group_ranks: Vec::new(),
            watch: false,
        });
    }
    for (z, _) in vetoed
        .iter()
        .enumerate()
        .filter(|(z, v)| **v && !rows.contains(z))
    {
        results.push(ZoneResult {
            zone: z,
            value: None,
            score: None,
            rank: None,
            grade: None,
            vetoed: true,
            criteria: Vec::new(),
            group_ranks: Vec::new(),
            watch: false,
        });
    }
    let mut group_cols: Vec<String> = sys.data.groups.clone();
    for g in group_by {
        if !group_cols.contains(g) {
            group_cols.push(g.clone());
        }
    }
    group_ranks(prep, &mut results, &group_cols, agg.higher_is_better());
    watch_list(prep, &mut results);

    Ok(Evaluation {
        prepared: prepared.clone(),
        methods: methods.clone(),
        ranked: rows,
        raw,
        values,
        cost,
        normalized,
        weights,
        zone_weights,
        preferences,
        aggregated,
        results,
        warnings,
    })
}

fn check_finite(prep: &Prepared, rows: &[usize], v: &[f64]) -> Result<()> {
    if let Some(r) = v.iter().position(|x| !x.is_finite()) {
        let z = &prep.zones[rows[r]];
        let name = &z.name;
        return Err(Error::input(
            Some(prep.table.location(z.row, 0)),
            text!(
                "zone \"{name}\": the aggregation produced a non-finite value",
                "开发区“{name}”：集成结果不是有限数值"
            ),
        ));
    }
    Ok(())
}

/// The aggregation restricted to `leaves` (weights renormalised), as unit scores.
fn subscore(
    _sys: &IndicatorSystem,
    agg: &crate::method::aggregate::Aggregation,
    input: &AggInput<'_>,
    leaves: &[usize],
    notes: &mut Vec<crate::error::Text>,
) -> std::result::Result<Vec<Option<f64>>, crate::method::CellError> {
    let n = input.normalized.rows();
    let normalized = input.normalized.select_columns(leaves);
    let values = input.values.select_columns(leaves);
    let cost: Vec<bool> = leaves.iter().map(|&l| input.cost[l]).collect();
    let prefs: Vec<Preference> = leaves.iter().map(|&l| input.preferences[l]).collect();
    let mut w: Vec<f64> = leaves.iter().map(|&l| input.weights[l]).collect();
    let s: f64 = w.iter().sum();
    if !(s > 0.0) {
        return Ok(vec![None; n]);
    }
    w.iter_mut().for_each(|x| *x /= s);
    // Per-zone weights restricted to the criterion; zones with no applicable leaf get None.
    let mut alive = vec![true; n];
    let zw = input.zone_weights.map(|zw| {
        let mut sub = zw.select_columns(leaves);
        for (i, a) in alive.iter_mut().enumerate() {
            let t: f64 = (0..leaves.len()).map(|j| sub.get(i, j)).sum();
            if t > 0.0 {
                for j in 0..leaves.len() {
                    sub.set(i, j, sub.get(i, j) / t);
                }
            } else {
                *a = false;
            }
        }
        sub
    });
    let sub = AggInput {
        normalized: &normalized,
        values: &values,
        cost: &cost,
        weights: &w,
        preferences: &prefs,
        zone_weights: zw.as_ref(),
        tree: None,
    };
    let out = agg.aggregate(&sub, notes)?;
    let unit = agg.unit_score(&out.value);
    Ok(unit
        .into_iter()
        .zip(alive)
        .map(|(u, a)| a.then_some(u))
        .collect())
}

fn group_ranks(prep: &Prepared, results: &mut [ZoneResult], cols: &[String], higher: bool) {
    for col in cols {
        let Some(groups) = prep.group(col) else {
            continue;
        };
        let mut by_group: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, r) in results.iter().enumerate() {
            let g = &groups[r.zone];
            match by_group.iter_mut().find(|(k, _)| k == g) {
                Some((_, v)) => v.push(i),
                None => by_group.push((g.clone(), vec![i])),
            }
        }
        for (g, members) in by_group {
            let ranked: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| results[i].value.is_some())
                .collect();
            let vals: Vec<f64> = ranked
                .iter()
                .map(|&i| results[i].value.expect("ranked"))
                .collect();
            let rk = rank::competition_ranks(&vals, higher);
            for &i in &members {
                let pos = ranked.iter().position(|&x| x == i);
                results[i]
                    .group_ranks
                    .push((col.clone(), g.clone(), pos.map(|p| rk[p])));
            }
        }
    }
}

fn watch_list(prep: &Prepared, results: &mut [ZoneResult]) {
    let Some(n) = prep.system.report.watch_bottom else {
        return;
    };
    let within = prep.system.report.watch_within.as_deref();
    let groups = within.and_then(|c| prep.group(c));
    let mut members: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in results.iter().enumerate() {
        if r.rank.is_none() {
            continue;
        }
        let g = groups.map_or(String::new(), |g| g[r.zone].clone());
        match members.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(i),
            None => members.push((g, vec![i])),
        }
    }
    for (_, idx) in members {
        // `results` is in rank order, so the last n of each group are its bottom n.
        for &i in idx.iter().rev().take(n) {
            results[i].watch = true;
        }
    }
}
