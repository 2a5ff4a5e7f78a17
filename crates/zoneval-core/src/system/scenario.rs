//! Weight scenarios on a loaded system: a node's local weight set to a new value (its siblings
//! rescaled proportionally, so the level keeps its total), or a node's AHP judgements replaced
//! by a matrix read from a CSV file. The system file is not touched; the result is the system
//! a user would get by editing those lines.

use crate::error::{Error, Location, Problem, Result, suggest};
use crate::method::weight::ahp::{self, AhpMethod};
use crate::system::IndicatorSystem;
use crate::text;

/// The largest consistency ratio accepted for replaced judgements (DESIGN.md's default
/// `ahp_tolerance`).
const TOLERANCE: f64 = 0.1;

/// The node called `id` (the root answers to the system's id and to `root`).
fn node_of(sys: &IndicatorSystem, id: &str) -> Result<usize> {
    if id == "root" || id == sys.id {
        return Ok(0);
    }
    sys.nodes.iter().position(|n| n.id == id).ok_or_else(|| {
        let ids: Vec<&str> = sys.nodes.iter().skip(1).map(|n| n.id.as_str()).collect();
        Error::input(
            None,
            text!(
                "no criterion or indicator `{id}` in the system",
                "指标体系中没有准则或指标 `{id}`"
            ),
        )
        .with_hint(suggest(id, &ids))
    })
}

/// Sets the local weight of each node in `weights` (node id, weight ≥ 0). Within one parent,
/// the nodes not set are rescaled by one factor so the level's written weights keep their
/// sum; returns a note per parent saying so. Errors: an unknown id, a negative or non-finite
/// weight, a node whose parent weighs its children by AHP judgements, a sibling without a
/// written weight, or weights set above the level's total.
pub fn set_weights(sys: &mut IndicatorSystem, weights: &[(String, f64)]) -> Result<Vec<Problem>> {
    let mut by_parent: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
    for (id, w) in weights {
        let node = node_of(sys, id)?;
        if !w.is_finite() || *w < 0.0 {
            return Err(Error::input(
                None,
                text!(
                    "the weight of `{id}` must be a finite number ≥ 0 (found {w})",
                    "`{id}` 的权重必须为 ≥ 0 的有限数（实际为 {w}）"
                ),
            ));
        }
        let Some(parent) = sys.nodes[node].parent else {
            return Err(Error::input(
                None,
                text!(
                    "`{id}` is the root: it has no weight",
                    "`{id}` 是根节点，没有权重"
                ),
            ));
        };
        let t = &sys.tree.nodes[parent];
        if t.ahp.is_some() || t.experts.is_some() {
            let p = &sys.nodes[parent].id;
            return Err(Error::input(
                None,
                text!(
                    "`{id}` is weighed by the AHP judgements of `{p}`: give `{p}` new judgements instead of a weight",
                    "`{id}` 的权重由 `{p}` 的 AHP 判断矩阵决定：请为 `{p}` 提供新的判断矩阵，而不是直接设权重"
                ),
            ));
        }
        match by_parent.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, set)) => match set.iter_mut().find(|(n, _)| *n == node) {
                // The last value given wins, as for any repeated option.
                Some(e) => e.1 = *w,
                None => set.push((node, *w)),
            },
            None => by_parent.push((parent, vec![(node, *w)])),
        }
    }
    let mut notes = Vec::new();
    for (parent, set) in by_parent {
        let children = sys.nodes[parent].children.clone();
        let mut old = Vec::with_capacity(children.len());
        for &c in &children {
            match sys.tree.nodes[c].weight {
                Some(w) => old.push(w),
                None => {
                    let id = &sys.nodes[c].id;
                    return Err(Error::input(
                        None,
                        text!(
                            "`{id}` has no written weight, so its level cannot be rescaled",
                            "`{id}` 没有写明权重，无法按比例调整其所在层级"
                        ),
                    ));
                }
            }
        }
        let total: f64 = old.iter().sum();
        let fixed: f64 = set.iter().map(|(_, w)| w).sum();
        let rest_old: f64 = children
            .iter()
            .zip(&old)
            .filter(|(c, _)| !set.iter().any(|(n, _)| n == *c))
            .map(|(_, w)| w)
            .sum();
        let all_set = set.len() == children.len();
        let factor = if all_set {
            1.0
        } else if fixed > total * (1.0 + 1e-12) {
            let given: Vec<String> = set
                .iter()
                .map(|(n, w)| format!("{}={w}", sys.nodes[*n].id))
                .collect();
            let given = given.join(", ");
            return Err(Error::input(
                None,
                text!(
                    "{given}: more than the {total} that this level's weights sum to",
                    "{given}：超过了该层级权重之和 {total}"
                ),
            ));
        } else if rest_old > 0.0 {
            (total - fixed).max(0.0) / rest_old
        } else if (total - fixed).abs() <= 1e-12 * total.max(1.0) {
            1.0
        } else {
            let given: Vec<String> = set.iter().map(|(n, _)| sys.nodes[*n].id.clone()).collect();
            let given = given.join(", ");
            return Err(Error::input(
                None,
                text!(
                    "{given}: the other weights of this level are 0, so they cannot take up the difference",
                    "{given}：该层级其余权重均为 0，无法按比例吸收差额"
                ),
            ));
        };
        let mut others = Vec::new();
        for &c in &children {
            let w = match set.iter().find(|(n, _)| *n == c) {
                Some((_, w)) => *w,
                None => {
                    others.push(format!("`{}`", sys.nodes[c].id));
                    sys.tree.nodes[c].weight.unwrap_or(0.0) * factor
                }
            };
            sys.tree.nodes[c].weight = Some(w);
            if let Some(leaf) = sys.nodes[c].indicator {
                sys.indicators[leaf].weight = Some(w);
            }
        }
        let set_text: Vec<String> = set
            .iter()
            .map(|(n, w)| format!("`{}` = {w}", sys.nodes[*n].id))
            .collect();
        let set_text = set_text.join(", ");
        notes.push(if others.is_empty() {
            Problem::new(text!(
                "weights set: {set_text}",
                "已设定权重：{set_text}"
            ))
        } else {
            let others = others.join(", ");
            let f = crate::num::num_short(factor);
            let total = crate::num::num_short(total);
            Problem::new(text!(
                "weights set: {set_text}; the siblings {others} rescaled proportionally (× {f}) so the level still sums to {total}",
                "已设定权重：{set_text}；同级的 {others} 按比例调整（× {f}），使该层级权重之和仍为 {total}"
            ))
        });
    }
    Ok(notes)
}

/// A CSV row: its line and cells.
type Row = (u32, Vec<String>);

/// Parses one judgement: a positive number or a fraction `a/b`.
fn judgement(cell: &str) -> Option<f64> {
    let cell = cell.trim();
    let v = match cell.split_once('/') {
        Some((a, b)) => a.trim().parse::<f64>().ok()? / b.trim().parse::<f64>().ok()?,
        None => cell.parse::<f64>().ok()?,
    };
    (v.is_finite() && v > 0.0).then_some(v)
}

/// Reads an AHP judgement matrix from CSV text: n rows of n judgements (numbers or `1/3`),
/// optionally with a header row of the children's ids and a leading id column; with ids, rows
/// and columns may come in any order and are put in the children's.
pub fn read_matrix(name: &str, text: &str, children: &[String]) -> Result<Vec<Vec<f64>>> {
    let at = |line: u32, field: u32| Location::new(&name.into(), line, field);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let e = e.to_string();
            Error::input(
                Some(at(k as u32 + 1, 0)),
                text!("not valid CSV: {e}", "不是有效的 CSV：{e}"),
            )
        })?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((
            k as u32 + 1,
            rec.iter().map(|c| c.trim().to_string()).collect(),
        ));
    }
    let n = children.len();
    // A header row holds ids only (no judgement among its cells).
    let labelled = rows.first().is_some_and(|(_, r)| {
        r.iter().any(|c| !c.is_empty()) && r.iter().all(|c| c.is_empty() || judgement(c).is_none())
    });
    let (order, body): (Option<Vec<usize>>, &[Row]) = if labelled {
        let (line, head) = &rows[0];
        let ids: Vec<&String> = head.iter().filter(|c| !c.is_empty()).collect();
        let mut order = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            match children.iter().position(|c| c == *id) {
                Some(p) => order.push(p),
                None => {
                    let list = children.join(", ");
                    return Err(Error::input(
                        Some(at(*line, k as u32 + 1)),
                        text!(
                            "`{id}` is not a child of the node (expected {list})",
                            "`{id}` 不是该节点的下级（应为 {list}）"
                        ),
                    ));
                }
            }
        }
        (Some(order), &rows[1..])
    } else {
        (None, &rows[..])
    };
    if body.len() != n {
        let k = body.len();
        return Err(Error::input(
            Some(at(1, 0)),
            text!(
                "{k} rows of judgements, but the node has {n} children",
                "判断矩阵有 {k} 行，但该节点有 {n} 个下级"
            ),
        ));
    }
    let mut m = vec![vec![0.0; n]; n];
    for (i, (line, row)) in body.iter().enumerate() {
        // A leading id cell (labelled rows) is skipped.
        let cells: Vec<&String> = if labelled && row.len() == n + 1 {
            row[1..].iter().collect()
        } else {
            row.iter().collect()
        };
        if cells.len() != n {
            let k = cells.len();
            return Err(Error::input(
                Some(at(*line, 0)),
                text!(
                    "{k} judgements on this row, expected {n}",
                    "此行有 {k} 个判断值，应为 {n} 个"
                ),
            ));
        }
        let field0 = if labelled && row.len() == n + 1 { 2 } else { 1 };
        for (j, c) in cells.iter().enumerate() {
            let v = judgement(c).ok_or_else(|| {
                Error::input(
                    Some(at(*line, field0 + j as u32)),
                    text!(
                        "not a positive number or fraction: \"{c}\"",
                        "不是正数或分数：\"{c}\""
                    ),
                )
            })?;
            let (r, col) = match &order {
                Some(o) => (o[i], o[j]),
                None => (i, j),
            };
            m[r][col] = v;
        }
    }
    Ok(m)
}

/// Replaces the AHP judgements of each node in `matrices` (node id, file) with the matrix read
/// from the file; the children's written weights no longer apply and are cleared. The matrix
/// must be positive, reciprocal and have CR ≤ 0.1.
pub fn set_ahp(sys: &mut IndicatorSystem, matrices: &[(String, std::path::PathBuf)]) -> Result<()> {
    for (id, file) in matrices {
        let node = node_of(sys, id)?;
        if sys.nodes[node].indicator.is_some() {
            return Err(Error::input(
                None,
                text!(
                    "`{id}` is an indicator: judgements go on a criterion (or the root)",
                    "`{id}` 是指标：判断矩阵应给在准则（或根节点）上"
                ),
            ));
        }
        let source = crate::bundled::Source::File(file.clone());
        let (name, bytes) = source.read()?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::input(
                Some(Location::file(&name.as_str().into())),
                text!("not UTF-8 text", "不是 UTF-8 文本"),
            )
        })?;
        let children: Vec<String> = sys.nodes[node]
            .children
            .iter()
            .map(|&c| sys.nodes[c].id.clone())
            .collect();
        let m = read_matrix(&name, &text, &children)?;
        let labels: Vec<String> = children.iter().map(|c| format!("`{c}`")).collect();
        let loc = Location::file(&name.as_str().into());
        match ahp::solve(&m, AhpMethod::Eigenvector) {
            Err(t) => {
                let (en, zh) = (&t.en, &t.zh);
                return Err(Error::input(
                    Some(loc),
                    text!("judgements of `{id}`: {en}", "`{id}` 的判断矩阵：{zh}"),
                ));
            }
            Ok(r) if r.cr > TOLERANCE => {
                return Err(Error::input(
                    Some(loc),
                    ahp::inconsistency_problem(id, &r, TOLERANCE, &labels),
                ));
            }
            Ok(_) => {}
        }
        sys.tree.nodes[node].ahp = Some(m);
        sys.tree.nodes[node].experts = None;
        for c in sys.nodes[node].children.clone() {
            sys.tree.nodes[c].weight = None;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Saaty's three-element example (1, 3, 5; 1/3, 1, 3; 1/5, 1/3, 1), written with and without
    /// labels and with the labelled rows and columns permuted, reads as the same matrix.
    #[test]
    fn a_matrix_reads_with_or_without_labels() {
        let c = ids(&["a", "b", "c"]);
        let plain = read_matrix("m.csv", "1,3,5\n1/3,1,3\n0.2,1/3,1\n", &c).unwrap();
        assert_eq!(plain[0], vec![1.0, 3.0, 5.0]);
        assert_eq!(plain[2][0], 0.2);
        let labelled =
            read_matrix("m.csv", ",c,a,b\nc,1,1/5,1/3\na,5,1,3\nb,3,1/3,1\n", &c).unwrap();
        assert_eq!(labelled, plain);
    }

    #[test]
    fn a_bad_matrix_names_the_cell() {
        let c = ids(&["a", "b"]);
        let e = read_matrix("m.csv", "1,x\n1,1\n", &c).unwrap_err();
        assert!(e.to_string().contains("m.csv:1:2"), "{e}");
        let e = read_matrix("m.csv", "1,2\n", &c).unwrap_err();
        assert!(e.to_string().contains("1 rows"), "{e}");
    }
}
