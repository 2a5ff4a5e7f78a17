//! Renders report.html in headless Chromium: the page loads, every chart is in the DOM, the
//! Chinese zone names are there, and the screenshot is not blank.
//!
//! Chromium is found as $ZONEVAL_CHROMIUM, `chromium`, `chromium-browser` or
//! `google-chrome`. Without it the test prints a notice and passes (so `cargo test` passes on
//! a fresh machine) — unless ZONEVAL_REQUIRE_BROWSER=1, as `.ci/run` sets, where a missing
//! browser fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ZONEVAL_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs Chromium headless with `args` on `page`, killing it after two minutes.
fn chromium(bin: &Path, page: &Path, args: &[&str], profile: &Path) -> Vec<u8> {
    let url = format!("file://{}", page.display());
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut out = Vec::new();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

#[test]
fn report_renders_in_a_browser() {
    let Some(bin) = find_chromium() else {
        if std::env::var("ZONEVAL_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "ZONEVAL_REQUIRE_BROWSER=1 but no chromium found (apt-get install chromium fonts-noto-cjk)"
            );
        }
        // Written to the real stderr (not the captured test output), so the skip is visible.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "notice: chromium not found; skipping the browser test (set ZONEVAL_REQUIRE_BROWSER=1 to require it)"
        );
        return;
    };
    let tmp = common::tmpdir("browser");
    let dir = tmp.join("report");
    let zoneval = |args: &[&str]| {
        let o = common::zoneval(args);
        assert!(o.status.success(), "{}", common::stderr(&o));
    };
    let d = dir.display().to_string();
    // The test data are invented: say so in the data (`data_status`), so the page must carry
    // the synthetic-data label under its title and on every chart.
    let csv = std::fs::read_to_string(common::root().join("tests/data/report.csv")).unwrap();
    let labelled: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "data_status" } else { "synthetic" }))
        .collect();
    let data = common::write(&tmp, "report.csv", labelled);
    zoneval(&[
        "evaluate",
        "-s",
        "tests/data/report.toml",
        "-d",
        &data,
        "--report",
        &d,
        "--lang",
        "zh",
    ]);
    let results = dir.join("results.json").display().to_string();
    zoneval(&[
        "report",
        &results,
        "--sensitivity",
        "tests/data/report-sensitivity.json",
        "--lang",
        "zh",
    ]);
    let page = dir.join("report.html");
    let profile = tmp.join("profile");

    let dom = chromium(&bin, &page, &["--dump-dom"], &profile);
    let dom = String::from_utf8(dom).expect("the DOM is UTF-8");
    assert!(
        dom.contains("</html>"),
        "the page did not load: {} bytes of DOM",
        dom.len()
    );
    // Every chart written to charts/ is inline in the page.
    let mut charts = Vec::new();
    let mut stack = vec![dir.join("charts")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "svg") {
                let rel = p
                    .strip_prefix(dir.join("charts"))
                    .unwrap()
                    .with_extension("");
                charts.push(rel.display().to_string());
            }
        }
    }
    assert!(charts.len() > 20, "{charts:?}");
    for c in &charts {
        assert!(
            dom.contains(&format!("data-chart=\"{c}\"")),
            "chart {c} missing from the DOM"
        );
    }
    assert_eq!(dom.matches("<figure class=\"chart").count(), charts.len());
    assert!(dom.matches("<svg").count() >= charts.len());
    // The synthetic-data label: the banner under the title, and a strip on every chart.
    let label = "合成数据——并非各开发区的真实表现";
    assert!(
        dom.contains(&format!("<p class=\"banner\" role=\"alert\">{label}</p>")),
        "no synthetic-data banner"
    );
    assert!(
        dom.matches(label).count() > charts.len(),
        "{} labels for {} charts",
        dom.matches(label).count(),
        charts.len()
    );
    for name in [
        "青岛经济技术开发区",
        "济南高新技术产业开发区",
        "临沂综合保税区",
    ] {
        assert!(dom.contains(name), "{name} not in the DOM");
    }
    for section in [
        "summary",
        "ranking",
        "groups",
        "years",
        "sensitivity",
        "quality",
        "scorecards",
    ] {
        assert!(
            dom.contains(&format!("id=\"{section}\"")),
            "section {section} missing"
        );
    }

    let shot = tmp.join("shot.png");
    chromium(
        &bin,
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000",
        ],
        &profile,
    );
    let bytes = std::fs::read(&shot).expect("a screenshot");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 2000));
    // Not blank: a good share of pixels are not white (text, tables, charts).
    let px = info.color_type.samples();
    let dark = buf[..info.buffer_size()]
        .chunks(px)
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    let share = dark as f64 / (info.width * info.height) as f64;
    assert!(
        share > 0.02,
        "the screenshot looks blank ({:.2}% non-white)",
        share * 100.0
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
