//! What a front end does with a user's inputs: load the system and the data, evaluate, and
//! run a sensitivity analysis with its defaults. The CLI and the Python package both call
//! these functions, so the same inputs give the same numbers (and the same errors, in the same
//! order) whichever way they are given; each front end only spells the options its own way.

use std::path::PathBuf;
use std::sync::Arc;

use crate::data::{Columns, Encoding, ZoneTable};
use crate::error::{Error, Result, suggest};
use crate::evaluation::{self, Evaluation, Methods, Overrides};
use crate::method::{self, Params};
use crate::sensitivity::model::{FactorKind, factors};
use crate::sensitivity::monte_carlo::{McOptions, WeightDraw};
use crate::sensitivity::oat::OatOptions;
use crate::sensitivity::plan::{self, MethodVariation};
use crate::sensitivity::sobol::SobolOptions;
use crate::sensitivity::stability::StabilityOptions;
use crate::sensitivity::{self, Progress, SensitivityResults, input_files};
use crate::system::{self, IndicatorSystem};
use crate::text;

/// Where the zone data comes from.
#[derive(Clone, Debug, Default)]
pub enum Data {
    /// The system's `[data] path`, else the bundled default dataset.
    #[default]
    Default,
    /// A file, or the id of a bundled dataset.
    Path(PathBuf),
    /// Columns of values (a data frame).
    Columns(Arc<Columns>),
}

/// The inputs of every evaluating command.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// System file, or a bundled system's id (the bundled default when `None`).
    pub system: Option<PathBuf>,
    /// The zone data.
    pub data: Data,
    /// Year to evaluate (default: the latest).
    pub year: Option<i64>,
    /// CSV encoding (default: detect).
    pub encoding: Option<Encoding>,
    /// Normalisation replacing the system's default (a registry name).
    pub normalization: Option<String>,
    /// Weighting replacing the system's.
    pub weighting: Option<String>,
    /// Aggregation replacing the system's.
    pub aggregation: Option<String>,
    /// Group columns to rank within, besides the system's.
    pub group_by: Vec<String>,
    /// How to read the data, replacing the system's `[data]` settings.
    pub read: ReadOptions,
}

/// Data-reading settings a front end gives, replacing the system's `[data]` ones.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The worksheet of a workbook (`[data] sheet`).
    pub sheet: Option<String>,
    /// The header holding the zone ids (`[data] id_column`).
    pub id_column: Option<String>,
    /// The header holding the zone names (`[data] name_column`).
    pub name_column: Option<String>,
    /// A column mapping file (see [`crate::data::mapping`]); its mappings replace those of
    /// `[data] columns` for the same columns.
    pub columns_file: Option<PathBuf>,
}

impl ReadOptions {
    /// Applies the settings to `sys`.
    pub fn apply(&self, sys: &mut IndicatorSystem) -> Result<()> {
        let d = &mut sys.data;
        if let Some(s) = &self.sheet {
            d.sheet = Some(s.clone());
        }
        if let Some(c) = &self.id_column {
            d.id_column = c.clone();
        }
        if let Some(c) = &self.name_column {
            d.name_column = c.clone();
        }
        if let Some(f) = &self.columns_file {
            let mut known = vec![
                sys.data.id_column.clone(),
                sys.data.name_column.clone(),
                sys.data.year_column.clone(),
            ];
            known.extend(sys.columns_needed());
            known.extend(sys.text_columns_needed());
            let file = crate::data::mapping::read_mapping(f, &known)?;
            sys.data
                .columns
                .retain(|a| !file.iter().any(|b| b.column == a.column));
            sys.data.columns.extend(file);
        }
        Ok(())
    }
}

/// Loads the system `inputs` name, with the data-reading settings applied.
pub fn load_system(inputs: &Inputs) -> Result<IndicatorSystem> {
    let mut sys = system::load_file(&inputs.system_path())?;
    inputs.read.apply(&mut sys)?;
    Ok(sys)
}

impl Inputs {
    /// The system argument: a path or a bundled system's id.
    pub fn system_path(&self) -> PathBuf {
        self.system
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::bundled::DEFAULT_SYSTEM))
    }

    /// The method overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            normalization: self.normalization.as_deref().map(Params::named),
            weighting: self.weighting.as_deref().map(Params::named),
            aggregation: self.aggregation.as_deref().map(Params::named),
        }
    }

    /// Refuses an override that names no registered method (a usage error listing the valid
    /// names, or suggesting the nearest). The CLI's argument parser does this before.
    pub fn check_method_names(&self) -> Result<()> {
        let check = |given: &Option<String>, names: Vec<&str>, what: &str| -> Result<()> {
            match given {
                Some(n) if !names.contains(&n.as_str()) => Err(Error::usage(text!(
                    "unknown {what} `{n}`",
                    "未知的{what} `{n}`"
                ))
                .with_hint(suggest(n, &names))),
                _ => Ok(()),
            }
        };
        check(
            &self.normalization,
            method::names(method::normalize::REGISTRY),
            "normalization",
        )?;
        check(
            &self.weighting,
            method::names(method::weight::REGISTRY),
            "weighting",
        )?;
        check(
            &self.aggregation,
            method::names(method::aggregate::REGISTRY),
            "aggregation",
        )
    }
}

/// Reads the data `inputs` name for `sys`.
fn load_table(sys: &IndicatorSystem, inputs: &Inputs) -> Result<ZoneTable> {
    match &inputs.data {
        Data::Columns(cols) => crate::data::read_columns(
            cols,
            &evaluation::read_spec(sys, inputs.encoding, &inputs.group_by),
        ),
        Data::Default | Data::Path(_) => {
            let given = match &inputs.data {
                Data::Path(p) => Some(p.as_path()),
                _ => None,
            };
            let source = evaluation::data_path(sys, given);
            evaluation::load_data(sys, &source, inputs.encoding, &inputs.group_by)
        }
    }
}

/// Loads the system and the data and evaluates.
pub fn evaluate(inputs: &Inputs) -> Result<Evaluation> {
    let sys = Arc::new(load_system(inputs)?);
    let methods = Arc::new(Methods::resolve(&sys, &inputs.overrides())?);
    let table = Arc::new(load_table(&sys, inputs)?);
    let prepared = Arc::new(evaluation::prepare(
        sys,
        table,
        inputs.year,
        &inputs.group_by,
    )?);
    evaluation::evaluate(&prepared, &methods, &inputs.group_by)
}

/// Which sensitivity analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalysisKind {
    /// Monte Carlo over weights (and optionally methods).
    MonteCarlo,
    /// Variance-based (Sobol) indices.
    Sobol,
    /// One-at-a-time weight sweeps.
    Oat,
    /// Weight stability intervals.
    Stability,
    /// Leave-one-zone-out and add-a-copy checks.
    RankReversal,
}

/// A sensitivity analysis' options as a user gives them: `None` means the default.
#[derive(Clone, Debug)]
pub struct SensitivityOptions {
    /// The analysis.
    pub analysis: AnalysisKind,
    /// Samples (Monte Carlo, default 10000) or base points (Sobol, default 1024).
    pub samples: Option<usize>,
    /// Random seed (default 1).
    pub seed: u64,
    /// Monte Carlo: uniform perturbation (default 0.2).
    pub perturb: f64,
    /// Monte Carlo: Dirichlet concentration instead of the uniform perturbation.
    pub dirichlet: Option<f64>,
    /// Monte Carlo: a weights file to replay.
    pub weights_file: Option<PathBuf>,
    /// Normalisations to sample.
    pub vary_normalization: Vec<String>,
    /// Aggregations to sample.
    pub vary_aggregation: Vec<String>,
    /// Monte Carlo: drop one indicator per sample.
    pub drop_indicator: bool,
    /// K (default 10; Sobol: all zones).
    pub top: Option<usize>,
    /// Sobol, OAT, stability: the factors.
    pub factors: FactorKind,
    /// Sobol multiplier range / OAT relative range (default 0.5).
    pub range: f64,
    /// Sobol bootstrap resamples (default 100).
    pub bootstrap: usize,
    /// Sobol: a multiplier matrix to replay.
    pub samples_file: Option<PathBuf>,
    /// OAT steps (default 10) / stability grid points (default 200).
    pub steps: Option<usize>,
    /// Monte Carlo rank-histogram memory, in MiB (default 512).
    pub memory_budget_mib: usize,
}

impl SensitivityOptions {
    /// The defaults for `analysis`.
    pub fn new(analysis: AnalysisKind) -> SensitivityOptions {
        SensitivityOptions {
            analysis,
            samples: None,
            seed: 1,
            perturb: 0.2,
            dirichlet: None,
            weights_file: None,
            vary_normalization: Vec::new(),
            vary_aggregation: Vec::new(),
            drop_indicator: false,
            top: None,
            factors: FactorKind::Criteria,
            range: 0.5,
            bootstrap: 100,
            samples_file: None,
            steps: None,
            memory_budget_mib: 512,
        }
    }

    /// The checked analysis for the base evaluation `ev` (reading any weights or samples
    /// file).
    fn analysis(&self, ev: &Evaluation) -> Result<plan::Analysis> {
        let kind = self.factors;
        Ok(match self.analysis {
            AnalysisKind::MonteCarlo => {
                let draw = match (&self.weights_file, self.dirichlet) {
                    (Some(f), _) => {
                        WeightDraw::File(input_files::read_weights_file(f, ev.system())?)
                    }
                    (None, Some(c)) => WeightDraw::Dirichlet(c),
                    (None, None) => WeightDraw::Uniform(self.perturb),
                };
                plan::Analysis::MonteCarlo(
                    McOptions {
                        samples: self.samples.unwrap_or(10_000),
                        seed: self.seed,
                        draw,
                        top: self.top.unwrap_or(10),
                        drop_indicator: self.drop_indicator,
                        memory_budget: self.memory_budget_mib.saturating_mul(1 << 20),
                    }
                    .check()?,
                )
            }
            AnalysisKind::Sobol => {
                // A bad range is reported before the samples file is read.
                sensitivity::sobol::check_range(self.range)?;
                let ids: Vec<String> = factors(ev.system(), kind)
                    .into_iter()
                    .map(|f| f.id)
                    .collect();
                let samples_file = self
                    .samples_file
                    .as_deref()
                    .map(|f| input_files::read_samples_file(f, &ids))
                    .transpose()?;
                let opts = SobolOptions {
                    samples: self.samples.unwrap_or(1024),
                    seed: self.seed,
                    range: self.range,
                    bootstrap: self.bootstrap,
                    top: self.top,
                    samples_file,
                };
                plan::Analysis::Sobol(kind, opts.check()?)
            }
            AnalysisKind::Oat => {
                let opts = OatOptions {
                    range: self.range,
                    steps: self.steps.unwrap_or(10),
                };
                plan::Analysis::Oat(kind, opts.check()?)
            }
            AnalysisKind::Stability => {
                let opts = StabilityOptions {
                    top: self.top.unwrap_or(10),
                    steps: self.steps.unwrap_or(200),
                    ..Default::default()
                };
                plan::Analysis::Stability(kind, opts.check()?)
            }
            AnalysisKind::RankReversal => plan::Analysis::RankReversal,
        })
    }
}

/// Evaluates `inputs` and runs the analysis around it; returns the results with the base
/// evaluation. Errors come in the order the user meets them: the inputs, the varied methods,
/// then the analysis' options.
pub fn analyse(
    inputs: &Inputs,
    opts: &SensitivityOptions,
    progress: &dyn Progress,
) -> Result<(SensitivityResults, Evaluation)> {
    let ev = evaluate(inputs)?;
    let variation = MethodVariation {
        normalizations: opts.vary_normalization.clone(),
        aggregations: opts.vary_aggregation.clone(),
    }
    .check(opts.analysis == AnalysisKind::Sobol)?;
    let variants = variation.evaluate(&ev, &inputs.overrides())?;
    let analysis = opts.analysis(&ev)?;
    let results = plan::run(&ev, &variants, &analysis, progress)?;
    Ok((results, ev))
}
