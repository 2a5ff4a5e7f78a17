//! The adequacy of a correlation matrix for PCA: the Kaiser–Meyer–Olkin measure and
//! Bartlett's test of sphericity, with the χ² tail it needs (regularised incomplete gamma).

use nalgebra::DMatrix;

/// Upper regularised incomplete gamma Q(a, x), for the χ² p-value (Numerical Recipes §6.2).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let ln_gamma_a = ln_gamma(a);
    if x < a + 1.0 {
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        1.0 - sum * (-x + a * x.ln() - ln_gamma_a).exp()
    } else {
        // Continued fraction (modified Lentz).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-15 {
                break;
            }
        }
        (-x + a * x.ln() - ln_gamma_a).exp() * h
    }
}

/// ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// KMO and Bartlett's sphericity test of correlation matrix `r` with eigenvalues `eig`.
pub(super) fn adequacy(r: &DMatrix<f64>, eig: &[f64], n: usize) -> (f64, (f64, f64, f64)) {
    let p = r.nrows() as f64;
    let df = p * (p - 1.0) / 2.0;
    let ln_det: f64 = eig.iter().map(|l| l.ln()).sum();
    if !ln_det.is_finite() {
        return (f64::NAN, (f64::INFINITY, df, 0.0));
    }
    let chi2 = -((n as f64 - 1.0) - (2.0 * p + 5.0) / 6.0) * ln_det;
    let pval = gamma_q(df / 2.0, chi2 / 2.0);
    let Some(inv) = r.clone().try_inverse() else {
        return (f64::NAN, (chi2, df, pval));
    };
    // Partial correlations from the inverse: −inv_ab / √(inv_aa inv_bb).
    let (mut r2, mut q2) = (0.0, 0.0);
    for a in 0..r.nrows() {
        for b in 0..r.nrows() {
            if a != b {
                r2 += r[(a, b)] * r[(a, b)];
                let q = inv[(a, b)] / (inv[(a, a)] * inv[(b, b)]).sqrt();
                q2 += q * q;
            }
        }
    }
    (r2 / (r2 + q2), (chi2, df, pval))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ln Γ and the χ² tail against known values: Γ(5) = 24, Γ(½) = √π; for df = 2 the χ²
    /// survival function is exp(−x/2).
    #[test]
    fn special_functions() {
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
        for x in [0.5, 3.0, 10.0] {
            assert!((gamma_q(1.0, x / 2.0) - (-x / 2.0f64).exp()).abs() < 1e-13);
        }
    }
}
