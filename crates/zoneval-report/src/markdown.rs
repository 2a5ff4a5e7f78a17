//! Markdown output: title, method summary, weights and the ranking table.

use super::{columns, t};
use zoneval_core::error::Lang;
use zoneval_core::evaluation::Evaluation;

fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A Markdown table.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n",
        header
            .iter()
            .map(|h| escape(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// The ranking as a Markdown document.
pub fn render(ev: &Evaluation, lang: Lang) -> String {
    let sys = ev.system();
    let m = &ev.methods;
    let year = ev
        .prepared
        .year
        .map(|y| format!(" ({y})"))
        .unwrap_or_default();
    let mut out = format!("# {}{year}\n\n", sys.display_name(lang));
    let norm = m
        .normalization
        .as_deref()
        .unwrap_or(t(lang, "intrinsic", "方法自带"));
    out.push_str(&format!(
        "- {}: `{norm}` · {}: `{}` · {}: `{}`\n- {}: {}\n\n",
        t(lang, "Normalisation", "标准化"),
        t(lang, "weighting", "赋权"),
        m.weighting_name,
        t(lang, "aggregation", "集成"),
        m.aggregation_name,
        t(lang, "Zones", "开发区数"),
        ev.results.len(),
    ));
    out.push_str(&format!("## {}\n\n", t(lang, "Ranking", "排名")));
    let (header, rows) = columns(ev, lang);
    out.push_str(&table(&header, &rows));
    out.push_str(&format!("\n## {}\n\n", t(lang, "Weights", "权重")));
    let wh = vec![
        t(lang, "Indicator", "指标").to_string(),
        "id".to_string(),
        t(lang, "Weight", "权重").to_string(),
    ];
    let wr: Vec<Vec<String>> = sys
        .indicators
        .iter()
        .zip(&ev.weights.weights)
        .map(|(i, w)| {
            vec![
                i.display_name(lang).to_string(),
                i.id.clone(),
                format!("{w:.4}"),
            ]
        })
        .collect();
    out.push_str(&table(&wh, &wr));
    out
}
