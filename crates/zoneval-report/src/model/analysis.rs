//! The report's view of `zoneval audit` and `zoneval compare`: pure data, built from the
//! engine's results ([`zoneval_core::analysis`]) with names resolved, so the charts and the
//! document need neither the system nor the evaluation.

use serde::{Deserialize, Serialize};

use super::{Msg, Named};
use zoneval_core::analysis::audit::Audit;
use zoneval_core::analysis::compare::EvaluationsCompared;
use zoneval_core::analysis::stats::AlphaUndefined;
use zoneval_core::system::IndicatorSystem;

/// An analysis shown in its own report section.
#[derive(Clone, Debug, PartialEq)]
pub enum Analysis {
    /// `zoneval audit`.
    Audit(AuditSection),
    /// `zoneval compare`.
    Compare(CompareSection),
}

/// One indicator's audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditIndicator {
    /// Id and names.
    pub named: Named,
    /// Share of zones with a value before imputation.
    pub coverage: f64,
    /// Skewness.
    pub skewness: Option<f64>,
    /// Excess kurtosis.
    pub kurtosis: Option<f64>,
    /// Pearson r with the size column.
    pub size_correlation: Option<f64>,
    /// Final weight.
    pub nominal_weight: f64,
    /// Effective weight (normalised r² with the composite).
    pub effective_weight: Option<f64>,
}

/// One criterion's audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditCriterion {
    /// Id and names.
    pub named: Named,
    /// Its indicators.
    pub indicators: Vec<Named>,
    /// Cronbach's α.
    pub cronbach_alpha: Option<f64>,
    /// Why α is undefined (`one-indicator`, `too-few-zones`, `no-variance`).
    pub alpha_undefined: Option<String>,
    /// First principal component's share.
    pub pc1_share: Option<f64>,
    /// Correlations of its normalised indicators.
    pub correlation: Vec<Vec<Option<f64>>>,
    /// Redundant pairs.
    pub redundant_pairs: usize,
    /// Conflicting pairs.
    pub conflicting_pairs: usize,
}

/// A flag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditFlag {
    /// What it concerns.
    pub id: String,
    /// Kind (`low-coverage`, …).
    pub kind: String,
    /// What to consider.
    pub message: Msg,
}

/// The audit section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditSection {
    /// Per indicator.
    pub indicators: Vec<AuditIndicator>,
    /// Per criterion.
    pub criteria: Vec<AuditCriterion>,
    /// Flags.
    pub flags: Vec<AuditFlag>,
    /// The size column, when given.
    pub size_column: Option<String>,
}

/// Why α is undefined, as a keyword.
pub fn alpha_keyword(why: AlphaUndefined) -> &'static str {
    match why {
        AlphaUndefined::OneItem => "one-indicator",
        AlphaUndefined::TooFewZones => "too-few-zones",
        AlphaUndefined::NoVariance => "no-variance",
    }
}

fn named_indicator(sys: &IndicatorSystem, j: usize) -> Named {
    let i = &sys.indicators[j];
    Named {
        id: i.id.clone(),
        name: i.name.clone(),
        name_en: i.name_en.clone(),
    }
}

/// The audit section of `a` (an audit of an evaluation of `sys`).
pub fn audit_section(a: &Audit, sys: &IndicatorSystem) -> AuditSection {
    AuditSection {
        indicators: a
            .indicators
            .iter()
            .map(|i| AuditIndicator {
                named: named_indicator(sys, i.index),
                coverage: i.coverage,
                skewness: i.skewness,
                kurtosis: i.kurtosis,
                size_correlation: i.size_correlation,
                nominal_weight: i.nominal_weight,
                effective_weight: i.effective_weight,
            })
            .collect(),
        criteria: a
            .criteria
            .iter()
            .map(|c| {
                let node = &sys.nodes[c.node];
                AuditCriterion {
                    named: Named {
                        id: node.id.clone(),
                        name: node.name.clone(),
                        name_en: node.name_en.clone(),
                    },
                    indicators: c
                        .indicators
                        .iter()
                        .map(|&j| named_indicator(sys, j))
                        .collect(),
                    cronbach_alpha: c.cronbach_alpha.ok(),
                    alpha_undefined: c.cronbach_alpha.err().map(|w| alpha_keyword(w).into()),
                    pc1_share: c.pc1_share,
                    correlation: c.correlation.clone(),
                    redundant_pairs: c.redundant_pairs.len(),
                    conflicting_pairs: c.conflicting_pairs.len(),
                }
            })
            .collect(),
        flags: a
            .flags
            .iter()
            .map(|f| AuditFlag {
                id: f.id.clone(),
                kind: f.kind.name().into(),
                message: f.message.clone(),
            })
            .collect(),
        size_column: a.size_column.clone(),
    }
}

/// One zone of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Rank under each method or system.
    pub ranks: Vec<usize>,
    /// Grade under each system (`--systems` only).
    pub grades: Vec<Option<String>>,
    /// Borda count.
    pub borda: u64,
    /// Copeland score.
    pub copeland: i64,
    /// Compromise rank.
    pub rank: usize,
    /// Best rank across methods.
    pub best: usize,
    /// Worst rank across methods.
    pub worst: usize,
}

impl CompareZone {
    /// Rank under the last system minus rank under the first (negative: the zone moves up).
    pub fn delta_rank(&self) -> i64 {
        match (self.ranks.first(), self.ranks.last()) {
            (Some(&a), Some(&b)) => b as i64 - a as i64,
            _ => 0,
        }
    }

    /// Whether its grade differs between two consecutive systems.
    pub fn grade_changed(&self) -> bool {
        self.grades.windows(2).any(|w| w[0] != w[1])
    }
}

/// The comparison section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareSection {
    /// Method labels (or system file stems).
    pub labels: Vec<String>,
    /// Systems compared (`--systems`) rather than methods.
    pub systems: bool,
    /// Zones in compromise-rank order.
    pub zones: Vec<CompareZone>,
    /// Spearman's ρ between methods.
    pub spearman: Vec<Vec<Option<f64>>>,
    /// Kendall's τ-b between methods.
    pub kendall: Vec<Vec<Option<f64>>>,
}

/// The comparison section of a finished `compare` run.
pub fn compared_section(c: &zoneval_core::run::Compared) -> CompareSection {
    compare_section(&c.labels, &c.compared, &c.grade_names(), c.systems)
}

/// The comparison section; `grade_names[k][g]` names grade g of evaluation k (empty lists
/// when methods, not systems, are compared).
pub fn compare_section(
    labels: &[String],
    c: &EvaluationsCompared,
    grade_names: &[Vec<String>],
    systems: bool,
) -> CompareSection {
    CompareSection {
        labels: labels.to_vec(),
        systems,
        zones: c
            .comparison
            .zones
            .iter()
            .map(|z| {
                let (id, name) = &c.zones[z.zone];
                CompareZone {
                    id: id.clone(),
                    name: name.clone(),
                    ranks: z.ranks.clone(),
                    grades: if systems {
                        (0..labels.len())
                            .map(|k| {
                                c.grades[k][z.zone]
                                    .and_then(|g| grade_names.get(k)?.get(g).cloned())
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    borda: z.borda,
                    copeland: z.copeland,
                    rank: z.rank,
                    best: z.best,
                    worst: z.worst,
                }
            })
            .collect(),
        spearman: c.comparison.spearman.clone(),
        kendall: c.comparison.kendall.clone(),
    }
}
