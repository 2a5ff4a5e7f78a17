//! The terminal progress bar: the CLI's [`Progress`] for long sensitivity runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zoneval_core::sensitivity::Progress;

/// A progress bar on stderr that appears only when a run has lasted over a second (and
/// stderr is a terminal); it never touches stdout.
pub struct Bar {
    bar: ProgressBar,
    shown: AtomicBool,
    start: Instant,
}

impl Bar {
    /// A bar that stays hidden until the run has taken a second.
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            shown: AtomicBool::new(false),
            start: Instant::now(),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn inc(&self, n: u64) {
        self.bar.inc(n);
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() > Duration::from_secs(1) {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
