"""Monte Carlo, Sobol, OAT and stability against the CLI's JSON numbers; seeds and thread
counts reproduce exactly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import zoneval as zv
from conftest import cli_json, run_python

warnings.simplefilter("ignore", zv.ZonevalWarning)

MC_COLUMNS = ["id", "name", "base_rank", "mean_rank", "p05", "p50", "p95", "p_top"]


@pytest.mark.parametrize(
    "system,kw,flags",
    [
        ("shandong-provincial", dict(samples=2000, seed=1), ["--samples", "2000"]),
        ("shandong-provincial", dict(samples=1500, seed=42, perturb=0.4, top=5),
         ["--samples", "1500", "--seed", "42", "--perturb", "0.4", "--top", "5"]),
        ("mofcom-etdz-2021", dict(samples=1000, aggregation="topsis"),
         ["--samples", "1000", "--aggregation", "topsis"]),
        ("shandong-provincial", dict(samples=800, dirichlet=50.0), ["--samples", "800", "--dirichlet", "50"]),
        ("shandong-provincial", dict(samples=600, vary_aggregation=["topsis", "vikor"]),
         ["--samples", "600", "--vary-aggregation", "topsis,vikor"]),
    ],
)
def test_monte_carlo_is_the_clis(system, kw, flags):
    doc = cli_json("sensitivity", "monte-carlo", "--system", system, "--format", "json", *flags)
    df = zv.monte_carlo(system, **kw)
    assert list(df.columns) == MC_COLUMNS
    assert df.attrs["samples"] == doc["samples"] and df.attrs["top"] == doc["top"]
    for col in MC_COLUMNS:
        assert df[col].tolist() == [z[col] for z in doc["zones"]], col
    assert df["mean_rank"].dtype == "float64" and df["base_rank"].dtype == "int64"
    acc = df.attrs["acceptability"]
    assert acc.shape == (len(df), doc["top"])
    assert acc.tolist() == [z["acceptability"] for z in doc["zones"]]


def test_monte_carlo_defaults_are_the_clis():
    doc = cli_json("sensitivity", "monte-carlo", "--format", "json")
    df = zv.monte_carlo()
    assert df.attrs["samples"] == doc["samples"] == 10000 and df.attrs["top"] == doc["top"] == 10
    assert df["p95"].tolist() == [z["p95"] for z in doc["zones"]]


def test_monte_carlo_weights_file(tmp_path):
    ev = zv.evaluate()
    rng = np.random.default_rng(3)
    w = rng.uniform(0.5, 1.5, (50, len(ev.weights))) * ev.weights.to_numpy()
    f = tmp_path / "w.csv"
    f.write_text(",".join(ev.weights.index) + "\n" + "\n".join(",".join(repr(float(x)) for x in r) for r in w) + "\n")
    doc = cli_json("sensitivity", "monte-carlo", "--weights-file", str(f), "--format", "json")
    df = zv.monte_carlo(weights_file=f, samples=None)
    assert df.attrs["samples"] == 50
    assert df["mean_rank"].tolist() == [z["mean_rank"] for z in doc["zones"]]


def index_table(section: dict, factors: list) -> list:
    """The indices as the JSON gives them, null (undefined: an output that does not vary) as
    NaN, so that NaN-aware equality can compare them with the DataFrame's."""
    return [[nan_if_null(section[k][f]) for k in ("S1", "S1_conf", "ST", "ST_conf")] for f in factors]


def nan_if_null(x):
    return float("nan") if x is None else x


def same(a: list, b: list) -> bool:
    """Equal element by element, NaN equal to NaN (and nothing else)."""
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)


@pytest.mark.parametrize(
    "system,kw,flags",
    [
        ("shandong-provincial", dict(samples=64, bootstrap=20), ["--samples", "64", "--bootstrap", "20"]),
        ("shandong-provincial", dict(samples=32, factors="indicators", range=0.3, top=5, seed=9),
         ["--samples", "32", "--factors", "indicators", "--range", "0.3", "--top", "5", "--seed", "9"]),
        ("tests/data/flat.toml", dict(data="tests/data/flat.csv", samples=128),
         ["--data", "tests/data/flat.csv", "--samples", "128"]),
    ],
)
def test_sobol_is_the_clis(system, kw, flags):
    doc = cli_json("sensitivity", "sobol", "--system", system, "--format", "json", *flags)
    out = zv.sobol(system, **kw)
    zones, shift = out["zones"], out["rank_shift"]
    factors = doc["factors"]
    assert zones.attrs["factors"] == factors and zones.attrs["samples"] == doc["samples"]
    assert list(shift["factor"]) == factors
    assert same(shift[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy().tolist(), index_table(doc["rank_shift"], factors))
    assert len(zones) == len(doc["zones"]) * len(factors)
    for i, z in enumerate(doc["zones"]):
        part = zones.iloc[i * len(factors):(i + 1) * len(factors)]
        assert set(part["id"]) == {z["id"]} and set(part["base_rank"]) == {z["base_rank"]}
        assert list(part["factor"]) == factors
        assert same(part[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy().tolist(), index_table(z, factors))


def test_oat_is_the_clis():
    doc = cli_json("sensitivity", "oat", "--format", "json", "--steps", "4")
    out = zv.oat(steps=4)
    ranks = out["ranks"]
    want = [
        (f["id"], d, zid, f["ranks"][k][z])
        for f in doc["factors"]
        for k, d in enumerate(f["deltas"])
        for z, zid in enumerate(doc["zones"])
    ]
    got = list(zip(ranks["factor"], ranks["delta"], ranks["id"], ranks["rank"]))
    assert got == want
    assert out["factors"]["base_weight"].tolist() == [f["base_weight"] for f in doc["factors"]]
    assert out["factors"]["max_rank_change"].tolist() == [f["max_rank_change"] for f in doc["factors"]]
    assert out["tornado"]["score_high"].tolist() == [x for f in doc["factors"] for x in f["score_high"]]


def test_stability_is_the_clis():
    doc = cli_json("sensitivity", "stability", "--format", "json", "--top", "5")
    out = zv.stability(top=5)
    f = out["factors"]
    assert list(f["id"]) == [x["id"] for x in doc["factors"]]
    for col in ("base_weight", "low", "high"):
        assert f[col].tolist() == [x[col] for x in doc["factors"]]
    assert f.attrs["exact"] == doc["exact"] and f.attrs["top"] == 5
    z = out["zones"]
    assert list(zip(z["low"], z["high"])) == [tuple(iv) for x in doc["factors"] for iv in x["zone_intervals"]]


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = zv.monte_carlo(samples=3000, seed=5)
    b = zv.monte_carlo(samples=3000, seed=5)
    c = zv.monte_carlo(samples=3000, seed=6)
    assert a.equals(b)
    assert not a["mean_rank"].equals(c["mean_rank"])
    s1 = zv.sobol(samples=64, seed=5)
    s2 = zv.sobol(samples=64, seed=5)
    assert s1["zones"].equals(s2["zones"]) and s1["rank_shift"].equals(s2["rank_shift"])


# Sizes that still split the work into many parallel blocks: Monte Carlo runs blocks of 256
# samples (16 here), Sobol chunks of 256 / (k + 2) base points (ten chunks for the 34
# indicators of shandong-provincial), and the bootstrap resamples in parallel too.
THREADS_SCRIPT = """
import hashlib, zoneval as zv
mc = zv.monte_carlo(samples=4000, seed=3, dirichlet=20.0)
sb = zv.sobol(samples=64, factors="indicators", bootstrap=20)
h = hashlib.sha256()
for df in (mc, sb["zones"], sb["rank_shift"]):
    for c in df.columns:
        h.update(df[c].to_numpy().tobytes() if df[c].dtype.kind in "fi" else "|".join(map(str, df[c])).encode())
print(h.hexdigest())
"""


def test_thread_counts_give_identical_results():
    one = run_python(THREADS_SCRIPT, threads=1)
    two = run_python(THREADS_SCRIPT, threads=2)
    four = run_python(THREADS_SCRIPT, threads=4)
    assert one == two == four and len(one.strip()) == 64


def test_gil_is_released_while_the_engine_runs():
    import threading
    import time

    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    zv.monte_carlo(samples=50000)
    end = time.perf_counter()
    stop.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    # The other thread kept running during the call (it would get no tick in with the GIL held).
    assert end - start < 0.05 or len(during) >= 5
