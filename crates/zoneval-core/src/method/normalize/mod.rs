//! Normalisations: one indicator column of raw values → benefit-oriented scores.
//!
//! Every normalisation returns values where higher is better. Target and range indicators are
//! first turned into their deviation from the target or interval (a cost), so each method
//! needs only a benefit and a cost form; `ideal` reads the raw values directly.

use std::borrow::Cow;
use std::fmt;

use super::{CellError, ColumnSpec, Direction, Entry, Kind};
use crate::error::Text;

mod ideal;
mod max;
mod min_max;
mod none;
mod rank;
mod sum;
mod target;
mod vector;
mod z_score;

/// A normalisation method.
pub trait Normalize: Send + Sync + fmt::Debug {
    /// Checks, when the system is loaded, that this method can handle the indicator (e.g.
    /// `ideal` needs an ideal value); the message says what is missing.
    fn check(&self, spec: &ColumnSpec) -> Result<(), Text> {
        let _ = spec;
        Ok(())
    }

    /// Normalises column `x` into `out` (same length), higher = better. Warnings (such as a
    /// constant column) go to `notes`.
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError>;

    /// Whether [`Normalize::apply_with_reference`] is implemented (base-year goalposts).
    fn takes_reference(&self) -> bool {
        false
    }

    /// Normalises `x` with the statistics (min/max, mean/sd, Σ, √Σx², …) of `reference`
    /// instead of its own: base-year goalposts. Values of `x` may then leave the range the
    /// reference's normalised values span. Only called when [`Normalize::takes_reference`].
    fn apply_with_reference(
        &self,
        reference: &[f64],
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let _ = (reference, x, spec, out, notes);
        Err(CellError::general(crate::text!(
            "this normalisation has no base-year form",
            "该标准化方法不支持基年标准化"
        )))
    }
}

/// Fixed min-max goalposts `[low, high]` of an indicator: benefit (x − low)/(high − low),
/// cost (high − x)/(high − low), clamped to [0, 1]. It reads no statistics of the data, so it
/// gives the same value to the same raw value in every year and under every `goalposts`.
#[derive(Debug)]
pub struct FixedGoalposts {
    /// Value mapped to 0 (benefit) or 1 (cost).
    pub low: f64,
    /// Value mapped to 1 (benefit) or 0 (cost).
    pub high: f64,
}

impl Normalize for FixedGoalposts {
    fn check(&self, spec: &ColumnSpec) -> Result<(), Text> {
        match spec.direction {
            Direction::Benefit | Direction::Cost => Ok(()),
            _ => Err(crate::text!(
                "fixed `goalposts` need direction benefit or cost",
                "固定 `goalposts` 要求指标方向为 benefit 或 cost"
            )),
        }
    }

    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        _notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let inv = 1.0 / (self.high - self.low);
        let cost = spec.direction.is_cost();
        for (o, &a) in out.iter_mut().zip(x) {
            let r = ((a - self.low) * inv).clamp(0.0, 1.0);
            *o = if cost { 1.0 - r } else { r };
        }
        Ok(())
    }

    fn takes_reference(&self) -> bool {
        true
    }

    fn apply_with_reference(
        &self,
        _reference: &[f64],
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        self.apply(x, spec, out, notes)
    }
}

/// Normalisations declare no capabilities: each only maps one column, higher = better.
impl Kind for dyn Normalize {
    type Capabilities = ();
    type Built = Box<dyn Normalize>;
    fn built(_: &Entry<Self>, method: Box<Self>) -> Box<dyn Normalize> {
        method
    }
}

/// Every normalisation, in the order `zoneval methods` lists them.
pub static REGISTRY: &[Entry<dyn Normalize>] = &[
    min_max::ENTRY,
    vector::ENTRY,
    z_score::ENTRY,
    sum::ENTRY,
    max::ENTRY,
    ideal::ENTRY,
    target::ENTRY,
    rank::ENTRY,
    none::ENTRY,
];

/// The criterion values of a column and whether lower is better: raw values for benefit and
/// cost, deviations (a cost) for target and range.
pub fn oriented<'a>(x: &'a [f64], direction: &Direction) -> (Cow<'a, [f64]>, bool) {
    match direction {
        Direction::Benefit => (Cow::Borrowed(x), false),
        Direction::Cost => (Cow::Borrowed(x), true),
        d => (
            Cow::Owned(x.iter().map(|&v| d.criterion_value(v)).collect()),
            true,
        ),
    }
}

/// Smallest and largest value (±∞ for an empty column).
pub fn min_max_of(x: &[f64]) -> (f64, f64) {
    // Four lanes of plain comparisons (which vectorise, unlike `f64::min`'s NaN handling);
    // values reaching here are finite.
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..4 {
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
        }
    }
    let mut out = (
        lo[0].min(lo[1]).min(lo[2]).min(lo[3]),
        hi[0].max(hi[1]).max(hi[2]).max(hi[3]),
    );
    for &v in rest {
        out = (out.0.min(v), out.1.max(v));
    }
    out
}

/// The warning for a constant column.
pub(crate) fn constant_note(value: f64) -> Text {
    crate::text!(
        "constant column (every zone {value}): it cannot discriminate",
        "该列为常数（均为 {value}），不具区分度"
    )
}

/// The error for a zero that a cost form would divide by.
pub(crate) fn zero_under_cost(row: usize, method: &str) -> CellError {
    CellError::at_row(
        row,
        crate::text!(
            "value 0 under the cost form of `{method}`, which divides by the value",
            "`{method}` 的成本型公式以该值为除数，不能为 0"
        ),
    )
}

/// The error for a negative value where only non-negative ones make sense.
pub(crate) fn negative_value(row: usize, v: f64, method: &str) -> CellError {
    CellError::at_row(
        row,
        crate::text!(
            "negative value {v}: `{method}` needs values ≥ 0",
            "`{method}` 要求数值非负，此处为 {v}"
        ),
    )
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers shared by the normalisation tests.
    use super::*;

    /// Applies `n` to `x` with `spec`, panicking on error.
    pub fn run(n: &dyn Normalize, x: &[f64], spec: ColumnSpec) -> Vec<f64> {
        let mut out = vec![0.0; x.len()];
        n.apply(x, &spec, &mut out, &mut Vec::new())
            .expect("normalisation failed");
        out
    }

    /// Asserts element-wise closeness.
    pub fn assert_close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol,
                "element {i}: got {g}, want {w} (±{tol})\n got {got:?}"
            );
        }
    }
}
