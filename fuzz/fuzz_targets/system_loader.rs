//! Fuzzes the indicator-system loader (and the pipeline behind it). The body lives in
//! `tests/fuzz_harness/mod.rs`, shared with `tests/fuzz_regressions.rs`, which replays saved
//! crashes and the seed corpus in the ordinary test suite.

#![no_main]

#[path = "../../tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::system_loader(bytes));
