//! Coupling-coordination degree (耦合协调度) between the top-level criteria (subsystems such as
//! economy, land and environment): how evenly the subsystems develop (C), how far (T), and
//! the two combined (D).
//!
//! The mathematics is in [`coupling`]; the [`Aggregate`] impl finds the subsystems in the
//! indicator tree and lays out the explanation.

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, Matrix, MethodInfo, NamedColumn};
use crate::text;

/// `coupling-coordination`: D = √(C·T).
#[derive(Debug)]
pub struct Coupling;

/// C, T and D of one zone.
#[derive(Clone, Debug, PartialEq)]
pub struct CouplingResult {
    /// Coupling degree C ∈ [0, 1].
    pub c: f64,
    /// Comprehensive development index T = Σ α_i U_i.
    pub t: f64,
    /// Coordination degree D = √(C·T).
    pub d: f64,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "coupling-coordination",
        title: "Coupling-coordination degree between subsystems",
        title_zh: "耦合协调度模型",
        formula: "U_i = Σ_{j∈i} w_j r_j / Σ_{j∈i} w_j;  C = (Π_i U_i)^(1/k) / ((1/k) Σ_i U_i);  \
            T = Σ_i α_i U_i;  D = √(C·T)",
        conventions: "The subsystems are the top-level criteria (k ≥ 2; a flat system is an \
            error). U_i is the criterion's sub-score: the weighted mean of its normalised values \
            with local weights, which must lie in [0, 1] (default normalisation min-max). α_i is \
            the criterion's weight. C = 0 when any U_i is 0. Value = D in [0, 1]; the common \
            ten-level classes (极度失调 … 优质协调, steps of 0.1) can be written as [[grades]] \
            (docs/methods.md). A criterion's sub-score in the report is its U_i. Explanation: C, \
            T and U_1 … U_k (one per subsystem, labelled with its id); D is the value.",
        reference: "Liao Chongbin (廖重斌, 1999), 环境与经济协调发展的定量评判及其分类体系——以珠江三角洲城市群为例, \
            热带地理 19(2), 171–177 (D = √(C·T), ten classes); Wang Shujia et al. (王淑佳等, 2021), \
            国内耦合协调度模型的误区及修正, 自然资源学报 36(3), 793–810 (the geometric-mean form of C \
            used here, in [0, 1]). Tested on values computed by hand from the formula.",
        params: &[],
    },
    caps: Capabilities {
        needs_criteria: true,
        row_wise: true,
        ..Capabilities::normalized("min-max")
    },
    build: |_| Ok(Box::new(Coupling)),
};

/// Sub-scores U (zones × k) and criterion weights α → C, T, D per zone.
pub fn coupling(u: &Matrix, alpha: &[f64]) -> Vec<CouplingResult> {
    let k = u.cols() as f64;
    (0..u.rows())
        .map(|i| {
            let row = u.row(i);
            let sum: f64 = row.iter().sum();
            let c = if row.iter().any(|&x| x <= 0.0) {
                0.0
            } else {
                let g = (row.iter().map(|x| x.ln()).sum::<f64>() / k).exp();
                (g / (sum / k)).min(1.0)
            };
            let t: f64 = row.iter().zip(alpha).map(|(x, a)| x * a).sum();
            CouplingResult {
                c,
                t,
                d: (c * t).sqrt(),
            }
        })
        .collect()
}

/// Weighted mean of `cols` of `r` with weights `w` (plain mean when they carry no weight).
fn subscore(r: &Matrix, w: &[f64], cols: &[usize]) -> (Vec<f64>, f64) {
    let total: f64 = cols.iter().map(|&j| w[j]).sum();
    let mut u = vec![0.0; r.rows()];
    for &j in cols {
        let wj = if total > 0.0 {
            w[j] / total
        } else {
            1.0 / cols.len() as f64
        };
        u.iter_mut().zip(r.col(j)).for_each(|(a, x)| *a += wj * x);
    }
    (u, total)
}

impl Aggregate for Coupling {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = input.normalized;
        for (j, col) in r.columns().enumerate() {
            if let Some(i) = col.iter().position(|x| !(0.0..=1.0 + 1e-12).contains(x)) {
                let x = col[i];
                return Err(CellError::cell(
                    i,
                    j,
                    text!(
                        "normalised value {x}: `coupling-coordination` needs values in [0, 1] (use min-max or another normalisation onto [0, 1])",
                        "标准化值为 {x}：`coupling-coordination` 要求数值在 [0, 1] 内（请使用 min-max 等映射到 [0, 1] 的标准化方法）"
                    ),
                ));
            }
        }
        let all: Vec<usize> = (0..r.cols()).collect();
        // A part of the system (one criterion's sub-score): its U.
        let Some(tree) = input.tree else {
            let (u, _) = subscore(r, input.weights, &all);
            return Ok(Aggregated {
                indicator_tables: Vec::new(),
                statistics: Vec::new(),
                references: Vec::new(),
                value: u,
                tables: Vec::new(),
            });
        };
        let top = &tree.nodes[0].children;
        if top.len() < 2 || top.iter().all(|&c| tree.nodes[c].leaf.is_some()) {
            return Err(CellError::general(text!(
                "`coupling-coordination` needs at least two top-level criteria (subsystems); this system has none — group its indicators under [[criteria]]",
                "`coupling-coordination` 需要至少两个一级准则（子系统）；该体系没有——请用 [[criteria]] 对指标分组"
            )));
        }
        let mut cols = Vec::with_capacity(top.len());
        let mut alpha = Vec::with_capacity(top.len());
        for &c in top {
            let (u, a) = subscore(r, input.weights, &tree.leaves_under(c));
            cols.push(u);
            alpha.push(a);
        }
        let s: f64 = alpha.iter().sum();
        if s > 0.0 {
            alpha.iter_mut().for_each(|a| *a /= s);
        }
        let u = Matrix::from_columns(&cols);
        let res = coupling(&u, &alpha);
        let mut tables = vec![
            NamedColumn {
                key: "c".into(),
                en: "C (coupling degree)".into(),
                zh: "C（耦合度）".into(),
                values: res.iter().map(|x| x.c).collect(),
            },
            NamedColumn {
                key: "t".into(),
                en: "T (comprehensive development index)".into(),
                zh: "T（综合发展指数）".into(),
                values: res.iter().map(|x| x.t).collect(),
            },
        ];
        // One U column per subsystem, however many: keyed by position, labelled with its id.
        for (k, (col, &c)) in cols.into_iter().zip(top).enumerate() {
            let (i, id) = (k + 1, &tree.nodes[c].id);
            tables.push(NamedColumn {
                key: format!("u{i}").into(),
                en: format!("U{i} (subsystem {id})").into(),
                zh: format!("U{i}（子系统 {id}）").into(),
                values: col,
            });
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value: res.iter().map(|x| x.d).collect(),
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand, k = 2, α = (0.6, 0.4):
    /// U = (0.4, 0.9): C = √0.36 / 0.65 = 0.6/0.65 = 0.923077, T = 0.24 + 0.36 = 0.6,
    /// D = √(0.553846) = 0.744208.
    /// U = (0.5, 0.5): C = 1, T = 0.5, D = √0.5. U = (0, 0.8): C = 0, D = 0.
    #[test]
    fn two_subsystems_by_hand() {
        let u = Matrix::from_rows(&[vec![0.4, 0.9], vec![0.5, 0.5], vec![0.0, 0.8]]);
        let r = coupling(&u, &[0.6, 0.4]);
        let c = 0.6 / 0.65;
        assert!((r[0].c - c).abs() < 1e-12 && (r[0].t - 0.6).abs() < 1e-12);
        assert!((r[0].d - (c * 0.6f64).sqrt()).abs() < 1e-12);
        assert!((r[0].d - 0.744_208).abs() < 1e-6);
        assert!((r[1].c - 1.0).abs() < 1e-12 && (r[1].d - 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!((r[2].c, r[2].d), (0.0, 0.0));
    }

    /// k = 3, U = (0.2, 0.4, 0.8), equal α: geometric mean ∛0.064 = 0.4, arithmetic mean
    /// 1.4/3, so C = 0.4·3/1.4 = 6/7; T = 1.4/3; D = √(6/7 · 1.4/3) = √0.4.
    #[test]
    fn three_subsystems_by_hand() {
        let u = Matrix::from_rows(&[vec![0.2, 0.4, 0.8]]);
        let r = coupling(&u, &[1.0 / 3.0; 3]);
        assert!((r[0].c - 6.0 / 7.0).abs() < 1e-12);
        assert!((r[0].d - 0.4f64.sqrt()).abs() < 1e-12);
    }
}
