//! `zoneval sensitivity`: how robust is the ranking? One-at-a-time sweeps, stability
//! intervals, Monte Carlo (with SMAA), Sobol indices and rank-reversal checks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::{Inputs, Outcome};
use zoneval_core::error::{Error, Lang, Location, Result};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::method::Params;
use zoneval_core::sensitivity::model::{FactorKind, Model, factors};
use zoneval_core::sensitivity::monte_carlo::{McOptions, WeightDraw};
use zoneval_core::sensitivity::oat::OatOptions;
use zoneval_core::sensitivity::sobol::SobolOptions;
use zoneval_core::sensitivity::stability::StabilityOptions;
use zoneval_core::sensitivity::{self, SensitivityResults};
use zoneval_core::text;
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
    #[arg(long, default_value_t = 0.2)]
    pub perturb: f64,
    /// Monte Carlo: draw weights from a Dirichlet with concentration C around the base weights
    /// instead of the uniform perturbation.
    #[arg(long, value_name = "C")]
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
    let mut warnings = ev.warnings.clone();
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

/// Runs the chosen analysis and returns it with the base evaluation.
pub fn analyse(args: &SensitivityArgs) -> Result<(SensitivityResults, Evaluation)> {
    let ev = super::evaluate::evaluate_inputs(&args.inputs, &[])?;
    let progress = super::progress::Bar::new();
    let mut out = SensitivityResults::default();
    let variants = method_variants(&ev, args)?;
    let choices = variants
        .iter()
        .map(Model::new)
        .collect::<Result<Vec<_>>>()?;
    let base = Model::new(&ev)?;
    let fs = factors(ev.system(), args.factors.into());
    match args.analysis {
        Analysis::MonteCarlo => {
            let draw = match (&args.weights_file, args.dirichlet) {
                (Some(f), _) => WeightDraw::File(read_weights_file(f, &ev)?),
                // inf would give NaN weights (and silently wrong ranks).
                (None, Some(c)) if c > 0.0 && c.is_finite() => WeightDraw::Dirichlet(c),
                (None, Some(_)) => {
                    return Err(Error::usage(text!(
                        "--dirichlet must be a positive finite number",
                        "--dirichlet 必须为有限正数"
                    )));
                }
                (None, None) if (0.0..1.0).contains(&args.perturb) => {
                    WeightDraw::Uniform(args.perturb)
                }
                (None, None) => {
                    return Err(Error::usage(text!(
                        "--perturb must be in [0, 1)",
                        "--perturb 应在 [0, 1) 内"
                    )));
                }
            };
            let opts = McOptions {
                samples: args.samples.unwrap_or(10_000),
                seed: args.seed,
                draw,
                top: args.top.unwrap_or(10),
                drop_indicator: args.drop_indicator,
                memory_budget: args.memory_budget.saturating_mul(1 << 20),
            };
            out.monte_carlo = Some(sensitivity::monte_carlo::run(
                &base, &choices, &opts, &progress,
            )?);
        }
        Analysis::Sobol => {
            if !(args.range > 0.0 && args.range < 1.0) {
                return Err(Error::usage(text!(
                    "--range must be in (0, 1) for Sobol",
                    "Sobol 的 --range 应在 (0, 1) 内"
                )));
            }
            let ids: Vec<String> = fs.iter().map(|f| f.id.clone()).collect();
            let opts = SobolOptions {
                samples: args.samples.unwrap_or(1024),
                seed: args.seed,
                range: args.range,
                bootstrap: args.bootstrap,
                top: args.top,
                samples_file: args
                    .samples_file
                    .as_deref()
                    .map(|f| read_samples_file(f, &ids))
                    .transpose()?,
            };
            out.sobol = Some(sensitivity::sobol::run(
                &base, &choices, &fs, &opts, &progress,
            )?);
        }
        Analysis::Oat => {
            let opts = OatOptions {
                range: args.range,
                steps: args.steps.unwrap_or(10),
            };
            out.oat = Some(sensitivity::oat::run(&base, &fs, &opts)?);
        }
        Analysis::Stability => {
            let opts = StabilityOptions {
                top: args.top.unwrap_or(10),
                steps: args.steps.unwrap_or(200),
                ..Default::default()
            };
            out.stability = Some(sensitivity::stability::run(&base, &fs, &opts)?);
        }
        Analysis::RankReversal => {
            out.rank_reversal = Some(sensitivity::rank_reversal::run(&ev)?);
        }
    }
    drop((base, choices));
    Ok((out, ev))
}

/// Evaluations for every combination of the varied normalisations and aggregations (empty
/// when nothing varies).
fn method_variants(ev: &Evaluation, args: &SensitivityArgs) -> Result<Vec<Evaluation>> {
    if args.vary_normalization.is_empty() && args.vary_aggregation.is_empty() {
        return Ok(Vec::new());
    }
    if !args.vary_normalization.is_empty() && args.analysis == Analysis::Sobol {
        return Err(Error::usage(text!(
            "Sobol varies the aggregation only (--vary-aggregation); normalisations are not a factor",
            "Sobol 仅支持 --vary-aggregation；标准化方法不作为因子"
        )));
    }
    let check = |names: &[String], reg: &[&str], what: &str| -> Result<()> {
        for n in names {
            if !reg.contains(&n.as_str()) {
                let list = reg.join(", ");
                return Err(Error::usage(text!(
                    "unknown {what} `{n}` (valid: {list})",
                    "未知的{what} `{n}`（可选：{list}）"
                )));
            }
        }
        Ok(())
    };
    check(
        &args.vary_normalization,
        &zoneval_core::method::names(zoneval_core::method::normalize::REGISTRY),
        "normalization",
    )?;
    check(
        &args.vary_aggregation,
        &zoneval_core::method::names(zoneval_core::method::aggregate::REGISTRY),
        "aggregation",
    )?;
    let norms: Vec<Option<String>> = if args.vary_normalization.is_empty() {
        vec![None]
    } else {
        args.vary_normalization.iter().cloned().map(Some).collect()
    };
    let aggs: Vec<Option<String>> = if args.vary_aggregation.is_empty() {
        vec![None]
    } else {
        args.vary_aggregation.iter().cloned().map(Some).collect()
    };
    let base = args.inputs.overrides();
    let mut out = Vec::new();
    for a in &aggs {
        for nz in &norms {
            let ov = Overrides {
                normalization: nz
                    .as_deref()
                    .map(Params::named)
                    .or(base.normalization.clone()),
                weighting: base.weighting.clone(),
                aggregation: a.as_deref().map(Params::named).or(base.aggregation.clone()),
            };
            let methods = Arc::new(Methods::resolve(ev.system(), &ov)?);
            let mut v = evaluation::evaluate(&ev.prepared, &methods, &[])?;
            // Every variant samples the base evaluation's weights.
            v.weights = ev.weights.clone();
            out.push(v);
        }
    }
    Ok(out)
}

/// Reads a CSV of numbers with a header; returns (header, rows) with file:line:col errors.
fn read_number_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
    let (name, bytes) = zoneval_core::bundled::read(path)?;
    let file: Arc<str> = Arc::from(name.as_str());
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(
            Some(Location::file(&file)),
            text!("not UTF-8 text", "不是 UTF-8 文本"),
        )
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            let e = e.to_string();
            Error::input(
                Some(Location::new(&file, 1, 0)),
                text!("malformed CSV: {e}", "CSV 格式错误：{e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    // A column given twice would silently use the first.
    for (j, h) in header.iter().enumerate() {
        if let Some(first) = header[..j].iter().position(|x| x == h) {
            let (a, b) = (first + 1, j + 1);
            return Err(Error::input(
                Some(Location::new(&file, 1, b as u32)),
                text!(
                    "duplicate column `{h}` (fields {a} and {b})",
                    "列名 `{h}` 重复（第 {a} 与第 {b} 列）"
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as u32);
            let e = e.to_string();
            Error::input(
                Some(Location::new(&file, line, 0)),
                text!("malformed CSV: {e}", "CSV 格式错误：{e}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| p.line() as u32);
        let mut row = Vec::with_capacity(rec.len());
        for (j, cell) in rec.iter().enumerate() {
            let cell = cell.trim();
            match zoneval_core::data::parse_number(cell) {
                Ok(x) => row.push(x),
                Err(why) => {
                    let (we, wz) = (&why.en, &why.zh);
                    return Err(Error::input(
                        Some(Location::new(&file, line, j as u32 + 1)),
                        text!(
                            "not a number (\"{cell}\"); {we}",
                            "不是数值（“{cell}”）；{wz}"
                        ),
                    ));
                }
            }
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(Error::input(
            Some(Location::file(&file)),
            text!(
                "the file has a header but no rows",
                "文件只有表头，没有数据行"
            ),
        ));
    }
    Ok((header, rows))
}

/// Weight vectors in indicator order; a leading `sample` column is ignored.
fn read_weights_file(path: &Path, ev: &Evaluation) -> Result<Vec<Vec<f64>>> {
    let (header, rows) = read_number_csv(path)?;
    let skip = usize::from(header.first().is_some_and(|h| h == "sample"));
    let ids: Vec<&str> = ev
        .system()
        .indicators
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let cols = &header[skip..];
    let name = path.display().to_string();
    let mut index = Vec::with_capacity(ids.len());
    for id in &ids {
        match cols.iter().position(|c| c == id) {
            Some(p) => index.push(p + skip),
            None => {
                return Err(Error::input(
                    Some(Location::new(&name.as_str().into(), 1, 0)),
                    text!(
                        "the weights file has no column `{id}`",
                        "权重文件缺少列 `{id}`"
                    ),
                ));
            }
        }
    }
    if let Some(extra) = cols.iter().find(|c| !ids.contains(&c.as_str())) {
        return Err(Error::input(
            Some(Location::new(&name.as_str().into(), 1, 0)),
            text!(
                "the weights file has a column `{extra}` that is not an indicator",
                "权重文件的列 `{extra}` 不是指标"
            ),
        ));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let w: Vec<f64> = index.iter().map(|&j| row[j]).collect();
        if w.iter().any(|x| *x < 0.0) || !(w.iter().sum::<f64>() > 0.0) {
            let line = r + 2;
            return Err(Error::input(
                Some(Location::new(&name.as_str().into(), line as u32, 0)),
                text!(
                    "weights must be ≥ 0 with a positive sum",
                    "权重必须非负且和为正"
                ),
            ));
        }
        out.push(w);
    }
    Ok(out)
}

/// A Sobol multiplier matrix with columns in factor order.
fn read_samples_file(path: &Path, ids: &[String]) -> Result<Vec<Vec<f64>>> {
    let (header, rows) = read_number_csv(path)?;
    let name = path.display().to_string();
    let mut index = Vec::new();
    for id in ids {
        match header.iter().position(|c| c == id) {
            Some(p) => index.push(p),
            None => {
                return Err(Error::input(
                    Some(Location::new(&name.as_str().into(), 1, 0)),
                    text!(
                        "the samples file has no column `{id}`",
                        "样本文件缺少列 `{id}`"
                    ),
                ));
            }
        }
    }
    let file: Arc<str> = Arc::from(name.as_str());
    let runs = ids.len() + 2;
    if rows.len() % runs != 0 {
        let (r, k) = (rows.len(), ids.len());
        return Err(Error::input(
            Some(Location::file(&file)),
            text!(
                "the samples file has {r} rows; expected a multiple of k + 2 = {runs} (k = {k} factors)",
                "样本文件有 {r} 行，应为 k + 2 = {runs} 的倍数（k = {k} 个因子）"
            ),
        ));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let m: Vec<f64> = index.iter().map(|&j| row[j]).collect();
        // Multipliers scale weights: negative ones would give negative weights, all-zero
        // ones no weights at all (silently meaningless indices).
        if let Some(k) = m.iter().position(|x| !(*x >= 0.0)) {
            let (line, col, x) = (r as u32 + 2, index[k] as u32 + 1, m[k]);
            return Err(Error::input(
                Some(Location::new(&file, line, col)),
                text!(
                    "multiplier {x} is negative; multipliers must be ≥ 0",
                    "乘数 {x} 为负；乘数必须 ≥ 0"
                ),
            ));
        }
        if !(m.iter().sum::<f64>() > 0.0) {
            return Err(Error::input(
                Some(Location::new(&file, r as u32 + 2, 0)),
                text!("every multiplier of this row is 0", "本行所有乘数均为 0"),
            ));
        }
        out.push(m);
    }
    Ok(out)
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
                w.write_record(&header).expect("in-memory write");
                for row in &rows {
                    w.write_record(row).expect("in-memory write");
                }
                String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8")
            }
        }
    }
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
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
