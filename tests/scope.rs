//! `[scope]`: a system evaluates the zones its scope names; the others are listed "not in
//! scope" with the reason, and neither normalised nor ranked.
//!
//! The independent check: a scoped run must give exactly the result of the same system
//! without `[scope]` on a data file that holds only the in-scope zones (filtered by hand
//! here, not by the engine) — min-max statistics, ranks and grades come from the in-scope
//! zones alone.

mod common;

use common::*;
use serde_json::Value;

const DATA: &str = "\
zone_id,zone_name,level,type,fdi_actual,energy
n1,青岛经济技术开发区,国家级,经济技术开发区,68500,0.45
n2,烟台经济技术开发区,国家级,经济技术开发区,52000,0.52
h1,济南高新技术产业开发区,国家级,高新技术产业开发区,41000,0.38
c1,青岛前湾综合保税区,国家级,海关特殊监管区域,,
p1,山东临清经济开发区,省级,经济开发区,3000,0.90
p2,山东即墨经济开发区,省级,经济开发区,26000,0.61
p3,山东兖州工业园区,省级,工业园区,9000,0.70
";

const SYSTEM: &str = r#"
[system]
id = "scoped"
name = "范围测试"

[method]
normalization = "min-max"
weighting = "expert"
aggregation = "weighted-sum"

[[indicators]]
id = "fdi_actual"
name = "实际利用外资"
direction = "benefit"
weight = 0.6

[[indicators]]
id = "energy"
name = "单位增加值能耗"
direction = "cost"
weight = 0.4

[[grades]]
name = "好"
min = 50

[[grades]]
name = "差"
min = 0
"#;

/// The 2016 provincial round's scope: provincial zones and national ETDZs, never a customs
/// zone; a variant for the national ETDZs alone.
const SCOPE: &str = r#"
[scope]
include = [{ level = ["省级"] }, { level = "国家级", type = ["经济技术开发区"] }]
exclude = { type = ["海关特殊监管区域"] }
note = "省级开发区与国家级经开区"
note_en = "provincial zones and national ETDZs"

[scope.variants.national]
include = { level = ["国家级"], type = ["经济技术开发区"] }
"#;

fn json(args: &[&str]) -> Value {
    let o = zoneval(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The zones' (id, score, rank, grade), without provenance (which names the files).
fn ranking(v: &Value) -> Vec<(String, f64, u64, String)> {
    v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["id"].as_str().unwrap().to_string(),
                z["score"].as_f64().unwrap(),
                z["rank"].as_u64().unwrap(),
                z["grade"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The data file with only the rows whose ids are given (header kept).
fn only(ids: &[&str]) -> String {
    let mut lines = DATA.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines {
        if ids.iter().any(|id| l.starts_with(&format!("{id},"))) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[test]
fn scoped_run_equals_the_run_on_hand_filtered_data() {
    let d = tmpdir("scope-equal");
    let sys = write(&d, "scoped.toml", format!("{SYSTEM}{SCOPE}"));
    let plain = write(&d, "plain.toml", SYSTEM);
    let data = write(&d, "zones.csv", DATA);
    let filtered = write(&d, "in-scope.csv", only(&["n1", "n2", "p1", "p2", "p3"]));

    let scoped = json(&["evaluate", "-s", &sys, "-d", &data, "--format", "json"]);
    let by_hand = json(&[
        "evaluate", "-s", &plain, "-d", &filtered, "--format", "json",
    ]);
    assert_eq!(ranking(&scoped), ranking(&by_hand));
    assert_eq!(scoped["zones"].as_array().unwrap().len(), 5);

    // The customs zone (empty cells: it would be a missing-value error if it were evaluated)
    // and the national high-tech zone are listed with their reasons, in data order.
    let out: Vec<(&str, &str)> = scoped["not_in_scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| (z["id"].as_str().unwrap(), z["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        out,
        [
            ("h1", "type = 高新技术产业开发区, not 经济技术开发区"),
            ("c1", "type = 海关特殊监管区域 is excluded"),
        ]
    );
    assert_eq!(scoped["scope"]["name"], "default");
    assert_eq!(
        scoped["scope"]["note"],
        "provincial zones and national ETDZs"
    );
    assert_eq!(by_hand["scope"], Value::Null);
    assert_eq!(by_hand["not_in_scope"], serde_json::json!([]));
}

#[test]
fn variants_and_all_choose_other_zones() {
    let d = tmpdir("scope-variants");
    let sys = write(&d, "scoped.toml", format!("{SYSTEM}{SCOPE}"));
    let plain = write(&d, "plain.toml", SYSTEM);
    let data = write(&d, "zones.csv", DATA);
    let national = json(&[
        "evaluate", "-s", &sys, "-d", &data, "--format", "json", "--scope", "national",
    ]);
    let by_hand = json(&[
        "evaluate",
        "-s",
        &plain,
        "-d",
        &write(&d, "n.csv", only(&["n1", "n2"])),
        "--format",
        "json",
    ]);
    assert_eq!(ranking(&national), ranking(&by_hand));
    assert_eq!(national["scope"]["name"], "national");
    assert_eq!(national["not_in_scope"].as_array().unwrap().len(), 5);

    // `all` ignores the scope: every zone is evaluated (the customs zone's empty cells are
    // then a missing-value error, as without a scope).
    let o = zoneval(&["evaluate", "-s", &sys, "-d", &data, "--scope", "all"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("青岛前湾综合保税区"), "{}", stderr(&o));
    let filled = write(&d, "all.csv", only(&["n1", "n2", "h1", "p1", "p2", "p3"]));
    let all = json(&[
        "evaluate", "-s", &sys, "-d", &filled, "--format", "json", "--scope", "all",
    ]);
    assert_eq!(all["zones"].as_array().unwrap().len(), 6);
    assert_eq!(all["scope"], Value::Null);
    assert_eq!(all["provenance"]["parameters"]["scope"], "all");

    let o = zoneval(&["evaluate", "-s", &sys, "-d", &data, "--scope", "nationl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown scope `nationl` (this system has: default, national, all)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn terminal_markdown_and_report_list_the_zones_not_in_scope() {
    let d = tmpdir("scope-outputs");
    let sys = write(&d, "scoped.toml", format!("{SYSTEM}{SCOPE}"));
    let data = write(&d, "zones.csv", DATA);
    let o = zoneval(&["evaluate", "-s", &sys, "-d", &data]);
    let table = stdout(&o);
    assert!(
        table.contains("\n5 zone(s) evaluated, 2 not in scope"),
        "{table}"
    );
    assert!(!table.contains("济南高新技术产业开发区"), "{table}");
    let o = zoneval(&[
        "evaluate", "-s", &sys, "-d", &data, "--format", "markdown", "--lang", "zh",
    ]);
    let md = stdout(&o);
    assert!(md.contains("## 不在评价范围内的开发区"), "{md}");
    assert!(
        md.contains(
            "| h1 | 济南高新技术产业开发区 | type 为 高新技术产业开发区，不是 经济技术开发区 |"
        ),
        "{md}"
    );

    let rep = d.join("rep");
    let o = zoneval(&[
        "evaluate",
        "-s",
        &sys,
        "-d",
        &data,
        "--report",
        rep.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(
        html.contains("id=\"scope\""),
        "the report has a not-in-scope section"
    );
    assert!(html.contains("青岛前湾综合保税区"));
    // The report re-rendered from results.json keeps the list.
    let again = d.join("again");
    let o = zoneval(&[
        "report",
        rep.join("results.json").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html2 = std::fs::read_to_string(again.join("report.html")).unwrap();
    assert!(html2.contains("青岛前湾综合保税区"));
}

#[test]
fn a_scope_column_the_data_lack_and_an_empty_scope_are_errors() {
    let d = tmpdir("scope-errors");
    let data = write(&d, "zones.csv", DATA);
    let sys = write(
        &d,
        "s.toml",
        format!("{SYSTEM}\n[scope]\ninclude = {{ levle = [\"国家级\"] }}\n"),
    );
    let o = zoneval(&["evaluate", "-s", &sys, "-d", &data]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("missing column `levle`"),
        "{}",
        stderr(&o)
    );

    let sys = write(
        &d,
        "none.toml",
        format!("{SYSTEM}\n[scope]\ninclude = {{ level = [\"市级\"] }}\n"),
    );
    let o = zoneval(&["evaluate", "-s", &sys, "-d", &data]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("none.toml:")
            && stderr(&o).contains("no zone of the data is in the system's scope (level ∈ {市级})"),
        "{}",
        stderr(&o)
    );
}

/// The bundled MOFCOM system evaluates the 15 national ETDZs of the 2018 catalogue (counted
/// here from the catalogue file, seeds/shandong-zones-2018.csv), and lists the other 159.
#[test]
fn mofcom_evaluates_the_national_etdzs_of_the_catalogue() {
    let catalogue = std::fs::read_to_string(root().join("seeds/shandong-zones-2018.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(catalogue.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (code, level, ty) = (col("code"), col("level"), col("type"));
    let mut expected: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[level] == "国务院" && &r[ty] == "经济技术开发区")
        .map(|r| r[code].to_string())
        .collect();
    expected.sort();
    assert_eq!(expected.len(), 15);

    let v = json(&[
        "evaluate",
        "--system",
        "mofcom-etdz-2021",
        "--format",
        "json",
    ]);
    let mut got: Vec<String> = v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(v["not_in_scope"].as_array().unwrap().len(), 174 - 15);
    // MOFCOM's dynamic-management rule: bottom 5 of the region, twice in three years.
    let rule = &v["rules"][0];
    assert_eq!(rule["id"], "demotion_watch");
    assert_eq!(
        (
            &rule["n"],
            &rule["within"],
            &rule["times"],
            &rule["of_last"]
        ),
        (
            &serde_json::json!(5),
            &serde_json::json!("china_region"),
            &serde_json::json!(2),
            &serde_json::json!(3)
        )
    );
}
