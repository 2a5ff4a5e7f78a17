//! `results.xlsx`: the numbers behind the report for spreadsheet users — ranking, criterion
//! scores, normalised values, raw data (filled cells highlighted), weights, and one sheet per
//! sensitivity analysis that was run. Sheet and column names follow the report's language;
//! ids stay as written so formulas and scripts can rely on them. Synthetic data are labelled
//! on every sheet without moving a cell (a text box, the tab colour, the printed header).
//!
//! The worksheets are in rust_xlsxwriter's low-memory mode: each finished row goes to a
//! temporary file instead of staying in memory (about a hundred bytes a cell otherwise), which
//! asks for rows to be written in order (they are); strings stay in the shared-strings table,
//! so the bytes are those of the in-memory mode.

use std::io::Write;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Shape, ShapeFont, ShapeFormat, ShapeLine, ShapeSolidFill,
    Workbook, Worksheet, XlsxError,
};

use crate::charts::svg::text_width;
use crate::document::tr;
use crate::model::ReportModel;
use zoneval_core::error::Lang;

/// A worksheet with a header row and column widths fitted to the content.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<f64>,
    row: u32,
}

impl<'a> Sheet<'a> {
    /// A sheet named `name` with the `header` row; `banner` (the synthetic-data label) is
    /// shown on it without touching a cell (see [`label`]).
    fn new(
        wb: &'a mut Workbook,
        name: &str,
        header: &[String],
        banner: Option<&str>,
    ) -> Result<Sheet<'a>, XlsxError> {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(name)?;
        if let Some(text) = banner {
            label(ws, header.len(), text)?;
        }
        let mut s = Sheet {
            ws,
            widths: Vec::new(),
            row: 0,
        };
        let bold = Format::new().set_bold().set_background_color("#F3F5F8");
        for (c, h) in header.iter().enumerate() {
            s.ws.write_string_with_format(0, c as u16, h, &bold)?;
            s.fit(c, h);
        }
        s.ws.set_freeze_panes(1, 0)?;
        s.row = 1;
        Ok(s)
    }

    fn fit(&mut self, c: usize, text: &str) {
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 6.0);
        }
        // Excel widths are in characters of the default font: a CJK character is about two.
        let w = text_width(text, 1.0) * 1.75 + 2.0;
        self.widths[c] = self.widths[c].max(w.min(60.0));
    }

    fn text(&mut self, c: usize, s: &str) -> Result<(), XlsxError> {
        self.fit(c, s);
        self.ws.write_string(self.row, c as u16, s)?;
        Ok(())
    }

    /// [`fit`](Sheet::fit) for the number `v` shown with four decimals: its text is ASCII, so
    /// only its length counts (formatting each of a million numbers cost a second).
    fn fit_number(&mut self, c: usize, v: f64) {
        const ZEROS: &str = "000000000000000000000000000000000000000000";
        match fixed4_len(v) {
            Some(n) if n <= ZEROS.len() => self.fit(c, &ZEROS[..n]),
            _ => self.fit(c, &format!("{v:.4}")),
        }
    }

    fn num(&mut self, c: usize, v: Option<f64>) -> Result<(), XlsxError> {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            self.fit_number(c, v);
            self.ws.write_number(self.row, c as u16, v)?;
        }
        Ok(())
    }

    fn num_fmt(&mut self, c: usize, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            self.fit_number(c, v);
            self.ws.write_number_with_format(self.row, c as u16, v, f)?;
        }
        Ok(())
    }

    fn next(&mut self) {
        self.row += 1;
    }

    fn finish(self) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w)?;
        }
        Ok(())
    }
}

/// The length of `format!("{v:.4}")` for a finite `v`, without formatting it: the sign, the
/// integer digits and ".dddd". None where rounding could carry into a new digit or the value
/// is too large for exact powers of ten (the caller formats those).
fn fixed4_len(v: f64) -> Option<usize> {
    let a = v.abs();
    if a >= 1e21 || a.fract() >= 0.9999 {
        return None;
    }
    let mut digits = 1;
    let mut p = 10.0;
    while a >= p {
        digits += 1;
        p *= 10.0;
    }
    Some(usize::from(v.is_sign_negative()) + digits + 5)
}

/// The synthetic-data label, when the model's data are synthetic.
fn banner(model: &ReportModel, lang: Lang) -> Option<&'static str> {
    model.synthetic.then(|| crate::text::synthetic_label(lang))
}

/// Labels a sheet as synthetic where a reader of the workbook sees it, and leaves every cell
/// as it is (scripts read the tables from row 1 and column A): a red text box right of the
/// header row (in the frozen row, so it stays in view while scrolling down), a red sheet tab,
/// and the label in the printed page header.
fn label(ws: &mut Worksheet, columns: usize, text: &str) -> Result<(), XlsxError> {
    let red = "#B00020";
    let box_ = Shape::textbox()
        .set_text(text)
        .set_width(30 + (text_width(text, 11.0) * 1.4) as u32)
        .set_height(24)
        .set_font(&ShapeFont::new().set_bold().set_color(red).set_size(11))
        .set_format(
            &ShapeFormat::new()
                .set_solid_fill(&ShapeSolidFill::new().set_color("#FFF4F4"))
                .set_line(&ShapeLine::new().set_color(red)),
        )
        .set_alt_text(text);
    let col = u16::try_from(columns + 1).unwrap_or(u16::MAX).min(16_000);
    ws.insert_shape(0, col, &box_)?;
    ws.set_tab_color(red);
    // `&` starts a code in Excel's page headers: the label has none, but a literal one
    // would be written `&&`.
    ws.set_header(format!("&C&\"-,Bold\"&KB00020{}", text.replace('&', "&&")));
    Ok(())
}

fn header(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

/// The workbook's bytes.
pub fn render(model: &ReportModel, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    workbook(model, lang)?.save_to_buffer()
}

/// The workbook, streamed to `out` (the zip writer needs a `Send` output).
pub fn write(
    model: &ReportModel,
    lang: Lang,
    out: &mut (dyn Write + Send),
) -> Result<(), XlsxError> {
    workbook(model, lang)?.save_to_writer(out)
}

fn workbook(model: &ReportModel, lang: Lang) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date instead of the clock's: the same inputs give the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let mut props = DocProperties::new().set_creation_datetime(&created);
    if let Some(text) = banner(model, lang) {
        props = props.set_comment(text).set_keywords(text);
    }
    wb.set_properties(&props);
    ranking(&mut wb, model, lang)?;
    criteria(&mut wb, model, lang)?;
    matrix(&mut wb, model, lang, true)?;
    matrix(&mut wb, model, lang, false)?;
    weights(&mut wb, model, lang)?;
    if let Some(s) = &model.sensitivity {
        sensitivity(&mut wb, model, s, lang)?;
    }
    Ok(wb)
}

fn ranking(wb: &mut Workbook, model: &ReportModel, lang: Lang) -> Result<(), XlsxError> {
    let mut h = header(&[
        tr(lang, "rank", "排名"),
        tr(lang, "id", "代码"),
        tr(lang, "name", "名称"),
        tr(lang, "score", "得分"),
        tr(lang, "value", "方法值"),
        tr(lang, "grade", "等级"),
        tr(lang, "vetoed", "否决"),
        tr(lang, "veto reasons", "否决原因"),
        tr(lang, "watch", "警示"),
    ]);
    for c in &model.group_columns {
        h.push(c.clone());
        h.push(format!("{c} {}", tr(lang, "rank", "排名")));
    }
    let top = model.top_criteria();
    for &k in &top {
        h.push(model.nodes[model.criteria[k]].named.get(lang).to_string());
    }
    for d in &model.details {
        h.push(match lang {
            Lang::En => d.en.clone(),
            Lang::Zh => d.zh.clone(),
        });
    }
    let mut s = Sheet::new(wb, tr(lang, "ranking", "排名"), &h, banner(model, lang))?;
    for z in &model.zones {
        s.num(0, z.rank.map(|r| r as f64))?;
        s.text(1, &z.id)?;
        s.text(2, &z.name)?;
        s.num(3, z.score)?;
        s.num(4, z.value)?;
        s.text(5, &model.grade_name(z, lang))?;
        s.ws.write_boolean(s.row, 6, z.vetoed)?;
        let reasons: Vec<String> = z
            .veto_reasons
            .iter()
            .map(|r| format!("{} {}", r.name, r.requirement))
            .collect();
        s.text(7, &reasons.join("; "))?;
        s.ws.write_boolean(s.row, 8, z.watch)?;
        let mut c = 9;
        for g in &z.groups {
            s.text(c, &g.group)?;
            s.num(c + 1, g.rank.map(|r| r as f64))?;
            c += 2;
        }
        for &k in &top {
            s.num(c, z.criteria[k])?;
            c += 1;
        }
        for v in &z.details {
            s.num(c, Some(*v))?;
            c += 1;
        }
        s.next();
    }
    s.finish()
}

fn criteria(wb: &mut Workbook, model: &ReportModel, lang: Lang) -> Result<(), XlsxError> {
    let mut h = header(&[
        tr(lang, "rank", "排名"),
        tr(lang, "id", "代码"),
        tr(lang, "name", "名称"),
    ]);
    for &k in &model.criteria {
        let n = &model.nodes[k].named;
        h.push(format!("{} ({})", n.get(lang), n.id));
    }
    let mut s = Sheet::new(
        wb,
        tr(lang, "criterion scores", "准则得分"),
        &h,
        banner(model, lang),
    )?;
    for z in &model.zones {
        s.num(0, z.rank.map(|r| r as f64))?;
        s.text(1, &z.id)?;
        s.text(2, &z.name)?;
        for (k, v) in z.criteria.iter().enumerate() {
            s.num(3 + k, *v)?;
        }
        s.next();
    }
    if model.criteria.is_empty() {
        s.text(
            0,
            tr(
                lang,
                "(flat system: no criteria)",
                "（单层指标体系，无准则）",
            ),
        )?;
    }
    s.finish()
}

/// The normalised values (`normalized`) or the raw data.
fn matrix(
    wb: &mut Workbook,
    model: &ReportModel,
    lang: Lang,
    normalized: bool,
) -> Result<(), XlsxError> {
    let mut h = header(&[
        tr(lang, "rank", "排名"),
        tr(lang, "id", "代码"),
        tr(lang, "name", "名称"),
    ]);
    let groups = if normalized {
        0
    } else {
        model.group_columns.len()
    };
    if !normalized {
        h.extend(model.group_columns.iter().cloned());
    }
    for i in &model.indicators {
        let unit = match (&i.unit, normalized) {
            (Some(u), false) => format!(" [{u}]"),
            _ => String::new(),
        };
        h.push(format!("{} ({}){unit}", i.named.get(lang), i.named.id));
    }
    let name = if normalized {
        tr(lang, "normalised values", "标准化值")
    } else {
        tr(lang, "raw data", "原始数据")
    };
    let filled = Format::new().set_background_color("#FFF2CC");
    let mut s = Sheet::new(wb, name, &h, banner(model, lang))?;
    for z in &model.zones {
        s.num(0, z.rank.map(|r| r as f64))?;
        s.text(1, &z.id)?;
        s.text(2, &z.name)?;
        for (k, g) in z.groups.iter().enumerate().take(groups) {
            s.text(3 + k, &g.group)?;
        }
        let values = if normalized { &z.normalized } else { &z.raw };
        for (j, v) in values.iter().enumerate() {
            let c = 3 + groups + j;
            let imputed = !normalized
                && model
                    .quality
                    .imputed
                    .iter()
                    .any(|i| i.zone == z.id && i.indicator == model.indicators[j].named.id);
            if imputed {
                s.num_fmt(c, *v, &filled)?;
            } else {
                s.num(c, *v)?;
            }
        }
        s.next();
    }
    if !normalized && !model.quality.imputed.is_empty() {
        s.next();
        s.text(
            1,
            tr(
                lang,
                "Highlighted cells were missing and filled.",
                "底色标注的单元格为缺失后填补的值。",
            ),
        )?;
    }
    s.finish()
}

fn weights(wb: &mut Workbook, model: &ReportModel, lang: Lang) -> Result<(), XlsxError> {
    let h = header(&[
        tr(lang, "level", "层级"),
        tr(lang, "id", "代码"),
        tr(lang, "name", "名称"),
        tr(lang, "parent", "上级"),
        tr(lang, "unit", "单位"),
        tr(lang, "direction", "方向"),
        tr(lang, "normalisation", "标准化"),
        tr(lang, "global weight", "全局权重"),
        tr(lang, "local weight", "局部权重"),
    ]);
    let mut s = Sheet::new(wb, tr(lang, "weights", "权重"), &h, banner(model, lang))?;
    let mut stack: Vec<usize> = model
        .nodes
        .first()
        .map_or_else(Vec::new, |r| r.children.iter().rev().copied().collect());
    while let Some(k) = stack.pop() {
        let node = &model.nodes[k];
        s.num(0, Some(node.depth as f64))?;
        s.text(1, &node.named.id)?;
        s.text(2, node.named.get(lang))?;
        if let Some(p) = node.parent.filter(|&p| p != 0) {
            s.text(3, &model.nodes[p].named.id)?;
        }
        if let Some(j) = node.indicator {
            let ind = &model.indicators[j];
            s.text(4, ind.unit.as_deref().unwrap_or(""))?;
            s.text(5, &ind.direction)?;
            s.text(6, &ind.normalization)?;
        }
        s.num(7, Some(node.weight))?;
        let parent_w = node.parent.map_or(1.0, |p| model.nodes[p].weight);
        s.num(8, (parent_w > 0.0).then(|| node.weight / parent_w))?;
        s.next();
        stack.extend(node.children.iter().rev());
    }
    for c in &model.consistency {
        s.next();
        s.text(1, &c.node)?;
        s.text(
            2,
            &format!("AHP λmax {:.4} CI {:.4} CR {:.4}", c.lambda_max, c.ci, c.cr),
        )?;
        s.next();
    }
    s.finish()
}

fn sensitivity(
    wb: &mut Workbook,
    model: &ReportModel,
    sens: &zoneval_core::sensitivity::SensitivityResults,
    lang: Lang,
) -> Result<(), XlsxError> {
    if let Some(mc) = &sens.monte_carlo {
        let k = mc
            .zones
            .iter()
            .map(|z| z.acceptability.len())
            .max()
            .unwrap_or(0);
        let mut h = header(&[
            tr(lang, "base rank", "基准排名"),
            tr(lang, "id", "代码"),
            tr(lang, "name", "名称"),
            tr(lang, "mean rank", "平均名次"),
            "p05",
            "p50",
            "p95",
            "p_top",
        ]);
        h.extend((1..=k).map(|r| format!("{} {r}", tr(lang, "rank", "名次"))));
        let mut s = Sheet::new(
            wb,
            tr(lang, "sensitivity monte carlo", "敏感性-蒙特卡洛"),
            &h,
            banner(model, lang),
        )?;
        for z in &mc.zones {
            s.num(0, Some(z.base_rank as f64))?;
            s.text(1, &z.id)?;
            s.text(2, &z.name)?;
            s.num(3, Some(z.mean_rank))?;
            s.num(4, Some(z.p05))?;
            s.num(5, Some(z.p50))?;
            s.num(6, Some(z.p95))?;
            s.num(7, Some(z.p_top))?;
            for (r, a) in z.acceptability.iter().enumerate() {
                s.num(8 + r, Some(*a))?;
            }
            s.next();
        }
        s.finish()?;
    }
    if let Some(sobol) = &sens.sobol {
        let mut h = header(&[tr(lang, "output", "输出"), tr(lang, "index", "指数")]);
        h.extend(sobol.factors.iter().cloned());
        let mut s = Sheet::new(
            wb,
            tr(lang, "sensitivity sobol", "敏感性-Sobol"),
            &h,
            banner(model, lang),
        )?;
        let mut rows: Vec<(String, &zoneval_core::sensitivity::Indices)> = vec![(
            tr(lang, "rank shift", "名次变动").to_string(),
            &sobol.rank_shift,
        )];
        rows.extend(sobol.zones.iter().map(|z| (z.name.clone(), &z.indices)));
        for (name, ix) in rows {
            for (label, m) in [
                ("S1", &ix.s1),
                ("S1_conf", &ix.s1_conf),
                ("ST", &ix.st),
                ("ST_conf", &ix.st_conf),
            ] {
                s.text(0, &name)?;
                s.text(1, label)?;
                for (c, v) in m.values().iter().enumerate() {
                    s.num(2 + c, Some(*v))?;
                }
                s.next();
            }
        }
        s.finish()?;
    }
    if let Some(oat) = &sens.oat {
        let h = header(&[
            tr(lang, "factor", "因子"),
            tr(lang, "name", "名称"),
            tr(lang, "base weight", "基准权重"),
            tr(lang, "changes tried", "扰动幅度"),
            tr(lang, "largest rank change", "最大名次变动"),
        ]);
        let mut s = Sheet::new(
            wb,
            tr(lang, "sensitivity oat", "敏感性-单因素"),
            &h,
            banner(model, lang),
        )?;
        for f in &oat.factors {
            s.text(0, &f.id)?;
            s.text(1, &crate::charts::tornado::factor_name(model, &f.id, lang))?;
            s.num(2, Some(f.base_weight))?;
            let d: Vec<String> = f.deltas.iter().map(|d| format!("{d:+}")).collect();
            s.text(3, &d.join(" "))?;
            s.num(4, Some(f.max_rank_change as f64))?;
            s.next();
        }
        s.finish()?;
    }
    if let Some(st) = &sens.stability {
        let h = header(&[
            tr(lang, "factor", "因子"),
            tr(lang, "base weight", "基准权重"),
            tr(lang, "lowest", "下限"),
            tr(lang, "highest", "上限"),
        ]);
        let mut s = Sheet::new(
            wb,
            tr(lang, "sensitivity stability", "敏感性-稳定区间"),
            &h,
            banner(model, lang),
        )?;
        for f in &st.factors {
            s.text(0, &f.id)?;
            s.num(1, Some(f.base_weight))?;
            s.num(2, Some(f.low))?;
            s.num(3, Some(f.high))?;
            s.next();
        }
        s.finish()?;
    }
    if let Some(rr) = &sens.rank_reversal {
        let h = header(&[
            tr(lang, "change", "变动"),
            tr(lang, "better before", "原先较优"),
            tr(lang, "worse before", "原先较差"),
        ]);
        let mut s = Sheet::new(
            wb,
            tr(lang, "sensitivity reversal", "敏感性-排序逆转"),
            &h,
            banner(model, lang),
        )?;
        for r in &rr.reversals {
            s.text(0, &r.change)?;
            s.text(1, &r.pair.0)?;
            s.text(2, &r.pair.1)?;
            s.next();
        }
        s.finish()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The length shortcut agrees with the formatter on edge cases and on a million values
    /// over twenty decades, both signs.
    #[test]
    fn fixed4_len_is_the_formatted_length() {
        let mut cases = vec![
            0.0, -0.0, 1e-9, -1e-9, 0.5, 9.99994, 9.99995, 9.9999, 99.99996, 1e15, 123456.7,
            -0.00004, -0.00005, 1e20, 9.99e20, 1e21, 5e-324,
        ];
        let mut s: u64 = 7;
        for _ in 0..1_000_000 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let m = (s >> 11) as f64 / (1u64 << 53) as f64;
            let e = ((s >> 3) % 24) as i32 - 4;
            let sign = if s & 1 == 0 { 1.0 } else { -1.0 };
            cases.push(sign * m * 10f64.powi(e));
        }
        for v in cases {
            if let Some(n) = super::fixed4_len(v) {
                assert_eq!(n, format!("{v:.4}").len(), "{v:e}");
            }
        }
    }
}
