//! Reading the first (or a named) sheet of an `.xlsx` workbook with calamine.
//!
//! Cells become text the same way CSV fields are (numbers via their shortest round-trip
//! representation, so no precision is lost); locations are Excel cell addresses
//! (`admin.xlsx!2024!L5`).
//!
//! The sheet is streamed cell by cell rather than read with `worksheet_range`, which lays
//! out every cell between the first and the last: a few-kilobyte file with one cell in A1
//! and one in XFD1048576 asked for 550 GB. The extent is checked against the cell limit
//! (`limits::max_cells`) before any row is laid out.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx, XlsxError};

use super::{Grid, ReadSpec, ZoneTable, limits};
use crate::error::{Error, Location, Result};
use crate::text;

/// An open workbook and its sheet names.
struct Workbook<'b> {
    wb: Xlsx<Cursor<&'b [u8]>>,
    names: Vec<String>,
}

fn open<'b>(file: &Arc<str>, bytes: &'b [u8]) -> Result<Workbook<'b>> {
    // What the parts expand to, as the archive declares it (an unreadable archive is
    // reported by calamine below).
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
        let expanded = (0..zip.len())
            .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
            .fold(0u64, u64::saturating_add);
        limits::check_expanded_size(file, expanded)?;
    }
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
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
    Ok(Workbook { wb, names })
}

/// The sheet to read: `sheet`, else the first.
fn pick(file: &Arc<str>, names: &[String], sheet: Option<&str>) -> Result<String> {
    match sheet {
        Some(s) if names.iter().any(|n| n == s) => Ok(s.to_string()),
        Some(s) => {
            let list = names.join(", ");
            Err(Error::input(
                Some(Location::file(file)),
                text!(
                    "no sheet named `{s}` (sheets: {list})",
                    "没有名为 `{s}` 的工作表（现有：{list}）"
                ),
            ))
        }
        None => names.first().cloned().ok_or_else(|| {
            Error::input(
                Some(Location::file(file)),
                text!("the workbook has no sheets", "工作簿中没有工作表"),
            )
        }),
    }
}

/// Reads `sheet` (or the first sheet) into a grid.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8], sheet: Option<&str>) -> Result<Grid> {
    let mut w = open(file, bytes)?;
    let name = pick(file, &w.names, sheet)?;
    read_sheet(file, &mut w.wb, name)
}

/// Reads the zone table from the sheet `spec` names (or the first). When that sheet lacks
/// the columns and the workbook has others, the error lists the sheets and names the ones
/// that have them.
pub(crate) fn read_table(file: &Arc<str>, bytes: &[u8], spec: &ReadSpec) -> Result<ZoneTable> {
    let mut w = open(file, bytes)?;
    let name = pick(file, &w.names, spec.sheet.as_deref())?;
    let grid = read_sheet(file, &mut w.wb, name.clone());
    let lacks = match &grid {
        Ok(g) => !g.has_columns(file, spec),
        Err(_) => true,
    };
    let result = grid.and_then(|g| super::build_table(file.clone(), g, spec));
    match result {
        Err(e) if lacks && w.names.len() > 1 => {
            let others: Vec<String> = w
                .names
                .clone()
                .into_iter()
                .filter(|n| *n != name)
                .filter(|n| {
                    read_sheet(file, &mut w.wb, n.clone()).is_ok_and(|g| g.has_columns(file, spec))
                })
                .collect();
            let list = w.names.join(", ");
            let hint = match others.first() {
                Some(o) => text!(
                    "the workbook's sheets: {list}; sheet `{o}` has the columns: set [data] sheet = \"{o}\"",
                    "工作簿中的工作表：{list}；工作表 `{o}` 含有所需各列：请设置 [data] sheet = \"{o}\""
                ),
                None => text!(
                    "read sheet `{name}`; the workbook's sheets: {list} (none has every column; set [data] sheet to the one holding the data)",
                    "读取的是工作表 `{name}`；工作簿中的工作表：{list}（没有一张含有全部所需列；请用 [data] sheet 指定存放数据的工作表）"
                ),
            };
            let mut e = e;
            e.problems
                .push(crate::error::Problem::at(Some(Location::file(file)), hint));
            Err(e)
        }
        other => other,
    }
}

fn read_sheet(file: &Arc<str>, wb: &mut Xlsx<Cursor<&[u8]>>, name: String) -> Result<Grid> {
    let unreadable = |e: XlsxError| {
        let e = e.to_string();
        Error::input(
            Some(Location::file(file)),
            text!(
                "cannot read sheet `{name}`: {e}",
                "无法读取工作表 `{name}`：{e}"
            ),
        )
    };
    let max_cells = limits::max_cells()?;
    let sheet: Arc<str> = Arc::from(name.as_str());
    // The non-empty cells: (row, column, text), 0-based.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    match wb.worksheet_cells_reader(&name) {
        Ok(mut reader) => {
            while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                let (r, c) = cell.get_position();
                let text = cell_text(&Data::from(cell.get_value().clone()));
                if text.is_empty() {
                    continue;
                }
                if cells.len() as u64 >= max_cells {
                    return Err(limits::too_many_cells(
                        Location::in_sheet(
                            file,
                            Some(&sheet),
                            r.saturating_add(1),
                            c.saturating_add(1),
                        ),
                        max_cells,
                    ));
                }
                cells.push((r, c, text));
            }
        }
        // A chart sheet or similar: no cells (reported as empty below).
        Err(XlsxError::NotAWorksheet(_)) => {}
        Err(e) => return Err(unreadable(e)),
    }
    let (Some(row0), Some(col0)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.1).min(),
    ) else {
        return Err(Error::input(
            Some(Location::file(file)),
            text!("sheet `{name}` is empty", "工作表 `{name}` 为空"),
        ));
    };
    let row1 = cells.iter().map(|c| c.0).max().unwrap_or(row0);
    let col1 = cells.iter().map(|c| c.1).max().unwrap_or(col0);
    let (height, width) = (u64::from(row1 - row0) + 1, u64::from(col1 - col0) + 1);
    if height.saturating_mul(width) > max_cells {
        let var = limits::MAX_CELLS_VAR;
        return Err(Error::input(
            Some(Location::file(file)),
            text!(
                "the sheet `{name}` spans {height} rows × {width} columns, more than the {max_cells} cells that fit in memory (the limit follows the available memory; {var} sets it)",
                "工作表 `{name}` 跨 {height} 行 × {width} 列，超过内存可容纳的 {max_cells} 个单元格（上限取决于可用内存，可用 {var} 设置）"
            ),
        ));
    }
    // Lay the cells out as rows, blanks where a cell is absent (cells come in sheet order
    // but are sorted to be sure).
    cells.sort_unstable_by_key(|c| (c.0, c.1));
    let mut grid: Vec<(u32, Vec<String>)> = Vec::new();
    for (r, c, text) in cells {
        let line = r.saturating_add(1);
        if grid.last().is_none_or(|(l, _)| *l != line) {
            grid.push((line, vec![String::new(); width as usize]));
        }
        let row = &mut grid.last_mut().expect("pushed above").1;
        row[(c - col0) as usize] = text;
    }
    let mut rows = grid.into_iter();
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
        sheet: Some(sheet),
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
        // As the date it shows, never its serial number (45047 would pass as a value in a
        // numeric column and silently change the ranking): a date is an error there, naming
        // the cell, and reads as written in a text column.
        Data::DateTime(d) => {
            let (y, mo, da, h, mi, se, ms) = d.to_ymd_hms_milli();
            if d.is_duration() {
                let hours = (d.as_f64() * 24.0).floor();
                format!("{hours}:{mi:02}:{se:02}")
            } else if (h, mi, se, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{se:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
