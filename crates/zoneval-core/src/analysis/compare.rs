//! Comparing rankings of the same zones: the ranks side by side, Spearman's ρ and Kendall's
//! τ-b between every two rankings, and a compromise ranking by Borda count with Copeland's
//! pairwise-majority score breaking Borda ties.
//!
//! Definitions (see docs/audit-compare.md): with n zones and competition ranks r (1 = best,
//! ties share the smallest rank), `borda` = Σ_methods (n − r); `copeland` = the number of zones
//! a zone beats by majority (more rankings place it ahead than behind) minus the number that
//! beat it; a ranking that ties two zones votes for neither. The compromise `rank` is the
//! competition rank by borda (higher first), then copeland; zones equal on both share a rank.

use std::collections::HashMap;

use super::stats::{kendall_tau_b, spearman};
use crate::error::{Error, Problem, Result};
use crate::evaluation::{Evaluation, Overrides};
use crate::method::{Params, aggregate, names, normalize, weight};
use crate::text;

/// One zone's line of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedZone {
    /// Index of the zone in the rankings given to [`compare`].
    pub zone: usize,
    /// Its rank under each ranking, in the order given.
    pub ranks: Vec<usize>,
    /// Borda count.
    pub borda: u64,
    /// Copeland score (majority wins − losses).
    pub copeland: i64,
    /// Compromise rank (1 = best).
    pub rank: usize,
    /// Best rank it gets under any ranking.
    pub best: usize,
    /// Worst rank it gets under any ranking.
    pub worst: usize,
}

/// Rankings compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Zones in compromise-rank order (ties in input order).
    pub zones: Vec<ComparedZone>,
    /// Spearman's ρ between every two rankings (None: a ranking that ties every zone).
    pub spearman: Vec<Vec<Option<f64>>>,
    /// Kendall's τ-b between every two rankings.
    pub kendall: Vec<Vec<Option<f64>>>,
}

/// Compares `rankings` (each a competition rank per zone, the same zones in the same order
/// in each; at least one ranking).
pub fn compare(rankings: &[Vec<usize>]) -> Comparison {
    let m = rankings.len();
    let n = rankings.first().map_or(0, Vec::len);
    let borda: Vec<u64> = (0..n)
        .map(|z| rankings.iter().map(|r| n.saturating_sub(r[z]) as u64).sum())
        .collect();
    let copeland = copeland(rankings, n);
    // Competition rank on (borda, copeland), both higher-is-better.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| (borda[b], copeland[b]).cmp(&(borda[a], copeland[a])));
    let mut rank = vec![0; n];
    for (k, &z) in order.iter().enumerate() {
        rank[z] = match k {
            0 => 1,
            _ => {
                let p = order[k - 1];
                if (borda[p], copeland[p]) == (borda[z], copeland[z]) {
                    rank[p]
                } else {
                    k + 1
                }
            }
        };
    }
    let zones = order
        .iter()
        .map(|&z| {
            let ranks: Vec<usize> = rankings.iter().map(|r| r[z]).collect();
            ComparedZone {
                zone: z,
                best: ranks.iter().copied().min().unwrap_or(0),
                worst: ranks.iter().copied().max().unwrap_or(0),
                ranks,
                borda: borda[z],
                copeland: copeland[z],
                rank: rank[z],
            }
        })
        .collect();
    let matrix = |f: fn(&[usize], &[usize]) -> Option<f64>| -> Vec<Vec<Option<f64>>> {
        (0..m)
            .map(|a| {
                (0..m)
                    .map(|b| {
                        // A ranking agrees with itself whenever it orders anything.
                        let r = f(&rankings[a], &rankings[b]);
                        if a == b { r.map(|_| 1.0) } else { r }
                    })
                    .collect()
            })
            .collect()
    };
    Comparison {
        zones,
        spearman: matrix(spearman),
        kendall: matrix(kendall_tau_b),
    }
}

/// Copeland scores: for every pair of zones, the one more rankings place ahead wins; equal
/// votes (or only ties) is a draw that counts for neither.
fn copeland(rankings: &[Vec<usize>], n: usize) -> Vec<i64> {
    let mut score = vec![0i64; n];
    for a in 0..n {
        for b in a + 1..n {
            let (mut va, mut vb) = (0u32, 0u32);
            for r in rankings {
                match r[a].cmp(&r[b]) {
                    std::cmp::Ordering::Less => va += 1,
                    std::cmp::Ordering::Greater => vb += 1,
                    std::cmp::Ordering::Equal => {}
                }
            }
            match va.cmp(&vb) {
                std::cmp::Ordering::Greater => {
                    score[a] += 1;
                    score[b] -= 1;
                }
                std::cmp::Ordering::Less => {
                    score[a] -= 1;
                    score[b] += 1;
                }
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    score
}

/// Competition ranks (1 = best, ties share the smallest rank) of `ranks` restricted to the
/// positions `keep`, keeping their order and ties: the ranking of a subset of the zones.
pub fn rerank(ranks: &[usize], keep: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keep.len()).collect();
    order.sort_by_key(|&k| ranks[keep[k]]);
    let mut out = vec![0; keep.len()];
    for (pos, &k) in order.iter().enumerate() {
        out[k] = match pos {
            0 => 1,
            _ if ranks[keep[order[pos - 1]]] == ranks[keep[k]] => out[order[pos - 1]],
            _ => pos + 1,
        };
    }
    out
}

/// Evaluations of the same zones compared: the zones ranked in every one of them, matched by
/// id, with their grades, and the [`Comparison`] of the rankings.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationsCompared {
    /// The zones compared (id, name), in data order; [`ComparedZone::zone`] indexes this list.
    pub zones: Vec<(String, String)>,
    /// Per evaluation, per zone of `zones`: the grade index into that evaluation's system.
    pub grades: Vec<Vec<Option<usize>>>,
    /// The comparison.
    pub comparison: Comparison,
    /// Zones ranked by some evaluations but not all (vetoed under `veto = "exclude"`, or absent
    /// from one system's data), left out: their ids.
    pub left_out: Vec<String>,
}

/// Compares evaluations (several methods on one data set, or several systems on the same
/// zones). Each ranking is restricted to the zones every evaluation ranked, keeping its order
/// and ties ([`rerank`]), so Borda's n is the number of zones compared.
pub fn evaluations(evs: &[&Evaluation]) -> EvaluationsCompared {
    // Per evaluation: zone id → (rank, grade).
    let maps: Vec<HashMap<&str, (usize, Option<usize>)>> = evs
        .iter()
        .map(|ev| {
            ev.results()
                .iter()
                .filter_map(|r| Some((ev.zone(r).id.as_str(), (r.rank?, r.grade))))
                .collect()
        })
        .collect();
    let mut zones = Vec::new();
    let mut left_out = Vec::new();
    if let Some(first) = evs.first() {
        // Data order, so zones tied in the compromise come in the same order whatever the
        // order of the methods.
        let mut results: Vec<&crate::evaluation::ZoneResult> = first.results().iter().collect();
        results.sort_by_key(|r| r.zone);
        for r in results {
            let z = first.zone(r);
            if maps.iter().all(|m| m.contains_key(z.id.as_str())) {
                zones.push((z.id.clone(), z.name.clone()));
            } else if r.rank.is_some() {
                left_out.push(z.id.clone());
            }
        }
    }
    for (ev, m) in evs.iter().zip(&maps).skip(1) {
        for r in ev.results() {
            let id = ev.zone(r).id.as_str();
            if m.contains_key(id)
                && !zones.iter().any(|(z, _)| z == id)
                && !left_out.iter().any(|z| z == id)
            {
                left_out.push(id.to_string());
            }
        }
    }
    let all: Vec<usize> = (0..zones.len()).collect();
    let rankings: Vec<Vec<usize>> = maps
        .iter()
        .map(|m| {
            let full: Vec<usize> = zones.iter().map(|(id, _)| m[id.as_str()].0).collect();
            rerank(&full, &all)
        })
        .collect();
    let grades = maps
        .iter()
        .map(|m| zones.iter().map(|(id, _)| m[id.as_str()].1).collect())
        .collect();
    EvaluationsCompared {
        comparison: compare(&rankings),
        zones,
        grades,
        left_out,
    }
}

impl EvaluationsCompared {
    /// The warning naming the zones left out (the first ten), when any are.
    pub fn left_out_warning(&self) -> Option<Problem> {
        let n = self.left_out.len();
        if n == 0 {
            return None;
        }
        let list = self
            .left_out
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        Some(Problem::new(text!(
            "{n} zone(s) not ranked under every method or system are left out of the comparison: {list}",
            "{n} 个开发区未在所有方法或体系下参与排名，未纳入比较：{list}"
        )))
    }
}

/// The overrides of one method to compare, written `AGG` (with `base`'s normalisation and
/// weighting: the system's unless the user replaced them) or `NORM/WEIGHT/AGG`. Every name is
/// checked against its registry; an unknown one is a usage error listing the valid names.
/// The messages name no option: a front end says where the item came from.
pub fn parse_method(item: &str, base: &Overrides) -> Result<Overrides> {
    let parts: Vec<&str> = item.split('/').map(str::trim).collect();
    let known = |name: &str, valid: Vec<&'static str>, en: &str, zh: &str| -> Result<Params> {
        if valid.contains(&name) {
            return Ok(Params::named(name));
        }
        let list = valid.join(", ");
        Err(Error::usage(text!(
            "unknown {en} `{name}` (valid: {list})",
            "未知的{zh} `{name}`（可选：{list}）"
        )))
    };
    let agg = |name: &str| known(name, names(aggregate::REGISTRY), "aggregation", "集成方法");
    match parts.as_slice() {
        [a] if !a.is_empty() => Ok(Overrides {
            normalization: base.normalization.clone(),
            weighting: base.weighting.clone(),
            aggregation: Some(agg(a)?),
        }),
        [n, w, a] => Ok(Overrides {
            normalization: Some(known(
                n,
                names(normalize::REGISTRY),
                "normalization",
                "标准化方法",
            )?),
            weighting: Some(known(w, names(weight::REGISTRY), "weighting", "赋权方法")?),
            aggregation: Some(agg(a)?),
        }),
        _ => Err(Error::usage(text!(
            "`{item}` is neither an aggregation name nor NORM/WEIGHT/AGG",
            "`{item}` 既不是集成方法名，也不是 标准化/赋权/集成 形式"
        ))),
    }
}

/// Refuses a label given twice (a usage error: every method or system compared is distinct).
pub fn check_distinct<'a>(labels: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for l in labels {
        if seen.contains(&l) {
            return Err(Error::usage(text!(
                "`{l}` is compared twice; every method or system must be distinct",
                "`{l}` 出现了两次；比较的方法或体系不能重复"
            )));
        }
        seen.push(l);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;

    fn by_zone(c: &Comparison) -> Vec<(u64, i64, usize)> {
        let mut v: Vec<_> = c.zones.iter().map(|z| (z.zone, z)).collect();
        v.sort_by_key(|(i, _)| *i);
        v.into_iter()
            .map(|(_, z)| (z.borda, z.copeland, z.rank))
            .collect()
    }

    /// The published example: Ecer, F. (2021), "A consolidated MCDM framework for performance
    /// assessment of battery electric vehicles based on ranking strategies", Renewable and
    /// Sustainable Energy Reviews 143, 110916 — ten vehicles ranked by six methods; the
    /// Borda–Copeland compromise ranking is 7, 6, 8, 1, 2, 3, 9, 5, 10, 4 (the value the
    /// pyrepo-mcda test suite asserts for `borda_copeland_compromise_ranking`). Alternatives 5
    /// and 6 tie on Copeland (6) and are separated by Borda (45 vs 44).
    #[test]
    fn ecer_2021_compromise_ranking() {
        let rows = [
            [7, 8, 7, 6, 7, 7],
            [4, 7, 5, 7, 5, 4],
            [8, 9, 8, 8, 9, 8],
            [1, 4, 1, 1, 1, 1],
            [2, 2, 2, 4, 3, 2],
            [3, 1, 4, 3, 2, 3],
            [10, 5, 10, 9, 8, 10],
            [6, 3, 6, 5, 4, 6],
            [9, 10, 9, 10, 10, 9],
            [5, 6, 3, 2, 6, 5],
        ];
        let rankings: Vec<Vec<usize>> = (0..6)
            .map(|k| rows.iter().map(|r| r[k]).collect())
            .collect();
        let c = compare(&rankings);
        let got: Vec<usize> = by_zone(&c).iter().map(|t| t.2).collect();
        assert_eq!(got, [7, 6, 8, 1, 2, 3, 9, 5, 10, 4]);
        let borda: Vec<u64> = by_zone(&c).iter().map(|t| t.0).collect();
        assert_eq!(borda, [18, 28, 10, 51, 45, 44, 8, 30, 3, 33]);
        let cop: Vec<i64> = by_zone(&c).iter().map(|t| t.1).collect();
        assert_eq!(cop, [-3, 1, -5, 9, 6, 6, -8, 0, -8, 2]);
        // Rank range of alternative 2: ranks 4, 7, 5, 7, 5, 4.
        let z2 = c.zones.iter().find(|z| z.zone == 1).unwrap();
        assert_eq!((z2.best, z2.worst), (4, 7));
    }

    /// Hand-checked with ties. Three zones, two rankings: A = (1, 1, 3) (zones a, b tied),
    /// B = (2, 1, 3). n = 3. Borda: a = (3−1) + (3−2) = 3, b = 2 + 2 = 4, c = 0 + 0 = 0.
    /// Copeland: a vs b — A ties (no vote), B prefers b → b wins; a and b both beat c twice.
    /// a = +1 − 1 = 0, b = +2, c = −2. Compromise: b 1, a 2, c 3.
    #[test]
    fn ties_by_hand() {
        let c = compare(&[vec![1, 1, 3], vec![2, 1, 3]]);
        assert_eq!(by_zone(&c), [(3, 0, 2), (4, 2, 1), (0, -2, 3)]);
    }

    /// Borda ties broken by Copeland, and a full tie shared. Rankings (1, 2, 3) and (3, 2, 1)
    /// give every zone Borda 2 and Copeland 0 (a vs c is one vote each) → all rank 1.
    /// Rankings (1, 2, 3, 4) twice and (3, 1, 2, 4): n = 4, Borda a = 3 + 3 + 1 = 7,
    /// b = 2 + 2 + 3 = 7, c = 1 + 1 + 2 = 4, d = 0. Copeland: a beats b (2 votes to 1), c (2:1)
    /// and d (3:0) → 3; b loses to a, beats c (3:0) and d → 1; c beats d only → −1; d → −3.
    /// So a 1, b 2 (the Borda tie broken by Copeland), c 3, d 4.
    #[test]
    fn borda_ties_broken_by_copeland() {
        let c = compare(&[vec![1, 2, 3], vec![3, 2, 1]]);
        assert_eq!(by_zone(&c), [(2, 0, 1), (2, 0, 1), (2, 0, 1)]);
        let c = compare(&[vec![1, 2, 3, 4], vec![1, 2, 3, 4], vec![3, 1, 2, 4]]);
        assert_eq!(by_zone(&c), [(7, 3, 1), (7, 1, 2), (4, -1, 3), (0, -3, 4)]);
    }

    /// One ranking: the compromise is that ranking, and the matrices are [[1]].
    #[test]
    fn one_ranking_is_its_own_compromise() {
        let r = vec![4, 1, 2, 2, 5];
        let c = compare(std::slice::from_ref(&r));
        let got: Vec<usize> = by_zone(&c).iter().map(|t| t.2).collect();
        assert_eq!(got, r);
        assert_eq!(c.spearman, [[Some(1.0)]]);
        assert_eq!(c.kendall, [[Some(1.0)]]);
    }

    /// Permuting the rankings permutes the rows and columns of both matrices and leaves the
    /// compromise unchanged.
    #[test]
    fn permuting_rankings_permutes_matrices() {
        let rs = vec![
            vec![1, 2, 3, 4, 5],
            vec![2, 1, 3, 5, 4],
            vec![5, 3, 4, 1, 2],
        ];
        let perm = [2, 0, 1];
        let ps: Vec<Vec<usize>> = perm.iter().map(|&k| rs[k].clone()).collect();
        let (a, b) = (compare(&rs), compare(&ps));
        for i in 0..3 {
            for j in 0..3 {
                assert_eq!(b.spearman[i][j], a.spearman[perm[i]][perm[j]]);
                assert_eq!(b.kendall[i][j], a.kendall[perm[i]][perm[j]]);
            }
        }
        assert_eq!(by_zone(&a), by_zone(&b));
    }

    #[test]
    fn rerank_keeps_order_and_ties() {
        assert_eq!(rerank(&[1, 2, 2, 4, 5], &[0, 2, 3, 4]), [1, 2, 3, 4]);
        assert_eq!(rerank(&[1, 2, 2, 4, 5], &[1, 2, 4]), [1, 1, 3]);
    }

    /// Method items: a bare aggregation keeps the base normalisation and weighting, a triple
    /// replaces all three, and bad items name the unknown part without any option name.
    #[test]
    fn method_items() {
        let base = Overrides {
            normalization: Some(Params::named("vector")),
            weighting: None,
            aggregation: Some(Params::named("vikor")),
        };
        let o = parse_method(" topsis ", &base).unwrap();
        assert_eq!(o.normalization.unwrap().kind, "vector");
        assert!(o.weighting.is_none());
        assert_eq!(o.aggregation.unwrap().kind, "topsis");
        let o = parse_method("z-score / entropy / weighted-sum", &base).unwrap();
        assert_eq!(
            [o.normalization, o.weighting, o.aggregation].map(|p| p.unwrap().kind),
            ["z-score", "entropy", "weighted-sum"]
        );
        let msg = |item: &str| parse_method(item, &base).unwrap_err().render(Lang::En);
        assert!(
            msg("electre-iii")
                .starts_with("unknown aggregation `electre-iii` (valid: weighted-sum")
        );
        assert!(msg("min-max/entropi/topsis").starts_with("unknown weighting `entropi`"));
        assert!(msg("min-max/topsis").contains("neither an aggregation name nor NORM/WEIGHT/AGG"));
        assert!(!msg("").contains("--"));
        assert!(check_distinct(["a", "b"]).is_ok());
        assert!(
            check_distinct(["a", "b", "a"])
                .unwrap_err()
                .render(Lang::En)
                .contains("`a` is compared twice")
        );
    }
}
