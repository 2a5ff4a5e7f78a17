//! Combined weights: the system's subjective weights (expert weights and AHP judgements)
//! synthesised with an objective weighting of the data.
//!
//! Multiplicative synthesis (乘法合成归一化) keeps an indicator important only when both the
//! experts and the data say so; the linear form α·s + (1 − α)·o is the other common choice.

use super::ahp::AhpMethod;
use super::{Capabilities, REGISTRY, Weigh, WeightInput, WeightOutput};
use crate::error::{Problem, Text};
use crate::method::{
    CellError, Entry, MethodInfo, MethodKind, NamedColumn, ParamInfo, Params, build,
};
use crate::text;

/// The objective weightings `combined` may use.
const OBJECTIVES: [&str; 4] = ["entropy", "critic", "std-dev", "cv"];

/// How the two weight vectors are synthesised.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// w_j = s_j o_j / Σ s_k o_k.
    Multiplicative,
    /// w_j = α s_j + (1 − α) o_j.
    Linear(f64),
}

/// `combined`: subjective (tree) weights × an objective weighting.
#[derive(Debug)]
pub struct Combined {
    objective: Box<dyn Weigh>,
    mode: Mode,
}

/// Registry entry.
pub const ENTRY: Entry<dyn Weigh> = Entry {
    info: MethodInfo {
        name: "combined",
        title: "Combined subjective × objective weights",
        title_zh: "主客观组合赋权（乘法合成归一化）",
        formula: "multiplicative: w_j = s_j o_j / Σ_k s_k o_k;  linear: w_j = α s_j + (1 − α) o_j",
        conventions: "s = the subjective global weights of the tree (written weights, with the \
            principal eigenvector where a node has AHP judgements; its consistency is reported); \
            o = the objective weighting named by `objective` (entropy, critic, std-dev or cv, with \
            their default parameters). Both sum to 1, so the linear form needs no further \
            division; the multiplicative form is divided by Σ s_k o_k, and is an error when no \
            indicator has both weights positive. `alpha` applies only to `mode = \"linear\"`. \
            Tables: `subjective` (s_j), `objective` (o_j), then the objective weighting's own tables.",
        reference: "Hwang & Yoon (1981) Multiple Attribute Decision Making, Springer, §2.3 (entropy \
            weights combined with a priori weights: w_j = λ_j w_j / Σ λ_k w_k); Ma, Fan & Huang (1999) \
            EJOR 112, 397–404 (subjective and objective integrated weights); worked example: Zavadskas & \
            Podvezko (2016) IJITDM 15(2), 267–283 (IDOCRIW: entropy × CILOS weights, normalised).",
        params: &[
            ParamInfo {
                name: "objective",
                default: "\"entropy\"",
                doc: "\"entropy\" | \"critic\" | \"std-dev\" | \"cv\"",
            },
            ParamInfo {
                name: "mode",
                default: "\"multiplicative\"",
                doc: "\"multiplicative\" | \"linear\"",
            },
            ParamInfo {
                name: "alpha",
                default: "0.5",
                doc: "share of the subjective weights in `mode = \"linear\"`, in [0, 1]",
            },
        ],
    },
    caps: Capabilities {
        subjective: false,
        written_weights: true,
        judgements: false,
    },
    build: |p| {
        let name = p.choice("objective", &OBJECTIVES, "entropy")?;
        let objective = build(REGISTRY, MethodKind::Weighting, &Params::named(name))?;
        let mode = match p.choice("mode", &["multiplicative", "linear"], "multiplicative")? {
            "linear" => Mode::Linear(p.num_in("alpha", 0.5, 0.0, 1.0)?),
            _ => {
                if let Some(a) = p.get("alpha") {
                    return Err(Problem::at(
                        a.location.clone(),
                        text!(
                            "`alpha` applies only to `mode = \"linear\"`",
                            "`alpha` 仅用于 `mode = \"linear\"`"
                        ),
                    ));
                }
                Mode::Multiplicative
            }
        };
        Ok(Box::new(Combined { objective, mode }))
    },
};

impl Weigh for Combined {
    fn weigh(
        &self,
        input: &WeightInput<'_>,
        notes: &mut Vec<Text>,
    ) -> Result<WeightOutput, CellError> {
        let (subjective, consistency) = input.tree.global(AhpMethod::Eigenvector)?;
        let obj = self.objective.weigh(input, notes)?;
        let objective = obj.weights;
        let weights: Vec<f64> = match self.mode {
            Mode::Linear(a) => subjective
                .iter()
                .zip(&objective)
                .map(|(s, o)| a * s + (1.0 - a) * o)
                .collect(),
            Mode::Multiplicative => {
                let mut w: Vec<f64> = subjective
                    .iter()
                    .zip(&objective)
                    .map(|(s, o)| s * o)
                    .collect();
                let total: f64 = w.iter().sum();
                if total.is_nan() || total <= 0.0 {
                    return Err(CellError::general(text!(
                        "no indicator has both a positive subjective and a positive objective weight",
                        "没有指标同时具有正的主观权重和正的客观权重"
                    )));
                }
                w.iter_mut().for_each(|x| *x /= total);
                w
            }
        };
        let mut table = vec![
            NamedColumn {
                key: "subjective".into(),
                en: "subjective weight".into(),
                zh: "主观权重".into(),
                values: subjective,
            },
            NamedColumn {
                key: "objective".into(),
                en: "objective weight".into(),
                zh: "客观权重".into(),
                values: objective,
            },
        ];
        table.extend(obj.table);
        Ok(WeightOutput {
            weights,
            consistency,
            table,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::weight::WeightTree;
    use crate::method::weight::testing::{assert_close, input_for};
    use crate::method::{Matrix, ParamValue};

    fn params(pairs: &[(&str, ParamValue)]) -> Params {
        pairs
            .iter()
            .fold(Params::named("combined"), |p, (k, v)| p.with(k, v.clone()))
    }

    /// The `objective` choices are exactly the registered objective weightings, in registry
    /// order: a new objective weighting cannot be forgotten here.
    #[test]
    fn objectives_are_the_objective_weightings() {
        let objective: Vec<&str> = REGISTRY
            .iter()
            .filter(|e| e.caps == Capabilities::OBJECTIVE)
            .map(|e| e.info.name)
            .collect();
        assert_eq!(objective, OBJECTIVES);
    }

    /// Subjective (1, 3) → s = (0.25, 0.75). Objective `cv`: column a = (1, 2, 3) has v = ½;
    /// column b = (2, 2, 6): mean 10/3, s = √(16/3), v = √(16/3)·3/10 = 0.692820, so
    /// o = (0.419160, 0.580840). Multiplicative: s·o / Σ s·o; linear (α = 0.3): 0.3 s + 0.7 o.
    #[test]
    fn multiplicative_and_linear_by_hand() {
        let raw = Matrix::from_rows(&[vec![1.0, 2.0], vec![2.0, 2.0], vec![3.0, 6.0]]);
        let tree = WeightTree::flat(&["a", "b"], Some(&[1.0, 3.0]), None);
        let input = input_for(&raw, &raw, &tree);
        let v = [0.5, (16.0f64 / 3.0).sqrt() * 0.3];
        let o = [v[0] / (v[0] + v[1]), v[1] / (v[0] + v[1])];
        let s = [0.25, 0.75];

        let p = params(&[("objective", ParamValue::Str("cv".into()))]);
        let out = (ENTRY.build)(&p)
            .unwrap()
            .weigh(&input, &mut Vec::new())
            .unwrap();
        let prod = [s[0] * o[0], s[1] * o[1]];
        let t = prod[0] + prod[1];
        assert_close(&out.weights, &[prod[0] / t, prod[1] / t], 1e-15);
        assert_close(&out.table[0].values, &s, 1e-15);
        assert_close(&out.table[1].values, &o, 1e-15);
        assert_eq!(out.table[2].key, "cv");

        let p = params(&[
            ("objective", ParamValue::Str("cv".into())),
            ("mode", ParamValue::Str("linear".into())),
            ("alpha", ParamValue::Num(0.3)),
        ]);
        let out = (ENTRY.build)(&p)
            .unwrap()
            .weigh(&input, &mut Vec::new())
            .unwrap();
        assert_close(
            &out.weights,
            &[0.3 * s[0] + 0.7 * o[0], 0.3 * s[1] + 0.7 * o[1]],
            1e-15,
        );
    }

    #[test]
    fn bad_parameters_are_rejected() {
        let bad = [
            params(&[("objective", ParamValue::Str("ahp".into()))]),
            params(&[("mode", ParamValue::Str("additive".into()))]),
            params(&[("alpha", ParamValue::Num(0.5))]),
            params(&[
                ("mode", ParamValue::Str("linear".into())),
                ("alpha", ParamValue::Num(1.5)),
            ]),
        ];
        for p in &bad {
            assert!((ENTRY.build)(p).is_err(), "{p:?}");
        }
    }

    /// Subjective weight only where the data are constant: nothing is left to synthesise.
    #[test]
    fn disjoint_supports_are_an_error() {
        let raw = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 2.0]]);
        let tree = WeightTree::flat(&["a", "b"], Some(&[0.0, 1.0]), None);
        let input = input_for(&raw, &raw, &tree);
        let w = (ENTRY.build)(&Params::named("combined")).unwrap();
        assert!(w.weigh(&input, &mut Vec::new()).is_err());
    }

    #[test]
    fn missing_subjective_weights_are_an_error() {
        let raw = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 1.0]]);
        let tree = WeightTree::flat(&["a", "b"], None, None);
        let input = input_for(&raw, &raw, &tree);
        let w = (ENTRY.build)(&Params::named("combined")).unwrap();
        assert!(w.weigh(&input, &mut Vec::new()).is_err());
    }
}
