//! `zoneval validate`: check system files, listing every problem at once.

use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use zoneval_core::error::{Error, Lang, Result};
use zoneval_core::system;
use zoneval_report::t;

/// Arguments of `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// System files (default: the bundled default system).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
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
        match system::validate_file(f) {
            Ok(s) => {
                let (n, c) = (s.indicators.len(), s.criteria().count());
                out.push_str(&format!(
                    "{}: ok — {} ({n} {}, {c} {})\n",
                    s.file,
                    s.display_name(lang),
                    t(lang, "indicators", "个指标"),
                    t(lang, "criteria", "个准则"),
                ));
                warnings.extend(s.warnings);
            }
            Err(e) => problems.extend(e.problems),
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(Outcome {
        stdout: out,
        warnings,
    })
}
