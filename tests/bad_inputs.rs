//! The bad-input corpus: every directory under `tests/bad_inputs/` with a `case.toml` is one
//! case — a small system and/or data file, the command line, the exit code and what stderr
//! must say (see `tests/bad_inputs/README.md`). Each case runs the real binary, from the case's
//! directory, and checks DESIGN.md's "Bad input" contract:
//!
//! - the exit code (1 invalid input, 2 usage; 0 only for the cases that document a warning);
//! - stderr names the place (`file:line:col`, zone, indicator) as the case says;
//! - nothing on stdout;
//! - no output file created or changed: for commands with `--out`, once with `--out` naming an
//!   existing file (it must stay byte-identical) and once naming a file that does not exist
//!   (it must not appear); no temporary file may be left in the output directory, and nothing
//!   may appear in the case directory.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// One case, as read from its `case.toml`.
#[derive(Debug)]
struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    exit: i32,
    stderr: Vec<String>,
    stderr_regex: Vec<regex::Regex>,
    stderr_not: Vec<String>,
    env: BTreeMap<String, String>,
    /// The driver adds `--out` (commands that write a file: evaluate, sensitivity, audit,
    /// compare).
    driver_out: bool,
}

fn corpus_dir() -> PathBuf {
    common::root().join("tests/bad_inputs")
}

fn strings(t: &toml::Table, key: &str, case: &str) -> Vec<String> {
    match t.get(key) {
        None => Vec::new(),
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .unwrap_or_else(|| panic!("{case}: `{key}` must hold strings"))
                    .to_string()
            })
            .collect(),
        Some(_) => panic!("{case}: `{key}` must be a string or an array of strings"),
    }
}

fn load_cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/bad_inputs exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(dir.join("case.toml")).unwrap();
            let t: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            const KEYS: &[&str] = &[
                "about",
                "args",
                "exit",
                "stderr",
                "stderr_regex",
                "stderr_not",
                "env",
                "driver_out",
            ];
            for k in t.keys() {
                assert!(KEYS.contains(&k.as_str()), "{name}: unknown key `{k}`");
            }
            assert!(
                t.get("about").and_then(|v| v.as_str()).is_some(),
                "{name}: `about` says what the case checks"
            );
            let args = strings(&t, "args", &name);
            assert!(!args.is_empty(), "{name}: no args");
            let exit =
                t.get("exit")
                    .and_then(|v| v.as_integer())
                    .unwrap_or_else(|| panic!("{name}: `exit` is required")) as i32;
            let stderr = strings(&t, "stderr", &name);
            let stderr_regex = strings(&t, "stderr_regex", &name)
                .iter()
                .map(|r| regex::Regex::new(r).unwrap_or_else(|e| panic!("{name}: {e}")))
                .collect::<Vec<_>>();
            assert!(
                !stderr.is_empty() || !stderr_regex.is_empty(),
                "{name}: say what stderr must contain"
            );
            let env = t
                .get("env")
                .and_then(|v| v.as_table())
                .map(|e| {
                    e.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let writes = matches!(
                args[0].as_str(),
                "evaluate" | "sensitivity" | "audit" | "compare"
            );
            let driver_out = t
                .get("driver_out")
                .and_then(|v| v.as_bool())
                .unwrap_or(writes);
            Case {
                stderr_not: strings(&t, "stderr_not", &name),
                name,
                dir,
                args,
                exit,
                stderr,
                stderr_regex,
                env,
                driver_out,
            }
        })
        .collect()
}

fn run(case: &Case, extra: &[&str]) -> Output {
    let mut cmd = common::command();
    cmd.args(&case.args)
        .args(extra)
        .current_dir(&case.dir)
        .env_remove("ZONEVAL_MAX_CELLS")
        .env_remove("LC_ALL")
        .env_remove("LANG");
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    cmd.output().expect("run zoneval")
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Checks exit code, stderr and stdout of one run; returns the problems found.
fn check_output(case: &Case, o: &Output, how: &str, stdout_may_have_output: bool) -> Vec<String> {
    let mut bad = Vec::new();
    let err = String::from_utf8_lossy(&o.stderr);
    let code = o.status.code();
    if code != Some(case.exit) {
        bad.push(format!("{how}: exit {code:?}, expected {}", case.exit));
    }
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        bad.push(format!("{how}: panicked"));
    }
    for s in &case.stderr {
        if !err.contains(s.as_str()) {
            bad.push(format!("{how}: stderr lacks {s:?}"));
        }
    }
    for r in &case.stderr_regex {
        if !r.is_match(&err) {
            bad.push(format!("{how}: stderr does not match /{}/", r.as_str()));
        }
    }
    for s in &case.stderr_not {
        if err.contains(s.as_str()) {
            bad.push(format!("{how}: stderr contains {s:?}"));
        }
    }
    // Output belongs on stdout only for a successful run without --out.
    let stdout_allowed = stdout_may_have_output && case.exit == 0;
    if !(o.stdout.is_empty() || stdout_allowed) {
        let out = String::from_utf8_lossy(&o.stdout);
        bad.push(format!("{how}: stdout is not empty: {out:?}"));
    }
    if !bad.is_empty() {
        bad.push(format!("{how}: stderr was:\n{err}"));
    }
    bad
}

fn check_case(case: &Case, tmp: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    let before = listing(&case.dir);

    // Without --out: the message, the exit code, nothing on stdout (unless exit 0).
    let o = run(case, &[]);
    bad.extend(check_output(case, &o, "plain run", true));

    if case.driver_out {
        let out_dir = tmp.join(&case.name);
        std::fs::create_dir_all(&out_dir).unwrap();
        // An existing output file stays byte-identical.
        let existing = out_dir.join("existing.out");
        let sentinel = format!("previous output of {}\n", case.name).into_bytes();
        std::fs::write(&existing, &sentinel).unwrap();
        let o = run(case, &["--out", existing.to_str().unwrap()]);
        bad.extend(check_output(case, &o, "--out existing", false));
        let after = std::fs::read(&existing).unwrap();
        if case.exit == 0 {
            if after == sentinel {
                bad.push("--out existing: a successful run did not replace the file".into());
            }
        } else if after != sentinel {
            bad.push("--out existing: the existing output file was changed".into());
        }
        if listing(&out_dir) != ["existing.out"] {
            bad.push(format!(
                "--out existing: stray files in the output directory: {:?}",
                listing(&out_dir)
            ));
        }
        // A new output file is not created on error.
        let fresh = out_dir.join("fresh.out");
        let o = run(case, &["--out", fresh.to_str().unwrap()]);
        bad.extend(check_output(case, &o, "--out fresh", false));
        if case.exit == 0 {
            if !fresh.is_file() {
                bad.push("--out fresh: a successful run did not write the file".into());
            }
            let _ = std::fs::remove_file(&fresh);
        } else if fresh.exists() {
            bad.push("--out fresh: an output file was created".into());
        }
        if listing(&out_dir) != ["existing.out"] {
            bad.push(format!(
                "--out fresh: stray files in the output directory: {:?}",
                listing(&out_dir)
            ));
        }
    }
    if listing(&case.dir) != before {
        bad.push(format!(
            "files appeared in the case directory: {:?}",
            listing(&case.dir)
        ));
    }
    bad
}

#[test]
fn every_bad_input_is_refused_cleanly() {
    let cases = load_cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let tmp = std::env::temp_dir().join(format!("zoneval-bad-inputs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    // Cases are independent processes: run them on a few threads.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[Case]> = cases.chunks(cases.len().div_ceil(4)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let tmp = &tmp;
                s.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|c| {
                            check_case(c, tmp)
                                .into_iter()
                                .map(|p| format!("[{}] {p}", c.name))
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
