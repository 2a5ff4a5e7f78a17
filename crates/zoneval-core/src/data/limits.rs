//! Size limits, so that an input far beyond memory is refused with a clear message instead
//! of ending in an out-of-memory kill.
//!
//! Two checks, both before the memory is spent:
//! - a file's size, before it is read, against the memory available (`MemAvailable` in
//!   `/proc/meminfo`): reading, decoding and splitting take a few times the file's size;
//! - the number of cells of a table, while it is split (CSV) or before a sheet is laid out
//!   (xlsx: a sheet's extent, not the file's size, decides the memory), against
//!   [`max_cells`]: `ZONEVAL_MAX_CELLS` when set, else what the available memory holds at
//!   [`BYTES_PER_CELL`] each.
//!
//! An `.xlsx` is compressed, so its parts' declared uncompressed sizes are checked as well
//! (a declared size can lie; calamine then still stops at the cell limit for the sheet, but
//! not for the shared strings, which it reads whole).
//!
//! Where `/proc/meminfo` is unavailable only `ZONEVAL_MAX_CELLS` limits.

use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::text;

/// Memory per cell of the input for reading, evaluating and rendering: measured peak RSS at
/// 100,000 zones × 53 columns is 43 bytes a cell with CSV output and 98 with JSON (which
/// holds every intermediate table); 128 leaves room.
pub const BYTES_PER_CELL: u64 = 128;

/// Memory per cell of the input while a report directory is rendered (the files are streamed
/// to disk; the evaluation, the report model and the document's tables stay): measured peak
/// RSS at 100,000 zones × 53 columns is about 170 bytes a cell; 240 leaves room.
pub const REPORT_BYTES_PER_CELL: u64 = 240;

/// Memory per byte of a file while it is read: the bytes, the decoded text and the cells.
pub const BYTES_PER_FILE_BYTE: u64 = 4;

/// The environment variable that sets the most cells a table may have.
pub const MAX_CELLS_VAR: &str = "ZONEVAL_MAX_CELLS";

/// Memory available to this process, from `/proc/meminfo` (`MemAvailable`), in bytes.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// The most cells a table may have: `ZONEVAL_MAX_CELLS`, else the available memory divided
/// by [`BYTES_PER_CELL`], else no limit. A `ZONEVAL_MAX_CELLS` that is not a whole number
/// is a usage error.
pub fn max_cells() -> Result<u64> {
    match std::env::var(MAX_CELLS_VAR) {
        Ok(v) => v.trim().parse::<u64>().map_err(|_| {
            Error::usage(text!(
                "{MAX_CELLS_VAR} must be a whole number of cells (found `{v}`)",
                "{MAX_CELLS_VAR} 应为整数个单元格（实际为 `{v}`）"
            ))
        }),
        Err(_) => Ok(available_memory().map_or(u64::MAX, |m| m / BYTES_PER_CELL)),
    }
}

/// The error for a table with more than `limit` cells, at `location`.
pub fn too_many_cells(location: Location, limit: u64) -> Error {
    Error::input(
        Some(location),
        text!(
            "more than {limit} cells: too large to read into memory (the limit follows the available memory; {MAX_CELLS_VAR} sets it)",
            "超过 {limit} 个单元格：数据过大，无法读入内存（上限取决于可用内存，可用 {MAX_CELLS_VAR} 设置）"
        ),
    )
}

/// Memory per byte of a saved results.json while it is read back (a JSON value: numbers,
/// strings and maps as tree nodes, then the report model).
pub const JSON_BYTES_PER_FILE_BYTE: u64 = 16;

/// Refuses a file of `size` bytes that could not be read into the memory available.
pub fn check_file_size(name: &str, size: u64) -> Result<()> {
    check_size(name, size, BYTES_PER_FILE_BYTE)
}

/// Refuses a results.json of `size` bytes that could not be read back into the memory
/// available, before it is read.
pub fn check_json_size(name: &str, size: u64) -> Result<()> {
    check_size(name, size, JSON_BYTES_PER_FILE_BYTE)
}

/// Below this need the available memory is not looked up (reading `/proc/meminfo` cost more
/// than loading a small system file): no machine zoneval runs on lacks it.
const SMALL_NEED: u64 = 16 << 20;

fn check_size(name: &str, size: u64, per_byte: u64) -> Result<()> {
    let need = size.saturating_mul(per_byte);
    if need < SMALL_NEED {
        return Ok(());
    }
    let Some(avail) = available_memory() else {
        return Ok(());
    };
    if need > avail {
        let (s, n, a) = (mib(size), mib(need), mib(avail));
        return Err(Error::input(
            Some(Location::file(&Arc::from(name))),
            text!(
                "the file is {s} MiB; reading it needs about {n} MiB of memory but {a} MiB is available",
                "文件大小为 {s} MiB，读取约需 {n} MiB 内存，而可用内存仅 {a} MiB"
            ),
        ));
    }
    Ok(())
}

/// Refuses a compressed file (an `.xlsx`) whose parts expand to `expanded` bytes that could
/// not be held in the memory available (calamine reads the shared strings whole).
pub fn check_expanded_size(name: &Arc<str>, expanded: u64) -> Result<()> {
    let Some(avail) = available_memory() else {
        return Ok(());
    };
    let need = expanded.saturating_mul(BYTES_PER_FILE_BYTE);
    if need > avail {
        let (s, n, a) = (mib(expanded), mib(need), mib(avail));
        return Err(Error::input(
            Some(Location::file(name)),
            text!(
                "the workbook expands to {s} MiB; reading it needs about {n} MiB of memory but {a} MiB is available",
                "工作簿解压后为 {s} MiB，读取约需 {n} MiB 内存，而可用内存仅 {a} MiB"
            ),
        ));
    }
    Ok(())
}

/// Refuses a report directory for a table of `cells` cells that could not be rendered in the
/// memory available (`avail` bytes; None: no limit), before anything is written.
pub fn check_report_size(cells: u64, avail: Option<u64>) -> Result<()> {
    let Some(avail) = avail else {
        return Ok(());
    };
    let need = cells.saturating_mul(REPORT_BYTES_PER_CELL);
    if need > avail {
        let (n, a) = (mib(need), mib(avail));
        return Err(Error::input(
            None,
            text!(
                "a report for {cells} data cells needs about {n} MiB of memory but {a} MiB is available; write the results alone with --format csv or json and --out",
                "为 {cells} 个数据单元格生成报告约需 {n} MiB 内存，而可用内存仅 {a} MiB；请改用 --format csv 或 json 并以 --out 仅输出结果"
            ),
        ));
    }
    Ok(())
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_meminfo_and_refuses_huge_files() {
        if let Some(m) = available_memory() {
            assert!(m > 0);
            assert!(check_file_size("big.csv", m).is_err());
            assert!(check_file_size("small.csv", 1000).is_ok());
        }
    }

    /// The report guard follows the about 170 bytes a cell measured on a streamed
    /// 100,000-zone report: 5.3 M cells pass with 2 GiB available and are refused with 1 GiB,
    /// naming both amounts.
    #[test]
    fn refuses_a_report_beyond_memory() {
        let cells = 100_000 * 53;
        assert!(check_report_size(cells, Some(2 << 30)).is_ok());
        assert!(check_report_size(cells, None).is_ok());
        let e = check_report_size(cells, Some(1 << 30)).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("1214 MiB") && msg.contains("1024 MiB"),
            "{msg}"
        );
    }
}
