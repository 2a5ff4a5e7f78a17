//! Reading a TOML document with the place of every key and value.
//!
//! The system loader walks `toml::de::DeTable` (which keeps byte spans) instead of deriving
//! serde structs, for three reasons: every problem can name `file:line:col`; unknown keys are
//! reported with the nearest valid key (a typo such as `normalisation` is never silently
//! ignored); and all problems are collected, not only the first.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Location, Problem, Text, suggest};
use crate::method::{ParamValue, Params};
use crate::text;

/// A source text with its name, turning byte offsets into line:column.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as the user named it.
    pub name: Arc<str>,
    line_starts: Vec<usize>,
    text: Arc<str>,
}

impl Source {
    /// Indexes `text`'s lines.
    pub fn new(name: &str, text: &str) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            name: Arc::from(name),
            line_starts,
            text: Arc::from(text),
        }
    }

    /// The 1-based line and character column of byte `offset`.
    pub fn location(&self, offset: usize) -> Location {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map_or(1, |s| s.chars().count() + 1);
        Location::new(&self.name, line as u32, col as u32)
    }
}

/// Accumulates problems while reading.
#[derive(Debug)]
pub struct Reader<'s> {
    /// The document's source.
    pub src: &'s Source,
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Warnings found so far.
    pub warnings: Vec<Problem>,
}

/// The keys one table accepts, with the table's name for messages.
pub struct Keys<'a> {
    /// e.g. `[method]` or `[[indicators]]`.
    pub table: &'a str,
    /// Accepted keys.
    pub allowed: &'a [&'a str],
}

impl<'s> Reader<'s> {
    /// A reader over `src`.
    pub fn new(src: &'s Source) -> Reader<'s> {
        Reader {
            src,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The location of a span.
    pub fn loc<T>(&self, s: &Spanned<T>) -> Location {
        self.src.location(s.span().start)
    }

    /// Records a problem.
    pub fn error(&mut self, location: Location, message: Text) {
        self.problems.push(Problem::at(Some(location), message));
    }

    /// Records a warning.
    pub fn warn(&mut self, location: Location, message: Text) {
        self.warnings.push(Problem::at(Some(location), message));
    }

    /// Reports every key of `table` not in `keys.allowed`, suggesting the nearest.
    pub fn check_keys(&mut self, table: &DeTable<'_>, keys: &Keys<'_>) {
        for (k, _) in table.iter() {
            let key: &str = k.get_ref();
            if !keys.allowed.contains(&key) {
                let t = keys.table;
                let p = Problem::at(
                    Some(self.loc(k)),
                    text!("unknown key `{key}` in {t}", "{t} 中有未知的键 `{key}`"),
                )
                .with_hint(suggest(key, keys.allowed));
                self.problems.push(p);
            }
        }
    }

    fn type_error(&mut self, v: &Spanned<DeValue<'_>>, key: &str, expected: Text) {
        let (ee, ez) = (&expected.en, &expected.zh);
        let got = type_name(v.get_ref());
        let loc = self.loc(v);
        self.error(
            loc,
            text!(
                "`{key}` must be {ee} (found {got})",
                "`{key}` 应为{ez}（实际为 {got}）"
            ),
        );
    }

    /// A string value.
    pub fn string(&mut self, table: &DeTable<'_>, key: &str) -> Option<(String, Location)> {
        let v = table.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), self.loc(v))),
            _ => {
                self.type_error(v, key, text!("a string", "字符串"));
                None
            }
        }
    }

    /// A required string value.
    pub fn required_string(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        at: &Location,
        what: &str,
    ) -> Option<(String, Location)> {
        if table.get(key).is_none() {
            self.error(
                at.clone(),
                text!("{what} needs `{key}`", "{what} 缺少 `{key}`"),
            );
            return None;
        }
        self.string(table, key)
    }

    /// A finite number (integer or float).
    pub fn number(&mut self, table: &DeTable<'_>, key: &str) -> Option<(f64, Location)> {
        let v = table.get(key)?;
        let loc = self.loc(v);
        match number_of(v.get_ref()) {
            Some(x) if x.is_finite() => Some((x, loc)),
            Some(x) => {
                self.error(
                    loc,
                    text!(
                        "`{key}` must be finite (found {x})",
                        "`{key}` 必须为有限数值（实际为 {x}）"
                    ),
                );
                None
            }
            None => {
                self.type_error(v, key, text!("a number", "数值"));
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, table: &DeTable<'_>, key: &str) -> Option<bool> {
        let v = table.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(v, key, text!("true or false", "true 或 false"));
                None
            }
        }
    }

    /// An array of strings.
    pub fn strings(&mut self, table: &DeTable<'_>, key: &str) -> Option<Vec<String>> {
        let v = table.get(key)?;
        let DeValue::Array(a) = v.get_ref() else {
            self.type_error(v, key, text!("an array of strings", "字符串数组"));
            return None;
        };
        let mut out = Vec::new();
        for e in a.iter() {
            match e.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                _ => {
                    self.type_error(e, key, text!("an array of strings", "字符串数组"));
                    return None;
                }
            }
        }
        Some(out)
    }

    /// An array of numbers (fractions "1/3" allowed when `fractions`).
    pub fn numbers(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
        fractions: bool,
    ) -> Option<Vec<f64>> {
        let DeValue::Array(a) = v.get_ref() else {
            self.type_error(v, key, text!("an array of numbers", "数值数组"));
            return None;
        };
        let mut out = Vec::with_capacity(a.len());
        for e in a.iter() {
            let x = match e.get_ref() {
                DeValue::String(s) if fractions => parse_fraction(s),
                other => number_of(other),
            };
            match x {
                Some(x) if x.is_finite() => out.push(x),
                _ => {
                    let loc = self.loc(e);
                    let what = if fractions {
                        text!(
                            "a number or a fraction such as \"1/3\"",
                            "数值或分数（如 \"1/3\"）"
                        )
                    } else {
                        text!("a finite number", "有限数值")
                    };
                    let (we, wz) = (&what.en, &what.zh);
                    self.error(
                        loc,
                        text!(
                            "each element of `{key}` must be {we}",
                            "`{key}` 的每个元素应为{wz}"
                        ),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A matrix of numbers (rows of arrays), fractions allowed (AHP judgements).
    pub fn matrix(&mut self, table: &DeTable<'_>, key: &str) -> Option<(Vec<Vec<f64>>, Location)> {
        let v = table.get(key)?;
        let loc = self.loc(v);
        let DeValue::Array(rows) = v.get_ref() else {
            self.type_error(v, key, text!("an array of rows", "二维数组"));
            return None;
        };
        let mut out = Vec::new();
        for r in rows.iter() {
            out.push(self.numbers(r, key, true)?);
        }
        Some((out, loc))
    }

    /// A method: a bare name or a table `{ kind = "…", … }`.
    pub fn method(&mut self, table: &DeTable<'_>, key: &str) -> Option<Params> {
        let v = table.get(key)?;
        self.method_value(v, key)
    }

    /// A method from a value (see [`Reader::method`]).
    pub fn method_value(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<Params> {
        let loc = self.loc(v);
        match v.get_ref() {
            DeValue::String(s) => Some(Params {
                kind: s.to_string(),
                location: Some(loc),
                entries: Vec::new(),
            }),
            DeValue::Table(t) => {
                let Some(kind) = t.get("kind") else {
                    self.error(
                        loc,
                        text!(
                            "`{key}` table needs `kind = \"…\"`",
                            "`{key}` 表缺少 `kind = \"…\"`"
                        ),
                    );
                    return None;
                };
                let DeValue::String(kind_s) = kind.get_ref() else {
                    self.type_error(kind, "kind", text!("a string", "字符串"));
                    return None;
                };
                let mut p = Params {
                    kind: kind_s.to_string(),
                    location: Some(self.loc(kind)),
                    entries: Vec::new(),
                };
                for (k, val) in t.iter() {
                    if k.get_ref() == "kind" {
                        continue;
                    }
                    let value = match val.get_ref() {
                        DeValue::String(s) => ParamValue::Str(s.to_string()),
                        DeValue::Boolean(b) => ParamValue::Bool(*b),
                        other => match number_of(other) {
                            Some(x) => ParamValue::Num(x),
                            None => {
                                let key = k.get_ref().to_string();
                                self.type_error(
                                    val,
                                    &key,
                                    text!("a number, string or boolean", "数值、字符串或布尔值"),
                                );
                                return None;
                            }
                        },
                    };
                    p.entries.push(crate::method::params::Param {
                        key: k.get_ref().to_string(),
                        value,
                        location: Some(self.loc(val)),
                    });
                }
                Some(p)
            }
            _ => {
                self.type_error(
                    v,
                    key,
                    text!(
                        "a method name or a table with `kind`",
                        "方法名或含 `kind` 的表"
                    ),
                );
                None
            }
        }
    }

    /// A sub-table.
    pub fn table<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        key: &str,
    ) -> Option<(&'a DeTable<'i>, Location)> {
        let v = table.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, self.loc(v))),
            _ => {
                self.type_error(v, key, text!("a table", "表"));
                None
            }
        }
    }

    /// An array of tables (`[[key]]`), each with its location.
    pub fn tables<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        key: &str,
    ) -> Vec<(&'a DeTable<'i>, Location)> {
        let Some(v) = table.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(a) = v.get_ref() else {
            self.type_error(
                v,
                key,
                text!("an array of tables ([[{key}]])", "表数组（[[{key}]]）"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in a.iter() {
            match e.get_ref() {
                DeValue::Table(t) => out.push((t, self.loc(e))),
                _ => self.type_error(e, key, text!("a table", "表")),
            }
        }
        out
    }

    /// The raw value of a key, for callers that dispatch on its type.
    pub fn raw<'a, 'i>(
        &self,
        table: &'a DeTable<'i>,
        key: &str,
    ) -> Option<&'a Spanned<DeValue<'i>>> {
        table.get(key)
    }
}

/// The number in a TOML integer or float value.
pub fn number_of(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => {
            let s: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let (neg, digits) = match s.strip_prefix('-') {
                Some(d) => (true, d.to_string()),
                None => (false, s.trim_start_matches('+').to_string()),
            };
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            // Beyond i64 (`weight = 99999999999999999999`) an integer is still a number.
            let x = match i64::from_str_radix(digits, i.radix()) {
                Ok(v) => v as f64,
                Err(_) if i.radix() == 10 => digits.parse::<f64>().ok()?,
                Err(_) => u128::from_str_radix(digits, i.radix()).ok()? as f64,
            };
            Some(if neg { -x } else { x })
        }
        DeValue::Float(f) => {
            let s: String = f.as_str().chars().filter(|c| *c != '_').collect();
            s.parse().ok()
        }
        _ => None,
    }
}

/// Parses "3", "0.5" or "1/3".
pub fn parse_fraction(s: &str) -> Option<f64> {
    let s = s.trim();
    match s.split_once('/') {
        Some((a, b)) => {
            let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (b != 0.0).then(|| a / b)
        }
        None => s.parse().ok(),
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "float",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "datetime",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters() {
        let src = Source::new("s.toml", "a = 1\n名称 = \"x\"\n");
        assert_eq!(src.location(0).to_string(), "s.toml:1:1");
        let off = "a = 1\n名称 = ".len();
        assert_eq!(src.location(off).to_string(), "s.toml:2:6");
    }

    #[test]
    fn fractions_parse() {
        assert_eq!(parse_fraction("1/4"), Some(0.25));
        assert_eq!(parse_fraction(" 3 "), Some(3.0));
        assert_eq!(parse_fraction("1/0"), None);
        assert_eq!(parse_fraction("x"), None);
    }

    #[test]
    fn reports_unknown_keys_with_suggestion() {
        let text = "normalisation = \"min-max\"\n";
        let src = Source::new("s.toml", text);
        let doc = DeTable::parse(text).unwrap();
        let mut r = Reader::new(&src);
        r.check_keys(
            doc.get_ref(),
            &Keys {
                table: "[method]",
                allowed: &["normalization", "weighting"],
            },
        );
        assert_eq!(r.problems.len(), 1);
        assert!(
            r.problems[0]
                .render(crate::error::Lang::En)
                .contains("did you mean `normalization`")
        );
        assert_eq!(r.problems[0].location.as_ref().unwrap().line, 1);
    }

    #[test]
    fn numbers_keep_sign_and_radix() {
        let doc = DeTable::parse("a = -1_000\nb = 0x10\nc = 2.5e3\n").unwrap();
        let t = doc.get_ref();
        assert_eq!(number_of(t.get("a").unwrap().get_ref()), Some(-1000.0));
        assert_eq!(number_of(t.get("b").unwrap().get_ref()), Some(16.0));
        assert_eq!(number_of(t.get("c").unwrap().get_ref()), Some(2500.0));
    }
}
