//! The command line: one file per subcommand; doc comments are the help text.

mod audit;
mod compare;
mod evaluate;
mod methods;
mod progress;
pub mod report;
pub mod sensitivity;
mod serve;
mod template;
mod validate;
mod weights;

use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand};

use zoneval_core::error::{Error, Lang, OptionError, Problem, Result, Text};
use zoneval_core::method::{aggregate, names, normalize, weight};
use zoneval_core::text;

/// Comprehensive evaluation of development zones (开发区综合评价).
///
/// With no arguments, evaluates the bundled Shandong provincial system on the bundled data,
/// prints the ranking and writes the report to ./zoneval-report/.
#[derive(Debug, Parser)]
#[command(name = "zoneval", version, about, long_about = None)]
pub struct Cli {
    /// Language of messages and reports (default: from ZONEVAL_LANG or LANG, else en).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Worker threads, 1 to 256 (default: all cores). Results never depend on it.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Let `--out` write through a symbolic link to the file it points to (by default a link
    /// there is refused).
    #[arg(long, global = true)]
    pub follow_symlinks: bool,
    /// What to do (default: evaluate).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--lang` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate zones: rank, score, grade.
    Evaluate(evaluate::EvaluateArgs),
    /// Show the final weights (and AHP consistency) of a system.
    Weights(weights::WeightsArgs),
    /// Check indicator system files and list every problem.
    Validate(validate::ValidateArgs),
    /// List the methods with their formulas, conventions and references.
    Methods(methods::MethodsArgs),
    /// Sensitivity and uncertainty analysis of the ranking.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Re-render a report directory from a saved results.json (and add sensitivity results).
    Report(report::ReportArgs),
    /// Audit the indicator system on its data: coverage, skewness, size correlation, effective
    /// weights, Cronbach's α, redundant and conflicting indicators, with JRC flags.
    Audit(audit::AuditArgs),
    /// Compare the rankings of several methods (or several systems) side by side, with rank
    /// correlations and a Borda/Copeland compromise ranking.
    Compare(compare::CompareArgs),
    /// The policy workbench: a local web page where weights are tuned and the ranking answers.
    Serve(serve::ServeArgs),
    /// Write an Excel template for a system's data: one column per column the system reads,
    /// headers as the system names them (units and directions in the header notes), a notes
    /// sheet defining every indicator; `--lang` sets the notes' language.
    Template(template::TemplateArgs),
    /// Print a shell completion script (e.g. `zoneval completions bash > ~/.local/share/bash-completion/completions/zoneval`).
    Completions(CompletionsArgs),
}

/// Arguments of `completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The completion script of `shell`, generated from the command-line definition.
fn completions(a: &CompletionsArgs) -> Result<Outcome> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "zoneval", &mut out);
    Ok(Outcome {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        warnings: Vec::new(),
    })
}

/// The inputs every evaluating command takes.
#[derive(Debug, Clone, Args)]
pub struct Inputs {
    /// Indicator system file (TOML), or the id of a bundled system
    /// (shandong-provincial, shandong-provincial-2016, mofcom-etdz-2021, land-intensive-use,
    /// eco-industrial-park, project-access, project-access-2023).
    #[arg(long, short = 's', value_name = "FILE")]
    pub system: Option<PathBuf>,
    /// Zone data (CSV or .xlsx), or the id of a bundled dataset (shandong-zones,
    /// shandong-zones-2018, project-applications); default: the system's [data] path, else the
    /// bundled data.
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Year to evaluate when the data has a year column (default: the latest).
    #[arg(long)]
    pub year: Option<i64>,
    /// Encoding of a CSV file (default: detect UTF-8, then GBK).
    #[arg(long, value_parser = ["utf-8", "gbk"])]
    pub encoding: Option<String>,
    /// The worksheet of an .xlsx workbook holding the data (default: the system's [data]
    /// sheet, else the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The header holding the zone ids (default: the system's [data] id_column, else zone_id).
    #[arg(long, value_name = "HEADER")]
    pub id_column: Option<String>,
    /// The header holding the zone names (default: the system's [data] name_column, else
    /// zone_name).
    #[arg(long, value_name = "HEADER")]
    pub name_column: Option<String>,
    /// A column mapping file (CSV or .xlsx, two columns: the system's column name, then the
    /// data file's header); replaces the system's [data] columns for the columns it names.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// Normalisation, replacing the system's default (indicator overrides stay).
    #[arg(long, value_parser = PossibleValuesParser::new(names(normalize::REGISTRY)))]
    pub normalization: Option<String>,
    /// Weighting, replacing the system's.
    #[arg(long, value_parser = PossibleValuesParser::new(names(weight::REGISTRY)))]
    pub weighting: Option<String>,
    /// Aggregation, replacing the system's.
    #[arg(long, value_parser = PossibleValuesParser::new(names(aggregate::REGISTRY)))]
    pub aggregation: Option<String>,
    /// Weight scenario: set the local weight of a criterion or indicator (repeatable); its
    /// siblings are rescaled proportionally so the level keeps its sum (said in a note).
    #[arg(long = "weight", value_name = "NODE=W", value_parser = parse_weight)]
    pub weights: Vec<(String, f64)>,
    /// Weight scenario: replace a node's AHP judgements with the matrix in FILE (CSV, n rows
    /// of n judgements such as 3 or 1/3, optionally labelled with the children's ids).
    #[arg(long = "ahp", value_name = "NODE=FILE", value_parser = parse_ahp)]
    pub ahp: Vec<(String, PathBuf)>,
    /// Which zones to evaluate: the system's [scope] (default), one of its named variants
    /// (e.g. upgrade-candidates), or all (every zone, scope ignored).
    #[arg(long, value_name = "NAME")]
    pub scope: Option<String>,
}

/// `NODE=W` of `--weight`.
fn parse_weight(s: &str) -> std::result::Result<(String, f64), String> {
    let (node, w) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected NODE=WEIGHT, e.g. env=0.25 (found `{s}`)"))?;
    let w: f64 = w
        .trim()
        .parse()
        .map_err(|_| format!("`{w}` is not a number (expected NODE=WEIGHT)"))?;
    if !w.is_finite() || w < 0.0 {
        return Err(format!(
            "the weight must be a finite number ≥ 0 (found {w})"
        ));
    }
    if node.trim().is_empty() {
        return Err("expected NODE=WEIGHT: the node id is empty".into());
    }
    Ok((node.trim().to_string(), w))
}

/// `NODE=FILE` of `--ahp`.
fn parse_ahp(s: &str) -> std::result::Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((n, f)) if !n.trim().is_empty() && !f.is_empty() => {
            Ok((n.trim().to_string(), PathBuf::from(f)))
        }
        _ => Err(format!(
            "expected NODE=FILE, e.g. root=judgements.csv (found `{s}`)"
        )),
    }
}

impl Inputs {
    /// The library's inputs, ranking within `group_by` too.
    pub fn to_run(&self, group_by: &[String]) -> zoneval_core::run::Inputs {
        zoneval_core::run::Inputs {
            system: self.system.clone(),
            data: self.data.clone().map_or(
                zoneval_core::run::Data::Default,
                zoneval_core::run::Data::Path,
            ),
            year: self.year,
            encoding: self.encoding(),
            normalization: self.normalization.clone(),
            weighting: self.weighting.clone(),
            aggregation: self.aggregation.clone(),
            group_by: group_by.to_vec(),
            weights: self.weights.clone(),
            ahp: self.ahp.clone(),
            read: zoneval_core::run::ReadOptions {
                sheet: self.sheet.clone(),
                id_column: self.id_column.clone(),
                name_column: self.name_column.clone(),
                columns_file: self.columns.clone(),
                columns: Vec::new(),
            },
            scope: self.scope.clone(),
        }
    }

    /// The `--encoding` value.
    pub fn encoding(&self) -> Option<zoneval_core::data::Encoding> {
        self.encoding.as_deref().map(|e| {
            if e == "gbk" {
                zoneval_core::data::Encoding::Gbk
            } else {
                zoneval_core::data::Encoding::Utf8
            }
        })
    }
}

/// The language to use: `--lang`, else ZONEVAL_LANG, LC_ALL or LANG starting with "zh", else English.
pub fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// What a command produced: text for stdout and warnings for stderr.
pub struct Outcome {
    /// stdout.
    pub stdout: String,
    /// stderr warnings.
    pub warnings: Vec<Problem>,
}

impl Outcome {
    /// `text` written to `out` (atomically), or to stdout when `out` is None.
    pub fn deliver(text: String, out: Option<&Path>, warnings: Vec<Problem>) -> Result<Outcome> {
        let stdout = match out {
            Some(p) => {
                let follow = FOLLOW_SYMLINKS.load(std::sync::atomic::Ordering::Relaxed);
                write_atomic(p, text.as_bytes(), follow)?;
                String::new()
            }
            None => text,
        };
        Ok(Outcome { stdout, warnings })
    }
}

/// `--follow-symlinks`, for [`Outcome::deliver`].
static FOLLOW_SYMLINKS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes for stderr about how the run was set up (not part of any result document): the
/// bundled data used for a system of the user's own because no data was given.
static NOTES: std::sync::Mutex<Vec<Problem>> = std::sync::Mutex::new(Vec::new());

/// Notes (once) that `sys`, not bundled and without `[data] path`, is evaluated on the bundled
/// synthetic dataset because no `--data` was given (DESIGN.md keeps that default).
pub fn note_unchosen_data(sys: &zoneval_core::system::IndicatorSystem, given: Option<&Path>) {
    if let Some(w) = zoneval_core::evaluation::unchosen_data_warning(sys, given) {
        let mut notes = NOTES.lock().unwrap_or_else(|e| e.into_inner());
        if !notes.contains(&w) {
            notes.push(w);
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let lang = language(cli.lang);
    FOLLOW_SYMLINKS.store(cli.follow_symlinks, std::sync::atomic::Ordering::Relaxed);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.threads.map_or(0, usize::from))
        .build()
        .map_err(|e| {
            let e = e.to_string();
            Error::failure(text!(
                "cannot start worker threads: {e}",
                "无法启动工作线程：{e}"
            ))
        })?;
    let result = pool
        .install(|| dispatch(cli.command, lang))
        .map_err(flag_wording);
    let notes = std::mem::take(&mut *NOTES.lock().unwrap_or_else(|e| e.into_inner()));
    match result {
        Ok(mut out) => {
            out.warnings.splice(0..0, notes);
            Ok(out)
        }
        Err(mut e) => {
            e.problems.extend(notes);
            Err(e)
        }
    }
}

/// Words a refused option with the flag that set it, where the engine names it by meaning.
fn flag_wording(mut e: Error) -> Error {
    if let (Some(o), Some(p)) = (&e.option, e.problems.first_mut()) {
        p.message = option_text(o);
    }
    e
}

/// The CLI's wording of each refused option.
fn option_text(o: &OptionError) -> Text {
    match *o {
        OptionError::Samples { max } => text!(
            "--samples must be between 1 and {max}",
            "--samples 应在 1 到 {max} 之间"
        ),
        OptionError::BasePoints { max } => text!(
            "--samples must be between 1 and {max} base points",
            "--samples 应在 1 到 {max} 之间"
        ),
        OptionError::Perturb => text!("--perturb must be in [0, 1)", "--perturb 应在 [0, 1) 内"),
        OptionError::Dirichlet => text!(
            "--dirichlet must be a positive finite number",
            "--dirichlet 必须为有限正数"
        ),
        OptionError::DirichletTooSmall { min } => text!(
            "--dirichlet must be at least {min} for these weights (smaller concentrations underflow the sampler and give no spread at all)",
            "就这些权重而言，--dirichlet 至少应为 {min}（更小的值会使抽样下溢，结果毫无离散）"
        ),
        OptionError::Top => text!("--top must be at least 1", "--top 至少为 1"),
        OptionError::SobolRange => text!(
            "--range must be in (0, 1) for Sobol",
            "Sobol 的 --range 应在 (0, 1) 内"
        ),
        OptionError::OatRange { max_steps: max } | OptionError::OatSteps { max } => text!(
            "--range must be in (0, 10) and --steps between 1 and {max}",
            "--range 应在 (0, 10) 内，--steps 应在 1 到 {max} 之间"
        ),
        OptionError::StabilitySteps { max } => {
            text!(
                "--steps must be between 1 and {max}",
                "--steps 应在 1 到 {max} 之间"
            )
        }
        OptionError::Bootstrap { max, max_draws } => text!(
            "--bootstrap must be between 2 and {max}, and --bootstrap × base points at most {max_draws}",
            "--bootstrap 应在 2 到 {max} 之间，且 --bootstrap × 基点数不能超过 {max_draws}"
        ),
        OptionError::TooManySobolFactors { max } => {
            let dims = 2 * max;
            text!(
                "at most {max} Sobol factors (the sequence has {dims} dimensions); use --factors criteria",
                "Sobol 因子最多 {max} 个（序列共 {dims} 维）；请使用 --factors criteria"
            )
        }
        OptionError::SamplesFileWithMethodVariation => text!(
            "--samples-file replays weight multipliers only; it cannot be combined with method variation",
            "--samples-file 仅重放权重乘数，不能与方法变化同时使用"
        ),
        OptionError::SobolNormalizationVariation => text!(
            "Sobol varies the aggregation only (--vary-aggregation); normalisations are not a factor",
            "Sobol 仅支持 --vary-aggregation；标准化方法不作为因子"
        ),
        OptionError::YearWithoutYearColumn { year } => text!(
            "--year {year}: the data has no year column",
            "--year {year}：数据中没有年份列"
        ),
    }
}

fn dispatch(command: Option<Command>, lang: Lang) -> Result<Outcome> {
    match command {
        // The default run also writes ./zoneval-report/ (a failure there is only a warning).
        None => evaluate::run(
            &evaluate::EvaluateArgs {
                report: Some(PathBuf::from(DEFAULT_REPORT_DIR)),
                report_optional: true,
                ..evaluate::EvaluateArgs::default()
            },
            lang,
        ),
        Some(Command::Evaluate(a)) => evaluate::run(&a, lang),
        Some(Command::Weights(a)) => weights::run(&a, lang),
        Some(Command::Validate(a)) => validate::run(&a, lang),
        Some(Command::Methods(a)) => methods::run(&a, lang),
        Some(Command::Sensitivity(a)) => sensitivity::run(&a, lang),
        Some(Command::Report(a)) => report::run(&a, lang),
        Some(Command::Audit(a)) => audit::run(&a, lang),
        Some(Command::Compare(a)) => compare::run(&a, lang),
        Some(Command::Serve(a)) => serve::run(&a, lang),
        Some(Command::Completions(a)) => completions(&a),
        Some(Command::Template(a)) => template::run(&a, lang),
    }
}

/// Records an input file of this run, so that no output replaces it.
pub fn protect(source: &zoneval_core::bundled::Source) {
    if let zoneval_core::bundled::Source::File(p) = source {
        zoneval_report::output::protect(p);
    }
}

/// Where the default run (`zoneval` without arguments) writes its report.
pub const DEFAULT_REPORT_DIR: &str = "zoneval-report";

/// Writes `content` to `path` atomically with the report's one writer
/// ([`zoneval_report::output::write_atomic`]: temporary file, fsync, rename), so an error never
/// leaves a half-written file and an existing file stays unchanged.
pub fn write_atomic(path: &Path, content: &[u8], follow_symlinks: bool) -> Result<()> {
    let name = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        let d = dir.display().to_string();
        return Err(Error::input(
            None,
            text!("output directory {d} does not exist", "输出目录 {d} 不存在"),
        ));
    }
    if path.is_dir() {
        return Err(Error::input(
            None,
            text!(
                "cannot write {name}: it is a directory",
                "无法写入 {name}：这是一个目录"
            ),
        ));
    }
    let path = if follow_symlinks && path.is_symlink() {
        std::fs::canonicalize(path).map_err(|e| {
            let e = e.to_string();
            Error::input(
                None,
                text!(
                    "cannot write {name}: the link leads nowhere ({e})",
                    "无法写入 {name}：链接指向的文件不存在（{e}）"
                ),
            )
        })?
    } else {
        path.to_path_buf()
    };
    zoneval_report::output::write_atomic(&path, |w| w.write_all(content)).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
