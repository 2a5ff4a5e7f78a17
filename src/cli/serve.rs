//! `zoneval serve`: the policy workbench, a local web page where weights are tuned and the
//! ranking answers at once (the server itself is the `zoneval-server` crate).

use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use zoneval_core::error::{Lang, Result};
use zoneval_server::{Config, Workbench};

/// Arguments of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Indicator system file (TOML), or the id of a bundled system (default:
    /// shandong-provincial). Read once at start, never written.
    #[arg(long, short = 's', value_name = "FILE")]
    pub system: Option<PathBuf>,
    /// Zone data (CSV or .xlsx), or the id of a bundled dataset; default: the system's
    /// [data] path, else the bundled data. Read once at start, never written.
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// The worksheet of an .xlsx workbook holding the data (default: the system's [data]
    /// sheet, else the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The header holding the zone ids (default: the system's [data] id_column).
    #[arg(long, value_name = "HEADER")]
    pub id_column: Option<String>,
    /// The header holding the zone names (default: the system's [data] name_column).
    #[arg(long, value_name = "HEADER")]
    pub name_column: Option<String>,
    /// A column mapping file (CSV or .xlsx: the system's column name, then the data file's
    /// header); replaces the system's [data] columns for the columns it names.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// Address to listen on. Anything but a loopback address needs --token.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Token every request must carry (`Authorization: Bearer T`, or `?token=T` for the page).
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs `serve` until Ctrl-C.
pub fn run(args: &ServeArgs, lang: Lang) -> Result<Outcome> {
    let config = Config {
        host: args.host.clone(),
        port: args.port,
        token: args.token.clone(),
    };
    // The host/token rule is a usage error (exit 2), checked before anything is read.
    config.check()?;
    let read = zoneval_core::run::ReadOptions {
        sheet: args.sheet.clone(),
        id_column: args.id_column.clone(),
        name_column: args.name_column.clone(),
        columns_file: args.columns.clone(),
        columns: Vec::new(),
    };
    // A system of the user's own on the bundled data because none was given: said before the
    // server starts (it runs until Ctrl-C).
    if args.data.is_none() {
        let path = args
            .system
            .clone()
            .unwrap_or_else(|| PathBuf::from(zoneval_core::bundled::DEFAULT_SYSTEM));
        if let Some(w) = zoneval_core::system::load_file(&path)
            .ok()
            .and_then(|sys| zoneval_core::evaluation::unchosen_data_warning(&sys, None))
        {
            let prefix = match lang {
                Lang::En => "warning: ",
                Lang::Zh => "警告：",
            };
            eprintln!(
                "{prefix}{}",
                zoneval_report::escape::terminal(&w.render(lang))
            );
        }
    }
    let wb = Workbench::load_with(args.system.as_deref(), args.data.as_deref(), &read, lang)?;
    let open = args.open;
    zoneval_server::serve::run(&config, wb, |url| {
        match lang {
            Lang::En => eprintln!("zoneval workbench: {url}  (Ctrl-C stops it)"),
            Lang::Zh => eprintln!("zoneval 政策工作台：{url}（按 Ctrl-C 停止）"),
        }
        if open {
            open_browser(url);
        }
    })?;
    match lang {
        Lang::En => eprintln!("zoneval workbench stopped"),
        Lang::Zh => eprintln!("zoneval 政策工作台已停止"),
    }
    Ok(Outcome {
        stdout: String::new(),
        warnings: Vec::new(),
    })
}

/// Opens `url` with the desktop's opener; a failure is only a notice.
fn open_browser(url: &str) {
    let (cmd, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(cmd)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}
