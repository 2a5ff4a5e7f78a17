//! Markdown output of `evaluate`: title, method summary, the ranking table and the weights.

use crate::escape;
use crate::model::ReportModel;
use crate::table::columns;
use crate::text::tr;
use zoneval_core::error::Lang;

/// A Markdown table (every cell escaped).
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape::markdown(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = row(header);
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for r in rows {
        out.push_str(&row(r));
    }
    out
}

/// The ranking as a Markdown document.
pub fn render(model: &ReportModel, lang: Lang) -> String {
    let m = &model.method;
    let year = model.year.map(|y| format!(" ({y})")).unwrap_or_default();
    let mut out = format!("# {}{year}\n\n", model.system.get(lang));
    if model.synthetic {
        out.push_str(&format!("> **{}**\n\n", crate::text::synthetic_label(lang)));
    }
    let norm = m
        .normalization
        .as_deref()
        .unwrap_or(tr(lang, "intrinsic", "方法自带"));
    out.push_str(&format!(
        "- {}: `{norm}` · {}: `{}` · {}: `{}`\n- {}: {}\n\n",
        tr(lang, "Normalisation", "标准化"),
        tr(lang, "weighting", "赋权"),
        model.weighting_name(),
        tr(lang, "aggregation", "集成"),
        m.aggregation_name,
        tr(lang, "Zones", "开发区数"),
        model.zones.len(),
    ));
    out.push_str(&format!("## {}\n\n", tr(lang, "Ranking", "排名")));
    let (header, rows) = columns(model, lang);
    out.push_str(&table(&header, &rows));
    if let Some(s) = &model.scope {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n",
            tr(lang, "Not in scope", "不在评价范围内的开发区"),
            crate::escape::markdown(
                &crate::text::scope_summary(model, lang)
                    .unwrap_or_default()
                    .replace('\n', tr(lang, ". ", "；"))
            )
        ));
        let rows: Vec<Vec<String>> = s
            .not_in_scope
            .iter()
            .map(|z| vec![z.id.clone(), z.name.clone(), z.reason.get(lang).to_string()])
            .collect();
        if !rows.is_empty() {
            let h = vec![
                "id".to_string(),
                tr(lang, "Zone", "开发区").to_string(),
                tr(lang, "Why not in scope", "不在范围内的原因").to_string(),
            ];
            out.push_str(&table(&h, &rows));
        }
    }
    out.push_str(&format!("\n## {}\n\n", tr(lang, "Weights", "权重")));
    let wh = vec![
        tr(lang, "Indicator", "指标").to_string(),
        "id".to_string(),
        tr(lang, "Weight", "权重").to_string(),
    ];
    let wr: Vec<Vec<String>> = model
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.named.get(lang).to_string(),
                i.named.id.clone(),
                format!("{:.4}", i.weight),
            ]
        })
        .collect();
    out.push_str(&table(&wh, &wr));
    out
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn hostile_names_stay_in_their_cell() {
        let header = vec!["Zone".to_string(), "Score".to_string()];
        let rows = vec![vec!["A | B\n<script>*x*".to_string(), "1.0".to_string()]];
        let t = table(&header, &rows);
        assert_eq!(
            t,
            "| Zone | Score |\n|---|---|\n| A \\| B \\<script\\>\\*x\\* | 1.0 |\n"
        );
    }
}
