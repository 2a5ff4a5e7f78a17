//! `audit` and `compare` for Python: the library's runs (`zoneval_core::run::{audit,
//! compare}`, which the CLI calls too), their results as frames of contiguous buffers, and the
//! CLI's `--format json` document built by the same code (`zoneval_report::analysis_json`).

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use zoneval_core::analysis::audit::Audit;
use zoneval_core::analysis::compare;
use zoneval_core::error::{Error, Lang, Text};
use zoneval_core::run::{self, Compared, Inputs, Rankings};
use zoneval_core::system::IndicatorSystem;
use zoneval_core::text;
use zoneval_report::analysis_json;
use zoneval_report::model::{CompareSection, analysis::alpha_keyword, compared_section};

use crate::convert::{Col, Frame};
use crate::errors::to_py;

/// Little-endian bytes of `v` (numpy reads them with `frombuffer`).
fn f64_bytes<'py>(py: Python<'py>, v: impl Iterator<Item = f64>) -> Bound<'py, PyBytes> {
    let mut out = Vec::new();
    for x in v {
        out.extend_from_slice(&x.to_le_bytes());
    }
    PyBytes::new(py, &out)
}

/// The id of an indicator's direct criterion (None for a flat system), as in the JSON.
fn criterion_of(sys: &IndicatorSystem, j: usize) -> Option<String> {
    let parent = sys.nodes[sys.indicators[j].node].parent?;
    sys.nodes[parent]
        .parent
        .map(|_| sys.nodes[parent].id.clone())
}

/// The audit's frames (`indicators`, `criteria`, `pairs`, `flags`), the correlation matrices
/// per criterion and the JSON document.
fn audit_dict<'py>(
    py: Python<'py>,
    a: &Audit,
    sys: &IndicatorSystem,
    lang: Lang,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let ind = &a.indicators;
    let id = |j: usize| sys.indicators[j].id.clone();
    let opt = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let mut f = Frame::default();
    f.push("id", Col::Str(ind.iter().map(|i| id(i.index)).collect()));
    f.push(
        "name",
        Col::Str(
            ind.iter()
                .map(|i| sys.indicators[i.index].name.clone())
                .collect(),
        ),
    );
    f.push(
        "criterion",
        Col::OptStr(ind.iter().map(|i| criterion_of(sys, i.index)).collect()),
    );
    f.push(
        "coverage",
        Col::F64(ind.iter().map(|i| i.coverage).collect()),
    );
    f.push("skewness", Col::opt_f64(ind.iter().map(|i| i.skewness)));
    f.push("kurtosis", Col::opt_f64(ind.iter().map(|i| i.kurtosis)));
    f.push(
        "size_correlation",
        Col::opt_f64(ind.iter().map(|i| i.size_correlation)),
    );
    f.push(
        "nominal_weight",
        Col::F64(ind.iter().map(|i| i.nominal_weight).collect()),
    );
    f.push(
        "effective_weight",
        Col::opt_f64(ind.iter().map(|i| i.effective_weight)),
    );
    d.set_item("indicators", f.into_py(py)?)?;

    let cr = &a.criteria;
    let mut f = Frame::default();
    f.push(
        "id",
        Col::Str(cr.iter().map(|c| sys.nodes[c.node].id.clone()).collect()),
    );
    f.push(
        "name",
        Col::Str(cr.iter().map(|c| sys.nodes[c.node].name.clone()).collect()),
    );
    f.push(
        "indicators",
        Col::I64(cr.iter().map(|c| c.indicators.len() as i64).collect()),
    );
    f.push(
        "cronbach_alpha",
        Col::opt_f64(cr.iter().map(|c| c.cronbach_alpha.ok())),
    );
    f.push(
        "alpha_undefined",
        Col::OptStr(
            cr.iter()
                .map(|c| c.cronbach_alpha.err().map(|w| alpha_keyword(w).to_string()))
                .collect(),
        ),
    );
    f.push("pc1_share", Col::opt_f64(cr.iter().map(|c| c.pc1_share)));
    f.push(
        "redundant_pairs",
        Col::I64(cr.iter().map(|c| c.redundant_pairs.len() as i64).collect()),
    );
    f.push(
        "conflicting_pairs",
        Col::I64(
            cr.iter()
                .map(|c| c.conflicting_pairs.len() as i64)
                .collect(),
        ),
    );
    d.set_item("criteria", f.into_py(py)?)?;

    // One row per flagged pair: criterion, kind, a, b, r.
    let (mut pc, mut pk, mut pa, mut pb, mut pr) = (vec![], vec![], vec![], vec![], vec![]);
    for c in cr {
        for (kind, pairs) in [
            ("redundant", &c.redundant_pairs),
            ("conflicting", &c.conflicting_pairs),
        ] {
            for p in pairs {
                pc.push(sys.nodes[c.node].id.clone());
                pk.push(kind.to_string());
                pa.push(id(p.a));
                pb.push(id(p.b));
                pr.push(p.r);
            }
        }
    }
    let mut f = Frame::default();
    f.push("criterion", Col::Str(pc));
    f.push("kind", Col::Str(pk));
    f.push("a", Col::Str(pa));
    f.push("b", Col::Str(pb));
    f.push("r", Col::F64(pr));
    d.set_item("pairs", f.into_py(py)?)?;

    let mut f = Frame::default();
    f.push(
        "id",
        Col::Str(a.flags.iter().map(|x| x.id.clone()).collect()),
    );
    f.push(
        "kind",
        Col::Str(a.flags.iter().map(|x| x.kind.name().to_string()).collect()),
    );
    f.push(
        "message",
        Col::Str(
            a.flags
                .iter()
                .map(|x| x.message.get(lang).to_string())
                .collect(),
        ),
    );
    d.set_item("flags", f.into_py(py)?)?;

    // Per criterion: (id, indicator ids, row-major matrix with NaN for undefined).
    let corr = PyList::empty(py);
    for c in cr {
        let ids: Vec<String> = c.indicators.iter().map(|&j| id(j)).collect();
        let flat = f64_bytes(py, c.correlation.iter().flatten().map(|v| opt(*v)));
        corr.append((sys.nodes[c.node].id.clone(), ids, flat))?;
    }
    d.set_item("correlation", corr)?;
    d.set_item("size_column", a.size_column.clone())?;
    d.set_item(
        "json",
        analysis_json::to_string(&analysis_json::audit(a, sys, lang)),
    )?;
    Ok(d)
}

/// Runs an audit: a dict of frames and the JSON (see `audit_dict`), with the warnings.
pub fn audit<'py>(
    py: Python<'py>,
    inputs: Inputs,
    size_column: Option<String>,
    lang: Lang,
) -> PyResult<Bound<'py, PyDict>> {
    let (a, ev) = py
        .detach(|| {
            inputs.check_method_names()?;
            run::audit(&inputs, size_column.as_deref())
        })
        .map_err(|e| to_py(py, e, lang))?;
    let d = audit_dict(py, &a, ev.system(), lang)?;
    // The CLI's document: with the run's provenance.
    let prov = run::audit_provenance(&inputs, size_column.as_deref(), &ev)
        .map_err(|e| to_py(py, e, lang))?;
    let mut doc = analysis_json::audit(&a, ev.system(), lang);
    doc["provenance"] = serde_json::json!(prov);
    d.set_item("json", analysis_json::to_string(&doc))?;
    d.set_item("system", ev.system().id.clone())?;
    d.set_item("warnings", crate::warnings(&ev, lang))?;
    d.set_item("synthetic_data", ev.prepared().table.synthetic)?;
    Ok(d)
}

/// The comparison's zones as the CLI's CSV has them (names unescaped): rank, id, name,
/// `rank_<label>`…, `grade_<label>`… (systems), borda, copeland, best, worst, `delta_rank`
/// (two or more systems).
fn zones_frame(s: &CompareSection) -> Frame {
    let z = &s.zones;
    let mut f = Frame::default();
    f.push("rank", Col::I64(z.iter().map(|x| x.rank as i64).collect()));
    f.push("id", Col::Str(z.iter().map(|x| x.id.clone()).collect()));
    f.push("name", Col::Str(z.iter().map(|x| x.name.clone()).collect()));
    for (k, l) in s.labels.iter().enumerate() {
        f.push_owned(
            format!("rank_{l}"),
            Col::I64(z.iter().map(|x| x.ranks[k] as i64).collect()),
        );
    }
    if s.systems {
        for (k, l) in s.labels.iter().enumerate() {
            f.push_owned(
                format!("grade_{l}"),
                Col::OptStr(z.iter().map(|x| x.grades[k].clone()).collect()),
            );
        }
    }
    f.push(
        "borda",
        Col::I64(z.iter().map(|x| x.borda as i64).collect()),
    );
    f.push("copeland", Col::I64(z.iter().map(|x| x.copeland).collect()));
    f.push("best", Col::I64(z.iter().map(|x| x.best as i64).collect()));
    f.push(
        "worst",
        Col::I64(z.iter().map(|x| x.worst as i64).collect()),
    );
    if s.systems && s.labels.len() >= 2 {
        f.push(
            "delta_rank",
            Col::I64(z.iter().map(|x| x.delta_rank()).collect()),
        );
    }
    f
}

/// The usage checks of Python's arguments (worded with its keywords), then the rankings.
fn rankings(
    inputs: &Inputs,
    methods: Option<Vec<String>>,
    systems: Option<Vec<String>>,
) -> Result<Rankings, Error> {
    let methods = methods.filter(|m| !m.is_empty());
    let systems = systems.filter(|s| !s.is_empty());
    match (methods, systems) {
        (None, None) => Err(Error::usage(text!(
            "compare needs methods=[...] or systems=[...]",
            "compare 需要 methods=[...] 或 systems=[...]"
        ))),
        (Some(_), Some(_)) => Err(Error::usage(text!(
            "give either methods or systems, not both",
            "methods 与 systems 只能给出其一"
        ))),
        (Some(m), None) => {
            let base = inputs.overrides();
            for item in &m {
                compare::parse_method(item.trim(), &base).map_err(|mut e| {
                    if let Some(p) = e.problems.first_mut() {
                        p.message = Text {
                            en: format!("methods: {}", p.message.en),
                            zh: format!("methods：{}", p.message.zh),
                        };
                    }
                    e
                })?;
            }
            Ok(Rankings::Methods(m))
        }
        (None, Some(s)) => {
            if inputs.system.is_some() {
                return Err(Error::usage(text!(
                    "systems names the system files; do not give system too",
                    "systems 已指定体系文件，不能同时给出 system"
                )));
            }
            Ok(Rankings::Systems(
                s.into_iter().map(PathBuf::from).collect(),
            ))
        }
    }
}

/// Runs a comparison: `zones`, `spearman` and `kendall` (row-major, NaN for undefined),
/// `methods` (the labels), `systems`, `json` and `warnings`.
pub fn compare<'py>(
    py: Python<'py>,
    inputs: Inputs,
    methods: Option<Vec<String>>,
    systems: Option<Vec<String>>,
    lang: Lang,
) -> PyResult<Bound<'py, PyDict>> {
    let (c, section, prov): (
        Compared,
        CompareSection,
        zoneval_core::provenance::Provenance,
    ) = py
        .detach(|| {
            inputs.check_method_names()?;
            let r = rankings(&inputs, methods, systems)?;
            let c = run::compare(&inputs, &r)?;
            let section = compared_section(&c);
            let prov = run::compare_provenance(&inputs, &r, &c)?;
            Ok((c, section, prov))
        })
        .map_err(|e| to_py(py, e, lang))?;
    let d = PyDict::new(py);
    d.set_item("zones", zones_frame(&section).into_py(py)?)?;
    let flat =
        |m: &[Vec<Option<f64>>]| f64_bytes(py, m.iter().flatten().map(|v| v.unwrap_or(f64::NAN)));
    d.set_item("spearman", flat(&section.spearman))?;
    d.set_item("kendall", flat(&section.kendall))?;
    d.set_item("methods", section.labels.clone())?;
    d.set_item("systems", section.systems)?;
    let mut doc = analysis_json::compare(&section);
    doc["provenance"] = serde_json::json!(prov);
    d.set_item("json", analysis_json::to_string(&doc))?;
    let warnings: Vec<String> = c.warnings().iter().map(|w| w.render(lang)).collect();
    d.set_item("warnings", warnings)?;
    let synthetic = c.evaluations.iter().any(|e| e.prepared().table.synthetic);
    d.set_item("synthetic_data", synthetic)?;
    Ok(d)
}
