//! The JSON documents of `audit` and `compare` (the contract in docs/audit-compare.md), built
//! from the engine's results so that the CLI's `--format json` and the Python package's
//! `.json()` are the same bytes.

use serde_json::{Map, Value, json};

use crate::model::CompareSection;
use crate::model::analysis::alpha_keyword;
use zoneval_core::analysis::audit::{self, Audit};
use zoneval_core::error::Lang;
use zoneval_core::system::IndicatorSystem;

/// A document as written: pretty-printed (two-space indent) with a final newline.
pub fn to_string(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// The id of an indicator's direct criterion (None for a flat system).
fn criterion_of(sys: &IndicatorSystem, j: usize) -> Option<&str> {
    let parent = sys.nodes[sys.indicators[j].node].parent?;
    sys.nodes[parent]
        .parent
        .map(|_| sys.nodes[parent].id.as_str())
}

/// The audit document of `a` (an audit of `sys`): a machine format, the same in every
/// language (the flags' messages in English, as `evaluate`'s warnings; `_lang` is kept for
/// callers), every key present (`alpha_undefined` null when α is defined).
pub fn audit(a: &Audit, sys: &IndicatorSystem, _lang: Lang) -> Value {
    let indicators: Vec<Value> = a
        .indicators
        .iter()
        .map(|i| {
            let ind = &sys.indicators[i.index];
            json!({
                "id": ind.id,
                "name": ind.name,
                "criterion": criterion_of(sys, i.index),
                "coverage": i.coverage,
                "skewness": i.skewness,
                "kurtosis": i.kurtosis,
                "size_correlation": i.size_correlation,
                "nominal_weight": i.nominal_weight,
                "effective_weight": i.effective_weight,
            })
        })
        .collect();
    let pairs = |ps: &[audit::Pair]| -> Vec<Value> {
        ps.iter()
            .map(|p| json!({ "a": sys.indicators[p.a].id, "b": sys.indicators[p.b].id, "r": p.r }))
            .collect()
    };
    let criteria: Vec<Value> = a
        .criteria
        .iter()
        .map(|c| {
            let node = &sys.nodes[c.node];
            let mut v = json!({
                "id": node.id,
                "name": node.name,
                "indicators": c.indicators.iter().map(|&j| &sys.indicators[j].id).collect::<Vec<_>>(),
                "cronbach_alpha": c.cronbach_alpha.ok(),
            });
            v["alpha_undefined"] = json!(c.cronbach_alpha.err().map(alpha_keyword));
            v["pc1_share"] = json!(c.pc1_share);
            v["redundant_pairs"] = json!(pairs(&c.redundant_pairs));
            v["conflicting_pairs"] = json!(pairs(&c.conflicting_pairs));
            v
        })
        .collect();
    let flags: Vec<Value> = a
        .flags
        .iter()
        .map(|f| json!({ "id": f.id, "kind": f.kind.name(), "message": f.message.get(Lang::En) }))
        .collect();
    json!({
        "analysis": "audit",
        "indicators": indicators,
        "criteria": criteria,
        "flags": flags,
    })
}

/// The compare document of the section `s`.
pub fn compare(s: &CompareSection) -> Value {
    let zones: Vec<Value> = s
        .zones
        .iter()
        .map(|z| {
            let mut o = Map::new();
            o.insert("id".into(), json!(z.id));
            o.insert("name".into(), json!(z.name));
            let ranks: Map<String, Value> = s
                .labels
                .iter()
                .zip(&z.ranks)
                .map(|(l, r)| (l.clone(), json!(r)))
                .collect();
            o.insert("ranks".into(), Value::Object(ranks));
            // Keys always present: null when comparing methods rather than systems.
            let grades = s.systems.then(|| {
                s.labels
                    .iter()
                    .zip(&z.grades)
                    .map(|(l, g)| (l.clone(), json!(g)))
                    .collect::<Map<String, Value>>()
            });
            o.insert("grades".into(), json!(grades));
            o.insert("borda".into(), json!(z.borda));
            o.insert("copeland".into(), json!(z.copeland));
            o.insert("rank".into(), json!(z.rank));
            o.insert("rank_range".into(), json!([z.best, z.worst]));
            let systems = s.systems && z.ranks.len() >= 2;
            o.insert("delta_rank".into(), json!(systems.then(|| z.delta_rank())));
            o.insert(
                "grade_changed".into(),
                json!(systems.then(|| z.grade_changed())),
            );
            Value::Object(o)
        })
        .collect();
    json!({
        "analysis": "compare",
        "methods": s.labels,
        "zones": zones,
        "spearman": s.spearman,
        "kendall": s.kendall,
    })
}
