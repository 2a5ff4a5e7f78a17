//! `zoneval weights`: the final weights of a system, with AHP consistency.

use clap::Args;

use super::{Inputs, Outcome};
use zoneval_core::error::{Lang, Result};
use zoneval_report::{t, table::layout};

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

/// Runs `weights`: objective weightings need the data, so this evaluates and reports the
/// weighting stage.
pub fn run(args: &WeightsArgs, lang: Lang) -> Result<Outcome> {
    let ev = super::evaluate::evaluate_inputs(&args.inputs, &[])?;
    let sys = ev.system();
    if args.json {
        let v = serde_json::json!({
            "system": sys.id,
            "weighting": ev.methods().weighting_name,
            "weights": sys.indicators.iter().zip(&ev.weights().weights).map(|(i, w)| serde_json::json!({"id": i.id, "weight": w})).collect::<Vec<_>>(),
            "consistency": ev.weights().consistency,
        });
        let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
        s.push('\n');
        return Ok(Outcome {
            stdout: s,
            warnings: ev.warnings().to_vec(),
        });
    }
    let mut header = vec![
        t(lang, "Indicator", "指标").to_string(),
        "id".into(),
        t(lang, "Path", "路径").into(),
        t(lang, "Weight", "权重").into(),
    ];
    for tab in &ev.weights().table {
        header.push(match lang {
            Lang::En => tab.en.to_string(),
            Lang::Zh => tab.zh.to_string(),
        });
    }
    let rows: Vec<Vec<String>> = sys
        .indicators
        .iter()
        .enumerate()
        .map(|(j, i)| {
            let mut path = Vec::new();
            let mut k = sys.nodes[i.node].parent;
            while let Some(n) = k {
                if sys.nodes[n].parent.is_some() {
                    path.push(sys.nodes[n].id.clone());
                }
                k = sys.nodes[n].parent;
            }
            path.reverse();
            let mut row = vec![
                i.display_name(lang).to_string(),
                i.id.clone(),
                path.join(" / "),
                format!("{:.4}", ev.weights().weights[j]),
            ];
            for tab in &ev.weights().table {
                row.push(format!("{:.4}", tab.values[j]));
            }
            row
        })
        .collect();
    let mut out = format!(
        "{} — {}\n\n",
        sys.display_name(lang),
        ev.methods().weighting_name
    );
    out.push_str(&layout(&header, &rows));
    if !ev.weights().consistency.is_empty() {
        out.push('\n');
        let ch = vec![
            t(lang, "Node", "节点").to_string(),
            "λmax".into(),
            "CI".into(),
            "CR".into(),
        ];
        let cr: Vec<Vec<String>> = ev
            .weights()
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
        out.push_str(&layout(&ch, &cr));
    }
    Ok(Outcome {
        stdout: out,
        warnings: ev.warnings().to_vec(),
    })
}
