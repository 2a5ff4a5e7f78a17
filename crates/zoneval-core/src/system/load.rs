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
use crate::method::weight::tree::TreeNode;
use crate::text;

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
    "ahp_tolerance",
    "veto",
    "preference",
];
const DATA_KEYS: &[&str] = &[
    "path",
    "id_column",
    "name_column",
    "year_column",
    "groups",
    "missing",
    "na",
    "encoding",
    "sheet",
];
const CRITERION_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "weight",
    "ahp",
    "ahp_tolerance",
    "criteria",
    "indicators",
    "description",
    "source",
];
const INDICATOR_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "unit",
    "column",
    "formula",
    "direction",
    "target",
    "range",
    "weight",
    "normalization",
    "ideal",
    "worst",
    "veto",
    "preference",
    "outliers",
    "applies_to",
    "description",
    "source",
];
const GATE_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "column",
    "formula",
    "min",
    "max",
    "k",
    "conditions",
    "description",
    "source",
];
const CONDITION_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "column",
    "formula",
    "min",
    "max",
    "description",
    "source",
];
const GRADE_KEYS: &[&str] = &["name", "name_en", "min", "description"];
const TABLE_KEYS: &[&str] = &["id", "by", "rows", "default", "description", "source"];
const REPORT_KEYS: &[&str] = &["watch_bottom", "watch_within"];

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
        crate::evaluation::weight_problems(&sys, &sys.method.weighting)
    };
    if let Err(e) = crate::evaluation::Methods::resolve(&sys, &Default::default()) {
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

    // [system]
    let (id, name, name_en, description, scale) = match r.table(doc, "system") {
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
            (id, name, name_en, desc, scale)
        }
        None => {
            r.error(
                file_loc.clone(),
                text!(
                    "missing [system] section (with `id` and `name`)",
                    "缺少 [system] 部分（需含 `id` 与 `name`）"
                ),
            );
            (None, None, None, None, 100.0)
        }
    };

    // [method]
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
    let root_ahp = r.matrix(mt, "ahp");
    let root_tol = tolerance(r, mt);

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
    });
    let _ = b.children(r, doc, 0, &file_loc);
    if b.nodes[0].children.is_empty() {
        r.error(
            file_loc.clone(),
            text!("the system has no indicators", "指标体系没有任何指标"),
        );
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

    check_ids(r, &b);
    check_formulas(r, &b.indicators);
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
        method: MethodSection {
            normalization,
            weighting,
            aggregation,
            veto,
            preference,
        },
        data,
        nodes: b.nodes,
        indicators: b.indicators,
        gates: b.gates,
        tables,
        grades,
        report,
        tree,
        warnings: Vec::new(),
    }
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

fn read_data(r: &mut Reader<'_>, doc: &DeTable<'_>, base: Option<&Path>) -> DataSection {
    let mut d = DataSection {
        path: None,
        id_column: "zone_id".into(),
        name_column: "zone_name".into(),
        year_column: "year".into(),
        groups: Vec::new(),
        missing: MissingPolicy::Error,
        na: Vec::new(),
        encoding: None,
        sheet: None,
    };
    let Some((t, _)) = r.table(doc, "data") else {
        return d;
    };
    r.check_keys(
        t,
        &Keys {
            table: "[data]",
            allowed: DATA_KEYS,
        },
    );
    if let Some((p, _)) = r.string(t, "path") {
        d.path = Some(match base {
            Some(b) => b.join(&p),
            None => p.into(),
        });
    }
    for (key, slot) in [
        ("id_column", &mut d.id_column),
        ("name_column", &mut d.name_column),
        ("year_column", &mut d.year_column),
    ] {
        if let Some((s, _)) = r.string(t, key) {
            *slot = s;
        }
    }
    d.groups = r.strings(t, "groups").unwrap_or_default();
    d.na = r.strings(t, "na").unwrap_or_default();
    if let Some((e, l)) = r.string(t, "encoding") {
        match e.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" | "gbk" | "gb18030" | "auto" => {
                d.encoding = (e != "auto").then(|| e.to_ascii_lowercase());
            }
            _ => r.problems.push(
                Problem::at(Some(l), text!("unknown encoding `{e}`", "未知的编码 `{e}`"))
                    .with_hint(crate::error::suggest(&e, &["utf-8", "gbk", "auto"])),
            ),
        }
    }
    d.sheet = r.string(t, "sheet").map(|s| s.0);
    if let Some(p) = r.method(t, "missing") {
        const KINDS: &[&str] = &["error", "mean", "median", "group-mean", "zero", "drop-zone"];
        let bad_key = p
            .entries
            .iter()
            .find(|e| !(p.kind == "group-mean" && e.key == "by"));
        if let Some(e) = bad_key {
            let k = &e.key;
            r.error(
                e.location
                    .clone()
                    .unwrap_or_else(|| Location::file(&r.src.name)),
                text!(
                    "unknown key `{k}` in `missing` (only group-mean takes `by`)",
                    "`missing` 中有未知的键 `{k}`（仅 group-mean 接受 `by`）"
                ),
            );
        }
        d.missing = match p.kind.as_str() {
            "error" => MissingPolicy::Error,
            "mean" => MissingPolicy::Mean,
            "median" => MissingPolicy::Median,
            "zero" => MissingPolicy::Zero,
            "drop-zone" => MissingPolicy::DropZone,
            "group-mean" => {
                let by = p
                    .string("by")
                    .ok()
                    .flatten()
                    .map(str::to_string)
                    .or_else(|| d.groups.first().cloned());
                match by {
                    Some(by) => MissingPolicy::GroupMean { by },
                    None => {
                        r.error(
                            p.location.clone().unwrap_or_else(|| Location::file(&r.src.name)),
                            text!(
                                "`group-mean` needs a group column: `missing = {{ kind = \"group-mean\", by = \"region\" }}` or `groups = [...]`",
                                "`group-mean` 需要分组列：`missing = {{ kind = \"group-mean\", by = \"region\" }}` 或 `groups = [...]`"
                            ),
                        );
                        MissingPolicy::Error
                    }
                }
            }
            other => {
                let loc = p.location.clone();
                r.problems.push(
                    Problem::at(
                        loc,
                        text!(
                            "unknown missing-value policy `{other}`",
                            "未知的缺失值处理方式 `{other}`"
                        ),
                    )
                    .with_hint(crate::error::suggest(other, KINDS)),
                );
                MissingPolicy::Error
            }
        };
    }
    d
}

struct TreeBuilder<'t> {
    nodes: Vec<Node>,
    indicators: Vec<Indicator>,
    gates: Vec<Gate>,
    tree: Vec<TreeNode>,
    tables: &'t [LookupTable],
}

impl TreeBuilder<'_> {
    fn child_labels(&self, node: usize) -> Vec<String> {
        self.nodes[node]
            .children
            .iter()
            .map(|&c| format!("`{}`", self.nodes[c].id))
            .collect()
    }

    /// Reads the `criteria` or `indicators` of `table` as the children of `parent`; false when
    /// they were left out for nesting too deep (already reported).
    fn children(
        &mut self,
        r: &mut Reader<'_>,
        table: &DeTable<'_>,
        parent: usize,
        at: &Location,
    ) -> bool {
        let crit = r.tables(table, "criteria");
        let inds = r.tables(table, "indicators");
        if !crit.is_empty() && !inds.is_empty() {
            r.error(
                at.clone(),
                text!(
                    "a node holds either criteria or indicators, not both (wrap the indicators in a criterion)",
                    "同一节点下不能同时包含准则和指标（请将指标放入一个准则）"
                ),
            );
        }
        let depth = self.nodes[parent].depth + 1;
        if !crit.is_empty() && depth > MAX_CRITERIA_DEPTH {
            r.error(
                crit[0].1.clone(),
                text!(
                    "criteria nested more than {MAX_CRITERIA_DEPTH} levels deep",
                    "准则嵌套超过 {MAX_CRITERIA_DEPTH} 层"
                ),
            );
            return false;
        }
        for (t, loc) in crit {
            self.criterion(r, t, loc, parent, depth);
        }
        for (t, loc) in inds {
            self.indicator(r, t, loc, parent, depth);
        }
        true
    }

    fn add_node(
        &mut self,
        parent: usize,
        id: String,
        name: String,
        name_en: Option<String>,
        depth: usize,
        location: Location,
    ) -> usize {
        let idx = self.nodes.len();
        self.nodes.push(Node {
            id: id.clone(),
            name,
            name_en,
            parent: Some(parent),
            children: Vec::new(),
            indicator: None,
            depth,
            location,
        });
        self.nodes[parent].children.push(idx);
        self.tree.push(TreeNode {
            id,
            children: vec![],
            leaf: None,
            weight: None,
            ahp: None,
        });
        self.tree[parent].children.push(idx);
        idx
    }

    fn weight(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<f64> {
        let (w, l) = r.number(t, "weight")?;
        if w < 0.0 {
            r.error(
                l,
                text!(
                    "weight {w} is negative; weights must be ≥ 0",
                    "权重 {w} 为负数；权重必须 ≥ 0"
                ),
            );
            return None;
        }
        Some(w)
    }

    fn criterion(
        &mut self,
        r: &mut Reader<'_>,
        t: &DeTable<'_>,
        loc: Location,
        parent: usize,
        depth: usize,
    ) {
        let (id, name, name_en) = read_node_header(r, t, &loc, "[[criteria]]", CRITERION_KEYS);
        let idx = self.add_node(parent, id, name, name_en, depth, loc.clone());
        self.tree[idx].weight = Self::weight(r, t);
        let tol = tolerance(r, t);
        let ahp = r.matrix(t, "ahp");
        let read = self.children(r, t, idx, &loc);
        if read && self.nodes[idx].children.is_empty() {
            let id = &self.nodes[idx].id;
            r.error(
                loc,
                text!(
                    "criterion `{id}` has no indicators",
                    "准则 `{id}` 下没有指标"
                ),
            );
        }
        if let Some((m, l)) = ahp {
            let labels = self.child_labels(idx);
            self.set_ahp(r, idx, m, l, tol, &labels);
        }
    }

    fn set_ahp(
        &mut self,
        r: &mut Reader<'_>,
        node: usize,
        m: Vec<Vec<f64>>,
        loc: Location,
        tol: f64,
        labels: &[String],
    ) {
        let n = self.nodes[node].children.len();
        let id = self.nodes[node].id.clone();
        if m.len() != n {
            let k = m.len();
            r.error(
                loc,
                text!(
                    "`ahp` of `{id}` has {k} rows but the node has {n} children",
                    "`{id}` 的判断矩阵有 {k} 行，但该节点有 {n} 个下级"
                ),
            );
            return;
        }
        match ahp::solve(&m, AhpMethod::Eigenvector) {
            Err(t) => {
                let (en, zh) = (&t.en, &t.zh);
                r.error(
                    loc,
                    text!("`ahp` of `{id}`: {en}", "`{id}` 的判断矩阵：{zh}"),
                );
            }
            Ok(res) if res.cr > tol => {
                r.error(loc, ahp::inconsistency_problem(&id, &res, tol, labels));
            }
            Ok(_) => self.tree[node].ahp = Some(m),
        }
    }

    fn indicator(
        &mut self,
        r: &mut Reader<'_>,
        t: &DeTable<'_>,
        loc: Location,
        parent: usize,
        depth: usize,
    ) {
        let (id, name, name_en) = read_node_header(r, t, &loc, "[[indicators]]", INDICATOR_KEYS);
        let unit = r.string(t, "unit").map(|s| s.0);
        let column = r.string(t, "column");
        let formula = r.string(t, "formula");
        let source = match (column, formula) {
            (Some((c, l)), Some(_)) => {
                r.error(
                    l,
                    text!(
                        "give `column` or `formula`, not both",
                        "`column` 与 `formula` 只能给出一个"
                    ),
                );
                ValueSource::Column(c)
            }
            (Some((c, _)), None) => ValueSource::Column(c),
            (None, Some((f, l))) => parse_formula(r, &f, &l)
                .map_or(ValueSource::Column(id.clone()), ValueSource::Formula),
            (None, None) => ValueSource::Column(id.clone()),
        };
        let direction = read_direction(r, t, &loc);
        let weight = Self::weight(r, t);
        let normalization = r.method(t, "normalization");
        let ideal = r.number(t, "ideal").map(|x| x.0);
        let worst = r.number(t, "worst").map(|x| x.0);
        let preference = r
            .method(t, "preference")
            .and_then(|p| Preference::parse(&p).map_err(|e| r.problems.push(e)).ok());
        let outliers = read_outliers(r, t);
        let applies_to = read_applies_to(r, t);

        let idx = self.add_node(
            parent,
            id.clone(),
            name.clone(),
            name_en.clone(),
            depth,
            loc.clone(),
        );
        let leaf = self.indicators.len();
        self.nodes[idx].indicator = Some(leaf);
        self.tree[idx].leaf = Some(leaf);
        self.tree[idx].weight = weight;

        let veto = r.table(t, "veto").map(|(vt, vloc)| {
            let c = read_bounds(r, vt, &vloc, "veto", self.tables);
            let gate = Gate {
                id: id.clone(),
                name: name.clone(),
                name_en: name_en.clone(),
                conditions: vec![Condition {
                    id: id.clone(),
                    name: name.clone(),
                    name_en: name_en.clone(),
                    source: source.clone(),
                    min: c.0,
                    max: c.1,
                    location: vloc.clone(),
                }],
                k: 1,
                location: vloc,
            };
            self.gates.push(gate);
            self.gates.len() - 1
        });
        self.indicators.push(Indicator {
            id,
            name,
            name_en,
            unit,
            source,
            direction,
            weight,
            normalization,
            ideal,
            worst,
            veto,
            preference,
            outliers,
            applies_to,
            node: idx,
            location: loc,
        });
    }
}

/// The keys every criterion and indicator has: unknown keys checked, `id` required, `name`
/// defaulting to the id, `description` and `source` accepted as documentation.
fn read_node_header(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    table: &str,
    allowed: &[&str],
) -> (String, String, Option<String>) {
    r.check_keys(t, &Keys { table, allowed });
    let id = r
        .required_string(t, "id", loc, table)
        .map(|s| s.0)
        .unwrap_or_default();
    let name = r.string(t, "name").map_or_else(|| id.clone(), |s| s.0);
    let name_en = r.string(t, "name_en").map(|s| s.0);
    r.string(t, "description");
    r.string(t, "source");
    (id, name, name_en)
}

fn parse_formula(r: &mut Reader<'_>, f: &str, l: &Location) -> Option<Formula> {
    match Formula::parse(f) {
        Ok(f) => Some(f),
        Err(e) => {
            // The string's opening quote is at `l`; the formula starts one character later.
            let loc = Location {
                col: l.col + 1 + e.offset as u32,
                ..l.clone()
            };
            let (en, zh) = (&e.message.en, &e.message.zh);
            r.error(loc, text!("formula: {en}", "公式：{zh}"));
            None
        }
    }
}

fn read_direction(r: &mut Reader<'_>, t: &DeTable<'_>, loc: &Location) -> Direction {
    const KINDS: &[&str] = &["benefit", "cost", "target", "range"];
    let Some((d, l)) = r.required_string(t, "direction", loc, "[[indicators]]") else {
        return Direction::Benefit;
    };
    match d.as_str() {
        "benefit" => Direction::Benefit,
        "cost" => Direction::Cost,
        "target" => match r.number(t, "target") {
            Some((x, _)) => Direction::Target(x),
            None => {
                r.error(
                    l,
                    text!(
                        "direction \"target\" needs `target = …`",
                        "方向为 target 时需要给出 `target = …`"
                    ),
                );
                Direction::Benefit
            }
        },
        "range" => {
            let range = r.raw(t, "range").and_then(|v| r.numbers(v, "range", false));
            match range.as_deref() {
                Some([a, b]) if a < b => Direction::Range(*a, *b),
                _ => {
                    r.error(
                        l,
                        text!(
                            "direction \"range\" needs `range = [low, high]` with low < high",
                            "方向为 range 时需要 `range = [下限, 上限]` 且下限 < 上限"
                        ),
                    );
                    Direction::Benefit
                }
            }
        }
        other => {
            r.problems.push(
                Problem::at(
                    Some(l),
                    text!("invalid direction `{other}`", "无效的指标方向 `{other}`"),
                )
                .with_hint(crate::error::suggest(other, KINDS)),
            );
            Direction::Benefit
        }
    }
}

fn read_outliers(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<OutlierTreatment> {
    let p = r.method(t, "outliers")?;
    let loc = p
        .location
        .clone()
        .unwrap_or_else(|| Location::file(&r.src.name));
    let check = |r: &mut Reader<'_>, allowed: &[&str]| {
        for e in &p.entries {
            if !allowed.contains(&e.key.as_str()) {
                let k = &e.key;
                let l = e.location.clone().unwrap_or_else(|| loc.clone());
                r.problems.push(
                    Problem::at(
                        Some(l),
                        text!(
                            "unknown key `{k}` in `outliers`",
                            "`outliers` 中有未知的键 `{k}`"
                        ),
                    )
                    .with_hint(crate::error::suggest(k, allowed)),
                );
            }
        }
    };
    match p.kind.as_str() {
        "winsorize" => {
            check(r, &["max_points", "skew", "kurtosis"]);
            let get = |k: &str, d: f64| p.positive(k, d);
            match (
                get("max_points", 5.0),
                get("skew", 2.0),
                get("kurtosis", 3.5),
            ) {
                (Ok(m), Ok(s), Ok(k)) => Some(OutlierTreatment::Winsorize {
                    max_points: m as usize,
                    skew: s,
                    kurtosis: k,
                }),
                (a, b, c) => {
                    for e in [a.err(), b.err(), c.err()].into_iter().flatten() {
                        r.problems.push(e);
                    }
                    None
                }
            }
        }
        "log" => {
            check(r, &[]);
            Some(OutlierTreatment::Log)
        }
        other => {
            r.problems.push(
                Problem::at(
                    Some(loc),
                    text!(
                        "unknown outlier treatment `{other}`",
                        "未知的异常值处理方式 `{other}`"
                    ),
                )
                .with_hint(crate::error::suggest(other, &["winsorize", "log"])),
            );
            None
        }
    }
}

fn read_applies_to(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<AppliesTo> {
    let (a, loc) = r.table(t, "applies_to")?;
    r.check_keys(
        a,
        &Keys {
            table: "`applies_to`",
            allowed: &["column", "values"],
        },
    );
    let column = r.required_string(a, "column", &loc, "`applies_to`")?.0;
    let values = r.strings(a, "values").unwrap_or_default();
    if values.is_empty() {
        r.error(
            loc,
            text!(
                "`applies_to` needs `values = [...]`",
                "`applies_to` 需要 `values = [...]`"
            ),
        );
        return None;
    }
    Some(AppliesTo { column, values })
}

/// Reads `min` / `max` bounds (a number, or `{ lookup = "table" }`).
fn read_bounds(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    what: &str,
    tables: &[LookupTable],
) -> (Option<Threshold>, Option<Threshold>) {
    if what == "veto" {
        r.check_keys(
            t,
            &Keys {
                table: "`veto`",
                allowed: &["min", "max"],
            },
        );
    }
    let mut bound = |key: &str| -> Option<Threshold> {
        let v = r.raw(t, key)?;
        if let DeValue::Table(lt) = v.get_ref() {
            let l = r.loc(v);
            r.check_keys(
                lt,
                &Keys {
                    table: "a threshold lookup",
                    allowed: &["lookup"],
                },
            );
            let (id, il) = r.required_string(lt, "lookup", &l, "a threshold lookup")?;
            return match tables.iter().position(|t| t.id == id) {
                Some(i) => Some(Threshold::Lookup { table: i }),
                None => {
                    let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
                    r.problems.push(
                        Problem::at(
                            Some(il),
                            text!(
                                "no [[tables]] with id `{id}`",
                                "没有 id 为 `{id}` 的 [[tables]]"
                            ),
                        )
                        .with_hint(crate::error::suggest(&id, &ids)),
                    );
                    None
                }
            };
        }
        r.number(t, key).map(|(x, _)| Threshold::Value(x))
    };
    let (min, max) = (bound("min"), bound("max"));
    // A bound that was written but invalid has been reported already.
    let written = t.get("min").is_some() || t.get("max").is_some();
    if min.is_none() && max.is_none() && !written {
        r.error(
            loc.clone(),
            text!("{what} needs `min` or `max`", "{what} 需要 `min` 或 `max`"),
        );
    }
    if let (Some(Threshold::Value(a)), Some(Threshold::Value(b))) = (&min, &max)
        && a > b
    {
        r.error(
            loc.clone(),
            text!("{what}: min {a} > max {b}", "{what}：min {a} > max {b}"),
        );
    }
    (min, max)
}

fn read_condition(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    tables: &[LookupTable],
    keys: &[&str],
) -> Option<Condition> {
    r.check_keys(
        t,
        &Keys {
            table: "[[gates]]",
            allowed: keys,
        },
    );
    let id = r.required_string(t, "id", loc, "[[gates]]").map(|s| s.0);
    r.string(t, "description");
    r.string(t, "source");
    let name = r.string(t, "name").map(|s| s.0);
    let name_en = r.string(t, "name_en").map(|s| s.0);
    let column = r.string(t, "column");
    let formula = r.string(t, "formula");
    let source = match (column, formula) {
        (Some((c, _)), None) => Some(ValueSource::Column(c)),
        (None, Some((f, l))) => parse_formula(r, &f, &l).map(ValueSource::Formula),
        _ => {
            r.error(
                loc.clone(),
                text!(
                    "a gate condition needs exactly one of `column` and `formula`",
                    "门槛条件需要且只能给出 `column` 或 `formula` 之一"
                ),
            );
            None
        }
    };
    let (min, max) = read_bounds(r, t, loc, "a gate condition", tables);
    let id = id?;
    Some(Condition {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        name_en,
        source: source?,
        min,
        max,
        location: loc.clone(),
    })
}

fn read_gate(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    loc: &Location,
    tables: &[LookupTable],
) -> Option<Gate> {
    if r.raw(t, "conditions").is_none() {
        let c = read_condition(r, t, loc, tables, GATE_KEYS)?;
        return Some(Gate {
            id: c.id.clone(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            conditions: vec![c],
            k: 1,
            location: loc.clone(),
        });
    }
    r.check_keys(
        t,
        &Keys {
            table: "[[gates]]",
            allowed: GATE_KEYS,
        },
    );
    let id = r.required_string(t, "id", loc, "[[gates]]")?.0;
    let name = r
        .string(t, "name")
        .map(|s| s.0)
        .unwrap_or_else(|| id.clone());
    let name_en = r.string(t, "name_en").map(|s| s.0);
    for k in ["column", "formula", "min", "max"] {
        if let Some(v) = r.raw(t, k) {
            let l = r.loc(v);
            r.error(
                l,
                text!(
                    "a k-of-n gate takes `{k}` in each of its `conditions`",
                    "k-of-n 门槛的 `{k}` 应写在各个 `conditions` 中"
                ),
            );
        }
    }
    let conditions: Vec<Condition> = r
        .tables(t, "conditions")
        .into_iter()
        .filter_map(|(ct, cl)| read_condition(r, ct, &cl, tables, CONDITION_KEYS))
        .collect();
    let n = conditions.len();
    let k = match r.number(t, "k") {
        None => n,
        Some((k, l)) => {
            if k.fract() != 0.0 || k < 1.0 || k as usize > n {
                r.error(
                    l,
                    text!(
                        "`k` must be a whole number from 1 to {n} (found {k})",
                        "`k` 必须为 1 到 {n} 的整数（实际为 {k}）"
                    ),
                );
            }
            k as usize
        }
    };
    if n == 0 {
        r.error(
            loc.clone(),
            text!("gate `{id}` has no conditions", "门槛 `{id}` 没有条件"),
        );
        return None;
    }
    Some(Gate {
        id,
        name,
        name_en,
        conditions,
        k,
        location: loc.clone(),
    })
}

fn read_tables(r: &mut Reader<'_>, doc: &DeTable<'_>) -> Vec<LookupTable> {
    let mut out = Vec::new();
    for (t, loc) in r.tables(doc, "tables") {
        r.check_keys(
            t,
            &Keys {
                table: "[[tables]]",
                allowed: TABLE_KEYS,
            },
        );
        r.string(t, "description");
        r.string(t, "source");
        let Some((id, _)) = r.required_string(t, "id", &loc, "[[tables]]") else {
            continue;
        };
        let by = r.strings(t, "by").unwrap_or_default();
        if by.is_empty() {
            r.error(
                loc.clone(),
                text!(
                    "table `{id}` needs `by = [\"column\", …]`",
                    "表 `{id}` 需要 `by = [\"列名\", …]`"
                ),
            );
            continue;
        }
        let default = r.number(t, "default").map(|x| x.0);
        let mut rows = Vec::new();
        if let Some(v) = r.raw(t, "rows")
            && let DeValue::Array(a) = v.get_ref()
        {
            for row in a.iter() {
                let l = r.loc(row);
                let DeValue::Array(cells) = row.get_ref() else {
                    r.error(
                        l,
                        text!(
                            "each row of `{id}` must be an array",
                            "表 `{id}` 的每一行必须为数组"
                        ),
                    );
                    continue;
                };
                let n = by.len();
                let key: Option<Vec<String>> = cells
                    .iter()
                    .take(n)
                    .map(|c| match c.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        other => toml_read::number_of(other).map(|x| x.to_string()),
                    })
                    .collect();
                let value = cells.get(n).and_then(|c| toml_read::number_of(c.get_ref()));
                match (key, value) {
                    (Some(k), Some(v)) if cells.len() == n + 1 && k.len() == n => rows.push((k, v)),
                    _ => {
                        let m = n + 1;
                        r.error(l, text!("each row of `{id}` must hold {n} key(s) and one number ({m} elements)", "表 `{id}` 的每一行应含 {n} 个键和 1 个数值（共 {m} 个元素）"));
                    }
                }
            }
        } else {
            r.error(
                loc.clone(),
                text!(
                    "table `{id}` needs `rows = [[…], …]`",
                    "表 `{id}` 需要 `rows = [[…], …]`"
                ),
            );
        }
        out.push(LookupTable {
            id,
            by,
            rows,
            default,
            location: loc,
        });
    }
    out
}

fn read_grades(r: &mut Reader<'_>, doc: &DeTable<'_>, scale: f64) -> Vec<Grade> {
    let mut grades = Vec::new();
    for (t, loc) in r.tables(doc, "grades") {
        r.check_keys(
            t,
            &Keys {
                table: "[[grades]]",
                allowed: GRADE_KEYS,
            },
        );
        r.string(t, "description");
        let name = r
            .required_string(t, "name", &loc, "[[grades]]")
            .map(|s| s.0);
        let min = match r.number(t, "min") {
            Some((m, l)) if !(0.0..=scale).contains(&m) => {
                r.error(
                    l,
                    text!(
                        "grade minimum {m} is outside 0..{scale}",
                        "等级下限 {m} 超出 0..{scale}"
                    ),
                );
                None
            }
            Some((m, _)) => Some(m),
            None => {
                r.error(
                    loc.clone(),
                    text!("[[grades]] needs `min`", "[[grades]] 缺少 `min`"),
                );
                None
            }
        };
        if let (Some(name), Some(min)) = (name, min) {
            if let Some(g) = grades.iter().find(|g: &&Grade| g.min == min) {
                let other = &g.name;
                r.error(
                    loc,
                    text!(
                        "grades `{other}` and `{name}` have the same minimum {min}",
                        "等级 `{other}` 与 `{name}` 的下限相同（{min}）"
                    ),
                );
                continue;
            }
            grades.push(Grade {
                name,
                name_en: r.string(t, "name_en").map(|s| s.0),
                min,
            });
        }
    }
    grades.sort_by(|a, b| b.min.total_cmp(&a.min));
    grades
}

fn read_report(r: &mut Reader<'_>, doc: &DeTable<'_>) -> ReportSection {
    let Some((t, _)) = r.table(doc, "report") else {
        return ReportSection::default();
    };
    r.check_keys(
        t,
        &Keys {
            table: "[report]",
            allowed: REPORT_KEYS,
        },
    );
    let watch_bottom = match r.number(t, "watch_bottom") {
        Some((x, _)) if x >= 1.0 && x.fract() == 0.0 => Some(x as usize),
        Some((x, l)) => {
            r.error(
                l,
                text!(
                    "`watch_bottom` must be a positive whole number (found {x})",
                    "`watch_bottom` 必须为正整数（实际为 {x}）"
                ),
            );
            None
        }
        None => None,
    };
    ReportSection {
        watch_bottom,
        watch_within: r.string(t, "watch_within").map(|s| s.0),
    }
}

fn check_ids(r: &mut Reader<'_>, b: &TreeBuilder<'_>) {
    let mut seen: Vec<(&str, &Location)> = Vec::new();
    for n in b.nodes.iter().skip(1) {
        if n.id.trim().is_empty() {
            r.error(n.location.clone(), text!("empty id", "id 为空"));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == n.id) {
            let (id, first) = (&n.id, first.to_string());
            r.error(
                n.location.clone(),
                text!(
                    "duplicate id `{id}` (first used at {first})",
                    "id `{id}` 重复（首次出现于 {first}）"
                ),
            );
        } else {
            seen.push((&n.id, &n.location));
        }
    }
    let mut gate_ids: Vec<&str> = Vec::new();
    for g in &b.gates {
        if gate_ids.contains(&g.id.as_str()) {
            let id = &g.id;
            r.error(
                g.location.clone(),
                text!("duplicate gate id `{id}`", "门槛 id `{id}` 重复"),
            );
        }
        gate_ids.push(&g.id);
    }
}

/// Formulas may read data columns and other derived indicators; a cycle is an error.
fn check_formulas(r: &mut Reader<'_>, inds: &[Indicator]) {
    let derived: Vec<(usize, &Formula)> = inds
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| match &ind.source {
            ValueSource::Formula(f) => Some((i, f)),
            _ => None,
        })
        .collect();
    // Depth-first search for cycles among derived indicators.
    let index_of = |name: &str| derived.iter().position(|(i, _)| inds[*i].id == name);
    let mut state = vec![0u8; derived.len()]; // 0 new, 1 on stack, 2 done
    fn visit(
        k: usize,
        derived: &[(usize, &Formula)],
        index_of: &dyn Fn(&str) -> Option<usize>,
        state: &mut [u8],
    ) -> bool {
        if state[k] == 1 {
            return true;
        }
        if state[k] == 2 {
            return false;
        }
        state[k] = 1;
        for v in &derived[k].1.vars {
            if let Some(j) = index_of(v)
                && visit(j, derived, index_of, state)
            {
                return true;
            }
        }
        state[k] = 2;
        false
    }
    for k in 0..derived.len() {
        if state[k] == 0 && visit(k, &derived, &index_of, &mut state) {
            let ind = &inds[derived[k].0];
            let id = &ind.id;
            r.error(
                ind.location.clone(),
                text!(
                    "formula of `{id}` depends on itself",
                    "`{id}` 的公式存在循环引用"
                ),
            );
            return;
        }
    }
}
