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

/// The envelopment LP of `dea` built for a general solver (microlp, the crate's benefit-of-the-
/// doubt solver): two LPs per zone, phase two with θ fixed at θ*. An independent computation
/// of the same model, to check the dedicated simplex against.
fn dea_by_general_lp(x: &Matrix, y: &Matrix, o: usize, model: Model, input: bool) -> (f64, f64) {
    use crate::method::aggregate::lp::{Lp, Sense};
    let (n, m, s) = (x.rows(), x.cols(), y.cols());
    let build = |phase2: Option<f64>| {
        let mut lp = Lp::new(!input || phase2.is_some());
        for _ in 0..n {
            lp.var(0.0, 0.0, f64::INFINITY);
        }
        let scale = match phase2 {
            None => lp.var(1.0, f64::NEG_INFINITY, f64::INFINITY),
            Some(v) => lp.var(0.0, v, v),
        };
        let c = if phase2.is_some() { 1.0 } else { 0.0 };
        let sm: Vec<usize> = (0..m).map(|_| lp.var(c, 0.0, f64::INFINITY)).collect();
        let sp: Vec<usize> = (0..s).map(|_| lp.var(c, 0.0, f64::INFINITY)).collect();
        for (i, &si) in sm.iter().enumerate() {
            let mut t: Vec<(usize, f64)> = (0..n).map(|k| (k, x.get(k, i))).collect();
            t.push((si, 1.0));
            if input {
                t.push((scale, -x.get(o, i)));
                lp.constraint(&t, Sense::Eq, 0.0);
            } else {
                lp.constraint(&t, Sense::Eq, x.get(o, i));
            }
        }
        for (r, &sr) in sp.iter().enumerate() {
            let mut t: Vec<(usize, f64)> = (0..n).map(|k| (k, y.get(k, r))).collect();
            t.push((sr, -1.0));
            if input {
                lp.constraint(&t, Sense::Eq, y.get(o, r));
            } else {
                t.push((scale, -y.get(o, r)));
                lp.constraint(&t, Sense::Eq, 0.0);
            }
        }
        if model == Model::Bcc {
            let t: Vec<(usize, f64)> = (0..n).map(|k| (k, 1.0)).collect();
            lp.constraint(&t, Sense::Eq, 1.0);
        }
        lp
    };
    let (score, _) = build(None).solve(o).unwrap();
    let (slacks, _) = build(Some(score)).solve(o).unwrap();
    (score, slacks)
}

/// The dedicated simplex against the general LP solver on pseudo-random data (4 inputs,
/// 3 outputs, 60 zones, every model and orientation): the same θ* (φ*) and the same largest
/// slack sum, to 1e-9; and each solution is feasible (Σλx + s⁻ = θx_o, Σλy − s⁺ = y_o).
#[test]
fn agrees_with_a_general_lp_solver() {
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        0.2 + ((seed >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let n = 60;
    let x = Matrix::from_rows(
        &(0..n)
            .map(|_| (0..4).map(|_| next()).collect())
            .collect::<Vec<_>>(),
    );
    let y = Matrix::from_rows(
        &(0..n)
            .map(|_| (0..3).map(|_| next()).collect())
            .collect::<Vec<_>>(),
    );
    for model in [Model::Ccr, Model::Bcc] {
        for orientation in [Orientation::Input, Orientation::Output] {
            let input = orientation == Orientation::Input;
            for o in 0..n {
                let r = dea(&x, &y, o, model, orientation).unwrap();
                let (score, slacks) = dea_by_general_lp(&x, &y, o, model, input);
                assert!(
                    (r.score - score).abs() < 1e-9,
                    "{model:?} {orientation:?} zone {o}: {} vs {score}",
                    r.score
                );
                let sum: f64 = r.input_slacks.iter().chain(&r.output_slacks).sum();
                assert!(
                    (sum - slacks).abs() < 1e-9,
                    "{model:?} {orientation:?} zone {o}: slacks {sum} vs {slacks}"
                );
                let lam = |k: usize| r.peers.iter().find(|p| p.0 == k).map_or(0.0, |p| p.1);
                for i in 0..4 {
                    let proj: f64 = (0..n).map(|k| lam(k) * x.get(k, i)).sum();
                    assert!((proj - r.input_targets[i]).abs() < 1e-9);
                }
                for j in 0..3 {
                    let proj: f64 = (0..n).map(|k| lam(k) * y.get(k, j)).sum();
                    assert!((proj - r.output_targets[j]).abs() < 1e-9);
                }
                if model == Model::Bcc {
                    assert!((r.peers.iter().map(|p| p.1).sum::<f64>() - 1.0).abs() < 1e-9);
                }
            }
        }
    }
}

/// Cooper, Seiford & Tone (2007), *Data Envelopment Analysis*, 2nd ed., Table 3.5 (hospital
/// example: inputs doctors and nurses, outputs outpatients and inpatients, 12 hospitals A–L)
/// and the CCR efficiencies θ* of its Table 3.7, printed to three decimals (hospitals A, B,
/// D efficient; C 0.883, E 0.763, …).
#[test]
fn cooper_seiford_tone_hospitals() {
    let doctors = [
        20.0, 19.0, 25.0, 27.0, 22.0, 55.0, 33.0, 31.0, 30.0, 50.0, 53.0, 38.0,
    ];
    let nurses = [
        151.0, 131.0, 160.0, 168.0, 158.0, 255.0, 235.0, 206.0, 244.0, 268.0, 306.0, 284.0,
    ];
    let outpatients = [
        100.0, 150.0, 160.0, 180.0, 94.0, 230.0, 220.0, 152.0, 190.0, 250.0, 260.0, 250.0,
    ];
    let inpatients = [
        90.0, 50.0, 55.0, 72.0, 66.0, 90.0, 88.0, 80.0, 100.0, 100.0, 147.0, 120.0,
    ];
    let x = Matrix::from_columns(&[doctors.to_vec(), nurses.to_vec()]);
    let y = Matrix::from_columns(&[outpatients.to_vec(), inpatients.to_vec()]);
    let got = dea_all(&x, &y, Model::Ccr, Orientation::Input).unwrap();
    let theta: Vec<f64> = got.iter().map(|r| r.efficiency).collect();
    let published = [
        1.0, 1.0, 0.883, 1.0, 0.763, 0.835, 0.902, 0.796, 0.960, 0.871, 0.955, 0.958,
    ];
    assert_close(&theta, &published, 5e-4);
    // The general solver gives the same θ* to 1e-9 (the book prints three decimals).
    for o in 0..12 {
        let (score, _) = dea_by_general_lp(&x, &y, o, Model::Ccr, true);
        assert!((theta[o] - score).abs() < 1e-9);
    }
}

/// Screening for the frontier (more than two blocks of zones) changes nothing: 700 zones with
/// 3 inputs and 2 outputs, every model and orientation, give the same θ* (φ*) and the same
/// largest slack sum as each zone solved against all 700 zones, to 1e-9.
#[test]
fn frontier_screening_is_exact() {
    let mut seed = 11u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        0.1 + ((seed >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let n = 700;
    assert!(n > 2 * BLOCK);
    let size: Vec<f64> = (0..n).map(|_| 1.0 + 4.0 * next()).collect();
    let mut cols = |k: usize| -> Matrix {
        Matrix::from_columns(
            &(0..k)
                .map(|_| size.iter().map(|z| z * next()).collect())
                .collect::<Vec<Vec<f64>>>(),
        )
    };
    let (x, y) = (cols(3), cols(2));
    for model in [Model::Ccr, Model::Bcc] {
        for orientation in [Orientation::Input, Orientation::Output] {
            let all = dea_all(&x, &y, model, orientation).unwrap();
            for (o, r) in all.iter().enumerate() {
                let one = dea(&x, &y, o, model, orientation).unwrap();
                assert!(
                    (r.score - one.score).abs() < 1e-9,
                    "{model:?} {orientation:?} zone {o}"
                );
                // Slacks in each column's units, compared relative to its maximum.
                let rel =
                    |d: &DeaResult| -> f64 {
                        let i = d.input_slacks.iter().enumerate().map(|(j, s)| {
                            s / super::super::super::normalize::min_max_of(x.col(j)).1
                        });
                        let o = d.output_slacks.iter().enumerate().map(|(j, s)| {
                            s / super::super::super::normalize::min_max_of(y.col(j)).1
                        });
                        i.chain(o).sum()
                    };
                assert!(
                    (rel(r) - rel(&one)).abs() < 1e-9,
                    "{model:?} {orientation:?} zone {o}: slacks"
                );
            }
        }
    }
}
