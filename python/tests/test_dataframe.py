"""A DataFrame gives the same result as the CSV it was read from."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import zoneval as zv
from conftest import ROOT, run_cli

warnings.simplefilter("ignore", zv.ZonevalWarning)


def strip_places(doc: dict) -> dict:
    """The document without what names the data's file (warnings, imputed cells and the
    provenance name it)."""
    doc = dict(doc)
    for k in ("warnings", "imputed", "provenance"):
        doc.pop(k, None)
    return doc


@pytest.mark.parametrize(
    "system,csv,kw",
    [
        ("shandong-provincial", "seeds/shandong-zones.csv", {}),
        ("shandong-provincial", "seeds/shandong-zones.csv", {"weighting": "entropy", "aggregation": "topsis"}),
        ("mofcom-etdz-2021", "seeds/shandong-zones.csv", {}),
        ("tests/data/flat.toml", "tests/data/flat.csv", {"aggregation": "vikor"}),
        ("tests/data/report.toml", "tests/data/report.csv", {}),
        ("project-access", "seeds/project-applications.csv", {}),
    ],
)
def test_frame_equals_csv(system, csv, kw):
    df = pd.read_csv(ROOT / csv)
    a = zv.evaluate(system, data=csv, **kw)
    b = zv.evaluate(system, data=df, **kw)
    pd.testing.assert_frame_equal(a.ranking, b.ranking, check_exact=True)
    pd.testing.assert_series_equal(a.weights, b.weights, check_exact=True)
    assert strip_places(json.loads(a.json())) == strip_places(json.loads(b.json()))
    # And both are the CLI's.
    cli = json.loads(run_cli("evaluate", "--format", "json", "--system", system, "--data", csv,
                             *sum((["--" + k, v] for k, v in kw.items()), [])).stdout)
    assert json.loads(a.json()) == cli
    assert strip_places(json.loads(b.json())) == strip_places(cli)


def test_frame_messages_use_the_csv_lines():
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv")
    ev = zv.evaluate(data=df)
    # Warnings name the frame and the same line/column as the CSV's.
    csv = zv.evaluate(data="seeds/shandong-zones.csv")
    assert [w.replace("<DataFrame>", "seeds/shandong-zones.csv") for w in ev.warnings] == csv.warnings


def test_chinese_headers(tmp_path):
    system = tmp_path / "cn.toml"
    system.write_text(
        """
[system]
id = "cn"
name = "中文列名"

[data]
id_column = "代码"
name_column = "名称"

[method]
weighting = "entropy"
aggregation = "topsis"

[[indicators]]
id = "fdi"
column = "实际利用外资"
direction = "benefit"

[[indicators]]
id = "energy"
column = "单位能耗"
direction = "cost"

[[indicators]]
id = "tax"
column = "税收（万元）"
direction = "benefit"
""",
        encoding="utf-8",
    )
    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {
            "代码": [f"Z{i:03d}" for i in range(40)],
            "名称": [f"第{i}开发区" for i in range(40)],
            "实际利用外资": rng.lognormal(8, 1, 40).round(2),
            "单位能耗": rng.uniform(0.1, 2, 40).round(4),
            "税收（万元）": rng.integers(100, 100000, 40),
        }
    )
    csv = tmp_path / "cn.csv"
    df.to_csv(csv, index=False, encoding="utf-8")
    expected = run_cli("evaluate", "--format", "json", "--system", str(system), "--data", str(csv)).stdout.decode()
    assert zv.evaluate(system, data=csv).json() == expected
    assert strip_places(json.loads(zv.evaluate(system, data=df).json())) == strip_places(json.loads(expected))
    # Read back by pandas (ints stay ints, floats floats) and with the id as the index.
    back = pd.read_csv(csv)
    assert zv.evaluate(system, data=back).json() == zv.evaluate(system, data=df).json()
    assert zv.evaluate(system, data=back.set_index("代码")).json() == zv.evaluate(system, data=df).json()


def test_missing_cells_and_text_columns():
    # Missing values (NaN) are missing cells, as empty CSV cells are; text columns of numbers
    # (object dtype) are parsed as the CSV's cells are.
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv")
    assert df.isna().any().any()
    as_text = df.astype(object).where(df.notna(), None).astype(str).replace("None", "")
    a = zv.evaluate(data=df)
    b = zv.evaluate(data=as_text)
    pd.testing.assert_frame_equal(a.ranking, b.ranking, check_exact=True)


def test_frame_sensitivity_equals_csv():
    df = pd.read_csv(ROOT / "tests/data/flat.csv")
    a = zv.monte_carlo("tests/data/flat.toml", data="tests/data/flat.csv", samples=500)
    b = zv.monte_carlo("tests/data/flat.toml", data=df, samples=500)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_data_of_another_type_is_a_type_error():
    with pytest.raises(TypeError):
        zv.evaluate(data=[1, 2, 3])
