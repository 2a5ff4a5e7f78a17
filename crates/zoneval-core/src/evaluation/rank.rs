//! Competition ranks with explicit ties.
//!
//! Rank 1 is best. Tied values share the smallest rank of their group and the next value
//! skips ("1, 2, 2, 4"). Two values count as tied when they differ by at most 1e-12 × the
//! largest magnitude among all values (so rounding noise in the last bits never breaks a
//! tie); a tie group is anchored at its first (best) value, so ties do not chain.

/// Relative tolerance for ties.
pub const TIE_TOLERANCE: f64 = 1e-12;

/// Competition ranks of `values` (1 = best). `higher_is_better` says which way to sort.
/// Equal-valued zones keep their input order in [`order`].
pub fn competition_ranks(values: &[f64], higher_is_better: bool) -> Vec<usize> {
    competition_ranks_and_order(values, higher_is_better).0
}

/// Competition ranks and the order (best first, ties in input order) they came from.
pub fn competition_ranks_and_order(
    values: &[f64],
    higher_is_better: bool,
) -> (Vec<usize>, Vec<usize>) {
    let ord = order(values, higher_is_better);
    let scale = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let tol = TIE_TOLERANCE * scale;
    let mut ranks = vec![0; values.len()];
    let mut k = 0;
    while k < ord.len() {
        let anchor = values[ord[k]];
        let mut e = k;
        while e + 1 < ord.len() && (values[ord[e + 1]] - anchor).abs() <= tol {
            e += 1;
        }
        for &i in &ord[k..=e] {
            ranks[i] = k + 1;
        }
        k = e + 1;
    }
    (ranks, ord)
}

/// Indices of `values` from best to worst; equal values keep their input order (stable).
pub fn order(values: &[f64], higher_is_better: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| {
        let o = values[a].total_cmp(&values[b]);
        if higher_is_better { o.reverse() } else { o }
    });
    idx
}

/// Ordinal ranks (1..=n, ties broken by input order), as used by sensitivity analyses.
pub fn ordinal_ranks(values: &[f64], higher_is_better: bool) -> Vec<usize> {
    let mut ranks = vec![0; values.len()];
    for (r, i) in order(values, higher_is_better).into_iter().enumerate() {
        ranks[i] = r + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_minimum_rank() {
        assert_eq!(
            competition_ranks(&[0.5, 0.9, 0.5, 0.1], true),
            vec![2, 1, 2, 4]
        );
        assert_eq!(
            competition_ranks(&[0.5, 0.9, 0.5, 0.1], false),
            vec![2, 4, 2, 1]
        );
        assert_eq!(ordinal_ranks(&[0.5, 0.9, 0.5, 0.1], true), vec![2, 1, 3, 4]);
    }

    #[test]
    fn rounding_noise_counts_as_tie() {
        let a = 0.1 + 0.2;
        assert_eq!(competition_ranks(&[a, 0.3, 0.2], true), vec![1, 1, 3]);
        // A real difference of 1e-9 is not a tie.
        assert_eq!(competition_ranks(&[0.3 + 1e-9, 0.3], true), vec![1, 2]);
    }

    #[test]
    fn empty_and_single() {
        assert!(competition_ranks(&[], true).is_empty());
        assert_eq!(competition_ranks(&[0.0], true), vec![1]);
    }
}
