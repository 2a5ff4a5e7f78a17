//! The indicator tree as weightings see it: nodes with written local weights or AHP
//! judgements over their children; leaves are indicators.

use super::ahp::{self, AhpMethod};
use super::ahp_group::{self, AhpGroup};
use super::{CellError, Consistency, normalize_sum};

/// One node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeNode {
    /// Criterion or indicator id.
    pub id: String,
    /// Child node indices (empty for a leaf).
    pub children: Vec<usize>,
    /// The indicator index, for a leaf.
    pub leaf: Option<usize>,
    /// The written local weight (relative to the siblings).
    pub weight: Option<f64>,
    /// Pairwise judgements over the children, row/column order = `children`.
    pub ahp: Option<Vec<Vec<f64>>>,
    /// A panel's judgements (`ahp_experts`); `ahp` then holds their geometric mean.
    pub experts: Option<AhpGroup>,
}

/// The tree; node 0 is the root.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeightTree {
    /// All nodes; node 0 is the root.
    pub nodes: Vec<TreeNode>,
    /// Number of leaves (indicators).
    pub leaves: usize,
}

impl WeightTree {
    /// A flat tree: a root over `weights.len()` leaves with those written weights.
    pub fn flat(ids: &[&str], weights: Option<&[f64]>, ahp: Option<Vec<Vec<f64>>>) -> WeightTree {
        let mut nodes = vec![TreeNode {
            id: "root".into(),
            children: (1..=ids.len()).collect(),
            leaf: None,
            weight: None,
            ahp,
            experts: None,
        }];
        for (i, id) in ids.iter().enumerate() {
            nodes.push(TreeNode {
                id: id.to_string(),
                children: vec![],
                leaf: Some(i),
                weight: weights.map(|w| w[i]),
                ahp: None,
                experts: None,
            });
        }
        WeightTree {
            nodes,
            leaves: ids.len(),
        }
    }

    /// True when some node carries AHP judgements.
    pub fn has_ahp(&self) -> bool {
        self.nodes.iter().any(|n| n.ahp.is_some())
    }

    /// Local weights of `node`'s children (summing to 1): from AHP judgements when the node
    /// has them, otherwise from the children's written weights. Consistency goes to `cons`.
    fn local(
        &self,
        node: usize,
        method: AhpMethod,
        cons: &mut Vec<Consistency>,
    ) -> Result<Vec<f64>, CellError> {
        let n = &self.nodes[node];
        if let Some(g) = &n.experts {
            let r = ahp_group::solve(g, method, &n.id).map_err(CellError::general)?;
            for (e, (res, kept)) in g.experts.iter().zip(&r.experts) {
                let (id, name) = (&n.id, &e.name);
                cons.push(Consistency {
                    node: if *kept {
                        format!("{id}: {name}")
                    } else {
                        format!("{id}: {name} (excluded)")
                    },
                    lambda_max: res.lambda_max,
                    ci: res.ci,
                    cr: res.cr,
                });
            }
            cons.push(Consistency {
                node: n.id.clone(),
                lambda_max: r.combined.lambda_max,
                ci: r.combined.ci,
                cr: r.combined.cr,
            });
            return Ok(r.weights);
        }
        if let Some(m) = &n.ahp {
            let r = ahp::solve(m, method).map_err(CellError::general)?;
            cons.push(Consistency {
                node: n.id.clone(),
                lambda_max: r.lambda_max,
                ci: r.ci,
                cr: r.cr,
            });
            return Ok(r.weights);
        }
        let mut w = Vec::with_capacity(n.children.len());
        for &c in &n.children {
            let child = &self.nodes[c];
            match child.weight {
                Some(x) => w.push(x),
                None => {
                    let id = &child.id;
                    return Err(CellError::general(crate::text!(
                        "`{id}` has no weight (and its parent no `ahp` judgements)",
                        "`{id}` 没有权重（其上级也没有 `ahp` 判断矩阵）"
                    )));
                }
            }
        }
        normalize_sum(&mut w)?;
        Ok(w)
    }

    /// Global leaf weights from written weights and AHP judgements: the product of local
    /// weights along the path from the root.
    pub fn global(&self, method: AhpMethod) -> Result<(Vec<f64>, Vec<Consistency>), CellError> {
        let mut out = vec![0.0; self.leaves];
        let mut cons = Vec::new();
        let mut stack = vec![(0usize, 1.0f64)];
        while let Some((node, w)) = stack.pop() {
            let n = &self.nodes[node];
            if let Some(leaf) = n.leaf {
                out[leaf] = w;
                continue;
            }
            let local = self.local(node, method, &mut cons)?;
            // Push in reverse so children are visited (and consistency reported) in order.
            for (&c, &lw) in n.children.iter().zip(&local).rev() {
                stack.push((c, w * lw));
            }
        }
        Ok((out, cons))
    }

    /// Equal weights at every level: each node splits its weight equally among its children.
    pub fn equal(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.leaves];
        let mut stack = vec![(0usize, 1.0f64)];
        while let Some((node, w)) = stack.pop() {
            let n = &self.nodes[node];
            match n.leaf {
                Some(leaf) => out[leaf] = w,
                None => {
                    let share = w / n.children.len() as f64;
                    stack.extend(n.children.iter().map(|&c| (c, share)));
                }
            }
        }
        out
    }

    /// The leaves under `node`, in indicator order.
    pub fn leaves_under(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match self.nodes[n].leaf {
                Some(l) => out.push(l),
                None => stack.extend(self.nodes[n].children.iter().copied()),
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Root → {A (0.6) → {x 0.5, y 0.5}, B (0.4) → {z}}: global = 0.3, 0.3, 0.4.
    fn two_level() -> WeightTree {
        let node =
            |id: &str, children: Vec<usize>, leaf: Option<usize>, weight: Option<f64>| TreeNode {
                id: id.into(),
                children,
                leaf,
                weight,
                ahp: None,
                experts: None,
            };
        WeightTree {
            nodes: vec![
                node("root", vec![1, 2], None, None),
                node("A", vec![3, 4], None, Some(0.6)),
                node("B", vec![5], None, Some(0.4)),
                node("x", vec![], Some(0), Some(0.5)),
                node("y", vec![], Some(1), Some(0.5)),
                node("z", vec![], Some(2), Some(1.0)),
            ],
            leaves: 3,
        }
    }

    #[test]
    fn global_is_product_along_path() {
        let (w, cons) = two_level().global(AhpMethod::Eigenvector).unwrap();
        assert!(cons.is_empty());
        for (g, e) in w.iter().zip([0.3, 0.3, 0.4]) {
            assert!((g - e).abs() < 1e-15);
        }
    }

    #[test]
    fn equal_splits_per_level() {
        let w = two_level().equal();
        assert_eq!(w, vec![0.25, 0.25, 0.5]);
        assert_eq!(two_level().leaves_under(1), vec![0, 1]);
    }
}
