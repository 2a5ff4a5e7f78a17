//! Scale: 100,000 zones × 50 indicators evaluate with a peak memory under 1 GiB, a 20,000-zone
//! report directory is streamed to disk in under 600 MiB, and an input far beyond memory is
//! refused before it is read.
//!
//! The data (about 50 MB) is generated into a temporary directory, never committed. The
//! evaluation runs the test build of the binary (unoptimised zoneval, optimised dependencies);
//! its wall time and peak RSS are printed (`cargo test --test scale -- --nocapture`). Release
//! figures: `cargo build --release`, then time `target/release/zoneval evaluate` on the files
//! these tests leave when ZONEVAL_SCALE_KEEP is set (their paths are printed).

mod common;

use std::process::Command;
use std::time::Instant;

const ZONES: usize = 100_000;
const INDICATORS: usize = 50;

/// Peak RSS of the largest child process waited for so far, in bytes (Linux: KiB × 1024).
fn children_peak_rss() -> u64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    assert_eq!(rc, 0);
    ru.ru_maxrss as u64 * 1024
}

#[test]
fn hundred_thousand_zones_by_fifty_indicators_under_one_gib() {
    let dir = std::env::temp_dir().join(format!("zoneval-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t0 = Instant::now();
    // A flat system (a third of the indicators costs, unequal weights, grades), zones in 16
    // regions.
    let (sys, csv) = common::synthetic::Flat::new(ZONES, INDICATORS)
        .methods("min-max", "expert", "weighted-sum")
        .regions(16)
        .grades()
        .write(&dir, "scale");
    let generated = t0.elapsed();
    let out = dir.join("ranking.csv");
    let t1 = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_zoneval"))
        .args(["evaluate", "--format", "csv", "--system"])
        .arg(&sys)
        .arg("--data")
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run zoneval");
    let elapsed = t1.elapsed();
    let peak = children_peak_rss();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ranking = std::fs::read_to_string(&out).unwrap();
    assert_eq!(ranking.lines().count(), ZONES + 1);
    eprintln!(
        "{ZONES} zones × {INDICATORS} indicators ({} MB of CSV, generated in {:.1} s): \
         evaluated in {:.1} s, peak RSS {} MiB",
        std::fs::metadata(&csv).unwrap().len() >> 20,
        generated.as_secs_f64(),
        elapsed.as_secs_f64(),
        peak >> 20
    );
    assert!(peak < 1 << 30, "peak RSS {} MiB", peak >> 20);
    if std::env::var_os("ZONEVAL_SCALE_KEEP").is_some() {
        eprintln!("kept {} and {}", sys.display(), csv.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A data file larger than memory (sparse: it takes no disk) is refused before it is read:
/// exit 1 and a message with its size, never an out-of-memory kill.
/// Runs `cmd` to its end and returns whether it succeeded, its stderr and its own peak RSS in
/// bytes (wait4: other tests' children do not count).
// The child is reaped by wait4 (std's wait cannot give its rusage).
#[allow(clippy::zombie_processes)]
fn run_measured(cmd: &mut Command) -> (bool, String, u64) {
    use std::io::Read;
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run zoneval");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; writes into values we own.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (ok, err, ru.ru_maxrss as u64 * 1024)
}

/// A 20,000-zone × 50-indicator report directory (HTML, Markdown, CSV, JSON, xlsx, 600 radars)
/// is streamed to disk in under 600 MiB: the files are written as they are rendered, the
/// workbook in low-memory mode, results.json without a JSON value of the model.
#[test]
fn twenty_thousand_zone_report_under_600_mib() {
    const REPORT_ZONES: usize = 20_000;
    let dir = std::env::temp_dir().join(format!("zoneval-scale-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sys, csv) = common::synthetic::Flat::new(REPORT_ZONES, INDICATORS)
        .methods("min-max", "expert", "weighted-sum")
        .regions(16)
        .grades()
        .write(&dir, "scale");
    let report = dir.join("report");
    let t = Instant::now();
    let (ok, err, peak) = run_measured(
        Command::new(env!("CARGO_BIN_EXE_zoneval"))
            .args(["--lang", "en", "evaluate", "--system"])
            .arg(&sys)
            .arg("--data")
            .arg(&csv)
            .arg("--report")
            .arg(&report),
    );
    let elapsed = t.elapsed();
    assert!(ok, "{err}");
    let ranking = std::fs::read_to_string(report.join("results.csv")).unwrap();
    assert_eq!(ranking.lines().count(), REPORT_ZONES + 1);
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.ends_with("</html>\n"), "report.html is complete");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["zones"].as_array().map(Vec::len), Some(REPORT_ZONES));
    assert_eq!(
        json["report"]["zones"].as_array().map(Vec::len),
        Some(REPORT_ZONES)
    );
    eprintln!(
        "{REPORT_ZONES} zones × {INDICATORS} indicators: report in {:.1} s, peak RSS {} MiB",
        elapsed.as_secs_f64(),
        peak >> 20
    );
    if std::env::var_os("ZONEVAL_SCALE_KEEP").is_some() {
        eprintln!("kept {} and {}", sys.display(), csv.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(peak < 600 << 20, "peak RSS {} MiB", peak >> 20);
}

#[test]
fn a_file_beyond_memory_is_refused_before_reading() {
    let Some(avail) = zoneval_core::data::limits::available_memory() else {
        eprintln!("no /proc/meminfo: skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("zoneval-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let huge = dir.join("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    // Twice the available memory, in a file system that supports sparse files.
    if f.set_len(avail.saturating_mul(2)).is_err() {
        eprintln!("cannot create a sparse file here: skipped");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let o = Command::new(env!("CARGO_BIN_EXE_zoneval"))
        .args(["evaluate", "--system"])
        .arg(common::root().join("tests/data/flat.toml"))
        .arg("--data")
        .arg(&huge)
        .env("ZONEVAL_LANG", "en")
        .output()
        .expect("run zoneval");
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.contains("huge.csv: the file is") && err.contains("MiB is available"),
        "{err}"
    );
    // `zoneval report` checks a saved results.json the same way, before reading it.
    std::fs::create_dir_all(&dir).unwrap();
    let huge_json = dir.join("results.json");
    let f = std::fs::File::create(&huge_json).unwrap();
    f.set_len(avail / 8).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_zoneval"))
        .arg("report")
        .arg(&huge_json)
        .arg("--out")
        .arg(dir.join("out"))
        .env("ZONEVAL_LANG", "en")
        .output()
        .expect("run zoneval");
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("results.json: the file is") && err.contains("MiB is available"),
        "{err}"
    );
}
