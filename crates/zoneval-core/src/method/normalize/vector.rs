//! Vector normalisation (division by the Euclidean norm), TOPSIS's classic normalisation.

use super::{Normalize, oriented};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `vector`: benefit x/√Σx², cost 1 − x/√Σx².
#[derive(Debug)]
pub struct Vector;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "vector",
        title: "Vector normalisation",
        title_zh: "向量归一化",
        formula: "benefit: r = x/√Σx²;  cost: r = 1 − x/√Σx²",
        conventions: "The cost form 1 − x/‖x‖ keeps the distances between zones unchanged, so TOPSIS \
            distances are the classic ones (Hwang & Yoon compute them on x/‖x‖ with the cost ideal \
            at the minimum). An all-zero column gives 0 (benefit) or 1 (cost), with a warning.",
        reference: "Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer, §4.2.4 (TOPSIS, \
            vector normalisation); Jahan & Edwards (2015), Mater. Des. 65, 335–342 (cost form).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Vector)),
};

impl Normalize for Vector {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        // x/‖x‖ = (x·s)/‖x·s‖: with s = 1 normally; when Σx² overflows (|x| ≳ 1e154) or
        // underflows, s = 1/max|x|, rather than dividing by inf (every zone 0) or reporting a
        // non-zero column as all-zero.
        let mut s = 1.0;
        let mut norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if !(norm.is_finite() && norm > 1e-150) {
            let big = v.iter().fold(0.0f64, |m, a| m.max(a.abs()));
            if big > 0.0 && big.is_finite() {
                s = 1.0 / big;
                norm = v.iter().map(|a| (a * s) * (a * s)).sum::<f64>().sqrt();
            }
        }
        if !(norm > 0.0) {
            notes.push(super::constant_note(0.0));
            out.fill(if cost { 1.0 } else { 0.0 });
            return Ok(());
        }
        let inv = 1.0 / norm;
        if s != 1.0 {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &a)| *o = (a * s) * inv);
        } else {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &a)| *o = a * inv);
        }
        if cost {
            out.iter_mut().for_each(|o| *o = 1.0 - *o);
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
        let norm = r.iter().map(|a| a * a).sum::<f64>().sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            notes.push(super::constant_note(0.0));
            out.fill(if cost { 1.0 } else { 0.0 });
            return Ok(());
        }
        for (o, &a) in out.iter_mut().zip(v.iter()) {
            *o = if cost { 1.0 - a / norm } else { a / norm };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Direction;
    use crate::method::normalize::testing::{assert_close, run};

    /// 3-4-5 triangle: ‖(3, 4)‖ = 5.
    #[test]
    fn divides_by_euclidean_norm() {
        assert_close(
            &run(&Vector, &[3.0, 4.0], ColumnSpec::new(Direction::Benefit)),
            &[0.6, 0.8],
            1e-15,
        );
        assert_close(
            &run(&Vector, &[3.0, 4.0], ColumnSpec::new(Direction::Cost)),
            &[0.4, 0.2],
            1e-15,
        );
    }

    /// Σx² overflows for 3e200 and 4e200 (and underflows for 3e-200, 4e-200); the scaled norm
    /// still gives the 3-4-5 shares.
    #[test]
    fn extreme_magnitudes_do_not_overflow() {
        for s in [1e200, 1e-200, 1e307] {
            assert_close(
                &run(
                    &Vector,
                    &[3.0 * s, 4.0 * s],
                    ColumnSpec::new(Direction::Benefit),
                ),
                &[0.6, 0.8],
                1e-15,
            );
        }
    }
}
