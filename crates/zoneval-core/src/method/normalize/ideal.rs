//! Ideal-value normalisation, as in land intensive-use evaluation (TD/T 1029 理想值比例推算法).

use super::Normalize;
use crate::error::Text;
use crate::method::{CellError, ColumnSpec, Direction, Entry, MethodInfo};
use crate::text;

/// `ideal`: benefit min(x/ideal, 1); cost 1 when x ≤ ideal else ideal/x; or, with `worst`,
/// linear from 1 at the ideal to 0 at the worst value.
#[derive(Debug)]
pub struct Ideal;

/// Registry entry.
pub const ENTRY: Entry<dyn Normalize> = Entry {
    info: MethodInfo {
        name: "ideal",
        title: "Ideal-value ratio",
        title_zh: "理想值比例推算法",
        formula: "benefit: r = min(x/T, 1);  cost: r = 1 if x ≤ T else T/x;  with `worst` W: \
            r = clamp((x − W)/(T − W), 0, 1)",
        conventions: "Needs `ideal` (T > 0 for the ratio forms) on the indicator. An indicator whose \
            ideal is 0 (e.g. the idle-land rate) gives `worst` instead and uses the linear form. Not \
            relative to the other zones: a zone's score does not change when others are added.",
        reference: "TD/T 1029-2010 开发区土地集约利用评价规程, §6.3–6.4 (理想值, 标准化 S = X/T × 100, \
            capped at 100); see ../shared/reference/zone-evaluation-methods.md §2e.",
        params: &[],
    },
    caps: (),
    build: |_| Ok(Box::new(Ideal)),
};

impl Normalize for Ideal {
    fn check(&self, spec: &ColumnSpec) -> Result<(), Text> {
        let Some(t) = spec.ideal else {
            return Err(text!(
                "normalization `ideal` needs `ideal = …` on the indicator",
                "`ideal` 标准化需要在指标上给出 `ideal = …`"
            ));
        };
        if !matches!(spec.direction, Direction::Benefit | Direction::Cost) {
            return Err(text!(
                "normalization `ideal` needs direction benefit or cost",
                "`ideal` 标准化要求指标方向为 benefit 或 cost"
            ));
        }
        match spec.worst {
            Some(w) if w == t => Err(text!(
                "`worst` equals `ideal` ({t})",
                "`worst` 与 `ideal` 相等（{t}）"
            )),
            Some(_) => Ok(()),
            None if t > 0.0 => Ok(()),
            None => Err(text!(
                "ideal {t} ≤ 0 cannot be used as a ratio; give `worst = …` for the linear form",
                "理想值 {t} ≤ 0 不能用于比例法；请给出 `worst = …` 使用线性形式"
            )),
        }
    }

    fn apply(
        &self,
        x: &[f64],
        spec: &ColumnSpec,
        out: &mut [f64],
        _notes: &mut Vec<Text>,
    ) -> Result<(), CellError> {
        self.check(spec).map_err(CellError::general)?;
        let t = spec.ideal.expect("checked");
        match (spec.worst, spec.direction) {
            (Some(w), _) => {
                let inv = 1.0 / (t - w);
                out.iter_mut()
                    .zip(x)
                    .for_each(|(o, &a)| *o = ((a - w) * inv).clamp(0.0, 1.0));
            }
            (None, Direction::Cost) => {
                for (i, (o, &a)) in out.iter_mut().zip(x).enumerate() {
                    if a < 0.0 {
                        return Err(super::negative_value(i, a, "ideal"));
                    }
                    *o = if a <= t { 1.0 } else { t / a };
                }
            }
            (None, _) => {
                for (i, (o, &a)) in out.iter_mut().zip(x).enumerate() {
                    if a < 0.0 {
                        return Err(super::negative_value(i, a, "ideal"));
                    }
                    *o = (a / t).min(1.0);
                }
            }
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
        // The ideal and worst values are written, not taken from the data.
        let _ = reference;
        self.apply(x, spec, out, notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::normalize::testing::{assert_close, run};

    fn spec(direction: Direction, ideal: f64, worst: Option<f64>) -> ColumnSpec {
        ColumnSpec {
            direction,
            ideal: Some(ideal),
            worst,
        }
    }

    /// TD/T 1029 ratio with cap: plot ratio 0.98 against an ideal of 1.2 scores 0.8167;
    /// a zone above the ideal scores 1.
    #[test]
    fn ratio_capped_at_one() {
        assert_close(
            &run(&Ideal, &[0.98, 1.5], spec(Direction::Benefit, 1.2, None)),
            &[0.98 / 1.2, 1.0],
            1e-15,
        );
        assert_close(
            &run(&Ideal, &[0.5, 2.0], spec(Direction::Cost, 1.0, None)),
            &[1.0, 0.5],
            1e-15,
        );
    }

    /// Idle-land rate: ideal 0, worst 0.2 → 0.05 scores 0.75; 0.3 scores 0.
    #[test]
    fn linear_form_for_zero_ideal() {
        assert_close(
            &run(
                &Ideal,
                &[0.0, 0.05, 0.3],
                spec(Direction::Cost, 0.0, Some(0.2)),
            ),
            &[1.0, 0.75, 0.0],
            1e-15,
        );
        assert!(Ideal.check(&spec(Direction::Cost, 0.0, None)).is_err());
        assert!(Ideal.check(&ColumnSpec::new(Direction::Benefit)).is_err());
    }
}
