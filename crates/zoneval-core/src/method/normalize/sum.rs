//! Sum normalisation (shares of the column total).

use super::{Normalize, negative_value, oriented, zero_under_cost};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};

/// `sum`: benefit x/Σx, cost (1/x)/Σ(1/x).
#[derive(Debug)]
pub struct Sum;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "sum",
        title: "Sum normalisation (linear, sum-based)",
        title_zh: "比重法（总和标准化）",
        formula: "benefit: r = x/Σx;  cost: r = (1/x)/Σ(1/x)",
        conventions: "Values must be ≥ 0; the cost form needs every value > 0 (a zero is an error \
            naming the zone). An all-zero benefit column gives 0, with a warning.",
        reference: "Jahan & Edwards (2015), 'A state-of-the-art survey on the influence of normalization \
            techniques in ranking', Mater. Des. 65, 335–342, Table 1 (sum-based linear normalisation).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Sum)),
};

impl Normalize for Sum {
    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        let (v, cost) = oriented(x, &spec.direction);
        if let Some((i, &a)) = v.iter().enumerate().find(|(_, a)| **a < 0.0) {
            return Err(negative_value(i, a, "sum"));
        }
        if cost {
            if let Some(i) = v.iter().position(|&a| a == 0.0) {
                return Err(zero_under_cost(i, "sum"));
            }
            let s: f64 = v.iter().map(|a| 1.0 / a).sum();
            out.iter_mut()
                .zip(v.iter())
                .for_each(|(o, &a)| *o = 1.0 / a / s);
        } else {
            let s: f64 = v.iter().sum();
            if s == 0.0 {
                notes.push(super::constant_note(0.0));
                out.fill(0.0);
                return Ok(());
            }
            out.iter_mut().zip(v.iter()).for_each(|(o, &a)| *o = a / s);
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
                return Err(negative_value(i, a, "sum"));
            }
            if cost && let Some(i) = col.iter().position(|&a| a == 0.0) {
                return Err(zero_under_cost(i, "sum"));
            }
        }
        if cost {
            let s: f64 = r.iter().map(|a| 1.0 / a).sum();
            for (o, &a) in out.iter_mut().zip(v.iter()) {
                *o = 1.0 / a / s;
            }
        } else {
            let s: f64 = r.iter().sum();
            if s == 0.0 {
                notes.push(super::constant_note(0.0));
                out.fill(0.0);
                return Ok(());
            }
            for (o, &a) in out.iter_mut().zip(v.iter()) {
                *o = a / s;
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
    fn shares_of_total() {
        assert_close(
            &run(&Sum, &[1.0, 3.0], ColumnSpec::new(Direction::Benefit)),
            &[0.25, 0.75],
            1e-15,
        );
        // 1/1 = 1, 1/3: shares 0.75 and 0.25.
        assert_close(
            &run(&Sum, &[1.0, 3.0], ColumnSpec::new(Direction::Cost)),
            &[0.75, 0.25],
            1e-15,
        );
    }

    #[test]
    fn zero_under_cost_names_the_zone() {
        let mut out = [0.0; 2];
        let e = Sum.apply(
            &[2.0, 0.0],
            &ColumnSpec::new(crate::method::Direction::Cost),
            &mut out,
            &mut Vec::new(),
        );
        assert_eq!(e.unwrap_err().row, Some(1));
    }
}
