//! Z-score standardisation.

use super::{Normalize, constant_note, oriented};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `z-score`: (x − mean)/sd, negated for cost.
#[derive(Debug)]
pub struct ZScore;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "z-score",
        title: "Z-score standardisation",
        title_zh: "Z-score 标准化",
        formula: "benefit: r = (x − x̄)/s;  cost: r = −(x − x̄)/s;  s = sample standard deviation (n − 1)",
        conventions: "Sample standard deviation (divisor n − 1), as R's scale() and COINr. Values are \
            unbounded, so display scores of a weighted sum are rescaled min–max across zones. A \
            constant column gives 0, with a warning.",
        reference: "OECD/JRC (2008), Handbook on Constructing Composite Indicators, §5 (standardisation).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(ZScore)),
};

impl Normalize for ZScore {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        let n = v.len() as f64;
        // (x − mean)/sd is unchanged by scaling x: with s = 1 normally; when the sums overflow
        // (|x| ≳ 1e154) or the squares underflow, s = 1/max|x|, rather than giving every zone
        // 0 or calling a varying column constant.
        let moments = |s: f64| {
            let mean = v.iter().map(|a| a * s).sum::<f64>() / n;
            let ss: f64 = v.iter().map(|a| (a * s - mean) * (a * s - mean)).sum();
            let sd = if v.len() > 1 {
                (ss / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            (mean, sd)
        };
        let mut s = 1.0;
        let (mut mean, mut sd) = moments(s);
        if !(mean.is_finite() && sd.is_finite() && sd > 1e-150) {
            let big = v.iter().fold(0.0f64, |m, a| m.max(a.abs()));
            if big > 0.0 && big.is_finite() {
                s = 1.0 / big;
                (mean, sd) = moments(s);
            }
        }
        if !(sd > 0.0) {
            notes.push(constant_note(x.first().copied().unwrap_or(0.0)));
            out.fill(0.0);
            return Ok(());
        }
        let sign = if cost { -1.0 } else { 1.0 } / sd;
        if s != 1.0 {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &a)| *o = (a * s - mean) * sign);
        } else {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &a)| *o = (a - mean) * sign);
        }
        Ok(())
    }

    fn takes_reference(&self) -> bool {
        true
    }

    fn apply_with_reference(
        &self,
        reference: &[f64],
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (r, _) = oriented(reference, &spec.direction);
        let (v, cost) = oriented(x, &spec.direction);
        let n = r.len() as f64;
        let mean = r.iter().sum::<f64>() / n;
        let ss: f64 = r.iter().map(|a| (a - mean) * (a - mean)).sum();
        let sd = if r.len() > 1 {
            (ss / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        if !(sd > 0.0 && sd.is_finite()) {
            notes.push(constant_note(reference.first().copied().unwrap_or(0.0)));
            out.fill(0.0);
            return Ok(());
        }
        let sign = if cost { -1.0 } else { 1.0 } / sd;
        for (o, &a) in out.iter_mut().zip(v.iter()) {
            *o = (a - mean) * sign;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Direction;
    use crate::method::normalize::testing::{assert_close, run};

    /// (2, 4, 6) × 1e200 and × 1e-200: the sums overflow or the squares underflow; the
    /// scaled moments still give −1, 0, 1.
    #[test]
    fn extreme_magnitudes_do_not_overflow() {
        for k in [1e200, 1e-200, 1e300] {
            assert_close(
                &run(
                    &ZScore,
                    &[2.0 * k, 4.0 * k, 6.0 * k],
                    ColumnSpec::new(Direction::Benefit),
                ),
                &[-1.0, 0.0, 1.0],
                1e-14,
            );
        }
    }

    /// x = (2, 4, 6): mean 4, sample sd 2.
    #[test]
    fn standardises_with_sample_sd() {
        assert_close(
            &run(
                &ZScore,
                &[2.0, 4.0, 6.0],
                ColumnSpec::new(Direction::Benefit),
            ),
            &[-1.0, 0.0, 1.0],
            1e-15,
        );
        assert_close(
            &run(&ZScore, &[2.0, 4.0, 6.0], ColumnSpec::new(Direction::Cost)),
            &[1.0, 0.0, -1.0],
            1e-15,
        );
        assert_close(
            &run(&ZScore, &[3.0; 4], ColumnSpec::new(Direction::Benefit)),
            &[0.0; 4],
            0.0,
        );
    }
}
