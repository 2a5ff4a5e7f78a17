//! `[scope]`: which zones the system evaluates, and its named variants.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::Location;
use crate::system::scope::{ALL, ColumnIn, DEFAULT, Scope, ScopeRule};
use crate::system::toml_read::{Keys, Reader};
use crate::text;

const SCOPE_KEYS: &[&str] = &["include", "exclude", "note", "note_en", "variants"];
const VARIANT_KEYS: &[&str] = &["include", "exclude", "note", "note_en"];

/// `[scope]`, or None when the system evaluates every zone.
pub(super) fn read_scope(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Option<Scope> {
    let (t, location) = r.table(doc, "scope")?;
    r.check_keys(
        t,
        &Keys {
            table: "[scope]",
            allowed: SCOPE_KEYS,
        },
    );
    let default = read_rule(r, t, "[scope]", &location);
    let mut variants = Vec::new();
    if let Some((vt, _)) = r.table(t, "variants") {
        for (k, v) in vt.iter() {
            let name: &str = k.get_ref();
            let loc = r.loc(k);
            if name == DEFAULT || name == ALL {
                r.error(
                    loc.clone(),
                    text!(
                        "`{name}` is reserved: give the variant another name",
                        "`{name}` 是保留名称：请为该范围另取名称"
                    ),
                );
            }
            match v.get_ref() {
                DeValue::Table(vt) => {
                    let what = format!("[scope.variants.{name}]");
                    r.check_keys(
                        vt,
                        &Keys {
                            table: &what,
                            allowed: VARIANT_KEYS,
                        },
                    );
                    let rule = read_rule(r, vt, &what, &loc);
                    variants.push((name.to_string(), rule));
                }
                _ => r.error(
                    loc,
                    text!(
                        "`[scope.variants.{name}]` must be a table with `include`/`exclude`",
                        "`[scope.variants.{name}]` 应为含 `include`/`exclude` 的表"
                    ),
                ),
            }
        }
    }
    Some(Scope {
        name: DEFAULT.to_string(),
        rule: default.clone(),
        default,
        variants,
        location,
    })
}

fn read_rule(r: &mut Reader<'_>, t: &DeTable<'_>, what: &str, at: &Location) -> ScopeRule {
    let include = match r.raw(t, "include") {
        None => Vec::new(),
        Some(v) => match v.get_ref() {
            DeValue::Table(alt) => vec![conditions(r, alt, what, "include")],
            DeValue::Array(a) => {
                let mut out = Vec::new();
                for e in a.iter() {
                    match e.get_ref() {
                        DeValue::Table(alt) => out.push(conditions(r, alt, what, "include")),
                        _ => shape_error(r, e, what, "include"),
                    }
                }
                out
            }
            _ => {
                shape_error(r, v, what, "include");
                Vec::new()
            }
        },
    };
    let exclude = match r.raw(t, "exclude") {
        None => Vec::new(),
        Some(v) => match v.get_ref() {
            DeValue::Table(c) => conditions(r, c, what, "exclude"),
            _ => {
                shape_error(r, v, what, "exclude");
                Vec::new()
            }
        },
    };
    if include.iter().any(Vec::is_empty) {
        r.error(
            at.clone(),
            text!(
                "{what}: an `include` table names no column",
                "{what}：`include` 中有未写任何列的表"
            ),
        );
    }
    if include.is_empty() && exclude.is_empty() {
        r.error(
            at.clone(),
            text!(
                "{what} needs `include` or `exclude`, e.g. include = {{ level = [\"国家级\"] }}",
                "{what} 需要 `include` 或 `exclude`，例如 include = {{ level = [\"国家级\"] }}"
            ),
        );
    }
    ScopeRule {
        include,
        exclude,
        note: r.string(t, "note").map(|s| s.0),
        note_en: r.string(t, "note_en").map(|s| s.0),
    }
}

fn shape_error(r: &mut Reader<'_>, v: &Spanned<DeValue<'_>>, what: &str, key: &str) {
    let l = r.loc(v);
    r.error(
        l,
        text!(
            "{what} `{key}` must be a table of columns, e.g. {key} = {{ level = [\"国家级\"] }}, or an array of such tables",
            "{what} 的 `{key}` 应为列条件表，例如 {key} = {{ level = [\"国家级\"] }}，或此类表的数组"
        ),
    );
}

/// `{ level = ["国家级"], type = "经济技术开发区" }`: column → accepted values.
fn conditions(r: &mut Reader<'_>, t: &DeTable<'_>, what: &str, key: &str) -> Vec<ColumnIn> {
    let mut out = Vec::new();
    for (k, v) in t.iter() {
        let column: &str = k.get_ref();
        let values: Option<Vec<String>> = match v.get_ref() {
            DeValue::String(s) => Some(vec![s.trim().to_string()]),
            DeValue::Array(a) => a
                .iter()
                .map(|e| match e.get_ref() {
                    DeValue::String(s) => Some(s.trim().to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match values {
            Some(values) if !values.is_empty() => out.push(ColumnIn {
                column: column.to_string(),
                values,
            }),
            _ => {
                let l = r.loc(v);
                r.error(
                    l,
                    text!(
                        "{what} `{key}.{column}` must be a value or a non-empty array of values (text)",
                        "{what} 的 `{key}.{column}` 应为一个取值或非空的取值数组（文本）"
                    ),
                );
            }
        }
    }
    out
}
