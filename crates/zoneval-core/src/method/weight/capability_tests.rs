//! Every registered weighting behaves as its declared capabilities say.

use super::*;
use crate::method::{MethodKind, Params, build, names};

const IDS: [&str; 3] = ["a", "b", "c"];

/// A consistent judgement matrix for weights (4, 2, 1)/7.
fn judgements() -> Vec<Vec<f64>> {
    vec![
        vec![1.0, 2.0, 4.0],
        vec![0.5, 1.0, 2.0],
        vec![0.25, 0.5, 1.0],
    ]
}

fn data(k: usize) -> Matrix {
    [
        Matrix::from_rows(&[
            vec![0.1, 0.5, 0.9],
            vec![0.4, 0.2, 0.8],
            vec![0.9, 0.6, 0.7],
            vec![0.3, 0.9, 0.75],
        ]),
        Matrix::from_rows(&[
            vec![0.2, 0.1, 0.3],
            vec![0.25, 0.9, 0.6],
            vec![0.3, 0.5, 0.1],
            vec![0.8, 0.4, 0.9],
        ]),
    ][k]
        .clone()
}

fn weigh(name: &str, m: &Matrix, tree: &WeightTree) -> Result<Vec<f64>, CellError> {
    let w = build(REGISTRY, MethodKind::Weighting, &Params::named(name)).unwrap();
    let input = testing::input_for(m, m, tree);
    w.weigh(&input, &mut Vec::new()).map(|o| o.weights)
}

/// Subjective weights come from the tree alone: other data, same weights. Data-driven ones
/// change with the data.
#[test]
fn subjective_means_independent_of_the_data() {
    let tree = WeightTree::flat(&IDS, Some(&[0.5, 0.3, 0.2]), Some(judgements()));
    for name in names(REGISTRY) {
        let caps = capabilities(name).unwrap();
        let (a, b) = (
            weigh(name, &data(0), &tree).unwrap(),
            weigh(name, &data(1), &tree).unwrap(),
        );
        if caps.subjective {
            assert_eq!(a, b, "{name} read the data");
        } else {
            assert_ne!(a, b, "{name} ignored the data");
        }
    }
}

/// A weighting that reads written weights follows them (without judgements to stand in); the
/// others ignore them.
#[test]
fn written_weights_are_read_only_where_declared() {
    for name in names(REGISTRY) {
        let caps = capabilities(name).unwrap();
        if caps.written_weights {
            let t1 = WeightTree::flat(&IDS, Some(&[0.5, 0.3, 0.2]), None);
            let t2 = WeightTree::flat(&IDS, Some(&[0.2, 0.3, 0.5]), None);
            assert_ne!(
                weigh(name, &data(0), &t1).unwrap(),
                weigh(name, &data(0), &t2).unwrap(),
                "{name} ignored the written weights"
            );
        } else {
            let t1 = WeightTree::flat(&IDS, Some(&[0.5, 0.3, 0.2]), Some(judgements()));
            let t2 = WeightTree::flat(&IDS, Some(&[0.2, 0.3, 0.5]), Some(judgements()));
            assert_eq!(
                weigh(name, &data(0), &t1).unwrap(),
                weigh(name, &data(0), &t2).unwrap(),
                "{name} read the written weights"
            );
        }
    }
}

/// A weighting that needs judgements fails without any; the others do without.
#[test]
fn judgements_are_needed_only_where_declared() {
    let tree = WeightTree::flat(&IDS, Some(&[0.5, 0.3, 0.2]), None);
    for name in names(REGISTRY) {
        let got = weigh(name, &data(0), &tree);
        assert_eq!(
            got.is_err(),
            capabilities(name).unwrap().judgements,
            "{name}: {got:?}"
        );
    }
    assert_eq!(capabilities("electre"), None);
}
