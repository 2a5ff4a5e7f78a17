//! The panel settings of a system: where the normalisation's statistics come from when the
//! data hold several years (`[method] goalposts`, an indicator's fixed `goalposts`), bonus and
//! deduction items added after aggregation (`[[adjustments]]`), and multi-year lists such as
//! MOFCOM's demotion rule (`[[rules]]`).

use crate::error::Location;
use crate::system::ValueSource;

/// Where the normalisation's statistics (and data-driven weights) come from on a panel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Goalposts {
    /// Each year is normalised on its own zones: scores compare within a year only.
    #[default]
    PerYear,
    /// Every zone-year of the evaluated years together: one scale across the years.
    Pooled,
    /// The statistics of one year; other years may leave 0..1 unless `cap` clamps them to
    /// the range the base year's normalised values span.
    BaseYear {
        /// The base year.
        year: i64,
        /// Clamp values outside the base year's normalised range.
        cap: bool,
    },
}

impl Goalposts {
    /// The name used in JSON and messages: `per-year`, `pooled`, `base-year`.
    pub fn name(&self) -> &'static str {
        match self {
            Goalposts::PerYear => "per-year",
            Goalposts::Pooled => "pooled",
            Goalposts::BaseYear { .. } => "base-year",
        }
    }

    /// Whether scores of different years are on one scale.
    pub fn comparable(&self) -> bool {
        !matches!(self, Goalposts::PerYear)
    }
}

/// A bonus (加分) or deduction (扣分) item, added to the display score after aggregation.
#[derive(Clone, Debug)]
pub struct Adjustment {
    /// Id (a key of the zone's `adjustments` in JSON).
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Where the count comes from (an empty cell counts as 0).
    pub source: ValueSource,
    /// Display-score points per unit (negative = deduction).
    pub points: f64,
    /// Cap on the absolute size of the item's total.
    pub max: Option<f64>,
    /// Where it was written.
    pub location: Location,
}

impl Adjustment {
    /// The points for a count `x`: `x · points`, its size capped at `max`.
    pub fn points_for(&self, x: f64) -> f64 {
        let p = x * self.points;
        match self.max {
            Some(m) if p.abs() > m => m.copysign(p),
            _ => p,
        }
    }
}

/// Which end of a ranking a rule lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSide {
    /// The last `n` of the ranking (or of each group).
    Bottom(usize),
    /// The first `n`.
    Top(usize),
}

/// A multi-year list: zones at one end of the ranking in at least `times` of the last
/// `of_last` calendar years.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Bottom or top, and how many.
    pub side: RuleSide,
    /// Group column ranked within (the whole ranking when None).
    pub within: Option<String>,
    /// Years the zone must meet the condition in …
    pub times: usize,
    /// … of this many calendar years ending with the evaluated year.
    pub of_last: usize,
    /// Where it was written.
    pub location: Location,
}
