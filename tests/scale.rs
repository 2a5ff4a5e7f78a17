//! Scale: 100,000 zones × 50 indicators evaluate with a peak memory under 1 GiB, and an input
//! far beyond memory is refused before it is read.
//!
//! The data (about 50 MB) is generated into a temporary directory, never committed. The
//! evaluation runs the test build of the binary (unoptimised zoneval, optimised dependencies);
//! its wall time and peak RSS are printed (`cargo test --test scale -- --nocapture`). Release
//! figures: `cargo build --release`, then time `target/release/zoneval evaluate` on the files
//! this test leaves when ZONEVAL_SCALE_KEEP is set (their paths are printed).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ZONES: usize = 100_000;
const INDICATORS: usize = 50;

/// A flat system over x0…x49 (a third of them costs, weights 1…5, grades) and its data:
/// zone id, name, a region among 16, and 50 values with four decimals.
fn generate(dir: &Path) -> (PathBuf, PathBuf) {
    let mut sys = String::from(
        "[system]\nid = \"scale\"\nname = \"scale\"\n\n[method]\nnormalization = \"min-max\"\n\
         weighting = \"expert\"\naggregation = \"weighted-sum\"\n\n[data]\ngroups = [\"region\"]\n",
    );
    for j in 0..INDICATORS {
        let d = if j % 3 == 0 { "cost" } else { "benefit" };
        let w = 1 + j % 5;
        write!(
            sys,
            "\n[[indicators]]\nid = \"x{j}\"\ndirection = \"{d}\"\nweight = {w}\n"
        )
        .unwrap();
    }
    sys.push_str("\n[[grades]]\nname = \"A\"\nmin = 60\n\n[[grades]]\nname = \"B\"\nmin = 0\n");
    let mut csv = String::with_capacity(ZONES * INDICATORS * 11);
    csv.push_str("zone_id,zone_name,region");
    for j in 0..INDICATORS {
        write!(csv, ",x{j}").unwrap();
    }
    csv.push('\n');
    let mut s: u64 = 1;
    for i in 0..ZONES {
        write!(csv, "z{i},开发区{i},r{}", i % 16).unwrap();
        for _ in 0..INDICATORS {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            write!(csv, ",{}.{:04}", (s >> 33) % 10_000, (s >> 13) % 10_000).unwrap();
        }
        csv.push('\n');
    }
    let (sp, cp) = (dir.join("scale.toml"), dir.join("scale.csv"));
    std::fs::write(&sp, sys).unwrap();
    std::fs::write(&cp, csv).unwrap();
    (sp, cp)
}

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
    let (sys, csv) = generate(&dir);
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
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_zoneval"))
        .args(["evaluate", "--system"])
        .arg(root.join("tests/data/flat.toml"))
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
}
