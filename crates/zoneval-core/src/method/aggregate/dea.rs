//! Data envelopment analysis (DEA): each zone's technical efficiency against the frontier of
//! all zones, CCR (constant returns) or BCC (variable returns), input or output orientation,
//! in the envelopment form with the two-phase slack computation.
//!
//! Cost indicators are inputs, benefit indicators outputs, on raw values. The mathematics is
//! in [`dea`]; the [`Aggregate`] impl only splits the matrix and lays out the explanation.

use rayon::prelude::*;

use super::lp::{Lp, Sense};
use super::{AggInput, Aggregate, Aggregated, no_zone_weights};
use crate::error::Text;
use crate::method::{CellError, Entry, Matrix, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

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
            θ* (or φ*) first, then the largest slack sum at that θ*. Explanation: efficiency, Σλ, \
            slack sum and number of peers per zone; the peers with λ, the slacks and the targets \
            are in `dea()`'s result. Monte Carlo and Sobol analyses over weights are refused.",
        reference: "Charnes, Cooper & Rhodes (1978), EJOR 2, 429–444 (CCR); Banker, Charnes & \
            Cooper (1984), Management Science 30, 1078–1092 (BCC); Cooper, Seiford & Tone (2007), \
            Data Envelopment Analysis, 2nd ed., Springer, ch. 3–4 (two-phase slacks); Lovell & \
            Pastor (1999), EJOR 118, 46–51 (models without inputs or outputs). Tested against \
            closed forms (one input, one output: θ = (y/x)/max(y/x)) and a 2-input frontier solved \
            by hand (see the tests).",
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
    let (n, m, s) = (x.rows(), x.cols(), y.cols());
    let input = orientation == Orientation::Input;
    // Variables: λ_0..λ_{n−1}, the scale factor (θ or φ), s⁻ (m), s⁺ (s).
    let build = |phase2: Option<f64>| {
        let mut lp = Lp::new(!input || phase2.is_some());
        for _ in 0..n {
            lp.var(0.0, 0.0, f64::INFINITY);
        }
        let scale = match phase2 {
            None => lp.var(1.0, f64::NEG_INFINITY, f64::INFINITY),
            Some(v) => lp.var(0.0, v, v),
        };
        let c = if phase2.is_some() { 1.0 } else { 0.0 };
        let sm: Vec<usize> = (0..m).map(|_| lp.var(c, 0.0, f64::INFINITY)).collect();
        let sp: Vec<usize> = (0..s).map(|_| lp.var(c, 0.0, f64::INFINITY)).collect();
        for (i, &si) in sm.iter().enumerate() {
            let mut t: Vec<(usize, f64)> = (0..n).map(|k| (k, x.get(k, i))).collect();
            t.push((si, 1.0));
            if input {
                t.push((scale, -x.get(o, i)));
                lp.constraint(&t, Sense::Eq, 0.0);
            } else {
                lp.constraint(&t, Sense::Eq, x.get(o, i));
            }
        }
        for (r, &sr) in sp.iter().enumerate() {
            let mut t: Vec<(usize, f64)> = (0..n).map(|k| (k, y.get(k, r))).collect();
            t.push((sr, -1.0));
            if input {
                lp.constraint(&t, Sense::Eq, y.get(o, r));
            } else {
                t.push((scale, -y.get(o, r)));
                lp.constraint(&t, Sense::Eq, 0.0);
            }
        }
        if model == Model::Bcc {
            let t: Vec<(usize, f64)> = (0..n).map(|k| (k, 1.0)).collect();
            lp.constraint(&t, Sense::Eq, 1.0);
        }
        lp
    };
    let (score, _) = build(None).solve(o)?;
    let (_, v) = build(Some(score)).solve(o)?;
    let peers = (0..n).filter(|&k| v[k] > 1e-9).map(|k| (k, v[k])).collect();
    let input_slacks: Vec<f64> = v[n + 1..n + 1 + m].iter().map(|a| a.max(0.0)).collect();
    let output_slacks: Vec<f64> = v[n + 1 + m..].iter().map(|a| a.max(0.0)).collect();
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

/// Every zone's DEA solution. Each column is first divided by its maximum (efficiency does
/// not depend on units), which keeps the simplex well-conditioned whatever the magnitudes;
/// slacks and targets are returned in the original units.
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
    (0..x.rows())
        .into_par_iter()
        .map(|o| {
            let mut r = dea(&xs, &ys, o, model, orientation)?;
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
    fn normalization(&self) -> Option<&'static str> {
        Some("none")
    }

    fn uses_weights(&self) -> bool {
        false
    }

    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        if input.zone_weights.is_some() {
            return Err(no_zone_weights("dea"));
        }
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
        let col = |key, en, zh, f: &dyn Fn(&DeaResult) -> f64| NamedColumn {
            key,
            en,
            zh,
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
        Ok(Aggregated {
            value: res.iter().map(|r| r.efficiency).collect(),
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, try_run};

    fn eff(x: &Matrix, y: &Matrix, model: Model, orientation: Orientation) -> Vec<f64> {
        (0..x.rows())
            .map(|o| dea(x, y, o, model, orientation).unwrap().efficiency)
            .collect()
    }

    fn col(v: &[f64]) -> Matrix {
        Matrix::from_columns(&[v.to_vec()])
    }

    /// One input, one output, constant returns: θ = (y/x) / max_k(y/x), in both orientations.
    /// Ratios 0.5, 0.75, 0.4, 0.6 → 2/3, 1, 8/15, 0.8.
    #[test]
    fn ccr_single_ratio_closed_form() {
        let (x, y) = (col(&[2.0, 4.0, 5.0, 10.0]), col(&[1.0, 3.0, 2.0, 6.0]));
        let want = [2.0 / 3.0, 1.0, 8.0 / 15.0, 0.8];
        assert_close(&eff(&x, &y, Model::Ccr, Orientation::Input), &want, 1e-9);
        assert_close(&eff(&x, &y, Model::Ccr, Orientation::Output), &want, 1e-9);
        // Zone 0's peer is zone 1 (the only efficient one): λ = y_0/y_1 = 1/3.
        let r = dea(&x, &y, 0, Model::Ccr, Orientation::Input).unwrap();
        assert_eq!(r.peers.len(), 1);
        assert_eq!(r.peers[0].0, 1);
        assert!((r.peers[0].1 - 1.0 / 3.0).abs() < 1e-9);
        assert_close(&r.input_targets, &[4.0 / 3.0], 1e-9);
    }

    /// Two inputs and a unit output under constant returns, checked against the multiplier
    /// form solved independently: with v = (t/x1_o, (1 − t)/x2_o), θ_o = max over t ∈ [0, 1]
    /// of min_k (t x1_k/x1_o + (1 − t) x2_k/x2_o), a concave piecewise-linear function whose
    /// maximum is at t = 0, t = 1 or where two of its lines cross — all enumerated here.
    #[test]
    fn ccr_two_inputs_against_vertex_enumeration() {
        let x1 = [4.0, 7.0, 8.0, 4.0, 2.0, 10.0, 3.0, 6.0];
        let x2 = [3.0, 3.0, 1.0, 2.0, 4.0, 1.0, 7.0, 5.0];
        let n = x1.len();
        let x = Matrix::from_columns(&[x1.to_vec(), x2.to_vec()]);
        let y = col(&vec![1.0; n]);
        let got = eff(&x, &y, Model::Ccr, Orientation::Input);
        for o in 0..n {
            let line = |k: usize| (x1[k] / x1[o], x2[k] / x2[o]); // value = t·a + (1 − t)·b
            let f = |t: f64| {
                (0..n)
                    .map(|k| {
                        let (a, b) = line(k);
                        t * a + (1.0 - t) * b
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            let mut ts = vec![0.0, 1.0];
            for k in 0..n {
                for l in k + 1..n {
                    let ((a1, b1), (a2, b2)) = (line(k), line(l));
                    let den = (a1 - b1) - (a2 - b2);
                    if den != 0.0 {
                        let t = (b2 - b1) / den;
                        if (0.0..=1.0).contains(&t) {
                            ts.push(t);
                        }
                    }
                }
            }
            let want = ts.into_iter().map(f).fold(f64::NEG_INFINITY, f64::max);
            assert!(
                (got[o] - want).abs() < 1e-9,
                "zone {o}: {} vs {want}",
                got[o]
            );
        }
        // Zones 2, 3 and 4 (C, D, E) span the frontier.
        for o in [2, 3, 4] {
            assert!((got[o] - 1.0).abs() < 1e-9);
        }
    }

    /// One input and one output under variable returns, input orientation, against the
    /// envelopment LP solved by hand: with one equality (Σλ = 1) and one output row, a basic
    /// solution has at most two positive λ, so x*(y_o) = min over single zones with y_k ≥ y_o
    /// of x_k and over pairs y_k < y_o < y_l of the interpolated input; θ = x*/x_o.
    #[test]
    fn bcc_single_input_against_hand_solution() {
        let xs = [2.0, 3.0, 6.0, 9.0, 5.0, 4.0];
        let ys = [1.0, 3.0, 5.0, 6.0, 3.0, 4.0];
        let got = eff(&col(&xs), &col(&ys), Model::Bcc, Orientation::Input);
        for o in 0..xs.len() {
            let yo = ys[o];
            let mut best = f64::INFINITY;
            for k in 0..xs.len() {
                if ys[k] >= yo {
                    best = best.min(xs[k]);
                }
                for l in 0..xs.len() {
                    if ys[k] < yo && yo < ys[l] {
                        let a = (ys[l] - yo) / (ys[l] - ys[k]);
                        best = best.min(a * xs[k] + (1.0 - a) * xs[l]);
                    }
                }
            }
            assert!((got[o] - best / xs[o]).abs() < 1e-9, "zone {o}");
        }
        // BCC is never below CCR.
        let ccr = eff(&col(&xs), &col(&ys), Model::Ccr, Orientation::Input);
        assert!(got.iter().zip(&ccr).all(|(b, c)| b + 1e-12 >= *c));
    }

    /// Phase 2 finds the slack of a weakly efficient zone: against (1, 1), zone (2, 2) has
    /// θ = ½, and zone (1, 3) has θ = 1 (no radial contraction is possible) but an input-2
    /// slack of 2, so its target is (1, 1).
    #[test]
    fn phase_two_slacks() {
        let x = Matrix::from_rows(&[vec![1.0, 1.0], vec![2.0, 2.0], vec![1.0, 3.0]]);
        let y = col(&[1.0, 1.0, 1.0]);
        let r = dea(&x, &y, 2, Model::Ccr, Orientation::Input).unwrap();
        assert!((r.efficiency - 1.0).abs() < 1e-9);
        assert_close(&r.input_slacks, &[0.0, 2.0], 1e-9);
        assert_close(&r.input_targets, &[1.0, 1.0], 1e-9);
        let r = dea(&x, &y, 1, Model::Ccr, Orientation::Input).unwrap();
        assert!((r.efficiency - 0.5).abs() < 1e-9);
    }

    /// Through the aggregation: cost columns are inputs; scaling an input column leaves the
    /// efficiencies unchanged; a zero value is an error at its cell.
    #[test]
    fn aggregation_scaling_and_bad_values() {
        let dea = Dea {
            model: Model::Ccr,
            orientation: Orientation::Input,
        };
        let rows = vec![
            vec![2.0, 1.0, 3.0],
            vec![4.0, 3.0, 2.0],
            vec![5.0, 2.0, 4.0],
            vec![10.0, 6.0, 5.0],
        ];
        let cost = [true, false, true];
        let a = run(&dea, &rows, &cost, &[0.3, 0.4, 0.3], Some("none"));
        let scaled: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| vec![r[0] * 1000.0, r[1], r[2]])
            .collect();
        let b = run(&dea, &scaled, &cost, &[0.3, 0.4, 0.3], Some("none"));
        assert_close(&a.value, &b.value, 1e-9);
        assert!(a.value.iter().any(|v| (v - 1.0).abs() < 1e-9));
        let mut bad = rows.clone();
        bad[2][1] = 0.0;
        let (e, _) = try_run(&dea, &bad, &cost, &[0.3, 0.4, 0.3]);
        let e = e.unwrap_err();
        assert_eq!((e.row, e.col), (Some(2), Some(1)));
    }
}
