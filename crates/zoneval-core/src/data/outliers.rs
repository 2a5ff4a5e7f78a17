//! Opt-in outlier treatment: winsorisation driven by skewness and kurtosis, or a log
//! transform — the rule of the JRC/OECD composite-indicator practice as implemented in
//! COINr's `qTreat` (treat when |skewness| > 2 and kurtosis > 3.5; winsorise up to a few
//! points; if that does not bring the column within bounds, log-transform instead).

/// Sample skewness g1 = m3 / m2^{3/2} (moments with divisor n).
pub fn skewness(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let m2 = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n;
    let m3 = x.iter().map(|v| (v - m).powi(3)).sum::<f64>() / n;
    if m2 > 0.0 { m3 / m2.powf(1.5) } else { 0.0 }
}

/// Excess kurtosis g2 = m4 / m2² − 3 (moments with divisor n).
pub fn kurtosis(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let m2 = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n;
    let m4 = x.iter().map(|v| (v - m).powi(4)).sum::<f64>() / n;
    if m2 > 0.0 { m4 / (m2 * m2) - 3.0 } else { 0.0 }
}

/// One changed value.
#[derive(Clone, Debug, PartialEq)]
pub struct Treated {
    /// Row.
    pub row: usize,
    /// Value before.
    pub from: f64,
    /// Value after.
    pub to: f64,
}

/// The outcome of treating one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Within bounds; nothing changed.
    Untouched,
    /// Winsorised these values.
    Winsorized(Vec<Treated>),
    /// Log-transformed the whole column (every value changed).
    Logged(Vec<Treated>),
}

/// ln(x − min + 1) for every value: keeps order, compresses the upper tail, defined for any
/// sign.
pub fn log_transform(x: &mut [f64]) -> Vec<Treated> {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    x.iter_mut()
        .enumerate()
        .map(|(row, v)| {
            let from = *v;
            *v = (from - lo + 1.0).ln();
            Treated { row, from, to: *v }
        })
        .collect()
}

/// Treats column `x` when |skewness| > `skew` and kurtosis > `kurt`: winsorises the most
/// extreme value (high tail when skewed right, low tail when skewed left) to the next value,
/// up to `max_points` times; if still out of bounds, restores and log-transforms instead.
pub fn winsorize(x: &mut [f64], max_points: usize, skew: f64, kurt: f64) -> Outcome {
    let out_of_bounds = |x: &[f64]| skewness(x).abs() > skew && kurtosis(x) > kurt;
    if x.len() < 3 || !out_of_bounds(x) {
        return Outcome::Untouched;
    }
    let original = x.to_vec();
    let mut changed: Vec<Treated> = Vec::new();
    for _ in 0..max_points {
        let right = skewness(x) > 0.0;
        let mut idx: Vec<usize> = (0..x.len()).collect();
        idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        if !right {
            idx.reverse();
        }
        // The extreme value(s) take the value of the next one inward.
        let n = idx.len();
        let extreme = x[idx[n - 1]];
        let Some(&next_i) = idx.iter().rev().find(|&&i| x[i] != extreme) else {
            break;
        };
        let next = x[next_i];
        for &i in &idx {
            if x[i] == extreme {
                x[i] = next;
                match changed.iter_mut().find(|t| t.row == i) {
                    Some(t) => t.to = next,
                    None => changed.push(Treated {
                        row: i,
                        from: original[i],
                        to: next,
                    }),
                }
            }
        }
        if !out_of_bounds(x) {
            changed.sort_by_key(|t| t.row);
            return Outcome::Winsorized(changed);
        }
    }
    x.copy_from_slice(&original);
    Outcome::Logged(log_transform(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moments checked by hand: x = (1, 2, 3, 4, 10): mean 4, m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5.
    #[test]
    fn moments_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((skewness(&x) - 36.0 / 10f64.powf(1.5)).abs() < 1e-12);
        assert!((kurtosis(&x) - (278.8 / 100.0 - 3.0)).abs() < 1e-12);
    }

    #[test]
    fn winsorizes_a_single_spike() {
        let mut x: Vec<f64> = (1..=20).map(f64::from).collect();
        x.push(1000.0);
        match winsorize(&mut x, 5, 2.0, 3.5) {
            Outcome::Winsorized(t) => {
                assert_eq!(
                    t,
                    vec![Treated {
                        row: 20,
                        from: 1000.0,
                        to: 20.0
                    }]
                );
                assert_eq!(x[20], 20.0);
            }
            other => panic!("expected winsorisation, got {other:?}"),
        }
    }

    #[test]
    fn symmetric_column_is_untouched() {
        let mut x: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(winsorize(&mut x, 5, 2.0, 3.5), Outcome::Untouched);
    }

    #[test]
    fn heavy_tail_falls_back_to_log() {
        // Six huge values: five winsorisation steps cannot tame them.
        let mut x: Vec<f64> = (1..=30).map(f64::from).collect();
        x.extend([1e4, 2e4, 4e4, 8e4, 1.6e5, 3.2e5]);
        match winsorize(&mut x, 1, 2.0, 3.5) {
            Outcome::Logged(t) => assert_eq!(t.len(), 36),
            other => panic!("expected log, got {other:?}"),
        }
        assert!((x[0] - 1f64.ln()).abs() < 1e-15);
    }
}
