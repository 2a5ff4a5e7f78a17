//! Conversions at the edge: a DataFrame's columns into the engine's [`Columns`], and results
//! into frames of contiguous buffers (`zoneval/__init__.py` wraps each numeric buffer with
//! `numpy.frombuffer`, so no Python object is made per number).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use zoneval_core::data::{ColumnValues, Columns};
use zoneval_core::sensitivity::{Indices, SensitivityResults};

/// One result column.
pub enum Col {
    /// Floats (NaN for missing).
    F64(Vec<f64>),
    /// Whole numbers.
    I64(Vec<i64>),
    /// Whole numbers, some missing (a pandas nullable `Int64` column).
    OptI64(Vec<Option<i64>>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Text.
    Str(Vec<String>),
    /// Text, some missing.
    OptStr(Vec<Option<String>>),
}

impl Col {
    /// Floats with `None` as NaN.
    pub fn opt_f64(v: impl Iterator<Item = Option<f64>>) -> Col {
        Col::F64(v.map(|x| x.unwrap_or(f64::NAN)).collect())
    }
}

/// Named columns in order.
#[derive(Default)]
pub struct Frame(Vec<(String, Col)>);

fn le_bytes<T: Copy, const N: usize>(v: &[T], f: fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * N);
    for x in v {
        out.extend_from_slice(&f(*x));
    }
    out
}

impl Frame {
    /// Adds a column.
    pub fn push(&mut self, name: &str, col: Col) {
        self.0.push((name.to_string(), col));
    }

    /// Adds a column with an owned name.
    pub fn push_owned(&mut self, name: String, col: Col) {
        self.0.push((name, col));
    }

    /// `[(name, kind, payload, mask-or-None), …]` with kind `f8`, `i8`, `Int64`, `bool`,
    /// `str`: numeric payloads are little-endian bytes, text payloads lists.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let out = PyList::empty(py);
        for (name, col) in self.0 {
            let none = py.None().into_bound(py);
            let (kind, payload, mask): (&str, Bound<'_, PyAny>, Bound<'_, PyAny>) = match col {
                Col::F64(v) => (
                    "f8",
                    PyBytes::new(py, &le_bytes(&v, f64::to_le_bytes)).into_any(),
                    none,
                ),
                Col::I64(v) => (
                    "i8",
                    PyBytes::new(py, &le_bytes(&v, i64::to_le_bytes)).into_any(),
                    none,
                ),
                Col::OptI64(v) => {
                    let vals: Vec<i64> = v.iter().map(|x| x.unwrap_or(0)).collect();
                    let mask: Vec<u8> = v.iter().map(|x| u8::from(x.is_none())).collect();
                    (
                        "Int64",
                        PyBytes::new(py, &le_bytes(&vals, i64::to_le_bytes)).into_any(),
                        PyBytes::new(py, &mask).into_any(),
                    )
                }
                Col::Bool(v) => {
                    let b: Vec<u8> = v.iter().map(|&x| u8::from(x)).collect();
                    ("bool", PyBytes::new(py, &b).into_any(), none)
                }
                Col::Str(v) => ("str", PyList::new(py, v)?.into_any(), none),
                Col::OptStr(v) => ("str", PyList::new(py, v)?.into_any(), none),
            };
            out.append(PyTuple::new(
                py,
                [
                    name.into_pyobject(py)?.into_any(),
                    kind.into_pyobject(py)?.into_any(),
                    payload,
                    mask,
                ],
            )?)?;
        }
        Ok(out.unbind())
    }
}

fn f64s(bytes: &[u8]) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect()
}

fn i64s(bytes: &[u8]) -> Vec<i64> {
    bytes
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect()
}

/// A DataFrame as `zoneval/__init__.py` passes it: name, headers, (kind, payload) per column,
/// and the float columns' block (column-major little-endian bytes, rows).
type FrameArg<'py> = (
    String,
    Vec<String>,
    Vec<(String, Bound<'py, PyAny>)>,
    Option<(Bound<'py, PyBytes>, usize)>,
);

/// The engine's columns from `(name, headers, [(kind, payload), …], block)`: kind `block`
/// with the column's index in the block, `f8` or `i8` with little-endian bytes, `joined`
/// with `(text, n)` (n strings joined by NUL), or `str` with a list of `str | None`.
pub fn columns(frame: &Bound<'_, PyAny>) -> PyResult<Columns> {
    let (name, headers, cols, block): FrameArg<'_> = frame.extract()?;
    let block = block.as_ref().map(|(b, rows)| (b.as_bytes(), *rows));
    let columns = cols
        .into_iter()
        .map(|(kind, payload)| {
            Ok(match kind.as_str() {
                "block" => {
                    let k: usize = payload.extract()?;
                    let (bytes, rows) = block.ok_or_else(|| {
                        pyo3::exceptions::PyValueError::new_err("a block column without a block")
                    })?;
                    let col = bytes.get(k * rows * 8..(k + 1) * rows * 8).ok_or_else(|| {
                        pyo3::exceptions::PyValueError::new_err("a block column outside the block")
                    })?;
                    ColumnValues::Numbers(f64s(col))
                }
                "f8" => ColumnValues::Numbers(f64s(payload.cast::<PyBytes>()?.as_bytes())),
                "i8" => ColumnValues::Integers(i64s(payload.cast::<PyBytes>()?.as_bytes())),
                "joined" => {
                    let (text, n): (Bound<'_, PyString>, usize) = payload.extract()?;
                    let text = text.to_cow()?;
                    ColumnValues::Text(if n == 0 {
                        Vec::new()
                    } else {
                        text.split('\0').map(|v| Some(v.to_string())).collect()
                    })
                }
                _ => ColumnValues::Text(payload.extract()?),
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Columns {
        name,
        headers,
        columns,
    })
}

/// A long frame of indices: one row per (output, factor).
fn indices_rows(f: &mut IndexRows, factors: &[String], ind: &Indices) {
    let (a, b, c, d) = (
        ind.s1.values(),
        ind.s1_conf.values(),
        ind.st.values(),
        ind.st_conf.values(),
    );
    for k in 0..factors.len() {
        f.factor.push(factors[k].clone());
        f.s1.push(a[k]);
        f.s1_conf.push(b[k]);
        f.st.push(c[k]);
        f.st_conf.push(d[k]);
    }
}

#[derive(Default)]
struct IndexRows {
    factor: Vec<String>,
    s1: Vec<f64>,
    s1_conf: Vec<f64>,
    st: Vec<f64>,
    st_conf: Vec<f64>,
}

impl IndexRows {
    fn push_into(self, f: &mut Frame) {
        f.push("factor", Col::Str(self.factor));
        f.push("S1", Col::F64(self.s1));
        f.push("S1_conf", Col::F64(self.s1_conf));
        f.push("ST", Col::F64(self.st));
        f.push("ST_conf", Col::F64(self.st_conf));
    }
}

/// The analysis' frames and scalars as a dict.
pub fn results<'py>(py: Python<'py>, r: &SensitivityResults) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if let Some(mc) = &r.monte_carlo {
        let z = &mc.zones;
        let mut f = Frame::default();
        f.push("id", Col::Str(z.iter().map(|x| x.id.clone()).collect()));
        f.push("name", Col::Str(z.iter().map(|x| x.name.clone()).collect()));
        f.push(
            "base_rank",
            Col::I64(z.iter().map(|x| x.base_rank as i64).collect()),
        );
        f.push(
            "mean_rank",
            Col::F64(z.iter().map(|x| x.mean_rank).collect()),
        );
        f.push("p05", Col::F64(z.iter().map(|x| x.p05).collect()));
        f.push("p50", Col::F64(z.iter().map(|x| x.p50).collect()));
        f.push("p95", Col::F64(z.iter().map(|x| x.p95).collect()));
        f.push("p_top", Col::F64(z.iter().map(|x| x.p_top).collect()));
        d.set_item("zones", f.into_py(py)?)?;
        // SMAA rank acceptabilities: zones × K, row-major.
        let acc: Vec<f64> = z
            .iter()
            .flat_map(|x| x.acceptability.iter().copied())
            .collect();
        d.set_item(
            "acceptability",
            PyBytes::new(py, &le_bytes(&acc, f64::to_le_bytes)),
        )?;
        d.set_item("samples", mc.samples)?;
        d.set_item("top", mc.top)?;
        d.set_item("seed", mc.seed)?;
        d.set_item("mean_rank_shift", mc.mean_rank_shift)?;
        d.set_item("spearman", mc.spearman)?;
        d.set_item("kendall", mc.kendall)?;
    }
    if let Some(sb) = &r.sobol {
        let mut f = Frame::default();
        let (mut ids, mut names, mut base) = (Vec::new(), Vec::new(), Vec::new());
        let mut rows = IndexRows::default();
        for z in &sb.zones {
            for _ in &sb.factors {
                ids.push(z.id.clone());
                names.push(z.name.clone());
                base.push(z.base_rank as i64);
            }
            indices_rows(&mut rows, &sb.factors, &z.indices);
        }
        f.push("id", Col::Str(ids));
        f.push("name", Col::Str(names));
        f.push("base_rank", Col::I64(base));
        rows.push_into(&mut f);
        d.set_item("zones", f.into_py(py)?)?;
        let mut rs = IndexRows::default();
        indices_rows(&mut rs, &sb.factors, &sb.rank_shift);
        let mut f = Frame::default();
        rs.push_into(&mut f);
        d.set_item("rank_shift", f.into_py(py)?)?;
        d.set_item("samples", sb.samples)?;
        d.set_item("factors", sb.factors.clone())?;
    }
    if let Some(o) = &r.oat {
        let mut ranks = Frame::default();
        let (mut factor, mut delta, mut id, mut name, mut rank) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut tornado = Frame::default();
        let (mut t_factor, mut t_id, mut t_name, mut lo, mut hi) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for f in &o.factors {
            for (k, dl) in f.deltas.iter().enumerate() {
                for (z, zid) in o.zones.iter().enumerate() {
                    factor.push(f.id.clone());
                    delta.push(*dl);
                    id.push(zid.clone());
                    name.push(o.names[z].clone());
                    rank.push(f.ranks[k][z] as i64);
                }
            }
            for (z, zid) in o.zones.iter().enumerate() {
                t_factor.push(f.id.clone());
                t_id.push(zid.clone());
                t_name.push(o.names[z].clone());
                lo.push(f.score_low[z]);
                hi.push(f.score_high[z]);
            }
        }
        ranks.push("factor", Col::Str(factor));
        ranks.push("delta", Col::F64(delta));
        ranks.push("id", Col::Str(id));
        ranks.push("name", Col::Str(name));
        ranks.push("rank", Col::I64(rank));
        tornado.push("factor", Col::Str(t_factor));
        tornado.push("id", Col::Str(t_id));
        tornado.push("name", Col::Str(t_name));
        tornado.push("score_low", Col::F64(lo));
        tornado.push("score_high", Col::F64(hi));
        let mut factors = Frame::default();
        let fs = &o.factors;
        factors.push("id", Col::Str(fs.iter().map(|f| f.id.clone()).collect()));
        factors.push(
            "name",
            Col::Str(fs.iter().map(|f| f.name.clone()).collect()),
        );
        factors.push(
            "base_weight",
            Col::F64(fs.iter().map(|f| f.base_weight).collect()),
        );
        factors.push(
            "max_rank_change",
            Col::I64(fs.iter().map(|f| f.max_rank_change as i64).collect()),
        );
        d.set_item("ranks", ranks.into_py(py)?)?;
        d.set_item("tornado", tornado.into_py(py)?)?;
        d.set_item("factors", factors.into_py(py)?)?;
    }
    if let Some(st) = &r.stability {
        let fs = &st.factors;
        let mut factors = Frame::default();
        factors.push("id", Col::Str(fs.iter().map(|f| f.id.clone()).collect()));
        factors.push(
            "base_weight",
            Col::F64(fs.iter().map(|f| f.base_weight).collect()),
        );
        factors.push("low", Col::F64(fs.iter().map(|f| f.low).collect()));
        factors.push("high", Col::F64(fs.iter().map(|f| f.high).collect()));
        let mut zones = Frame::default();
        let (mut factor, mut id, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for f in fs {
            for (z, (l, h)) in f.zone_intervals.iter().enumerate() {
                factor.push(f.id.clone());
                id.push(st.zones[z].clone());
                lo.push(*l);
                hi.push(*h);
            }
        }
        zones.push("factor", Col::Str(factor));
        zones.push("id", Col::Str(id));
        zones.push("low", Col::F64(lo));
        zones.push("high", Col::F64(hi));
        d.set_item("factors", factors.into_py(py)?)?;
        d.set_item("zones", zones.into_py(py)?)?;
        d.set_item("top", st.top)?;
        d.set_item("exact", st.exact)?;
    }
    Ok(d)
}
