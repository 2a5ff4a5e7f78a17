//! Coefficient-of-variation weights: the relative spread (std / mean) of each raw indicator,
//! which, unlike the plain standard deviation, does not depend on the indicator's unit.

use super::{
    Capabilities, Weigh, WeightInput, WeightOutput, indicator_id, mean, normalize_sum, std,
    zero_weight_note,
};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};
use crate::text;

/// `cv`: w_j = v_j / Σ v_k, v_j = s_j / x̄_j with s the sample standard deviation (n − 1).
#[derive(Debug)]
pub struct Cv;

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "cv",
        title: "Coefficient-of-variation weights",
        title_zh: "变异系数法",
        formula: "x̄_j = (1/m) Σ_i x_ij;  s_j = √(Σ_i (x_ij − x̄_j)² / (m − 1));  v_j = s_j / x̄_j;  \
            w_j = v_j / Σ_k v_k",
        conventions: "On the raw column, whatever the indicator's direction (relative spread is the \
            same either way). Sample standard deviation (divisor m − 1); the weights are the same \
            with m, only the `cv` table changes. The mean must be positive: a column with mean ≤ 0 \
            is an error naming the indicator (a ratio to it is meaningless). A constant column has \
            v = 0 and gets weight 0, with a warning; a single zone gives every indicator v = 0 and \
            the weighting fails. Table: `cv` (v_j).",
        reference: "Shuai, Zongzhun, Yongji & Lei (2012) 'A new angular method to determine the \
            objective weights', 24th Chinese Control and Decision Conference (CCDC), IEEE, \
            3889–3892 (worked example, coefficient-of-variation weights compared with the angular \
            method).",
        params: &[],
    },
    caps: Capabilities::OBJECTIVE,
    build: |_| Ok(Box::new(Cv)),
};

impl Weigh for Cv {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let x = input.raw;
        let mut cv = vec![0.0; x.cols()];
        for (j, col) in x.columns().enumerate() {
            if let Some(i) = col.iter().position(|v| !v.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!("value is not a finite number", "数值不是有限数"),
                ));
            }
            let mean = mean(col);
            if mean.is_nan() || mean <= 0.0 {
                return Err(CellError::column(
                    j,
                    text!(
                        "mean {mean}: the coefficient of variation needs a positive mean",
                        "均值为 {mean}：变异系数法要求均值为正"
                    ),
                ));
            }
            // `std` divides by max(m − 1, 1): a single zone gives s = 0.
            let s = std(col, 1);
            cv[j] = s / mean;
            if !(s.is_finite() && s > 1e-150) && mean.is_finite() {
                // The squares overflowed or underflowed (|x| beyond ~1e±150); the ratio is
                // unchanged by scaling x, so compute it on x/max|x| rather than report a
                // varying column as constant.
                let big = col.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                let scaled: Vec<f64> = col.iter().map(|v| v / big).collect();
                cv[j] = std(&scaled, 1) / super::mean(&scaled);
            }
            if !cv[j].is_finite() {
                return Err(CellError::column(
                    j,
                    text!(
                        "the spread of this column overflows; rescale the indicator",
                        "该列离差平方和溢出，请调整指标单位"
                    ),
                ));
            }
            if cv[j] == 0.0 {
                notes.push(zero_weight_note(
                    "cv",
                    &indicator_id(input.tree, j),
                    &text!("no variation: it cannot discriminate", "无变异，不具区分度"),
                ));
            }
        }
        let mut weights = cv.clone();
        normalize_sum(&mut weights)?;
        Ok(WeightOutput {
            weights,
            consistency: Vec::new(),
            table: vec![NamedColumn {
                key: "cv".into(),
                en: "v = s / mean (coefficient of variation)".into(),
                zh: "变异系数 v = s / 均值".into(),
                values: cv,
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::weight::testing::{assert_close, weigh_flat};

    fn run(rows: &[Vec<f64>]) -> (Result<WeightOutput, CellError>, Vec<Text>) {
        weigh_flat(&Cv, rows)
    }

    /// a = (2, 4, 6): mean 4, s = 2, v = ½.  b = (10, 10, 40): mean 20, Σ² = 600, s = √300,
    /// v = √300/20 = 0.866025.
    #[test]
    fn hand_computed() {
        let (w, notes) = run(&[vec![2.0, 10.0], vec![4.0, 10.0], vec![6.0, 40.0]]);
        let w = w.unwrap();
        assert!(notes.is_empty());
        let v = [0.5, 300f64.sqrt() / 20.0];
        assert_close(&w.table[0].values, &v, 1e-15);
        assert_close(
            &w.weights,
            &[v[0] / (v[0] + v[1]), v[1] / (v[0] + v[1])],
            1e-15,
        );
    }

    #[test]
    fn mean_not_positive_names_the_column() {
        let (w, _) = run(&[vec![1.0, -2.0], vec![2.0, 1.0]]);
        let e = w.unwrap_err();
        assert_eq!((e.row, e.col), (None, Some(1)));
        let (w, _) = run(&[vec![1.0, 0.0], vec![2.0, 0.0]]);
        assert_eq!(w.unwrap_err().col, Some(1));
    }

    #[test]
    fn constant_column_and_single_zone() {
        let (w, notes) = run(&[vec![3.0, 1.0], vec![3.0, 2.0]]);
        assert_eq!(w.unwrap().weights, vec![0.0, 1.0]);
        assert_eq!(notes.len(), 1);
        assert!(run(&[vec![3.0, 1.0]]).0.is_err());
    }

    /// Units do not matter: multiplying a column by 1000 leaves the weights unchanged — and
    /// by 1e-170 or 1e160, where the squares underflow or overflow.
    #[test]
    fn invariant_to_units() {
        let (a, _) = run(&[vec![1.0, 7.0], vec![2.0, 1.0], vec![5.0, 3.0]]);
        let a = a.unwrap().weights;
        for k in [1000.0, 1e-170, 1e160] {
            let (b, notes) = run(&[vec![k, 7.0], vec![2.0 * k, 1.0], vec![5.0 * k, 3.0]]);
            assert!(notes.is_empty(), "{k}");
            assert_close(&a, &b.unwrap().weights, 1e-14);
        }
    }
}
