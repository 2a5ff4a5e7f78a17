//! Every registered aggregation behaves as its declared capabilities say, on a small matrix
//! where each property can be checked independently of the method's own code.

use super::testing::{assert_close, normalize_all};
use super::*;
use crate::method::{MethodKind, Params, build, names, normalize, weight};

/// Criterion values of five zones: zone 0 is best on every indicator (highest benefit,
/// lowest cost), zone 4 worst; the others are mixed. All positive, as the weighted product
/// and COPRAS need.
fn values() -> Matrix {
    Matrix::from_rows(&[
        vec![9.0, 1.0, 8.0],
        vec![5.0, 4.0, 7.5],
        vec![7.0, 6.0, 2.0],
        vec![3.0, 2.0, 5.0],
        vec![1.0, 9.0, 1.5],
    ])
}

const COST: [bool; 3] = [false, true, false];
const WEIGHTS: [f64; 3] = [0.5, 0.3, 0.2];

/// Every aggregation, built with its default parameters.
fn all() -> Vec<Aggregation> {
    names(REGISTRY)
        .into_iter()
        .map(|n| build(REGISTRY, MethodKind::Aggregation, &Params::named(n)).unwrap())
        .collect()
}

/// The matrix an evaluation would give the method: its default normalisation, or min-max
/// (the weighting's default) for an intrinsic one.
fn normalized_for(a: &Aggregation, values: &Matrix) -> Matrix {
    normalize_all(values, &COST, Some(a.normalization().unwrap_or("min-max")))
}

/// Runs `a` on `values` with `weights` and optional per-zone weights.
fn run(
    a: &Aggregation,
    normalized: &Matrix,
    weights: &[f64],
    zone_weights: Option<&Matrix>,
) -> Result<Aggregated, CellError> {
    let values = values();
    let prefs = vec![Preference::Usual; COST.len()];
    let input = AggInput {
        normalized,
        values: &values,
        cost: &COST,
        weights,
        preferences: &prefs,
        zone_weights,
        tree: None,
    };
    a.aggregate(&input, &mut Vec::new())
}

fn value(a: &Aggregation, weights: &[f64]) -> Vec<f64> {
    let n = normalized_for(a, &values());
    run(a, &n, weights, None).unwrap().value
}

#[test]
fn names_are_unique_across_every_registry() {
    // `zoneval methods NAME` looks a name up in all three registries at once.
    let mut all = names(normalize::REGISTRY);
    all.extend(names(weight::REGISTRY));
    all.extend(names(REGISTRY));
    for (i, n) in all.iter().enumerate() {
        assert!(!all[..i].contains(n), "`{n}` is registered twice");
    }
}

#[test]
fn lookup_by_name_is_the_entry_and_the_built_handle() {
    for a in all() {
        let caps = capabilities(a.name()).expect("registered");
        assert_eq!(caps, a.capabilities(), "{}", a.name());
        assert_eq!(caps.normalization.default_name(), a.normalization());
        assert_eq!(caps.higher_is_better, a.higher_is_better());
        assert_eq!(caps.linear_in_weights, a.linear_in_weights());
    }
    assert_eq!(capabilities("electre-iii"), None);
}

#[test]
fn default_normalisations_are_registered() {
    for a in all() {
        if let Some(n) = a.normalization() {
            assert!(
                names(normalize::REGISTRY).contains(&n),
                "{}: unknown default normalisation `{n}`",
                a.name()
            );
        }
    }
}

/// Intrinsic methods ignore the normalised matrix; the others read it (turning it around
/// changes their values).
#[test]
fn intrinsic_means_the_normalised_matrix_is_not_read() {
    for a in all() {
        let n = normalized_for(&a, &values());
        let mut flipped = n.clone();
        for col in flipped.columns_mut() {
            col.iter_mut().for_each(|x| *x = 1.0 - *x);
        }
        // DEA reads raw values only (normalisation `none`: the normalised matrix must equal
        // the raw one) and coupling coordination needs a criteria tree; both refuse this
        // input, and their own tests cover what they read.
        let (Ok(v), Ok(w)) = (
            run(&a, &n, &WEIGHTS, None),
            run(&a, &flipped, &WEIGHTS, None),
        ) else {
            assert!(
                ["dea", "coupling-coordination"].contains(&a.name()),
                "{} refused a flat benefit-oriented matrix",
                a.name()
            );
            continue;
        };
        let (v, w) = (v.value, w.value);
        match a.capabilities().normalization {
            Normalization::Intrinsic => assert_eq!(v, w, "{} read the normalised matrix", a.name()),
            Normalization::Default(_) => {
                assert_ne!(v, w, "{} ignored the normalised matrix", a.name())
            }
        }
    }
}

/// Additive: value = Σ_j w_j r_ij over the normalised matrix, computed here directly.
#[test]
fn additive_means_the_weighted_sum_of_the_normalised_matrix() {
    let mut seen = 0;
    for a in all().iter().filter(|a| a.capabilities().additive) {
        seen += 1;
        assert!(
            a.linear_in_weights(),
            "{}: additive implies linear",
            a.name()
        );
        assert!(
            a.normalization().is_some(),
            "{}: additive reads r_ij",
            a.name()
        );
        let n = normalized_for(a, &values());
        let want: Vec<f64> = (0..n.rows())
            .map(|i| (0..n.cols()).map(|j| WEIGHTS[j] * n.get(i, j)).sum())
            .collect();
        assert_close(&value(a, &WEIGHTS), &want, 1e-12);
    }
    assert!(seen > 0, "the weighted sum is additive");
}

/// Linear in the weights: V(w) = Σ_j w_j V(e_j) for the unit vectors e_j.
#[test]
fn linear_means_the_value_is_a_weighted_sum_of_single_indicator_values() {
    let mut seen = 0;
    for a in all().iter().filter(|a| a.linear_in_weights()) {
        seen += 1;
        let f: Vec<Vec<f64>> = (0..3)
            .map(|j| {
                let mut e = [0.0; 3];
                e[j] = 1.0;
                value(a, &e)
            })
            .collect();
        for w in [WEIGHTS, [0.1, 0.1, 0.8], [1.0 / 3.0; 3]] {
            let want: Vec<f64> = (0..5)
                .map(|i| (0..3).map(|j| w[j] * f[j][i]).sum())
                .collect();
            assert_close(&value(a, &w), &want, 1e-12);
        }
    }
    assert!(seen >= 2, "the weighted sum and PROMETHEE II are linear");
}

/// The declared order: the zone best on every indicator gets the best value, the zone worst
/// on every indicator the worst (VIKOR's Q sorts ascending).
#[test]
fn declared_order_puts_the_dominating_zone_first() {
    for a in all() {
        let v = value(&a, &WEIGHTS);
        let (lo, hi) = normalize::min_max_of(&v);
        assert!(lo < hi, "{}: no spread in {v:?}", a.name());
        let (best, worst) = if a.higher_is_better() {
            (hi, lo)
        } else {
            (lo, hi)
        };
        assert_eq!(
            v[0],
            best,
            "{}: dominating zone not best in {v:?}",
            a.name()
        );
        assert_eq!(
            v[4],
            worst,
            "{}: dominated zone not worst in {v:?}",
            a.name()
        );
        // The display score always has higher = better.
        let u = a.unit_score(&v);
        assert!(u[0] > u[4], "{}: unit score turned around: {u:?}", a.name());
    }
}

/// Per-zone weights equal to the global weights change nothing for a method that accepts
/// them; every other method refuses them, with one message naming the accepting ones.
#[test]
fn zone_weights_are_accepted_only_where_declared() {
    let zw = Matrix::from_rows(&vec![WEIGHTS.to_vec(); 5]);
    let accepting = zone_weight_names();
    assert_eq!(accepting, ["weighted-sum", "weighted-product"]);
    for a in all() {
        let n = normalized_for(&a, &values());
        let got = run(&a, &n, &WEIGHTS, Some(&zw));
        if a.capabilities().zone_weights {
            assert!(accepting.contains(&a.name()));
            assert_close(&got.unwrap().value, &value(&a, &WEIGHTS), 1e-12);
        } else {
            let e = got.expect_err(a.name());
            assert!(
                e.message
                    .en
                    .ends_with("; use weighted-sum or weighted-product"),
                "{}",
                e.message.en
            );
            assert!(
                e.message
                    .zh
                    .ends_with("请使用 weighted-sum 或 weighted-product")
            );
        }
    }
}

/// Only PROMETHEE II compares zones pair by pair (its what-if runs are costed at zones²).
#[test]
fn pairwise_is_promethee_ii() {
    let pairwise: Vec<&str> = REGISTRY
        .iter()
        .filter(|e| e.caps.pairwise)
        .map(|e| e.info.name)
        .collect();
    assert_eq!(pairwise, ["promethee-ii"]);
}

/// `needs_criteria`: the aggregation is refused for a flat system when the methods are
/// resolved (naming it and what to do), and accepted for the same indicators grouped under
/// two criteria; every other aggregation resolves on the flat system.
#[test]
fn needing_criteria_refuses_a_flat_system() {
    use crate::method::resolve::{Methods, Overrides};
    let indicators = "[[indicators]]\nid = \"a\"\nweight = 0.5\ndirection = \"benefit\"\n\n[[indicators]]\nid = \"b\"\nweight = 0.5\ndirection = \"benefit\"\n";
    let flat = format!("[system]\nid = \"f\"\nname = \"f\"\n\n{indicators}");
    let grouped = "[system]\nid = \"g\"\nname = \"g\"\n\n\
        [[criteria]]\nid = \"c1\"\nweight = 0.5\n\n\
        [[criteria.indicators]]\nid = \"a\"\nweight = 1\ndirection = \"benefit\"\n\n\
        [[criteria]]\nid = \"c2\"\nweight = 0.5\n\n\
        [[criteria.indicators]]\nid = \"b\"\nweight = 1\ndirection = \"benefit\"\n";
    let flat = crate::system::load_str("flat.toml", &flat, None).unwrap();
    let grouped = crate::system::load_str("grouped.toml", grouped, None).unwrap();
    for a in all() {
        let ov = Overrides {
            aggregation: Some(Params::named(a.name())),
            ..Overrides::default()
        };
        let on_flat = Methods::resolve(&flat, &ov);
        if a.capabilities().needs_criteria {
            let e = on_flat.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                e.contains(a.name()) && e.contains("[[criteria]]"),
                "{}: {e:?}",
                a.name()
            );
            assert!(Methods::resolve(&grouped, &ov).is_ok(), "{}", a.name());
        } else {
            assert!(on_flat.is_ok(), "{}: {:?}", a.name(), on_flat.err());
        }
    }
}
