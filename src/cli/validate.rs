//! `zoneval validate`: check system files, listing every problem at once.

use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use zoneval_core::error::{Error, Lang, Result};
use zoneval_core::evaluation;
use zoneval_core::system;
use zoneval_report::t;

/// Arguments of `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// System files (default: the bundled default system).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also check these zone data against each system (default: a system's own [data] path,
    /// when it names one): ideal values that zones exceed are reported as warnings.
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: Option<PathBuf>,
}

/// Runs `validate`: every file is checked; all problems are reported; exit 1 if any.
pub fn run(args: &ValidateArgs, lang: Lang) -> Result<Outcome> {
    let files = if args.files.is_empty() {
        vec![PathBuf::from(zoneval_core::bundled::DEFAULT_SYSTEM)]
    } else {
        args.files.clone()
    };
    let mut problems = Vec::new();
    let mut out = String::new();
    let mut warnings = Vec::new();
    for f in &files {
        match system::load_file(f) {
            Ok(s) => {
                let (n, c) = (s.indicators.len(), s.criteria().count());
                out.push_str(&format!(
                    "{}: ok — {} ({n} {}, {c} {})\n",
                    s.file,
                    s.display_name(lang),
                    t(lang, "indicators", "个指标"),
                    t(lang, "criteria", "个准则"),
                ));
                warnings.extend(s.warnings.iter().cloned());
                check_data(&s, args.data.as_deref(), &mut problems, &mut warnings);
            }
            Err(e) => problems.extend(e.problems),
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    dedup(&mut warnings);
    Ok(Outcome {
        stdout: out,
        warnings,
    })
}

/// Checks the data against `sys` when `--data` is given or the system names its data: every
/// year is prepared, and the warnings about ideal values the data exceed are kept. A data
/// problem is an error when the data were given, a warning ("not checked") otherwise.
fn check_data(
    sys: &system::IndicatorSystem,
    given: Option<&std::path::Path>,
    problems: &mut Vec<zoneval_core::error::Problem>,
    warnings: &mut Vec<zoneval_core::error::Problem>,
) {
    if given.is_none() && sys.data.path.is_none() {
        return;
    }
    let sys = std::sync::Arc::new(sys.clone());
    let source = evaluation::data_path(&sys, given);
    let outcome = evaluation::load_data(&sys, &source, None, &[]).and_then(|table| {
        let table = std::sync::Arc::new(table);
        let years: Vec<Option<i64>> = match &table.years {
            Some(_) => table.distinct_years().into_iter().map(Some).collect(),
            None => vec![None],
        };
        let mut found = Vec::new();
        for y in years {
            let prep = evaluation::prepare(sys.clone(), table.clone(), y, &[])?;
            found.extend(evaluation::beyond_ideal(
                &prep.system,
                &prep.zones,
                &prep.raw,
                prep.year,
            ));
        }
        Ok(found)
    });
    match outcome {
        Ok(found) => warnings.extend(found),
        Err(e) if given.is_some() => problems.extend(e.problems),
        Err(e) => {
            let n = e.problems.len();
            let first = e
                .problems
                .first()
                .map(|p| p.render(Lang::En))
                .unwrap_or_default();
            let first_zh = e
                .problems
                .first()
                .map(|p| p.render(Lang::Zh))
                .unwrap_or_default();
            warnings.push(zoneval_core::error::Problem::at(
                Some(zoneval_core::error::Location::file(&sys.file)),
                zoneval_core::text!(
                    "the system's data could not be checked ({n} problem(s); first: {first})",
                    "未能检查本体系的数据（{n} 个问题；第一个：{first_zh}）"
                ),
            ));
        }
    }
}

/// The same warning from several years once.
fn dedup(warnings: &mut Vec<zoneval_core::error::Problem>) {
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.render(Lang::En)));
}
