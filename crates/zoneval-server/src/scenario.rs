//! A scenario: the body of `/api/evaluate` and `/api/scenario`, and the system file it makes.
//!
//! Rules where the contract is silent (also in `docs/workbench.md`):
//! - `weights` are local weights (relative to the siblings) written into the system file as
//!   given; the engine divides each sibling group by its sum, as it does for any file. The page
//!   keeps siblings summing to 1.
//! - An explicit weight overrides AHP judgements: when a node's children are weighed by
//!   `ahp`/`ahp_experts` and any child gets a weight, the judgements are removed and every
//!   child is written with its weight — the given one, or its official (AHP-derived) local
//!   weight. If the weighting is `ahp` and no judgements remain, it becomes `expert`.
//! - A weighting that computes weights from the data (entropy, CRITIC, …) ignores written
//!   weights, so a scenario that gives both is refused (400) rather than silently ignored.

use serde::Deserialize;
use serde_json::Value;
use toml::Table;

use zoneval_core::bundled::{DEFAULT_DATA, Source};
use zoneval_core::method::weight;

use crate::ApiError;
use crate::workbench::Workbench;

/// Keys of a node (or of `[method]` for the root) that hold pairwise judgements.
const JUDGEMENT_KEYS: &[&str] = &["ahp", "ahp_experts", "ahp_combine", "ahp_tolerance"];

/// The body of a scenario request; every key optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Node id → local weight.
    #[serde(default)]
    pub weights: serde_json::Map<String, Value>,
    /// Method choices.
    #[serde(default)]
    pub method: MethodChoice,
    /// The year to evaluate (default: the latest in the data).
    #[serde(default)]
    pub year: Option<i64>,
}

/// `method` of a scenario: each a name or a table with `kind` (as in a system file).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodChoice {
    /// `[method] normalization`.
    #[serde(default)]
    pub normalization: Option<Value>,
    /// `[method] weighting`.
    #[serde(default)]
    pub weighting: Option<Value>,
    /// `[method] aggregation`.
    #[serde(default)]
    pub aggregation: Option<Value>,
}

impl Scenario {
    /// Parses a request body; errors name what is wrong.
    pub fn parse(body: &[u8]) -> Result<Scenario, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Scenario::default());
        }
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))
    }

    fn is_empty(&self) -> bool {
        self.weights.is_empty()
            && self.method.normalization.is_none()
            && self.method.weighting.is_none()
            && self.method.aggregation.is_none()
    }
}

/// The system text of a scenario.
pub enum Edited {
    /// Nothing changed: evaluate the loaded system.
    Unchanged,
    /// The edited system file.
    Text(String),
}

/// Applies `sc` to the workbench's system text.
pub fn edit(wb: &Workbench, sc: &Scenario) -> Result<Edited, ApiError> {
    if sc.is_empty() {
        return Ok(Edited::Unchanged);
    }
    let doc = edited_table(wb, sc)?;
    Ok(Edited::Text(to_text(&doc)?))
}

fn to_text(doc: &Table) -> Result<String, ApiError> {
    toml::to_string(doc).map_err(|e| ApiError::internal(format!("cannot write the scenario: {e}")))
}

/// The system file as a table with the scenario's weights and methods.
fn edited_table(wb: &Workbench, sc: &Scenario) -> Result<Table, ApiError> {
    let sys = wb.system();
    let mut doc: Table = toml::from_str(wb.system_text())
        .map_err(|e| ApiError::internal(format!("cannot re-read the system file: {e}")))?;

    // Weights: check every id and value first, so the error names the first bad one.
    let mut given: Vec<(usize, f64)> = Vec::new();
    for (id, v) in &sc.weights {
        let Some(node) = sys
            .nodes
            .iter()
            .position(|n| &n.id == id && n.parent.is_some())
        else {
            return Err(ApiError::bad_request(format!("unknown node id \"{id}\"")));
        };
        let w = v
            .as_f64()
            .filter(|w| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "weight of \"{id}\" must be a finite number ≥ 0, not {v}"
                ))
            })?;
        given.push((node, w));
    }

    let mut method = doc
        .remove("method")
        .and_then(|m| match m {
            toml::Value::Table(t) => Some(t),
            _ => None,
        })
        .unwrap_or_default();
    for (key, v) in [
        ("normalization", &sc.method.normalization),
        ("weighting", &sc.method.weighting),
        ("aggregation", &sc.method.aggregation),
    ] {
        if let Some(v) = v {
            method.insert(key.into(), json_to_toml(v, key)?);
        }
    }
    let weighting = method_kind(method.get("weighting")).unwrap_or_else(|| "expert".into());
    if !given.is_empty()
        && let Some(caps) = weight::capabilities(&weighting)
        && !caps.written_weights
    {
        return Err(ApiError::bad_request(format!(
            "weighting \"{weighting}\" computes the weights from the data and ignores written weights; choose expert, ahp or combined to set weights"
        )));
    }

    // Parents whose children get a weight; judgements there give way to the weights.
    let mut parents: Vec<usize> = given
        .iter()
        .filter_map(|&(n, _)| sys.nodes[n].parent)
        .collect();
    parents.sort_unstable();
    parents.dedup();
    let mut removed_judgements = Vec::new();
    for &p in &parents {
        let judged = sys
            .tree
            .nodes
            .get(p)
            .is_some_and(|t| t.ahp.is_some() || t.experts.is_some());
        if judged {
            let holder = if p == 0 {
                Some(&mut method)
            } else {
                node_table(&mut doc, &sys.nodes[p].id)
            };
            if let Some(t) = holder {
                for k in JUDGEMENT_KEYS {
                    t.remove(*k);
                }
            }
            removed_judgements.push(p);
        }
        for &c in &sys.nodes[p].children {
            let w = given
                .iter()
                .rev()
                .find(|(n, _)| *n == c)
                .map(|(_, w)| *w)
                .or(judged.then(|| wb.official_weights()[c]));
            if let Some(w) = w
                && let Some(t) = node_table(&mut doc, &sys.nodes[c].id)
            {
                t.insert("weight".into(), toml::Value::Float(w));
            }
        }
    }
    if weighting == "ahp" {
        let judgements_left = sys.tree.nodes.iter().enumerate().any(|(i, t)| {
            (t.ahp.is_some() || t.experts.is_some()) && !removed_judgements.contains(&i)
        });
        if !judgements_left {
            method.insert("weighting".into(), toml::Value::String("expert".into()));
        }
    }
    // `[method]` goes back where it was, in front of the tree (toml writes tables in order).
    let mut out = Table::new();
    for (k, v) in doc {
        if k == "data" || k == "criteria" || k == "indicators" {
            out.entry("method")
                .or_insert(toml::Value::Table(method.clone()));
        }
        out.insert(k, v);
    }
    out.entry("method").or_insert(toml::Value::Table(method));
    Ok(out)
}

/// The method name of a `[method]` entry (a name or a table with `kind`).
fn method_kind(v: Option<&toml::Value>) -> Option<String> {
    match v? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t) => t.get("kind").and_then(|k| k.as_str()).map(str::to_string),
        _ => None,
    }
}

/// The table of the criterion or indicator `id`, anywhere in the tree.
fn node_table<'a>(t: &'a mut Table, id: &str) -> Option<&'a mut Table> {
    let path = find_path(t, id)?;
    let mut cur = t;
    for (key, i) in path {
        cur = cur
            .get_mut(key)?
            .as_array_mut()?
            .get_mut(i)?
            .as_table_mut()?;
    }
    Some(cur)
}

fn find_path(t: &Table, id: &str) -> Option<Vec<(&'static str, usize)>> {
    for key in ["criteria", "indicators"] {
        let Some(arr) = t.get(key).and_then(|v| v.as_array()) else {
            continue;
        };
        for (i, item) in arr.iter().enumerate() {
            let Some(child) = item.as_table() else {
                continue;
            };
            if child.get("id").and_then(|v| v.as_str()) == Some(id) {
                return Some(vec![(key, i)]);
            }
            if let Some(mut rest) = find_path(child, id) {
                rest.insert(0, (key, i));
                return Some(rest);
            }
        }
    }
    None
}

/// A JSON method value as TOML (strings, numbers, booleans, arrays and tables).
fn json_to_toml(v: &Value, key: &str) -> Result<toml::Value, ApiError> {
    Ok(match v {
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::Array(a) => toml::Value::Array(
            a.iter()
                .map(|x| json_to_toml(x, key))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => {
            let mut t = Table::new();
            for (k, x) in o {
                t.insert(k.clone(), json_to_toml(x, key)?);
            }
            toml::Value::Table(t)
        }
        Value::Null => {
            return Err(ApiError::bad_request(format!(
                "method {key}: null is not a method; leave the key out for the system's own"
            )));
        }
    })
}

/// The scenario as a file to save: the edited system, with `[data] path` made to work from
/// anywhere, under a header saying what it is and how to evaluate it.
pub fn scenario_file(wb: &Workbench, sc: &Scenario) -> Result<String, ApiError> {
    let mut doc = if sc.is_empty() {
        toml::from_str(wb.system_text())
            .map_err(|e| ApiError::internal(format!("cannot re-read the system file: {e}")))?
    } else {
        edited_table(wb, sc)?
    };
    let mut data_flag = None;
    if let Some(toml::Value::Table(data)) = doc.get_mut("data") {
        match wb.data_source() {
            Source::File(p) => {
                let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                data.insert(
                    "path".into(),
                    toml::Value::String(abs.display().to_string()),
                );
            }
            Source::Bundled(name) => {
                data.remove("path");
                let id = std::path::Path::new(name)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if id != DEFAULT_DATA {
                    data_flag = Some(id);
                }
            }
        }
    } else if let Source::Bundled(name) = wb.data_source() {
        let id = std::path::Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if id != DEFAULT_DATA {
            data_flag = Some(id);
        }
    }
    let body = to_text(&doc)?;
    let mut cmd = String::from("zoneval evaluate --system THIS_FILE");
    if let Some(id) = &data_flag {
        cmd.push_str(&format!(" --data {id}"));
    }
    if let Some(y) = sc.year {
        cmd.push_str(&format!(" --year {y}"));
    }
    let id = comment_safe(&wb.system().id);
    Ok(format!(
        "# A zoneval workbench scenario of the system \"{id}\" (weights and methods as set in the page).\n# Evaluate it with: {}\n\n{body}",
        comment_safe(&cmd)
    ))
}

/// `s` on one comment line: control characters become spaces.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoneval_core::error::Lang;

    fn bundled() -> Workbench {
        Workbench::load(None, None, Lang::En).unwrap()
    }

    fn scenario(json: &str) -> Scenario {
        Scenario::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn a_weight_under_ahp_judgements_replaces_them_with_weights() {
        let wb = bundled();
        let t = edited_table(&wb, &scenario(r#"{"weights": {"trade": 0.5}}"#)).unwrap();
        let method = t["method"].as_table().unwrap();
        assert!(method.get("ahp").is_none());
        assert_eq!(method["weighting"].as_str(), Some("expert"));
        let sys = wb.system();
        let crits = t["criteria"].as_array().unwrap();
        assert_eq!(crits.len(), sys.nodes[0].children.len());
        for (c, &n) in crits.iter().zip(&sys.nodes[0].children) {
            let w = c["weight"].as_float().unwrap();
            if sys.nodes[n].id == "trade" {
                assert_eq!(w, 0.5);
            } else {
                assert_eq!(w, wb.official_weights()[n], "{}", sys.nodes[n].id);
            }
        }
        // `[method]` stays ahead of the tree, so the file reads as before.
        let keys: Vec<&String> = t.keys().collect();
        let pos = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert!(pos("method") < pos("criteria"));
    }

    #[test]
    fn a_weight_without_judgements_touches_only_that_node() {
        let wb = bundled();
        let t = edited_table(&wb, &scenario(r#"{"weights": {"fdi_actual": 0.9}}"#)).unwrap();
        let fdi = t["criteria"][0].as_table().unwrap();
        assert_eq!(fdi["indicators"][0]["weight"].as_float(), Some(0.9));
        assert_eq!(fdi["indicators"][1]["weight"].as_float(), Some(0.1));
        // The root's judgements stay: no criterion weight was given.
        assert!(t["method"].as_table().unwrap().get("ahp").is_some());
    }

    #[test]
    fn weights_with_a_data_driven_weighting_are_refused() {
        let wb = bundled();
        let e = edited_table(
            &wb,
            &scenario(r#"{"weights": {"fdi": 0.5}, "method": {"weighting": {"kind": "std-dev", "on": "raw"}}}"#),
        )
        .unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.message().contains("std-dev"), "{}", e.message());
        // Without weights the method change alone is fine.
        assert!(edited_table(&wb, &scenario(r#"{"method": {"weighting": "entropy"}}"#)).is_ok());
    }

    #[test]
    fn unknown_ids_keys_and_bad_weights_are_400() {
        let wb = bundled();
        for body in [
            r#"{"weights": {"shandong-provincial": 1}}"#,
            r#"{"weights": {"nope": 1}}"#,
            r#"{"weights": {"fdi": -0.1}}"#,
            r#"{"weights": {"fdi": null}}"#,
            r#"{"method": {"aggregation": {"kind": "vikor", "v": null}}}"#,
        ] {
            let e = edited_table(&wb, &scenario(body)).unwrap_err();
            assert_eq!(e.status(), 400, "{body}");
        }
        assert!(Scenario::parse(br#"{"weight": {}}"#).is_err());
        assert!(Scenario::parse(br#"{"method": {"aggregate": "topsis"}}"#).is_err());
        assert!(Scenario::parse(b"  ").is_ok());
    }

    #[test]
    fn comment_lines_stay_comments() {
        assert_eq!(comment_safe("a\nb\rc"), "a b c");
    }
}
