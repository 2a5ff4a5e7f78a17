"""`zv.evaluate` against `zoneval evaluate --format json`: the JSON byte for byte, and the
ranking and weights equal to the CLI's numbers."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import zoneval as zv
from conftest import run_cli

# (system, data, normalization, weighting, aggregation, year)
CASES = [
    (None, None, None, None, None, None),
    ("shandong-provincial", None, None, "entropy", "topsis", None),
    ("shandong-provincial", None, "vector", "critic", "vikor", None),
    ("shandong-provincial", None, None, "equal", "promethee-ii", None),
    ("shandong-provincial", None, None, None, "grey-relational", None),
    ("shandong-provincial", None, None, None, None, 2022),
    ("mofcom-etdz-2021", None, None, None, None, None),
    ("land-intensive-use", None, None, None, None, None),
    ("eco-industrial-park", None, None, None, None, None),
    ("project-access", None, None, None, None, None),
    ("tests/data/flat.toml", "tests/data/flat.csv", None, None, None, None),
    ("tests/data/flat.toml", "tests/data/flat.xlsx", "z-score", "cv", "weighted-sum", None),
    ("tests/data/report.toml", "tests/data/report.csv", None, None, None, None),
]


def cli_args(system, data, norm, weight, agg, year):
    args = ["evaluate", "--format", "json"]
    for flag, v in (("--system", system), ("--data", data), ("--normalization", norm),
                    ("--weighting", weight), ("--aggregation", agg), ("--year", year)):
        if v is not None:
            args += [flag, str(v)]
    return args


def py_eval(system, data, norm, weight, agg, year):
    kw = dict(data=data, year=year, normalization=norm, weighting=weight, aggregation=agg)
    with _quiet():
        return zv.evaluate(system, **kw) if system is not None else zv.evaluate(**kw)


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", zv.ZonevalWarning)

    def __exit__(self, *a):
        return self._w.__exit__(*a)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(x) for x in c if x is not None) or "default")
def test_json_is_the_clis_byte_for_byte(case):
    expected = run_cli(*cli_args(*case)).stdout.decode("utf-8")
    ev = py_eval(*case)
    assert ev.json() == expected


@pytest.mark.parametrize("case", CASES[:6] + CASES[10:], ids=str)
def test_ranking_and_weights_are_the_clis_numbers(case):
    doc = json.loads(run_cli(*cli_args(*case)).stdout)
    ev = py_eval(*case)
    r = ev.ranking
    assert list(r["id"]) == [z["id"] for z in doc["zones"]]
    assert list(r["name"]) == [z["name"] for z in doc["zones"]]
    for col in ("value", "score"):
        got = r[col].tolist()
        want = [z[col] for z in doc["zones"]]
        assert all((math.isnan(g) and w is None) or g == w for g, w in zip(got, want)), col
    assert [None if pd.isna(x) else int(x) for x in r["rank"]] == [z["rank"] for z in doc["zones"]]
    assert [None if pd.isna(x) else x for x in r["grade"]] == [z["grade"] for z in doc["zones"]]
    assert list(r["vetoed"]) == [z["vetoed"] for z in doc["zones"]]
    # One column per top-level criterion, with the JSON's sub-scores.
    crit = [c for c in r.columns if c not in ("id", "name", "value", "score", "rank", "grade", "vetoed")]
    for c in crit:
        want = [z["criteria"].get(c) for z in doc["zones"]]
        got = [None if math.isnan(x) else x for x in r[c]]
        assert got == want, c
    w = ev.weights
    assert list(w.index) == [x["id"] for x in doc["weights"]]
    assert w.tolist() == [x["weight"] for x in doc["weights"]]
    assert ev.system == doc["system"]
    assert ev.year == doc["year"]


def test_frames_are_built_from_arrays():
    ev = py_eval(None, None, None, None, None, None)
    r = ev.ranking
    assert r["value"].dtype == "float64" and r["score"].dtype == "float64"
    assert str(r["rank"].dtype) == "Int64" and r["vetoed"].dtype == bool
    assert r["value"].to_numpy().flags["C_CONTIGUOUS"]
    # Each access is a fresh copy: changing it does not change the evaluation.
    r.loc[0, "value"] = -1.0
    assert ev.ranking.loc[0, "value"] != -1.0


def test_warnings_are_the_clis():
    p = run_cli("evaluate", "--format", "json")
    cli = [l[len("warning: "):] for l in p.stderr.decode().splitlines() if l.startswith("warning: ")]
    with pytest.warns(zv.ZonevalWarning):
        ev = zv.evaluate()
    assert ev.warnings == cli and cli


def test_methods_match_the_cli():
    out = run_cli("methods").stdout.decode()
    listed = [l.split()[0] for l in out.splitlines() if l.startswith("  ") and not l.startswith("      ")]
    ms = zv.methods()
    assert [m["name"] for m in ms] == listed
    assert {m["kind"] for m in ms} == {"normalization", "weighting", "aggregation"}
    for m in ms:
        assert m["formula"] and m["reference"] and isinstance(m["params"], list)
    assert "topsis" in [m["name"] for m in ms if m["kind"] == "aggregation"]


def test_bundled_ids():
    b = zv.bundled()
    assert "shandong-provincial" in b["systems"] and "shandong-zones" in b["datasets"]


def test_help_shows_docstrings():
    assert "file:line:col" in zv.evaluate.__doc__
    assert "p_top" in zv.monte_carlo.__doc__
    assert zv.InputError.__doc__ and issubclass(zv.InputError, zv.ZonevalError)
    assert issubclass(zv.UsageError, ValueError)
