//! Panels: data with a year column evaluated the way offices evaluate every year. One run
//! scores the selected year and every earlier year — each on its own zones (`per-year`
//! goalposts) or on one scale (`pooled`, `base-year`) — and from those rankings gives each
//! zone its history, the multi-year rules (`[[rules]]`, e.g. MOFCOM's "bottom 5 of the region
//! twice in three years"), the trends of its indicators, and whether its score change is
//! larger than the uncertainty of the weights.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use super::engine::{self, Block, Scale};
use super::{Evaluation, Methods, Prepared, prepare};
use crate::error::{Error, Location, Problem, Result};
use crate::method::Matrix;
use crate::method::aggregate::{AggInput, matmul_weights};
use crate::method::weight::WeightOutput;
use crate::system::{Goalposts, Rule, RuleSide};
use crate::text;

/// Weight samples of the score-change interval.
pub const TREND_SAMPLES: usize = 1000;
/// Uniform perturbation of each weight, as the Monte Carlo default: U(1 − p, 1 + p).
pub const TREND_PERTURB: f64 = 0.2;
/// Seed of the score-change interval.
pub const TREND_SEED: u64 = 1;
/// Samples drawn from one random stream.
const TREND_BLOCK: usize = 250;

/// One zone in one year's ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct YearZone {
    /// Zone id.
    pub id: String,
    /// Zone name in that year.
    pub name: String,
    /// Rank (None: not ranked, e.g. vetoed under `veto = "exclude"`).
    pub rank: Option<usize>,
    /// Display score (with adjustments).
    pub score: Option<f64>,
    /// Failed a gate that year.
    pub vetoed: bool,
}

/// One evaluated year: its ranking (best first, unranked zones last), or why it could not be
/// evaluated (per-year goalposts only: on one scale every year must evaluate).
#[derive(Debug)]
pub struct YearRanking {
    /// The year.
    pub year: i64,
    /// The ranking, or the error of that year's evaluation.
    pub zones: std::result::Result<Vec<YearZone>, Error>,
}

/// A zone on a rule's list.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RuleZone {
    /// Zone id.
    pub id: String,
    /// Zone name (the latest).
    pub name: String,
    /// The years it met the rule, ascending.
    pub years: Vec<i64>,
    /// Mean display score over those years.
    pub mean_score: f64,
}

/// A rule applied to the panel.
#[derive(Clone, Debug)]
pub struct RuleOutcome {
    /// The rule as written.
    pub rule: Rule,
    /// The calendar years of its window, ascending (ending with the evaluated year).
    pub window: Vec<i64>,
    /// Years of the window without data (they count as not met).
    pub missing_years: Vec<i64>,
    /// The zones on the list: by mean score, ascending for `bottom`, descending for `top`
    /// (ties by id).
    pub zones: Vec<RuleZone>,
}

/// Whether a zone's score change is larger than the uncertainty of the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The whole interval of the change is above 0.
    Improved,
    /// The whole interval is below 0.
    Declined,
    /// The interval contains 0.
    NoClearChange,
}

impl Verdict {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Declined => "declined",
            Verdict::NoClearChange => "no-clear-change",
        }
    }
}

/// A zone's change since the previous evaluated year.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneTrend {
    /// Zone id.
    pub id: String,
    /// Score now − score in the previous year (None when absent or unranked in either).
    pub score_change: Option<f64>,
    /// Previous rank − rank now (positive = moved up).
    pub rank_change: Option<i64>,
    /// 5th and 95th percentile of the score change over weight samples (comparable scales
    /// only, and when the aggregation allows it).
    pub interval: Option<(f64, f64)>,
    /// From the interval.
    pub verdict: Option<Verdict>,
    /// Per indicator: (change of the raw value since the previous year, compound annual
    /// growth from the zone's first evaluated year) — None where undefined.
    pub indicators: Vec<(Option<f64>, Option<f64>)>,
}

/// Everything a panel adds to the selected year's evaluation.
#[derive(Debug)]
pub struct PanelInfo {
    /// How the years were normalised.
    pub goalposts: Goalposts,
    /// The evaluated year.
    pub selected: i64,
    /// The previous evaluated year, if any.
    pub previous: Option<i64>,
    /// Every evaluated year's ranking, ascending (the selected year last).
    pub years: Vec<YearRanking>,
    /// The multi-year rules.
    pub rules: Vec<RuleOutcome>,
    /// Trends of the selected year's zones, in results order.
    pub trends: Vec<ZoneTrend>,
    /// Why there is no score-change interval (None when there is one).
    pub no_interval: Option<crate::error::Text>,
    /// Data-quality notes of the panel (also among the evaluation's warnings).
    pub warnings: Vec<Problem>,
    /// Per year: zone id → position in its ranking.
    lookup: Vec<HashMap<String, usize>>,
}

/// Per year: zone id → position in its ranking.
fn lookups(years: &[YearRanking]) -> Vec<HashMap<String, usize>> {
    years
        .iter()
        .map(|y| match &y.zones {
            Ok(zones) => zones
                .iter()
                .enumerate()
                .map(|(i, z)| (z.id.clone(), i))
                .collect(),
            Err(_) => HashMap::new(),
        })
        .collect()
}

impl PanelInfo {
    /// The years, ascending.
    pub fn year_list(&self) -> Vec<i64> {
        self.years.iter().map(|y| y.year).collect()
    }

    /// A zone's history: (year, score, rank) for every evaluated year it appears in.
    pub fn history(&self, id: &str) -> Vec<(i64, Option<f64>, Option<usize>)> {
        self.years
            .iter()
            .zip(&self.lookup)
            .filter_map(|(y, l)| {
                let z = &y.zones.as_ref().ok()?[*l.get(id)?];
                Some((y.year, z.score, z.rank))
            })
            .collect()
    }

    /// The rules a zone is on.
    pub fn rules_of(&self, id: &str) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.zones.iter().any(|z| z.id == id))
            .map(|r| r.rule.id.as_str())
            .collect()
    }

    /// The earlier names of a zone (different from its name in the selected year).
    pub fn earlier_names(&self, id: &str, now: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (y, l) in self.years.iter().zip(&self.lookup) {
            if let Ok(zones) = &y.zones
                && let Some(z) = l.get(id).map(|&i| &zones[i])
                && z.name != now
                && !out.contains(&z.name)
            {
                out.push(z.name.clone());
            }
        }
        out
    }
}

/// The ranking of an evaluation as the panel records it, in results order.
pub(crate) fn year_zones(ev: &Evaluation) -> Vec<YearZone> {
    ev.results
        .iter()
        .map(|r| {
            let z = ev.zone(r);
            YearZone {
                id: z.id.clone(),
                name: z.name.clone(),
                rank: r.rank,
                score: r.score,
                vetoed: r.vetoed,
            }
        })
        .collect()
}

/// The evaluation of `prepared`'s year and, for a panel, of every earlier year: see the
/// module documentation. With `given_weights`, only the selected year is returned (no
/// history), its statistics still taken as the goalposts say.
pub(super) fn evaluate(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
    given_weights: Option<WeightOutput>,
) -> Result<Evaluation> {
    let sys = prepared.system.clone();
    let table = prepared.table.clone();
    let all = table.distinct_years();
    let Some(selected) = prepared.year else {
        return single(prepared, methods, group_by, given_weights);
    };
    let goalposts = sys.method.goalposts;
    if let Goalposts::BaseYear { year, .. } = goalposts {
        let loc = sys
            .method
            .goalposts_location
            .clone()
            .or_else(|| Some(Location::file(&sys.file)));
        if !all.contains(&year) {
            let list = join(&all);
            return Err(Error::input(
                loc,
                text!(
                    "base year {year} is not in the data (years present: {list})",
                    "基年 {year} 不在数据中（现有年份：{list}）"
                ),
            ));
        }
        if year > selected {
            return Err(Error::input(
                loc,
                text!(
                    "base year {year} is after the evaluated year {selected}: evaluate {year} or a later year, or choose an earlier base year",
                    "基年 {year} 晚于评价年份 {selected}：请评价 {year} 年或之后的年份，或选择更早的基年"
                ),
            ));
        }
    }
    let years: Vec<i64> = all.iter().copied().filter(|&y| y <= selected).collect();
    let one_scale = goalposts.comparable() && years.len() > 1;
    if !one_scale {
        let mut ev = single(prepared, methods, group_by, given_weights.clone())?;
        if given_weights.is_none() && years.len() > 1 {
            // The other years are independent of each other: evaluated in parallel, collected
            // in year order.
            let others: Vec<(Option<Arc<Prepared>>, YearRanking)> = years
                .par_iter()
                .filter(|&&y| y != selected)
                .map(|&y| {
                    let other =
                        prepare(sys.clone(), table.clone(), Some(y), group_by).map(Arc::new);
                    let zones = other
                        .as_ref()
                        .map_err(Clone::clone)
                        .and_then(|p| single(p, methods, group_by, None))
                        .map(|e| year_zones(&e));
                    (other.ok(), YearRanking { year: y, zones })
                })
                .collect();
            let mut rankings = Vec::with_capacity(years.len());
            let mut preps: Vec<Option<Arc<Prepared>>> = Vec::with_capacity(years.len());
            for (p, r) in others {
                preps.push(p);
                rankings.push(r);
            }
            preps.push(Some(prepared.clone()));
            rankings.push(YearRanking {
                year: selected,
                zones: Ok(year_zones(&ev)),
            });
            attach(&mut ev, rankings, &preps, None);
        }
        return Ok(ev);
    }

    // One scale: every evaluated year prepared and stacked.
    let preps: Vec<Arc<Prepared>> = years
        .par_iter()
        .map(|&y| {
            if y == selected {
                Ok(prepared.clone())
            } else {
                prepare(sys.clone(), table.clone(), Some(y), group_by).map(Arc::new)
            }
        })
        .collect::<Result<_>>()?;
    let mut blocks = Vec::with_capacity(preps.len());
    for p in &preps {
        blocks.push(Block {
            prep: p,
            rows: engine::ranked_rows(p)?,
        });
    }
    let scale = match goalposts {
        Goalposts::BaseYear { year, cap } => Scale::Base {
            block: years.iter().position(|&y| y == year).expect("checked"),
            cap,
        },
        _ => Scale::Pooled,
    };
    let with_history = given_weights.is_none();
    let mut evs = engine::run(&blocks, methods, group_by, given_weights, scale)?;
    let mut ev = evs.pop().expect("the selected year is the last block");
    if with_history {
        let rankings: Vec<YearRanking> = years
            .iter()
            .zip(evs.iter().chain(std::iter::once(&ev)))
            .map(|(&y, e)| YearRanking {
                year: y,
                zones: Ok(year_zones(e)),
            })
            .collect();
        let opt: Vec<Option<Arc<Prepared>>> = preps.iter().cloned().map(Some).collect();
        let stacked = StackedRun { evs: &evs, scale };
        attach(&mut ev, rankings, &opt, Some(stacked));
    }
    Ok(ev)
}

/// One year evaluated on its own zones.
fn single(
    prepared: &Arc<Prepared>,
    methods: &Arc<Methods>,
    group_by: &[String],
    given_weights: Option<WeightOutput>,
) -> Result<Evaluation> {
    let blocks = [Block {
        prep: prepared,
        rows: engine::ranked_rows(prepared)?,
    }];
    let mut evs = engine::run(&blocks, methods, group_by, given_weights, Scale::Own)?;
    Ok(evs.pop().expect("one block, one evaluation"))
}

/// The earlier years of a one-scale run, for the score-change interval.
struct StackedRun<'a> {
    evs: &'a [Evaluation],
    scale: Scale,
}

fn join(years: &[i64]) -> String {
    years
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds the panel of `ev` from the rankings of every evaluated year and attaches it.
fn attach(
    ev: &mut Evaluation,
    years: Vec<YearRanking>,
    preps: &[Option<Arc<Prepared>>],
    stacked: Option<StackedRun<'_>>,
) {
    let sys = ev.prepared.system.clone();
    let selected = years.last().expect("the selected year").year;
    let previous = (years.len() > 1).then(|| years[years.len() - 2].year);
    let mut warnings = quality_notes(&years, &sys.file);
    for y in &years {
        if let Err(e) = &y.zones {
            let year = y.year;
            let first = e
                .problems
                .first()
                .map(|p| (p.message.en.clone(), p.message.zh.clone()))
                .unwrap_or_default();
            let (en, zh) = (&first.0, &first.1);
            warnings.push(Problem::at(
                Some(Location::file(&ev.prepared.table.file)),
                text!(
                    "year {year} could not be evaluated, so it is left out of the history and counts as not meeting any rule: {en}",
                    "{year} 年无法评价，不计入历史，且视为不满足任何规则：{zh}"
                ),
            ));
        }
    }
    let rules: Vec<RuleOutcome> = sys
        .rules
        .iter()
        .map(|r| apply_rule(r, &years, preps, selected, &mut warnings))
        .collect();
    let (trends, no_interval) = trends(ev, &years, preps, previous, stacked);
    ev.warnings.extend(warnings.iter().cloned());
    let lookup = lookups(&years);
    ev.panel = Some(Arc::new(PanelInfo {
        lookup,
        goalposts: sys.method.goalposts,
        selected,
        previous,
        years,
        rules,
        trends,
        no_interval,
        warnings,
    }));
}

/// Zones present in some years only, and zones whose name changed.
fn quality_notes(years: &[YearRanking], file: &Arc<str>) -> Vec<Problem> {
    let ok: Vec<(i64, &Vec<YearZone>)> = years
        .iter()
        .filter_map(|y| y.zones.as_ref().ok().map(|z| (y.year, z)))
        .collect();
    let mut seen: BTreeMap<&str, (Vec<i64>, Vec<&str>)> = BTreeMap::new();
    for (y, zones) in &ok {
        for z in zones.iter() {
            let e = seen.entry(z.id.as_str()).or_default();
            e.0.push(*y);
            if !e.1.contains(&z.name.as_str()) {
                e.1.push(z.name.as_str());
            }
        }
    }
    let all: Vec<i64> = ok.iter().map(|(y, _)| *y).collect();
    let loc = Some(Location::file(file));
    let mut notes = Vec::new();
    let partial: Vec<(&str, &Vec<i64>)> = seen
        .iter()
        .filter(|(_, (ys, _))| ys.len() < all.len())
        .map(|(id, (ys, _))| (*id, ys))
        .collect();
    const SHOWN: usize = 10;
    for (id, ys) in partial.iter().take(SHOWN) {
        let missing: Vec<i64> = all.iter().copied().filter(|y| !ys.contains(y)).collect();
        let (present, absent) = (join(ys), join(&missing));
        notes.push(Problem::at(
            loc.clone(),
            text!(
                "zone {id} has data for {present} only (absent in {absent}): shown as absent in those years, never as 0",
                "开发区 {id} 仅有 {present} 年的数据（{absent} 年缺失）：这些年份显示为缺失，而非 0"
            ),
        ));
    }
    if partial.len() > SHOWN {
        let more = partial.len() - SHOWN;
        notes.push(Problem::at(
            loc.clone(),
            text!(
                "… and {more} more zones present in some years only",
                "……另有 {more} 个开发区仅部分年份有数据"
            ),
        ));
    }
    for (id, (_, names)) in &seen {
        if names.len() > 1 {
            let latest = names.last().expect("two names");
            let earlier = names[..names.len() - 1].join("、");
            notes.push(Problem::at(
                loc.clone(),
                text!(
                    "zone {id} changed its name: shown as “{latest}” (earlier: {earlier}); the id is the key across years",
                    "开发区 {id} 更名：显示为“{latest}”（曾用名：{earlier}）；跨年以 id 为准"
                ),
            ));
        }
    }
    notes
}

/// A rule over the window of years ending with the selected one.
fn apply_rule(
    rule: &Rule,
    years: &[YearRanking],
    preps: &[Option<Arc<Prepared>>],
    selected: i64,
    warnings: &mut Vec<Problem>,
) -> RuleOutcome {
    let window: Vec<i64> = (0..rule.of_last as i64)
        .map(|k| selected - rule.of_last as i64 + 1 + k)
        .collect();
    let have: Vec<i64> = years
        .iter()
        .filter(|y| y.zones.is_ok())
        .map(|y| y.year)
        .collect();
    let missing_years: Vec<i64> = window
        .iter()
        .copied()
        .filter(|y| !have.contains(y))
        .collect();
    let id = &rule.id;
    if !missing_years.is_empty() {
        let (w, m) = (join(&window), join(&missing_years));
        let covered = window.len() - missing_years.len();
        warnings.push(Problem::at(
            Some(rule.location.clone()),
            text!(
                "rule {id} looks at {w}, but the data have no evaluated year {m}: the rule covers {covered} year(s), and a missing year counts as not met",
                "规则 {id} 考察 {w} 年，但数据中没有可评价的 {m} 年：该规则实际覆盖 {covered} 年，缺失年份视为不满足"
            ),
        ));
    }
    // Per zone: the years met and the scores then.
    let mut met: BTreeMap<String, (String, Vec<i64>, Vec<f64>)> = BTreeMap::new();
    for (k, y) in years.iter().enumerate() {
        if !window.contains(&y.year) {
            continue;
        }
        let Ok(zones) = &y.zones else { continue };
        let groups: Option<&[String]> = match (&rule.within, &preps[k]) {
            (Some(col), Some(p)) => p.group(col),
            _ => None,
        };
        // The group of each zone of the ranking (the Prepared's zone order differs from the
        // results order, so look it up by id).
        let index: HashMap<&str, usize> = match &preps[k] {
            Some(p) if groups.is_some() => p
                .zones
                .iter()
                .enumerate()
                .map(|(i, z)| (z.id.as_str(), i))
                .collect(),
            _ => HashMap::new(),
        };
        let group_of = |id: &str| -> String {
            match (groups, index.get(id)) {
                (Some(g), Some(&i)) => g[i].clone(),
                _ => String::new(),
            }
        };
        let mut by_group: BTreeMap<String, Vec<&YearZone>> = BTreeMap::new();
        for z in zones {
            if z.rank.is_some() && !z.vetoed {
                by_group.entry(group_of(&z.id)).or_default().push(z);
            }
        }
        for (g, members) in by_group {
            let n = match rule.side {
                RuleSide::Bottom(n) | RuleSide::Top(n) => n,
            };
            if members.len() <= n {
                let (year, size) = (y.year, members.len());
                let group = if g.is_empty() {
                    String::new()
                } else {
                    format!(" {g}")
                };
                warnings.push(Problem::at(
                    Some(rule.location.clone()),
                    text!(
                        "rule {id}, {year}, group{group}: only {size} ranked zone(s), not more than {n}: every one of them meets the rule that year",
                        "规则 {id}，{year} 年，组{group}：仅 {size} 个参与排名的开发区，不多于 {n} 个：该年全部满足规则"
                    ),
                ));
            }
            let mut ranks: Vec<usize> = members.iter().map(|z| z.rank.expect("ranked")).collect();
            ranks.sort_unstable();
            for z in &members {
                let r = z.rank.expect("ranked");
                let hit = match rule.side {
                    // Fewer than n members rank strictly below (ties at the boundary are all in).
                    RuleSide::Bottom(n) => ranks.len() - ranks.partition_point(|&o| o <= r) < n,
                    // Fewer than n members rank strictly above: competition rank ≤ n.
                    RuleSide::Top(n) => ranks.partition_point(|&o| o < r) < n,
                };
                if hit {
                    let e = met
                        .entry(z.id.clone())
                        .or_insert_with(|| (z.name.clone(), Vec::new(), Vec::new()));
                    e.0 = z.name.clone();
                    e.1.push(y.year);
                    e.2.push(z.score.expect("ranked zones have a score"));
                }
            }
        }
    }
    let mut zones: Vec<RuleZone> = met
        .into_iter()
        .filter(|(_, (_, ys, _))| ys.len() >= rule.times)
        .map(|(id, (name, years, scores))| RuleZone {
            id,
            name,
            mean_score: scores.iter().sum::<f64>() / scores.len() as f64,
            years,
        })
        .collect();
    zones.sort_by(|a, b| {
        let o = a.mean_score.total_cmp(&b.mean_score);
        let o = if matches!(rule.side, RuleSide::Top(_)) {
            o.reverse()
        } else {
            o
        };
        o.then_with(|| a.id.cmp(&b.id))
    });
    RuleOutcome {
        rule: rule.clone(),
        window,
        missing_years,
        zones,
    }
}

/// Score and rank changes, indicator trends, and the score-change interval.
fn trends(
    ev: &Evaluation,
    years: &[YearRanking],
    preps: &[Option<Arc<Prepared>>],
    previous: Option<i64>,
    stacked: Option<StackedRun<'_>>,
) -> (Vec<ZoneTrend>, Option<crate::error::Text>) {
    let prev_k = previous.and_then(|p| years.iter().position(|y| y.year == p));
    let prev_zones: Option<&Vec<YearZone>> = prev_k.and_then(|k| years[k].zones.as_ref().ok());
    let prev_index: HashMap<&str, usize> = prev_zones.map_or_else(HashMap::new, |zs| {
        zs.iter()
            .enumerate()
            .map(|(i, z)| (z.id.as_str(), i))
            .collect()
    });
    let m = ev.prepared.system.indicators.len();
    // The value of zone `id`, indicator j, in year k, in the data's units (before outlier
    // treatment).
    let originals: Vec<Option<crate::explain::Originals>> = preps
        .iter()
        .map(|p| p.as_deref().map(crate::explain::Originals::of))
        .collect();
    let index: Vec<HashMap<&str, usize>> = preps
        .iter()
        .map(|p| {
            p.as_ref().map_or_else(HashMap::new, |p| {
                p.zones
                    .iter()
                    .enumerate()
                    .map(|(i, z)| (z.id.as_str(), i))
                    .collect()
            })
        })
        .collect();
    // `at[k]`: the zone's row in year k's data and its winsorised cells, looked up once per
    // zone.
    type At<'c> = Option<(usize, &'c [(usize, f64)])>;
    let raw = |k: usize, at: &[At<'_>], j: usize| -> Option<f64> {
        let p = preps.get(k)?.as_ref()?;
        let (z, clipped) = at[k]?;
        let v = Some(p.raw.get(z, j)).filter(|v| v.is_finite())?;
        Some(
            originals[k]
                .as_ref()
                .map_or(v, |o| o.value_in(clipped, j, v)),
        )
    };
    let last = years.len() - 1;
    let (intervals, no_interval) = match &stacked {
        Some(s) => match intervals(ev, s) {
            Ok(iv) => (iv, None),
            Err(t) => (BTreeMap::new(), Some(t)),
        },
        None => (
            BTreeMap::new(),
            Some(text!(
                "scores are normalised year by year (goalposts = \"per-year\"), so they are not comparable across years",
                "各年分别标准化（goalposts = \"per-year\"），得分跨年不可比"
            )),
        ),
    };
    let out = ev
        .results
        .iter()
        .map(|r| {
            let id = ev.zone(r).id.as_str();
            let before = prev_zones.and_then(|zs| prev_index.get(id).map(|&i| &zs[i]));
            let score_change = match (r.score, before.and_then(|b| b.score)) {
                (Some(a), Some(b)) => Some(a - b),
                _ => None,
            };
            let rank_change = match (r.rank, before.and_then(|b| b.rank)) {
                (Some(a), Some(b)) => Some(b as i64 - a as i64),
                _ => None,
            };
            let interval = intervals.get(id).copied();
            let verdict = interval.map(|(lo, hi)| {
                if lo > 0.0 {
                    Verdict::Improved
                } else if hi < 0.0 {
                    Verdict::Declined
                } else {
                    Verdict::NoClearChange
                }
            });
            let at: Vec<At<'_>> = index
                .iter()
                .zip(&originals)
                .map(|(ix, o)| {
                    let z = *ix.get(id)?;
                    Some((z, o.as_ref().map_or(&[][..], |o| o.clipped(id))))
                })
                .collect();
            let first = (0..=last).find(|&k| at[k].is_some());
            let indicators = (0..m)
                .map(|j| {
                    let now = raw(last, &at, j);
                    let change = match (now, prev_k.and_then(|k| raw(k, &at, j))) {
                        (Some(a), Some(b)) => Some(a - b),
                        _ => None,
                    };
                    let cagr = first.and_then(|f| {
                        let span = (years[last].year - years[f].year) as f64;
                        match (raw(f, &at, j), now) {
                            (Some(a), Some(b)) if span > 0.0 && a > 0.0 && b > 0.0 => {
                                Some((b / a).powf(1.0 / span) - 1.0)
                            }
                            _ => None,
                        }
                    });
                    (change, cagr)
                })
                .collect();
            ZoneTrend {
                id: id.to_string(),
                score_change,
                rank_change,
                interval,
                verdict,
                indicators,
            }
        })
        .collect();
    (out, no_interval)
}

/// The 5th and 95th percentiles of each zone's score change between the previous and the
/// selected year over [`TREND_SAMPLES`] weight vectors, each the base weights multiplied by
/// U(1 − p, 1 + p) and renormalised — the Monte Carlo contract's draw, seeded per sample so
/// the result does not depend on the thread count.
fn intervals(
    ev: &Evaluation,
    s: &StackedRun<'_>,
) -> std::result::Result<BTreeMap<String, (f64, f64)>, crate::error::Text> {
    let agg = &ev.methods.aggregation;
    let caps = agg.capabilities();
    let name = ev.methods.aggregation_name.clone();
    if !caps.uses_weights {
        return Err(text!(
            "`{name}` does not use the weights, so there is no weight uncertainty to compare the change with",
            "`{name}` 不使用权重，没有可比较的权重不确定性"
        ));
    }
    if caps.pairwise || ev.zone_weights.is_some() {
        return Err(text!(
            "no interval of the score change for `{name}` with these settings (pairwise comparisons or per-zone weights make {TREND_SAMPLES} re-evaluations of the panel too costly)",
            "`{name}` 在当前设置下不计算得分变化区间（两两比较或逐区权重使面板的 {TREND_SAMPLES} 次重算代价过高）"
        ));
    }
    let Some(prev) = s.evs.last() else {
        return Ok(BTreeMap::new());
    };
    // Stack every year's normalised and criterion values (the panel's reference points).
    let all: Vec<&Evaluation> = s.evs.iter().chain(std::iter::once(ev)).collect();
    let stack = |f: &dyn Fn(&Evaluation) -> &Matrix| -> Matrix {
        engine::stack_rows(&all.iter().map(|e| f(e)).collect::<Vec<_>>())
    };
    let normalized = stack(&|e| &e.normalized);
    let values = stack(&|e| e.values.as_ref());
    let n = normalized.rows();
    let starts: Vec<usize> = all
        .iter()
        .scan(0, |acc, e| {
            let s = *acc;
            *acc += e.normalized.rows();
            Some(s)
        })
        .collect();
    let (p0, c0) = (starts[starts.len() - 2], starts[starts.len() - 1]);
    let base = &ev.weights.weights;
    // Every sample's weights, row after row: blocks of TREND_BLOCK samples, each drawn from
    // its own random stream (seed, block), as the Monte Carlo analysis draws.
    let k = base.len();
    let mut all_weights = vec![0.0; TREND_SAMPLES * k];
    for (b, block) in all_weights.chunks_mut(TREND_BLOCK * k).enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(TREND_SEED);
        rng.set_stream(b as u64);
        for w in block.chunks_mut(k) {
            for (x, &b) in w.iter_mut().zip(base) {
                let u: f64 = rng.random();
                *x = b * (1.0 - TREND_PERTURB + 2.0 * TREND_PERTURB * u);
            }
            let t: f64 = w.iter().sum();
            if t > 0.0 {
                w.iter_mut().for_each(|x| *x /= t);
            } else {
                w.copy_from_slice(base);
            }
        }
    }
    let draw = |i: usize| &all_weights[i * k..(i + 1) * k];
    let block_range = |b: usize| {
        let end = if b + 1 < starts.len() {
            starts[b + 1]
        } else {
            n
        };
        starts[b]..end
    };
    let base_range = match s.scale {
        Scale::Base { block, .. } => Some(block_range(block)),
        _ => None,
    };
    let cap = matches!(s.scale, Scale::Base { cap: true, .. });
    let unit = |v: &[f64]| -> Vec<f64> {
        match &base_range {
            Some(r) => {
                let mut u = engine::unit_from_base(v, r.clone());
                if cap {
                    u.iter_mut().for_each(|x| *x = x.clamp(0.0, 1.0));
                }
                u
            }
            None => agg.unit_score(v),
        }
    };
    let prefs = &ev.preferences;
    let cost = &ev.cost;
    let scale_pts = ev.prepared.system.scale;
    // Values of every stacked row under sample i.
    let sample_values = |i: usize| -> std::result::Result<Vec<f64>, ()> {
        let w = draw(i);
        if caps.linear_in_weights && caps.additive {
            let mut out = vec![0.0; n];
            matmul_weights(&normalized, w, 1, &mut out);
            return Ok(out);
        }
        let input = AggInput {
            normalized: &normalized,
            values: &values,
            cost,
            weights: w,
            preferences: prefs,
            zone_weights: None,
            tree: Some(&ev.prepared.system.tree),
        };
        agg.aggregate(&input, &mut Vec::new())
            .map(|a| a.value)
            .map_err(|_| ())
    };
    // Rows of the previous and the selected year, by zone id.
    fn row_of(e: &Evaluation, start: usize) -> BTreeMap<&str, usize> {
        e.ranked
            .iter()
            .enumerate()
            .map(|(r, &z)| (e.prepared.zones[z].id.as_str(), start + r))
            .collect()
    }
    let before = row_of(prev, p0);
    let now = row_of(ev, c0);
    // The adjustment points of the zone in each stacked row.
    let adj_of = |e: &Evaluation, r: usize| -> f64 {
        let p = &e.prepared;
        if p.adjustments.is_empty() {
            return 0.0;
        }
        p.adjustments[e.ranked[r]].iter().sum()
    };
    // Zones ranked in both years: (id, row now, row then, change of adjustment points).
    let pairs: Vec<(&str, usize, usize, f64)> = now
        .iter()
        .filter_map(|(id, &rn)| {
            let &rp = before.get(id)?;
            Some((*id, rn, rp, adj_of(ev, rn - c0) - adj_of(prev, rp - p0)))
        })
        .collect();
    let np = pairs.len();
    // changes[s * np + i]: zone i's score change under sample s.
    let mut changes = vec![0.0; np * TREND_SAMPLES];
    let in_unit = normalized
        .as_slice()
        .iter()
        .all(|v| (0.0..=1.0).contains(v));
    if caps.additive && in_unit {
        // A weighted sum of values in [0, 1] is its own unit score, so the change is
        // scale · Σ_j w_j (r_j,now − r_j,then): one matrix product for every sample.
        let m = normalized.cols();
        let mut diff = Matrix::zeros(np, m);
        for (i, &(_, rn, rp, _)) in pairs.iter().enumerate() {
            for j in 0..m {
                diff.set(i, j, normalized.get(rn, j) - normalized.get(rp, j));
            }
        }
        matmul_weights(&diff, &all_weights, TREND_SAMPLES, &mut changes);
        for chunk in changes.chunks_mut(np.max(1)) {
            for (c, p) in chunk.iter_mut().zip(&pairs) {
                *c = *c * scale_pts + p.3;
            }
        }
    } else {
        let units: Vec<std::result::Result<Vec<f64>, ()>> = (0..TREND_SAMPLES)
            .into_par_iter()
            .map(|i| sample_values(i).map(|v| unit(&v)))
            .collect();
        for (s, u) in units.into_iter().enumerate() {
            let u = u.map_err(|_| {
                text!(
                    "a weight sample could not be evaluated; no interval of the score change",
                    "某个权重样本无法计算；不给出得分变化区间"
                )
            })?;
            for (i, p) in pairs.iter().enumerate() {
                changes[s * np + i] = (u[p.1] - u[p.2]) * scale_pts + p.3;
            }
        }
    }
    // Per zone, two order statistics of its changes (zones in parallel; each result depends
    // only on its own values).
    let qs: Vec<(f64, f64)> = (0..np)
        .into_par_iter()
        .map(|i| {
            let mut d: Vec<f64> = (0..TREND_SAMPLES).map(|s| changes[s * np + i]).collect();
            (quantile(&mut d, 0.05), quantile(&mut d, 0.95))
        })
        .collect();
    Ok(pairs
        .iter()
        .zip(qs)
        .map(|(p, q)| (p.0.to_string(), q))
        .collect())
}

/// numpy's default (linear) quantile of the values (reordered in place: two order
/// statistics by selection, not a sort).
fn quantile(x: &mut [f64], q: f64) -> f64 {
    let h = (x.len() - 1) as f64 * q;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    let (_, &mut a, rest) = x.select_nth_unstable_by(lo, f64::total_cmp);
    match rest.iter().copied().min_by(f64::total_cmp) {
        Some(b) if frac > 0.0 => a + frac * (b - a),
        _ => a,
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantile_is_numpys_linear_interpolation() {
        // numpy.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.05, 0.95]) = [1.45, 9.55]
        let mut x: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert!((quantile(&mut x, 0.05) - 1.45).abs() < 1e-12);
        assert!((quantile(&mut x, 0.95) - 9.55).abs() < 1e-12);
        let mut one = vec![3.0];
        assert_eq!(quantile(&mut one, 0.05), 3.0);
    }
}
