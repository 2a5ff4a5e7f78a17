//! The bundled indicator systems and zone datasets, embedded at build time (see the crate's `build.rs`).
//!
//! A path the user gives is read from disk when it exists; otherwise a bundled file with the
//! same repository-relative path (`indicators/mofcom-etdz-2021.toml`, or just the system's
//! name `mofcom-etdz-2021`) is used. So `zoneval` works from any directory, and a bundled
//! system's `[data] path = "../seeds/…"` finds its bundled data.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::text;

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The default indicator system.
pub const DEFAULT_SYSTEM: &str = "indicators/shandong-provincial.toml";

/// The default zone dataset (used when neither `--data` nor `[data] path` is given).
pub const DEFAULT_DATA: &str = "seeds/shandong-zones.csv";

/// Collapses `a/b/../c` to `a/c` and strips leading `./` (for matching bundled names and
/// for showing paths).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            // `..` cancels a preceding name only: `../../x` stays `../../x`, and `/..` is `/`.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The bundled file matching `path`: by repository-relative path, by its last two
/// components (`seeds/x.csv` from `/anywhere/seeds/x.csv`), or a bare system name.
pub fn find(path: &Path) -> Option<(&'static str, &'static [u8])> {
    let p = lexical(path);
    let s = p.to_string_lossy().replace('\\', "/");
    FILES.iter().copied().find(|(name, _)| {
        *name == s
            || s.ends_with(&format!("/{name}"))
            || (!s.contains('/')
                && (*name == format!("indicators/{s}.toml") || *name == format!("indicators/{s}")))
    })
}

/// Reads `path` from disk, or the bundled file it names. Returns the display name and bytes.
pub fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    // `indicators/../seeds/x.csv` is shown as `seeds/x.csv`.
    let name = lexical(path).display().to_string();
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        crate::data::limits::check_file_size(&name, meta.len())?;
    }
    match std::fs::read(path) {
        Ok(b) => Ok((name, b)),
        Err(e) => match find(path) {
            Some((bundled, bytes)) => Ok((bundled.to_string(), bytes.to_vec())),
            None => {
                let e = e.to_string();
                Err(Error::input(
                    Some(Location::file(&name.as_str().into())),
                    text!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
                ))
            }
        },
    }
}

/// The names of the bundled systems (without directory and extension).
pub fn systems() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(n, _)| {
            n.strip_prefix("indicators/")
                .and_then(|n| n.strip_suffix(".toml"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `..` cancels only a preceding name; an empty result is `.`.
    #[test]
    fn lexical_keeps_leading_parent_dirs() {
        let l = |p: &str| lexical(Path::new(p)).display().to_string();
        assert_eq!(l("indicators/../seeds/x.csv"), "seeds/x.csv");
        assert_eq!(l("./a/b"), "a/b");
        assert_eq!(l("../../x.csv"), "../../x.csv");
        assert_eq!(l("a/../../x.csv"), "../x.csv");
        assert_eq!(l("/../x"), "/x");
        assert_eq!(l("."), ".");
        assert_eq!(l("a/.."), ".");
    }
}
