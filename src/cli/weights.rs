//! `zoneval weights`: the weight tree of a system — local and global weights of every
//! criterion and indicator, the AHP judgement matrices with their consistency — under a
//! weight scenario (`--weight`, `--ahp`) if given. Subjective weightings (expert, equal, AHP)
//! need no data, so none is read; a data-driven weighting (entropy, CRITIC, …) evaluates.

use clap::Args;
use serde_json::json;

use super::{Inputs, Outcome};
use zoneval_core::error::{Lang, Result};
use zoneval_core::system::IndicatorSystem;
use zoneval_report::{num_short, t, table::layout};

/// Arguments of `weights`.
#[derive(Debug, Clone, Args)]
pub struct WeightsArgs {
    /// System, data and method choices.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Global weight of every node (the sum of its leaves' final weights) and local weight (its
/// share of its parent's global weight; None under a parent of weight 0).
fn node_weights(sys: &IndicatorSystem, leaf: &[f64]) -> (Vec<f64>, Vec<Option<f64>>) {
    let n = sys.nodes.len();
    let mut global = vec![0.0; n];
    // Children come after their parent: summing from the end fills every node.
    for k in (0..n).rev() {
        global[k] = match sys.nodes[k].indicator {
            Some(j) => leaf[j],
            None => sys.nodes[k].children.iter().map(|&c| global[c]).sum(),
        };
    }
    let local = (0..n)
        .map(|k| match sys.nodes[k].parent {
            None => Some(1.0),
            Some(p) if global[p] > 0.0 => Some(global[k] / global[p]),
            Some(_) => None,
        })
        .collect();
    (global, local)
}

/// A judgement as written: an integer, or `1/k` for the reciprocal of one.
fn judgement(x: f64) -> String {
    let r = 1.0 / x;
    if x < 1.0 && (r - r.round()).abs() < 1e-9 {
        format!("1/{}", r.round())
    } else {
        num_short(x)
    }
}

/// Runs `weights`.
pub fn run(args: &WeightsArgs, lang: Lang) -> Result<Outcome> {
    let run = args.inputs.to_run(&[]);
    let (sys, weighting, out, warnings) = zoneval_core::run::weights(&run)?;
    super::protect(&zoneval_core::bundled::Source::system(&run.system_path()));
    let (global, local) = node_weights(&sys, &out.weights);
    let judged: Vec<usize> = (0..sys.tree.nodes.len())
        .filter(|&k| sys.tree.nodes[k].ahp.is_some())
        .collect();
    let children = |k: usize| -> Vec<String> {
        sys.nodes[k]
            .children
            .iter()
            .map(|&c| sys.nodes[c].id.clone())
            .collect()
    };
    if args.json {
        let v = json!({
            "system": sys.id,
            "weighting": weighting,
            "weights": sys.indicators.iter().zip(&out.weights).map(|(i, w)| json!({"id": i.id, "weight": w})).collect::<Vec<_>>(),
            "consistency": out.consistency,
            "tree": (1..sys.nodes.len()).map(|k| {
                let n = &sys.nodes[k];
                json!({
                    "id": n.id,
                    "name": n.name,
                    "parent": n.parent.filter(|&p| p > 0).map(|p| sys.nodes[p].id.clone()),
                    "indicator": n.indicator.is_some(),
                    "local": local[k],
                    "global": global[k],
                })
            }).collect::<Vec<_>>(),
            "ahp": judged.iter().map(|&k| json!({
                "node": sys.nodes[k].id,
                "children": children(k),
                "matrix": sys.tree.nodes[k].ahp,
            })).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
        s.push('\n');
        return Ok(Outcome {
            stdout: s,
            warnings,
        });
    }
    let header = vec![
        t(lang, "Criterion / indicator", "准则 / 指标").to_string(),
        "id".into(),
        t(lang, "Local", "局部权重").into(),
        t(lang, "Global", "全局权重").into(),
    ];
    let rows: Vec<Vec<String>> = (1..sys.nodes.len())
        .map(|k| {
            let n = &sys.nodes[k];
            let name = match (lang, &n.name_en) {
                (Lang::En, Some(e)) => e.clone(),
                _ => n.name.clone(),
            };
            vec![
                format!("{}{name}", "  ".repeat(n.depth.saturating_sub(1))),
                n.id.clone(),
                local[k].map_or_else(|| "—".into(), |x| format!("{x:.4}")),
                format!("{:.4}", global[k]),
            ]
        })
        .collect();
    let mut text = format!("{} — {weighting}\n\n", sys.display_name(lang));
    text.push_str(&layout(&header, &rows));
    if !out.table.is_empty() {
        text.push('\n');
        let mut h = vec![t(lang, "Indicator", "指标").to_string()];
        h.extend(out.table.iter().map(|c| match lang {
            Lang::En => c.en.to_string(),
            Lang::Zh => c.zh.to_string(),
        }));
        let r: Vec<Vec<String>> = sys
            .indicators
            .iter()
            .enumerate()
            .map(|(j, i)| {
                let mut row = vec![i.id.clone()];
                row.extend(out.table.iter().map(|c| format!("{:.4}", c.values[j])));
                row
            })
            .collect();
        text.push_str(&layout(&h, &r));
    }
    for &k in &judged {
        let m = sys.tree.nodes[k].ahp.as_ref().expect("judged");
        let node = if k == 0 {
            sys.id.clone()
        } else {
            sys.nodes[k].id.clone()
        };
        let cr = out
            .consistency
            .iter()
            .find(|c| c.node == node)
            .map(|c| format!("  CR = {:.4}, λmax = {:.4}", c.cr, c.lambda_max))
            .unwrap_or_default();
        text.push_str(&format!(
            "\n{} `{node}`{cr}\n",
            t(lang, "AHP judgements of", "AHP 判断矩阵：")
        ));
        let ids = children(k);
        let mut h = vec![String::new()];
        h.extend(ids.iter().cloned());
        let r: Vec<Vec<String>> = m
            .iter()
            .zip(&ids)
            .map(|(row, id)| {
                let mut v = vec![id.clone()];
                v.extend(row.iter().map(|&x| judgement(x)));
                v
            })
            .collect();
        text.push_str(&layout(&h, &r));
    }
    if !out.consistency.is_empty() {
        text.push('\n');
        let ch = vec![
            t(lang, "Node", "节点").to_string(),
            "λmax".into(),
            "CI".into(),
            "CR".into(),
        ];
        let cr: Vec<Vec<String>> = out
            .consistency
            .iter()
            .map(|c| {
                vec![
                    c.node.clone(),
                    format!("{:.4}", c.lambda_max),
                    format!("{:.4}", c.ci),
                    format!("{:.4}", c.cr),
                ]
            })
            .collect();
        text.push_str(&layout(&ch, &cr));
    }
    Ok(Outcome {
        stdout: text,
        warnings,
    })
}
