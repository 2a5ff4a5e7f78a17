//! The bundled indicator systems and zone datasets, embedded at build time (see the crate's `build.rs`).
//!
//! A bundled file is chosen explicitly: by its id (`--system mofcom-etdz-2021`, `--data
//! shandong-zones`), by default (no `--system`, no `--data`), or as the relative `[data] path` of
//! a bundled system (`../seeds/shandong-zones.csv`). Anything else is a path on disk, and a path
//! that cannot be read is an error naming it: a bundled file is never substituted for a
//! missing one, because a silent substitute would evaluate data the user did not ask for.
//! Ids are the file names without directory and extension; an argument that is exactly an id
//! is the bundled file even if a file of that name exists (write `./name` for that file), so
//! an id means the same thing in every directory.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::system::IndicatorSystem;
use crate::text;

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The id of the default indicator system.
pub const DEFAULT_SYSTEM: &str = "shandong-provincial";

/// The id of the default zone dataset (used when neither `--data` nor `[data] path` is given).
pub const DEFAULT_DATA: &str = "shandong-zones";

/// Where the bundled systems and datasets live in the repository (and their names say so).
const SYSTEM_DIR: &str = "indicators/";
const DATA_DIR: &str = "seeds/";

/// An input file: a bundled one or one on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A bundled file, by its repository-relative name (`seeds/shandong-zones.csv`).
    Bundled(&'static str),
    /// A file on disk, as the user named it.
    File(PathBuf),
}

impl Source {
    /// A `--system` argument: a bundled system's id, else a path.
    pub fn system(arg: &Path) -> Source {
        Self::by_id(SYSTEM_DIR, arg)
    }

    /// A `--data` argument: a bundled dataset's id, else a path.
    pub fn data(arg: &Path) -> Source {
        Self::by_id(DATA_DIR, arg)
    }

    fn by_id(dir: &str, arg: &Path) -> Source {
        arg.to_str()
            .and_then(|id| FILES.iter().find(|(name, _)| id_in(dir, name) == Some(id)))
            .map_or_else(
                || Source::File(lexical(arg)),
                |(name, _)| Source::Bundled(name),
            )
    }

    /// The bundled file with the repository-relative `name` (`seeds/shandong-zones.csv`), if any.
    pub fn named(name: &Path) -> Option<Source> {
        let name = lexical(name);
        FILES
            .iter()
            .find(|(n, _)| Path::new(n) == name)
            .map(|(n, _)| Source::Bundled(n))
    }

    /// Where `system` was read from (to read its text again).
    pub fn of_system(system: &IndicatorSystem) -> Source {
        let file = Path::new(&*system.file);
        match system.bundled {
            true => Self::named(file).unwrap_or_else(|| Source::File(file.into())),
            false => Source::File(file.into()),
        }
    }

    /// Whether this is a bundled file.
    pub fn is_bundled(&self) -> bool {
        matches!(self, Source::Bundled(_))
    }

    /// Reads the file. Returns the name to show (the repository-relative name of a bundled
    /// file) and the bytes.
    pub fn read(&self) -> Result<(String, Vec<u8>)> {
        match self {
            Source::Bundled(name) => match FILES.iter().find(|(n, _)| n == name) {
                Some((_, bytes)) => Ok((name.to_string(), bytes.to_vec())),
                None => Err(Error::input(
                    Some(Location::file(&(*name).into())),
                    text!("no bundled file {name}", "没有内置文件 {name}"),
                )),
            },
            Source::File(path) => read(path).map_err(|e| match bundled_alike(path) {
                Some(hint) if !path.exists() => e.with_hint(hint),
                _ => e,
            }),
        }
    }
}

/// For a missing path ending like a bundled file (`/elsewhere/seeds/shandong-zones.csv`), a
/// hint naming the id that chooses the bundled file: such paths used to fall back to it.
fn bundled_alike(path: &Path) -> Option<crate::error::Text> {
    let p = lexical(path);
    let mut tail: Vec<_> = p.components().rev().take(2).collect();
    tail.reverse();
    let tail: PathBuf = tail.iter().collect();
    let Some(Source::Bundled(name)) = Source::named(&tail) else {
        return None;
    };
    if let Some(id) = id_in(SYSTEM_DIR, name) {
        Some(text!(
            "the bundled system is `--system {id}`",
            "内置指标体系为 `--system {id}`"
        ))
    } else {
        let id = id_in(DATA_DIR, name)?;
        Some(text!(
            "the bundled dataset is `--data {id}`",
            "内置数据集为 `--data {id}`"
        ))
    }
}

/// Shows the name an evaluation reports: the repository-relative name of a bundled file, or
/// the path as given (with `a/../b` collapsed).
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bundled(name) => f.write_str(name),
            Source::File(path) => write!(f, "{}", lexical(path).display()),
        }
    }
}

/// The id of the bundled file `name` if it lies directly in `dir`.
fn id_in<'a>(dir: &str, name: &'a str) -> Option<&'a str> {
    let file = name.strip_prefix(dir)?;
    file.rsplit_once('.').map(|(stem, _)| stem)
}

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

/// Reads the file at `path` from disk (never a bundled file; see [`Source`]). Returns the
/// display name and bytes; a file too large for memory and an unreadable path are errors
/// naming the path.
pub fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    // `indicators/../seeds/x.csv` is shown as `seeds/x.csv`.
    let name = lexical(path).display().to_string();
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        crate::data::limits::check_file_size(&name, meta.len())?;
    }
    std::fs::read(path).map(|b| (name.clone(), b)).map_err(|e| {
        let e = e.to_string();
        Error::input(
            Some(Location::file(&name.as_str().into())),
            text!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
        )
    })
}

/// The ids of the bundled systems.
pub fn systems() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(n, _)| id_in(SYSTEM_DIR, n))
        .collect()
}

/// The ids of the bundled datasets.
pub fn datasets() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(n, _)| id_in(DATA_DIR, n))
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

    /// Ids name bundled files of their own kind only; the defaults are bundled.
    #[test]
    fn ids_choose_bundled_files() {
        let sys = Source::system(Path::new("mofcom-etdz-2021"));
        assert_eq!(sys, Source::Bundled("indicators/mofcom-etdz-2021.toml"));
        assert_eq!(sys.to_string(), "indicators/mofcom-etdz-2021.toml");
        let data = Source::data(Path::new("shandong-zones"));
        assert_eq!(data, Source::Bundled("seeds/shandong-zones.csv"));
        // A dataset id is not a system id, and the other way round.
        assert!(!Source::system(Path::new("shandong-zones")).is_bundled());
        assert!(!Source::data(Path::new("mofcom-etdz-2021")).is_bundled());
        assert!(Source::system(Path::new(DEFAULT_SYSTEM)).is_bundled());
        assert!(Source::data(Path::new(DEFAULT_DATA)).is_bundled());
        assert!(systems().contains(&DEFAULT_SYSTEM));
        assert!(datasets().contains(&DEFAULT_DATA));
        let (name, bytes) = data.read().unwrap();
        assert_eq!(name, "seeds/shandong-zones.csv");
        assert!(bytes.starts_with(b"zone_id,"), "{:?}", &bytes[..20]);
    }

    /// Paths are paths: with a directory, an extension or `./`, an argument is never an id.
    #[test]
    fn paths_are_not_ids() {
        for p in [
            "./mofcom-etdz-2021",
            "mofcom-etdz-2021.toml",
            "indicators/mofcom-etdz-2021.toml",
            "/elsewhere/indicators/mofcom-etdz-2021.toml",
        ] {
            assert_eq!(
                Source::system(Path::new(p)),
                Source::File(lexical(Path::new(p))),
                "{p}"
            );
        }
        assert!(!Source::data(Path::new("seeds/shandong-zones.csv")).is_bundled());
    }

    /// A path that does not exist is an error naming it, even when a bundled file has the
    /// same name: no silent substitute.
    #[test]
    fn missing_paths_are_errors_naming_them() {
        for p in [
            "/nonexistent/seeds/shandong-zones.csv",
            "/nonexistent/indicators/mofcom-etdz-2021.toml",
        ] {
            let e = Source::data(Path::new(p)).read().unwrap_err();
            let msg = e.problems[0].render(crate::error::Lang::En);
            assert!(msg.contains(&format!("cannot read {p}: ")), "{msg}");
        }
        let e = Source::data(Path::new("/nonexistent/seeds/shandong-zones.csv"));
        let msg = e.read().unwrap_err().problems[0].render(crate::error::Lang::En);
        assert!(
            msg.ends_with("(the bundled dataset is `--data shandong-zones`)"),
            "{msg}"
        );
        let e = Source::system(Path::new("/nonexistent/indicators/mofcom-etdz-2021.toml"));
        let msg = e.read().unwrap_err().problems[0].render(crate::error::Lang::En);
        assert!(
            msg.ends_with("(the bundled system is `--system mofcom-etdz-2021`)"),
            "{msg}"
        );
        // Nothing bundled is named like this: no hint.
        let e = Source::data(Path::new("/nonexistent/seeds/other.csv"));
        let msg = e.read().unwrap_err().problems[0].render(crate::error::Lang::En);
        assert!(msg.ends_with("(os error 2)"), "{msg}");
    }

    /// A bundled system's relative data path names a bundled dataset by its repository name.
    #[test]
    fn bundled_names_resolve() {
        let s = Source::named(Path::new("indicators/../seeds/shandong-zones.csv"));
        assert_eq!(s, Some(Source::Bundled("seeds/shandong-zones.csv")));
        assert_eq!(Source::named(Path::new("seeds/no-such.csv")), None);
    }
}
