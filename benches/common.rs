//! Synthetic inputs for the benchmarks: the tests' generator (`tests/common/synthetic.rs`),
//! under the short names the benchmarks use.

#![allow(dead_code)]

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use std::sync::Arc;

use zoneval_core::evaluation::{Evaluation, Prepared};
use zoneval_core::system::IndicatorSystem;

use synthetic::Flat;

/// A flat system with `n` indicators and the given methods.
pub fn system_toml(n: usize, normalization: &str, weighting: &str, aggregation: &str) -> String {
    Flat::new(0, n)
        .methods(normalization, weighting, aggregation)
        .system_toml()
}

/// `m` zones × `n` values.
pub fn data_csv(m: usize, n: usize) -> String {
    Flat::new(m, n).data_csv()
}

/// Loaded system and prepared data, `m` zones × `n` indicators.
pub fn prepared(
    m: usize,
    n: usize,
    normalization: &str,
    weighting: &str,
    aggregation: &str,
) -> (Arc<IndicatorSystem>, Arc<Prepared>) {
    Flat::new(m, n)
        .methods(normalization, weighting, aggregation)
        .prepared()
}

/// A full evaluation, `m` zones × `n` indicators.
pub fn evaluated(
    m: usize,
    n: usize,
    normalization: &str,
    weighting: &str,
    aggregation: &str,
) -> Evaluation {
    Flat::new(m, n)
        .methods(normalization, weighting, aggregation)
        .evaluated()
}
