//! Synthetic inputs, the one generator shared by the tests and the benchmarks (which include
//! this file with `#[path]`): a flat system of `n` indicators `x0…` and `m` zones of positive,
//! skewed, deterministic pseudo-random values, as TOML and CSV text, as files, or loaded and
//! prepared in process; and [`bundled_zones_csv`], the bundled Shandong data grown to any
//! number of zones (the 2,543 of China's national catalogue) for the workbench's measurements.
//!
//! Every third indicator is a cost and weights cycle 1…5, so methods see both directions and
//! unequal weights; values lie in [1, 1001) with four decimals, squared-uniform so that they are
//! skewed like real zone data (a few large zones) without being degenerate.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zoneval_core::data::{self, Encoding};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides, Prepared};
use zoneval_core::system::{self, IndicatorSystem};

/// A flat synthetic problem; build with [`Flat::new`] and the setters.
#[derive(Clone, Debug)]
pub struct Flat {
    /// Zones (CSV rows).
    pub zones: usize,
    /// Indicators `x0…x{n-1}`.
    pub indicators: usize,
    /// `[method]` normalization, weighting, aggregation (`None`: the engine's default).
    pub methods: [Option<String>; 3],
    /// With this many regions (`r0…`), a `region` column and `[data] groups = ["region"]`.
    pub regions: usize,
    /// Whether the system has two grade bands (A from 60, B).
    pub grades: bool,
}

impl Flat {
    /// `zones` × `indicators`, default methods, no groups, no grades.
    pub fn new(zones: usize, indicators: usize) -> Flat {
        Flat {
            zones,
            indicators,
            methods: [None, None, None],
            regions: 0,
            grades: false,
        }
    }

    /// Sets the system's normalization, weighting and aggregation.
    pub fn methods(mut self, normalization: &str, weighting: &str, aggregation: &str) -> Flat {
        self.methods = [normalization, weighting, aggregation].map(|m| Some(m.to_string()));
        self
    }

    /// Sets the weighting only.
    pub fn weighting(mut self, weighting: &str) -> Flat {
        self.methods[1] = Some(weighting.to_string());
        self
    }

    /// Adds a `region` group column with `regions` regions.
    pub fn regions(mut self, regions: usize) -> Flat {
        self.regions = regions;
        self
    }

    /// Adds two grade bands.
    pub fn grades(mut self) -> Flat {
        self.grades = true;
        self
    }

    /// The indicator system as TOML.
    pub fn system_toml(&self) -> String {
        let mut s = String::from("[system]\nid = \"synthetic\"\nname = \"synthetic\"\n");
        if self.methods.iter().any(Option::is_some) {
            s.push_str("\n[method]\n");
        }
        for (key, m) in ["normalization", "weighting", "aggregation"]
            .iter()
            .zip(&self.methods)
        {
            if let Some(m) = m {
                writeln!(s, "{key} = \"{m}\"").unwrap();
            }
        }
        if self.regions > 0 {
            s.push_str("\n[data]\ngroups = [\"region\"]\n");
        }
        for j in 0..self.indicators {
            let dir = if j % 3 == 2 { "cost" } else { "benefit" };
            let w = 1 + j % 5;
            write!(
                s,
                "\n[[indicators]]\nid = \"x{j}\"\ndirection = \"{dir}\"\nweight = {w}\n"
            )
            .unwrap();
        }
        if self.grades {
            s.push_str(
                "\n[[grades]]\nname = \"A\"\nmin = 60\n\n[[grades]]\nname = \"B\"\nmin = 0\n",
            );
        }
        s
    }

    /// The zone data as CSV (`zone_id`, `zone_name`, `region` when grouped, `x0…`).
    pub fn data_csv(&self) -> String {
        let (m, n) = (self.zones, self.indicators);
        // About 10 bytes per value.
        let mut s = String::with_capacity(m * (n * 10 + 24));
        s.push_str("zone_id,zone_name");
        if self.regions > 0 {
            s.push_str(",region");
        }
        for j in 0..n {
            write!(s, ",x{j}").unwrap();
        }
        s.push('\n');
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for i in 0..m {
            write!(s, "z{i},Zone {i}").unwrap();
            if self.regions > 0 {
                write!(s, ",r{}", i % self.regions).unwrap();
            }
            for _ in 0..n {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                // 1 + 1000 u² in units of 1e-4, written with integer formatting (fast in an
                // unoptimised test build, and exact).
                let v = 10_000 + (1e7 * u * u) as u64;
                write!(s, ",{}.{:04}", v / 10_000, v % 10_000).unwrap();
            }
            s.push('\n');
        }
        s
    }

    /// Writes `dir/name.toml` and `dir/name.csv`; returns their paths.
    pub fn write(&self, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let (sp, cp) = (
            dir.join(format!("{name}.toml")),
            dir.join(format!("{name}.csv")),
        );
        std::fs::write(&sp, self.system_toml()).unwrap();
        std::fs::write(&cp, self.data_csv()).unwrap();
        (sp, cp)
    }

    /// The system loaded and the data prepared, in process.
    pub fn prepared(&self) -> (Arc<IndicatorSystem>, Arc<Prepared>) {
        prepare("synthetic", &self.system_toml(), &self.data_csv())
    }

    /// A full evaluation with the system's own methods, in process.
    pub fn evaluated(&self) -> Evaluation {
        let (sys, prep) = self.prepared();
        let methods = Arc::new(Methods::resolve(&sys, &Overrides::default()).unwrap());
        evaluation::evaluate(&prep, &methods, &[]).unwrap()
    }
}

/// Loads `system` (named `name.toml`) and prepares `csv` (named `name.csv`), in process.
pub fn prepare(name: &str, system: &str, csv: &str) -> (Arc<IndicatorSystem>, Arc<Prepared>) {
    let sys = Arc::new(system::load_str(&format!("{name}.toml"), system, None).unwrap());
    let spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    let table = data::read_bytes(&format!("{name}.csv"), csv.as_bytes(), &spec).unwrap();
    let prep = evaluation::prepare(sys.clone(), Arc::new(table), None, &[]).unwrap();
    (sys, Arc::new(prep))
}

/// Loads, prepares and evaluates `system` on `csv` with `overrides`, in process.
pub fn evaluate(name: &str, system: &str, csv: &str, overrides: &Overrides) -> Evaluation {
    let (sys, prep) = prepare(name, system, csv);
    let methods = Arc::new(Methods::resolve(&sys, overrides).unwrap());
    evaluation::evaluate(&prep, &methods, &[]).unwrap()
}

/// The bundled Shandong data's latest year repeated to `zones` rows (for the bundled system,
/// whose tree the workbench shows): copy k (from 0) of a zone gets the id `ID-k`, the name
/// `NAMEk` and its amounts (values over 100) scaled by 1 + 0.013 k, while rates and shares
/// stay in range (copy 0 keeps the values). Deterministic.
pub fn bundled_zones_csv(zones: usize) -> String {
    let (_, bytes) = zoneval_core::bundled::Source::data(Path::new("shandong-zones"))
        .read()
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(',').collect();
    let year_col = cols.iter().position(|c| *c == "year").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let latest = rows.iter().map(|r| r[year_col]).max().unwrap();
    let base: Vec<&Vec<&str>> = rows.iter().filter(|r| r[year_col] == latest).collect();
    let mut out = String::from(header);
    out.push('\n');
    for k in 0..zones {
        let r = base[k % base.len()];
        let copy = k / base.len();
        let f = 1.0 + 0.013 * copy as f64;
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(j, c)| match j {
                0 => format!("{c}-{copy}"),
                1 => format!("{c}{copy}"),
                _ if j == year_col || copy == 0 => c.to_string(),
                _ => match c.parse::<f64>() {
                    Ok(v) if v > 100.0 => format!("{:.1}", v * f),
                    _ => c.to_string(),
                },
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
