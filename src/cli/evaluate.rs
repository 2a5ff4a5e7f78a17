//! `zoneval evaluate`: rank, score and grade zones.

use std::path::PathBuf;

use clap::Args;

use super::{Inputs, Outcome};
use zoneval_core::bundled::Source;
use zoneval_core::error::{Lang, Result};
use zoneval_core::evaluation::Evaluation;
use zoneval_core::provenance::Provenance;
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
    /// Table: also show every criterion's score (the default table leaves them out to fit
    /// 120 columns).
    #[arg(long)]
    pub wide: bool,
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
                weights: Vec::new(),
                ahp: Vec::new(),
                scope: None,
            },
            group_by: Vec::new(),
            format: FormatArg::Table,
            wide: false,
            out: None,
            report: None,
            report_optional: false,
        }
    }
}

/// Loads the system and data and evaluates (shared with other commands).
pub fn evaluate_inputs(inputs: &Inputs, group_by: &[String]) -> Result<Evaluation> {
    let run = inputs.to_run(group_by);
    note_unchosen(inputs, &run);
    let ev = zoneval_core::run::evaluate(&run)?;
    protect_inputs(inputs, &ev);
    Ok(ev)
}

/// Says on stderr when a user's system runs on the bundled synthetic data because no data
/// were given. The note comes before the evaluation: a run that fails on the bundled data
/// says why those data were read.
pub fn note_unchosen(inputs: &Inputs, run: &zoneval_core::run::Inputs) {
    if inputs.data.is_none()
        && let Ok(sys) = zoneval_core::run::load_system(run)
    {
        super::note_unchosen_data(&sys, None);
    }
}

/// Records the input files of the run that gave `ev` (its system file and its data file), so
/// that no output replaces them.
pub fn protect_inputs(inputs: &Inputs, ev: &Evaluation) {
    for (_, f) in &inputs.ahp {
        zoneval_report::output::protect(f);
    }
    super::protect(&Source::system(&inputs.to_run(&[]).system_path()));
    super::protect(&zoneval_core::evaluation::data_path(
        ev.system(),
        inputs.data.as_deref(),
    ));
}

/// The provenance of `ev` evaluated from `inputs` (system and data hashed, every parameter).
pub fn provenance(inputs: &Inputs, group_by: &[String], ev: &Evaluation) -> Result<Provenance> {
    zoneval_core::run::provenance(&inputs.to_run(group_by), ev)
}

/// Runs `evaluate`.
pub fn run(args: &EvaluateArgs, lang: Lang) -> Result<Outcome> {
    let ev = evaluate_inputs(&args.inputs, &args.group_by)?;
    let mut model = model::for_outputs(&ev);
    model.provenance = Some(provenance(&args.inputs, &args.group_by, &ev)?);
    let renderer: &dyn zoneval_report::Render = match (args.format, args.wide) {
        (FormatArg::Table, true) => &render::TableWide,
        (f, _) => Format::from(f).renderer(),
    };
    let text = render::to_string(renderer, &model, lang);
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
