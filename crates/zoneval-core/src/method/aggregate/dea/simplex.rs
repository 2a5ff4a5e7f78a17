//! A dense revised simplex written for DEA's envelopment LP.
//!
//! Why not a general LP solver: every zone's LP has the same few rows (inputs + outputs, + 1
//! for BCC) and the same n columns (the zones); only the scale column (θ or φ) and the right-hand
//! side change. A general solver (microlp, which this replaced here) rebuilds and factorises a
//! sparse problem from scratch twice per zone, ≈ 30 ms per zone at 2,000 × 24. Here the column
//! data are shared by all zones and read in place, the basis inverse is a small dense R × R
//! matrix (R = rows), and each LP starts from a feasible basis built from the zone itself (its
//! own column with λ = 1, scale = 1), so there is no artificial phase. The zone's own column is
//! passed apart from the shared columns, so those can be a subset of the zones (the frontier
//! candidates of `dea_all`). The slack phase is lexicographic: it keeps the
//! phase-one basis and lets enter only the columns whose phase-one reduced cost is zero, so the
//! optimal θ* (φ*) cannot move, and no second LP is built.
//!
//! Exactness: the basis inverse is refactorised from the basis columns (Gauss–Jordan with
//! partial pivoting) every [`REFACTOR`] pivots and before optimality is declared, and the
//! returned values are solved from that fresh factorisation. Cycling (the envelopment LP is
//! highly degenerate) is prevented by switching from Dantzig's rule to Bland's after
//! [`DEGENERATE_SWITCH`] consecutive degenerate pivots. Each LP is deterministic and
//! independent, so solving zones in parallel gives the same bits whatever the thread count.

/// Pivots between refactorisations of the basis inverse.
const REFACTOR: usize = 50;
/// Consecutive degenerate pivots before Bland's rule takes over.
const DEGENERATE_SWITCH: usize = 30;
/// A reduced cost below −TOL_D lets a column enter.
const TOL_D: f64 = 1e-11;
/// Smallest pivot element accepted in the ratio test.
const TOL_P: f64 = 1e-10;
/// A phase-one reduced cost up to this keeps a column eligible in the slack phase.
const TOL_E: f64 = 1e-9;

/// The data shared by every zone's envelopment LP, columns scaled as given.
pub(super) struct Envelopment {
    n: usize,
    m: usize,
    s: usize,
    rows: usize,
    bcc: bool,
    input: bool,
    /// Zone k's column (inputs, outputs, [1]) at `k * rows`.
    cols: Vec<f64>,
}

/// A zone's solution: the scale factor (θ or φ) and every variable's value: λ of the n
/// columns, λ of the zone's own column, the scale, s⁻, s⁺.
pub(super) struct Solution {
    pub score: f64,
    pub values: Vec<f64>,
}

impl Envelopment {
    /// `x` (n × m inputs) and `y` (n × s outputs), row-major by zone through `get`.
    pub fn new(
        n: usize,
        m: usize,
        s: usize,
        x: impl Fn(usize, usize) -> f64,
        y: impl Fn(usize, usize) -> f64,
        bcc: bool,
        input: bool,
    ) -> Envelopment {
        let rows = m + s + usize::from(bcc);
        let mut cols = Vec::with_capacity(n * rows);
        for k in 0..n {
            cols.extend((0..m).map(|i| x(k, i)));
            cols.extend((0..s).map(|r| y(k, r)));
            if bcc {
                cols.push(1.0);
            }
        }
        Envelopment {
            n,
            m,
            s,
            rows,
            bcc,
            input,
            cols,
        }
    }

    fn zone(&self, k: usize) -> &[f64] {
        &self.cols[k * self.rows..(k + 1) * self.rows]
    }

    /// Column `k` (inputs, outputs, [1]) as stored, for a zone's own column.
    pub fn column(&self, k: usize) -> &[f64] {
        self.zone(k)
    }

    /// Solves the LP of the zone whose column (inputs, outputs, [1]) is `own`, against the n
    /// columns and `own` itself; with `phase_one_only` the slack phase is skipped.
    pub fn solve(&self, own: &[f64], phase_one_only: bool) -> Result<Solution, String> {
        let mut lp = Lp::start(self, own);
        // Phase one: min θ (input) or min −φ (output).
        let scale = self.n + 1;
        let mut cost = vec![0.0; lp.vars];
        cost[scale] = if self.input { 1.0 } else { -1.0 };
        lp.optimise(&cost, None)?;
        if phase_one_only {
            let score = lp.pos[scale].map_or(0.0, |i| lp.xb[i]);
            return Ok(Solution {
                score,
                values: Vec::new(),
            });
        }
        // Slack phase: only columns with a zero phase-one reduced cost may enter.
        let y = lp.prices(&cost);
        let eligible: Vec<bool> = (0..lp.vars)
            .map(|j| lp.pos[j].is_some() || lp.reduced(j, &cost, &y) <= TOL_E)
            .collect();
        let mut cost2 = vec![0.0; lp.vars];
        cost2[self.n + 2..].iter_mut().for_each(|c| *c = -1.0);
        lp.optimise(&cost2, Some(&eligible))?;
        let mut values = vec![0.0; lp.vars];
        for (i, &j) in lp.basis.iter().enumerate() {
            values[j] = lp.xb[i].max(0.0);
        }
        Ok(Solution {
            score: values[scale],
            values,
        })
    }
}

/// One zone's LP in progress.
struct Lp<'a> {
    e: &'a Envelopment,
    /// The zone's own column.
    own: &'a [f64],
    vars: usize,
    /// Basis inverse, R × R row-major.
    binv: Vec<f64>,
    /// The variable basic in each row.
    basis: Vec<usize>,
    /// Each variable's basis row, if basic.
    pos: Vec<Option<usize>>,
    /// Basic values.
    xb: Vec<f64>,
    /// Right-hand side.
    b: Vec<f64>,
    pivots: usize,
}

impl<'a> Lp<'a> {
    /// The starting basis from λ_own = 1, scale = 1 (feasible, every slack 0). With r0 = the first
    /// output row and i0 = the first input row, λ_o and the scale column cover two rows whose
    /// 2 × 2 block is non-singular, and slack columns cover the others:
    /// input CCR {i0, r0}, input BCC {i0, conv}, output CCR {i0, r0}, output BCC {r0, conv}.
    fn start(e: &'a Envelopment, own: &'a [f64]) -> Lp<'a> {
        let (n, m, s, rows) = (e.n, e.m, e.s, e.rows);
        let vars = n + 2 + m + s;
        let col_o = own;
        let b: Vec<f64> = (0..rows)
            .map(|i| {
                if i < m {
                    if e.input { 0.0 } else { col_o[i] }
                } else if i < m + s {
                    if e.input { col_o[i] } else { 0.0 }
                } else {
                    1.0
                }
            })
            .collect();
        let (skip_in, skip_out) = match (e.input, e.bcc) {
            (true, false) | (false, false) => (Some(0), Some(0)),
            (true, true) => (Some(0), None),
            (false, true) => (None, Some(0)),
        };
        let mut basis = vec![n, n + 1];
        basis.extend((0..m).filter(|&i| Some(i) != skip_in).map(|i| n + 2 + i));
        basis.extend(
            (0..s)
                .filter(|&r| Some(r) != skip_out)
                .map(|r| n + 2 + m + r),
        );
        debug_assert_eq!(basis.len(), rows);
        let mut lp = Lp {
            e,
            own,
            vars,
            binv: vec![0.0; rows * rows],
            basis,
            pos: vec![None; vars],
            xb: vec![0.0; rows],
            b,
            pivots: 0,
        };
        lp.refactor();
        lp
    }

    /// Column `j` of the constraint matrix, written into `out`.
    fn column(&self, j: usize, out: &mut [f64]) {
        let e = self.e;
        let (n, m) = (e.n, e.m);
        out.iter_mut().for_each(|v| *v = 0.0);
        if j < n {
            out.copy_from_slice(e.zone(j));
        } else if j == n {
            out.copy_from_slice(self.own);
        } else if j == n + 1 {
            let range = if e.input { 0..m } else { m..m + e.s };
            for i in range {
                out[i] = -self.own[i];
            }
        } else if j < n + 2 + m {
            out[j - n - 2] = 1.0;
        } else {
            out[j - n - 2] = -1.0;
        }
    }

    /// Recomputes the basis inverse from the basis columns and the basic values from it.
    fn refactor(&mut self) {
        let r = self.e.rows;
        // [B | I] → [I | B⁻¹] by Gauss–Jordan with partial pivoting.
        let mut a = vec![0.0; r * r];
        let mut col = vec![0.0; r];
        for (c, &j) in self.basis.iter().enumerate() {
            self.column(j, &mut col);
            for i in 0..r {
                a[i * r + c] = col[i];
            }
        }
        let mut inv = vec![0.0; r * r];
        for i in 0..r {
            inv[i * r + i] = 1.0;
        }
        // Basis positions follow the pivot rows: column c of B is pivoted in row p(c).
        let mut row_of_col = vec![0usize; r];
        let mut used = vec![false; r];
        for c in 0..r {
            let p = (0..r)
                .filter(|&i| !used[i])
                .max_by(|&i, &k| a[i * r + c].abs().total_cmp(&a[k * r + c].abs()))
                .expect("a free row");
            used[p] = true;
            row_of_col[c] = p;
            let piv = a[p * r + c];
            for k in 0..r {
                a[p * r + k] /= piv;
                inv[p * r + k] /= piv;
            }
            for i in 0..r {
                if i != p {
                    let f = a[i * r + c];
                    if f != 0.0 {
                        for k in 0..r {
                            a[i * r + k] -= f * a[p * r + k];
                            inv[i * r + k] -= f * inv[p * r + k];
                        }
                    }
                }
            }
        }
        // Row p of `inv` belongs to basis column c: reorder so that row c is B⁻¹'s row c.
        let mut binv = vec![0.0; r * r];
        for c in 0..r {
            let p = row_of_col[c];
            binv[c * r..(c + 1) * r].copy_from_slice(&inv[p * r..(p + 1) * r]);
        }
        self.binv = binv;
        self.pos.iter_mut().for_each(|p| *p = None);
        for (i, &j) in self.basis.iter().enumerate() {
            self.pos[j] = Some(i);
        }
        for i in 0..r {
            let row = &self.binv[i * r..(i + 1) * r];
            self.xb[i] = row.iter().zip(&self.b).map(|(a, b)| a * b).sum();
        }
        self.pivots = 0;
    }

    /// Simplex prices yᵀ = c_Bᵀ B⁻¹.
    fn prices(&self, cost: &[f64]) -> Vec<f64> {
        let r = self.e.rows;
        let mut y = vec![0.0; r];
        for (i, &j) in self.basis.iter().enumerate() {
            let c = cost[j];
            if c != 0.0 {
                for (yk, bk) in y.iter_mut().zip(&self.binv[i * r..(i + 1) * r]) {
                    *yk += c * bk;
                }
            }
        }
        y
    }

    /// Reduced cost c_j − yᵀ a_j.
    fn reduced(&self, j: usize, cost: &[f64], y: &[f64]) -> f64 {
        let e = self.e;
        let (n, m) = (e.n, e.m);
        if j < n {
            cost[j] - dot(y, e.zone(j))
        } else if j == n {
            cost[j] - dot(y, self.own)
        } else if j == n + 1 {
            let range = if e.input { 0..m } else { m..m + e.s };
            cost[j] + range.map(|i| y[i] * self.own[i]).sum::<f64>()
        } else if j < n + 2 + m {
            cost[j] - y[j - n - 2]
        } else {
            cost[j] + y[j - n - 2]
        }
    }

    /// Runs the simplex on `cost` (minimised) from the current feasible basis; only
    /// `eligible` columns may enter.
    fn optimise(&mut self, cost: &[f64], eligible: Option<&[bool]>) -> Result<(), String> {
        let r = self.e.rows;
        let limit = 50 * (self.vars + r) + 1000;
        let mut degenerate = 0usize;
        let mut w = vec![0.0; r];
        let mut fresh = true;
        for _ in 0..limit {
            let y = self.prices(cost);
            let bland = degenerate >= DEGENERATE_SWITCH;
            let mut enter: Option<(usize, f64)> = None;
            for j in 0..self.vars {
                if self.pos[j].is_some() || eligible.is_some_and(|el| !el[j]) {
                    continue;
                }
                let d = self.reduced(j, cost, &y);
                if d < -TOL_D {
                    if bland {
                        enter = Some((j, d));
                        break;
                    }
                    if enter.is_none_or(|(_, best)| d < best) {
                        enter = Some((j, d));
                    }
                }
            }
            let Some((q, _)) = enter else {
                if fresh {
                    return Ok(());
                }
                // Optimal on an updated inverse: confirm on a fresh one.
                self.refactor();
                fresh = true;
                continue;
            };
            let mut a = vec![0.0; r];
            self.column(q, &mut a);
            for (i, wi) in w.iter_mut().enumerate() {
                *wi = dot(&self.binv[i * r..(i + 1) * r], &a);
            }
            // Ratio test; ties by the larger pivot (Dantzig) or the smaller variable (Bland).
            let mut leave: Option<(usize, f64)> = None;
            for i in 0..r {
                if w[i] > TOL_P {
                    let t = self.xb[i].max(0.0) / w[i];
                    let better = match leave {
                        None => true,
                        Some((l, tl)) => {
                            if t < tl - 1e-14 {
                                true
                            } else if t <= tl + 1e-14 {
                                if bland {
                                    self.basis[i] < self.basis[l]
                                } else {
                                    w[i] > w[l]
                                }
                            } else {
                                false
                            }
                        }
                    };
                    if better {
                        leave = Some((i, t));
                    }
                }
            }
            let Some((p, t)) = leave else {
                return Err("unbounded".to_string());
            };
            if t <= 1e-14 {
                degenerate += 1;
            } else {
                degenerate = 0;
            }
            for i in 0..r {
                if i != p {
                    self.xb[i] -= t * w[i];
                }
            }
            self.xb[p] = t;
            let piv = w[p];
            for k in 0..r {
                self.binv[p * r + k] /= piv;
            }
            for i in 0..r {
                if i != p && w[i] != 0.0 {
                    let f = w[i];
                    for k in 0..r {
                        self.binv[i * r + k] -= f * self.binv[p * r + k];
                    }
                }
            }
            self.pos[self.basis[p]] = None;
            self.basis[p] = q;
            self.pos[q] = Some(p);
            self.pivots += 1;
            fresh = false;
            if self.pivots >= REFACTOR {
                self.refactor();
                fresh = true;
            }
        }
        Err("iteration limit reached".to_string())
    }
}

/// Dot product with four accumulators (the same order on every run).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}
