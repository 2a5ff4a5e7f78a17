//! The `zoneval` binary: parse arguments, run, print, and map errors to exit codes
//! (0 ok, 1 invalid input, 2 usage, 3 other failure). A closed stdout pipe ends quietly
//! with exit 0.

// `!(x > 0.0)` is deliberate: it is also true for NaN, which `x <= 0.0` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::io::Write;
use std::process::ExitCode;

mod cli;

use clap::Parser;
use cli::Cli;
// Names and ids reach error messages: control and bidi characters are shown as escapes.
use zoneval_report::escape::terminal;

fn main() -> ExitCode {
    // `sensitivity ANALYSIS --help` shows that analysis' options only.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(help) = cli::sensitivity::analysis_help(&args) {
        let _ = writeln!(std::io::stdout().lock(), "{help}");
        return ExitCode::SUCCESS;
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors to stderr with exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = cli::language(cli.lang);
    // Ctrl-C: this run's temporary files are removed (a rename into place that is under way
    // finishes first, so the outputs are all old or all new), then exit 130 as shells do.
    // `serve` writes no file and handles Ctrl-C itself: it stops accepting, lets the requests
    // in flight finish and exits 0.
    if !matches!(cli.command, Some(cli::Command::Serve(_))) {
        let _ = ctrlc::set_handler(|| {
            zoneval_report::output::remove_temporaries();
            std::process::exit(130);
        });
    }
    match cli::run(cli) {
        Ok(out) => {
            let mut err = std::io::stderr().lock();
            for w in &out.warnings {
                let prefix = match lang {
                    zoneval_core::error::Lang::En => "warning: ",
                    zoneval_core::error::Lang::Zh => "警告：",
                };
                let _ = writeln!(err, "{prefix}{}", terminal(&w.render(lang)));
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot write output: {e}");
                    ExitCode::from(3)
                }
            }
        }
        Err(e) => {
            let prefix = match lang {
                zoneval_core::error::Lang::En => "error: ",
                zoneval_core::error::Lang::Zh => "错误：",
            };
            let mut err = std::io::stderr().lock();
            for p in &e.problems {
                let _ = writeln!(err, "{prefix}{}", terminal(&p.render(lang)));
            }
            ExitCode::from(e.kind.exit_code() as u8)
        }
    }
}
