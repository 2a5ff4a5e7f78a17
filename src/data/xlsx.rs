//! Reading the first (or a named) sheet of an `.xlsx` workbook with calamine.
//!
//! Cells become text the same way CSV fields are (numbers via their shortest round-trip
//! representation, so no precision is lost); locations are sheet row and column numbers.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};

use super::Grid;
use crate::error::{Error, Location, Result};
use crate::text;

/// Reads `sheet` (or the first sheet) into a grid.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8], sheet: Option<&str>) -> Result<Grid> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        let e = e.to_string();
        Error::input(
            Some(Location::file(file)),
            text!(
                "not a readable .xlsx workbook: {e}",
                "无法读取 .xlsx 工作簿：{e}"
            ),
        )
    })?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            let list = names.join(", ");
            return Err(Error::input(
                Some(Location::file(file)),
                text!(
                    "no sheet named `{s}` (sheets: {list})",
                    "没有名为 `{s}` 的工作表（现有：{list}）"
                ),
            ));
        }
        None => names.first().cloned().ok_or_else(|| {
            Error::input(
                Some(Location::file(file)),
                text!("the workbook has no sheets", "工作簿中没有工作表"),
            )
        })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| {
        let e = e.to_string();
        Error::input(
            Some(Location::file(file)),
            text!(
                "cannot read sheet `{name}`: {e}",
                "无法读取工作表 `{name}`：{e}"
            ),
        )
    })?;
    let Some((row0, col0)) = range.start() else {
        return Err(Error::input(
            Some(Location::file(file)),
            text!("sheet `{name}` is empty", "工作表 `{name}` 为空"),
        ));
    };
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        (
            row0 + i as u32 + 1,
            r.iter().map(cell_text).collect::<Vec<_>>(),
        )
    });
    let mut header = None;
    for (line, fields) in rows.by_ref() {
        if fields.iter().any(|f| !f.trim().is_empty()) {
            header = Some((line, fields));
            break;
        }
    }
    let Some((header_line, headers)) = header else {
        return Err(Error::input(
            Some(Location::file(file)),
            text!("sheet `{name}` is empty", "工作表 `{name}` 为空"),
        ));
    };
    let rows = rows
        .filter(|(_, f)| f.iter().any(|x| !x.trim().is_empty()))
        .map(|(line, f)| (line, csv::StringRecord::from(f)))
        .collect();
    Ok(Grid {
        headers: headers.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
        header_line,
        col_offset: col0,
        warnings: Vec::new(),
    })
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
