//! Synthetic inputs shared by the benchmarks: a flat system of `n` benefit/cost indicators
//! and `m` zones of positive, deterministic pseudo-random values.

#![allow(dead_code)]

use std::sync::Arc;

use zoneval_core::data::{self, Encoding};
use zoneval_core::evaluation::{self, Evaluation, Methods, Prepared};
use zoneval_core::system::{self, IndicatorSystem};

/// A flat system with `n` indicators (every third a cost), equal expert weights.
pub fn system_toml(n: usize, normalization: &str, weighting: &str, aggregation: &str) -> String {
    let mut s = format!(
        "[system]\nid = \"bench\"\nname = \"bench\"\n[method]\nnormalization = \"{normalization}\"\nweighting = \"{weighting}\"\naggregation = \"{aggregation}\"\n"
    );
    for j in 0..n {
        let dir = if j % 3 == 2 { "cost" } else { "benefit" };
        s.push_str(&format!(
            "[[indicators]]\nid = \"x{j}\"\ndirection = \"{dir}\"\nweight = 1\n"
        ));
    }
    s
}

/// `m` zones × `n` values in (1, 1001), from a fixed LCG.
pub fn data_csv(m: usize, n: usize) -> String {
    let mut s = String::from("zone_id,zone_name");
    for j in 0..n {
        s.push_str(&format!(",x{j}"));
    }
    s.push('\n');
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..m {
        s.push_str(&format!("z{i},Zone {i}"));
        for _ in 0..n {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            s.push_str(&format!(",{:.4}", 1.0 + 1000.0 * u * u));
        }
        s.push('\n');
    }
    s
}

/// Loaded system and prepared data.
pub fn prepared(
    m: usize,
    n: usize,
    normalization: &str,
    weighting: &str,
    aggregation: &str,
) -> (Arc<IndicatorSystem>, Arc<Prepared>) {
    let sys = Arc::new(
        system::load_str(
            "bench.toml",
            &system_toml(n, normalization, weighting, aggregation),
            None,
        )
        .unwrap(),
    );
    let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    let table = Arc::new(data::read_bytes("bench.csv", data_csv(m, n).as_bytes(), &spec).unwrap());
    let prep = Arc::new(evaluation::prepare(sys.clone(), table, None, &[]).unwrap());
    (sys, prep)
}

/// A full evaluation.
pub fn evaluated(
    m: usize,
    n: usize,
    normalization: &str,
    weighting: &str,
    aggregation: &str,
) -> Evaluation {
    let (sys, prep) = prepared(m, n, normalization, weighting, aggregation);
    let methods = Arc::new(Methods::resolve(&sys, &Default::default()).unwrap());
    evaluation::evaluate(&prep, &methods, &[]).unwrap()
}
