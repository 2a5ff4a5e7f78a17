//! Aggregations: normalised (or raw) indicator values and weights → one value per zone.
//!
//! Each aggregation declares its [`Capabilities`] once, in its registry entry: which way its
//! value sorts, whether it takes a normalisation (weighted sum, weighted product, TOPSIS, grey
//! relational) or carries its own (VIKOR, PROMETHEE II, COPRAS, EDAS, MABAC, RSR), whether it
//! is additive, linear in the weights, pairwise, and accepts per-zone weights. It returns its
//! intermediate tables (TOPSIS D⁺/D⁻, VIKOR S/R/Q, PROMETHEE φ⁺/φ⁻, …) so that a result can be
//! explained. Evaluation code runs it through an [`Aggregation`] handle, which carries those
//! capabilities and enforces the ones every method shares.

use std::fmt;

use super::weight::WeightTree;
use super::{CellError, Entry, Matrix, NamedColumn};
use crate::error::Text;

pub mod bod;
mod capabilities;
mod copras;
pub mod coupling;
pub mod dea;
mod edas;
mod grey_relational;
mod handle;
mod lp;
mod mabac;
pub mod pca;
pub mod preference;
mod promethee_ii;
mod rsr;
mod topsis;
mod vikor;
mod weighted_product;
mod weighted_sum;

pub use capabilities::{Capabilities, Normalization, capabilities, zone_weight_names};
pub use handle::Aggregation;
pub use preference::Preference;

/// What an aggregation may read.
#[derive(Clone, Copy, Debug)]
pub struct AggInput<'a> {
    /// The normalised matrix (benefit-oriented), for aggregations that take a normalisation.
    pub normalized: &'a Matrix,
    /// Criterion values: raw values, with target and range indicators replaced by their
    /// deviation from the target or interval (then a cost). Intrinsic methods read these.
    pub values: &'a Matrix,
    /// Per indicator: true when lower criterion values are better.
    pub cost: &'a [bool],
    /// Global indicator weights (sum 1).
    pub weights: &'a [f64],
    /// PROMETHEE preference function per indicator.
    pub preferences: &'a [Preference],
    /// Per-zone weights (zones × indicators, each row summing to 1) when some indicators apply
    /// only to some zones; only aggregations declaring [`Capabilities::zone_weights`] get it.
    pub zone_weights: Option<&'a Matrix>,
    /// The indicator tree, for aggregations over subsystems (coupling coordination's
    /// top-level criteria); `None` when the aggregation runs on a part of the system (a
    /// criterion's sub-score) or outside an evaluation.
    pub tree: Option<&'a WeightTree>,
}

/// The indicators' ids for explanation labels: from the tree when the aggregation runs on the
/// whole system, else `indicator 1`, `indicator 2`, ….
pub(crate) fn indicator_ids(input: &AggInput<'_>) -> Vec<String> {
    let p = input.normalized.cols();
    let mut ids: Vec<String> = (1..=p).map(|j| format!("indicator {j}")).collect();
    if let Some(tree) = input.tree {
        for node in &tree.nodes {
            if let Some(j) = node.leaf.filter(|&j| j < p) {
                ids[j] = node.id.clone();
            }
        }
    }
    ids
}

/// The result of an aggregation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregated {
    /// The method's own value per zone (TOPSIS closeness, VIKOR Q, net flow, …).
    pub value: Vec<f64>,
    /// Intermediate per-zone tables, for explanation.
    pub tables: Vec<NamedColumn>,
    /// Per zone, the zones it is measured against, as (row of the aggregated matrix, weight):
    /// DEA's peers with their λ. Empty when the method has none.
    pub references: Vec<Vec<(usize, f64)>>,
    /// Per-indicator tables, one value per indicator (PCA's loadings and implied weights).
    pub indicator_tables: Vec<NamedColumn>,
    /// Statistics of the whole evaluation, each one number or a list (PCA's eigenvalues,
    /// variance shares, KMO, Bartlett's test).
    pub statistics: Vec<NamedColumn>,
}

/// An aggregation method. Its properties are declared in its registry entry's
/// [`Capabilities`], not here; run it through [`Aggregation`].
pub trait Aggregate: Send + Sync + fmt::Debug {
    /// Aggregates; warnings go to `notes`. Per-zone weights reach it only when it declares
    /// [`Capabilities::zone_weights`].
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError>;

    /// A fast evaluator of many weight vectors for this input (e.g. TOPSIS via precomputed
    /// squared distances), used by sensitivity analysis; `None` means "call `aggregate` per
    /// weight vector". Aggregations linear in the weights need none: sensitivity analysis
    /// builds their matrix-product kernel itself.
    fn batch_kernel(&self, input: &AggInput<'_>) -> Option<Box<dyn BatchKernel>> {
        let _ = input;
        None
    }

    /// Maps values onto [0, 1], higher = better, for the display score and grades, given the
    /// declared order of the values. The default keeps values that already lie in [0, 1]
    /// (flipped when lower is better) and otherwise rescales min–max across the zones (a
    /// relative score).
    fn unit_score(&self, value: &[f64], higher_is_better: bool) -> Vec<f64> {
        unit_interval_or_rescale(value, higher_is_better)
    }
}

/// Evaluates many weight vectors at once.
pub trait BatchKernel: Send + Sync {
    /// `weights` holds `samples` weight vectors one after another (row-major, each summing
    /// to 1); writes the value of zone i under sample s to `out[s * zones + i]`.
    fn values(&self, weights: &[f64], samples: usize, out: &mut [f64]);
}

/// `out = F · Wᵀ` for a zones × indicators matrix F (column-major, as [`Matrix`]) and
/// `samples` weight vectors W (row-major), via a blocked matrix product; `out` is
/// sample-major (`out[s * zones + i]`), i.e. column-major zones × samples.
pub fn matmul_weights(f: &Matrix, weights: &[f64], samples: usize, out: &mut [f64]) {
    let (m, n) = (f.rows(), f.cols());
    assert_eq!(
        weights.len(),
        samples * n,
        "one weight per indicator and sample"
    );
    assert_eq!(out.len(), m * samples, "one value per zone and sample");
    if m == 0 || samples == 0 {
        return;
    }
    // SAFETY: the pointers cover the slices checked above, with strides in elements:
    // F (m × n) column-major → row stride 1, column stride m; Wᵀ (n × samples) read from
    // row-major W → row stride 1, column stride n; out (m × samples) column-major.
    unsafe {
        matrixmultiply::dgemm(
            m,
            n,
            samples,
            1.0,
            f.as_slice().as_ptr(),
            1,
            m as isize,
            weights.as_ptr(),
            1,
            n as isize,
            0.0,
            out.as_mut_ptr(),
            1,
            m as isize,
        );
    }
}

/// The batch kernel of an aggregation that is linear in the weights: V = F · w.
pub struct LinearKernel {
    /// Per-indicator value columns F_j (the value with all weight on indicator j).
    pub f: Matrix,
}

impl BatchKernel for LinearKernel {
    fn values(&self, weights: &[f64], samples: usize, out: &mut [f64]) {
        matmul_weights(&self.f, weights, samples, out);
    }
}

/// Every aggregation, in the order `zoneval methods` lists them.
pub static REGISTRY: &[Entry<dyn Aggregate>] = &[
    weighted_sum::ENTRY,
    weighted_product::ENTRY,
    topsis::ENTRY,
    vikor::ENTRY,
    grey_relational::ENTRY,
    promethee_ii::ENTRY,
    copras::ENTRY,
    edas::ENTRY,
    mabac::ENTRY,
    rsr::ENTRY,
    pca::ENTRY,
    dea::ENTRY,
    bod::ENTRY,
    coupling::ENTRY,
];

/// Values in [0, 1] are kept (as 1 − v when lower is better); otherwise min–max rescaled.
pub fn unit_interval_or_rescale(value: &[f64], higher_is_better: bool) -> Vec<f64> {
    const SLACK: f64 = 1e-12;
    if value.iter().all(|v| (-SLACK..=1.0 + SLACK).contains(v)) {
        return value
            .iter()
            .map(|&v| {
                let v = v.clamp(0.0, 1.0);
                if higher_is_better { v } else { 1.0 - v }
            })
            .collect();
    }
    let (lo, hi) = super::normalize::min_max_of(value);
    let range = hi - lo;
    value
        .iter()
        .map(|&v| {
            let u = if range > 0.0 { (v - lo) / range } else { 1.0 };
            if higher_is_better { u } else { 1.0 - u }
        })
        .collect()
}

#[cfg(test)]
mod capability_tests;

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers shared by the aggregation tests.
    use super::*;

    /// Runs `a` on criterion values `rows` (zones × indicators) with `cost` flags and
    /// `weights`, normalising with `norm` (a registry name; identity when `None`).
    pub fn run(
        a: &dyn Aggregate,
        rows: &[Vec<f64>],
        cost: &[bool],
        weights: &[f64],
        norm: Option<&str>,
    ) -> Aggregated {
        let values = Matrix::from_rows(rows);
        let normalized = normalize_all(&values, cost, norm);
        let prefs = vec![Preference::Usual; cost.len()];
        let input = AggInput {
            normalized: &normalized,
            values: &values,
            cost,
            weights,
            preferences: &prefs,
            zone_weights: None,
            tree: None,
        };
        a.aggregate(&input, &mut Vec::new())
            .expect("aggregation failed")
    }

    /// Runs `a` directly on `rows` (used as both the normalised and the raw matrix), keeping
    /// the error and the warnings.
    pub fn try_run(
        a: &dyn Aggregate,
        rows: &[Vec<f64>],
        cost: &[bool],
        weights: &[f64],
    ) -> (Result<Aggregated, CellError>, Vec<Text>) {
        let values = Matrix::from_rows(rows);
        let prefs = vec![Preference::Usual; cost.len()];
        let input = AggInput {
            normalized: &values,
            values: &values,
            cost,
            weights,
            preferences: &prefs,
            zone_weights: None,
            tree: None,
        };
        let mut notes = Vec::new();
        (a.aggregate(&input, &mut notes), notes)
    }

    /// Normalises every column with the named method (identity when `None`).
    pub fn normalize_all(values: &Matrix, cost: &[bool], norm: Option<&str>) -> Matrix {
        use crate::method::{ColumnSpec, Direction, MethodKind, Params, build, normalize};
        let Some(norm) = norm else {
            return values.clone();
        };
        let n = build(
            normalize::REGISTRY,
            MethodKind::Normalization,
            &Params::named(norm),
        )
        .unwrap();
        let mut out = values.clone();
        for (j, &c) in cost.iter().enumerate() {
            let spec = ColumnSpec::new(if c {
                Direction::Cost
            } else {
                Direction::Benefit
            });
            n.apply(values.col(j), &spec, out.col_mut(j), &mut Vec::new())
                .unwrap();
        }
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

    /// The named table of an aggregation result.
    pub fn table<'a>(a: &'a Aggregated, key: &str) -> &'a [f64] {
        &a.tables
            .iter()
            .find(|t| t.key == key)
            .unwrap_or_else(|| panic!("no table {key}"))
            .values
    }
}
