//! A report directory: `report.html`, `report.md`, `results.csv`, `results.json`,
//! `results.xlsx` and `charts/*.svg` (+ `*.png` when a CJK font is installed).
//!
//! Everything is rendered in memory first, so a rendering error writes nothing. A new
//! directory is written as a temporary sibling and renamed into place in one step; into an
//! existing directory every file goes to a temporary file first and all are then renamed, so
//! no file is ever left half-written and an error before the renames changes nothing.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::charts::{self, png::Rasterizer};
use crate::document;
use crate::model::ReportModel;
use crate::{html, xlsx};
use zoneval_core::error::{Error, Lang, Problem, Result};
use zoneval_core::text;

/// Whether to write PNG copies of the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Png {
    /// When a CJK font is installed (otherwise SVG only, with a note).
    Auto,
    /// Never (SVG only, no note).
    Off,
}

/// Rendering options.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Language of the report.
    pub lang: Lang,
    /// PNG charts.
    pub png: Png,
}

/// A rendered report: files (path relative to the directory, bytes) and notes for stderr.
pub struct Rendered {
    /// Files in write order.
    pub files: Vec<(String, Vec<u8>)>,
    /// Warnings for stderr (also listed in the report's data-quality notes).
    pub warnings: Vec<Problem>,
}

impl Rendered {
    /// A file's content as text (tests and callers that want one file).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
    }
}

/// `results.json`: the evaluate JSON (the contract's keys first) with the report model added
/// under `report`.
pub fn results_json(mut evaluate: Value, model: &ReportModel) -> Value {
    if let Value::Object(o) = &mut evaluate {
        o.insert("report".into(), json!(model));
    }
    evaluate
}

/// `results.csv`, the same writer as `evaluate --format csv`.
pub fn csv(model: &ReportModel, lang: Lang) -> String {
    crate::csv::render(model, lang)
}

/// Renders every file of the report. `results` is the `results.json` value (see
/// [`results_json`]); its `report` key must hold `model`.
pub fn render(model: &ReportModel, results: &Value, opts: Options) -> Result<Rendered> {
    let lang = opts.lang;
    let charts = charts::all(model, lang);
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let raster = match opts.png {
        Png::Off => None,
        Png::Auto => {
            let r = Rasterizer::system();
            if r.is_none() {
                let w = Problem::new(text!(
                    "no CJK font found (e.g. Noto Sans CJK SC, WenQuanYi Micro Hei): charts written as SVG only, without PNG copies",
                    "未找到中文字体（如 Noto Sans CJK SC、文泉驿微米黑）：图表仅输出 SVG，未生成 PNG"
                ));
                notes.push(w.message.get(lang).to_string());
                warnings.push(w);
            }
            r
        }
    };
    let pngs: Vec<Option<Vec<u8>>> = match raster {
        Some(r) => charts
            .par_iter()
            // Twice the SVG size (crisp on paper); the per-zone radars, most of the work for
            // a provincial report, at 1.5× (600 px wide, ample for a document).
            .map(|c| {
                r.png(
                    &c.svg,
                    if c.kind == charts::ChartKind::Radar {
                        1.5
                    } else {
                        2.0
                    },
                )
                .map(Some)
            })
            .collect::<std::result::Result<_, String>>()
            .map_err(|e| {
                Error::failure(text!(
                    "cannot rasterise a chart: {e}",
                    "图表栅格化失败：{e}"
                ))
            })?,
        None => vec![None; charts.len()],
    };
    if model.zones.len() > charts::DETAILED {
        let (d, m) = (charts::DETAILED, model.zones.len());
        let w = Problem::new(text!(
            "{m} zones: the charts, scorecards and radars cover the first {d} by rank; the ranking table and results.csv, results.json and results.xlsx hold every zone",
            "共 {m} 个开发区：图表、评分卡和雷达图仅含排名前 {d} 的开发区；排名表及 results.csv、results.json、results.xlsx 含全部开发区"
        ));
        notes.push(w.message.get(lang).to_string());
        warnings.push(w);
    }
    let doc = document::build(model, &charts, lang, &notes);
    let meta = crate::render::page_meta(model, lang);
    let page = html::render(&doc, &charts, &meta);
    let md = document::markdown::render(&doc, &charts);
    let book = xlsx::render(model, lang).map_err(|e| {
        let e = e.to_string();
        Error::failure(text!(
            "cannot write the workbook: {e}",
            "无法生成 xlsx 工作簿：{e}"
        ))
    })?;
    let mut json = crate::compact::to_string(results);
    json.push('\n');
    let mut md = md;
    md.push('\n');
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("report.html".into(), page.into_bytes()),
        ("report.md".into(), md.into_bytes()),
        ("results.csv".into(), csv(model, lang).into_bytes()),
        ("results.json".into(), json.into_bytes()),
        ("results.xlsx".into(), book),
    ];
    for (c, p) in charts.into_iter().zip(pngs) {
        if let Some(p) = p {
            files.push((format!("charts/{}.png", c.file), p));
        }
        files.push((format!("charts/{}.svg", c.file), c.svg.into_bytes()));
    }
    Ok(Rendered { files, warnings })
}

fn io_failure(path: &Path, e: std::io::Error) -> Error {
    let (p, e) = (path.display().to_string(), e.to_string());
    Error::failure(text!("cannot write {p}: {e}", "无法写入 {p}：{e}"))
}

fn write_all(
    root: &Path,
    files: &[(String, Vec<u8>)],
    tmp_suffix: Option<&str>,
) -> std::result::Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for (name, bytes) in files {
        let target = root.join(name);
        let path = match tmp_suffix {
            Some(s) => {
                let file = target
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default();
                target.with_file_name(format!(".{file}.{s}"))
            }
            None => target.clone(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, e))?;
        }
        written.push(path.clone());
        std::fs::write(&path, bytes).map_err(|e| io_failure(&path, e))?;
    }
    Ok(written)
}

/// Writes `files` into `dir` (see the module docs). The parent of `dir` must exist.
pub fn write(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let shown = dir.display().to_string();
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            None,
            text!(
                "{shown} exists and is not a directory",
                "{shown} 已存在且不是目录"
            ),
        ));
    }
    let tag = format!("tmp-{}", std::process::id());
    if dir.is_dir() {
        let tmps = match write_all(dir, files, Some(&tag)) {
            Ok(t) => t,
            Err(e) => {
                for (name, _) in files {
                    let target = dir.join(name);
                    let file = target
                        .file_name()
                        .map(|f| f.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let _ = std::fs::remove_file(target.with_file_name(format!(".{file}.{tag}")));
                }
                return Err(e);
            }
        };
        for (k, ((name, _), tmp)) in files.iter().zip(&tmps).enumerate() {
            let target = dir.join(name);
            if let Err(e) = std::fs::rename(tmp, &target) {
                for t in &tmps[k..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(io_failure(&target, e));
            }
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        let p = parent.display().to_string();
        return Err(Error::input(
            None,
            text!("output directory {p} does not exist", "输出目录 {p} 不存在"),
        ));
    }
    let name = dir
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".into());
    let tmp = parent.join(format!(".{name}.{tag}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = std::fs::create_dir(&tmp)
        .map_err(|e| io_failure(&tmp, e))
        .and_then(|()| write_all(&tmp, files, None).map(|_| ()))
        .and_then(|()| std::fs::rename(&tmp, dir).map_err(|e| io_failure(dir, e)));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
