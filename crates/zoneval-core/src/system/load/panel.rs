//! `[method] goalposts`, an indicator's fixed `goalposts`, `[[adjustments]]` and `[[rules]]`.

use toml::de::{DeTable, DeValue};

use super::nodes::parse_formula;
use crate::error::Location;
use crate::system::toml_read::{Keys, Reader};
use crate::system::{Adjustment, Goalposts, Rule, RuleSide, ValueSource};
use crate::text;

const GOALPOST_KEYS: &[&str] = &["kind", "year", "cap"];
const ADJUSTMENT_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "column",
    "formula",
    "points",
    "max",
    "description",
    "source",
];
const RULE_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "bottom",
    "top",
    "within",
    "times",
    "of_last",
    "description",
    "source",
];

/// `[method] goalposts`: `"per-year"`, `"pooled"` or `{ kind = "base-year", year, cap }`.
pub(super) fn read_goalposts(
    r: &mut Reader<'_>,
    mt: &DeTable<'_>,
) -> (Goalposts, Option<Location>) {
    let Some(v) = r.raw(mt, "goalposts") else {
        return (Goalposts::PerYear, None);
    };
    let loc = r.loc(v);
    const KINDS: &[&str] = &["per-year", "pooled", "base-year"];
    let unknown = |r: &mut Reader<'_>, k: &str, loc: Location| {
        r.problems.push(
            crate::error::Problem::at(
                Some(loc),
                text!("unknown goalposts `{k}`", "未知的 goalposts `{k}`"),
            )
            .with_hint(crate::error::suggest(k, KINDS)),
        );
    };
    let g = match v.get_ref() {
        DeValue::String(s) => match s.as_ref() {
            "per-year" => Goalposts::PerYear,
            "pooled" => Goalposts::Pooled,
            "base-year" => {
                r.error(
                    loc.clone(),
                    text!(
                        "base-year goalposts need the year: goalposts = {{ kind = \"base-year\", year = 2022 }}",
                        "基年标准化需要给出基年：goalposts = {{ kind = \"base-year\", year = 2022 }}"
                    ),
                );
                Goalposts::PerYear
            }
            k => {
                unknown(r, k, loc.clone());
                Goalposts::PerYear
            }
        },
        DeValue::Table(t) => {
            r.check_keys(
                t,
                &Keys {
                    table: "[method] goalposts",
                    allowed: GOALPOST_KEYS,
                },
            );
            let kind = r.string(t, "kind");
            match kind.as_ref().map(|k| k.0.as_str()) {
                Some("base-year") => {
                    let year = match r.number(t, "year") {
                        Some((y, _)) if y.fract() == 0.0 && y.abs() < 1e6 => Some(y as i64),
                        Some((y, l)) => {
                            r.error(
                                l,
                                text!(
                                    "the base year must be a whole number (found {y})",
                                    "基年必须为整数（实际为 {y}）"
                                ),
                            );
                            None
                        }
                        None => {
                            r.error(
                                loc.clone(),
                                text!("base-year goalposts need `year`", "基年标准化缺少 `year`"),
                            );
                            None
                        }
                    };
                    let cap = r.boolean(t, "cap").unwrap_or(false);
                    year.map_or(Goalposts::PerYear, |year| Goalposts::BaseYear { year, cap })
                }
                Some(k @ ("per-year" | "pooled")) => {
                    if t.get("year").is_some() || t.get("cap").is_some() {
                        r.error(
                            loc.clone(),
                            text!(
                                "`year` and `cap` belong to goalposts of kind \"base-year\", not \"{k}\"",
                                "`year` 与 `cap` 仅用于 kind = \"base-year\"，不用于 \"{k}\""
                            ),
                        );
                    }
                    if k == "pooled" {
                        Goalposts::Pooled
                    } else {
                        Goalposts::PerYear
                    }
                }
                Some(k) => {
                    let l = kind.as_ref().map_or(loc.clone(), |k| k.1.clone());
                    unknown(r, k, l);
                    Goalposts::PerYear
                }
                None => {
                    r.error(
                        loc.clone(),
                        text!(
                            "`goalposts` table needs `kind = \"…\"`",
                            "`goalposts` 表缺少 `kind = \"…\"`"
                        ),
                    );
                    Goalposts::PerYear
                }
            }
        }
        _ => {
            r.error(
                loc.clone(),
                text!(
                    "`goalposts` must be \"per-year\", \"pooled\" or {{ kind = \"base-year\", year = … }}",
                    "`goalposts` 应为 \"per-year\"、\"pooled\" 或 {{ kind = \"base-year\", year = … }}"
                ),
            );
            Goalposts::PerYear
        }
    };
    (g, Some(loc))
}

/// An indicator's fixed min-max goalposts `[low, high]`.
pub(super) fn read_indicator_goalposts(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    id: &str,
) -> Option<(f64, f64)> {
    let v = r.raw(t, "goalposts")?;
    let loc = r.loc(v);
    let xs = r.numbers(v, "goalposts", false)?;
    match xs.as_slice() {
        [lo, hi] if lo < hi => Some((*lo, *hi)),
        _ => {
            r.error(
                loc,
                text!(
                    "indicator `{id}`: `goalposts` must be [low, high] with low < high",
                    "指标 `{id}`：`goalposts` 应为 [下限, 上限] 且下限 < 上限"
                ),
            );
            None
        }
    }
}

/// `[[adjustments]]`.
pub(super) fn read_adjustments(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<Adjustment> {
    let mut out: Vec<Adjustment> = Vec::new();
    for (t, loc) in r.tables(doc, "adjustments") {
        r.check_keys(
            t,
            &Keys {
                table: "[[adjustments]]",
                allowed: ADJUSTMENT_KEYS,
            },
        );
        r.string(t, "description");
        r.string(t, "source");
        let id = r
            .required_string(t, "id", &loc, "[[adjustments]]")
            .map(|s| s.0);
        let name = r.string(t, "name").map(|s| s.0);
        let name_en = r.string(t, "name_en").map(|s| s.0);
        let source = match (r.string(t, "column"), r.string(t, "formula")) {
            (Some((c, _)), None) => Some(ValueSource::Column(c)),
            (None, Some((f, l))) => parse_formula(r, &f, &l).map(ValueSource::Formula),
            _ => {
                r.error(
                    loc.clone(),
                    text!(
                        "an adjustment needs exactly one of `column` and `formula`",
                        "加减分项需要且只能给出 `column` 或 `formula` 之一"
                    ),
                );
                None
            }
        };
        let points = match r.number(t, "points") {
            Some((p, _)) => Some(p),
            None => {
                if t.get("points").is_none() {
                    r.error(
                        loc.clone(),
                        text!(
                            "an adjustment needs `points` (display-score points per unit; negative for a deduction)",
                            "加减分项缺少 `points`（每单位的分值；扣分为负数）"
                        ),
                    );
                }
                None
            }
        };
        let max = match r.number(t, "max") {
            Some((m, _)) if m > 0.0 => Some(m),
            Some((m, l)) => {
                r.error(
                    l,
                    text!(
                        "`max` caps the size of the item's total and must be positive (found {m})",
                        "`max` 为该项总分的绝对值上限，必须为正数（实际为 {m}）"
                    ),
                );
                None
            }
            None => None,
        };
        let (Some(id), Some(source), Some(points)) = (id, source, points) else {
            continue;
        };
        if out.iter().any(|a| a.id == id) {
            r.error(
                loc,
                text!("duplicate adjustment id `{id}`", "加减分项 id `{id}` 重复"),
            );
            continue;
        }
        out.push(Adjustment {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            name_en,
            source,
            points,
            max,
            location: loc,
        });
    }
    out
}

/// A positive whole number, or an error at its location.
fn count(r: &mut Reader<'_>, t: &DeTable<'_>, key: &str) -> Option<usize> {
    match r.number(t, key) {
        Some((x, _)) if x >= 1.0 && x.fract() == 0.0 && x < 1e9 => Some(x as usize),
        Some((x, l)) => {
            r.error(
                l,
                text!(
                    "`{key}` must be a positive whole number (found {x})",
                    "`{key}` 必须为正整数（实际为 {x}）"
                ),
            );
            None
        }
        None => None,
    }
}

/// `[[rules]]`.
pub(super) fn read_rules(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    for (t, loc) in r.tables(doc, "rules") {
        r.check_keys(
            t,
            &Keys {
                table: "[[rules]]",
                allowed: RULE_KEYS,
            },
        );
        r.string(t, "description");
        r.string(t, "source");
        let id = r.required_string(t, "id", &loc, "[[rules]]").map(|s| s.0);
        let name = r.string(t, "name").map(|s| s.0);
        let name_en = r.string(t, "name_en").map(|s| s.0);
        let bottom = count(r, t, "bottom");
        let top = count(r, t, "top");
        let side = match (bottom, top, t.get("bottom"), t.get("top")) {
            (Some(n), None, _, None) => Some(RuleSide::Bottom(n)),
            (None, Some(n), None, _) => Some(RuleSide::Top(n)),
            (_, _, Some(_), Some(_)) => {
                r.error(
                    loc.clone(),
                    text!(
                        "a rule lists either the `bottom` or the `top` zones, not both",
                        "规则只能给出 `bottom` 或 `top` 之一"
                    ),
                );
                None
            }
            (None, None, None, None) => {
                r.error(
                    loc.clone(),
                    text!(
                        "a rule needs `bottom = N` or `top = N`",
                        "规则需要 `bottom = N` 或 `top = N`"
                    ),
                );
                None
            }
            _ => None,
        };
        let within = r.string(t, "within").map(|s| s.0);
        let times = if t.get("times").is_some() {
            count(r, t, "times")
        } else {
            Some(1)
        };
        let of_last = if t.get("of_last").is_some() {
            count(r, t, "of_last")
        } else {
            times
        };
        if let (Some(k), Some(n)) = (times, of_last)
            && k > n
        {
            let l = t.get("times").map_or(loc.clone(), |v| r.loc(v));
            r.error(
                l,
                text!(
                    "`times = {k}` is more than `of_last = {n}`: no zone could meet the rule",
                    "`times = {k}` 大于 `of_last = {n}`：任何开发区都不可能满足该规则"
                ),
            );
            continue;
        }
        let (Some(id), Some(side), Some(times), Some(of_last)) = (id, side, times, of_last) else {
            continue;
        };
        if out.iter().any(|x| x.id == id) {
            r.error(
                loc,
                text!("duplicate rule id `{id}`", "规则 id `{id}` 重复"),
            );
            continue;
        }
        out.push(Rule {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            name_en,
            side,
            within,
            times,
            of_last,
            location: loc,
        });
    }
    out
}
