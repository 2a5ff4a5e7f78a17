//! The method stages of an evaluation — normalise, weigh, aggregate, rank and grade — over the
//! ranked zones of one year, or over the zone-years of several years stacked into one matrix
//! (pooled or base-year goalposts), split back into one [`Evaluation`] per year.

use std::sync::Arc;

use super::{Evaluation, Peer, Prepared, ZoneResult, normalize_columns, rank, zone_weights};
use crate::error::{Error, Location, Problem, Result};
use crate::method::aggregate::{AggInput, Aggregated, Aggregation, Preference};
use crate::method::weight::{WeightInput, WeightOutput};
use crate::method::{CellError, ColumnSpec, Direction, Matrix, NamedColumn};
use crate::system::{IndicatorSystem, VetoPolicy};
use crate::text;

use super::Methods;

/// One year's prepared data in a run, and the zones of it that are ranked.
pub(super) struct Block<'a> {
    /// The year's data.
    pub prep: &'a Arc<Prepared>,
    /// Ranked zones: indices into `prep.zones`.
    pub rows: Vec<usize>,
}

/// Where the normalisation's statistics come from in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Scale {
    /// Every block's own zones (one block per run).
    Own,
    /// Every row of every block together.
    Pooled,
    /// The rows of block `block`; `cap` clamps other rows to the range its values span.
    Base { block: usize, cap: bool },
}

/// The ranked zones of `prep`: every zone, less the vetoed ones under `veto = "exclude"`;
/// an error when none is left.
pub(super) fn ranked_rows(prep: &Prepared) -> Result<Vec<usize>> {
    let sys = &prep.system;
    let rows: Vec<usize> = (0..prep.zones.len())
        .filter(|&z| prep.gate_failures[z].is_empty() || sys.method.veto != VetoPolicy::Exclude)
        .collect();
    if !rows.is_empty() {
        return Ok(rows);
    }
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
        .map_or_else(|| Location::file(&sys.file), |g| g.location.clone());
    let list = failed.join(", ");
    let year = prep.year.map(|y| format!(" ({y})")).unwrap_or_default();
    Err(Error::input(
        Some(loc),
        text!(
            "every zone{year} failed a veto gate ({list}), and veto = \"exclude\": nothing to rank",
            "所有开发区{year}均未通过否决门槛（{list}），且 veto = \"exclude\"：无可排名对象"
        ),
    ))
}

/// The stacked rows: block b's rows are `starts[b]..starts[b + 1]`.
struct Stack<'a, 'b> {
    blocks: &'b [Block<'a>],
    starts: Vec<usize>,
}

impl Stack<'_, '_> {
    fn len(&self) -> usize {
        *self.starts.last().expect("one start per block and the end")
    }

    fn range(&self, b: usize) -> std::ops::Range<usize> {
        self.starts[b]..self.starts[b + 1]
    }

    /// The block and the zone (index into its `Prepared`) of stacked row `r`.
    fn locate(&self, r: usize) -> (&Prepared, usize) {
        let b = self.starts.partition_point(|&s| s <= r) - 1;
        let block = &self.blocks[b];
        (block.prep, block.rows[r - self.starts[b]])
    }

    /// A method error at (row, col) of the stacked rows, located.
    fn problem(&self, e: &CellError, what: &str) -> Problem {
        let sys = &self.blocks[0].prep.system;
        match (e.row, e.col) {
            (Some(r), Some(c)) => {
                let (prep, z) = self.locate(r);
                prep.cell_problem(z, c, &e.message)
            }
            (None, Some(c)) => {
                let ind = &sys.indicators[c];
                let (id, en, zh) = (&ind.id, &e.message.en, &e.message.zh);
                Problem::at(
                    Some(ind.location.clone()),
                    text!("{what}, indicator {id}: {en}", "{what}，指标 {id}：{zh}"),
                )
            }
            (Some(r), None) => {
                let (prep, z) = self.locate(r);
                let z = &prep.zones[z];
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

    /// Is indicator `j` applicable to stacked row `r`?
    fn applicable(&self, r: usize, j: usize) -> bool {
        let (prep, z) = self.locate(r);
        prep.applicable.as_ref().is_none_or(|a| a[z][j])
    }

    fn any_not_applicable(&self) -> bool {
        self.blocks.iter().any(|b| b.prep.applicable.is_some())
    }
}

/// The raw values of the ranked rows of every block, stacked (shared with the `Prepared`
/// when there is one block and no zone is excluded).
fn stacked_raw(stack: &Stack<'_, '_>) -> Arc<Matrix> {
    if let [b] = stack.blocks
        && b.rows.len() == b.prep.zones.len()
    {
        return b.prep.raw.clone();
    }
    let m = stack.blocks[0].prep.raw.cols();
    let mut out = Matrix::zeros(stack.len(), m);
    for (k, b) in stack.blocks.iter().enumerate() {
        let s = stack.starts[k];
        for j in 0..m {
            let src = b.prep.raw.col(j);
            let dst = &mut out.col_mut(j)[s..s + b.rows.len()];
            for (d, &z) in dst.iter_mut().zip(&b.rows) {
                *d = src[z];
            }
        }
    }
    Arc::new(out)
}

/// Turns each column's notes and errors into located warnings and problems.
fn column_outcomes(
    stack: &Stack<'_, '_>,
    results: Vec<super::ColumnOutcome>,
) -> Result<Vec<Problem>> {
    let sys = &stack.blocks[0].prep.system;
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
                Some(r) => {
                    let (prep, z) = stack.locate(r);
                    prep.cell_problem(z, j, &e.message)
                }
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
    if problems.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::many(problems))
    }
}

/// Normalises the stacked rows: on their own statistics (one block, or pooled blocks), or
/// on those of the base block.
fn normalize(
    stack: &Stack<'_, '_>,
    methods: &Methods,
    raw: &Matrix,
    scale: Scale,
) -> Result<(Matrix, Vec<Problem>)> {
    let sys = &stack.blocks[0].prep.system;
    let specs: Vec<ColumnSpec> = sys.indicators.iter().map(|i| i.spec()).collect();
    let app = |r: usize, j: usize| stack.applicable(r, j);
    let app_ref: Option<&(dyn Fn(usize, usize) -> bool + Sync)> = if stack.any_not_applicable() {
        Some(&app)
    } else {
        None
    };
    let Scale::Base { block, cap } = scale else {
        let (out, results) = normalize_columns(methods, &specs, raw, app_ref);
        return Ok((out, column_outcomes(stack, results)?));
    };
    let base = stack.range(block);
    let (n, m) = (raw.rows(), specs.len());
    let mut out = Matrix::zeros(n, m);
    let mut results = Vec::with_capacity(m);
    for (j, spec) in specs.iter().enumerate() {
        let method = &methods.per_indicator[j].1;
        let idx: Vec<usize> = (0..n).filter(|&r| stack.applicable(r, j)).collect();
        let reference: Vec<f64> = idx
            .iter()
            .filter(|r| base.contains(r))
            .map(|&r| raw.get(r, j))
            .collect();
        let x: Vec<f64> = idx.iter().map(|&r| raw.get(r, j)).collect();
        let mut o = vec![0.0; x.len()];
        let mut notes = Vec::new();
        let res = method
            .apply_with_reference(&reference, &x, spec, &mut o, &mut notes)
            .map_err(|e| CellError {
                row: e.row.map(|r| idx[r]),
                ..e
            });
        if cap && res.is_ok() {
            let (lo, hi) = idx
                .iter()
                .zip(&o)
                .filter(|(r, _)| base.contains(r))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, &v)| {
                    (lo.min(v), hi.max(v))
                });
            if lo <= hi {
                o.iter_mut().for_each(|v| *v = v.clamp(lo, hi));
            }
        }
        let col = out.col_mut(j);
        for (&r, v) in idx.iter().zip(o) {
            col[r] = v;
        }
        results.push((notes, res));
    }
    Ok((out, column_outcomes(stack, results)?))
}

/// Values on the base block's scale: kept when the base block's values lie in [0, 1], else
/// rescaled by the base block's min and max (higher is better: row-wise aggregations).
pub(super) fn unit_from_base(values: &[f64], base: std::ops::Range<usize>) -> Vec<f64> {
    const SLACK: f64 = 1e-12;
    let b = &values[base];
    if b.iter().all(|v| (-SLACK..=1.0 + SLACK).contains(v)) {
        return values.to_vec();
    }
    let (lo, hi) = crate::method::normalize::min_max_of(b);
    let range = hi - lo;
    values
        .iter()
        .map(|&v| if range > 0.0 { (v - lo) / range } else { 1.0 })
        .collect()
}

/// The unit scores of stacked values under `scale`.
fn units(agg: &Aggregation, values: &[f64], stack: &Stack<'_, '_>, scale: Scale) -> Vec<f64> {
    match scale {
        Scale::Base { block, cap } => {
            let mut u = unit_from_base(values, stack.range(block));
            if cap {
                u.iter_mut().for_each(|v| *v = v.clamp(0.0, 1.0));
            }
            u
        }
        _ => agg.unit_score(values),
    }
}

/// A criterion's values per stacked row, and whether any of its leaves applies to the row.
type SubValues = (Vec<f64>, Vec<bool>);

/// The aggregation restricted to `leaves` (weights renormalised): values, and per row
/// whether any of the leaves applies (None when no leaf has weight).
fn subscore(
    agg: &Aggregation,
    input: &AggInput<'_>,
    leaves: &[usize],
    notes: &mut Vec<crate::error::Text>,
) -> std::result::Result<Option<SubValues>, CellError> {
    let n = input.normalized.rows();
    let normalized = input.normalized.select_columns(leaves);
    let values = input.values.select_columns(leaves);
    let cost: Vec<bool> = leaves.iter().map(|&l| input.cost[l]).collect();
    let prefs: Vec<Preference> = leaves.iter().map(|&l| input.preferences[l]).collect();
    let mut w: Vec<f64> = leaves.iter().map(|&l| input.weights[l]).collect();
    let s: f64 = w.iter().sum();
    if !(s > 0.0) {
        return Ok(None);
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
    Ok(Some((out.value, alive)))
}

/// Runs the methods over the blocks stacked, and returns one evaluation per block. With
/// one block and `Scale::Own` this is the evaluation of one year.
pub(super) fn run(
    blocks: &[Block<'_>],
    methods: &Arc<Methods>,
    group_by: &[String],
    given_weights: Option<WeightOutput>,
    scale: Scale,
) -> Result<Vec<Evaluation>> {
    let mut starts = vec![0];
    for b in blocks {
        starts.push(starts.last().expect("starts at 0") + b.rows.len());
    }
    let stack = Stack { blocks, starts };
    let sys: &IndicatorSystem = &blocks[0].prep.system;

    let mut warnings: Vec<Problem> = methods.warnings.clone();

    let raw = stacked_raw(&stack);
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

    let (normalized, norm_warn) = normalize(&stack, methods, &raw, scale)?;
    warnings.extend(norm_warn);

    let mut notes = Vec::new();
    let weights = match given_weights {
        Some(w) => w,
        None => {
            // Data-driven weights from the rows the statistics come from.
            let (wr, wn);
            let (raw_w, norm_w): (&Matrix, &Matrix) = match scale {
                Scale::Base { block, .. } => {
                    let idx: Vec<usize> = stack.range(block).collect();
                    wr = raw.select_rows(&idx);
                    wn = normalized.select_rows(&idx);
                    (&wr, &wn)
                }
                _ => (&raw, &normalized),
            };
            let input = WeightInput {
                raw: raw_w,
                normalized: norm_w,
                specs: &specs,
                tree: &sys.tree,
            };
            let w = methods
                .weighting
                .weigh(&input, &mut notes)
                .map_err(|e| Error::from(stack.problem(&e, "weighting")))?;
            warnings.extend(notes.drain(..).map(Problem::new));
            w
        }
    };

    let zone_weights: Option<Matrix> = if stack.any_not_applicable() {
        let parts: Vec<Matrix> = blocks
            .iter()
            .map(|b| match &b.prep.applicable {
                Some(a) => zone_weights(sys, &weights.weights, a, &b.rows),
                None => {
                    let mut m = Matrix::zeros(b.rows.len(), weights.weights.len());
                    for (j, &w) in weights.weights.iter().enumerate() {
                        m.col_mut(j).fill(w);
                    }
                    m
                }
            })
            .collect();
        let mut parts = parts;
        Some(if parts.len() == 1 {
            parts.pop().expect("one block")
        } else {
            stack_rows(&parts.iter().collect::<Vec<_>>())
        })
    } else {
        None
    };
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
        .map_err(|e| Error::from(stack.problem(&e, "aggregation")))?;
    warnings.extend(notes.drain(..).map(Problem::new));
    if let Some(r) = aggregated.value.iter().position(|x| !x.is_finite()) {
        let (prep, z) = stack.locate(r);
        let z = &prep.zones[z];
        let name = &z.name;
        return Err(Error::input(
            Some(prep.table.location(z.row, 0)),
            text!(
                "zone \"{name}\": the aggregation produced a non-finite value",
                "开发区“{name}”：集成结果不是有限数值"
            ),
        ));
    }
    let unit = units(agg, &aggregated.value, &stack, scale);

    // Criterion sub-scores (unit scores per stacked row).
    let crit: Vec<(usize, Vec<usize>)> = if sys.is_hierarchical() {
        sys.criteria()
            .map(|(k, _)| (k, sys.tree.leaves_under(k)))
            .collect()
    } else {
        Vec::new()
    };
    let mut crit_units: Vec<Vec<Option<f64>>> = Vec::with_capacity(crit.len());
    for (_, leaves) in &crit {
        let sub = subscore(agg, &input, leaves, &mut notes)
            .map_err(|e| Error::from(stack.problem(&e, "criterion sub-score")))?;
        crit_units.push(match sub {
            None => vec![None; stack.len()],
            Some((v, alive)) => units(agg, &v, &stack, scale)
                .into_iter()
                .zip(alive)
                .map(|(u, a)| a.then_some(u))
                .collect(),
        });
    }

    // The aggregation's references (DEA's peers) as zones: rows of the stack, so a peer may be
    // another year's zone when the years are pooled.
    let several = blocks.len() > 1;
    let mut peers: Vec<Vec<Peer>> = aggregated
        .references
        .iter()
        .map(|refs| {
            refs.iter()
                .map(|&(row, lambda)| {
                    let (prep, z) = stack.locate(row);
                    Peer {
                        id: prep.zones[z].id.clone(),
                        name: prep.zones[z].name.clone(),
                        year: if several { prep.year } else { None },
                        lambda,
                    }
                })
                .collect()
        })
        .collect();
    peers.resize(stack.len(), Vec::new());
    // One evaluation per block: with one block the stacked stages are its own (moved, not
    // copied); with several each block takes its rows.
    let parts: Vec<Part> = if let [_] = blocks {
        vec![Part {
            raw,
            values,
            normalized,
            zone_weights,
            aggregated,
            crit_units,
            peers,
        }]
    } else {
        (0..blocks.len())
            .map(|b| {
                let range = stack.range(b);
                let idx: Vec<usize> = range.clone().collect();
                Part {
                    raw: Arc::new(raw.select_rows(&idx)),
                    values: Arc::new(values.select_rows(&idx)),
                    normalized: normalized.select_rows(&idx),
                    zone_weights: zone_weights.as_ref().map(|m| m.select_rows(&idx)),
                    aggregated: Aggregated {
                        value: aggregated.value[range.clone()].to_vec(),
                        tables: aggregated
                            .tables
                            .iter()
                            .map(|t| NamedColumn {
                                values: if t.values.len() == stack.len() {
                                    t.values[range.clone()].to_vec()
                                } else {
                                    t.values.clone()
                                },
                                ..t.clone()
                            })
                            .collect(),
                        indicator_tables: aggregated.indicator_tables.clone(),
                        statistics: aggregated.statistics.clone(),
                        references: if aggregated.references.is_empty() {
                            Vec::new()
                        } else {
                            aggregated.references[range.clone()].to_vec()
                        },
                    },
                    crit_units: crit_units
                        .iter()
                        .map(|c| c[range.clone()].to_vec())
                        .collect(),
                    peers: peers[range.clone()].to_vec(),
                }
            })
            .collect()
    };
    let mut out = Vec::with_capacity(blocks.len());
    for ((b, block), part) in blocks.iter().enumerate().zip(parts) {
        let results = assemble(
            block,
            agg,
            &part.aggregated.value,
            &unit[stack.range(b)],
            &crit,
            &part.crit_units,
            group_by,
        );
        let mut w = block.prep.warnings.clone();
        w.extend(warnings.iter().cloned());
        out.push(Evaluation {
            prepared: block.prep.clone(),
            methods: methods.clone(),
            ranked: block.rows.clone(),
            raw: part.raw,
            values: part.values,
            cost: cost.clone(),
            normalized: part.normalized,
            weights: weights.clone(),
            zone_weights: part.zone_weights,
            preferences: preferences.clone(),
            aggregated: part.aggregated,
            peers: part.peers,
            results,
            warnings: w,
            panel: None,
        });
    }
    Ok(out)
}

/// One block's share of the stacked stages.
struct Part {
    raw: Arc<Matrix>,
    values: Arc<Matrix>,
    normalized: Matrix,
    zone_weights: Option<Matrix>,
    aggregated: Aggregated,
    crit_units: Vec<Vec<Option<f64>>>,
    peers: Vec<Vec<Peer>>,
}

/// Matrices with the same columns, one under the other.
pub(super) fn stack_rows(parts: &[&Matrix]) -> Matrix {
    let n: usize = parts.iter().map(|p| p.rows()).sum();
    let m = parts.first().map_or(0, |p| p.cols());
    let mut out = Matrix::zeros(n, m);
    for j in 0..m {
        let col = out.col_mut(j);
        let mut s = 0;
        for p in parts {
            col[s..s + p.rows()].copy_from_slice(p.col(j));
            s += p.rows();
        }
    }
    out
}

/// The results of one block: scores (with adjustments), ranks, grades, group ranks and the
/// watch list, best rank first, then the excluded (vetoed) zones in data order.
fn assemble(
    block: &Block<'_>,
    agg: &Aggregation,
    value: &[f64],
    unit: &[f64],
    crit: &[(usize, Vec<usize>)],
    crit_units: &[Vec<Option<f64>>],
    group_by: &[String],
) -> Vec<ZoneResult> {
    let prep = block.prep.as_ref();
    let sys = &prep.system;
    let rows = &block.rows;
    let vetoed: Vec<bool> = prep.gate_failures.iter().map(|f| !f.is_empty()).collect();
    let adjusted = !sys.adjustments.is_empty();
    let score: Vec<f64> = (0..rows.len())
        .map(|r| {
            let s = unit[r] * sys.scale;
            if adjusted {
                s + prep.adjustments[rows[r]].iter().sum::<f64>()
            } else {
                s
            }
        })
        .collect();
    // With adjustments the adjusted score ranks; otherwise the method's value (the same
    // order, without the rounding of the display scale).
    let (key, higher): (&[f64], bool) = if adjusted {
        (&score, true)
    } else {
        (value, agg.higher_is_better())
    };
    let (ranks, order) = rank::competition_ranks_and_order(key, higher);

    let mut results: Vec<ZoneResult> = Vec::with_capacity(prep.zones.len());
    let lowest_grade = (!sys.grades.is_empty()).then(|| sys.grades.len() - 1);
    for &r in &order {
        let z = rows[r];
        let mut grade = sys.grades.iter().position(|g| score[r] >= g.min);
        if vetoed[z] && sys.method.veto == VetoPolicy::GradeFloor {
            grade = lowest_grade;
        }
        results.push(ZoneResult {
            zone: z,
            value: Some(value[r]),
            score: Some(score[r]),
            rank: Some(ranks[r]),
            grade,
            vetoed: vetoed[z],
            criteria: crit
                .iter()
                .zip(crit_units)
                .map(|((k, _), s)| (*k, s[r].map(|u| u * sys.scale)))
                .collect(),
            group_ranks: Vec::new(),
            watch: false,
        });
    }
    let mut in_rows = vec![false; prep.zones.len()];
    rows.iter().for_each(|&z| in_rows[z] = true);
    for (z, _) in vetoed
        .iter()
        .enumerate()
        .filter(|(z, v)| **v && !in_rows[*z])
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
    let key_of = |r: &ZoneResult| -> Option<f64> { if adjusted { r.score } else { r.value } };
    group_ranks(prep, &mut results, &group_cols, higher, &key_of);
    watch_list(prep, &mut results);
    results
}

fn group_ranks(
    prep: &Prepared,
    results: &mut [ZoneResult],
    cols: &[String],
    higher: bool,
    key: &dyn Fn(&ZoneResult) -> Option<f64>,
) {
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
                .filter(|&i| key(&results[i]).is_some())
                .collect();
            let vals: Vec<f64> = ranked
                .iter()
                .map(|&i| key(&results[i]).expect("ranked"))
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
