//! The `zoneval` command line (work in progress).
fn main() {}
