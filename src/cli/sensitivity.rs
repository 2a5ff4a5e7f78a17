//! `zoneval sensitivity`: how robust is the ranking? One-at-a-time sweeps, stability
//! intervals, Monte Carlo (with SMAA), Sobol indices and rank-reversal checks.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Inputs, Outcome};
use zoneval_core::error::{Error, Lang, Problem, Result};
use zoneval_core::evaluation::Evaluation;
use zoneval_core::provenance::Provenance;
use zoneval_core::run::{AnalysisKind, SensitivityOptions};
use zoneval_core::sensitivity::model::FactorKind;
use zoneval_core::sensitivity::{self, SensitivityResults};
use zoneval_core::text;
use zoneval_report::escape::csv_cell;
use zoneval_report::{t, table::layout};

/// Which analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Analysis {
    /// Monte Carlo over weights (and optionally methods): rank distributions, SMAA.
    MonteCarlo,
    /// Variance-based indices (Saltelli design, Jansen/Saltelli estimators).
    Sobol,
    /// One-at-a-time weight sweeps and tornado data.
    Oat,
    /// Weight intervals that keep the top-K order and each zone's rank.
    Stability,
    /// Leave-one-zone-out and add-a-copy checks.
    RankReversal,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SensFormat {
    /// Aligned table.
    Table,
    /// JSON (DESIGN.md's sensitivity contract).
    Json,
    /// CSV.
    Csv,
}

/// `--factors` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FactorArg {
    /// The top-level criteria (every leaf indicator for a flat system).
    Criteria,
    /// Every leaf indicator.
    Indicators,
}

impl From<FactorArg> for FactorKind {
    fn from(f: FactorArg) -> FactorKind {
        match f {
            FactorArg::Criteria => FactorKind::Criteria,
            FactorArg::Indicators => FactorKind::Indicators,
        }
    }
}

/// Arguments of `sensitivity`.
#[derive(Debug, Clone, Args)]
pub struct SensitivityArgs {
    /// The analysis to run.
    #[arg(value_enum)]
    pub analysis: Analysis,
    /// System, data and method choices.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Samples (Monte Carlo, default 10000) or base points (Sobol, default 1024).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Random seed; the same inputs and seed give byte-identical output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Monte Carlo: each leaf weight × U(1 − p, 1 + p), then renormalised.
    #[arg(long, default_value_t = 0.2, conflicts_with_all = ["dirichlet", "weights_file"])]
    pub perturb: f64,
    /// Monte Carlo: draw weights from a Dirichlet with concentration C around the base weights
    /// instead of the uniform perturbation.
    #[arg(long, value_name = "C", conflicts_with = "weights_file")]
    pub dirichlet: Option<f64>,
    /// Monte Carlo: read weight vectors from a CSV (header = leaf indicator ids, optional
    /// leading `sample` column); one sample per row.
    #[arg(long, value_name = "FILE")]
    pub weights_file: Option<PathBuf>,
    /// Monte Carlo: also sample the normalisation from this comma-separated set.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub vary_normalization: Vec<String>,
    /// Monte Carlo and Sobol: also sample the aggregation from this comma-separated set.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub vary_aggregation: Vec<String>,
    /// Monte Carlo: drop one uniformly chosen indicator (weight 0) in every sample.
    #[arg(long)]
    pub drop_indicator: bool,
    /// K of P(top K), the SMAA acceptabilities, Sobol's reported zones and the stability order
    /// (default 10; Sobol: all zones).
    #[arg(long)]
    pub top: Option<usize>,
    /// Sobol, OAT and stability: the factors are the top-level criteria or every indicator.
    #[arg(long, value_enum, default_value_t = FactorArg::Criteria)]
    pub factors: FactorArg,
    /// Sobol: multipliers U(1 − r, 1 + r); OAT: relative changes ±r.
    #[arg(long, default_value_t = 0.5)]
    pub range: f64,
    /// Sobol: bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 100)]
    pub bootstrap: usize,
    /// Sobol: replay an exact multiplier matrix (CSV, header = factor ids, N(k + 2) rows).
    #[arg(long, value_name = "FILE")]
    pub samples_file: Option<PathBuf>,
    /// OAT: steps from −range to +range; stability: grid points for non-linear methods.
    #[arg(long)]
    pub steps: Option<usize>,
    /// Memory for Monte Carlo rank histograms, in MiB (beyond it, percentiles use wider bins).
    #[arg(long, default_value_t = 512)]
    pub memory_budget: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SensFormat::Table)]
    pub format: SensFormat,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the evaluation's report directory with this analysis in its sensitivity
    /// section (report.html, report.md, results.*, charts/).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// Runs `sensitivity`.
pub fn run(args: &SensitivityArgs, lang: Lang) -> Result<Outcome> {
    if args.weights_file.is_some() && args.samples.is_some() {
        return Err(Error::usage(text!(
            "--weights-file sets the samples (one per row); do not give --samples too",
            "--weights-file 的每一行即一个样本，不能同时给出 --samples"
        )));
    }
    let (results, ev) = analyse(args)?;
    let prov =
        zoneval_core::run::sensitivity_provenance(&args.inputs.to_run(&[]), &options(args), &ev)?;
    let text = render(&results, &ev, args.format, lang, Some(&prov));
    let mut warnings = ev.warnings().to_vec();
    if let Some(sb) = &results.sobol {
        for z in &sb.zones {
            if z.indices.s1.values().iter().any(|x| !x.is_finite()) {
                let name = &z.name;
                warnings.push(Problem::new(text!(
                    "zone \"{name}\": its value does not vary with the weights, so its Sobol indices are undefined (null)",
                    "开发区“{name}”：其值不随权重变化，Sobol 指数无定义（null）"
                )));
            }
        }
    }
    if let Some(dir) = &args.report {
        warnings.extend(super::report::write_evaluation(
            &ev,
            &args.inputs,
            &[],
            dir,
            lang,
            Some(results.clone()),
        )?);
    }
    Outcome::deliver(text, args.out.as_deref(), warnings)
}

/// Runs the chosen analysis and returns it with the base evaluation (errors in the order
/// the user meets them: the inputs, the varied methods, then the analysis' options).
pub fn analyse(args: &SensitivityArgs) -> Result<(SensitivityResults, Evaluation)> {
    let progress = super::progress::Bar::new();
    if args.inputs.data.is_none()
        && let Ok(sys) = zoneval_core::run::load_system(&args.inputs.to_run(&[]))
    {
        super::note_unchosen_data(&sys, None);
    }
    let (results, ev) =
        zoneval_core::run::analyse(&args.inputs.to_run(&[]), &options(args), &progress)?;
    // The run's input files: no output may replace them.
    super::protect(&zoneval_core::bundled::Source::system(
        &args.inputs.to_run(&[]).system_path(),
    ));
    super::protect(&zoneval_core::evaluation::data_path(
        ev.system(),
        args.inputs.data.as_deref(),
    ));
    for f in [&args.weights_file, &args.samples_file]
        .into_iter()
        .flatten()
    {
        zoneval_report::output::protect(f);
    }
    Ok((results, ev))
}

/// The library's options from the arguments.
fn options(args: &SensitivityArgs) -> SensitivityOptions {
    SensitivityOptions {
        analysis: match args.analysis {
            Analysis::MonteCarlo => AnalysisKind::MonteCarlo,
            Analysis::Sobol => AnalysisKind::Sobol,
            Analysis::Oat => AnalysisKind::Oat,
            Analysis::Stability => AnalysisKind::Stability,
            Analysis::RankReversal => AnalysisKind::RankReversal,
        },
        samples: args.samples,
        seed: args.seed,
        perturb: args.perturb,
        dirichlet: args.dirichlet,
        weights_file: args.weights_file.clone(),
        vary_normalization: args.vary_normalization.clone(),
        vary_aggregation: args.vary_aggregation.clone(),
        drop_indicator: args.drop_indicator,
        top: args.top,
        factors: FactorKind::from(args.factors),
        range: args.range,
        bootstrap: args.bootstrap,
        samples_file: args.samples_file.clone(),
        steps: args.steps,
        memory_budget_mib: args.memory_budget,
    }
}

/// Renders the results. JSON and CSV are machine formats: English snake_case keys and
/// headers (the JSON's field names) in every language, numbers at full precision, and the
/// provenance (a `provenance` key; a `provenance` column on the first CSV row).
pub fn render(
    r: &SensitivityResults,
    ev: &Evaluation,
    format: SensFormat,
    lang: Lang,
    prov: Option<&Provenance>,
) -> String {
    let prov_value = prov.map_or(serde_json::Value::Null, |p| serde_json::json!(p));
    match format {
        SensFormat::Json => {
            let mut v = if let Some(x) = &r.monte_carlo {
                serde_json::to_value(x)
            } else if let Some(x) = &r.sobol {
                serde_json::to_value(x)
            } else if let Some(x) = &r.oat {
                serde_json::to_value(x)
            } else if let Some(x) = &r.stability {
                serde_json::to_value(x)
            } else {
                serde_json::to_value(&r.rank_reversal)
            }
            .expect("results serialise");
            if let Some(o) = v.as_object_mut() {
                o.insert("provenance".into(), prov_value);
            }
            let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
            s.push('\n');
            s
        }
        SensFormat::Csv => {
            let (mut header, mut rows) = machine_rows(r);
            header.push("provenance".into());
            let mut cell = prov.map_or_else(String::new, |p| {
                serde_json::to_string(p).expect("provenance serialises")
            });
            for row in &mut rows {
                row.push(std::mem::take(&mut cell));
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            let cells = |r: &[String]| -> Vec<String> {
                r.iter().map(|c| csv_cell(c).into_owned()).collect()
            };
            w.write_record(cells(&header)).expect("in-memory write");
            for row in &rows {
                w.write_record(cells(row)).expect("in-memory write");
            }
            String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8")
        }
        SensFormat::Table => {
            // Results on synthetic data say so on their first line, as `evaluate`'s table.
            let banner = if ev.prepared().table.synthetic {
                format!("!! {} !!\n", zoneval_report::text::synthetic_label(lang))
            } else {
                String::new()
            };
            banner + &tabulate(r, ev, lang)
        }
    }
}

/// A number at full precision (Rust's shortest round-trip form); an undefined value (null
/// in JSON) as an empty cell.
fn full(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// The CSV of each analysis: one row per zone (Monte Carlo), zone × factor (Sobol, with the
/// `rank_shift` rows last), factor × delta × zone (OAT), factor (stability) or reversed pair
/// (rank reversal); the columns are the JSON's field names (docs/sensitivity.md).
fn machine_rows(r: &SensitivityResults) -> (Vec<String>, Vec<Vec<String>>) {
    let h = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    if let Some(mc) = &r.monte_carlo {
        let header = h(&[
            "id",
            "name",
            "base_rank",
            "mean_rank",
            "p05",
            "p50",
            "p95",
            "p_top",
        ]);
        let rows = mc
            .zones
            .iter()
            .map(|z| {
                vec![
                    z.id.clone(),
                    z.name.clone(),
                    z.base_rank.to_string(),
                    full(z.mean_rank),
                    full(z.p05),
                    full(z.p50),
                    full(z.p95),
                    full(z.p_top),
                ]
            })
            .collect();
        return (header, rows);
    }
    if let Some(sb) = &r.sobol {
        let header = h(&["id", "name", "factor", "S1", "S1_conf", "ST", "ST_conf"]);
        let mut rows = Vec::new();
        let mut push = |id: &str, name: &str, ind: &sensitivity::Indices| {
            let (a, b, c, d) = (
                ind.s1.values(),
                ind.s1_conf.values(),
                ind.st.values(),
                ind.st_conf.values(),
            );
            for (k, f) in sb.factors.iter().enumerate() {
                rows.push(vec![
                    id.to_string(),
                    name.to_string(),
                    f.clone(),
                    full(a[k]),
                    full(b[k]),
                    full(c[k]),
                    full(d[k]),
                ]);
            }
        };
        for z in &sb.zones {
            push(&z.id, &z.name, &z.indices);
        }
        push("rank_shift", "", &sb.rank_shift);
        return (header, rows);
    }
    if let Some(o) = &r.oat {
        let header = h(&["factor", "delta", "id", "name", "rank"]);
        let mut rows = Vec::new();
        for f in &o.factors {
            for (k, d) in f.deltas.iter().enumerate() {
                for (z, id) in o.zones.iter().enumerate() {
                    rows.push(vec![
                        f.id.clone(),
                        full(*d),
                        id.clone(),
                        o.names.get(z).cloned().unwrap_or_default(),
                        f.ranks[k][z].to_string(),
                    ]);
                }
            }
        }
        return (header, rows);
    }
    if let Some(st) = &r.stability {
        let header = h(&["id", "base_weight", "low", "high"]);
        let rows = st
            .factors
            .iter()
            .map(|f| vec![f.id.clone(), full(f.base_weight), full(f.low), full(f.high)])
            .collect();
        return (header, rows);
    }
    let rr = r.rank_reversal.as_ref().expect("one analysis ran");
    let header = h(&["change", "pair_better", "pair_worse"]);
    let rows = rr
        .reversals
        .iter()
        .map(|x| vec![x.change.clone(), x.pair.0.clone(), x.pair.1.clone()])
        .collect();
    (header, rows)
}

/// Four decimals; an undefined value (a Sobol index of an output that does not vary, null in
/// JSON) as an empty cell.
fn f4(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        String::new()
    }
}

/// The terminal table of each analysis, with names and a summary: one row per zone (Monte
/// Carlo), per factor (Sobol, OAT, stability) or per reversed pair (the first 30), never
/// the thousands of rows of the full sweep (those are in `--format csv|json`).
fn tabulate(r: &SensitivityResults, ev: &Evaluation, lang: Lang) -> String {
    let s = |a: &'static str, b: &'static str| t(lang, a, b).to_string();
    let sys = ev.system();
    let node_name = |id: &str| -> String {
        sys.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| match (lang, &n.name_en) {
                (Lang::En, Some(e)) => e.clone(),
                _ => n.name.clone(),
            })
            .unwrap_or_default()
    };
    let table = &ev.prepared().table;
    let zone_name = |id: &str| -> String {
        table
            .ids
            .iter()
            .position(|z| z == id)
            .map_or_else(|| id.to_string(), |k| table.names[k].clone())
    };
    let more = s(
        "(every row and value: --format csv or json)",
        "（全部行与数值：--format csv 或 json）",
    );
    if let Some(mc) = &r.monte_carlo {
        let top = mc.top;
        let header = vec![
            s("Zone", "开发区"),
            s("Base rank", "基准排名"),
            s("Mean rank", "平均排名"),
            "p05".into(),
            "p50".into(),
            "p95".into(),
            format!("P(top {top})"),
        ];
        let rows: Vec<Vec<String>> = mc
            .zones
            .iter()
            .map(|z| {
                vec![
                    z.name.clone(),
                    z.base_rank.to_string(),
                    format!("{:.2}", z.mean_rank),
                    format!("{:.1}", z.p05),
                    format!("{:.1}", z.p50),
                    format!("{:.1}", z.p95),
                    f4(z.p_top),
                ]
            })
            .collect();
        let mut out = layout(&header, &rows);
        let (n, shift, rho, tau) = (mc.samples, mc.mean_rank_shift, mc.spearman, mc.kendall);
        out.push_str(&match lang {
            Lang::En => format!(
                "\n{n} samples: mean rank shift {shift:.2}, Spearman ρ {rho:.4}, Kendall τ {tau:.4} against the base ranking\n"
            ),
            Lang::Zh => format!(
                "\n{n} 次抽样：平均名次变动 {shift:.2}，与基准排名的 Spearman ρ {rho:.4}、Kendall τ {tau:.4}\n"
            ),
        });
        return out;
    }
    if let Some(sb) = &r.sobol {
        let header = vec![
            s("Factor", "因子"),
            s("Name", "名称"),
            s("S1 (rank shift)", "S1（名次变动）"),
            s("ST (rank shift)", "ST（名次变动）"),
            s("Mean ST over zones", "各开发区 ST 均值"),
            s("Most sensitive zone", "最敏感的开发区"),
        ];
        let (s1, st) = (sb.rank_shift.s1.values(), sb.rank_shift.st.values());
        let rows: Vec<Vec<String>> = sb
            .factors
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let sts: Vec<(f64, &str)> = sb
                    .zones
                    .iter()
                    .map(|z| (z.indices.st.values()[k], z.name.as_str()))
                    .filter(|(x, _)| x.is_finite())
                    .collect();
                let mean = if sts.is_empty() {
                    f64::NAN
                } else {
                    sts.iter().map(|x| x.0).sum::<f64>() / sts.len() as f64
                };
                let most = sts
                    .iter()
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(x, n)| format!("{n} ({x:.3})"))
                    .unwrap_or_default();
                vec![
                    f.clone(),
                    node_name(f),
                    f4(s1[k]),
                    f4(st[k]),
                    f4(mean),
                    most,
                ]
            })
            .collect();
        let mut out = layout(&header, &rows);
        let (n, z) = (sb.samples, sb.zones.len());
        out.push_str(&match lang {
            Lang::En => format!("\n{n} base points, {z} zones {more}\n"),
            Lang::Zh => format!("\n{n} 个基点，{z} 个开发区 {more}\n"),
        });
        return out;
    }
    if let Some(o) = &r.oat {
        let header = vec![
            s("Factor", "因子"),
            s("Name", "名称"),
            s("Base weight", "基准权重"),
            s("Largest rank change", "最大名次变动"),
            s("Zone moved most", "变动最大的开发区"),
            s("Its ranks", "其名次范围"),
        ];
        let rows: Vec<Vec<String>> = o
            .factors
            .iter()
            .map(|f| {
                // The zone whose rank spans the widest range over the sweep.
                let span = |z: usize| {
                    let rs = f.ranks.iter().map(|r| r[z]);
                    (rs.clone().min().unwrap_or(0), rs.max().unwrap_or(0))
                };
                let best = (0..o.zones.len()).max_by_key(|&z| {
                    let (a, b) = span(z);
                    (b - a, std::cmp::Reverse(z))
                });
                let (name, range) = match best {
                    Some(z) => {
                        let (a, b) = span(z);
                        (
                            o.names.get(z).cloned().unwrap_or_default(),
                            format!("{a}–{b}"),
                        )
                    }
                    None => (String::new(), String::new()),
                };
                vec![
                    f.id.clone(),
                    node_name(&f.id),
                    f4(f.base_weight),
                    f.max_rank_change.to_string(),
                    name,
                    range,
                ]
            })
            .collect();
        let mut out = layout(&header, &rows);
        let steps = o.factors.first().map_or(0, |f| f.deltas.len());
        let (lo, hi) = o
            .factors
            .first()
            .and_then(|f| Some((*f.deltas.first()?, *f.deltas.last()?)))
            .unwrap_or((0.0, 0.0));
        let z = o.zones.len();
        out.push_str(&match lang {
            Lang::En => format!(
                "\neach weight changed from {lo:+.2} to {hi:+.2} in {steps} steps (others rescaled), {z} zones {more}\n"
            ),
            Lang::Zh => format!(
                "\n每个权重在 {lo:+.2} 到 {hi:+.2} 之间分 {steps} 步变动（其余按比例调整），{z} 个开发区 {more}\n"
            ),
        });
        return out;
    }
    if let Some(st) = &r.stability {
        let header = vec![
            s("Factor", "因子"),
            s("Name", "名称"),
            s("Base weight", "基准权重"),
            s("Low", "下限"),
            s("High", "上限"),
        ];
        let rows: Vec<Vec<String>> = st
            .factors
            .iter()
            .map(|f| {
                vec![
                    f.id.clone(),
                    node_name(&f.id),
                    f4(f.base_weight),
                    f4(f.low),
                    f4(f.high),
                ]
            })
            .collect();
        let mut out = layout(&header, &rows);
        let k = st.top;
        out.push_str(&match lang {
            Lang::En => {
                format!("\nthe interval of each weight that keeps the top-{k} order unchanged\n")
            }
            Lang::Zh => format!("\n各权重在此区间内变动时，前 {k} 名的顺序不变\n"),
        });
        return out;
    }
    let rr = r.rank_reversal.as_ref().expect("one analysis ran");
    let header = vec![
        s("Change", "变动"),
        s("Was better", "原较优"),
        s("Now worse", "现较差"),
    ];
    const SHOWN: usize = 30;
    let change = |c: &str| -> String {
        match c.split_once(' ') {
            Some(("remove", id)) => format!("{} {}", s("remove", "删除"), zone_name(id)),
            Some(("copy", id)) => format!("{} {}", s("copy", "复制"), zone_name(id)),
            _ => c.to_string(),
        }
    };
    let rows: Vec<Vec<String>> = rr
        .reversals
        .iter()
        .take(SHOWN)
        .map(|x| {
            vec![
                change(&x.change),
                zone_name(&x.pair.0),
                zone_name(&x.pair.1),
            ]
        })
        .collect();
    let (n, c) = (rr.reversals.len(), rr.checks);
    let mut out = match lang {
        Lang::En => {
            format!("{n} reversed pairs in {c} checks (leave one zone out, add a copy)\n\n")
        }
        Lang::Zh => format!("{c} 次检验（删除一个开发区、加入一个副本）中有 {n} 对排序逆转\n\n"),
    };
    if !rows.is_empty() {
        out.push_str(&layout(&header, &rows));
    }
    if n > SHOWN {
        let rest = n - SHOWN;
        out.push_str(&match lang {
            Lang::En => format!("… {rest} more {more}\n"),
            Lang::Zh => format!("……另有 {rest} 对 {more}\n"),
        });
    }
    out
}

/// The options that only some analyses read (clap ids), with the analyses that read them.
const ANALYSIS_OPTIONS: &[(&str, &[&str])] = &[
    ("samples", &["monte-carlo", "sobol"]),
    ("seed", &["monte-carlo", "sobol"]),
    ("perturb", &["monte-carlo"]),
    ("dirichlet", &["monte-carlo"]),
    ("weights_file", &["monte-carlo"]),
    ("vary_normalization", &["monte-carlo"]),
    ("vary_aggregation", &["monte-carlo", "sobol"]),
    ("drop_indicator", &["monte-carlo"]),
    ("top", &["monte-carlo", "sobol", "stability"]),
    ("factors", &["sobol", "oat", "stability"]),
    ("range", &["sobol", "oat"]),
    ("bootstrap", &["sobol"]),
    ("samples_file", &["sobol"]),
    ("steps", &["oat", "stability"]),
    ("memory_budget", &["monte-carlo"]),
];

/// `zoneval sensitivity ANALYSIS --help`: the help of that analysis alone (its own options and
/// the shared inputs), or None when `args` do not ask for it.
pub fn analysis_help(args: &[String]) -> Option<String> {
    let at = args.iter().position(|a| a == "sensitivity")?;
    let name = args.get(at + 1)?;
    let analysis = Analysis::from_str(name, false).ok()?;
    if !args[at + 2..].iter().any(|a| a == "--help" || a == "-h") {
        return None;
    }
    use clap::CommandFactory;
    let mut cmd = super::Cli::command();
    let mut sub = cmd.find_subcommand_mut("sensitivity")?.clone();
    let about = analysis
        .to_possible_value()
        .and_then(|v| v.get_help().map(ToString::to_string))
        .unwrap_or_default();
    sub = sub
        .bin_name(format!("zoneval sensitivity {name}"))
        .about(about.clone())
        .long_about(about)
        .mut_arg("analysis", |a| a.hide(true));
    for (id, used_by) in ANALYSIS_OPTIONS {
        if !used_by.contains(&name.as_str()) {
            sub = sub.mut_arg(*id, |a| a.hide(true));
        }
    }
    Some(sub.render_long_help().to_string())
}
