//! Resolving a system's methods (and command-line overrides) into built method objects, with
//! every parameter checked where it was written. What a system needs of its methods is asked of
//! their declared capabilities, never of their names.

use crate::error::{Error, Problem, Result};
use crate::method::aggregate::{self, Aggregation};
use crate::method::normalize::{self, Normalize};
use crate::method::weight::{self, Weigh, ahp::AhpMethod};
use crate::method::{MethodKind, Params, build};
use crate::system::IndicatorSystem;
use crate::text;

/// Methods chosen on the command line, replacing the system's.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--normalization`: replaces `[method] normalization` (indicator overrides stay).
    pub normalization: Option<Params>,
    /// `--weighting`.
    pub weighting: Option<Params>,
    /// `--aggregation`.
    pub aggregation: Option<Params>,
}

/// The built methods of one evaluation.
#[derive(Debug)]
pub struct Methods {
    /// The default normalisation's name, or `None` when the aggregation carries its own.
    pub normalization: Option<String>,
    /// Effective normalisation per indicator (name, method). For aggregations with their own
    /// normalisation this is still used for the weighting's normalised matrix (`min-max`
    /// unless overridden).
    pub per_indicator: Vec<(String, Box<dyn Normalize>)>,
    /// Weighting name.
    pub weighting_name: String,
    /// Weighting parameters as given.
    pub weighting_params: Params,
    /// Weighting.
    pub weighting: Box<dyn Weigh>,
    /// Aggregation name.
    pub aggregation_name: String,
    /// Aggregation parameters as given.
    pub aggregation_params: Params,
    /// Aggregation, with its declared capabilities.
    pub aggregation: Aggregation,
    /// Warnings (a normalisation the aggregation ignores, …).
    pub warnings: Vec<Problem>,
}

/// Whether the weights `w_params` needs are all there: written weights (or AHP judgements) for
/// a weighting that reads them (`expert`, `combined`), judgements somewhere for one that needs
/// them (`ahp`).
pub(crate) fn weight_problems(system: &IndicatorSystem, w_params: &Params) -> Vec<Problem> {
    let mut problems = Vec::new();
    let caps = weight::capabilities(&w_params.kind);
    if caps.is_some_and(|c| c.written_weights)
        && let Err(e) = system.tree.global(AhpMethod::Eigenvector)
    {
        let loc = system.indicators.first().map(|i| i.location.clone());
        problems.push(Problem::at(loc, e.message));
    }
    if caps.is_some_and(|c| c.judgements) && !system.tree.has_ahp() {
        problems.push(Problem::at(
            w_params.location.clone(),
            text!(
                "weighting `ahp` needs pairwise judgements (`ahp = [[…]]`) on at least one node",
                "`ahp` 赋权需要至少一个节点给出判断矩阵（`ahp = [[…]]`）"
            ),
        ));
    }
    problems
}

impl Methods {
    /// Builds and checks the methods of `system` with `ov` applied. Every problem is
    /// collected: unknown names, bad parameters, normalisations that cannot handle an
    /// indicator, missing weights, `applies_to` with a method that cannot honour it.
    pub fn resolve(system: &IndicatorSystem, ov: &Overrides) -> Result<Methods> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let agg_params = ov
            .aggregation
            .clone()
            .unwrap_or_else(|| system.method.aggregation.clone());
        let w_params = ov
            .weighting
            .clone()
            .unwrap_or_else(|| system.method.weighting.clone());
        let aggregation = build(aggregate::REGISTRY, MethodKind::Aggregation, &agg_params)
            .map_err(|p| problems.push(p))
            .ok();
        let weighting = build(weight::REGISTRY, MethodKind::Weighting, &w_params)
            .map_err(|p| problems.push(p))
            .ok();

        let given = ov
            .normalization
            .clone()
            .or_else(|| system.method.normalization.clone());
        let intrinsic = aggregation
            .as_ref()
            .is_some_and(|a| a.normalization().is_none());
        if intrinsic && let Some(g) = &given {
            let (n, a) = (&g.kind, &agg_params.kind);
            warnings.push(Problem::at(
                g.location.clone(),
                text!(
                    "`{a}` carries its own normalisation; normalization `{n}` is used only for the weighting's normalised matrix",
                    "`{a}` 自带标准化；标准化方法 `{n}` 仅用于赋权所用的标准化矩阵"
                ),
            ));
        }
        let default_norm = given
            .clone()
            .or_else(|| {
                aggregation
                    .as_ref()
                    .and_then(|a| a.normalization())
                    .map(Params::named)
            })
            .unwrap_or_else(|| Params::named("min-max"));
        let mut per_indicator = Vec::with_capacity(system.indicators.len());
        let base_year = matches!(
            system.method.goalposts,
            crate::system::Goalposts::BaseYear { .. }
        );
        for ind in &system.indicators {
            if let Some((low, high)) = ind.goalposts {
                let n: Box<dyn Normalize> = Box::new(normalize::FixedGoalposts { low, high });
                if let Err(t) = n.check(&ind.spec()) {
                    let (id, en, zh) = (&ind.id, &t.en, &t.zh);
                    problems.push(Problem::at(
                        Some(ind.location.clone()),
                        text!("indicator `{id}`: {en}", "指标 `{id}`：{zh}"),
                    ));
                }
                if intrinsic {
                    let (id, a) = (&ind.id, &agg_params.kind);
                    problems.push(Problem::at(
                        Some(ind.location.clone()),
                        text!(
                            "indicator `{id}` has fixed `goalposts`, but `{a}` carries its own normalisation and would ignore them; choose an aggregation that reads the normalised matrix or remove the goalposts",
                            "指标 `{id}` 设有固定 `goalposts`，但 `{a}` 自带标准化会忽略它们；请改用读取标准化矩阵的集成方法，或删除 goalposts"
                        ),
                    ));
                }
                per_indicator.push(("goalposts".to_string(), n));
                continue;
            }
            let p = ind.normalization.as_ref().unwrap_or(&default_norm);
            match build(normalize::REGISTRY, MethodKind::Normalization, p) {
                Ok(n) => {
                    if let Err(t) = n.check(&ind.spec()) {
                        let (id, en, zh) = (&ind.id, &t.en, &t.zh);
                        let loc = p.location.clone().or_else(|| Some(ind.location.clone()));
                        problems.push(Problem::at(
                            loc,
                            text!("indicator `{id}`: {en}", "指标 `{id}`：{zh}"),
                        ));
                    }
                    if base_year && !n.takes_reference() {
                        let (id, k) = (&ind.id, &p.kind);
                        let loc = system
                            .method
                            .goalposts_location
                            .clone()
                            .or_else(|| Some(ind.location.clone()));
                        problems.push(Problem::at(
                            loc,
                            text!(
                                "base-year goalposts: normalization `{k}` (indicator `{id}`) has no form with a base year's statistics; use min-max, z-score, vector, sum, max, ideal, target or none, or goalposts = \"pooled\"",
                                "基年标准化：标准化方法 `{k}`（指标 `{id}`）不能使用基年统计量；请改用 min-max、z-score、vector、sum、max、ideal、target 或 none，或 goalposts = \"pooled\""
                            ),
                        ));
                    }
                    per_indicator.push((p.kind.clone(), n));
                }
                Err(e) => {
                    if !problems.contains(&e) {
                        problems.push(e);
                    }
                }
            }
        }

        // An aggregation between subsystems needs top-level criteria; a flat system has none.
        let needs_criteria =
            aggregate::capabilities(&agg_params.kind).is_some_and(|c| c.needs_criteria);
        if needs_criteria && !system.is_hierarchical() {
            let name = &agg_params.kind;
            problems.push(Problem::at(
                agg_params
                    .location
                    .clone()
                    .or_else(|| Some(crate::error::Location::file(&system.file))),
                text!(
                    "`{name}` needs at least two top-level criteria (subsystems); this system is flat — group its indicators under [[criteria]]",
                    "`{name}` 需要至少两个一级准则（子系统）；该体系为单层——请用 [[criteria]] 对指标分组"
                ),
            ));
        }
        if base_year
            && let Some(a) = &aggregation
            && !a.capabilities().row_wise
        {
            let name = &agg_params.kind;
            problems.push(Problem::at(
                system
                    .method
                    .goalposts_location
                    .clone()
                    .or_else(|| agg_params.location.clone()),
                text!(
                    "base-year goalposts: `{name}` takes reference points (ideal points, best and worst, averages, pairwise comparisons) from the zones it ranks, so it cannot keep a base year's scale; use weighted-sum, weighted-product or coupling-coordination, or goalposts = \"pooled\"",
                    "基年标准化：`{name}` 的参照点（理想解、最优最劣值、均值、两两比较）取自参评开发区，无法保持基年尺度；请改用 weighted-sum、weighted-product 或 coupling-coordination，或 goalposts = \"pooled\""
                ),
            ));
        }
        problems.extend(weight_problems(system, &w_params));
        let w_name = w_params.kind.as_str();
        let w_caps = weight::capabilities(w_name);
        // Written weights that do not sum to 1 among siblings.
        if w_caps.is_some_and(|c| c.written_weights) {
            for (k, node) in system.tree.nodes.iter().enumerate() {
                if node.children.is_empty() || node.ahp.is_some() {
                    continue;
                }
                let ws: Option<Vec<f64>> = node
                    .children
                    .iter()
                    .map(|&c| system.tree.nodes[c].weight)
                    .collect();
                if let Some(ws) = ws {
                    let s: f64 = ws.iter().sum();
                    // A sum beyond f64 (weights near 1e308) is shown by its size, not as inf.
                    let s = if s.is_infinite() {
                        let m = ws.iter().fold(0.0f64, |a, &x| a.max(x));
                        let rest: f64 = ws.iter().map(|x| x / m).sum();
                        format!("{rest}×{m:e}")
                    } else {
                        s.to_string()
                    };
                    let off = s
                        .parse::<f64>()
                        .map_or(true, |s| s > 0.0 && (s - 1.0).abs() > 1e-6);
                    if off {
                        let id = &system.nodes[k].id;
                        warnings.push(Problem::at(
                            Some(system.nodes[system.nodes[k].children[0]].location.clone()),
                            text!(
                                "weights under `{id}` sum to {s}; divided by their sum",
                                "`{id}` 下的权重之和为 {s}，已按和归一化"
                            ),
                        ));
                    }
                }
            }
        }
        if let Some(ind) = system.indicators.iter().find(|i| i.applies_to.is_some()) {
            let loc = Some(ind.location.clone());
            if let Some(a) = &aggregation
                && !a.capabilities().zone_weights
            {
                let name = &agg_params.kind;
                let accepting = aggregate::zone_weight_names();
                let (en, zh) = (accepting.join(", "), accepting.join("、"));
                problems.push(Problem::at(
                    loc.clone(),
                    text!(
                        "`applies_to` needs an aggregation that accepts per-zone weights ({en}), not `{name}`",
                        "`applies_to` 需要支持逐区权重的集成方法（{zh}），而非 `{name}`"
                    ),
                ));
            }
            // The message lists the subjective weightings in its established order, not the
            // registry's, so the list is written out.
            if !w_caps.is_some_and(|c| c.subjective) {
                problems.push(Problem::at(
                    loc,
                    text!(
                        "`applies_to` needs a subjective weighting (expert, ahp, equal), not `{w_name}`",
                        "`applies_to` 需要主观赋权（expert、ahp、equal），而非 `{w_name}`"
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        Ok(Methods {
            normalization: (!intrinsic).then(|| default_norm.kind.clone()),
            per_indicator,
            weighting_name: w_params.kind.clone(),
            weighting_params: w_params,
            weighting: weighting.expect("no problems"),
            aggregation_name: agg_params.kind.clone(),
            aggregation_params: agg_params,
            aggregation: aggregation.expect("no problems"),
            warnings,
        })
    }
}
