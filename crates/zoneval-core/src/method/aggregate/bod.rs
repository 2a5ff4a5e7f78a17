//! Benefit of the doubt (BoD): each zone weighted as favourably as the others allow — the
//! composite-indicator form of DEA with one constant input (Cherchye et al. 2007).
//!
//! The mathematics is in [`bod`]; the [`Aggregate`] impl lays out the explanation.

use rayon::prelude::*;

use super::lp::{Lp, Sense};
use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, Matrix, MethodInfo, NamedColumn};
use crate::text;

/// `bod`: V_o = max_w Σ_j w_j y_oj s.t. Σ_j w_j y_kj ≤ 1 for every zone k, w ≥ 0.
#[derive(Debug)]
pub struct Bod;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "bod",
        title: "Benefit of the doubt (BoD composite indicator)",
        title_zh: "“有利假设”综合指数（BoD）",
        formula: "V_o = max_w Σ_j w_j y_oj  s.t.  Σ_j w_j y_kj ≤ 1 for every zone k,  w_j ≥ 0",
        conventions: "Works on the normalised values (default min-max; cost indicators turned \
            around), which must be ≥ 0. Each zone gets its own most favourable weights; the \
            system's weights are not used. Value in [0, 1], 1 for a zone that no weighting puts \
            behind another. The explanation lists each zone's own weights w1, w2, … (one per \
            indicator, labelled with its id). Sensitivity analyses over the weights are refused (the weights do not enter).",
        reference: "Cherchye, Moesen, Rogge & Van Puyenbroeck (2007), An introduction to 'benefit \
            of the doubt' composite indicators, Social Indicators Research 82, 111–145; OECD/JRC \
            (2008) Handbook on Constructing Composite Indicators, §6.1 (BoD). Tested on a \
            2-indicator case solved by hand (see the tests).",
        params: &[],
    },
    caps: Capabilities {
        uses_weights: false,
        ..Capabilities::normalized("min-max")
    },
    build: |_| Ok(Box::new(Bod)),
};

/// Zone `o`'s BoD value and weights on `y` (zones × indicators, values ≥ 0).
pub fn bod(y: &Matrix, o: usize) -> Result<(f64, Vec<f64>), CellError> {
    let (n, p) = (y.rows(), y.cols());
    let mut lp = Lp::new(true);
    for j in 0..p {
        lp.var(y.get(o, j), 0.0, f64::INFINITY);
    }
    for k in 0..n {
        let t: Vec<(usize, f64)> = (0..p).map(|j| (j, y.get(k, j))).collect();
        lp.constraint(&t, Sense::Le, 1.0);
    }
    let (v, w) = lp.solve(o)?;
    Ok((v, w))
}

impl Aggregate for Bod {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let y = input.normalized;
        for (j, col) in y.columns().enumerate() {
            if let Some(i) = col.iter().position(|a| !(*a >= 0.0 && a.is_finite())) {
                let a = col[i];
                return Err(CellError::cell(
                    i,
                    j,
                    text!(
                        "normalised value {a}: `bod` needs values ≥ 0 (use a normalisation such as min-max)",
                        "标准化值为 {a}：`bod` 要求数值非负（请使用 min-max 等标准化方法）"
                    ),
                ));
            }
        }
        // Columns divided by their maximum keep the simplex well-conditioned; the weights
        // are scaled back.
        let scale: Vec<f64> = y
            .columns()
            .map(|c| super::super::normalize::min_max_of(c).1)
            .map(|m| if m > 0.0 { m } else { 1.0 })
            .collect();
        let mut ys = y.clone();
        for (col, &s) in ys.columns_mut().zip(&scale) {
            col.iter_mut().for_each(|v| *v /= s);
        }
        let mut res: Vec<(f64, Vec<f64>)> = (0..y.rows())
            .into_par_iter()
            .map(|o| bod(&ys, o))
            .collect::<Result<_, _>>()?;
        for (_, w) in &mut res {
            w.iter_mut().zip(&scale).for_each(|(w, s)| *w /= s);
        }
        // One own-weight column per indicator, however many.
        let ids = super::indicator_ids(input);
        let tables = (0..y.cols())
            .map(|j| {
                let i = j + 1;
                let id = &ids[j];
                NamedColumn {
                    key: format!("w{i}").into(),
                    en: format!("w{i} (own weight, {id})").into(),
                    zh: format!("w{i}（自身权重，{id}）").into(),
                    values: res.iter().map(|r| r.1[j]).collect(),
                }
            })
            .collect();
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value: res.iter().map(|r| r.0.clamp(0.0, 1.0)).collect(),
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run};

    /// Two indicators, zones A (1, 0.5), B (0.5, 1), C (0.6, 0.6). The constraints are
    /// w·A ≤ 1, w·B ≤ 1, w·C ≤ 1. A and B are extreme points (value 1, A with w = (1, 0)
    /// among others). For C: maximise 0.6(w1 + w2); the binding pair is w1 + 0.5w2 = 1,
    /// 0.5w1 + w2 = 1 → w1 = w2 = 2/3, value 0.6 · 4/3 = 0.8 (C's own constraint gives
    /// 0.8 ≤ 1).
    #[test]
    fn two_indicators_by_hand() {
        let rows = vec![vec![1.0, 0.5], vec![0.5, 1.0], vec![0.6, 0.6]];
        let out = run(&Bod, &rows, &[false, false], &[0.5, 0.5], Some("none"));
        assert_close(&out.value, &[1.0, 1.0, 0.8], 1e-9);
        let w1 = &out.tables[0].values;
        let w2 = &out.tables[1].values;
        assert_close(&[w1[2], w2[2]], &[2.0 / 3.0, 2.0 / 3.0], 1e-9);
    }
}
