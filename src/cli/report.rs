//! `zoneval report`: re-render a report directory from a saved `results.json` (as written by
//! `evaluate --report DIR`), optionally adding sensitivity results; and the report writing
//! that `evaluate --report` and the default run share.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use super::{Inputs, Outcome};
use zoneval_core::error::{Error, Lang, Location, Problem, Result};
use zoneval_core::evaluation::{self, Evaluation};
use zoneval_core::provenance::Provenance;
use zoneval_core::sensitivity::SensitivityResults;
use zoneval_core::text;
use zoneval_report::dir::{self, Options, Png, Results};
use zoneval_report::model::{self, ReportModel, Spec};

/// Arguments of `report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// results.json written by `zoneval evaluate --report DIR`.
    #[arg(value_name = "RESULTS.json")]
    pub results: PathBuf,
    /// Directory to write (default: the directory holding RESULTS.json).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Sensitivity results to show (JSON of `zoneval sensitivity … --format json`); repeatable.
    #[arg(long, value_name = "FILE")]
    pub sensitivity: Vec<PathBuf>,
}

/// The specification of an evaluation run from the command line.
pub fn spec(inputs: &Inputs, group_by: &[String], ev: &Evaluation) -> Spec {
    Spec {
        system_file: ev.system().file.to_string(),
        system_toml: None,
        data_file: evaluation::data_path(ev.system(), inputs.data.as_deref()).to_string(),
        year: inputs.year,
        encoding: inputs.encoding.clone(),
        normalization: inputs.normalization.clone(),
        weighting: inputs.weighting.clone(),
        aggregation: inputs.aggregation.clone(),
        group_by: group_by.to_vec(),
    }
}

/// Builds the model of `ev` and writes its report into `dir`; returns warnings for stderr.
pub fn write_evaluation(
    ev: &Evaluation,
    inputs: &Inputs,
    group_by: &[String],
    dir: &Path,
    lang: Lang,
    sensitivity: Option<SensitivityResults>,
) -> Result<Vec<Problem>> {
    let table = &ev.prepared().table;
    let cells = (table.ids.len() * (table.numeric.len() + table.text.len() + 2)) as u64;
    zoneval_core::data::limits::check_report_size(
        cells,
        zoneval_core::data::limits::available_memory(),
    )?;
    // The engine evaluates the other years; the model only records their rankings.
    let years = evaluation::history::years(ev);
    let mut model = model::build(ev, spec(inputs, group_by, ev), years, sensitivity);
    model.provenance = Some(super::evaluate::provenance(inputs, group_by, ev)?);
    write(&model, Results::FromModel, dir, lang)
}

/// Writes the report of `ev` into `dir` with `analysis` (audit or compare) in its own
/// section; returns warnings for stderr.
pub fn write_analysis(
    ev: &Evaluation,
    inputs: &Inputs,
    dir: &Path,
    lang: Lang,
    analysis: model::Analysis,
) -> Result<Vec<Problem>> {
    let table = &ev.prepared().table;
    let cells = (table.ids.len() * (table.numeric.len() + table.text.len() + 2)) as u64;
    zoneval_core::data::limits::check_report_size(
        cells,
        zoneval_core::data::limits::available_memory(),
    )?;
    let years = evaluation::history::years(ev);
    let mut model = model::build(ev, spec(inputs, &[], ev), years, None);
    model.provenance = Some(super::evaluate::provenance(inputs, &[], ev)?);
    match analysis {
        model::Analysis::Audit(a) => model.audit = Some(a),
        model::Analysis::Compare(c) => model.compare = Some(c),
    }
    write(&model, Results::FromModel, dir, lang)
}

fn write(model: &ReportModel, results: Results, dir: &Path, lang: Lang) -> Result<Vec<Problem>> {
    let opts = Options {
        lang,
        png: Png::Auto,
    };
    let written = dir::write_report(dir, model, results, opts)?;
    let shown = dir.display().to_string();
    let shown = zoneval_report::escape::terminal(&shown);
    let (svgs, pngs) = (written.svgs, written.pngs);
    eprintln!(
        "{}",
        match lang {
            Lang::En => format!(
                "report written to {shown}/ (report.html, report.md, results.csv/json/xlsx, {svgs} SVG and {pngs} PNG charts)"
            ),
            Lang::Zh => format!(
                "报告已写入 {shown}/（report.html、report.md、results.csv/json/xlsx，SVG 图 {svgs} 个、PNG 图 {pngs} 个）"
            ),
        }
    );
    Ok(written.warnings)
}

fn read_json(path: &Path) -> Result<Value> {
    let name = path.display().to_string();
    // The size against memory before reading, as `evaluate` does for data files.
    if let Ok(m) = std::fs::metadata(path) {
        zoneval_core::data::limits::check_json_size(&name, m.len())?;
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let e = e.to_string();
        Error::input(
            Some(Location::file(&name.as_str().into())),
            text!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let (line, col) = (e.line() as u32, e.column() as u32);
        let e = e.to_string();
        Error::input(
            Some(Location::new(&name.as_str().into(), line, col)),
            text!("not valid JSON: {e}", "不是有效的 JSON：{e}"),
        )
    })
}

fn bad(path: &Path, en: String, zh: String) -> Error {
    let name = path.display().to_string();
    Error::input(
        Some(Location::file(&name.as_str().into())),
        zoneval_core::error::Text { en, zh },
    )
}

/// Checks that the sensitivity result in `v` (read from `path`) was computed on the system
/// file, data file and year of the report (`expected`, the provenance of results.json):
/// refused when its provenance differs; a warning when either records none.
fn check_provenance(
    v: &Value,
    path: &Path,
    expected: Option<&Provenance>,
    results: &Path,
) -> Result<Option<Problem>> {
    let name = zoneval_report::escape::terminal(&path.display().to_string()).into_owned();
    let found = match v.get("provenance") {
        None | Some(Value::Null) => None,
        Some(p) => Some(
            serde_json::from_value::<Provenance>(p.clone()).map_err(|e| {
                bad(
                    path,
                    format!("its `provenance` is not valid: {e}"),
                    format!("其 `provenance` 无效：{e}"),
                )
            })?,
        ),
    };
    let Some(found) = found else {
        return Ok(Some(Problem::new(text!(
            "{name} records no provenance (written by an older zoneval): cannot check that it was computed on this report's system, data and year",
            "{name} 未记录来源信息（由旧版 zoneval 写出）：无法核对它是否基于本报告的指标体系、数据和年份"
        ))));
    };
    let Some(expected) = expected else {
        let r = zoneval_report::escape::terminal(&results.display().to_string()).into_owned();
        return Ok(Some(Problem::new(text!(
            "{r} records no provenance (written by an older zoneval): cannot check that {name} belongs to it",
            "{r} 未记录来源信息（由旧版 zoneval 写出）：无法核对 {name} 是否属于该报告"
        ))));
    };
    let differs = expected.mismatch(&found);
    if differs.is_empty() {
        return Ok(None);
    }
    let show = |p: &Provenance, key: &str| -> String {
        match key {
            "system_hash" => format!("{} ({})", p.system_file, p.system_hash),
            "data_hash" => format!(
                "{} ({})",
                p.data_file.as_deref().unwrap_or("-"),
                p.data_hash.as_deref().unwrap_or("-")
            ),
            _ => p.year.map_or_else(|| "-".into(), |y| y.to_string()),
        }
    };
    let mut en = Vec::new();
    let mut zh = Vec::new();
    for k in &differs {
        let (a, b) = (show(&found, k), show(expected, k));
        let (a, b) = (
            zoneval_report::escape::terminal(&a).into_owned(),
            zoneval_report::escape::terminal(&b).into_owned(),
        );
        let (ke, kz) = match *k {
            "system_hash" => ("system", "指标体系"),
            "data_hash" => ("data", "数据"),
            _ => ("year", "年份"),
        };
        en.push(format!("{ke} {a}, the report's {b}"));
        zh.push(format!("{kz}为 {a}，而报告的为 {b}"));
    }
    let (en, zh) = (en.join("; "), zh.join("；"));
    Err(bad(
        path,
        format!(
            "computed on another system, data or year than the report ({en}); run the analysis again with the report's inputs"
        ),
        format!("所基于的指标体系、数据或年份与报告不同（{zh}）；请用报告的输入重新运行该分析"),
    ))
}

/// Adds the analysis in `v` (one analysis's JSON, or a bundle) to `into`.
fn add_sensitivity(into: &mut SensitivityResults, v: Value, path: &Path) -> Result<()> {
    fn parse<T: serde::de::DeserializeOwned>(v: Value, path: &Path) -> Result<T> {
        serde_json::from_value(v).map_err(|e| {
            bad(
                path,
                format!("not a sensitivity result: {e}"),
                format!("不是敏感性分析结果：{e}"),
            )
        })
    }
    let kind = v
        .get("analysis")
        .and_then(Value::as_str)
        .map(str::to_string);
    match kind.as_deref() {
        Some("monte-carlo") => into.monte_carlo = Some(parse(v, path)?),
        Some("sobol") => into.sobol = Some(parse(v, path)?),
        Some("oat") => into.oat = Some(parse(v, path)?),
        Some("stability") => into.stability = Some(parse(v, path)?),
        Some("rank-reversal") => into.rank_reversal = Some(parse(v, path)?),
        Some(other) => {
            return Err(bad(
                path,
                format!(
                    "unknown analysis `{other}` (expected monte-carlo, sobol, oat, stability, rank-reversal)"
                ),
                format!(
                    "未知的分析类型 `{other}`（应为 monte-carlo、sobol、oat、stability、rank-reversal）"
                ),
            ));
        }
        None => {
            let b: SensitivityResults = parse(v, path)?;
            into.monte_carlo = b.monte_carlo.or(into.monte_carlo.take());
            into.sobol = b.sobol.or(into.sobol.take());
            into.oat = b.oat.or(into.oat.take());
            into.stability = b.stability.or(into.stability.take());
            into.rank_reversal = b.rank_reversal.or(into.rank_reversal.take());
        }
    }
    Ok(())
}

/// Runs `report`.
pub fn run(args: &ReportArgs, lang: Lang) -> Result<Outcome> {
    // results.json itself is the report's own file: re-rendering in place replaces it (it is
    // read whole first). The sensitivity files are inputs only.
    for p in &args.sensitivity {
        zoneval_report::output::protect(p);
    }
    let mut results = read_json(&args.results)?;
    let model_value = results.get("report").cloned().ok_or_else(|| {
        bad(
            &args.results,
            "no `report` section: re-rendering needs the results.json written by `zoneval evaluate --report DIR`".into(),
            "缺少 `report` 部分：需使用 `zoneval evaluate --report DIR` 写出的 results.json".into(),
        )
    })?;
    let mut model: ReportModel = serde_json::from_value(model_value).map_err(|e| {
        bad(
            &args.results,
            format!("the `report` section does not match this version of zoneval: {e}"),
            format!("`report` 部分与当前版本的 zoneval 不符：{e}"),
        )
    })?;
    if let Err(e) = model.check() {
        return Err(bad(
            &args.results,
            format!("the `report` section is inconsistent: {e}"),
            format!("`report` 部分前后不一致：{e}"),
        ));
    }
    if model.version != model::VERSION {
        let (v, want) = (model.version, model::VERSION);
        return Err(bad(
            &args.results,
            format!("report model version {v}, this zoneval reads version {want}"),
            format!("报告模型版本为 {v}，当前 zoneval 读取版本 {want}"),
        ));
    }
    let mut warnings = Vec::new();
    if !args.sensitivity.is_empty() {
        let mut s = model.sensitivity.take().unwrap_or_default();
        let expected = model.provenance.clone();
        for p in &args.sensitivity {
            let v = read_json(p)?;
            warnings.extend(check_provenance(&v, p, expected.as_ref(), &args.results)?);
            add_sensitivity(&mut s, v, p)?;
        }
        model.sensitivity = Some(s);
        results["report"] = serde_json::to_value(&model).expect("the model serialises");
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| match args.results.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        });
    warnings.extend(write(&model, Results::Complete(&results), &dir, lang)?);
    Ok(Outcome {
        stdout: String::new(),
        warnings,
    })
}
