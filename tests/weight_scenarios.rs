//! Weight scenarios from the command line, so a policymaker tries weights without editing the
//! system file: `--weight NODE=W` gives the result of the system file edited by hand,
//! `--ahp NODE=FILE` that of the file with those judgements, a `weight` under an `ahp` node is
//! refused, and `zoneval weights` shows the tree without reading data for subjective weights.

mod common;

use common::{stderr, stdout, tmpdir, write, zoneval};
use serde_json::Value;

const FLAT: [&str; 4] = ["-s", "tests/data/flat.toml", "-d", "tests/data/flat.csv"];

fn json(args: &[&str]) -> Value {
    let o = zoneval(&[args, &["-f", "json"]].concat());
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Same weights (within 1e-12: the rescaling multiplies where the file writes decimals) and the
/// same zones, values, scores and ranks.
fn same_result(a: &Value, b: &Value) {
    let w = |v: &Value| -> Vec<(String, f64)> {
        v["weights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["id"].as_str().unwrap().to_string(),
                    w["weight"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    for (x, y) in w(a).iter().zip(w(b)) {
        assert_eq!(x.0, y.0);
        assert!((x.1 - y.1).abs() < 1e-12, "{x:?} vs {y:?}");
    }
    let za = a["zones"].as_array().unwrap();
    let zb = b["zones"].as_array().unwrap();
    assert_eq!(za.len(), zb.len());
    for (x, y) in za.iter().zip(zb) {
        assert_eq!(x["id"], y["id"]);
        assert_eq!(x["rank"], y["rank"]);
        match (x["value"].as_f64(), y["value"].as_f64()) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{} {a} {b}", x["id"]),
            (a, b) => assert_eq!(a, b, "{}", x["id"]),
        }
    }
}

/// flat.toml weighs fdi_actual 0.4, arrival_rate 0.3, energy 0.3. `--weight fdi_actual=0.6`
/// leaves 0.4 for the other two, shared as before (0.3 : 0.3): 0.2 each — the file edited so.
#[test]
fn weight_equals_the_edited_file() {
    let d = tmpdir("weight-flat");
    let text = std::fs::read_to_string(common::root().join("tests/data/flat.toml")).unwrap();
    let edited = text
        .replacen("weight = 0.4", "weight = 0.6", 1)
        .replace("weight = 0.3", "weight = 0.2");
    let sys = write(&d, "edited.toml", edited);
    let data = common::root().join("tests/data/flat.csv");
    let by_hand = json(&["evaluate", "-s", &sys, "-d", data.to_str().unwrap()]);
    let o = zoneval(
        &[
            &["evaluate", "--weight", "fdi_actual=0.6", "-f", "json"],
            &FLAT[..],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let flag: Value = serde_json::from_slice(&o.stdout).unwrap();
    same_result(&flag, &by_hand);
    let weights: Vec<f64> = flag["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["weight"].as_f64().unwrap())
        .collect();
    assert!((weights[0] - 0.6).abs() < 1e-12 && (weights[1] - 0.2).abs() < 1e-12);
    // The note on stderr says what was rescaled.
    let e = stderr(&o);
    assert!(
        e.contains("`arrival_rate`, `energy` rescaled proportionally"),
        "{e}"
    );
    // The provenance records the scenario.
    assert_eq!(
        flag["provenance"]["parameters"]["weights"]["fdi_actual"],
        0.6
    );
}

/// In a hierarchy: shandong's env indicators (0.25, 0.15, 0.15, 0.15, 0.20, 0.10), energy set to
/// 0.4 — the file edited with the others × 0.6/0.75. The same holds for sensitivity runs.
#[test]
fn weight_in_a_criterion_equals_the_edited_file() {
    let d = tmpdir("weight-tree");
    let text = std::fs::read_to_string(common::root().join("indicators/shandong-provincial.toml"))
        .unwrap();
    let start = text.find("id = \"energy_intensity\"").unwrap();
    let end = text.find("id = \"innov\"").unwrap();
    let f = 0.6 / 0.75;
    let mut block = text[start..end].to_string();
    let mut first = true;
    for w in ["0.25", "0.15", "0.20", "0.10"] {
        let new = if first {
            first = false;
            block = block.replacen(&format!("weight = {w}"), "weight = 0.4", 1);
            continue;
        } else {
            w.parse::<f64>().unwrap() * f
        };
        block = block.replace(&format!("weight = {w}"), &format!("weight = {new}"));
    }
    let edited = format!("{}{block}{}", &text[..start], &text[end..]);
    let sys = write(&d, "edited.toml", edited);
    let by_hand = json(&["evaluate", "-s", &sys, "-d", "shandong-zones"]);
    let flag = json(&["evaluate", "--weight", "energy_intensity=0.4"]);
    same_result(&flag, &by_hand);
    let mc = |extra: &[&str]| {
        let o = zoneval(
            &[
                &[
                    "sensitivity",
                    "monte-carlo",
                    "--samples",
                    "200",
                    "-f",
                    "csv",
                ],
                extra,
            ]
            .concat(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let s = stdout(&o);
        // Without the provenance column (it names other files and parameters).
        s.lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect::<Vec<_>>()
    };
    let a = mc(&["--weight", "energy_intensity=0.4"]);
    let b = mc(&["-s", &sys, "-d", "shandong-zones"]);
    assert_eq!(a.len(), b.len());
    // Ranks identical (mean ranks may differ in the last bits only through the weights' bits).
    for (x, y) in a.iter().zip(&b) {
        let (x, y): (Vec<&str>, Vec<&str>) = (x.split(',').collect(), y.split(',').collect());
        assert_eq!(x[..3], y[..3]);
    }
}

/// `--ahp root=FILE` with the judgements written in shandong's `[method] ahp` gives the same
/// result; other judgements change the criteria weights, and an inconsistent matrix is refused
/// with its CR.
#[test]
fn ahp_file_replaces_the_judgements() {
    let d = tmpdir("ahp-file");
    let same = write(
        &d,
        "same.csv",
        ",fdi,trade,land,env,innov,service\n\
         fdi,1,2,3,3,4,5\ntrade,1/2,1,2,2,3,4\nland,1/3,1/2,1,1,2,3\n\
         env,1/3,1/2,1,1,2,3\ninnov,1/4,1/3,1/2,1/2,1,2\nservice,1/5,1/4,1/3,1/3,1/2,1\n",
    );
    let base = json(&["evaluate"]);
    let flag = json(&["evaluate", "--ahp", &format!("root={same}")]);
    same_result(&flag, &base);
    // Equal judgements: every criterion 1/6.
    let equal = write(&d, "equal.csv", "1,1,1,1,1,1\n".repeat(6));
    let o = zoneval(&[
        "weights",
        "--ahp",
        &format!("shandong-provincial={equal}"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for n in v["tree"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["parent"].is_null())
    {
        assert!(
            (n["global"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-12,
            "{n}"
        );
    }
    // Saaty's inconsistent 3×3 is not at the root's size; a 6×6 with a reversed judgement is
    // inconsistent: refused, exit 1, CR named.
    let bad = write(
        &d,
        "bad.csv",
        "1,9,1/9,1,1,1\n1/9,1,9,1,1,1\n9,1/9,1,1,1,1\n1,1,1,1,1,1\n1,1,1,1,1,1\n1,1,1,1,1,1\n",
    );
    let o = zoneval(&["evaluate", "--ahp", &format!("root={bad}")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("CR"), "{}", stderr(&o));
    // A weight under the root's AHP is refused, naming the way out.
    let o = zoneval(&["evaluate", "--weight", "env=0.3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("AHP judgements of `shandong-provincial`"),
        "{}",
        stderr(&o)
    );
}

/// Bad `--weight` values are usage errors (exit 2); an unknown node is invalid input naming the
/// nearest id.
#[test]
fn bad_weight_flags() {
    for bad in ["fdi_actual", "fdi_actual=x", "fdi_actual=-1", "=0.3"] {
        let o = zoneval(&[&["evaluate", "--weight", bad], &FLAT[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
    }
    let o = zoneval(&[&["evaluate", "--weight", "fdi_actul=0.3"], &FLAT[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fdi_actual"), "{}", stderr(&o));
    let o = zoneval(&[&["evaluate", "--weight", "fdi_actual=2"], &FLAT[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("more than the 1"), "{}", stderr(&o));
}

/// `weights` with expert weights reads no data (no data warnings, works with a data file that
/// does not exist), prints every criterion with local and global weights and the AHP matrix.
#[test]
fn weights_shows_the_tree_without_data() {
    let o = zoneval(&["weights", "--data", "no-such-file.csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!stderr(&o).contains("missing, filled"), "{}", stderr(&o));
    for s in [
        "Local",
        "Global",
        "fdi ",
        "energy_intensity",
        "AHP judgements of",
        "1/2",
        "CR",
    ] {
        assert!(out.contains(s), "{s}\n{out}");
    }
    let v: Value = serde_json::from_slice(&zoneval(&["weights", "--json"]).stdout).unwrap();
    let tree = v["tree"].as_array().unwrap();
    // Local weights of each criterion's indicators sum to 1; global = product along the path.
    let find = |id: &str| tree.iter().find(|n| n["id"] == id).unwrap();
    let env = find("env");
    let e = find("energy_intensity");
    assert!((e["local"].as_f64().unwrap() - 0.25).abs() < 1e-12);
    let g = env["global"].as_f64().unwrap() * 0.25;
    assert!((e["global"].as_f64().unwrap() - g).abs() < 1e-12);
    // A data-driven weighting reads the data.
    let o = zoneval(&[
        "weights",
        "--weighting",
        "entropy",
        "--data",
        "no-such-file.csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
}
