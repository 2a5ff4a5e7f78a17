//! Target normalisation: closeness to a target value (or interval).

use super::{Normalize, constant_note, oriented};
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Direction, Entry, MethodInfo};
use crate::text;

/// `target`: 1 − |x − t| / max|x − t|.
#[derive(Debug)]
pub struct Target;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "target",
        title: "Target-based normalisation",
        title_zh: "适度型（目标值）标准化",
        formula: "r = 1 − |x − t| / max_k |x_k − t|   (range [a, b]: distance to the interval instead)",
        conventions: "Needs direction = \"target\" (with `target = t`) or \"range\". If every zone is \
            on target the column gives 1, with a warning.",
        reference: "Jahan & Edwards (2015), Mater. Des. 65, 335–342, Table 1 (target-based \
            normalisation); OECD/JRC (2008) Handbook §5 (distance to a reference).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Target)),
};

impl Normalize for Target {
    fn check(&self, spec: &ColumnSpec) -> Result<(), Text> {
        match spec.direction {
            Direction::Target(_) | Direction::Range(..) => Ok(()),
            _ => Err(text!(
                "normalization `target` needs direction \"target\" or \"range\"",
                "`target` 标准化要求指标方向为 target 或 range"
            )),
        }
    }

    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        self.check(spec).map_err(CellError::general)?;
        let (d, _) = oriented(x, &spec.direction);
        let worst = d.iter().copied().fold(0.0, f64::max);
        if !(worst > 0.0) {
            notes.push(constant_note(0.0));
            out.fill(1.0);
            return Ok(());
        }
        out.iter_mut()
            .zip(d.iter())
            .for_each(|(o, &a)| *o = 1.0 - a / worst);
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
        self.check(spec).map_err(CellError::general)?;
        let (r, _) = oriented(reference, &spec.direction);
        let (d, _) = oriented(x, &spec.direction);
        let worst = r.iter().copied().fold(0.0, f64::max);
        if !(worst > 0.0) {
            notes.push(constant_note(0.0));
            out.fill(1.0);
            return Ok(());
        }
        for (o, &a) in out.iter_mut().zip(d.iter()) {
            *o = 1.0 - a / worst;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::normalize::testing::{assert_close, run};

    #[test]
    fn distance_to_target_over_worst() {
        // Deviations from 5: 3, 1, 0, 6 → 1 − d/6.
        let got = run(
            &Target,
            &[2.0, 4.0, 5.0, 11.0],
            ColumnSpec::new(Direction::Target(5.0)),
        );
        assert_close(&got, &[0.5, 5.0 / 6.0, 1.0, 0.0], 1e-15);
        // Range [4, 6]: deviations 2, 0, 0, 5.
        let got = run(
            &Target,
            &[2.0, 4.0, 5.0, 11.0],
            ColumnSpec::new(Direction::Range(4.0, 6.0)),
        );
        assert_close(&got, &[0.6, 1.0, 1.0, 0.0], 1e-15);
        assert!(Target.check(&ColumnSpec::new(Direction::Benefit)).is_err());
    }
}
