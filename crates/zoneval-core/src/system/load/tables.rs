//! `[[tables]]` (lookup tables), `[[grades]]` and `[report]`.

use super::*;

pub(super) const GRADE_KEYS: &[&str] = &["name", "name_en", "min", "description"];
pub(super) const TABLE_KEYS: &[&str] = &["id", "by", "rows", "default", "description", "source"];
pub(super) const REPORT_KEYS: &[&str] = &["watch_bottom", "watch_within"];

pub(super) fn read_tables(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<LookupTable> {
    let mut out = Vec::new();
    for (t, loc) in r.tables(doc, "tables") {
        r.check_keys(
            t,
            &Keys {
                table: "[[tables]]",
                allowed: TABLE_KEYS,
            },
        );
        r.string(t, "description");
        r.string(t, "source");
        let Some((id, _)) = r.required_string(t, "id", &loc, "[[tables]]") else {
            continue;
        };
        let by = r.strings(t, "by").unwrap_or_default();
        if by.is_empty() {
            r.error(
                loc.clone(),
                text!(
                    "table `{id}` needs `by = [\"column\", …]`",
                    "表 `{id}` 需要 `by = [\"列名\", …]`"
                ),
            );
            continue;
        }
        let default = r.number(t, "default").map(|x| x.0);
        let mut rows = Vec::new();
        if let Some(v) = r.raw(t, "rows")
            && let DeValue::Array(a) = v.get_ref()
        {
            for row in a.iter() {
                let l = r.loc(row);
                let DeValue::Array(cells) = row.get_ref() else {
                    r.error(
                        l,
                        text!(
                            "each row of `{id}` must be an array",
                            "表 `{id}` 的每一行必须为数组"
                        ),
                    );
                    continue;
                };
                let n = by.len();
                let key: Option<Vec<String>> = cells
                    .iter()
                    .take(n)
                    .map(|c| match c.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        other => toml_read::number_of(other).map(|x| x.to_string()),
                    })
                    .collect();
                let value = cells.get(n).and_then(|c| toml_read::number_of(c.get_ref()));
                match (key, value) {
                    (Some(k), Some(_)) if rows.iter().any(|(seen, _)| *seen == k) => {
                        let shown = k.join(", ");
                        r.error(
                            l,
                            text!(
                                "table `{id}` has the key ({shown}) twice: which value applies would be a guess",
                                "表 `{id}` 中键（{shown}）重复出现：无法确定应取哪个值"
                            ),
                        );
                    }
                    (Some(k), Some(v)) if cells.len() == n + 1 && k.len() == n => rows.push((k, v)),
                    _ => {
                        let m = n + 1;
                        r.error(l, text!("each row of `{id}` must hold {n} key(s) and one number ({m} elements)", "表 `{id}` 的每一行应含 {n} 个键和 1 个数值（共 {m} 个元素）"));
                    }
                }
            }
        } else {
            r.error(
                loc.clone(),
                text!(
                    "table `{id}` needs `rows = [[…], …]`",
                    "表 `{id}` 需要 `rows = [[…], …]`"
                ),
            );
        }
        out.push(LookupTable {
            id,
            by,
            rows,
            default,
            location: loc,
        });
    }
    out
}

pub(super) fn read_grades(r: &mut Reader<'_>, doc: &DeTable<'_>, scale: f64) -> Vec<Grade> {
    let mut grades = Vec::new();
    for (t, loc) in r.tables(doc, "grades") {
        r.check_keys(
            t,
            &Keys {
                table: "[[grades]]",
                allowed: GRADE_KEYS,
            },
        );
        r.string(t, "description");
        let name = r
            .required_string(t, "name", &loc, "[[grades]]")
            .map(|s| s.0);
        let min = match r.number(t, "min") {
            Some((m, l)) if !(0.0..=scale).contains(&m) => {
                r.error(
                    l,
                    text!(
                        "grade minimum {m} is outside 0..{scale}",
                        "等级下限 {m} 超出 0..{scale}"
                    ),
                );
                None
            }
            Some((m, _)) => Some(m),
            None => {
                r.error(
                    loc.clone(),
                    text!("[[grades]] needs `min`", "[[grades]] 缺少 `min`"),
                );
                None
            }
        };
        if let (Some(name), Some(min)) = (name, min) {
            if let Some(g) = grades.iter().find(|g: &&Grade| g.min == min) {
                let other = &g.name;
                r.error(
                    loc,
                    text!(
                        "grades `{other}` and `{name}` have the same minimum {min}",
                        "等级 `{other}` 与 `{name}` 的下限相同（{min}）"
                    ),
                );
                continue;
            }
            grades.push(Grade {
                name,
                name_en: r.string(t, "name_en").map(|s| s.0),
                min,
            });
        }
    }
    grades.sort_by(|a, b| b.min.total_cmp(&a.min));
    grades
}

pub(super) fn read_report(r: &mut Reader<'_>, doc: &DeTable<'_>) -> ReportSection {
    let Some((t, _)) = r.table(doc, "report") else {
        return ReportSection::default();
    };
    r.check_keys(
        t,
        &Keys {
            table: "[report]",
            allowed: REPORT_KEYS,
        },
    );
    let watch_bottom = match r.number(t, "watch_bottom") {
        Some((x, _)) if x >= 1.0 && x.fract() == 0.0 => Some(x as usize),
        Some((x, l)) => {
            r.error(
                l,
                text!(
                    "`watch_bottom` must be a positive whole number (found {x})",
                    "`watch_bottom` 必须为正整数（实际为 {x}）"
                ),
            );
            None
        }
        None => None,
    };
    ReportSection {
        watch_bottom,
        watch_within: r.string(t, "watch_within").map(|s| s.0),
    }
}
