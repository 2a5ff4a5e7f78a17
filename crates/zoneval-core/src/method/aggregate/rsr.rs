//! RSR (rank-sum ratio, 秩和比法): zones ranked on every indicator, the ranks' weighted mean
//! divided by the number of zones; plus the probit of each RSR's cumulative frequency, the
//! step on which the classic RSR grading rests.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};

/// `rsr`: value = WRSR_i = Σ_j w_j R_ij / m.
#[derive(Debug)]
pub struct Rsr;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "rsr",
        title: "RSR (rank-sum ratio)",
        title_zh: "秩和比法（RSR）",
        formula: "R_ij = rank of zone i on indicator j among the m zones, 1 = worst … m = best;  \
            WRSR_i = Σ_j w_j R_ij / m  (equal weights: RSR_i = Σ_j R_ij / (m·n));  \
            probit_i = 5 + Φ⁻¹(R̄_i / m), R̄_i = mean rank of the zones sharing zone i's RSR, \
            the largest RSR using 1 − 1/(4m)",
        conventions: "Integer-rank RSR (整次秩和比法) with average ranks for ties; a benefit \
            indicator gives its largest value rank m, a cost indicator (and target and range \
            indicators, by their deviation) its smallest. Carries its own normalisation (the \
            ranks) and ignores `[method] normalization`. value = WRSR in [1/m, 1], higher is \
            better. Table `probit`: probit of the cumulative frequency R̄/m of the zone's RSR \
            among all RSR values (ties share one R̄; the last, 100%, is corrected to \
            1 − 1/(4m)), the abscissa of the classic RSR regression and grading (分档). A \
            constant column gives every zone rank (m + 1)/2 (warning). Indicators with weight 0 \
            are skipped. With equal weights the rank sums are exact, so zones with equal rank \
            sums tie exactly.",
        reference: "田凤调 (1988) 秩和比法及其应用, 中国统计 (Tian Fengtiao, the method); 田凤调 \
            (2002) 秩和比法的应用, 人民卫生出版社. Worked example: 孙振球 主编 (2014) \
            综合评价方法及其医学应用, 人民卫生出版社, 第四章 例4-4, 表4-6 and 表4-7 \
            (maternal health care in 10 regions).",
        params: &[],
    },
    caps: Capabilities::INTRINSIC,
    build: |_| Ok(Box::new(Rsr)),
};

impl Aggregate for Rsr {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let x = input.values;
        let m = x.rows();
        let active = || input.weights.iter().copied().filter(|&w| w > 0.0);
        // Equal weights: sum the ranks (exact in f64) and scale once at the end, so that equal
        // rank sums give bit-identical RSR values.
        let common = active().next();
        let equal = common.is_some_and(|w0| active().all(|w| w == w0));
        let mut sum = vec![0.0; m];
        let mut order: Vec<usize> = (0..m).collect();
        let columns = x.columns().zip(input.weights).zip(input.cost);
        for (j, ((col, &w), &cost)) in columns.enumerate() {
            if w.is_nan() || w <= 0.0 {
                continue;
            }
            if let Some(i) = col.iter().position(|v| !v.is_finite()) {
                let v = col[i];
                return Err(CellError::cell(
                    i,
                    j,
                    crate::text!("not a finite number ({v})", "不是有限数值（{v}）"),
                ));
            }
            // Worst first: ascending for a benefit indicator, descending for a cost one.
            if cost {
                order.sort_unstable_by(|&a, &b| col[b].total_cmp(&col[a]));
            } else {
                order.sort_unstable_by(|&a, &b| col[a].total_cmp(&col[b]));
            }
            let factor = if equal { 1.0 } else { w };
            let mut start = 0;
            while start < m {
                let mut end = start + 1;
                while end < m && col[order[end]] == col[order[start]] {
                    end += 1;
                }
                // Positions start..end share the mean of ranks start + 1 ..= end.
                let rank = 0.5 * (start + 1 + end) as f64;
                for &i in &order[start..end] {
                    sum[i] += factor * rank;
                }
                if start == 0 && end == m && m > 1 {
                    let k = j + 1;
                    let v = col[0];
                    notes.push(crate::text!(
                        "RSR: indicator #{k} is constant (every zone {v}); it cannot discriminate",
                        "RSR：第 {k} 个指标为常数列（均为 {v}），不具区分度"
                    ));
                }
                start = end;
            }
        }
        let scale = if equal { common.unwrap_or(0.0) } else { 1.0 } / m as f64;
        let value: Vec<f64> = sum.iter().map(|s| s * scale).collect();
        let probit = probits(&value);
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: vec![NamedColumn {
                key: "probit".into(),
                en: "probit of the RSR's cumulative frequency".into(),
                zh: "RSR 累计频率对应的概率单位（Probit）".into(),
                values: probit,
            }],
        })
    }
}

/// The probit 5 + Φ⁻¹(p) of each value's cumulative frequency p = R̄/m, where R̄ is the mean
/// ascending rank of the values tied with it (within 1e-12 of the largest magnitude), and the
/// largest values get p = 1 − 1/(4m).
fn probits(value: &[f64]) -> Vec<f64> {
    let m = value.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_unstable_by(|&a, &b| value[a].total_cmp(&value[b]));
    let tol = 1e-12 * value.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let mut out = vec![0.0; m];
    let mut start = 0;
    while start < m {
        let mut end = start + 1;
        while end < m && value[order[end]] - value[order[end - 1]] <= tol {
            end += 1;
        }
        let p = if end == m {
            1.0 - 0.25 / m as f64
        } else {
            0.5 * (start + 1 + end) as f64 / m as f64
        };
        let probit = 5.0 + inverse_normal_cdf(p);
        for &i in &order[start..end] {
            out[i] = probit;
        }
        start = end;
    }
    out
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error below 1.2e-9),
/// ample for probits that are read to two decimals.
fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table, try_run};

    /// Φ⁻¹ against Python's `statistics.NormalDist().inv_cdf` (an independent implementation).
    #[test]
    fn inverse_normal_matches_reference_values() {
        let cases = [
            (0.001, -3.090232306167813),
            (0.02, -2.0537489106318225),
            (0.1, -1.2815515655446008),
            (0.25, -0.6744897501960817),
            (0.5, 0.0),
            (0.65, 0.3853204664075676),
            (0.975, 1.9599639845400536),
            (0.999, 3.090232306167813),
        ];
        for (p, want) in cases {
            let got = inverse_normal_cdf(p);
            assert!((got - want).abs() < 1e-8, "Φ⁻¹({p}) = {got}, want {want}");
        }
    }

    /// Weighted ranks with a tie. Benefit (1, 5, 5) w 0.5: ranks (1, 2.5, 2.5); cost
    /// (30, 10, 20) w 0.5: ranks (1, 3, 2). WRSR = (0.5·(1 + 1), 0.5·(2.5 + 3), 0.5·(2.5 + 2))/3
    /// = (1/3, 11/12, 3/4).
    #[test]
    fn weighted_ranks_with_ties() {
        let out = run(
            &Rsr,
            &[vec![1.0, 30.0], vec![5.0, 10.0], vec![5.0, 20.0]],
            &[false, true],
            &[0.5, 0.5],
            None,
        );
        assert_close(&out.value, &[1.0 / 3.0, 11.0 / 12.0, 0.75], 1e-15);

        // Unequal weights 0.2 / 0.8: (0.2·1 + 0.8·1, 0.2·2.5 + 0.8·3, 0.2·2.5 + 0.8·2)/3.
        let out = run(
            &Rsr,
            &[vec![1.0, 30.0], vec![5.0, 10.0], vec![5.0, 20.0]],
            &[false, true],
            &[0.2, 0.8],
            None,
        );
        assert_close(&out.value, &[1.0 / 3.0, 2.9 / 3.0, 2.1 / 3.0], 1e-15);
    }

    /// The probit step of 孙振球 (2014) 例4-4 as its text describes it: RSR values
    /// (0.6, 0.4, 0.767, 0.4, 0.6, 0.667, 0.5, 0.9, 0.567, 0.1) have mean ranks R̄ =
    /// 6.5, 2.5, 9, 2.5, 6.5, 8, 4, 10, 5, 1, so p = R̄/10 with the last (H, p = 100%)
    /// corrected to 1 − 1/40 = 0.975; probit = 5 + Φ⁻¹(p), Φ⁻¹ from Python's NormalDist.
    #[test]
    fn probits_of_the_textbook_example() {
        let rows = vec![
            vec![99.54, 60.27, 16.15],
            vec![96.52, 59.67, 20.10],
            vec![99.36, 43.91, 15.60],
            vec![92.83, 58.99, 17.04],
            vec![91.71, 35.40, 15.01],
            vec![95.35, 44.71, 13.93],
            vec![96.09, 49.81, 17.43],
            vec![99.27, 31.69, 13.89],
            vec![94.76, 22.91, 19.87],
            vec![84.80, 81.49, 23.63],
        ];
        let w = [1.0 / 3.0; 3];
        let out = run(&Rsr, &rows, &[false, true, true], &w, None);
        let (p65, p25, p90) = (5.385320466407568, 4.325510249803918, 6.281551565544601);
        let want = [
            p65,
            p25,
            p90,
            p25,
            p65,
            5.841621233572915,
            4.7466528968642,
            6.959963984540053,
            5.0,
            3.718448434455399,
        ];
        assert_close(table(&out, "probit"), &want, 1e-8);
        // B and D (rank sums 12) tie exactly.
        assert_eq!(out.value[1], out.value[3]);
    }

    /// A constant column ranks every zone (m + 1)/2 with a warning; a zero weight is skipped;
    /// one zone has RSR 1 and probit 5 + Φ⁻¹(0.75).
    #[test]
    fn constant_column_zero_weight_and_single_zone() {
        let (out, notes) = try_run(
            &Rsr,
            &[vec![2.0, 1.0, 7.0], vec![2.0, 3.0, 8.0]],
            &[false, false, false],
            &[0.5, 0.5, 0.0],
        );
        let out = out.unwrap();
        // (0.5·1.5 + 0.5·1, 0.5·1.5 + 0.5·2)/2
        assert_close(&out.value, &[0.625, 0.875], 1e-15);
        assert_eq!(notes.len(), 1);

        let out = run(&Rsr, &[vec![4.0, 2.0]], &[false, true], &[0.5, 0.5], None);
        assert_close(&out.value, &[1.0], 1e-15);
        assert_close(table(&out, "probit"), &[5.674489750196082], 1e-8);
    }

    #[test]
    fn non_finite_is_an_error() {
        let (r, _) = try_run(
            &Rsr,
            &[vec![1.0], vec![f64::NEG_INFINITY]],
            &[false],
            &[1.0],
        );
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (Some(1), Some(0)));
    }
}
