//! Every evaluated year of a panel, as the report's year-over-year view reads it: the engine
//! evaluates the years ([`super::panel`]), the report only shows the rankings.

use super::Evaluation;
use crate::error::Error;

/// One zone in a year's ranking (the panel's own record of it).
pub use super::panel::YearZone as RankedZone;

/// The outcome of evaluating one year: its ranking (results order: best first, unranked
/// zones last), or why it could not be evaluated.
#[derive(Debug)]
pub struct YearOutcome {
    /// The year.
    pub year: i64,
    /// The ranking, or the error of that year's evaluation.
    pub ranking: Result<Vec<RankedZone>, Error>,
}

/// The ranking of an evaluation, in results order.
pub fn ranking(ev: &Evaluation) -> Vec<RankedZone> {
    super::panel::year_zones(ev)
}

/// Every evaluated year of `ev`'s panel (the selected year and every earlier one), in year
/// order. Empty when the data has fewer than two such years (there is nothing to compare).
pub fn years(ev: &Evaluation) -> Vec<YearOutcome> {
    let Some(panel) = ev.panel() else {
        return Vec::new();
    };
    panel
        .years
        .iter()
        .map(|y| YearOutcome {
            year: y.year,
            ranking: y.zones.clone(),
        })
        .collect()
}
