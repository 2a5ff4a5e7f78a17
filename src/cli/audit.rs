//! `zoneval audit`: is the indicator system any good on this data? Coverage, skewness and
//! kurtosis, size correlation and nominal vs effective weight per indicator; Cronbach's α,
//! first-component share and redundant or conflicting pairs per criterion; flags at the
//! JRC/OECD thresholds, each saying what to consider.

use std::path::PathBuf;

use clap::Args;

use super::{Inputs, Outcome};
use zoneval_core::analysis::audit::Audit;
use zoneval_core::analysis::stats::AlphaUndefined;
use zoneval_core::error::{Lang, Result};
use zoneval_core::evaluation::Evaluation;
use zoneval_report::table::layout;
use zoneval_report::text::{DASH, num, tr};
use zoneval_report::{analysis_json, escape};

/// Text for a terminal: control and invisible format characters shown as escapes.
fn terminal(s: &str) -> String {
    escape::terminal(s).into_owned()
}

/// Arguments of `audit`.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// System, data and method choices (the audit describes exactly what `evaluate` ranks).
    #[command(flatten)]
    pub inputs: Inputs,
    /// A numeric data column measuring zone size (area, GDP, firms): each indicator's Pearson
    /// r with it is reported, and |r| > 0.7 flagged.
    #[arg(long, value_name = "COL")]
    pub size_column: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the evaluation's report directory with an audit section (correlation
    /// heatmap per criterion, nominal vs effective weights).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// `--format` values of `audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// Aligned terminal tables.
    Table,
    /// JSON (the contract in DESIGN.md).
    Json,
    /// Markdown.
    Markdown,
}

/// Runs `audit`.
pub fn run(args: &AuditArgs, lang: Lang) -> Result<Outcome> {
    let run = args.inputs.to_run(&[]);
    super::evaluate::note_unchosen(&args.inputs, &run);
    let (a, ev) = zoneval_core::run::audit(&run, args.size_column.as_deref())?;
    super::evaluate::protect_inputs(&args.inputs, &ev);
    let text = match args.format {
        AuditFormat::Json => {
            let mut v = analysis_json::audit(&a, ev.system(), lang);
            let prov = zoneval_core::run::audit_provenance(&run, args.size_column.as_deref(), &ev)?;
            v["provenance"] = serde_json::json!(prov);
            analysis_json::to_string(&v)
        }
        AuditFormat::Table => render_text(&a, &ev, lang, false),
        AuditFormat::Markdown => render_text(&a, &ev, lang, true),
    };
    let mut warnings = ev.warnings().to_vec();
    if let Some(dir) = &args.report {
        warnings.extend(super::report::write_analysis(
            &ev,
            &args.inputs,
            dir,
            lang,
            zoneval_report::model::Analysis::Audit(zoneval_report::model::audit_section(
                &a,
                ev.system(),
            )),
        )?);
    }
    Outcome::deliver(text, args.out.as_deref(), warnings)
}

/// The terminal tables or (with `markdown`) the Markdown document.
fn render_text(a: &Audit, ev: &Evaluation, lang: Lang, markdown: bool) -> String {
    let sys = ev.system();
    let cell = |s: &str| {
        if markdown {
            escape::markdown(s)
        } else {
            terminal(s)
        }
    };
    let f = |v: Option<f64>, d: usize| num(v, d, DASH);
    let mut ih: Vec<String> = vec![
        tr(lang, "Indicator", "指标").into(),
        "id".into(),
        tr(lang, "Coverage", "覆盖率").into(),
        tr(lang, "Skewness", "偏度").into(),
        tr(lang, "Kurtosis", "峰度").into(),
    ];
    if a.size_column.is_some() {
        ih.push(tr(lang, "Size r", "规模相关 r").into());
    }
    ih.push(tr(lang, "Nominal weight", "名义权重").into());
    ih.push(tr(lang, "Effective weight", "有效权重").into());
    let irows: Vec<Vec<String>> = a
        .indicators
        .iter()
        .map(|i| {
            let ind = &sys.indicators[i.index];
            let mut row = vec![
                cell(ind.display_name(lang)),
                cell(&ind.id),
                f(Some(i.coverage), 2),
                f(i.skewness, 2),
                f(i.kurtosis, 2),
            ];
            if a.size_column.is_some() {
                row.push(f(i.size_correlation, 2));
            }
            row.push(f(Some(i.nominal_weight), 4));
            row.push(f(i.effective_weight, 4));
            row
        })
        .collect();
    let ch: Vec<String> = vec![
        tr(lang, "Criterion", "准则").into(),
        "id".into(),
        tr(lang, "Indicators", "指标数").into(),
        "Cronbach α".into(),
        tr(lang, "PC1 share", "第一主成分占比").into(),
        tr(lang, "Redundant pairs", "冗余指标对").into(),
        tr(lang, "Conflicting pairs", "冲突指标对").into(),
    ];
    let crows: Vec<Vec<String>> = a
        .criteria
        .iter()
        .map(|c| {
            let node = &sys.nodes[c.node];
            let name = match (lang, &node.name_en) {
                (Lang::En, Some(n)) => n.as_str(),
                _ => node.name.as_str(),
            };
            let alpha = match c.cronbach_alpha {
                Ok(x) => format!("{x:.3}"),
                Err(AlphaUndefined::OneItem) => {
                    tr(lang, "undefined (one indicator)", "无定义（仅一个指标）").into()
                }
                Err(_) => tr(lang, "undefined", "无定义").into(),
            };
            vec![
                cell(name),
                cell(&node.id),
                c.indicators.len().to_string(),
                alpha,
                f(c.pc1_share, 3),
                c.redundant_pairs.len().to_string(),
                c.conflicting_pairs.len().to_string(),
            ]
        })
        .collect();
    let flags: Vec<String> = a
        .flags
        .iter()
        .map(|fl| format!("[{}] {}", fl.kind.name(), cell(fl.message.get(lang))))
        .collect();
    let title = cell(sys.display_name(lang));
    let (h_ind, h_crit, h_flags) = (
        tr(lang, "Indicators", "指标"),
        tr(lang, "Criteria", "准则"),
        tr(lang, "Flags", "提示"),
    );
    let none = tr(lang, "No flags.", "无提示。");
    let mut out = String::new();
    if markdown {
        let head = tr(lang, "Audit", "指标体系审查");
        out.push_str(&format!("# {head}: {title}\n\n## {h_ind}\n\n"));
        out.push_str(&md_table(&ih, &irows));
        out.push_str(&format!("\n## {h_crit}\n\n"));
        out.push_str(&md_table(&ch, &crows));
        out.push_str(&format!("\n## {h_flags}\n\n"));
        if flags.is_empty() {
            out.push_str(&format!("{none}\n"));
        }
        for fl in &flags {
            out.push_str(&format!("- {fl}\n"));
        }
    } else {
        out.push_str(&format!("{title}\n\n{h_ind}\n"));
        out.push_str(&layout(&ih, &irows));
        out.push_str(&format!("\n{h_crit}\n"));
        out.push_str(&layout(&ch, &crows));
        out.push_str(&format!("\n{h_flags}\n"));
        if flags.is_empty() {
            out.push_str(&format!("{none}\n"));
        }
        for fl in &flags {
            out.push_str(&format!("- {fl}\n"));
        }
    }
    out
}

/// A Markdown table (cells already escaped).
fn md_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out
}
