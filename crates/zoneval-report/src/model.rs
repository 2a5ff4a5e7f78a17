//! The report model: everything a report shows, built once from an [`Evaluation`] (plus the
//! run's specification, the other years of the data and any sensitivity results) and saved in
//! `results.json` under the key `report`, so that `zoneval report results.json` re-renders the
//! same report — in either language — without the inputs.
//!
//! The model holds both languages' names and no rendered text, and no floating-point value is
//! NaN (missing values are `null`), so it survives a JSON round trip exactly.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use zoneval_core::error::{Lang, Problem};
use zoneval_core::evaluation::{self, Evaluation};
use zoneval_core::explain::{self, Explanation};
use zoneval_core::sensitivity::SensitivityResults;
use zoneval_core::system::VetoPolicy;

/// Version of the model's layout, bumped when a field changes meaning.
pub const VERSION: u32 = 1;

/// A message in both languages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Msg {
    /// The wording for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    fn problem(p: &Problem) -> Msg {
        Msg {
            en: p.render(Lang::En),
            zh: p.render(Lang::Zh),
        }
    }
}

/// Something with an id and a name in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name (Chinese, or whatever the system wrote).
    pub name: String,
    /// English name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

impl Named {
    /// The name in `lang` (English falls back to the written name).
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.name_en) {
            (Lang::En, Some(n)) => n,
            _ => &self.name,
        }
    }
}

/// How the run was specified: enough to reproduce it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    /// The system file as named (a bundled name when it was bundled).
    pub system_file: String,
    /// The system file's text.
    #[serde(default)]
    pub system_toml: Option<String>,
    /// The data file as named.
    pub data_file: String,
    /// `--year` as given (the evaluated year is [`ReportModel::year`]).
    #[serde(default)]
    pub year: Option<i64>,
    /// `--encoding`.
    #[serde(default)]
    pub encoding: Option<String>,
    /// `--normalization`.
    #[serde(default)]
    pub normalization: Option<String>,
    /// `--weighting`.
    #[serde(default)]
    pub weighting: Option<String>,
    /// `--aggregation`.
    #[serde(default)]
    pub aggregation: Option<String>,
    /// `--group-by`.
    #[serde(default)]
    pub group_by: Vec<String>,
}

impl Spec {
    /// The command that reproduces the evaluation (the year pinned when the data has years).
    pub fn command(&self, year: Option<i64>) -> String {
        let mut args: Vec<String> = vec!["zoneval".into(), "evaluate".into()];
        let mut push = |k: &str, v: &str| {
            args.push(k.into());
            args.push(shell_quote(v));
        };
        push("--system", &self.system_file);
        push("--data", &self.data_file);
        if let Some(y) = year.or(self.year) {
            push("--year", &y.to_string());
        }
        for (k, v) in [
            ("--encoding", &self.encoding),
            ("--normalization", &self.normalization),
            ("--weighting", &self.weighting),
            ("--aggregation", &self.aggregation),
        ] {
            if let Some(v) = v {
                push(k, v);
            }
        }
        for g in &self.group_by {
            push("--group-by", g);
        }
        args.join(" ")
    }
}

/// Quotes a shell word when it needs it.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./:=+,@%".contains(c) || !c.is_ascii());
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The methods used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodUsed {
    /// Default normalisation (None: the aggregation carries its own).
    pub normalization: Option<String>,
    /// Weighting, with parameters as written.
    pub weighting: String,
    /// Aggregation, with parameters as written.
    pub aggregation: String,
    /// The aggregation's registry name.
    pub aggregation_name: String,
    /// Larger method values are better.
    pub higher_is_better: bool,
    /// `[method] veto`.
    pub veto: String,
    /// `[data] missing`.
    pub missing: String,
}

/// A grade band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeInfo {
    /// Name (e.g. 优秀).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Lowest display score of the band.
    pub min: f64,
}

impl GradeInfo {
    /// The name in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.name_en) {
            (Lang::En, Some(n)) => n,
            _ => &self.name,
        }
    }
}

/// A node of the indicator tree (node 0 is the root).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// Id and names.
    #[serde(flatten)]
    pub named: Named,
    /// Parent node.
    pub parent: Option<usize>,
    /// Children.
    pub children: Vec<usize>,
    /// Depth (root 0).
    pub depth: usize,
    /// The indicator, for a leaf.
    pub indicator: Option<usize>,
    /// Global weight: the sum of the final weights of the leaves below.
    pub weight: f64,
}

/// A leaf indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    /// Id and names.
    #[serde(flatten)]
    pub named: Named,
    /// Unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// `benefit`, `cost`, `target`, `range`.
    pub direction: String,
    /// The normalisation applied.
    pub normalization: String,
    /// Final global weight.
    pub weight: f64,
    /// Tree node.
    pub node: usize,
    /// The top-level criterion it belongs to (node index), for hierarchical systems.
    pub criterion: Option<usize>,
}

/// A failed gate condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VetoReason {
    /// Gate id.
    pub gate: String,
    /// Gate name.
    pub name: String,
    /// Condition id.
    pub condition: String,
    /// The value tested (None = no data).
    pub value: Option<f64>,
    /// The bound it broke, e.g. "≤ 0".
    pub requirement: String,
}

/// A zone's rank within one group column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRank {
    /// The group column.
    pub column: String,
    /// The zone's group.
    pub group: String,
    /// Rank within the group.
    pub rank: Option<usize>,
}

/// One zone's result, in ranking order (unranked zones last).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneRow {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// The method's value.
    pub value: Option<f64>,
    /// Display score.
    pub score: Option<f64>,
    /// Rank, 1 = best.
    pub rank: Option<usize>,
    /// Grade index.
    pub grade: Option<usize>,
    /// Failed a gate.
    pub vetoed: bool,
    /// On the watch list.
    pub watch: bool,
    /// Why it was vetoed.
    pub veto_reasons: Vec<VetoReason>,
    /// Group ranks.
    pub groups: Vec<GroupRank>,
    /// Criterion sub-scores, parallel to [`ReportModel::criteria`].
    pub criteria: Vec<Option<f64>>,
    /// Aggregation intermediate values, parallel to [`ReportModel::details`].
    pub details: Vec<f64>,
    /// Raw values (after derivation and imputation, in the data's units: outlier treatment
    /// undone); None = not applicable.
    pub raw: Vec<Option<f64>>,
    /// Normalised values (None = not ranked or not applicable).
    pub normalized: Vec<Option<f64>>,
    /// The scorecard explanation (ranked zones).
    pub explanation: Option<Explanation>,
}

/// An aggregation's intermediate column (TOPSIS D⁺, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailColumn {
    /// JSON key.
    pub key: String,
    /// English label.
    pub en: String,
    /// Chinese label.
    pub zh: String,
}

/// A filled cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImputedCell {
    /// Zone id.
    pub zone: String,
    /// Indicator id.
    pub indicator: String,
    /// Value filled in.
    pub value: f64,
    /// How.
    pub method: String,
    /// Where the empty cell is.
    pub location: String,
}

/// A value changed by outlier treatment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreatedCell {
    /// Zone id.
    pub zone: String,
    /// Indicator id.
    pub indicator: String,
    /// Before.
    pub from: f64,
    /// After.
    pub to: f64,
    /// How.
    pub method: String,
}

/// The outlier treatment of one indicator: how many values changed, and the cells for a
/// treatment that changes only some (a log transform changes the whole column; its cells
/// are not kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreatedGroup {
    /// Indicator id.
    pub indicator: String,
    /// `winsorize` or `log`.
    pub method: String,
    /// Values changed.
    pub count: usize,
    /// The changed cells (empty for `log`).
    pub cells: Vec<TreatedCell>,
}

/// A zone left out for missing data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DroppedZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Indicators missing.
    pub missing: Vec<String>,
}

/// Data-quality notes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Filled cells.
    pub imputed: Vec<ImputedCell>,
    /// Treated outliers, one entry per indicator and method.
    pub treated: Vec<TreatedGroup>,
    /// Dropped zones.
    pub dropped: Vec<DroppedZone>,
    /// Warnings of every stage.
    pub warnings: Vec<Msg>,
}

/// AHP consistency of a judged node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyRow {
    /// Node id.
    pub node: String,
    /// λmax.
    pub lambda_max: f64,
    /// CI.
    pub ci: f64,
    /// CR.
    pub cr: f64,
}

/// One zone in another year's evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Rank.
    pub rank: Option<usize>,
    /// Score.
    pub score: Option<f64>,
}

/// The evaluation of one year with the same system and methods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearRanking {
    /// The year.
    pub year: i64,
    /// Zones in rank order.
    pub zones: Vec<YearZone>,
}

/// Everything a report shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportModel {
    /// [`VERSION`].
    pub version: u32,
    /// "zoneval x.y.z".
    pub generator: String,
    /// The system.
    pub system: Named,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Display scale.
    pub scale: f64,
    /// The evaluated year.
    pub year: Option<i64>,
    /// How the run was specified.
    pub spec: Spec,
    /// Methods used.
    pub method: MethodUsed,
    /// Grade bands, best first.
    pub grades: Vec<GradeInfo>,
    /// The indicator tree.
    pub nodes: Vec<NodeInfo>,
    /// Leaf indicators.
    pub indicators: Vec<IndicatorInfo>,
    /// Criteria with sub-scores (node indices).
    pub criteria: Vec<usize>,
    /// Group columns ranked within.
    pub group_columns: Vec<String>,
    /// Aggregation intermediate columns.
    pub details: Vec<DetailColumn>,
    /// The system keeps a watch list (`[report] watch_bottom`).
    #[serde(default)]
    pub watch_list: bool,
    /// Zones, best rank first.
    pub zones: Vec<ZoneRow>,
    /// AHP consistency.
    pub consistency: Vec<ConsistencyRow>,
    /// Data-quality notes.
    pub quality: Quality,
    /// Every year of the data (only when it has more than one).
    pub years: Vec<YearRanking>,
    /// Sensitivity results, when run.
    #[serde(default)]
    pub sensitivity: Option<SensitivityResults>,
}

impl ReportModel {
    /// Checks that every index and length in the model is consistent (a model read from a
    /// results.json that was edited by hand must not make rendering panic).
    pub fn check(&self) -> Result<(), String> {
        let (m, c, g, n) = (
            self.indicators.len(),
            self.criteria.len(),
            self.grades.len(),
            self.nodes.len(),
        );
        if n == 0 {
            return Err("no tree nodes".into());
        }
        for (k, node) in self.nodes.iter().enumerate() {
            let bad_child = node.children.iter().any(|&ch| ch >= n || ch <= k);
            if bad_child
                || node.parent.is_some_and(|p| p >= k)
                || node.indicator.is_some_and(|j| j >= m)
            {
                return Err(format!("node {} refers outside the tree", node.named.id));
            }
        }
        if self.criteria.iter().any(|&k| k >= n) {
            return Err("a criterion refers outside the tree".into());
        }
        for ind in &self.indicators {
            if ind.node >= n || ind.criterion.is_some_and(|k| k >= n) {
                return Err(format!(
                    "indicator {} refers outside the tree",
                    ind.named.id
                ));
            }
        }
        for z in &self.zones {
            let lengths = z.criteria.len() == c
                && z.raw.len() == m
                && z.normalized.len() == m
                && (z.details.is_empty() || z.details.len() == self.details.len())
                && z.groups.len() <= self.group_columns.len();
            if !lengths || z.grade.is_some_and(|x| x >= g) {
                return Err(format!(
                    "zone {}: values do not match the indicators, criteria or grades",
                    z.id
                ));
            }
            if let Some(ex) = &z.explanation {
                let standings = ex
                    .strongest
                    .iter()
                    .chain(&ex.weakest)
                    .all(|s| s.indicator < m);
                let gap = ex
                    .next_grade
                    .as_ref()
                    .is_none_or(|gg| gg.grade < g && gg.closers.iter().all(|cl| cl.indicator < m));
                if !standings || !gap {
                    return Err(format!(
                        "zone {}: its explanation refers to unknown indicators or grades",
                        z.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// The zones that were ranked.
    pub fn ranked(&self) -> impl Iterator<Item = &ZoneRow> {
        self.zones.iter().filter(|z| z.rank.is_some())
    }

    /// The top-level criteria (depth 1) among [`ReportModel::criteria`], as positions into it.
    pub fn top_criteria(&self) -> Vec<usize> {
        (0..self.criteria.len())
            .filter(|&k| self.nodes[self.criteria[k]].depth == 1)
            .collect()
    }

    /// Mean of criterion `k` over the ranked zones that have it.
    pub fn criterion_mean(&self, k: usize) -> Option<f64> {
        mean(
            self.ranked()
                .filter_map(|z| z.criteria.get(k).copied().flatten()),
        )
    }

    /// Mean normalised value of indicator `j` over the ranked zones it applies to.
    pub fn indicator_mean(&self, j: usize) -> Option<f64> {
        mean(
            self.ranked()
                .filter_map(|z| z.normalized.get(j).copied().flatten()),
        )
    }

    /// The grade name of a zone.
    pub fn grade_name(&self, z: &ZoneRow, lang: Lang) -> String {
        z.grade
            .and_then(|g| self.grades.get(g))
            .map(|g| g.get(lang).to_string())
            .unwrap_or_default()
    }

    /// True for a hierarchical system.
    pub fn hierarchical(&self) -> bool {
        !self.criteria.is_empty()
    }
}

fn mean(it: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = it.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Builds the model. `spec` says how the run was specified; `sensitivity` is shown when given.
/// Every year of the data is evaluated with the same system and methods for the slope chart;
/// a year that cannot be evaluated is noted in the data-quality warnings.
pub fn build(ev: &Evaluation, spec: Spec, sensitivity: Option<SensitivityResults>) -> ReportModel {
    let sys = ev.system();
    let prep = &ev.prepared;
    let m = sys.indicators.len();
    let top_of = |mut k: usize| -> Option<usize> {
        while let Some(p) = sys.nodes[k].parent {
            if p == 0 {
                return Some(k);
            }
            k = p;
        }
        None
    };
    let node_weight = |k: usize| -> f64 {
        sys.tree
            .leaves_under(k)
            .iter()
            .map(|&l| ev.weights.weights[l])
            .sum()
    };
    let nodes: Vec<NodeInfo> = sys
        .nodes
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
            weight: node_weight(k),
        })
        .collect();
    let hierarchical = sys.is_hierarchical();
    let indicators: Vec<IndicatorInfo> = sys
        .indicators
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
            normalization: ev.methods.per_indicator[j].0.clone(),
            weight: ev.weights.weights[j],
            node: i.node,
            criterion: if hierarchical { top_of(i.node) } else { None },
        })
        .collect();
    let criteria: Vec<usize> = ev
        .results
        .iter()
        .find(|r| !r.criteria.is_empty())
        .map(|r| r.criteria.iter().map(|c| c.0).collect())
        .unwrap_or_default();
    let group_columns: Vec<String> = ev
        .results
        .iter()
        .map(|r| {
            r.group_ranks
                .iter()
                .map(|g| g.0.clone())
                .collect::<Vec<_>>()
        })
        .max_by_key(Vec::len)
        .unwrap_or_default();
    let explanations = explain::explain(ev);
    let originals = explain::Originals::new(ev);
    let zones: Vec<ZoneRow> = ev
        .results
        .iter()
        .zip(explanations)
        .map(|(r, explanation)| {
            let z = ev.zone(r);
            let pos = ev.ranked.iter().position(|&k| k == r.zone);
            let applies = |j: usize| prep.applicable.as_ref().is_none_or(|a| a[r.zone][j]);
            ZoneRow {
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
                    .map(|p| ev.aggregated.tables.iter().map(|t| t.values[p]).collect())
                    .unwrap_or_default(),
                // In the data's units (before outlier treatment).
                raw: (0..m)
                    .map(|j| {
                        finite(prep.raw.get(r.zone, j))
                            .filter(|_| applies(j))
                            .map(|v| originals.value(&z.id, j, v))
                    })
                    .collect(),
                normalized: (0..m)
                    .map(|j| {
                        pos.and_then(|p| finite(ev.normalized.get(p, j)))
                            .filter(|_| applies(j))
                    })
                    .collect(),
                explanation,
            }
        })
        .collect();
    let mut quality = Quality {
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
        warnings: ev.warnings.iter().map(Msg::problem).collect(),
    };
    let years = other_years(ev, &spec.group_by, &mut quality.warnings);
    let mut spec = spec;
    if spec.system_toml.is_none() {
        spec.system_toml = zoneval_core::bundled::Source::of_system(sys)
            .read()
            .ok()
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned());
    }
    let wp = &ev.methods.weighting_params;
    let ap = &ev.methods.aggregation_params;
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
        year: prep.year,
        spec,
        method: MethodUsed {
            normalization: ev.methods.normalization.clone(),
            weighting: params_text(wp),
            aggregation: params_text(ap),
            aggregation_name: ev.methods.aggregation_name.clone(),
            higher_is_better: ev.methods.aggregation.higher_is_better(),
            veto: match sys.method.veto {
                VetoPolicy::Exclude => "exclude",
                VetoPolicy::Flag => "flag",
                VetoPolicy::GradeFloor => "grade-floor",
            }
            .into(),
            missing: sys.data.missing.keyword().into(),
        },
        grades: sys
            .grades
            .iter()
            .map(|g| GradeInfo {
                name: g.name.clone(),
                name_en: g.name_en.clone(),
                min: g.min,
            })
            .collect(),
        nodes,
        indicators,
        criteria,
        group_columns,
        details: ev
            .aggregated
            .tables
            .iter()
            .map(|t| DetailColumn {
                key: t.key.into(),
                en: t.en.into(),
                zh: t.zh.into(),
            })
            .collect(),
        watch_list: sys.report.watch_bottom.is_some(),
        zones,
        consistency: ev
            .weights
            .consistency
            .iter()
            .map(|c| ConsistencyRow {
                node: c.node.clone(),
                lambda_max: c.lambda_max,
                ci: c.ci,
                cr: c.cr,
            })
            .collect(),
        quality,
        years,
        sensitivity,
    }
}

fn treated_groups(treated: &[zoneval_core::evaluation::TreatedValue]) -> Vec<TreatedGroup> {
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
            g.cells.push(TreatedCell {
                zone: t.zone.clone(),
                indicator: t.indicator.clone(),
                from: t.from,
                to: t.to,
                method: t.method.to_string(),
            });
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

/// Evaluates every year of the data with the same system and methods (when it has several).
fn other_years(ev: &Evaluation, group_by: &[String], warnings: &mut Vec<Msg>) -> Vec<YearRanking> {
    let prep = &ev.prepared;
    let all = prep.table.distinct_years();
    if all.len() < 2 {
        return Vec::new();
    }
    let ranking = |e: &Evaluation, year: i64| YearRanking {
        year,
        zones: e
            .results
            .iter()
            .map(|r| {
                let z = e.zone(r);
                YearZone {
                    id: z.id.clone(),
                    name: z.name.clone(),
                    rank: r.rank,
                    score: r.score,
                }
            })
            .collect(),
    };
    let mut out = Vec::new();
    for y in all {
        if Some(y) == prep.year {
            out.push(ranking(ev, y));
            continue;
        }
        let run = evaluation::prepare(prep.system.clone(), prep.table.clone(), Some(y), group_by)
            .and_then(|p| evaluation::evaluate(&Arc::new(p), &ev.methods, group_by));
        match run {
            Ok(e) => out.push(ranking(&e, y)),
            Err(e) => {
                let first = e.problems.first();
                let why = |l| first.map(|p| p.render(l)).unwrap_or_default();
                warnings.push(Msg {
                    en: format!(
                        "year {y} not evaluated for the year-over-year chart: {}",
                        why(Lang::En)
                    ),
                    zh: format!("{y} 年未能评价，未列入逐年对比图：{}", why(Lang::Zh)),
                });
            }
        }
    }
    out
}
