//! zoneval-core: the engine of zoneval, comprehensive evaluation of development zones
//! (开发区综合评价), as a library.
//!
//! An [`system::IndicatorSystem`] (TOML) says what is measured and how; a
//! [`data::ZoneTable`] (CSV or xlsx) holds a year of zone statistics; the staged
//! [`evaluation`] turns them into a ranked, graded, explainable result, and [`sensitivity`]
//! studies how far that ranking can be trusted. No command line, terminal or rendering
//! crates here, and nothing is written to disk: the CLI, the report renderer, the workbench
//! server and the Python package all build on this crate. Errors are typed and never name a
//! command-line flag; each front end words them for its users.

// `!(x > 0.0)` is deliberate: it is also true for NaN, which `x <= 0.0` is not. Index loops
// over zones × indicators read closer to the formulas than zipped iterators.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]
#![warn(missing_docs)]

pub mod analysis;
pub mod bundled;
pub mod data;
pub mod error;
pub mod evaluation;
pub mod explain;
pub mod method;
pub mod num;
pub mod provenance;
pub mod run;
pub mod sensitivity;
pub mod system;
