//! CSV output, one row per zone, for spreadsheets: `evaluate --format csv` and the report's
//! `results.csv` (the same writer, so the two always match). Text that a spreadsheet would
//! run as a formula gets a leading `'` ([`escape::csv_cell`]).

use crate::escape;
use crate::model::ReportModel;
use crate::text::tr;
use zoneval_core::error::Lang;

fn fmt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Rank, id, name, value, score, grade, vetoed, group ranks, criterion scores, watch.
pub fn write(model: &ReportModel, lang: Lang, out: &mut dyn std::io::Write) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let mut header: Vec<String> = match lang {
        Lang::En => ["rank", "id", "name", "value", "score", "grade", "vetoed"],
        Lang::Zh => ["排名", "代码", "名称", "方法值", "得分", "等级", "否决"],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rank = tr(lang, "rank", "排名");
    for c in &model.group_columns {
        header.push(c.clone());
        header.push(format!("{c}_{rank}"));
    }
    for &k in &model.criteria {
        header.push(model.nodes[k].named.id.clone());
    }
    if model.watch_list {
        header.push(tr(lang, "watch", "警示").into());
    }
    w.write_record(header.iter().map(|c| escape::csv_cell(c).into_owned()))?;
    for z in &model.zones {
        let mut row = vec![
            z.rank.map(|k| k.to_string()).unwrap_or_default(),
            z.id.clone(),
            z.name.clone(),
            fmt(z.value),
            fmt(z.score),
            model.grade_name(z, lang),
            z.vetoed.to_string(),
        ];
        // Looked up by column: a zone need not be in every group column.
        for c in &model.group_columns {
            match z.groups.iter().find(|g| &g.column == c) {
                Some(g) => {
                    row.push(g.group.clone());
                    row.push(g.rank.map(|k| k.to_string()).unwrap_or_default());
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        for s in &z.criteria {
            row.push(fmt(*s));
        }
        if model.watch_list {
            row.push(z.watch.to_string());
        }
        w.write_record(row.iter().map(|c| escape::csv_cell(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// The CSV as text.
pub fn render(model: &ReportModel, lang: Lang) -> String {
    let mut out = Vec::new();
    write(model, lang, &mut out).expect("in-memory write");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}
