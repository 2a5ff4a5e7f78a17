//! `[[gates]]` and indicator vetoes: conditions with bounds that may come from lookup tables.

use super::*;

pub(super) const GATE_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "column",
    "formula",
    "min",
    "max",
    "k",
    "conditions",
    "description",
    "source",
];
pub(super) const CONDITION_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "column",
    "formula",
    "min",
    "max",
    "description",
    "source",
];

/// Reads `min` / `max` bounds (a number, or `{ lookup = "table" }`).
pub(super) fn read_bounds(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    what: &str,
    tables: &[LookupTable],
) -> (Option<Threshold>, Option<Threshold>) {
    if what == "veto" {
        r.check_keys(
            t,
            &Keys {
                table: "`veto`",
                allowed: &["min", "max"],
            },
        );
    }
    let mut bound = |key: &str| -> Option<Threshold> {
        let v = r.raw(t, key)?;
        if let DeValue::Table(lt) = v.get_ref() {
            let l = r.loc(v);
            r.check_keys(
                lt,
                &Keys {
                    table: "a threshold lookup",
                    allowed: &["lookup"],
                },
            );
            let (id, il) = r.required_string(lt, "lookup", &l, "a threshold lookup")?;
            return match tables.iter().position(|t| t.id == id) {
                Some(i) => Some(Threshold::Lookup { table: i }),
                None => {
                    let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
                    r.problems.push(
                        Problem::at(
                            Some(il),
                            text!(
                                "no [[tables]] with id `{id}`",
                                "没有 id 为 `{id}` 的 [[tables]]"
                            ),
                        )
                        .with_hint(crate::error::suggest(&id, &ids)),
                    );
                    None
                }
            };
        }
        r.number(t, key).map(|(x, _)| Threshold::Value(x))
    };
    let (min, max) = (bound("min"), bound("max"));
    // A bound that was written but invalid has been reported already.
    let written = t.get("min").is_some() || t.get("max").is_some();
    if min.is_none() && max.is_none() && !written {
        r.error(
            loc.clone(),
            text!("{what} needs `min` or `max`", "{what} 需要 `min` 或 `max`"),
        );
    }
    if let (Some(Threshold::Value(a)), Some(Threshold::Value(b))) = (&min, &max)
        && a > b
    {
        r.error(
            loc.clone(),
            text!("{what}: min {a} > max {b}", "{what}：min {a} > max {b}"),
        );
    }
    (min, max)
}

pub(super) fn read_condition(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    tables: &[LookupTable],
    keys: &[&str],
) -> Option<Condition> {
    r.check_keys(
        t,
        &Keys {
            table: "[[gates]]",
            allowed: keys,
        },
    );
    let id = r.required_string(t, "id", loc, "[[gates]]").map(|s| s.0);
    r.string(t, "description");
    r.string(t, "source");
    let name = r.string(t, "name").map(|s| s.0);
    let name_en = r.string(t, "name_en").map(|s| s.0);
    let column = r.string(t, "column");
    let formula = r.string(t, "formula");
    let source = match (column, formula) {
        (Some((c, _)), None) => Some(ValueSource::Column(c)),
        (None, Some((f, l))) => parse_formula(r, &f, &l).map(ValueSource::Formula),
        _ => {
            r.error(
                loc.clone(),
                text!(
                    "a gate condition needs exactly one of `column` and `formula`",
                    "门槛条件需要且只能给出 `column` 或 `formula` 之一"
                ),
            );
            None
        }
    };
    let (min, max) = read_bounds(r, t, loc, "a gate condition", tables);
    let id = id?;
    Some(Condition {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        name_en,
        source: source?,
        min,
        max,
        location: loc.clone(),
    })
}

pub(super) fn read_gate(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    tables: &[LookupTable],
) -> Option<Gate> {
    if r.raw(t, "conditions").is_none() {
        let c = read_condition(r, t, loc, tables, GATE_KEYS)?;
        return Some(Gate {
            id: c.id.clone(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            conditions: vec![c],
            k: 1,
            location: loc.clone(),
        });
    }
    r.check_keys(
        t,
        &Keys {
            table: "[[gates]]",
            allowed: GATE_KEYS,
        },
    );
    let id = r.required_string(t, "id", loc, "[[gates]]")?.0;
    let name = r
        .string(t, "name")
        .map(|s| s.0)
        .unwrap_or_else(|| id.clone());
    let name_en = r.string(t, "name_en").map(|s| s.0);
    for k in ["column", "formula", "min", "max"] {
        if let Some(v) = r.raw(t, k) {
            let l = r.loc(v);
            r.error(
                l,
                text!(
                    "a k-of-n gate takes `{k}` in each of its `conditions`",
                    "k-of-n 门槛的 `{k}` 应写在各个 `conditions` 中"
                ),
            );
        }
    }
    let conditions: Vec<Condition> = r
        .tables(t, "conditions")
        .into_iter()
        .filter_map(|(ct, cl)| read_condition(r, ct, &cl, tables, CONDITION_KEYS))
        .collect();
    let n = conditions.len();
    let k = match r.number(t, "k") {
        None => n,
        Some((k, l)) => {
            if k.fract() != 0.0 || k < 1.0 || k as usize > n {
                r.error(
                    l,
                    text!(
                        "`k` must be a whole number from 1 to {n} (found {k})",
                        "`k` 必须为 1 到 {n} 的整数（实际为 {k}）"
                    ),
                );
            }
            k as usize
        }
    };
    if n == 0 {
        r.error(
            loc.clone(),
            text!("gate `{id}` has no conditions", "门槛 `{id}` 没有条件"),
        );
        return None;
    }
    Some(Gate {
        id,
        name,
        name_en,
        conditions,
        k,
        location: loc.clone(),
    })
}
