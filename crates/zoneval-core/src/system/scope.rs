//! The zones a system evaluates (`[scope]`): conditions on the data's text columns (e.g. `level`
//! and `type`). A zone outside the scope is listed as "not in scope" with the reason, and is
//! neither normalised, weighted nor ranked — MOFCOM's evaluation, for instance, covers the
//! national economic and technological development zones only.
//!
//! Named variants (`[scope.variants.NAME]`) are alternative scopes a run may choose instead,
//! e.g. provincial zones ranked on the national yardstick as upgrade candidates.

use crate::error::{Lang, Location, Text};
use crate::text;

/// A condition on one text column: its value must be one of `values`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnIn {
    /// The data column.
    pub column: String,
    /// Accepted values (compared after trimming).
    pub values: Vec<String>,
}

impl ColumnIn {
    fn holds(&self, value: &str) -> bool {
        let v = value.trim();
        self.values.iter().any(|x| x == v)
    }
}

/// One scope: a zone is in it when it matches one of the `include` alternatives (every
/// condition of that alternative holds) and none of the `exclude` conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeRule {
    /// Alternatives; empty = every zone is included.
    pub include: Vec<Vec<ColumnIn>>,
    /// Conditions that put a zone out of scope.
    pub exclude: Vec<ColumnIn>,
    /// Why the scope is what it is (shown with the not-in-scope list).
    pub note: Option<String>,
    /// English note.
    pub note_en: Option<String>,
}

/// `[scope]`: the default scope and its named variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    /// The name of the scope in force: `default` or a variant's name.
    pub name: String,
    /// The scope in force.
    pub rule: ScopeRule,
    /// The scope written directly under `[scope]`.
    pub default: ScopeRule,
    /// Named alternatives (name, scope), in file order.
    pub variants: Vec<(String, ScopeRule)>,
    /// Where `[scope]` was written.
    pub location: Location,
}

/// The scope name that means "every zone" (no scope).
pub const ALL: &str = "all";
/// The name of the scope written directly under `[scope]`.
pub const DEFAULT: &str = "default";

impl ScopeRule {
    /// Every column the scope reads, without duplicates.
    pub fn columns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.include.iter().flatten().chain(&self.exclude) {
            if !out.contains(&c.column) {
                out.push(c.column.clone());
            }
        }
        out
    }

    /// None when the zone is in scope, else why not. `value` gives the zone's text in a
    /// column.
    pub fn reason_out<'a>(&self, value: impl Fn(&str) -> &'a str) -> Option<Text> {
        if let Some(c) = self.exclude.iter().find(|c| c.holds(value(&c.column))) {
            let (col, v) = (&c.column, value(&c.column).trim());
            return Some(text!(
                "{col} = {v} is excluded",
                "{col} = {v}，不在评价范围内"
            ));
        }
        if self.include.is_empty()
            || self
                .include
                .iter()
                .any(|alt| alt.iter().all(|c| c.holds(value(&c.column))))
        {
            return None;
        }
        // Name the first failing condition of the alternative that came closest.
        let best = self
            .include
            .iter()
            .max_by_key(|alt| {
                let held = alt.iter().filter(|c| c.holds(value(&c.column))).count();
                (held, std::cmp::Reverse(alt.len()))
            })
            .expect("include is not empty");
        let c = best
            .iter()
            .find(|c| !c.holds(value(&c.column)))
            .expect("the alternative fails somewhere");
        let (col, list) = (&c.column, c.values.join(" / "));
        let v = value(&c.column).trim();
        let v = if v.is_empty() { "(empty)" } else { v };
        let vz = if v == "(empty)" { "（空）" } else { v };
        Some(text!(
            "{col} = {v}, not {list}",
            "{col} 为 {vz}，不是 {list}"
        ))
    }

    /// The note in `lang`, falling back to the Chinese note.
    pub fn note(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.note_en) {
            (Lang::En, Some(n)) => Some(n),
            _ => self.note.as_deref(),
        }
    }

    /// A one-line description of the conditions, e.g. `level ∈ {国家级} and type ∈ {…}`.
    pub fn describe(&self) -> String {
        let cond = |c: &ColumnIn| format!("{} ∈ {{{}}}", c.column, c.values.join(", "));
        let mut parts = Vec::new();
        if !self.include.is_empty() {
            let alts: Vec<String> = self
                .include
                .iter()
                .map(|a| a.iter().map(cond).collect::<Vec<_>>().join(" and "))
                .collect();
            parts.push(if alts.len() == 1 {
                alts[0].clone()
            } else {
                alts.iter()
                    .map(|a| format!("({a})"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            });
        }
        if !self.exclude.is_empty() {
            let ex: Vec<String> = self.exclude.iter().map(cond).collect();
            parts.push(format!("not {}", ex.join(", not ")));
        }
        parts.join("; ")
    }
}

impl Scope {
    /// The names a run may choose: `default`, each variant, and `all`.
    pub fn choices(&self) -> Vec<&str> {
        let mut out = vec![DEFAULT];
        out.extend(self.variants.iter().map(|(n, _)| n.as_str()));
        out.push(ALL);
        out
    }

    /// The scope named `name` (`default` or a variant), None for an unknown name.
    pub fn chosen(&self, name: &str) -> Option<Scope> {
        let rule = if name == DEFAULT {
            self.default.clone()
        } else {
            self.variants
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone())?
        };
        Some(Scope {
            name: name.to_string(),
            rule,
            default: self.default.clone(),
            variants: self.variants.clone(),
            location: self.location.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(c: &str, v: &[&str]) -> ColumnIn {
        ColumnIn {
            column: c.into(),
            values: v.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn alternatives_and_exclusions() {
        // Shandong's 2016 round: provincial zones, plus the national ETDZs.
        let rule = ScopeRule {
            include: vec![
                vec![cond("level", &["省级"])],
                vec![
                    cond("level", &["国家级"]),
                    cond("type", &["经济技术开发区"]),
                ],
            ],
            exclude: vec![cond("type", &["海关特殊监管区域"])],
            note: None,
            note_en: None,
        };
        let zone = |level: &'static str, ty: &'static str| {
            move |c: &str| if c == "level" { level } else { ty }
        };
        assert!(rule.reason_out(zone("省级", "工业园区")).is_none());
        assert!(rule.reason_out(zone("国家级", "经济技术开发区")).is_none());
        let why = rule
            .reason_out(zone("国家级", "高新技术产业开发区"))
            .unwrap();
        assert_eq!(why.en, "type = 高新技术产业开发区, not 经济技术开发区");
        let why = rule.reason_out(zone("国家级", "海关特殊监管区域")).unwrap();
        assert_eq!(why.en, "type = 海关特殊监管区域 is excluded");
        assert_eq!(
            rule.describe(),
            "(level ∈ {省级}) or (level ∈ {国家级} and type ∈ {经济技术开发区}); not type ∈ {海关特殊监管区域}"
        );
    }
}
