//! `zoneval methods`: every registered method with its formula, conventions and reference.

use clap::Args;

use super::Outcome;
use zoneval_core::error::{Lang, Result};
use zoneval_core::method::{Entry, Kind, MethodInfo, aggregate, normalize, weight};
use zoneval_report::t;

/// Arguments of `methods`.
#[derive(Debug, Clone, Args)]
pub struct MethodsArgs {
    /// Show only this method (by name).
    pub name: Option<String>,
}

fn describe(info: &MethodInfo, lang: Lang, out: &mut String) {
    let title = match lang {
        Lang::En => format!("{} — {}", info.title, info.title_zh),
        Lang::Zh => format!("{} — {}", info.title_zh, info.title),
    };
    out.push_str(&format!("  {}  ({title})\n", info.name));
    out.push_str(&format!(
        "      {}: {}\n",
        t(lang, "formula", "公式"),
        info.formula
    ));
    out.push_str(&format!(
        "      {}: {}\n",
        t(lang, "conventions", "约定"),
        info.conventions
    ));
    for p in info.params {
        out.push_str(&format!(
            "      {} `{}` = {}: {}\n",
            t(lang, "parameter", "参数"),
            p.name,
            p.default,
            p.doc
        ));
    }
    out.push_str(&format!(
        "      {}: {}\n\n",
        t(lang, "reference", "文献"),
        info.reference
    ));
}

fn section<T: ?Sized + Kind>(
    title: &str,
    reg: &[Entry<T>],
    filter: Option<&str>,
    lang: Lang,
    out: &mut String,
) {
    let entries: Vec<&Entry<T>> = reg
        .iter()
        .filter(|e| filter.is_none_or(|f| e.info.name == f))
        .collect();
    if entries.is_empty() {
        return;
    }
    out.push_str(&format!("{title}\n\n"));
    for e in entries {
        describe(&e.info, lang, out);
    }
}

/// Runs `methods`.
pub fn run(args: &MethodsArgs, lang: Lang) -> Result<Outcome> {
    let mut out = String::new();
    let f = args.name.as_deref();
    section(
        t(lang, "Normalisations", "标准化方法"),
        normalize::REGISTRY,
        f,
        lang,
        &mut out,
    );
    section(
        t(lang, "Weightings", "赋权方法"),
        weight::REGISTRY,
        f,
        lang,
        &mut out,
    );
    section(
        t(lang, "Aggregations", "集成方法"),
        aggregate::REGISTRY,
        f,
        lang,
        &mut out,
    );
    if out.is_empty() {
        let name = f.unwrap_or_default();
        let mut all = zoneval_core::method::names(normalize::REGISTRY);
        all.extend(zoneval_core::method::names(weight::REGISTRY));
        all.extend(zoneval_core::method::names(aggregate::REGISTRY));
        return Err(zoneval_core::error::Error::usage(zoneval_core::text!(
            "no method named `{name}`",
            "没有名为 `{name}` 的方法"
        ))
        .with_hint(zoneval_core::error::suggest(name, &all)));
    }
    Ok(Outcome {
        stdout: out,
        warnings: Vec::new(),
    })
}
