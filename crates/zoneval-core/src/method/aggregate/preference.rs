//! PROMETHEE preference functions (Brans & Vincke 1985, the six "generalised criteria").
//!
//! A preference function maps the difference d of two zones' criterion values (oriented so
//! that positive d favours the first zone) to a degree of preference in [0, 1].

use crate::error::Problem;
use crate::method::Params;
use crate::text;

/// One of the six generalised criteria.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Preference {
    /// Type I: P = 1 for any d > 0.
    Usual,
    /// Type II (quasi-criterion): P = 1 for d > q.
    UShape {
        /// Indifference threshold.
        q: f64,
    },
    /// Type III: P = d/p up to p, then 1.
    VShape {
        /// Preference threshold.
        p: f64,
    },
    /// Type IV: 0 up to q, ½ up to p, then 1.
    Level {
        /// Indifference threshold.
        q: f64,
        /// Preference threshold.
        p: f64,
    },
    /// Type V: 0 up to q, linear (d − q)/(p − q) up to p, then 1.
    Linear {
        /// Indifference threshold.
        q: f64,
        /// Preference threshold.
        p: f64,
    },
    /// Type VI: 1 − exp(−d²/(2s²)).
    Gaussian {
        /// Inflection point.
        s: f64,
    },
}

/// The kinds, as written in system files.
pub const KINDS: &[&str] = &["usual", "u-shape", "v-shape", "level", "linear", "gaussian"];

impl Preference {
    /// Degree of preference for a difference `d` (positive = first zone better).
    #[inline]
    pub fn degree(&self, d: f64) -> f64 {
        if d <= 0.0 {
            return 0.0;
        }
        match *self {
            Preference::Usual => 1.0,
            Preference::UShape { q } => f64::from(d > q),
            Preference::VShape { p } => (d / p).min(1.0),
            Preference::Level { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    0.5
                } else {
                    1.0
                }
            }
            Preference::Linear { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    (d - q) / (p - q)
                } else {
                    1.0
                }
            }
            Preference::Gaussian { s } => 1.0 - (-d * d / (2.0 * s * s)).exp(),
        }
    }

    /// Parses `{ kind = "linear", q = 1, p = 2 }`; thresholds must be ≥ 0 and q < p.
    pub fn parse(params: &Params) -> Result<Preference, Problem> {
        let allowed: &[&str] = match params.kind.as_str() {
            "usual" => &[],
            "u-shape" => &["q"],
            "v-shape" => &["p"],
            "level" | "linear" => &["q", "p"],
            "gaussian" => &["s"],
            other => {
                return Err(Problem::at(
                    params.location.clone(),
                    text!(
                        "unknown preference function `{other}`",
                        "未知的偏好函数 `{other}`"
                    ),
                )
                .with_hint(crate::error::suggest(other, KINDS)));
            }
        };
        for e in &params.entries {
            if !allowed.contains(&e.key.as_str()) {
                let (k, kind) = (&e.key, &params.kind);
                let list = if allowed.is_empty() {
                    "-".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(Problem::at(
                    e.location.clone(),
                    text!(
                        "preference `{kind}` takes no `{k}` (it takes: {list})",
                        "偏好函数 `{kind}` 没有参数 `{k}`（可用：{list}）"
                    ),
                ));
            }
        }
        let need = |k: &str| -> Result<f64, Problem> {
            if params.get(k).is_none() {
                let kind = &params.kind;
                return Err(Problem::at(
                    params.location.clone(),
                    text!(
                        "preference `{kind}` needs `{k}`",
                        "偏好函数 `{kind}` 需要参数 `{k}`"
                    ),
                ));
            }
            let x = params.num(k, 0.0)?;
            if x < 0.0 {
                return Err(Problem::at(
                    params.get(k).and_then(|p| p.location.clone()),
                    text!(
                        "threshold `{k}` = {x} is negative",
                        "阈值 `{k}` = {x} 为负数"
                    ),
                ));
            }
            Ok(x)
        };
        let positive = |k: &str, x: f64| -> Result<f64, Problem> {
            if x > 0.0 {
                Ok(x)
            } else {
                Err(Problem::at(
                    params.get(k).and_then(|p| p.location.clone()),
                    text!("threshold `{k}` must be positive", "阈值 `{k}` 必须为正数"),
                ))
            }
        };
        let ordered = |q: f64, p: f64| -> Result<(), Problem> {
            if q < p {
                Ok(())
            } else {
                Err(Problem::at(
                    params.get("q").and_then(|p| p.location.clone()),
                    text!(
                        "indifference threshold q = {q} must be below preference threshold p = {p}",
                        "无差异阈值 q = {q} 必须小于偏好阈值 p = {p}"
                    ),
                ))
            }
        };
        Ok(match params.kind.as_str() {
            "usual" => Preference::Usual,
            "u-shape" => Preference::UShape { q: need("q")? },
            "v-shape" => Preference::VShape {
                p: positive("p", need("p")?)?,
            },
            "gaussian" => Preference::Gaussian {
                s: positive("s", need("s")?)?,
            },
            kind => {
                let (q, p) = (need("q")?, need("p")?);
                ordered(q, p)?;
                if kind == "level" {
                    Preference::Level { q, p }
                } else {
                    Preference::Linear { q, p }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::ParamValue;

    #[test]
    fn degrees_follow_brans_vincke_shapes() {
        assert_eq!(Preference::Usual.degree(0.1), 1.0);
        assert_eq!(Preference::Usual.degree(0.0), 0.0);
        assert_eq!(Preference::UShape { q: 1.0 }.degree(1.0), 0.0);
        assert_eq!(Preference::VShape { p: 4.0 }.degree(1.0), 0.25);
        assert_eq!(Preference::Level { q: 1.0, p: 2.0 }.degree(1.5), 0.5);
        assert_eq!(Preference::Linear { q: 1.0, p: 3.0 }.degree(2.0), 0.5);
        let g = Preference::Gaussian { s: 1.0 }.degree(1.0);
        assert!((g - (1.0 - (-0.5f64).exp())).abs() < 1e-15);
    }

    #[test]
    fn rejects_q_above_p() {
        let p = Params::named("linear")
            .with("q", ParamValue::Num(3.0))
            .with("p", ParamValue::Num(2.0));
        assert!(Preference::parse(&p).is_err());
        let p = Params::named("linear").with("q", ParamValue::Num(1.0));
        assert!(Preference::parse(&p).is_err());
    }
}
