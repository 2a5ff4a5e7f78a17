//! Variance-based sensitivity: Saltelli's design on a scrambled Sobol' sequence, first-order
//! indices by Saltelli (2010) and total indices by Jansen (1999), with bootstrap confidence
//! intervals computed as SALib does.
//!
//! Design: N base points of a 2k-dimensional Owen-scrambled Sobol' sequence (Burley 2020, the
//! `sobol_burley` crate; its points are f32 in [0, 1), widened to f64); A = the first k
//! coordinates, B = the last k; runs in the order A_i, AB_i^(1..k), B_i per base point, where
//! AB_i^(j) is A_i with coordinate j from B_i. The sequence allows at most 2^16 base points
//! and 256 dimensions (128 factors).
//!
//! Estimators (DESIGN.md): the output is standardised over all N(k + 2) runs (mean and
//! population standard deviation); V = population variance of A and B stacked;
//! S1_j = mean(B·(AB_j − A))/V; ST_j = ½·mean((A − AB_j)²)/V; `*_conf` = 1.96 × the sample
//! standard deviation (ddof 1) of the index over bootstrap resamples of the base points.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use super::checked::Checked;
use super::indexmap_like::Map;
use super::model::{Factor, Model, scaled_weights};
use super::rank_stats::Ranker;
use super::{Indices, Progress, Sobol, SobolZone};
use crate::error::{Error, OptionError, Result};
use crate::text;

/// Largest number of base points the sequence provides.
pub const MAX_BASE_POINTS: usize = 1 << 16;

/// The most bootstrap resamples.
pub const MAX_BOOTSTRAP: usize = 10_000;

/// The most bootstrap draws (resamples × base points, 4 bytes each): 256 MiB.
pub const MAX_BOOTSTRAP_DRAWS: usize = 1 << 26;

/// The most factors (weight factors plus the method factor): the sequence has 256
/// dimensions, two per factor.
pub const MAX_FACTORS: usize = 128;

/// The design matrix in [0, 1): N(k + 2) rows of k values, in run order.
pub fn design(n: usize, k: usize, seed: u32) -> Result<Vec<f64>> {
    // `SobolOptions::check` refuses such n for the analysis; this guards direct callers.
    if n == 0 || n > MAX_BASE_POINTS {
        return Err(OptionError::BasePoints {
            max: MAX_BASE_POINTS,
        }
        .into());
    }
    if k > MAX_FACTORS {
        return Err(OptionError::TooManySobolFactors { max: MAX_FACTORS }.into());
    }
    let runs = k + 2;
    let mut out = vec![0.0; n * runs * k];
    for i in 0..n {
        let a: Vec<f64> = (0..k)
            .map(|d| f64::from(sobol_burley::sample(i as u32, d as u32, seed)))
            .collect();
        let b: Vec<f64> = (0..k)
            .map(|d| f64::from(sobol_burley::sample(i as u32, (k + d) as u32, seed)))
            .collect();
        let base = i * runs * k;
        out[base..base + k].copy_from_slice(&a);
        for j in 0..k {
            let row = base + (1 + j) * k;
            out[row..row + k].copy_from_slice(&a);
            out[row + j] = b[j];
        }
        let last = base + (k + 1) * k;
        out[last..last + k].copy_from_slice(&b);
    }
    Ok(out)
}

/// Bootstrap resamples: `b` draws of N base-point indices with replacement.
pub fn resamples(n: usize, b: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A stream of its own, apart from any sampling stream.
    rng.set_stream(u64::MAX);
    (0..b)
        .map(|_| (0..n).map(|_| rng.random_range(0..n as u32)).collect())
        .collect()
}

/// S1 and ST of output `y` (N(k + 2) runs in design order) for k factors, over the base
/// points `idx` (a bootstrap resample) or all of them. One pass over the data: the variance
/// comes from the sums of A, B and their squares (the output is standardised, so this is
/// numerically safe).
fn estimate(y: &[f64], n: usize, k: usize, idx: Option<&[u32]>) -> (Vec<f64>, Vec<f64>) {
    let runs = k + 2;
    let mut f = vec![0.0; k];
    let mut t = vec![0.0; k];
    let (mut s, mut ss) = (0.0, 0.0);
    for q in 0..n {
        let i = idx.map_or(q, |r| r[q] as usize);
        let row = &y[i * runs..(i + 1) * runs];
        let (a, b) = (row[0], row[k + 1]);
        s += a + b;
        ss += a * a + b * b;
        for j in 0..k {
            let ab = row[1 + j];
            f[j] += b * (ab - a);
            t[j] += (a - ab) * (a - ab);
        }
    }
    let two_n = (2 * n) as f64;
    let mean = s / two_n;
    let var = ss / two_n - mean * mean;
    if !(var > 1e-300) {
        return (vec![0.0; k], vec![0.0; k]);
    }
    let nf = n as f64;
    (
        f.iter().map(|x| x / nf / var).collect(),
        t.iter().map(|x| 0.5 * x / nf / var).collect(),
    )
}

/// Sample standard deviation (ddof 1).
fn sd(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let m = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

/// Sobol indices of output `y` with bootstrap confidence from `boot`.
pub fn indices(
    y: &[f64],
    n: usize,
    k: usize,
    boot: &[Vec<u32>],
) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    // Standardise over all runs (population std), as SALib does.
    let len = y.len() as f64;
    let mean = y.iter().sum::<f64>() / len;
    let std = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / len).sqrt();
    // An output that does not vary (beyond rounding noise, which standardising would blow up
    // into arbitrary indices) has no variance to apportion: its indices are undefined (NaN,
    // null in JSON).
    if !(std > 1e-10 * mean.abs()) || std == 0.0 {
        let undefined = vec![f64::NAN; k];
        return (
            undefined.clone(),
            undefined.clone(),
            undefined.clone(),
            undefined,
        );
    }
    let z: Vec<f64> = y.iter().map(|v| (v - mean) / std).collect();
    let (s1, st) = estimate(&z, n, k, None);
    let mut s1_b = vec![Vec::with_capacity(boot.len()); k];
    let mut st_b = vec![Vec::with_capacity(boot.len()); k];
    for r in boot {
        let (a, b) = estimate(&z, n, k, Some(r));
        for j in 0..k {
            s1_b[j].push(a[j]);
            st_b[j].push(b[j]);
        }
    }
    let s1_conf = s1_b.iter().map(|v| 1.96 * sd(v)).collect();
    let st_conf = st_b.iter().map(|v| 1.96 * sd(v)).collect();
    (s1, s1_conf, st, st_conf)
}

/// Sobol settings.
#[derive(Clone, Debug)]
pub struct SobolOptions {
    /// Base points N.
    pub samples: usize,
    /// Seed (scrambling and bootstrap).
    pub seed: u64,
    /// Multipliers are U(1 − range, 1 + range).
    pub range: f64,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Report the best K zones by base rank (all when None).
    pub top: Option<usize>,
    /// An exact multiplier matrix (N(k + 2) rows × factors), replacing the design.
    pub samples_file: Option<Vec<Vec<f64>>>,
}

impl Default for SobolOptions {
    fn default() -> Self {
        SobolOptions {
            samples: 1024,
            seed: 1,
            range: 0.5,
            bootstrap: 100,
            top: None,
            samples_file: None,
        }
    }
}

/// Refuses a multiplier range outside (0, 1): part of [`SobolOptions::check`], callable alone
/// so a front end can report it before reading a samples file.
pub fn check_range(range: f64) -> Result<(), OptionError> {
    if range > 0.0 && range < 1.0 {
        Ok(())
    } else {
        Err(OptionError::SobolRange)
    }
}

impl SobolOptions {
    /// Validates the options: the range in (0, 1); a replayed matrix with rows of one width w
    /// and a multiple of w + 2 of them, else between 1 and [`MAX_BASE_POINTS`] base points;
    /// at most [`MAX_BOOTSTRAP`] resamples and [`MAX_BOOTSTRAP_DRAWS`] resampled points.
    pub fn check(self) -> Result<Checked<SobolOptions>> {
        check_range(self.range)?;
        let base_points = match &self.samples_file {
            Some(rows) => {
                let w = rows.first().map_or(0, Vec::len);
                if rows.is_empty() || rows.iter().any(|r| r.len() != w) || rows.len() % (w + 2) != 0
                {
                    let (r, kk) = (rows.len(), w + 2);
                    return Err(Error::input(
                        None,
                        text!(
                            "the samples file has {r} rows; expected a multiple of k + 2 = {kk}",
                            "样本文件有 {r} 行，应为 k + 2 = {kk} 的倍数"
                        ),
                    ));
                }
                rows.len() / (w + 2)
            }
            None => {
                if self.samples == 0 || self.samples > MAX_BASE_POINTS {
                    return Err(OptionError::BasePoints {
                        max: MAX_BASE_POINTS,
                    }
                    .into());
                }
                self.samples
            }
        };
        if self.bootstrap < 2
            || self.bootstrap > MAX_BOOTSTRAP
            || self.bootstrap.saturating_mul(base_points) > MAX_BOOTSTRAP_DRAWS
        {
            return Err(OptionError::Bootstrap {
                max: MAX_BOOTSTRAP,
                max_draws: MAX_BOOTSTRAP_DRAWS,
            }
            .into());
        }
        Ok(Checked::new(self))
    }
}

/// Runs the analysis over `factors` (weight multipliers) around `base`; with `choices`
/// (method variants), a further discrete factor "method" picks one of them uniformly.
pub fn run(
    base: &Model<'_>,
    choices: &[Model<'_>],
    factors: &[Factor],
    opts: &Checked<SobolOptions>,
    progress: &dyn Progress,
) -> Result<Sobol> {
    let (m, n) = (base.zones(), base.indicators());
    let kw = factors.len();
    let discrete = !choices.is_empty();
    let models: Vec<&Model<'_>> = if discrete {
        choices.iter().collect()
    } else {
        vec![base]
    };
    let k = kw + usize::from(discrete);
    let (nb, mult) = match &opts.samples_file {
        Some(rows) => {
            if discrete {
                return Err(OptionError::SamplesFileWithMethodVariation.into());
            }
            // The check fixed the shape; the width must also be this analysis' factors.
            let w = rows[0].len();
            if w != kw {
                return Err(Error::input(
                    None,
                    text!(
                        "the samples file has {w} columns; the analysis has {kw} factors",
                        "样本文件有 {w} 列，而分析有 {kw} 个因子"
                    ),
                ));
            }
            (
                rows.len() / (kw + 2),
                rows.iter().flatten().copied().collect::<Vec<f64>>(),
            )
        }
        None => {
            let u = design(
                opts.samples,
                k,
                (opts.seed & 0xffff_ffff) as u32 ^ (opts.seed >> 32) as u32,
            )?;
            (opts.samples, u)
        }
    };
    let runs = nb * (k + 2);
    let file_mode = opts.samples_file.is_some();
    progress.start(runs as u64);
    // Outputs: each reported zone's value, then the mean absolute rank shift.
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| base.base_ranks[i]);
    let reported: Vec<usize> = order
        .iter()
        .copied()
        .take(opts.top.unwrap_or(m).min(m))
        .collect();
    let outputs = reported.len() + 1;
    let mut y = vec![0.0; runs * outputs];
    // Blocks of base points; each writes its own rows of `y`.
    let per_block = (256 / (k + 2)).max(1);
    let chunk_runs = per_block * (k + 2);
    y.par_chunks_mut(chunk_runs * outputs)
        .enumerate()
        .try_for_each(|(c, ychunk)| -> Result<()> {
            let r0 = c * chunk_runs;
            let count = ychunk.len() / outputs;
            let mut w = vec![0.0; count * n];
            let mut model_of = vec![0usize; count];
            for t in 0..count {
                let row = &mult[(r0 + t) * k..(r0 + t + 1) * k];
                let factors_mult: Vec<f64> = row[..kw]
                    .iter()
                    .map(|&u| {
                        if file_mode {
                            u
                        } else {
                            1.0 - opts.range + 2.0 * opts.range * u
                        }
                    })
                    .collect();
                scaled_weights(
                    &base.base_weights,
                    factors,
                    &factors_mult,
                    &mut w[t * n..(t + 1) * n],
                );
                if discrete {
                    model_of[t] = ((row[kw] * models.len() as f64) as usize).min(models.len() - 1);
                }
            }
            let mut values = vec![0.0; count * m];
            for (mi, model) in models.iter().enumerate() {
                let idx: Vec<usize> = (0..count).filter(|&t| model_of[t] == mi).collect();
                if idx.is_empty() {
                    continue;
                }
                let ws: Vec<f64> = idx
                    .iter()
                    .flat_map(|&t| w[t * n..(t + 1) * n].iter().copied())
                    .collect();
                let mut v = vec![0.0; idx.len() * m];
                model.values(&ws, idx.len(), &mut v)?;
                for (q, &t) in idx.iter().enumerate() {
                    values[t * m..(t + 1) * m].copy_from_slice(&v[q * m..(q + 1) * m]);
                }
            }
            let mut ranker = Ranker::default();
            let mut ranks = vec![0u32; m];
            for t in 0..count {
                let v = &values[t * m..(t + 1) * m];
                let out = &mut ychunk[t * outputs..(t + 1) * outputs];
                for (o, &i) in out.iter_mut().zip(&reported) {
                    *o = v[i];
                }
                ranker.rank(v, models[model_of[t]].higher_is_better, &mut ranks);
                let shift: u64 = ranks
                    .iter()
                    .zip(&base.base_ranks)
                    .map(|(a, b)| u64::from(a.abs_diff(*b)))
                    .sum();
                out[outputs - 1] = shift as f64 / m as f64;
            }
            progress.inc(count as u64);
            Ok(())
        })?;
    progress.finish();

    let boot = resamples(nb, opts.bootstrap, opts.seed);
    let mut ids: Vec<String> = factors.iter().map(|f| f.id.clone()).collect();
    if discrete {
        ids.push("method".into());
    }
    let results: Vec<Indices> = (0..outputs)
        .into_par_iter()
        .map(|o| {
            let col: Vec<f64> = (0..runs).map(|r| y[r * outputs + o]).collect();
            let (s1, s1c, st, stc) = indices(&col, nb, k, &boot);
            Indices {
                s1: Map::from_pairs(&ids, &s1),
                s1_conf: Map::from_pairs(&ids, &s1c),
                st: Map::from_pairs(&ids, &st),
                st_conf: Map::from_pairs(&ids, &stc),
            }
        })
        .collect();
    let ev = base.ev;
    let zones = reported
        .iter()
        .zip(&results)
        .map(|(&i, ind)| {
            let z = &ev.prepared().zones[ev.ranked()[i]];
            SobolZone {
                id: z.id.clone(),
                name: z.name.clone(),
                base_rank: base.base_ranks[i] as usize,
                indices: ind.clone(),
            }
        })
        .collect();
    Ok(Sobol {
        analysis: "sobol".into(),
        samples: nb,
        factors: ids,
        zones,
        rank_shift: results[outputs - 1].clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// An output that does not vary (a constant plus rounding noise, as a zone whose value
    /// does not depend on the weights gives) has undefined indices, never numbers blown up
    /// from the noise; an exactly constant one likewise.
    #[test]
    fn a_constant_output_has_undefined_indices() {
        let (n, k) = (64, 3);
        let noisy: Vec<f64> = (0..n * (k + 2))
            .map(|i| 70.0 + if i % 3 == 0 { 1e-14 } else { -1e-14 })
            .collect();
        for y in [noisy, vec![0.0; n * (k + 2)]] {
            let (s1, s1c, st, stc) = indices(&y, n, k, &resamples(n, 10, 1));
            for v in [s1, s1c, st, stc] {
                assert!(v.iter().all(|x| x.is_nan()), "{v:?}");
            }
        }
    }

    fn allclose(got: &[f64], want: &[f64], atol: f64, rtol: f64) -> bool {
        got.iter()
            .zip(want)
            .all(|(g, w)| (g - w).abs() <= atol + rtol * w.abs())
    }

    /// The Ishigami function with a = 7, b = 0.1 on U(−π, π)³. Analytic indices (Ishigami &
    /// Homma 1990; Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.9):
    /// V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½; V1 = ½(1 + bπ⁴/5)², V2 = a²/8, V13 = b²π⁸(1/18 − 1/50).
    /// Tolerances are SALib's test_sobol.py ones (assert_allclose, atol 0.05, rtol 0.1).
    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let (a, b) = (7.0f64, 0.1f64);
        let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let s1_true = [v1 / v, v2 / v, 0.0];
        let st_true = [(v1 + v13) / v, v2 / v, v13 / v];
        let (n, k) = (1024, 3);
        let u = design(n, k, 7).unwrap();
        let y: Vec<f64> = u
            .chunks(k)
            .map(|x| {
                let x: Vec<f64> = x.iter().map(|t| -PI + 2.0 * PI * t).collect();
                x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
            })
            .collect();
        let boot = resamples(n, 100, 1);
        let (s1, s1c, st, stc) = indices(&y, n, k, &boot);
        assert!(
            allclose(&s1, &s1_true, 0.05, 0.1),
            "S1 {s1:?} vs {s1_true:?}"
        );
        assert!(
            allclose(&st, &st_true, 0.05, 0.1),
            "ST {st:?} vs {st_true:?}"
        );
        assert!(
            s1c.iter().chain(&stc).all(|c| *c > 0.0 && *c < 0.2),
            "{s1c:?} {stc:?}"
        );
    }

    /// Sobol' G-function with a = (0, 1, 4.5, 9, 99, 99, 99, 99) on U(0, 1)⁸. Analytic
    /// (Saltelli et al. 2010, Comput. Phys. Commun. 181, 259–270, §3): V_i = 1/(3(1 + a_i)²),
    /// V = Π(1 + V_i) − 1, S1_i = V_i/V, ST_i = V_i Π_{j≠i}(1 + V_j)/V.
    #[test]
    fn g_function_indices_match_the_analytic_values() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        let vi: Vec<f64> = a
            .iter()
            .map(|ai: &f64| 1.0 / (3.0 * (1.0 + ai).powi(2)))
            .collect();
        let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
        let v = prod - 1.0;
        let s1_true: Vec<f64> = vi.iter().map(|x| x / v).collect();
        let st_true: Vec<f64> = vi.iter().map(|x| x * prod / (1.0 + x) / v).collect();
        let (n, k) = (4096, 8);
        let u = design(n, k, 3).unwrap();
        let y: Vec<f64> = u
            .chunks(k)
            .map(|x| {
                x.iter()
                    .zip(&a)
                    .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
                    .product()
            })
            .collect();
        let (s1, _, st, _) = indices(&y, n, k, &resamples(n, 10, 1));
        assert!(
            allclose(&s1, &s1_true, 0.05, 0.1),
            "S1 {s1:?} vs {s1_true:?}"
        );
        assert!(
            allclose(&st, &st_true, 0.05, 0.1),
            "ST {st:?} vs {st_true:?}"
        );
    }

    #[test]
    fn design_runs_are_in_saltelli_order() {
        let (n, k) = (4, 3);
        let u = design(n, k, 0).unwrap();
        assert_eq!(u.len(), n * (k + 2) * k);
        for i in 0..n {
            let row = |r: usize| &u[(i * (k + 2) + r) * k..(i * (k + 2) + r + 1) * k];
            let (a, b) = (row(0), row(k + 1));
            for j in 0..k {
                let ab = row(1 + j);
                for d in 0..k {
                    assert_eq!(ab[d], if d == j { b[d] } else { a[d] });
                }
            }
        }
        assert!(u.iter().all(|x| (0.0..1.0).contains(x)));
    }
}
