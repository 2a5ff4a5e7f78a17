//! Sensitivity and uncertainty analysis of a ranking: one-at-a-time sweeps, weight stability
//! intervals, Monte Carlo (with SMAA acceptabilities), Sobol indices and rank-reversal checks.
//!
//! Every analysis reuses the base evaluation's normalised matrix through a [`model::Model`];
//! all are parallel with rayon and produce bit-identical output for any thread count and
//! across runs with the same seed. [`plan::run`] runs any of them from options checked once
//! ([`checked::Checked`]); [`input_files`] reads the weight and multiplier files they replay.

pub mod checked;
pub mod input_files;
pub mod model;
pub mod monte_carlo;
pub mod oat;
pub mod plan;
pub mod rank_reversal;
pub mod rank_stats;
pub mod results;
pub mod sobol;
pub mod stability;

pub use results::*;

/// Progress of a long analysis, reported as units of work done out of a total. The engine
/// calls it from worker threads; front ends draw it (the CLI's progress bar) or ignore it.
pub trait Progress: Sync {
    /// Starts counting towards `total`.
    fn start(&self, total: u64);
    /// Adds `n` done.
    fn inc(&self, n: u64);
    /// The analysis has ended.
    fn finish(&self) {}
}

/// A [`Progress`] that reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _total: u64) {}
    fn inc(&self, _n: u64) {}
}
