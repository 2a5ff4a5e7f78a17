//! AHP judgements from a panel of experts (`ahp_experts`, `ahp_combine`) on a criterion or,
//! for the root, in `[method]`: read, checked against the node, inconsistent experts warned
//! about, and the panel kept on the tree node.

use super::*;

impl TreeBuilder<'_> {
    /// Checks a panel's matrices against `node`'s children, warns about each expert left out
    /// and keeps the panel with the kept experts' geometric mean as the node's `ahp`.
    pub(super) fn set_experts(
        &mut self,
        r: &mut Reader<'_>,
        node: usize,
        e: ReadExperts,
        tol: f64,
    ) {
        let (experts, combine, loc) = e;
        let n = self.nodes[node].children.len();
        let id = self.nodes[node].id.clone();
        let mut ok = true;
        for (ex, l) in &experts {
            if ex.matrix.len() != n {
                let (k, name) = (ex.matrix.len(), &ex.name);
                r.error(
                    l.clone(),
                    text!(
                        "`ahp_experts` of `{id}`: expert \"{name}\" judges {k} elements but the node has {n} children",
                        "`{id}` 的 `ahp_experts`：专家“{name}”的判断矩阵有 {k} 行，但该节点有 {n} 个下级"
                    ),
                );
                ok = false;
            }
        }
        if !ok {
            return;
        }
        let group = AhpGroup {
            combine,
            experts: experts.into_iter().map(|(e, _)| e).collect(),
            tolerance: tol,
        };
        match ahp_group::solve(&group, AhpMethod::Eigenvector, &id) {
            Err(t) => r.error(loc, t),
            Ok(res) => {
                for (ex, (er, kept)) in group.experts.iter().zip(&res.experts) {
                    if !kept {
                        r.warn(
                            loc.clone(),
                            ahp_group::excluded_warning(&id, &ex.name, er.cr, tol),
                        );
                    }
                }
                let kept: Vec<&[Vec<f64>]> = group
                    .experts
                    .iter()
                    .zip(&res.experts)
                    .filter(|(_, (_, k))| *k)
                    .map(|(e, _)| &e.matrix[..])
                    .collect();
                self.tree[node].ahp = Some(ahp_group::geometric_mean_matrix(&kept));
                self.tree[node].experts = Some(group);
            }
        }
    }
}

/// A panel as read: each expert with the place it was written, the combination rule and the
/// place of `ahp_experts`.
pub(super) type ReadExperts = (Vec<(Expert, Location)>, Combine, Location);

/// `ahp_experts = [{ name = "…", matrix = [[…]] }, …]` and `ahp_combine` of a node (or of
/// `[method]` for the root). `has_ahp`: the table also has `ahp`, which is an error.
pub(super) fn read_experts(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    has_ahp: bool,
) -> Option<ReadExperts> {
    let combine = match r.string(t, "ahp_combine") {
        None => Combine::Aij,
        Some((s, l)) => match s.as_str() {
            "aij" => Combine::Aij,
            "aip" => Combine::Aip,
            _ => {
                r.problems.push(
                    Problem::at(
                        Some(l),
                        text!(
                            "unknown `ahp_combine` `{s}`; expected \"aij\" or \"aip\"",
                            "未知的 `ahp_combine` `{s}`，应为 \"aij\" 或 \"aip\""
                        ),
                    )
                    .with_hint(crate::error::suggest(&s, &["aij", "aip"])),
                );
                Combine::Aij
            }
        },
    };
    let v = t.get("ahp_experts")?;
    let loc = r.loc(v);
    if has_ahp {
        r.error(
            loc,
            text!(
                "give either `ahp` (one judgement matrix) or `ahp_experts` (a panel), not both",
                "`ahp`（单一判断矩阵）与 `ahp_experts`（专家组）只能给出其一"
            ),
        );
        return None;
    }
    let mut experts = Vec::new();
    for (et, l) in r.tables(t, "ahp_experts") {
        r.check_keys(
            et,
            &Keys {
                table: "ahp_experts",
                allowed: &["name", "matrix"],
            },
        );
        let name = r.required_string(et, "name", &l, "an expert of `ahp_experts`");
        let matrix = r.matrix(et, "matrix");
        if matrix.is_none() && et.get("matrix").is_none() {
            r.error(
                l.clone(),
                text!(
                    "an expert of `ahp_experts` needs `matrix`",
                    "`ahp_experts` 中的专家缺少 `matrix`"
                ),
            );
        }
        if let (Some((name, _)), Some((matrix, ml))) = (name, matrix) {
            experts.push((Expert { name, matrix }, ml));
        }
    }
    if experts.is_empty() {
        r.error(
            loc,
            text!("`ahp_experts` lists no expert", "`ahp_experts` 中没有专家"),
        );
        return None;
    }
    Some((experts, combine, loc))
}
