//! Number formatting shared by messages, explanations and every rendered output, so a value
//! reads the same wherever it appears.

/// A number for messages: six significant digits, trailing zeros removed.
pub fn num_short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    let digits = (5 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}
