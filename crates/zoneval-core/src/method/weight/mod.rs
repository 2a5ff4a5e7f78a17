//! Weightings: the final global weight of every leaf indicator (non-negative, sum 1).
//!
//! Subjective weightings (`expert`, `ahp`, `equal`) read the indicator tree; objective ones
//! (`entropy`, `critic`, `std-dev`, `cv`) read the data; `combined` multiplies the two. For
//! hierarchical systems objective weights are computed over all leaves at once, and a
//! criterion's weight is the sum of its leaves' weights.

use std::fmt;

use super::{CellError, ColumnSpec, Entry, Kind, Matrix, NamedColumn};
use crate::error::Text;

pub mod ahp;
pub mod ahp_group;
mod combined;
mod critic;
mod cv;
mod entropy;
mod equal;
mod expert;
mod std_dev;
pub mod tree;

pub use tree::WeightTree;

/// What a weighting may read.
#[derive(Clone, Copy, Debug)]
pub struct WeightInput<'a> {
    /// Raw indicator values (after derivation, imputation and outlier treatment).
    pub raw: &'a Matrix,
    /// The evaluation's normalised matrix (benefit-oriented).
    pub normalized: &'a Matrix,
    /// Direction and ideal values per indicator.
    pub specs: &'a [ColumnSpec],
    /// The indicator tree with written weights and AHP judgements.
    pub tree: &'a WeightTree,
}

/// Consistency of one AHP judgement matrix.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Consistency {
    /// The node whose children were judged.
    pub node: String,
    /// Principal eigenvalue.
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1).
    pub ci: f64,
    /// Consistency ratio CI/RI.
    pub cr: f64,
}

/// The result of a weighting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeightOutput {
    /// Global leaf weights, in indicator order, summing to 1.
    pub weights: Vec<f64>,
    /// AHP consistency of every judged node (empty for other methods).
    pub consistency: Vec<Consistency>,
    /// Per-indicator intermediate values (entropy E_j, CRITIC C_j, …) for explanation.
    pub table: Vec<NamedColumn>,
}

/// A weighting method.
pub trait Weigh: Send + Sync + fmt::Debug {
    /// Computes global leaf weights; warnings go to `notes`.
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError>;
}

/// What a weighting reads, declared once in its registry entry; method resolution checks a
/// system against these instead of comparing names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The weights come from the indicator tree alone, not from the data, so they can be
    /// renormalised zone by zone for indicators that apply only to some zones (`applies_to`).
    pub subjective: bool,
    /// Reads the weights written in the system (AHP judgements standing in where given): every
    /// sibling group needs them, and groups not summing to 1 are rescaled with a warning.
    pub written_weights: bool,
    /// Needs pairwise judgements (`ahp = [[…]]`) on at least one node.
    pub judgements: bool,
}

impl Capabilities {
    /// An objective weighting: computed from the data alone.
    pub const OBJECTIVE: Capabilities = Capabilities {
        subjective: false,
        written_weights: false,
        judgements: false,
    };
}

impl Kind for dyn Weigh {
    type Capabilities = Capabilities;
    type Built = Box<dyn Weigh>;
    fn built(_: &Entry<Self>, method: Box<Self>) -> Box<dyn Weigh> {
        method
    }
}

/// The capabilities of the weighting `name`, or `None` when there is no such weighting.
pub fn capabilities(name: &str) -> Option<Capabilities> {
    super::capabilities(REGISTRY, name)
}

/// Every weighting, in the order `zoneval methods` lists them.
pub static REGISTRY: &[Entry<dyn Weigh>] = &[
    expert::ENTRY,
    equal::ENTRY,
    ahp::ENTRY,
    entropy::ENTRY,
    critic::ENTRY,
    std_dev::ENTRY,
    cv::ENTRY,
    combined::ENTRY,
];

/// Divides `w` by its sum. A zero or non-finite sum is an error: every weighting must leave
/// at least one indicator with positive weight.
pub fn normalize_sum(w: &mut [f64]) -> Result<(), CellError> {
    let mut s: f64 = w.iter().sum();
    // Finite weights whose sum overflows (three weights of 1e308): scaled by the largest
    // first. Only then, so every ordinary sum rounds exactly as before.
    if s.is_infinite() && w.iter().all(|x| x.is_finite()) {
        let m = w.iter().fold(0.0f64, |a, &x| a.max(x.abs()));
        w.iter_mut().for_each(|x| *x /= m);
        s = w.iter().sum();
    }
    if !(s > 0.0 && s.is_finite()) {
        return Err(CellError::general(crate::text!(
            "all weights are zero: no indicator can discriminate between the zones",
            "所有权重均为 0：没有能区分各开发区的指标"
        )));
    }
    w.iter_mut().for_each(|x| *x /= s);
    Ok(())
}

/// Arithmetic mean.
pub(crate) fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Standard deviation with divisor `n − ddof`.
pub(crate) fn std(x: &[f64], ddof: usize) -> f64 {
    let m = mean(x);
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    (ss / (x.len().saturating_sub(ddof)).max(1) as f64).sqrt()
}

/// The id of indicator (leaf) `j` in `tree`, for warnings; `#j` (1-based) when the tree does
/// not name it.
pub(crate) fn indicator_id(tree: &WeightTree, j: usize) -> String {
    tree.nodes
        .iter()
        .find(|n| n.leaf == Some(j))
        .map_or_else(|| format!("#{}", j + 1), |n| n.id.clone())
}

/// The warning for an indicator that an objective weighting gives weight 0 because its values
/// do not vary (or are all zero), naming the method and the indicator.
pub(crate) fn zero_weight_note(method: &str, id: &str, why: &Text) -> Text {
    let (we, wz) = (&why.en, &why.zh);
    crate::text!(
        "`{method}`: indicator `{id}` gets weight 0 ({we})",
        "`{method}`：指标 `{id}` 权重为 0（{wz}）"
    )
}

/// Which matrix a weighting reads (`on = "raw" | "normalized"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum On {
    /// The raw indicator values.
    Raw,
    /// The evaluation's normalised matrix.
    Normalized,
}

impl On {
    /// Reads `on = "raw" | "normalized"` with `default`.
    pub(crate) fn parse(p: &super::Params, default: On) -> Result<On, crate::error::Problem> {
        let d = match default {
            On::Raw => "raw",
            On::Normalized => "normalized",
        };
        Ok(match p.choice("on", &["raw", "normalized"], d)? {
            "raw" => On::Raw,
            _ => On::Normalized,
        })
    }

    /// The matrix selected from `input`.
    pub(crate) fn matrix<'a>(self, input: &WeightInput<'a>) -> &'a Matrix {
        match self {
            On::Raw => input.raw,
            On::Normalized => input.normalized,
        }
    }
}

#[cfg(test)]
mod capability_tests;

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers shared by the weighting tests.
    use super::*;
    use crate::method::Direction;

    /// An input whose indicators are all benefit (the specs are leaked: tests only).
    pub fn input_for<'a>(
        raw: &'a Matrix,
        normalized: &'a Matrix,
        tree: &'a WeightTree,
    ) -> WeightInput<'a> {
        let specs = vec![ColumnSpec::new(Direction::Benefit); raw.cols()].leak();
        WeightInput {
            raw,
            normalized,
            specs,
            tree,
        }
    }

    /// Runs `method` on `rows` as one flat level of benefit indicators a, b, c, … (raw and
    /// normalised matrices alike); returns its result and its notes.
    pub fn weigh_flat(
        method: &dyn Weigh,
        rows: &[Vec<f64>],
    ) -> (Result<WeightOutput, CellError>, Vec<Text>) {
        let m = Matrix::from_rows(rows);
        let tree = WeightTree::flat(&["a", "b", "c", "d", "e"][..m.cols()], None, None);
        let input = input_for(&m, &m, &tree);
        let mut notes = Vec::new();
        let w = method.weigh(&input, &mut notes);
        (w, notes)
    }

    /// Asserts element-wise closeness.
    pub fn assert_close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len(), "got {got:?}");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol,
                "element {i}: got {g}, want {w} (±{tol})\n got {got:?}"
            );
        }
    }
}
