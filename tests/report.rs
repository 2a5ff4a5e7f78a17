//! The report directory: snapshots of report.md, results.csv and results.json and of every
//! chart's data series; every chart is well-formed SVG; results.json keeps the evaluate
//! contract and re-renders the same report; the xlsx opens; writes are atomic; and the
//! scorecard's gap to the next grade checked by hand.
//!
//! The report's text outputs are snapshotted on the bundled default system and data (what
//! `zoneval` with no arguments writes), the sensitivity section and the English wording on a
//! small fixture (tests/data/report.*). The snapshots (`insta`) live in tests/snapshots/
//! (`report__*.snap`); after an intended change review them with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test report` and `git diff`). In CI a difference fails.

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use serde_json::Value;
use zoneval_core::bundled::Source;
use zoneval_core::error::Lang;
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::sensitivity::SensitivityResults;
use zoneval_report::charts;
use zoneval_report::dir::{self, Options, Png, Rendered};
use zoneval_report::model::{self, ReportModel, Spec};

use common::{command, root, tmpdir};

const SYSTEM: &str = "tests/data/report.toml";
const DATA: &str = "tests/data/report.csv";
const SENSITIVITY: &str = "tests/data/report-sensitivity.json";

/// Evaluates the way `zoneval evaluate` run in the repository root does, without changing the
/// test process's directory: a fixture file is read from the root and named relative to it (as
/// the snapshots show it), a bundled system is named by its id; `data` "" means the system's
/// own data.
fn evaluate(system: &str, data: &str, aggregation: Option<&str>) -> Evaluation {
    let sys = if Source::system(Path::new(system)).is_bundled() {
        zoneval_core::system::load_file(Path::new(system)).unwrap()
    } else {
        let text = std::fs::read_to_string(root().join(system)).unwrap();
        zoneval_core::system::load_str(system, &text, Path::new(system).parent()).unwrap()
    };
    let sys = Arc::new(sys);
    let ov = Overrides {
        aggregation: aggregation.map(zoneval_core::method::Params::named),
        ..Overrides::default()
    };
    let methods = Arc::new(Methods::resolve(&sys, &ov).unwrap());
    let table = if data.is_empty() {
        evaluation::load_data(&sys, &evaluation::data_path(&sys, None), None, &[])
    } else {
        let bytes = std::fs::read(root().join(data)).unwrap();
        zoneval_core::data::read_bytes(data, &bytes, &evaluation::read_spec(&sys, None, &[]))
    };
    let table = Arc::new(table.unwrap());
    let prepared = Arc::new(evaluation::prepare(sys, table, None, &[]).unwrap());
    evaluation::evaluate(&prepared, &methods, &[]).unwrap()
}

/// Every year of the data, evaluated by the engine (as the CLI does) for the report.
fn years(ev: &Evaluation) -> Vec<evaluation::history::YearOutcome> {
    evaluation::history::years(ev)
}

fn spec(system: &str, data: &str) -> Spec {
    Spec {
        system_file: system.into(),
        data_file: data.into(),
        ..Spec::default()
    }
}

fn sensitivity() -> SensitivityResults {
    serde_json::from_str(&std::fs::read_to_string(root().join(SENSITIVITY)).unwrap()).unwrap()
}

fn fixture(with_sensitivity: bool) -> (Evaluation, ReportModel, Value) {
    let ev = evaluate(SYSTEM, DATA, None);
    let model = model::build(
        &ev,
        spec(SYSTEM, DATA),
        years(&ev),
        with_sensitivity.then(sensitivity),
    );
    let results = dir::results_json(zoneval_report::json::value(&model), &model);
    (ev, model, results)
}

fn render(model: &ReportModel, results: &Value, lang: Lang) -> Rendered {
    dir::render(
        model,
        results,
        Options {
            lang,
            png: Png::Off,
        },
    )
    .unwrap()
}

/// Compares `actual` with the committed snapshot `tests/snapshots/report__{name}.snap`, and
/// its end exactly (insta ignores trailing whitespace): Markdown ends with a blank line, other
/// files with one newline.
fn golden(name: &str, actual: &str) {
    insta::assert_snapshot!(name, actual);
    let end = &actual[actual.trim_end().len()..];
    let want = if name.ends_with(".md") { "\n\n" } else { "\n" };
    assert_eq!(end, want, "{name}: the text's end changed");
}

/// The default run's report (bundled Shandong provincial system and data), in Chinese.
#[test]
fn golden_bundled_default_report() {
    let system = zoneval_core::bundled::DEFAULT_SYSTEM;
    let ev = evaluate(system, "", None);
    let data = evaluation::data_path(ev.system(), None).to_string();
    let model = model::build(&ev, spec(&ev.system().file, &data), years(&ev), None);
    let results = dir::results_json(zoneval_report::json::value(&model), &model);
    let zh = render(&model, &results, Lang::Zh);
    golden("shandong.report.zh.md", zh.text("report.md").unwrap());
    golden("shandong.results.zh.csv", zh.text("results.csv").unwrap());
    golden("shandong.results.json", zh.text("results.json").unwrap());
    // The JSON does not depend on the language, and the text (scalar arrays on one line)
    // parses back to the same value.
    let en = render(&model, &results, Lang::En);
    assert_eq!(zh.text("results.json"), en.text("results.json"));
    let back: Value = serde_json::from_str(zh.text("results.json").unwrap()).unwrap();
    assert_eq!(back, results);
}

/// The English wording, on the small fixture.
#[test]
fn golden_fixture_in_english() {
    let (_, model, results) = fixture(false);
    let en = render(&model, &results, Lang::En);
    golden("fixture.report.en.md", en.text("report.md").unwrap());
    golden("fixture.results.en.csv", en.text("results.csv").unwrap());
}

#[test]
fn golden_report_with_sensitivity() {
    let (_, model, results) = fixture(true);
    let zh = render(&model, &results, Lang::Zh);
    golden(
        "fixture.report-sensitivity.zh.md",
        zh.text("report.md").unwrap(),
    );
}

/// The data series of every chart (the SVG itself is checked for well-formedness below and
/// looked at in a browser, not snapshotted).
#[test]
fn golden_chart_data() {
    let (_, model, _) = fixture(true);
    for lang in [Lang::Zh, Lang::En] {
        let all: Vec<Value> = charts::all(&model, lang)
            .into_iter()
            .map(|c| serde_json::json!({ "file": c.file, "kind": c.kind, "data": c.data }))
            .collect();
        let mut text = serde_json::to_string_pretty(&all).unwrap();
        text.push('\n');
        let name = match lang {
            Lang::Zh => "fixture.charts.zh.json",
            Lang::En => "fixture.charts.en.json",
        };
        golden(name, &text);
    }
}

/// Every kind of chart is drawn for the fixture (with sensitivity results), and each one is
/// well-formed XML that usvg accepts as SVG, with the CJK font families named first.
#[test]
fn every_chart_is_valid_svg() {
    let (_, model, _) = fixture(true);
    let all = charts::all(&model, Lang::Zh);
    let kinds: std::collections::BTreeSet<&str> = all.iter().map(|c| c.kind.name()).collect();
    for k in [
        "ranking",
        "contributions",
        "radar",
        "boxplot",
        "correlation",
        "treemap",
        "slope",
        "intervals",
        "tornado",
        "sobol",
        "acceptability",
    ] {
        assert!(kinds.contains(k), "no {k} chart");
    }
    let opt = resvg::usvg::Options::default();
    for c in &all {
        let doc = resvg::usvg::roxmltree::Document::parse(&c.svg)
            .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", c.file));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{}", c.file);
        let fonts = root.attribute("font-family").unwrap();
        assert!(
            fonts.starts_with("'Noto Sans CJK SC'"),
            "{}: {fonts}",
            c.file
        );
        resvg::usvg::Tree::from_str(&c.svg, &opt).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert!(
            !c.svg.contains("NaN") && !c.svg.contains("inf"),
            "{}",
            c.file
        );
    }
    // One radar per ranked zone.
    assert_eq!(
        all.iter()
            .filter(|c| c.kind == charts::ChartKind::Radar)
            .count(),
        model.ranked().count()
    );
}

/// A flat system (no criteria): radar axes are the indicators; charts still render.
#[test]
fn flat_system_renders() {
    let ev = evaluate("tests/data/flat.toml", "tests/data/flat.csv", None);
    let model = model::build(
        &ev,
        spec("tests/data/flat.toml", "tests/data/flat.csv"),
        years(&ev),
        None,
    );
    let results = dir::results_json(zoneval_report::json::value(&model), &model);
    let r = render(&model, &results, Lang::Zh);
    let md = r.text("report.md").unwrap();
    assert!(md.contains("济南高新技术产业开发区"));
    for (name, bytes) in &r.files {
        if name.ends_with(".svg") {
            let svg = std::str::from_utf8(bytes).unwrap();
            resvg::usvg::roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    assert!(r.files.iter().any(|(n, _)| n == "charts/weights.svg"));
    assert!(
        !r.files.iter().any(|(n, _)| n.starts_with("charts/years")),
        "one year: no slope chart"
    );
}

/// results.json is the evaluate JSON, key for key, with the model added under `report`; the
/// model survives the round trip, and results.csv is `evaluate --format csv`.
#[test]
fn results_keep_the_evaluate_contract() {
    let (ev, model, results) = fixture(false);
    let contract = zoneval_report::json::value(&model::for_outputs(&ev));
    let mut without = results.clone();
    without.as_object_mut().unwrap().remove("report");
    assert_eq!(without, contract);
    let keys: Vec<&str> = results
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(&keys[..4], ["system", "method", "weights", "zones"]);
    assert_eq!(keys.last(), Some(&"report"));
    let text = serde_json::to_string_pretty(&results).unwrap();
    let back: Value = serde_json::from_str(&text).unwrap();
    let again: ReportModel = serde_json::from_value(back["report"].clone()).unwrap();
    assert!(again == model, "the model changed in a JSON round trip");
    for lang in [Lang::Zh, Lang::En] {
        assert_eq!(
            dir::csv(&model, lang),
            zoneval_report::csv::render(&model::for_outputs(&ev), lang)
        );
    }
}

/// Every output renders through the one `Render` trait from the model: the report's HTML and
/// Markdown equal the directory's files (no notes: PNG off, few zones), the CSV is
/// results.csv, the JSON is results.json without `report`, and a model read back from
/// results.json renders the same CSV.
#[test]
fn every_output_renders_through_the_trait() {
    use zoneval_report::render::{self, Csv, Html, Json, ReportMarkdown, Xlsx};
    let (ev, model, results) = fixture(false);
    for lang in [Lang::Zh, Lang::En] {
        let files = render(&model, &results, lang);
        assert_eq!(
            render::to_string(&Html, &model, lang),
            files.text("report.html").unwrap()
        );
        assert_eq!(
            render::to_string(&ReportMarkdown, &model, lang),
            files.text("report.md").unwrap()
        );
        assert_eq!(
            render::to_string(&Csv, &model, lang),
            files.text("results.csv").unwrap()
        );
        let back: ReportModel = serde_json::from_value(results["report"].clone()).unwrap();
        assert_eq!(
            render::to_string(&Csv, &back, lang),
            files.text("results.csv").unwrap()
        );
        let mut book = Vec::new();
        zoneval_report::Render::render(&Xlsx, &model, lang, &mut book).unwrap();
        assert!(book.starts_with(b"PK"), "an xlsx is a zip file");
    }
    let mut contract = results.clone();
    contract.as_object_mut().unwrap().remove("report");
    let json = render::to_string(&Json, &model::for_outputs(&ev), Lang::En);
    assert_eq!(
        json,
        format!("{}\n", serde_json::to_string_pretty(&contract).unwrap())
    );
    assert_eq!(
        json,
        zoneval_report::render(&ev, zoneval_report::Format::Json, Lang::Zh)
    );
}

/// The engine evaluates every year of a panel for the report: one outcome per year in year
/// order, the evaluated year being the evaluation's own ranking, and the model keeps them.
#[test]
fn other_years_come_from_the_engine() {
    let ev = evaluate(zoneval_core::bundled::DEFAULT_SYSTEM, "", None);
    let years = evaluation::history::years(&ev);
    let listed: Vec<i64> = years.iter().map(|y| y.year).collect();
    assert!(listed.len() >= 2, "the bundled data has several years");
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "{listed:?}");
    let own = years
        .iter()
        .find(|y| Some(y.year) == ev.prepared().year)
        .expect("the evaluated year is among them");
    assert_eq!(
        own.ranking.as_ref().unwrap(),
        &evaluation::history::ranking(&ev)
    );
    let ok = years.iter().filter(|y| y.ranking.is_ok()).count();
    let model = model::build(
        &ev,
        spec(zoneval_core::bundled::DEFAULT_SYSTEM, ""),
        years,
        None,
    );
    assert_eq!(model.years.len(), ok);
    assert_eq!(
        model.quality.warnings.len(),
        ev.warnings().len() + listed.len() - ok
    );
}

/// The workbook opens and holds every sheet the README lists for results.xlsx, sensitivity
/// included.
#[test]
fn workbook_has_every_sheet() {
    use calamine::{Reader, Xlsx};
    let (_, model, _) = fixture(true);
    let bytes = zoneval_report::xlsx::render(&model, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    for s in [
        "排名",
        "准则得分",
        "标准化值",
        "原始数据",
        "权重",
        "敏感性-蒙特卡洛",
        "敏感性-Sobol",
    ] {
        assert!(names.iter().any(|n| n == s), "no sheet {s} in {names:?}");
    }
    let ranking = book.worksheet_range("排名").unwrap();
    assert_eq!(
        ranking.get_value((1, 2)).unwrap().to_string(),
        model.zones[0].name
    );
    assert_eq!(ranking.get_value((1, 0)).unwrap().to_string(), "1");
}

/// The flat example by hand (min-max, weights 0.4/0.3/0.3, grades 80/60/0):
/// 青岛 z1: fdi (68500−3000)/65500 = 1; arrival rate 68500/166000 = 0.412651 on
/// [9000→0.333333 … 41000/70000 = 0.585714] → (0.412651−0.333333)/0.252381 = 0.314273;
/// energy (0.90−0.45)/0.52 = 0.865385. Score = 100·(0.4 + 0.3·0.314273 + 0.3·0.865385)
/// = 75.3897, grade 良好; gap to 优秀 (80) = 4.6103.
/// Alone, fdi is already the best; energy at the best (0.38) adds 100·0.3·(1−0.865385) =
/// 4.0385 < 4.6103, not enough; the arrival rate needs share 4.6103/(100·0.3·(1−0.314273))
/// = 0.224108 of the way to 济南's 0.585714, i.e. 0.412651 + 0.224108·0.173063 = 0.451436.
/// All at once: 4.6103/(100·0.3·(0.685727 + 0.134615)) = 0.187337.
#[test]
fn gap_to_the_next_grade_by_hand() {
    let ev = evaluate("tests/data/flat.toml", "tests/data/flat.csv", None);
    let model = model::build(
        &ev,
        spec("tests/data/flat.toml", "tests/data/flat.csv"),
        years(&ev),
        None,
    );
    let z1 = model.zones.iter().find(|z| z.id == "z1").unwrap();
    let arrival = |c: f64| (c - 3000.0 / 9000.0) / (41000.0 / 70000.0 - 3000.0 / 9000.0);
    let n_arrival = arrival(68500.0 / 166000.0);
    let n_energy = (0.90 - 0.45) / (0.90 - 0.38);
    let score = 100.0 * (0.4 + 0.3 * n_arrival + 0.3 * n_energy);
    assert!((z1.score.unwrap() - score).abs() < 1e-9);
    let ex = z1.explanation.as_ref().unwrap();
    let gap = ex.next_grade.as_ref().unwrap();
    assert_eq!(gap.grade, 0);
    assert!((gap.gap - (80.0 - score)).abs() < 1e-9);
    assert_eq!(gap.method, "analytic");
    assert_eq!(gap.closers.len(), 1, "{:?}", gap.closers);
    let c = &gap.closers[0];
    assert_eq!(model.indicators[c.indicator].named.id, "arrival_rate");
    let share = (80.0 - score) / (100.0 * 0.3 * (1.0 - n_arrival));
    assert!((c.share - share).abs() < 1e-9, "{} vs {share}", c.share);
    let needed = 68500.0 / 166000.0 + share * (41000.0 / 70000.0 - 68500.0 / 166000.0);
    assert!((c.raw_needed - needed).abs() < 1e-9);
    let all = (80.0 - score) / (100.0 * 0.3 * ((1.0 - n_arrival) + (1.0 - n_energy)));
    assert!((gap.all_at_once.unwrap() - all).abs() < 1e-9);
    // Strongest: fdi, the best of four zones (percentile 100); weakest: the arrival rate,
    // third of four (percentile 1/3 · 100).
    assert_eq!(
        model.indicators[ex.strongest[0].indicator].named.id,
        "fdi_actual"
    );
    assert_eq!(ex.strongest[0].percentile, 100.0);
    assert_eq!(
        model.indicators[ex.weakest[0].indicator].named.id,
        "arrival_rate"
    );
    assert!((ex.weakest[0].percentile - 100.0 / 3.0).abs() < 1e-9);
}

/// For a method without a closed form the gap is found by re-running the aggregation: every
/// closer must then actually reach the grade, and a little less must not.
#[test]
fn what_if_closers_reach_the_grade() {
    let ev = evaluate(SYSTEM, DATA, Some("copras"));
    let model = model::build(&ev, spec(SYSTEM, DATA), years(&ev), None);
    let mut checked = 0;
    for z in model.ranked() {
        let Some(gap) = z.explanation.as_ref().and_then(|e| e.next_grade.as_ref()) else {
            continue;
        };
        assert_eq!(gap.method, "what-if");
        for c in &gap.closers {
            assert!(c.share > 0.0 && c.share <= 1.0);
            checked += 1;
        }
        for w in gap.closers.windows(2) {
            assert!(w[0].share <= w[1].share);
        }
    }
    assert!(
        checked > 0,
        "the fixture should have some closers under COPRAS"
    );
}

// ---- Black-box: the CLI writes, re-renders and fails cleanly. ----

/// `zoneval args…` in the repository root, with Chinese messages (the report's audience).
fn zoneval(args: &[&str]) -> Output {
    command()
        .env("ZONEVAL_LANG", "zh")
        .args(args)
        .output()
        .expect("run zoneval")
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn evaluate_report_writes_every_file_and_report_rerenders_it() {
    let t = tmpdir("rerender");
    let a = t.join("a");
    let s = a.display().to_string();
    let o = zoneval(&["evaluate", "-s", SYSTEM, "-d", DATA, "--report", &s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // stdout is still the ranking table.
    assert!(String::from_utf8_lossy(&o.stdout).contains("青岛经济技术开发区"));
    let files = listing(&a);
    for f in [
        "report.html",
        "report.md",
        "results.csv",
        "results.json",
        "results.xlsx",
        "charts/ranking.svg",
        "charts/weights.svg",
        "charts/years.svg",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    assert!(!files.iter().any(|f| f.contains("tmp")), "{files:?}");
    // Re-rendering from results.json alone gives the same files.
    let b = t.join("b");
    let json = a.join("results.json").display().to_string();
    let o = zoneval(&["report", &json, "--out", &b.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(listing(&a), listing(&b));
    for f in listing(&a) {
        if f.ends_with(".xlsx") || f.ends_with(".png") {
            continue;
        }
        let x = std::fs::read(a.join(&f)).unwrap();
        let y = std::fs::read(b.join(&f)).unwrap();
        assert!(x == y, "{f} differs after re-rendering");
    }
    // Adding sensitivity results renders their section and charts.
    let o = zoneval(&[
        "report",
        &json,
        "--out",
        &b.display().to_string(),
        "--sensitivity",
        SENSITIVITY,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(b.join("report.md")).unwrap();
    assert!(md.contains("## 敏感性分析"), "{md}");
    assert!(b.join("charts/rank-intervals.svg").exists());
    let _ = std::fs::remove_dir_all(&t);
}

#[test]
fn report_errors_are_clean() {
    let t = tmpdir("errors");
    // A parent that does not exist: exit 1, nothing created.
    let missing = t.join("no/such/dir");
    let o = zoneval(&[
        "evaluate",
        "-s",
        SYSTEM,
        "-d",
        DATA,
        "--report",
        &missing.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert!(!t.join("no").exists());
    // RESULTS.json without a report section (plain `evaluate -f json`): exit 1.
    let plain = t.join("plain.json");
    let o = zoneval(&[
        "evaluate",
        "-s",
        SYSTEM,
        "-d",
        DATA,
        "-f",
        "json",
        "-o",
        &plain.display().to_string(),
    ]);
    assert!(o.status.success());
    let o = zoneval(&["report", &plain.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("report"));
    // A directory where results.json goes: a bad output path (exit 1), refused before any
    // file is replaced — the files already there unchanged, no temporary files left.
    let d = t.join("d");
    let s = d.display().to_string();
    assert!(
        zoneval(&["evaluate", "-s", SYSTEM, "-d", DATA, "--report", &s])
            .status
            .success()
    );
    let before = std::fs::read(d.join("report.md")).unwrap();
    std::fs::remove_file(d.join("results.json")).unwrap();
    std::fs::create_dir(d.join("results.json")).unwrap();
    std::fs::write(d.join("results.json/keep"), "x").unwrap();
    let o = zoneval(&[
        "evaluate",
        "-s",
        SYSTEM,
        "-d",
        DATA,
        "--aggregation",
        "copras",
        "--report",
        &s,
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read(d.join("report.md")).unwrap(), before);
    assert!(
        !listing(&d)
            .iter()
            .any(|f| f.contains(".tmp-") || f.contains("tmp-")),
        "{:?}",
        listing(&d)
    );
    let _ = std::fs::remove_dir_all(&t);
}

/// `zoneval` with no arguments prints the ranking and writes ./zoneval-report/ (from any
/// directory: the default system and data are bundled).
#[test]
fn default_run_writes_zoneval_report() {
    let t = tmpdir("default");
    let o = command()
        .current_dir(&t)
        .env("ZONEVAL_LANG", "zh")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.lines().count() > 100, "{out}");
    let files = listing(&t.join("zoneval-report"));
    for f in [
        "report.html",
        "report.md",
        "results.csv",
        "results.json",
        "results.xlsx",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    assert!(String::from_utf8_lossy(&o.stderr).contains("zoneval-report"));
    let _ = std::fs::remove_dir_all(&t);
}

/// Without a CJK font the charts are SVG only, and both stderr and the report's data-quality
/// notes say so (never PNGs with missing glyphs). The font lookup is pointed at an empty
/// directory through a fontconfig file.
#[test]
fn without_a_cjk_font_charts_are_svg_only_and_the_report_says_so() {
    let t = tmpdir("nofont");
    std::fs::create_dir_all(t.join("empty")).unwrap();
    let conf = t.join("fonts.conf");
    let dir = t.join("empty").display().to_string();
    std::fs::write(
        &conf,
        format!("<?xml version=\"1.0\"?>\n<fontconfig><dir>{dir}</dir></fontconfig>\n"),
    )
    .unwrap();
    let out = t.join("r");
    let o = command()
        .args([
            "evaluate",
            "-s",
            SYSTEM,
            "-d",
            DATA,
            "--report",
            &out.display().to_string(),
        ])
        .env("FONTCONFIG_FILE", &conf)
        .env("HOME", &t)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no CJK font found"), "{err}");
    let files = listing(&out);
    assert!(files.iter().any(|f| f.ends_with(".svg")));
    assert!(!files.iter().any(|f| f.ends_with(".png")), "{files:?}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("no CJK font found"),
        "the note is missing from the report"
    );
    // With the system's fonts, a CJK font (when installed) gives PNG copies of every chart.
    if zoneval_report::charts::png::Rasterizer::system().is_some() {
        let with = t.join("with");
        let o = zoneval(&[
            "evaluate",
            "-s",
            SYSTEM,
            "-d",
            DATA,
            "--report",
            &with.display().to_string(),
        ]);
        assert!(o.status.success());
        let files = listing(&with);
        let svgs = files.iter().filter(|f| f.ends_with(".svg")).count();
        let pngs = files.iter().filter(|f| f.ends_with(".png")).count();
        assert_eq!(svgs, pngs);
    }
    let _ = std::fs::remove_dir_all(&t);
}

/// A table far larger than a province (700 zones): the long charts and the per-zone
/// scorecards and radars stop at the first `charts::DETAILED` ranks, with a warning that
/// says so, while the ranking table and results.csv keep every zone.
#[test]
fn large_tables_are_detailed_for_the_first_ranks_only() {
    let dir = tmpdir("large");
    let zones = charts::DETAILED + 100;
    let mut csv = String::from("zone_id,zone_name,x1,x2,x3\n");
    for i in 0..zones {
        let v = |k: usize| (i * 37 + k * 101) % 997;
        csv.push_str(&format!("z{i},开发区{i}号,{},{},{}\n", v(1), v(2), v(3)));
    }
    let system = "[system]\nid = \"big\"\nname = \"big\"\n\
                  [[indicators]]\nid = \"x1\"\ndirection = \"benefit\"\nweight = 1\n\
                  [[indicators]]\nid = \"x2\"\ndirection = \"benefit\"\nweight = 1\n\
                  [[indicators]]\nid = \"x3\"\ndirection = \"cost\"\nweight = 1\n";
    let (sys_path, data_path) = (dir.join("big.toml"), dir.join("big.csv"));
    std::fs::write(&sys_path, system).unwrap();
    std::fs::write(&data_path, csv).unwrap();
    let (s, d) = (sys_path.to_str().unwrap(), data_path.to_str().unwrap());
    let ev = evaluate(s, d, None);
    let model = model::build(&ev, spec(s, d), years(&ev), None);
    let results = dir::results_json(zoneval_report::json::value(&model), &model);
    let r = render(&model, &results, Lang::En);
    let count = |prefix: &str| {
        r.files
            .iter()
            .filter(|(n, _)| n.starts_with(prefix) && n.ends_with(".svg"))
            .count()
    };
    assert_eq!(count("charts/radar/"), charts::DETAILED);
    assert_eq!(count("charts/ranking-"), charts::DETAILED / charts::PANEL);
    assert!(
        r.warnings.iter().any(|w| w
            .message
            .get(Lang::En)
            .contains("cover the first 600 by rank")),
        "a warning names the cap"
    );
    let md = r.text("report.md").unwrap();
    for i in 0..zones {
        assert!(
            md.contains(&format!("开发区{i}号")),
            "zone {i} in the ranking table"
        );
    }
    let csv_out = r.text("results.csv").unwrap();
    assert_eq!(
        csv_out.lines().count(),
        zones + 1,
        "every zone in results.csv"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The streamed report directory holds the same bytes as the report rendered in memory from
/// a complete `results.json` value: results.json written from the model as it streams (no
/// `Value` of the model), the HTML page in chunks, the workbook in low-memory mode.
#[test]
fn streamed_directory_equals_the_in_memory_report() {
    let (_, model, results) = fixture(true);
    let opts = Options {
        lang: Lang::Zh,
        png: Png::Off,
    };
    let memory = dir::render(&model, &results, opts).unwrap();
    let out = tmpdir("streamed-report").join("rep");
    let written = dir::write_report(&out, &model, dir::Results::FromModel, opts).unwrap();
    assert_eq!(written.pngs, 0);
    assert_eq!(
        written.svgs,
        memory
            .files
            .iter()
            .filter(|f| f.0.ends_with(".svg"))
            .count()
    );
    for (name, bytes) in &memory.files {
        let on_disk = std::fs::read(out.join(name)).unwrap();
        assert!(on_disk == *bytes, "{name} differs");
    }
    let names = |d: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    // Nothing but the report: no temporary file or directory left beside it or inside.
    assert_eq!(names(out.parent().unwrap()), vec!["rep".to_string()]);
    assert!(!names(&out).iter().any(|n| n.starts_with('.')));
}

/// The low-memory workbook (rows streamed to a temporary file as they are finished) reads
/// back, with calamine, with every value of the model: ranks, ids, names and scores of the
/// ranking, and every raw and normalised cell.
#[test]
fn workbook_cells_read_back() {
    use calamine::{Data, Reader, Xlsx};
    let (_, model, _) = fixture(false);
    let book = zoneval_report::xlsx::render(&model, Lang::En).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book)).unwrap();
    let number = |d: &Data| match d {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        _ => None,
    };
    let ranking = book.worksheet_range("ranking").unwrap();
    assert_eq!(ranking.height(), model.zones.len() + 1);
    for (i, z) in model.zones.iter().enumerate() {
        let row = (i + 1) as u32;
        assert_eq!(ranking.get_value((row, 1)).unwrap().to_string(), z.id);
        assert_eq!(ranking.get_value((row, 2)).unwrap().to_string(), z.name);
        assert_eq!(
            ranking.get_value((row, 0)).and_then(number),
            z.rank.map(|r| r as f64)
        );
        assert_eq!(ranking.get_value((row, 3)).and_then(number), z.score);
    }
    for (sheet, normalized) in [("raw data", false), ("normalised values", true)] {
        let range = book.worksheet_range(sheet).unwrap();
        let first = 3 + if normalized {
            0
        } else {
            model.group_columns.len()
        };
        let mut seen = 0;
        for (i, z) in model.zones.iter().enumerate() {
            let values = if normalized { &z.normalized } else { &z.raw };
            for (j, v) in values.iter().enumerate() {
                let cell = range.get_value(((i + 1) as u32, (first + j) as u32));
                let want = v.filter(|v| v.is_finite());
                assert_eq!(cell.and_then(number), want, "{sheet} zone {i} column {j}");
                seen += usize::from(want.is_some());
            }
        }
        assert!(seen > 0, "{sheet}: no value compared");
    }
}

/// Synthetic data are labelled in the workbook where its reader sees them, and no cell moves:
/// every sheet of a synthetic model's workbook has a text box with the label, a red tab and
/// the label in its printed header; its cells (read with calamine) are those of the same
/// model unlabelled, whose workbook has no text box, header or label at all.
#[test]
fn workbook_labels_synthetic_data_without_moving_a_cell() {
    use calamine::{Reader, Xlsx};
    use std::io::Read;
    let (_, mut model, _) = fixture(true);
    assert!(
        !model.synthetic,
        "tests/data/report.csv is not marked synthetic"
    );
    let plain = zoneval_report::xlsx::render(&model, Lang::Zh).unwrap();
    model.synthetic = true;
    let labelled = zoneval_report::xlsx::render(&model, Lang::Zh).unwrap();
    let label = "合成数据——并非各开发区的真实表现";
    // The zip members as text: sheets, drawings, document properties.
    let members = |bytes: &[u8]| -> Vec<(String, String)> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                let mut text = String::new();
                f.read_to_string(&mut text).unwrap();
                (name, text)
            })
            .collect()
    };
    let sheets = |m: &[(String, String)]| -> Vec<String> {
        let mut v: Vec<String> = m
            .iter()
            .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
            .map(|(_, t)| t.clone())
            .collect();
        v.sort();
        v
    };
    let (p, l) = (members(&plain), members(&labelled));
    assert!(p.iter().all(|(_, t)| !t.contains(label)));
    assert!(!p.iter().any(|(n, _)| n.starts_with("xl/drawings/")));
    let l_sheets = sheets(&l);
    // Ranking, criterion scores, the two matrices, weights and five sensitivity sheets.
    assert_eq!(l_sheets.len(), 10);
    for sheet in &l_sheets {
        assert!(sheet.contains("<drawing "), "a text box on every sheet");
        assert!(sheet.contains("<tabColor rgb=\"FFB00020\""), "a red tab");
        assert!(sheet.contains(label), "the printed header");
    }
    let drawings: Vec<&String> = l
        .iter()
        .filter(|(n, _)| n.starts_with("xl/drawings/drawing"))
        .map(|(_, t)| t)
        .collect();
    assert_eq!(drawings.len(), l_sheets.len());
    assert!(drawings.iter().all(|d| d.contains(label)));
    let core = &l.iter().find(|(n, _)| n == "docProps/core.xml").unwrap().1;
    assert!(core.contains(label), "the document properties");
    // Every cell of every sheet is the unlabelled workbook's.
    let mut a: Xlsx<_> = Xlsx::new(std::io::Cursor::new(plain)).unwrap();
    let mut b: Xlsx<_> = Xlsx::new(std::io::Cursor::new(labelled)).unwrap();
    assert_eq!(a.sheet_names(), b.sheet_names());
    for name in a.sheet_names() {
        let (ra, rb) = (
            a.worksheet_range(&name).unwrap(),
            b.worksheet_range(&name).unwrap(),
        );
        assert_eq!(ra.start(), rb.start(), "{name}");
        assert_eq!(ra.end(), rb.end(), "{name}");
        assert!(ra.cells().eq(rb.cells()), "{name}");
    }
}

/// `zoneval report` refuses a results.json whose results were edited so that they no longer
/// agree with each other (exit 1, naming the zone), and renders the untouched one.
#[test]
fn report_refuses_edited_results() {
    let t = tmpdir("edited");
    let dir = t.join("rep");
    let o = zoneval(&[
        "evaluate",
        "-s",
        SYSTEM,
        "-d",
        DATA,
        "--report",
        &dir.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit, &str); 4] = [
        (
            "score of rank 1 at -5",
            |v| v["report"]["zones"][0]["score"] = serde_json::json!(-5.0),
            "outside the scale",
        ),
        (
            "rank deleted",
            |v| v["report"]["zones"][1]["rank"] = Value::Null,
            "go together",
        ),
        (
            "zone duplicated",
            |v| {
                let z = v["report"]["zones"][0].clone();
                v["report"]["zones"].as_array_mut().unwrap().push(z);
            },
            "appears twice",
        ),
        (
            "ranks swapped",
            |v| {
                v["report"]["zones"][0]["rank"] = serde_json::json!(2);
                v["report"]["zones"][1]["rank"] = serde_json::json!(1);
            },
            "does not follow from the scores",
        ),
    ];
    for (what, edit, says) in edits {
        let mut v = original.clone();
        edit(&mut v);
        let path = t.join("edited.json");
        std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
        let out = t.join("out");
        let o = zoneval(&[
            "report",
            &path.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains(says), "{what}: {err}");
        assert!(!out.exists(), "{what}: a report was written");
    }
    let o = zoneval(&[
        "report",
        &dir.join("results.json").display().to_string(),
        "--out",
        &t.join("again").display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&t);
}
