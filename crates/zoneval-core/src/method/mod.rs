//! Evaluation methods: normalisations, weightings and aggregations.
//!
//! Each kind has one registry (`normalize::REGISTRY`, `weight::REGISTRY`,
//! `aggregate::REGISTRY`), a slice of [`Entry`] values that is the only list of methods: name
//! lookup with suggestions, `zoneval methods`, CLI value hints and the invariant tests all
//! iterate over it. Adding a method is one file plus its `mod` and registry lines
//! (the property and capability tests then cover it with no other edit).
//!
//! An entry also declares the method's properties once, as a typed value ([`Kind`]'s
//! `Capabilities`: for an aggregation whether it is additive, linear in the weights, pairwise,
//! which way its value sorts, …). Code elsewhere asks those properties, never a method's name.
//!
//! Methods receive a column-major [`Matrix`] (zones × indicators): normalisation works a
//! column at a time and an aggregation sweeps columns into per-zone accumulators, both
//! contiguous in memory.

pub mod aggregate;
pub mod fastmath;
pub mod matrix;
pub mod normalize;
pub mod params;
pub mod resolve;
pub mod weight;

pub use matrix::Matrix;
pub use params::{ParamValue, Params};

use std::borrow::Cow;

use crate::error::{Problem, Text, suggest};
use crate::text;

/// How an indicator's raw value relates to "better".
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Direction {
    /// Higher is better.
    Benefit,
    /// Lower is better.
    Cost,
    /// Closest to the target value is best.
    Target(f64),
    /// Anywhere in `[lo, hi]` is best; the distance outside the interval counts against.
    Range(f64, f64),
}

impl Direction {
    /// The keyword used in system files.
    pub fn keyword(&self) -> &'static str {
        match self {
            Direction::Benefit => "benefit",
            Direction::Cost => "cost",
            Direction::Target(_) => "target",
            Direction::Range(..) => "range",
        }
    }

    /// True when lower criterion values are better: cost, and target/range (whose criterion
    /// value is the deviation from the target or interval).
    pub fn is_cost(&self) -> bool {
        !matches!(self, Direction::Benefit)
    }

    /// The criterion value of raw `x`: `x` itself for benefit and cost, the distance to the
    /// target or to the interval for target and range (then a cost).
    pub fn criterion_value(&self, x: f64) -> f64 {
        match *self {
            Direction::Benefit | Direction::Cost => x,
            Direction::Target(t) => (x - t).abs(),
            Direction::Range(lo, hi) => (lo - x).max(x - hi).max(0.0),
        }
    }

    /// The same indicator with its preference reversed (benefit ⇄ cost); target and range
    /// have no reverse and are returned unchanged.
    pub fn reversed(&self) -> Direction {
        match self {
            Direction::Benefit => Direction::Cost,
            Direction::Cost => Direction::Benefit,
            d => *d,
        }
    }
}

/// What a normalisation needs to know about one indicator besides its values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColumnSpec {
    /// Benefit, cost, target or range.
    pub direction: Direction,
    /// Ideal value for `ideal` normalisation.
    pub ideal: Option<f64>,
    /// Worst value for the linear form of `ideal` normalisation.
    pub worst: Option<f64>,
}

impl ColumnSpec {
    /// A column with only a direction.
    pub fn new(direction: Direction) -> ColumnSpec {
        ColumnSpec {
            direction,
            ideal: None,
            worst: None,
        }
    }
}

/// A failure inside a method at one cell (row = zone, col = indicator) or column.
#[derive(Clone, Debug, PartialEq)]
pub struct CellError {
    /// The zone (row) concerned, when one is.
    pub row: Option<usize>,
    /// The indicator (column) concerned, when one is.
    pub col: Option<usize>,
    /// What went wrong.
    pub message: Text,
}

impl CellError {
    /// An error at one zone of the column being processed.
    pub fn at_row(row: usize, message: Text) -> CellError {
        CellError {
            row: Some(row),
            col: None,
            message,
        }
    }

    /// An error about a whole column.
    pub fn column(col: usize, message: Text) -> CellError {
        CellError {
            row: None,
            col: Some(col),
            message,
        }
    }

    /// An error at one cell.
    pub fn cell(row: usize, col: usize, message: Text) -> CellError {
        CellError {
            row: Some(row),
            col: Some(col),
            message,
        }
    }

    /// An error with no particular place.
    pub fn general(message: Text) -> CellError {
        CellError {
            row: None,
            col: None,
            message,
        }
    }
}

/// A named column of per-zone (or per-indicator) numbers that a method exposes for
/// explanation, such as TOPSIS's D⁺ or an entropy weight's E_j.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedColumn {
    /// Stable key used in JSON (`d_plus`).
    pub key: Cow<'static, str>,
    /// Label in English (`D+ (distance to ideal)`).
    pub en: Cow<'static, str>,
    /// Label in Chinese.
    pub zh: Cow<'static, str>,
    /// One value per zone (aggregations) or per indicator (weightings).
    pub values: Vec<f64>,
}

/// Documentation of a method parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamInfo {
    /// Key in the `{ kind = …, key = … }` table.
    pub name: &'static str,
    /// Default, as written in a system file.
    pub default: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// Documentation of a method, printed by `zoneval methods`.
#[derive(Clone, Copy, Debug)]
pub struct MethodInfo {
    /// Kebab-case name used in system files and on the command line.
    pub name: &'static str,
    /// Full English name.
    pub title: &'static str,
    /// Chinese name.
    pub title_zh: &'static str,
    /// The formula, in plain text.
    pub formula: &'static str,
    /// Direction handling, edge cases and the variant chosen where tools disagree.
    pub conventions: &'static str,
    /// The published source of the method and of the worked example it is tested against.
    pub reference: &'static str,
    /// Accepted parameters.
    pub params: &'static [ParamInfo],
}

/// A kind of method (the trait object a registry holds): what each of its entries declares
/// besides documentation, and what a registry lookup hands out.
pub trait Kind: 'static {
    /// The properties every method of this kind declares in its entry.
    type Capabilities: Copy + std::fmt::Debug + Send + Sync + 'static;
    /// What [`build`] returns: the method itself, or a handle that also carries the entry's
    /// capabilities (and applies checks common to every method of the kind).
    type Built;
    /// Wraps a freshly built method of `entry`.
    fn built(entry: &Entry<Self>, method: Box<Self>) -> Self::Built;
}

/// One registry entry: the documentation, the declared capabilities and a constructor that
/// validates parameters.
pub struct Entry<T: ?Sized + Kind> {
    /// Name, formula, conventions, reference.
    pub info: MethodInfo,
    /// What the method is and accepts, declared once (see [`Kind::Capabilities`]).
    pub caps: T::Capabilities,
    /// Builds the method from its (already key-checked) parameters.
    pub build: fn(&Params) -> Result<Box<T>, Problem>,
}

/// The kinds of method, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    /// A normalisation.
    Normalization,
    /// A weighting.
    Weighting,
    /// An aggregation.
    Aggregation,
}

impl MethodKind {
    /// The word used in messages and system files.
    pub fn word(self) -> Text {
        match self {
            MethodKind::Normalization => text!("normalization", "标准化方法"),
            MethodKind::Weighting => text!("weighting", "赋权方法"),
            MethodKind::Aggregation => text!("aggregation", "集成方法"),
        }
    }
}

/// Looks a method up by name in `registry`.
pub fn find<'a, T: ?Sized + Kind>(registry: &'a [Entry<T>], name: &str) -> Option<&'a Entry<T>> {
    registry.iter().find(|e| e.info.name == name)
}

/// The names in a registry, in registry order.
pub fn names<T: ?Sized + Kind>(registry: &[Entry<T>]) -> Vec<&'static str> {
    registry.iter().map(|e| e.info.name).collect()
}

/// Builds the method `params.kind` from `registry`: an unknown name lists the valid ones (or
/// suggests the nearest), an unknown parameter suggests the nearest valid key, and the method
/// then checks its parameter values.
pub fn build<T: ?Sized + Kind>(
    registry: &[Entry<T>],
    kind: MethodKind,
    params: &Params,
) -> Result<T::Built, Problem> {
    let valid = names(registry);
    let Some(entry) = find(registry, &params.kind) else {
        let word = kind.word();
        let (we, wz, name) = (&word.en, &word.zh, &params.kind);
        return Err(Problem::at(
            params.location.clone(),
            text!("unknown {we} `{name}`", "未知的{wz} `{name}`"),
        )
        .with_hint(suggest(name, &valid)));
    };
    let keys: Vec<&str> = entry.info.params.iter().map(|p| p.name).collect();
    for p in &params.entries {
        if !keys.contains(&p.key.as_str()) {
            let (key, name) = (&p.key, &params.kind);
            let hint = if keys.is_empty() {
                text!("`{name}` takes no parameters", "`{name}` 没有参数")
            } else {
                suggest(key, &keys)
            };
            return Err(Problem::at(
                p.location.clone(),
                text!(
                    "unknown parameter `{key}` for `{name}`",
                    "`{name}` 没有参数 `{key}`"
                ),
            )
            .with_hint(hint));
        }
    }
    (entry.build)(params).map(|m| T::built(entry, m))
}

/// The capabilities the method `name` declares in `registry`, or `None` for an unknown name.
pub fn capabilities<T: ?Sized + Kind>(
    registry: &[Entry<T>],
    name: &str,
) -> Option<T::Capabilities> {
    find(registry, name).map(|e| e.caps)
}
