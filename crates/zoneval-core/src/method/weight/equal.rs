//! Equal weights at every level of the tree.

use super::{Capabilities, Weigh, WeightInput, WeightOutput};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};

/// `equal`: each node splits its weight equally among its children (a flat system gives every
/// indicator 1/n).
#[derive(Debug)]
pub struct Equal;

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "equal",
        title: "Equal weights",
        title_zh: "等权",
        formula: "w_child = w_parent / (number of children)",
        conventions: "Equal within each node, so in a hierarchy every criterion gets the same \
            share whatever its number of indicators (as COINr's equal weighting per aggregation \
            group). Written weights are ignored.",
        reference: "OECD/JRC (2008), Handbook on Constructing Composite Indicators, §6.1 (equal weighting).",
        params: &[],
    },
    caps: Capabilities {
        subjective: true,
        written_weights: false,
        judgements: false,
    },
    build: |_| Ok(Box::new(Equal)),
};

impl Weigh for Equal {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        Ok(WeightOutput {
            weights: input.tree.equal(),
            consistency: Vec::new(),
            table: Vec::new(),
        })
    }
}
