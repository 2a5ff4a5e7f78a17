//! Black-box tests of the `zoneval` binary: exit codes, streams, JSON shape, located errors,
//! atomic output.

mod common;

use std::process::Command;

use common::{keys, root, stderr, stdout, tmpdir, write, zoneval, zoneval_in};

const FLAT: [&str; 4] = [
    "--system",
    "tests/data/flat.toml",
    "--data",
    "tests/data/flat.csv",
];

#[test]
fn evaluates_and_prints_a_table() {
    let o = zoneval(&[&["evaluate"], &FLAT[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("济南高新技术产业开发区"));
    let first = out
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(first.contains("济南高新技术产业开发区"), "{out}");
}

/// The JSON follows DESIGN.md's contract: keys, order, types, zones sorted by rank; the
/// values check the flat example by hand (min-max, weights 0.4/0.3/0.3):
/// 济南: fdi (41000−3000)/(68500−3000) = 0.580153; arrival rate best (1); energy best (1)
/// → 0.4·0.580153 + 0.3 + 0.3 = 0.832061.
#[test]
fn json_follows_the_contract() {
    let o = zoneval(&[&["evaluate", "--format", "json"], &FLAT[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let top = &keys(&v)[..4];
    assert_eq!(top, ["system", "method", "weights", "zones"]);
    assert_eq!(v["system"], "flat");
    assert_eq!(v["method"]["normalization"], "min-max");
    assert_eq!(v["method"]["weighting"], "expert");
    assert_eq!(v["method"]["aggregation"], "weighted-sum");
    let w: f64 = v["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["weight"].as_f64().unwrap())
        .sum();
    assert!((w - 1.0).abs() < 1e-12);
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 4);
    let z = &zones[0];
    let zk = &keys(z)[..8];
    assert_eq!(
        zk,
        [
            "id", "name", "value", "score", "rank", "grade", "criteria", "vetoed"
        ]
    );
    assert_eq!(z["id"], "z3");
    assert!((z["value"].as_f64().unwrap() - 0.832061).abs() < 1e-6);
    assert!((z["score"].as_f64().unwrap() - 83.2061).abs() < 1e-4);
    assert_eq!(z["rank"], 1);
    assert_eq!(z["grade"], "优秀");
    assert_eq!(z["vetoed"], false);
    let ranks: Vec<u64> = zones.iter().map(|z| z["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);
}

#[test]
fn bad_cell_is_reported_with_file_line_col_and_nothing_on_stdout() {
    let d = tmpdir("badcell");
    let csv = write(
        &d,
        "zones.csv",
        "zone_id,zone_name,region,fdi_actual,fdi_contracted,energy\nz1,甲,e,10,20,1\nz2,乙,e,12,4%,2\n",
    );
    let o = zoneval(&[
        "evaluate",
        "--system",
        "tests/data/flat.toml",
        "--data",
        &csv,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains(&format!("{csv}:3:5")), "{err}");
    assert!(
        err.contains("乙") && err.contains("fdi_contracted") && err.contains("4%"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2_with_valid_names() {
    let o = zoneval(&["evaluate", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("json"));
    let o = zoneval(&["evaluate", "--aggregation", "electre-iii"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("topsis"));
    let o = zoneval(&["evaluate", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
}

#[test]
fn missing_input_file_exits_1() {
    let o = zoneval(&[
        "evaluate",
        "--system",
        "tests/data/flat.toml",
        "--data",
        "no/such/file.csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/file.csv"));
}

#[test]
fn validate_lists_every_problem_at_once() {
    let d = tmpdir("validate");
    let sys = write(
        &d,
        "bad.toml",
        "[system]\nid = \"b\"\nname = \"b\"\n[method]\nnormalisation = \"min-max\"\naggregation = \"topsys\"\n\
         [[indicators]]\nid = \"x\"\ndirection = \"benefitt\"\nweight = 1\n",
    );
    let o = zoneval(&["validate", &sys]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{sys}:5:1")) && err.contains("normalization"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{sys}:6:15")) && err.contains("topsis"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{sys}:9:13")) && err.contains("benefit"),
        "{err}"
    );
}

#[test]
fn out_is_written_atomically_and_left_alone_on_error() {
    let d = tmpdir("out");
    let out = d.join("ranking.json");
    let o = zoneval(
        &[
            &[
                "evaluate",
                "--format",
                "json",
                "--out",
                out.to_str().unwrap(),
            ],
            &FLAT[..],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(first.contains("\"zones\""));
    // A failing run must not touch the existing file nor leave a temporary behind.
    let o = zoneval(&[
        "evaluate",
        "--system",
        "tests/data/flat.toml",
        "--data",
        "no/such.csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    let entries: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // An output directory that does not exist is invalid input.
    let o = zoneval(&[&["evaluate", "--out", "/no/such/dir/x.json"], &FLAT[..]].concat());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn closed_stdout_pipe_ends_quietly() {
    let bin = env!("CARGO_BIN_EXE_zoneval");
    let script = format!("'{bin}' methods | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}");
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
}

#[test]
fn methods_lists_every_registry_entry() {
    let o = zoneval(&["methods"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for name in [
        "min-max",
        "vector",
        "ideal",
        "entropy",
        "critic",
        "ahp",
        "topsis",
        "vikor",
        "promethee-ii",
        "rsr",
    ] {
        assert!(out.contains(&format!("  {name}  (")), "{name} missing");
    }
    let o = zoneval(&["methods", "topsys"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("topsis"));
}

#[test]
fn chinese_messages_with_lang_zh() {
    let o = zoneval(&[
        "--lang",
        "zh",
        "evaluate",
        "--system",
        "tests/data/flat.toml",
        "--data",
        "no/such.csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("无法读取"), "{}", stderr(&o));
}

/// Regression: `../../x.csv` was shortened to `x.csv` (the second `..` cancelled the first)
/// and so read from the wrong directory; a data path of `.` showed as an empty name.
#[test]
fn relative_paths_with_several_parent_dirs() {
    let o = zoneval_in(
        &root().join("tests/bad_inputs/common"),
        &[
            "evaluate",
            "--system",
            "../../data/flat.toml",
            "--data",
            "../../data/flat.csv",
            "--format",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let base = zoneval(&[&["evaluate", "--format", "csv"], &FLAT[..]].concat());
    // The same ranking; only the provenance column names the files as given (other paths).
    let without_provenance = |b: &[u8]| -> Vec<String> {
        let mut r = csv::Reader::from_reader(b);
        let mut rows = vec![r.headers().unwrap().iter().collect::<Vec<_>>().join(",")];
        for rec in r.records() {
            let rec = rec.unwrap();
            rows.push(rec.iter().take(rec.len() - 1).collect::<Vec<_>>().join(","));
        }
        rows
    };
    assert_eq!(
        without_provenance(&o.stdout),
        without_provenance(&base.stdout)
    );
}
