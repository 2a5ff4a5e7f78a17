//! COPRAS (complex proportional assessment): the benefit and cost parts of a sum-normalised,
//! weighted matrix are summed separately and combined into a relative significance Q.
//!
//! Peer tools disagree on how S⁻ enters Q; this file uses the classic Zavadskas–Kaklauskas
//! form, which the reference cases confirm to every printed digit.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};

/// `copras`: value = Q_i = S⁺_i + ΣS⁻ / (S⁻_i · Σ 1/S⁻).
#[derive(Debug)]
pub struct Copras;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "copras",
        title: "COPRAS (complex proportional assessment)",
        title_zh: "COPRAS 复杂比例评估法",
        formula: "d_ij = w_j x_ij / Σ_i x_ij;  S⁺_i = Σ_benefit d_ij;  S⁻_i = Σ_cost d_ij;  \
            Q_i = S⁺_i + (S⁻min · Σ_k S⁻_k) / (S⁻_i · Σ_k S⁻min/S⁻_k) \
            = S⁺_i + Σ_k S⁻_k / (S⁻_i · Σ_k 1/S⁻_k);  N_i = 100 · Q_i / max_k Q_k",
        conventions: "Carries its own normalisation (proportional to the column sum, on the raw \
            criterion values; target and range indicators enter as their deviation, a cost) and \
            ignores `[method] normalization`. Classic Zavadskas–Kaklauskas relative significance \
            (above); some tools use other forms of the S⁻ term. value = Q (the Q_i sum to Σw = 1 \
            over the zones); tables `s_plus`, `s_minus`, `utility` (utility degree N, %); the \
            display score is N/100, so the best zone scores 1. Without cost indicators Q = S⁺. \
            Values must be ≥ 0. A column that is 0 for every zone, or a zone with S⁻ = 0 while \
            cost indicators carry weight, is an error naming the indicator or zone. A constant \
            column adds w/m to every zone (warning). Indicators with weight 0 are skipped.",
        reference: "Zavadskas E.K., Kaklauskas A. (1996), Pastatų sistemotechninis įvertinimas \
            (Multiple criteria evaluation of buildings), Vilnius: Technika; Kaklauskas A. et al. \
            (2006), Energy and Buildings 38, 454–462 (steps of the method). Worked examples: \
            Kundakcı N., Tuş Işık A. (2016), Decision Science Letters 5, 381–394 (air compressor \
            selection); Goswami S.S., Mitra S. (2020), International Journal of Data and Network \
            Science 4, 27–42 (mobile phone selection).",
        params: &[],
    },
    caps: Capabilities::INTRINSIC,
    build: |_| Ok(Box::new(Copras)),
};

impl Aggregate for Copras {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let x = input.values;
        let m = x.rows();
        let mut s_plus = vec![0.0; m];
        let mut s_minus = vec![0.0; m];
        let mut cost_weight = 0.0;
        let columns = x.columns().zip(input.weights).zip(input.cost);
        for (j, ((col, &w), &cost)) in columns.enumerate() {
            // A zero weight contributes nothing; skipping it also spares an all-zero column.
            if w.is_nan() || w <= 0.0 {
                continue;
            }
            let mut sum = 0.0;
            for (i, &v) in col.iter().enumerate() {
                if !v.is_finite() {
                    return Err(not_finite(i, j, v));
                }
                if v < 0.0 {
                    return Err(CellError::cell(
                        i,
                        j,
                        crate::text!(
                            "negative value {v}: COPRAS divides by the column sum and needs values ≥ 0",
                            "COPRAS 按列和比例标准化，要求数值非负，此处为 {v}"
                        ),
                    ));
                }
                sum += v;
            }
            if sum <= 0.0 {
                return Err(CellError::column(
                    j,
                    crate::text!(
                        "every zone is 0: COPRAS divides by the column sum",
                        "各开发区该指标均为 0，COPRAS 无法按列和比例标准化"
                    ),
                ));
            }
            // With one zone every column is constant: no warning for the obvious.
            if m > 1 && col.iter().all(|&v| v == col[0]) {
                notes.push(constant_note(j, col[0]));
            }
            let f = w / sum;
            let acc = if cost {
                cost_weight += w;
                &mut s_minus
            } else {
                &mut s_plus
            };
            acc.iter_mut().zip(col).for_each(|(a, &v)| *a += f * v);
        }

        let value = if cost_weight > 0.0 {
            if let Some(i) = s_minus.iter().position(|&s| s <= 0.0) {
                return Err(CellError::at_row(
                    i,
                    crate::text!(
                        "0 on every cost indicator (S⁻ = 0): COPRAS's relative significance divides by S⁻",
                        "该开发区所有成本型指标均为 0（S⁻ = 0），COPRAS 的相对重要度以 S⁻ 为除数"
                    ),
                ));
            }
            let total: f64 = s_minus.iter().sum();
            let inverse: f64 = s_minus.iter().map(|s| 1.0 / s).sum();
            let q: Vec<f64> = s_plus
                .iter()
                .zip(&s_minus)
                .map(|(p, s)| p + total / (s * inverse))
                .collect();
            if let Some(i) = q.iter().position(|v| !v.is_finite()) {
                return Err(CellError::at_row(
                    i,
                    crate::text!(
                        "S⁻ is too small for a finite relative significance",
                        "S⁻ 过小，相对重要度溢出"
                    ),
                ));
            }
            q
        } else {
            s_plus.clone()
        };

        let utility = utility_degree(&value)
            .into_iter()
            .map(|u| 100.0 * u)
            .collect();
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: vec![
                NamedColumn {
                    key: "s_plus".into(),
                    en: "S+ (weighted sum over benefit indicators)".into(),
                    zh: "S+（效益型指标加权和）".into(),
                    values: s_plus,
                },
                NamedColumn {
                    key: "s_minus".into(),
                    en: "S- (weighted sum over cost indicators)".into(),
                    zh: "S-（成本型指标加权和）".into(),
                    values: s_minus,
                },
                NamedColumn {
                    key: "utility".into(),
                    en: "utility degree N (%)".into(),
                    zh: "效用度 N（%）".into(),
                    values: utility,
                },
            ],
        })
    }

    /// The utility degree N/100 = Q/max Q: the Q_i are shares summing to 1, so keeping them
    /// as they are would give every zone a score near 1/m.
    fn unit_score(&self, value: &[f64], _higher_is_better: bool) -> Vec<f64> {
        utility_degree(value)
    }
}

/// The utility degree N/100 = Q/max Q.
fn utility_degree(value: &[f64]) -> Vec<f64> {
    let q_max = value.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    value
        .iter()
        .map(|&q| {
            if q_max > 0.0 {
                (q / q_max).clamp(0.0, 1.0)
            } else {
                1.0
            }
        })
        .collect()
}

fn not_finite(row: usize, col: usize, v: f64) -> CellError {
    CellError::cell(
        row,
        col,
        crate::text!("not a finite number ({v})", "不是有限数值（{v}）"),
    )
}

fn constant_note(col: usize, v: f64) -> Text {
    let k = col + 1;
    crate::text!(
        "COPRAS: indicator #{k} is constant (every zone {v}); it cannot discriminate",
        "COPRAS：第 {k} 个指标为常数列（均为 {v}），不具区分度"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table, try_run};

    /// Benefit columns (1, 3) and (2, 2), weights 0.6/0.4: column sums 4 and 4, so
    /// S⁺ = (0.6·1/4 + 0.4·2/4, 0.6·3/4 + 0.4·2/4) = (0.35, 0.65) = Q; N = (53.846…, 100).
    #[test]
    fn without_cost_indicators_q_is_s_plus() {
        let out = run(
            &Copras,
            &[vec![1.0, 2.0], vec![3.0, 2.0]],
            &[false, false],
            &[0.6, 0.4],
            None,
        );
        assert_close(&out.value, &[0.35, 0.65], 1e-15);
        assert_close(table(&out, "s_minus"), &[0.0, 0.0], 0.0);
        assert_close(table(&out, "utility"), &[100.0 * 0.35 / 0.65, 100.0], 1e-12);
    }

    /// Benefit (2, 6) w 0.5, cost (1, 3) w 0.5: S⁺ = (0.125, 0.375), S⁻ = (0.125, 0.375),
    /// ΣS⁻ = 0.5, Σ1/S⁻ = 8 + 8/3 = 32/3, so Q = S⁺ + 0.5/(S⁻ · 32/3) = (0.5, 0.5):
    /// proportional benefit and cost cancel exactly. The Q_i sum to 1.
    #[test]
    fn proportional_benefit_and_cost_cancel() {
        let out = run(
            &Copras,
            &[vec![2.0, 1.0], vec![6.0, 3.0]],
            &[false, true],
            &[0.5, 0.5],
            None,
        );
        assert_close(&out.value, &[0.5, 0.5], 1e-15);
        assert_close(table(&out, "s_minus"), &[0.125, 0.375], 1e-15);
    }

    /// One zone: S⁺ = S⁻ = 0.5, Q = 0.5 + 0.5/(0.5 · 2) = 1, N = 100; no constant-column noise.
    #[test]
    fn single_zone() {
        let (out, notes) = try_run(&Copras, &[vec![5.0, 3.0]], &[false, true], &[0.5, 0.5]);
        let out = out.unwrap();
        assert_close(&out.value, &[1.0], 1e-15);
        assert!(
            notes.is_empty(),
            "no constant-column warnings for a single zone"
        );
        assert_close(table(&out, "utility"), &[100.0], 1e-12);
    }

    /// A constant benefit column adds w/m = 0.5/2 to both zones, with a warning; a
    /// zero-weight column of zeros is skipped rather than rejected.
    #[test]
    fn constant_column_and_zero_weight() {
        let (out, notes) = try_run(
            &Copras,
            &[vec![7.0, 1.0, 0.0], vec![7.0, 3.0, 0.0]],
            &[false, false, false],
            &[0.5, 0.5, 0.0],
        );
        let out = out.unwrap();
        // 0.25 + 0.5·(1/4, 3/4)
        assert_close(&out.value, &[0.375, 0.625], 1e-15);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn rejects_negative_values_zero_sums_and_zero_s_minus() {
        let (r, _) = try_run(
            &Copras,
            &[vec![1.0, 2.0], vec![-1.0, 2.0]],
            &[false, true],
            &[0.5, 0.5],
        );
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (Some(1), Some(0)));

        let (r, _) = try_run(
            &Copras,
            &[vec![1.0, 0.0], vec![2.0, 0.0]],
            &[false, true],
            &[0.5, 0.5],
        );
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (None, Some(1)));

        // Zone 0 has S⁻ = 0 while the cost indicator carries weight.
        let (r, _) = try_run(
            &Copras,
            &[vec![1.0, 0.0], vec![2.0, 4.0]],
            &[false, true],
            &[0.5, 0.5],
        );
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (Some(0), None));

        let (r, _) = try_run(&Copras, &[vec![f64::NAN]], &[false], &[1.0]);
        assert_eq!(r.unwrap_err().col, Some(0));
    }

    #[test]
    fn unit_score_is_utility_degree() {
        assert_close(
            &Copras.unit_score(&[0.2, 0.5, 0.3], true),
            &[0.4, 1.0, 0.6],
            1e-15,
        );
        assert_eq!(Copras.unit_score(&[0.0, 0.0], true), vec![1.0, 1.0]);
    }
}
