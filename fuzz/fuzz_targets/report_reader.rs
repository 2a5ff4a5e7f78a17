//! Fuzzes the report reader of `zoneval report` (a saved results.json: JSON, the model, its
//! consistency check, every renderer). The body lives in `tests/fuzz_harness/mod.rs`, shared
//! with `tests/fuzz_regressions.rs`.

#![no_main]

#[path = "../../tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::report_reader(bytes));
