//! Sensitivity and uncertainty analysis of a ranking: one-at-a-time sweeps, weight stability
//! intervals, Monte Carlo (with SMAA acceptabilities), Sobol indices and rank-reversal checks.
//!
//! Every analysis reuses the base evaluation's normalised matrix through a [`model::Model`];
//! all are parallel with rayon and produce bit-identical output for any thread count and
//! across runs with the same seed.

pub mod model;
pub mod monte_carlo;
pub mod oat;
pub mod rank_reversal;
pub mod rank_stats;
pub mod results;
pub mod sobol;
pub mod stability;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use results::*;

/// A progress bar on stderr that appears only when a run has lasted over a second (and
/// stderr is a terminal); it never touches stdout.
pub struct Progress {
    bar: ProgressBar,
    enabled: bool,
    shown: AtomicBool,
    start: Instant,
}

impl Progress {
    /// A progress reporter; `enabled = false` never draws.
    pub fn new(enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            enabled,
            shown: AtomicBool::new(false),
            start: Instant::now(),
        }
    }

    /// A reporter that never draws.
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// Starts counting towards `total`.
    pub fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    /// Adds `n` done; shows the bar once the run has taken more than a second.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() > Duration::from_secs(1)
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
