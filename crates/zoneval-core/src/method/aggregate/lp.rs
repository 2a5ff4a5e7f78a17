//! The small linear programmes of benefit of the doubt, on microlp (a pure-Rust simplex
//! solver), with its failures turned into located method errors. DEA has its own dense simplex
//! (`dea/simplex.rs`); its tests check it against this one.

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

use crate::method::CellError;
use crate::text;

/// A linear programme under construction: variables ≥ 0 unless bounded otherwise.
pub(crate) struct Lp {
    problem: Problem,
    vars: Vec<Variable>,
}

/// Constraint sense.
#[derive(Clone, Copy)]
pub(crate) enum Sense {
    /// ≤
    Le,
    /// = (DEA's envelopment LP in the tests, where this solver checks DEA's own simplex)
    #[cfg_attr(not(test), allow(dead_code))]
    Eq,
}

impl Lp {
    /// A programme maximising (`maximize`) or minimising its objective.
    pub fn new(maximize: bool) -> Lp {
        let dir = if maximize {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        };
        Lp {
            problem: Problem::new(dir),
            vars: Vec::new(),
        }
    }

    /// Adds a variable with objective coefficient `c` and bounds; returns its index.
    pub fn var(&mut self, c: f64, lo: f64, hi: f64) -> usize {
        self.vars.push(self.problem.add_var(c, (lo, hi)));
        self.vars.len() - 1
    }

    /// Adds Σ coef·x_var (sense) rhs; zero coefficients are dropped.
    pub fn constraint(&mut self, terms: &[(usize, f64)], sense: Sense, rhs: f64) {
        let t: Vec<(Variable, f64)> = terms
            .iter()
            .filter(|(_, c)| *c != 0.0)
            .map(|&(v, c)| (self.vars[v], c))
            .collect();
        let op = match sense {
            Sense::Le => ComparisonOp::Le,
            Sense::Eq => ComparisonOp::Eq,
        };
        self.problem.add_constraint(t.as_slice(), op, rhs);
    }

    /// Solves; returns the objective and every variable's value. `row` locates a failure.
    pub fn solve(&self, row: usize) -> Result<(f64, Vec<f64>), CellError> {
        let fail = |why: String| {
            CellError::at_row(
                row,
                text!(
                    "the linear programme of this zone could not be solved ({why})",
                    "该开发区的线性规划无法求解（{why}）"
                ),
            )
        };
        // The tightest feasibility tolerance microlp allows (default 1e-7): DEA's θ moves with
        // it, and the results must agree to 1e-9 whatever the order of the zones.
        let mut opts = SolveOptions::default();
        opts.tolerances.feasibility = 1e-10;
        let outcome = self
            .problem
            .solve_with(opts)
            .map_err(|e| fail(e.to_string()))?;
        let sol = outcome
            .into_solution()
            .map_err(|_| fail("interrupted".to_string()))?;
        let x = self.vars.iter().map(|&v| sol.var_value(v)).collect();
        Ok((sol.objective(), x))
    }
}
