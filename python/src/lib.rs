//! `zoneval._zoneval`: the Python package's native module, a thin PyO3 layer over
//! `zoneval-core` (the pure-Python `zoneval/__init__.py` builds the pandas objects).
//!
//! Only conversions live here: a DataFrame's columns arrive as little-endian byte buffers (one
//! per numeric column) or lists of strings and become the engine's [`Columns`]; results leave
//! as [`Frame`]s whose numeric columns are byte buffers that numpy wraps without per-cell
//! Python objects. The evaluation and the analyses are `zoneval_core::run`'s, the functions
//! the CLI calls, so the numbers are the CLI's bit for bit; the GIL is released while they run.

mod analysis;
mod convert;
mod errors;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use zoneval_core::data::ColumnAlias;
use zoneval_core::data::Encoding;
use zoneval_core::error::{Error, Lang, Location, Problem};
use zoneval_core::method::{Entry, Kind, aggregate, normalize, weight};
use zoneval_core::run::{self, AnalysisKind, Data, Inputs, ReadOptions, SensitivityOptions};
use zoneval_core::sensitivity::{Silent, model::FactorKind};
use zoneval_report::model::{ReportModel, for_outputs};
use zoneval_report::{Format, render};

use convert::{Col, Frame};
use errors::{InputError, UsageError, ZonevalError, to_py};

/// The inputs every function takes: system, data (a path or a DataFrame's columns), year,
/// method overrides and the data-reading settings.
#[allow(clippy::too_many_arguments)]
fn inputs(
    py: Python<'_>,
    system: Option<String>,
    data: Option<String>,
    frame: Option<&Bound<'_, PyAny>>,
    year: Option<i64>,
    normalization: Option<String>,
    weighting: Option<String>,
    aggregation: Option<String>,
    group_by: Vec<String>,
    encoding: Option<String>,
    read: Option<Settings>,
    lang: Lang,
) -> PyResult<Inputs> {
    let encoding = match encoding.as_deref() {
        None => None,
        Some("utf-8") => Some(Encoding::Utf8),
        Some("gbk") => Some(Encoding::Gbk),
        Some(other) => {
            return Err(UsageError::new_err(format!(
                "encoding must be \"utf-8\" or \"gbk\", not \"{other}\""
            )));
        }
    };
    let data = match (data, frame) {
        (_, Some(f)) => Data::Columns(Arc::new(convert::columns(f)?)),
        (Some(p), None) => Data::Path(PathBuf::from(p)),
        (None, None) => Data::Default,
    };
    let mut read = read.unwrap_or_default();
    let scope = read.scope.take();
    let weights = read.weights.take().unwrap_or_default();
    let ahp = read
        .ahp
        .take()
        .unwrap_or_default()
        .into_iter()
        .map(|(node, file)| (node, PathBuf::from(file)))
        .collect();
    Ok(Inputs {
        system: system.map(PathBuf::from),
        data,
        year,
        encoding,
        normalization,
        weighting,
        aggregation,
        group_by,
        weights,
        ahp,
        read: read_options(read).map_err(|e| to_py(py, e, lang))?,
        scope,
    })
}

/// The settings every entry point shares besides system, data and methods, as
/// `zoneval/__init__.py` passes them (a dict with every key): the data-reading options (the
/// CLI's `--sheet`, `--id-column`, `--name-column`, `--columns`, or a mapping as (column,
/// header) pairs), the scope (`--scope`) and the weight scenario (`--weight NODE=W`, `--ahp
/// NODE=FILE`). Values are checked in Python as clap checks the flags.
#[derive(FromPyObject, Default)]
#[pyo3(from_item_all)]
struct Settings {
    sheet: Option<String>,
    id_column: Option<String>,
    name_column: Option<String>,
    columns_file: Option<String>,
    columns: Option<Vec<(String, String)>>,
    scope: Option<String>,
    weights: Option<Vec<(String, f64)>>,
    ahp: Option<Vec<(String, String)>>,
}

/// Name shown in messages for a mapping given as a dict (as `<DataFrame>` for a frame).
const MAPPING_NAME: &str = "<columns>";

/// The CLI's `--sheet`, `--id-column`, `--name-column` and `--columns`, plus a mapping given
/// as a dict (each entry located at `<columns>`; an empty name or header is an input error).
fn read_options(read: Settings) -> Result<ReadOptions, Error> {
    let Settings {
        sheet,
        id_column,
        name_column,
        columns_file,
        columns: map,
        ..
    } = read;
    let file: Arc<str> = Arc::from(MAPPING_NAME);
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (column, header) in map.unwrap_or_default() {
        let (column, header) = (column.trim().to_string(), header.trim().to_string());
        if column.is_empty() || header.is_empty() {
            problems.push(Problem::at(
                Some(Location::file(&file)),
                zoneval_core::text!(
                    "`{column}` → `{header}`: a mapping needs the system's column name and the data's header (non-empty strings)",
                    "`{column}` → `{header}`：每条映射需要体系中的列名和数据中的表头（非空字符串）"
                ),
            ));
            continue;
        }
        columns.push(ColumnAlias {
            column,
            header,
            location: Some(Location::file(&file)),
        });
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(ReadOptions {
        sheet,
        id_column,
        name_column,
        columns_file: columns_file.map(PathBuf::from),
        columns,
    })
}

/// A finished evaluation. The report model the CLI's outputs are rendered from is built on
/// first use (`evaluate` itself returns as soon as the engine is done).
#[pyclass(frozen, module = "zoneval._zoneval")]
struct Evaluation {
    ev: zoneval_core::evaluation::Evaluation,
    model: OnceLock<ReportModel>,
    warnings: Vec<String>,
    /// The run's provenance, as the CLI records it (`data_hash` null for a data frame).
    provenance: zoneval_core::provenance::Provenance,
}

impl Evaluation {
    fn model(&self) -> &ReportModel {
        self.model.get_or_init(|| {
            let mut m = for_outputs(&self.ev);
            m.provenance = Some(self.provenance.clone());
            m
        })
    }
}

#[pymethods]
impl Evaluation {
    /// The `evaluate --format json` document.
    fn json(&self, py: Python<'_>) -> String {
        py.detach(|| render::to_string(Format::Json.renderer(), self.model(), Lang::En))
    }

    /// The ranking as a frame: id, name, value, score, rank, grade, vetoed, then one column
    /// per top-level criterion.
    fn ranking(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let m = py.detach(|| self.model());
        let z = &m.zones;
        let mut f = Frame::default();
        f.push("id", Col::Str(z.iter().map(|r| r.id.clone()).collect()));
        f.push("name", Col::Str(z.iter().map(|r| r.name.clone()).collect()));
        f.push("value", Col::opt_f64(z.iter().map(|r| r.value)));
        f.push("score", Col::opt_f64(z.iter().map(|r| r.score)));
        f.push(
            "rank",
            Col::OptI64(z.iter().map(|r| r.rank.map(|k| k as i64)).collect()),
        );
        f.push(
            "grade",
            Col::OptStr(
                z.iter()
                    .map(|r| {
                        r.grade
                            .and_then(|g| m.grades.get(g))
                            .map(|g| g.name.clone())
                    })
                    .collect(),
            ),
        );
        f.push("vetoed", Col::Bool(z.iter().map(|r| r.vetoed).collect()));
        for k in m.top_criteria() {
            let id = m.nodes[m.criteria[k]].named.id.clone();
            // As in the JSON: only ranked zones have sub-scores.
            let col = Col::opt_f64(
                z.iter()
                    .map(|r| r.rank.and(r.criteria.get(k).copied().flatten())),
            );
            f.push_owned(id, col);
        }
        f.into_py(py)
    }

    /// The final global weights of the leaf indicators: (ids, weights).
    fn weights(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let ind = &py.detach(|| self.model()).indicators;
        let mut f = Frame::default();
        f.push(
            "id",
            Col::Str(ind.iter().map(|i| i.named.id.clone()).collect()),
        );
        f.push("weight", Col::F64(ind.iter().map(|i| i.weight).collect()));
        f.into_py(py)
    }

    /// Warnings of the run, as the CLI prints them (without its "warning: " prefix).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The system's id.
    #[getter]
    fn system(&self) -> String {
        self.ev.system().id.clone()
    }

    /// Whether the statistics evaluated are synthetic (the JSON's `synthetic_data`).
    #[getter]
    fn synthetic(&self) -> bool {
        self.ev.prepared().table.synthetic
    }

    /// The evaluated year, when the data has a year column.
    #[getter]
    fn year(&self, py: Python<'_>) -> Option<i64> {
        py.detach(|| self.model()).year
    }
}

/// What Python keeps of the engine's `Evaluation` (the model is built from it on first use;
/// this, [`warnings`] and the `system` getter are the only places that read it).
fn finish(
    ev: zoneval_core::evaluation::Evaluation,
    lang: Lang,
    provenance: zoneval_core::provenance::Provenance,
) -> Evaluation {
    Evaluation {
        warnings: warnings(&ev, lang),
        ev,
        model: OnceLock::new(),
        provenance,
    }
}

/// The run's warnings as the CLI prints them (without its prefix).
fn warnings(ev: &zoneval_core::evaluation::Evaluation, lang: Lang) -> Vec<String> {
    ev.warnings().iter().map(|w| w.render(lang)).collect()
}

#[pyfunction]
#[pyo3(signature = (system, data, frame, year, normalization, weighting, aggregation, group_by, encoding, read=None))]
#[allow(clippy::too_many_arguments)]
fn evaluate(
    py: Python<'_>,
    system: Option<String>,
    data: Option<String>,
    frame: Option<&Bound<'_, PyAny>>,
    year: Option<i64>,
    normalization: Option<String>,
    weighting: Option<String>,
    aggregation: Option<String>,
    group_by: Vec<String>,
    encoding: Option<String>,
    read: Option<Settings>,
) -> PyResult<Evaluation> {
    let lang = Lang::from_env();
    let inputs = inputs(
        py,
        system,
        data,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        group_by,
        encoding,
        read,
        lang,
    )?;
    py.detach(|| {
        inputs.check_method_names()?;
        let ev = run::evaluate(&inputs)?;
        let provenance = run::provenance(&inputs, &ev)?;
        Ok(finish(ev, lang, provenance))
    })
    .map_err(|e| to_py(py, e, lang))
}

/// The analysis' name as Python spells it.
fn analysis_kind(name: &str) -> Result<AnalysisKind, Error> {
    Ok(match name {
        "monte-carlo" => AnalysisKind::MonteCarlo,
        "sobol" => AnalysisKind::Sobol,
        "oat" => AnalysisKind::Oat,
        "stability" => AnalysisKind::Stability,
        "rank-reversal" => AnalysisKind::RankReversal,
        other => {
            return Err(Error::usage(zoneval_core::text!(
                "unknown analysis `{other}`",
                "未知的分析 `{other}`"
            )));
        }
    })
}

fn factor_kind(name: &str) -> Result<FactorKind, Error> {
    match name {
        "criteria" => Ok(FactorKind::Criteria),
        "indicators" => Ok(FactorKind::Indicators),
        other => Err(Error::usage(zoneval_core::text!(
            "factors must be \"criteria\" or \"indicators\", not \"{other}\"",
            "factors 应为 \"criteria\" 或 \"indicators\"，而不是 \"{other}\""
        ))
        .with_hint(zoneval_core::error::suggest(
            other,
            &["criteria", "indicators"],
        ))),
    }
}

/// Runs a sensitivity analysis; returns a dict of frames and scalars (see `convert::results`).
#[pyfunction]
#[pyo3(signature = (analysis, system, data, frame, year, normalization, weighting, aggregation, encoding,
    samples, seed, perturb, dirichlet, weights_file, vary_normalization, vary_aggregation,
    drop_indicator, top, factors, range, bootstrap, samples_file, steps, memory_budget, read=None))]
#[allow(clippy::too_many_arguments)]
fn sensitivity<'py>(
    py: Python<'py>,
    analysis: &str,
    system: Option<String>,
    data: Option<String>,
    frame: Option<&Bound<'py, PyAny>>,
    year: Option<i64>,
    normalization: Option<String>,
    weighting: Option<String>,
    aggregation: Option<String>,
    encoding: Option<String>,
    samples: Option<usize>,
    seed: u64,
    perturb: f64,
    dirichlet: Option<f64>,
    weights_file: Option<String>,
    vary_normalization: Vec<String>,
    vary_aggregation: Vec<String>,
    drop_indicator: bool,
    top: Option<usize>,
    factors: &str,
    range: f64,
    bootstrap: usize,
    samples_file: Option<String>,
    steps: Option<usize>,
    memory_budget: usize,
    read: Option<Settings>,
) -> PyResult<Bound<'py, PyDict>> {
    let lang = Lang::from_env();
    let inputs = inputs(
        py,
        system,
        data,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        Vec::new(),
        encoding,
        read,
        lang,
    )?;
    let opts = (|| -> Result<SensitivityOptions, Error> {
        if weights_file.is_some() && samples.is_some() {
            return Err(Error::usage(zoneval_core::text!(
                "weights_file sets the samples (one per row); pass samples=None",
                "weights_file 的每一行即一个样本，请传入 samples=None"
            )));
        }
        Ok(SensitivityOptions {
            samples,
            seed,
            perturb,
            dirichlet,
            weights_file: weights_file.map(PathBuf::from),
            vary_normalization,
            vary_aggregation,
            drop_indicator,
            top,
            factors: factor_kind(factors)?,
            range,
            bootstrap,
            samples_file: samples_file.map(PathBuf::from),
            steps,
            memory_budget_mib: memory_budget,
            ..SensitivityOptions::new(analysis_kind(analysis)?)
        })
    })()
    .map_err(|e| to_py(py, e, lang))?;
    let (results, warned, synthetic) = py
        .detach(|| {
            inputs.check_method_names()?;
            run::analyse(&inputs, &opts, &Silent)
                .map(|(r, ev)| (r, warnings(&ev, lang), ev.prepared().table.synthetic))
        })
        .map_err(|e| to_py(py, e, lang))?;
    let out = convert::results(py, &results)?;
    out.set_item("warnings", warned)?;
    out.set_item("synthetic_data", synthetic)?;
    Ok(out)
}

/// Audits the system on its data; returns a dict of frames, the correlation matrices, the JSON
/// and the warnings (see `analysis::audit`).
#[pyfunction]
#[pyo3(signature = (system, data, frame, year, normalization, weighting, aggregation, encoding, size_column, lang, read=None))]
#[allow(clippy::too_many_arguments)]
fn audit<'py>(
    py: Python<'py>,
    system: Option<String>,
    data: Option<String>,
    frame: Option<&Bound<'py, PyAny>>,
    year: Option<i64>,
    normalization: Option<String>,
    weighting: Option<String>,
    aggregation: Option<String>,
    encoding: Option<String>,
    size_column: Option<String>,
    lang: Option<String>,
    read: Option<Settings>,
) -> PyResult<Bound<'py, PyDict>> {
    let lang = language(lang)?;
    let inputs = inputs(
        py,
        system,
        data,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        Vec::new(),
        encoding,
        read,
        lang,
    )?;
    analysis::audit(py, inputs, size_column, lang)
}

/// Compares the rankings under several methods or systems; returns a dict of frames, the
/// JSON and the warnings (see `analysis::compare`).
#[pyfunction]
#[pyo3(signature = (system, data, frame, year, normalization, weighting, aggregation, encoding, methods, systems, read=None))]
#[allow(clippy::too_many_arguments)]
fn compare<'py>(
    py: Python<'py>,
    system: Option<String>,
    data: Option<String>,
    frame: Option<&Bound<'py, PyAny>>,
    year: Option<i64>,
    normalization: Option<String>,
    weighting: Option<String>,
    aggregation: Option<String>,
    encoding: Option<String>,
    methods: Option<Vec<String>>,
    systems: Option<Vec<String>>,
    read: Option<Settings>,
) -> PyResult<Bound<'py, PyDict>> {
    let lang = Lang::from_env();
    let inputs = inputs(
        py,
        system,
        data,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        Vec::new(),
        encoding,
        read,
        lang,
    )?;
    analysis::compare(py, inputs, methods, systems, lang)
}

/// `"en"`, `"zh"`, or the environment's language (as the CLI without `--lang`).
fn language(lang: Option<String>) -> PyResult<Lang> {
    match lang.as_deref() {
        None => Ok(Lang::from_env()),
        Some("en") => Ok(Lang::En),
        Some("zh") => Ok(Lang::Zh),
        Some(other) => Err(UsageError::new_err(format!(
            "lang must be \"en\" or \"zh\", not \"{other}\""
        ))),
    }
}

fn entries<T: ?Sized + Kind>(
    py: Python<'_>,
    kind: &str,
    reg: &[Entry<T>],
    out: &Bound<'_, PyList>,
) -> PyResult<()> {
    for e in reg {
        let i = &e.info;
        let d = PyDict::new(py);
        d.set_item("kind", kind)?;
        d.set_item("name", i.name)?;
        d.set_item("title", i.title)?;
        d.set_item("title_zh", i.title_zh)?;
        d.set_item("formula", i.formula)?;
        d.set_item("conventions", i.conventions)?;
        let params = PyList::empty(py);
        for p in i.params {
            let pd = PyDict::new(py);
            pd.set_item("name", p.name)?;
            pd.set_item("default", p.default)?;
            pd.set_item("doc", p.doc)?;
            params.append(pd)?;
        }
        d.set_item("params", params)?;
        d.set_item("reference", i.reference)?;
        out.append(d)?;
    }
    Ok(())
}

/// Every registered method (the registries `zoneval methods` lists), in its order.
#[pyfunction]
fn methods(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    entries(py, "normalization", normalize::REGISTRY, &out)?;
    entries(py, "weighting", weight::REGISTRY, &out)?;
    entries(py, "aggregation", aggregate::REGISTRY, &out)?;
    Ok(out)
}

/// The ids of the bundled indicator systems and datasets.
#[pyfunction]
fn bundled() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        zoneval_core::bundled::systems(),
        zoneval_core::bundled::datasets(),
    )
}

#[pymodule]
fn _zoneval(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ZonevalError", py.get_type::<ZonevalError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Evaluation>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(methods, m)?)?;
    m.add_function(wrap_pyfunction!(bundled, m)?)?;
    Ok(())
}
