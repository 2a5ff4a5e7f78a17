//! Expert weights: the weights written in the system file.

use super::ahp::AhpMethod;
use super::{Capabilities, Weigh, WeightInput, WeightOutput};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};

/// `expert`: local weights as written (each node's children divided by their sum), global
/// weight = product along the path; nodes with AHP judgements use their eigenvector.
#[derive(Debug)]
pub struct Expert;

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "expert",
        title: "Expert (direct) weights",
        title_zh: "专家直接赋权",
        formula: "w_leaf = Π over the path of w_node / Σ w_siblings",
        conventions: "Weights must be finite and ≥ 0 with a positive sum among siblings; siblings \
            that do not sum to 1 are divided by their sum, with a warning. A node with `ahp` \
            judgements uses the principal eigenvector for its children.",
        reference: "OECD/JRC (2008), Handbook on Constructing Composite Indicators, §6.1 \
            (participatory / budget-allocation weights).",
        params: &[],
    },
    caps: Capabilities {
        subjective: true,
        written_weights: true,
        judgements: false,
    },
    build: |_| Ok(Box::new(Expert)),
};

impl Weigh for Expert {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let (weights, consistency) = input.tree.global(AhpMethod::Eigenvector)?;
        Ok(WeightOutput {
            weights,
            consistency,
            table: Vec::new(),
        })
    }
}
