//! The speed benchmark the engine is held to (against numpy): entropy weights + TOPSIS on
//! 2,000 × 24 and 20,000 × 40, in process, and the whole `zoneval evaluate` process on a
//! 2,000 × 24 CSV.
//!
//! `methods`: vector normalisation of every column, entropy weights on the raw matrix, TOPSIS
//! closeness — what a vectorised numpy implementation computes. `pipeline`: the same through
//! `evaluation::evaluate` (also ranks, grades, results), from prepared data.

mod common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use zoneval_core::evaluation::{self, Methods};
use zoneval_core::method::ColumnSpec;
use zoneval_core::method::aggregate::AggInput;
use zoneval_core::method::weight::WeightInput;

fn bench(c: &mut Criterion) {
    for (m, n) in [(2_000, 24), (20_000, 40)] {
        let (sys, prep) = common::prepared(m, n, "vector", "entropy", "topsis");
        let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
        let specs: Vec<ColumnSpec> = sys.indicators.iter().map(|i| i.spec()).collect();
        let raw = prep.raw.clone();
        let cost: Vec<bool> = specs.iter().map(|s| s.direction.is_cost()).collect();
        let prefs = vec![zoneval_core::method::aggregate::Preference::Usual; n];
        c.bench_function(&format!("entropy+topsis methods {m}x{n}"), |b| {
            b.iter(|| {
                let (normalized, _) = evaluation::normalize_columns(&methods, &specs, &raw, None);
                let input = WeightInput {
                    raw: &raw,
                    normalized: &normalized,
                    specs: &specs,
                    tree: &sys.tree,
                };
                let w = methods.weighting.weigh(&input, &mut Vec::new()).unwrap();
                let agg = AggInput {
                    normalized: &normalized,
                    values: &raw,
                    cost: &cost,
                    weights: &w.weights,
                    preferences: &prefs,
                    zone_weights: None,
                    tree: None,
                };
                black_box(
                    methods
                        .aggregation
                        .aggregate(&agg, &mut Vec::new())
                        .unwrap(),
                )
            })
        });
        c.bench_function(&format!("entropy+topsis pipeline {m}x{n}"), |b| {
            b.iter(|| black_box(evaluation::evaluate(&prep, &methods, &[]).unwrap()))
        });
    }

    // The whole process on a 2,000 × 24 CSV.
    let dir = std::env::temp_dir().join(format!("zoneval-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bench.toml"),
        common::system_toml(24, "vector", "entropy", "topsis"),
    )
    .unwrap();
    std::fs::write(dir.join("bench.csv"), common::data_csv(2_000, 24)).unwrap();
    let bin = env!("CARGO_BIN_EXE_zoneval");
    c.bench_function("zoneval evaluate process 2000x24 csv", |b| {
        b.iter(|| {
            let o = std::process::Command::new(bin)
                .args([
                    "evaluate",
                    "--system",
                    "bench.toml",
                    "--data",
                    "bench.csv",
                    "--format",
                    "csv",
                ])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(o.status.success());
            black_box(o.stdout.len())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
