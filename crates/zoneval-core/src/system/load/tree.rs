//! The criteria tree: `[[criteria]]` nested to any depth holding `[[indicators]]`, with
//! local weights and AHP judgements per node.

use super::*;

pub(super) const CRITERION_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "weight",
    "ahp",
    "ahp_experts",
    "ahp_combine",
    "ahp_tolerance",
    "criteria",
    "indicators",
    "description",
    "source",
];
pub(super) const INDICATOR_KEYS: &[&str] = &[
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
    "goalposts",
    "description",
    "source",
];

pub(super) struct TreeBuilder<'t> {
    pub(super) nodes: Vec<Node>,
    pub(super) indicators: Vec<Indicator>,
    pub(super) gates: Vec<Gate>,
    pub(super) tree: Vec<TreeNode>,
    pub(super) tables: &'t [LookupTable],
}

impl TreeBuilder<'_> {
    pub(super) fn child_labels(&self, node: usize) -> Vec<String> {
        self.nodes[node]
            .children
            .iter()
            .map(|&c| format!("`{}`", self.nodes[c].id))
            .collect()
    }

    /// Reads the `criteria` or `indicators` of `table` as the children of `parent`; false when
    /// they were left out for nesting too deep (already reported).
    pub(super) fn children(
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

    pub(super) fn add_node(
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
            experts: None,
        });
        self.tree[parent].children.push(idx);
        idx
    }

    pub(super) fn weight(r: &mut Reader<'_>, t: &DeTable<'_>) -> Option<f64> {
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

    pub(super) fn criterion(
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
        let experts = read_experts(r, t, ahp.is_some());
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
        if let Some(e) = experts {
            self.set_experts(r, idx, e, tol);
        }
    }

    pub(super) fn set_ahp(
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

    pub(super) fn indicator(
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
        let goalposts = read_indicator_goalposts(r, t, &id);

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
            goalposts,
            node: idx,
            location: loc,
        });
    }
}
