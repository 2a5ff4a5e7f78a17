//! The files a sensitivity analysis can read besides the system and data: Monte Carlo weight
//! vectors and a Sobol multiplier matrix to replay. Both are CSVs of numbers with a header;
//! every problem is reported at its file:line:col.

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::system::IndicatorSystem;
use crate::text;

/// Reads a CSV of numbers with a header; returns (header, rows) with file:line:col errors.
fn read_number_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
    let (name, bytes) = crate::bundled::read(path)?;
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
            match crate::data::parse_number(cell) {
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

/// Reads a Monte Carlo weights file: a CSV whose header names every leaf indicator of
/// `system` (and nothing else; a leading `sample` column is ignored), one weight vector per
/// row. Returns the vectors in indicator order, for [`WeightDraw::File`](super::monte_carlo::WeightDraw::File).
pub fn read_weights_file(path: &Path, system: &IndicatorSystem) -> Result<Vec<Vec<f64>>> {
    let (header, rows) = read_number_csv(path)?;
    let skip = usize::from(header.first().is_some_and(|h| h == "sample"));
    let ids: Vec<&str> = system.indicators.iter().map(|i| i.id.as_str()).collect();
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

/// Reads a Sobol multiplier matrix to replay: a CSV with a column per factor id in `ids`
/// (others are ignored) and N(k + 2) rows of multipliers ≥ 0. Returns the rows with columns
/// in factor order, for [`SobolOptions::samples_file`](super::sobol::SobolOptions::samples_file).
pub fn read_samples_file(path: &Path, ids: &[String]) -> Result<Vec<Vec<f64>>> {
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
