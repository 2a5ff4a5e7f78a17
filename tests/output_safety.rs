//! Outputs never replace what is not theirs and never leave a half-written or half-old result:
//! `--out` onto a link, a device, a FIFO or an input file is refused (exit 1) and leaves it as
//! it was; a report over a directory holding an input or a directory where a file goes is
//! refused before any file is replaced; Ctrl-C at any moment of a report leaves no temporary
//! file and either the old report or the new one, whole.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{stderr, tmpdir, zoneval, zoneval_in};

/// Names in `dir` (not recursive), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// Every hidden (temporary) entry under `dir`, recursively.
fn temporaries(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            out.push(e.path().display().to_string());
        }
        if e.file_type().unwrap().is_dir() {
            out.extend(temporaries(&e.path()));
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn out_never_replaces_a_link_a_device_a_fifo_or_an_input() {
    let d = tmpdir("out-safety");
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, d.join("out.csv")).unwrap();
    let o = zoneval_in(&d, &["evaluate", "--format", "csv", "--out", "out.csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        std::fs::symlink_metadata(d.join("out.csv"))
            .unwrap()
            .is_symlink()
    );

    // Told to follow it, the file it points to is replaced (atomically) and the link stays.
    let o = zoneval_in(
        &d,
        &[
            "evaluate",
            "--format",
            "csv",
            "--out",
            "out.csv",
            "--follow-symlinks",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&victim)
            .unwrap()
            .starts_with("rank,")
    );
    assert!(
        std::fs::symlink_metadata(d.join("out.csv"))
            .unwrap()
            .is_symlink()
    );

    let o = zoneval(&["evaluate", "--format", "csv", "--out", "/dev/null"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));

    let fifo = d.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let o = zoneval_in(&d, &["evaluate", "--format", "csv", "--out", "fifo"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }

    // The data file itself, under another name too (a hard link).
    let data = d.join("zones.csv");
    std::fs::copy(common::root().join("seeds/shandong-zones.csv"), &data).unwrap();
    std::fs::hard_link(&data, d.join("same.csv")).unwrap();
    let before = std::fs::read(&data).unwrap();
    for out in ["zones.csv", "same.csv"] {
        let o = zoneval_in(
            &d,
            &[
                "evaluate",
                "--data",
                "zones.csv",
                "--format",
                "csv",
                "--out",
                out,
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("input files"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&data).unwrap(), before);
    assert!(temporaries(&d).is_empty(), "{:?}", temporaries(&d));
}

#[test]
fn a_report_that_cannot_be_written_whole_changes_nothing() {
    let d = tmpdir("report-safety");
    // `--report .` beside a data file named results.csv: refused, nothing created.
    std::fs::copy(
        common::root().join("seeds/shandong-zones.csv"),
        d.join("results.csv"),
    )
    .unwrap();
    // (Refused because `.` holds a file and is not a report; results.csv being an input
    // would refuse it too — either way nothing is written.)
    let o = zoneval_in(&d, &["evaluate", "--data", "results.csv", "--report", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("input files") || e.contains("is not a zoneval report"),
        "{e}"
    );
    assert_eq!(names(&d), ["results.csv"]);

    // A directory where results.xlsx goes: the old report stays whole.
    let o = zoneval_in(&d, &["evaluate", "--report", "rep"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rep = d.join("rep");
    let old_csv = std::fs::read(rep.join("results.csv")).unwrap();
    std::fs::remove_file(rep.join("results.xlsx")).unwrap();
    std::fs::create_dir(rep.join("results.xlsx")).unwrap();
    let o = zoneval_in(
        &d,
        &["evaluate", "--report", "rep", "--aggregation", "topsis"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    assert_eq!(std::fs::read(rep.join("results.csv")).unwrap(), old_csv);
    assert!(temporaries(&d).is_empty(), "{:?}", temporaries(&d));
}

/// SIGINT at several moments of writing a report over an existing one: no temporary file or
/// directory remains, and every file is either the old one or the new one — never a mix.
#[cfg(unix)]
#[test]
fn ctrl_c_leaves_the_old_report_or_the_new_one() {
    let d = tmpdir("report-sigint");
    let o = zoneval_in(&d, &["evaluate", "--report", "rep"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rep = d.join("rep");
    let old: Vec<Vec<u8>> = ["results.csv", "report.md"]
        .iter()
        .map(|f| std::fs::read(rep.join(f)).unwrap())
        .collect();
    let mut interrupted = 0;
    for ms in [20, 80, 200, 400, 700, 1000, 1500] {
        let mut child = common::command()
            .current_dir(&d)
            .args(["evaluate", "--report", "rep", "--aggregation", "topsis"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        // SAFETY: signals our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let status = child.wait().unwrap();
        if status.code() == Some(130) {
            interrupted += 1;
        }
        assert!(temporaries(&d).is_empty(), "{ms} ms: {:?}", temporaries(&d));
        let now: Vec<Vec<u8>> = ["results.csv", "report.md"]
            .iter()
            .map(|f| std::fs::read(rep.join(f)).unwrap())
            .collect();
        let new = now != old;
        // Both files old, or both new (the TOPSIS ranking differs from the default one).
        assert_eq!(now[0] != old[0], new, "{ms} ms: a mix of old and new files");
        assert_eq!(now[1] != old[1], new, "{ms} ms: a mix of old and new files");
        let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
        assert!(
            html.ends_with("</html>\n"),
            "{ms} ms: report.html cut short"
        );
        if new {
            // Back to the old report for the next moment.
            let o = zoneval_in(&d, &["evaluate", "--report", "rep"]);
            assert!(o.status.success(), "{}", stderr(&o));
        }
    }
    assert!(
        interrupted > 0,
        "no run was interrupted: the moments are too late"
    );
}

/// Hostile zone ids and names: in CSV (stdout and the report's results.csv) a cell that a
/// spreadsheet would run as a formula starts with `'`; in the terminal table and in error
/// messages escape sequences and bidi overrides are shown as `\u{…}`, never sent raw.
#[test]
fn hostile_names_are_neutralised_for_csv_and_the_terminal() {
    let d = tmpdir("hostile-names");
    std::fs::copy(
        common::root().join("tests/data/flat.toml"),
        d.join("s.toml"),
    )
    .unwrap();
    let csv = "zone_id,zone_name,region,fdi_actual,fdi_contracted,energy\n\
        @SUM(1),\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",east,68500,166000,0.45\n\
        -2+3,\u{1b}]0;pwned\u{7}区,east,52000,90000,0.52\n\
        z3,abc\u{202e}fed,west,30000,60000,0.61\n";
    std::fs::write(d.join("z.csv"), csv).unwrap();
    let args = ["evaluate", "--system", "s.toml", "--data", "z.csv"];

    let o = zoneval_in(&d, &[&args[..], &["--format", "csv"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = common::stdout(&o);
    assert!(out.contains("'@SUM(1)"), "{out}");
    assert!(out.contains(",'-2+3,"), "{out}");
    assert!(out.contains("\"'=HYPERLINK("), "{out}");
    assert!(
        !out.contains(",=HYPERLINK") && !out.contains(",\"=HYPERLINK"),
        "{out}"
    );

    let o = zoneval_in(&d, &[&args[..], &["--report", "rep"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let results = std::fs::read_to_string(d.join("rep/results.csv")).unwrap();
    assert!(results.contains("'@SUM(1)") && results.contains("\"'=HYPERLINK("));
    // Chart files of the three zones are three distinct files.
    let radars = names(&d.join("rep/charts/radar"));
    assert_eq!(
        radars.iter().filter(|n| n.ends_with(".svg")).count(),
        3,
        "{radars:?}"
    );

    let o = zoneval_in(&d, &args);
    let table = common::stdout(&o);
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
    assert!(!table.contains('\u{202e}'), "{table:?}");
    assert!(table.contains("\\u{1b}]0;pwned\\u{7}区"), "{table}");
    assert!(table.contains("abc\\u{202e}fed"), "{table}");

    // An error naming the zone.
    let bad = csv.replace("52000", "abc");
    std::fs::write(d.join("z.csv"), bad).unwrap();
    let o = zoneval_in(&d, &args);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}]0;pwned\\u{7}区"), "{err}");
}
