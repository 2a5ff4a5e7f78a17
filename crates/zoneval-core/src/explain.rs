//! Per-zone explanation for the report's scorecards: where a zone stands on each indicator
//! (percentile among the ranked zones), and what it would take to reach the next grade.
//!
//! "What it would take" moves one indicator of the zone at a time from its own value toward
//! the best value any zone reached, holding the weights and the other zones fixed, and asks how
//! far along that path (`share`, 0 = now, 1 = as good as the best zone) the zone must go for its
//! score to reach the next grade's threshold. The indicators needing the smallest share close
//! the gap fastest. For the weighted sum on unit-interval values the score is linear in the
//! normalised value, so the share is solved in closed form; every other aggregation is re-run
//! with the one cell changed and the share found by bisection (the score is assumed monotone
//! along the path, which holds for every aggregation in the registry when one zone improves).
//! Re-running pairwise methods (PROMETHEE II) costs O(n²) per run, so above a fixed work budget
//! the closers are left out with a note rather than slowing the report down.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::evaluation::Evaluation;
use crate::method::Matrix;
use crate::method::aggregate::AggInput;
use crate::system::VetoPolicy;

/// Bisection steps: the share is found to 1/256 (reported as a whole percentage).
const BISECTION_STEPS: usize = 8;

/// Largest amount of what-if work spent on one report, in cell visits (runs × zones ×
/// indicators, × zones again for pairwise methods): a second or two on one core for the
/// slowest aggregations.
const WORK_BUDGET: f64 = 1.5e8;

/// One indicator of a zone, placed among the zones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// Indicator index (into the system's indicators).
    pub indicator: usize,
    /// The zone's raw value.
    pub raw: f64,
    /// Percentile among the ranked zones the indicator applies to: 100 = best, 0 = worst
    /// (ties share the middle of their run).
    pub percentile: f64,
}

/// An indicator that alone would lift the zone to the next grade.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Closer {
    /// Indicator index.
    pub indicator: usize,
    /// The zone's raw value now.
    pub raw_now: f64,
    /// The raw value that reaches the next grade (others unchanged).
    pub raw_needed: f64,
    /// The best raw value among the zones.
    pub raw_best: f64,
    /// How far from its own value toward the best zone's the zone must move (0..1).
    pub share: f64,
}

/// The distance to the next grade and how to close it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeGap {
    /// The next grade (index into the grades, best first).
    pub grade: usize,
    /// Its threshold on the display scale.
    pub min: f64,
    /// Threshold minus the zone's score (> 0).
    pub gap: f64,
    /// `analytic` (weighted sum) or `what-if` (re-run aggregation, bisection).
    pub method: String,
    /// Up to three single indicators that would close the gap, smallest share first.
    pub closers: Vec<Closer>,
    /// The share every indicator would have to move at once toward the best zone's value
    /// (None when even that is not enough).
    pub all_at_once: Option<f64>,
    /// Why no closers were computed, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<GapNote>,
}

/// Why a [`GradeGap`] has no closers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GapNote {
    /// A failed gate caps the grade (`veto = "grade-floor"`): the score already earns more.
    VetoCapped,
    /// Re-running the aggregation for every zone and indicator would exceed the work budget.
    OverBudget {
        /// The aggregation.
        method: String,
        /// Estimated operations.
        work: f64,
    },
}

/// The explanation of one ranked zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Highest percentiles first.
    pub strongest: Vec<Standing>,
    /// Lowest percentiles first.
    pub weakest: Vec<Standing>,
    /// The gap to the next grade (None at the top grade or without grades).
    pub next_grade: Option<GradeGap>,
}

/// Maps values after outlier treatment back to the data's own units, for display: a
/// log-transformed indicator (ln(x − min + 1)) is inverted, a winsorised value shows the value
/// in the data.
pub struct Originals {
    /// Per indicator: the column minimum of a log-transformed indicator.
    log_min: Vec<Option<f64>>,
    /// (zone id, indicator index) → value in the data, for winsorised cells.
    clipped: HashMap<String, Vec<(usize, f64)>>,
}

impl Originals {
    /// From the treated cells of `ev`.
    pub fn new(ev: &Evaluation) -> Originals {
        Originals::of(ev.prepared())
    }

    /// From the treated cells of one year's prepared data.
    pub fn of(prep: &crate::evaluation::Prepared) -> Originals {
        let sys = &prep.system;
        let index: HashMap<&str, usize> = sys
            .indicators
            .iter()
            .enumerate()
            .map(|(j, i)| (i.id.as_str(), j))
            .collect();
        let mut log_min = vec![None; sys.indicators.len()];
        let mut clipped: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
        for t in &prep.treated {
            let Some(&j) = index.get(t.indicator.as_str()) else {
                continue;
            };
            if t.method == "log" {
                // to = ln(from − min + 1)  ⇒  min = from − e^to + 1.
                log_min[j].get_or_insert(t.from - t.to.exp() + 1.0);
            } else {
                clipped.entry(t.zone.clone()).or_default().push((j, t.from));
            }
        }
        Originals { log_min, clipped }
    }

    /// The data's value of zone `zone` (id) on indicator `j`, given the treated value `v`.
    pub fn value(&self, zone: &str, j: usize, v: f64) -> f64 {
        self.value_in(self.clipped(zone), j, v)
    }

    /// The winsorised cells of zone `zone` (id), looked up once for many [`Originals::value_in`].
    pub fn clipped(&self, zone: &str) -> &[(usize, f64)] {
        self.clipped.get(zone).map_or(&[], Vec::as_slice)
    }

    /// [`Originals::value`] with the zone's winsorised cells already looked up.
    pub fn value_in(&self, clipped: &[(usize, f64)], j: usize, v: f64) -> f64 {
        match clipped.iter().rev().find(|(k, _)| *k == j) {
            Some((_, from)) => *from,
            None => self.invert(j, v),
        }
    }

    /// A treated value (not necessarily any zone's) in the data's units.
    pub fn invert(&self, j: usize, v: f64) -> f64 {
        match self.log_min[j] {
            Some(min) => v.exp() + min - 1.0,
            None => v,
        }
    }
}

/// Per column: the applicable rows (positions among the ranked zones), their normalised values
/// sorted, and the best row.
struct Column {
    sorted: Vec<f64>,
    best: Option<usize>,
    applies: Vec<bool>,
}

/// Percentile of `v` in `sorted`: (below + ½·(equal − 1)) / (count − 1) × 100.
fn percentile(sorted: &[f64], v: f64) -> f64 {
    let n = sorted.len();
    if n < 2 {
        return 100.0;
    }
    let below = sorted.partition_point(|&x| x < v);
    let upto = sorted.partition_point(|&x| x <= v);
    let equal = upto - below;
    (below as f64 + 0.5 * (equal.saturating_sub(1)) as f64) / (n - 1) as f64 * 100.0
}

/// Explanations parallel to `ev.results` (None for zones that were not ranked).
pub fn explain(ev: &Evaluation) -> Vec<Option<Explanation>> {
    explain_with(ev, true)
}

/// [`explain`], optionally without the closed form (tests compare the two).
fn explain_with(ev: &Evaluation, closed_form: bool) -> Vec<Option<Explanation>> {
    let sys = ev.system();
    let n = ev.ranked().len();
    let m = sys.indicators.len();
    let pos: HashMap<usize, usize> = ev
        .ranked()
        .iter()
        .enumerate()
        .map(|(p, &z)| (z, p))
        .collect();
    let columns: Vec<Column> = (0..m)
        .map(|j| {
            let applies: Vec<bool> = ev
                .ranked()
                .iter()
                .map(|&z| ev.prepared().applicable.as_ref().is_none_or(|a| a[z][j]))
                .collect();
            let col = ev.normalized().col(j);
            let mut sorted: Vec<f64> = (0..n).filter(|&r| applies[r]).map(|r| col[r]).collect();
            sorted.sort_by(f64::total_cmp);
            let best = (0..n)
                .filter(|&r| applies[r])
                .fold(None, |b: Option<usize>, r| match b {
                    Some(k) if col[k] >= col[r] => Some(k),
                    _ => Some(r),
                });
            Column {
                sorted,
                best,
                applies,
            }
        })
        .collect();
    let ctx = WhatIf::new(ev, &columns, closed_form);
    let orig = Originals::new(ev);
    let zone_id = |row: usize| ev.prepared().zones[ev.ranked()[row]].id.as_str();
    ev.results()
        .par_iter()
        .map(|r| {
            let row = *pos.get(&r.zone)?;
            r.score?;
            let weight = |j: usize| {
                ev.zone_weights()
                    .as_ref()
                    .map_or(ev.weights().weights[j], |zw| zw.get(row, j))
            };
            let mut standings: Vec<(Standing, f64)> = (0..m)
                .filter(|&j| columns[j].applies[row] && weight(j) > 0.0)
                .map(|j| {
                    let s = Standing {
                        indicator: j,
                        raw: orig.value(zone_id(row), j, ev.raw().get(row, j)),
                        percentile: percentile(&columns[j].sorted, ev.normalized().get(row, j)),
                    };
                    (s, weight(j))
                })
                .collect();
            // Highest percentile first; among equals the heavier indicator first.
            standings.sort_by(|a, b| {
                b.0.percentile
                    .total_cmp(&a.0.percentile)
                    .then(b.1.total_cmp(&a.1))
                    .then(a.0.indicator.cmp(&b.0.indicator))
            });
            let k = (standings.len() / 2).clamp(usize::from(!standings.is_empty()), 3);
            let strongest = standings.iter().take(k).map(|s| s.0.clone()).collect();
            let weakest = if standings.len() >= 2 {
                standings
                    .iter()
                    .rev()
                    .take(k)
                    .map(|s| s.0.clone())
                    .collect()
            } else {
                Vec::new()
            };
            let mut next_grade = ctx.gap(r, row);
            for c in next_grade.iter_mut().flat_map(|g| g.closers.iter_mut()) {
                let j = c.indicator;
                c.raw_now = orig.value(zone_id(row), j, c.raw_now);
                c.raw_needed = orig.invert(j, c.raw_needed);
                if let Some(best) = columns[j].best {
                    c.raw_best = orig.value(zone_id(best), j, c.raw_best);
                }
            }
            Some(Explanation {
                strongest,
                weakest,
                next_grade,
            })
        })
        .collect()
}

/// Everything the what-if runs need.
struct WhatIf<'a> {
    ev: &'a Evaluation,
    columns: &'a [Column],
    analytic: bool,
    over_budget: Option<GapNote>,
}

impl<'a> WhatIf<'a> {
    fn new(ev: &'a Evaluation, columns: &'a [Column], closed_form: bool) -> WhatIf<'a> {
        let caps = ev.methods().aggregation.capabilities();
        let unit = |v: &f64| (0.0..=1.0).contains(v);
        // The score is then Σ w_j r_ij itself, so the gap closes along straight lines.
        let analytic = closed_form
            && caps.additive
            && caps.higher_is_better
            && ev.aggregated().value.iter().all(unit)
            && ev.normalized().as_slice().iter().all(unit);
        let n = ev.ranked().len() as f64;
        let m = ev.system().indicators.len() as f64;
        let per_run = n * m * if caps.pairwise { n } else { 1.0 };
        // Feasibility of every indicator, three bisections, one bounding run for the rest,
        // and the all-at-once bisection.
        let runs = 2.0 * m + 4.0 * (BISECTION_STEPS as f64 + 1.0);
        let needing = ev
            .results()
            .iter()
            .filter(|r| r.score.is_some() && r.grade != Some(0))
            .count() as f64;
        let work = per_run * runs * needing;
        let over_budget = (!analytic && work > WORK_BUDGET).then(|| GapNote::OverBudget {
            method: ev.methods().aggregation_name.clone(),
            work,
        });
        WhatIf {
            ev,
            columns,
            analytic,
            over_budget,
        }
    }

    fn gap(&self, r: &crate::evaluation::ZoneResult, row: usize) -> Option<GradeGap> {
        let sys = self.ev.system();
        if sys.grades.is_empty() {
            return None;
        }
        let score = r.score?;
        let target = match r.grade {
            Some(0) => return None,
            Some(g) => g - 1,
            None => sys.grades.len() - 1,
        };
        // The grade a score alone would earn (the veto floor may have lowered it).
        let earned = sys.grades.iter().position(|g| score >= g.min);
        let mut gap = GradeGap {
            grade: target,
            min: sys.grades[target].min,
            gap: sys.grades[target].min - score,
            method: if self.analytic { "analytic" } else { "what-if" }.into(),
            closers: Vec::new(),
            all_at_once: None,
            note: None,
        };
        if r.vetoed && sys.method.veto == VetoPolicy::GradeFloor && earned != r.grade {
            gap.gap = 0.0;
            gap.note = Some(GapNote::VetoCapped);
            return Some(gap);
        }
        if let Some(note) = &self.over_budget {
            gap.note = Some(note.clone());
            return Some(gap);
        }
        let m = sys.indicators.len();
        let moves: Vec<Move> = (0..m).filter_map(|j| self.path(row, j)).collect();
        let mut scratch = Scratch::new(self, row, score);
        let min = gap.min;
        // Single indicators that reach the grade at all, most promising first.
        let mut feasible: Vec<(Move, f64)> = moves
            .iter()
            .filter_map(|mv| {
                let top = scratch.score_at(std::slice::from_ref(mv), 1.0)?;
                (top >= min - EPS).then_some((*mv, top))
            })
            .collect();
        feasible.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.col.cmp(&b.0.col)));
        let mut closers: Vec<Closer> = Vec::new();
        for (mv, _) in feasible {
            let one = std::slice::from_ref(&mv);
            // Once three are known, an indicator that does not reach the grade by the third's
            // share cannot enter the list: one run instead of a bisection.
            let bound = if closers.len() >= 3 {
                closers[2].share
            } else {
                1.0
            };
            if bound < 1.0 && scratch.score_at(one, bound).is_none_or(|s| s < min - EPS) {
                continue;
            }
            let share = scratch.solve(one, min, bound);
            closers.push(Closer {
                indicator: mv.col,
                raw_now: mv.raw0,
                raw_needed: mv.raw0 + share * (mv.raw_best - mv.raw0),
                raw_best: mv.raw_best,
                share,
            });
            closers.sort_by(|a, b| {
                a.share
                    .total_cmp(&b.share)
                    .then(a.indicator.cmp(&b.indicator))
            });
            closers.truncate(3);
        }
        gap.closers = closers;
        if !moves.is_empty()
            && scratch
                .score_at(&moves, 1.0)
                .is_some_and(|s| s >= min - EPS)
        {
            gap.all_at_once = Some(scratch.solve(&moves, min, 1.0));
        }
        Some(gap)
    }

    /// The path of zone row `row` on indicator `j` toward the best zone, if it can improve.
    fn path(&self, row: usize, j: usize) -> Option<Move> {
        let ev = self.ev;
        let col = &self.columns[j];
        let best = col.best?;
        let n0 = ev.normalized().get(row, j);
        let nb = ev.normalized().get(best, j);
        let w = ev
            .zone_weights()
            .as_ref()
            .map_or(ev.weights().weights[j], |zw| zw.get(row, j));
        (col.applies[row] && nb > n0 && w > 0.0).then(|| Move {
            col: j,
            w,
            n0,
            nb,
            raw0: ev.raw().get(row, j),
            raw_best: ev.raw().get(best, j),
        })
    }
}

/// Scores differing by less than this count as reaching a threshold.
const EPS: f64 = 1e-9;

/// One zone's what-if runs: copies of the matrices changed in place and restored after
/// every run (the analytic case needs none).
struct Scratch<'a> {
    ctx: &'a WhatIf<'a>,
    row: usize,
    score: f64,
    mats: Option<(Matrix, Matrix)>,
}

impl<'a> Scratch<'a> {
    fn new(ctx: &'a WhatIf<'a>, row: usize, score: f64) -> Scratch<'a> {
        let mats = (!ctx.analytic).then(|| {
            (
                ctx.ev.normalized().clone(),
                ctx.ev.values().as_ref().clone(),
            )
        });
        Scratch {
            ctx,
            row,
            score,
            mats,
        }
    }

    /// The zone's display score with every move in `moves` taken a share `t` of the way.
    fn score_at(&mut self, moves: &[Move], t: f64) -> Option<f64> {
        let ev = self.ctx.ev;
        let scale = ev.system().scale;
        let Some((normalized, values)) = self.mats.as_mut() else {
            let gain: f64 = moves.iter().map(|mv| mv.w * (mv.nb - mv.n0)).sum();
            return Some(self.score + t * gain * scale);
        };
        for mv in moves {
            normalized.set(self.row, mv.col, mv.n0 + t * (mv.nb - mv.n0));
            let raw = mv.raw0 + t * (mv.raw_best - mv.raw0);
            let dir = ev.system().indicators[mv.col].direction;
            values.set(self.row, mv.col, dir.criterion_value(raw));
        }
        let out = run(ev, normalized, values).map(|u| u[self.row] * scale);
        for mv in moves {
            normalized.set(self.row, mv.col, mv.n0);
            values.set(self.row, mv.col, ev.values().get(self.row, mv.col));
        }
        out
    }

    /// The smallest share in [0, hi] reaching `min`, given that `hi` reaches it.
    fn solve(&mut self, moves: &[Move], min: f64, hi: f64) -> f64 {
        if self.mats.is_none() {
            let gain: f64 = moves.iter().map(|mv| mv.w * (mv.nb - mv.n0)).sum();
            let scale = self.ctx.ev.system().scale;
            return ((min - self.score) / (gain * scale)).clamp(0.0, hi);
        }
        let (mut lo, mut hi) = (0.0f64, hi);
        for _ in 0..BISECTION_STEPS {
            let mid = 0.5 * (lo + hi);
            if self.score_at(moves, mid).is_some_and(|s| s >= min - EPS) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

/// One indicator's path toward the best zone.
#[derive(Clone, Copy, Debug)]
struct Move {
    col: usize,
    w: f64,
    n0: f64,
    nb: f64,
    raw0: f64,
    raw_best: f64,
}

/// Re-runs the aggregation on changed matrices; unit scores (None if it fails).
fn run(ev: &Evaluation, normalized: &Matrix, values: &Matrix) -> Option<Vec<f64>> {
    let agg = &ev.methods().aggregation;
    let input = AggInput {
        normalized,
        values,
        cost: ev.cost(),
        weights: &ev.weights().weights,
        preferences: ev.preferences(),
        zone_weights: ev.zone_weights(),
        tree: Some(&ev.system().tree),
    };
    let out = agg.aggregate(&input, &mut Vec::new()).ok()?;
    out.value
        .iter()
        .all(|v| v.is_finite())
        .then(|| agg.unit_score(&out.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four values, one tie: below/equal counts by hand.
    #[test]
    fn percentiles_by_hand() {
        let s = [0.1, 0.4, 0.4, 0.9];
        assert_eq!(percentile(&s, 0.1), 0.0);
        assert_eq!(percentile(&s, 0.9), 100.0);
        // 0.4: one below, two equal → (1 + 0.5)/3.
        assert!((percentile(&s, 0.4) - 50.0).abs() < 1e-12);
        assert_eq!(percentile(&[0.3], 0.3), 100.0);
    }

    /// The closed form for the weighted sum and the bisection on re-run aggregations agree
    /// (to the bisection's 1/256) on every zone of the report fixture.
    #[test]
    fn closed_form_agrees_with_bisection() {
        use std::path::Path;
        use std::sync::Arc;
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let sys = Arc::new(crate::system::load_file(&root.join("tests/data/report.toml")).unwrap());
        let methods =
            Arc::new(crate::evaluation::Methods::resolve(&sys, &Default::default()).unwrap());
        let data = crate::bundled::Source::File(root.join("tests/data/report.csv"));
        let table = Arc::new(crate::evaluation::load_data(&sys, &data, None, &[]).unwrap());
        let prep = Arc::new(crate::evaluation::prepare(sys, table, None, &[]).unwrap());
        let ev = crate::evaluation::evaluate(&prep, &methods, &[]).unwrap();
        let a = explain_with(&ev, true);
        let b = explain_with(&ev, false);
        let mut compared = 0;
        for (x, y) in a.iter().zip(&b) {
            let (Some(x), Some(y)) = (x, y) else { continue };
            assert_eq!(x.strongest, y.strongest);
            let (Some(gx), Some(gy)) = (&x.next_grade, &y.next_grade) else {
                assert_eq!(x.next_grade.is_some(), y.next_grade.is_some());
                continue;
            };
            assert_eq!(
                (gx.method.as_str(), gy.method.as_str()),
                ("analytic", "what-if")
            );
            let ix: Vec<usize> = gx.closers.iter().map(|c| c.indicator).collect();
            let iy: Vec<usize> = gy.closers.iter().map(|c| c.indicator).collect();
            assert_eq!(ix, iy);
            for (cx, cy) in gx.closers.iter().zip(&gy.closers) {
                assert!(cy.share >= cx.share - 1e-9 && cy.share - cx.share <= 1.0 / 256.0);
                compared += 1;
            }
            match (gx.all_at_once, gy.all_at_once) {
                (Some(p), Some(q)) => assert!(q >= p - 1e-9 && q - p <= 1.0 / 256.0),
                (p, q) => assert_eq!(p.is_some(), q.is_some()),
            }
        }
        assert!(compared > 0);
    }
}
