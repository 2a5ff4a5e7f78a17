//! `zoneval audit` and `zoneval compare` as a black box: the statistics against values
//! computed by hand in the comments, the contract's JSON shapes, the properties of a
//! comparison (one method is that method's ranking; permuting methods permutes the matrices),
//! `--systems` scenarios, bad input, hostile names and the report sections.

mod common;

use serde_json::Value;

use common::{command, keys, stderr, stdout, tmpdir, write, zoneval};

/// Two criteria: 对外开放 with x1, x2 (an exact copy of x1) and x3; 绿色发展 with x4 alone.
const SYSTEM: &str = r#"
[system]
id = "audit-test"
name = "审查测试"

[method]
normalization = "min-max"
weighting = "expert"
aggregation = "weighted-sum"

[[criteria]]
id = "open"
name = "对外开放"
name_en = "Opening up"
weight = 0.6
  [[criteria.indicators]]
  id = "x1"
  name = "指标一"
  direction = "benefit"
  weight = 0.4
  [[criteria.indicators]]
  id = "x2"
  name = "指标二"
  direction = "benefit"
  weight = 0.3
  [[criteria.indicators]]
  id = "x3"
  name = "指标三"
  direction = "benefit"
  weight = 0.3

[[criteria]]
id = "green"
name = "绿色发展"
name_en = "Green"
weight = 0.4
  [[criteria.indicators]]
  id = "x4"
  name = "指标四"
  direction = "benefit"
  weight = 1
"#;

/// x2 = x1; min-max gives x1 = (0, .25, .5, .75, 1) and x3 = (0, .5, .25, 1, .75).
const DATA: &str = "zone_id,zone_name,x1,x2,x3,x4,area
z1,甲,0,0,0,1,2
z2,乙,1,1,2,2,4
z3,丙,2,2,1,3,6
z4,丁,3,3,4,4,8
z5,戊,4,4,3,10,10
";

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON on stdout")
}

fn audit_json(dir: &std::path::Path, extra: &[&str]) -> Value {
    let sys = write(dir, "system.toml", SYSTEM);
    let data = write(dir, "data.csv", DATA);
    let mut args = vec![
        "audit", "--system", &sys, "--data", &data, "--format", "json",
    ];
    args.extend_from_slice(extra);
    json(&zoneval(&args))
}

fn close(v: &Value, x: f64) -> bool {
    v.as_f64().is_some_and(|y| (y - x).abs() < 1e-9)
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

/// The contract's keys, and every statistic against a hand computation.
///
/// Cronbach's α of 对外开放 on the normalised (n1, n2 = n1, n3): each has sample variance
/// 0.625/4 = 0.15625 (n3 is a permutation of n1); the totals 2·n1 + n3 = (0, 1, 1.25, 2.5,
/// 2.75) have mean 1.5 and squared deviations 5.125 → variance 1.28125. α = 3/2 · (1 −
/// 0.46875/1.28125) = 3/2 · 26/41 = 39/41.
///
/// x4 = (1, 2, 3, 4, 10): mean 4, m2 = 10, m3 = 36, m4 = 278.8 (divisor n) → skewness
/// 36/10^1.5 = 1.138420…, excess kurtosis 2.788 − 3 = −0.212.
///
/// Size r with area = (2, 4, …, 10): x1 is linear in it → 1; x3 deviations (−2, 0, −1, 2, 1)
/// against (−4, −2, 0, 2, 4): Sxy = 16, Sxx = 10, Syy = 40 → 0.8; x4 deviations
/// (−3, −2, −1, 0, 6): Sxy = 40, Sxx = 50 → 40/√2000 = 0.894427…
#[test]
fn audit_statistics_match_hand_computations() {
    let dir = tmpdir("audit-hand");
    let v = audit_json(&dir, &["--size-column", "area"]);
    // `provenance`: which system, data and version produced the audit.
    assert_eq!(
        keys(&v),
        ["analysis", "indicators", "criteria", "flags", "provenance"]
    );
    assert_eq!(v["analysis"], "audit");
    let x1 = find(&v["indicators"], "x1");
    assert_eq!(
        keys(x1),
        [
            "id",
            "name",
            "criterion",
            "coverage",
            "skewness",
            "kurtosis",
            "size_correlation",
            "nominal_weight",
            "effective_weight"
        ]
    );
    assert_eq!(x1["criterion"], "open");
    assert!(close(&x1["coverage"], 1.0));
    assert!(close(&x1["size_correlation"], 1.0));
    assert!(close(&x1["nominal_weight"], 0.6 * 0.4));
    let x3 = find(&v["indicators"], "x3");
    assert!(close(&x3["size_correlation"], 0.8));
    let x4 = find(&v["indicators"], "x4");
    assert!(close(&x4["skewness"], 36.0 / 10f64.powf(1.5)));
    assert!(close(&x4["kurtosis"], 2.788 - 3.0));
    assert!(close(&x4["size_correlation"], 40.0 / 2000f64.sqrt()));
    // Effective weights are shares: they sum to 1, and the exact copies share one value.
    let eff: f64 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["effective_weight"].as_f64().unwrap())
        .sum();
    assert!((eff - 1.0).abs() < 1e-12);
    assert_eq!(
        find(&v["indicators"], "x1")["effective_weight"],
        find(&v["indicators"], "x2")["effective_weight"]
    );

    let open = find(&v["criteria"], "open");
    assert!(close(&open["cronbach_alpha"], 39.0 / 41.0), "{open}");
    assert_eq!(open["indicators"], serde_json::json!(["x1", "x2", "x3"]));
    // The exact copies are a redundant pair with r = 1.
    let pairs = open["redundant_pairs"].as_array().unwrap();
    assert!(
        pairs
            .iter()
            .any(|p| p["a"] == "x1" && p["b"] == "x2" && close(&p["r"], 1.0)),
        "{pairs:?}"
    );
    let pc1 = open["pc1_share"].as_f64().unwrap();
    assert!(pc1 > 1.0 / 3.0 && pc1 <= 1.0);

    let flags = v["flags"].as_array().unwrap();
    let has = |kind: &str, id: &str| flags.iter().any(|f| f["kind"] == kind && f["id"] == id);
    assert!(has("redundant", "x1,x2"), "{flags:?}");
    assert!(has("size-correlated", "x1"));
    assert!(has("size-correlated", "x3"));
    assert!(has("size-correlated", "x4"));
    // Skewness 1.14 is within the JRC bounds.
    assert!(!has("skewed", "x4"));
    let redundant = flags.iter().find(|f| f["kind"] == "redundant").unwrap();
    let msg = redundant["message"].as_str().unwrap();
    assert!(
        msg.contains("r = 1.00") && msg.contains("Opening up") && msg.contains("redundant"),
        "{msg}"
    );
}

/// A criterion with one indicator: α is undefined, said in JSON, the table and the flags —
/// never NaN.
#[test]
fn alpha_of_a_single_indicator_is_said_undefined() {
    let dir = tmpdir("audit-alpha-one");
    let v = audit_json(&dir, &[]);
    let green = find(&v["criteria"], "green");
    assert_eq!(green["cronbach_alpha"], Value::Null);
    assert_eq!(green["alpha_undefined"], "one-indicator");
    let flags = v["flags"].as_array().unwrap();
    let f = flags
        .iter()
        .find(|f| f["kind"] == "alpha-undefined")
        .expect("an alpha-undefined flag");
    assert_eq!(f["id"], "green");
    assert!(f["message"].as_str().unwrap().contains("one indicator"));
    // Without --size-column there is no size correlation.
    assert_eq!(
        find(&v["indicators"], "x1")["size_correlation"],
        Value::Null
    );

    let sys = dir.join("system.toml").display().to_string();
    let data = dir.join("data.csv").display().to_string();
    for format in ["table", "markdown", "json"] {
        for lang in ["en", "zh"] {
            let o = zoneval(&[
                "audit", "--system", &sys, "--data", &data, "--format", format, "--lang", lang,
            ]);
            let out = stdout(&o);
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
            if format == "table" && lang == "en" {
                assert!(out.contains("undefined (one indicator)"), "{out}");
            }
            if format == "table" && lang == "zh" {
                assert!(out.contains("无定义（仅一个指标）"), "{out}");
            }
        }
    }
}

/// Coverage counts the zones with a value before imputation; below 65 % is flagged.
#[test]
fn low_coverage_is_flagged() {
    let dir = tmpdir("audit-coverage");
    let sys = write(
        &dir,
        "system.toml",
        r#"
[system]
id = "cov"
name = "coverage"
[data]
missing = "mean"
[[indicators]]
id = "a"
direction = "benefit"
weight = 0.5
[[indicators]]
id = "b"
direction = "benefit"
weight = 0.5
"#,
    );
    let data = write(
        &dir,
        "data.csv",
        "zone_id,zone_name,a,b\nz1,甲,1,\nz2,乙,2,5\nz3,丙,3,\nz4,丁,4,2\nz5,戊,5,4\n",
    );
    let v = json(&zoneval(&[
        "audit", "--system", &sys, "--data", &data, "--format", "json",
    ]));
    assert!(close(&find(&v["indicators"], "a")["coverage"], 1.0));
    assert!(close(&find(&v["indicators"], "b")["coverage"], 0.6));
    let flags = v["flags"].as_array().unwrap();
    assert!(
        flags
            .iter()
            .any(|f| f["kind"] == "low-coverage" && f["id"] == "b"),
        "{flags:?}"
    );
    assert!(
        !flags
            .iter()
            .any(|f| f["kind"] == "low-coverage" && f["id"] == "a")
    );
    // A flat system is audited as one criterion: the whole system.
    assert_eq!(v["criteria"].as_array().unwrap().len(), 1);
    assert_eq!(v["criteria"][0]["id"], "cov");
}

fn compare_json(args: &[&str]) -> Value {
    let mut a = vec!["compare", "--format", "json"];
    a.extend_from_slice(args);
    json(&zoneval(&a))
}

/// Comparing one method gives that method's ranking as the compromise, and [[1]] matrices.
#[test]
fn one_method_is_its_own_compromise() {
    let v = compare_json(&["--methods", "topsis"]);
    assert_eq!(
        keys(&v),
        [
            "analysis",
            "methods",
            "zones",
            "spearman",
            "kendall",
            "provenance"
        ]
    );
    assert_eq!(v["methods"], serde_json::json!(["topsis"]));
    assert_eq!(v["spearman"], serde_json::json!([[1.0]]));
    assert_eq!(v["kendall"], serde_json::json!([[1.0]]));
    let ev = json(&zoneval(&[
        "evaluate",
        "--aggregation",
        "topsis",
        "--format",
        "json",
    ]));
    let ranks: std::collections::HashMap<String, u64> = ev["zones"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|z| Some((z["id"].as_str()?.to_string(), z["rank"].as_u64()?)))
        .collect();
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(zones.len(), ranks.len());
    let n = zones.len() as u64;
    for z in zones {
        assert_eq!(
            keys(z),
            [
                "id",
                "name",
                "ranks",
                "grades",
                "borda",
                "copeland",
                "rank",
                "rank_range",
                "delta_rank",
                "grade_changed"
            ]
        );
        let r = ranks[z["id"].as_str().unwrap()];
        assert_eq!(z["ranks"]["topsis"], r);
        assert_eq!(z["rank"], r);
        assert_eq!(z["borda"], n - r);
        assert_eq!(z["rank_range"], serde_json::json!([r, r]));
    }
}

/// Permuting the methods permutes the rows and columns of both matrices; ranks, Borda,
/// Copeland and the compromise do not change.
#[test]
fn permuting_methods_permutes_the_matrices() {
    let a = compare_json(&[
        "--methods",
        "weighted-sum,topsis,vikor,vector/entropy/topsis",
    ]);
    let b = compare_json(&[
        "--methods",
        "vikor,vector/entropy/topsis,weighted-sum,topsis",
    ]);
    let labels = |v: &Value| -> Vec<String> {
        v["methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let (la, lb) = (labels(&a), labels(&b));
    let perm: Vec<usize> = lb
        .iter()
        .map(|l| la.iter().position(|x| x == l).unwrap())
        .collect();
    for m in ["spearman", "kendall"] {
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(b[m][i][j], a[m][perm[i]][perm[j]], "{m} {i} {j}");
            }
        }
        // Symmetric, unit diagonal.
        for i in 0..4 {
            assert!(close(&a[m][i][i], 1.0));
            for j in 0..4 {
                assert_eq!(a[m][i][j], a[m][j][i]);
            }
        }
    }
    assert_eq!(
        a["zones"].as_array().unwrap().len(),
        b["zones"].as_array().unwrap().len()
    );
    for (za, zb) in a["zones"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["zones"].as_array().unwrap())
    {
        assert_eq!(za["id"], zb["id"]);
        for k in ["borda", "copeland", "rank", "rank_range"] {
            assert_eq!(za[k], zb[k]);
        }
        for l in &la {
            assert_eq!(za["ranks"][l], zb["ranks"][l]);
        }
    }
    // Borda is Σ (n − rank), and the zones come in compromise-rank order.
    let zones = a["zones"].as_array().unwrap();
    let n = zones.len() as u64;
    let mut last = 0;
    for z in zones {
        let borda: u64 = la.iter().map(|l| n - z["ranks"][l].as_u64().unwrap()).sum();
        assert_eq!(z["borda"], borda);
        let r = z["rank"].as_u64().unwrap();
        assert!(r >= last);
        last = r;
    }
}

/// Two weightings of one system on the same data: labels are the file stems, each zone
/// carries its grade under each, Δrank and whether the grade changes.
#[test]
fn systems_compare_scenarios() {
    let dir = tmpdir("compare-systems");
    let flat = std::fs::read_to_string(common::root().join("tests/data/flat.toml")).unwrap();
    let official = write(&dir, "official.toml", &flat);
    // The proposal puts nearly all the weight on actual FDI.
    let proposal = flat
        .replacen("weight = 0.4", "weight = 0.9", 1)
        .replace("weight = 0.3", "weight = 0.05");
    let proposal = write(&dir, "proposal.toml", &proposal);
    let data = common::root()
        .join("tests/data/flat.csv")
        .display()
        .to_string();
    let systems = format!("{official},{proposal}");
    let v = compare_json(&["--systems", &systems, "--data", &data]);
    assert_eq!(v["methods"], serde_json::json!(["official", "proposal"]));
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 4);
    let ev = |sys: &str| {
        json(&zoneval(&[
            "evaluate", "--system", sys, "--data", &data, "--format", "json",
        ]))
    };
    let (eo, ep) = (ev(&official), ev(&proposal));
    for z in zones {
        assert_eq!(
            keys(z),
            [
                "id",
                "name",
                "ranks",
                "grades",
                "borda",
                "copeland",
                "rank",
                "rank_range",
                "delta_rank",
                "grade_changed"
            ]
        );
        let id = z["id"].as_str().unwrap();
        let o = find(&eo["zones"], id);
        let p = find(&ep["zones"], id);
        assert_eq!(z["ranks"]["official"], o["rank"]);
        assert_eq!(z["ranks"]["proposal"], p["rank"]);
        assert_eq!(z["grades"]["official"], o["grade"]);
        assert_eq!(z["grades"]["proposal"], p["grade"]);
        assert_eq!(
            z["delta_rank"].as_i64().unwrap(),
            p["rank"].as_i64().unwrap() - o["rank"].as_i64().unwrap()
        );
        assert_eq!(z["grade_changed"], Value::Bool(o["grade"] != p["grade"]));
    }
    // By hand: official ranks (z1..z4) = (3, 2, 1, 4), proposal (1, 2, 3, 4). Spearman:
    // Σd² = 8 → 1 − 6·8/(4·15) = 0.2. Kendall: z1–z2, z1–z3, z2–z3 discordant, the three pairs
    // with z4 concordant → τ = 0. Borda (n = 4): z1, z2, z3 = 4, z4 = 0; Copeland: the first
    // three split every duel 1:1 and all beat z4 → 1, 1, 1, −3; so three zones share rank 1.
    assert!(close(&v["spearman"][0][1], 0.2));
    assert!(close(&v["kendall"][0][1], 0.0));
    for id in ["z1", "z2", "z3"] {
        let z = find(&v["zones"], id);
        assert_eq!(
            (
                z["borda"].as_u64(),
                z["copeland"].as_i64(),
                z["rank"].as_u64()
            ),
            (Some(4), Some(1), Some(1))
        );
    }
    let z4 = find(&v["zones"], "z4");
    assert_eq!(
        (
            z4["borda"].as_u64(),
            z4["copeland"].as_i64(),
            z4["rank"].as_u64()
        ),
        (Some(0), Some(-3), Some(4))
    );
    assert_eq!(find(&v["zones"], "z1")["delta_rank"], -2);
    assert_eq!(find(&v["zones"], "z1")["grade_changed"], true);
    // The table lists the zones whose grade changes; CSV has one row per zone.
    let o = zoneval(&["compare", "--systems", &systems, "--data", &data]);
    assert!(
        stdout(&o).contains("Zones whose grade changes"),
        "{}",
        stdout(&o)
    );
    let o = zoneval(&[
        "compare",
        "--systems",
        &systems,
        "--data",
        &data,
        "--format",
        "csv",
    ]);
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "rank,id,name,rank_official,rank_proposal,grade_official,grade_proposal,borda,copeland,best,worst,delta_rank"
    );
    assert_eq!(lines.count(), 4);
}

/// Usage errors come before any input is read, exit 2, and print nothing on stdout.
#[test]
fn bad_method_lists_are_usage_errors() {
    for (args, expect) in [
        (
            vec!["compare", "--methods", "topsis,electre-iii"],
            "unknown aggregation `electre-iii` (valid: weighted-sum",
        ),
        (
            vec!["compare", "--methods", "min-max/entropi/topsis"],
            "unknown weighting `entropi` (valid:",
        ),
        (
            vec!["compare", "--methods", "min-max/topsis"],
            "neither an aggregation name nor NORM/WEIGHT/AGG",
        ),
        (
            vec!["compare", "--methods", "topsis,topsis"],
            "compared twice",
        ),
        (vec!["compare"], "needs --methods LIST or --systems LIST"),
        (
            vec!["compare", "--systems", "a.toml", "--system", "b.toml"],
            "do not give --system too",
        ),
    ] {
        let o = zoneval(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

/// Hostile names: Markdown cells are escaped, the terminal never receives control characters.
#[test]
fn hostile_names_are_escaped() {
    let dir = tmpdir("audit-hostile");
    let sys = write(
        &dir,
        "system.toml",
        SYSTEM.replace("name = \"指标一\"", "name = \"a|b <script>\\u001b[2J\""),
    );
    let data = write(
        &dir,
        "data.csv",
        DATA.replace("z1,甲", "z1,\"甲|<b>\u{1b}[2J\"")
            .replace("z2,乙", "z2,=HYPERLINK(1)"),
    );
    let o = zoneval(&[
        "audit", "--system", &sys, "--data", &data, "--format", "markdown",
    ]);
    let md = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!md.contains("a|b") && !md.contains("<script>"), "{md}");
    let o = zoneval(&["audit", "--system", &sys, "--data", &data]);
    assert!(!stdout(&o).contains('\u{1b}'));
    let o = zoneval(&[
        "compare",
        "--system",
        &sys,
        "--data",
        &data,
        "--methods",
        "topsis,vikor",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains('\u{1b}'));
    // A CSV cell a spreadsheet would run as a formula is quoted as text.
    let o = zoneval(&[
        "compare",
        "--system",
        &sys,
        "--data",
        &data,
        "--methods",
        "topsis",
        "--format",
        "csv",
    ]);
    assert!(stdout(&o).contains(",'=HYPERLINK(1),"), "{}", stdout(&o));
}

/// `--report DIR` adds the audit section (heatmap per criterion, weights) or the comparison
/// section (bump chart, rank correlations) to the evaluation's report.
#[test]
fn reports_have_the_analysis_sections() {
    let dir = tmpdir("audit-report");
    let sys = write(&dir, "system.toml", SYSTEM);
    let data = write(&dir, "data.csv", DATA);
    let rep = dir.join("audit-report");
    let o = command()
        .args([
            "audit", "--system", &sys, "--data", &data, "--lang", "zh", "--report",
        ])
        .arg(&rep)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(html.contains("指标体系审查"));
    assert!(rep.join("charts/audit-correlation-1.svg").exists());
    assert!(
        !rep.join("charts/audit-correlation-2.svg").exists(),
        "one indicator, no heatmap"
    );
    assert!(rep.join("charts/effective-weights.svg").exists());
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();
    assert!(md.contains("无定义（仅一个指标）"));
    // The model keeps the audit, so `zoneval report` re-renders it.
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(rep.join("results.json")).unwrap()).unwrap();
    assert!(
        results["report"]["audit"].is_object(),
        "{}",
        results["report"]
    );

    let rep = dir.join("compare-report");
    let o = command()
        .args([
            "compare",
            "--system",
            &sys,
            "--data",
            &data,
            "--methods",
            "topsis,vikor",
            "--report",
        ])
        .arg(&rep)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(html.contains("Method comparison"));
    for chart in [
        "rank-bump",
        "rank-correlation-spearman",
        "rank-correlation-kendall",
    ] {
        assert!(rep.join(format!("charts/{chart}.svg")).exists(), "{chart}");
    }
}
