//! Principal-component comprehensive evaluation (主成分分析综合评价): the zones' scores on the
//! leading components of the correlation matrix, weighted by the components' variance shares.
//!
//! The mathematics is in [`pca`] (a plain function, so it can be tested and reused apart from
//! the [`Aggregate`] wrapper); the symmetric eigen-decomposition is nalgebra's.

use nalgebra::{DMatrix, SymmetricEigen};

mod adequacy;
use adequacy::adequacy;

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::{Problem, Text};
use crate::method::{
    CellError, Entry, Matrix, MethodInfo, NamedColumn, ParamInfo, ParamValue, Params,
};
use crate::text;

/// How many components to keep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Keep {
    /// Kaiser's rule: eigenvalue > 1, at least one component.
    Kaiser,
    /// The fewest components whose cumulative variance share reaches this value (0, 1].
    Share(f64),
}

/// `pca`: V_i = Σ_k (λ_k / Σ_kept λ) F_ik.
#[derive(Debug)]
pub struct Pca {
    /// The rule for the number of components.
    pub keep: Keep,
}

/// Everything a PCA evaluation computes, for explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct PcaResult {
    /// All eigenvalues of the correlation matrix, largest first.
    pub eigenvalues: Vec<f64>,
    /// Each eigenvalue's share of the total variance (the number of indicators).
    pub shares: Vec<f64>,
    /// Number of kept components m.
    pub kept: usize,
    /// Kept eigenvectors u_k (indicators long), signed so their entries sum to a positive number.
    pub vectors: Vec<Vec<f64>>,
    /// Loadings √λ_k · u_jk of the kept components (the correlation of indicator j with F_k).
    pub loadings: Vec<Vec<f64>>,
    /// Component scores F_k = Z u_k (zones long), one per kept component.
    pub scores: Vec<Vec<f64>>,
    /// The comprehensive value Σ_k (λ_k / Σ_kept λ) F_k per zone.
    pub value: Vec<f64>,
    /// Implied indicator weights |Σ_k (λ_k / Σ_kept λ) u_jk|, normalised to sum 1.
    pub implied_weights: Vec<f64>,
    /// Kaiser–Meyer–Olkin measure of sampling adequacy (NaN when the correlation matrix is
    /// singular).
    pub kmo: f64,
    /// Bartlett's test of sphericity: χ², degrees of freedom, p-value (χ² is +∞ and p = 0 for
    /// a singular correlation matrix).
    pub bartlett: (f64, f64, f64),
}

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "pca",
        title: "Principal component analysis (comprehensive evaluation)",
        title_zh: "主成分分析综合评价法",
        formula: "Z = standardised columns (mean 0, sample std n − 1);  R = ZᵀZ/(n − 1) = U Λ Uᵀ;  \
            F_k = Z u_k;  V_i = Σ_k (λ_k / Σ_kept λ) F_ik",
        conventions: "Works on the normalised values (any linear normalisation gives the same \
            result, since each column is standardised; cost indicators must be turned around by \
            the normalisation). Components kept: `keep = \"kaiser\"` (eigenvalue > 1, at least one) \
            or a cumulative share such as `keep = 0.85`. Each kept eigenvector's sign is chosen so \
            its entries sum to a positive number (when the sum is 0 within 1e-9, as for two \
            negatively correlated indicators, so that its first largest entry is positive). Weights are not used; the implied weights \
            |Σ_k (λ_k/Σλ) u_jk| (normalised) are in the explanation. Needs more zones than \
            indicators and no constant column. The value is centred (mean 0); higher is better. \
            Explanations: per zone the scores F1 … Fm of every kept component; for the run the \
            eigenvalues, variance shares, KMO and Bartlett's test (χ², df, p), and per indicator \
            the loadings and implied weights (JSON `aggregation_statistics`, \
            `aggregation_indicators`; the report's method results). \
            Sensitivity analyses over the weights (one-at-a-time, stability, Monte Carlo, Sobol) are refused: the weights do not enter.",
        reference: "Jolliffe (2002), Principal Component Analysis, 2nd ed., Springer, ch. 1–3; \
            Kaiser (1960), Educ. Psychol. Meas. 20, 141–151 (eigenvalue-one rule); Kaiser (1974), \
            Psychometrika 39, 31–36 (KMO); Bartlett (1950), Br. J. Stat. Psychol. 3, 77–85; \
            OECD/JRC (2008) Handbook on Constructing Composite Indicators, §3.2 and §6.1. Tested on \
            correlation matrices with closed-form eigenvalues (see the tests).",
        params: &[ParamInfo {
            name: "keep",
            default: "\"kaiser\"",
            doc: "\"kaiser\" (eigenvalue > 1) or a cumulative variance share in (0, 1]",
        }],
    },
    caps: Capabilities {
        uses_weights: false,
        ..Capabilities::normalized("z-score")
    },
    build: |p| Ok(Box::new(Pca { keep: keep(p)? })),
};

/// Reads `keep`: "kaiser" or a share in (0, 1].
fn keep(p: &Params) -> Result<Keep, Problem> {
    match p.get("keep") {
        None => Ok(Keep::Kaiser),
        Some(e) => match &e.value {
            ParamValue::Str(s) if s == "kaiser" => Ok(Keep::Kaiser),
            ParamValue::Num(x) if *x > 0.0 && *x <= 1.0 => Ok(Keep::Share(*x)),
            v => Err(Problem::at(
                e.location.clone(),
                text!(
                    "parameter `keep` of `pca` is {v}; expected \"kaiser\" or a cumulative share in (0, 1]",
                    "`pca` 的参数 `keep` 为 {v}，应为 \"kaiser\" 或 (0, 1] 之间的累计贡献率"
                ),
            )),
        },
    }
}

/// Correlation-matrix PCA of `r` (zones × indicators). Errors name the constant column, or
/// say that there are too few zones.
pub fn pca(r: &Matrix, keep: Keep) -> Result<PcaResult, CellError> {
    let (n, p) = (r.rows(), r.cols());
    if n <= p {
        return Err(CellError::general(text!(
            "`pca` needs more zones than indicators: {n} zones, {p} indicators",
            "`pca` 要求开发区数多于指标数：{n} 个开发区，{p} 个指标"
        )));
    }
    // Standardise each column (sample std, n − 1).
    let mut z = r.clone();
    for (j, col) in z.columns_mut().enumerate() {
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
        let mean = col.iter().sum::<f64>() / n as f64;
        let var = col.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        if !(sd > 1e-12 * mean.abs().max(1.0)) {
            return Err(CellError::column(
                j,
                text!(
                    "constant column: `pca` cannot standardise it (its standard deviation is 0)",
                    "该列为常数：`pca` 无法将其标准化（标准差为 0）"
                ),
            ));
        }
        col.iter_mut().for_each(|x| *x = (*x - mean) / sd);
    }
    // Correlation matrix R = ZᵀZ / (n − 1), as one blocked matrix product (the bulk of the
    // work: p² n / 2 multiply-adds; single-threaded, so the same bits on every run).
    let mut gram = vec![0.0; p * p];
    // SAFETY: Z is n × p column-major (row stride 1, column stride n), so Zᵀ (p × n) has row
    // stride n and column stride 1; `gram` is p × p with row stride p, column stride 1; every
    // pointer covers its slice (z has n·p elements, gram p·p).
    unsafe {
        matrixmultiply::dgemm(
            p,
            n,
            p,
            1.0,
            z.as_slice().as_ptr(),
            n as isize,
            1,
            z.as_slice().as_ptr(),
            1,
            n as isize,
            0.0,
            gram.as_mut_ptr(),
            p as isize,
            1,
        );
    }
    let mut corr = DMatrix::<f64>::zeros(p, p);
    for a in 0..p {
        for b in a..p {
            // The upper triangle, mirrored, so R is exactly symmetric.
            let c = if a == b {
                1.0
            } else {
                gram[a * p + b] / (n - 1) as f64
            };
            corr[(a, b)] = c;
            corr[(b, a)] = c;
        }
    }
    let eig = SymmetricEigen::new(corr.clone());
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let eigenvalues: Vec<f64> = order.iter().map(|&k| eig.eigenvalues[k].max(0.0)).collect();
    let total: f64 = eigenvalues.iter().sum();
    let shares: Vec<f64> = eigenvalues.iter().map(|l| l / total).collect();
    let kept = match keep {
        Keep::Kaiser => eigenvalues.iter().filter(|&&l| l > 1.0).count().max(1),
        Keep::Share(s) => {
            let mut cum = 0.0;
            let mut m = p;
            for (k, sh) in shares.iter().enumerate() {
                cum += sh;
                // A share reached up to rounding counts as reached (0.85 of a 0.85 total).
                if cum >= s - 1e-12 {
                    m = k + 1;
                    break;
                }
            }
            m
        }
    };
    let vectors: Vec<Vec<f64>> = order[..kept]
        .iter()
        .map(|&k| {
            let mut u: Vec<f64> = eig.eigenvectors.column(k).iter().copied().collect();
            if flip(&u) {
                u.iter_mut().for_each(|x| *x = -*x);
            }
            u
        })
        .collect();
    let kept_total: f64 = eigenvalues[..kept].iter().sum();
    let loadings = vectors
        .iter()
        .zip(&eigenvalues)
        .map(|(u, l)| u.iter().map(|x| x * l.sqrt()).collect())
        .collect();
    let scores: Vec<Vec<f64>> = vectors
        .iter()
        .map(|u| {
            let mut f = vec![0.0; n];
            for (col, &uj) in z.columns().zip(u) {
                f.iter_mut().zip(col).for_each(|(v, x)| *v += uj * x);
            }
            f
        })
        .collect();
    let mut value = vec![0.0; n];
    let mut implied = vec![0.0; p];
    for ((f, u), l) in scores.iter().zip(&vectors).zip(&eigenvalues) {
        let a = l / kept_total;
        value.iter_mut().zip(f).for_each(|(v, x)| *v += a * x);
        implied.iter_mut().zip(u).for_each(|(w, x)| *w += a * x);
    }
    implied.iter_mut().for_each(|w| *w = w.abs());
    let s: f64 = implied.iter().sum();
    if s > 0.0 {
        implied.iter_mut().for_each(|w| *w /= s);
    }
    let (kmo, bartlett) = adequacy(&corr, &eigenvalues, n);
    Ok(PcaResult {
        eigenvalues,
        shares,
        kept,
        vectors,
        loadings,
        scores,
        value,
        implied_weights: implied,
        kmo,
        bartlett,
    })
}

/// True when eigenvector `u` must be negated: its entries sum to a negative number, or, when
/// the sum is 0 up to rounding (as for (1, −1)/√2, the first component of two negatively
/// correlated indicators), its first entry of largest magnitude is negative — so the sign does
/// not depend on rounding noise.
fn flip(u: &[f64]) -> bool {
    const TIE: f64 = 1e-9;
    let sum: f64 = u.iter().sum();
    if sum.abs() > TIE {
        return sum < 0.0;
    }
    let big = u.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    u.iter()
        .find(|x| x.abs() >= big - TIE)
        .is_some_and(|&x| x < 0.0)
}

/// The summary note: kept eigenvalues, cumulative share, KMO, Bartlett.
fn summary(r: &PcaResult) -> Text {
    let m = r.kept;
    let eig = r.eigenvalues[..m]
        .iter()
        .map(|l| format!("{l:.4}"))
        .collect::<Vec<_>>()
        .join(", ");
    let cum: f64 = r.shares[..m].iter().sum::<f64>() * 100.0;
    let (kmo, (chi2, df, pv)) = (r.kmo, r.bartlett);
    text!(
        "pca: {m} component(s) kept, eigenvalues {eig}, cumulative share {cum:.2}%; KMO = {kmo:.3}; Bartlett χ² = {chi2:.3}, df = {df}, p = {pv:.3e}",
        "pca：保留 {m} 个主成分，特征值 {eig}，累计贡献率 {cum:.2}%；KMO = {kmo:.3}；Bartlett 球形检验 χ² = {chi2:.3}，自由度 {df}，p = {pv:.3e}"
    )
}

impl Aggregate for Pca {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = pca(input.normalized, self.keep)?;
        notes.push(summary(&r));
        // One score column per kept component, however many.
        let tables = r
            .scores
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let k = k + 1;
                NamedColumn {
                    key: format!("f{k}").into(),
                    en: format!("F{k} (component {k} score)").into(),
                    zh: format!("F{k}（第{k}主成分得分）").into(),
                    values: f.clone(),
                }
            })
            .collect();
        let column = |key: String, en: String, zh: String, values: Vec<f64>| NamedColumn {
            key: key.into(),
            en: en.into(),
            zh: zh.into(),
            values,
        };
        let mut indicator_tables: Vec<NamedColumn> = r
            .loadings
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let k = k + 1;
                column(
                    format!("loading_{k}"),
                    format!("loading on F{k}"),
                    format!("F{k} 载荷"),
                    l.clone(),
                )
            })
            .collect();
        indicator_tables.push(column(
            "implied_weight".into(),
            "implied weight |Σ (λ_k/Σλ) u_jk| (normalised)".into(),
            "隐含权重 |Σ (λ_k/Σλ) u_jk|（归一化）".into(),
            r.implied_weights.clone(),
        ));
        let (chi2, df, p) = r.bartlett;
        let statistics = vec![
            column(
                "eigenvalues".into(),
                "eigenvalues of the correlation matrix".into(),
                "相关系数矩阵特征值".into(),
                r.eigenvalues.clone(),
            ),
            column(
                "variance_shares".into(),
                "variance shares".into(),
                "方差贡献率".into(),
                r.shares.clone(),
            ),
            column(
                "kept".into(),
                "components kept".into(),
                "保留主成分数".into(),
                vec![r.kept as f64],
            ),
            column("kmo".into(), "KMO".into(), "KMO 检验".into(), vec![r.kmo]),
            column(
                "bartlett".into(),
                "Bartlett's test of sphericity: χ², df, p".into(),
                "Bartlett 球形检验：χ²，自由度，p".into(),
                vec![chi2, df, p],
            ),
        ];
        Ok(Aggregated {
            indicator_tables,
            statistics,
            references: Vec::new(),
            value: r.value,
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let sab: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let saa: f64 = a.iter().map(|x| (x - ma) * (x - ma)).sum();
        let sbb: f64 = b.iter().map(|y| (y - mb) * (y - mb)).sum();
        sab / (saa * sbb).sqrt()
    }

    const X1: [f64; 6] = [3.0, 7.0, 4.0, 9.0, 5.0, 8.0];
    const X2: [f64; 6] = [2.0, 5.0, 6.0, 8.0, 3.0, 6.0];

    /// Two indicators with correlation ρ: R = [[1, ρ], [ρ, 1]] has eigenvalues 1 ± ρ with
    /// eigenvectors (1, 1)/√2 and (1, −1)/√2. With ρ > 0 Kaiser keeps one component, so
    /// V = F1 = (z1 + z2)/√2, the implied weights are ½ each and the loadings √((1 + ρ)/2).
    /// The partial correlation of two variables is ρ itself, so KMO = ρ²/(ρ² + ρ²) = ½;
    /// Bartlett: χ² = −(n − 1 − (2p + 5)/6) ln(1 − ρ²) with df = 1.
    #[test]
    fn two_indicators_closed_form() {
        let rho = pearson(&X1, &X2);
        assert!(rho > 0.0 && rho < 1.0);
        let r = pca(
            &Matrix::from_columns(&[X1.to_vec(), X2.to_vec()]),
            Keep::Kaiser,
        )
        .unwrap();
        assert!((r.eigenvalues[0] - (1.0 + rho)).abs() < 1e-12);
        assert!((r.eigenvalues[1] - (1.0 - rho)).abs() < 1e-12);
        assert_eq!(r.kept, 1);
        let h = std::f64::consts::FRAC_1_SQRT_2;
        for (g, w) in r.vectors[0].iter().zip([h, h]) {
            assert!((g - w).abs() < 1e-12);
        }
        for l in &r.loadings[0] {
            assert!((l - ((1.0 + rho) / 2.0).sqrt()).abs() < 1e-12);
        }
        let z = |x: &[f64]| {
            let n = x.len() as f64;
            let m = x.iter().sum::<f64>() / n;
            let sd = (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0)).sqrt();
            x.iter().map(|v| (v - m) / sd).collect::<Vec<_>>()
        };
        let (z1, z2) = (z(&X1), z(&X2));
        for i in 0..6 {
            assert!((r.value[i] - h * (z1[i] + z2[i])).abs() < 1e-12);
        }
        assert!((r.implied_weights[0] - 0.5).abs() < 1e-12);
        assert!((r.kmo - 0.5).abs() < 1e-12);
        let chi2 = -(5.0 - 9.0 / 6.0) * (1.0 - rho * rho).ln();
        assert!((r.bartlett.0 - chi2).abs() < 1e-9 && r.bartlett.1 == 1.0);
        // A share rule reaching 100 % keeps both components.
        assert_eq!(
            pca(
                &Matrix::from_columns(&[X1.to_vec(), X2.to_vec()]),
                Keep::Share(1.0)
            )
            .unwrap()
            .kept,
            2
        );
    }

    /// Any linear normalisation gives the same value (each column is standardised); a cost
    /// column turned around by the normalisation flips its sign consistently.
    #[test]
    fn invariant_to_linear_normalisation() {
        use crate::method::aggregate::testing::{assert_close, run};
        let x3 = [1.0, 4.0, 2.0, 6.0, 2.5, 5.0];
        let rows: Vec<Vec<f64>> = (0..6).map(|i| vec![X1[i], X2[i], x3[i]]).collect();
        let p = Pca { keep: Keep::Kaiser };
        let cost = [false, false, false];
        let a = run(&p, &rows, &cost, &[1.0 / 3.0; 3], Some("none"));
        for norm in ["min-max", "z-score", "max", "vector", "sum"] {
            let b = run(&p, &rows, &cost, &[1.0 / 3.0; 3], Some(norm));
            assert_close(&a.value, &b.value, 1e-9);
        }
    }

    /// KMO and Bartlett's test on three indicators (X1, X2, X3 below, six zones), against an
    /// independent computation in plain Python (math module only, no linear-algebra library):
    /// r12 = 0.77151675, r13 = 0.99647958, r23 = 0.81322028 (Pearson); |R| = 1 + 2 r12 r13 r23
    /// − r12² − r13² − r23² = 8.7174458e-4; R⁻¹ = adj(R)/|R| with the 3 × 3 cofactors; partial
    /// correlations q_ab = −inv_ab/√(inv_aa inv_bb); KMO = Σr²/(Σr² + Σq²) over a ≠ b
    /// = 0.49218387; Bartlett χ² = −(n − 1 − (2p + 5)/6) ln|R| = 22.3092113 with df = 3, and
    /// for odd df the χ² tail in closed form, Q(3/2, x/2) = erfc(√(x/2)) + √(2x/π) e^(−x/2)
    /// = 5.6246942e-5 (a different formula from the incomplete-gamma series used here).
    #[test]
    fn kmo_and_bartlett_against_independent_computation() {
        let x3 = vec![1.0, 4.0, 2.0, 6.0, 2.5, 5.0];
        let m = Matrix::from_columns(&[X1.to_vec(), X2.to_vec(), x3]);
        let r = pca(&m, Keep::Kaiser).unwrap();
        assert!((r.kmo - 0.492_183_870_496_572_9).abs() < 1e-9, "{}", r.kmo);
        let (chi2, df, p) = r.bartlett;
        assert!((chi2 - 22.309_211_288_608_903).abs() < 1e-8, "{chi2}");
        assert_eq!(df, 3.0);
        assert!((p - 5.624_694_162_318_227_6e-5).abs() < 1e-12, "{p}");
    }

    #[test]
    fn too_few_zones_and_constant_column() {
        let m = Matrix::from_rows(&[vec![1.0, 2.0], vec![2.0, 1.0]]);
        assert!(pca(&m, Keep::Kaiser).is_err());
        let m = Matrix::from_columns(&[X1.to_vec(), vec![5.0; 6]]);
        assert_eq!(pca(&m, Keep::Kaiser).unwrap_err().col, Some(1));
    }

    /// The sign rule: by the sum, and for a zero sum by the first largest entry.
    #[test]
    fn eigenvector_sign() {
        assert!(flip(&[-0.6, -0.8]) && !flip(&[0.6, 0.8]));
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!(!flip(&[h, -h]) && flip(&[-h, h]));
        assert!(!flip(&[h, -h * (1.0 + 1e-15)]));
    }

    #[test]
    fn keep_parameter() {
        let b = |v: ParamValue| (ENTRY.build)(&Params::named("pca").with("keep", v));
        assert!(b(ParamValue::Str("kaiser".into())).is_ok());
        assert!(b(ParamValue::Num(0.85)).is_ok());
        assert!(b(ParamValue::Num(0.0)).is_err());
        assert!(b(ParamValue::Str("all".into())).is_err());
    }
}
