//! CSV output, one row per zone, for spreadsheets: `evaluate --format csv` and the report's
//! `results.csv` (the same writer, so the two always match). Text that a spreadsheet would
//! run as a formula gets a leading `'` ([`escape::csv_cell`]).
//!
//! A machine format: the header is English snake_case and the cells are the JSON's values
//! whatever the language or locale (the grade as the system names it, numbers in Rust's
//! shortest round-trip form). The last column, `provenance`, holds the run's provenance as
//! compact JSON on the first row only (empty below, so a large file does not repeat it):
//! every CSV reader reads it as an ordinary column, where comment lines would break some.

use crate::escape;
use crate::model::ReportModel;
use zoneval_core::error::Lang;

fn fmt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The run's provenance as compact JSON (empty when unknown).
pub fn provenance_cell(model: &ReportModel) -> String {
    model
        .provenance
        .as_ref()
        .map(|p| serde_json::to_string(p).expect("provenance serialises"))
        .unwrap_or_default()
}

/// Rank, id, name, value, score, grade, vetoed, group ranks, criterion scores, watch,
/// provenance. The same bytes in every language (`_lang` is the [`crate::Render`] signature's).
pub fn write(model: &ReportModel, _lang: Lang, out: &mut dyn std::io::Write) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let mut header: Vec<String> = ["rank", "id", "name", "value", "score", "grade", "vetoed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in &model.group_columns {
        header.push(c.clone());
        header.push(format!("{c}_rank"));
    }
    for &k in &model.criteria {
        header.push(model.nodes[k].named.id.clone());
    }
    header.push("watch".into());
    header.push("provenance".into());
    let mut provenance = provenance_cell(model);
    w.write_record(header.iter().map(|c| escape::csv_cell(c).into_owned()))?;
    for z in &model.zones {
        let mut row = vec![
            z.rank.map(|k| k.to_string()).unwrap_or_default(),
            z.id.clone(),
            z.name.clone(),
            fmt(z.value),
            fmt(z.score),
            z.grade
                .and_then(|g| model.grades.get(g))
                .map(|g| g.name.clone())
                .unwrap_or_default(),
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
        // Empty when the system keeps no watch list (null in JSON).
        row.push(if model.watch_list {
            z.watch.to_string()
        } else {
            String::new()
        });
        row.push(std::mem::take(&mut provenance));
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
