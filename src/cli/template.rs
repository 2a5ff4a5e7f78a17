//! `zoneval template`: an Excel workbook for collecting a system's data — one column per
//! column the system reads, headed as the system names it (so a filled template evaluates as
//! it is), each header with a note giving the indicator's name, unit and direction; numbers
//! checked by data validation; and a sheet of notes defining every indicator.
//!
//! Units and directions are in the header notes and the notes sheet rather than in a second
//! header row, so the data sheet has exactly one header row and a filled template is read like
//! any other data file.

use std::path::PathBuf;

use clap::Args;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Note, Workbook, Worksheet, XlsxError,
};

use super::Outcome;
use zoneval_core::bundled::Source;
use zoneval_core::error::{Error, Lang, Result};
use zoneval_core::method::Direction;
use zoneval_core::system::{IndicatorSystem, ValueSource};
use zoneval_core::text;

/// Arguments of `template`.
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// Indicator system file (TOML), or the id of a bundled system.
    #[arg(long, short = 's', value_name = "FILE")]
    pub system: Option<PathBuf>,
    /// The workbook to write (default: `<system id>-template.xlsx` in the current directory).
    /// An existing file is replaced atomically; an input file never is.
    #[arg(long, short = 'o', value_name = "FILE.xlsx")]
    pub out: Option<PathBuf>,
}

/// One column of the template.
struct Column {
    /// The header: the name the system reads.
    header: String,
    /// What goes in it (the header's note).
    note: String,
    /// Numbers (validated) or text.
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Year,
    Number,
}

/// Runs `template`.
pub fn run(args: &TemplateArgs, lang: Lang) -> Result<Outcome> {
    let path = args
        .system
        .clone()
        .unwrap_or_else(|| PathBuf::from(zoneval_core::bundled::DEFAULT_SYSTEM));
    let sys = zoneval_core::system::load_file(&path)?;
    super::protect(&Source::system(&path));
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-template.xlsx", file_stem(&sys.id))));
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        let o = out.display().to_string();
        return Err(Error::usage(text!(
            "--out {o}: the template is an Excel workbook; name it *.xlsx",
            "--out {o}：模板为 Excel 工作簿，文件名应以 .xlsx 结尾"
        )));
    }
    let bytes = workbook(&sys, lang).map_err(|e| {
        let e = e.to_string();
        Error::failure(text!(
            "cannot build the workbook: {e}",
            "无法生成工作簿：{e}"
        ))
    })?;
    let follow = super::FOLLOW_SYMLINKS.load(std::sync::atomic::Ordering::Relaxed);
    super::write_atomic(&out, &bytes, follow)?;
    let o = out.display().to_string();
    let n = columns(&sys, lang).len();
    // What was written goes to stderr: stdout carries requested output only.
    match lang {
        Lang::En => eprintln!("wrote {o}: {n} columns to fill, one row per zone"),
        Lang::Zh => eprintln!("已写入 {o}：共 {n} 列待填写，每个开发区一行"),
    }
    Ok(Outcome {
        stdout: String::new(),
        warnings: Vec::new(),
    })
}

/// A file-name-safe form of the system id.
fn file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "system".into() } else { s }
}

fn tr(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

/// A direction in words.
fn direction(d: Direction, lang: Lang) -> String {
    match (d, lang) {
        (Direction::Benefit, Lang::En) => "benefit (higher is better)".into(),
        (Direction::Benefit, Lang::Zh) => "正向（越大越好）".into(),
        (Direction::Cost, Lang::En) => "cost (lower is better)".into(),
        (Direction::Cost, Lang::Zh) => "逆向（越小越好）".into(),
        (Direction::Target(t), Lang::En) => format!("target {t} (closest is best)"),
        (Direction::Target(t), Lang::Zh) => format!("适度（越接近 {t} 越好）"),
        (Direction::Range(a, b), Lang::En) => format!("range [{a}, {b}] (inside is best)"),
        (Direction::Range(a, b), Lang::Zh) => format!("区间（在 [{a}, {b}] 内最好）"),
    }
}

/// The columns the system reads, in order: id, name, year, group columns, raw columns.
fn columns(sys: &IndicatorSystem, lang: Lang) -> Vec<Column> {
    let d = &sys.data;
    let mut out = vec![
        Column {
            header: d.id_column.clone(),
            note: tr(
                lang,
                "Zone id: unique, one row per zone (and year).",
                "开发区代码：唯一，每个开发区（每年）一行。",
            ),
            kind: Kind::Text,
        },
        Column {
            header: d.name_column.clone(),
            note: tr(lang, "Zone name.", "开发区名称。"),
            kind: Kind::Text,
        },
        Column {
            header: d.year_column.clone(),
            note: tr(
                lang,
                "Year of the statistics (a whole number). Optional: leave the column out for a single year.",
                "统计年份（整数）。可选：只有一年的数据时可删除此列。",
            ),
            kind: Kind::Year,
        },
    ];
    for g in sys.text_columns_needed() {
        if out.iter().any(|c| c.header == g) {
            continue;
        }
        out.push(Column {
            note: match lang {
                Lang::En => {
                    format!("Group of the zone ({g}): text; zones are also ranked within it.")
                }
                Lang::Zh => format!("开发区所属分组（{g}）：文本；也在组内排名。"),
            },
            header: g,
            kind: Kind::Text,
        });
    }
    for c in sys.columns_needed() {
        if out.iter().any(|x| x.header == c) {
            continue;
        }
        let mut lines = Vec::new();
        for i in &sys.indicators {
            match &i.source {
                ValueSource::Column(col) if *col == c => {
                    let unit = i.unit.clone().unwrap_or_default();
                    let dir = direction(i.direction, lang);
                    let name = i.display_name(lang);
                    lines.push(match lang {
                        Lang::En => format!("{name}; unit: {unit}; {dir}"),
                        Lang::Zh => format!("{name}；单位：{unit}；{dir}"),
                    });
                }
                ValueSource::Formula(f) if f.vars.contains(&c) => {
                    let (name, text) = (i.display_name(lang), &f.text);
                    lines.push(match lang {
                        Lang::En => format!("used by {name} = {text}"),
                        Lang::Zh => format!("用于计算 {name} = {text}"),
                    });
                }
                _ => {}
            }
        }
        for g in &sys.gates {
            for cond in &g.conditions {
                let reads = match &cond.source {
                    ValueSource::Column(col) => *col == c,
                    ValueSource::Formula(f) => f.vars.contains(&c),
                };
                if reads {
                    let name = match (lang, &g.name_en) {
                        (Lang::En, Some(n)) => n.as_str(),
                        _ => g.name.as_str(),
                    };
                    lines.push(match lang {
                        Lang::En => format!("checked by the gate {name}"),
                        Lang::Zh => format!("用于门槛条件 {name}"),
                    });
                }
            }
        }
        lines.dedup();
        lines.push(tr(
            lang,
            "A number; leave empty when not known.",
            "填数值；未知时留空。",
        ));
        out.push(Column {
            header: c,
            note: lines.join("\n"),
            kind: Kind::Number,
        });
    }
    out
}

/// The template workbook's bytes.
fn workbook(sys: &IndicatorSystem, lang: Lang) -> std::result::Result<Vec<u8>, XlsxError> {
    let cols = columns(sys, lang);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let data = wb.add_worksheet();
    data.set_name(tr(lang, "data", "数据"))?;
    let number = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e300, 1e300))
        .set_error_title(tr(lang, "Not a number", "不是数值"))?
        .set_error_message(tr(
            lang,
            "This column takes a number (no units, no thousands separators).",
            "此列只能填数值（不带单位、不用千位分隔符）。",
        ))?;
    let year = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1900, 2200))
        .set_error_title(tr(lang, "Not a year", "不是年份"))?
        .set_error_message(tr(lang, "A year such as 2024.", "应为年份，如 2024。"))?;
    const LAST_ROW: u32 = 1_048_575;
    for (j, c) in cols.iter().enumerate() {
        let j = j as u16;
        data.write_string_with_format(0, j, &c.header, &bold)?;
        data.insert_note(
            0,
            j,
            &Note::new(&c.note)
                .add_author_prefix(false)
                .set_width(320)
                .set_height(140),
        )?;
        let width = c.header.chars().count().clamp(10, 40) as f64 + 2.0;
        data.set_column_width(j, width)?;
        match c.kind {
            Kind::Number => {
                data.add_data_validation(1, j, LAST_ROW, j, &number)?;
            }
            Kind::Year => {
                data.add_data_validation(1, j, LAST_ROW, j, &year)?;
            }
            Kind::Text => {}
        }
    }
    data.set_freeze_panes(1, 0)?;
    notes_sheet(wb.add_worksheet(), sys, lang, &bold)?;
    wb.save_to_buffer()
}

/// The notes sheet: one row per indicator with its definition.
fn notes_sheet(
    ws: &mut Worksheet,
    sys: &IndicatorSystem,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(tr(lang, "notes", "说明"))?;
    let title = match lang {
        Lang::En => format!(
            "{}: fill the sheet `data`, one row per zone; headers must stay as they are.",
            sys.display_name(lang)
        ),
        Lang::Zh => format!(
            "{}：请填写“数据”工作表，每个开发区一行；表头请勿修改。",
            sys.display_name(lang)
        ),
    };
    ws.write_string_with_format(0, 0, &title, bold)?;
    let head = [
        tr(lang, "indicator id", "指标代码"),
        tr(lang, "name", "名称"),
        tr(lang, "criterion", "所属准则"),
        tr(lang, "unit", "单位"),
        tr(lang, "direction", "方向"),
        tr(lang, "data column / formula", "数据列 / 计算公式"),
    ];
    for (j, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, j as u16, h, bold)?;
    }
    for (k, i) in sys.indicators.iter().enumerate() {
        let row = 3 + k as u32;
        let mut path = Vec::new();
        let mut n = sys.nodes[i.node].parent;
        while let Some(p) = n {
            if sys.nodes[p].parent.is_some() {
                let node = &sys.nodes[p];
                path.push(match (lang, &node.name_en) {
                    (Lang::En, Some(e)) => e.clone(),
                    _ => node.name.clone(),
                });
            }
            n = sys.nodes[p].parent;
        }
        path.reverse();
        let source = match &i.source {
            ValueSource::Column(c) => c.clone(),
            ValueSource::Formula(f) => format!("= {}", f.text),
        };
        let cells = [
            i.id.clone(),
            i.display_name(lang).to_string(),
            path.join(" › "),
            i.unit.clone().unwrap_or_default(),
            direction(i.direction, lang),
            source,
        ];
        for (j, v) in cells.iter().enumerate() {
            ws.write_string(row, j as u16, v)?;
        }
    }
    for (j, w) in [24.0, 30.0, 24.0, 12.0, 24.0, 50.0].iter().enumerate() {
        ws.set_column_width(j as u16, *w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("mofcom-etdz-2021"), "mofcom-etdz-2021");
        assert_eq!(file_stem("../x y"), "___x_y");
        assert_eq!(file_stem(""), "system");
    }

    #[test]
    fn the_columns_of_a_bundled_system_start_with_id_name_year() {
        let sys = zoneval_core::system::load_file(Path::new("shandong-provincial")).unwrap();
        let cols = columns(&sys, Lang::En);
        let heads: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(&heads[..3], &["zone_id", "zone_name", "year"]);
        // Every column the system reads is there, once.
        for c in sys
            .columns_needed()
            .iter()
            .chain(&sys.text_columns_needed())
        {
            assert_eq!(heads.iter().filter(|h| **h == c).count(), 1, "{c}");
        }
    }
}
