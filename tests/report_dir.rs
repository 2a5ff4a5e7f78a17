//! Report folder hygiene, so a report never mixes with other files or leaves stale ones:
//! `--report DIR` writes a new or empty directory, or replaces a previous zoneval report there
//! as a whole (its marker file lists its files); a directory that is neither is refused.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{stderr, tmpdir, zoneval};

const FLAT: [&str; 4] = ["-s", "tests/data/flat.toml", "-d", "tests/data/flat.csv"];

/// Every file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel);
            }
        }
    }
    out
}

fn report(dir: &Path, extra: &[&str]) -> std::process::Output {
    zoneval(&[&["evaluate", "--report", dir.to_str().unwrap()], extra].concat())
}

#[test]
fn a_second_report_leaves_no_file_of_the_first() {
    let d = tmpdir("report-replace");
    let (rep, fresh) = (d.join("rep"), d.join("fresh"));
    // The bundled run (many zones, radars) first, then a small flat system over it.
    let o = report(&rep, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = files(&rep);
    assert!(first.contains("zoneval-report.json"));
    assert!(
        first.iter().filter(|f| f.contains("radar")).count() > 5,
        "{first:?}"
    );
    let o = report(&rep, &FLAT);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = report(&fresh, &FLAT);
    assert!(o.status.success(), "{}", stderr(&o));
    // Exactly the files the same report has in a new directory: no stale radar, no chart of
    // the first system.
    assert_eq!(files(&rep), files(&fresh));
    let fresh_files = files(&fresh);
    let stale: Vec<&String> = first.difference(&fresh_files).collect();
    assert!(
        !stale.is_empty(),
        "the two reports should differ in their files"
    );
    // The marker lists every file of the report.
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("zoneval-report.json")).unwrap()).unwrap();
    let listed: BTreeSet<String> = marker["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, files(&rep));
}

/// Every file under `dir` with its inode (Unix: which file object the name holds).
#[cfg(unix)]
fn inodes(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    files(dir)
        .into_iter()
        .map(|f| {
            let ino = std::fs::symlink_metadata(dir.join(&f)).unwrap().ino();
            (f, ino)
        })
        .collect()
}

/// A report written again over itself: the files whose bytes do not change stay the same
/// files (nothing created, synced or renamed), those that change are replaced, and the result
/// equals, byte for byte, the same report written into a new directory.
#[cfg(unix)]
#[test]
fn a_rerun_rewrites_only_the_files_that_change() {
    let d = tmpdir("report-rerun");
    let (rep, fresh) = (d.join("rep"), d.join("fresh"));
    let o = report(&rep, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = inodes(&rep);
    let o = report(&rep, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(inodes(&rep), before, "an unchanged re-run replaced files");

    // New judgements for the criteria (all equal) change the scores, the ranking and its
    // charts, but not a criterion's score: every radar stays the same file.
    let equal = d.join("equal.csv");
    std::fs::write(&equal, "1,1,1,1,1,1\n".repeat(6)).unwrap();
    let ahp = format!("shandong-provincial={}", equal.display());
    let o = report(&rep, &["--ahp", &ahp]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = inodes(&rep);
    let replaced: Vec<&String> = after
        .iter()
        .filter(|(f, ino)| before.get(*f) != Some(ino))
        .map(|(f, _)| f)
        .collect();
    for f in ["results.csv", "charts/ranking-1.png", "charts/weights.svg"] {
        assert!(replaced.contains(&&f.to_string()), "{f}: {replaced:?}");
    }
    let radars = after.keys().filter(|f| f.contains("radar/")).count();
    assert!(radars > 100, "{radars} radar files");
    assert!(
        !replaced.iter().any(|f| f.contains("radar/")),
        "radars replaced: {replaced:?}"
    );
    let o = report(&fresh, &["--ahp", &ahp]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&rep), files(&fresh));
    for f in files(&fresh) {
        assert!(
            std::fs::read(rep.join(&f)).unwrap() == std::fs::read(fresh.join(&f)).unwrap(),
            "{f} differs from the report written anew"
        );
    }
}

#[test]
fn a_folder_that_is_not_a_report_is_refused() {
    let d = tmpdir("report-refuse");
    let mine = d.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "my notes").unwrap();
    let o = report(&mine, &FLAT);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not a zoneval report"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&mine), BTreeSet::from(["notes.txt".to_string()]));
    let o = zoneval(
        &[
            &[
                "evaluate",
                "--lang",
                "zh",
                "--report",
                mine.to_str().unwrap(),
            ],
            &FLAT[..],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("不是 zoneval 报告"), "{}", stderr(&o));
    // An empty directory is fine.
    let empty = d.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = report(&empty, &FLAT);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(empty.join("zoneval-report.json").is_file());
}

/// A report written before the marker existed (only report files and charts/) is recognised and
/// replaced whole, its stale charts removed.
#[test]
fn a_report_without_marker_is_replaced_whole() {
    let d = tmpdir("report-legacy");
    let (rep, fresh) = (d.join("rep"), d.join("fresh"));
    assert!(report(&rep, &[]).status.success());
    std::fs::remove_file(rep.join("zoneval-report.json")).unwrap();
    let o = report(&rep, &FLAT);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(report(&fresh, &FLAT).status.success());
    assert_eq!(files(&rep), files(&fresh));
}
