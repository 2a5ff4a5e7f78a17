//! The non-additive and panel methods through the whole pipeline (system TOML → data CSV →
//! prepare → evaluate): coupling coordination on a two-subsystem system, DEA and PCA
//! invariances, group AHP with an excluded expert, and the refusal of weight sensitivity for
//! methods that do not use weights. The mathematics of each method is tested against worked examples in its module
//! (`crates/zoneval-core/src/method/aggregate/{pca,dea,bod,coupling}.rs`,
//! `method/weight/ahp_group.rs`).

mod common;

use std::sync::Arc;

use zoneval_core::data::{self, Encoding};
use zoneval_core::evaluation::{self, Evaluation, Methods, Overrides};
use zoneval_core::method::{ParamValue, Params};
use zoneval_core::sensitivity::model::Model;
use zoneval_core::system::{self, IndicatorSystem};

fn eval(sys: &str, csv: &str, ov: &Overrides) -> Result<Evaluation, zoneval_core::error::Error> {
    let sys: Arc<IndicatorSystem> = Arc::new(system::load_str("t.toml", sys, None)?);
    let methods = Arc::new(Methods::resolve(&sys, ov)?);
    let mut spec = evaluation::read_spec(&sys, Some(Encoding::Utf8), &[]);
    spec.encoding = Encoding::Utf8;
    let table = Arc::new(data::read_bytes("t.csv", csv.as_bytes(), &spec)?);
    let prep = Arc::new(evaluation::prepare(sys, table, None, &[])?);
    evaluation::evaluate(&prep, &methods, &[])
}

fn agg(name: &str) -> Overrides {
    Overrides {
        aggregation: Some(Params::named(name)),
        ..Overrides::default()
    }
}

/// Value per zone id.
fn values(ev: &Evaluation) -> std::collections::HashMap<String, f64> {
    ev.results()
        .iter()
        .map(|r| (ev.zone(r).id.clone(), r.value.unwrap()))
        .collect()
}

const TWO_SUBSYSTEMS: &str = r#"
[system]
id = "cc"
name = "耦合协调"
[method]
aggregation = "coupling-coordination"
[[criteria]]
id = "econ"
name = "经济"
weight = 0.6
  [[criteria.indicators]]
  id = "gdp"
  name = "GDP"
  direction = "benefit"
  weight = 0.5
  [[criteria.indicators]]
  id = "tax"
  name = "税收"
  direction = "benefit"
  weight = 0.5
[[criteria]]
id = "env"
name = "环境"
weight = 0.4
  [[criteria.indicators]]
  id = "energy"
  name = "能耗"
  direction = "cost"
  weight = 1
"#;

const CC_DATA: &str = "zone_id,zone_name,gdp,tax,energy\n\
    a,A,10,4,2\n\
    b,B,0,0,1\n\
    c,C,5,2,3\n\
    d,D,10,0,1.5\n";

/// Min-max: gdp (1, 0, .5, 1), tax (1, 0, .5, 0), energy (cost) (.5, 1, 0, .75).
/// U_econ = (1, 0, .5, .5), U_env = (.5, 1, 0, .75); α = (.6, .4).
/// a: C = √.5/.75, T = .8; b and c: a U is 0 → C = 0, D = 0;
/// d: C = √(.375)/.625, T = .3 + .3 = .6.
#[test]
fn coupling_coordination_by_hand() {
    let ev = eval(TWO_SUBSYSTEMS, CC_DATA, &Overrides::default()).unwrap();
    let v = values(&ev);
    let d = |u1: f64, u2: f64| {
        let c = if u1 == 0.0 || u2 == 0.0 {
            0.0
        } else {
            (u1 * u2).sqrt() / ((u1 + u2) / 2.0)
        };
        (c * (0.6 * u1 + 0.4 * u2)).sqrt()
    };
    for (id, u1, u2) in [
        ("a", 1.0, 0.5),
        ("b", 0.0, 1.0),
        ("c", 0.5, 0.0),
        ("d", 0.5, 0.75),
    ] {
        assert!(
            (v[id] - d(u1, u2)).abs() < 1e-12,
            "{id}: {} vs {}",
            v[id],
            d(u1, u2)
        );
    }
    // C ∈ [0, 1] and D = √(C·T) in the explanation columns.
    let t = &ev.aggregated().tables;
    let (c, tt) = (&t[0], &t[1]);
    assert_eq!((c.key.as_ref(), tt.key.as_ref()), ("c", "t"));
    for i in 0..4 {
        assert!((0.0..=1.0).contains(&c.values[i]));
        let dv = ev.aggregated().value[i];
        assert!((dv - (c.values[i] * tt.values[i]).sqrt()).abs() < 1e-12);
    }
    // A criterion's sub-score is its U (scale 100).
    let a = ev.results().iter().find(|r| ev.zone(r).id == "a").unwrap();
    let subs: Vec<f64> = a.criteria.iter().map(|c| c.1.unwrap()).collect();
    assert!(
        (subs[0] - 100.0).abs() < 1e-9 && (subs[1] - 50.0).abs() < 1e-9,
        "{subs:?}"
    );
}

const FLAT_DEA: &str = r#"
[system]
id = "d"
name = "DEA"
[method]
normalization = "none"
aggregation = "dea"
[[indicators]]
id = "land"
name = "用地"
direction = "cost"
weight = 0.5
[[indicators]]
id = "output"
name = "产值"
direction = "benefit"
weight = 0.5
"#;

/// One input, one output: efficiency = (y/x) / max(y/x) (closed form of CCR); the zone on
/// the frontier gets 1; multiplying the input column by 1000 changes nothing; BCC gives at
/// least CCR.
#[test]
fn dea_closed_form_frontier_and_units() {
    let csv = "zone_id,zone_name,land,output\na,A,2,1\nb,B,4,3\nc,C,5,2\nd,D,10,6\n";
    let ev = eval(FLAT_DEA, csv, &Overrides::default()).unwrap();
    let v = values(&ev);
    for (id, want) in [("a", 2.0 / 3.0), ("b", 1.0), ("c", 8.0 / 15.0), ("d", 0.8)] {
        assert!((v[id] - want).abs() < 1e-9, "{id}: {}", v[id]);
    }
    let scaled = "zone_id,zone_name,land,output\na,A,2000,1\nb,B,4000,3\nc,C,5000,2\nd,D,10000,6\n";
    let v2 = values(&eval(FLAT_DEA, scaled, &Overrides::default()).unwrap());
    for (id, x) in &v {
        assert!((x - v2[id]).abs() < 1e-9);
    }
    let bcc = Overrides {
        aggregation: Some(Params::named("dea").with("model", ParamValue::Str("bcc".into()))),
        ..Overrides::default()
    };
    let vb = values(&eval(FLAT_DEA, csv, &bcc).unwrap());
    for (id, x) in &v {
        assert!(vb[id] + 1e-12 >= *x && vb[id] <= 1.0 + 1e-12);
    }
    // A normalised matrix is refused, at the cell.
    let ov = Overrides {
        normalization: Some(Params::named("min-max")),
        ..Overrides::default()
    };
    let e = eval(FLAT_DEA, csv, &ov).unwrap_err().to_string();
    assert!(e.contains("normalization `none`"), "{e}");
}

/// DEA's explanation reaches the evaluate JSON: with one input and one output, zone a
/// (ratio 0.5) is projected on zone b (the only efficient one, ratio 0.75) with λ = y_a/y_b =
/// 1/3, its input target is θ x_a = 2/3 · 2 = 4/3 and its slacks are 0; b is its own peer.
#[test]
fn dea_peers_slacks_and_targets_in_the_json() {
    let csv = "zone_id,zone_name,land,output\na,A,2,1\nb,B,4,3\nc,C,5,2\nd,D,10,6\n";
    let ev = eval(FLAT_DEA, csv, &Overrides::default()).unwrap();
    let doc = zoneval_report::json::value(&zoneval_report::model::for_outputs(&ev));
    let zone = |id: &str| common::zone(&doc, id).clone();
    let a = zone("a");
    let peers = a["peers"].as_array().unwrap();
    assert_eq!(peers.len(), 1, "{a}");
    assert_eq!(peers[0]["id"], "b");
    assert!((peers[0]["lambda"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    // `land` is indicator 1 (the input), `output` indicator 2.
    let d = &a["details"];
    assert!(
        (d["target_1"].as_f64().unwrap() - 4.0 / 3.0).abs() < 1e-9,
        "{d}"
    );
    assert!(d["slack_1"].as_f64().unwrap().abs() < 1e-9);
    assert!((d["target_2"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    let b = zone("b");
    assert_eq!(b["peers"][0]["id"], "b");
    assert!((b["peers"][0]["lambda"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    // Other methods have no `peers` key and no aggregation statistics.
    let ws = eval(FLAT_DEA, csv, &agg("weighted-sum")).unwrap();
    let doc = zoneval_report::json::value(&zoneval_report::model::for_outputs(&ws));
    assert!(doc["zones"][0].get("peers").is_none());
    assert!(doc.get("aggregation_statistics").is_none());
}

const FLAT3: &str = r#"
[system]
id = "p"
name = "PCA"
[method]
aggregation = "pca"
[[indicators]]
id = "x1"
name = "x1"
direction = "benefit"
weight = 0.2
[[indicators]]
id = "x2"
name = "x2"
direction = "benefit"
weight = 0.3
[[indicators]]
id = "x3"
name = "x3"
direction = "cost"
weight = 0.5
"#;

const PCA_DATA: &str = "zone_id,zone_name,x1,x2,x3\n\
    a,A,3,2,5\nb,B,7,5,2\nc,C,4,6,4\nd,D,9,8,1\ne,E,5,3,3.5\nf,F,8,6,2.5\n";

/// PCA's run-level explanation reaches the evaluate JSON: all eigenvalues (summing to the
/// number of indicators, the trace of a correlation matrix), their shares, KMO in [0, 1],
/// Bartlett's [χ², df = p(p − 1)/2, p], and per indicator the loadings and implied weights
/// (summing to 1); each zone has F1 … Fm in its details.
#[test]
fn pca_statistics_and_loadings_in_the_json() {
    let ev = eval(FLAT3, PCA_DATA, &Overrides::default()).unwrap();
    let doc = zoneval_report::json::value(&zoneval_report::model::for_outputs(&ev));
    let st = &doc["aggregation_statistics"];
    let eig: Vec<f64> = st["eigenvalues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(eig.len(), 3);
    assert!((eig.iter().sum::<f64>() - 3.0).abs() < 1e-9);
    let kmo = st["kmo"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&kmo));
    assert_eq!(st["bartlett"][1].as_f64(), Some(3.0));
    let kept = st["kept"].as_f64().unwrap() as usize;
    let per = &doc["aggregation_indicators"];
    let w: f64 = ["x1", "x2", "x3"]
        .iter()
        .map(|id| per["implied_weight"][id].as_f64().unwrap())
        .sum();
    assert!((w - 1.0).abs() < 1e-9);
    // DESIGN.md: PCA uses no weights, and `weights` reports the implied ones.
    for (i, id) in ["x1", "x2", "x3"].iter().enumerate() {
        assert_eq!(doc["weights"][i]["id"], *id);
        assert_eq!(doc["weights"][i]["weight"], per["implied_weight"][id]);
    }
    assert!(per[format!("loading_{kept}")]["x1"].is_f64());
    assert!(doc["zones"][0]["details"][format!("f{kept}")].is_f64());
}

/// PCA's value does not depend on the choice of linear normalisation (each column is
/// standardised), nor on the weights; it refuses weight sensitivity.
#[test]
fn pca_invariant_to_linear_normalisation() {
    let base = eval(FLAT3, PCA_DATA, &Overrides::default()).unwrap();
    let v = values(&base);
    // (`max` and `sum` are not linear for a cost indicator: min/x, reciprocals.)
    for norm in ["min-max", "vector"] {
        let ov = Overrides {
            normalization: Some(Params::named(norm)),
            ..Overrides::default()
        };
        let w = values(&eval(FLAT3, PCA_DATA, &ov).unwrap());
        for (id, x) in &v {
            assert!((x - w[id]).abs() < 1e-9, "{norm}: {id}");
        }
    }
    let eq = Overrides {
        weighting: Some(Params::named("equal")),
        ..Overrides::default()
    };
    let w = values(&eval(FLAT3, PCA_DATA, &eq).unwrap());
    for (id, x) in &v {
        assert!((x - w[id]).abs() < 1e-12);
    }
    // D is the best on every indicator and ranks first.
    assert_eq!(base.zone(&base.results()[0]).id, "d");
    let e = Model::new(&base).err().expect("refused").to_string();
    assert!(e.contains("does not use the weights"), "{e}");
}

/// Benefit of the doubt: the zone best on some indicator gets 1, every value is in [0, 1].
#[test]
fn bod_values_in_unit_interval() {
    let ev = eval(FLAT3, PCA_DATA, &agg("bod")).unwrap();
    let v = values(&ev);
    assert!((v["d"] - 1.0).abs() < 1e-9);
    assert!(v.values().all(|x| (0.0..=1.0).contains(x)));
    assert!(v["a"] < 1.0);
}

/// Group AHP at the root of a flat system: 专家丙 is inconsistent and left out with a
/// warning; AIJ of the two consistent experts is the normalised geometric mean of their
/// priorities (a consistent matrix a_ij = w_i/w_j has priorities w).
#[test]
fn group_ahp_excludes_inconsistent_expert() {
    let sys = r#"
[system]
id = "g"
name = "群组"
[method]
weighting = "ahp"
ahp_experts = [
  { name = "专家甲", matrix = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]] },
  { name = "专家乙", matrix = [[1, 1, 2], [1, 1, 2], [0.5, 0.5, 1]] },
  { name = "专家丙", matrix = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]] },
]
[[indicators]]
id = "x1"
name = "x1"
direction = "benefit"
[[indicators]]
id = "x2"
name = "x2"
direction = "benefit"
[[indicators]]
id = "x3"
name = "x3"
direction = "cost"
"#;
    let loaded = system::load_str("g.toml", sys, None).unwrap();
    let w: Vec<String> = loaded
        .warnings
        .iter()
        .map(|p| p.message.en.clone())
        .collect();
    assert!(
        w.iter()
            .any(|m| m.contains("专家丙") && m.contains("CR = ")),
        "{w:?}"
    );
    let ev = eval(sys, PCA_DATA, &agg("weighted-sum")).unwrap();
    // Priorities (4, 2, 1)/7 and (2, 2, 1)/5: geometric means √(8/35), √(4/35), √(1/35).
    let g = [8f64.sqrt(), 2.0, 1.0];
    let s: f64 = g.iter().sum();
    for (got, want) in ev.weights().weights.iter().zip(g.iter().map(|x| x / s)) {
        assert!((got - want).abs() < 1e-12, "{:?}", ev.weights().weights);
    }
    let nodes: Vec<&str> = ev
        .weights()
        .consistency
        .iter()
        .map(|c| c.node.as_str())
        .collect();
    assert_eq!(
        nodes,
        ["g: 专家甲", "g: 专家乙", "g: 专家丙 (excluded)", "g"]
    );
    assert!(ev.weights().consistency[2].cr > 0.1 && ev.weights().consistency[3].cr < 1e-12);
}
