//! Column mapping files: which header of a data file holds each column a system reads, as a
//! CSV or `.xlsx` table of two columns — the system's name, then the file's header:
//!
//! ```text
//! column,header
//! zone_id,开发区代码
//! fdi_actual,实际使用外资(万美元)
//! ```
//!
//! The first row is a header (any wording) unless its first cell is itself a column the
//! system reads; further columns (notes) are ignored. Each mapping keeps its row's place, so
//! a header the data file does not have is reported at that row.

use std::path::Path;
use std::sync::Arc;

use super::{ColumnAlias, Encoding, Grid, csv_read, xlsx};
use crate::error::{Error, Location, Problem, Result};
use crate::text;

/// Reads the mapping file at `path`; `known` are the columns the system reads (to tell a
/// header row from a first mapping).
pub fn read_mapping(path: &Path, known: &[String]) -> Result<Vec<ColumnAlias>> {
    let (name, bytes) = crate::bundled::read(path)?;
    let file: Arc<str> = Arc::from(name.as_str());
    let grid: Grid = if name.to_ascii_lowercase().ends_with(".xlsx") {
        xlsx::read(&file, &bytes, None)?
    } else {
        csv_read::read(&file, &bytes, Encoding::Auto)?
    };
    let at = |line: u32, col: u32| Location::in_sheet(&file, grid.sheet.as_ref(), line, col);
    let mut rows: Vec<(u32, Vec<String>)> = Vec::new();
    if grid.headers.first().is_some_and(|h| known.contains(h)) {
        rows.push((grid.header_line, grid.headers.clone()));
    }
    rows.extend(
        grid.rows
            .iter()
            .map(|(l, r)| (*l, r.iter().map(|f| f.trim().to_string()).collect())),
    );
    let first_col = grid.col_offset + 1;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, r) in rows {
        let cell = |k: usize| r.get(k).map_or("", String::as_str);
        match (cell(0), cell(1)) {
            ("", "") => {}
            (c, h) if c.is_empty() || h.is_empty() => {
                let which = if c.is_empty() { 0 } else { 1 };
                problems.push(Problem::at(
                    Some(at(line, first_col + which)),
                    text!(
                        "a mapping needs two cells: the system's column name, then the data file's header",
                        "每条映射需要两个单元格：体系中的列名，以及数据文件中的表头"
                    ),
                ));
            }
            (c, h) => out.push(ColumnAlias {
                column: c.to_string(),
                header: h.to_string(),
                location: Some(at(line, first_col)),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(out)
}
