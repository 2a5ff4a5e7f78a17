//! The statistics the audit and the method comparison share: Pearson correlation over the
//! pairs both present, Cronbach's α, the first principal component's share, and the rank
//! correlations (Spearman's ρ on mid-ranks, Kendall's τ-b), all with ties handled as the
//! textbooks do and every undefined case returned as `None`, never NaN.

use nalgebra::{DMatrix, SymmetricEigen};

/// Pearson r over the positions where both values are finite (`None` with fewer than three
/// such pairs or when either side is constant there).
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect();
    if pairs.len() < 3 {
        return None;
    }
    let k = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / k;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / k;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    // A column constant up to rounding has no correlation.
    let scale = |m: f64| (1e-12 * m.abs().max(1e-300)).powi(2) * k;
    if !(sxx > scale(mx)) || !(syy > scale(my)) {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Sample variance (divisor n − 1); `None` with fewer than two values.
pub fn sample_variance(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    Some(x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0))
}

/// Why Cronbach's α could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlphaUndefined {
    /// α needs at least two items.
    OneItem,
    /// Fewer than two zones with every item present.
    TooFewZones,
    /// The sum of the items does not vary, so α divides by zero.
    NoVariance,
}

/// Cronbach's α of `items` (one slice per item, the same zones in each; rows with a
/// non-finite value in any item are left out): α = k/(k − 1) · (1 − Σ s²_j / s²_total), with
/// sample variances (n − 1).
pub fn cronbach_alpha(items: &[&[f64]]) -> Result<f64, AlphaUndefined> {
    let k = items.len();
    if k < 2 {
        return Err(AlphaUndefined::OneItem);
    }
    let n = items[0].len();
    let rows: Vec<usize> = (0..n)
        .filter(|&i| items.iter().all(|c| c[i].is_finite()))
        .collect();
    if rows.len() < 2 {
        return Err(AlphaUndefined::TooFewZones);
    }
    let pick = |c: &[f64]| -> Vec<f64> { rows.iter().map(|&i| c[i]).collect() };
    let item_var: f64 = items
        .iter()
        .map(|c| sample_variance(&pick(c)).expect("two rows"))
        .sum();
    let total: Vec<f64> = rows
        .iter()
        .map(|&i| items.iter().map(|c| c[i]).sum())
        .collect();
    let total_var = sample_variance(&total).expect("two rows");
    if !(total_var > 1e-300) {
        return Err(AlphaUndefined::NoVariance);
    }
    let kf = k as f64;
    Ok(kf / (kf - 1.0) * (1.0 - item_var / total_var))
}

/// The correlation matrix of `cols` (pairwise-complete Pearson r; the diagonal is 1 for a
/// column that varies, `None` for a constant one).
pub fn correlation_matrix(cols: &[&[f64]]) -> Vec<Vec<Option<f64>>> {
    let m = cols.len();
    let mut out = vec![vec![None; m]; m];
    for a in 0..m {
        for b in a..m {
            let r = pearson(cols[a], cols[b]).map(|r| if a == b { 1.0 } else { r });
            out[a][b] = r;
            out[b][a] = r;
        }
    }
    out
}

/// The share of the total variance the first principal component of a correlation matrix
/// explains: λ₁ / k. `None` when some correlation is undefined (a constant column) or k < 2.
pub fn pc1_share(corr: &[Vec<Option<f64>>]) -> Option<f64> {
    let k = corr.len();
    if k < 2 {
        return None;
    }
    let mut m = DMatrix::<f64>::zeros(k, k);
    for a in 0..k {
        for b in 0..k {
            m[(a, b)] = corr[a][b]?;
        }
    }
    let eig = SymmetricEigen::new(m);
    let top = eig.eigenvalues.iter().copied().fold(f64::MIN, f64::max);
    Some((top / k as f64).clamp(0.0, 1.0))
}

/// Mid-ranks ("fractional" ranks: a tie group shares the mean of the positions it spans) of
/// `ranks`, where a lower rank is better. Ties in `ranks` stay ties.
pub fn mid_ranks(ranks: &[usize]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..ranks.len()).collect();
    idx.sort_by_key(|&i| ranks[i]);
    let mut out = vec![0.0; ranks.len()];
    let mut k = 0;
    while k < idx.len() {
        let mut e = k;
        while e + 1 < idx.len() && ranks[idx[e + 1]] == ranks[idx[k]] {
            e += 1;
        }
        let mid = (k + e) as f64 / 2.0 + 1.0;
        for &i in &idx[k..=e] {
            out[i] = mid;
        }
        k = e + 1;
    }
    out
}

/// Spearman's ρ of two rankings of the same zones: Pearson r of their mid-ranks (the form
/// that stays exact with ties). `None` when either ranking puts every zone level.
pub fn spearman(a: &[usize], b: &[usize]) -> Option<f64> {
    pearson(&mid_ranks(a), &mid_ranks(b))
}

/// Kendall's τ-b of two rankings of the same zones: (C − D) / √((n₀ − n₁)(n₀ − n₂)), with C
/// and D the concordant and discordant pairs, n₀ = n(n − 1)/2 and n₁, n₂ the pairs tied in
/// the first and in the second ranking (Kendall 1945; the form of `scipy.stats.kendalltau`).
/// `None` when either ranking puts every zone level (the denominator is 0).
pub fn kendall_tau_b(a: &[usize], b: &[usize]) -> Option<f64> {
    let n = a.len().min(b.len());
    let (mut c, mut d, mut ta, mut tb) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let x = (a[i] as i64 - a[j] as i64).signum();
            let y = (b[i] as i64 - b[j] as i64).signum();
            if x == 0 {
                ta += 1;
            }
            if y == 0 {
                tb += 1;
            }
            match x * y {
                1 => c += 1,
                -1 => d += 1,
                _ => {}
            }
        }
    }
    let n0 = (n as i64) * (n as i64 - 1) / 2;
    let den = ((n0 - ta) as f64 * (n0 - tb) as f64).sqrt();
    (den > 0.0).then(|| ((c - d) as f64 / den).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pearson by hand: x = (1, 2, 3, 4, 5), y = (2, 4, 5, 4, 5): x̄ = 3, ȳ = 4,
    /// Sxy = 6, Sxx = 10, Syy = 6, r = 6/√60 = 0.774596669…
    #[test]
    fn pearson_by_hand() {
        let r = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0]).unwrap();
        assert!((r - 6.0 / 60f64.sqrt()).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        // Missing pairs are skipped, not treated as zero.
        let r = pearson(&[1.0, 2.0, f64::NAN, 3.0], &[2.0, 4.0, 9.0, 6.0]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 2.0], &[1.0, 2.0]), None);
    }

    /// Cronbach's α by hand. Items (columns) over four respondents:
    /// i1 = (1, 2, 3, 4), i2 = (2, 3, 3, 5), i3 = (1, 3, 4, 4).
    /// Sample variances: s²₁ = 5/3, s²₂ = 4.75/3 = 19/12, s²₃ = 6/3 = 2; Σ = 63/12 = 5.25.
    /// Totals (4, 8, 10, 13): mean 8.75, squared deviations sum to 42.75 → s²_T = 14.25.
    /// α = 3/2 · (1 − 5.25/14.25) = 1.5 · 9/14.25 = 18/19 = 0.947368421…
    #[test]
    fn cronbach_alpha_by_hand() {
        let i1 = [1.0, 2.0, 3.0, 4.0];
        let i2 = [2.0, 3.0, 3.0, 5.0];
        let i3 = [1.0, 3.0, 4.0, 4.0];
        let a = cronbach_alpha(&[&i1, &i2, &i3]).unwrap();
        assert!((a - 18.0 / 19.0).abs() < 1e-12, "{a}");
    }

    /// Identical items give α = 1; one item and no variance are said, not NaN.
    #[test]
    fn cronbach_alpha_edges() {
        let x = [1.0, 4.0, 2.0, 8.0];
        assert!((cronbach_alpha(&[&x, &x, &x]).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(cronbach_alpha(&[&x]), Err(AlphaUndefined::OneItem));
        let c = [3.0; 4];
        assert_eq!(cronbach_alpha(&[&c, &c]), Err(AlphaUndefined::NoVariance));
        assert_eq!(
            cronbach_alpha(&[&[1.0], &[2.0]]),
            Err(AlphaUndefined::TooFewZones)
        );
    }

    /// Two perfectly correlated columns: eigenvalues of [[1, 1], [1, 1]] are 2 and 0, so the
    /// first component explains 2/2 = 1; uncorrelated columns give 1/2.
    #[test]
    fn pc1_share_by_hand() {
        let one = vec![vec![Some(1.0), Some(1.0)], vec![Some(1.0), Some(1.0)]];
        assert!((pc1_share(&one).unwrap() - 1.0).abs() < 1e-12);
        let zero = vec![vec![Some(1.0), Some(0.0)], vec![Some(0.0), Some(1.0)]];
        assert!((pc1_share(&zero).unwrap() - 0.5).abs() < 1e-12);
        // [[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]: λ₁ = 1 + 2·0.5 = 2, share 2/3.
        let h = Some(0.5);
        let eq = vec![
            vec![Some(1.0), h, h],
            vec![h, Some(1.0), h],
            vec![h, h, Some(1.0)],
        ];
        assert!((pc1_share(&eq).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(pc1_share(&[vec![Some(1.0)]]), None);
    }

    #[test]
    fn mid_ranks_share_the_mean_position() {
        // Competition ranks 1, 2, 2, 4 → mid-ranks 1, 2.5, 2.5, 4.
        assert_eq!(mid_ranks(&[2, 1, 4, 2]), [2.5, 1.0, 4.0, 2.5]);
    }

    /// Kendall's τ-b against scipy.stats.kendalltau (variant 'b'):
    /// x = [12, 2, 1, 12, 2], y = [1, 4, 7, 1, 0] → τ = −0.47140452079103173
    /// (the example of the scipy documentation). As rankings (lower = better) the order is
    /// what matters, so the values are used as ranks directly.
    #[test]
    fn kendall_tau_b_matches_scipy() {
        let x = [12, 2, 1, 12, 2];
        let y = [1, 4, 7, 1, 0];
        let t = kendall_tau_b(&x, &y).unwrap();
        assert!((t - (-0.471_404_520_791_031_73)).abs() < 1e-12, "{t}");
        assert!((kendall_tau_b(&[1, 2, 3], &[1, 2, 3]).unwrap() - 1.0).abs() < 1e-12);
        assert!((kendall_tau_b(&[1, 2, 3], &[3, 2, 1]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(kendall_tau_b(&[1, 1, 1], &[1, 2, 3]), None);
    }

    /// Spearman with ties against scipy.stats.spearmanr: x = [1, 2, 3, 4, 5],
    /// y = [5, 6, 7, 8, 7] → ρ = 0.8207826816681233.
    #[test]
    fn spearman_matches_scipy() {
        let rho = spearman(&[1, 2, 3, 4, 5], &[5, 6, 7, 8, 7]).unwrap();
        assert!((rho - 0.820_782_681_668_123_3).abs() < 1e-12, "{rho}");
        // Without ties, 1 − 6Σd²/(n(n²−1)): (1,2,3,4) vs (2,1,4,3): Σd² = 4 → 1 − 24/60 = 0.6.
        let rho = spearman(&[1, 2, 3, 4], &[2, 1, 4, 3]).unwrap();
        assert!((rho - 0.6).abs() < 1e-12);
    }
}
