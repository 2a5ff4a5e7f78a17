//! Grey relational analysis (Deng Julong's grey relational grade) against the best zone profile.
//!
//! The normalised matrix is benefit-oriented, so the reference series is each column's maximum.
//! Two passes: the first finds the reference and the two-level extremes Δmin, Δmax; the second
//! sweeps columns into the per-zone weighted grade.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::{Problem, Text};
use crate::method::normalize::min_max_of;
use crate::method::{CellError, Entry, MethodInfo, ParamInfo, Params};
use crate::text;

/// `grey-relational`: grade_i = Σ_j w_j ξ_ij.
#[derive(Debug)]
pub struct GreyRelational {
    /// Distinguishing coefficient ρ ∈ (0, 1].
    pub rho: f64,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "grey-relational",
        title: "Grey relational analysis (GRA)",
        title_zh: "灰色关联分析法",
        formula: "x0_j = max_i r_ij;  Δ_ij = |x0_j − r_ij|;  \
            ξ_ij = (Δmin + ρ Δmax)/(Δ_ij + ρ Δmax);  γ_i = Σ_j w_j ξ_ij",
        conventions: "Default normalisation min-max (cost and target indicators already turned \
            around), so the reference series is the best value of each indicator (the column \
            maximum). Δmin and Δmax are the two-level minimum and maximum over all zones and all \
            indicators that carry weight (an indicator with weight 0 does not change the others' \
            coefficients). ρ (distinguishing coefficient) defaults to 0.5. The grade is the \
            weighted mean of the coefficients (equal weights give Deng's plain mean), in (0, 1]. \
            When every zone equals the reference (Δmax = 0: identical zones, a single zone, only \
            constant columns) every ξ = 1 and the grade is 1.",
        reference: "Deng Julong (1982), Control problems of grey systems, Systems & Control \
            Letters 1(5), 288–294; Deng (1989), Introduction to grey system theory, J. Grey System \
            1(1), 1–24; Kuo, Yang & Huang (2008), The use of grey relational analysis in solving \
            multiple attribute decision-making problems, Computers & Industrial Engineering 55(1), \
            80–93. Tested on 司守奎、孙玺菁《数学建模算法与应用》例 14.5 (supplier selection; data from \
            the book, grades from an independent implementation — the printed table was not \
            available).",
        params: &[ParamInfo {
            name: "rho",
            default: "0.5",
            doc: "distinguishing coefficient ρ, in (0, 1]",
        }],
    },
    caps: Capabilities::normalized("min-max"),
    build: |p| Ok(Box::new(GreyRelational { rho: rho(p)? })),
};

/// Reads ρ ∈ (0, 1].
fn rho(p: &Params) -> Result<f64, Problem> {
    let rho = p.num_in("rho", 0.5, 0.0, 1.0)?;
    if rho > 0.0 {
        Ok(rho)
    } else {
        Err(Problem::at(
            p.get("rho").and_then(|e| e.location.clone()),
            text!(
                "parameter `rho` of `grey-relational` must be above 0 (it is in (0, 1])",
                "`grey-relational` 的参数 `rho` 必须大于 0（取值范围 (0, 1]）"
            ),
        ))
    }
}

impl Aggregate for GreyRelational {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = input.normalized;
        let n = r.cols();
        // Pass 1: the reference value of each column and the two-level extremes of Δ.
        // Δmin is always 0: each column's maximum is the reference itself.
        let mut reference = vec![0.0; n];
        let mut d_max = 0.0f64;
        for (j, col) in r.columns().enumerate() {
            if let Some(i) = col.iter().position(|x| !x.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!(
                        "normalised value is not a finite number",
                        "标准化值不是有限数"
                    ),
                ));
            }
            if input.weights.get(j).copied().unwrap_or(0.0) == 0.0 {
                continue;
            }
            let (lo, hi) = min_max_of(col);
            reference[j] = hi;
            // The column's minimum gives its largest Δ.
            d_max = d_max.max(hi - lo);
        }
        let mut value = vec![0.0; r.rows()];
        if d_max <= 0.0 {
            // Every zone equals the reference: every coefficient is 1.
            let total: f64 = input.weights.iter().sum();
            value.fill(total);
            return Ok(Aggregated {
                indicator_tables: Vec::new(),
                statistics: Vec::new(),
                references: Vec::new(),
                value,
                tables: Vec::new(),
            });
        }
        // Pass 2: weighted coefficients.
        let offset = self.rho * d_max;
        let numerator = offset; // Δmin + ρ Δmax with Δmin = 0
        for ((col, &w), &x0) in r.columns().zip(input.weights).zip(&reference) {
            if w == 0.0 {
                continue;
            }
            for (v, &x) in value.iter_mut().zip(col) {
                *v += w * numerator / ((x0 - x) + offset);
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::ParamValue;
    use crate::method::aggregate::testing::{assert_close, run};

    /// Min-max matrix [[1, 0], [0, 1], [0.5, 0.5]]: reference (1, 1), Δmax = 1, Δmin = 0, so
    /// ξ = 0.5/(Δ + 0.5): Δ = 0 → 1, Δ = 1 → ⅓, Δ = ½ → ½. With w = (0.7, 0.3):
    /// zone 0: 0.7 + 0.1 = 0.8; zone 1: 0.7/3 + 0.3 = 0.5333…; zone 2: 0.5.
    #[test]
    fn coefficients_by_hand() {
        let rows = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.5, 0.5]];
        let out = run(
            &GreyRelational { rho: 0.5 },
            &rows,
            &[false, false],
            &[0.7, 0.3],
            Some("min-max"),
        );
        assert_close(&out.value, &[0.8, 0.7 / 3.0 + 0.3, 0.5], 1e-15);
    }

    /// A cost column is turned around by min-max: (2, 4) cost → (1, 0) → grades (1, ⅓).
    /// A constant column adds ξ = 1 for everyone; a zero-weight column changes nothing.
    #[test]
    fn cost_constant_and_zero_weight() {
        let rows = vec![vec![2.0, 5.0, 0.0], vec![4.0, 5.0, 100.0]];
        let out = run(
            &GreyRelational { rho: 0.5 },
            &rows,
            &[true, false, false],
            &[0.5, 0.5, 0.0],
            Some("min-max"),
        );
        assert_close(&out.value, &[1.0, 0.5 / 3.0 + 0.5], 1e-15);
    }

    /// A single zone and identical zones: Δmax = 0, every ξ = 1, grade 1.
    #[test]
    fn identical_zones_get_one() {
        let out = run(
            &GreyRelational { rho: 0.5 },
            &[vec![3.0, 4.0]],
            &[false, true],
            &[0.5, 0.5],
            Some("min-max"),
        );
        assert_close(&out.value, &[1.0], 1e-15);
        let rows = vec![vec![3.0, 4.0], vec![3.0, 4.0]];
        let out = run(
            &GreyRelational { rho: 0.5 },
            &rows,
            &[false, true],
            &[0.5, 0.5],
            Some("min-max"),
        );
        assert_close(&out.value, &[1.0, 1.0], 1e-15);
    }

    #[test]
    fn rho_in_half_open_unit_interval() {
        let build = |x: f64| {
            (ENTRY.build)(&Params::named("grey-relational").with("rho", ParamValue::Num(x)))
        };
        assert!(build(0.0).is_err());
        assert!(build(1.2).is_err());
        assert!(build(1.0).is_ok());
    }
}
