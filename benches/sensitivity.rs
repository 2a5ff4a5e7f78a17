//! Issue 4's benchmarks (min-max, weighted sum): Monte Carlo with 20,000 samples on 2,000
//! zones × 24 indicators; Sobol with N = 1,024 base points over 6 criterion weights (24
//! indicators in 6 criteria), 100 bootstrap resamples, 20 zones — the SALib comparison's
//! problem size (its model has 20 outputs).

mod common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use zoneval::data::{self, Encoding};
use zoneval::evaluation::{self, Methods};
use zoneval::sensitivity::model::{FactorKind, Model, factors};
use zoneval::sensitivity::monte_carlo::{self, McOptions};
use zoneval::sensitivity::{Progress, sobol};
use zoneval::system;

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
    };
    c.bench_function("monte-carlo 2000x24 20000 samples", |b| {
        b.iter(|| black_box(monte_carlo::run(&model, &[], &opts, &Progress::hidden()).unwrap()))
    });

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
    };
    c.bench_function("sobol N=1024 k=6 B=100 20 zones", |b| {
        b.iter(|| black_box(sobol::run(&model, &[], &fs, &opts, &Progress::hidden()).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(15);
    targets = bench
}
criterion_main!(benches);
