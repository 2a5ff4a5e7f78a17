//! Loading an indicator system from TOML: the sections, the criteria tree, gates, tables and
//! grades, with every problem collected and located.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::toml_read::{Keys, Reader, Source};
use super::*;
use crate::data::formula::Formula;
use crate::error::{Error, Location, Problem, Result};
use crate::method::aggregate::Preference;
use crate::method::weight::ahp::{self, AhpMethod};
use crate::method::weight::ahp_group::{self, AhpGroup, Combine, Expert};
use crate::method::weight::tree::TreeNode;
use crate::text;

mod data;
mod experts;
mod gates;
mod nodes;
mod panel;
mod scope;
mod tables;
mod tree;

use data::*;
use experts::*;
use gates::*;
use nodes::*;
use panel::*;
use scope::*;
use tables::*;
use tree::*;

/// The deepest criteria nesting accepted (root = 0).
pub const MAX_CRITERIA_DEPTH: usize = 32;

const TOP_KEYS: &[&str] = &[
    "system",
    "method",
    "data",
    "criteria",
    "indicators",
    "gates",
    "grades",
    "tables",
    "report",
    "adjustments",
    "rules",
    "scope",
];
const SYSTEM_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "scale",
    "description",
    "source",
    "notes",
];
const METHOD_KEYS: &[&str] = &[
    "normalization",
    "weighting",
    "aggregation",
    "ahp",
    "ahp_experts",
    "ahp_combine",
    "ahp_tolerance",
    "veto",
    "preference",
    "goalposts",
    "ideals",
];

/// Loads and checks the system file at `path`, or the bundled system `path` names by its id.
pub fn load_file(path: &Path) -> Result<IndicatorSystem> {
    let source = crate::bundled::Source::system(path);
    let (name, bytes) = source.read()?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let src = Source::new(&name, &String::from_utf8_lossy(e.as_bytes()));
        let loc = src.location(e.utf8_error().valid_up_to());
        Error::input(
            Some(loc),
            text!(
                "system file is not valid UTF-8",
                "指标体系文件不是有效的 UTF-8 编码"
            ),
        )
    })?;
    let base = Path::new(&name).parent().map(Path::to_path_buf);
    let sys = load_str(&name, &text, base.as_deref())?;
    Ok(IndicatorSystem {
        bundled: source.is_bundled(),
        ..sys
    })
}

/// Loads and checks a system from `text`; `name` is used in locations and `base` resolves
/// `[data] path`.
pub fn load_str(name: &str, text: &str, base: Option<&Path>) -> Result<IndicatorSystem> {
    let src = Source::new(name, text);
    let doc = match DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let mut msg = e.message().trim().to_string();
            let loc = match e.span() {
                Some(s) => src.location(s.start),
                // toml gives no place for a dotted key or table header with too many parts
                // (e.g. criteria nested hundreds deep): point at the deepest one.
                None if msg.contains("recursion") => {
                    msg = format!("table header or key nested too deeply ({msg})");
                    src.location(deepest_key(text))
                }
                None => Location::file(&src.name),
            };
            return Err(Error::input(
                Some(loc),
                text!("TOML syntax error: {msg}", "TOML 语法错误：{msg}"),
            ));
        }
    };
    let mut r = Reader::new(&src);
    let sys = read_system(&mut r, doc.get_ref(), base);
    let Reader {
        mut problems,
        warnings,
        ..
    } = r;
    // Methods are resolved even when other problems were found, so that `validate` reports
    // an unknown method name together with everything else. But then a missing weight or AHP
    // matrix is most likely one that was invalid, and already reported: leave those out.
    let follow_on = if problems.is_empty() {
        Vec::new()
    } else {
        crate::method::resolve::weight_problems(&sys, &sys.method.weighting)
    };
    if let Err(e) = crate::method::resolve::Methods::resolve(&sys, &Default::default()) {
        for p in e.problems {
            if !problems.contains(&p) && !follow_on.contains(&p) {
                problems.push(p);
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::many(problems));
    }
    Ok(IndicatorSystem { warnings, ..sys })
}

/// The byte offset of the line whose key or table header has the most dotted parts (the
/// first such line).
fn deepest_key(text: &str) -> usize {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let key = if t.starts_with('[') {
            t.split(']').next().unwrap_or("")
        } else {
            t.split('=').next().unwrap_or("")
        };
        let dots = key.matches('.').count();
        if dots > best.0 {
            best = (dots, offset);
        }
        offset += line.len();
    }
    best.1
}

fn read_system(r: &mut Reader<'_>, doc: &DeTable<'_>, base: Option<&Path>) -> IndicatorSystem {
    r.check_keys(
        doc,
        &Keys {
            table: "the system file",
            allowed: TOP_KEYS,
        },
    );
    let file_loc = Location::new(&r.src.name, 1, 1);

    let header = read_header(r, doc, &file_loc);
    let (method, root_ahp, root_tol) = read_method(r, doc, &file_loc);
    let Header {
        id,
        name,
        name_en,
        description,
        scale,
    } = header;

    // [data]
    let data = read_data(r, doc, base);

    // Lookup tables first: gates and indicator vetoes may refer to them.
    let tables = read_tables(r, doc);

    // The tree.
    let mut b = TreeBuilder {
        nodes: Vec::new(),
        indicators: Vec::new(),
        gates: Vec::new(),
        tree: Vec::new(),
        tables: &tables,
    };
    b.nodes.push(Node {
        id: id.clone().unwrap_or_default(),
        name: name.clone().unwrap_or_default(),
        name_en: name_en.clone(),
        parent: None,
        children: Vec::new(),
        indicator: None,
        depth: 0,
        location: file_loc.clone(),
    });
    b.tree.push(TreeNode {
        id: id.clone().unwrap_or_default(),
        children: vec![],
        leaf: None,
        weight: None,
        ahp: None,
        experts: None,
    });
    let _ = b.children(r, doc, 0, &file_loc);
    if b.nodes[0].children.is_empty() {
        r.error(
            file_loc.clone(),
            text!("the system has no indicators", "指标体系没有任何指标"),
        );
    }
    let (root_ahp, root_experts) = root_ahp;
    if let Some(e) = root_experts {
        b.set_experts(r, 0, e, root_tol);
    }
    if let Some((m, loc)) = root_ahp {
        // Judgements over the root's children: the indicators of a flat system, or the
        // top-level criteria of a hierarchical one.
        let labels = b.child_labels(0);
        b.set_ahp(r, 0, m, loc, root_tol, &labels);
    }

    // Gates.
    for (t, loc) in r.tables(doc, "gates") {
        if let Some(g) = read_gate(r, t, &loc, &tables) {
            b.gates.push(g);
        }
    }
    // Indicator vetoes were recorded with table ids unresolved; gates carry lookups by index.
    let grades = read_grades(r, doc, scale);
    let report = read_report(r, doc);
    let adjustments = read_adjustments(r, doc);
    let rules = read_rules(r, doc);
    let scope = read_scope(r, doc);

    check_ids(r, &b);
    check_formulas(r, &b.indicators);
    check_weights_under_ahp(r, &b);
    let leaves = b.indicators.len();
    let tree = WeightTree {
        nodes: b.tree,
        leaves,
    };

    IndicatorSystem {
        file: r.src.name.clone(),
        bundled: false,
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        name_en,
        description,
        scale,
        method,
        data,
        nodes: b.nodes,
        indicators: b.indicators,
        gates: b.gates,
        tables,
        grades,
        report,
        adjustments,
        rules,
        scope,
        tree,
        warnings: Vec::new(),
    }
}

/// A written `weight` on a child of a node that weighs its children by AHP judgements would
/// be ignored: an error at the child, naming both.
fn check_weights_under_ahp(r: &mut Reader<'_>, b: &TreeBuilder<'_>) {
    for (k, t) in b.tree.iter().enumerate() {
        if t.ahp.is_none() && t.experts.is_none() {
            continue;
        }
        for &c in &t.children {
            if b.tree[c].weight.is_some() {
                let id = &b.nodes[c].id;
                let p = if k == 0 {
                    "`[method] ahp`".to_string()
                } else {
                    format!("the `ahp` of `{}`", b.nodes[k].id)
                };
                let pz = if k == 0 {
                    "`[method] ahp`".to_string()
                } else {
                    format!("`{}` 的 `ahp`", b.nodes[k].id)
                };
                r.error(
                    b.nodes[c].location.clone(),
                    text!(
                        "`{id}` has a `weight`, but {p} sets the weights of its level (the weight would be ignored): remove one of them",
                        "`{id}` 写有 `weight`，但 {pz} 已决定该层级的权重（该权重会被忽略）：请删去其一"
                    ),
                );
            }
        }
    }
}

/// `[system]`: what the system is called and its display scale.
struct Header {
    id: Option<String>,
    name: Option<String>,
    name_en: Option<String>,
    description: Option<String>,
    scale: f64,
}

fn read_header(r: &mut Reader<'_>, doc: &DeTable<'_>, file_loc: &Location) -> Header {
    match r.table(doc, "system") {
        Some((t, loc)) => {
            r.check_keys(
                t,
                &Keys {
                    table: "[system]",
                    allowed: SYSTEM_KEYS,
                },
            );
            let id = r.required_string(t, "id", &loc, "[system]").map(|s| s.0);
            let name = r.required_string(t, "name", &loc, "[system]").map(|s| s.0);
            let scale = match r.number(t, "scale") {
                Some((x, _)) if x > 0.0 => x,
                Some((x, l)) => {
                    r.error(
                        l,
                        text!(
                            "`scale` must be positive (found {x})",
                            "`scale` 必须为正数（实际为 {x}）"
                        ),
                    );
                    100.0
                }
                None => 100.0,
            };
            let name_en = r.string(t, "name_en").map(|s| s.0);
            let desc = r.string(t, "description").map(|s| s.0);
            r.string(t, "source");
            r.string(t, "notes");
            Header {
                id,
                name,
                name_en,
                description: desc,
                scale,
            }
        }
        None => {
            r.error(
                file_loc.clone(),
                text!(
                    "missing [system] section (with `id` and `name`)",
                    "缺少 [system] 部分（需含 `id` 与 `name`）"
                ),
            );
            Header {
                id: None,
                name: None,
                name_en: None,
                description: None,
                scale: 100.0,
            }
        }
    }
}

/// AHP judgements over the root's children, with their location, from `[method] ahp`.
type RootAhp = (Option<(Vec<Vec<f64>>, Location)>, Option<ReadExperts>);

/// `[method]`: the methods, veto policy and default preference function; the root's AHP
/// judgements and tolerance are returned for the tree.
fn read_method(
    r: &mut Reader<'_>,
    doc: &DeTable<'_>,
    file_loc: &Location,
) -> (MethodSection, RootAhp, f64) {
    let empty = DeTable::default();
    let (mt, _) = r.table(doc, "method").unwrap_or((&empty, file_loc.clone()));
    r.check_keys(
        mt,
        &Keys {
            table: "[method]",
            allowed: METHOD_KEYS,
        },
    );
    let normalization = r.method(mt, "normalization");
    let weighting = r
        .method(mt, "weighting")
        .unwrap_or_else(|| Params::named("expert"));
    let aggregation = r
        .method(mt, "aggregation")
        .unwrap_or_else(|| Params::named("weighted-sum"));
    let veto = match r.string(mt, "veto") {
        None => VetoPolicy::Flag,
        Some((s, l)) => match s.as_str() {
            "exclude" => VetoPolicy::Exclude,
            "flag" => VetoPolicy::Flag,
            "grade-floor" => VetoPolicy::GradeFloor,
            _ => {
                r.problems.push(
                    Problem::at(
                        Some(l),
                        text!("unknown veto policy `{s}`", "未知的否决处理方式 `{s}`"),
                    )
                    .with_hint(crate::error::suggest(
                        &s,
                        &["exclude", "flag", "grade-floor"],
                    )),
                );
                VetoPolicy::Flag
            }
        },
    };
    let preference = match r.method(mt, "preference") {
        Some(p) => Preference::parse(&p)
            .map_err(|e| r.problems.push(e))
            .unwrap_or(Preference::Usual),
        None => Preference::Usual,
    };
    let root_matrix = r.matrix(mt, "ahp");
    let root_experts = read_experts(r, mt, root_matrix.is_some());
    let root_ahp = (root_matrix, root_experts);
    let root_tol = tolerance(r, mt);
    let (goalposts, goalposts_location) = read_goalposts(r, mt);
    let ideals_are_standards = match r.string(mt, "ideals") {
        None => false,
        Some((s, l)) => match s.as_str() {
            "standard" => true,
            "above-data" => false,
            _ => {
                r.problems.push(
                    Problem::at(
                        Some(l),
                        text!(
                            "unknown `ideals` = `{s}` (\"above-data\": ideals at or beyond every zone's value, the default; \"standard\": ideals are standard values that a zone meets)",
                            "未知的 `ideals` = `{s}`（\"above-data\"：理想值不低于所有开发区现状值，默认；\"standard\"：理想值为达标值）"
                        ),
                    )
                    .with_hint(crate::error::suggest(&s, &["above-data", "standard"])),
                );
                false
            }
        },
    };
    let method = MethodSection {
        normalization,
        weighting,
        aggregation,
        veto,
        preference,
        goalposts,
        goalposts_location,
        ideals_are_standards,
    };
    (method, root_ahp, root_tol)
}

fn tolerance(r: &mut Reader<'_>, t: &DeTable<'_>) -> f64 {
    match r.number(t, "ahp_tolerance") {
        Some((x, _)) if x > 0.0 => x,
        Some((x, l)) => {
            r.error(
                l,
                text!(
                    "`ahp_tolerance` must be positive (found {x})",
                    "`ahp_tolerance` 必须为正数（实际为 {x}）"
                ),
            );
            0.1
        }
        None => 0.1,
    }
}
