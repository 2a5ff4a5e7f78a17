//! Panels: evaluating all three years of the bundled 174-zone panel
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

/// The whole `zoneval evaluate --format json` process, as an office runs it: the three-year
/// panel (pooled goalposts, history, the rule, trends) against the same system on a file
/// holding 2024 alone.
fn process(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("zoneval-bench-panels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pooled.toml"),
        system_text("goalposts = \"pooled\""),
    )
    .unwrap();
    let csv = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/shandong-zones.csv"),
    )
    .unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let year_col = header.split(',').position(|h| h == "year").unwrap();
    let mut one = format!("{header}\n");
    for l in lines.filter(|l| l.split(',').nth(year_col) == Some("2024")) {
        one.push_str(l);
        one.push('\n');
    }
    std::fs::write(dir.join("panel.csv"), &csv).unwrap();
    std::fs::write(dir.join("one-year.csv"), one).unwrap();
    let bin = env!("CARGO_BIN_EXE_zoneval");
    for (label, data) in [("2024 only", "one-year.csv"), ("3-year panel", "panel.csv")] {
        c.bench_function(&format!("zoneval evaluate process pooled {label}"), |b| {
            b.iter(|| {
                let o = std::process::Command::new(bin)
                    .args([
                        "evaluate",
                        "--system",
                        "pooled.toml",
                        "--data",
                        data,
                        "--format",
                        "json",
                    ])
                    .current_dir(&dir)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                black_box(o.stdout.len())
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, process
}
criterion_main!(benches);
