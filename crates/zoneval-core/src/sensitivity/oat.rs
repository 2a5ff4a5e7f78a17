//! One-at-a-time weight sweeps: each factor's weight moved through ±Δ steps with the other
//! weights rescaled proportionally (so they keep their ratios and everything sums to 1); rank
//! changes per zone and tornado data.

use super::checked::Checked;
use super::model::{Factor, Model};
use super::rank_stats::Ranker;
use super::{Oat, OatFactor};
use crate::error::{OptionError, Result};

/// OAT settings.
#[derive(Clone, Copy, Debug)]
pub struct OatOptions {
    /// Largest relative change of a factor weight (0.5 = ±50 %).
    pub range: f64,
    /// Number of steps from −range to +range (even, so 0 is included).
    pub steps: usize,
}

impl Default for OatOptions {
    fn default() -> Self {
        OatOptions {
            range: 0.5,
            steps: 10,
        }
    }
}

impl OatOptions {
    /// Validates the options: the range in (0, 10) and between 1 and [`MAX_STEPS`] steps.
    pub fn check(self) -> Result<Checked<OatOptions>> {
        if !(self.range > 0.0 && self.range < 10.0) {
            return Err(OptionError::OatRange {
                max_steps: MAX_STEPS,
            }
            .into());
        }
        if self.steps == 0 || self.steps > MAX_STEPS {
            return Err(OptionError::OatSteps { max: MAX_STEPS }.into());
        }
        Ok(Checked::new(self))
    }
}

/// Leaf weights with factor `f`'s total weight set to `t` (others rescaled proportionally).
pub fn factor_weights(base: &[f64], f: &Factor, t: f64, out: &mut [f64]) {
    let w0: f64 = f.leaves.iter().map(|&l| base[l]).sum();
    let inside = if w0 > 0.0 { t / w0 } else { 0.0 };
    let outside = if w0 < 1.0 {
        (1.0 - t) / (1.0 - w0)
    } else {
        0.0
    };
    for (j, o) in out.iter_mut().enumerate() {
        *o = base[j] * outside;
    }
    for &l in &f.leaves {
        out[l] = base[l] * inside;
    }
}

/// The most steps accepted (OAT sweeps and the stability grid): far finer than any plot
/// needs, and the step buffers stay small.
pub const MAX_STEPS: usize = 100_000;

/// Runs the sweeps.
pub fn run(model: &Model<'_>, factors: &[Factor], opts: &Checked<OatOptions>) -> Result<Oat> {
    let (m, n) = (model.zones(), model.indicators());
    let steps = opts.steps + opts.steps % 2;
    let deltas: Vec<f64> = (0..=steps)
        .map(|k| -opts.range + 2.0 * opts.range * k as f64 / steps as f64)
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| model.base_ranks[i]);
    let ev = model.ev;
    let base_scores = model.scores(&ev.aggregated().value);
    let mut ranker = Ranker::default();
    let mut out_factors = Vec::with_capacity(factors.len());
    for f in factors {
        let w0: f64 = f.leaves.iter().map(|&l| model.base_weights[l]).sum();
        let mut weights = vec![0.0; deltas.len() * n];
        for (s, d) in deltas.iter().enumerate() {
            let t = (w0 * (1.0 + d)).clamp(0.0, 1.0);
            factor_weights(&model.base_weights, f, t, &mut weights[s * n..(s + 1) * n]);
        }
        let mut values = vec![0.0; deltas.len() * m];
        model.values(&weights, deltas.len(), &mut values)?;
        let mut ranks_out = Vec::with_capacity(deltas.len());
        let mut ranks = vec![0u32; m];
        let mut max_change = 0;
        for s in 0..deltas.len() {
            ranker.rank(
                &values[s * m..(s + 1) * m],
                model.higher_is_better,
                &mut ranks,
            );
            for (&r, &b) in ranks.iter().zip(&model.base_ranks) {
                max_change = max_change.max(r.abs_diff(b) as usize);
            }
            ranks_out.push(order.iter().map(|&i| ranks[i] as usize).collect());
        }
        let low = model.scores(&values[..m]);
        let high = model.scores(&values[(deltas.len() - 1) * m..]);
        out_factors.push(OatFactor {
            id: f.id.clone(),
            name: f.name.clone(),
            base_weight: w0,
            deltas: deltas.clone(),
            ranks: ranks_out,
            score_low: order.iter().map(|&i| low[i]).collect(),
            score_high: order.iter().map(|&i| high[i]).collect(),
            max_rank_change: max_change,
        });
    }
    Ok(Oat {
        analysis: "oat".into(),
        zones: order
            .iter()
            .map(|&i| ev.prepared().zones[ev.ranked()[i]].id.clone())
            .collect(),
        names: order
            .iter()
            .map(|&i| ev.prepared().zones[ev.ranked()[i]].name.clone())
            .collect(),
        base_scores: order.iter().map(|&i| base_scores[i]).collect(),
        factors: out_factors,
    })
}
