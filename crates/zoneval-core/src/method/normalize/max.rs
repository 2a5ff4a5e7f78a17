//! Max normalisation (linear scale transformation, max method).

use super::{Normalize, min_max_of, negative_value, oriented, zero_under_cost};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `max`: benefit x/max, cost min/x.
#[derive(Debug)]
pub struct Max;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "max",
        title: "Max normalisation (linear scale transformation, max method)",
        title_zh: "极大值标准化（线性比例法）",
        formula: "benefit: r = x/max;  cost: r = min/x",
        conventions: "Values must be ≥ 0; the cost form needs every value > 0 (a zero is an error \
            naming the zone). An all-zero benefit column gives 0, with a warning.",
        reference: "Hwang & Yoon (1981), Multiple Attribute Decision Making, §2.2.2 (linear scale \
            transformation); Jahan & Edwards (2015), Mater. Des. 65, Table 1.",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Max)),
};

impl Normalize for Max {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        if let Some((i, &a)) = v.iter().enumerate().find(|(_, a)| **a < 0.0) {
            return Err(negative_value(i, a, "max"));
        }
        let (lo, hi) = min_max_of(&v);
        if cost {
            if let Some(i) = v.iter().position(|&a| a == 0.0) {
                return Err(zero_under_cost(i, "max"));
            }
            out.iter_mut().zip(v.iter()).for_each(|(o, &a)| *o = lo / a);
        } else {
            if hi == 0.0 {
                notes.push(super::constant_note(0.0));
                out.fill(0.0);
                return Ok(());
            }
            out.iter_mut().zip(v.iter()).for_each(|(o, &a)| *o = a / hi);
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
        for col in [&v, &r] {
            if let Some((i, &a)) = col.iter().enumerate().find(|(_, a)| **a < 0.0) {
                return Err(negative_value(i, a, "max"));
            }
            if cost && let Some(i) = col.iter().position(|&a| a == 0.0) {
                return Err(zero_under_cost(i, "max"));
            }
        }
        let (lo, hi) = min_max_of(&r);
        if cost {
            for (o, &a) in out.iter_mut().zip(v.iter()) {
                *o = lo / a;
            }
        } else {
            if hi == 0.0 {
                notes.push(super::constant_note(0.0));
                out.fill(0.0);
                return Ok(());
            }
            for (o, &a) in out.iter_mut().zip(v.iter()) {
                *o = a / hi;
            }
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
    fn ratios_to_the_best() {
        assert_close(
            &run(&Max, &[2.0, 4.0, 8.0], ColumnSpec::new(Direction::Benefit)),
            &[0.25, 0.5, 1.0],
            1e-15,
        );
        assert_close(
            &run(&Max, &[2.0, 4.0, 8.0], ColumnSpec::new(Direction::Cost)),
            &[1.0, 0.5, 0.25],
            1e-15,
        );
    }
}
