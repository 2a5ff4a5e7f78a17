//! One entry point for every analysis: [`run`] takes the base evaluation, the method
//! variants to sample (from a checked [`MethodVariation`]) and an [`Analysis`] holding its
//! checked options, and returns the [`SensitivityResults`].
//!
//! Front ends build the options from their own arguments, check them (each `check` refuses a
//! bad value with a typed [`OptionError`]) and call [`run`]; nothing here knows how the
//! options were spelled.

use std::sync::Arc;

use super::checked::Checked;
use super::model::{FactorKind, Model, factors};
use super::monte_carlo::McOptions;
use super::oat::OatOptions;
use super::sobol::SobolOptions;
use super::stability::StabilityOptions;
use super::{Progress, SensitivityResults};
use crate::error::{Error, OptionError, Result};
use crate::evaluation::{self, Evaluation, Methods, Overrides};
use crate::method::{self, Params};
use crate::text;

/// Which analysis to run, with its checked options.
#[derive(Clone, Debug)]
pub enum Analysis {
    /// Monte Carlo over weights (and the method variants): rank distributions, SMAA.
    MonteCarlo(Checked<McOptions>),
    /// Variance-based indices over the factors' weights (and the aggregation variants).
    Sobol(FactorKind, Checked<SobolOptions>),
    /// One-at-a-time sweeps of the factors' weights.
    Oat(FactorKind, Checked<OatOptions>),
    /// Weight intervals of the factors that keep the top-K order and each zone's rank.
    Stability(FactorKind, Checked<StabilityOptions>),
    /// Leave-one-zone-out and add-a-copy checks.
    RankReversal,
}

/// Normalisations and aggregations to sample besides the base evaluation's (by registry
/// name); empty lists vary nothing.
#[derive(Clone, Debug, Default)]
pub struct MethodVariation {
    /// Normalisations to choose from.
    pub normalizations: Vec<String>,
    /// Aggregations to choose from.
    pub aggregations: Vec<String>,
}

impl MethodVariation {
    /// Whether nothing varies.
    pub fn is_empty(&self) -> bool {
        self.normalizations.is_empty() && self.aggregations.is_empty()
    }

    /// Validates the names against the registries; `for_sobol` also refuses normalisations,
    /// which Sobol cannot take as a factor.
    pub fn check(self, for_sobol: bool) -> Result<Checked<MethodVariation>> {
        if self.is_empty() {
            return Ok(Checked::new(self));
        }
        if for_sobol && !self.normalizations.is_empty() {
            return Err(OptionError::SobolNormalizationVariation.into());
        }
        let known = |names: &[String], reg: &[&str], what: &str| -> Result<()> {
            for (k, n) in names.iter().enumerate() {
                if names[..k].contains(n) {
                    // A repeated name would be sampled twice as often as the others.
                    return Err(Error::usage(text!(
                        "{what} `{n}` is listed twice (each method in the list is sampled equally often)",
                        "{what} `{n}` 重复列出（列表中每种方法被等概率抽样）"
                    )));
                }
                if !reg.contains(&n.as_str()) {
                    let list = reg.join(", ");
                    return Err(Error::usage(text!(
                        "unknown {what} `{n}` (valid: {list})",
                        "未知的{what} `{n}`（可选：{list}）"
                    )));
                }
            }
            Ok(())
        };
        known(
            &self.normalizations,
            &method::names(method::normalize::REGISTRY),
            "normalization",
        )?;
        known(
            &self.aggregations,
            &method::names(method::aggregate::REGISTRY),
            "aggregation",
        )?;
        Ok(Checked::new(self))
    }
}

impl Checked<MethodVariation> {
    /// Evaluations for every combination of the varied normalisations and aggregations, the
    /// rest as in `overrides` (the base evaluation's choices); empty when nothing varies.
    /// Every variant keeps `ev`'s weights, so all of them sample the same weights.
    pub fn evaluate(&self, ev: &Evaluation, overrides: &Overrides) -> Result<Vec<Evaluation>> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let or_base = |names: &[String]| -> Vec<Option<String>> {
            if names.is_empty() {
                vec![None]
            } else {
                names.iter().cloned().map(Some).collect()
            }
        };
        let (norms, aggs) = (or_base(&self.normalizations), or_base(&self.aggregations));
        let mut out = Vec::new();
        for a in &aggs {
            for nz in &norms {
                let ov = Overrides {
                    normalization: nz
                        .as_deref()
                        .map(Params::named)
                        .or(overrides.normalization.clone()),
                    weighting: overrides.weighting.clone(),
                    aggregation: a
                        .as_deref()
                        .map(Params::named)
                        .or(overrides.aggregation.clone()),
                };
                let methods = Arc::new(Methods::resolve(ev.system(), &ov)?);
                out.push(evaluation::evaluate_with_weights(
                    ev.prepared(),
                    &methods,
                    &[],
                    ev.weights().clone(),
                )?);
            }
        }
        Ok(out)
    }
}

/// Runs `analysis` around the base evaluation `ev`; Monte Carlo and Sobol also sample
/// `variants` (from [`Checked<MethodVariation>::evaluate`], empty for none).
pub fn run(
    ev: &Evaluation,
    variants: &[Evaluation],
    analysis: &Analysis,
    progress: &dyn Progress,
) -> Result<SensitivityResults> {
    let choices = variants
        .iter()
        .map(Model::new)
        .collect::<Result<Vec<_>>>()?;
    let base = Model::new(ev)?;
    let fs = |kind: &FactorKind| factors(ev.system(), *kind);
    let mut out = SensitivityResults::default();
    match analysis {
        Analysis::MonteCarlo(opts) => {
            out.monte_carlo = Some(super::monte_carlo::run(&base, &choices, opts, progress)?);
        }
        Analysis::Sobol(kind, opts) => {
            out.sobol = Some(super::sobol::run(
                &base,
                &choices,
                &fs(kind),
                opts,
                progress,
            )?);
        }
        Analysis::Oat(kind, opts) => {
            out.oat = Some(super::oat::run(&base, &fs(kind), opts)?);
        }
        Analysis::Stability(kind, opts) => {
            out.stability = Some(super::stability::run(&base, &fs(kind), opts)?);
        }
        Analysis::RankReversal => {
            out.rank_reversal = Some(super::rank_reversal::run(ev)?);
        }
    }
    Ok(out)
}
