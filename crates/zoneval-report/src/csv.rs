//! CSV output: one row per zone, for spreadsheets.

use super::{grade_name, t};
use zoneval_core::error::Lang;
use zoneval_core::evaluation::Evaluation;

fn fmt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Rank, id, name, value, score, grade, vetoed, group ranks, criterion scores.
pub fn render(ev: &Evaluation, lang: Lang) -> String {
    let sys = ev.system();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = ["rank", "id", "name", "value", "score", "grade", "vetoed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if lang == Lang::Zh {
        header = ["排名", "代码", "名称", "方法值", "得分", "等级", "否决"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    // The columns come from the first (ranked) zone; a zone excluded by a veto has no
    // criterion scores, so every row looks its values up rather than assuming the same shape.
    let first = ev.results.first();
    let group_cols: Vec<&String> = first
        .map(|r| r.group_ranks.iter().map(|(c, _, _)| c).collect())
        .unwrap_or_default();
    let crit_nodes: Vec<usize> = first
        .map(|r| r.criteria.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    for c in &group_cols {
        header.push(c.to_string());
        header.push(format!("{c}_{}", t(lang, "rank", "排名")));
    }
    for k in &crit_nodes {
        header.push(sys.nodes[*k].id.clone());
    }
    if sys.report.watch_bottom.is_some() {
        header.push(t(lang, "watch", "警示").into());
    }
    w.write_record(&header).expect("in-memory write");
    for r in &ev.results {
        let z = ev.zone(r);
        let mut row = vec![
            r.rank.map(|k| k.to_string()).unwrap_or_default(),
            z.id.clone(),
            z.name.clone(),
            fmt(r.value),
            fmt(r.score),
            grade_name(ev, r, lang),
            r.vetoed.to_string(),
        ];
        for c in &group_cols {
            match r.group_ranks.iter().find(|(col, _, _)| col == *c) {
                Some((_, g, k)) => {
                    row.push(g.clone());
                    row.push(k.map(|k| k.to_string()).unwrap_or_default());
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        for k in &crit_nodes {
            let s = r
                .criteria
                .iter()
                .find(|(kk, _)| kk == k)
                .and_then(|(_, s)| *s);
            row.push(fmt(s));
        }
        if sys.report.watch_bottom.is_some() {
            row.push(r.watch.to_string());
        }
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 in, UTF-8 out")
}
