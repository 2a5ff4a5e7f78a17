//! CSV output: one row per zone, for spreadsheets.

use super::{grade_name, t};
use crate::error::Lang;
use crate::evaluation::Evaluation;

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
    let first = ev.results.first();
    for (c, _, _) in first.map(|r| r.group_ranks.as_slice()).unwrap_or_default() {
        header.push(c.clone());
        header.push(format!("{c}_{}", t(lang, "rank", "排名")));
    }
    for (k, _) in first.map(|r| r.criteria.as_slice()).unwrap_or_default() {
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
        for (_, g, k) in &r.group_ranks {
            row.push(g.clone());
            row.push(k.map(|k| k.to_string()).unwrap_or_default());
        }
        for (_, s) in &r.criteria {
            row.push(fmt(*s));
        }
        if sys.report.watch_bottom.is_some() {
            row.push(r.watch.to_string());
        }
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 in, UTF-8 out")
}
