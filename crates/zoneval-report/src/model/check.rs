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
        self.check_results()
    }

    /// Checks that the results agree with each other as the engine wrote them: no zone twice,
    /// a rank exactly where there is a score, ranks in the order of the scores (competition
    /// ranks: equal scores share a rank), scores within the scale, and each grade the band
    /// its score falls in (the lowest band for a vetoed zone under `veto = "grade-floor"`).
    fn check_results(&self) -> Result<(), String> {
        let mut ids = std::collections::HashSet::with_capacity(self.zones.len());
        for z in &self.zones {
            if !ids.insert(z.id.as_str()) {
                return Err(format!("zone {} appears twice", z.id));
            }
            if z.rank.is_some() != z.score.is_some() || z.rank.is_some() != z.value.is_some() {
                return Err(format!(
                    "zone {}: a rank, score and value go together",
                    z.id
                ));
            }
            if let Some(s) = z.score {
                let tol = 1e-9 * self.scale.abs().max(1.0);
                if !s.is_finite() || s < -tol || s > self.scale + tol {
                    return Err(format!(
                        "zone {}: score {s} outside the scale 0 to {}",
                        z.id, self.scale
                    ));
                }
            }
        }
        let mut ranked: Vec<(usize, f64, &str)> = self
            .zones
            .iter()
            .filter_map(|z| Some((z.rank?, z.score?, z.id.as_str())))
            .collect();
        ranked.sort_by_key(|r| r.0);
        for (k, w) in ranked.windows(2).enumerate() {
            let ((ra, sa, _), (rb, sb, idb)) = (w[0], w[1]);
            let consistent = if ra == rb {
                sa == sb
            } else {
                // The next rank after a tie skips the tied places; a better rank never has a
                // lower score.
                sa >= sb && rb == k + 2
            };
            if !consistent {
                return Err(format!(
                    "zone {idb}: rank {rb} does not follow from the scores (rank {ra} has score {sa}, {idb} has {sb})"
                ));
            }
        }
        if ranked.first().is_some_and(|r| r.0 != 1) {
            return Err("the ranking does not start at 1".into());
        }
        // Grades: bands in the system's order (highest first).
        if !self.grades.is_empty() {
            let lowest = self.grades.len() - 1;
            for z in &self.zones {
                let Some(s) = z.score else { continue };
                let band = self.grades.iter().position(|g| s >= g.min);
                let floor = z.vetoed && self.method.veto == "grade-floor";
                let ok = z.grade == band || (floor && z.grade == Some(lowest));
                if !ok {
                    return Err(format!("zone {}: grade does not match its score {s}", z.id));
                }
            }
        }
        Ok(())
    }
}
