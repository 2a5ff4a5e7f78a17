//! The statistical audit of an indicator system on its data, in the manner of the OECD/JRC
//! *Handbook on Constructing Composite Indicators* (2008) and COINr: per indicator its data
//! coverage, skewness and kurtosis, correlation with a size measure, and nominal against
//! effective weight; per criterion Cronbach's α, the first principal component's share and
//! the pairs of indicators that look redundant or conflicting; and flags at the JRC
//! thresholds, each worded as what to consider.
//!
//! Every statistic is computed on the evaluation's own stages (the data after the year,
//! gates, missing values and outliers were handled, and its normalised matrix), so the audit
//! describes exactly what `evaluate` ranks.

use std::collections::{HashMap, HashSet};

use super::stats::{self, AlphaUndefined};
use crate::data::outliers;
use crate::error::Text;
use crate::evaluation::Evaluation;
use crate::text;

/// Coverage below which an indicator is flagged (JRC: at least 65 % of units with data).
pub const MIN_COVERAGE: f64 = 0.65;
/// |skewness| above which (with kurtosis above [`MAX_KURTOSIS`]) a column is flagged.
pub const MAX_SKEW: f64 = 2.0;
/// Kurtosis above which (with |skewness| above [`MAX_SKEW`]) a column is flagged.
pub const MAX_KURTOSIS: f64 = 3.5;
/// Cronbach's α below which a criterion is flagged (Nunnally's 0.7).
pub const MIN_ALPHA: f64 = 0.7;
/// |r| with the size column above which an indicator is flagged.
pub const MAX_SIZE_R: f64 = 0.7;
/// r above which two indicators of a criterion are called redundant.
pub const REDUNDANT_R: f64 = 0.9;
/// r below which two indicators of a criterion are called conflicting.
pub const CONFLICTING_R: f64 = -0.3;

/// A numeric data column measuring zone size (for instance the built-up area or GDP), one
/// value per zone of the evaluation's [`Prepared`](crate::evaluation::Prepared) data (NaN =
/// missing).
#[derive(Clone, Debug)]
pub struct SizeColumn {
    /// Column name.
    pub name: String,
    /// Values per prepared zone.
    pub values: Vec<f64>,
}

impl SizeColumn {
    /// The column `name` of the evaluation's data (which must have been read with it).
    pub fn of(ev: &Evaluation, name: &str) -> Option<SizeColumn> {
        let prep = ev.prepared();
        let col = prep.table.numeric(name)?;
        Some(SizeColumn {
            name: name.to_string(),
            values: prep.zones.iter().map(|z| col.values[z.row]).collect(),
        })
    }
}

/// The audit of one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorAudit {
    /// Index into the system's indicators.
    pub index: usize,
    /// Share of the year's zones (where the indicator applies) that had a value before
    /// imputation.
    pub coverage: f64,
    /// Skewness g1 of the values the outlier rule sees (None with fewer than three values).
    pub skewness: Option<f64>,
    /// Excess kurtosis g2 of the same values.
    pub kurtosis: Option<f64>,
    /// Pearson r of the raw values with the size column (None without one, or undefined).
    pub size_correlation: Option<f64>,
    /// The final (global) weight.
    pub nominal_weight: f64,
    /// r² of the normalised indicator with the composite value, normalised to sum 1 (None
    /// when the composite correlates with no indicator).
    pub effective_weight: Option<f64>,
}

/// A pair of indicators of a criterion and their correlation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// First indicator (index into the system's indicators).
    pub a: usize,
    /// Second indicator.
    pub b: usize,
    /// Pearson r of their normalised values.
    pub r: f64,
}

/// The audit of one criterion (for a flat system, the whole system).
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionAudit {
    /// Node index in the system's tree (0, the root, for a flat system).
    pub node: usize,
    /// Its leaf indicators (indices into the system's indicators).
    pub indicators: Vec<usize>,
    /// Cronbach's α of its normalised indicators, or why it is undefined.
    pub cronbach_alpha: Result<f64, AlphaUndefined>,
    /// Share of variance of the first principal component of their correlation matrix.
    pub pc1_share: Option<f64>,
    /// Pearson correlations of its normalised indicators (in `indicators` order).
    pub correlation: Vec<Vec<Option<f64>>>,
    /// Pairs with r above [`REDUNDANT_R`].
    pub redundant_pairs: Vec<Pair>,
    /// Pairs with r below [`CONFLICTING_R`].
    pub conflicting_pairs: Vec<Pair>,
}

/// What a flag is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagKind {
    /// Coverage below [`MIN_COVERAGE`].
    LowCoverage,
    /// |skewness| > [`MAX_SKEW`] and kurtosis > [`MAX_KURTOSIS`].
    Skewed,
    /// |r| with the size column above [`MAX_SIZE_R`].
    SizeCorrelated,
    /// Cronbach's α below [`MIN_ALPHA`].
    LowAlpha,
    /// Cronbach's α cannot be computed.
    AlphaUndefined,
    /// Two indicators with r above [`REDUNDANT_R`].
    Redundant,
    /// Two indicators with r below [`CONFLICTING_R`].
    Conflicting,
}

impl FlagKind {
    /// The kind's name in JSON (`low-coverage`, …).
    pub fn name(self) -> &'static str {
        match self {
            FlagKind::LowCoverage => "low-coverage",
            FlagKind::Skewed => "skewed",
            FlagKind::SizeCorrelated => "size-correlated",
            FlagKind::LowAlpha => "low-alpha",
            FlagKind::AlphaUndefined => "alpha-undefined",
            FlagKind::Redundant => "redundant",
            FlagKind::Conflicting => "conflicting",
        }
    }
}

/// A flag: what it concerns (an indicator or criterion id; `a,b` for a pair), its kind, and
/// what to consider.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    /// Indicator id, criterion id, or the two indicator ids of a pair joined by a comma.
    pub id: String,
    /// Kind.
    pub kind: FlagKind,
    /// What to consider.
    pub message: Text,
}

/// The audit of an evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    /// Per indicator, in system order.
    pub indicators: Vec<IndicatorAudit>,
    /// Per criterion, in system order (one entry, the root, for a flat system).
    pub criteria: Vec<CriterionAudit>,
    /// Flags: indicators first, then criteria, then pairs.
    pub flags: Vec<Flag>,
    /// The size column's name, when one was given.
    pub size_column: Option<String>,
}

/// Audits `ev`; `size` adds the size correlations.
pub fn audit(ev: &Evaluation, size: Option<&SizeColumn>) -> Audit {
    let sys = ev.system();
    let prep = ev.prepared();
    let ranked = ev.ranked();
    let m = sys.indicators.len();
    let applies = |z: usize, j: usize| prep.applicable.as_ref().is_none_or(|a| a[z][j]);

    // Normalised columns over the ranked zones, NaN where the indicator does not apply.
    let norm: Vec<Vec<f64>> = (0..m)
        .map(|j| {
            let col = ev.normalized().col(j);
            ranked
                .iter()
                .enumerate()
                .map(|(k, &z)| if applies(z, j) { col[k] } else { f64::NAN })
                .collect()
        })
        .collect();

    // Coverage: zones of the year (dropped ones included) with a value before imputation.
    let mut missing = vec![0usize; m];
    let index: HashMap<&str, usize> = sys
        .indicators
        .iter()
        .enumerate()
        .map(|(j, i)| (i.id.as_str(), j))
        .collect();
    for c in &prep.imputed {
        if let Some(&j) = index.get(c.indicator.as_str()) {
            missing[j] += 1;
        }
    }
    for (_, _, ids) in &prep.dropped {
        for id in ids {
            if let Some(&j) = index.get(id.as_str()) {
                missing[j] += 1;
            }
        }
    }

    // Values before outlier treatment: what the outlier rule measured.
    let zone_index: HashMap<&str, usize> = prep
        .zones
        .iter()
        .enumerate()
        .map(|(k, z)| (z.id.as_str(), k))
        .collect();
    let mut untreated: Vec<Vec<f64>> = (0..m).map(|j| prep.raw.col(j).to_vec()).collect();
    for t in &prep.treated {
        if let (Some(&z), Some(&j)) = (
            zone_index.get(t.zone.as_str()),
            index.get(t.indicator.as_str()),
        ) {
            untreated[j][z] = t.from;
        }
    }

    let value = &ev.aggregated().value;
    let r_composite: Vec<f64> = norm
        .iter()
        .map(|c| stats::pearson(c, value).map_or(0.0, |r| r * r))
        .collect();
    let r_sum: f64 = r_composite.iter().sum();

    let size_values: Option<Vec<f64>> = size.map(|s| ranked.iter().map(|&z| s.values[z]).collect());
    let mut indicators = Vec::with_capacity(m);
    let mut flags = Vec::new();
    for (j, ind) in sys.indicators.iter().enumerate() {
        let zones_applying = (0..prep.zones.len()).filter(|&z| applies(z, j)).count();
        let total = zones_applying + prep.dropped.len();
        let coverage = if total == 0 {
            1.0
        } else {
            (total.saturating_sub(missing[j])) as f64 / total as f64
        };
        let x: Vec<f64> = (0..prep.zones.len())
            .filter(|&z| applies(z, j))
            .map(|z| untreated[j][z])
            .filter(|v| v.is_finite())
            .collect();
        let (skewness, kurtosis) = if x.len() >= 3 {
            (Some(outliers::skewness(&x)), Some(outliers::kurtosis(&x)))
        } else {
            (None, None)
        };
        let raw: Vec<f64> = ranked
            .iter()
            .enumerate()
            .map(|(k, &z)| {
                if applies(z, j) {
                    ev.raw().get(k, j)
                } else {
                    f64::NAN
                }
            })
            .collect();
        let size_correlation = size_values.as_ref().and_then(|s| stats::pearson(&raw, s));
        let a = IndicatorAudit {
            index: j,
            coverage,
            skewness,
            kurtosis,
            size_correlation,
            nominal_weight: ev.weights().weights[j],
            effective_weight: (r_sum > 0.0).then(|| r_composite[j] / r_sum),
        };
        let (id, name, name_en) = (&ind.id, &ind.name, ind.display_name(crate::error::Lang::En));
        if a.coverage < MIN_COVERAGE {
            let pct = format!("{:.0}", a.coverage * 100.0);
            flags.push(Flag {
                id: id.clone(),
                kind: FlagKind::LowCoverage,
                message: text!(
                    "{name_en} ({id}) has data for only {pct} % of zones (JRC: at least 65 %): consider dropping it or finding better data",
                    "{name}（{id}）仅 {pct}% 的开发区有数据（JRC 建议至少 65%）：考虑删除该指标或补充数据"
                ),
            });
        }
        // An indicator the system already treats is not flagged: the figures are those the
        // outlier rule saw, and the rule has acted on them.
        let treated = prep.treated.iter().any(|t| t.indicator == ind.id);
        if let (Some(s), Some(k)) = (a.skewness, a.kurtosis)
            && !treated
            && s.abs() > MAX_SKEW
            && k > MAX_KURTOSIS
        {
            let (s, k) = (format!("{s:.2}"), format!("{k:.2}"));
            flags.push(Flag {
                id: id.clone(),
                kind: FlagKind::Skewed,
                message: text!(
                    "{name_en} ({id}) is strongly skewed (skewness {s}, kurtosis {k}): a few zones dominate its scale; consider outlier treatment (winsorising or a log transform)",
                    "{name}（{id}）分布严重偏斜（偏度 {s}，峰度 {k}）：少数开发区主导其尺度；考虑异常值处理（缩尾或对数变换）"
                ),
            });
        }
        if let Some(r) = a.size_correlation
            && r.abs() > MAX_SIZE_R
        {
            let col = &size.expect("a size correlation needs a size column").name;
            let r = format!("{r:.2}");
            flags.push(Flag {
                id: id.clone(),
                kind: FlagKind::SizeCorrelated,
                message: text!(
                    "{name_en} ({id}) tracks zone size (r = {r} with {col}): consider dividing it by a size measure (per km², per capita, per firm)",
                    "{name}（{id}）与开发区规模高度相关（与 {col} 的 r = {r}）：考虑改用强度指标（按面积、人口或企业数平均）"
                ),
            });
        }
        indicators.push(a);
    }

    // Criteria: every criterion node, or the whole system when it is flat.
    let nodes: Vec<usize> = if sys.is_hierarchical() {
        sys.criteria().map(|(k, _)| k).collect()
    } else {
        vec![0]
    };
    let mut criteria = Vec::with_capacity(nodes.len());
    for &k in &nodes {
        let leaves = sys.tree.leaves_under(k);
        let cols: Vec<&[f64]> = leaves.iter().map(|&l| norm[l].as_slice()).collect();
        let correlation = stats::correlation_matrix(&cols);
        let mut redundant_pairs = Vec::new();
        let mut conflicting_pairs = Vec::new();
        for a in 0..leaves.len() {
            for b in a + 1..leaves.len() {
                if let Some(r) = correlation[a][b] {
                    let p = Pair {
                        a: leaves[a],
                        b: leaves[b],
                        r,
                    };
                    if r > REDUNDANT_R {
                        redundant_pairs.push(p);
                    } else if r < CONFLICTING_R {
                        conflicting_pairs.push(p);
                    }
                }
            }
        }
        criteria.push(CriterionAudit {
            node: k,
            cronbach_alpha: stats::cronbach_alpha(&cols),
            pc1_share: stats::pc1_share(&correlation),
            indicators: leaves,
            correlation,
            redundant_pairs,
            conflicting_pairs,
        });
    }
    for c in &criteria {
        let node = &sys.nodes[c.node];
        let (id, name) = (&node.id, &node.name);
        let name_en = node.name_en.as_deref().unwrap_or(name);
        let n = c.indicators.len();
        match c.cronbach_alpha {
            Ok(a) if a < MIN_ALPHA => {
                let a = format!("{a:.2}");
                flags.push(Flag {
                    id: id.clone(),
                    kind: FlagKind::LowAlpha,
                    message: text!(
                        "{name_en}: Cronbach's α = {a} (below 0.7): its {n} indicators do not measure one thing; consider splitting it or revisiting its indicators",
                        "{name}：Cronbach's α = {a}（低于 0.7）：其 {n} 个指标并不测量同一事物；考虑拆分该准则或调整指标"
                    ),
                });
            }
            Ok(_) => {}
            Err(why) => {
                let (en, zh) = match why {
                    AlphaUndefined::OneItem => (
                        "it has one indicator, and α needs at least two",
                        "该准则只有一个指标，α 至少需要两个",
                    ),
                    AlphaUndefined::TooFewZones => (
                        "fewer than two zones have every one of its indicators",
                        "同时具有其全部指标的开发区少于两个",
                    ),
                    AlphaUndefined::NoVariance => (
                        "the sum of its indicators does not vary",
                        "其指标之和没有变化",
                    ),
                };
                flags.push(Flag {
                    id: id.clone(),
                    kind: FlagKind::AlphaUndefined,
                    message: text!(
                        "{name_en}: Cronbach's α is undefined: {en}",
                        "{name}：Cronbach's α 无定义：{zh}"
                    ),
                });
            }
        }
    }
    // A pair is flagged once, in the deepest criterion holding both indicators.
    let mut by_depth: Vec<&CriterionAudit> = criteria.iter().collect();
    by_depth.sort_by_key(|c| std::cmp::Reverse(sys.nodes[c.node].depth));
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut pair_flags = Vec::new();
    for c in by_depth {
        let node = &sys.nodes[c.node];
        let name = &node.name;
        let name_en = node.name_en.as_deref().unwrap_or(name);
        for (p, kind) in c
            .redundant_pairs
            .iter()
            .map(|p| (p, FlagKind::Redundant))
            .chain(
                c.conflicting_pairs
                    .iter()
                    .map(|p| (p, FlagKind::Conflicting)),
            )
        {
            if !seen.insert((p.a, p.b)) {
                continue;
            }
            let (a, b) = (&sys.indicators[p.a].id, &sys.indicators[p.b].id);
            let r = format!("{:.2}", p.r);
            let message = match kind {
                FlagKind::Redundant => text!(
                    "two indicators with r = {r} in {name_en} ({a}, {b}): one may be redundant (double counting); consider dropping or merging one",
                    "{name} 中两个指标 r = {r}（{a}、{b}）：其一可能冗余（重复计算）；考虑删除或合并其中之一"
                ),
                _ => text!(
                    "two indicators with r = {r} in {name_en} ({a}, {b}): they pull the criterion in opposite directions; check their directions or whether they belong together",
                    "{name} 中两个指标 r = {r}（{a}、{b}）：二者方向相反，相互抵消；检查其方向设置或是否应归入同一准则"
                ),
            };
            pair_flags.push((
                c.node,
                Flag {
                    id: format!("{a},{b}"),
                    kind,
                    message,
                },
            ));
        }
    }
    // Pairs in system order of their criterion.
    pair_flags.sort_by_key(|(node, _)| nodes.iter().position(|k| k == node));
    flags.extend(pair_flags.into_iter().map(|(_, f)| f));
    Audit {
        indicators,
        criteria,
        flags,
        size_column: size.map(|s| s.name.clone()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::{self, Encoding};
    use crate::evaluation::{self, Methods};
    use crate::system;

    fn evaluate(toml: &str, csv: &str) -> Evaluation {
        let sys = Arc::new(system::load_str("t.toml", toml, None).unwrap());
        let mut spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
        spec.numeric.push("size".into());
        let table = Arc::new(data::read_bytes("t.csv", csv.as_bytes(), &spec).unwrap());
        let prep = Arc::new(evaluation::prepare(sys.clone(), table, None, &[]).unwrap());
        let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
        evaluation::evaluate(&prep, &methods, &[]).unwrap()
    }

    const FLAT: &str = "[system]\nid = \"t\"\nname = \"t\"\n\
        [[indicators]]\nid = \"a\"\ndirection = \"benefit\"\nweight = 1\n\
        [[indicators]]\nid = \"b\"\ndirection = \"benefit\"\nweight = 1\n\
        [[indicators]]\nid = \"c\"\ndirection = \"cost\"\nweight = 2\n";

    /// Exact copies are redundant with r = 1, get equal effective weights, and the shares sum
    /// to 1. The cost indicator c, oriented by min-max to (3, 0, 7, 4, 5)/7, has deviations
    /// (−0.8, −3.8, 3.2, 0.2, 1.2) against a's (−2, 0, −1, 2, 1): Σ products = 0, so r = 0 —
    /// neither redundant nor conflicting.
    #[test]
    fn exact_copies_are_flagged_redundant() {
        let csv = "zone_id,zone_name,a,b,c,size\n\
            z1,A,1,1,6,10\nz2,B,3,3,9,20\nz3,C,2,2,2,30\nz4,D,5,5,5,40\nz5,E,4,4,4,50\n";
        let ev = evaluate(FLAT, csv);
        let size = SizeColumn::of(&ev, "size").unwrap();
        let a = audit(&ev, Some(&size));
        assert_eq!(a.criteria.len(), 1);
        let c = &a.criteria[0];
        assert_eq!(c.redundant_pairs.len(), 1, "{c:?}");
        let p = &c.redundant_pairs[0];
        assert_eq!((p.a, p.b), (0, 1));
        assert!((p.r - 1.0).abs() < 1e-12);
        assert!(c.conflicting_pairs.is_empty());
        assert!(
            a.flags
                .iter()
                .any(|f| f.kind == FlagKind::Redundant && f.id == "a,b")
        );
        let eff: Vec<f64> = a
            .indicators
            .iter()
            .map(|i| i.effective_weight.unwrap())
            .collect();
        assert!((eff[0] - eff[1]).abs() < 1e-12);
        assert!((eff.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Nominal weights are the final weights: 1, 1, 2 divided by 4.
        let nominal: Vec<f64> = a.indicators.iter().map(|i| i.nominal_weight).collect();
        assert_eq!(nominal, [0.25, 0.25, 0.5]);
        // a = (1, 3, 2, 5, 4) against size (10, …, 50): deviations (−2, 0, −1, 2, 1) and
        // (−20, −10, 0, 10, 20): Sxy = 80, Sxx = 10, Syy = 1000 → r = 80/100 = 0.8.
        assert!((a.indicators[0].size_correlation.unwrap() - 0.8).abs() < 1e-12);
    }

    /// A column the outlier rule treats keeps the untreated skewness (what the rule saw) but
    /// is not flagged; the same column untreated is.
    #[test]
    fn treated_columns_are_not_flagged_skewed() {
        let mut csv = String::from("zone_id,zone_name,a,b,c,size\n");
        for i in 0..20 {
            let a = if i == 19 { 1000 } else { i + 1 };
            csv.push_str(&format!("z{i},Z{i},{a},{},{},1\n", (i * 7) % 11, 20 - i));
        }
        let ev = evaluate(FLAT, &csv);
        let a = audit(&ev, None);
        assert!(a.indicators[0].skewness.unwrap() > 2.0);
        assert!(
            a.flags
                .iter()
                .any(|f| f.kind == FlagKind::Skewed && f.id == "a")
        );
        let treated = FLAT.replacen(
            "weight = 1\n",
            "weight = 1\noutliers = { kind = \"winsorize\" }\n",
            1,
        );
        let ev = evaluate(&treated, &csv);
        let t = audit(&ev, None);
        assert_eq!(t.indicators[0].skewness, a.indicators[0].skewness);
        assert!(!t.flags.iter().any(|f| f.kind == FlagKind::Skewed));
    }
}
