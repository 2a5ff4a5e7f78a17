//! Analyses of an indicator system and its methods beyond one evaluation: the statistical
//! [`audit`] of a system on its data (is it any good?) and the [`compare`]ison of rankings
//! under several methods or several systems (would another reasonable choice rank the zones
//! differently, and what ranking do they agree on?). [`stats`] holds the statistics both use.

pub mod audit;
pub mod compare;
pub mod stats;
