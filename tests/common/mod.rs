//! Helpers shared by every integration test: run the binary from the repository root (or
//! another directory), temporary directories, files, and the synthetic-input generator.

#![allow(dead_code)]

pub mod http;
pub mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary as a command to complete: it runs in the repository root with English messages
/// (set `current_dir` or `ZONEVAL_LANG` to change that).
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zoneval"));
    c.current_dir(root()).env("ZONEVAL_LANG", "en");
    c
}

/// Runs `zoneval args…` in the repository root with English messages.
pub fn zoneval(args: &[&str]) -> Output {
    command().args(args).output().expect("run zoneval")
}

/// Runs `zoneval args…` in `dir` with English messages.
pub fn zoneval_in(dir: &Path, args: &[&str]) -> Output {
    command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run zoneval")
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh temporary directory for one test.
pub fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zoneval-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes `content` to `dir/name` and returns the path as text.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.display().to_string()
}

/// The keys of a JSON object, in document order.
pub fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// The zone `id` of a JSON document's `zones` array (panics when it is not there).
pub fn zone<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["zones"]
        .as_array()
        .expect("a zones array")
        .iter()
        .find(|z| z["id"] == id)
        .unwrap_or_else(|| panic!("no zone {id}"))
}
