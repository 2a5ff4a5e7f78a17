//! Sensitivity analyses: determinism across thread counts, Monte Carlo statistics against a
//! direct computation, stability intervals against brute-force sweeps, Sobol replay.

mod common;

use zoneval_core::evaluation::{Evaluation, Overrides, rank};
use zoneval_core::method::Params;
use zoneval_core::sensitivity::model::{FactorKind, Model, factors};
use zoneval_core::sensitivity::monte_carlo::{self, McOptions, WeightDraw};
use zoneval_core::sensitivity::oat::factor_weights;
use zoneval_core::sensitivity::stability::{self, StabilityOptions};
use zoneval_core::sensitivity::{Silent, sobol};

use common::{keys, zoneval};

/// A hierarchical system over 12 zones with distinct, unevenly spread values.
const SYSTEM: &str = r#"
[system]
id = "sens"
name = "sensitivity test"
[[criteria]]
id = "open"
weight = 0.5
  [[criteria.indicators]]
  id = "a"
  direction = "benefit"
  weight = 0.6
  [[criteria.indicators]]
  id = "b"
  direction = "cost"
  weight = 0.4
[[criteria]]
id = "green"
weight = 0.3
  [[criteria.indicators]]
  id = "c"
  direction = "benefit"
  weight = 1
[[criteria]]
id = "land"
weight = 0.2
  [[criteria.indicators]]
  id = "d"
  direction = "benefit"
  weight = 0.5
  [[criteria.indicators]]
  id = "e"
  direction = "cost"
  weight = 0.5
"#;

fn data_csv() -> String {
    let mut s = String::from("zone_id,zone_name,a,b,c,d,e\n");
    for i in 0..12u32 {
        let f = f64::from(i);
        let v = [
            (f * 7.3) % 11.0 + 1.0,
            (f * 3.1) % 5.0 + 2.0,
            (f * f * 0.37) % 9.0 + 0.5,
            (f * 5.9) % 13.0 + 3.0,
            (f * 2.3) % 7.0 + 1.0,
        ];
        s.push_str(&format!(
            "z{i},Zone {i},{},{},{},{},{}\n",
            v[0], v[1], v[2], v[3], v[4]
        ));
    }
    s
}

fn evaluation(aggregation: &str) -> Evaluation {
    let ov = Overrides {
        aggregation: Some(Params::named(aggregation)),
        ..Overrides::default()
    };
    common::synthetic::evaluate("sens", SYSTEM, &data_csv(), &ov)
}

/// Pearson's correlation coefficient of two equally long samples.
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let k = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / k, y.iter().sum::<f64>() / k);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let vy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
    cov / (vx * vy).sqrt()
}

/// numpy.percentile(x, 100·q) with the default linear interpolation.
fn numpy_percentile(x: &[f64], q: f64) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Monte Carlo statistics from a weights file equal a direct computation: weighted sums of
/// the normalised matrix, ordinal ranks, numpy-style percentiles, the rank shift, Spearman's ρ
/// and Kendall's τ against the base ranks, and SMAA central weights.
#[test]
fn monte_carlo_statistics_match_a_direct_computation() {
    let ev = evaluation("weighted-sum");
    let model = Model::new(&ev).unwrap();
    let (m, n) = (model.zones(), model.indicators());
    // 37 deterministic weight vectors.
    let rows: Vec<Vec<f64>> = (0..37)
        .map(|s| {
            (0..n)
                .map(|j| 0.05 + ((s * 7 + j * 13) % 17) as f64 / 17.0)
                .collect()
        })
        .collect();
    let opts = McOptions {
        draw: WeightDraw::File(rows.clone()),
        top: 3,
        ..McOptions::default()
    }
    .check()
    .unwrap();
    let mc = monte_carlo::run(&model, &[], &opts, &Silent).unwrap();
    // Direct: per sample, values = Σ_j w_j r_ij, ordinal ranks; the summary statistics by
    // their textbook definitions — Spearman's ρ as the Pearson correlation of the two rank
    // vectors, Kendall's τ-a by enumerating every pair (concordant − discordant) / C(m, 2) —
    // and central weights as the mean weight vector of the samples a zone ranks first in.
    let base: Vec<f64> = rank::ordinal_ranks(&ev.aggregated().value, true)
        .into_iter()
        .map(|r| r as f64)
        .collect();
    let mut ranks_by_zone = vec![Vec::new(); m];
    let (mut shift, mut rho, mut tau) = (0.0, 0.0, 0.0);
    let mut central = vec![vec![0.0; n]; m];
    let mut wins = vec![0usize; m];
    for w in &rows {
        let s: f64 = w.iter().sum();
        let v: Vec<f64> = (0..m)
            .map(|i| (0..n).map(|j| w[j] / s * ev.normalized().get(i, j)).sum())
            .collect();
        let r: Vec<f64> = rank::ordinal_ranks(&v, true)
            .into_iter()
            .map(|r| r as f64)
            .collect();
        for (i, &x) in r.iter().enumerate() {
            ranks_by_zone[i].push(x);
        }
        shift += r.iter().zip(&base).map(|(a, b)| (a - b).abs()).sum::<f64>() / m as f64;
        rho += pearson(&r, &base);
        let mut balance = 0i64;
        for a in 0..m {
            for b in a + 1..m {
                let c = (r[a] - r[b]) * (base[a] - base[b]);
                balance += if c > 0.0 { 1 } else { -1 };
            }
        }
        tau += balance as f64 / (m * (m - 1) / 2) as f64;
        let first = r.iter().position(|&x| x == 1.0).unwrap();
        wins[first] += 1;
        central[first]
            .iter_mut()
            .zip(w)
            .for_each(|(c, x)| *c += x / s);
    }
    let k = rows.len() as f64;
    assert!((mc.mean_rank_shift - shift / k).abs() < 1e-12);
    assert!(
        (mc.spearman - rho / k).abs() < 1e-12,
        "{} {}",
        mc.spearman,
        rho / k
    );
    assert!(
        (mc.kendall - tau / k).abs() < 1e-12,
        "{} {}",
        mc.kendall,
        tau / k
    );
    assert_eq!(mc.kendall_samples, rows.len());
    for z in &mc.zones {
        let i = ev
            .ranked()
            .iter()
            .position(|&k| ev.prepared().zones[k].id == z.id)
            .unwrap();
        let r = &ranks_by_zone[i];
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        assert!((z.mean_rank - mean).abs() < 1e-12, "{}", z.id);
        for (got, q) in [(z.p05, 0.05), (z.p50, 0.5), (z.p95, 0.95)] {
            assert!(
                (got - numpy_percentile(r, q)).abs() < 1e-12,
                "{} q={q}: {got}",
                z.id
            );
        }
        let p_top = r.iter().filter(|&&x| x <= 3.0).count() as f64 / r.len() as f64;
        assert!((z.p_top - p_top).abs() < 1e-12);
        let acc: f64 = z.acceptability.iter().sum();
        assert!((acc - p_top).abs() < 1e-12);
        if wins[i] == 0 {
            assert!(z.central_weights.is_empty());
        } else {
            assert_eq!(z.central_weights.len(), n);
            for (got, c) in z.central_weights.iter().zip(&central[i]) {
                assert!((got - c / wins[i] as f64).abs() < 1e-12, "{}", z.id);
            }
        }
    }
    assert!(
        wins.iter().filter(|&&w| w > 0).count() > 1,
        "more than one winner"
    );
    assert_eq!(mc.samples, 37);
}

/// The zones ranked first to third at the base weights, and their ranks at other weights.
struct TopThree<'m, 'a> {
    model: &'m Model<'a>,
    zones: Vec<usize>,
}

impl<'m, 'a> TopThree<'m, 'a> {
    fn new(model: &'m Model<'a>) -> Self {
        let mut order: Vec<usize> = (0..model.zones()).collect();
        order.sort_by_key(|&i| model.base_ranks[i]);
        order.truncate(3);
        TopThree {
            model,
            zones: order,
        }
    }

    /// Their base ranks.
    fn base(&self) -> Vec<usize> {
        self.zones
            .iter()
            .map(|&i| self.model.base_ranks[i] as usize)
            .collect()
    }

    /// Their ranks when the model is evaluated at the leaf weights `w`.
    fn at(&self, w: &[f64]) -> Vec<usize> {
        assert_eq!(w.len(), self.model.indicators());
        let mut v = vec![0.0; self.model.zones()];
        self.model.values(w, 1, &mut v).unwrap();
        let r = rank::ordinal_ranks(&v, self.model.higher_is_better);
        self.zones.iter().map(|&i| r[i]).collect()
    }
}

/// Brute-force check of a stability interval [low, high]: on a grid of `step`, the top three
/// (`top_at`) equal `base` everywhere inside, and differ one step outside each bound that is
/// not 0 or 1.
fn sweep(low: f64, high: f64, base: &[usize], top_at: impl Fn(f64) -> Vec<usize>, what: &str) {
    let step = 1e-3;
    let mut t = low + step;
    while t < high - step {
        assert_eq!(top_at(t), base, "{what} at {t} inside [{low}, {high}]");
        t += step;
    }
    if high < 1.0 {
        assert_ne!(top_at((high + step).min(1.0)), base, "{what} above {high}");
    }
    if low > 0.0 {
        assert_ne!(top_at((low - step).max(0.0)), base, "{what} below {low}");
    }
}

/// Exact stability intervals (weighted sum: values linear in the factor weight) agree with a
/// brute-force sweep: on a fine grid, the order never changes inside the interval, and it has
/// changed one grid step outside each bound that is not 0 or 1.
#[test]
fn stability_intervals_agree_with_brute_force() {
    for agg in ["weighted-sum", "topsis"] {
        let ev = evaluation(agg);
        let model = Model::new(&ev).unwrap();
        let fs = factors(ev.system(), FactorKind::Indicators);
        let opts = StabilityOptions {
            top: 3,
            steps: 400,
            tolerance: 1e-10,
        }
        .check()
        .unwrap();
        let st = stability::run(&model, &fs, &opts).unwrap();
        assert_eq!(st.exact, agg == "weighted-sum");
        let top = TopThree::new(&model);
        let top_at = |f: usize, t: f64| -> Vec<usize> {
            let mut w = vec![0.0; model.indicators()];
            factor_weights(&model.base_weights, &fs[f], t, &mut w);
            top.at(&w)
        };
        for (f, iv) in st.factors.iter().enumerate() {
            let what = format!("{agg}: factor {}", iv.id);
            sweep(iv.low, iv.high, &top.base(), |t| top_at(f, t), &what);
            assert!(iv.low <= iv.base_weight && iv.base_weight <= iv.high);
        }
    }
}

/// Local-weight stability intervals (a node's share of its parent, siblings rescaled, the rest
/// kept: what a workbench slider does) agree with a brute-force sweep whose leaf weights are
/// built here from the local weights along each path; for the top-level criteria they are
/// the `Criteria` factors' intervals of `stability::run`.
#[test]
fn local_stability_intervals_agree_with_brute_force() {
    // The system's local weights and parents; leaves a…e are indicators 0…4.
    let local: &[(&str, f64, Option<&str>)] = &[
        ("open", 0.5, None),
        ("green", 0.3, None),
        ("land", 0.2, None),
        ("a", 0.6, Some("open")),
        ("b", 0.4, Some("open")),
        ("c", 1.0, Some("green")),
        ("d", 0.5, Some("land")),
        ("e", 0.5, Some("land")),
    ];
    let leaves = ["a", "b", "c", "d", "e"];
    // Leaf weights with node `id` at local weight v and its siblings rescaled to 1 − v.
    let weights_at = |id: &str, v: f64| -> Vec<f64> {
        let (_, v0, parent) = local.iter().find(|n| n.0 == id).copied().unwrap();
        let lw = |n: &str| -> f64 {
            let (_, w, p) = local.iter().find(|x| x.0 == n).copied().unwrap();
            if n == id {
                v
            } else if p == parent {
                w * (1.0 - v) / (1.0 - v0)
            } else {
                w
            }
        };
        leaves
            .iter()
            .map(|&l| {
                let p = local.iter().find(|x| x.0 == l).unwrap().2.unwrap();
                lw(l) * lw(p)
            })
            .collect()
    };
    for agg in ["weighted-sum", "topsis"] {
        let ev = evaluation(agg);
        let model = Model::new(&ev).unwrap();
        let opts = StabilityOptions {
            top: 3,
            steps: 400,
            tolerance: 1e-10,
        }
        .check()
        .unwrap();
        let ivs = stability::local(&model, &opts).unwrap();
        let mut ids: Vec<&str> = ivs.iter().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        // `c` is its criterion's only indicator: no slider to move.
        assert_eq!(ids, ["a", "b", "d", "e", "green", "land", "open"], "{agg}");
        let top = TopThree::new(&model);
        for iv in &ivs {
            let v0 = local.iter().find(|x| x.0 == iv.id).unwrap().1;
            assert!((iv.base_weight - v0).abs() < 1e-12, "{agg} {}", iv.id);
            assert!(iv.low <= v0 && v0 <= iv.high, "{agg} {iv:?}");
            let what = format!("{agg}: {iv:?}");
            sweep(
                iv.low,
                iv.high,
                &top.base(),
                |v| top.at(&weights_at(&iv.id, v)),
                &what,
            );
        }
        // The top level: the same intervals as the criteria factors.
        let fs = factors(ev.system(), FactorKind::Criteria);
        let st = stability::run(&model, &fs, &opts).unwrap();
        for f in &st.factors {
            let l = ivs.iter().find(|i| i.id == f.id).unwrap();
            assert!(
                (l.low - f.low).abs() < 1e-8 && (l.high - f.high).abs() < 1e-8,
                "{agg}: {l:?} vs {f:?}"
            );
        }
    }
}

/// Replaying the design through --samples-file reproduces the indices exactly.
#[test]
fn sobol_samples_file_replays_the_design() {
    let ev = evaluation("weighted-sum");
    let model = Model::new(&ev).unwrap();
    let fs = factors(ev.system(), FactorKind::Criteria);
    let k = fs.len();
    let opts = sobol::SobolOptions {
        samples: 64,
        bootstrap: 20,
        ..Default::default()
    }
    .check()
    .unwrap();
    let a = sobol::run(&model, &[], &fs, &opts, &Silent).unwrap();
    let seed = (opts.seed & 0xffff_ffff) as u32 ^ (opts.seed >> 32) as u32;
    let u = sobol::design(64, k, seed).unwrap();
    let rows: Vec<Vec<f64>> = u
        .chunks(k)
        .map(|r| {
            r.iter()
                .map(|x| 1.0 - opts.range + 2.0 * opts.range * x)
                .collect()
        })
        .collect();
    let replay = sobol::SobolOptions {
        samples_file: Some(rows),
        ..(*opts).clone()
    }
    .check()
    .unwrap();
    let b = sobol::run(&model, &[], &fs, &replay, &Silent).unwrap();
    assert_eq!(a, b);
    // Indices of the rank shift are within [−conf, 1 + conf] and S1 ≤ ST up to the conf.
    for z in &a.zones {
        let (s1, st, c) = (
            z.indices.s1.values(),
            z.indices.st.values(),
            z.indices.st_conf.values(),
        );
        for j in 0..k {
            assert!(
                s1[j] <= st[j] + c[j] + 0.05,
                "{}: S1 {} > ST {}",
                z.id,
                s1[j],
                st[j]
            );
        }
    }
}

/// Every analysis prints byte-identical output with 1, 2 and 8 threads.
#[test]
fn analyses_are_identical_for_any_thread_count() {
    let dir = std::env::temp_dir().join(format!("zoneval-sens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sys, csv) = (dir.join("sens.toml"), dir.join("sens.csv"));
    std::fs::write(&sys, SYSTEM).unwrap();
    std::fs::write(&csv, data_csv()).unwrap();
    let (sys, csv) = (sys.to_str().unwrap(), csv.to_str().unwrap());
    let runs: [&[&str]; 6] = [
        &["monte-carlo", "--samples", "3000"],
        &[
            "monte-carlo",
            "--samples",
            "500",
            "--dirichlet",
            "50",
            "--vary-aggregation",
            "weighted-sum,topsis,vikor",
            "--drop-indicator",
        ],
        &["sobol", "--samples", "256", "--factors", "indicators"],
        &["oat"],
        &["stability", "--aggregation", "topsis", "--steps", "50"],
        &["rank-reversal"],
    ];
    for extra in runs {
        let mut outs = Vec::new();
        for threads in ["1", "2", "8"] {
            let mut args = vec!["sensitivity"];
            args.extend_from_slice(extra);
            args.extend_from_slice(&[
                "--system",
                sys,
                "--data",
                csv,
                "--format",
                "json",
                "--threads",
                threads,
            ]);
            let o = zoneval(&args);
            assert!(
                o.status.success(),
                "{extra:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            outs.push(o.stdout);
        }
        assert_eq!(outs[0], outs[1], "{extra:?}: 1 vs 2 threads");
        assert_eq!(outs[0], outs[2], "{extra:?}: 1 vs 8 threads");
        assert!(!outs[0].is_empty());
    }
}

#[test]
fn weights_file_with_samples_is_a_usage_error() {
    let o = zoneval(&[
        "sensitivity",
        "monte-carlo",
        "--weights-file",
        "x.csv",
        "--samples",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// The JSON carries DESIGN.md's keys in order.
#[test]
fn monte_carlo_json_shape() {
    let o = zoneval(&[
        "sensitivity",
        "monte-carlo",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.csv",
        "--samples",
        "100",
        "-f",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let top = &keys(&v)[..4];
    assert_eq!(top, ["analysis", "samples", "top", "zones"]);
    let z = &v["zones"][0];
    let zk = &keys(z)[..8];
    assert_eq!(
        zk,
        [
            "id",
            "name",
            "base_rank",
            "mean_rank",
            "p05",
            "p50",
            "p95",
            "p_top"
        ]
    );
    let o = zoneval(&[
        "sensitivity",
        "sobol",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.csv",
        "--samples",
        "64",
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let top = keys(&v);
    assert_eq!(
        top,
        [
            "analysis",
            "samples",
            "factors",
            "zones",
            "rank_shift",
            "provenance"
        ]
    );
    let zk = keys(&v["zones"][0]);
    assert_eq!(
        zk,
        ["id", "name", "base_rank", "S1", "S1_conf", "ST", "ST_conf"]
    );
}
