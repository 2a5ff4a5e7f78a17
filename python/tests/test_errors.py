"""Every error path raises the right exception with the CLI's located message.

The bad-input corpus of the CLI (`tests/bad_inputs/*/case.toml`) is replayed through the
package: each `evaluate` / `sensitivity` case whose arguments the package takes must raise
`InputError` (CLI exit 1) with exactly the CLI's message, or `UsageError` (exit 2); documented
warnings (exit 0) must give the CLI's warnings. CSV cases are replayed once more with the data
as a DataFrame of the file's cells.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zoneval as zv
from conftest import CLI, ENV, ROOT, cli_errors

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

warnings.simplefilter("ignore", zv.ZonevalWarning)

CORPUS = ROOT / "tests/bad_inputs"
CASES = sorted(p.parent.name for p in CORPUS.glob("*/case.toml"))

FLAGS = {
    "--system": "system", "-s": "system", "--data": "data", "-d": "data", "--year": "year",
    "--normalization": "normalization", "--weighting": "weighting", "--aggregation": "aggregation",
    "--encoding": "encoding", "--group-by": "group_by", "--samples": "samples", "--seed": "seed",
    "--perturb": "perturb", "--top": "top", "--dirichlet": "dirichlet", "--weights-file": "weights_file",
    "--vary-normalization": "vary_normalization", "--vary-aggregation": "vary_aggregation",
    "--drop-indicator": "drop_indicator", "--factors": "factors", "--range": "range",
    "--bootstrap": "bootstrap", "--samples-file": "samples_file", "--steps": "steps",
    "--memory-budget": "memory_budget", "--columns": "columns", "--sheet": "sheet",
    "--id-column": "id_column", "--name-column": "name_column",
}
INTS = {"year", "samples", "seed", "top", "bootstrap", "steps", "memory_budget"}
FLOATS = {"perturb", "dirichlet", "range"}
FUNCS = {"monte-carlo": "monte_carlo", "sobol": "sobol", "oat": "oat", "stability": "stability"}


def python_call(args: list):
    """The package call for CLI `args`, or None when the package has no equivalent."""
    if args[0] == "evaluate":
        fn, rest = zv.evaluate, args[1:]
    elif args[0] == "sensitivity" and len(args) > 1 and args[1] in FUNCS:
        fn, rest = getattr(zv, FUNCS[args[1]]), args[2:]
    else:
        return None
    kw: dict = {}
    i = 0
    while i < len(rest):
        a = rest[i]
        if a in ("--format", "-f"):
            if i + 1 >= len(rest) or rest[i + 1] not in ("table", "json", "csv", "markdown"):
                return None  # the CLI's parser refuses it
            i += 2
            continue
        if "=" in a and a.split("=")[0] in FLAGS:
            a, v = a.split("=", 1)
            rest = rest[:i] + [a, v] + rest[i + 1:]
        if a not in FLAGS:
            return None  # --out, --report, --lang, --threads, unknown flags: the CLI's own
        name = FLAGS[a]
        if name == "drop_indicator":
            kw[name] = True
            i += 1
            continue
        if i + 1 >= len(rest):
            return None
        v = rest[i + 1]
        try:
            if name in INTS:
                v = int(v)
            elif name in FLOATS:
                v = float(v)
        except ValueError:
            return None  # the CLI's parser refuses it; Python would take no such value
        if name in ("vary_normalization", "vary_aggregation"):
            v = v.split(",")
        if name == "group_by":
            v = kw.get("group_by", []) + [v]
        kw[name] = v
        i += 2
    if {"perturb", "dirichlet"} <= set(kw) or {"dirichlet", "weights_file"} <= set(kw):
        return None  # the CLI's parser refuses the pair (tested below for the package)
    if fn is zv.monte_carlo and "weights_file" in kw and "samples" not in kw:
        kw["samples"] = None
    if not set(kw) <= set(inspect.signature(fn).parameters):
        return None  # e.g. sobol's vary_normalization: the package does not offer it
    return fn, kw


def same_message(got: str, cli: str) -> bool:
    """Equal, but for the package's spelling of the year argument (the CLI names its flag)
    and the cell limit and available memory, which are derived from the memory free when each
    process checks (it moves while other processes run)."""
    cli = cli.replace("--year ", "year=")
    if "cells" in cli:
        got, cli = re.sub(r"\d{6,}", "N", got), re.sub(r"\d{6,}", "N", cli)
    if "is available" in cli:
        avail = r"[\d,.]+ MiB is available"
        got, cli = re.sub(avail, "N MiB is available", got), re.sub(avail, "N MiB is available", cli)
    return got == cli


def case(name: str) -> dict:
    with open(CORPUS / name / "case.toml", "rb") as f:
        return tomllib.load(f)


def cli_in(dirpath: Path, args: list, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *args], cwd=dirpath, env={**ENV, **env}, capture_output=True)


def error_lines(stderr: bytes, prefix: str) -> str:
    return "\n".join(l[len(prefix):] for l in stderr.decode().splitlines() if l.startswith(prefix))


@pytest.mark.skipif(tomllib is None, reason="needs tomllib (Python 3.11+)")
@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name, monkeypatch):
    c = case(name)
    call = python_call(c["args"])
    if call is None:
        pytest.skip("no package equivalent (CLI-only flags or command)")
    fn, kw = call
    d = CORPUS / name
    env = {k: str(v) for k, v in c.get("env", {}).items()}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(d)
    p = cli_in(d, c["args"], env)
    assert p.returncode == c["exit"]
    if p.returncode == 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fn is zv.evaluate:
                assert fn(**kw).warnings == error_lines(p.stderr, "warning: ").splitlines()
            else:
                fn(**kw)
        return
    expected = zv.InputError if p.returncode == 1 else zv.UsageError
    with pytest.raises(zv.ZonevalError) as info:
        fn(**kw)
    assert type(info.value) is expected, str(info.value)
    if p.returncode == 1:
        # Exactly the CLI's message: file:line:col, wording, hint.
        assert same_message(str(info.value), error_lines(p.stderr, "error: "))
        assert len(info.value.problems) == len(error_lines(p.stderr, "error: ").splitlines())


def frame_cases():
    out = []
    for name in CASES:
        if tomllib is None:
            break
        c = case(name)
        args = c["args"]
        if c["exit"] != 1 or python_call(args) is None:
            continue
        data = python_call(args)[1].get("data")
        if not (isinstance(data, str) and data.endswith(".csv") and (CORPUS / name / data).exists()):
            continue
        out.append(name)
    return out


@pytest.mark.skipif(tomllib is None, reason="needs tomllib (Python 3.11+)")
@pytest.mark.parametrize("name", frame_cases())
def test_corpus_case_as_dataframe(name, monkeypatch):
    """The same bad cells in a DataFrame (every cell as the file's text): the same message,
    naming `<DataFrame>` and the line and column the cell has in the CSV."""
    c = case(name)
    fn, kw = python_call(c["args"])
    d = CORPUS / name
    monkeypatch.chdir(d)
    data = kw["data"]
    raw = (d / data).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        df = pd.read_csv(d / data, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except Exception:
        pytest.skip("pandas cannot read this file (encoding, quoting, ragged rows)")
    lines = text.splitlines()
    header = lines[0].split(",") if lines else []
    ragged = any(l.count(",") != lines[0].count(",") for l in lines)
    if ragged or list(df.columns) != [h.strip() for h in header] or len(df) != len(lines) - 1 or '"' in text:
        pytest.skip("pandas changes the rows or headers of this file (blank lines, duplicates)")
    p = cli_in(d, c["args"], {})
    msg = error_lines(p.stderr, "error: ")
    if data not in msg:
        pytest.skip("the error is not about the data file")
    kw["data"] = df
    with pytest.raises(zv.InputError) as info:
        fn(**kw)
    assert same_message(str(info.value).replace(zv.FRAME_NAME, data), msg)


# Errors of the package's own arguments (the CLI's parser words these for its flags).
@pytest.mark.parametrize(
    "call,words",
    [
        (lambda: zv.evaluate(aggregation="topsys"), "unknown aggregation `topsys` (did you mean `topsis`?)"),
        (lambda: zv.evaluate(weighting="entropie"), "unknown weighting `entropie`"),
        (lambda: zv.evaluate(normalization="minmax"), "unknown normalization `minmax`"),
        (lambda: zv.evaluate(encoding="latin-1"), 'encoding must be "utf-8" or "gbk"'),
        (lambda: zv.monte_carlo(samples=0), "samples must be between 1 and"),
        (lambda: zv.monte_carlo(perturb=1.5), "perturb must be in [0, 1)"),
        (lambda: zv.monte_carlo(dirichlet=-1.0), "dirichlet must be a positive finite number"),
        (lambda: zv.monte_carlo(vary_normalization=["bogus"]), "unknown normalization `bogus`"),
        (lambda: zv.monte_carlo(weights_file="w.csv"), "pass samples=None"),
        (lambda: zv.monte_carlo(perturb=0.3, dirichlet=5.0), "perturb cannot be combined with dirichlet"),
        (lambda: zv.monte_carlo(samples=None, dirichlet=5.0, weights_file="w.csv"), "dirichlet cannot be combined with weights_file"),
        (lambda: zv.monte_carlo(top=0), "top must be at least 1"),
        (lambda: zv.sobol(bootstrap=1), "bootstrap must be between 2 and"),
        (lambda: zv.sobol(range=1.5), "range must be in (0, 1) for Sobol"),
        (lambda: zv.sobol(samples=0), "samples must be between 1 and"),
        (lambda: zv.sobol(factors="zones"), 'factors must be "criteria" or "indicators"'),
        (lambda: zv.sobol(bootstrap=10**9), "bootstrap must be between 2 and"),
        (lambda: zv.oat(steps=0), "steps between 1 and"),
        (lambda: zv.stability(steps=10**9), "steps must be between 1 and"),
    ],
)
def test_usage_errors(call, words):
    with pytest.raises(zv.UsageError) as info:
        call()
    assert words in str(info.value)


def test_input_errors_match_the_cli():
    for args, kw in [
        (["--data", "no/such.csv"], dict(data="no/such.csv")),
        (["--system", "no/such.toml"], dict(system="no/such.toml")),
        (["--data", "seeds/shandong-zones.csv", "--year", "1999"], dict(data="seeds/shandong-zones.csv", year=1999)),
        (["--system", "tests/data/flat.toml", "--data", "tests/data/flat.csv", "--year", "2020"],
         dict(system="tests/data/flat.toml", data="tests/data/flat.csv", year=2020)),
    ]:
        code, msg = cli_errors("evaluate", *args)
        assert code == 1, args
        with pytest.raises(zv.InputError) as info:
            zv.evaluate(**kw)
        got = str(info.value)
        # The year check is worded with the package's argument, as the CLI names its flag.
        assert got == msg or got == msg.replace("--year ", "year="), (got, msg)


def test_chinese_messages_follow_the_environment(monkeypatch):
    monkeypatch.setenv("ZONEVAL_LANG", "zh")
    with pytest.raises(zv.InputError) as info:
        zv.evaluate(data="no/such.csv")
    assert "无法读取" in str(info.value)
