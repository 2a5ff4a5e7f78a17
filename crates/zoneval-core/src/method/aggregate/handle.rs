//! A built aggregation together with its entry's capabilities: what the rest of the engine
//! holds and runs, so that checks common to every aggregation live here once.

use std::fmt;

use super::{AggInput, Aggregate, Aggregated, BatchKernel, Capabilities, zone_weight_names};
use crate::error::Text;
use crate::method::{CellError, Entry, Kind};

/// Building from the aggregation registry hands out an [`Aggregation`].
impl Kind for dyn Aggregate {
    type Capabilities = Capabilities;
    type Built = Aggregation;
    fn built(entry: &Entry<Self>, method: Box<Self>) -> Aggregation {
        Aggregation {
            name: entry.info.name,
            caps: entry.caps,
            method,
        }
    }
}

/// An aggregation method with its declared capabilities.
pub struct Aggregation {
    name: &'static str,
    caps: Capabilities,
    method: Box<dyn Aggregate>,
}

impl fmt::Debug for Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aggregation")
            .field("name", &self.name)
            .field("caps", &self.caps)
            .field("method", &self.method)
            .finish()
    }
}

impl Aggregation {
    /// The registry name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What the method declared in its registry entry.
    pub fn capabilities(&self) -> Capabilities {
        self.caps
    }

    /// The normalisation it uses by default, or `None` when it carries its own.
    pub fn normalization(&self) -> Option<&'static str> {
        self.caps.normalization.default_name()
    }

    /// True when a larger value is better.
    pub fn higher_is_better(&self) -> bool {
        self.caps.higher_is_better
    }

    /// True when the value is linear in the weights.
    pub fn linear_in_weights(&self) -> bool {
        self.caps.linear_in_weights
    }

    /// Aggregates; warnings go to `notes`. Per-zone weights given to a method that does not
    /// declare it accepts them are an error (the evaluation refuses such systems up front;
    /// this guards direct library use).
    pub fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        if input.zone_weights.is_some() && !self.caps.zone_weights {
            return Err(no_zone_weights(self.name));
        }
        self.method.aggregate(input, notes)
    }

    /// A fast evaluator of many weight vectors, if the method has one (see
    /// [`Aggregate::batch_kernel`]).
    pub fn batch_kernel(&self, input: &AggInput<'_>) -> Option<Box<dyn BatchKernel>> {
        self.method.batch_kernel(input)
    }

    /// Maps values onto [0, 1], higher = better (see [`Aggregate::unit_score`]).
    pub fn unit_score(&self, value: &[f64]) -> Vec<f64> {
        self.method.unit_score(value, self.caps.higher_is_better)
    }
}

/// The error for per-zone weights given to an aggregation that cannot use them.
fn no_zone_weights(name: &str) -> CellError {
    let names = zone_weight_names();
    let (en, zh) = (names.join(" or "), names.join(" 或 "));
    CellError::general(crate::text!(
        "`{name}` cannot use indicators that apply only to some zones (`applies_to`); use {en}",
        "`{name}` 不支持仅适用于部分开发区的指标（`applies_to`）；请使用 {zh}"
    ))
}
