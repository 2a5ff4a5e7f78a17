//! The terminal table, aligned by display width so Chinese names (two columns per
//! character) line up; its columns are also the Markdown ranking's.

use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::model::ReportModel;
use crate::text::{num, tr};
use zoneval_core::error::Lang;

/// Pads `s` to `width` display columns (numbers right-aligned).
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Lays out `header` and `rows` with two spaces between columns, for a terminal: control and
/// invisible format characters in a cell are shown as escapes ([`escape::terminal_cell`]).
pub fn layout(header: &[String], rows: &[Vec<String>]) -> String {
    let clean = |r: &[String]| -> Vec<String> {
        r.iter()
            .map(|c| escape::terminal_cell(c).into_owned())
            .collect()
    };
    let header = clean(header);
    let rows: Vec<Vec<String>> = rows.iter().map(|r| clean(r)).collect();
    let (header, rows) = (&header, &rows);
    let n = header.len();
    let widths: Vec<usize> = (0..n)
        .map(|j| {
            rows.iter()
                .map(|r| r[j].width())
                .chain([header[j].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = (0..n)
        .map(|j| {
            rows.iter()
                .all(|r| r[j].is_empty() || r[j] == "—" || r[j].parse::<f64>().is_ok())
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let s: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(j, c)| pad(c, widths[j], numeric[j]))
            .collect();
        out.push_str(s.join("  ").trim_end());
        out.push('\n');
    };
    line(header, &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    for r in rows {
        line(r, &mut out);
    }
    out
}

/// The columns of the ranking shared by the terminal table and Markdown: header and one row
/// of cells per zone (a missing number is an empty cell), with the criterion scores.
pub fn columns(model: &ReportModel, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    columns_with(model, lang, true)
}

/// Why a zone was vetoed, short: the names of the gates it failed.
fn veto_reason(model: &ReportModel, z: &crate::model::ZoneRow, lang: Lang) -> String {
    let _ = model;
    let mut gates: Vec<&str> = Vec::new();
    for r in &z.veto_reasons {
        if !gates.contains(&r.name.as_str()) {
            gates.push(&r.name);
        }
    }
    let veto = tr(lang, "veto", "否决");
    if gates.is_empty() {
        veto.to_string()
    } else {
        let sep = tr(lang, ": ", "：");
        format!("{veto}{sep}{}", gates.join(tr(lang, ", ", "、")))
    }
}

/// [`columns`]; the criterion scores only when `wide` (the terminal's default leaves them
/// out so the table fits 120 columns).
pub fn columns_with(
    model: &ReportModel,
    lang: Lang,
    wide: bool,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = vec![
        tr(lang, "Rank", "排名").into(),
        tr(lang, "Zone", "开发区").into(),
        tr(lang, "Score", "得分").into(),
    ];
    if wide {
        header.push(tr(lang, "Value", "方法值").into());
    }
    // Against the previous evaluated year of a panel: the score change only when the years
    // share one scale (pooled or base-year goalposts), the rank change always.
    let prev = model
        .panel
        .as_ref()
        .and_then(|p| p.previous.map(|y| (y, p.comparable)));
    if let Some((y, comparable)) = prev {
        if comparable {
            header.push(if wide {
                format!("{} {y}", tr(lang, "Δ score vs", "得分变化 较"))
            } else {
                // The year is on the panel line above the table.
                tr(lang, "Δ score", "得分变化").to_string()
            });
        }
        header.push(if wide {
            format!("{} {y}", tr(lang, "Δ rank vs", "名次变化 较"))
        } else {
            tr(lang, "Δ rank", "名次变化").to_string()
        });
    }
    let has_grades = !model.grades.is_empty();
    if has_grades {
        header.push(tr(lang, "Grade", "等级").into());
    }
    for g in &model.group_columns {
        if wide {
            header.push(g.clone());
            header.push(format!("{g} {}", tr(lang, "rank", "排名")));
        } else {
            // The group and the rank in it, in one column (`鲁东 #3`).
            header.push(format!("{g} ({})", tr(lang, "rank", "排名")));
        }
    }
    let top = if wide {
        model.top_criteria()
    } else {
        Vec::new()
    };
    for &c in &top {
        header.push(model.nodes[model.criteria[c]].named.get(lang).to_string());
    }
    let flags = model.zones.iter().any(|z| z.vetoed || z.watch);
    if flags {
        header.push(tr(lang, "Flags", "标记").into());
    }
    let rows = model
        .zones
        .iter()
        .map(|z| {
            let mut row = vec![
                z.rank.map_or_else(|| "—".to_string(), |k| k.to_string()),
                if wide {
                    z.name.clone()
                } else {
                    shorten(&z.name, 24)
                },
                num(z.score, 2, ""),
            ];
            if wide {
                row.push(num(z.value, 4, ""));
            }
            if let Some((_, comparable)) = prev {
                let absent = || tr(lang, "absent", "缺失").to_string();
                let t = z.trend.as_ref();
                let was_there = z.history.len() > 1;
                if comparable {
                    row.push(match t.and_then(|t| t.score_change) {
                        Some(d) => format!("{d:+.2}"),
                        None if was_there => String::new(),
                        None => absent(),
                    });
                }
                row.push(
                    match crate::text::rank_change(t.and_then(|t| t.rank_change)) {
                        Some(c) => c,
                        None if was_there => String::new(),
                        None => absent(),
                    },
                );
            }
            if has_grades {
                row.push(model.grade_name(z, lang));
            }
            for g in &z.groups {
                if wide {
                    row.push(g.group.clone());
                    row.push(g.rank.map_or_else(String::new, |k| k.to_string()));
                } else {
                    row.push(match g.rank {
                        Some(k) => format!("{} #{k}", shorten(&g.group, 16)),
                        None => shorten(&g.group, 20),
                    });
                }
            }
            for &c in &top {
                row.push(num(z.criteria[c], 1, ""));
            }
            if flags {
                let mut f = Vec::new();
                if z.vetoed {
                    let r = veto_reason(model, z, lang);
                    f.push(if wide { r } else { shorten(&r, 16) });
                }
                if z.watch {
                    f.push(tr(lang, "watch", "警示").to_string());
                }
                row.push(f.join(" "));
            }
            row
        })
        .collect();
    (header, rows)
}

/// `s` cut to at most `max` display columns, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Title line, method line and the ranking without criterion scores (fits 120 columns for
/// the usual names), with a line saying how to show them.
pub fn render(model: &ReportModel, lang: Lang) -> String {
    let mut out = render_with(model, lang, false);
    if !model.top_criteria().is_empty() {
        out.push_str(tr(
            lang,
            "\n(method values, criterion scores, full veto reasons: --wide; every column: --format csv)\n",
            "\n（方法值、各准则得分、完整否决原因：加 --wide；全部列：--format csv）\n",
        ));
    }
    out
}

/// Title line, method line and the ranking with every column, criterion scores included.
pub fn render_wide(model: &ReportModel, lang: Lang) -> String {
    render_with(model, lang, true)
}

fn render_with(model: &ReportModel, lang: Lang, wide: bool) -> String {
    let m = &model.method;
    let year = model.year.map(|y| format!(" {y}")).unwrap_or_default();
    let mut out = String::new();
    if model.synthetic {
        out.push_str(&format!("!! {} !!\n", crate::text::synthetic_label(lang)));
    }
    out.push_str(&format!("{}{year}\n", model.system.get(lang)));
    let norm = m.normalization.as_deref().map_or_else(
        || tr(lang, "intrinsic", "方法自带").to_string(),
        |n| crate::text::method_name(lang, n),
    );
    out.push_str(&format!(
        "{}: {norm} · {} · {}   ({} {})\n\n",
        tr(lang, "Method", "方法"),
        crate::text::method_name(lang, model.weighting_name()),
        crate::text::method_name(lang, &m.aggregation_name),
        model.zones.len(),
        tr(lang, "zones", "个开发区"),
    ));
    if let Some(line) = crate::text::scope_summary(model, lang) {
        out.push_str(&line);
        out.push_str(tr(
            lang,
            " (listed in --format json and the report)\n\n",
            "（名单见 --format json 与报告）\n\n",
        ));
    }
    if let Some(p) = &model.panel {
        out.push_str(&panel_line(model, p, lang));
    }
    let (header, rows) = columns_with(model, lang, wide);
    out.push_str(&layout(&header, &rows));
    out
}

/// The years evaluated, whether their scores compare, and the size of each rule's list.
fn panel_line(model: &ReportModel, p: &crate::model::PanelSection, lang: Lang) -> String {
    let years = match (p.years.first(), p.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let scale = match (p.goalposts.as_str(), p.base_year) {
        ("pooled", _) => tr(
            lang,
            "pooled goalposts: scores compare across years",
            "合并标准化：得分跨年可比",
        )
        .to_string(),
        (_, Some(b)) => match lang {
            Lang::En => format!("base-year goalposts ({b}): scores compare across years"),
            Lang::Zh => format!("基年标准化（{b}）：得分跨年可比"),
        },
        _ => tr(
            lang,
            "per-year goalposts: scores do not compare across years, only ranks",
            "逐年标准化：得分跨年不可比，仅名次可比",
        )
        .to_string(),
    };
    let mut out = format!("{} {years} · {scale}\n", tr(lang, "Years", "年份"));
    for r in &p.rules {
        let n = r.zones.len();
        let _ = model;
        out.push_str(&match lang {
            Lang::En => format!(
                "Rule {}: {n} zone(s) (see --format json or the report)\n",
                shorten(r.named.get(lang), 64)
            ),
            Lang::Zh => format!(
                "规则 {}：{n} 个开发区（详见 JSON 或报告）\n",
                shorten(r.named.get(lang), 64)
            ),
        });
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width() {
        let header = vec!["Zone".to_string(), "Score".to_string()];
        let rows = vec![
            vec!["济南高新区".to_string(), "9.5".to_string()],
            vec!["ab".to_string(), "10.25".to_string()],
        ];
        let s = layout(&header, &rows);
        let lines: Vec<&str> = s.lines().collect();
        // "济南高新区" is 10 columns wide; every line's score column ends at the same width.
        assert_eq!(lines[2].width(), lines[3].width());
        assert!(lines[2].ends_with("  9.5"));
    }
}
