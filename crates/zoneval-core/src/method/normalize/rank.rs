//! Rank normalisation: position among the zones, rescaled to [0, 1].

use super::{Normalize, oriented};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `rank`: (R − 1)/(m − 1), R the ascending rank of the benefit-oriented value, ties averaged.
#[derive(Debug)]
pub struct Rank;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "rank",
        title: "Rank normalisation",
        title_zh: "秩次标准化",
        formula: "r = (R − 1)/(m − 1), R = rank of the value from worst (1) to best (m), ties get the \
            mean of their ranks",
        conventions: "Robust to outliers; discards the size of differences. Tied values (exactly equal) \
            get the average rank. A single zone, or a constant column, gives 1.",
        reference: "OECD/JRC (2008), Handbook on Constructing Composite Indicators, §5 (ranking).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Rank)),
};

impl Normalize for Rank {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        _notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        let m = v.len();
        if m < 2 {
            out.fill(1.0);
            return Ok(());
        }
        let mut idx: Vec<usize> = (0..m).collect();
        // Worst first: ascending for benefit, descending for cost.
        idx.sort_by(|&a, &b| {
            let o = v[a].total_cmp(&v[b]);
            if cost { o.reverse() } else { o }
        });
        let mut k = 0;
        while k < m {
            let mut e = k;
            while e + 1 < m && v[idx[e + 1]] == v[idx[k]] {
                e += 1;
            }
            // Ranks k+1..=e+1 share their mean.
            let r = (k + e) as f64 / 2.0 + 1.0;
            for &i in &idx[k..=e] {
                out[i] = (r - 1.0) / (m - 1) as f64;
            }
            k = e + 1;
        }
        if v.iter().all(|a| *a == v[0]) {
            out.fill(1.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Direction;
    use crate::method::normalize::testing::{assert_close, run};

    #[test]
    fn ranks_with_averaged_ties() {
        // 10 < 20 = 20 < 40: ranks 1, 2.5, 2.5, 4 → 0, 0.5, 0.5, 1.
        let got = run(
            &Rank,
            &[20.0, 10.0, 40.0, 20.0],
            ColumnSpec::new(Direction::Benefit),
        );
        assert_close(&got, &[0.5, 0.0, 1.0, 0.5], 1e-15);
        let got = run(
            &Rank,
            &[20.0, 10.0, 40.0, 20.0],
            ColumnSpec::new(Direction::Cost),
        );
        assert_close(&got, &[0.5, 1.0, 0.0, 0.5], 1e-15);
    }
}
