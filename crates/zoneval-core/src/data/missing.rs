//! Filling missing cells: mean, median, group mean or zero.
//!
//! Each fill is computed from the observed values of the same indicator among the zones
//! being evaluated (one year). Group mean falls back to the overall mean when the zone's
//! group has no observed value, and says so.

/// How a cell was filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Mean of observed values.
    Mean,
    /// Median of observed values.
    Median,
    /// Mean of the zone's group.
    GroupMean,
    /// Overall mean because the group had no observed value.
    GroupMeanFallback,
    /// Zero.
    Zero,
}

impl Fill {
    /// Keyword for reports.
    pub fn keyword(self) -> &'static str {
        match self {
            Fill::Mean => "mean",
            Fill::Median => "median",
            Fill::GroupMean => "group-mean",
            Fill::GroupMeanFallback => "group-mean (overall mean: group empty)",
            Fill::Zero => "zero",
        }
    }
}

/// Mean of the non-NaN values (None when there are none).
pub fn mean(x: &[f64]) -> Option<f64> {
    let (s, n) = x
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| s / n as f64)
}

/// Median of the non-NaN values (None when there are none); the mean of the two middle
/// values for an even count.
pub fn median(x: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Fills the NaN cells of `x` (only where `fillable[i]`), returning (row, value, how) for each.
/// `groups` gives each row's group for group means. Returns None when a fill is impossible
/// (no observed value at all).
pub fn fill(
    x: &mut [f64],
    fillable: &[bool],
    kind: Fill,
    groups: Option<&[String]>,
) -> Option<Vec<(usize, f64, Fill)>> {
    let observed: Vec<f64> = x
        .iter()
        .zip(fillable)
        .filter(|(_, f)| **f)
        .map(|(v, _)| *v)
        .collect();
    let overall = match kind {
        Fill::Median => median(&observed),
        Fill::Zero => Some(0.0),
        _ => mean(&observed),
    };
    let mut out = Vec::new();
    for i in 0..x.len() {
        if !(x[i].is_nan() && fillable[i]) {
            continue;
        }
        let (v, how) = match (kind, groups) {
            (Fill::GroupMean, Some(g)) => {
                let in_group: Vec<f64> = (0..x.len())
                    .filter(|&k| fillable[k] && g[k] == g[i])
                    .map(|k| x[k])
                    .collect();
                match mean(&in_group) {
                    Some(m) => (m, Fill::GroupMean),
                    None => (overall?, Fill::GroupMeanFallback),
                }
            }
            _ => (overall?, kind),
        };
        out.push((i, v, how));
    }
    for &(i, v, _) in &out {
        x[i] = v;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_median_zero() {
        let nan = f64::NAN;
        let all = [true; 4];
        let mut x = [1.0, nan, 3.0, 10.0];
        let f = fill(&mut x, &all, Fill::Mean, None).unwrap();
        assert_eq!(f, vec![(1, 14.0 / 3.0, Fill::Mean)]);
        let mut x = [1.0, nan, 3.0, 10.0];
        fill(&mut x, &all, Fill::Median, None).unwrap();
        assert_eq!(x[1], 3.0);
        let mut x = [1.0, nan, 3.0, 10.0];
        fill(&mut x, &all, Fill::Zero, None).unwrap();
        assert_eq!(x[1], 0.0);
        let mut x = [nan, nan];
        assert!(fill(&mut x, &[true; 2], Fill::Mean, None).is_none());
    }

    #[test]
    fn group_mean_uses_the_zone_group_then_falls_back() {
        let nan = f64::NAN;
        let g: Vec<String> = ["a", "a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let mut x = [2.0, nan, 8.0, nan];
        let f = fill(&mut x, &[true; 4], Fill::GroupMean, Some(&g)).unwrap();
        assert_eq!(f[0], (1, 2.0, Fill::GroupMean));
        assert_eq!(f[1], (3, 5.0, Fill::GroupMeanFallback));
    }

    #[test]
    fn even_median_averages_middle_values() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
