//! A report directory: `report.html`, `report.md`, `results.csv`, `results.json`,
//! `results.xlsx` and `charts/*.svg` (+ `*.png` when a CJK font is installed).
//!
//! Each file is streamed to disk as it is rendered (the large ones — results.json, the
//! workbook, the HTML page — never sit whole in memory) through [`crate::output::DirWriter`]:
//! a new directory is written as a temporary sibling and renamed into place in one step; into
//! an existing directory every file goes to a temporary file and all are renamed at the end,
//! so no file is ever left half-written and a rendering error changes nothing. The charts are
//! rasterised in parallel with the rendering of the documents.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::charts::png::{Batch, Rasterizer};
use crate::charts::{self, ChartKind, Figure};
use crate::model::ReportModel;
use crate::output::{DirError, DirWriter, Out, WriteError};
use crate::{document, html, xlsx};
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

/// A report rendered in memory: files (path relative to the directory, bytes) and notes for
/// stderr.
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

/// What `results.json` holds.
#[derive(Clone, Copy)]
pub enum Results<'a> {
    /// A complete `results.json` value (see [`results_json`]) whose `report` key holds the
    /// model.
    Complete(&'a Value),
    /// The evaluate JSON of the model ([`crate::json::value`]) with the model under `report`,
    /// both serialised as results.json is written: the bytes of [`results_json`] without a
    /// `Value` of either (at 100,000 zones they would take hundreds of MB).
    FromModel,
}

/// The evaluate JSON (its keys from [`crate::json::skeleton`], its zones made one at a time)
/// with the model under `report` last, as [`results_json`] adds it, serialised without
/// building either.
struct Streamed<'a> {
    head: &'a serde_json::Map<String, Value>,
    model: &'a ReportModel,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.head.len() + 1))?;
        for (k, v) in self.head {
            if k == "zones" {
                m.serialize_entry(k, &crate::json::Zones(self.model))?;
            } else if k != "report" {
                m.serialize_entry(k, v)?;
            }
        }
        m.serialize_entry("report", self.model)?;
        m.end()
    }
}

/// `results.json`, streamed (with a trailing newline).
pub fn write_json(model: &ReportModel, results: Results, out: &mut dyn Write) -> io::Result<()> {
    match results {
        Results::Complete(v) => crate::compact::write(&mut *out, v)?,
        Results::FromModel => {
            let head = crate::json::skeleton(model);
            crate::compact::write(&mut *out, &Streamed { head: &head, model })?
        }
    }
    out.write_all(b"\n")
}

/// A destination for the report's files: a directory or memory. `file` may be called from
/// several threads at once.
trait Sink: Sync {
    fn file(
        &self,
        name: &str,
        write: &mut dyn FnMut(Out<'_>) -> io::Result<()>,
    ) -> std::result::Result<(), WriteError>;
}

impl Sink for DirWriter {
    fn file(
        &self,
        name: &str,
        write: &mut dyn FnMut(Out<'_>) -> io::Result<()>,
    ) -> std::result::Result<(), WriteError> {
        DirWriter::file(self, name, write)
    }
}

/// Files kept in memory ([`render`]).
struct Memory(Mutex<Vec<(String, Vec<u8>)>>);

impl Sink for Memory {
    fn file(
        &self,
        name: &str,
        write: &mut dyn FnMut(Out<'_>) -> io::Result<()>,
    ) -> std::result::Result<(), WriteError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|error| WriteError {
            path: name.into(),
            error,
            refusal: None,
        })?;
        if let Ok(mut f) = self.0.lock() {
            f.push((name.to_string(), bytes));
        }
        Ok(())
    }
}

/// What was written, for the summary line on stderr.
pub struct Written {
    /// Warnings for stderr (also listed in the report's data-quality notes).
    pub warnings: Vec<Problem>,
    /// Number of SVG charts.
    pub svgs: usize,
    /// Number of PNG charts.
    pub pngs: usize,
}

fn write_failure(e: WriteError) -> Error {
    Error::from(e)
}

/// Renders every file of the report into `sink`; also returns the charts' file names.
fn render_into(
    model: &ReportModel,
    results: Results,
    opts: Options,
    sink: &dyn Sink,
) -> Result<(Written, Vec<String>)> {
    let lang = opts.lang;
    // The fonts load (the first time) while the charts are drawn.
    let (charts, raster) = rayon::join(
        || charts::all(model, lang),
        || match opts.png {
            Png::Off => None,
            Png::Auto => Some(Rasterizer::system()),
        },
    );
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let raster = match raster {
        None => None,
        Some(r) => {
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
    if model.zones.len() > charts::DETAILED {
        let (d, m) = (charts::DETAILED, model.zones.len());
        let w = Problem::new(text!(
            "{m} zones: the charts, scorecards and radars cover the first {d} by rank; the ranking table and results.csv, results.json and results.xlsx hold every zone",
            "共 {m} 个开发区：图表、评分卡和雷达图仅含排名前 {d} 的开发区；排名表及 results.csv、results.json、results.xlsx 含全部开发区"
        ));
        notes.push(w.message.get(lang).to_string());
        warnings.push(w);
    }
    // The charts (most of the work: rasterising) and the documents side by side.
    let (charts_done, docs_done) = rayon::join(
        || write_charts(&charts, raster, sink),
        || write_documents(model, results, &charts, lang, &notes, sink),
    );
    charts_done?;
    docs_done?;
    let written = Written {
        warnings,
        svgs: charts.len(),
        pngs: if raster.is_some() { charts.len() } else { 0 },
    };
    Ok((written, charts.into_iter().map(|c| c.file).collect()))
}

/// Every chart's PNG (rasterised in parallel, each written as soon as it is drawn) and SVG.
fn write_charts(charts: &[Figure], raster: Option<&Rasterizer>, sink: &dyn Sink) -> Result<()> {
    let batch = raster.map(|r| Batch::new(r, charts.iter().map(|c| c.svg.as_str())));
    charts.par_iter().enumerate().try_for_each(|(k, c)| {
        if let Some(b) = &batch {
            // Twice the SVG size (crisp on paper); the per-zone radars, most of the work for
            // a provincial report, at 1.5× (600 px wide, ample for a document).
            let scale = if c.kind == ChartKind::Radar { 1.5 } else { 2.0 };
            let png = b.png(k, &c.svg, scale).map_err(|e| {
                Error::failure(text!(
                    "cannot rasterise a chart: {e}",
                    "图表栅格化失败：{e}"
                ))
            })?;
            sink.file(&format!("charts/{}.png", c.file), &mut |o| {
                o.write_all(&png)
            })
            .map_err(write_failure)?;
        }
        sink.file(&format!("charts/{}.svg", c.file), &mut |o| {
            o.write_all(c.svg.as_bytes())
        })
        .map_err(write_failure)
    })
}

/// report.html, report.md, results.csv, results.json and results.xlsx.
fn write_documents(
    model: &ReportModel,
    results: Results,
    charts: &[Figure],
    lang: Lang,
    notes: &[String],
    sink: &dyn Sink,
) -> Result<()> {
    let doc = document::build(model, charts, lang, notes);
    let meta = crate::render::page_meta(model, lang);
    sink.file("report.html", &mut |o| html::write(&doc, charts, &meta, o))
        .map_err(write_failure)?;
    let md = document::markdown::render(&doc, charts);
    drop(doc);
    sink.file("report.md", &mut |o| {
        o.write_all(md.as_bytes())?;
        o.write_all(b"\n")
    })
    .map_err(write_failure)?;
    drop(md);
    sink.file("results.csv", &mut |o| {
        crate::csv::write(model, lang, o).map_err(io::Error::other)
    })
    .map_err(write_failure)?;
    sink.file("results.json", &mut |o| write_json(model, results, o))
        .map_err(write_failure)?;
    let mut book_error = None;
    let book = sink.file("results.xlsx", &mut |o| {
        xlsx::write(model, lang, o).map_err(|e| {
            let io = io::Error::other(e.to_string());
            book_error = Some(e);
            io
        })
    });
    match (book, book_error) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => {
            let e = e.to_string();
            Err(Error::failure(text!(
                "cannot write the workbook: {e}",
                "无法生成 xlsx 工作簿：{e}"
            )))
        }
        (Err(e), None) => Err(write_failure(e)),
    }
}

/// Renders every file of the report in memory (tests, and callers that want the bytes).
/// `results` is the `results.json` value (see [`results_json`]); its `report` key must hold
/// `model`.
pub fn render(model: &ReportModel, results: &Value, opts: Options) -> Result<Rendered> {
    let sink = Memory(Mutex::new(Vec::new()));
    let (written, chart_files) = render_into(model, Results::Complete(results), opts, &sink)?;
    let mut files = sink.0.into_inner().unwrap_or_default();
    // The order of a written directory: the documents, then each chart's PNG and SVG.
    let mut order: HashMap<String, usize> = [
        "report.html",
        "report.md",
        "results.csv",
        "results.json",
        "results.xlsx",
    ]
    .iter()
    .map(|s| s.to_string())
    .enumerate()
    .map(|(k, s)| (s, k))
    .collect();
    for (k, c) in chart_files.iter().enumerate() {
        order.insert(format!("charts/{c}.png"), 5 + 2 * k);
        order.insert(format!("charts/{c}.svg"), 6 + 2 * k);
    }
    files.sort_by_key(|(n, _)| order.get(n).copied().unwrap_or(usize::MAX));
    Ok(Rendered {
        files,
        warnings: written.warnings,
    })
}

fn dir_failure(dir: &Path, e: DirError) -> Error {
    match e {
        DirError::NotADirectory => {
            let shown = dir.display().to_string();
            Error::input(
                None,
                text!(
                    "{shown} exists and is not a directory",
                    "{shown} 已存在且不是目录"
                ),
            )
        }
        DirError::NoParent(parent) => {
            let p = parent.display().to_string();
            Error::input(
                None,
                text!("output directory {p} does not exist", "输出目录 {p} 不存在"),
            )
        }
        DirError::Io(e) => write_failure(e),
        DirError::NotAReport => {
            let shown = crate::escape::terminal(&dir.display().to_string()).into_owned();
            let marker = crate::output::MARKER;
            Error::input(
                None,
                text!(
                    "{shown} is not empty and is not a zoneval report (it has no {marker}): a report replaces the whole directory, so give a new or empty directory",
                    "{shown} 不是空目录，也不是 zoneval 报告（没有 {marker}）：报告会整体替换目录，请指定新目录或空目录"
                ),
            )
        }
    }
}

/// Renders the report and streams it into `dir` (see the module docs). The parent of `dir`
/// must exist.
pub fn write_report(
    dir: &Path,
    model: &ReportModel,
    results: Results,
    opts: Options,
) -> Result<Written> {
    let out = DirWriter::create(dir).map_err(|e| dir_failure(dir, e))?;
    let (written, _) = render_into(model, results, opts, &out)?;
    out.commit().map_err(write_failure)?;
    Ok(written)
}

/// Writes `files` into `dir` (see the module docs). The parent of `dir` must exist.
pub fn write(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let out = DirWriter::create(dir).map_err(|e| dir_failure(dir, e))?;
    for (name, bytes) in files {
        out.file(name, |o| o.write_all(bytes))
            .map_err(write_failure)?;
    }
    out.commit().map_err(write_failure)
}
