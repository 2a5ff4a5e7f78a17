//! The evaluation as a function of its weights: everything before weighting is fixed (the
//! normalised matrix is computed once), so a weight vector costs one matrix-vector product
//! (linear aggregations, TOPSIS) or one aggregation call (the others).

use crate::error::{Error, Result};
use crate::evaluation::{Evaluation, rank};
use crate::method::aggregate::{AggInput, BatchKernel, LinearKernel};
use crate::method::{CellError, Matrix};
use crate::system::IndicatorSystem;
use crate::text;

/// A group of leaf indicators whose weight is varied together (a top-level criterion, or a
/// single indicator).
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// Criterion or indicator id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The leaf indicators it scales.
    pub leaves: Vec<usize>,
}

/// Which weights are the factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorKind {
    /// The top-level criteria (every leaf indicator for a flat system).
    Criteria,
    /// Every leaf indicator.
    Indicators,
}

/// The factors of a system.
pub fn factors(sys: &IndicatorSystem, kind: FactorKind) -> Vec<Factor> {
    let root = &sys.nodes[0];
    let top_are_criteria = root
        .children
        .iter()
        .all(|&c| sys.nodes[c].indicator.is_none());
    if kind == FactorKind::Criteria && top_are_criteria {
        root.children
            .iter()
            .map(|&c| Factor {
                id: sys.nodes[c].id.clone(),
                name: sys.nodes[c].name.clone(),
                leaves: sys.tree.leaves_under(c),
            })
            .collect()
    } else {
        sys.indicators
            .iter()
            .enumerate()
            .map(|(j, i)| Factor {
                id: i.id.clone(),
                name: i.name.clone(),
                leaves: vec![j],
            })
            .collect()
    }
}

/// Scales each factor's leaves by `mult[f]` and renormalises: the weights of one sample.
pub fn scaled_weights(base: &[f64], factors: &[Factor], mult: &[f64], out: &mut [f64]) {
    out.copy_from_slice(base);
    for (f, &k) in factors.iter().zip(mult) {
        for &l in &f.leaves {
            out[l] = base[l] * k;
        }
    }
    let s: f64 = out.iter().sum();
    if s > 0.0 {
        out.iter_mut().for_each(|x| *x /= s);
    }
}

enum Kernel {
    Batch(Box<dyn BatchKernel>),
    Generic,
}

/// An evaluation viewed as a function of the leaf weights.
pub struct Model<'a> {
    /// The base evaluation.
    pub ev: &'a Evaluation,
    kernel: Kernel,
    /// The base leaf weights.
    pub base_weights: Vec<f64>,
    /// Which way values sort.
    pub higher_is_better: bool,
    /// Ordinal base ranks (1 = best, ties to the earlier zone), per ranked zone.
    pub base_ranks: Vec<u32>,
}

impl<'a> Model<'a> {
    /// Builds the model of `ev`, choosing the fastest exact kernel its aggregation allows.
    pub fn new(ev: &'a Evaluation) -> Result<Model<'a>> {
        let agg = &ev.methods().aggregation;
        if !agg.capabilities().uses_weights {
            let name = &ev.methods().aggregation_name;
            return Err(Error::usage(text!(
                "`{name}` does not use the weights, so an analysis over the weights (one-at-a-time, stability, Monte Carlo, Sobol) would show nothing; use an aggregation that weighs the indicators",
                "`{name}` 不使用权重，针对权重的敏感性分析（单因素、稳定性、蒙特卡洛、Sobol）没有意义；请使用依赖权重的集成方法"
            )));
        }
        let sys = ev.system();
        let gp = sys.method.goalposts;
        if gp.comparable() && ev.panel().is_some() && !agg.capabilities().row_wise {
            let (name, g) = (&ev.methods().aggregation_name, gp.name());
            return Err(Error::usage(text!(
                "sensitivity analyses re-evaluate the selected year's zones, but with goalposts = \"{g}\" `{name}` takes its reference points from every year of the panel; use a row-wise aggregation (weighted-sum, weighted-product, coupling-coordination) or goalposts = \"per-year\" for this analysis",
                "敏感性分析仅重算所选年份的开发区，而在 goalposts = \"{g}\" 下 `{name}` 的参照点取自面板全部年份；请改用逐行集成方法（weighted-sum、weighted-product、coupling-coordination），或在此分析中使用 goalposts = \"per-year\""
            )));
        }
        if !sys.adjustments.is_empty() {
            return Err(Error::usage(text!(
                "sensitivity analyses rank zones by the method's value, but this system adds bonus and deduction points (`[[adjustments]]`) after aggregation, which they do not model; analyse a copy of the system without them",
                "敏感性分析按方法值排名，而该体系在集成后另加加减分（`[[adjustments]]`），分析中不含此项；请对去掉加减分项的体系副本进行分析"
            )));
        }
        let input = ev_input(ev, &ev.weights().weights, None);
        let kernel = if ev.zone_weights().is_some() {
            Kernel::Generic
        } else if agg.linear_in_weights() {
            // F_j = the value with all weight on indicator j.
            let (m, n) = (ev.normalized().rows(), ev.normalized().cols());
            let mut f = Matrix::zeros(m, n);
            let mut e = vec![0.0; n];
            for j in 0..n {
                e.iter_mut().for_each(|x| *x = 0.0);
                e[j] = 1.0;
                let out = agg
                    .aggregate(&ev_input(ev, &e, None), &mut Vec::new())
                    .map_err(method_error)?;
                f.col_mut(j).copy_from_slice(&out.value);
            }
            Kernel::Batch(Box::new(LinearKernel { f }))
        } else {
            match agg.batch_kernel(&input) {
                Some(k) => Kernel::Batch(k),
                None => Kernel::Generic,
            }
        };
        let higher_is_better = agg.higher_is_better();
        let base_ranks = rank::ordinal_ranks(&ev.aggregated().value, higher_is_better)
            .into_iter()
            .map(|r| r as u32)
            .collect();
        Ok(Model {
            ev,
            kernel,
            base_weights: ev.weights().weights.clone(),
            higher_is_better,
            base_ranks,
        })
    }

    /// Number of ranked zones.
    pub fn zones(&self) -> usize {
        self.ev.normalized().rows()
    }

    /// Number of leaf indicators.
    pub fn indicators(&self) -> usize {
        self.base_weights.len()
    }

    /// True when the value is linear in the weights (exact stability intervals).
    pub fn is_linear(&self) -> bool {
        self.ev.zone_weights().is_none() && self.ev.methods().aggregation.linear_in_weights()
    }

    /// Values of `samples` weight vectors (row-major in `weights`), sample-major into `out`
    /// (`out[s * zones + i]`).
    pub fn values(&self, weights: &[f64], samples: usize, out: &mut [f64]) -> Result<()> {
        match &self.kernel {
            Kernel::Batch(k) => {
                k.values(weights, samples, out);
                Ok(())
            }
            Kernel::Generic => {
                let n = self.indicators();
                let m = self.zones();
                for s in 0..samples {
                    let w = &weights[s * n..(s + 1) * n];
                    let zw = self
                        .ev
                        .zone_weights()
                        .as_ref()
                        .map(|_| zone_weights_for(self.ev, w));
                    let input = ev_input(self.ev, w, zw.as_ref());
                    let v = self
                        .ev
                        .methods()
                        .aggregation
                        .aggregate(&input, &mut Vec::new())
                        .map_err(method_error)?;
                    out[s * m..(s + 1) * m].copy_from_slice(&v.value);
                }
                Ok(())
            }
        }
    }

    /// Display scores (0..scale) of one value vector.
    pub fn scores(&self, values: &[f64]) -> Vec<f64> {
        let scale = self.ev.system().scale;
        self.ev
            .methods()
            .aggregation
            .unit_score(values)
            .into_iter()
            .map(|u| u * scale)
            .collect()
    }
}

fn ev_input<'e>(ev: &'e Evaluation, w: &'e [f64], zw: Option<&'e Matrix>) -> AggInput<'e> {
    AggInput {
        normalized: ev.normalized(),
        values: ev.values(),
        cost: ev.cost(),
        weights: w,
        preferences: ev.preferences(),
        zone_weights: zw,
        tree: Some(&ev.system().tree),
    }
}

fn zone_weights_for(ev: &Evaluation, w: &[f64]) -> Matrix {
    let prep = &ev.prepared();
    let app = prep
        .applicable
        .as_ref()
        .expect("zone weights come from applicability");
    crate::evaluation::zone_weights(prep.system.as_ref(), w, app, ev.ranked())
}

fn method_error(e: CellError) -> Error {
    let (en, zh) = (&e.message.en, &e.message.zh);
    Error::failure(text!(
        "aggregation failed during sensitivity analysis: {en}",
        "敏感性分析中集成计算失败：{zh}"
    ))
}
