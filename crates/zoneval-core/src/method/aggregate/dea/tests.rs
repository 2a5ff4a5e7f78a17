//! DEA against closed forms and hand solutions: one-input CCR ratios, a two-input frontier by
//! vertex enumeration of the multiplier form, one-input BCC, phase-two slacks, units.

use super::*;
use crate::method::aggregate::testing::{assert_close, run, try_run};

fn eff(x: &Matrix, y: &Matrix, model: Model, orientation: Orientation) -> Vec<f64> {
    (0..x.rows())
        .map(|o| dea(x, y, o, model, orientation).unwrap().efficiency)
        .collect()
}

fn col(v: &[f64]) -> Matrix {
    Matrix::from_columns(&[v.to_vec()])
}

/// One input, one output, constant returns: θ = (y/x) / max_k(y/x), in both orientations.
/// Ratios 0.5, 0.75, 0.4, 0.6 → 2/3, 1, 8/15, 0.8.
#[test]
fn ccr_single_ratio_closed_form() {
    let (x, y) = (col(&[2.0, 4.0, 5.0, 10.0]), col(&[1.0, 3.0, 2.0, 6.0]));
    let want = [2.0 / 3.0, 1.0, 8.0 / 15.0, 0.8];
    assert_close(&eff(&x, &y, Model::Ccr, Orientation::Input), &want, 1e-9);
    assert_close(&eff(&x, &y, Model::Ccr, Orientation::Output), &want, 1e-9);
    // Zone 0's peer is zone 1 (the only efficient one): λ = y_0/y_1 = 1/3.
    let r = dea(&x, &y, 0, Model::Ccr, Orientation::Input).unwrap();
    assert_eq!(r.peers.len(), 1);
    assert_eq!(r.peers[0].0, 1);
    assert!((r.peers[0].1 - 1.0 / 3.0).abs() < 1e-9);
    assert_close(&r.input_targets, &[4.0 / 3.0], 1e-9);
}

/// Two inputs and a unit output under constant returns, checked against the multiplier
/// form solved independently: with v = (t/x1_o, (1 − t)/x2_o), θ_o = max over t ∈ [0, 1]
/// of min_k (t x1_k/x1_o + (1 − t) x2_k/x2_o), a concave piecewise-linear function whose
/// maximum is at t = 0, t = 1 or where two of its lines cross — all enumerated here.
#[test]
fn ccr_two_inputs_against_vertex_enumeration() {
    let x1 = [4.0, 7.0, 8.0, 4.0, 2.0, 10.0, 3.0, 6.0];
    let x2 = [3.0, 3.0, 1.0, 2.0, 4.0, 1.0, 7.0, 5.0];
    let n = x1.len();
    let x = Matrix::from_columns(&[x1.to_vec(), x2.to_vec()]);
    let y = col(&vec![1.0; n]);
    let got = eff(&x, &y, Model::Ccr, Orientation::Input);
    for o in 0..n {
        let line = |k: usize| (x1[k] / x1[o], x2[k] / x2[o]); // value = t·a + (1 − t)·b
        let f = |t: f64| {
            (0..n)
                .map(|k| {
                    let (a, b) = line(k);
                    t * a + (1.0 - t) * b
                })
                .fold(f64::INFINITY, f64::min)
        };
        let mut ts = vec![0.0, 1.0];
        for k in 0..n {
            for l in k + 1..n {
                let ((a1, b1), (a2, b2)) = (line(k), line(l));
                let den = (a1 - b1) - (a2 - b2);
                if den != 0.0 {
                    let t = (b2 - b1) / den;
                    if (0.0..=1.0).contains(&t) {
                        ts.push(t);
                    }
                }
            }
        }
        let want = ts.into_iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (got[o] - want).abs() < 1e-9,
            "zone {o}: {} vs {want}",
            got[o]
        );
    }
    // Zones 2, 3 and 4 (C, D, E) span the frontier.
    for o in [2, 3, 4] {
        assert!((got[o] - 1.0).abs() < 1e-9);
    }
}

/// One input and one output under variable returns, input orientation, against the
/// envelopment LP solved by hand: with one equality (Σλ = 1) and one output row, a basic
/// solution has at most two positive λ, so x*(y_o) = min over single zones with y_k ≥ y_o
/// of x_k and over pairs y_k < y_o < y_l of the interpolated input; θ = x*/x_o.
#[test]
fn bcc_single_input_against_hand_solution() {
    let xs = [2.0, 3.0, 6.0, 9.0, 5.0, 4.0];
    let ys = [1.0, 3.0, 5.0, 6.0, 3.0, 4.0];
    let got = eff(&col(&xs), &col(&ys), Model::Bcc, Orientation::Input);
    for o in 0..xs.len() {
        let yo = ys[o];
        let mut best = f64::INFINITY;
        for k in 0..xs.len() {
            if ys[k] >= yo {
                best = best.min(xs[k]);
            }
            for l in 0..xs.len() {
                if ys[k] < yo && yo < ys[l] {
                    let a = (ys[l] - yo) / (ys[l] - ys[k]);
                    best = best.min(a * xs[k] + (1.0 - a) * xs[l]);
                }
            }
        }
        assert!((got[o] - best / xs[o]).abs() < 1e-9, "zone {o}");
    }
    // BCC is never below CCR.
    let ccr = eff(&col(&xs), &col(&ys), Model::Ccr, Orientation::Input);
    assert!(got.iter().zip(&ccr).all(|(b, c)| b + 1e-12 >= *c));
}

/// Phase 2 finds the slack of a weakly efficient zone: against (1, 1), zone (2, 2) has
/// θ = ½, and zone (1, 3) has θ = 1 (no radial contraction is possible) but an input-2
/// slack of 2, so its target is (1, 1).
#[test]
fn phase_two_slacks() {
    let x = Matrix::from_rows(&[vec![1.0, 1.0], vec![2.0, 2.0], vec![1.0, 3.0]]);
    let y = col(&[1.0, 1.0, 1.0]);
    let r = dea(&x, &y, 2, Model::Ccr, Orientation::Input).unwrap();
    assert!((r.efficiency - 1.0).abs() < 1e-9);
    assert_close(&r.input_slacks, &[0.0, 2.0], 1e-9);
    assert_close(&r.input_targets, &[1.0, 1.0], 1e-9);
    let r = dea(&x, &y, 1, Model::Ccr, Orientation::Input).unwrap();
    assert!((r.efficiency - 0.5).abs() < 1e-9);
}

/// Through the aggregation: cost columns are inputs; scaling an input column leaves the
/// efficiencies unchanged; a zero value is an error at its cell.
#[test]
fn aggregation_scaling_and_bad_values() {
    let dea = Dea {
        model: Model::Ccr,
        orientation: Orientation::Input,
    };
    let rows = vec![
        vec![2.0, 1.0, 3.0],
        vec![4.0, 3.0, 2.0],
        vec![5.0, 2.0, 4.0],
        vec![10.0, 6.0, 5.0],
    ];
    let cost = [true, false, true];
    let a = run(&dea, &rows, &cost, &[0.3, 0.4, 0.3], Some("none"));
    let scaled: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| vec![r[0] * 1000.0, r[1], r[2]])
        .collect();
    let b = run(&dea, &scaled, &cost, &[0.3, 0.4, 0.3], Some("none"));
    assert_close(&a.value, &b.value, 1e-9);
    assert!(a.value.iter().any(|v| (v - 1.0).abs() < 1e-9));
    let mut bad = rows.clone();
    bad[2][1] = 0.0;
    let (e, _) = try_run(&dea, &bad, &cost, &[0.3, 0.4, 0.3]);
    let e = e.unwrap_err();
    assert_eq!((e.row, e.col), (Some(2), Some(1)));
}
