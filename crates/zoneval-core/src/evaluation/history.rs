//! Every evaluated year of a panel, as the report's year-over-year view reads it: the engine
//! evaluates the years ([`super::panel`]), the report only shows the rankings.

use super::Evaluation;
use crate::error::Error;

/// One zone in a year's ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Rank (None: not ranked, e.g. vetoed).
    pub rank: Option<usize>,
    /// Display score.
    pub score: Option<f64>,
}

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
    ev.results
        .iter()
        .map(|r| {
            let z = ev.zone(r);
            RankedZone {
                id: z.id.clone(),
                name: z.name.clone(),
                rank: r.rank,
                score: r.score,
            }
        })
        .collect()
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
            ranking: match &y.zones {
                Ok(zones) => Ok(zones
                    .iter()
                    .map(|z| RankedZone {
                        id: z.id.clone(),
                        name: z.name.clone(),
                        rank: z.rank,
                        score: z.score,
                    })
                    .collect()),
                Err(e) => Err(e.clone()),
            },
        })
        .collect()
}
