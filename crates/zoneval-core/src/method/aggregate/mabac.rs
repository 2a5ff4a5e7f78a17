//! MABAC (multi-attributive border approximation area comparison): each zone's weighted,
//! min–max normalised values compared with the border approximation area, the geometric
//! mean of each column.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::normalize::min_max_of;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};

/// `mabac`: value = Q_i = Σ_j (v_ij − g_j).
#[derive(Debug)]
pub struct Mabac;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "mabac",
        title: "MABAC (multi-attributive border approximation area comparison)",
        title_zh: "MABAC 多属性边界近似区域比较法",
        formula: "benefit: t_ij = (x_ij − x⁻_j)/(x⁺_j − x⁻_j), cost: t_ij = (x_ij − x⁺_j)/(x⁻_j − x⁺_j) \
            (x⁺, x⁻ = column max, min);  v_ij = w_j (t_ij + 1);  g_j = (Π_i v_ij)^(1/m);  \
            q_ij = v_ij − g_j;  Q_i = Σ_j q_ij",
        conventions: "Carries its own normalisation (min–max on the raw criterion values; target \
            and range indicators enter as their deviation, a cost) and ignores `[method] \
            normalization`. value = Q, higher is better; Q > 0 means the zone lies, on balance, \
            above the border approximation area (Q ∈ [−1, 1] since Σw = 1). Table `upper`: the \
            number of indicators on which the zone lies in the upper approximation area (q > 0). \
            g_j is computed as w_j · exp(mean ln(t + 1)), so large m cannot underflow. A constant \
            column gets t = 1 (as min-max does), so v = g and it adds 0 to every Q (warning). \
            Indicators with weight 0 are skipped. Display score: Q rescaled min–max across the \
            zones, always (Q may be negative, and switching between kept and rescaled values \
            depending on the data would make scores incomparable); equal Q give 1.",
        reference: "Pamučar D., Ćirović G. (2015), The selection of transport and handling \
            resources in logistics centers using Multi-Attributive Border Approximation area \
            Comparison (MABAC), Expert Systems with Applications 42(6), 3016–3028 (the method \
            and its forklift-selection worked example).",
        params: &[],
    },
    caps: Capabilities::INTRINSIC,
    build: |_| Ok(Box::new(Mabac)),
};

impl Aggregate for Mabac {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let x = input.values;
        let m = x.rows();
        let mut q = vec![0.0; m];
        let mut upper = vec![0.0; m];
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
            let (lo, hi) = min_max_of(col);
            let range = hi - lo;
            if range <= 0.0 {
                let k = j + 1;
                let v = col[0];
                if m > 1 {
                    notes.push(crate::text!(
                    "MABAC: indicator #{k} is constant (every zone {v}); it cannot discriminate",
                    "MABAC：第 {k} 个指标为常数列（均为 {v}），不具区分度"
                    ));
                }
                continue;
            }
            // t + 1 ∈ [1, 2], oriented so that 2 is the best zone.
            let t1 = |v: f64| {
                if cost {
                    1.0 + (hi - v) / range
                } else {
                    1.0 + (v - lo) / range
                }
            };
            let mean_ln = col.iter().map(|&v| t1(v).ln()).sum::<f64>() / m as f64;
            let g = w * mean_ln.exp();
            for ((qi, ui), &v) in q.iter_mut().zip(upper.iter_mut()).zip(col) {
                let d = w * t1(v) - g;
                *qi += d;
                if d > 0.0 {
                    *ui += 1.0;
                }
            }
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value: q,
            tables: vec![NamedColumn {
                key: "upper".into(),
                en: "indicators in the upper approximation area (q > 0)".into(),
                zh: "位于上近似区域的指标数（q > 0）".into(),
                values: upper,
            }],
        })
    }

    /// Min–max across the zones, whatever the range of Q.
    fn unit_score(&self, value: &[f64], _higher_is_better: bool) -> Vec<f64> {
        let (lo, hi) = min_max_of(value);
        let range = hi - lo;
        value
            .iter()
            .map(|&v| if range > 0.0 { (v - lo) / range } else { 1.0 })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table, try_run};

    /// Two zones, benefit (0, 10) w 0.6 and cost (5, 1) w 0.4.
    /// Benefit: t + 1 = (1, 2), v = (0.6, 1.2), g = 0.6·√2; cost: t + 1 = (1, 2) as well,
    /// v = (0.4, 0.8), g = 0.4·√2. So Q = (1 − √2, 2 − √2) and zone 1 is above the border on
    /// both indicators.
    #[test]
    fn hand_computed_two_zones() {
        let out = run(
            &Mabac,
            &[vec![0.0, 5.0], vec![10.0, 1.0]],
            &[false, true],
            &[0.6, 0.4],
            None,
        );
        let r2 = 2f64.sqrt();
        assert_close(&out.value, &[1.0 - r2, 2.0 - r2], 1e-15);
        assert_eq!(table(&out, "upper"), &[0.0, 2.0]);
    }

    /// A constant column adds 0 (with a warning), a zero weight is skipped (no ln 0), and a
    /// single zone is a constant column everywhere: Q = 0.
    #[test]
    fn constant_column_zero_weight_and_single_zone() {
        let (out, notes) = try_run(
            &Mabac,
            &[vec![3.0, 1.0, 9.0], vec![3.0, 2.0, 9.0]],
            &[false, false, true],
            &[0.5, 0.5, 0.0],
        );
        let out = out.unwrap();
        // Column 1 only: v = (0.5, 1.0), g = 0.5·√2.
        let r2 = 2f64.sqrt();
        assert_close(&out.value, &[0.5 - 0.5 * r2, 1.0 - 0.5 * r2], 1e-15);
        assert_eq!(notes.len(), 1);

        let out = run(&Mabac, &[vec![4.0, 2.0]], &[false, true], &[0.5, 0.5], None);
        assert_eq!(out.value, vec![0.0]);
    }

    /// Many zones: the geometric mean through logs stays finite where a direct product of
    /// 5000 values of w(t + 1) ≤ 2·10⁻³ would underflow to 0.
    #[test]
    fn many_zones_do_not_underflow() {
        let rows: Vec<Vec<f64>> = (0..5000).map(|i| vec![i as f64]).collect();
        let w = [1e-3];
        let out = run(&Mabac, &rows, &[false], &w, None);
        assert!(out.value.iter().all(|v| v.is_finite()));
        // v runs linearly from w to 2w; its geometric mean is close to w·4/e = 1.4715…·w.
        let g = w[0] * 2.0 - out.value[4999];
        assert!(
            (g / w[0] - 4.0 / std::f64::consts::E).abs() < 1e-3,
            "g = {g}"
        );
    }

    /// The border approximation areas g_j printed by Pamučar & Ćirović (2015) for their
    /// forklift example (see tests/reference/agg-mabac-pamucar-cirovic-2015.toml). With only
    /// indicator j weighted, Q_i = v_ij − g_j, and the best zone has v = 2w_j, so
    /// g_j = 2w_j − max_i Q_i.
    #[test]
    fn border_areas_of_the_worked_example() {
        let rows = vec![
            vec![22600.0, 3800.0, 2.0, 5.0, 1.06, 3.00, 3.5, 2.8, 24.5, 6.5],
            vec![19500.0, 4200.0, 3.0, 2.0, 0.95, 3.00, 3.4, 2.2, 24.0, 7.0],
            vec![21700.0, 4000.0, 1.0, 3.0, 1.25, 3.20, 3.3, 2.5, 24.5, 7.3],
            vec![20600.0, 3800.0, 2.0, 5.0, 1.05, 3.25, 3.2, 2.0, 22.5, 11.0],
            vec![22500.0, 3800.0, 4.0, 3.0, 1.35, 3.20, 3.7, 2.1, 23.0, 6.3],
            vec![23250.0, 4210.0, 3.0, 5.0, 1.45, 3.60, 3.5, 2.8, 23.5, 7.0],
            vec![20300.0, 3850.0, 2.0, 5.0, 0.90, 3.25, 3.0, 2.6, 21.5, 6.0],
        ];
        let cost = [
            true, false, false, false, true, true, false, false, false, false,
        ];
        let w = [
            0.146, 0.144, 0.119, 0.121, 0.115, 0.101, 0.088, 0.068, 0.050, 0.048,
        ];
        let published = [
            0.2086, 0.1885, 0.1720, 0.1952, 0.1740, 0.1625, 0.1319, 0.1010, 0.0789, 0.0590,
        ];
        for j in 0..w.len() {
            let mut wj = [0.0; 10];
            wj[j] = w[j];
            let out = run(&Mabac, &rows, &cost, &wj, None);
            let q_max = out.value.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let g = 2.0 * w[j] - q_max;
            assert!(
                (g - published[j]).abs() <= 5e-5,
                "g_{j} = {g}, published {}",
                published[j]
            );
        }
    }

    #[test]
    fn non_finite_is_an_error_and_unit_score_rescales() {
        let (r, _) = try_run(&Mabac, &[vec![1.0], vec![f64::NAN]], &[false], &[1.0]);
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (Some(1), Some(0)));
        assert_close(
            &Mabac.unit_score(&[0.1, 0.3, 0.2], true),
            &[0.0, 1.0, 0.5],
            1e-15,
        );
        assert_eq!(Mabac.unit_score(&[-0.2, -0.2], true), vec![1.0, 1.0]);
    }
}
