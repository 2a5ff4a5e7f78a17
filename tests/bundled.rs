//! Tests of the bundled indicator systems (`indicators/`) and datasets (`seeds/`): every system
//! loads and validates, its weights sum to 1 at each level and its AHP judgements are
//! consistent, it evaluates its bundled data with exit 0 (the four zone systems: every zone of
//! the latest year), bundled files are chosen by id from any directory (and a path is only ever
//! a path), and the default ranking's top 10 matches a committed snapshot.
//!
//! The snapshot `tests/snapshots/bundled__shandong-provincial-top10.snap` changes only
//! deliberately (new seeds, a changed system or method): review the change with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test bundled` and `git diff`).

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;
use zoneval_core::method::weight::ahp::{self, AhpMethod};

use common::{root, stderr, tmpdir, zoneval, zoneval_in};

const ZONE_SYSTEMS: [&str; 5] = [
    "shandong-provincial",
    "shandong-provincial-2016",
    "mofcom-etdz-2021",
    "land-intensive-use",
    "eco-industrial-park",
];
const ALL_SYSTEMS: [&str; 7] = [
    "shandong-provincial",
    "shandong-provincial-2016",
    "mofcom-etdz-2021",
    "land-intensive-use",
    "eco-industrial-park",
    "project-access",
    "project-access-2023",
];
const LATEST_YEAR: &str = "2024";

fn system_path(id: &str) -> String {
    format!("indicators/{id}.toml")
}

fn evaluate_json(id: &str) -> Value {
    let o = zoneval(&["evaluate", "--system", &system_path(id), "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "{id}: exit {:?}\n{err}",
        o.status.code()
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{id}: JSON: {e}"))
}

/// A tiny CSV reader for the bundled files (no quoted commas in the columns read here).
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn every_bundled_system_validates() {
    for id in ALL_SYSTEMS {
        let o = zoneval(&["validate", &system_path(id)]);
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert!(o.status.success(), "{id}: validate failed\n{out}\n{err}");
        // `validate` checks each system's own data against its ideal values: the land-use
        // ideals lie above the bundled data, the other systems' ideals are standards/targets.
        assert!(!err.contains("warning"), "{id}: validate warns\n{err}");
    }
}

/// Written local weights sum to 1 among siblings (within rounding), every node with judgements
/// has CR < 0.1, and the loader reports no warnings (so nothing was silently renormalised).
#[test]
fn weights_sum_to_one_and_judgements_are_consistent() {
    for id in ALL_SYSTEMS {
        let sys = zoneval_core::system::load_file(&root().join(system_path(id)))
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert!(sys.warnings.is_empty(), "{id}: {:?}", sys.warnings);
        let tree = &sys.tree;
        for node in &tree.nodes {
            if node.children.is_empty() {
                continue;
            }
            if let Some(m) = &node.ahp {
                let r = ahp::solve(m, AhpMethod::Eigenvector).unwrap();
                assert!(r.cr < 0.1, "{id}: node {} has CR {}", node.id, r.cr);
                assert_eq!(m.len(), node.children.len(), "{id}: node {}", node.id);
                continue;
            }
            let weights: Vec<f64> = node
                .children
                .iter()
                .map(|&c| {
                    tree.nodes[c]
                        .weight
                        .unwrap_or_else(|| panic!("{id}: {} has no weight", tree.nodes[c].id))
                })
                .collect();
            let sum: f64 = weights.iter().sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "{id}: children of {} sum to {sum}",
                node.id
            );
        }
    }
}

/// The default system's criterion weights come from judgements, as the plan's evaluation asks.
#[test]
fn provincial_criteria_are_weighted_by_ahp() {
    let json = evaluate_json("shandong-provincial");
    let cons = json["consistency"]
        .as_array()
        .expect("consistency reported");
    assert!(!cons.is_empty());
    for c in cons {
        let cr = c["cr"].as_f64().unwrap();
        assert!(cr < 0.1, "{c}");
    }
}

#[test]
fn zone_systems_evaluate_every_zone_of_the_latest_year() {
    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    let expected: BTreeSet<String> = panel
        .iter()
        .filter(|r| r["year"] == LATEST_YEAR)
        .map(|r| r["zone_id"].clone())
        .collect();
    assert_eq!(expected.len(), 174);
    for id in ZONE_SYSTEMS {
        let json = evaluate_json(id);
        let zones = json["zones"].as_array().unwrap();
        // A zone outside the system's `[scope]` is listed with the reason, not ranked.
        let outside = json["not_in_scope"].as_array().unwrap();
        let got: BTreeSet<String> = zones
            .iter()
            .chain(outside)
            .map(|z| z["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(zones.len() + outside.len(), 174, "{id}");
        assert_eq!(got, expected, "{id}");
        for z in outside {
            assert!(
                z["reason"].as_str().is_some_and(|r| !r.is_empty()),
                "{id}: {z}"
            );
        }
        // Every zone has a result: ranked with a finite score, or (under `veto = "exclude"`)
        // unranked with the gates it failed.
        for z in zones {
            if z["rank"].is_null() {
                assert_eq!(
                    z["vetoed"], true,
                    "{id}: {} unranked but not vetoed",
                    z["id"]
                );
                assert!(
                    z["veto_reasons"].as_array().is_some_and(|r| !r.is_empty()),
                    "{id}: {} excluded without reasons",
                    z["id"]
                );
            } else {
                assert!(
                    z["score"].as_f64().is_some_and(f64::is_finite),
                    "{id}: {}",
                    z["id"]
                );
            }
        }
        let w: f64 = json["weights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["weight"].as_f64().unwrap())
            .sum();
        assert!((w - 1.0).abs() < 1e-9, "{id}: global weights sum to {w}");
    }
}

/// Every year of the panel evaluates, not only the latest (2022 and 2023 have empty cells too).
#[test]
fn zone_systems_evaluate_every_year() {
    for year in ["2022", "2023"] {
        for id in ZONE_SYSTEMS {
            let o = zoneval(&[
                "evaluate",
                "--system",
                &system_path(id),
                "--year",
                year,
                "--format",
                "json",
            ]);
            assert!(
                o.status.success(),
                "{id} {year}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let json: Value = serde_json::from_slice(&o.stdout).unwrap();
            let n = json["zones"].as_array().unwrap().len()
                + json["not_in_scope"].as_array().unwrap().len();
            assert_eq!(n, 174, "{id} {year}");
        }
    }
}

/// MOFCOM's dynamic management (press conference 2021-11-02): a national ETDZ in the bottom 5
/// of its region (东部: every Shandong zone) twice within three consecutive years goes on the
/// demotion list, judged on the mean of those years' scores. Recomputed here from each zone's
/// yearly ranks and scores (`history`), independently of the engine's rule code.
#[test]
fn mofcom_demotion_rule_is_bottom_five_twice_in_three_years() {
    let json = evaluate_json("mofcom-etdz-2021");
    let zones = json["zones"].as_array().unwrap();
    let years: Vec<i64> = json["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert_eq!(years, [2022, 2023, 2024]);
    // Ranked zones per year (every zone is ranked every year on the bundled panel).
    let n = zones.len() as u64;
    let mut expected: Vec<(String, f64)> = Vec::new();
    for z in zones {
        let bottom: Vec<f64> = z["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["rank"].as_u64().is_some_and(|r| r + 5 > n))
            .map(|h| h["score"].as_f64().unwrap())
            .collect();
        if bottom.len() >= 2 {
            let mean = bottom.iter().sum::<f64>() / bottom.len() as f64;
            expected.push((z["id"].as_str().unwrap().to_string(), mean));
        }
    }
    expected.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert!(!expected.is_empty());
    let rule = &json["rules"][0];
    assert_eq!(rule["id"], "demotion_watch");
    let got: Vec<(String, f64)> = rule["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["id"].as_str().unwrap().to_string(),
                z["mean_score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), expected.len());
    for ((gi, gm), (ei, em)) in got.iter().zip(&expected) {
        assert_eq!(gi, ei);
        assert!((gm - em).abs() < 1e-9, "{gi}: {gm} vs {em}");
    }
}

/// The panel's empty cells are filled by the systems' missing-value policies (and reported).
#[test]
fn missing_cells_are_imputed_not_fatal() {
    let json = evaluate_json("shandong-provincial");
    let imputed = json["imputed"].as_array().expect("imputed cells listed");
    assert!(!imputed.is_empty());
}

/// Land intensive use ranks 工业主导型 and 产城融合型 zones separately, each with its own
/// indicator set.
#[test]
fn land_use_is_ranked_within_land_type() {
    let json = evaluate_json("land-intensive-use");
    let mut seen = BTreeSet::new();
    for z in json["zones"].as_array().unwrap() {
        let g = &z["groups"]["land_type"];
        seen.insert(g["group"].as_str().unwrap().to_string());
        assert!(g["rank"].as_u64().is_some(), "{}", z["id"]);
    }
    assert_eq!(
        seen,
        BTreeSet::from(["产城融合型".to_string(), "工业主导型".to_string()])
    );
}

/// Projects that fail an access condition are excluded, each with a reason; the others ranked.
#[test]
fn project_access_gives_a_reason_for_every_refusal() {
    let json = evaluate_json("project-access");
    let zones = json["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 60);
    let (mut admitted, mut refused) = (0, 0);
    let mut gates = BTreeSet::new();
    for z in zones {
        if z["vetoed"].as_bool().unwrap() {
            refused += 1;
            assert!(z["rank"].is_null(), "{}", z["id"]);
            let reasons = z["veto_reasons"]
                .as_array()
                .unwrap_or_else(|| panic!("{} has no reasons", z["id"]));
            assert!(!reasons.is_empty());
            for r in reasons {
                gates.insert(r["gate"].as_str().unwrap().to_string());
            }
        } else {
            admitted += 1;
            assert!(z["rank"].as_u64().is_some());
        }
    }
    assert!(
        admitted > 0 && refused > 0,
        "{admitted} admitted, {refused} refused"
    );
    // The sample is drawn so that every one of the five conditions refuses some project.
    assert_eq!(gates.len(), 5, "{gates:?}");
}

/// The customs zones converted to 综合保税区 after the 2018 catalogue (reference file
/// official-rules-verified.md): (code, 2018 name, name since 2019-09 / 2020-07).
const RENAMED: [(&str, &str, &str); 2] = [
    ("G373081", "山东青岛出口加工区", "青岛胶州湾综合保税区"),
    ("G373080", "青岛前湾保税港区", "青岛前湾综合保税区"),
];

/// Real facts stay apart from generated values: the panel's fact columns equal the catalogue
/// file's, every row is marked synthetic, and exactly the documented cells are empty.
#[test]
fn panel_copies_the_catalogue_facts() {
    let facts = read_csv(&root().join("seeds/shandong-zones-2018.csv"));
    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    assert_eq!(facts.len(), 174);
    assert_eq!(panel.len(), 174 * 3);
    let by_code: HashMap<&str, &HashMap<String, String>> =
        facts.iter().map(|f| (f["code"].as_str(), f)).collect();
    assert_eq!(by_code.len(), 174, "zone codes are unique");
    let mut empty = Vec::new();
    for row in &panel {
        let f = by_code[row["zone_id"].as_str()];
        assert_eq!(row["name_2018"], f["name"]);
        match RENAMED.iter().find(|(code, ..)| *code == row["zone_id"]) {
            Some((_, old, new)) => {
                assert_eq!(&f["name"], old);
                assert_eq!(&row["zone_name"], new);
            }
            None => assert_eq!(row["zone_name"], f["name"]),
        }
        assert_eq!(row["city"], f["city_2024"]);
        assert_eq!(row["region"], f["region"]);
        assert_eq!(row["economic_circle"], f["economic_circle"]);
        assert_eq!(row["type"], f["type"]);
        assert_eq!(row["approved_area_ha"], f["area_ha"]);
        assert_eq!(row["data_status"], "synthetic");
        for (k, v) in row {
            if v.is_empty() {
                empty.push(format!("{} {} {k}", row["zone_id"], row["year"]));
            }
        }
    }
    empty.sort();
    let documented = [
        "G373082 2022 invention_patents",
        "S377041 2024 water_m3",
        "S377109 2023 rd_expenditure",
        "S377143 2024 hightech_exports",
        "S379092 2024 invention_patents",
        "S379155 2024 rd_expenditure",
    ];
    assert_eq!(empty, documented);
}

/// The default ranking's top 10 (rank, zone id, name, score to 2 decimals), compared exactly.
#[test]
fn default_ranking_top_10_matches_the_golden_file() {
    let json = evaluate_json("shandong-provincial");
    assert_eq!(
        json["year"].as_i64(),
        Some(2024),
        "the default evaluation uses the latest year"
    );
    let mut text = String::new();
    for z in json["zones"].as_array().unwrap().iter().take(10) {
        let score = z["score"].as_f64().unwrap();
        text.push_str(&format!(
            "{}\t{}\t{}\t{score:.2}\t{}\n",
            z["rank"],
            z["id"].as_str().unwrap(),
            z["name"].as_str().unwrap(),
            z["grade"].as_str().unwrap_or("-")
        ));
    }
    insta::assert_snapshot!("shandong-provincial-top10", text);
    // insta ignores trailing whitespace; the text ends with the last line's newline.
    assert_eq!(&text[text.trim_end().len()..], "\n");
}

/// Bundled files are chosen explicitly, the same in every directory: the default run, a
/// system or dataset by its id, and a bundled system's own (relative) data path. A path is a
/// path: the repository-relative name of a bundled file, outside the repository, is an error
/// naming it, with the id to use as a hint.
#[test]
fn bundled_files_are_chosen_by_id_from_any_directory() {
    let dir = tmpdir("bundled-elsewhere");
    let ok = |args: &[&str]| {
        let o = zoneval_in(&dir, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        o.stdout
    };
    let default = ok(&["evaluate", "--format", "csv"]);
    assert_eq!(
        default,
        zoneval(&["evaluate", "--format", "csv"]).stdout,
        "the default run is the same outside the repository"
    );
    assert_eq!(
        default,
        ok(&[
            "evaluate",
            "--system",
            "shandong-provincial",
            "--data",
            "shandong-zones",
            "--format",
            "csv"
        ])
    );
    // Each bundled system by id, on its own bundled data.
    for id in ALL_SYSTEMS {
        let here = ok(&["evaluate", "--system", id, "--format", "csv"]);
        let in_repo = zoneval(&["evaluate", "--system", &system_path(id), "--format", "csv"]);
        assert_eq!(here, in_repo.stdout, "{id}");
    }
    for (flag, path, hint) in [
        (
            "--system",
            "indicators/mofcom-etdz-2021.toml",
            "(the bundled system is `--system mofcom-etdz-2021`)",
        ),
        (
            "--data",
            "seeds/shandong-zones.csv",
            "(the bundled dataset is `--data shandong-zones`)",
        ),
    ] {
        let o = zoneval_in(&dir, &["evaluate", flag, path]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{flag} {path}: {err}");
        assert!(
            err.contains(&format!("cannot read {path}: No such file or directory")),
            "{err}"
        );
        assert!(err.contains(hint), "{err}");
        assert!(o.stdout.is_empty());
    }
    // An id is not a path: a file named like an id in the directory does not shadow it.
    std::fs::write(dir.join("shandong-zones"), "not,a,zone,table\n").unwrap();
    assert_eq!(
        default,
        ok(&["evaluate", "--data", "shandong-zones", "--format", "csv"])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------------------------------
// The documented facts of each bundled system (reference file official-rules-verified.md).

fn load(id: &str) -> zoneval_core::system::IndicatorSystem {
    zoneval_core::system::load_file(&root().join(system_path(id)))
        .unwrap_or_else(|e| panic!("{id}: {e:?}"))
}

fn indicator<'a>(
    sys: &'a zoneval_core::system::IndicatorSystem,
    id: &str,
) -> &'a zoneval_core::system::Indicator {
    sys.indicators
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("{}: no indicator {id}", sys.id))
}

fn table<'a>(
    sys: &'a zoneval_core::system::IndicatorSystem,
    id: &str,
) -> &'a zoneval_core::system::LookupTable {
    sys.tables
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{}: no table {id}", sys.id))
}

/// The names of the top-level criteria, in file order, with their local weights.
fn top_criteria(sys: &zoneval_core::system::IndicatorSystem) -> Vec<(String, f64)> {
    sys.nodes[0]
        .children
        .iter()
        .map(|&c| {
            assert_eq!(sys.tree.nodes[c].id, sys.nodes[c].id);
            (
                sys.nodes[c].name.clone(),
                sys.tree.nodes[c].weight.unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// The official 三大经济圈 (2020), written out here from the reference file, independently of
/// the generator: every zone's circle follows its 2024 city; 70 + 58 + 46 zones.
#[test]
fn economic_circle_is_the_official_grouping() {
    let official: [(&str, &[&str]); 3] = [
        (
            "省会经济圈",
            &["济南", "淄博", "泰安", "聊城", "德州", "滨州", "东营"],
        ),
        ("胶东经济圈", &["青岛", "烟台", "威海", "潍坊", "日照"]),
        ("鲁南经济圈", &["临沂", "枣庄", "济宁", "菏泽"]),
    ];
    let circle_of = |city: &str| {
        official
            .iter()
            .find(|(_, cities)| cities.contains(&city))
            .map(|(c, _)| *c)
            .unwrap_or_else(|| panic!("{city} is in no circle"))
    };
    let facts = read_csv(&root().join("seeds/shandong-zones-2018.csv"));
    let mut count: HashMap<String, usize> = HashMap::new();
    for f in &facts {
        assert_eq!(
            f["economic_circle"],
            circle_of(&f["city_2024"]),
            "{}",
            f["code"]
        );
        *count.entry(f["economic_circle"].clone()).or_default() += 1;
        // The Laiwu zones (city 莱芜 in 2018) are in Jinan's circle.
        if f["city"] == "莱芜" {
            assert_eq!(f["economic_circle"], "省会经济圈");
        }
    }
    assert_eq!(
        (
            count["省会经济圈"],
            count["胶东经济圈"],
            count["鲁南经济圈"]
        ),
        (70, 58, 46)
    );
    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    for row in &panel {
        assert_eq!(
            row["economic_circle"],
            circle_of(&row["city"]),
            "{}",
            row["zone_id"]
        );
    }
    // The provincial systems rank within the official circles.
    for id in ["shandong-provincial", "shandong-provincial-2016"] {
        assert_eq!(load(id).data.groups[0], "economic_circle", "{id}");
    }
}

/// Each application's zone level is its host zone's catalogue level.
#[test]
fn applications_carry_the_host_zones_level() {
    let facts = read_csv(&root().join("seeds/shandong-zones-2018.csv"));
    let level: HashMap<&str, &str> = facts
        .iter()
        .map(|f| {
            let l = if f["level"] == "国务院" {
                "国家级"
            } else {
                "省级"
            };
            (f["code"].as_str(), l)
        })
        .collect();
    let apps = read_csv(&root().join("seeds/project-applications.csv"));
    assert_eq!(apps.len(), 60);
    for a in &apps {
        assert_eq!(
            a["zone_level"],
            level[a["zone_id"].as_str()],
            "{}",
            a["project_id"]
        );
    }
    assert!(apps.iter().any(|a| a["zone_level"] == "国家级"));
    assert!(apps.iter().any(|a| a["zone_level"] == "省级"));
}

/// Shandong's investment floors (鲁政办发〔2005〕27号) by zone level and city, the six plot
/// ratios now verified, and green space as published in 2008.
#[test]
fn project_access_has_shandongs_floors_and_the_published_values() {
    let sys = load("project-access");
    let t = table(&sys, "investment_min");
    assert_eq!(t.by, ["zone_level", "city"]);
    assert_eq!(t.default, None, "every key is listed");
    let groups: [(&[&str], f64); 3] = [
        (&["青岛", "烟台", "威海"], 3000.0),
        (
            &["济南", "淄博", "潍坊", "东营", "泰安", "济宁", "日照"],
            2400.0,
        ),
        (&["滨州", "德州", "聊城", "菏泽", "枣庄", "临沂"], 1500.0),
    ];
    let cities: Vec<&str> = groups.iter().flat_map(|(c, _)| c.iter().copied()).collect();
    assert_eq!(cities.len(), 16);
    let value = |level: &str, city: &str| {
        t.rows
            .iter()
            .find(|(k, _)| k[0] == level && k[1] == city)
            .map(|r| r.1)
    };
    for (cs, v) in groups {
        for c in cs {
            assert_eq!(value("国家级", c), Some(3600.0), "国家级 {c}");
            assert_eq!(value("省级", c), Some(v), "省级 {c}");
        }
    }
    assert_eq!(t.rows.len(), 32);
    let plot = table(&sys, "plot_ratio_min");
    for (code, v) in [
        ("C13", 1.0),
        ("C18", 1.0),
        ("C22", 0.8),
        ("C27", 0.7),
        ("C29", 0.8),
        ("C31", 0.7),
        ("C14", 1.0),
        ("C17", 0.8),
        ("C25", 0.5),
        ("C26", 0.6),
        ("C32", 0.6),
        ("C33", 0.6),
    ] {
        assert_eq!(
            plot.rows.iter().find(|(k, _)| k[0] == code).map(|r| r.1),
            Some(v),
            "{code}"
        );
    }
    // The file says which values are verified: the six relabelled ones are no longer
    // placeholders; only C35–C40 are.
    let text = std::fs::read_to_string(root().join("indicators/project-access.toml")).unwrap();
    for line in text.lines().filter(|l| l.trim_start().starts_with("[\"C")) {
        let code = &line.trim_start()[2..5];
        let placeholder = line.contains("PLACEHOLDER");
        assert_eq!(placeholder, code >= "C35", "{line}");
    }
    // Green space: none without the process exception, at most 20 % with it.
    let green = table(&sys, "green_max");
    assert_eq!(green.by, ["green_process_required"]);
    let mut rows = green.rows.clone();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        rows,
        vec![
            (vec!["否".to_string()], 0.0),
            (vec!["是".to_string()], 20.0)
        ]
    );
    let gate = sys.gates.iter().find(|g| g.id == "green_ratio").unwrap();
    assert!(gate.conditions[0].max.is_some() && gate.conditions[0].min.is_none());
}

/// The 2023 structure: binding plot ratio, building coverage and administrative share (gates);
/// investment, output and tax per hectare recommended (scored, never a refusal); no green space.
#[test]
fn project_access_2023_has_the_2023_structure() {
    let sys = load("project-access-2023");
    let gates: BTreeSet<&str> = sys.gates.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        gates,
        BTreeSet::from(["admin_living_share", "building_coverage", "plot_ratio_min"])
    );
    for ind in ["investment_intensity", "output_per_ha", "tax_per_ha"] {
        let i = indicator(&sys, ind);
        assert!(i.ideal.is_some() && i.veto.is_none(), "{ind}");
    }
    assert_eq!(sys.indicators.len(), 3);
    let text = std::fs::read_to_string(root().join("indicators/project-access-2023.toml")).unwrap();
    assert!(!text.contains("green_ha"), "绿地率 is no longer listed");
    assert!(text.contains("PLACEHOLDER"));
    // On the sample: the refusals come from the binding gates only, and some projects below a
    // recommended value are still admitted.
    let json = evaluate_json("project-access-2023");
    let zones = json["zones"].as_array().unwrap();
    let apps = read_csv(&root().join("seeds/project-applications.csv"));
    let below_recommended = zones.iter().filter(|z| {
        let a = apps
            .iter()
            .find(|a| a["project_id"] == z["id"].as_str().unwrap())
            .unwrap();
        let inv: f64 = a["fixed_investment"].parse().unwrap();
        let land: f64 = a["land_area_ha"].parse().unwrap();
        !z["vetoed"].as_bool().unwrap() && inv / land < 3000.0
    });
    assert!(below_recommended.count() > 0);
    for z in zones.iter().filter(|z| z["vetoed"] == true) {
        for r in z["veto_reasons"].as_array().unwrap() {
            assert!(gates.contains(r["gate"].as_str().unwrap()), "{r}");
        }
    }
}

/// The 2014 indicator sets by zone type, and every zone's value (all zones, all years of the
/// bundled panel) at or below each benefit indicator's ideal, computed from the CSV with the
/// system's own formulas.
#[test]
fn land_use_sets_by_zone_type_and_ideals_above_the_data() {
    use zoneval_core::method::Direction;
    use zoneval_core::system::ValueSource;
    let sys = load("land-intensive-use");
    let applies = |t: &str| -> BTreeSet<&str> {
        sys.indicators
            .iter()
            .filter(|i| {
                i.applies_to
                    .as_ref()
                    .is_none_or(|a| a.values.iter().any(|v| v == t))
            })
            .map(|i| i.name.as_str())
            .collect()
    };
    let urban: BTreeSet<&str> = [
        "土地供应率",
        "土地建成率",
        "综合容积率",
        "建筑密度",
        "综合地均税收",
        "人口密度",
        "土地闲置率",
    ]
    .into();
    assert_eq!(applies("产城融合型"), urban);
    let mut industrial = urban.clone();
    industrial.extend([
        "工业用地综合容积率",
        "工业用地建筑系数",
        "工业用地固定资产投入强度",
        "工业用地地均税收",
        "工业用地率", // TD/T 1029-2010, kept (our choice; documented in the file)
    ]);
    assert_eq!(applies("工业主导型"), industrial);

    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    let mut checked = 0;
    for ind in &sys.indicators {
        let (Direction::Benefit, Some(ideal)) = (&ind.direction, ind.ideal) else {
            continue;
        };
        let ValueSource::Formula(f) = &ind.source else {
            panic!("{}: land-use indicators are formulas", ind.id)
        };
        let mut max = f64::NEG_INFINITY;
        for row in &panel {
            let x = f.eval(&|i| row[&f.vars[i]].parse().ok()).unwrap().unwrap();
            max = max.max(x);
        }
        assert!(
            max <= ideal,
            "{}: panel maximum {max} above the ideal {ideal}",
            ind.id
        );
        checked += 1;
    }
    assert_eq!(checked, 11);
    // The cost indicator's `worst` lies beyond every zone, so it keeps measuring all of them.
    let idle = indicator(&sys, "idle_rate");
    let ValueSource::Formula(f) = &idle.source else {
        panic!()
    };
    for row in &panel {
        let x = f.eval(&|i| row[&f.vars[i]].parse().ok()).unwrap().unwrap();
        assert!(
            x < idle.worst.unwrap(),
            "{} {}",
            row["zone_id"],
            row["year"]
        );
    }
}

/// HJ 274-2015's five categories, the verified Shandong gates, and no 2009 "综合类" title.
#[test]
fn eco_park_has_the_five_hj_274_2015_categories() {
    let sys = load("eco-industrial-park");
    let names: Vec<String> = top_criteria(&sys).into_iter().map(|c| c.0).collect();
    assert_eq!(
        names,
        ["经济发展", "产业共生", "资源节约", "环境保护", "信息公开"]
    );
    assert!(!sys.name.contains("综合类"), "{}", sys.name);
    assert!(sys.name.contains("HJ 274-2015"));
    use zoneval_core::system::Threshold;
    let bound = |gate: &str, cond: usize| {
        let c = &sys.gates.iter().find(|g| g.id == gate).unwrap().conditions[cond];
        match (&c.min, &c.max) {
            (Some(Threshold::Value(v)), None) => *v,
            other => panic!("{gate}: {other:?}"),
        }
    };
    let any = sys.gates.iter().find(|g| g.id == "economic_any").unwrap();
    assert_eq!((any.k, any.conditions.len()), (1, 4));
    assert_eq!(
        (0..4).map(|i| bound("economic_any", i)).collect::<Vec<_>>(),
        [45.0, 15.0, 15.0, 30.0]
    );
    assert_eq!(bound("clean_production_audit", 0), 100.0);
    assert_eq!(bound("eco_chain_projects", 0), 6.0);
    assert_eq!(bound("wastewater_plant_online", 0), 1.0);
    assert_eq!((bound("waste_any", 0), bound("waste_any", 1)), (70.0, 80.0));
}

/// The inspection rate is scored against its 90 % target (a province-wide target), not a
/// per-zone veto; the plan's FIE rates, imports and processing trade are indicators.
#[test]
fn provincial_inspection_rate_is_a_target_not_a_veto() {
    let sys = load("shandong-provincial");
    let insp = indicator(&sys, "inspection_rate");
    assert!(insp.veto.is_none());
    assert_eq!(insp.ideal, Some(90.0));
    for g in &sys.gates {
        for c in &g.conditions {
            assert!(
                !matches!(&c.source, zoneval_core::system::ValueSource::Column(col) if col == "inspection_rate"),
                "gate {} reads the inspection rate",
                g.id
            );
        }
    }
    for id in [
        "fie_capital_paid_rate",
        "fie_operating_rate",
        "fie_capital_increase_rate",
        "imports",
        "processing_value_added_rate",
    ] {
        indicator(&sys, id);
    }
    // On the bundled data, zones below 90 % are ranked, and none is vetoed for it.
    let json = evaluate_json("shandong-provincial");
    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    let low: BTreeSet<&str> = panel
        .iter()
        .filter(|r| r["year"] == LATEST_YEAR && r["inspection_rate"].parse::<f64>().unwrap() < 90.0)
        .map(|r| r["zone_id"].as_str())
        .collect();
    assert!(!low.is_empty());
    let mut ranked = 0;
    for z in json["zones"].as_array().unwrap() {
        if low.contains(z["id"].as_str().unwrap()) && z["rank"].as_u64().is_some() {
            ranked += 1;
        }
        for r in z["veto_reasons"].as_array().into_iter().flatten() {
            assert_ne!(r["gate"], "inspection_rate", "{}", z["id"]);
        }
    }
    assert!(ranked > 0, "zones below the 90 % target are still ranked");
}

/// The points system in the 2016 round's structure: five categories in order, 1,000 points
/// split 300/250/200/150/100 (ours), bonus and deduction items.
#[test]
fn provincial_2016_points_system_has_the_documented_structure() {
    let sys = load("shandong-provincial-2016");
    assert_eq!(sys.scale, 1000.0);
    let crit = top_criteria(&sys);
    let names: Vec<&str> = crit.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        names,
        ["经济发展", "对外开放", "创新驱动", "功能配套", "行政效能"]
    );
    let points: Vec<f64> = crit.iter().map(|c| (c.1 * sys.scale).round()).collect();
    assert_eq!(points, [300.0, 250.0, 200.0, 150.0, 100.0]);
    assert!(
        sys.adjustments.iter().any(|a| a.points > 0.0),
        "a bonus item"
    );
    assert!(
        sys.adjustments.iter().any(|a| a.points < 0.0),
        "a deduction item"
    );
    // Points: the zone's score is the sum over indicators of points × attainment plus items;
    // check one zone against that sum computed here from the JSON's criterion breakdown.
    let json = evaluate_json("shandong-provincial-2016");
    let z = &json["zones"][0];
    let items: f64 = z["adjustments"]
        .as_object()
        .map(|m| m.values().map(|v| v.as_f64().unwrap()).sum())
        .unwrap_or(0.0);
    let value = z["value"].as_f64().unwrap();
    let score = z["score"].as_f64().unwrap();
    assert!(
        (score - (1000.0 * value + items)).abs() < 1e-6,
        "{score} vs {value} + {items}"
    );
}

/// The scope counts on the bundled data (latest year): the provincial systems evaluate the 136
/// provincial zones and 15 national ETDZs (as the 2016 round: provincial zones + national
/// ETDZs), the eco-park standard the 164 industrial parks (no customs zones, no resort), land
/// use every zone, MOFCOM the 15 national ETDZs. Counted here from the CSV's level and type.
#[test]
fn scope_counts_on_the_bundled_data() {
    let panel = read_csv(&root().join("seeds/shandong-zones.csv"));
    let latest: Vec<&HashMap<String, String>> =
        panel.iter().filter(|r| r["year"] == LATEST_YEAR).collect();
    let count = |f: &dyn Fn(&str, &str) -> bool| {
        latest.iter().filter(|r| f(&r["level"], &r["type"])).count()
    };
    let provincial = count(&|l, _| l == "省级");
    let etdz = count(&|l, t| l == "国家级" && t == "经济技术开发区");
    let parks = count(&|_, t| t != "海关特殊监管区域" && t != "其他类型开发区");
    assert_eq!((provincial, etdz, parks), (136, 15, 164));
    for (id, n) in [
        ("shandong-provincial", provincial + etdz),
        ("shandong-provincial-2016", provincial + etdz),
        ("eco-industrial-park", parks),
        ("land-intensive-use", 174),
        ("mofcom-etdz-2021", etdz),
    ] {
        let json = evaluate_json(id);
        let inside = json["zones"].as_array().unwrap().len();
        let outside = json["not_in_scope"].as_array().unwrap().len();
        assert_eq!((inside, outside), (n, 174 - n), "{id}");
    }
    // The provincial systems leave out exactly the national high-tech and customs zones and
    // the resort.
    let json = evaluate_json("shandong-provincial");
    let outside: BTreeSet<&str> = json["not_in_scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = latest
        .iter()
        .filter(|r| r["level"] == "国家级" && r["type"] != "经济技术开发区")
        .map(|r| r["zone_id"].as_str())
        .collect();
    assert_eq!(outside, expected);
}
