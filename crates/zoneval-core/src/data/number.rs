//! Strict number parsing for data cells.
//!
//! Only plain decimal numbers are accepted (`12`, `-3.5`, `1.2e4`, `+7`). Thousands
//! separators, decimal commas, percent signs, currency, `NaN` and `inf` are errors: "12,4%"
//! could mean 12.4 or 124, and guessing would change a ranking silently.

use crate::error::Text;
use crate::text;

/// Parses a trimmed cell; the error says what was wrong.
pub fn parse_number(s: &str) -> Result<f64, Text> {
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if !ok_chars || !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(if s.contains('%') {
            text!(
                "write percentages as plain numbers without `%`",
                "百分数请写成不带 `%` 的数值"
            )
        } else if s.contains(',') || s.contains('，') {
            text!(
                "remove thousands separators and use `.` for decimals",
                "请去掉千位分隔符，小数点用 `.`"
            )
        } else if s.chars().any(|c| ('０'..='９').contains(&c)) {
            text!(
                "full-width digits; use ASCII digits",
                "全角数字；请使用半角数字"
            )
        } else {
            text!(
                "expected a plain decimal number, or an empty cell for missing",
                "应为十进制数值；缺失请留空"
            )
        });
    }
    // Digits other than zeros in the mantissa (before any exponent) mean the value is not 0.
    let mantissa = s.split(['e', 'E']).next().unwrap_or(s);
    let nonzero = mantissa.chars().any(|c| matches!(c, '1'..='9'));
    match s.parse::<f64>() {
        Ok(x) if x == 0.0 && nonzero => Err(text!(
            "number too small to represent (it would be read as 0)",
            "数值过小，无法表示（会被读作 0）"
        )),
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(text!("number out of range", "数值超出范围")),
        Err(_) => Err(text!("expected a plain decimal number", "应为十进制数值")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underflow_is_an_error_not_zero() {
        assert!(parse_number("1e-400").is_err());
        assert!(parse_number("-2.5E-330").is_err());
        assert_eq!(parse_number("0e-400"), Ok(0.0));
        assert_eq!(parse_number("0.000"), Ok(0.0));
        assert_eq!(parse_number("-0"), Ok(-0.0));
        // Subnormal values are representable and kept.
        assert_eq!(parse_number("5e-324"), Ok(5e-324));
    }

    #[test]
    fn accepts_plain_decimals_only() {
        for (s, v) in [
            ("12", 12.0),
            ("-3.5", -3.5),
            ("1.2e4", 12000.0),
            ("+7", 7.0),
            (".5", 0.5),
        ] {
            assert_eq!(parse_number(s), Ok(v), "{s}");
        }
        for s in [
            "abc", "12,4%", "1,234", "NaN", "nan", "inf", "-inf", "—", "1e999", "--1", "１２",
            "12%", "1.2.3", "e5",
        ] {
            assert!(parse_number(s).is_err(), "{s} should be rejected");
        }
    }
}
