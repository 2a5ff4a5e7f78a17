//! CRITIC weights (CRiteria Importance Through Intercriteria Correlation): an indicator weighs
//! more when its normalised values spread widely (contrast, σ) and when it disagrees with the
//! other indicators (conflict, Σ(1 − r)).
//!
//! The matrix is the direction-aware min-max normalisation of the raw values, built with the
//! registry's own `min-max` so the two can never drift apart. Columns are centred in place
//! once; σ and every Pearson r then come from dot products of contiguous columns.

use super::{
    Capabilities, Weigh, WeightInput, WeightOutput, indicator_id, normalize_sum, zero_weight_note,
};
use crate::error::Text;
use crate::method::normalize::{self, Normalize};
use crate::method::{CellError, Entry, Matrix, MethodInfo, MethodKind, NamedColumn, Params, build};
use crate::text;

/// `critic`: w_j = C_j / Σ C_k, C_j = σ_j Σ_k (1 − r_jk) on the min-max normalised matrix.
#[derive(Debug)]
pub struct Critic {
    min_max: Box<dyn Normalize>,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "critic",
        title: "CRITIC (CRiteria Importance Through Intercriteria Correlation)",
        title_zh: "CRITIC 权重法",
        formula: "r_ij = direction-aware min-max of x_ij;  σ_j = √((1/m) Σ_i (r_ij − r̄_j)²);  \
            ρ_jk = Pearson correlation of columns j, k;  C_j = σ_j Σ_k (1 − ρ_jk);  w_j = C_j / Σ C_k",
        conventions: "Always on the raw values normalised with `min-max` (cost, target and range \
            indicators reversed first, as Diakoulaki et al. scale each criterion from its worst to \
            its best value), whatever normalisation the evaluation uses. σ is the population \
            standard deviation (divisor m); the weights do not depend on this choice (it scales \
            every C_j alike), only the `sigma` and `information` tables do. A constant column has \
            σ = 0 and gets weight 0, with a warning; its correlation with the others is undefined, \
            and pairs with it add nothing to any conflict sum, so a constant indicator leaves the \
            other weights unchanged. With a single varying indicator there is no conflict to measure \
            (C = 0); it then takes the whole weight. Tables: `sigma` (σ_j) and `information` (C_j).",
        reference: "Diakoulaki, Mavrotas & Papayannakis (1995) 'Determining objective weights in \
            multiple criteria problems: the CRITIC method', Computers & Operations Research 22(7), \
            763–770 (method and worked example).",
        params: &[],
    },
    caps: Capabilities::OBJECTIVE,
    build: |_| {
        Ok(Box::new(Critic {
            min_max: build(
                normalize::REGISTRY,
                MethodKind::Normalization,
                &Params::named("min-max"),
            )?,
        }))
    },
};

impl Weigh for Critic {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let raw = input.raw;
        let (m, n) = (raw.rows(), raw.cols());
        if input.specs.len() != n {
            let k = input.specs.len();
            return Err(CellError::general(text!(
                "{k} indicator specifications for {n} columns",
                "指标说明 {k} 个，数据列 {n} 列"
            )));
        }
        // Normalise, then centre each column in place: afterwards column j holds r_ij − r̄_j.
        let mut z = Matrix::zeros(m, n);
        let mut scratch = Vec::new();
        let mut ss = vec![0.0; n];
        for (j, spec) in input.specs.iter().enumerate() {
            let out = z.col_mut(j);
            self.min_max
                .apply(raw.col(j), spec, out, &mut scratch)
                .map_err(|e| CellError { col: Some(j), ..e })?;
            if let Some(i) = out.iter().position(|v| !v.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!("value is not a finite number", "数值不是有限数"),
                ));
            }
            let mean = out.iter().sum::<f64>() / m as f64;
            out.iter_mut().for_each(|v| *v -= mean);
            ss[j] = out.iter().map(|v| v * v).sum();
        }
        let sigma: Vec<f64> = ss.iter().map(|s| (s / m as f64).sqrt()).collect();
        let varies: Vec<bool> = ss.iter().map(|&s| s > 0.0).collect();
        // Conflict sums Σ_k (1 − ρ_jk) over varying columns; ρ_jj = 1 adds nothing.
        let mut conflict = vec![0.0; n];
        for j in 0..n {
            if !varies[j] {
                continue;
            }
            for k in j + 1..n {
                if !varies[k] {
                    continue;
                }
                let dot = dot(z.col(j), z.col(k));
                let rho = (dot / (ss[j] * ss[k]).sqrt()).clamp(-1.0, 1.0);
                conflict[j] += 1.0 - rho;
                conflict[k] += 1.0 - rho;
            }
        }
        let information: Vec<f64> = sigma.iter().zip(&conflict).map(|(s, c)| s * c).collect();
        for (j, _) in varies.iter().enumerate().filter(|(_, v)| !**v) {
            notes.push(zero_weight_note(
                "critic",
                &indicator_id(input.tree, j),
                &text!(
                    "constant column, σ = 0: it cannot discriminate",
                    "常数列，σ = 0，不具区分度"
                ),
            ));
        }
        let mut weights = information.clone();
        // One varying indicator has no other to conflict with (C = 0): it takes all the weight.
        if varies.iter().filter(|v| **v).count() == 1 {
            weights = varies.iter().map(|&v| f64::from(u8::from(v))).collect();
        }
        normalize_sum(&mut weights)?;
        Ok(WeightOutput {
            weights,
            consistency: Vec::new(),
            table: vec![
                NamedColumn {
                    key: "sigma".into(),
                    en: "σ (contrast: std of min-max scores)".into(),
                    zh: "标准差 σ（对比强度）".into(),
                    values: sigma,
                },
                NamedColumn {
                    key: "information".into(),
                    en: "C = σ Σ(1 − r) (information)".into(),
                    zh: "信息量 C = σ Σ(1 − r)".into(),
                    values: information,
                },
            ],
        })
    }
}

/// Dot product with four independent accumulators, so the loop vectorises (a single running
/// sum cannot be reordered by the compiler).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f64>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::weight::WeightTree;
    use crate::method::weight::testing::assert_close;
    use crate::method::{ColumnSpec, Direction};

    fn critic() -> Box<dyn Weigh> {
        (ENTRY.build)(&Params::named("critic")).unwrap()
    }

    fn run(rows: &[Vec<f64>], dirs: &[Direction]) -> (Result<WeightOutput, CellError>, Vec<Text>) {
        let m = Matrix::from_rows(rows);
        let specs: Vec<ColumnSpec> = dirs.iter().map(|d| ColumnSpec::new(*d)).collect();
        let tree = WeightTree::flat(&["a", "b", "c", "d"][..m.cols()], None, None);
        let input = WeightInput {
            raw: &m,
            normalized: &m,
            specs: &specs,
            tree: &tree,
        };
        let mut notes = Vec::new();
        let w = critic().weigh(&input, &mut notes);
        (w, notes)
    }

    const B: Direction = Direction::Benefit;

    /// Hand computation. Min-max columns: a = (0, ½, 1), b = (0, 1, ½), c = (1, 0, 0).
    /// Centred: a = (−½, 0, ½), b = (−½, ½, 0), c = (⅔, −⅓, −⅓); Σ² = ½, ½, ⅔.
    /// σ = √(1/6), √(1/6), √(2/9).  ρ_ab = ¼/½ = ½;  ρ_ac = ρ_bc = −½/√(½·⅔) = −√3/2.
    /// C_a = C_b = √(1/6)·(½ + 1 + √3/2);  C_c = √(2/9)·2(1 + √3/2).
    #[test]
    fn hand_computed_three_columns() {
        let (w, notes) = run(
            &[
                vec![0.0, 0.0, 1.0],
                vec![1.0, 2.0, 0.0],
                vec![2.0, 1.0, 0.0],
            ],
            &[B, B, B],
        );
        let w = w.unwrap();
        assert!(notes.is_empty());
        let h = 3f64.sqrt() / 2.0;
        let s_ab = (1.0f64 / 6.0).sqrt();
        let s_c = (2.0f64 / 9.0).sqrt();
        let c = [s_ab * (1.5 + h), s_ab * (1.5 + h), s_c * 2.0 * (1.0 + h)];
        let total: f64 = c.iter().sum();
        assert_close(&w.table[0].values, &[s_ab, s_ab, s_c], 1e-15);
        assert_close(&w.table[1].values, &c, 1e-14);
        assert_close(&w.weights, &c.map(|x| x / total), 1e-14);
    }

    /// A cost column is reversed before correlating: cost x gives the same weights as benefit −x.
    #[test]
    fn cost_column_is_reversed() {
        let rows = [
            vec![3.0, 10.0, 1.0],
            vec![1.0, 30.0, 4.0],
            vec![4.0, 20.0, 2.0],
            vec![2.0, 50.0, 3.0],
        ];
        let neg: Vec<Vec<f64>> = rows.iter().map(|r| vec![r[0], -r[1], r[2]]).collect();
        let (a, _) = run(&rows, &[B, Direction::Cost, B]);
        let (b, _) = run(&neg, &[B, B, B]);
        assert_close(&a.unwrap().weights, &b.unwrap().weights, 1e-14);
        // …and differs from treating it as a benefit (the correlations change sign).
        let (c, _) = run(&rows, &[B, B, B]);
        let (a, _) = run(&rows, &[B, Direction::Cost, B]);
        assert!((a.unwrap().weights[1] - c.unwrap().weights[1]).abs() > 1e-3);
    }

    /// A constant column gets weight 0 with a warning and leaves the other weights unchanged.
    #[test]
    fn constant_column_gets_zero_and_does_not_disturb_others() {
        let base = [
            vec![0.0, 0.0],
            vec![1.0, 2.0],
            vec![2.0, 1.0],
            vec![5.0, 3.0],
        ];
        let with: Vec<Vec<f64>> = base.iter().map(|r| vec![r[0], 7.0, r[1]]).collect();
        let (a, notes_a) = run(&base, &[B, B]);
        let (b, notes_b) = run(&with, &[B, B, B]);
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(notes_a.is_empty());
        assert_eq!(notes_b.len(), 1);
        assert!(notes_b[0].en.contains("`b`"));
        assert_eq!(b.weights[1], 0.0);
        assert_close(&[b.weights[0], b.weights[2]], &a.weights, 1e-15);
    }

    #[test]
    fn all_constant_or_single_zone_is_an_error() {
        assert!(run(&[vec![1.0, 2.0], vec![1.0, 2.0]], &[B, B]).0.is_err());
        assert!(run(&[vec![1.0, 2.0]], &[B, B]).0.is_err());
    }

    #[test]
    fn non_finite_value_is_an_error_not_nan() {
        let (w, _) = run(
            &[vec![1.0, 2.0], vec![f64::NAN, 3.0], vec![2.0, 1.0]],
            &[B, B],
        );
        let e = w.unwrap_err();
        assert_eq!(e.col, Some(0));
    }
}
