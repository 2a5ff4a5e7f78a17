//! Empty on purpose: it only makes the `[build-dependencies]` of Cargo.toml part of this
//! crate's feature resolution (see the comment there), so `maturin develop` reuses the
//! dependencies `cargo test --workspace` built.

fn main() {}
