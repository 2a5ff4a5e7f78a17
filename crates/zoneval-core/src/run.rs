//! What a front end does with a user's inputs: load the system and the data, evaluate, run a
//! sensitivity analysis with its defaults, audit the system ([`audit()`]) and compare methods
//! or systems ([`compare()`]). The CLI and the Python package both call these functions, so
//! the same inputs give the same numbers (and the same errors, in the same order) whichever
//! way they are given; each front end only spells the options its own way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::audit::{self, Audit, SizeColumn};
use crate::analysis::compare::{self, EvaluationsCompared};
use crate::data::{Columns, Encoding, ZoneTable};
use crate::error::{Error, Problem, Result, suggest};
use crate::evaluation::{self, Evaluation, Methods, Overrides};
use crate::method::{self, Params};
use crate::provenance::Provenance;
use crate::sensitivity::model::{FactorKind, factors};
use crate::sensitivity::monte_carlo::{McOptions, WeightDraw};
use crate::sensitivity::oat::OatOptions;
use crate::sensitivity::plan::{self, MethodVariation};
use crate::sensitivity::sobol::SobolOptions;
use crate::sensitivity::stability::StabilityOptions;
use crate::sensitivity::{self, Progress, SensitivityResults, input_files};
use crate::system::{self, IndicatorSystem};
use crate::text;
use serde_json::{Map, Value, json};

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
    /// Weight scenario: node id → new local weight (siblings rescaled proportionally).
    pub weights: Vec<(String, f64)>,
    /// Weight scenario: node id → a CSV file of AHP judgements replacing the node's.
    pub ahp: Vec<(String, PathBuf)>,
    /// How to read the data, replacing the system's `[data]` settings.
    pub read: ReadOptions,
    /// The scope to evaluate: `default`, a variant of the system's `[scope]`, or `all`
    /// (every zone); None = the system's default scope.
    pub scope: Option<String>,
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

/// Loads the system `inputs` name, with the data-reading settings and the weight scenario
/// applied (the scenario's notes join the system's warnings).
pub fn load_system(inputs: &Inputs) -> Result<IndicatorSystem> {
    let mut sys = system::load_file(&inputs.system_path())?;
    inputs.read.apply(&mut sys)?;
    if let Some(name) = &inputs.scope {
        sys = sys.with_scope(name)?;
    }
    system::scenario::set_ahp(&mut sys, &inputs.ahp)?;
    let notes = system::scenario::set_weights(&mut sys, &inputs.weights)?;
    sys.warnings.extend(notes);
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

/// Reads the data `inputs` name for `sys`, also reading the numeric columns `extra_numeric`
/// (an audit's size column: a missing or non-numeric one is an error naming the file and
/// cell).
fn load_table(
    sys: &IndicatorSystem,
    inputs: &Inputs,
    extra_numeric: &[String],
) -> Result<ZoneTable> {
    let mut spec = evaluation::read_spec(sys, inputs.encoding, &inputs.group_by);
    for c in extra_numeric {
        if !spec.numeric.contains(c) {
            spec.numeric.push(c.clone());
        }
    }
    match &inputs.data {
        Data::Columns(cols) => crate::data::read_columns(cols, &spec),
        Data::Default | Data::Path(_) => {
            let source = data_source(sys, inputs);
            let (name, bytes) = source.read()?;
            let mut table = crate::data::read_bytes(&name, &bytes, &spec)?;
            if source.is_bundled() {
                table.mark_synthetic();
            }
            Ok(table)
        }
    }
}

/// The weights of a system under `inputs`' weighting: computed from the system alone when the
/// weighting is subjective (expert, equal, AHP — no data is read), otherwise by evaluating.
/// Returns the system (with the scenario applied), the weighting's name, its output and the
/// warnings.
pub fn weights(
    inputs: &Inputs,
) -> Result<(
    Arc<IndicatorSystem>,
    String,
    crate::method::weight::WeightOutput,
    Vec<crate::error::Problem>,
)> {
    let sys = Arc::new(load_system(inputs)?);
    let methods = Methods::resolve(&sys, &inputs.overrides())?;
    let subjective =
        crate::method::weight::capabilities(&methods.weighting_name).is_some_and(|c| c.subjective);
    if !subjective {
        let ev = evaluate(inputs)?;
        let name = ev.methods().weighting_name.clone();
        let out = ev.weights().clone();
        return Ok((
            ev.prepared().system.clone(),
            name,
            out,
            ev.warnings().to_vec(),
        ));
    }
    let n = sys.indicators.len();
    let empty = crate::method::Matrix::zeros(0, n);
    let specs: Vec<_> = sys.indicators.iter().map(|i| i.spec()).collect();
    let input = crate::method::weight::WeightInput {
        raw: &empty,
        normalized: &empty,
        specs: &specs,
        tree: &sys.tree,
    };
    let mut notes = Vec::new();
    let out = methods
        .weighting
        .weigh(&input, &mut notes)
        .map_err(|e| Error::input(None, e.message))?;
    let mut warnings = sys.warnings.clone();
    warnings.extend(methods.warnings.iter().cloned());
    warnings.extend(notes.into_iter().map(crate::error::Problem::new));
    Ok((sys, methods.weighting_name.clone(), out, warnings))
}

/// Where the data of `inputs` is read from for `sys` (for a data frame: the source that would
/// be read without it).
pub fn data_source(sys: &IndicatorSystem, inputs: &Inputs) -> crate::bundled::Source {
    let given = match &inputs.data {
        Data::Path(p) => Some(p.as_path()),
        _ => None,
    };
    evaluation::data_path(sys, given)
}

/// Loads the system and the data and evaluates.
pub fn evaluate(inputs: &Inputs) -> Result<Evaluation> {
    evaluate_reading(inputs, &[])
}

/// [`evaluate`], also reading the numeric data columns `extra_numeric`.
fn evaluate_reading(inputs: &Inputs, extra_numeric: &[String]) -> Result<Evaluation> {
    let sys = Arc::new(load_system(inputs)?);
    let methods = Arc::new(Methods::resolve(&sys, &inputs.overrides())?);
    let table = Arc::new(load_table(&sys, inputs, extra_numeric)?);
    let prepared = Arc::new(evaluation::prepare(
        sys,
        table,
        inputs.year,
        &inputs.group_by,
    )?);
    evaluation::evaluate(&prepared, &methods, &inputs.group_by)
}

/// The provenance of `ev`, evaluated from `inputs`: the system and data files (hashed),
/// the evaluated year and every input parameter.
pub fn provenance(inputs: &Inputs, ev: &Evaluation) -> Result<Provenance> {
    let system = crate::bundled::Source::system(&inputs.system_path());
    let data = match &inputs.data {
        Data::Columns(_) => None,
        Data::Path(p) => Some(evaluation::data_path(ev.system(), Some(p))),
        Data::Default => Some(evaluation::data_path(ev.system(), None)),
    };
    let mut p = Map::new();
    p.insert("year".into(), json!(inputs.year));
    p.insert(
        "encoding".into(),
        json!(inputs.encoding.map(|e| match e {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gbk => "gbk",
        })),
    );
    p.insert("normalization".into(), json!(inputs.normalization));
    p.insert("weighting".into(), json!(inputs.weighting));
    p.insert("aggregation".into(), json!(inputs.aggregation));
    p.insert("group_by".into(), json!(inputs.group_by));
    let r = &inputs.read;
    p.insert("sheet".into(), json!(r.sheet));
    p.insert("id_column".into(), json!(r.id_column));
    p.insert("name_column".into(), json!(r.name_column));
    let columns = match &r.columns_file {
        None => Value::Null,
        Some(f) => {
            let src = crate::bundled::Source::File(f.clone());
            json!({ "file": src.to_string(), "hash": crate::provenance::hash_source(&src)? })
        }
    };
    p.insert("columns_file".into(), columns);
    p.insert("scope".into(), json!(inputs.scope));
    let mut prov = Provenance::new(
        &ev.system().id,
        &system,
        data.as_ref(),
        ev.prepared().year,
        p,
    )?;
    let weights: Map<String, Value> = inputs
        .weights
        .iter()
        .map(|(k, w)| (k.clone(), json!(w)))
        .collect();
    let mut ahp = Map::new();
    for (k, f) in &inputs.ahp {
        let src = crate::bundled::Source::File(f.clone());
        ahp.insert(
            k.clone(),
            json!({ "file": src.to_string(), "hash": crate::provenance::hash_source(&src)? }),
        );
    }
    add_weight_parameters(&mut prov, &weights, &ahp);
    Ok(prov)
}

/// The provenance of an audit of `ev` ([`audit()`]): [`provenance`] with the size column.
pub fn audit_provenance(
    inputs: &Inputs,
    size_column: Option<&str>,
    ev: &Evaluation,
) -> Result<Provenance> {
    let mut prov = provenance(inputs, ev)?;
    prov.parameters
        .insert("size_column".into(), json!(size_column));
    Ok(prov)
}

/// The provenance of a comparison ([`compare()`]): the first evaluation's, with the compared
/// methods and every compared system file (hashed).
pub fn compare_provenance(
    inputs: &Inputs,
    rankings: &Rankings,
    c: &Compared,
) -> Result<Provenance> {
    let base = c.evaluations.first().ok_or_else(|| {
        Error::usage(text!(
            "nothing to compare: give at least one method or system",
            "没有可比较的对象：请至少给出一个方法或体系"
        ))
    })?;
    let mut first = inputs.clone();
    let (methods, systems): (Vec<String>, Vec<Value>) = match rankings {
        Rankings::Methods(m) => (m.clone(), Vec::new()),
        Rankings::Systems(paths) => {
            first.system = paths.first().cloned();
            let mut out = Vec::new();
            for p in paths {
                let src = crate::bundled::Source::system(p);
                out.push(json!({
                    "file": src.to_string(),
                    "hash": crate::provenance::hash_source(&src)?,
                }));
            }
            (Vec::new(), out)
        }
    };
    let mut prov = provenance(&first, base)?;
    prov.parameters.insert("methods".into(), json!(methods));
    prov.parameters.insert("systems".into(), json!(systems));
    Ok(prov)
}

/// Records weight scenarios in `prov`'s parameters: `weights` (node id → weight given) and
/// `ahp` (node id → the judgement file and its hash); both always present, empty when none.
pub fn add_weight_parameters(
    prov: &mut Provenance,
    weights: &Map<String, Value>,
    ahp: &Map<String, Value>,
) {
    prov.parameters
        .insert("weights".into(), Value::Object(weights.clone()));
    prov.parameters
        .insert("ahp".into(), Value::Object(ahp.clone()));
}

/// The provenance of a sensitivity analysis: [`provenance`] with the analysis' options
/// (defaults filled in) and its seed.
pub fn sensitivity_provenance(
    inputs: &Inputs,
    opts: &SensitivityOptions,
    ev: &Evaluation,
) -> Result<Provenance> {
    let mut prov = provenance(inputs, ev)?;
    let file = |f: &Option<PathBuf>| -> Result<Value> {
        match f {
            None => Ok(Value::Null),
            Some(f) => {
                let src = crate::bundled::Source::File(f.clone());
                Ok(
                    json!({ "file": src.to_string(), "hash": crate::provenance::hash_source(&src)? }),
                )
            }
        }
    };
    let (samples, top, steps, seed) = match opts.analysis {
        AnalysisKind::MonteCarlo => (
            Some(opts.samples.unwrap_or(10_000)),
            Some(opts.top.unwrap_or(10)),
            None,
            Some(opts.seed),
        ),
        AnalysisKind::Sobol => (
            Some(opts.samples.unwrap_or(1024)),
            opts.top,
            None,
            Some(opts.seed),
        ),
        AnalysisKind::Oat => (None, None, Some(opts.steps.unwrap_or(10)), None),
        AnalysisKind::Stability => (
            None,
            Some(opts.top.unwrap_or(10)),
            Some(opts.steps.unwrap_or(200)),
            None,
        ),
        AnalysisKind::RankReversal => (None, None, None, None),
    };
    let p = &mut prov.parameters;
    p.insert(
        "analysis".into(),
        json!(match opts.analysis {
            AnalysisKind::MonteCarlo => "monte-carlo",
            AnalysisKind::Sobol => "sobol",
            AnalysisKind::Oat => "oat",
            AnalysisKind::Stability => "stability",
            AnalysisKind::RankReversal => "rank-reversal",
        }),
    );
    p.insert("samples".into(), json!(samples));
    p.insert("top".into(), json!(top));
    p.insert("steps".into(), json!(steps));
    let mc = opts.analysis == AnalysisKind::MonteCarlo;
    let uniform = mc && opts.weights_file.is_none() && opts.dirichlet.is_none();
    p.insert("perturb".into(), json!(uniform.then_some(opts.perturb)));
    p.insert("dirichlet".into(), json!(opts.dirichlet.filter(|_| mc)));
    p.insert("weights_file".into(), file(&opts.weights_file)?);
    p.insert("vary_normalization".into(), json!(opts.vary_normalization));
    p.insert("vary_aggregation".into(), json!(opts.vary_aggregation));
    p.insert("drop_indicator".into(), json!(opts.drop_indicator));
    let factors = matches!(
        opts.analysis,
        AnalysisKind::Sobol | AnalysisKind::Oat | AnalysisKind::Stability
    );
    p.insert(
        "factors".into(),
        json!(factors.then_some(match opts.factors {
            FactorKind::Criteria => "criteria",
            FactorKind::Indicators => "indicators",
        })),
    );
    let ranged = matches!(opts.analysis, AnalysisKind::Sobol | AnalysisKind::Oat)
        && opts.samples_file.is_none();
    p.insert("range".into(), json!(ranged.then_some(opts.range)));
    let sobol = opts.analysis == AnalysisKind::Sobol;
    p.insert("bootstrap".into(), json!(sobol.then_some(opts.bootstrap)));
    p.insert("samples_file".into(), file(&opts.samples_file)?);
    p.insert(
        "memory_budget_mib".into(),
        json!(mc.then_some(opts.memory_budget_mib)),
    );
    prov.seed = seed;
    Ok(prov)
}

/// Evaluates `inputs` and audits the system on that evaluation ([`audit::audit`]), with the
/// Pearson correlation of each indicator with the numeric data column `size_column` when one
/// is named (read with the data: a missing or non-numeric column is an input error naming the
/// file and cell). Returns the audit with the evaluation it describes.
pub fn audit(inputs: &Inputs, size_column: Option<&str>) -> Result<(Audit, Evaluation)> {
    let extra: Vec<String> = size_column.iter().map(|c| c.to_string()).collect();
    let ev = evaluate_reading(inputs, &extra)?;
    let size = size_column.and_then(|c| SizeColumn::of(&ev, c));
    Ok((audit::audit(&ev, size.as_ref()), ev))
}

/// What `compare` ranks the zones under.
#[derive(Clone, Debug)]
pub enum Rankings {
    /// Methods on the inputs' system and data, each `AGG` or `NORM/WEIGHT/AGG`
    /// ([`compare::parse_method`]; a bare aggregation takes the inputs' normalisation and
    /// weighting overrides, else the system's), labelled as written (trimmed).
    Methods(Vec<String>),
    /// System files (or bundled ids) on the inputs' data, each with its own method, labelled
    /// by file stem; the inputs must name no system.
    Systems(Vec<PathBuf>),
}

/// Evaluations compared: [`compare`]'s result.
#[derive(Debug)]
pub struct Compared {
    /// One label per evaluation (the method as written, or the system file's stem).
    pub labels: Vec<String>,
    /// The evaluations, in the order given.
    pub evaluations: Vec<Evaluation>,
    /// Their comparison.
    pub compared: EvaluationsCompared,
    /// Whether systems (not methods) were compared: grades and rank changes are then shown.
    pub systems: bool,
}

impl Compared {
    /// The evaluations' warnings (each once, in order), then the zones left out.
    pub fn warnings(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        for ev in &self.evaluations {
            for w in ev.warnings() {
                if !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out.extend(self.compared.left_out_warning());
        out
    }

    /// Per evaluation, its system's grade names (what [`EvaluationsCompared::grades`] index).
    pub fn grade_names(&self) -> Vec<Vec<String>> {
        self.evaluations
            .iter()
            .map(|ev| ev.system().grades.iter().map(|g| g.name.clone()).collect())
            .collect()
    }
}

/// A system file's label: its stem (`official.toml` → `official`; a bundled id is its own).
fn stem(p: &Path) -> String {
    p.file_stem().map_or_else(
        || p.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Evaluates the zones under each of `rankings` and compares the rankings
/// ([`compare::evaluations`]). Errors come in the order the user meets them: the method items
/// (or a label given twice), then the system and the data, then each method. With methods,
/// the data is read and prepared once.
pub fn compare(inputs: &Inputs, rankings: &Rankings) -> Result<Compared> {
    let (labels, evaluations, systems) = match rankings {
        Rankings::Methods(items) => {
            let base = inputs.overrides();
            let mut parsed = Vec::with_capacity(items.len());
            for m in items {
                let label = m.trim().to_string();
                let ov = compare::parse_method(&label, &base)?;
                parsed.push((label, ov));
            }
            compare::check_distinct(parsed.iter().map(|(l, _)| l.as_str()))?;
            let sys = Arc::new(load_system(inputs)?);
            let table = Arc::new(load_table(&sys, inputs, &[])?);
            let prepared = Arc::new(evaluation::prepare(
                sys.clone(),
                table,
                inputs.year,
                &inputs.group_by,
            )?);
            let mut labels = Vec::with_capacity(parsed.len());
            let mut evs = Vec::with_capacity(parsed.len());
            for (label, ov) in parsed {
                let methods = Arc::new(Methods::resolve(&sys, &ov)?);
                evs.push(evaluation::evaluate(&prepared, &methods, &inputs.group_by)?);
                labels.push(label);
            }
            (labels, evs, false)
        }
        Rankings::Systems(paths) => {
            if inputs.system.is_some() {
                return Err(Error::usage(text!(
                    "the systems to compare are given; no other system may be given",
                    "已给出要比较的体系，不能再另行指定体系"
                )));
            }
            let labels: Vec<String> = paths.iter().map(|p| stem(p)).collect();
            compare::check_distinct(labels.iter().map(String::as_str))?;
            let mut evs = Vec::with_capacity(paths.len());
            for p in paths {
                let one = Inputs {
                    system: Some(p.clone()),
                    ..inputs.clone()
                };
                evs.push(evaluate(&one)?);
            }
            (labels, evs, true)
        }
    };
    if evaluations.is_empty() {
        return Err(Error::usage(text!(
            "nothing to compare: give at least one method or system",
            "没有可比较的对象：请至少给出一个方法或体系"
        )));
    }
    let refs: Vec<&Evaluation> = evaluations.iter().collect();
    let compared = compare::evaluations(&refs);
    Ok(Compared {
        labels,
        evaluations,
        compared,
        systems,
    })
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
