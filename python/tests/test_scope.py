"""``scope`` (the CLI's ``--scope``) on every function that evaluates: the system's
``[scope]``, a named variant, or ``"all"``.

Each result is checked against the CLI run with the same ``--scope`` on the same inputs (the
JSON byte for byte, or the same numbers), and the scoped zones against the 2018 catalogue's
own columns: MOFCOM's comprehensive evaluation covers the national economic and technological
development zones (level 国家级, type 经济技术开发区: MOFCOM's 2021 evaluation method; 15 in
Shandong's 2018 catalogue), its ``upgrade-candidates`` variant the provincial 经济开发区.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import zoneval as zv
from conftest import ROOT, cli_errors, cli_json, run_cli

warnings.simplefilter("ignore", zv.ZonevalWarning)

MOFCOM = "mofcom-etdz-2021"


def catalogue_ids(level: str, kind: str) -> set:
    """Ids of the 2018 catalogue's Shandong zones of this level and type, read from the
    bundled data's own columns (one row per zone and year)."""
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv", dtype=str)
    rows = df[(df["level"] == level) & (df["type"] == kind)]
    return set(rows["zone_id"])


@pytest.mark.parametrize("scope", [None, "default", "upgrade-candidates", "all"])
def test_evaluate_json_is_the_clis(scope):
    flags = [] if scope is None else ["--scope", scope]
    expected = run_cli("evaluate", "--system", MOFCOM, "--format", "json", *flags).stdout.decode()
    ev = zv.evaluate(MOFCOM, scope=scope)
    assert ev.json().rstrip("\n") == expected.rstrip("\n")
    doc = json.loads(ev.json())
    assert doc["provenance"]["parameters"]["scope"] == scope
    # The ranking holds the zones in scope, and only them; the others are listed apart.
    assert sorted(ev.ranking["id"]) == sorted(z["id"] for z in doc["zones"])
    out = {z["id"] for z in doc["not_in_scope"]}
    assert out.isdisjoint(set(ev.ranking["id"]))


def test_scoped_zones_are_the_catalogues():
    national = zv.evaluate(MOFCOM)
    assert set(national.ranking["id"]) == catalogue_ids("国家级", "经济技术开发区")
    assert len(national.ranking) == 15
    candidates = zv.evaluate(MOFCOM, scope="upgrade-candidates")
    assert set(candidates.ranking["id"]) == catalogue_ids("省级", "经济开发区")
    every = zv.evaluate(MOFCOM, scope="all")
    assert len(every.ranking) == 174 and json.loads(every.json())["not_in_scope"] == []


def test_a_data_frame_is_scoped_as_its_csv():
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv", dtype={"zone_id": str})
    for scope in (None, "upgrade-candidates"):
        by_frame = zv.evaluate(MOFCOM, data=df, scope=scope)
        by_file = zv.evaluate(MOFCOM, data="seeds/shandong-zones.csv", scope=scope)
        assert json.loads(by_frame.json())["zones"] == json.loads(by_file.json())["zones"]
        assert json.loads(by_frame.json())["not_in_scope"] == json.loads(by_file.json())["not_in_scope"]


def test_monte_carlo_and_sobol_are_the_clis():
    doc = cli_json(
        "sensitivity", "monte-carlo", "--system", MOFCOM, "--scope", "upgrade-candidates",
        "--samples", "500", "--format", "json",
    )
    df = zv.monte_carlo(MOFCOM, samples=500, scope="upgrade-candidates")
    assert df["id"].tolist() == [z["id"] for z in doc["zones"]]
    assert df["mean_rank"].tolist() == [z["mean_rank"] for z in doc["zones"]]
    assert len(df) == len(catalogue_ids("省级", "经济开发区"))
    doc = cli_json(
        "sensitivity", "sobol", "--system", MOFCOM, "--scope", "all", "--samples", "64",
        "--bootstrap", "10", "--format", "json",
    )
    out = zv.sobol(MOFCOM, samples=64, bootstrap=10, scope="all")
    assert out["zones"]["id"].drop_duplicates().tolist() == [z["id"] for z in doc["zones"]]


def test_audit_and_compare_are_the_clis():
    expected = run_cli("audit", "--system", MOFCOM, "--scope", "all", "--format", "json").stdout.decode()
    assert zv.audit(MOFCOM, scope="all").json() == expected
    expected = run_cli(
        "compare", "--system", MOFCOM, "--scope", "upgrade-candidates", "--methods", "topsis,vikor",
        "--format", "json",
    ).stdout.decode()
    assert zv.compare(MOFCOM, methods=["topsis", "vikor"], scope="upgrade-candidates").json() == expected


def test_an_unknown_scope_is_the_clis_usage_error():
    code, msg = cli_errors("evaluate", "--system", MOFCOM, "--scope", "nope")
    assert code == 2 and "upgrade-candidates" in msg
    with pytest.raises(zv.UsageError) as info:
        zv.evaluate(MOFCOM, scope="nope")
    assert str(info.value) == msg
    with pytest.raises(zv.UsageError):
        zv.monte_carlo(MOFCOM, samples=10, scope="nope")
    with pytest.raises(zv.UsageError, match="scope must be a str"):
        zv.evaluate(MOFCOM, scope=3)


def test_synthetic_data_is_said_where_results_are_seen(tmp_path):
    """The bundled statistics are synthetic: every result says so (``synthetic``, ``repr``,
    the frames' ``attrs``) as the CLI's JSON does (``synthetic_data``); a file without a
    ``data_status`` column of synthetic rows is not."""
    for system, data, expected in (("shandong-provincial", None, True), ("tests/data/flat.toml", "tests/data/flat.csv", False)):
        flags = ["--system", system] + ([] if data is None else ["--data", data])
        assert cli_json("evaluate", *flags, "--format", "json")["synthetic_data"] is expected
        ev = zv.evaluate(system, data=data)
        assert ev.synthetic is expected
        assert json.loads(ev.json())["synthetic_data"] is expected
        assert ev.ranking.attrs["synthetic_data"] is expected
        assert ("SYNTHETIC DATA" in repr(ev)) is expected
        assert zv.monte_carlo(system, data, samples=50).attrs["synthetic_data"] is expected
        assert zv.sobol(system, data, samples=16, bootstrap=5)["zones"].attrs["synthetic_data"] is expected
        assert all(df.attrs["synthetic_data"] is expected for df in zv.oat(system, data).values())
        assert all(df.attrs["synthetic_data"] is expected for df in zv.stability(system, data).values())
        a = zv.audit(system, data)
        assert a.synthetic is expected and ("SYNTHETIC DATA" in repr(a)) is expected
        c = zv.compare(system, data, methods=["topsis", "vikor"])
        assert c.synthetic is expected and c.zones.attrs["synthetic_data"] is expected
    # The bundled data's rows say so in their own column.
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv", usecols=["data_status"])
    assert set(df["data_status"]) == {"synthetic"}
