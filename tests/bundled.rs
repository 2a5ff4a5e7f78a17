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

const ZONE_SYSTEMS: [&str; 4] = [
    "shandong-provincial",
    "mofcom-etdz-2021",
    "land-intensive-use",
    "eco-industrial-park",
];
const ALL_SYSTEMS: [&str; 5] = [
    "shandong-provincial",
    "mofcom-etdz-2021",
    "land-intensive-use",
    "eco-industrial-park",
    "project-access",
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
        // `validate` now checks each system's own data against its ideal values; the
        // land-use ideals are being raised above the bundled data (until then its warnings
        // are the only ones allowed).
        let err: String = err
            .lines()
            .filter(|l| !(id == "land-intensive-use" && l.contains("no longer told apart")))
            .collect();
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
        assert_eq!(row["zone_name"], f["name"]);
        assert_eq!(row["city"], f["city_2024"]);
        assert_eq!(row["region"], f["region"]);
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
