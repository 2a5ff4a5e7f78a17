//! What an aggregation is and accepts, declared once per method in its registry entry.
//!
//! Everything that depends on the kind of aggregation (exact contributions, the analytic grade
//! gap, the sensitivity kernel, the cost estimate of what-if runs, `applies_to` support, the
//! default normalisation, the sort order) reads these flags, so adding a method never means
//! editing a list of names elsewhere.

use super::REGISTRY;

/// Whether an aggregation reads a normalised matrix, and which normalisation it takes by
/// default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normalization {
    /// Reads the normalised matrix; the named normalisation applies unless the system or the
    /// command line chooses another.
    Default(&'static str),
    /// Carries its own normalisation and reads the criterion values (ignoring
    /// `[method] normalization`, which then feeds only the weighting).
    Intrinsic,
}

impl Normalization {
    /// The default normalisation's registry name, or `None` for an intrinsic one.
    pub const fn default_name(self) -> Option<&'static str> {
        match self {
            Normalization::Default(name) => Some(name),
            Normalization::Intrinsic => None,
        }
    }
}

/// The declared properties of an aggregation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Whether it takes a normalisation, and which by default.
    pub normalization: Normalization,
    /// A larger value is better (false for VIKOR's Q, which sorts ascending).
    pub higher_is_better: bool,
    /// The value is Σ_j w_j r_ij over the normalised matrix, so each indicator's part
    /// w_j r_ij is exact (contribution charts, the analytic grade gap). Implies
    /// `linear_in_weights`.
    pub additive: bool,
    /// The value is linear in the weights (V = Σ_j w_j F_j for fixed per-indicator columns
    /// F_j): sensitivity analysis evaluates thousands of weight vectors with one matrix
    /// product.
    pub linear_in_weights: bool,
    /// Compares every pair of zones (PROMETHEE-style outranking): one run costs zones² ×
    /// indicators rather than zones × indicators.
    pub pairwise: bool,
    /// Accepts per-zone weights (indicators that apply only to some zones, `applies_to`).
    pub zone_weights: bool,
    /// False when the value does not depend on the weights (PCA, DEA, benefit of the doubt):
    /// sensitivity analyses over the weights are then refused.
    pub uses_weights: bool,
    /// Works between the top-level criteria as subsystems (coupling coordination): a flat
    /// system is refused when the method is resolved.
    pub needs_criteria: bool,
    /// A zone's value depends only on its own normalised row and the weights (no reference
    /// point taken from the other zones): base-year goalposts carry over to the scores.
    pub row_wise: bool,
}

impl Capabilities {
    /// An aggregation with its own normalisation, higher is better, and none of the optional
    /// properties.
    pub const INTRINSIC: Capabilities = Capabilities {
        normalization: Normalization::Intrinsic,
        higher_is_better: true,
        additive: false,
        linear_in_weights: false,
        pairwise: false,
        zone_weights: false,
        uses_weights: true,
        needs_criteria: false,
        row_wise: false,
    };

    /// An aggregation of the matrix normalised by `default` (unless chosen otherwise), higher
    /// is better, and none of the optional properties.
    pub const fn normalized(default: &'static str) -> Capabilities {
        Capabilities {
            normalization: Normalization::Default(default),
            ..Capabilities::INTRINSIC
        }
    }
}

/// The capabilities of the aggregation `name`, or `None` when there is no such aggregation
/// (e.g. a results file written by a version that had one).
pub fn capabilities(name: &str) -> Option<Capabilities> {
    crate::method::capabilities(REGISTRY, name)
}

/// The aggregations that accept per-zone weights, in registry order (for messages).
pub fn zone_weight_names() -> Vec<&'static str> {
    REGISTRY
        .iter()
        .filter(|e| e.caps.zone_weights)
        .map(|e| e.info.name)
        .collect()
}
