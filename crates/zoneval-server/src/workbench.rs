//! The loaded inputs of a workbench and the evaluation of one scenario over them.
//!
//! The system file's text and the zone table are read once, at start; a scenario is the
//! system text with its weights and methods edited ([`crate::scenario`]), loaded and checked
//! by the same loader as `zoneval evaluate`, then evaluated on the cached table. Going through
//! the TOML makes `/api/evaluate` and `/api/scenario` agree by construction, and both agree
//! with the CLI on the file `/api/scenario` returns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use zoneval_core::bundled::Source;
use zoneval_core::data::ZoneTable;
use zoneval_core::error::{Lang, Result};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::provenance::Provenance;
use zoneval_core::run::ReadOptions;
use zoneval_core::system::{self, IndicatorSystem};
use zoneval_report::{Format, model};

use crate::scenario::{Edited, Scenario};

/// What a workbench serves: one system and one dataset, read at start and never written.
#[derive(Debug)]
pub struct Workbench {
    /// The system file as named (bundled name or path); used in error locations.
    system_file: String,
    /// The system file's text, as read.
    system_text: String,
    /// The directory `[data] path` resolves against.
    base: Option<PathBuf>,
    /// The official system, loaded and checked.
    system: Arc<IndicatorSystem>,
    /// Where the zone data came from.
    data: Source,
    /// Where the system came from (for the provenance).
    system_source: Source,
    /// The data-reading settings given at start (for the provenance).
    read: ReadOptions,
    /// The zone table, shared by every scenario.
    table: Arc<ZoneTable>,
    /// Per node (system order), the official local weight (siblings sum to 1).
    official: Vec<f64>,
    /// The official evaluation's JSON document.
    official_doc: Value,
    /// Language of the page and of messages.
    pub lang: Lang,
}

impl Workbench {
    /// Loads the system (`--system`: a bundled id or a path; default the bundled default
    /// system) and the data (`--data`, else the system's `[data] path`, else the bundled data),
    /// and evaluates the official scenario once.
    pub fn load(system: Option<&Path>, data: Option<&Path>, lang: Lang) -> Result<Workbench> {
        Workbench::load_with(system, data, &ReadOptions::default(), lang)
    }

    /// [`Workbench::load`], reading the data with `read` (sheet, id and name columns, a
    /// column mapping file) in place of the system's `[data]` settings.
    pub fn load_with(
        system: Option<&Path>,
        data: Option<&Path>,
        read: &ReadOptions,
        lang: Lang,
    ) -> Result<Workbench> {
        let sys_arg = system.map_or_else(
            || PathBuf::from(zoneval_core::bundled::DEFAULT_SYSTEM),
            Path::to_path_buf,
        );
        let source = Source::system(&sys_arg);
        let (name, bytes) = source.read()?;
        let mut sys = system::load_file(&sys_arg)?;
        read.apply(&mut sys)?;
        // load_file has already checked the text is UTF-8.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let base = Path::new(&name).parent().map(Path::to_path_buf);
        let data_source = evaluation::data_path(&sys, data);
        let table = evaluation::load_data(&sys, &data_source, None, &[])?;
        let mut wb = Workbench::new(name, text, base, sys, (source, data_source), table, lang)?;
        wb.read = read.clone();
        Ok(wb)
    }

    /// The `evaluate --format json` text of `ev`, the scenario `sc` evaluated: the CLI's
    /// document, provenance included (the scenario's weights and methods as its parameters).
    pub fn document(&self, ev: &Evaluation, sc: &Scenario) -> Result<String> {
        let mut model = model::for_outputs(ev);
        model.provenance = Some(self.provenance(ev, sc)?);
        Ok(zoneval_report::render::to_string(
            Format::Json.renderer(),
            &model,
            self.lang,
        ))
    }

    /// The provenance of the scenario `sc`: the files served, and the parameters the CLI
    /// records (`--year` and the method choices), with the scenario's weights.
    pub fn provenance(&self, ev: &Evaluation, sc: &Scenario) -> Result<Provenance> {
        let name = |v: &Option<Value>| v.clone().unwrap_or(Value::Null);
        let mut p = serde_json::Map::new();
        p.insert("year".into(), json!(sc.year));
        p.insert("encoding".into(), Value::Null);
        p.insert("normalization".into(), name(&sc.method.normalization));
        p.insert("weighting".into(), name(&sc.method.weighting));
        p.insert("aggregation".into(), name(&sc.method.aggregation));
        p.insert("group_by".into(), json!([]));
        let r = &self.read;
        p.insert("sheet".into(), json!(r.sheet));
        p.insert("id_column".into(), json!(r.id_column));
        p.insert("name_column".into(), json!(r.name_column));
        let columns = match &r.columns_file {
            None => Value::Null,
            Some(f) => {
                let src = Source::File(f.clone());
                json!({ "file": src.to_string(), "hash": zoneval_core::provenance::hash_source(&src)? })
            }
        };
        p.insert("columns_file".into(), columns);
        // The workbench evaluates the system's default scope (the CLI's `--scope` unset).
        p.insert("scope".into(), Value::Null);
        let mut prov = Provenance::new(
            &ev.system().id,
            &self.system_source,
            Some(&self.data),
            ev.prepared().year,
            p,
        )?;
        zoneval_core::run::add_weight_parameters(&mut prov, &sc.weights, &Default::default());
        Ok(prov)
    }

    fn new(
        system_file: String,
        system_text: String,
        base: Option<PathBuf>,
        sys: IndicatorSystem,
        sources: (Source, Source),
        table: ZoneTable,
        lang: Lang,
    ) -> Result<Workbench> {
        let mut wb = Workbench {
            system_file,
            system_text,
            base,
            system: Arc::new(sys),
            data: sources.1,
            system_source: sources.0,
            read: ReadOptions::default(),
            table: Arc::new(table),
            official: Vec::new(),
            official_doc: Value::Null,
            lang,
        };
        let ev = wb.run(wb.system.clone(), &Overrides::default(), None)?;
        wb.official_doc = document_value(&ev);
        wb.official = local_weights(&wb.system, &global_weights(&wb.official_doc));
        Ok(wb)
    }

    /// The official system.
    pub fn system(&self) -> &IndicatorSystem {
        &self.system
    }

    /// The official local weight of every node, in system node order.
    pub fn official_weights(&self) -> &[f64] {
        &self.official
    }

    /// The system file's text as read.
    pub fn system_text(&self) -> &str {
        &self.system_text
    }

    /// Where the data came from.
    pub fn data_source(&self) -> &Source {
        &self.data
    }

    /// The zone table.
    pub fn table(&self) -> &ZoneTable {
        &self.table
    }

    /// Evaluates `sc`. A scenario that changes nothing evaluates the loaded system itself, so
    /// its document is byte for byte the CLI's on the original file (warnings included).
    pub fn evaluate(&self, sc: &Scenario) -> std::result::Result<Evaluation, crate::ApiError> {
        let edited = crate::scenario::edit(self, sc)?;
        let sys = match &edited {
            Edited::Unchanged => self.system.clone(),
            Edited::Text(text) => Arc::new(self.load_scenario(text)?),
        };
        Ok(self.run(sys, &Overrides::default(), sc.year)?)
    }

    /// The scenario as a system file to save (with a header saying how to evaluate it).
    pub fn scenario_toml(&self, sc: &Scenario) -> std::result::Result<String, crate::ApiError> {
        // Check it loads, so a scenario the engine refuses is a 400, not a bad file.
        if let Edited::Text(text) = crate::scenario::edit(self, sc)? {
            self.load_scenario(&text)?;
        }
        crate::scenario::scenario_file(self, sc)
    }

    fn load_scenario(&self, text: &str) -> Result<IndicatorSystem> {
        let sys = system::load_str(&self.system_file, text, self.base.as_deref())?;
        Ok(IndicatorSystem {
            bundled: self.system.bundled,
            ..sys
        })
    }

    fn run(
        &self,
        sys: Arc<IndicatorSystem>,
        overrides: &Overrides,
        year: Option<i64>,
    ) -> Result<Evaluation> {
        let methods = Arc::new(Methods::resolve(&sys, overrides)?);
        let prepared = Arc::new(evaluation::prepare(sys, self.table.clone(), year, &[])?);
        evaluation::evaluate(&prepared, &methods, &[])
    }

    /// The compact ranking of `ev` (`/api/ranking`): the evaluate document's per-zone keys
    /// the page draws, as columns in rank order — `id`, `name`, `value`, `score`, `rank`,
    /// `grade` (name), `vetoed`, and `criteria_scores` (per zone, the sub-scores of the
    /// criteria listed in `criteria`, empty for an unranked zone) — with the `year`.
    /// Every entry equals the document's (`tests/serve.rs` checks it).
    pub fn ranking(ev: &Evaluation) -> Value {
        let m = model::for_outputs(ev);
        let num = |x: Option<f64>| x.map_or(Value::Null, |v| json!(v));
        let zs = &m.zones;
        let crit_ids: Vec<&str> = m
            .criteria
            .iter()
            .map(|&k| m.nodes[k].named.id.as_str())
            .collect();
        json!({
            "year": m.year,
            "criteria": crit_ids,
            "id": zs.iter().map(|z| z.id.as_str()).collect::<Vec<_>>(),
            "name": zs.iter().map(|z| z.name.as_str()).collect::<Vec<_>>(),
            "value": zs.iter().map(|z| num(z.value)).collect::<Vec<_>>(),
            "score": zs.iter().map(|z| num(z.score)).collect::<Vec<_>>(),
            "rank": zs.iter().map(|z| z.rank).collect::<Vec<_>>(),
            "grade": zs
                .iter()
                .map(|z| z.grade.and_then(|g| m.grades.get(g)).map(|g| g.name.as_str()))
                .collect::<Vec<_>>(),
            "vetoed": zs.iter().map(|z| z.vetoed).collect::<Vec<_>>(),
            "criteria_scores": zs
                .iter()
                .map(|z| {
                    if z.rank.is_some() {
                        z.criteria.iter().map(|c| num(*c)).collect::<Vec<_>>()
                    } else {
                        Vec::new()
                    }
                })
                .collect::<Vec<_>>(),
        })
    }

    /// The `/api/system` document: the tree with ids, names, official local weights, the
    /// method, grades and years.
    pub fn system_json(&self) -> Value {
        let sys = &self.system;
        fn node(sys: &IndicatorSystem, official: &[f64], i: usize) -> Value {
            let n = &sys.nodes[i];
            let children: Vec<Value> = n.children.iter().map(|&c| node(sys, official, c)).collect();
            let mut o = json!({
                "id": n.id,
                "name": n.name,
                "name_en": n.name_en,
                "weight": official[i],
                "judgements": sys.tree.nodes.get(i).is_some_and(|t| t.ahp.is_some()),
            });
            if let Some(ix) = n.indicator {
                let ind = &sys.indicators[ix];
                o["indicator"] = json!({
                    "unit": ind.unit,
                    "direction": format!("{:?}", ind.direction).to_lowercase(),
                });
            } else {
                o["children"] = Value::Array(children);
            }
            o
        }
        let mut root = node(sys, &self.official, 0);
        root["id"] = json!(sys.id);
        root["name"] = json!(sys.name);
        root["name_en"] = json!(sys.name_en);
        let doc = &self.official_doc;
        json!({
            "id": sys.id,
            "name": sys.name,
            "name_en": sys.name_en,
            "scale": sys.scale,
            "tree": root,
            "method": doc["method"],
            "grades": sys.grades,
            "years": self.table.distinct_years(),
            "year": doc["year"],
            "zones": doc["zones"].as_array().map_or(0, Vec::len),
            "data": match &self.data {
                Source::Bundled(n) => (*n).to_string(),
                Source::File(p) => p.display().to_string(),
            },
            "lang": match self.lang { Lang::Zh => "zh", Lang::En => "en" },
            "methods": {
                "normalization": zoneval_core::method::names(zoneval_core::method::normalize::REGISTRY),
                "weighting": zoneval_core::method::names(zoneval_core::method::weight::REGISTRY),
                "aggregation": zoneval_core::method::names(zoneval_core::method::aggregate::REGISTRY),
            },
        })
    }
}

/// The `evaluate --format json` text of `ev`: the CLI's own two calls (see `src/cli/evaluate.rs`).
pub fn document(ev: &Evaluation, lang: Lang) -> String {
    let model = model::for_outputs(ev);
    zoneval_report::render::to_string(Format::Json.renderer(), &model, lang)
}

/// The document as a JSON value.
pub fn document_value(ev: &Evaluation) -> Value {
    zoneval_report::json::value(&model::for_outputs(ev))
}

/// Leaf id → final global weight, from a document's `weights`.
fn global_weights(doc: &Value) -> Vec<(String, f64)> {
    doc["weights"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["id"].as_str().unwrap_or_default().to_string(),
                w["weight"].as_f64().unwrap_or(0.0),
            )
        })
        .collect()
}

/// Local weights per node from the leaves' global weights: a node's share of its parent's
/// total. A parent whose leaves all weigh 0 splits equally.
fn local_weights(sys: &IndicatorSystem, global: &[(String, f64)]) -> Vec<f64> {
    let n = sys.nodes.len();
    let mut total = vec![0.0; n];
    for (i, node) in sys.nodes.iter().enumerate() {
        if let Some(ix) = node.indicator {
            let id = &sys.indicators[ix].id;
            let w = global
                .iter()
                .find(|(g, _)| g == id)
                .map_or(0.0, |(_, w)| *w);
            let mut k = Some(i);
            while let Some(j) = k {
                total[j] += w;
                k = sys.nodes[j].parent;
            }
        }
    }
    (0..n)
        .map(|i| match sys.nodes[i].parent {
            None => 1.0,
            Some(p) if total[p] > 0.0 => total[i] / total[p],
            Some(p) => 1.0 / sys.nodes[p].children.len() as f64,
        })
        .collect()
}
