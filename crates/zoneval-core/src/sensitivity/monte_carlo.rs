//! Monte Carlo over weights (and optionally methods and a dropped indicator): rank
//! distributions, SMAA rank acceptabilities and central weights, and agreement with the base
//! ranking.
//!
//! Samples are processed in blocks of fixed size; block b draws from its own ChaCha8 stream
//! (seed, stream b), so every sample's draws are fixed by (seed, index) whatever the thread
//! count. Per-zone statistics, the rank shift and Spearman's ρ are integer counts and sums
//! ([`RankStats`]); the floating-point sums (Kendall's τ, central weights) are reduced block
//! by block in block order. Output is therefore bit-identical for any number of threads.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rayon::prelude::*;

use super::checked::Checked;
use super::model::Model;
use super::rank_stats::{RankStats, Ranker, StoredRank, inversions};
use super::{McZone, MonteCarlo, Progress};
use crate::error::{Error, OptionError, Result};
use crate::text;

/// How weight vectors are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightDraw {
    /// Each leaf weight × U(1 − p, 1 + p), then renormalised (DESIGN.md's default, p = 0.2).
    Uniform(f64),
    /// Dirichlet with parameters c · w (concentration c around the base weights).
    Dirichlet(f64),
    /// Weight vectors read from a file (each renormalised).
    File(Vec<Vec<f64>>),
}

/// Monte Carlo settings.
#[derive(Clone, Debug)]
pub struct McOptions {
    /// Number of samples (ignored for `WeightDraw::File`: its row count).
    pub samples: usize,
    /// RNG seed.
    pub seed: u64,
    /// Weight distribution.
    pub draw: WeightDraw,
    /// K of `p_top` and the acceptabilities.
    pub top: usize,
    /// Set one uniformly chosen indicator's weight to 0 in every sample.
    pub drop_indicator: bool,
    /// Bytes allowed for rank histograms (beyond it percentiles use wider bins).
    pub memory_budget: usize,
}

impl Default for McOptions {
    fn default() -> Self {
        McOptions {
            samples: 10_000,
            seed: 1,
            draw: WeightDraw::Uniform(0.2),
            top: 10,
            drop_indicator: false,
            memory_budget: 512 << 20,
        }
    }
}

impl McOptions {
    /// Validates the options: the perturbation in [0, 1) or a positive finite Dirichlet
    /// concentration, and between 1 and [`MAX_SAMPLES`] samples (a weights file's rows).
    pub fn check(self) -> Result<Checked<McOptions>> {
        if self.top == 0 {
            return Err(OptionError::Top.into());
        }
        match self.draw {
            WeightDraw::Uniform(p) if !(0.0..1.0).contains(&p) => {
                return Err(OptionError::Perturb.into());
            }
            // inf would give NaN weights (and silently wrong ranks).
            WeightDraw::Dirichlet(c) if !(c > 0.0 && c.is_finite()) => {
                return Err(OptionError::Dirichlet.into());
            }
            _ => {}
        }
        let samples = match &self.draw {
            WeightDraw::File(rows) => rows.len(),
            _ => self.samples,
        };
        if samples == 0 || samples > MAX_SAMPLES {
            return Err(OptionError::Samples { max: MAX_SAMPLES }.into());
        }
        Ok(Checked::new(self))
    }
}

/// Kendall's τ is averaged over every sample while samples × zones stays below this; beyond,
/// over a deterministic stride of samples (every k-th), which estimates the same mean.
const KENDALL_WORK: usize = 250_000;

/// The smallest gamma shape c · w accepted for a Dirichlet draw: below it the draws
/// (Gamma(α + 1) · U^(1/α)) underflow to 0 for a large share of samples.
pub const DIRICHLET_MIN_SHAPE: f64 = 0.01;

/// The most samples accepted: hours of work for a few hundred zones already, and small enough
/// that `samples × zones` and the per-block bookkeeping cannot overflow or exhaust memory.
pub const MAX_SAMPLES: usize = 100_000_000;

/// Partial sums of one block, reduced in block order.
#[derive(Default)]
struct Partial {
    kendall: f64,
    kendall_n: u64,
    /// (winning zone, sample within the block), with the block's weights to look them up.
    winners: Vec<(u32, u32)>,
    weights: Vec<f64>,
}

/// Samples per block: about a million values per block buffer, at most 256.
fn block_size(m: usize) -> usize {
    ((1usize << 20) / m.max(1)).clamp(8, 256)
}

/// Runs the analysis around `base`. With `choices` (method variants) each sample is evaluated
/// by one of them chosen uniformly; ranks are always compared with `base`'s.
pub fn run(
    base: &Model<'_>,
    choices: &[Model<'_>],
    opts: &Checked<McOptions>,
    progress: &dyn Progress,
) -> Result<MonteCarlo> {
    let (m, n) = (base.zones(), base.indicators());
    let samples = match &opts.draw {
        WeightDraw::File(rows) => rows.len(),
        _ => opts.samples,
    };
    if let WeightDraw::File(rows) = &opts.draw
        && let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n)
    {
        let (l, k) = (r.len(), i + 1);
        return Err(Error::input(
            None,
            text!(
                "weights file row {k} has {l} weights; the system has {n} indicators",
                "权重文件第 {k} 行有 {l} 个权重，而体系有 {n} 个指标"
            ),
        ));
    }
    // A concentration so small that the gamma draws underflow to 0 gives no spread at all
    // (the base weights every time): refused with the smallest one the sampler honours.
    if let WeightDraw::Dirichlet(c) = opts.draw {
        let w_min = base
            .base_weights
            .iter()
            .copied()
            .filter(|&w| w > 0.0)
            .fold(f64::INFINITY, f64::min);
        if w_min.is_finite() && c * w_min < DIRICHLET_MIN_SHAPE {
            let min = (DIRICHLET_MIN_SHAPE / w_min).ceil() as u64;
            return Err(OptionError::DirichletTooSmall { min }.into());
        }
    }
    let top = opts.top.clamp(1, m);
    let mut stats = RankStats::new(&base.base_ranks, top, opts.memory_budget);
    progress.start(samples as u64);
    let partials = if m <= usize::from(u16::MAX) {
        waves::<u16>(base, choices, opts, samples, &mut stats, progress)?
    } else {
        waves::<u32>(base, choices, opts, samples, &mut stats, progress)?
    };
    stats.finish();
    progress.finish();

    // Reduce floating-point partials in block order.
    let mut kendall = 0.0;
    let mut kendall_n = 0u64;
    let mut central = vec![vec![0.0; n]; m];
    let mut wins = vec![0u64; m];
    for p in &partials {
        kendall += p.kendall;
        kendall_n += p.kendall_n;
        for &(z, s) in &p.winners {
            let w = &p.weights[s as usize * n..(s as usize + 1) * n];
            wins[z as usize] += 1;
            central[z as usize]
                .iter_mut()
                .zip(w)
                .for_each(|(c, x)| *c += x);
        }
    }
    let ev = base.ev;
    let pct: Vec<Vec<f64>> = (0..m)
        .into_par_iter()
        .map(|i| stats.percentiles(i, &[0.05, 0.5, 0.95]))
        .collect();
    let mut zones: Vec<McZone> = (0..m)
        .map(|i| {
            let z = &ev.prepared().zones[ev.ranked()[i]];
            McZone {
                id: z.id.clone(),
                name: z.name.clone(),
                base_rank: base.base_ranks[i] as usize,
                mean_rank: stats.mean(i),
                p05: pct[i][0],
                p50: pct[i][1],
                p95: pct[i][2],
                p_top: stats.p_top(i),
                acceptability: stats.acceptability(i),
                central_weights: if wins[i] > 0 {
                    central[i].iter().map(|c| c / wins[i] as f64).collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    zones.sort_by_key(|z| z.base_rank);
    Ok(MonteCarlo {
        analysis: "monte-carlo".into(),
        samples,
        top,
        zones,
        weight_ids: ev
            .system()
            .indicators
            .iter()
            .map(|i| i.id.clone())
            .collect(),
        seed: opts.seed,
        mean_rank_shift: stats.mean_shift(),
        spearman: stats.mean_spearman(),
        kendall: if kendall_n > 0 {
            kendall / kendall_n as f64
        } else {
            f64::NAN
        },
        kendall_samples: kendall_n as usize,
        rank_bin: stats.bin,
    })
}

/// Evaluates, ranks and counts every sample, in waves of blocks processed in parallel;
/// returns the blocks' partial sums in block order.
fn waves<R: StoredRank>(
    base: &Model<'_>,
    choices: &[Model<'_>],
    opts: &McOptions,
    samples: usize,
    stats: &mut RankStats,
    progress: &dyn Progress,
) -> Result<Vec<Partial>> {
    let m = base.zones();
    let bs = block_size(m);
    let blocks = samples.div_ceil(bs);
    let kendall_stride = (samples * m).div_ceil(KENDALL_WORK).max(1);
    let mut partials: Vec<Partial> = Vec::with_capacity(blocks);
    // Waves of blocks bound the memory in flight; their size does not affect results.
    let wave = (2 * rayon::current_num_threads().max(1)).min(blocks);
    // One set of buffers per block of a wave, reused from wave to wave.
    let mut buffers: Vec<Buffers<R>> = (0..wave)
        .map(|_| Buffers {
            values: vec![0.0; bs * m],
            ranks: vec![R::default(); bs * m],
            tile: vec![0; Buffers::<R>::TILE * m],
        })
        .collect();
    for w0 in (0..blocks).step_by(wave) {
        let outs: Vec<Result<(Partial, usize)>> = buffers
            .par_iter_mut()
            .zip(w0..(w0 + wave).min(blocks))
            .map(|(buf, b)| {
                let out = block(base, choices, opts, b, bs, samples, kendall_stride, buf);
                // Each block as it ends (from its worker thread), so progress moves within
                // a wave too; what is counted never affects the results.
                if let Ok((_, count)) = &out {
                    progress.inc(*count as u64);
                }
                out
            })
            .collect();
        let mut done = Vec::with_capacity(wave);
        for (o, buf) in outs.into_iter().zip(&buffers) {
            let (partial, count) = o?;
            done.push(&buf.ranks[..count * m]);
            partials.push(partial);
        }
        stats.add_blocks(&done);
    }
    Ok(partials)
}

/// Scratch space of one block: values, zone-major ranks and the tile of sample-major ranks
/// being filled.
struct Buffers<R> {
    values: Vec<f64>,
    ranks: Vec<R>,
    tile: Vec<u32>,
}

impl<R> Buffers<R> {
    /// Samples per tile: one zone's ranks in a tile fill a 64-byte cache line.
    const TILE: usize = 64 / std::mem::size_of::<R>();
}

/// Copies `rows` sample-major rows of `m` ranks into zone-major `out` (zone z's ranks at
/// `out[z * stride..]`).
fn transpose<R: StoredRank>(tile: &[u32], m: usize, out: &mut [R], stride: usize) {
    let rows = tile.len() / m;
    for (z, col) in out.chunks_mut(stride).take(m).enumerate() {
        for (t, x) in col[..rows].iter_mut().enumerate() {
            *x = R::narrow(tile[t * m + z]);
        }
    }
}

/// Draws, evaluates and ranks block `b` into `buf` (zone-major ranks); returns its partial
/// sums and sample count.
#[allow(clippy::too_many_arguments)]
fn block<R: StoredRank>(
    base: &Model<'_>,
    choices: &[Model<'_>],
    opts: &McOptions,
    b: usize,
    bs: usize,
    samples: usize,
    kendall_stride: usize,
    buf: &mut Buffers<R>,
) -> Result<(Partial, usize)> {
    let (m, n) = (base.zones(), base.indicators());
    let s0 = b * bs;
    let count = bs.min(samples - s0);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    rng.set_stream(b as u64);
    let mut weights = vec![0.0; count * n];
    let mut model_of = vec![0usize; count];
    let gammas: Option<Vec<Gamma<f64>>> = match &opts.draw {
        WeightDraw::Dirichlet(c) => Some(
            base.base_weights
                .iter()
                .map(|&w| Gamma::new((c * w).max(1e-12), 1.0).expect("positive shape"))
                .collect(),
        ),
        _ => None,
    };
    for s in 0..count {
        let w = &mut weights[s * n..(s + 1) * n];
        match &opts.draw {
            WeightDraw::Uniform(p) => {
                for (x, &b) in w.iter_mut().zip(&base.base_weights) {
                    let u: f64 = rng.random();
                    *x = b * (1.0 - p + 2.0 * p * u);
                }
            }
            WeightDraw::Dirichlet(_) => {
                let g = gammas.as_ref().expect("built for Dirichlet");
                for (x, (d, &b)) in w.iter_mut().zip(g.iter().zip(&base.base_weights)) {
                    *x = if b > 0.0 { d.sample(&mut rng) } else { 0.0 };
                }
            }
            WeightDraw::File(rows) => w.copy_from_slice(&rows[s0 + s]),
        }
        if opts.drop_indicator && n > 1 {
            let j = rng.random_range(0..n);
            w[j] = 0.0;
        }
        let total: f64 = w.iter().sum();
        if total > 0.0 {
            w.iter_mut().for_each(|x| *x /= total);
        } else {
            w.copy_from_slice(&base.base_weights);
        }
        if !choices.is_empty() {
            model_of[s] = rng.random_range(0..choices.len());
        }
    }
    // Evaluate, grouping samples by model.
    let values = &mut buf.values[..count * m];
    if choices.is_empty() {
        base.values(&weights, count, values)?;
    } else {
        for (k, model) in choices.iter().enumerate() {
            let idx: Vec<usize> = (0..count).filter(|&s| model_of[s] == k).collect();
            if idx.is_empty() {
                continue;
            }
            let w: Vec<f64> = idx
                .iter()
                .flat_map(|&s| weights[s * n..(s + 1) * n].iter().copied())
                .collect();
            let mut v = vec![0.0; idx.len() * m];
            model.values(&w, idx.len(), &mut v)?;
            for (t, &s) in idx.iter().enumerate() {
                values[s * m..(s + 1) * m].copy_from_slice(&v[t * m..(t + 1) * m]);
            }
        }
    }
    let ranks = &mut buf.ranks[..count * m];
    // Samples are ranked into a tile of TILE rows, then copied zone-major into `ranks`.
    let tile = &mut buf.tile;
    let tile_rows = Buffers::<R>::TILE;
    let mut ranker = Ranker::default();
    let mut partial = Partial::default();
    let mut tree = Vec::new();
    let mut seq = vec![0u32; m];
    // Zones in base order: base_pos[k] = zone with base rank k + 1.
    let mut base_pos = vec![0usize; m];
    for (i, &r) in base.base_ranks.iter().enumerate() {
        base_pos[r as usize - 1] = i;
    }
    for s in 0..count {
        let higher = if choices.is_empty() {
            base.higher_is_better
        } else {
            choices[model_of[s]].higher_is_better
        };
        let t = s % tile_rows;
        let r = &mut tile[t * m..(t + 1) * m];
        ranker.rank(&values[s * m..(s + 1) * m], higher, r);
        if (s0 + s).is_multiple_of(kendall_stride) {
            for (k, &z) in base_pos.iter().enumerate() {
                seq[k] = r[z];
            }
            let inv = inversions(&seq, &mut tree) as f64;
            let pairs = (m * (m - 1)) as f64 / 2.0;
            partial.kendall += if m > 1 { 1.0 - 2.0 * inv / pairs } else { 1.0 };
            partial.kendall_n += 1;
        }
        partial.winners.push((ranker.best(), s as u32));
        if t + 1 == tile_rows || s + 1 == count {
            transpose(&tile[..(t + 1) * m], m, &mut ranks[s - t..], count);
        }
    }
    partial.weights = weights;
    Ok((partial, count))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::{self, Encoding};
    use crate::evaluation::{self, Methods};
    use crate::system;

    /// Ranks are stored as u16 up to 65,535 zones and as u32 beyond; both paths count the
    /// same statistics (the u32 path is otherwise reached only by very large tables).
    #[test]
    fn narrow_and_wide_rank_storage_agree() {
        let mut toml = String::from("[system]\nid = \"t\"\nname = \"t\"\n");
        let mut csv = String::from("zone_id,zone_name");
        for j in 0..4 {
            toml.push_str(&format!(
                "[[indicators]]\nid = \"x{j}\"\ndirection = \"benefit\"\nweight = {}\n",
                j + 1
            ));
            csv.push_str(&format!(",x{j}"));
        }
        csv.push('\n');
        for i in 0..150u32 {
            csv.push_str(&format!("z{i},Z{i}"));
            for j in 0..4u32 {
                csv.push_str(&format!(",{}", (i * (7 + 2 * j) + j * 13) % 97 + 1));
            }
            csv.push('\n');
        }
        let sys = Arc::new(system::load_str("t.toml", &toml, None).unwrap());
        let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
        let table = Arc::new(data::read_bytes("t.csv", csv.as_bytes(), &spec).unwrap());
        let prep = Arc::new(evaluation::prepare(sys.clone(), table, None, &[]).unwrap());
        let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
        let ev = evaluation::evaluate(&prep, &methods, &[]).unwrap();
        let model = Model::new(&ev).unwrap();
        let opts = McOptions {
            samples: 1_000,
            top: 5,
            ..McOptions::default()
        };
        // Everything the statistics hold, per zone, with the blocks' partial sums.
        let summary = |narrow: bool| {
            let mut stats = RankStats::new(&model.base_ranks, opts.top, opts.memory_budget);
            let partials = if narrow {
                waves::<u16>(
                    &model,
                    &[],
                    &opts,
                    1_000,
                    &mut stats,
                    &crate::sensitivity::Silent,
                )
            } else {
                waves::<u32>(
                    &model,
                    &[],
                    &opts,
                    1_000,
                    &mut stats,
                    &crate::sensitivity::Silent,
                )
            }
            .unwrap();
            stats.finish();
            let zones: Vec<_> = (0..model.zones())
                .map(|i| {
                    let p = stats.percentiles(i, &[0.05, 0.5, 0.95]);
                    (stats.mean(i).to_bits(), p, stats.acceptability(i))
                })
                .collect();
            let kendall: Vec<_> = partials.iter().map(|p| p.kendall.to_bits()).collect();
            let winners: Vec<_> = partials.iter().map(|p| p.winners.clone()).collect();
            (
                zones,
                stats.mean_shift(),
                stats.mean_spearman(),
                kendall,
                winners,
            )
        };
        let narrow = summary(true);
        assert_eq!(narrow, summary(false));
        // The ranks did move: not every sample agrees with the base ranking.
        assert!(narrow.1 > 0.0 && narrow.2 < 1.0);
    }
}
