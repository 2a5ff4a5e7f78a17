//! Bilingual wording shared by every output: the one translation function, names that have
//! an English form, and the one fixed-decimals number formatter.
//!
//! A missing number is shown differently by different outputs (an empty CSV-like cell in the
//! terminal table, "—" in the report), so [`num`] takes the placeholder at each call site
//! rather than having two formatters that disagree.

use zoneval_core::error::Lang;

pub use zoneval_core::error::Text;

/// Picks the wording for `lang`.
pub fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The name to show in `lang`: the English name in English when there is one, otherwise the
/// name as written (usually Chinese).
pub fn name_in<'a>(lang: Lang, name: &'a str, name_en: Option<&'a str>) -> &'a str {
    match (lang, name_en) {
        (Lang::En, Some(n)) => n,
        _ => name,
    }
}

/// The placeholder the report shows for a missing number.
pub const DASH: &str = "—";

/// `v` with `d` decimals, or `missing` when there is no finite value.
pub fn num(v: Option<f64>, d: usize, missing: &str) -> String {
    v.filter(|x| x.is_finite())
        .map_or_else(|| missing.to_string(), |x| format!("{x:.d$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_numbers_use_the_callers_placeholder() {
        assert_eq!(num(Some(1.234), 2, ""), "1.23");
        assert_eq!(num(None, 2, ""), "");
        assert_eq!(num(None, 1, DASH), "—");
        assert_eq!(num(Some(f64::NAN), 1, DASH), "—");
    }

    #[test]
    fn names_fall_back_to_the_written_name() {
        assert_eq!(name_in(Lang::En, "济南", Some("Jinan")), "Jinan");
        assert_eq!(name_in(Lang::Zh, "济南", Some("Jinan")), "济南");
        assert_eq!(name_in(Lang::En, "济南", None), "济南");
    }
}
