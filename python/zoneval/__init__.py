"""zoneval — comprehensive evaluation of development zones (开发区综合评价) in Python.

The same engine, indicator-system files and numbers as the ``zoneval`` command line, with
results as pandas objects::

    import zoneval as zv
    ev = zv.evaluate()                       # the bundled Shandong system and zones
    ev.ranking                               # DataFrame in rank order
    mc = zv.monte_carlo("shandong-provincial", samples=10_000)
    au = zv.audit()                          # is the indicator system any good on this data?
    cmp = zv.compare(methods=["topsis", "vikor", "weighted-sum"])

Every function takes ``system`` (a TOML file or a bundled system's id), ``data`` (a CSV/xlsx
path, a bundled dataset's id, or a pandas DataFrame with the CSV's column names) and the
method overrides of the CLI. Invalid input raises :class:`InputError` with the CLI's
``file:line:col`` message; an argument outside its choices raises :class:`UsageError`. The
engine runs without the GIL, on all cores (``RAYON_NUM_THREADS`` limits them); results never
depend on the thread count, and the same seed gives the same numbers.
"""

from __future__ import annotations

import math
import os
import warnings as _warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _zoneval
from ._zoneval import InputError, UsageError, ZonevalError

__all__ = [
    "Audit",
    "Comparison",
    "Evaluation",
    "InputError",
    "UsageError",
    "ZonevalError",
    "ZonevalWarning",
    "audit",
    "bundled",
    "compare",
    "evaluate",
    "methods",
    "monte_carlo",
    "oat",
    "sobol",
    "stability",
]

__version__: str = _zoneval.__version__

#: What ``data`` may be: a path (or a bundled dataset's id), a DataFrame, or None for the
#: system's ``[data] path`` (else the bundled Shandong zones).
DataArg = Union[str, "os.PathLike[str]", pd.DataFrame, None]

#: Name shown in messages for a DataFrame (rows are numbered as in the CSV it would be
#: written to: header line 1, first row line 2).
FRAME_NAME = "<DataFrame>"


class ZonevalWarning(UserWarning):
    """A warning of the engine (what the CLI prints on stderr as ``warning: …``)."""


def _warn(messages: Sequence[str], stacklevel: int = 3) -> None:
    """One warning for the run (the CLI prints each on its own stderr line)."""
    if messages:
        _warnings.warn("\n".join(messages), ZonevalWarning, stacklevel=stacklevel)


def _frame_columns(df: pd.DataFrame) -> tuple:
    """A DataFrame as ``(name, headers, [(kind, payload), …], block)`` for the native module.

    The float (and unsigned) columns travel together as one column-major float64 buffer
    (``block``: bytes, rows; their entries are ``("block", k)``), taken in one
    ``to_numpy``; integer columns as one int64 buffer each; other columns as text: all
    strings joined by NUL in one ``str`` (``"joined"``) when every cell is a string without
    NUL, else a list of ``str | None``, as a CSV writer would show them.
    """
    if not isinstance(df.index, pd.RangeIndex) and any(n is not None for n in df.index.names):
        # A named index (``df.set_index("zone_id")``) is a column of the data.
        df = df.reset_index()
    headers = [c if type(c) is str else str(c) for c in df.columns.tolist()]
    mgr = getattr(df, "_mgr", None)
    get_dtypes = getattr(mgr, "get_dtypes", None)
    dtypes = list(get_dtypes()) if get_dtypes is not None else df.dtypes.tolist()
    if len(dtypes) != len(headers):
        dtypes = df.dtypes.tolist()
    floats = [j for j, dt in enumerate(dtypes) if isinstance(dt, np.dtype) and dt.kind in ("f", "u")]
    block = None
    if floats:
        values = _float_block(mgr, floats)
        if values is None:
            if len(floats) == len(dtypes):
                sub = df
            else:
                # The same columns, unless a nullable float column is selected too (the
                # selection holds every column of `floats`, so equal counts mean equal columns).
                sub = df.select_dtypes(include=[np.floating, np.unsignedinteger])
                if sub.shape[1] != len(floats):
                    sub = df.iloc[:, floats]
            # (rows × k), transposed to k contiguous columns.
            values = np.ascontiguousarray(sub.to_numpy(dtype="<f8").T)
        block = (values.tobytes(), len(df))
    position = {j: k for k, j in enumerate(floats)}
    cols = []
    for j, dt in enumerate(dtypes):
        if j in position:
            cols.append(("block", position[j]))
            continue
        s = df._ixs(j, axis=1) if hasattr(df, "_ixs") else df.iloc[:, j]
        kind = dt.kind if isinstance(dt, np.dtype) else None
        if kind == "i":
            cols.append(("i8", s.to_numpy(dtype="<i8").tobytes()))
        elif (
            kind is None
            and not isinstance(dt, pd.StringDtype)
            and pd.api.types.is_numeric_dtype(dt)
            and not pd.api.types.is_bool_dtype(dt)
        ):
            # Nullable Int64 / Float64: missing values become NaN, i.e. missing cells.
            cols.append(("f8", s.to_numpy(dtype="<f8", na_value=np.nan).tobytes()))
        else:
            values = s.to_numpy(dtype=object)
            if pd.api.types.infer_dtype(values, skipna=False) == "string":
                joined = "\0".join(values)
                if joined.count("\0") == max(len(values) - 1, 0):
                    cols.append(("joined", (joined, len(values))))
                    continue
            cols.append(("str", [v if type(v) is str else _text(v) for v in values.tolist()]))
    return (FRAME_NAME, headers, cols, block)


def _float_block(mgr: Any, floats: List[int]) -> Optional[np.ndarray]:
    """The float columns ``floats`` as one C-contiguous (k × rows) float64 array, read from
    pandas' own storage when it holds exactly them in one float64 block (a frame of floats as
    read or built), else None (the caller selects them the public way)."""
    try:
        blocks = [b for b in mgr.blocks if isinstance(b.values, np.ndarray) and b.values.dtype == np.float64]
        if len(blocks) != 1:
            return None
        b = blocks[0]
        if b.values.ndim != 2 or b.mgr_locs.as_array.tolist() != floats:
            return None
        return np.ascontiguousarray(b.values, dtype="<f8")
    except AttributeError:
        return None


def _text(v: Any) -> Optional[str]:
    """A cell of a text column as a CSV writer shows it (None = missing)."""
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _data(data: DataArg) -> tuple:
    """``(path, frame)`` for the native module."""
    if data is None:
        return None, None
    if isinstance(data, pd.DataFrame):
        return None, _frame_columns(data)
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data), None
    raise TypeError(f"data must be a path, a bundled dataset's id, a DataFrame or None, not {type(data).__name__}")


def _system(system: Union[str, "os.PathLike[str]", None]) -> Optional[str]:
    return None if system is None else os.fspath(system)


#: A column mapping: a dict ``{system column: data header}`` or a mapping file (CSV/xlsx).
ColumnsArg = Union[Mapping[str, str], str, "os.PathLike[str]", None]


#: A weight scenario: local weights by node id (``--weight NODE=W``).
WeightsArg = Optional[Mapping[str, float]]
#: AHP judgements by node id, each a CSV file (``--ahp NODE=FILE``).
AhpArg = Optional[Mapping[str, Union[str, "os.PathLike[str]"]]]


def _scenario(weights: WeightsArg, ahp: AhpArg) -> tuple:
    """``weights`` and ``ahp`` as (node, value) pairs, checked as the CLI's flags are."""
    pairs_w, pairs_a = None, None
    if weights is not None:
        if not isinstance(weights, Mapping):
            raise UsageError(f"weights maps node ids to local weights (a dict), not {type(weights).__name__}")
        pairs_w = []
        for node, w in weights.items():
            if not isinstance(node, str) or not node.strip():
                raise UsageError("expected NODE=WEIGHT: the node id is empty")
            if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)):
                raise UsageError(f"`{w!r}` is not a number (expected NODE=WEIGHT)")
            w = float(w)
            if not math.isfinite(w) or w < 0.0:
                raise UsageError(f"the weight must be a finite number ≥ 0 (found {w})")
            pairs_w.append((node.strip(), w))
    if ahp is not None:
        if not isinstance(ahp, Mapping):
            raise UsageError(f"ahp maps node ids to judgement files (a dict), not {type(ahp).__name__}")
        pairs_a = []
        for node, f in ahp.items():
            if not isinstance(node, str) or not node.strip() or not isinstance(f, (str, os.PathLike)) or not os.fspath(f):
                raise UsageError(f"expected NODE=FILE, e.g. root=judgements.csv (found `{node}={f}`)")
            pairs_a.append((node.strip(), os.fspath(f)))
    return pairs_w, pairs_a


def _read(
    columns: ColumnsArg,
    sheet: Optional[str],
    id_column: Optional[str],
    name_column: Optional[str],
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Optional[dict]:
    """The data-reading settings, the scope and the weight scenario for the native module
    (None: the system's own)."""
    if all(v is None for v in (columns, sheet, id_column, name_column, scope, weights, ahp)):
        return None
    file, mapping = None, None
    if isinstance(columns, Mapping):
        mapping = []
        for k, v in columns.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise UsageError(
                    f"columns maps the system's column names to the data's headers (str to str), not {k!r}: {v!r}"
                )
            mapping.append((k, v))
    elif isinstance(columns, (str, os.PathLike)):
        file = os.fspath(columns)
    elif columns is not None:
        raise UsageError(
            f"columns must be a dict of system column → data header or a mapping file, not {type(columns).__name__}"
        )
    for name, v in (("sheet", sheet), ("id_column", id_column), ("name_column", name_column), ("scope", scope)):
        if v is not None and not isinstance(v, str):
            raise UsageError(f"{name} must be a str, not {type(v).__name__}")
    pairs_w, pairs_a = _scenario(weights, ahp)
    return dict(
        sheet=sheet,
        id_column=id_column,
        name_column=name_column,
        columns_file=file,
        columns=mapping,
        scope=scope,
        weights=pairs_w,
        ahp=pairs_a,
    )


def _frames(out: dict, keys: Sequence[str], **attrs: Any) -> Dict[str, pd.DataFrame]:
    """The analysis frames ``keys`` of ``out``, each with ``attrs`` and
    ``attrs["synthetic_data"]``."""
    frames = {k: _build(out[k]) for k in keys}
    for df in frames.values():
        df.attrs.update(attrs, synthetic_data=out["synthetic_data"])
    return frames


def _build(spec: list) -> pd.DataFrame:
    """A DataFrame from the native module's column list (numeric buffers, no per-cell objects)."""
    data: Dict[str, Any] = {}
    for name, kind, payload, mask in spec:
        if kind == "f8":
            data[name] = np.frombuffer(payload, dtype="<f8")
        elif kind == "i8":
            data[name] = np.frombuffer(payload, dtype="<i8")
        elif kind == "Int64":
            data[name] = pd.arrays.IntegerArray(
                np.frombuffer(payload, dtype="<i8").copy(), np.frombuffer(mask, dtype=np.bool_).copy()
            )
        elif kind == "bool":
            data[name] = np.frombuffer(payload, dtype=np.bool_)
        else:
            data[name] = payload
    return pd.DataFrame(data, copy=True)


class Evaluation:
    """The result of :func:`evaluate`.

    Attributes:
        ranking: DataFrame in rank order (then unranked zones): ``id``, ``name``, ``value`` (the
            method's own output), ``score`` (display score on the system's scale), ``rank`` (1 =
            best; nullable for zones a veto excluded), ``grade``, ``vetoed``, and one column per
            top-level criterion (its sub-score).
        weights: Series of the final global weights of the leaf indicators (sum 1), by id.
        warnings: the engine's warnings, as the CLI prints them.
        system: the system's id.
        year: the evaluated year (None when the data has no year column).
        synthetic: True when the statistics are synthetic (said in ``repr`` and in the
            frames' ``attrs["synthetic_data"]`` too).
    """

    __slots__ = ("_native", "_ranking", "_weights")

    def __init__(self, native: Any) -> None:
        self._native = native
        self._ranking: Optional[pd.DataFrame] = None
        self._weights: Optional[pd.Series] = None

    @property
    def ranking(self) -> pd.DataFrame:
        """DataFrame in rank order: id, name, value, score, rank, grade, vetoed, criteria…
        (``attrs["synthetic_data"]``: whether the statistics are synthetic)."""
        if self._ranking is None:
            self._ranking = _build(self._native.ranking())
            self._ranking.attrs["synthetic_data"] = self.synthetic
        return self._ranking.copy()

    @property
    def synthetic(self) -> bool:
        """True when the statistics evaluated are synthetic (the bundled Shandong data, or a
        ``data_status`` column saying so): the ranking then shows what the methods do, not
        how the zones perform. The JSON's ``synthetic_data``."""
        return self._native.synthetic

    @property
    def weights(self) -> pd.Series:
        """Series: leaf indicator id → final global weight."""
        if self._weights is None:
            cols = _build(self._native.weights())
            self._weights = pd.Series(cols["weight"].to_numpy(), index=pd.Index(cols["id"], name="id"), name="weight")
        return self._weights.copy()

    @property
    def warnings(self) -> List[str]:
        """The engine's warnings, as the CLI prints them (without ``warning: ``)."""
        return list(self._native.warnings)

    @property
    def system(self) -> str:
        """The indicator system's id."""
        return self._native.system

    @property
    def year(self) -> Optional[int]:
        """The evaluated year, or None."""
        return self._native.year

    def json(self) -> str:
        """The ``zoneval evaluate --format json`` document, byte for byte the CLI's."""
        return self._native.json()

    def __repr__(self) -> str:
        label = " SYNTHETIC DATA" if self.synthetic else ""
        return f"<zoneval.Evaluation system={self.system!r} zones={len(self.ranking)}{label}>"


def evaluate(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    *,
    group_by: Sequence[str] = (),
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Evaluation:
    """Evaluate zones: rank, score and grade them (``zoneval evaluate``).

    Args:
        system: an indicator system file (TOML) or a bundled system's id
            (see :func:`bundled`); default the bundled Shandong provincial system.
        data: zone data — a CSV/xlsx path, a bundled dataset's id, or a DataFrame with the
            CSV's columns (``zone_id``, ``zone_name``, indicator columns; Chinese headers
            fine). None: the system's ``[data] path``, else the bundled Shandong zones.
        year: year to evaluate when the data has a year column (default the latest).
        normalization, weighting, aggregation: method names replacing the system's
            (see :func:`methods`).
        group_by: also rank within the groups of these columns.
        encoding: of a CSV file, ``"utf-8"`` or ``"gbk"`` (default: detect UTF-8, then GBK).
        columns: which data header holds each column the system reads — a dict
            ``{"fdi_actual": "实际使用外资(万美元)", "zone_id": "开发区代码"}`` or a mapping file
            (CSV/xlsx, two columns: the system's name, then the header; ``--columns``). Its
            mappings replace the system's ``[data] columns`` for the same columns.
        sheet: the worksheet of an xlsx workbook holding the data (``--sheet``).
        id_column, name_column: the headers of the zone ids and names (``--id-column``,
            ``--name-column``), replacing the system's ``[data]`` settings.
        scope: which zones to evaluate (``--scope``): None or ``"default"`` the system's
            ``[scope]``, the name of one of its ``[scope.variants]`` (e.g.
            ``"upgrade-candidates"``), or ``"all"`` (every zone, the scope ignored). Zones
            outside are listed in the JSON's ``not_in_scope`` and are not in ``ranking``.
        weights: a weight scenario (``--weight NODE=W``): ``{"env": 0.25}`` sets the local
            weight of a criterion or indicator; its siblings are rescaled proportionally so
            the level keeps its sum (a warning says so). A node under AHP judgements is
            refused (change the judgements with ``ahp``).
        ahp: AHP judgements replacing a node's (``--ahp NODE=FILE``): ``{"root":
            "judgements.csv"}``, a CSV of n rows of n judgements such as 3 or 1/3, optionally
            labelled with the children's ids.

    Returns:
        An :class:`Evaluation` (``.ranking``, ``.weights``, ``.json()``).

    Raises:
        InputError: invalid data or system (message ``file:line:col: …`` as the CLI's); a
            mapping naming a column the system does not read or a header the data lacks (a
            dict's entries are located at ``<columns>``).
        UsageError: an unknown method name or scope name (the message lists the system's
            scopes); ``columns`` neither a dict of str nor a path.
    """
    path, frame = _data(data)
    native = _zoneval.evaluate(
        _system(system),
        path,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        list(group_by),
        encoding,
        _read(columns, sheet, id_column, name_column, scope, weights, ahp),
    )
    _warn(native.warnings)
    return Evaluation(native)


def _sensitivity(
    analysis: str,
    system: Any,
    data: DataArg,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
    **kw: Any,
) -> dict:
    path, frame = _data(data)
    args = dict(
        year=None,
        normalization=None,
        weighting=None,
        aggregation=None,
        encoding=None,
        samples=None,
        seed=1,
        perturb=0.2,
        dirichlet=None,
        weights_file=None,
        vary_normalization=[],
        vary_aggregation=[],
        drop_indicator=False,
        top=None,
        factors="criteria",
        range=0.5,
        bootstrap=100,
        samples_file=None,
        steps=None,
        memory_budget=512,
    )
    args.update(kw)
    for k in ("weights_file", "samples_file"):
        if args[k] is not None:
            args[k] = os.fspath(args[k])
    for k in ("vary_normalization", "vary_aggregation"):
        v = args[k]
        args[k] = [v] if isinstance(v, str) else list(v)
    args["read"] = _read(columns, sheet, id_column, name_column, scope, weights, ahp)
    out = _zoneval.sensitivity(analysis, _system(system), path, frame, **args)
    _warn(out["warnings"], stacklevel=4)
    return out


def monte_carlo(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    samples: Optional[int] = 10000,
    seed: int = 1,
    perturb: float = 0.2,
    top: int = 10,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    dirichlet: Optional[float] = None,
    weights_file: Union[str, "os.PathLike[str]", None] = None,
    vary_normalization: Sequence[str] = (),
    vary_aggregation: Sequence[str] = (),
    drop_indicator: bool = False,
    memory_budget: int = 512,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> pd.DataFrame:
    """Monte Carlo over the weights (``zoneval sensitivity monte-carlo``).

    Sample s multiplies each leaf weight by U(1 − perturb, 1 + perturb) and renormalises (or
    draws from a Dirichlet with concentration ``dirichlet``, or replays ``weights_file``: then
    pass ``samples=None``); ranks per sample are ordinal. ``vary_normalization`` and
    ``vary_aggregation`` also sample the method from those lists; ``drop_indicator`` sets one
    random indicator's weight to 0 per sample; ``memory_budget`` (MiB) bounds the rank
    histograms.

    ``system``, ``data``, ``year``, ``normalization``, ``weighting``, ``aggregation``,
    ``encoding``, ``columns``, ``sheet``, ``id_column``, ``name_column``, ``scope``, ``weights``
    and ``ahp`` are as for
    :func:`evaluate`; the analysis reuses the system's method.

    Returns:
        DataFrame in base-rank order with the CLI's columns ``id``, ``name``, ``base_rank``,
        ``mean_rank``, ``p05``, ``p50``, ``p95`` (numpy-linear percentiles of the sample ranks)
        and ``p_top`` (share of samples ranked ≤ ``top``). ``df.attrs`` holds ``samples``,
        ``top``, ``seed``, ``mean_rank_shift``, ``spearman``, ``kendall`` and
        ``acceptability`` (zones × top array: share of samples at rank 1…top).

    Raises:
        InputError, UsageError: as the CLI (e.g. ``samples`` outside 1…10⁸). As the CLI,
        one way of drawing the weights at a time: ``perturb`` other than its default with
        ``dirichlet`` or ``weights_file``, or ``dirichlet`` with ``weights_file``, is a
        UsageError (one of them would be ignored).
    """
    if dirichlet is not None and weights_file is not None:
        raise UsageError("dirichlet cannot be combined with weights_file (the file gives the weights)")
    if perturb != 0.2 and (dirichlet is not None or weights_file is not None):
        raise UsageError("perturb cannot be combined with dirichlet or weights_file (it would be ignored)")
    out = _sensitivity(
        "monte-carlo",
        system,
        data,
        samples=samples,
        seed=seed,
        perturb=perturb,
        top=top,
        year=year,
        normalization=normalization,
        weighting=weighting,
        aggregation=aggregation,
        encoding=encoding,
        dirichlet=dirichlet,
        weights_file=weights_file,
        vary_normalization=vary_normalization,
        vary_aggregation=vary_aggregation,
        drop_indicator=drop_indicator,
        memory_budget=memory_budget,
        columns=columns,
        sheet=sheet,
        id_column=id_column,
        name_column=name_column,
        scope=scope,
        weights=weights,
        ahp=ahp,
    )
    df = _build(out["zones"])
    acc = np.frombuffer(out["acceptability"], dtype="<f8")
    df.attrs.update(
        synthetic_data=out["synthetic_data"],
        samples=out["samples"],
        top=out["top"],
        seed=out["seed"],
        mean_rank_shift=out["mean_rank_shift"],
        spearman=out["spearman"],
        kendall=out["kendall"],
        acceptability=acc.reshape(len(df), -1) if len(df) else acc,
    )
    return df


def sobol(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    samples: int = 1024,
    seed: int = 1,
    factors: str = "criteria",
    range: float = 0.5,
    bootstrap: int = 100,
    top: Optional[int] = None,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    samples_file: Union[str, "os.PathLike[str]", None] = None,
    vary_aggregation: Sequence[str] = (),
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Dict[str, pd.DataFrame]:
    """Variance-based (Sobol) sensitivity of each zone's value (``zoneval sensitivity sobol``).

    Factors are multipliers U(1 − range, 1 + range) on the weights of the top-level criteria
    (``factors="criteria"``) or of every leaf indicator (``"indicators"``); ``samples`` base
    points give samples·(k + 2) runs. S1 (Saltelli 2010), ST (Jansen), ``*_conf`` = 1.96 × the
    bootstrap standard deviation. ``samples_file`` replays a multiplier matrix (CSV, header =
    factor ids); ``vary_aggregation`` adds the aggregation as a factor.

    ``system``, ``data``, ``year``, ``normalization``, ``weighting``, ``aggregation``,
    ``encoding``, ``columns``, ``sheet``, ``id_column``, ``name_column``, ``scope``, ``weights``
    and ``ahp`` are as for
    :func:`evaluate`; the analysis reuses the system's method.

    Returns:
        ``{"zones": DataFrame, "rank_shift": DataFrame}``: ``zones`` has one row per (zone,
        factor) — ``id``, ``name``, ``base_rank``, ``factor``, ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` — zones in base-rank order (the best ``top`` only when given);
        ``rank_shift`` one row per factor with the indices of the mean absolute rank shift.
        Both frames' ``attrs`` hold ``samples`` and ``factors``.
    """
    out = _sensitivity(
        "sobol",
        system,
        data,
        samples=samples,
        seed=seed,
        factors=factors,
        range=range,
        bootstrap=bootstrap,
        top=top,
        year=year,
        normalization=normalization,
        weighting=weighting,
        aggregation=aggregation,
        encoding=encoding,
        samples_file=samples_file,
        vary_aggregation=vary_aggregation,
        columns=columns,
        sheet=sheet,
        id_column=id_column,
        name_column=name_column,
        scope=scope,
        weights=weights,
        ahp=ahp,
    )
    return _frames(out, ("zones", "rank_shift"), samples=out["samples"], factors=list(out["factors"]))


def oat(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    factors: str = "criteria",
    range: float = 0.5,
    steps: int = 10,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Dict[str, pd.DataFrame]:
    """One-at-a-time weight sweeps (``zoneval sensitivity oat``): each factor's weight changed
    by relative deltas from −range to +range in ``steps`` steps, the others rescaled.

    ``system``, ``data``, ``year``, ``normalization``, ``weighting``, ``aggregation``,
    ``encoding``, ``columns``, ``sheet``, ``id_column``, ``name_column``, ``scope``, ``weights``
    and ``ahp`` are as for
    :func:`evaluate`; the analysis reuses the system's method.

    Returns:
        ``{"ranks": DataFrame, "tornado": DataFrame, "factors": DataFrame}``: ``ranks`` has one
        row per (factor, delta, zone) with the ordinal ``rank``; ``tornado`` per (factor, zone)
        the scores at the smallest and largest delta; ``factors`` per factor its base weight
        and the largest rank change of any zone.
    """
    out = _sensitivity(
        "oat",
        system,
        data,
        factors=factors,
        range=range,
        steps=steps,
        year=year,
        normalization=normalization,
        weighting=weighting,
        aggregation=aggregation,
        encoding=encoding,
        columns=columns,
        sheet=sheet,
        id_column=id_column,
        name_column=name_column,
        scope=scope,
        weights=weights,
        ahp=ahp,
    )
    return _frames(out, ("ranks", "tornado", "factors"))


def stability(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    factors: str = "criteria",
    top: int = 10,
    steps: int = 200,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Dict[str, pd.DataFrame]:
    """Weight stability intervals (``zoneval sensitivity stability``): per factor, the lowest and
    highest weight (others rescaled proportionally) that keep the top-``top`` order, and per
    zone the interval that keeps its rank (exact crossings for linear methods, else a grid of
    ``steps`` points and bisection).

    ``system``, ``data``, ``year``, ``normalization``, ``weighting``, ``aggregation``,
    ``encoding``, ``columns``, ``sheet``, ``id_column``, ``name_column``, ``scope``, ``weights``
    and ``ahp`` are as for
    :func:`evaluate`; the analysis reuses the system's method.

    Returns:
        ``{"factors": DataFrame, "zones": DataFrame}``: ``factors`` has ``id``,
        ``base_weight``, ``low``, ``high`` (the CLI's columns); ``zones`` one row per (factor,
        zone) with ``low`` and ``high``. ``attrs`` hold ``top`` and ``exact``.
    """
    out = _sensitivity(
        "stability",
        system,
        data,
        factors=factors,
        top=top,
        steps=steps,
        year=year,
        normalization=normalization,
        weighting=weighting,
        aggregation=aggregation,
        encoding=encoding,
        columns=columns,
        sheet=sheet,
        id_column=id_column,
        name_column=name_column,
        scope=scope,
        weights=weights,
        ahp=ahp,
    )
    return _frames(out, ("factors", "zones"), top=out["top"], exact=out["exact"])



def _matrix(flat: bytes, labels: Sequence[str]) -> pd.DataFrame:
    """A square matrix (row-major float64 buffer, NaN = undefined) labelled on both axes."""
    n = len(labels)
    m = np.frombuffer(flat, dtype="<f8").reshape(n, n) if n else np.zeros((0, 0))
    return pd.DataFrame(m.copy(), index=pd.Index(list(labels)), columns=list(labels))


class Audit:
    """The statistical audit of an indicator system on its data (``zoneval audit``).

    Attributes:
        indicators: DataFrame, one row per leaf indicator: ``id``, ``name``, ``criterion``
            (its direct criterion's id; None in a flat system), ``coverage``, ``skewness``,
            ``kurtosis``, ``size_correlation`` (NaN without ``size_column``),
            ``nominal_weight``, ``effective_weight``.
        criteria: DataFrame, one row per criterion: ``id``, ``name``, ``indicators`` (how
            many), ``cronbach_alpha`` (NaN when undefined), ``alpha_undefined`` (why:
            ``one-indicator``, ``too-few-zones``, ``no-variance``), ``pc1_share``,
            ``redundant_pairs`` and ``conflicting_pairs`` (how many).
        pairs: DataFrame of the flagged pairs: ``criterion``, ``kind`` (``redundant`` or
            ``conflicting``), ``a``, ``b``, ``r``.
        flags: DataFrame: ``id``, ``kind``, ``message`` (what to consider).
        correlation: dict criterion id → DataFrame of the Pearson correlations of its
            indicators (normalised values; NaN when undefined).
        size_column: the size column audited against, or None.
        system: the indicator system's id.
        warnings: the engine's warnings.
        synthetic: True when the statistics audited are synthetic (said in ``repr``).
    """

    def __init__(self, out: dict) -> None:
        self.synthetic: bool = bool(out["synthetic_data"])
        self.indicators: pd.DataFrame = _build(out["indicators"])
        self.criteria: pd.DataFrame = _build(out["criteria"])
        self.pairs: pd.DataFrame = _build(out["pairs"])
        self.flags: pd.DataFrame = _build(out["flags"])
        self.correlation: Dict[str, pd.DataFrame] = {
            cid: _matrix(flat, ids) for cid, ids, flat in out["correlation"]
        }
        self.size_column: Optional[str] = out["size_column"]
        self.system: str = out["system"]
        self.warnings: List[str] = list(out["warnings"])
        self._json: str = out["json"]

    def json(self) -> str:
        """The ``zoneval audit --format json`` document, byte for byte the CLI's (flag
        messages in the audit's language)."""
        return self._json

    def __repr__(self) -> str:
        label = " SYNTHETIC DATA" if self.synthetic else ""
        return f"<zoneval.Audit system={self.system!r} indicators={len(self.indicators)} flags={len(self.flags)}{label}>"


def audit(
    system: Union[str, "os.PathLike[str]", None] = "shandong-provincial",
    data: DataArg = None,
    year: Optional[int] = None,
    size_column: Optional[str] = None,
    *,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    lang: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Audit:
    """Audit the indicator system on its data (``zoneval audit``), in the manner of the
    OECD/JRC handbook: coverage, skewness and kurtosis, size correlation and nominal against
    effective weight per indicator; Cronbach's α, first-component share and redundant or
    conflicting pairs per criterion; flags at the JRC thresholds, each saying what to
    consider. The statistics describe exactly what :func:`evaluate` ranks.

    Args:
        system, data, year, normalization, weighting, aggregation, encoding, columns,
            sheet, id_column, name_column, scope, weights, ahp: as for :func:`evaluate`.
        size_column: a numeric data column measuring zone size (area, GDP, firms): each
            indicator's Pearson r with it is reported, and |r| > 0.7 flagged.
        lang: language of the flag messages and errors, ``"en"`` or ``"zh"`` (default: the
            environment's, as the CLI without ``--lang``).

    Returns:
        An :class:`Audit` (``.indicators``, ``.criteria``, ``.flags``, ``.json()``).

    Raises:
        InputError: invalid data or system, or a size column that is missing or not numeric
            (the CLI's located message).
        UsageError: an unknown method name.
    """
    path, frame = _data(data)
    out = _zoneval.audit(
        _system(system),
        path,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        encoding,
        size_column,
        lang,
        _read(columns, sheet, id_column, name_column, scope, weights, ahp),
    )
    _warn(out["warnings"])
    return Audit(out)


class Comparison:
    """Rankings compared across methods or systems (``zoneval compare``).

    Attributes:
        zones: DataFrame in compromise-rank order with the CLI's CSV columns: ``rank`` (the
            compromise), ``id``, ``name``, ``rank_<label>`` per method or system,
            ``grade_<label>`` per system (systems only), ``borda``, ``copeland``, ``best``,
            ``worst`` (the rank range) and ``delta_rank`` (two or more systems: rank under
            the last minus rank under the first).
        spearman, kendall: DataFrames of Spearman's ρ and Kendall's τ-b between every two
            rankings, labelled by method or system (NaN when undefined).
        methods: the labels, in the order given (methods as written, systems by file stem).
        systems: True when systems, not methods, were compared.
        warnings: the engine's warnings (zones left out of the comparison among them).
        synthetic: True when the statistics compared are synthetic (said in ``repr`` and in
            ``zones.attrs["synthetic_data"]``).
    """

    def __init__(self, out: dict) -> None:
        self.synthetic: bool = bool(out["synthetic_data"])
        self.methods: List[str] = list(out["methods"])
        self.systems: bool = bool(out["systems"])
        self.zones: pd.DataFrame = _build(out["zones"])
        self.zones.attrs["synthetic_data"] = self.synthetic
        self.spearman: pd.DataFrame = _matrix(out["spearman"], self.methods)
        self.kendall: pd.DataFrame = _matrix(out["kendall"], self.methods)
        self.warnings: List[str] = list(out["warnings"])
        self._json: str = out["json"]

    def json(self) -> str:
        """The ``zoneval compare --format json`` document, byte for byte the CLI's."""
        return self._json

    def __repr__(self) -> str:
        label = " SYNTHETIC DATA" if self.synthetic else ""
        return f"<zoneval.Comparison methods={self.methods!r} zones={len(self.zones)}{label}>"


def _names(v: Union[str, Sequence[Any], None]) -> Optional[List[str]]:
    """A list of names: a comma-separated string (as the CLI's) or a sequence."""
    if v is None:
        return None
    if isinstance(v, (str, os.PathLike)):
        return [x for x in os.fspath(v).split(",")]
    return [os.fspath(x) for x in v]


def compare(
    system: Union[str, "os.PathLike[str]", None] = None,
    data: DataArg = None,
    methods: Union[str, Sequence[str], None] = None,
    systems: Union[str, Sequence[Union[str, "os.PathLike[str]"]], None] = None,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: WeightsArg = None,
    ahp: AhpArg = None,
) -> Comparison:
    """Would another reasonable method — or a proposed weighting — rank the zones
    differently, and what ranking do they agree on? (``zoneval compare``)

    Give either ``methods`` — aggregation names (run with the system's normalisation and
    weighting, or ``normalization``/``weighting`` when given) or ``"NORM/WEIGHT/AGG"``, e.g.
    ``["topsis", "vikor", "vector/entropy/topsis"]`` — or ``systems``: system files (or
    bundled ids) evaluated on the same data, each with its own method and labelled by its
    file stem (then ``system`` must be None). Only zones ranked under every method or system
    are compared (a warning names the others). The compromise ranking is Borda's count with
    Copeland's score breaking ties.

    Args:
        system, data, year, normalization, weighting, aggregation, encoding, columns,
            sheet, id_column, name_column, scope, weights, ahp: as for :func:`evaluate` (``system`` None: the
            bundled default; the reading settings apply to every system compared).
        methods: the methods to compare (a list, or a comma-separated string as the CLI's).
        systems: the system files to compare (a list, or a comma-separated string).

    Returns:
        A :class:`Comparison` (``.zones``, ``.spearman``, ``.kendall``, ``.json()``).

    Raises:
        UsageError: neither or both of ``methods`` and ``systems``; ``system`` with
            ``systems``; an unknown method name; a method or system given twice.
        InputError: invalid data or system.
    """
    path, frame = _data(data)
    out = _zoneval.compare(
        _system(system),
        path,
        frame,
        year,
        normalization,
        weighting,
        aggregation,
        encoding,
        _names(methods),
        _names(systems),
        _read(columns, sheet, id_column, name_column, scope, weights, ahp),
    )
    _warn(out["warnings"])
    return Comparison(out)

def methods() -> List[Dict[str, Any]]:
    """Every registered method, as ``zoneval methods`` lists them.

    Returns:
        A list of dicts with ``kind`` (``normalization``, ``weighting`` or ``aggregation``),
        ``name``, ``title``, ``title_zh``, ``formula``, ``conventions``, ``params`` (list of
        ``{name, default, doc}``) and ``reference``.
    """
    return _zoneval.methods()


def bundled() -> Dict[str, List[str]]:
    """The ids of the bundled indicator systems and zone datasets."""
    systems, datasets = _zoneval.bundled()
    return {"systems": list(systems), "datasets": list(datasets)}
