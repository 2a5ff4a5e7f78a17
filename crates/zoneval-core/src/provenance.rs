//! Provenance of a result file: which zoneval, system, data, year, parameters and seed
//! produced it, so that a result can be reproduced and results of different inputs are never
//! mixed (`zoneval report --sensitivity` compares them).
//!
//! Files are identified by a 64-bit FNV-1a hash of their bytes, written `fnv1a64:` and 16 hex
//! digits. The hash is there to detect a mismatch (another file, an edited file), not to resist
//! an attacker who crafts a collision; FNV-1a needs no dependency and is trivially
//! reimplemented by any reader that wants to check a file by hand.

use std::io::Read;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::bundled::Source;
use crate::error::Result;

/// The version of zoneval that wrote a result.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a result came from. Every key is always present (null when not applicable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The zoneval version (`CARGO_PKG_VERSION`).
    pub zoneval_version: String,
    /// The system's `[system] id`.
    pub system_id: String,
    /// The system file as named (a bundled file's repository-relative name).
    pub system_file: String,
    /// [`hash_bytes`] of the system file.
    pub system_hash: String,
    /// The data file as named (null for data given as columns, e.g. a data frame).
    pub data_file: Option<String>,
    /// [`hash_bytes`] of the data file (null when there is no file).
    pub data_hash: Option<String>,
    /// The evaluated year (null when the data has no year column).
    pub year: Option<i64>,
    /// Every parameter of the run, by name (null = the default / the system's own choice).
    pub parameters: Map<String, Value>,
    /// The random seed (null for a run without randomness).
    pub seed: Option<u64>,
}

/// FNV-1a, 64 bits, over a stream.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> String {
        format!("fnv1a64:{:016x}", self.0)
    }
}

/// The hash of `bytes` as provenance records it: `fnv1a64:` and 16 lowercase hex digits.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let mut h = Fnv::new();
    h.update(bytes);
    h.finish()
}

/// The hash of an input file (read in blocks: a large data file is not held twice).
pub fn hash_source(source: &Source) -> Result<String> {
    match source {
        Source::File(path) => {
            let file = std::fs::File::open(path);
            let mut file = match file {
                Ok(f) => f,
                // The error (with its hint) as reading the file reports it.
                Err(_) => return source.read().map(|(_, b)| hash_bytes(&b)),
            };
            let mut h = Fnv::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => h.update(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => return source.read().map(|(_, b)| hash_bytes(&b)),
                }
            }
            Ok(h.finish())
        }
        Source::Bundled(_) => source.read().map(|(_, b)| hash_bytes(&b)),
    }
}

impl Provenance {
    /// The provenance of an evaluation of `system` (its source) on `data` (None for data
    /// given as columns) in `year`, with `parameters`.
    pub fn new(
        system_id: &str,
        system: &Source,
        data: Option<&Source>,
        year: Option<i64>,
        parameters: Map<String, Value>,
    ) -> Result<Provenance> {
        Ok(Provenance {
            zoneval_version: VERSION.to_string(),
            system_id: system_id.to_string(),
            system_file: system.to_string(),
            system_hash: hash_source(system)?,
            data_file: data.map(ToString::to_string),
            data_hash: data.map(hash_source).transpose()?,
            year,
            parameters,
            seed: None,
        })
    }

    /// Whether `other` was computed on the same system file, data file and year; the names
    /// of the keys that differ otherwise.
    pub fn mismatch(&self, other: &Provenance) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.system_hash != other.system_hash {
            out.push("system_hash");
        }
        if self.data_hash != other.data_hash {
            out.push("data_hash");
        }
        if self.year != other.year {
            out.push("year");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a 64 test vectors from the reference page (Fowler, Noll, Vo; the
    /// `test_fnv.c` vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c,
    /// "foobar" → 85944171f73967e8).
    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(hash_bytes(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(hash_bytes(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(hash_bytes(b"foobar"), "fnv1a64:85944171f73967e8");
    }

    #[test]
    fn a_streamed_file_hashes_as_its_bytes() {
        let dir = std::env::temp_dir().join(format!("zoneval-prov-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(
            hash_source(&Source::File(p.clone())).unwrap(),
            hash_bytes(&bytes)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
