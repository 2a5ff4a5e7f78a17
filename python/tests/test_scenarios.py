"""Weight scenarios in the package: ``weights`` (the CLI's ``--weight NODE=W``) and ``ahp``
(``--ahp NODE=FILE``) on every function that evaluates.

Each result is checked against the CLI run with the same flags on the same inputs (the JSON
byte for byte, or the same numbers), and ``weights`` against the system file edited by hand
(``tests/weight_scenarios.rs``'s independent check: flat.toml weighs fdi_actual 0.4 and the
other two 0.3; ``fdi_actual=0.6`` leaves 0.2 each).
"""

from __future__ import annotations

import json
import warnings

import pytest

import zoneval as zv
from conftest import ROOT, cli_errors, cli_json, run_cli

warnings.simplefilter("ignore", zv.ZonevalWarning)

FLAT = "tests/data/flat.toml"
FLAT_CSV = "tests/data/flat.csv"
#: Shandong's `[method] ahp` judgements, labelled (the same matrix as the system's).
SAME = (
    ",fdi,trade,land,env,innov,service\n"
    "fdi,1,2,3,3,4,5\ntrade,1/2,1,2,2,3,4\nland,1/3,1/2,1,1,2,3\n"
    "env,1/3,1/2,1,1,2,3\ninnov,1/4,1/3,1/2,1/2,1,2\nservice,1/5,1/4,1/3,1/3,1/2,1\n"
)
EQUAL = "1,1,1,1,1,1\n" * 6


def test_weights_give_the_clis_json():
    expected = run_cli("evaluate", "-s", FLAT, "-d", FLAT_CSV, "--weight", "fdi_actual=0.6", "--format", "json")
    ev = zv.evaluate(FLAT, data=FLAT_CSV, weights={"fdi_actual": 0.6})
    assert ev.json().rstrip("\n") == expected.stdout.decode().rstrip("\n")
    assert json.loads(ev.json())["provenance"]["parameters"]["weights"]


def test_weights_equal_the_edited_file(tmp_path):
    text = (ROOT / FLAT).read_text(encoding="utf-8")
    edited = text.replace("weight = 0.4", "weight = 0.6", 1).replace("weight = 0.3", "weight = 0.2")
    assert edited != text
    f = tmp_path / "edited.toml"
    f.write_text(edited, encoding="utf-8")
    by_hand = zv.evaluate(f, data=FLAT_CSV)
    scenario = zv.evaluate(FLAT, data=FLAT_CSV, weights={"fdi_actual": 0.6})
    assert scenario.weights.round(12).to_dict() == by_hand.weights.round(12).to_dict()
    assert scenario.weights["fdi_actual"] == pytest.approx(0.6, abs=1e-12)
    assert scenario.ranking["id"].tolist() == by_hand.ranking["id"].tolist()
    assert scenario.ranking["score"].round(9).tolist() == by_hand.ranking["score"].round(9).tolist()


def test_ahp_gives_the_clis_json(tmp_path):
    same = tmp_path / "same.csv"
    same.write_text(SAME, encoding="utf-8")
    equal = tmp_path / "equal.csv"
    equal.write_text(EQUAL, encoding="utf-8")
    for f in (same, equal):
        expected = run_cli("evaluate", "--ahp", f"root={f}", "--format", "json").stdout.decode()
        ev = zv.evaluate(ahp={"root": f})
        assert ev.json().rstrip("\n") == expected.rstrip("\n")
    # The same judgements rank as the system does; equal ones weigh every criterion 1/6.
    assert zv.evaluate(ahp={"root": same}).ranking["id"].tolist() == zv.evaluate().ranking["id"].tolist()
    doc = json.loads(zv.evaluate(ahp={"root": str(equal)}).json())
    assert doc["consistency"][0]["cr"] == pytest.approx(0.0, abs=1e-12)


def test_sensitivity_audit_and_compare_take_the_scenario():
    flags = ["--weight", "fdi_actual=0.6"]
    doc = cli_json("sensitivity", "monte-carlo", "-s", FLAT, "-d", FLAT_CSV, "--samples", "300", "--format", "json", *flags)
    df = zv.monte_carlo(FLAT, FLAT_CSV, samples=300, weights={"fdi_actual": 0.6})
    assert df["mean_rank"].tolist() == [z["mean_rank"] for z in doc["zones"]]
    base = zv.monte_carlo(FLAT, FLAT_CSV, samples=300)
    assert df["mean_rank"].tolist() != base["mean_rank"].tolist() or df["p_top"].tolist() != base["p_top"].tolist()
    expected = run_cli("audit", "-s", FLAT, "-d", FLAT_CSV, "--format", "json", *flags).stdout.decode()
    assert zv.audit(FLAT, FLAT_CSV, weights={"fdi_actual": 0.6}).json() == expected
    expected = run_cli(
        "compare", "-s", FLAT, "-d", FLAT_CSV, "--methods", "topsis,vikor", "--format", "json", *flags
    ).stdout.decode()
    assert zv.compare(FLAT, FLAT_CSV, methods="topsis,vikor", weights={"fdi_actual": 0.6}).json() == expected


@pytest.mark.parametrize(
    "weights,match",
    [
        ({"fdi_actual": -1}, "finite number ≥ 0"),
        ({"fdi_actual": float("nan")}, "finite number ≥ 0"),
        ({"fdi_actual": "x"}, "is not a number"),
        ({"": 0.3}, "node id is empty"),
        ([("fdi_actual", 0.3)], "a dict"),
    ],
)
def test_bad_weights_are_usage_errors(weights, match):
    with pytest.raises(zv.UsageError, match=match):
        zv.evaluate(FLAT, data=FLAT_CSV, weights=weights)


def test_scenario_input_errors_are_the_clis(tmp_path):
    # An unknown node (the CLI names the nearest id), a weight under AHP judgements, an
    # inconsistent matrix: the CLI's exit 1 and its message.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "1,9,1/9,1,1,1\n1/9,1,9,1,1,1\n9,1/9,1,1,1,1\n1,1,1,1,1,1\n1,1,1,1,1,1\n1,1,1,1,1,1\n", encoding="utf-8"
    )
    cases = [
        (["-s", FLAT, "-d", FLAT_CSV, "--weight", "fdi_actul=0.3"], dict(system=FLAT, data=FLAT_CSV, weights={"fdi_actul": 0.3})),
        (["--weight", "env=0.3"], dict(weights={"env": 0.3})),
        (["--ahp", f"root={bad}"], dict(ahp={"root": bad})),
        (["--ahp", "root=no/such/file.csv"], dict(ahp={"root": "no/such/file.csv"})),
    ]
    for args, kw in cases:
        code, msg = cli_errors("evaluate", *args)
        assert code == 1, args
        with pytest.raises(zv.InputError) as info:
            zv.evaluate(**kw)
        assert str(info.value) == msg, args
