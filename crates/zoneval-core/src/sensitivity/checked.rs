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

/// Each bound of each analysis' options: just inside is accepted, just outside refused with
/// its typed kind.
#[cfg(test)]
mod tests {
    use crate::error::{ErrorKind, OptionError};
    use crate::sensitivity::monte_carlo::{MAX_SAMPLES, McOptions, WeightDraw};
    use crate::sensitivity::oat::{MAX_STEPS, OatOptions};
    use crate::sensitivity::plan::MethodVariation;
    use crate::sensitivity::sobol::{
        self, MAX_BASE_POINTS, MAX_BOOTSTRAP, MAX_BOOTSTRAP_DRAWS, MAX_FACTORS, SobolOptions,
    };
    use crate::sensitivity::stability::StabilityOptions;

    /// The typed kind of a refusal (and that it is a usage error worded without a flag).
    fn refused<T: std::fmt::Debug>(r: crate::error::Result<T>) -> OptionError {
        let e = r.expect_err("refused");
        let o = e.option.expect("a typed option error");
        assert_eq!(e.kind, ErrorKind::Usage);
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].message, o.message());
        o
    }

    fn mc(samples: usize, draw: WeightDraw) -> McOptions {
        McOptions {
            samples,
            draw,
            ..McOptions::default()
        }
    }

    #[test]
    fn monte_carlo_bounds() {
        let samples = OptionError::Samples { max: MAX_SAMPLES };
        let u = WeightDraw::Uniform;
        assert!(mc(1, u(0.2)).check().is_ok());
        assert!(mc(MAX_SAMPLES, u(0.2)).check().is_ok());
        assert_eq!(refused(mc(0, u(0.2)).check()), samples);
        assert_eq!(refused(mc(MAX_SAMPLES + 1, u(0.2)).check()), samples);
        // A weights file's rows are the samples, whatever `samples` says.
        assert!(mc(0, WeightDraw::File(vec![vec![1.0]])).check().is_ok());
        assert_eq!(refused(mc(10, WeightDraw::File(vec![])).check()), samples);

        assert!(mc(10, u(0.0)).check().is_ok());
        assert!(mc(10, u(1.0 - f64::EPSILON)).check().is_ok());
        for p in [1.0, -f64::MIN_POSITIVE, f64::NAN] {
            assert_eq!(refused(mc(10, u(p)).check()), OptionError::Perturb, "{p}");
        }
        let d = WeightDraw::Dirichlet;
        assert!(mc(10, d(f64::MIN_POSITIVE)).check().is_ok());
        assert!(mc(10, d(f64::MAX)).check().is_ok());
        for c in [0.0, -1.0, f64::INFINITY, f64::NAN] {
            assert_eq!(refused(mc(10, d(c)).check()), OptionError::Dirichlet, "{c}");
        }
        // The draw is checked before the samples.
        assert_eq!(refused(mc(0, d(0.0)).check()), OptionError::Dirichlet);
    }

    fn sb(samples: usize, range: f64, bootstrap: usize) -> SobolOptions {
        SobolOptions {
            samples,
            range,
            bootstrap,
            ..SobolOptions::default()
        }
    }

    #[test]
    fn sobol_bounds() {
        let points = OptionError::BasePoints {
            max: MAX_BASE_POINTS,
        };
        let boot = OptionError::Bootstrap {
            max: MAX_BOOTSTRAP,
            max_draws: MAX_BOOTSTRAP_DRAWS,
        };
        assert!(sb(1, 0.5, 2).check().is_ok());
        assert!(sb(MAX_BASE_POINTS, 0.5, 2).check().is_ok());
        assert_eq!(refused(sb(0, 0.5, 2).check()), points);
        assert_eq!(refused(sb(MAX_BASE_POINTS + 1, 0.5, 2).check()), points);

        assert!(sb(8, f64::MIN_POSITIVE, 2).check().is_ok());
        assert!(sb(8, 1.0 - f64::EPSILON, 2).check().is_ok());
        for r in [0.0, 1.0, f64::NAN] {
            assert_eq!(refused(sb(8, r, 2).check()), OptionError::SobolRange, "{r}");
        }
        assert!(sobol::check_range(0.5).is_ok());
        assert_eq!(sobol::check_range(1.0), Err(OptionError::SobolRange));

        // Fewer than two resamples give a confidence interval of 0: refused.
        for b in [0, 1] {
            assert_eq!(refused(sb(8, 0.5, b).check()), boot, "{b}");
        }
        assert!(sb(1, 0.5, MAX_BOOTSTRAP).check().is_ok());
        assert_eq!(refused(sb(1, 0.5, MAX_BOOTSTRAP + 1).check()), boot);
        // Resamples × base points: exactly the limit, then one resample more.
        let n = MAX_BASE_POINTS;
        assert!(sb(n, 0.5, MAX_BOOTSTRAP_DRAWS / n).check().is_ok());
        assert_eq!(
            refused(sb(n, 0.5, MAX_BOOTSTRAP_DRAWS / n + 1).check()),
            boot
        );
        // The range comes first, then the base points, then the bootstrap.
        assert_eq!(
            refused(sb(0, 0.0, MAX_BOOTSTRAP + 1).check()),
            OptionError::SobolRange
        );
        assert_eq!(refused(sb(0, 0.5, MAX_BOOTSTRAP + 1).check()), points);
    }

    #[test]
    fn sobol_samples_file_shape() {
        let file = |rows: Vec<Vec<f64>>, bootstrap| SobolOptions {
            samples: 0,
            bootstrap,
            samples_file: Some(rows),
            ..SobolOptions::default()
        };
        // Two factors: runs of 4 rows; the file's base points bound the bootstrap.
        assert!(file(vec![vec![1.0, 1.0]; 8], 100).check().is_ok());
        for rows in [vec![], vec![vec![1.0, 1.0]; 5]] {
            let e = file(rows, 100).check().expect_err("refused");
            assert_eq!((e.kind, e.option), (ErrorKind::Input, None));
        }
        let mut ragged = vec![vec![1.0, 1.0]; 8];
        ragged[3].push(1.0);
        assert!(file(ragged, 100).check().is_err());
        // The most base points for MAX_BOOTSTRAP resamples, then one more.
        let n = MAX_BOOTSTRAP_DRAWS / MAX_BOOTSTRAP;
        assert!(
            file(vec![vec![1.0, 1.0]; 4 * n], MAX_BOOTSTRAP)
                .check()
                .is_ok()
        );
        assert_eq!(
            refused(file(vec![vec![1.0, 1.0]; 4 * (n + 1)], MAX_BOOTSTRAP).check()),
            OptionError::Bootstrap {
                max: MAX_BOOTSTRAP,
                max_draws: MAX_BOOTSTRAP_DRAWS,
            }
        );
    }

    #[test]
    fn sobol_design_refuses_too_many_factors() {
        assert!(sobol::design(1, MAX_FACTORS, 0).is_ok());
        assert_eq!(
            refused(sobol::design(1, MAX_FACTORS + 1, 0)),
            OptionError::TooManySobolFactors { max: MAX_FACTORS }
        );
    }

    #[test]
    fn oat_bounds() {
        let oat = |range, steps| OatOptions { range, steps };
        let range = OptionError::OatRange {
            max_steps: MAX_STEPS,
        };
        let steps = OptionError::OatSteps { max: MAX_STEPS };
        assert!(oat(0.5, 1).check().is_ok());
        assert!(oat(0.5, MAX_STEPS).check().is_ok());
        assert_eq!(refused(oat(0.5, 0).check()), steps);
        assert_eq!(refused(oat(0.5, MAX_STEPS + 1).check()), steps);
        assert!(oat(f64::MIN_POSITIVE, 10).check().is_ok());
        assert!(oat(10.0 - 1e-9, 10).check().is_ok());
        for r in [0.0, 10.0, f64::NAN] {
            assert_eq!(refused(oat(r, 10).check()), range, "{r}");
        }
    }

    #[test]
    fn stability_bounds() {
        let st = |steps| StabilityOptions {
            steps,
            ..StabilityOptions::default()
        };
        assert!(st(1).check().is_ok());
        assert!(st(MAX_STEPS).check().is_ok());
        for steps in [0, MAX_STEPS + 1] {
            assert_eq!(
                refused(st(steps).check()),
                OptionError::StabilitySteps { max: MAX_STEPS },
                "{steps}"
            );
        }
        let top0 = StabilityOptions {
            top: 0,
            ..StabilityOptions::default()
        };
        assert_eq!(refused(top0.check()), OptionError::Top);
    }

    /// A name listed twice would be sampled twice as often: a usage error naming it.
    #[test]
    fn method_variation_refuses_a_repeated_name() {
        let v = MethodVariation {
            normalizations: Vec::new(),
            aggregations: vec!["topsis".into(), "vikor".into(), "topsis".into()],
        };
        let e = v
            .check(false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("`topsis` is listed twice"), "{e}");
    }

    #[test]
    fn method_variation_names_and_sobol() {
        let v = |n: &[&str], a: &[&str]| MethodVariation {
            normalizations: n.iter().map(|s| s.to_string()).collect(),
            aggregations: a.iter().map(|s| s.to_string()).collect(),
        };
        assert!(v(&["min-max"], &["topsis"]).check(false).is_ok());
        assert!(v(&[], &["topsis"]).check(true).is_ok());
        assert_eq!(
            refused(v(&["min-max"], &[]).check(true)),
            OptionError::SobolNormalizationVariation
        );
        let e = v(&[], &["bogus"]).check(false).expect_err("unknown");
        assert_eq!((e.kind, e.option), (ErrorKind::Usage, None));
    }

    /// The engine's wording names options by meaning, never by a command-line flag.
    #[test]
    fn option_messages_name_no_flag() {
        let all = [
            OptionError::Samples { max: 1 },
            OptionError::BasePoints { max: 1 },
            OptionError::Perturb,
            OptionError::Dirichlet,
            OptionError::SobolRange,
            OptionError::OatRange { max_steps: 1 },
            OptionError::OatSteps { max: 1 },
            OptionError::StabilitySteps { max: 1 },
            OptionError::Bootstrap {
                max: 1,
                max_draws: 1,
            },
            OptionError::TooManySobolFactors { max: 1 },
            OptionError::SamplesFileWithMethodVariation,
            OptionError::SobolNormalizationVariation,
            OptionError::YearWithoutYearColumn { year: 2023 },
        ];
        for o in all {
            let m = o.message();
            assert!(!m.en.contains("--") && !m.zh.contains("--"), "{o:?}: {m:?}");
            let want = match o {
                OptionError::YearWithoutYearColumn { .. } => ErrorKind::Input,
                _ => ErrorKind::Usage,
            };
            assert_eq!(o.kind(), want);
        }
    }
}
