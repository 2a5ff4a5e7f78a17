//! Weighted product (WPM): the geometric, partly compensatory counterpart of the weighted sum.
//!
//! The value is the product itself, Π r^w, not its logarithm, so that it stays on the [0, 1]
//! scale of the normalised values it multiplies (with weights summing to 1 it lies between the
//! zone's worst and best normalised value).

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};
use crate::text;

/// `weighted-product`: value = Π_j r_ij^{w_j}.
#[derive(Debug)]
pub struct WeightedProduct;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "weighted-product",
        title: "Weighted product (WPM, multiplicative aggregation)",
        title_zh: "加权积法（几何加权综合法）",
        formula: "V_i = Π_j r_ij^{w_j}  (r = normalised value)",
        conventions: "Default normalisation min-max; cost and target indicators are already turned \
            around by the normalisation. The value is the product, not its logarithm. A negative \
            normalised value (e.g. under z-score) is an error naming the zone and the indicator; a \
            normalised 0 with a positive weight makes the product 0 (0^w = 0), so min-max gives the \
            worst zone of any weighted indicator a value of 0 — use `max` or `sum` normalisation \
            (ratios, as in Bridgman's dimensionless analysis) to avoid that. A zero weight \
            contributes a factor 1, whatever the value. Supports indicators that apply only to some \
            zones (per-zone weights).",
        reference: "Bridgman (1922), Dimensional Analysis, Yale Univ. Press; Miller & Starr (1969), \
            Executive Decisions and Operations Research, Prentice-Hall; Triantaphyllou (2000), \
            Multi-criteria Decision Making Methods: A Comparative Study, Kluwer, §2.2.2 (WPM, worked \
            example with three alternatives and four criteria: R(A1/A2) = 1.007, R(A1/A3) = 1.067, \
            R(A2/A3) = 1.059); Zavadskas, Turskis, Antucheviciene & Zakarevicius (2012), Elektronika \
            ir Elektrotechnika 122(6), 3–6, Table 2 (WASPAS at λ = 0 = WPM on the linearly \
            normalised Table 1).",
        params: &[],
    },
    caps: Capabilities {
        zone_weights: true,
        row_wise: true,
        ..Capabilities::normalized("min-max")
    },
    build: |_| Ok(Box::new(WeightedProduct)),
};

impl Aggregate for WeightedProduct {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = input.normalized;
        // Σ w ln r, exponentiated at the end: one logarithm per cell instead of a power. A zero
        // gives ln 0 = −∞ and so a product of 0 (w > 0); nothing here can give +∞ or NaN.
        let mut log = vec![0.0; r.rows()];
        for (j, col) in r.columns().enumerate() {
            if let Some(i) = col.iter().position(|x| x.is_nan() || *x < 0.0) {
                return Err(negative(i, j, col[i]));
            }
            match input.zone_weights {
                None => {
                    let w = input.weights.get(j).copied().unwrap_or(0.0);
                    if w != 0.0 {
                        log.iter_mut().zip(col).for_each(|(l, x)| *l += w * x.ln());
                    }
                }
                Some(zw) => {
                    for ((l, x), &w) in log.iter_mut().zip(col).zip(zw.col(j)) {
                        if w != 0.0 {
                            *l += w * x.ln();
                        }
                    }
                }
            }
        }
        let value: Vec<f64> = log.into_iter().map(f64::exp).collect();
        if let Some(i) = value.iter().position(|v| !v.is_finite()) {
            return Err(CellError::at_row(
                i,
                text!(
                    "the weighted product is not a finite number",
                    "加权积不是有限数值"
                ),
            ));
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: Vec::new(),
        })
    }
}

fn negative(row: usize, col: usize, x: f64) -> CellError {
    CellError::cell(
        row,
        col,
        text!(
            "normalised value {x} is negative (or not a number): the weighted product needs values ≥ 0; use a normalisation such as min-max, max or sum",
            "标准化值 {x} 为负数（或非数值）：加权积法要求标准化值 ≥ 0；请改用 min-max、max 或 sum 等标准化方法"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Matrix;
    use crate::method::aggregate::testing::{assert_close, run};
    use crate::method::aggregate::{AggInput, Preference};

    fn input<'a>(
        m: &'a Matrix,
        cost: &'a [bool],
        w: &'a [f64],
        prefs: &'a [Preference],
        zw: Option<&'a Matrix>,
    ) -> AggInput<'a> {
        AggInput {
            normalized: m,
            values: m,
            cost,
            weights: w,
            preferences: prefs,
            zone_weights: zw,
            tree: None,
        }
    }

    /// Triantaphyllou (2000), §2.2.2: weights (0.20, 0.15, 0.40, 0.25), alternatives
    /// A1 = (25, 20, 15, 30), A2 = (10, 30, 20, 30), A3 = (30, 10, 30, 10), all benefit. The
    /// book prints the ratios R(A1/A2) = 1.007, R(A1/A3) = 1.067, R(A2/A3) = 1.059 (3 decimals).
    /// Under `max` normalisation each column is divided by a constant, which cancels in every
    /// ratio of two products, so our values' ratios must be the published ones.
    #[test]
    fn ratios_match_triantaphyllou_example() {
        let rows = vec![
            vec![25.0, 20.0, 15.0, 30.0],
            vec![10.0, 30.0, 20.0, 30.0],
            vec![30.0, 10.0, 30.0, 10.0],
        ];
        let out = run(
            &WeightedProduct,
            &rows,
            &[false; 4],
            &[0.20, 0.15, 0.40, 0.25],
            Some("max"),
        );
        let v = &out.value;
        assert_close(
            &[v[0] / v[1], v[0] / v[2], v[1] / v[2]],
            &[1.007, 1.067, 1.059],
            5e-4,
        );
    }

    /// 0.25^0.5 · 1^0.5 = 0.5; a normalised 0 with positive weight gives 0; a zero weight
    /// ignores its column entirely (even a 0 there).
    #[test]
    fn zeros_and_zero_weights() {
        let m = Matrix::from_rows(&[vec![0.25, 1.0, 0.0], vec![0.0, 1.0, 1.0]]);
        let prefs = [Preference::Usual; 3];
        let w = [0.5, 0.5, 0.0];
        let out = WeightedProduct
            .aggregate(&input(&m, &[false; 3], &w, &prefs, None), &mut Vec::new())
            .unwrap();
        assert_close(&out.value, &[0.5, 0.0], 1e-15);
    }

    /// A constant column under min-max is all ones and so changes nothing; a single zone gets 1.
    #[test]
    fn constant_column_and_single_zone() {
        let out = run(
            &WeightedProduct,
            &[vec![3.0, 7.0], vec![3.0, 9.0]],
            &[false, false],
            &[0.5, 0.5],
            Some("min-max"),
        );
        assert_close(&out.value, &[0.0, 1.0], 1e-15);
        let out = run(
            &WeightedProduct,
            &[vec![3.0, 7.0]],
            &[false, true],
            &[0.5, 0.5],
            Some("min-max"),
        );
        assert_close(&out.value, &[1.0], 1e-15);
    }

    /// z-score produces negative values: an error at the first negative cell (zone 0, column 0).
    #[test]
    fn negative_value_is_a_cell_error() {
        let m = Matrix::from_rows(&[vec![-0.5, 1.0], vec![0.5, -1.0]]);
        let prefs = [Preference::Usual; 2];
        let err = WeightedProduct
            .aggregate(
                &input(&m, &[false; 2], &[0.5, 0.5], &prefs, None),
                &mut Vec::new(),
            )
            .unwrap_err();
        assert_eq!((err.row, err.col), (Some(0), Some(0)));
    }

    /// Per-zone weights: zone 0 uses only column 0 (0.25^1), zone 1 both (0.25^0.5 · 1^0.5).
    #[test]
    fn per_zone_weights() {
        let m = Matrix::from_rows(&[vec![0.25, 0.0], vec![0.25, 1.0]]);
        let zw = Matrix::from_rows(&[vec![1.0, 0.0], vec![0.5, 0.5]]);
        let prefs = [Preference::Usual; 2];
        let out = WeightedProduct
            .aggregate(
                &input(&m, &[false; 2], &[0.5, 0.5], &prefs, Some(&zw)),
                &mut Vec::new(),
            )
            .unwrap();
        assert_close(&out.value, &[0.25, 0.5], 1e-15);
    }
}
