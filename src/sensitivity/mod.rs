//! Sensitivity and uncertainty analysis of a ranking (work in progress: result types).

pub mod results;

pub use results::*;
