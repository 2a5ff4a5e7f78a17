//! EDAS (evaluation based on distance from average solution): each zone's weighted positive
//! and negative distances from the column averages, normalised and averaged.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};

/// `edas`: value = AS_i = (NSP_i + NSN_i) / 2.
#[derive(Debug)]
pub struct Edas;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "edas",
        title: "EDAS (evaluation based on distance from average solution)",
        title_zh: "EDAS 基于平均解距离的评价法",
        formula: "AV_j = mean_i x_ij;  benefit: PDA = max(0, x − AV)/AV, NDA = max(0, AV − x)/AV \
            (cost: reversed);  SP_i = Σ_j w_j PDA_ij;  SN_i = Σ_j w_j NDA_ij;  \
            NSP = SP/max SP;  NSN = 1 − SN/max SN;  AS = (NSP + NSN)/2",
        conventions: "Carries its own normalisation (distances relative to the column average of \
            the raw criterion values; target and range indicators enter as their deviation, a \
            cost) and ignores `[method] normalization`. value = AS in [0, 1], higher is better; \
            tables `sp`, `sn`, `nsp`, `nsn`. Distances are divided by |AV|, which equals AV for \
            the positive data the method was designed for and keeps their sign meaning when the \
            average is negative. A constant column has every distance 0 (warning); a non-constant \
            column whose average is 0 is an error naming the indicator. When no zone lies above \
            (below) the average on any weighted indicator, max SP (max SN) is 0 and NSP = 0 \
            (NSN = 1) for every zone. Indicators with weight 0 are skipped.",
        reference: "Keshavarz Ghorabaee M., Zavadskas E.K., Olfat L., Turskis Z. (2015), \
            Informatica 26(3), 435–451 (the method). Worked examples: Yazdani M. et al. (2020), \
            Sustainable Operations and Computers 1, 35–42 (renewable energy resources); Ersoy Y. \
            (2021), LogForum 17(3) (equipment selection).",
        params: &[],
    },
    caps: Capabilities::INTRINSIC,
    build: |_| Ok(Box::new(Edas)),
};

impl Aggregate for Edas {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let x = input.values;
        let m = x.rows();
        let mut sp = vec![0.0; m];
        let mut sn = vec![0.0; m];
        let columns = x.columns().zip(input.weights).zip(input.cost);
        for (j, ((col, &w), &cost)) in columns.enumerate() {
            if w.is_nan() || w <= 0.0 {
                continue;
            }
            let (mut lo, mut hi, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
            for (i, &v) in col.iter().enumerate() {
                if !v.is_finite() {
                    return Err(CellError::cell(
                        i,
                        j,
                        crate::text!("not a finite number ({v})", "不是有限数值（{v}）"),
                    ));
                }
                lo = lo.min(v);
                hi = hi.max(v);
                sum += v;
            }
            // Every distance from the average of a constant column is 0, whatever the average.
            if hi <= lo {
                let k = j + 1;
                let v = col[0];
                if m > 1 {
                    notes.push(crate::text!(
                        "EDAS: indicator #{k} is constant (every zone {v}); it cannot discriminate",
                        "EDAS：第 {k} 个指标为常数列（均为 {v}），不具区分度"
                    ));
                }
                continue;
            }
            let av = sum / m as f64;
            if av.abs() <= 1e-12 * lo.abs().max(hi.abs()) {
                return Err(CellError::column(
                    j,
                    crate::text!(
                        "the average over the zones is 0: EDAS measures distances relative to it",
                        "各开发区该指标的平均值为 0，EDAS 以平均值为基准计算距离"
                    ),
                ));
            }
            // Signed weighted distance, oriented so that positive is better.
            let scale = if cost { -w / av.abs() } else { w / av.abs() };
            for ((p, n), &v) in sp.iter_mut().zip(sn.iter_mut()).zip(col) {
                let d = (v - av) * scale;
                if d > 0.0 {
                    *p += d;
                } else {
                    *n -= d;
                }
            }
        }

        let sp_max = sp.iter().copied().fold(0.0, f64::max);
        let sn_max = sn.iter().copied().fold(0.0, f64::max);
        let nsp: Vec<f64> = sp
            .iter()
            .map(|&s| if sp_max > 0.0 { s / sp_max } else { 0.0 })
            .collect();
        let nsn: Vec<f64> = sn
            .iter()
            .map(|&s| if sn_max > 0.0 { 1.0 - s / sn_max } else { 1.0 })
            .collect();
        let value = nsp.iter().zip(&nsn).map(|(p, n)| 0.5 * (p + n)).collect();
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: vec![
                NamedColumn {
                    key: "sp".into(),
                    en: "SP (weighted positive distance from average)".into(),
                    zh: "SP（与平均解的加权正距离）".into(),
                    values: sp,
                },
                NamedColumn {
                    key: "sn".into(),
                    en: "SN (weighted negative distance from average)".into(),
                    zh: "SN（与平均解的加权负距离）".into(),
                    values: sn,
                },
                NamedColumn {
                    key: "nsp".into(),
                    en: "NSP (normalised SP)".into(),
                    zh: "NSP（标准化 SP）".into(),
                    values: nsp,
                },
                NamedColumn {
                    key: "nsn".into(),
                    en: "NSN (normalised SN, 1 = no negative distance)".into(),
                    zh: "NSN（标准化 SN，1 表示无负距离）".into(),
                    values: nsn,
                },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table, try_run};

    /// Benefit (2, 4, 6) w 0.5 and cost (1, 1, 4) w 0.5. AV = 4 and 2.
    /// Benefit distances (x − 4)/4 = (−0.5, 0, 0.5); cost (2 − x)/2 = (0.5, 0.5, −1).
    /// SP = 0.5·(0, 0, 0.5) + 0.5·(0.5, 0.5, 0) = (0.25, 0.25, 0.25);
    /// SN = 0.5·(0.5, 0, 0) + 0.5·(0, 0, 1) = (0.25, 0, 0.5).
    /// NSP = (1, 1, 1), NSN = (0.5, 1, 0), AS = (0.75, 1, 0.5).
    #[test]
    fn hand_computed_benefit_and_cost() {
        let out = run(
            &Edas,
            &[vec![2.0, 1.0], vec![4.0, 1.0], vec![6.0, 4.0]],
            &[false, true],
            &[0.5, 0.5],
            None,
        );
        assert_close(table(&out, "sp"), &[0.25, 0.25, 0.25], 1e-15);
        assert_close(table(&out, "sn"), &[0.25, 0.0, 0.5], 1e-15);
        assert_close(&out.value, &[0.75, 1.0, 0.5], 1e-15);
    }

    /// A negative average divides by |AV|: benefit (−1, −3), AV = −2, distances (0.5, −0.5),
    /// so the larger value is still the better: AS = (1, 0).
    #[test]
    fn negative_average_keeps_direction() {
        let out = run(&Edas, &[vec![-1.0], vec![-3.0]], &[false], &[1.0], None);
        assert_close(&out.value, &[1.0, 0.0], 1e-15);
    }

    /// A constant column (here with average 0) and a zero-weight column of mixed sign whose
    /// average is 0 are neither errors nor NaN: with nothing left to discriminate, every zone
    /// gets NSP = 0, NSN = 1, AS = 0.5. One zone behaves the same way.
    #[test]
    fn constant_columns_zero_weights_and_single_zone() {
        let (out, notes) = try_run(
            &Edas,
            &[vec![0.0, -1.0], vec![0.0, 1.0]],
            &[false, false],
            &[1.0, 0.0],
        );
        let out = out.unwrap();
        assert_eq!(out.value, vec![0.5, 0.5]);
        assert_eq!(table(&out, "nsn"), &[1.0, 1.0]);
        assert_eq!(notes.len(), 1);

        let out = run(&Edas, &[vec![3.0, 9.0]], &[false, true], &[0.5, 0.5], None);
        assert_eq!(out.value, vec![0.5]);
    }

    #[test]
    fn zero_average_of_a_varying_column_is_an_error() {
        let (r, _) = try_run(
            &Edas,
            &[vec![1.0, -2.0], vec![2.0, 2.0]],
            &[false, false],
            &[0.5, 0.5],
        );
        let e = r.unwrap_err();
        assert_eq!((e.row, e.col), (None, Some(1)));
        let (r, _) = try_run(&Edas, &[vec![f64::INFINITY]], &[false], &[1.0]);
        assert_eq!(r.unwrap_err().row, Some(0));
    }
}
