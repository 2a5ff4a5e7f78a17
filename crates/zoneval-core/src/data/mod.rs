//! Zone data: reading CSV (UTF-8, UTF-8 with BOM, GBK) and `.xlsx` into a [`ZoneTable`] that
//! remembers where each cell came from, so every bad cell is reported as `file:line:col`.
//!
//! Only the columns a system needs are kept: the id, name and year columns, the numeric
//! columns its indicators, formulas and gates read, and the text columns it groups by. An
//! empty cell (or one of `[data] na`) is missing; any other text in a numeric column that is
//! not a plain decimal number ("abc", "12,4%", "NaN", "inf") is an error naming the cell.

mod columns;
mod csv_read;
pub mod formula;
pub mod limits;
pub mod mapping;
pub mod missing;
mod number;
pub mod outliers;
mod xlsx;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::text;

pub use columns::{ColumnAlias, match_key};
pub use number::parse_number;

/// Which text encoding a CSV file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Detect: UTF-8 (with or without BOM), else GBK.
    Auto,
    /// UTF-8 (a BOM is skipped).
    Utf8,
    /// GBK / GB18030.
    Gbk,
}

/// What to read from a zone data file.
#[derive(Clone, Debug)]
pub struct ReadSpec {
    /// Zone id column.
    pub id_column: String,
    /// Zone name column.
    pub name_column: String,
    /// Year column (optional in the file).
    pub year_column: String,
    /// Numeric columns to read.
    pub numeric: Vec<String>,
    /// Text columns to read.
    pub text: Vec<String>,
    /// Cell texts meaning "missing" besides the empty cell.
    pub na: Vec<String>,
    /// CSV encoding.
    pub encoding: Encoding,
    /// xlsx sheet (first when None).
    pub sheet: Option<String>,
    /// Where the columns were asked for (the system file), for "missing column" messages.
    pub asked_by: HashMap<String, Location>,
    /// Header aliases: which header holds a column (`[data] columns`, a mapping file).
    pub columns: Vec<ColumnAlias>,
    /// Names a column is also matched by, once units and brackets are stripped: (column, the
    /// names of the indicators that read it).
    pub labels: Vec<(String, Vec<String>)>,
}

/// A numeric column: its values (NaN = missing) and its 1-based field number in the file.
#[derive(Clone, Debug)]
pub struct NumericColumn {
    /// Header text.
    pub name: String,
    /// 1-based field (column) number.
    pub field: u32,
    /// One value per row; NaN marks a missing cell (text "NaN" is rejected when reading).
    pub values: Vec<f64>,
}

/// A text column.
#[derive(Clone, Debug)]
pub struct TextColumn {
    /// Header text.
    pub name: String,
    /// 1-based field number.
    pub field: u32,
    /// One value per row (trimmed).
    pub values: Vec<String>,
}

/// Zones × columns as read, every row with its line in the file.
#[derive(Clone, Debug)]
pub struct ZoneTable {
    /// The file as the user named it.
    pub file: Arc<str>,
    /// Zone ids.
    pub ids: Vec<String>,
    /// Zone names.
    pub names: Vec<String>,
    /// Years, when the file has a year column.
    pub years: Option<Vec<i64>>,
    /// Line (CSV) or sheet row (xlsx) of each row.
    pub lines: Vec<u32>,
    /// Numeric columns requested.
    pub numeric: Vec<NumericColumn>,
    /// Text columns requested.
    pub text: Vec<TextColumn>,
    /// Every header in the file.
    pub headers: Vec<String>,
    /// The worksheet read, for a workbook (then locations are Excel cell addresses).
    pub sheet: Option<Arc<str>>,
    /// Whether the data say they are synthetic: a `data_status` column saying `synthetic`, or
    /// a bundled dataset.
    pub synthetic: bool,
    /// Warnings (e.g. encoding detected as GBK).
    pub warnings: Vec<crate::error::Problem>,
}

impl ZoneTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The numeric column `name`.
    pub fn numeric(&self, name: &str) -> Option<&NumericColumn> {
        self.numeric.iter().find(|c| c.name == name)
    }

    /// The text column `name`.
    pub fn text(&self, name: &str) -> Option<&TextColumn> {
        self.text.iter().find(|c| c.name == name)
    }

    /// The location of row `row`, field `field` (0 = the whole line).
    pub fn location(&self, row: usize, field: u32) -> Location {
        Location::in_sheet(&self.file, self.sheet.as_ref(), self.lines[row], field)
    }

    /// Marks the data synthetic, with the notice that says so (once).
    pub fn mark_synthetic(&mut self) {
        if !self.synthetic {
            self.synthetic = true;
            self.warnings.push(synthetic_notice(&self.file));
        }
    }

    /// The distinct years, ascending.
    pub fn distinct_years(&self) -> Vec<i64> {
        let mut y = self.years.clone().unwrap_or_default();
        y.sort_unstable();
        y.dedup();
        y
    }
}

/// Reads `bytes` (the content of `name`) as CSV or, when `name` ends in `.xlsx`, as a
/// workbook.
pub fn read_bytes(name: &str, bytes: &[u8], spec: &ReadSpec) -> Result<ZoneTable> {
    let file: Arc<str> = Arc::from(name);
    let lower = name.to_ascii_lowercase();
    let grid = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return xlsx::read_table(&file, bytes, spec);
    } else if lower.ends_with(".xls") || lower.ends_with(".ods") {
        return Err(Error::input(
            Some(Location::file(&file)),
            text!(
                "unsupported format: save the sheet as .xlsx or .csv",
                "不支持的格式：请另存为 .xlsx 或 .csv"
            ),
        ));
    } else {
        csv_read::read(&file, bytes, spec.encoding)?
    };
    build_table(file, grid, spec)
}

/// Reads the file at `path` (see [`read_bytes`]).
pub fn read_path(path: &Path, spec: &ReadSpec) -> Result<ZoneTable> {
    let (name, bytes) = crate::bundled::read(path)?;
    read_bytes(&name, &bytes, spec)
}

/// Cells as strings, before the columns are interpreted.
#[derive(Debug)]
pub(crate) struct Grid {
    /// Header fields.
    pub headers: Vec<String>,
    /// Data rows: (line, fields); a record keeps its fields in one buffer.
    pub rows: Vec<(u32, csv::StringRecord)>,
    /// Line of the header.
    pub header_line: u32,
    /// Fields before the first grid column (xlsx ranges that do not start at column A).
    pub col_offset: u32,
    /// The worksheet, for a workbook.
    pub sheet: Option<Arc<str>>,
    /// Warnings from decoding.
    pub warnings: Vec<crate::error::Problem>,
}

impl Grid {
    /// Whether every column `spec` asks for is found among the headers (and there are rows):
    /// a workbook's sheet that holds the data.
    pub(crate) fn has_columns(&self, file: &Arc<str>, spec: &ReadSpec) -> bool {
        let place = columns::HeaderPlace {
            file,
            sheet: self.sheet.as_ref(),
            line: self.header_line,
            col_offset: self.col_offset,
        };
        !self.rows.is_empty()
            && columns::resolve::<[(u32, csv::StringRecord)]>(&self.headers, spec, &place, None)
                .is_ok()
    }
}

pub(crate) fn build_table(file: Arc<str>, grid: Grid, spec: &ReadSpec) -> Result<ZoneTable> {
    let Grid {
        headers,
        rows,
        header_line,
        col_offset,
        sheet,
        warnings,
    } = grid;
    let place = Place {
        file,
        sheet,
        header_line,
        col_offset,
    };
    build_from(place, headers, rows.as_slice(), warnings, spec)
}

/// The notice that the data evaluated are synthetic.
fn synthetic_notice(file: &Arc<str>) -> crate::error::Problem {
    crate::error::Problem::at(
        Some(Location::file(file)),
        text!(
            "these data are SYNTHETIC (generated, not real statistics): the ranking shows what the methods do, not how the zones perform",
            "这些数据为合成数据（生成的，并非真实统计）：排名只展示方法的效果，不反映各开发区的真实表现"
        ),
    )
}

/// Where a table's cells are: the file, the worksheet (for a workbook), the header row and
/// the fields before the first column.
struct Place {
    file: Arc<str>,
    sheet: Option<Arc<str>>,
    header_line: u32,
    col_offset: u32,
}

/// The cells of a file's data rows, as text (CSV, xlsx) or as values (a data frame).
trait Rows {
    /// Number of data rows.
    fn len(&self) -> usize;
    /// The line (1-based) of row `i`.
    fn line(&self, i: usize) -> u32;
    /// Cell (`i`, `j`) as text, untrimmed.
    fn text(&self, i: usize, j: usize) -> Cow<'_, str>;
    /// Cell (`i`, `j`) of a numeric column: its value, or its text to parse.
    fn number(&self, i: usize, j: usize) -> NumberCell<'_>;
    /// Column `j` as numbers when every cell is a number or missing (NaN), so it needs no
    /// parsing; `None` when its cells must be read one by one.
    fn values(&self, _j: usize) -> Option<Vec<f64>> {
        None
    }
}

/// A cell read as a number.
enum NumberCell<'a> {
    /// A value given as a number (NaN = missing).
    Value(f64),
    /// Text to parse (CSV, xlsx, or a text column of a data frame).
    Text(Cow<'a, str>),
}

impl Rows for [(u32, csv::StringRecord)] {
    fn len(&self) -> usize {
        <[_]>::len(self)
    }
    fn line(&self, i: usize) -> u32 {
        self[i].0
    }
    fn text(&self, i: usize, j: usize) -> Cow<'_, str> {
        Cow::Borrowed(&self[i].1[j])
    }
    fn number(&self, i: usize, j: usize) -> NumberCell<'_> {
        NumberCell::Text(Cow::Borrowed(&self[i].1[j]))
    }
}

/// A column of a data frame: values rather than text, so numbers pass without formatting and
/// parsing. Missing cells are NaN (numbers) or `None` (text).
#[derive(Clone, Debug)]
pub enum ColumnValues {
    /// Floating-point values (NaN = missing).
    Numbers(Vec<f64>),
    /// Whole numbers (never missing).
    Integers(Vec<i64>),
    /// Text (`None` = missing).
    Text(Vec<Option<String>>),
}

impl ColumnValues {
    fn len(&self) -> usize {
        match self {
            ColumnValues::Numbers(v) => v.len(),
            ColumnValues::Integers(v) => v.len(),
            ColumnValues::Text(v) => v.len(),
        }
    }
}

/// Zone data given as columns of values (a pandas DataFrame) instead of a file. Rows are
/// located as in the CSV file the frame would be written to: the header is line 1 and row
/// `i` (0-based) is line `i + 2`; fields count from 1.
#[derive(Clone, Debug)]
pub struct Columns {
    /// The name shown in messages in place of a file name.
    pub name: String,
    /// Column headers, in order.
    pub headers: Vec<String>,
    /// One entry per header, all of the same length.
    pub columns: Vec<ColumnValues>,
}

impl Rows for Columns {
    fn len(&self) -> usize {
        self.columns.first().map_or(0, ColumnValues::len)
    }
    fn line(&self, i: usize) -> u32 {
        i as u32 + 2
    }
    fn text(&self, i: usize, j: usize) -> Cow<'_, str> {
        match &self.columns[j] {
            // As a CSV writer shows them: 2024.0 as "2024", a missing value as "".
            ColumnValues::Numbers(v) if v[i].is_nan() => Cow::Borrowed(""),
            ColumnValues::Numbers(v) => Cow::Owned(v[i].to_string()),
            ColumnValues::Integers(v) => Cow::Owned(v[i].to_string()),
            ColumnValues::Text(v) => Cow::Borrowed(v[i].as_deref().unwrap_or("")),
        }
    }
    fn values(&self, j: usize) -> Option<Vec<f64>> {
        match &self.columns[j] {
            ColumnValues::Numbers(v) if !v.iter().any(|x| x.is_infinite()) => Some(v.clone()),
            ColumnValues::Integers(v) => Some(v.iter().map(|&x| x as f64).collect()),
            _ => None,
        }
    }
    fn number(&self, i: usize, j: usize) -> NumberCell<'_> {
        match &self.columns[j] {
            // ±inf would be written as text the CSV reader refuses: refuse it the same way.
            ColumnValues::Numbers(v) if v[i].is_infinite() => NumberCell::Text(self.text(i, j)),
            ColumnValues::Numbers(v) => NumberCell::Value(v[i]),
            ColumnValues::Integers(v) => NumberCell::Value(v[i] as f64),
            ColumnValues::Text(_) => NumberCell::Text(self.text(i, j)),
        }
    }
}

/// Reads zone data from columns of values (see [`Columns`]) with the same checks and
/// messages as a file: duplicate or missing columns, empty or duplicate zone ids, bad years
/// and cells that are not numbers.
pub fn read_columns(cols: &Columns, spec: &ReadSpec) -> Result<ZoneTable> {
    let file: Arc<str> = Arc::from(cols.name.as_str());
    if let Some(j) = cols.columns.iter().position(|c| c.len() != cols.len()) {
        let (h, got, want) = (&cols.headers[j], cols.columns[j].len(), cols.len());
        return Err(Error::input(
            Some(Location::new(&file, 1, j as u32 + 1)),
            text!(
                "column `{h}` has {got} values, but the first column has {want}",
                "列 `{h}` 有 {got} 个值，而第一列有 {want} 个"
            ),
        ));
    }
    if cols.headers.len() != cols.columns.len() {
        let (h, c) = (cols.headers.len(), cols.columns.len());
        return Err(Error::input(
            Some(Location::file(&file)),
            text!("{h} headers for {c} columns", "表头 {h} 个，列 {c} 个"),
        ));
    }
    let headers = cols.headers.iter().map(|h| h.trim().to_string()).collect();
    let place = Place {
        file,
        sheet: None,
        header_line: 1,
        col_offset: 0,
    };
    build_from(place, headers, cols, Vec::new(), spec)
}

fn build_from<R: Rows + ?Sized>(
    place: Place,
    headers: Vec<String>,
    rows: &R,
    warnings: Vec<crate::error::Problem>,
    spec: &ReadSpec,
) -> Result<ZoneTable> {
    let Place {
        file,
        sheet,
        header_line,
        col_offset,
    } = place;
    let at = |line: u32, col: u32| Location::in_sheet(&file, sheet.as_ref(), line, col);
    let mut problems = Vec::new();
    // Duplicate headers.
    for (j, h) in headers.iter().enumerate() {
        if let Some(first) = headers[..j].iter().position(|x| x == h) {
            let (a, b) = (first + 1 + col_offset as usize, j + 1 + col_offset as usize);
            problems.push(crate::error::Problem::at(
                Some(at(header_line, b as u32)),
                text!(
                    "duplicate column `{h}` (fields {a} and {b})",
                    "列名 `{h}` 重复（第 {a} 与第 {b} 列）"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    if rows.len() == 0 {
        return Err(Error::input(
            Some(at(header_line, 0)),
            text!(
                "the file has a header but no zones",
                "文件只有表头，没有开发区数据"
            ),
        ));
    }
    let header_place = columns::HeaderPlace {
        file: &file,
        sheet: sheet.as_ref(),
        line: header_line,
        col_offset,
    };
    let resolved =
        columns::resolve(&headers, spec, &header_place, Some(rows)).map_err(Error::many)?;
    let idx = |c: &str| resolved.index[c];
    let id_idx = idx(&spec.id_column);
    let name_idx = idx(&spec.name_column);
    let year_idx = resolved.index.get(&spec.year_column).copied();
    let numeric_idx: Vec<(String, usize)> =
        spec.numeric.iter().map(|c| (c.clone(), idx(c))).collect();
    let text_idx: Vec<(String, usize)> = spec.text.iter().map(|c| (c.clone(), idx(c))).collect();
    let mut warnings = warnings;
    if !resolved.matched.is_empty() {
        let list = resolved
            .matched
            .iter()
            .map(|(c, j, by)| {
                let h = &headers[*j];
                if by == c {
                    format!("`{h}` → {c}")
                } else {
                    format!("`{h}` → {c} ({by})")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let n = resolved.matched.len();
        warnings.push(crate::error::Problem::at(
            Some(at(header_line, 0)),
            text!(
                "{n} column(s) found by name, units and brackets ignored: {list} (set [data] columns to choose others)",
                "按名称（忽略单位与括号）找到 {n} 列：{list}（如需指定其他列，请设置 [data] columns）"
            ),
        ));
    }
    // A `data_status` column saying `synthetic` (the bundled datasets have one on every row).
    let synthetic = headers
        .iter()
        .position(|h| h == "data_status")
        .is_some_and(|j| {
            (0..rows.len()).any(|i| rows.text(i, j).trim().eq_ignore_ascii_case("synthetic"))
        });

    let n = rows.len();
    let mut table = ZoneTable {
        file: file.clone(),
        ids: Vec::with_capacity(n),
        names: Vec::with_capacity(n),
        years: year_idx.map(|_| Vec::with_capacity(n)),
        lines: Vec::with_capacity(n),
        numeric: numeric_idx
            .iter()
            .map(|(c, i)| NumericColumn {
                name: c.clone(),
                field: *i as u32 + 1 + col_offset,
                values: Vec::with_capacity(n),
            })
            .collect(),
        text: text_idx
            .iter()
            .map(|(c, i)| TextColumn {
                name: c.clone(),
                field: *i as u32 + 1 + col_offset,
                values: Vec::with_capacity(n),
            })
            .collect(),
        headers: headers.clone(),
        sheet: sheet.clone(),
        synthetic: false,
        warnings,
    };
    if synthetic {
        table.mark_synthetic();
    }
    // Columns given as values (a data frame's numbers) are taken whole, not cell by cell.
    let whole: Vec<bool> = numeric_idx
        .iter()
        .enumerate()
        .map(|(k, (_, j))| match rows.values(*j) {
            Some(v) => {
                table.numeric[k].values = v;
                true
            }
            None => false,
        })
        .collect();
    // Keys borrow the ids from `rows` where they can (a data frame's text column).
    let mut seen: HashMap<(Cow<'_, str>, i64), u32> = HashMap::with_capacity(n);
    for i in 0..rows.len() {
        let line = rows.line(i);
        let loc = |j: usize| at(line, j as u32 + 1 + col_offset);
        let key = match rows.text(i, id_idx) {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_string()),
        };
        let id = key.to_string();
        if id.is_empty() {
            problems.push(crate::error::Problem::at(
                Some(loc(id_idx)),
                text!("empty zone id", "开发区代码为空"),
            ));
        }
        // A byte-order mark or a zero-width character makes an id that looks like another
        // zone's but is not: a second, identical-looking zone.
        if let Some(c) = id
            .chars()
            .find(|&c| matches!(c as u32, 0xfeff | 0x200b..=0x200d | 0x2060 | 0x00ad))
        {
            let u = format!("U+{:04X}", c as u32);
            let shown: String = id
                .chars()
                .filter(|c| !matches!(*c as u32, 0xfeff | 0x200b..=0x200d | 0x2060 | 0x00ad))
                .collect();
            problems.push(crate::error::Problem::at(
                Some(loc(id_idx)),
                text!(
                    "zone id `{shown}` contains an invisible character ({u}); remove it (it would make a second zone that looks like `{shown}`)",
                    "开发区代码 `{shown}` 含不可见字符（{u}）；请删除（否则会出现一个看似 `{shown}` 的另一开发区）"
                ),
            ));
        }
        let year = match year_idx {
            Some(j) => match rows.text(i, j).trim().parse::<i64>() {
                Ok(y) => y,
                Err(_) => {
                    let t = rows.text(i, j);
                    let t = t.trim();
                    problems.push(crate::error::Problem::at(
                        Some(loc(j)),
                        text!("year `{t}` is not a whole number", "年份 `{t}` 不是整数"),
                    ));
                    0
                }
            },
            None => 0,
        };
        if let Some(first) = seen.insert((key, year), line)
            && !id.is_empty()
        {
            let msg = if year_idx.is_some() {
                text!(
                    "duplicate zone `{id}` for year {year} (first on line {first})",
                    "开发区 `{id}` 在 {year} 年重复（首次出现于第 {first} 行）"
                )
            } else {
                text!(
                    "duplicate zone id `{id}` (first on line {first})",
                    "开发区代码 `{id}` 重复（首次出现于第 {first} 行）"
                )
            };
            problems.push(crate::error::Problem::at(Some(loc(id_idx)), msg));
        }
        table.ids.push(id);
        table.names.push(rows.text(i, name_idx).trim().to_string());
        if let Some(y) = &mut table.years {
            y.push(year);
        }
        table.lines.push(line);
        for (k, (_, j)) in numeric_idx.iter().enumerate() {
            if whole[k] {
                continue;
            }
            let text = match rows.number(i, *j) {
                NumberCell::Value(x) => {
                    table.numeric[k].values.push(x);
                    continue;
                }
                NumberCell::Text(t) => t,
            };
            let cell = text.trim();
            let v = if cell.is_empty() || spec.na.iter().any(|m| m.trim() == cell) {
                f64::NAN
            } else {
                match parse_number(cell) {
                    Ok(x) => x,
                    Err(why) => {
                        let (col, zone) = (&headers[*j], rows.text(i, name_idx));
                        let (we, wz) = (&why.en, &why.zh);
                        problems.push(crate::error::Problem::at(
                            Some(loc(*j)),
                            text!(
                                "zone \"{zone}\", column `{col}`: not a number (\"{cell}\"); {we}",
                                "开发区“{zone}”，列 `{col}`：不是数值（“{cell}”）；{wz}"
                            ),
                        ));
                        f64::NAN
                    }
                }
            };
            table.numeric[k].values.push(v);
        }
        for (k, (c, j)) in text_idx.iter().enumerate() {
            let v = rows.text(i, *j).trim().to_string();
            if v.is_empty() {
                let zone = rows.text(i, name_idx).trim().to_string();
                table.warnings.push(crate::error::Problem::at(
                    Some(loc(*j)),
                    text!(
                        "zone \"{zone}\" has no `{c}`: it is grouped with the other zones without one",
                        "开发区“{zone}”缺少 `{c}`：与其他缺少该列的开发区归为一组"
                    ),
                ));
            }
            table.text[k].values.push(v);
        }
        if problems.len() > 50 {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(table)
}
