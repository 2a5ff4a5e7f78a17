//! Data envelopment analysis (DEA): each zone's technical efficiency against the frontier of
//! all zones, CCR (constant returns) or BCC (variable returns), input or output orientation,
//! in the envelopment form with the two-phase slack computation.
//!
//! Cost indicators are inputs, benefit indicators outputs, on raw values. The mathematics is
//! in [`dea`]; the [`Aggregate`] impl only splits the matrix and lays out the explanation.

use rayon::prelude::*;

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, Matrix, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

mod simplex;
use simplex::{Envelopment, Solution};

/// Returns to scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Charnes–Cooper–Rhodes: constant returns to scale.
    Ccr,
    /// Banker–Charnes–Cooper: variable returns to scale (Σλ = 1).
    Bcc,
}

/// Which side is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    /// Contract inputs by θ at given outputs.
    Input,
    /// Expand outputs by φ at given inputs.
    Output,
}

/// One zone's DEA solution.
#[derive(Clone, Debug, PartialEq)]
pub struct DeaResult {
    /// Efficiency in (0, 1]: θ (input orientation) or 1/φ (output orientation).
    pub efficiency: f64,
    /// θ or φ as solved.
    pub score: f64,
    /// Peers (zone index, λ) with λ > 1e-9.
    pub peers: Vec<(usize, f64)>,
    /// Input slacks s⁻ (one per input).
    pub input_slacks: Vec<f64>,
    /// Output slacks s⁺ (one per output).
    pub output_slacks: Vec<f64>,
    /// Projected inputs: θx − s⁻ (input) or x − s⁻ (output orientation).
    pub input_targets: Vec<f64>,
    /// Projected outputs: y + s⁺ (input) or φy + s⁺ (output orientation).
    pub output_targets: Vec<f64>,
}

/// `dea`: efficiency from the envelopment LP.
#[derive(Debug)]
pub struct Dea {
    /// Returns to scale.
    pub model: Model,
    /// Orientation.
    pub orientation: Orientation,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "dea",
        title: "Data envelopment analysis (CCR/BCC, envelopment form)",
        title_zh: "数据包络分析（CCR/BCC 模型）",
        formula: "input: min θ s.t. Σ_k λ_k x_k + s⁻ = θ x_o, Σ_k λ_k y_k − s⁺ = y_o, λ, s ≥ 0 \
            (BCC: Σλ = 1), then max Σs⁻ + Σs⁺ at θ = θ*; efficiency = θ*.  output: max φ s.t. \
            Σ λ_k x_k + s⁻ = x_o, Σ λ_k y_k − s⁺ = φ y_o; efficiency = 1/φ*",
        conventions: "Needs normalization `none` (raw values) and benefit or cost indicators: \
            cost indicators are inputs, benefit indicators outputs, and every value must be \
            positive (a zero or negative value is an error naming the zone and indicator). With no \
            input (or no output) a constant unit input (output) is used (Lovell & Pastor 1999). \
            Weights are not used. Value = efficiency in (0, 1], 1 on the frontier. Two phases: \
            θ* (or φ*) first, then the largest slack sum at that θ*. Explanation per zone: its peers (frontier zones with \
            λ > 0) with their λ, Σλ, slack sum, number of peers, and each indicator's slack and \
            target (projection on the frontier: θx − s⁻ and y + s⁺, input orientation; x − s⁻ \
            and φy + s⁺, output) in its own units. Solved by a dense revised simplex written for \
            the envelopment LP (exact to 1e-9 against a general LP solver); above 500 zones the \
            LP columns are first narrowed to the zones efficient within their block of 250, \
            which leaves θ* and the slacks unchanged. Sensitivity analyses over the weights are refused (the weights do not enter).",
        reference: "Charnes, Cooper & Rhodes (1978), EJOR 2, 429–444 (CCR); Banker, Charnes & \
            Cooper (1984), Management Science 30, 1078–1092 (BCC); Cooper, Seiford & Tone (2007), \
            Data Envelopment Analysis, 2nd ed., Springer, ch. 3–4 (two-phase slacks); Lovell & \
            Pastor (1999), EJOR 118, 46–51 (models without inputs or outputs). Barr & Durchholz \
            (1997), Decision Support Systems 20, 153–163 (screening by blocks). Tested against Cooper, \
            Seiford & Tone's hospital example (Tables 3.5, 3.7), closed forms (one input, one output: \
            θ = (y/x)/max(y/x)), a 2-input frontier solved by hand, and microlp to 1e-9.",
        params: &[
            ParamInfo {
                name: "model",
                default: "\"ccr\"",
                doc: "\"ccr\" (constant returns to scale) | \"bcc\" (variable returns to scale)",
            },
            ParamInfo {
                name: "orientation",
                default: "\"input\"",
                doc: "\"input\" | \"output\"",
            },
        ],
    },
    caps: Capabilities {
        uses_weights: false,
        ..Capabilities::normalized("none")
    },
    build: |p| {
        let model = match p.choice("model", &["ccr", "bcc"], "ccr")? {
            "bcc" => Model::Bcc,
            _ => Model::Ccr,
        };
        let orientation = match p.choice("orientation", &["input", "output"], "input")? {
            "output" => Orientation::Output,
            _ => Orientation::Input,
        };
        Ok(Box::new(Dea { model, orientation }))
    },
};

/// Solves zone `o`'s envelopment LP against all zones: `x` holds the inputs and `y` the
/// outputs (zones × inputs, zones × outputs; values positive).
pub fn dea(
    x: &Matrix,
    y: &Matrix,
    o: usize,
    model: Model,
    orientation: Orientation,
) -> Result<DeaResult, CellError> {
    let all: Vec<usize> = (0..x.rows()).collect();
    let lp = envelopment(x, y, &all, model, orientation);
    solve_zone(&lp, &all, x, y, o, model, orientation)
}

/// The LP columns of zones `zones`, shared by every zone's LP.
fn envelopment(
    x: &Matrix,
    y: &Matrix,
    zones: &[usize],
    model: Model,
    orientation: Orientation,
) -> Envelopment {
    Envelopment::new(
        zones.len(),
        x.cols(),
        y.cols(),
        |k, i| x.get(zones[k], i),
        |k, r| y.get(zones[k], r),
        model == Model::Bcc,
        orientation == Orientation::Input,
    )
}

/// Zone `o`'s column: its inputs, outputs and, for BCC, 1.
fn own_column(x: &Matrix, y: &Matrix, o: usize, model: Model) -> Vec<f64> {
    let mut c: Vec<f64> = (0..x.cols()).map(|i| x.get(o, i)).collect();
    c.extend((0..y.cols()).map(|r| y.get(o, r)));
    if model == Model::Bcc {
        c.push(1.0);
    }
    c
}

/// Zone `o`'s two phases against the columns of zones `cand` (and its own), laid out as a
/// [`DeaResult`].
fn solve_zone(
    lp: &Envelopment,
    cand: &[usize],
    x: &Matrix,
    y: &Matrix,
    o: usize,
    model: Model,
    orientation: Orientation,
) -> Result<DeaResult, CellError> {
    let (nc, m, s) = (cand.len(), x.cols(), y.cols());
    let input = orientation == Orientation::Input;
    let own = own_column(x, y, o, model);
    let Solution { score, values: v } = lp
        .solve(&own, false)
        .ok()
        .filter(|sol| {
            sol.score.is_finite() && sol.score > 0.0 && sol.values.iter().all(|a| a.is_finite())
        })
        .ok_or_else(|| {
            CellError::at_row(
                o,
                text!(
                    "the linear programme of this zone could not be solved",
                    "该开发区的线性规划无法求解"
                ),
            )
        })?;
    // λ of the candidate columns and of the zone's own column (the same zone when it is a
    // candidate too: their λ are added).
    let mut peers: Vec<(usize, f64)> = (0..nc)
        .filter(|&k| v[k] > 0.0)
        .map(|k| (cand[k], v[k]))
        .collect();
    if v[nc] > 0.0 {
        match peers.iter_mut().find(|p| p.0 == o) {
            Some(p) => p.1 += v[nc],
            None => peers.push((o, v[nc])),
        }
    }
    peers.retain(|p| p.1 > 1e-9);
    peers.sort_by_key(|p| p.0);
    let input_slacks: Vec<f64> = v[nc + 2..nc + 2 + m].to_vec();
    let output_slacks: Vec<f64> = v[nc + 2 + m..].to_vec();
    let (fx, fy) = if input { (score, 1.0) } else { (1.0, score) };
    let input_targets = (0..m).map(|i| fx * x.get(o, i) - input_slacks[i]).collect();
    let output_targets = (0..s)
        .map(|r| fy * y.get(o, r) + output_slacks[r])
        .collect();
    Ok(DeaResult {
        efficiency: if input { score } else { 1.0 / score },
        score,
        peers,
        input_slacks,
        output_slacks,
        input_targets,
        output_targets,
    })
}

/// Zones per block when screening for the frontier.
const BLOCK: usize = 250;

/// The zones that may be on the frontier: each zone is solved (phase one only) against its
/// block of [`BLOCK`] zones, and those efficient within their block are kept. A zone efficient
/// among all zones is efficient within any subset, so every efficient zone is kept; an optimal
/// solution against all zones can always be made of efficient zones (an inefficient zone's
/// column is dominated by a combination of efficient ones: Cooper, Seiford & Tone 2007, §3.3
/// and §4.3), so θ* and the largest slack sum against the kept zones are those against all
/// (the hierarchical decomposition of Barr & Durchholz 1997, Decision Support Systems 20,
/// 153–163). Blocks are fixed by zone order, so the result does not depend on the threads. A
/// zone whose block LP fails is kept.
fn frontier_candidates(
    x: &Matrix,
    y: &Matrix,
    model: Model,
    orientation: Orientation,
) -> Vec<usize> {
    let n = x.rows();
    let blocks: Vec<(usize, Envelopment)> = (0..n)
        .step_by(BLOCK)
        .map(|start| {
            let zones: Vec<usize> = (start..(start + BLOCK).min(n)).collect();
            (start, envelopment(x, y, &zones, model, orientation))
        })
        .collect();
    let keep: Vec<bool> = (0..n)
        .into_par_iter()
        .map(|o| {
            let (start, lp) = &blocks[o / BLOCK];
            let own = lp.column(o - start);
            match lp.solve(own, true) {
                Ok(sol) if orientation == Orientation::Input => sol.score >= 1.0 - 1e-7,
                Ok(sol) => sol.score <= 1.0 + 1e-7,
                Err(_) => true,
            }
        })
        .collect();
    (0..n).filter(|&k| keep[k]).collect()
}

/// Every zone's DEA solution. Each column is first divided by its maximum (efficiency does
/// not depend on units), which keeps the simplex well-conditioned whatever the magnitudes;
/// slacks and targets are returned in the original units. With more than two blocks of zones,
/// the LP columns are first narrowed to the zones that may be on the frontier
/// ([`frontier_candidates`]).
pub fn dea_all(
    x: &Matrix,
    y: &Matrix,
    model: Model,
    orientation: Orientation,
) -> Result<Vec<DeaResult>, CellError> {
    let scale = |m: &Matrix| {
        let s: Vec<f64> = m
            .columns()
            .map(|c| super::super::normalize::min_max_of(c).1)
            .collect();
        let mut out = m.clone();
        for (col, &sj) in out.columns_mut().zip(&s) {
            col.iter_mut().for_each(|v| *v /= sj);
        }
        (out, s)
    };
    let ((xs, sx), (ys, sy)) = (scale(x), scale(y));
    let n = x.rows();
    let cand: Vec<usize> = if n > 2 * BLOCK {
        frontier_candidates(&xs, &ys, model, orientation)
    } else {
        (0..n).collect()
    };
    let lp = envelopment(&xs, &ys, &cand, model, orientation);
    (0..n)
        .into_par_iter()
        .map(|o| {
            let mut r = solve_zone(&lp, &cand, &xs, &ys, o, model, orientation)?;
            for (v, s) in r.input_slacks.iter_mut().zip(&sx) {
                *v *= s;
            }
            for (v, s) in r.output_slacks.iter_mut().zip(&sy) {
                *v *= s;
            }
            for (v, s) in r.input_targets.iter_mut().zip(&sx) {
                *v *= s;
            }
            for (v, s) in r.output_targets.iter_mut().zip(&sy) {
                *v *= s;
            }
            Ok(r)
        })
        .collect()
}

/// Splits raw values into inputs (cost columns) and outputs (benefit columns), checking that
/// `normalized` is the raw values (normalization `none`, no target or range indicator) and
/// that every value is positive. A side with no column gets a constant 1.
pub(crate) fn split(input: &AggInput<'_>, name: &str) -> Result<(Matrix, Matrix), CellError> {
    let (r, v) = (input.normalized, input.values);
    for j in 0..r.cols() {
        if let Some(i) = (0..r.rows()).find(|&i| r.get(i, j) != v.get(i, j)) {
            return Err(CellError::cell(
                i,
                j,
                text!(
                    "`{name}` works on raw values: it needs normalization `none` and benefit or cost indicators (this value was normalised or is a target/range deviation)",
                    "`{name}` 使用原始值：需要标准化方法 `none` 且指标为效益型或成本型（该值已被标准化或为目标/区间偏差）"
                ),
            ));
        }
        if let Some(i) = (0..r.rows()).find(|&i| !(r.get(i, j) > 0.0 && r.get(i, j).is_finite())) {
            let a = r.get(i, j);
            return Err(CellError::cell(
                i,
                j,
                text!(
                    "value {a}: `{name}` needs every input and output to be positive",
                    "数值为 {a}：`{name}` 要求所有投入与产出为正数"
                ),
            ));
        }
    }
    let pick = |cost: bool| {
        let cols: Vec<usize> = (0..r.cols()).filter(|&j| input.cost[j] == cost).collect();
        if cols.is_empty() {
            Matrix::from_columns(&[vec![1.0; r.rows()]])
        } else {
            r.select_columns(&cols)
        }
    };
    Ok((pick(true), pick(false)))
}

impl Aggregate for Dea {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let (x, y) = split(input, "dea")?;
        let res = dea_all(&x, &y, self.model, self.orientation)?;
        // Slacks relative to each column's maximum, so that they can be added up.
        let (mx, my): (Vec<f64>, Vec<f64>) = (
            x.columns()
                .map(|c| super::super::normalize::min_max_of(c).1)
                .collect(),
            y.columns()
                .map(|c| super::super::normalize::min_max_of(c).1)
                .collect(),
        );
        let col = |key: &'static str,
                   en: &'static str,
                   zh: &'static str,
                   f: &dyn Fn(&DeaResult) -> f64| NamedColumn {
            key: key.into(),
            en: en.into(),
            zh: zh.into(),
            values: res.iter().map(f).collect(),
        };
        let tables = vec![
            col(
                "lambda_sum",
                "Σλ (returns to scale)",
                "Σλ（规模收益）",
                &|r| r.peers.iter().map(|p| p.1).sum(),
            ),
            col(
                "slack_sum",
                "Σ slacks (each relative to its column's maximum)",
                "松弛变量之和（各以列最大值为单位）",
                &|r| {
                    let i = r.input_slacks.iter().zip(&mx).map(|(s, m)| s / m);
                    let o = r.output_slacks.iter().zip(&my).map(|(s, m)| s / m);
                    i.chain(o).sum()
                },
            ),
            col(
                "peers",
                "peers (zones on the frontier)",
                "参照开发区数",
                &|r| r.peers.len() as f64,
            ),
        ];
        // Each indicator's slack and target (projection on the frontier), in its own units,
        // keyed by the indicator's position in the system; a constant unit input or output
        // (no cost or no benefit indicator) has none.
        let ids = super::indicator_ids(input);
        let mut per_indicator: Vec<(usize, NamedColumn, NamedColumn)> = Vec::new();
        for (side, cost) in [(0usize, true), (1, false)] {
            let cols: Vec<usize> = (0..input.cost.len())
                .filter(|&j| input.cost[j] == cost)
                .collect();
            for (c, &j) in cols.iter().enumerate() {
                let (i, id) = (j + 1, &ids[j]);
                let pick = |slack: bool| -> Vec<f64> {
                    res.iter()
                        .map(|r| match (side, slack) {
                            (0, true) => r.input_slacks[c],
                            (0, false) => r.input_targets[c],
                            (_, true) => r.output_slacks[c],
                            (_, false) => r.output_targets[c],
                        })
                        .collect()
                };
                let (kind_en, kind_zh) = if cost {
                    ("input", "投入")
                } else {
                    ("output", "产出")
                };
                per_indicator.push((
                    j,
                    NamedColumn {
                        key: format!("slack_{i}").into(),
                        en: format!("{kind_en} slack, {id}").into(),
                        zh: format!("{kind_zh}松弛，{id}").into(),
                        values: pick(true),
                    },
                    NamedColumn {
                        key: format!("target_{i}").into(),
                        en: format!("{kind_en} target (projection), {id}").into(),
                        zh: format!("{kind_zh}目标值（投影），{id}").into(),
                        values: pick(false),
                    },
                ));
            }
        }
        per_indicator.sort_by_key(|t| t.0);
        let mut tables = tables;
        for (_, slack, target) in per_indicator {
            tables.push(slack);
            tables.push(target);
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: res.iter().map(|r| r.peers.clone()).collect(),
            value: res.iter().map(|r| r.efficiency).collect(),
            tables,
        })
    }
}

#[cfg(test)]
mod tests;
