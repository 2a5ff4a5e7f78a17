"""`zv.audit` and `zv.compare` against `zoneval audit` / `zoneval compare`: the JSON byte for
byte, the DataFrames equal to the CLI's numbers (its JSON and its CSV), a DataFrame input equal
to the CSV it was read from, and the errors with the CLI's messages.

The statistics themselves are checked against hand computations in tests/audit_compare.rs
(α = 39/41 on the system below, the moments of x4, the size correlations 1, 0.8 and
40/√2000); here the package must give the CLI's numbers for the same inputs.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import zoneval as zv
from conftest import ROOT, cli_errors, run_cli

warnings.simplefilter("ignore", zv.ZonevalWarning)

# The system and data of tests/audit_compare.rs: two criteria, x2 an exact copy of x1 (a
# redundant pair), x4 alone in its criterion (α undefined), an `area` size column.
SYSTEM = """
[system]
id = "audit-test"
name = "审查测试"

[method]
normalization = "min-max"
weighting = "expert"
aggregation = "weighted-sum"

[[criteria]]
id = "open"
name = "对外开放"
name_en = "Opening up"
weight = 0.6
  [[criteria.indicators]]
  id = "x1"
  name = "指标一"
  direction = "benefit"
  weight = 0.4
  [[criteria.indicators]]
  id = "x2"
  name = "指标二"
  direction = "benefit"
  weight = 0.3
  [[criteria.indicators]]
  id = "x3"
  name = "指标三"
  direction = "benefit"
  weight = 0.3

[[criteria]]
id = "green"
name = "绿色发展"
name_en = "Green"
weight = 0.4
  [[criteria.indicators]]
  id = "x4"
  name = "指标四"
  direction = "benefit"
  weight = 1
"""

DATA = """zone_id,zone_name,x1,x2,x3,x4,area
z1,甲,0,0,0,1,2
z2,乙,1,1,2,2,4
z3,丙,2,2,1,3,6
z4,丁,3,3,4,4,8
z5,戊,4,4,3,10,10
"""


@pytest.fixture
def small(tmp_path):
    """(system path, data path) of the hand-computed example."""
    s = tmp_path / "system.toml"
    d = tmp_path / "data.csv"
    s.write_text(SYSTEM, encoding="utf-8")
    d.write_text(DATA, encoding="utf-8")
    return str(s), str(d)


def nan_eq(got, want) -> bool:
    """A frame's float (NaN for missing) equals the JSON number (null for missing)."""
    if want is None:
        return math.isnan(got)
    return got == want


# ----------------------------------------------------------------------------------- audit


def without_provenance(text: str) -> dict:
    """A result document without its provenance, which names the data file (a DataFrame has
    none) and its hash."""
    doc = json.loads(text)
    doc.pop("provenance")
    return doc


def check_audit_frames(a: zv.Audit, doc: dict, lang: str = "en") -> None:
    ind = a.indicators
    assert list(ind["id"]) == [i["id"] for i in doc["indicators"]]
    assert list(ind["name"]) == [i["name"] for i in doc["indicators"]]
    assert [None if pd.isna(c) else c for c in ind["criterion"]] == [i["criterion"] for i in doc["indicators"]]
    for col in ("coverage", "skewness", "kurtosis", "size_correlation", "nominal_weight", "effective_weight"):
        assert all(nan_eq(g, i[col]) for g, i in zip(ind[col], doc["indicators"])), col
        assert ind[col].dtype == np.float64
    cr = a.criteria
    assert list(cr["id"]) == [c["id"] for c in doc["criteria"]]
    assert list(cr["indicators"]) == [len(c["indicators"]) for c in doc["criteria"]]
    assert all(nan_eq(g, c["cronbach_alpha"]) for g, c in zip(cr["cronbach_alpha"], doc["criteria"]))
    assert [None if pd.isna(x) else x for x in cr["alpha_undefined"]] == [
        c.get("alpha_undefined") for c in doc["criteria"]
    ]
    assert all(nan_eq(g, c["pc1_share"]) for g, c in zip(cr["pc1_share"], doc["criteria"]))
    want_pairs = [
        (c["id"], kind, p["a"], p["b"], p["r"])
        for c in doc["criteria"]
        for kind in ("redundant", "conflicting")
        for p in c[f"{kind}_pairs"]
    ]
    assert list(a.pairs.itertuples(index=False, name=None)) == want_pairs
    assert list(cr["redundant_pairs"]) == [len(c["redundant_pairs"]) for c in doc["criteria"]]
    # JSON messages are English whatever the language (a machine format); the frame's follow
    # `lang`, like the CLI's table.
    assert [(f[0], f[1]) for f in a.flags.itertuples(index=False, name=None)] == [
        (f["id"], f["kind"]) for f in doc["flags"]
    ]
    if lang == "en":
        assert list(a.flags["message"]) == [f["message"] for f in doc["flags"]]
    # One correlation matrix per criterion, over its indicators, symmetric with a unit diagonal
    # where defined.
    assert list(a.correlation) == [c["id"] for c in doc["criteria"]]
    for c in doc["criteria"]:
        m = a.correlation[c["id"]]
        assert list(m.index) == c["indicators"] == list(m.columns)
        v = m.to_numpy()
        assert np.array_equal(v, v.T, equal_nan=True)


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"system": "mofcom-etdz-2021", "data": "shandong-zones"},
        {"system": "shandong-provincial", "weighting": "entropy", "aggregation": "topsis"},
        {"system": "shandong-provincial", "year": 2022},
        {"system": "tests/data/flat.toml", "data": "tests/data/flat.csv"},
        {"system": "shandong-provincial", "size_column": "approved_area_ha"},
    ],
    ids=str,
)
def test_audit_json_is_the_clis_byte_for_byte(args):
    cli = ["audit", "--format", "json"]
    for k, v in args.items():
        cli += [f"--{k.replace('_', '-')}", str(v)]
    expected = run_cli(*cli).stdout.decode("utf-8")
    a = zv.audit(**args)
    assert a.json() == expected
    check_audit_frames(a, json.loads(expected))


def test_audit_with_a_size_column_and_both_languages(small):
    system, data = small
    for lang in ("en", "zh"):
        expected = run_cli(
            "--lang", lang, "audit", "--system", system, "--data", data, "--size-column", "area", "--format", "json"
        ).stdout.decode("utf-8")
        a = zv.audit(system, data, size_column="area", lang=lang)
        assert a.json() == expected
        doc = json.loads(expected)
        check_audit_frames(a, doc, lang)
    assert a.size_column == "area"
    # The hand computation of tests/audit_compare.rs: x1 is linear in the area.
    assert a.indicators.set_index("id").loc["x1", "size_correlation"] == pytest.approx(1.0)
    assert a.criteria.set_index("id").loc["open", "cronbach_alpha"] == pytest.approx(39 / 41)
    assert a.criteria.set_index("id").loc["green", "alpha_undefined"] == "one-indicator"
    assert ("open", "redundant", "x1", "x2") == tuple(a.pairs.iloc[0, :4])
    # Without a size column there is none.
    assert zv.audit(system, data).indicators["size_correlation"].isna().all()


def test_audit_of_a_frame_equals_the_csv(small):
    system, data = small
    df = pd.read_csv(data)
    a = zv.audit(system, data, size_column="area")
    b = zv.audit(system, df, size_column="area")
    assert without_provenance(a.json()) == without_provenance(b.json())
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    c = zv.audit("shandong-provincial", pd.read_csv(ROOT / "seeds/shandong-zones.csv"))
    d = zv.audit("shandong-provincial", "seeds/shandong-zones.csv")
    assert without_provenance(c.json()) == without_provenance(d.json())


def test_audit_errors_are_the_clis(small, tmp_path):
    system, data = small
    # A size column that is not in the data, or not numeric: the CLI's located message.
    for col in ("no_such_column", "zone_name"):
        code, msg = cli_errors("audit", "--system", system, "--data", data, "--size-column", col)
        assert code == 1
        with pytest.raises(zv.InputError) as e:
            zv.audit(system, data, size_column=col)
        assert str(e.value) == msg
    bad = tmp_path / "bad.csv"
    bad.write_text(DATA.replace("z3,丙,2,2,1,3,6", "z3,丙,2,2,x,3,6"), encoding="utf-8")
    code, msg = cli_errors("audit", "--system", system, "--data", str(bad))
    assert code == 1
    with pytest.raises(zv.InputError) as e:
        zv.audit(system, str(bad))
    assert str(e.value) == msg
    with pytest.raises(zv.UsageError, match="unknown aggregation"):
        zv.audit(system, data, aggregation="electre-iii")
    with pytest.raises(zv.UsageError, match="lang"):
        zv.audit(system, data, lang="fr")


# --------------------------------------------------------------------------------- compare

METHOD_CASES = [
    (None, None, ["topsis", "vikor", "weighted-sum"], {}),
    ("shandong-provincial", None, ["topsis", "vector/entropy/topsis", "z-score/critic/vikor"], {}),
    ("shandong-provincial", None, ["topsis", "promethee-ii"], {"weighting": "entropy"}),
    ("tests/data/flat.toml", "tests/data/flat.csv", ["weighted-sum", "topsis"], {}),
    ("mofcom-etdz-2021", "shandong-zones", ["topsis"], {"year": 2022}),
]


def compare_cli(system, data, methods=None, systems=None, fmt="json", **kw):
    args = ["compare", "--format", fmt]
    if system is not None:
        args += ["--system", system]
    if data is not None:
        args += ["--data", data]
    if methods is not None:
        args += ["--methods", ",".join(methods)]
    if systems is not None:
        args += ["--systems", ",".join(systems)]
    for k, v in kw.items():
        args += [f"--{k}", str(v)]
    return run_cli(*args).stdout.decode("utf-8")


def check_compare_frames(c: zv.Comparison, doc: dict, csv_text: str) -> None:
    assert c.methods == doc["methods"]
    z = c.zones
    # The CLI's CSV, column for column (the bundled names need no CSV escaping).
    want = pd.read_csv(pd.io.common.StringIO(csv_text), dtype={"id": str, "name": str})
    assert list(z.columns) == list(want.columns)
    for col in want.columns:
        if col.startswith("grade_"):
            assert [None if pd.isna(x) else x for x in z[col]] == [None if pd.isna(x) else x for x in want[col]]
        else:
            assert list(z[col]) == list(want[col]), col
    # And the JSON's numbers.
    assert list(z["id"]) == [x["id"] for x in doc["zones"]]
    for k, label in enumerate(doc["methods"]):
        assert list(z[f"rank_{label}"]) == [x["ranks"][label] for x in doc["zones"]]
    assert list(zip(z["best"], z["worst"])) == [tuple(x["rank_range"]) for x in doc["zones"]]
    for name, m in (("spearman", c.spearman), ("kendall", c.kendall)):
        assert list(m.index) == doc["methods"] == list(m.columns)
        want_m = doc[name]
        for i in range(len(want_m)):
            assert all(nan_eq(m.iat[i, j], want_m[i][j]) for j in range(len(want_m))), name


@pytest.mark.parametrize("case", METHOD_CASES, ids=str)
def test_compare_methods_is_the_clis(case):
    system, data, methods, kw = case
    expected = compare_cli(system, data, methods=methods, **kw)
    csv_text = compare_cli(system, data, methods=methods, fmt="csv", **kw)
    c = zv.compare(system, data, methods=methods, **kw)
    assert c.json() == expected
    assert not c.systems
    check_compare_frames(c, json.loads(expected), csv_text)
    # The CLI's comma-separated spelling works too.
    assert zv.compare(system, data, methods=",".join(methods), **kw).json() == expected


def test_compare_systems_is_the_clis(tmp_path):
    flat = (ROOT / "tests/data/flat.toml").read_text(encoding="utf-8")
    official = tmp_path / "official.toml"
    proposal = tmp_path / "proposal.toml"
    official.write_text(flat, encoding="utf-8")
    # As in tests/audit_compare.rs: the proposal puts nearly all the weight on actual FDI.
    proposal.write_text(
        flat.replace("weight = 0.4", "weight = 0.9", 1).replace("weight = 0.3", "weight = 0.05"), encoding="utf-8"
    )
    cases = [
        ([str(official), str(proposal)], "tests/data/flat.csv"),
        (["shandong-provincial", "mofcom-etdz-2021"], "shandong-zones"),
    ]
    for systems, data in cases:
        expected = compare_cli(None, data, systems=systems)
        csv_text = compare_cli(None, data, systems=systems, fmt="csv")
        c = zv.compare(data=data, systems=systems)
        assert c.json() == expected
        assert c.systems
        doc = json.loads(expected)
        check_compare_frames(c, doc, csv_text)
        assert list(c.zones["delta_rank"]) == [x["delta_rank"] for x in doc["zones"]]
    assert c.methods == ["shandong-provincial", "mofcom-etdz-2021"]
    # Path objects are accepted.
    assert zv.compare(data="tests/data/flat.csv", systems=[official, proposal]).methods == ["official", "proposal"]


def test_compare_of_a_frame_equals_the_csv():
    df = pd.read_csv(ROOT / "seeds/shandong-zones.csv")
    methods = ["topsis", "vikor", "vector/entropy/weighted-sum"]
    a = zv.compare("shandong-provincial", "seeds/shandong-zones.csv", methods=methods)
    b = zv.compare("shandong-provincial", df, methods=methods)
    assert without_provenance(a.json()) == without_provenance(b.json())
    pd.testing.assert_frame_equal(a.zones, b.zones)
    pd.testing.assert_frame_equal(a.kendall, b.kendall)


def test_compare_usage_errors():
    # The CLI's messages, with `--methods` spelled `methods`.
    for methods, cli_fragment in (
        (["topsis", "electre-iii"], "topsis,electre-iii"),
        (["min-max/entropi/topsis"], "min-max/entropi/topsis"),
        (["min-max/topsis"], "min-max/topsis"),
        (["topsis", " topsis"], "topsis,topsis"),
    ):
        code, msg = cli_errors("compare", "--methods", cli_fragment)
        assert code == 2
        with pytest.raises(zv.UsageError) as e:
            zv.compare(methods=methods)
        assert str(e.value) == msg.replace("--methods", "methods")
    with pytest.raises(zv.UsageError, match=r"needs methods=\[\.\.\.\] or systems=\[\.\.\.\]"):
        zv.compare()
    with pytest.raises(zv.UsageError, match="needs methods"):
        zv.compare(methods=[])
    with pytest.raises(zv.UsageError, match="either methods or systems, not both"):
        zv.compare(methods=["topsis"], systems=["shandong-provincial"])
    with pytest.raises(zv.UsageError, match="do not give system too"):
        zv.compare("shandong-provincial", systems=["mofcom-etdz-2021"])
    with pytest.raises(zv.UsageError, match="`shandong-provincial` is compared twice"):
        zv.compare(systems=["shandong-provincial", "shandong-provincial"])
    with pytest.raises(zv.UsageError, match="unknown weighting"):
        zv.compare(methods=["topsis"], weighting="entropi")


def test_compare_input_errors_are_the_clis(tmp_path):
    code, msg = cli_errors("compare", "--methods", "topsis", "--system", "no/such/system.toml")
    assert code == 1
    with pytest.raises(zv.InputError) as e:
        zv.compare("no/such/system.toml", methods=["topsis"])
    assert str(e.value) == msg
