//! Replays, through the fuzz targets' own bodies (`tests/fuzz_harness/mod.rs`), every input
//! that once crashed a fuzz target (`tests/fuzz_regressions/TARGET/*`, named after the bug)
//! and the seed corpora (`fuzz/seeds/TARGET/*`). A crash found by `fuzz/run.sh` is copied
//! here with a descriptive name and fixed in the engine.

mod fuzz_harness;

use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn replay(target: &str, run: fn(&[u8])) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<PathBuf> = [
        root.join("tests/fuzz_regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ]
    .iter()
    .flat_map(|d| inputs(d))
    .collect();
    assert!(!files.is_empty(), "no inputs for {target}");
    let failed: Vec<String> = files
        .iter()
        .filter(|f| {
            let bytes = std::fs::read(f).unwrap();
            std::panic::catch_unwind(|| run(&bytes)).is_err()
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target} fails on:\n{}",
        failed.join("\n")
    );
}

#[test]
fn system_loader_inputs() {
    replay("system_loader", fuzz_harness::system_loader);
}

#[test]
fn data_reader_inputs() {
    replay("data_reader", fuzz_harness::data_reader);
}

#[test]
fn formula_inputs() {
    replay("formula", fuzz_harness::formula);
}

#[test]
fn report_reader_inputs() {
    replay("report_reader", fuzz_harness::report_reader);
}
