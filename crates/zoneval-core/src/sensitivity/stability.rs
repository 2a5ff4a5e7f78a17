//! Weight stability intervals: for each factor weight, the interval within which the top-K
//! order (and each zone's rank) stays unchanged, the other weights rescaled proportionally.
//!
//! For aggregations linear in the weights (weighted sum, PROMETHEE II) a zone's value is
//! linear in the factor weight t — v_i(t) = t·a_i + (1 − t)·b_i — so every pair of zones
//! crosses at most once, at an exact point. For the others the interval is found by scanning
//! t on a grid of `steps` points and bisecting the first change to `tolerance` (a change and
//! change-back within one grid step can be missed; the grid is reported).

use super::checked::Checked;
use rayon::prelude::*;
use serde::Serialize;

use super::model::{Factor, Model};
use super::oat::{MAX_STEPS, factor_weights};
use super::rank_stats::Ranker;
use super::{Stability, StabilityInterval};
use crate::error::{OptionError, Result};

/// Stability settings.
#[derive(Clone, Copy, Debug)]
pub struct StabilityOptions {
    /// K of the top-K order.
    pub top: usize,
    /// Grid points on [0, 1] for non-linear aggregations.
    pub steps: usize,
    /// Bisection tolerance on the weight.
    pub tolerance: f64,
}

impl Default for StabilityOptions {
    fn default() -> Self {
        StabilityOptions {
            top: 10,
            steps: 200,
            tolerance: 1e-9,
        }
    }
}

impl StabilityOptions {
    /// Validates the options: between 1 and [`MAX_STEPS`] grid points, a top K of at least 1.
    pub fn check(self) -> Result<Checked<StabilityOptions>> {
        if self.top == 0 {
            return Err(OptionError::Top.into());
        }
        if self.steps == 0 || self.steps > MAX_STEPS {
            return Err(OptionError::StabilitySteps { max: MAX_STEPS }.into());
        }
        Ok(Checked::new(self))
    }
}

/// Runs the analysis.
pub fn run(
    model: &Model<'_>,
    factors: &[Factor],
    opts: &Checked<StabilityOptions>,
) -> Result<Stability> {
    let m = model.zones();
    let top = opts.top.clamp(1, m);
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| model.base_ranks[i]);
    let exact = model.is_linear();
    let mut out = Vec::with_capacity(factors.len());
    for f in factors {
        let w0: f64 = f.leaves.iter().map(|&l| model.base_weights[l]).sum();
        let family = |t: f64, out: &mut [f64]| factor_weights(&model.base_weights, f, t, out);
        let (low, high, zone_intervals) = if exact {
            linear(model, &family, w0, top, &order, true)?
        } else {
            scan(model, &family, w0, top, &order, opts, true)?
        };
        out.push(StabilityInterval {
            id: f.id.clone(),
            base_weight: w0,
            low,
            high,
            zone_intervals,
        });
    }
    let ev = model.ev;
    Ok(Stability {
        analysis: "stability".into(),
        top,
        zones: order
            .iter()
            .map(|&i| ev.prepared().zones[ev.ranked()[i]].id.clone())
            .collect(),
        exact,
        factors: out,
    })
}

type Intervals = (f64, f64, Vec<(f64, f64)>);

/// The leaf weights with the varied weight at t (the others following as the factor says).
type Family<'f> = dyn Fn(f64, &mut [f64]) + Sync + 'f;

/// Exact crossings: values at t = 0 and t = 1 give b_i and a_i (the weights are affine in t,
/// so each zone's value is too). With `all_zones` false only the top-K zones' crossings are
/// computed (the top-K interval is the same; no per-zone intervals are returned).
fn linear(
    model: &Model<'_>,
    family: &Family<'_>,
    w0: f64,
    top: usize,
    order: &[usize],
    all_zones: bool,
) -> Result<Intervals> {
    let (m, n) = (model.zones(), model.indicators());
    let mut w = vec![0.0; 2 * n];
    family(0.0, &mut w[..n]);
    family(1.0, &mut w[n..]);
    let mut v = vec![0.0; 2 * m];
    model.values(&w, 2, &mut v)?;
    let (b, a) = v.split_at(m);
    // Slope of zone i's value in t; a crossing of i and k is where their difference is 0.
    let cross = |i: usize, k: usize| -> Option<f64> {
        let di = a[i] - b[i];
        let dk = a[k] - b[k];
        let denom = di - dk;
        if denom == 0.0 {
            return None;
        }
        let t = (b[k] - b[i]) / denom;
        (t > 0.0 && t < 1.0 && (t - w0).abs() > 1e-15).then_some(t)
    };
    let narrow = |iv: &mut (f64, f64), t: f64| {
        if t < w0 {
            iv.0 = iv.0.max(t);
        } else {
            iv.1 = iv.1.min(t);
        }
    };
    let mut zone_iv = vec![(0.0, 1.0); m];
    if all_zones {
        for i in 0..m {
            for k in i + 1..m {
                if let Some(t) = cross(i, k) {
                    narrow(&mut zone_iv[i], t);
                    narrow(&mut zone_iv[k], t);
                }
            }
        }
    } else {
        // cross(i, k) = cross(k, i): the same crossings as above, for the top zones only.
        for &i in &order[..top] {
            for k in (0..m).filter(|&k| k != i) {
                if let Some(t) = cross(i, k) {
                    narrow(&mut zone_iv[i], t);
                }
            }
        }
    }
    let mut top_iv: (f64, f64) = (0.0, 1.0);
    for &i in &order[..top] {
        top_iv.0 = top_iv.0.max(zone_iv[i].0);
        top_iv.1 = top_iv.1.min(zone_iv[i].1);
    }
    let zones = if all_zones {
        order.iter().map(|&i| zone_iv[i]).collect()
    } else {
        Vec::new()
    };
    Ok((top_iv.0, top_iv.1, zones))
}

/// Grid scan and bisection for aggregations that are not linear in the weights; with
/// `all_zones` false the scan stops once the top-K order has changed on both sides.
fn scan(
    model: &Model<'_>,
    family: &Family<'_>,
    w0: f64,
    top: usize,
    order: &[usize],
    opts: &StabilityOptions,
    all_zones: bool,
) -> Result<Intervals> {
    let (m, n) = (model.zones(), model.indicators());
    let mut ranker = Ranker::default();
    let ranks_at = |t: f64, ranker: &mut Ranker| -> Result<Vec<u32>> {
        let mut w = vec![0.0; n];
        family(t, &mut w);
        let mut v = vec![0.0; m];
        model.values(&w, 1, &mut v)?;
        let mut r = vec![0u32; m];
        ranker.rank(&v, model.higher_is_better, &mut r);
        Ok(r)
    };
    let base = model.base_ranks.clone();
    let top_same = |r: &[u32]| order[..top].iter().all(|&i| r[i] == base[i]);
    // Grid points on each side of w0, nearest first.
    let steps = opts.steps.max(2);
    let up: Vec<f64> = (1..=steps)
        .map(|k| w0 + (1.0 - w0) * k as f64 / steps as f64)
        .collect();
    let down: Vec<f64> = (1..=steps)
        .map(|k| w0 - w0 * k as f64 / steps as f64)
        .collect();
    let mut zone_iv = vec![(0.0, 1.0); m];
    let mut top_iv: (f64, f64) = (0.0, 1.0);
    for (dir, grid) in [(1, &up), (-1, &down)] {
        let mut prev = w0;
        let mut zone_done = vec![false; m];
        let mut top_done = false;
        for &t in grid.iter() {
            let r = ranks_at(t, &mut ranker)?;
            for i in (0..m).filter(|_| all_zones) {
                if !zone_done[i] && r[i] != base[i] {
                    zone_done[i] = true;
                    let b = bisect(prev, t, opts.tolerance, |x| {
                        Ok(ranks_at(x, &mut Ranker::default())?[i] == base[i])
                    })?;
                    if dir > 0 {
                        zone_iv[i].1 = b
                    } else {
                        zone_iv[i].0 = b
                    }
                }
            }
            if !top_done && !top_same(&r) {
                top_done = true;
                let b = bisect(prev, t, opts.tolerance, |x| {
                    Ok(top_same(&ranks_at(x, &mut Ranker::default())?))
                })?;
                if dir > 0 { top_iv.1 = b } else { top_iv.0 = b }
            }
            if top_done && (!all_zones || zone_done.iter().all(|d| *d)) {
                break;
            }
            prev = t;
        }
    }
    let zones = if all_zones {
        order.iter().map(|&i| zone_iv[i]).collect()
    } else {
        Vec::new()
    };
    Ok((top_iv.0, top_iv.1, zones))
}

/// The stability interval of one node's local weight: the range of its share of its parent
/// within which the top-K order holds, its siblings rescaled in proportion to fill the rest of
/// the parent's weight and every weight outside the parent kept. This is what a weight slider
/// among siblings does; for a top-level criterion it is the [`run`] interval of that criterion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocalInterval {
    /// Node id.
    pub id: String,
    /// The node's local weight in the base evaluation.
    pub base_weight: f64,
    /// Lowest local weight keeping the top-K order.
    pub low: f64,
    /// Highest such weight.
    pub high: f64,
}

/// The local-weight stability interval of every node of the system that has a sibling (in
/// system node order), for the top-K order of `model`'s base evaluation. Nodes run in
/// parallel; only the top-K zones' crossings are computed.
pub fn local(model: &Model<'_>, opts: &Checked<StabilityOptions>) -> Result<Vec<LocalInterval>> {
    let sys = model.ev.system();
    let m = model.zones();
    let top = opts.top.clamp(1, m.max(1));
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| model.base_ranks[i]);
    let exact = model.is_linear();
    let nodes: Vec<usize> = (0..sys.nodes.len())
        .filter(|&c| {
            sys.nodes[c]
                .parent
                .is_some_and(|p| sys.nodes[p].children.len() > 1)
        })
        .collect();
    nodes
        .par_iter()
        .map(|&c| {
            let p = sys.nodes[c].parent.unwrap_or(0);
            let inside = sys.tree.leaves_under(c);
            let parent = sys.tree.leaves_under(p);
            let base = &model.base_weights;
            let a: f64 = inside.iter().map(|&l| base[l]).sum();
            let g: f64 = parent.iter().map(|&l| base[l]).sum();
            let w0 = if g > 0.0 { a / g } else { 0.0 };
            let family = |v: f64, out: &mut [f64]| {
                out.copy_from_slice(base);
                let k_in = if a > 0.0 { v * g / a } else { 0.0 };
                let k_out = if g - a > 0.0 {
                    (1.0 - v) * g / (g - a)
                } else {
                    0.0
                };
                for &l in &parent {
                    out[l] = base[l] * k_out;
                }
                for &l in &inside {
                    out[l] = base[l] * k_in;
                }
            };
            let (low, high, _) = if m == 0 {
                (0.0, 1.0, Vec::new())
            } else if exact {
                linear(model, &family, w0, top, &order, false)?
            } else {
                scan(model, &family, w0, top, &order, opts, false)?
            };
            Ok(LocalInterval {
                id: sys.nodes[c].id.clone(),
                base_weight: w0,
                low,
                high,
            })
        })
        .collect()
}

/// The boundary between `same` (true at `good`) and changed (at `bad`), to `tol`.
fn bisect(
    mut good: f64,
    mut bad: f64,
    tol: f64,
    mut same: impl FnMut(f64) -> Result<bool>,
) -> Result<f64> {
    for _ in 0..200 {
        if (bad - good).abs() <= tol {
            break;
        }
        let mid = 0.5 * (good + bad);
        if same(mid)? {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Ok(0.5 * (good + bad))
}
