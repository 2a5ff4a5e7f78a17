//! Errors and warnings that name their place.
//!
//! Every problem zoneval reports carries a [`Location`] (file, line, column) when it has one,
//! and its message in both languages ([`Text`]), so the CLI can answer in `--lang zh|en`
//! without a separate message catalogue: the two wordings sit next to the code that raises
//! them. One [`Error`] may hold many problems — `zoneval validate` reports every problem at
//! once — and its [`ErrorKind`] decides the exit code.

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
/// number for CSV, the cell's column for xlsx).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// The file as the user named it.
    pub file: Arc<str>,
    /// 1-based line (0 when only the file is known).
    pub line: u32,
    /// 1-based column (0 when only the line is known).
    pub col: u32,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: &Arc<str>) -> Location {
        Location {
            file: file.clone(),
            line: 0,
            col: 0,
        }
    }

    /// A place in a file.
    pub fn new(file: &Arc<str>, line: u32, col: u32) -> Location {
        Location {
            file: file.clone(),
            line,
            col,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
    pub hint: Option<Text>,
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
        self.hint = Some(hint);
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

/// An error: one or more problems of one kind.
#[derive(Clone, Debug)]
pub struct Error {
    /// Decides the exit code.
    pub kind: ErrorKind,
    /// What went wrong, in the order found; never empty.
    pub problems: Vec<Problem>,
}

impl Error {
    /// An input error with one problem.
    pub fn input(location: Option<Location>, message: Text) -> Error {
        Error {
            kind: ErrorKind::Input,
            problems: vec![Problem::at(location, message)],
        }
    }

    /// A usage error.
    pub fn usage(message: Text) -> Error {
        Error {
            kind: ErrorKind::Usage,
            problems: vec![Problem::new(message)],
        }
    }

    /// Any other failure.
    pub fn failure(message: Text) -> Error {
        Error {
            kind: ErrorKind::Failure,
            problems: vec![Problem::new(message)],
        }
    }

    /// An input error holding several problems (must not be empty).
    pub fn many(problems: Vec<Problem>) -> Error {
        debug_assert!(!problems.is_empty());
        Error {
            kind: ErrorKind::Input,
            problems,
        }
    }

    /// Adds a hint to the first problem.
    pub fn with_hint(mut self, hint: Text) -> Error {
        if let Some(p) = self.problems.first_mut() {
            p.hint = Some(hint);
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
        }
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
    }
}
