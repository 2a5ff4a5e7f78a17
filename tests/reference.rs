//! Published worked examples, one data file each under `tests/reference/`, run through the
//! method registries. Each file names its source (paper or book, table) and the tolerance the
//! printed precision allows; see `tests/reference/README.md` for the format.

use std::fs;
use std::path::Path;

use toml::Value;
use zoneval_core::method::aggregate::{self, AggInput, Preference};
use zoneval_core::method::normalize;
use zoneval_core::method::weight::tree::TreeNode;
use zoneval_core::method::weight::{self, WeightInput, WeightTree};
use zoneval_core::method::{ColumnSpec, Direction, Matrix, MethodKind, ParamValue, Params, build};

fn params(v: &Value) -> Params {
    match v {
        Value::String(s) => Params::named(s),
        Value::Table(t) => {
            let kind = t
                .get("kind")
                .and_then(Value::as_str)
                .expect("method table needs kind");
            let mut p = Params::named(kind);
            for (k, v) in t.iter().filter(|(k, _)| *k != "kind") {
                let value = match v {
                    Value::Integer(i) => ParamValue::Num(*i as f64),
                    Value::Float(f) => ParamValue::Num(*f),
                    Value::String(s) => ParamValue::Str(s.clone()),
                    Value::Boolean(b) => ParamValue::Bool(*b),
                    other => panic!("unsupported parameter value {other:?}"),
                };
                p = p.with(k, value);
            }
            p
        }
        other => panic!("method must be a string or table, got {other:?}"),
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array of numbers")
        .iter()
        .map(|x| {
            x.as_float()
                .or_else(|| x.as_integer().map(|i| i as f64))
                .expect("number")
        })
        .collect()
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("matrix").iter().map(numbers).collect()
}

fn direction(v: &Value) -> Direction {
    match v {
        Value::String(s) if s == "benefit" => Direction::Benefit,
        Value::String(s) if s == "cost" => Direction::Cost,
        Value::Table(t) if t.contains_key("target") => {
            Direction::Target(numbers(&Value::Array(vec![t["target"].clone()]))[0])
        }
        Value::Table(t) if t.contains_key("range") => {
            let r = numbers(&t["range"]);
            Direction::Range(r[0], r[1])
        }
        other => panic!("bad direction {other:?}"),
    }
}

fn specs(case: &toml::Table, cols: usize) -> Vec<ColumnSpec> {
    let dirs: Vec<Direction> = case["directions"]
        .as_array()
        .expect("directions")
        .iter()
        .map(direction)
        .collect();
    assert_eq!(dirs.len(), cols, "one direction per column");
    let ideals = case.get("ideal").map(numbers);
    let worsts = case.get("worst").map(numbers);
    dirs.iter()
        .enumerate()
        .map(|(j, &d)| ColumnSpec {
            direction: d,
            ideal: ideals.as_ref().map(|v| v[j]).filter(|x| x.is_finite()),
            worst: worsts.as_ref().map(|v| v[j]).filter(|x| x.is_finite()),
        })
        .collect()
}

fn check(name: &str, what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{name}: {what} length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol,
            "{name}: {what}[{i}] = {g}, published {w} (tolerance {tol})\n  got {got:?}\n  published {want:?}"
        );
    }
}

fn normalize_matrix(norm: &Params, m: &Matrix, specs: &[ColumnSpec]) -> Matrix {
    let n = build(normalize::REGISTRY, MethodKind::Normalization, norm).expect("normalization");
    let mut out = m.clone();
    for (j, spec) in specs.iter().enumerate() {
        n.apply(m.col(j), spec, out.col_mut(j), &mut Vec::new())
            .expect("normalize");
    }
    out
}

/// Competition ranks of `v` (1 = best), for checking published rank orders.
fn ranks(v: &[f64], higher_is_better: bool) -> Vec<f64> {
    v.iter()
        .map(|&x| {
            1.0 + v
                .iter()
                .filter(|&&y| if higher_is_better { y > x } else { y < x })
                .count() as f64
        })
        .collect()
}

/// A two-level tree: the root over one criterion per list in `v`, each over its columns.
fn criteria_tree(v: &Value, cols: usize) -> WeightTree {
    let groups: Vec<Vec<usize>> = matrix(v)
        .iter()
        .map(|g| g.iter().map(|&x| x as usize).collect())
        .collect();
    let node = |id: String, children: Vec<usize>, leaf: Option<usize>| TreeNode {
        id,
        children,
        leaf,
        weight: None,
        ahp: None,
        experts: None,
    };
    let k = groups.len();
    let mut nodes = vec![node("root".into(), (1..=k).collect(), None)];
    let mut next = 1 + k;
    let mut leaves = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        nodes.push(node(
            format!("g{i}"),
            (next..next + g.len()).collect(),
            None,
        ));
        next += g.len();
        leaves.extend(g.iter().copied());
    }
    for l in leaves {
        nodes.push(node(format!("c{l}"), Vec::new(), Some(l)));
    }
    WeightTree {
        nodes,
        leaves: cols,
    }
}

fn run_case(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let case: toml::Table = toml::from_str(&fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        case.get("source")
            .and_then(Value::as_str)
            .is_some_and(|s| s.len() > 20),
        "{name}: cite the source"
    );
    let tol = case
        .get("tolerance")
        .and_then(|t| t.as_float())
        .unwrap_or(1e-3);
    let raw = matrix(&case["matrix"]);
    let m = Matrix::from_rows(&raw);
    let specs = specs(&case, m.cols());
    let expected = case["expected"].as_table().expect("[expected]");
    match case["kind"].as_str().expect("kind") {
        "normalization" => {
            let out = normalize_matrix(&params(&case["method"]), &m, &specs);
            let want = matrix(&expected["normalized"]);
            for (i, w) in want.iter().enumerate() {
                check(&name, &format!("row {i}"), &out.row(i), w, tol);
            }
        }
        "weighting" => {
            let w = build(
                weight::REGISTRY,
                MethodKind::Weighting,
                &params(&case["method"]),
            )
            .expect("weighting");
            let ids: Vec<String> = (0..m.cols()).map(|j| format!("c{j}")).collect();
            let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let subjective = case.get("subjective").map(numbers);
            let tree =
                WeightTree::flat(&id_refs, subjective.as_deref(), case.get("ahp").map(matrix));
            let norm = case
                .get("normalization")
                .map(params)
                .unwrap_or_else(|| Params::named("min-max"));
            let normalized = normalize_matrix(&norm, &m, &specs);
            let input = WeightInput {
                raw: &m,
                normalized: &normalized,
                specs: &specs,
                tree: &tree,
            };
            let out = w
                .weigh(&input, &mut Vec::new())
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            check(
                &name,
                "weights",
                &out.weights,
                &numbers(&expected["weights"]),
                tol,
            );
            for (key, want) in expected.iter().filter(|(k, _)| *k != "weights") {
                let t = out
                    .table
                    .iter()
                    .find(|t| t.key == key.as_str())
                    .unwrap_or_else(|| panic!("{name}: no table {key}"));
                check(&name, key, &t.values, &numbers(want), tol);
            }
        }
        "aggregation" => {
            let a = build(
                aggregate::REGISTRY,
                MethodKind::Aggregation,
                &params(&case["method"]),
            )
            .expect("aggregation");
            let norm = case
                .get("normalization")
                .map(params)
                .or_else(|| a.normalization().map(Params::named));
            let normalized = match &norm {
                Some(p) => normalize_matrix(p, &m, &specs),
                None => m.clone(),
            };
            let mut values = m.clone();
            for (j, s) in specs.iter().enumerate() {
                for i in 0..m.rows() {
                    values.set(i, j, s.direction.criterion_value(m.get(i, j)));
                }
            }
            let cost: Vec<bool> = specs.iter().map(|s| s.direction.is_cost()).collect();
            let prefs: Vec<Preference> = match case.get("preferences") {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|p| Preference::parse(&params(p)).expect("preference"))
                    .collect(),
                _ => vec![Preference::Usual; m.cols()],
            };
            let weights = numbers(&case["weights"]);
            // `criteria = [[0, 1], [2]]`: top-level criteria over the columns (coupling
            // coordination's subsystems).
            let tree = case.get("criteria").map(|c| criteria_tree(c, m.cols()));
            let input = AggInput {
                normalized: &normalized,
                values: &values,
                cost: &cost,
                weights: &weights,
                preferences: &prefs,
                zone_weights: None,
                tree: tree.as_ref(),
            };
            let out = a
                .aggregate(&input, &mut Vec::new())
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            for (key, want) in expected {
                let want = numbers(want);
                match key.as_str() {
                    "value" => check(&name, "value", &out.value, &want, tol),
                    "ranks" => check(
                        &name,
                        "ranks",
                        &ranks(&out.value, a.higher_is_better()),
                        &want,
                        0.0,
                    ),
                    key => {
                        let t = out
                            .tables
                            .iter()
                            .find(|t| t.key == key)
                            .unwrap_or_else(|| panic!("{name}: no table {key}"));
                        check(&name, key, &t.values, &want, tol);
                    }
                }
            }
        }
        other => panic!("{name}: unknown kind {other}"),
    }
}

#[test]
fn published_worked_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in &files {
        run_case(f);
    }
    eprintln!("{} reference cases passed", files.len());
}

/// Every registered method has at least one published worked example.
#[test]
fn every_method_has_a_reference_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut covered = std::collections::BTreeSet::new();
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let case: toml::Table = toml::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        let kind = case["kind"].as_str().unwrap().to_string();
        covered.insert((kind.clone(), params(&case["method"]).kind));
        if let Some(n) = case.get("normalization") {
            covered.insert(("normalization".into(), params(n).kind));
        }
    }
    let mut missing = Vec::new();
    for n in normalize::REGISTRY {
        if !covered.contains(&("normalization".to_string(), n.info.name.to_string())) {
            missing.push(format!("normalization {}", n.info.name));
        }
    }
    for n in weight::REGISTRY {
        if !covered.contains(&("weighting".to_string(), n.info.name.to_string())) {
            missing.push(format!("weighting {}", n.info.name));
        }
    }
    for n in aggregate::REGISTRY {
        if !covered.contains(&("aggregation".to_string(), n.info.name.to_string())) {
            missing.push(format!("aggregation {}", n.info.name));
        }
    }
    assert!(
        missing.is_empty(),
        "methods without a published worked example: {missing:?}"
    );
}
