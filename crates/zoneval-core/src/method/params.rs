//! Method parameters as written in a system file (`{ kind = "vikor", v = 0.5 }`) or on the
//! command line (`--aggregation vikor`), each value with the place it was written, so a bad
//! value is reported where it stands.

use std::fmt;

use crate::error::{Location, Problem, Text};
use crate::text;

/// A parameter value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A number (TOML integer or float).
    Num(f64),
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Num(x) => write!(f, "{x}"),
            ParamValue::Str(s) => write!(f, "\"{s}\""),
            ParamValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One `key = value` of a method table.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The key.
    pub key: String,
    /// The value.
    pub value: ParamValue,
    /// Where the value was written.
    pub location: Option<Location>,
}

/// A method name with its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The method's registry name (`vikor`).
    pub kind: String,
    /// Where the name was written (None for command-line overrides and defaults).
    pub location: Option<Location>,
    /// The other keys, in the order written.
    pub entries: Vec<Param>,
}

impl Params {
    /// A bare method name with default parameters.
    pub fn named(kind: &str) -> Params {
        Params {
            kind: kind.to_string(),
            location: None,
            entries: Vec::new(),
        }
    }

    /// Adds a parameter (builder style, for code and tests).
    pub fn with(mut self, key: &str, value: ParamValue) -> Params {
        self.entries.push(Param {
            key: key.to_string(),
            value,
            location: None,
        });
        self
    }

    /// The parameter `key`, if given.
    pub fn get(&self, key: &str) -> Option<&Param> {
        self.entries.iter().find(|p| p.key == key)
    }

    fn bad(&self, p: &Param, expected: Text) -> Problem {
        let (key, kind, value) = (&p.key, &self.kind, &p.value);
        let (ee, ez) = (&expected.en, &expected.zh);
        Problem::at(
            p.location.clone(),
            text!(
                "parameter `{key}` of `{kind}` is {value}; expected {ee}",
                "`{kind}` 的参数 `{key}` 为 {value}，应为{ez}"
            ),
        )
    }

    /// A finite number, `default` when absent.
    pub fn num(&self, key: &str, default: f64) -> Result<f64, Problem> {
        match self.get(key) {
            None => Ok(default),
            Some(p) => match p.value {
                ParamValue::Num(x) if x.is_finite() => Ok(x),
                _ => Err(self.bad(p, text!("a finite number", "有限数值"))),
            },
        }
    }

    /// A number in `[lo, hi]`, `default` when absent.
    pub fn num_in(&self, key: &str, default: f64, lo: f64, hi: f64) -> Result<f64, Problem> {
        let x = self.num(key, default)?;
        if (lo..=hi).contains(&x) {
            Ok(x)
        } else {
            let p = self.get(key).expect("a default is always in range");
            Err(self.bad(
                p,
                text!("a number in [{lo}, {hi}]", "[{lo}, {hi}] 之间的数"),
            ))
        }
    }

    /// A positive number, `default` when absent.
    pub fn positive(&self, key: &str, default: f64) -> Result<f64, Problem> {
        let x = self.num(key, default)?;
        if x > 0.0 {
            Ok(x)
        } else {
            let p = self.get(key).expect("a default is always positive");
            Err(self.bad(p, text!("a positive number", "正数")))
        }
    }

    /// One of `choices`, `default` when absent.
    pub fn choice(
        &self,
        key: &str,
        choices: &[&'static str],
        default: &'static str,
    ) -> Result<&'static str, Problem> {
        match self.get(key) {
            None => Ok(default),
            Some(p) => {
                if let ParamValue::Str(s) = &p.value
                    && let Some(c) = choices.iter().find(|c| **c == s)
                {
                    return Ok(c);
                }
                let list = choices
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(" | ");
                Err(self.bad(p, text!("{list}", "{list}")))
            }
        }
    }

    /// A string, `None` when absent.
    pub fn string(&self, key: &str) -> Result<Option<&str>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(p) => match &p.value {
                ParamValue::Str(s) => Ok(Some(s)),
                _ => Err(self.bad(p, text!("a string", "字符串"))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_defaults_and_checks_ranges() {
        let p = Params::named("vikor").with("v", ParamValue::Num(1.5));
        assert!(p.num_in("v", 0.5, 0.0, 1.0).is_err());
        assert_eq!(p.num("missing", 2.0).unwrap(), 2.0);
        let p = Params::named("std-dev").with("on", ParamValue::Str("raw".into()));
        assert_eq!(
            p.choice("on", &["normalized", "raw"], "normalized")
                .unwrap(),
            "raw"
        );
        let p = Params::named("std-dev").with("on", ParamValue::Str("rows".into()));
        assert!(
            p.choice("on", &["normalized", "raw"], "normalized")
                .is_err()
        );
    }
}
