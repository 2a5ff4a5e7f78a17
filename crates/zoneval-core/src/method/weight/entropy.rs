//! Entropy weights: an indicator whose values are spread unevenly over the zones carries more
//! information and gets more weight.
//!
//! Each column is read once: with S = Σx, Σ p ln p = (Σ x ln x)/S − ln S for p = x/S, so the
//! entropy needs only the running sums S and Σ x ln x (and min/max to recognise a constant
//! column exactly, rather than through an E that rounds to 1 − 1e-16). No per-element
//! allocation: the 20,000 × 40 benchmark matrix is 40 passes over contiguous columns.

use super::{
    Capabilities, On, Weigh, WeightInput, WeightOutput, indicator_id, normalize_sum,
    zero_weight_note,
};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

/// `entropy`: w_j = (1 − E_j)/Σ(1 − E_j), E_j = −(1/ln m) Σ_i p_ij ln p_ij, p_ij = x_ij/Σ_i x_ij.
#[derive(Debug)]
pub struct Entropy {
    on: On,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "entropy",
        title: "Entropy weights (Shannon entropy method)",
        title_zh: "熵权法（熵值法）",
        formula: "p_ij = x_ij / Σ_i x_ij;  E_j = −(1/ln m) Σ_i p_ij ln p_ij (0·ln 0 = 0);  \
            d_j = 1 − E_j;  w_j = d_j / Σ_k d_k",
        conventions: "Computed on the raw column (direction plays no part: the entropy of the \
            shares is the same whichever way the indicator points); `on = \"normalized\"` uses the \
            evaluation's normalised matrix instead. Values must be finite and ≥ 0 (a negative value \
            is an error naming the zone and indicator); zeros are allowed (0·ln 0 = 0). A constant \
            column has E = 1 and an all-zero column no shares at all: both get weight 0, with a \
            warning. With a single zone no indicator discriminates and the weighting fails. Tables: \
            `entropy` (E_j) and `divergence` (d_j).",
        reference: "Shannon (1948) Bell Syst. Tech. J. 27, 379–423; Zeleny (1982) Multiple Criteria \
            Decision Making, McGraw-Hill; Hwang & Yoon (1981) Multiple Attribute Decision Making, \
            Springer, §2.3 (entropy method). Worked examples: Xu (2004) EJOR 156(2), 530–532 (data of \
            Ma, Fan & Huang 1999); Zavadskas & Podvezko (2016) IJITDM 15(2), 267–283.",
        params: &[ParamInfo {
            name: "on",
            default: "\"raw\"",
            doc: "\"raw\" | \"normalized\": the matrix whose columns give the shares p_ij",
        }],
    },
    caps: Capabilities::OBJECTIVE,
    build: |p| {
        Ok(Box::new(Entropy {
            on: On::parse(p, On::Raw)?,
        }))
    },
};

/// Matrices with at least this many cells compute their columns in parallel.
const PARALLEL_CELLS: usize = 200_000;

/// Entropy E and divergence d = 1 − E of one column; `None` for the divergence when the column
/// cannot discriminate (constant or all zero), with the reason.
struct ColumnEntropy {
    e: f64,
    d: f64,
    flat: Option<Text>,
}

/// One pass over column `j`. `inv_ln_m` = 1/ln m (m ≥ 2).
fn column_entropy(x: &[f64], j: usize, inv_ln_m: f64) -> Result<ColumnEntropy, CellError> {
    // One vectorised pass: total, extremes, validity and Σ x ln x (0·ln 0 = 0).
    let sums = crate::method::fastmath::column_sums(x);
    if sums.invalid {
        let (i, &v) = x
            .iter()
            .enumerate()
            .find(|(_, v)| !(**v >= 0.0 && v.is_finite()))
            .expect("found above");
        return Err(CellError::cell(
            i,
            j,
            text!(
                "value {v}: entropy weights need finite values ≥ 0 (shares of the column total)",
                "数值 {v}：熵权法要求数值有限且非负（按列总和计算比重）"
            ),
        ));
    }
    let (s, lo, hi, sxlnx) = (sums.sum, sums.min, sums.max, sums.x_ln_x);
    if !s.is_finite() {
        return Err(CellError::column(
            j,
            text!(
                "the column total overflows; rescale the indicator",
                "该列总和溢出，请调整指标单位"
            ),
        ));
    }
    if s == 0.0 {
        let why = text!("every zone is 0", "各开发区均为 0");
        return Ok(ColumnEntropy {
            e: 1.0,
            d: 0.0,
            flat: Some(why),
        });
    }
    if lo == hi {
        let why = text!(
            "constant column, E = 1: it cannot discriminate",
            "常数列，E = 1，不具区分度"
        );
        return Ok(ColumnEntropy {
            e: 1.0,
            d: 0.0,
            flat: Some(why),
        });
    }
    // H = −Σ p ln p = ln S − (Σ x ln x)/S; rounding can push E a hair outside [0, 1].
    let h = s.ln() - sxlnx / s;
    let e = (h * inv_ln_m).clamp(0.0, 1.0);
    Ok(ColumnEntropy {
        e,
        d: 1.0 - e,
        flat: None,
    })
}

impl Weigh for Entropy {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let x = self.on.matrix(input);
        let (m, n) = (x.rows(), x.cols());
        let mut entropy = vec![1.0; n];
        let mut divergence = vec![0.0; n];
        if m < 2 {
            // One zone: every share is 1 and E = 0/0; nothing can discriminate.
            return Err(CellError::general(text!(
                "entropy weights need at least two zones",
                "熵权法至少需要两个开发区"
            )));
        }
        let inv_ln_m = 1.0 / (m as f64).ln();
        // Columns are independent: large matrices use every core (same result either way).
        let cols: Vec<&[f64]> = x.columns().collect();
        let per_col: Vec<Result<ColumnEntropy, CellError>> = if m * n >= PARALLEL_CELLS {
            use rayon::prelude::*;
            cols.par_iter()
                .enumerate()
                .map(|(j, col)| column_entropy(col, j, inv_ln_m))
                .collect()
        } else {
            cols.iter()
                .enumerate()
                .map(|(j, col)| column_entropy(col, j, inv_ln_m))
                .collect()
        };
        for (j, c) in per_col.into_iter().enumerate() {
            let c = c?;
            entropy[j] = c.e;
            divergence[j] = c.d;
            if let Some(why) = c.flat {
                notes.push(zero_weight_note(
                    "entropy",
                    &indicator_id(input.tree, j),
                    &why,
                ));
            }
        }
        let mut weights = divergence.clone();
        normalize_sum(&mut weights)?;
        Ok(WeightOutput {
            weights,
            consistency: Vec::new(),
            table: vec![
                NamedColumn {
                    key: "entropy".into(),
                    en: "E (entropy)".into(),
                    zh: "信息熵 E".into(),
                    values: entropy,
                },
                NamedColumn {
                    key: "divergence".into(),
                    en: "d = 1 − E (divergence)".into(),
                    zh: "差异系数 d = 1 − E".into(),
                    values: divergence,
                },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::weight::WeightTree;
    use crate::method::weight::testing::{assert_close, input_for, weigh_flat};
    use crate::method::{Matrix, ParamValue, Params};

    fn run(rows: &[Vec<f64>]) -> (Result<WeightOutput, CellError>, Vec<Text>) {
        weigh_flat(&Entropy { on: On::Raw }, rows)
    }

    /// Two zones, shares (1/4, 3/4): H = −(¼ ln ¼ + ¾ ln ¾) = 0.562335; E = H/ln 2 = 0.811278.
    /// Shares (1/2, 1/2) would give E = 1; (0, 1) gives E = 0 (0·ln 0 = 0), d = 1.
    #[test]
    fn hand_computed_two_zones() {
        let (w, notes) = run(&[vec![1.0, 0.0], vec![3.0, 5.0]]);
        let w = w.unwrap();
        assert!(notes.is_empty());
        let e1 = -(0.25f64 * 0.25f64.ln() + 0.75 * 0.75f64.ln()) / 2f64.ln();
        assert_close(&w.table[0].values, &[e1, 0.0], 1e-15);
        let d = [1.0 - e1, 1.0];
        let s = d[0] + d[1];
        assert_close(&w.weights, &[d[0] / s, d[1] / s], 1e-15);
    }

    #[test]
    fn constant_and_all_zero_columns_get_zero_weight_with_warnings() {
        let (w, notes) = run(&[
            vec![4.0, 0.0, 1.0],
            vec![4.0, 0.0, 2.0],
            vec![4.0, 0.0, 3.0],
        ]);
        let w = w.unwrap();
        assert_eq!(&w.weights[..2], &[0.0, 0.0]);
        assert!((w.weights[2] - 1.0).abs() < 1e-15);
        assert_eq!(notes.len(), 2);
        assert!(notes[0].en.contains("`a`") && notes[1].en.contains("`b`"));
    }

    #[test]
    fn every_column_constant_is_an_error_not_nan() {
        let (w, notes) = run(&[vec![1.0, 2.0], vec![1.0, 2.0]]);
        assert!(w.is_err());
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn negative_value_names_row_and_column() {
        let (w, _) = run(&[vec![1.0, 2.0], vec![3.0, -0.5]]);
        let e = w.unwrap_err();
        assert_eq!((e.row, e.col), (Some(1), Some(1)));
        let (w, _) = run(&[vec![f64::NAN, 2.0], vec![3.0, 1.0]]);
        assert_eq!(w.unwrap_err().row, Some(0));
    }

    #[test]
    fn single_zone_is_an_error() {
        let (w, _) = run(&[vec![1.0, 2.0]]);
        assert!(w.is_err());
    }

    /// Scaling a column does not change its shares, hence not its weight.
    #[test]
    fn invariant_to_units() {
        let (a, _) = run(&[vec![1.0, 7.0], vec![2.0, 1.0], vec![5.0, 3.0]]);
        let (b, _) = run(&[vec![1000.0, 7.0], vec![2000.0, 1.0], vec![5000.0, 3.0]]);
        assert_close(&a.unwrap().weights, &b.unwrap().weights, 1e-14);
    }

    #[test]
    fn reads_the_normalized_matrix_on_request() {
        let raw = Matrix::from_rows(&[vec![1.0, 1.0], vec![1.0, 3.0]]);
        let norm = Matrix::from_rows(&[vec![0.0, 0.0], vec![1.0, 1.0]]);
        let tree = WeightTree::flat(&["a", "b"], None, None);
        let input = input_for(&raw, &norm, &tree);
        let p = Params::named("entropy").with("on", ParamValue::Str("normalized".into()));
        let w = (ENTRY.build)(&p).unwrap();
        let out = w.weigh(&input, &mut Vec::new()).unwrap();
        // Both normalised columns are (0, 1): E = 0, equal weights; on raw, column a is constant.
        assert_close(&out.weights, &[0.5, 0.5], 1e-15);
    }
}
