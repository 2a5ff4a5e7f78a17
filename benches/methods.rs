//! Benchmarks of the LP and eigen methods on the sizes an evaluation office meets: DEA on 2,000
//! zones × 24 indicators (12 inputs, 12 outputs: 4,000 LPs with the slack phase), target under
//! 2 s on 2 cores, and PCA on 20,000 zones × 40 indicators, target under 50 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zoneval_core::method::Matrix;
use zoneval_core::method::aggregate::dea::{Model, Orientation, dea_all};
use zoneval_core::method::aggregate::pca::{Keep, pca};

/// A zones × cols matrix of positive pseudo-random values with some shared structure (a
/// common factor, so that PCA has leading components and DEA a real frontier).
fn data(zones: usize, cols: usize, seed: u64) -> Matrix {
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let size: Vec<f64> = (0..zones).map(|_| 1.0 + 9.0 * next()).collect();
    let columns: Vec<Vec<f64>> = (0..cols)
        .map(|_| size.iter().map(|z| z * (0.5 + next())).collect())
        .collect();
    Matrix::from_columns(&columns)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("methods");
    g.sample_size(10);
    let (x, y) = (data(2000, 12, 1), data(2000, 12, 2));
    g.bench_function("dea_ccr_input_2000x24", |b| {
        b.iter(|| black_box(dea_all(&x, &y, Model::Ccr, Orientation::Input).unwrap()))
    });
    let m = data(20_000, 40, 3);
    g.bench_function("pca_20000x40", |b| {
        b.iter(|| black_box(pca(&m, Keep::Kaiser).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
