//! `zoneval evaluate`: rank, score and grade zones.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{Inputs, Outcome};
use zoneval_core::bundled::Source;
use zoneval_core::error::{Lang, Result};
use zoneval_core::evaluation::{self, Evaluation, Methods};
use zoneval_core::system;
use zoneval_report::{Format, model, render};

/// Arguments of `evaluate`.
#[derive(Debug, Clone, Args)]
pub struct EvaluateArgs {
    /// System, data and method choices.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Also rank within the groups of this column (repeatable; the system's [data] groups are
    /// always ranked).
    #[arg(long, value_name = "COL")]
    pub group_by: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write a report directory: report.html, report.md, results.csv/json/xlsx, charts/.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// A failure to write the report is a warning, not an error (the default run).
    #[arg(skip)]
    pub report_optional: bool,
}

/// `--format` values of `evaluate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Aligned terminal table (CJK-width aware).
    Table,
    /// CSV, one row per zone.
    Csv,
    /// JSON (the contract in DESIGN.md).
    Json,
    /// Markdown report.
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

impl Default for EvaluateArgs {
    fn default() -> Self {
        EvaluateArgs {
            inputs: Inputs {
                system: None,
                data: None,
                year: None,
                encoding: None,
                sheet: None,
                id_column: None,
                name_column: None,
                columns: None,
                normalization: None,
                weighting: None,
                aggregation: None,
            },
            group_by: Vec::new(),
            format: FormatArg::Table,
            out: None,
            report: None,
            report_optional: false,
        }
    }
}

/// Loads the system and data and evaluates (shared with other commands).
pub fn evaluate_inputs(inputs: &Inputs, group_by: &[String]) -> Result<Evaluation> {
    let run = inputs.to_run(group_by);
    // The note comes before the evaluation: a run that fails on the bundled data says why
    // those data were read.
    if inputs.data.is_none()
        && let Ok(sys) = zoneval_core::run::load_system(&run)
    {
        super::note_unchosen_data(&sys, None);
    }
    let ev = zoneval_core::run::evaluate(&run)?;
    // The run's input files: no output may replace them.
    super::protect(&Source::system(&inputs.to_run(group_by).system_path()));
    super::protect(&zoneval_core::evaluation::data_path(
        ev.system(),
        inputs.data.as_deref(),
    ));
    Ok(ev)
}

/// [`evaluate_inputs`], also reading the numeric data columns `extra_numeric` (a size column
/// for `audit`; a missing or non-numeric one is an error naming the file and cell).
pub fn evaluate_inputs_with(
    inputs: &Inputs,
    group_by: &[String],
    extra_numeric: &[String],
) -> Result<Evaluation> {
    if extra_numeric.is_empty() {
        return evaluate_inputs(inputs, group_by);
    }
    let sys = Arc::new(zoneval_core::run::load_system(&inputs.to_run(group_by))?);
    super::protect(&Source::system(&inputs.to_run(group_by).system_path()));
    let methods = Arc::new(Methods::resolve(
        &sys,
        &inputs.to_run(group_by).overrides(),
    )?);
    let prepared = prepare_inputs(inputs, sys, group_by, extra_numeric)?;
    evaluation::evaluate(&prepared, &methods, group_by)
}

/// Reads the data of `sys` as `inputs` say (`--data`, `--encoding`, `--year`) and runs the data
/// stages; the result serves any method (`compare` evaluates it under several).
pub fn prepare_inputs(
    inputs: &Inputs,
    sys: Arc<system::IndicatorSystem>,
    group_by: &[String],
    extra_numeric: &[String],
) -> Result<Arc<evaluation::Prepared>> {
    let path = evaluation::data_path(&sys, inputs.data.as_deref());
    super::protect(&path);
    let table = if extra_numeric.is_empty() {
        evaluation::load_data(&sys, &path, inputs.encoding(), group_by)?
    } else {
        let mut spec = evaluation::read_spec(&sys, inputs.encoding(), group_by);
        for c in extra_numeric {
            if !spec.numeric.contains(c) {
                spec.numeric.push(c.clone());
            }
        }
        let (name, bytes) = path.read()?;
        let mut t = zoneval_core::data::read_bytes(&name, &bytes, &spec)?;
        if path.is_bundled() {
            t.mark_synthetic();
        }
        t
    };
    super::note_unchosen_data(&sys, inputs.data.as_deref());
    Ok(Arc::new(evaluation::prepare(
        sys,
        Arc::new(table),
        inputs.year,
        group_by,
    )?))
}

/// Runs `evaluate`.
pub fn run(args: &EvaluateArgs, lang: Lang) -> Result<Outcome> {
    let ev = evaluate_inputs(&args.inputs, &args.group_by)?;
    let model = model::for_outputs(&ev);
    let text = render::to_string(Format::from(args.format).renderer(), &model, lang);
    let mut warnings = ev.warnings().to_vec();
    if let Some(dir) = &args.report {
        let written =
            super::report::write_evaluation(&ev, &args.inputs, &args.group_by, dir, lang, None);
        match written {
            Ok(w) => warnings.extend(w),
            Err(e) if args.report_optional => warnings.extend(e.problems),
            Err(e) => return Err(e),
        }
    }
    Outcome::deliver(text, args.out.as_deref(), warnings)
}
