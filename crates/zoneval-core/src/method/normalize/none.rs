//! No normalisation: the raw values as they are, for methods that must see the original
//! magnitudes (DEA's inputs and outputs, benefit of the doubt on data already on one scale).

use super::Normalize;
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Entry, MethodInfo};
use crate::text;

/// `none`: r = x.
#[derive(Debug)]
pub struct NoNormalization;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "none",
        title: "No normalisation (raw values)",
        title_zh: "不标准化（原始值）",
        formula: "r = x",
        conventions: "Raw values unchanged, whatever the direction: the aggregation must know \
            which indicators are costs (DEA treats them as inputs). Values must be finite. \
            Target and range indicators keep their raw value, not their deviation.",
        reference: "Cooper, Seiford & Tone (2007), Data Envelopment Analysis, 2nd ed., Springer, \
            §1.1 (DEA works on the raw inputs and outputs, whose units it does not need to match).",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(NoNormalization)),
};

impl Normalize for NoNormalization {
    fn apply(
        &self,
        x: &[f64],
        _spec: &ColumnSpec,
        out: &mut [f64],
        _notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(CellError::at_row(
                i,
                text!("value is not a finite number", "数值不是有限数"),
            ));
        }
        out.copy_from_slice(x);
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
        let _ = reference;
        self.apply(x, spec, out, notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Direction;
    use crate::method::normalize::testing::run;

    #[test]
    fn keeps_values_whatever_the_direction() {
        let x = [3.0, -1.5, 0.0];
        for d in [Direction::Benefit, Direction::Cost, Direction::Target(1.0)] {
            assert_eq!(run(&NoNormalization, &x, ColumnSpec::new(d)), x);
        }
        let mut out = [0.0; 2];
        let e = NoNormalization
            .apply(
                &[1.0, f64::NAN],
                &ColumnSpec::new(Direction::Benefit),
                &mut out,
                &mut Vec::new(),
            )
            .unwrap_err();
        assert_eq!(e.row, Some(1));
    }
}
