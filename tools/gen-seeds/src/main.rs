//! `gen-seeds`: regenerates the synthetic files in `seeds/` from the real catalogue facts.
//!
//! Run `cargo run --release -p gen-seeds` from the repository root (or give another directory
//! as the only argument). It reads
//! `seeds/shandong-zones-2018.csv` (facts transcribed from the 2018 development-zone catalogue:
//! codes, names, cities, levels, types, approval dates, approved areas, leading industries) and
//! writes, byte for byte the same on every run:
//!
//! * `seeds/shandong-zones.csv` — one row per zone and year (2022–2024) with every raw column the
//!   four bundled zone systems read. **All indicator values are synthetic**: zone-level statistics
//!   are not available offline, so they are drawn from a documented model calibrated to public
//!   figures (see `seeds/README.md`). The facts (id, name, city, level, type, approved area) are
//!   copied from the catalogue file unchanged.
//! * `seeds/project-applications.csv` — a synthetic sample of industrial project applications
//!   for `indicators/project-access.toml`.
//!
//! Why it is built this way:
//! * Every zone has its own ChaCha8 stream, seeded from a fixed seed and the zone code, so adding
//!   or reordering zones does not change the others' values, and the output does not depend on
//!   the `rand` version (ChaCha8 is a fixed algorithm; `StdRng` is not). Uniforms and normals are
//!   derived here from raw `u64`s for the same reason.
//! * Values are simulated for 2018–2024 and only 2022–2024 are written, so growth rates and
//!   three-year averages exist for the first written year too.
//! * Each value is written with a fixed number of decimals, and derived groupings (`land_type`)
//!   are computed from the written (rounded) values, so anyone can recompute them from the file.
//! * A few cells are left empty on purpose (`MISSING`) to exercise the missing-value policies.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

/// The fixed seed of every stream (any constant would do; changing it changes every value).
const SEED: u64 = 2006_0325;
/// First simulated year; values before `FIRST_YEAR` are never written.
const SIM_START: i32 = 2018;
/// The years written to the panel.
const FIRST_YEAR: i32 = 2022;
const LAST_YEAR: i32 = 2024;
/// CNY per USD used to turn RMB-based intensities into US-dollar trade and FDI (an assumption,
/// roughly the 2022–2024 average).
const CNY_PER_USD: f64 = 7.0;

/// Cells left empty on purpose: (zone code, year, column). Documented in `seeds/README.md`.
const MISSING: &[(&str, i32, &str)] = &[
    ("S379155", 2024, "rd_expenditure"),
    ("S377143", 2024, "hightech_exports"),
    ("S377041", 2024, "water_m3"),
    ("S379092", 2024, "invention_patents"),
    ("S377109", 2023, "rd_expenditure"),
    ("G373082", 2022, "invention_patents"),
];

fn main() {
    // Optional argument: the directory holding the catalogue file and receiving the output
    // (default `seeds`); the tests use it to regenerate into a temporary directory.
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "seeds".to_string());
    if let Err(e) = run(Path::new(&dir)) {
        eprintln!("gen-seeds: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    let zones = read_catalogue(&dir.join("shandong-zones-2018.csv"))?;
    let panel = write_panel(&zones);
    std::fs::write(dir.join("shandong-zones.csv"), panel)?;
    let projects = write_projects(&zones);
    std::fs::write(dir.join("project-applications.csv"), projects)?;
    let d = dir.display();
    eprintln!(
        "gen-seeds: wrote {d}/shandong-zones.csv ({} zones × 3 years) and {d}/project-applications.csv",
        zones.len()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Facts

/// Zone kinds: the catalogue's type within its approval level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// 国家级经济技术开发区
    Etdz,
    /// 国家高新技术产业开发区
    HighTech,
    /// 海关特殊监管区域
    Customs,
    /// 国家旅游度假区 (其他类型开发区)
    Tourism,
    /// 省级经济开发区
    ProvEdz,
    /// 省级高新技术产业开发区
    ProvHighTech,
    /// 省级工业园区
    Park,
}

/// Customs zones converted to 综合保税区 after the 2018 catalogue (reference file
/// `official-rules-verified.md`, "Development-zone catalogue after 2018"): (code, name since the
/// conversion, month of the conversion). The panel (2022–2024) uses the names of those years;
/// the 2018 catalogue name stays in the panel's `name_2018` column.
const RENAMED: &[(&str, &str, &str)] = &[
    ("G373081", "青岛胶州湾综合保税区", "2019.09"), // was 山东青岛出口加工区
    ("G373080", "青岛前湾综合保税区", "2020.07"),   // was 青岛前湾保税港区
];

/// The province's official 三大经济圈 (2020) by prefecture (2024 boundaries; Laiwu is part of
/// Jinan since 2019). Used to check the catalogue file's `economic_circle` column.
fn economic_circle(city: &str) -> Option<&'static str> {
    Some(match city {
        "济南" | "淄博" | "泰安" | "聊城" | "德州" | "滨州" | "东营" => "省会经济圈",
        "青岛" | "烟台" | "威海" | "潍坊" | "日照" => "胶东经济圈",
        "临沂" | "枣庄" | "济宁" | "菏泽" => "鲁南经济圈",
        _ => return None,
    })
}

/// One catalogue row (facts only).
struct Zone {
    code: String,
    /// The name in the 2018 catalogue.
    name: String,
    /// The name in 2022–2024 (the catalogue name unless the zone was renamed, see `RENAMED`).
    current_name: String,
    city: String,
    region: String,
    /// 省会经济圈 / 胶东经济圈 / 鲁南经济圈 (official grouping since 2020).
    circle: String,
    level: String,
    kind_label: String,
    kind: Kind,
    approved_year: i32,
    area_ha: f64,
    /// The approved area exactly as written in the catalogue file (copied, not reformatted).
    area_text: String,
    industries: Vec<String>,
}

impl Zone {
    fn national(&self) -> bool {
        matches!(
            self.kind,
            Kind::Etdz | Kind::HighTech | Kind::Customs | Kind::Tourism
        )
    }
}

fn read_catalogue(path: &Path) -> Result<Vec<Zone>, Box<dyn Error>> {
    let mut rdr = csv::Reader::from_path(path)?;
    let headers = rdr.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name}", path.display()))
    };
    let (code, name, city, level, typ, approved, area, ind, region, circle) = (
        col("code")?,
        col("name")?,
        col("city_2024")?,
        col("level")?,
        col("type")?,
        col("approved")?,
        col("area_ha")?,
        col("leading_industries")?,
        col("region")?,
        col("economic_circle")?,
    );
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        let national = &rec[level] == "国务院";
        let kind = match (national, &rec[typ]) {
            (true, "经济技术开发区") => Kind::Etdz,
            (true, "高新技术产业开发区") => Kind::HighTech,
            (true, "海关特殊监管区域") => Kind::Customs,
            (true, _) => Kind::Tourism,
            (false, "高新技术产业开发区") => Kind::ProvHighTech,
            (false, "工业园区") => Kind::Park,
            (false, _) => Kind::ProvEdz,
        };
        let approved_year: i32 = rec[approved]
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or("bad approval date")?;
        if economic_circle(&rec[city]) != Some(&rec[circle]) {
            return Err(format!(
                "{}: {} ({}) has economic_circle {:?}; the official grouping puts {} in {:?}",
                path.display(),
                &rec[code],
                &rec[name],
                &rec[circle],
                &rec[city],
                economic_circle(&rec[city])
            )
            .into());
        }
        let current_name = RENAMED
            .iter()
            .find(|(c, _, _)| *c == &rec[code])
            .map_or(&rec[name], |(_, n, _)| n)
            .to_string();
        out.push(Zone {
            code: rec[code].to_string(),
            name: rec[name].to_string(),
            current_name,
            city: rec[city].to_string(),
            region: rec[region].to_string(),
            circle: rec[circle].to_string(),
            level: if national { "国家级" } else { "省级" }.to_string(),
            kind_label: rec[typ].to_string(),
            kind,
            approved_year,
            area_ha: rec[area].parse()?,
            area_text: rec[area].to_string(),
            industries: rec[ind].split('、').map(str::to_string).collect(),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Random numbers (derived from raw u64s so the stream is independent of `rand`'s distributions)

struct Draw(ChaCha8Rng);

impl Draw {
    fn for_key(key: &str, salt: u64) -> Draw {
        // FNV-1a: a stable hash of the key (std's hashers are not guaranteed stable).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Draw(ChaCha8Rng::seed_from_u64(
            SEED ^ h ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        ))
    }

    /// Uniform in [0, 1).
    fn u(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [a, b).
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.u()
    }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple).
    fn n(&mut self) -> f64 {
        let u1 = 1.0 - self.u(); // (0, 1]
        let u2 = self.u();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Normal with mean `m` and standard deviation `s`.
    fn normal(&mut self, m: f64, s: f64) -> f64 {
        m + s * self.n()
    }

    /// Log-normal factor with median 1 and log-sd `s`.
    fn lognorm(&mut self, s: f64) -> f64 {
        (s * self.n()).exp()
    }

    /// Poisson count (Knuth; λ is small here).
    fn poisson(&mut self, lambda: f64) -> u32 {
        let l = (-lambda.max(0.0)).exp();
        let (mut k, mut p) = (0u32, 1.0);
        loop {
            p *= self.u();
            if p <= l || k > 500 {
                return k;
            }
            k += 1;
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.u() < p
    }
}

fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
}

/// A share in (0, 1) from a mean share and a logit-scale shift.
fn logistic_share(mean: f64, shift: f64) -> f64 {
    let l = (mean / (1.0 - mean)).ln() + shift;
    1.0 / (1.0 + (-l).exp())
}

// ---------------------------------------------------------------------------------------------
// Profiles: what the facts say about a zone (city, kind, leading industries)

/// Relative economic strength of each prefecture's zones (our ordering, roughly by city GDP per
/// head and industrial base; an assumption, not data).
fn city_econ(city: &str) -> f64 {
    match city {
        "青岛" => 1.45,
        "东营" => 1.35,
        "济南" => 1.35,
        "烟台" => 1.30,
        "威海" => 1.20,
        "淄博" => 1.10,
        "潍坊" => 1.00,
        "日照" => 0.95,
        "滨州" => 0.90,
        "济宁" => 0.85,
        "泰安" => 0.85,
        "临沂" => 0.80,
        "德州" => 0.80,
        "枣庄" => 0.75,
        "聊城" => 0.75,
        _ => 0.65, // 菏泽
    }
}

/// Relative openness (trade and FDI per unit of output) of each prefecture: the coastal
/// open cities highest (our assumption, following their roles in the 2006 plan, items 8 and 21).
fn city_open(city: &str) -> f64 {
    match city {
        "青岛" => 2.2,
        "烟台" => 1.8,
        "威海" => 1.8,
        "日照" => 1.2,
        "潍坊" => 1.1,
        "济南" => 1.0,
        "东营" => 0.9,
        "临沂" => 0.9,
        "淄博" => 0.8,
        "济宁" => 0.6,
        "滨州" => 0.6,
        "泰安" => 0.5,
        "德州" => 0.5,
        "枣庄" => 0.5,
        "聊城" => 0.5,
        _ => 0.45, // 菏泽
    }
}

/// Shifts of the latent quality / openness factors for zones whose standing is published:
/// the Shandong 2016-data provincial evaluation's top five national-level zones (青岛, 烟台,
/// 临沂, 潍坊滨海, 威海), MOFCOM's 2018 ranks 6 and 7 (青岛, 烟台), and the provincial zones named
/// in a 2022 third-party ranking (not official). See seeds/README.md.
fn anchor(code: &str) -> (f64, f64) {
    match code {
        "G371028" => (2.4, 2.2), // 青岛经济技术开发区
        "G371029" => (2.1, 2.0), // 烟台经济技术开发区
        "G371157" => (1.3, 0.9), // 临沂经济技术开发区
        "G371154" => (1.3, 0.9), // 潍坊滨海经济技术开发区
        "G371030" => (1.3, 1.1), // 威海经济技术开发区
        "S377014" | "S377156" | "S377091" | "S377051" | "S379073" | "S377074" | "S377061" => {
            (0.5, 0.2)
        }
        _ => (0.0, 0.0),
    }
}

/// Shares of the leading industries that are heavy (energy and pollution intensive),
/// mechanical-electrical, high-tech, and light (textiles, food, wood).
#[derive(Clone, Copy, Debug, Default)]
struct Mix {
    heavy: f64,
    mech: f64,
    tech: f64,
    light: f64,
}

fn mix(industries: &[String]) -> Mix {
    const HEAVY: &[&str] = &[
        "石化",
        "化工",
        "炼化",
        "钢",
        "冶金",
        "铝",
        "有色",
        "煤",
        "建材",
        "造纸",
        "盐化",
        "橡胶",
        "氟硅",
        "铜",
        "黄金",
        "能源",
        "热电",
        "化学",
        "石油",
        "陶瓷",
        "非金属",
        "金属",
    ];
    const MECH: &[&str] = &[
        "机械",
        "装备",
        "电子",
        "电器",
        "电气",
        "汽车",
        "机电",
        "家电",
        "输变电",
        "船舶",
        "轨道",
        "设备",
        "智能",
        "电梯",
        "五金",
        "动力",
        "航空",
        "器械",
        "交通",
    ];
    const TECH: &[&str] = &[
        "电子信息",
        "软件",
        "生物",
        "医药",
        "新材料",
        "新能源",
        "智能",
        "信息",
        "光学",
        "声学",
        "医疗",
        "航空",
        "制药",
        "新医药",
        "生命",
    ];
    const LIGHT: &[&str] = &[
        "纺织",
        "服装",
        "食品",
        "农副",
        "家纺",
        "制鞋",
        "木",
        "家具",
        "粮油",
        "畜产",
        "农产品",
        "饮料",
        "包装",
        "印刷",
        "地毯",
    ];
    let n = industries.len().max(1) as f64;
    let share = |keys: &[&str]| {
        industries
            .iter()
            .filter(|i| keys.iter().any(|k| i.contains(k)))
            .count() as f64
            / n
    };
    Mix {
        heavy: share(HEAVY),
        mech: share(MECH),
        tech: share(TECH),
        light: share(LIGHT),
    }
}

/// Per-kind multipliers: (output per industrial ha, openness, innovation, industry share of GDP).
fn kind_factors(k: Kind) -> (f64, f64, f64, f64) {
    match k {
        Kind::Etdz => (1.55, 1.6, 1.2, 0.66),
        Kind::HighTech => (1.45, 1.2, 2.2, 0.58),
        Kind::Customs => (0.50, 3.0, 0.4, 0.75),
        Kind::Tourism => (0.50, 0.4, 0.5, 0.06),
        Kind::ProvEdz => (1.00, 1.0, 1.0, 0.70),
        Kind::ProvHighTech => (1.10, 0.9, 1.6, 0.66),
        Kind::Park => (0.85, 0.7, 0.8, 0.78),
    }
}

// ---------------------------------------------------------------------------------------------
// The model: a zone's latent traits and its simulated years

/// Persistent traits of one zone, drawn once.
struct Traits {
    /// Management / efficiency quality (standard-normal scale); openness and land-use type act
    /// through the values drawn from them.
    q: f64,
    mix: Mix,
    // land
    unbuildable: f64,
    dev0: f64,
    supply0: f64,
    built0: f64,
    idle0: f64,
    a2_share: f64,
    a1_share: f64,
    plot0: f64,
    density0: f64,
    ind_plot0: f64,
    ind_coef0: f64,
    // economy
    rev_per_ha: f64,
    va_ratio: f64,
    ind_share: f64,
    tax_rate: f64,
    fai_per_ha: f64,
    gdp_per_worker: f64,
    pop_density: f64,
    econ_trend: f64,
    // openness
    export_ratio: f64,
    import_ratio: f64,
    mech_share: f64,
    tech_share: f64,
    fie_share: f64,
    fdi_ratio: f64,
    arrival: f64,
    contract_size: f64,
    big_share: f64,
    big_size: f64,
    reg_rate: f64,
    // environment
    energy0: f64,
    water0: f64,
    cod0: f64,
    so2_0: f64,
    co2_factor: f64,
    wastewater: f64,
    iso: bool,
    waste_util: f64,
    water_reuse: f64,
    recycling_rate: f64,
    recycling_share: f64,
    audit_full: bool,
    eco_chain: f64,
    wwtp_online: bool,
    // innovation
    rd_pct: f64,
    firms_per_rev: f64,
    tech_output: f64,
    // management
    inspection_gap: f64,
    approval_days0: f64,
    satisfaction: f64,
    responsibility: f64,
    incident_rate: f64,
    co_built: f64,
    aid: f64,
}

fn traits(z: &Zone, d: &mut Draw) -> Traits {
    let (aq, ao) = anchor(&z.code);
    let m = mix(&z.industries);
    let nat = z.national();
    let (k_rev, k_open, k_innov, k_ind) = kind_factors(z.kind);
    let econ = city_econ(&z.city);
    let q = 0.8 * d.n() + aq + 0.25 * (econ - 1.0) / 0.3;
    let o = 0.4 * q + 0.7 * d.n() + ao;
    let urban_p = match z.kind {
        Kind::Customs => 0.0,
        Kind::Tourism => 1.0,
        Kind::HighTech => 0.45,
        Kind::Etdz => 0.30,
        Kind::ProvHighTech => 0.30,
        Kind::ProvEdz => 0.15,
        Kind::Park => 0.05,
    };
    let urban = d.chance(urban_p);
    let (a2_share, a1_share) = match (z.kind, urban) {
        (Kind::Customs, _) => (d.range(0.62, 0.82), 0.0),
        (Kind::Tourism, _) => (d.range(0.02, 0.05), d.range(0.38, 0.46)),
        (_, false) => (
            clamp(
                d.normal(0.52 - 0.06 * m.tech + 0.04 * f64::from(!nat), 0.07),
                0.38,
                0.72,
            ),
            d.range(0.04, 0.20),
        ),
        (_, true) => (d.range(0.14, 0.27), d.range(0.28, 0.40)),
    };
    let base = |nat_v: f64, prov_v: f64| if nat { nat_v } else { prov_v };
    let heavy_energy = 1.0 + 2.6 * m.heavy;
    let tech_boost = match z.kind {
        Kind::HighTech => 1.6,
        Kind::ProvHighTech => 1.3,
        Kind::Customs => 0.6,
        _ => 1.0,
    };
    Traits {
        q,
        mix: m,
        unbuildable: d.range(0.0, 0.08),
        dev0: logistic_share(base(0.86, 0.81), 0.25 * q + 0.3 * d.n()),
        supply0: logistic_share(base(0.89, 0.84), 0.25 * q + 0.3 * d.n()),
        built0: logistic_share(base(0.89, 0.85), 0.25 * q + 0.3 * d.n()),
        idle0: base(0.025, 0.045) * (-0.35 * q).exp() * d.lognorm(0.6),
        a2_share,
        a1_share,
        plot0: base(0.90, 0.80)
            * match z.kind {
                Kind::HighTech | Kind::ProvHighTech => 1.15,
                Kind::Tourism => 0.75,
                Kind::Park => 0.9,
                _ => 1.0,
            }
            * (if urban { 1.08 } else { 1.0 })
            * (0.10 * q).exp()
            * d.lognorm(0.12),
        density0: clamp(d.normal(base(0.33, 0.31) + 0.015 * q, 0.04), 0.18, 0.5),
        ind_plot0: base(0.84, 0.76) * (1.0 - 0.2 * m.heavy) * (0.08 * q).exp() * d.lognorm(0.12),
        ind_coef0: clamp(d.normal(0.50 + 0.02 * q, 0.07), 0.31, 0.72),
        rev_per_ha: 9_500.0
            * k_rev
            * econ
            * (1.0 + 0.15 * m.heavy)
            * (0.22 * q).exp()
            * d.lognorm(0.2),
        va_ratio: clamp(
            d.normal(0.27 - 0.05 * m.heavy + 0.02 * m.tech, 0.025),
            0.15,
            0.38,
        ),
        ind_share: clamp(
            k_ind * if urban { 0.45 } else { 1.0 } * d.lognorm(0.08),
            0.03,
            0.92,
        ),
        tax_rate: clamp(d.normal(0.115 + 0.006 * q, 0.015), 0.06, 0.18),
        fai_per_ha: base(7_200.0, 5_000.0) * econ * (0.18 * q).exp() * d.lognorm(0.22),
        gdp_per_worker: 22.0 * (1.0 + 0.4 * m.heavy) * (0.12 * q).exp() * d.lognorm(0.15),
        pop_density: if urban {
            d.range(90.0, 180.0)
        } else if z.kind == Kind::Customs {
            d.range(0.5, 3.0)
        } else {
            d.range(25.0, 70.0)
        },
        econ_trend: d.normal(0.05 + 0.006 * q, 0.02),
        export_ratio: 0.10 * k_open * city_open(&z.city) * (0.35 * o).exp() * d.lognorm(0.25),
        import_ratio: if z.kind == Kind::Customs {
            d.range(0.8, 1.2)
        } else {
            d.range(0.45, 0.9)
        },
        mech_share: clamp(
            0.10 + 0.50 * m.mech + 0.05 * m.tech + d.normal(0.0, 0.05),
            0.02,
            0.9,
        ),
        tech_share: clamp(
            (0.02 + 0.22 * m.tech) * tech_boost + d.normal(0.0, 0.03),
            0.005,
            0.8,
        ),
        fie_share: clamp(
            match z.kind {
                Kind::Customs => 0.72,
                Kind::Etdz => 0.42,
                Kind::HighTech => 0.35,
                _ => 0.22,
            } * (0.25 * o).exp()
                * d.lognorm(0.2),
            0.03,
            0.95,
        ),
        fdi_ratio: 0.0016
            * k_open.sqrt()
            * city_open(&z.city).powf(0.8)
            * (0.45 * o).exp()
            * d.lognorm(0.35),
        arrival: clamp(d.normal(0.48 + 0.06 * q, 0.13), 0.15, 1.25),
        contract_size: 1_000.0 * d.lognorm(0.3),
        big_share: d.range(0.55, 0.85),
        big_size: 2_900.0 * d.lognorm(0.2),
        reg_rate: clamp(d.normal(0.86 + 0.04 * q, 0.06), 0.5, 1.0),
        energy0: (0.32 * heavy_energy) * (-0.12 * q).exp() * d.lognorm(0.2),
        water0: (6.0 + 9.0 * m.heavy + 4.0 * m.light) * (-0.1 * q).exp() * d.lognorm(0.2),
        cod0: (0.35 + 0.9 * m.heavy + 0.8 * m.light) * (-0.12 * q).exp() * d.lognorm(0.25),
        so2_0: (0.25 + 1.3 * m.heavy) * (-0.12 * q).exp() * d.lognorm(0.25),
        co2_factor: d.range(2.1, 2.5),
        wastewater: logistic_share(base(0.95, 0.91), 0.4 * q + 0.4 * d.n()),
        iso: matches!(z.code.as_str(), "G371029" | "G372107")
            || d.chance(base(0.35, 0.12) * (0.4 * q).exp()),
        waste_util: logistic_share(0.86 - 0.1 * m.heavy, 0.35 * q + 0.5 * d.n()),
        water_reuse: logistic_share(0.72 + 0.1 * m.heavy, 0.3 * q + 0.45 * d.n()),
        recycling_rate: logistic_share(0.78, 0.35 * q + 0.5 * d.n()),
        recycling_share: 5.0 * (1.0 + 1.5 * m.heavy) * d.lognorm(0.8),
        audit_full: d.chance(clamp(0.45 + 0.12 * q + 0.1 * f64::from(nat), 0.05, 0.95)),
        eco_chain: (4.0 + 1.5 * q + 2.0 * f64::from(nat)).max(0.3),
        wwtp_online: d.chance(clamp(0.72 + 0.15 * f64::from(nat) + 0.08 * q, 0.05, 0.98)),
        rd_pct: 1.2 * k_innov * (1.0 + 0.6 * m.tech) * (0.2 * q).exp() * d.lognorm(0.25),
        firms_per_rev: 0.9 * k_innov * (1.0 + 1.2 * m.tech) * (0.15 * q).exp() * d.lognorm(0.25),
        tech_output: clamp(
            12.0 + 30.0 * m.tech * tech_boost + 6.0 * q + d.normal(0.0, 7.0),
            2.0,
            90.0,
        ),
        inspection_gap: (3.2f64.ln() - 0.3 * q + 0.6 * d.n()).exp(),
        approval_days0: 15.0 * (-0.15 * q).exp() * d.lognorm(0.2),
        satisfaction: clamp(d.normal(88.0 + 2.5 * q, 3.0), 70.0, 99.0),
        responsibility: clamp(d.normal(85.0 + 4.0 * q, 4.0), 60.0, 100.0),
        incident_rate: 0.008 + 0.03 * m.heavy,
        co_built: 0.4 + 1.0 * f64::from(nat) + 0.2 * q.max(0.0),
        aid: 0.2 + 1.4 * f64::from(z.kind == Kind::Etdz || z.kind == Kind::HighTech),
    }
}

/// Year effects common to all zones (assumptions shaped to the broad national pattern: a 2020
/// dip, a 2021 trade rebound, falling foreign direct investment in 2023–2024).
fn year_effects(year: i32) -> (f64, f64, f64) {
    // (economy growth shift, trade growth, FDI growth)
    match year {
        2019 => (0.0, 0.03, 0.02),
        2020 => (-0.035, 0.02, 0.03),
        2021 => (0.035, 0.22, 0.12),
        2022 => (-0.01, 0.08, 0.04),
        2023 => (0.0, 0.01, -0.12),
        _ => (0.0, 0.04, -0.22),
    }
}

/// One simulated zone-year: every value before rounding, keyed by column name.
type Row = BTreeMap<&'static str, f64>;

fn simulate(z: &Zone, t: &Traits, d: &mut Draw) -> Vec<(i32, Row)> {
    let ramp = |year: i32| -> f64 {
        // Customs zones approved recently (e.g. 东营综保区 2015, "在建" in 2018) start from
        // scratch and ramp up over ~6 years. Other zones' approval dates mark upgrades or
        // re-confirmations of zones that already existed, so they do not ramp.
        if z.kind != Kind::Customs {
            return 1.0;
        }
        let age = f64::from(year - z.approved_year);
        clamp(0.25 + 0.125 * age, 0.25, 1.0)
    };
    // Persistent levels (random walks around the zone's trend) …
    let (mut econ_p, mut trade_p, mut fdi_p) = (1.0, 1.0, 1.0);
    let mut out = Vec::new();
    let mut cum_fai = 0.0;
    let mut firms = 0.0;
    let mut patents_per_firm = d.range(8.0, 20.0);
    let mut prev: Option<Row> = None;
    let mut va_hist: Vec<f64> = Vec::new();
    for year in SIM_START..=LAST_YEAR {
        let k = f64::from(year - SIM_START);
        if year > SIM_START {
            let (ge, gt, gf) = year_effects(year);
            econ_p *= 1.0 + t.econ_trend + ge + d.normal(0.0, 0.02);
            trade_p *= 1.0 + gt + 0.5 * (t.econ_trend - 0.05) + d.normal(0.0, 0.03);
            fdi_p *= (gf + 0.5 * (t.econ_trend - 0.05) + d.normal(0.0, 0.05)).exp();
        }
        // … times transitory yearly shocks (FDI is lumpy: a few large projects a year).
        let econ = econ_p * d.lognorm(0.02);
        let trade = trade_p * d.lognorm(0.06);
        let fdi = fdi_p * d.lognorm(0.3);
        let r = ramp(year);
        let mut v = Row::new();
        // Land (hectares). Rates drift up slowly; idle land shrinks.
        let s = z.area_ha;
        let developable = s * (1.0 - t.unbuildable);
        let dev = (t.dev0 + 0.006 * k).min(0.995) * r.sqrt();
        let supply = (t.supply0 + 0.005 * k).min(0.995);
        let built = (t.built0 + 0.006 * k).min(0.995);
        let ab21 = dev * developable;
        let supplied = supply * ab21;
        let a = built * supplied;
        let a2 = (t.a2_share + d.normal(0.0, 0.003)) * a;
        let a1 = (t.a1_share
            + if t.a1_share > 0.0 {
                d.normal(0.0, 0.003)
            } else {
                0.0
            })
        .max(0.0)
            * a;
        v.insert("land_a", a);
        v.insert("land_a1", a1);
        v.insert("land_a2", a2.max(1.0));
        v.insert("land_b", developable - a);
        v.insert("land_b21", ab21 - a);
        v.insert("land_supplied", supplied);
        v.insert(
            "land_idle",
            supplied * t.idle0 * 0.88f64.powf(k) * d.lognorm(0.1),
        );
        v.insert(
            "floor_area",
            a * t.plot0 * 1.012f64.powf(k) * d.lognorm(0.02),
        );
        v.insert(
            "building_base",
            a * clamp(t.density0 + 0.002 * k + d.normal(0.0, 0.005), 0.15, 0.6),
        );
        v.insert(
            "ind_floor_area",
            a2 * t.ind_plot0 * 1.012f64.powf(k) * d.lognorm(0.02),
        );
        v.insert(
            "ind_building_base",
            a2 * clamp(t.ind_coef0 + 0.003 * k + d.normal(0.0, 0.006), 0.25, 0.8),
        );
        v.insert("population", a * t.pop_density * (1.0 + 0.015 * k));

        // Economy (万元). Revenue per industrial hectare in the first year, then the zone's growth.
        let base_a2 = t.a2_share * t.dev0 * t.supply0 * t.built0 * developable;
        let revenue = t.rev_per_ha * base_a2 * econ * r;
        let va = revenue * t.va_ratio;
        let gdp = va / t.ind_share;
        let tax = gdp * (t.tax_rate + d.normal(0.0, 0.004));
        let fai_year = t.fai_per_ha * base_a2 * 0.07 * econ * r * d.lognorm(0.15);
        if year == SIM_START {
            cum_fai = t.fai_per_ha * base_a2 * r;
        } else {
            cum_fai += fai_year;
        }
        let employees = gdp / t.gdp_per_worker / (1.0 + 0.02 * k);
        v.insert("gdp", gdp);
        v.insert("industrial_revenue", revenue);
        v.insert("industrial_va", va);
        v.insert("tax_total", tax);
        v.insert("industrial_tax", tax * clamp(t.ind_share * 1.1, 0.05, 0.95));
        v.insert("cum_industrial_fai", cum_fai);
        v.insert("employees", employees);
        v.insert("jobs_new", employees * d.range(0.03, 0.08));
        let big = revenue / 300_000.0 * (0.5 + 0.5 * t.q.max(-1.0)).max(0.05);
        v.insert("big_mfg_firms", f64::from(d.poisson(big.min(60.0))));
        v.insert(
            "listed_firms",
            f64::from(d.poisson((revenue / 1_000_000.0 * (1.0 + t.mix.tech)).min(40.0))),
        );
        va_hist.push(va);

        // Openness (万美元).
        let exports = gdp * t.export_ratio / CNY_PER_USD * trade;
        let imports = exports * t.import_ratio * d.lognorm(0.05);
        let tech_share = clamp(
            t.tech_share * (1.0 + 0.02 * k) * d.lognorm(0.05),
            0.003,
            0.85,
        );
        v.insert("exports", exports);
        v.insert("imports", imports);
        v.insert(
            "mech_elec_exports",
            exports * clamp(t.mech_share * d.lognorm(0.04), 0.01, 0.92),
        );
        v.insert("hightech_exports", exports * tech_share);
        v.insert(
            "hightech_imports",
            imports * clamp(tech_share * d.lognorm(0.15), 0.003, 0.9),
        );
        v.insert(
            "fie_exports",
            exports * clamp(t.fie_share * d.lognorm(0.05), 0.02, 0.97),
        );
        let fdi_actual = gdp * t.fdi_ratio * fdi;
        let contracted = fdi_actual / clamp(t.arrival * d.lognorm(0.12), 0.12, 1.4);
        let fie_new = (contracted / (t.contract_size * d.lognorm(0.1)))
            .round()
            .max(1.0);
        v.insert("fdi_actual", fdi_actual);
        v.insert("fdi_contracted", contracted);
        v.insert("fie_new", fie_new);
        v.insert(
            "fie_registered",
            (fie_new * clamp(t.reg_rate + d.normal(0.0, 0.03), 0.4, 1.0)).round(),
        );
        v.insert(
            "projects_10m",
            (contracted * t.big_share / t.big_size * d.lognorm(0.15))
                .round()
                .min(fie_new),
        );

        // Environment.
        let e_int = t.energy0 * 0.97f64.powf(k) * d.lognorm(0.04);
        let energy = va * e_int;
        let co2 = energy * t.co2_factor / 10_000.0;
        v.insert("energy_tce", energy);
        v.insert(
            "water_m3",
            va * t.water0 * 0.975f64.powf(k) * d.lognorm(0.05) / 10_000.0,
        );
        v.insert(
            "cod_t",
            va * t.cod0 * 0.96f64.powf(k) * d.lognorm(0.06) / 1_000.0,
        );
        v.insert(
            "so2_t",
            va * t.so2_0 * 0.94f64.powf(k) * d.lognorm(0.06) / 1_000.0,
        );
        v.insert("co2_10kt", co2);
        v.insert(
            "wastewater_treatment_rate",
            100.0 * clamp(t.wastewater + 0.004 * k + d.normal(0.0, 0.01), 0.6, 1.0),
        );
        v.insert("iso14001", f64::from(t.iso));
        v.insert(
            "solid_waste_util_rate",
            100.0 * clamp(t.waste_util + 0.005 * k + d.normal(0.0, 0.01), 0.3, 0.995),
        );
        v.insert(
            "water_reuse_rate",
            100.0 * clamp(t.water_reuse + 0.004 * k + d.normal(0.0, 0.01), 0.3, 0.985),
        );
        v.insert(
            "renewable_recycling_rate",
            100.0
                * clamp(
                    t.recycling_rate + 0.004 * k + d.normal(0.0, 0.01),
                    0.3,
                    0.99,
                ),
        );
        v.insert(
            "recycling_industry_share",
            clamp(t.recycling_share * d.lognorm(0.08), 0.1, 60.0),
        );
        v.insert(
            "clean_production_audit_rate",
            if t.audit_full {
                100.0
            } else {
                d.range(70.0, 99.5)
            },
        );
        v.insert("new_eco_chain_projects", f64::from(d.poisson(t.eco_chain)));
        v.insert("central_wwtp_online", f64::from(t.wwtp_online));

        // Innovation.
        v.insert(
            "rd_expenditure",
            revenue * t.rd_pct / 100.0 * (1.0 + 0.03 * k) * d.lognorm(0.06),
        );
        let target_firms = revenue / 100_000.0 * t.firms_per_rev * (1.0 + 0.09 * k);
        firms = if year == SIM_START {
            target_firms
        } else {
            0.5 * firms * 1.08 + 0.5 * target_firms
        };
        let hightech_firms = (firms * d.lognorm(0.05)).round().max(0.0);
        patents_per_firm *= 1.06;
        v.insert("hightech_firms", hightech_firms);
        v.insert(
            "rd_institutions",
            (hightech_firms * 0.12 * d.lognorm(0.25)).round(),
        );
        v.insert("incubators", f64::from(d.poisson(hightech_firms / 70.0)));
        v.insert(
            "invention_patents",
            (hightech_firms.max(0.5) * patents_per_firm * d.lognorm(0.1)).round(),
        );
        v.insert(
            "hightech_output_share",
            clamp(t.tech_output + 0.6 * k + d.normal(0.0, 1.0), 1.0, 95.0),
        );

        // Management and service.
        v.insert(
            "inspection_rate",
            clamp(100.0 - t.inspection_gap * d.lognorm(0.35), 60.0, 100.0),
        );
        v.insert(
            "approval_days",
            t.approval_days0 * 0.95f64.powf(k) * d.lognorm(0.08),
        );
        v.insert(
            "enterprise_satisfaction",
            clamp(t.satisfaction + 0.3 * k + d.normal(0.0, 1.2), 60.0, 99.5),
        );
        v.insert(
            "responsibility_score",
            clamp(t.responsibility + d.normal(0.0, 2.0), 50.0, 100.0),
        );
        v.insert("major_incidents", f64::from(d.poisson(t.incident_rate)));
        v.insert("co_built_parks", f64::from(d.poisson(t.co_built)));
        v.insert("aid_projects", f64::from(d.poisson(t.aid)));

        // Growth rates (per cent) against the previous simulated year.
        if let Some(p) = &prev {
            let g = |now: f64, before: f64| {
                if before > 0.0 {
                    100.0 * (now / before - 1.0)
                } else {
                    0.0
                }
            };
            v.insert("gdp_growth", g(gdp, p["gdp"]));
            v.insert("fdi_growth", g(fdi_actual, p["fdi_actual"]));
            v.insert(
                "trade_growth",
                g(exports + imports, p["exports"] + p["imports"]),
            );
            v.insert("co2_growth", g(co2, p["co2_10kt"]));
        }
        if va_hist.len() >= 4 {
            let n = va_hist.len();
            v.insert(
                "va_growth_3y",
                100.0 * ((va_hist[n - 1] / va_hist[n - 4]).powf(1.0 / 3.0) - 1.0),
            );
        }
        prev = Some(v.clone());
        if year >= FIRST_YEAR {
            out.push((year, v));
        }
    }
    out
}

/// Columns added for the plan's FIE reporting rates (item 7), processing trade (item 11) and
/// HJ 274-2015's 信息公开 category. They come from a second stream per zone (salt 3), so the
/// columns drawn before they existed keep their values. Depends on the zone's latent quality and
/// on the year's written FDI and trade values.
fn extend(z: &Zone, t: &Traits, rows: &mut [(i32, Row)]) {
    let mut d = Draw::for_key(&z.code, 3);
    // Persistent traits of the new columns.
    let stock_years = d.range(5.0, 9.0);
    let operating = clamp(d.normal(0.80 + 0.04 * t.q, 0.07), 0.40, 0.99);
    let increase = clamp(d.normal(0.10 + 0.02 * t.q, 0.035), 0.01, 0.35);
    let paid = clamp(d.normal(0.70 + 0.05 * t.q, 0.10), 0.30, 1.0);
    let processing = clamp(
        match z.kind {
            Kind::Customs => 0.70,
            Kind::Etdz => 0.34,
            Kind::HighTech => 0.28,
            Kind::Tourism => 0.05,
            _ => 0.20,
        } * d.lognorm(0.25),
        0.02,
        0.92,
    );
    // Imported inputs per unit of processing exports: 加工贸易增值率 = exports / imports − 1
    // runs from about 20 % to 150 %; better-run zones add more value.
    let input_ratio = clamp(d.normal(0.62 - 0.05 * t.q, 0.08), 0.40, 0.85);
    let disclosure = logistic_share(0.82, 0.4 * t.q + 0.5 * d.n());
    let platform = clamp(d.normal(68.0 + 8.0 * t.q, 12.0), 15.0, 100.0);
    for (_, v) in rows.iter_mut() {
        let fie_new = v["fie_new"];
        let stock = (fie_new * stock_years * d.lognorm(0.05))
            .round()
            .max(fie_new);
        v.insert("fie_stock", stock);
        v.insert(
            "fie_operating",
            (stock * clamp(operating + d.normal(0.0, 0.02), 0.3, 1.0)).round(),
        );
        v.insert(
            "fie_capital_increased",
            (stock * clamp(increase * d.lognorm(0.15), 0.0, 0.5)).round(),
        );
        let subscribed = v["fdi_contracted"] * d.range(2.5, 4.0);
        v.insert("fie_capital_subscribed", subscribed);
        v.insert(
            "fie_capital_paid",
            subscribed * clamp(paid + d.normal(0.0, 0.03), 0.2, 1.0),
        );
        let pe = v["exports"] * clamp(processing * d.lognorm(0.05), 0.01, 0.95);
        v.insert("processing_exports", pe);
        v.insert(
            "processing_imports",
            pe * clamp(input_ratio * d.lognorm(0.04), 0.3, 0.95),
        );
        v.insert(
            "env_disclosure_rate",
            100.0 * clamp(disclosure + d.normal(0.0, 0.015), 0.3, 1.0),
        );
        v.insert(
            "eco_info_platform",
            clamp(platform + d.normal(0.0, 3.0), 10.0, 100.0),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Output

/// The panel's numeric columns in order, with their decimals.
const COLUMNS: &[(&str, usize)] = &[
    // Foreign investment (万美元, 家, 个)
    ("fdi_actual", 1),
    ("fdi_contracted", 1),
    ("fdi_growth", 2),
    ("fie_new", 0),
    ("fie_registered", 0),
    ("projects_10m", 0),
    ("fie_exports", 1),
    ("fie_stock", 0),
    ("fie_operating", 0),
    ("fie_capital_increased", 0),
    ("fie_capital_subscribed", 1),
    ("fie_capital_paid", 1),
    // Trade (万美元)
    ("exports", 1),
    ("imports", 1),
    ("mech_elec_exports", 1),
    ("hightech_exports", 1),
    ("hightech_imports", 1),
    ("processing_exports", 1),
    ("processing_imports", 1),
    ("trade_growth", 2),
    // Economy (万元, 人, 家)
    ("gdp", 1),
    ("gdp_growth", 2),
    ("industrial_revenue", 1),
    ("industrial_va", 1),
    ("va_growth_3y", 2),
    ("tax_total", 1),
    ("industrial_tax", 1),
    ("cum_industrial_fai", 1),
    ("big_mfg_firms", 0),
    ("listed_firms", 0),
    ("employees", 0),
    ("jobs_new", 0),
    ("population", 0),
    // Land (公顷; floor and base areas in hectares, 1 ha = 1 万m²)
    ("land_a", 2),
    ("land_a1", 2),
    ("land_a2", 2),
    ("land_b", 2),
    ("land_b21", 2),
    ("land_supplied", 2),
    ("land_idle", 2),
    ("floor_area", 2),
    ("building_base", 2),
    ("ind_floor_area", 2),
    ("ind_building_base", 2),
    // Environment
    ("energy_tce", 0),
    ("water_m3", 2),
    ("cod_t", 1),
    ("so2_t", 1),
    ("co2_10kt", 2),
    ("co2_growth", 2),
    ("wastewater_treatment_rate", 2),
    ("iso14001", 0),
    ("solid_waste_util_rate", 2),
    ("water_reuse_rate", 2),
    ("renewable_recycling_rate", 2),
    ("recycling_industry_share", 2),
    ("clean_production_audit_rate", 2),
    ("new_eco_chain_projects", 0),
    ("central_wwtp_online", 0),
    ("env_disclosure_rate", 2),
    ("eco_info_platform", 2),
    // Innovation
    ("rd_expenditure", 1),
    ("hightech_firms", 0),
    ("rd_institutions", 0),
    ("incubators", 0),
    ("invention_patents", 0),
    ("hightech_output_share", 2),
    // Management and service
    ("inspection_rate", 2),
    ("approval_days", 1),
    ("enterprise_satisfaction", 2),
    ("responsibility_score", 2),
    ("major_incidents", 0),
    ("co_built_parks", 0),
    ("aid_projects", 0),
];

/// Fixed-decimal text; never "-0".
fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x + 0.0);
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A CSV field, quoted only when it has to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The 2014 zoning rule (开发区土地集约利用评价规程 2014 年度试行, as summarised in the reference
/// notes): 工矿仓储用地率 > 30 % and 住宅用地率 < 25 % → 工业主导型, otherwise 产城融合型; customs
/// zones (保税区、出口加工区 and their successors) are always 工业主导型. Applied to the written
/// (rounded) values.
fn land_type(kind: Kind, a: f64, a1: f64, a2: f64) -> &'static str {
    if kind == Kind::Customs || (a2 / a > 0.30 && a1 / a < 0.25) {
        "工业主导型"
    } else {
        "产城融合型"
    }
}

fn parse(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

fn write_panel(zones: &[Zone]) -> String {
    let mut out = String::new();
    let head = [
        "zone_id",
        "zone_name",
        "name_2018",
        "year",
        "city",
        "region",
        "economic_circle",
        "level",
        "type",
        "land_type",
        "china_region",
        "approved_area_ha",
        "data_status",
    ];
    out.push_str(&head.join(","));
    for (c, _) in COLUMNS {
        out.push(',');
        out.push_str(c);
    }
    out.push('\n');
    // Rows grouped by year (latest year last), zones in catalogue order within a year.
    let sims: Vec<Vec<(i32, Row)>> = zones
        .iter()
        .map(|z| {
            let mut d = Draw::for_key(&z.code, 1);
            let t = traits(z, &mut d);
            let mut rows = simulate(z, &t, &mut d);
            extend(z, &t, &mut rows);
            rows
        })
        .collect();
    for yi in 0..=(LAST_YEAR - FIRST_YEAR) as usize {
        for (z, sim) in zones.iter().zip(&sims) {
            let (year, v) = &sim[yi];
            let text: Vec<String> = COLUMNS
                .iter()
                .map(|(c, dec)| {
                    if MISSING
                        .iter()
                        .any(|(code, y, col)| *code == z.code && y == year && col == c)
                    {
                        String::new()
                    } else {
                        fixed(v[c], *dec)
                    }
                })
                .collect();
            let get = |name: &str| {
                parse(
                    &text[COLUMNS
                        .iter()
                        .position(|(c, _)| *c == name)
                        .expect("known column")],
                )
            };
            let lt = land_type(z.kind, get("land_a"), get("land_a1"), get("land_a2"));
            let fixed_cols = [
                z.code.as_str(),
                z.current_name.as_str(),
                z.name.as_str(),
                &year.to_string(),
                &z.city,
                &z.region,
                &z.circle,
                &z.level,
                &z.kind_label,
                lt,
                "东部",
                &z.area_text,
                "synthetic",
            ];
            let line: Vec<String> = fixed_cols.iter().map(|s| field(s)).chain(text).collect();
            let _ = writeln!(out, "{}", line.join(","));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Project applications (for indicators/project-access.toml)

/// Industries of the 2008 land-use control indicators, by GB/T 4754-2002 two-digit code, with the
/// keywords of the catalogue's leading industries that map to them.
const INDUSTRIES: &[(&str, &str, &[&str])] = &[
    ("C13", "农副食品加工业", &["农副", "粮油", "畜产", "农产品"]),
    ("C14", "食品制造业", &["食品", "饮料"]),
    ("C17", "纺织业", &["纺织", "家纺", "地毯"]),
    ("C18", "纺织服装、鞋、帽制造业", &["服装", "制鞋"]),
    ("C22", "造纸及纸制品业", &["造纸", "纸制品", "包装", "印刷"]),
    (
        "C25",
        "石油加工、炼焦及核燃料加工业",
        &["石化", "炼化", "石油炼化"],
    ),
    (
        "C26",
        "化学原料及化学制品制造业",
        &["化工", "化学", "盐化", "氟硅"],
    ),
    ("C27", "医药制造业", &["医药", "制药", "生物"]),
    ("C29", "橡胶制品业", &["橡胶"]),
    ("C31", "非金属矿物制品业", &["建材", "陶瓷", "非金属"]),
    ("C32", "黑色金属冶炼及压延加工业", &["钢"]),
    (
        "C33",
        "有色金属冶炼及压延加工业",
        &["有色", "铝", "铜", "黄金"],
    ),
    ("C35", "通用设备制造业", &["机械", "通用设备", "五金"]),
    ("C36", "专用设备制造业", &["装备", "专用", "器械"]),
    (
        "C37",
        "交通运输设备制造业",
        &["汽车", "交通", "船舶", "轨道", "航空"],
    ),
    (
        "C39",
        "电气机械及器材制造业",
        &["电气", "电器", "家电", "输变电", "新能源", "电工"],
    ),
    (
        "C40",
        "通信设备、计算机及其他电子设备制造业",
        &["电子", "信息", "声学", "光学"],
    ),
];

/// Minimum plot ratio by industry, as in indicators/project-access.toml: the 2008 control
/// indicators' published values (C13, C14, C17, C18, C22, C25, C26, C27, C29, C31, C32, C33);
/// C35–C40 are our placeholders (0.7; C40 1.0).
fn plot_ratio_min(industry: &str) -> f64 {
    match industry {
        "C17" | "C22" | "C29" => 0.8,
        "C14" | "C13" | "C18" => 1.0,
        "C26" | "C32" | "C33" => 0.6,
        "C25" => 0.5,
        "C27" | "C31" => 0.7,
        "C40" => 1.0, // placeholder
        _ => 0.7,     // C35–C39: placeholders
    }
}

/// Shandong's minimum investment intensity in development zones (万元/公顷; 鲁政办发〔2005〕27号):
/// 3,600 in national zones; in provincial zones 3,000 / 2,400 / 1,500 by city. Laiwu (2,400)
/// is part of Jinan (2,400) since 2019, so the 2024 city gives the same floor.
fn investment_min(level: &str, city: &str) -> f64 {
    if level == "国家级" {
        return 3_600.0;
    }
    match city {
        "青岛" | "烟台" | "威海" => 3_000.0,
        "济南" | "淄博" | "潍坊" | "东营" | "泰安" | "莱芜" | "济宁" | "日照" => {
            2_400.0
        }
        _ => 1_500.0, // 滨州 德州 聊城 菏泽 枣庄 临沂
    }
}

fn industry_for(z: &Zone, d: &mut Draw) -> usize {
    let candidates: Vec<usize> = (0..INDUSTRIES.len())
        .filter(|&i| {
            INDUSTRIES[i]
                .2
                .iter()
                .any(|k| z.industries.iter().any(|ind| ind.contains(k)))
        })
        .collect();
    if candidates.is_empty() {
        12
    } else {
        candidates[(d.u() * candidates.len() as f64) as usize % candidates.len()]
    }
}

fn write_projects(zones: &[Zone]) -> String {
    const N: usize = 60;
    let mut d = Draw::for_key("project-applications", 2);
    let hosts: Vec<&Zone> = zones
        .iter()
        .filter(|z| !matches!(z.kind, Kind::Customs | Kind::Tourism))
        .collect();
    // Green space: a second stream, so the other columns keep the draws they had before the
    // green-space rule followed the 2008 text (normally none; ≤ 20 % where the process needs it).
    let mut g = Draw::for_key("project-applications-green", 4);
    let mut out = String::from(
        "project_id,project_name,zone_id,zone_name,zone_level,city,industry,industry_name,land_area_ha,fixed_investment,floor_area_ha,building_base_ha,admin_living_ha,green_ha,green_process_required,expected_output,expected_tax,jobs,data_status\n",
    );
    for i in 1..=N {
        let z = hosts[(d.u() * hosts.len() as f64) as usize % hosts.len()];
        let ind = industry_for(z, &mut d);
        let (code, ind_name, _) = INDUSTRIES[ind];
        let land = fixed(d.range(1.5, 25.0), 2);
        let land_v = parse(&land);
        // Each ratio is drawn around its threshold so that some applications fail each gate.
        let inv = investment_min(&z.level, &z.city) * (d.normal(0.22, 0.28)).exp() * land_v;
        let plot = plot_ratio_min(code) * (d.normal(0.25, 0.25)).exp();
        let coverage = clamp(d.normal(0.45, 0.08), 0.15, 0.75);
        let admin = clamp(d.normal(0.045, 0.015), 0.005, 0.15);
        let _ = d.n(); // the green-space draw of earlier versions, kept so later draws stay put
        // One application in five states that its process requires green space (then up to
        // 20 % is allowed); of the others most plan none and a few plan some anyway.
        let required = g.chance(0.2);
        let green = if required {
            clamp(g.normal(0.14, 0.05), 0.02, 0.35)
        } else if g.chance(0.2) {
            g.range(0.02, 0.10)
        } else {
            0.0
        };
        let output = inv * d.range(1.0, 2.5);
        let row = [
            format!("P2024-{i:03}"),
            format!("示例项目{i:03}（{ind_name}）"),
            z.code.clone(),
            z.current_name.clone(),
            z.level.clone(),
            z.city.clone(),
            code.to_string(),
            ind_name.to_string(),
            land,
            fixed(inv, 1),
            fixed(land_v * plot, 2),
            fixed(land_v * coverage, 2),
            fixed(land_v * admin, 3),
            fixed(land_v * green, 2),
            if required { "是" } else { "否" }.to_string(),
            fixed(output, 1),
            fixed(output * d.range(0.03, 0.08), 1),
            fixed(land_v * d.range(30.0, 120.0), 0),
            "synthetic".to_string(),
        ];
        let line: Vec<String> = row.iter().map(|s| field(s)).collect();
        let _ = writeln!(out, "{}", line.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The official 三大经济圈 (2020): 7 + 5 + 4 prefectures, every one of the 16 in one circle.
    #[test]
    fn every_prefecture_is_in_one_economic_circle() {
        let cities = [
            "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照",
            "临沂", "德州", "聊城", "滨州", "菏泽",
        ];
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for c in cities {
            *count.entry(economic_circle(c).unwrap()).or_default() += 1;
        }
        assert_eq!(count["省会经济圈"], 7);
        assert_eq!(count["胶东经济圈"], 5);
        assert_eq!(count["鲁南经济圈"], 4);
        assert_eq!(
            economic_circle("莱芜"),
            None,
            "Laiwu zones carry city_2024 = 济南"
        );
    }

    /// A catalogue row whose `economic_circle` disagrees with the official grouping is refused,
    /// naming the zone.
    #[test]
    fn a_wrong_economic_circle_is_an_error() {
        let dir = std::env::temp_dir().join(format!("gen-seeds-circle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("cat.csv");
        std::fs::write(
            &f,
            "code,name,city_2024,level,type,approved,area_ha,leading_industries,region,economic_circle\n\
             G371028,青岛经济技术开发区,青岛,国务院,经济技术开发区,1984.10,1752.0,家电,鲁东,鲁南经济圈\n",
        )
        .unwrap();
        let e = read_catalogue(&f).err().expect("refused").to_string();
        assert!(e.contains("G371028") && e.contains("胶东经济圈"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Shandong's 2005 floors: 3,600 in national zones whatever the city; provincial zones by city.
    #[test]
    fn investment_floors_follow_the_2005_notice() {
        assert_eq!(investment_min("国家级", "菏泽"), 3_600.0);
        assert_eq!(investment_min("省级", "威海"), 3_000.0);
        assert_eq!(investment_min("省级", "济南"), 2_400.0);
        assert_eq!(
            investment_min("省级", "莱芜"),
            investment_min("省级", "济南")
        );
        assert_eq!(investment_min("省级", "临沂"), 1_500.0);
    }

    /// The new columns are drawn from their own stream: the same zone gives the same values, and
    /// the rates they make lie in [0, 100 %].
    #[test]
    fn extended_columns_are_deterministic_and_consistent() {
        let z = Zone {
            code: "S377014".into(),
            name: "x".into(),
            current_name: "x".into(),
            city: "青岛".into(),
            region: "鲁东".into(),
            circle: "胶东经济圈".into(),
            level: "省级".into(),
            kind_label: "经济开发区".into(),
            kind: Kind::ProvEdz,
            approved_year: 2006,
            area_ha: 1000.0,
            area_text: "1000".into(),
            industries: vec!["机械".into()],
        };
        let run = || {
            let mut d = Draw::for_key(&z.code, 1);
            let t = traits(&z, &mut d);
            let mut rows = simulate(&z, &t, &mut d);
            extend(&z, &t, &mut rows);
            rows
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        for (_, v) in &a {
            assert!(v["fie_operating"] <= v["fie_stock"] && v["fie_stock"] >= v["fie_new"]);
            assert!(v["fie_capital_increased"] <= v["fie_stock"]);
            assert!(v["fie_capital_paid"] <= v["fie_capital_subscribed"]);
            assert!(v["processing_exports"] <= v["exports"]);
            assert!((0.0..=100.0).contains(&v["env_disclosure_rate"]));
        }
    }
}
