//! JSON output: the `evaluate` contract of DESIGN.md, from the [`ReportModel`].
//!
//! The contract's keys come first in its order (`system`, `method`, `weights`, `zones`; per
//! zone `id`, `name`, `value`, `score`, `rank`, `grade`, `criteria`, `vetoed`); extra keys
//! follow them (year, consistency, imputed cells, explanations, provenance), so consumers of
//! the contract are unaffected. Every key is always present: an empty list or object, or null
//! when it does not apply (docs/schemas/evaluate.schema.json). The same value opens results.json, with the model added under `report`.

use serde_json::{Map, Value, json};

use crate::model::{ReportModel, ZoneRow};

fn f(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(v))
}

/// One zone of the contract.
fn zone(model: &ReportModel, z: &ZoneRow) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(z.id));
    o.insert("name".into(), json!(z.name));
    o.insert("value".into(), f(z.value));
    o.insert("score".into(), f(z.score));
    o.insert("rank".into(), z.rank.map_or(Value::Null, |k| json!(k)));
    o.insert(
        "grade".into(),
        z.grade
            .and_then(|g| model.grades.get(g))
            .map_or(Value::Null, |g| json!(g.name)),
    );
    // Only ranked zones have criterion sub-scores (an unranked zone shows `{}`).
    let crit: Map<String, Value> = if z.rank.is_some() {
        model
            .criteria
            .iter()
            .zip(&z.criteria)
            .map(|(&k, s)| (model.nodes[k].named.id.clone(), f(*s)))
            .collect()
    } else {
        Map::new()
    };
    o.insert("criteria".into(), Value::Object(crit));
    o.insert("vetoed".into(), json!(z.vetoed));
    // Extra keys, always present (empty, or null when not applicable).
    let g: Map<String, Value> = z
        .groups
        .iter()
        .map(|g| {
            (
                g.column.clone(),
                json!({ "group": g.group, "rank": g.rank }),
            )
        })
        .collect();
    o.insert("groups".into(), Value::Object(g));
    o.insert("veto_reasons".into(), json!(z.veto_reasons));
    o.insert(
        "watch".into(),
        if model.watch_list {
            json!(z.watch)
        } else {
            Value::Null
        },
    );
    // Panel additions (DESIGN.md "Panels"): every evaluated year, the rules the zone is on,
    // the adjustments when the system has any, and the change since the previous year.
    let history: Vec<Value> = match (model.panel.is_some(), model.year) {
        // One year of data: the history is that year.
        (false, Some(y)) => vec![json!({ "year": y, "score": f(z.score), "rank": z.rank })],
        _ => z
            .history
            .iter()
            .map(|h| json!({ "year": h.year, "score": f(h.score), "rank": h.rank }))
            .collect(),
    };
    o.insert("history".into(), Value::Array(history));
    o.insert("rules".into(), json!(z.rules));
    if !model.adjustments.is_empty() {
        let a: Map<String, Value> = model
            .adjustments
            .iter()
            .zip(&z.adjustments)
            .map(|(n, p)| (n.id.clone(), json!(p)))
            .collect();
        o.insert("adjustments".into(), Value::Object(a));
    }
    if let Some(t) = &z.trend {
        let ind = |v: &[Option<f64>]| -> Map<String, Value> {
            model
                .indicators
                .iter()
                .zip(v)
                .map(|(i, x)| (i.named.id.clone(), f(*x)))
                .collect()
        };
        o.insert(
            "trend".into(),
            json!({
                "score_change": f(t.score_change),
                "rank_change": t.rank_change,
                "change_p05": f(t.change_p05),
                "change_p95": f(t.change_p95),
                "verdict": t.verdict,
                "indicator_change": ind(&t.indicator_change),
                "indicator_cagr": ind(&t.indicator_cagr),
            }),
        );
    }
    if !z.earlier_names.is_empty() {
        o.insert("earlier_names".into(), json!(z.earlier_names));
    }
    let d: Map<String, Value> = model
        .details
        .iter()
        .zip(&z.details)
        .map(|(c, v)| (c.key.clone(), json!(v)))
        .collect();
    o.insert("details".into(), Value::Object(d));
    Value::Object(o)
}

/// The contract as a JSON value. A model read back from results.json lacks what only the run
/// knows ([`crate::model::RunDetails`]): the weighting is then named as the model saved it,
/// without weighting details, and the treated values are those the model kept.
pub fn value(model: &ReportModel) -> Value {
    let mut root = skeleton(model);
    let zones: Vec<Value> = model.zones.iter().map(|z| zone(model, z)).collect();
    root.insert("zones".into(), Value::Array(zones));
    Value::Object(root)
}

/// The zones of the contract, made and serialised one at a time (a large report streams
/// results.json without the whole array in memory): the same bytes as `value(model)["zones"]`.
pub struct Zones<'a>(pub &'a ReportModel);

impl serde::Serialize for Zones<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.zones.len()))?;
        for z in &self.0.zones {
            seq.serialize_element(&zone(self.0, z))?;
        }
        seq.end()
    }
}

/// The contract's keys in order, with `zones` null: [`value`] fills it, a streamed
/// results.json writes [`Zones`] in its place.
pub fn skeleton(model: &ReportModel) -> Map<String, Value> {
    let run = model.run.0.as_ref();
    let mut root = Map::new();
    root.insert("system".into(), json!(model.system.id));
    root.insert(
        "method".into(),
        json!({
            "normalization": model.method.normalization.clone().unwrap_or_else(|| "intrinsic".into()),
            "weighting": model.weighting_name(),
            "aggregation": model.method.aggregation_name,
            "goalposts": model.panel.as_ref().map_or("per-year", |p| p.goalposts.as_str()),
        }),
    );
    root.insert(
        "weights".into(),
        Value::Array(
            model
                .indicators
                .iter()
                .map(|i| json!({ "id": i.named.id, "weight": i.weight }))
                .collect(),
        ),
    );
    root.insert("zones".into(), Value::Null);
    let years: Vec<i64> = match &model.panel {
        Some(p) => p.years.clone(),
        None => model.year.into_iter().collect(),
    };
    root.insert("years".into(), json!(years));
    let rules: Vec<Value> = model
        .panel
        .iter()
        .flat_map(|p| &p.rules)
        .map(|r| {
            json!({
                "id": r.named.id,
                "name": r.named.name,
                "side": r.side,
                "n": r.n,
                "within": r.within,
                "times": r.times,
                "of_last": r.of_last,
                "window": r.window,
                "missing_years": r.missing_years,
                "zones": r.zones.iter().map(|z| json!({
                    "id": z.id, "name": z.name, "years": z.years, "mean_score": z.mean_score,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    root.insert("rules".into(), Value::Array(rules));
    if let Some(p) = &model.panel
        && p.previous.is_some()
    {
        root.insert(
            "trend_interval".into(),
            json!({
                "previous_year": p.previous,
                "comparable": p.comparable,
                "samples": p.interval_samples,
                "perturb": p.interval_perturb,
                "seed": p.interval_seed,
                "note": p.no_interval.as_ref().map(|m| m.en.clone()),
            }),
        );
    }
    root.insert("system_name".into(), json!(model.system.name));
    root.insert("year".into(), model.year.map_or(Value::Null, |y| json!(y)));
    root.insert("scale".into(), json!(model.scale));
    root.insert("consistency".into(), json!(model.consistency));
    // Weighting details: null when the weighting has none (or the model was read back).
    let details = run
        .filter(|r| !r.weight_details.is_empty())
        .map_or(Value::Null, |r| {
            Value::Object(
                r.weight_details
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect(),
            )
        });
    root.insert("weight_details".into(), details);
    let q = &model.quality;
    root.insert("imputed".into(), json!(q.imputed));
    let treated = match run {
        Some(r) => json!(r.treated),
        None => json!(q.treated.iter().flat_map(|g| &g.cells).collect::<Vec<_>>()),
    };
    root.insert("treated".into(), treated);
    root.insert("dropped".into(), json!(q.dropped));
    root.insert("synthetic_data".into(), json!(model.synthetic));
    let (scope, outside) = match &model.scope {
        Some(s) => (
            json!({
                "name": s.name,
                "rule": s.rule,
                "note": s.note.as_ref().map(|n| n.en.clone()),
            }),
            s.not_in_scope
                .iter()
                .map(|z| json!({ "id": z.id, "name": z.name, "reason": z.reason.en }))
                .collect(),
        ),
        None => (Value::Null, Vec::new()),
    };
    root.insert("scope".into(), scope);
    root.insert("not_in_scope".into(), Value::Array(outside));
    let own = run.map_or(q.warnings.len(), |r| r.warnings);
    let warnings: Vec<&str> = q.warnings.iter().take(own).map(|w| w.en.as_str()).collect();
    root.insert("warnings".into(), json!(warnings));
    root.insert(
        "provenance".into(),
        model.provenance.as_ref().map_or(Value::Null, |p| json!(p)),
    );
    root
}

/// Pretty-printed JSON with a trailing newline.
pub fn render(model: &ReportModel) -> String {
    let mut s = serde_json::to_string_pretty(&value(model)).expect("JSON values serialise");
    s.push('\n');
    s
}
