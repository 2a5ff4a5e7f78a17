//! VIKOR: compromise ranking from group utility S (weighted Manhattan distance to the ideal)
//! and individual regret R (weighted Chebyshev distance), blended into Q.
//!
//! VIKOR carries its own linear normalisation (f* − f)/(f* − f⁻) per criterion, so it reads the
//! criterion values directly (raw values; target and range indicators as deviations, a cost)
//! and ignores `[method] normalization`. Lower Q is better.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::normalize::min_max_of;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

/// `vikor`: Q_i = v (S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*).
#[derive(Debug)]
pub struct Vikor {
    /// Weight of the group-utility strategy (S); 1 − v weighs the regret R.
    pub v: f64,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "vikor",
        title: "VIKOR (multicriteria optimisation and compromise solution)",
        title_zh: "VIKOR 法（多准则妥协排序法）",
        formula: "t_ij = w_j (f*_j − f_ij)/(f*_j − f⁻_j);  S_i = Σ_j t_ij;  R_i = max_j t_ij;  \
            Q_i = v (S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*)",
        conventions: "Intrinsic normalisation on the criterion values (raw; target and range \
            indicators as their deviation, a cost): f* = best, f⁻ = worst per criterion (max/min \
            for benefit, min/max for cost); S* = min S, S⁻ = max S, likewise R. Lower Q is better \
            (JSON value = Q, display score from 1 − Q). A constant criterion (f* = f⁻) contributes \
            0 to S and R. When all zones have the same S (S⁻ = S*) the S term of Q is 0, likewise \
            for R (so a single zone, or identical zones, get Q = 0), with a warning. Opricovic's \
            acceptance conditions (advantage DQ, stability) are not applied: the ranking is by Q. \
            Intermediate tables: s, r, q.",
        reference: "Opricovic (1998), Multicriteria Optimization of Civil Engineering Systems, \
            Faculty of Civil Engineering, Belgrade; Opricovic & Tzeng (2004), Compromise solution \
            by MCDM methods: a comparative analysis of VIKOR and TOPSIS, EJOR 156(2), 445–455 \
            (numerical example, §5, Tables 1–3: S, R, Q); Yang & Wu (2020), IEEE Access 8, \
            21261–21271 (five-alternative example, Q).",
        params: &[ParamInfo {
            name: "v",
            default: "0.5",
            doc: "weight of the group-utility strategy, in [0, 1]",
        }],
    },
    caps: Capabilities {
        higher_is_better: false,
        ..Capabilities::INTRINSIC
    },
    build: |p| {
        let v = p.num_in("v", 0.5, 0.0, 1.0)?;
        Ok(Box::new(Vikor { v }))
    },
};

impl Aggregate for Vikor {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let f = input.values;
        let m = f.rows();
        let mut s = vec![0.0; m];
        let mut r = vec![0.0f64; m];
        for (j, (col, &w)) in f.columns().zip(input.weights).enumerate() {
            if let Some(i) = col.iter().position(|x| !x.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!("value is not a finite number", "数值不是有限数"),
                ));
            }
            let (lo, hi) = min_max_of(col);
            let range = hi - lo;
            if w == 0.0 || range <= 0.0 {
                continue;
            }
            let scale = w / range;
            let cost = input.cost.get(j).copied().unwrap_or(false);
            for ((si, ri), &x) in s.iter_mut().zip(r.iter_mut()).zip(col) {
                // (f* − f)/(f* − f⁻): benefit (max − x)/(max − min), cost (x − min)/(max − min).
                let t = scale * if cost { x - lo } else { hi - x };
                *si += t;
                *ri = ri.max(t);
            }
        }
        let (s_best, s_worst) = min_max_of(&s);
        let (r_best, r_worst) = min_max_of(&r);
        let s_range = s_worst - s_best;
        let r_range = r_worst - r_best;
        if m > 1 && !(s_range > 0.0 && r_range > 0.0) {
            notes.push(text!(
                "VIKOR: all zones have the same group utility S or the same regret R; that term of Q is 0",
                "VIKOR：所有开发区的群体效用 S 或个体遗憾 R 相同，Q 中该项取 0"
            ));
        }
        let v = self.v;
        let q: Vec<f64> = s
            .iter()
            .zip(&r)
            .map(|(&si, &ri)| {
                let qs = if s_range > 0.0 {
                    (si - s_best) / s_range
                } else {
                    0.0
                };
                let qr = if r_range > 0.0 {
                    (ri - r_best) / r_range
                } else {
                    0.0
                };
                v * qs + (1.0 - v) * qr
            })
            .collect();
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value: q.clone(),
            tables: vec![
                NamedColumn {
                    key: "s".into(),
                    en: "S (group utility)".into(),
                    zh: "S（群体效用值）".into(),
                    values: s,
                },
                NamedColumn {
                    key: "r".into(),
                    en: "R (individual regret)".into(),
                    zh: "R（个体遗憾值）".into(),
                    values: r,
                },
                NamedColumn {
                    key: "q".into(),
                    en: "Q (compromise index)".into(),
                    zh: "Q（折中值）".into(),
                    values: q,
                },
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run, table};
    use crate::method::{ParamValue, Params};

    /// Benefit (3, 1, 2) with w = ¾ and cost (10, 30, 20) with w = ¼:
    /// zone 0: t = (0, 0) → S = 0, R = 0; zone 1: t = (¾, ¼) → S = 1, R = ¾;
    /// zone 2: t = (⅜, ⅛) → S = ½, R = ⅜. So Q = v·S + (1 − v)·R/¾ = (0, 1, ½) at v = ½.
    #[test]
    fn s_r_q_by_hand() {
        let rows = vec![vec![3.0, 10.0], vec![1.0, 30.0], vec![2.0, 20.0]];
        let out = run(
            &Vikor { v: 0.5 },
            &rows,
            &[false, true],
            &[0.75, 0.25],
            None,
        );
        assert_close(table(&out, "s"), &[0.0, 1.0, 0.5], 1e-15);
        assert_close(table(&out, "r"), &[0.0, 0.75, 0.375], 1e-15);
        assert_close(&out.value, &[0.0, 1.0, 0.5], 1e-15);
        // Q sorts ascending.
        let caps = crate::method::aggregate::capabilities("vikor").unwrap();
        assert!(!caps.higher_is_better);
    }

    /// A constant column contributes nothing; a single zone and identical zones get Q = 0;
    /// a zero weight removes its column.
    #[test]
    fn degenerate_inputs() {
        let out = run(
            &Vikor { v: 0.5 },
            &[vec![1.0, 2.0]],
            &[false, true],
            &[0.5, 0.5],
            None,
        );
        assert_close(&out.value, &[0.0], 0.0);
        let rows = vec![vec![4.0, 1.0], vec![4.0, 1.0]];
        let out = run(&Vikor { v: 0.5 }, &rows, &[false, false], &[0.5, 0.5], None);
        assert_close(&out.value, &[0.0, 0.0], 0.0);
        let rows = vec![vec![4.0, 1.0, 7.0], vec![4.0, 2.0, 0.0]];
        let out = run(
            &Vikor { v: 0.3 },
            &rows,
            &[false, false, false],
            &[0.5, 0.5, 0.0],
            None,
        );
        assert_close(&out.value, &[1.0, 0.0], 0.0);
    }

    #[test]
    fn v_must_lie_in_unit_interval() {
        let p = Params::named("vikor").with("v", ParamValue::Num(1.5));
        assert!((ENTRY.build)(&p).is_err());
        let p = Params::named("vikor").with("v", ParamValue::Num(1.0));
        assert!((ENTRY.build)(&p).is_ok());
    }
}
