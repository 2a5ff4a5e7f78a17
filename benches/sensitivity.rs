//! Sensitivity benchmarks (min-max, weighted sum): Monte Carlo with 20,000 samples on 2,000
//! zones × 24 indicators; Sobol with N = 1,024 base points over 6 criterion weights (24
//! indicators in 6 criteria), 100 bootstrap resamples, 20 zones — the SALib comparison's
//! problem size (its model has 20 outputs).
//!
//! Two more benchmarks time Monte Carlo's parts on the same problem — the values of 20,000
//! weight vectors alone, then values and ranks (no statistics) — so that the cost of each
//! stage can be read off as a difference.

mod common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use zoneval_core::data::{self, Encoding};
use zoneval_core::evaluation::{self, Methods};
use zoneval_core::sensitivity::model::{FactorKind, Model, factors};
use zoneval_core::sensitivity::monte_carlo::{self, McOptions};
use zoneval_core::sensitivity::rank_stats::Ranker;
use zoneval_core::sensitivity::{Silent, sobol};
use zoneval_core::system;

/// Six criteria of four indicators each.
fn hierarchical_toml() -> String {
    let mut s =
        String::from("[system]\nid = \"b\"\nname = \"b\"\n[method]\nnormalization = \"min-max\"\n");
    for c in 0..6 {
        s.push_str(&format!(
            "[[criteria]]\nid = \"c{c}\"\nweight = {}\n",
            1 + c % 3
        ));
        for k in 0..4 {
            let j = c * 4 + k;
            let dir = if j % 3 == 2 { "cost" } else { "benefit" };
            s.push_str(&format!("  [[criteria.indicators]]\n  id = \"x{j}\"\n  direction = \"{dir}\"\n  weight = {}\n", 1 + k));
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    let ev = common::evaluated(2_000, 24, "min-max", "expert", "weighted-sum");
    let model = Model::new(&ev).unwrap();
    let opts = McOptions {
        samples: 20_000,
        ..McOptions::default()
    }
    .check()
    .unwrap();
    c.bench_function("monte-carlo 2000x24 20000 samples", |b| {
        b.iter(|| black_box(monte_carlo::run(&model, &[], &opts, &Silent).unwrap()))
    });

    for (name, rank) in [("values", false), ("values + ranks", true)] {
        c.bench_function(
            &format!("monte-carlo parts 2000x24 20000 samples: {name}"),
            |b| b.iter(|| black_box(parts(&model, 20_000, rank))),
        );
    }

    let sys = Arc::new(system::load_str("b.toml", &hierarchical_toml(), None).unwrap());
    let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    let table =
        Arc::new(data::read_bytes("b.csv", common::data_csv(20, 24).as_bytes(), &spec).unwrap());
    let prep = Arc::new(evaluation::prepare(sys.clone(), table, None, &[]).unwrap());
    let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
    let ev = evaluation::evaluate(&prep, &methods, &[]).unwrap();
    let model = Model::new(&ev).unwrap();
    let fs = factors(&sys, FactorKind::Criteria);
    assert_eq!(fs.len(), 6);
    let opts = sobol::SobolOptions {
        samples: 1024,
        bootstrap: 100,
        top: Some(20),
        ..Default::default()
    }
    .check()
    .unwrap();
    c.bench_function("sobol N=1024 k=6 B=100 20 zones", |b| {
        b.iter(|| black_box(sobol::run(&model, &[], &fs, &opts, &Silent).unwrap()))
    });
}

/// Monte Carlo's first stages as it runs them (blocks of 256 samples in parallel, weights
/// ±20 % around the base): the values of every sample and, with `rank`, their ranks.
fn parts(model: &Model<'_>, samples: usize, rank: bool) -> u64 {
    const BLOCK: usize = 256;
    let (m, n) = (model.zones(), model.indicators());
    (0..samples.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let count = BLOCK.min(samples - b * BLOCK);
            let mut state = b as u64 + 1;
            let weights: Vec<f64> = (0..count * n)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                    model.base_weights[i % n] * (0.8 + 0.4 * u)
                })
                .collect();
            let mut values = vec![0.0; count * m];
            model.values(&weights, count, &mut values).unwrap();
            if !rank {
                return values[0].to_bits();
            }
            let mut ranker = Ranker::default();
            let mut ranks = vec![0u32; m];
            let mut best = 0;
            for s in 0..count {
                ranker.rank(
                    &values[s * m..(s + 1) * m],
                    model.higher_is_better,
                    &mut ranks,
                );
                best += u64::from(ranker.best());
            }
            best
        })
        .sum()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(15);
    targets = bench
}
criterion_main!(benches);
