//! Panels (DESIGN.md "Panels: comparable years, adjustments, multi-year rules"), checked
//! against independent recomputations written out here: pooled and base-year goalposts
//! (the OECD/JRC Handbook on Constructing Composite Indicators, 2008, §5.1: min-max and
//! z-score "over time" with the reference values of all years or of a base year), fixed
//! goalposts, the weighted-sum identity Δscore = scale · Σ_j w_j Δr_j on one scale, bonus and
//! deduction points, and MOFCOM's "bottom of the region twice within three years" rule
//! (商务部 国家级经济技术开发区综合发展水平考核评价办法, 2021 revision, as summarised in
//! shared/reference/official-rules-verified.md).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

const YEARS: [i64; 3] = [2022, 2023, 2024];

/// A panel: per (zone, year) the values of a (benefit), b (cost), awards; region per zone.
struct Panel {
    zones: Vec<(&'static str, &'static str, &'static str)>,
    rows: BTreeMap<(usize, i64), [f64; 3]>,
}

impl Panel {
    /// Six zones in two regions, three years, values from a small LCG (seed varies the data).
    fn random(seed: u64) -> Panel {
        let zones = vec![
            ("Z1", "甲区", "东"),
            ("Z2", "乙区", "东"),
            ("Z3", "丙区", "东"),
            ("Z4", "丁区", "西"),
            ("Z5", "戊区", "西"),
            ("Z6", "己区", "西"),
        ];
        let mut s = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % 1000) as f64 / 10.0 + 1.0
        };
        let mut rows = BTreeMap::new();
        for z in 0..zones.len() {
            for y in YEARS {
                rows.insert((z, y), [next(), next(), (next() as i64 % 4) as f64]);
            }
        }
        Panel { zones, rows }
    }

    fn csv(&self) -> String {
        let mut out = String::from("zone_id,zone_name,year,region,a,b,awards\n");
        for ((z, y), v) in &self.rows {
            let (id, name, region) = self.zones[*z];
            out.push_str(&format!(
                "{id},{name},{y},{region},{},{},{}\n",
                v[0], v[1], v[2]
            ));
        }
        out
    }
}

/// A flat system over a (weight 0.6, benefit) and b (weight 0.4, cost) with `method` lines
/// and `extra` sections.
fn system(method: &str, extra: &str) -> String {
    format!(
        r#"[system]
id = "panel-test"
name = "面板测试"

[method]
normalization = "min-max"
weighting = "expert"
aggregation = "weighted-sum"
{method}

[data]
groups = ["region"]

[[indicators]]
id = "a"
name = "指标甲"
direction = "benefit"
weight = 0.6

[[indicators]]
id = "b"
name = "指标乙"
direction = "cost"
weight = 0.4
{extra}
"#
    )
}

/// Runs `evaluate --format json` on the panel with a system, in a fresh directory.
fn run(name: &str, panel: &Panel, sys: &str, extra_args: &[&str]) -> (Value, String) {
    let dir = common::tmpdir(name);
    common::write(&dir, "panel.csv", panel.csv());
    common::write(&dir, "panel.toml", sys);
    let mut args = vec![
        "evaluate",
        "--system",
        "panel.toml",
        "--data",
        "panel.csv",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra_args);
    let out = common::zoneval_in(&dir, &args);
    let err = common::stderr(&out);
    assert!(out.status.success(), "zoneval failed: {err}");
    (serde_json::from_str(&common::stdout(&out)).unwrap(), err)
}

/// Each zone's score per year, from the JSON history.
fn scores(v: &Value) -> BTreeMap<(String, i64), f64> {
    let mut out = BTreeMap::new();
    for z in v["zones"].as_array().unwrap() {
        for h in z["history"].as_array().unwrap() {
            if let Some(s) = h["score"].as_f64() {
                out.insert(
                    (
                        z["id"].as_str().unwrap().to_string(),
                        h["year"].as_i64().unwrap(),
                    ),
                    s,
                );
            }
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Independent pooled min-max: one min and max per indicator over all 18 zone-years.
fn pooled_min_max(p: &Panel) -> BTreeMap<(String, i64), f64> {
    let col = |j: usize| p.rows.values().map(move |v| v[j]);
    let (amin, amax) = (
        col(0).fold(f64::INFINITY, f64::min),
        col(0).fold(0.0, f64::max),
    );
    let (bmin, bmax) = (
        col(1).fold(f64::INFINITY, f64::min),
        col(1).fold(0.0, f64::max),
    );
    p.rows
        .iter()
        .map(|((z, y), v)| {
            let ra = (v[0] - amin) / (amax - amin);
            let rb = (bmax - v[1]) / (bmax - bmin);
            (
                (p.zones[*z].0.to_string(), *y),
                100.0 * (0.6 * ra + 0.4 * rb),
            )
        })
        .collect()
}

#[test]
fn pooled_min_max_matches_an_independent_computation() {
    let p = Panel::random(7);
    let (v, _) = run(
        "panel-pooled",
        &p,
        &system("goalposts = \"pooled\"", ""),
        &[],
    );
    assert_eq!(v["method"]["goalposts"], "pooled");
    assert_eq!(v["years"], serde_json::json!([2022, 2023, 2024]));
    let got = scores(&v);
    let want = pooled_min_max(&p);
    assert_eq!(got.len(), want.len(), "every zone-year has a score");
    for (k, w) in &want {
        assert!(close(got[k], *w), "{k:?}: got {}, want {w}", got[k]);
    }
    // Ranks within each year follow the pooled scores.
    for z in v["zones"].as_array().unwrap() {
        for h in z["history"].as_array().unwrap() {
            let y = h["year"].as_i64().unwrap();
            let mine = h["score"].as_f64().unwrap();
            let better = want
                .iter()
                .filter(|((_, yy), s)| *yy == y && **s > mine + 1e-9)
                .count();
            assert_eq!(h["rank"].as_u64().unwrap() as usize, better + 1);
        }
    }
}

#[test]
fn pooled_weighted_sum_changes_are_the_weighted_normalised_changes() {
    // Property over several data sets: on one scale, a weighted-sum score changes between
    // years by exactly scale · Σ_j w_j (r_j,t − r_j,t−1) with r the pooled normalised values.
    for seed in [1u64, 2, 3, 11, 42] {
        let p = Panel::random(seed);
        let (v, _) = run(
            &format!("panel-prop-{seed}"),
            &p,
            &system("goalposts = \"pooled\"", ""),
            &[],
        );
        let got = scores(&v);
        let want = pooled_min_max(&p);
        for z in &p.zones {
            for w in YEARS.windows(2) {
                let (a, b) = ((z.0.to_string(), w[0]), (z.0.to_string(), w[1]));
                let d_got = got[&b] - got[&a];
                let d_want = want[&b] - want[&a];
                assert!(
                    close(d_got, d_want),
                    "seed {seed} {z:?} {w:?}: {d_got} vs {d_want}"
                );
            }
        }
        // The JSON's trend carries the same change for the selected year.
        for z in v["zones"].as_array().unwrap() {
            let id = z["id"].as_str().unwrap().to_string();
            let d = z["trend"]["score_change"].as_f64().unwrap();
            assert!(close(d, want[&(id.clone(), 2024)] - want[&(id, 2023)]));
        }
    }
}

#[test]
fn identical_raw_values_get_identical_scores_on_one_scale() {
    let mut p = Panel::random(5);
    // Zone Z2 reports the same values in 2023 and 2024.
    let same = p.rows[&(1, 2023)];
    p.rows.insert((1, 2024), same);
    let per_year = scores(&run("panel-same-py", &p, &system("", ""), &[]).0);
    let pooled = scores(
        &run(
            "panel-same-pool",
            &p,
            &system("goalposts = \"pooled\"", ""),
            &[],
        )
        .0,
    );
    let fixed_sys = system("", "")
        .replace("weight = 0.6\n", "weight = 0.6\ngoalposts = [0, 120]\n")
        .replace("weight = 0.4\n", "weight = 0.4\ngoalposts = [0, 120]\n");
    let fixed = scores(&run("panel-same-fixed", &p, &fixed_sys, &[]).0);
    let k = |y| ("Z2".to_string(), y);
    assert!(close(pooled[&k(2023)], pooled[&k(2024)]));
    assert!(close(fixed[&k(2023)], fixed[&k(2024)]));
    // Fixed goalposts: benefit x/120, cost (120 − x)/120.
    let want = 100.0 * (0.6 * same[0] / 120.0 + 0.4 * (120.0 - same[1]) / 120.0);
    assert!(
        close(fixed[&k(2024)], want),
        "{} vs {want}",
        fixed[&k(2024)]
    );
    // Per year the other zones move the scale, so the same values need not score the same.
    assert!(!close(per_year[&k(2023)], per_year[&k(2024)]));
}

#[test]
fn base_year_z_scores_use_the_base_years_statistics() {
    let p = Panel::random(9);
    let z = |method: &str| system(method, "").replace("\"min-max\"", "\"z-score\"");
    let sys = z("goalposts = { kind = \"base-year\", year = 2022 }");
    let (v, _) = run("panel-base", &p, &sys, &[]);
    assert_eq!(v["method"]["goalposts"], "base-year");
    // Independent: mean and sample sd of 2022's six values per indicator.
    let stats = |j: usize| {
        let x: Vec<f64> = (0..6).map(|z| p.rows[&(z, 2022)][j]).collect();
        let m = x.iter().sum::<f64>() / 6.0;
        let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 5.0).sqrt();
        (m, sd)
    };
    let ((ma, sa), (mb, sb)) = (stats(0), stats(1));
    let value = |v: &[f64; 3]| 0.6 * (v[0] - ma) / sa - 0.4 * (v[1] - mb) / sb;
    // The display score maps values onto the base year's range (z-scores leave [0, 1]).
    let base: Vec<f64> = (0..6).map(|z| value(&p.rows[&(z, 2022)])).collect();
    let (lo, hi) = base
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let got = scores(&v);
    for ((z, y), row) in &p.rows {
        let want = 100.0 * (value(row) - lo) / (hi - lo);
        let g = got[&(p.zones[*z].0.to_string(), *y)];
        assert!(close(g, want), "{z} {y}: {g} vs {want}");
    }
    // `cap = true` clamps later years to the base year's range: scores stay in 0..100.
    let capped = z("goalposts = { kind = \"base-year\", year = 2022, cap = true }");
    let got = scores(&run("panel-base-cap", &p, &capped, &[]).0);
    assert!(
        got.values().all(|s| (-1e-9..=100.0 + 1e-9).contains(s)),
        "{got:?}"
    );
}

#[test]
fn adjustments_add_capped_points_and_rank_follows_the_adjusted_score() {
    let p = Panel::random(3);
    let extra = r#"
[[adjustments]]
id = "awards"
name = "荣誉加分"
column = "awards"
points = 4
max = 6
"#;
    let (v, _) = run(
        "panel-adj",
        &p,
        &system("goalposts = \"pooled\"", extra),
        &[],
    );
    let base = pooled_min_max(&p);
    let mut seen = Vec::new();
    for z in v["zones"].as_array().unwrap() {
        let id = z["id"].as_str().unwrap();
        let zi = p.zones.iter().position(|q| q.0 == id).unwrap();
        let awards = p.rows[&(zi, 2024)][2];
        let pts = (awards * 4.0).min(6.0);
        assert_eq!(z["adjustments"]["awards"].as_f64().unwrap(), pts);
        let want = base[&(id.to_string(), 2024)] + pts;
        assert!(close(z["score"].as_f64().unwrap(), want));
        seen.push((z["rank"].as_u64().unwrap(), want));
    }
    // Zones in rank order have non-increasing adjusted scores.
    seen.sort_by_key(|s| s.0);
    assert!(seen.windows(2).all(|w| w[0].1 >= w[1].1 - 1e-9), "{seen:?}");
}

/// A panel where the bottom zone of region 东 is chosen year by year.
fn rule_panel(bottom_east: [usize; 3]) -> Panel {
    let mut p = Panel::random(1);
    for (k, y) in YEARS.iter().enumerate() {
        for z in 0..6 {
            let good = if z == bottom_east[k] {
                10.0
            } else {
                50.0 + z as f64
            };
            p.rows.insert((z, *y), [good, 20.0, 0.0]);
        }
    }
    p
}

#[test]
fn bottom_of_the_region_twice_in_three_years() {
    // Z1 is last of 东 in 2022 and 2024, Z2 in 2023: Z1 meets "2 of 3", Z2 (once) does not.
    let p = rule_panel([0, 1, 0]);
    let rule = r#"
[[rules]]
id = "demotion_watch"
name = "降级备选"
bottom = 1
within = "region"
times = 2
of_last = 3
"#;
    let (v, _) = run("panel-rule", &p, &system("", rule), &[]);
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1);
    let zones = rules[0]["zones"].as_array().unwrap();
    let ids: Vec<&str> = zones.iter().map(|z| z["id"].as_str().unwrap()).collect();
    // Region 西: Z4 has the lowest a every year (50+3 < 50+4 < 50+5), so it is listed too,
    // after Z1 (lower mean score first).
    assert_eq!(ids, ["Z1", "Z4"]);
    let z1 = zones.iter().find(|z| z["id"] == "Z1").unwrap();
    assert_eq!(z1["years"], serde_json::json!([2022, 2024]));
    // The mean score over the two years it met the rule.
    let hist = common::zone(&v, "Z1");
    let s: Vec<f64> = hist["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["year"] != 2023)
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(close(
        z1["mean_score"].as_f64().unwrap(),
        (s[0] + s[1]) / 2.0
    ));
    assert_eq!(hist["rules"], serde_json::json!(["demotion_watch"]));
    // Once only (Z1 bottom in 2022 alone) is not enough.
    let once = rule_panel([0, 1, 2]);
    let (v, _) = run("panel-rule-once", &once, &system("", rule), &[]);
    let ids: Vec<&str> = v["rules"][0]["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.contains(&"Z1") && !ids.contains(&"Z2") && !ids.contains(&"Z3"),
        "{ids:?}"
    );
}

#[test]
fn a_rule_longer_than_the_data_warns_which_years_it_covers() {
    let p = rule_panel([0, 1, 0]);
    let rule =
        "\n[[rules]]\nid = \"long\"\nname = \"长规则\"\nbottom = 1\ntimes = 2\nof_last = 5\n";
    let (v, err) = run("panel-rule-long", &p, &system("", rule), &["--lang", "en"]);
    assert_eq!(
        v["rules"][0]["missing_years"],
        serde_json::json!([2020, 2021])
    );
    assert!(
        err.contains("rule long looks at 2020, 2021, 2022, 2023, 2024"),
        "{err}"
    );
    assert!(err.contains("covers 3 year(s)"), "{err}");
}

#[test]
fn score_change_verdicts_follow_the_weight_interval() {
    let mut p = Panel::random(4);
    // Z3 improves on both indicators; Z5 reports the same values as last year.
    let before = p.rows[&(2, 2023)];
    p.rows.insert(
        (2, 2024),
        [before[0] + 30.0, (before[1] - 0.5).max(0.5), 0.0],
    );
    let same = p.rows[&(4, 2023)];
    p.rows.insert((4, 2024), same);
    let (v, _) = run(
        "panel-trend",
        &p,
        &system("goalposts = \"pooled\"", ""),
        &[],
    );
    let zone = |id: &str| common::zone(&v, id).clone();
    let z3 = zone("Z3");
    assert_eq!(z3["trend"]["verdict"], "improved", "{z3}");
    assert!(z3["trend"]["change_p05"].as_f64().unwrap() > 0.0);
    let z5 = zone("Z5");
    assert_eq!(z5["trend"]["verdict"], "no-clear-change");
    assert_eq!(z5["trend"]["change_p05"].as_f64().unwrap(), 0.0);
    assert_eq!(z5["trend"]["change_p95"].as_f64().unwrap(), 0.0);
    // Indicator trends: the change since 2023 and the compound growth since 2022.
    let a22 = p.rows[&(2, 2022)][0];
    let a24 = p.rows[&(2, 2024)][0];
    let t = &z3["trend"];
    assert!(close(t["indicator_change"]["a"].as_f64().unwrap(), 30.0));
    assert!(close(
        t["indicator_cagr"]["a"].as_f64().unwrap(),
        (a24 / a22).powf(0.5) - 1.0
    ));
    // Per-year goalposts: no verdict, and the reason is said.
    let (v, _) = run("panel-trend-py", &p, &system("", ""), &[]);
    assert!(v["zones"][0]["trend"]["verdict"].is_null());
    assert_eq!(v["trend_interval"]["comparable"], false);
}

#[test]
fn absent_years_and_renamed_zones_are_said() {
    let mut p = Panel::random(6);
    p.rows.remove(&(5, 2022));
    let dir = common::tmpdir("panel-quality");
    let csv = p.csv().replace("Z1,甲区,2022", "Z1,甲区(旧),2022");
    common::write(&dir, "panel.csv", csv);
    common::write(&dir, "panel.toml", system("", ""));
    let out = common::zoneval_in(
        &dir,
        &[
            "evaluate",
            "--system",
            "panel.toml",
            "--data",
            "panel.csv",
            "--format",
            "json",
            "--lang",
            "en",
        ],
    );
    assert!(out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("zone Z6 has data for 2023, 2024 only (absent in 2022)"),
        "{err}"
    );
    assert!(
        err.contains("zone Z1 changed its name: shown as “甲区” (earlier: 甲区(旧))"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let z6 = common::zone(&v, "Z6");
    let years: Vec<i64> = z6["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2023, 2024], "absent, not zero");
    let z1 = common::zone(&v, "Z1");
    assert_eq!(z1["earlier_names"], serde_json::json!(["甲区(旧)"]));
}

#[test]
fn the_table_shows_rank_changes_and_says_when_scores_do_not_compare() {
    let p = Panel::random(8);
    let dir = common::tmpdir("panel-table");
    common::write(&dir, "panel.csv", p.csv());
    common::write(&dir, "panel.toml", system("", ""));
    let out = common::zoneval_in(
        &dir,
        &[
            "evaluate",
            "--system",
            "panel.toml",
            "--data",
            "panel.csv",
            "--lang",
            "en",
            // The year in the change headers is in the wide table (the narrow one says it
            // on the panel line above, to fit 120 columns).
            "--wide",
        ],
    );
    let s = common::stdout(&out);
    assert!(
        s.contains("per-year goalposts: scores do not compare across years"),
        "{s}"
    );
    assert!(
        s.contains("Δ rank vs 2023") && !s.contains("Δ score vs"),
        "{s}"
    );
    common::write(&dir, "pooled.toml", system("goalposts = \"pooled\"", ""));
    let out = common::zoneval_in(
        &dir,
        &[
            "evaluate",
            "--system",
            "pooled.toml",
            "--data",
            "panel.csv",
            "--lang",
            "en",
            "--wide",
        ],
    );
    let s = common::stdout(&out);
    assert!(
        s.contains("Δ score vs 2023") && s.contains("Δ rank vs 2023"),
        "{s}"
    );
    assert!(
        s.contains("pooled goalposts: scores compare across years"),
        "{s}"
    );
}

#[test]
fn every_aggregation_honours_pooled_goalposts_or_base_year_refuses_it() {
    let p = Panel::random(12);
    for agg in [
        "topsis",
        "vikor",
        "promethee-ii",
        "copras",
        "edas",
        "mabac",
        "rsr",
        "grey-relational",
    ] {
        let sys = system("goalposts = \"pooled\"", "").replace(
            "aggregation = \"weighted-sum\"",
            &format!("aggregation = \"{agg}\""),
        );
        let (v, _) = run(&format!("panel-agg-{agg}"), &p, &sys, &[]);
        // Every zone-year is scored on the panel's one scale.
        assert_eq!(v["method"]["goalposts"], "pooled");
        assert_eq!(scores(&v).len(), 18, "{agg}: every zone-year scored");
        let sys_base = sys.replace(
            "goalposts = \"pooled\"",
            "goalposts = { kind = \"base-year\", year = 2022 }",
        );
        let dir = common::tmpdir(&format!("panel-agg-base-{agg}"));
        common::write(&dir, "panel.csv", p.csv());
        common::write(&dir, "panel.toml", &sys_base);
        let out = common::zoneval_in(
            &dir,
            &[
                "evaluate",
                "--system",
                "panel.toml",
                "--data",
                "panel.csv",
                "--lang",
                "en",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{agg}");
        let err = common::stderr(&out);
        assert!(
            err.contains(&format!(
                "base-year goalposts: `{agg}` takes reference points"
            )),
            "{err}"
        );
    }
}

#[test]
fn pooled_topsis_uses_the_panels_ideal_points() {
    // Independent TOPSIS (vector normalisation, Euclidean distance; Hwang & Yoon 1981) over all
    // 18 zone-years at once: the pooled scores are its closeness × 100.
    let p = Panel::random(21);
    let sys = system("goalposts = \"pooled\"", "")
        .replace("normalization = \"min-max\"\n", "")
        .replace("aggregation = \"weighted-sum\"", "aggregation = \"topsis\"");
    let (v, _) = run("panel-topsis", &p, &sys, &[]);
    let norm = |j: usize| p.rows.values().map(|r| r[j] * r[j]).sum::<f64>().sqrt();
    let (na, nb) = (norm(0), norm(1));
    let r: Vec<((String, i64), [f64; 2])> = p
        .rows
        .iter()
        .map(|((z, y), v)| {
            (
                (p.zones[*z].0.to_string(), *y),
                [v[0] / na, 1.0 - v[1] / nb],
            )
        })
        .collect();
    let w = [0.6, 0.4];
    let best = |j: usize| {
        r.iter()
            .map(|x| x.1[j] * w[j])
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let worst = |j: usize| {
        r.iter()
            .map(|x| x.1[j] * w[j])
            .fold(f64::INFINITY, f64::min)
    };
    let got = scores(&v);
    for (k, x) in &r {
        let dp = ((0..2).map(|j| (x[j] * w[j] - best(j)).powi(2)).sum::<f64>()).sqrt();
        let dm = ((0..2)
            .map(|j| (x[j] * w[j] - worst(j)).powi(2))
            .sum::<f64>())
        .sqrt();
        let want = 100.0 * dm / (dp + dm);
        assert!(close(got[k], want), "{k:?}: {} vs {want}", got[k]);
    }
}

#[test]
fn a_report_on_a_panel_has_the_year_and_rule_sections() {
    let p = rule_panel([0, 1, 0]);
    let dir = common::tmpdir("panel-report");
    common::write(&dir, "panel.csv", p.csv());
    let rule = "\n[[rules]]\nid = \"demotion_watch\"\nname = \"降级备选\"\nbottom = 1\nwithin = \"region\"\ntimes = 2\nof_last = 3\n";
    common::write(&dir, "panel.toml", system("goalposts = \"pooled\"", rule));
    let out = common::zoneval_in(
        &dir,
        &[
            "evaluate",
            "--system",
            "panel.toml",
            "--data",
            "panel.csv",
            "--report",
            "rep",
            "--lang",
            "en",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let md = std::fs::read_to_string(Path::new(&dir).join("rep/report.md")).unwrap();
    assert!(
        md.contains("scores are on one scale and compare across years"),
        "{md}"
    );
    assert!(md.contains("降级备选"));
    assert!(
        md.contains("2022, 2024"),
        "the years that put Z1 on the list"
    );
    assert!(
        Path::new(&dir)
            .join("rep/charts/years-scores.svg")
            .is_file()
    );
}

#[test]
fn points_system_worked_example() {
    // docs/system-format.md, "Points and adjustments": the system is read from the page
    // itself, the two zones' scores are the hand computation in its table.
    let doc = std::fs::read_to_string(common::root().join("docs/system-format.md")).unwrap();
    let start = doc.find("id = \"points-example\"").unwrap();
    let block_start = doc[..start].rfind("```toml\n").unwrap() + "```toml\n".len();
    let block_end = block_start + doc[block_start..].find("```").unwrap();
    let sys = &doc[block_start..block_end];
    let dir = common::tmpdir("panel-points");
    common::write(&dir, "points.toml", sys);
    common::write(
        &dir,
        "zones.csv",
        "zone_id,zone_name,gdp_per_km2,fdi,energy,national_awards,incidents\nA,甲,40,90000,0.25,4,0\nB,乙,55,40000,0.40,1,1\n",
    );
    let out = common::zoneval_in(
        &dir,
        &[
            "evaluate",
            "--system",
            "points.toml",
            "--data",
            "zones.csv",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let z = v["zones"].as_array().unwrap();
    assert_eq!(z[0]["id"], "A");
    assert!(close(z[0]["score"].as_f64().unwrap(), 980.0));
    assert_eq!(
        z[0]["adjustments"]["national_award"].as_f64().unwrap(),
        60.0
    );
    assert!(
        close(z[0]["value"].as_f64().unwrap(), 0.92),
        "value stays the method's output"
    );
    assert_eq!(z[1]["id"], "B");
    assert!(close(z[1]["score"].as_f64().unwrap(), 732.5));
    assert_eq!(
        z[1]["adjustments"]["safety_incident"].as_f64().unwrap(),
        -50.0
    );
    assert_eq!(z[1]["rank"], 2);
}

#[test]
fn pooled_entropy_weights_come_from_every_zone_year() {
    // Entropy weights (Shannon; DESIGN.md "Entropy weights": p_ij = x_ij / Σ_i x_ij on the raw
    // column, E_j = −(1/ln m) Σ p ln p, w_j ∝ 1 − E_j) over all 18 zone-years, computed here.
    let p = Panel::random(31);
    let sys = system("goalposts = \"pooled\"", "")
        .replace("weighting = \"expert\"", "weighting = \"entropy\"");
    let (v, _) = run("panel-entropy", &p, &sys, &[]);
    let m = p.rows.len() as f64;
    let d: Vec<f64> = (0..2)
        .map(|j| {
            let total: f64 = p.rows.values().map(|r| r[j]).sum();
            let e: f64 = p
                .rows
                .values()
                .map(|r| r[j] / total)
                .map(|q| if q > 0.0 { q * q.ln() } else { 0.0 })
                .sum::<f64>()
                * (-1.0 / m.ln());
            1.0 - e
        })
        .collect();
    let want = [d[0] / (d[0] + d[1]), d[1] / (d[0] + d[1])];
    let got: Vec<f64> = v["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["weight"].as_f64().unwrap())
        .collect();
    for j in 0..2 {
        assert!(close(got[j], want[j]), "{got:?} vs {want:?}");
    }
    // Per year the weights would come from the year's six zones only, and differ.
    let (py, _) = run(
        "panel-entropy-py",
        &p,
        &system("", "").replace("weighting = \"expert\"", "weighting = \"entropy\""),
        &[],
    );
    assert!(!close(
        py["weights"][0]["weight"].as_f64().unwrap(),
        want[0]
    ));
}
