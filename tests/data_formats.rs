//! Zone data end to end: xlsx (with a table that does not start at A1), GBK and BOM CSV,
//! missing-value policies, panel years and outlier treatment, through the real binary.

mod common;

use std::process::Output;

use common::{root, tmpdir, write, zoneval};

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// (id, value) pairs of an evaluation, in rank order.
fn ranking(v: &serde_json::Value) -> Vec<(String, f64)> {
    v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["id"].as_str().unwrap().to_string(),
                z["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn flat_system_with(extra_data: &str) -> String {
    std::fs::read_to_string(root().join("tests/data/flat.toml"))
        .unwrap()
        .replace("[data]\n", &format!("[data]\n{extra_data}\n"))
}

/// tests/data/flat.xlsx (made with openpyxl) holds flat.csv on sheet "2024" starting at B3,
/// numbers stored as numbers: the results are identical to the CSV's.
#[test]
fn xlsx_reads_like_csv() {
    let csv = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.csv",
        "-f",
        "json",
    ]));
    let xlsx = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.xlsx",
        "-f",
        "json",
    ]));
    assert_eq!(ranking(&csv), ranking(&xlsx));
}

/// Sheet "bad" has "12,4%" in D3: the error names the cell as Excel does (file, sheet, D3).
#[test]
fn xlsx_bad_cell_is_located() {
    let d = tmpdir("xlsx");
    let sys = write(&d, "s.toml", flat_system_with("sheet = \"bad\""));
    let o = zoneval(&["evaluate", "-s", &sys, "-d", "tests/data/flat.xlsx"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("tests/data/flat.xlsx!bad!D3"), "{err}");
    assert!(err.contains("12,4%"), "{err}");
    let sys = write(&d, "s2.toml", flat_system_with("sheet = \"nope\""));
    let o = zoneval(&["evaluate", "-s", &sys, "-d", "tests/data/flat.xlsx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2024"));
}

#[test]
fn gbk_is_detected_with_a_warning_and_bom_is_skipped() {
    let d = tmpdir("enc");
    let text = std::fs::read_to_string(root().join("tests/data/flat.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let gbk_path = write(&d, "gbk.csv", &gbk[..]);
    let base = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.csv",
        "-f",
        "json",
    ]));
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &gbk_path,
        "-f",
        "json",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("GBK"));
    let v = json(&o);
    assert_eq!(ranking(&v), ranking(&base));
    assert_eq!(v["zones"][0]["name"], "济南高新技术产业开发区");
    // Explicit --encoding gbk: no warning.
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &gbk_path,
        "--encoding",
        "gbk",
        "-f",
        "json",
    ]);
    assert!(o.status.success() && !String::from_utf8_lossy(&o.stderr).contains("GBK"));
    // Forcing UTF-8 on GBK bytes names the first bad line.
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &gbk_path,
        "--encoding",
        "utf-8",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{gbk_path}:2")));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let bom_path = write(&d, "bom.csv", bom);
    let v = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &bom_path,
        "-f",
        "json",
    ]));
    assert_eq!(ranking(&v), ranking(&base));
}

/// flat.csv with z2's energy empty: an error by default; filled by mean (of 0.45, 0.38,
/// 0.90 = 0.576667), median (0.45), group mean (z2 is in 鲁东 with z1: 0.45), zero; or z2
/// dropped. Every fill is reported on stderr and in the JSON.
#[test]
fn missing_value_policies() {
    let d = tmpdir("missing");
    let text = std::fs::read_to_string(root().join("tests/data/flat.csv"))
        .unwrap()
        .replace("90000,0.52", "90000,");
    let csv = write(&d, "m.csv", text);
    let o = zoneval(&["evaluate", "-s", "tests/data/flat.toml", "-d", &csv]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{csv}:3:6")) && err.contains("energy") && err.contains("missing"),
        "{err}"
    );
    for (policy, want) in [
        ("\"mean\"", Some((0.45 + 0.38 + 0.90) / 3.0)),
        ("\"median\"", Some(0.45)),
        ("{ kind = \"group-mean\", by = \"region\" }", Some(0.45)),
        ("\"zero\"", Some(0.0)),
        ("\"drop-zone\"", None),
    ] {
        let sys = write(
            &d,
            "s.toml",
            flat_system_with(&format!("missing = {policy}")),
        );
        let o = zoneval(&["evaluate", "-s", &sys, "-d", &csv, "-f", "json"]);
        let stderr = String::from_utf8_lossy(&o.stderr).to_string();
        let v = json(&o);
        match want {
            Some(x) => {
                let imp = &v["imputed"][0];
                assert_eq!(imp["zone"], "z2", "{policy}");
                assert_eq!(imp["indicator"], "energy");
                assert!(
                    (imp["value"].as_f64().unwrap() - x).abs() < 1e-12,
                    "{policy}: {imp}"
                );
                assert!(
                    stderr.contains("z2") || stderr.contains("烟台"),
                    "{policy}: {stderr}"
                );
                assert_eq!(v["zones"].as_array().unwrap().len(), 4);
            }
            None => {
                assert_eq!(v["dropped"][0]["id"], "z2");
                assert_eq!(v["zones"].as_array().unwrap().len(), 3);
            }
        }
    }
}

#[test]
fn panel_years_select_the_latest_by_default() {
    let d = tmpdir("years");
    let text = std::fs::read_to_string(root().join("tests/data/flat.csv")).unwrap();
    let mut lines = text.lines();
    let header = format!("{},year", lines.next().unwrap());
    let mut out = vec![header];
    for l in lines.clone() {
        out.push(format!("{l},2023"));
    }
    // 2024: 临清 becomes the best FDI zone.
    for l in lines {
        out.push(format!("{},2024", l.replace("3000,9000", "90000,95000")));
    }
    let csv = write(&d, "p.csv", out.join("\n") + "\n");
    let latest = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &csv,
        "-f",
        "json",
    ]));
    assert_eq!(latest["year"], 2024);
    let y2023 = json(&zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &csv,
        "-f",
        "json",
        "--year",
        "2023",
    ]));
    assert_eq!(y2023["year"], 2023);
    assert_ne!(ranking(&latest)[0].0, ranking(&y2023)[0].0);
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &csv,
        "--year",
        "1999",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2023, 2024"));
}

/// 21 zones, one spike: winsorisation replaces the spike by the next value and reports it.
#[test]
fn outliers_are_treated_and_reported() {
    let d = tmpdir("outliers");
    let sys = write(
        &d,
        "o.toml",
        "[system]\nid = \"o\"\nname = \"o\"\n[[indicators]]\nid = \"x\"\ndirection = \"benefit\"\nweight = 1\noutliers = \"winsorize\"\n",
    );
    let mut csv = String::from("zone_id,zone_name,x\n");
    for i in 1..=20 {
        csv.push_str(&format!("z{i},Z{i},{i}\n"));
    }
    csv.push_str("z21,Z21,1000\n");
    let csv = write(&d, "o.csv", csv);
    let o = zoneval(&["evaluate", "-s", &sys, "-d", &csv, "-f", "json"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("outlier"));
    let v = json(&o);
    let t = &v["treated"][0];
    assert_eq!(
        (t["zone"].as_str(), t["from"].as_f64(), t["to"].as_f64()),
        (Some("z21"), Some(1000.0), Some(20.0))
    );
    // z20 and z21 now tie for first.
    let top: Vec<u64> = v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|z| z["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(top, [1, 1]);
}
