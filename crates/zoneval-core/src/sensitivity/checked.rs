//! Options that have passed their checks.
//!
//! Each analysis' options are plain structs anyone can fill in; their `check` method validates
//! them once and wraps them in [`Checked`], the only form the analyses accept. An analysis
//! therefore never sees an out-of-range option, and a front end learns about a bad value
//! before any work starts, as a typed [`OptionError`](crate::error::OptionError).

use std::ops::Deref;

/// Options of type `T` that passed `T::check`; read-only, built only by the checks.
#[derive(Clone, Debug)]
pub struct Checked<T>(T);

impl<T> Checked<T> {
    /// Wraps options the caller has just validated.
    pub(crate) fn new(options: T) -> Checked<T> {
        Checked(options)
    }

    /// The options themselves.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Checked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
