//! The terminal, for people who run the CLI by hand: shell completions, per-analysis help, a
//! ranking table that fits 120 columns (every column with `--wide`), veto reasons, summarised
//! sensitivity tables with names, Chinese method names.

mod common;

use common::{command, stderr, stdout, zoneval};

/// Display width (CJK wide characters count two columns).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = zoneval(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let s = stdout(&o);
        for word in ["zoneval", "sensitivity", "weight", "completions"] {
            assert!(s.contains(word), "{shell} completion lacks {word}");
        }
    }
    let o = zoneval(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn each_analysis_has_its_own_help() {
    let help = |a: &str| {
        let o = zoneval(&["sensitivity", a, "--help"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let mc = help("monte-carlo");
    assert!(
        mc.contains("--dirichlet") && mc.contains("--perturb"),
        "{mc}"
    );
    assert!(
        !mc.contains("--bootstrap") && !mc.contains("--steps"),
        "{mc}"
    );
    let oat = help("oat");
    assert!(oat.contains("--steps") && oat.contains("--range"), "{oat}");
    assert!(
        !oat.contains("--dirichlet") && !oat.contains("--samples"),
        "{oat}"
    );
    assert!(oat.contains("--system"), "shared inputs stay: {oat}");
    let rr = help("rank-reversal");
    assert!(!rr.contains("--seed"), "{rr}");
    // The shared help still lists everything.
    let all = stdout(&zoneval(&["sensitivity", "--help"]));
    assert!(all.contains("--dirichlet") && all.contains("--bootstrap"));
}

/// Every bundled system's ranking fits 120 columns in both languages; `--wide` adds the
/// criterion scores.
#[test]
fn the_default_table_fits_120_columns() {
    for sys in [
        "shandong-provincial",
        "mofcom-etdz-2021",
        "land-intensive-use",
        "eco-industrial-park",
        "project-access",
        "shandong-provincial-2016",
        "project-access-2023",
    ] {
        for lang in ["en", "zh"] {
            let o = zoneval(&["evaluate", "-s", sys, "--lang", lang]);
            assert!(o.status.success(), "{}", stderr(&o));
            let out = stdout(&o);
            // The title line is the system's own name.
            for l in out.lines().skip(2) {
                assert!(width(l) <= 120, "{sys} {lang}: {} columns: {l}", width(l));
            }
        }
    }
    let narrow = stdout(&zoneval(&["evaluate", "--lang", "en"]));
    let wide = stdout(&zoneval(&["evaluate", "--lang", "en", "--wide"]));
    assert!(!narrow.contains("Foreign investment"));
    assert!(wide.contains("Foreign investment") && wide.contains("Value"));
    assert!(narrow.contains("--wide"));
}

/// A vetoed zone shows why: the gate it failed (shandong excludes zones below 90 % in the
/// online joint annual inspection).
#[test]
fn the_table_shows_veto_reasons() {
    let en = stdout(&zoneval(&["evaluate", "--lang", "en", "--wide"]));
    let line = en
        .lines()
        .find(|l| l.contains("veto"))
        .expect("a vetoed zone");
    assert!(line.contains("veto: "), "{line}");
    let zh = stdout(&zoneval(&["evaluate", "--lang", "zh"]));
    assert!(zh.lines().any(|l| l.contains("否决：")), "{zh}");
}

/// OAT, Sobol and rank-reversal tables: one row per factor (or the first 30 pairs) with
/// names, and a summary line, instead of thousands of id rows.
#[test]
fn sensitivity_tables_are_summaries_with_names() {
    let oat = stdout(&zoneval(&["sensitivity", "oat", "--lang", "en"]));
    // The bundled data are synthetic: the first line says so.
    let banner = "!! SYNTHETIC DATA — not the zones' real performance !!\n";
    let oat = oat.strip_prefix(banner).expect("the synthetic-data line");
    // Six criteria: header, rule, six rows, blank line, summary.
    assert!(oat.lines().count() < 15, "{oat}");
    assert!(
        oat.contains("Foreign investment") && oat.contains("steps"),
        "{oat}"
    );
    let sobol = stdout(&zoneval(&[
        "sensitivity",
        "sobol",
        "--samples",
        "32",
        "--lang",
        "zh",
    ]));
    assert!(sobol.lines().count() < 15, "{sobol}");
    assert!(
        sobol.contains("最敏感的开发区") && sobol.contains("个基点"),
        "{sobol}"
    );
    let rr = stdout(&zoneval(&["sensitivity", "rank-reversal", "--lang", "en"]));
    let rr = rr.strip_prefix(banner).expect("the synthetic-data line");
    assert!(rr.starts_with(|c: char| c.is_ascii_digit()), "{rr}");
    assert!(rr.contains("reversed pairs in"), "{rr}");
    assert!(rr.lines().count() <= 36, "{rr}");
}

#[test]
fn chinese_output_names_the_methods_in_chinese() {
    let mut c = command();
    c.args(["evaluate", "--lang", "zh", "--aggregation", "topsis"]);
    let out = String::from_utf8(c.output().unwrap().stdout).unwrap();
    // The first line says the bundled data are synthetic; then the title, then the method.
    assert!(
        out.starts_with("!! 合成数据——并非各开发区的真实表现 !!\n"),
        "{out}"
    );
    let method = out.lines().nth(2).unwrap();
    assert!(
        method.contains("TOPSIS 法") && method.contains("专家赋权"),
        "{method}"
    );
}
