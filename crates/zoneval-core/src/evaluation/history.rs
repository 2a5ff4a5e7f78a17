//! Every year of a panel evaluated with the same system and methods, for the report's
//! year-over-year view: the engine runs the evaluations, the report only shows the rankings.

use std::sync::Arc;

use super::{Evaluation, evaluate, prepare};
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

/// Every year of `ev`'s data evaluated with `ev`'s system and methods, in year order; the
/// year `ev` evaluated is taken from `ev` itself. Empty when the data has fewer than two
/// years (there is nothing to compare).
pub fn years(ev: &Evaluation, group_by: &[String]) -> Vec<YearOutcome> {
    let prep = &ev.prepared;
    let all = prep.table.distinct_years();
    if all.len() < 2 {
        return Vec::new();
    }
    all.into_iter()
        .map(|year| {
            let ranking = if Some(year) == prep.year {
                Ok(ranking(ev))
            } else {
                prepare(
                    prep.system.clone(),
                    prep.table.clone(),
                    Some(year),
                    group_by,
                )
                .and_then(|p| evaluate(&Arc::new(p), &ev.methods, group_by))
                .map(|e| ranking(&e))
            };
            YearOutcome { year, ranking }
        })
        .collect()
}
