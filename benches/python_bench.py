#!/usr/bin/env python3
"""Timed benchmark of the Python package, in process, medians of repeated runs.

1. ``zv.evaluate`` on a 2,000 × 24 DataFrame with entropy + TOPSIS (target < 2 ms; pymcdm
   13.7 ms, hand-written numpy 0.67 ms): the call alone, with ``.ranking`` built, and from
   the CSV path for comparison.
2. Monte Carlo, 20,000 samples on the same data, against the CLI (target: within 10 %). The
   CLI runs as whole processes; its Monte Carlo part is ``zoneval sensitivity monte-carlo``
   minus ``zoneval evaluate`` on the same CSV (start-up and loading cancel out). The package's
   part is ``zv.monte_carlo`` minus ``zv.evaluate`` on the same CSV.

The data has the shape of the Rust benches' synthetic generator (every third indicator a cost,
weights cycling 1…5, skewed positive values). Run with release builds of the package
(``pip install ./python``) and of the CLI (``cargo build --release``):

    python benches/python_bench.py [--cli target/release/zoneval] [--repeat 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import zoneval as zv

ROOT = Path(__file__).resolve().parents[1]


def synthetic(m: int, n: int, seed: int = 1) -> tuple:
    """(system TOML, DataFrame) of m zones × n indicators, entropy + TOPSIS."""
    toml = [
        '[system]\nid = "synthetic"\nname = "synthetic"\n\n[method]\nnormalization = "vector"\n'
        'weighting = "entropy"\naggregation = "topsis"\n'
    ]
    for j in range(n):
        d = "cost" if j % 3 == 2 else "benefit"
        toml.append(f'\n[[indicators]]\nid = "x{j}"\ndirection = "{d}"\nweight = {1 + j % 5}\n')
    rng = np.random.default_rng(seed)
    vals = (1 + 1000 * rng.random((m, n)) ** 2).round(4)
    df = pd.DataFrame(vals, columns=[f"x{j}" for j in range(n)])
    df.insert(0, "zone_name", [f"Zone {i}" for i in range(m)])
    df.insert(0, "zone_id", [f"z{i}" for i in range(m)])
    return "".join(toml), df


def median_ms(f, repeat: int) -> float:
    f()  # warm-up
    t = []
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t.append(time.perf_counter() - s)
    return 1000 * statistics.median(t)


def process_ms(args: list, repeat: int) -> float:
    t = []
    for _ in range(repeat + 1):
        s = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        t.append(time.perf_counter() - s)
    return 1000 * statistics.median(t[1:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=str(ROOT / "target/release/zoneval"))
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--mc-repeat", type=int, default=9)
    a = ap.parse_args()
    warnings.simplefilter("ignore", zv.ZonevalWarning)

    toml, df = synthetic(2000, 24)
    with tempfile.TemporaryDirectory() as d:
        system = Path(d) / "synthetic.toml"
        system.write_text(toml)
        csv = Path(d) / "synthetic.csv"
        df.to_csv(csv, index=False)
        # The DataFrame and its CSV give the same result.
        assert zv.evaluate(system, data=df).ranking.equals(zv.evaluate(system, data=csv).ranking)

        ev = median_ms(lambda: zv.evaluate(system, data=df), a.repeat)
        ev_rank = median_ms(lambda: zv.evaluate(system, data=df).ranking, a.repeat)
        ev_csv = median_ms(lambda: zv.evaluate(system, data=csv), a.repeat)
        print(f"evaluate 2000x24 entropy+topsis, DataFrame:           median {ev:7.3f} ms  ({ev / 2:.2f} × the 2 ms target)")
        print(f"evaluate 2000x24 entropy+topsis, DataFrame + ranking: median {ev_rank:7.3f} ms")
        print(f"evaluate 2000x24 entropy+topsis, CSV path:            median {ev_csv:7.3f} ms")

        mc_py = median_ms(lambda: zv.monte_carlo(system, data=csv, samples=20000), a.mc_repeat)
        py_part = mc_py - ev_csv
        print(f"monte_carlo 20000 samples, package call:              median {mc_py:7.1f} ms  (Monte Carlo part {py_part:.1f} ms)")
        if Path(a.cli).exists():
            common = ["--system", str(system), "--data", str(csv), "--format", "json"]
            cli_mc = process_ms([a.cli, "sensitivity", "monte-carlo", *common, "--samples", "20000"], a.mc_repeat)
            cli_ev = process_ms([a.cli, "evaluate", *common], a.mc_repeat)
            cli_part = cli_mc - cli_ev
            print(f"monte-carlo 20000 samples, CLI process:               median {cli_mc:7.1f} ms  (Monte Carlo part {cli_part:.1f} ms)")
            print(f"package / CLI, Monte Carlo part: {py_part / cli_part:.3f}  (target ≤ 1.10)")
        else:
            print(f"(no CLI at {a.cli}: build it with `cargo build --release`)")


if __name__ == "__main__":
    main()
