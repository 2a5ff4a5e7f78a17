//! CSV decoding (UTF-8, UTF-8 with BOM, GBK) and splitting into fields.
//!
//! The `csv` crate tolerates an unterminated quote (it reads to the end of the file), so a
//! quote-balance scan runs first and names the line where the open quote started.

use std::sync::Arc;

use super::{Encoding, Grid};
use crate::error::{Error, Location, Problem, Result};
use crate::text;

/// Decodes and splits `bytes` into a header and rows.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8], encoding: Encoding) -> Result<Grid> {
    let (text, warning) = decode(file, bytes, encoding)?;
    let mut warnings = Vec::new();
    if let Some(w) = warning {
        warnings.push(w);
    }
    if text.trim().is_empty() {
        return Err(Error::input(
            Some(Location::file(file)),
            text!("the file is empty", "文件为空"),
        ));
    }
    check_quotes(file, &text)?;
    let max_cells = super::limits::max_cells()?;
    let mut cells = 0u64;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let mut header: Option<(u32, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for rec in records.by_ref() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as u32);
            let msg = e.to_string();
            Error::input(
                Some(Location::new(file, line, 0)),
                text!("malformed CSV: {msg}", "CSV 格式错误：{msg}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| p.line() as u32);
        // Skip lines that are entirely empty (csv yields a single empty field).
        if rec.len() == 1 && rec[0].trim().is_empty() {
            continue;
        }
        cells += rec.len() as u64;
        if cells > max_cells {
            return Err(super::limits::too_many_cells(
                Location::new(file, line, 0),
                max_cells,
            ));
        }
        match &header {
            None => header = Some((line, rec.iter().map(str::to_string).collect::<Vec<_>>())),
            Some((_, h)) => {
                if rec.len() != h.len() {
                    let (got, want) = (rec.len(), h.len());
                    problems.push(Problem::at(
                        Some(Location::new(file, line, 0)),
                        text!(
                            "ragged row: {got} fields, but the header has {want}",
                            "行字段数不一致：本行 {got} 个字段，表头有 {want} 个"
                        ),
                    ));
                    if problems.len() >= 20 {
                        break;
                    }
                    continue;
                }
                rows.push((line, rec));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    // Text such as `""` or `,,` is not blank but holds only empty fields: no header.
    let Some((header_line, headers)) = header else {
        return Err(Error::input(
            Some(Location::file(file)),
            text!(
                "the file has no header: every line is empty",
                "文件没有表头：所有行均为空"
            ),
        ));
    };
    let headers = headers.into_iter().map(|h| h.trim().to_string()).collect();
    Ok(Grid {
        headers,
        rows,
        header_line,
        col_offset: 0,
        sheet: None,
        warnings,
    })
}

/// Decodes per `encoding`; `Auto` tries UTF-8, then GBK (with a warning).
fn decode(file: &Arc<str>, bytes: &[u8], encoding: Encoding) -> Result<(String, Option<Problem>)> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = |body: &[u8]| match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(e.valid_up_to()),
    };
    match encoding {
        Encoding::Utf8 => utf8(body)
            .map(|s| (s, None))
            .map_err(|at| bad_bytes(file, body, at, "UTF-8")),
        Encoding::Gbk => decode_gbk(body)
            .map(|s| (s, None))
            .map_err(|at| bad_bytes(file, body, at, "GBK")),
        Encoding::Auto => match utf8(body) {
            Ok(s) => Ok((s, None)),
            Err(at_utf8) if (bom || has_utf8_text(body)) && line_is_gbk(body, at_utf8) => {
                Err(mixed(file, body, at_utf8))
            }
            Err(at_utf8) => match decode_gbk(body) {
                Ok(s) => Ok((
                    s,
                    Some(Problem::at(
                        Some(Location::file(file)),
                        text!(
                            "not UTF-8; read as GBK (pass --encoding gbk to say so and silence this warning)",
                            "文件不是 UTF-8 编码，已按 GBK 读取（可用 --encoding gbk 明确指定）"
                        ),
                    )),
                )),
                Err(_) => Err(bad_bytes(file, body, at_utf8, "UTF-8 or GBK")),
            },
        },
    }
}

/// Whether some line of `body` is valid UTF-8 holding non-ASCII text: evidence that the
/// file is UTF-8 (a GBK line of Chinese text is almost never valid UTF-8 as well).
fn has_utf8_text(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n')
        .any(|line| !line.is_ascii() && std::str::from_utf8(line).is_ok())
}

/// Whether the line holding byte `at` is valid GBK on its own (then a UTF-8 file with that
/// line mixes encodings; otherwise the bytes are valid in neither).
fn line_is_gbk(body: &[u8], at: usize) -> bool {
    let at = at.min(body.len());
    let start = body[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let end = body[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |p| at + p);
    decode_gbk(&body[start..end]).is_ok()
}

/// A UTF-8 file (a BOM, or lines of UTF-8 text) with bytes that are not UTF-8: never
/// re-decoded whole as GBK, which would garble every other line.
fn mixed(file: &Arc<str>, body: &[u8], at: usize) -> Error {
    let line = body[..at.min(body.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1;
    Error::input(
        Some(Location::new(file, line, 0)),
        text!(
            "this line is not valid UTF-8 while the rest of the file is UTF-8 text: the file mixes encodings (re-save it as UTF-8; if it is GBK throughout, pass --encoding gbk)",
            "该行不是有效的 UTF-8，而文件其余部分为 UTF-8 文本：文件混用了编码（请另存为 UTF-8；如整个文件为 GBK，请使用 --encoding gbk）"
        ),
    )
}

/// Decodes GBK (GB18030 superset); on malformed input returns the byte offset.
fn decode_gbk(body: &[u8]) -> std::result::Result<String, usize> {
    let mut dec = encoding_rs::GBK.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
    let (res, read) = dec.decode_to_string_without_replacement(body, &mut out, true);
    match res {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, _) => Err(read.saturating_sub(bad as usize)),
        encoding_rs::DecoderResult::OutputFull => {
            // The capacity above is always enough for GBK (≤ 3 UTF-8 bytes per 2 input bytes),
            // but stay correct if not: fall back to the allocating decoder.
            let (s, had_errors) = encoding_rs::GBK.decode_without_bom_handling(body);
            if had_errors {
                Err(0)
            } else {
                Ok(s.into_owned())
            }
        }
    }
}

fn bad_bytes(file: &Arc<str>, body: &[u8], at: usize, expected: &str) -> Error {
    let line = body[..at.min(body.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1;
    Error::input(
        Some(Location::new(file, line, 0)),
        text!(
            "bytes that are not valid {expected} text (pass --encoding utf-8|gbk if you know the encoding)",
            "存在无法按 {expected} 解码的字节（如已知编码，请使用 --encoding utf-8|gbk）"
        ),
    )
}

/// Errors when a quoted field is still open at the end of the text (RFC 4180 quoting: a
/// quote opens only at the start of a field; `""` inside a quoted field is a literal quote).
fn check_quotes(file: &Arc<str>, text: &str) -> Result<()> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = S::FieldStart;
    let mut line = 1u32;
    let mut open_line = 0;
    // Quotes, commas and newlines are ASCII, and no byte of a multi-byte UTF-8 character equals
    // one of them, so scanning bytes is exact.
    for c in text.bytes() {
        if c == b'\n' {
            line += 1;
        }
        state = match (state, c) {
            (S::FieldStart, b'"') => {
                open_line = line;
                S::Quoted
            }
            (S::FieldStart | S::Unquoted | S::QuoteInQuoted, b',' | b'\n') => S::FieldStart,
            (S::FieldStart | S::Unquoted, _) => S::Unquoted,
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (S::QuoteInQuoted, _) => S::Unquoted,
        };
    }
    if state == S::Quoted {
        return Err(Error::input(
            Some(Location::new(file, open_line, 0)),
            text!(
                "unterminated quote: a quoted field opened on this line never closes",
                "引号未闭合：本行开始的带引号字段直到文件末尾都没有结束"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<str> {
        Arc::from("t.csv")
    }

    #[test]
    fn strips_bom_and_splits() {
        let g = read(
            &file(),
            "\u{feff}zone_id,zone_name\n1,甲\n".as_bytes(),
            Encoding::Auto,
        )
        .unwrap();
        assert_eq!(g.headers, vec!["zone_id", "zone_name"]);
        assert_eq!(g.rows.len(), 1);
        assert_eq!(
            (g.rows[0].0, &g.rows[0].1[0], &g.rows[0].1[1]),
            (2, "1", "甲")
        );
    }

    #[test]
    fn a_utf8_file_with_one_gbk_line_is_an_error_naming_the_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("2,烟台开发区\n");
        let mut bytes = "zone_id,zone_name\n1,济南高新区\n".as_bytes().to_vec();
        bytes.extend_from_slice(&gbk);
        let e = read(&file(), &bytes, Encoding::Auto)
            .unwrap_err()
            .to_string();
        assert!(e.contains(":3:") && e.contains("mixes encodings"), "{e}");
        // A BOM says UTF-8 even when every line is ASCII but one.
        let mut bom = b"\xEF\xBB\xBFzone_id,zone_name\n1,a\n".to_vec();
        bom.extend_from_slice(&gbk);
        let e = read(&file(), &bom, Encoding::Auto).unwrap_err().to_string();
        assert!(e.contains("mixes encodings"), "{e}");
    }

    #[test]
    fn detects_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode("zone_id,zone_name\n1,济南高新区\n");
        let g = read(&file(), &bytes, Encoding::Auto).unwrap();
        assert_eq!(&g.rows[0].1[1], "济南高新区");
        assert_eq!(g.warnings.len(), 1);
        assert!(read(&file(), &bytes, Encoding::Utf8).is_err());
        assert!(
            read(&file(), &bytes, Encoding::Gbk)
                .unwrap()
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn rejects_bytes_valid_in_neither() {
        let e = read(&file(), b"a,b\n1,\xff\xff\n", Encoding::Auto).unwrap_err();
        assert_eq!(e.problems[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn finds_unterminated_and_doubled_quotes() {
        let e = read(&file(), b"a,b\n1,\"open\n2,3\n", Encoding::Auto).unwrap_err();
        assert_eq!(e.problems[0].location.as_ref().unwrap().line, 2);
        let g = read(&file(), b"a,b\n1,\"say \"\"hi\"\", ok\"\n", Encoding::Auto).unwrap();
        assert_eq!(&g.rows[0].1[1], "say \"hi\", ok");
    }

    #[test]
    fn ragged_rows_and_empty_files() {
        let e = read(&file(), b"a,b\n1,2,3\n4,5\n", Encoding::Auto).unwrap_err();
        assert_eq!(e.problems[0].location.as_ref().unwrap().line, 2);
        assert!(read(&file(), b"", Encoding::Auto).is_err());
        assert!(read(&file(), b"\n\n", Encoding::Auto).is_err());
        // Found by fuzzing (data_reader): a lone empty quoted field panicked.
        assert!(read(&file(), b"\"\"", Encoding::Auto).is_err());
        assert!(read(&file(), b"\"\"\n \n", Encoding::Gbk).is_err());
    }
}
