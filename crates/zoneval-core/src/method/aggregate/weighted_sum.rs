//! Weighted sum (simple additive weighting).

use super::{AggInput, Aggregate, Aggregated, Capabilities};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};

/// `weighted-sum`: value = Σ_j w_j r_ij.
#[derive(Debug)]
pub struct WeightedSum;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "weighted-sum",
        title: "Weighted sum (simple additive weighting, SAW)",
        title_zh: "线性加权综合法",
        formula: "V_i = Σ_j w_j r_ij",
        conventions: "Default normalisation min-max. Fully compensatory. Supports indicators that \
            apply only to some zones (per-zone weights renormalised within their criterion).",
        reference: "Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer, §4.2.3 (SAW); \
            OECD/JRC (2008) Handbook, §6.2 (linear aggregation).",
        params: &[],
    },
    caps: Capabilities {
        additive: true,
        linear_in_weights: true,
        zone_weights: true,
        row_wise: true,
        ..Capabilities::normalized("min-max")
    },
    build: |_| Ok(Box::new(WeightedSum)),
};

impl Aggregate for WeightedSum {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let r = input.normalized;
        let mut value = vec![0.0; r.rows()];
        match input.zone_weights {
            None => {
                for (col, &w) in r.columns().zip(input.weights) {
                    value.iter_mut().zip(col).for_each(|(v, x)| *v += w * x);
                }
            }
            Some(zw) => {
                for (col, wcol) in r.columns().zip(zw.columns()) {
                    value
                        .iter_mut()
                        .zip(col)
                        .zip(wcol)
                        .for_each(|((v, x), w)| *v += w * x);
                }
            }
        }
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::aggregate::testing::{assert_close, run};

    /// Two ideal-type zones and a midpoint: with min-max the sum is the weights themselves.
    #[test]
    fn sums_weighted_normalised_values() {
        let rows = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.5, 0.5]];
        let out = run(
            &WeightedSum,
            &rows,
            &[false, false],
            &[0.7, 0.3],
            Some("min-max"),
        );
        // min-max leaves 1, 0, 0.5 — so V = 0.7·r1 + 0.3·r2.
        assert_close(&out.value, &[0.7, 0.3, 0.5], 1e-15);
    }
}
