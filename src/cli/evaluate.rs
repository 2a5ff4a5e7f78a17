//! `zoneval evaluate`: rank, score and grade zones.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{Inputs, Outcome};
use crate::error::{Lang, Result};
use crate::evaluation::{self, Evaluation, Methods};
use crate::report::{self, Format};
use crate::system;

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
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
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

impl Default for EvaluateArgs {
    fn default() -> Self {
        EvaluateArgs {
            inputs: Inputs {
                system: None,
                data: None,
                year: None,
                encoding: None,
                normalization: None,
                weighting: None,
                aggregation: None,
            },
            group_by: Vec::new(),
            format: Format::Table,
            out: None,
            report: None,
            report_optional: false,
        }
    }
}

/// Loads the system and data and evaluates (shared with other commands).
pub fn evaluate_inputs(inputs: &Inputs, group_by: &[String]) -> Result<Evaluation> {
    let sys = Arc::new(system::load_file(&inputs.system_path())?);
    let methods = Arc::new(Methods::resolve(&sys, &inputs.overrides())?);
    let path = evaluation::data_path(&sys, inputs.data.as_deref());
    let table = Arc::new(evaluation::load_data(
        &sys,
        &path,
        inputs.encoding(),
        group_by,
    )?);
    let prepared = Arc::new(evaluation::prepare(sys, table, inputs.year, group_by)?);
    evaluation::evaluate(&prepared, &methods, group_by)
}

/// Runs `evaluate`.
pub fn run(args: &EvaluateArgs, lang: Lang) -> Result<Outcome> {
    let ev = evaluate_inputs(&args.inputs, &args.group_by)?;
    let text = report::render(&ev, args.format, lang);
    let mut warnings = ev.warnings.clone();
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
