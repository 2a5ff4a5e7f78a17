//! `zoneval sensitivity`: how robust is the ranking? One-at-a-time sweeps, stability
//! intervals, Monte Carlo (with SMAA), Sobol indices and rank-reversal checks.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Inputs, Outcome};
use zoneval_core::error::{Error, Lang, Problem, Result};
use zoneval_core::evaluation::Evaluation;
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
    let text = render(&results, &ev, args.format, lang);
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

/// Renders the results.
pub fn render(r: &SensitivityResults, ev: &Evaluation, format: SensFormat, lang: Lang) -> String {
    match format {
        SensFormat::Json => {
            let v = if let Some(x) = &r.monte_carlo {
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
            let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
            s.push('\n');
            s
        }
        SensFormat::Csv | SensFormat::Table => {
            let (header, rows) = tabulate(r, ev, lang);
            if format == SensFormat::Table {
                layout(&header, &rows)
            } else {
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
        }
    }
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

fn tabulate(
    r: &SensitivityResults,
    _ev: &Evaluation,
    lang: Lang,
) -> (Vec<String>, Vec<Vec<String>>) {
    let s = |a: &'static str, b: &'static str| t(lang, a, b).to_string();
    if let Some(mc) = &r.monte_carlo {
        let top = mc.top;
        let header = vec![
            "id".into(),
            s("zone", "开发区"),
            s("base_rank", "基准排名"),
            s("mean_rank", "平均排名"),
            "p05".into(),
            "p50".into(),
            "p95".into(),
            format!("p_top{top}"),
        ];
        let rows = mc
            .zones
            .iter()
            .map(|z| {
                vec![
                    z.id.clone(),
                    z.name.clone(),
                    z.base_rank.to_string(),
                    format!("{:.2}", z.mean_rank),
                    format!("{:.2}", z.p05),
                    format!("{:.2}", z.p50),
                    format!("{:.2}", z.p95),
                    f4(z.p_top),
                ]
            })
            .collect();
        return (header, rows);
    }
    if let Some(sb) = &r.sobol {
        let header = vec![
            s("output", "输出"),
            s("factor", "因子"),
            "S1".into(),
            "S1_conf".into(),
            "ST".into(),
            "ST_conf".into(),
        ];
        let mut rows = Vec::new();
        let mut push = |out: &str, ind: &sensitivity::Indices| {
            let (a, b, c, d) = (
                ind.s1.values(),
                ind.s1_conf.values(),
                ind.st.values(),
                ind.st_conf.values(),
            );
            for (k, f) in sb.factors.iter().enumerate() {
                rows.push(vec![
                    out.to_string(),
                    f.clone(),
                    f4(a[k]),
                    f4(b[k]),
                    f4(c[k]),
                    f4(d[k]),
                ]);
            }
        };
        for z in &sb.zones {
            push(&z.id, &z.indices);
        }
        push("rank_shift", &sb.rank_shift);
        return (header, rows);
    }
    if let Some(o) = &r.oat {
        let header = vec![
            s("factor", "因子"),
            "delta".into(),
            "zone".into(),
            s("rank", "排名"),
        ];
        let mut rows = Vec::new();
        for f in &o.factors {
            for (k, d) in f.deltas.iter().enumerate() {
                for (z, id) in o.zones.iter().enumerate() {
                    rows.push(vec![
                        f.id.clone(),
                        format!("{d:+.2}"),
                        id.clone(),
                        f.ranks[k][z].to_string(),
                    ]);
                }
            }
        }
        return (header, rows);
    }
    if let Some(st) = &r.stability {
        let header = vec![
            s("factor", "因子"),
            s("base_weight", "基准权重"),
            s("low", "下限"),
            s("high", "上限"),
        ];
        let rows = st
            .factors
            .iter()
            .map(|f| vec![f.id.clone(), f4(f.base_weight), f4(f.low), f4(f.high)])
            .collect();
        return (header, rows);
    }
    let rr = r.rank_reversal.as_ref().expect("one analysis ran");
    let header = vec![
        s("change", "变动"),
        s("was_better", "原较优"),
        s("now_worse", "现较差"),
    ];
    let rows = rr
        .reversals
        .iter()
        .map(|x| vec![x.change.clone(), x.pair.0.clone(), x.pair.1.clone()])
        .collect();
    (header, rows)
}
