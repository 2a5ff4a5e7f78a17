//! Building the [`ReportModel`] from an [`Evaluation`], one function per part of the model.
//!
//! [`build`] makes the whole model a report shows; [`for_outputs`] makes the part that
//! `evaluate --format …` needs (no explanations, raw or normalised values, years or system
//! text), which costs little next to the evaluation itself.

use super::{
    ConsistencyRow, DetailColumn, DroppedZone, GradeInfo, GroupRank, HistoryPoint, ImputedCell,
    IndicatorInfo, MethodColumn, MethodUsed, Msg, Named, NodeInfo, OutOfScopeZone, PanelSection,
    PeerRow, Quality, ReportModel, RuleRow, RuleZoneRow, RunDetails, ScopeInfo, Spec, Transient,
    TreatedCell, TreatedGroup, TrendRow, VERSION, VetoReason, YearRanking, YearZone, ZoneRow,
};
use zoneval_core::error::{Lang, Problem};
use zoneval_core::evaluation::history::{RankedZone, YearOutcome};
use zoneval_core::evaluation::panel::{self as panel_core, PanelInfo};
use zoneval_core::evaluation::{Evaluation, TreatedValue};
use zoneval_core::explain::{self, Explanation};
use zoneval_core::sensitivity::SensitivityResults;
use zoneval_core::system::VetoPolicy;
use zoneval_core::system::{Goalposts, RuleSide};

/// Builds the model. `spec` says how the run was specified; `years` are every year of the
/// data evaluated by the engine ([`zoneval_core::evaluation::history::years`]) for the
/// year-over-year chart — a year that could not be evaluated is noted in the data-quality
/// warnings; `sensitivity` is shown when given.
pub fn build(
    ev: &Evaluation,
    spec: Spec,
    years: Vec<YearOutcome>,
    sensitivity: Option<SensitivityResults>,
) -> ReportModel {
    let mut model = skeleton(ev, spec);
    model.zones = zones(ev, &model.criteria, true);
    // A year that could not be evaluated is among the evaluation's warnings already.
    model.years = year_rankings(years);
    if model.spec.system_toml.is_none() {
        model.spec.system_toml = zoneval_core::bundled::Source::of_system(ev.system())
            .read()
            .ok()
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned());
    }
    model.sensitivity = sensitivity;
    model
}

/// The model `evaluate --format table|csv|json|markdown` renders: everything but the zones'
/// explanations, raw and normalised values, the other years and the system file's text (so
/// it does not pass [`ReportModel::check`] and is not for a report directory).
pub fn for_outputs(ev: &Evaluation) -> ReportModel {
    let mut model = skeleton(ev, Spec::default());
    model.zones = zones(ev, &model.criteria, false);
    model
}

/// Every part but the zones, the years and the sensitivity results.
fn skeleton(ev: &Evaluation, spec: Spec) -> ReportModel {
    let sys = ev.system();
    let criteria = criteria(ev);
    ReportModel {
        version: VERSION,
        generator: format!("zoneval {}", env!("CARGO_PKG_VERSION")),
        system: Named {
            id: sys.id.clone(),
            name: sys.name.clone(),
            name_en: sys.name_en.clone(),
        },
        description: sys.description.clone(),
        scale: sys.scale,
        year: ev.prepared().year,
        spec,
        method: method(ev),
        grades: grades(ev),
        nodes: nodes(ev),
        indicators: indicators(ev),
        criteria,
        group_columns: group_columns(ev),
        details: details(ev),
        aggregation_indicators: method_columns(&ev.aggregated().indicator_tables),
        aggregation_statistics: method_columns(&ev.aggregated().statistics),
        watch_list: sys.report.watch_bottom.is_some(),
        zones: Vec::new(),
        consistency: consistency(ev),
        quality: quality(ev),
        synthetic: ev.prepared().table.synthetic,
        scope: scope(ev),
        years: Vec::new(),
        adjustments: sys
            .adjustments
            .iter()
            .map(|a| Named {
                id: a.id.clone(),
                name: a.name.clone(),
                name_en: a.name_en.clone(),
            })
            .collect(),
        panel: ev.panel().map(panel_section),
        sensitivity: None,
        audit: None,
        compare: None,
        provenance: None,
        run: Transient(Some(run_details(ev))),
    }
}

/// A missing value for a NaN or infinity, so the model survives a JSON round trip.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// A problem in both languages.
fn bilingual(p: &Problem) -> Msg {
    Msg {
        en: p.render(Lang::En),
        zh: p.render(Lang::Zh),
    }
}

fn method(ev: &Evaluation) -> MethodUsed {
    let sys = ev.system();
    MethodUsed {
        normalization: ev.methods().normalization.clone(),
        weighting: params_text(&ev.methods().weighting_params),
        aggregation: params_text(&ev.methods().aggregation_params),
        aggregation_name: ev.methods().aggregation_name.clone(),
        higher_is_better: ev.methods().aggregation.higher_is_better(),
        veto: match sys.method.veto {
            VetoPolicy::Exclude => "exclude",
            VetoPolicy::Flag => "flag",
            VetoPolicy::GradeFloor => "grade-floor",
        }
        .into(),
        missing: sys.data.missing.keyword().into(),
    }
}

fn grades(ev: &Evaluation) -> Vec<GradeInfo> {
    ev.system()
        .grades
        .iter()
        .map(|g| GradeInfo {
            name: g.name.clone(),
            name_en: g.name_en.clone(),
            min: g.min,
        })
        .collect()
}

/// The indicator tree, each node with the sum of the final weights of the leaves below.
fn nodes(ev: &Evaluation) -> Vec<NodeInfo> {
    let sys = ev.system();
    sys.nodes
        .iter()
        .enumerate()
        .map(|(k, n)| NodeInfo {
            named: Named {
                id: n.id.clone(),
                name: n.name.clone(),
                name_en: n.name_en.clone(),
            },
            parent: n.parent,
            children: n.children.clone(),
            depth: n.depth,
            indicator: n.indicator,
            weight: sys
                .tree
                .leaves_under(k)
                .iter()
                .map(|&l| ev.weights().weights[l])
                .sum(),
        })
        .collect()
}

fn indicators(ev: &Evaluation) -> Vec<IndicatorInfo> {
    let sys = ev.system();
    let hierarchical = sys.is_hierarchical();
    // The depth-1 ancestor of a node (None for the root).
    let top_of = |mut k: usize| -> Option<usize> {
        while let Some(p) = sys.nodes[k].parent {
            if p == 0 {
                return Some(k);
            }
            k = p;
        }
        None
    };
    // An aggregation that does not use the weights reports the weights it implies instead
    // (PCA: |Σ_k (λ_k/Σλ) u_jk| normalised, DESIGN.md "More methods").
    let implied = ev
        .aggregated()
        .indicator_tables
        .iter()
        .find(|c| c.key == "implied_weight")
        .map(|c| c.values.clone());
    let weight = |j: usize| implied.as_ref().map_or(ev.weights().weights[j], |w| w[j]);
    sys.indicators
        .iter()
        .enumerate()
        .map(|(j, i)| IndicatorInfo {
            named: Named {
                id: i.id.clone(),
                name: i.name.clone(),
                name_en: i.name_en.clone(),
            },
            unit: i.unit.clone(),
            direction: i.direction.keyword().to_string(),
            normalization: ev.methods().per_indicator[j].0.clone(),
            weight: weight(j),
            node: i.node,
            criterion: if hierarchical { top_of(i.node) } else { None },
        })
        .collect()
}

/// The criteria with sub-scores: those of the ranked zones (unranked zones have none).
fn criteria(ev: &Evaluation) -> Vec<usize> {
    ev.results()
        .iter()
        .find(|r| !r.criteria.is_empty())
        .map(|r| r.criteria.iter().map(|c| c.0).collect())
        .unwrap_or_default()
}

fn group_columns(ev: &Evaluation) -> Vec<String> {
    ev.results()
        .iter()
        .map(|r| {
            r.group_ranks
                .iter()
                .map(|g| g.0.clone())
                .collect::<Vec<_>>()
        })
        .max_by_key(Vec::len)
        .unwrap_or_default()
}

fn details(ev: &Evaluation) -> Vec<DetailColumn> {
    ev.aggregated()
        .tables
        .iter()
        .map(|t| DetailColumn {
            key: t.key.to_string(),
            en: t.en.to_string(),
            zh: t.zh.to_string(),
        })
        .collect()
}

fn method_columns(t: &[zoneval_core::method::NamedColumn]) -> Vec<MethodColumn> {
    t.iter()
        .map(|c| MethodColumn {
            key: c.key.to_string(),
            en: c.en.to_string(),
            zh: c.zh.to_string(),
            values: c
                .values
                .iter()
                .map(|v| v.is_finite().then_some(*v))
                .collect(),
        })
        .collect()
}

/// The peers of ranked row `p`, largest λ first (ties by id, so the order is stable).
fn peers(ev: &Evaluation, p: usize) -> Vec<PeerRow> {
    let mut v: Vec<PeerRow> = ev
        .peers()
        .get(p)
        .map_or(&[][..], |v| v.as_slice())
        .iter()
        .map(|q| PeerRow {
            id: q.id.clone(),
            name: q.name.clone(),
            year: q.year,
            lambda: q.lambda,
        })
        .collect();
    v.sort_by(|a, b| b.lambda.total_cmp(&a.lambda).then_with(|| a.id.cmp(&b.id)));
    v
}

fn consistency(ev: &Evaluation) -> Vec<ConsistencyRow> {
    ev.weights()
        .consistency
        .iter()
        .map(|c| ConsistencyRow {
            node: c.node.clone(),
            lambda_max: c.lambda_max,
            ci: c.ci,
            cr: c.cr,
        })
        .collect()
}

/// The zones in results order; with `full`, their explanations and raw and normalised values.
fn zones(ev: &Evaluation, criteria: &[usize], full: bool) -> Vec<ZoneRow> {
    let explanations: Vec<Option<Explanation>> = if full {
        explain::explain(ev)
    } else {
        vec![None; ev.results().len()]
    };
    let originals = full.then(|| explain::Originals::new(ev));
    let prep = &ev.prepared();
    let m = if full {
        ev.system().indicators.len()
    } else {
        0
    };
    // Each zone's row in the ranked matrices, looked up once (a search per zone would be
    // quadratic in the number of zones).
    let mut row_of: Vec<Option<usize>> = vec![None; prep.zones.len()];
    for (p, &z) in ev.ranked().iter().enumerate() {
        row_of[z] = Some(p);
    }
    ev.results()
        .iter()
        .zip(explanations)
        .enumerate()
        .map(|(k, (r, explanation))| {
            let z = ev.zone(r);
            let pos = row_of[r.zone];
            let applies = |j: usize| prep.applicable.as_ref().is_none_or(|a| a[r.zone][j]);
            let mut row = ZoneRow {
                id: z.id.clone(),
                name: z.name.clone(),
                value: r.value,
                score: r.score,
                rank: r.rank,
                grade: r.grade,
                vetoed: r.vetoed,
                watch: r.watch,
                veto_reasons: prep.gate_failures[r.zone]
                    .iter()
                    .map(|f| VetoReason {
                        gate: f.gate.clone(),
                        name: f.name.clone(),
                        condition: f.condition.clone(),
                        value: f.value.and_then(finite),
                        requirement: f.requirement.clone(),
                    })
                    .collect(),
                groups: r
                    .group_ranks
                    .iter()
                    .map(|(c, g, k)| GroupRank {
                        column: c.clone(),
                        group: g.clone(),
                        rank: *k,
                    })
                    .collect(),
                // Unranked zones have no sub-scores: one `null` per criterion all the same.
                criteria: criteria
                    .iter()
                    .map(|k| {
                        r.criteria
                            .iter()
                            .find(|c| c.0 == *k)
                            .and_then(|c| c.1.and_then(finite))
                    })
                    .collect(),
                details: pos
                    .map(|p| ev.aggregated().tables.iter().map(|t| t.values[p]).collect())
                    .unwrap_or_default(),
                peers: pos.map(|p| peers(ev, p)).unwrap_or_default(),
                // In the data's units (before outlier treatment).
                raw: (0..m)
                    .map(|j| {
                        finite(prep.raw.get(r.zone, j))
                            .filter(|_| applies(j))
                            .zip(originals.as_ref())
                            .map(|(v, o)| o.value(&z.id, j, v))
                    })
                    .collect(),
                normalized: (0..m)
                    .map(|j| {
                        pos.and_then(|p| finite(ev.normalized().get(p, j)))
                            .filter(|_| applies(j))
                    })
                    .collect(),
                explanation,
                history: Vec::new(),
                rules: Vec::new(),
                adjustments: if prep.adjustments.is_empty() {
                    Vec::new()
                } else {
                    prep.adjustments[r.zone].clone()
                },
                trend: None,
                earlier_names: Vec::new(),
            };
            if let Some(p) = ev.panel() {
                zone_panel(p, &z.id, &z.name, k, &mut row);
            }
            row
        })
        .collect()
}

fn scope(ev: &Evaluation) -> Option<ScopeInfo> {
    let s = ev.system().scope.as_ref()?;
    let note = match (&s.rule.note, &s.rule.note_en) {
        (Some(zh), en) => Some(Msg {
            en: en.clone().unwrap_or_else(|| zh.clone()),
            zh: zh.clone(),
        }),
        (None, Some(en)) => Some(Msg {
            en: en.clone(),
            zh: en.clone(),
        }),
        (None, None) => None,
    };
    Some(ScopeInfo {
        name: s.name.clone(),
        rule: s.rule.describe(),
        note,
        not_in_scope: ev
            .prepared()
            .not_in_scope
            .iter()
            .map(|z| OutOfScopeZone {
                id: z.id.clone(),
                name: z.name.clone(),
                reason: z.reason.clone(),
            })
            .collect(),
    })
}

fn quality(ev: &Evaluation) -> Quality {
    let prep = &ev.prepared();
    Quality {
        imputed: prep
            .imputed
            .iter()
            .map(|i| ImputedCell {
                zone: i.zone.clone(),
                indicator: i.indicator.clone(),
                value: i.value,
                method: i.method.to_string(),
                location: i.location.clone(),
            })
            .collect(),
        treated: treated_groups(&prep.treated),
        dropped: prep
            .dropped
            .iter()
            .map(|(id, name, miss)| DroppedZone {
                id: id.clone(),
                name: name.clone(),
                missing: miss.clone(),
            })
            .collect(),
        warnings: ev.warnings().iter().map(bilingual).collect(),
    }
}

fn run_details(ev: &Evaluation) -> RunDetails {
    RunDetails {
        weighting_name: ev.methods().weighting_name.clone(),
        weight_details: ev
            .weights()
            .table
            .iter()
            .map(|t| (t.key.to_string(), t.values.clone()))
            .collect(),
        treated: ev.prepared().treated.iter().map(treated_cell).collect(),
        warnings: ev.warnings().len(),
    }
}

fn treated_cell(t: &TreatedValue) -> TreatedCell {
    TreatedCell {
        zone: t.zone.clone(),
        indicator: t.indicator.clone(),
        from: t.from,
        to: t.to,
        method: t.method.to_string(),
    }
}

/// The treated values grouped by indicator and method, in order of first appearance.
fn treated_groups(treated: &[TreatedValue]) -> Vec<TreatedGroup> {
    let mut out: Vec<TreatedGroup> = Vec::new();
    for t in treated {
        let k = match out
            .iter()
            .position(|g| g.indicator == t.indicator && g.method == t.method)
        {
            Some(k) => k,
            None => {
                out.push(TreatedGroup {
                    indicator: t.indicator.clone(),
                    method: t.method.to_string(),
                    count: 0,
                    cells: Vec::new(),
                });
                out.len() - 1
            }
        };
        let g = &mut out[k];
        g.count += 1;
        if t.method != "log" {
            g.cells.push(treated_cell(t));
        }
    }
    out
}

/// `vikor` or `{ kind = "vikor", v = 0.5 }`.
fn params_text(p: &zoneval_core::method::Params) -> String {
    if p.entries.is_empty() {
        return p.kind.clone();
    }
    let kv: Vec<String> = p
        .entries
        .iter()
        .map(|e| format!("{} = {}", e.key, e.value))
        .collect();
    format!("{{ kind = \"{}\", {} }}", p.kind, kv.join(", "))
}

/// The rankings of the years evaluated (a year that could not be is left out).
fn year_rankings(years: Vec<YearOutcome>) -> Vec<YearRanking> {
    years
        .into_iter()
        .filter_map(|YearOutcome { year, ranking }| {
            ranking.ok().map(|zones| YearRanking {
                year,
                zones: zones.into_iter().map(year_zone).collect(),
            })
        })
        .collect()
}

/// The panel's settings and rules.
fn panel_section(p: &PanelInfo) -> PanelSection {
    PanelSection {
        goalposts: p.goalposts.name().to_string(),
        base_year: match p.goalposts {
            Goalposts::BaseYear { year, .. } => Some(year),
            _ => None,
        },
        comparable: p.goalposts.comparable(),
        years: p.year_list(),
        previous: p.previous,
        rules: p
            .rules
            .iter()
            .map(|o| {
                let r = &o.rule;
                let (side, n) = match r.side {
                    RuleSide::Bottom(n) => ("bottom", n),
                    RuleSide::Top(n) => ("top", n),
                };
                RuleRow {
                    named: Named {
                        id: r.id.clone(),
                        name: r.name.clone(),
                        name_en: r.name_en.clone(),
                    },
                    side: side.to_string(),
                    n,
                    within: r.within.clone(),
                    times: r.times,
                    of_last: r.of_last,
                    window: o.window.clone(),
                    missing_years: o.missing_years.clone(),
                    zones: o
                        .zones
                        .iter()
                        .map(|z| RuleZoneRow {
                            id: z.id.clone(),
                            name: z.name.clone(),
                            years: z.years.clone(),
                            mean_score: z.mean_score,
                        })
                        .collect(),
                }
            })
            .collect(),
        no_interval: p.no_interval.clone().map(|t| Msg { en: t.en, zh: t.zh }),
        interval_samples: panel_core::TREND_SAMPLES,
        interval_perturb: panel_core::TREND_PERTURB,
        interval_seed: panel_core::TREND_SEED,
    }
}

/// A zone's history, rules, trend and earlier names from the panel.
fn zone_panel(p: &PanelInfo, id: &str, name: &str, k: usize, row: &mut ZoneRow) {
    row.history = p
        .history(id)
        .into_iter()
        .map(|(year, score, rank)| HistoryPoint {
            year,
            score: score.and_then(finite),
            rank,
        })
        .collect();
    row.rules = p.rules_of(id).into_iter().map(str::to_string).collect();
    row.earlier_names = p.earlier_names(id, name);
    if p.previous.is_some()
        && let Some(t) = p.trends.get(k).filter(|t| t.id == id)
    {
        row.trend = Some(TrendRow {
            score_change: t.score_change.and_then(finite),
            rank_change: t.rank_change,
            change_p05: t.interval.map(|i| i.0),
            change_p95: t.interval.map(|i| i.1),
            verdict: t.verdict.map(|v| v.name().to_string()),
            indicator_change: t.indicators.iter().map(|i| i.0.and_then(finite)).collect(),
            indicator_cagr: t.indicators.iter().map(|i| i.1.and_then(finite)).collect(),
        });
    }
}

fn year_zone(z: RankedZone) -> YearZone {
    YearZone {
        id: z.id,
        name: z.name,
        rank: z.rank,
        score: z.score,
    }
}
