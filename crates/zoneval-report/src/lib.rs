//! Rendering results: one [`ReportModel`](model::ReportModel) built from an evaluation, and
//! one [`Render`] implementation per output — the `evaluate` formats (terminal table, CSV,
//! JSON contract, Markdown) and the report directory's files (HTML and Markdown document,
//! xlsx workbook, SVG/PNG charts).
//!
//! Shared pieces live in small modules: wording and numbers in [`text`], escaping per markup
//! language in [`escape`], the font list in [`fonts`], pretty JSON with one-line scalar arrays
//! in [`compact`].

// `!(x > 0.0)` is deliberate: it is also true for NaN, which `x <= 0.0` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]
#![warn(missing_docs)]

pub mod analysis_json;
pub mod charts;
pub mod compact;
pub mod csv;
pub mod dir;
pub mod document;
pub mod escape;
pub mod fonts;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod table;
pub mod text;
pub mod xlsx;

pub use render::{Format, Render};
pub use text::tr as t;
pub use zoneval_core::num::num_short;

use zoneval_core::error::Lang;
use zoneval_core::evaluation::Evaluation;

/// Renders `ev` in `format` (the model `evaluate` needs, built and rendered in one step).
pub fn render(ev: &Evaluation, format: Format, lang: Lang) -> String {
    let model = model::for_outputs(ev);
    render::to_string(format.renderer(), &model, lang)
}
