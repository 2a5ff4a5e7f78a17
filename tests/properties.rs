//! Property tests over every registry entry, through the whole pipeline (system TOML → data
//! CSV → prepare → evaluate): finite outputs; reversing a direction reverses the order;
//! permuting zones permutes results; a dominating zone never ranks below the dominated one;
//! weights are non-negative and sum to 1; scaling a column by a power of ten (1e-150 …
//! 1e150) keeps the ranking; any finite data gives finite results or an error, never a
//! panic or a silent NaN. And, as cheap complements to the fuzz targets (whose bodies they
//! call), the formula language and the CSV/xlsx reader never panic on arbitrary input.
//!
//! The registries are iterated, so a new method is covered without touching this file.
//! Failing cases are saved in `tests/properties.proptest-regressions` and replayed first.

mod fuzz_harness;

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use zoneval_core::data::{self, Encoding};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::method::{Params, aggregate, names, normalize, weight};
use zoneval_core::system;

/// A random problem: `values[zone][indicator]` (positive, distinct per column), directions
/// (true = cost) and expert weights.
#[derive(Clone, Debug)]
struct Problem {
    values: Vec<Vec<f64>>,
    cost: Vec<bool>,
    weights: Vec<f64>,
}

fn problem() -> impl Strategy<Value = Problem> {
    (3usize..9, 1usize..5).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(prop::collection::vec(1u32..10_000, n), m),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(1u32..100, n),
        )
            .prop_map(move |(v, cost, w)| {
                // Distinct values per column (ties would make order statements ambiguous).
                let mut values: Vec<Vec<f64>> = v
                    .iter()
                    .map(|r| r.iter().map(|&x| f64::from(x) / 10.0).collect())
                    .collect();
                for (i, row) in values.iter_mut().enumerate() {
                    row.iter_mut().for_each(|x| *x += i as f64 * 1e-3);
                }
                Problem {
                    values,
                    cost,
                    weights: w.into_iter().map(f64::from).collect(),
                }
            })
    })
}

/// A flat system over the problem's indicators, with consistent AHP judgements (a_ij =
/// w_i/w_j, so CR = 0) for `ahp` and an ideal value (the median) per indicator for `ideal`.
fn system_toml(p: &Problem, weighting: &str) -> String {
    let n = p.weights.len();
    let mut s = format!(
        "[system]\nid = \"prop\"\nname = \"prop\"\n\n[method]\nweighting = \"{weighting}\"\n"
    );
    // Judgements for `ahp`, written weights otherwise: a `weight` under `[method] ahp` is an
    // error (it would be ignored).
    let judged = weighting == "ahp";
    if judged {
        let rows: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "[{}]",
                    (0..n)
                        .map(|j| format!("{:?}", p.weights[i] / p.weights[j]))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        s.push_str(&format!("ahp = [{}]\n", rows.join(", ")));
    }
    for j in 0..n {
        let mut col: Vec<f64> = p.values.iter().map(|r| r[j]).collect();
        col.sort_by(f64::total_cmp);
        // The median as ideal: some zones reach it, some do not, in either direction.
        let ideal = col[col.len() / 2];
        let dir = if p.cost[j] { "cost" } else { "benefit" };
        let weight = if judged {
            String::new()
        } else {
            format!("weight = {}\n", p.weights[j])
        };
        s.push_str(&format!(
            "\n[[indicators]]\nid = \"x{j}\"\ndirection = \"{dir}\"\n{weight}ideal = {:?}\n",
            ideal
        ));
    }
    s
}

fn data_csv(p: &Problem, order: &[usize]) -> String {
    let n = p.weights.len();
    let mut s = String::from("zone_id,zone_name");
    for j in 0..n {
        s.push_str(&format!(",x{j}"));
    }
    s.push('\n');
    for &i in order {
        s.push_str(&format!("z{i},Zone {i}"));
        for j in 0..n {
            s.push_str(&format!(",{:?}", p.values[i][j]));
        }
        s.push('\n');
    }
    s
}

fn run(p: &Problem, order: &[usize], weighting: &str, norm: Option<&str>, agg: &str) -> Evaluation {
    try_run(p, order, weighting, norm, agg)
        .unwrap_or_else(|e| panic!("{weighting}/{norm:?}/{agg}: {e}"))
}

/// The whole pipeline; an error from any stage is returned (a panic is not caught).
fn try_run(
    p: &Problem,
    order: &[usize],
    weighting: &str,
    norm: Option<&str>,
    agg: &str,
) -> Result<Evaluation, zoneval_core::error::Error> {
    let sys = Arc::new(system::load_str(
        "prop.toml",
        &system_toml(p, weighting),
        None,
    )?);
    let ov = Overrides {
        normalization: norm.map(Params::named),
        weighting: None,
        aggregation: Some(Params::named(agg)),
    };
    let methods = Arc::new(Methods::resolve(&sys, &ov)?);
    let mut spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    spec.encoding = Encoding::Utf8;
    let table = Arc::new(
        data::read_bytes("prop.csv", data_csv(p, order).as_bytes(), &spec).expect("data reads"),
    );
    let prep = Arc::new(evaluation::prepare(sys, table, None, &[])?);
    evaluation::evaluate(&prep, &methods, &[])
}

/// Every (weighting, normalisation, aggregation) combination the properties exercise: each
/// aggregation with its default normalisation, each normalisation and each weighting with
/// the weighted sum. `target` needs target directions and is covered separately.
fn all_combos() -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    let mut c: Vec<(&str, Option<&str>, &str)> = names(aggregate::REGISTRY)
        .into_iter()
        .map(|a| ("expert", None, a))
        .collect();
    c.extend(
        names(normalize::REGISTRY)
            .into_iter()
            .filter(|n| *n != "target")
            .map(|n| ("expert", Some(n), "weighted-sum")),
    );
    c.extend(
        names(weight::REGISTRY)
            .into_iter()
            .map(|w| (w, None, "weighted-sum")),
    );
    c
}

/// A property checked by the pipeline tests, for [`combos`]'s exclusions.
#[derive(Clone, Copy, PartialEq)]
enum Property {
    /// Holds for every method that can run on the problem.
    Any,
    /// A dominating zone never ranks below the dominated one.
    Dominance,
    /// Reversing the direction reverses the order.
    Reversal,
    /// Scaling a column keeps the ranking.
    Scaling,
}

/// The combinations of [`all_combos`] that apply to problem `p` for `property`. Excluded,
/// with the reason:
/// - `coupling-coordination` everywhere: it needs at least two top-level criteria and these
///   problems are flat systems (which it refuses); its properties (C ∈ [0, 1], D by hand) are
///   tested in `tests/methods_new.rs` and in its module.
/// - `pca` when the problem has no more zones than indicators (it refuses them: the
///   correlation matrix would be singular), and from dominance: a component's loadings may be
///   negative, so PCA is not monotone in each indicator (a known property of the method).
///
/// - normalisation `none` from dominance, reversal and scaling: it keeps raw values on
///   purpose (for DEA, which reads the directions itself), so with the weighted sum a cost
///   indicator counts as a benefit and units matter.
///
/// DEA and BoD run everywhere: they are monotone under dominance, unit-invariant and
/// permutation-invariant, and refuse non-positive data with an error.
fn combos(
    p: &Problem,
    property: Property,
) -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    let (m, n) = (p.values.len(), p.weights.len());
    all_combos()
        .into_iter()
        .filter(|(_, _, a)| *a != "coupling-coordination")
        .filter(|(_, _, a)| *a != "pca" || (m > n && property != Property::Dominance))
        .filter(|(_, norm, _)| *norm != Some("none") || property == Property::Any)
        .collect()
}

/// (zone id → (value, rank)) of an evaluation.
fn by_zone(ev: &Evaluation) -> std::collections::HashMap<String, (f64, usize)> {
    ev.results()
        .iter()
        .map(|r| (ev.zone(r).id.clone(), (r.value.unwrap(), r.rank.unwrap())))
        .collect()
}

/// Saves failing cases next to this file (`tests/properties.proptest-regressions`): the
/// default looks for `lib.rs` above the test file, which integration tests do not have.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Finite values and scores; weights ≥ 0 summing to 1.
    #[test]
    fn outputs_are_finite_and_weights_sum_to_one(p in problem()) {
        let order: Vec<usize> = (0..p.values.len()).collect();
        for (w, n, a) in combos(&p, Property::Any) {
            let ev = run(&p, &order, w, n, a);
            for r in ev.results() {
                prop_assert!(r.value.unwrap().is_finite(), "{w}/{n:?}/{a}");
                let s = r.score.unwrap();
                prop_assert!(s.is_finite() && (0.0..=100.0 + 1e-9).contains(&s), "{w}/{n:?}/{a}: score {s}");
            }
            let ws = &ev.weights().weights;
            prop_assert!(ws.iter().all(|x| *x >= 0.0 && x.is_finite()), "{w}: {ws:?}");
            prop_assert!((ws.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{w}: {ws:?}");
        }
    }

    /// Permuting the zones permutes the results (values within 1e-9 relative, same ranks).
    #[test]
    fn permuting_zones_permutes_results(p in problem(), seed in any::<u64>()) {
        let m = p.values.len();
        let order: Vec<usize> = (0..m).collect();
        let mut perm = order.clone();
        // Fisher–Yates with a small LCG from the seed.
        let mut s = seed;
        for i in (1..m).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        for (w, n, a) in combos(&p, Property::Any) {
            let base = by_zone(&run(&p, &order, w, n, a));
            let shuffled = by_zone(&run(&p, &perm, w, n, a));
            for (id, (v, r)) in &base {
                let (v2, r2) = shuffled[id];
                prop_assert!((v - v2).abs() <= 1e-9 * (1.0 + v.abs()), "{w}/{n:?}/{a}: {id} {v} vs {v2}");
                prop_assert_eq!(*r, r2, "{}/{:?}/{}: {}", w, n, a, id);
            }
        }
    }

    /// With one indicator, the ranking follows the values (benefit) and reversing the
    /// direction reverses it (cost): for x_i > x_k, rank_i ≤ rank_k as a benefit and
    /// rank_i ≥ rank_k as a cost; and neither ranking is all ties.
    #[test]
    fn reversing_the_direction_reverses_the_order(p in problem()) {
        let one = Problem {
            values: p.values.iter().map(|r| vec![r[0]]).collect(),
            cost: vec![false],
            weights: vec![1.0],
        };
        let rev = Problem { cost: vec![true], ..one.clone() };
        let m = one.values.len();
        let order: Vec<usize> = (0..m).collect();
        for (w, n, a) in combos(&one, Property::Reversal) {
            let b = by_zone(&run(&one, &order, w, n, a));
            let c = by_zone(&run(&rev, &order, w, n, a));
            let rank = |r: &std::collections::HashMap<String, (f64, usize)>, i: usize| r[&format!("z{i}")].1;
            for i in 0..m {
                for k in 0..m {
                    if one.values[i][0] > one.values[k][0] {
                        prop_assert!(rank(&b, i) <= rank(&b, k), "{w}/{n:?}/{a}: benefit order inverted");
                        prop_assert!(rank(&c, i) >= rank(&c, k), "{w}/{n:?}/{a}: cost order not reversed");
                    }
                }
            }
            prop_assert!((0..m).any(|i| rank(&b, i) > 1), "{w}/{n:?}/{a}: all tied (benefit)");
            prop_assert!((0..m).any(|i| rank(&c, i) > 1), "{w}/{n:?}/{a}: all tied (cost)");
        }
    }

    /// A zone at least as good on every indicator (strictly better on one) never ranks below
    /// the zone it dominates.
    #[test]
    fn dominance_is_respected(p in problem(), who in any::<prop::sample::Index>(), gain in 1u32..1000) {
        let m = p.values.len();
        let a = who.index(m);
        let b = (a + 1) % m;
        let mut q = p.clone();
        // Make `a` dominate `b`: for each indicator, a is b moved in the better direction.
        for j in 0..q.cost.len() {
            let step = f64::from(gain) / 100.0 * (j as f64 + 1.0);
            let vb = q.values[b][j];
            q.values[a][j] = if q.cost[j] { (vb - step).max(vb / 2.0) } else { vb + step };
        }
        let order: Vec<usize> = (0..m).collect();
        for (w, n, agg) in combos(&q, Property::Dominance) {
            let r = by_zone(&run(&q, &order, w, n, agg));
            let (ra, rb) = (r[&format!("z{a}")].1, r[&format!("z{b}")].1);
            prop_assert!(ra <= rb, "{w}/{n:?}/{agg}: dominating z{a} rank {ra} below dominated z{b} rank {rb}");
        }
    }
}

/// The `target` normalisation with target and range directions: the zone on target ranks
/// first and the farthest ranks last, for every aggregation that takes a normalisation.
#[test]
fn target_normalisation_prefers_the_target() {
    let sys_text = "[system]\nid = \"t\"\nname = \"t\"\n[method]\nnormalization = \"target\"\n\
        [[indicators]]\nid = \"x\"\ndirection = \"target\"\ntarget = 5\nweight = 1\n";
    let sys = Arc::new(system::load_str("t.toml", sys_text, None).unwrap());
    let csv = "zone_id,zone_name,x\na,A,5\nb,B,7\nc,C,1\nd,D,4.5\n";
    for agg in [
        "weighted-sum",
        "weighted-product",
        "topsis",
        "grey-relational",
    ] {
        let ov = Overrides {
            aggregation: Some(Params::named(agg)),
            ..Overrides::default()
        };
        let methods = Arc::new(Methods::resolve(&sys, &ov).unwrap());
        let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
        let table = Arc::new(data::read_bytes("t.csv", csv.as_bytes(), &spec).unwrap());
        let prep = Arc::new(evaluation::prepare(sys.clone(), table, None, &[]).unwrap());
        let ev = evaluation::evaluate(&prep, &methods, &[]).unwrap();
        let order: Vec<&str> = ev
            .results()
            .iter()
            .map(|r| ev.zone(r).id.as_str())
            .collect();
        assert_eq!(order, ["a", "d", "b", "c"], "{agg}");
    }
}

/// The problem with column j multiplied by 10^k_j.
fn scaled(p: &Problem, k: &[i32]) -> Problem {
    let mut q = p.clone();
    for row in &mut q.values {
        for (j, x) in row.iter_mut().enumerate() {
            *x *= 10f64.powi(k[j % k.len()]);
        }
    }
    q
}

/// Data values spread over the whole finite range: sign, mantissa and a decimal exponent.
fn extreme_problem() -> impl Strategy<Value = Problem> {
    (3usize..8, 1usize..4).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(
                prop::collection::vec((any::<bool>(), 1u32..1000, -300i32..300), n),
                m,
            ),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(1u32..100, n),
        )
            .prop_map(|(v, cost, w)| Problem {
                values: v
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|&(neg, mant, e)| {
                                let x = f64::from(mant) * 10f64.powi(e);
                                if neg { -x } else { x }
                            })
                            .collect()
                    })
                    .collect(),
                cost,
                weights: w.into_iter().map(f64::from).collect(),
            })
    })
}

/// Formula-like text: tokens of the language (functions, operators, numbers at the edge of
/// the range, names, backticks) in random order, and sometimes arbitrary text.
fn formula_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("`实际 利用外资`".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        prop::sample::select(vec![
            "+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "`",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "min(", "max(", "abs(", "sqrt(", "ln(", "log10(", "exp(", "pow(", "if(", "foo(",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "0", "1", "2.5", ".5", "1e308", "1e-308", "1e309", "7e"
        ])
        .prop_map(str::to_string),
    ];
    prop_oneof![
        4 => prop::collection::vec(token, 0..60).prop_map(|t| t.join(" ")),
        1 => any::<String>(),
    ]
}

/// CSV-like bytes: rows of fields mixing numbers, text, quotes, separators, line ends, a
/// BOM, GBK and invalid bytes, under a header that sometimes has the columns asked for.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just(b"1.5".to_vec()),
        Just(b"-3".to_vec()),
        Just(b"1e999".to_vec()),
        Just(b"abc".to_vec()),
        Just(Vec::new()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\"a,b\"".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just("—".as_bytes().to_vec()),
        Just(b"\xbc\xc3\xc4\xcf".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"z1".to_vec()),
        Just(b"2023".to_vec()),
    ];
    let row = prop::collection::vec(field, 0..7).prop_map(|f| f.join(&b","[..]));
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(row, 0..8),
    )
        .prop_map(|(bom, header, rows)| {
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(b"\xef\xbb\xbf");
            }
            if header {
                out.extend_from_slice(b"zone_id,zone_name,year,a,b,g\n");
            }
            out.extend(rows.join(&b"\n"[..]));
            out
        })
}

proptest! {
    #![proptest_config(config(64))]

    /// Multiplying a column by 10^k (k from −250 to 250) changes no ranking: every method
    /// tested here is invariant to the unit of a column (ratios, ranges, shares, z-scores,
    /// ranks). Pairs whose values are within 1e-9 (relative) count as tied and are skipped.
    /// Where the scaled values leave what a method can compute (e.g. the coefficient of
    /// variation's spread overflows), a clear error is acceptable; a different ranking is not.
    #[test]
    fn scaling_a_column_keeps_the_ranking(p in problem(), k in prop::collection::vec(-250i32..250, 1..5)) {
        let order: Vec<usize> = (0..p.values.len()).collect();
        let q = scaled(&p, &k);
        for (w, n, a) in combos(&p, Property::Scaling) {
            let base = run(&p, &order, w, n, a);
            let Ok(other) = try_run(&q, &order, w, n, a) else {
                continue;
            };
            let (b, o) = (by_zone(&base), by_zone(&other));
            let big = b.values().fold(0.0f64, |m, (v, _)| m.max(v.abs()));
            for (i, (vi, ri)) in &b {
                for (j, (vj, rj)) in &b {
                    if ri < rj && (vi - vj).abs() > 1e-9 * big.max(1e-300) {
                        prop_assert!(o[i].1 < o[j].1, "{w}/{n:?}/{a}: {i} before {j} unscaled, not after scaling by 10^{k:?}");
                    }
                }
            }
        }
    }

    /// Any finite data — signs, magnitudes from 1e-300 to 1e302 — gives finite values and
    /// scores and weights summing to 1, or an error; never a panic or a non-finite result.
    #[test]
    fn extreme_data_gives_finite_results_or_an_error(p in extreme_problem()) {
        let order: Vec<usize> = (0..p.values.len()).collect();
        for (w, n, a) in combos(&p, Property::Any) {
            if let Ok(ev) = try_run(&p, &order, w, n, a) {
                for r in ev.results() {
                    let (v, s) = (r.value.unwrap(), r.score.unwrap());
                    prop_assert!(v.is_finite() && s.is_finite(), "{w}/{n:?}/{a}: value {v}, score {s}");
                }
                let ws = &ev.weights().weights;
                prop_assert!(ws.iter().all(|x| x.is_finite() && *x >= 0.0), "{w}/{n:?}/{a}: {ws:?}");
                prop_assert!((ws.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{w}/{n:?}/{a}: {ws:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// The formula language on arbitrary text and values (the fuzz target's body): a formula
    /// or an error inside the text; a finite value, a missing one or an error, never inf/NaN.
    #[test]
    fn formulas_never_panic(text in formula_text(), values in prop::collection::vec(any::<f64>(), 0..4)) {
        let mut bytes = text.into_bytes();
        bytes.retain(|&b| b != 0);
        bytes.push(0);
        for v in values {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        fuzz_harness::formula(&bytes);
    }

    /// The CSV reader on CSV-like and arbitrary bytes, in each encoding mode (the fuzz target's
    /// body): a consistent table or located problems, never a panic.
    #[test]
    fn csv_reader_never_panics(body in prop_oneof![3 => csv_bytes(), 1 => any::<Vec<u8>>()], mode in 0u8..3) {
        let mut bytes = vec![mode * 2];
        bytes.extend(body);
        fuzz_harness::data_reader(&bytes);
    }

    /// The xlsx reader on arbitrary bytes: an error, never a panic.
    #[test]
    fn xlsx_reader_never_panics(body in any::<Vec<u8>>()) {
        let mut bytes = vec![1u8];
        bytes.extend(body);
        fuzz_harness::data_reader(&bytes);
    }
}
