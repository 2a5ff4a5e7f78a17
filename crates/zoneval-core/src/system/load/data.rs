//! `[data]`: where the zone data is, its columns, groups, missing-value and outlier rules.

use super::*;

pub(super) const DATA_KEYS: &[&str] = &[
    "path",
    "id_column",
    "name_column",
    "year_column",
    "groups",
    "missing",
    "na",
    "encoding",
    "sheet",
    "columns",
];

pub(super) fn read_data(r: &mut Reader<'_>, doc: &DeTable<'_>, base: Option<&Path>) -> DataSection {
    let mut d = DataSection {
        path: None,
        id_column: "zone_id".into(),
        name_column: "zone_name".into(),
        year_column: "year".into(),
        groups: Vec::new(),
        missing: MissingPolicy::Error,
        na: Vec::new(),
        encoding: None,
        sheet: None,
        columns: Vec::new(),
    };
    let Some((t, _)) = r.table(doc, "data") else {
        return d;
    };
    r.check_keys(
        t,
        &Keys {
            table: "[data]",
            allowed: DATA_KEYS,
        },
    );
    if let Some((p, _)) = r.string(t, "path") {
        d.path = Some(match base {
            Some(b) => b.join(&p),
            None => p.into(),
        });
    }
    for (key, slot) in [
        ("id_column", &mut d.id_column),
        ("name_column", &mut d.name_column),
        ("year_column", &mut d.year_column),
    ] {
        if let Some((s, _)) = r.string(t, key) {
            *slot = s;
        }
    }
    d.groups = r.strings(t, "groups").unwrap_or_default();
    d.na = r.strings(t, "na").unwrap_or_default();
    if let Some((e, l)) = r.string(t, "encoding") {
        match e.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "gbk" | "gb18030" | "auto" => {
                d.encoding = (e != "auto").then(|| e.to_ascii_lowercase());
            }
            _ => r.problems.push(
                Problem::at(Some(l), text!("unknown encoding `{e}`", "未知的编码 `{e}`"))
                    .with_hint(crate::error::suggest(&e, &["utf-8", "gbk", "auto"])),
            ),
        }
    }
    d.sheet = r.string(t, "sheet").map(|s| s.0);
    d.columns = read_columns(r, t);
    if let Some(p) = r.method(t, "missing") {
        const KINDS: &[&str] = &["error", "mean", "median", "group-mean", "zero", "drop-zone"];
        let bad_key = p
            .entries
            .iter()
            .find(|e| !(p.kind == "group-mean" && e.key == "by"));
        if let Some(e) = bad_key {
            let k = &e.key;
            r.error(
                e.location
                    .clone()
                    .unwrap_or_else(|| Location::file(&r.src.name)),
                text!(
                    "unknown key `{k}` in `missing` (only group-mean takes `by`)",
                    "`missing` 中有未知的键 `{k}`（仅 group-mean 接受 `by`）"
                ),
            );
        }
        d.missing = match p.kind.as_str() {
            "error" => MissingPolicy::Error,
            "mean" => MissingPolicy::Mean,
            "median" => MissingPolicy::Median,
            "zero" => MissingPolicy::Zero,
            "drop-zone" => MissingPolicy::DropZone,
            "group-mean" => {
                let by = p
                    .string("by")
                    .ok()
                    .flatten()
                    .map(str::to_string)
                    .or_else(|| d.groups.first().cloned());
                match by {
                    Some(by) => MissingPolicy::GroupMean { by },
                    None => {
                        r.error(
                            p.location.clone().unwrap_or_else(|| Location::file(&r.src.name)),
                            text!(
                                "`group-mean` needs a group column: `missing = {{ kind = \"group-mean\", by = \"region\" }}` or `groups = [...]`",
                                "`group-mean` 需要分组列：`missing = {{ kind = \"group-mean\", by = \"region\" }}` 或 `groups = [...]`"
                            ),
                        );
                        MissingPolicy::Error
                    }
                }
            }
            other => {
                let loc = p.location.clone();
                r.problems.push(
                    Problem::at(
                        loc,
                        text!(
                            "unknown missing-value policy `{other}`",
                            "未知的缺失值处理方式 `{other}`"
                        ),
                    )
                    .with_hint(crate::error::suggest(other, KINDS)),
                );
                MissingPolicy::Error
            }
        };
    }
    d
}

/// `columns = { zone_id = "开发区代码", fdi_actual = "实际使用外资(万美元)" }`: which header
/// holds each column (keys are the system's names, values the file's headers).
fn read_columns(r: &mut Reader<'_>, t: &DeTable<'_>) -> Vec<crate::data::ColumnAlias> {
    let Some((m, _)) = r.table(t, "columns") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m.iter() {
        let key: &str = k.get_ref();
        match v.get_ref() {
            DeValue::String(h) if !h.trim().is_empty() => out.push(crate::data::ColumnAlias {
                column: key.to_string(),
                header: h.trim().to_string(),
                location: Some(r.loc(k)),
            }),
            _ => {
                let l = r.loc(v);
                r.error(
                    l,
                    text!(
                        "`columns.{key}` must be the file's header for `{key}` (a non-empty string)",
                        "`columns.{key}` 应为 `{key}` 在文件中的表头（非空字符串）"
                    ),
                );
            }
        }
    }
    out
}
