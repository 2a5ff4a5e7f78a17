//! AHP with a panel of experts: several judgement matrices for one node, combined by the
//! aggregation of individual judgements (AIJ: element-wise geometric mean, then the
//! priorities) or of individual priorities (AIP: geometric mean of each expert's priority
//! vector), with experts whose consistency ratio exceeds the tolerance left out.

use super::ahp::{self, AhpMethod, AhpResult};
use crate::error::Text;
use crate::text;

/// How the experts' judgements are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// Aggregation of individual judgements: element-wise geometric mean of the matrices.
    Aij,
    /// Aggregation of individual priorities: normalised geometric mean of the priority vectors.
    Aip,
}

impl Combine {
    /// The keyword used in system files.
    pub fn keyword(self) -> &'static str {
        match self {
            Combine::Aij => "aij",
            Combine::Aip => "aip",
        }
    }
}

/// One expert's judgements.
#[derive(Clone, Debug, PartialEq)]
pub struct Expert {
    /// The expert's name as written.
    pub name: String,
    /// The judgement matrix.
    pub matrix: Vec<Vec<f64>>,
}

/// The judgements of a panel over one node's children.
#[derive(Clone, Debug, PartialEq)]
pub struct AhpGroup {
    /// AIJ or AIP.
    pub combine: Combine,
    /// Every expert, in the order written (including those left out).
    pub experts: Vec<Expert>,
    /// The CR above which an expert is left out (`ahp_tolerance`).
    pub tolerance: f64,
}

/// The combined priorities with every expert's consistency.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupResult {
    /// Combined priorities, summing to 1.
    pub weights: Vec<f64>,
    /// Each expert's own result and whether the expert was kept.
    pub experts: Vec<(AhpResult, bool)>,
    /// The result of the geometric-mean matrix of the kept experts (its CR is the combined
    /// CR, for AIP too: AIP's priorities alone would form a perfectly consistent matrix).
    pub combined: AhpResult,
}

/// Element-wise geometric mean of square matrices of one size.
pub fn geometric_mean_matrix(ms: &[&[Vec<f64>]]) -> Vec<Vec<f64>> {
    let n = ms[0].len();
    let k = ms.len() as f64;
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| (ms.iter().map(|m| m[i][j].ln()).sum::<f64>() / k).exp())
                .collect()
        })
        .collect()
}

/// Normalised geometric mean of priority vectors.
pub fn geometric_mean_priorities(ws: &[&[f64]]) -> Vec<f64> {
    let k = ws.len() as f64;
    let mut g: Vec<f64> = (0..ws[0].len())
        .map(|i| (ws.iter().map(|w| w[i].ln()).sum::<f64>() / k).exp())
        .collect();
    let s: f64 = g.iter().sum();
    g.iter_mut().for_each(|x| *x /= s);
    g
}

/// Solves every expert's matrix, leaves out those with CR above the tolerance and combines
/// the others. A malformed matrix, or no expert left, is an error naming the node `node`.
pub fn solve(g: &AhpGroup, method: AhpMethod, node: &str) -> Result<GroupResult, Text> {
    let mut experts = Vec::with_capacity(g.experts.len());
    for e in &g.experts {
        let r = ahp::solve(&e.matrix, method).map_err(|t| {
            let (name, en, zh) = (&e.name, &t.en, &t.zh);
            text!(
                "`ahp_experts` of `{node}`, expert \"{name}\": {en}",
                "`{node}` 的 `ahp_experts` 中专家“{name}”：{zh}"
            )
        })?;
        let kept = r.cr <= g.tolerance;
        experts.push((r, kept));
    }
    let kept: Vec<usize> = (0..experts.len()).filter(|&i| experts[i].1).collect();
    if kept.is_empty() {
        let tol = g.tolerance;
        let list = g
            .experts
            .iter()
            .zip(&experts)
            .map(|(e, (r, _))| format!("\"{}\" CR = {:.3}", e.name, r.cr))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(text!(
            "`ahp_experts` of `{node}`: every expert's CR exceeds ahp_tolerance = {tol} ({list}); no judgements are left",
            "`{node}` 的 `ahp_experts`：所有专家的 CR 均超过 ahp_tolerance = {tol}（{list}），没有可用的判断矩阵"
        ));
    }
    let ms: Vec<&[Vec<f64>]> = kept.iter().map(|&i| &g.experts[i].matrix[..]).collect();
    let combined = ahp::solve(&geometric_mean_matrix(&ms), method)?;
    let weights = match g.combine {
        Combine::Aij => combined.weights.clone(),
        Combine::Aip => {
            let ws: Vec<&[f64]> = kept.iter().map(|&i| &experts[i].0.weights[..]).collect();
            geometric_mean_priorities(&ws)
        }
    };
    Ok(GroupResult {
        weights,
        experts,
        combined,
    })
}

/// The warning for an expert left out.
pub fn excluded_warning(node: &str, name: &str, cr: f64, tolerance: f64) -> Text {
    text!(
        "AHP expert \"{name}\" of `{node}` left out: CR = {cr:.3} > ahp_tolerance = {tolerance}",
        "`{node}` 的 AHP 专家“{name}”被剔除：CR = {cr:.3} > ahp_tolerance = {tolerance}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consistent(w: &[f64]) -> Vec<Vec<f64>> {
        w.iter()
            .map(|a| w.iter().map(|b| a / b).collect())
            .collect()
    }

    fn group(combine: Combine, ms: Vec<Vec<Vec<f64>>>) -> AhpGroup {
        AhpGroup {
            combine,
            experts: ms
                .into_iter()
                .enumerate()
                .map(|(i, matrix)| Expert {
                    name: format!("E{i}"),
                    matrix,
                })
                .collect(),
            tolerance: 0.1,
        }
    }

    /// AIJ by hand on 2 × 2 judgements 2 and 8: the combined judgement is √(2·8) = 4, so the
    /// priorities are (4/5, 1/5). AIP: priorities (2/3, 1/3) and (8/9, 1/9); geometric means
    /// √(2/3 · 8/9) = 4/√27 and √(1/3 · 1/9) = 1/√27, normalised (4/5, 1/5) — for 2 × 2
    /// matrices AIJ and AIP agree.
    #[test]
    fn two_experts_by_hand() {
        let a = vec![vec![1.0, 2.0], vec![0.5, 1.0]];
        let b = vec![vec![1.0, 8.0], vec![0.125, 1.0]];
        for c in [Combine::Aij, Combine::Aip] {
            let r = solve(
                &group(c, vec![a.clone(), b.clone()]),
                AhpMethod::Eigenvector,
                "n",
            )
            .unwrap();
            assert!((r.weights[0] - 0.8).abs() < 1e-12 && (r.weights[1] - 0.2).abs() < 1e-12);
        }
    }

    /// Three consistent experts with priorities w¹, w², w³: AIJ's matrix is consistent with
    /// the geometric mean of the priorities, so both rules give that mean, normalised; each
    /// expert's CR and the combined CR are 0.
    #[test]
    fn consistent_experts_give_geometric_mean() {
        let ws: [[f64; 3]; 3] = [[0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.4, 0.4, 0.2]];
        let mut want: Vec<f64> = (0..3)
            .map(|i| (ws[0][i] * ws[1][i] * ws[2][i]).powf(1.0 / 3.0))
            .collect();
        let s: f64 = want.iter().sum();
        want.iter_mut().for_each(|x| *x /= s);
        for c in [Combine::Aij, Combine::Aip] {
            let g = group(c, ws.iter().map(|w| consistent(w)).collect());
            let r = solve(&g, AhpMethod::Eigenvector, "n").unwrap();
            for (g, w) in r.weights.iter().zip(&want) {
                assert!((g - w).abs() < 1e-12, "{c:?}: {:?}", r.weights);
            }
            assert!(r.experts.iter().all(|(e, kept)| *kept && e.cr < 1e-12));
            assert!(r.combined.cr < 1e-12);
        }
    }

    /// An inconsistent expert (CR ≈ 0.17 on Saaty's 3 × 3 [[1, 9, 1/9], …]-like matrix) is
    /// left out; with only inconsistent experts, the node is an error.
    #[test]
    fn inconsistent_expert_left_out() {
        let good = consistent(&[0.6, 0.3, 0.1]);
        let bad = vec![
            vec![1.0, 5.0, 1.0 / 5.0],
            vec![1.0 / 5.0, 1.0, 5.0],
            vec![5.0, 1.0 / 5.0, 1.0],
        ];
        let r = solve(
            &group(Combine::Aij, vec![good.clone(), bad.clone()]),
            AhpMethod::Eigenvector,
            "n",
        )
        .unwrap();
        assert!(r.experts[0].1 && !r.experts[1].1 && r.experts[1].0.cr > 0.1);
        for (g, w) in r.weights.iter().zip([0.6, 0.3, 0.1]) {
            assert!((g - w).abs() < 1e-12);
        }
        assert!(solve(&group(Combine::Aip, vec![bad]), AhpMethod::Eigenvector, "n").is_err());
    }
}
