"""The CLI's data-reading options in the package: ``columns`` (a dict or a mapping file),
``sheet``, ``id_column`` and ``name_column`` on every function that reads data.

Each is checked against the CLI run with ``--columns``, ``--sheet``, ``--id-column`` and
``--name-column`` on the same files: the same JSON byte for byte (a mapping file), or the same
zones and numbers (a dict, whose provenance records the mapping instead of a file), and the
CLI's located message for each error.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zoneval as zv
from conftest import ROOT, cli_errors, cli_json, run_cli

warnings.simplefilter("ignore", zv.ZonevalWarning)

FLAT = "tests/data/flat.toml"
#: tests/data/flat.csv's zones under other headers (the CLI's own mapping test, tests/own_data.rs).
OWN = (
    "代码,名称,region,外资,合同外资,能耗\n"
    "z1,青岛经济技术开发区,鲁东,68500,166000,0.45\n"
    "z2,烟台经济技术开发区,鲁东,52000,90000,0.52\n"
    "z3,济南高新技术产业开发区,鲁中,41000,70000,0.38\n"
    "z4,山东临清经济开发区,鲁西,3000,9000,0.90\n"
)
MAPPING = {
    "zone_id": "代码",
    "zone_name": "名称",
    "fdi_actual": "外资",
    "fdi_contracted": "合同外资",
    "energy": "能耗",
}
#: Two sheets, 2023 and 2024 (a bad-input case's workbook; the flat system's columns).
BOOK = "tests/bad_inputs/xlsx-no-such-sheet/data.xlsx"
FLAT_COMMON = "tests/bad_inputs/common/flat.toml"


@pytest.fixture
def own(tmp_path):
    """(data.csv, map.csv) in a temporary directory, relative to the repository root."""
    data = tmp_path / "data.csv"
    data.write_text(OWN, encoding="utf-8")
    m = tmp_path / "map.csv"
    m.write_text("column,header\n" + "".join(f"{k},{v}\n" for k, v in MAPPING.items()), encoding="utf-8")
    return str(data), str(m)


def zones(doc: str | dict) -> list:
    d = json.loads(doc) if isinstance(doc, str) else doc
    return d["zones"]


def test_a_mapping_file_gives_the_cli_json(own):
    data, m = own
    cli = run_cli("evaluate", "-s", FLAT, "-d", data, "--columns", m, "--format", "json").stdout.decode()
    ev = zv.evaluate(FLAT, data=data, columns=m)
    assert ev.json() + "\n" == cli or ev.json() == cli
    # The mapping file is recorded with its hash, as the CLI's.
    assert json.loads(ev.json())["provenance"]["parameters"]["columns_file"]["file"] == m


def test_a_dict_maps_as_the_file_does(own):
    data, m = own
    by_file = zv.evaluate(FLAT, data=data, columns=m)
    by_dict = zv.evaluate(FLAT, data=data, columns=MAPPING)
    assert zones(by_dict.json()) == zones(by_file.json())
    pd.testing.assert_frame_equal(by_dict.ranking, by_file.ranking)
    # And both rank as the file with the system's own headers (tests/data/flat.csv).
    assert zones(by_dict.json()) == cli_json("evaluate", "-s", FLAT, "-d", "tests/data/flat.csv", "--format", "json")["zones"]
    params = json.loads(by_dict.json())["provenance"]["parameters"]
    assert params["columns"] == MAPPING and params["columns_file"] is None


def test_a_dict_maps_a_data_frames_headers(own):
    data, _ = own
    df = pd.read_csv(data)
    ev = zv.evaluate(FLAT, data=df, columns=MAPPING)
    assert zones(ev.json()) == zones(zv.evaluate(FLAT, data=data, columns=MAPPING).json())


def test_a_dict_replaces_the_systems_data_columns(tmp_path):
    # A system whose [data] columns maps fdi_actual to a header the data lacks.
    text = (ROOT / FLAT).read_text(encoding="utf-8")
    text = text.replace("[data]\n", '[data]\ncolumns = { fdi_actual = "实际使用外资" }\n', 1)
    assert "实际使用外资" in text
    sys_path = tmp_path / "system.toml"
    sys_path.write_text(text, encoding="utf-8")
    with pytest.raises(zv.InputError, match="which the file does not have"):
        zv.evaluate(sys_path, data="tests/data/flat.csv")
    ev = zv.evaluate(sys_path, data="tests/data/flat.csv", columns={"fdi_actual": "fdi_actual"})
    assert zones(ev.json()) == cli_json("evaluate", "-s", FLAT, "-d", "tests/data/flat.csv", "--format", "json")["zones"]


def test_id_and_name_columns(own, tmp_path):
    data, _ = own
    rest = {k: v for k, v in MAPPING.items() if k not in ("zone_id", "zone_name")}
    m = tmp_path / "rest.csv"
    m.write_text("column,header\n" + "".join(f"{k},{v}\n" for k, v in rest.items()), encoding="utf-8")
    cli = run_cli(
        "evaluate", "-s", FLAT, "-d", data, "--id-column", "代码", "--name-column", "名称", "--columns", str(m),
        "--format", "json",
    ).stdout.decode()
    ev = zv.evaluate(FLAT, data=data, id_column="代码", name_column="名称", columns=str(m))
    assert ev.json().rstrip("\n") == cli.rstrip("\n")
    # The same with the other columns as a dict: the CLI's zones.
    ev = zv.evaluate(FLAT, data=data, id_column="代码", name_column="名称", columns=rest)
    assert zones(ev.json()) == zones(cli)
    params = json.loads(ev.json())["provenance"]["parameters"]
    assert params["id_column"] == "代码" and params["name_column"] == "名称"


def test_sheet_gives_the_cli_json():
    for sheet in ("2023", "2024"):
        cli = run_cli("evaluate", "-s", FLAT_COMMON, "-d", BOOK, "--sheet", sheet, "--format", "json").stdout.decode()
        ev = zv.evaluate(FLAT_COMMON, data=BOOK, sheet=sheet)
        assert ev.json().rstrip("\n") == cli.rstrip("\n")
        assert json.loads(ev.json())["provenance"]["parameters"]["sheet"] == sheet


@pytest.mark.parametrize(
    "cli_args,kw",
    [
        (["-s", FLAT_COMMON, "-d", BOOK, "--sheet", "2030"], dict(system=FLAT_COMMON, data=BOOK, sheet="2030")),
        (["-s", FLAT, "-d", "tests/data/flat.csv", "--id-column", "代码"], dict(system=FLAT, data="tests/data/flat.csv", id_column="代码")),
        (["-s", FLAT, "-d", "tests/data/flat.csv", "--name-column", "名称"], dict(system=FLAT, data="tests/data/flat.csv", name_column="名称")),
        (["-s", FLAT, "-d", "tests/data/flat.csv", "--columns", "no/such/map.csv"], dict(system=FLAT, data="tests/data/flat.csv", columns="no/such/map.csv")),
    ],
)
def test_errors_are_the_clis(cli_args, kw):
    code, msg = cli_errors("evaluate", *cli_args)
    assert code == 1
    with pytest.raises(zv.InputError) as info:
        zv.evaluate(**kw)
    assert str(info.value) == msg


def test_dict_errors_are_located_at_columns(own):
    data, _ = own
    with pytest.raises(zv.InputError) as info:
        zv.evaluate(FLAT, data=data, columns=dict(MAPPING, fdi_actul="外资"))
    # The CLI's wording for a mapping file's row, located at `<columns>`.
    assert "<columns>: `fdi_actul` is not a column this system reads (did you mean `fdi_actual`?)" in str(info.value)
    with pytest.raises(zv.InputError) as info:
        zv.evaluate(FLAT, data=data, columns=dict(MAPPING, energy="能源"))
    assert "<columns>: column `energy` is mapped to the header `能源`, which the file does not have" in str(info.value)
    with pytest.raises(zv.InputError) as info:
        zv.evaluate(FLAT, data=data, columns=dict(MAPPING, energy=" "))
    assert "<columns>: `energy` → ``: a mapping needs" in str(info.value)


@pytest.mark.parametrize(
    "kw,words",
    [
        (dict(columns=["zone_id", "代码"]), "columns must be a dict of system column → data header or a mapping file, not list"),
        (dict(columns={"zone_id": 3}), "columns maps the system's column names to the data's headers (str to str)"),
        (dict(sheet=2024), "sheet must be a str, not int"),
        (dict(id_column=1), "id_column must be a str, not int"),
    ],
)
def test_argument_types_are_usage_errors(kw, words):
    with pytest.raises(zv.UsageError) as info:
        zv.evaluate(FLAT, data="tests/data/flat.csv", **kw)
    assert words in str(info.value)


def test_every_function_that_reads_data_takes_them(own):
    data, m = own
    ref = dict(system=FLAT, data="tests/data/flat.csv")
    mapped = dict(system=FLAT, data=data, columns=MAPPING)
    # Monte Carlo: the CLI's numbers with --columns.
    mc = zv.monte_carlo(**mapped, samples=500, top=2)
    cli = cli_json("sensitivity", "monte-carlo", "-s", FLAT, "-d", data, "--columns", m, "--samples", "500",
                   "--top", "2", "--format", "json")
    assert list(mc["mean_rank"]) == [z["mean_rank"] for z in cli["zones"]]
    pd.testing.assert_frame_equal(mc, zv.monte_carlo(**ref, samples=500, top=2))
    for fn, kw in [(zv.sobol, dict(samples=64, bootstrap=10)), (zv.oat, {}), (zv.stability, dict(top=2))]:
        got, want = fn(**mapped, **kw), fn(**ref, **kw)
        for k in want:
            pd.testing.assert_frame_equal(got[k], want[k])
    pd.testing.assert_frame_equal(zv.audit(**mapped).indicators, zv.audit(**ref).indicators)
    c = zv.compare(**mapped, methods=["topsis", "vikor"])
    pd.testing.assert_frame_equal(c.zones, zv.compare(**ref, methods=["topsis", "vikor"]).zones)
    # The analyses refuse a bad mapping with the located message.
    for fn in (zv.monte_carlo, zv.sobol, zv.oat, zv.stability, zv.audit):
        with pytest.raises(zv.InputError, match="<columns>: `fdi_actul` is not a column"):
            fn(system=FLAT, data=data, columns=dict(MAPPING, fdi_actul="外资"))
    with pytest.raises(zv.InputError, match="<columns>: `fdi_actul` is not a column"):
        zv.compare(system=FLAT, data=data, columns=dict(MAPPING, fdi_actul="外资"), methods=["topsis"])
