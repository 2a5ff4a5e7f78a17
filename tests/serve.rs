//! The workbench server (`zoneval serve`, DESIGN.md "Workbench server — contract"): every
//! route on a server started on 127.0.0.1 at a free port, the error answers, the token rule,
//! `/api/evaluate` against the CLI's `evaluate --format json` on a system file with the same
//! weights, the scenario TOML round trip, concurrent clients, and Ctrl-C.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::OnceLock;

use common::http::{self, get, post};
use serde_json::{Value, json};
use zoneval_core::error::Lang;
use zoneval_server::{Config, Running, Workbench};

fn start(token: Option<&str>) -> Running {
    let wb = Workbench::load(None, None, Lang::En).expect("load the bundled system");
    zoneval_server::start(
        &Config {
            host: "127.0.0.1".into(),
            port: 0,
            token: token.map(str::to_string),
        },
        wb,
    )
    .expect("start the server")
}

/// One server for the tests that need no token (they only read).
fn shared() -> SocketAddr {
    static SERVER: OnceLock<SocketAddr> = OnceLock::new();
    *SERVER.get_or_init(|| {
        let s = start(None);
        let addr = s.addr;
        // Kept running for the whole test binary.
        std::mem::forget(s);
        addr
    })
}

/// The ids of the root's children and of the first criterion's children.
fn tree_ids(addr: SocketAddr) -> (Vec<String>, Vec<String>) {
    let sys = get(addr, "/api/system").json();
    let ids = |v: &Value| -> Vec<String> {
        v["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let top = ids(&sys["tree"]);
    let first = ids(&sys["tree"]["children"][0]);
    (top, first)
}

/// Weights that sum to exactly 1 in binary, so neither side warns about rescaling.
fn exact_weights(n: usize) -> Vec<f64> {
    let mut w = vec![1.0 / (2 * n).next_power_of_two() as f64; n];
    let rest: f64 = 1.0 - w.iter().sum::<f64>();
    w[0] += rest;
    assert_eq!(w.iter().sum::<f64>(), 1.0);
    w
}

/// Sets `weight = w` on the node `id` of a system file's text: replaces its `weight` line, or
/// adds one after its `id` line.
fn set_weight(text: &str, id: &str, w: f64) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("id = \"{id}\""))
        .unwrap_or_else(|| panic!("no node {id}"));
    let mut i = at + 1;
    while i < lines.len() && !lines[i].trim_start().starts_with('[') {
        if lines[i].trim_start().starts_with("weight =") {
            lines[i] = format!("weight = {w:?}");
            return lines.join("\n") + "\n";
        }
        i += 1;
    }
    lines.insert(at + 1, format!("weight = {w:?}"));
    lines.join("\n") + "\n"
}

/// The bundled system without the root's AHP judgements (an explicit weight overrides them).
fn without_root_ahp(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for l in text.lines() {
        if l.starts_with("ahp = [") {
            skipping = true;
        }
        if !skipping {
            out.push(l);
        }
        if skipping && l.trim() == "]" {
            skipping = false;
        }
    }
    out.join("\n") + "\n"
}

fn cli_json(system: &str, extra: &[&str]) -> String {
    let mut args = vec!["evaluate", "-s", system, "-f", "json", "--lang", "en"];
    args.extend_from_slice(extra);
    let o = common::zoneval(&args);
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o)
}

#[test]
fn page_and_system_are_served() {
    let addr = shared();
    let page = get(addr, "/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = page.text();
    assert!(html.contains("app.js") && !html.contains("http://") && !html.contains("https://"));
    for asset in ["/app.js", "/app.css"] {
        let r = get(addr, asset);
        assert_eq!(r.status, 200, "{asset}");
        let t = r.text();
        assert!(
            !t.contains("https://") && !t.contains("http://"),
            "{asset} fetches nothing"
        );
    }
    // The page never parses data as HTML.
    assert!(!get(addr, "/app.js").text().contains("innerHTML"));

    let sys = get(addr, "/api/system").json();
    assert_eq!(sys["id"], "shandong-provincial");
    assert_eq!(sys["method"]["aggregation"], "weighted-sum");
    let top = sys["tree"]["children"].as_array().unwrap();
    assert_eq!(top.len(), 6);
    let sum: f64 = top.iter().map(|c| c["weight"].as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-12, "{sum}");
    assert!(sys["grades"].as_array().unwrap().len() >= 2);
    assert!(sys["years"].as_array().unwrap().len() >= 2);
}

#[test]
fn evaluate_without_changes_is_the_cli_document() {
    let addr = shared();
    let r = post(addr, "/api/evaluate", "{}");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), cli_json("shandong-provincial", &[]));
    // An empty body is the same scenario.
    assert_eq!(post(addr, "/api/evaluate", "").text(), r.text());
}

#[test]
fn evaluate_with_weights_equals_the_cli_on_a_file_with_those_weights() {
    let addr = shared();
    let (top, first) = tree_ids(addr);
    let wt = exact_weights(top.len());
    let wf = exact_weights(first.len());
    let mut weights = serde_json::Map::new();
    let mut text = without_root_ahp(
        &std::fs::read_to_string(common::root().join("indicators/shandong-provincial.toml"))
            .unwrap(),
    );
    for (id, w) in top.iter().zip(&wt).chain(first.iter().zip(&wf)) {
        weights.insert(id.clone(), json!(w));
        text = set_weight(&text, id, *w);
    }
    for method in [
        json!({}),
        json!({ "aggregation": "topsis" }),
        json!({ "normalization": "vector", "aggregation": "vikor" }),
    ] {
        let body = json!({ "weights": weights, "method": method });
        let r = post(addr, "/api/evaluate", &body.to_string());
        assert_eq!(r.status, 200, "{}", r.text());
        let tmp = common::tmpdir("serve-same");
        let file = common::write(&tmp, "weights.toml", &text);
        let mut extra = vec!["-d", "shandong-zones"];
        for k in ["normalization", "aggregation"] {
            if let Some(v) = method[k].as_str() {
                extra.push(if k == "normalization" {
                    "--normalization"
                } else {
                    "--aggregation"
                });
                extra.push(v);
            }
        }
        let cli: Value = serde_json::from_str(&cli_json(&file, &extra)).unwrap();
        assert_same_result(&r.json(), &cli, &format!("method {method}"));
        // The weights changed the ranking's weights.
        let doc = r.json();
        let official = post(addr, "/api/evaluate", "{}").json();
        assert_ne!(doc["weights"], official["weights"]);
    }
}

#[test]
fn scenario_toml_validates_and_evaluates_to_the_same_result() {
    let addr = shared();
    let (top, first) = tree_ids(addr);
    // Not summing to 1, one sibling only, and a method change: the engine's rules apply.
    let body = json!({
        "weights": { top[1].clone(): 0.6, first[0].clone(): 0.45 },
        "method": { "aggregation": { "kind": "vikor", "v": 0.4 } },
        "year": 2023,
    })
    .to_string();
    let r = post(addr, "/api/scenario", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/toml")
    );
    let toml_text = r.text();
    assert!(toml_text.starts_with("# "), "{toml_text}");
    assert!(toml_text.contains("--year 2023"));
    assert!(
        !toml_text.contains("ahp = "),
        "root judgements gave way to the weights"
    );
    let tmp = common::tmpdir("serve-scenario");
    let file = common::write(&tmp, "scenario.toml", &toml_text);
    let v = common::zoneval(&["validate", &file]);
    assert!(v.status.success(), "{}", common::stderr(&v));
    let served = post(addr, "/api/evaluate", &body);
    assert_eq!(served.status, 200);
    let cli = cli_json(&file, &["--year", "2023"]);
    assert_same_result(
        &served.json(),
        &serde_json::from_str(&cli).unwrap(),
        "scenario",
    );
    assert_eq!(served.json()["method"]["aggregation"], "vikor");
    assert_eq!(served.json()["year"], 2023);

    // The unchanged scenario is the system itself, with a [data] path that works anywhere.
    let r = post(addr, "/api/scenario", "{}");
    let file = common::write(&tmp, "official.toml", r.text());
    assert_same_result(
        &post(addr, "/api/evaluate", "{}").json(),
        &serde_json::from_str::<Value>(&cli_json(&file, &[])).unwrap(),
        "unchanged scenario",
    );
}

/// The same document, except where a warning names a place in the system file: the server
/// evaluated the system text under the loaded system's name, the CLI the saved file (other
/// name, header-shifted lines). Every other key — zones, values, ranks, weights — must be
/// identical, and the warnings identical once those places are taken off.
fn assert_same_result(served: &Value, cli: &Value, what: &str) {
    let strip = |v: &Value| -> Value {
        let mut v = v.clone();
        let w: Vec<Value> = v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                let w = w.as_str().unwrap();
                match w.split_once(".toml:") {
                    // `file.toml:line:col: message` → `message`
                    Some((_, rest)) => json!(rest.split_once(": ").map_or(rest, |(_, m)| m)),
                    None => json!(w),
                }
            })
            .collect();
        v["warnings"] = Value::Array(w);
        // The provenance names other files (the saved scenario vs the served system) and
        // other parameters (the scenario's weights): the result, not its record, must agree.
        v["provenance"] = Value::Null;
        v
    };
    assert_eq!(
        served.as_object().unwrap().keys().collect::<Vec<_>>(),
        cli.as_object().unwrap().keys().collect::<Vec<_>>(),
        "{what}"
    );
    assert_eq!(strip(served), strip(cli), "{what}");
}

#[test]
fn bad_requests_get_400_413_404_with_a_message() {
    let addr = shared();
    let cases: &[(&str, &str, &str)] = &[
        ("/api/evaluate", "{\"weights\": ", "malformed JSON"),
        ("/api/evaluate", "[1, 2]", "malformed JSON"),
        (
            "/api/evaluate",
            "{\"weights\": {\"no_such_node\": 0.5}}",
            "no_such_node",
        ),
        ("/api/evaluate", "{\"wieghts\": {}}", "wieghts"),
        ("/api/evaluate", "{\"weights\": {\"fdi\": -1}}", "fdi"),
        ("/api/evaluate", "{\"weights\": {\"fdi\": \"x\"}}", "fdi"),
        (
            "/api/evaluate",
            "{\"method\": {\"aggregation\": \"topsys\"}}",
            "topsis",
        ),
        (
            "/api/evaluate",
            "{\"method\": {\"weighting\": \"entropy\"}, \"weights\": {\"fdi\": 0.5}}",
            "entropy",
        ),
        ("/api/scenario", "{\"weights\": {\"nope\": 1}}", "nope"),
        ("/api/monte-carlo", "{\"samples\": 100000000}", "samples"),
        ("/api/stability", "{\"top\": -1}", "top"),
    ];
    for (path, body, needle) in cases {
        let r = post(addr, path, body);
        assert_eq!(r.status, 400, "{path} {body}: {}", r.text());
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    let big = vec![b' '; (1 << 20) + 1];
    let r = http::request(addr, "POST", "/api/evaluate", &[], &big);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("1 MiB"));
    // Exactly 1 MiB is allowed (whitespace is an empty scenario).
    let ok = http::request(addr, "POST", "/api/evaluate", &[], &big[1..]);
    assert_eq!(ok.status, 200);
    let r = get(addr, "/api/nothing");
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("/api/nothing"));
    // A page elsewhere reaching the loopback server through DNS rebinding is refused.
    let r = http::request(addr, "GET", "/api/system", &[("Host", "evil.example")], b"");
    assert_eq!(r.status, 403);
}

#[test]
fn analysis_and_export_routes_answer() {
    let addr = shared();
    let mc = post(addr, "/api/monte-carlo", "{\"samples\": 200, \"seed\": 3}");
    assert_eq!(mc.status, 200, "{}", mc.text());
    let mc = mc.json();
    assert_eq!(mc["samples"], 200);
    let first = &mc["zones"][0];
    assert!(first["p05"].as_f64().unwrap() <= first["p95"].as_f64().unwrap());
    // Same seed, same answer.
    assert_eq!(
        post(addr, "/api/monte-carlo", "{\"samples\": 200, \"seed\": 3}").json(),
        mc
    );

    let doc = post(addr, "/api/evaluate", "{}").json();
    let zone = doc["zones"][0]["id"].as_str().unwrap();
    let charts = post(addr, "/api/charts", &json!({ "zone": zone }).to_string()).json();
    let kinds: Vec<&str> = charts["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"ranking") && kinds.contains(&"radar"),
        "{kinds:?}"
    );
    assert!(
        charts["figures"][0]["svg"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );

    let report = post(addr, "/api/report", "{\"weights\": {\"fdi\": 0.5}}");
    assert_eq!(report.status, 200);
    assert!(report.text().contains("<html"));
    let csv = post(addr, "/api/ranking.csv", "{}");
    assert_eq!(csv.status, 200);
    let o = common::zoneval(&["evaluate", "-f", "csv", "--lang", "en"]);
    assert_eq!(csv.text(), common::stdout(&o));
    let xlsx = post(addr, "/api/ranking.xlsx", "{}");
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "an xlsx is a zip");
}

/// The `(id, name, value, score, rank, grade, vetoed, criteria)` of each zone of an evaluate
/// document, and the same from a compact `/api/ranking` answer.
fn zone_keys_of_document(doc: &Value) -> Vec<Value> {
    doc["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            json!([
                z["id"],
                z["name"],
                z["value"],
                z["score"],
                z["rank"],
                z["grade"],
                z["vetoed"],
                z["criteria"]
            ])
        })
        .collect()
}

fn zone_keys_of_ranking(r: &Value) -> Vec<Value> {
    let col = |k: &str| r[k].as_array().unwrap().clone();
    let crit: Vec<String> = r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let (id, name, value, score, rank, grade, vetoed, cs) = (
        col("id"),
        col("name"),
        col("value"),
        col("score"),
        col("rank"),
        col("grade"),
        col("vetoed"),
        col("criteria_scores"),
    );
    (0..id.len())
        .map(|i| {
            let c: serde_json::Map<String, Value> = cs[i]
                .as_array()
                .unwrap()
                .iter()
                .zip(&crit)
                .map(|(v, k)| (k.clone(), v.clone()))
                .collect();
            json!([
                id[i], name[i], value[i], score[i], rank[i], grade[i], vetoed[i], c
            ])
        })
        .collect()
}

/// `/api/ranking` is the evaluate document's zone keys, for the official scenario, changed
/// weights, another method and another year.
#[test]
fn ranking_is_the_documents_zones_in_compact_form() {
    let addr = shared();
    let (top, _) = tree_ids(addr);
    for body in [
        json!({}),
        json!({ "weights": { top[0].clone(): 0.6 } }),
        json!({ "method": { "aggregation": "topsis" } }),
        json!({ "year": 2023 }),
    ] {
        let doc = post(addr, "/api/evaluate", &body.to_string());
        let r = post(addr, "/api/ranking", &body.to_string());
        assert_eq!((doc.status, r.status), (200, 200), "{body}: {}", r.text());
        let r = r.json();
        assert_eq!(r["year"], doc.json()["year"], "{body}");
        let want = zone_keys_of_document(&doc.json());
        // The default system's scope: 136 provincial zones + 15 national ETDZs of the 174.
        assert_eq!(want.len(), 151, "{body}");
        assert_eq!(zone_keys_of_ranking(&r), want, "{body}");
        // The point of it: a small fraction of the document.
        assert!(r.to_string().len() * 4 < doc.text().len(), "{body}");
    }
    let bad = post(addr, "/api/ranking", "{\"weights\": {\"nope\": 1}}");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("nope"));
}

/// Every slider's stability interval (`/api/stability` `nodes`) checked by moving that weight
/// through the whole server (a scenario with the node at v and its siblings rescaled, each
/// evaluated from its own system text): the top-5 zones keep their order just inside each
/// bound, and have changed just outside a bound that is not 0 or 1.
#[test]
fn stability_interval_of_every_slider_holds_through_the_api() {
    let addr = shared();
    let k = 5;
    let s = post(addr, "/api/stability", &json!({ "top": k }).to_string());
    assert_eq!(s.status, 200, "{}", s.text());
    let s = s.json();
    assert_eq!(s["top"], k);
    assert_eq!(s["exact"], true, "weighted sum: exact crossings");
    // Each node's siblings and official local weight, from the tree.
    let sys = get(addr, "/api/system").json();
    /// A node: id, official local weight, and its siblings' ids and weights.
    type Slider = (String, f64, Vec<(String, f64)>);
    let mut sibs: Vec<Slider> = Vec::new();
    fn walk(n: &Value, out: &mut Vec<Slider>) {
        let kids = n["children"].as_array().cloned().unwrap_or_default();
        let pairs: Vec<(String, f64)> = kids
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["weight"].as_f64().unwrap(),
                )
            })
            .collect();
        for c in &kids {
            if kids.len() > 1 {
                let id = c["id"].as_str().unwrap().to_string();
                let others = pairs.iter().filter(|p| p.0 != id).cloned().collect();
                out.push((id, c["weight"].as_f64().unwrap(), others));
            }
            walk(c, out);
        }
    }
    walk(&sys["tree"], &mut sibs);
    let nodes = s["nodes"].as_array().unwrap();
    let mut got: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    let mut want: Vec<&str> = sibs.iter().map(|n| n.0.as_str()).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "one interval per slider that can move");
    assert!(want.len() > 6, "indicators too, not only the criteria");
    let top_ids = |body: Value| -> Vec<Value> {
        let r = post(addr, "/api/ranking", &body.to_string());
        assert_eq!(r.status, 200, "{body}: {}", r.text());
        r.json()["id"].as_array().unwrap()[..k].to_vec()
    };
    let base = top_ids(json!({}));
    let d = 1e-4;
    let mut moved = 0;
    for n in nodes {
        let id = n["id"].as_str().unwrap();
        let (_, v0, others) = sibs.iter().find(|x| x.0 == id).unwrap();
        let (low, high) = (n["low"].as_f64().unwrap(), n["high"].as_f64().unwrap());
        assert!(
            (n["base_weight"].as_f64().unwrap() - v0).abs() < 1e-9,
            "{n}"
        );
        assert!(low <= *v0 && *v0 <= high, "{n}");
        let at = |v: f64| -> Vec<Value> {
            let mut w = serde_json::Map::new();
            w.insert(id.into(), json!(v));
            for (o, wo) in others {
                w.insert(o.clone(), json!(wo * (1.0 - v) / (1.0 - v0)));
            }
            top_ids(json!({ "weights": w }))
        };
        if high - low > 3.0 * d {
            assert_eq!(at(low + d), base, "{id} just above low {low}");
            assert_eq!(at(high - d), base, "{id} just below high {high}");
        }
        if high < 1.0 - d {
            assert_ne!(at(high + d), base, "{id} above high {high}");
            moved += 1;
        }
        if low > d {
            assert_ne!(at(low - d), base, "{id} below low {low}");
            moved += 1;
        }
    }
    assert!(moved > 0, "some interval ends inside (0, 1)");
}

/// A Monte Carlo job reports its progress and ends with the answer of `/api/monte-carlo`,
/// which is the CLI's `sensitivity monte-carlo` with the same samples and seed, bit for bit.
#[test]
fn monte_carlo_job_reports_progress_and_is_the_clis_result() {
    let addr = shared();
    let body = "{\"samples\": 3000, \"seed\": 7, \"top\": 5}";
    let start = post(addr, "/api/monte-carlo/jobs", body);
    assert_eq!(start.status, 202, "{}", start.text());
    let start = start.json();
    assert_eq!(start["total"], 3000);
    let id = start["job"].as_u64().unwrap();
    let mut seen = vec![];
    let result = loop {
        let st = get(addr, &format!("/api/monte-carlo/jobs/{id}"));
        assert_eq!(st.status, 200);
        let st = st.json();
        let done = st["done"].as_u64().unwrap();
        assert!(done <= 3000);
        assert!(
            seen.last().is_none_or(|&l| l <= done),
            "progress never goes back"
        );
        seen.push(done);
        match st["state"].as_str().unwrap() {
            "running" => std::thread::sleep(std::time::Duration::from_millis(20)),
            "done" => break st["result"].clone(),
            other => panic!("{other}: {st}"),
        }
    };
    assert_eq!(seen.last(), Some(&3000));
    let sync = post(addr, "/api/monte-carlo", body).json();
    assert_eq!(result, sync);
    let o = common::zoneval(&[
        "sensitivity",
        "monte-carlo",
        "--samples",
        "3000",
        "--seed",
        "7",
        "--top",
        "5",
        "--perturb",
        "0.2",
        "-f",
        "json",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let mut cli: Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    cli.as_object_mut().unwrap().remove("provenance");
    assert_eq!(result, cli);
    // Unknown jobs, bad sample counts.
    let r = get(addr, "/api/monte-carlo/jobs/999999");
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("999999"));
    let r = post(addr, "/api/monte-carlo/jobs", "{\"samples\": 20001}");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("20000"));
}

#[test]
fn token_is_required_when_set() {
    let server = start(Some("s3cret/+token"));
    let addr = server.addr;
    for (headers, want) in [
        (vec![], 401),
        (vec![("Authorization", "Bearer wrong")], 401),
        (vec![("Authorization", "Bearer s3cret/+toke")], 401),
        (vec![("Authorization", "s3cret/+token")], 401),
        (vec![("Authorization", "Bearer s3cret/+token")], 200),
    ] {
        let r = http::request(addr, "GET", "/api/system", &headers, b"");
        assert_eq!(r.status, want, "{headers:?}");
        if want == 401 {
            assert!(r.json()["error"].as_str().unwrap().contains("token"));
        }
        let r = http::request(addr, "POST", "/api/evaluate", &headers, b"{}");
        assert_eq!(r.status, want, "{headers:?}");
    }
    // The page (and its assets) may carry the token in the query; the API may not.
    assert_eq!(get(addr, "/").status, 401);
    assert_eq!(get(addr, "/?token=s3cret%2F%2Btoken").status, 200);
    assert_eq!(get(addr, "/app.js?token=s3cret%2F%2Btoken").status, 200);
    assert_eq!(get(addr, "/?token=wrong").status, 401);
    assert_eq!(get(addr, "/api/system?token=s3cret%2F%2Btoken").status, 401);
    assert!(
        get(addr, "/?token=s3cret%2F%2Btoken")
            .text()
            .contains("app.js?token=s3cret%2F%2Btoken")
    );
    // With a token, any Host is fine (the token is the protection).
    let r = http::request(
        addr,
        "GET",
        "/api/system",
        &[
            ("Host", "zones.example"),
            ("Authorization", "Bearer s3cret/+token"),
        ],
        b"",
    );
    assert_eq!(r.status, 200);
    server.stop().unwrap();
}

#[test]
fn non_loopback_host_without_token_is_a_usage_error() {
    for host in ["0.0.0.0", "::", "192.0.2.1"] {
        let o = common::zoneval(&["serve", "--host", host, "--port", "0"]);
        assert_eq!(o.status.code(), Some(2), "{host}: {}", common::stderr(&o));
        assert!(
            common::stderr(&o).contains("--token"),
            "{}",
            common::stderr(&o)
        );
    }
    let o = common::zoneval(&["serve", "--host", "not-an-ip", "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = common::zoneval(&["serve", "--token", "", "--port", "0"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn concurrent_clients_get_their_own_answers() {
    let addr = shared();
    let (top, _) = tree_ids(addr);
    let bodies: Vec<String> = (0..8)
        .map(|i| {
            json!({ "weights": { top[i % top.len()].clone(): 0.05 + 0.1 * i as f64 } }).to_string()
        })
        .collect();
    let expected: Vec<String> = bodies
        .iter()
        .map(|b| post(addr, "/api/evaluate", b).text())
        .collect();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let bodies = bodies.clone();
            std::thread::spawn(move || {
                (0..4)
                    .map(|k| {
                        let i = (t + k) % bodies.len();
                        (i, post(addr, "/api/evaluate", &bodies[i]).text())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        for (i, text) in t.join().unwrap() {
            assert_eq!(text, expected[i], "request {i}");
        }
    }
}

#[test]
fn serve_prints_the_url_and_stops_on_ctrl_c() {
    let mut child = common::command()
        .args([
            "serve",
            "--port",
            "0",
            "--system",
            "tests/data/report.toml",
            "--data",
            "tests/data/report.csv",
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let sys = get(addr, "/api/system").json();
    assert_eq!(sys["id"], "report-fixture");
    // SAFETY: sending SIGINT to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert!(rest.contains("stopped"), "{rest}");
}
