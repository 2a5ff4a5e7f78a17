//! zoneval: comprehensive evaluation of development zones (开发区综合评价).
pub mod error;
pub mod method;
