//! JSON output: the `evaluate` contract of DESIGN.md.
//!
//! The contract's keys come first in its order (`system`, `method`, `weights`, `zones`; per
//! zone `id`, `name`, `value`, `score`, `rank`, `grade`, `criteria`, `vetoed`); extra keys
//! follow them (year, consistency, imputed cells, explanations), so consumers of the contract
//! are unaffected.

use serde_json::{Map, Value, json};

use zoneval_core::evaluation::Evaluation;

fn f(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(v))
}

/// The whole evaluation as a JSON value.
pub fn value(ev: &Evaluation) -> Value {
    let sys = ev.system();
    let m = &ev.methods;
    let mut root = Map::new();
    root.insert("system".into(), json!(sys.id));
    root.insert(
        "method".into(),
        json!({
            "normalization": m.normalization.clone().unwrap_or_else(|| "intrinsic".into()),
            "weighting": m.weighting_name,
            "aggregation": m.aggregation_name,
        }),
    );
    root.insert(
        "weights".into(),
        Value::Array(
            sys.indicators
                .iter()
                .zip(&ev.weights.weights)
                .map(|(i, w)| json!({ "id": i.id, "weight": w }))
                .collect(),
        ),
    );
    let zones: Vec<Value> = ev
        .results
        .iter()
        .map(|r| {
            let z = ev.zone(r);
            let mut o = Map::new();
            o.insert("id".into(), json!(z.id));
            o.insert("name".into(), json!(z.name));
            o.insert("value".into(), f(r.value));
            o.insert("score".into(), f(r.score));
            o.insert("rank".into(), r.rank.map_or(Value::Null, |k| json!(k)));
            o.insert(
                "grade".into(),
                r.grade.map_or(Value::Null, |g| json!(sys.grades[g].name)),
            );
            let crit: Map<String, Value> = r
                .criteria
                .iter()
                .map(|(k, s)| (sys.nodes[*k].id.clone(), f(*s)))
                .collect();
            o.insert("criteria".into(), Value::Object(crit));
            o.insert("vetoed".into(), json!(r.vetoed));
            // Extra keys.
            if !r.group_ranks.is_empty() {
                let g: Map<String, Value> = r
                    .group_ranks
                    .iter()
                    .map(|(c, g, k)| (c.clone(), json!({ "group": g, "rank": k })))
                    .collect();
                o.insert("groups".into(), Value::Object(g));
            }
            let fails = &ev.prepared.gate_failures[r.zone];
            if !fails.is_empty() {
                o.insert("veto_reasons".into(), json!(fails));
            }
            if sys.report.watch_bottom.is_some() {
                o.insert("watch".into(), json!(r.watch));
            }
            if let Some(pos) = ev.ranked.iter().position(|&z| z == r.zone)
                && !ev.aggregated.tables.is_empty()
            {
                let d: Map<String, Value> = ev
                    .aggregated
                    .tables
                    .iter()
                    .map(|t| (t.key.to_string(), json!(t.values[pos])))
                    .collect();
                o.insert("details".into(), Value::Object(d));
            }
            Value::Object(o)
        })
        .collect();
    root.insert("zones".into(), Value::Array(zones));
    root.insert("system_name".into(), json!(sys.name));
    root.insert(
        "year".into(),
        ev.prepared.year.map_or(Value::Null, |y| json!(y)),
    );
    root.insert("scale".into(), json!(sys.scale));
    root.insert("consistency".into(), json!(ev.weights.consistency));
    if !ev.weights.table.is_empty() {
        let t: Map<String, Value> = ev
            .weights
            .table
            .iter()
            .map(|t| (t.key.to_string(), json!(t.values)))
            .collect();
        root.insert("weight_details".into(), Value::Object(t));
    }
    root.insert("imputed".into(), json!(ev.prepared.imputed));
    if !ev.prepared.treated.is_empty() {
        root.insert("treated".into(), json!(ev.prepared.treated));
    }
    if !ev.prepared.dropped.is_empty() {
        let d: Vec<Value> = ev
            .prepared
            .dropped
            .iter()
            .map(|(id, name, miss)| json!({ "id": id, "name": name, "missing": miss }))
            .collect();
        root.insert("dropped".into(), Value::Array(d));
    }
    let warnings: Vec<String> = ev
        .warnings
        .iter()
        .map(|w| w.render(zoneval_core::error::Lang::En))
        .collect();
    root.insert("warnings".into(), json!(warnings));
    Value::Object(root)
}

/// Pretty-printed JSON with a trailing newline.
pub fn render(ev: &Evaluation) -> String {
    let mut s = serde_json::to_string_pretty(&value(ev)).expect("JSON values serialise");
    s.push('\n');
    s
}
