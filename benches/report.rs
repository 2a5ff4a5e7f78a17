//! The report's cost: the default report (the bundled Shandong system, 174 zones, every chart,
//! PNG copies when a CJK font is installed) and a 2,000-zone × 50-indicator one, each built
//! from the evaluation (model, other years) and streamed into a new directory (fsyncs
//! included), as `evaluate --report` does the first time; and the default report written
//! again over itself, as a re-run does (every file compared with the one in place, none
//! replaced).

mod common;

use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use zoneval_core::error::Lang;
use zoneval_core::evaluation::{self, Evaluation, Methods};
use zoneval_report::dir::{self, Options, Png, Results};
use zoneval_report::model::{self, Spec};

/// The default run's evaluation: bundled system, bundled data.
fn default_evaluation() -> Evaluation {
    let path = Path::new(zoneval_core::bundled::DEFAULT_SYSTEM);
    let sys = Arc::new(zoneval_core::system::load_file(path).unwrap());
    let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
    let data = evaluation::data_path(&sys, None);
    let table = Arc::new(evaluation::load_data(&sys, &data, None, &[]).unwrap());
    let prepared = Arc::new(evaluation::prepare(sys, table, None, &[]).unwrap());
    evaluation::evaluate(&prepared, &methods, &[]).unwrap()
}

fn bench(c: &mut Criterion) {
    let scratch = std::env::temp_dir().join(format!("zoneval-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let cases: Vec<(&str, Evaluation)> = vec![
        ("default report (174 zones)", default_evaluation()),
        (
            "report 2000x50",
            common::evaluated(2_000, 50, "min-max", "expert", "weighted-sum"),
        ),
    ];
    let opts = Options {
        lang: Lang::Zh,
        png: Png::Auto,
    };
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    for (k, (name, ev)) in cases.iter().enumerate() {
        let out = scratch.join(format!("r{k}"));
        // The previous iteration's directory is removed outside the timing (deleting 300
        // files costs tens of milliseconds on ext4 and is not the report's work).
        group.bench_function(*name, |b| {
            b.iter_batched(
                || {
                    let _ = std::fs::remove_dir_all(&out);
                },
                |()| {
                    let years = evaluation::history::years(ev);
                    let model = model::build(ev, Spec::default(), years, None);
                    dir::write_report(&out, &model, Results::FromModel, opts).unwrap()
                },
                BatchSize::PerIteration,
            )
        });
    }
    let (name, ev) = &cases[0];
    let out = scratch.join("again");
    let write = || {
        let years = evaluation::history::years(ev);
        let model = model::build(ev, Spec::default(), years, None);
        dir::write_report(&out, &model, Results::FromModel, opts).unwrap()
    };
    write();
    group.bench_function(format!("{name}, written again unchanged"), |b| {
        b.iter(write)
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, bench);
criterion_main!(benches);
