//! The report model: everything a report shows, built once from an [`Evaluation`] (plus the
//! run's specification, the other years of the data and any sensitivity results) and saved in
//! `results.json` under the key `report`, so that `zoneval report results.json` re-renders the
//! same report — in either language — without the inputs. The model never evaluates: the
//! other years' rankings come from the engine ([`zoneval_core::evaluation::history`]).
//!
//! The model holds both languages' names and no rendered text, and no floating-point value is
//! NaN (missing values are `null`), so it survives a JSON round trip exactly.

pub mod analysis;
mod build;
mod check;

use serde::{Deserialize, Serialize};

use crate::text::{self, Text};
pub use analysis::{
    Analysis, AuditSection, CompareSection, audit_section, compare_section, compared_section,
};
pub use build::{build, for_outputs};
use zoneval_core::error::Lang;
use zoneval_core::explain::Explanation;
use zoneval_core::provenance::Provenance;
use zoneval_core::sensitivity::SensitivityResults;

/// Version of the model's layout, bumped when a field changes meaning.
pub const VERSION: u32 = 1;

/// A message in both languages: the engine's bilingual [`Text`], saved as `{ en, zh }`.
pub type Msg = Text;

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
        text::name_in(lang, &self.name, self.name_en.as_deref())
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
        text::name_in(lang, &self.name, self.name_en.as_deref())
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
    /// Every evaluated year the zone appears in (a panel), ascending.
    #[serde(default)]
    pub history: Vec<HistoryPoint>,
    /// Ids of the multi-year rules the zone is on.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Points of each adjustment item (in [`ReportModel::adjustments`] order).
    #[serde(default)]
    pub adjustments: Vec<f64>,
    /// Change since the previous year (a panel).
    #[serde(default)]
    pub trend: Option<TrendRow>,
    /// Names the zone had in earlier years.
    #[serde(default)]
    pub earlier_names: Vec<String>,
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

/// A zone of the evaluated year outside the system's `[scope]` (listed, not ranked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutOfScopeZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Why it is not in scope.
    pub reason: Msg,
}

/// The scope in force (`[scope]`): which zones the system evaluates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScopeInfo {
    /// `default` or the variant chosen.
    pub name: String,
    /// The conditions, e.g. `level ∈ {国家级} and type ∈ {经济技术开发区}`.
    pub rule: String,
    /// Why the scope is what it is (the system's note), if it says.
    pub note: Option<Msg>,
    /// Zones of the evaluated year outside it, in data order.
    pub not_in_scope: Vec<OutOfScopeZone>,
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

/// One year of a zone's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// The year.
    pub year: i64,
    /// Display score that year (with adjustments).
    pub score: Option<f64>,
    /// Rank that year.
    pub rank: Option<usize>,
}

/// A zone's change since the previous evaluated year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// Score now − score then.
    pub score_change: Option<f64>,
    /// Rank then − rank now (positive = moved up).
    pub rank_change: Option<i64>,
    /// 5th percentile of the score change over weight samples.
    pub change_p05: Option<f64>,
    /// 95th percentile.
    pub change_p95: Option<f64>,
    /// `improved`, `declined`, `no-clear-change`, or None (scores not comparable).
    pub verdict: Option<String>,
    /// Per indicator: change of the raw value since the previous year.
    pub indicator_change: Vec<Option<f64>>,
    /// Per indicator: compound annual growth since the zone's first evaluated year.
    pub indicator_cagr: Vec<Option<f64>>,
}

/// A zone on a rule's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleZoneRow {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Years it met the rule.
    pub years: Vec<i64>,
    /// Mean display score over those years.
    pub mean_score: f64,
}

/// A multi-year rule and its list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    /// Id and names.
    pub named: Named,
    /// `bottom` or `top`.
    pub side: String,
    /// How many at that end.
    pub n: usize,
    /// Group column ranked within.
    pub within: Option<String>,
    /// Years needed …
    pub times: usize,
    /// … of this many.
    pub of_last: usize,
    /// The window's years.
    pub window: Vec<i64>,
    /// Years of the window without data.
    pub missing_years: Vec<i64>,
    /// The zones on the list.
    pub zones: Vec<RuleZoneRow>,
}

/// What a panel (several years) adds to the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelSection {
    /// `per-year`, `pooled` or `base-year`.
    pub goalposts: String,
    /// The base year of `base-year` goalposts.
    pub base_year: Option<i64>,
    /// Scores of different years are on one scale.
    pub comparable: bool,
    /// The evaluated years, ascending.
    pub years: Vec<i64>,
    /// The year before the evaluated one.
    pub previous: Option<i64>,
    /// The multi-year rules.
    pub rules: Vec<RuleRow>,
    /// Why there is no interval of the score change (None when there is one).
    pub no_interval: Option<Msg>,
    /// Weight samples, perturbation and seed of the score-change interval.
    pub interval_samples: usize,
    /// Perturbation of the interval's weight samples.
    pub interval_perturb: f64,
    /// Seed of the interval.
    pub interval_seed: u64,
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
    /// The statistics evaluated are synthetic (a `data_status` column saying so, or the bundled
    /// data): every output says so where a reader sees the results.
    #[serde(default)]
    pub synthetic: bool,
    /// The system's scope, when it has one (zones outside it are listed, not ranked).
    #[serde(default)]
    pub scope: Option<ScopeInfo>,
    /// Every evaluated year (the selected one and the earlier ones; only for a panel).
    pub years: Vec<YearRanking>,
    /// Bonus and deduction items (`[[adjustments]]`).
    #[serde(default)]
    pub adjustments: Vec<Named>,
    /// Panel settings, rules and the interval of score changes (data with several years).
    #[serde(default)]
    pub panel: Option<PanelSection>,
    /// Sensitivity results, when run.
    #[serde(default)]
    pub sensitivity: Option<SensitivityResults>,
    /// `zoneval audit` results, when the report was written by `audit --report`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSection>,
    /// `zoneval compare` results, when the report was written by `compare --report`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareSection>,
    /// Where the results came from (set by the front end that knows the input files; absent
    /// from a results.json written before provenance was recorded).
    #[serde(default)]
    pub provenance: Option<Provenance>,
    /// What only the run knows (absent from a model read back from results.json).
    #[serde(skip)]
    pub run: Transient<RunDetails>,
}

/// What `evaluate`'s own outputs show beyond the saved model: kept out of results.json's
/// `report` (whose layout is fixed) and read from the run that built the model.
#[derive(Clone, Debug, Default)]
pub struct RunDetails {
    /// The weighting's registry name (the model keeps it with its parameters).
    pub weighting_name: String,
    /// The weighting's intermediate columns (entropy, CRITIC information, …): key, values.
    pub weight_details: Vec<(String, Vec<f64>)>,
    /// Every value changed by outlier treatment, in the order treated (the model keeps them
    /// grouped, without the cells of a log transform).
    pub treated: Vec<TreatedCell>,
    /// How many of the first data-quality warnings are the evaluation's own (the rest are
    /// the report's, such as a year that could not be evaluated).
    pub warnings: usize,
}

/// A value that rides along with a model without being saved or compared: two models are
/// equal whatever it holds, so a model equals itself read back from results.json.
#[derive(Clone, Debug, Default)]
pub struct Transient<T>(pub Option<T>);

impl<T> PartialEq for Transient<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl ReportModel {
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

    /// The weighting's registry name (as the model saved it, with any parameters, when the
    /// model was read back from results.json).
    pub fn weighting_name(&self) -> &str {
        self.run
            .0
            .as_ref()
            .map_or(&self.method.weighting, |r| &r.weighting_name)
    }

    /// True for a hierarchical system.
    pub fn hierarchical(&self) -> bool {
        !self.criteria.is_empty()
    }
}

/// Mean of the values, None for none.
fn mean(it: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = it.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| s / n as f64)
}
