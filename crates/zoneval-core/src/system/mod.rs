//! Indicator systems: the tree of criteria and indicators, methods, gates, grades and data
//! settings, loaded from a TOML file (see `load`) and checked as a whole (`zoneval validate`
//! lists every problem at once).

mod load;
pub mod panel;
pub mod scenario;
pub mod scope;
pub mod toml_read;

use std::path::PathBuf;
use std::sync::Arc;

pub use load::{load_file, load_str};
pub use panel::{Adjustment, Goalposts, Rule, RuleSide};
pub use scope::Scope;

use crate::data::formula::Formula;
use crate::error::{Location, Problem};
use crate::method::aggregate::Preference;
use crate::method::weight::WeightTree;
use crate::method::{ColumnSpec, Direction, Params};
use crate::text;

/// What to do with a zone that fails a veto gate (`[method] veto`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VetoPolicy {
    /// Leave the zone out of normalisation, weighting and ranking; list it unranked.
    Exclude,
    /// Rank the zone normally and flag it.
    Flag,
    /// Rank normally but give it the lowest grade.
    GradeFloor,
}

/// How missing cells are filled (`[data] missing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MissingPolicy {
    /// A missing cell is an error (default).
    Error,
    /// Fill with the mean of the zones evaluated.
    Mean,
    /// Fill with the median.
    Median,
    /// Fill with the mean of the zone's group in column `by`.
    GroupMean {
        /// The grouping column.
        by: String,
    },
    /// Fill with zero.
    Zero,
    /// Leave out every zone with a missing indicator value.
    DropZone,
}

impl MissingPolicy {
    /// The keyword in system files.
    pub fn keyword(&self) -> &'static str {
        match self {
            MissingPolicy::Error => "error",
            MissingPolicy::Mean => "mean",
            MissingPolicy::Median => "median",
            MissingPolicy::GroupMean { .. } => "group-mean",
            MissingPolicy::Zero => "zero",
            MissingPolicy::DropZone => "drop-zone",
        }
    }
}

/// Opt-in outlier treatment of one indicator (`outliers = …`).
#[derive(Clone, Debug, PartialEq)]
pub enum OutlierTreatment {
    /// Winsorise up to `max_points` values while |skewness| > `skew` and kurtosis > `kurtosis`;
    /// if that is not enough, log-transform instead.
    Winsorize {
        /// Largest number of values winsorised.
        max_points: usize,
        /// Absolute skewness threshold.
        skew: f64,
        /// (Excess) kurtosis threshold.
        kurtosis: f64,
    },
    /// Always log-transform: ln(x − min + 1) (values shifted to start at 1).
    Log,
}

/// A comparison a gate makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Threshold {
    /// A fixed value.
    Value(f64),
    /// A value looked up in `[[tables]]` by the zone's values in `by` columns.
    Lookup {
        /// Index into [`IndicatorSystem::tables`].
        table: usize,
    },
}

/// One pass/fail condition on a raw value.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Short id (for reports).
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// The value tested: a data column or a formula.
    pub source: ValueSource,
    /// Lower bound (inclusive).
    pub min: Option<Threshold>,
    /// Upper bound (inclusive).
    pub max: Option<Threshold>,
    /// Where it was written.
    pub location: Location,
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueSource {
    /// A data column.
    Column(String),
    /// A formula over data columns (and derived indicators).
    Formula(Formula),
}

/// A gate: veto (single condition) or k-of-n (at least `k` of the conditions must pass).
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    /// Gate id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// The conditions.
    pub conditions: Vec<Condition>,
    /// How many conditions must pass (all, for a plain gate).
    pub k: usize,
    /// Where it was written.
    pub location: Location,
}

/// A lookup table for thresholds that depend on the zone (e.g. by industry and city grade).
#[derive(Clone, Debug, PartialEq)]
pub struct LookupTable {
    /// Table id.
    pub id: String,
    /// The data columns whose values form the key.
    pub by: Vec<String>,
    /// Key values → threshold.
    pub rows: Vec<(Vec<String>, f64)>,
    /// Threshold when no row matches (`default`), or none (then no match is an error).
    pub default: Option<f64>,
    /// Where it was written.
    pub location: Location,
}

/// An indicator restricted to zones whose `column` has one of `values`.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliesTo {
    /// Grouping column.
    pub column: String,
    /// Values of that column for which the indicator applies.
    pub values: Vec<String>,
}

/// A leaf indicator.
#[derive(Clone, Debug)]
pub struct Indicator {
    /// Id (also the data column unless `column` or `formula` says otherwise).
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Where the raw value comes from.
    pub source: ValueSource,
    /// Benefit, cost, target or range.
    pub direction: Direction,
    /// Written local weight.
    pub weight: Option<f64>,
    /// Normalisation override.
    pub normalization: Option<Params>,
    /// Ideal value (for `ideal`).
    pub ideal: Option<f64>,
    /// Worst value (linear `ideal` form).
    pub worst: Option<f64>,
    /// A veto gate on the raw value, as an index into [`IndicatorSystem::gates`].
    pub veto: Option<usize>,
    /// PROMETHEE preference function override.
    pub preference: Option<Preference>,
    /// Opt-in outlier treatment.
    pub outliers: Option<OutlierTreatment>,
    /// Zones the indicator applies to (all when `None`).
    pub applies_to: Option<AppliesTo>,
    /// Fixed min-max goalposts `[low, high]` (overrides the normalisation).
    pub goalposts: Option<(f64, f64)>,
    /// The node index in [`IndicatorSystem::nodes`].
    pub node: usize,
    /// Where it was written.
    pub location: Location,
}

impl Indicator {
    /// What normalisations need to know.
    pub fn spec(&self) -> ColumnSpec {
        ColumnSpec {
            direction: self.direction,
            ideal: self.ideal,
            worst: self.worst,
        }
    }

    /// The name in `lang` (English falls back to the Chinese name when no `name_en` is given).
    pub fn display_name(&self, lang: crate::error::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::error::Lang::En, Some(n)) => n,
            _ => &self.name,
        }
    }
}

/// A node of the tree: the root, a criterion or an indicator.
#[derive(Clone, Debug)]
pub struct Node {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Parent node (None for the root).
    pub parent: Option<usize>,
    /// Children (criteria or indicators).
    pub children: Vec<usize>,
    /// The indicator index, for a leaf.
    pub indicator: Option<usize>,
    /// Depth (root 0).
    pub depth: usize,
    /// Where it was written.
    pub location: Location,
}

/// `[method]`.
#[derive(Clone, Debug)]
pub struct MethodSection {
    /// Default normalisation (None: each aggregation's own default).
    pub normalization: Option<Params>,
    /// Weighting.
    pub weighting: Params,
    /// Aggregation.
    pub aggregation: Params,
    /// What a veto does.
    pub veto: VetoPolicy,
    /// Default PROMETHEE preference function.
    pub preference: Preference,
    /// Where the normalisation's statistics come from on a panel.
    pub goalposts: Goalposts,
    /// Where `goalposts` was written (for messages).
    pub goalposts_location: Option<Location>,
    /// `ideals = "standard"`: the `ideal` values are standards a zone meets (full marks once
    /// met), not TD/T 1029 ideals at or beyond every zone's value — no warning when zones are
    /// beyond them.
    pub ideals_are_standards: bool,
}

/// `[data]`.
#[derive(Clone, Debug)]
pub struct DataSection {
    /// Default data file (resolved against the system file's directory).
    pub path: Option<PathBuf>,
    /// Zone id column.
    pub id_column: String,
    /// Zone name column.
    pub name_column: String,
    /// Year column (optional in the data).
    pub year_column: String,
    /// Grouping columns reported with each zone and ranked within.
    pub groups: Vec<String>,
    /// Missing-cell policy.
    pub missing: MissingPolicy,
    /// Cell texts that mean "missing" besides the empty cell.
    pub na: Vec<String>,
    /// Encoding: None = detect.
    pub encoding: Option<String>,
    /// xlsx sheet (first sheet when None).
    pub sheet: Option<String>,
    /// Header aliases (`columns = { zone_id = "开发区代码" }`): which header holds a column.
    pub columns: Vec<crate::data::ColumnAlias>,
}

/// A grade band.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Grade {
    /// Name (e.g. 优秀).
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Lowest display score of the band.
    pub min: f64,
}

/// `[report]`: extra lists the report shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportSection {
    /// Zones at the bottom of their group to put on a watch list (e.g. 5).
    pub watch_bottom: Option<usize>,
    /// The group column the watch list is taken within (whole ranking when None).
    pub watch_within: Option<String>,
}

/// A loaded, checked indicator system.
#[derive(Clone, Debug)]
pub struct IndicatorSystem {
    /// The system file, as named by the user (a bundled system's repository-relative name).
    pub file: Arc<str>,
    /// Whether this is a bundled system: its relative `[data] path` then names a bundled dataset.
    pub bundled: bool,
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Display scale (scores run 0..scale).
    pub scale: f64,
    /// Methods.
    pub method: MethodSection,
    /// Data settings.
    pub data: DataSection,
    /// All nodes; node 0 is the root.
    pub nodes: Vec<Node>,
    /// Leaf indicators, depth-first in file order.
    pub indicators: Vec<Indicator>,
    /// Gates: indicator vetoes and `[[gates]]`.
    pub gates: Vec<Gate>,
    /// Threshold lookup tables.
    pub tables: Vec<LookupTable>,
    /// Grade bands, best (highest `min`) first.
    pub grades: Vec<Grade>,
    /// Report settings.
    pub report: ReportSection,
    /// Bonus and deduction items (`[[adjustments]]`).
    pub adjustments: Vec<Adjustment>,
    /// Multi-year lists (`[[rules]]`).
    pub rules: Vec<Rule>,
    /// Which zones the system evaluates (`[scope]`; every zone when None).
    pub scope: Option<Scope>,
    /// The tree as weightings see it.
    pub tree: WeightTree,
    /// Warnings found while loading (weights not summing to 1, …).
    pub warnings: Vec<Problem>,
}

impl IndicatorSystem {
    /// True when the system has criteria (more than one level).
    pub fn is_hierarchical(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| n.indicator.is_none() && n.parent.is_some())
    }

    /// The criteria (internal nodes other than the root), in file order.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.indicator.is_none() && n.parent.is_some())
    }

    /// The name of the system in `lang`.
    pub fn display_name(&self, lang: crate::error::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::error::Lang::En, Some(n)) => n,
            _ => &self.name,
        }
    }

    /// Every data column the system reads (indicators, formulas, gates, lookups, groups),
    /// without duplicates, in first-use order; derived indicator ids are not columns.
    pub fn columns_needed(&self) -> Vec<String> {
        let derived: Vec<&str> = self
            .indicators
            .iter()
            .filter(|i| matches!(i.source, ValueSource::Formula(_)))
            .map(|i| i.id.as_str())
            .collect();
        let mut out: Vec<String> = Vec::new();
        let mut push = |c: &str| {
            if !derived.contains(&c) && !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        };
        let mut sources: Vec<&ValueSource> = self.indicators.iter().map(|i| &i.source).collect();
        for g in &self.gates {
            sources.extend(g.conditions.iter().map(|c| &c.source));
        }
        sources.extend(self.adjustments.iter().map(|a| &a.source));
        for s in sources {
            match s {
                ValueSource::Column(c) => push(c),
                ValueSource::Formula(f) => f.vars.iter().for_each(|v| push(v)),
            }
        }
        out
    }

    /// Text columns the system reads: groups, lookup keys and `applies_to` columns.
    pub fn text_columns_needed(&self) -> Vec<String> {
        let mut out: Vec<String> = self.data.groups.clone();
        let mut push = |c: &String| {
            if !out.contains(c) {
                out.push(c.clone());
            }
        };
        for t in &self.tables {
            t.by.iter().for_each(&mut push);
        }
        for i in &self.indicators {
            if let Some(a) = &i.applies_to {
                push(&a.column);
            }
        }
        if let MissingPolicy::GroupMean { by } = &self.data.missing {
            push(by);
        }
        if let Some(w) = &self.report.watch_within {
            push(w);
        }
        for rule in &self.rules {
            if let Some(w) = &rule.within {
                push(w);
            }
        }
        if let Some(s) = &self.scope {
            s.rule.columns().iter().for_each(&mut push);
        }
        out
    }

    /// The same system with the scope named `name` in force: `default`, a variant of
    /// `[scope]`, or `all` (every zone). An unknown name is an error listing the choices.
    pub fn with_scope(mut self, name: &str) -> crate::error::Result<IndicatorSystem> {
        if name == scope::ALL {
            self.scope = None;
            return Ok(self);
        }
        let chosen = self.scope.as_ref().and_then(|s| s.chosen(name));
        match chosen {
            Some(s) => {
                self.scope = Some(s);
                Ok(self)
            }
            None => {
                let choices = self
                    .scope
                    .as_ref()
                    .map_or(vec![scope::ALL], |s| s.choices())
                    .join(", ");
                Err(crate::error::Error::usage(text!(
                    "unknown scope `{name}` (this system has: {choices})",
                    "未知的评价范围 `{name}`（本体系可选：{choices}）"
                )))
            }
        }
    }
}
