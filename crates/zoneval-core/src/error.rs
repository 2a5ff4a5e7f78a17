//! Errors and warnings that name their place.
//!
//! Every problem zoneval reports carries a [`Location`] (file, line, column) when it has one,
//! and its message in both languages ([`Text`]), so the CLI can answer in `--lang zh|en`
//! without a separate message catalogue: the two wordings sit next to the code that raises
//! them. One [`Error`] may hold many problems — `zoneval validate` reports every problem at
//! once — and its [`ErrorKind`] decides the exit code. An invalid option value also carries
//! an [`OptionError`], so a front end can word it in its own terms (the CLI names its flags;
//! the engine's own wording names the option by its meaning).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Output language of messages and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese (简体中文).
    Zh,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// The language the environment asks for: ZONEVAL_LANG, LC_ALL or LANG (the first that
    /// is set) starting with "zh", else English.
    pub fn from_env() -> Lang {
        ["ZONEVAL_LANG", "LC_ALL", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .map_or(Lang::En, |v| Lang::from_env_value(&v))
    }

    /// Picks `zh` or `en` from a value such as `zh_CN.UTF-8`; anything else is English.
    pub fn from_env_value(v: &str) -> Lang {
        if v.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A message in English and Chinese (also saved in report models, hence `Deserialize`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// English wording.
    pub en: String,
    /// Chinese wording.
    pub zh: String,
}

impl Text {
    /// The same wording in both languages (identifiers, numbers, raw text).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            en: s.clone(),
            zh: s,
        }
    }

    /// The wording for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Builds a [`Text`] from an English and a Chinese format string.
#[macro_export]
macro_rules! text {
    ($en:expr, $zh:expr $(,)?) => {
        $crate::error::Text {
            en: format!($en),
            zh: format!($zh),
        }
    };
}

/// A place in an input file: 1-based line and column (characters for TOML, the 1-based field
/// number for CSV, the cell's column for xlsx). A place in a workbook also names its sheet and
/// is shown as Excel addresses it: `admin.xlsx!2024!L5` (a whole row `admin.xlsx!2024!5:5`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// The file as the user named it.
    pub file: Arc<str>,
    /// 1-based line (0 when only the file is known); the row of a worksheet.
    pub line: u32,
    /// 1-based column (0 when only the line is known).
    pub col: u32,
    /// The worksheet, for a place in a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: &Arc<str>) -> Location {
        Location {
            file: file.clone(),
            line: 0,
            col: 0,
            sheet: None,
        }
    }

    /// A place in a file.
    pub fn new(file: &Arc<str>, line: u32, col: u32) -> Location {
        Location {
            file: file.clone(),
            line,
            col,
            sheet: None,
        }
    }

    /// A place in worksheet `sheet` of a workbook (`sheet` None: a CSV file).
    pub fn in_sheet(file: &Arc<str>, sheet: Option<&Arc<str>>, line: u32, col: u32) -> Location {
        Location {
            sheet: sheet.cloned(),
            ..Location::new(file, line, col)
        }
    }
}

/// Excel's letters for a 1-based column number: 1 → A, 26 → Z, 27 → AA.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        out.push(b'A' + r as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            return match (self.line, self.col) {
                (0, _) => write!(f, "{}!{sheet}", self.file),
                (l, 0) => write!(f, "{}!{sheet}!{l}:{l}", self.file),
                (l, c) => write!(f, "{}!{sheet}!{}{l}", self.file, column_letters(c)),
            };
        }
        match (self.line, self.col) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{l}", self.file),
            (l, c) => write!(f, "{}:{l}:{c}", self.file),
        }
    }
}

/// One problem (or warning): where, what, and optionally a hint such as the nearest valid name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// Where it is, when known.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: Text,
    /// What to do about it (e.g. "did you mean `normalization`?").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Box<Text>>,
}

impl Problem {
    /// A problem at `location`.
    pub fn at(location: Option<Location>, message: Text) -> Problem {
        Problem {
            location,
            message,
            hint: None,
        }
    }

    /// A problem without a place.
    pub fn new(message: Text) -> Problem {
        Problem {
            location: None,
            message,
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: Text) -> Problem {
        self.hint = Some(Box::new(hint));
        self
    }

    /// Renders `file:line:col: message (hint)` in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = String::new();
        if let Some(loc) = &self.location {
            s.push_str(&loc.to_string());
            s.push_str(": ");
        }
        s.push_str(self.message.get(lang));
        if let Some(h) = &self.hint {
            s.push_str(match lang {
                Lang::En => " (",
                Lang::Zh => "（",
            });
            s.push_str(h.get(lang));
            s.push_str(match lang {
                Lang::En => ")",
                Lang::Zh => "）",
            });
        }
        s
    }
}

/// Which kind of failure, and so which exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Invalid input: data, system, judgements, a path that does not exist (exit 1).
    Input,
    /// Bad usage of the command line (exit 2).
    Usage,
    /// Anything else, e.g. a write that fails midway (exit 3).
    Failure,
}

impl ErrorKind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Input => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Failure => 3,
        }
    }
}

/// An option value the engine refuses, by meaning rather than by any front end's spelling of
/// the option. [`OptionError::message`] is the engine's wording; the CLI words each kind with
/// its flag instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionError {
    /// Monte Carlo: the number of samples is outside `1..=max`.
    Samples {
        /// The most samples accepted.
        max: usize,
    },
    /// Sobol: the number of base points is outside `1..=max`.
    BasePoints {
        /// The most base points accepted.
        max: usize,
    },
    /// Monte Carlo: the uniform perturbation is outside [0, 1).
    Perturb,
    /// Monte Carlo: the Dirichlet concentration is not a positive finite number.
    Dirichlet,
    /// Monte Carlo: the Dirichlet concentration is so small that the draws underflow (the
    /// smallest accepted for these weights).
    DirichletTooSmall {
        /// The smallest concentration accepted.
        min: u64,
    },
    /// Monte Carlo and stability: a top K of 0.
    Top,
    /// Sobol: the multiplier range is outside (0, 1).
    SobolRange,
    /// One-at-a-time: the relative range is outside (0, 10) (`max_steps` is the step bound,
    /// reported together with it).
    OatRange {
        /// The most steps accepted.
        max_steps: usize,
    },
    /// One-at-a-time: the number of steps is outside `1..=max`.
    OatSteps {
        /// The most steps accepted.
        max: usize,
    },
    /// Stability: the number of grid points is above `max`.
    StabilitySteps {
        /// The most grid points accepted.
        max: usize,
    },
    /// Sobol: too many bootstrap resamples, or too many resamples × base points.
    Bootstrap {
        /// The most resamples.
        max: usize,
        /// The most resamples × base points.
        max_draws: usize,
    },
    /// Sobol: more factors than the sequence has dimensions for.
    TooManySobolFactors {
        /// The most factors.
        max: usize,
    },
    /// Sobol: a replayed multiplier matrix together with method variation.
    SamplesFileWithMethodVariation,
    /// Sobol: the normalisation was asked to vary (only the aggregation can).
    SobolNormalizationVariation,
    /// A year was asked for but the data has no year column.
    YearWithoutYearColumn {
        /// The year asked for.
        year: i64,
    },
}

impl OptionError {
    /// The engine's wording, naming the option by its meaning.
    pub fn message(&self) -> Text {
        match *self {
            OptionError::Samples { max } => text!(
                "the number of samples must be between 1 and {max}",
                "样本数应在 1 到 {max} 之间"
            ),
            OptionError::BasePoints { max } => text!(
                "the number of base points must be between 1 and {max}",
                "基点数应在 1 到 {max} 之间"
            ),
            OptionError::Perturb => text!(
                "the weight perturbation must be in [0, 1)",
                "权重扰动幅度应在 [0, 1) 内"
            ),
            OptionError::Dirichlet => text!(
                "the Dirichlet concentration must be a positive finite number",
                "Dirichlet 集中度必须为有限正数"
            ),
            OptionError::DirichletTooSmall { min } => text!(
                "the Dirichlet concentration must be at least {min} for these weights (smaller ones underflow the sampler and give no spread at all)",
                "就这些权重而言，Dirichlet 集中度至少应为 {min}（更小的值会使抽样下溢，结果毫无离散）"
            ),
            OptionError::Top => text!("the top K must be at least 1", "前 K 名的 K 至少为 1"),
            OptionError::SobolRange => text!(
                "the multiplier range must be in (0, 1) for Sobol",
                "Sobol 的乘数范围应在 (0, 1) 内"
            ),
            OptionError::OatRange { .. } => text!(
                "the relative range of a one-at-a-time sweep must be in (0, 10)",
                "单因素扫描的相对变化范围应在 (0, 10) 内"
            ),
            OptionError::OatSteps { max } => text!(
                "the number of one-at-a-time steps must be between 1 and {max}",
                "单因素扫描的步数应在 1 到 {max} 之间"
            ),
            OptionError::StabilitySteps { max } => text!(
                "the number of stability grid points must be between 1 and {max}",
                "稳定性网格点数应在 1 到 {max} 之间"
            ),
            OptionError::Bootstrap { max, max_draws } => text!(
                "the bootstrap resamples must be between 2 and {max}, and resamples × base points at most {max_draws}",
                "自助重抽样次数应在 2 到 {max} 之间，且重抽样次数 × 基点数不能超过 {max_draws}"
            ),
            OptionError::TooManySobolFactors { max } => {
                let dims = 2 * max;
                text!(
                    "at most {max} Sobol factors (the sequence has {dims} dimensions); use the top-level criteria as factors",
                    "Sobol 因子最多 {max} 个（序列共 {dims} 维）；请以顶层准则为因子"
                )
            }
            OptionError::SamplesFileWithMethodVariation => text!(
                "a replayed multiplier matrix holds weight multipliers only; it cannot be combined with method variation",
                "重放的乘数矩阵仅含权重乘数，不能与方法变化同时使用"
            ),
            OptionError::SobolNormalizationVariation => text!(
                "Sobol varies the aggregation only; normalisations are not a factor",
                "Sobol 仅支持变化集结方法；标准化方法不作为因子"
            ),
            OptionError::YearWithoutYearColumn { year } => text!(
                "year {year} was asked for but the data has no year column",
                "指定了年份 {year}，但数据中没有年份列"
            ),
        }
    }

    /// The kind of error it is: a bad year is a mismatch with the data (input), every other
    /// kind a bad option value (usage).
    pub fn kind(&self) -> ErrorKind {
        match self {
            OptionError::YearWithoutYearColumn { .. } => ErrorKind::Input,
            _ => ErrorKind::Usage,
        }
    }
}

/// An error: one or more problems of one kind.
#[derive(Clone, Debug)]
pub struct Error {
    /// Decides the exit code.
    pub kind: ErrorKind,
    /// What went wrong, in the order found; never empty.
    pub problems: Vec<Problem>,
    /// Which option was refused, when that is what went wrong (then `problems` holds one
    /// problem worded by [`OptionError::message`]).
    pub option: Option<OptionError>,
}

impl Error {
    /// An input error with one problem.
    pub fn input(location: Option<Location>, message: Text) -> Error {
        Error {
            kind: ErrorKind::Input,
            problems: vec![Problem::at(location, message)],
            option: None,
        }
    }

    /// A usage error.
    pub fn usage(message: Text) -> Error {
        Error {
            kind: ErrorKind::Usage,
            problems: vec![Problem::new(message)],
            option: None,
        }
    }

    /// Any other failure.
    pub fn failure(message: Text) -> Error {
        Error {
            kind: ErrorKind::Failure,
            problems: vec![Problem::new(message)],
            option: None,
        }
    }

    /// A refused option value, at `location` when it concerns a file.
    pub fn option(option: OptionError, location: Option<Location>) -> Error {
        Error {
            kind: option.kind(),
            problems: vec![Problem::at(location, option.message())],
            option: Some(option),
        }
    }

    /// An input error holding several problems (must not be empty).
    pub fn many(problems: Vec<Problem>) -> Error {
        debug_assert!(!problems.is_empty());
        Error {
            kind: ErrorKind::Input,
            problems,
            option: None,
        }
    }

    /// Adds a hint to the first problem.
    pub fn with_hint(mut self, hint: Text) -> Error {
        if let Some(p) = self.problems.first_mut() {
            p.hint = Some(Box::new(hint));
        }
        self
    }

    /// Renders every problem, one per line.
    pub fn render(&self, lang: Lang) -> String {
        self.problems
            .iter()
            .map(|p| p.render(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {}

impl From<Problem> for Error {
    fn from(p: Problem) -> Error {
        Error {
            kind: ErrorKind::Input,
            problems: vec![p],
            option: None,
        }
    }
}

impl From<OptionError> for Error {
    fn from(o: OptionError) -> Error {
        Error::option(o, None)
    }
}

/// Result with zoneval's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The nearest of `candidates` to `word` by edit distance, if close enough to be a plausible
/// typo: at most a third of the word's length in edits, between 1 and 3.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance between two strings, counted in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A hint naming the nearest valid choice, or listing them all when none is close.
pub fn suggest(word: &str, valid: &[&str]) -> Text {
    match nearest(word, valid.iter().copied()) {
        Some(n) => text!("did you mean `{n}`?", "是否应为 `{n}`？"),
        None => {
            let all = valid
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            text!("expected one of {all}", "应为以下之一：{all}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("区域", "区域"), 0);
    }

    #[test]
    fn nearest_finds_typos_only() {
        let names = ["normalization", "weighting", "aggregation"];
        assert_eq!(nearest("normalisation", names), Some("normalization"));
        assert_eq!(nearest("colour", names), None);
    }

    #[test]
    fn location_display_omits_unknown_parts() {
        let f: Arc<str> = Arc::from("a.csv");
        assert_eq!(Location::new(&f, 3, 2).to_string(), "a.csv:3:2");
        assert_eq!(Location::new(&f, 3, 0).to_string(), "a.csv:3");
        assert_eq!(Location::file(&f).to_string(), "a.csv");
        let (x, s): (Arc<str>, Arc<str>) = (Arc::from("admin.xlsx"), Arc::from("2024"));
        assert_eq!(
            Location::in_sheet(&x, Some(&s), 5, 12).to_string(),
            "admin.xlsx!2024!L5"
        );
        assert_eq!(
            Location::in_sheet(&x, Some(&s), 5, 0).to_string(),
            "admin.xlsx!2024!5:5"
        );
        assert_eq!(
            Location::in_sheet(&x, None, 5, 12).to_string(),
            "admin.xlsx:5:12"
        );
    }

    #[test]
    fn column_letters_follow_excel() {
        // Excel's own names: column 26 is Z, 27 AA, 52 AZ, 703 AAA, 16384 (the last) XFD.
        for (n, l) in [
            (1, "A"),
            (12, "L"),
            (26, "Z"),
            (27, "AA"),
            (52, "AZ"),
            (703, "AAA"),
            (16384, "XFD"),
        ] {
            assert_eq!(column_letters(n), l);
        }
    }
}
