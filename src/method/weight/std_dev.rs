//! Standard deviation — PLACEHOLDER: being implemented; fails loudly until then.

use super::{Weigh, WeightInput, WeightOutput};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};

/// Placeholder.
#[derive(Debug)]
pub struct Placeholder;

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "std-dev",
        title: "Standard deviation",
        title_zh: "",
        formula: "",
        conventions: "",
        reference: "",
        params: &[],
    },
    build: |_| Ok(Box::new(Placeholder)),
};

impl Weigh for Placeholder {
    fn weigh(
        &self,
        _input: &WeightInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        Err(CellError::general(crate::text!(
            "std-dev: not implemented yet",
            "std-dev：尚未实现"
        )))
    }
}
