//! `zoneval compare`: would another reasonable method — or a proposed weighting — rank the
//! zones differently, and what ranking do they agree on? Ranks side by side, Spearman and
//! Kendall τ-b matrices, Borda and Copeland scores, the compromise ranking and each zone's
//! rank range; with `--systems`, grades and rank changes between system files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use serde_json::{Map, Value, json};

use super::{Inputs, Outcome};
use zoneval_core::analysis::compare::{self, EvaluationsCompared};
use zoneval_core::error::{Error, Lang, Problem, Result};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::method::{Params, aggregate, names, normalize, weight};
use zoneval_core::text;
use zoneval_report::escape;
use zoneval_report::model::{self, CompareSection};
use zoneval_report::table::layout;
use zoneval_report::text::{DASH, num, tr};

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
    let (labels, evs) = evaluate_all(args)?;
    let refs: Vec<&Evaluation> = evs.iter().collect();
    let compared = compare::evaluations(&refs);
    let systems = !args.systems.is_empty();
    let grade_names: Vec<Vec<String>> = evs
        .iter()
        .map(|ev| ev.system().grades.iter().map(|g| g.name.clone()).collect())
        .collect();
    let section = model::compare_section(&labels, &compared, &grade_names, systems);
    let text = match args.format {
        CompareFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&to_json(&section)).expect("JSON values serialise");
            s.push('\n');
            s
        }
        CompareFormat::Csv => to_csv(&section),
        CompareFormat::Table => to_table(&section, &evs, lang),
    };
    let mut warnings: Vec<Problem> = Vec::new();
    for ev in &evs {
        for w in ev.warnings() {
            if !warnings.contains(w) {
                warnings.push(w.clone());
            }
        }
    }
    if !compared.left_out.is_empty() {
        warnings.push(left_out_warning(&compared));
    }
    if let Some(dir) = &args.report {
        let base = evs.first().expect("at least one evaluation");
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

fn left_out_warning(c: &EvaluationsCompared) -> Problem {
    let n = c.left_out.len();
    let list = c
        .left_out
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    Problem::new(text!(
        "{n} zone(s) not ranked under every method or system are left out of the comparison: {list}",
        "{n} 个开发区未在所有方法或体系下参与排名，未纳入比较：{list}"
    ))
}

/// The labels and evaluations to compare, after checking the arguments (usage errors first).
fn evaluate_all(args: &CompareArgs) -> Result<(Vec<String>, Vec<Evaluation>)> {
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
    if !args.systems.is_empty() {
        if args.inputs.system.is_some() {
            return Err(Error::usage(text!(
                "--systems names the system files; do not give --system too",
                "--systems 已指定体系文件，不能同时给出 --system"
            )));
        }
        return evaluate_systems(args);
    }
    let base = args.inputs.to_run(&[]).overrides();
    let mut items = Vec::with_capacity(args.methods.len());
    for m in &args.methods {
        items.push((m.trim().to_string(), parse_item(m.trim(), &base)?));
    }
    check_distinct(items.iter().map(|(l, _)| l.as_str()))?;
    let sys = Arc::new(zoneval_core::run::load_system(&args.inputs.to_run(&[]))?);
    super::protect(&zoneval_core::bundled::Source::system(
        &args.inputs.to_run(&[]).system_path(),
    ));
    let prepared = super::evaluate::prepare_inputs(&args.inputs, sys.clone(), &[], &[])?;
    let mut labels = Vec::with_capacity(items.len());
    let mut evs = Vec::with_capacity(items.len());
    for (label, ov) in items {
        let methods = Arc::new(Methods::resolve(&sys, &ov)?);
        evs.push(evaluation::evaluate(&prepared, &methods, &[])?);
        labels.push(label);
    }
    Ok((labels, evs))
}

fn evaluate_systems(args: &CompareArgs) -> Result<(Vec<String>, Vec<Evaluation>)> {
    let labels: Vec<String> = args.systems.iter().map(|p| stem(p)).collect();
    check_distinct(labels.iter().map(String::as_str))?;
    let mut evs = Vec::with_capacity(labels.len());
    for p in &args.systems {
        let mut inputs = args.inputs.clone();
        inputs.system = Some(p.clone());
        evs.push(super::evaluate::evaluate_inputs(&inputs, &[])?);
    }
    Ok((labels, evs))
}

/// A system file's label: its stem (`official.toml` → `official`; a bundled id is its own).
fn stem(p: &Path) -> String {
    p.file_stem().map_or_else(
        || p.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn check_distinct<'a>(labels: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for l in labels {
        if seen.contains(&l) {
            return Err(Error::usage(text!(
                "`{l}` is compared twice; every method or system must be distinct",
                "`{l}` 出现了两次；比较的方法或体系不能重复"
            )));
        }
        seen.push(l);
    }
    Ok(())
}

/// The overrides of one `--methods` item: `AGG` (with the system's or the command line's
/// normalisation and weighting) or `NORM/WEIGHT/AGG`. Every name is checked against its
/// registry; an unknown one is a usage error listing the valid names.
fn parse_item(item: &str, base: &Overrides) -> Result<Overrides> {
    let parts: Vec<&str> = item.split('/').map(str::trim).collect();
    let known = |name: &str, valid: Vec<&'static str>, en: &str, zh: &str| -> Result<Params> {
        if valid.contains(&name) {
            return Ok(Params::named(name));
        }
        let list = valid.join(", ");
        Err(Error::usage(text!(
            "--methods: unknown {en} `{name}` (valid: {list})",
            "--methods：未知的{zh} `{name}`（可选：{list}）"
        )))
    };
    let agg = |name: &str| known(name, names(aggregate::REGISTRY), "aggregation", "集成方法");
    match parts.as_slice() {
        [a] if !a.is_empty() => Ok(Overrides {
            normalization: base.normalization.clone(),
            weighting: base.weighting.clone(),
            aggregation: Some(agg(a)?),
        }),
        [n, w, a] => Ok(Overrides {
            normalization: Some(known(
                n,
                names(normalize::REGISTRY),
                "normalization",
                "标准化方法",
            )?),
            weighting: Some(known(w, names(weight::REGISTRY), "weighting", "赋权方法")?),
            aggregation: Some(agg(a)?),
        }),
        _ => Err(Error::usage(text!(
            "--methods: `{item}` is neither an aggregation name nor NORM/WEIGHT/AGG",
            "--methods：`{item}` 既不是集成方法名，也不是 标准化/赋权/集成 形式"
        ))),
    }
}

/// The JSON document of the contract.
pub fn to_json(s: &CompareSection) -> Value {
    let zones: Vec<Value> = s
        .zones
        .iter()
        .map(|z| {
            let mut o = Map::new();
            o.insert("id".into(), json!(z.id));
            o.insert("name".into(), json!(z.name));
            let ranks: Map<String, Value> = s
                .labels
                .iter()
                .zip(&z.ranks)
                .map(|(l, r)| (l.clone(), json!(r)))
                .collect();
            o.insert("ranks".into(), Value::Object(ranks));
            if s.systems {
                let grades: Map<String, Value> = s
                    .labels
                    .iter()
                    .zip(&z.grades)
                    .map(|(l, g)| (l.clone(), json!(g)))
                    .collect();
                o.insert("grades".into(), Value::Object(grades));
            }
            o.insert("borda".into(), json!(z.borda));
            o.insert("copeland".into(), json!(z.copeland));
            o.insert("rank".into(), json!(z.rank));
            o.insert("rank_range".into(), json!([z.best, z.worst]));
            if s.systems && z.ranks.len() >= 2 {
                o.insert("delta_rank".into(), json!(delta(&z.ranks)));
                o.insert("grade_changed".into(), json!(grade_changed(&z.grades)));
            }
            Value::Object(o)
        })
        .collect();
    json!({
        "analysis": "compare",
        "methods": s.labels,
        "zones": zones,
        "spearman": s.spearman,
        "kendall": s.kendall,
    })
}

/// Rank under the last system minus rank under the first (negative: the zone moves up).
fn delta(ranks: &[usize]) -> i64 {
    ranks[ranks.len() - 1] as i64 - ranks[0] as i64
}

fn grade_changed(grades: &[Option<String>]) -> bool {
    grades.windows(2).any(|w| w[0] != w[1])
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
            row.push(delta(&z.ranks).to_string());
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
                r.push(format!("{:+}", delta(&z.ranks)));
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
        let changed: Vec<&model::analysis::CompareZone> = s
            .zones
            .iter()
            .filter(|z| grade_changed(&z.grades))
            .collect();
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
