//! Rank-reversal checks: remove one zone, or add a copy of one, re-run the whole evaluation
//! (normalisation and data-driven weights included) and report every pair of the other zones
//! whose order flips. Methods that normalise relative to the set of zones (min-max, vector,
//! entropy weights, …) are known to reverse ranks this way; the check shows whether and where
//! it happens for the data at hand. Each check is a full evaluation, so the cost grows as
//! zones³; intended for up to about a thousand zones.

use std::sync::Arc;

use rayon::prelude::*;

use super::{RankReversal, Reversal};
use crate::error::{Error, Result};
use crate::evaluation::{self, Evaluation};

/// Runs leave-one-zone-out and add-a-copy checks for every ranked zone of `ev`.
pub fn run(ev: &Evaluation) -> Result<RankReversal> {
    let prep = &ev.prepared();
    let ranked = &ev.ranked();
    if ranked.len() < 2 {
        let n = ranked.len();
        return Err(Error::input(
            None,
            crate::text!(
                "rank reversal compares the ranking with one zone left out or copied: it needs at least two ranked zones ({n} here)",
                "秩反转检验需比较去掉或复制一个开发区后的排名：至少需要两个参与排名的开发区（此处为 {n} 个）"
            ),
        ));
    }
    let base_rank: Vec<usize> = ranked
        .iter()
        .map(|&z| {
            ev.results()
                .iter()
                .find(|r| r.zone == z)
                .and_then(|r| r.rank)
                .expect("ranked zones have ranks")
        })
        .collect();
    let checks: Vec<(bool, usize)> = (0..ranked.len())
        .flat_map(|k| [(true, k), (false, k)])
        .collect();
    let found: Vec<Result<Vec<Reversal>>> = checks
        .par_iter()
        .map(|&(remove, k)| {
            let mut rows: Vec<usize> = ranked.to_vec();
            if remove {
                rows.remove(k);
            } else {
                rows.push(ranked[k]);
            }
            let sub = Arc::new(prep.select(&rows));
            let other = evaluation::evaluate(&sub, ev.methods(), &[])?;
            // New competition rank of each original ranked position (None if removed).
            let mut new_rank = vec![None; ranked.len()];
            for r in other.results() {
                let Some(rank) = r.rank else { continue };
                if let Some(pos) = rows
                    .get(r.zone)
                    .and_then(|&z| ranked.iter().position(|&x| x == z))
                    && !other.prepared().zones[r.zone].id.ends_with("#copy")
                {
                    new_rank[pos] = Some(rank);
                }
            }
            let id = &prep.zones[ranked[k]].id;
            let change = if remove {
                format!("remove {id}")
            } else {
                format!("copy {id}")
            };
            let mut out = Vec::new();
            for a in 0..ranked.len() {
                for b in 0..ranked.len() {
                    if let (Some(na), Some(nb)) = (new_rank[a], new_rank[b])
                        && base_rank[a] < base_rank[b]
                        && na > nb
                    {
                        out.push(Reversal {
                            change: change.clone(),
                            pair: (
                                prep.zones[ranked[a]].id.clone(),
                                prep.zones[ranked[b]].id.clone(),
                            ),
                        });
                    }
                }
            }
            Ok(out)
        })
        .collect();
    let mut reversals = Vec::new();
    for f in found {
        reversals.extend(f?);
    }
    Ok(RankReversal {
        analysis: "rank-reversal".into(),
        reversals,
        checks: checks.len(),
    })
}
