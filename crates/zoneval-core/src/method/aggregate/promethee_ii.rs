//! PROMETHEE II: net outranking flow from pairwise preference degrees.
//!
//! π(a, b) = Σ_j w_j P_j(d_j(a, b)) is never stored: the flows are sums over b, so each
//! criterion adds its share straight into per-zone accumulators. For the piecewise-linear
//! preference functions (usual, u-shape, v-shape, level, linear) a zone's sums over all other
//! zones follow from the sorted column by binary search and prefix sums — O(m log m) per
//! criterion instead of O(m²) — with the same threshold comparisons (on the same differences)
//! as the pairwise definition. The Gaussian function has no such shortcut and is summed pair by
//! pair.

use super::{AggInput, Aggregate, Aggregated, Capabilities, Preference};
use crate::error::Text;
use crate::method::{CellError, Entry, MethodInfo, NamedColumn};
use crate::text;

/// `promethee-ii`: φ(a) = φ⁺(a) − φ⁻(a).
#[derive(Debug)]
pub struct PrometheeII;

/// Registry entry.
pub const ENTRY: Entry<dyn Aggregate> = Entry {
    info: MethodInfo {
        name: "promethee-ii",
        title: "PROMETHEE II (net outranking flow)",
        title_zh: "PROMETHEE II 法（净流量排序法）",
        formula: "d_j(a,b) = f_j(a) − f_j(b) (benefit) or f_j(b) − f_j(a) (cost);  \
            π(a,b) = Σ_j w_j P_j(d_j(a,b));  φ⁺(a) = Σ_b π(a,b)/(m − 1);  \
            φ⁻(a) = Σ_b π(b,a)/(m − 1);  φ(a) = φ⁺(a) − φ⁻(a)",
        conventions: "Intrinsic: works on the criterion values (raw; target and range indicators \
            as their deviation, a cost) and ignores `[method] normalization`; thresholds q, p, s \
            are in the indicator's own units. Preference function per indicator (`usual` by \
            default; `u-shape`, `v-shape`, `level`, `linear`, `gaussian`). Flows are divided by \
            m − 1 (Brans & Mareschal's scaling; the 1986 paper prints plain sums), so φ ∈ [−1, 1] \
            and Σ φ = 0. A single zone has φ⁺ = φ⁻ = φ = 0. A constant column or a zero weight \
            adds nothing. Display score (φ + 1)/2. Intermediate tables: phi_plus, phi_minus. \
            The Gaussian function costs O(m²) per indicator; the others O(m log m).",
        reference: "Brans, Vincke & Mareschal (1986), How to select and how to rank projects: the \
            PROMETHEE method, EJOR 24(2), 228–238 (hydroelectric power station example); Brans & \
            Vincke (1985), Management Science 31(6), 647–656 (generalised criteria); Brans & \
            Mareschal (2005), PROMETHEE methods, in Figueira, Greco & Ehrgott (eds.), Multiple \
            Criteria Decision Analysis: State of the Art Surveys, Springer, 163–186; Zhao, Peng & \
            Li (2013), Procedia Computer Science 17, 181–188 (usual-criterion example).",
        params: &[],
    },
    caps: Capabilities {
        // φ(a) = Σ_j w_j φ_j(a): the net flow is a weighted sum of single-criterion flows.
        linear_in_weights: true,
        pairwise: true,
        ..Capabilities::INTRINSIC
    },
    build: |_| Ok(Box::new(PrometheeII)),
};

impl Aggregate for PrometheeII {
    fn aggregate(
        &self,
        input: &AggInput<'_>,
        _notes: &mut Vec<Text>,
    ) -> Result<Aggregated, CellError> {
        let f = input.values;
        let m = f.rows();
        let mut plus = vec![0.0; m];
        let mut minus = vec![0.0; m];
        // Scratch buffers reused across criteria.
        let mut oriented = Vec::with_capacity(m);
        let mut sorted = Vec::with_capacity(m);
        let mut prefix = Vec::with_capacity(m + 1);
        for (j, col) in f.columns().enumerate() {
            if let Some(i) = col.iter().position(|x| !x.is_finite()) {
                return Err(CellError::cell(
                    i,
                    j,
                    text!("value is not a finite number", "数值不是有限数"),
                ));
            }
            let w = input.weights.get(j).copied().unwrap_or(0.0);
            if w == 0.0 || m < 2 {
                continue;
            }
            let pref = input
                .preferences
                .get(j)
                .copied()
                .unwrap_or(Preference::Usual);
            // Orient so that a larger value is better: d(a, b) = o_a − o_b.
            let cost = input.cost.get(j).copied().unwrap_or(false);
            oriented.clear();
            oriented.extend(col.iter().map(|&x| if cost { -x } else { x }));
            let acc = Accumulators {
                w,
                plus: &mut plus,
                minus: &mut minus,
            };
            match pref {
                Preference::Gaussian { .. } => pairwise(&oriented, pref, acc),
                _ => by_sorting(&oriented, pref, acc, &mut sorted, &mut prefix),
            }
        }
        if m > 1 {
            let scale = 1.0 / (m - 1) as f64;
            plus.iter_mut().for_each(|x| *x *= scale);
            minus.iter_mut().for_each(|x| *x *= scale);
        }
        let value = plus.iter().zip(&minus).map(|(p, n)| p - n).collect();
        Ok(Aggregated {
            indicator_tables: Vec::new(),
            statistics: Vec::new(),
            references: Vec::new(),
            value,
            tables: vec![
                NamedColumn {
                    key: "phi_plus".into(),
                    en: "φ+ (leaving flow)".into(),
                    zh: "φ+（正流量）".into(),
                    values: plus,
                },
                NamedColumn {
                    key: "phi_minus".into(),
                    en: "φ- (entering flow)".into(),
                    zh: "φ-（负流量）".into(),
                    values: minus,
                },
            ],
        })
    }

    /// Net flows lie in [−1, 1]: (φ + 1)/2.
    fn unit_score(&self, value: &[f64], _higher_is_better: bool) -> Vec<f64> {
        value
            .iter()
            .map(|&v| ((v + 1.0) / 2.0).clamp(0.0, 1.0))
            .collect()
    }
}

/// Where one criterion's weighted sums go: `plus[a] += w Σ_b P(d(a,b))`,
/// `minus[a] += w Σ_b P(d(b,a))`.
struct Accumulators<'a> {
    w: f64,
    plus: &'a mut [f64],
    minus: &'a mut [f64],
}

/// Pair by pair, O(m²); any preference function.
fn pairwise(o: &[f64], pref: Preference, acc: Accumulators<'_>) {
    let Accumulators { w, plus, minus } = acc;
    for a in 0..o.len() {
        for b in a + 1..o.len() {
            let ab = w * pref.degree(o[a] - o[b]);
            let ba = w * pref.degree(o[b] - o[a]);
            plus[a] += ab;
            minus[b] += ab;
            plus[b] += ba;
            minus[a] += ba;
        }
    }
}

/// The same sums for piecewise-linear preference functions, from the sorted column.
///
/// For zone a with value x: the differences x − s_b fall as s_b rises, so "d > t" holds on a
/// prefix of the sorted column, found by binary search on the very comparison the pairwise
/// form makes. Linear pieces add Σ (d − q)/(p − q) over a band, from prefix sums (of values
/// shifted by the median, to keep the sums small).
fn by_sorting(
    o: &[f64],
    pref: Preference,
    acc: Accumulators<'_>,
    sorted: &mut Vec<f64>,
    prefix: &mut Vec<f64>,
) {
    let Accumulators { w, plus, minus } = acc;
    let m = o.len();
    sorted.clear();
    sorted.extend_from_slice(o);
    sorted.sort_unstable_by(f64::total_cmp);
    let c = sorted[m / 2];
    prefix.clear();
    prefix.push(0.0);
    let mut run = 0.0;
    for &s in sorted.iter() {
        run += s - c;
        prefix.push(run);
    }
    let sorted = &sorted[..];
    let prefix = &prefix[..];
    for (a, &x) in o.iter().enumerate() {
        // Number of b with x − s_b > t (zone a preferred by more than t).
        let out_gt = |t: f64| sorted.partition_point(|&s| x - s > t);
        // Number of b with s_b − x ≤ t; those with s_b − x > t are the rest.
        let in_le = |t: f64| sorted.partition_point(|&s| s - x <= t);
        let (out, inn) = match pref {
            Preference::Usual => (out_gt(0.0) as f64, (m - in_le(0.0)) as f64),
            Preference::UShape { q } => (out_gt(q) as f64, (m - in_le(q)) as f64),
            Preference::Level { q, p } => (
                0.5 * (out_gt(q) + out_gt(p)) as f64,
                0.5 * ((m - in_le(q)) + (m - in_le(p))) as f64,
            ),
            Preference::VShape { p } => linear(x - c, 0.0, p, out_gt, in_le, m, prefix),
            Preference::Linear { q, p } => linear(x - c, q, p, out_gt, in_le, m, prefix),
            Preference::Gaussian { .. } => unreachable!("Gaussian preferences are summed pairwise"),
        };
        plus[a] += w * out;
        minus[a] += w * inn;
    }
}

/// Sums of the linear-with-indifference function (v-shape: q = 0) for one zone, whose value
/// shifted by the prefix sums' offset is `xc`.
fn linear(
    xc: f64,
    q: f64,
    p: f64,
    out_gt: impl Fn(f64) -> usize,
    in_le: impl Fn(f64) -> usize,
    m: usize,
    prefix: &[f64],
) -> (f64, f64) {
    let span = p - q;
    // Outgoing: d = x − s_b; full preference on [0, out_gt(p)), band (q, p] on
    // [out_gt(p), out_gt(q)).
    let (full, edge) = (out_gt(p), out_gt(q));
    let band = (edge - full) as f64 * (xc - q) - (prefix[edge] - prefix[full]);
    let out = full as f64 + (band / span).max(0.0);
    // Incoming: d = s_b − x; band (q, p] on [in_le(q), in_le(p)), full preference after.
    let (edge, full) = (in_le(q), in_le(p));
    let band = (prefix[full] - prefix[edge]) - (full - edge) as f64 * (xc + q);
    let inn = (m - full) as f64 + (band / span).max(0.0);
    (out, inn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::Matrix;
    use crate::method::aggregate::testing::{assert_close, table};

    fn flows(rows: &[Vec<f64>], cost: &[bool], w: &[f64], prefs: &[Preference]) -> Aggregated {
        let m = Matrix::from_rows(rows);
        let input = AggInput {
            normalized: &m,
            values: &m,
            cost,
            weights: w,
            preferences: prefs,
            zone_weights: None,
            tree: None,
        };
        PrometheeII.aggregate(&input, &mut Vec::new()).unwrap()
    }

    /// Usual criteria, one benefit and one cost column, w = (0.6, 0.4), values
    /// a = (3, 5), b = (1, 5), c = (2, 9):
    /// π(a,b) = 0.6, π(b,a) = 0; π(a,c) = 0.6 + 0.4 = 1, π(c,a) = 0; π(b,c) = 0.4, π(c,b) = 0.6.
    /// φ⁺ = (1.6, 0.4, 0.6)/2, φ⁻ = (0, 1.2, 1.4)/2, φ = (0.8, −0.4, −0.4).
    #[test]
    fn flows_by_hand() {
        let rows = vec![vec![3.0, 5.0], vec![1.0, 5.0], vec![2.0, 9.0]];
        let out = flows(&rows, &[false, true], &[0.6, 0.4], &[Preference::Usual; 2]);
        assert_close(table(&out, "phi_plus"), &[0.8, 0.2, 0.3], 1e-15);
        assert_close(table(&out, "phi_minus"), &[0.0, 0.6, 0.7], 1e-15);
        assert_close(&out.value, &[0.8, -0.4, -0.4], 1e-15);
    }

    /// A single zone gets φ = 0; a constant column and a zero weight add nothing.
    #[test]
    fn degenerate_inputs() {
        let out = flows(
            &[vec![1.0, 2.0]],
            &[false, true],
            &[0.5, 0.5],
            &[Preference::Usual; 2],
        );
        assert_eq!(out.value, vec![0.0]);
        let rows = vec![vec![7.0, 1.0, 5.0], vec![7.0, 2.0, 0.0]];
        let out = flows(
            &rows,
            &[false; 3],
            &[0.5, 0.5, 0.0],
            &[Preference::Usual; 3],
        );
        assert_close(&out.value, &[-0.5, 0.5], 1e-15);
        assert_eq!(
            PrometheeII.unit_score(&[-1.0, 0.0, 1.0], true),
            vec![0.0, 0.5, 1.0]
        );
    }

    /// The sorted shortcut agrees with the pairwise definition, ties and differences exactly at
    /// the thresholds included (integer data, integer thresholds).
    #[test]
    fn sorting_matches_pairwise() {
        // A small deterministic pseudo-random integer column with many ties.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % 9) as f64
        };
        let col: Vec<f64> = (0..40).map(|_| next()).collect();
        let prefs = [
            Preference::Usual,
            Preference::UShape { q: 2.0 },
            Preference::VShape { p: 3.0 },
            Preference::Level { q: 1.0, p: 3.0 },
            Preference::Linear { q: 1.0, p: 4.0 },
            Preference::Linear { q: 0.0, p: 0.5 },
        ];
        for pref in prefs {
            for cost in [false, true] {
                let o: Vec<f64> = col.iter().map(|&x| if cost { -x } else { x }).collect();
                let (mut p1, mut n1) = (vec![0.0; 40], vec![0.0; 40]);
                let (mut p2, mut n2) = (vec![0.0; 40], vec![0.0; 40]);
                pairwise(
                    &o,
                    pref,
                    Accumulators {
                        w: 0.3,
                        plus: &mut p1,
                        minus: &mut n1,
                    },
                );
                by_sorting(
                    &o,
                    pref,
                    Accumulators {
                        w: 0.3,
                        plus: &mut p2,
                        minus: &mut n2,
                    },
                    &mut Vec::new(),
                    &mut Vec::new(),
                );
                assert_close(&p2, &p1, 1e-12);
                assert_close(&n2, &n1, 1e-12);
            }
        }
    }

    /// Gaussian, two zones 1 apart with s = 1: P = 1 − e^{−½} one way, 0 the other.
    #[test]
    fn gaussian_pairwise() {
        let rows = vec![vec![1.0], vec![0.0]];
        let out = flows(&rows, &[false], &[1.0], &[Preference::Gaussian { s: 1.0 }]);
        let g = 1.0 - (-0.5f64).exp();
        assert_close(&out.value, &[g, -g], 1e-15);
    }
}
