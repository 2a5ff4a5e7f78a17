//! A user's own data, black box: a workbook with Chinese headers, units in brackets, a cover
//! sheet and ids in `开发区代码` evaluates with a three-line `[data]` section; `zoneval
//! template` round-trips for every bundled system; the bundled (synthetic) data are used only
//! when chosen, and say so.

mod common;

use std::path::Path;

use common::{stderr, stdout, tmpdir, write, zoneval};
use rust_xlsxwriter::Workbook;

/// Five indicators of the bundled data with no empty cell in 2024, as a user would write
/// them: Chinese names and units, no `column =` lines.
const INDICATORS: &str = r#"
[[indicators]]
id = "fdi_actual"
name = "实际使用外资"
unit = "万美元"
direction = "benefit"
weight = 0.3

[[indicators]]
id = "exports"
name = "出口总额"
unit = "万美元"
direction = "benefit"
weight = 0.2

[[indicators]]
id = "gdp"
name = "地区生产总值"
unit = "万元"
direction = "benefit"
weight = 0.2

[[indicators]]
id = "hightech_firms"
name = "高新技术企业数"
unit = "家"
direction = "benefit"
weight = 0.1

[[indicators]]
id = "energy_tce"
name = "综合能耗"
unit = "吨标准煤"
direction = "cost"
weight = 0.2
"#;

const HEAD: &str = "[system]\nid = \"own\"\nname = \"自有数据\"\n\n[method]\nnormalization = \"min-max\"\nweighting = \"expert\"\naggregation = \"weighted-sum\"\n";

/// The bundled panel's rows of `year`, as header → cell maps.
fn bundled_rows(year: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(common::root().join("seeds/shandong-zones.csv")).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let y = headers.iter().position(|h| h == "year").unwrap();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .filter(|rec| rec[y] == year)
        .collect();
    (headers, rows)
}

/// A cell as a user's workbook holds it: a number when it is one, else text; empty left out.
fn put(ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, v: &str, text: bool) {
    if v.is_empty() {
        return;
    }
    match v.parse::<f64>() {
        Ok(x) if !text => ws.write_number(row, col, x).map(|_| ()),
        _ => ws.write_string(row, col, v).map(|_| ()),
    }
    .unwrap();
}

fn zones(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            serde_json::json!({
                "id": z["id"], "name": z["name"], "value": z["value"],
                "score": z["score"], "rank": z["rank"], "grade": z["grade"],
                "criteria": z["criteria"], "vetoed": z["vetoed"],
            })
        })
        .collect()
}

/// An administrator's workbook as offices keep it: a cover sheet first, the data on sheet `2024`,
/// ids in `开发区代码`, names in `开发区名称`, each indicator headed by its Chinese name with
/// its unit in brackets (half- and full-width alike), extra columns the system does not read.
/// Three `[data]` lines make it evaluable, and the result is the one the same system gives on
/// the bundled CSV (system column names, `--year 2024`): an independent computation path.
#[test]
fn a_chinese_workbook_evaluates_with_three_data_lines() {
    let d = tmpdir("own-workbook");
    let (headers, rows) = bundled_rows("2024");
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    // (header in the workbook, column in the bundled CSV, text?)
    let layout: Vec<(&str, &str, bool)> = vec![
        ("开发区代码", "zone_id", true),
        ("开发区名称", "zone_name", true),
        ("所在城市", "city", true),
        ("实际使用外资(万美元)", "fdi_actual", false),
        ("出口总额（万美元）", "exports", false),
        ("地区生产总值 【万元】", "gdp", false),
        ("高新技术企业数（家）", "hightech_firms", false),
        ("综合能耗(吨标准煤)", "energy_tce", false),
        ("从业人员(人)", "employees", false),
    ];
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("封面").unwrap();
    cover.write_string(0, 0, "2024年开发区统计报表").unwrap();
    cover.write_string(2, 0, "填报单位：省商务厅").unwrap();
    let ws = wb.add_worksheet().set_name("2024").unwrap();
    for (j, (h, _, _)) in layout.iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        for (j, (_, c, text)) in layout.iter().enumerate() {
            put(ws, i as u32 + 1, j as u16, &r[col(c)], *text);
        }
    }
    let book = d.join("admin.xlsx");
    wb.save(&book).unwrap();
    let data =
        "[data]\nsheet = \"2024\"\nid_column = \"开发区代码\"\nname_column = \"开发区名称\"\n";
    let own = write(&d, "own.toml", format!("{HEAD}\n{data}{INDICATORS}"));
    let plain = write(&d, "plain.toml", format!("{HEAD}{INDICATORS}"));
    let book = book.display().to_string();

    let o = zoneval(&["evaluate", "-s", &own, "-d", &book, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // The note lists every automatic match, and only those.
    for m in [
        "`实际使用外资(万美元)` → fdi_actual (实际使用外资)",
        "`出口总额（万美元）` → exports (出口总额)",
        "`地区生产总值 【万元】` → gdp (地区生产总值)",
        "`高新技术企业数（家）` → hightech_firms (高新技术企业数)",
        "`综合能耗(吨标准煤)` → energy_tce (综合能耗)",
    ] {
        assert!(err.contains(m), "{m}: {err}");
    }
    assert!(err.contains("5 column(s) found by name"), "{err}");
    assert!(!err.contains("从业人员"), "{err}");
    // The user's own data: no synthetic-data notice.
    assert!(!err.contains("SYNTHETIC"), "{err}");
    let got = zones(&stdout(&o));

    let o = zoneval(&[
        "evaluate",
        "-s",
        &plain,
        "-d",
        "shandong-zones",
        "--year",
        "2024",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The bundled data are synthetic and the notice says so.
    assert!(stderr(&o).contains("SYNTHETIC"), "{}", stderr(&o));
    let want = zones(&stdout(&o));
    assert_eq!(got.len(), rows.len());
    assert_eq!(got, want);

    // The same by flags, without any [data] line in the system.
    let o = zoneval(&[
        "evaluate",
        "-s",
        &plain,
        "-d",
        &book,
        "--sheet",
        "2024",
        "--id-column",
        "开发区代码",
        "--name-column",
        "开发区名称",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(zones(&stdout(&o)), want);

    // Without the three lines, each error says what to set.
    let o = zoneval(&["evaluate", "-s", &plain, "-d", &book, "--sheet", "2024"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("admin.xlsx!2024!1:1: missing column `zone_id`")
            && err.contains("set [data] id_column = \"开发区代码\" (its values are unique)")
            && err.contains("set [data] name_column = \"开发区名称\""),
        "{err}"
    );
    let o = zoneval(&[
        "evaluate",
        "-s",
        &plain,
        "-d",
        &book,
        "--id-column",
        "开发区代码",
        "--name-column",
        "开发区名称",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("sheet `2024` has the columns: set [data] sheet = \"2024\""),
        "{err}"
    );
}

/// A bad cell of a workbook is located as Excel shows it: file, sheet, column letter, row.
#[test]
fn workbook_cells_are_located_by_excel_address() {
    let d = tmpdir("own-address");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("2024").unwrap();
    for (j, h) in [
        "zone_id",
        "zone_name",
        "region",
        "fdi_actual",
        "fdi_contracted",
        "energy",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, r) in [
        ["z1", "甲", "鲁东", "1", "2", "3"],
        ["z2", "乙", "鲁东", "4", "5", "12,4%"],
    ]
    .iter()
    .enumerate()
    {
        for (j, v) in r.iter().enumerate() {
            put(ws, i as u32 + 1, j as u16, v, j < 3);
        }
    }
    let book = d.join("admin.xlsx");
    wb.save(&book).unwrap();
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &book.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("admin.xlsx!2024!F3: zone \"乙\", column `energy`: not a number"),
        "{}",
        stderr(&o)
    );
}

/// Fills a template's data sheet (its headers read back with calamine) with `rows` of the
/// bundled CSV, as a zone office would, and saves it as `out`.
fn fill(template: &Path, headers: &[String], rows: &[Vec<String>], out: &Path) {
    use calamine::{Reader, open_workbook_auto};
    let mut t = open_workbook_auto(template).unwrap();
    let sheet = t.sheet_names()[0].clone();
    let range = t.worksheet_range(&sheet).unwrap();
    let heads: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(range.rows().count() == 1, "the template has one header row");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(&sheet).unwrap();
    // The year column is optional: a single-year dataset leaves it out, as its note says.
    let heads: Vec<String> = heads
        .into_iter()
        .filter(|h| h != "year" || headers.contains(h))
        .collect();
    for (j, h) in heads.iter().enumerate() {
        ws.write_string(0, j as u16, h).unwrap();
        let src = headers
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("template column `{h}` is not in the bundled data"));
        for (i, r) in rows.iter().enumerate() {
            put(ws, i as u32 + 1, j as u16, &r[src], j < 2);
        }
    }
    wb.save(out).unwrap();
}

/// For every bundled system: the template has one column per column the system reads; filled
/// with the system's bundled data it evaluates to the same result as the bundled data itself.
#[test]
fn templates_round_trip_for_every_bundled_system() {
    let d = tmpdir("own-template");
    for (system, data) in [
        ("shandong-provincial", "seeds/shandong-zones.csv"),
        ("mofcom-etdz-2021", "seeds/shandong-zones.csv"),
        ("land-intensive-use", "seeds/shandong-zones.csv"),
        ("eco-industrial-park", "seeds/shandong-zones.csv"),
        ("project-access", "seeds/project-applications.csv"),
    ] {
        let t = d.join(format!("{system}.xlsx"));
        let o = zoneval(&[
            "template",
            "--system",
            system,
            "--out",
            &t.display().to_string(),
        ]);
        assert!(o.status.success(), "{system}: {}", stderr(&o));
        let mut r = csv::Reader::from_path(common::root().join(data)).unwrap();
        let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        let filled = d.join(format!("{system}-filled.xlsx"));
        fill(&t, &headers, &rows, &filled);
        let a = zoneval(&["evaluate", "-s", system, "--format", "json"]);
        assert!(a.status.success(), "{system}: {}", stderr(&a));
        let b = zoneval(&[
            "evaluate",
            "-s",
            system,
            "-d",
            &filled.display().to_string(),
            "--format",
            "json",
        ]);
        assert!(b.status.success(), "{system}: {}", stderr(&b));
        let (za, zb) = (zones(&stdout(&a)), zones(&stdout(&b)));
        assert!(!za.is_empty());
        assert_eq!(za, zb, "{system}");
        // Filled by hand, the template's data are the user's: no synthetic notice.
        assert!(
            !stderr(&b).contains("SYNTHETIC"),
            "{system}: {}",
            stderr(&b)
        );
    }
}

/// The template refuses to replace an input of the run (here the system file itself, named
/// with an .xlsx extension) and leaves it unchanged.
#[test]
fn template_never_replaces_its_input() {
    let d = tmpdir("own-template-input");
    let sys = std::fs::read(common::root().join("tests/data/flat.toml")).unwrap();
    let p = write(&d, "flat.xlsx", &sys);
    let o = zoneval(&["template", "--system", &p, "--out", &p]);
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(&p).unwrap(), sys);
}

/// DESIGN.md: with neither `--data` nor `[data] path` the bundled dataset is used. For a
/// system that is not bundled that is said on stderr (it is synthetic data, and how to give
/// one's own); a bundled system or explicit `--data` says nothing of the kind.
#[test]
fn a_user_system_without_data_is_warned_about_the_bundled_data() {
    let d = tmpdir("own-unchosen");
    let plain = write(&d, "plain.toml", format!("{HEAD}{INDICATORS}"));
    let o = zoneval(&["evaluate", "-s", &plain, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "no data given: evaluating this system on the bundled SYNTHETIC Shandong dataset"
        ) && err.contains("[data] path"),
        "{err}"
    );
    let o = zoneval(&[
        "evaluate",
        "-s",
        &plain,
        "-d",
        "shandong-zones",
        "--format",
        "json",
    ]);
    assert!(!stderr(&o).contains("no data given"), "{}", stderr(&o));
    let o = zoneval(&["evaluate", "--format", "json"]);
    assert!(!stderr(&o).contains("no data given"), "{}", stderr(&o));
    assert!(stderr(&o).contains("SYNTHETIC"), "{}", stderr(&o));
    // In Chinese too.
    let o = zoneval(&["evaluate", "-s", &plain, "--format", "json", "--lang", "zh"]);
    assert!(
        stderr(&o).contains("内置的山东合成数据集"),
        "{}",
        stderr(&o)
    );
}

/// A mapping file (`--columns`) maps headers as `[data] columns` does.
#[test]
fn a_mapping_file_maps_headers() {
    let d = tmpdir("own-mapping");
    let data = write(
        &d,
        "data.csv",
        "代码,名称,region,外资,合同外资,能耗\n\
         z1,青岛经济技术开发区,鲁东,68500,166000,0.45\n\
         z2,烟台经济技术开发区,鲁东,52000,90000,0.52\n\
         z3,济南高新技术产业开发区,鲁中,41000,70000,0.38\n\
         z4,山东临清经济开发区,鲁西,3000,9000,0.90\n",
    );
    let map = write(
        &d,
        "map.csv",
        "column,header\nzone_id,代码\nzone_name,名称\nfdi_actual,外资\nfdi_contracted,合同外资\nenergy,能耗\n",
    );
    let o = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        &data,
        "--columns",
        &map,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let want = zoneval(&[
        "evaluate",
        "-s",
        "tests/data/flat.toml",
        "-d",
        "tests/data/flat.csv",
        "--format",
        "json",
    ]);
    assert_eq!(zones(&stdout(&o)), zones(&stdout(&want)));
}

/// The template of the flat example: the data sheet's headers are the columns the system
/// reads, in order (id, name, year, group, raw columns — `fdi_contracted` only feeds a
/// formula); the notes sheet (`--lang zh`: 说明) defines every indicator.
#[test]
fn template_columns_and_notes() {
    use calamine::{Reader, open_workbook_auto};
    let d = tmpdir("own-template-notes");
    let t = d.join("flat.xlsx");
    let o = zoneval(&[
        "template",
        "--system",
        "tests/data/flat.toml",
        "--lang",
        "zh",
        "--out",
        &t.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let mut wb = open_workbook_auto(&t).unwrap();
    assert_eq!(wb.sheet_names(), ["数据", "说明"]);
    let data = wb.worksheet_range("数据").unwrap();
    let heads: Vec<String> = data
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        heads,
        [
            "zone_id",
            "zone_name",
            "year",
            "region",
            "fdi_actual",
            "fdi_contracted",
            "energy"
        ]
    );
    let notes = wb.worksheet_range("说明").unwrap();
    let rows: Vec<Vec<String>> = notes
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).cloned().unwrap();
    assert_eq!(
        row("fdi_actual"),
        [
            "fdi_actual",
            "实际利用外资",
            "",
            "万美元",
            "正向（越大越好）",
            "fdi_actual"
        ]
    );
    assert_eq!(row("arrival_rate")[5], "= fdi_actual / fdi_contracted");
    assert_eq!(row("energy")[4], "逆向（越小越好）");
}
