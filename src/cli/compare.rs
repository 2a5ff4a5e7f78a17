//! `zoneval compare`: would another reasonable method — or a proposed weighting — rank the
//! zones differently, and what ranking do they agree on? Ranks side by side, Spearman and
//! Kendall τ-b matrices, Borda and Copeland scores, the compromise ranking and each zone's
//! rank range; with `--systems`, grades and rank changes between system files.

use std::path::PathBuf;

use clap::Args;

use super::{Inputs, Outcome};
use zoneval_core::analysis::compare;
use zoneval_core::error::{Error, Lang, Result, Text};
use zoneval_core::evaluation::Evaluation;
use zoneval_core::{run, text};
use zoneval_report::model::{self, CompareSection};
use zoneval_report::table::layout;
use zoneval_report::text::{DASH, num, tr};
use zoneval_report::{analysis_json, escape};

/// Arguments of `compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// System, data and method choices (`--normalization`/`--weighting` apply to every bare
    /// aggregation name of `--methods`).
    #[command(flatten)]
    pub inputs: Inputs,
    /// Methods to compare, comma-separated: aggregation names (run with the system's
    /// normalisation and weighting) or NORM/WEIGHT/AGG, e.g. `topsis,vikor,vector/entropy/topsis`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub methods: Vec<String>,
    /// System files to compare on the same data, comma-separated (e.g. the official weighting
    /// and a proposal); each uses its own method, and is labelled by its file stem.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub systems: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the (first) evaluation's report directory with a comparison section (rank
    /// bump chart, rank-correlation matrices).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// `--format` values of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Aligned terminal tables.
    Table,
    /// JSON (the contract in DESIGN.md).
    Json,
    /// CSV, one row per zone.
    Csv,
}

/// Runs `compare`.
pub fn run(args: &CompareArgs, lang: Lang) -> Result<Outcome> {
    let c = evaluate_all(args)?;
    let section = model::compared_section(&c);
    let text = match args.format {
        CompareFormat::Json => {
            let mut v = analysis_json::compare(&section);
            let rankings = if args.systems.is_empty() {
                run::Rankings::Methods(args.methods.clone())
            } else {
                run::Rankings::Systems(args.systems.clone())
            };
            let prov = run::compare_provenance(&args.inputs.to_run(&[]), &rankings, &c)?;
            v["provenance"] = serde_json::json!(prov);
            analysis_json::to_string(&v)
        }
        CompareFormat::Csv => to_csv(&section),
        CompareFormat::Table => to_table(&section, &c.evaluations, lang),
    };
    let mut warnings = c.warnings();
    if let Some(dir) = &args.report {
        let base = c.evaluations.first().expect("at least one evaluation");
        // The report's specification is the first evaluation's: its system or its method.
        let mut inputs = args.inputs.clone();
        if let Some(first) = args.systems.first() {
            inputs.system = Some(first.clone());
        }
        if let Some(first) = args.methods.first() {
            match first.trim().split('/').collect::<Vec<_>>().as_slice() {
                [n, w, a] => {
                    inputs.normalization = Some(n.trim().to_string());
                    inputs.weighting = Some(w.trim().to_string());
                    inputs.aggregation = Some(a.trim().to_string());
                }
                _ => inputs.aggregation = Some(first.trim().to_string()),
            }
        }
        warnings.extend(super::report::write_analysis(
            base,
            &inputs,
            dir,
            lang,
            model::Analysis::Compare(section),
        )?);
    }
    Outcome::deliver(text, args.out.as_deref(), warnings)
}

/// The evaluations compared, after checking the arguments (usage errors first, worded with
/// the flags); the run itself is the library's ([`run::compare`]).
fn evaluate_all(args: &CompareArgs) -> Result<run::Compared> {
    match (args.methods.is_empty(), args.systems.is_empty()) {
        (true, true) => {
            return Err(Error::usage(text!(
                "compare needs --methods LIST or --systems LIST",
                "compare 需要 --methods 或 --systems 参数"
            )));
        }
        (false, false) => {
            return Err(Error::usage(text!(
                "give either --methods or --systems, not both",
                "--methods 与 --systems 只能给出其一"
            )));
        }
        _ => {}
    }
    let inputs = args.inputs.to_run(&[]);
    let rankings = if args.systems.is_empty() {
        // A bad item is worded with the flag that gave it.
        let base = inputs.overrides();
        for m in &args.methods {
            compare::parse_method(m.trim(), &base).map_err(|mut e| {
                if let Some(p) = e.problems.first_mut() {
                    p.message = Text {
                        en: format!("--methods: {}", p.message.en),
                        zh: format!("--methods：{}", p.message.zh),
                    };
                }
                e
            })?;
        }
        run::Rankings::Methods(args.methods.clone())
    } else {
        if args.inputs.system.is_some() {
            return Err(Error::usage(text!(
                "--systems names the system files; do not give --system too",
                "--systems 已指定体系文件，不能同时给出 --system"
            )));
        }
        run::Rankings::Systems(args.systems.clone())
    };
    if args.systems.is_empty() {
        super::evaluate::note_unchosen(&args.inputs, &inputs);
    }
    let c = run::compare(&inputs, &rankings)?;
    // The run's input files: no output may replace them.
    for (k, ev) in c.evaluations.iter().enumerate() {
        let mut given = args.inputs.clone();
        if let Some(p) = args.systems.get(k) {
            given.system = Some(p.clone());
        }
        super::evaluate::protect_inputs(&given, ev);
    }
    Ok(c)
}

/// One row per zone: compromise rank, id, name, the rank under each method, grades (systems),
/// borda, copeland, best and worst rank, delta_rank (systems).
fn to_csv(s: &CompareSection) -> String {
    let mut header = vec!["rank".to_string(), "id".into(), "name".into()];
    header.extend(s.labels.iter().map(|l| format!("rank_{l}")));
    if s.systems {
        header.extend(s.labels.iter().map(|l| format!("grade_{l}")));
    }
    header.extend(["borda", "copeland", "best", "worst"].map(String::from));
    let deltas = s.systems && s.labels.len() >= 2;
    if deltas {
        header.push("delta_rank".into());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let cells = |r: &[String]| -> Vec<String> {
        r.iter().map(|c| escape::csv_cell(c).into_owned()).collect()
    };
    w.write_record(cells(&header)).expect("in-memory write");
    for z in &s.zones {
        let mut row = vec![z.rank.to_string(), z.id.clone(), z.name.clone()];
        row.extend(z.ranks.iter().map(usize::to_string));
        if s.systems {
            row.extend(z.grades.iter().map(|g| g.clone().unwrap_or_default()));
        }
        row.extend([
            z.borda.to_string(),
            z.copeland.to_string(),
            z.best.to_string(),
            z.worst.to_string(),
        ]);
        if deltas {
            row.push(z.delta_rank().to_string());
        }
        w.write_record(cells(&row)).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8")
}

/// Text for a terminal: control and invisible format characters shown as escapes.
fn terminal(s: &str) -> String {
    escape::terminal(s).into_owned()
}

fn matrix_table(labels: &[String], m: &[Vec<Option<f64>>]) -> String {
    let mut header = vec![String::new()];
    header.extend(labels.iter().map(|l| terminal(l)));
    let rows: Vec<Vec<String>> = labels
        .iter()
        .zip(m)
        .map(|(l, row)| {
            let mut r = vec![terminal(l)];
            r.extend(row.iter().map(|v| num(*v, 3, DASH)));
            r
        })
        .collect();
    layout(&header, &rows)
}

fn to_table(s: &CompareSection, evs: &[Evaluation], lang: Lang) -> String {
    let mut header: Vec<String> = vec![
        tr(lang, "Rank", "排名").into(),
        tr(lang, "Zone", "开发区").into(),
    ];
    header.extend(s.labels.iter().map(|l| terminal(l)));
    if s.systems {
        let g = tr(lang, "grade", "等级");
        header.extend(s.labels.iter().map(|l| format!("{} {g}", terminal(l))));
    }
    header.extend([
        "Borda".to_string(),
        "Copeland".into(),
        tr(lang, "Range", "名次范围").into(),
    ]);
    let deltas = s.systems && s.labels.len() >= 2;
    if deltas {
        header.push("Δrank".into());
    }
    // Grades shown in `lang` (the JSON and CSV keep the names as written).
    let shown = |k: usize, g: &Option<String>| -> String {
        let Some(g) = g else { return String::new() };
        evs[k]
            .system()
            .grades
            .iter()
            .find(|x| &x.name == g)
            .map_or_else(
                || g.clone(),
                |x| match (lang, &x.name_en) {
                    (Lang::En, Some(e)) => e.clone(),
                    _ => x.name.clone(),
                },
            )
    };
    let rows: Vec<Vec<String>> = s
        .zones
        .iter()
        .map(|z| {
            let mut r = vec![z.rank.to_string(), terminal(&z.name)];
            r.extend(z.ranks.iter().map(usize::to_string));
            if s.systems {
                r.extend(
                    z.grades
                        .iter()
                        .enumerate()
                        .map(|(k, g)| terminal(&shown(k, g))),
                );
            }
            r.extend([
                z.borda.to_string(),
                z.copeland.to_string(),
                format!("{}–{}", z.best, z.worst),
            ]);
            if deltas {
                r.push(format!("{:+}", z.delta_rank()));
            }
            r
        })
        .collect();
    let mut out = layout(&header, &rows);
    out.push_str(&format!(
        "\nSpearman ρ\n{}",
        matrix_table(&s.labels, &s.spearman)
    ));
    out.push_str(&format!(
        "\nKendall τ-b\n{}",
        matrix_table(&s.labels, &s.kendall)
    ));
    if deltas {
        let changed: Vec<&model::analysis::CompareZone> =
            s.zones.iter().filter(|z| z.grade_changed()).collect();
        let n = changed.len();
        out.push_str(&match lang {
            Lang::En => format!("\nZones whose grade changes: {n}\n"),
            Lang::Zh => format!("\n等级发生变化的开发区：{n} 个\n"),
        });
        for z in changed {
            let grades: Vec<String> = z
                .grades
                .iter()
                .enumerate()
                .map(|(k, g)| {
                    let g = shown(k, g);
                    terminal(if g.is_empty() { DASH } else { &g })
                })
                .collect();
            out.push_str(&format!(
                "- {}: {}\n",
                terminal(&z.name),
                grades.join(" → ")
            ));
        }
    }
    out
}
