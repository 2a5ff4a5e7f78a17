//! Result types of the sensitivity analyses, shared by the JSON/CSV output and the report.
//!
//! Field names follow DESIGN.md's "Sensitivity — contract" where it fixes them.

use serde::{Deserialize, Serialize};

/// Per-zone Monte Carlo summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct McZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Rank in the base evaluation (ordinal).
    pub base_rank: usize,
    /// Mean rank over the samples.
    pub mean_rank: f64,
    /// 5th percentile of the sample ranks (numpy linear interpolation).
    pub p05: f64,
    /// Median rank.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Share of samples with rank ≤ K.
    pub p_top: f64,
    /// SMAA rank acceptability: share of samples with rank r, for r = 1..=K.
    #[serde(default)]
    pub acceptability: Vec<f64>,
    /// SMAA central weight vector: mean weights of the samples where the zone ranks first
    /// (empty when it never does: null in JSON, so the key is always present).
    #[serde(default, with = "empty_as_null")]
    pub central_weights: Vec<f64>,
}

/// Monte Carlo over weights (and optionally methods and dropped indicators).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonteCarlo {
    /// Always "monte-carlo".
    pub analysis: String,
    /// Number of samples.
    pub samples: usize,
    /// K of `p_top` and acceptability.
    pub top: usize,
    /// Zones in base-rank order.
    pub zones: Vec<McZone>,
    /// Ids of the weights sampled (leaf indicators), for `central_weights`.
    #[serde(default)]
    pub weight_ids: Vec<String>,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
    /// Mean over samples of the mean absolute rank shift from the base.
    #[serde(default)]
    pub mean_rank_shift: f64,
    /// Mean Spearman correlation of sample ranks with base ranks.
    #[serde(default)]
    pub spearman: f64,
    /// Mean Kendall τ of sample ranks with base ranks.
    #[serde(default)]
    pub kendall: f64,
    /// Samples Kendall's τ was averaged over (all, or a deterministic stride of them when
    /// samples × zones is large).
    #[serde(default)]
    pub kendall_samples: usize,
    /// Ranks per histogram bin: 1 = exact percentiles; larger = the documented sketch whose
    /// percentile error is below this many ranks.
    #[serde(default)]
    pub rank_bin: usize,
}

/// First-order and total indices with bootstrap confidence half-widths, per factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Indices {
    /// First-order S1 per factor (keyed by factor id, in factor order).
    #[serde(rename = "S1")]
    pub s1: indexmap_like::Map,
    /// 1.96 × bootstrap standard deviation of S1.
    #[serde(rename = "S1_conf")]
    pub s1_conf: indexmap_like::Map,
    /// Total-order ST.
    #[serde(rename = "ST")]
    pub st: indexmap_like::Map,
    /// 1.96 × bootstrap standard deviation of ST.
    #[serde(rename = "ST_conf")]
    pub st_conf: indexmap_like::Map,
}

/// Sobol indices of one zone's composite value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SobolZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Base rank (ordinal).
    pub base_rank: usize,
    /// The indices.
    #[serde(flatten)]
    pub indices: Indices,
}

/// Variance-based sensitivity (Saltelli design, Jansen/Saltelli estimators).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sobol {
    /// Always "sobol".
    pub analysis: String,
    /// Base points N.
    pub samples: usize,
    /// Factor ids.
    pub factors: Vec<String>,
    /// Zones in base-rank order.
    pub zones: Vec<SobolZone>,
    /// Indices of the mean absolute rank shift.
    pub rank_shift: Indices,
}

/// One factor's one-at-a-time sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OatFactor {
    /// Factor (criterion or indicator) id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The factor's base weight.
    pub base_weight: f64,
    /// Relative changes applied (e.g. −0.5 … +0.5).
    pub deltas: Vec<f64>,
    /// Per delta, per zone (base-rank order): ordinal rank.
    pub ranks: Vec<Vec<usize>>,
    /// Tornado data: per zone (base-rank order), the score at the smallest and the largest delta.
    pub score_low: Vec<f64>,
    /// See `score_low`.
    pub score_high: Vec<f64>,
    /// Largest absolute rank change of any zone over the sweep.
    pub max_rank_change: usize,
}

/// One-at-a-time weight sweeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Oat {
    /// Always "oat".
    pub analysis: String,
    /// Zone ids in base-rank order.
    pub zones: Vec<String>,
    /// Zone names in base-rank order.
    pub names: Vec<String>,
    /// Base display scores in base-rank order.
    pub base_scores: Vec<f64>,
    /// One sweep per factor.
    pub factors: Vec<OatFactor>,
}

/// The interval of one weight within which an order stays unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StabilityInterval {
    /// Factor id.
    pub id: String,
    /// Base weight.
    pub base_weight: f64,
    /// Lowest weight keeping the top-K order (other weights rescaled proportionally).
    pub low: f64,
    /// Highest such weight.
    pub high: f64,
    /// Per zone (base-rank order): (low, high) keeping that zone's rank.
    pub zone_intervals: Vec<(f64, f64)>,
}

/// Weight stability intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stability {
    /// Always "stability".
    pub analysis: String,
    /// K of the top-K order.
    pub top: usize,
    /// Zone ids in base-rank order.
    pub zones: Vec<String>,
    /// Exact (linear crossings) or bisection.
    pub exact: bool,
    /// One interval per factor.
    pub factors: Vec<StabilityInterval>,
}

/// A pair of zones whose order flipped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reversal {
    /// What was done: "remove <id>" or "copy <id>".
    pub change: String,
    /// The pair, better-before first.
    pub pair: (String, String),
}

/// Rank-reversal checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankReversal {
    /// Always "rank-reversal".
    pub analysis: String,
    /// Every flipped pair.
    pub reversals: Vec<Reversal>,
    /// Number of changes tried.
    pub checks: usize,
}

/// Whatever sensitivity analyses were run, for the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SensitivityResults {
    /// Monte Carlo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo>,
    /// Sobol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sobol: Option<Sobol>,
    /// OAT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oat: Option<Oat>,
    /// Stability intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability: Option<Stability>,
    /// Rank reversal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_reversal: Option<RankReversal>,
}

/// An empty list written as null (and null or absent read as empty).
mod empty_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        if v.is_empty() {
            s.serialize_none()
        } else {
            s.collect_seq(v)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Option::<Vec<f64>>::deserialize(d)?.unwrap_or_default())
    }
}

/// An insertion-ordered string → f64 map (factor order matters in output).
pub mod indexmap_like {
    use serde::{Deserialize, Serialize};

    /// Ordered map of factor id → value, serialised as a JSON object in insertion order.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(transparent)]
    pub struct Map(pub serde_json::Map<String, serde_json::Value>);

    impl Map {
        /// Builds from ids and values.
        pub fn from_pairs(ids: &[String], values: &[f64]) -> Map {
            Map(ids
                .iter()
                .zip(values)
                .map(|(k, v)| (k.clone(), serde_json::json!(v)))
                .collect())
        }

        /// The values in order.
        pub fn values(&self) -> Vec<f64> {
            self.0
                .values()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect()
        }

        /// The keys in order.
        pub fn keys(&self) -> Vec<String> {
            self.0.keys().cloned().collect()
        }
    }
}
