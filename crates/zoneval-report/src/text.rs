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

/// The label every output carries where a reader sees results computed from synthetic data.
pub fn synthetic_label(lang: Lang) -> &'static str {
    tr(
        lang,
        "SYNTHETIC DATA — not the zones' real performance",
        "合成数据——并非各开发区的真实表现",
    )
}

/// What the scope in force covers and how many zones it leaves out, on two lines, e.g.
/// "Scope: level ∈ {国家级}" and "15 zone(s) evaluated, 159 not in scope"; None without a
/// scope.
pub fn scope_summary(model: &crate::model::ReportModel, lang: Lang) -> Option<String> {
    let s = model.scope.as_ref()?;
    let (n, out) = (model.zones.len(), s.not_in_scope.len());
    let variant = if s.name == zoneval_core::system::scope::DEFAULT {
        String::new()
    } else {
        format!(" [{}]", s.name)
    };
    Some(match lang {
        Lang::En => format!(
            "Scope{variant}: {}\n{n} zone(s) evaluated, {out} not in scope",
            s.rule
        ),
        Lang::Zh => format!(
            "评价范围{variant}：{}\n评价 {n} 个开发区，{out} 个不在范围内",
            s.rule
        ),
    })
}

/// The placeholder the report shows for a missing number.
pub const DASH: &str = "—";

/// `v` with `d` decimals, or `missing` when there is no finite value.
pub fn num(v: Option<f64>, d: usize, missing: &str) -> String {
    v.filter(|x| x.is_finite())
        .map_or_else(|| missing.to_string(), |x| format!("{x:.d$}"))
}

/// A method's registry name as shown to people: the name itself in English, its usual Chinese
/// name in Chinese (with the id after it, so it can still be typed); a name with parameters or
/// an unknown one unchanged.
pub fn method_name(lang: Lang, id: &str) -> String {
    if matches!(lang, Lang::En) {
        return id.to_string();
    }
    let zh = match id {
        "min-max" => "极差标准化",
        "vector" => "向量标准化",
        "z-score" => "Z 分数标准化",
        "sum" => "比重标准化",
        "max" => "极大值标准化",
        "ideal" => "理想值标准化",
        "target" => "目标值标准化",
        "rank" => "秩标准化",
        "none" => "不标准化",
        "expert" => "专家赋权",
        "equal" => "等权",
        "ahp" => "层次分析法",
        "entropy" => "熵权法",
        "critic" => "CRITIC 法",
        "std-dev" => "标准差法",
        "cv" => "变异系数法",
        "combined" => "组合赋权",
        "weighted-sum" => "线性加权",
        "weighted-product" => "加权乘积",
        "topsis" => "TOPSIS 法",
        "vikor" => "VIKOR 法",
        "grey-relational" => "灰色关联分析",
        "promethee-ii" => "PROMETHEE II",
        "copras" => "COPRAS 法",
        "edas" => "EDAS 法",
        "mabac" => "MABAC 法",
        "rsr" => "秩和比法",
        "pca" => "主成分分析",
        "dea" => "数据包络分析",
        "bod" => "BoD 法",
        "coupling-coordination" => "耦合协调度",
        _ => return id.to_string(),
    };
    format!("{zh}（{id}）")
}

/// A rank change (previous rank − rank now) as an arrow: `↑2` up, `↓1` down, `=` unchanged;
/// None when there is no change to show.
pub fn rank_change(d: Option<i64>) -> Option<String> {
    d.map(|d| match d {
        0 => "=".to_string(),
        d if d > 0 => format!("↑{d}"),
        d => format!("↓{}", -d),
    })
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
