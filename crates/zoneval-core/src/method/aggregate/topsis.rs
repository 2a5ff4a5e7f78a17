//! TOPSIS: relative closeness to the ideal point, measured against the anti-ideal point.
//!
//! The normalised matrix is benefit-oriented (cost columns were turned around by the
//! normalisation), so the ideal is every weighted column's maximum and the anti-ideal its
//! minimum. With `vector` normalisation the cost form 1 − x/‖x‖ is the classic x/‖x‖ mirrored,
//! which leaves every distance unchanged: the results are Hwang & Yoon's. The sweep goes column
//! by column into two per-zone accumulators of squared distances, so the only allocations are
//! the output vectors.

use super::{AggInput, Aggregate, Aggregated, BatchKernel, Capabilities, matmul_weights};
use crate::error::Text;
use crate::method::normalize::min_max_of;
use crate::method::{CellError, Entry, Matrix, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

/// `topsis`: C_i = D⁻_i / (D⁺_i + D⁻_i).
#[derive(Debug)]
pub struct Topsis;

/// Closeness given to every zone when all zones coincide on every weighted indicator (then
/// D⁺ = D⁻ = 0 for all of them): equally close to the ideal and the anti-ideal.
pub const UNDECIDED: f64 = 0.5;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "topsis",
        title: "TOPSIS (technique for order preference by similarity to ideal solution)",
        title_zh: "TOPSIS 法（逼近理想解排序法）",
        formula: "v_ij = w_j r_ij;  A⁺_j = max_i v_ij, A⁻_j = min_i v_ij;  \
            D⁺_i = √Σ_j (v_ij − A⁺_j)², D⁻_i = √Σ_j (v_ij − A⁻_j)²;  C_i = D⁻_i/(D⁺_i + D⁻_i)",
        conventions: "Default normalisation vector; Euclidean distance. The normalised matrix is \
            benefit-oriented, so the ideal is each weighted column's maximum and the anti-ideal its \
            minimum; vector normalisation's cost form 1 − x/‖x‖ gives exactly the classic distances \
            (x/‖x‖ with the cost ideal at the minimum). Higher C is better, C ∈ [0, 1]. When all \
            zones coincide on every weighted indicator (e.g. a single zone, or only constant \
            columns) D⁺ = D⁻ = 0 and every zone gets C = 0.5, with a warning. Intermediate tables: \
            d_plus, d_minus.",
        reference: "Hwang & Yoon (1981), Multiple Attribute Decision Making: Methods and \
            Applications, Springer, §4.2.4 (TOPSIS); worked example: fighter-aircraft selection, \
            pp. 133–134 (4 aircraft, 6 attributes).",
        params: &[ParamInfo {
            name: "distance",
            default: "\"euclidean\"",
            doc: "\"euclidean\" (the only distance offered)",
        }],
    },
    caps: Capabilities::normalized("vector"),
    build: |p| {
        p.choice("distance", &["euclidean"], "euclidean")?;
        Ok(Box::new(Topsis))
    },
};

impl Aggregate for Topsis {
    fn batch_kernel(&self, input: &AggInput<'_>) -> Option<Box<dyn BatchKernel>> {
        if input.zone_weights.is_some() {
            return None;
        }
        // D±² = Σ_j w_j² (r_ij − ideal±_j)²: linear in w², so precompute the squared gaps.
        let r = input.normalized;
        let (m, n) = (r.rows(), r.cols());
        let mut gap_plus = Matrix::zeros(m, n);
        let mut gap_minus = Matrix::zeros(m, n);
        for (j, col) in r.columns().enumerate() {
            let (lo, hi) = min_max_of(col);
            for (i, &x) in col.iter().enumerate() {
                gap_plus.set(i, j, (hi - x) * (hi - x));
                gap_minus.set(i, j, (x - lo) * (x - lo));
            }
        }
        Some(Box::new(TopsisKernel {
            gap_plus,
            gap_minus,
        }))
    }

    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = input.normalized;
        let m = r.rows();
        // Squared distances, accumulated column by column (each zone sums its columns in the
        // same order whether its rows are processed in one piece or in parallel chunks).
        let mut d_plus = vec![0.0; m];
        let mut d_minus = vec![0.0; m];
        let ext: Vec<(f64, f64)> = r.columns().map(min_max_of).collect();
        let accumulate = |row0: usize, dp: &mut [f64], dm: &mut [f64]| {
            for ((col, &w), &(lo, hi)) in r.columns().zip(input.weights).zip(&ext) {
                if w == 0.0 {
                    continue;
                }
                // w ≥ 0, so the weighted column's extremes are w times the column's extremes.
                let len = dp.len();
                let (col, dm) = (&col[row0..row0 + len], &mut dm[..len]);
                for k in 0..len {
                    let a = w * (hi - col[k]);
                    let b = w * (col[k] - lo);
                    dp[k] += a * a;
                    dm[k] += b * b;
                }
            }
        };
        const CHUNK: usize = 4096;
        if m * r.cols() >= 200_000 {
            use rayon::prelude::*;
            d_plus
                .par_chunks_mut(CHUNK)
                .zip(d_minus.par_chunks_mut(CHUNK))
                .enumerate()
                .for_each(|(c, (dp, dm))| accumulate(c * CHUNK, dp, dm));
        } else {
            accumulate(0, &mut d_plus, &mut d_minus);
        }
        let mut value = Vec::with_capacity(m);
        let mut undecided = false;
        for (i, (dp, dm)) in d_plus.iter_mut().zip(d_minus.iter_mut()).enumerate() {
            *dp = dp.sqrt();
            *dm = dm.sqrt();
            let total = *dp + *dm;
            let c = if total > 0.0 {
                *dm / total
            } else {
                undecided = true;
                UNDECIDED
            };
            if !c.is_finite() {
                return Err(CellError::at_row(
                    i,
                    text!(
                        "TOPSIS closeness is not a finite number",
                        "TOPSIS 贴近度不是有限数值"
                    ),
                ));
            }
            value.push(c);
        }
        if undecided {
            notes.push(text!(
                "TOPSIS: all zones coincide on every weighted indicator (D+ = D- = 0); each gets closeness 0.5",
                "TOPSIS：所有开发区在各加权指标上完全相同（D+ = D- = 0），贴近度均取 0.5"
            ));
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: vec![
                NamedColumn {
                    key: "d_plus".into(),
                    en: "D+ (distance to the ideal)".into(),
                    zh: "D+（与正理想解的距离）".into(),
                    values: d_plus,
                },
                NamedColumn {
                    key: "d_minus".into(),
                    en: "D- (distance to the anti-ideal)".into(),
                    zh: "D-（与负理想解的距离）".into(),
                    values: d_minus,
                },
            ],
        })
    }
}

/// TOPSIS closeness for many weight vectors: two matrix products with the squared weights.
struct TopsisKernel {
    gap_plus: Matrix,
    gap_minus: Matrix,
}

impl BatchKernel for TopsisKernel {
    fn values(&self, weights: &[f64], samples: usize, out: &mut [f64]) {
        let w2: Vec<f64> = weights.iter().map(|w| w * w).collect();
        let mut dm = vec![0.0; out.len()];
        matmul_weights(&self.gap_plus, &w2, samples, out);
        matmul_weights(&self.gap_minus, &w2, samples, &mut dm);
        for (o, d) in out.iter_mut().zip(&dm) {
            let (p, q) = (o.sqrt(), d.sqrt());
            let total = p + q;
            *o = if total > 0.0 { q / total } else { UNDECIDED };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table};
    use crate::method::{ParamValue, Params};

    /// Two criteria on min-max scale with weights ½, ½. Zone 0 = (1, 0): D⁺ = D⁻ = ½, C = ½.
    /// Zone 1 = (1, 1) is the ideal: D⁺ = 0, C = 1. Zone 2 = (0, 0) the anti-ideal: C = 0.
    #[test]
    fn ideal_and_anti_ideal_zones() {
        let rows = vec![vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 0.0]];
        let out = run(
            &Topsis,
            &rows,
            &[false, false],
            &[0.5, 0.5],
            Some("min-max"),
        );
        assert_close(&out.value, &[0.5, 1.0, 0.0], 1e-15);
        assert_close(table(&out, "d_plus"), &[0.5, 0.0, 0.5f64.sqrt()], 1e-15);
    }

    /// The vector cost form 1 − x/‖x‖ gives the distances of the classic x/‖x‖ with the cost
    /// ideal at the minimum: for one cost column (3, 4), ‖x‖ = 5, classic D⁺ of zone 1 =
    /// 0.8 − 0.6 = 0.2, D⁻ of zone 0 likewise; so C = (1, 0).
    #[test]
    fn vector_cost_form_keeps_classic_distances() {
        let out = run(
            &Topsis,
            &[vec![3.0], vec![4.0]],
            &[true],
            &[1.0],
            Some("vector"),
        );
        assert_close(&out.value, &[1.0, 0.0], 1e-15);
        assert_close(table(&out, "d_plus"), &[0.0, 0.2], 1e-15);
        assert_close(table(&out, "d_minus"), &[0.2, 0.0], 1e-15);
    }

    /// A single zone, and zones identical on every weighted column, get 0.5 with a warning; a
    /// column with weight 0 does not count.
    #[test]
    fn degenerate_inputs_give_one_half() {
        let out = run(
            &Topsis,
            &[vec![2.0, 5.0]],
            &[false, true],
            &[0.5, 0.5],
            Some("vector"),
        );
        assert_close(&out.value, &[0.5], 0.0);
        let rows = vec![vec![2.0, 1.0], vec![2.0, 9.0]];
        let out = run(&Topsis, &rows, &[false, false], &[1.0, 0.0], Some("vector"));
        assert_close(&out.value, &[0.5, 0.5], 0.0);
        // A constant column next to a varying one changes nothing.
        let rows = vec![vec![2.0, 1.0], vec![2.0, 9.0]];
        let out = run(&Topsis, &rows, &[false, false], &[0.5, 0.5], Some("vector"));
        assert_close(&out.value, &[0.0, 1.0], 1e-15);
    }

    #[test]
    fn only_euclidean_distance() {
        let p = Params::named("topsis").with("distance", ParamValue::Str("manhattan".into()));
        assert!((ENTRY.build)(&p).is_err());
        let p = Params::named("topsis").with("distance", ParamValue::Str("euclidean".into()));
        assert!((ENTRY.build)(&p).is_ok());
    }
}
