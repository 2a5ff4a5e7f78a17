//! Standard-deviation weights: the more an indicator's scores spread over the zones, the more
//! weight it gets.

use super::{
    Capabilities, On, Weigh, WeightInput, WeightOutput, indicator_id, normalize_sum, std,
    zero_weight_note,
};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn, ParamInfo};
use crate::text;

/// `std-dev`: w_j = σ_j / Σ σ_k, σ the population standard deviation of column j.
#[derive(Debug)]
pub struct StdDev {
    on: On,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "std-dev",
        title: "Standard-deviation weights",
        title_zh: "标准差法",
        formula: "σ_j = √((1/m) Σ_i (r_ij − r̄_j)²);  w_j = σ_j / Σ_k σ_k",
        conventions: "On the evaluation's normalised matrix by default (so with `min-max` every \
            indicator is on [0, 1] and direction is already applied); `on = \"raw\"` uses the raw \
            values, which makes the weights depend on the units. Population standard deviation \
            (divisor m); the weights are the same with m − 1, only the `sigma` table changes. With \
            `z-score` normalisation every column has the same σ and the weights are equal. A constant column has \
            σ = 0 and gets weight 0, with a warning. Table: `sigma`.",
        reference: "Diakoulaki, Mavrotas & Papayannakis (1995) Computers & OR 22(7), 763–770 (the \
            standard-deviation method as the contrast part of CRITIC); Jahan & Edwards (2013) \
            Materials & Design 49, 1000–1008 and Sałabun, Wątróbski & Shekhovtsov (2020) Symmetry \
            12(9), 1549 (worked examples).",
        params: &[ParamInfo {
            name: "on",
            default: "\"normalized\"",
            doc: "\"normalized\" | \"raw\": the matrix whose column spreads are compared",
        }],
    },
    caps: Capabilities::OBJECTIVE,
    build: |p| {
        Ok(Box::new(StdDev {
            on: On::parse(p, On::Normalized)?,
        }))
    },
};

impl Weigh for StdDev {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let x = self.on.matrix(input);
        let mut sigma = vec![0.0; x.cols()];
        for (j, col) in x.columns().enumerate() {
            if let Some(i) = col.iter().position(|v| !v.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!("value is not a finite number", "数值不是有限数"),
                ));
            }
            sigma[j] = std(col, 0);
            if sigma[j] == 0.0 {
                notes.push(zero_weight_note(
                    "std-dev",
                    &indicator_id(input.tree, j),
                    &text!(
                        "constant column, σ = 0: it cannot discriminate",
                        "常数列，σ = 0，不具区分度"
                    ),
                ));
            }
        }
        if !sigma.iter().all(|s| s.is_finite()) {
            let j = sigma.iter().position(|s| !s.is_finite()).unwrap_or(0);
            return Err(CellError::column(
                j,
                text!(
                    "the spread of this column overflows; rescale the indicator",
                    "该列离差平方和溢出，请调整指标单位"
                ),
            ));
        }
        let mut weights = sigma.clone();
        normalize_sum(&mut weights)?;
        Ok(WeightOutput {
            weights,
            consistency: Vec::new(),
            table: vec![NamedColumn {
                key: "sigma".into(),
                en: "σ (standard deviation)".into(),
                zh: "标准差 σ".into(),
                values: sigma,
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::weight::WeightTree;
    use crate::method::weight::testing::{assert_close, input_for};
    use crate::method::{Matrix, ParamValue, Params};

    fn run(
        raw: &[Vec<f64>],
        norm: &[Vec<f64>],
        on: Option<&str>,
    ) -> (Result<WeightOutput, CellError>, Vec<Text>) {
        let (raw, norm) = (Matrix::from_rows(raw), Matrix::from_rows(norm));
        let tree = WeightTree::flat(&["a", "b", "c"][..raw.cols()], None, None);
        let input = input_for(&raw, &norm, &tree);
        let mut p = Params::named("std-dev");
        if let Some(on) = on {
            p = p.with("on", ParamValue::Str(on.into()));
        }
        let mut notes = Vec::new();
        let w = (ENTRY.build)(&p).unwrap().weigh(&input, &mut notes);
        (w, notes)
    }

    /// Columns (0, 1) and (0, ½, 1): σ = ½ and √(1/6); w ∝ σ.
    #[test]
    fn hand_computed_population_sigma() {
        let norm = [vec![0.0, 0.0], vec![0.0, 0.5], vec![1.0, 1.0]];
        let (w, _) = run(&norm, &norm, None);
        let w = w.unwrap();
        // Column a: mean ⅓, Σ² = ⅑ + ⅑ + 4/9 = ⅔, σ = √(2/9).
        let s = [(2.0f64 / 9.0).sqrt(), (1.0f64 / 6.0).sqrt()];
        assert_close(&w.table[0].values, &s, 1e-15);
        assert_close(
            &w.weights,
            &[s[0] / (s[0] + s[1]), s[1] / (s[0] + s[1])],
            1e-15,
        );
    }

    #[test]
    fn normalized_by_default_raw_on_request() {
        let raw = [vec![0.0, 0.0], vec![0.0, 10.0], vec![1.0, 20.0]];
        let norm = [vec![0.0, 0.0], vec![0.0, 0.5], vec![1.0, 1.0]];
        let (a, _) = run(&raw, &norm, None);
        let (b, _) = run(&raw, &norm, Some("raw"));
        assert!(a.unwrap().weights[1] < 0.5);
        assert!(b.unwrap().weights[1] > 0.9);
    }

    #[test]
    fn constant_column_zero_weight_and_all_constant_error() {
        let norm = [vec![1.0, 0.0], vec![1.0, 1.0]];
        let (w, notes) = run(&norm, &norm, None);
        assert_eq!(w.unwrap().weights, vec![0.0, 1.0]);
        assert_eq!(notes.len(), 1);
        let (w, notes) = run(&[vec![1.0, 2.0]], &[vec![1.0, 2.0]], None);
        assert!(w.is_err());
        assert_eq!(notes.len(), 2);
    }
}
