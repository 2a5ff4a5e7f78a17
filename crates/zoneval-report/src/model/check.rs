//! Checking a model read back from results.json before rendering it: an edited file must give
//! a clean error, not a panic on an index out of range.

use super::ReportModel;

impl ReportModel {
    /// Checks that every index and length in the model is consistent (a model read from a
    /// results.json that was edited by hand must not make rendering panic).
    pub fn check(&self) -> Result<(), String> {
        let (m, c, g, n) = (
            self.indicators.len(),
            self.criteria.len(),
            self.grades.len(),
            self.nodes.len(),
        );
        if n == 0 {
            return Err("no tree nodes".into());
        }
        for (k, node) in self.nodes.iter().enumerate() {
            let bad_child = node.children.iter().any(|&ch| ch >= n || ch <= k);
            if bad_child
                || node.parent.is_some_and(|p| p >= k)
                || node.indicator.is_some_and(|j| j >= m)
            {
                return Err(format!("node {} refers outside the tree", node.named.id));
            }
        }
        if self.criteria.iter().any(|&k| k >= n) {
            return Err("a criterion refers outside the tree".into());
        }
        for ind in &self.indicators {
            if ind.node >= n || ind.criterion.is_some_and(|k| k >= n) {
                return Err(format!(
                    "indicator {} refers outside the tree",
                    ind.named.id
                ));
            }
        }
        for z in &self.zones {
            let lengths = z.criteria.len() == c
                && z.raw.len() == m
                && z.normalized.len() == m
                && (z.details.is_empty() || z.details.len() == self.details.len())
                && z.groups.len() <= self.group_columns.len();
            if !lengths || z.grade.is_some_and(|x| x >= g) {
                return Err(format!(
                    "zone {}: values do not match the indicators, criteria or grades",
                    z.id
                ));
            }
            if let Some(ex) = &z.explanation {
                let standings = ex
                    .strongest
                    .iter()
                    .chain(&ex.weakest)
                    .all(|s| s.indicator < m);
                let gap = ex
                    .next_grade
                    .as_ref()
                    .is_none_or(|gg| gg.grade < g && gg.closers.iter().all(|cl| cl.indicator < m));
                if !standings || !gap {
                    return Err(format!(
                        "zone {}: its explanation refers to unknown indicators or grades",
                        z.id
                    ));
                }
            }
        }
        Ok(())
    }
}
