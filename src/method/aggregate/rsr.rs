//! Rank-sum ratio — PLACEHOLDER: being implemented; fails loudly until then.

use super::{AggInput, Aggregate, Aggregated};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo};

/// Placeholder.
#[derive(Debug)]
pub struct Placeholder;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "rsr",
        title: "Rank-sum ratio",
        title_zh: "",
        formula: "",
        conventions: "",
        reference: "",
        params: &[],
    },
    build: |_| Ok(Box::new(Placeholder)),
};

impl Aggregate for Placeholder {
    fn normalization(&self) -> Option<&'static str> {
        None
    }

    fn aggregate(
        &self,
        _input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        Err(CellError::general(crate::text!(
            "rsr: not implemented yet",
            "rsr：尚未实现"
        )))
    }
}
