//! The one palette of every chart and of the HTML tables, so a grade, a criterion or a
//! direction of change has the same colour everywhere in a report.

/// Text.
pub const TEXT: &str = "#222222";
/// Secondary text (axis labels, notes).
pub const MUTED: &str = "#666666";
/// Grid lines.
pub const GRID: &str = "#e4e4e4";
/// Axis lines.
pub const AXIS: &str = "#9e9e9e";
/// The mean of all zones (radar, box plots).
pub const MEAN: &str = "#616161";
/// A vetoed zone's marker.
pub const VETO: &str = "#c62828";
/// Zones without a grade, unranked zones.
pub const NONE: &str = "#bdbdbd";
/// An increase (weight raised, S1).
pub const UP: &str = "#4e79a7";
/// A decrease (weight lowered, ST).
pub const DOWN: &str = "#f28e2b";

/// Categorical colours (Tableau 10): criteria, series.
const CATEGORY: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Grade ramp, best (green) to worst (red) (ColorBrewer RdYlGn, reversed).
const GRADE_RAMP: [&str; 7] = [
    "#1a9850", "#66bd63", "#a6d96a", "#e6d65c", "#fdae61", "#f46d43", "#d73027",
];

/// The colour of category `i` (cycles after ten).
pub fn category(i: usize) -> &'static str {
    CATEGORY[i % CATEGORY.len()]
}

/// The colour of grade `g` of `count` grades (best first); [`NONE`] without a grade.
pub fn grade(g: Option<usize>, count: usize) -> &'static str {
    match g {
        None => NONE,
        Some(_) if count <= 1 => GRADE_RAMP[0],
        Some(g) => {
            let last = GRADE_RAMP.len() - 1;
            let k = (g.min(count - 1) * last + (count - 1) / 2) / (count - 1);
            GRADE_RAMP[k]
        }
    }
}

fn hex(c: &str) -> (f64, f64, f64) {
    let p = |i: usize| f64::from(u8::from_str_radix(&c[i..i + 2], 16).unwrap_or(0));
    (p(1), p(3), p(5))
}

fn mix(a: &str, b: &str, t: f64) -> String {
    let (a, b) = (hex(a), hex(b));
    let t = t.clamp(0.0, 1.0);
    let m = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// Diverging scale for correlations: −1 red, 0 near white, +1 blue (ColorBrewer RdBu).
pub fn diverging(v: f64) -> String {
    let v = if v.is_finite() {
        v.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    if v < 0.0 {
        mix("#f7f7f7", "#b2182b", -v)
    } else {
        mix("#f7f7f7", "#2166ac", v)
    }
}

/// Sequential scale for shares in [0, 1]: white to dark blue (ColorBrewer Blues).
pub fn sequential(v: f64) -> String {
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if v < 0.5 {
        mix("#f7fbff", "#6baed6", v * 2.0)
    } else {
        mix("#6baed6", "#08306b", (v - 0.5) * 2.0)
    }
}

/// A lighter tint of `c` (t = 0 unchanged, 1 white).
pub fn tint(c: &str, t: f64) -> String {
    mix(c, "#ffffff", t)
}

/// Black or white text, whichever reads better on `fill`.
pub fn on(fill: &str) -> &'static str {
    let (r, g, b) = hex(fill);
    let lum = 0.299 * r + 0.587 * g + 0.114 * b;
    if lum > 150.0 { TEXT } else { "#ffffff" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_span_the_ramp() {
        assert_eq!(grade(Some(0), 4), "#1a9850");
        assert_eq!(grade(Some(3), 4), "#d73027");
        assert_eq!(grade(None, 4), NONE);
        assert_eq!(grade(Some(0), 1), "#1a9850");
    }

    #[test]
    fn scales_hit_their_ends() {
        assert_eq!(diverging(1.0), "#2166ac");
        assert_eq!(diverging(-1.0), "#b2182b");
        assert_eq!(sequential(0.0), "#f7fbff");
        assert_eq!(on("#08306b"), "#ffffff");
        assert_eq!(on("#f7fbff"), TEXT);
    }
}
