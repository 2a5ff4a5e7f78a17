//! Finding the system's columns among a file's headers.
//!
//! A column the system reads (an indicator's `fdi_actual`, the id column `zone_id`, a group
//! column) is found, in this order: by an alias the user gave (`[data] columns = { fdi_actual =
//! "实际使用外资(万美元)" }`, or a mapping file); by a header equal to the name; or
//! automatically, by a header equal to the name or to the indicator's `name` once units and
//! brackets are stripped (`实际使用外资（万美元）` and `实际使用外资(万美元)` both match the
//! indicator 实际使用外资). Automatic matches are listed in a note, so that no column is taken
//! silently; a header that two columns would take, or a column two headers would give, is an
//! error asking the user to say which.

use std::collections::HashMap;
use std::sync::Arc;

use super::{ReadSpec, Rows};
use crate::error::{Location, Problem, Text, levenshtein};
use crate::text;

/// A header alias: the system reads `column` from the file's header `header`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnAlias {
    /// The system's name: a raw column, or the id, name or year column.
    pub column: String,
    /// The file's header.
    pub header: String,
    /// Where the alias was given (a system file's `[data] columns`, a mapping file's row).
    pub location: Option<Location>,
}

/// The columns found: system name → header index, and the automatic matches made.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    /// Header index of each system column found.
    pub index: HashMap<String, usize>,
    /// Automatic matches: (system column, header index, the name it matched by).
    pub matched: Vec<(String, usize, String)>,
}

/// What a header is matched on: bracketed parts (units such as `(万美元)`, `【亿元】`) removed,
/// full-width forms folded to half-width, white space dropped, ASCII lower-cased.
pub fn match_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        };
        match c {
            '(' | '[' | '{' | '【' | '〔' | '〖' => depth += 1,
            ')' | ']' | '}' | '】' | '〕' | '〗' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Where a problem about the header row is placed.
pub(crate) struct HeaderPlace<'a> {
    pub file: &'a Arc<str>,
    pub sheet: Option<&'a Arc<str>>,
    pub line: u32,
    pub col_offset: u32,
}

impl HeaderPlace<'_> {
    fn row(&self) -> Location {
        Location::in_sheet(self.file, self.sheet, self.line, 0)
    }
    fn cell(&self, j: usize) -> Location {
        Location::in_sheet(
            self.file,
            self.sheet,
            self.line,
            j as u32 + 1 + self.col_offset,
        )
    }
}

/// Finds every column `spec` asks for among `headers`; `rows` (when given) lets a missing id
/// column's error name the header whose values are unique.
pub(crate) fn resolve<R: Rows + ?Sized>(
    headers: &[String],
    spec: &ReadSpec,
    place: &HeaderPlace<'_>,
    rows: Option<&R>,
) -> Result<Resolved, Vec<Problem>> {
    // The columns asked for, in order, each once; whether it must be present.
    let mut wanted: Vec<(&str, bool)> = Vec::new();
    let required = [spec.id_column.as_str(), spec.name_column.as_str()];
    let all = required
        .iter()
        .copied()
        .chain(spec.numeric.iter().map(String::as_str))
        .chain(spec.text.iter().map(String::as_str));
    for c in all {
        if !wanted.iter().any(|(w, _)| *w == c) {
            wanted.push((c, true));
        }
    }
    if !wanted.iter().any(|(w, _)| *w == spec.year_column) {
        wanted.push((spec.year_column.as_str(), false));
    }
    let mut problems = Vec::new();
    let mut out = Resolved::default();
    let mut claimed = vec![false; headers.len()];

    // Aliases name a column the system reads and a header the file has.
    let mut seen_alias: HashMap<&str, &ColumnAlias> = HashMap::new();
    for a in &spec.columns {
        if let Some(first) = seen_alias.insert(a.column.as_str(), a)
            && first.header != a.header
        {
            let (c, h1, h2) = (&a.column, &first.header, &a.header);
            problems.push(Problem::at(
                a.location.clone().or_else(|| Some(place.row())),
                text!(
                    "two headers are mapped to column `{c}`: `{h1}` and `{h2}`",
                    "列 `{c}` 被映射到两个表头：`{h1}` 与 `{h2}`"
                ),
            ));
            continue;
        }
        if !wanted.iter().any(|(w, _)| *w == a.column) {
            let c = &a.column;
            let names: Vec<&str> = wanted.iter().map(|(w, _)| *w).collect();
            problems.push(
                Problem::at(
                    a.location.clone(),
                    text!(
                        "`{c}` is not a column this system reads",
                        "`{c}` 不是本体系读取的列"
                    ),
                )
                .with_hint(crate::error::suggest(c, &names)),
            );
            continue;
        }
        let found = headers
            .iter()
            .position(|h| *h == a.header.trim())
            .or_else(|| {
                // The same header written with other brackets or widths, when only one is.
                let key = match_key(&a.header);
                let mut m = headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !key.is_empty() && match_key(h) == key);
                match (m.next(), m.next()) {
                    (Some((j, _)), None) => Some(j),
                    _ => None,
                }
            });
        match found {
            Some(j) => {
                out.index.insert(a.column.clone(), j);
                claimed[j] = true;
            }
            None => {
                let (c, h) = (&a.column, &a.header);
                let near = nearest_headers(&a.header, headers);
                problems.push(
                    Problem::at(
                        a.location.clone().or_else(|| Some(place.row())),
                        text!(
                            "column `{c}` is mapped to the header `{h}`, which the file does not have",
                            "列 `{c}` 被映射到表头 `{h}`，但文件中没有该表头"
                        ),
                    )
                    .with_hint(headers_hint(&near)),
                );
            }
        }
    }
    // Headers equal to the name.
    for (c, _) in &wanted {
        if out.index.contains_key(*c) || seen_alias.contains_key(c) {
            continue;
        }
        if let Some(j) = headers.iter().position(|h| h == c) {
            out.index.insert(c.to_string(), j);
            claimed[j] = true;
        }
    }
    // Automatic matches among the headers left.
    let mut taken_by: HashMap<usize, Vec<&str>> = HashMap::new();
    let mut missing: Vec<&str> = Vec::new();
    for (c, required) in &wanted {
        if out.index.contains_key(*c) || seen_alias.contains_key(c) {
            continue;
        }
        let labels = labels_of(spec, c);
        let keys: Vec<String> = std::iter::once(c.to_string())
            .chain(labels.iter().cloned())
            .map(|l| match_key(&l))
            .filter(|k| !k.is_empty())
            .collect();
        let cands: Vec<usize> = (0..headers.len())
            .filter(|&j| !claimed[j] && keys.contains(&match_key(&headers[j])))
            .collect();
        match cands.as_slice() {
            [] if *required => missing.push(c),
            [] => {}
            [j] => {
                let by = labels
                    .iter()
                    .find(|l| match_key(l) == match_key(&headers[*j]))
                    .cloned()
                    .unwrap_or_else(|| c.to_string());
                out.index.insert(c.to_string(), *j);
                out.matched.push((c.to_string(), *j, by));
                taken_by.entry(*j).or_default().push(c);
            }
            [j, k, ..] => {
                let (a, b) = (&headers[*j], &headers[*k]);
                let (la, lb) = (place.cell(*j).to_string(), place.cell(*k).to_string());
                problems.push(
                    Problem::at(
                        Some(place.cell(*k)),
                        text!(
                            "two headers match column `{c}`: `{a}` ({la}) and `{b}` ({lb})",
                            "两个表头都匹配列 `{c}`：`{a}`（{la}）与 `{b}`（{lb}）"
                        ),
                    )
                    .with_hint(text!(
                        "say which with [data] columns = {{ {c} = \"{a}\" }}",
                        "请用 [data] columns = {{ {c} = \"{a}\" }} 指明"
                    )),
                );
            }
        }
    }
    let mut shared: Vec<(&usize, &Vec<&str>)> =
        taken_by.iter().filter(|(_, cs)| cs.len() > 1).collect();
    shared.sort();
    for (j, cs) in shared {
        let h = &headers[*j];
        let list = cs
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let first = cs[0];
        problems.push(
            Problem::at(
                Some(place.cell(*j)),
                text!(
                    "ambiguous header `{h}`: it matches the columns {list} by name",
                    "表头 `{h}` 有歧义：按名称同时匹配列 {list}"
                ),
            )
            .with_hint(text!(
                "say which with [data] columns = {{ {first} = \"{h}\" }}, and map the others to their own headers",
                "请用 [data] columns = {{ {first} = \"{h}\" }} 指明，并为其余列指定各自的表头"
            )),
        );
        for c in cs {
            out.index.remove(*c);
        }
    }
    for c in missing {
        problems.push(missing_column(c, headers, spec, place, rows));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The names a column is matched by besides its own: the names of the indicators (and gate
/// conditions) that read it.
fn labels_of(spec: &ReadSpec, column: &str) -> Vec<String> {
    spec.labels
        .iter()
        .filter(|(c, _)| c == column)
        .flat_map(|(_, l)| l.iter().cloned())
        .collect()
}

/// The (up to) three headers nearest to `word`, compared on their match keys.
fn nearest_headers<'h>(word: &str, headers: &'h [String]) -> Vec<&'h str> {
    let key = match_key(word);
    let mut scored: Vec<(usize, usize, &str)> = headers
        .iter()
        .enumerate()
        .map(|(j, h)| (levenshtein(&key, &match_key(h)), j, h.as_str()))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, _, h)| h).collect()
}

fn headers_hint(near: &[&str]) -> Text {
    let list = near
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ");
    text!("nearest headers: {list}", "最接近的表头：{list}")
}

/// A column the file does not have, with what to set: for the id column a header whose values
/// are unique, for the name column a header that looks like names, otherwise the nearest
/// headers to the column's (or its indicator's) name.
fn missing_column<R: Rows + ?Sized>(
    c: &str,
    headers: &[String],
    spec: &ReadSpec,
    place: &HeaderPlace<'_>,
    rows: Option<&R>,
) -> Problem {
    let p = Problem::at(
        Some(place.row()),
        text!("missing column `{c}`", "缺少列 `{c}`"),
    );
    // A header one typo away comes first: that is most likely what was meant.
    let typo = crate::error::nearest(c, headers.iter().map(String::as_str))
        .map(|n| text!("did you mean `{n}`?", "是否应为 `{n}`？"));
    let join = |a: Option<Text>, b: Text| match a {
        Some(a) => {
            let (ae, az, be, bz) = (&a.en, &a.zh, &b.en, &b.zh);
            text!("{ae} {be}", "{az}{bz}")
        }
        None => b,
    };
    if c == spec.id_column {
        let unique = |j: usize| {
            rows.is_some_and(|r| {
                let mut seen = std::collections::HashSet::new();
                (0..r.len()).all(|i| {
                    let v = r.text(i, j).trim().to_string();
                    !v.is_empty() && seen.insert(v)
                })
            })
        };
        let id_like = |h: &str| {
            let k = match_key(h);
            ["代码", "编码", "编号", "id", "code"]
                .iter()
                .any(|w| k.contains(w))
        };
        let pick = (0..headers.len())
            .filter(|&j| id_like(&headers[j]) && unique(j))
            .chain((0..headers.len()).filter(|&j| unique(j)))
            .next();
        let set = match pick {
            Some(j) => {
                let h = &headers[j];
                text!(
                    "the zone ids: set [data] id_column = \"{h}\" (its values are unique)",
                    "开发区代码列：请设置 [data] id_column = \"{h}\"（该列取值唯一）"
                )
            }
            None => {
                let list = headers.join(", ");
                text!(
                    "set [data] id_column to the header that holds the zone ids (one per zone); the headers: {list}",
                    "请将 [data] id_column 设为存放开发区代码（每区一个）的表头；现有表头：{list}"
                )
            }
        };
        return p.with_hint(join(typo, set));
    }
    if c == spec.name_column {
        let name_like = |h: &str| {
            let k = match_key(h);
            k.contains("名称") || k.contains("name") || k.ends_with('名')
        };
        if let Some(h) = headers.iter().find(|h| name_like(h)) {
            return p.with_hint(join(
                typo,
                text!(
                    "the zone names: set [data] name_column = \"{h}\"",
                    "开发区名称列：请设置 [data] name_column = \"{h}\""
                ),
            ));
        }
    }
    let labels = labels_of(spec, c);
    let by = labels.first().map_or(c, String::as_str);
    let what = typo.unwrap_or_else(|| {
        let near = nearest_headers(by, headers);
        let list = headers_hint(&near);
        match near.first() {
            Some(h) => {
                let (le, lz) = (&list.en, &list.zh);
                text!(
                    "{le}; map one with [data] columns = {{ {c} = \"{h}\" }}",
                    "{lz}；可用 [data] columns = {{ {c} = \"{h}\" }} 映射"
                )
            }
            None => list,
        }
    });
    let (we, wz) = (&what.en, &what.zh);
    let hint = match spec.asked_by.get(c) {
        Some(loc) => {
            let l = loc.to_string();
            let named = if labels.is_empty() {
                String::new()
            } else {
                format!(" ({by})")
            };
            text!("required by {l}{named}; {we}", "由 {l}{named} 引用；{wz}")
        }
        None => what.clone(),
    };
    p.with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_key_strips_units_and_folds_widths() {
        let k = match_key("实际使用外资(万美元)");
        assert_eq!(k, "实际使用外资");
        assert_eq!(match_key("实际使用外资（万美元）"), k);
        assert_eq!(match_key(" 实际使用外资 【万美元】"), k);
        assert_eq!(match_key("ＦＤＩ　Actual"), "fdiactual");
        assert_eq!(match_key("(万元)"), "");
    }
}
