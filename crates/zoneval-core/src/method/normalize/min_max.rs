//! Min–max normalisation: the linear rescaling onto [0, 1].

use super::{Normalize, constant_note, min_max_of, oriented};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `min-max`: benefit (x − min)/(max − min), cost (max − x)/(max − min).
#[derive(Debug)]
pub struct MinMax;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "min-max",
        title: "Min–max (linear scale transformation)",
        title_zh: "极差标准化（极值法）",
        formula: "benefit: r = (x − min)/(max − min);  cost: r = (max − x)/(max − min)",
        conventions: "Target and range indicators are normalised on their deviation as a cost. \
            A constant column gives every zone 1, with a warning.",
        reference: "OECD/JRC (2008), Handbook on Constructing Composite Indicators, §5 \
            (min-max); Hwang & Yoon (1981) 'linear scale transformation (max-min)'.",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(MinMax)),
};

impl Normalize for MinMax {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        let (lo, hi) = min_max_of(&v);
        let range = hi - lo;
        if !(range > 0.0) {
            notes.push(constant_note(x.first().copied().unwrap_or(0.0)));
            out.fill(1.0);
            return Ok(());
        }
        let inv = 1.0 / range;
        if cost {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &x)| *o = (hi - x) * inv);
        } else {
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &x)| *o = (x - lo) * inv);
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
        let (lo, hi) = min_max_of(&r);
        let range = hi - lo;
        if !(range > 0.0) {
            notes.push(constant_note(reference.first().copied().unwrap_or(0.0)));
            out.fill(1.0);
            return Ok(());
        }
        for (o, &a) in out.iter_mut().zip(v.iter()) {
            *o = if cost {
                (hi - a) / range
            } else {
                (a - lo) / range
            };
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
    fn benefit_cost_and_target() {
        let x = [2.0, 4.0, 10.0];
        assert_close(
            &run(&MinMax, &x, ColumnSpec::new(Direction::Benefit)),
            &[0.0, 0.25, 1.0],
            1e-15,
        );
        assert_close(
            &run(&MinMax, &x, ColumnSpec::new(Direction::Cost)),
            &[1.0, 0.75, 0.0],
            1e-15,
        );
        // Deviations from 4 are 2, 0, 6 → (6 − d)/6.
        assert_close(
            &run(&MinMax, &x, ColumnSpec::new(Direction::Target(4.0))),
            &[2.0 / 3.0, 1.0, 0.0],
            1e-15,
        );
    }

    #[test]
    fn constant_column_gives_one_with_warning() {
        let mut out = [0.0; 3];
        let mut notes = Vec::new();
        MinMax
            .apply(
                &[5.0; 3],
                &ColumnSpec::new(Direction::Benefit),
                &mut out,
                &mut notes,
            )
            .unwrap();
        assert_eq!(out, [1.0; 3]);
        assert_eq!(notes.len(), 1);
    }
}
