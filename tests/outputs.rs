//! Research-grade outputs, so results can be checked and re-used by scripts: every JSON
//! output validates against its schema in docs/schemas/, CSV and JSON are the same bytes
//! whatever the locale or `--lang`, CSV numbers are the JSON's at full precision, every
//! result records its provenance, and `zoneval report --sensitivity` refuses results of
//! other inputs.

mod common;

use std::path::Path;

use common::{command, stderr, stdout, tmpdir, zoneval};
use serde_json::Value;

/// A small JSON Schema checker driven by the files in docs/schemas/: `$ref` (a sibling file),
/// `type` (one or a list), `enum`, `pattern`, `anyOf`, `properties`, `required`,
/// `additionalProperties` (false or a schema) and `items` — the keywords those files use.
/// Returns the first violation, with its JSON path.
fn check(schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return check(&load(r), v, path);
    }
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        let errs: Vec<String> = alts
            .iter()
            .filter_map(|a| check(a, v, path).err())
            .collect();
        if errs.len() == alts.len() {
            return Err(format!(
                "{path}: matches no alternative ({})",
                errs.join("; ")
            ));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type in schema"),
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_u64() || v.is_i64(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            other => panic!("unknown type {other} in schema"),
        });
        if !ok {
            return Err(format!("{path}: expected {types:?}, found {v}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{path}: {v} not one of {e:?}"));
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(Value::as_str), v.as_str())
        && !regex::Regex::new(p).unwrap().is_match(s)
    {
        return Err(format!("{path}: {s:?} does not match {p}"));
    }
    if let Some(o) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !o.contains_key(r) {
                return Err(format!("{path}: required key `{r}` missing"));
            }
        }
        for (k, x) in o {
            let sub = format!("{path}.{k}");
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => check(s, x, &sub)?,
                (None, Some(Value::Bool(false))) => {
                    return Err(format!("{path}: key `{k}` not in the schema"));
                }
                (None, Some(s @ Value::Object(_))) => check(s, x, &sub)?,
                _ => {}
            }
        }
    }
    if let (Some(items), Some(a)) = (schema.get("items"), v.as_array()) {
        for (k, x) in a.iter().enumerate() {
            check(items, x, &format!("{path}[{k}]"))?;
        }
    }
    Ok(())
}

fn load(name: &str) -> Value {
    let p = common::root().join("docs/schemas").join(name);
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn json_of(args: &[&str]) -> Value {
    let o = zoneval(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn valid(schema: &str, v: &Value) {
    if let Err(e) = check(&load(schema), v, "$") {
        panic!("{schema}: {e}");
    }
}

/// The checker itself: a missing key, a wrong type and an extra key are caught.
#[test]
fn the_schema_checker_rejects_what_it_should() {
    let v = json_of(&["sensitivity", "rank-reversal", "-f", "json"]);
    let schema = load("sensitivity-rank-reversal.schema.json");
    assert!(check(&schema, &v, "$").is_ok());
    let mut missing = v.clone();
    missing.as_object_mut().unwrap().remove("checks");
    assert!(
        check(&schema, &missing, "$")
            .unwrap_err()
            .contains("checks")
    );
    let mut wrong = v.clone();
    wrong["checks"] = Value::String("3".into());
    assert!(check(&schema, &wrong, "$").is_err());
    let mut extra = v.clone();
    extra["surprise"] = Value::Bool(true);
    assert!(check(&schema, &extra, "$").is_err());
    let mut hash = v;
    hash["provenance"]["system_hash"] = Value::String("md5:1".into());
    assert!(check(&schema, &hash, "$").is_err());
}

#[test]
fn every_json_output_validates_against_its_schema() {
    valid(
        "evaluate.schema.json",
        &json_of(&["evaluate", "-f", "json"]),
    );
    // A hierarchical AHP system and a flat one with gates.
    valid(
        "evaluate.schema.json",
        &json_of(&["evaluate", "-s", "mofcom-etdz-2021", "-f", "json"]),
    );
    valid(
        "evaluate.schema.json",
        &json_of(&["evaluate", "-s", "project-access", "-f", "json"]),
    );
    valid(
        "sensitivity-monte-carlo.schema.json",
        &json_of(&[
            "sensitivity",
            "monte-carlo",
            "--samples",
            "200",
            "-f",
            "json",
        ]),
    );
    valid(
        "sensitivity-sobol.schema.json",
        &json_of(&["sensitivity", "sobol", "--samples", "64", "-f", "json"]),
    );
    for a in ["oat", "stability", "rank-reversal"] {
        valid(
            &format!("sensitivity-{a}.schema.json"),
            &json_of(&["sensitivity", a, "-f", "json"]),
        );
    }
    valid("audit.schema.json", &json_of(&["audit", "-f", "json"]));
    valid(
        "compare.schema.json",
        &json_of(&["compare", "--methods", "topsis,vikor", "-f", "json"]),
    );
    valid(
        "compare.schema.json",
        &json_of(&[
            "compare",
            "--systems",
            "shandong-provincial,land-intensive-use",
            "-f",
            "json",
        ]),
    );
    // The report's results.json opens with the evaluate document.
    let d = tmpdir("schema-report");
    let rep = d.join("rep");
    let o = zoneval(&["evaluate", "--report", rep.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value =
        serde_json::from_slice(&std::fs::read(rep.join("results.json")).unwrap()).unwrap();
    valid("evaluate.schema.json", &r);
}

/// Keys are present even where they do not apply: `central_weights` is null for a zone that
/// never ranks first.
#[test]
fn keys_are_always_present() {
    let v = json_of(&[
        "sensitivity",
        "monte-carlo",
        "--samples",
        "200",
        "-f",
        "json",
    ]);
    let zones = v["zones"].as_array().unwrap();
    assert!(zones.iter().all(|z| z.get("central_weights").is_some()));
    assert!(zones.iter().any(|z| z["central_weights"].is_null()));
    assert!(zones.iter().any(|z| z["central_weights"].is_array()));
    let e = json_of(&["evaluate", "-f", "json"]);
    for k in ["treated", "dropped", "weight_details", "provenance"] {
        assert!(e.get(k).is_some(), "{k}");
    }
    for z in e["zones"].as_array().unwrap() {
        for k in ["groups", "veto_reasons", "watch", "details"] {
            assert!(z.get(k).is_some(), "{k}");
        }
    }
}

/// The same run under a Chinese and a C locale, and with `--lang zh` and `--lang en`, gives
/// byte-identical CSV and JSON.
#[test]
fn machine_formats_ignore_the_locale_and_the_language() {
    let runs: [&[&str]; 5] = [
        &["evaluate", "-f", "csv"],
        &["evaluate", "-f", "json"],
        &[
            "sensitivity",
            "monte-carlo",
            "--samples",
            "100",
            "-f",
            "csv",
        ],
        &[
            "sensitivity",
            "monte-carlo",
            "--samples",
            "100",
            "-f",
            "json",
        ],
        &["sensitivity", "sobol", "--samples", "32", "-f", "csv"],
    ];
    for args in runs {
        let run = |lang: &str, flag: Option<&str>| {
            let mut c = command();
            c.env_remove("ZONEVAL_LANG")
                .env_remove("LC_ALL")
                .env("LANG", lang)
                .args(args);
            if let Some(f) = flag {
                c.args(["--lang", f]);
            }
            let o = c.output().unwrap();
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            o.stdout
        };
        let zh = run("zh_CN.UTF-8", None);
        assert_eq!(zh, run("C", None), "{args:?}: locale changed the output");
        assert_eq!(
            zh,
            run("C", Some("zh")),
            "{args:?}: --lang changed the output"
        );
        assert_eq!(zh, run("zh_CN.UTF-8", Some("en")), "{args:?}");
    }
    // The header is English snake_case.
    let mut c = command();
    c.env("ZONEVAL_LANG", "zh").args(["evaluate", "-f", "csv"]);
    let csv = String::from_utf8(c.output().unwrap().stdout).unwrap();
    assert!(
        csv.starts_with("rank,id,name,value,score,grade,vetoed,"),
        "{csv}"
    );
}

/// CSV numbers are the JSON's at full precision, under the JSON's field names.
#[test]
fn csv_holds_the_json_numbers_under_the_json_names() {
    let args = ["sensitivity", "monte-carlo", "--samples", "300"];
    let json = json_of(&[&args[..], &["-f", "json"]].concat());
    let o = zoneval(&[&args[..], &["-f", "csv"]].concat());
    let text = stdout(&o);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let zones = json["zones"].as_array().unwrap();
    for h in &header {
        if h != "provenance" {
            assert!(
                zones[0].get(h).is_some(),
                "CSV column {h} is not a JSON field"
            );
        }
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), zones.len());
    for (row, z) in rows.iter().zip(zones) {
        for (k, h) in header.iter().enumerate() {
            if let Some(x) = z[h].as_f64() {
                assert_eq!(row[k].parse::<f64>().unwrap(), x, "{h} of {}", z["id"]);
            }
        }
    }
    // The provenance column: the JSON's provenance on the first row, empty below.
    let p = header.iter().position(|h| h == "provenance").unwrap();
    let first: Value = serde_json::from_str(&rows[0][p]).unwrap();
    assert_eq!(first, json["provenance"]);
    assert!(rows[1..].iter().all(|r| r[p].is_empty()));
}

/// Provenance names the files by hash, the year and every parameter; the hashes are those of
/// the files' bytes (FNV-1a 64, computed here independently).
#[test]
fn provenance_records_files_year_parameters_and_seed() {
    let fnv = |b: &[u8]| {
        let mut h: u64 = 0xcbf29ce484222325;
        for &x in b {
            h = (h ^ u64::from(x)).wrapping_mul(0x100000001b3);
        }
        format!("fnv1a64:{h:016x}")
    };
    let v = json_of(&[
        "sensitivity",
        "monte-carlo",
        "--samples",
        "50",
        "--seed",
        "7",
        "--dirichlet",
        "40",
        "-f",
        "json",
    ]);
    let p = &v["provenance"];
    assert_eq!(p["zoneval_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["system_id"], "shandong-provincial");
    let sys = std::fs::read(common::root().join("indicators/shandong-provincial.toml")).unwrap();
    assert_eq!(p["system_hash"], fnv(&sys));
    let data = std::fs::read(common::root().join("seeds/shandong-zones.csv")).unwrap();
    assert_eq!(p["data_hash"], fnv(&data));
    assert_eq!(p["year"], 2024);
    assert_eq!(p["seed"], 7);
    assert_eq!(p["parameters"]["samples"], 50);
    assert_eq!(p["parameters"]["dirichlet"], 40.0);
    assert_eq!(p["parameters"]["perturb"], Value::Null);
    assert_eq!(p["parameters"]["top"], 10);
}

fn write_report(dir: &Path, extra: &[&str]) {
    let mut args = vec!["evaluate", "--report", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = zoneval(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `report --sensitivity` refuses a result of another year, system or data file (exit 1,
/// naming what differs), accepts its own, and warns about a file without provenance.
#[test]
fn report_refuses_sensitivity_results_of_other_inputs() {
    let d = tmpdir("prov-report");
    let rep = d.join("rep");
    write_report(&rep, &["--year", "2024"]);
    let results = rep.join("results.json");
    let sens = |name: &str, extra: &[&str]| {
        let f = d.join(name);
        let mut args = vec![
            "sensitivity",
            "rank-reversal",
            "-f",
            "json",
            "-o",
            f.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = zoneval(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        f
    };
    let report = |f: &Path, lang: &str| {
        zoneval(&[
            "report",
            results.to_str().unwrap(),
            "--sensitivity",
            f.to_str().unwrap(),
            "--lang",
            lang,
        ])
    };
    let same = sens("same.json", &[]);
    let o = report(&same, "en");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("provenance"), "{}", stderr(&o));

    let other_year = sens("year.json", &["--year", "2023"]);
    let o = report(&other_year, "en");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another system, data or year"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("year 2023, the report's 2024"),
        "{}",
        stderr(&o)
    );
    let o = report(&other_year, "zh");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("年份为 2023，而报告的为 2024"),
        "{}",
        stderr(&o)
    );

    let other_system = sens("system.json", &["-s", "mofcom-etdz-2021"]);
    let o = report(&other_system, "en");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("system indicators/mofcom"),
        "{}",
        stderr(&o)
    );

    // The same system file with one byte changed is another system.
    let text = std::fs::read_to_string(common::root().join("indicators/shandong-provincial.toml"))
        .unwrap();
    let edited = common::write(&d, "edited.toml", format!("{text}\n"));
    let o = zoneval(&[
        "sensitivity",
        "rank-reversal",
        "-s",
        &edited,
        "--data",
        "shandong-zones",
        "-f",
        "json",
        "-o",
        d.join("edited.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = report(&d.join("edited.json"), "en");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // A file written before provenance was recorded: accepted with a warning.
    let mut old: Value = serde_json::from_slice(&std::fs::read(&same).unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("provenance");
    let old_file = common::write(&d, "old.json", serde_json::to_vec(&old).unwrap());
    let o = report(Path::new(&old_file), "en");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("records no provenance"),
        "{}",
        stderr(&o)
    );
}
