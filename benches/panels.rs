//! Panels (issue 13's benchmark): evaluating all three years of the bundled 174-zone panel
//! with history, a multi-year rule and the score-change interval in one run, against a
//! single-year evaluation of the same system (target: under 3 × the single year).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use zoneval_core::bundled::Source;
use zoneval_core::evaluation::{self, Methods};
use zoneval_core::system;

/// The bundled provincial system, with `method` lines added to `[method]` and a MOFCOM-style
/// rule (bottom 5 of the region twice in three years).
fn system_text(method: &str) -> String {
    let (_, bytes) = Source::system(Path::new("shandong-provincial"))
        .read()
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.replacen("[method]\n", &format!("[method]\n{method}\n"), 1);
    format!(
        "{text}\n[[rules]]\nid = \"demotion_watch\"\nname = \"降级备选\"\nbottom = 5\nwithin = \"region\"\ntimes = 2\nof_last = 3\n"
    )
}

fn bench(c: &mut Criterion) {
    for (label, method) in [("per-year", ""), ("pooled", "goalposts = \"pooled\"")] {
        let sys = Arc::new(
            system::load_str("shandong-provincial.toml", &system_text(method), None).unwrap(),
        );
        let source = evaluation::data_path(&sys, Some(Path::new("shandong-zones")));
        let table = Arc::new(evaluation::load_data(&sys, &source, None, &[]).unwrap());
        let prep =
            Arc::new(evaluation::prepare(sys.clone(), table.clone(), Some(2024), &[]).unwrap());
        let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
        let full = evaluation::evaluate(&prep, &methods, &[]).unwrap();
        assert_eq!(full.panel().unwrap().years.len(), 3);
        if label == "per-year" {
            // One year alone, as a single-year run does it: prepare the year and evaluate it
            // with the same methods at the same weights, no other year.
            let weights = full.weights().clone();
            c.bench_function("panel single year 174 zones", |b| {
                b.iter(|| {
                    let prep = Arc::new(
                        evaluation::prepare(sys.clone(), table.clone(), Some(2024), &[]).unwrap(),
                    );
                    black_box(
                        evaluation::evaluate_with_weights(&prep, &methods, &[], weights.clone())
                            .unwrap(),
                    )
                })
            });
        }
        c.bench_function(
            &format!("panel 3 years {label} history+rule+trends 174 zones"),
            |b| {
                b.iter(|| {
                    let prep = Arc::new(
                        evaluation::prepare(sys.clone(), table.clone(), Some(2024), &[]).unwrap(),
                    );
                    black_box(evaluation::evaluate(&prep, &methods, &[]).unwrap())
                })
            },
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
