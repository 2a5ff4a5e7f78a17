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
    let s = post(addr, "/api/stability", "{\"top\": 5}").json();
    assert_eq!(s["criteria"]["factors"].as_array().unwrap().len(), 6);
    let f = &s["criteria"]["factors"][0];
    assert!(f["low"].as_f64().unwrap() <= f["base_weight"].as_f64().unwrap());
    assert!(f["high"].as_f64().unwrap() >= f["base_weight"].as_f64().unwrap());
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
