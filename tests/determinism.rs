//! Determinism, black-box: the same inputs give byte-identical output for `--threads 1`, `2`
//! and `8` (three separate runs, so also across runs) — for `evaluate` in every format on
//! every bundled system and with every aggregation and weighting, on a matrix large enough
//! for the parallel code paths (≥ 200,000 cells), for the report directory, and for every
//! sensitivity analysis in the formats `tests/sensitivity.rs` does not compare (table, CSV).

mod common;

use zoneval_core::method::{aggregate, names, weight};

use common::{command, tmpdir};

const THREADS: [&str; 3] = ["1", "2", "8"];

/// stdout of `zoneval --threads T ARGS…` (asserting success).
fn run(threads: &str, args: &[&str]) -> Vec<u8> {
    let o = command()
        .arg("--threads")
        .arg(threads)
        .args(args)
        .output()
        .expect("run zoneval");
    assert!(
        o.status.success(),
        "{args:?} --threads {threads}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.stdout.is_empty(), "{args:?}: no output");
    o.stdout
}

/// Runs `args` with 1, 2 and 8 threads; all outputs must be equal.
fn assert_identical(args: &[&str]) {
    let first = run(THREADS[0], args);
    for t in &THREADS[1..] {
        let other = run(t, args);
        assert!(
            first == other,
            "{args:?}: output with --threads {t} differs from --threads 1"
        );
    }
}

#[test]
fn evaluate_bundled_systems_in_every_format() {
    for system in zoneval_core::bundled::systems() {
        for format in ["table", "csv", "json", "markdown"] {
            assert_identical(&["evaluate", "--system", system, "--format", format]);
        }
    }
}

#[test]
fn evaluate_every_aggregation_and_weighting_on_the_default_system() {
    for a in names(aggregate::REGISTRY) {
        if a == "dea" {
            // DEA needs normalization `none` and positive values; the default system's data
            // has zeros (which it refuses), so it runs on the flat example.
            assert_identical(&[
                "evaluate",
                "--system",
                "tests/data/flat.toml",
                "--data",
                "tests/data/flat.csv",
                "--aggregation",
                a,
                "--normalization",
                "none",
                "--format",
                "json",
            ]);
            continue;
        }
        assert_identical(&["evaluate", "--aggregation", a, "--format", "json"]);
    }
    for w in names(weight::REGISTRY) {
        if w == "ahp" || w == "combined" {
            // The default system's AHP judgements are on the root only; both run there too.
            assert_identical(&["evaluate", "--weighting", w, "--format", "json"]);
        } else {
            assert_identical(&["evaluate", "--weighting", w, "--format", "csv"]);
        }
    }
}

/// The parallel paths: normalisation (every column, under every method), TOPSIS distances
/// and entropy weights. (Every method runs on the bundled data above.)
#[test]
fn evaluate_large_matrix_on_the_parallel_paths() {
    // 5000 zones × 40 indicators: 200,000 cells, where normalisation, TOPSIS and entropy
    // switch to their parallel paths.
    let dir = tmpdir("large");
    let (sys, csv) = common::synthetic::Flat::new(5000, 40)
        .weighting("expert")
        .write(&dir, "large");
    let (sys, csv) = (sys.to_str().unwrap(), csv.to_str().unwrap());
    let base = [
        "evaluate", "--system", sys, "--data", csv, "--format", "json",
    ];
    assert_identical(&base);
    assert_identical(&[&base[..], &["--aggregation", "topsis"]].concat());
    assert_identical(&[&base[..], &["--weighting", "entropy"]].concat());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file of the report directory (HTML, Markdown, CSV, JSON, xlsx, SVG and PNG charts,
/// rendered in parallel) is byte-identical for 1, 2 and 8 threads; on the flat example, to
/// stay quick (the bundled system's report takes seconds per run in a test build).
#[test]
fn report_directory_is_identical_for_any_thread_count() {
    let dir = tmpdir("report");
    let mut listings = Vec::new();
    for t in THREADS {
        let out = dir.join(format!("t{t}"));
        let out_arg = out.to_str().unwrap();
        run(
            t,
            &[
                "evaluate",
                "--system",
                "tests/data/flat.toml",
                "--data",
                "tests/data/flat.csv",
                "--format",
                "csv",
                "--report",
                out_arg,
            ],
        );
        let mut files = Vec::new();
        let mut stack = vec![out.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(&out).unwrap().display().to_string();
                    files.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        files.sort();
        listings.push(files);
    }
    let names = |l: &[(String, Vec<u8>)]| l.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert!(listings[0].len() > 5, "{:?}", names(&listings[0]));
    for (l, t) in listings[1..].iter().zip(&THREADS[1..]) {
        assert_eq!(names(&listings[0]), names(l));
        for (a, b) in listings[0].iter().zip(l) {
            assert!(a.1 == b.1, "{} differs between 1 and {t} threads", a.0);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sensitivity_tables_and_csv_are_identical_for_any_thread_count() {
    let flat = [
        "--system",
        "tests/data/flat.toml",
        "--data",
        "tests/data/flat.csv",
    ];
    let runs: [&[&str]; 6] = [
        &["monte-carlo", "--samples", "2000"],
        &[
            "monte-carlo",
            "--samples",
            "500",
            "--vary-normalization",
            "min-max,vector",
            "--vary-aggregation",
            "weighted-sum,topsis",
        ],
        &[
            "sobol",
            "--samples",
            "128",
            "--vary-aggregation",
            "weighted-sum,vikor",
        ],
        &["oat"],
        &["stability", "--aggregation", "vikor", "--steps", "40"],
        &["rank-reversal"],
    ];
    for extra in runs {
        for format in ["table", "csv"] {
            let args: Vec<&str> = [
                &["sensitivity"][..],
                extra,
                &flat[..],
                &["--format", format],
            ]
            .concat();
            assert_identical(&args);
        }
    }
}
