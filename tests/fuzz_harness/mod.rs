//! The fuzz targets' bodies, shared by `fuzz/fuzz_targets/*.rs` (cargo-fuzz) and
//! `tests/fuzz_regressions.rs` (which replays every saved crash and the seed corpora), so a
//! crash found by fuzzing stays a regression test in the ordinary suite.
//!
//! Each function takes the fuzzer's bytes and panics only when zoneval breaks a promise:
//! a panic inside zoneval, or an invariant asserted here.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use zoneval_core::data::formula::Formula;
use zoneval_core::data::{self, Encoding, ReadSpec};
use zoneval_core::error::Lang;
use zoneval_core::evaluation::{self, Methods};
use zoneval_core::system;
use zoneval_report::Format;

/// The indicator-system loader, `zoneval_core::system::load_str`: any text loads or gives
/// problems. A system that loads is then evaluated on a small dataset made up from the input
/// (every column the system reads, six zones), rendered in every format and put through every
/// sensitivity analysis (few samples), so the pipeline behind the loader (methods, weights,
/// gates, grades, reports, sensitivity) meets whatever the loader accepts. Invariants: every
/// value and score of a ranked zone is finite; the weights are finite, ≥ 0 and sum to 1.
pub fn system_loader(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let sys = match system::load_str("fuzz.toml", text, None) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            assert!(!e.problems.is_empty());
            return;
        }
    };
    let Ok(methods) = Methods::resolve(&sys, &Default::default()) else {
        return;
    };
    let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    let csv = dataset(&spec, bytes);
    let Ok(table) = data::read_bytes("fuzz.csv", csv.as_bytes(), &spec) else {
        return;
    };
    let Ok(prep) = evaluation::prepare(sys, Arc::new(table), None, &[]) else {
        return;
    };
    let Ok(ev) = evaluation::evaluate(&Arc::new(prep), &Arc::new(methods), &[]) else {
        return;
    };
    for r in ev.results() {
        if let (Some(v), Some(s)) = (r.value, r.score) {
            assert!(v.is_finite() && s.is_finite(), "value {v}, score {s}");
        }
    }
    let w = &ev.weights().weights;
    assert!(w.iter().all(|x| x.is_finite() && *x >= 0.0), "{w:?}");
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{w:?}");
    for f in [Format::Table, Format::Csv, Format::Json, Format::Markdown] {
        for lang in [Lang::En, Lang::Zh] {
            let _ = zoneval_report::render(&ev, f, lang);
        }
    }
    sensitivity(&ev);
}

/// Every sensitivity analysis with few samples; errors are fine, panics are not.
fn sensitivity(ev: &zoneval_core::evaluation::Evaluation) {
    use zoneval_core::sensitivity::model::{FactorKind, Model, factors};
    use zoneval_core::sensitivity::{Silent, monte_carlo, oat, rank_reversal, sobol, stability};
    let Ok(model) = Model::new(ev) else {
        return;
    };
    let progress = Silent;
    let mc = monte_carlo::McOptions {
        samples: 40,
        ..Default::default()
    }
    .check()
    .expect("valid options");
    let _ = monte_carlo::run(&model, &[], &mc, &progress);
    let drop = monte_carlo::McOptions {
        samples: 20,
        draw: monte_carlo::WeightDraw::Dirichlet(5.0),
        drop_indicator: true,
        ..Default::default()
    }
    .check()
    .expect("valid options");
    let _ = monte_carlo::run(&model, &[], &drop, &progress);
    for kind in [FactorKind::Criteria, FactorKind::Indicators] {
        let fs = factors(ev.system(), kind);
        let so = sobol::SobolOptions {
            samples: 8,
            bootstrap: 4,
            ..Default::default()
        }
        .check()
        .expect("valid options");
        let _ = sobol::run(&model, &[], &fs, &so, &progress);
        let o = oat::OatOptions {
            steps: 4,
            ..Default::default()
        }
        .check()
        .expect("valid options");
        let _ = oat::run(&model, &fs, &o);
        let st = stability::StabilityOptions {
            steps: 8,
            ..Default::default()
        }
        .check()
        .expect("valid options");
        let _ = stability::run(&model, &fs, &st);
    }
    let _ = rank_reversal::run(ev);
}

/// Six zones with every column `spec` asks for; numbers and group labels are drawn from a
/// hash of the input, so different systems see different data.
fn dataset(spec: &ReadSpec, seed: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in seed {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut next = move || {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        h
    };
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut header = vec![quote(&spec.id_column), quote(&spec.name_column)];
    header.extend(spec.numeric.iter().map(|c| quote(c)));
    header.extend(spec.text.iter().map(|c| quote(c)));
    let mut out = header.join(",");
    out.push('\n');
    for z in 0..6 {
        let mut row = vec![format!("z{z}"), format!("Zone {z}")];
        for _ in &spec.numeric {
            let r = next();
            // Mostly positive, sometimes zero or negative, a few large.
            let v = match r % 16 {
                0 => 0.0,
                1 => -(((r >> 8) % 1000) as f64) / 10.0,
                2 => ((r >> 8) % 1_000_000_000) as f64,
                _ => ((r >> 8) % 100_000) as f64 / 100.0,
            };
            row.push(format!("{v}"));
        }
        for _ in &spec.text {
            row.push(["a", "b", "c"][(next() % 3) as usize].to_string());
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The zone-data reader, `zoneval_core::data::read_bytes`, with a fixed `ReadSpec`. The first byte
/// chooses the format (even: CSV, odd: xlsx) and, for CSV, the encoding (auto, UTF-8, GBK);
/// the rest is the file. Invariants of a table: one id, name and line per row; every column
/// has one value per row; numbers are finite or NaN (= missing); ids are non-empty, and
/// unique when there is no year column.
pub fn data_reader(bytes: &[u8]) {
    let Some((&sel, file)) = bytes.split_first() else {
        return;
    };
    let name = if sel & 1 == 0 {
        "fuzz.csv"
    } else {
        "fuzz.xlsx"
    };
    let encoding = match (sel >> 1) % 3 {
        0 => Encoding::Auto,
        1 => Encoding::Utf8,
        _ => Encoding::Gbk,
    };
    let spec = ReadSpec {
        id_column: "zone_id".into(),
        name_column: "zone_name".into(),
        year_column: "year".into(),
        numeric: vec!["a".into(), "b".into()],
        text: vec!["g".into()],
        na: vec!["—".into()],
        encoding,
        sheet: None,
        asked_by: HashMap::new(),
        columns: Vec::new(),
        labels: Vec::new(),
    };
    match data::read_bytes(name, file, &spec) {
        Ok(t) => {
            let n = t.len();
            assert!(n > 0);
            assert_eq!(t.names.len(), n);
            assert_eq!(t.lines.len(), n);
            if let Some(y) = &t.years {
                assert_eq!(y.len(), n);
            }
            for c in &t.numeric {
                assert_eq!(c.values.len(), n);
                assert!(c.values.iter().all(|v| v.is_finite() || v.is_nan()));
            }
            for c in &t.text {
                assert_eq!(c.values.len(), n);
            }
            assert!(t.ids.iter().all(|id| !id.is_empty()));
            if t.years.is_none() {
                let distinct: HashSet<&String> = t.ids.iter().collect();
                assert_eq!(distinct.len(), n);
            }
        }
        Err(e) => assert!(!e.problems.is_empty()),
    }
}

/// The formula language, `zoneval_core::data::formula::Formula`: parsing any text gives a formula
/// or an error pointing inside the text; evaluating gives a finite number, a missing value or
/// an error — never inf or NaN, never a panic or a stack overflow. The input is the formula
/// text, then a NUL byte, then 8 bytes per variable (an f64; non-finite = missing).
pub fn formula(bytes: &[u8]) {
    let (text, vals) = match bytes.iter().position(|&b| b == 0) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    match Formula::parse(text) {
        Ok(f) => {
            let values: Vec<Option<f64>> = (0..f.vars.len())
                .map(|i| {
                    let chunk = vals.get(i * 8..i * 8 + 8)?;
                    let x = f64::from_le_bytes(chunk.try_into().ok()?);
                    x.is_finite().then_some(x)
                })
                .collect();
            if let Ok(Some(v)) = f.eval(&|i| values[i]) {
                assert!(v.is_finite(), "{text} = {v}");
            }
            // The text is kept verbatim and parses to the same formula again.
            assert_eq!(Formula::parse(&f.to_string()).as_ref(), Ok(&f));
        }
        Err(e) => assert!(e.offset <= text.chars().count()),
    }
}

/// The report reader behind `zoneval report`: any bytes as a saved results.json are refused
/// with an error or rendered. A `report` section that deserialises and passes the model's
/// check is rendered in memory in both languages (no PNG), so every renderer meets whatever
/// the check lets through. Invariant: the check never passes a model that then panics.
pub fn report_reader(bytes: &[u8]) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return;
    };
    let Some(section) = v.get("report").cloned() else {
        return;
    };
    let Ok(model) = serde_json::from_value::<zoneval_report::model::ReportModel>(section) else {
        return;
    };
    if model.check().is_err() || model.version != zoneval_report::model::VERSION {
        return;
    }
    for lang in [Lang::En, Lang::Zh] {
        let opts = zoneval_report::dir::Options {
            lang,
            png: zoneval_report::dir::Png::Off,
        };
        let _ = zoneval_report::dir::render(&model, &v, opts);
    }
}
