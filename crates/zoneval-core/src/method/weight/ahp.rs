//! Analytic Hierarchy Process: priorities from a pairwise judgement matrix, with Saaty's
//! consistency ratio.
//!
//! The principal eigenvector is found by power iteration (a positive reciprocal matrix has a
//! simple dominant eigenvalue with a positive eigenvector — Perron's theorem), which converges
//! in a few dozen steps for the ≤ 11 × 11 matrices AHP allows.

use super::{Capabilities, Weigh, WeightInput, WeightOutput};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, ParamInfo};
use crate::text;

/// Saaty's random consistency index for n = 1..=11 (Saaty 1980, table as cited in DESIGN.md).
pub const RANDOM_INDEX: [f64; 11] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51,
];

/// How priorities are derived from the judgements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AhpMethod {
    /// Principal right eigenvector (Saaty).
    Eigenvector,
    /// Normalised row geometric means (Crawford & Williams 1985).
    GeometricMean,
}

/// Priorities and consistency of one judgement matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct AhpResult {
    /// Priorities, summing to 1.
    pub weights: Vec<f64>,
    /// Principal eigenvalue λmax (always from the eigenvector, whatever the method).
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2.
    pub ci: f64,
    /// Consistency ratio CI/RI; 0 for n ≤ 2.
    pub cr: f64,
    /// The judgement (row, column) that departs most from the priorities' ratios.
    pub worst: Option<(usize, usize)>,
}

/// Checks that `m` is a square, positive, reciprocal (within 1 %) matrix of size 1..=11.
pub fn check(m: &[Vec<f64>]) -> Result<(), Text> {
    let n = m.len();
    if n == 0 {
        return Err(text!("the judgement matrix is empty", "判断矩阵为空"));
    }
    if n > RANDOM_INDEX.len() {
        return Err(text!(
            "{n} × {n} judgements: AHP supports at most 11 elements per node (Saaty's RI table); group them into criteria",
            "{n} × {n} 判断矩阵：每个节点最多 11 个元素（Saaty 随机一致性指标表）；请先分组为准则"
        ));
    }
    for (i, row) in m.iter().enumerate() {
        if row.len() != n {
            let (r, l) = (i + 1, row.len());
            return Err(text!(
                "the judgement matrix is not square: row {r} has {l} entries, expected {n}",
                "判断矩阵不是方阵：第 {r} 行有 {l} 个元素，应为 {n} 个"
            ));
        }
    }
    for i in 0..n {
        for j in 0..n {
            let (a, r, c) = (m[i][j], i + 1, j + 1);
            if !(a.is_finite() && a > 0.0) {
                return Err(text!(
                    "judgement [{r}][{c}] = {a} is not positive",
                    "判断值 [{r}][{c}] = {a} 不是正数"
                ));
            }
            if i == j && (a - 1.0).abs() > 1e-9 {
                return Err(text!(
                    "diagonal judgement [{r}][{c}] = {a}; must be 1",
                    "对角线判断值 [{r}][{c}] = {a}，应为 1"
                ));
            }
            if i < j && (a * m[j][i] - 1.0).abs() > 0.01 {
                let b = m[j][i];
                return Err(text!(
                    "not reciprocal: [{r}][{c}] = {a} but [{c}][{r}] = {b} (expected 1/{a})",
                    "不满足互反性：[{r}][{c}] = {a}，而 [{c}][{r}] = {b}（应为 1/{a}）"
                ));
            }
        }
    }
    Ok(())
}

/// Principal eigenvector (sum 1) and eigenvalue by power iteration.
fn principal(m: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let n = m.len();
    let mut w = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..10_000 {
        for (i, row) in m.iter().enumerate() {
            next[i] = row.iter().zip(&w).map(|(a, x)| a * x).sum();
        }
        let s: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= s);
        let delta = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        std::mem::swap(&mut w, &mut next);
        if delta < 1e-15 {
            break;
        }
    }
    // λmax = mean of (Aw)_i / w_i, exact at the fixed point.
    let lambda = m
        .iter()
        .zip(&w)
        .map(|(row, wi)| row.iter().zip(&w).map(|(a, x)| a * x).sum::<f64>() / wi)
        .sum::<f64>()
        / n as f64;
    (w, lambda)
}

/// Priorities, λmax, CI and CR of a (checked) judgement matrix.
pub fn solve(m: &[Vec<f64>], method: AhpMethod) -> Result<AhpResult, Text> {
    check(m)?;
    let n = m.len();
    let (eig, lambda_max) = principal(m);
    let weights = match method {
        AhpMethod::Eigenvector => eig,
        AhpMethod::GeometricMean => {
            let mut g: Vec<f64> = m
                .iter()
                .map(|r| r.iter().map(|a| a.ln()).sum::<f64>() / n as f64)
                .map(f64::exp)
                .collect();
            let s: f64 = g.iter().sum();
            g.iter_mut().for_each(|x| *x /= s);
            g
        }
    };
    let (ci, cr) = if n <= 2 {
        (0.0, 0.0)
    } else {
        let ci = ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0);
        (ci, ci / RANDOM_INDEX[n - 1])
    };
    // The most inconsistent judgement: largest deviation of a_ij·w_j/w_i from 1 (either way).
    let mut worst = None;
    let mut worst_dev = 1.0 + 1e-9;
    for i in 0..n {
        for j in i + 1..n {
            let e = m[i][j] * weights[j] / weights[i];
            let dev = e.max(1.0 / e);
            if dev > worst_dev {
                worst_dev = dev;
                worst = Some((i, j));
            }
        }
    }
    Ok(AhpResult {
        weights,
        lambda_max,
        ci,
        cr,
        worst,
    })
}

/// `ahp`: global weights from the tree, where judged nodes use AHP priorities.
#[derive(Debug)]
pub struct Ahp {
    method: AhpMethod,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "ahp",
        title: "Analytic Hierarchy Process",
        title_zh: "层次分析法",
        formula: "A w = λmax w (principal eigenvector, w summing to 1); CI = (λmax − n)/(n − 1); CR = CI/RI(n)",
        conventions: "Judgements `ahp = [[…]]` on a node (or in [method] for a flat system) rank its \
            children; nodes without judgements use written weights; global weight = product of local \
            weights along the path. RI: Saaty 1980 (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, \
            1.49, 1.51 for n = 1..11). A CR above `ahp_tolerance` (default 0.1) is an error naming \
            the most inconsistent judgement. `method = \"geometric-mean\"` uses row geometric means \
            for the priorities (λmax and CR still from the eigenvector). A panel of experts: \
            `ahp_experts = [{ name = \"…\", matrix = [[…]] }, …]` instead of `ahp`, combined by \
            `ahp_combine = \"aij\"` (default: element-wise geometric mean of the judgements, then \
            the priorities) or `\"aip\"` (normalised geometric mean of each expert's priorities); an \
            expert whose CR exceeds `ahp_tolerance` is left out with a warning, none left is an \
            error; the consistency table lists each expert's CR and the combined CR (of the kept \
            experts' geometric-mean matrix).",
        reference: "Saaty, T.L. (1980) The Analytic Hierarchy Process, McGraw-Hill; Saaty (1990) \
            'How to make a decision: the analytic hierarchy process', EJOR 48, 9–26 (house example, \
            λmax = 9.669, CR = 0.169); Crawford & Williams (1985) J. Math. Psych. 29, 387–405; Forman & Peniwati \
            (1998), Aggregating individual judgments and priorities with the AHP, EJOR 108, \
            165–169 (AIJ, AIP).",
        params: &[ParamInfo {
            name: "method",
            default: "\"eigenvector\"",
            doc: "\"eigenvector\" | \"geometric-mean\"",
        }],
    },
    caps: Capabilities {
        subjective: true,
        written_weights: false,
        judgements: true,
    },
    build: |p| {
        let method = match p.choice("method", &["eigenvector", "geometric-mean"], "eigenvector")? {
            "geometric-mean" => AhpMethod::GeometricMean,
            _ => AhpMethod::Eigenvector,
        };
        Ok(Box::new(Ahp { method }))
    },
};

impl Weigh for Ahp {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        if !input.tree.has_ahp() {
            return Err(CellError::general(text!(
                "weighting `ahp` needs pairwise judgements (`ahp = [[…]]`) on at least one node",
                "`ahp` 赋权需要至少一个节点给出判断矩阵（`ahp = [[…]]`）"
            )));
        }
        let (weights, consistency) = input.tree.global(self.method)?;
        Ok(WeightOutput {
            weights,
            consistency,
            table: Vec::new(),
        })
    }
}

/// The problem for a judgement matrix whose CR exceeds `tolerance`, naming the worst judgement.
pub fn inconsistency_problem(node: &str, r: &AhpResult, tolerance: f64, labels: &[String]) -> Text {
    let cr = r.cr;
    let (en_w, zh_w) = match r.worst {
        Some((i, j)) => {
            let (a, b) = (&labels[i], &labels[j]);
            let implied = r.weights[i] / r.weights[j];
            (
                format!(
                    "; the most inconsistent judgement is {a} vs {b} (the other judgements imply about {implied:.2})"
                ),
                format!("；最不一致的判断为 {a} 对 {b}（其余判断隐含约 {implied:.2}）"),
            )
        }
        None => (String::new(), String::new()),
    };
    text!(
        "AHP judgements of `{node}` are too inconsistent: CR = {cr:.3} > {tolerance}{en_w}",
        "`{node}` 的判断矩阵一致性不足：CR = {cr:.3} > {tolerance}{zh_w}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frac(s: &str) -> f64 {
        match s.split_once('/') {
            Some((a, b)) => a.parse::<f64>().unwrap() / b.parse::<f64>().unwrap(),
            None => s.parse().unwrap(),
        }
    }

    /// Saaty (1990), EJOR 48, 9–26, "How to make a decision", the house-buying example:
    /// eight criteria, priorities (0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333),
    /// λmax = 9.669, CI = 0.238, CR = 0.169 (printed to three decimals).
    #[test]
    fn saaty_1990_house_example() {
        let rows = [
            "1 5 3 7 6 6 1/3 1/4",
            "1/5 1 1/3 5 3 3 1/5 1/7",
            "1/3 3 1 6 3 4 6 1/5",
            "1/7 1/5 1/6 1 1/3 1/4 1/7 1/8",
            "1/6 1/3 1/3 3 1 1/2 1/5 1/6",
            "1/6 1/3 1/4 4 2 1 1/5 1/6",
            "3 5 1/6 7 5 5 1 1/2",
            "4 7 5 8 6 6 2 1",
        ];
        let m: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| r.split(' ').map(frac).collect())
            .collect();
        let r = solve(&m, AhpMethod::Eigenvector).unwrap();
        let want = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333];
        for (g, w) in r.weights.iter().zip(want) {
            assert!((g - w).abs() < 0.0015, "{:?}", r.weights);
        }
        assert!((r.lambda_max - 9.669).abs() < 0.0015, "{}", r.lambda_max);
        assert!((r.ci - 0.238).abs() < 0.0015);
        assert!((r.cr - 0.169).abs() < 0.0015);
    }

    /// A perfectly consistent matrix a_ij = w_i / w_j returns w exactly, λmax = n, CR = 0.
    #[test]
    fn consistent_matrix_recovers_weights() {
        let w = [0.5, 0.3, 0.2];
        let m: Vec<Vec<f64>> = (0..3)
            .map(|i| (0..3).map(|j| w[i] / w[j]).collect())
            .collect();
        for method in [AhpMethod::Eigenvector, AhpMethod::GeometricMean] {
            let r = solve(&m, method).unwrap();
            for (g, e) in r.weights.iter().zip(w) {
                assert!((g - e).abs() < 1e-12);
            }
            assert!((r.lambda_max - 3.0).abs() < 1e-12 && r.cr < 1e-12 && r.worst.is_none());
        }
    }

    #[test]
    fn rejects_malformed_matrices() {
        assert!(check(&[vec![1.0, 2.0], vec![0.5]]).is_err());
        assert!(check(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_err());
        assert!(check(&[vec![1.0, -2.0], vec![-0.5, 1.0]]).is_err());
        assert!(check(&[vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]]).is_ok());
        assert!(check(&vec![vec![1.0; 12]; 12]).is_err());
    }
}
